-- Argument checking (Lua-specific): a wrong type names the argument number and the props field
-- path with the expected type, unknown props fields are errors, bad strings and numbers are
-- refused, and every error points at the caller's line.
local cdk = require "cdk"

local app, stack
before_each(function()
  app = cdk.App()
  stack = cdk.Stack(app, "S0")
end)
after_each(function()
  app:close()
end)

describe("argument errors", function()
  it("name the argument and the expected type", function()
    assert.has_error(function() cdk.Stack(app, 1) end, "bad argument #2 to 'Stack' (string expected, got number)")
    assert.has_error(function() cdk.Stack("x", "S") end,
      "bad argument #1 to 'Stack' (scope (an App or a construct) expected, got string)")
    assert.has_error(function() cdk.Stack(app, "S", "x") end, "bad argument #3 to 'Stack' (table expected, got string)")
    assert.has_error(function() cdk.Construct(stack, {}) end, "bad argument #2 to 'Construct' (string expected, got table)")
  end)

  it("name the props field, nested fields with their path", function()
    assert.has_error(function() cdk.Stack(app, "S", { stack_name = 1 }) end,
      "bad argument #3 to 'Stack' (field 'stack_name': string expected, got number)")
    assert.has_error(function() cdk.Stack(app, "S", { termination_protection = "yes" }) end,
      "bad argument #3 to 'Stack' (field 'termination_protection': boolean expected, got string)")
    assert.has_error(function() cdk.Stack(app, "S", { tags = { a = 1 } }) end,
      "bad argument #3 to 'Stack' (field 'tags.a': string expected, got number)")
    assert.has_error(function()
      cdk.CfnResource(stack, "Rr", { type = "A::B", properties = { A = { B = { true, print } } } })
    end, "bad argument #3 to 'CfnResource' (field 'properties.A.B[2]': string, number, boolean or table expected, got function)")
    assert.has_error(function() cdk.App { outdir = 1 } end, "bad argument #1 to 'App' (field 'outdir': string expected, got number)")
    assert.has_error(function() cdk.App { context = { a = print } } end,
      "bad argument #1 to 'App' (field 'context.a': string, number, boolean or table expected, got function)")
  end)

  it("refuse unknown props fields", function()
    assert.has_error(function() cdk.Stack(app, "S", { stackName = "x" }) end,
      "bad argument #3 to 'Stack' (unknown property 'stackName')")
    assert.has_error(function() cdk.App { out_dir = "x" } end, "bad argument #1 to 'App' (unknown property 'out_dir')")
    assert.has_error(function() cdk.Stack(app, "S", { [1] = "x" }) end,
      "bad argument #3 to 'Stack' (property names must be strings, got number)")
  end)

  it("refuse strings with NUL bytes or invalid UTF-8, and numbers that are not finite", function()
    assert.has_error(function() cdk.Construct(stack, "a\0b") end, "bad argument #2 to 'Construct' (string contains a NUL byte)")
    assert.has_error(function() cdk.CfnResource(stack, "Rr", { type = "A::B", properties = { A = "a\0b" } }) end,
      "bad argument #3 to 'CfnResource' (field 'properties.A': string contains a NUL byte)")
    assert.has_error(function() cdk.CfnResource(stack, "Rr", { type = "A::B", properties = { A = "\200" } }) end,
      "bad argument #3 to 'CfnResource' (field 'properties.A': string is not valid UTF-8)")
    assert.has_error(function() cdk.CfnResource(stack, "Rq", { type = "A::B", properties = { ["a\200"] = 1 } }) end,
      "bad argument #3 to 'CfnResource' (field 'properties': string is not valid UTF-8)")
    assert.has_error(function() cdk.CfnResource(stack, "Rr", { type = "A::B", properties = { A = math.huge } }) end,
      "bad argument #3 to 'CfnResource' (field 'properties.A': number must be finite, got inf)")
  end)

  it("refuse tables that are neither lists nor string-keyed maps, and cycles", function()
    assert.has_error(function() cdk.CfnResource(stack, "Rr", { type = "A::B", properties = { [1] = 1, x = 2 } }) end,
      "bad argument #3 to 'CfnResource' (field 'properties': map keys must be strings, got number)")
    local t = {}
    t.self = t
    local ok, err = pcall(cdk.CfnResource, stack, "Rr", { type = "A::B", properties = { A = t } })
    assert.is_false(ok)
    assert.matches("%(field 'properties%.A%.self%.self[%.self]*': tables nested too deep %(a cycle%?%)%)$", err)
  end)

  it("accept deeply nested tables below the limit", function()
    local t = {}
    local cur = t
    for _ = 1, 60 do
      cur.x = {}
      cur = cur.x
    end
    cur.x = 1
    cdk.CfnResource(stack, "Deep", { type = "A::B", properties = { A = t } })
    local back = stack:resolve({ A = t })
    local depth = 0
    local c = back.A
    while type(c) == "table" do
      depth = depth + 1
      c = c.x
    end
    assert.equal(61, depth)
  end)

  it("say which self a method expected", function()
    local r = cdk.CfnResource(stack, "Rr", { type = "A::B" })
    assert.has_error(function() stack.to_json(r) end, "calling 'to_json' on bad self (Stack expected, got CfnResource)")
    assert.has_error(function() r.add_override(stack, "a", 1) end,
      "calling 'add_override' on bad self (CfnResource expected, got Stack)")
    assert.has_error(function() r:add_depends_on(stack) end, "bad argument #1 to 'add_depends_on' (CfnResource expected, got Stack)")
    assert.has_error(function() r:add_depends_on("x") end, "bad argument #1 to 'add_depends_on' (CfnResource expected, got string)")
  end)

  it("refuse a token of another App and context holding tokens", function()
    local other = cdk.App()
    local tok = cdk.CfnResource(cdk.Stack(other, "S2"), "R2x", { type = "A::B" }):get_att("Arn")
    assert.has_error(function() cdk.CfnOutput(stack, "O", { value = tok }) end,
      "bad argument #3 to 'CfnOutput' (field 'value': token of another App)")
    other:close()
    assert.has_error(function() cdk.App { context = { a = { b = { "x", stack.region } } } } end,
      "bad argument #1 to 'App' (field 'context': context values may not hold tokens)")
    assert.has_error(function() stack.node:set_context("k", stack.region) end,
      "bad argument #2 to 'set_context' (context values may not hold tokens)")
  end)

  it("point at the caller's line", function()
    local line
    local ok, err = pcall(function()
      line = debug.getinfo(1, "l").currentline + 1
      cdk.Stack(app, "S", { stackName = "x" })
    end)
    assert.is_false(ok)
    assert.equal("spec/core/arguments_spec.lua:" .. line .. ": bad argument #3 to 'Stack' (unknown property 'stackName')", err)
    ok, err = pcall(function()
      line = debug.getinfo(1, "l").currentline + 1
      return cdk.RemovalPolicy.KEEP
    end)
    assert.is_false(ok)
    assert.equal("spec/core/arguments_spec.lua:" .. line .. ": RemovalPolicy has no member 'KEEP'", err)
  end)
end)
