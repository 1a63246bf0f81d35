-- examples/embed/app.lua: the README's app, run by the C program next to it
-- (`lua-cdk-embed app.lua [OUTDIR]`). It clears Lua's search paths first: every module it
-- requires comes from the program itself, through package.preload (cdk_lua_preload).
package.path, package.cpath = "", ""

local cdk = require "cdk"
local ecr = require "cdk.ecr"
local iam = require "cdk.iam"

local app = cdk.App { outdir = ... }
local stack = cdk.Stack(app, "Images")

local repo = ecr.Repository(stack, "Repository", { image_scan_on_push = true })
repo:add_lifecycle_rule { tag_prefix_list = { "prod" }, max_image_count = 9999 }
repo:add_lifecycle_rule { max_image_age = cdk.Duration.days(30) }

local ci = iam.User(stack, "CiUser")
ecr.AuthorizationToken.grant_read(ci)
repo:grant_pull_push(ci)

cdk.CfnOutput(stack, "RepositoryUri", { value = repo.repository_uri })

print("synthesized " .. app:synth().directory)
