-- cdk.kms: AWS KMS: Key (with the default key policy, aliases, grants and imports), Alias, the
-- enums and the L1 resources, as the AWS CDK v1 renders them.
local core = require "cdk.core"
local util = require "cdk.util"
local class, enum = util.class, util.enum
local kms = core.kms

local M = {}

M.Key = class("Key", kms.Key, kms.KeyStatics)
M.Alias = class("Alias", kms.Alias, kms.AliasStatics)

M.KeySpec = enum("KeySpec", {
  SYMMETRIC_DEFAULT = "SYMMETRIC_DEFAULT",
  RSA_2048 = "RSA_2048",
  RSA_3072 = "RSA_3072",
  RSA_4096 = "RSA_4096",
  ECC_NIST_P256 = "ECC_NIST_P256",
  ECC_NIST_P384 = "ECC_NIST_P384",
  ECC_NIST_P521 = "ECC_NIST_P521",
  ECC_SECG_P256K1 = "ECC_SECG_P256K1",
})
M.KeyUsage = enum("KeyUsage", { ENCRYPT_DECRYPT = "ENCRYPT_DECRYPT", SIGN_VERIFY = "SIGN_VERIFY" })

M.CfnKey = class("CfnKey", kms.CfnKey)
M.CfnAlias = class("CfnAlias", kms.CfnAlias)
M.CfnReplicaKey = class("CfnReplicaKey", kms.CfnReplicaKey)

return M
