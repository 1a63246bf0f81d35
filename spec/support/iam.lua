-- spec/support/iam.lua: the IAM specs' reference check. Each spec file spec/iam/<spec>_spec.lua
-- has a twin spec/fixtures/iam/<spec>.js holding the same programs written for the AWS CDK v1
-- (1.204.0), case by case; what the reference wrote for case <case> is kept in
-- spec/fixtures/iam/<spec>/<case>/: the template files as written, `stacks` (their names in
-- assembly order), `warnings` ("path: message" lines), `value` (what the case returned, as JSON)
-- or `error` (the message it raised); spec/fixtures/iam/run.js regenerates them with node and the
-- reference installed. M.check runs the Lua program and compares.
local assert = require "luassert"
local json = require "support.json"
local helpers = require "support.helpers"

local M = {}

local FIXTURES = "spec/fixtures/iam/"

local modules = { cdk = "cdk", ecr = "cdk.ecr", iam = "cdk.iam", kms = "cdk.kms" }

-- The modules as the cases receive them: lib.cdk, lib.ecr, lib.iam, lib.kms.
M.lib = setmetatable({}, { __index = function(t, k)
  local m = require(assert(modules[k], "no module " .. tostring(k)))
  rawset(t, k, m)
  return m
end })

local function lines(path)
  local out = {}
  if not helpers.exists(path) then return out end
  for line in io.lines(path) do
    if line ~= "" then out[#out + 1] = line end
  end
  return out
end

-- The warnings of an assembly's manifest, as "path: message" lines in manifest order.
local function warnings_of(manifest)
  local out = {}
  for _, id in ipairs(json.keys(manifest.artifacts or {}) or {}) do
    local art = manifest.artifacts[id]
    local meta = art.metadata or {}
    for _, path in ipairs(json.keys(meta) or {}) do
      for _, entry in ipairs(meta[path]) do
        if entry.type == "aws:cdk:warning" then out[#out + 1] = path .. ": " .. entry.data end
      end
    end
  end
  return out
end

-- Runs fn(app, lib) in a new App (its assembly in a temporary folder, removed afterwards) and
-- synthesizes. Returns { error = message } or { names = {stack names in manifest order},
-- text = {name = template text}, template = {name = decoded template}, value = what fn
-- returned, warnings = {...} }.
function M.run(fn)
  local cdk = require "cdk"
  local dir = helpers.tmppath(".out")
  local app = cdk.App { outdir = dir }
  local value
  local ok, err = pcall(function() value = fn(app, M.lib) end)
  if ok then ok, err = pcall(app.synth, app) end
  local r
  if not ok then
    r = { error = tostring(err) }
  else
    local stacks, manifest = helpers.read_assembly(dir)
    r = { names = {}, text = {}, template = {}, value = value, warnings = warnings_of(manifest) }
    for _, s in ipairs(stacks) do
      r.names[#r.names + 1] = s.name
      r.text[s.name] = s.text
      r.template[s.name] = s.template
    end
  end
  helpers.rmtree(dir)
  return r
end

-- The message without the "file:line: " position Lua puts first.
function M.message(err)
  return (tostring(err):gsub("^[^\n:]+:%d+: ", ""))
end

-- v with every string compared as CDK's error rule does (see helpers.norm).
local function normalized(v)
  if type(v) == "string" then return helpers.norm(v) end
  if type(v) ~= "table" then return v end
  local out = {}
  for k, x in pairs(v) do out[k] = normalized(x) end
  return out
end

-- Runs the Lua twin of <spec>/<case> and compares it with the reference: the same stacks in the
-- same order, each template file byte for byte (opts.unordered: as JSON values, for programs
-- whose maps written in Lua have no key order), the same warnings and returned value; or, when
-- the reference raised, an error carrying its message (compared as the conformance runner does:
-- case, '_' and blanks aside). opts.lua_names: the returned value's strings are compared that way
-- too (CDK's messages name 'notAction' where lua-cdk names 'not_action'). Returns the run.
function M.check(spec, case, fn, opts)
  opts = opts or {}
  local dir = FIXTURES .. spec .. "/" .. case .. "/"
  assert(helpers.exists(dir .. "stacks") or helpers.exists(dir .. "error"), "no reference output in " .. dir)
  local r = M.run(fn)
  if helpers.exists(dir .. "error") then
    local expected = helpers.read(dir .. "error"):gsub("\n$", "")
    assert(r.error, "the reference raised, the Lua program did not: " .. expected)
    local ok, line = helpers.message_matches(r.error, expected)
    assert(ok, "error message differs from the reference's\n  reference: " .. tostring(line) .. "\n  got: " .. r.error)
    return r
  end
  assert(not r.error, r.error)
  assert.same(lines(dir .. "stacks"), r.names)
  for _, name in ipairs(r.names) do
    local expected = helpers.read(dir .. name .. ".template.json")
    if opts.unordered then
      assert.same(json.decode(expected), r.template[name])
    else
      assert.equal(expected, r.text[name])
    end
  end
  assert.same(lines(dir .. "warnings"), r.warnings)
  if helpers.exists(dir .. "value") then
    local expected = json.decode(helpers.read(dir .. "value"))
    if opts.lua_names then
      assert.same(normalized(expected), normalized(r.value))
    else
      assert.same(expected, r.value)
    end
  end
  return r
end

return M
