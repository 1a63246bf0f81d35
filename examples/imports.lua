-- Shows imported repositories (by name, ARN and attributes) and image URIs for tags and digests.
local cdk = require "cdk"
local ecr = require "cdk.ecr"

local app = cdk.App()
local stack = cdk.Stack(app, "Imports", { env = { account = "123456789012", region = "eu-west-1" } })

-- a repository of this account and region, known by name
local web = ecr.Repository.from_repository_name(stack, "Web", "team/web")
-- a repository of another account: its name, account and region come from the ARN
local shared = ecr.Repository.from_repository_arn(stack, "Shared",
  "arn:aws:ecr:us-west-2:210987654321:repository/base/python")
-- a repository exported by another stack: both attributes are tokens
local exported = ecr.Repository.from_repository_attributes(stack, "Exported", {
  repository_name = cdk.Fn.import_value("ImagesRepositoryName"),
  repository_arn = cdk.Fn.import_value("ImagesRepositoryArn"),
})

cdk.CfnOutput(stack, "WebUri", { value = web:repository_uri_for_tag("v1.2.3") })
cdk.CfnOutput(stack, "SharedUri", { value = shared:repository_uri_for_tag_or_digest(
  "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef") })
cdk.CfnOutput(stack, "ExportedUri", { value = exported.repository_uri })
cdk.CfnOutput(stack, "LocalArn", {
  value = ecr.Repository.arn_for_local_repository("team/api", stack, "999988887777"),
})

app:synth()
