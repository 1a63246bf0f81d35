-- The README's example app: an ECR repository that scans images on push, keeps 9999 'prod'
-- images and expires the others after 30 days, and outputs its URI.
local cdk = require "cdk"
local ecr = require "cdk.ecr"

local app = cdk.App()
local stack = cdk.Stack(app, "Images")

local repo = ecr.Repository(stack, "Repository", { image_scan_on_push = true })
repo:add_lifecycle_rule { tag_prefix_list = { "prod" }, max_image_count = 9999 }
repo:add_lifecycle_rule { max_image_age = cdk.Duration.days(30) }

cdk.CfnOutput(stack, "RepositoryUri", { value = repo.repository_uri })

app:synth()
