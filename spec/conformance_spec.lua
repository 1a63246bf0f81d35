-- Conformance: each case in spec/fixtures/conformance/PASSING is run in-process as the shared
-- runner does (app = cdk.App{outdir = TMP}; case(app, lib); app:synth()), and the templates it
-- wrote (stacks in manifest order) must equal the reference's as JSON values, with the stacks in
-- the same order; for a case where the reference raised, every line of its message must appear
-- in ours (ignoring case, '_' and blanks). Cases not on the list are not run.
local json = require "support.json"
local h = require "support.helpers"

local DIR = "spec/fixtures/conformance/"

local function passing()
  local names = {}
  for line in io.lines(DIR .. "PASSING") do
    local name = line:match("^%s*([^#%s]+)")
    if name then names[#names + 1] = name end
  end
  return names
end

local modules = { cdk = "cdk", ecr = "cdk.ecr", iam = "cdk.iam", kms = "cdk.kms", events = "cdk.events",
  targets = "cdk.events_targets", sns = "cdk.sns", sqs = "cdk.sqs", lambda = "cdk.lambda" }

local function make_lib()
  return setmetatable({}, { __index = function(t, k)
    local name = modules[k]
    if not name then error("conformance: lib has no module '" .. tostring(k) .. "'", 2) end
    local m = require(name)
    rawset(t, k, m)
    return m
  end })
end

local function run_case(name, outdir)
  local program = dofile(DIR .. name .. ".lua")
  local lib = make_lib()
  local app = lib.cdk.App { outdir = outdir }
  program(app, lib)
  app:synth()
end

describe("conformance", function()
  for _, name in ipairs(passing()) do
    it(name, function()
      local expected = json.read_file(DIR .. name .. ".expected.json")
      local outdir = h.tmppath(".out")
      local message
      local ok, err = xpcall(function() run_case(name, outdir) end, function(e)
        message = tostring(e)
        return debug.traceback(message, 2)
      end)
      local stacks = ok and h.read_assembly(outdir) or nil
      h.rmtree(outdir)
      if expected.error then
        assert(not ok, "the reference raised, lua-cdk did not: " .. expected.error)
        local matches, line = h.message_matches(message, expected.error)
        assert(matches, string.format("expected the message to contain %q, got: %s", tostring(line), message))
        return
      end
      assert(ok, err)
      local got_names, got = {}, {}
      for _, s in ipairs(stacks) do
        got_names[#got_names + 1] = s.name
        got[s.name] = s.template
      end
      local want_names, want = json.keys(expected.stacks), {}
      for _, n in ipairs(want_names) do want[n] = expected.stacks[n] end
      assert.same(want_names, got_names)
      for _, n in ipairs(want_names) do
        assert.same(want[n], got[n])
      end
    end)
  end
end)
