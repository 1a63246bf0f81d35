-- cdk.Duration: every unit and conversion, CDK's integral-conversion errors, ISO 8601 parsing
-- and printing, human-readable strings, plus/minus and the negative-amount error. Every
-- expected value below is what the reference's Duration gave for the same call.
local cdk = require "cdk"

local D = cdk.Duration

local function err(msg) return { err = msg } end

-- unit, amount, then to_milliseconds, to_seconds, to_minutes, to_hours, to_days (integral by
-- default), to_seconds{integral = false}, to_iso_string, to_human_string, tostring, unit_label
local MATRIX = {
  { "millis", 0, 0, 0, 0, 0, 0, 0, "PT0S", "0 millis", "Duration.millis(0)", "millis" },
  { "millis", 1, 1, err("'1 millis' cannot be converted into a whole number of seconds."), err("'1 millis' cannot be converted into a whole number of minutes."), err("'1 millis' cannot be converted into a whole number of hours."), err("'1 millis' cannot be converted into a whole number of days."), 0.001, "PT0.001S", "1 milli", "Duration.millis(1)", "millis" },
  { "millis", 1.5, 1.5, err("'1.5 millis' cannot be converted into a whole number of seconds."), err("'1.5 millis' cannot be converted into a whole number of minutes."), err("'1.5 millis' cannot be converted into a whole number of hours."), err("'1.5 millis' cannot be converted into a whole number of days."), 0.0015, "PT0.0015S", "1.5 millis", "Duration.millis(1.5)", "millis" },
  { "millis", 90, 90, err("'90 millis' cannot be converted into a whole number of seconds."), err("'90 millis' cannot be converted into a whole number of minutes."), err("'90 millis' cannot be converted into a whole number of hours."), err("'90 millis' cannot be converted into a whole number of days."), 0.09, "PT0.09S", "90 millis", "Duration.millis(90)", "millis" },
  { "millis", 36, 36, err("'36 millis' cannot be converted into a whole number of seconds."), err("'36 millis' cannot be converted into a whole number of minutes."), err("'36 millis' cannot be converted into a whole number of hours."), err("'36 millis' cannot be converted into a whole number of days."), 0.036, "PT0.036S", "36 millis", "Duration.millis(36)", "millis" },
  { "millis", 86400000, 86400000, 86400, 1440, 24, 1, 86400, "P1D", "1 day", "Duration.millis(86400000)", "millis" },
  { "seconds", 0, 0, 0, 0, 0, 0, 0, "PT0S", "0 seconds", "Duration.seconds(0)", "seconds" },
  { "seconds", 1, 1000, 1, err("'1 seconds' cannot be converted into a whole number of minutes."), err("'1 seconds' cannot be converted into a whole number of hours."), err("'1 seconds' cannot be converted into a whole number of days."), 1, "PT1S", "1 second", "Duration.seconds(1)", "seconds" },
  { "seconds", 1.5, 1500, 1.5, err("'1.5 seconds' cannot be converted into a whole number of minutes."), err("'1.5 seconds' cannot be converted into a whole number of hours."), err("'1.5 seconds' cannot be converted into a whole number of days."), 1.5, "PT1.5S", "1 second 500 millis", "Duration.seconds(1.5)", "seconds" },
  { "seconds", 90, 90000, 90, err("'90 seconds' cannot be converted into a whole number of minutes."), err("'90 seconds' cannot be converted into a whole number of hours."), err("'90 seconds' cannot be converted into a whole number of days."), 90, "PT1M30S", "1 minute 30 seconds", "Duration.seconds(90)", "seconds" },
  { "seconds", 36, 36000, 36, err("'36 seconds' cannot be converted into a whole number of minutes."), err("'36 seconds' cannot be converted into a whole number of hours."), err("'36 seconds' cannot be converted into a whole number of days."), 36, "PT36S", "36 seconds", "Duration.seconds(36)", "seconds" },
  { "seconds", 86400000, 86400000000, 86400000, 1440000, 24000, 1000, 86400000, "P1000D", "1000 days", "Duration.seconds(86400000)", "seconds" },
  { "minutes", 0, 0, 0, 0, 0, 0, 0, "PT0S", "0 minutes", "Duration.minutes(0)", "minutes" },
  { "minutes", 1, 60000, 60, 1, err("'1 minutes' cannot be converted into a whole number of hours."), err("'1 minutes' cannot be converted into a whole number of days."), 60, "PT1M", "1 minute", "Duration.minutes(1)", "minutes" },
  { "minutes", 1.5, 90000, 90, 1.5, err("'1.5 minutes' cannot be converted into a whole number of hours."), err("'1.5 minutes' cannot be converted into a whole number of days."), 90, "PT1M30S", "1 minute 30 seconds", "Duration.minutes(1.5)", "minutes" },
  { "minutes", 90, 5400000, 5400, 90, err("'90 minutes' cannot be converted into a whole number of hours."), err("'90 minutes' cannot be converted into a whole number of days."), 5400, "PT1H30M", "1 hour 30 minutes", "Duration.minutes(90)", "minutes" },
  { "minutes", 36, 2160000, 2160, 36, err("'36 minutes' cannot be converted into a whole number of hours."), err("'36 minutes' cannot be converted into a whole number of days."), 2160, "PT36M", "36 minutes", "Duration.minutes(36)", "minutes" },
  { "minutes", 86400000, 5184000000000, 5184000000, 86400000, 1440000, 60000, 5184000000, "P60000D", "60000 days", "Duration.minutes(86400000)", "minutes" },
  { "hours", 0, 0, 0, 0, 0, 0, 0, "PT0S", "0 hours", "Duration.hours(0)", "hours" },
  { "hours", 1, 3600000, 3600, 60, 1, err("'1 hours' cannot be converted into a whole number of days."), 3600, "PT1H", "1 hour", "Duration.hours(1)", "hours" },
  { "hours", 1.5, 5400000, 5400, 90, 1.5, err("'1.5 hours' cannot be converted into a whole number of days."), 5400, "PT1H30M", "1 hour 30 minutes", "Duration.hours(1.5)", "hours" },
  { "hours", 90, 324000000, 324000, 5400, 90, err("'90 hours' cannot be converted into a whole number of days."), 324000, "P3DT18H", "3 days 18 hours", "Duration.hours(90)", "hours" },
  { "hours", 36, 129600000, 129600, 2160, 36, err("'36 hours' cannot be converted into a whole number of days."), 129600, "P1DT12H", "1 day 12 hours", "Duration.hours(36)", "hours" },
  { "hours", 86400000, 311040000000000, 311040000000, 5184000000, 86400000, 3600000, 311040000000, "P3600000D", "3600000 days", "Duration.hours(86400000)", "hours" },
  { "days", 0, 0, 0, 0, 0, 0, 0, "PT0S", "0 days", "Duration.days(0)", "days" },
  { "days", 1, 86400000, 86400, 1440, 24, 1, 86400, "P1D", "1 day", "Duration.days(1)", "days" },
  { "days", 1.5, 129600000, 129600, 2160, 36, 1.5, 129600, "P1DT12H", "1 day 12 hours", "Duration.days(1.5)", "days" },
  { "days", 90, 7776000000, 7776000, 129600, 2160, 90, 7776000, "P90D", "90 days", "Duration.days(90)", "days" },
  { "days", 36, 3110400000, 3110400, 51840, 864, 36, 3110400, "P36D", "36 days", "Duration.days(36)", "days" },
  { "days", 86400000, 7464960000000000, 7464960000000, 124416000000, 2073600000, 86400000, 7464960000000, "P86400000D", "86400000 days", "Duration.days(86400000)", "days" },
}

local function check(want, fn)
  if type(want) == "table" then
    assert.has_error(fn, want.err)
  elseif type(want) == "number" then
    local got = fn()
    assert.is_number(got)
    assert.is_true(math.abs(got - want) <= 1e-12 * math.max(1, math.abs(want)),
      string.format("got %.17g, expected %.17g", got, want))
  else
    assert.equal(want, fn())
  end
end

describe("Duration", function()
  it("converts between every pair of units as CDK does", function()
    for _, row in ipairs(MATRIX) do
      local d = D[row[1]](row[2])
      check(row[3], function() return d:to_milliseconds() end)
      check(row[4], function() return d:to_seconds() end)
      check(row[5], function() return d:to_minutes() end)
      check(row[6], function() return d:to_hours() end)
      check(row[7], function() return d:to_days() end)
      check(row[8], function() return d:to_seconds { integral = false } end)
      check(row[9], function() return d:to_iso_string() end)
      check(row[10], function() return d:to_human_string() end)
      check(row[11], function() return tostring(d) end)
      check(row[12], function() return d.unit_label end)
    end
  end)

  it("gives whole results as Lua integers where Lua has them", function()
    if math.type then
      assert.equal("integer", math.type(D.minutes(90):to_seconds()))
      assert.equal("float", math.type(D.minutes(1.5):to_seconds { integral = false } / 1))
    end
    assert.equal("5400", tostring(D.minutes(90):to_seconds()))
  end)

  it("refuses a fractional result when integral is asked", function()
    assert.has_error(function() D.hours(36):to_days { integral = true } end,
      "'36 hours' cannot be converted into a whole number of days.")
    assert.has_error(function() D.minutes(90):to_hours() end,
      "'90 minutes' cannot be converted into a whole number of hours.")
    assert.has_error(function() D.millis(1500):to_seconds() end,
      "'1500 millis' cannot be converted into a whole number of seconds.")
    assert.equal(1.5, D.hours(36):to_days { integral = false })
    assert.equal(1.5, D.millis(1.5):to_milliseconds())
    assert.equal(86400000000000, D.days(1e6):to_milliseconds())
  end)

  it("refuses negative amounts", function()
    assert.has_error(function() D.seconds(-1) end, "Duration amounts cannot be negative. Received: -1")
    assert.has_error(function() D.seconds(1):minus(D.minutes(1)) end, "Duration amounts cannot be negative. Received: -59")
  end)

  it("adds and subtracts in the finer unit", function()
    assert.equal("Duration.seconds(90)", tostring(D.minutes(1):plus(D.seconds(30))))
    assert.equal("1 day 1 hour", D.days(1):plus(D.hours(1)):to_human_string())
    assert.equal("millis", D.millis(1):plus(D.days(1)).unit_label)
    assert.equal("Duration.seconds(30)", tostring(D.minutes(1):minus(D.seconds(30))))
  end)

  it("prints ISO 8601 and human strings", function()
    assert.equal("1 hour 2 minutes", D.millis(3723004):to_human_string())
    assert.equal("1 hour 1 minute", D.seconds(3661):to_human_string())
    assert.equal("1 day 12 hours", D.days(1.5):to_human_string())
    assert.equal("30 seconds", D.minutes(0.5):to_human_string())
    assert.equal("PT1H2M3.004S", D.millis(3723004):to_iso_string())
    assert.equal("PT0.5S", D.seconds(0.5):to_iso_string())
    assert.equal("P1DT12H", D.days(1.5):to_iso_string())
    assert.equal("PT1H30M", D.minutes(90):to_iso_string())
  end)

  it("keeps a token amount in its own unit and refuses to convert it (CDK's messages)", function()
    local function tok() return cdk.Lazy.number { produce = function() return 3 end } end
    assert.is_true(cdk.Token.is_unresolved(D.days(tok()):to_days()))
    assert.is_true(cdk.Token.is_unresolved(D.millis(tok()):to_milliseconds()))
    assert.equal("<token> days", D.days(tok()):to_human_string())
    local msg = "Duration must be specified as 'Duration.%s()' here since its value comes from a token and "
      .. "cannot be converted (got Duration.%s)"
    assert.has_error(function() D.days(tok()):to_hours { integral = false } end, msg:format("hours", "days"))
    assert.has_error(function() D.millis(tok()):to_seconds() end, msg:format("seconds", "millis"))
    -- the ISO form converts to millis, then the millis to days
    assert.has_error(function() D.days(tok()):to_iso_string() end, msg:format("millis", "days"))
    assert.has_error(function() D.millis(tok()):to_iso_string() end, msg:format("days", "millis"))
  end)

  it("parses ISO 8601 durations of days, hours, minutes and seconds", function()
    assert.equal(90, D.parse("PT1H30M"):to_minutes())
    assert.equal("P2D", D.parse("P2D"):to_iso_string())
    assert.equal("0 millis", D.parse("PT0S"):to_human_string())
    for _, bad in ipairs({ "1 hour", "P1Y", "P", "P1W", "P1DT2H3M4.5S" }) do
      assert.has_error(function() D.parse(bad) end, "Not a valid ISO duration: " .. bad)
    end
  end)

  it("compares by amount and unit", function()
    assert.equal(D.minutes(1), D.minutes(1))
    assert.are_not.equal(D.minutes(1), D.seconds(60))
    assert.equal(1.5, D.days(1.5).amount)
  end)

  it("checks its arguments (Lua-specific)", function()
    assert.has_error(function() D.seconds("1") end, "bad argument #1 to 'Duration.seconds' (number expected, got string)")
    assert.has_error(function() D.seconds(0 / 0) end, "bad argument #1 to 'Duration.seconds' (number must be finite, got "
      .. tostring(0 / 0) .. ")")
    assert.has_error(function() D.seconds(1):plus(1) end, "bad argument #1 to 'plus' (Duration expected, got number)")
    assert.has_error(function() D.seconds(1):to_days { integer = true } end,
      "bad argument #1 to 'to_days' (unknown property 'integer')")
    assert.has_error(function() D.seconds(1):to_days { integral = 1 } end,
      "bad argument #1 to 'to_days' (field 'integral': boolean expected, got number)")
    assert.has_error(function() D.parse(1) end, "bad argument #1 to 'Duration.parse' (string expected, got number)")
  end)
end)
