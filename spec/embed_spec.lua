-- Embedding (csrc/include/lua_cdk.h): examples/embed/main.c, a C program with Lua inside and
-- lua-cdk linked in (liblua_cdk.a), built by `make test` next to the core.so under test
-- ($(BUILD)/embed/lua-cdk-embed). The modules come from the program, not from files: its app
-- clears Lua's search paths and still writes the README's template, byte for byte as the
-- in-tree modules write it (spec/examples_spec.lua pins that one to the AWS CDK's).
local h = require "support.helpers"

local EMBED = h.build_dir() .. "/embed/lua-cdk-embed"
local q = h.shell_quote

local dirs = {}
local function tmpdir()
  local d = h.mkdir(h.tmppath(".embed"))
  dirs[#dirs + 1] = d
  return d
end

-- The README's app synthesized by the in-tree modules (as examples_spec runs it).
local function readme_template()
  local out = tmpdir() .. "/cdk.out"
  local ok, err = h.run_lua(("dofile(%q)"):format(h.abs_path("examples/readme.lua")), { CDK_OUTDIR = out })
  assert(ok, err)
  return h.read(out .. "/Images.template.json")
end

describe("the embedding example (examples/embed)", function()
  after_each(function()
    for _, d in ipairs(dirs) do h.rmtree(d) end
    dirs = {}
  end)

  it("is built by make test next to core.so", function()
    assert(h.exists(EMBED), "missing " .. EMBED .. " (make embed builds it)")
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
