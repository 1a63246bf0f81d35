-- Robustness: every public constructor, function and method of every module (found from the
-- module tables and the class registry, see support.lua) is called with bad values at each
-- argument position and in each props field it reads: wrong types, nil, empty and huge strings,
-- NUL bytes, invalid UTF-8, NaN and infinities, negative and fractional numbers, cycles,
-- functions, handles of a closed App and of another App. A value valid nowhere in the API must
-- give a clean Lua error; any other value either errors cleanly or is a valid input documented
-- in signatures.lua (what the probe finds each position accepts, pinned there and reviewed).
-- Run under `make test-asan` and `make test-valgrind`, this also shows that no call reads freed
-- memory or leaks.
local S = require "robustness.support"

local WRITE = os.getenv("ROBUSTNESS_WRITE") == "1"
local SIG_FILE = "spec/robustness/signatures.lua"

local callables = S.callables()

-- Documented pass-through: Token.as_* return a value that is not a token unchanged (as CDK's
-- Token.asString/asNumber/asList do); it is checked where it is used, not here.
-- Refused with a message that does not name the field (none now; a key names one bad value,
-- or the field for all of them).
local NAMES_NO_FIELD = {}

local PASSTHROUGH = { ["cdk.Token.as_string"] = true, ["cdk.Token.as_number"] = true,
  ["cdk.Token.as_list"] = true }

local function load_pinned()
  local chunk = loadfile(SIG_FILE)
  return chunk and chunk() or {}
end

-- A clean error: a string message, no Lua-internal failure.
local function assert_clean(name, what, ok, err)
  if ok then return end
  assert(type(err) == "string", name .. " with " .. what .. ": error is not a string: " .. tostring(err))
  assert(not err:find("C stack overflow", 1, true) and not err:find("not enough memory", 1, true),
    name .. " with " .. what .. ": " .. err)
end

describe("the public API", function()
  it("has a fixture for every class with methods, and the listed object methods exist", function()
    local E = S.env()
    local missing = {}
    for _, c in ipairs(callables) do
      if c.kind == "method" then
        if c.receiver == false then
          missing[#missing + 1] = c.name .. " (no receiver fixture for class " .. c.class .. ")"
        elseif c.method and type(E[c.receiver][c.method]) ~= "function" then
          missing[#missing + 1] = c.name .. " (not a method of the " .. c.receiver .. " fixture)"
        end
      end
    end
    E.app:close()
    assert.same({}, missing)
  end)

  -- Objects that are not constructs answer their methods from a C __index (or a Lua metatable),
  -- which cannot be listed: every name that the binding registers (`{"name", l_...}` in
  -- csrc/lua) or that lua/cdk defines as a method is tried on every such fixture, and each one
  -- that answers with a function must be in S.object_methods (so that it is swept).
  it("lists in object_methods every method of the objects that are not constructs", function()
    local h = require "support.helpers"
    local candidates = {}
    for _, f in ipairs(h.ls("csrc/lua")) do
      if f:match("%.c$") then
        for name in h.read("csrc/lua/" .. f):gmatch('{"([%w_]+)", *l_') do candidates[name] = true end
      end
    end
    for _, f in ipairs(h.ls("lua/cdk")) do
      if f:match("%.lua$") then
        for name in h.read("lua/cdk/" .. f):gmatch("function [%w_]+[:.]([%w_]+)%(") do candidates[name] = true end
      end
    end
    local E = S.env()
    -- the methods listed for any fixture of the same metatable (principal, composite, ...)
    local listed_mt = {}
    for obj, methods in pairs(S.object_methods) do
      local mt = getmetatable(E[obj]) or obj
      listed_mt[mt] = listed_mt[mt] or {}
      for _, m in ipairs(methods) do listed_mt[mt][m] = true end
    end
    local missing = {}
    for _, k in ipairs(S.sorted_keys(E)) do
      local v = E[k]
      local is_construct = k ~= "app" and pcall(function() return v.node.path end)
      if (type(v) == "userdata" or type(v) == "table") and not is_construct then
        local listed = listed_mt[getmetatable(v)] or {}
        for _, name in ipairs(S.sorted_keys(candidates)) do
          local ok, f = pcall(function() return v[name] end)
          if ok and type(f) == "function" and not listed[name] then
            missing[#missing + 1] = k .. ":" .. name
          end
        end
      end
    end
    E.app:close()
    assert.same({}, missing)
  end)

  it("accepts at each position what signatures.lua documents", function()
    local got, why = {}, {}
    for _, c in ipairs(callables) do got[c.name], why[c.name] = S.probe(c) end
    if WRITE then
      local f = assert(io.open(SIG_FILE, "w"))
      f:write(S.serialize(got))
      f:close()
    end
    local pinned = load_pinned()
    local diffs = {}
    local expected_text, got_text = {}, {}
    for name in pairs(got) do
      if pinned[name] == nil then diffs[#diffs + 1] = "new callable " .. name .. " (not in signatures.lua)" end
    end
    for name in pairs(pinned) do
      if got[name] == nil then diffs[#diffs + 1] = "callable " .. name .. " is gone" end
    end
    table.sort(diffs)
    assert.same({}, diffs)
    for _, name in ipairs(S.sorted_keys(got)) do
      local e, g = S.serialize({ [name] = pinned[name] }), S.serialize({ [name] = got[name] })
      if e ~= g then
        expected_text[#expected_text + 1] = e:match("\n  (%[.-)\n}")
        got_text[#got_text + 1] = g:match("\n  (%[.-)\n}")
        -- what each call answered, to tell a changed API from a call that failed otherwise
        got_text[#got_text + 1] = "-- " .. table.concat(why[name], "\n-- ")
      end
    end
    assert.same(expected_text, got_text)
  end)
end)

describe("bad values", function()
  local pinned = load_pinned()
  local closed = S.env()
  closed.app:close()
  local foreign = S.env()
  local bad = S.bad_values(closed, foreign)

  -- Valid arguments for every position of sig, in fixtures E.
  local unique = 0
  local function valid_args(c, sig, E)
    S.current = c.name
    local fn, args = S.bind(c, E)
    local shift = #args
    for i, kinds in ipairs(sig.args) do args[shift + i] = S.sample_of(kinds, E) end
    local base = S.base_of(c.name, E)
    if base then args[shift + base[1]] = S.props_with(c.name, base[1], E, 1, nil) end
    -- a new string each call, so that a construct id is never taken by an earlier call (which
    -- would stop the call before it reads what comes after: Rule's targets, on_event's target)
    for i = shift + 1, shift + #sig.args do
      if args[i] == "plain" then
        unique = unique + 1
        args[i] = "plain" .. unique
      end
    end
    return fn, args, shift
  end

  -- Whether a construct handle of this App anchors the call (so another App's must be refused).
  local function anchored(c, args, shift, i, E)
    if c.kind == "method" then return S.receiver_of_class[c.class or ""] ~= nil end
    local first = args[1]
    if i == 1 then return false end
    for _, k in ipairs { "app", "stack", "construct", "resource", "repository", "role", "user", "group",
      "policy", "managed_policy", "key", "alias", "topic", "queue", "func", "rule" } do
      if first == E[k] then return true end
    end
    return false
  end

  local function judge(c, what, kinds, kind, ok, err, is_anchored)
    assert_clean(c.name, what, ok, err)
    if PASSTHROUGH[c.name] and kind ~= "foreign" then return end
    if kind == "never" or (kind == "foreign" and is_anchored) or (kind ~= "foreign" and not S.accepts(kinds, kind)) then
      assert(not ok, c.name .. ": " .. what .. " was accepted")
    end
  end

  for _, c in ipairs(callables) do
    local sig = pinned[c.name]
    if sig and #sig.args > 0 then
      it("at each argument of " .. c.name, function()
        for i, kinds in ipairs(sig.args) do
          -- one set of fixtures per position (a call that succeeds may add to it; that is fine)
          local E = S.env()
          for _, b in ipairs(bad) do
            local fn, args, shift = valid_args(c, sig, E)
            args[shift + i] = b[2]
            local ok, err = S.call(fn, args, shift + #sig.args)
            judge(c, b[1] .. " as argument #" .. i, kinds, b[3], ok, err, anchored(c, args, shift, i, E))
            if not ok and b[3] == "never" and not PASSTHROUGH[c.name] then
              assert(S.blames(err, i) or err:find("closed App", 1, true),
                c.name .. ": " .. b[1] .. " as argument #" .. i .. " was refused for another reason: " .. err)
            end
            -- valid nowhere, so not inside a list or a map either, where a table is taken
            if b[3] == "never" and not PASSTHROUGH[c.name] and (S.accepts(kinds, "table") or S.accepts(kinds, "list")) then
              for _, w in ipairs(S.wrappings(b[2])) do
                fn, args, shift = valid_args(c, sig, E)
                args[shift + i] = w[2]
                ok, err = S.call(fn, args, shift + #sig.args)
                judge(c, b[1] .. " " .. w[1] .. " as argument #" .. i, kinds, "never", ok, err, false)
                assert(S.blames(err, i) or err:find("closed App", 1, true),
                  c.name .. ": " .. b[1] .. " " .. w[1] .. " as argument #" .. i .. " was refused for another reason: " .. err)
              end
            end
          end
          E.app:close()
        end
      end)
    end
    for i, fields in pairs(sig and sig.props or {}) do
      it("in each props field of " .. c.name .. " (argument #" .. i .. ")", function()
        for _, field in ipairs(fields) do
          local E = S.env()
          for _, b in ipairs(bad) do
            if b[3] == "never" or b[3] == "foreign" then
              local fn, args, shift = valid_args(c, sig, E)
              args[shift + i] = S.props_with(c.name, i, E, field, b[2])
              local ok, err = S.call(fn, args, shift + #sig.args)
              judge(c, b[1] .. " as field '" .. field .. "'", {}, b[3], ok, err, anchored(c, args, shift, 2, E))
              -- refused for the right reason: the message names the field (or the App at fault)
              if not ok and b[3] == "never" and not NAMES_NO_FIELD[c.name .. "." .. field .. " " .. b[1]] then
                assert(err:find(field, 1, true) or err:find("closed App", 1, true),
                  c.name .. ": " .. b[1] .. " as field '" .. field .. "' was refused for another reason: " .. err)
              end
              -- nor inside a list or a map given as the field (nested props, free-form data)
              if b[3] == "never" then
                for _, w in ipairs(S.wrappings(b[2])) do
                  fn, args, shift = valid_args(c, sig, E)
                  args[shift + i] = S.props_with(c.name, i, E, field, w[2])
                  ok, err = S.call(fn, args, shift + #sig.args)
                  judge(c, b[1] .. " " .. w[1] .. " as field '" .. field .. "'", {}, "never", ok, err, false)
                  assert(NAMES_NO_FIELD[c.name .. "." .. field] or err:find(field, 1, true) or err:find("closed App", 1, true),
                    c.name .. ": " .. b[1] .. " " .. w[1] .. " as field '" .. field .. "' was refused for another reason: " .. err)
                end
              end
            else
              local fn, args, shift = valid_args(c, sig, E)
              args[shift + i] = S.props_with(c.name, i, E, field, b[2])
              local ok, err = S.call(fn, args, shift + #sig.args)
              assert_clean(c.name, b[1] .. " as field '" .. field .. "'", ok, err)
            end
          end
          E.app:close()
        end
      end)
    end
  end

  foreign.app:close()
end)

describe("lists", function()
  it("with keys other than 1..n are refused, not read up to their length", function()
    local cdk, iam, ecr = require "cdk", require "cdk.iam", require "cdk.ecr"
    local app = cdk.App()
    local stack = cdk.Stack(app, "S")
    assert.has_error(function() iam.PolicyStatement { actions = { read = "s3:GetObject" } } end,
      "bad argument #1 to 'PolicyStatement' (field 'actions': list of strings expected, got table)")
    assert.has_error(function() iam.PolicyStatement { actions = { "s3:A", nil, "s3:B" } } end,
      "bad argument #1 to 'PolicyStatement' (field 'actions': list of strings expected, got table)")
    assert.has_error(function() ecr.Repository(stack, "R", { lifecycle_rules = { first = { max_image_count = 1 } } }) end,
      "bad argument #3 to 'Repository' (field 'lifecycle_rules': list of lifecycle rules expected, got table)")
    assert.has_error(function() iam.User(stack, "U", { groups = { admins = iam.Group(stack, "G") } }) end,
      "bad argument #3 to 'User' (field 'groups': list of Group expected, got table)")
    local events, targets, sns = require "cdk.events", require "cdk.events_targets", require "cdk.sns"
    local topic = sns.Topic(stack, "T")
    assert.has_error(function()
      events.Rule(stack, "Rule", { schedule = events.Schedule.expression("rate(1 day)"), targets = { main = targets.SnsTopic(topic) } })
    end, "bad argument #3 to 'Rule' (field 'targets': list of targets expected, got table)")
    app:close()
  end)
end)

describe("the assembly app:synth() returns", function()
  it("answers get_stack_by_name with a clean error for bad names and for entries the user edited", function()
    local cdk = require "cdk"
    local h = require "support.helpers"
    local dir = h.tmppath(".out")
    local app = cdk.App { outdir = dir }
    cdk.Stack(app, "S")
    local assembly = app:synth()
    assert.equal("S", assembly:get_stack_by_name("S").stack_name)
    assert.has_error(function() assembly:get_stack_by_name("a\0b") end,
      "bad argument #1 to 'get_stack_by_name' (string contains a NUL byte)")
    assert.has_error(function() assembly:get_stack_by_name("ab\255") end,
      "bad argument #1 to 'get_stack_by_name' (string is not valid UTF-8)")
    assert.has_error(function() assembly:get_stack_by_name(1) end,
      "bad argument #1 to 'get_stack_by_name' (string expected, got number)")
    -- the table is the user's to edit: what is no longer a stack entry matches no name
    assembly.stacks[2] = assembly.stacks[1]
    assembly.stacks[1] = { stack_name = {} }
    assembly.stacks[3] = 42
    assert.equal(assembly.stacks[2], assembly:get_stack_by_name("S"))
    assembly.stacks = "none"
    assert.has_error(function() assembly:get_stack_by_name("S") end,
      "get_stack_by_name: the assembly has no list of stacks")
    app:close()
    h.rmtree(dir)
  end)
end)

describe("handles of a closed App", function()
  -- run under the sanitizers and valgrind, this shows that none reads the App's freed memory
  it("print, compare and index cleanly, whatever they are", function()
    local E = S.env()
    E.node_of_resource = E.resource.node
    E.cfn_options = E.resource.cfn_options
    E.app:close()
    assert.equal("<node of a closed App>", tostring(E.node))
    assert.equal("<construct of a closed App>", tostring(E.resource))
    local fields = { "node", "path", "id", "scope", "children", "stack_name", "logical_id", "ref", "outdir",
      "to_string", "add", "repository_arn", "assume_role_action", "effect", "amount", "metadata", "condition" }
    for _, k in ipairs(S.sorted_keys(E)) do
      local v = E[k]
      -- (a token's string form refuses: it would carry a dead App's value into another's)
      assert_clean(k, "tostring", pcall(tostring, v))
      assert_clean(k, "==", pcall(function() return v == E.stack end))
      for _, f in ipairs(fields) do
        assert_clean(k .. "." .. f, "index", pcall(function() return v[f] end))
      end
    end
  end)
end)

describe("callbacks", function()
  it("a Lazy's produce is a function or a callable object, refused at the call otherwise", function()
    local cdk = require "cdk"
    assert.has_error(function() cdk.Lazy.string { produce = {} } end,
      "bad argument #1 to 'Lazy.string' (field 'produce': function expected, got table)")
    assert.has_error(function() cdk.Lazy.any { produce = io.stdout } end,
      "bad argument #1 to 'Lazy.any' (field 'produce': function expected, got userdata)")
    local app = cdk.App()
    local stack = cdk.Stack(app, "S")
    local callable = setmetatable({}, { __call = function() return "made" end })
    assert.equal("made", stack:resolve(cdk.Lazy.string { produce = callable }))
    app:close()
  end)

  it("a custom event target's bind result is checked as arguments are (NUL bytes, invalid UTF-8)", function()
    local cdk, events = require "cdk", require "cdk.events"
    local app = cdk.App()
    local stack = cdk.Stack(app, "S")
    local rule = events.Rule(stack, "R", { schedule = events.Schedule.expression("rate(1 day)") })
    local function target(config) return { bind = function() return config end } end
    assert.has_error(function() rule:add_target(target { arn = "arn:aws:sns:us-east-1:1:t\255" }) end,
      "bad target (bind(rule, id) returned field 'arn': string is not valid UTF-8)")
    assert.has_error(function() rule:add_target(target { arn = "arn:aws:sns:us-east-1:1:t", id = "a\0b" }) end,
      "bad target (bind(rule, id) returned field 'id': string with a NUL byte)")
    assert.has_error(function()
      rule:add_target(target { arn = "arn:aws:sns:us-east-1:1:t", dead_letter_config = { arn = "\192\175" } })
    end, "bad target (bind(rule, id) returned field 'dead_letter_config.arn': string is not valid UTF-8)")
    app:close()
  end)
end)

describe("settable fields", function()
  -- Every props field of every object a constructor makes (L1 properties, CfnParameter's and
  -- CfnOutput's props are settable; the others are refused), and the settable fields of
  -- cfn_options, PolicyStatement and node, given a value valid nowhere: a clean error naming the
  -- field (or refusing to set it), never a value taken.
  local pinned = load_pinned()
  local closed = S.env()
  closed.app:close()
  local foreign = S.env()
  local never = {}
  for _, b in ipairs(S.bad_values(closed, foreign)) do
    if b[3] == "never" then
      never[#never + 1] = b
      for _, w in ipairs(S.wrappings(b[2])) do never[#never + 1] = { b[1] .. " " .. w[1], w[2] } end
    end
  end

  local function sweep(label, obj, field)
    for _, b in ipairs(never) do
      local ok, err = pcall(function() obj[field] = b[2] end)
      assert(not ok, label .. "." .. field .. " = " .. b[1] .. " was accepted")
      assert_clean(label .. "." .. field, b[1], ok, err)
      -- (an object with no settable field at all is Lua's own "attempt to index a X value", on
      -- LuaJIT "attempt to index upvalue 'obj' (a userdata value)")
      assert(err:find(field, 1, true) or err:find("closed App", 1, true) or err:find("attempt to index ", 1, true),
        label .. "." .. field .. " = " .. b[1] .. " was refused for another reason: " .. err)
    end
  end

  it("of the objects constructors make, and of cfn_options, statements and nodes", function()
    local E = S.env()
    local n, made = 0, 0
    for _, c in ipairs(callables) do
      local sig = pinned[c.name]
      local props = sig and sig.props[#sig.args]
      if c.kind == "ctor" and props and c.name ~= "cdk.App" then
        local fn, args = S.bind(c, E)
        for i, kinds in ipairs(sig.args) do args[i] = S.sample_of(kinds, E) end
        n = n + 1
        args[2] = args[2] == "plain" and ("settable" .. n) or args[2]
        local base = S.base_of(c.name, E)
        if base then args[base[1]] = S.props_with(c.name, base[1], E, 1, nil) end
        local ok, obj = S.call(fn, args, #sig.args)
        if ok and type(obj) == "userdata" then
          made = made + 1
          for _, field in ipairs(props) do sweep(c.name, obj, field) end
        end
      end
    end
    assert.is_true(made >= 40, "only " .. made .. " objects made")
    for _, field in ipairs { "condition", "deletion_policy", "update_replace_policy", "metadata", "description", "version" } do
      sweep("cfn_options", E.resource.cfn_options, field)
    end
    for _, field in ipairs { "sid", "effect" } do sweep("statement", E.statement, field) end
    sweep("node", E.construct.node, "default_child")
    E.app:close()
  end)

  foreign.app:close()
end)
