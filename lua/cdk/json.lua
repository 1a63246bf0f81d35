-- cdk.json: JSON for the command line and the REPL: a decoder that keeps the key order of
-- objects (templates and manifests are printed in the order CDK wrote them) and an encoder that
-- writes what JavaScript's JSON.stringify(value, null, indent) writes. Pure Lua (5.1 to 5.4,
-- LuaJIT); it knows nothing of CDK.
local M = {}

local byte, char, concat, floor = string.byte, string.char, table.concat, math.floor

-- JSON null (a value distinct from nil, so that it can sit in a table).
M.null = setmetatable({}, { __tostring = function() return "null" end })

local ORDER = setmetatable({}, { __mode = "k" }) -- object -> its keys in order
local ARRAYS = setmetatable({}, { __mode = "k" }) -- the tables decoded from JSON arrays

-- A new empty object whose keys keep the order they are added in with M.set.
function M.object()
  local t = {}
  ORDER[t] = {}
  return t
end

-- Sets key k of an object, remembering the order of new keys.
function M.set(t, k, v)
  local order = ORDER[t]
  if order and t[k] == nil then order[#order + 1] = k end
  t[k] = v
end

-- Marks t as an array (an empty Lua table is otherwise written as {}).
function M.array(t)
  t = t or {}
  ARRAYS[t] = true
  return t
end

-- Whether t is written as a JSON array: marked as one, or a non-empty sequence with no other keys.
function M.is_array(t)
  if ARRAYS[t] then return true end
  if ORDER[t] then return false end
  local n = #t
  if n == 0 then return false end
  local count = 0
  for k in pairs(t) do
    if type(k) ~= "number" or k < 1 or k > n or k ~= floor(k) then return false end
    count = count + 1
  end
  return count == n
end

-- JavaScript's own key order: keys that are array indices ("0", "17") first, ascending, then
-- the others in insertion order.
local function is_index(k)
  return (k == "0" or k:find("^[1-9]%d*$") ~= nil) and #k <= 10 and tonumber(k) < 4294967295
end

local function js_order(keys)
  local idx, rest = {}, {}
  for _, k in ipairs(keys) do
    if is_index(k) then idx[#idx + 1] = k else rest[#rest + 1] = k end
  end
  if #idx == 0 then return keys end
  table.sort(idx, function(a, b) return tonumber(a) < tonumber(b) end)
  for _, k in ipairs(rest) do idx[#idx + 1] = k end
  return idx
end

-- The keys of an object as JavaScript would list them: the decoded (or M.set) order, else the
-- string keys sorted (a Lua table has no order).
function M.keys(t)
  local order = ORDER[t]
  local keys = {}
  if order then
    for _, k in ipairs(order) do
      if t[k] ~= nil then keys[#keys + 1] = k end
    end
  else
    for k in pairs(t) do
      if type(k) == "string" then keys[#keys + 1] = k end
    end
    table.sort(keys)
  end
  return js_order(keys)
end

-- ---------------------------------------------------------------------------------------------
-- Numbers and strings as JavaScript writes them

-- String(n) for a number: the shortest digits that read back the same, in exponent form
-- outside [1e-6, 1e21) (integers below 2^53 in full directly).
function M.number(n)
  if n ~= n or n == math.huge or n == -math.huge then return "null" end
  if n == 0 then return "0" end
  if n == floor(n) and n > -2^53 and n < 2^53 then return string.format("%.0f", n) end
  local s
  for p = 0, 16 do
    s = string.format("%." .. p .. "e", n)
    if tonumber(s) == n then break end
  end
  local sign, d1, rest, e = s:match("^(-?)(%d)%.?(%d*)e([-+]%d+)$")
  local digits = (d1 .. rest):gsub("0+$", "")
  if digits == "" then digits = "0" end
  local exp = tonumber(e)
  if exp >= 21 or exp < -6 then
    local m = digits:sub(1, 1)
    if #digits > 1 then m = m .. "." .. digits:sub(2) end
    return sign .. m .. "e" .. (exp >= 0 and "+" or "-") .. math.abs(exp)
  elseif exp >= 0 then
    if #digits <= exp + 1 then return sign .. digits .. string.rep("0", exp + 1 - #digits) end
    return sign .. digits:sub(1, exp + 1) .. "." .. digits:sub(exp + 2)
  else
    return sign .. "0." .. string.rep("0", -exp - 1) .. digits
  end
end

local ESC = { ['"'] = '\\"', ["\\"] = "\\\\", ["\b"] = "\\b", ["\f"] = "\\f", ["\n"] = "\\n",
  ["\r"] = "\\r", ["\t"] = "\\t" }

-- JSON.stringify(s) for a string.
function M.quote(s)
  return '"' .. s:gsub('[%c"\\]', function(c)
    local e = ESC[c]
    if e then return e end
    local b = byte(c)
    if b < 0x20 then return string.format("\\u%04x", b) end
    return c -- DEL is not escaped
  end) .. '"'
end

-- ---------------------------------------------------------------------------------------------
-- Encoding

local function encode(v, indent, depth, out)
  local t = type(v)
  if v == nil or v == M.null then
    out[#out + 1] = "null"
  elseif t == "boolean" then
    out[#out + 1] = v and "true" or "false"
  elseif t == "number" then
    out[#out + 1] = M.number(v)
  elseif t == "string" then
    out[#out + 1] = M.quote(v)
  elseif t == "table" then
    local pad = indent and ("\n" .. string.rep(indent, depth + 1)) or ""
    local close = indent and ("\n" .. string.rep(indent, depth)) or ""
    if M.is_array(v) then
      if #v == 0 then out[#out + 1] = "[]" return end
      out[#out + 1] = "["
      for i = 1, #v do
        if i > 1 then out[#out + 1] = "," end
        out[#out + 1] = pad
        encode(v[i], indent, depth + 1, out)
      end
      out[#out + 1] = close .. "]"
    else
      local keys = M.keys(v)
      if #keys == 0 then out[#out + 1] = "{}" return end
      out[#out + 1] = "{"
      for i, k in ipairs(keys) do
        if i > 1 then out[#out + 1] = "," end
        out[#out + 1] = pad .. M.quote(k) .. (indent and ": " or ":")
        encode(v[k], indent, depth + 1, out)
      end
      out[#out + 1] = close .. "}"
    end
  else
    out[#out + 1] = M.quote(tostring(v))
  end
end

-- JSON.stringify(v, null, indent): indent is a number of spaces (0 or nil: compact).
function M.encode(v, indent)
  local out = {}
  encode(v, (indent and indent > 0) and string.rep(" ", indent) or nil, 0, out)
  return concat(out)
end

-- ---------------------------------------------------------------------------------------------
-- Decoding

local function utf8_char(c)
  if c < 0x80 then return char(c) end
  if c < 0x800 then return char(0xC0 + floor(c / 0x40), 0x80 + c % 0x40) end
  if c < 0x10000 then
    return char(0xE0 + floor(c / 0x1000), 0x80 + floor(c / 0x40) % 0x40, 0x80 + c % 0x40)
  end
  return char(0xF0 + floor(c / 0x40000), 0x80 + floor(c / 0x1000) % 0x40,
    0x80 + floor(c / 0x40) % 0x40, 0x80 + c % 0x40)
end

local UNESC = { ['"'] = '"', ["\\"] = "\\", ["/"] = "/", b = "\b", f = "\f", n = "\n", r = "\r", t = "\t" }

local decode_value

local function fail(text, pos, what)
  local line = 1
  for _ in text:sub(1, pos - 1):gmatch("\n") do line = line + 1 end
  error(string.format("invalid JSON at line %d: %s", line, what), 0)
end

local function skip(text, pos)
  return text:find("[^ \t\r\n]", pos) or #text + 1
end

local function decode_string(text, pos)
  local parts, i = {}, pos + 1
  while true do
    local j = text:find('[%z\1-\31"\\]', i)
    if not j then fail(text, pos, "unterminated string") end
    parts[#parts + 1] = text:sub(i, j - 1)
    local c = text:sub(j, j)
    if c == '"' then return concat(parts), j + 1 end
    if c ~= "\\" then fail(text, j, "control character in string") end
    local e = text:sub(j + 1, j + 1)
    if e == "u" then
      local hex = text:match("^%x%x%x%x", j + 2)
      if not hex then fail(text, j, "bad \\u escape") end
      local code = tonumber(hex, 16)
      i = j + 6
      if code >= 0xD800 and code < 0xDC00 then
        local lo = text:match("^\\u(%x%x%x%x)", i)
        lo = lo and tonumber(lo, 16)
        if lo and lo >= 0xDC00 and lo < 0xE000 then
          code = 0x10000 + (code - 0xD800) * 0x400 + (lo - 0xDC00)
          i = i + 6
        end
      end
      parts[#parts + 1] = utf8_char(code)
    elseif UNESC[e] then
      parts[#parts + 1] = UNESC[e]
      i = j + 2
    else
      fail(text, j, "bad escape")
    end
  end
end

function decode_value(text, pos)
  pos = skip(text, pos)
  local c = text:sub(pos, pos)
  if c == "{" then
    local obj = M.object()
    pos = skip(text, pos + 1)
    if text:sub(pos, pos) == "}" then return obj, pos + 1 end
    while true do
      if text:sub(pos, pos) ~= '"' then fail(text, pos, "object key expected") end
      local k
      k, pos = decode_string(text, pos)
      pos = skip(text, pos)
      if text:sub(pos, pos) ~= ":" then fail(text, pos, "':' expected") end
      local v
      v, pos = decode_value(text, pos + 1)
      M.set(obj, k, v)
      pos = skip(text, pos)
      c = text:sub(pos, pos)
      if c == "}" then return obj, pos + 1 end
      if c ~= "," then fail(text, pos, "',' or '}' expected") end
      pos = skip(text, pos + 1)
    end
  elseif c == "[" then
    local arr = M.array()
    pos = skip(text, pos + 1)
    if text:sub(pos, pos) == "]" then return arr, pos + 1 end
    while true do
      local v
      v, pos = decode_value(text, pos)
      arr[#arr + 1] = v
      pos = skip(text, pos)
      c = text:sub(pos, pos)
      if c == "]" then return arr, pos + 1 end
      if c ~= "," then fail(text, pos, "',' or ']' expected") end
      pos = pos + 1
    end
  elseif c == '"' then
    return decode_string(text, pos)
  elseif text:find("^true", pos) then
    return true, pos + 4
  elseif text:find("^false", pos) then
    return false, pos + 5
  elseif text:find("^null", pos) then
    return M.null, pos + 4
  else
    local num = text:match("^-?%d+%.?%d*[eE]?[-+]?%d*", pos)
    local n = num and tonumber(num)
    if not n then fail(text, pos, "unexpected " .. (c == "" and "end of text" or "'" .. c .. "'")) end
    return n, pos + #num
  end
end

-- Decodes JSON text. Objects keep their key order (M.keys), arrays are marked (M.is_array),
-- null is M.null. Raises "invalid JSON at line N: ..." on bad input.
function M.decode(text)
  local v, pos = decode_value(text, 1)
  pos = skip(text, pos)
  if pos <= #text then fail(text, pos, "trailing characters") end
  return v
end

-- Reads and decodes a JSON file; returns nil and a message when it cannot be read.
function M.read_file(path)
  local f, err = io.open(path, "rb")
  if not f then return nil, err end
  local text = f:read("*a")
  f:close()
  local ok, v = pcall(M.decode, text)
  if not ok then return nil, path .. ": " .. v end
  return v, text
end

return M
