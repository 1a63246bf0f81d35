-- The environment variables the AWS CDK CLI passes to an app (CDK_OUTDIR, CDK_CONTEXT_JSON,
-- CDK_DEFAULT_ACCOUNT and CDK_DEFAULT_REGION through cdk.default_env()), each run in a new
-- interpreter; the template is pinned against the AWS CDK v1 (1.204.0) run with the same values.
local helpers = require "support.helpers"

local dirs = {}

local function tmpdir()
  local d = helpers.tmppath(".out")
  dirs[#dirs + 1] = d
  return d
end

local APP = [[
local cdk = require "cdk"
local ecr = require "cdk.ecr"
local app = cdk.App()
local stack = cdk.Stack(app, "Stack", { env = cdk.default_env() })
local repo = ecr.Repository.from_repository_name(stack, "Imported", "web")
cdk.CfnOutput(stack, "Uri", { value = repo.repository_uri })
cdk.CfnOutput(stack, "Ctx", { value = app.node:try_get_context("greeting") })
app:synth()
]]

describe("the CDK CLI's environment variables", function()
  after_each(function()
    for _, d in ipairs(dirs) do helpers.rmtree(d) end
    dirs = {}
  end)

  it("CDK_OUTDIR, CDK_CONTEXT_JSON, CDK_DEFAULT_ACCOUNT and CDK_DEFAULT_REGION are honoured", function()
    -- given
    local out = tmpdir()
    -- when
    local ok, output = helpers.run_lua(APP, {
      CDK_OUTDIR = out,
      CDK_CONTEXT_JSON = '{"greeting":"hello"}',
      CDK_DEFAULT_ACCOUNT = "123456789012",
      CDK_DEFAULT_REGION = "eu-west-1",
    })
    -- then
    assert(ok, output)
    local stacks, manifest = helpers.read_assembly(out)
    assert.equal("aws://123456789012/eu-west-1", manifest.artifacts.Stack.environment)
    assert.equal([[
{
 "Outputs": {
  "Uri": {
   "Value": {
    "Fn::Join": [
     "",
     [
      "123456789012.dkr.ecr.eu-west-1.",
      {
       "Ref": "AWS::URLSuffix"
      },
      "/web"
     ]
    ]
   }
  },
  "Ctx": {
   "Value": "hello"
  }
 }
}]], stacks[1].text)
  end)

  it("without CDK_DEFAULT_ACCOUNT/REGION, default_env() gives an environment-agnostic stack", function()
    local out = tmpdir()
    local ok, output = helpers.run_lua([[
      local cdk = require "cdk"
      local env = cdk.default_env()
      assert(env.account == nil and env.region == nil)
      local app = cdk.App()
      cdk.Stack(app, "Stack", { env = env })
      app:synth()
    ]], { CDK_OUTDIR = out })
    assert(ok, output)
    local _, manifest = helpers.read_assembly(out)
    assert.equal("aws://unknown-account/unknown-region", manifest.artifacts.Stack.environment)
  end)

  it("a CDK_CONTEXT_JSON that is not a JSON object is reported by cdk.App, and require still works", function()
    -- text after the object too: JSON.parse, which CDK's App calls, refuses it
    for _, bad in ipairs { "[1]", "not json", '"text"', '{"a":1} x', '{"a":1}{}' } do
      local ok, output = helpers.run_lua([[
        local cdk = require "cdk"
        local ok, err = pcall(cdk.App, { outdir = "unused" })
        io.write(tostring(ok), " ", err)
      ]], { CDK_CONTEXT_JSON = bad })
      assert(ok, output)
      -- raised at the caller's line (the pcall in the script's line 2)
      assert.equal("false CDK_CONTEXT_JSON must be a JSON object: " .. bad, (output:gsub(" [^ ]-%.lua:2: ", " ", 1)))
      assert.matches("^false [^ ]-%.lua:2: ", output)
    end
  end)
end)
