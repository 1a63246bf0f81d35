-- ECR and IAM: repo:grant, grant_pull, grant_pull_push, add_to_resource_policy (RepositoryPolicyText,
-- validated at synthesis), imported repositories (which drop resource policy statements, as CDK's
-- do), ecr.AuthorizationToken.grant_read and ecr.PublicGalleryAuthorizationToken.grant_read. Each
-- case is checked against what the AWS CDK v1 (1.204.0) wrote for its twin in
-- spec/fixtures/iam/ecr_grants.js.
local iamh = require "support.iam"

local function check(case, fn, opts)
  return iamh.check("ecr_grants", case, fn, opts)
end

local function flags(g)
  return { g.success, g.principal_statement ~= nil, g.resource_statement ~= nil }
end

local PULL = { "ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage" }
local PUSH = { "ecr:PutImage", "ecr:InitiateLayerUpload", "ecr:UploadLayerPart", "ecr:CompleteLayerUpload" }

describe("ECR grants", function()
  it("grant, grant_pull and grant_pull_push write identity policies (the token read once)", function()
    local r = check("grants", function(app, lib)
      local cdk, ecr, iam = lib.cdk, lib.ecr, lib.iam
      local stack = cdk.Stack(app, "Stack")
      local repo = ecr.Repository(stack, "Repo")
      local role = iam.Role(stack, "Role", { assumed_by = iam.ServicePrincipal("codebuild.amazonaws.com") })
      local user = iam.User(stack, "User")
      local group = iam.Group(stack, "Group")
      return {
        flags(repo:grant(role, "ecr:DescribeImages", "ecr:ListImages")),
        flags(repo:grant_pull(user)),
        flags(repo:grant_pull_push(group)),
        flags(repo:grant_pull(role)),
      }
    end)
    local arn = { ["Fn::GetAtt"] = { "Repo02AC86CF", "Arn" } }
    assert.same({
      Statement = {
        { Action = PULL, Effect = "Allow", Resource = arn },
        { Action = "ecr:GetAuthorizationToken", Effect = "Allow", Resource = "*" },
        { Action = PUSH, Effect = "Allow", Resource = arn },
      },
      Version = "2012-10-17",
    }, r.template.Stack.Resources.GroupDefaultPolicy402C318A.Properties.PolicyDocument)
  end)

  it("add_to_resource_policy and grants to principals write RepositoryPolicyText", function()
    local r = check("resource_policy", function(app, lib)
      local cdk, ecr, iam = lib.cdk, lib.ecr, lib.iam
      local stack = cdk.Stack(app, "Stack", { env = { account = "123456789012", region = "us-east-1" } })
      local repo = ecr.Repository(stack, "Repo", { repository_name = "shared" })
      local result = repo:add_to_resource_policy(iam.PolicyStatement { sid = "Mirror", actions = { "ecr:BatchGetImage" },
        principals = { iam.AccountPrincipal("210987654321") } })
      repo:add_to_resource_policy(iam.PolicyStatement { effect = iam.Effect.DENY, actions = { "ecr:DeleteRepository" },
        principals = { iam.AnyPrincipal() } })
      repo:grant_pull(iam.ServicePrincipal("lambda.amazonaws.com"))
      repo:grant_pull_push(iam.AccountPrincipal("210987654321"))
      return { result.statement_added, result.policy_dependable ~= nil }
    end)
    local statements = r.template.Stack.Resources.Repo02AC86CF.Properties.RepositoryPolicyText.Statement
    assert.same({ Action = PULL, Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" } }, statements[3])
    assert.equal(5, #statements)
  end)

  it("on imported repositories: identity statements only, resource statements dropped", function()
    local r = check("imported", function(app, lib)
      local cdk, ecr, iam = lib.cdk, lib.ecr, lib.iam
      local stack = cdk.Stack(app, "Stack", { env = { account = "123456789012", region = "us-east-1" } })
      local role = iam.Role(stack, "Role", { assumed_by = iam.AnyPrincipal() })
      local by_name = ecr.Repository.from_repository_name(stack, "ByName", "base")
      local by_arn = ecr.Repository.from_repository_arn(stack, "ByArn", "arn:aws:ecr:us-west-2:210987654321:repository/other")
      local by_attrs = ecr.Repository.from_repository_attributes(stack, "ByAttrs", {
        repository_name = cdk.Fn.import_value("RepoName"), repository_arn = cdk.Fn.import_value("RepoArn") })
      local out = {}
      for _, repo in ipairs { by_name, by_arn, by_attrs } do
        out[#out + 1] = flags(repo:grant_pull(role))
        out[#out + 1] = flags(repo:grant(iam.ServicePrincipal("lambda.amazonaws.com"), "ecr:ListImages"))
        out[#out + 1] = repo:add_to_resource_policy(iam.PolicyStatement { actions = { "ecr:*" },
          principals = { iam.AnyPrincipal() } }).statement_added
      end
      out[#out + 1] = flags(by_arn:grant_pull_push(iam.Role.from_role_arn(stack, "Other", "arn:aws:iam::210987654321:role/x")))
      return out
    end)
    assert.same({ "Role1ABCC5F0", "RoleDefaultPolicy5FFB7DAB" }, (function()
      local ids = {}
      for id in pairs(r.template.Stack.Resources) do ids[#ids + 1] = id end
      table.sort(ids)
      return ids
    end)())
  end)

  it("AuthorizationToken and PublicGalleryAuthorizationToken grant_read", function()
    local r = check("auth_tokens", function(app, lib)
      local cdk, iam, ecr = lib.cdk, lib.iam, lib.ecr
      local stack = cdk.Stack(app, "Stack")
      local role = iam.Role(stack, "Role", { assumed_by = iam.ServicePrincipal("codebuild.amazonaws.com") })
      ecr.AuthorizationToken.grant_read(role)
      ecr.PublicGalleryAuthorizationToken.grant_read(role)
      ecr.AuthorizationToken.grant_read(role)
      ecr.AuthorizationToken.grant_read(iam.User(stack, "User"))
      ecr.PublicGalleryAuthorizationToken.grant_read(iam.Group(stack, "Group"))
      ecr.AuthorizationToken.grant_read(iam.Role.from_role_arn(stack, "Imported", "arn:aws:iam::123456789012:role/x"))
      ecr.AuthorizationToken.grant_read(iam.ServicePrincipal("lambda.amazonaws.com"))
      ecr.AuthorizationToken.grant_read(iam.PrincipalWithConditions(role, { Bool = { a = "b" } }))
    end)
    assert.same({
      { Action = "ecr:GetAuthorizationToken", Effect = "Allow", Resource = "*" },
      { Action = { "ecr-public:GetAuthorizationToken", "sts:GetServiceBearerToken" }, Effect = "Allow", Resource = "*" },
    }, r.template.Stack.Resources.RoleDefaultPolicy5FFB7DAB.Properties.PolicyDocument.Statement)
  end)

  it("validates the repository policy at synthesis", function()
    local r = check("err_validation", function(app, lib)
      local cdk, ecr, iam = lib.cdk, lib.ecr, lib.iam
      local stack = cdk.Stack(app, "Stack")
      local repo = ecr.Repository(stack, "Repo")
      repo:add_to_resource_policy(iam.PolicyStatement { actions = { "ecr:*" } })
      repo:add_to_resource_policy(iam.PolicyStatement { resources = { "*" } })
    end)
    assert.equal("Validation failed with the following errors:\n"
      .. "  [Stack/Repo] A PolicyStatement used in a resource-based policy must specify at least one IAM principal.\n"
      .. "  [Stack/Repo] A PolicyStatement must specify at least one 'action' or 'not_action'.\n"
      .. "  [Stack/Repo] A PolicyStatement used in a resource-based policy must specify at least one IAM principal.",
      iamh.message(r.error))
  end)

  it("wrong types name the argument", function()
    local cdk, ecr, iam = iamh.lib.cdk, iamh.lib.ecr, iamh.lib.iam
    local stack = cdk.Stack(cdk.App(), "Stack")
    local repo = ecr.Repository(stack, "Repo")
    local function err(f, ...) return iamh.message(select(2, pcall(f, ...))) end
    assert.equal("bad argument #1 to 'grant_pull' (principal (a Role, User, Group or iam principal) expected, got string)",
      err(repo.grant_pull, repo, "arn:aws:iam::1:role/x"))
    assert.equal("bad argument #2 to 'grant' (string expected, got table)", err(repo.grant, repo, iam.AnyPrincipal(), {}))
    assert.equal("bad argument #1 to 'add_to_resource_policy' (PolicyStatement expected, got table)",
      err(repo.add_to_resource_policy, repo, { actions = { "ecr:*" } }))
    assert.equal("bad argument #1 to 'grant_read' (principal (a Role, User, Group or iam principal) expected, got nil)",
      err(ecr.AuthorizationToken.grant_read, nil))
    assert.equal("calling 'grant_pull' on bad self (repository expected, got table)", err(repo.grant_pull, {}, iam.AnyPrincipal()))
  end)
end)
