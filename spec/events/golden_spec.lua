-- Golden programs for events, SNS, SQS and Lambda (spec/fixtures/events, see its README): each
-- NAME.lua runs as the conformance cases do, and its templates must equal what the AWS CDK v1
-- (1.204.0) wrote for NAME.js, stack by stack in order, as JSON values and in key order; where
-- the reference raised, our message must carry every line of its message (CDK's comparison rule).
local json = require "support.json"
local h = require "support.helpers"

local DIR = "spec/fixtures/events/"

local modules = { cdk = "cdk", ecr = "cdk.ecr", iam = "cdk.iam", kms = "cdk.kms", events = "cdk.events",
  targets = "cdk.events_targets", sns = "cdk.sns", sqs = "cdk.sqs", lambda = "cdk.lambda" }

local function lib()
  return setmetatable({}, { __index = function(t, k)
    local m = require(assert(modules[k], k))
    rawset(t, k, m)
    return m
  end })
end

-- The first place where b differs from a (values or key order), or nil.
local function diff(a, b, path)
  if type(a) ~= type(b) then
    return path .. ": " .. type(b) .. " instead of " .. type(a)
  end
  if type(a) ~= "table" then
    if a ~= b then return path .. ": " .. tostring(b) .. " instead of " .. tostring(a) end
    return nil
  end
  local ka, kb = json.keys(a), json.keys(b)
  if ka or kb then
    local sa, sb = table.concat(ka or {}, ","), table.concat(kb or {}, ",")
    if sa ~= sb then return path .. ": keys " .. sb .. " instead of " .. sa end
    for _, k in ipairs(ka or {}) do
      local d = diff(a[k], b[k], path .. "." .. k)
      if d then return d end
    end
    return nil
  end
  if #a ~= #b then return path .. ": " .. #b .. " items instead of " .. #a end
  for i = 1, #a do
    local d = diff(a[i], b[i], path .. "[" .. i .. "]")
    if d then return d end
  end
  return nil
end

local names = {}
for _, f in ipairs(h.ls(DIR)) do
  local name = f:match("^(.+)%.lua$")
  if name then names[#names + 1] = name end
end

describe("golden programs", function()
  it("are there", function()
    assert.truthy(#names >= 40)
  end)

  for _, name in ipairs(names) do
    it(name, function()
      local expected = json.read_file(DIR .. name .. ".expected.json")
      local program = dofile(DIR .. name .. ".lua")
      local l = lib()
      local dir = h.tmppath(".out")
      local ok, err = pcall(function()
        local app = l.cdk.App { outdir = dir }
        program(app, l)
        app:synth()
      end)
      local stacks = ok and h.read_assembly(dir) or nil
      h.rmtree(dir)
      if expected.error then
        assert.is_false(ok, "expected an error: " .. expected.error)
        local matches, line = h.message_matches(tostring(err), expected.error)
        assert.is_true(matches, "missing '" .. tostring(line) .. "' in: " .. tostring(err))
        return
      end
      assert.is_true(ok, tostring(err))
      local want = json.keys(expected.stacks)
      local got = {}
      for i, s in ipairs(stacks) do got[i] = s.artifact end
      assert.same(want, got)
      for i, s in ipairs(stacks) do
        local d = diff(expected.stacks[want[i]], s.template, want[i])
        assert.is_nil(d, d)
      end
    end)
  end
end)
