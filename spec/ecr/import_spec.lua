-- Imported repositories: Repository.from_repository_name, from_repository_arn (and its errors),
-- from_repository_attributes, and Repository.arn_for_local_repository, with their names, ARNs,
-- URIs and environments, pinned against the AWS CDK v1 (1.204.0).
local cdk = require "cdk"
local ecr = require "cdk.ecr"
local helpers = require "support.helpers"

local outdirs = {}

local function new_app()
  local dir = helpers.tmppath(".out")
  outdirs[#outdirs + 1] = dir
  return cdk.App { outdir = dir }
end

local function error_of(fn)
  return (helpers.error_of(fn):gsub("^[^\n:]+%.lua:%d+: ", ""))
end

local function join(...)
  return { ["Fn::Join"] = { "", { ... } } }
end

local PARTITION, REGION, ACCOUNT, URL_SUFFIX =
  { Ref = "AWS::Partition" }, { Ref = "AWS::Region" }, { Ref = "AWS::AccountId" }, { Ref = "AWS::URLSuffix" }

-- Outputs of a repository's name, ARN and URI.
local function outputs(stack, repo)
  cdk.CfnOutput(stack, "Name", { value = repo.repository_name })
  cdk.CfnOutput(stack, "Arn", { value = repo.repository_arn })
  cdk.CfnOutput(stack, "Uri", { value = repo.repository_uri })
end

describe("imported repositories", function()
  after_each(function()
    for _, d in ipairs(outdirs) do helpers.rmtree(d) end
    outdirs = {}
  end)

  describe("Repository.from_repository_name", function()
    it("in an agnostic stack: the ARN and URI of the stack's account and region", function()
      local app = new_app()
      local stack = cdk.Stack(app, "Stack")
      outputs(stack, ecr.Repository.from_repository_name(stack, "Imported", "team/web"))
      assert.same({
        Outputs = {
          Name = { Value = "team/web" },
          Arn = { Value = join("arn:", PARTITION, ":ecr:", REGION, ":", ACCOUNT, ":repository/team/web") },
          Uri = { Value = join(ACCOUNT, ".dkr.ecr.", REGION, ".", URL_SUFFIX, "/team/web") },
        },
      }, stack:to_json())
    end)

    it("in an env stack: literal account and region", function()
      local app = new_app()
      local stack = cdk.Stack(app, "Stack", { env = { account = "123456789012", region = "eu-west-1" } })
      outputs(stack, ecr.Repository.from_repository_name(stack, "Imported", "team/web"))
      assert.same({
        Outputs = {
          Name = { Value = "team/web" },
          Arn = { Value = join("arn:", PARTITION, ":ecr:eu-west-1:123456789012:repository/team/web") },
          Uri = { Value = join("123456789012.dkr.ecr.eu-west-1.", URL_SUFFIX, "/team/web") },
        },
      }, stack:to_json())
    end)

    it("takes a token name", function()
      local app = new_app()
      local stack = cdk.Stack(app, "Stack", { env = { account = "123456789012", region = "eu-west-1" } })
      local name = cdk.CfnParameter(stack, "RepoName", { type = "String" })
      local repo = ecr.Repository.from_repository_name(stack, "Imported", name.value_as_string)
      cdk.CfnOutput(stack, "Arn", { value = repo.repository_arn })
      cdk.CfnOutput(stack, "Uri", { value = repo.repository_uri })
      assert.same({
        Parameters = { RepoName = { Type = "String" } },
        Outputs = {
          Arn = { Value = join("arn:", PARTITION, ":ecr:eu-west-1:123456789012:repository/", { Ref = "RepoName" }) },
          Uri = { Value = join("123456789012.dkr.ecr.eu-west-1.", URL_SUFFIX, "/", { Ref = "RepoName" }) },
        },
      }, stack:to_json())
    end)

    it("adds no resource and is a construct of the tree", function()
      local app = new_app()
      local stack = cdk.Stack(app, "Stack")
      local repo = ecr.Repository.from_repository_name(stack, "Imported", "web")
      assert.equal("Stack/Imported", repo.node.path)
      assert.equal(stack, repo.stack)
      assert.is_nil(repo.node.default_child)
      assert.same({}, stack:to_json())
    end)
  end)

  describe("Repository.from_repository_arn", function()
    it("takes the name after the first '/' and the environment from the ARN", function()
      -- given
      local app = new_app()
      local stack = cdk.Stack(app, "Stack")
      -- when
      local repo = ecr.Repository.from_repository_arn(stack, "Imported",
        "arn:aws:ecr:eu-west-1:111122223333:repository/team/service")
      outputs(stack, repo)
      cdk.CfnOutput(stack, "Tag", { value = repo:repository_uri_for_tag("v1.2.3") })
      -- then
      assert.equal("team/service", repo.repository_name)
      assert.equal("arn:aws:ecr:eu-west-1:111122223333:repository/team/service", repo.repository_arn)
      assert.same({ account = "111122223333", region = "eu-west-1" }, repo.env)
      assert.same({
        Outputs = {
          Name = { Value = "team/service" },
          Arn = { Value = "arn:aws:ecr:eu-west-1:111122223333:repository/team/service" },
          Uri = { Value = join("111122223333.dkr.ecr.eu-west-1.", URL_SUFFIX, "/team/service") },
          Tag = { Value = join("111122223333.dkr.ecr.eu-west-1.", URL_SUFFIX, "/team/service:v1.2.3") },
        },
      }, stack:to_json())
    end)

    it("gives an empty name to an ARN without '/'", function()
      local app = new_app()
      local stack = cdk.Stack(app, "Stack")
      local repo = ecr.Repository.from_repository_arn(stack, "NoSlash", "arn:aws:ecr:eu-west-1:111122223333:repository")
      cdk.CfnOutput(stack, "NoSlashUri", { value = repo.repository_uri })
      assert.equal("", repo.repository_name)
      assert.same({
        Outputs = { NoSlashUri = { Value = join("111122223333.dkr.ecr.eu-west-1.", URL_SUFFIX, "/") } },
      }, stack:to_json())
    end)

    it("reads other partitions", function()
      local app = new_app()
      local stack = cdk.Stack(app, "Stack", { env = { account = "123456789012", region = "cn-north-1" } })
      local repo = ecr.Repository.from_repository_arn(stack, "Imported",
        "arn:aws-cn:ecr:cn-north-1:111122223333:repository/web")
      cdk.CfnOutput(stack, "Uri", { value = repo.repository_uri })
      assert.same({ account = "111122223333", region = "cn-north-1" }, repo.env)
      assert.equal("web", repo.repository_name)
      assert.same({
        Outputs = { Uri = { Value = join("111122223333.dkr.ecr.cn-north-1.", URL_SUFFIX, "/web") } },
      }, stack:to_json())
    end)

    it("rejects a string that is not an ARN", function()
      local app = new_app()
      local stack = cdk.Stack(app, "Stack")
      assert.equal('ARNs must start with "arn:" and have at least 6 components: my-repo',
        error_of(function() ecr.Repository.from_repository_arn(stack, "Imported", "my-repo") end))
      assert.equal("The `resource` component (6th component) of an ARN is required: arn:aws:ecr:us-east-1:123",
        error_of(function() ecr.Repository.from_repository_arn(stack, "Short", "arn:aws:ecr:us-east-1:123") end))
    end)

    it("rejects a token ARN (the name cannot be parsed from it)", function()
      local app = new_app()
      local stack = cdk.Stack(app, "Stack")
      local msg = '"repository_arn" is a late-bound value, and therefore "repository_name" is required. '
        .. "Use `from_repository_attributes` instead"
      assert.equal(msg, error_of(function()
        ecr.Repository.from_repository_arn(stack, "Imported", cdk.Fn.import_value("Arn"))
      end))
      assert.equal(msg, error_of(function()
        ecr.Repository.from_repository_arn(stack, "Lazy", cdk.Lazy.string {
          produce = function() return "arn:aws:ecr:us-east-1:123456789012:repository/x" end,
        })
      end))
    end)

    it("leaves nothing behind when it fails", function()
      local app = new_app()
      local stack = cdk.Stack(app, "Stack")
      error_of(function() ecr.Repository.from_repository_arn(stack, "Imported", "my-repo") end)
      local repo = ecr.Repository.from_repository_name(stack, "Imported", "web")
      assert.equal("Stack/Imported", repo.node.path)
    end)
  end)

  describe("Repository.from_repository_attributes", function()
    it("takes name and ARN as given, tokens included", function()
      local app = new_app()
      local stack = cdk.Stack(app, "Stack")
      outputs(stack, ecr.Repository.from_repository_attributes(stack, "Imported", {
        repository_name = cdk.Fn.import_value("RepoName"),
        repository_arn = cdk.Fn.import_value("RepoArn"),
      }))
      local arn = { ["Fn::ImportValue"] = "RepoArn" }
      assert.same({
        Outputs = {
          Name = { Value = { ["Fn::ImportValue"] = "RepoName" } },
          Arn = { Value = arn },
          Uri = {
            Value = join(
              { ["Fn::Select"] = { 4, { ["Fn::Split"] = { ":", arn } } } },
              ".dkr.ecr.",
              { ["Fn::Select"] = { 3, { ["Fn::Split"] = { ":", arn } } } },
              ".", URL_SUFFIX, "/", { ["Fn::ImportValue"] = "RepoName" }),
          },
        },
      }, stack:to_json())
    end)

    it("with literal attributes: a literal URI, but the stack's environment", function()
      local app = new_app()
      local stack = cdk.Stack(app, "Stack")
      local repo = ecr.Repository.from_repository_attributes(stack, "Literal", {
        repository_name = "web", repository_arn = "arn:aws:ecr:us-east-1:123456789012:repository/web",
      })
      cdk.CfnOutput(stack, "LitUri", { value = repo:repository_uri_for_tag("v2") })
      assert.is_true(cdk.Token.is_unresolved(repo.env.account))
      assert.is_true(cdk.Token.is_unresolved(repo.env.region))
      assert.same({
        Outputs = { LitUri = { Value = join("123456789012.dkr.ecr.us-east-1.", URL_SUFFIX, "/web:v2") } },
      }, stack:to_json())
    end)
  end)

  describe("Repository.arn_for_local_repository", function()
    it("formats the ARN in the scope's stack, with or without an account", function()
      -- given
      local app = new_app()
      local agnostic = cdk.Stack(app, "Stack")
      local env = cdk.Stack(app, "Env", { env = { account = "123456789012", region = "eu-west-1" } })
      local inner = cdk.Construct(env, "Inner")
      local arn_for = ecr.Repository.arn_for_local_repository
      -- when
      cdk.CfnOutput(agnostic, "NoAccount", { value = arn_for("web", agnostic) })
      cdk.CfnOutput(agnostic, "Account", { value = arn_for("team/web", agnostic, "999988887777") })
      cdk.CfnOutput(env, "NoAccount", { value = arn_for("web", env) })
      cdk.CfnOutput(env, "Account", { value = arn_for("web", env, "999988887777") })
      cdk.CfnOutput(env, "FromConstruct", { value = arn_for("web", inner) })
      cdk.CfnOutput(env, "TokenAccount", { value = arn_for("web", env, cdk.Aws.ACCOUNT_ID) })
      local assembly = app:synth()
      -- then
      assert.same({
        Outputs = {
          NoAccount = { Value = join("arn:", PARTITION, ":ecr:", REGION, ":", ACCOUNT, ":repository/web") },
          Account = { Value = join("arn:", PARTITION, ":ecr:", REGION, ":999988887777:repository/team/web") },
        },
      }, assembly:get_stack_by_name("Stack").template)
      assert.same({
        Outputs = {
          NoAccount = { Value = join("arn:", PARTITION, ":ecr:eu-west-1:123456789012:repository/web") },
          Account = { Value = join("arn:", PARTITION, ":ecr:eu-west-1:999988887777:repository/web") },
          FromConstruct = { Value = join("arn:", PARTITION, ":ecr:eu-west-1:123456789012:repository/web") },
          TokenAccount = { Value = join("arn:", PARTITION, ":ecr:eu-west-1:", ACCOUNT, ":repository/web") },
        },
      }, assembly:get_stack_by_name("Env").template)
    end)

    it("returns a string token", function()
      local app = new_app()
      local env = cdk.Stack(app, "Env", { env = { account = "123456789012", region = "eu-west-1" } })
      local arn = ecr.Repository.arn_for_local_repository("web", env, "999988887777")
      assert.equal("string", type(arn))
      assert.is_true(cdk.Token.is_unresolved(arn))
      assert.equal("arn:", arn:sub(1, 4))
      assert.equal(":ecr:eu-west-1:999988887777:repository/web", arn:sub(-42))
    end)
  end)
end)
