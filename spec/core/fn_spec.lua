-- cdk.Fn intrinsics and cdk.Aws pseudo parameters: literal arguments are computed at once as CDK
-- does, tokens become CloudFormation intrinsics. Expected values are the reference's.
local cdk = require "cdk"

local REGION, ACCOUNT = { Ref = "AWS::Region" }, { Ref = "AWS::AccountId" }

local app, stack
before_each(function()
  app = cdk.App()
  stack = cdk.Stack(app, "S")
end)
after_each(function()
  app:close()
end)

local function resolve(v) return stack:resolve(v) end

describe("Fn.join", function()
  it("resolves the tokens of its delimiter where it joined literals, and in Fn::Join's (the reference's)", function()
    local arn = cdk.Fn.get_att("R", "Arn")
    local d = cdk.Fn.ref("R")
    assert.same({ ["Fn::Join"] = { "", { "a", { Ref = "R" }, "b" } } }, resolve(cdk.Fn.join(d, { "a", "b" })))
    assert.same({ ["Fn::Join"] = { { Ref = "R" }, { "a", { ["Fn::GetAtt"] = { "R", "Arn" } },
      { ["Fn::Join"] = { "", { "b", { Ref = "R" }, "c" } } } } } }, resolve(cdk.Fn.join(d, { "a", tostring(arn), "b", "c" })))
    assert.same({ ["Fn::Join"] = { "", { "x-", REGION, "-y" } } }, resolve(cdk.Fn.join("-" .. stack.region .. "-", { "x", "y" })))
    assert.equal("solo", resolve(cdk.Fn.join(d, { "solo" })))
  end)

  it("joins literals at once and tokens with Fn::Join", function()
    assert.equal("a-b", resolve(cdk.Fn.join("-", { "a", "b" })))
    assert.equal("1-2", resolve(cdk.Fn.join("-", { 1, 2 })))
    assert.equal("a", resolve(cdk.Fn.join("-", { "a" })))
    assert.same({ ["Fn::Join"] = { "-", { "a", REGION, "b" } } }, resolve(cdk.Fn.join("-", { "a", stack.region, "b" })))
    assert.same(REGION, resolve(cdk.Fn.join("", { stack.region })))
  end)

  it("joins a list token as it is", function()
    assert.same({ ["Fn::Join"] = { ",", { "a", "b" } } },
      resolve(cdk.Fn.join(",", cdk.Lazy.list { produce = function() return { "a", "b" } end })))
    assert.same({ ["Fn::Join"] = { ",", { ["Fn::GetAZs"] = "" } } }, resolve(cdk.Fn.join(",", cdk.Fn.get_azs())))
  end)

  it("needs at least one value", function()
    assert.has_error(function() cdk.Fn.join("-", {}) end, "FnJoin requires at least one value to be provided")
    assert.has_error(function() cdk.Fn.join("-", "a") end, "bad argument #2 to 'Fn.join' (list expected, got string)")
    assert.has_error(function() cdk.Fn.join(1, { "a" }) end, "bad argument #1 to 'Fn.join' (string expected, got number)")
  end)
end)

describe("Fn.select", function()
  it("picks from a literal list at once (0-based), nil out of range", function()
    assert.equal("b", cdk.Fn.select(1, { "a", "b", "c" }))
    assert.is_nil(cdk.Fn.select(5, { "a" }))
    assert.is_nil(cdk.Fn.select(-1, { "a" }))
  end)

  it("takes a float with an integral value as an index, as luaL_checkinteger does, on every Lua", function()
    assert.equal("c", cdk.Fn.select(2.0, { "a", "b", "c" }))
    assert.equal("b", cdk.Fn.select(3 / 3, { "a", "b", "c" }))
  end)

  it("becomes Fn::Select for a token list or a list holding tokens", function()
    assert.same({ ["Fn::Select"] = { 1, { ["Fn::GetAZs"] = "" } } }, resolve(cdk.Fn.select(1, cdk.Fn.get_azs())))
    assert.same({ ["Fn::Select"] = { 1, { "a", REGION } } }, resolve(cdk.Fn.select(1, { "a", stack.region })))
    assert.same({ ["Fn::Select"] = { 0, { ["Fn::Split"] = { ",", REGION } } } },
      resolve(cdk.Fn.select(0, cdk.Fn.split(",", stack.region))))
  end)

  it("takes a number token as the index, as CDK does", function()
    local i = cdk.Token.as_number(cdk.Fn.import_value("I"))
    assert.same({ ["Fn::Select"] = { { ["Fn::ImportValue"] = "I" }, { "a", "b" } } }, resolve(cdk.Fn.select(i, { "a", "b" })))
    assert.has_error(function() cdk.Fn.select(i, "a") end, "bad argument #2 to 'Fn.select' (list expected, got string)")
  end)

  it("checks its arguments", function()
    assert.has_error(function() cdk.Fn.select(1.5, { "a" }) end, "bad argument #1 to 'Fn.select' (integer expected, got number)")
    assert.has_error(function() cdk.Fn.select(2 ^ 63, { "a" }) end, "bad argument #1 to 'Fn.select' (integer expected, got number)")
    assert.has_error(function() cdk.Fn.select(0 / 0, { "a" }) end, "bad argument #1 to 'Fn.select' (integer expected, got number)")
    assert.has_error(function() cdk.Fn.select(0, "a") end, "bad argument #2 to 'Fn.select' (list expected, got string)")
    assert.has_error(function() cdk.Fn.select(2 ^ 40, { "a" }) end, "bad argument #1 to 'Fn.select' (index out of range, got 1099511627776)")
  end)
end)

describe("Fn.split", function()
  it("splits a literal at once, by characters for the empty delimiter", function()
    assert.same({ "a", "b", "c" }, cdk.Fn.split(",", "a,b,c"))
    assert.same({ "abc" }, cdk.Fn.split(",", "abc"))
    assert.same({ "a", "", "b" }, cdk.Fn.split(",", "a,,b"))
    assert.same({ "h", "é", "l", "l", "o" }, cdk.Fn.split("", "héllo"))
    assert.same({ "a,b" }, cdk.Fn.split(stack.region, "a,b"))
  end)

  it("becomes Fn::Split for a token, or selects assumed_length parts", function()
    assert.same({ ["Fn::Split"] = { ",", REGION } }, resolve(cdk.Fn.split(",", stack.region)))
    local parts = cdk.Fn.split(",", stack.region, 3)
    assert.equal(3, #parts)
    local function sel(i) return { ["Fn::Select"] = { i, { ["Fn::Split"] = { ",", REGION } } } } end
    assert.same({ sel(0), sel(1), sel(2) }, resolve(parts))
  end)

  it("refuses a token delimiter", function()
    assert.has_error(function() cdk.Fn.split(stack.region, stack.account) end, "Fn.split: 'delimiter' may not be a token value")
    assert.has_error(function() cdk.Fn.split(",", stack.account, 70000) end,
      "bad argument #3 to 'Fn.split' (assumed length must be between 0 and 65535, got 70000)")
    assert.has_error(function() cdk.Fn.split(",", stack.account, -1) end,
      "bad argument #3 to 'Fn.split' (assumed length must be between 0 and 65535, got -1)")
  end)
end)

describe("other intrinsics", function()
  it("get_att gives a token object for Fn::GetAtt", function()
    local att = cdk.Fn.get_att("Res", "Arn")
    assert.same({ ["Fn::GetAtt"] = { "Res", "Arn" } }, resolve(att))
    assert.matches("^%${Token%[TOKEN%.%d+%]}$", att:to_string())
    assert.same({ ["Fn::GetAtt"] = { REGION, "Arn" } }, resolve(cdk.Fn.get_att(stack.region, "Arn")))
  end)

  it("import_value, ref, base64, sub and get_azs write their intrinsic", function()
    assert.same({ ["Fn::ImportValue"] = "Exp" }, resolve(cdk.Fn.import_value("Exp")))
    assert.same({ ["Fn::ImportValue"] = "S-x" }, resolve(cdk.Fn.import_value(stack.stack_name .. "-x")))
    assert.same({ Ref = "Foo" }, resolve(cdk.Fn.ref("Foo")))
    assert.same({ Ref = REGION }, resolve(cdk.Fn.ref(stack.region)))
    assert.same({ ["Fn::Base64"] = "abc" }, resolve(cdk.Fn.base64("abc")))
    assert.same({ ["Fn::Base64"] = REGION }, resolve(cdk.Fn.base64(stack.region)))
    assert.same({ ["Fn::Sub"] = "${AWS::Region}-x" }, resolve(cdk.Fn.sub("${AWS::Region}-x")))
    assert.same({ ["Fn::Sub"] = "plain" }, resolve(cdk.Fn.sub("plain")))
    assert.same({ ["Fn::Sub"] = { "${A}-x", { A = REGION } } }, resolve(cdk.Fn.sub("${A}-x", { A = stack.region })))
    assert.same({ ["Fn::GetAZs"] = "" }, resolve(cdk.Fn.get_azs()))
    assert.same({ ["Fn::GetAZs"] = "us-east-1" }, resolve(cdk.Fn.get_azs("us-east-1")))
    assert.same({ ["Fn::GetAZs"] = REGION }, resolve(cdk.Fn.get_azs(stack.region)))
  end)

  it("are tokens inside strings", function()
    assert.same({ ["Fn::Join"] = { "", { "x", { ["Fn::GetAtt"] = { "Res", "Arn" } } } } },
      resolve("x" .. cdk.Fn.get_att("Res", "Arn")))
    assert.same({ ["Fn::Join"] = { "", { "v-", { ["Fn::ImportValue"] = "Exp" } } } }, resolve("v-" .. cdk.Fn.import_value("Exp")))
    assert.is_true(cdk.Token.is_unresolved(cdk.Fn.get_azs()))
  end)

  it("check their arguments", function()
    assert.has_error(function() cdk.Fn.sub(1) end, "bad argument #1 to 'Fn.sub' (string expected, got number)")
    assert.has_error(function() cdk.Fn.sub("x", { "a" }) end, "bad argument #2 to 'Fn.sub' (map expected, got table)")
    assert.has_error(function() cdk.Fn.get_att("Res") end, "bad argument #2 to 'Fn.get_att' (string expected, got no value)")
    assert.has_error(function() cdk.Fn.import_value() end,
      "bad argument #1 to 'Fn.import_value' (string expected, got no value)")
  end)
end)

describe("cdk.Aws", function()
  it("holds the pseudo parameters", function()
    assert.same({ ACCOUNT, REGION, { Ref = "AWS::Partition" }, { Ref = "AWS::URLSuffix" }, { Ref = "AWS::StackName" },
      { Ref = "AWS::StackId" }, { Ref = "AWS::NoValue" }, { Ref = "AWS::NotificationARNs" } },
      resolve({ cdk.Aws.ACCOUNT_ID, cdk.Aws.REGION, cdk.Aws.PARTITION, cdk.Aws.URL_SUFFIX, cdk.Aws.STACK_NAME,
        cdk.Aws.STACK_ID, cdk.Aws.NO_VALUE, cdk.Aws.NOTIFICATION_ARNS }))
    assert.same({ ["Fn::Join"] = { "", { "arn:", { Ref = "AWS::Partition" }, ":s3:::b" } } },
      resolve("arn:" .. cdk.Aws.PARTITION .. ":s3:::b"))
  end)

  it("refuses unknown members and changes", function()
    assert.has_error(function() return cdk.Aws.ACCOUNT end, "Aws has no member 'ACCOUNT'")
    assert.has_error(function() cdk.Aws.REGION = "x" end, "Aws is read-only")
  end)
end)
