-- cdk.events_targets: event targets: SnsTopic, SqsQueue and LambdaFunction. A target written in
-- Lua is any value with a method bind(rule, id) returning { arn =, id =, role =, input =,
-- target_resource =, dead_letter_config =, retry_policy =, sqs_parameters =, kinesis_parameters = }.
local core = require "cdk.core"
local util = require "cdk.util"
local targets = core.events_targets

local M = {}

M.SnsTopic = util.class("SnsTopic", targets.SnsTopic)
M.SqsQueue = util.class("SqsQueue", targets.SqsQueue)
M.LambdaFunction = util.class("LambdaFunction", targets.LambdaFunction)

return M
