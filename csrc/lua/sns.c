/* sns.c: the binding of `cdk.sns`: Topic (props, grant_publish, add_to_resource_policy,
 * from_topic_arn) and the L1 resources CfnTopic and CfnTopicPolicy. */
#include <string.h>

#include "bind.h"
#include "cdk_sns.h"

#define SHIFT_CALL 1


static cdk_value *opt_string(lua_State *L, const bargs *a, int idx, const char *field, cdk_app *app)
{
    cdk_value *v = bind_opt_value(L, a, idx, field, app);
    if (v && v->kind != CDK_STRING) {
        lua_getfield(L, idx, field);
        bind_typeerror(L, a, idx, field, "string");
    }
    return v;
}

static int l_topic_new(lua_State *L)
{
    static const char *const allowed[] = {"topic_name", "display_name", "master_key", "content_based_deduplication",
                                          "fifo", NULL};
    bargs a = {"Topic", SHIFT_CALL};
    cdk_node *scope = bind_check_scope(L, &a, 2);
    const char *id = bind_check_string(L, &a, 3, NULL, NULL);
    bind_props(L, &a, 4, allowed);
    cdk_app *app = scope->app;
    cdk_sns_topic_props p = {0};
    p.topic_name = opt_string(L, &a, 4, "topic_name", app);
    p.display_name = opt_string(L, &a, 4, "display_name", app);
    p.content_based_deduplication = bind_opt_bool(L, &a, 4, "content_based_deduplication");
    p.fifo = bind_opt_bool(L, &a, 4, "fifo");
    if (bind_has(L, 4, "master_key")) {
        lua_getfield(L, 4, "master_key");
        cdk_node *key;
        p.master_key_arn = bind_key_arn(L, &a, 4, "master_key", app, &key);
        lua_pop(L, 1);
    }
    cdk_node *out;
    if (cdk_sns_topic_new(scope, id, &p, &out) != CDK_OK)
        return bind_raise(L, app);
    bind_push_node(L, out);
    return 1;
}

static int l_topic_from_arn(lua_State *L)
{
    bargs a = {"from_topic_arn", 0};
    cdk_node *scope = bind_check_scope(L, &a, 1);
    const char *id = bind_check_string(L, &a, 2, NULL, NULL);
    cdk_value *arn = bind_value(L, &a, 3, NULL, scope->app);
    if (arn->kind != CDK_STRING)
        bind_typeerror(L, &a, 3, NULL, "string");
    cdk_node *out;
    if (cdk_sns_topic_from_arn(scope, id, arn, &out) != CDK_OK)
        return bind_raise(L, scope->app);
    bind_push_node(L, out);
    return 1;
}

static cdk_node *self_topic(lua_State *L, const char *fname)
{
    cdk_node *n = bind_test_node(L, 1);
    if (n == NULL || cdk_sns_topic_of(n) == NULL)
        bind_error(L, "calling '%s' on bad self (topic expected, got %s)", fname, bind_typename(L, 1));
    return n;
}

static int l_grant_publish(lua_State *L)
{
    cdk_node *n = self_topic(L, "grant_publish");
    bargs a = {"grant_publish", 1};
    cdk_iam_grant *g;
    if (cdk_sns_grant_publish(n, bind_check_grantee(L, &a, 2, NULL), &g) != CDK_OK)
        return bind_raise(L, n->app);
    bind_push_grant(L, g, n->app);
    return 1;
}

static int l_add_to_resource_policy(lua_State *L)
{
    cdk_node *n = self_topic(L, "add_to_resource_policy");
    bargs a = {"add_to_resource_policy", 1};
    int added;
    if (cdk_sns_add_to_resource_policy(n, bind_check_statement(L, &a, 2, NULL), &added) != CDK_OK)
        return bind_raise(L, n->app);
    lua_createtable(L, 0, 2);
    lua_pushboolean(L, added);
    lua_setfield(L, -2, "statement_added");
    cdk_sns_topic *t = cdk_sns_topic_of(n);
    if (added && t->policy) {
        bind_push_node(L, t->policy);
        lua_setfield(L, -2, "policy_dependable");
    }
    return 1;
}

static int get_topic(lua_State *L)
{
    cdk_node *n = bind_test_node(L, 1);
    cdk_sns_topic *t = cdk_sns_topic_of(n);
    const char *k = lua_tostring(L, 2);
    if (t == NULL)
        return 0;
    if (strcmp(k, "topic_arn") == 0)
        bind_push_value(L, n->app, t->arn);
    else if (strcmp(k, "topic_name") == 0)
        bind_push_value(L, n->app, t->name);
    else if (strcmp(k, "fifo") == 0)
        lua_pushboolean(L, t->fifo);
    else if (strcmp(k, "stack") == 0)
        bind_push_node(L, n->stack);
    else if (strcmp(k, "env") == 0) {
        lua_createtable(L, 0, 2);
        bind_push_value(L, n->app, t->phys.account);
        lua_setfield(L, -2, "account");
        bind_push_value(L, n->app, t->phys.region);
        lua_setfield(L, -2, "region");
    } else
        return 0;
    return 1;
}

void bind_open_sns(lua_State *L)
{
    static const luaL_Reg methods[] = {
        {"grant_publish", l_grant_publish},
        {"add_to_resource_policy", l_add_to_resource_policy},
        {NULL, NULL},
    };
    bind_define_class(L, "TopicBase", "Resource", methods, get_topic);
    bind_define_class(L, "Topic", "TopicBase", NULL, NULL);
    bind_define_class(L, "ImportedTopic", "TopicBase", NULL, NULL);
    bind_define_class(L, "TopicPolicy", "Resource", NULL, NULL);
    lua_newtable(L);
    lua_pushcfunction(L, l_topic_new);
    lua_setfield(L, -2, "Topic");
    lua_pushcfunction(L, l_topic_from_arn);
    lua_setfield(L, -2, "topic_from_topic_arn");
    bind_push_l1(L, &cdk_sns_cfn_topic);
    lua_setfield(L, -2, "CfnTopic");
    bind_push_l1(L, &cdk_sns_cfn_topic_policy);
    lua_setfield(L, -2, "CfnTopicPolicy");
    lua_setfield(L, -2, "sns");
}
