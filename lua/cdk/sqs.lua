-- cdk.sqs: Amazon SQS queues (what event targets need): Queue, grants, resource policies.
local core = require "cdk.core"
local util = require "cdk.util"
local sqs = core.sqs

local M = {}

M.Queue = util.class("Queue", sqs.Queue, {
  from_queue_arn = sqs.queue_from_queue_arn,
  from_queue_attributes = sqs.queue_from_queue_attributes,
})
M.QueueEncryption = util.enum("QueueEncryption", { UNENCRYPTED = "NONE", KMS_MANAGED = "MANAGED", KMS = "KMS" })
M.DeduplicationScope = util.enum("DeduplicationScope", { MESSAGE_GROUP = "messageGroup", QUEUE = "queue" })
M.FifoThroughputLimit = util.enum("FifoThroughputLimit",
  { PER_QUEUE = "perQueue", PER_MESSAGE_GROUP_ID = "perMessageGroupId" })
M.CfnQueue = util.class("CfnQueue", sqs.CfnQueue)
M.CfnQueuePolicy = util.class("CfnQueuePolicy", sqs.CfnQueuePolicy)

return M
