-- Limits checked by app:synth(), with clear errors: CloudFormation's quotas (CDK's own check of
-- 500 resources; our wording for 200 outputs, 200 parameters, 200 mappings, logical IDs of 255
-- characters and 1 MB of template, which CDK v1 does not check and the deployment would refuse),
-- ECR's lifecycle quotas (50 rules, 30,720 characters of policy text), names that could escape
-- the output folder, and output safety: a failing synthesis leaves an earlier assembly as it was,
-- and a path that is not an assembly is never emptied or overwritten.
local cdk = require "cdk"
local ecr = require "cdk.ecr"
local h = require "support.helpers"

local dirs = {}
local function tmpdir()
  local d = h.tmppath(".out")
  dirs[#dirs + 1] = d
  return d
end

after_each(function()
  for _, d in ipairs(dirs) do h.rmtree(d) end
  dirs = {}
end)

local function synth_error(build)
  local app = cdk.App { outdir = tmpdir() }
  build(cdk.Stack(app, "S"), app)
  local ok, err = pcall(app.synth, app)
  assert.is_false(ok, "synthesis succeeded")
  return (tostring(err):gsub("^[^:]*:%d+: ", ""))
end

local function synth_ok(build)
  local app = cdk.App { outdir = tmpdir() }
  build(cdk.Stack(app, "S"), app)
  return app:synth()
end

describe("CloudFormation's quotas", function()
  it("500 resources per template (CDK's check and message)", function()
    synth_ok(function(s) for i = 1, 500 do cdk.CfnResource(s, "Res" .. i, { type = "A::B" }) end end)
    assert.equal("Number of resources in stack 'S': 501 is greater than allowed maximum of 500: A::B (501)",
      synth_error(function(s) for i = 1, 501 do cdk.CfnResource(s, "Res" .. i, { type = "A::B" }) end end))
  end)

  it("the resource limit from context: a number (however large), a string, or 0 for none", function()
    local function with_limit(limit, n)
      local app = cdk.App { outdir = tmpdir(), context = { ["@aws-cdk/core:stackResourceLimit"] = limit } }
      local s = cdk.Stack(app, "S")
      for i = 1, n do cdk.CfnResource(s, "Res" .. i, { type = "A::B" }) end
      return pcall(app.synth, app)
    end
    assert.is_true((with_limit(1e20, 3)))
    assert.is_true((with_limit(0, 501)))
    local ok, err = with_limit("2", 3)
    assert.is_false(ok)
    assert.matches("Number of resources in stack 'S': 3 is greater than allowed maximum of 2: A::B %(3%)$", err)
  end)

  it("reads the resource limit as CDK's parseInt(value, 10) does (the reference's outcomes)", function()
    local function with_limit(limit, n)
      local app = cdk.App { outdir = tmpdir(), context = { ["@aws-cdk/core:stackResourceLimit"] = limit } }
      local s = cdk.Stack(app, "S")
      for i = 1, n do cdk.CfnResource(s, "Res" .. i, { type = "A::B" }) end
      local ok, err = pcall(app.synth, app)
      return ok or err:match("allowed maximum of (%d+)")
    end
    -- the number's text: "1e+300" and "1e-7" read 1
    assert.equal("1", with_limit(1e300, 3))
    assert.equal("1", with_limit(1e-7, 2))
    assert.equal("2", with_limit(2.9, 3))
    -- text up to the first character that is no digit; a list reads as its first element's text
    assert.equal("2", with_limit(" 2x", 3))
    assert.equal("1", with_limit("1e3", 2))
    assert.equal("3", with_limit({ 3, 9 }, 4))
    assert.equal("2", with_limit({ { "2" } }, 3))
    -- NaN (null, a boolean, a map, an empty list, no digits) is no limit, as is a negative number
    for _, v in ipairs { cdk.null, true, false, { a = 1 }, cdk.empty_array, "x", "0x5", -1 } do
      assert.is_true(with_limit(v, 501))
    end
  end)

  it("from 80% of the resource limit, CDK's info on the stack (once, however often the App synthesizes)", function()
    local json = require "support.json"
    local app = cdk.App { outdir = tmpdir() }
    local function stack(id, n, limit)
      local s = cdk.Stack(app, id)
      if limit then s.node:set_context("@aws-cdk/core:stackResourceLimit", limit) end
      for i = 1, n do cdk.CfnResource(s, "Res" .. i, { type = "A::B" }) end
    end
    stack("S", 400); stack("T", 8, 10); stack("U", 7, 10); stack("V", 399)
    local function infos()
      local manifest = json.decode(h.read(app:synth().directory .. "/manifest.json"))
      local out = {}
      for _, id in ipairs { "S", "T", "U", "V" } do
        for _, e in ipairs((manifest.artifacts[id].metadata or {})["/" .. id] or {}) do
          out[#out + 1] = id .. ": " .. e.type .. " " .. e.data
        end
      end
      return out
    end
    -- what the reference writes for the same program
    local expected = {
      "S: aws:cdk:info Number of resources: 400 is approaching allowed maximum of 500",
      "T: aws:cdk:info Number of resources: 8 is approaching allowed maximum of 10",
    }
    assert.same(expected, infos())
    assert.same(expected, infos())
  end)

  it("the IAM ARN size estimate from context, negative or huge, is clamped (never cast out of range)", function()
    for _, v in ipairs { -5, 1e300 } do
      local app = cdk.App { outdir = tmpdir(), context = { ["@aws-cdk/aws-iam.arnSizeEstimate"] = v } }
      local s = cdk.Stack(app, "S")
      local role = require("cdk.iam").Role(s, "Role", { assumed_by = require("cdk.iam").AnyPrincipal() })
      role:add_to_policy(require("cdk.iam").PolicyStatement { actions = { "s3:GetObject" }, resources = { "*" } })
      assert.is_table(s:to_json().Resources.RoleDefaultPolicy5FFB7DAB)
    end
  end)

  it("200 outputs", function()
    synth_ok(function(s) for i = 1, 200 do cdk.CfnOutput(s, "Out" .. i, { value = "v" }) end end)
    assert.equal("Number of outputs in stack 'S': 201 is greater than CloudFormation's maximum of 200",
      synth_error(function(s) for i = 1, 201 do cdk.CfnOutput(s, "Out" .. i, { value = "v" }) end end))
  end)

  it("200 parameters", function()
    synth_ok(function(s) for i = 1, 200 do cdk.CfnParameter(s, "Param" .. i, { type = "String" }) end end)
    assert.equal("Number of parameters in stack 'S': 201 is greater than CloudFormation's maximum of 200",
      synth_error(function(s) for i = 1, 201 do cdk.CfnParameter(s, "Param" .. i, { type = "String" }) end end))
  end)

  it("counts each stack on its own", function()
    synth_ok(function(s, app)
      local t = cdk.Stack(app, "T")
      for i = 1, 150 do
        cdk.CfnOutput(s, "Out" .. i, { value = "v" })
        cdk.CfnOutput(t, "Out" .. i, { value = "v" })
      end
    end)
  end)

  it("logical IDs of at most 255 characters, overridden ones too", function()
    synth_ok(function(s) cdk.CfnResource(s, "Res", { type = "A::B" }):override_logical_id(string.rep("A", 255)) end)
    assert.equal("The logical ID of 'S/Res' is 256 characters long; CloudFormation allows at most 255: '"
      .. string.rep("A", 40) .. "...'",
      synth_error(function(s)
        cdk.CfnResource(s, "Res", { type = "A::B" }):override_logical_id(string.rep("A", 256))
      end))
    -- a long construct id is shortened with a hash, as CDK's makeUniqueId does
    local tpl = synth_ok(function(s) cdk.CfnOutput(s, string.rep("O", 300), { value = "v" }) end)
      :get_stack_by_name("S").template
    local id = next(tpl.Outputs)
    assert.is_true(#id <= 255)
  end)

  it("a template of at most 1 MB (the limit for templates uploaded to S3)", function()
    local function big(n)
      return function(s) cdk.CfnResource(s, "Res", { type = "A::B", properties = { Big = string.rep("x", n) } }) end
    end
    synth_ok(big(1048576 - 200))
    assert.equal("The template of stack 'S' is 1048670 bytes; CloudFormation accepts at most 1048576 bytes "
      .. "(the limit for a template uploaded to S3)", synth_error(big(1048576)))
  end)
end)

describe("ECR's lifecycle quotas", function()
  it("50 rules per repository", function()
    local function rules(n)
      return function(s)
        local r = ecr.Repository(s, "Repo")
        for i = 1, n do r:add_lifecycle_rule { rule_priority = i, tag_prefix_list = { "p" .. i }, max_image_count = 5 } end
      end
    end
    synth_ok(rules(50))
    assert.equal("Validation failed with the following errors:\n"
      .. "  [S/Repo] An ECR lifecycle policy holds at most 50 rules; this repository has 51", synth_error(rules(51)))
  end)

  it("30,720 characters of lifecycle policy text, counted in characters", function()
    local function text(n)
      return function(s)
        ecr.Repository(s, "Repo"):add_lifecycle_rule { description = string.rep("é", n), max_image_count = 1 }
      end
    end
    synth_ok(text(30720 - 155))
    assert.equal("Validation failed with the following errors:\n"
      .. "  [S/Repo] The lifecycle policy text is 30721 characters long; ECR accepts at most 30720",
      synth_error(text(30720 - 154)))
  end)
end)

describe("names that could escape the output folder", function()
  it("are refused as stack names", function()
    local app = cdk.App { outdir = tmpdir() }
    assert.has_error(function() cdk.Stack(app, "S", { stack_name = "../../evil" }) end,
      "Stack name must match the regular expression: /^[A-Za-z][A-Za-z0-9-]*$/, got '../../evil'")
    assert.has_error(function() cdk.Stack(app, "../evil") end,
      "Stack name must match the regular expression: /^[A-Za-z][A-Za-z0-9-]*$/, got '..--evil'")
  end)

  it("never reach artifact ids or file names: those are CDK's unique ids, alphanumeric", function()
    local app = cdk.App { outdir = tmpdir() }
    local group = cdk.Construct(app, "..")
    local s = cdk.Stack(group, "Evil", { stack_name = "Evil" })
    assert.equal("Evil", s.stack_name)
    assert.matches("^[A-Za-z0-9]+$", s.artifact_id)
    assert.equal(s.artifact_id .. ".template.json", s.template_file)
    app:synth()
  end)
end)

describe("output safety", function()
  local function good_assembly(dir)
    local app = cdk.App { outdir = dir }
    cdk.CfnResource(cdk.Stack(app, "Good"), "Res", { type = "A::B" })
    app:synth()
    return h.read(dir .. "/manifest.json"), h.read(dir .. "/Good.template.json")
  end

  local function assert_no_temporary(dir)
    local parent, base = dir:match("^(.*)/([^/]+)$")
    for _, name in ipairs(h.ls(parent)) do
      assert.is_nil(name:find(base .. ".tmp-", 1, true), "a temporary folder was left behind: " .. name)
    end
  end

  it("leaves an earlier assembly as it was when writing fails part way (a limit met at the 2nd stack)", function()
    local dir = tmpdir()
    local manifest, template = good_assembly(dir)
    local app = cdk.App { outdir = dir }
    cdk.Stack(app, "A")
    local b = cdk.Stack(app, "B")
    cdk.CfnResource(b, "Res", { type = "A::B", properties = { Big = string.rep("x", 1048576) } })
    assert.has_error(function() app:synth() end)
    assert.same({ "Good.template.json", "cdk.out", "manifest.json", "tree.json" }, h.ls(dir))
    assert.equal(manifest, h.read(dir .. "/manifest.json"))
    assert.equal(template, h.read(dir .. "/Good.template.json"))
    assert_no_temporary(dir)
  end)

  it("leaves an earlier assembly as it was when a Lua producer raises", function()
    local dir = tmpdir()
    local manifest = good_assembly(dir)
    local app = cdk.App { outdir = dir }
    cdk.CfnOutput(cdk.Stack(app, "S"), "Out", { value = cdk.Lazy.string { produce = function() error("boom") end } })
    assert.has_error(function() app:synth() end)
    assert.equal(manifest, h.read(dir .. "/manifest.json"))
    assert_no_temporary(dir)
  end)

  it("never replaces a file given as the output folder", function()
    local path = tmpdir()
    h.write(path, "not a folder")
    local app = cdk.App { outdir = path }
    cdk.Stack(app, "S")
    assert.has_error(function() app:synth() end, "refusing to write the cloud assembly to '" .. path
      .. "': it exists and is not a cloud assembly (no manifest.json); choose another outdir or remove it")
    assert.equal("not a folder", h.read(path))
    assert_no_temporary(path)
  end)

  it("never empties a folder holding only hidden files", function()
    local dir = h.mkdir(tmpdir())
    h.write(dir .. "/.keep", "mine")
    local app = cdk.App { outdir = dir }
    cdk.Stack(app, "S")
    assert.has_error(function() app:synth() end)
    assert.same({ ".keep" }, h.ls(dir))
  end)
end)
