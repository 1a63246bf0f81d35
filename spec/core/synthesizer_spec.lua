-- The context flag @aws-cdk/core:newStyleStackSynthesis: CDK's Stack picks the
-- DefaultStackSynthesizer when it is on (JavaScript truthiness, as FeatureFlags.isEnabled reads
-- it). lua-cdk writes only the LegacyStackSynthesizer's output, so a stack made with the flag on
-- fails at its creation, at the caller's line, wherever the flag comes from.
local cdk = require "cdk"
local h = require "support.helpers"
local cli = require "support.cli"

local FLAG = "@aws-cdk/core:newStyleStackSynthesis"
local MESSAGE = FLAG .. ": the DefaultStackSynthesizer's output (bootstrap version rule, asset manifest)"
  .. " is not supported by lua-cdk yet; remove the flag to get the legacy synthesizer's output"

describe("@aws-cdk/core:newStyleStackSynthesis", function()
  it("fails at cdk.Stack, at the caller's line, when the App's context turns it on (even \"false\")", function()
    for _, v in ipairs { true, "false", 1, "yes", {} } do
      local app = cdk.App { context = { [FLAG] = v } }
      local ok, err = pcall(cdk.Stack, app, "S"); local line = debug.getinfo(1, "l").currentline
      assert.is_false(ok)
      assert.equal(("%s:%d: %s"):format("spec/core/synthesizer_spec.lua", line, MESSAGE),
        (err:gsub("^.-(spec/core/synthesizer_spec%.lua)", "%1")))
      assert.is_nil(app.node:try_find_child("S"))
      app:close()
    end
  end)

  it("is off when the value is falsy in JavaScript: the legacy synthesizer's output", function()
    for _, v in ipairs { false, 0, "" } do
      local app = cdk.App { outdir = h.tmppath(".out"), context = { [FLAG] = v } }
      local s = cdk.Stack(app, "S", { stack_name = "named" })
      assert.equal("named", s.artifact_id)
      local assembly = app:synth()
      assert.same({}, assembly:get_stack_by_name("named").template)
      h.rmtree(app.outdir)
      app:close()
    end
  end)

  it("fails when set on a scope above the stack (not beside it) or in CDK_CONTEXT_JSON", function()
    local app = cdk.App()
    local group = cdk.Construct(app, "Group")
    group.node:set_context(FLAG, true)
    cdk.Stack(app, "Outside")
    assert.equal(MESSAGE, (h.error_of(cdk.Stack, group, "Inside"):gsub("^[^ ]-:%d+: ", "")))
    app:close()

    local ok, output = h.run_lua([[
      local cdk = require "cdk"
      local app = cdk.App { outdir = "unused" }
      local ok, err = pcall(cdk.Stack, app, "S")
      io.write(tostring(ok), " ", err)
    ]], { CDK_CONTEXT_JSON = '{"' .. FLAG .. '":"true"}' })
    assert(ok, output)
    assert.matches("^false [^ ]-%.lua:3: ", output)
    assert.equal("false " .. MESSAGE, (output:gsub(" [^ ]-%.lua:3: ", " ", 1)))
  end)

  it("luacdk synth -c and cdk.json: the app fails with the message, nothing is written", function()
    local app = 'local cdk = require "cdk"\nlocal app = cdk.App()\ncdk.Stack(app, "S")\napp:synth()\n'
    for _, files in ipairs {
      { ["app.lua"] = app },
      { ["app.lua"] = app, ["cdk.json"] = '{"context":{"' .. FLAG .. '":true}}' },
    } do
      local dir = cli.project(files)
      local args = { "synth", "app.lua" }
      if not files["cdk.json"] then args[#args + 1] = "-c"; args[#args + 1] = FLAG .. "=true" end
      local r = cli.luacdk(args, { cwd = dir })
      assert.not_equal(0, r.code)
      assert.equal("", r.out)
      assert.truthy(r.err:find("app.lua:3: " .. MESSAGE, 1, true), r.err)
      assert.is_false(h.exists(dir .. "/cdk.out/manifest.json"))
      h.rmtree(dir)
    end
  end)
end)
