-- Installation, as a user does it from a clone (a copy of this folder, so that nothing here is
-- touched): `make install` into a DESTDIR, and `luarocks make rockspec/lua-cdk-scm-1.rockspec`
-- into a temporary tree, each for the Lua running the specs. An app then runs from the
-- installed files alone and writes the README's template byte for byte as the in-tree modules
-- do (spec/examples_spec.lua pins those to the AWS CDK's); luacdk is installed when bin/luacdk
-- exists. The LuaRocks part is skipped, saying so, only when luarocks is missing (`make test`
-- installs Debian's).
local h = require "support.helpers"
local q = h.shell_quote

local LUA = h.lua
-- The Lua running the specs: its version (LuaJIT is 5.1), and how luarocks is told to use it.
local VERSION = jit and "5.1" or _VERSION:match("%d+%.%d+")
local SOURCES = { "Makefile", "README.md", "csrc", "lua", "rockspec", "bin" }
-- Builds run in a clean environment: no sanitizer preload, no jobserver of an outer make.
local CLEAN_ENV = "env -u LD_PRELOAD -u MAKEFLAGS -u MAKELEVEL -u MFLAGS MAKEFLAGS=-j4 "

local dirs = {}
local function tmpdir(suffix)
  local d = h.mkdir(h.tmppath(suffix))
  dirs[#dirs + 1] = d
  return d
end

local function run(cmd)
  local ok, out, status = h.command(cmd .. " 2>&1")
  assert(ok, cmd .. "\nexited with " .. tostring(status) .. ":\n" .. out)
  return out
end

-- A copy of the project's sources (what a clone has), in a new folder, with their times.
local function clone()
  local dir = tmpdir(".src")
  for _, f in ipairs(SOURCES) do
    if h.exists(f) or h.command("test -d " .. q(f)) then
      run("cp -Rp " .. q(f) .. " " .. q(dir .. "/"))
    end
  end
  return dir
end

-- The README's app synthesized by the in-tree modules (as examples_spec runs it).
local expected
local function readme_template()
  if not expected then
    local out = tmpdir(".out") .. "/cdk.out"
    local ok, err = h.run_lua(("dofile(%q)"):format(h.abs_path("examples/readme.lua")), { CDK_OUTDIR = out })
    assert(ok, err)
    expected = h.read(out .. "/Images.template.json")
  end
  return expected
end

-- What the in-tree bin/luacdk prints for `--version` and for `synth` of the README's app (the
-- template written with it), under the Lua running the specs; spec/cli pins those.
local function luacdk_in_tree()
  local dir = tmpdir(".cli")
  local env = "cd " .. q(dir) .. " && LUA_PATH=" .. q(h.abs_path(package.path)) ..
    " LUA_CPATH=" .. q(h.abs_path(package.cpath)) .. " " .. LUA .. " " .. q(h.abs_path("bin/luacdk"))
  local version = run(env .. " --version")
  local synth = run(env .. " synth " .. q(h.abs_path("examples/readme.lua")) .. " -o out --json")
  return version, synth, h.read(dir .. "/out/Images.template.json")
end

-- The same from an installed luacdk, with `setup` (shell commands) setting the paths.
local function luacdk_installed(setup, luacdk)
  local dir = tmpdir(".cli")
  local env = "cd " .. q(dir) .. " && " .. setup .. " && " .. luacdk
  local version = run(env .. " --version")
  local synth = run(env .. " synth " .. q(h.abs_path("examples/readme.lua")) .. " -o out --json")
  return version, synth, h.read(dir .. "/out/Images.template.json")
end

-- A script printing the files require would load cdk, cdk.ecr and cdk.core from (5.1 has no
-- package.searchpath), then running the README's app.
local PROBE = [[
local function find(name, path)
  for entry in path:gmatch("[^;]+") do
    local file = entry:gsub("%?", (name:gsub("%.", "/")))
    local f = io.open(file, "rb")
    if f then f:close() return file end
  end
end
print(find("cdk", package.path))
print(find("cdk.ecr", package.path))
print(find("cdk.core", package.cpath))
dofile(...)
]]

-- Runs the probe in a new folder under `setup` (shell commands that set the paths); returns
-- its output and the template it wrote.
local function run_app(setup)
  local dir = tmpdir(".app")
  h.write(dir .. "/probe.lua", PROBE)
  local out = run("cd " .. q(dir) .. " && " .. setup .. " && " .. LUA .. " probe.lua " ..
    q(h.abs_path("examples/readme.lua")))
  return out, h.read(dir .. "/cdk.out/Images.template.json")
end

local function luarocks_cmd()
  if jit then
    -- Debian's luarocks knows lua5.1 by version only: a config names LuaJIT and its headers
    local config = tmpdir(".rocks") .. "/config.lua"
    h.write(config, table.concat({
      'lua_version = "5.1"',
      'lua_interpreter = "luajit"',
      'variables = { LUA_DIR = "/usr", LUA_BINDIR = "/usr/bin", LUA_INCDIR = "/usr/include/luajit-2.1" }',
    }, "\n"))
    return "LUAROCKS_CONFIG=" .. q(config) .. " luarocks"
  end
  return "luarocks --lua-version=" .. VERSION
end

describe("installing", function()
  after_each(function()
    for _, d in ipairs(dirs) do h.rmtree(d) end
    dirs = {}
  end)

  it("with make install: the modules under DESTDIR/PREFIX, where the Lua looks", function()
    -- the build under test is up to date for the copied sources, so make install only installs
    local src, dest = clone(), tmpdir(".dest")
    run("cd " .. q(src) .. " && " .. CLEAN_ENV .. "make -s install LUA=" .. q(LUA:match("%S+$")) ..
      " BUILD=" .. q(h.build_dir()) .. " DESTDIR=" .. q(dest) .. " PREFIX=/usr/local")
    local share = dest .. "/usr/local/share/lua/" .. VERSION
    local lib = dest .. "/usr/local/lib/lua/" .. VERSION
    local want = {}
    for _, f in ipairs(h.ls("lua/cdk")) do want[#want + 1] = f end
    assert.same(want, h.ls(share .. "/cdk"))
    assert.same({ "core.so" }, h.ls(lib .. "/cdk"))

    local setup = "export LUA_PATH=" .. q(share .. "/?.lua;" .. share .. "/?/init.lua;;") ..
      " LUA_CPATH=" .. q(lib .. "/?.so;;")
    local out, template = run_app(setup)
    assert.equal(share .. "/cdk/init.lua\n" .. share .. "/cdk/ecr.lua\n" .. lib .. "/cdk/core.so\n", out)
    assert.equal(readme_template(), template)

    -- with no LUA_PATH, this Lua searches PREFIX's folders (/usr/local), where those files land
    local paths = run("env -u LUA_PATH -u LUA_CPATH -u LUA_PATH_" .. VERSION:gsub("%.", "_") ..
      " -u LUA_CPATH_" .. VERSION:gsub("%.", "_") .. " -u LUA_INIT " .. LUA ..
      " -e 'print(package.path) print(package.cpath)'")
    assert.truthy(paths:find(";/usr/local/share/lua/" .. VERSION .. "/?/init.lua;", 1, true), paths)
    assert.truthy(paths:find("/usr/local/share/lua/" .. VERSION .. "/?.lua;", 1, true), paths)
    assert.truthy(paths:find("\n[^\n]*/usr/local/lib/lua/" .. VERSION .. "/%?%.so;"), paths)

    local luacdk = dest .. "/usr/local/bin/luacdk"
    assert.equal(h.exists("bin/luacdk"), h.exists(luacdk))
    if h.exists("bin/luacdk") then
      -- its first line names this Lua, so that it runs where the modules were installed
      assert.equal("#!/usr/bin/env " .. LUA:match("[^%s/]+$") .. "\n", h.read(luacdk):match("^[^\n]*\n"))
      assert.same({ luacdk_in_tree() }, { luacdk_installed(setup, q(luacdk)) })
    end
  end)

  describe("with LuaRocks", function()
    local has_luarocks = h.command("command -v luarocks >/dev/null")

    it("the rockspec passes luarocks lint", function()
      if not has_luarocks then
        pending("luarocks is not installed (make test installs Debian's luarocks): LuaRocks specs skipped")
        io.stderr:write("\ninstall_spec: luarocks is not installed, the LuaRocks specs are skipped\n")
        return
      end
      assert.equal("", run("luarocks lint rockspec/lua-cdk-scm-1.rockspec"))
    end)

    it("luarocks make installs cdk.core, the Lua modules and luacdk into a tree, offline", function()
      if not has_luarocks then
        pending("luarocks is not installed (make test installs Debian's luarocks): LuaRocks specs skipped")
        return
      end
      local src, tree = clone(), tmpdir(".tree")
      local rocks = luarocks_cmd()
      -- no server is reachable: a dependency to download would fail the install
      local out = run("cd " .. q(src) .. " && " .. CLEAN_ENV .. rocks ..
        " --only-server=file:///nonexistent make rockspec/lua-cdk-scm-1.rockspec --tree " .. q(tree))
      assert.truthy(out:find("lua-cdk scm-1 is now installed in " .. tree, 1, true), out)

      local share = tree .. "/share/lua/" .. VERSION
      local lib = tree .. "/lib/lua/" .. VERSION
      local want = {}
      for _, f in ipairs(h.ls("lua/cdk")) do want[#want + 1] = f end
      assert.same(want, h.ls(share .. "/cdk"))
      assert.same({ "core.so" }, h.ls(lib .. "/cdk"))

      local app_out, template = run_app('eval "$(' .. rocks .. " path --tree " .. q(tree) .. ')"')
      assert.equal(share .. "/cdk/init.lua\n" .. share .. "/cdk/ecr.lua\n" .. lib .. "/cdk/core.so\n", app_out)
      assert.equal(readme_template(), template)

      assert.equal(h.exists("bin/luacdk"), h.exists(tree .. "/bin/luacdk"))
      if h.exists("bin/luacdk") then
        -- on PATH after `luarocks path`; LuaRocks' wrapper runs it under this Lua
        assert.same({ luacdk_in_tree() },
          { luacdk_installed('eval "$(' .. rocks .. " path --tree " .. q(tree) .. ')"', "luacdk") })
      end
    end)
  end)
end)
