-- Misuse of cdk.kms: wrong types (naming the argument and the props field), unknown fields, bad
-- self, strict enums, read-only fields, invalid grant actions (CDK's message) and errors raised
-- at the caller's line. The type checks are lua-cdk's own (Lua's "bad argument" style).
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

local GRANTEE = "principal (a Role, User, Group or iam principal)"

describe("cdk.kms errors", function()
  local app, stack, key

  before_each(function()
    app = new_app()
    stack = cdk.Stack(app, "Stack")
    key = kms.Key(stack, "Key")
  end)

  after_each(function()
    for _, d in ipairs(outdirs) do helpers.rmtree(d) end
    outdirs = {}
  end)

  describe("kms.Key props", function()
    local cases = {
      { { descripton = "x" }, "unknown property 'descripton'" },
      { { description = 5 }, "field 'description': string expected, got number" },
      { { alias = 3 }, "field 'alias': string expected, got number" },
      { { enabled = "yes" }, "field 'enabled': boolean expected, got string" },
      { { enable_key_rotation = 1 }, "field 'enable_key_rotation': boolean expected, got number" },
      { { trust_account_identities = "no" }, "field 'trust_account_identities': boolean expected, got string" },
      { { policy = {} }, "field 'policy': PolicyDocument expected, got table" },
      { { pending_window = 7 }, "field 'pending_window': Duration expected, got number" },
      { { removal_policy = "keep" }, "field 'removal_policy': one of destroy, retain, snapshot expected, got 'keep'" },
      { { admins = iam.AnyPrincipal() }, "field 'admins': list of principals expected, got userdata" },
      { { admins = { iam.AnyPrincipal(), "role" } }, "field 'admins[2]': " .. GRANTEE .. " expected, got string" },
      { { key_spec = "RSA" }, "field 'key_spec': one of SYMMETRIC_DEFAULT, RSA_2048, RSA_3072, RSA_4096, "
        .. "ECC_NIST_P256, ECC_NIST_P384, ECC_NIST_P521, ECC_SECG_P256K1 expected, got 'RSA'" },
      { { key_usage = 3 }, "field 'key_usage': string expected, got number" },
    }
    for _, c in ipairs(cases) do
      it("refuses " .. c[2], function()
        assert.equal("bad argument #3 to 'Key' (" .. c[2] .. ")", error_of(function() kms.Key(stack, "K", c[1]) end))
        assert.is_nil(stack.node:try_find_child("K"))
      end)
    end

    it("refuses a non-table props, a bad id and a bad scope", function()
      assert.equal("bad argument #3 to 'Key' (table expected, got string)",
        error_of(function() kms.Key(stack, "K", "props") end))
      assert.equal("bad argument #2 to 'Key' (string expected, got number)", error_of(function() kms.Key(stack, 5) end))
      assert.equal("bad argument #1 to 'Key' (scope (an App or a construct) expected, got string)",
        error_of(function() kms.Key("stack", "K") end))
      assert.equal("There is already a Construct with name 'Key' in Stack [Stack]",
        error_of(function() kms.Key(stack, "Key") end))
    end)
  end)

  describe("kms.Alias and the imports", function()
    it("check their arguments", function()
      assert.equal("bad argument #3 to 'Alias' (table expected, got no value)",
        error_of(function() kms.Alias(stack, "A") end))
      assert.equal("bad argument #3 to 'Alias' (field 'alias_name': string expected, got nil)",
        error_of(function() kms.Alias(stack, "A", { target_key = key }) end))
      assert.equal("bad argument #3 to 'Alias' (field 'target_key': kms.Key or kms.Alias expected, got nil)",
        error_of(function() kms.Alias(stack, "A", { alias_name = "a" }) end))
      assert.equal("bad argument #3 to 'Alias' (field 'target_key': kms.Key or kms.Alias expected, got Stack)",
        error_of(function() kms.Alias(stack, "A", { alias_name = "a", target_key = stack }) end))
      assert.equal("bad argument #3 to 'Alias' (field 'removal_policy': string expected, got boolean)",
        error_of(function() kms.Alias(stack, "A", { alias_name = "a", target_key = key, removal_policy = true }) end))
      assert.equal("bad argument #3 to 'Alias' (unknown property 'extra')",
        error_of(function() kms.Alias(stack, "A", { alias_name = "a", target_key = key, extra = 1 }) end))
      assert.equal("bad argument #3 to 'from_key_arn' (string expected, got number)",
        error_of(function() kms.Key.from_key_arn(stack, "I", 5) end))
      assert.equal("bad argument #3 to 'from_key_arn' (string expected, got no value)",
        error_of(function() kms.Key.from_key_arn(stack, "I") end))
      assert.equal("bad argument #3 to 'from_alias_name' (string expected, got table)",
        error_of(function() kms.Alias.from_alias_name(stack, "I", {}) end))
      assert.equal("bad argument #3 to 'from_alias_attributes' (table expected, got string)",
        error_of(function() kms.Alias.from_alias_attributes(stack, "I", "x") end))
      assert.equal("bad argument #3 to 'from_alias_attributes' (field 'alias_target_key': kms.Key or kms.Alias "
        .. "expected, got nil)", error_of(function() kms.Alias.from_alias_attributes(stack, "I", { alias_name = "a" }) end))
    end)
  end)

  describe("methods", function()
    it("check their arguments and self", function()
      assert.equal("bad argument #1 to 'grant' (" .. GRANTEE .. " expected, got string)",
        error_of(function() key:grant("role", "kms:Decrypt") end))
      assert.equal("bad argument #2 to 'grant' (string expected, got number)",
        error_of(function() key:grant(iam.AnyPrincipal(), 5) end))
      assert.equal("bad argument #1 to 'grant_encrypt' (" .. GRANTEE .. " expected, got no value)",
        error_of(function() key:grant_encrypt() end))
      assert.equal("calling 'grant_decrypt' on bad self (kms.Key or kms.Alias expected, got Stack)",
        error_of(function() key.grant_decrypt(stack, iam.AnyPrincipal()) end))
      assert.equal("bad argument #1 to 'add_to_resource_policy' (PolicyStatement expected, got table)",
        error_of(function() key:add_to_resource_policy({}) end))
      assert.equal("bad argument #2 to 'add_to_resource_policy' (boolean expected, got string)",
        error_of(function() key:add_to_resource_policy(iam.PolicyStatement {}, "no") end))
      assert.equal("bad argument #1 to 'add_alias' (string expected, got number)",
        error_of(function() key:add_alias(5) end))
      assert.equal("bad argument #1 to 'apply_removal_policy' (one of destroy, retain, snapshot expected, got 'x')",
        error_of(function() key:apply_removal_policy("x") end))
    end)

    it("grants refuse invalid actions with CDK's message", function()
      local msg = "Action '%s' is invalid. An action string consists of a service namespace, a colon, and the "
        .. "name of an action. Action names can include wildcards."
      assert.equal(msg:format("kms:"), error_of(function() key:grant(iam.AnyPrincipal(), "kms:") end))
      assert.equal(msg:format("Decrypt"), error_of(function() key:grant(iam.AnyPrincipal(), "Decrypt") end))
      assert.same({ Resources = { Key961B73FD = require("support.kms").key() } }, stack:to_json())
    end)

    it("grant_admin is a kms.Key method only; fields are read-only; enums are strict", function()
      local imported = kms.Key.from_key_arn(stack, "I", "arn:aws:kms:us-east-1:123456789012:key/k")
      assert.is_nil(imported.grant_admin)
      assert.equal("cannot set field 'key_arn' of Key 'Stack/Key'", error_of(function() key.key_arn = "x" end))
      assert.equal("KeySpec has no member 'RSA'", error_of(function() return kms.KeySpec.RSA end))
      assert.equal("KeyUsage has no member 'SIGN'", error_of(function() return kms.KeyUsage.SIGN end))
    end)

    it("errors point at the caller's line", function()
      local line = debug.getinfo(1, "l").currentline + 1
      local ok, err = pcall(function() key:add_alias("alias/aws/x") end)
      assert.is_false(ok)
      assert.equal("spec/kms/errors_spec.lua:" .. line .. ": Alias cannot start with alias/aws/: alias/aws/x",
        (err:gsub("^.-(spec/kms/)", "%1")))
    end)
  end)
end)
