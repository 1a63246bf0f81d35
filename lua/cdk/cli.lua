-- cdk.cli: the `luacdk` command line: synth, ls, diff and repl. An app runs in a child
-- interpreter as the AWS CDK CLI runs it (CDK_OUTDIR, CDK_CONTEXT_JSON), its cloud assembly is
-- read back and printed as `cdk synth` prints it. Pure Lua over cdk.json and cdk.yaml; POSIX
-- shell for processes and folders. It adds no construct behaviour.
local json = require "cdk.json"
local yaml = require "cdk.yaml"

local M = {}

local unpack = unpack or table.unpack

M.name = "luacdk"

local USAGE = [[
Usage: luacdk COMMAND [ARGS]

Commands:
  synth APP.lua [STACK...] [-o DIR] [-c KEY=VALUE]... [--json]
                 run the app, write its cloud assembly (default cdk.out) and print
                 the selected stack's template as `cdk synth` does (YAML, or JSON
                 with --json); with several stacks, list them instead
  ls APP.lua [STACK...] [-o DIR] [-c KEY=VALUE]... [--long]
                 run the app and list its stacks (with --long: id, name and
                 environment of each, as YAML)
  diff APP.lua [OLD_ASSEMBLY_DIR] [-c KEY=VALUE]... [--fail]
                 run the app into a temporary folder and show the resources (and
                 outputs, parameters, ...) added, removed and changed against an
                 earlier cloud assembly (default cdk.out), which is left as it is;
                 --fail exits with 1 when there are differences
  repl [APP.lua] an interactive Lua session with lua-cdk loaded (with APP.lua: the
                 app runs first and its App, stacks and top-level locals are at hand)

Options:
  -o, --output DIR        the cloud assembly's folder (synth, ls; default cdk.out)
  -c, --context KEY=VALUE context for the app (repeatable), on top of cdk.json's
                          "context" and cdk.context.json in the current folder
  -j, --json              print templates as JSON instead of YAML (synth)
  --no-version-reporting  no AWS::CDK::Metadata resource (as cdk.json's
                          "versionReporting": false); the CDK CLI adds it by default
  -h, --help              this help
  --version               the versions of luacdk, lua-cdk and the AWS CDK it follows

STACK is a stack name or a pattern (`*` any characters but '/', `**` any, `?` one,
a leading '!' excludes). Exit status: 0 on success, 1 on any error (a failing app
prints its error and the lines of your code that led to it; the earlier cloud
assembly is left untouched).
]]

-- ---------------------------------------------------------------------------------------------
-- Small helpers: output, files, processes

local function err(msg)
  io.stdout:flush()
  io.stderr:write(M.name, ": ", msg, "\n")
end

local function quote(s)
  return "'" .. tostring(s):gsub("'", "'\\''") .. "'"
end

-- The exit status of os.execute on every Lua (5.1 and LuaJIT give the raw wait status).
local function execute(cmd)
  io.stdout:flush()
  local a, _, c = os.execute(cmd)
  if type(a) == "number" then
    if a > 255 then return math.floor(a / 256) end
    return a
  end
  if a == true then return 0 end
  return c or 1
end

local function shell_ok(cmd)
  return execute(cmd .. " >/dev/null 2>&1") == 0
end

local function is_dir(path)
  return shell_ok("test -d " .. quote(path))
end

local function file_exists(path)
  local f = io.open(path, "rb")
  if f then f:close() return true end
  return false
end

local function read_file(path)
  local f = io.open(path, "rb")
  if not f then return nil end
  local s = f:read("*a")
  f:close()
  return s
end

local function popen_line(cmd)
  local p = io.popen(cmd)
  if not p then return nil end
  local line = p:read("*l")
  p:close()
  return line
end

local function rmtree(path)
  if path and path ~= "" and path ~= "/" then execute("rm -rf " .. quote(path)) end
end

local cwd_cache
local function cwd()
  cwd_cache = cwd_cache or popen_line("pwd") or os.getenv("PWD") or "."
  return cwd_cache
end

-- path.resolve: an absolute path without '.', '..' or a trailing '/'.
local function absolute(path)
  if path:sub(1, 1) ~= "/" then path = cwd() .. "/" .. path end
  local parts = {}
  for part in path:gmatch("[^/]+") do
    if part == ".." then
      if #parts > 0 then parts[#parts] = nil end
    elseif part ~= "." then
      parts[#parts + 1] = part
    end
  end
  return "/" .. table.concat(parts, "/")
end

-- A fresh name beside path (same folder, so that a rename can move it into place).
local function sibling(path, tag)
  local base = path:gsub("/+$", "")
  local seed = tostring({}):match("0x(%x+)") or tostring(os.time())
  for i = 1, 100 do
    local p = string.format("%s.%s-%s%d", base, tag, seed, i)
    if not file_exists(p) and not is_dir(p) then return p end
  end
  return base .. "." .. tag .. "-" .. os.time()
end

-- ---------------------------------------------------------------------------------------------
-- Command-line parsing

local function usage_error(msg)
  error({ usage = msg }, 0)
end

local COMMANDS = {
  synth = { o = true, c = true, json = true, min = 1 },
  synthesize = "synth",
  ls = { o = true, c = true, long = true, min = 1 },
  list = "ls",
  diff = { c = true, fail = true, min = 1, max = 2 },
  repl = { min = 0, max = 1 },
}

-- Parses argv into { command =, args = {...}, output =, context = {...}, json =, long =, fail = }.
function M.parse(argv)
  local opts = { args = {}, context = {} }
  local i = 1
  local function value_of(flag)
    i = i + 1
    local v = argv[i]
    if v == nil then usage_error("option '" .. flag .. "' needs a value") end
    return v
  end
  local positional_only = false
  while i <= #argv do
    local a = argv[i]
    local spec = opts.command and COMMANDS[opts.command]
    local long, inline = a:match("^(%-%-[%w-]+)=(.*)$")
    if long then a = long end
    local function take(flag)
      if inline then return inline end
      return value_of(flag)
    end
    if positional_only or a == "-" or a:sub(1, 1) ~= "-" then
      if not opts.command then
        local c = COMMANDS[a]
        if type(c) == "string" then a = c end
        if not COMMANDS[a] then
          if a == "help" then opts.help = true
          else usage_error("unknown command '" .. a .. "'") end
        end
        opts.command = a
      else
        opts.args[#opts.args + 1] = a
      end
    elseif a == "--" then
      positional_only = true
    elseif a == "-h" or a == "--help" then
      opts.help = true
    elseif a == "--version" then
      opts.version = true
    elseif not spec then
      usage_error("unknown option '" .. a .. "'")
    elseif spec.o and (a == "-o" or a == "--output") then
      opts.output = take(a)
    elseif spec.c and (a == "-c" or a == "--context") then
      opts.context[#opts.context + 1] = take(a)
    elseif spec.c and (a == "--no-version-reporting" or a == "--version-reporting") and not inline then
      opts.version_reporting = a == "--version-reporting"
    elseif spec.json and (a == "-j" or a == "--json") and not inline then
      opts.json = true
    elseif spec.long and (a == "-l" or a == "--long") and not inline then
      opts.long = true
    elseif spec.fail and a == "--fail" and not inline then
      opts.fail = true
    else
      usage_error("unknown option '" .. argv[i] .. "' for " .. opts.command)
    end
    i = i + 1
  end
  if opts.help or opts.version then return opts end
  if not opts.command then usage_error("no command given") end
  local spec = COMMANDS[opts.command]
  if #opts.args < spec.min then usage_error(opts.command .. " needs the app to run (APP.lua)") end
  if spec.max and #opts.args > spec.max then
    usage_error("too many arguments for " .. opts.command .. ": " .. opts.args[spec.max + 1])
  end
  return opts
end

-- ---------------------------------------------------------------------------------------------
-- Context, as the AWS CDK CLI gives it to an app

-- What the CDK CLI adds to every app's context (cdk synth of aws-cdk@2); version reporting (the
-- CDKMetadata resource) unless --no-version-reporting or cdk.json's "versionReporting": false.
local function cli_defaults(ctx, version_reporting)
  json.set(ctx, "aws:cdk:enable-path-metadata", true)
  json.set(ctx, "aws:cdk:enable-asset-metadata", true)
  if version_reporting then json.set(ctx, "aws:cdk:version-reporting", true) end
  json.set(ctx, "aws:cdk:bundling-stacks", json.array({ "**" }))
  json.set(ctx, "@aws-cdk/core:failSynthOnValidationErrors", false)
end

local function read_context_file(path, sub)
  local text = read_file(path)
  if not text then return nil end
  local ok, v = pcall(json.decode, text)
  if not ok then error(path .. ": " .. v, 0) end
  if sub then v = type(v) == "table" and v[sub] or nil end
  if v == nil then return nil end
  if type(v) ~= "table" or json.is_array(v) then
    error(path .. (sub and (": '" .. sub .. "'") or "") .. " must contain an object", 0)
  end
  return v
end

-- The context for the app: the -c assignments, then cdk.json's "context", then
-- cdk.context.json (the first that sets a key wins), then the CLI's defaults. version_reporting:
-- the command line's choice (nil: cdk.json's "versionReporting", else on).
function M.context(assignments, version_reporting)
  local ctx = json.object()
  for _, a in ipairs(assignments or {}) do
    local k, v = a:match("^([^=]*)=(.*)$")
    if not k then error("Context argument is not an assignment (key=value): " .. a, 0) end
    if k:find("^aws:.") then
      error("User-provided context cannot use keys prefixed with 'aws:', but " .. k .. " was provided.", 0)
    end
    json.set(ctx, k, v)
  end
  for _, src in ipairs({ read_context_file("cdk.json", "context") or {},
                         read_context_file("cdk.context.json") or {} }) do
    for _, k in ipairs(json.keys(src)) do
      if ctx[k] == nil then json.set(ctx, k, src[k]) end
    end
  end
  if version_reporting == nil then
    local settings = read_context_file("cdk.json") or {}
    version_reporting = settings.versionReporting ~= false
  end
  cli_defaults(ctx, version_reporting)
  return ctx
end

-- ---------------------------------------------------------------------------------------------
-- Running an app in a child interpreter

-- How to start this command again (set by bin/luacdk): { interpreter =, script = }.
M.self = { interpreter = "lua5.4" }

-- Runs app_path in a child interpreter with env (a map); returns its exit status and the
-- outdirs of the Apps it created.
local function run_app(app_path, env)
  local report = os.tmpname()
  local parts = { "env" }
  local all = {
    LUACDK_PATH = package.path,
    LUACDK_CPATH = package.cpath,
    LUACDK_REPORT = report,
  }
  for k, v in pairs(env) do all[k] = v end
  local names = {}
  for k in pairs(all) do names[#names + 1] = k end
  table.sort(names)
  for _, k in ipairs(names) do parts[#parts + 1] = k .. "=" .. quote(all[k]) end
  parts[#parts + 1] = quote(M.self.interpreter)
  if M.self.script then
    parts[#parts + 1] = quote(M.self.script)
    parts[#parts + 1] = "__run"
  else
    parts[#parts + 1] = "-e " .. quote("package.path = os.getenv('LUACDK_PATH') "
      .. "package.cpath = os.getenv('LUACDK_CPATH') os.exit(require('cdk.cli').child(arg[0]))")
    parts[#parts + 1] = "--"
  end
  parts[#parts + 1] = quote(app_path)
  local status = execute(table.concat(parts, " "))
  local outdirs, synthesized_in = {}, {}
  local f = io.open(report, "rb")
  local told = false
  if f then
    for line in f:lines() do
      if line == "error" then told = true end
      local flag, dir = line:match("^([01]) (.*)$")
      if dir then
        outdirs[#outdirs + 1] = dir
        if flag == "1" then synthesized_in[absolute(dir)] = true end
      end
    end
    f:close()
  end
  os.remove(report)
  -- an app that exits with a status of its own (os.exit(3)) or dies (a signal) has printed no
  -- error: say what happened, as the CDK CLI does ('Subprocess exited with error 3')
  if status ~= 0 and not told then
    err(app_path .. " exited with status " .. status)
  end
  return status, outdirs, synthesized_in
end

local function dir_id(path)
  return popen_line("ls -di " .. quote(path) .. " 2>/dev/null")
end

-- Runs the app so that its assembly lands in outdir; returns the assembly's folder, or nil
-- and whether the app itself failed (it has printed its error then).
local function synthesize(app_path, outdir, context, explicit_outdir)
  if not file_exists(app_path) then
    err("cannot open " .. app_path)
    return nil
  end
  local before = dir_id(outdir)
  local env = {
    CDK_OUTDIR = outdir,
    CDK_CONTEXT_JSON = json.encode(context),
  }
  if not os.getenv("CDK_DEFAULT_REGION") then
    env.CDK_DEFAULT_REGION = os.getenv("AWS_REGION") or os.getenv("AWS_DEFAULT_REGION") or "us-east-1"
  end
  -- An app that fails after its app:synth() has replaced the earlier assembly: keep a copy of
  -- the earlier one, made of hard links (the core never rewrites an assembly's files: it renames
  -- a new folder into place), and put it back then.
  local backup
  if before and file_exists(outdir .. "/manifest.json") then
    local parent, base = outdir:match("^(.*/)([^/]+)/*$")
    if not parent then parent, base = "", outdir:gsub("/+$", "") end
    backup = parent .. "." .. base .. ".luacdk-earlier"
    rmtree(backup)
    if execute("cp -al " .. quote(outdir) .. " " .. quote(backup) .. " 2>/dev/null") ~= 0 then
      rmtree(backup)
      backup = nil
    end
  end
  local status, outdirs, synthesized_in = run_app(app_path, env)
  if status ~= 0 then
    if backup and dir_id(outdir) ~= before then
      rmtree(outdir)
      os.rename(backup, outdir)
    end
    if backup then rmtree(backup) end
    return nil, true
  end
  if backup then rmtree(backup) end
  local after = dir_id(outdir)
  -- a new assembly folder, or one an App synthesized into with no change (left in place)
  if file_exists(outdir .. "/manifest.json") and ((after and after ~= before) or synthesized_in[absolute(outdir)]) then
    return outdir
  end
  for _, d in ipairs(outdirs) do
    if absolute(d) ~= absolute(outdir) and file_exists(d .. "/manifest.json") then
      if explicit_outdir then
        err("note: the app writes its cloud assembly to '" .. d .. "' (its cdk.App outdir), not to '"
          .. outdir .. "'")
      end
      return d
    end
  end
  err(app_path .. " wrote no cloud assembly: create the App with cdk.App() and end the app with app:synth()")
  return nil
end

-- ---------------------------------------------------------------------------------------------
-- The child: runs the app and reports its Apps' outdirs

local function module_dir()
  local src = debug.getinfo(1, "S").source
  return src:sub(1, 1) == "@" and src:sub(2):match("^(.*/)") or nil
end

-- Whether a stack frame belongs to the user (not lua-cdk, luacdk or C).
local function user_frame(info, hidden)
  if info.what == "C" or info.source:sub(1, 1) ~= "@" then return false end
  local file = info.source:sub(2)
  for _, h in ipairs(hidden) do
    if h ~= "" and file:sub(1, #h) == h then return false end
  end
  return true
end

-- An error handler for xpcall: the message and a traceback of the user's frames only.
-- on_error(), if given, runs first, while the failing frames are still on the stack.
function M.error_handler(extra_hidden, on_error)
  local hidden = { module_dir() or "\0", M.self.script or "\0" }
  for _, h in ipairs(extra_hidden or {}) do hidden[#hidden + 1] = h end
  return function(e)
    if on_error then pcall(on_error) end
    local msg
    if type(e) == "string" then
      msg = e
    elseif type(e) == "table" or type(e) == "userdata" then
      local mt = getmetatable(e)
      msg = (mt and mt.__tostring) and tostring(e) or ("(error object is a " .. type(e) .. " value)")
    else
      msg = tostring(e)
    end
    local lines = {}
    local level = 2
    while true do
      local info = debug.getinfo(level, "Sln")
      if not info then break end
      if user_frame(info, hidden) and (info.currentline or -1) > 0 then
        local where
        if info.what == "main" then
          where = "in main chunk"
        elseif info.name then
          where = "in function '" .. info.name .. "'"
        else
          where = "in function <" .. info.short_src .. ":" .. info.linedefined .. ">"
        end
        lines[#lines + 1] = "\t" .. info.short_src .. ":" .. info.currentline .. ": " .. where
      end
      level = level + 1
    end
    if #lines == 0 then return msg end
    return msg .. "\nstack traceback:\n" .. table.concat(lines, "\n")
  end
end

-- Records the Apps created while fn runs (cdk.App is a callable class table).
function M.recording_apps(fn, apps)
  local cdk = require "cdk"
  local mt = getmetatable(cdk.App)
  local ctor = mt.__call
  apps = apps or {}
  mt.__call = function(...)
    local app = ctor(...)
    apps[#apps + 1] = app
    return app
  end
  local results = { pcall(fn) }
  mt.__call = ctor
  if not results[1] then error(results[2], 0) end
  return apps, unpack(results, 2)
end

-- Loads and runs an app file; returns ok, message (formatted for the user), and the Apps it
-- created. hook(chunk, on) may set debug hooks around the run and on_error(chunk) look at the
-- failing frames (the REPL captures the app's locals).
function M.run_file(path, hidden, hook, on_error, apps)
  local chunk, lerr = loadfile(path)
  if not chunk then return false, lerr, apps or {} end
  local handler = M.error_handler(hidden, on_error and function() on_error(chunk) end)
  local ok, msg
  apps = M.recording_apps(function()
    if hook then hook(chunk, true) end
    ok, msg = xpcall(chunk, handler)
    if hook then hook(chunk, false) end
  end, apps)
  return ok, msg, apps
end

-- Writes the child's report (LUACDK_REPORT): "error" when it has printed the app's error, else
-- each App's outdir, after "1 " when it synthesized (core._synthesized), else "0 ".
local function write_report(apps, failed)
  local report = os.getenv("LUACDK_REPORT")
  local f = report and io.open(report, "wb")
  if not f then return end
  if failed then
    f:write("error\n")
  else
    local core = require "cdk.core"
    for _, app in ipairs(apps) do
      local okd, dir = pcall(function() return app.outdir end)
      local oks, n = pcall(core._synthesized, app)
      if okd and dir then f:write(oks and n > 0 and "1 " or "0 ", dir, "\n") end
    end
  end
  f:close()
end

-- The child's entry point (`luacdk __run APP.lua`): returns the exit status.
function M.child(app_path)
  if os.getenv("LUACDK_PATH") then package.path = os.getenv("LUACDK_PATH") end
  if os.getenv("LUACDK_CPATH") then package.cpath = os.getenv("LUACDK_CPATH") end
  arg = { [0] = app_path }
  local apps = {}
  -- an app that ends itself with os.exit still reports the Apps it made and synthesized
  local exit = os.exit
  os.exit = function(code, ...)
    write_report(apps, false)
    io.stdout:flush()
    -- true and false as Lua 5.2 and later take them (Lua 5.1's os.exit takes only numbers)
    if code == true then code = 0 elseif code == false then code = 1 end
    return exit(code, ...)
  end
  local ok, msg = M.run_file(app_path, nil, nil, nil, apps)
  os.exit = exit
  if not ok then
    err(msg)
    write_report(apps, true)
    return 1
  end
  write_report(apps, false)
  io.stdout:flush()
  return 0
end

-- ---------------------------------------------------------------------------------------------
-- Reading an assembly

-- The stacks of the assembly in dir, in manifest order: { id =, name =, display =, file =,
-- dependencies = {ids}, environment = }.
function M.read_assembly(dir)
  local manifest, e = json.read_file(dir .. "/manifest.json")
  if not manifest then error((e or "") == "" and (dir .. " is not a cloud assembly") or e, 0) end
  local stacks = {}
  local artifacts = manifest.artifacts or json.object()
  for _, id in ipairs(json.keys(artifacts)) do
    local a = artifacts[id]
    if a.type == "aws:cloudformation:stack" then
      local props = a.properties or {}
      stacks[#stacks + 1] = {
        id = id,
        display = a.displayName or id,
        name = props.stackName or id,
        file = dir .. "/" .. (props.templateFile or (id .. ".template.json")),
        dependencies = a.dependencies or {},
        environment = a.environment,
      }
    end
  end
  return stacks
end

function M.read_template(stack)
  local t, e = json.read_file(stack.file)
  if not t then error(e, 0) end
  return t
end

-- ---------------------------------------------------------------------------------------------
-- Stack selection (picomatch-style patterns on the stack's display name)

local function glob_to_pattern(g)
  local out, i = { "^" }, 1
  while i <= #g do
    local c = g:sub(i, i)
    if c == "*" then
      if g:sub(i + 1, i + 1) == "*" then
        out[#out + 1] = ".*"
        i = i + 1
      else
        out[#out + 1] = "[^/]*"
      end
    elseif c == "?" then
      out[#out + 1] = "[^/]"
    elseif c:find("[%^%$%(%)%%%.%[%]%+%-]") then
      out[#out + 1] = "%" .. c
    else
      out[#out + 1] = c
    end
    i = i + 1
  end
  out[#out + 1] = "$"
  return table.concat(out)
end

local function matcher(patterns)
  local pos, neg = {}, {}
  for _, p in ipairs(patterns) do
    if p:sub(1, 1) == "!" then neg[#neg + 1] = glob_to_pattern(p:sub(2))
    else pos[#pos + 1] = glob_to_pattern(p) end
  end
  return function(name)
    local included = #pos == 0
    for _, p in ipairs(pos) do
      if name:find(p) then included = true break end
    end
    if not included then return false end
    for _, p in ipairs(neg) do
      if name:find(p) then return false end
    end
    return true
  end
end

-- The stacks matching patterns (all when none), in assembly order; with upstream, the stacks
-- they depend on too.
local function select_stacks(stacks, patterns, upstream)
  if #patterns == 0 then return stacks end
  local match = matcher(patterns)
  local chosen = {}
  for _, s in ipairs(stacks) do
    if match(s.display) then chosen[s.id] = true end
  end
  if upstream then
    local by_id = {}
    for _, s in ipairs(stacks) do by_id[s.id] = s end
    local progress = true
    while progress do
      progress = false
      for id in pairs(chosen) do
        for _, dep in ipairs(by_id[id].dependencies) do
          if by_id[dep] and not chosen[dep] then
            chosen[dep] = true
            progress = true
          end
        end
      end
    end
  end
  local out = {}
  for _, s in ipairs(stacks) do
    if chosen[s.id] then out[#out + 1] = s end
  end
  return out
end

-- `cdk synth` leaves out the bootstrap version check rule.
local function obscure(template)
  local rules = template.Rules
  if type(rules) == "table" and rules.CheckBootstrapVersion ~= nil then
    if #json.keys(rules) > 1 then rules.CheckBootstrapVersion = nil else template.Rules = nil end
  end
  return template
end

-- The text `cdk synth` prints for a value: YAML, or JSON with two-space indents.
function M.serialize(value, as_json)
  if as_json then return json.encode(value, 2) .. "\n" end
  return yaml.encode(value) .. "\n"
end

-- ---------------------------------------------------------------------------------------------
-- Commands

local function cmd_synth(opts)
  local app_path = opts.args[1]
  local patterns = {}
  for i = 2, #opts.args do patterns[#patterns + 1] = opts.args[i] end
  local dir = synthesize(app_path, opts.output or "cdk.out", M.context(opts.context, opts.version_reporting), opts.output ~= nil)
  if not dir then return 1 end
  local stacks = M.read_assembly(dir)
  if #stacks == 0 then
    err("This app contains no stacks")
    return 1
  end
  local selected = select_stacks(stacks, patterns, false)
  if #selected == 0 then
    err("No stacks match the name(s) " .. table.concat(patterns, ","))
    return 1
  end
  if #selected == 1 then
    io.write(M.serialize(obscure(M.read_template(selected[1])), opts.json))
    return 0
  end
  local names = {}
  for i, s in ipairs(selected) do names[i] = s.display end
  io.stdout:flush()
  io.stderr:write("Successfully synthesized to ", absolute(dir), "\n")
  io.stderr:write("Supply a stack id (", table.concat(names, ", "), ") to display its template.\n")
  return 0
end

local function environment_of(s)
  local env = s.environment or "aws://unknown-account/unknown-region"
  local account, region = env:match("^aws://([^/]*)/(.*)$")
  local e = json.object()
  json.set(e, "account", account or "unknown-account")
  json.set(e, "region", region or "unknown-region")
  json.set(e, "name", env)
  return e
end

local function cmd_ls(opts)
  local app_path = opts.args[1]
  local patterns = {}
  for i = 2, #opts.args do patterns[#patterns + 1] = opts.args[i] end
  local dir = synthesize(app_path, opts.output or "cdk.out", M.context(opts.context, opts.version_reporting),
    opts.output ~= nil)
  if not dir then return 1 end
  local stacks = select_stacks(M.read_assembly(dir), patterns, true)
  if opts.long then
    local list = json.array()
    for _, s in ipairs(stacks) do
      local o = json.object()
      json.set(o, "id", s.display)
      json.set(o, "name", s.name)
      json.set(o, "environment", environment_of(s))
      list[#list + 1] = o
    end
    io.write(M.serialize(list, false))
  else
    for _, s in ipairs(stacks) do io.write(s.display, "\n") end
  end
  return 0
end

-- ---- diff ----

local function compact(v)
  if type(v) == "string" then return v end
  return json.encode(v)
end

local function same(a, b)
  return json.encode(a) == json.encode(b)
end

-- The construct path of a resource from its aws:cdk:path metadata, below the stack and
-- without a trailing /Resource or /Default, as `cdk diff` shows it.
local function display_path(def)
  local md = type(def) == "table" and def.Metadata
  local p = type(md) == "table" and md["aws:cdk:path"]
  if type(p) ~= "string" then return nil end
  p = p:gsub("^[^/]*/", ""):gsub("/Resource$", ""):gsub("/Default$", "")
  return p
end

-- Lines describing how one map (a resource, an output) changed, key by key, as a tree.
local function changed_keys(old, new)
  local items = {}
  local function each(t, fn)
    if type(t) ~= "table" or t == json.null then return end
    for _, k in ipairs(json.keys(t)) do fn(k, t[k]) end
  end
  local oldp = type(old) == "table" and old.Properties or nil
  local newp = type(new) == "table" and new.Properties or nil
  local function compare(k, o, n)
    if o == nil and n ~= nil then
      items[#items + 1] = { "[+] " .. k, { compact(n) } }
    elseif o ~= nil and n == nil then
      items[#items + 1] = { "[-] " .. k, { compact(o) } }
    elseif not same(o, n) then
      items[#items + 1] = { "[~] " .. k, { "[-] " .. compact(o), "[+] " .. compact(n) } }
    end
  end
  -- properties first, in the new definition's order, then the removed ones
  each(newp, function(k, v) compare(k, oldp and oldp[k], v) end)
  each(oldp, function(k, v) if not (newp and newp[k] ~= nil) then compare(k, v, nil) end end)
  each(new, function(k, v)
    if k ~= "Properties" and k ~= "Type" and k ~= "Metadata" then compare(k, old and old[k], v) end
  end)
  each(old, function(k, v)
    if k ~= "Properties" and k ~= "Type" and k ~= "Metadata" and not (new and new[k] ~= nil) then
      compare(k, v, nil)
    end
  end)
  local lines = {}
  for i, item in ipairs(items) do
    local last = i == #items
    lines[#lines + 1] = (last and " └─ " or " ├─ ") .. item[1]
    for j, sub in ipairs(item[2]) do
      local sublast = j == #item[2]
      lines[#lines + 1] = (last and "     " or " │   ") .. (sublast and "└─ " or "├─ ") .. sub
    end
  end
  return lines
end

local SECTIONS = {
  { key = "Parameters", title = "Parameters", kind = "Parameter" },
  { key = "Mappings", title = "Mappings", kind = "Mapping" },
  { key = "Conditions", title = "Conditions", kind = "Condition" },
  { key = "Resources", title = "Resources" },
  { key = "Outputs", title = "Outputs", kind = "Output" },
}

-- The diff of two templates as lines (empty when they are the same).
function M.diff_templates(old, new)
  old = old or json.object()
  new = new or json.object()
  local out = {}
  local known = {}
  for _, sec in ipairs(SECTIONS) do
    known[sec.key] = true
    local o = old[sec.key] or json.object()
    local n = new[sec.key] or json.object()
    local removed, added, changed = {}, {}, {}
    for _, id in ipairs(json.keys(o)) do
      if n[id] == nil then removed[#removed + 1] = id end
    end
    for _, id in ipairs(json.keys(n)) do
      if o[id] == nil then added[#added + 1] = id
      elseif not same(o[id], n[id]) then changed[#changed + 1] = id end
    end
    if #removed + #added + #changed > 0 then
      if #out > 0 then out[#out + 1] = "" end
      out[#out + 1] = sec.title
      if sec.key == "Resources" then
        local function head(sign, id, def, suffix)
          local parts = { sign, type(def) == "table" and def.Type or "?" }
          local path = display_path(def)
          if path then parts[#parts + 1] = path end
          parts[#parts + 1] = id
          return table.concat(parts, " ") .. (suffix or "")
        end
        for _, id in ipairs(removed) do
          local policy = type(o[id]) == "table" and o[id].DeletionPolicy
          out[#out + 1] = head("[-]", id, o[id], (policy == "Retain" or policy == "RetainExceptOnCreate") and " orphan" or "")
        end
        for _, id in ipairs(added) do out[#out + 1] = head("[+]", id, n[id]) end
        for _, id in ipairs(changed) do
          local o_type, n_type = o[id].Type, n[id].Type
          if o_type ~= n_type then
            out[#out + 1] = head("[-]", id, o[id]) .. " (type changed, replaced)"
            out[#out + 1] = head("[+]", id, n[id])
          else
            out[#out + 1] = head("[~]", id, n[id])
            for _, l in ipairs(changed_keys(o[id], n[id])) do out[#out + 1] = l end
          end
        end
      else
        for _, id in ipairs(removed) do
          out[#out + 1] = string.format("[-] %s %s %s: %s", sec.kind, id, id, compact(o[id]))
        end
        for _, id in ipairs(added) do
          out[#out + 1] = string.format("[+] %s %s %s: %s", sec.kind, id, id, compact(n[id]))
        end
        for _, id in ipairs(changed) do
          out[#out + 1] = string.format("[~] %s %s %s: %s to %s", sec.kind, id, id, compact(o[id]), compact(n[id]))
        end
      end
    end
  end
  -- Description, Transform, Metadata, ...
  local others = {}
  local seen = {}
  for _, t in ipairs({ new, old }) do
    for _, k in ipairs(json.keys(t)) do
      if not known[k] and not seen[k] then
        seen[k] = true
        local o, n = old[k], new[k]
        if o == nil then others[#others + 1] = "[+] " .. k .. ": " .. compact(n)
        elseif n == nil then others[#others + 1] = "[-] " .. k .. ": " .. compact(o)
        elseif not same(o, n) then others[#others + 1] = "[~] " .. k .. ": " .. compact(o) .. " to " .. compact(n) end
      end
    end
  end
  if #others > 0 then
    if #out > 0 then out[#out + 1] = "" end
    out[#out + 1] = "Other Changes"
    for _, l in ipairs(others) do out[#out + 1] = l end
  end
  return out
end

local function cmd_diff(opts)
  local app_path = opts.args[1]
  local old_dir = opts.args[2] or "cdk.out"
  local old_stacks = {}
  if file_exists(old_dir .. "/manifest.json") then
    old_stacks = M.read_assembly(old_dir)
  elseif opts.args[2] then
    err(old_dir .. " is not a cloud assembly (no manifest.json)")
    return 1
  end
  local tmp = sibling(absolute(old_dir), "luacdk-diff")
  local dir = synthesize(app_path, tmp, M.context(opts.context, opts.version_reporting))
  if not dir then
    rmtree(tmp)
    return 1
  end
  local ok, e = pcall(function()
    local new_stacks = M.read_assembly(dir)
    local old_by_id = {}
    for _, s in ipairs(old_stacks) do old_by_id[s.id] = s end
    local new_ids = {}
    local differing = 0
    local function report(name, old_t, new_t)
      local lines = M.diff_templates(old_t, new_t)
      io.write("Stack ", name, "\n")
      if #lines == 0 then
        io.write("There were no differences\n\n")
      else
        differing = differing + 1
        io.write(table.concat(lines, "\n"), "\n\n")
      end
    end
    for _, s in ipairs(new_stacks) do
      new_ids[s.id] = true
      local old = old_by_id[s.id]
      report(s.display, old and M.read_template(old) or nil, M.read_template(s))
    end
    for _, s in ipairs(old_stacks) do
      if not new_ids[s.id] then report(s.display .. " (no longer in the app)", M.read_template(s), nil) end
    end
    io.write("\n✨  Number of stacks with differences: ", differing, "\n")
    return differing
  end)
  if dir == tmp then rmtree(tmp) end
  if not ok then
    err(e)
    return 1
  end
  if opts.fail and e > 0 then return 1 end
  return 0
end

local function cmd_repl(opts)
  return require("cdk.repl").start { app_path = opts.args[1] }
end

function M.version_text()
  local ok, cdk = pcall(require, "cdk")
  local v = ok and cdk.version or "?"
  local ref = ok and cdk.reference_version or "?"
  return string.format("%s %s (lua-cdk %s, AWS CDK %s, %s)", M.name, v, v, ref, _VERSION)
end

-- Runs the command line argv (a list of strings); returns the exit status.
function M.main(argv)
  if argv[1] == "__run" then return M.child(argv[2]) end
  if #argv == 0 then
    -- as the CDK CLI does without a command: the help on stderr, and a failure
    io.stderr:write(USAGE)
    return 1
  end
  local ok, opts = pcall(M.parse, argv)
  if not ok then
    if type(opts) == "table" and opts.usage then
      err(opts.usage .. " (see luacdk --help)")
      return 1
    end
    error(opts, 0)
  end
  if opts.help or (opts.command == nil and not opts.version) then
    io.write(USAGE)
    return 0
  end
  if opts.version then
    io.write(M.version_text(), "\n")
    return 0
  end
  local commands = { synth = cmd_synth, ls = cmd_ls, diff = cmd_diff, repl = cmd_repl }
  local okc, rc = pcall(commands[opts.command], opts)
  if not okc then
    err(tostring(rc))
    return 1
  end
  return rc
end

return M
