-- cdk.iam L1 resources (CfnRole, CfnUser, CfnGroup, CfnPolicy, CfnManagedPolicy,
-- CfnUserToGroupAddition) with every property, their attributes and tags, checked against what
-- the AWS CDK v1 (1.204.0) wrote for the twin in spec/fixtures/iam/l1.js.
local iamh = require "support.iam"

describe("cdk.iam L1 resources", function()
  it("write every property in CDK's order", function()
    local r = iamh.check("l1", "all", function(app, lib)
      local cdk, iam = lib.cdk, lib.iam
      local stack = cdk.Stack(app, "Stack")
      local doc = { Version = "2012-10-17", Statement = { { Effect = "Allow", Action = "s3:*", Resource = "*" } } }
      local policy = { policy_name = "inline", policy_document = doc }
      local role = iam.CfnRole(stack, "Role", {
        assume_role_policy_document = { Version = "2012-10-17", Statement = { { Effect = "Allow", Action = "sts:AssumeRole",
          Principal = { Service = "ec2.amazonaws.com" } } } },
        description = "d", managed_policy_arns = { "arn:aws:iam::aws:policy/ReadOnlyAccess" }, max_session_duration = 3600,
        path = "/p/", permissions_boundary = "arn:aws:iam::aws:policy/PowerUserAccess", policies = { policy },
        role_name = "r", tags = { { key = "team", value = "a" } },
      })
      local user = iam.CfnUser(stack, "User", {
        groups = { "g" }, login_profile = { password = "secret", password_reset_required = true },
        managed_policy_arns = { "arn:aws:iam::aws:policy/ReadOnlyAccess" }, path = "/p/", permissions_boundary = "arn:b",
        policies = { policy }, tags = { { key = "team", value = "a" } }, user_name = "u",
      })
      local group = iam.CfnGroup(stack, "Group", { group_name = "g", managed_policy_arns = { "arn:m" }, path = "/p/",
        policies = { policy } })
      iam.CfnPolicy(stack, "Policy", { policy_document = doc, policy_name = "p", groups = { group.ref }, roles = { role.ref },
        users = { user.ref } })
      local mp = iam.CfnManagedPolicy(stack, "Managed", { policy_document = doc, description = "d", groups = { "g" },
        managed_policy_name = "m", path = "/p/", roles = { "r" }, users = { "u" } })
      iam.CfnUserToGroupAddition(stack, "Addition", { group_name = group.ref, users = { user.ref } })
      cdk.CfnOutput(stack, "RoleArn", { value = role.attr_arn })
      cdk.CfnOutput(stack, "RoleId", { value = role.attr_role_id })
      cdk.CfnOutput(stack, "UserArn", { value = user.attr_arn })
      cdk.CfnOutput(stack, "GroupArn", { value = group.attr_arn })
      cdk.CfnOutput(stack, "ManagedRef", { value = mp.ref })
      cdk.Tags.of(stack):add("env", "prod")
    end, { unordered = true })
    assert.same({ { Key = "env", Value = "prod" }, { Key = "team", Value = "a" } }, r.template.Stack.Resources.User.Properties.Tags)
  end)

  it("check required properties, types and names", function()
    local cdk, iam = iamh.lib.cdk, iamh.lib.iam
    local stack = cdk.Stack(cdk.App(), "Stack")
    local function err(f, ...) return iamh.message(select(2, pcall(f, ...))) end
    assert.equal("bad argument #3 to 'CfnUserToGroupAddition' (missing required property 'group_name')",
      err(iam.CfnUserToGroupAddition, stack, "A", { users = { "u" } }))
    assert.equal("bad argument #3 to 'CfnRole' (field 'max_session_duration': number expected, got string)",
      err(iam.CfnRole, stack, "R", { assume_role_policy_document = {}, max_session_duration = "1h" }))
    assert.equal("bad argument #3 to 'CfnPolicy' (unknown property 'rolez')",
      err(iam.CfnPolicy, stack, "P", { policy_document = {}, policy_name = "p", rolez = {} }))
  end)

  it("take a PolicyDocument wherever a value goes, as CDK's IResolvable document", function()
    local r = iamh.check("l1", "documents", function(app, lib)
      local cdk, ecr, iam = lib.cdk, lib.ecr, lib.iam
      local stack = cdk.Stack(app, "Stack")
      local repo = ecr.Repository(stack, "Repo")
      local function pull()
        return iam.PolicyStatement { actions = { "ecr:BatchGetImage" }, principals = { iam.AccountRootPrincipal() } }
      end
      ecr.CfnRepository(stack, "L1", { repository_policy_text = iam.PolicyDocument { statements = { pull(), pull() } } })
      local doc = iam.PolicyDocument { assign_sids = true, statements = {
        iam.PolicyStatement { actions = { "ecr:*" }, resources = { repo.repository_arn } },
        iam.PolicyStatement { actions = { "sqs:*" }, resources = { "*" } } } }
      iam.CfnPolicy(stack, "Policy", { policy_name = "p", policy_document = doc, roles = { "r" } })
      iam.CfnRole(stack, "Role", { assume_role_policy_document = iam.PolicyDocument { statements = {
        iam.PolicyStatement { actions = { "sts:AssumeRole" }, principals = { iam.ServicePrincipal("ec2.amazonaws.com") } } } } })
      iam.CfnManagedPolicy(stack, "Empty", { policy_document = { Statement = { iam.PolicyDocument() } } })
      return stack:resolve(doc)
    end)
    assert.equal("0", r.value.Statement[1].Sid)
    local e = iamh.check("l1", "err_document_empty", function(app, lib)
      lib.iam.CfnPolicy(lib.cdk.Stack(app, "Stack"), "Policy", { policy_name = "p", policy_document = lib.iam.PolicyDocument() })
    end)
    assert.equal('Resolution error: Supplied properties not correct for "CfnPolicyProps"\n'
      .. "  policy_document: required but missing.", iamh.message(e.error))
  end)

  it("reject at synthesis a required property whose token resolves to nothing, as CDK's props validator does", function()
    local r = iamh.check("l1", "err_required_lazy", function(app, lib)
      local cdk, iam = lib.cdk, lib.iam
      local stack = cdk.Stack(app, "Stack")
      iam.CfnUserToGroupAddition(stack, "Addition", { group_name = cdk.Lazy.string { produce = function() return nil end },
        users = cdk.Lazy.list { produce = function() return nil end } })
    end)
    assert.equal('Resolution error: Supplied properties not correct for "CfnUserToGroupAdditionProps"\n'
      .. "  group_name: required but missing\n  users: required but missing.", iamh.message(r.error))
    -- an override does not count: CDK validates the properties before merging overrides
    r = iamh.check("l1", "err_required_lazy_overridden", function(app, lib)
      local cdk, iam = lib.cdk, lib.iam
      local p = iam.CfnPolicy(cdk.Stack(app, "Stack"), "Policy", { policy_document = {},
        policy_name = cdk.Lazy.string { produce = function() return nil end } })
      p:add_property_override("PolicyName", "p")
    end)
    assert.equal('Resolution error: Supplied properties not correct for "CfnPolicyProps"\n'
      .. "  policy_name: required but missing.", iamh.message(r.error))
  end)
end)
