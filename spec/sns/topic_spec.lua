-- sns.Topic: props (names, FIFO naming, content-based deduplication, a master key), fields,
-- grant_publish and add_to_resource_policy (the TopicPolicy and its statement ids), imports, and
-- CDK's errors; pinned against what the AWS CDK v1 (1.204.0) synthesizes for the same programs.
local cdk = require "cdk"
local sns = require "cdk.sns"
local kms = require "cdk.kms"
local iam = require "cdk.iam"
local h = require "support.helpers"
local E = require "support.events"

local function error_of(fn, ...)
  return (h.error_of(fn, ...):gsub("^[^\n:]+%.lua:%d+: ", ""))
end

describe("sns.Topic", function()
  local app, stack

  before_each(function()
    app = cdk.App()
    stack = cdk.Stack(app, "Stack")
  end)

  it("with no props is a bare topic", function()
    sns.Topic(stack, "T")
    assert.same({ Resources = { TD925BC7E = { Type = "AWS::SNS::Topic" } } }, stack:to_json())
  end)

  it("takes names, FIFO (adding .fifo to the name), deduplication and a master key", function()
    local key = kms.Key(stack, "Key")
    local fifo = sns.Topic(stack, "Fifo", { topic_name = "orders", fifo = true, content_based_deduplication = true,
      display_name = "Orders", master_key = key })
    sns.Topic(stack, "Fifo2", { topic_name = "named.fifo", fifo = true })
    sns.Topic(stack, "NotFifo", { fifo = false, topic_name = "plain" })
    sns.Topic(stack, "T", { master_key = kms.Alias.from_alias_name(stack, "A", "alias/aws/sns") })
    local r = stack:to_json().Resources
    assert.same(E.topic { ContentBasedDeduplication = true, DisplayName = "Orders", FifoTopic = true,
      KmsMasterKeyId = E.getatt("Key961B73FD"), TopicName = "orders.fifo" }, r.FifoF9CE07D8)
    assert.same(E.topic { FifoTopic = true, TopicName = "named.fifo" }, r.Fifo2A25CAF4C)
    assert.same(E.topic { FifoTopic = false, TopicName = "plain" }, r.NotFifoB60ADB66)
    assert.same(E.topic { KmsMasterKeyId = E.join("arn:", E.ref("AWS::Partition"), ":kms:", E.ref("AWS::Region"), ":",
      E.ref("AWS::AccountId"), ":alias/aws/sns") }, r.TD925BC7E)
    assert.is_true(fifo.fifo)
  end)

  it("grants publish to identities in their policy, and to services in a TopicPolicy", function()
    local t = sns.Topic(stack, "T")
    local role = iam.Role(stack, "Role", { assumed_by = iam.AccountRootPrincipal() })
    t:grant_publish(role)
    t:grant_publish(iam.ServicePrincipal("s3.amazonaws.com"))
    local added = t:add_to_resource_policy(iam.PolicyStatement { actions = { "sns:Subscribe" },
      principals = { iam.AnyPrincipal() }, resources = { t.topic_arn } })
    local r = stack:to_json().Resources
    assert.same(E.topic_policy("TD925BC7E", {
      { Action = "sns:Publish", Effect = "Allow", Principal = { Service = "s3.amazonaws.com" }, Resource = E.ref("TD925BC7E"), Sid = "0" },
      { Action = "sns:Subscribe", Effect = "Allow", Principal = { AWS = "*" }, Resource = E.ref("TD925BC7E"), Sid = "1" },
    }), r.TPolicy0B398327)
    assert.same({ { Action = "sns:Publish", Effect = "Allow", Resource = E.ref("TD925BC7E") } },
      r.RoleDefaultPolicy5FFB7DAB.Properties.PolicyDocument.Statement)
    assert.is_true(added.statement_added)
    assert.equal(t.node:find_child("Policy"), added.policy_dependable)
  end)

  it("has topic_arn, topic_name, fifo, env", function()
    local t = sns.Topic(stack, "Fifo", { topic_name = "orders", fifo = true })
    cdk.CfnOutput(stack, "Out", { value = t.topic_name .. " " .. t.topic_arn })
    assert.same({ Out = { Value = E.join(E.getatt("FifoF9CE07D8", "TopicName"), " ", E.ref("FifoF9CE07D8")) } },
      stack:to_json().Outputs)
    assert.truthy(cdk.Token.is_unresolved(t.env.region))
  end)

  it("from_topic_arn: name and FIFO from the ARN; grants go to the grantee only", function()
    local imp = sns.Topic.from_topic_arn(stack, "Imp", "arn:aws:sns:us-east-1:123456789012:imp.fifo")
    local role = iam.Role(stack, "Role", { assumed_by = iam.AccountRootPrincipal() })
    imp:grant_publish(role)
    imp:grant_publish(iam.ServicePrincipal("s3.amazonaws.com"))
    assert.equal("imp.fifo", imp.topic_name)
    assert.is_true(imp.fifo)
    local r = stack:to_json().Resources
    assert.same({ { Action = "sns:Publish", Effect = "Allow", Resource = "arn:aws:sns:us-east-1:123456789012:imp.fifo" } },
      r.RoleDefaultPolicy5FFB7DAB.Properties.PolicyDocument.Statement)
    local ids = {}
    for id in pairs(r) do ids[#ids + 1] = id end
    table.sort(ids)
    assert.same({ "Role1ABCC5F0", "RoleDefaultPolicy5FFB7DAB" }, ids)
    assert.is_false(imp:add_to_resource_policy(iam.PolicyStatement { actions = { "sns:Publish" },
      principals = { iam.AnyPrincipal() }, resources = { "*" } }).statement_added)
  end)

  it("refuses FIFO settings CDK refuses, with its messages", function()
    assert.equal("FIFO SNS topics must be given a topic name.", error_of(sns.Topic, stack, "A", { fifo = true }))
    assert.equal("FIFO SNS topics must be given a topic name.",
      error_of(sns.Topic, stack, "A2", { fifo = true, topic_name = "" }))
    assert.equal("Content based deduplication can only be enabled for FIFO SNS topics.",
      error_of(sns.Topic, stack, "B", { content_based_deduplication = true }))
    assert.equal("bad argument #3 to 'Topic' (field 'master_key': kms.Key expected, got string)",
      error_of(sns.Topic, stack, "C", { master_key = "x" }))
    assert.equal("bad argument #3 to 'Topic' (unknown property 'name')", error_of(sns.Topic, stack, "D", { name = "x" }))
  end)
end)
