-- The cloud assembly app:synth() writes: manifest.json and tree.json exactly as CDK writes them
-- (without CDK's stack traces), the cdk.out marker, the synth() result, where it is written
-- ($CDK_OUTDIR, cdk.out), that a folder which is not an assembly is never overwritten and that a
-- failing synth leaves the earlier assembly as it was. Expected files are the reference's.
local cdk = require "cdk"
local h = require "support.helpers"

local MANIFEST = [[
{
  "version": "21.0.0",
  "artifacts": {
    "Tree": {
      "type": "cdk:tree",
      "properties": {
        "file": "tree.json"
      }
    },
    "Tagged": {
      "type": "aws:cloudformation:stack",
      "environment": "aws://123456789012/us-east-1",
      "properties": {
        "templateFile": "Tagged.template.json",
        "terminationProtection": true,
        "tags": {
          "a": "1",
          "b": "2"
        },
        "validateOnSynth": false
      },
      "metadata": {
        "/Tagged": [
          {
            "type": "aws:cdk:stack-tags",
            "data": [
              {
                "Key": "a",
                "Value": "1"
              },
              {
                "Key": "b",
                "Value": "2"
              }
            ]
          }
        ],
        "/Tagged/Res": [
          {
            "type": "aws:cdk:logicalId",
            "data": "Res"
          }
        ]
      },
      "displayName": "Tagged"
    },
    "other-name": {
      "type": "aws:cloudformation:stack",
      "environment": "aws://unknown-account/unknown-region",
      "properties": {
        "templateFile": "other-name.template.json",
        "validateOnSynth": false
      },
      "dependencies": [
        "Tagged"
      ],
      "displayName": "Other"
    }
  }
}]]

local TREE = [[
{
  "version": "tree-0.1",
  "tree": {
    "id": "App",
    "path": "",
    "children": {
      "Tree": {
        "id": "Tree",
        "path": "Tree",
        "constructInfo": {
          "fqn": "@aws-cdk/core.Construct",
          "version": "1.204.0"
        }
      },
      "Tagged": {
        "id": "Tagged",
        "path": "Tagged",
        "children": {
          "Res": {
            "id": "Res",
            "path": "Tagged/Res",
            "constructInfo": {
              "fqn": "@aws-cdk/core.CfnResource",
              "version": "1.204.0"
            }
          }
        },
        "constructInfo": {
          "fqn": "@aws-cdk/core.Stack",
          "version": "1.204.0"
        }
      },
      "Other": {
        "id": "Other",
        "path": "Other",
        "constructInfo": {
          "fqn": "@aws-cdk/core.Stack",
          "version": "1.204.0"
        }
      }
    },
    "constructInfo": {
      "fqn": "@aws-cdk/core.App",
      "version": "1.204.0"
    }
  }
}]]

local function build(app)
  local s = cdk.Stack(app, "Tagged", { tags = { b = "2", a = "1" }, termination_protection = true, description = "desc",
    env = { account = "123456789012", region = "us-east-1" } })
  cdk.CfnResource(s, "Res", { type = "AWS::SQS::Queue" })
  local o = cdk.Stack(app, "Other", { stack_name = "other-name" })
  o:add_dependency(s)
end

local dirs
before_each(function() dirs = {} end)
after_each(function()
  for _, d in ipairs(dirs) do h.rmtree(d) end
end)
local function tmpdir()
  local d = h.tmppath(".out")
  dirs[#dirs + 1] = d
  return d
end

describe("the cloud assembly", function()
  it("has CDK's manifest.json, tree.json, cdk.out and templates", function()
    local dir = tmpdir()
    local app = cdk.App { outdir = dir }
    build(app)
    app:synth()
    assert.same({ "Tagged.template.json", "cdk.out", "manifest.json", "other-name.template.json", "tree.json" }, h.ls(dir))
    assert.equal(MANIFEST, h.read(dir .. "/manifest.json"))
    assert.equal(TREE, h.read(dir .. "/tree.json"))
    assert.equal('{"version":"21.0.0"}', h.read(dir .. "/cdk.out"))
    assert.equal('{\n "Description": "desc",\n "Resources": {\n  "Res": {\n   "Type": "AWS::SQS::Queue"\n  }\n }\n}',
      h.read(dir .. "/Tagged.template.json"))
    assert.equal("{}", h.read(dir .. "/other-name.template.json"))
  end)

  it("is described by what synth() returns", function()
    local dir = tmpdir()
    local app = cdk.App { outdir = dir }
    build(app)
    local asm = app:synth()
    assert.equal(dir, asm.directory)
    assert.equal(2, #asm.stacks)
    local names, ids, files = {}, {}, {}
    for i, s in ipairs(asm.stacks) do
      names[i], ids[i], files[i] = s.stack_name, s.artifact_id, s.template_file
    end
    assert.same({ "Tagged", "other-name" }, names)
    assert.same({ "Tagged", "other-name" }, ids)
    assert.same({ "Tagged.template.json", "other-name.template.json" }, files)
    assert.same({ Description = "desc", Resources = { Res = { Type = "AWS::SQS::Queue" } } },
      asm:get_stack_by_name("Tagged").template)
    assert.has_error(function() asm:get_stack_by_name("nope") end, 'Unable to find stack with stack name "nope"')
  end)

  it("can leave tree.json out", function()
    local dir = tmpdir()
    local app = cdk.App { outdir = dir, tree_metadata = false }
    cdk.Stack(app, "S")
    app:synth()
    assert.same({ "S.template.json", "cdk.out", "manifest.json" }, h.ls(dir))
    local _, manifest = h.read_assembly(dir)
    assert.is_nil(manifest.artifacts.Tree)
  end)

  it("has no Tree construct without tree.json, so the App's context can still be set, as in CDK", function()
    local app = cdk.App { tree_metadata = false }
    assert.same({}, app.node.children)
    app.node:set_context("stage", "dev")
    assert.equal("dev", cdk.Stack(app, "S").node:try_get_context("stage"))
    local with_tree = cdk.App()
    assert.equal("Tree", with_tree.node.children[1].node.id)
    assert.has_error(function() with_tree.node:set_context("stage", "dev") end,
      "Cannot set context after children have been added: Tree")
  end)

  it("replaces an earlier assembly entirely", function()
    local dir = tmpdir()
    local app = cdk.App { outdir = dir }
    cdk.Stack(app, "First")
    app:synth()
    local app2 = cdk.App { outdir = dir }
    cdk.Stack(app2, "Second")
    app2:synth()
    assert.same({ "Second.template.json", "cdk.out", "manifest.json", "tree.json" }, h.ls(dir))
  end)

  it("never writes into a folder that is not an assembly", function()
    local dir = h.mkdir(tmpdir())
    h.write(dir .. "/keep.txt", "mine")
    local app = cdk.App { outdir = dir }
    cdk.Stack(app, "S")
    assert.has_error(function() app:synth() end, "refusing to write the cloud assembly to '" .. dir
      .. "': it exists and is not a cloud assembly (no manifest.json); choose another outdir or remove it")
    assert.same({ "keep.txt" }, h.ls(dir))
    assert.equal("mine", h.read(dir .. "/keep.txt"))
  end)

  it("writes into an empty folder", function()
    local dir = h.mkdir(tmpdir())
    local app = cdk.App { outdir = dir }
    cdk.Stack(app, "S")
    app:synth()
    assert.same({ "S.template.json", "cdk.out", "manifest.json", "tree.json" }, h.ls(dir))
  end)

  it("leaves the earlier assembly as it was when synthesis fails", function()
    local dir = tmpdir()
    local app = cdk.App { outdir = dir }
    cdk.CfnResource(cdk.Stack(app, "Good"), "Res", { type = "A::B" })
    app:synth()
    local before = h.read(dir .. "/manifest.json")
    local bad = cdk.App { outdir = dir }
    cdk.CfnOutput(cdk.Stack(bad, "Other"), "Long", { value = "v", export_name = string.rep("e", 300) })
    assert.has_error(function() bad:synth() end,
      "Validation failed with the following errors:\n  [Other/Long] Export name cannot exceed 255 characters (got 300 characters)")
    assert.same({ "Good.template.json", "cdk.out", "manifest.json", "tree.json" }, h.ls(dir))
    assert.equal(before, h.read(dir .. "/manifest.json"))
    local parent, base = dir:match("^(.*)/([^/]+)$")
    for _, name in ipairs(h.ls(parent)) do
      assert.is_nil(name:find(base .. ".tmp-", 1, true), "a temporary folder was left behind: " .. name)
    end
  end)

  it("can be synthesized again from the same App", function()
    local dir = tmpdir()
    local app = cdk.App { outdir = dir }
    cdk.CfnResource(cdk.Stack(app, "S"), "Res", { type = "A::B" })
    local first = app:synth()
    local second = app:synth()
    assert.same(first:get_stack_by_name("S").template, second:get_stack_by_name("S").template)
  end)
end)

describe("the output folder", function()
  local SCRIPT = [[
local cdk = require "cdk"
local app = cdk.App(%s)
cdk.Stack(app, "S")
io.write(app:synth().directory)
]]

  it("is cdk.out in the working folder by default", function()
    local cwd = h.mkdir(tmpdir())
    local ok, out = h.run_lua(SCRIPT:format(""), {}, cwd)
    assert(ok, out)
    assert.equal("cdk.out", out)
    assert.same({ "S.template.json", "cdk.out", "manifest.json", "tree.json" }, h.ls(cwd .. "/cdk.out"))
  end)

  it("is $CDK_OUTDIR when set, and the App's outdir over both", function()
    local env_dir, prop_dir = tmpdir(), tmpdir()
    local ok, out = h.run_lua(SCRIPT:format(""), { CDK_OUTDIR = env_dir })
    assert(ok, out)
    assert.equal(env_dir, out)
    assert.is_true(h.exists(env_dir .. "/manifest.json"))
    h.rmtree(env_dir)
    ok, out = h.run_lua(SCRIPT:format(string.format("{ outdir = %q }", prop_dir)), { CDK_OUTDIR = env_dir })
    assert(ok, out)
    assert.equal(prop_dir, out)
    assert.is_false(h.exists(env_dir .. "/manifest.json"))
  end)

  it("takes context from $CDK_CONTEXT_JSON, over the App's own as CDK does", function()
    local ok, out = h.run_lua([[
local cdk = require "cdk"
local app = cdk.App { context = { mine = "prop", both = "prop" } }
io.write(app.node:try_get_context("mine"), " ", app.node:try_get_context("both"), " ", app.node:try_get_context("env"))
]], { CDK_CONTEXT_JSON = '{"env":"json","both":"json"}' })
    assert(ok, out)
    assert.equal("prop json json", out)
  end)
end)
