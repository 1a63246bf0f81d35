-- A role's DefaultPolicy outgrowing IAM's inline size limit: CDK's size estimate moves statements
-- into OverflowPolicy<n> managed policies, warns past 10 and 20 managed policies, honours
-- @aws-cdk/aws-iam.arnSizeEstimate and merges first under minimizePolicies. Each template is
-- compared byte for byte with what the AWS CDK v1 (1.204.0) wrote for its twin in
-- spec/fixtures/iam/overflow.js.
local iamh = require "support.iam"

local function check(case, fn, opts)
  return iamh.check("overflow", case, fn, opts)
end

local function count(template, type)
  local n = 0
  for _, r in pairs(template.Resources) do
    if r.Type == type then n = n + 1 end
  end
  return n
end

describe("overflow policies", function()
  it("a role granted pull on 100 repositories: the whole template as CDK writes it", function()
    local r = check("repositories", function(app, lib)
      local cdk, ecr, iam = lib.cdk, lib.ecr, lib.iam
      local stack = cdk.Stack(app, "Stack")
      local role = iam.Role(stack, "Role", { assumed_by = iam.ServicePrincipal("codebuild.amazonaws.com") })
      for i = 0, 99 do ecr.Repository(stack, "Repo" .. i):grant_pull(role) end
      role:add_to_policy(iam.PolicyStatement { actions = { "s3:GetObject" }, resources = { "arn:aws:s3:::bucket/*" } })
      cdk.CfnOutput(stack, "Arn", { value = role.role_arn })
    end)
    local t = r.template.Stack
    assert.equal(5, count(t, "AWS::IAM::ManagedPolicy"))
    assert.equal("Part of the policies for Stack/Role", t.Resources.RoleOverflowPolicy1BE1613CC.Properties.Description)
    assert.same({ { Ref = "Role1ABCC5F0" } }, t.Resources.RoleOverflowPolicy1BE1613CC.Properties.Roles)
  end)

  it("warns past 10 and past 20 managed policies; a user's policy never splits", function()
    local r = check("warnings", function(app, lib)
      local cdk, ecr, iam = lib.cdk, lib.ecr, lib.iam
      local stack = cdk.Stack(app, "Stack", { env = { account = "123456789012", region = "eu-west-1" } })
      local large = iam.Role(stack, "Large", { assumed_by = iam.AnyPrincipal(),
        managed_policies = { iam.ManagedPolicy.from_aws_managed_policy_name("ReadOnlyAccess") } })
      local names = { "A", "B", "C", "D", "E", "F", "G", "H" }
      local managed = {}
      for i, n in ipairs(names) do managed[i] = iam.ManagedPolicy.from_aws_managed_policy_name(n) end
      local too_large = iam.Role(stack, "TooLarge", { assumed_by = iam.AnyPrincipal(), managed_policies = managed })
      local user = iam.User(stack, "User")
      for i = 0, 259 do
        local repo = ecr.Repository.from_repository_name(stack, "Repo" .. i, "repo-" .. i)
        if i < 180 then repo:grant_pull(large) end
        repo:grant_pull(too_large)
        if i < 100 then repo:grant_pull(user) end
      end
    end)
    assert.same({
      "/Stack/Large: Policy large: 11 exceeds 10 managed policies attached to a Role, this requires a quota increase",
      "/Stack/TooLarge: Policy too large: 22 exceeds the maximum of 20 managed policies attached to a Role",
    }, r.warnings)
  end)

  it("@aws-cdk/aws-iam.arnSizeEstimate changes the estimate", function()
    check("arn_estimate", function(app, lib)
      local cdk, ecr, iam = lib.cdk, lib.ecr, lib.iam
      local stack = cdk.Stack(app, "Stack")
      stack.node:set_context("@aws-cdk/aws-iam.arnSizeEstimate", 60)
      local role = iam.Role(stack, "Role", { assumed_by = iam.AnyPrincipal() })
      for i = 0, 149 do ecr.Repository.from_repository_name(stack, "Repo" .. i, "repo-" .. i):grant_pull(role) end
    end)
  end)

  it("a null @aws-cdk/aws-iam.arnSizeEstimate is the default estimate", function()
    local r = check("arn_estimate_null", function(app, lib)
      local cdk, ecr, iam = lib.cdk, lib.ecr, lib.iam
      local stack = cdk.Stack(app, "Stack")
      stack.node:set_context("@aws-cdk/aws-iam.arnSizeEstimate", cdk.null)
      local role = iam.Role(stack, "Role", { assumed_by = iam.AnyPrincipal() })
      for i = 0, 149 do ecr.Repository.from_repository_name(stack, "Repo" .. i, "repo-" .. i):grant_pull(role) end
    end)
    assert.equal(8, count(r.template.Stack, "AWS::IAM::ManagedPolicy"))
  end)

  it("under minimizePolicies, statements merge before the split", function()
    local r = check("minimized", function(app, lib)
      local cdk, ecr, iam = lib.cdk, lib.ecr, lib.iam
      local stack = cdk.Stack(app, "Stack")
      stack.node:set_context("@aws-cdk/aws-iam:minimizePolicies", true)
      local role = iam.Role(stack, "Role", { assumed_by = iam.AnyPrincipal() })
      for i = 0, 249 do ecr.Repository.from_repository_name(stack, "Repo" .. i, "repo-" .. i):grant_pull(role) end
    end)
    assert.equal(6, count(r.template.Stack, "AWS::IAM::ManagedPolicy"))
  end)
end)
