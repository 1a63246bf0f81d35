/* targets.c: the event targets of @aws-cdk/aws-events-targets that ECR rules use: SNS topics
 * (publish granted to events.amazonaws.com), SQS queues (send granted, conditioned on the rule
 * unless the queue is encrypted), Lambda functions (a Lambda::Permission under the rule), with
 * dead-letter queues and retry policies. */
#include <string.h>

#include "cdk_events.h"
#include "cdk_lambda.h"
#include "cdk_sns.h"
#include "cdk_sqs.h"

typedef struct target_ud {
    cdk_node *resource;
    cdk_events_target_props props;
} target_ud;

static cdk_iam_principal *events_principal(cdk_app *app, cdk_value *conditions)
{
    cdk_iam_principal *p;
    cdk_value *svc = cdk_str(app, "events.amazonaws.com");
    if (svc == NULL || cdk_iam_service_principal(app, svc, conditions, NULL, &p) != CDK_OK)
        return NULL;
    return p;
}

static int same_dim(const cdk_value *a, const cdk_value *b)
{
    int c = cdk_compare_strings(a, b);
    return c == CDK_CMP_SAME || c == CDK_CMP_BOTH_UNRESOLVED;
}

/* addToDeadLetterQueueResourcePolicy */
static int dead_letter_policy(cdk_node *rule, cdk_node *queue)
{
    cdk_app *app = rule->app;
    cdk_sqs_queue *q = cdk_sqs_queue_of(queue);
    cdk_physical *rp = cdk_events_rule_physical(rule);
    if (q == NULL)
        return cdk_fail(app, CDK_EINVAL, "dead_letter_queue must be an SQS queue");
    if (!same_dim(rp->region, q->phys.region)) {
        const char *qr = cdk_value_str(q->phys.region), *rr = cdk_value_str(rp->region);
        return cdk_fail(app, CDK_EINVAL,
                        "Cannot assign Dead Letter Queue in region %s to the rule %s in region %s. Both the queue and "
                        "the rule must be in the same region.",
                        qr ? qr : "?", cdk_node_unique_id(rule), rr ? rr : "?");
    }
    if (!same_dim(rp->account, q->phys.account)) {
        /* CDK only warns: the policy must be added in the queue's account */
        const char *msg = cdk_sprintf(app,
                                      "Cannot add a resource policy to your dead letter queue associated with rule %s "
                                      "because the queue is in a different account. You must add the resource policy "
                                      "manually to the dead letter queue in account %s.",
                                      cdk_value_str(cdk_events_rule_name(rule)), cdk_value_str(q->phys.account));
        return msg ? cdk_node_add_metadata(rule, "aws:cdk:warning", cdk_str(app, msg)) : cdk_oom(app);
    }
    cdk_iam_statement *s = cdk_iam_statement_new(app);
    cdk_value *conds = cdk_map(app), *eq = cdk_map(app);
    cdk_value *action = cdk_str(app, "sqs:SendMessage");
    const char *uid = cdk_node_unique_id(rule);
    if (s == NULL || conds == NULL || eq == NULL || action == NULL || uid == NULL)
        return cdk_oom(app);
    s->sid = cdk_str(app, cdk_sprintf(app, "AllowEventRule%s", uid));
    if (cdk_map_set(app, eq, "aws:SourceArn", cdk_events_rule_arn(rule)) != CDK_OK ||
        cdk_map_set(app, conds, "ArnEquals", eq) != CDK_OK)
        return cdk_oom(app);
    int rc, added;
    cdk_iam_principal *p = events_principal(app, NULL);
    if (p == NULL)
        return cdk_oom(app);
    if ((rc = cdk_iam_statement_add_principal(s, p, 0)) != CDK_OK ||
        (rc = cdk_iam_statement_add_actions(s, &action, 1, 0)) != CDK_OK ||
        (rc = cdk_iam_statement_add_resources(s, &q->arn, 1, 0)) != CDK_OK ||
        (rc = cdk_iam_statement_add_condition(s, "ArnEquals", eq)) != CDK_OK)
        return rc;
    return cdk_sqs_add_to_resource_policy(queue, s, &added);
}

/* bindBaseTargetConfig and the input */
static int base_config(cdk_node *rule, const cdk_events_target_props *p, cdk_events_target_config *cfg)
{
    cdk_app *app = rule->app;
    int rc;
    if (p->dead_letter_queue) {
        cdk_sqs_queue *q = cdk_sqs_queue_of(p->dead_letter_queue);
        if (q == NULL)
            return cdk_fail(app, CDK_EINVAL, "dead_letter_queue must be an SQS queue");
        cfg->dead_letter_arn = q->arn;
    }
    /* `retryAttempts || maxEventAge`: zero attempts alone add no policy */
    if ((p->has_retry_attempts && p->retry_attempts != 0) || p->has_max_event_age) {
        if (p->has_retry_attempts)
            cfg->retry_attempts = cdk_num(app, p->retry_attempts);
        if (p->has_max_event_age) {
            double secs;
            if ((rc = cdk_duration_to(app, p->max_event_age, CDK_SECONDS, 1, &secs)) != CDK_OK)
                return rc;
            cfg->max_event_age_seconds = cdk_num(app, secs);
        }
    }
    if (p->input && (rc = cdk_events_input_bind(rule, p->input, cfg)) != CDK_OK)
        return rc;
    return CDK_OK;
}

static int bind_sns(cdk_events_target *t, cdk_node *rule, const char *id, cdk_events_target_config *cfg)
{
    target_ud *u = t->ud;
    cdk_sns_topic *topic = cdk_sns_topic_of(u->resource);
    (void)id;
    cdk_iam_principal *p = events_principal(rule->app, NULL);
    cdk_iam_grant *g;
    if (p == NULL)
        return cdk_oom(rule->app);
    int rc = cdk_sns_grant_publish(u->resource, p, &g);
    if (rc != CDK_OK)
        return rc;
    cfg->arn = topic->arn;
    cfg->target_resource = u->resource;
    cfg->target_account = topic->phys.account;
    cfg->target_region = topic->phys.region;
    return u->props.input ? cdk_events_input_bind(rule, u->props.input, cfg) : CDK_OK;
}

static int bind_sqs(cdk_events_target *t, cdk_node *rule, const char *id, cdk_events_target_config *cfg)
{
    target_ud *u = t->ud;
    cdk_app *app = rule->app;
    cdk_sqs_queue *q = cdk_sqs_queue_of(u->resource);
    (void)id;
    cdk_value *conds = NULL;
    if (q->encryption_master_key == NULL) {
        cdk_value *eq = cdk_map(app);
        conds = cdk_map(app);
        if (eq == NULL || conds == NULL || cdk_map_set(app, eq, "aws:SourceArn", cdk_events_rule_arn(rule)) != CDK_OK ||
            cdk_map_set(app, conds, "ArnEquals", eq) != CDK_OK)
            return cdk_oom(app);
    }
    cdk_iam_principal *p = events_principal(app, conds);
    cdk_iam_grant *g;
    if (p == NULL)
        return cdk_oom(app);
    int rc = cdk_sqs_grant_kind(u->resource, p, 's', &g);
    if (rc == CDK_OK && u->props.dead_letter_queue)
        rc = dead_letter_policy(rule, u->props.dead_letter_queue);
    if (rc == CDK_OK)
        rc = base_config(rule, &u->props, cfg);
    if (rc != CDK_OK)
        return rc;
    cfg->arn = q->arn;
    cfg->target_resource = u->resource;
    cfg->target_account = q->phys.account;
    cfg->target_region = q->phys.region;
    /* CDK: messageGroupId ? { messageGroupId } : undefined; an empty id gives no SqsParameters */
    const cdk_value *g_id = u->props.message_group_id;
    if (g_id && !(g_id->kind == CDK_STRING && g_id->len == 0))
        cfg->sqs_message_group_id = u->props.message_group_id;
    return CDK_OK;
}

static int bind_lambda(cdk_events_target *t, cdk_node *rule, const char *id, cdk_events_target_config *cfg)
{
    target_ud *u = t->ud;
    cdk_app *app = rule->app;
    cdk_lambda_function *f = cdk_lambda_function_of(u->resource);
    (void)id;
    /* addLambdaPermission: under the rule, named after the function */
    const char *uid = cdk_node_unique_id(u->resource);
    const char *pid = uid ? cdk_sprintf(app, "AllowEventRule%s", uid) : NULL;
    if (pid == NULL)
        return cdk_oom(app);
    int rc;
    if (cdk_node_find_child(rule, pid) == NULL) {
        cdk_lambda_permission perm = {0};
        cdk_node *out;
        perm.principal = events_principal(app, NULL);
        perm.action = cdk_str(app, "lambda:InvokeFunction");
        perm.source_arn = cdk_events_rule_arn(rule);
        perm.scope = rule;
        if (perm.principal == NULL || perm.action == NULL)
            return cdk_oom(app);
        if ((rc = cdk_lambda_add_permission(u->resource, pid, &perm, &out)) != CDK_OK)
            return rc;
    }
    if (u->props.dead_letter_queue && (rc = dead_letter_policy(rule, u->props.dead_letter_queue)) != CDK_OK)
        return rc;
    if ((rc = base_config(rule, &u->props, cfg)) != CDK_OK)
        return rc;
    cfg->arn = f->arn;
    cfg->target_resource = u->resource;
    cfg->target_account = f->phys.account;
    cfg->target_region = f->phys.region;
    return CDK_OK;
}

static int make(cdk_node *resource, const cdk_events_target_props *p, int (*bind)(cdk_events_target *, cdk_node *,
                                                                                    const char *, cdk_events_target_config *),
                const char *kind, cdk_events_target **out)
{
    cdk_app *app = resource->app;
    cdk_events_target *t = cdk_alloc(app, sizeof *t);
    target_ud *u = cdk_alloc(app, sizeof *u);
    if (t == NULL || u == NULL)
        return cdk_oom(app);
    u->resource = resource;
    if (p)
        u->props = *p;
    t->bind = bind;
    t->ud = u;
    t->kind = kind;
    *out = t;
    return CDK_OK;
}

const cdk_events_input *cdk_events_target_input(cdk_events_target *t)
{
    target_ud *u = t->ud;
    return u->props.input;
}

int cdk_events_sns_target(cdk_node *topic, const cdk_events_target_props *p, cdk_events_target **out)
{
    if (cdk_sns_topic_of(topic) == NULL)
        return cdk_fail(topic->app, CDK_EINVAL, "SnsTopic: a sns.Topic expected");
    return make(topic, p, bind_sns, "SnsTopic", out);
}

int cdk_events_sqs_target(cdk_node *queue, const cdk_events_target_props *p, cdk_events_target **out)
{
    cdk_sqs_queue *q = cdk_sqs_queue_of(queue);
    if (q == NULL)
        return cdk_fail(queue->app, CDK_EINVAL, "SqsQueue: a sqs.Queue expected");
    if (p && p->message_group_id && !q->fifo)
        return cdk_fail(queue->app, CDK_EINVAL, "message_group_id cannot be specified for non-FIFO queues");
    return make(queue, p, bind_sqs, "SqsQueue", out);
}

int cdk_events_lambda_target(cdk_node *fn, const cdk_events_target_props *p, cdk_events_target **out)
{
    if (cdk_lambda_function_of(fn) == NULL)
        return cdk_fail(fn->app, CDK_EINVAL, "LambdaFunction: a Lambda function expected");
    return make(fn, p, bind_lambda, "LambdaFunction", out);
}
