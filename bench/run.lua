-- bench/run.lua: `make bench` runs this. It synthesizes bench/fleet.lua at each N (lua-cdk) and,
-- when node and the reference packages are there, bench/fleet.js (the AWS CDK v1) back to back,
-- best of BENCH_REPEAT runs, and prints wall time, peak memory (max RSS), the ratios, and
-- lua-cdk's instructions per repository under callgrind. It needs neither node nor valgrind: it
-- prints what it can measure. Settings come from the environment (the Makefile sets them).
local function env(name, default)
  local v = os.getenv(name)
  if v == nil or v == "" then return default end
  return v
end

local LUA = env("BENCH_LUA", "lua5.4")
local BUILD = env("BENCH_BUILD", "build")
local RUNSTAT = env("BENCH_RUNSTAT", BUILD .. "/bench/runstat")
local OUT = env("BENCH_OUT", BUILD .. "/bench")
local NODE = env("BENCH_NODE", "node")
local REF = env("BENCH_REF", env("ORACLE_NODE_MODULES", "/work/ref/node_modules"))
local REPEAT = tonumber(env("BENCH_REPEAT", "3"))
local function numbers(s)
  local t = {}
  for n in s:gmatch("%d+") do t[#t + 1] = tonumber(n) end
  return t
end
local NS = numbers(env("BENCH_N", "1 1000 10000"))
local CALLGRIND_NS = numbers(env("BENCH_CALLGRIND_N", "1 1000"))

local function q(s)
  return "'" .. tostring(s):gsub("'", "'\\''") .. "'"
end

local function sh(cmd)
  local p = io.popen(cmd .. " 2>&1")
  local out = p:read("a")
  p:close()
  return out
end

local function exists(path)
  local f = io.open(path, "rb")
  if f then f:close() return true end
  return false
end

local function slurp(path)
  local f = io.open(path, "rb")
  if not f then return nil end
  local s = f:read("a")
  f:close()
  return s
end

local RUNSTAT_Q = q(RUNSTAT)
local lua_env = "LUA_PATH=" .. q("lua/?.lua;lua/?/init.lua;;") .. " LUA_CPATH=" .. q(BUILD .. "/?.so;;")

-- One run: wall seconds and peak KB, or nil and the output.
local function measure(cmd)
  local out = sh(cmd)
  local secs, kb, code = out:match("runstat: (%S+) (%d+) (%d+)%s*$")
  if not secs or code ~= "0" then return nil, out end
  return { wall = tonumber(secs), kb = tonumber(kb) }
end

-- A run of N = 1 lasts a few milliseconds: the best of at least 10 is what it costs.
local function repeats(n)
  return n == 1 and math.max(REPEAT, 10) or REPEAT
end

local function best(cmd, n)
  local b
  for _ = 1, repeats(n) do
    local r, err = measure(cmd)
    if not r then return nil, err end
    if not b then b = r
    else
      b.wall = math.min(b.wall, r.wall)
      b.kb = math.min(b.kb, r.kb)
    end
  end
  return b
end

local have_node = sh("command -v " .. q(NODE)) ~= "" and exists(REF .. "/@aws-cdk/core/package.json")

sh("mkdir -p " .. q(OUT))
-- The environment is set by the shell for runstat, which passes it on: no extra exec is timed.
local function lua_cmd(n, wrapper)
  return lua_env .. " " .. (wrapper or RUNSTAT_Q) .. " " .. LUA .. " bench/fleet.lua " .. n .. " " .. q(OUT .. "/lua-" .. n)
end
local function node_cmd(n)
  return "ORACLE_NODE_MODULES=" .. q(REF) .. " " .. RUNSTAT_Q .. " " .. q(NODE) .. " bench/fleet.js " .. n .. " " .. q(OUT .. "/ref-" .. n)
end

-- The outputs must be the same files: templates and tree.json byte for byte.
local function same_output(n)
  local a, b = OUT .. "/lua-" .. n, OUT .. "/ref-" .. n
  local files = { "tree.json" }
  local stacks = math.max(1, math.ceil(n / 100))
  for s = 0, stacks - 1 do files[#files + 1] = "Fleet" .. s .. ".template.json" end
  local differ = {}
  for _, f in ipairs(files) do
    local x, y = slurp(a .. "/" .. f), slurp(b .. "/" .. f)
    if x == nil or x ~= y then differ[#differ + 1] = f end
  end
  return #differ == 0, differ
end

local function mb(kb) return string.format("%.1f MB", kb / 1024) end
local function secs(s)
  if s < 1 then return string.format("%.1f ms", s * 1000) end
  return string.format("%.2f s", s)
end

local cpu = (sh("grep -m1 'model name' /proc/cpuinfo"):match(":%s*(.-)%s*$")) or "unknown CPU"
local ncpu = sh("nproc"):match("%d+") or "?"
print(string.format("lua-cdk bench: bench/fleet.lua, N ECR repositories (100 per stack), best of %d (%d at N = 1)",
  REPEAT, repeats(1)))
print(string.format("machine: %s, %s cores; %s", cpu, ncpu, (sh(LUA .. " -v"):gsub("%s+$", ""))))
if have_node then
  print("reference: AWS CDK v1 (" .. REF .. "), " .. (sh(q(NODE) .. " --version"):gsub("%s+$", "")))
else
  print("reference: not measured (no node, or no @aws-cdk/core under " .. REF .. "; set BENCH_REF)")
end
print()

local header = string.format("%6s  %10s %10s %9s", "N", "lua-cdk", "peak", "per repo")
if have_node then
  header = header .. string.format("  %10s %10s  %8s %8s  %s", "reference", "peak", "faster", "memory", "same output")
end
print(header)

local rows = {}
for _, n in ipairs(NS) do
  local l, err = best(lua_cmd(n), n)
  if not l then
    io.stderr:write("lua-cdk failed at N=" .. n .. ":\n" .. err .. "\n")
    os.exit(1)
  end
  local line = string.format("%6d  %10s %10s %9s", n, secs(l.wall), mb(l.kb),
    string.format("%.0f us", l.wall / n * 1e6))
  local row = { n = n, lua = l }
  if have_node then
    -- back to back with lua-cdk's runs, so that both see the same machine load
    local r, rerr = best(node_cmd(n), n)
    if not r then
      io.stderr:write("reference failed at N=" .. n .. ":\n" .. rerr .. "\n")
      os.exit(1)
    end
    local same, differ = same_output(n)
    row.ref, row.same = r, same
    line = line .. string.format("  %10s %10s  %7.0fx %8s  %s", secs(r.wall), mb(r.kb), r.wall / l.wall,
      string.format("1/%.0f", r.kb / l.kb), same and "yes" or ("NO: " .. table.concat(differ, ", ")))
  end
  rows[#rows + 1] = row
  print(line)
end

-- Instructions per repository: a figure that machine load does not move.
if #CALLGRIND_NS > 0 and sh("command -v valgrind") ~= "" then
  print()
  for _, n in ipairs(CALLGRIND_NS) do
    local out = sh(lua_cmd(n, "valgrind --tool=callgrind --callgrind-out-file=/dev/null"))
    local ir = out:match("Collected : (%d+)")
    if ir then
      print(string.format("callgrind N=%d: %.1f M instructions, %.0f K per repository", n, ir / 1e6, ir / n / 1e3))
    else
      print("callgrind N=" .. n .. " failed:\n" .. out)
    end
  end
else
  print("\n(callgrind figures skipped: no valgrind)")
end

-- The goals (issue 6): 30x faster and a tenth of the memory at 1000 and 10000, 100x at 1, and
-- time growing linearly with N.
if have_node then
  print()
  for _, row in ipairs(rows) do
    local speed = row.ref.wall / row.lua.wall
    local want = row.n == 1 and 100 or 30
    local ok = speed >= want and (row.n == 1 or row.ref.kb >= 10 * row.lua.kb) and row.same
    print(string.format("goal N=%d: %s (%.0fx faster, want %dx%s)%s", row.n, ok and "met" or "NOT met", speed, want,
      row.n == 1 and "" or string.format("; 1/%.1f of the memory, want 1/10", row.ref.kb / row.lua.kb),
      row.same and "" or "; outputs differ"))
  end
end
local by = {}
for _, row in ipairs(rows) do by[row.n] = row end
if by[1000] and by[10000] then
  local g = (by[10000].lua.wall / 10000) / (by[1000].lua.wall / 1000)
  print(string.format("growth: time per repository at N=10000 is %.2f times that at N=1000 (1.00 is linear)", g))
end
