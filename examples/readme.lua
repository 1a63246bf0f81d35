-- The README's example app: an ECR repository that scans images on push and expires old images,
-- a CI user that may log in to ECR and push and pull them, and the repository's URI as an output.
local cdk = require "cdk"
local ecr = require "cdk.ecr"
local iam = require "cdk.iam"

local app = cdk.App()
local stack = cdk.Stack(app, "Images")

local repo = ecr.Repository(stack, "Repository", { image_scan_on_push = true })
repo:add_lifecycle_rule { tag_prefix_list = { "prod" }, max_image_count = 9999 }
repo:add_lifecycle_rule { max_image_age = cdk.Duration.days(30) }

local ci = iam.User(stack, "CiUser")
ecr.AuthorizationToken.grant_read(ci)
repo:grant_pull_push(ci)

cdk.CfnOutput(stack, "RepositoryUri", { value = repo.repository_uri })

app:synth()
