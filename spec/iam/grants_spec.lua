-- cdk.iam Grant and where a grant puts its statements: the grantee's identity policy when it has
-- one and shares the resource's account (Token.compareStrings: equal, or both unknown), the
-- resource's policy otherwise, both for add_to_principal_and_resource; stacks of one account,
-- environment-agnostic stacks, other accounts with generated names, principals without a policy,
-- imported identities, resources written in Lua, and the errors. Each case is checked against
-- what the AWS CDK v1 (1.204.0) wrote for its twin in spec/fixtures/iam/grants.js.
local iamh = require "support.iam"

local function check(case, fn, opts)
  return iamh.check("grants", case, fn, opts)
end

-- { success, has principal_statement, has resource_statement }
local function flags(g)
  return { g.success, g.principal_statement ~= nil, g.resource_statement ~= nil }
end

describe("cdk.iam Grant", function()
  it("add_to_principal, add_to_principal_or_resource, add_to_principal_and_resource and drop", function()
    check("api", function(app, lib)
      local cdk, ecr, iam, kms = lib.cdk, lib.ecr, lib.iam, lib.kms
      local stack = cdk.Stack(app, "Stack", { env = { account = "111111111111", region = "us-east-1" } })
      local repo = ecr.Repository(stack, "Repo")
      local role = iam.Role(stack, "Role", { assumed_by = iam.ServicePrincipal("lambda.amazonaws.com") })
      local grants = {
        iam.Grant.add_to_principal_or_resource { grantee = role, actions = { "ecr:ListImages" },
          resource_arns = { repo.repository_arn }, resource = repo },
        iam.Grant.add_to_principal_or_resource { grantee = iam.AccountPrincipal("222222222222"),
          actions = { "ecr:ListImages", "ecr:DescribeImages" }, resource_arns = { repo.repository_arn },
          resource_self_arns = { "*" }, resource = repo },
        iam.Grant.add_to_principal_and_resource { grantee = role, actions = { "ecr:PutImage" },
          resource_arns = { repo.repository_arn }, resource = repo },
        iam.Grant.add_to_principal_and_resource { grantee = role, actions = { "ecr:TagResource" },
          resource_arns = { repo.repository_arn }, resource_self_arns = { "*" },
          resource_policy_principal = iam.AccountRootPrincipal(), resource = repo },
        iam.Grant.add_to_principal { grantee = role, actions = { "s3:GetObject" }, resource_arns = { "arn:aws:s3:::b/*" },
          scope = stack },
        iam.Grant.add_to_principal { grantee = iam.ServicePrincipal("sns.amazonaws.com"), actions = { "s3:GetObject" },
          resource_arns = { "*" } },
        iam.Grant.drop(role, "nothing"),
      }
      local key = kms.Key(stack, "Key")
      grants[#grants + 1] = iam.Grant.add_to_principal_or_resource { grantee = iam.ArnPrincipal("arn:aws:iam::333333333333:role/x"),
        actions = { "kms:Decrypt" }, resource_arns = { key.key_arn }, resource = key }
      grants[1]:assert_success()
      local out = {}
      for i, g in ipairs(grants) do out[i] = flags(g) end
      return out
    end)
  end)

  it("takes any value with env.account and add_to_resource_policy as the resource", function()
    check("custom_resource", function(app, lib)
      local cdk, iam = lib.cdk, lib.iam
      local stack = cdk.Stack(app, "Stack", { env = { account = "111111111111", region = "us-east-1" } })
      local seen = {}
      local resource = {
        env = { account = "111111111111", region = "us-east-1" },
        stack = stack,
        add_to_resource_policy = function(self, statement)
          seen[#seen + 1] = stack:resolve(statement:to_statement_json())
          return { statement_added = true }
        end,
      }
      local role = iam.Role(stack, "Role", { assumed_by = iam.AnyPrincipal() })
      local g1 = iam.Grant.add_to_principal_or_resource { grantee = role, actions = { "x:Read" }, resource_arns = { "arn:x" },
        resource = resource }
      local g2 = iam.Grant.add_to_principal_or_resource { grantee = iam.ArnPrincipal("arn:aws:iam::2:root"),
        actions = { "x:Read" }, resource_arns = { "arn:x" }, resource = resource }
      local g3 = iam.Grant.add_to_principal_and_resource { grantee = role, actions = { "x:Write" }, resource_arns = { "arn:x" },
        resource = resource }
      return { seen, flags(g1), flags(g2), flags(g3) }
    end)
  end)

  it("between stacks of one account writes the identity policy only, importing the ARN", function()
    local r = check("same_account_stacks", function(app, lib)
      local cdk, ecr, iam = lib.cdk, lib.ecr, lib.iam
      local env = { account = "111111111111", region = "us-east-1" }
      local repos = cdk.Stack(app, "Repos", { env = env })
      local repo = ecr.Repository(repos, "Repo")
      local service = cdk.Stack(app, "Service", { env = env })
      local role = iam.Role(service, "Role", { assumed_by = iam.ServicePrincipal("ecs-tasks.amazonaws.com") })
      return flags(repo:grant_pull(role))
    end)
    assert.same({ ["Fn::ImportValue"] = "Repos:ExportsOutputFnGetAttRepo02AC86CFArn39FFAA30" },
      r.template.Service.Resources.RoleDefaultPolicy5FFB7DAB.Properties.PolicyDocument.Statement[1].Resource)
  end)

  it("between environment-agnostic stacks takes their accounts to be one", function()
    check("agnostic_stacks", function(app, lib)
      local cdk, ecr, iam = lib.cdk, lib.ecr, lib.iam
      local repos = cdk.Stack(app, "Repos")
      local repo = ecr.Repository(repos, "Repo")
      local service = cdk.Stack(app, "Service")
      local role = iam.Role(service, "Role", { assumed_by = iam.ServicePrincipal("ecs-tasks.amazonaws.com") })
      return flags(repo:grant_pull(role))
    end)
  end)

  it("with one account unknown writes both policies", function()
    check("one_agnostic", function(app, lib)
      local cdk, ecr, iam = lib.cdk, lib.ecr, lib.iam
      local repos = cdk.Stack(app, "Repos", { env = { account = "111111111111", region = "us-east-1" } })
      local repo = ecr.Repository(repos, "Repo", { repository_name = "shared" })
      local service = cdk.Stack(app, "Service", { env = { region = "us-east-1" } })
      local role = iam.Role(service, "Role", { assumed_by = iam.ServicePrincipal("ecs-tasks.amazonaws.com"),
        role_name = "service-role" })
      return flags(repo:grant_pull(role))
    end)
  end)

  it("across accounts writes both policies, naming generated physical names", function()
    local r = check("cross_account", function(app, lib)
      local cdk, ecr, iam = lib.cdk, lib.ecr, lib.iam
      local repos = cdk.Stack(app, "Repos", { env = { account = "111111111111", region = "us-east-1" } })
      local repo = ecr.Repository(repos, "Repo", { repository_name = cdk.PhysicalName.GENERATE_IF_NEEDED })
      local consumer = cdk.Stack(app, "Consumer", { env = { account = "222222222222", region = "us-east-1" } })
      local role = iam.Role(consumer, "Role", { assumed_by = iam.ServicePrincipal("ecs-tasks.amazonaws.com"),
        role_name = cdk.PhysicalName.GENERATE_IF_NEEDED })
      local user = iam.User(consumer, "User", { user_name = "ci" })
      return { flags(repo:grant_pull_push(role)), flags(repo:grant(user, "ecr:DescribeImages")) }
    end)
    assert.same({ "consumerconsumerrolec0875eea6a587ab1d8b8" }, {
      r.template.Consumer.Resources.Role1ABCC5F0.Properties.RoleName })
  end)

  it("to principals without a policy of their own writes the resource policy", function()
    check("principals", function(app, lib)
      local cdk, ecr, iam = lib.cdk, lib.ecr, lib.iam
      local stack = cdk.Stack(app, "Stack", { env = { account = "111111111111", region = "us-east-1" } })
      local repo = ecr.Repository(stack, "Repo")
      local role = iam.Role(stack, "Role", { assumed_by = iam.AnyPrincipal() })
      return {
        flags(repo:grant_pull(iam.PrincipalWithConditions(role, { StringEquals = { ["aws:x"] = "y" } }))),
        flags(repo:grant_pull(iam.CompositePrincipal(iam.ArnPrincipal("arn:aws:iam::333333333333:root"),
          iam.AccountPrincipal("444444444444")))),
        flags(repo:grant(iam.OrganizationPrincipal("o-xyz"), "ecr:BatchGetImage")),
        flags(repo:grant(iam.AnyPrincipal(), "ecr:BatchGetImage")),
        flags(repo:grant(iam.AccountPrincipal("111111111111"), "ecr:ListImages")),
        flags(repo:grant(iam.ServicePrincipal("lambda.amazonaws.com"), "ecr:ListImages")),
      }
    end)
  end)

  it("to imported identities: a Policy under this account's roles, resource policies for others", function()
    check("imported_identities", function(app, lib)
      local cdk, ecr, iam = lib.cdk, lib.ecr, lib.iam
      local stack = cdk.Stack(app, "Stack", { env = { account = "111111111111", region = "us-east-1" } })
      local repo = ecr.Repository(stack, "Repo")
      return {
        flags(repo:grant_pull(iam.Role.from_role_arn(stack, "Same", "arn:aws:iam::111111111111:role/same"))),
        flags(repo:grant_pull(iam.Role.from_role_arn(stack, "Other", "arn:aws:iam::999999999999:role/other"))),
        flags(repo:grant_pull(iam.User.from_user_name(stack, "User", "bob"))),
        flags(repo:grant_pull(iam.Group.from_group_arn(stack, "Group", "arn:aws:iam::111111111111:group/g"))),
      }
    end)
  end)

  it("succeeds with a resource statement even when the resource drops it", function()
    check("dropped_resource_statement", function(app, lib)
      local cdk, ecr, iam = lib.cdk, lib.ecr, lib.iam
      local repo = ecr.Repository.from_repository_name(cdk.Stack(app, "Stack"), "Repo", "r")
      local g = repo:grant_pull(iam.ServicePrincipal("lambda.amazonaws.com"))
      g:assert_success()
      return flags(g)
    end)
  end)

  it("apply_before makes constructs depend on the policies holding the grant's statements", function()
    local r = check("apply_before", function(app, lib)
      local cdk, ecr, iam = lib.cdk, lib.ecr, lib.iam
      local stack = cdk.Stack(app, "Stack", { env = { account = "111111111111", region = "us-east-1" } })
      local function waiter(id) return cdk.CfnResource(stack, id, { type = "Custom::Waiter" }) end
      local role = iam.Role(stack, "Role", { assumed_by = iam.AnyPrincipal() })
      local repo = ecr.Repository(stack, "Repo")
      repo:grant_pull(role):apply_before(waiter("AfterRole"))
      local user = iam.User(stack, "User")
      repo:grant_pull(user):apply_before(waiter("AfterUser"), waiter("AfterUserToo"))
      repo:grant_pull(iam.AccountPrincipal("222222222222")):apply_before(waiter("AfterResource"))
      repo:grant_pull(iam.Role.from_role_arn(stack, "Fixed", "arn:aws:iam::111111111111:role/f", { mutable = false }))
        :apply_before(waiter("AfterImmutable"))
      local resource = { env = { account = "111111111111", region = "us-east-1" }, stack = stack,
        add_to_resource_policy = function() return { statement_added = true, policy_dependable = user } end }
      iam.Grant.add_to_principal_or_resource { grantee = iam.AccountPrincipal("333333333333"), actions = { "x:Y" },
        resource_arns = { "arn:x" }, resource = resource }:apply_before(waiter("AfterCustom"))
      local big = iam.Role(stack, "Big", { assumed_by = iam.AnyPrincipal() })
      local last
      for i = 0, 79 do last = ecr.Repository.from_repository_name(stack, "R" .. i, "r-" .. i):grant(big, "ecr:ListImages") end
      last:apply_before(waiter("AfterOverflow"))
      local other = cdk.Stack(app, "Other", { env = { account = "111111111111", region = "us-east-1" } })
      repo:grant(role, "ecr:DescribeImages"):apply_before(cdk.CfnResource(other, "Elsewhere", { type = "Custom::Waiter" }))
    end)
    assert.same({ "BigOverflowPolicy297502907" }, r.template.Stack.Resources.AfterOverflow.DependsOn)
  end)

  describe("errors", function()
    it("assert_success names the grantee, actions and resources", function()
      local r = check("err_assert_success_list", function(app, lib)
        local iam = lib.iam
        iam.Grant.add_to_principal { grantee = iam.AccountPrincipal("123"), actions = { "s3:A", "s3:B" },
          resource_arns = { "arn:1", "arn:2" } }:assert_success()
      end)
      assert.equal("Permissions for 'AccountPrincipal(123)' to call 's3:A,s3:B' on 'arn:1,arn:2' could not be added on "
        .. "either identity or resource policy.", iamh.message(r.error))
    end)

    it("a group of another account cannot be named in a resource policy", function()
      local r = check("err_group_cross_account", function(app, lib)
        local cdk, ecr, iam = lib.cdk, lib.ecr, lib.iam
        local other = cdk.Stack(app, "Other", { env = { account = "2", region = "us-east-1" } })
        local stack = cdk.Stack(app, "Stack", { env = { account = "1", region = "us-east-1" } })
        ecr.Repository(stack, "Repo"):grant_pull(iam.Group(other, "Group", { group_name = "g" }))
      end)
      assert.equal("Cannot use an IAM Group as the 'Principal' or 'NotPrincipal' in an IAM Policy", iamh.message(r.error))
    end)

    it("grants check their actions", function()
      local r = check("err_grant_action", function(app, lib)
        lib.ecr.Repository(lib.cdk.Stack(app, "Stack"), "Repo"):grant(lib.iam.AnyPrincipal(), "ecr:Describe Images")
      end)
      assert.equal("Action 'ecr:Describe Images' is invalid. An action string consists of a service namespace, a colon, "
        .. "and the name of an action. Action names can include wildcards.", iamh.message(r.error))
      check("err_grant_action_principal", function(app, lib)
        local iam = lib.iam
        iam.Grant.add_to_principal { grantee = iam.AnyPrincipal(), actions = { "x" }, resource_arns = { "*" } }
      end)
    end)

    it("wrong types and missing fields name the argument and field", function()
      local cdk, ecr, iam = iamh.lib.cdk, iamh.lib.ecr, iamh.lib.iam
      local stack = cdk.Stack(cdk.App(), "Stack")
      local repo = ecr.Repository(stack, "Repo")
      local function err(f, ...) return iamh.message(select(2, pcall(f, ...))) end
      assert.equal("bad argument #1 to 'add_to_principal' (table expected, got string)", err(iam.Grant.add_to_principal, "x"))
      assert.equal("bad argument #1 to 'add_to_principal' (field 'grantee': principal expected, got nil)",
        err(iam.Grant.add_to_principal, { actions = { "a:b" }, resource_arns = { "*" } }))
      assert.equal("bad argument #1 to 'add_to_principal' (field 'actions': list of strings expected, got nil)",
        err(iam.Grant.add_to_principal, { grantee = iam.AnyPrincipal(), resource_arns = { "*" } }))
      assert.equal("bad argument #1 to 'add_to_principal' (field 'resource_arns[1]': string expected, got number)",
        err(iam.Grant.add_to_principal, { grantee = iam.AnyPrincipal(), actions = { "a:b" }, resource_arns = { 1 } }))
      assert.equal("bad argument #1 to 'add_to_principal' (unknown property 'resource')",
        err(iam.Grant.add_to_principal, { grantee = iam.AnyPrincipal(), actions = { "a:b" }, resource_arns = { "*" },
          resource = repo }))
      assert.equal("bad argument #1 to 'add_to_principal_or_resource' (field 'resource': resource expected, got nil)",
        err(iam.Grant.add_to_principal_or_resource, { grantee = iam.AnyPrincipal(), actions = { "a:b" },
          resource_arns = { "*" } }))
      assert.equal("bad argument #1 to 'add_to_principal_or_resource' (field 'resource': resource with env and "
        .. "add_to_resource_policy (an ecr.Repository, a kms.Key, ...) expected, got table)",
        err(iam.Grant.add_to_principal_or_resource, { grantee = iam.AnyPrincipal(), actions = { "a:b" },
          resource_arns = { "*" }, resource = {} }))
      assert.equal("bad argument #2 to 'drop' (string expected, got no value)", err(iam.Grant.drop, iam.AnyPrincipal()))
      local g = iam.Grant.drop(iam.AnyPrincipal(), "x")
      assert.is_false(g.success)
      assert.equal("Permissions for 'AnyPrincipal()' to call '' on '' could not be added on either identity or resource "
        .. "policy.", err(g.assert_success, g))
      assert.equal("calling 'assert_success' on bad self (Grant expected, got table)", err(g.assert_success, {}))
    end)

    it("an error in a Lua resource's add_to_resource_policy reaches the caller", function()
      local cdk, iam = iamh.lib.cdk, iamh.lib.iam
      local stack = cdk.Stack(cdk.App(), "Stack")
      local resource = { env = { account = "1" }, add_to_resource_policy = function() error("no room", 0) end }
      local ok, e = pcall(iam.Grant.add_to_principal_or_resource, { grantee = iam.AnyPrincipal(), actions = { "a:b" },
        resource_arns = { "*" }, resource = resource, scope = stack })
      assert.is_false(ok)
      assert.equal("no room", iamh.message(e))
    end)
  end)
end)
