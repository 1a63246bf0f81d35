-- Stacks: environments and the values derived from them, stack names and descriptions with CDK's
-- validation, format_arn / split_arn, stack dependencies, to_json and resolve. Expected values
-- are what the reference gave for the same program.
local cdk = require "cdk"
local h = require "support.helpers"

local ACCOUNT, REGION = { Ref = "AWS::AccountId" }, { Ref = "AWS::Region" }
local PARTITION, URL_SUFFIX = { Ref = "AWS::Partition" }, { Ref = "AWS::URLSuffix" }

local app
before_each(function()
  app = cdk.App()
end)
after_each(function()
  app:close()
end)

local function join(list)
  return { ["Fn::Join"] = { "", list } }
end

describe("Stack environment", function()
  it("is agnostic without env: account and region are pseudo parameters", function()
    local s = cdk.Stack(app, "Agnostic")
    assert.same(ACCOUNT, s:resolve(s.account))
    assert.same(REGION, s:resolve(s.region))
    assert.same(PARTITION, s:resolve(s.partition))
    assert.same(URL_SUFFIX, s:resolve(s.url_suffix))
    assert.same({ Ref = "AWS::StackId" }, s:resolve(s.stack_id))
    assert.same({ Ref = "AWS::NotificationARNs" }, s:resolve(s.notification_arns))
    assert.equal("aws://unknown-account/unknown-region", s.environment)
  end)

  it("uses the literal account and region given in env", function()
    local s = cdk.Stack(app, "Pinned", { env = { account = "123456789012", region = "us-west-2" } })
    assert.equal("123456789012", s.account)
    assert.equal("us-west-2", s.region)
    assert.same(PARTITION, s:resolve(s.partition))
    assert.same(URL_SUFFIX, s:resolve(s.url_suffix))
    assert.equal("aws://123456789012/us-west-2", s.environment)
  end)

  it("may give only one of them", function()
    local s = cdk.Stack(app, "Half", { env = { region = "eu-west-1" } })
    assert.same(ACCOUNT, s:resolve(s.account))
    assert.equal("eu-west-1", s.region)
    assert.equal("aws://unknown-account/eu-west-1", s.environment)
  end)

  it("keeps partition and URL suffix as pseudo parameters in any region", function()
    local s = cdk.Stack(app, "China", { env = { account = "123456789012", region = "cn-north-1" } })
    assert.same(PARTITION, s:resolve(s.partition))
    assert.same(URL_SUFFIX, s:resolve(s.url_suffix))
    assert.equal("aws://123456789012/cn-north-1", s.environment)
  end)

  it("refuses unknown env fields and wrong types", function()
    assert.has_error(function() cdk.Stack(app, "S", { env = { acount = "1" } }) end,
      "bad argument #3 to 'Stack' (field 'env': unknown property 'acount')")
    assert.has_error(function() cdk.Stack(app, "S", { env = { account = 1 } }) end,
      "bad argument #3 to 'Stack' (field 'env.account': string expected, got number)")
    assert.has_error(function() cdk.Stack(app, "S", { env = "x" }) end,
      "bad argument #3 to 'Stack' (field 'env': table expected, got string)")
  end)
end)

describe("Stack names", function()
  it("default to the id for a stack at the top, with its artifact and template file", function()
    local s = cdk.Stack(app, "Agnostic")
    assert.equal("Agnostic", s.stack_name)
    assert.equal("Agnostic", s.artifact_id)
    assert.equal("Agnostic.template.json", s.template_file)
  end)

  it("default to the unique id for a stack inside a construct", function()
    local s = cdk.Stack(cdk.Construct(app, "Group"), "Inner")
    assert.equal("GroupInner92CB7A4B", s.stack_name)
    assert.equal("GroupInner92CB7A4B", s.artifact_id)
    assert.equal("GroupInner92CB7A4B.template.json", s.template_file)
  end)

  it("may be given, and then name the artifact too", function()
    local s = cdk.Stack(app, "Named", { stack_name = "my-stack-1" })
    assert.equal("my-stack-1", s.stack_name)
    assert.equal("my-stack-1", s.artifact_id)
    assert.equal(128, #cdk.Stack(app, "Ok128", { stack_name = string.rep("a", 128) }).stack_name)
  end)

  it("must match CloudFormation's pattern and length", function()
    local pattern = "Stack name must match the regular expression: /^[A-Za-z][A-Za-z0-9-]*$/, got '%s'"
    assert.has_error(function() cdk.Stack(app, "Bad1", { stack_name = "bad name" }) end, pattern:format("bad name"))
    assert.has_error(function() cdk.Stack(app, "Bad2", { stack_name = "1abc" }) end, pattern:format("1abc"))
    assert.has_error(function() cdk.Stack(app, "bad id") end, pattern:format("bad id"))
    assert.has_error(function() cdk.Stack(app, "bad_id") end, pattern:format("bad_id"))
    assert.has_error(function() cdk.Stack(app, "Bad3", { stack_name = string.rep("a", 129) }) end,
      "Stack name must be <= 128 characters. Stack name: '" .. string.rep("a", 129) .. "'")
    -- 100 accented letters are 100 characters (CDK's length), so the pattern is what fails
    assert.has_error(function() cdk.Stack(app, "Bad4", { stack_name = string.rep("é", 100) }) end,
      pattern:format(string.rep("é", 100)))
    local ok, err = pcall(cdk.Stack, app, "Tok", { stack_name = cdk.Lazy.string { produce = function() return "x" end } })
    assert.is_false(ok)
    assert.matches("got '%${Token%[TOKEN%.%d+%]}'$", err)
  end)
end)

describe("Stack environment in the assembly", function()
  it("must match cx-api's (unanchored) pattern, else synthesis fails with CDK's message", function()
    -- the reference: "", "" and an account with '#' and a region starting upper-case fail; a
    -- slashed account and a region with an upper-case letter later pass
    for _, e in ipairs { { "", "", "aws:///" }, { "a#b", "r", "aws://a#b/r" }, { "123", "EU-west-1", "aws://123/EU-west-1" } } do
      local err = h.error_of(h.synth, function(a, c)
        c.Stack(a, "S", { env = { account = e[1], region = e[2] } })
      end)
      assert.matches('Unable to parse environment specification "' .. e[3] .. '". Expected format: aws://account/region',
        err, 1, true)
    end
    for _, e in ipairs { { "1/2", "r" }, { "123", "eu-West-1" }, { "Acc.ount@x", "r_1" } } do
      h.synth(function(a, c) c.Stack(a, "S", { env = { account = e[1], region = e[2] } }) end)
    end
  end)
end)

describe("Stack description", function()
  it("goes into the template", function()
    local s = cdk.Stack(app, "TJ", { description = "d" })
    cdk.CfnResource(s, "Res", { type = "A::B" })
    assert.same({ Description = "d", Resources = { Res = { Type = "A::B" } } }, s:to_json())
  end)

  it("is at most 512 characters (CDK's check for 1024 bytes)", function()
    cdk.Stack(app, "D2", { description = string.rep("x", 512) })
    local long = string.rep("x", 513)
    assert.has_error(function() cdk.Stack(app, "D1", { description = long }) end,
      "Stack description must be <= 1024 bytes. Received description: '" .. long .. "'")
  end)

  it("counts JavaScript's characters (UTF-16 code units), not bytes", function()
    cdk.Stack(app, "D3", { description = string.rep("é", 300) })   -- 600 bytes, 300 units
    cdk.Stack(app, "D4", { description = string.rep("😀", 256) })  -- 1024 bytes, 512 units
    local long = string.rep("😀", 257)
    assert.has_error(function() cdk.Stack(app, "D5", { description = long }) end,
      "Stack description must be <= 1024 bytes. Received description: '" .. long .. "'")
  end)

  it("resolves the tokens it holds (the reference's template)", function()
    local dir = h.tmppath(".out")
    local a = cdk.App { outdir = dir }
    local s = cdk.Stack(a, "S", {
      description = "a-" .. cdk.Aws.STACK_NAME .. "-" .. cdk.Lazy.string { produce = function() return "z" end } })
    local join = { ["Fn::Join"] = { "", { "a-", { Ref = "AWS::StackName" }, "-z" } } }
    assert.same({ Description = join }, s:to_json())
    a:synth()
    local text = h.read(dir .. "/S.template.json")
    h.rmtree(dir)
    assert.equal('{\n "Description": {\n  "Fn::Join": [\n   "",\n   [\n    "a-",\n    {\n     "Ref": "AWS::StackName"\n'
      .. '    },\n    "-z"\n   ]\n  ]\n }\n}', text)
  end)
end)

describe("Stack:format_arn", function()
  local pin, ag
  before_each(function()
    pin = cdk.Stack(app, "Pinned", { env = { account = "123456789012", region = "us-west-2" } })
    ag = cdk.Stack(app, "Agnostic")
  end)

  it("fills the stack's partition, region and account", function()
    assert.same(join({ "arn:", PARTITION, ":ecr:us-west-2:123456789012:repository/r" }),
      pin:resolve(pin:format_arn { service = "ecr", resource = "repository", resource_name = "r" }))
    assert.same(join({ "arn:", PARTITION, ":ecr:", REGION, ":", ACCOUNT, ":repository/r" }),
      ag:resolve(ag:format_arn { service = "ecr", resource = "repository", resource_name = "r" }))
  end)

  it("follows the ARN format and the separator", function()
    assert.same(join({ "arn:", PARTITION, ":s3:::bucket" }), pin:resolve(pin:format_arn {
      service = "s3", resource = "bucket", region = "", account = "", arn_format = cdk.ArnFormat.NO_RESOURCE_NAME }))
    assert.same(join({ "arn:", PARTITION, ":logs:us-west-2:123456789012:log-group:g" }), pin:resolve(pin:format_arn {
      service = "logs", resource = "log-group", resource_name = "g", arn_format = cdk.ArnFormat.COLON_RESOURCE_NAME }))
    assert.same(join({ "arn:", PARTITION, ":x:us-west-2:123456789012:/a/b" }), pin:resolve(pin:format_arn {
      service = "x", resource = "a", resource_name = "b", arn_format = cdk.ArnFormat.SLASH_RESOURCE_SLASH_RESOURCE_NAME }))
    assert.same(join({ "arn:", PARTITION, ":x:us-west-2:123456789012:a:b" }),
      pin:resolve(pin:format_arn { service = "x", resource = "a", resource_name = "b", sep = ":" }))
  end)

  it("is a plain string when every part is literal", function()
    assert.equal("arn:aws-cn:x:r:acc:a",
      pin:format_arn { service = "x", resource = "a", partition = "aws-cn", region = "r", account = "acc" })
  end)

  it("takes tokens as parts", function()
    assert.same(join({ "arn:", PARTITION, ":x:us-west-2:123456789012:a/", REGION }),
      pin:resolve(pin:format_arn { service = "x", resource = "a", resource_name = ag.region }))
  end)

  it("writes no separator when there is no resource name", function()
    local arn = pin:format_arn { service = "x", resource = "a", sep = "/", arn_format = cdk.ArnFormat.COLON_RESOURCE_NAME }
    assert.matches("^arn:%${Token%[AWS%.Partition%.%d+%]}:x:us%-west%-2:123456789012:a$", arn)
  end)

  it("requires service and resource and checks its props", function()
    assert.has_error(function() pin:format_arn { resource = "a" } end,
      "bad argument #1 to 'format_arn' (field 'service': required)")
    assert.has_error(function() pin:format_arn { service = "x" } end,
      "bad argument #1 to 'format_arn' (field 'resource': required)")
    assert.has_error(function() pin:format_arn { service = "x", resource = "a", resourcename = "b" } end,
      "bad argument #1 to 'format_arn' (unknown property 'resourcename')")
    assert.has_error(function() pin:format_arn("x") end, "bad argument #1 to 'format_arn' (table expected, got string)")
  end)
end)

describe("Stack:split_arn", function()
  local s
  before_each(function()
    s = cdk.Stack(app, "S")
  end)

  it("parses a literal ARN by format", function()
    assert.same({ service = "ecr", resource = "repository", partition = "aws", region = "us-east-1", account = "111111111111",
      resource_name = "my-repo", sep = "/", arn_format = cdk.ArnFormat.SLASH_RESOURCE_NAME },
      s:split_arn("arn:aws:ecr:us-east-1:111111111111:repository/my-repo", cdk.ArnFormat.SLASH_RESOURCE_NAME))
    assert.same({ service = "logs", resource = "log-group", partition = "aws", region = "us-east-1", account = "111111111111",
      resource_name = "g:*", sep = ":", arn_format = cdk.ArnFormat.COLON_RESOURCE_NAME },
      s:split_arn("arn:aws:logs:us-east-1:111111111111:log-group:g:*", cdk.ArnFormat.COLON_RESOURCE_NAME))
    assert.same({ service = "s3", resource = "bucket", partition = "aws", region = "", account = "",
      arn_format = cdk.ArnFormat.NO_RESOURCE_NAME },
      s:split_arn("arn:aws:s3:::bucket", cdk.ArnFormat.NO_RESOURCE_NAME))
    assert.same({ service = "x", resource = "res", partition = "aws", region = "r", account = "a", resource_name = "name",
      sep = "/", arn_format = cdk.ArnFormat.SLASH_RESOURCE_SLASH_RESOURCE_NAME },
      s:split_arn("arn:aws:x:r:a:/res/name", cdk.ArnFormat.SLASH_RESOURCE_SLASH_RESOURCE_NAME))
  end)

  it("reads what is there when the ARN has no resource name or another separator", function()
    assert.same({ service = "ecr", resource = "repository", partition = "aws", region = "us-east-1", account = "111111111111",
      arn_format = cdk.ArnFormat.NO_RESOURCE_NAME },
      s:split_arn("arn:aws:ecr:us-east-1:111111111111:repository", cdk.ArnFormat.SLASH_RESOURCE_NAME))
    assert.same({ service = "ecr", resource = "repository", partition = "aws", region = "us-east-1", account = "111111111111",
      resource_name = "x", sep = "/", arn_format = cdk.ArnFormat.SLASH_RESOURCE_NAME },
      s:split_arn("arn:aws:ecr:us-east-1:111111111111:repository/x", cdk.ArnFormat.COLON_RESOURCE_NAME))
  end)

  it("splits a token ARN with Fn::Select and Fn::Split", function()
    local function part(i)
      return { ["Fn::Select"] = { i, { ["Fn::Split"] = { ":", REGION } } } }
    end
    local function sub(i)
      return { ["Fn::Select"] = { i, { ["Fn::Split"] = { "/", part(5) } } } }
    end
    local parts = s:split_arn(s.region, cdk.ArnFormat.SLASH_RESOURCE_NAME)
    assert.equal("/", parts.sep)
    assert.equal(cdk.ArnFormat.SLASH_RESOURCE_NAME, parts.arn_format)
    assert.same({ partition = part(1), service = part(2), region = part(3), account = part(4), resource = sub(0),
      resource_name = sub(1), sep = "/", arn_format = cdk.ArnFormat.SLASH_RESOURCE_NAME }, s:resolve(parts))
    assert.same({ partition = part(1), service = part(2), region = part(3), account = part(4), resource = part(5),
      resource_name = part(6), sep = ":", arn_format = cdk.ArnFormat.COLON_RESOURCE_NAME },
      s:resolve(s:split_arn(s.region, cdk.ArnFormat.COLON_RESOURCE_NAME)))
  end)

  it("raises CDK's errors for malformed ARNs", function()
    assert.has_error(function() s:split_arn("not-an-arn", cdk.ArnFormat.SLASH_RESOURCE_NAME) end,
      'ARNs must start with "arn:" and have at least 6 components: not-an-arn')
    assert.has_error(function() s:split_arn("arn:aws:ecr", cdk.ArnFormat.SLASH_RESOURCE_NAME) end,
      "The `resource` component (6th component) of an ARN is required: arn:aws:ecr")
  end)

  it("checks its arguments", function()
    assert.has_error(function() s:split_arn(1, cdk.ArnFormat.SLASH_RESOURCE_NAME) end,
      "bad argument #1 to 'split_arn' (string expected, got number)")
    assert.has_error(function() s:split_arn("arn:a:b:c:d:e", "slash") end,
      "bad argument #2 to 'split_arn' (ArnFormat expected, got 'slash')")
  end)
end)

describe("Stack:add_dependency", function()
  it("records the dependency and refuses a cycle with CDK's message", function()
    local x1, x2, x3 = cdk.Stack(app, "X1"), cdk.Stack(app, "X2"), cdk.Stack(app, "X3")
    x1:add_dependency(x2)
    x2:add_dependency(x3, "because")
    assert.equal(1, #x1.dependencies)
    assert.equal(x2, x1.dependencies[1])
    assert.has_error(function() x3:add_dependency(x1) end,
      "'X1' depends on 'X3' (dependency added using stack.addDependency(), because). "
      .. "Adding this dependency (dependency added using stack.addDependency()) would create a cyclic reference.")
  end)

  it("ignores a stack depending on itself", function()
    local x1 = cdk.Stack(app, "X1")
    x1:add_dependency(x1)
    assert.same({}, x1.dependencies)
  end)

  it("refuses a stack of another App", function()
    local x1 = cdk.Stack(app, "X1")
    local other = cdk.App()
    local y = cdk.Stack(other, "Y")
    assert.has_error(function() x1:add_dependency(y) end,
      "You cannot add a dependency from 'X1' (in the App) to 'Y' (in the App): dependency cannot cross stage boundaries")
    other:close()
  end)

  it("checks its arguments", function()
    local x1 = cdk.Stack(app, "X1")
    assert.has_error(function() x1:add_dependency(cdk.Construct(x1, "C")) end,
      "bad argument #1 to 'add_dependency' (Stack expected, got Construct)")
    assert.has_error(function() x1.add_dependency(cdk.Construct(x1, "D"), x1) end,
      "calling 'add_dependency' on bad self (Stack expected, got Construct)")
  end)
end)

describe("Stack:resolve and Stack:to_json", function()
  it("resolve values in the stack's scope", function()
    local s = cdk.Stack(app, "S")
    local r = cdk.CfnResource(s, "Res", { type = "A::B" })
    assert.same({ a = { r = { Ref = "Res" }, l = { 1, "x" } } }, s:resolve({ a = { r = r.ref, l = { 1, "x" } } }))
    assert.equal("plain", s:resolve("plain"))
    assert.is_nil(s:resolve(nil))
  end)

  it("to_json renders the template without writing files", function()
    local s = cdk.Stack(app, "S")
    assert.same({}, s:to_json())
    cdk.CfnResource(s, "Res", { type = "A::B", properties = { P = s.region } })
    assert.same({ Resources = { Res = { Type = "A::B", Properties = { P = REGION } } } }, s:to_json())
  end)
end)
