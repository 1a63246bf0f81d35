-- spec/support/helpers.lua: what many specs share: temporary folders, files, reading a cloud
-- assembly back (stacks in manifest order), running Lua in a subprocess, and CDK's error
-- comparison rule.
local json = require "support.json"

local M = {}

local function shell_quote(s)
  return "'" .. tostring(s):gsub("'", "'\\''") .. "'"
end
M.shell_quote = shell_quote

-- A fresh path that does not exist yet (its parent does); remove it with M.rmtree.
function M.tmppath(suffix)
  local p = os.tmpname()
  os.remove(p)
  return p .. (suffix or "")
end

function M.mkdir(path)
  assert(os.execute("mkdir -p " .. shell_quote(path)))
  return path
end

function M.rmtree(path)
  if path and path ~= "" and path ~= "/" then
    os.execute("rm -rf " .. shell_quote(path))
  end
end

function M.exists(path)
  local f = io.open(path, "rb")
  if f then f:close() return true end
  return false
end

function M.read(path)
  local f = assert(io.open(path, "rb"))
  local s = f:read("*a")
  f:close()
  return s
end

function M.write(path, text)
  local f = assert(io.open(path, "wb"))
  f:write(text)
  f:close()
end

-- The file names in a folder, sorted.
function M.ls(dir)
  local p = assert(io.popen("ls -A " .. shell_quote(dir) .. " 2>/dev/null"))
  local names = {}
  for line in p:lines() do names[#names + 1] = line end
  p:close()
  table.sort(names)
  return names
end

-- The stacks of the assembly in dir, in manifest order: { {name=, artifact=, file=, template=, text=}, ... }.
function M.read_assembly(dir)
  local manifest = json.read_file(dir .. "/manifest.json")
  local stacks = {}
  for _, id in ipairs(json.keys(manifest.artifacts or {}) or {}) do
    local art = manifest.artifacts[id]
    if art.type == "aws:cloudformation:stack" then
      local props = art.properties or {}
      local file = props.templateFile or (id .. ".template.json")
      local template, text = json.read_file(dir .. "/" .. file)
      stacks[#stacks + 1] = { name = props.stackName or id, artifact = id, file = file,
        template = template, text = text }
    end
  end
  return stacks, manifest
end

-- The templates of an assembly as { names = {...}, [name] = template }.
function M.templates(dir)
  local out = { names = {} }
  for _, s in ipairs(M.read_assembly(dir)) do
    out.names[#out.names + 1] = s.name
    out[s.name] = s.template
  end
  return out
end

-- Synthesizes app into a new temporary folder (given as its outdir by the caller) and returns the
-- templates; `fn(app, cdk)` builds the app. The folder is removed afterwards.
function M.synth(fn)
  local cdk = require "cdk"
  local dir = M.tmppath(".out")
  local app = cdk.App { outdir = dir }
  local ok, err = pcall(fn, app, cdk)
  if ok then ok, err = pcall(app.synth, app) end
  local result = ok and M.templates(dir) or nil
  M.rmtree(dir)
  if not ok then error(err, 0) end
  return result
end

-- CDK's error rule (the conformance runner's): lowercase, no '_', blanks collapsed.
function M.norm(s)
  return (tostring(s):gsub("_", ""):lower():gsub("%s+", " "):gsub("^ ", ""):gsub(" $", ""))
end

-- Whether every non-blank line of expected appears in got, compared with M.norm.
function M.message_matches(got, expected)
  local g = M.norm(got)
  for line in (expected .. "\n"):gmatch("([^\n]*)\n") do
    if line:find("%S") and not g:find(M.norm(line), 1, true) then
      return false, line
    end
  end
  return true
end

-- The message of the error fn raises (fails if it does not raise).
function M.error_of(fn, ...)
  local ok, err = pcall(fn, ...)
  assert(not ok, "expected an error, got none")
  return tostring(err)
end

-- The Lua interpreter for subprocesses: $LUA (a command line: `make test-valgrind` puts valgrind
-- in front), else the one busted runs under (`lua5.1 /usr/bin/busted` gives arg[-1] = "lua5.1"),
-- else lua5.4.
M.lua = os.getenv("LUA") or (arg and arg[-1]) or "lua5.4"

-- Runs a shell command; returns whether it exited with 0, and its output. Lua 5.1 and LuaJIT
-- do not report a command's status from popen's close, so the shell prints it last.
function M.command(cmd)
  local p = assert(io.popen("(" .. cmd .. "); echo \"~exit $?\""))
  local out = p:read("*a")
  p:close()
  local body, status = out:match("^(.-)~exit (%d+)\n$")
  return status == "0", body or out, tonumber(status)
end

-- Runs a Lua chunk in a new interpreter with the specs' module paths and the given environment
-- variables (a map); returns ok, output (stdout and stderr together).
function M.run_lua(code, env, cwd)
  local script = M.tmppath(".lua")
  M.write(script, code)
  local parts = {}
  if cwd then parts[#parts + 1] = "cd " .. shell_quote(cwd) .. " &&" end
  parts[#parts + 1] = "env"
  parts[#parts + 1] = "LUA_PATH=" .. shell_quote(M.abs_path(package.path))
  parts[#parts + 1] = "LUA_CPATH=" .. shell_quote(M.abs_path(package.cpath))
  for k, v in pairs(env or {}) do
    parts[#parts + 1] = k .. "=" .. shell_quote(v)
  end
  parts[#parts + 1] = M.lua .. " " .. shell_quote(script) .. " 2>&1"
  local ok, out = M.command(table.concat(parts, " "))
  os.remove(script)
  return ok, out
end

-- The build folder of the core.so the specs load (the package.cpath entry that finds
-- cdk/core.so), as an absolute path: `make test BUILD=x` gives .../x.
function M.build_dir()
  for entry in package.cpath:gmatch("[^;]+") do
    local so = entry:gsub("%?", "cdk/core")
    if entry:find("?", 1, true) and M.exists(so) then
      return M.abs_path((so:gsub("/cdk/core%.so$", "")))
    end
  end
  error("no cdk/core.so on package.cpath: " .. package.cpath)
end

local cwd
-- Makes the relative entries of a search path absolute (subprocesses may run elsewhere).
function M.abs_path(path)
  if not cwd then
    local p = io.popen("pwd")
    cwd = p:read("*l")
    p:close()
  end
  return (path:gsub("[^;]+", function(entry)
    if entry:sub(1, 1) ~= "/" and entry:sub(1, 1) ~= "." and entry ~= "" then
      return cwd .. "/" .. entry
    end
    return entry
  end))
end

return M
