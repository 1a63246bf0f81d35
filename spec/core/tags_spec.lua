-- Tags: Tags.of(scope):add/remove as CDK's aspects (priorities, removal, include/exclude resource
-- types), the tags a resource was given, stack tags in the manifest, and CDK's key order
-- (String.prototype.localeCompare). Expected values are the reference's for the same program.
local cdk = require "cdk"
local ecr = require "cdk.ecr"
local h = require "support.helpers"

local function tags(list)
  local out = {}
  for i, kv in ipairs(list) do out[i] = { Key = kv[1], Value = kv[2] } end
  return out
end

describe("Tags", function()
  local dir, stacks, manifest

  setup(function()
    dir = h.tmppath(".out")
    local app = cdk.App { outdir = dir }
    local s = cdk.Stack(app, "S", { tags = { StackTag = "st" } })
    local g = cdk.Construct(s, "G")
    local r1 = ecr.CfnRepository(g, "R1", { tags = { { key = "own", value = "o" }, { key = "b", value = "own-b" } } })
    local r2 = ecr.CfnRepository(s, "R2")
    ecr.Repository(g, "R3")
    cdk.CfnResource(s, "Raw", { type = "AWS::SQS::Queue" })
    local T = cdk.Tags.of
    T(s):add("b", "stack-b")
    T(s):add("a", "stack-a")
    for _, k in ipairs({ "Z", "_u", "aa", "A", "1" }) do
      T(s):add(k, ({ Z = "z", _u = "u", aa = "aa", A = "A", ["1"] = "one" })[k])
    end
    T(s):add("a-b", "x")
    T(s):add("a_b", "y")
    T(s):add("a.b", "z")
    T(s):add("a:b", "w")
    T(g):add("b", "group-b")
    T(g):add("low", "low", { priority = 50 })
    T(r1):add("low", "r1-low", { priority = 10 })
    T(s):add("rm", "x")
    T(g):remove("rm")
    T(s):add("inc", "i", { include_resource_types = { "AWS::ECR::Repository" } })
    T(s):add("exc", "e", { exclude_resource_types = { "AWS::ECR::Repository" } })
    T(s):add("hi", "h", { priority = 300 })
    T(r2):remove("hi", { priority = 200 })
    T(r2):remove("a", { priority = 400 })
    T(s):add("", "v")
    app:synth()
    stacks, manifest = h.read_assembly(dir)
  end)

  teardown(function()
    h.rmtree(dir)
  end)

  local common = {
    { "", "v" }, { "_u", "u" }, { "1", "one" }, { "a", "stack-a" }, { "A", "A" }, { "a_b", "y" }, { "a-b", "x" },
    { "a:b", "w" }, { "a.b", "z" }, { "aa", "aa" },
  }
  local function with(...)
    local out = {}
    for _, kv in ipairs(common) do out[#out + 1] = kv end
    for _, kv in ipairs({ ... }) do out[#out + 1] = kv end
    return out
  end

  it("apply to the taggable resources below the scope, sorted as localeCompare sorts", function()
    local res = stacks[1].template.Resources
    assert.same(tags(with({ "b", "group-b" }, { "hi", "h" }, { "inc", "i" }, { "low", "low" }, { "own", "o" }, { "Z", "z" })),
      res.GR1A8AC0632.Properties.Tags)
    assert.same(tags(with({ "b", "group-b" }, { "hi", "h" }, { "inc", "i" }, { "low", "low" }, { "Z", "z" })),
      res.GR335B42C46.Properties.Tags)
  end)

  it("give way to a removal of higher priority, and keep against a lower one", function()
    local want = {}
    for _, kv in ipairs(common) do
      if kv[1] ~= "a" then want[#want + 1] = kv end
    end
    for _, kv in ipairs({ { "b", "stack-b" }, { "hi", "h" }, { "inc", "i" }, { "rm", "x" }, { "Z", "z" } }) do
      want[#want + 1] = kv
    end
    assert.same(tags(want), stacks[1].template.Resources.R2.Properties.Tags)
  end)

  it("leave resources that are not taggable alone", function()
    assert.same({ Type = "AWS::SQS::Queue" }, stacks[1].template.Resources.Raw)
  end)

  it("tag the stack itself, in the manifest", function()
    local art = manifest.artifacts.S
    assert.same({ [""] = "v", _u = "u", ["1"] = "one", a = "stack-a", A = "A", a_b = "y", ["a-b"] = "x", ["a:b"] = "w",
      ["a.b"] = "z", aa = "aa", b = "stack-b", exc = "e", hi = "h", rm = "x", StackTag = "st", Z = "z" }, art.properties.tags)
    local meta = art.metadata["/S"][1]
    assert.equal("aws:cdk:stack-tags", meta.type)
    assert.same(tags({ { "", "v" }, { "_u", "u" }, { "1", "one" }, { "a", "stack-a" }, { "A", "A" }, { "a_b", "y" },
      { "a-b", "x" }, { "a:b", "w" }, { "a.b", "z" }, { "aa", "aa" }, { "b", "stack-b" }, { "exc", "e" }, { "hi", "h" },
      { "rm", "x" }, { "StackTag", "st" }, { "Z", "z" } }), meta.data)
  end)
end)

describe("stack tags in the manifest", function()
  it("list integer-like keys first, in numeric order, as CDK's JSON.stringify does", function()
    local json = require "support.json"
    local dir = h.tmppath(".out")
    local app = cdk.App { outdir = dir }
    cdk.Stack(app, "S", { tags = { b = "1", ["10"] = "x", ["2"] = "y", ["01"] = "z", ["0"] = "w", a = "q",
      ["4294967295"] = "big", ["4294967294"] = "max" } })
    app:synth()
    local _, manifest = h.read_assembly(dir)
    h.rmtree(dir)
    assert.same({ "0", "2", "10", "4294967294", "01", "4294967295", "a", "b" },
      json.keys(manifest.artifacts.S.properties.tags))
  end)
end)

describe("tag key order", function()
  it("follows localeCompare for accented Latin letters too", function()
    -- node 20: keys.sort((a, b) => a.localeCompare(b))
    local want = { "+", "÷", "×", "<", "ae", "æ", "af", "e", "E", "é", "ea", "éa", "Éa", "f", "i", "ı", "j", "l", "ł",
      "ŀ", "la", "ñ", "nz", "ø", "oa", "p", "ss", "ß", "st", "z", "þ" }
    local given = {}
    for i = #want, 1, -1 do given[want[i]] = "v" end
    local dir = h.tmppath(".out")
    local app = cdk.App { outdir = dir }
    cdk.Stack(app, "S", { tags = given })
    app:synth()
    local _, manifest = h.read_assembly(dir)
    h.rmtree(dir)
    local got = {}
    for i, kv in ipairs(manifest.artifacts.S.metadata["/S"][1].data) do got[i] = kv.Key end
    assert.same(want, got)
  end)
end)

describe("Tags.of", function()
  it("needs a value and checks its props", function()
    local app = cdk.App()
    local s = cdk.Stack(app, "S")
    assert.has_error(function() cdk.Tags.of(s):add("k", nil) end, "Tag must have a value")
    assert.has_error(function() cdk.Tags.of(s):add("k", "v", { prio = 1 }) end, "bad argument #3 to 'add' (unknown property 'prio')")
    assert.has_error(function() cdk.Tags.of(s):add("k", "v", { priority = "1" }) end,
      "bad argument #3 to 'add' (field 'priority': number expected, got string)")
    assert.has_error(function() cdk.Tags.of(s):add("k", "v", { include_resource_types = "AWS::ECR::Repository" }) end,
      "bad argument #3 to 'add' (field 'include_resource_types': list of strings expected, got string)")
    assert.has_error(function() cdk.Tags.of(s):remove(1) end, "bad argument #1 to 'remove' (string expected, got number)")
    assert.has_error(function() cdk.Tags.of("S") end,
      "bad argument #1 to 'Tags.of' (scope (an App or a construct) expected, got string)")
    app:close()
  end)

  it("take any number as priority, negative, fractional and huge ones too, as CDK compares them", function()
    -- the reference: a = default (-1 loses to the default 100), b = half, c = huge
    local t = h.synth(function(app, c)
      local s = c.Stack(app, "S")
      require("cdk.sqs").CfnQueue(s, "Queue")
      c.Tags.of(s):add("a", "default")
      c.Tags.of(s):add("a", "minus", { priority = -1 })
      c.Tags.of(s):add("b", "zero", { priority = 0 })
      c.Tags.of(s):add("b", "half", { priority = 0.5 })
      c.Tags.of(s):add("c", "huge", { priority = 1e300 })
      c.Tags.of(s):add("c", "big", { priority = 1e299 })
    end)
    assert.same(tags({ { "a", "default" }, { "b", "half" }, { "c", "huge" } }), t.S.Resources.Queue.Properties.Tags)
  end)

  it("compare a key never set with priority 0: a negative tag or removal alone does nothing", function()
    local t = h.synth(function(app, c)
      local s = c.Stack(app, "S")
      require("cdk.sqs").CfnQueue(s, "Queue")
      c.Tags.of(s):add("n", "neg", { priority = -1 })
      c.Tags.of(s):add("m", "kept")
      c.Tags.of(s):remove("m", { priority = -1 })
      c.Tags.of(s):remove("z", { priority = -1 })
      c.Tags.of(s):add("z", "zero", { priority = 0 })
    end)
    assert.same(tags({ { "m", "kept" }, { "z", "zero" } }), t.S.Resources.Queue.Properties.Tags)
  end)

  it("tags every stack of an App", function()
    local t = h.synth(function(app, c)
      ecr.CfnRepository(c.Stack(app, "One"), "Repo")
      ecr.CfnRepository(c.Stack(app, "Two"), "Repo")
      c.Tags.of(app):add("team", "x")
    end)
    assert.same(tags({ { "team", "x" } }), t.One.Resources.Repo.Properties.Tags)
    assert.same(tags({ { "team", "x" } }), t.Two.Resources.Repo.Properties.Tags)
  end)
end)
