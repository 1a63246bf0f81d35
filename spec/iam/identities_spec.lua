-- cdk.iam User, Group, Policy and ManagedPolicy: props, groups, managed policies, default
-- policies, imports (users join groups with CfnUserToGroupAddition), attachments and the
-- references that reading a policy's name takes, names across accounts, and their errors. Each
-- case is checked against what the AWS CDK v1 (1.204.0) wrote for its twin in
-- spec/fixtures/iam/identities.js.
local iamh = require "support.iam"

local function check(case, fn, opts)
  return iamh.check("identities", case, fn, opts)
end

describe("cdk.iam User and Group", function()
  it("write every prop; users join groups; default policies and managed policies", function()
    local r = check("users_groups", function(app, lib)
      local cdk, iam = lib.cdk, lib.iam
      local stack = cdk.Stack(app, "Stack", { env = { account = "123456789012", region = "eu-west-1" } })
      local devs = iam.Group(stack, "Devs", { group_name = "devs", path = "/eng/",
        managed_policies = { iam.ManagedPolicy.from_aws_managed_policy_name("ReadOnlyAccess") } })
      local ops = iam.Group(stack, "Ops")
      local imported = iam.Group.from_group_arn(stack, "Imported", "arn:aws:iam::123456789012:group/ops/admins")
      local by_name = iam.Group.from_group_name(stack, "ByName", "named")
      local alice = iam.User(stack, "Alice", { user_name = "alice", path = "/people/", groups = { devs, imported },
        managed_policies = { iam.ManagedPolicy.from_aws_managed_policy_name("A") },
        permissions_boundary = iam.ManagedPolicy.from_aws_managed_policy_name("Boundary") })
      alice:add_to_group(ops)
      ops:add_user(iam.User(stack, "Bob"))
      alice:add_managed_policy(iam.ManagedPolicy.from_aws_managed_policy_name("C"))
      ops:add_managed_policy(iam.ManagedPolicy.from_aws_managed_policy_name("D"))
      alice:add_to_principal_policy(iam.PolicyStatement { actions = { "s3:Get*" }, resources = { "*" } })
      devs:add_to_policy(iam.PolicyStatement { actions = { "s3:*" }, resources = { "*" } })
      imported:add_to_policy(iam.PolicyStatement { actions = { "s3:*" }, resources = { "*" } })
      imported:add_managed_policy(iam.ManagedPolicy.from_aws_managed_policy_name("Ignored"))
      cdk.CfnOutput(stack, "AliceArn", { value = alice.user_arn })
      cdk.CfnOutput(stack, "AliceName", { value = alice.user_name })
      cdk.CfnOutput(stack, "DevsArn", { value = devs.group_arn })
      cdk.CfnOutput(stack, "DevsName", { value = devs.group_name })
      cdk.CfnOutput(stack, "ImportedName", { value = imported.group_name })
      cdk.CfnOutput(stack, "ByNameArn", { value = by_name.group_arn })
      return { imported.principal_account, alice.assume_role_action }
    end)
    local alice = r.template.Stack.Resources.AliceD4D33764
    assert.same({ { Ref = "Devs1D400A35" }, "ops/admins", { Ref = "OpsA097D252" } }, alice.Properties.Groups)
    assert.same({ "ops/admins" }, r.template.Stack.Resources.ImportedDefaultPolicy29E341A5.Properties.Groups)
  end)

  it("imported users take a Policy of their own and join groups with CfnUserToGroupAddition", function()
    local r = check("imported_users", function(app, lib)
      local cdk, iam = lib.cdk, lib.iam
      local stack = cdk.Stack(app, "Stack", { env = { account = "123456789012", region = "eu-west-1" } })
      local group = iam.Group(stack, "Group")
      local other = cdk.Stack(app, "Other", { env = { account = "123456789012", region = "eu-west-1" } })
      local other_group = iam.Group(other, "Group", { group_name = "other-group" })
      local bob = iam.User.from_user_name(stack, "Bob", "bob")
      bob:add_to_group(group)
      bob:add_to_group(other_group)
      bob:add_to_group(iam.Group.from_group_name(stack, "Named", "named"))
      local carol = iam.User.from_user_arn(stack, "Carol", "arn:aws:iam::123456789012:user/path/carol")
      carol:add_to_policy(iam.PolicyStatement { actions = { "s3:*" }, resources = { "*" } })
      local dave = iam.User.from_user_attributes(stack, "Dave", { user_arn = cdk.Fn.import_value("DaveArn") })
      dave:add_to_policy(iam.PolicyStatement { actions = { "s3:*" }, resources = { "*" } })
      cdk.CfnOutput(stack, "BobArn", { value = bob.user_arn })
      cdk.CfnOutput(stack, "DaveName", { value = dave.user_name })
      return { bob.user_name, carol.user_name }
    end)
    assert.same({
      Type = "AWS::IAM::UserToGroupAddition",
      Properties = { GroupName = { Ref = "GroupC77FDACD" }, Users = { "bob" } },
    }, r.template.Other.Resources.bobGroup1)
  end)
end)

describe("cdk.iam Policy", function()
  it("writes its props, attaches to users, groups and roles, and is written when attached or forced", function()
    local r = check("policies", function(app, lib)
      local cdk, iam = lib.cdk, lib.iam
      local stack = cdk.Stack(app, "Stack")
      local user = iam.User(stack, "User")
      local group = iam.Group(stack, "Group")
      local role = iam.Role(stack, "Role", { assumed_by = iam.AnyPrincipal() })
      local p = iam.Policy(stack, "Named", { policy_name = "custom", groups = { group }, users = { user }, roles = { role } })
      p:add_statements(iam.PolicyStatement { actions = { "sqs:*" }, resources = { "*" } })
      p:attach_to_user(user)
      local forced = iam.Policy(stack, "Forced", { force = true,
        statements = { iam.PolicyStatement { actions = { "sqs:*" }, resources = { "*" } } } })
      forced:attach_to_role(role)
      iam.Policy(stack, "Unattached", { statements = { iam.PolicyStatement { actions = { "sqs:*" }, resources = { "*" } } } })
      iam.Policy(stack, "Nothing")
      local doc = iam.Policy(stack, "WithDocument", { document = iam.PolicyDocument { statements = {
        iam.PolicyStatement { actions = { "sns:*" }, resources = { "*" } } } } })
      doc:attach_to_group(group)
      local imported = iam.Policy.from_policy_name(stack, "Imported", "existing")
      cdk.CfnOutput(stack, "ImportedName", { value = imported.policy_name })
      cdk.CfnOutput(stack, "NamedName", { value = p.policy_name })
      cdk.CfnOutput(stack, "ForcedName", { value = forced.policy_name })
    end)
    assert.same({
      Type = "AWS::IAM::Policy",
      Properties = {
        PolicyDocument = { Statement = { { Action = "sqs:*", Effect = "Allow", Resource = "*" } }, Version = "2012-10-17" },
        PolicyName = "custom",
        Groups = { { Ref = "GroupC77FDACD" } },
        Roles = { { Ref = "Role1ABCC5F0" } },
        Users = { { Ref = "User00B015A1" } },
      },
    }, r.template.Stack.Resources.NamedD2F31604)
    assert.is_nil(r.template.Stack.Resources.UnattachedBBE6FE02)
  end)

  it("attaching a second policy to an identity takes references to both", function()
    check("referenced", function(app, lib)
      local cdk, iam = lib.cdk, lib.iam
      local stack = cdk.Stack(app, "Stack")
      local user = iam.User(stack, "User")
      local p1 = iam.Policy(stack, "P1", { statements = { iam.PolicyStatement { actions = { "s3:*" }, resources = { "*" } } } })
      p1:attach_to_user(user)
      local p2 = iam.Policy(stack, "P2", { statements = { iam.PolicyStatement { actions = { "sqs:*" }, resources = { "*" } } } })
      p2:attach_to_user(user)
    end)
  end)
end)

describe("cdk.iam ManagedPolicy", function()
  it("writes its props; from_managed_policy_name / arn and from_aws_managed_policy_name name existing ones", function()
    local r = check("managed_policies", function(app, lib)
      local cdk, iam = lib.cdk, lib.iam
      local stack = cdk.Stack(app, "Stack")
      local user = iam.User(stack, "User")
      local group = iam.Group(stack, "Group")
      local role = iam.Role(stack, "Role", { assumed_by = iam.AnyPrincipal() })
      local m = iam.ManagedPolicy(stack, "Named", { managed_policy_name = "mp", description = "d", path = "/x/", users = { user },
        groups = { group }, statements = { iam.PolicyStatement { actions = { "sns:*" }, resources = { "*" } } } })
      m:attach_to_role(role)
      m:attach_to_role(role)
      m:add_statements(iam.PolicyStatement { actions = { "sns:Publish" }, resources = { "arn:t" } })
      local plain = iam.ManagedPolicy(stack, "Plain", { document = iam.PolicyDocument { statements = {
        iam.PolicyStatement { actions = { "sns:*" }, resources = { "*" } } } } })
      local by_name = iam.ManagedPolicy.from_managed_policy_name(stack, "ByName", "existing")
      local by_arn = iam.ManagedPolicy.from_managed_policy_arn(stack, "ByArn", "arn:aws:iam::123456789012:policy/x")
      user:add_managed_policy(by_name)
      user:add_managed_policy(by_arn)
      user:add_managed_policy(plain)
      user:add_managed_policy(plain)
      cdk.CfnOutput(stack, "NamedArn", { value = m.managed_policy_arn })
      cdk.CfnOutput(stack, "NamedName", { value = m.managed_policy_name })
      cdk.CfnOutput(stack, "PlainName", { value = plain.managed_policy_name })
      cdk.CfnOutput(stack, "ByNameArn", { value = by_name.managed_policy_arn })
    end)
    assert.same({ Value = { ["Fn::Select"] = { 1, { ["Fn::Split"] = { "/", { ["Fn::Select"] = { 5,
      { ["Fn::Split"] = { ":", { Ref = "Plain295EB121" } } } } } } } } } }, r.template.Stack.Outputs.PlainName)
    local aws = iamh.lib.iam.ManagedPolicy.from_aws_managed_policy_name("ReadOnlyAccess")
    assert.equal("arn:${Token[AWS.Partition.", aws.managed_policy_arn:sub(1, 26))
  end)

  it("of another account's stack is named by its generated name", function()
    check("managed_cross_account", function(app, lib)
      local cdk, iam = lib.cdk, lib.iam
      local a = cdk.Stack(app, "Producer", { env = { account = "111111111111", region = "us-east-1" } })
      local m = iam.ManagedPolicy(a, "Policy", { managed_policy_name = cdk.PhysicalName.GENERATE_IF_NEEDED,
        statements = { iam.PolicyStatement { actions = { "sns:*" }, resources = { "*" } } } })
      local b = cdk.Stack(app, "Consumer", { env = { account = "222222222222", region = "us-east-1" } })
      cdk.CfnOutput(b, "Arn", { value = m.managed_policy_arn })
      cdk.CfnOutput(b, "Name", { value = m.managed_policy_name })
    end)
  end)
end)

describe("cdk.iam identity errors", function()
  local function new_stack(app, lib) return lib.cdk.Stack(app, "Stack") end
  local cases = {
    { "err_imported_user_managed", "a managed policy on an imported user", "Cannot add managed policy to imported User",
      function(app, lib)
        lib.iam.User.from_user_name(new_stack(app, lib), "User", "bob")
          :add_managed_policy(lib.iam.ManagedPolicy.from_aws_managed_policy_name("X"))
      end },
    { "err_user_arn_type", "a user ARN of another resource type",
      "Expected resource type 'user' in ARN, got 'role' in 'arn:aws:iam::1:role/x'",
      function(app, lib) lib.iam.User.from_user_arn(new_stack(app, lib), "User", "arn:aws:iam::1:role/x") end },
    { "err_user_arn_name", "a user ARN without a name", "Expected resource name in ARN, didn't find one: 'arn:aws:iam::1:user'",
      function(app, lib) lib.iam.User.from_user_arn(new_stack(app, lib), "User", "arn:aws:iam::1:user") end },
    { "err_group_arn", "a group ARN that is none", 'ARNs must start with "arn:" and have at least 6 components: bad',
      function(app, lib) lib.iam.Group.from_group_arn(new_stack(app, lib), "Group", "bad") end },
    { "err_force_empty", "a forced policy empty and unattached",
      "Validation failed with the following errors:\n"
        .. "  [Stack/Policy] Policy created with force=true is empty. You must add statements to the policy\n"
        .. "  [Stack/Policy] Policy created with force=true must be attached to at least one principal: user, group or role",
      function(app, lib) lib.iam.Policy(new_stack(app, lib), "Policy", { force = true }) end },
    { "err_referenced_empty", "a referenced policy empty and unattached",
      "Validation failed with the following errors:\n"
        .. "  [Stack/Policy] This Policy has been referenced by a resource, so it must contain at least one statement.\n"
        .. "  [Stack/Policy] This Policy has been referenced by a resource, so it must be attached to at least one user, "
        .. "group or role.",
      function(app, lib)
        local stack = new_stack(app, lib)
        lib.cdk.CfnOutput(stack, "Out", { value = lib.iam.Policy(stack, "Policy").policy_name })
      end },
    { "err_referenced_unattached", "a referenced policy unattached",
      "Validation failed with the following errors:\n"
        .. "  [Stack/Policy] This Policy has been referenced by a resource, so it must be attached to at least one user, "
        .. "group or role.",
      function(app, lib)
        local stack = new_stack(app, lib)
        local p = lib.iam.Policy(stack, "Policy", { statements = { lib.iam.PolicyStatement { actions = { "s3:*" },
          resources = { "*" } } } })
        lib.cdk.CfnOutput(stack, "Out", { value = p.policy_name })
      end },
    { "err_second_empty", "an empty policy attached beside another (CDK compared their names)",
      "Validation failed with the following errors:\n"
        .. "  [Stack/P2] This Policy has been referenced by a resource, so it must contain at least one statement.",
      function(app, lib)
        local iam = lib.iam
        local stack = new_stack(app, lib)
        local user = iam.User(stack, "User")
        iam.Policy(stack, "P1", { users = { user }, statements = { iam.PolicyStatement { actions = { "s3:*" }, resources = { "*" } } } })
        iam.Policy(stack, "P2", { users = { user } })
      end },
    { "err_managed_empty", "an empty managed policy",
      "Validation failed with the following errors:\n  [Stack/Policy] Managed Policy is empty. You must add statements to the policy",
      function(app, lib) lib.iam.ManagedPolicy(new_stack(app, lib), "Policy") end },
    { "err_managed_invalid", "a managed policy with an invalid statement",
      "Validation failed with the following errors:\n"
        .. "  [Stack/Policy] A PolicyStatement used in an identity-based policy cannot specify any IAM principals.\n"
        .. "  [Stack/Policy] A PolicyStatement used in an identity-based policy must specify at least one resource.",
      function(app, lib)
        local iam = lib.iam
        iam.ManagedPolicy(new_stack(app, lib), "Policy", { statements = { iam.PolicyStatement { actions = { "s3:*" },
          principals = { iam.AnyPrincipal() } } } })
      end },
    { "err_policy_name_generated", "a policy named PhysicalName.GENERATE_IF_NEEDED (never generated: no name)",
      'Resolution error: Supplied properties not correct for "CfnPolicyProps"\n  policy_name: required but missing.',
      function(app, lib)
        local cdk, iam = lib.cdk, lib.iam
        local stack = new_stack(app, lib)
        iam.Policy(stack, "Policy", { policy_name = cdk.PhysicalName.GENERATE_IF_NEEDED,
          roles = { iam.Role(stack, "Role", { assumed_by = iam.AnyPrincipal() }) },
          statements = { iam.PolicyStatement { actions = { "s3:*" }, resources = { "*" } } } })
      end },
    { "err_generated_name_misused", "PhysicalName.GENERATE_IF_NEEDED where no physical name goes",
      'Resolution error: Resolution error: Resolution error: Invalid physical name passed to CloudFormation. '
        .. 'Use "this.physicalName" instead...',
      function(app, lib)
        lib.iam.Role(new_stack(app, lib), "Role", { assumed_by = lib.iam.AnyPrincipal(),
          description = lib.cdk.PhysicalName.GENERATE_IF_NEEDED })
      end },
  }
  for _, c in ipairs(cases) do
    it("rejects " .. c[2], function()
      local r = check(c[1], c[4])
      assert.equal(c[3], iamh.message(r.error))
    end)
  end

  it("wrong types and unknown props name the argument and field", function()
    local cdk, iam = iamh.lib.cdk, iamh.lib.iam
    local stack = cdk.Stack(cdk.App(), "Stack")
    local function err(f, ...) return iamh.message(select(2, pcall(f, ...))) end
    assert.equal("bad argument #3 to 'User' (unknown property 'name')", err(iam.User, stack, "U", { name = "x" }))
    assert.equal("bad argument #3 to 'User' (field 'groups[1]': Group expected, got string)",
      err(iam.User, stack, "U", { groups = { "devs" } }))
    assert.equal("bad argument #3 to 'Group' (field 'group_name': string expected, got boolean)",
      err(iam.Group, stack, "G", { group_name = true }))
    assert.equal("bad argument #3 to 'Policy' (field 'statements[1]': PolicyStatement expected, got string)",
      err(iam.Policy, stack, "P", { statements = { "s3:*" } }))
    assert.equal("bad argument #3 to 'Policy' (field 'users[1]': Role, User or Group expected, got string)",
      err(iam.Policy, stack, "P2", { users = { "alice" } }))
    assert.equal("bad argument #3 to 'Policy' (field 'force': boolean expected, got string)",
      err(iam.Policy, stack, "P3", { force = "yes" }))
    assert.equal("bad argument #3 to 'ManagedPolicy' (unknown property 'policy_name')",
      err(iam.ManagedPolicy, stack, "M", { policy_name = "x" }))
    assert.equal("bad argument #3 to 'from_user_attributes' (field 'user_arn': required)",
      err(iam.User.from_user_attributes, stack, "I", {}))
    assert.equal("bad argument #1 to 'from_aws_managed_policy_name' (string expected, got no value)",
      err(iam.ManagedPolicy.from_aws_managed_policy_name))
    local user = iam.User(stack, "Alice")
    assert.equal("bad argument #1 to 'add_to_group' (construct expected, got string)", err(user.add_to_group, user, "g"))
  end)
end)
