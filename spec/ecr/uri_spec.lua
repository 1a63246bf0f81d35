-- Repository URIs: repository_uri and repository_uri_for_tag / _for_digest / _for_tag_or_digest
-- of owned and imported repositories, in agnostic and env stacks, concatenated into strings and
-- used from another stack, pinned against the AWS CDK v1 (1.204.0).
local cdk = require "cdk"
local ecr = require "cdk.ecr"
local helpers = require "support.helpers"

local outdirs = {}

local function new_app()
  local dir = helpers.tmppath(".out")
  outdirs[#outdirs + 1] = dir
  return cdk.App { outdir = dir }
end

local DIGEST = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

-- The URI CDK builds from a repository's ARN and name expressions: account and region are the
-- 5th and 4th fields of the ARN, then the URL suffix, the name and the suffix (if any).
local function uri_from(arn, name, suffix)
  local parts = {
    { ["Fn::Select"] = { 4, { ["Fn::Split"] = { ":", arn } } } },
    ".dkr.ecr.",
    { ["Fn::Select"] = { 3, { ["Fn::Split"] = { ":", arn } } } },
    ".",
    { Ref = "AWS::URLSuffix" },
    "/",
    name,
  }
  if suffix then parts[#parts + 1] = suffix end
  return { ["Fn::Join"] = { "", parts } }
end

-- The URI of the owned repository "Repo" in its own stack.
local function repo_uri(suffix)
  return uri_from({ ["Fn::GetAtt"] = { "Repo02AC86CF", "Arn" } }, { Ref = "Repo02AC86CF" }, suffix)
end

local RETAINED = { Type = "AWS::ECR::Repository", UpdateReplacePolicy = "Retain", DeletionPolicy = "Retain" }

describe("repository URIs", function()
  after_each(function()
    for _, d in ipairs(outdirs) do helpers.rmtree(d) end
    outdirs = {}
  end)

  it("of an owned repository in an agnostic stack: tag, digest, tag-or-digest, and none", function()
    -- given
    local app = new_app()
    local stack = cdk.Stack(app, "Stack")
    local repo = ecr.Repository(stack, "Repo")
    -- when
    cdk.CfnOutput(stack, "ForTag", { value = repo:repository_uri_for_tag("v1") })
    cdk.CfnOutput(stack, "ForNoTag", { value = repo:repository_uri_for_tag() })
    cdk.CfnOutput(stack, "ForEmptyTag", { value = repo:repository_uri_for_tag("") })
    cdk.CfnOutput(stack, "ForDigest", { value = repo:repository_uri_for_digest(DIGEST) })
    cdk.CfnOutput(stack, "ForNoDigest", { value = repo:repository_uri_for_digest() })
    cdk.CfnOutput(stack, "TagOrDigestTag", { value = repo:repository_uri_for_tag_or_digest("latest") })
    cdk.CfnOutput(stack, "TagOrDigestDigest", { value = repo:repository_uri_for_tag_or_digest(DIGEST) })
    cdk.CfnOutput(stack, "TagOrDigestNone", { value = repo:repository_uri_for_tag_or_digest() })
    cdk.CfnOutput(stack, "TagOrDigestSha", { value = repo:repository_uri_for_tag_or_digest("sha256") })
    -- then
    assert.same({
      Resources = { Repo02AC86CF = RETAINED },
      Outputs = {
        ForTag = { Value = repo_uri(":v1") },
        ForNoTag = { Value = repo_uri() },
        ForEmptyTag = { Value = repo_uri() },
        ForDigest = { Value = repo_uri("@" .. DIGEST) },
        ForNoDigest = { Value = repo_uri() },
        TagOrDigestTag = { Value = repo_uri(":latest") },
        TagOrDigestDigest = { Value = repo_uri("@" .. DIGEST) },
        TagOrDigestNone = { Value = repo_uri() },
        TagOrDigestSha = { Value = repo_uri(":sha256") },
      },
    }, stack:to_json())
  end)

  it("of a named repository in an env stack still come from its ARN attribute", function()
    local app = new_app()
    local stack = cdk.Stack(app, "Stack", { env = { account = "123456789012", region = "eu-west-1" } })
    local repo = ecr.Repository(stack, "Repo", { repository_name = "web" })
    cdk.CfnOutput(stack, "ForTag", { value = repo:repository_uri_for_tag("v1") })
    cdk.CfnOutput(stack, "ForDigest", { value = repo:repository_uri_for_digest("sha256:abc") })
    assert.same({
      ForTag = { Value = repo_uri(":v1") },
      ForDigest = { Value = repo_uri("@sha256:abc") },
    }, stack:to_json().Outputs)
  end)

  it("of imported repositories in an env stack are mostly literal", function()
    local app = new_app()
    local stack = cdk.Stack(app, "Stack", { env = { account = "123456789012", region = "eu-west-1" } })
    local by_name = ecr.Repository.from_repository_name(stack, "ByName", "team/web")
    local by_arn = ecr.Repository.from_repository_arn(stack, "ByArn",
      "arn:aws:ecr:us-west-2:210987654321:repository/team/api")
    cdk.CfnOutput(stack, "NameUri", { value = by_name.repository_uri })
    cdk.CfnOutput(stack, "NameTag", { value = by_name:repository_uri_for_tag("v1") })
    cdk.CfnOutput(stack, "ArnUri", { value = by_arn.repository_uri })
    cdk.CfnOutput(stack, "ArnDigest", { value = by_arn:repository_uri_for_digest("sha256:abc") })
    assert.same({
      Outputs = {
        NameUri = { Value = { ["Fn::Join"] = { "", {
          "123456789012.dkr.ecr.eu-west-1.", { Ref = "AWS::URLSuffix" }, "/team/web" } } } },
        NameTag = { Value = { ["Fn::Join"] = { "", {
          "123456789012.dkr.ecr.eu-west-1.", { Ref = "AWS::URLSuffix" }, "/team/web:v1" } } } },
        ArnUri = { Value = { ["Fn::Join"] = { "", {
          "210987654321.dkr.ecr.us-west-2.", { Ref = "AWS::URLSuffix" }, "/team/api" } } } },
        ArnDigest = { Value = { ["Fn::Join"] = { "", {
          "210987654321.dkr.ecr.us-west-2.", { Ref = "AWS::URLSuffix" }, "/team/api@sha256:abc" } } } },
      },
    }, stack:to_json())
  end)

  it("take a token tag (and a token is never taken for a digest)", function()
    local app = new_app()
    local stack = cdk.Stack(app, "Stack")
    local repo = ecr.Repository.from_repository_name(stack, "Repo", "web")
    local tag = cdk.CfnParameter(stack, "Tag", { type = "String" })
    cdk.CfnOutput(stack, "Uri", { value = repo:repository_uri_for_tag(tag.value_as_string) })
    cdk.CfnOutput(stack, "Either", { value = repo:repository_uri_for_tag_or_digest(tag.value_as_string) })
    local uri = { ["Fn::Join"] = { "", {
      { Ref = "AWS::AccountId" }, ".dkr.ecr.", { Ref = "AWS::Region" }, ".", { Ref = "AWS::URLSuffix" },
      "/web:", { Ref = "Tag" } } } }
    assert.same({
      Parameters = { Tag = { Type = "String" } },
      Outputs = { Uri = { Value = uri }, Either = { Value = uri } },
    }, stack:to_json())
  end)

  it("are strings that concatenate into one Fn::Join", function()
    local app = new_app()
    local stack = cdk.Stack(app, "Stack")
    local repo = ecr.Repository(stack, "Repo")
    cdk.CfnOutput(stack, "Image", { value = "image=" .. repo:repository_uri_for_tag("v1") .. ";" })
    cdk.CfnOutput(stack, "Name", { value = repo.repository_name .. "-mirror" })
    local image = repo_uri(":v1;")
    table.insert(image["Fn::Join"][2], 1, "image=")
    assert.same({
      Image = { Value = image },
      Name = { Value = { ["Fn::Join"] = { "", { { Ref = "Repo02AC86CF" }, "-mirror" } } } },
    }, stack:to_json().Outputs)
  end)

  it("used in another stack become exports and Fn::ImportValue", function()
    -- given
    local app = new_app()
    local images = cdk.Stack(app, "Images")
    local repo = ecr.Repository(images, "Repo")
    local service = cdk.Stack(app, "Service")
    -- when
    cdk.CfnOutput(service, "Uri", { value = repo:repository_uri_for_tag("v1") })
    local assembly = app:synth()
    -- then
    assert.same({
      Resources = { Repo02AC86CF = RETAINED },
      Outputs = {
        ExportsOutputFnGetAttRepo02AC86CFArn39FFAA30 = {
          Value = { ["Fn::GetAtt"] = { "Repo02AC86CF", "Arn" } },
          Export = { Name = "Images:ExportsOutputFnGetAttRepo02AC86CFArn39FFAA30" },
        },
        ExportsOutputRefRepo02AC86CF4670CBFE = {
          Value = { Ref = "Repo02AC86CF" },
          Export = { Name = "Images:ExportsOutputRefRepo02AC86CF4670CBFE" },
        },
      },
    }, assembly:get_stack_by_name("Images").template)
    assert.same({
      Outputs = {
        Uri = {
          Value = uri_from({ ["Fn::ImportValue"] = "Images:ExportsOutputFnGetAttRepo02AC86CFArn39FFAA30" },
            { ["Fn::ImportValue"] = "Images:ExportsOutputRefRepo02AC86CF4670CBFE" }, ":v1"),
        },
      },
    }, assembly:get_stack_by_name("Service").template)
  end)
end)
