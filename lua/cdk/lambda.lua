-- cdk.lambda: AWS Lambda (what event targets need): functions imported by ARN or attributes,
-- add_permission, and CfnPermission.
local core = require "cdk.core"
local util = require "cdk.util"
local lambda = core.lambda

local M = {}

M.Function = util.class("Function", function()
  error("lambda.Function: only imports are supported (Function.from_function_arn, from_function_attributes)", 2)
end, {
  from_function_arn = lambda.function_from_function_arn,
  from_function_attributes = lambda.function_from_function_attributes,
})
M.FunctionUrlAuthType = util.enum("FunctionUrlAuthType", { AWS_IAM = "AWS_IAM", NONE = "NONE" })
M.CfnPermission = util.class("CfnPermission", lambda.CfnPermission)

return M
