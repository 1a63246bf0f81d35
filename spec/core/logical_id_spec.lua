-- Logical IDs (CDK's makeUniqueId): the path below the stack, 'Default' dropped, 'Resource' and
-- repeated components hidden from the human part, an MD5 hash of the path for nested
-- constructs, and the 255-character limit. Expected IDs are the reference's for the same tree.
local cdk = require "cdk"

local app, stack
before_each(function()
  app = cdk.App()
  stack = cdk.Stack(app, "S")
end)
after_each(function()
  app:close()
end)

local function res(scope, id)
  return cdk.CfnResource(scope, id, { type = "A::B" })
end

local function lid(scope, id)
  return stack:get_logical_id(res(scope, id))
end

describe("logical IDs", function()
  it("use a top-level id as it is, without non-alphanumeric characters", function()
    assert.equal("Res", lid(stack, "Res"))
    assert.equal("myres1", lid(stack, "my-res_1"))
  end)

  it("join nested ids and append the path's hash", function()
    local a = cdk.Construct(stack, "A")
    assert.equal("ABE649FC2C", lid(a, "B"))
    assert.equal("Axyzw221B473C", lid(a, "x.y z/w"))
    assert.equal("Ahllo93FCE2DC", lid(a, "héllo"))
  end)

  it("hide 'Resource' from the human part but not from the hash", function()
    assert.equal("ACCC8ACD5", lid(cdk.Construct(stack, "A"), "Resource"))
    assert.equal("XYD4CF890A", lid(cdk.Construct(cdk.Construct(stack, "X"), "Resource"), "Y"))
  end)

  it("drop 'Default' entirely", function()
    assert.equal("Dd", lid(cdk.Construct(stack, "Dd"), "Default"))
    assert.equal("Zz", lid(cdk.Construct(stack, "Default"), "Zz"))
    assert.equal("Qq", lid(cdk.Construct(cdk.Construct(stack, "Qq"), "Default"), "Default"))
  end)

  it("hide a component that the previous one ends with", function()
    assert.equal("FooBarBD79725B", lid(cdk.Construct(cdk.Construct(stack, "Foo"), "Foo"), "Bar"))
    assert.equal("FooBarAF11DA55", lid(cdk.Construct(stack, "FooBar"), "Bar"))
  end)

  it("keep a top-level id up to 255 characters, then hash it", function()
    assert.equal(string.rep("a", 255), lid(stack, string.rep("a", 255)))
    assert.equal(string.rep("b", 240) .. "91BFE9A0", lid(stack, string.rep("b", 256)))
  end)

  it("cut the human part at 240 characters", function()
    local long = cdk.Construct(stack, string.rep("c", 200))
    assert.equal(string.rep("c", 200) .. string.rep("d", 40) .. "49F1120F", lid(long, string.rep("d", 100)))
  end)

  it("fail when every component is 'Default'", function()
    local s2 = cdk.Stack(app, "S2")
    local r = cdk.CfnResource(cdk.Construct(s2, "Default"), "Default", { type = "A::B" })
    assert.has_error(function() s2:get_logical_id(r) end, "Unable to calculate a unique id for an empty set of components")
  end)

  it("must match CloudFormation's pattern", function()
    assert.has_error(function() lid(stack, "Q") end,
      "Logical ID must adhere to the regular expression: /^[A-Za-z][A-Za-z0-9]{1,254}$/, got 'Q'")
  end)

  it("fail synthesis with CDK's resolution error", function()
    local h = require "support.helpers"
    local note = ".\nObject creation stack:\n  at Execute again with CDK_DEBUG=true to capture stack traces"
    local err = h.error_of(h.synth, function(a, c)
      c.CfnResource(c.Stack(a, "S"), "R", { type = "A::B" })
    end)
    assert.matches("Resolution error: Logical ID must adhere to the regular expression: /^[A-Za-z][A-Za-z0-9]{1,254}$/, got 'R'"
      .. note, err, 1, true)
    err = h.error_of(h.synth, function(a, c)
      c.CfnOutput(c.Stack(a, "S"), "O", { value = "x" })
    end)
    assert.matches("got 'O'" .. note, err, 1, true)
    err = h.error_of(h.synth, function(a, c)
      c.CfnResource(c.Construct(c.Stack(a, "S"), "Default"), "Default", { type = "A::B" })
    end)
    assert.matches("Resolution error: Unable to calculate a unique id for an empty set of components" .. note, err, 1, true)
  end)

  it("fail after the element's definition: CDK resolves { [logicalId]: definition } value first", function()
    -- the reference's messages: the producer's and the cross-environment error, not 'got R' / 'got O'
    local h = require "support.helpers"
    local err = h.error_of(h.synth, function(a, c)
      c.CfnResource(c.Stack(a, "S"), "R", { type = "A::B",
        properties = { X = c.Lazy.string { produce = function() error("boom", 0) end } } })
    end)
    assert.matches("Resolution error: Resolution error: Resolution error: boom.\nObject creation stack:\n"
      .. "  at Execute again with CDK_DEBUG=true to capture stack traces.", err, 1, true)
    err = h.error_of(h.synth, function(a, c)
      local e = c.Stack(a, "E", { env = { account = "1", region = "r-1" } })
      c.CfnOutput(c.Stack(a, "S"), "O", { value = require("cdk.sqs").Queue(e, "Q").queue_arn })
    end)
    assert.matches("Resolution error: Cannot use resource 'E/Q' in a cross-environment fashion", err, 1, true)
    -- a parameter's too
    err = h.error_of(h.synth, function(a, c)
      c.CfnParameter(c.Stack(a, "S"), "P", { default = c.Lazy.any { produce = function() error("p", 0) end } })
    end)
    assert.matches("Resolution error: p.", err, 1, true)
  end)

  it("follow overrides and renames made after a template was rendered", function()
    -- the reference: stack._toCloudFormation(), then overrideLogicalId / renameLogicalId
    local b = cdk.CfnResource(stack, "Bucket", { type = "AWS::S3::Bucket" })
    cdk.CfnResource(stack, "Other", { type = "AWS::S3::Bucket" })
    local function ids()
      local t = {}
      for k in pairs(stack:to_json().Resources) do t[#t + 1] = k end
      table.sort(t)
      return t
    end
    assert.same({ "Bucket", "Other" }, ids())
    b:override_logical_id("Renamed")
    stack:rename_logical_id("Other", "Moved")
    assert.same({ "Moved", "Renamed" }, ids())
  end)

  it("from Stack:get_logical_id is the stack's allocation: renames apply, the element's override not", function()
    -- as CDK's Stack.getLogicalId (the reference gives "CcRenamed" and "Over" for this program)
    local r = res(stack, "Repo")
    stack:rename_logical_id("Repo", "Renamed")
    local c = res(stack, "Cc")
    c:override_logical_id("Over")
    assert.equal("CcRenamed", stack:get_logical_id(c) .. stack:get_logical_id(r))
    assert.equal("Over", stack:resolve(c.logical_id))
  end)

  it("is one element's only: a rename onto another element's ID is CDK's error", function()
    res(stack, "Aa")
    res(stack, "Bb")
    stack:rename_logical_id("Aa", "Bb")
    assert.has_error(function() stack:to_json() end, "Resolution error: Two objects have been assigned the same "
      .. "Logical ID: 'Aa' and 'Bb' are now both named 'Bb'..\nObject creation stack:\n  at Execute again with "
      .. "CDK_DEBUG=true to capture stack traces")
  end)

  it("is what the element's logical_id token resolves to", function()
    local r = res(cdk.Construct(stack, "A"), "B")
    assert.equal("ABE649FC2C", stack:resolve(r.logical_id))
  end)
end)

describe("Names.unique_id and node.unique_id", function()
  it("apply makeUniqueId to the whole path", function()
    local a = cdk.Construct(stack, "A")
    local r = res(stack, "Res")
    assert.equal("SA1275EFB0", cdk.Names.unique_id(a))
    assert.equal("SA1275EFB0", a.node.unique_id)
    assert.equal("S", cdk.Names.unique_id(stack))
    assert.equal("SRes92C26E2A", cdk.Names.unique_id(r))
  end)

  it("give the App the empty id", function()
    assert.equal("", cdk.Names.unique_id(app))
    assert.equal("", app.node.unique_id)
  end)
end)
