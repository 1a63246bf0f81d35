-- spec/support/cli.lua: running bin/luacdk (and other commands) in a subprocess from the specs:
-- in a given folder, with the specs' module paths, stdin from a string, stdout, stderr and the
-- exit status apart.
local h = require "support.helpers"

local M = {}

local q = h.shell_quote

M.root = h.abs_path("lua"):gsub("/lua$", "")
M.bin = M.root .. "/bin/luacdk"

-- The environment that finds the in-tree modules (LUA_PATH and LUA_CPATH as busted has them),
-- with a fixed JSII_AGENT: the CLI turns version reporting on, and the CDKMetadata resource names
-- the runtime, which would otherwise differ from one Lua to another.
function M.lua_env()
  return { LUA_PATH = h.abs_path(package.path), LUA_CPATH = h.abs_path(package.cpath), JSII_AGENT = "lua-cdk-spec" }
end

-- Runs a shell command line (any sh syntax); opts: cwd, env (map), stdin (string). Returns
-- { code =, out =, err = }.
function M.sh(cmd, opts)
  opts = opts or {}
  local outf, errf, inf = h.tmppath(".out"), h.tmppath(".err"), h.tmppath(".in")
  h.write(inf, opts.stdin or "")
  local parts = {}
  if opts.cwd then parts[#parts + 1] = "cd " .. q(opts.cwd) .. " &&" end
  local env = M.lua_env()
  for k, v in pairs(opts.env or {}) do env[k] = v end
  local names = {}
  for k in pairs(env) do names[#names + 1] = k end
  table.sort(names)
  parts[#parts + 1] = "export"
  for _, k in ipairs(names) do parts[#parts + 1] = k .. "=" .. q(env[k]) end
  parts[#parts + 1] = "&& " .. cmd
  local p = assert(io.popen("(" .. table.concat(parts, " ") .. ") <" .. q(inf) .. " >" .. q(outf)
    .. " 2>" .. q(errf) .. "; echo $?"))
  local code = tonumber(p:read("*a"):match("(%d+)%s*$"))
  p:close()
  local r = { code = code, out = h.read(outf), err = h.read(errf) }
  os.remove(outf)
  os.remove(errf)
  os.remove(inf)
  return r
end

-- Runs `luacdk ARGS...` (each argument quoted) under the specs' interpreter.
function M.luacdk(args, opts)
  local words = { h.lua, q(M.bin) } -- $LUA may be a command line (valgrind ... lua5.4)
  for _, a in ipairs(args) do words[#words + 1] = q(a) end
  return M.sh(table.concat(words, " "), opts)
end

-- A new temporary folder holding the given files ({ name = text }); remove it with h.rmtree.
function M.project(files)
  local dir = h.mkdir(h.tmppath(".proj"))
  for name, text in pairs(files or {}) do h.write(dir .. "/" .. name, text) end
  return dir
end

-- Whether a command exists.
function M.have(cmd)
  return M.sh("sh -c " .. q("command -v " .. q(cmd))).code == 0
end

return M
