-- Shows who may pull and push: a build role in its own account pushing to a repository of a
-- shared account (both policies, generated names), a service role of the repository's account,
-- an auditing organization in the repository policy, and a deploy user reading tokens.
local cdk = require "cdk"
local ecr = require "cdk.ecr"
local iam = require "cdk.iam"

local app = cdk.App()
local images = cdk.Stack(app, "Images", { env = { account = "111111111111", region = "us-east-1" } })
local ci = cdk.Stack(app, "Ci", { env = { account = "222222222222", region = "us-east-1" } })

-- another account names the repository: it needs a physical name, generated here
local repo = ecr.Repository(images, "Repo", { repository_name = cdk.PhysicalName.GENERATE_IF_NEEDED })

-- the build role pushes from the CI account: its policy and the repository's policy both grant it
local builder = iam.Role(ci, "Builder", {
  assumed_by = iam.ServicePrincipal("codebuild.amazonaws.com"),
  role_name = cdk.PhysicalName.GENERATE_IF_NEEDED,
})
repo:grant_pull_push(builder)

-- a service of the repository's own account only needs its role's policy
local service = iam.Role(images, "Service", { assumed_by = iam.ServicePrincipal("ecs-tasks.amazonaws.com") })
repo:grant_pull(service)

-- the organization may describe images, through the repository policy
repo:add_to_resource_policy(iam.PolicyStatement {
  sid = "OrganizationAudit",
  actions = { "ecr:DescribeImages", "ecr:ListImages" },
  principals = { iam.OrganizationPrincipal("o-a1b2c3d4e5") },
})

-- a deploy user reads authorization tokens of the private and the public registry
local deployer = iam.User(images, "Deployer", { user_name = "deployer" })
ecr.AuthorizationToken.grant_read(deployer)
ecr.PublicGalleryAuthorizationToken.grant_read(deployer)

app:synth()
