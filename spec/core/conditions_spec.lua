-- CfnCondition, the condition functions of Fn (condition_and ... value_of_all) and the
-- cfn_options of a CfnResource. Expected templates are the reference's (AWS CDK v1 1.204.0) for
-- the same programs.
local cdk = require "cdk"
local h = require "support.helpers"
local unpack = table.unpack or unpack -- Lua 5.1 and LuaJIT
local Fn = cdk.Fn

local function eq(lhs, rhs) return { ["Fn::Equals"] = { lhs, rhs } } end
local ENV = { Ref = "Env" }

describe("CfnCondition", function()
  it("writes the Conditions section in tree order, after Resources, and skips one without expression", function()
    local dir = h.tmppath(".out")
    local app = cdk.App { outdir = dir }
    local s = cdk.Stack(app, "S")
    local env = cdk.CfnParameter(s, "Env", { type = "String", default = "dev" })
    cdk.CfnResource(s, "Res", { type = "A::B" })
    local is_prod = cdk.CfnCondition(s, "IsProd", { expression = Fn.condition_equals(env.value_as_string, "prod") })
    cdk.CfnCondition(s, "IsDev", { expression = Fn.condition_not(is_prod) })
    cdk.CfnCondition(s, "Empty")
    cdk.CfnOutput(s, "Out", { value = "v", condition = is_prod })
    app:synth()
    assert.equal([[{
 "Parameters": {
  "Env": {
   "Type": "String",
   "Default": "dev"
  }
 },
 "Resources": {
  "Res": {
   "Type": "A::B"
  }
 },
 "Conditions": {
  "IsProd": {
   "Fn::Equals": [
    {
     "Ref": "Env"
    },
    "prod"
   ]
  },
  "IsDev": {
   "Fn::Not": [
    {
     "Condition": "IsProd"
    }
   ]
  }
 },
 "Outputs": {
  "Out": {
   "Value": "v",
   "Condition": "IsProd"
  }
 }
}]], h.read(dir .. "/S.template.json"))
    h.rmtree(dir)
  end)

  it("combines conditions with and, or, not, contains and each-member functions", function()
    local t = h.synth(function(app)
      local s = cdk.Stack(app, "S")
      local env = cdk.CfnParameter(s, "Env", { type = "String" }).value_as_string
      local p = cdk.CfnCondition(s, "IsProd", { expression = Fn.condition_equals(env, "prod") })
      local d = cdk.CfnCondition(s, "IsDev", { expression = Fn.condition_not(p) })
      cdk.CfnCondition(s, "Both", { expression = Fn.condition_and(p, d, Fn.condition_or(p, Fn.condition_contains({ "a", "b" }, env))) })
      cdk.CfnCondition(s, "Single", { expression = Fn.condition_and(p) })
      cdk.CfnCondition(s, "Each", { expression = Fn.condition_each_member_equals({ "a" }, "b") })
      cdk.CfnCondition(s, "In", { expression = Fn.condition_each_member_in({ "a" }, { "b" }) })
    end)
    assert.same({
      IsProd = eq(ENV, "prod"),
      IsDev = { ["Fn::Not"] = { { Condition = "IsProd" } } },
      Both = { ["Fn::And"] = { { Condition = "IsProd" }, { Condition = "IsDev" },
        { ["Fn::Or"] = { { Condition = "IsProd" }, { ["Fn::Contains"] = { { "a", "b" }, ENV } } } } } },
      Single = { Condition = "IsProd" },
      Each = { ["Fn::EachMemberEquals"] = { { "a" }, "b" } },
      In = { ["Fn::EachMemberIn"] = { { "a" }, { "b" } } },
    }, t.S.Conditions)
  end)

  it("groups more than 10 conditions of condition_and/condition_or by 10, as CDK does", function()
    local t = h.synth(function(app)
      local s = cdk.Stack(app, "S")
      local env = cdk.CfnParameter(s, "Env", { type = "String" }).value_as_string
      local many = {}
      for i = 0, 11 do many[#many + 1] = Fn.condition_equals(env, "e" .. i) end
      cdk.CfnCondition(s, "Many", { expression = Fn.condition_or(unpack(many)) })
      cdk.CfnCondition(s, "All", { expression = Fn.condition_and(unpack(many, 1, 10)) })
    end)
    local first, second, ten = {}, {}, {}
    for i = 0, 9 do first[#first + 1] = eq(ENV, "e" .. i) end
    for i = 10, 11 do second[#second + 1] = eq(ENV, "e" .. i) end
    for i = 0, 9 do ten[#ten + 1] = eq(ENV, "e" .. i) end
    assert.same({ ["Fn::Or"] = { { ["Fn::Or"] = first }, { ["Fn::Or"] = second } } }, t.S.Conditions.Many)
    assert.same({ ["Fn::And"] = ten }, t.S.Conditions.All)
  end)

  it("condition_if takes a logical ID (a string, cond.logical_id or the condition)", function()
    local t = h.synth(function(app)
      local s = cdk.Stack(app, "S")
      local c = cdk.CfnCondition(s, "IsProd", { expression = Fn.condition_equals("a", "b") })
      local r = cdk.CfnResource(s, "Res", { type = "A::B" })
      cdk.CfnOutput(s, "OutA", { value = tostring(Fn.condition_if(c.logical_id, "yes", "no")) })
      cdk.CfnOutput(s, "OutB", { value = tostring(Fn.condition_if("IsProd", cdk.Aws.NO_VALUE, r.ref)) })
      cdk.CfnOutput(s, "OutC", { value = Fn.condition_if(c, 1, 2) })
    end)
    assert.same({
      OutA = { Value = { ["Fn::If"] = { "IsProd", "yes", "no" } } },
      OutB = { Value = { ["Fn::If"] = { "IsProd", { Ref = "AWS::NoValue" }, { Ref = "Res" } } } },
      OutC = { Value = { ["Fn::If"] = { "IsProd", 1, 2 } } },
    }, t.S.Outputs)
  end)

  it("follows an overridden logical ID", function()
    local t = h.synth(function(app)
      local s = cdk.Stack(app, "S")
      local c = cdk.CfnCondition(s, "Cond", { expression = Fn.condition_equals("a", "b") })
      local r = cdk.CfnResource(s, "Res", { type = "A::B" })
      r.cfn_options.condition = c
      cdk.CfnCondition(s, "Not", { expression = Fn.condition_not(c) })
      c:override_logical_id("Renamed")
    end)
    assert.same({ Renamed = eq("a", "b"), Not = { ["Fn::Not"] = { { Condition = "Renamed" } } } }, t.S.Conditions)
    assert.equal("Renamed", t.S.Resources.Res.Condition)
  end)

  it("value_of, ref_all and value_of_all", function()
    local t = h.synth(function(app)
      local s = cdk.Stack(app, "S")
      cdk.CfnOutput(s, "Vals", { value = Fn.value_of("Env", "Tags") })
      cdk.CfnOutput(s, "RefAll", { value = Fn.join(",", Fn.ref_all("AWS::EC2::VPC::Id")) })
      cdk.CfnOutput(s, "VOA", { value = Fn.join(",", Fn.value_of_all("AWS::EC2::VPC::Id", "Tags.Name")) })
    end)
    assert.same({
      Vals = { Value = { ["Fn::ValueOf"] = { "Env", "Tags" } } },
      RefAll = { Value = { ["Fn::Join"] = { ",", { ["Fn::RefAll"] = "AWS::EC2::VPC::Id" } } } },
      VOA = { Value = { ["Fn::Join"] = { ",", { ["Fn::ValueOfAll"] = { "AWS::EC2::VPC::Id", "Tags.Name" } } } } },
    }, t.S.Outputs)
  end)

  it("is a CfnElement with its expression", function()
    local app = cdk.App()
    local s = cdk.Stack(app, "S")
    local c = cdk.CfnCondition(s, "Cond", { expression = Fn.condition_equals("a", "b") })
    assert.equal("CfnCondition", getmetatable(c) and c.node.path and "CfnCondition")
    assert.equal("S/Cond", c.node.path)
    assert.same({ ["Fn::Equals"] = { "a", "b" } }, s:resolve(c.expression))
    assert.same({ Condition = "Cond" }, s:resolve(Fn.condition_and(c)))
    app:close()
  end)

  it("rejects bad arguments", function()
    local app = cdk.App()
    local s = cdk.Stack(app, "S")
    local other = cdk.App()
    local foreign = cdk.CfnCondition(cdk.Stack(other, "O"), "Foreign")
    assert.has_error(function() Fn.condition_and() end, "Fn.condition_and() needs at least one argument")
    assert.has_error(function() Fn.condition_or() end, "Fn.condition_or() needs at least one argument")
    assert.has_error(function() Fn.condition_equals("a") end,
      "bad argument #2 to 'Fn.condition_equals' (condition expression expected, got no value)")
    assert.has_error(function() Fn.condition_if(1, "a", "b") end,
      "bad argument #1 to 'Fn.condition_if' (string expected, got number)")
    assert.has_error(function() cdk.CfnCondition(s, "C", { expression = "x" }) end,
      "bad argument #3 to 'CfnCondition' (field 'expression': condition expression expected, got string)")
    assert.has_error(function() cdk.CfnCondition(s, "C2", { expresion = {} }) end)
    assert.has_error(function() cdk.CfnOutput(s, "O", { value = "v", condition = "IsProd" }) end,
      "bad argument #3 to 'CfnOutput' (field 'condition': CfnCondition expected, got string)")
    local r = cdk.CfnResource(s, "Res", { type = "A::B" })
    assert.has_error(function() r.cfn_options.condition = "IsProd" end,
      "bad argument #2 to 'cfn_options' (field 'condition': CfnCondition expected, got string)")
    assert.has_error(function() r.cfn_options.condition = foreign end,
      "bad argument #2 to 'cfn_options' (field 'condition': CfnCondition of another App)")
    -- Fn functions belong to no App; the condition of another App is found missing when resolved
    cdk.CfnCondition(s, "C3", { expression = Fn.condition_not(foreign) })
    assert.matches("Resolution error: Unrecognized token key: ", h.error_of(s.to_json, s), 1, true)
    other:close()
    app:close()
  end)
end)

describe("cfn_options", function()
  it("sets the condition, policies, metadata, description and version", function()
    local dir = h.tmppath(".out")
    local app = cdk.App { outdir = dir }
    local s = cdk.Stack(app, "S")
    local r = cdk.CfnResource(s, "Res", { type = "A::B", properties = { P = 1 } })
    local c = cdk.CfnCondition(s, "Cond", { expression = Fn.condition_equals("a", "b") })
    r.cfn_options.condition = c
    r.cfn_options.deletion_policy = cdk.CfnDeletionPolicy.SNAPSHOT
    r.cfn_options.update_replace_policy = cdk.CfnDeletionPolicy.DELETE
    r.cfn_options.metadata = { Foo = { Bar = 1 } }
    r.cfn_options.description = "desc"
    r.cfn_options.version = "1.0"
    r:add_metadata("Extra", "x")
    cdk.CfnResource(s, "Res2", { type = "A::B" }):apply_removal_policy(cdk.RemovalPolicy.DESTROY)
    assert.equal(c, r.cfn_options.condition)
    assert.equal("Snapshot", r.cfn_options.deletion_policy)
    assert.equal("Delete", r.cfn_options.update_replace_policy)
    assert.equal("desc", r.cfn_options.description)
    assert.equal("1.0", r.cfn_options.version)
    assert.same({ Foo = { Bar = 1 }, Extra = "x" }, r.cfn_options.metadata)
    app:synth()
    assert.equal([[{
 "Resources": {
  "Res": {
   "Type": "A::B",
   "Properties": {
    "P": 1
   },
   "UpdateReplacePolicy": "Delete",
   "DeletionPolicy": "Snapshot",
   "Version": "1.0",
   "Description": "desc",
   "Metadata": {
    "Foo": {
     "Bar": 1
    },
    "Extra": "x"
   },
   "Condition": "Cond"
  },
  "Res2": {
   "Type": "A::B",
   "UpdateReplacePolicy": "Delete",
   "DeletionPolicy": "Delete"
  }
 },
 "Conditions": {
  "Cond": {
   "Fn::Equals": [
    "a",
    "b"
   ]
  }
 }
}]], h.read(dir .. "/S.template.json"))
    h.rmtree(dir)
  end)

  it("clears a setting with nil and rejects unknown fields and bad values", function()
    local t = h.synth(function(app)
      local s = cdk.Stack(app, "S")
      local r = cdk.CfnResource(s, "Res", { type = "A::B" })
      r.cfn_options.deletion_policy = "Retain"
      r.cfn_options.deletion_policy = nil
      r.cfn_options.description = "d"
      r.cfn_options.description = nil
      assert.has_error(function() r.cfn_options.deletionpolicy = "Retain" end,
        "cfn_options has no field 'deletionpolicy' (expected one of condition, deletion_policy, update_replace_policy, metadata, description, version)")
      assert.has_error(function() return r.cfn_options.creation_policy end)
      assert.has_error(function() r.cfn_options.deletion_policy = "retain" end,
        "bad argument #2 to 'cfn_options' (field 'deletion_policy': cdk.CfnDeletionPolicy (\"Delete\", \"Retain\" or \"Snapshot\") expected, got string)")
      assert.has_error(function() r.cfn_options.metadata = "m" end,
        "bad argument #2 to 'cfn_options' (field 'metadata': table expected, got string)")
      assert.has_error(function() r.cfn_options.version = 2 end,
        "bad argument #2 to 'cfn_options' (field 'version': string expected, got number)")
    end)
    assert.same({ Res = { Type = "A::B" } }, t.S.Resources)
  end)
end)
