-- cdk.iam principals: every kind as a policy renders it, ServicePrincipal's region-aware names
-- (env stacks of every partition, environment-agnostic stacks, the region option), composite,
-- conditioned and session-tag principals, and their errors. Each case is checked against what the
-- AWS CDK v1 (1.204.0) wrote for its twin in spec/fixtures/iam/principals.js.
local iamh = require "support.iam"

local function check(case, fn, opts)
  return iamh.check("principals", case, fn, opts)
end

local function statement(iam, ...)
  return iam.PolicyStatement { actions = { "ecr:BatchGetImage" }, principals = { ... } }
end

-- The Principal (and Condition) of each statement of the repository's policy.
local function principals_of(template, logical_id)
  local out = {}
  local policy = template.Resources[logical_id or "Repo02AC86CF"].Properties.RepositoryPolicyText
  for _, s in ipairs(policy.Statement) do
    out[#out + 1] = s.Condition and { Principal = s.Principal, Condition = s.Condition } or s.Principal
  end
  return out
end

local function root(account)
  if account then
    return { ["Fn::Join"] = { "", { "arn:", { Ref = "AWS::Partition" }, ":iam::" .. account .. ":root" } } }
  end
  return { ["Fn::Join"] = { "", { "arn:", { Ref = "AWS::Partition" }, ":iam::", { Ref = "AWS::AccountId" }, ":root" } } }
end

describe("cdk.iam principals", function()
  it("render each kind as CDK does (identical statements are written once)", function()
    local r = check("kinds", function(app, lib)
      local cdk, ecr, iam = lib.cdk, lib.ecr, lib.iam
      local stack = cdk.Stack(app, "Stack")
      local repo = ecr.Repository(stack, "Repo")
      for _, p in ipairs {
        iam.AccountPrincipal("111122223333"),
        iam.AccountRootPrincipal(),
        iam.ArnPrincipal("arn:aws:iam::111122223333:role/builder"),
        iam.AnyPrincipal(),
        iam.Anyone(),
        iam.StarPrincipal(),
        iam.OrganizationPrincipal("o-1234567"),
        iam.FederatedPrincipal("cognito-identity.amazonaws.com",
          { StringEquals = { ["cognito-identity.amazonaws.com:aud"] = "us-east-1:1234" } }, "sts:AssumeRoleWithWebIdentity"),
        iam.FederatedPrincipal("arn:aws:iam::111122223333:saml-provider/corp"),
        iam.WebIdentityPrincipal("accounts.google.com"),
        iam.CanonicalUserPrincipal("79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"),
        iam.ServicePrincipal("lambda.amazonaws.com"),
        iam.ServicePrincipal("sns.amazonaws.com", { conditions = { ArnLike = { ["aws:SourceArn"] = "arn:aws:sns:us-east-1:1:t" } } }),
      } do
        repo:add_to_resource_policy(statement(iam, p))
      end
    end)
    assert.same({
      { AWS = root("111122223333") },
      { AWS = root() },
      { AWS = "arn:aws:iam::111122223333:role/builder" },
      { AWS = "*" },
      "*",
      { Principal = { AWS = "*" }, Condition = { StringEquals = { ["aws:PrincipalOrgID"] = "o-1234567" } } },
      {
        Principal = { Federated = "cognito-identity.amazonaws.com" },
        Condition = { StringEquals = { ["cognito-identity.amazonaws.com:aud"] = "us-east-1:1234" } },
      },
      { Federated = "arn:aws:iam::111122223333:saml-provider/corp" },
      { Federated = "accounts.google.com" },
      { CanonicalUser = "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be" },
      { Service = "lambda.amazonaws.com" },
      {
        Principal = { Service = "sns.amazonaws.com" },
        Condition = { ArnLike = { ["aws:SourceArn"] = "arn:aws:sns:us-east-1:1:t" } },
      },
    }, principals_of(r.template.Stack))
  end)

  it("AccountPrincipal and AccountRootPrincipal take the consuming stack's account", function()
    local r = check("partitions", function(app, lib)
      local cdk, ecr, iam = lib.cdk, lib.ecr, lib.iam
      for _, e in ipairs { { "Cn", "cn-north-1" }, { "Gov", "us-gov-west-1" } } do
        local stack = cdk.Stack(app, e[1], { env = { account = "123456789012", region = e[2] } })
        local repo = ecr.Repository(stack, "Repo")
        repo:add_to_resource_policy(statement(iam, iam.AccountPrincipal("111122223333"), iam.AccountRootPrincipal()))
      end
    end)
    assert.same({ { AWS = { root("111122223333"), root("123456789012") } } }, principals_of(r.template.Cn))
  end)

  describe("ServicePrincipal", function()
    local services = { "ec2.amazonaws.com", "states.amazonaws.com", "logs.amazonaws.com", "ssm.amazonaws.com",
      "codedeploy.amazonaws.com", "elasticmapreduce.amazonaws.com", "cloudhsm.amazonaws.com", "dms.amazonaws.com",
      "lambda.amazonaws.com", "ec2.amazonaws.com.cn", "custom.example.com" }

    it("names the service as each region of each partition knows it", function()
      local r = check("service_regions", function(app, lib)
        local cdk, ecr, iam = lib.cdk, lib.ecr, lib.iam
        for _, e in ipairs { { "UsEast1", "us-east-1" }, { "Cn", "cn-north-1" }, { "CnNw", "cn-northwest-1" },
          { "Iso", "us-iso-east-1" }, { "IsoB", "us-isob-east-1" }, { "Gov", "us-gov-west-1" },
          { "ApSe3", "ap-southeast-3" }, { "Unknown", "xx-future-1" } } do
          local stack = cdk.Stack(app, e[1], { env = { account = "123456789012", region = e[2] } })
          local repo = ecr.Repository(stack, "Repo")
          for _, s in ipairs(services) do repo:add_to_resource_policy(statement(iam, iam.ServicePrincipal(s))) end
        end
      end)
      local function names(stack)
        local out = {}
        for _, p in ipairs(principals_of(r.template[stack])) do out[#out + 1] = p.Service end
        return out
      end
      local suffix = function(s) return { ["Fn::Join"] = { "", { s .. ".", { Ref = "AWS::URLSuffix" } } } } end
      assert.same({ "ec2.amazonaws.com", "states.us-east-1.amazonaws.com", "logs.us-east-1.amazonaws.com",
        "ssm.amazonaws.com", "codedeploy.us-east-1.amazonaws.com", "elasticmapreduce.amazonaws.com",
        "cloudhsm.amazonaws.com", "dms.amazonaws.com", "lambda.amazonaws.com", "custom.example.com" }, names("UsEast1"))
      assert.same({ "ec2.amazonaws.com.cn", "states.cn-north-1.amazonaws.com", "logs.cn-north-1.amazonaws.com.cn",
        "ssm.amazonaws.com", "codedeploy.cn-north-1.amazonaws.com.cn", suffix("elasticmapreduce"),
        "cloudhsm.amazonaws.com", "dms.amazonaws.com", "lambda.amazonaws.com", "custom.example.com" }, names("Cn"))
      assert.same({ "ec2.c2s.ic.gov", "states.amazonaws.com", "logs.us-iso-east-1.c2s.ic.gov", "ssm.amazonaws.com",
        "codedeploy.amazonaws.com", "elasticmapreduce.amazonaws.com", suffix("cloudhsm"), "dms.amazonaws.com",
        "lambda.amazonaws.com", "custom.example.com" }, names("Iso"))
      assert.same({ "ec2.sc2s.sgov.gov", "states.amazonaws.com", "logs.us-isob-east-1.sc2s.sgov.gov",
        "ssm.amazonaws.com", "codedeploy.amazonaws.com", "elasticmapreduce.amazonaws.com", "cloudhsm.amazonaws.com",
        suffix("dms"), "lambda.amazonaws.com", "custom.example.com" }, names("IsoB"))
    end)

    it("is a pattern or a Service-principal mapping in an environment-agnostic stack", function()
      local r = check("service_agnostic", function(app, lib)
        local cdk, ecr, iam = lib.cdk, lib.ecr, lib.iam
        local stack = cdk.Stack(app, "Stack")
        local repo = ecr.Repository(stack, "Repo")
        for _, s in ipairs { "ec2.amazonaws.com", "logs.amazonaws.com", "states.amazonaws.com", "codedeploy.amazonaws.com",
          "lambda.amazonaws.com" } do
          repo:add_to_resource_policy(statement(iam, iam.ServicePrincipal(s)))
        end
      end)
      assert.same({
        { Service = { ["Fn::Join"] = { "", { "ec2.", { Ref = "AWS::URLSuffix" } } } } },
        { Service = { ["Fn::Join"] = { "", { "logs.", { Ref = "AWS::Region" }, ".", { Ref = "AWS::URLSuffix" } } } } },
        { Service = { ["Fn::FindInMap"] = { "ServiceprincipalMap", { Ref = "AWS::Region" }, "states" } } },
        { Service = { ["Fn::FindInMap"] = { "ServiceprincipalMap", { Ref = "AWS::Region" }, "codedeploy" } } },
        { Service = "lambda.amazonaws.com" },
      }, principals_of(r.template.Stack))
      assert.same({ states = "states.cn-north-1.amazonaws.com", codedeploy = "codedeploy.cn-north-1.amazonaws.com.cn" },
        r.template.Stack.Mappings.ServiceprincipalMap["cn-north-1"])
    end)

    it("maps only the regions of @aws-cdk/core:target-partitions", function()
      local r = check("service_target_partitions", function(app, lib)
        local cdk, ecr, iam = lib.cdk, lib.ecr, lib.iam
        local stack = cdk.Stack(app, "Stack")
        stack.node:set_context("@aws-cdk/core:target-partitions", { "aws-cn" })
        local repo = ecr.Repository(stack, "Repo")
        for _, s in ipairs { "states.amazonaws.com", "logs.amazonaws.com" } do
          repo:add_to_resource_policy(statement(iam, iam.ServicePrincipal(s)))
        end
      end)
      assert.same({
        { Service = { ["Fn::Join"] = { "", { "states.", { Ref = "AWS::Region" }, ".amazonaws.com" } } } },
        { Service = { ["Fn::Join"] = { "", { "logs.", { Ref = "AWS::Region" }, ".amazonaws.com.cn" } } } },
      }, principals_of(r.template.Stack))
    end)

    it("keeps no region for an empty @aws-cdk/core:target-partitions, and refuses a value that is no list", function()
      local r = check("service_target_partitions_empty", function(app, lib)
        local cdk, ecr, iam = lib.cdk, lib.ecr, lib.iam
        local stack = cdk.Stack(app, "Stack")
        stack.node:set_context("@aws-cdk/core:target-partitions", cdk.empty_array)
        local repo = ecr.Repository(stack, "Repo")
        repo:add_to_resource_policy(statement(iam, iam.ServicePrincipal("states.amazonaws.com")))
      end)
      assert.is_nil(r.template.Stack.Mappings)
      r = check("err_target_partitions_string", function(app, lib)
        local cdk, ecr, iam = lib.cdk, lib.ecr, lib.iam
        local stack = cdk.Stack(app, "Stack")
        stack.node:set_context("@aws-cdk/core:target-partitions", "aws")
        local repo = ecr.Repository(stack, "Repo")
        repo:add_to_resource_policy(statement(iam, iam.ServicePrincipal("states.amazonaws.com")))
      end)
      assert.matches("should be a list of strings", r.error, 1, true)
      check("err_target_partitions_null", function(app, lib)
        local cdk, iam = lib.cdk, lib.iam
        local stack = cdk.Stack(app, "Stack")
        stack.node:set_context("@aws-cdk/core:target-partitions", cdk.null)
        iam.Role(stack, "Role", { assumed_by = iam.ServicePrincipal("lambda.amazonaws.com") })
      end)
    end)

    it("with a region option names the service as that region does", function()
      local r = check("service_region_option", function(app, lib)
        local cdk, ecr, iam = lib.cdk, lib.ecr, lib.iam
        local stack = cdk.Stack(app, "Stack", { env = { account = "123456789012", region = "eu-west-1" } })
        local repo = ecr.Repository(stack, "Repo")
        repo:add_to_resource_policy(statement(iam,
          iam.ServicePrincipal("states.amazonaws.com", { region = "cn-north-1" }),
          iam.ServicePrincipal("ec2.amazonaws.com", { region = "us-iso-east-1" }),
          iam.ServicePrincipal("logs.amazonaws.com", { region = "xx-future-1" }),
          iam.ServicePrincipal("custom.example.com", { region = "us-east-1" })))
        return cdk.Token.is_unresolved(iam.ServicePrincipal.service_principal_name("ec2.amazonaws.com"))
      end)
      assert.same({ { Service = { "states.cn-north-1.amazonaws.com", "ec2.c2s.ic.gov",
        { ["Fn::Join"] = { "", { "logs.xx-future-1.", { Ref = "AWS::URLSuffix" } } } }, "custom.example.com" } } },
        principals_of(r.template.Stack))
    end)
  end)

  it("of one kind are listed under their key, in the order added", function()
    local r = check("merged", function(app, lib)
      local cdk, ecr, iam = lib.cdk, lib.ecr, lib.iam
      local stack = cdk.Stack(app, "Stack")
      local repo = ecr.Repository(stack, "Repo")
      repo:add_to_resource_policy(statement(iam, iam.AccountPrincipal("111111111111"), iam.ServicePrincipal("s3.amazonaws.com"),
        iam.ArnPrincipal("arn:aws:iam::222222222222:user/u"), iam.AnyPrincipal(), iam.ServicePrincipal("sns.amazonaws.com"),
        iam.FederatedPrincipal("cognito-identity.amazonaws.com", {}), iam.CanonicalUserPrincipal("abc")))
      repo:add_to_resource_policy(statement(iam, iam.ArnPrincipal("arn:a"), iam.ArnPrincipal("arn:a")))
    end)
    assert.same({
      {
        AWS = { root("111111111111"), "arn:aws:iam::222222222222:user/u", "*" },
        Service = { "s3.amazonaws.com", "sns.amazonaws.com" },
        Federated = "cognito-identity.amazonaws.com",
        CanonicalUser = "abc",
      },
      { AWS = { "arn:a", "arn:a" } },
    }, principals_of(r.template.Stack))
  end)

  it("CompositePrincipal merges its parts in a policy and trusts each in an assume-role policy", function()
    local r = check("composite", function(app, lib)
      local cdk, ecr, iam = lib.cdk, lib.ecr, lib.iam
      local stack = cdk.Stack(app, "Stack")
      local repo = ecr.Repository(stack, "Repo")
      local c = iam.CompositePrincipal(iam.ArnPrincipal("arn:aws:iam::111111111111:root"),
        iam.ServicePrincipal("lambda.amazonaws.com"))
      c:add_principals(iam.AccountPrincipal("222222222222"), iam.ArnPrincipal("arn:aws:iam::333333333333:root"))
      repo:add_to_resource_policy(statement(iam, c))
      iam.Role(stack, "Role", { assumed_by = c })
      return { tostring(c), c.assume_role_action,
        iam.CompositePrincipal(iam.FederatedPrincipal("x", {}, "sts:AssumeRoleWithSAML"), iam.AnyPrincipal()).assume_role_action }
    end)
    assert.same({ {
      AWS = { "arn:aws:iam::111111111111:root", root("222222222222"), "arn:aws:iam::333333333333:root" },
      Service = "lambda.amazonaws.com",
    } }, principals_of(r.template.Stack))
    assert.equal(4, #r.template.Stack.Resources.Role1ABCC5F0.Properties.AssumeRolePolicyDocument.Statement)
  end)

  it("with_conditions, add_condition(s), in_organization and PrincipalWithConditions", function()
    local r = check("with_conditions", function(app, lib)
      local cdk, ecr, iam = lib.cdk, lib.ecr, lib.iam
      local stack = cdk.Stack(app, "Stack")
      local repo = ecr.Repository(stack, "Repo")
      repo:add_to_resource_policy(statement(iam,
        iam.ArnPrincipal("arn:aws:iam::1:role/r"):with_conditions { Bool = { ["aws:SecureTransport"] = "true" } }))
      local sns = iam.ServicePrincipal("sns.amazonaws.com", { conditions = { ArnLike = { ["aws:SourceArn"] = "arn:topic" } } })
      local w = sns:with_conditions { ArnLike = { ["aws:SourceAccount"] = "1" } }
      w:add_condition("ArnLike", { ["aws:Other"] = "x" })
      w:add_conditions { IpAddress = { ["aws:SourceIp"] = "10.0.0.0/8" } }
      repo:add_to_resource_policy(statement(iam, w))
      repo:add_to_resource_policy(statement(iam, iam.ArnPrincipal("arn:aws:iam::1:root"):in_organization("o-1"),
        iam.AccountPrincipal("2"):in_organization("o-1")))
      repo:add_to_resource_policy(statement(iam,
        iam.OrganizationPrincipal("o-2"):with_conditions { StringEquals = { ["aws:PrincipalTag/team"] = "a" } }))
      local role = iam.Role(stack, "Role", { assumed_by = iam.AnyPrincipal() })
      local pwc = iam.PrincipalWithConditions(role, { Bool = { ["aws:MultiFactorAuthPresent"] = "true" } })
      iam.Role(stack, "Trusting", { assumed_by = pwc })
      return { tostring(pwc), tostring(w), pwc.assume_role_action }
    end)
    assert.same({
      { Principal = { AWS = "arn:aws:iam::1:role/r" }, Condition = { Bool = { ["aws:SecureTransport"] = "true" } } },
      {
        Principal = { Service = "sns.amazonaws.com" },
        Condition = {
          ArnLike = { ["aws:SourceArn"] = "arn:topic", ["aws:SourceAccount"] = "1", ["aws:Other"] = "x" },
          IpAddress = { ["aws:SourceIp"] = "10.0.0.0/8" },
        },
      },
      {
        Principal = { AWS = { "arn:aws:iam::1:root", root("2") } },
        Condition = { StringEquals = { ["aws:PrincipalOrgID"] = "o-1" } },
      },
      {
        Principal = { AWS = "*" },
        Condition = { StringEquals = { ["aws:PrincipalOrgID"] = "o-2", ["aws:PrincipalTag/team"] = "a" } },
      },
    }, principals_of(r.template.Stack))
  end)

  it("with_session_tags also allows sts:TagSession in assume-role statements", function()
    local r = check("session_tags", function(app, lib)
      local cdk, iam = lib.cdk, lib.iam
      local stack = cdk.Stack(app, "Stack")
      iam.Role(stack, "One", { assumed_by = iam.ArnPrincipal("arn:aws:iam::1:user/u"):with_session_tags() })
      iam.Role(stack, "Composite", {
        assumed_by = iam.CompositePrincipal(iam.ServicePrincipal("lambda.amazonaws.com"),
          iam.AccountPrincipal("2")):with_session_tags(),
        external_ids = { "ext" },
      })
      return tostring(iam.ArnPrincipal("arn:x"):with_session_tags())
    end)
    assert.same({
      Statement = { {
        Action = { "sts:AssumeRole", "sts:TagSession" },
        Effect = "Allow",
        Principal = { AWS = "arn:aws:iam::1:user/u" },
      } },
      Version = "2012-10-17",
    }, r.template.Stack.Resources.One8A44B909.Properties.AssumeRolePolicyDocument)
  end)

  it("tostring describes a principal as CDK's toString", function()
    check("describe", function(app, lib)
      local iam = lib.iam
      return {
        tostring(iam.ArnPrincipal("arn:a")), tostring(iam.AccountPrincipal("1")), tostring(iam.AccountRootPrincipal()),
        tostring(iam.AnyPrincipal()), tostring(iam.StarPrincipal()), tostring(iam.ServicePrincipal("s.amazonaws.com")),
        tostring(iam.OrganizationPrincipal("o-1")), tostring(iam.FederatedPrincipal("f")),
        tostring(iam.CanonicalUserPrincipal("c")), tostring(iam.ArnPrincipal("arn:a"):with_conditions { A = { b = "c" } }),
        tostring(iam.WebIdentityPrincipal("w")), tostring(iam.FederatedPrincipal("f", {}, "sts:AssumeRoleWithWebIdentity")),
        tostring(iam.WebIdentityPrincipal("w"):with_conditions { A = { b = "c" } }),
      }
    end)
  end)

  it("expose their parts as fields", function()
    local iam = iamh.lib.iam
    local p = iam.ArnPrincipal("arn:aws:iam::1:role/r")
    assert.equal("arn:aws:iam::1:role/r", p.arn)
    assert.equal(p, p.grant_principal)
    assert.equal("sts:AssumeRole", p.assume_role_action)
    assert.same({ principal_json = { AWS = { "arn:aws:iam::1:role/r" } }, conditions = {} }, p.policy_fragment)
    assert.equal("111122223333", iam.AccountPrincipal("111122223333").principal_account)
    assert.equal("111122223333", iam.AccountPrincipal("111122223333").account_id)
    assert.equal("lambda.amazonaws.com", iam.ServicePrincipal("lambda.amazonaws.com").service)
    assert.equal("o-1", iam.OrganizationPrincipal("o-1").organization_id)
    assert.equal("sts:AssumeRoleWithWebIdentity", iam.WebIdentityPrincipal("x").assume_role_action)
    assert.same({ StringEquals = { a = "b" } },
      iam.ArnPrincipal("arn:x"):with_conditions { StringEquals = { a = "b" } }.conditions)
    assert.is_nil(iam.ServicePrincipal("lambda.amazonaws.com").principal_account)
  end)

  it("that are not identities take no policy", function()
    local iam = iamh.lib.iam
    local st = iam.PolicyStatement { actions = { "s3:GetObject" }, resources = { "*" } }
    assert.is_false(iam.AnyPrincipal():add_to_policy(st))
    assert.same({ statement_added = false }, iam.ServicePrincipal("lambda.amazonaws.com"):add_to_principal_policy(st))
  end)

  describe("errors", function()
    it("a CompositePrincipal's parts must have no conditions", function()
      local r = check("err_composite_conditions", function(app, lib)
        local cdk, ecr, iam = lib.cdk, lib.ecr, lib.iam
        local stack = cdk.Stack(app, "Stack")
        ecr.Repository(stack, "Repo"):add_to_resource_policy(statement(iam,
          iam.CompositePrincipal(iam.OrganizationPrincipal("o-1"))))
      end)
      assert.equal("Components of a CompositePrincipal must not have conditions. Tried to add the following fragment: "
        .. '{"principalJson":{"AWS":["*"]},"conditions":{"StringEquals":{"aws:PrincipalOrgID":"o-1"}}}',
        iamh.message(r.error))
    end)

    it("a CompositePrincipal needs a principal", function()
      local r = check("err_composite_empty", function(app, lib) lib.iam.CompositePrincipal() end)
      assert.equal("CompositePrincipals must be constructed with at least 1 Principal but none were passed.",
        iamh.message(r.error))
    end)

    it("the principals of a statement must share their conditions", function()
      local r = check("err_conditions_differ", function(app, lib)
        local iam = lib.iam
        statement(iam, iam.OrganizationPrincipal("o-1"), iam.AnyPrincipal())
      end)
      assert.equal("All principals in a PolicyStatement must have the same Conditions (got "
        .. "'{\"StringEquals\":{\"aws:PrincipalOrgID\":\"o-1\"}}' and '{}'). Use multiple statements instead.",
        iamh.message(r.error))
    end)

    it("a literal principal string cannot share a statement", function()
      local r = check("err_literal_merge", function(app, lib)
        local iam = lib.iam
        statement(iam, iam.ArnPrincipal("arn:x"), iam.StarPrincipal())
      end)
      assert.equal('Cannot merge principals {"AWS":["arn:x"]} and {"LiteralString":["*"]}; if one uses a literal '
        .. "principal string the other one must be empty", iamh.message(r.error))
    end)

    it("conditions of one operator with a token cannot merge", function()
      local r = check("err_condition_token", function(app, lib)
        local cdk, ecr, iam = lib.cdk, lib.ecr, lib.iam
        local stack = cdk.Stack(app, "Stack")
        ecr.Repository(stack, "Repo"):add_to_resource_policy(statement(iam,
          iam.ServicePrincipal("sns.amazonaws.com", {
            conditions = { StringEquals = cdk.Lazy.any { produce = function() return { a = "b" } end } },
          }):with_conditions { StringEquals = { c = "d" } }))
      end)
      assert.equal('multiple "StringEquals" conditions cannot be merged if one of them contains an unresolved token',
        iamh.message(r.error))
    end)

    it("a group is no principal", function()
      local r = check("err_group_principal", function(app, lib)
        local cdk, iam = lib.cdk, lib.iam
        local stack = cdk.Stack(app, "Stack")
        statement(iam, iam.Group(stack, "Group"))
      end)
      assert.equal("Cannot use an IAM Group as the 'Principal' or 'NotPrincipal' in an IAM Policy", iamh.message(r.error))
    end)

    it("wrong types name the argument", function()
      local iam = iamh.lib.iam
      local function err(f, ...) return iamh.message(select(2, pcall(f, ...))) end
      assert.equal("bad argument #1 to 'ArnPrincipal' (string expected, got number)", err(iam.ArnPrincipal, 42))
      assert.equal("bad argument #1 to 'AccountPrincipal' (string expected, got no value)", err(iam.AccountPrincipal))
      assert.equal("bad argument #2 to 'ServicePrincipal' (unknown property 'regoin')",
        err(iam.ServicePrincipal, "s3.amazonaws.com", { regoin = "x" }))
      assert.equal("bad argument #2 to 'ServicePrincipal' (field 'conditions': map expected, got string)",
        err(iam.ServicePrincipal, "s3.amazonaws.com", { conditions = "x" }))
      assert.equal("bad argument #2 to 'CompositePrincipal' (principal (a Role, User, Group or iam principal) expected, got string)",
        err(iam.CompositePrincipal, iam.AnyPrincipal(), "arn"))
      assert.equal("bad argument #1 to 'with_conditions' (map expected, got string)",
        err(iam.AnyPrincipal().with_conditions, iam.AnyPrincipal(), "x"))
      assert.equal("bad argument #2 to 'FederatedPrincipal' (map expected, got boolean)",
        err(iam.FederatedPrincipal, "f", true))
    end)
  end)
end)
