-- cdk.ecr: Amazon ECR: Repository (with lifecycle rules, URIs, imports) and the L1 resources.
local core = require "cdk.core"
local util = require "cdk.util"
local class, enum = util.class, util.enum
local ecr = core.ecr

local M = {}

M.Repository = class("Repository", ecr.Repository, ecr.RepositoryStatics)

M.CfnRepository = class("CfnRepository", ecr.CfnRepository)
M.CfnRegistryPolicy = class("CfnRegistryPolicy", ecr.CfnRegistryPolicy)
M.CfnReplicationConfiguration = class("CfnReplicationConfiguration", ecr.CfnReplicationConfiguration)
M.CfnPullThroughCacheRule = class("CfnPullThroughCacheRule", ecr.CfnPullThroughCacheRule)
M.CfnPublicRepository = class("CfnPublicRepository", ecr.CfnPublicRepository)

M.AuthorizationToken = ecr.AuthorizationToken
M.PublicGalleryAuthorizationToken = ecr.PublicGalleryAuthorizationToken

M.TagMutability = enum("TagMutability", { MUTABLE = "MUTABLE", IMMUTABLE = "IMMUTABLE" })
M.RepositoryEncryption = enum("RepositoryEncryption", { AES_256 = "AES256", KMS = "KMS" })
M.TagStatus = enum("TagStatus", { ANY = "any", TAGGED = "tagged", UNTAGGED = "untagged" })

return M
