/* topic.c: sns.Topic as the AWS CDK v1 builds it: FIFO names and checks, the TopicPolicy made on
 * the first resource-policy statement (with statement ids "0", "1", ...), grant_publish, imports. */
#include <string.h>

#include "cdk_sns.h"

#define END {NULL, NULL, 0, 0, NULL, 0}
#define NO_CLASS {NULL, NULL, NULL, NULL, NULL, NULL}

static const cdk_prop tag_props[] = {
    {"key", "Key", CDK_P_STRING, 0, NULL, 1},
    {"value", "Value", CDK_P_STRING, 0, NULL, 1},
    END,
};
static const cdk_schema tag_schema = {NO_CLASS, "CfnTag", NULL, NULL, tag_props, NULL, 0, NULL};
static const cdk_prop subscription_props[] = {
    {"endpoint", "Endpoint", CDK_P_STRING, 0, NULL, 1},
    {"protocol", "Protocol", CDK_P_STRING, 0, NULL, 1},
    END,
};
static const cdk_schema subscription_schema = {NO_CLASS, "SubscriptionProperty", NULL, NULL,
                                               subscription_props, NULL, 0, NULL};
static const cdk_prop topic_props[] = {
    {"content_based_deduplication", "ContentBasedDeduplication", CDK_P_BOOL, 0, NULL, 0},
    {"data_protection_policy", "DataProtectionPolicy", CDK_P_JSON, 0, NULL, 0},
    {"display_name", "DisplayName", CDK_P_STRING, 0, NULL, 0},
    {"fifo_topic", "FifoTopic", CDK_P_BOOL, 0, NULL, 0},
    {"kms_master_key_id", "KmsMasterKeyId", CDK_P_STRING, 0, NULL, 0},
    {"signature_version", "SignatureVersion", CDK_P_STRING, 0, NULL, 0},
    {"subscription", "Subscription", CDK_P_LIST, CDK_P_STRUCT, &subscription_schema, 0},
    {"tags", "Tags", CDK_P_TAGS, CDK_P_STRUCT, &tag_schema, 0},
    {"topic_name", "TopicName", CDK_P_STRING, 0, NULL, 0},
    {"tracing_config", "TracingConfig", CDK_P_STRING, 0, NULL, 0},
    END,
};
static const char *const topic_attrs[] = {"TopicArn", "TopicName", NULL};
const cdk_schema cdk_sns_cfn_topic = {CDK_L1_CLASS("CfnTopic", "@aws-cdk/aws-sns.CfnTopic"), "CfnTopic", "AWS::SNS::Topic",
                                      "@aws-cdk/aws-sns.CfnTopic", topic_props, topic_attrs, CDK_TAGS_STANDARD, NULL};

static const cdk_prop topic_policy_props[] = {
    {"policy_document", "PolicyDocument", CDK_P_JSON, 0, NULL, 1},
    {"topics", "Topics", CDK_P_LIST, CDK_P_STRING, NULL, 1},
    END,
};
static const char *const no_attrs[] = {NULL};
const cdk_schema cdk_sns_cfn_topic_policy = {CDK_L1_CLASS("CfnTopicPolicy", "@aws-cdk/aws-sns.CfnTopicPolicy"),
                                             "CfnTopicPolicy", "AWS::SNS::TopicPolicy", "@aws-cdk/aws-sns.CfnTopicPolicy",
                                             topic_policy_props, no_attrs, CDK_TAGS_NONE, NULL};

static int topic_validate(cdk_node *n, cdk_strlist *errs);
const cdk_class cdk_sns_topic_class = {"Topic", "@aws-cdk/aws-sns.Topic", topic_validate, NULL, NULL, NULL};
const cdk_class cdk_sns_imported_topic_class = {"ImportedTopic", "@aws-cdk/aws-sns.TopicBase", NULL, NULL, NULL, NULL};
const cdk_class cdk_sns_topic_policy_class = {"TopicPolicy", "@aws-cdk/aws-sns.TopicPolicy", NULL, NULL, NULL, NULL};

cdk_sns_topic *cdk_sns_topic_of(cdk_node *n)
{
    return n && (n->cls == &cdk_sns_topic_class || n->cls == &cdk_sns_imported_topic_class) ? n->impl : NULL;
}

int cdk_sns_topic_new(cdk_node *scope, const char *id, const cdk_sns_topic_props *p, cdk_node **out)
{
    cdk_app *app = scope->app;
    cdk_node *n;
    int rc = cdk_node_new(scope, id, &cdk_sns_topic_class, sizeof(cdk_sns_topic), &n);
    if (rc != CDK_OK)
        return rc;
    cdk_sns_topic *t = n->impl;
    if ((rc = cdk_physical_init(n, p->topic_name, &t->phys)) != CDK_OK)
        goto fail;
    /* CDK: props.fifo && !props.topicName (an empty name is none) */
    if (p->fifo > 0 && (p->topic_name == NULL || (p->topic_name->kind == CDK_STRING && p->topic_name->len == 0))) {
        rc = cdk_fail(app, CDK_EINVAL, "FIFO SNS topics must be given a topic name.");
        goto fail;
    }
    if (p->content_based_deduplication > 0 && p->fifo <= 0) {
        rc = cdk_fail(app, CDK_EINVAL, "Content based deduplication can only be enabled for FIFO SNS topics.");
        goto fail;
    }
    cdk_value *cfn_name = t->phys.physical_name;
    const char *given = p->topic_name ? cdk_value_str(p->topic_name) : NULL;
    size_t gl = given ? strlen(given) : 0;
    if (p->fifo > 0 && given && !(gl >= 5 && strcmp(given + gl - 5, ".fifo") == 0)) {
        const char *base = cdk_value_str(t->phys.physical_name);
        char *s = base ? cdk_sprintf(app, "%s.fifo", base) : NULL;
        if (s == NULL || (cfn_name = cdk_str_ref(app, s)) == NULL)
            goto oom;
    }
    cdk_value *props = cdk_map(app);
    if (props == NULL || (p->display_name && cdk_map_set(app, props, "display_name", p->display_name) != CDK_OK) ||
        cdk_map_set(app, props, "topic_name", cfn_name) != CDK_OK ||
        (p->master_key_arn && cdk_map_set(app, props, "kms_master_key_id", p->master_key_arn) != CDK_OK) ||
        (p->content_based_deduplication >= 0 &&
         cdk_map_set(app, props, "content_based_deduplication", cdk_boolv(p->content_based_deduplication)) != CDK_OK) ||
        (p->fifo >= 0 && cdk_map_set(app, props, "fifo_topic", cdk_boolv(p->fifo)) != CDK_OK))
        goto oom;
    if ((rc = cdk_cfn_resource_new(n, "Resource", "AWS::SNS::Topic", &cdk_sns_cfn_topic, props, NULL, &t->resource)) != CDK_OK)
        goto fail;
    cdk_arn c = {0};
    c.service = cdk_str_ref(app, "sns");
    c.resource = t->phys.physical_name->kind == CDK_UNDEFINED ? cdk_str_ref(app, "") : t->phys.physical_name;
    t->arn = cdk_physical_arn_attr(&t->phys, cdk_resource_ref(t->resource), &c);
    t->name = cdk_physical_name_attr(&t->phys, cdk_resource_att(t->resource, "TopicName"));
    t->fifo = p->fifo > 0;
    if (t->arn == NULL || t->name == NULL)
        goto oom;
    *out = n;
    return CDK_OK;
oom:
    rc = cdk_oom(app);
fail:
    cdk_node_discard(n);
    return rc;
}

int cdk_sns_topic_from_arn(cdk_node *scope, const char *id, cdk_value *arn, cdk_node **out)
{
    cdk_app *app = scope->app;
    cdk_arn parts;
    int rc = cdk_arn_split(app, arn, CDK_ARN_NO_RESOURCE_NAME, &parts);
    if (rc != CDK_OK)
        return rc;
    cdk_node *n;
    if ((rc = cdk_node_new(scope, id, &cdk_sns_imported_topic_class, sizeof(cdk_sns_topic), &n)) != CDK_OK)
        return rc;
    cdk_sns_topic *t = n->impl;
    if ((rc = cdk_physical_init(n, NULL, &t->phys)) != CDK_OK) {
        cdk_node_discard(n);
        return rc;
    }
    t->imported = 1;
    t->arn = arn;
    t->name = parts.resource;
    const char *name = cdk_value_str(parts.resource);
    size_t nl = name ? strlen(name) : 0;
    t->fifo = nl >= 5 && strcmp(name + nl - 5, ".fifo") == 0;
    *out = n;
    return CDK_OK;
}

int cdk_sns_add_to_resource_policy(cdk_node *n, cdk_iam_statement *s, int *added)
{
    cdk_app *app = n->app;
    cdk_sns_topic *t = cdk_sns_topic_of(n);
    *added = 0;
    if (t == NULL)
        return cdk_fail(app, CDK_EINVAL, "add_to_resource_policy: not a topic");
    if (t->policy == NULL && !t->imported) {
        int rc = cdk_iam_resource_policy_new(n, &cdk_sns_topic_policy_class, "AWS::SNS::TopicPolicy",
                                             &cdk_sns_cfn_topic_policy, "topics", t->arn, 1, &t->policy,
                                             &t->policy_doc);
        if (rc != CDK_OK)
            return rc;
    }
    if (t->policy == NULL)
        return CDK_OK;
    *added = 1;
    return cdk_iam_document_add(t->policy_doc, s);
}

static int topic_validate(cdk_node *n, cdk_strlist *errs)
{
    cdk_sns_topic *t = n->impl;
    return t->policy_doc ? cdk_iam_document_validate(t->policy_doc, CDK_IAM_RESOURCE_POLICY, errs) : CDK_OK;
}

static int add_policy(cdk_iam_resource *r, cdk_iam_statement *s, int *added)
{
    return cdk_sns_add_to_resource_policy(r->node, s, added);
}

int cdk_sns_grant_publish(cdk_node *n, cdk_iam_principal *grantee, cdk_iam_grant **out)
{
    cdk_app *app = n->app;
    cdk_sns_topic *t = cdk_sns_topic_of(n);
    static const char *const publish[] = {"sns:Publish", NULL};
    cdk_value *actions = cdk_list_of_strs(app, publish), *arns = cdk_list(app);
    if (t == NULL || actions == NULL || arns == NULL || cdk_list_push(app, arns, t->arn) != CDK_OK)
        return t == NULL ? cdk_fail(app, CDK_EINVAL, "grant_publish: not a topic") : cdk_oom(app);
    cdk_iam_resource r = {n, t->phys.account, add_policy};
    return cdk_iam_grant_add_to_principal_or_resource(app, grantee, actions, arns, NULL, &r, out);
}
