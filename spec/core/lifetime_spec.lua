-- Lifetime: an App owns everything made in it. After app:close() every handle of it (constructs,
-- nodes, tokens, Tags) raises a clean error; handles keep a collected App alive, so dropping the
-- App and collecting garbage leaves them usable. (Run under `make test-asan` this also shows
-- that no freed memory is read.)
local cdk = require "cdk"

describe("a closed App", function()
  local app, stack, res, node, tok, region

  before_each(function()
    app = cdk.App()
    stack = cdk.Stack(app, "S")
    res = cdk.CfnResource(stack, "Res", { type = "A::B" })
    node = res.node
    tok = res:get_att("Arn")
    region = stack.region
    app:close()
  end)

  it("refuses its construct handles", function()
    local closed = "attempt to use a construct of a closed App"
    assert.has_error(function() return res.ref end, closed)
    assert.has_error(function() return res.node end, closed)
    assert.has_error(function() return node.path end, closed)
    assert.has_error(function() return stack:to_json() end, closed)
    assert.has_error(function() res:add_override("a", 1) end, closed)
    assert.has_error(function() cdk.Construct(stack, "X") end, closed)
    assert.has_error(function() cdk.Tags.of(stack) end, closed)
    assert.equal("<construct of a closed App>", tostring(res))
  end)

  it("refuses the App itself", function()
    local closed = "attempt to use a closed App"
    assert.has_error(function() app:synth() end, closed)
    assert.has_error(function() return app.node end, closed)
    assert.has_error(function() cdk.Stack(app, "T") end, closed)
    assert.equal("App (closed)", tostring(app))
    app:close()
  end)

  it("refuses its tokens", function()
    local closed = "attempt to use a token of a closed App"
    assert.has_error(function() return tostring(tok) end, closed)
    assert.has_error(function() return tok:to_string() end, closed)
    assert.has_error(function() return "x" .. tok end, closed)
    assert.has_error(function() return cdk.Token.as_string(tok) end, closed)
    assert.is_true(cdk.Token.is_unresolved(tok))
  end)

  it("has tokens no other App accepts", function()
    local other = cdk.App()
    local s2 = cdk.Stack(other, "S")
    assert.has_error(function() s2:resolve(tok) end, "bad argument #1 to 'resolve' (token of a closed App)")
    assert.has_error(function() cdk.CfnOutput(s2, "O", { value = tok }) end,
      "bad argument #3 to 'CfnOutput' (field 'value': token of a closed App)")
    local ok, err = pcall(s2.resolve, s2, region)
    assert.is_false(ok)
    assert.matches("Unrecognized token key: AWS%.Region%.%d+$", err)
    other:close()
  end)
end)

describe("an App being synthesized", function()
  local function const(v) return function() return v end end

  it("cannot be closed or synthesized again by a producer", function()
    local h = require "support.helpers"
    local function try(produce)
      local dir = h.tmppath(".out")
      local app = cdk.App { outdir = dir }
      cdk.CfnResource(cdk.Stack(app, "S"), "Res", { type = "A::B", properties = {
        X = cdk.Lazy.string { produce = function() return produce(app) end } } })
      local ok, err = pcall(app.synth, app)
      h.rmtree(dir)
      assert.is_false(ok)
      assert.equal("S/Res", app.node:find_child("S").node:find_child("Res").node.path)
      app:close()
      return err
    end
    assert.matches("cannot close an App while it is being synthesized or resolved.",
      try(function(app) app:close() return "x" end), 1, true)
    assert.matches("app:synth() cannot run while the App is being synthesized or resolved.",
      try(function(app) app:synth() return "x" end), 1, true)
  end)

  it("can still be resolved from inside a producer", function()
    local app = cdk.App()
    local s = cdk.Stack(app, "S")
    assert.equal("inner", s:resolve(cdk.Lazy.string { produce = function() return s:resolve("inner") end }))
    local ok, err = pcall(s.resolve, s, cdk.Lazy.string { produce = function() app:close() return "x" end })
    assert.is_false(ok)
    -- the position is the caller's: the line calling pcall, and the producer's line inside
    assert.matches("^spec/core/lifetime_spec%.lua:%d+: Resolution error: spec/core/lifetime_spec%.lua:%d+: cannot close an App while it is being synthesized "
      .. "or resolved%.\nObject creation stack:\n  at Execute again with CDK_DEBUG=true to capture stack traces$", err)
    app:close()
  end)
end)

describe("a producer run by a service's construction or method", function()
  -- KMS resolves a key's policy and ARN when a key is made or a statement added: a producer
  -- running there may not close or synthesize its App either.
  it("cannot close or synthesize the App", function()
    local kms, iam = require "cdk.kms", require "cdk.iam"
    local app = cdk.App()
    local s = cdk.Stack(app, "S")
    local closing = cdk.Lazy.string { produce = function() app:close() return "*" end }
    local synthesizing = cdk.Lazy.string { produce = function() app:synth() return "*" end }
    local function statement(resource)
      return iam.PolicyStatement { actions = { "kms:*" }, resources = { resource }, principals = { iam.AnyPrincipal() } }
    end
    local k = kms.Key(s, "Key")
    k:add_to_resource_policy(statement(closing))
    k:add_to_resource_policy(statement(synthesizing))
    local ok, err = pcall(s.to_json, s)
    assert.is_false(ok)
    assert.matches("cannot close an App while it is being synthesized or resolved", err, 1, true)
    ok, err = pcall(kms.Key, s, "Other", { policy = iam.PolicyDocument { statements = { statement(synthesizing) } } })
    assert.is_true(ok, err) -- the key's policy is not resolved when it is made
    assert.matches("cannot close an App while it is being synthesized or resolved",
      select(2, pcall(app.synth, app)), 1, true) -- the first producer's error
    assert.equal("S", s.node.path) -- the App is still open
    app:close()
  end)
end)

describe("a dropped App", function()
  it("stays alive while its handles are used", function()
    local s, r, n, t
    do
      local a = cdk.App()
      s = cdk.Stack(a, "S")
      r = cdk.CfnResource(s, "Res", { type = "A::B" })
      n = r.node
      t = r:get_att("Arn")
    end
    collectgarbage()
    collectgarbage()
    assert.equal("S/Res", r.node.path)
    assert.equal("S/Res", n.path)
    assert.same({ Resources = { Res = { Type = "A::B" } } }, s:to_json())
    assert.same({ ["Fn::GetAtt"] = { "Res", "Arn" } }, s:resolve(t))
    assert.equal("App", tostring(s.node.root))
  end)

  it("is freed once nothing refers to it", function()
    local weak = setmetatable({}, { __mode = "v" })
    do
      local a = cdk.App()
      cdk.CfnResource(cdk.Stack(a, "S"), "Res", { type = "A::B" })
      weak[1] = a
    end
    collectgarbage()
    collectgarbage()
    assert.is_nil(weak[1])
  end)

  it("survives many Apps made and dropped", function()
    for i = 1, 200 do
      local a = cdk.App()
      local s = cdk.Stack(a, "S" .. i)
      cdk.CfnResource(s, "Res", { type = "A::B", properties = { N = i, R = s.region } })
      s:to_json()
      if i % 50 == 0 then collectgarbage() end
    end
    collectgarbage()
    collectgarbage()
  end)

  it("can be closed twice, and by to-be-closed variables", function()
    local a = cdk.App()
    a:close()
    a:close()
    local code = [[
      local cdk = ...
      local s
      do
        local a <close> = cdk.App()
        s = cdk.Stack(a, "S")
      end
      return pcall(function() return s.stack_name end)
    ]]
    local chunk = (loadstring or load)(code)
    if chunk then -- Lua 5.4
      local ok, err = chunk(cdk)
      assert.is_false(ok)
      assert.matches("attempt to use a construct of a closed App$", err)
    end
  end)
end)
