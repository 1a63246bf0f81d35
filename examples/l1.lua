-- Shows the ECR L1 resources (Cfn*), their attributes, and an override on a Repository's CfnRepository.
local cdk = require "cdk"
local ecr = require "cdk.ecr"

local app = cdk.App()
local stack = cdk.Stack(app, "Registry")

ecr.CfnReplicationConfiguration(stack, "Replication", {
  replication_configuration = {
    rules = { {
      destinations = { { region = "us-west-2", registry_id = "123456789012" } },
      repository_filters = { { filter = "prod", filter_type = "PREFIX_MATCH" } },
    } },
  },
})
ecr.CfnPullThroughCacheRule(stack, "PublicCache", {
  ecr_repository_prefix = "ecr-public",
  upstream_registry_url = "public.ecr.aws",
})
local policy = ecr.CfnRegistryPolicy(stack, "Policy", {
  policy_text = {
    Version = "2012-10-17",
    Statement = { {
      Effect = "Allow",
      Principal = { AWS = "arn:aws:iam::210987654321:root" },
      Action = { "ecr:CreateRepository", "ecr:ReplicateImage" },
      Resource = "arn:aws:ecr:us-west-2:123456789012:repository/*",
    } },
  },
})
local public = ecr.CfnPublicRepository(stack, "Public", {
  repository_name = "tools",
  repository_catalog_data = { AboutText = "Build tools", OperatingSystems = { "Linux" } },
})

-- the L2 Repository's CloudFormation resource, for what its props do not cover
local repo = ecr.Repository(stack, "Repository")
repo.node.default_child:add_property_override("ImageTagMutability", "IMMUTABLE")

cdk.CfnOutput(stack, "RegistryId", { value = policy.attr_registry_id })
cdk.CfnOutput(stack, "PublicArn", { value = public.attr_arn })
cdk.CfnOutput(stack, "RepositoryUri", { value = repo.node.default_child.attr_repository_uri })

app:synth()
