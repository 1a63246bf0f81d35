-- cdk.yaml: writes a template as YAML the way the AWS CDK CLI prints it (`cdk synth`: the npm
-- `yaml` package's stringify with the YAML 1.1 schema and no line folding): block maps and
-- indented block sequences, "{}"/"[]" for empty ones, plain scalars unless YAML 1.1 would read
-- them as something else, then single or double quotes as that package chooses, and literal
-- block scalars for multi-line strings. Pure Lua; values as cdk.json decodes them.
local json = require "cdk.json"

local M = {}

local null = json.null

-- Length in UTF-16 code units, as JavaScript counts a string.
local function js_length(s)
  local n = 0
  for i = 1, #s do
    local b = s:byte(i)
    if b < 0x80 or b >= 0xC0 then n = n + 1 end
    if b >= 0xF0 then n = n + 1 end
  end
  return n
end

-- A line of the value starts with a document marker (%, --- or ...).
local function has_doc_marker(s)
  return s:find("^%%") or s:find("^%-%-%-") or s:find("^%.%.%.")
    or s:find("\n%%") or s:find("\n%-%-%-") or s:find("\n%.%.%.")
end

-- ---------------------------------------------------------------------------------------------
-- What the YAML 1.1 schema would read a plain scalar as (anything but a string means quotes)

local WORDS = {}
for w in ("~ null Null NULL Y y yes Yes YES true True TRUE on On ON N n no No NO false False "
  .. "FALSE off Off OFF .nan .NaN .NAN .inf .Inf .INF -.inf -.Inf -.INF +.inf +.Inf +.INF"):gmatch("%S+") do
  WORDS[w] = true
end

-- base-60 numbers: digits then one or more ":[0-5]?[0-9]" groups, then the end or (frac) a '.'
local function sexagesimal(s, frac)
  local pos = s:match("^[-+]?[0-9][0-9_]*()")
  if not pos then return false end
  local groups = 0
  while s:sub(pos, pos) == ":" do
    local two = s:find("^:[0-5][0-9]", pos)
    local after2 = s:sub(pos + 3, pos + 3)
    local after1 = s:sub(pos + 2, pos + 2)
    local function ends(c) return c == "" or c == ":" or (frac and c == ".") end
    if two and ends(after2) then
      pos = pos + 3
    elseif s:find("^:[0-9]", pos) and ends(after1) then
      pos = pos + 2
    else
      return false
    end
    groups = groups + 1
  end
  if groups == 0 then return false end
  if frac then return s:find("^%.[0-9_]*$", pos) ~= nil end
  return pos == #s + 1
end

local function timestamp(s)
  local pos = s:match("^%d%d%d%d%-%d%d?%-%d%d?()")
  if not pos then return false end
  if pos == #s + 1 then return true end
  local t = s:match("^[tT]()", pos) or s:match("^[ \t]+()", pos)
  if not t then return false end
  pos = s:match("^%d%d?:%d%d?:%d%d?()", t)
  if not pos then return false end
  pos = s:match("^%.%d+()", pos) or pos
  if pos == #s + 1 then return true end
  pos = s:match("^[ \t]*()", pos)
  if s:find("^Z$", pos) then return true end
  local z = s:match("^[-+][012]?[0-9]()", pos)
  if not z then return false end
  z = s:match("^:%d%d()", z) or z
  return z == #s + 1
end

local function not_a_string(s)
  if s == "" or WORDS[s] then return true end
  if s:find("^[-+]?[0-9][0-9_]*$") or s:find("^[-+]?0b[01_]+$") or s:find("^[-+]?0x[0-9a-fA-F_]+$")
    or s:find("^[-+]?[0-9][0-9_]*%.[0-9_]*$") or s:find("^[-+]?%.[0-9_]*$") then
    return true
  end
  local m = s:match("^[-+]?(.*)$")
  if m:find("^[0-9][0-9_]*%.[0-9_]*[eE][-+]?[0-9]+$") or m:find("^[0-9][0-9_]*[eE][-+]?[0-9]+$")
    or m:find("^%.[0-9_]*[eE][-+]?[0-9]+$") or m:find("^[eE][-+]?[0-9]+$") then
    return true
  end
  return sexagesimal(s, false) or sexagesimal(s, true) or timestamp(s)
end

-- ---------------------------------------------------------------------------------------------
-- Scalars

local function fallback_indent(ctx, s)
  if ctx.indent ~= "" then return ctx.indent end
  return has_doc_marker(s) and "  " or ""
end

local YAML_U = { ["0000"] = "\\0", ["0007"] = "\\a", ["000b"] = "\\v", ["001b"] = "\\e",
  ["0085"] = "\\N", ["00a0"] = "\\_", ["2028"] = "\\L", ["2029"] = "\\P" }

local function double_quoted(s, ctx)
  local js = json.quote(s)
  local indent = fallback_indent(ctx, s)
  local short = js_length(js) < 40
  local out, start, changed = {}, 1, false
  local i = 1
  while i <= #js do
    local ch = js:sub(i, i)
    if ch == " " and js:sub(i + 1, i + 2) == "\\n" then
      -- a space before a line break is escaped, or folding would eat it
      out[#out + 1] = js:sub(start, i - 1) .. "\\ "
      i = i + 1
      start = i
      ch = "\\"
      changed = true
    end
    if ch == "\\" then
      local nx = js:sub(i + 1, i + 1)
      if nx == "u" then
        out[#out + 1] = js:sub(start, i - 1)
        local code = js:sub(i + 2, i + 5)
        out[#out + 1] = YAML_U[code] or (code:sub(1, 2) == "00" and "\\x" .. code:sub(3)) or js:sub(i, i + 5)
        i = i + 5
        start = i + 1
        changed = true
      elseif nx == "n" then
        if ctx.implicit_key or js:sub(i + 2, i + 2) == '"' or short then
          i = i + 1
        else
          out[#out + 1] = js:sub(start, i - 1) .. "\n\n"
          while js:sub(i + 2, i + 3) == "\\n" and js:sub(i + 4, i + 4) ~= '"' do
            out[#out + 1] = "\n"
            i = i + 2
          end
          out[#out + 1] = indent
          if js:sub(i + 2, i + 2) == " " then out[#out + 1] = "\\" end
          i = i + 1
          start = i + 1
          changed = true
        end
      else
        i = i + 1
      end
    end
    i = i + 1
  end
  if not changed then return js end
  out[#out + 1] = js:sub(start)
  return table.concat(out)
end

local function single_quoted(s, ctx)
  if (ctx.implicit_key and s:find("\n", 1, true)) or s:find("[ \t]\n") or s:find("\n[ \t]") then
    return double_quoted(s, ctx)
  end
  local indent = fallback_indent(ctx, s)
  local body = s:gsub("'", "''"):gsub("\n+", function(run) return run .. "\n" .. indent end)
  return "'" .. body .. "'"
end

local function quoted(s, ctx)
  local dq, sq = s:find('"', 1, true), s:find("'", 1, true)
  if dq and not sq then return single_quoted(s, ctx) end
  return double_quoted(s, ctx)
end

-- A literal block scalar (|, |-, |+, with an indentation indicator for leading spaces).
local function block(s, ctx)
  if s:find("\n[\t ]+$") then return quoted(s, ctx) end
  local indent = ctx.indent
  if indent == "" then indent = (ctx.force_block_indent or has_doc_marker(s)) and "  " or "" end
  if s == "" then return "|\n" end
  local stop = #s
  while stop > 0 and s:sub(stop, stop):find("^[\n\t ]$") do stop = stop - 1 end
  local tail = s:sub(stop + 1)
  local nl = tail:find("\n", 1, true)
  local chomp
  if not nl then
    chomp = "-"
  elseif s == tail or nl ~= #tail then
    chomp = "+"
  else
    chomp = ""
  end
  if tail ~= "" then
    s = s:sub(1, #s - #tail)
    if tail:sub(-1) == "\n" then tail = tail:sub(1, -2) end
    tail = tail:gsub("(\n+)()", function(run, after)
      if after <= #tail then return run .. indent end
    end)
  end
  local lead_space, k, last_nl = false, 1, 0
  while k <= #s do
    local c = s:sub(k, k)
    if c == " " then
      lead_space = true
    elseif c == "\n" then
      last_nl = k
    else
      break
    end
    k = k + 1
  end
  local start = s:sub(1, last_nl)
  if start ~= "" then
    s = s:sub(#start + 1)
    start = start:gsub("\n+", function(run) return run .. indent end)
  end
  local header = (lead_space and (indent ~= "" and "2" or "1") or "") .. chomp
  s = s:gsub("\n+", function(run) return run .. indent end)
  return "|" .. header .. "\n" .. indent .. start .. s .. tail
end

local function plain(s, ctx)
  local multiline = s:find("\n", 1, true) ~= nil
  if ctx.implicit_key and multiline then return quoted(s, ctx) end
  if s:find("^[\n\t ,%[%]{}#&*!|>'\"%%@`]") or s == "?" or s == "-" or s:find("^[?-][ \t]")
    or s:find("[\n:][ \t]") or s:find("[ \t]\n") or s:find("[\n\t ]#") or s:find("[\n\t :]$") then
    if ctx.implicit_key or not multiline then return quoted(s, ctx) end
    return block(s, ctx)
  end
  if not ctx.implicit_key and multiline then return block(s, ctx) end
  if has_doc_marker(s) then
    if ctx.indent == "" then
      ctx.force_block_indent = true
      return block(s, ctx)
    elseif ctx.implicit_key and ctx.indent == "  " then
      return quoted(s, ctx)
    end
  end
  if not_a_string(s) then return quoted(s, ctx) end
  return s
end

local function scalar_string(s, ctx)
  -- control characters (other than tab and newline) and C1 controls need double quotes
  if s:find("[%z\1-\8\11-\31\127]") or s:find("\194[\128-\159]") then
    return double_quoted(s, ctx)
  end
  return plain(s, ctx)
end

-- ---------------------------------------------------------------------------------------------
-- Collections

local stringify

local function is_collection(v)
  return type(v) == "table" and v ~= null
end

local function is_empty(v)
  if json.is_array(v) then return #v == 0 end
  return #json.keys(v) == 0
end

local function pair(key, value, indent)
  local kctx = { indent = indent .. "  ", implicit_key = true }
  local kstr = stringify(key, kctx)
  local explicit = js_length(kstr) > 1024
  if explicit and value == null then return "? " .. kstr end
  local str = explicit and ("? " .. kstr .. "\n" .. indent .. ":") or (kstr .. ":")
  local vctx = { indent = indent .. "  ", implicit_key = false }
  local vstr = stringify(value, vctx)
  local ws = " "
  if not explicit and is_collection(value) then
    if vstr:find("\n", 1, true) or not is_empty(value) then ws = "\n" .. vctx.indent end
  elseif vstr == "" or vstr:sub(1, 1) == "\n" then
    ws = ""
  end
  return str .. ws .. vstr
end

function stringify(v, ctx)
  local t = type(v)
  if v == nil or v == null then return "null" end
  if t == "boolean" then return v and "true" or "false" end
  if t == "number" then return json.number(v) end
  if t == "string" then return scalar_string(v, { indent = ctx.indent, implicit_key = ctx.implicit_key }) end
  if t ~= "table" then return scalar_string(tostring(v), ctx) end
  local lines = {}
  if json.is_array(v) then
    if #v == 0 then return "[]" end
    local ictx = { indent = ctx.indent .. "  ", implicit_key = false }
    for i = 1, #v do lines[i] = "- " .. stringify(v[i], ictx) end
  else
    local keys = json.keys(v)
    if #keys == 0 then return "{}" end
    for i, k in ipairs(keys) do lines[i] = pair(k, v[k], ctx.indent) end
  end
  return table.concat(lines, "\n" .. ctx.indent)
end

-- The YAML document for a value (a template), ending with a newline.
function M.encode(v)
  return stringify(v, { indent = "", implicit_key = false }) .. "\n"
end

return M
