-- The DefaultStackSynthesizer, which CDK's Stack uses when the context flag
-- @aws-cdk/core:newStyleStackSynthesis is on (JavaScript truthiness, as FeatureFlags.isEnabled
-- reads it): the BootstrapVersion parameter and CheckBootstrapVersion rule in each template
-- (qualifier from @aws-cdk/core:bootstrapQualifier), the <Stack>.assets.json asset manifest
-- (the template a file asset keyed by its SHA-256; hash_spec checks the SHA-256 against FIPS
-- 180's vectors), the stack artifact's bootstrap roles and versions, its asset-manifest artifact
-- and the logical-ID metadata. Each program in spec/fixtures/synthesizer is compared, file by
-- file and byte for byte, with the assembly the reference wrote (make.sh there).
local cdk = require "cdk"
local core = require "cdk.core"
local h = require "support.helpers"
local json = require "support.json"
local cli = require "support.cli"

local DIR = "spec/fixtures/synthesizer/"
local FLAG = "@aws-cdk/core:newStyleStackSynthesis"

local lib = { cdk = cdk, ecr = require "cdk.ecr" }

local dirs = {}
after_each(function()
  for _, d in ipairs(dirs) do h.rmtree(d) end
  dirs = {}
end)
local function tmpdir()
  local d = h.tmppath(".out")
  dirs[#dirs + 1] = d
  return d
end

-- Runs spec/fixtures/synthesizer/NAME.lua under NAME.context.json; returns the assembly's folder.
local function run(name, outdir)
  outdir = outdir or tmpdir()
  local app = cdk.App { outdir = outdir, context = json.read_file(DIR .. name .. ".context.json") }
  dofile(DIR .. name .. ".lua")(app, lib)
  app:synth()
  return outdir
end

local function files_of(dir)
  local files = {}
  for _, f in ipairs(h.ls(dir)) do files[f] = h.read(dir .. "/" .. f) end
  return files
end

-- The SHA-256 keys of the asset manifests' files, by template file name.
local function template_keys(files)
  local keys = {}
  for f, text in pairs(files) do
    if f:match("%.assets%.json$") then
      local m = json.decode(text)
      for key, asset in pairs(m.files) do keys[asset.source.path] = key end
    end
  end
  return keys
end

describe("the DefaultStackSynthesizer", function()
  for _, name in ipairs { "agnostic", "env", "cross-stack", "qualifier" } do
    it("writes the reference's assembly byte for byte: " .. name, function()
      local out = run(name)
      local expected, got = files_of(DIR .. name), files_of(out)
      assert.same(h.ls(DIR .. name), h.ls(out))
      for f, text in pairs(expected) do
        assert.equal(text, got[f], f)
      end
    end)
  end

  it("keys the template's asset by the SHA-256 of the template file", function()
    local got = files_of(run("cross-stack"))
    local keys = template_keys(got)
    assert.equal(core._sha256(got["Producer.template.json"]), keys["Producer.template.json"])
    assert.equal(core._sha256(got["Consumer.template.json"]), keys["Consumer.template.json"])
    assert.equal("8059790a2a5d1b442f8f0dc2d1b4653041c7a7d5b96ea3525003458c54056602", keys["Producer.template.json"])
  end)

  it("under the CDK CLI's context (version reporting): the reference's assembly but for Analytics", function()
    -- the Analytics text names the Lua runtime and is compressed by another deflate (README), so
    -- the template, and so its SHA-256, differ there only
    local out = run("version-reporting")
    local expected, got = files_of(DIR .. "version-reporting"), files_of(out)
    assert.same(h.ls(DIR .. "version-reporting"), h.ls(out))
    local ref_keys, keys = template_keys(expected), template_keys(got)
    local function analytics(text) return text:match('"Analytics": "([^"]*)"') end
    for file, key in pairs(keys) do
      assert.truthy(analytics(got[file]))
      assert.equal(core._sha256(got[file]), key)
      local plain = got[file]:gsub('"Analytics": "[^"]*"', '"Analytics": "' .. analytics(expected[file]) .. '"')
      assert.equal(expected[file], plain, file)
    end
    for f, text in pairs(expected) do
      local mine = got[f]
      for file, key in pairs(keys) do mine = mine:gsub(key, ref_keys[file]) end
      if not f:match("%.template%.json$") then assert.equal(text, mine, f) end
    end
  end)

  it("writes the same assembly when the App synthesizes again", function()
    local dir = tmpdir()
    local app = cdk.App { outdir = dir, context = json.read_file(DIR .. "cross-stack.context.json") }
    dofile(DIR .. "cross-stack.lua")(app, lib)
    app:synth()
    local first = files_of(dir)
    app:synth()
    assert.same(first, files_of(dir))
    assert.same(files_of(DIR .. "cross-stack"), first)
  end)

  it("is on when JavaScript finds the flag truthy (even \"false\"), off when falsy", function()
    local function synth(v)
      local app = cdk.App { outdir = tmpdir(), context = { [FLAG] = v } }
      local s = cdk.Stack(app, "S", { stack_name = "named" })
      local asm = app:synth()
      return s.artifact_id, asm.directory
    end
    for _, v in ipairs { true, "false", 1, "yes" } do
      local id, dir = synth(v)
      assert.equal("S", id)
      assert.same({ "S.assets.json", "S.template.json", "cdk.out", "manifest.json", "tree.json" }, h.ls(dir))
      assert.same({ "BootstrapVersion" }, json.keys(json.read_file(dir .. "/S.template.json").Parameters))
    end
    for _, v in ipairs { false, 0, "" } do
      local id, dir = synth(v)
      assert.equal("named", id)
      assert.same({ "cdk.out", "manifest.json", "named.template.json", "tree.json" }, h.ls(dir))
      assert.equal("{}", h.read(dir .. "/named.template.json"))
    end
  end)

  it("takes the qualifier as JavaScript turns it into text; a list or a map is an error at cdk.Stack", function()
    for v, q in pairs { [12] = "12", [1.5] = "1.5", [true] = "true" } do
      local app = cdk.App { outdir = tmpdir(), context = { [FLAG] = true, ["@aws-cdk/core:bootstrapQualifier"] = v } }
      cdk.Stack(app, "S")
      local dir = app:synth().directory
      assert.equal("/cdk-bootstrap/" .. q .. "/version",
        json.read_file(dir .. "/S.template.json").Parameters.BootstrapVersion.Default)
    end
    for _, v in ipairs { { "a" }, { a = 1 } } do
      local app = cdk.App { context = { [FLAG] = true, ["@aws-cdk/core:bootstrapQualifier"] = v } }
      local ok, err = pcall(cdk.Stack, app, "S"); local line = debug.getinfo(1, "l").currentline
      assert.is_false(ok)
      assert.equal(("synthesizer_spec.lua:%d: @aws-cdk/core:bootstrapQualifier: expected a string, got %s"):format(
        line, v[1] and "an array" or "an object"), (err:gsub("^.-(synthesizer_spec)", "%1")))
      app:close()
    end
  end)

  it("luacdk synth -c: writes the asset manifest and prints what cdk synth prints (no rule)", function()
    local dir = cli.project { ["app.lua"] = h.read(DIR .. "cdk-synth.app.lua") }
    local r = cli.luacdk({ "synth", "app.lua", "-c", FLAG .. "=true" }, { cwd = dir })
    assert.equal(0, r.code, r.err)
    assert.equal(h.read(DIR .. "cdk-synth.yaml"), r.out)
    assert.same({ "S.assets.json", "S.template.json", "cdk.out", "manifest.json", "tree.json" }, h.ls(dir .. "/cdk.out"))
    assert.truthy(json.read_file(dir .. "/cdk.out/S.template.json").Rules.CheckBootstrapVersion)
    h.rmtree(dir)
  end)
end)
