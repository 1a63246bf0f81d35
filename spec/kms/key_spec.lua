-- kms.Key: every prop, the default key policy of CDK v1 (legacy, trust_account_identities and
-- the defaultKeyPolicies flag), a user's policy document, fields, removal policies, tags,
-- add_to_resource_policy, validation at synth and CDK's construction errors, pinned against what
-- the AWS CDK v1 (1.204.0) synthesizes for the same programs.
local cdk = require "cdk"
local kms = require "cdk.kms"
local iam = require "cdk.iam"
local helpers = require "support.helpers"
local K = require "support.kms"

local outdirs = {}

local function new_app()
  local dir = helpers.tmppath(".out")
  outdirs[#outdirs + 1] = dir
  return cdk.App { outdir = dir }
end

-- The message without its "file:line: " position.
local function error_of(fn)
  return (helpers.error_of(fn):gsub("^[^\n:]+%.lua:%d+: ", ""))
end

describe("kms.Key", function()
  local app, stack

  before_each(function()
    app = new_app()
    stack = cdk.Stack(app, "Stack")
  end)

  after_each(function()
    for _, d in ipairs(outdirs) do helpers.rmtree(d) end
    outdirs = {}
  end)

  it("with no props is a retained key whose policy gives the account the legacy admin actions", function()
    kms.Key(stack, "Key")
    assert.same({ Resources = { Key961B73FD = K.key() } }, stack:to_json())
  end)

  it("accepts props = nil and props = {} alike", function()
    kms.Key(stack, "Key", nil)
    kms.Key(stack, "Other", {})
    local t = stack:to_json()
    assert.same(K.key(), t.Resources.Key961B73FD)
    assert.same(K.key(), t.Resources.Other34654A52)
  end)

  describe("props", function()
    it("description, enabled, enable_key_rotation, pending_window and removal_policy", function()
      kms.Key(stack, "Key", {
        description = "my key", enabled = false, enable_key_rotation = true,
        pending_window = cdk.Duration.days(7), removal_policy = cdk.RemovalPolicy.DESTROY,
      })
      assert.same({
        Resources = {
          Key961B73FD = K.key({ Description = "my key", Enabled = false, EnableKeyRotation = true,
            PendingWindowInDays = 7 }, "Delete"),
        },
      }, stack:to_json())
    end)

    it("key_spec and key_usage, pending_window of 30 days, SNAPSHOT", function()
      kms.Key(stack, "Sign", { key_spec = kms.KeySpec.RSA_2048, key_usage = kms.KeyUsage.SIGN_VERIFY,
        pending_window = cdk.Duration.days(30), removal_policy = cdk.RemovalPolicy.SNAPSHOT })
      assert.same({
        Resources = {
          Sign988FF37F = K.key({ KeySpec = "RSA_2048", KeyUsage = "SIGN_VERIFY", PendingWindowInDays = 30 },
            "Snapshot"),
        },
      }, stack:to_json())
    end)

    it("pending_window in another unit is converted to whole days; rotation false is written", function()
      kms.Key(stack, "Ecc", { key_spec = kms.KeySpec.ECC_NIST_P256, key_usage = kms.KeyUsage.SIGN_VERIFY,
        enable_key_rotation = false, pending_window = cdk.Duration.hours(240) })
      kms.Key(stack, "Minutes", { pending_window = cdk.Duration.minutes(14400) })
      assert.same({
        Resources = {
          Ecc4ED22194 = K.key({ EnableKeyRotation = false, KeySpec = "ECC_NIST_P256", KeyUsage = "SIGN_VERIFY",
            PendingWindowInDays = 10 }),
          MinutesE85B7CF6 = K.key({ PendingWindowInDays = 10 }),
        },
      }, stack:to_json())
    end)

    it("the description may be a token", function()
      kms.Key(stack, "Key", { description = cdk.Fn.join("-", { "a", cdk.Aws.REGION }) })
      assert.same(K.key({ Description = { ["Fn::Join"] = { "-", { "a", { Ref = "AWS::Region" } } } } }),
        stack:to_json().Resources.Key961B73FD)
    end)

    it("alias makes an Alias child named 'Alias', with the alias/ prefix added", function()
      kms.Key(stack, "Key", { alias = "foo" })
      assert.same({
        Resources = {
          Key961B73FD = K.key(),
          KeyAlias910D852D = K.alias("alias/foo", K.getatt("Key961B73FD")),
        },
      }, stack:to_json())
    end)
  end)

  describe("the key policy", function()
    it("a user's policy document gets the legacy statement appended (and is changed)", function()
      local policy = iam.PolicyDocument { statements = { iam.PolicyStatement {
        actions = { "kms:Decrypt" }, resources = { "*" },
        principals = { iam.ArnPrincipal("arn:aws:iam::123456789012:role/R") } } } }
      kms.Key(stack, "Key", { policy = policy })
      assert.same(K.key(nil, nil, K.policy({
        K.statement("kms:Decrypt", { AWS = "arn:aws:iam::123456789012:role/R" }),
        K.legacy_statement(),
      })), stack:to_json().Resources.Key961B73FD)
      assert.equal(2, policy.statement_count)
    end)

    it("trust_account_identities gives the account kms:* instead", function()
      kms.Key(stack, "Trust", { trust_account_identities = true })
      kms.Key(stack, "TrustPolicy", { trust_account_identities = true, policy = iam.PolicyDocument() })
      local t = stack:to_json()
      assert.same(K.key(nil, nil, K.policy({ K.trust_statement() })), t.Resources.Trust4DE8AA96)
      assert.same(K.key(nil, nil, K.policy({ K.trust_statement() })), t.Resources.TrustPolicyBFB10B4E)
    end)

    it("the defaultKeyPolicies flag gives kms:* to the account, and keeps a user's policy as it is", function()
      stack.node:set_context("@aws-cdk/aws-kms:defaultKeyPolicies", true)
      kms.Key(stack, "Key")
      kms.Key(stack, "WithPolicy", { policy = iam.PolicyDocument { statements = { iam.PolicyStatement {
        actions = { "kms:*" }, resources = { "*" }, principals = { iam.AccountPrincipal("111111111111") } } } } })
      local t = stack:to_json()
      assert.same(K.key(nil, nil, K.policy({ K.trust_statement() })), t.Resources.Key961B73FD)
      assert.same(K.key(nil, nil, K.policy({ K.statement("kms:*", { AWS = K.account_root("111111111111") }) })),
        t.Resources.WithPolicyC5CEDAA5)
    end)

    it("the flag is read as JavaScript reads it: 'false' is set, 0 is not", function()
      local s1 = cdk.Stack(app, "S1")
      s1.node:set_context("@aws-cdk/aws-kms:defaultKeyPolicies", "false")
      kms.Key(s1, "Key")
      local s2 = cdk.Stack(app, "S2")
      s2.node:set_context("@aws-cdk/aws-kms:defaultKeyPolicies", 0)
      kms.Key(s2, "Key")
      assert.same(K.key(nil, nil, K.policy({ K.trust_statement() })), s1:to_json().Resources.Key961B73FD)
      assert.same(K.key(), s2:to_json().Resources.Key961B73FD)
    end)

    it("the flag also comes from the App's context", function()
      local a = cdk.App { outdir = helpers.tmppath(".out"),
        context = { ["@aws-cdk/aws-kms:defaultKeyPolicies"] = true } }
      local s = cdk.Stack(a, "Stack")
      kms.Key(s, "Key")
      assert.same(K.key(nil, nil, K.policy({ K.trust_statement() })), s:to_json().Resources.Key961B73FD)
    end)

    it("add_to_resource_policy adds to the key policy and answers with it", function()
      local key = kms.Key(stack, "Added")
      local r = key:add_to_resource_policy(iam.PolicyStatement { actions = { "kms:Sign" }, resources = { "*" },
        principals = { iam.AnyPrincipal() } })
      assert.is_true(r.statement_added)
      assert.equal(2, r.policy_dependable.statement_count)
      assert.same(K.key(nil, nil, K.policy({
        K.legacy_statement(),
        K.statement("kms:Sign", { AWS = "*" }),
      })), stack:to_json().Resources.Added701B1C67)
    end)

    it("add_to_resource_policy adds to a user's document and answers with it", function()
      -- the reference: statementAdded, policyDependable === the document, 3 statements
      local policy = iam.PolicyDocument { statements = { iam.PolicyStatement {
        actions = { "kms:Decrypt" }, resources = { "*" },
        principals = { iam.ArnPrincipal("arn:aws:iam::123456789012:role/R") } } } }
      local key = kms.Key(stack, "Key", { policy = policy })
      local r = key:add_to_resource_policy(iam.PolicyStatement { actions = { "kms:Sign" }, resources = { "*" },
        principals = { iam.AnyPrincipal() } })
      assert.is_true(r.statement_added)
      assert.equal(3, r.policy_dependable.statement_count)
      assert.equal(3, policy.statement_count)
      assert.same(K.key(nil, nil, K.policy({
        K.statement("kms:Decrypt", { AWS = "arn:aws:iam::123456789012:role/R" }),
        K.legacy_statement(),
        K.statement("kms:Sign", { AWS = "*" }),
      })), stack:to_json().Resources.Key961B73FD)
    end)

    it("is validated at synth as a resource policy", function()
      kms.Key(stack, "Key"):add_to_resource_policy(iam.PolicyStatement { actions = { "kms:*" }, resources = { "*" } })
      assert.equal("Validation failed with the following errors:\n  [Stack/Key] A PolicyStatement used in a "
        .. "resource-based policy must specify at least one IAM principal.", error_of(function() app:synth() end))
    end)
  end)

  describe("fields and methods", function()
    it("key_arn is the GetAtt Arn, key_id the Ref; env and stack are the stack's", function()
      local key = kms.Key(stack, "Key")
      cdk.CfnOutput(stack, "Arn", { value = key.key_arn })
      cdk.CfnOutput(stack, "Id", { value = key.key_id })
      assert.same({ Arn = { Value = K.getatt("Key961B73FD") }, Id = { Value = { Ref = "Key961B73FD" } } },
        stack:to_json().Outputs)
      assert.equal(stack, key.stack)
      assert.equal(stack.account, key.env.account)
      assert.equal(stack.region, key.env.region)
    end)

    it("apply_removal_policy changes the CfnKey's policies; tags go to the CfnKey", function()
      local key = kms.Key(stack, "Key")
      cdk.Tags.of(key):add("team", "x")
      key:apply_removal_policy(cdk.RemovalPolicy.DESTROY)
      assert.same(K.key({ Tags = { { Key = "team", Value = "x" } } }, "Delete"), stack:to_json().Resources.Key961B73FD)
    end)

    it("node.default_child is the CfnKey", function()
      local key = kms.Key(stack, "Key")
      assert.equal("Stack/Key/Resource", key.node.default_child.node.path)
    end)
  end)

  describe("lifetime", function()
    it("a key, its grants and its policy keep their App alive", function()
      local key, grant, policy = (function()
        local a = cdk.App { outdir = helpers.tmppath(".out") }
        local k = kms.Key(cdk.Stack(a, "S"), "K")
        local g = k:grant_decrypt(iam.AccountPrincipal("123456789012"))
        return k, g, k:add_to_resource_policy(iam.PolicyStatement { actions = { "kms:Sign" }, resources = { "*" },
          principals = { iam.AnyPrincipal() } }).policy_dependable
      end)()
      collectgarbage()
      collectgarbage()
      assert.equal("S/K", key.node.path)
      assert.is_true(grant.success)
      assert.equal(3, policy.statement_count)
      local _, resource = next(key.stack:to_json().Resources)
      assert.equal(3, #resource.Properties.KeyPolicy.Statement)
    end)
  end)

  describe("errors (CDK's messages)", function()
    local cases = {
      { "a pending window under 7 days", { pending_window = cdk.Duration.days(6) },
        "'pending_window' value must between 7 and 30 days. Received: 6" },
      { "a pending window over 30 days", { pending_window = cdk.Duration.days(31) },
        "'pending_window' value must between 7 and 30 days. Received: 31" },
      { "a pending window of partial days", { pending_window = cdk.Duration.hours(200) },
        "'200 hours' cannot be converted into a whole number of days." },
      { "an ECC key for encryption", { key_spec = kms.KeySpec.ECC_NIST_P384 },
        "key spec 'ECC_NIST_P384' is not valid with usage 'ENCRYPT_DECRYPT'" },
      { "a symmetric key for signing", { key_usage = kms.KeyUsage.SIGN_VERIFY },
        "key spec 'SYMMETRIC_DEFAULT' is not valid with usage 'SIGN_VERIFY'" },
      { "rotation of an asymmetric key", { key_spec = kms.KeySpec.RSA_4096, enable_key_rotation = true },
        "key rotation cannot be enabled on asymmetric keys" },
    }
    for _, c in ipairs(cases) do
      it("rejects " .. c[1] .. ", leaving no construct behind", function()
        assert.equal(c[3], error_of(function() kms.Key(stack, "Key", c[2]) end))
        assert.is_nil(stack.node:try_find_child("Key"))
        kms.Key(stack, "Key")
      end)
    end

    it("refuses trust_account_identities = false under the defaultKeyPolicies flag", function()
      stack.node:set_context("@aws-cdk/aws-kms:defaultKeyPolicies", true)
      assert.equal("`trust_account_identities` cannot be false if the @aws-cdk/aws-kms:defaultKeyPolicies "
        .. "feature flag is set", error_of(function() kms.Key(stack, "Key", { trust_account_identities = false }) end))
    end)

    it("a bad alias leaves neither the key nor the user's policy changed", function()
      local policy = iam.PolicyDocument()
      assert.equal('Alias must include a value after "alias/": alias/',
        error_of(function() kms.Key(stack, "Key", { alias = "alias/", policy = policy }) end))
      assert.is_nil(stack.node:try_find_child("Key"))
      assert.equal(0, policy.statement_count)
    end)

    it("are raised at the caller's line", function()
      local line = debug.getinfo(1, "l").currentline + 1
      local ok, err = pcall(function() kms.Key(stack, "Key", { pending_window = cdk.Duration.days(1) }) end)
      assert.is_false(ok)
      assert.matches("key_spec%.lua:" .. line .. ": 'pending_window' value", err)
    end)
  end)
end)
