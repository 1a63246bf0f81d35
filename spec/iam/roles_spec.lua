-- cdk.iam Role: every prop and its errors, trust policies, the DefaultPolicy made by the first
-- statement, grants on a role, names across accounts, imports (from_role_arn, from_role_name) and
-- immutable roles (mutable = false, another account's role, without_policy_updates). Each case is
-- checked against what the AWS CDK v1 (1.204.0) wrote for its twin in spec/fixtures/iam/roles.js.
local iamh = require "support.iam"

local function check(case, fn, opts)
  return iamh.check("roles", case, fn, opts)
end

local function new_stack(app, lib)
  return lib.cdk.Stack(app, "Stack")
end

describe("cdk.iam Role", function()
  it("writes every prop as CDK does", function()
    local r = check("props", function(app, lib)
      local cdk, iam = lib.cdk, lib.iam
      local stack = cdk.Stack(app, "Stack")
      local managed = iam.ManagedPolicy(stack, "Managed", {
        statements = { iam.PolicyStatement { actions = { "s3:*" }, resources = { "*" } } },
      })
      local role = iam.Role(stack, "Role", {
        assumed_by = iam.ServicePrincipal("ec2.amazonaws.com"),
        role_name = "my-role",
        managed_policies = { iam.ManagedPolicy.from_aws_managed_policy_name("ReadOnlyAccess"), managed,
          iam.ManagedPolicy.from_aws_managed_policy_name("ReadOnlyAccess"),
          iam.ManagedPolicy.from_managed_policy_arn(stack, "Imported", "arn:aws:iam::123456789012:policy/custom") },
        inline_policies = {
          Alpha = iam.PolicyDocument { statements = { iam.PolicyStatement { actions = { "sns:*" }, resources = { "*" } } } },
          Zeta = iam.PolicyDocument { statements = { iam.PolicyStatement { actions = { "sqs:*" }, resources = { "*" } } } },
        },
        description = "A role",
        max_session_duration = cdk.Duration.hours(2),
        path = "/team/",
        external_ids = { "ext-1", "ext-2" },
        permissions_boundary = iam.ManagedPolicy.from_aws_managed_policy_name("PowerUserAccess"),
      })
      role:add_managed_policy(iam.ManagedPolicy.from_aws_managed_policy_name("AmazonS3ReadOnlyAccess"))
      role:add_managed_policy(managed)
      cdk.CfnOutput(stack, "Arn", { value = role.role_arn })
      cdk.CfnOutput(stack, "Name", { value = role.role_name })
      cdk.CfnOutput(stack, "Id", { value = role.role_id })
      iam.Role(stack, "Other", { assumed_by = iam.AccountRootPrincipal(), external_id = "single", description = "",
        max_session_duration = cdk.Duration.seconds(43200), path = "/" })
      return { role.assume_role_action, role.principal_account == nil }
    end)
    local props = r.template.Stack.Resources.Role1ABCC5F0.Properties
    assert.same({
      Statement = { {
        Action = "sts:AssumeRole",
        Condition = { StringEquals = { ["sts:ExternalId"] = { "ext-1", "ext-2" } } },
        Effect = "Allow",
        Principal = { Service = { ["Fn::Join"] = { "", { "ec2.", { Ref = "AWS::URLSuffix" } } } } },
      } },
      Version = "2012-10-17",
    }, props.AssumeRolePolicyDocument)
    assert.equal("A role", props.Description)
    assert.equal(7200, props.MaxSessionDuration)
    assert.equal("/team/", props.Path)
    assert.equal("my-role", props.RoleName)
    assert.same({ "Alpha", "Zeta" }, { props.Policies[1].PolicyName, props.Policies[2].PolicyName })
    assert.equal(4, #props.ManagedPolicyArns)
  end)

  it("trusts what assumed_by names: composite, conditioned, other roles and users", function()
    check("trust", function(app, lib)
      local cdk, iam = lib.cdk, lib.iam
      local stack = cdk.Stack(app, "Stack")
      iam.Role(stack, "Composite", { assumed_by = iam.CompositePrincipal(iam.ServicePrincipal("lambda.amazonaws.com"),
        iam.AccountPrincipal("123456789012"),
        iam.FederatedPrincipal("cognito-identity.amazonaws.com", { StringEquals = { a = "b" } }, "sts:AssumeRoleWithWebIdentity")) })
      local cond = iam.Role(stack, "Conditioned", { assumed_by = iam.ArnPrincipal("arn:aws:iam::1:user/x")
        :with_conditions { Bool = { ["aws:MultiFactorAuthPresent"] = "true" } }, external_ids = { "e1" } })
      iam.Role(stack, "ByRole", { assumed_by = cond })
      iam.Role(stack, "ByOrganization", { assumed_by = iam.OrganizationPrincipal("o-1") })
      iam.Role(stack, "ByStar", { assumed_by = iam.StarPrincipal() })
      iam.Role(stack, "ByUser", { assumed_by = iam.User(stack, "User") })
    end)
  end)

  it("gets a DefaultPolicy with its first statement; grants on the role name its ARN", function()
    local r = check("default_policy", function(app, lib)
      local cdk, iam = lib.cdk, lib.iam
      local stack = cdk.Stack(app, "Stack")
      local role = iam.Role(stack, "Role", { assumed_by = iam.ServicePrincipal("lambda.amazonaws.com") })
      local added = role:add_to_policy(iam.PolicyStatement { actions = { "s3:GetObject" }, resources = { "arn:aws:s3:::b/*" } })
      local result = role:add_to_principal_policy(iam.PolicyStatement { actions = { "s3:PutObject" },
        resources = { "arn:aws:s3:::b/*" } })
      local user = iam.User(stack, "User")
      local g1 = role:grant(user, "iam:GetRole", "iam:TagRole")
      local g2 = role:grant_pass_role(user)
      local g3 = role:grant_assume_role(iam.ServicePrincipal("lambda.amazonaws.com"))
      local policy = iam.Policy(stack, "Extra", { statements = { iam.PolicyStatement { actions = { "sqs:*" }, resources = { "*" } } } })
      role:attach_inline_policy(policy)
      role:attach_inline_policy(policy)
      assert.equal(role.node:find_child("DefaultPolicy"), result.policy_dependable)
      return { added, result.statement_added, g1.success, g2.success, g3.success, g3.principal_statement == nil }
    end)
    assert.same({
      { Action = "s3:GetObject", Effect = "Allow", Resource = "arn:aws:s3:::b/*" },
      { Action = "s3:PutObject", Effect = "Allow", Resource = "arn:aws:s3:::b/*" },
    }, r.template.Stack.Resources.RoleDefaultPolicy5FFB7DAB.Properties.PolicyDocument.Statement)
  end)

  it("has its trust policy as assume_role_policy; roles grant assuming and passing them", function()
    check("assume_role_policy", function(app, lib)
      local cdk, iam = lib.cdk, lib.iam
      local stack = cdk.Stack(app, "Stack")
      local role = iam.Role(stack, "Role", { assumed_by = iam.ServicePrincipal("lambda.amazonaws.com") })
      role.assume_role_policy:add_statements(iam.PolicyStatement { actions = { "sts:AssumeRole" },
        principals = { iam.AccountPrincipal("111111111111") } })
      local other = iam.Role(stack, "Other", { assumed_by = iam.ServicePrincipal("lambda.amazonaws.com") })
      other:grant_assume_role(role)
      other:grant_pass_role(role)
      return role.assume_role_policy.statement_count
    end)
  end)

  it("counts the description's JavaScript characters (UTF-16 code units), not its bytes", function()
    local cdk, iam = require "cdk", require "cdk.iam"
    local stack = cdk.Stack(cdk.App(), "Stack")
    -- 1200 bytes, 600 characters: the reference takes it
    local role = iam.Role(stack, "Role", { assumed_by = iam.AnyPrincipal(), description = ("é"):rep(600) })
    assert.equal(("é"):rep(600), stack:to_json().Resources.Role1ABCC5F0.Properties.Description)
    assert.has_error(function()
      iam.Role(stack, "Long", { assumed_by = iam.AnyPrincipal(), description = ("é"):rep(1001) })
    end, "Role description must be no longer than 1000 characters.")
    assert.is_not_nil(role)
  end)

  it("without statements has no policy, and GENERATE_IF_NEEDED alone writes no name", function()
    check("no_statement", function(app, lib)
      local cdk, iam = lib.cdk, lib.iam
      local stack = cdk.Stack(app, "Stack")
      iam.Role(stack, "Role", { assumed_by = iam.AnyPrincipal(), role_name = cdk.PhysicalName.GENERATE_IF_NEEDED })
    end)
  end)

  it("seen from another account has its generated or given name in its ARN, path included", function()
    local r = check("cross_account_names", function(app, lib)
      local cdk, iam = lib.cdk, lib.iam
      local a = cdk.Stack(app, "Producer", { env = { account = "111111111111", region = "us-east-1" } })
      local generated = iam.Role(a, "Generated", { assumed_by = iam.AnyPrincipal(), role_name = cdk.PhysicalName.GENERATE_IF_NEEDED })
      local named = iam.Role(a, "Named", { assumed_by = iam.AnyPrincipal(), role_name = "named", path = "/team/" })
      local b = cdk.Stack(app, "Consumer", { env = { account = "222222222222", region = "us-east-1" } })
      for _, e in ipairs { { "Generated", generated }, { "Named", named } } do
        cdk.CfnOutput(b, e[1] .. "Arn", { value = e[2].role_arn })
        cdk.CfnOutput(b, e[1] .. "Name", { value = e[2].role_name })
      end
    end)
    assert.same({ Value = { ["Fn::Join"] = { "", { "arn:", { Ref = "AWS::Partition" }, ":iam::111111111111:role/team/named" } } } },
      r.template.Consumer.Outputs.NamedArn)
    assert.same({ Value = "producerroducergeneratedea7c4bd700f6ad6913ee" }, r.template.Consumer.Outputs.GeneratedName)
  end)

  describe("from_role_arn / from_role_name", function()
    it("of this account takes statements in a Policy of its own", function()
      local r = check("imported", function(app, lib)
        local cdk, ecr, iam = lib.cdk, lib.ecr, lib.iam
        local stack = cdk.Stack(app, "Stack", { env = { account = "123456789012", region = "us-east-1" } })
        local repo = ecr.Repository(stack, "Repo")
        local same = iam.Role.from_role_arn(stack, "Same", "arn:aws:iam::123456789012:role/service-role/builder")
        same:add_to_policy(iam.PolicyStatement { actions = { "s3:*" }, resources = { "*" } })
        repo:grant_pull(same)
        same:add_managed_policy(iam.ManagedPolicy.from_aws_managed_policy_name("Ignored"))
        local by_name = iam.Role.from_role_name(stack, "ByName", "deployer")
        repo:grant_pull(by_name)
        local token = iam.Role.from_role_arn(stack, "Token", cdk.Fn.import_value("RoleArn"))
        repo:grant_pull(token)
        cdk.CfnOutput(stack, "SameName", { value = same.role_name })
        cdk.CfnOutput(stack, "ByNameArn", { value = by_name.role_arn })
        cdk.CfnOutput(stack, "TokenName", { value = token.role_name })
        return { same.role_name, same.principal_account, same.env.account }
      end)
      assert.same({ "builder" }, r.template.Stack.Resources.SamePolicyD73D580E.Properties.Roles)
    end)

    it("of another account, or with mutable = false, is immutable: grants add nothing to it", function()
      local r = check("immutable", function(app, lib)
        local cdk, ecr, iam = lib.cdk, lib.ecr, lib.iam
        local stack = cdk.Stack(app, "Stack", { env = { account = "123456789012", region = "us-east-1" } })
        local repo = ecr.Repository(stack, "Repo")
        local fixed = iam.Role.from_role_arn(stack, "Fixed", "arn:aws:iam::123456789012:role/fixed", { mutable = false })
        local g1 = repo:grant_pull(fixed)
        local added = fixed:add_to_policy(iam.PolicyStatement { actions = { "s3:*" }, resources = { "*" } })
        iam.Policy(stack, "Policy", { roles = { fixed }, statements = { iam.PolicyStatement { actions = { "sqs:*" }, resources = { "*" } } } })
        local to_resources = iam.Role.from_role_arn(stack, "ToResources", "arn:aws:iam::123456789012:role/r",
          { mutable = false, add_grants_to_resources = true })
        local g2 = repo:grant_pull(to_resources)
        local other = iam.Role.from_role_arn(stack, "Other", "arn:aws:iam::210987654321:role/other")
        local g3 = repo:grant_pull(other)
        local role = iam.Role(stack, "Role", { assumed_by = iam.AnyPrincipal() })
        local wpu = role:without_policy_updates()
        local g4 = repo:grant(wpu, "ecr:ListImages")
        local again = role:without_policy_updates { add_grants_to_resources = true } == wpu
        local wpu2 = iam.Role(stack, "Role2", { assumed_by = iam.AnyPrincipal() }):without_policy_updates { add_grants_to_resources = true }
        local g5 = repo:grant(wpu2, "ecr:ListImages")
        cdk.CfnOutput(stack, "FixedArn", { value = fixed.role_arn })
        cdk.CfnOutput(stack, "WpuName", { value = wpu.role_name })
        assert.equal("Stack/MutableRoleOther", stack.node:find_child("MutableRoleOther").node.path)
        assert.equal(stack.node:find_child("ImmutableRoleRole"), wpu)
        return { g1.success, g1.principal_statement ~= nil, g1.resource_statement ~= nil, added, g2.success,
          g2.resource_statement ~= nil, g3.success, g3.resource_statement ~= nil, g4.success, g4.resource_statement ~= nil,
          again, g5.success, g5.resource_statement ~= nil, other.principal_account, fixed.role_name }
      end)
      assert.same({ "ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage" },
        r.template.Stack.Resources.Repo02AC86CF.Properties.RepositoryPolicyText.Statement[1].Action)
    end)
  end)

  describe("errors", function()
    local cases = {
      { "err_max_session_low", "a max_session_duration under an hour",
        "max_session_duration is set to 3540, but must be >= 3600sec (1hr) and <= 43200sec (12hrs)",
        function(lib, stack) return { assumed_by = lib.iam.AnyPrincipal(), max_session_duration = lib.cdk.Duration.minutes(59) } end },
      { "err_max_session_high", "a max_session_duration over 12 hours",
        "max_session_duration is set to 46800, but must be >= 3600sec (1hr) and <= 43200sec (12hrs)",
        function(lib) return { assumed_by = lib.iam.AnyPrincipal(), max_session_duration = lib.cdk.Duration.hours(13) } end },
      { "err_max_session_fraction", "a max_session_duration of a fraction of a second",
        "'3600500 millis' cannot be converted into a whole number of seconds.",
        function(lib) return { assumed_by = lib.iam.AnyPrincipal(), max_session_duration = lib.cdk.Duration.millis(3600500) } end },
      { "err_description", "a description over 1000 characters", "Role description must be no longer than 1000 characters.",
        function(lib) return { assumed_by = lib.iam.AnyPrincipal(), description = ("x"):rep(1001) } end },
      { "err_path", "a path not between slashes",
        "Role path must be either a slash or valid characters (alphanumerics and symbols) surrounded by slashes. "
          .. "Valid characters are unicode characters in [\\u0021-\\u007F]. However, team is provided.",
        function(lib) return { assumed_by = lib.iam.AnyPrincipal(), path = "team" } end },
      { "err_path_long", "a path over 512 characters",
        "Role path must be between 1 and 512 characters. The provided role path is 514 characters.",
        function(lib) return { assumed_by = lib.iam.AnyPrincipal(), path = "/" .. ("a"):rep(512) .. "/" } end },
      { "err_path_empty", "an empty path",
        "Role path must be between 1 and 512 characters. The provided role path is 0 characters.",
        function(lib) return { assumed_by = lib.iam.AnyPrincipal(), path = "" } end },
      { "err_assume_action", "an invalid assume-role action",
        "Action 'AssumeRole' is invalid. An action string consists of a service namespace, a colon, and the name of an "
          .. "action. Action names can include wildcards.",
        function(lib) return { assumed_by = lib.iam.FederatedPrincipal("x", {}, "AssumeRole") } end },
    }
    for _, c in ipairs(cases) do
      it("rejects " .. c[2], function()
        local r = check(c[1], function(app, lib) lib.iam.Role(new_stack(app, lib), "Role", c[4](lib)) end)
        assert.equal(c[3], iamh.message(r.error))
      end)
    end

    it("validates inline policies as identity policies at synthesis", function()
      local r = check("err_inline_policy", function(app, lib)
        local iam = lib.iam
        iam.Role(new_stack(app, lib), "Role", { assumed_by = iam.AnyPrincipal(),
          inline_policies = { Bad = iam.PolicyDocument { statements = { iam.PolicyStatement { actions = { "s3:*" } } } } } })
      end)
      assert.equal("Validation failed with the following errors:\n  [Stack/Role] A PolicyStatement used in an "
        .. "identity-based policy must specify at least one resource.", iamh.message(r.error))
    end)

    it("add_grants_to_resources needs mutable = false", function()
      local r = check("err_add_grants_mutable", function(app, lib)
        lib.iam.Role.from_role_arn(new_stack(app, lib), "Role", "arn:aws:iam::1:role/x", { add_grants_to_resources = true })
      end)
      assert.equal("'add_grants_to_resources' can only be passed if 'mutable: false'", iamh.message(r.error))
    end)

    it("from_role_arn needs an ARN", function()
      local r = check("err_role_arn", function(app, lib)
        lib.iam.Role.from_role_arn(new_stack(app, lib), "Role", "not-an-arn")
      end)
      assert.equal('ARNs must start with "arn:" and have at least 6 components: not-an-arn', iamh.message(r.error))
    end)

    it("two policies of one name cannot be attached", function()
      local r = check("err_same_policy_name", function(app, lib)
        local iam = lib.iam
        local stack = new_stack(app, lib)
        local role = iam.Role(stack, "Role", { assumed_by = iam.AnyPrincipal() })
        role:attach_inline_policy(iam.Policy(stack, "P1", { policy_name = "same" }))
        role:attach_inline_policy(iam.Policy(stack, "P2", { policy_name = "same" }))
      end)
      assert.equal('A policy named "same" is already attached', iamh.message(r.error))
    end)

    it("a role named by another account needs a physical name", function()
      local r = check("err_cross_account_no_name", function(app, lib)
        local cdk, ecr, iam = lib.cdk, lib.ecr, lib.iam
        local a = cdk.Stack(app, "A", { env = { account = "111111111111", region = "us-east-1" } })
        local b = cdk.Stack(app, "B", { env = { account = "222222222222", region = "us-east-1" } })
        ecr.Repository(a, "Repo"):grant_pull(iam.Role(b, "Role", { assumed_by = iam.AnyPrincipal() }))
      end)
      assert.truthy(r.error:find("Cannot use resource 'B/Role' in a cross-environment fashion, the resource's physical "
        .. "name must be explicit set or use `PhysicalName.GENERATE_IF_NEEDED`", 1, true))
    end)

    it("wrong types and unknown props name the argument and field", function()
      local cdk, iam = iamh.lib.cdk, iamh.lib.iam
      local stack = cdk.Stack(cdk.App(), "Stack")
      local function err(f, ...) return iamh.message(select(2, pcall(f, ...))) end
      assert.equal("bad argument #3 to 'Role' (table expected, got no value)", err(iam.Role, stack, "R"))
      assert.equal("bad argument #3 to 'Role' (field 'assumed_by': required)", err(iam.Role, stack, "R", {}))
      assert.equal("bad argument #3 to 'Role' (field 'assumed_by': principal (a Role, User, Group or iam principal) "
        .. "expected, got string)", err(iam.Role, stack, "R", { assumed_by = "lambda.amazonaws.com" }))
      assert.equal("bad argument #3 to 'Role' (unknown property 'assume_by')",
        err(iam.Role, stack, "R", { assume_by = iam.AnyPrincipal() }))
      assert.equal("bad argument #3 to 'Role' (field 'role_name': string expected, got number)",
        err(iam.Role, stack, "R", { assumed_by = iam.AnyPrincipal(), role_name = 5 }))
      assert.equal("bad argument #3 to 'Role' (field 'max_session_duration': Duration expected, got number)",
        err(iam.Role, stack, "R", { assumed_by = iam.AnyPrincipal(), max_session_duration = 3600 }))
      assert.equal("bad argument #3 to 'Role' (field 'managed_policies[1]': managed policy expected, got string)",
        err(iam.Role, stack, "R", { assumed_by = iam.AnyPrincipal(), managed_policies = { "arn:x" } }))
      assert.equal("bad argument #3 to 'Role' (field 'inline_policies.P': PolicyDocument expected, got table)",
        err(iam.Role, stack, "R", { assumed_by = iam.AnyPrincipal(), inline_policies = { P = {} } }))
      assert.equal("bad argument #3 to 'Role' (field 'external_ids': list of strings expected, got string)",
        err(iam.Role, stack, "R", { assumed_by = iam.AnyPrincipal(), external_ids = "x" }))
      assert.equal("bad argument #4 to 'from_role_arn' (unknown property 'mutible')",
        err(iam.Role.from_role_arn, stack, "I", "arn:aws:iam::1:role/x", { mutible = false }))
      local role = iam.Role(stack, "Role", { assumed_by = iam.AnyPrincipal() })
      assert.equal("bad argument #1 to 'add_to_policy' (PolicyStatement expected, got no value)", err(role.add_to_policy, role))
      assert.equal("bad argument #1 to 'grant' (principal (a Role, User, Group or iam principal) expected, got string)",
        err(role.grant, role, "x", "iam:GetRole"))
      assert.equal("bad argument #1 to 'attach_inline_policy' (Policy expected, got Role)",
        err(role.attach_inline_policy, role, role))
    end)
  end)
end)
