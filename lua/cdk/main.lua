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

local function check_message(fname, message)
  if type(message) ~= "string" then
    error(("bad argument #1 to '%s' (string expected, got %s)"):format(fname, type(message)), 3)
  end
end

function Annotations:add_info(message)
  check_message("add_info", message)
  self.scope.node:add_metadata("aws:cdk:info", message)
end

function Annotations:add_warning(message)
  check_message("add_warning", message)
  self.scope.node:add_metadata("aws:cdk:warning", message)
end

function Annotations:add_error(message)
  check_message("add_error", message)
  self.scope.node:add_metadata("aws:cdk:error", message)
end

-- A warning for a deprecated API, once per construct and API; an error instead when
-- CDK_BLOCK_DEPRECATIONS is set.
function Annotations:add_deprecation(api, message)
  check_message("add_deprecation", api)
  if type(message) ~= "string" then
    error(("bad argument #2 to 'add_deprecation' (string expected, got %s)"):format(type(message)), 2)
  end
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

-- JSON null, as templates read back from an assembly hold it.
M.null = nil
M.version = core.version
M.reference_version = core.reference_version

return M
