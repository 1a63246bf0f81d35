-- The library's Lua modules that core.so carries precompiled: loading cdk.core puts a searcher
-- before Lua's own that loads a module from that bytecode only when package.path finds the
-- module's file and the file holds the source the bytecode was made from. An edited module, or
-- one that is not on the path, is left to Lua's own searchers.
local h = require "support.helpers"

require "cdk.core"
local searchers = package.searchers or package.loaders

-- the searcher core.so put second (after package.preload's)
local function precompiled(name, path)
  local saved = package.path
  package.path = path or saved
  local ok, loader, file = pcall(searchers[2], name)
  package.path = saved
  assert(ok, loader)
  return loader, file
end

describe("the precompiled modules", function()
  it("load from core.so when the module's file holds the same source", function()
    local loader, file = precompiled("cdk.iam")
    assert.equal("function", type(loader))
    assert.equal("lua/cdk/iam.lua", file)
    -- the same module as its file gives
    local function keys(t)
      local ks = {}
      for k in pairs(t) do ks[#ks + 1] = k end
      table.sort(ks)
      return ks
    end
    assert.same(keys(assert(loadfile("lua/cdk/iam.lua"))("cdk.iam")), keys(loader("cdk.iam", file)))
  end)

  it("are the library's modules, not the command line's", function()
    for _, name in ipairs({ "cdk.main", "cdk.util", "cdk.ecr", "cdk.iam", "cdk.kms", "cdk.events",
      "cdk.events_targets", "cdk.sns", "cdk.sqs", "cdk.lambda" }) do
      local loader = precompiled(name)
      assert.equal("function", type(loader), name)
    end
    -- the command line's modules are not carried
    assert.is_nil(precompiled("cdk.cli"))
    assert.is_nil(precompiled("cdk.json"))
  end)

  it("leave a module that is not on package.path to Lua's searchers", function()
    assert.is_nil(precompiled("cdk.iam", "/nonexistent/?.lua"))
    assert.is_nil(precompiled("cdk.nothing"))
  end)

  it("never shadow an edited module: its file is loaded", function()
    -- given a copy of lua/cdk whose iam.lua is changed
    local dir = h.tmppath("-lua")
    h.mkdir(dir .. "/cdk")
    assert(os.execute("cp lua/cdk/*.lua " .. h.shell_quote(dir .. "/cdk/")))
    local src = h.read(dir .. "/cdk/iam.lua")
    h.write(dir .. "/cdk/iam.lua", (src:gsub("\nreturn M%s*$", "\nM.EDITED = true\nreturn M\n")))
    local path = dir .. "/?.lua;" .. dir .. "/?/init.lua"
    -- then the searcher leaves it, and a program gets the edited module
    assert.is_nil(precompiled("cdk.iam", path))
    assert.equal("function", type(precompiled("cdk.ecr", path)))
    local ok, out = h.command("cd " .. h.shell_quote(dir) .. " && env LUA_PATH=" .. h.shell_quote(path) ..
      " LUA_CPATH=" .. h.shell_quote(h.abs_path(package.cpath)) .. " " .. h.lua ..
      " -e 'require \"cdk\" print(require(\"cdk.iam\").EDITED)'")
    h.rmtree(dir)
    assert.is_true(ok, out)
    assert.equal("true\n", out)
  end)
end)
