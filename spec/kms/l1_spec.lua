-- The KMS L1 resources (CfnKey, CfnAlias, CfnReplicaKey): every property with snake_case keys in
-- CDK's order (required first, then alphabetical), attr_* fields and ref, tags, and bad input.
-- Templates are pinned against the AWS CDK v1 (1.204.0); the input checks are lua-cdk's own.
local cdk = require "cdk"
local kms = require "cdk.kms"
local iam = require "cdk.iam"
local helpers = require "support.helpers"

local outdirs = {}

local function new_app()
  local dir = helpers.tmppath(".out")
  outdirs[#outdirs + 1] = dir
  return cdk.App { outdir = dir }
end

local function error_of(fn)
  return (helpers.error_of(fn):gsub("^[^\n:]+%.lua:%d+: ", ""))
end

describe("kms L1 resources", function()
  local app, stack

  before_each(function()
    app = new_app()
    stack = cdk.Stack(app, "Stack")
  end)

  after_each(function()
    for _, d in ipairs(outdirs) do helpers.rmtree(d) end
    outdirs = {}
  end)

  it("CfnKey, CfnAlias and CfnReplicaKey take every property, written in CDK's order", function()
    local key = kms.CfnKey(stack, "L1", { key_policy = { Statement = { "x" } }, multi_region = true,
      pending_window_in_days = 9, tags = { { key = "a", value = "b" } }, key_spec = "RSA_2048",
      key_usage = "SIGN_VERIFY", enabled = true, enable_key_rotation = false, description = "d" })
    kms.CfnAlias(stack, "L1Alias", { alias_name = "alias/l1", target_key_id = key.ref })
    kms.CfnReplicaKey(stack, "Replica", { key_policy = { a = 1 }, primary_key_arn = "arn:aws:kms:us-east-1:1:key/x",
      description = "r", enabled = false, pending_window_in_days = 7, tags = { { key = "k", value = "v" } } })
    local t = stack:to_json()
    assert.same({
      Resources = {
        L1 = {
          Type = "AWS::KMS::Key",
          Properties = {
            KeyPolicy = { Statement = { "x" } },
            Description = "d",
            Enabled = true,
            EnableKeyRotation = false,
            KeySpec = "RSA_2048",
            KeyUsage = "SIGN_VERIFY",
            MultiRegion = true,
            PendingWindowInDays = 9,
            Tags = { { Key = "a", Value = "b" } },
          },
        },
        L1Alias = { Type = "AWS::KMS::Alias", Properties = { AliasName = "alias/l1", TargetKeyId = { Ref = "L1" } } },
        Replica = {
          Type = "AWS::KMS::ReplicaKey",
          Properties = {
            KeyPolicy = { a = 1 },
            PrimaryKeyArn = "arn:aws:kms:us-east-1:1:key/x",
            Description = "r",
            Enabled = false,
            PendingWindowInDays = 7,
            Tags = { { Key = "k", Value = "v" } },
          },
        },
      },
    }, t)
  end)

  it("the template text keeps CDK's key order", function()
    kms.CfnKey(stack, "L1", { key_policy = { a = 1 }, tags = { { key = "a", value = "b" } },
      pending_window_in_days = 9, enabled = true, enable_key_rotation = true, description = "d" })
    local text = helpers.read_assembly(app:synth().directory)[1].text
    local order = {}
    for k in text:gmatch('\n    "(%u%a+)":') do order[#order + 1] = k end
    assert.same({ "KeyPolicy", "Description", "Enabled", "EnableKeyRotation", "PendingWindowInDays", "Tags" }, order)
  end)

  it("attr_arn, attr_key_id and ref", function()
    local key = kms.CfnKey(stack, "L1", { key_policy = { a = 1 } })
    local replica = kms.CfnReplicaKey(stack, "Replica", { key_policy = { a = 1 }, primary_key_arn = key.attr_arn })
    cdk.CfnOutput(stack, "Arn", { value = key.attr_arn })
    cdk.CfnOutput(stack, "KeyId", { value = key.attr_key_id })
    cdk.CfnOutput(stack, "Ref", { value = key.ref })
    cdk.CfnOutput(stack, "ReplicaId", { value = replica.attr_key_id })
    assert.same({
      Arn = { Value = { ["Fn::GetAtt"] = { "L1", "Arn" } } },
      KeyId = { Value = { ["Fn::GetAtt"] = { "L1", "KeyId" } } },
      Ref = { Value = { Ref = "L1" } },
      ReplicaId = { Value = { ["Fn::GetAtt"] = { "Replica", "KeyId" } } },
    }, stack:to_json().Outputs)
  end)

  it("a PolicyDocument's string token is a key_policy", function()
    local doc = iam.PolicyDocument { statements = { iam.PolicyStatement { actions = { "kms:*" }, resources = { "*" },
      principals = { iam.AnyPrincipal() } } } }
    kms.CfnKey(stack, "L1", { key_policy = tostring(doc) })
    assert.same({ Statement = { { Action = "kms:*", Effect = "Allow", Principal = { AWS = "*" }, Resource = "*" } },
      Version = "2012-10-17" }, stack:to_json().Resources.L1.Properties.KeyPolicy)
  end)

  it("refuses missing required properties, unknown ones and wrong types", function()
    assert.equal("bad argument #3 to 'CfnKey' (missing required property 'key_policy')",
      error_of(function() kms.CfnKey(stack, "K", {}) end))
    assert.equal("bad argument #3 to 'CfnAlias' (missing required property 'target_key_id')",
      error_of(function() kms.CfnAlias(stack, "A", { alias_name = "alias/x" }) end))
    assert.equal("bad argument #3 to 'CfnReplicaKey' (missing required property 'primary_key_arn')",
      error_of(function() kms.CfnReplicaKey(stack, "R", { key_policy = { a = 1 } }) end))
    assert.equal("bad argument #3 to 'CfnKey' (unknown property 'keypolicy')",
      error_of(function() kms.CfnKey(stack, "K", { key_policy = { a = 1 }, keypolicy = {} }) end))
    assert.equal("bad argument #3 to 'CfnKey' (field 'enabled': boolean expected, got string)",
      error_of(function() kms.CfnKey(stack, "K", { key_policy = { a = 1 }, enabled = "yes" }) end))
    assert.equal("bad argument #3 to 'CfnKey' (field 'pending_window_in_days': number expected, got string)",
      error_of(function() kms.CfnKey(stack, "K", { key_policy = { a = 1 }, pending_window_in_days = "7" }) end))
  end)
end)
