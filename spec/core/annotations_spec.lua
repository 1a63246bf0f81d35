-- Annotations (add_info, add_warning, add_error, add_deprecation) and node:add_metadata: the
-- entries the cloud assembly lists under each stack in manifest.json, as the reference writes
-- them (without its JavaScript stack traces).
local cdk = require "cdk"
local ecr = require "cdk.ecr"
local h = require "support.helpers"

local function metadata_of(build)
  local dir = h.tmppath(".out")
  local app = cdk.App { outdir = dir }
  build(app)
  app:synth()
  local _, manifest = h.read_assembly(dir)
  h.rmtree(dir)
  return manifest.artifacts
end

describe("Annotations", function()
  it("writes info, warnings, errors, deprecations and custom entries in the order added", function()
    local artifacts = metadata_of(function(app)
      local s = cdk.Stack(app, "S")
      local r = ecr.Repository(s, "Repo")
      cdk.Annotations.of(s):add_info("hello")
      cdk.Annotations.of(r):add_warning("careful")
      cdk.Annotations.of(r.node.default_child):add_error("bad " .. r.repository_name)
      cdk.Annotations.of(r):add_deprecation("a.B.c", "use d")
      cdk.Annotations.of(r):add_deprecation("a.B.c", "use e") -- once per construct and API
      r.node:add_metadata("custom", { a = { 1, 2 } })
      r.node:add_metadata("nodata", nil) -- no data, no entry
      app.node:add_metadata("onapp", "x") -- outside any stack: not listed
    end)
    assert.same({
      ["/S"] = { { type = "aws:cdk:info", data = "hello" } },
      ["/S/Repo"] = {
        { type = "aws:cdk:warning", data = "careful" },
        { type = "aws:cdk:warning", data = "The API a.B.c is deprecated: use d. This API will be removed in the next major release" },
        { type = "custom", data = { a = { 1, 2 } } },
      },
      ["/S/Repo/Resource"] = {
        { type = "aws:cdk:logicalId", data = "Repo02AC86CF" },
        { type = "aws:cdk:error", data = { ["Fn::Join"] = { "", { "bad ", { Ref = "Repo02AC86CF" } } } } },
      },
    }, artifacts.S.metadata)
  end)

  it("keeps the entries on the node", function()
    local app = cdk.App()
    local s = cdk.Stack(app, "S")
    cdk.Annotations.of(s):add_warning("w")
    s.node:add_metadata("k", { 1 })
    assert.same({ { type = "aws:cdk:warning", data = "w" }, { type = "k", data = { 1 } } }, s.node.metadata)
    app:close()
  end)

  it("raises for a deprecation when CDK_BLOCK_DEPRECATIONS is set", function()
    local _, out = h.run_lua([[
      local cdk = require "cdk"
      local app = cdk.App()
      local s = cdk.Stack(app, "S")
      local ok, err = pcall(function() cdk.Annotations.of(s):add_deprecation("a.B.c", "use d") end)
      io.write(tostring(err))
    ]], { CDK_BLOCK_DEPRECATIONS = "1" })
    assert.matches("S: The API a.B.c is deprecated: use d. This API will be removed in the next major release", out, 1, true)
  end)

  it("rejects bad arguments", function()
    local app = cdk.App()
    local s = cdk.Stack(app, "S")
    assert.has_error(function() cdk.Annotations.of("S") end, "bad argument #1 to 'Annotations.of' (construct expected, got string)")
    assert.has_error(function() cdk.Annotations.of(s):add_warning(42) end, "bad argument #1 to 'add_warning' (string expected, got number)")
    assert.has_error(function() cdk.Annotations.of(s):add_deprecation("api") end, "bad argument #2 to 'add_deprecation' (string expected, got nil)")
    assert.has_error(function() s.node:add_metadata(1, "x") end)
    -- checked as the C binding checks strings, and blamed on the argument given, not on the
    -- metadata entry the message becomes
    assert.has_error(function() cdk.Annotations.of(s):add_info("a\0b") end, "bad argument #1 to 'add_info' (string contains a NUL byte)")
    assert.has_error(function() cdk.Annotations.of(s):add_error("ab\255") end, "bad argument #1 to 'add_error' (string is not valid UTF-8)")
    assert.has_error(function() cdk.Annotations.of(s):add_deprecation("api", "\237\160\128") end, "bad argument #2 to 'add_deprecation' (string is not valid UTF-8)")
    local a = cdk.Annotations.of(s)
    assert.has_error(function() a.add_warning("w") end, "bad self to 'add_warning' (Annotations expected: call it as annotations:add_warning(...))")
    cdk.Annotations.of(s):add_info("\244\143\191\191 é € 𝄞")
    assert.same({ type = "aws:cdk:info", data = "\244\143\191\191 é € 𝄞" }, s.node.metadata[1])
    app:close()
    assert.has_error(function() cdk.Annotations.of(s) end, "attempt to use a construct of a closed App")
  end)
end)
