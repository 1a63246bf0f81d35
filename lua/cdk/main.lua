-- cdk.main: the module `require "cdk"` gives (lua/cdk/init.lua loads it): the AWS CDK v1
-- construct model for Lua. App, Stack, Construct, the CloudFormation elements, tokens (Fn,
-- Token, Lazy, Aws), Tags and Duration. The work is done in C (cdk.core); this file only gives
-- it Lua's shape.
local core = require "cdk.core"
local util = require "cdk.util"
local class, enum = util.class, util.enum

local M = {}

M.App = class("App", core.App)
M.Stack = class("Stack", core.Stack, { of = core.stack_of, is_stack = core.is_stack })
M.Construct = class("Construct", core.Construct)
M.CfnResource = class("CfnResource", core.CfnResource)
M.CfnOutput = class("CfnOutput", core.CfnOutput)
M.CfnParameter = class("CfnParameter", core.CfnParameter)
M.CfnCondition = class("CfnCondition", core.CfnCondition)

M.Fn = core.Fn
M.Token = core.Token
M.Lazy = core.Lazy
M.Duration = core.Duration
M.Tags = { of = core.tags_of }
M.Names = { unique_id = core.unique_id }

M.RemovalPolicy = enum("RemovalPolicy", { DESTROY = "destroy", RETAIN = "retain", SNAPSHOT = "snapshot" })
M.ArnFormat = enum("ArnFormat", {
  NO_RESOURCE_NAME = "arn:aws:service:region:account:resource",
  COLON_RESOURCE_NAME = "arn:aws:service:region:account:resource:resourceName",
  SLASH_RESOURCE_NAME = "arn:aws:service:region:account:resource/resourceName",
  SLASH_RESOURCE_SLASH_RESOURCE_NAME = "arn:aws:service:region:account:/resource/resourceName",
})
M.CfnDeletionPolicy = enum("CfnDeletionPolicy", { DELETE = "Delete", RETAIN = "Retain", SNAPSHOT = "Snapshot" })
M.PhysicalName = enum("PhysicalName", { GENERATE_IF_NEEDED = core.GENERATE_IF_NEEDED })

M.Aws = enum("Aws", {
  ACCOUNT_ID = core.aws_pseudo("AWS::AccountId"),
  REGION = core.aws_pseudo("AWS::Region"),
  PARTITION = core.aws_pseudo("AWS::Partition"),
  URL_SUFFIX = core.aws_pseudo("AWS::URLSuffix"),
  STACK_NAME = core.aws_pseudo("AWS::StackName"),
  STACK_ID = core.aws_pseudo("AWS::StackId"),
  NO_VALUE = core.aws_pseudo("AWS::NoValue"),
  NOTIFICATION_ARNS = core.aws_pseudo("AWS::NotificationARNs"),
})

-- Annotations.of(c): info, warning and error messages on a construct, written to the cloud
-- assembly's metadata for the CDK CLI to show (an error makes `cdk deploy` refuse the stack).
local Annotations = {}
Annotations.__index = Annotations

-- Whether s is UTF-8 (no overlong forms, no surrogates, nothing above U+10FFFF), as the C
-- binding requires of every string.
local function valid_utf8(s)
  local i, n = 1, #s
  while i <= n do
    local c = s:byte(i)
    local k, min
    if c < 0x80 then k = 0
    elseif c >= 0xC2 and c <= 0xDF then k, min = 1, 0x80
    elseif c >= 0xE0 and c <= 0xEF then k, min = 2, 0x800
    elseif c >= 0xF0 and c <= 0xF4 then k, min = 3, 0x10000
    else return false end
    if k > 0 then
      if i + k > n then return false end
      local cp = c % (2 ^ (6 - k))
      for j = i + 1, i + k do
        local b = s:byte(j)
        if b < 0x80 or b > 0xBF then return false end
        cp = cp * 64 + (b - 0x80)
      end
      if cp < min or cp > 0x10FFFF or (cp >= 0xD800 and cp <= 0xDFFF) then return false end
    end
    i = i + k + 1
  end
  return true
end

-- Checks argument n of method fname (raising at the method's caller).
local function check_message(fname, n, message)
  local why
  if type(message) ~= "string" then
    why = ("string expected, got %s"):format(type(message))
  elseif message:find("\0", 1, true) then
    why = "string contains a NUL byte"
  elseif not valid_utf8(message) then
    why = "string is not valid UTF-8"
  end
  if why then error(("bad argument #%d to '%s' (%s)"):format(n, fname, why), 3) end
end

local function check_self(fname, self)
  if getmetatable(self) ~= Annotations then
    error(("bad self to '%s' (Annotations expected: call it as annotations:%s(...))"):format(fname, fname), 3)
  end
end

-- add_info, add_warning, add_error: a message of that level in the construct's metadata
for _, level in ipairs { "info", "warning", "error" } do
  local fname, key = "add_" .. level, "aws:cdk:" .. level
  Annotations[fname] = function(self, message)
    check_self(fname, self)
    check_message(fname, 1, message)
    self.scope.node:add_metadata(key, message)
  end
end

-- A warning for a deprecated API, once per construct and API; an error instead when
-- CDK_BLOCK_DEPRECATIONS is set.
function Annotations:add_deprecation(api, message)
  check_self("add_deprecation", self)
  check_message("add_deprecation", 1, api)
  check_message("add_deprecation", 2, message)
  local text = ("The API %s is deprecated: %s. This API will be removed in the next major release"):format(api, message)
  local node = self.scope.node
  if os.getenv("CDK_BLOCK_DEPRECATIONS") then
    error(("%s: %s"):format(node.path, text), 2)
  end
  local prefix = ("The API %s is deprecated: "):format(api)
  for _, m in ipairs(node.metadata) do
    if m.type == "aws:cdk:warning" and type(m.data) == "string" and m.data:sub(1, #prefix) == prefix then
      return
    end
  end
  node:add_metadata("aws:cdk:warning", text)
end

M.Annotations = {
  of = function(scope)
    local ok, node = pcall(function() return scope.node end)
    if not ok and type(node) == "string" and node:find("closed App", 1, true) then
      error((node:gsub("^.-:%d+: ", "")), 2)
    end
    if not ok or type(node) ~= "userdata" then
      error(("bad argument #1 to 'Annotations.of' (construct expected, got %s)"):format(type(scope)), 2)
    end
    return setmetatable({ scope = scope }, Annotations)
  end,
}

-- The environment the AWS CDK CLI passes to an app (CDK_DEFAULT_ACCOUNT / CDK_DEFAULT_REGION),
-- for `cdk.Stack(app, id, { env = cdk.default_env() })`.
function M.default_env()
  return { account = os.getenv("CDK_DEFAULT_ACCOUNT"), region = os.getenv("CDK_DEFAULT_REGION") }
end

-- JSON null, as templates and context read back from JSON hold it; a value that writes null.
M.null = core.null
-- The empty JSON list, where an empty table would be written as the empty map {}.
M.empty_array = core.empty_array
M.version = core.version
M.reference_version = core.reference_version

return M
