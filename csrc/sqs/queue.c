/* queue.c: sqs.Queue as the AWS CDK v1 builds it: range checks with CDK's messages, FIFO naming
 * rules, encryption properties, the QueuePolicy made on the first resource-policy statement,
 * grants (send, consume, purge), imports with their URL. */
#include <stdio.h>
#include <string.h>

#include "cdk_kms.h"
#include "cdk_sqs.h"

#define END {NULL, NULL, 0, 0, NULL, 0}
#define NO_CLASS {NULL, NULL, NULL, NULL, NULL, NULL}

static const cdk_prop tag_props[] = {
    {"key", "Key", CDK_P_STRING, 0, NULL, 1},
    {"value", "Value", CDK_P_STRING, 0, NULL, 1},
    END,
};
static const cdk_schema tag_schema = {NO_CLASS, "CfnTag", NULL, NULL, tag_props, NULL, 0, NULL};
static const cdk_prop queue_props[] = {
    {"content_based_deduplication", "ContentBasedDeduplication", CDK_P_BOOL, 0, NULL, 0},
    {"deduplication_scope", "DeduplicationScope", CDK_P_STRING, 0, NULL, 0},
    {"delay_seconds", "DelaySeconds", CDK_P_NUMBER, 0, NULL, 0},
    {"fifo_queue", "FifoQueue", CDK_P_BOOL, 0, NULL, 0},
    {"fifo_throughput_limit", "FifoThroughputLimit", CDK_P_STRING, 0, NULL, 0},
    {"kms_data_key_reuse_period_seconds", "KmsDataKeyReusePeriodSeconds", CDK_P_NUMBER, 0, NULL, 0},
    {"kms_master_key_id", "KmsMasterKeyId", CDK_P_STRING, 0, NULL, 0},
    {"maximum_message_size", "MaximumMessageSize", CDK_P_NUMBER, 0, NULL, 0},
    {"message_retention_period", "MessageRetentionPeriod", CDK_P_NUMBER, 0, NULL, 0},
    {"queue_name", "QueueName", CDK_P_STRING, 0, NULL, 0},
    {"receive_message_wait_time_seconds", "ReceiveMessageWaitTimeSeconds", CDK_P_NUMBER, 0, NULL, 0},
    {"redrive_allow_policy", "RedriveAllowPolicy", CDK_P_JSON, 0, NULL, 0},
    {"redrive_policy", "RedrivePolicy", CDK_P_JSON, 0, NULL, 0},
    {"sqs_managed_sse_enabled", "SqsManagedSseEnabled", CDK_P_BOOL, 0, NULL, 0},
    {"tags", "Tags", CDK_P_TAGS, CDK_P_STRUCT, &tag_schema, 0},
    {"visibility_timeout", "VisibilityTimeout", CDK_P_NUMBER, 0, NULL, 0},
    END,
};
static const char *const queue_attrs[] = {"Arn", "QueueName", "QueueUrl", NULL};
const cdk_schema cdk_sqs_cfn_queue = {CDK_L1_CLASS("CfnQueue", "@aws-cdk/aws-sqs.CfnQueue"), "CfnQueue", "AWS::SQS::Queue",
                                      "@aws-cdk/aws-sqs.CfnQueue", queue_props, queue_attrs, CDK_TAGS_STANDARD, NULL};
static const cdk_prop queue_policy_props[] = {
    {"policy_document", "PolicyDocument", CDK_P_JSON, 0, NULL, 1},
    {"queues", "Queues", CDK_P_LIST, CDK_P_STRING, NULL, 1},
    END,
};
static const char *const no_attrs[] = {NULL};
const cdk_schema cdk_sqs_cfn_queue_policy = {CDK_L1_CLASS("CfnQueuePolicy", "@aws-cdk/aws-sqs.CfnQueuePolicy"),
                                             "CfnQueuePolicy", "AWS::SQS::QueuePolicy", "@aws-cdk/aws-sqs.CfnQueuePolicy",
                                             queue_policy_props, no_attrs, CDK_TAGS_NONE, NULL};

static int queue_validate(cdk_node *n, cdk_strlist *errs);
const cdk_class cdk_sqs_queue_class = {"Queue", "@aws-cdk/aws-sqs.Queue", queue_validate, NULL, NULL, NULL};
const cdk_class cdk_sqs_imported_queue_class = {"ImportedQueue", "@aws-cdk/aws-sqs.QueueBase", NULL, NULL, NULL, NULL};
const cdk_class cdk_sqs_queue_policy_class = {"QueuePolicy", "@aws-cdk/aws-sqs.QueuePolicy", NULL, NULL, NULL, NULL};

cdk_sqs_queue *cdk_sqs_queue_of(cdk_node *n)
{
    return n && (n->cls == &cdk_sqs_queue_class || n->cls == &cdk_sqs_imported_queue_class) ? n->impl : NULL;
}

static int range(cdk_app *app, const char *label, int has, double v, double lo, double hi, const char *unit)
{
    char a[40], b[40];
    if (!has)
        return CDK_OK;
    const char *suffix = unit ? unit : "";
    if (v < lo) {
        cdk_js_number(lo, a);
        cdk_js_number(v, b);
        return cdk_fail(app, CDK_EINVAL, "%s must be %s%s%s or more, but %s was provided", label, a, unit ? " " : "", suffix, b);
    }
    if (v > hi) {
        cdk_js_number(hi, a);
        cdk_js_number(v, b);
        return cdk_fail(app, CDK_EINVAL, "%s must be %s%s%s or less, but %s was provided", label, a, unit ? " " : "", suffix, b);
    }
    return CDK_OK;
}

static int ends_fifo(const char *s)
{
    size_t n = s ? strlen(s) : 0;
    return n >= 5 && strcmp(s + n - 5, ".fifo") == 0;
}

int cdk_sqs_queue_new(cdk_node *scope, const char *id, const cdk_sqs_queue_props *p, cdk_node **out)
{
    cdk_app *app = scope->app;
    cdk_node *n;
    int rc = cdk_node_new(scope, id, &cdk_sqs_queue_class, sizeof(cdk_sqs_queue), &n);
    if (rc != CDK_OK)
        return rc;
    cdk_sqs_queue *q = n->impl;
    if ((rc = cdk_physical_init(n, p->queue_name, &q->phys)) != CDK_OK)
        goto fail;
    if ((rc = range(app, "delivery delay", p->has_delivery_delay, p->delivery_delay_seconds, 0, 900, "seconds")) ||
        (rc = range(app, "maximum message size", p->has_max_message_size, p->max_message_size_bytes, 1024, 262144, "bytes")) ||
        (rc = range(app, "message retention period", p->has_retention, p->retention_seconds, 60, 1209600, "seconds")) ||
        (rc = range(app, "receive wait time", p->has_receive_wait, p->receive_wait_seconds, 0, 20, "seconds")) ||
        (rc = range(app, "visibility timeout", p->has_visibility_timeout, p->visibility_timeout_seconds, 0, 43200, "seconds")) ||
        (rc = range(app, "dead letter target maximum receive count", p->dead_letter_queue && p->has_max_receive_count,
                     p->max_receive_count, 1, 1e308, NULL)))
        goto fail;
    /* FIFO */
    int fifo = p->fifo;
    const char *qname = p->queue_name && !cdk_is_unresolved(p->queue_name) ? cdk_value_str(p->queue_name) : NULL;
    if (fifo < 0 && qname && ends_fifo(qname))
        fifo = 1;
    if (fifo < 0 && (p->content_based_deduplication > 0 || p->deduplication_scope || p->fifo_throughput_limit))
        fifo = 1;
    if (p->queue_name && cdk_value_str(p->queue_name)) { /* `typeof queueName === "string"`: tokens too */
        const char *nm = cdk_value_str(p->queue_name);
        if (fifo > 0 && !ends_fifo(nm)) {
            rc = cdk_fail(app, CDK_EINVAL, "FIFO queue names must end in '.fifo'");
            goto fail;
        }
        if (fifo <= 0 && ends_fifo(nm)) {
            rc = cdk_fail(app, CDK_EINVAL, "Non-FIFO queue name may not end in '.fifo'");
            goto fail;
        }
    }
    if (p->content_based_deduplication > 0 && fifo <= 0) {
        rc = cdk_fail(app, CDK_EINVAL, "Content-based deduplication can only be defined for FIFO queues");
        goto fail;
    }
    if (p->deduplication_scope && fifo <= 0) {
        rc = cdk_fail(app, CDK_EINVAL, "Deduplication scope can only be defined for FIFO queues");
        goto fail;
    }
    if (p->fifo_throughput_limit && fifo <= 0) {
        rc = cdk_fail(app, CDK_EINVAL, "FIFO throughput limit can only be defined for FIFO queues");
        goto fail;
    }
    q->fifo = fifo > 0;
    /* encryption */
    cdk_sqs_encryption enc = p->encryption ? p->encryption : CDK_SQS_ENC_NONE;
    if (enc != CDK_SQS_ENC_KMS && p->encryption_master_key_arn)
        enc = CDK_SQS_ENC_KMS;
    cdk_value *props = cdk_map(app);
    if (props == NULL || cdk_map_set(app, props, "queue_name", q->phys.physical_name) != CDK_OK)
        goto oom;
    if ((p->content_based_deduplication >= 0 &&
         cdk_map_set(app, props, "content_based_deduplication", cdk_boolv(p->content_based_deduplication)) != CDK_OK) ||
        (p->deduplication_scope && cdk_map_set(app, props, "deduplication_scope", cdk_str(app, p->deduplication_scope)) != CDK_OK) ||
        (p->fifo_throughput_limit &&
         cdk_map_set(app, props, "fifo_throughput_limit", cdk_str(app, p->fifo_throughput_limit)) != CDK_OK) ||
        (fifo >= 0 && cdk_map_set(app, props, "fifo_queue", cdk_boolv(fifo)) != CDK_OK))
        goto oom;
    if (enc == CDK_SQS_ENC_KMS_MANAGED || enc == CDK_SQS_ENC_KMS) {
        cdk_value *key = enc == CDK_SQS_ENC_KMS_MANAGED ? cdk_str(app, "alias/aws/sqs") : p->encryption_master_key_arn;
        q->encryption_master_key = enc == CDK_SQS_ENC_KMS ? p->encryption_master_key : NULL;
        if (enc == CDK_SQS_ENC_KMS && key == NULL) {
            /* a key of its own, made before the queue's resource (so it comes first) */
            cdk_kms_key_props kp;
            memset(&kp, 0, sizeof kp);
            kp.enable_key_rotation = kp.enabled = kp.trust_account_identities = -1;
            const char *desc = cdk_sprintf(app, "Created by %s", n->path);
            if (desc == NULL || (kp.description = cdk_str(app, desc)) == NULL)
                goto oom;
            if ((rc = cdk_kms_key_new(n, "Key", &kp, &q->encryption_master_key)) != CDK_OK)
                goto fail;
            if ((key = cdk_kms_key_arn(q->encryption_master_key)) == NULL)
                goto oom;
        }
        if (cdk_map_set(app, props, "kms_master_key_id", key) != CDK_OK ||
            (p->has_data_key_reuse && cdk_map_set(app, props, "kms_data_key_reuse_period_seconds", cdk_num(app, p->data_key_reuse_seconds)) != CDK_OK))
            goto oom;
    }
    if (p->dead_letter_queue) {
        cdk_sqs_queue *dlq = cdk_sqs_queue_of(p->dead_letter_queue);
        cdk_value *rp = cdk_map(app);
        if (dlq == NULL) {
            rc = cdk_fail(app, CDK_EINVAL, "dead_letter_queue.queue must be a queue");
            goto fail;
        }
        if (rp == NULL || cdk_map_set(app, rp, "deadLetterTargetArn", dlq->arn) != CDK_OK ||
            (p->has_max_receive_count && cdk_map_set(app, rp, "maxReceiveCount", cdk_num(app, p->max_receive_count)) != CDK_OK) ||
            cdk_map_set(app, props, "redrive_policy", rp) != CDK_OK)
            goto oom;
    }
    if ((p->has_delivery_delay && cdk_map_set(app, props, "delay_seconds", cdk_num(app, p->delivery_delay_seconds)) != CDK_OK) ||
        (p->has_max_message_size && cdk_map_set(app, props, "maximum_message_size", cdk_num(app, p->max_message_size_bytes)) != CDK_OK) ||
        (p->has_retention && cdk_map_set(app, props, "message_retention_period", cdk_num(app, p->retention_seconds)) != CDK_OK) ||
        (p->has_receive_wait && cdk_map_set(app, props, "receive_message_wait_time_seconds", cdk_num(app, p->receive_wait_seconds)) != CDK_OK) ||
        (p->has_visibility_timeout && cdk_map_set(app, props, "visibility_timeout", cdk_num(app, p->visibility_timeout_seconds)) != CDK_OK))
        goto oom;
    if ((rc = cdk_cfn_resource_new(n, "Resource", "AWS::SQS::Queue", &cdk_sqs_cfn_queue, props, NULL, &q->resource)) != CDK_OK)
        goto fail;
    if ((rc = cdk_resource_apply_removal_policy(q->resource, p->removal_policy, CDK_REMOVAL_DESTROY, 1)) != CDK_OK)
        goto fail;
    cdk_arn c = {0};
    c.service = cdk_str_ref(app, "sqs");
    c.resource = q->phys.physical_name->kind == CDK_UNDEFINED ? cdk_str_ref(app, "") : q->phys.physical_name;
    q->arn = cdk_physical_arn_attr(&q->phys, cdk_resource_att(q->resource, "Arn"), &c);
    q->name = cdk_physical_name_attr(&q->phys, cdk_resource_att(q->resource, "QueueName"));
    q->url = cdk_resource_ref(q->resource);
    if (q->arn == NULL || q->name == NULL || q->url == NULL)
        goto oom;
    *out = n;
    return CDK_OK;
oom:
    rc = cdk_oom(app);
fail:
    cdk_node_discard(n);
    return rc;
}

int cdk_sqs_queue_from_attributes(cdk_node *scope, const char *id, cdk_value *arn, cdk_value *name, cdk_value *url,
                                  cdk_value *key_arn, int fifo, cdk_node **out)
{
    cdk_app *app = scope->app;
    cdk_node *stack;
    int rc = cdk_node_stack(scope, &stack);
    if (rc != CDK_OK)
        return rc;
    cdk_arn parts;
    if ((rc = cdk_arn_split(app, arn, CDK_ARN_NO_RESOURCE_NAME, &parts)) != CDK_OK)
        return rc;
    cdk_value *qname = name ? name : parts.resource;
    if (url == NULL) {
        const char *r = cdk_value_str(parts.region), *acc = cdk_value_str(parts.account);
        const char *sfx = cdk_value_str(cdk_stack_url_suffix(stack)), *nm = cdk_value_str(qname);
        char *s = r && acc && sfx && nm ? cdk_sprintf(app, "https://sqs.%s.%s/%s/%s", r, sfx, acc, nm) : NULL;
        if (s == NULL || (url = cdk_str_ref(app, s)) == NULL)
            return cdk_oom(app);
    }
    int is_fifo = 0;
    if (cdk_is_unresolved(arn)) {
        is_fifo = fifo > 0;
    } else {
        const char *nm = cdk_value_str(qname);
        if (fifo > 0 && !ends_fifo(nm))
            return cdk_fail(app, CDK_EINVAL, "FIFO queue names must end in '.fifo'");
        if (fifo == 0 && ends_fifo(nm))
            return cdk_fail(app, CDK_EINVAL, "Non-FIFO queue name may not end in '.fifo'");
        is_fifo = ends_fifo(nm);
    }
    cdk_node *n;
    if ((rc = cdk_node_new(scope, id, &cdk_sqs_imported_queue_class, sizeof(cdk_sqs_queue), &n)) != CDK_OK)
        return rc;
    cdk_sqs_queue *q = n->impl;
    if ((rc = cdk_physical_init(n, NULL, &q->phys)) != CDK_OK) {
        cdk_node_discard(n);
        return rc;
    }
    q->imported = 1;
    q->arn = arn;
    q->name = qname;
    q->url = url;
    q->fifo = is_fifo;
    if (key_arn && (rc = cdk_kms_key_from_arn(n, "Key", key_arn, &q->encryption_master_key)) != CDK_OK) {
        cdk_node_discard(n);
        return rc;
    }
    *out = n;
    return CDK_OK;
}

int cdk_sqs_add_to_resource_policy(cdk_node *n, cdk_iam_statement *s, int *added)
{
    cdk_app *app = n->app;
    cdk_sqs_queue *q = cdk_sqs_queue_of(n);
    *added = 0;
    if (q == NULL)
        return cdk_fail(app, CDK_EINVAL, "add_to_resource_policy: not a queue");
    if (q->policy == NULL && !q->imported) {
        int rc = cdk_iam_resource_policy_new(n, &cdk_sqs_queue_policy_class, "AWS::SQS::QueuePolicy",
                                             &cdk_sqs_cfn_queue_policy, "queues", q->url, 0, &q->policy,
                                             &q->policy_doc);
        if (rc != CDK_OK)
            return rc;
    }
    if (q->policy == NULL)
        return CDK_OK;
    *added = 1;
    return cdk_iam_document_add(q->policy_doc, s);
}

static int queue_validate(cdk_node *n, cdk_strlist *errs)
{
    cdk_sqs_queue *q = n->impl;
    return q->policy_doc ? cdk_iam_document_validate(q->policy_doc, CDK_IAM_RESOURCE_POLICY, errs) : CDK_OK;
}

static int add_policy(cdk_iam_resource *r, cdk_iam_statement *s, int *added)
{
    return cdk_sqs_add_to_resource_policy(r->node, s, added);
}

int cdk_sqs_grant(cdk_node *n, cdk_iam_principal *grantee, cdk_value *actions, cdk_iam_grant **out)
{
    cdk_app *app = n->app;
    cdk_sqs_queue *q = cdk_sqs_queue_of(n);
    if (q == NULL)
        return cdk_fail(app, CDK_EINVAL, "grant: not a queue");
    cdk_value *arns = cdk_list(app);
    if (arns == NULL || cdk_list_push(app, arns, q->arn) != CDK_OK)
        return cdk_oom(app);
    cdk_iam_resource r = {n, q->phys.account, add_policy};
    return cdk_iam_grant_add_to_principal_or_resource(app, grantee, actions, arns, NULL, &r, out);
}

int cdk_sqs_grant_kind(cdk_node *n, cdk_iam_principal *grantee, int kind, cdk_iam_grant **out)
{
    static const char *const send[] = {"sqs:SendMessage", "sqs:GetQueueAttributes", "sqs:GetQueueUrl", NULL};
    static const char *const consume[] = {"sqs:ReceiveMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueUrl",
                                          "sqs:DeleteMessage", "sqs:GetQueueAttributes", NULL};
    static const char *const purge[] = {"sqs:PurgeQueue", "sqs:GetQueueAttributes", "sqs:GetQueueUrl", NULL};
    cdk_value *actions = cdk_list_of_strs(n->app, kind == 's' ? send : kind == 'c' ? consume : purge);
    if (actions == NULL)
        return cdk_oom(n->app);
    int rc = cdk_sqs_grant(n, grantee, actions, out);
    cdk_sqs_queue *q = cdk_sqs_queue_of(n);
    cdk_iam_grant *kg;
    if (rc == CDK_OK && kind == 's' && q->encryption_master_key)
        rc = cdk_kms_grant_encrypt_decrypt(q->encryption_master_key, grantee, &kg);
    if (rc == CDK_OK && kind == 'c' && q->encryption_master_key)
        rc = cdk_kms_grant_decrypt(q->encryption_master_key, grantee, &kg);
    return rc;
}
