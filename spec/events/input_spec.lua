-- events.RuleTargetInput and events.EventField: text, multiline text and objects as JSON (through
-- Stack.toJsonString: tokens spliced in with Fn::Join, strings quoted and escaped), event paths as
-- InputPath, EventField paths as InputTransformer placeholders (CDK's keys, f1..., and its
-- unquoting of lone placeholders in objects). Expected values are what the AWS CDK v1 (1.204.0)
-- synthesizes for the same programs.
local cdk = require "cdk"
local ecr = require "cdk.ecr"
local events = require "cdk.events"
local h = require "support.helpers"

local I, F = events.RuleTargetInput, events.EventField

local function error_of(fn, ...)
  return (h.error_of(fn, ...):gsub("^[^\n:]+%.lua:%d+: ", ""))
end

-- A target written in Lua that passes input through.
local function target(input)
  return { bind = function() return { arn = "arn:t", input = input } end }
end

local function join(...) return { ["Fn::Join"] = { "", { ... } } } end
local REPO = { Ref = "Repo02AC86CF" }
local REPO_ARN = { ["Fn::GetAtt"] = { "Repo02AC86CF", "Arn" } }

describe("events.RuleTargetInput", function()
  local app, stack, rule

  before_each(function()
    app = cdk.App()
    stack = cdk.Stack(app, "Stack")
    rule = events.Rule(stack, "R", { schedule = events.Schedule.rate(cdk.Duration.days(1)) })
  end)

  local function targets()
    local t = stack:to_json().Resources.RC21A1702.Properties.Targets
    for _, x in ipairs(t) do x.Arn, x.Id = nil, nil end
    return t
  end

  it("from_text, from_object and from_multiline_text are JSON; from_event_path is InputPath", function()
    rule:add_target(target(I.from_text("hello")))
    rule:add_target(target(I.from_text('say "hi"\n')))
    rule:add_target(target(I.from_object({ a = 1, b = { true, false, "x" }, c = { d = "e" } })))
    rule:add_target(target(I.from_multiline_text('line one\nline "two"')))
    rule:add_target(target(I.from_event_path("$.detail")))
    assert.same({
      { Input = '"hello"' },
      { Input = '"say \\"hi\\"\\n"' },
      { Input = '{"a":1,"b":[true,false,"x"],"c":{"d":"e"}}' },
      { Input = '"line one"\n"line \\"two\\""' },
      { InputPath = "$.detail" },
    }, targets())
  end)

  it("splices tokens into the JSON with Fn::Join, quoted and escaped as CDK does", function()
    local repo = ecr.Repository(stack, "Repo")
    local count = cdk.CfnParameter(stack, "Count", { type = "Number" })
    local names = cdk.CfnParameter(stack, "Names", { type = "CommaDelimitedList" })
    rule:add_target(target(I.from_text("Image pushed to " .. repo.repository_name .. ' in "' .. cdk.Aws.REGION .. '"')))
    rule:add_target(target(I.from_object({ arn = repo.repository_arn, list = { repo.repository_name, "x" }, n = 5,
      repo = repo.repository_name, uri = repo.repository_uri })))
    rule:add_target(target(I.from_object({ n = count.value_as_number, names = names.value_as_list,
      lazy = cdk.Lazy.string { produce = function() return "made" end }, sel = cdk.Fn.select(0, names.value_as_list) })))
    rule:add_target(target(I.from_text(cdk.Lazy.string { produce = function() return "lazy text" end })))
    rule:add_target(target(I.from_multiline_text("line 1 " .. repo.repository_name .. "\nline 2")))
    local select = function(i)
      return { ["Fn::Select"] = { i, { ["Fn::Split"] = { ":", REPO_ARN } } } }
    end
    assert.same({
      { Input = join('"Image pushed to ', REPO, ' in \\"', { Ref = "AWS::Region" }, '\\""') },
      { Input = join('{"arn":"', REPO_ARN, '","list":["', REPO, '","x"],"n":5,"repo":"', REPO, '","uri":"',
        select(4), ".dkr.ecr.", select(3), ".", { Ref = "AWS::URLSuffix" }, "/", REPO, '"}') },
      { Input = join('{"lazy":"made","n":"', { Ref = "Count" }, '","names":"', { Ref = "Names" }, '","sel":"',
        { ["Fn::Select"] = { 0, { Ref = "Names" } } }, '"}') },
      { Input = '"lazy text"' },
      { Input = join('"line 1 ', REPO, '"\n"line 2"') },
    }, targets())
  end)

  it("may hold the App's own tokens (converted when a target takes the input)", function()
    local b = cdk.CfnResource(stack, "Bucket", { type = "AWS::S3::Bucket" })
    rule:add_target(target(I.from_object({ arn = b:get_att("Arn"), ref = b.ref })))
    assert.same({ { Input = join('{"arn":"', { ["Fn::GetAtt"] = { "Bucket", "Arn" } }, '","ref":"', { Ref = "Bucket" }, '"}') } },
      targets())
    local bad = I.from_object({ f = print })
    assert.equal("bad argument #1 to 'RuleTargetInput.from_object' (field 'f': string, number, boolean or table "
      .. "expected, got function)", error_of(rule.add_target, rule, target(bad)))
  end)

  describe("with EventField paths", function()
    it("is an InputTransformer, keys named after the paths", function()
      rule:add_target(target(I.from_text("Tag " .. F.from_path("$.detail.image-tags") .. " of "
        .. F.from_path("$.detail.repository-name") .. " scanned: " .. F.from_path("$.detail.finding-severity-counts"))))
      rule:add_target(target(I.from_text(F.from_path("$.detail"))))
      assert.same({
        { InputTransformer = {
          InputPathsMap = {
            ["detail-image-tags"] = "$.detail.image-tags",
            ["detail-repository-name"] = "$.detail.repository-name",
            ["detail-finding-severity-counts"] = "$.detail.finding-severity-counts",
          },
          InputTemplate = '"Tag <detail-image-tags> of <detail-repository-name> scanned: <detail-finding-severity-counts>"',
        } },
        { InputTransformer = { InputPathsMap = { detail = "$.detail" }, InputTemplate = '"<detail>"' } },
      }, targets())
    end)

    it("in an object, leaves a lone placeholder unquoted, and tokens spliced in", function()
      local repo = ecr.Repository(stack, "Repo")
      rule:add_target(target(I.from_object({ account = F.account, dt = F.detail_type, id = F.event_id, repo = repo.repository_name,
        src = F.source, tag = F.from_path("$.detail.image-tags[0]"), text = "in " .. F.region .. ' and "' .. F.region .. '"',
        time = F.time })))
      rule:add_target(target(I.from_object(F.from_path("$.detail"))))
      rule:add_target(target(I.from_object({ nested = { deep = { { f = F.from_path("$.detail.a") } } },
        same = F.from_path("$.detail.a") })))
      rule:add_target(target(I.from_object({ [F.from_path("$.k")] = "v", q = 'say "<k>"' })))
      assert.same({
        { InputTransformer = {
          InputPathsMap = {
            account = "$.account", ["detail-type"] = "$.detail-type", id = "$.id", source = "$.source",
            ["detail-image-tags-0-"] = "$.detail.image-tags[0]", region = "$.region", time = "$.time",
          },
          InputTemplate = join('{"account":<account>,"dt":<detail-type>,"id":<id>,"repo":"', REPO,
            '","src":<source>,"tag":<detail-image-tags-0->,"text":"in <region> and \\"<region>\\"","time":<time>}'),
        } },
        { InputTransformer = { InputPathsMap = { detail = "$.detail" }, InputTemplate = "<detail>" } },
        { InputTransformer = { InputPathsMap = { ["detail-a"] = "$.detail.a" },
          InputTemplate = '{"nested":{"deep":[{"f":<detail-a>}]},"same":<detail-a>}' } },
        { InputTransformer = { InputPathsMap = { k = "$.k" }, InputTemplate = '{<k>:"v","q":"say \\"<k>\\""}' } },
      }, targets())
    end)

    it("in multiline text, each line quoted; a path without name characters gets f1, f2, ...", function()
      local repo = ecr.Repository(stack, "Repo")
      rule:add_target(target(I.from_multiline_text("line 1 " .. repo.repository_name .. '\nline "2" '
        .. F.from_path("$") .. "\n" .. F.from_path("$.detail.x"))))
      assert.same({
        { InputTransformer = {
          InputPathsMap = { f1 = "$", ["detail-x"] = "$.detail.x" },
          InputTemplate = join('"line 1 ', REPO, '"\n"line \\"2\\" <f1>"\n"<detail-x>"'),
        } },
      }, targets())
    end)

    it("keeps the paths map in the order the fields are met", function()
      local t = h.synth(function(a, c)
        local r = events.Rule(c.Stack(a, "Stack"), "R", { schedule = events.Schedule.rate(c.Duration.days(1)) })
        r:add_target(target(I.from_text(F.from_path("$.z") .. F.from_path("$.a") .. F.from_path("$.m"))))
      end)
      local map = t.Stack.Resources.RC21A1702.Properties.Targets[1].InputTransformer.InputPathsMap
      assert.same({ "z", "a", "m" }, require("support.json").keys(map))
    end)

    it("resolves to the path itself elsewhere", function()
      cdk.CfnOutput(stack, "Field", { value = F.from_path("$.detail.x") })
      assert.same({ Field = { Value = "$.detail.x" } }, stack:to_json().Outputs)
      assert.truthy(cdk.Token.is_unresolved(F.region))
    end)

    it("refuses two paths with the same key, with CDK's message", function()
      assert.equal("Single key 'a-b' is used for two different JSON paths: '$.a-b' and '$.a.b'",
        error_of(rule.add_target, rule, target(I.from_text(F.from_path("$.a.b") .. " " .. F.from_path("$.a-b")))))
    end)
  end)

  it("checks its argument", function()
    assert.equal("bad argument #1 to 'RuleTargetInput.from_text' (string expected, got number)",
      error_of(I.from_text, 5))
    assert.equal("bad argument #1 to 'RuleTargetInput.from_object' (table expected, got no value)",
      error_of(I.from_object))
    assert.equal("bad argument #1 to 'RuleTargetInput.from_event_path' (string expected, got table)",
      error_of(I.from_event_path, {}))
    assert.equal("bad argument #1 to 'EventField.from_path' (string expected, got number)", error_of(F.from_path, 5))
  end)
end)
