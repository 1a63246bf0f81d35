-- cdk.util: the two idioms every lua-cdk module shares: callable class tables and strict enums.
-- Internal; user code reaches these through the modules.
local M = {}

-- A class table: calling it constructs (the C constructor receives the class first), and its
-- fields are the class functions (from_*, of, ...).
function M.class(name, ctor, statics)
  local cls = {}
  for k, v in pairs(statics or {}) do cls[k] = v end
  return setmetatable(cls, {
    __call = ctor,
    __tostring = function() return name end,
    __name = name,
  })
end

-- An enum: a table of constants that refuses unknown members, so that a typo is an error and
-- not a silently missing setting.
function M.enum(name, members)
  local e = {}
  for k, v in pairs(members) do e[k] = v end
  return setmetatable(e, {
    __index = function(_, k)
      error(string.format("%s has no member '%s'", name, tostring(k)), 2)
    end,
    __newindex = function()
      error(name .. " is read-only", 2)
    end,
    __tostring = function() return name end,
  })
end

return M
