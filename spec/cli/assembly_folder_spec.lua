-- The assembly folder as command lines use it. The AWS CDK CLI creates it with its lock file
-- (cdk.out/synth.lock) before it runs the app, and takes read locks (read.<pid>.<n>.lock) while it
-- reads the assembly: app:synth() writes into such a folder and keeps the locks, and still refuses
-- a folder holding anything else. Folders above the outdir are created, as CDK creates them.
local h = require "support.helpers"
local cdk = require "cdk"

describe("the assembly folder", function()
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

  it("writes into a folder holding only synth.lock and keeps the lock", function()
    -- given the folder `cdk synth` prepares before it runs the app
    local dir = h.mkdir(tmpdir())
    h.write(dir .. "/synth.lock", "4242")
    local app = cdk.App { outdir = dir }
    cdk.Stack(app, "S")
    -- when
    app:synth()
    -- then
    assert.same({ "S.template.json", "cdk.out", "manifest.json", "synth.lock", "tree.json" }, h.ls(dir))
    assert.equal("4242", h.read(dir .. "/synth.lock"))
  end)

  it("replaces an earlier assembly and carries its lock files over", function()
    local dir = tmpdir()
    local first = cdk.App { outdir = dir }
    cdk.Stack(first, "Old")
    first:synth()
    h.write(dir .. "/synth.lock", "1")
    h.write(dir .. "/read.77.3.lock", "77")
    local second = cdk.App { outdir = dir }
    cdk.Stack(second, "New")
    second:synth()
    assert.same({ "New.template.json", "cdk.out", "manifest.json", "read.77.3.lock", "synth.lock", "tree.json" },
      h.ls(dir))
    assert.equal("77", h.read(dir .. "/read.77.3.lock"))
  end)

  it("still refuses a folder with other files beside a lock", function()
    local dir = h.mkdir(tmpdir())
    h.write(dir .. "/synth.lock", "1")
    h.write(dir .. "/notes.txt", "mine")
    local app = cdk.App { outdir = dir }
    cdk.Stack(app, "S")
    assert.has_error(function() app:synth() end, "refusing to write the cloud assembly to '" .. dir
      .. "': it exists and is not a cloud assembly (no manifest.json); choose another outdir or remove it")
    assert.same({ "notes.txt", "synth.lock" }, h.ls(dir))
  end)

  it("does not take a file named like a lock for one", function()
    local dir = h.mkdir(tmpdir())
    h.write(dir .. "/read.lock", "x")
    local app = cdk.App { outdir = dir }
    cdk.Stack(app, "S")
    assert.has_error(function() app:synth() end)
    assert.same({ "read.lock" }, h.ls(dir))
  end)

  it("is created with the folders above it, as CDK does", function()
    local top = tmpdir()
    local app = cdk.App { outdir = top .. "/a/b/out" }
    cdk.Stack(app, "S")
    app:synth()
    assert.same({ "S.template.json", "cdk.out", "manifest.json", "tree.json" }, h.ls(top .. "/a/b/out"))
  end)
end)
