-- Version reporting: the CDKMetadata construct CDK v1 adds to every stack when the context
-- "aws:cdk:version-reporting" is on (the CDK CLI sets it) or a stack's analytics_reporting is.
-- Templates are the reference's for the same program run with the same JSII_AGENT; the Analytics
-- text is compared after decoding (lua-cdk's gzip stores what Node's zlib compresses).
local cdk = require "cdk"
local h = require "support.helpers"

-- base64, then a gzip member of stored deflate blocks, to the text inside.
local function gunzip_stored(b64)
  local abc = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
  local bits, bytes = {}, {}
  for c in b64:gsub("=", ""):gmatch(".") do
    local v = abc:find(c, 1, true) - 1
    for k = 5, 0, -1 do bits[#bits + 1] = math.floor(v / 2 ^ k) % 2 end
  end
  for i = 1, #bits - 7, 8 do
    local v = 0
    for k = 0, 7 do v = v * 2 + bits[i + k] end
    bytes[#bytes + 1] = v
  end
  assert(bytes[1] == 0x1f and bytes[2] == 0x8b and bytes[3] == 8 and bytes[10] == 255, "gzip header")
  local pos, out = 11, {}
  repeat
    local final = bytes[pos] % 2
    assert(math.floor(bytes[pos] / 2) % 4 == 0, "stored block")
    local len = bytes[pos + 1] + 256 * bytes[pos + 2]
    for i = pos + 5, pos + 4 + len do out[#out + 1] = string.char(bytes[i]) end
    pos = pos + 5 + len
  until final == 1
  local text = table.concat(out)
  local size = bytes[pos + 4] + 256 * (bytes[pos + 5] + 256 * (bytes[pos + 6] + 256 * bytes[pos + 7]))
  assert(size == #text, "ISIZE")
  return text
end

local function analytics(template)
  local a = template.Resources.CDKMetadata.Properties.Analytics
  assert.equal("v2:deflate64:", a:sub(1, 13))
  return gunzip_stored(a:sub(14))
end

local REGIONS = { "af-south-1", "ap-east-1", "ap-northeast-1", "ap-northeast-2", "ap-south-1", "ap-southeast-1",
  "ap-southeast-2", "ca-central-1", "cn-north-1", "cn-northwest-1", "eu-central-1", "eu-north-1", "eu-south-1",
  "eu-west-1", "eu-west-2", "eu-west-3", "me-south-1", "sa-east-1", "us-east-1", "us-east-2", "us-west-1", "us-west-2" }

-- h.synth with version reporting on
local function synth(build)
  local dir = h.tmppath(".out")
  local app = cdk.App { outdir = dir, analytics_reporting = true }
  build(app)
  app:synth()
  local t = h.templates(dir)
  h.rmtree(dir)
  return t
end

describe("version reporting", function()
  it("adds CDKMetadata with the CDKMetadataAvailable condition to an environment-agnostic stack", function()
    local t = synth(function(app)
      require("cdk.ecr").Repository(cdk.Stack(app, "S"), "Repo")
    end)
    local groups, group = {}, nil
    for i, r in ipairs(REGIONS) do
      if (i - 1) % 10 == 0 then group = {} groups[#groups + 1] = { ["Fn::Or"] = group } end
      group[#group + 1] = { ["Fn::Equals"] = { { Ref = "AWS::Region" }, r } }
    end
    assert.same({ "Repo02AC86CF", "CDKMetadata" }, require("support.json").keys(t.S.Resources))
    assert.same({ Type = "AWS::CDK::Metadata", Properties = { Analytics = t.S.Resources.CDKMetadata.Properties.Analytics },
      Condition = "CDKMetadataAvailable" }, t.S.Resources.CDKMetadata)
    assert.same({ CDKMetadataAvailable = { ["Fn::Or"] = groups } }, t.S.Conditions)
    assert.matches("^1%.204%.0!@aws%-cdk/{core%.{Stack,Construct,CfnResource,CfnCondition},aws%-ecr%.{Repository,CfnRepository}},"
      .. ".+!jsii%-runtime%.Runtime$", analytics(t.S))
  end)

  it("lists the stack's construct types and the runtime as CDK does (JSII_AGENT)", function()
    local ok, out = h.run_lua([[
      local cdk, ecr, iam = require "cdk", require "cdk.ecr", require "cdk.iam"
      local app = cdk.App { outdir = os.getenv("OUT") }
      local s = cdk.Stack(app, "E", { env = { region = "us-east-1", account = "111111111111" } })
      ecr.Repository(s, "Repo"):grant_pull(iam.Role(s, "Role", { assumed_by = iam.AccountRootPrincipal() }))
      io.write(app:synth():get_stack_by_name("E").template.Resources.CDKMetadata.Properties.Analytics)
    ]], { JSII_AGENT = "Lua 5.4 (x,y)", CDK_CONTEXT_JSON = '{"aws:cdk:version-reporting":true}',
      OUT = h.tmppath(".out") })
    assert(ok, out)
    local a = out:match("v2:deflate64:(%S+)$")
    -- the reference's text for the same program with the same JSII_AGENT
    assert.equal("1.204.0!@aws-cdk/{core.{Stack,Construct,CfnResource},aws-{ecr.{Repository,CfnRepository},"
      .. "iam.{Role,CfnRole,Policy,CfnPolicy}}},Lua-5.4--x-y-!jsii-runtime.Runtime", gunzip_stored(a))
  end)

  it("adds the resource without condition where the region has the service, and none where it has not", function()
    local t = synth(function(app)
      cdk.CfnResource(cdk.Stack(app, "E", { env = { region = "eu-west-1", account = "1" } }), "Res", { type = "A::B" })
      cdk.CfnResource(cdk.Stack(app, "X", { env = { region = "us-iso-east-1", account = "1" } }), "Res", { type = "A::B" })
      cdk.CfnResource(cdk.Stack(app, "N", { env = { region = "xx-new-1", account = "1" } }), "Res", { type = "A::B" })
    end)
    assert.is_nil(t.E.Conditions)
    assert.is_nil(t.E.Resources.CDKMetadata.Condition)
    assert.matches("^1%.204%.0!@aws%-cdk/core%.{Stack,CfnResource,Construct},", analytics(t.E))
    assert.same({ Res = { Type = "A::B" } }, t.X.Resources)
    assert.same({ Res = { Type = "A::B" } }, t.N.Resources)
  end)

  it("follows cdk.App{ analytics_reporting } and a stack's analytics_reporting", function()
    local t = h.synth(function(app)
      cdk.CfnResource(cdk.Stack(app, "Off"), "Res", { type = "A::B" })
      cdk.CfnResource(cdk.Stack(app, "On", { analytics_reporting = true }), "Res", { type = "A::B" })
    end)
    assert.is_nil(t.Off.Resources.CDKMetadata)
    assert.is_table(t.On.Resources.CDKMetadata)
    local dir = h.tmppath(".out")
    local app = cdk.App { outdir = dir, analytics_reporting = true, context = { ["aws:cdk:version-reporting"] = false } }
    local on = cdk.Stack(app, "On")
    local off = cdk.Stack(app, "Off", { analytics_reporting = false })
    cdk.CfnResource(on, "Res", { type = "A::B" })
    cdk.CfnResource(off, "Res", { type = "A::B" })
    app:synth()
    local tpl = h.templates(dir)
    h.rmtree(dir)
    assert.is_table(tpl.On.Resources.CDKMetadata)
    assert.is_nil(tpl.Off.Resources.CDKMetadata)
    assert.has_error(function() cdk.App { analytics_reporting = "yes" } end,
      "bad argument #1 to 'App' (field 'analytics_reporting': boolean expected, got string)")
  end)

  it("writes CDKMetadata in tree.json and its logical IDs in the manifest", function()
    local dir = h.tmppath(".out")
    local app = cdk.App { outdir = dir, analytics_reporting = true }
    cdk.Stack(app, "S")
    app:synth()
    local _, manifest = h.read_assembly(dir)
    local tree = require("support.json").read_file(dir .. "/tree.json")
    h.rmtree(dir)
    assert.same({
      ["/S/CDKMetadata/Default"] = { { type = "aws:cdk:logicalId", data = "CDKMetadata" } },
      ["/S/CDKMetadata/Condition"] = { { type = "aws:cdk:logicalId", data = "CDKMetadataAvailable" } },
    }, manifest.artifacts.S.metadata)
    local md = tree.tree.children.S.children.CDKMetadata
    assert.equal("@aws-cdk/core.Construct", md.constructInfo.fqn)
    assert.equal("@aws-cdk/core.CfnResource", md.children.Default.constructInfo.fqn)
    assert.equal("@aws-cdk/core.CfnCondition", md.children.Condition.constructInfo.fqn)
  end)
end)
