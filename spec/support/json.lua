-- spec/support/json.lua: a small strict JSON reader for the specs (expected templates, manifests).
-- Objects are plain tables; their key order is kept aside (json.keys), null is json.null and []
-- is json.empty_array. It never writes JSON: the library's own writer is what the specs test.
local M = {}

M.null = setmetatable({}, { __tostring = function() return "json.null" end })

-- [] decodes to this one table, so that assert.same tells an empty list from an empty object.
M.empty_array = setmetatable({}, {
  __tostring = function() return "json.empty_array" end,
  __newindex = function() error("json.empty_array is read-only", 2) end,
})

local order = setmetatable({}, { __mode = "k" })

-- The keys of an object read by decode, in the order the text gave them.
function M.keys(obj)
  return order[obj]
end

local escapes = { ['"'] = '"', ["\\"] = "\\", ["/"] = "/", b = "\b", f = "\f", n = "\n", r = "\r", t = "\t" }

local function utf8_char(cp)
  if cp < 0x80 then
    return string.char(cp)
  elseif cp < 0x800 then
    return string.char(0xC0 + math.floor(cp / 0x40), 0x80 + cp % 0x40)
  elseif cp < 0x10000 then
    return string.char(0xE0 + math.floor(cp / 0x1000), 0x80 + math.floor(cp / 0x40) % 0x40, 0x80 + cp % 0x40)
  end
  return string.char(0xF0 + math.floor(cp / 0x40000), 0x80 + math.floor(cp / 0x1000) % 0x40,
    0x80 + math.floor(cp / 0x40) % 0x40, 0x80 + cp % 0x40)
end

function M.decode(text)
  local pos = 1
  local function fail(what)
    error(string.format("json: %s at offset %d", what, pos), 0)
  end
  local function skip()
    pos = text:find("[^ \t\r\n]", pos) or #text + 1
  end
  local value
  local function str()
    pos = pos + 1
    local parts = {}
    while true do
      local s, e = text:find('["\\%z\1-\31]', pos)
      if not s then fail("unterminated string") end
      parts[#parts + 1] = text:sub(pos, s - 1)
      local c = text:sub(s, s)
      if c == '"' then
        pos = e + 1
        return table.concat(parts)
      elseif c ~= "\\" then
        pos = s
        fail("control character in string")
      end
      local esc = text:sub(s + 1, s + 1)
      if escapes[esc] then
        parts[#parts + 1] = escapes[esc]
        pos = s + 2
      elseif esc == "u" then
        local hex = text:match("^%x%x%x%x", s + 2)
        if not hex then pos = s; fail("bad \\u escape") end
        local cp = tonumber(hex, 16)
        pos = s + 6
        if cp >= 0xD800 and cp <= 0xDBFF then
          local lo = text:match("^\\u(%x%x%x%x)", pos)
          local lov = lo and tonumber(lo, 16)
          if lov and lov >= 0xDC00 and lov <= 0xDFFF then
            cp = 0x10000 + (cp - 0xD800) * 0x400 + (lov - 0xDC00)
            pos = pos + 6
          end
        end
        parts[#parts + 1] = utf8_char(cp)
      else
        pos = s
        fail("bad escape")
      end
    end
  end
  function value()
    skip()
    local c = text:sub(pos, pos)
    if c == "{" then
      local obj, keys = {}, {}
      order[obj] = keys
      pos = pos + 1
      skip()
      if text:sub(pos, pos) == "}" then
        pos = pos + 1
        return obj
      end
      while true do
        skip()
        if text:sub(pos, pos) ~= '"' then fail("object key expected") end
        local k = str()
        skip()
        if text:sub(pos, pos) ~= ":" then fail("':' expected") end
        pos = pos + 1
        if obj[k] == nil then keys[#keys + 1] = k end
        obj[k] = value()
        skip()
        c = text:sub(pos, pos)
        pos = pos + 1
        if c == "}" then return obj end
        if c ~= "," then pos = pos - 1; fail("',' or '}' expected") end
      end
    elseif c == "[" then
      local arr = {}
      pos = pos + 1
      skip()
      if text:sub(pos, pos) == "]" then
        pos = pos + 1
        return M.empty_array
      end
      while true do
        arr[#arr + 1] = value()
        skip()
        c = text:sub(pos, pos)
        pos = pos + 1
        if c == "]" then return arr end
        if c ~= "," then pos = pos - 1; fail("',' or ']' expected") end
      end
    elseif c == '"' then
      return str()
    elseif text:find("^true", pos) then
      pos = pos + 4
      return true
    elseif text:find("^false", pos) then
      pos = pos + 5
      return false
    elseif text:find("^null", pos) then
      pos = pos + 4
      return M.null
    end
    local num = text:match("^-?%d+%.?%d*[eE]?[-+]?%d*", pos)
    if not num or num == "" or num == "-" then fail("value expected") end
    pos = pos + #num
    local n = tonumber(num)
    if not n then fail("bad number") end
    if math.tointeger and not num:find("[.eE]") then
      n = math.tointeger(n) or n
    end
    return n
  end
  local ok, result = pcall(function()
    local v = value()
    skip()
    if pos <= #text then fail("trailing text") end
    return v
  end)
  if not ok then return nil, result end
  return result
end

-- Reads and decodes a file; raises on a missing file or bad JSON.
function M.read_file(path)
  local f = assert(io.open(path, "rb"))
  local text = f:read("*a")
  f:close()
  local v, err = M.decode(text)
  if v == nil then error(path .. ": " .. err, 2) end
  return v, text
end

return M
