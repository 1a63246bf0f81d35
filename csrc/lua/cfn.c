/* cfn.c: CloudFormation conditions in Lua: cdk.CfnCondition, the condition functions of cdk.Fn
 * (condition_and, condition_equals, ...; value_of, ref_all, value_of_all), and the
 * `cfn_options` of a CfnResource (condition, deletion and update-replace policies, metadata,
 * description, version). A CfnCondition converts to {"Condition": <logical ID>} wherever a value
 * is expected (bind.c). */
#include <string.h>

#include "bind.h"

#define MT_CFN_OPTIONS "cdk.CfnOptions"

/* ---- CfnCondition ---- */

static cdk_value *opt_expression(lua_State *L, const bargs *a, int idx, cdk_app *app)
{
    cdk_value *v = bind_opt_value(L, a, idx, "expression", app);
    if (v && v->kind != CDK_MAP && v->kind != CDK_TOKEN) {
        lua_getfield(L, idx, "expression");
        bind_typeerror(L, a, idx, "expression", "condition expression");
    }
    return v;
}

static int l_condition_new(lua_State *L)
{
    static const char *const allowed[] = {"expression", NULL};
    bargs a = {"CfnCondition", 1};
    cdk_node *scope = bind_check_scope(L, &a, 2);
    const char *id = bind_check_string(L, &a, 3, NULL, NULL);
    bind_props(L, &a, 4, allowed);
    cdk_value *expr = opt_expression(L, &a, 4, scope->app);
    cdk_node *out;
    if (cdk_cfn_condition_new(scope, id, expr, &out) != CDK_OK)
        return bind_raise(L, scope->app);
    bind_push_node(L, out);
    return 1;
}

static int get_condition(lua_State *L)
{
    cdk_node *n = bind_test_node(L, 1);
    if (strcmp(lua_tostring(L, 2), "expression") != 0)
        return 0;
    bind_push_value(L, n->app, cdk_cfn_condition_expression(n));
    return 1;
}

/* ---- Fn: condition intrinsics, made as tokens in the holder App ---- */

static void push_intrinsic(lua_State *L, cdk_app *h, const char *name, cdk_value *arg)
{
    cdk_value *v = cdk_fn_intrinsic1(h, name, arg);
    cdk_token *t = v ? cdk_token_intrinsic(h, v, NULL) : NULL;
    if (t == NULL)
        bind_error(L, "not enough memory");
    bind_push_token(L, t, h);
}

/* Arguments from..to (inclusive) as a list value; each must be given. */
static cdk_value *arg_list(lua_State *L, const bargs *a, int from, int to, cdk_app *h)
{
    cdk_value *list = cdk_list(h);
    for (int i = from; list && i <= to; i++) {
        cdk_value *v = bind_value(L, a, i, NULL, h);
        if (v->kind == CDK_UNDEFINED)
            bind_typeerror(L, a, i, NULL, "condition expression");
        if (cdk_list_push(h, list, v) != CDK_OK)
            list = NULL;
    }
    if (list == NULL)
        bind_error(L, "not enough memory");
    return list;
}

/* Fn.condition_and / condition_or: one condition is itself; more than 10 are nested in groups of
 * 10, as CloudFormation takes at most 10 (and CDK groups them). */
static int and_or(lua_State *L, const char *fname, const char *intrinsic)
{
    bargs a = {fname, 0};
    cdk_app *h = bind_holder(L);
    int n = lua_gettop(L);
    if (n == 0)
        return bind_error(L, "%s() needs at least one argument", fname);
    cdk_value *items = arg_list(L, &a, 1, n, h);
    while (items->len > 1) {
        size_t len = items->len;
        cdk_value *groups = cdk_list(h);
        for (size_t i = 0; groups && i < len; i += 10) {
            cdk_value *group = cdk_list(h);
            for (size_t k = i; group && k < len && k < i + 10; k++)
                if (cdk_list_push(h, group, items->u.list.items[k]) != CDK_OK)
                    group = NULL;
            cdk_value *fn = group ? cdk_fn_intrinsic1(h, intrinsic, group) : NULL;
            cdk_token *t = fn ? cdk_token_intrinsic(h, fn, NULL) : NULL;
            if (t == NULL || cdk_list_push(h, groups, cdk_tokv(h, t)) != CDK_OK)
                groups = NULL;
        }
        if (groups == NULL)
            return bind_error(L, "not enough memory");
        items = groups;
    }
    /* one argument: returned as it is */
    if (n == 1) {
        lua_settop(L, 1);
        return 1;
    }
    bind_push_value(L, h, items->u.list.items[0]);
    return 1;
}

static int l_condition_and(lua_State *L) { return and_or(L, "Fn.condition_and", "Fn::And"); }
static int l_condition_or(lua_State *L) { return and_or(L, "Fn.condition_or", "Fn::Or"); }

/* An intrinsic over exactly nargs arguments, as a list (or the one argument when single). */
static int fixed(lua_State *L, const char *fname, const char *intrinsic, int nargs, int single)
{
    bargs a = {fname, 0};
    cdk_app *h = bind_holder(L);
    cdk_value *args = arg_list(L, &a, 1, nargs, h);
    push_intrinsic(L, h, intrinsic, single ? args->u.list.items[0] : args);
    return 1;
}

static int l_condition_equals(lua_State *L) { return fixed(L, "Fn.condition_equals", "Fn::Equals", 2, 0); }
static int l_condition_not(lua_State *L) { return fixed(L, "Fn.condition_not", "Fn::Not", 1, 0); }
static int l_condition_contains(lua_State *L) { return fixed(L, "Fn.condition_contains", "Fn::Contains", 2, 0); }
static int l_condition_each_member_equals(lua_State *L)
{
    return fixed(L, "Fn.condition_each_member_equals", "Fn::EachMemberEquals", 2, 0);
}
static int l_condition_each_member_in(lua_State *L)
{
    return fixed(L, "Fn.condition_each_member_in", "Fn::EachMemberIn", 2, 0);
}

/* Fn.condition_if(condition_id, if_true, if_false): condition_id is the condition's logical ID
 * (a string, or cond.logical_id); a CfnCondition handle is taken for its logical ID too. */
static int l_condition_if(lua_State *L)
{
    bargs a = {"Fn.condition_if", 0};
    cdk_app *h = bind_holder(L);
    cdk_node *cond = bind_test_node(L, 1);
    if (cond && bind_is_class(L, cond, "CfnCondition")) {
        lua_getfield(L, 1, "logical_id");
        lua_replace(L, 1);
    }
    cdk_value *id = bind_value(L, &a, 1, NULL, h);
    if (id->kind != CDK_STRING)
        bind_typeerror(L, &a, 1, NULL, "string");
    cdk_value *args = cdk_list(h);
    if (args == NULL || cdk_list_push(h, args, id) != CDK_OK)
        return bind_error(L, "not enough memory");
    for (int i = 2; i <= 3; i++) {
        cdk_value *v = bind_value(L, &a, i, NULL, h);
        if (v->kind == CDK_UNDEFINED)
            bind_typeerror(L, &a, i, NULL, "value");
        if (cdk_list_push(h, args, v) != CDK_OK)
            return bind_error(L, "not enough memory");
    }
    push_intrinsic(L, h, "Fn::If", args);
    return 1;
}

/* Fn.value_of(parameter_or_logical_id, attribute): a string token. */
static int l_value_of(lua_State *L)
{
    bargs a = {"Fn.value_of", 0};
    cdk_app *h = bind_holder(L);
    for (int i = 1; i <= 2; i++)
        if (bind_value(L, &a, i, NULL, h)->kind != CDK_STRING)
            bind_typeerror(L, &a, i, NULL, "string");
    cdk_value *args = arg_list(L, &a, 1, 2, h);
    cdk_token *t = cdk_token_intrinsic(h, cdk_fn_intrinsic1(h, "Fn::ValueOf", args), NULL);
    bind_push_value(L, h, cdk_token_strv(h, t));
    return 1;
}

/* Fn.ref_all(parameter_type) and Fn.value_of_all(parameter_type, attribute): list tokens. */
static int list_fn(lua_State *L, const char *fname, const char *intrinsic, int nargs)
{
    bargs a = {fname, 0};
    cdk_app *h = bind_holder(L);
    for (int i = 1; i <= nargs; i++)
        if (bind_value(L, &a, i, NULL, h)->kind != CDK_STRING)
            bind_typeerror(L, &a, i, NULL, "string");
    cdk_value *args = arg_list(L, &a, 1, nargs, h);
    cdk_value *arg = nargs == 1 ? args->u.list.items[0] : args;
    cdk_token *t = cdk_token_intrinsic(h, cdk_fn_intrinsic1(h, intrinsic, arg), NULL);
    bind_push_value(L, h, cdk_token_listv(h, t));
    return 1;
}

static int l_ref_all(lua_State *L) { return list_fn(L, "Fn.ref_all", "Fn::RefAll", 1); }
static int l_value_of_all(lua_State *L) { return list_fn(L, "Fn.value_of_all", "Fn::ValueOfAll", 2); }

/* ---- cfn_options of a CfnResource ---- */

static cdk_node *options_resource(lua_State *L)
{
    lua_getfield(L, 1, "resource");
    cdk_node *n = bind_test_node(L, -1);
    lua_pop(L, 1);
    if (n == NULL)
        bind_error(L, "bad cfn_options (resource expected)");
    return n;
}

static const char *const option_names[] = {"condition", "deletion_policy", "update_replace_policy",
                                           "metadata", "description", "version", NULL};

static int option_index(lua_State *L, int idx)
{
    const char *k = lua_tostring(L, idx);
    for (int i = 0; k && option_names[i]; i++)
        if (strcmp(k, option_names[i]) == 0)
            return i;
    return bind_error(L, "cfn_options has no field '%s' (expected one of condition, deletion_policy, "
                         "update_replace_policy, metadata, description, version)",
                      k ? k : luaL_typename(L, idx));
}

static int l_options_index(lua_State *L)
{
    cdk_node *n = options_resource(L);
    cdk_resource *r = cdk_resource_of(n);
    switch (option_index(L, 2)) {
    case 0:
        if (r->condition)
            bind_push_node(L, r->condition);
        else
            lua_pushnil(L);
        break;
    case 1:
        lua_pushstring(L, r->deletion_policy);
        break;
    case 2:
        lua_pushstring(L, r->update_replace_policy);
        break;
    case 3:
        bind_push_value(L, n->app, r->metadata);
        break;
    case 4:
        bind_push_value(L, n->app, r->description);
        break;
    default:
        bind_push_value(L, n->app, r->version);
        break;
    }
    return 1;
}

/* CfnDeletionPolicy values: "Delete", "Retain", "Snapshot". */
static const char *check_policy(lua_State *L, const bargs *a, const char *field)
{
    static const char *const values[] = {"Delete", "Retain", "Snapshot", NULL};
    if (lua_isnil(L, 3))
        return NULL;
    const char *s = lua_type(L, 3) == LUA_TSTRING ? lua_tostring(L, 3) : NULL;
    for (int i = 0; s && values[i]; i++)
        if (strcmp(s, values[i]) == 0)
            return values[i];
    lua_pushvalue(L, 3);
    bind_typeerror(L, a, 2, field, "cdk.CfnDeletionPolicy (\"Delete\", \"Retain\" or \"Snapshot\")");
    return NULL;
}

static int l_options_newindex(lua_State *L)
{
    cdk_node *n = options_resource(L);
    cdk_resource *r = cdk_resource_of(n);
    bargs a = {"cfn_options", 0};
    int which = option_index(L, 2);
    const char *field = option_names[which];
    lua_settop(L, 3);
    lua_pushvalue(L, 3); /* the value, on top, for field messages */
    switch (which) {
    case 0: {
        cdk_node *c = lua_isnil(L, 3) ? NULL : bind_test_node(L, 3);
        if (!lua_isnil(L, 3) && (c == NULL || !bind_is_class(L, c, "CfnCondition")))
            bind_typeerror(L, &a, 2, field, "CfnCondition");
        if (c && c->app != n->app)
            bind_fielderror(L, &a, 2, field, "CfnCondition of another App");
        r->condition = c;
        break;
    }
    case 1:
        r->deletion_policy = check_policy(L, &a, field);
        break;
    case 2:
        r->update_replace_policy = check_policy(L, &a, field);
        break;
    case 3: {
        cdk_value *v = lua_isnil(L, 3) ? NULL : bind_value(L, &a, 2, field, n->app);
        if (v && v->kind != CDK_MAP)
            bind_typeerror(L, &a, 2, field, "table");
        r->metadata = v;
        break;
    }
    case 4: {
        cdk_value *v = lua_isnil(L, 3) ? NULL : bind_value(L, &a, 2, field, n->app);
        if (v && v->kind != CDK_STRING)
            bind_typeerror(L, &a, 2, field, "string");
        r->description = v;
        break;
    }
    default: {
        cdk_value *v = lua_isnil(L, 3) ? NULL : bind_value(L, &a, 2, field, n->app);
        if (v && v->kind != CDK_STRING)
            bind_typeerror(L, &a, 2, field, "string");
        r->version = v;
        break;
    }
    }
    return 0;
}

void bind_push_cfn_options(lua_State *L, int idx)
{
    idx = lua_absindex(L, idx);
    lua_createtable(L, 0, 1);
    lua_pushvalue(L, idx);
    lua_setfield(L, -2, "resource");
    luaL_setmetatable(L, MT_CFN_OPTIONS);
}

void bind_open_cfn(lua_State *L)
{
    /* the cdk module table on top */
    luaL_newmetatable(L, MT_CFN_OPTIONS);
    lua_pushcfunction(L, l_options_index);
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, l_options_newindex);
    lua_setfield(L, -2, "__newindex");
    lua_pop(L, 1);

    bind_define_class(L, "CfnCondition", "CfnElement", NULL, get_condition);
    lua_pushcfunction(L, l_condition_new);
    lua_setfield(L, -2, "CfnCondition");

    static const luaL_Reg fns[] = {
        {"condition_and", l_condition_and},
        {"condition_or", l_condition_or},
        {"condition_equals", l_condition_equals},
        {"condition_not", l_condition_not},
        {"condition_if", l_condition_if},
        {"condition_contains", l_condition_contains},
        {"condition_each_member_equals", l_condition_each_member_equals},
        {"condition_each_member_in", l_condition_each_member_in},
        {"value_of", l_value_of},
        {"ref_all", l_ref_all},
        {"value_of_all", l_value_of_all},
        {NULL, NULL},
    };
    lua_getfield(L, -1, "Fn");
    luaL_setfuncs(L, fns, 0);
    lua_pop(L, 1);
}
