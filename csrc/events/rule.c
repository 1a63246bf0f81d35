/* rule.c: events.Rule as the AWS CDK v1 builds it: the event pattern merged field by field (lists
 * concatenated without duplicates, objects merged, key order kept), schedules, targets with their
 * automatic ids, targets in other environments (event buses, the EventsRole, EventBusPolicy
 * support stacks, mirror rules), and the AWS::Events::Rule it renders. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cdk_events.h"

#define END {NULL, NULL, 0, 0, NULL, 0}
#define NO_CLASS {NULL, NULL, NULL, NULL, NULL, NULL}

/* ---- the L1 schema (the properties the L2 renders; targets as CloudFormation names them) ---- */

static const cdk_prop dlc_props[] = {{"arn", "Arn", CDK_P_STRING, 0, NULL, 0}, END};
static const cdk_schema dlc_schema = {NO_CLASS, "DeadLetterConfigProperty", NULL, NULL, dlc_props, NULL, 0, NULL};
static const cdk_prop transformer_props[] = {
    {"input_paths_map", "InputPathsMap", CDK_P_MAP, CDK_P_STRING, NULL, 0},
    {"input_template", "InputTemplate", CDK_P_STRING, 0, NULL, 1},
    END,
};
/* tree.json writes the structs the Rule builds in its own key order */
static const char *const transformer_tree[] = {"input_template", "input_paths_map", NULL};
static const cdk_schema transformer_schema = {NO_CLASS, "InputTransformerProperty", NULL, NULL,
                                              transformer_props, NULL, 0, transformer_tree};
static const cdk_prop retry_props[] = {
    {"maximum_event_age_in_seconds", "MaximumEventAgeInSeconds", CDK_P_NUMBER, 0, NULL, 0},
    {"maximum_retry_attempts", "MaximumRetryAttempts", CDK_P_NUMBER, 0, NULL, 0},
    END,
};
static const char *const retry_tree[] = {"maximum_retry_attempts", "maximum_event_age_in_seconds", NULL};
static const cdk_schema retry_schema = {NO_CLASS, "RetryPolicyProperty", NULL, NULL, retry_props, NULL, 0, retry_tree};
static const cdk_prop sqs_params_props[] = {{"message_group_id", "MessageGroupId", CDK_P_STRING, 0, NULL, 1}, END};
static const cdk_schema sqs_params_schema = {NO_CLASS, "SqsParametersProperty", NULL, NULL,
                                             sqs_params_props, NULL, 0, NULL};
static const cdk_prop kinesis_props[] = {{"partition_key_path", "PartitionKeyPath", CDK_P_STRING, 0, NULL, 1}, END};
static const cdk_schema kinesis_schema = {NO_CLASS, "KinesisParametersProperty", NULL, NULL,
                                          kinesis_props, NULL, 0, NULL};
static const cdk_prop target_props[] = {
    {"arn", "Arn", CDK_P_STRING, 0, NULL, 1},
    {"batch_parameters", "BatchParameters", CDK_P_JSON, 0, NULL, 0},
    {"dead_letter_config", "DeadLetterConfig", CDK_P_STRUCT, 0, &dlc_schema, 0},
    {"ecs_parameters", "EcsParameters", CDK_P_JSON, 0, NULL, 0},
    {"http_parameters", "HttpParameters", CDK_P_JSON, 0, NULL, 0},
    {"id", "Id", CDK_P_STRING, 0, NULL, 1},
    {"input", "Input", CDK_P_STRING, 0, NULL, 0},
    {"input_path", "InputPath", CDK_P_STRING, 0, NULL, 0},
    {"input_transformer", "InputTransformer", CDK_P_STRUCT, 0, &transformer_schema, 0},
    {"kinesis_parameters", "KinesisParameters", CDK_P_STRUCT, 0, &kinesis_schema, 0},
    {"redshift_data_parameters", "RedshiftDataParameters", CDK_P_JSON, 0, NULL, 0},
    {"retry_policy", "RetryPolicy", CDK_P_STRUCT, 0, &retry_schema, 0},
    {"role_arn", "RoleArn", CDK_P_STRING, 0, NULL, 0},
    {"run_command_parameters", "RunCommandParameters", CDK_P_JSON, 0, NULL, 0},
    {"sage_maker_pipeline_parameters", "SageMakerPipelineParameters", CDK_P_JSON, 0, NULL, 0},
    {"sqs_parameters", "SqsParameters", CDK_P_STRUCT, 0, &sqs_params_schema, 0},
    END,
};
static const char *const target_tree[] = {"id", "arn", "role_arn", "ecs_parameters", "http_parameters",
    "kinesis_parameters", "run_command_parameters", "batch_parameters", "dead_letter_config", "retry_policy",
    "sqs_parameters", "input", "input_path", "input_transformer", NULL};
static const cdk_schema target_schema = {NO_CLASS, "TargetProperty", NULL, NULL, target_props, NULL, 0, target_tree};
static const cdk_prop rule_props[] = {
    {"description", "Description", CDK_P_STRING, 0, NULL, 0},
    {"event_bus_name", "EventBusName", CDK_P_STRING, 0, NULL, 0},
    {"event_pattern", "EventPattern", CDK_P_JSON, 0, NULL, 0},
    {"name", "Name", CDK_P_STRING, 0, NULL, 0},
    {"role_arn", "RoleArn", CDK_P_STRING, 0, NULL, 0},
    {"schedule_expression", "ScheduleExpression", CDK_P_STRING, 0, NULL, 0},
    {"state", "State", CDK_P_STRING, 0, NULL, 0},
    {"targets", "Targets", CDK_P_LIST, CDK_P_STRUCT, &target_schema, 0},
    END,
};
static const char *const rule_attrs[] = {"Arn", NULL};
const cdk_schema cdk_events_cfn_rule = {CDK_L1_CLASS("CfnRule", "@aws-cdk/aws-events.CfnRule"), "CfnRule",
                                        "AWS::Events::Rule", "@aws-cdk/aws-events.CfnRule", rule_props, rule_attrs,
                                        CDK_TAGS_NONE, NULL};

static const cdk_prop bus_condition_props[] = {
    {"key", "Key", CDK_P_STRING, 0, NULL, 0},
    {"type", "Type", CDK_P_STRING, 0, NULL, 0},
    {"value", "Value", CDK_P_STRING, 0, NULL, 0},
    END,
};
static const cdk_schema bus_condition_schema = {NO_CLASS, "ConditionProperty", NULL, NULL,
                                                bus_condition_props, NULL, 0, NULL};
static const cdk_prop bus_policy_props[] = {
    {"statement_id", "StatementId", CDK_P_STRING, 0, NULL, 1},
    {"action", "Action", CDK_P_STRING, 0, NULL, 0},
    {"condition", "Condition", CDK_P_STRUCT, 0, &bus_condition_schema, 0},
    {"event_bus_name", "EventBusName", CDK_P_STRING, 0, NULL, 0},
    {"principal", "Principal", CDK_P_STRING, 0, NULL, 0},
    {"statement", "Statement", CDK_P_JSON, 0, NULL, 0},
    END,
};
static const char *const no_attrs[] = {NULL};
const cdk_schema cdk_events_cfn_event_bus_policy = {
    CDK_L1_CLASS("CfnEventBusPolicy", "@aws-cdk/aws-events.CfnEventBusPolicy"), "CfnEventBusPolicy",
    "AWS::Events::EventBusPolicy",
    "@aws-cdk/aws-events.CfnEventBusPolicy", bus_policy_props, no_attrs, CDK_TAGS_NONE, NULL};

/* ---- the rule ---- */

typedef struct rule {
    cdk_physical phys;
    cdk_node *resource;
    cdk_value *pattern;     /* merged event pattern (map) */
    cdk_value *targets;     /* list of target maps */
    const char *schedule;
    cdk_value *description;
    cdk_value *arn, *name;  /* made on first use (cdk_events_rule_arn / _name) */
    cdk_node *mirror_of;    /* a MirrorRule: the rule whose pattern it renders; no validation */
    cdk_strlist buses;      /* "account:region" of the event buses targeted in other environments */
} rule;

static int rule_validate(cdk_node *n, cdk_strlist *errs);
const cdk_class cdk_events_rule_class = {"Rule", "@aws-cdk/aws-events.Rule", rule_validate, NULL, NULL, NULL};

static rule *rule_of(cdk_node *n)
{
    return n && n->cls == &cdk_events_rule_class ? n->impl : NULL;
}

/* The rule's ARN and name (its physical attributes), made on first use: most rules are never
 * referred to, and each attribute is a reference and a token (several hundred bytes). */
cdk_value *cdk_events_rule_arn(cdk_node *n)
{
    rule *r = rule_of(n);
    if (r == NULL)
        return NULL;
    if (r->arn == NULL) {
        cdk_app *app = n->app;
        cdk_arn c = {0};
        c.service = cdk_str_ref(app, "events");
        c.resource = cdk_str_ref(app, "rule");
        c.resource_name = r->phys.physical_name->kind == CDK_UNDEFINED ? NULL : r->phys.physical_name;
        if (c.service && c.resource)
            r->arn = cdk_physical_arn_attr(&r->phys, cdk_resource_att(r->resource, "Arn"), &c);
    }
    return r->arn;
}

cdk_value *cdk_events_rule_name(cdk_node *n)
{
    rule *r = rule_of(n);
    if (r != NULL && r->name == NULL)
        r->name = cdk_physical_name_attr(&r->phys, cdk_resource_ref(r->resource));
    return r ? r->name : NULL;
}
cdk_physical *cdk_events_rule_physical(cdk_node *n) { return rule_of(n) ? &rule_of(n)->phys : NULL; }

static int produce_pattern(cdk_rctx *ctx, void *ud, cdk_value **out)
{
    rule *r = ud;
    (void)ctx;
    while (r->mirror_of)
        r = r->mirror_of->impl;
    *out = r->pattern->len ? r->pattern : cdk_undefined();
    return CDK_OK;
}

static int produce_targets(cdk_rctx *ctx, void *ud, cdk_value **out)
{
    rule *r = ud;
    (void)ctx;
    *out = r->targets->len ? r->targets : cdk_undefined();
    return CDK_OK;
}

int cdk_events_rule_new(cdk_node *scope, const char *id, const cdk_events_rule_props *p, cdk_node **out)
{
    cdk_app *app = scope->app;
    cdk_node *n;
    int rc = cdk_node_new(scope, id, &cdk_events_rule_class, sizeof(rule), &n);
    if (rc != CDK_OK)
        return rc;
    rule *r = n->impl;
    if ((rc = cdk_physical_init(n, p->rule_name, &r->phys)) != CDK_OK)
        goto fail;
    r->pattern = cdk_map(app);
    r->targets = cdk_list(app);
    if (r->pattern == NULL || r->targets == NULL)
        goto oom;
    if (p->schedule && (r->schedule = cdk_strdup(app, p->schedule)) == NULL)
        goto oom;
    r->description = p->description;
    if (p->warn_cron_minute &&
        cdk_node_add_metadata(n, "aws:cdk:warning",
                              cdk_str_ref(app, "cron: If you don't pass 'minute', by default the event runs every minute. "
                                               "Pass 'minute: '*'' if that's what you intend, or 'minute: 0' to run once "
                                               "per hour instead.")) != CDK_OK)
        goto oom;
    cdk_value *props = cdk_map(app);
    if (props == NULL || cdk_map_set(app, props, "name", r->phys.physical_name) != CDK_OK ||
        (p->description && cdk_map_set(app, props, "description", p->description) != CDK_OK) ||
        cdk_map_set(app, props, "state", cdk_str_ref(app, p->enabled == 0 ? "DISABLED" : "ENABLED")) != CDK_OK ||
        (r->schedule && cdk_map_set(app, props, "schedule_expression", cdk_str_ref(app, r->schedule)) != CDK_OK) ||
        cdk_map_set(app, props, "event_pattern", cdk_tokv(app, cdk_token_lazy(app, produce_pattern, r, 0, 'a'))) != CDK_OK ||
        cdk_map_set(app, props, "targets", cdk_tokv(app, cdk_token_lazy(app, produce_targets, r, 0, 'a'))) != CDK_OK ||
        (p->event_bus_name && cdk_map_set(app, props, "event_bus_name", p->event_bus_name) != CDK_OK))
        goto oom;
    if ((rc = cdk_cfn_resource_new(n, "Resource", "AWS::Events::Rule", &cdk_events_cfn_rule, props, NULL, &r->resource)) != CDK_OK)
        goto fail;
    if (p->event_pattern && (rc = cdk_events_rule_add_event_pattern(n, p->event_pattern)) != CDK_OK)
        goto fail;
    *out = n;
    return CDK_OK;
oom:
    rc = cdk_oom(app);
fail:
    cdk_node_discard(n);
    return rc;
}

static int rule_validate(cdk_node *n, cdk_strlist *errs)
{
    rule *r = n->impl;
    /* CDK: no pattern field and !this.scheduleExpression (an empty expression is none) */
    if (r->mirror_of == NULL && r->pattern->len == 0 && (r->schedule == NULL || r->schedule[0] == '\0'))
        return cdk_strlist_push(n->app, errs, "Either 'event_pattern' or 'schedule' must be defined");
    return CDK_OK;
}

/* ---- event patterns ---- */

static char *json_of(cdk_app *app, const cdk_value *v)
{
    cdk_buf b = {0};
    cdk_value_json(app, v, &b);
    char *s = b.oom ? NULL : cdk_strdup(app, b.data ? b.data : "");
    cdk_buf_free(&b);
    return s;
}

static cdk_value *deep_copy(cdk_app *app, cdk_value *v)
{
    if (v->kind != CDK_MAP && v->kind != CDK_LIST)
        return v;
    cdk_value *c = cdk_value_copy(app, v);
    if (c == NULL)
        return NULL;
    size_t n = v->kind == CDK_MAP ? c->len : c->len;
    for (size_t i = 0; i < n; i++) {
        cdk_value **slot = v->kind == CDK_MAP ? &c->u.map.ents[i].value : &c->u.list.items[i];
        if ((*slot = deep_copy(app, *slot)) == NULL)
            return NULL;
    }
    return c;
}

static int merge(cdk_app *app, cdk_value *dest, const cdk_value *src)
{
    if (src->kind != CDK_MAP) {
        char *j = json_of(app, src);
        return cdk_fail(app, CDK_EINVAL, "Invalid event pattern '%s', expecting an object or an array", j ? j : "?");
    }
    for (size_t i = 0; i < src->len; i++) {
        const char *field = src->u.map.ents[i].key;
        cdk_value *sv = src->u.map.ents[i].value;
        if (sv->kind == CDK_UNDEFINED)
            continue;
        if (sv->kind != CDK_MAP && sv->kind != CDK_LIST && sv->kind != CDK_NULL) {
            char *j = json_of(app, sv);
            return cdk_fail(app, CDK_EINVAL, "Invalid event pattern field { %s: %s }. All fields must be arrays", field,
                            j ? j : "?");
        }
        cdk_value *dv = cdk_map_get(dest, field);
        if (dv == NULL) {
            /* taken as it is (CDK checks nested fields only when it merges into them); a copy,
             * so that later merges do not change the caller's value */
            cdk_value *copy = deep_copy(app, sv);
            if (copy == NULL || cdk_map_set(app, dest, field, copy) != CDK_OK)
                return cdk_oom(app);
            continue;
        }
        if ((sv->kind == CDK_LIST) != (dv->kind == CDK_LIST)) {
            char *a = json_of(app, dv), *b = json_of(app, sv);
            return cdk_fail(app, CDK_EINVAL,
                            "Invalid event pattern field %s. Type mismatch between existing pattern %s and added pattern %s",
                            field, a ? a : "?", b ? b : "?");
        }
        if (sv->kind == CDK_LIST) {
            cdk_value *result = cdk_list(app);
            if (result == NULL)
                return cdk_oom(app);
            const cdk_value *parts[2] = {dv, sv};
            for (int p = 0; p < 2; p++) {
                for (size_t k = 0; k < parts[p]->len; k++) {
                    cdk_value *item = parts[p]->u.list.items[k];
                    char *ij = json_of(app, item);
                    int dup = 0;
                    for (size_t m = 0; ij && m < result->len && !dup; m++) {
                        char *mj = json_of(app, result->u.list.items[m]);
                        dup = mj && strcmp(mj, ij) == 0;
                    }
                    if (ij == NULL || (!dup && cdk_list_push(app, result, item) != CDK_OK))
                        return cdk_oom(app);
                }
            }
            if (cdk_map_set(app, dest, field, result) != CDK_OK)
                return cdk_oom(app);
            continue;
        }
        int rc = merge(app, dv, sv);
        if (rc != CDK_OK)
            return rc;
    }
    return CDK_OK;
}

int cdk_events_rule_add_event_pattern(cdk_node *n, cdk_value *pattern)
{
    rule *r = rule_of(n);
    if (r == NULL)
        return cdk_fail(n->app, CDK_EINVAL, "add_event_pattern: not a Rule");
    if (pattern == NULL || pattern->kind == CDK_UNDEFINED)
        return CDK_OK;
    return merge(n->app, r->pattern, pattern);
}

/* ---- targets ---- */

const char *cdk_events_next_target_id(cdk_node *n)
{
    rule *r = rule_of(n);
    return r ? cdk_sprintf(n->app, "Target%zu", (size_t)r->targets->len) : NULL;
}

static int same_dim(const cdk_value *a, const cdk_value *b)
{
    int c = cdk_compare_strings(a, b);
    return c == CDK_CMP_SAME || c == CDK_CMP_BOTH_UNRESOLVED;
}

/* crossRegionPutEventsRole: the rule's role "EventsRole", allowed to put events on the bus. */
static int put_events_role(cdk_node *n, cdk_value *bus_arn, cdk_value **role_arn)
{
    cdk_app *app = n->app;
    cdk_node *role = cdk_node_find_child(n, "EventsRole");
    int rc, added;
    if (role == NULL) {
        cdk_iam_role_props rp;
        memset(&rp, 0, sizeof rp);
        cdk_value *svc = cdk_str(app, "events.amazonaws.com");
        if (svc == NULL || (rc = cdk_iam_service_principal(app, svc, NULL, NULL, &rp.assumed_by)) != CDK_OK)
            return svc ? rc : cdk_oom(app);
        if ((rp.role_name = cdk_physical_marker(app)) == NULL)
            return cdk_oom(app);
        if ((rc = cdk_iam_role_new(n, "EventsRole", &rp, &role)) != CDK_OK)
            return rc;
    }
    cdk_iam_identity *id = cdk_iam_identity_of(role);
    cdk_iam_statement *st = cdk_iam_statement_new(app);
    cdk_value *action = cdk_str(app, "events:PutEvents");
    if (id == NULL || st == NULL || action == NULL)
        return id ? cdk_oom(app) : cdk_fail(app, CDK_EINVAL, "the rule's child 'EventsRole' is not a role");
    if ((rc = cdk_iam_statement_add_actions(st, &action, 1, 0)) != CDK_OK ||
        (rc = cdk_iam_statement_add_resources(st, &bus_arn, 1, 0)) != CDK_OK ||
        (rc = cdk_iam_add_to_principal_policy(&id->principal, st, &added)) != CDK_OK)
        return rc;
    *role_arn = id->arn;
    return CDK_OK;
}

static cdk_value *target_map(cdk_app *app, const char *id, cdk_value *arn, cdk_value *role_arn)
{
    cdk_value *t = cdk_map(app);
    if (t == NULL || cdk_map_set(app, t, "id", cdk_str(app, id)) != CDK_OK || cdk_map_set(app, t, "arn", arn) != CDK_OK ||
        (role_arn && cdk_map_set(app, t, "role_arn", role_arn) != CDK_OK))
        return NULL;
    return t;
}

/* ensureXEnvTargetEventBus: the target environment's default event bus as this rule's target
 * (once per environment), a role for another region, and for another account a support stack
 * with the bus policy that lets this account put events, deployed before this rule's stack. */
static int ensure_bus(cdk_node *n, cdk_node *tstack, const char *tacc, const char *treg, const char *id)
{
    cdk_app *app = n->app;
    rule *r = n->impl;
    const char *key = cdk_sprintf(app, "%s:%s", tacc, treg);
    if (key == NULL)
        return cdk_oom(app);
    for (size_t i = 0; i < r->buses.len; i++)
        if (strcmp(r->buses.items[i], key) == 0)
            return CDK_OK;
    if (cdk_strlist_push(app, &r->buses, key) != CDK_OK)
        return cdk_oom(app);
    cdk_arn c = {0};
    c.service = cdk_str_ref(app, "events");
    c.resource = cdk_str_ref(app, "event-bus");
    c.resource_name = cdk_str_ref(app, "default");
    c.region = cdk_str(app, treg);
    c.account = cdk_str(app, tacc);
    cdk_value *bus_arn = NULL, *role_arn = NULL;
    int rc = cdk_arn_format(tstack, &c, &bus_arn);
    if (rc != CDK_OK)
        return rc;
    if (!same_dim(c.region, cdk_stack_region(n->stack)) && (rc = put_events_role(n, bus_arn, &role_arn)) != CDK_OK)
        return rc;
    cdk_value *t = target_map(app, id, bus_arn, role_arn);
    if (t == NULL || cdk_list_push(app, r->targets, t) != CDK_OK)
        return cdk_oom(app);
    cdk_value *sacc = cdk_stack_account(n->stack);
    if (same_dim(sacc, c.account))
        return CDK_OK;
    const char *source = cdk_value_str(sacc);
    const char *stack_id = cdk_sprintf(app, "EventBusPolicy-%s-%s-%s", source, treg, tacc);
    if (stack_id == NULL)
        return cdk_oom(app);
    cdk_node *root = cdk_app_root(app);
    cdk_node *policy_stack = cdk_node_find_child(root, stack_id);
    if (policy_stack == NULL) {
        cdk_stack_props sp;
        memset(&sp, 0, sizeof sp);
        sp.account = tacc;
        sp.region = treg;
        sp.termination_protection = -1;
        sp.stack_name = cdk_sprintf(app, "%s-EventBusPolicy-support-%s-%s", cdk_stack_name(tstack), treg, source);
        const char *addr = cdk_node_addr(n);
        cdk_value *props = cdk_map(app);
        if (sp.stack_name == NULL || addr == NULL || props == NULL)
            return cdk_oom(app);
        if ((rc = cdk_stack_new(root, stack_id, &sp, &policy_stack)) != CDK_OK)
            return rc;
        cdk_node *res;
        if (cdk_map_set(app, props, "action", cdk_str_ref(app, "events:PutEvents")) != CDK_OK ||
            cdk_map_set(app, props, "statement_id", cdk_str(app, cdk_sprintf(app, "Allow-account-%s-%s", source, addr))) != CDK_OK ||
            cdk_map_set(app, props, "principal", sacc) != CDK_OK)
            return cdk_oom(app);
        if ((rc = cdk_cfn_resource_new(policy_stack, "GivePermToOtherAccount", "AWS::Events::EventBusPolicy",
                                       &cdk_events_cfn_event_bus_policy, props, NULL, &res)) != CDK_OK)
            return rc;
    }
    return cdk_stack_add_dependency(n->stack, policy_stack, NULL);
}

int cdk_events_rule_add_config(cdk_node *n, const cdk_events_target_config *cfg, cdk_node **mirror)
{
    cdk_app *app = n->app;
    rule *r = rule_of(n);
    *mirror = NULL;
    if (r == NULL)
        return cdk_fail(app, CDK_EINVAL, "add_target: not a Rule");
    if (cfg->arn == NULL || cfg->arn->kind == CDK_UNDEFINED)
        return cdk_fail(app, CDK_EINVAL, "a target's bind must return an arn");
    const char *id = cfg->id && *cfg->id ? cfg->id : cdk_events_next_target_id(n); /* CDK: id || auto */
    if (id == NULL)
        return cdk_oom(app);
    if (cfg->target_resource) {
        cdk_node *tstack;
        int rc = cdk_node_stack(cfg->target_resource, &tstack);
        if (rc != CDK_OK)
            return rc;
        cdk_value *tacc = cfg->target_account ? cfg->target_account : cdk_stack_account(tstack);
        cdk_value *treg = cfg->target_region ? cfg->target_region : cdk_stack_region(tstack);
        cdk_value *sacc = cdk_stack_account(n->stack), *sreg = cdk_stack_region(n->stack);
        if (!same_dim(sacc, tacc) || !same_dim(sreg, treg)) {
            if (cdk_is_unresolved(tacc))
                return cdk_fail(app, CDK_EINVAL, "You need to provide a concrete account for the target stack when using "
                                                 "cross-account or cross-region events");
            if (cdk_is_unresolved(treg))
                return cdk_fail(app, CDK_EINVAL, "You need to provide a concrete region for the target stack when using "
                                                 "cross-account or cross-region events");
            if (cdk_is_unresolved(sacc))
                return cdk_fail(app, CDK_EINVAL, "You need to provide a concrete account for the source stack when using "
                                                 "cross-account or cross-region events");
            if (cfg->target_resource->app != app)
                return cdk_fail(app, CDK_EINVAL, "Event stack and target stack must belong to the same CDK app");
            if ((rc = ensure_bus(n, tstack, cdk_value_str(tacc), cdk_value_str(treg), id)) != CDK_OK)
                return rc;
            /* obtainMirrorRuleScope: the target's own stack; imported resources have none */
            if (!(same_dim(cdk_stack_account(tstack), tacc) && same_dim(cdk_stack_region(tstack), treg)))
                return cdk_fail(app, CDK_EINVAL,
                                "Cannot create a cross-account or cross-region rule for an imported resource (create a "
                                "stack with the right environment for the imported resource)");
            const char *uid = cdk_node_unique_id(n);
            const char *mid = uid ? cdk_sprintf(app, "%s-%s", uid, id) : NULL;
            if (mid == NULL)
                return cdk_oom(app);
            cdk_events_rule_props mp;
            memset(&mp, 0, sizeof mp);
            mp.enabled = -1;
            mp.description = r->description;
            mp.schedule = r->schedule && r->schedule[0] ? r->schedule : NULL; /* CDK: expression ? ... : undefined */
            if ((rc = cdk_events_rule_new(tstack, mid, &mp, mirror)) != CDK_OK)
                return rc;
            rule_of(*mirror)->mirror_of = n;
            return CDK_OK;
        }
    }
    cdk_value *t = target_map(app, id, cfg->arn, cfg->role_arn);
    if (t == NULL)
        return cdk_oom(app);
    if (cfg->dead_letter_arn || cfg->has_dead_letter) {
        cdk_value *d = cdk_map(app);
        if (d == NULL || (cfg->dead_letter_arn && cdk_map_set(app, d, "arn", cfg->dead_letter_arn) != CDK_OK) ||
            cdk_map_set(app, t, "dead_letter_config", d) != CDK_OK)
            return cdk_oom(app);
    }
    if (cfg->retry_attempts || cfg->max_event_age_seconds || cfg->has_retry_policy) {
        cdk_value *rp = cdk_map(app);
        if (rp == NULL ||
            (cfg->retry_attempts && cdk_map_set(app, rp, "maximum_retry_attempts", cfg->retry_attempts) != CDK_OK) ||
            (cfg->max_event_age_seconds &&
             cdk_map_set(app, rp, "maximum_event_age_in_seconds", cfg->max_event_age_seconds) != CDK_OK) ||
            cdk_map_set(app, t, "retry_policy", rp) != CDK_OK)
            return cdk_oom(app);
    }
    if (cfg->sqs_message_group_id) {
        cdk_value *sp = cdk_map(app);
        if (sp == NULL || cdk_map_set(app, sp, "message_group_id", cfg->sqs_message_group_id) != CDK_OK ||
            cdk_map_set(app, t, "sqs_parameters", sp) != CDK_OK)
            return cdk_oom(app);
    }
    if (cfg->kinesis_partition_key_path) {
        cdk_value *kp = cdk_map(app);
        if (kp == NULL || cdk_map_set(app, kp, "partition_key_path", cfg->kinesis_partition_key_path) != CDK_OK ||
            cdk_map_set(app, t, "kinesis_parameters", kp) != CDK_OK)
            return cdk_oom(app);
    }
    if ((cfg->input && cdk_map_set(app, t, "input", cfg->input) != CDK_OK) ||
        (cfg->input_path && cdk_map_set(app, t, "input_path", cfg->input_path) != CDK_OK))
        return cdk_oom(app);
    if (cfg->input_template) {
        cdk_value *it = cdk_map(app);
        if (it == NULL || cdk_map_set(app, it, "input_template", cfg->input_template) != CDK_OK ||
            (cfg->input_paths_map && cdk_map_set(app, it, "input_paths_map", cfg->input_paths_map) != CDK_OK) ||
            cdk_map_set(app, t, "input_transformer", it) != CDK_OK)
            return cdk_oom(app);
    }
    return cdk_list_push(app, r->targets, t);
}

int cdk_events_rule_add_target(cdk_node *n, cdk_events_target *tgt)
{
    if (rule_of(n) == NULL)
        return cdk_fail(n->app, CDK_EINVAL, "add_target: not a Rule");
    const char *id = cdk_events_next_target_id(n);
    if (id == NULL)
        return cdk_oom(n->app);
    cdk_events_target_config cfg;
    memset(&cfg, 0, sizeof cfg);
    int rc = tgt->bind(tgt, n, id, &cfg);
    if (rc != CDK_OK)
        return rc;
    cdk_node *mirror;
    if ((rc = cdk_events_rule_add_config(n, &cfg, &mirror)) != CDK_OK)
        return rc;
    return mirror ? cdk_events_rule_add_target(mirror, tgt) : CDK_OK;
}

/* ---- schedules ---- */

static char *make_rate(cdk_app *app, double interval, const char *singular)
{
    char num[40];
    cdk_js_number(interval, num);
    return interval == 1 ? cdk_sprintf(app, "rate(1 %s)", singular) : cdk_sprintf(app, "rate(%s %ss)", num, singular);
}

int cdk_events_schedule_rate(cdk_app *app, cdk_duration d, const char **out)
{
    if (cdk_num_is_token(d.amount)) {
        const char *u = cdk_time_unit_label(d.unit);
        if (d.unit != CDK_MINUTES && d.unit != CDK_HOURS && d.unit != CDK_DAYS)
            return cdk_fail(app, CDK_EINVAL, "Allowed units for scheduling are: 'minute', 'minutes', 'hour', 'hours', 'day', 'days'");
        /* the number token as a string (its digits stand for it; the token may be another App's) */
        char num[40];
        cdk_js_number(d.amount, num);
        *out = cdk_sprintf(app, "rate(%s %s)", num, u);
        return *out ? CDK_OK : cdk_oom(app);
    }
    double secs, v;
    /* CDK's toSeconds() is integral: 100 millis fail here, naming seconds */
    int rc = cdk_duration_to(app, d, CDK_SECONDS, 1, &secs);
    if (rc != CDK_OK)
        return rc;
    if (secs == 0)
        return cdk_fail(app, CDK_EINVAL, "Duration cannot be 0");
    if ((rc = cdk_duration_to(app, d, CDK_DAYS, 0, &v)) != CDK_OK)
        return rc;
    if (v != 0 && floor(v) == v) {
        *out = make_rate(app, v, "day");
        return *out ? CDK_OK : cdk_oom(app);
    }
    if ((rc = cdk_duration_to(app, d, CDK_HOURS, 0, &v)) != CDK_OK)
        return rc;
    if (v != 0 && floor(v) == v) {
        *out = make_rate(app, v, "hour");
        return *out ? CDK_OK : cdk_oom(app);
    }
    if ((rc = cdk_duration_to(app, d, CDK_MINUTES, 1, &v)) != CDK_OK)
        return rc;
    *out = make_rate(app, v, "minute");
    return *out ? CDK_OK : cdk_oom(app);
}

int cdk_events_schedule_cron(cdk_app *app, const cdk_events_cron *c, const char **out)
{
    if (c->week_day && c->day)
        return cdk_fail(app, CDK_EINVAL, "Cannot supply both 'day' and 'week_day', use at most one");
    const char *day = c->day ? c->day : c->week_day ? "?" : "*";
    *out = cdk_sprintf(app, "cron(%s %s %s %s %s %s)", c->minute ? c->minute : "*", c->hour ? c->hour : "*", day,
                       c->month ? c->month : "*", c->week_day ? c->week_day : "?", c->year ? c->year : "*");
    return *out ? CDK_OK : cdk_oom(app);
}
