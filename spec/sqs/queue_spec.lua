-- sqs.Queue: props (durations in seconds, sizes, dead-letter queue, FIFO and its naming rules,
-- encryption: SQS-managed, a key of its own or a given one), removal policies, fields, grants
-- (also on the queue's key), imports, and CDK's errors; pinned against what the AWS CDK v1
-- (1.204.0) synthesizes for the same programs (the golden sqs-* programs pin whole templates).
local cdk = require "cdk"
local sqs = require "cdk.sqs"
local sns = require "cdk.sns"
local kms = require "cdk.kms"
local iam = require "cdk.iam"
local h = require "support.helpers"
local E = require "support.events"
local K = require "support.kms"

local function error_of(fn, ...)
  return (h.error_of(fn, ...):gsub("^[^\n:]+%.lua:%d+: ", ""))
end

describe("sqs.Queue", function()
  local app, stack

  before_each(function()
    app = cdk.App()
    stack = cdk.Stack(app, "Stack")
  end)

  it("with no props is a queue CDK destroys with its stack", function()
    sqs.Queue(stack, "Q")
    assert.same({ Resources = { Q63C6E3AB = E.queue() } }, stack:to_json())
  end)

  it("takes durations, sizes, a dead-letter queue and a removal policy", function()
    local dlq = sqs.Queue(stack, "Dlq", { retention_period = cdk.Duration.days(14) })
    sqs.Queue(stack, "Full", {
      queue_name = "full", delivery_delay = cdk.Duration.seconds(0), max_message_size_bytes = 2048,
      retention_period = cdk.Duration.minutes(1), receive_message_wait_time = cdk.Duration.seconds(20),
      visibility_timeout = cdk.Duration.hours(12), dead_letter_queue = { queue = dlq, max_receive_count = 5 },
      removal_policy = cdk.RemovalPolicy.RETAIN,
    })
    sqs.Queue(stack, "Plain", { encryption = sqs.QueueEncryption.UNENCRYPTED, removal_policy = cdk.RemovalPolicy.SNAPSHOT })
    assert.same({
      DlqD1FAA4AD = E.queue { MessageRetentionPeriod = 1209600 },
      FullC8C81DE8 = E.queue({
        DelaySeconds = 0, MaximumMessageSize = 2048, MessageRetentionPeriod = 60, QueueName = "full",
        ReceiveMessageWaitTimeSeconds = 20,
        RedrivePolicy = { deadLetterTargetArn = E.getatt("DlqD1FAA4AD"), maxReceiveCount = 5 },
        VisibilityTimeout = 43200,
      }, "Retain"),
      Plain295EB121 = E.queue(nil, "Snapshot"),
    }, stack:to_json().Resources)
  end)

  it("is FIFO when told, named *.fifo, or given FIFO-only props", function()
    local f = sqs.Queue(stack, "Fifo", { fifo = true, content_based_deduplication = true,
      deduplication_scope = sqs.DeduplicationScope.MESSAGE_GROUP,
      fifo_throughput_limit = sqs.FifoThroughputLimit.PER_MESSAGE_GROUP_ID })
    local named = sqs.Queue(stack, "NamedFifo", { queue_name = "x.fifo" })
    local plain = sqs.Queue(stack, "Plain")
    local r = stack:to_json().Resources
    assert.same(E.queue { ContentBasedDeduplication = true, DeduplicationScope = "messageGroup", FifoQueue = true,
      FifoThroughputLimit = "perMessageGroupId" }, r.FifoF9CE07D8)
    assert.same(E.queue { FifoQueue = true, QueueName = "x.fifo" }, r.NamedFifoF6C9C8F1)
    assert.is_true(f.fifo)
    assert.is_true(named.fifo)
    assert.is_false(plain.fifo)
  end)

  describe("encryption", function()
    it("KMS_MANAGED uses alias/aws/sqs; KMS makes a key of its own; a key given implies KMS", function()
      sqs.Queue(stack, "Managed", { encryption = sqs.QueueEncryption.KMS_MANAGED, data_key_reuse = cdk.Duration.minutes(5) })
      local own = sqs.Queue(stack, "Own", { encryption = sqs.QueueEncryption.KMS })
      local key = kms.Key(stack, "MyKey")
      local given = sqs.Queue(stack, "Given", { encryption_master_key = key, data_key_reuse = cdk.Duration.hours(1) })
      assert.same({
        Managed658ACE2E = E.queue { KmsDataKeyReusePeriodSeconds = 300, KmsMasterKeyId = "alias/aws/sqs" },
        OwnKey2511D256 = K.key { Description = "Created by Stack/Own" },
        Own30425842 = E.queue { KmsMasterKeyId = E.getatt("OwnKey2511D256") },
        MyKey6AB29FA6 = K.key(),
        GivenEA18D9CA = E.queue { KmsDataKeyReusePeriodSeconds = 3600, KmsMasterKeyId = E.getatt("MyKey6AB29FA6") },
      }, stack:to_json().Resources)
      assert.equal(own.node:find_child("Key"), own.encryption_master_key)
      assert.equal(key, given.encryption_master_key)
    end)

    it("grants to send and consume also grant on the key, as CDK v1", function()
      local own = sqs.Queue(stack, "Own", { encryption = sqs.QueueEncryption.KMS })
      local role = iam.Role(stack, "Role", { assumed_by = iam.AccountRootPrincipal() })
      own:grant_send_messages(role)
      own:grant_consume_messages(role)
      own:grant_purge(role)
      local r = stack:to_json().Resources
      local role_arn = { AWS = E.getatt("Role1ABCC5F0") }
      assert.same({ K.legacy_statement(), K.statement(K.ENCRYPT_DECRYPT, role_arn), K.statement("kms:Decrypt", role_arn) },
        r.OwnKey2511D256.Properties.KeyPolicy.Statement)
      local key, queue = E.getatt("OwnKey2511D256"), E.getatt("Own30425842")
      assert.same({
        { Action = E.SEND, Effect = "Allow", Resource = queue },
        { Action = K.ENCRYPT_DECRYPT, Effect = "Allow", Resource = key },
        { Action = { "sqs:ReceiveMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueUrl", "sqs:DeleteMessage",
          "sqs:GetQueueAttributes" }, Effect = "Allow", Resource = queue },
        { Action = "kms:Decrypt", Effect = "Allow", Resource = key },
        { Action = { "sqs:PurgeQueue", "sqs:GetQueueAttributes", "sqs:GetQueueUrl" }, Effect = "Allow", Resource = queue },
      }, r.RoleDefaultPolicy5FFB7DAB.Properties.PolicyDocument.Statement)
    end)
  end)

  it("has queue_arn, queue_name, queue_url, env", function()
    local q = sqs.Queue(stack, "Q")
    cdk.CfnOutput(stack, "Out", { value = q.queue_url .. " " .. q.queue_name .. " " .. q.queue_arn })
    assert.same({ Out = { Value = E.join(E.ref("Q63C6E3AB"), " ", E.getatt("Q63C6E3AB", "QueueName"), " ",
      E.getatt("Q63C6E3AB")) } }, stack:to_json().Outputs)
    assert.truthy(cdk.Token.is_unresolved(q.env.account))
  end)

  describe("imports", function()
    it("from_queue_arn and from_queue_attributes derive name, URL and FIFO; key_arn gives the key", function()
      local s = cdk.Stack(app, "Pinned", { env = { account = "123456789012", region = "us-east-1" } })
      local a = sqs.Queue.from_queue_arn(s, "A", "arn:aws:sqs:us-east-1:123456789012:a")
      local b = sqs.Queue.from_queue_attributes(s, "B", { queue_arn = "arn:aws:sqs:us-east-1:123456789012:b.fifo",
        key_arn = "arn:aws:kms:us-east-1:123456789012:key/abc" })
      local c = sqs.Queue.from_queue_attributes(s, "C", { queue_arn = cdk.Fn.import_value("QArn"), queue_name = "c",
        queue_url = "https://c", fifo = true })
      local role = iam.Role(s, "Role", { assumed_by = iam.AccountRootPrincipal() })
      b:grant_send_messages(role)
      assert.equal("a", a.queue_name)
      assert.same({ false, true, true }, { a.fifo, b.fifo, c.fifo })
      assert.equal("https://c", c.queue_url)
      cdk.CfnOutput(s, "Urls", { value = a.queue_url .. " " .. b.queue_url })
      local t = s:to_json()
      assert.same({ Urls = { Value = E.join("https://sqs.us-east-1.", E.ref("AWS::URLSuffix"), "/123456789012/a https://sqs.us-east-1.",
        E.ref("AWS::URLSuffix"), "/123456789012/b.fifo") } }, t.Outputs)
      assert.same({
        { Action = E.SEND, Effect = "Allow", Resource = "arn:aws:sqs:us-east-1:123456789012:b.fifo" },
        { Action = K.ENCRYPT_DECRYPT, Effect = "Allow", Resource = "arn:aws:kms:us-east-1:123456789012:key/abc" },
      }, t.Resources.RoleDefaultPolicy5FFB7DAB.Properties.PolicyDocument.Statement)
    end)

    it("check FIFO against the name, with CDK's messages", function()
      assert.equal("FIFO queue names must end in '.fifo'", error_of(sqs.Queue.from_queue_attributes, stack, "A",
        { queue_arn = "arn:aws:sqs:us-east-1:123456789012:q", fifo = true }))
      assert.equal("Non-FIFO queue name may not end in '.fifo'", error_of(sqs.Queue.from_queue_attributes, stack, "B",
        { queue_arn = "arn:aws:sqs:us-east-1:123456789012:q.fifo", fifo = false }))
    end)
  end)

  describe("errors", function()
    it("are CDK's for FIFO settings", function()
      local cases = {
        { { queue_name = "x", fifo = true }, "FIFO queue names must end in '.fifo'" },
        { { queue_name = cdk.PhysicalName.GENERATE_IF_NEEDED, fifo = true }, "FIFO queue names must end in '.fifo'" },
        { { queue_name = cdk.Fn.import_value("N"), fifo = true }, "FIFO queue names must end in '.fifo'" },
        { { queue_name = "x.fifo", fifo = false }, "Non-FIFO queue name may not end in '.fifo'" },
        { { content_based_deduplication = true, fifo = false },
          "Content-based deduplication can only be defined for FIFO queues" },
        { { deduplication_scope = sqs.DeduplicationScope.QUEUE, fifo = false },
          "Deduplication scope can only be defined for FIFO queues" },
        { { fifo_throughput_limit = sqs.FifoThroughputLimit.PER_QUEUE, fifo = false },
          "FIFO throughput limit can only be defined for FIFO queues" },
      }
      for i, c in ipairs(cases) do
        assert.equal(c[2], error_of(sqs.Queue, stack, "Q" .. i, c[1]))
      end
    end)

    it("are CDK's for ranges", function()
      local D = cdk.Duration
      local cases = {
        { { delivery_delay = D.seconds(901) }, "delivery delay must be 900 seconds or less, but 901 was provided" },
        { { max_message_size_bytes = 1000 }, "maximum message size must be 1024 bytes or more, but 1000 was provided" },
        { { max_message_size_bytes = 262145 }, "maximum message size must be 262144 bytes or less, but 262145 was provided" },
        { { retention_period = D.seconds(59) }, "message retention period must be 60 seconds or more, but 59 was provided" },
        { { retention_period = D.days(15) },
          "message retention period must be 1209600 seconds or less, but 1296000 was provided" },
        { { receive_message_wait_time = D.seconds(21) }, "receive wait time must be 20 seconds or less, but 21 was provided" },
        { { visibility_timeout = D.seconds(43201) }, "visibility timeout must be 43200 seconds or less, but 43201 was provided" },
        { { dead_letter_queue = { queue = sqs.Queue(stack, "D"), max_receive_count = 0 } },
          "dead letter target maximum receive count must be 1 or more, but 0 was provided" },
      }
      for i, c in ipairs(cases) do
        assert.equal(c[2], error_of(sqs.Queue, stack, "Q" .. i, c[1]))
      end
    end)

    it("name bad props", function()
      assert.equal("bad argument #3 to 'Queue' (field 'encryption_master_key': kms.Key expected, got string)",
        error_of(sqs.Queue, stack, "A", { encryption_master_key = "arn" }))
      assert.equal("bad argument #3 to 'Queue' (field 'dead_letter_queue': table expected, got Queue)",
        error_of(sqs.Queue, stack, "B", { dead_letter_queue = sqs.Queue(stack, "D") }))
      assert.equal("bad argument #3 to 'Queue' (field 'dead_letter_queue.max_receive_count': required)",
        error_of(sqs.Queue, stack, "C", { dead_letter_queue = { queue = sqs.Queue(stack, "D2") } }))
      -- what is wrong inside dead_letter_queue names argument 3 and the field's path
      local dlq = sqs.Queue(stack, "D3")
      assert.equal("bad argument #3 to 'Queue' (field 'dead_letter_queue.queue': required)",
        error_of(sqs.Queue, stack, "F", { dead_letter_queue = { max_receive_count = 1 } }))
      assert.equal("bad argument #3 to 'Queue' (field 'dead_letter_queue.queue': Queue expected, got Topic)",
        error_of(sqs.Queue, stack, "G", { dead_letter_queue = { queue = sns.Topic(stack, "T"), max_receive_count = 1 } }))
      assert.equal("bad argument #3 to 'Queue' (field 'dead_letter_queue.max_receive_count': number expected, got string)",
        error_of(sqs.Queue, stack, "H", { dead_letter_queue = { queue = dlq, max_receive_count = "1" } }))
      assert.equal("bad argument #3 to 'Queue' (field 'dead_letter_queue.max_receive_count': number must be finite, got inf)",
        error_of(sqs.Queue, stack, "I", { dead_letter_queue = { queue = dlq, max_receive_count = math.huge } }))
      assert.equal("bad argument #3 to 'Queue' (field 'dead_letter_queue': unknown property 'retries')",
        error_of(sqs.Queue, stack, "J", { dead_letter_queue = { queue = dlq, max_receive_count = 1, retries = 2 } }))
      assert.equal("bad argument #3 to 'Queue' (field 'dead_letter_queue': unknown property '1')",
        error_of(sqs.Queue, stack, "K", { dead_letter_queue = { dlq } }))
      local other = sqs.Queue(cdk.Stack(cdk.App(), "Other"), "X")
      assert.equal("bad argument #3 to 'Queue' (field 'dead_letter_queue.queue': construct 'Other/X' of another App)",
        error_of(sqs.Queue, stack, "L", { dead_letter_queue = { queue = other, max_receive_count = 1 } }))
      assert.equal("bad argument #3 to 'Queue' (unknown property 'fifo_queue')",
        error_of(sqs.Queue, stack, "E", { fifo_queue = true }))
    end)
  end)
end)
