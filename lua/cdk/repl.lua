-- cdk.repl: `luacdk repl`, an interactive Lua session with lua-cdk loaded: the modules, an App
-- and a Stack ready (or those of an app file run first), results printed (constructs by class
-- and path, tokens with what they resolve to), show() and synth(). Line editing, history and
-- tab completion come from the readline module (Debian's lua-readline) when it is installed
-- and the input is a terminal; otherwise lines are read plainly. Pure Lua 5.1-5.4/LuaJIT.
local json = require "cdk.json"
local yaml = require "cdk.yaml"

local M = {}

local unpack = unpack or table.unpack

local MODULES = {
  { "cdk", "cdk" }, { "ecr", "cdk.ecr" }, { "iam", "cdk.iam" }, { "kms", "cdk.kms" },
  { "events", "cdk.events" }, { "targets", "cdk.events_targets" }, { "sns", "cdk.sns" },
  { "sqs", "cdk.sqs" }, { "lambda", "cdk.lambda" },
}

local HELP = [[
lua-cdk REPL: Lua with the lua-cdk modules loaded.
  cdk ecr iam kms events targets sns sqs lambda   the modules
  app, stack        an App and a Stack to build in (or the app file's own)
  show(x)           print what x adds to the template, as YAML: a stack's or the
                    app's templates, a construct's resources and outputs, or what
                    a token or value resolves to (show() alone: every stack)
  synth()           write the cloud assembly (app:synth()) and list its stacks
  help()            this text
An expression's value is printed: constructs as <Class path>, strings holding
tokens with what they resolve to in `stack`. Ctrl-D (or os.exit()) leaves.]]

-- ---------------------------------------------------------------------------------------------
-- Compiling chunks on every Lua

local function compile(code, name, env)
  if setfenv and loadstring then
    local f, e = loadstring(code, name)
    if f then setfenv(f, env) end
    return f, e
  end
  return load(code, name, "t", env)
end

-- A chunk that needs more lines: the message ends at <eof>.
local function incomplete(msg)
  return msg and (msg:find("<eof>$") ~= nil or msg:find("<eof>'$") ~= nil)
end

-- ---------------------------------------------------------------------------------------------
-- Showing values

local core_ok, core = pcall(require, "cdk.core")

local function is_construct(v)
  local mt = type(v) == "userdata" and getmetatable(v)
  return mt and mt.__name == "construct"
end

local function is_app(v)
  local mt = type(v) == "userdata" and getmetatable(v)
  return mt and (mt.__name == "App" or mt.__name == "cdk.App")
end

local function class_of(v)
  if is_app(v) then return "App" end
  local ok, name = pcall(core._class_name, v)
  return ok and name or "construct"
end

local function describe_construct(v)
  if is_app(v) then return "<App>" end
  local path = tostring(v)
  if path:sub(1, 1) == "<" then return path end -- "<construct of a closed App>"
  return "<" .. class_of(v) .. " " .. path .. ">"
end

local function stacks_of(app)
  local cdk = require "cdk"
  local out = {}
  local function walk(node)
    for _, c in ipairs(node.node.children) do
      if cdk.Stack.is_stack(c) then out[#out + 1] = c end
      walk(c)
    end
  end
  if app then walk(app) end
  return out
end

-- What a token (or a string holding tokens) resolves to in stack, or nil.
local function resolved(stack, v)
  if not stack then return nil end
  local cdk = require "cdk"
  local okt, unresolved = pcall(cdk.Token.is_unresolved, v)
  if not okt or not unresolved then return nil end
  local ok, r = pcall(stack.resolve, stack, v)
  if ok then return r end
  return nil
end

local describe

local function is_identifier(k)
  return type(k) == "string" and k:find("^[%a_][%w_]*$") ~= nil
end

local function describe_table(t, ctx, depth, seen)
  if seen[t] then return "<cycle>" end
  if depth > 4 then return "{...}" end
  seen[t] = true
  local parts = {}
  local n = #t
  for i = 1, n do parts[#parts + 1] = describe(t[i], ctx, depth + 1, seen) end
  local keys = {}
  for k in pairs(t) do
    if not (type(k) == "number" and k >= 1 and k <= n and k == math.floor(k)) then keys[#keys + 1] = k end
  end
  table.sort(keys, function(a, b)
    if type(a) == type(b) and (type(a) == "string" or type(a) == "number") then return a < b end
    return type(a) < type(b)
  end)
  for _, k in ipairs(keys) do
    local ks = is_identifier(k) and k or ("[" .. describe(k, ctx, depth + 1, seen) .. "]")
    parts[#parts + 1] = ks .. " = " .. describe(t[k], ctx, depth + 1, seen)
  end
  seen[t] = nil
  if #parts == 0 then return "{}" end
  local one = "{ " .. table.concat(parts, ", ") .. " }"
  if #one <= 72 and not one:find("\n", 1, true) then return one end
  local pad = string.rep("  ", depth + 1)
  return "{\n" .. pad .. table.concat(parts, ",\n" .. pad) .. "\n" .. string.rep("  ", depth) .. "}"
end

function describe(v, ctx, depth, seen)
  depth = depth or 0
  seen = seen or {}
  local t = type(v)
  if t == "string" then
    local r = resolved(ctx.stack(), v)
    local s = depth == 0 and v or string.format("%q", v)
    if r ~= nil then return s .. " --> " .. json.encode(r) end
    return s
  elseif t == "table" then
    if v == json.null then return "null" end
    local mt = getmetatable(v)
    if mt and mt.__tostring then return tostring(v) end
    return describe_table(v, ctx, depth, seen)
  elseif t == "number" then
    -- a number token (Lazy.number, value_as_number) is a huge negative number: show its value
    local r = resolved(ctx.stack(), v)
    if r ~= nil then return tostring(v) .. " --> " .. json.encode(r) end
    return tostring(v)
  elseif t == "userdata" then
    if is_construct(v) or is_app(v) then return describe_construct(v) end
    local r = resolved(ctx.stack(), v)
    -- a PolicyDocument is a value; a PolicyStatement renders with to_json()
    local stack = ctx.stack()
    if r == nil and stack then
      local ok, x = pcall(stack.resolve, stack, v)
      if ok then r = x end
    end
    if r == nil then
      local ok, x = pcall(function() return type(v.to_json) == "function" and v:to_json() or nil end)
      if ok then r = x end
    end
    if r ~= nil then return tostring(v) .. " --> " .. json.encode(r) end
    return tostring(v)
  end
  return tostring(v)
end

M.describe = function(v, stack) return describe(v, { stack = function() return stack end }) end

-- The template of a stack as an ordered value.
local function template_of(stack)
  return json.decode(core._template_json(stack))
end

-- The parts of the template that construct c (and what it contains) makes.
local function part_of(c)
  local cdk = require "cdk"
  local stack = cdk.Stack.of(c)
  local template = template_of(stack)
  local ids = {}
  for _, d in ipairs(c.node:find_all()) do
    local ok, id = pcall(stack.get_logical_id, stack, d)
    if ok and id then ids[id] = true end
  end
  local out = json.object()
  for _, section in ipairs(json.keys(template)) do
    local entries = template[section]
    if type(entries) == "table" and not json.is_array(entries) then
      local kept = json.object()
      for _, id in ipairs(json.keys(entries)) do
        if ids[id] then json.set(kept, id, entries[id]) end
      end
      if #json.keys(kept) > 0 then json.set(out, section, kept) end
    end
  end
  return out
end

-- ---------------------------------------------------------------------------------------------
-- The session

local function stdin_is_tty()
  local a = os.execute("test -t 0")
  if type(a) == "number" then return a == 0 end
  return a == true
end

-- Reads lines: readline on a terminal (when installed), else plain lines from input.
local function line_reader(opts, complete)
  local input = opts.input or io.stdin
  local interactive = opts.interactive
  if interactive == nil then interactive = input == io.stdin and stdin_is_tty() end
  local rl
  if interactive and opts.readline ~= false then
    local ok, mod = pcall(require, "readline")
    if ok and type(mod) == "table" and mod.readline then rl = mod end
  end
  if rl then
    local home = os.getenv("HOME")
    rl.set_options {
      histfile = opts.histfile or (home and (home .. "/.luacdk_history") or ""),
      keeplines = 1000,
      completion = true,
    }
    if rl.set_complete_function then
      rl.set_complete_function(function(text, from, to)
        -- readline resets the character it appends before each completion: no space after
        -- "ecr.Repository", the user goes on with '(' or '.'
        if rl.set_completion_append_character then rl.set_completion_append_character("") end
        return complete(text:sub(from, to))
      end)
    end
    return function(prompt) return rl.readline(prompt) end,
      function() if rl.save_history then rl.save_history() end end, true
  end
  local output = opts.output or io.stdout
  return function(prompt)
    if interactive then
      output:write(prompt)
      output:flush()
    end
    return input:read("*l")
  end, function() end, interactive
end

-- Starts the REPL; opts: app_path (run first), input/output (files; default stdin/stdout),
-- interactive (default: whether stdin is a terminal), readline (false: never). Returns the
-- exit status.
function M.start(opts)
  opts = opts or {}
  local out = opts.output or io.stdout
  local function say(...)
    out:write(...)
    out:write("\n")
    out:flush()
  end
  local function warn(msg)
    out:flush()
    io.stderr:write(msg, "\n")
    io.stderr:flush()
  end

  local env = setmetatable({}, { __index = _G })
  for _, m in ipairs(MODULES) do
    local ok, mod = pcall(require, m[2])
    if ok then env[m[1]] = mod else warn("cannot load " .. m[2] .. ": " .. tostring(mod)) end
  end
  local cdk = env.cdk

  if opts.app_path then
    local cli = require "cdk.cli"
    -- the app's top-level locals, read when its main chunk returns (a return hook) or fails
    local captured
    local function capture(level)
      local found, any = {}, false
      local i = 1
      while true do
        local name, value = debug.getlocal(level + 1, i)
        if not name then break end
        if not name:find("^%(") then
          found[name] = value
          any = true
        end
        i = i + 1
      end
      -- (Lua 5.1's return hook comes after the locals are gone: keep the last snapshot)
      if any or not captured then captured = found end
    end
    local function hook(chunk, on)
      if not on then
        debug.sethook()
        return
      end
      -- Lua 5.1 fires no return hook for a main chunk: there, each line of it takes a snapshot
      local mask = (_VERSION == "Lua 5.1" and not jit) and "rl" or "r"
      debug.sethook(function()
        local info = debug.getinfo(2, "f")
        if info and info.func == chunk then capture(2) end
      end, mask)
    end
    local function on_error(chunk)
      for level = 2, 200 do
        local info = debug.getinfo(level, "f")
        if not info then break end
        if info.func == chunk then
          capture(level)
          break
        end
      end
    end
    arg = { [0] = opts.app_path }
    local ok, msg, apps = cli.run_file(opts.app_path, {}, hook, on_error)
    if not ok then warn(msg) end
    for k, v in pairs(captured or {}) do env[k] = v end
    if apps[1] then env.app = env.app or apps[1] end
    if env.app and not env.stack then env.stack = stacks_of(env.app)[1] end
    if not env.app then
      warn(opts.app_path .. " created no App: starting with a new one")
    end
  end
  if not env.app then
    env.app = cdk.App()
    env.stack = cdk.Stack(env.app, "Stack")
  end

  local ctx = {
    stack = function()
      local s = rawget(env, "stack")
      if s and cdk.Stack.is_stack(s) then return s end
      return stacks_of(rawget(env, "app"))[1]
    end,
  }

  local function show_yaml(v)
    out:write(yaml.encode(v))
    out:flush()
  end

  local function show(x)
    local app = rawget(env, "app")
    if x == nil or is_app(x) then
      local stacks = stacks_of(x or app)
      if #stacks == 0 then say("(no stacks)") end
      for i, s in ipairs(stacks) do
        if #stacks > 1 then
          if i > 1 then say("") end
          say("# " .. s.stack_name)
        end
        show_yaml(template_of(s))
      end
    elseif is_construct(x) then
      if cdk.Stack.is_stack(x) then
        show_yaml(template_of(x))
      else
        local part = part_of(x)
        if #json.keys(part) == 0 then say("(" .. tostring(x) .. " adds nothing to the template)")
        else show_yaml(part) end
      end
    else
      local s = ctx.stack()
      local v = x
      if s then
        local ok, r = pcall(s.resolve, s, x)
        if not ok then error(r, 2) end
        v = r
      end
      show_yaml(v)
    end
  end
  local function synth()
    local app = rawget(env, "app")
    local assembly = app:synth()
    local names = {}
    for i, s in ipairs(assembly.stacks) do names[i] = s.stack_name end
    say("wrote " .. assembly.directory .. " (" .. (#names == 0 and "no stacks" or table.concat(names, ", ")) .. ")")
  end

  -- errors at the user's line, not at this file's (a synthesis error, a closed App)
  local function at_caller(fn)
    return function(...)
      local r = { pcall(fn, ...) }
      if not r[1] then
        local e = r[2]
        if type(e) == "string" then e = e:gsub("^[^\n]-/cdk/[%w_]+%.lua:%d+: ", "") end
        error(e, 2)
      end
    end
  end
  env.show = at_caller(show)
  env.synth = at_caller(synth)

  env.help = function() say(HELP) end

  -- tab completion: the members of what precedes the last '.' or ':'
  local KEYWORDS = { "and", "break", "do", "else", "elseif", "end", "false", "for", "function",
    "if", "in", "local", "nil", "not", "or", "repeat", "return", "then", "true", "until", "while" }
  local function members(v, methods_only)
    local names = {}
    if type(v) == "table" then
      local ok = pcall(function()
        -- enums list their members through __pairs (which Lua 5.1's pairs ignores)
        local mt = getmetatable(v)
        local iter, state, init = pairs(v)
        if type(mt) == "table" and mt.__pairs then iter, state, init = mt.__pairs(v) end
        for k in iter, state, init do
          if type(k) == "string" and (not methods_only or type(v[k]) == "function") then names[#names + 1] = k end
        end
      end)
      if not ok then return names end
    elseif is_construct(v) and core_ok and core.classes then
      local seen = { node = true }
      names[#names + 1] = "node"
      local cls = class_of(v)
      local guard = 0
      while cls and core.classes[cls] and guard < 32 do
        for k, f in pairs(core.classes[cls]) do
          if type(k) == "string" and k:sub(1, 2) ~= "__" and type(f) == "function" and not seen[k] then
            seen[k] = true
            names[#names + 1] = k
          end
        end
        cls = core.classes[cls].__parent
        guard = guard + 1
      end
    end
    return names
  end
  local function complete(word)
    local base, sep, partial = word:match("^(.-)([.:])([%w_]*)$")
    local candidates = {}
    if base then
      local v = env
      for name in (base .. "."):gmatch("([^.:]+)[.:]") do
        if not is_identifier(name) then return {} end
        local ok, nv = pcall(function() return v[name] end)
        if not ok or nv == nil then return {} end
        v = nv
      end
      for _, k in ipairs(members(v, sep == ":")) do
        if k:sub(1, #partial) == partial then candidates[#candidates + 1] = base .. sep .. k end
      end
    else
      local seen = {}
      local function add(k)
        if type(k) == "string" and not seen[k] and k:sub(1, #word) == word and is_identifier(k) then
          seen[k] = true
          candidates[#candidates + 1] = k
        end
      end
      for k in pairs(env) do add(k) end
      for k in pairs(_G) do add(k) end
      for _, k in ipairs(KEYWORDS) do add(k) end
    end
    table.sort(candidates)
    return candidates
  end
  M.complete = complete

  local read, finish, interactive = line_reader(opts, complete)
  if interactive then
    say(string.format("lua-cdk %s (AWS CDK %s) on %s. help() for help, Ctrl-D to leave.",
      cdk.version, cdk.reference_version, _VERSION))
  end

  local handler = require("cdk.cli").error_handler({})
  local function run(f, is_expression)
    local ok, n, values = xpcall(f, handler)
    if not ok then
      warn(n)
      return
    end
    if is_expression and n > 0 then
      local parts = {}
      for i = 1, n do parts[i] = describe(values[i], ctx) end
      say(table.concat(parts, "\t"))
    end
  end

  -- An expression (its values are printed) or else a statement. The expression is an argument
  -- of a call, not returned: a tail call would lose the user's line from error messages.
  local EXPR = "local __luacdk_pack = function(...) return select('#', ...), { ... } end "
    .. "return __luacdk_pack("
  local function try(code)
    local f = compile(EXPR .. code .. "\n)", "=stdin", env)
    if f then return f, nil, true end
    local e
    f, e = compile(code, "=stdin", env)
    return f, e, false
  end

  while true do
    local line = read("> ")
    if line == nil then break end
    local code = line:gsub("^=", "")
    local f, e, is_expression = try(code)
    while not f and incomplete(e) do
      local more = read(">> ")
      if more == nil then break end
      code = code .. "\n" .. more
      f, e, is_expression = try(code)
    end
    if f then run(f, is_expression) elseif e then warn(e) end
  end
  finish()
  if interactive then say("") end
  return 0
end

return M
