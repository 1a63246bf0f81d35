-- events.Rule: props, the event pattern with CDK's merging (lists concatenated without
-- duplicates, objects merged, keys in the order first met), rule_arn and rule_name, targets and
-- their automatic ids, validation and CDK's errors, pinned against what the AWS CDK v1 (1.204.0)
-- synthesizes for the same programs.
local cdk = require "cdk"
local events = require "cdk.events"
local h = require "support.helpers"
local json = require "support.json"

-- The message without its "file:line: " position.
local function error_of(fn, ...)
  return (h.error_of(fn, ...):gsub("^[^\n:]+%.lua:%d+: ", ""))
end

local function rule(props)
  return { Type = "AWS::Events::Rule", Properties = props }
end

local DAILY = events.Schedule.rate(cdk.Duration.days(1))

describe("events.Rule", function()
  local app, stack

  before_each(function()
    app = cdk.App()
    stack = cdk.Stack(app, "Stack")
  end)

  it("with a schedule only is an enabled rule", function()
    events.Rule(stack, "R", { schedule = DAILY })
    assert.same({ Resources = { RC21A1702 = rule { ScheduleExpression = "rate(1 day)", State = "ENABLED" } } },
      stack:to_json())
  end)

  it("takes rule_name, description, enabled, schedule and every event pattern field", function()
    events.Rule(stack, "Nightly", {
      rule_name = "nightly", description = "every night", enabled = false,
      schedule = events.Schedule.cron { minute = "0", hour = "4" },
      event_pattern = {
        version = { "0" }, id = { "i" }, detail_type = { "A" }, source = { "aws.ecr" },
        account = { "123456789012" }, time = { "t" }, region = { "us-east-1" }, resources = { "r1" },
        detail = { a = { "1" }, b = { c = { 2 } } },
      },
    })
    events.Rule(stack, "On", { enabled = true, event_pattern = { source = { "x" } } })
    assert.same({
      Resources = {
        NightlyC44EE0A7 = rule {
          Description = "every night",
          EventPattern = {
            version = { "0" }, id = { "i" }, ["detail-type"] = { "A" }, source = { "aws.ecr" },
            account = { "123456789012" }, time = { "t" }, region = { "us-east-1" }, resources = { "r1" },
            detail = { a = { "1" }, b = { c = { 2 } } },
          },
          Name = "nightly",
          ScheduleExpression = "cron(0 4 * * ? *)",
          State = "DISABLED",
        },
        On52B46D8D = rule { EventPattern = { source = { "x" } }, State = "ENABLED" },
      },
    }, stack:to_json())
  end)

  it("writes the pattern's fields in EventPattern's order, detail-type renamed", function()
    local t = h.synth(function(a, c)
      events.Rule(c.Stack(a, "Stack"), "R", { event_pattern = {
        detail = { z = { 1 } }, resources = { "r" }, source = { "s" }, detail_type = { "d" }, version = { "0" },
      } })
    end)
    assert.same({ "version", "detail-type", "source", "resources", "detail" },
      json.keys(t.Stack.Resources.RC21A1702.Properties.EventPattern))
  end)

  it("has rule_arn and rule_name, literal for a named rule in its own stack only as CDK", function()
    local a = events.Rule(stack, "A", { schedule = DAILY })
    local b = events.Rule(stack, "B", { rule_name = "named", schedule = DAILY })
    cdk.CfnOutput(stack, "AArn", { value = a.rule_arn })
    cdk.CfnOutput(stack, "AName", { value = a.rule_name })
    cdk.CfnOutput(stack, "BArn", { value = b.rule_arn })
    cdk.CfnOutput(stack, "BName", { value = b.rule_name })
    assert.same({
      AArn = { Value = { ["Fn::GetAtt"] = { "ACCC8ACD5", "Arn" } } },
      AName = { Value = { Ref = "ACCC8ACD5" } },
      BArn = { Value = { ["Fn::GetAtt"] = { "B08E7C7AF", "Arn" } } },
      BName = { Value = { Ref = "B08E7C7AF" } },
    }, stack:to_json().Outputs)
  end)

  describe("add_event_pattern", function()
    it("merges as CDK: lists concatenated without duplicates, objects field by field", function()
      local r = events.Rule(stack, "R", { event_pattern = { resources = { "r1" },
        detail = { hello = { 1 }, nested = { a = { "x" } } } } })
      r:add_event_pattern { resources = { "r2", "r1" },
        detail = { foo = { "bar" }, hello = { "1", 1, 2 }, nested = { b = { "y" }, a = { "x", "z" } } } }
      r:add_event_pattern { detail_type = { "d" }, source = { "s" } }
      r:add_event_pattern(nil)
      r:add_event_pattern { detail = { obj = { { prefix = "a" } } } }
      r:add_event_pattern { detail = { obj = { { prefix = "a" }, { prefix = "b" } } } }
      assert.same(rule {
        EventPattern = {
          resources = { "r1", "r2" },
          detail = {
            hello = { 1, "1", 2 },
            nested = { a = { "x", "z" }, b = { "y" } },
            foo = { "bar" },
            obj = { { prefix = "a" }, { prefix = "b" } },
          },
          source = { "s" },
          ["detail-type"] = { "d" },
        },
        State = "ENABLED",
      }, stack:to_json().Resources.RC21A1702)
    end)

    it("keeps the keys in the order first met", function()
      local t = h.synth(function(a, c)
        local r = events.Rule(c.Stack(a, "Stack"), "R", { event_pattern = { resources = { "r1" },
          detail = { hello = { 1 }, nested = { a = { "x" } } } } })
        r:add_event_pattern { resources = { "r2" }, detail = { foo = { "bar" }, nested = { b = { "y" }, a = { "z" } } } }
        r:add_event_pattern { detail_type = { "d" }, source = { "s" } }
      end)
      local pattern = t.Stack.Resources.RC21A1702.Properties.EventPattern
      assert.same({ "resources", "detail", "detail-type", "source" }, json.keys(pattern))
      assert.same({ "hello", "nested", "foo" }, json.keys(pattern.detail))
      assert.same({ "a", "b" }, json.keys(pattern.detail.nested))
    end)

    it("takes a field as it is the first time (nested values unchecked), an empty detail too", function()
      events.Rule(stack, "R", { event_pattern = { detail = { a = { b = "c", d = 1 } } } })
      events.Rule(stack, "E", { event_pattern = { detail = {} } })
      local t = stack:to_json()
      assert.same(rule { EventPattern = { detail = { a = { b = "c", d = 1 } } }, State = "ENABLED" },
        t.Resources.RC21A1702)
      assert.same(rule { EventPattern = { detail = {} }, State = "ENABLED" }, t.Resources.E80549084)
    end)

    it("takes {} as the empty list for a list field", function()
      -- the reference: new events.Rule(stack, 'R', { eventPattern: { source: [], account: ['1'] } })
      local dir = h.tmppath(".out")
      local a = cdk.App { outdir = dir }
      events.Rule(cdk.Stack(a, "Stack"), "R", { event_pattern = { source = {}, account = { "1" } } })
      a:synth()
      local stacks = h.read_assembly(dir)
      h.rmtree(dir)
      assert.equal('{\n "Resources": {\n  "RC21A1702": {\n   "Type": "AWS::Events::Rule",\n   "Properties": {\n'
        .. '    "EventPattern": {\n     "source": [],\n     "account": [\n      "1"\n     ]\n    },\n'
        .. '    "State": "ENABLED"\n   }\n  }\n }\n}', stacks[1].text)
    end)

    it("refuses a list merged with an object, and the reverse, with CDK's message", function()
      local r = events.Rule(stack, "R", { event_pattern = { detail = { a = { "x" } } } })
      assert.equal('Invalid event pattern field a. Type mismatch between existing pattern ["x"] and added '
        .. 'pattern {"b":["y"]}', error_of(r.add_event_pattern, r, { detail = { a = { b = { "y" } } } }))
      local r2 = events.Rule(stack, "R2", { event_pattern = { detail = { a = { b = { "y" } } } } })
      assert.equal('Invalid event pattern field a. Type mismatch between existing pattern {"b":["y"]} and '
        .. 'added pattern ["x"]', error_of(r2.add_event_pattern, r2, { detail = { a = { "x" } } }))
    end)

    it("refuses a scalar merged into an existing object, with CDK's message", function()
      local r = events.Rule(stack, "R", { event_pattern = { detail = { a = { "x" } } } })
      assert.equal('Invalid event pattern field { a: "y" }. All fields must be arrays',
        error_of(r.add_event_pattern, r, { detail = { a = "y" } }))
      local r2 = events.Rule(stack, "R2", { event_pattern = { detail = { a = { b = { "c" } } } } })
      assert.equal("Invalid event pattern field { b: 5 }. All fields must be arrays",
        error_of(r2.add_event_pattern, r2, { detail = { a = { b = 5 } } }))
    end)

    it("checks the fields' types and names", function()
      local r = events.Rule(stack, "R", { schedule = DAILY })
      assert.equal("bad argument #1 to 'add_event_pattern' (field 'detail': table expected, got string)",
        error_of(r.add_event_pattern, r, { detail = "x" }))
      assert.equal("bad argument #1 to 'add_event_pattern' (field 'source': list expected, got string)",
        error_of(r.add_event_pattern, r, { source = "x" }))
      assert.equal("bad argument #1 to 'add_event_pattern' (unknown event pattern field 'detailType')",
        error_of(r.add_event_pattern, r, { detailType = { "x" } }))
      assert.equal("bad argument #1 to 'add_event_pattern' (event pattern table expected, got number)",
        error_of(r.add_event_pattern, r, 5))
    end)
  end)

  describe("targets", function()
    local function target(arn, id)
      return { bind = function() return { arn = arn, id = id } end }
    end

    it("get ids Target0, Target1, ... in the order added; nil is ignored", function()
      local seen = {}
      local function t(arn)
        return { bind = function(_, r, id) seen[#seen + 1] = id; return { arn = arn } end }
      end
      local r = events.Rule(stack, "R", { schedule = DAILY, targets = { t("arn:a"), t("arn:b") } })
      r:add_target(nil)
      r:add_target(t("arn:c"))
      r:add_target(target("arn:d", "Mine"))
      assert.same({ "Target0", "Target1", "Target2" }, seen)
      assert.same({
        { Arn = "arn:a", Id = "Target0" }, { Arn = "arn:b", Id = "Target1" },
        { Arn = "arn:c", Id = "Target2" }, { Arn = "arn:d", Id = "Mine" },
      }, stack:to_json().Resources.RC21A1702.Properties.Targets)
    end)

    it("with an empty id get the automatic one, as CDK's `id || autoGeneratedId`", function()
      -- the reference: r.addTarget({ bind: () => ({ arn: 'arn:a', id: '' }) }) twice, then id 'X'
      local r = events.Rule(stack, "R", { schedule = DAILY })
      r:add_target(target("arn:a", ""))
      r:add_target(target("arn:b", ""))
      r:add_target(target("arn:c", "X"))
      assert.same({ { Arn = "arn:a", Id = "Target0" }, { Arn = "arn:b", Id = "Target1" }, { Arn = "arn:c", Id = "X" } },
        stack:to_json().Resources.RC21A1702.Properties.Targets)
    end)

    it("name the bad one", function()
      assert.equal("bad argument #3 to 'Rule' (field 'targets[2]': event target expected, got number)",
        error_of(events.Rule, stack, "R", { schedule = DAILY, targets = { target("arn:a"), 42 } }))
      local r = events.Rule(stack, "R2", { schedule = DAILY })
      assert.equal("bad argument #1 to 'add_target' (event target (a value with a bind method) expected, got table)",
        error_of(r.add_target, r, {}))
    end)
  end)

  describe("errors", function()
    it("a rule without pattern or schedule fails validation at synth", function()
      events.Rule(stack, "Empty")
      events.Rule(stack, "NoFields", { event_pattern = {} })
      events.Rule(stack, "EmptyExpression", { schedule = events.Schedule.expression("") })
      assert.equal("Validation failed with the following errors:\n  [Stack/Empty] Either 'event_pattern' or "
        .. "'schedule' must be defined\n  [Stack/NoFields] Either 'event_pattern' or 'schedule' must be defined"
        .. "\n  [Stack/EmptyExpression] Either 'event_pattern' or 'schedule' must be defined",
        error_of(stack.to_json, stack))
    end)

    it("an empty schedule expression is written, but a mirror rule in another account has none, as CDK", function()
      local source = cdk.Stack(app, "Source", { env = { account = "111111111111", region = "us-east-1" } })
      local other = cdk.Stack(app, "Other", { env = { account = "222222222222", region = "us-east-1" } })
      local topic = require("cdk.sns").Topic(other, "T")
      events.Rule(source, "R", { rule_name = "r", schedule = events.Schedule.expression(""),
        event_pattern = { source = { "x" } }, targets = { require("cdk.events_targets").SnsTopic(topic) } })
      assert.equal("", source:to_json().Resources.RC21A1702.Properties.ScheduleExpression)
      local mirror
      for _, res in pairs(other:to_json().Resources) do
        if res.Type == "AWS::Events::Rule" then mirror = res end
      end
      assert.same({ source = { "x" } }, mirror.Properties.EventPattern)
      assert.is_nil(mirror.Properties.ScheduleExpression)
    end)

    it("wrong props are named", function()
      assert.equal("bad argument #3 to 'Rule' (field 'schedule': Schedule expected, got string)",
        error_of(events.Rule, stack, "A", { schedule = "rate(1 day)" }))
      assert.equal("bad argument #3 to 'Rule' (field 'enabled': boolean expected, got string)",
        error_of(events.Rule, stack, "B", { enabled = "yes" }))
      assert.equal("bad argument #3 to 'Rule' (field 'targets': list of targets expected, got string)",
        error_of(events.Rule, stack, "C", { targets = "x" }))
      assert.equal("bad argument #3 to 'Rule' (unknown property 'rule_nam')",
        error_of(events.Rule, stack, "D", { rule_nam = "x" }))
      assert.equal("bad argument #3 to 'Rule' (field 'event_pattern': unknown event pattern field 'sauce')",
        error_of(events.Rule, stack, "E", { event_pattern = { sauce = { "x" } } }))
      assert.equal("bad argument #3 to 'Rule' (field 'rule_name': string expected, got number)",
        error_of(events.Rule, stack, "F", { rule_name = 5 }))
    end)
  end)
end)
