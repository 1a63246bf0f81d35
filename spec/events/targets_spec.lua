-- cdk.events_targets (SnsTopic, SqsQueue, LambdaFunction) and targets written in Lua: what each
-- adds to its resource (TopicPolicy, QueuePolicy with the rule condition, key grants, Lambda
-- permissions under the rule), dead-letter queues, retry policies, FIFO message groups, inputs,
-- and CDK's errors. Expected templates are what the AWS CDK v1 (1.204.0) synthesizes for the same
-- programs.
local cdk = require "cdk"
local events = require "cdk.events"
local targets = require "cdk.events_targets"
local sns = require "cdk.sns"
local sqs = require "cdk.sqs"
local lambda = require "cdk.lambda"
local iam = require "cdk.iam"
local h = require "support.helpers"
local E = require "support.events"
local K = require "support.kms"

local function error_of(fn, ...)
  return (h.error_of(fn, ...):gsub("^[^\n:]+%.lua:%d+: ", ""))
end

local function daily() return events.Schedule.rate(cdk.Duration.days(1)) end

describe("targets", function()
  local app, stack

  before_each(function()
    app = cdk.App()
    stack = cdk.Stack(app, "Stack")
  end)

  describe("SnsTopic", function()
    it("lets events publish (a TopicPolicy), with the message as input", function()
      local t = sns.Topic(stack, "T", { topic_name = "alerts", display_name = "Alerts" })
      local imported = sns.Topic.from_topic_arn(stack, "I", "arn:aws:sns:us-east-1:123456789012:other")
      local r = events.Rule(stack, "R", { event_pattern = { source = { "aws.ecr" } } })
      r:add_target(targets.SnsTopic(t, { message = events.RuleTargetInput.from_multiline_text('line one\nline "two"') }))
      r:add_target(targets.SnsTopic(t, { message = events.RuleTargetInput.from_event_path("$.detail") }))
      r:add_target(targets.SnsTopic(imported))
      assert.same({
        TD925BC7E = E.topic { DisplayName = "Alerts", TopicName = "alerts" },
        TPolicy0B398327 = E.topic_policy("TD925BC7E", { E.publish_statement("TD925BC7E") }),
        RC21A1702 = E.rule {
          EventPattern = { source = { "aws.ecr" } },
          State = "ENABLED",
          Targets = {
            { Arn = E.ref("TD925BC7E"), Id = "Target0", Input = '"line one"\n"line \\"two\\""' },
            { Arn = E.ref("TD925BC7E"), Id = "Target1", InputPath = "$.detail" },
            { Arn = "arn:aws:sns:us-east-1:123456789012:other", Id = "Target2" },
          },
        },
      }, stack:to_json().Resources)
    end)

    it("adds the publish statement once, however many rules target the topic", function()
      local topic = sns.Topic(stack, "T")
      events.Rule(stack, "A", { schedule = daily(), targets = { targets.SnsTopic(topic), targets.SnsTopic(topic) } })
      events.Rule(stack, "B", { schedule = daily(), targets = { targets.SnsTopic(topic) } })
      topic:grant_publish(iam.ServicePrincipal("s3.amazonaws.com"))
      local r = stack:to_json().Resources
      assert.same(E.topic_policy("TD925BC7E", { E.publish_statement("TD925BC7E"),
        { Action = "sns:Publish", Effect = "Allow", Principal = { Service = "s3.amazonaws.com" },
          Resource = E.ref("TD925BC7E"), Sid = "1" } }), r.TPolicy0B398327)
      assert.same({ { Arn = E.ref("TD925BC7E"), Id = "Target0" }, { Arn = E.ref("TD925BC7E"), Id = "Target1" } },
        r.ACCC8ACD5.Properties.Targets)
    end)

    it("takes a topic and only message", function()
      assert.equal("bad argument #1 to 'SnsTopic' (Topic expected, got Queue)",
        error_of(targets.SnsTopic, sqs.Queue(stack, "Q")))
      assert.equal("bad argument #2 to 'SnsTopic' (field 'message': RuleTargetInput expected, got string)",
        error_of(targets.SnsTopic, sns.Topic(stack, "T"), { message = "hi" }))
      assert.equal("bad argument #2 to 'SnsTopic' (unknown property 'retry_attempts')",
        error_of(targets.SnsTopic, sns.Topic(stack, "T2"), { retry_attempts = 1 }))
    end)
  end)

  describe("SqsQueue", function()
    it("lets events send on condition of the rule's ARN; dead-letter queue, retries, message group", function()
      local q = sqs.Queue(stack, "Q")
      local dlq = sqs.Queue(stack, "Dlq")
      local fifo = sqs.Queue(stack, "Fifo", { fifo = true })
      local r = events.Rule(stack, "R", { schedule = events.Schedule.rate(cdk.Duration.days(2)) })
      r:add_target(targets.SqsQueue(q, { dead_letter_queue = dlq, retry_attempts = 3,
        max_event_age = cdk.Duration.hours(2), message = events.RuleTargetInput.from_text("hello") }))
      r:add_target(targets.SqsQueue(q))
      r:add_target(targets.SqsQueue(fifo, { message_group_id = "g1", retry_attempts = 0 }))
      events.Rule(stack, "R2", { schedule = events.Schedule.rate(cdk.Duration.hours(1)), targets = {
        targets.SqsQueue(q, { max_event_age = cdk.Duration.minutes(2),
          message = events.RuleTargetInput.from_object({ a = 1, b = { true, false, "x" }, c = { d = "e" } }) }) } })
      local R, R2 = E.getatt("RC21A1702"), E.getatt("R2D8F31528")
      assert.same({
        Q63C6E3AB = E.queue(),
        QPolicy70C80277 = E.queue_policy("Q63C6E3AB", { E.send_statement("Q63C6E3AB", R), E.send_statement("Q63C6E3AB", R2) }),
        DlqD1FAA4AD = E.queue(),
        DlqPolicyF16811D6 = E.queue_policy("DlqD1FAA4AD", { E.dlq_statement("DlqD1FAA4AD", R, "AllowEventRuleStackR2EDE7755") }),
        FifoF9CE07D8 = E.queue { FifoQueue = true },
        FifoPolicy676B3FAD = E.queue_policy("FifoF9CE07D8", { E.send_statement("FifoF9CE07D8", R) }),
        RC21A1702 = E.rule {
          ScheduleExpression = "rate(2 days)",
          State = "ENABLED",
          Targets = {
            { Arn = E.getatt("Q63C6E3AB"), DeadLetterConfig = { Arn = E.getatt("DlqD1FAA4AD") }, Id = "Target0",
              Input = '"hello"', RetryPolicy = { MaximumEventAgeInSeconds = 7200, MaximumRetryAttempts = 3 } },
            { Arn = E.getatt("Q63C6E3AB"), Id = "Target1" },
            { Arn = E.getatt("FifoF9CE07D8"), Id = "Target2", SqsParameters = { MessageGroupId = "g1" } },
          },
        },
        R2D8F31528 = E.rule {
          ScheduleExpression = "rate(1 hour)",
          State = "ENABLED",
          Targets = {
            { Arn = E.getatt("Q63C6E3AB"), Id = "Target0", Input = '{"a":1,"b":[true,false,"x"],"c":{"d":"e"}}',
              RetryPolicy = { MaximumEventAgeInSeconds = 120 } },
          },
        },
      }, stack:to_json().Resources)
    end)

    it("on a queue encrypted with its key: no condition, and the key lets events encrypt and decrypt", function()
      local q = sqs.Queue(stack, "Q", { encryption = sqs.QueueEncryption.KMS })
      local m = sqs.Queue(stack, "M", { encryption = sqs.QueueEncryption.KMS_MANAGED })
      events.Rule(stack, "R", { schedule = daily(), targets = { targets.SqsQueue(q), targets.SqsQueue(m) } })
      local key = K.key({ Description = "Created by Stack/Q" })
      key.Properties.KeyPolicy.Statement[2] = K.statement(K.ENCRYPT_DECRYPT, E.EVENTS)
      assert.same({
        QKey27E2CCCC = key,
        Q63C6E3AB = E.queue { KmsMasterKeyId = E.getatt("QKey27E2CCCC") },
        QPolicy70C80277 = E.queue_policy("Q63C6E3AB", { E.send_statement("Q63C6E3AB") }),
        M38C90C7F = E.queue { KmsMasterKeyId = "alias/aws/sqs" },
        MPolicy233BD566 = E.queue_policy("M38C90C7F", { E.send_statement("M38C90C7F", E.getatt("RC21A1702")) }),
        RC21A1702 = E.rule { ScheduleExpression = "rate(1 day)", State = "ENABLED", Targets = {
          { Arn = E.getatt("Q63C6E3AB"), Id = "Target0" }, { Arn = E.getatt("M38C90C7F"), Id = "Target1" } } },
      }, stack:to_json().Resources)
    end)

    it("refuses a message group for a queue that is not FIFO, with CDK's message", function()
      assert.equal("message_group_id cannot be specified for non-FIFO queues",
        error_of(targets.SqsQueue, sqs.Queue(stack, "Q"), { message_group_id = "g" }))
      assert.equal("message_group_id cannot be specified for non-FIFO queues",
        error_of(targets.SqsQueue, sqs.Queue(stack, "Q2"), { message_group_id = "" }))
    end)

    it("writes no SqsParameters for an empty message group id (CDK tests it as falsy)", function()
      local q = sqs.Queue(stack, "Q", { fifo = true })
      events.Rule(stack, "R", { event_pattern = { source = { "x" } },
        targets = { targets.SqsQueue(q, { message_group_id = "" }) } })
      assert.same({ { Arn = E.getatt("Q63C6E3AB"), Id = "Target0" } },
        stack:to_json().Resources.RC21A1702.Properties.Targets)
    end)

    it("refuses a dead-letter queue in another region, with CDK's message", function()
      local s1 = cdk.Stack(app, "S1", { env = { account = "1", region = "us-east-1" } })
      local s2 = cdk.Stack(app, "S2", { env = { account = "1", region = "eu-west-1" } })
      local t = targets.SqsQueue(sqs.Queue(s1, "Q"), { dead_letter_queue = sqs.Queue(s2, "D") })
      assert.equal("Cannot assign Dead Letter Queue in region eu-west-1 to the rule S1R2D468E47 in region us-east-1. "
        .. "Both the queue and the rule must be in the same region.",
        error_of(events.Rule, s1, "R", { schedule = daily(), targets = { t } }))
    end)

    it("warns (in the manifest) when the dead-letter queue is in another account", function()
      local dir = h.tmppath(".out")
      local a = cdk.App { outdir = dir }
      local s = cdk.Stack(a, "Stack", { env = { account = "111111111111", region = "us-east-1" } })
      local other = cdk.Stack(a, "Other", { env = { account = "222222222222", region = "us-east-1" } })
      local dlq = sqs.Queue(other, "D", { queue_name = "dlq" })
      local r = events.Rule(s, "R", { schedule = events.Schedule.cron { minute = "0" } })
      r:add_target(targets.SqsQueue(sqs.Queue(s, "Q"), { dead_letter_queue = dlq }))
      a:synth()
      local stacks, manifest = h.read_assembly(dir)
      h.rmtree(dir)
      assert.same({ { type = "aws:cdk:warning", data = E.join("Cannot add a resource policy to your dead letter "
        .. "queue associated with rule ", E.ref("RC21A1702"), " because the queue is in a different account. You must "
        .. "add the resource policy manually to the dead letter queue in account 222222222222.") } },
        manifest.artifacts.Stack.metadata["/Stack/R"])
      for _, st in ipairs(stacks) do
        if st.name == "Other" then
          assert.same({ DCB28BBFE = E.queue { QueueName = "dlq" } }, st.template.Resources)
        end
      end
    end)

    it("takes a queue and its props", function()
      local q = sqs.Queue(stack, "Q")
      assert.equal("bad argument #1 to 'SqsQueue' (Queue expected, got Topic)",
        error_of(targets.SqsQueue, sns.Topic(stack, "T")))
      assert.equal("bad argument #2 to 'SqsQueue' (field 'retry_attempts': number expected, got string)",
        error_of(targets.SqsQueue, q, { retry_attempts = "3" }))
      assert.equal("bad argument #2 to 'SqsQueue' (field 'max_event_age': Duration expected, got number)",
        error_of(targets.SqsQueue, q, { max_event_age = 5 }))
      assert.equal("bad argument #2 to 'SqsQueue' (field 'dead_letter_queue': Queue expected, got Topic)",
        error_of(targets.SqsQueue, q, { dead_letter_queue = sns.Topic(stack, "T2") }))
      local r = events.Rule(stack, "R", { schedule = daily() })
      assert.equal("'1500 millis' cannot be converted into a whole number of seconds.",
        error_of(r.add_target, r, targets.SqsQueue(q, { max_event_age = cdk.Duration.millis(1500) })))
    end)
  end)

  describe("LambdaFunction", function()
    local ARN = "arn:aws:lambda:us-east-1:123456789012:function:"

    before_each(function()
      stack = cdk.Stack(app, "Pinned", { env = { account = "123456789012", region = "us-east-1" } })
    end)

    it("gives events a permission under the rule (once per function), with DLQ, retries and event", function()
      local s = cdk.Stack(cdk.App(), "Stack", { env = { account = "123456789012", region = "us-east-1" } })
      local fn = lambda.Function.from_function_arn(s, "Fn", ARN .. "f")
      local dlq = sqs.Queue(s, "Dlq")
      local r = events.Rule(s, "R", { rule_name = "every-day", schedule = daily() })
      r:add_target(targets.LambdaFunction(fn, { event = events.RuleTargetInput.from_object({ k = "v" }),
        dead_letter_queue = dlq, retry_attempts = 2 }))
      r:add_target(targets.LambdaFunction(fn))
      r:add_target(nil)
      local attrs = lambda.Function.from_function_attributes(s, "Attrs", { function_arn = ARN .. "g", same_environment = false })
      local skip = lambda.Function.from_function_attributes(s, "Skip", { function_arn = ARN .. "h", skip_permissions = true })
      r:add_target(targets.LambdaFunction(attrs))
      events.Rule(s, "R2", { schedule = events.Schedule.rate(cdk.Duration.minutes(10)), targets = {
        targets.LambdaFunction(skip), targets.LambdaFunction(fn, { max_event_age = cdk.Duration.seconds(120) }) } })
      local R, R2 = E.getatt("RC21A1702"), E.getatt("R2D8F31528")
      assert.same({
        DlqD1FAA4AD = E.queue(),
        DlqPolicyF16811D6 = E.queue_policy("DlqD1FAA4AD", { E.dlq_statement("DlqD1FAA4AD", R, "AllowEventRuleStackR2EDE7755") }),
        RC21A1702 = E.rule {
          Name = "every-day",
          ScheduleExpression = "rate(1 day)",
          State = "ENABLED",
          Targets = {
            { Arn = ARN .. "f", DeadLetterConfig = { Arn = E.getatt("DlqD1FAA4AD") }, Id = "Target0",
              Input = '{"k":"v"}', RetryPolicy = { MaximumRetryAttempts = 2 } },
            { Arn = ARN .. "f", Id = "Target1" },
            { Arn = ARN .. "g", Id = "Target2" },
          },
        },
        RAllowEventRuleStackFnC636521ACE732199 = E.permission(ARN .. "f", R),
        R2D8F31528 = E.rule {
          ScheduleExpression = "rate(10 minutes)",
          State = "ENABLED",
          Targets = {
            { Arn = ARN .. "h", Id = "Target0" },
            { Arn = ARN .. "f", Id = "Target1", RetryPolicy = { MaximumEventAgeInSeconds = 120 } },
          },
        },
        R2AllowEventRuleStackSkip234D9149EF3823AE = E.permission(ARN .. "h", R2),
        R2AllowEventRuleStackFnC636521A60363BA0 = E.permission(ARN .. "f", R2),
      }, s:to_json().Resources)
    end)

    it("refuses an environment-agnostic rule for a function with a concrete ARN, with CDK's message", function()
      local agnostic = cdk.Stack(app, "Agnostic")
      local fn = lambda.Function.from_function_arn(agnostic, "Fn", ARN .. "f")
      assert.equal("You need to provide a concrete account for the source stack when using cross-account or "
        .. "cross-region events",
        error_of(events.Rule, agnostic, "R", { schedule = daily(), targets = { targets.LambdaFunction(fn) } }))
    end)

    it("refuses a function imported from another account, with CDK's message", function()
      local fn = lambda.Function.from_function_arn(stack, "Remote", "arn:aws:lambda:us-east-1:210987654321:function:audit")
      assert.equal("Cannot create a cross-account or cross-region rule for an imported resource (create a stack with "
        .. "the right environment for the imported resource)",
        error_of(events.Rule, stack, "R", { schedule = daily(), targets = { targets.LambdaFunction(fn) } }))
    end)

    it("takes a function and its props", function()
      assert.equal("bad argument #1 to 'LambdaFunction' (Function expected, got Topic)",
        error_of(targets.LambdaFunction, sns.Topic(stack, "T")))
      assert.equal("bad argument #2 to 'LambdaFunction' (unknown property 'message')",
        error_of(targets.LambdaFunction, lambda.Function.from_function_arn(stack, "F", ARN .. "f"), { message = 1 }))
    end)
  end)

  describe("written in Lua", function()
    it("are any value with bind(rule, id) returning the target's configuration", function()
      local role = iam.Role(stack, "Role", { assumed_by = iam.ServicePrincipal("events.amazonaws.com") })
      local r = events.Rule(stack, "R", { event_pattern = { source = { "x" } } })
      local seen
      r:add_target { bind = function(self, rule, id)
        seen = { rule = rule, id = id }
        return { arn = "arn:aws:states:us-east-1:123456789012:stateMachine:sm", id = "Custom", role = role,
          input = events.RuleTargetInput.from_text("hi") }
      end }
      r:add_target { bind = function(_, _, id) return { arn = "arn:x:" .. id } end }
      r:add_target { bind = function()
        return { arn = "arn:y", dead_letter_config = { arn = "arn:dlq" },
          retry_policy = { maximum_retry_attempts = 5, maximum_event_age_in_seconds = 60 },
          sqs_parameters = { message_group_id = "g" }, kinesis_parameters = { partition_key_path = "$.id" } }
      end }
      assert.equal(r, seen.rule)
      assert.equal("Target0", seen.id)
      assert.same({
        { Arn = "arn:aws:states:us-east-1:123456789012:stateMachine:sm", Id = "Custom", Input = '"hi"',
          RoleArn = E.getatt("Role1ABCC5F0") },
        { Arn = "arn:x:Target1", Id = "Target1" },
        { Arn = "arn:y", DeadLetterConfig = { Arn = "arn:dlq" }, Id = "Target2",
          KinesisParameters = { PartitionKeyPath = "$.id" },
          RetryPolicy = { MaximumEventAgeInSeconds = 60, MaximumRetryAttempts = 5 },
          SqsParameters = { MessageGroupId = "g" } },
      }, stack:to_json().Resources.RC21A1702.Properties.Targets)
    end)

    it("can wrap a library target: its bind gives the configuration, input and all", function()
      local q = sqs.Queue(stack, "Q", { fifo = true })
      local dlq = sqs.Queue(stack, "D")
      local r = events.Rule(stack, "R", { schedule = daily() })
      local inner = targets.SqsQueue(q, { message = events.RuleTargetInput.from_object({ a = "b" }), dead_letter_queue = dlq,
        retry_attempts = 2, max_event_age = cdk.Duration.hours(1), message_group_id = "g" })
      r:add_target { bind = function(_, rule, id)
        local cfg = inner:bind(rule, id)
        cfg.id = "Wrapped"
        return cfg
      end }
      local t = stack:to_json().Resources
      assert.same({ { Arn = E.getatt("Q63C6E3AB"), DeadLetterConfig = { Arn = E.getatt("DCB28BBFE") }, Id = "Wrapped",
        Input = '{"a":"b"}', RetryPolicy = { MaximumEventAgeInSeconds = 3600, MaximumRetryAttempts = 2 },
        SqsParameters = { MessageGroupId = "g" } } }, t.RC21A1702.Properties.Targets)
      assert.same(E.queue_policy("Q63C6E3AB", { E.send_statement("Q63C6E3AB", E.getatt("RC21A1702")) }),
        t.QPolicy70C80277)
    end)

    it("have their result checked", function()
      local r = events.Rule(stack, "R", { schedule = daily() })
      local function bad(result) return { bind = function() return result end } end
      local q = sqs.Queue(stack, "Q")
      local cases = {
        { 5, "bad target (bind(rule, id) must return a table, got number)" },
        { {}, "bad target (bind(rule, id) returned field 'arn': required)" },
        { { arn = 5 }, "bad target (bind(rule, id) returned field 'arn': string expected, got number)" },
        { { arn = "a", foo = 1 }, "bad target (bind(rule, id) returned a table: unknown field 'foo')" },
        { { arn = "a", role = q }, "bad target (bind(rule, id) returned field 'role': iam.Role expected, got Queue)" },
        { { arn = "a", input = "x" },
          "bad target (bind(rule, id) returned field 'input': RuleTargetInput expected, got string)" },
        { { arn = "a", retry_policy = { x = 1 } },
          "bad target (bind(rule, id) returned field 'retry_policy': unknown field 'x')" },
        { { arn = "a", sqs_parameters = {} },
          "bad target (bind(rule, id) returned field 'sqs_parameters.message_group_id': required)" },
        { { arn = "a", target_resource = "x" },
          "bad target (bind(rule, id) returned field 'target_resource': construct expected, got string)" },
      }
      for _, c in ipairs(cases) do
        assert.equal(c[2], error_of(r.add_target, r, bad(c[1])))
      end
    end)
  end)
end)
