-- Targets in another account or region than their rule, as the AWS CDK v1 (1.204.0) makes them:
-- the rule targets the default event bus of the target's environment (once per environment);
-- another region needs the rule's EventsRole, another account an "EventBusPolicy-..." support
-- stack that the rule's stack depends on; a mirror rule in the target's stack, with the same
-- pattern and schedule, has the real target. CDK's errors for agnostic stacks and imports. The
-- whole templates are pinned by the golden programs (xenv-*); this spec states the parts.
local cdk = require "cdk"
local events = require "cdk.events"
local targets = require "cdk.events_targets"
local sns = require "cdk.sns"
local sqs = require "cdk.sqs"
local lambda = require "cdk.lambda"
local h = require "support.helpers"
local E = require "support.events"

local function error_of(fn, ...)
  return (h.error_of(fn, ...):gsub("^[^\n:]+%.lua:%d+: ", ""))
end

local function bus(region, account)
  return E.join("arn:", E.ref("AWS::Partition"), ":events:" .. region .. ":" .. account .. ":event-bus/default")
end

local function env(account, region) return { env = { account = account, region = region } } end

describe("a target in another environment", function()
  local dir, app

  before_each(function()
    dir = h.tmppath(".out")
    app = cdk.App { outdir = dir }
  end)

  after_each(function() h.rmtree(dir) end)

  local function synth()
    app:synth()
    local stacks, manifest = h.read_assembly(dir)
    local t = {}
    for _, s in ipairs(stacks) do t[s.artifact] = s.template end
    return t, manifest, stacks
  end

  it("in another account: the bus, a support stack with the bus policy, a mirror rule", function()
    local src = cdk.Stack(app, "Src", env("111111111111", "us-east-1"))
    local dst = cdk.Stack(app, "Dst", env("222222222222", "us-east-1"))
    local topic = sns.Topic(dst, "Topic")
    -- the statement id ends with the rule's node.addr (SHA-1 of its path)
    events.Rule(src, "Rule", { description = "d", event_pattern = { source = { "my.app" } },
      targets = { targets.SnsTopic(topic) } })
    local t, manifest, stacks = synth()
    assert.same(E.rule { Description = "d", EventPattern = { source = { "my.app" } }, State = "ENABLED",
      Targets = { { Arn = bus("us-east-1", "222222222222"), Id = "Target0" } } }, t.Src.Resources.Rule4C995B7F)
    assert.same(E.rule { Description = "d", EventPattern = { source = { "my.app" } }, State = "ENABLED",
      Targets = { { Arn = E.ref("TopicBFC7AF6E"), Id = "Target0" } } },
      t.Dst.Resources.SrcRule8D7A60FATarget0125BF5E9)
    assert.same(E.topic_policy("TopicBFC7AF6E", { E.publish_statement("TopicBFC7AF6E") }), t.Dst.Resources.TopicPolicyA1747468)
    local policy_stack = "Dst-EventBusPolicy-support-us-east-1-111111111111"
    assert.same({ GivePermToOtherAccount = { Type = "AWS::Events::EventBusPolicy", Properties = {
      StatementId = "Allow-account-111111111111-c86e8a539dec14ec93dcbe3621d3da01655c9a165f", Action = "events:PutEvents",
      Principal = "111111111111" } } }, t[policy_stack].Resources)
    assert.same({ policy_stack }, manifest.artifacts.Src.dependencies)
    assert.equal("aws://222222222222/us-east-1", manifest.artifacts[policy_stack].environment)
    local order = {}
    for i, s in ipairs(stacks) do order[i] = s.artifact end
    assert.same({ "Dst", policy_stack, "Src" }, order)
  end)

  it("in another region: the bus with the rule's EventsRole allowed to put events on it", function()
    local src = cdk.Stack(app, "Src", env("111111111111", "us-east-1"))
    local dst = cdk.Stack(app, "Dst", env("111111111111", "eu-west-1"))
    local fn = lambda.Function.from_function_arn(dst, "Fn", "arn:aws:lambda:eu-west-1:111111111111:function:f")
    local q = sqs.Queue(dst, "Q")
    local rule = events.Rule(src, "Rule", { rule_name = "r", schedule = events.Schedule.rate(cdk.Duration.hours(1)) })
    rule:add_target(targets.LambdaFunction(fn))
    rule:add_target(targets.SqsQueue(q))
    local t, manifest = synth()
    local r = t.Src.Resources
    assert.same({ { Arn = bus("eu-west-1", "111111111111"), Id = "Target0", RoleArn = E.getatt("RuleEventsRoleC51A4248") } },
      r.Rule4C995B7F.Properties.Targets)
    assert.same({ { Action = "events:PutEvents", Effect = "Allow", Resource = bus("eu-west-1", "111111111111") } },
      r.RuleEventsRoleDefaultPolicy0510525D.Properties.PolicyDocument.Statement)
    assert.same(E.permission("arn:aws:lambda:eu-west-1:111111111111:function:f", E.getatt("Rule4C995B7F")),
      r.RuleAllowEventRuleDstFn14CCEC816F977B59)
    -- one mirror rule per target, each with its permission or queue statement
    local d = t.Dst.Resources
    assert.same(E.rule { ScheduleExpression = "rate(1 hour)", State = "ENABLED",
      Targets = { { Arn = "arn:aws:lambda:eu-west-1:111111111111:function:f", Id = "Target0" } } },
      d.SrcRule8D7A60FATarget0125BF5E9)
    assert.same(E.rule { ScheduleExpression = "rate(1 hour)", State = "ENABLED",
      Targets = { { Arn = E.getatt("Q63C6E3AB"), Id = "Target0" } } }, d.SrcRule8D7A60FATarget10F55B1D8)
    assert.same(E.permission("arn:aws:lambda:eu-west-1:111111111111:function:f", E.getatt("SrcRule8D7A60FATarget0125BF5E9")),
      d.SrcRule8D7A60FATarget0AllowEventRuleDstFn14CCEC8148C29091)
    assert.same(E.queue_policy("Q63C6E3AB", {
      E.send_statement("Q63C6E3AB", E.join("arn:", E.ref("AWS::Partition"), ":events:us-east-1:111111111111:rule/r")),
      E.send_statement("Q63C6E3AB", E.getatt("SrcRule8D7A60FATarget10F55B1D8")),
    }), d.QPolicy70C80277)
    assert.is_nil(manifest.artifacts.Src.dependencies)
  end)

  it("mirrors the pattern as it is at synthesis", function()
    local src = cdk.Stack(app, "Src", env("111111111111", "us-east-1"))
    local dst = cdk.Stack(app, "Dst", env("222222222222", "us-east-1"))
    local rule = events.Rule(src, "Rule", { event_pattern = { source = { "a" } } })
    rule:add_target(targets.SnsTopic(sns.Topic(dst, "Topic")))
    rule:add_event_pattern { source = { "b" }, detail_type = { "x" } }
    local t = synth()
    assert.same({ source = { "a", "b" }, ["detail-type"] = { "x" } },
      t.Dst.Resources.SrcRule8D7A60FATarget0125BF5E9.Properties.EventPattern)
  end)

  it("an imported queue takes its stack's environment, so it is targeted directly", function()
    local src = cdk.Stack(app, "Src", env("111111111111", "us-east-1"))
    local q = sqs.Queue.from_queue_arn(src, "Q", "arn:aws:sqs:us-east-1:222222222222:q")
    events.Rule(src, "Rule", { schedule = events.Schedule.rate(cdk.Duration.days(1)), targets = { targets.SqsQueue(q) } })
    local t = synth()
    assert.same({ { Arn = "arn:aws:sqs:us-east-1:222222222222:q", Id = "Target0" } },
      t.Src.Resources.Rule4C995B7F.Properties.Targets)
  end)

  describe("errors", function()
    local n = 0
    local function rule_to(src, target)
      n = n + 1
      return error_of(events.Rule, src, "Rule" .. n, { schedule = events.Schedule.rate(cdk.Duration.days(1)),
        targets = { target } })
    end

    it("need concrete environments, with CDK's messages", function()
      local src = cdk.Stack(app, "Src", env("111111111111", "us-east-1"))
      assert.equal("You need to provide a concrete account for the target stack when using cross-account or "
        .. "cross-region events", rule_to(src, targets.SnsTopic(sns.Topic(cdk.Stack(app, "A"), "T"))))
      assert.equal("You need to provide a concrete region for the target stack when using cross-account or "
        .. "cross-region events",
        rule_to(src, targets.SnsTopic(sns.Topic(cdk.Stack(app, "B", { env = { account = "2" } }), "T"))))
      assert.equal("You need to provide a concrete account for the source stack when using cross-account or "
        .. "cross-region events",
        rule_to(cdk.Stack(app, "C"), targets.SnsTopic(sns.Topic(cdk.Stack(app, "D", env("2", "us-east-1")), "T"))))
    end)

    it("need the target in the same App, with CDK's message", function()
      local src = cdk.Stack(app, "Src", env("111111111111", "us-east-1"))
      local elsewhere = cdk.Stack(cdk.App(), "Other", env("222222222222", "us-east-1"))
      assert.equal("Event stack and target stack must belong to the same CDK app",
        rule_to(src, { bind = function() return { arn = "arn:x", target_resource = elsewhere } end }))
      local other_app = cdk.App()
      local topic_target = targets.SnsTopic(sns.Topic(cdk.Stack(other_app, "Topics"), "T"))
      assert.equal("Event stack and target stack must belong to the same CDK app", rule_to(src, topic_target))
      other_app:close()
      assert.equal("attempt to use a target of a closed App", rule_to(src, topic_target))
    end)

    it("cannot mirror a rule for a resource imported from another environment, with CDK's message", function()
      local src = cdk.Stack(app, "Src", env("111111111111", "us-east-1"))
      local fn = lambda.Function.from_function_arn(src, "Fn", "arn:aws:lambda:us-east-1:210987654321:function:f")
      assert.equal("Cannot create a cross-account or cross-region rule for an imported resource (create a stack "
        .. "with the right environment for the imported resource)", rule_to(src, targets.LambdaFunction(fn)))
    end)
  end)
end)
