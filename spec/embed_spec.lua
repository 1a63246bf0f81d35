-- Embedding (csrc/include/lua_cdk.h): examples/embed/main.c, a C program with Lua inside and
-- lua-cdk linked in (liblua_cdk.a), and examples/embed/core_app.c, the README's app written
-- against the C API without Lua, both built by `make test` next to the core.so under test
-- ($(BUILD)/embed/); and the C program of README.md's "Embedding in C", compiled here. The
-- modules come from the program, not from files: its app clears Lua's search paths and still
-- writes the README's template, byte for byte as the in-tree modules write it
-- (spec/examples_spec.lua pins that one to the AWS CDK's).
local h = require "support.helpers"

local BUILD = h.build_dir()
local EMBED = BUILD .. "/embed/lua-cdk-embed"
local CORE_APP = BUILD .. "/embed/core-app"
local q = h.shell_quote

local dirs = {}

local function run_ok(cmd)
  local ok, out, status = h.command(cmd .. " 2>&1")
  assert(ok, cmd .. "\nexited with " .. tostring(status) .. ":\n" .. out)
  return out
end
local function tmpdir()
  local d = h.mkdir(h.tmppath(".embed"))
  dirs[#dirs + 1] = d
  return d
end

-- The README's app synthesized by the in-tree modules (as examples_spec runs it): the files of
-- its assembly, by name.
local function readme_assembly()
  local out = tmpdir() .. "/cdk.out"
  local ok, err = h.run_lua(("dofile(%q)"):format(h.abs_path("examples/readme.lua")), { CDK_OUTDIR = out })
  assert(ok, err)
  local files = {}
  for _, f in ipairs(h.ls(out)) do files[f] = h.read(out .. "/" .. f) end
  return files
end

local function readme_template()
  return readme_assembly()["Images.template.json"]
end

local function assembly(dir)
  local files = {}
  for _, f in ipairs(h.ls(dir)) do files[f] = h.read(dir .. "/" .. f) end
  return files
end

-- The ```c block of README.md's "Embedding in C".
local function readme_c_program()
  local text = h.read("README.md")
  local section = assert(text:match("\n## Embedding in C\n(.-)\n## "), "README.md has no Embedding in C section")
  return assert(section:match("\n```c\n(.-\n)```\n"), "no C program in Embedding in C")
end

-- How a C program links this Lua (as the Makefile's LUA_INCDIR and LUA_LIB say for Debian).
local LUA_INCDIR = jit and "/usr/include/luajit-2.1" or "/usr/include/lua" .. _VERSION:match("%d+%.%d+")
local LUA_LIB = jit and "-lluajit-5.1" or "-llua" .. _VERSION:match("%d+%.%d+")

describe("the embedding example (examples/embed)", function()
  after_each(function()
    for _, d in ipairs(dirs) do h.rmtree(d) end
    dirs = {}
  end)

  it("is built by make test next to core.so", function()
    assert(h.exists(EMBED), "missing " .. EMBED .. " (make embed builds it)")
    assert(h.exists(CORE_APP), "missing " .. CORE_APP .. " (make embed builds it)")
    assert(h.exists(BUILD .. "/liblua_cdk.a"), "missing liblua_cdk.a (make embed-lib builds it)")
  end)

  it("README.md's C program compiles against liblua_cdk.a and runs its Lua with lua-cdk preloaded", function()
    local dir = tmpdir()
    h.write(dir .. "/app.c", readme_c_program())
    -- a library built for `make test-asan` needs the sanitizers' runtimes at link time
    local sanitized = h.command("nm " .. q(BUILD .. "/liblua_cdk.a") .. " 2>/dev/null | grep -q __asan_")
    run_ok("cd " .. q(dir) .. " && cc " .. (sanitized and "-fsanitize=address,undefined " or "") ..
      "-std=c99 -Wall -Wextra -Werror -I" .. q(h.abs_path("csrc/include")) ..
      " -I" .. q(LUA_INCDIR) .. " app.c " .. q(BUILD .. "/liblua_cdk.a") .. " " .. LUA_LIB ..
      " -lcjson -lm -o app")
    assert.equal("cdk.out\n", run_ok("cd " .. q(dir) .. " && ./app"))
    -- the same Lua run by the in-tree modules writes the same assembly
    local lua_dir = tmpdir()
    local ok, out = h.run_lua([[
      local cdk = require 'cdk'
      local ecr = require 'cdk.ecr'
      local app = cdk.App()
      ecr.Repository(cdk.Stack(app, 'Images'), 'Repository')
      print(app:synth().directory)
    ]], {}, lua_dir)
    assert.is_true(ok, out)
    assert.equal("cdk.out\n", out)
    assert.same(assembly(lua_dir .. "/cdk.out"), assembly(dir .. "/cdk.out"))
    assert.truthy(h.read(dir .. "/cdk.out/Images.template.json"):find('"Type": "AWS::ECR::Repository"', 1, true))
  end)

  it("core_app.c writes the README app's whole assembly from C alone, no Lua linked", function()
    local dir = tmpdir()
    assert.equal("synthesized out (1 stack)\n", run_ok("cd " .. q(dir) .. " && " .. q(CORE_APP) .. " out"))
    assert.same(readme_assembly(), assembly(dir .. "/out"))
    -- no Lua symbol was linked in: the core does not need Lua
    assert.equal("", run_ok("nm -u " .. q(CORE_APP) .. " | grep ' lua' || true"))
  end)

  it("runs examples/embed/app.lua with every module preloaded and no search path", function()
    local dir = tmpdir()
    local ok, out = h.command("cd " .. q(dir) .. " && " .. q(EMBED) .. " " ..
      q(h.abs_path("examples/embed/app.lua")) .. " out 2>&1")
    assert.is_true(ok, out)
    assert.equal("synthesized out\n", out)
    assert.equal(readme_template(), h.read(dir .. "/out/Images.template.json"))
    assert.same({ "Images.template.json", "cdk.out", "manifest.json", "tree.json" }, h.ls(dir .. "/out"))
  end)

  it("runs any script as the lua command does: arg, ..., and the environment (CDK_OUTDIR)", function()
    local dir = tmpdir()
    h.write(dir .. "/args.lua", "print(arg[0], arg[1], arg[2], select('#', ...), ...)\n")
    local ok, out = h.command("cd " .. q(dir) .. " && " .. q(EMBED) .. " args.lua a 'b c' 2>&1")
    assert.is_true(ok, out)
    assert.equal("args.lua\ta\tb c\t2\ta\tb c\n", out)

    ok, out = h.command("cd " .. q(dir) .. " && CDK_OUTDIR=env.out " .. q(EMBED) .. " " ..
      q(h.abs_path("examples/readme.lua")) .. " 2>&1")
    assert.is_true(ok, out)
    assert.equal("", out)
    assert.equal(readme_template(), h.read(dir .. "/env.out/Images.template.json"))
  end)

  it("lists the modules it preloads: cdk.core and one per Lua file of lua/cdk", function()
    local dir = tmpdir()
    h.write(dir .. "/list.lua", [[
      local names = {}
      for name in pairs(package.preload) do -- LuaJIT preloads its own (ffi, jit.*) too
        if name == "cdk" or name:sub(1, 4) == "cdk." then names[#names + 1] = name end
      end
      table.sort(names)
      print(table.concat(names, " "))
    ]])
    local ok, out = h.command("cd " .. q(dir) .. " && " .. q(EMBED) .. " list.lua 2>&1")
    assert.is_true(ok, out)
    local want = { "cdk", "cdk.core" }
    for _, f in ipairs(h.ls("lua/cdk")) do
      local base = f:match("^(.+)%.lua$")
      if base and base ~= "init" then want[#want + 1] = "cdk." .. base end
    end
    table.sort(want)
    assert.equal(table.concat(want, " ") .. "\n", out)
  end)

  it("reports a script's error at the user's line with a traceback, and exits with 1", function()
    local dir = tmpdir()
    h.write(dir .. "/bad.lua", table.concat({
      'local cdk = require "cdk"',
      'local ecr = require "cdk.ecr"',
      'local stack = cdk.Stack(cdk.App(), "S")',
      'ecr.Repository(stack, "R", { image_scan_on_push = "yes" })',
    }, "\n"))
    local ok, out, status = h.command("cd " .. q(dir) .. " && " .. q(EMBED) .. " bad.lua 2>&1")
    assert.is_false(ok)
    assert.equal(1, status)
    assert.equal(EMBED .. ": bad.lua:4: bad argument #3 to 'Repository' (field 'image_scan_on_push': " ..
      "boolean expected, got string)\nstack traceback:\n", out:match("^[^\n]*\n[^\n]*\n"))
    assert.truthy(out:find("\n\tbad.lua:4: in main chunk\n", 1, true), out)

    ok, out, status = h.command("cd " .. q(dir) .. " && " .. q(EMBED) .. " missing.lua 2>&1")
    assert.equal(1, status)
    assert.equal(EMBED .. ": cannot open missing.lua\n", out:gsub(":[^:]*\n$", "\n"))

    ok, out, status = h.command(q(EMBED) .. " 2>&1")
    assert.equal(2, status)
    assert.equal("usage: " .. EMBED .. " SCRIPT [ARG...]\n", out)
  end)
end)
