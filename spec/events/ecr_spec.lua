-- The ECR event rules: on_event, on_cloud_trail_event, on_cloud_trail_image_pushed (image_tag) and
-- on_image_scan_completed (image_tags), each with target, rule_name, description and an
-- event_pattern merged before the ECR fields, on owned and imported repositories; pinned against
-- what the AWS CDK v1 (1.204.0) synthesizes for the same programs.
local cdk = require "cdk"
local ecr = require "cdk.ecr"
local events = require "cdk.events"
local targets = require "cdk.events_targets"
local sns = require "cdk.sns"
local sqs = require "cdk.sqs"
local h = require "support.helpers"
local json = require "support.json"
local E = require "support.events"

local function error_of(fn, ...)
  return (h.error_of(fn, ...):gsub("^[^\n:]+%.lua:%d+: ", ""))
end

local REPO, REPO_ARN = E.ref("Repo02AC86CF"), E.getatt("Repo02AC86CF")
local TRAIL = { "AWS API Call via CloudTrail" }

describe("ECR event rules", function()
  local app, stack, repo, topic

  before_each(function()
    app = cdk.App()
    stack = cdk.Stack(app, "Stack")
    repo = ecr.Repository(stack, "Repo")
    topic = sns.Topic(stack, "Topic")
  end)

  it("on_event matches the repository's events, the user's pattern first", function()
    local rule = repo:on_event("Ev", { rule_name = "ecr-events", description = "all", target = targets.SnsTopic(topic),
      event_pattern = { detail_type = { "ECR Image Action" }, detail = { result = { "SUCCESS" } } } })
    assert.same(E.rule {
      Description = "all",
      EventPattern = { ["detail-type"] = { "ECR Image Action" }, detail = { result = { "SUCCESS" } },
        source = { "aws.ecr" }, resources = { REPO_ARN } },
      Name = "ecr-events",
      State = "ENABLED",
      Targets = { { Arn = E.ref("TopicBFC7AF6E"), Id = "Target0" } },
    }, stack:to_json().Resources.RepoEvB21E950F)
    assert.equal("Rule", getmetatable(events.Rule).__name)
    assert.truthy(rule.rule_arn)
  end)

  it("on_cloud_trail_event and on_cloud_trail_image_pushed match the CloudTrail calls", function()
    local queue = sqs.Queue(stack, "Queue")
    repo:on_cloud_trail_event("Api", { description = "ECR API calls" })
    repo:on_cloud_trail_image_pushed("Pushed", { image_tag = "v1", rule_name = "pushed", target = targets.SqsQueue(queue),
      event_pattern = { account = { "123" }, detail = { requestParameters = { registryId = { "123" } } } } })
    repo:on_cloud_trail_image_pushed("EmptyTag", { image_tag = "" })
    local r = stack:to_json().Resources
    assert.same(E.rule { Description = "ECR API calls", EventPattern = { source = { "aws.ecr" }, ["detail-type"] = TRAIL,
      detail = { requestParameters = { repositoryName = { REPO } } } }, State = "ENABLED" }, r.RepoApi32C75821)
    assert.same(E.rule {
      EventPattern = {
        account = { "123" },
        detail = { requestParameters = { registryId = { "123" }, repositoryName = { REPO }, imageTag = { "v1" } },
          eventName = { "PutImage" } },
        source = { "aws.ecr" },
        ["detail-type"] = TRAIL,
      },
      Name = "pushed",
      State = "ENABLED",
      Targets = { { Arn = E.getatt("Queue4A7E3555"), Id = "Target0" } },
    }, r.RepoPushed27D95246)
    assert.same(E.rule { EventPattern = { source = { "aws.ecr" }, ["detail-type"] = TRAIL,
      detail = { requestParameters = { repositoryName = { REPO } }, eventName = { "PutImage" } } }, State = "ENABLED" },
      r.RepoEmptyTagCB242A52)
  end)

  it("on_image_scan_completed matches completed scans, image_tags merged with the user's", function()
    local scan = repo:on_image_scan_completed("Scan", { image_tags = { "prod" }, description = "scan",
      event_pattern = { detail = { ["finding-severity-counts"] = { CRITICAL = { { numeric = { ">", 0 } } } },
        ["image-tags"] = { "dev" } } } })
    scan:add_target(targets.SnsTopic(topic))
    repo:on_image_scan_completed("NoTags", { image_tags = {} })
    local r = stack:to_json().Resources
    assert.same(E.rule {
      Description = "scan",
      EventPattern = {
        detail = { ["finding-severity-counts"] = { CRITICAL = { { numeric = { ">", 0 } } } },
          ["image-tags"] = { "dev", "prod" }, ["repository-name"] = { REPO }, ["scan-status"] = { "COMPLETE" } },
        source = { "aws.ecr" },
        ["detail-type"] = { "ECR Image Scan" },
      },
      State = "ENABLED",
      Targets = { { Arn = E.ref("TopicBFC7AF6E"), Id = "Target0" } },
    }, r.RepoScanB01A2AF4)
    assert.same(E.rule { EventPattern = { source = { "aws.ecr" }, ["detail-type"] = { "ECR Image Scan" },
      detail = { ["repository-name"] = { REPO }, ["scan-status"] = { "COMPLETE" }, ["image-tags"] = {} } },
      State = "ENABLED" }, r.RepoNoTagsF00536E9)
  end)

  it("write the ECR fields after the user's, in CDK's order", function()
    local t = h.synth(function(a, c)
      local s = c.Stack(a, "Stack")
      local r = ecr.Repository(s, "Repo")
      r:on_event("Ev", { event_pattern = { detail_type = { "ECR Image Action" } } })
      r:on_image_scan_completed("Scan", { image_tags = { "prod" } })
      r:on_cloud_trail_image_pushed("Pushed", { image_tag = "v1" })
    end)
    local res = t.Stack.Resources
    assert.same({ "detail-type", "source", "resources" }, json.keys(res.RepoEvB21E950F.Properties.EventPattern))
    local scan = res.RepoScanB01A2AF4.Properties.EventPattern
    assert.same({ "source", "detail-type", "detail" }, json.keys(scan))
    assert.same({ "repository-name", "scan-status", "image-tags" }, json.keys(scan.detail))
    local pushed = res.RepoPushed27D95246.Properties.EventPattern.detail
    assert.same({ "requestParameters", "eventName" }, json.keys(pushed))
    assert.same({ "repositoryName", "imageTag" }, json.keys(pushed.requestParameters))
  end)

  it("work on imported repositories", function()
    local imported = ecr.Repository.from_repository_name(stack, "Imp", "base")
    imported:on_cloud_trail_event("ImpTrail", { target = targets.SnsTopic(topic) })
    imported:on_event("ImpEv")
    local r = stack:to_json().Resources
    assert.same(E.rule { EventPattern = { source = { "aws.ecr" }, ["detail-type"] = TRAIL,
      detail = { requestParameters = { repositoryName = { "base" } } } }, State = "ENABLED",
      Targets = { { Arn = E.ref("TopicBFC7AF6E"), Id = "Target0" } } }, r.ImpImpTrailB0921982)
    assert.same(E.rule { EventPattern = { source = { "aws.ecr" }, resources = { E.join("arn:", E.ref("AWS::Partition"),
      ":ecr:", E.ref("AWS::Region"), ":", E.ref("AWS::AccountId"), ":repository/base") } }, State = "ENABLED" },
      r.ImpImpEv55C86C90)
  end)

  it("take only their options", function()
    assert.equal("bad argument #2 to 'on_event' (field 'target': event target expected, got number)",
      error_of(repo.on_event, repo, "X", { target = 5 }))
    assert.equal("bad argument #2 to 'on_event' (unknown property 'image_tag')",
      error_of(repo.on_event, repo, "Y", { image_tag = "x" }))
    assert.equal("bad argument #2 to 'on_event' (unknown property 'enabled')",
      error_of(repo.on_event, repo, "V", { enabled = false }))
    assert.equal("bad argument #2 to 'on_image_scan_completed' (field 'image_tags': list of strings expected, got string)",
      error_of(repo.on_image_scan_completed, repo, "Z", { image_tags = "x" }))
    assert.equal("bad argument #2 to 'on_cloud_trail_image_pushed' (field 'image_tag': string expected, got number)",
      error_of(repo.on_cloud_trail_image_pushed, repo, "W", { image_tag = 5 }))
  end)
end)
