/* lambda.c: the binding of `cdk.lambda`: Function.from_function_arn / from_function_attributes,
 * add_permission, and the L1 CfnPermission. */
#include <string.h>

#include "bind.h"
#include "cdk_lambda.h"


static int l_from_attributes(lua_State *L)
{
    static const char *const allowed[] = {"function_arn", "same_environment", "skip_permissions", "role", NULL};
    bargs a = {"from_function_attributes", 0};
    cdk_node *scope = bind_check_scope(L, &a, 1);
    const char *id = bind_check_string(L, &a, 2, NULL, NULL);
    if (!lua_istable(L, 3))
        bind_argerror(L, &a, 3, "table expected, got %s", bind_typename(L, 3));
    bind_props(L, &a, 3, allowed);
    cdk_value *arn = bind_opt_value(L, &a, 3, "function_arn", scope->app);
    if (arn == NULL || arn->kind != CDK_STRING) {
        lua_getfield(L, 3, "function_arn");
        bind_typeerror(L, &a, 3, "function_arn", "string");
    }
    int same = bind_opt_bool(L, &a, 3, "same_environment");
    int skip = bind_opt_bool(L, &a, 3, "skip_permissions");
    cdk_iam_principal *role = NULL;
    if (bind_has(L, 3, "role")) {
        lua_getfield(L, 3, "role");
        role = bind_check_grantee(L, &a, 3, "role");
        lua_pop(L, 1);
    }
    cdk_node *out;
    if (cdk_lambda_from_function_attributes(scope, id, arn, same, skip, role, &out) != CDK_OK)
        return bind_raise(L, scope->app);
    bind_push_node(L, out);
    return 1;
}

static int l_from_arn(lua_State *L)
{
    bargs a = {"from_function_arn", 0};
    cdk_node *scope = bind_check_scope(L, &a, 1);
    const char *id = bind_check_string(L, &a, 2, NULL, NULL);
    cdk_value *arn = bind_value(L, &a, 3, NULL, scope->app);
    if (arn->kind != CDK_STRING)
        bind_typeerror(L, &a, 3, NULL, "string");
    cdk_node *out;
    if (cdk_lambda_from_function_attributes(scope, id, arn, -1, 0, NULL, &out) != CDK_OK)
        return bind_raise(L, scope->app);
    bind_push_node(L, out);
    return 1;
}

static int l_add_permission(lua_State *L)
{
    static const char *const allowed[] = {"principal", "action", "source_arn", "source_account", "event_source_token",
                                          "function_url_auth_type", "scope", NULL};
    cdk_node *fn = bind_test_node(L, 1);
    if (fn == NULL || cdk_lambda_function_of(fn) == NULL)
        return bind_error(L, "calling 'add_permission' on bad self (Lambda function expected, got %s)", bind_typename(L, 1));
    bargs a = {"add_permission", 1};
    const char *id = bind_check_string(L, &a, 2, NULL, NULL);
    if (!lua_istable(L, 3))
        bind_argerror(L, &a, 3, "table expected, got %s", bind_typename(L, 3));
    bind_props(L, &a, 3, allowed);
    cdk_app *app = fn->app;
    cdk_lambda_permission p = {0};
    lua_getfield(L, 3, "principal");
    if (lua_isnil(L, -1))
        bind_fielderror(L, &a, 3, "principal", "required");
    p.principal = bind_check_grantee(L, &a, 3, "principal");
    lua_pop(L, 1);
    p.action = bind_opt_value(L, &a, 3, "action", app);
    p.source_arn = bind_opt_value(L, &a, 3, "source_arn", app);
    p.source_account = bind_opt_value(L, &a, 3, "source_account", app);
    p.event_source_token = bind_opt_value(L, &a, 3, "event_source_token", app);
    p.function_url_auth_type = bind_opt_value(L, &a, 3, "function_url_auth_type", app);
    p.scope = bind_opt_node(L, &a, 3, "scope", NULL);
    cdk_node *out;
    if (cdk_lambda_add_permission(fn, id, &p, &out) != CDK_OK)
        return bind_raise(L, app);
    return 0;
}

static int get_function(lua_State *L)
{
    cdk_node *n = bind_test_node(L, 1);
    cdk_lambda_function *f = cdk_lambda_function_of(n);
    const char *k = lua_tostring(L, 2);
    if (f == NULL)
        return 0;
    if (strcmp(k, "function_arn") == 0)
        bind_push_value(L, n->app, f->arn);
    else if (strcmp(k, "function_name") == 0)
        bind_push_value(L, n->app, f->name);
    else if (strcmp(k, "can_create_permissions") == 0)
        lua_pushboolean(L, f->can_create_permissions);
    else if (strcmp(k, "stack") == 0)
        bind_push_node(L, n->stack);
    else if (strcmp(k, "env") == 0) {
        lua_createtable(L, 0, 2);
        bind_push_value(L, n->app, f->phys.account);
        lua_setfield(L, -2, "account");
        bind_push_value(L, n->app, f->phys.region);
        lua_setfield(L, -2, "region");
    } else
        return 0;
    return 1;
}

void bind_open_lambda(lua_State *L)
{
    static const luaL_Reg methods[] = {{"add_permission", l_add_permission}, {NULL, NULL}};
    bind_define_class(L, "FunctionBase", "Resource", methods, get_function);
    bind_define_class(L, "ImportedFunction", "FunctionBase", NULL, NULL);
    lua_newtable(L);
    lua_pushcfunction(L, l_from_arn);
    lua_setfield(L, -2, "function_from_function_arn");
    lua_pushcfunction(L, l_from_attributes);
    lua_setfield(L, -2, "function_from_function_attributes");
    bind_push_l1(L, &cdk_lambda_cfn_permission);
    lua_setfield(L, -2, "CfnPermission");
    lua_setfield(L, -2, "lambda");
}
