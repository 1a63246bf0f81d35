-- luacdk repl: driven with piped input (plain lines, no prompts) and through a pseudo-terminal
-- (`script`), where readline gives line editing, history and tab completion.
local h = require "support.helpers"
local cli = require "support.cli"

local projects = {}
local function project(files)
  local dir = cli.project(files)
  projects[#projects + 1] = dir
  return dir
end

local function repl(dir, lines, ...)
  return cli.luacdk({ "repl", ... }, { cwd = dir, stdin = table.concat(lines, "\n") .. "\n" })
end

-- A line showing a string token and what it resolves to ("${Token[...]}" numbers vary).
local function token_line(line, prefix, resolved)
  local tok, rest = line:match("^" .. prefix:gsub("%p", "%%%0") .. "(%${Token%[[%w.]+%]}) %-%-> (.*)$")
  return tok ~= nil and rest == resolved
end

describe("luacdk repl", function()
  after_each(function()
    for _, d in ipairs(projects) do h.rmtree(d) end
    projects = {}
  end)

  it("evaluates lines with lua-cdk loaded and an App and a Stack ready", function()
    local dir = project()
    local r = repl(dir, {
      'repo = ecr.Repository(stack, "Repo", { image_scan_on_push = true })',
      "repo",
      "repo.repository_arn",
      '"images-" .. repo.repository_name',
      "repo:add_lifecycle_rule { max_image_count = 5 }",
      "show(repo)",
      '1 + 1, nil, "plain"',
      '{ a = 1, b = { 1, "two" }, r = repo }',
      "cdk.Duration.days(3)",
      "for i = 1, 2 do",
      "  print(i)",
      "end",
      'ecr.Repository(stack, "Bad", { image_scan_on_push = "yes" })',
      'error("nope")',
      "show(repo.repository_name)",
      'show(cdk.Fn.join("-", { "a", stack.region }))',
      "type(iam), type(kms), type(events), type(targets), type(sns), type(sqs), type(lambda)",
      "synth()",
    })
    assert.equal(0, r.code)
    local out = {}
    for line in r.out:gmatch("([^\n]*)\n") do out[#out + 1] = line end
    assert.equal("<Repository Stack/Repo>", out[1])
    assert.is_true(token_line(out[2], "", '{"Fn::GetAtt":["Repo02AC86CF","Arn"]}'), out[2])
    assert.is_true(token_line(out[3], "images-", '{"Fn::Join":["",["images-",{"Ref":"Repo02AC86CF"}]]}'), out[3])
    local rest = table.concat(out, "\n", 4) .. "\n"
    assert.equal([[
Resources:
  Repo02AC86CF:
    Type: AWS::ECR::Repository
    Properties:
      ImageScanningConfiguration:
        ScanOnPush: true
      LifecyclePolicy:
        LifecyclePolicyText: '{"rules":[{"rulePriority":1,"selection":{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":5},"action":{"type":"expire"}}]}'
    UpdateReplacePolicy: Retain
    DeletionPolicy: Retain
2	nil	plain
{ a = 1, b = { 1, "two" }, r = <Repository Stack/Repo> }
Duration.days(3)
1
2
Ref: Repo02AC86CF
Fn::Join:
  - "-"
  - - a
    - Ref: AWS::Region
]] .. "table\ttable\ttable\ttable\ttable\ttable\ttable\nwrote cdk.out (Stack)\n", rest)
    assert.equal("stdin:1: bad argument #3 to 'Repository' (field 'image_scan_on_push': boolean expected, got string)\n"
      .. "stdin:1: nope\n", r.err)
    assert.same({ "Stack.template.json", "cdk.out", "manifest.json", "tree.json" }, h.ls(dir .. "/cdk.out"))
  end)

  it("runs an app first and offers its App, stacks and top-level locals", function()
    local dir = project()
    local r = repl(dir, { "app", "stack", "repo", "stack.stack_name", "show(repo)" }, cli.root .. "/examples/readme.lua")
    assert.equal("", r.err)
    assert.equal(0, r.code)
    assert.equal([[
<App>
<Stack Images>
<Repository Images/Repository>
Images
Resources:
  Repository22E53BBD:
    Type: AWS::ECR::Repository
    Properties:
      ImageScanningConfiguration:
        ScanOnPush: true
      LifecyclePolicy:
        LifecyclePolicyText: '{"rules":[{"rulePriority":1,"selection":{"tagStatus":"tagged","tagPrefixList":["prod"],"countType":"imageCountMoreThan","countNumber":9999},"action":{"type":"expire"}},{"rulePriority":2,"selection":{"tagStatus":"any","countType":"sinceImagePushed","countNumber":30,"countUnit":"days"},"action":{"type":"expire"}}]}'
    UpdateReplacePolicy: Retain
    DeletionPolicy: Retain
]], r.out)
    -- the app ran as it would alone: it wrote its assembly
    assert.same({ "Images.template.json", "cdk.out", "manifest.json", "tree.json" }, h.ls(dir .. "/cdk.out"))
  end)

  it("reports a failing app and still offers what it built", function()
    local dir = project { ["bad.lua"] = 'local cdk = require "cdk"\nlocal app = cdk.App()\n'
      .. 'local stack = cdk.Stack(app, "Half")\nlocal fine = cdk.CfnResource(stack, "Fine", { type = "A::B" })\n'
      .. 'error("stopped here")\n' }
    local r = repl(dir, { "app", "stack", "fine", "show()", "show(fine)" }, "bad.lua")
    assert.equal(0, r.code)
    assert.equal("bad.lua:5: stopped here\nstack traceback:\n\tbad.lua:5: in main chunk\n", r.err)
    assert.equal("<App>\n<Stack Half>\n<CfnResource Half/Fine>\nResources:\n  Fine:\n    Type: A::B\n"
      .. "Resources:\n  Fine:\n    Type: A::B\n", r.out)
  end)

  it("shows every stack of the app, and says when a construct adds nothing", function()
    local dir = project()
    local r = repl(dir, {
      'other = cdk.Stack(app, "Other")',
      'cdk.CfnResource(other, "Thing", { type = "A::B" })',
      'base = ecr.Repository.from_repository_name(stack, "Base", "base")',
      "show(base)",
      "show()",
    })
    assert.equal("", r.err)
    assert.equal("<CfnResource Other/Thing>\n(Stack/Base adds nothing to the template)\n# Stack\n{}\n\n# Other\nResources:\n  Thing:\n"
      .. "    Type: A::B\n", r.out)
  end)

  it("shows number tokens, statements and documents resolved, and reports show() and synth() errors at the user's line", function()
    local dir = project()
    local r = repl(dir, {
      'p = cdk.CfnParameter(stack, "Port", { type = "Number" })',
      "p.value_as_number",
      "cdk.Lazy.number { produce = function() return 42 end }",
      "2 + 2",
      'o = cdk.CfnOutput(stack, "O", { value = "x" })',
      "show()",
      "synth()",
      'closed = cdk.App() gone = cdk.Stack(closed, "Gone") closed:close()',
      "show(gone)",
      "gone",
      'st = iam.PolicyStatement { actions = { "s3:GetObject" }, resources = { "*" } }',
      "st",
      "doc = iam.PolicyDocument { statements = { st } }",
      "doc",
    })
    local out = {}
    for line in r.out:gmatch("[^\n]+") do out[#out + 1] = line end
    assert.equal(6, #out, r.out)
    assert.equal("<construct of a closed App>", out[4])
    local json = '{"Action":"s3:GetObject","Effect":"Allow","Resource":"*"}'
    -- (PolicyStatement: 0x... on Lua 5.3 and later, userdata: 0x... on 5.1)
    assert.truthy(out[5]:find("^%a+: 0x%x+ %-%-> " .. json:gsub("%p", "%%%0") .. "$"), out[5])
    assert.truthy(out[6]:find("^%${Token%[PolicyDocument%.%d+%]} %-%-> "
      .. ('{"Statement":[' .. json .. '],"Version":"2012-10-17"}'):gsub("%p", "%%%0") .. "$"), out[6])
    assert.truthy(out[1]:find('^%-[%d.e+]+ %-%-> {"Ref":"Port"}$'), out[1])
    assert.truthy(out[2]:find("^%-[%d.e+]+ %-%-> 42$"), out[2])
    assert.equal("4", out[3])
    local id_error = "Resolution error: Logical ID must adhere to the regular expression: "
      .. "/^[A-Za-z][A-Za-z0-9]{1,254}$/, got 'O'.\nObject creation stack:\n  at Execute again with "
      .. "CDK_DEBUG=true to capture stack traces\n"
    assert.equal("stdin:1: " .. id_error .. "stdin:1: " .. id_error
      .. "stdin:1: attempt to use a construct of a closed App\n", r.err)
  end)

  it("continues lines until a chunk is complete, and reports what cannot compile", function()
    local dir = project()
    local r = repl(dir, { "t = {", "  1,", "  2 }", "#t", "x = = 1", "function f()", "  return 42", "end", "f()" })
    assert.equal("2\n42\n", r.out)
    assert.equal("stdin:1: unexpected symbol near '='\n", r.err)
  end)

  it("edits lines, completes names and keeps a history on a terminal", function()
    if not cli.have("script") then
      pending("`script` (util-linux) is not installed: no pseudo-terminal to drive the REPL through")
      return
    end
    if cli.sh(h.lua .. " -e 'require \"readline\"'").code ~= 0 then
      pending("the readline module (Debian's lua-readline) is not installed for " .. h.lua)
      return
    end
    local dir = project { inputrc = "set enable-bracketed-paste off\nset bell-style none\n" }
    h.mkdir(dir .. "/home")
    -- keys typed with pauses, as a person would: Tab completes, Up recalls the last line (longer
    -- pauses when the interpreter runs under valgrind, which starts it slowly)
    local slow = h.lua:find("valgrind", 1, true) and 10 or 1
    local function pause(s) return string.format(" sleep %.1f;", s * slow) end
    local keys = pause(1) .. " printf 'ecr.TagMu\\t';" .. pause(0.4) .. " printf '.IMM\\t';" .. pause(0.4)
      .. " printf '\\r';" .. pause(0.4) .. " printf '40 + 2\\r';" .. pause(0.4) .. " printf '\\033[A';"
      .. pause(0.4) .. " printf '\\r';" .. pause(0.4) .. " printf '\\004'"
    local cmd = "(" .. keys .. ") | script -qfec " .. h.shell_quote(h.lua .. " "
      .. h.shell_quote(cli.bin) .. " repl") .. " /dev/null"
    local r = cli.sh(cmd, { cwd = dir, env = { HOME = dir .. "/home", INPUTRC = dir .. "/inputrc", TERM = "xterm" } })
    assert.equal(0, r.code)
    local out = r.out:gsub("\r", "")
    local cdk = require "cdk"
    local version = cli.sh(h.lua .. " -e 'io.write(_VERSION)'").out
    assert.equal(string.format("lua-cdk %s (AWS CDK 1.204.0) on %s. help() for help, Ctrl-D to leave.\n",
      cdk.version, version), out:match("^[^\n]*\n"))
    assert.truthy(out:find("> ecr.TagMutability.IMMUTABLE\nIMMUTABLE\n", 1, true), out)
    assert.truthy(out:find("> 40 + 2\n42\n> 40 + 2\n42\n", 1, true), out)
    assert.equal("ecr.TagMutability.IMMUTABLE\n40 + 2\n", h.read(dir .. "/home/.luacdk_history"))
  end)
end)
