-- cdk.sns: Amazon SNS topics (what event targets need): Topic, grants, resource policies.
local core = require "cdk.core"
local util = require "cdk.util"
local sns = core.sns

local M = {}

M.Topic = util.class("Topic", sns.Topic, { from_topic_arn = sns.topic_from_topic_arn })
M.CfnTopic = util.class("CfnTopic", sns.CfnTopic)
M.CfnTopicPolicy = util.class("CfnTopicPolicy", sns.CfnTopicPolicy)

return M
