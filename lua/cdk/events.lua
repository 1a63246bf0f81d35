-- cdk.events: Amazon EventBridge rules: Rule (event patterns, schedules, targets), Schedule and
-- RuleTargetInput, as the AWS CDK v1 renders them.
local core = require "cdk.core"
local util = require "cdk.util"
local events = core.events

local M = {}

M.Rule = util.class("Rule", events.Rule)
M.Schedule = events.Schedule
M.RuleTargetInput = events.RuleTargetInput
M.CfnRule = util.class("CfnRule", events.CfnRule)

return M
