-- kms.Key grants: grant, grant_encrypt, grant_decrypt, grant_encrypt_decrypt, grant_admin and the
-- admins prop, for roles, users, imported roles and principals without a policy; the key policy
-- and the grantee's policy both get a statement unless the key trusts the account; other
-- accounts and regions get "*"; a grantee stack that depends on the key's stack is named by its
-- account. Pinned against what the AWS CDK v1 (1.204.0) synthesizes for the same programs.
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

local function error_of(fn)
  return (helpers.error_of(fn):gsub("^[^\n:]+%.lua:%d+: ", ""))
end

local function lambda_role(scope, id, props)
  props = props or {}
  props.assumed_by = iam.ServicePrincipal("lambda.amazonaws.com")
  return iam.Role(scope, id, props)
end

local KEY_ARN = K.getatt("Key961B73FD")
local ROLE_ARN = { AWS = K.getatt("Role1ABCC5F0") }

describe("kms.Key grants", function()
  local app, stack

  before_each(function()
    app = new_app()
    stack = cdk.Stack(app, "Stack")
  end)

  after_each(function()
    for _, d in ipairs(outdirs) do helpers.rmtree(d) end
    outdirs = {}
  end)

  it("to roles, users, principals and imported roles: the key policy and the grantee's policy", function()
    local key = kms.Key(stack, "Key")
    local role = lambda_role(stack, "Role")
    local user = iam.User(stack, "User")
    key:grant_encrypt_decrypt(role)
    key:grant_decrypt(user)
    key:grant(role, "kms:Sign", "kms:Verify")
    key:grant_admin(user)
    key:grant_decrypt(iam.ServicePrincipal("events.amazonaws.com"))
    key:grant_encrypt(iam.AccountPrincipal("999999999999"))
    key:grant_decrypt(iam.ArnPrincipal("arn:aws:iam::123456789012:role/Other"))
    key:grant_decrypt(iam.Role.from_role_arn(stack, "Imported", "arn:aws:iam::123456789012:role/Imp"))
    local user_arn = { AWS = K.getatt("User00B015A1") }
    assert.same({
      Resources = {
        Key961B73FD = K.key(nil, nil, K.policy({
          K.legacy_statement(),
          K.statement(K.ENCRYPT_DECRYPT, ROLE_ARN),
          K.statement("kms:Decrypt", user_arn),
          K.statement({ "kms:Sign", "kms:Verify" }, ROLE_ARN),
          K.statement(K.ADMIN_ACTIONS, user_arn),
          K.statement("kms:Decrypt", { Service = "events.amazonaws.com" }),
          K.statement(K.ENCRYPT, { AWS = K.account_root("999999999999") }),
          K.statement("kms:Decrypt", { AWS = "arn:aws:iam::123456789012:role/Other" }),
          K.statement("kms:Decrypt", { AWS = "arn:aws:iam::123456789012:role/Imp" }),
        })),
        Role1ABCC5F0 = K.lambda_role(),
        RoleDefaultPolicy5FFB7DAB = K.role_policy("RoleDefaultPolicy5FFB7DAB", "Role1ABCC5F0", {
          K.allow(K.ENCRYPT_DECRYPT, KEY_ARN),
          K.allow({ "kms:Sign", "kms:Verify" }, KEY_ARN),
        }),
        User00B015A1 = { Type = "AWS::IAM::User" },
        UserDefaultPolicy1F97781E = {
          Type = "AWS::IAM::Policy",
          Properties = {
            PolicyDocument = K.policy({ K.allow("kms:Decrypt", KEY_ARN), K.allow(K.ADMIN_ACTIONS, KEY_ARN) }),
            PolicyName = "UserDefaultPolicy1F97781E",
            Users = { { Ref = "User00B015A1" } },
          },
        },
        ImportedPolicy6F5EAEFA = {
          Type = "AWS::IAM::Policy",
          Properties = {
            PolicyDocument = K.policy({ K.allow("kms:Decrypt", KEY_ARN) }),
            PolicyName = "ImportedPolicy6F5EAEFA",
            Roles = { "Imp" },
          },
        },
      },
    }, stack:to_json())
  end)

  it("the grant reports the key-policy statement as its principal statement, as CDK does", function()
    local key = kms.Key(stack, "Key")
    local g = key:grant_decrypt(lambda_role(stack, "Role"))
    assert.is_true(g.success)
    assert.is_nil(g.resource_statement)
    assert.same(K.statement("kms:Decrypt", ROLE_ARN), stack:resolve(g.principal_statement:to_statement_json()))
    g:assert_success()
  end)

  it("admins are granted the admin actions; alias comes after them", function()
    local role = iam.Role(stack, "Role", { assumed_by = iam.AccountRootPrincipal() })
    kms.Key(stack, "Key", { admins = { role, iam.AccountPrincipal("123456789012") }, alias = "alias/admin" })
    local t = stack:to_json()
    assert.same(K.key(nil, nil, K.policy({
      K.legacy_statement(),
      K.statement(K.ADMIN_ACTIONS, ROLE_ARN),
      K.statement(K.ADMIN_ACTIONS, { AWS = K.account_root("123456789012") }),
    })), t.Resources.Key961B73FD)
    assert.same(K.role_policy("RoleDefaultPolicy5FFB7DAB", "Role1ABCC5F0", { K.allow(K.ADMIN_ACTIONS, KEY_ARN) }),
      t.Resources.RoleDefaultPolicy5FFB7DAB)
    assert.same(K.alias("alias/admin", KEY_ARN), t.Resources.KeyAlias910D852D)
  end)

  it("a key that trusts the account grants same-account roles in their policy only", function()
    stack.node:set_context("@aws-cdk/aws-kms:defaultKeyPolicies", true)
    local role = lambda_role(stack, "Role")
    local key = kms.Key(stack, "Granted", { admins = { role } })
    key:grant_decrypt(role)
    key:grant_encrypt(iam.AccountPrincipal("222222222222"))
    key:grant_encrypt(iam.ServicePrincipal("sns.amazonaws.com"))
    local arn = K.getatt("GrantedD462F1D8")
    local t = stack:to_json()
    assert.same(K.key(nil, nil, K.policy({
      K.trust_statement(),
      K.statement(K.ENCRYPT, { AWS = K.account_root("222222222222") }),
      K.statement(K.ENCRYPT, { Service = "sns.amazonaws.com" }),
    })), t.Resources.GrantedD462F1D8)
    assert.same(K.role_policy("RoleDefaultPolicy5FFB7DAB", "Role1ABCC5F0", {
      K.allow(K.ADMIN_ACTIONS, arn), K.allow("kms:Decrypt", arn),
    }), t.Resources.RoleDefaultPolicy5FFB7DAB)
  end)

  it("a group cannot be a key-policy principal (CDK's message)", function()
    local key = kms.Key(stack, "Key")
    assert.equal("Cannot use an IAM Group as the 'Principal' or 'NotPrincipal' in an IAM Policy",
      error_of(function() key:grant_encrypt(iam.Group(stack, "Group")) end))
  end)

  describe("across stacks", function()
    it("a role in another account or region gets '*', the key policy names the role's ARN", function()
      local env1 = { account = "111111111111", region = "us-east-1" }
      local keys = cdk.Stack(app, "Keys", { env = env1 })
      local key = kms.Key(keys, "Key")
      local trusted = kms.Key(keys, "Trusted", { trust_account_identities = true })
      local other = cdk.Stack(app, "Other", { env = { account = "222222222222", region = "us-east-1" } })
      local role = lambda_role(other, "Role", { role_name = cdk.PhysicalName.GENERATE_IF_NEEDED })
      key:grant_decrypt(role)
      trusted:grant_decrypt(role)
      local region = cdk.Stack(app, "Region", { env = { account = "111111111111", region = "eu-west-1" } })
      trusted:grant_encrypt(lambda_role(region, "Role", { role_name = "fixed-name" }))
      local same = cdk.Stack(app, "Same", { env = env1 })
      trusted:grant_encrypt(lambda_role(same, "Role"))
      trusted:grant_encrypt(iam.AccountPrincipal("333333333333"))
      trusted:grant_encrypt(iam.ServicePrincipal("sns.amazonaws.com"))

      local asm = app:synth()
      local other_role = { AWS = { ["Fn::Join"] = { "", { "arn:", { Ref = "AWS::Partition" },
        ":iam::222222222222:role/otherotherroleec60a981e6ce32ea4158" } } } }
      local root1 = { AWS = K.account_root("111111111111") }
      local export = "ExportsOutputFnGetAttTrusted7052A660Arn8F45F555"
      assert.same({
        Resources = {
          Key961B73FD = K.key(nil, nil, K.policy({
            K.statement(K.LEGACY_ACTIONS, root1),
            K.statement("kms:Decrypt", other_role),
          })),
          Trusted7052A660 = K.key(nil, nil, K.policy({
            K.statement("kms:*", root1),
            K.statement("kms:Decrypt", other_role),
            K.statement(K.ENCRYPT, { AWS = { ["Fn::Join"] = { "", { "arn:", { Ref = "AWS::Partition" },
              ":iam::111111111111:role/fixed-name" } } } }),
            K.statement(K.ENCRYPT, { AWS = K.account_root("333333333333") }),
            K.statement(K.ENCRYPT, { Service = "sns.amazonaws.com" }),
          })),
        },
        Outputs = {
          [export] = { Value = K.getatt("Trusted7052A660"), Export = { Name = "Keys:" .. export } },
        },
      }, asm:get_stack_by_name("Keys").template)
      local role_tpl = function(name, statements)
        local r = K.lambda_role()
        r.Properties.RoleName = name
        return {
          Resources = {
            Role1ABCC5F0 = r,
            RoleDefaultPolicy5FFB7DAB = K.role_policy("RoleDefaultPolicy5FFB7DAB", "Role1ABCC5F0", statements),
          },
        }
      end
      assert.same(role_tpl("otherotherroleec60a981e6ce32ea4158", { K.allow("kms:Decrypt", "*") }),
        asm:get_stack_by_name("Other").template)
      assert.same(role_tpl("fixed-name", { K.allow(K.ENCRYPT, "*") }), asm:get_stack_by_name("Region").template)
      assert.same(role_tpl(nil, { K.allow(K.ENCRYPT, { ["Fn::ImportValue"] = "Keys:" .. export }) }),
        asm:get_stack_by_name("Same").template)
    end)

    it("a role whose stack depends on the key's is named by its account in the key policy", function()
      local keys = cdk.Stack(app, "Keys")
      local key = kms.Key(keys, "Key")
      local dep = cdk.Stack(app, "Dependent")
      dep:add_dependency(keys)
      key:grant_encrypt(lambda_role(dep, "Role"))
      local asm = app:synth()
      local export = "ExportsOutputFnGetAttKey961B73FDArn5A860C43"
      assert.same({
        Resources = {
          Key961B73FD = K.key(nil, nil, K.policy({
            K.legacy_statement(),
            K.statement(K.ENCRYPT, { AWS = K.account_root() }),
          })),
        },
        Outputs = { [export] = { Value = KEY_ARN, Export = { Name = "Keys:" .. export } } },
      }, asm:get_stack_by_name("Keys").template)
      assert.same({
        Resources = {
          Role1ABCC5F0 = K.lambda_role(),
          RoleDefaultPolicy5FFB7DAB = K.role_policy("RoleDefaultPolicy5FFB7DAB", "Role1ABCC5F0", {
            K.allow(K.ENCRYPT, { ["Fn::ImportValue"] = "Keys:" .. export }),
          }),
        },
      }, asm:get_stack_by_name("Dependent").template)
    end)

    it("a role in an independent stack of the same environment makes a cycle (CDK's message)", function()
      local keys = cdk.Stack(app, "Keys")
      local key = kms.Key(keys, "Key")
      local users = cdk.Stack(app, "Users")
      key:grant_decrypt(lambda_role(users, "Role"))
      assert.equal("'Keys' depends on 'Users' (Keys -> Users/Role/Resource.Arn). Adding this dependency "
        .. "(Users -> Keys/Key/Resource.Arn) would create a cyclic reference.", error_of(function() app:synth() end))
    end)
  end)
end)
