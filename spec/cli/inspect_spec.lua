-- core._class_name and core._template_json: what the command line and the REPL use to show
-- constructs (by class and path) and templates (in CDK's key order, as app:synth() writes them).
local h = require "support.helpers"
local cdk = require "cdk"
local ecr = require "cdk.ecr"
local core = require "cdk.core"

describe("inspecting an App", function()
  it("names a construct's class", function()
    local app = cdk.App()
    local stack = cdk.Stack(app, "S")
    local repo = ecr.Repository(stack, "R")
    assert.equal("Repository", core._class_name(repo))
    assert.equal("Stack", core._class_name(stack))
    assert.equal("CfnRepository", core._class_name(repo.node.default_child))
    assert.has_error(function() core._class_name(42) end,
      "bad argument #1 to '_class_name' (construct expected, got number)")
  end)

  it("gives a stack's template as the text app:synth() writes", function()
    local dir = h.tmppath(".out")
    local app = cdk.App { outdir = dir }
    local stack = cdk.Stack(app, "S")
    local repo = ecr.Repository(stack, "R", { image_scan_on_push = true })
    local text = core._template_json(stack)
    app:synth()
    assert.equal(h.read(dir .. "/S.template.json"), text)
    h.rmtree(dir)
    assert.has_error(function() core._template_json(repo) end,
      "bad argument #1 to '_template_json' (Stack expected, got Repository)")
  end)
end)
