/* sqs.c: the binding of `cdk.sqs`: Queue (props, grants, add_to_resource_policy, imports) and the
 * L1 resources CfnQueue and CfnQueuePolicy. */
#include <math.h>
#include <string.h>

#include "bind.h"
#include "cdk_sqs.h"

#define SHIFT_CALL 1


static int seconds(lua_State *L, const bargs *a, int idx, const char *field, cdk_app *app, double *out)
{
    cdk_duration d;
    if (!bind_opt_duration(L, a, idx, field, &d))
        return 0;
    if (cdk_duration_to(app, d, CDK_SECONDS, 1, out) != CDK_OK)
        bind_raise(L, app);
    return 1;
}

static int l_queue_new(lua_State *L)
{
    static const char *const allowed[] = {"queue_name", "retention_period", "delivery_delay", "max_message_size_bytes",
                                          "receive_message_wait_time", "visibility_timeout", "dead_letter_queue",
                                          "encryption", "encryption_master_key", "data_key_reuse", "fifo",
                                          "content_based_deduplication", "deduplication_scope", "fifo_throughput_limit",
                                          "removal_policy", NULL};
    static const char *const encryptions[] = {"NONE", "MANAGED", "KMS", NULL};
    static const char *const scopes[] = {"messageGroup", "queue", NULL};
    static const char *const limits[] = {"perQueue", "perMessageGroupId", NULL};
    bargs a = {"Queue", SHIFT_CALL};
    cdk_node *scope = bind_check_scope(L, &a, 2);
    const char *id = bind_check_string(L, &a, 3, NULL, NULL);
    bind_props(L, &a, 4, allowed);
    cdk_app *app = scope->app;
    cdk_sqs_queue_props p;
    memset(&p, 0, sizeof p);
    p.queue_name = bind_opt_value(L, &a, 4, "queue_name", app);
    if (p.queue_name && p.queue_name->kind != CDK_STRING) {
        lua_getfield(L, 4, "queue_name");
        bind_typeerror(L, &a, 4, "queue_name", "string");
    }
    p.has_retention = seconds(L, &a, 4, "retention_period", app, &p.retention_seconds);
    p.has_delivery_delay = seconds(L, &a, 4, "delivery_delay", app, &p.delivery_delay_seconds);
    p.has_receive_wait = seconds(L, &a, 4, "receive_message_wait_time", app, &p.receive_wait_seconds);
    p.has_visibility_timeout = seconds(L, &a, 4, "visibility_timeout", app, &p.visibility_timeout_seconds);
    p.has_data_key_reuse = seconds(L, &a, 4, "data_key_reuse", app, &p.data_key_reuse_seconds);
    p.has_max_message_size = bind_opt_num(L, &a, 4, "max_message_size_bytes", &p.max_message_size_bytes);
    if (bind_has(L, 4, "dead_letter_queue")) {
        static const char *const dlq_allowed[] = {"queue", "max_receive_count", NULL};
        lua_getfield(L, 4, "dead_letter_queue");
        int t = lua_gettop(L);
        if (!lua_istable(L, t))
            bind_typeerror(L, &a, 4, "dead_letter_queue", "table");
        /* its errors name argument 4's field dead_letter_queue.* */
        lua_pushnil(L);
        while (lua_next(L, t)) {
            lua_pop(L, 1);
            const char *k = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
            if (k == NULL || (strcmp(k, dlq_allowed[0]) != 0 && strcmp(k, dlq_allowed[1]) != 0))
                bind_fielderror(L, &a, 4, "dead_letter_queue", "unknown property '%s'", luaL_tolstring(L, -1, NULL));
        }
        lua_getfield(L, t, "queue");
        if (lua_isnil(L, -1))
            bind_fielderror(L, &a, 4, "dead_letter_queue.queue", "required");
        p.dead_letter_queue = bind_check_field_node(L, &a, 4, "dead_letter_queue.queue", "QueueBase");
        lua_getfield(L, t, "max_receive_count");
        if (lua_isnil(L, -1))
            bind_fielderror(L, &a, 4, "dead_letter_queue.max_receive_count", "required");
        if (lua_type(L, -1) != LUA_TNUMBER)
            bind_typeerror(L, &a, 4, "dead_letter_queue.max_receive_count", "number");
        p.max_receive_count = lua_tonumber(L, -1);
        p.has_max_receive_count = 1;
        if (isnan(p.max_receive_count) || isinf(p.max_receive_count))
            bind_fielderror(L, &a, 4, "dead_letter_queue.max_receive_count", "number must be finite, got %s",
                            lua_tostring(L, -1));
        lua_pop(L, 3);
    }
    int e = bind_opt_enum(L, &a, 4, "encryption", encryptions);
    p.encryption = e < 0 ? CDK_SQS_ENC_UNSET : (cdk_sqs_encryption)(e + 1);
    if (bind_has(L, 4, "encryption_master_key")) {
        lua_getfield(L, 4, "encryption_master_key");
        p.encryption_master_key_arn = bind_key_arn(L, &a, 4, "encryption_master_key", app, &p.encryption_master_key);
        lua_pop(L, 1);
    }
    p.fifo = bind_opt_bool(L, &a, 4, "fifo");
    p.content_based_deduplication = bind_opt_bool(L, &a, 4, "content_based_deduplication");
    int ds = bind_opt_enum(L, &a, 4, "deduplication_scope", scopes);
    p.deduplication_scope = ds < 0 ? NULL : scopes[ds];
    int fl = bind_opt_enum(L, &a, 4, "fifo_throughput_limit", limits);
    p.fifo_throughput_limit = fl < 0 ? NULL : limits[fl];
    p.removal_policy = bind_removal_policy(L, &a, 4, "removal_policy");
    cdk_node *out;
    if (cdk_sqs_queue_new(scope, id, &p, &out) != CDK_OK)
        return bind_raise(L, app);
    bind_push_node(L, out);
    return 1;
}

static int l_queue_from_attributes(lua_State *L)
{
    static const char *const allowed[] = {"queue_arn", "queue_name", "queue_url", "key_arn", "fifo", NULL};
    bargs a = {"from_queue_attributes", 0};
    cdk_node *scope = bind_check_scope(L, &a, 1);
    const char *id = bind_check_string(L, &a, 2, NULL, NULL);
    if (!lua_istable(L, 3))
        bind_argerror(L, &a, 3, "table expected, got %s", bind_typename(L, 3));
    bind_props(L, &a, 3, allowed);
    cdk_app *app = scope->app;
    cdk_value *arn = bind_opt_value(L, &a, 3, "queue_arn", app);
    if (arn == NULL || arn->kind != CDK_STRING) {
        lua_getfield(L, 3, "queue_arn");
        bind_typeerror(L, &a, 3, "queue_arn", "string");
    }
    cdk_value *name = bind_opt_value(L, &a, 3, "queue_name", app);
    cdk_value *url = bind_opt_value(L, &a, 3, "queue_url", app);
    cdk_value *key_arn = bind_opt_value(L, &a, 3, "key_arn", app);
    static const char *const strings[] = {"queue_name", "queue_url", "key_arn", NULL};
    cdk_value *const given[] = {name, url, key_arn};
    for (int i = 0; strings[i]; i++)
        if (given[i] && given[i]->kind != CDK_STRING) {
            lua_getfield(L, 3, strings[i]);
            bind_typeerror(L, &a, 3, strings[i], "string");
        }
    int fifo = bind_opt_bool(L, &a, 3, "fifo");
    cdk_node *out;
    if (cdk_sqs_queue_from_attributes(scope, id, arn, name, url, key_arn, fifo, &out) != CDK_OK)
        return bind_raise(L, app);
    bind_push_node(L, out);
    return 1;
}

static int l_queue_from_arn(lua_State *L)
{
    bargs a = {"from_queue_arn", 0};
    cdk_node *scope = bind_check_scope(L, &a, 1);
    const char *id = bind_check_string(L, &a, 2, NULL, NULL);
    cdk_value *arn = bind_value(L, &a, 3, NULL, scope->app);
    if (arn->kind != CDK_STRING)
        bind_typeerror(L, &a, 3, NULL, "string");
    cdk_node *out;
    if (cdk_sqs_queue_from_attributes(scope, id, arn, NULL, NULL, NULL, -1, &out) != CDK_OK)
        return bind_raise(L, scope->app);
    bind_push_node(L, out);
    return 1;
}

static cdk_node *self_queue(lua_State *L, const char *fname)
{
    cdk_node *n = bind_test_node(L, 1);
    if (n == NULL || cdk_sqs_queue_of(n) == NULL)
        bind_error(L, "calling '%s' on bad self (queue expected, got %s)", fname, bind_typename(L, 1));
    return n;
}

static int grant_kind(lua_State *L, const char *fname, int kind)
{
    cdk_node *n = self_queue(L, fname);
    bargs a = {fname, 1};
    cdk_iam_grant *g;
    if (cdk_sqs_grant_kind(n, bind_check_grantee(L, &a, 2, NULL), kind, &g) != CDK_OK)
        return bind_raise(L, n->app);
    bind_push_grant(L, g, n->app);
    return 1;
}

static int l_grant_send(lua_State *L) { return grant_kind(L, "grant_send_messages", 's'); }
static int l_grant_consume(lua_State *L) { return grant_kind(L, "grant_consume_messages", 'c'); }
static int l_grant_purge(lua_State *L) { return grant_kind(L, "grant_purge", 'p'); }

static int l_grant(lua_State *L)
{
    cdk_node *n = self_queue(L, "grant");
    bargs a = {"grant", 1};
    cdk_iam_principal *grantee = bind_check_grantee(L, &a, 2, NULL);
    cdk_value *actions = cdk_list(n->app);
    for (int i = 3; actions && i <= lua_gettop(L); i++) {
        cdk_value *v = bind_value(L, &a, i, NULL, n->app);
        if (v->kind != CDK_STRING)
            bind_typeerror(L, &a, i, NULL, "string");
        if (cdk_list_push(n->app, actions, v) != CDK_OK)
            actions = NULL;
    }
    cdk_iam_grant *g;
    if (actions == NULL || cdk_sqs_grant(n, grantee, actions, &g) != CDK_OK)
        return bind_raise(L, n->app);
    bind_push_grant(L, g, n->app);
    return 1;
}

static int l_add_to_resource_policy(lua_State *L)
{
    cdk_node *n = self_queue(L, "add_to_resource_policy");
    bargs a = {"add_to_resource_policy", 1};
    int added;
    if (cdk_sqs_add_to_resource_policy(n, bind_check_statement(L, &a, 2, NULL), &added) != CDK_OK)
        return bind_raise(L, n->app);
    lua_createtable(L, 0, 2);
    lua_pushboolean(L, added);
    lua_setfield(L, -2, "statement_added");
    cdk_sqs_queue *q = cdk_sqs_queue_of(n);
    if (added && q->policy) {
        bind_push_node(L, q->policy);
        lua_setfield(L, -2, "policy_dependable");
    }
    return 1;
}

static int get_queue(lua_State *L)
{
    cdk_node *n = bind_test_node(L, 1);
    cdk_sqs_queue *q = cdk_sqs_queue_of(n);
    const char *k = lua_tostring(L, 2);
    if (q == NULL)
        return 0;
    if (strcmp(k, "queue_arn") == 0)
        bind_push_value(L, n->app, q->arn);
    else if (strcmp(k, "queue_url") == 0)
        bind_push_value(L, n->app, q->url);
    else if (strcmp(k, "queue_name") == 0)
        bind_push_value(L, n->app, q->name);
    else if (strcmp(k, "fifo") == 0)
        lua_pushboolean(L, q->fifo);
    else if (strcmp(k, "encryption_master_key") == 0 && q->encryption_master_key)
        bind_push_node(L, q->encryption_master_key);
    else if (strcmp(k, "stack") == 0)
        bind_push_node(L, n->stack);
    else if (strcmp(k, "env") == 0) {
        lua_createtable(L, 0, 2);
        bind_push_value(L, n->app, q->phys.account);
        lua_setfield(L, -2, "account");
        bind_push_value(L, n->app, q->phys.region);
        lua_setfield(L, -2, "region");
    } else
        return 0;
    return 1;
}

void bind_open_sqs(lua_State *L)
{
    static const luaL_Reg methods[] = {
        {"grant", l_grant},
        {"grant_send_messages", l_grant_send},
        {"grant_consume_messages", l_grant_consume},
        {"grant_purge", l_grant_purge},
        {"add_to_resource_policy", l_add_to_resource_policy},
        {NULL, NULL},
    };
    bind_define_class(L, "QueueBase", "Resource", methods, get_queue);
    bind_define_class(L, "Queue", "QueueBase", NULL, NULL);
    bind_define_class(L, "ImportedQueue", "QueueBase", NULL, NULL);
    bind_define_class(L, "QueuePolicy", "Resource", NULL, NULL);
    lua_newtable(L);
    lua_pushcfunction(L, l_queue_new);
    lua_setfield(L, -2, "Queue");
    lua_pushcfunction(L, l_queue_from_arn);
    lua_setfield(L, -2, "queue_from_queue_arn");
    lua_pushcfunction(L, l_queue_from_attributes);
    lua_setfield(L, -2, "queue_from_queue_attributes");
    bind_push_l1(L, &cdk_sqs_cfn_queue);
    lua_setfield(L, -2, "CfnQueue");
    bind_push_l1(L, &cdk_sqs_cfn_queue_policy);
    lua_setfield(L, -2, "CfnQueuePolicy");
    lua_setfield(L, -2, "sqs");
}
