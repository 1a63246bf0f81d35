-- bench/stress.lua [ROUNDS] [APPS]: builds and drops Apps in a loop (every module, tokens, grants,
-- rules, synthesis) and checks that memory stays flat: the resident set and Lua's heap after each
-- round of APPS Apps, against the first round (the warm-up). Half the Apps are closed with
-- app:close(), the others dropped to the garbage collector; a few handles of closed Apps are kept
-- and must keep raising clean errors. Exits 1 when memory grows.
-- Values made without an App (cdk.Fn, cdk.Lazy, iam principals and statements, event targets)
-- live as long as the process, as CDK's global token map does: the loop makes them once, and the
-- end prints what each costs when made over and over.
-- Run: LUA_PATH='lua/?.lua;lua/?/init.lua;;' LUA_CPATH='build/?.so;;' lua5.4 bench/stress.lua
-- (STRESS_NO_MEMORY_CHECK=1: no verdict on memory, for runs under a sanitizer or valgrind, whose
-- allocators keep freed memory; spec/robustness/stress_spec.lua runs it.)
local cdk = require "cdk"
local ecr = require "cdk.ecr"
local iam = require "cdk.iam"
local kms = require "cdk.kms"
local events = require "cdk.events"
local targets = require "cdk.events_targets"
local sns = require "cdk.sns"
local sqs = require "cdk.sqs"

local ROUNDS = tonumber(arg and arg[1]) or 8
local APPS = tonumber(arg and arg[2]) or 50
local OUT = os.tmpname()
os.remove(OUT)
OUT = OUT .. ".stress.out"

local function rss_kb()
  local f = io.open("/proc/self/statm")
  if not f then return nil end
  local pages = f:read("*n") and f:read("*n")
  f:close()
  return pages and pages * 4
end

local kept = {}      -- handles of closed Apps, which must keep raising
-- App-less values, made once (see above)
local ec2 = iam.ServicePrincipal("ec2.amazonaws.com")
local uri_suffix = cdk.Lazy.string { produce = function() return "latest" end }
local function build(i)
  local app = cdk.App { outdir = OUT, context = { round = i } }
  local stack = cdk.Stack(app, "Stack" .. i, { env = { account = "123456789012", region = "eu-west-1" } })
  local key = kms.Key(stack, "Key", { enable_key_rotation = true })
  local repo = ecr.Repository(stack, "Repo", { image_scan_on_push = true, encryption_key = key })
  repo:add_lifecycle_rule { tag_prefix_list = { "v" }, max_image_count = 10 }
  repo:add_lifecycle_rule { max_image_age = cdk.Duration.days(30) }
  local role = iam.Role(stack, "Role", { assumed_by = ec2 })
  repo:grant_pull_push(role)
  local topic = sns.Topic(stack, "Topic")
  local queue = sqs.Queue(stack, "Queue")
  local rule = repo:on_image_scan_completed("Scan")
  rule:add_target(targets.SnsTopic(topic))
  events.Rule(stack, "Nightly", { schedule = events.Schedule.rate(cdk.Duration.hours(24)) })
    :add_target(targets.SqsQueue(queue))
  cdk.CfnOutput(stack, "Uri", { value = repo.repository_uri .. ":" .. uri_suffix })
  cdk.CfnOutput(stack, "Tag", { value = repo:repository_uri_for_tag("v" .. i) })
  cdk.Tags.of(stack):add("round", tostring(i))
  stack:to_json()
  if i % 10 == 0 then app:synth() end
  if i % 2 == 0 then
    app:close()
    kept[#kept % 8 + 1] = repo
  end
end

local function check_kept()
  for _, h in ipairs(kept) do
    local ok, err = pcall(function() return h.repository_arn end)
    assert(not ok and tostring(err):find("attempt to use a construct of a closed App", 1, true),
      "a handle of a closed App did not raise cleanly: " .. tostring(err))
  end
end

local first_rss, first_lua
local n = 0
local grew = false
for round = 1, ROUNDS do
  for _ = 1, APPS do
    n = n + 1
    build(n)
  end
  collectgarbage()
  collectgarbage()
  check_kept()
  local rss, lua = rss_kb(), collectgarbage("count")
  if round == 1 then first_rss, first_lua = rss, lua end
  print(string.format("round %d: %d Apps, RSS %s KB, Lua heap %.0f KB", round, n, tostring(rss), lua))
  if round == ROUNDS then
    -- flat: within 5% (and 512 KB) of the warm-up round
    if rss and first_rss and rss > first_rss * 1.05 and rss - first_rss > 512 then grew = true end
    if lua > first_lua * 1.05 and lua - first_lua > 64 then grew = true end
  end
end
os.execute("rm -rf '" .. OUT .. "'")

-- what App-less values cost, made over and over (kept by the process)
local per = {
  ["cdk.Fn.join"] = function(i) return cdk.Fn.join("/", { "a", "x" .. i }) end,
  ["cdk.Lazy.string"] = function() return cdk.Lazy.string { produce = function() return "v" end } end,
  ["iam.ServicePrincipal"] = function() return iam.ServicePrincipal("ec2.amazonaws.com") end,
  ["iam.PolicyStatement"] = function() return iam.PolicyStatement { actions = { "s3:Get" }, resources = { "*" } } end,
}
for _, name in ipairs { "cdk.Fn.join", "cdk.Lazy.string", "iam.ServicePrincipal", "iam.PolicyStatement" } do
  collectgarbage()
  local r0 = rss_kb()
  for i = 1, 2000 do per[name](i) end
  collectgarbage()
  local r1 = rss_kb()
  if r0 and r1 then print(string.format("App-less %s: about %d bytes each, kept", name, math.floor((r1 - r0) * 1024 / 2000))) end
end
if grew and os.getenv("STRESS_NO_MEMORY_CHECK") ~= "1" then
  print("memory grew")
  os.exit(1)
end
print("memory flat")
