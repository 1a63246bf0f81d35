-- spec/support/events.lua: the pieces of templates the AWS CDK v1 (1.204.0) writes again and again
-- for event rules and their targets (rules, queue and topic policies, Lambda permissions), so
-- that the events, SNS, SQS and Lambda specs can state whole templates briefly.
local M = {}

M.EVENTS = { Service = "events.amazonaws.com" }
M.SEND = { "sqs:SendMessage", "sqs:GetQueueAttributes", "sqs:GetQueueUrl" }

function M.getatt(id, attr)
  return { ["Fn::GetAtt"] = { id, attr or "Arn" } }
end

function M.ref(id)
  return { Ref = id }
end

function M.join(...)
  return { ["Fn::Join"] = { "", { ... } } }
end

function M.rule(props)
  return { Type = "AWS::Events::Rule", Properties = props }
end

-- An AWS::SQS::Queue with CDK's default removal (or the policy given).
function M.queue(props, removal)
  return { Type = "AWS::SQS::Queue", Properties = props, UpdateReplacePolicy = removal or "Delete",
    DeletionPolicy = removal or "Delete" }
end

function M.topic(props)
  return { Type = "AWS::SNS::Topic", Properties = props }
end

function M.document(statements)
  return { Statement = statements, Version = "2012-10-17" }
end

function M.queue_policy(queue_id, statements)
  return { Type = "AWS::SQS::QueuePolicy",
    Properties = { PolicyDocument = M.document(statements), Queues = { M.ref(queue_id) } } }
end

function M.topic_policy(topic_id, statements)
  return { Type = "AWS::SNS::TopicPolicy",
    Properties = { PolicyDocument = M.document(statements), Topics = { M.ref(topic_id) } } }
end

-- The statement an SqsQueue target adds to its queue: send, from events, for rule_arn (nil when
-- the queue is encrypted with a key: no condition).
function M.send_statement(queue_id, rule_arn)
  return { Action = M.SEND, Condition = rule_arn and { ArnEquals = { ["aws:SourceArn"] = rule_arn } } or nil,
    Effect = "Allow", Principal = M.EVENTS, Resource = M.getatt(queue_id) }
end

-- The statement a dead-letter queue gets for a rule.
function M.dlq_statement(queue_id, rule_arn, sid)
  return { Action = "sqs:SendMessage", Condition = { ArnEquals = { ["aws:SourceArn"] = rule_arn } },
    Effect = "Allow", Principal = M.EVENTS, Resource = M.getatt(queue_id), Sid = sid }
end

-- The statement an SnsTopic target adds to its topic.
function M.publish_statement(topic_id, sid)
  return { Action = "sns:Publish", Effect = "Allow", Principal = M.EVENTS, Resource = M.ref(topic_id), Sid = sid or "0" }
end

-- The Lambda::Permission a LambdaFunction target adds under its rule.
function M.permission(function_arn, rule_arn)
  return { Type = "AWS::Lambda::Permission", Properties = { Action = "lambda:InvokeFunction",
    FunctionName = function_arn, Principal = "events.amazonaws.com", SourceArn = rule_arn } }
end

return M
