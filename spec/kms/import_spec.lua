-- kms.Key.from_key_arn: key_arn and key_id (literal and token ARNs), grants that only reach the
-- grantee's policy (the key policy cannot change), add_to_resource_policy as a no-op or CDK's
-- error, aliases of an imported key, ecr.Repository encryption, and CDK's ARN errors, pinned
-- against what the AWS CDK v1 (1.204.0) synthesizes for the same programs.
local cdk = require "cdk"
local kms = require "cdk.kms"
local iam = require "cdk.iam"
local ecr = require "cdk.ecr"
local helpers = require "support.helpers"
local json = require "support.json"
local K = require "support.kms"

local outdirs = {}

local function new_app()
  local dir = helpers.tmppath(".out")
  outdirs[#outdirs + 1] = dir
  return cdk.App { outdir = dir }
end

local function error_of(fn)
  return (helpers.error_of(fn):gsub("^[^\n:]+%.lua:%d+: ", ""))
end

local ARN = "arn:aws:kms:us-east-1:123456789012:key/abcd"

describe("kms.Key.from_key_arn", function()
  local app, stack

  before_each(function()
    app = new_app()
    stack = cdk.Stack(app, "Stack")
  end)

  after_each(function()
    for _, d in ipairs(outdirs) do helpers.rmtree(d) end
    outdirs = {}
  end)

  it("a literal ARN: key_arn is the ARN, key_id its resource name; nothing is written", function()
    local key = kms.Key.from_key_arn(stack, "Imported", ARN)
    assert.equal(ARN, key.key_arn)
    assert.equal("abcd", key.key_id)
    assert.equal(stack.account, key.env.account)
    assert.same({}, stack:to_json())
  end)

  it("a token ARN: key_id is split out of it at deploy time", function()
    local p = cdk.CfnParameter(stack, "KeyArn")
    local key = kms.Key.from_key_arn(stack, "Token", p.value_as_string)
    cdk.CfnOutput(stack, "Id", { value = key.key_id })
    cdk.CfnOutput(stack, "Arn", { value = key.key_arn })
    assert.same({
      Id = { Value = { ["Fn::Select"] = { 1, { ["Fn::Split"] = { "/",
        { ["Fn::Select"] = { 5, { ["Fn::Split"] = { ":", { Ref = "KeyArn" } } } } } } } } } },
      Arn = { Value = { Ref = "KeyArn" } },
    }, stack:to_json().Outputs)
  end)

  it("grants reach the grantee's policy only; the key policy is left alone", function()
    local key = kms.Key.from_key_arn(stack, "Imported", ARN)
    local role = iam.Role(stack, "Role", { assumed_by = iam.ServicePrincipal("lambda.amazonaws.com") })
    key:grant_encrypt_decrypt(role)
    local g = key:grant_decrypt(iam.AccountPrincipal("123456789012"))
    assert.is_true(g.success) -- CDK keeps the resource statement even though it was dropped
    assert.is_nil(g.principal_statement)
    local p = cdk.CfnParameter(stack, "KeyArn")
    kms.Key.from_key_arn(stack, "Token", p.value_as_string):grant_decrypt(role)
    key:add_alias("imported")
    assert.same({
      Resources = {
        ImportedAliasDD7D5EE4 = K.alias("alias/imported", ARN),
        Role1ABCC5F0 = K.lambda_role(),
        RoleDefaultPolicy5FFB7DAB = K.role_policy("RoleDefaultPolicy5FFB7DAB", "Role1ABCC5F0", {
          K.allow(K.ENCRYPT_DECRYPT, ARN),
          K.allow("kms:Decrypt", { Ref = "KeyArn" }),
        }),
      },
      Parameters = { KeyArn = { Type = "String" } },
    }, stack:to_json())
  end)

  it("add_to_resource_policy is a no-op, or CDK's error when allow_no_op is false", function()
    local key = kms.Key.from_key_arn(stack, "Imported", ARN)
    local s = iam.PolicyStatement { actions = { "kms:*" }, resources = { "*" } }
    local r = key:add_to_resource_policy(s)
    assert.is_false(r.statement_added)
    assert.is_nil(r.policy_dependable)
    assert.is_false(key:add_to_resource_policy(s, true).statement_added)
    assert.equal('Unable to add statement to IAM resource policy for KMS key: "' .. ARN .. '"',
      error_of(function() key:add_to_resource_policy(s, false) end))
    local tk = kms.Key.from_key_arn(stack, "Token", cdk.CfnParameter(stack, "KeyArn").value_as_string)
    assert.equal('Unable to add statement to IAM resource policy for KMS key: {"Ref":"KeyArn"}',
      error_of(function() tk:add_to_resource_policy(s, false) end))
  end)

  it("is an encryption key for ecr.Repository", function()
    ecr.Repository(stack, "Repo", { encryption_key = kms.Key.from_key_arn(stack, "Imported", ARN) })
    assert.same({ Type = "AWS::ECR::Repository", UpdateReplacePolicy = "Retain", DeletionPolicy = "Retain",
      Properties = { EncryptionConfiguration = { EncryptionType = "KMS", KmsKey = ARN } } },
      stack:to_json().Resources.Repo02AC86CF)
  end)

  it("has CDK's class in tree.json", function()
    kms.Key.from_key_arn(stack, "Imported", ARN)
    local asm = app:synth()
    local tree = json.read_file(asm.directory .. "/tree.json")
    assert.equal("@aws-cdk/core.Resource", tree.tree.children.Stack.children.Imported.constructInfo.fqn)
  end)

  describe("errors (CDK's messages)", function()
    local FORMAT = "KMS key ARN must be in the format 'arn:aws:kms:<region>:<account>:key/<keyId>', got: '%s'"
    local cases = {
      { "an ARN without a key id", "arn:aws:kms:us-east-1:123456789012:key",
        FORMAT:format("arn:aws:kms:us-east-1:123456789012:key") },
      { "an empty key id", "arn:aws:kms:us-east-1:123456789012:key/",
        FORMAT:format("arn:aws:kms:us-east-1:123456789012:key/") },
      { "something not an ARN", "not-an-arn", 'ARNs must start with "arn:" and have at least 6 components: not-an-arn' },
    }
    for _, c in ipairs(cases) do
      it("rejects " .. c[1] .. ", leaving nothing behind", function()
        assert.equal(c[3], error_of(function() kms.Key.from_key_arn(stack, "I", c[2]) end))
        assert.is_nil(stack.node:try_find_child("I"))
      end)
    end

    it("needs a stack", function()
      assert.equal("App at '' should be created in the scope of a Stack, but no Stack found",
        error_of(function() kms.Key.from_key_arn(app, "I", ARN) end))
    end)
  end)
end)
