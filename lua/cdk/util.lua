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

-- An enum: a read-only table of constants that refuses unknown members, so that a typo is an
-- error and not a silently missing setting. The members live in a private table (an assignment
-- to an existing key of the enum itself would bypass __newindex); pairs() still lists them.
function M.enum(name, members)
  local values = {}
  for k, v in pairs(members) do values[k] = v end
  return setmetatable({}, {
    __index = function(_, k)
      local v = values[k]
      if v == nil then
        error(string.format("%s has no member '%s'", name, tostring(k)), 2)
      end
      return v
    end,
    __newindex = function()
      error(name .. " is read-only", 2)
    end,
    __pairs = function() return next, values, nil end,
    __tostring = function() return name end,
  })
end

return M
