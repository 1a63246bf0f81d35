-- cdk.events: Amazon EventBridge rules: Rule (event patterns, schedules, targets), Schedule,
-- RuleTargetInput and EventField, as the AWS CDK v1 renders them.
local core = require "cdk.core"
local util = require "cdk.util"
local events = core.events

local M = {}

M.Rule = util.class("Rule", events.Rule)
M.Schedule = events.Schedule
M.RuleTargetInput = events.RuleTargetInput

-- EventField: from_path(path) gives a string standing for a part of the matched event; the
-- common paths are fields, as CDK's static properties.
local from_path = events.EventField.from_path
M.EventField = {
  from_path = from_path,
  event_id = from_path("$.id"),
  detail_type = from_path("$.detail-type"),
  source = from_path("$.source"),
  account = from_path("$.account"),
  time = from_path("$.time"),
  region = from_path("$.region"),
}

M.CfnRule = util.class("CfnRule", events.CfnRule)
M.CfnEventBusPolicy = util.class("CfnEventBusPolicy", events.CfnEventBusPolicy)

return M
