-- cdk.iam PolicyStatement and PolicyDocument: every prop and add_* method and how CDK renders
-- them (one value unwrapped, duplicates dropped, principals listed under their key, conditions
-- merged), copy, from_json, validation, statements de-duplicated after resolution, Sids, the
-- minimizePolicies merging and sorting, and every error. Each case is checked against what the
-- AWS CDK v1 (1.204.0) wrote for its twin in spec/fixtures/iam/statements.js.
local iamh = require "support.iam"

local function check(case, fn, opts)
  return iamh.check("statements", case, fn, opts)
end

local function statements_of(template, logical_id, property)
  local props = template.Resources[logical_id].Properties
  return props[property or "PolicyDocument"].Statement
end

describe("cdk.iam PolicyStatement", function()
  it("renders every prop as CDK does", function()
    local r = check("props", function(app, lib)
      local cdk, iam = lib.cdk, lib.iam
      local stack = cdk.Stack(app, "Stack")
      local user = iam.User(stack, "User")
      iam.Policy(stack, "Policy", {
        users = { user },
        statements = {
          iam.PolicyStatement {
            sid = "ReadObjects", effect = iam.Effect.DENY,
            actions = { "s3:GetObject", "s3:PutObject", "s3:GetObject" },
            resources = { "arn:aws:s3:::b/*", "arn:aws:s3:::a/*", "arn:aws:s3:::b/*" },
            conditions = { Bool = { ["aws:SecureTransport"] = "false" }, StringEquals = { ["s3:prefix"] = "home/" } },
          },
          iam.PolicyStatement { not_actions = { "iam:*" }, not_resources = { "arn:aws:iam::*:role/admin" } },
          iam.PolicyStatement { actions = { "ec2:DescribeInstances" }, resources = { "*" } },
          iam.PolicyStatement { actions = { "s3:ListBucket" },
            resources = { stack:format_arn { service = "s3", region = "", account = "", resource = "bucket" } } },
        },
      })
    end, { unordered = true })
    assert.same({
      {
        Action = { "s3:GetObject", "s3:PutObject" },
        Condition = { StringEquals = { ["s3:prefix"] = "home/" }, Bool = { ["aws:SecureTransport"] = "false" } },
        Effect = "Deny",
        Resource = { "arn:aws:s3:::b/*", "arn:aws:s3:::a/*" },
        Sid = "ReadObjects",
      },
      { Effect = "Allow", NotAction = "iam:*", NotResource = "arn:aws:iam::*:role/admin" },
      { Action = "ec2:DescribeInstances", Effect = "Allow", Resource = "*" },
      {
        Action = "s3:ListBucket",
        Effect = "Allow",
        Resource = { ["Fn::Join"] = { "", { "arn:", { Ref = "AWS::Partition" }, ":s3:::bucket" } } },
      },
    }, statements_of(r.template.Stack, "Policy23B91518"))
  end)

  it("has every add_* method, and sid and effect may be set later", function()
    local r = check("methods", function(app, lib)
      local cdk, ecr, iam = lib.cdk, lib.ecr, lib.iam
      local stack = cdk.Stack(app, "Stack")
      local user = iam.User(stack, "User")
      local s1 = iam.PolicyStatement()
      s1:add_actions("s3:GetObject", "s3:PutObject")
      s1:add_actions("s3:GetObject")
      s1:add_resources("arn:aws:s3:::a/*")
      s1:add_resources("arn:aws:s3:::b/*", "arn:aws:s3:::a/*")
      s1:add_condition("StringEquals", { ["aws:x"] = "1" })
      s1:add_condition("StringEquals", { ["aws:y"] = "2", ["aws:x"] = "3" })
      s1:add_conditions { NumericLessThan = { ["s3:max-keys"] = "10" } }
      s1:add_account_condition("123456789012")
      s1.sid = "Later"
      s1.effect = iam.Effect.DENY
      local s2 = iam.PolicyStatement()
      s2:add_not_actions("iam:*", "sts:*")
      s2:add_not_resources("arn:x")
      local s3 = iam.PolicyStatement { actions = { "ec2:*" } }
      s3:add_all_resources()
      user:add_to_policy(s1); user:add_to_policy(s2); user:add_to_policy(s3)
      local repo = ecr.Repository(stack, "Repo")
      local r1 = iam.PolicyStatement { actions = { "ecr:*" } }
      r1:add_account_root_principal()
      r1:add_any_principal()
      r1:add_aws_account_principal("111111111111")
      r1:add_arn_principal("arn:aws:iam::1:user/u")
      r1:add_service_principal("lambda.amazonaws.com")
      r1:add_principals(iam.ArnPrincipal("arn:z"))
      r1:add_canonical_user_principal("abc")
      repo:add_to_resource_policy(r1)
      local r2 = iam.PolicyStatement { actions = { "ecr:*" }, not_principals = { iam.ArnPrincipal("arn:n1") } }
      r2:add_not_principals(iam.AccountPrincipal("2"))
      repo:add_to_resource_policy(r2)
      local r3 = iam.PolicyStatement { actions = { "ecr:*" } }
      r3:add_federated_principal("graph.facebook.com", { StringEquals = { ["graph.facebook.com:app_id"] = "1" } })
      repo:add_to_resource_policy(r3)
      local r4 = iam.PolicyStatement { actions = { "ecr:*" } }
      r4:add_service_principal("states.amazonaws.com", { region = "cn-north-1", conditions = { StringEquals = { z = "1" } } })
      repo:add_to_resource_policy(r4)
      return { s1.actions, s1.resources, s1.conditions, s1.has_principal, s1.has_resource, r1.has_principal,
        s2.not_actions, s2.not_resources, s2.has_resource, s1.sid, s1.effect, #r2.not_principals, #r1.principals }
    end)
    assert.same({
      Action = { "s3:GetObject", "s3:PutObject" },
      Condition = {
        StringEquals = { ["aws:x"] = "3", ["aws:y"] = "2", ["sts:ExternalId"] = "123456789012" },
        NumericLessThan = { ["s3:max-keys"] = "10" },
      },
      Effect = "Deny",
      Resource = { "arn:aws:s3:::a/*", "arn:aws:s3:::b/*" },
      Sid = "Later",
    }, statements_of(r.template.Stack, "UserDefaultPolicy1F97781E")[1])
  end)

  it("lists the principals of a statement holding a construct and principals made without one", function()
    check("principals_mixed", function(app, lib)
      local cdk, iam = lib.cdk, lib.iam
      local stack = cdk.Stack(app, "Stack")
      local role = iam.Role(stack, "Role", { assumed_by = iam.AnyPrincipal() })
      local st = iam.PolicyStatement { actions = { "x:y" }, principals = { role, iam.AccountPrincipal("1") } }
      local other = iam.PolicyStatement { actions = { "x:y" }, not_principals = { iam.ArnPrincipal("arn:n"), role } }
      return { #st.principals, #other.not_principals, tostring(st.principals[2]), tostring(other.not_principals[1]) }
    end)
  end)

  it("to_statement_json is CDK's toStatementJson", function()
    check("statement_json", function(app, lib)
      local iam = lib.iam
      return {
        iam.PolicyStatement { actions = { "a:b" }, resources = { "*" } }:to_statement_json(),
        iam.PolicyStatement { sid = "S", actions = { "a:b", "a:c", "a:b" }, resources = { "x", "x" },
          conditions = { Bool = { k = "v" } } }:to_statement_json(),
        iam.PolicyStatement { effect = iam.Effect.DENY, not_actions = { "a:b" },
          principals = { iam.ArnPrincipal("arn:1"), iam.ArnPrincipal("arn:2") } }:to_statement_json(),
        iam.PolicyStatement():to_statement_json(),
      }
    end)
  end)

  it("validates for any, resource and identity policies (CDK's messages with Lua names)", function()
    check("validation", function(app, lib)
      local cdk, iam = lib.cdk, lib.iam
      cdk.Stack(app, "Stack")
      local empty = iam.PolicyStatement()
      local principal = iam.PolicyStatement { actions = { "a:b" }, principals = { iam.AnyPrincipal() } }
      local plain = iam.PolicyStatement { actions = { "a:b" } }
      local ok = iam.PolicyStatement { actions = { "a:b" }, resources = { "*" } }
      local doc = iam.PolicyDocument { statements = { empty, principal, plain } }
      return { empty:validate_for_any_policy(), empty:validate_for_resource_policy(), empty:validate_for_identity_policy(),
        principal:validate_for_identity_policy(), plain:validate_for_resource_policy(), ok:validate_for_identity_policy(),
        doc:validate_for_any_policy(), doc:validate_for_resource_policy(), doc:validate_for_identity_policy(),
        doc.is_empty, doc.statement_count, iam.PolicyDocument().is_empty }
    end, { lua_names = true })
  end)

  it("copy(overrides) is a new statement with the given parts replaced", function()
    local r = check("copy", function(app, lib)
      local cdk, ecr, iam = lib.cdk, lib.ecr, lib.iam
      local stack = cdk.Stack(app, "Stack")
      local repo = ecr.Repository(stack, "Repo")
      local base = iam.PolicyStatement { sid = "Base", effect = iam.Effect.DENY, actions = { "ecr:A" }, resources = { "*" },
        principals = { iam.OrganizationPrincipal("o-1") }, conditions = { Bool = { x = "true" } } }
      repo:add_to_resource_policy(base)
      repo:add_to_resource_policy(base:copy { sid = "Copy" })
      repo:add_to_resource_policy(base:copy { sid = "Other", actions = { "ecr:B" }, effect = iam.Effect.ALLOW,
        resources = { "arn:r" } })
      repo:add_to_resource_policy(base:copy { sid = "Third", principals = { iam.AnyPrincipal() },
        conditions = { Null = { y = "false" } } })
    end)
    assert.same({
      Action = "ecr:A",
      Condition = { Null = { y = "false" } },
      Effect = "Deny",
      Principal = { AWS = "*" },
      Resource = "*",
      Sid = "Third",
    }, statements_of(r.template.Stack, "Repo02AC86CF", "RepositoryPolicyText")[4])
  end)

  it("from_json reads a statement as CloudFormation writes it", function()
    local r = check("from_json", function(app, lib)
      local cdk, ecr, iam = lib.cdk, lib.ecr, lib.iam
      local stack = cdk.Stack(app, "Stack")
      local repo = ecr.Repository(stack, "Repo")
      repo:add_to_resource_policy(iam.PolicyStatement.from_json { Sid = "J", Effect = "Allow", Action = "ecr:D",
        Principal = { AWS = "arn:aws:iam::1:root", Service = { "a.amazonaws.com", "b.amazonaws.com" } },
        Condition = { StringLike = { q = "r*" } } })
      repo:add_to_resource_policy(iam.PolicyStatement.from_json { Effect = "Deny", NotAction = { "ecr:E", "ecr:F" },
        Principal = "*", NotResource = "arn:x" })
      repo:add_to_resource_policy(iam.PolicyStatement.from_json { Action = { "ecr:G" },
        NotPrincipal = { AWS = { "arn:1", "arn:2" } } })
      local doc = iam.PolicyDocument.from_json { Statement = { { Effect = "Allow", Action = "s3:*", Resource = "*" },
        { Effect = "Allow", Action = "s3:Get*", Resource = { "arn:a", "arn:b" } } } }
      iam.Policy(stack, "Policy", { document = doc, users = { iam.User(stack, "User") } })
    end)
    assert.same({ Effect = "Deny", NotAction = { "ecr:E", "ecr:F" }, NotResource = "arn:x", Principal = "*" },
      statements_of(r.template.Stack, "Repo02AC86CF", "RepositoryPolicyText")[2])
  end)

  describe("errors", function()
    local cases = {
      { "err_action", "an invalid action",
        "Action 's3-GetObject' is invalid. An action string consists of a service namespace, a colon, and the name of "
          .. "an action. Action names can include wildcards.",
        function(iam) iam.PolicyStatement { actions = { "s3-GetObject" } } end },
      { "err_not_action", "an invalid not_action",
        "Action 's3:Get Object' is invalid. An action string consists of a service namespace, a colon, and the name of "
          .. "an action. Action names can include wildcards.",
        function(iam) iam.PolicyStatement { not_actions = { "s3:Get Object" } } end },
      { "err_actions_then_not", "not_actions after actions",
        "Cannot add 'NotActions' to policy statement if 'Actions' have been added",
        function(iam) iam.PolicyStatement { actions = { "s3:A" }, not_actions = { "s3:B" } } end },
      { "err_not_then_actions", "actions after not_actions",
        "Cannot add 'Actions' to policy statement if 'NotActions' have been added",
        function(iam) iam.PolicyStatement { not_actions = { "s3:B" } }:add_actions("s3:A") end },
      { "err_resources_then_not", "not_resources after resources",
        "Cannot add 'NotResources' to policy statement if 'Resources' have been added",
        function(iam) iam.PolicyStatement { resources = { "a" }, not_resources = { "b" } } end },
      { "err_not_then_resources", "resources after not_resources",
        "Cannot add 'Resources' to policy statement if 'NotResources' have been added",
        function(iam) iam.PolicyStatement { not_resources = { "b" } }:add_resources("a") end },
      { "err_principals_then_not", "not_principals after principals",
        "Cannot add 'NotPrincipals' to policy statement if 'Principals' have been added",
        function(iam) iam.PolicyStatement { principals = { iam.AnyPrincipal() }, not_principals = { iam.AnyPrincipal() } } end },
      { "err_not_then_principals", "principals after not_principals",
        "Cannot add 'Principals' to policy statement if 'NotPrincipals' have been added",
        function(iam) iam.PolicyStatement { not_principals = { iam.AnyPrincipal() } }:add_arn_principal("arn:x") end },
      { "err_json_fields", "from_json with a field neither a string nor strings",
        "Fields must be either a string or an array of strings",
        function(iam) iam.PolicyStatement.from_json { Action = { "a:b", 3 } } end },
      { "err_json_incorrect", "from_json of an incomplete statement",
        "Incorrect Policy Statement: A PolicyStatement must specify at least one 'action' or 'not_action'.",
        function(iam) iam.PolicyStatement.from_json { Resource = "*" } end },
      { "err_json_principal", "from_json with a principal neither a map nor a string",
        "JSON IAM principal should be an object, got 5",
        function(iam) iam.PolicyStatement.from_json { Action = "a:b", Principal = 5 } end },
      { "err_json_action", "from_json with an invalid action",
        "Action 'ab' is invalid. An action string consists of a service namespace, a colon, and the name of an action. "
          .. "Action names can include wildcards.",
        function(iam) iam.PolicyStatement.from_json { Action = "ab" } end },
      { "err_json_document", "PolicyDocument.from_json without a Statement list", "Statement must be an array",
        function(iam) iam.PolicyDocument.from_json { Statement = "x" } end },
    }
    for _, c in ipairs(cases) do
      it("rejects " .. c[2], function()
        local r = check(c[1], function(app, lib) c[4](lib.iam) end)
        assert.equal(c[3], iamh.message(r.error))
      end)
    end

    it("wrong types and unknown props name the argument and field", function()
      local iam = iamh.lib.iam
      local function err(f, ...) return iamh.message(select(2, pcall(f, ...))) end
      assert.equal("bad argument #1 to 'PolicyStatement' (unknown property 'action')",
        err(iam.PolicyStatement, { action = { "a:b" } }))
      assert.equal("bad argument #1 to 'PolicyStatement' (field 'actions': list of strings expected, got string)",
        err(iam.PolicyStatement, { actions = "a:b" }))
      assert.equal("bad argument #1 to 'PolicyStatement' (field 'resources[2]': string expected, got number)",
        err(iam.PolicyStatement, { resources = { "a", 2 } }))
      assert.equal("bad argument #1 to 'PolicyStatement' (field 'principals[1]': principal (a Role, User, Group or iam "
        .. "principal) expected, got string)", err(iam.PolicyStatement, { principals = { "arn:x" } }))
      assert.equal("bad argument #1 to 'PolicyStatement' (field 'effect': one of Allow, Deny expected, got 'allow')",
        err(iam.PolicyStatement, { effect = "allow" }))
      assert.equal("bad argument #1 to 'PolicyStatement' (field 'sid': string expected, got number)",
        err(iam.PolicyStatement, { sid = 1 }))
      assert.equal("bad argument #1 to 'PolicyStatement' (field 'conditions': map expected, got string)",
        err(iam.PolicyStatement, { conditions = "x" }))
      local s = iam.PolicyStatement()
      assert.equal("bad argument #1 to 'add_actions' (string expected, got table)", err(s.add_actions, s, {}))
      assert.equal("bad argument #2 to 'add_condition' (table expected, got no value)", err(s.add_condition, s, "Bool"))
      assert.equal("bad argument #1 to 'add_principals' (principal (a Role, User, Group or iam principal) expected, "
        .. "got number)", err(s.add_principals, s, 1))
      assert.equal("effect must be iam.Effect.ALLOW or iam.Effect.DENY", err(function() s.effect = "allow" end))
      assert.equal("cannot set field 'actions' of a PolicyStatement", err(function() s.actions = {} end))
      assert.equal("calling 'add_actions' on bad self (PolicyStatement expected, got table)", err(s.add_actions, {}, "a:b"))
    end)
  end)
end)

describe("cdk.iam PolicyDocument", function()
  it("writes a statement once when another renders the same, and assigns Sids when asked", function()
    local r = check("dedupe", function(app, lib)
      local cdk, iam = lib.cdk, lib.iam
      local stack = cdk.Stack(app, "Stack")
      local user = iam.User(stack, "User")
      local arn = stack:format_arn { service = "s3", resource = "bucket" }
      user:add_to_policy(iam.PolicyStatement { actions = { "s3:GetObject" }, resources = { arn } })
      user:add_to_policy(iam.PolicyStatement { actions = { "s3:GetObject" },
        resources = { stack:format_arn { service = "s3", resource = "bucket" } } })
      user:add_to_policy(iam.PolicyStatement { actions = { "s3:GetObject", "s3:GetObject" }, resources = { arn } })
      user:add_to_policy(iam.PolicyStatement { actions = { "s3:GetObject" }, resources = { arn }, sid = "Named" })
      user:add_to_policy(iam.PolicyStatement { resources = { arn }, actions = { "s3:GetObject" }, sid = "Named" })
      user:add_to_policy(iam.PolicyStatement { actions = { "s3:PutObject", "s3:GetObject" }, resources = { arn } })
      user:add_to_policy(iam.PolicyStatement { actions = { "s3:GetObject", "s3:PutObject" }, resources = { arn } })
      iam.Role(stack, "Role", {
        assumed_by = iam.AnyPrincipal(),
        inline_policies = {
          Sids = iam.PolicyDocument { assign_sids = true, statements = {
            iam.PolicyStatement { actions = { "a:a" }, resources = { "*" } },
            iam.PolicyStatement { actions = { "a:a" }, resources = { "*" } },
            iam.PolicyStatement { sid = "Mine", actions = { "a:b" }, resources = { "*" } },
            iam.PolicyStatement { actions = { "a:c" }, resources = { "*" } },
          } },
        },
      })
    end)
    local statements = statements_of(r.template.Stack, "UserDefaultPolicy1F97781E")
    assert.equal(5, #statements)
    assert.same({ "0", "Mine", "2" }, {
      r.template.Stack.Resources.Role1ABCC5F0.Properties.Policies[1].PolicyDocument.Statement[1].Sid,
      r.template.Stack.Resources.Role1ABCC5F0.Properties.Policies[1].PolicyDocument.Statement[2].Sid,
      r.template.Stack.Resources.Role1ABCC5F0.Properties.Policies[1].PolicyDocument.Statement[3].Sid,
    })
  end)

  it("merges and sorts statements under @aws-cdk/aws-iam:minimizePolicies", function()
    local r = check("minimize", function(app, lib)
      local cdk, ecr, iam = lib.cdk, lib.ecr, lib.iam
      local stack = cdk.Stack(app, "Stack", { env = { account = "111111111111", region = "us-east-1" } })
      stack.node:set_context("@aws-cdk/aws-iam:minimizePolicies", true)
      local role = iam.Role(stack, "Role", { assumed_by = iam.CompositePrincipal(iam.ServicePrincipal("lambda.amazonaws.com"),
        iam.ServicePrincipal("ecs-tasks.amazonaws.com"), iam.AccountPrincipal("222222222222")) })
      local repos = {}
      for i = 0, 3 do repos[#repos + 1] = ecr.Repository(stack, "Repo" .. i) end
      repos[1]:grant_pull(role); repos[2]:grant_pull(role); repos[3]:grant_pull_push(role)
      repos[4]:grant(role, "ecr:DescribeImages", "ecr:BatchGetImage")
      local secure = { Bool = { ["aws:SecureTransport"] = "true" } }
      role:add_to_policy(iam.PolicyStatement { actions = { "s3:GetObject" }, resources = { "arn:aws:s3:::b/*" }, conditions = secure })
      role:add_to_policy(iam.PolicyStatement { actions = { "s3:PutObject" }, resources = { "arn:aws:s3:::b/*" }, conditions = secure })
      role:add_to_policy(iam.PolicyStatement { sid = "Keep", actions = { "s3:PutObject" }, resources = { "arn:aws:s3:::c/*" } })
      role:add_to_policy(iam.PolicyStatement { effect = iam.Effect.DENY, actions = { "s3:DeleteObject" },
        resources = { "arn:aws:s3:::c/*", "arn:aws:s3:::a/*" } })
      role:add_to_policy(iam.PolicyStatement { effect = iam.Effect.DENY, actions = { "s3:DeleteBucket" },
        resources = { "arn:aws:s3:::a/*", "arn:aws:s3:::c/*" } })
      role:add_to_policy(iam.PolicyStatement { not_actions = { "iam:*" }, resources = { "*" } })
      role:add_to_policy(iam.PolicyStatement { not_actions = { "iam:*" }, resources = { "arn:x" } })
      local shared = ecr.Repository(stack, "Shared")
      for _, acct in ipairs { "333333333333", "444444444444", "555555555555" } do
        shared:grant_pull(iam.AccountPrincipal(acct))
      end
      shared:grant_pull(iam.ArnPrincipal("arn:aws:iam::666666666666:role/a"))
      shared:grant_pull(iam.ArnPrincipal("arn:aws:iam::666666666666:role/a"))
      shared:grant_pull(iam.ServicePrincipal("lambda.amazonaws.com"))
      shared:grant_pull(iam.OrganizationPrincipal("o-1"))
      shared:grant_pull(iam.OrganizationPrincipal("o-2"))
      shared:grant_pull(iam.StarPrincipal())
      shared:grant_pull(iam.AnyPrincipal())
      shared:grant(iam.AccountPrincipal("333333333333"), "ecr:PutImage")
      shared:add_to_resource_policy(iam.PolicyStatement { actions = { "ecr:ListImages" },
        principals = { iam.Role.from_role_arn(stack, "I1", "arn:aws:iam::111111111111:role/imp") } })
      shared:add_to_resource_policy(iam.PolicyStatement { actions = { "ecr:ListImages" },
        principals = { iam.Role.from_role_arn(stack, "I2", "arn:aws:iam::111111111111:role/imp2") } })
      local user = iam.User(stack, "User")
      iam.Policy(stack, "Policy", { users = { user }, document = iam.PolicyDocument { minimize = false, statements = {
        iam.PolicyStatement { actions = { "a:b" }, resources = { "*" } },
        iam.PolicyStatement { actions = { "a:c" }, resources = { "*" } } } } })
      iam.Role(stack, "Inline", { assumed_by = iam.AnyPrincipal(), inline_policies = { Doc = iam.PolicyDocument {
        assign_sids = true, statements = {
          iam.PolicyStatement { actions = { "a:z", "a:b" }, resources = { "*" } },
          iam.PolicyStatement { actions = { "a:c" }, resources = { "*" } },
          iam.PolicyStatement { actions = { "a:c" }, resources = { "arn:q", "arn:b", "arn:q" } } } } } })
    end)
    assert.same({
      { Action = "a:b", Effect = "Allow", Resource = "*" },
      { Action = "a:c", Effect = "Allow", Resource = "*" },
    }, statements_of(r.template.Stack, "Policy23B91518"))
    assert.same({
      { Action = { "a:b", "a:c", "a:z" }, Effect = "Allow", Resource = "*", Sid = "0" },
      { Action = "a:c", Effect = "Allow", Resource = { "arn:b", "arn:q" }, Sid = "1" },
    }, r.template.Stack.Resources.Inline6CF80F9D.Properties.Policies[1].PolicyDocument.Statement)
  end)

  it("minimize = true merges without the flag", function()
    local r = check("minimize_prop", function(app, lib)
      local cdk, iam = lib.cdk, lib.iam
      local stack = cdk.Stack(app, "Stack")
      local user = iam.User(stack, "User")
      iam.Policy(stack, "Policy", { users = { user }, document = iam.PolicyDocument { minimize = true, statements = {
        iam.PolicyStatement { actions = { "s3:PutObject" }, resources = { "arn:b" } },
        iam.PolicyStatement { actions = { "s3:GetObject" }, resources = { "arn:b" } },
        iam.PolicyStatement { actions = { "s3:GetObject", "s3:PutObject" }, resources = { "arn:a" } } } } })
    end)
    assert.same({ { Action = { "s3:GetObject", "s3:PutObject" }, Effect = "Allow", Resource = { "arn:a", "arn:b" } } },
      statements_of(r.template.Stack, "Policy23B91518"))
  end)

  it("merging statements that name one principal writes it once (no list)", function()
    local r = check("minimize_one_principal", function(app, lib)
      local cdk, ecr, iam = lib.cdk, lib.ecr, lib.iam
      local stack = cdk.Stack(app, "Stack")
      stack.node:set_context("@aws-cdk/aws-iam:minimizePolicies", true)
      local repo = ecr.Repository(stack, "Repo")
      local function pull()
        return iam.PolicyStatement { actions = { "ecr:BatchGetImage" }, principals = { iam.AccountPrincipal("1") } }
      end
      repo:add_to_resource_policy(pull())
      repo:add_to_resource_policy(pull())
      repo:add_to_resource_policy(iam.PolicyStatement { actions = { "ecr:ListImages" }, principals = { iam.AccountPrincipal("1") } })
    end)
    local text = r.template.Stack.Resources.Repo02AC86CF.Properties.RepositoryPolicyText
    assert.equal(2, #text.Statement)
    assert.equal("table", type(text.Statement[1].Principal.AWS["Fn::Join"]))
  end)

  it("the flag on a construct below the stack merges as CDK does, and sorts only from the stack's scope", function()
    -- CDK merges while it collects references (the element's scope) and merges and sorts when it
    -- writes the template (the stack's scope): below G, merged statements keep their order
    local r = check("minimize_below_stack", function(app, lib)
      local cdk, ecr, iam, kms = lib.cdk, lib.ecr, lib.iam, lib.kms
      local stack = cdk.Stack(app, "Stack")
      local g = cdk.Construct(stack, "G")
      g.node:set_context("@aws-cdk/aws-iam:minimizePolicies", true)
      local key = kms.Key(g, "Key", { admins = { iam.ArnPrincipal("arn:aws:iam::1:role/B"), iam.ArnPrincipal("arn:aws:iam::1:role/A") } })
      local role = iam.Role(g, "Role", { assumed_by = iam.ServicePrincipal("ecs-tasks.amazonaws.com") })
      local user = iam.User(g, "User")
      local other = cdk.Stack(app, "Other")
      local remote = ecr.Repository(other, "Remote")
      local repo = ecr.Repository(g, "Repo")
      for _, p in ipairs { role, user } do
        remote:grant_pull(p); repo:grant_pull(p); repo:grant(p, "ecr:Z", "ecr:A")
        key:grant_encrypt(p); key:grant_decrypt(p)
      end
      repo:add_to_resource_policy(iam.PolicyStatement { actions = { "ecr:Z" }, principals = { iam.AccountPrincipal("2") } })
      repo:add_to_resource_policy(iam.PolicyStatement { actions = { "ecr:A" }, principals = { iam.AccountPrincipal("1") } })
      local leaf = iam.Role(stack, "Leaf", { assumed_by = iam.ServicePrincipal("x.amazonaws.com") })
      leaf:add_to_policy(iam.PolicyStatement { actions = { "z:Z" }, resources = { "*" } })
      leaf:add_to_policy(iam.PolicyStatement { actions = { "a:A" }, resources = { "*" } })
      leaf.node:find_child("DefaultPolicy").node.default_child.node:set_context("@aws-cdk/aws-iam:minimizePolicies", true)
    end)
    assert.same({ "ecr:Z", "ecr:A" }, statements_of(r.template.Stack, "GRoleDefaultPolicyD7FC2FEE")[3].Action)
  end)

  it("the flag works from the App's context too", function()
    local cdk, iam = iamh.lib.cdk, iamh.lib.iam
    local app = cdk.App { context = { ["@aws-cdk/aws-iam:minimizePolicies"] = true } }
    local stack = cdk.Stack(app, "Stack")
    local user = iam.User(stack, "User")
    user:add_to_policy(iam.PolicyStatement { actions = { "s3:B" }, resources = { "*" } })
    user:add_to_policy(iam.PolicyStatement { actions = { "s3:A" }, resources = { "*" } })
    assert.same({ { Action = { "s3:A", "s3:B" }, Effect = "Allow", Resource = "*" } },
      statements_of(stack:to_json(), "UserDefaultPolicy1F97781E"))
  end)

  describe("is validated at synthesis", function()
    it("as an identity policy in a Policy", function()
      local r = check("err_identity", function(app, lib)
        local cdk, iam = lib.cdk, lib.iam
        local stack = cdk.Stack(app, "Stack")
        local user = iam.User(stack, "User")
        user:add_to_policy(iam.PolicyStatement { actions = { "s3:*" } })
        user:add_to_policy(iam.PolicyStatement { resources = { "*" }, principals = { iam.AnyPrincipal() } })
      end)
      assert.equal("Validation failed with the following errors:\n"
        .. "  [Stack/User/DefaultPolicy] A PolicyStatement used in an identity-based policy must specify at least one resource.\n"
        .. "  [Stack/User/DefaultPolicy] A PolicyStatement must specify at least one 'action' or 'not_action'.\n"
        .. "  [Stack/User/DefaultPolicy] A PolicyStatement used in an identity-based policy cannot specify any IAM principals.",
        iamh.message(r.error))
    end)

    it("as a resource policy in a repository", function()
      local r = check("err_resource", function(app, lib)
        local cdk, ecr, iam = lib.cdk, lib.ecr, lib.iam
        local stack = cdk.Stack(app, "Stack")
        local repo = ecr.Repository(stack, "Repo")
        repo:add_to_resource_policy(iam.PolicyStatement { actions = { "ecr:*" } })
        repo:add_to_resource_policy(iam.PolicyStatement { principals = { iam.AnyPrincipal() } })
      end)
      assert.equal("Validation failed with the following errors:\n"
        .. "  [Stack/Repo] A PolicyStatement used in a resource-based policy must specify at least one IAM principal.\n"
        .. "  [Stack/Repo] A PolicyStatement must specify at least one 'action' or 'not_action'.",
        iamh.message(r.error))
    end)

    it("with a number for @aws-cdk/aws-iam.arnSizeEstimate", function()
      local r = check("err_arn_estimate", function(app, lib)
        local cdk, iam = lib.cdk, lib.iam
        local stack = cdk.Stack(app, "Stack")
        stack.node:set_context("@aws-cdk/aws-iam.arnSizeEstimate", "big")
        iam.Role(stack, "Role", { assumed_by = iam.AnyPrincipal() })
          :add_to_policy(iam.PolicyStatement { actions = { "s3:*" }, resources = { "*" } })
      end)
      assert.equal('Context value @aws-cdk/aws-iam.arnSizeEstimate should be a number, got "big"', iamh.message(r.error))
    end)
  end)

  it("has is_empty, statement_count and add_statements", function()
    local iam = iamh.lib.iam
    local doc = iam.PolicyDocument()
    assert.is_true(doc.is_empty)
    doc:add_statements(iam.PolicyStatement { actions = { "a:b" } }, iam.PolicyStatement { actions = { "a:c" } })
    assert.is_false(doc.is_empty)
    assert.equal(2, doc.statement_count)
    local function err(f, ...) return iamh.message(select(2, pcall(f, ...))) end
    assert.equal("bad argument #1 to 'add_statements' (PolicyStatement expected, got string)",
      err(doc.add_statements, doc, "x"))
    assert.equal("bad argument #1 to 'PolicyDocument' (field 'statements[1]': PolicyStatement expected, got table)",
      err(iam.PolicyDocument, { statements = { {} } }))
    assert.equal("bad argument #1 to 'PolicyDocument' (unknown property 'statement')",
      err(iam.PolicyDocument, { statement = {} }))
    assert.equal("bad argument #1 to 'PolicyDocument' (field 'minimize': boolean expected, got string)",
      err(iam.PolicyDocument, { minimize = "yes" }))
  end)
end)
