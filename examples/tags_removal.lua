-- Shows tags (on a stack and on one repository) and removal policies (in props and applied later).
local cdk = require "cdk"
local ecr = require "cdk.ecr"

local app = cdk.App()
-- the tags prop tags the deployed stack (manifest); cdk.Tags.of(c) also tags the resources below c
local stack = cdk.Stack(app, "Scratch", { tags = { project = "demo" } })

-- kept when the stack is deleted (RETAIN is the default)
local kept = ecr.Repository(stack, "Kept", { repository_name = "demo/kept" })
-- deleted with the stack
ecr.Repository(stack, "Temporary", {
  repository_name = "demo/temporary",
  removal_policy = cdk.RemovalPolicy.DESTROY,
})
local later = ecr.Repository(stack, "Later")
later:apply_removal_policy(cdk.RemovalPolicy.DESTROY)

cdk.Tags.of(stack):add("owner", "platform")
cdk.Tags.of(kept):add("retention", "forever")
cdk.Tags.of(later):remove("owner")

app:synth()
