-- Tokens: how unresolved values are carried in strings, numbers and lists, how concatenation
-- becomes Fn::Join with CDK's minimal-join rules, and Lazy values with their errors. Every
-- expected value is what the AWS CDK v1 (1.204.0) resolved for the same program.
local cdk = require "cdk"
local h = require "support.helpers"
local json = require "support.json"

local REGION = { Ref = "AWS::Region" }
local ACCOUNT = { Ref = "AWS::AccountId" }
local LAZY_STACK = "\nObject creation stack:\n  at Execute again with CDK_DEBUG=true to capture stack traces"

local function join(delim, list)
  return { ["Fn::Join"] = { delim, list } }
end

local function const(v)
  return function() return v end
end

local app, stack
before_each(function()
  app = cdk.App()
  stack = cdk.Stack(app, "S")
end)
after_each(function()
  app:close()
end)

local function resolve(v)
  return stack:resolve(v)
end

describe("token encodings", function()
  it("put a string token in ${Token[...]} markers named by the display hint", function()
    assert.matches("^%${Token%[AWS%.Region%.%d+%]}$", stack.region)
    assert.matches("^%${Token%[TOKEN%.%d+%]}$", cdk.Lazy.string { produce = const("x") })
    assert.matches("^%${Token%[Foo%.%d+%]}$", cdk.Lazy.string { produce = const("x"), display_hint = "Foo" })
  end)

  it("put a list token in a one-element list #{Token[...]}", function()
    local l = cdk.Lazy.list { produce = const({ "a" }), display_hint = "Lst" }
    assert.equal(1, #l)
    assert.matches("^#{Token%[Lst%.%d+%]}$", l[1])
    assert.matches("^#{Token%[AWS%.Region%.%d+%]}$", cdk.Token.as_list(stack.region)[1])
  end)

  it("encode a number token as a huge negative double", function()
    local n = cdk.Lazy.number { produce = const(1) }
    assert.is_number(n)
    assert.is_true(n < -1e288)
    assert.matches("^%${Token%[TOKEN%.%d+%]}$", cdk.Token.as_string(n))
  end)

  it("give Lazy.any a token object whose string ignores the display hint, as CDK's does", function()
    local t = cdk.Lazy.any { produce = const(1), display_hint = "Hi" }
    assert.equal("token", type(t) == "userdata" and getmetatable(t).__name or type(t))
    assert.matches("^%${Token%[TOKEN%.%d+%]}$", t:to_string())
    assert.equal(t:to_string(), tostring(t))
  end)

  it("give the same string for the same token", function()
    assert.equal(stack.region, stack.region)
    local t = cdk.Lazy.any { produce = const(1) }
    assert.equal(tostring(t), tostring(t))
  end)
end)

describe("Token.is_unresolved", function()
  it("tells tokens from literals as CDK's does", function()
    local T = cdk.Token
    assert.is_false(T.is_unresolved("a"))
    assert.is_true(T.is_unresolved(stack.region))
    assert.is_true(T.is_unresolved("a" .. stack.region))
    assert.is_false(T.is_unresolved(42))
    assert.is_true(T.is_unresolved(cdk.Lazy.number { produce = const(1) }))
    assert.is_false(T.is_unresolved({ "a" }))
    assert.is_true(T.is_unresolved(cdk.Lazy.list { produce = const({}) }))
    assert.is_true(T.is_unresolved(cdk.Lazy.any { produce = const(1) }))
    assert.is_true(T.is_unresolved(cdk.Fn.get_azs()))
    assert.is_false(T.is_unresolved(nil))
    assert.is_false(T.is_unresolved(true))
  end)
end)

describe("Token.as_string / as_number / as_list", function()
  it("return literals as they are, a number as a token of it", function()
    assert.equal("a", cdk.Token.as_string("a"))
    local n = cdk.Token.as_string(42)
    assert.matches("^%${Token%[TOKEN%.%d+%]}$", n)
    assert.is_true(cdk.Token.is_unresolved(n))
    assert.equal(42, resolve(n))
    assert.equal("x42", resolve("x" .. n))
    assert.equal(42, cdk.Token.as_number(42))
    local l = { "a", "b" }
    assert.equal(l, cdk.Token.as_list(l))
  end)

  it("re-encode a token in the other form, resolving to the same value", function()
    local n = cdk.Token.as_number(stack.region)
    assert.is_true(n < -1e288)
    assert.same(REGION, resolve(n))
    assert.same(REGION, resolve(cdk.Token.as_list(stack.region)))
    local any = cdk.Lazy.any { produce = const("q") }
    assert.equal("q", resolve(cdk.Token.as_string(any)))
    assert.equal("n=42", resolve("n=" .. cdk.Token.as_string(cdk.Lazy.number { produce = const(42) })))
  end)

  it("make a token of a plain table or boolean, as CDK's Token.asAny does (a raw intrinsic)", function()
    local s = cdk.Token.as_string({ ["Fn::FindInMap"] = { "M", stack.region, "k" } })
    assert.is_true(cdk.Token.is_unresolved(s))
    assert.same({ ["Fn::Join"] = { "", { "x-", { ["Fn::FindInMap"] = { "M", REGION, "k" } } } } }, resolve("x-" .. s))
    assert.same({ ["Fn::Custom"] = { 1 } }, resolve(cdk.Token.as_number({ ["Fn::Custom"] = { 1 } })))
    assert.same({}, resolve(cdk.Token.as_string({})))
    assert.equal(true, resolve(cdk.Token.as_string(true)))
  end)

  it("refuse values that are not tokens of the right kind (Lua-specific)", function()
    assert.has_error(function() cdk.Token.as_number("abc") end,
      "bad argument #1 to 'Token.as_number' (token, number or table expected, got string)")
    assert.has_error(function() cdk.Token.as_string(nil) end,
      "bad argument #1 to 'Token.as_string' (token, string, number, boolean or table expected, got nil)")
    assert.has_error(function() cdk.Token.as_string(print) end,
      "bad argument #1 to 'Token.as_string' (string, number, boolean or table expected, got function)")
    assert.has_error(function() cdk.Token.as_list(true) end,
      "bad argument #1 to 'Token.as_list' (token or list expected, got boolean)")
  end)
end)

describe("string concatenation", function()
  it("resolves a lone token to its value and a mixed string to Fn::Join", function()
    assert.same(REGION, resolve(stack.region))
    assert.same(REGION, resolve(stack.region .. ""))
    assert.same(join("", { "a", REGION, "b" }), resolve("a" .. stack.region .. "b"))
    assert.same(join("", { REGION, ACCOUNT }), resolve(stack.region .. stack.account))
    assert.same(join("", { REGION, ":", ACCOUNT, ":", { Ref = "AWS::Partition" } }),
      resolve(stack.region .. ":" .. stack.account .. ":" .. stack.partition))
  end)

  it("folds tokens that resolve to literals into the surrounding text", function()
    assert.equal("xyz", resolve("x" .. cdk.Lazy.string { produce = const("y") } .. "z"))
    assert.equal("x5", resolve("x" .. cdk.Lazy.string { produce = const(5) }))
    assert.same(join("", { "xa", REGION }),
      resolve("x" .. cdk.Lazy.string { produce = function() return "a" .. stack.region end }))
  end)

  it("flattens nested joins with the same delimiter and merges adjacent literals", function()
    assert.same(join("", { "ab", REGION }), resolve(cdk.Fn.join("", { "a", cdk.Fn.join("", { "b", stack.region }) })))
    assert.same(join("", { "ab", REGION, "c" }),
      resolve(cdk.Fn.join("", { "a", cdk.Fn.join("", { "b", stack.region }), "c" })))
  end)

  it("keeps a join with another delimiter as a nested Fn::Join", function()
    assert.same(join("", { "pre-", join("-", { "a", REGION }) }),
      resolve("pre-" .. cdk.Fn.join("-", { "a", stack.region })))
  end)

  it("keeps non-string values produced inside a string as Fn::Join parts", function()
    assert.same(join("", { "x", { a = 1 } }), resolve("x" .. cdk.Lazy.any { produce = const({ a = 1 }) }))
    assert.same(join("", { "x", { 1, 2 } }), resolve("x" .. cdk.Lazy.any { produce = const({ 1, 2 }) }))
    assert.same(join("", { "x", true }), resolve("x" .. cdk.Lazy.any { produce = const(true) }))
    assert.same(join("", { "a", { Ref = "X" }, "b" }),
      resolve("a" .. cdk.Token.as_string(cdk.Lazy.any { produce = const({ Ref = "X" }) }) .. "b"))
  end)

  it("lets token objects concatenate with .. like strings", function()
    local att = cdk.Fn.get_att("Res", "Arn")
    assert.same(join("", { "x", { ["Fn::GetAtt"] = { "Res", "Arn" } } }), resolve("x" .. att))
    assert.same(join("", { { ["Fn::GetAtt"] = { "Res", "Arn" } }, "y" }), resolve(att .. "y"))
  end)
end)

describe("Lazy", function()
  it("produces strings, numbers, lists and any value at resolution", function()
    assert.equal(42, resolve(cdk.Lazy.number { produce = const(42) }))
    assert.same({ "a", "b" }, resolve(cdk.Lazy.list { produce = const({ "a", "b" }) }))
    assert.same({ REGION, "x" }, resolve(cdk.Lazy.list { produce = function() return { stack.region, "x" } end }))
    assert.same({ a = 1, b = { REGION } },
      resolve(cdk.Lazy.any { produce = function() return { a = 1, b = { stack.region } } end }))
    assert.same({ "a", 2 }, resolve({ cdk.Lazy.string { produce = const("a") }, cdk.Lazy.number { produce = const(2) } }))
    assert.equal(5, resolve(cdk.Lazy.string { produce = const(5) }))
  end)

  it("resolves what a producer returns, tokens included", function()
    assert.equal("deep", resolve(cdk.Lazy.string {
      produce = function() return cdk.Lazy.string { produce = const("deep") } end,
    }))
  end)

  it("passes the resolution context: the scope being resolved", function()
    assert.equal("S", resolve(cdk.Lazy.string { produce = function(ctx) return ctx.scope.node.path end }))
  end)

  it("drops keys and list items whose producer gives nil", function()
    assert.same({ B = 1 }, resolve({ A = cdk.Lazy.any { produce = const(nil) }, B = 1 }))
    assert.same({ B = 1 }, resolve({ A = cdk.Lazy.string { produce = const(nil) }, B = 1 }))
    assert.same({ 1 }, resolve({ cdk.Lazy.any { produce = const(nil) }, 1 }))
  end)

  it("caches a produced value, and uncached variants call the producer each time", function()
    local calls = 0
    local cached = cdk.Lazy.string { produce = function() calls = calls + 1 return "v" .. calls end }
    assert.equal("v1", resolve(cached))
    assert.equal("v1", resolve(cached))
    local ucalls = 0
    local uncached = cdk.Lazy.uncached_string { produce = function() ucalls = ucalls + 1 return "u" .. ucalls end }
    assert.equal("u1", resolve(uncached))
    assert.equal("u2", resolve(uncached))
  end)

  it("writes [] for a list producer's empty table, and omits it with omit_empty", function()
    local t = h.synth(function(a, c)
      local s = c.Stack(a, "S")
      c.CfnResource(s, "Res", { type = "A::B", properties = {
        X = c.Lazy.list { produce = const({}) },
        Y = c.Lazy.list { produce = const({}), omit_empty = true },
        Z = c.Lazy.any { produce = const({}), omit_empty_array = true },
        V = c.Lazy.any { produce = const({ a = 1 }), omit_empty_array = true },
      } })
    end)
    assert.same({ Resources = { Res = { Type = "A::B", Properties = { X = json.empty_array, V = { a = 1 } } } } }, t.S)
  end)

  it("wraps a producer's error in CDK's 'Resolution error' with the creation stack note", function()
    local boom = cdk.Lazy.any { produce = function() error("boom", 0) end }
    assert.has_error(function() resolve(boom) end, "Resolution error: boom." .. LAZY_STACK)
    assert.has_error(function() resolve("x" .. cdk.Lazy.string { produce = function() error("boom", 0) end }) end,
      "Resolution error: boom." .. LAZY_STACK)
  end)

  it("reports a producer's error at synth once per enclosing value, as CDK does", function()
    local err = h.error_of(h.synth, function(a, c)
      local s = c.Stack(a, "S")
      c.CfnResource(s, "Res", { type = "A::B", properties = {
        X = "a" .. c.Lazy.string { produce = function() error("boom", 0) end },
      } })
    end)
    assert.matches("Resolution error: Resolution error: Resolution error: boom." .. LAZY_STACK .. "..", err, 1, true)
  end)

  it("checks its props", function()
    assert.has_error(function() cdk.Lazy.string("x") end, "bad argument #1 to 'Lazy.string' (table expected, got string)")
    assert.has_error(function() cdk.Lazy.string { produce = 1 } end,
      "bad argument #1 to 'Lazy.string' (field 'produce': function expected, got number)")
    assert.has_error(function() cdk.Lazy.string { produce = const(1), omit_empty = true } end,
      "bad argument #1 to 'Lazy.string' (unknown property 'omit_empty')")
    assert.has_error(function() cdk.Lazy.list { produce = const({}), omit_empty = 1 } end,
      "bad argument #1 to 'Lazy.list' (field 'omit_empty': boolean expected, got number)")
    -- CDK's options argument would be silently dropped: it is refused
    assert.has_error(function() cdk.Lazy.list({ produce = const({}) }, { omit_empty = true }) end,
      "bad argument #2 to 'Lazy.list' (no value expected, got table: omit_empty and display_hint go in the first table)")
    assert.has_error(function() cdk.Lazy.uncached_any({ produce = const({}) }, { omit_empty_array = true }) end,
      "bad argument #2 to 'Lazy.uncached_any' (no value expected, got table: omit_empty_array and display_hint go in "
      .. "the first table)")
    assert.has_error(function() cdk.Lazy.string({ produce = const("") }, { display_hint = "x" }) end,
      "bad argument #2 to 'Lazy.string' (no value expected, got table: options such as display_hint go in the first "
      .. "table)")
  end)
end)
