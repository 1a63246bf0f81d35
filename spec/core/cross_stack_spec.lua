-- Cross-stack references: a Ref or Fn::GetAtt of one stack used in another becomes an Output
-- with an Export in the producer and Fn::ImportValue in the consumer, with CDK's export names and
-- a stack dependency; stacks are ordered topologically, ties by artifact id (CDK's
-- CloudAssembly.stacks). Expected templates and messages are the reference's.
local cdk = require "cdk"
local h = require "support.helpers"

local function import(name) return { ["Fn::ImportValue"] = name } end
local function export(value, name) return { Value = value, Export = { Name = name } } end

describe("cross-stack references", function()
  local dir, stacks, manifest

  setup(function()
    dir = h.tmppath(".out")
    local app = cdk.App { outdir = dir }
    local zed = cdk.Stack(app, "Zed")
    local alpha = cdk.Stack(app, "Alpha")
    local mid = cdk.Stack(app, "Mid")
    local beta = cdk.Stack(app, "Beta")
    local res = cdk.CfnResource(alpha, "Res", { type = "A::B" })
    local nested = cdk.CfnResource(cdk.Construct(alpha, "Group"), "Inner", { type = "A::B" })
    cdk.CfnResource(zed, "Use", { type = "A::B", properties = {
      R = res.ref, A = res:get_att("Arn"), J = "x-" .. res.ref, N = nested:get_att("Name"), R2 = res.ref } })
    cdk.CfnResource(mid, "Mm", { type = "A::B" })
    cdk.CfnOutput(beta, "Out", { value = res.ref })
    cdk.CfnResource(beta, "Same", { type = "A::B", properties = {
      Own = cdk.CfnResource(beta, "Own", { type = "A::B" }).ref, Reg = alpha.region } })
    app:synth()
    stacks, manifest = h.read_assembly(dir)
  end)

  teardown(function()
    h.rmtree(dir)
  end)

  local function template(name)
    for _, s in ipairs(stacks) do
      if s.name == name then return s.template end
    end
  end

  it("export the producer's values under CDK's names", function()
    assert.same({
      Resources = { Res = { Type = "A::B" }, GroupInner92CB7A4B = { Type = "A::B" } },
      Outputs = {
        ExportsOutputRefResBDD06865 = export({ Ref = "Res" }, "Alpha:ExportsOutputRefResBDD06865"),
        ExportsOutputFnGetAttResArn2C1F8777 = export({ ["Fn::GetAtt"] = { "Res", "Arn" } },
          "Alpha:ExportsOutputFnGetAttResArn2C1F8777"),
        ExportsOutputFnGetAttGroupInner92CB7A4BName3EA17FDA = export({ ["Fn::GetAtt"] = { "GroupInner92CB7A4B", "Name" } },
          "Alpha:ExportsOutputFnGetAttGroupInner92CB7A4BName3EA17FDA"),
      },
    }, template("Alpha"))
  end)

  it("import them in the consumers, once per value", function()
    assert.same({ Resources = { Use = { Type = "A::B", Properties = {
      R = import("Alpha:ExportsOutputRefResBDD06865"),
      A = import("Alpha:ExportsOutputFnGetAttResArn2C1F8777"),
      J = { ["Fn::Join"] = { "", { "x-", import("Alpha:ExportsOutputRefResBDD06865") } } },
      N = import("Alpha:ExportsOutputFnGetAttGroupInner92CB7A4BName3EA17FDA"),
      R2 = import("Alpha:ExportsOutputRefResBDD06865"),
    } } } }, template("Zed"))
    assert.same({
      Outputs = { Out = { Value = import("Alpha:ExportsOutputRefResBDD06865") } },
      Resources = { Own = { Type = "A::B" }, Same = { Type = "A::B", Properties = { Own = { Ref = "Own" }, Reg = { Ref = "AWS::Region" } } } },
    }, template("Beta"))
  end)

  it("make the consumers depend on the producer", function()
    assert.same({ "Alpha" }, manifest.artifacts.Zed.dependencies)
    assert.same({ "Alpha" }, manifest.artifacts.Beta.dependencies)
    assert.is_nil(manifest.artifacts.Alpha.dependencies)
    assert.is_nil(manifest.artifacts.Mid.dependencies)
  end)

  it("order the stacks topologically, ties by id", function()
    local names = {}
    for i, s in ipairs(stacks) do names[i] = s.name end
    assert.same({ "Alpha", "Mid", "Beta", "Zed" }, names)
  end)
end)

describe("stack order", function()
  it("sorts independent stacks by id", function()
    local dir = h.tmppath(".out")
    local app = cdk.App { outdir = dir }
    cdk.Stack(app, "Pinned")
    cdk.Stack(app, "Agnostic")
    local z, a = cdk.Stack(app, "Zed"), cdk.Stack(app, "Alpha")
    z:add_dependency(a)
    local asm = app:synth()
    local names = {}
    for i, s in ipairs(asm.stacks) do names[i] = s.stack_name end
    local stacks = h.read_assembly(dir)
    h.rmtree(dir)
    assert.same({ "Agnostic", "Alpha", "Pinned", "Zed" }, names)
    for i, s in ipairs(stacks) do assert.equal(names[i], s.name) end
  end)
end)

describe("cross-stack reference errors", function()
  it("refuse a cycle with CDK's message", function()
    local err = h.error_of(h.synth, function(app, c)
      local a, b = c.Stack(app, "Aa"), c.Stack(app, "Bb")
      local ra = c.CfnResource(a, "Ra", { type = "A::B" })
      local rb = c.CfnResource(b, "Rb", { type = "A::B", properties = { X = ra.ref } })
      c.CfnResource(a, "Ra2", { type = "A::B", properties = { Y = rb.ref } })
    end)
    assert.matches("'Aa' depends on 'Bb' (Aa -> Bb/Rb.Ref). Adding this dependency (Bb -> Aa/Ra.Ref) would create a cyclic reference.",
      err, 1, true)
  end)

  it("refuse references between environments", function()
    local err = h.error_of(h.synth, function(app, c)
      local a = c.Stack(app, "Aa", { env = { account = "111111111111", region = "us-east-1" } })
      local b = c.Stack(app, "Bb", { env = { account = "222222222222", region = "us-east-1" } })
      local ra = c.CfnResource(a, "Ra", { type = "A::B" })
      c.CfnResource(b, "Rb", { type = "A::B", properties = { X = ra.ref } })
    end)
    assert.matches('Stack "Bb" cannot consume a cross reference from stack "Aa". Cross stack references are only supported '
      .. "for stacks deployed to the same environment or between nested stacks and their parent stack", err, 1, true)
  end)
end)

-- Feature flags are read as CDK's FeatureFlags.isEnabled reads them: the context value, truthy as
-- JavaScript finds it (the string "false" enables a flag). Names are the reference's.
describe("feature flags of export names and artifact ids", function()
  local function synth_with(context, build)
    local dir = h.tmppath(".out")
    local app = cdk.App { outdir = dir, context = context }
    build(app)
    app:synth()
    local stacks = h.read_assembly(dir)
    h.rmtree(dir)
    return stacks
  end

  -- a resource in a stack below a construct, referred to from a top-level stack
  local function nested_producer(app)
    local zeta = cdk.Stack(cdk.Construct(app, "Grp"), "Zeta")
    local res = cdk.CfnResource(cdk.Construct(zeta, "Inner"), "R", { type = "A::B" })
    cdk.CfnOutput(cdk.Stack(app, "Beta"), "Out", { value = res:get_att("Arn") })
  end

  local function import_of(stacks)
    for _, s in ipairs(stacks) do
      if s.name == "Beta" then return s.template.Outputs.Out.Value["Fn::ImportValue"] end
    end
  end

  it("name exports after the scopes below the App's child without stackRelativeExports", function()
    assert.equal("GrpZetaF4F5ED4B:ZetaExportsOutputFnGetAttInnerR583DAFCFArn91B0BB3B",
      import_of(synth_with(nil, nested_producer)))
    assert.equal("GrpZetaF4F5ED4B:ZetaExportsOutputFnGetAttInnerR583DAFCFArn91B0BB3B",
      import_of(synth_with({ ["@aws-cdk/core:stackRelativeExports"] = false }, nested_producer)))
  end)

  it("name exports after the scopes below the stack with stackRelativeExports (even \"false\")", function()
    for _, v in ipairs { true, "true", "false" } do
      assert.equal("GrpZetaF4F5ED4B:ExportsOutputFnGetAttInnerR583DAFCFArn50712CCF",
        import_of(synth_with({ ["@aws-cdk/core:stackRelativeExports"] = v }, nested_producer)))
    end
  end)

  it("take the artifact id from the path with enableStackNameDuplicates (even \"false\")", function()
    local function named(app) cdk.Stack(app, "Zeta", { stack_name = "custom" }) end
    for _, v in ipairs { true, "false", 1 } do
      local s = synth_with({ ["@aws-cdk/core:enableStackNameDuplicates"] = v }, named)[1]
      assert.same({ "custom", "Zeta", "Zeta.template.json" }, { s.name, s.artifact, s.file })
    end
    for _, v in ipairs { false, 0, "" } do
      local s = synth_with({ ["@aws-cdk/core:enableStackNameDuplicates"] = v }, named)[1]
      assert.same({ "custom", "custom", "custom.template.json" }, { s.name, s.artifact, s.file })
    end
  end)
end)
