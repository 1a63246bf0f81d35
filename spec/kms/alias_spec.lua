-- kms.Alias and key:add_alias: ids and names ("alias/" added), removal policies, aliases of
-- aliases, token names, fields, grants and policy statements that go to the target key, the
-- imports (from_alias_name drops grants; from_alias_attributes delegates) and CDK's name checks,
-- pinned against what the AWS CDK v1 (1.204.0) synthesizes for the same programs.
local cdk = require "cdk"
local kms = require "cdk.kms"
local iam = require "cdk.iam"
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

local KEY_ARN = K.getatt("Key961B73FD")

describe("kms.Alias", function()
  local app, stack

  before_each(function()
    app = new_app()
    stack = cdk.Stack(app, "Stack")
  end)

  after_each(function()
    for _, d in ipairs(outdirs) do helpers.rmtree(d) end
    outdirs = {}
  end)

  it("add_alias: the first is 'Alias', the next 'Alias' .. name (ids sanitised as CDK does)", function()
    local key = kms.Key(stack, "Key", { alias = "first" })
    local second = key:add_alias("alias/second")
    key:add_alias("third")
    assert.equal("Stack/Key/Aliasalias--second", second.node.path)
    assert.same({
      Resources = {
        Key961B73FD = K.key(),
        KeyAlias910D852D = K.alias("alias/first", KEY_ARN),
        KeyAliasaliassecondD1C7DD56 = K.alias("alias/second", KEY_ARN),
        KeyAliasthird233153FF = K.alias("alias/third", KEY_ARN),
      },
    }, stack:to_json())
  end)

  it("a standalone alias with a removal policy, an alias of an alias, token names", function()
    local key = kms.Key(stack, "Key")
    local a = kms.Alias(stack, "Standalone", { alias_name = "standalone", target_key = key,
      removal_policy = cdk.RemovalPolicy.DESTROY })
    kms.Alias(stack, "OfAlias", { alias_name = "alias/of-alias", target_key = a })
    local p = cdk.CfnParameter(stack, "Name")
    kms.Alias(stack, "Tok", { alias_name = p.value_as_string, target_key = key })
    kms.Alias(stack, "Tok2", { alias_name = "aws/" .. p.value_as_string, target_key = key })
    local t = stack:to_json()
    assert.same(K.alias("alias/standalone", KEY_ARN, "Delete"), t.Resources.StandaloneC2E2F93B)
    assert.same(K.alias("alias/of-alias", K.kms_arn("alias/standalone")), t.Resources.OfAlias59A16B04)
    assert.same(K.alias({ Ref = "Name" }, KEY_ARN), t.Resources.TokDEDA6597)
    assert.same(K.alias({ ["Fn::Join"] = { "", { "aws/", { Ref = "Name" } } } }, KEY_ARN), t.Resources.Tok2992E4CC8)
  end)

  it("key_arn is the alias's ARN, key_id and alias_name its name, alias_target_key the key", function()
    local key = kms.Key(stack, "Key")
    local a = kms.Alias(stack, "Standalone", { alias_name = "standalone", target_key = key })
    cdk.CfnOutput(stack, "Arn", { value = a.key_arn })
    cdk.CfnOutput(stack, "Id", { value = a.key_id })
    cdk.CfnOutput(stack, "Name", { value = a.alias_name })
    assert.same({
      Arn = { Value = K.kms_arn("alias/standalone") },
      Id = { Value = "alias/standalone" },
      Name = { Value = "alias/standalone" },
    }, stack:to_json().Outputs)
    assert.equal(key, a.alias_target_key)
    assert.equal("Stack/Standalone/Resource", a.node.default_child.node.path)
  end)

  it("grants, policy statements and add_alias go through to the target key", function()
    local key = kms.Key(stack, "Key")
    local a = kms.Alias(stack, "Standalone", { alias_name = "standalone", target_key = key })
    local aa = kms.Alias(stack, "OfAlias", { alias_name = "alias/of-alias", target_key = a })
    local role = iam.Role(stack, "Role", { assumed_by = iam.ServicePrincipal("lambda.amazonaws.com") })
    a:grant_decrypt(role)
    aa:grant_encrypt(role)
    a:grant(role, "kms:Sign")
    aa:grant_encrypt_decrypt(iam.AccountPrincipal("123456789012"))
    local via = aa:add_alias("via-alias")
    local r = a:add_to_resource_policy(iam.PolicyStatement { actions = { "kms:Verify" }, resources = { "*" },
      principals = { iam.AnyPrincipal() } })
    assert.is_true(r.statement_added)
    assert.equal(6, r.policy_dependable.statement_count)
    assert.equal("Stack/Key/Alias", via.node.path)
    local role_arn = { AWS = K.getatt("Role1ABCC5F0") }
    local t = stack:to_json()
    assert.same(K.key(nil, nil, K.policy({
      K.legacy_statement(),
      K.statement("kms:Decrypt", role_arn),
      K.statement(K.ENCRYPT, role_arn),
      K.statement("kms:Sign", role_arn),
      K.statement(K.ENCRYPT_DECRYPT, { AWS = K.account_root("123456789012") }),
      K.statement("kms:Verify", { AWS = "*" }),
    })), t.Resources.Key961B73FD)
    assert.same(K.alias("alias/via-alias", KEY_ARN), t.Resources.KeyAlias910D852D)
    assert.same(K.role_policy("RoleDefaultPolicy5FFB7DAB", "Role1ABCC5F0", {
      K.allow("kms:Decrypt", KEY_ARN), K.allow(K.ENCRYPT, KEY_ARN), K.allow("kms:Sign", KEY_ARN),
    }), t.Resources.RoleDefaultPolicy5FFB7DAB)
  end)

  describe("imports", function()
    it("from_alias_name: an ARN from the name; grants and policy statements are dropped", function()
      local role = iam.Role(stack, "Role", { assumed_by = iam.ServicePrincipal("lambda.amazonaws.com") })
      local imp = kms.Alias.from_alias_name(stack, "ByName", "alias/imported")
      local g = imp:grant_decrypt(role)
      assert.is_false(g.success)
      imp:grant(role, "kms:Sign")
      imp:grant_encrypt(role)
      imp:grant_encrypt_decrypt(role)
      local r = imp:add_to_resource_policy(iam.PolicyStatement { actions = { "kms:Verify" }, resources = { "*" },
        principals = { iam.AnyPrincipal() } })
      assert.is_false(r.statement_added)
      assert.is_nil(r.policy_dependable)
      cdk.CfnOutput(stack, "Arn", { value = imp.key_arn })
      cdk.CfnOutput(stack, "Id", { value = imp.key_id })
      cdk.CfnOutput(stack, "Name", { value = imp.alias_name })
      assert.same({
        Resources = { Role1ABCC5F0 = K.lambda_role() },
        Outputs = {
          Arn = { Value = K.kms_arn("alias/imported") },
          Id = { Value = "alias/imported" },
          Name = { Value = "alias/imported" },
        },
      }, stack:to_json())
    end)

    it("from_alias_name refuses add_alias and alias_target_key (CDK's messages)", function()
      local imp = kms.Alias.from_alias_name(stack, "ByName", "alias/x")
      assert.equal("Cannot call add_alias on an Alias imported by Alias.from_alias_name().",
        error_of(function() imp:add_alias("y") end))
      assert.equal("Cannot access alias_target_key on an Alias imported by Alias.from_alias_name().",
        error_of(function() return imp.alias_target_key end))
    end)

    it("from_alias_attributes delegates to the given key", function()
      local key = kms.Key(stack, "Key")
      local attrs = kms.Alias.from_alias_attributes(stack, "ByAttrs", { alias_name = "alias/attrs",
        alias_target_key = key })
      attrs:grant_decrypt(iam.ArnPrincipal("arn:aws:iam::123456789012:user/u"))
      attrs:add_alias("via-attrs")
      cdk.CfnOutput(stack, "Arn", { value = attrs.key_arn })
      assert.equal(key, attrs.alias_target_key)
      assert.same({
        Resources = {
          Key961B73FD = K.key(nil, nil, K.policy({
            K.legacy_statement(),
            K.statement("kms:Decrypt", { AWS = "arn:aws:iam::123456789012:user/u" }),
          })),
          KeyAlias910D852D = K.alias("alias/via-attrs", KEY_ARN),
        },
        Outputs = { Arn = { Value = K.kms_arn("alias/attrs") } },
      }, stack:to_json())
    end)

    it("the tree names the imports' class as CDK does", function()
      kms.Alias.from_alias_name(stack, "ByName", "alias/x")
      kms.Alias(stack, "A", { alias_name = "a", target_key = kms.Key(stack, "Key") })
      local asm = app:synth()
      local tree = require("support.json").read_file(asm.directory .. "/tree.json")
      local s = tree.tree.children.Stack.children
      assert.equal("@aws-cdk/core.Resource", s.ByName.constructInfo.fqn)
      assert.equal("@aws-cdk/aws-kms.Alias", s.A.constructInfo.fqn)
      assert.equal("@aws-cdk/aws-kms.CfnAlias", s.A.children.Resource.constructInfo.fqn)
      assert.equal("@aws-cdk/aws-kms.Key", s.Key.constructInfo.fqn)
    end)
  end)

  it("an alias is an encryption key for ecr.Repository", function()
    local key = kms.Key(stack, "Key")
    local a = kms.Alias(stack, "Standalone", { alias_name = "standalone", target_key = key })
    ecr.Repository(stack, "Repo", { encryption_key = a })
    ecr.Repository(stack, "Repo2", { encryption_key = kms.Alias.from_alias_name(stack, "ByName", "alias/imported") })
    local t = stack:to_json()
    local function repo(arn)
      return { Type = "AWS::ECR::Repository", UpdateReplacePolicy = "Retain", DeletionPolicy = "Retain",
        Properties = { EncryptionConfiguration = { EncryptionType = "KMS", KmsKey = arn } } }
    end
    assert.same(repo(K.kms_arn("alias/standalone")), t.Resources.Repo02AC86CF)
    assert.same(repo(K.kms_arn("alias/imported")), t.Resources.Repo2730A8200)
  end)

  describe("names (CDK's checks and messages)", function()
    local cases = {
      { "'alias/' alone", "alias/", 'Alias must include a value after "alias/": alias/' },
      { "the empty name", "", 'Alias must include a value after "alias/": alias/' },
      { "alias/aws/ in any case", "alias/AWS/foo", "Alias cannot start with alias/aws/: alias/AWS/foo" },
      { "aws/ (alias/ added first)", "aws/foo", "Alias cannot start with alias/aws/: alias/aws/foo" },
      { "a space", "alias/has space", "Alias name must be between 1 and 256 characters in a-zA-Z0-9:/_-" },
      { "257 characters", string.rep("a", 251), "Alias name must be between 1 and 256 characters in a-zA-Z0-9:/_-" },
    }
    for _, c in ipairs(cases) do
      it("rejects " .. c[1] .. " (kms.Alias, add_alias, the alias prop), leaving nothing behind", function()
        local key = kms.Key(stack, "Key")
        assert.equal(c[3], error_of(function() kms.Alias(stack, "A", { alias_name = c[2], target_key = key }) end))
        assert.is_nil(stack.node:try_find_child("A"))
        assert.equal(c[3], error_of(function() key:add_alias(c[2]) end))
        assert.is_nil(key.node:try_find_child("Alias"))
        assert.equal(c[3], error_of(function() kms.Key(stack, "Other", { alias = c[2] }) end))
        assert.is_nil(stack.node:try_find_child("Other"))
        key:add_alias("fine")
        assert.equal("Stack/Key/Alias", key.node:find_child("Alias").node.path)
      end)
    end

    it("accepts 256 characters and ':', '/', '_', '-'", function()
      kms.Key(stack, "Key", { alias = string.rep("a", 250) })
      kms.Key(stack, "Other", { alias = "alias/a:b/c_d-E9" })
      local t = stack:to_json()
      assert.equal("alias/" .. string.rep("a", 250), t.Resources.KeyAlias910D852D.Properties.AliasName)
    end)

    it("a third alias of the same name is a duplicate construct (CDK's message)", function()
      local key = kms.Key(stack, "Key")
      key:add_alias("a")
      key:add_alias("b")
      assert.equal("There is already a Construct with name 'Aliasb' in Key [Key]",
        error_of(function() key:add_alias("b") end))
    end)
  end)
end)
