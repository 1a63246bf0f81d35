-- CfnOutput and CfnParameter: what they write, exports and their validation, parameter types
-- and value_as_* with CDK's type errors. Expected templates and messages are the reference's.
local cdk = require "cdk"
local h = require "support.helpers"

describe("CfnOutput", function()
  it("writes Description, Value and Export", function()
    local t = h.synth(function(app, c)
      local s = c.Stack(app, "S")
      local r = c.CfnResource(s, "Res", { type = "A::B" })
      c.CfnOutput(s, "Plain", { value = "v" })
      c.CfnOutput(s, "Full", { value = r.ref, description = "d", export_name = "exp-1" })
      c.CfnOutput(s, "Tok", { value = "x-" .. s.region, export_name = s.stack_name .. "-e" })
      c.CfnOutput(s, "Num", { value = c.Token.as_string(42) })
    end)
    assert.same({
      Resources = { Res = { Type = "A::B" } },
      Outputs = {
        Plain = { Value = "v" },
        Full = { Description = "d", Value = { Ref = "Res" }, Export = { Name = "exp-1" } },
        Tok = { Value = { ["Fn::Join"] = { "", { "x-", { Ref = "AWS::Region" } } } }, Export = { Name = "S-e" } },
        Num = { Value = 42 },
      },
    }, t.S)
  end)

  it("exposes its props", function()
    local app = cdk.App()
    local o = cdk.CfnOutput(cdk.Stack(app, "S"), "O", { value = "v", description = "d", export_name = "e" })
    assert.equal("v", o.value)
    assert.equal("d", o.description)
    assert.equal("e", o.export_name)
    app:close()
  end)

  it("needs a value", function()
    local app = cdk.App()
    local s = cdk.Stack(app, "S2")
    assert.has_error(function() cdk.CfnOutput(s, "Undef", {}) end, 'Missing value for CloudFormation output at path "S2/Undef"')
    assert.has_error(function() cdk.CfnOutput(s, "NoProps") end, "bad argument #3 to 'CfnOutput' (table expected, got no value)")
    app:close()
  end)

  it("takes value, description, export_name and condition as fields, as CDK's setters", function()
    local t = h.synth(function(app, c)
      local s = c.Stack(app, "S")
      local res = c.CfnResource(s, "Res", { type = "A::B" })
      local o = c.CfnOutput(s, "Out", { value = "a", description = "d0" })
      o.value = res:get_att("Arn")
      o.description = "desc"
      o.export_name = "Ex"
      o.condition = c.CfnCondition(s, "Cond", { expression = c.Fn.condition_equals(c.Aws.REGION, "x") })
      local o2 = c.CfnOutput(s, "Out2", { value = "a", description = "d0", export_name = "E2", condition = o.condition })
      o2.description = nil
      o2.export_name = nil
      o2.condition = nil
      assert.equal("desc", o.description)
      assert.equal("S/Cond", o.condition.node.path)
      assert.has_error(function() o.value = nil end, "bad argument #2 to 'CfnOutput' (field 'value': value expected)")
      assert.has_error(function() o.export_name = 5 end,
        "bad argument #2 to 'CfnOutput' (field 'export_name': string expected, got number)")
      assert.has_error(function() o.condition = s end,
        "bad argument #2 to 'CfnOutput' (field 'condition': CfnCondition expected, got Stack)")
    end)
    -- the reference's template
    assert.same({ Resources = { Res = { Type = "A::B" } },
      Outputs = {
        Out = { Description = "desc", Value = { ["Fn::GetAtt"] = { "Res", "Arn" } }, Export = { Name = "Ex" },
          Condition = "Cond" },
        Out2 = { Value = "a" } },
      Conditions = { Cond = { ["Fn::Equals"] = { { Ref = "AWS::Region" }, "x" } } } }, t.S)
  end)

  it("takes a parameter's props as fields, as CDK's setters (nil unsets one)", function()
    local dir = h.tmppath(".out")
    local app = cdk.App { outdir = dir }
    local s = cdk.Stack(app, "S")
    local p = cdk.CfnParameter(s, "Par", { default = "a", description = "d", no_echo = true, min_length = 1 })
    p.type = "Number"
    p.default = 5
    p.description = nil
    p.no_echo = false
    p.min_length = nil
    p.min_value = 1
    p.max_value = 9
    p.allowed_values = { "1", "5" }
    p.constraint_description = "cd"
    p.allowed_pattern = "[0-9]+"
    p.max_length = 3
    assert.same({ 5, false, "Number" }, { p.default, p.no_echo, p.type })
    assert.is_nil(p.description)
    cdk.CfnOutput(s, "Out", { value = cdk.Token.as_string(p.value_as_number) })
    assert.has_error(function() p.max_value = "9" end,
      "bad argument #2 to 'CfnParameter' (field 'max_value': number expected, got string)")
    assert.has_error(function() p.no_echo = 1 end,
      "bad argument #2 to 'CfnParameter' (field 'no_echo': boolean expected, got number)")
    assert.has_error(function() p.bogus = 1 end, "cannot set field 'bogus' of CfnParameter 'S/Par'")
    app:synth()
    local text = h.read(dir .. "/S.template.json")
    h.rmtree(dir)
    -- the reference's template
    assert.equal('{\n "Parameters": {\n  "Par": {\n   "Type": "Number",\n   "Default": 5,\n   "AllowedPattern": "[0-9]+",\n'
      .. '   "AllowedValues": [\n    "1",\n    "5"\n   ],\n   "ConstraintDescription": "cd",\n   "MaxLength": 3,\n'
      .. '   "MaxValue": 9,\n   "MinValue": 1,\n   "NoEcho": false\n  }\n },\n "Outputs": {\n  "Out": {\n   "Value": {\n'
      .. '    "Ref": "Par"\n   }\n  }\n }\n}', text)
  end)

  it("fails synthesis with an export name over 255 characters", function()
    local err = h.error_of(h.synth, function(app, c)
      c.CfnOutput(c.Stack(app, "S2"), "Long", { value = "v", export_name = string.rep("e", 256) })
    end)
    assert.matches("Validation failed with the following errors:\n  [S2/Long] Export name cannot exceed 255 characters (got 256 characters)",
      err, 1, true)
    h.synth(function(app, c)
      c.CfnOutput(c.Stack(app, "S2"), "Ok", { value = "v", export_name = string.rep("e", 255) })
    end)
    -- JavaScript's characters (UTF-16 code units), not bytes: 200 accented letters pass
    h.synth(function(app, c)
      c.CfnOutput(c.Stack(app, "S2"), "Ok", { value = "v", export_name = string.rep("é", 200) })
    end)
    err = h.error_of(h.synth, function(app, c)
      c.CfnOutput(c.Stack(app, "S2"), "Long", { value = "v", export_name = string.rep("é", 256) })
    end)
    assert.matches("[S2/Long] Export name cannot exceed 255 characters (got 256 characters)", err, 1, true)
  end)

  it("checks its props", function()
    local app = cdk.App()
    local s = cdk.Stack(app, "S")
    assert.has_error(function() cdk.CfnOutput(s, "A", { value = "v", exportName = "e" }) end,
      "bad argument #3 to 'CfnOutput' (unknown property 'exportName')")
    assert.has_error(function() cdk.CfnOutput(s, "B", { value = "v", description = 1 }) end,
      "bad argument #3 to 'CfnOutput' (field 'description': string expected, got number)")
    assert.has_error(function() cdk.CfnOutput(s, "C", { value = "v", export_name = {} }) end,
      "bad argument #3 to 'CfnOutput' (field 'export_name': string expected, got table)")
    app:close()
  end)
end)

describe("CfnParameter", function()
  it("writes its type and constraints", function()
    local t = h.synth(function(app, c)
      local s = c.Stack(app, "S")
      c.CfnParameter(s, "P1")
      c.CfnParameter(s, "P2", { type = "Number", default = 3, description = "pd", min_value = 1, max_value = 10,
        no_echo = true, constraint_description = "cd" })
      c.CfnParameter(s, "P3", { type = "CommaDelimitedList", default = "a,b", allowed_values = { "a,b", "c" } })
      c.CfnParameter(s, "P4", { type = "String", allowed_pattern = "[a-z]+", min_length = 1, max_length = 5 })
      c.CfnParameter(s, "P5", { type = "List<Number>" })
      c.CfnParameter(s, "P6", { type = "AWS::SSM::Parameter::Value<String>", default = "/x" })
    end)
    assert.same({ Parameters = {
      P1 = { Type = "String" },
      P2 = { Type = "Number", Default = 3, ConstraintDescription = "cd", Description = "pd", MaxValue = 10, MinValue = 1,
        NoEcho = true },
      P3 = { Type = "CommaDelimitedList", Default = "a,b", AllowedValues = { "a,b", "c" } },
      P4 = { Type = "String", AllowedPattern = "[a-z]+", MaxLength = 5, MinLength = 1 },
      P5 = { Type = "List<Number>" },
      P6 = { Type = "AWS::SSM::Parameter::Value<String>", Default = "/x" },
    } }, t.S)
  end)

  it("gives its value as a Ref of the right kind", function()
    local t = h.synth(function(app, c)
      local s = c.Stack(app, "S")
      local p1 = c.CfnParameter(s, "P1")
      local p2 = c.CfnParameter(s, "P2", { type = "Number" })
      local p3 = c.CfnParameter(s, "P3", { type = "CommaDelimitedList" })
      assert.equal("String", p1.type)
      assert.equal("Number", p2.type)
      assert.is_string(p1.value_as_string)
      assert.is_number(p2.value_as_number)
      assert.is_table(p3.value_as_list)
      assert.same({ Ref = "P1" }, s:resolve(p1.value))
      assert.same({ Ref = "P2" }, s:resolve(p2.value_as_string))
      assert.same({ ["Fn::Join"] = { "", { "n=", { Ref = "P2" } } } }, s:resolve("n=" .. c.Token.as_string(p2.value_as_number)))
      c.CfnResource(s, "Use", { type = "A::B", properties = { S = p1.value_as_string, N = p2.value_as_number, L = p3.value_as_list } })
    end)
    assert.same({ Type = "A::B", Properties = { S = { Ref = "P1" }, N = { Ref = "P2" }, L = { Ref = "P3" } } }, t.S.Resources.Use)
  end)

  it("raises CDK's errors for a value of the wrong type", function()
    local app = cdk.App()
    local s = cdk.Stack(app, "S")
    local str = cdk.CfnParameter(s, "P1")
    local num = cdk.CfnParameter(s, "P2", { type = "Number" })
    local list = cdk.CfnParameter(s, "P3", { type = "CommaDelimitedList" })
    local nums = cdk.CfnParameter(s, "P5", { type = "List<Number>" })
    assert.has_error(function() return str.value_as_number end, "Parameter type (String) is not a number type")
    assert.has_error(function() return str.value_as_list end, "Parameter type (String) is not a string list type")
    assert.has_error(function() return num.value_as_list end, "Parameter type (Number) is not a string list type")
    assert.has_error(function() return list.value_as_string end, "Parameter type (CommaDelimitedList) is not a string or number type")
    assert.has_error(function() return list.value_as_number end, "Parameter type (CommaDelimitedList) is not a number type")
    assert.has_error(function() return nums.value_as_number end, "Parameter type (List<Number>) is not a number type")
    assert.has_error(function() return nums.value_as_string end, "Parameter type (List<Number>) is not a string or number type")
    assert.same({ Ref = "P5" }, s:resolve(nums.value_as_list))
    app:close()
  end)

  it("explains a number token printed by Lua's tostring (Lua-specific)", function()
    local app = cdk.App()
    local s = cdk.Stack(app, "S")
    local num = cdk.CfnParameter(s, "P2", { type = "Number" })
    local ok, err = pcall(s.resolve, s, "n=" .. num.value_as_number)
    assert.is_false(ok)
    assert.matches("Encoded representation of unknown number Token found: .* %(a number token was printed with too few digits; "
      .. "use cdk%.Token%.as_string%(n%)%)$", err)
    app:close()
  end)

  it("checks its props", function()
    local app = cdk.App()
    local s = cdk.Stack(app, "S")
    assert.has_error(function() cdk.CfnParameter(s, "A", { default_value = 1 }) end,
      "bad argument #3 to 'CfnParameter' (unknown property 'default_value')")
    assert.has_error(function() cdk.CfnParameter(s, "B", { min_value = "1" }) end,
      "bad argument #3 to 'CfnParameter' (field 'min_value': number expected, got string)")
    assert.has_error(function() cdk.CfnParameter(s, "C", { no_echo = 1 }) end,
      "bad argument #3 to 'CfnParameter' (field 'no_echo': boolean expected, got number)")
    assert.has_error(function() cdk.CfnParameter(s, "D", { type = 1 }) end,
      "bad argument #3 to 'CfnParameter' (field 'type': string expected, got number)")
    app:close()
  end)
end)
