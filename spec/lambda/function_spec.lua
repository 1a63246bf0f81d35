-- lambda.Function imports (from_function_arn, from_function_attributes: the name from the ARN,
-- the environment, whether permissions can be made) and add_permission (AWS::Lambda::Permission
-- with each kind of principal and CDK's condition rules); pinned against what the AWS CDK v1
-- (1.204.0) synthesizes for the same programs.
local cdk = require "cdk"
local lambda = require "cdk.lambda"
local iam = require "cdk.iam"
local h = require "support.helpers"

local function error_of(fn, ...)
  return (h.error_of(fn, ...):gsub("^[^\n:]+%.lua:%d+: ", ""))
end

local ARN = "arn:aws:lambda:us-east-1:123456789012:function:f:live"

local function permission(props)
  props.FunctionName = ARN
  props.Action = props.Action or "lambda:InvokeFunction"
  return { Type = "AWS::Lambda::Permission", Properties = props }
end

describe("lambda.Function", function()
  local app, stack

  before_each(function()
    app = cdk.App()
    stack = cdk.Stack(app, "Stack", { env = { account = "123456789012", region = "us-east-1" } })
  end)

  it("from_function_arn takes the name and environment from the ARN", function()
    local fn = lambda.Function.from_function_arn(stack, "Fn", ARN)
    local other = lambda.Function.from_function_arn(stack, "Other", "arn:aws:lambda:eu-west-1:999999999999:function:g")
    local tok = lambda.Function.from_function_arn(stack, "Tok", cdk.Fn.import_value("FnArn"))
    assert.equal("f", fn.function_name)
    assert.equal(ARN, fn.function_arn)
    assert.same({ account = "999999999999", region = "eu-west-1" }, other.env)
    assert.is_true(fn.can_create_permissions)
    assert.is_false(other.can_create_permissions)
    assert.is_false(tok.can_create_permissions)
    cdk.CfnOutput(stack, "Names", { value = table.concat({ fn.function_name, other.function_name, tok.function_name }, " ") })
    local select = { ["Fn::Select"] = { 6, { ["Fn::Split"] = { ":", { ["Fn::ImportValue"] = "FnArn" } } } } }
    assert.same({ Names = { Value = { ["Fn::Join"] = { "", { "f g ", select } } } } }, stack:to_json().Outputs)
  end)

  it("add_permission writes a Lambda::Permission for each kind of principal", function()
    local fn = lambda.Function.from_function_arn(stack, "Fn", ARN)
    fn:add_permission("Acct", { principal = iam.AccountPrincipal("210987654321") })
    fn:add_permission("Svc", { principal = iam.ServicePrincipal("s3.amazonaws.com"), source_arn = "arn:aws:s3:::b",
      source_account = "123456789012", action = "lambda:*" })
    fn:add_permission("Arn", { principal = iam.ArnPrincipal("arn:aws:iam::123456789012:role/r"), event_source_token = "tok" })
    fn:add_permission("Cond", { principal = iam.ServicePrincipal("sns.amazonaws.com"):with_conditions({
      ArnLike = { ["aws:SourceArn"] = "arn:x" }, StringEquals = { ["aws:SourceAccount"] = "1" } }) })
    fn:add_permission("Any", { principal = iam.AnyPrincipal(), function_url_auth_type = lambda.FunctionUrlAuthType.NONE })
    fn:add_permission("Role", { principal = iam.Role.from_role_arn(stack, "R", "arn:aws:iam::123456789012:role/x") })
    assert.same({
      FnAcct6B050ADB = permission { Principal = "210987654321" },
      FnSvcB0B77B1C = permission { Action = "lambda:*", Principal = "s3.amazonaws.com", SourceAccount = "123456789012",
        SourceArn = "arn:aws:s3:::b" },
      FnArnCA56D974 = permission { Principal = "arn:aws:iam::123456789012:role/r", EventSourceToken = "tok" },
      FnCondD7EE6223 = permission { Principal = "sns.amazonaws.com", SourceAccount = "1", SourceArn = "arn:x" },
      FnAny11E51743 = permission { Principal = "*", FunctionUrlAuthType = "NONE" },
      FnRole3AFE901E = permission { Principal = "arn:aws:iam::123456789012:role/x" },
    }, stack:to_json().Resources)
  end)

  it("add_permission does nothing for a function of another account or a token ARN, as CDK v1", function()
    local other = lambda.Function.from_function_arn(stack, "Other", "arn:aws:lambda:us-east-1:999999999999:function:g")
    other:add_permission("Ignored", { principal = iam.AccountPrincipal("1") })
    local tok = lambda.Function.from_function_arn(stack, "Tok", cdk.Fn.import_value("FnArn"))
    tok:add_permission("Ignored", { principal = iam.AccountPrincipal("1") })
    assert.is_nil(stack:to_json().Resources)
  end)

  it("from_function_attributes: same_environment overrides the account check", function()
    local g = lambda.Function.from_function_attributes(stack, "G", {
      function_arn = "arn:aws:lambda:us-east-1:999999999999:function:g", same_environment = true })
    local f = lambda.Function.from_function_attributes(stack, "F", { function_arn = ARN, same_environment = false })
    assert.is_true(g.can_create_permissions)
    assert.is_false(f.can_create_permissions)
  end)

  describe("errors", function()
    it("refuse conditions a permission cannot hold, with CDK's message", function()
      local fn = lambda.Function.from_function_arn(stack, "F", "arn:aws:lambda:us-east-1:123456789012:function:f")
      assert.equal('PrincipalWithConditions had unsupported conditions for Lambda permission statement: '
        .. '[{"operator":"StringLike","key":"a"}]. Supported operator/condition pairs: '
        .. '[{"operator":"ArnLike","key":"aws:SourceArn"},{"operator":"StringEquals","key":"aws:SourceAccount"}]',
        error_of(fn.add_permission, fn, "P", { principal = iam.AnyPrincipal():with_conditions({ StringLike = { a = "b" } }) }))
    end)

    it("refuse principals a permission cannot name, with CDK's message (the class name)", function()
      local fn = lambda.Function.from_function_arn(stack, "F", ARN)
      assert.equal("Invalid principal type for Lambda permission statement: FederatedPrincipal. Supported: "
        .. "AccountPrincipal, ArnPrincipal, ServicePrincipal", error_of(fn.add_permission, fn, "P", {
          principal = iam.FederatedPrincipal("cognito-identity.amazonaws.com", {}, "sts:AssumeRoleWithWebIdentity") }))
      assert.equal("Invalid principal type for Lambda permission statement: CompositePrincipal. Supported: "
        .. "AccountPrincipal, ArnPrincipal, ServicePrincipal", error_of(fn.add_permission, fn, "Q", {
          principal = iam.CompositePrincipal(iam.AccountPrincipal("1"), iam.AccountPrincipal("2")) }))
    end)

    it("name bad arguments", function()
      local fn = lambda.Function.from_function_arn(stack, "F", ARN)
      assert.equal("bad argument #2 to 'add_permission' (field 'principal': required)",
        error_of(fn.add_permission, fn, "P", {}))
      assert.equal("bad argument #3 to 'from_function_attributes' (field 'function_arn': string expected, got nil)",
        error_of(lambda.Function.from_function_attributes, stack, "X", {}))
      assert.equal("lambda.Function: only imports are supported (Function.from_function_arn, from_function_attributes)",
        error_of(lambda.Function, stack, "New"))
    end)
  end)
end)
