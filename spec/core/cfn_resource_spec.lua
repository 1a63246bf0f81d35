-- CfnResource: properties, CDK's overrides (addOverride and friends, merged with its deepMerge),
-- DependsOn, removal policies, Ref/GetAtt, logical ID overrides and metadata. The expected
-- templates are what the reference wrote for the same program.
local cdk = require "cdk"
local h = require "support.helpers"

local function const(v) return function() return v end end

describe("CfnResource", function()
  it("writes its type and properties", function()
    local t = h.synth(function(app, c)
      local s = c.Stack(app, "S")
      c.CfnResource(s, "Res", { type = "A::B", properties = { Keep = 1, Obj = { a = 1 }, List = { 1, "x" }, B = false } })
      c.CfnResource(s, "Bare", { type = "A::B" })
      c.CfnResource(s, "Empty", { type = "A::B", properties = {} })
    end)
    assert.same({ Resources = {
      Res = { Type = "A::B", Properties = { Keep = 1, Obj = { a = 1 }, List = { 1, "x" }, B = false } },
      Bare = { Type = "A::B" },
      Empty = { Type = "A::B" },
    } }, t.S)
  end)

  it("merges overrides as CDK's addOverride does", function()
    local t = h.synth(function(app, c)
      local s = c.Stack(app, "S")
      local r = c.CfnResource(s, "Res", { type = "A::B", properties = {
        Keep = 1, Obj = { a = 1, b = { c = 2 } }, List = { 1, 2 }, Del = "x", Str = "s" } })
      r:add_override("Properties.Obj.b.d", 3)
      r:add_override("Properties.Obj.a", { z = 1 })
      r:add_override("Properties.New.Deep.Key", "v")
      r:add_property_override("List", { 9 })
      r:add_property_override("Str.sub", 1)
      r:add_override("Properties.a\\.b", "dotted")
      r:add_deletion_override("Properties.Del")
      r:add_property_deletion_override("Obj.b.c")
      r:add_override("UpdatePolicy.AutoScaling", { X = 1 })
      r:add_override("Metadata.M", "m")
      r:add_override("Custom", "c")
      r:add_metadata("k", "v")
      assert.equal("v", r:get_metadata("k"))
    end)
    assert.same({ Resources = { Res = {
      Type = "A::B",
      Properties = {
        Keep = 1,
        Obj = { a = { z = 1 }, b = { d = 3 } },
        List = { 9 },
        Str = { sub = 1 },
        New = { Deep = { Key = "v" } },
        ["a.b"] = "dotted",
      },
      Metadata = { k = "v", M = "m" },
      UpdatePolicy = { AutoScaling = { X = 1 } },
      Custom = "c",
    } } }, t.S)
  end)

  it("keeps the order of the keys it replaces", function()
    local dir = h.tmppath(".out")
    local app = cdk.App { outdir = dir }
    local s = cdk.Stack(app, "S")
    local r = cdk.CfnResource(s, "Res", { type = "A::B", properties = { A = "a", B = "b", C = "c" } })
    r:add_property_override("A", { 1 })
    r:add_property_override("B.x", 1)
    r:add_property_override("C", "z")
    app:synth()
    local text = h.read(dir .. "/S.template.json")
    h.rmtree(dir)
    assert.equal(table.concat({
      "{", ' "Resources": {', '  "Res": {', '   "Type": "A::B",', '   "Properties": {',
      '    "A": [', "     1", "    ],", '    "B": {', '     "x": 1', "    },", '    "C": "z"',
      "   }", "  }", " }", "}" }, "\n"), text)
  end)

  it("puts a schema property an override sets at its place in the L1's properties, as CDK does", function()
    -- CDK renders every property of an L1 (unset ones undefined) before it merges the overrides;
    -- a Properties section that had none is made fresh, in the overrides' order
    local ecr = require "cdk.ecr"
    local dir = h.tmppath(".out")
    local app = cdk.App { outdir = dir }
    local s = cdk.Stack(app, "S")
    local l1 = ecr.Repository(s, "Repo", { image_scan_on_push = true }).node.default_child
    l1:add_property_override("Zed", 1)
    l1:add_property_override("RepositoryName", "n-" .. cdk.Aws.REGION)
    l1:add_property_override("EncryptionConfiguration.EncryptionType", "KMS")
    local q = ecr.CfnPullThroughCacheRule(s, "Rule", { upstream_registry_url = "public.ecr.aws" })
    q:add_property_override("EcrRepositoryPrefix", "ecr-public")
    local p = ecr.CfnPullThroughCacheRule(s, "Fresh")
    p:add_property_override("UpstreamRegistryUrl", "quay.io")
    p:add_property_override("EcrRepositoryPrefix", "quay")
    app:synth()
    local text = h.read(dir .. "/S.template.json")
    h.rmtree(dir)
    assert.equal('{\n "Resources": {\n  "Repo02AC86CF": {\n   "Type": "AWS::ECR::Repository",\n   "Properties": {\n'
      .. '    "EncryptionConfiguration": {\n     "EncryptionType": "KMS"\n    },\n    "ImageScanningConfiguration": {\n'
      .. '     "ScanOnPush": true\n    },\n    "RepositoryName": {\n     "Fn::Join": [\n      "",\n      [\n       "n-",\n'
      .. '       {\n        "Ref": "AWS::Region"\n       }\n      ]\n     ]\n    },\n    "Zed": 1\n   },\n'
      .. '   "UpdateReplacePolicy": "Retain",\n   "DeletionPolicy": "Retain"\n  },\n  "Rule": {\n'
      .. '   "Type": "AWS::ECR::PullThroughCacheRule",\n   "Properties": {\n    "EcrRepositoryPrefix": "ecr-public",\n'
      .. '    "UpstreamRegistryUrl": "public.ecr.aws"\n   }\n  },\n  "Fresh": {\n   "Type": "AWS::ECR::PullThroughCacheRule",\n'
      .. '   "Properties": {\n    "UpstreamRegistryUrl": "quay.io",\n    "EcrRepositoryPrefix": "quay"\n   }\n  }\n }\n}', text)
  end)

  it("takes aws:cdk:path among its metadata when made with path metadata on (any truthy context value)", function()
    -- as CDK's constructor adds it: cfn_options.metadata replaces it, add_metadata overwrites it
    local dir = h.tmppath(".out")
    local app = cdk.App { outdir = dir, context = { ["aws:cdk:enable-path-metadata"] = "true",
      ["aws:cdk:disable-logicalId-metadata"] = "yes" } }
    local s = cdk.Stack(app, "S")
    cdk.CfnResource(s, "Aa", { type = "A::B" }).cfn_options.metadata = { z = 1 }
    cdk.CfnResource(s, "Bb", { type = "A::B" }):add_metadata("m", 2)
    local c = cdk.CfnResource(s, "Cc", { type = "A::B" })
    c:add_metadata("m", 2)
    c.cfn_options.metadata = { z = 1 }
    local d = cdk.CfnResource(s, "Dd", { type = "A::B" })
    d.cfn_options.metadata = { z = 1 }
    d:add_metadata("aws:cdk:path", "custom")
    d:add_metadata("m", 3)
    app:synth()
    local text = h.read(dir .. "/S.template.json")
    local _, manifest = h.read_assembly(dir)
    h.rmtree(dir)
    assert.equal('{\n "Resources": {\n  "Aa": {\n   "Type": "A::B",\n   "Metadata": {\n    "z": 1\n   }\n  },\n'
      .. '  "Bb": {\n   "Type": "A::B",\n   "Metadata": {\n    "aws:cdk:path": "S/Bb",\n    "m": 2\n   }\n  },\n'
      .. '  "Cc": {\n   "Type": "A::B",\n   "Metadata": {\n    "z": 1\n   }\n  },\n  "Dd": {\n   "Type": "A::B",\n'
      .. '   "Metadata": {\n    "z": 1,\n    "aws:cdk:path": "custom",\n    "m": 3\n   }\n  }\n }\n}', text)
    -- a truthy aws:cdk:disable-logicalId-metadata leaves the logical IDs out of the manifest
    assert.is_nil(manifest.artifacts.S.metadata)
  end)

  it("reads aws:cdk:disable-logicalId-metadata when the element is made, as CDK's CfnElement does", function()
    -- the reference's manifest: the logical IDs of Res and Param (the flag set on them afterwards)
    -- are listed, those of the elements made below G (the flag set on G first) are not
    local dir = h.tmppath(".out")
    local app = cdk.App { outdir = dir }
    local s = cdk.Stack(app, "A")
    local res = cdk.CfnResource(s, "Res", { type = "X::Y::Z" })
    res.node:set_context("aws:cdk:disable-logicalId-metadata", true)
    local g = cdk.Construct(s, "G")
    g.node:set_context("aws:cdk:disable-logicalId-metadata", true)
    cdk.CfnResource(g, "R2", { type = "X::Y::Z" })
    cdk.CfnParameter(s, "Param").node:set_context("aws:cdk:disable-logicalId-metadata", true)
    app:synth()
    local _, manifest = h.read_assembly(dir)
    h.rmtree(dir)
    assert.same({ ["/A/Res"] = { { type = "aws:cdk:logicalId", data = "Res" } },
      ["/A/Param"] = { { type = "aws:cdk:logicalId", data = "Param" } } }, manifest.artifacts.A.metadata)
  end)

  it("writes cdk.null as JSON null, in properties and overrides (the reference's template)", function()
    local s = cdk.Stack(cdk.App(), "S")
    local r = cdk.CfnResource(s, "Res", { type = "A::B", properties = { N = cdk.null, L = { cdk.null, 1 }, M = { x = cdk.null } } })
    r:add_property_override("O", cdk.null)
    r:add_override("Metadata.Z", cdk.null)
    -- templates read back hold cdk.null for JSON null
    assert.same({ Resources = { Res = { Type = "A::B",
      Properties = { N = cdk.null, L = { cdk.null, 1 }, M = { x = cdk.null }, O = cdk.null },
      Metadata = { Z = cdk.null } } } }, s:to_json())
    assert.is_not_nil(cdk.null)
  end)

  it("writes cdk.empty_array as [] where {} is the empty map (the reference's template)", function()
    -- the reference: properties { L: [[]], M: {}, Tags: [] } and addPropertyOverride('X.Y', [])
    local dir = h.tmppath(".out")
    local app = cdk.App { outdir = dir }
    local s = cdk.Stack(app, "S")
    local r = cdk.CfnResource(s, "Res", { type = "A::B",
      properties = { L = { cdk.empty_array }, M = {}, Tags = cdk.empty_array } })
    r:add_property_override("X.Y", cdk.empty_array)
    app:synth()
    local text = h.read(dir .. "/S.template.json")
    h.rmtree(dir)
    assert.equal('{\n "Resources": {\n  "Res": {\n   "Type": "A::B",\n   "Properties": {\n    "L": [\n     []\n    ],\n'
      .. '    "M": {},\n    "Tags": [],\n    "X": {\n     "Y": []\n    }\n   }\n  }\n }\n}', text)
  end)

  it("merges overrides into lists by index, as JavaScript's deepMerge does (the reference's template)", function()
    -- an index sets, merges into or deletes an element (past the end too; CDK's second resolution
    -- drops the holes), a key that is not an index does nothing, an emptied list goes
    local ecr = require "cdk.ecr"
    local dir = h.tmppath(".out")
    local app = cdk.App { outdir = dir }
    local s = cdk.Stack(app, "S")
    local r = cdk.CfnResource(s, "Res", { type = "A::B", properties = {
      A = { "a", "b", "c" }, B = { "a", "b" }, C = { "a" }, D = { { "x", "y" }, "z" }, E = { { k = 1 } }, F = { "a" },
      G = { "a", "b" }, H = { { q = 1 } } } })
    r:add_property_deletion_override("A.1")
    r:add_property_override("B.5", "f")
    r:add_property_override("B.3", "d")
    r:add_property_override("C.x", "ignored")
    r:add_property_override("D.0.1", "Y")
    r:add_property_deletion_override("E.0.k")
    r:add_property_override("F.01", "notindex")
    r:add_property_override("G.1", { o = 1 })
    r:add_property_override("H.0", cdk.Fn.import_value("I"))
    local repo = ecr.CfnRepository(s, "Repo", { tags = { { key = "a", value = "1" }, { key = "b", value = "2" } },
      encryption_configuration = { encryption_type = "KMS" } })
    repo:add_property_override("Tags.1.Value", "two")
    repo:add_property_override("Tags.0.Extra", "x")
    repo:add_property_override("Tags.2", { Key = "c", Value = "3" })
    app:synth()
    local text = h.read(dir .. "/S.template.json")
    h.rmtree(dir)
    assert.equal([[
{
 "Resources": {
  "Res": {
   "Type": "A::B",
   "Properties": {
    "A": [
     "a",
     "c"
    ],
    "B": [
     "a",
     "b",
     "d",
     "f"
    ],
    "C": [
     "a"
    ],
    "D": [
     [
      "x",
      "Y"
     ],
     "z"
    ],
    "F": [
     "a"
    ],
    "G": [
     "a",
     {
      "o": 1
     }
    ],
    "H": [
     {
      "q": 1,
      "Fn::ImportValue": "I"
     }
    ]
   }
  },
  "Repo": {
   "Type": "AWS::ECR::Repository",
   "Properties": {
    "EncryptionConfiguration": {
     "EncryptionType": "KMS"
    },
    "Tags": [
     {
      "Key": "a",
      "Value": "1",
      "Extra": "x"
     },
     {
      "Key": "b",
      "Value": "two"
     },
     {
      "Key": "c",
      "Value": "3"
     }
    ]
   }
  }
 }
}]], text)
  end)

  it("replaces the type and merges whole sections", function()
    local t = h.synth(function(app, c)
      local s = c.Stack(app, "S")
      local r5 = c.CfnResource(s, "Res5", { type = "A::B" })
      local r6 = c.CfnResource(s, "Res6", { type = "A::B", properties = { R5 = r5.ref } })
      r6:add_override("Type", "C::D")
      r6:add_override("Properties", { Whole = true })
      r6:add_deletion_override("Properties.Nope.Deeper")
      local r7 = c.CfnResource(s, "Res7", { type = "A::B", properties = { X = 1 } })
      r7:add_deletion_override("Properties")
      local r8 = c.CfnResource(s, "Res8", { type = "A::B" })
      r8:add_property_override("A.B", 1)
    end)
    assert.same({ Resources = {
      Res5 = { Type = "A::B" },
      Res6 = { Type = "C::D", Properties = { R5 = { Ref = "Res5" }, Whole = true } },
      Res7 = { Type = "A::B" },
      Res8 = { Type = "A::B", Properties = { A = { B = 1 } } },
    } }, t.S)
  end)

  it("resolves tokens in overrides", function()
    local t = h.synth(function(app, c)
      local s = c.Stack(app, "S")
      local r = c.CfnResource(s, "Res", { type = "A::B" })
      r:add_property_override("Region", s.region)
      r:add_property_override("Lazy", c.Lazy.string { produce = const("l") })
    end)
    assert.same({ Resources = { Res = { Type = "A::B", Properties = { Region = { Ref = "AWS::Region" }, Lazy = "l" } } } }, t.S)
  end)

  it("needs a value for add_override (deletions have their own method)", function()
    local app = cdk.App()
    local r = cdk.CfnResource(cdk.Stack(app, "S"), "Res", { type = "A::B" })
    assert.has_error(function() r:add_override("Properties.X") end,
      "bad argument #2 to 'add_override' (value expected (use add_deletion_override for deletions))")
    assert.has_error(function() r:add_override(1, 2) end, "bad argument #1 to 'add_override' (string expected, got number)")
    app:close()
  end)

  it("lists DependsOn once each, sorted", function()
    local t = h.synth(function(app, c)
      local s = c.Stack(app, "S")
      local r = c.CfnResource(s, "Res", { type = "A::B" })
      local b = c.CfnResource(s, "Bbb", { type = "A::B" })
      local a = c.CfnResource(s, "Aaa", { type = "A::B" })
      r:add_depends_on(b)
      r:add_depends_on(a)
      r:add_depends_on(a)
      r:add_depends_on(r)
    end)
    assert.same({ Resources = {
      Res = { Type = "A::B", DependsOn = { "Aaa", "Bbb" } },
      Bbb = { Type = "A::B" },
      Aaa = { Type = "A::B" },
    } }, t.S)
  end)

  it("turns a DependsOn on another stack's resource into a stack dependency", function()
    local dir = h.tmppath(".out")
    local app = cdk.App { outdir = dir }
    local s1, s2 = cdk.Stack(app, "One"), cdk.Stack(app, "Two")
    local r1 = cdk.CfnResource(s1, "R1", { type = "A::B" })
    local r2 = cdk.CfnResource(s2, "R2", { type = "A::B" })
    r1:add_depends_on(r2)
    assert.equal(s2, s1.dependencies[1])
    app:synth()
    local stacks = h.read_assembly(dir)
    h.rmtree(dir)
    assert.equal("Two", stacks[1].name)
    assert.same({ Resources = { R1 = { Type = "A::B" } } }, stacks[2].template)
  end)

  it("applies removal policies", function()
    local t = h.synth(function(app, c)
      local s = c.Stack(app, "S")
      c.CfnResource(s, "Destroy", { type = "A::B" }):apply_removal_policy(c.RemovalPolicy.DESTROY)
      c.CfnResource(s, "Retain", { type = "A::B" }):apply_removal_policy(c.RemovalPolicy.RETAIN,
        { apply_to_update_replace_policy = false })
      c.CfnResource(s, "Snapshot", { type = "A::B" }):apply_removal_policy(c.RemovalPolicy.SNAPSHOT)
      c.CfnResource(s, "Dflt", { type = "A::B" }):apply_removal_policy(nil, { default = c.RemovalPolicy.DESTROY })
      c.CfnResource(s, "Retain2", { type = "A::B" }):apply_removal_policy(c.RemovalPolicy.RETAIN)
    end)
    assert.same({ Resources = {
      Destroy = { Type = "A::B", UpdateReplacePolicy = "Delete", DeletionPolicy = "Delete" },
      Retain = { Type = "A::B", DeletionPolicy = "Retain" },
      Snapshot = { Type = "A::B", UpdateReplacePolicy = "Snapshot", DeletionPolicy = "Snapshot" },
      Dflt = { Type = "A::B", UpdateReplacePolicy = "Delete", DeletionPolicy = "Delete" },
      Retain2 = { Type = "A::B", UpdateReplacePolicy = "Retain", DeletionPolicy = "Retain" },
    } }, t.S)
  end)

  it("checks removal policy arguments", function()
    local app = cdk.App()
    local r = cdk.CfnResource(cdk.Stack(app, "S"), "Res", { type = "A::B" })
    assert.has_error(function() r:apply_removal_policy("keep") end,
      "bad argument #1 to 'apply_removal_policy' (one of destroy, retain, snapshot expected, got 'keep')")
    assert.has_error(function() r:apply_removal_policy(cdk.RemovalPolicy.RETAIN, { defualt = 1 }) end,
      "bad argument #2 to 'apply_removal_policy' (unknown property 'defualt')")
    assert.has_error(function() return cdk.RemovalPolicy.KEEP end, "RemovalPolicy has no member 'KEEP'")
    app:close()
  end)

  it("gives Ref and Fn::GetAtt tokens, and a logical_id token", function()
    local app = cdk.App()
    local s = cdk.Stack(app, "S")
    local r = cdk.CfnResource(s, "Res", { type = "A::B" })
    assert.equal("A::B", r.cfn_resource_type)
    assert.same({ Ref = "Res" }, s:resolve(r.ref))
    assert.same({ ["Fn::GetAtt"] = { "Res", "Arn" } }, s:resolve(r:get_att("Arn")))
    assert.same({ ["Fn::Join"] = { "", { "x-", { ["Fn::GetAtt"] = { "Res", "Arn.Sub" } } } } },
      s:resolve("x-" .. r:get_att("Arn.Sub")))
    assert.equal("Res", s:resolve(r.logical_id))
    assert.equal(s, r.stack)
    app:close()
  end)

  it("takes an overridden logical ID everywhere it is referenced", function()
    local t = h.synth(function(app, c)
      local s = c.Stack(app, "S")
      local r = c.CfnResource(s, "Res", { type = "A::B" })
      local r5 = c.CfnResource(s, "Res5", { type = "A::B", properties = { Ref = r.ref, Lid = r.logical_id } })
      r5:override_logical_id("Renamed")
      c.CfnResource(s, "Res6", { type = "A::B", properties = { R5 = r5.ref, Att = r5:get_att("Arn") } })
    end)
    assert.same({ Resources = {
      Res = { Type = "A::B" },
      Renamed = { Type = "A::B", Properties = { Ref = { Ref = "Res" }, Lid = "Res" } },
      Res6 = { Type = "A::B", Properties = { R5 = { Ref = "Renamed" }, Att = { ["Fn::GetAtt"] = { "Renamed", "Arn" } } } },
    } }, t.S)
  end)

  it("requires a type and checks its props", function()
    local app = cdk.App()
    local s = cdk.Stack(app, "S")
    assert.has_error(function() cdk.CfnResource(s, "NoType", {}) end, "The `type` property is required")
    assert.has_error(function() cdk.CfnResource(s, "R1") end, "bad argument #3 to 'CfnResource' (table expected, got no value)")
    assert.has_error(function() cdk.CfnResource(s, "R2", { type = "A::B", props = {} }) end,
      "bad argument #3 to 'CfnResource' (unknown property 'props')")
    assert.has_error(function() cdk.CfnResource(s, "R3", { type = "A::B", properties = "x" }) end,
      "bad argument #3 to 'CfnResource' (field 'properties': table expected, got string)")
    assert.has_error(function() cdk.CfnResource(s, "R4", { type = 1 }) end,
      "bad argument #3 to 'CfnResource' (field 'type': string expected, got number)")
    assert.is_nil(s.node:try_find_child("NoType"))
    app:close()
  end)
end)
