-- bin/luacdk: synth, ls and diff run an app as the AWS CDK CLI runs it, write (or compare) its
-- cloud assembly and print what `cdk synth` / `cdk ls` print; errors, exit statuses, help.
-- Expected templates come from the AWS CDK CLI (spec/fixtures/cli).
local h = require "support.helpers"
local cli = require "support.cli"

local FIX = cli.root .. "/spec/fixtures/cli/"
local README_APP = cli.root .. "/examples/readme.lua"

local projects = {}
local function project(files)
  local dir = cli.project(files)
  projects[#projects + 1] = dir
  return dir
end

local function luacdk(dir, ...)
  return cli.luacdk({ ... }, { cwd = dir })
end

-- An app whose Output shows the context value `key` (and whether path metadata is on).
local CONTEXT_APP = [[
local cdk = require "cdk"
local app = cdk.App()
local stack = cdk.Stack(app, "Ctx")
cdk.CfnOutput(stack, "Value", { value = tostring(app.node:try_get_context("stage")) })
cdk.CfnOutput(stack, "Paths", { value = tostring(app.node:try_get_context("aws:cdk:enable-path-metadata")) })
app:synth()
]]

local FAILING_APP = [[
local cdk = require "cdk"
local ecr = require "cdk.ecr"

local app = cdk.App()
local stack = cdk.Stack(app, "S")

local function make_repo(name)
  local repo = ecr.Repository(stack, name, { image_scan_on_push = "yes" })
  return repo
end

make_repo("Web")
app:synth()
]]

describe("luacdk", function()
  after_each(function()
    for _, d in ipairs(projects) do h.rmtree(d) end
    projects = {}
  end)

  describe("synth", function()
    it("prints the template as `cdk synth` prints it and writes the assembly to cdk.out", function()
      local dir = project()
      local r = luacdk(dir, "synth", README_APP)
      assert.equal("", r.err)
      assert.equal(0, r.code)
      assert.equal(h.read(FIX .. "readme.yaml"), r.out)
      assert.same({ "Images.template.json", "cdk.out", "manifest.json", "tree.json" }, h.ls(dir .. "/cdk.out"))
    end)

    it("prints JSON with --json", function()
      local dir = project()
      local r = luacdk(dir, "synth", README_APP, "--json")
      assert.equal(0, r.code)
      assert.equal(h.read(FIX .. "readme.json"), r.out)
    end)

    it("writes the assembly where -o says", function()
      local dir = project()
      local r = luacdk(dir, "synth", README_APP, "-o", "out/dev")
      assert.equal(0, r.code)
      assert.equal(h.read(FIX .. "readme.yaml"), r.out)
      assert.same({ "out" }, h.ls(dir))
      assert.same({ "Images.template.json", "cdk.out", "manifest.json", "tree.json" }, h.ls(dir .. "/out/dev"))
    end)

    it("passes context as the CDK CLI does: -c, then cdk.json, then cdk.context.json", function()
      local dir = project {
        ["app.lua"] = CONTEXT_APP,
        ["cdk.json"] = '{ "app": "lua5.4 app.lua", "versionReporting": false, "context": { "stage": "from-cdk.json" } }',
        ["cdk.context.json"] = '{ "stage": "from-cdk.context.json" }',
      }
      local r = luacdk(dir, "synth", "app.lua", "-c", "stage=beta=2")
      assert.equal(0, r.code)
      assert.equal("Outputs:\n  Value:\n    Value: beta=2\n  Paths:\n    Value: \"true\"\n\n", r.out)
      r = luacdk(dir, "synth", "app.lua")
      assert.equal("Outputs:\n  Value:\n    Value: from-cdk.json\n  Paths:\n    Value: \"true\"\n\n", r.out)
      os.remove(dir .. "/cdk.json")
      r = luacdk(dir, "synth", "app.lua", "--no-version-reporting")
      assert.equal("Outputs:\n  Value:\n    Value: from-cdk.context.json\n  Paths:\n    Value: \"true\"\n\n", r.out)
    end)

    it("refuses context it cannot pass, with the CDK CLI's words", function()
      local dir = project { ["app.lua"] = CONTEXT_APP }
      local r = luacdk(dir, "synth", "app.lua", "-c", "aws:cdk:x=1")
      assert.equal(1, r.code)
      assert.equal("luacdk: User-provided context cannot use keys prefixed with 'aws:', but aws:cdk:x was provided.\n", r.err)
      r = luacdk(dir, "synth", "app.lua", "--context", "stage")
      assert.equal(1, r.code)
      assert.equal("luacdk: Context argument is not an assignment (key=value): stage\n", r.err)
      assert.same({ "app.lua" }, h.ls(dir))
    end)

    it("prints one stack of several when named, and only lists them otherwise", function()
      local dir = project { ["app.lua"] = h.read(FIX .. "two_stacks.lua") }
      local r = luacdk(dir, "synth", "app.lua")
      assert.equal(0, r.code)
      assert.equal("", r.out)
      assert.equal("Successfully synthesized to " .. dir .. "/cdk.out\n"
        .. "Supply a stack id (Beta, Alpha) to display its template.\n", r.err)
      r = luacdk(dir, "synth", "app.lua", "Alpha")
      assert.equal(0, r.code)
      assert.equal(h.read(FIX .. "two_stacks.Alpha.yaml"), r.out)
      r = luacdk(dir, "synth", "app.lua", "A*")
      assert.equal(h.read(FIX .. "two_stacks.Alpha.yaml"), r.out)
      r = luacdk(dir, "synth", "app.lua", "!Beta")
      assert.equal(h.read(FIX .. "two_stacks.Alpha.yaml"), r.out)
      r = luacdk(dir, "synth", "app.lua", "Alpha", "Beta")
      assert.equal("", r.out)
      assert.equal("Successfully synthesized to " .. dir .. "/cdk.out\n"
        .. "Supply a stack id (Beta, Alpha) to display its template.\n", r.err)
    end)

    it("says when no stack matches", function()
      local dir = project { ["app.lua"] = h.read(FIX .. "two_stacks.lua") }
      local r = luacdk(dir, "synth", "app.lua", "Nope", "Gamma*")
      assert.equal(1, r.code)
      assert.equal("luacdk: No stacks match the name(s) Nope,Gamma*\n", r.err)
      assert.equal("", r.out)
    end)

    it("adds the CDKMetadata resource as the CDK CLI's version reporting does, unless told not to", function()
      local app = 'local cdk = require "cdk"\nlocal app = cdk.App()\n'
        .. 'cdk.CfnResource(cdk.Stack(app, "S", { env = { account = "1", region = "eu-west-1" } }), "Res", { type = "A::B" })\n'
        .. 'app:synth()\n'
      local dir = project { ["app.lua"] = app }
      local r = luacdk(dir, "synth", "app.lua")
      assert.equal(0, r.code)
      -- JSII_AGENT=lua-cdk-spec (support.cli): the text is 1.204.0!@aws-cdk/core.{Stack,CfnResource,Construct},lua-cdk-spec!jsii-runtime.Runtime
      assert.equal("Resources:\n  Res:\n    Type: A::B\n    Metadata:\n      aws:cdk:path: S/Res\n"
        .. "  CDKMetadata:\n    Type: AWS::CDK::Metadata\n    Properties:\n"
        .. "      Analytics: v2:deflate64:H4sIAAAAAAAA/wFVAKr/MS4yMDQuMCFAYXdzLWNkay9jb3JlLntTdGFjayxDZm5SZXNvdXJjZSxDb25zdHJ1Y3R9LGx1YS1jZGstc3BlYyFqc2lpLXJ1bnRpbWUuUnVudGltZdYM66FVAAAA\n"
        .. "    Metadata:\n      aws:cdk:path: S/CDKMetadata/Default\n\n", r.out)
      for _, args in ipairs { { "--no-version-reporting" }, {} } do
        if #args == 0 then h.write(dir .. "/cdk.json", '{ "versionReporting": false }') end
        r = luacdk(dir, "synth", "app.lua", table.unpack(args))
        assert.equal("Resources:\n  Res:\n    Type: A::B\n    Metadata:\n      aws:cdk:path: S/Res\n\n", r.out)
      end
    end)

    it("lets the app print before the template, as the CDK CLI does", function()
      local dir = project { ["app.lua"] = 'print("hello from the app")\n' .. CONTEXT_APP }
      local r = luacdk(dir, "synth", "app.lua", "--no-version-reporting")
      assert.equal(0, r.code)
      assert.equal("hello from the app\nOutputs:\n  Value:\n    Value: nil\n  Paths:\n    Value: \"true\"\n\n", r.out)
    end)

    it("reports a failing app at the user's line, with the user's frames, and keeps cdk.out", function()
      local dir = project { ["app.lua"] = h.read(FIX .. "two_stacks.lua"), ["bad.lua"] = FAILING_APP }
      assert.equal(0, luacdk(dir, "synth", "app.lua", "Beta").code)
      local before = h.read(dir .. "/cdk.out/manifest.json")
      local r = luacdk(dir, "synth", "bad.lua")
      assert.equal(1, r.code)
      assert.equal("", r.out)
      assert.equal("luacdk: bad.lua:8: bad argument #3 to 'Repository' (field 'image_scan_on_push': "
        .. "boolean expected, got string)\n"
        .. "stack traceback:\n"
        .. "\tbad.lua:8: in function 'make_repo'\n"
        .. "\tbad.lua:12: in main chunk\n", r.err)
      assert.equal(before, h.read(dir .. "/cdk.out/manifest.json"))
      assert.same({ "Alpha.template.json", "Beta.template.json", "cdk.out", "manifest.json", "tree.json" },
        h.ls(dir .. "/cdk.out"))
      assert.same({ "app.lua", "bad.lua", "cdk.out" }, h.ls(dir))
    end)

    it("reports an error raised in the user's own module with the frames that led to it", function()
      local dir = project {
        ["helper.lua"] = 'local M = {}\nfunction M.boom() error("boom in helper") end\nreturn M\n',
        ["app.lua"] = 'package.path = "./?.lua;" .. package.path\nlocal helper = require "helper"\n'
          .. "local function go() helper.boom() end\ngo()\n",
      }
      local r = luacdk(dir, "synth", "app.lua")
      assert.equal(1, r.code)
      assert.equal("luacdk: ./helper.lua:2: boom in helper\nstack traceback:\n"
        .. "\t./helper.lua:2: in function 'boom'\n\tapp.lua:3: in function 'go'\n\tapp.lua:4: in main chunk\n", r.err)
    end)

    it("reports a synthesis error of the App at the app's app:synth() line", function()
      local dir = project { ["app.lua"] = 'local cdk = require "cdk"\nlocal app = cdk.App()\n'
        .. 'cdk.CfnOutput(cdk.Stack(app, "S"), "Long", { value = "v", export_name = string.rep("e", 300) })\n'
        .. "app:synth()\n" }
      local r = luacdk(dir, "synth", "app.lua")
      assert.equal(1, r.code)
      assert.equal("luacdk: app.lua:4: Validation failed with the following errors:\n"
        .. "  [S/Long] Export name cannot exceed 255 characters (got 300 characters)\n"
        .. "stack traceback:\n\tapp.lua:4: in main chunk\n", r.err)
      assert.same({ "app.lua" }, h.ls(dir))
    end)

    it("reports syntax errors, missing files and apps that never synthesize", function()
      local dir = project {
        ["syntax.lua"] = "local x = = 1\n",
        ["nosynth.lua"] = 'local cdk = require "cdk"\nlocal app = cdk.App()\ncdk.Stack(app, "S")\n',
      }
      local r = luacdk(dir, "synth", "syntax.lua")
      assert.equal(1, r.code)
      assert.equal("luacdk: syntax.lua:1: unexpected symbol near '='\n", r.err)
      r = luacdk(dir, "synth", "missing.lua")
      assert.equal(1, r.code)
      assert.equal("luacdk: cannot open missing.lua\n", r.err)
      r = luacdk(dir, "synth", "nosynth.lua")
      assert.equal(1, r.code)
      assert.equal("luacdk: nosynth.lua wrote no cloud assembly: create the App with cdk.App() and end "
        .. "the app with app:synth()\n", r.err)
    end)

    it("puts the earlier assembly back when the app fails after its app:synth()", function()
      local dir = project { ["app.lua"] = 'local cdk = require "cdk"\nlocal app = cdk.App()\n'
        .. 'cdk.Stack(app, os.getenv("STACK") or "First")\napp:synth()\n'
        .. 'if os.getenv("FAIL") then error("after synth") end\n' }
      assert.equal(0, luacdk(dir, "ls", "app.lua").code)
      local earlier = h.read(dir .. "/cdk.out/manifest.json")
      local r = cli.luacdk({ "ls", "app.lua" }, { cwd = dir, env = { STACK = "Second", FAIL = "1" } })
      assert.equal(1, r.code)
      assert.equal("luacdk: app.lua:5: after synth\nstack traceback:\n\tapp.lua:5: in main chunk\n", r.err)
      assert.equal(earlier, h.read(dir .. "/cdk.out/manifest.json"))
      assert.same({ "app.lua", "cdk.out" }, h.ls(dir))
      r = cli.luacdk({ "ls", "app.lua" }, { cwd = dir, env = { STACK = "Second" } })
      assert.equal("Second\n", r.out)
      assert.same({ "app.lua", "cdk.out" }, h.ls(dir))
    end)

    it("says when an app exits with a status of its own, and reads what an app that exits after app:synth() wrote", function()
      local dir = project {
        ["exits.lua"] = 'print("bye")\nos.exit(3)\n',
        ["fails.lua"] = "os.exit(false)\n",
        ["ends.lua"] = 'local cdk = require "cdk"\nlocal app = cdk.App()\ncdk.Stack(app, "S")\napp:synth()\nos.exit(0)\n',
      }
      local r = luacdk(dir, "synth", "exits.lua")
      assert.equal(1, r.code)
      assert.equal("bye\n", r.out)
      assert.equal("luacdk: exits.lua exited with status 3\n", r.err)
      r = luacdk(dir, "ls", "fails.lua")
      assert.equal(1, r.code)
      assert.equal("luacdk: fails.lua exited with status 1\n", r.err)
      -- twice: the second synthesis changes no file, so the assembly's folder stays as it was
      for _ = 1, 2 do
        r = luacdk(dir, "ls", "ends.lua")
        assert.equal(0, r.code)
        assert.equal("S\n", r.out)
      end
    end)

    it("reads the assembly from where the app's App writes it", function()
      local dir = project { ["app.lua"] = 'local cdk = require "cdk"\nlocal app = cdk.App { outdir = "mine.out" }\n'
        .. 'cdk.CfnResource(cdk.Stack(app, "S"), "Res", { type = "A::B" })\napp:synth()\n' }
      local r = luacdk(dir, "synth", "app.lua", "-o", "other.out", "--no-version-reporting")
      assert.equal(0, r.code)
      assert.equal("Resources:\n  Res:\n    Type: A::B\n    Metadata:\n      aws:cdk:path: S/Res\n\n", r.out)
      assert.equal("luacdk: note: the app writes its cloud assembly to 'mine.out' (its cdk.App outdir), "
        .. "not to 'other.out'\n", r.err)
      assert.same({ "app.lua", "mine.out" }, h.ls(dir))
    end)
  end)

  describe("ls", function()
    it("lists the stacks as `cdk ls` does", function()
      local dir = project { ["app.lua"] = h.read(FIX .. "two_stacks.lua") }
      local r = luacdk(dir, "ls", "app.lua")
      assert.equal(0, r.code)
      assert.equal("Beta\nAlpha\n", r.out)
      r = luacdk(dir, "ls", "app.lua", "Alpha")
      assert.equal("Beta\nAlpha\n", r.out) -- with the stacks it depends on
      r = luacdk(dir, "ls", "app.lua", "B*")
      assert.equal("Beta\n", r.out)
    end)

    it("writes the assembly where -o says, as `cdk ls -o` does", function()
      local dir = project { ["app.lua"] = 'local cdk = require "cdk"\nlocal app = cdk.App()\ncdk.Stack(app, "Only")\napp:synth()\n' }
      local r = luacdk(dir, "ls", "app.lua", "-o", "out/dev")
      assert.equal(0, r.code, r.err)
      assert.equal("Only\n", r.out)
      assert.truthy(h.exists(dir .. "/out/dev/manifest.json"))
      assert.is_false(h.exists(dir .. "/cdk.out"))
    end)

    it("gives ids, names and environments with --long", function()
      local dir = project { ["app.lua"] = h.read(FIX .. "two_stacks.lua") }
      local r = luacdk(dir, "ls", "app.lua", "--long")
      assert.equal(0, r.code)
      local env = "  environment:\n    account: unknown-account\n    region: unknown-region\n"
        .. "    name: aws://unknown-account/unknown-region\n"
      assert.equal("- id: Beta\n  name: Beta\n" .. env .. "- id: Alpha\n  name: Alpha\n" .. env .. "\n", r.out)
    end)
  end)

  describe("diff", function()
    local V1 = [[
local cdk = require "cdk"
local ecr = require "cdk.ecr"
local app = cdk.App()
local s = cdk.Stack(app, "Images")
ecr.Repository(s, "Repo", { image_scan_on_push = false })
ecr.Repository(s, "Gone")
cdk.CfnOutput(s, "Out1", { value = "a" })
cdk.CfnOutput(s, "Old", { value = "x" })
app:synth()
]]
    local V2 = [[
local cdk = require "cdk"
local ecr = require "cdk.ecr"
local app = cdk.App()
local s = cdk.Stack(app, "Images")
ecr.Repository(s, "Repo", { image_scan_on_push = true, image_tag_mutability = ecr.TagMutability.IMMUTABLE,
  removal_policy = cdk.RemovalPolicy.DESTROY })
ecr.Repository(s, "Added")
cdk.CfnOutput(s, "Out1", { value = "b" })
cdk.CfnOutput(s, "New", { value = "y" })
app:synth()
]]

    it("shows resources and outputs added, removed and changed against cdk.out, leaving it as it was", function()
      local dir = project { ["v1.lua"] = V1, ["v2.lua"] = V2 }
      assert.equal(0, luacdk(dir, "synth", "v1.lua").code)
      local before = h.read(dir .. "/cdk.out/Images.template.json")
      local r = luacdk(dir, "diff", "v2.lua")
      assert.equal("", r.err)
      assert.equal(0, r.code)
      assert.equal(table.concat({
        "Stack Images",
        "Resources",
        "[-] AWS::ECR::Repository Gone Gone1B02B07C orphan",
        "[+] AWS::ECR::Repository Added Added701B1C67",
        "[~] AWS::ECR::Repository Repo Repo02AC86CF",
        " ├─ [~] ImageScanningConfiguration",
        " │   ├─ [-] {\"ScanOnPush\":false}",
        " │   └─ [+] {\"ScanOnPush\":true}",
        " ├─ [+] ImageTagMutability",
        " │   └─ IMMUTABLE",
        " ├─ [~] UpdateReplacePolicy",
        " │   ├─ [-] Retain",
        " │   └─ [+] Delete",
        " └─ [~] DeletionPolicy",
        "     ├─ [-] Retain",
        "     └─ [+] Delete",
        "",
        "Outputs",
        "[-] Output Old Old: {\"Value\":\"x\"}",
        "[+] Output New New: {\"Value\":\"y\"}",
        "[~] Output Out1 Out1: {\"Value\":\"a\"} to {\"Value\":\"b\"}",
        "",
        "",
        "✨  Number of stacks with differences: 1",
        "",
      }, "\n"), r.out)
      assert.equal(before, h.read(dir .. "/cdk.out/Images.template.json"))
      assert.same({ "cdk.out", "v1.lua", "v2.lua" }, h.ls(dir))
    end)

    it("says when nothing changed, and compares with the assembly given", function()
      local dir = project { ["v1.lua"] = V1, ["v2.lua"] = V2 }
      assert.equal(0, luacdk(dir, "synth", "v1.lua", "-o", "old.out").code)
      local r = luacdk(dir, "diff", "v1.lua", "old.out")
      assert.equal(0, r.code)
      assert.equal("Stack Images\nThere were no differences\n\n\n✨  Number of stacks with differences: 0\n", r.out)
      r = luacdk(dir, "diff", "v2.lua", "old.out", "--fail")
      assert.equal(1, r.code)
      r = luacdk(dir, "diff", "v1.lua", "old.out", "--fail")
      assert.equal(0, r.code)
      assert.same({ "old.out", "v1.lua", "v2.lua" }, h.ls(dir))
    end)

    it("shows everything as new without an earlier assembly, and refuses a folder that is none", function()
      local dir = project { ["v1.lua"] = 'local cdk = require "cdk"\nlocal app = cdk.App()\n'
        .. 'cdk.CfnResource(cdk.Stack(app, "S"), "Res", { type = "A::B" })\napp:synth()\n' }
      local r = luacdk(dir, "diff", "v1.lua", "--no-version-reporting")
      assert.equal(0, r.code)
      assert.equal("Stack S\nResources\n[+] A::B Res Res\n\n\n✨  Number of stacks with differences: 1\n", r.out)
      h.mkdir(dir .. "/empty")
      r = luacdk(dir, "diff", "v1.lua", "empty")
      assert.equal(1, r.code)
      assert.equal("luacdk: empty is not a cloud assembly (no manifest.json)\n", r.err)
      assert.same({ "empty", "v1.lua" }, h.ls(dir))
    end)
  end)

  describe("help and usage", function()
    it("prints its help with --help, and on stderr with no command (exiting 1, as the CDK CLI does)", function()
      local r = cli.luacdk({ "--help" })
      assert.equal(0, r.code)
      assert.equal("Usage: luacdk COMMAND [ARGS]\n", r.out:match("^[^\n]*\n"))
      assert.truthy(r.out:find("  synth APP.lua [STACK...] [-o DIR] [-c KEY=VALUE]... [--json]\n", 1, true))
      local none = cli.luacdk({})
      assert.equal(1, none.code)
      assert.equal("", none.out)
      assert.equal(r.out, none.err)
    end)

    it("prints its version", function()
      local cdk = require "cdk"
      local r = cli.luacdk({ "--version" })
      assert.equal(0, r.code)
      local lua_version = cli.sh(h.lua .. " -e 'io.write(_VERSION)'").out
      assert.equal(string.format("luacdk %s (lua-cdk %s, AWS CDK 1.204.0, %s)\n", cdk.version, cdk.version,
        lua_version), r.out)
    end)

    it("says when lua-cdk's C module is not built", function()
      local dir = project { ["app.lua"] = 'require "cdk"\n' }
      h.mkdir(dir .. "/checkout/bin")
      h.write(dir .. "/checkout/bin/luacdk", h.read(cli.bin))
      assert.equal(0, cli.sh("cp -r " .. h.shell_quote(cli.root .. "/lua") .. " checkout/", { cwd = dir }).code)
      local r = cli.sh(h.lua .. " checkout/bin/luacdk synth app.lua",
        { cwd = dir, env = { LUA_PATH = "/nonexistent/?.lua", LUA_CPATH = "/nonexistent/?.so" } })
      assert.equal(1, r.code)
      assert.equal("luacdk: cannot load lua-cdk's C module cdk.core (run `make` in the project's folder, or "
        .. "install lua-cdk): module 'cdk.core' not found:\n", r.err)
      r = cli.sh(h.lua .. " checkout/bin/luacdk --help",
        { cwd = dir, env = { LUA_PATH = "/nonexistent/?.lua", LUA_CPATH = "/nonexistent/?.so" } })
      assert.equal(0, r.code)
      assert.truthy(r.out:find("^Usage: luacdk COMMAND"))
    end)

    it("finds the in-tree Lua modules from a checkout, relative to bin/", function()
      local cdk = require "cdk"
      local dir = project()
      local r = cli.sh(h.lua .. " ../../" .. h.shell_quote(cli.bin:gsub("^/", "")) .. " --version",
        { cwd = dir, env = { LUA_PATH = ";;" } })
      assert.equal(0, r.code, r.err)
      assert.truthy(r.out:find("^luacdk " .. cdk.version:gsub("%p", "%%%0") .. " %(lua%-cdk "), r.out)
    end)

    it("refuses unknown commands, options and missing arguments", function()
      local r = cli.luacdk({ "deploy", "app.lua" })
      assert.equal(1, r.code)
      assert.equal("luacdk: unknown command 'deploy' (see luacdk --help)\n", r.err)
      r = cli.luacdk({ "synth", "app.lua", "--yaml" })
      assert.equal(1, r.code)
      assert.equal("luacdk: unknown option '--yaml' for synth (see luacdk --help)\n", r.err)
      r = cli.luacdk({ "synth" })
      assert.equal("luacdk: synth needs the app to run (APP.lua) (see luacdk --help)\n", r.err)
      r = cli.luacdk({ "synth", "app.lua", "-o" })
      assert.equal("luacdk: option '-o' needs a value (see luacdk --help)\n", r.err)
      r = cli.luacdk({ "diff", "a.lua", "b", "c" })
      assert.equal("luacdk: too many arguments for diff: c (see luacdk --help)\n", r.err)
    end)
  end)
end)
