/* events.c: the binding of `cdk.events` (Rule, Schedule, RuleTargetInput, EventField, the L1s),
 * `cdk.events_targets` (SnsTopic, SqsQueue, LambdaFunction) and the ECR event-rule methods.
 * Targets written in Lua are any value with bind(rule, id); their result table is converted here,
 * and such a target is bound again to a mirror rule when the core makes one. */
#include <string.h>

#include "bind.h"
#include "cdk_ecr.h"
#include "cdk_events.h"
#include "cdk_iam.h"
#include "cdk_lambda.h"
#include "cdk_sns.h"
#include "cdk_sqs.h"

#define SHIFT_CALL 1
#define MT_TARGET "cdk.EventTarget"
#define MT_INPUT "cdk.RuleTargetInput"
#define MT_SCHEDULE "cdk.Schedule"

typedef struct ltarget { cdk_events_target *t; } ltarget;
/* A RuleTargetInput: its kind; the Lua value stays in the userdata's user value until a target
 * uses it, and is converted then with the target's App (it may hold that App's tokens). */
typedef struct linput { int kind; } linput;

static const char *input_fname(int kind)
{
    return kind == 't' ? "RuleTargetInput.from_text" : kind == 'm' ? "RuleTargetInput.from_multiline_text"
         : kind == 'o' ? "RuleTargetInput.from_object" : "RuleTargetInput.from_event_path";
}

/* The RuleTargetInput at idx (checked by the caller) as a core input in app. */
static void input_of(lua_State *L, int idx, cdk_app *app, cdk_events_input *out)
{
    linput *in = lua_touserdata(L, idx);
    cdk_getuv(L, idx);
    bargs a = {input_fname(in->kind), lua_gettop(L) - 1};
    out->kind = in->kind;
    out->value = bind_value(L, &a, lua_gettop(L), NULL, app);
    lua_pop(L, 1);
}

/* A Schedule: its expression, and whether CDK warns when a rule takes it (a cron without minute). */
typedef struct lschedule {
    int warn_minute;
    char expr[1];
} lschedule;

/* The Schedule at idx, or NULL. */
static lschedule *test_schedule(lua_State *L, int idx)
{
    return luaL_testudata(L, idx, MT_SCHEDULE);
}

/* ---- event patterns ---- */

/* The pattern table on top of the stack, as a map in EventPattern's field order. */
static cdk_value *event_pattern(lua_State *L, const bargs *a, int argidx, const char *field, cdk_app *app)
{
    static const char *const fields[] = {"version", "id", "detail_type", "source", "account",
                                         "time", "region", "resources", "detail", NULL};
    int t = lua_gettop(L);
    if (!lua_istable(L, t))
        bind_typeerror(L, a, argidx, field, "event pattern table");
    lua_pushnil(L);
    while (lua_next(L, t)) {
        lua_pop(L, 1);
        const char *k = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
        int ok = 0;
        for (int i = 0; k && fields[i]; i++)
            ok |= strcmp(fields[i], k) == 0;
        if (!ok)
            bind_fielderror(L, a, argidx, field, "unknown event pattern field '%s'", luaL_tolstring(L, -1, NULL));
    }
    cdk_value *m = cdk_map(app);
    for (int i = 0; m && fields[i]; i++) {
        lua_getfield(L, t, fields[i]);
        if (lua_isnil(L, -1)) {
            lua_pop(L, 1);
            continue;
        }
        const char *sub = field ? lua_pushfstring(L, "%s.%s", field, fields[i]) : lua_pushstring(L, fields[i]);
        lua_insert(L, -2);
        cdk_value *v = bind_value(L, a, argidx, sub, app);
        int is_detail = strcmp(fields[i], "detail") == 0;
        if (!is_detail && v->kind == CDK_MAP && v->len == 0 && (v = cdk_list(app)) == NULL)
            bind_error(L, "not enough memory"); /* {} is the empty list here */
        if (is_detail ? v->kind != CDK_MAP : v->kind != CDK_LIST)
            bind_typeerror(L, a, argidx, sub, is_detail ? "table" : "list");
        const char *key = strcmp(fields[i], "detail_type") == 0 ? "detail-type" : fields[i];
        if (cdk_map_set(app, m, key, v) != CDK_OK)
            m = NULL;
        lua_pop(L, 2);
    }
    if (m == NULL)
        bind_error(L, "not enough memory");
    return m;
}

/* ---- targets ---- */

/* The field name of a target's bind result as messages show it. */
static int cfg_error(lua_State *L, const char *field, const char *fmt, const char *detail)
{
    return bind_error(L, "bad target (bind(rule, id) returned %s%s: %s)", field ? "field " : "a table",
                      field ? lua_pushfstring(L, "'%s'", field) : "", lua_pushfstring(L, fmt, detail));
}

/* A string field of the table at t (tokens allowed); NULL when absent. */
static cdk_value *cfg_string(lua_State *L, int t, const char *name, const char *shown, cdk_app *app)
{
    lua_getfield(L, t, name);
    if (lua_isnil(L, -1)) {
        lua_pop(L, 1);
        return NULL;
    }
    if (lua_type(L, -1) != LUA_TSTRING)
        cfg_error(L, shown, "string expected, got %s", bind_typename(L, -1));
    size_t len;
    const char *str = lua_tolstring(L, -1, &len);
    if (memchr(str, '\0', len))
        cfg_error(L, shown, "%s", "string with a NUL byte");
    if (!bind_valid_utf8(str, len))
        cfg_error(L, shown, "%s", "string is not valid UTF-8");
    cdk_value *v = cdk_strn(app, str, len);
    if (v == NULL)
        bind_error(L, "not enough memory");
    lua_pop(L, 1);
    return v;
}

static cdk_value *cfg_number(lua_State *L, int t, const char *name, const char *shown, cdk_app *app)
{
    lua_getfield(L, t, name);
    if (lua_isnil(L, -1)) {
        lua_pop(L, 1);
        return NULL;
    }
    if (lua_type(L, -1) != LUA_TNUMBER)
        cfg_error(L, shown, "number expected, got %s", bind_typename(L, -1));
    cdk_value *v = cdk_num(app, lua_tonumber(L, -1));
    if (v == NULL)
        bind_error(L, "not enough memory");
    lua_pop(L, 1);
    return v;
}

/* The sub-table `name` of the table at t, checked against allowed; 0 when absent (nothing
 * pushed), else 1 with the table on top. */
static int cfg_table(lua_State *L, int t, const char *name, const char *const *allowed)
{
    lua_getfield(L, t, name);
    if (lua_isnil(L, -1)) {
        lua_pop(L, 1);
        return 0;
    }
    if (!lua_istable(L, -1))
        cfg_error(L, name, "table expected, got %s", bind_typename(L, -1));
    lua_pushnil(L);
    while (lua_next(L, -2)) {
        lua_pop(L, 1);
        int ok = 0;
        for (int i = 0; lua_type(L, -1) == LUA_TSTRING && allowed[i]; i++)
            ok |= strcmp(allowed[i], lua_tostring(L, -1)) == 0;
        if (!ok)
            cfg_error(L, name, "unknown field '%s'", luaL_tolstring(L, -1, NULL));
    }
    return 1;
}

/* A target's bind result (the table at cfg) as a configuration, CDK's RuleTargetConfig with
 * snake_case keys. */
static void target_config(lua_State *L, int cfg, cdk_node *rule, cdk_events_target_config *c)
{
    static const char *const allowed[] = {"arn", "id", "role", "input", "target_resource", "dead_letter_config",
                                          "retry_policy", "sqs_parameters", "kinesis_parameters", NULL};
    static const char *const dlc[] = {"arn", NULL};
    static const char *const retry[] = {"maximum_retry_attempts", "maximum_event_age_in_seconds", NULL};
    static const char *const sqsp[] = {"message_group_id", NULL};
    static const char *const kin[] = {"partition_key_path", NULL};
    cdk_app *app = rule->app;
    memset(c, 0, sizeof *c);
    lua_pushnil(L);
    while (lua_next(L, cfg)) {
        lua_pop(L, 1);
        int ok = 0;
        for (int i = 0; lua_type(L, -1) == LUA_TSTRING && allowed[i]; i++)
            ok |= strcmp(allowed[i], lua_tostring(L, -1)) == 0;
        if (!ok)
            cfg_error(L, NULL, "unknown field '%s'", luaL_tolstring(L, -1, NULL));
    }
    c->arn = cfg_string(L, cfg, "arn", "arn", app);
    if (c->arn == NULL)
        cfg_error(L, "arn", "%s", "required");
    cdk_value *idv = cfg_string(L, cfg, "id", "id", app);
    c->id = idv ? idv->u.str.ptr : NULL;
    lua_getfield(L, cfg, "role");
    if (!lua_isnil(L, -1)) {
        cdk_node *role = bind_test_node(L, -1);
        cdk_iam_identity *r = role ? cdk_iam_identity_of(role) : NULL;
        if (r == NULL || (r->kind != CDK_IAM_ROLE && r->kind != CDK_IAM_IMPORTED_ROLE))
            cfg_error(L, "role", "iam.Role expected, got %s", bind_typename(L, -1));
        c->role_arn = r->arn;
    }
    lua_pop(L, 1);
    lua_getfield(L, cfg, "input");
    if (!lua_isnil(L, -1)) {
        if (luaL_testudata(L, -1, MT_INPUT) == NULL)
            cfg_error(L, "input", "RuleTargetInput expected, got %s", bind_typename(L, -1));
        cdk_events_input in;
        input_of(L, lua_gettop(L), app, &in);
        if (cdk_events_input_bind(rule, &in, c) != CDK_OK)
            bind_raise(L, app);
    }
    lua_pop(L, 1);
    if (cfg_table(L, cfg, "dead_letter_config", dlc)) {
        c->dead_letter_arn = cfg_string(L, lua_gettop(L), "arn", "dead_letter_config.arn", app);
        c->has_dead_letter = 1;
        lua_pop(L, 1);
    }
    if (cfg_table(L, cfg, "retry_policy", retry)) {
        int t = lua_gettop(L);
        c->retry_attempts = cfg_number(L, t, "maximum_retry_attempts", "retry_policy.maximum_retry_attempts", app);
        c->max_event_age_seconds =
            cfg_number(L, t, "maximum_event_age_in_seconds", "retry_policy.maximum_event_age_in_seconds", app);
        c->has_retry_policy = 1;
        lua_pop(L, 1);
    }
    if (cfg_table(L, cfg, "sqs_parameters", sqsp)) {
        c->sqs_message_group_id = cfg_string(L, lua_gettop(L), "message_group_id", "sqs_parameters.message_group_id", app);
        if (c->sqs_message_group_id == NULL)
            cfg_error(L, "sqs_parameters.message_group_id", "%s", "required");
        lua_pop(L, 1);
    }
    if (cfg_table(L, cfg, "kinesis_parameters", kin)) {
        c->kinesis_partition_key_path =
            cfg_string(L, lua_gettop(L), "partition_key_path", "kinesis_parameters.partition_key_path", app);
        if (c->kinesis_partition_key_path == NULL)
            cfg_error(L, "kinesis_parameters.partition_key_path", "%s", "required");
        lua_pop(L, 1);
    }
    lua_getfield(L, cfg, "target_resource");
    if (!lua_isnil(L, -1)) {
        /* a construct of another App: CDK's message (read from the handle's App, never the node) */
        if (luaL_testudata(L, -1, MT_NODE)) {
            cdk_getuv(L, -1);
            lapp *owner = luaL_testudata(L, -1, MT_APP);
            if (owner && owner->app && owner->app != app)
                bind_error(L, "Event stack and target stack must belong to the same CDK app");
            lua_pop(L, 1);
        }
        c->target_resource = bind_test_node(L, -1);
        if (c->target_resource == NULL)
            cfg_error(L, "target_resource", "construct expected, got %s", bind_typename(L, -1));
        /* the resource's own environment (IResource.env), when it has one */
        lua_getfield(L, -1, "env");
        if (lua_istable(L, -1)) {
            c->target_account = cfg_string(L, lua_gettop(L), "account", "target_resource.env.account", app);
            c->target_region = cfg_string(L, lua_gettop(L), "region", "target_resource.env.region", app);
        }
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
}

/* Adds a target: a C target, or a Lua value with bind(rule, id). A mirror rule (a target in
 * another environment) gets the same target, bound again. */
static void add_target(lua_State *L, const bargs *a, int argidx, const char *field, int tidx, cdk_node *rule,
                       int rule_idx)
{
    cdk_app *app = rule->app;
    tidx = tidx < 0 ? lua_gettop(L) + tidx + 1 : tidx;
    ltarget *ct = luaL_testudata(L, tidx, MT_TARGET);
    if (ct) {
        /* the target's resources live in its App's arena: never link two Apps */
        cdk_getuv(L, tidx);
        lapp *owner = luaL_testudata(L, -1, MT_APP);
        if (owner == NULL || owner->app == NULL)
            bind_error(L, "attempt to use a target of a closed App");
        if (owner->app != app)
            bind_error(L, "Event stack and target stack must belong to the same CDK app");
        lua_pop(L, 1);
        if (cdk_events_rule_add_target(rule, ct->t) != CDK_OK)
            bind_raise(L, app);
        return;
    }
    if (!(lua_istable(L, tidx) || lua_isuserdata(L, tidx))) {
        lua_pushvalue(L, tidx);
        bind_typeerror(L, a, argidx, field, "event target");
    }
    lua_getfield(L, tidx, "bind");
    if (!lua_isfunction(L, -1)) {
        lua_pushvalue(L, tidx);
        bind_typeerror(L, a, argidx, field, "event target (a value with a bind method)");
    }
    const char *id = cdk_events_next_target_id(rule);
    if (id == NULL)
        bind_error(L, "not enough memory");
    lua_pushvalue(L, tidx);
    lua_pushvalue(L, rule_idx);
    lua_pushstring(L, id);
    lua_call(L, 3, 1);
    int cfg = lua_gettop(L);
    if (!lua_istable(L, cfg))
        bind_error(L, "bad target (bind(rule, id) must return a table, got %s)", bind_typename(L, cfg));
    cdk_events_target_config c;
    target_config(L, cfg, rule, &c);
    cdk_node *mirror;
    if (cdk_events_rule_add_config(rule, &c, &mirror) != CDK_OK)
        bind_raise(L, app);
    lua_settop(L, cfg - 1);
    if (mirror) {
        bind_push_node(L, mirror);
        add_target(L, a, argidx, field, tidx, mirror, lua_gettop(L));
        lua_pop(L, 1);
    }
}

static void rule_props(lua_State *L, const bargs *a, int idx, cdk_app *app, cdk_events_rule_props *p, int allow_rule)
{
    memset(p, 0, sizeof *p);
    p->enabled = -1;
    p->rule_name = bind_opt_value(L, a, idx, "rule_name", app);
    if (p->rule_name && p->rule_name->kind != CDK_STRING) {
        lua_getfield(L, idx, "rule_name");
        bind_typeerror(L, a, idx, "rule_name", "string");
    }
    p->description = bind_opt_value(L, a, idx, "description", app);
    if (p->description && p->description->kind != CDK_STRING) {
        lua_getfield(L, idx, "description");
        bind_typeerror(L, a, idx, "description", "string");
    }
    if (bind_has(L, idx, "event_pattern")) {
        lua_getfield(L, idx, "event_pattern");
        p->event_pattern = event_pattern(L, a, idx, "event_pattern", app);
        lua_pop(L, 1);
    }
    if (allow_rule) {
        p->enabled = bind_opt_bool(L, a, idx, "enabled");
        if (bind_has(L, idx, "schedule")) {
            lua_getfield(L, idx, "schedule");
            lschedule *sch = test_schedule(L, -1);
            if (sch == NULL)
                bind_typeerror(L, a, idx, "schedule", "Schedule");
            if ((p->schedule = cdk_strdup(app, sch->expr)) == NULL)
                bind_error(L, "not enough memory");
            p->warn_cron_minute = sch->warn_minute;
            lua_pop(L, 1);
        }
    }
}

static int l_rule_new(lua_State *L)
{
    static const char *const allowed[] = {"rule_name", "description", "enabled", "event_pattern", "schedule",
                                          "targets", NULL};
    bargs a = {"Rule", SHIFT_CALL};
    cdk_node *scope = bind_check_scope(L, &a, 2);
    const char *id = bind_check_string(L, &a, 3, NULL, NULL);
    bind_props(L, &a, 4, allowed);
    cdk_events_rule_props p;
    rule_props(L, &a, 4, scope->app, &p, 1);
    cdk_node *rule;
    if (cdk_events_rule_new(scope, id, &p, &rule) != CDK_OK)
        return bind_raise(L, scope->app);
    bind_push_node(L, rule);
    int ridx = lua_gettop(L);
    if (bind_has(L, 4, "targets")) {
        lua_getfield(L, 4, "targets");
        int t = lua_gettop(L);
        size_t n = bind_check_list(L, &a, 4, t, "targets", "list of targets");
        for (size_t i = 1; i <= n; i++) {
            lua_rawgeti(L, t, (lua_Integer)i);
            add_target(L, &a, 4, lua_pushfstring(L, "targets[%d]", (int)i), -2, rule, ridx);
            lua_pop(L, 2);
        }
        lua_pop(L, 1);
    }
    return 1;
}

static cdk_node *self_rule(lua_State *L, const char *fname)
{
    cdk_node *n = bind_test_node(L, 1);
    if (n == NULL || n->cls != &cdk_events_rule_class)
        bind_error(L, "calling '%s' on bad self (Rule expected, got %s)", fname, bind_typename(L, 1));
    return n;
}

static int l_rule_add_target(lua_State *L)
{
    cdk_node *rule = self_rule(L, "add_target");
    bargs a = {"add_target", 1};
    if (lua_isnoneornil(L, 2))
        return 0; /* CDK ignores a missing target */
    add_target(L, &a, 2, NULL, 2, rule, 1);
    return 0;
}

static int l_rule_add_event_pattern(lua_State *L)
{
    cdk_node *rule = self_rule(L, "add_event_pattern");
    bargs a = {"add_event_pattern", 1};
    if (lua_isnoneornil(L, 2))
        return 0;
    lua_pushvalue(L, 2);
    cdk_value *p = event_pattern(L, &a, 2, NULL, rule->app);
    if (cdk_events_rule_add_event_pattern(rule, p) != CDK_OK)
        return bind_raise(L, rule->app);
    return 0;
}

static int get_rule(lua_State *L)
{
    cdk_node *n = bind_test_node(L, 1);
    const char *k = lua_tostring(L, 2);
    cdk_value *v;
    if (strcmp(k, "rule_arn") == 0)
        v = cdk_events_rule_arn(n);
    else if (strcmp(k, "rule_name") == 0)
        v = cdk_events_rule_name(n);
    else
        return 0;
    if (v == NULL) { /* made on first use: out of memory */
        cdk_oom(n->app);
        return bind_raise(L, n->app);
    }
    bind_push_value(L, n->app, v);
    return 1;
}

/* ---- Schedule and RuleTargetInput ---- */

static void push_schedule(lua_State *L, const char *expr, int warn_minute)
{
    size_t len = strlen(expr);
    lschedule *u = cdk_newuserdata(L, sizeof *u + len);
    u->warn_minute = warn_minute;
    memcpy(u->expr, expr, len + 1);
    luaL_getmetatable(L, MT_SCHEDULE);
    lua_setmetatable(L, -2);
}

static int schedule_index(lua_State *L)
{
    lschedule *u = luaL_checkudata(L, 1, MT_SCHEDULE);
    const char *k = lua_tostring(L, 2);
    if (k && strcmp(k, "expression_string") == 0) {
        lua_pushstring(L, u->expr);
        return 1;
    }
    return 0;
}

static int schedule_tostring(lua_State *L)
{
    lschedule *u = luaL_checkudata(L, 1, MT_SCHEDULE);
    lua_pushfstring(L, "Schedule(%s)", u->expr);
    return 1;
}

static int l_schedule_rate(lua_State *L)
{
    bargs a = {"Schedule.rate", 0};
    lduration *d = bind_check_duration(L, &a, 1, NULL);
    cdk_app *h = bind_holder(L);
    const char *expr;
    if (cdk_events_schedule_rate(h, d->d, &expr) != CDK_OK)
        return bind_raise(L, h);
    push_schedule(L, expr, 0);
    return 1;
}

static int l_schedule_expression(lua_State *L)
{
    bargs a = {"Schedule.expression", 0};
    push_schedule(L, bind_check_string(L, &a, 1, NULL, NULL), 0);
    return 1;
}

static int l_schedule_cron(lua_State *L)
{
    static const char *const allowed[] = {"minute", "hour", "day", "month", "week_day", "year", NULL};
    bargs a = {"Schedule.cron", 0};
    if (!lua_istable(L, 1))
        bind_argerror(L, &a, 1, "table expected, got %s", bind_typename(L, 1));
    bind_props(L, &a, 1, allowed);
    cdk_app *h = bind_holder(L);
    cdk_events_cron c;
    c.minute = bind_opt_str(L, &a, 1, "minute", h);
    c.hour = bind_opt_str(L, &a, 1, "hour", h);
    c.day = bind_opt_str(L, &a, 1, "day", h);
    c.month = bind_opt_str(L, &a, 1, "month", h);
    c.week_day = bind_opt_str(L, &a, 1, "week_day", h);
    c.year = bind_opt_str(L, &a, 1, "year", h);
    const char *expr;
    if (cdk_events_schedule_cron(h, &c, &expr) != CDK_OK)
        return bind_raise(L, h);
    push_schedule(L, expr, c.minute == NULL || c.minute[0] == '\0');
    return 1;
}

static int make_input(lua_State *L, const char *fname, int kind)
{
    bargs a = {fname, 0};
    if (kind != 'o' && lua_type(L, 1) != LUA_TSTRING)
        bind_typeerror(L, &a, 1, NULL, "string");
    if (kind == 'o' && lua_isnoneornil(L, 1))
        bind_typeerror(L, &a, 1, NULL, "table");
    if (kind != 'o')
        bind_check_string(L, &a, 1, NULL, NULL);
    lua_settop(L, 1);
    linput *in = cdk_newuserdata(L, sizeof *in);
    in->kind = kind;
    lua_pushvalue(L, 1);
    cdk_setuv(L, -2);
    luaL_getmetatable(L, MT_INPUT);
    lua_setmetatable(L, -2);
    return 1;
}

static int l_input_from_text(lua_State *L) { return make_input(L, "RuleTargetInput.from_text", 't'); }
static int l_input_from_multiline_text(lua_State *L) { return make_input(L, "RuleTargetInput.from_multiline_text", 'm'); }
static int l_input_from_object(lua_State *L) { return make_input(L, "RuleTargetInput.from_object", 'o'); }
static int l_input_from_event_path(lua_State *L) { return make_input(L, "RuleTargetInput.from_event_path", 'p'); }

static int l_field_from_path(lua_State *L)
{
    bargs a = {"EventField.from_path", 0};
    const char *path = bind_check_string(L, &a, 1, NULL, NULL);
    cdk_app *h = bind_holder(L);
    cdk_value *v = cdk_events_field(h, path);
    if (v == NULL)
        return bind_error(L, "not enough memory");
    bind_push_value(L, h, v);
    return 1;
}

/* ---- targets ---- */

static void target_props(lua_State *L, const bargs *a, int idx, cdk_app *app, const char *input_field,
                         cdk_events_target_props *p, int base, int group)
{
    memset(p, 0, sizeof *p);
    if (bind_has(L, idx, input_field)) {
        lua_getfield(L, idx, input_field);
        if (luaL_testudata(L, -1, MT_INPUT) == NULL)
            bind_typeerror(L, a, idx, input_field, "RuleTargetInput");
        p->input = cdk_alloc(app, sizeof *p->input);
        if (p->input == NULL)
            bind_error(L, "not enough memory");
        input_of(L, lua_gettop(L), app, p->input);
        lua_pop(L, 1);
    }
    if (base) {
        p->dead_letter_queue = bind_opt_node(L, a, idx, "dead_letter_queue", "QueueBase");
        p->has_retry_attempts = bind_opt_num(L, a, idx, "retry_attempts", &p->retry_attempts);
        p->has_max_event_age = bind_opt_duration(L, a, idx, "max_event_age", &p->max_event_age);
    }
    if (group) {
        p->message_group_id = bind_opt_value(L, a, idx, "message_group_id", app);
        if (p->message_group_id && p->message_group_id->kind != CDK_STRING) {
            lua_getfield(L, idx, "message_group_id");
            bind_typeerror(L, a, idx, "message_group_id", "string");
        }
    }
}

static void push_target(lua_State *L, cdk_events_target *t, cdk_app *app)
{
    bind_push_app(L, app);
    ltarget *u = cdk_newuserdata(L, sizeof *u);
    u->t = t;
    luaL_getmetatable(L, MT_TARGET);
    lua_setmetatable(L, -2);
    lua_insert(L, -2);
    cdk_setuv(L, -2);
}

static int l_sns_target(lua_State *L)
{
    static const char *const allowed[] = {"message", NULL};
    bargs a = {"SnsTopic", SHIFT_CALL};
    cdk_node *topic = bind_check_node(L, &a, 2, "TopicBase");
    bind_props(L, &a, 3, allowed);
    cdk_events_target_props p;
    target_props(L, &a, 3, topic->app, "message", &p, 0, 0);
    cdk_events_target *t;
    if (cdk_events_sns_target(topic, &p, &t) != CDK_OK)
        return bind_raise(L, topic->app);
    push_target(L, t, topic->app);
    return 1;
}

static int l_sqs_target(lua_State *L)
{
    static const char *const allowed[] = {"message", "message_group_id", "dead_letter_queue", "retry_attempts",
                                          "max_event_age", NULL};
    bargs a = {"SqsQueue", SHIFT_CALL};
    cdk_node *queue = bind_check_node(L, &a, 2, "QueueBase");
    bind_props(L, &a, 3, allowed);
    cdk_events_target_props p;
    target_props(L, &a, 3, queue->app, "message", &p, 1, 1);
    cdk_events_target *t;
    if (cdk_events_sqs_target(queue, &p, &t) != CDK_OK)
        return bind_raise(L, queue->app);
    push_target(L, t, queue->app);
    return 1;
}

static int l_lambda_target(lua_State *L)
{
    static const char *const allowed[] = {"event", "dead_letter_queue", "retry_attempts", "max_event_age", NULL};
    bargs a = {"LambdaFunction", SHIFT_CALL};
    cdk_node *fn = bind_check_node(L, &a, 2, "FunctionBase");
    bind_props(L, &a, 3, allowed);
    cdk_events_target_props p;
    target_props(L, &a, 3, fn->app, "event", &p, 1, 0);
    cdk_events_target *t;
    if (cdk_events_lambda_target(fn, &p, &t) != CDK_OK)
        return bind_raise(L, fn->app);
    push_target(L, t, fn->app);
    return 1;
}

/* target:bind(rule, id): the configuration as a table, in the form a Lua target returns (for
 * targets that wrap targets). */
static int l_target_bind(lua_State *L)
{
    ltarget *u = luaL_testudata(L, 1, MT_TARGET);
    if (u == NULL)
        return bind_error(L, "calling 'bind' on bad self (event target expected, got %s)", bind_typename(L, 1));
    bargs a = {"bind", 1};
    cdk_node *rule = bind_check_node(L, &a, 2, "Rule");
    cdk_getuv(L, 1);
    lapp *owner = luaL_testudata(L, -1, MT_APP);
    if (owner == NULL || owner->app == NULL)
        return bind_error(L, "attempt to use a target of a closed App");
    if (owner->app != rule->app)
        return bind_error(L, "Event stack and target stack must belong to the same CDK app");
    lua_pop(L, 1);
    const char *id = bind_check_string(L, &a, 3, NULL, NULL);
    cdk_events_target_config c;
    memset(&c, 0, sizeof c);
    if (u->t->bind(u->t, rule, id, &c) != CDK_OK)
        return bind_raise(L, rule->app);
    lua_createtable(L, 0, 3);
    bind_push_value(L, rule->app, c.arn);
    lua_setfield(L, -2, "arn");
    if (c.id) {
        lua_pushstring(L, c.id);
        lua_setfield(L, -2, "id");
    }
    if (c.target_resource) {
        bind_push_node(L, c.target_resource);
        lua_setfield(L, -2, "target_resource");
    }
    /* what a Lua target returns for the same configuration, so that a wrapper loses nothing */
    const cdk_events_input *in = cdk_events_target_input(u->t);
    if (in) {
        linput *li = cdk_newuserdata(L, sizeof *li);
        li->kind = in->kind;
        bind_push_value(L, rule->app, in->value);
        cdk_setuv(L, -2);
        luaL_getmetatable(L, MT_INPUT);
        lua_setmetatable(L, -2);
        lua_setfield(L, -2, "input");
    }
    if (c.dead_letter_arn) {
        lua_createtable(L, 0, 1);
        bind_push_value(L, rule->app, c.dead_letter_arn);
        lua_setfield(L, -2, "arn");
        lua_setfield(L, -2, "dead_letter_config");
    }
    if (c.retry_attempts || c.max_event_age_seconds) {
        lua_createtable(L, 0, 2);
        if (c.retry_attempts) {
            bind_push_value(L, rule->app, c.retry_attempts);
            lua_setfield(L, -2, "maximum_retry_attempts");
        }
        if (c.max_event_age_seconds) {
            bind_push_value(L, rule->app, c.max_event_age_seconds);
            lua_setfield(L, -2, "maximum_event_age_in_seconds");
        }
        lua_setfield(L, -2, "retry_policy");
    }
    if (c.sqs_message_group_id) {
        lua_createtable(L, 0, 1);
        bind_push_value(L, rule->app, c.sqs_message_group_id);
        lua_setfield(L, -2, "message_group_id");
        lua_setfield(L, -2, "sqs_parameters");
    }
    return 1;
}

/* ---- ECR ---- */

static int ecr_on(lua_State *L, const char *fname, int kind)
{
    static const char *const base[] = {"target", "description", "rule_name", "event_pattern", NULL};
    static const char *const pushed[] = {"target", "description", "rule_name", "event_pattern", "image_tag", NULL};
    static const char *const scanned[] = {"target", "description", "rule_name", "event_pattern", "image_tags", NULL};
    cdk_node *repo = bind_test_node(L, 1);
    if (repo == NULL || cdk_ecr_repository_of(repo) == NULL)
        return bind_error(L, "calling '%s' on bad self (repository expected, got %s)", fname, bind_typename(L, 1));
    bargs a = {fname, 1};
    const char *id = bind_check_string(L, &a, 2, NULL, NULL);
    bind_props(L, &a, 3, kind == CDK_ECR_ON_CLOUD_TRAIL_IMAGE_PUSHED ? pushed
                         : kind == CDK_ECR_ON_IMAGE_SCAN_COMPLETED ? scanned : base);
    cdk_app *app = repo->app;
    cdk_events_rule_props p;
    rule_props(L, &a, 3, app, &p, 0);
    cdk_value *tag = NULL, *tags = NULL;
    if (kind == CDK_ECR_ON_CLOUD_TRAIL_IMAGE_PUSHED) {
        tag = bind_opt_value(L, &a, 3, "image_tag", app);
        if (tag && tag->kind != CDK_STRING) {
            lua_getfield(L, 3, "image_tag");
            bind_typeerror(L, &a, 3, "image_tag", "string");
        }
        if (tag && tag->len == 0)
            tag = NULL; /* CDK: options.imageTag ? [...] : undefined */
    }
    if (kind == CDK_ECR_ON_IMAGE_SCAN_COMPLETED && bind_has(L, 3, "image_tags")) {
        const char **l;
        long n = bind_opt_strlist(L, &a, 3, "image_tags", app, &l);
        tags = cdk_list(app);
        for (long i = 0; tags && i < n; i++)
            if (cdk_list_push(app, tags, cdk_str(app, l[i])) != CDK_OK)
                tags = NULL;
        if (tags == NULL)
            return bind_error(L, "not enough memory");
    }
    cdk_node *rule;
    if (cdk_ecr_on_event(repo, id, kind, &p, tag, tags, &rule) != CDK_OK)
        return bind_raise(L, app);
    bind_push_node(L, rule);
    int ridx = lua_gettop(L);
    if (bind_has(L, 3, "target")) {
        lua_getfield(L, 3, "target");
        add_target(L, &a, 3, "target", -1, rule, ridx);
        lua_pop(L, 1);
    }
    lua_settop(L, ridx);
    return 1;
}

static int l_on_event(lua_State *L) { return ecr_on(L, "on_event", CDK_ECR_ON_EVENT); }
static int l_on_cloud_trail_event(lua_State *L) { return ecr_on(L, "on_cloud_trail_event", CDK_ECR_ON_CLOUD_TRAIL_EVENT); }
static int l_on_cloud_trail_image_pushed(lua_State *L)
{
    return ecr_on(L, "on_cloud_trail_image_pushed", CDK_ECR_ON_CLOUD_TRAIL_IMAGE_PUSHED);
}
static int l_on_image_scan_completed(lua_State *L)
{
    return ecr_on(L, "on_image_scan_completed", CDK_ECR_ON_IMAGE_SCAN_COMPLETED);
}

void bind_open_events(lua_State *L)
{
    luaL_newmetatable(L, MT_TARGET);
    lua_newtable(L);
    lua_pushcfunction(L, l_target_bind);
    lua_setfield(L, -2, "bind");
    lua_setfield(L, -2, "__index");
    lua_pushstring(L, "event target");
    lua_setfield(L, -2, "__name");
    lua_pop(L, 1);
    luaL_newmetatable(L, MT_INPUT);
    lua_pushstring(L, "RuleTargetInput");
    lua_setfield(L, -2, "__name");
    lua_pop(L, 1);
    luaL_newmetatable(L, MT_SCHEDULE);
    lua_pushstring(L, "Schedule");
    lua_setfield(L, -2, "__name");
    lua_pushcfunction(L, schedule_index);
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, schedule_tostring);
    lua_setfield(L, -2, "__tostring");
    lua_pop(L, 1);

    static const luaL_Reg rule_methods[] = {
        {"add_target", l_rule_add_target},
        {"add_event_pattern", l_rule_add_event_pattern},
        {NULL, NULL},
    };
    bind_define_class(L, "Rule", "Resource", rule_methods, get_rule);
    static const luaL_Reg repo_methods[] = {
        {"on_event", l_on_event},
        {"on_cloud_trail_event", l_on_cloud_trail_event},
        {"on_cloud_trail_image_pushed", l_on_cloud_trail_image_pushed},
        {"on_image_scan_completed", l_on_image_scan_completed},
        {NULL, NULL},
    };
    bind_define_class(L, "RepositoryBase", NULL, repo_methods, NULL);

    lua_newtable(L);
    lua_pushcfunction(L, l_rule_new);
    lua_setfield(L, -2, "Rule");
    static const luaL_Reg schedule[] = {
        {"rate", l_schedule_rate}, {"cron", l_schedule_cron}, {"expression", l_schedule_expression}, {NULL, NULL},
    };
    lua_newtable(L);
    luaL_setfuncs(L, schedule, 0);
    lua_setfield(L, -2, "Schedule");
    static const luaL_Reg inputs[] = {
        {"from_text", l_input_from_text},
        {"from_multiline_text", l_input_from_multiline_text},
        {"from_object", l_input_from_object},
        {"from_event_path", l_input_from_event_path},
        {NULL, NULL},
    };
    lua_newtable(L);
    luaL_setfuncs(L, inputs, 0);
    lua_setfield(L, -2, "RuleTargetInput");
    lua_newtable(L);
    lua_pushcfunction(L, l_field_from_path);
    lua_setfield(L, -2, "from_path");
    lua_setfield(L, -2, "EventField");
    bind_push_l1(L, &cdk_events_cfn_rule);
    lua_setfield(L, -2, "CfnRule");
    bind_push_l1(L, &cdk_events_cfn_event_bus_policy);
    lua_setfield(L, -2, "CfnEventBusPolicy");
    lua_setfield(L, -2, "events");

    lua_newtable(L);
    lua_pushcfunction(L, l_sns_target);
    lua_setfield(L, -2, "SnsTopic");
    lua_pushcfunction(L, l_sqs_target);
    lua_setfield(L, -2, "SqsQueue");
    lua_pushcfunction(L, l_lambda_target);
    lua_setfield(L, -2, "LambdaFunction");
    lua_setfield(L, -2, "events_targets");
}
