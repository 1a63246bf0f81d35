-- events.Schedule: rate (the largest whole unit, CDK's singular for 1, token amounts), cron (CDK's
-- defaults for day and week_day), expression; CDK's errors; the warning a cron without minute
-- leaves on its rule. Expected strings and messages are the AWS CDK v1's (1.204.0).
local cdk = require "cdk"
local events = require "cdk.events"
local h = require "support.helpers"

local S, D = events.Schedule, cdk.Duration

local function error_of(fn, ...)
  return (h.error_of(fn, ...):gsub("^[^\n:]+%.lua:%d+: ", ""))
end

describe("events.Schedule", function()
  it("rate picks the largest whole unit, singular for 1", function()
    local cases = {
      { D.minutes(1), "rate(1 minute)" }, { D.minutes(5), "rate(5 minutes)" }, { D.hours(1), "rate(1 hour)" },
      { D.hours(2), "rate(2 hours)" }, { D.days(1), "rate(1 day)" }, { D.days(7), "rate(7 days)" },
      { D.minutes(60), "rate(1 hour)" }, { D.minutes(1440), "rate(1 day)" }, { D.hours(24), "rate(1 day)" },
      { D.seconds(60), "rate(1 minute)" }, { D.seconds(120), "rate(2 minutes)" },
      { D.millis(60000), "rate(1 minute)" }, { D.hours(36), "rate(36 hours)" },
    }
    for _, c in ipairs(cases) do
      assert.equal(c[2], S.rate(c[1]).expression_string)
    end
  end)

  it("rate of a token amount keeps the unit", function()
    local app = cdk.App()
    local stack = cdk.Stack(app, "Stack")
    local every = cdk.CfnParameter(stack, "Every", { type = "Number" })
    local r1 = events.Rule(stack, "R1", { schedule = S.rate(D.minutes(every.value_as_number)) })
    local r2 = events.Rule(stack, "R2", { schedule = S.rate(D.days(every.value_as_number)) })
    local r3 = events.Rule(stack, "R3", { schedule = S.rate(D.hours(every.value_as_number)) })
    local t = stack:to_json().Resources
    local function join(unit) return { ["Fn::Join"] = { "", { "rate(", { Ref = "Every" }, " " .. unit .. ")" } } } end
    assert.same(join("minutes"), t[stack:get_logical_id(r1.node.default_child)].Properties.ScheduleExpression)
    assert.same(join("days"), t[stack:get_logical_id(r2.node.default_child)].Properties.ScheduleExpression)
    assert.same(join("hours"), t[stack:get_logical_id(r3.node.default_child)].Properties.ScheduleExpression)
  end)

  it("cron defaults every field to *, and day or week_day to ?", function()
    assert.equal("cron(* * * * ? *)", S.cron({}).expression_string)
    assert.equal("cron(* * ? * MON *)", S.cron({ week_day = "MON" }).expression_string)
    assert.equal("cron(* * 1 * ? *)", S.cron({ day = "1" }).expression_string)
    assert.equal("cron(0 12 L */2 ? 2030)",
      S.cron({ minute = "0", hour = "12", day = "L", month = "*/2", year = "2030" }).expression_string)
    assert.equal("cron(15 8 ? JAN MON-FRI *)",
      S.cron({ minute = "15", week_day = "MON-FRI", hour = "8", month = "JAN" }).expression_string)
  end)

  it("expression is taken as it is", function()
    assert.equal("rate(10 minutes)", S.expression("rate(10 minutes)").expression_string)
    assert.equal("cron(0 18 ? * MON-FRI *)", S.expression("cron(0 18 ? * MON-FRI *)").expression_string)
    assert.equal("Schedule(rate(10 minutes))", tostring(S.expression("rate(10 minutes)")))
  end)

  it("a cron without minute warns on its rule, as CDK (in the manifest)", function()
    local dir = h.tmppath(".out")
    local app = cdk.App { outdir = dir }
    local stack = cdk.Stack(app, "Stack")
    events.Rule(stack, "Hourly", { schedule = S.cron { hour = "4" } })
    events.Rule(stack, "Minute", { schedule = S.cron { minute = "0", hour = "4" } })
    events.Rule(stack, "Empty", { schedule = S.cron { minute = "" } })
    app:synth()
    local _, manifest = h.read_assembly(dir)
    h.rmtree(dir)
    local md = manifest.artifacts.Stack.metadata
    local warning = "cron: If you don't pass 'minute', by default the event runs every minute. Pass "
      .. "'minute: '*'' if that's what you intend, or 'minute: 0' to run once per hour instead."
    assert.same({ { type = "aws:cdk:warning", data = warning } }, md["/Stack/Hourly"])
    assert.same({ { type = "aws:cdk:warning", data = warning } }, md["/Stack/Empty"])
    assert.is_nil(md["/Stack/Minute"])
  end)

  describe("errors", function()
    it("are CDK's", function()
      assert.equal("Duration cannot be 0", error_of(S.rate, D.minutes(0)))
      assert.equal("'90 seconds' cannot be converted into a whole number of minutes.", error_of(S.rate, D.seconds(90)))
      assert.equal("'100 millis' cannot be converted into a whole number of seconds.", error_of(S.rate, D.millis(100)))
      assert.equal("'1500 millis' cannot be converted into a whole number of seconds.", error_of(S.rate, D.millis(1500)))
      assert.equal("Allowed units for scheduling are: 'minute', 'minutes', 'hour', 'hours', 'day', 'days'",
        error_of(S.rate, D.seconds(cdk.Lazy.number { produce = function() return 5 end })))
      assert.equal("Cannot supply both 'day' and 'week_day', use at most one",
        error_of(S.cron, { day = "1", week_day = "MON" }))
    end)

    it("name the bad argument", function()
      assert.equal("bad argument #1 to 'Schedule.rate' (Duration expected, got number)", error_of(S.rate, 5))
      assert.equal("bad argument #1 to 'Schedule.cron' (field 'minute': string expected, got number)",
        error_of(S.cron, { minute = 5 }))
      assert.equal("bad argument #1 to 'Schedule.cron' (unknown property 'minutes')", error_of(S.cron, { minutes = "5" }))
      assert.equal("bad argument #1 to 'Schedule.expression' (string expected, got number)", error_of(S.expression, 5))
    end)
  end)
end)
