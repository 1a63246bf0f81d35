-- Synthesizing again into an earlier assembly: a file whose bytes did not change is taken from
-- the earlier assembly (linked, with fresh times) instead of written anew, and when no file
-- changed and there is no other, the assembly's folder stays where it is (its files' times
-- refreshed); everything else is written as usual, and the result is always the new
-- synthesis, byte for byte.
local cdk = require "cdk"
local h = require "support.helpers"

-- inode, link count and modification time (seconds.nanoseconds) of a file
local function stat(path)
  local p = assert(io.popen("stat -c '%i %h %.9Y' " .. h.shell_quote(path)))
  local out = p:read("*a")
  p:close()
  local ino, links, mtime = out:match("^(%d+) (%d+) (%S+)")
  return { ino = ino, links = tonumber(links), mtime = tonumber(mtime) }
end

local function synth(dir, topics, opts)
  local app = cdk.App({ outdir = dir, tree_metadata = not (opts and opts.no_tree) })
  for _, name in ipairs(topics) do
    local stack = cdk.Stack(app, name)
    cdk.CfnResource(stack, "Topic", { type = "AWS::SNS::Topic", properties = { TopicName = name } })
  end
  app:synth()
  local files = {}
  for _, f in ipairs(h.ls(dir)) do files[f] = h.read(dir .. "/" .. f) end
  return files
end

describe("a synthesis into an earlier assembly", function()
  local dir, other
  before_each(function()
    dir = h.tmppath("-resynth")
    other = h.tmppath("-elsewhere")
  end)
  after_each(function()
    h.rmtree(dir)
    h.rmtree(other)
  end)

  it("takes the unchanged files from it, with fresh times", function()
    -- given
    local first = synth(dir, { "A" })
    local before = stat(dir .. "/A.template.json")
    -- when
    local second = synth(dir, { "A" })
    -- then
    assert.same(first, second)
    local after = stat(dir .. "/A.template.json")
    assert.equal(before.ino, after.ino)
    assert.equal(1, after.links)
    assert.is_true(after.mtime >= before.mtime)
    assert.same({ "A.template.json", "cdk.out", "manifest.json", "tree.json" }, h.ls(dir))
  end)

  it("stays in its folder when nothing changed, and is replaced when it holds another file", function()
    -- given
    local first = synth(dir, { "A" })
    local folder = stat(dir).ino
    -- then the folder stays
    assert.same(first, synth(dir, { "A" }))
    assert.equal(folder, stat(dir).ino)
    -- given a file that no synthesis writes
    h.write(dir .. "/notes.txt", "mine")
    -- then the assembly is replaced, that file with it
    assert.same(first, synth(dir, { "A" }))
    assert.not_equal(folder, stat(dir).ino)
    assert.same({ "A.template.json", "cdk.out", "manifest.json", "tree.json" }, h.ls(dir))
  end)

  it("drops a file the new synthesis does not write", function()
    -- given
    synth(dir, { "A" })
    -- when tree.json is no longer written
    local files = synth(dir, { "A" }, { no_tree = true })
    -- then
    assert.same({ "A.template.json", "cdk.out", "manifest.json" }, h.ls(dir))
    assert.is_nil(files["tree.json"])
  end)

  it("writes the changed files anew and drops the files of stacks that are gone", function()
    -- given
    synth(dir, { "A", "B" })
    local a = stat(dir .. "/A.template.json")
    local b = stat(dir .. "/B.template.json")
    -- when
    local files = synth(dir, { "A", "C" })
    -- then
    assert.same({ "A.template.json", "C.template.json", "cdk.out", "manifest.json", "tree.json" }, h.ls(dir))
    assert.equal(a.ino, stat(dir .. "/A.template.json").ino)
    assert.not_equal(b.ino, stat(dir .. "/C.template.json").ino)
    assert.matches('"TopicName": "C"', files["C.template.json"], 1, true)
    local fresh = h.tmppath("-fresh")
    local expected = synth(fresh, { "A", "C" })
    h.rmtree(fresh)
    assert.same(expected, files)
  end)

  it("undoes an edit of the earlier assembly's file, even one that kept its size", function()
    -- given
    local first = synth(dir, { "A" })
    local path = dir .. "/A.template.json"
    h.write(path, (first["A.template.json"]:gsub('"A"', '"X"')))
    assert.equal(#first["A.template.json"], #h.read(path))
    -- when
    local second = synth(dir, { "A" })
    -- then
    assert.equal(first["A.template.json"], second["A.template.json"])
  end)

  it("writes anew a file that is linked elsewhere too, and leaves that link as it was", function()
    -- given
    local first = synth(dir, { "A" })
    h.mkdir(other)
    assert(os.execute("ln " .. h.shell_quote(dir .. "/manifest.json") .. " " .. h.shell_quote(other .. "/manifest.json")))
    local old = stat(other .. "/manifest.json")
    -- when
    local second = synth(dir, { "A" })
    -- then
    assert.same(first, second)
    assert.not_equal(old.ino, stat(dir .. "/manifest.json").ino)
    assert.equal(1, stat(other .. "/manifest.json").links)
    assert.equal(first["manifest.json"], h.read(other .. "/manifest.json"))
  end)
end)
