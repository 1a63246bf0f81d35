/* rule.c: events.Rule as the AWS CDK v1 builds it: the event pattern merged field by field (lists
 * concatenated without duplicates, objects merged, key order kept), schedules, targets with their
 * automatic ids and the cross-environment checks, and the AWS::Events::Rule it renders. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cdk_events.h"

#define END {NULL, NULL, 0, 0, NULL, 0}
#define NO_CLASS {NULL, NULL, NULL, NULL, NULL, NULL}

/* ---- the L1 schema (the properties the L2 renders; targets as CloudFormation names them) ---- */

static const cdk_prop dlc_props[] = {{"arn", "Arn", CDK_P_STRING, 0, NULL, 0}, END};
static const cdk_schema dlc_schema = {NO_CLASS, "DeadLetterConfigProperty", NULL, NULL, dlc_props, NULL, 0};
static const cdk_prop transformer_props[] = {
    {"input_paths_map", "InputPathsMap", CDK_P_MAP, CDK_P_STRING, NULL, 0},
    {"input_template", "InputTemplate", CDK_P_STRING, 0, NULL, 1},
    END,
};
static const cdk_schema transformer_schema = {NO_CLASS, "InputTransformerProperty", NULL, NULL, transformer_props, NULL, 0};
static const cdk_prop retry_props[] = {
    {"maximum_event_age_in_seconds", "MaximumEventAgeInSeconds", CDK_P_NUMBER, 0, NULL, 0},
    {"maximum_retry_attempts", "MaximumRetryAttempts", CDK_P_NUMBER, 0, NULL, 0},
    END,
};
static const cdk_schema retry_schema = {NO_CLASS, "RetryPolicyProperty", NULL, NULL, retry_props, NULL, 0};
static const cdk_prop sqs_params_props[] = {{"message_group_id", "MessageGroupId", CDK_P_STRING, 0, NULL, 1}, END};
static const cdk_schema sqs_params_schema = {NO_CLASS, "SqsParametersProperty", NULL, NULL, sqs_params_props, NULL, 0};
static const cdk_prop kinesis_props[] = {{"partition_key_path", "PartitionKeyPath", CDK_P_STRING, 0, NULL, 1}, END};
static const cdk_schema kinesis_schema = {NO_CLASS, "KinesisParametersProperty", NULL, NULL, kinesis_props, NULL, 0};
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
static const cdk_schema target_schema = {NO_CLASS, "TargetProperty", NULL, NULL, target_props, NULL, 0};
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
                                        CDK_TAGS_NONE};

/* ---- the rule ---- */

typedef struct rule {
    cdk_physical phys;
    cdk_node *resource;
    cdk_value *pattern;     /* merged event pattern (map) */
    cdk_value *targets;     /* list of target maps */
    const char *schedule;
    cdk_value *arn, *name;
} rule;

static int rule_validate(cdk_node *n, cdk_strlist *errs);
const cdk_class cdk_events_rule_class = {"Rule", "@aws-cdk/aws-events.Rule", rule_validate, NULL, NULL, NULL};

static rule *rule_of(cdk_node *n)
{
    return n && n->cls == &cdk_events_rule_class ? n->impl : NULL;
}

cdk_value *cdk_events_rule_arn(cdk_node *n) { return rule_of(n) ? rule_of(n)->arn : NULL; }
cdk_value *cdk_events_rule_name(cdk_node *n) { return rule_of(n) ? rule_of(n)->name : NULL; }
cdk_physical *cdk_events_rule_physical(cdk_node *n) { return rule_of(n) ? &rule_of(n)->phys : NULL; }

static int produce_pattern(cdk_rctx *ctx, void *ud, cdk_value **out)
{
    rule *r = ud;
    (void)ctx;
    *out = r->pattern->u.map.len ? r->pattern : cdk_undefined();
    return CDK_OK;
}

static int produce_targets(cdk_rctx *ctx, void *ud, cdk_value **out)
{
    rule *r = ud;
    (void)ctx;
    *out = r->targets->u.list.len ? r->targets : cdk_undefined();
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
    cdk_arn c = {0};
    c.service = cdk_str_ref(app, "events");
    c.resource = cdk_str_ref(app, "rule");
    c.resource_name = r->phys.physical_name->kind == CDK_UNDEFINED ? NULL : r->phys.physical_name;
    r->arn = cdk_physical_arn_attr(&r->phys, cdk_resource_att(r->resource, "Arn"), &c);
    r->name = cdk_physical_name_attr(&r->phys, cdk_resource_ref(r->resource));
    if (r->arn == NULL || r->name == NULL)
        goto oom;
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
    if (r->pattern->u.map.len == 0 && r->schedule == NULL)
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
    size_t n = v->kind == CDK_MAP ? c->u.map.len : c->u.list.len;
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
    for (size_t i = 0; i < src->u.map.len; i++) {
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
                for (size_t k = 0; k < parts[p]->u.list.len; k++) {
                    cdk_value *item = parts[p]->u.list.items[k];
                    char *ij = json_of(app, item);
                    int dup = 0;
                    for (size_t m = 0; ij && m < result->u.list.len && !dup; m++) {
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
    return r ? cdk_sprintf(n->app, "Target%zu", r->targets->u.list.len) : NULL;
}

static int same_dim(const cdk_value *a, const cdk_value *b)
{
    int c = cdk_compare_strings(a, b);
    return c == CDK_CMP_SAME || c == CDK_CMP_BOTH_UNRESOLVED;
}

int cdk_events_rule_add_config(cdk_node *n, const cdk_events_target_config *cfg)
{
    cdk_app *app = n->app;
    rule *r = rule_of(n);
    if (r == NULL)
        return cdk_fail(app, CDK_EINVAL, "add_target: not a Rule");
    if (cfg->arn == NULL || cfg->arn->kind == CDK_UNDEFINED)
        return cdk_fail(app, CDK_EINVAL, "a target's bind must return an arn");
    const char *id = cfg->id ? cfg->id : cdk_events_next_target_id(n);
    if (id == NULL)
        return cdk_oom(app);
    if (cfg->target_resource) {
        cdk_node *tstack = cfg->target_resource->stack;
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
            if (!(same_dim(cdk_stack_account(tstack), tacc) && same_dim(cdk_stack_region(tstack), treg)))
                return cdk_fail(app, CDK_EINVAL,
                                "Cannot create a cross-account or cross-region rule for an imported resource (create a "
                                "stack with the right environment for the imported resource)");
            return cdk_fail(app, CDK_EINVAL,
                            "A target in another account or region (stack '%s') needs a mirror rule and an event-bus "
                            "policy stack, which lua-cdk does not make yet; put the target in the rule's environment",
                            tstack->path);
        }
    }
    cdk_value *t = cdk_map(app);
    if (t == NULL || cdk_map_set(app, t, "id", cdk_str(app, id)) != CDK_OK || cdk_map_set(app, t, "arn", cfg->arn) != CDK_OK ||
        (cfg->role_arn && cdk_map_set(app, t, "role_arn", cfg->role_arn) != CDK_OK))
        return cdk_oom(app);
    if (cfg->dead_letter_arn) {
        cdk_value *d = cdk_map(app);
        if (d == NULL || cdk_map_set(app, d, "arn", cfg->dead_letter_arn) != CDK_OK ||
            cdk_map_set(app, t, "dead_letter_config", d) != CDK_OK)
            return cdk_oom(app);
    }
    if (cfg->retry_attempts || cfg->max_event_age_seconds) {
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
    return cdk_events_rule_add_config(n, &cfg);
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
        *out = cdk_sprintf(app, "rate(%s %s)", cdk_token_str(app, cdk_token_of_num(app, d.amount)), u);
        return *out ? CDK_OK : cdk_oom(app);
    }
    double secs, v;
    int rc = cdk_duration_to(app, d, CDK_SECONDS, 0, &secs);
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
