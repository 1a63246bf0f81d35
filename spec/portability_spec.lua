-- Portability of the Lua sources (lua/cdk, bin/luacdk, examples, bench, specs, csrc/embed): lua-cdk runs
-- on Lua 5.1, 5.3, 5.4 and LuaJIT (`make test-all`), so none of them may use syntax newer than
-- 5.1's: integer division, bitwise operators, goto and labels, attribs (<const>, <close>), or a
-- \u{...} escape, which 5.1 does not reject but reads as "u{...}". Checked here on the text,
-- strings and comments left out, so that `make test` on one Lua already says so.
local h = require "support.helpers"

-- The code of a Lua source with its comments and strings blanked out (each becomes a space),
-- and the escapes its short strings use that 5.1 does not know.
local function scan(src)
  local code, bad_escapes = {}, {}
  local i, n, line = 1, #src, 1
  local function long_bracket(at)
    local eqs = src:match("^%[(=*)%[", at)
    if not eqs then return nil end
    local _, e = src:find("]" .. eqs .. "]", at, true)
    return e or n
  end
  while i <= n do
    local c = src:sub(i, i)
    if c == "\n" then
      line = line + 1
      code[#code + 1] = c
      i = i + 1
    elseif src:sub(i, i + 1) == "--" then
      local e = long_bracket(i + 2)
      if not e then e = (src:find("\n", i, true) or n + 1) - 1 end
      local _, nl = src:sub(i, e):gsub("\n", "")
      line = line + nl
      code[#code + 1] = " " .. string.rep("\n", nl)
      i = e + 1
    elseif c == "[" and long_bracket(i) then
      local e = long_bracket(i)
      local _, nl = src:sub(i, e):gsub("\n", "")
      line = line + nl
      code[#code + 1] = " " .. string.rep("\n", nl)
      i = e + 1
    elseif c == '"' or c == "'" then
      local j = i + 1
      while j <= n do
        local d = src:sub(j, j)
        if d == "\\" then
          local x = src:sub(j + 1, j + 1)
          if x == "u" then bad_escapes[#bad_escapes + 1] = line end
          if x == "\n" then line = line + 1 end
          j = j + 2
        elseif d == c or d == "\n" then
          break
        else
          j = j + 1
        end
      end
      code[#code + 1] = " "
      i = j + 1
    else
      code[#code + 1] = c
      i = i + 1
    end
  end
  return table.concat(code), bad_escapes
end

-- What 5.1 cannot read, as { line = text, ... } for the code of one source.
local NEWER = {
  { "//", "integer division" },
  { "[^~=<>]=?[&|]", "a bitwise operator" },
  { "<<", "a shift" }, { ">>", "a shift" },
  { "~[^=]", "a bitwise operator" },
  { "%f[%w_]goto%s+[%a_]", "goto" },
  { "::[%a_][%w_]*::", "a label" },
  { "<%s*const%s*>", "<const>" }, { "<%s*close%s*>", "<close>" },
}

local function problems(path)
  local src = h.read(path):gsub("^#![^\n]*", "")
  local code, bad_escapes = scan(src)
  local found = {}
  for _, l in ipairs(bad_escapes) do
    found[#found + 1] = ("%s:%d: a \\u escape (Lua 5.1 reads \\u{...} as u{...})"):format(path, l)
  end
  local line = 0
  for text in (code .. "\n"):gmatch("([^\n]*)\n") do
    line = line + 1
    for _, p in ipairs(NEWER) do
      if text:find(p[1]) then found[#found + 1] = ("%s:%d: %s"):format(path, line, p[2]) end
    end
  end
  return found
end

local function sources()
  local files = {}
  local p = assert(io.popen("find lua spec examples bench csrc/embed -name '*.lua' | sort"))
  for f in p:lines() do files[#files + 1] = f end
  p:close()
  if h.exists("bin/luacdk") then files[#files + 1] = "bin/luacdk" end
  return files
end

describe("Lua sources", function()
  it("use no syntax newer than Lua 5.1's, nor \\u{} escapes", function()
    local found = {}
    for _, f in ipairs(sources()) do
      for _, msg in ipairs(problems(f)) do found[#found + 1] = msg end
    end
    assert.same({}, found)
  end)

  it("are checked by a scan that sees through strings and comments", function()
    local dir = h.mkdir(h.tmppath(".port"))
    h.write(dir .. "/a.lua", table.concat({
      'local s = "a//b" .. \'<<\' .. [[ x // y ]] -- c // d',
      "--[==[ goto x ]==] local t = 7 // 2",
      'local u = "caf\\u{e9}" local v = "\\\\u{e9}"',
      "local w <const> = 1",
      "goto done ::done::",
      "local x = 1 ~ 2 local y = 1 ~= 2",
    }, "\n"))
    local found = problems(dir .. "/a.lua")
    h.rmtree(dir)
    local f = dir .. "/a.lua"
    assert.same({
      f .. ":3: a \\u escape (Lua 5.1 reads \\u{...} as u{...})",
      f .. ":2: integer division",
      f .. ":4: <const>",
      f .. ":5: goto",
      f .. ":5: a label",
      f .. ":6: a bitwise operator",
    }, found)
  end)
end)
