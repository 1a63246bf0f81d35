-- spec/robustness/support.lua: what the robustness specs share: every public callable of every
-- module, found from the module tables and the binding's class registry (so new API is swept
-- without anyone listing it), fixtures to call them on, the bad values, and the probe that
-- infers what each argument position and props field accepts (pinned in signatures.lua).
local cdk = require "cdk"
local mods = {
  cdk = cdk,
  ecr = require "cdk.ecr",
  iam = require "cdk.iam",
  kms = require "cdk.kms",
  events = require "cdk.events",
  events_targets = require "cdk.events_targets",
  sns = require "cdk.sns",
  sqs = require "cdk.sqs",
  lambda = require "cdk.lambda",
}
local ecr, iam, kms, events, targets = mods.ecr, mods.iam, mods.kms, mods.events, mods.events_targets
local sns, sqs, lambda = mods.sns, mods.sqs, mods.lambda

local M = { mods = mods }

local MOD_ORDER = { "cdk", "ecr", "iam", "kms", "events", "events_targets", "sns", "sqs", "lambda" }

-- A set of constructs and objects of one App, one of each kind the API takes.
function M.env()
  local app = cdk.App { outdir = "/nonexistent/robustness.out" }
  local stack = cdk.Stack(app, "Stack", { env = { account = "123456789012", region = "us-east-1" } })
  local E = { app = app, stack = stack }
  E.construct = cdk.Construct(stack, "Group1")
  E.resource = cdk.CfnResource(stack, "Res", { type = "A::B::C" })
  E.output = cdk.CfnOutput(stack, "Out", { value = "v" })
  E.parameter = cdk.CfnParameter(stack, "Param", { type = "String" })
  E.repository = ecr.Repository(stack, "Repo")
  E.role = iam.Role(stack, "Role", { assumed_by = iam.AnyPrincipal() })
  E.user = iam.User(stack, "User")
  E.imported_role = iam.Role.from_role_name(stack, "ImportedRole", "imported")
  E.immutable_role = E.role:without_policy_updates()
  E.imported_user = iam.User.from_user_name(stack, "ImportedUser", "bob")
  E.imported_group = iam.Group.from_group_name(stack, "ImportedGroup", "team")
  E.group = iam.Group(stack, "Group")
  E.policy = iam.Policy(stack, "Policy")
  E.managed_policy = iam.ManagedPolicy(stack, "Managed")
  E.key = kms.Key(stack, "Key")
  E.alias = kms.Alias(stack, "Alias", { alias_name = "alias/robust", target_key = E.key })
  E.topic = sns.Topic(stack, "Topic")
  E.queue = sqs.Queue(stack, "Queue")
  E.func = lambda.Function.from_function_arn(stack, "Fn", "arn:aws:lambda:us-east-1:123456789012:function:f")
  E.rule = events.Rule(stack, "Rule", { schedule = events.Schedule.rate(cdk.Duration.days(1)) })
  E.token = cdk.Fn.get_att("Res", "Arn")
  E.app_token = E.resource:get_att("Arn")
  E.duration = cdk.Duration.days(1)
  E.principal = iam.AnyPrincipal()
  E.statement = iam.PolicyStatement()
  E.document = iam.PolicyDocument()
  E.node = stack.node
  E.tags = cdk.Tags.of(stack)
  E.grant = E.repository:grant_pull(E.role)
  E.schedule = events.Schedule.rate(cdk.Duration.days(1))
  E.target = targets.SnsTopic(E.topic)
  E.composite = iam.CompositePrincipal(iam.AnyPrincipal())
  E.conditional = iam.AnyPrincipal():with_conditions { StringEquals = { ["aws:PrincipalTag/team"] = "a" } }
  E.annotations = cdk.Annotations.of(E.construct)
  return E
end

-- The receiver fixture of each class that has methods (construct classes from the registry).
M.receiver_of_class = {
  Stack = "stack", CfnElement = "output", CfnResource = "resource", RepositoryBase = "repository",
  Repository = "repository", IdentityBase = "user", Role = "role", ImportedRole = "imported_role",
  ImmutableRole = "immutable_role", User = "user", ImportedUser = "imported_user", Group = "group",
  ImportedGroup = "imported_group", Policy = "policy", ManagedPolicy = "managed_policy",
  IKey = "key", Key = "key", Alias = "alias", Rule = "rule", TopicBase = "topic", QueueBase = "queue",
  FunctionBase = "func",
}

-- Methods of objects that are not constructs (their __index is a C function: listed here, and
-- each name is checked to be a method of the fixture).
M.object_methods = {
  app = { "synth", "close" },
  grant = { "assert_success", "apply_before" },
  target = { "bind" },
  token = { "to_string" },
  duration = { "to_milliseconds", "to_seconds", "to_minutes", "to_hours", "to_days", "to_iso_string",
    "to_human_string", "plus", "minus" },
  node = { "find_child", "try_find_child", "try_get_context", "set_context", "add_dependency", "find_all",
    "add_metadata" },
  tags = { "add", "remove" },
  principal = { "with_conditions", "with_session_tags", "in_organization", "add_to_policy",
    "add_to_principal_policy" },
  composite = { "add_principals" },
  conditional = { "add_condition", "add_conditions" },
  statement = { "add_actions", "add_not_actions", "add_resources", "add_not_resources", "add_principals",
    "add_not_principals", "add_account_root_principal", "add_any_principal", "add_aws_account_principal",
    "add_arn_principal", "add_service_principal", "add_federated_principal", "add_canonical_user_principal",
    "add_all_resources", "add_condition", "add_conditions", "add_account_condition", "copy", "to_json",
    "to_statement_json", "validate_for_any_policy", "validate_for_resource_policy",
    "validate_for_identity_policy" },
  annotations = { "add_info", "add_warning", "add_error", "add_deprecation" },
  document = { "add_statements", "validate_for_any_policy", "validate_for_resource_policy",
    "validate_for_identity_policy" },
}

local function is_class(v)
  local mt = type(v) == "table" and getmetatable(v)
  return mt and mt.__call ~= nil
end

local function sorted_keys(t)
  local ks = {}
  for k in pairs(t) do ks[#ks + 1] = k end
  table.sort(ks, function(a, b) return tostring(a) < tostring(b) end)
  return ks
end
M.sorted_keys = sorted_keys

-- Every public callable: { name =, kind = "ctor" | "function" | "method", fn =, receiver = }.
-- receiver names the fixture a method is called on.
function M.callables()
  local out = {}
  for _, mname in ipairs(MOD_ORDER) do
    local m = mods[mname]
    for _, k in ipairs(sorted_keys(m)) do
      local v = m[k]
      local name = mname .. "." .. k
      if type(v) == "function" then
        out[#out + 1] = { name = name, kind = "function", fn = v }
      elseif is_class(v) then
        out[#out + 1] = { name = name, kind = "ctor", fn = v }
        for _, s in ipairs(sorted_keys(v)) do
          if type(v[s]) == "function" then
            out[#out + 1] = { name = name .. "." .. s, kind = "function", fn = v[s] }
          end
        end
      elseif type(v) == "table" then
        for _, s in ipairs(sorted_keys(v)) do
          if type(rawget(v, s)) == "function" then
            out[#out + 1] = { name = name .. "." .. s, kind = "function", fn = v[s] }
          end
        end
      end
    end
  end
  local classes = debug.getregistry()["cdk.classes"]
  for _, cname in ipairs(sorted_keys(classes)) do
    for _, meth in ipairs(sorted_keys(classes[cname])) do
      local fn = classes[cname][meth]
      if type(fn) == "function" then
        out[#out + 1] = { name = cname .. ":" .. meth, kind = "method", fn = fn,
          receiver = M.receiver_of_class[cname] or false, class = cname }
      end
    end
  end
  for _, obj in ipairs(sorted_keys(M.object_methods)) do
    for _, meth in ipairs(M.object_methods[obj]) do
      out[#out + 1] = { name = obj .. ":" .. meth, kind = "method", receiver = obj, method = meth }
    end
  end
  return out
end

-- The function and the leading arguments of a call of c in fixtures E.
function M.bind(c, E)
  if c.kind ~= "method" then return c.fn, {} end
  local r = E[c.receiver]
  return c.fn or r[c.method], { r }
end

-- Samples of each kind of valid argument, for the probe.
function M.samples(E)
  return {
    { "nil", nil },
    { "string", "plain" },
    { "number", 1 },
    { "boolean", true },
    { "table", {} },
    { "list", { "a" } },
    { "function", function() end },
    { "App", E.app },
    { "Stack", E.stack },
    { "Construct", E.construct },
    { "CfnResource", E.resource },
    { "CfnOutput", E.output },
    { "Repository", E.repository },
    { "Role", E.role },
    { "User", E.user },
    { "Group", E.group },
    { "Policy", E.policy },
    { "ManagedPolicy", E.managed_policy },
    { "Key", E.key },
    { "Topic", E.topic },
    { "Queue", E.queue },
    { "Function", E.func },
    { "Rule", E.rule },
    { "token", E.token },
    { "Duration", E.duration },
    { "principal", E.principal },
    { "statement", E.statement },
    { "document", E.document },
    { "Schedule", E.schedule },
  }
end

-- Calls fn with args (holes allowed up to n); returns ok, err.
local unpack = table.unpack or unpack
local TRACE = os.getenv("ROBUSTNESS_TRACE")
M.current = ""
function M.call(fn, args, n)
  if TRACE then
    local parts = {}
    for i = 1, n do
      local ok, t = pcall(tostring, args[i])
      parts[i] = type(args[i]) == "string" and #args[i] > 40 and "<long>" or ok and t or type(args[i])
    end
    io.stderr:write(M.current, "(", table.concat(parts, ", "), ")\n")
    io.stderr:flush()
  end
  return pcall(fn, unpack(args, 1, n))
end

-- Whether err blames user-visible argument i.
function M.blames(err, i)
  return type(err) == "string" and err:find("bad argument #" .. i .. " ", 1, true) ~= nil
end

local THREAD = coroutine.create(function() end)

-- A table that records the fields the binding reads from it (props discovery).
local function recorder(seen, base)
  return setmetatable({}, { __index = function(_, k) seen[k] = true return base and base[k] end })
end

-- Valid props for the callables whose props table has required fields ({} is refused there, so
-- the probe cannot find the position's fields alone): { position, props } in fixtures E.
local function base_props(E)
  local cdk = require "cdk"
  local arn = "arn:aws:ecr:us-east-1:123456789012:repository/r"
  return {
    ["cdk.Lazy.any"] = { 1, { produce = function() return 1 end } },
    ["cdk.Lazy.list"] = { 1, { produce = function() return { "a" } end } },
    ["cdk.Lazy.number"] = { 1, { produce = function() return 1 end } },
    ["cdk.Lazy.string"] = { 1, { produce = function() return "a" end } },
    ["cdk.Lazy.uncached_any"] = { 1, { produce = function() return 1 end } },
    ["cdk.Lazy.uncached_list"] = { 1, { produce = function() return { "a" } end } },
    ["cdk.Lazy.uncached_number"] = { 1, { produce = function() return 1 end } },
    ["cdk.Lazy.uncached_string"] = { 1, { produce = function() return "a" end } },
    ["ecr.CfnRegistryPolicy"] = { 3, { policy_text = {} } },
    ["ecr.CfnReplicationConfiguration"] = { 3, { replication_configuration = { rules = {} } } },
    ["ecr.Repository.from_repository_attributes"] = { 3, { repository_name = "r", repository_arn = arn } },
    ["iam.CfnManagedPolicy"] = { 3, { policy_document = {} } },
    ["iam.CfnPolicy"] = { 3, { policy_document = {}, policy_name = "p" } },
    ["iam.CfnRole"] = { 3, { assume_role_policy_document = {} } },
    ["iam.CfnUserToGroupAddition"] = { 3, { group_name = "g", users = { "u" } } },
    ["iam.Grant.add_to_principal"] = { 1, { grantee = E.role, actions = { "s3:GetObject" }, resource_arns = { "*" } } },
    ["iam.Grant.add_to_principal_and_resource"] = { 1, { grantee = E.role, actions = { "ecr:GetImage" }, resource_arns = { arn }, resource = E.repository } },
    ["iam.Grant.add_to_principal_or_resource"] = { 1, { grantee = E.role, actions = { "ecr:GetImage" }, resource_arns = { arn }, resource = E.repository } },
    ["iam.Role"] = { 3, { assumed_by = E.principal } },
    ["iam.User.from_user_attributes"] = { 3, { user_arn = "arn:aws:iam::123456789012:user/u" } },
    ["kms.Alias"] = { 3, { alias_name = "alias/x", target_key = E.key } },
    ["kms.Alias.from_alias_attributes"] = { 3, { alias_name = "alias/x", alias_target_key = E.key } },
    ["kms.CfnAlias"] = { 3, { alias_name = "alias/x", target_key_id = "k" } },
    ["kms.CfnKey"] = { 3, { key_policy = {} } },
    ["kms.CfnReplicaKey"] = { 3, { key_policy = {}, primary_key_arn = "arn:aws:kms:us-east-1:123456789012:key/k" } },
    ["events.CfnEventBusPolicy"] = { 3, { statement_id = "s" } },
    ["sns.CfnTopicPolicy"] = { 3, { policy_document = {}, topics = { "t" } } },
    ["sqs.CfnQueuePolicy"] = { 3, { policy_document = {}, queues = { "q" } } },
    ["sqs.Queue.from_queue_attributes"] = { 3, { queue_arn = "arn:aws:sqs:us-east-1:123456789012:q" } },
    ["lambda.CfnPermission"] = { 3, { action = "lambda:InvokeFunction", function_name = "f", principal = "s3.amazonaws.com" } },
    ["lambda.Function.from_function_attributes"] = { 3, { function_arn = "arn:aws:lambda:us-east-1:123456789012:function:f" } },
    ["FunctionBase:add_permission"] = { 2, { principal = E.principal } },
    ["Stack:format_arn"] = { 1, { service = "s3", resource = "b" } },
    ["cdk.CfnResource"] = { 3, { type = "A::B::C" } },
    ["cdk.CfnOutput"] = { 3, { value = "v" } },
  }
end

function M.base_of(name, E)
  return base_props(E)[name]
end

-- The props argument of c at position i in fixtures E with field set to v: the base props (when
-- the table has required fields) with that field changed, else { [field] = v }.
function M.props_with(name, i, E, field, v)
  local b = M.base_of(name, E)
  local t = {}
  if b and b[1] == i then for k, x in pairs(b[2]) do t[k] = x end end
  t[field] = v
  return t
end

-- Infers what c accepts: { args = { {kinds...}, ... }, props = { [i] = {fields...} } }.
function M.probe(c)
  M.current = c.name
  local E = M.env()
  local fn, lead = M.bind(c, E)
  local shift = #lead
  local args = {}
  for i, v in ipairs(lead) do args[i] = v end
  local sig = { args = {}, props = {} }
  local why = {}
  for i = 1, 6 do
    local pos = shift + i
    args[pos] = THREAD
    local _, err = M.call(fn, args, pos)
    if not M.blames(err, i) then args[pos] = nil break end
    local accepted, first = {}, nil
    for _, s in ipairs(M.samples(E)) do
      args[pos] = s[2]
      local ok, e = M.call(fn, args, pos)
      if ok or not M.blames(e, i) then
        -- why it counts as accepted (not pinned; shown when a probe differs from signatures.lua)
        why[#why + 1] = string.format("#%d %s: %s", i, s[1], ok and "accepted" or tostring(e))
        accepted[#accepted + 1] = s[1]
        -- a scope is a Stack (an App would stop most constructors before they read their props)
        if (first == nil and s[1] ~= "nil") or s[1] == "Stack" then first = s end
      end
    end
    local base = M.base_of(c.name, E)
    if first == nil and base and base[1] == i then
      accepted[#accepted + 1] = "table"
      first = { "table", base[2] }
    end
    if first == nil then
      args[pos] = "plain"
      local _, e = M.call(fn, args, pos)
      local one = type(e) == "string" and e:match("one of ([^,%s]+)[^)]* expected")
      if one then
        accepted[#accepted + 1] = "enum"
        first = { "enum", one }
      end
    end
    sig.args[i] = accepted
    if first == nil then args[pos] = nil break end
    args[pos] = first[2]
    if first[1] == "table" then
      local seen = {}
      -- a fresh App, so that the construct id is not taken by the calls above (a constructor
      -- reads some props only after the construct is made: Rule's targets)
      local E2 = M.env()
      local fn2, lead2 = M.bind(c, E2)
      local args2 = {}
      for j = 1, pos do
        local v = args[j]
        if j <= shift then v = lead2[j]
        elseif type(v) == "userdata" or type(v) == "table" then
          for k, ev in pairs(E) do if rawequal(ev, v) then v = E2[k] end end
        end
        args2[j] = v
      end
      local base2 = M.base_of(c.name, E2)
      args2[pos] = recorder(seen, base2 and base2[1] == i and base2[2] or nil)
      M.call(fn2, args2, pos)
      E2.app:close()
      args[pos] = base and base[1] == i and base[2] or {}
      local fields = sorted_keys(seen)
      if #fields > 0 then sig.props[i] = fields end
    end
    if first[1] == "enum" then sig.args[i].enum = first[2] end
  end
  E.app:close()
  return sig, why
end

-- A valid argument of a kind (the first non-nil kind the signature lists).
function M.sample_of(kinds, E)
  if kinds.enum then return kinds.enum end
  for _, k in ipairs(kinds) do
    if k == "Stack" then return E.stack end
  end
  for _, k in ipairs(kinds) do
    if k ~= "nil" then
      for _, s in ipairs(M.samples(E)) do
        if s[1] == k then return s[2] end
      end
    end
  end
  return nil
end

-- The bad values, each with the kind that would make it valid ("never": valid nowhere).
function M.bad_values(closed, foreign)
  local cycle = {}
  cycle[1] = cycle
  cycle.self = cycle
  return {
    { "nil", nil, "nil" },
    { "true", true, "boolean" },
    { "0", 0, "number" },
    { "-1", -1, "number" },
    { "0.5", 0.5, "number" },
    { "1e300", 1e300, "number" },
    { "NaN", 0 / 0, "never" },
    { "inf", math.huge, "never" },
    { "-inf", -math.huge, "never" },
    { "empty string", "", "string" },
    { "huge string", string.rep("x", 100000), "string" },
    { "NUL byte", "a\0b", "never" },
    { "invalid UTF-8", "ab\255\254", "never" },
    { "overlong UTF-8", "\192\175", "never" },
    { "UTF-16 surrogate", "\237\160\128", "never" },
    { "empty table", {}, "table" },
    { "cycle", cycle, "never" },
    { "function", function() end, "function" },
    { "coroutine", THREAD, "never" },
    { "file", io.stdout, "never" },
    { "closed App", closed.app, "never" },
    { "construct of a closed App", closed.resource, "never" },
    { "stack of a closed App", closed.stack, "never" },
    { "token of a closed App", closed.app_token, "never" },
    { "construct of another App", foreign.resource, "foreign" },
    { "stack of another App", foreign.stack, "foreign" },
    { "role of another App", foreign.role, "foreign" },
    { "token of another App", foreign.app_token, "foreign" },
  }
end

-- A bad value inside a list, inside a map, and deeper (where a table is taken, a value valid
-- nowhere is valid inside it nowhere either).
function M.wrappings(v)
  return {
    { "in a list", { v } },
    { "in a map", { key = v } },
    { "in a list in a map", { key = { "ok", v } } },
  }
end

-- Whether a kind list accepts a bad value's kind.
function M.accepts(kinds, kind)
  for _, k in ipairs(kinds) do
    if k == kind or (kind == "table" and k == "list") then return true end
  end
  return false
end

-- Serializes a signature table (sorted, one callable a line) for signatures.lua.
function M.serialize(sigs)
  local lines = { "-- spec/robustness/signatures.lua: what each public callable accepts, as the probe in",
    "-- support.lua infers it (the kinds of valid argument at each position; the props fields read).",
    "-- Generated: ROBUSTNESS_WRITE=1 make test SPEC_ARGS=spec/robustness; review every change: a",
    "-- new kind at a position is a new documented valid input.",
    "return {" }
  for _, name in ipairs(sorted_keys(sigs)) do
    local s = sigs[name]
    local parts = {}
    for i, kinds in ipairs(s.args) do
      local ks = {}
      for _, k in ipairs(kinds) do ks[#ks + 1] = string.format("%q", k) end
      if kinds.enum then ks[#ks + 1] = string.format("enum = %q", kinds.enum) end
      parts[i] = "{ " .. table.concat(ks, ", ") .. " }"
    end
    local props = {}
    for _, i in ipairs(sorted_keys(s.props)) do
      local fs = {}
      for _, f in ipairs(s.props[i]) do fs[#fs + 1] = string.format("%q", f) end
      props[#props + 1] = string.format("[%d] = { %s }", i, table.concat(fs, ", "))
    end
    lines[#lines + 1] = string.format("  [%q] = { args = { %s }, props = { %s } },", name,
      table.concat(parts, ", "), table.concat(props, ", "))
  end
  lines[#lines + 1] = "}"
  return table.concat(lines, "\n") .. "\n"
end

return M
