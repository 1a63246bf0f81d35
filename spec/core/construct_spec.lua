-- The construct tree: ids and paths, CDK's errors for duplicate and empty ids, and the node API
-- (children, scope, find_child, default_child, context, dependencies, find_all). Messages and
-- values are the reference's for the same tree.
local cdk = require "cdk"
local h = require "support.helpers"

local app, stack
before_each(function()
  app = cdk.App()
  stack = cdk.Stack(app, "S")
end)
after_each(function()
  app:close()
end)

local function paths(list)
  local out = {}
  for i, c in ipairs(list) do out[i] = c.node.path end
  return out
end

describe("construct ids", function()
  it("replace '/' by '--' and build the path from the ids", function()
    local a = cdk.Construct(stack, "a/b")
    assert.equal("a--b", a.node.id)
    assert.equal("S/a--b", a.node.path)
    assert.equal("S/a--b/X", cdk.Construct(a, "X").node.path)
  end)

  it("give the App the empty id and path", function()
    assert.equal("", app.node.id)
    assert.equal("", app.node.path)
  end)

  it("must be unique among siblings", function()
    local a = cdk.Construct(stack, "a/b")
    assert.has_error(function() cdk.Construct(stack, "a/b") end, "There is already a Construct with name 'a--b' in Stack [S]")
    cdk.Construct(a, "X")
    assert.has_error(function() cdk.Construct(a, "X") end, "There is already a Construct with name 'X' in Construct [a--b]")
    assert.has_error(function() cdk.Stack(app, "S") end, "There is already a Construct with name 'S' in App")
  end)

  it("may not be empty below the root", function()
    assert.has_error(function() cdk.Construct(stack, "") end, "Only root constructs may have an empty name")
  end)

  it("may not hold a token (CDK's message)", function()
    local ok, err = pcall(cdk.Construct, stack, "x" .. stack.region)
    assert.is_false(ok)
    assert.matches("Cannot use tokens in construct ID: x${Token[AWS.Region.", err, 1, true)
  end)

  it("raise at the caller's line", function()
    local ok, err = pcall(function() cdk.Construct(stack, "") end)
    assert.is_false(ok)
    assert.matches("^spec/core/construct_spec%.lua:%d+: Only root constructs", err)
  end)

  it("leave no half-made construct behind after a failed construction", function()
    assert.has_error(function() cdk.Construct(stack, "S/") cdk.Construct(stack, "S/") end)
    assert.same({ "S", "S/S--" }, paths(stack.node:find_all()))
  end)
end)

describe("node", function()
  it("lists children in creation order and knows its scope, scopes and root", function()
    local a = cdk.Construct(stack, "A")
    local x = cdk.Construct(a, "X")
    cdk.Construct(a, "Y")
    assert.same({ "S/A/X", "S/A/Y" }, paths(a.node.children))
    assert.equal(a, x.node.scope)
    assert.equal(app, stack.node.scope)
    assert.is_nil(app.node.scope)
    assert.same({ "", "S", "S/A", "S/A/X" }, paths(x.node.scopes))
    assert.equal(app, x.node.root)
  end)

  it("finds children by id, sanitised like construction", function()
    local a = cdk.Construct(stack, "a/b")
    local x = cdk.Construct(a, "X")
    assert.equal(x, a.node:find_child("X"))
    assert.equal(a, stack.node:find_child("a/b"))
    assert.equal(a, stack.node:try_find_child("a--b"))
    assert.has_error(function() a.node:find_child("nope") end, "No child with id: 'nope'")
    assert.is_nil(a.node:try_find_child("nope"))
    assert.equal(1, select("#", a.node:try_find_child("nope")))
  end)

  it("has a default child named Resource or Default", function()
    local d = cdk.Construct(stack, "D")
    assert.is_nil(d.node.default_child)
    local r = cdk.Construct(d, "Resource")
    assert.equal(r, d.node.default_child)
    cdk.Construct(d, "Default")
    assert.has_error(function() return d.node.default_child end,
      'Cannot determine default child for S/D. There is both a child with id "Resource" and id "Default"')
    local d2 = cdk.Construct(stack, "D2")
    local def = cdk.Construct(d2, "Default")
    assert.equal(def, d2.node.default_child)
  end)

  it("lets the default child be set", function()
    local d = cdk.Construct(stack, "D")
    local other = cdk.Construct(d, "Other")
    d.node.default_child = other
    assert.equal(other, d.node.default_child)
  end)

  it("finds all constructs below it, in pre-order or post-order", function()
    local d = cdk.Construct(stack, "D")
    cdk.Construct(d, "Resource")
    cdk.Construct(d, "Default")
    local c = cdk.Construct(stack, "C")
    cdk.Construct(c, "Child")
    assert.same({ "S", "S/D", "S/D/Resource", "S/D/Default", "S/C", "S/C/Child" }, paths(stack.node:find_all()))
    assert.same({ "S/D/Resource", "S/D/Default", "S/D" }, paths(d.node:find_all("postorder")))
    assert.same({ "S/D", "S/D/Resource", "S/D/Default" }, paths(d.node:find_all("preorder")))
    assert.has_error(function() d.node:find_all("sideways") end,
      "bad argument #1 to 'find_all' (\"preorder\" or \"postorder\" expected, got 'sideways')")
  end)

  it("prints as its path", function()
    assert.equal("S/a--b", tostring(cdk.Construct(stack, "a/b")))
    assert.equal("S", tostring(stack))
  end)

  it("refuses unknown fields", function()
    local a = cdk.Construct(stack, "A")
    assert.has_error(function() a.node.path = "x" end, "cannot set field 'path' of a node")
    assert.has_error(function() a.foo = 1 end, "cannot set field 'foo' of Construct 'S/A'")
  end)
end)

describe("context", function()
  it("is looked up from the node to its ancestors", function()
    local c = cdk.Construct(stack, "Ctx")
    assert.is_nil(c.node:try_get_context("k"))
    c.node:set_context("k", { v = 1 })
    assert.same({ v = 1 }, c.node:try_get_context("k"))
    local child = cdk.Construct(c, "Child")
    assert.same({ v = 1 }, child.node:try_get_context("k"))
    assert.is_nil(stack.node:try_get_context("k"))
  end)

  it("comes from the App's props", function()
    local a = cdk.App { context = { ["my-key"] = "v", n = 3, l = { "x" } } }
    local s = cdk.Stack(a, "S")
    assert.equal("v", s.node:try_get_context("my-key"))
    assert.equal(3, s.node:try_get_context("n"))
    assert.same({ "x" }, s.node:try_get_context("l"))
    a:close()
  end)

  it("may not be set once the node has children", function()
    local c = cdk.Construct(stack, "Ctx")
    cdk.Construct(c, "Child")
    assert.has_error(function() c.node:set_context("k2", 1) end, "Cannot set context after children have been added: Child")
    assert.has_error(function() app.node:set_context("k2", 1) end, "Cannot set context after children have been added: Tree,S")
  end)
end)

describe("node:add_dependency", function()
  it("makes every resource below one depend on every resource below the other", function()
    local t = h.synth(function(a, c)
      local s = c.Stack(a, "S")
      local d1, d2 = c.Construct(s, "Dep1"), c.Construct(s, "Dep2")
      c.CfnResource(d1, "R1", { type = "A::B" })
      c.CfnResource(d1, "R1b", { type = "A::B" })
      c.CfnResource(d2, "R2", { type = "A::B" })
      c.CfnResource(d2, "R3", { type = "A::B" })
      d1.node:add_dependency(d2)
      assert.same({ "S/Dep2" }, paths(d1.node.dependencies))
    end)
    local deps = { "Dep2R212C15E0F", "Dep2R3A650FBAB" }
    assert.same({ Resources = {
      Dep1R1735FFB08 = { Type = "A::B", DependsOn = deps },
      Dep1R1bE73871E3 = { Type = "A::B", DependsOn = deps },
      Dep2R212C15E0F = { Type = "A::B" },
      Dep2R3A650FBAB = { Type = "A::B" },
    } }, t.S)
  end)

  it("ignores a dependency on itself", function()
    local a = cdk.Construct(stack, "A")
    a.node:add_dependency(a)
    stack:add_dependency(stack)
    assert.same({}, stack.dependencies)
  end)
end)

describe("Stack.of and Stack.is_stack", function()
  it("find the enclosing stack", function()
    local x = cdk.Construct(cdk.Construct(stack, "A"), "X")
    assert.equal(stack, cdk.Stack.of(x))
    assert.equal(stack, cdk.Stack.of(stack))
    assert.is_true(cdk.Stack.is_stack(stack))
    assert.is_false(cdk.Stack.is_stack(x))
    assert.is_false(cdk.Stack.is_stack("S"))
  end)

  it("raise CDK's error outside a stack", function()
    assert.has_error(function() cdk.Stack.of(app) end,
      "App at '' should be created in the scope of a Stack, but no Stack found")
    local bare = cdk.Construct(app, "Bare")
    assert.has_error(function() cdk.Stack.of(bare) end,
      "Construct at 'Bare' should be created in the scope of a Stack, but no Stack found")
  end)
end)
