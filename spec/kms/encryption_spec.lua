-- ecr.Repository encryption with a customer key: encryption_key (a kms.Key, an imported key or
-- an alias) with encryption KMS or unset, CDK's error with AES_256, and a key from another
-- stack, pinned against what the AWS CDK v1 (1.204.0) synthesizes for the same programs.
local cdk = require "cdk"
local kms = require "cdk.kms"
local ecr = require "cdk.ecr"
local helpers = require "support.helpers"
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

local function repo(kms_key)
  return { Type = "AWS::ECR::Repository", UpdateReplacePolicy = "Retain", DeletionPolicy = "Retain",
    Properties = { EncryptionConfiguration = { EncryptionType = "KMS", KmsKey = kms_key } } }
end

describe("ecr.Repository with a customer key", function()
  local app, stack

  before_each(function()
    app = new_app()
    stack = cdk.Stack(app, "Stack")
  end)

  after_each(function()
    for _, d in ipairs(outdirs) do helpers.rmtree(d) end
    outdirs = {}
  end)

  it("encryption_key alone means KMS; with KMS given it is the same (README 'Encryption')", function()
    ecr.Repository(stack, "Repo", { encryption_key = kms.Key(stack, "Key") })
    local key2 = kms.Key(stack, "Key2", { alias = "alias/ecr", enable_key_rotation = true,
      removal_policy = cdk.RemovalPolicy.DESTROY })
    ecr.Repository(stack, "Repo2", { encryption = ecr.RepositoryEncryption.KMS, encryption_key = key2 })
    assert.same({
      Resources = {
        Key961B73FD = K.key(),
        Repo02AC86CF = repo(K.getatt("Key961B73FD")),
        Key2071601C6 = K.key({ EnableKeyRotation = true }, "Delete"),
        Key2Alias6B87684B = K.alias("alias/ecr", K.getatt("Key2071601C6")),
        Repo2730A8200 = repo(K.getatt("Key2071601C6")),
      },
    }, stack:to_json())
  end)

  it("an imported key writes its ARN", function()
    local arn = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    ecr.Repository(stack, "Repo", { encryption_key = kms.Key.from_key_arn(stack, "Imported", arn) })
    assert.same({ Resources = { Repo02AC86CF = repo(arn) } }, stack:to_json())
  end)

  it("a key of another stack is exported and imported", function()
    local keys = cdk.Stack(app, "Keys")
    local key = kms.Key(keys, "Key")
    ecr.Repository(stack, "Repo", { encryption_key = key })
    local asm = app:synth()
    local export = "Keys:ExportsOutputFnGetAttKey961B73FDArn5A860C43"
    assert.same(repo({ ["Fn::ImportValue"] = export }), asm:get_stack_by_name("Stack").template.Resources.Repo02AC86CF)
    assert.same({ ExportsOutputFnGetAttKey961B73FDArn5A860C43 = { Value = K.getatt("Key961B73FD"),
      Export = { Name = export } } }, asm:get_stack_by_name("Keys").template.Outputs)
  end)

  it("refuses encryption_key with AES_256 (CDK's message, Lua names)", function()
    local key = kms.Key(stack, "Key")
    assert.equal("encryption_key is specified, so 'encryption' must be set to KMS (value: AES256)",
      error_of(function()
        ecr.Repository(stack, "Repo", { encryption = ecr.RepositoryEncryption.AES_256, encryption_key = key })
      end))
    assert.is_nil(stack.node:try_find_child("Repo"))
  end)

  it("refuses anything but a key as encryption_key", function()
    assert.equal("bad argument #3 to 'Repository' (field 'encryption_key': kms.Key expected, got Stack)",
      error_of(function() ecr.Repository(stack, "Repo", { encryption_key = stack }) end))
    assert.equal("bad argument #3 to 'Repository' (field 'encryption_key': kms.Key expected, got string)",
      error_of(function() ecr.Repository(stack, "Repo", { encryption_key = "arn:aws:kms:us-east-1:1:key/k" }) end))
  end)
end)
