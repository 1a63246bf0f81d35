-- The AWS CDK CLI (npm aws-cdk@2) with lua-cdk: it runs a Lua app (`cdk synth --app "lua5.4
-- app.lua"`, `cdk ls --app ...`) and reads an assembly written by `luacdk synth` (`cdk ls --app
-- cdk.out`), and it prints templates exactly as luacdk does. The CLI is installed from npm into
-- a cache folder ($LUACDK_AWS_CDK_DIR, else ~/.cache/lua-cdk/aws-cdk) on first use; without npm
-- or without the registry the tests are pending, saying why.
local h = require "support.helpers"
local cli = require "support.cli"

local FIX = cli.root .. "/spec/fixtures/cli/"
local q = h.shell_quote

local cache = os.getenv("LUACDK_AWS_CDK_DIR") or ((os.getenv("HOME") or "/tmp") .. "/.cache/lua-cdk/aws-cdk")
local cdk_bin = cache .. "/node_modules/.bin/cdk"

-- nil when the CLI is at hand, else why not.
local unavailable
local checked = false
local function need_cdk()
  if not checked then
    checked = true
    if not (cli.have("npm") and cli.have("node")) then
      unavailable = "npm and node are not installed: the AWS CDK CLI (npm aws-cdk@2) cannot be installed"
    elseif not h.exists(cdk_bin) then
      h.mkdir(cache)
      local timeout = cli.have("timeout") and "timeout 300 " or ""
      local r = cli.sh(timeout .. "npm install --prefix " .. q(cache) .. " --no-audit --no-fund --loglevel=error"
        .. " --fetch-timeout=30000 --fetch-retries=1 aws-cdk@2")
      if r.code ~= 0 or not h.exists(cdk_bin) then
        local why = (r.err .. r.out):match("(npm error code [^\n]+)") or (r.err .. r.out):match("([^\n]+)")
          or ("exit status " .. tostring(r.code))
        unavailable = "could not install aws-cdk@2 from npm into " .. cache .. " (" .. why .. "): is the npm registry reachable?"
      end
    end
  end
  if unavailable then pending(unavailable) end
  return unavailable == nil
end

-- Runs the CDK CLI with its network features off.
local function cdk(dir, args)
  return cli.sh(q(cdk_bin) .. " " .. args .. " --no-notices", {
    cwd = dir,
    env = { CDK_DISABLE_CLI_TELEMETRY = "true", CDK_DISABLE_VERSION_CHECK = "true" },
  })
end

local projects = {}
local function project(files)
  local dir = cli.project(files)
  projects[#projects + 1] = dir
  return dir
end

describe("the AWS CDK CLI", function()
  after_each(function()
    for _, d in ipairs(projects) do h.rmtree(d) end
    projects = {}
  end)

  it("synthesizes a lua-cdk app: cdk synth --app \"lua app.lua\"", function()
    if not need_cdk() then return end
    local dir = project()
    local app = q(h.lua .. " " .. cli.root .. "/examples/readme.lua")
    local r = cdk(dir, "synth --app " .. app)
    assert.equal(0, r.code, r.err)
    assert.equal(h.read(FIX .. "readme.yaml"), r.out)
    assert.equal(r.out, cli.luacdk({ "synth", cli.root .. "/examples/readme.lua" }, { cwd = dir }).out)
    r = cdk(dir, "synth --json --app " .. app)
    assert.equal(h.read(FIX .. "readme.json"), r.out)
    assert.same({ "Images.template.json", "cdk.out", "manifest.json", "tree.json" }, h.ls(dir .. "/cdk.out"))
  end)

  it("lists a lua-cdk app's stacks: cdk ls --app \"lua app.lua\"", function()
    if not need_cdk() then return end
    local dir = project { ["app.lua"] = h.read(FIX .. "two_stacks.lua") }
    local r = cdk(dir, "ls --app " .. q(h.lua .. " app.lua"))
    assert.equal(0, r.code, r.err)
    assert.equal("Beta\nAlpha\n", r.out)
    -- or the "app" of cdk.json
    h.write(dir .. "/cdk.json", '{ "app": "' .. h.lua .. ' app.lua" }')
    r = cdk(dir, "ls")
    assert.equal(0, r.code, r.err)
    assert.equal("Beta\nAlpha\n", r.out)
  end)

  it("reads the assembly luacdk synth wrote: cdk ls --app cdk.out", function()
    if not need_cdk() then return end
    local dir = project { ["app.lua"] = h.read(FIX .. "two_stacks.lua") }
    local mine = cli.luacdk({ "synth", "app.lua", "Alpha" }, { cwd = dir })
    assert.equal(0, mine.code)
    local r = cdk(dir, "ls --app cdk.out")
    assert.equal(0, r.code, r.err)
    assert.equal("Beta\nAlpha\n", r.out)
    assert.equal(cli.luacdk({ "ls", "app.lua", "--long" }, { cwd = dir }).out, cdk(dir, "ls --long --app cdk.out").out)
    r = cdk(dir, "synth --app cdk.out Alpha")
    assert.equal(h.read(FIX .. "two_stacks.Alpha.yaml"), r.out)
    assert.equal(mine.out, r.out)
  end)

  it("prints the YAML and JSON of spec/fixtures/cli as recorded there", function()
    if not need_cdk() then return end
    for _, name in ipairs({ "scalars", "multiline" }) do
      local dir = project()
      h.mkdir(dir .. "/asm")
      h.write(dir .. "/asm/T.template.json", h.read(FIX .. name .. ".template.json"))
      h.write(dir .. "/asm/manifest.json", '{"version":"21.0.0","artifacts":{"T":{"type":"aws:cloudformation:stack",'
        .. '"environment":"aws://unknown-account/unknown-region","properties":{"templateFile":"T.template.json"},'
        .. '"displayName":"T"}}}')
      assert.equal(h.read(FIX .. name .. ".yaml"), cdk(dir, "synth --app asm T").out)
      assert.equal(h.read(FIX .. name .. ".json"), cdk(dir, "synth --json --app asm T").out)
    end
  end)
end)
