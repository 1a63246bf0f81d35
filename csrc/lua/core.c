/* core.c: the binding of the core module `cdk`: App, Stack, Construct and the node API,
 * CfnResource/CfnOutput/CfnParameter, Fn, Aws, Token, Lazy, Tags and Duration. Each function
 * checks its arguments, converts them, calls the core and pushes the result or raises. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bind.h"

#define SHIFT_CALL 1   /* constructors are called through their class table's __call */

static const char *const NO_PROPS[] = {NULL};

static cdk_app *app_of(cdk_node *n)
{
    return n->app;
}

/* ---------------------------------------------------------------------------------------------
 * App */

/* The runtime that version reporting names (CDK names node.js/<version>). */
#if defined(LUAJIT_VERSION)
#define RUNTIME_AGENT "luajit/" LUAJIT_VERSION
#elif defined(LUA_VERSION_MAJOR)
#define RUNTIME_AGENT "lua/" LUA_VERSION_MAJOR "." LUA_VERSION_MINOR
#else
#define RUNTIME_AGENT "lua/5.1"
#endif

static int l_app_new(lua_State *L)
{
    static const char *const allowed[] = {"outdir", "context", "tree_metadata", "analytics_reporting", NULL};
    bargs a = {"App", SHIFT_CALL};
    bind_props(L, &a, 2, allowed);
    cdk_app_opts opts = {0};
    const char *outdir = NULL;
    if (bind_has(L, 2, "outdir")) {
        lua_getfield(L, 2, "outdir");
        outdir = bind_check_string(L, &a, 2, "outdir", NULL);
        lua_pop(L, 1);
    }
    opts.outdir = outdir;
    int tree = bind_opt_bool(L, &a, 2, "tree_metadata");
    opts.no_tree_metadata = tree == 0;
    int analytics = bind_opt_bool(L, &a, 2, "analytics_reporting");
    opts.analytics_reporting = analytics < 0 ? 0 : analytics ? 1 : -1;
    opts.runtime_agent = RUNTIME_AGENT;
    cJSON *ctx = NULL;
    if (bind_has(L, 2, "context")) {
        lua_getfield(L, 2, "context");
        if (!lua_istable(L, -1))
            bind_typeerror(L, &a, 2, "context", "table");
        ctx = bind_to_json(L, &a, 2, "context");
        lua_pop(L, 1);
    }
    char *ctx_text = ctx ? cJSON_PrintUnformatted(ctx) : NULL;
    cJSON_Delete(ctx);
    opts.props_context_json = ctx_text;
    lapp *u = cdk_newuserdata(L, sizeof *u);
    memset(u, 0, sizeof *u);
    luaL_getmetatable(L, MT_APP);
    lua_setmetatable(L, -2);
    u->app = cdk_app_new(&opts);
    free(ctx_text);
    if (u->app == NULL) {
        const char *env = getenv("CDK_CONTEXT_JSON");
        if (env && *env) {
            cJSON *probe = cJSON_ParseWithOpts(env, NULL, 1);
            int ok = probe && cJSON_IsObject(probe);
            cJSON_Delete(probe);
            if (!ok)
                return bind_error(L, "CDK_CONTEXT_JSON must be a JSON object: %s", env);
        }
        return bind_error(L, "not enough memory");
    }
    bind_register_app(L, u);
    return 1;
}

static int l_app_gc(lua_State *L)
{
    lapp *a = luaL_checkudata(L, 1, MT_APP);
    if (a->app) {
        cdk_app_free(a->app);
        a->app = NULL;
    }
    return 0;
}

static lapp *check_open_app(lua_State *L, int idx, const char *fname)
{
    lapp *a = luaL_testudata(L, idx, MT_APP);
    if (a == NULL) {
        bargs b = {fname, 1};
        bind_argerror(L, &b, idx, "App expected, got %s", bind_typename(L, idx));
    }
    if (a->app == NULL)
        bind_error(L, "attempt to use a closed App");
    return a;
}

/* Assembly stacks: template read back from the file on first access. */
static int l_assembly_stack_index(lua_State *L)
{
    if (lua_type(L, 2) != LUA_TSTRING || strcmp(lua_tostring(L, 2), "template") != 0)
        return 0;
    lua_getfield(L, 1, "template_path");
    const char *path = lua_tostring(L, -1);
    FILE *f = path ? fopen(path, "rb") : NULL;
    if (f == NULL)
        return bind_error(L, "cannot read %s", path ? path : "the template");
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    char chunk[8192];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        luaL_addlstring(&b, chunk, n);
    fclose(f);
    luaL_pushresult(&b);
    cJSON *j = cJSON_Parse(lua_tostring(L, -1));
    if (j == NULL)
        return bind_error(L, "cannot parse %s", path);
    bind_push_json(L, j);
    cJSON_Delete(j);
    lua_pushvalue(L, -1);
    lua_setfield(L, 1, "template");
    return 1;
}

static int l_assembly_get_stack(lua_State *L)
{
    bargs a = {"get_stack_by_name", 1};
    luaL_checktype(L, 1, LUA_TTABLE);
    const char *name = bind_check_string(L, &a, 2, NULL, NULL);
    lua_getfield(L, 1, "stacks");
    if (!lua_istable(L, -1))
        return bind_error(L, "get_stack_by_name: the assembly has no list of stacks");
    int n = (int)cdk_rawlen(L, -1);
    int found = 0;
    for (int i = 1; i <= n; i++) {
        lua_rawgeti(L, -1, i);
        if (lua_istable(L, -1))
            lua_getfield(L, -1, "stack_name");
        else
            lua_pushnil(L);
        /* the table is the user's: an entry edited into something else matches no name */
        if (lua_type(L, -1) == LUA_TSTRING && strcmp(lua_tostring(L, -1), name) == 0) {
            if (found)
                return bind_error(L, "There are multiple stacks with the stack name \"%s\". Use \"get_stack_artifact(id)\" instead", name);
            found = i;
        }
        lua_pop(L, 2);
    }
    if (!found)
        return bind_error(L, "Unable to find stack with stack name \"%s\"", name);
    lua_rawgeti(L, -1, found);
    return 1;
}

/* How many synth()/to_json()/resolve() calls are running on the App (kept in its userdata's
 * user value): Lua producers run inside them, and must not close the App the core is using, nor
 * synthesize it again. Returns the count after adding delta. */
static int app_busy(lua_State *L, cdk_app *app, int delta)
{
    bind_push_app(L, app);
    cdk_getuv(L, -1);
    lua_getfield(L, -1, "busy");
    int n = (int)lua_tointeger(L, -1) + delta;
    lua_pop(L, 1);
    if (delta) {
        lua_pushinteger(L, n);
        lua_setfield(L, -2, "busy");
    }
    lua_pop(L, 2);
    return n;
}

static int l_app_synth(lua_State *L)
{
    lapp *a = check_open_app(L, 1, "synth");
    if (app_busy(L, a->app, 0) > 0 || a->producing > 0)
        return bind_error(L, "app:synth() cannot run while the App is being synthesized or resolved");
    bind_begin(L, a->app);
    cdk_assembly *as;
    app_busy(L, a->app, 1);
    int rc = cdk_app_synth(a->app, &as);
    app_busy(L, a->app, -1);
    if (rc != CDK_OK)
        return bind_raise(L, a->app);
    a->synths++;
    lua_createtable(L, 0, 3);
    lua_pushstring(L, as->directory);
    lua_setfield(L, -2, "directory");
    lua_createtable(L, (int)as->nstacks, 0);
    for (size_t i = 0; i < as->nstacks; i++) {
        lua_createtable(L, 0, 4);
        lua_pushstring(L, as->stacks[i].name);
        lua_setfield(L, -2, "stack_name");
        lua_pushstring(L, as->stacks[i].artifact);
        lua_setfield(L, -2, "artifact_id");
        lua_pushstring(L, as->stacks[i].template_file);
        lua_setfield(L, -2, "template_file");
        lua_pushfstring(L, "%s/%s", as->directory, as->stacks[i].template_file);
        lua_setfield(L, -2, "template_path");
        lua_newtable(L);
        lua_pushcfunction(L, l_assembly_stack_index);
        lua_setfield(L, -2, "__index");
        lua_setmetatable(L, -2);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    cdk_assembly_free(as);
    lua_setfield(L, -2, "stacks");
    lua_pushcfunction(L, l_assembly_get_stack);
    lua_setfield(L, -2, "get_stack_by_name");
    return 1;
}

static int l_app_close(lua_State *L)
{
    lapp *a = luaL_checkudata(L, 1, MT_APP);
    if (a->app && (app_busy(L, a->app, 0) > 0 || a->producing > 0))
        return bind_error(L, "cannot close an App while it is being synthesized or resolved");
    return l_app_gc(L);
}

static int l_app_index(lua_State *L)
{
    lapp *a = luaL_checkudata(L, 1, MT_APP);
    const char *k = lua_tostring(L, 2);
    if (k == NULL)
        return 0;
    if (strcmp(k, "synth") == 0) {
        lua_pushcfunction(L, l_app_synth);
        return 1;
    }
    if (strcmp(k, "close") == 0) {
        lua_pushcfunction(L, l_app_close);
        return 1;
    }
    if (a->app == NULL)
        return bind_error(L, "attempt to use a closed App");
    if (strcmp(k, "node") == 0) {
        bind_push_cnode(L, cdk_app_root(a->app));
        return 1;
    }
    if (strcmp(k, "outdir") == 0) {
        lua_pushstring(L, cdk_app_outdir(a->app));
        return 1;
    }
    return 0;
}

static int l_app_tostring(lua_State *L)
{
    lapp *a = luaL_checkudata(L, 1, MT_APP);
    lua_pushstring(L, a->app ? "App" : "App (closed)");
    return 1;
}

/* ---------------------------------------------------------------------------------------------
 * Stack */

static int l_stack_new(lua_State *L)
{
    static const char *const allowed[] = {"env", "stack_name", "description", "tags", "termination_protection",
                                          "analytics_reporting", NULL};
    static const char *const env_allowed[] = {"account", "region", NULL};
    bargs a = {"Stack", SHIFT_CALL};
    cdk_node *scope = bind_check_scope(L, &a, 2);
    const char *id = bind_check_string(L, &a, 3, NULL, NULL);
    bind_props(L, &a, 4, allowed);
    cdk_app *app = app_of(scope);
    cdk_stack_props p = {0};
    p.termination_protection = bind_opt_bool(L, &a, 4, "termination_protection");
    int analytics = bind_opt_bool(L, &a, 4, "analytics_reporting");
    p.analytics_reporting = analytics < 0 ? 0 : analytics ? 1 : -1;
    p.stack_name = bind_opt_str(L, &a, 4, "stack_name", app);
    p.description = bind_opt_str(L, &a, 4, "description", app);
    if (bind_has(L, 4, "env")) {
        lua_getfield(L, 4, "env");
        if (!lua_istable(L, -1))
            bind_typeerror(L, &a, 4, "env", "table");
        int e = lua_gettop(L);
        lua_pushnil(L);
        while (lua_next(L, e)) {
            lua_pop(L, 1);
            const char *k = lua_tostring(L, -1);
            int ok = lua_type(L, -1) == LUA_TSTRING && (strcmp(k, "account") == 0 || strcmp(k, "region") == 0);
            if (!ok)
                bind_fielderror(L, &a, 4, "env", "unknown property '%s'", luaL_tolstring(L, -1, NULL));
        }
        (void)env_allowed;
        bargs ea = {"Stack", SHIFT_CALL};
        p.account = NULL;
        lua_getfield(L, e, "account");
        if (!lua_isnil(L, -1))
            p.account = cdk_strdup(app, bind_check_string(L, &ea, 4, "env.account", NULL));
        lua_pop(L, 1);
        lua_getfield(L, e, "region");
        if (!lua_isnil(L, -1))
            p.region = cdk_strdup(app, bind_check_string(L, &ea, 4, "env.region", NULL));
        lua_pop(L, 2);
    }
    if (bind_has(L, 4, "tags")) {
        lua_getfield(L, 4, "tags");
        if (!lua_istable(L, -1))
            bind_typeerror(L, &a, 4, "tags", "map of strings");
        int t = lua_gettop(L);
        size_t n = 0;
        lua_pushnil(L);
        while (lua_next(L, t)) {
            lua_pop(L, 1);
            n++;
        }
        const char **keys = cdk_alloc(app, (n + 1) * sizeof *keys);
        const char **vals = cdk_alloc(app, (n + 1) * sizeof *vals);
        if (keys == NULL || vals == NULL)
            return bind_error(L, "not enough memory");
        size_t i = 0;
        lua_pushnil(L);
        while (lua_next(L, t)) {
            if (lua_type(L, -2) != LUA_TSTRING)
                bind_fielderror(L, &a, 4, "tags", "keys must be strings");
            const char *k = lua_tostring(L, -2);
            const char *field = lua_pushfstring(L, "tags.%s", k);
            lua_pushvalue(L, -2);
            keys[i] = cdk_strdup(app, k);
            vals[i] = cdk_strdup(app, bind_check_string(L, &a, 4, field, NULL));
            i++;
            lua_pop(L, 3);
        }
        p.tag_keys = keys;
        p.tag_values = vals;
        p.ntags = n;
        lua_pop(L, 1);
    }
    cdk_node *out;
    if (cdk_stack_new(scope, id, &p, &out) != CDK_OK)
        return bind_raise(L, app);
    bind_push_node(L, out);
    return 1;
}

static int l_stack_of(lua_State *L)
{
    bargs a = {"Stack.of", 0};
    cdk_node *n = bind_check_scope(L, &a, 1);
    cdk_node *s;
    if (cdk_node_stack(n, &s) != CDK_OK)
        return bind_raise(L, n->app);
    bind_push_node(L, s);
    return 1;
}

static int l_stack_is_stack(lua_State *L)
{
    cdk_node *n = bind_test_node(L, 1);
    lua_pushboolean(L, n && n->is_stack);
    return 1;
}

static cdk_node *check_stack(lua_State *L, const char *fname)
{
    bargs a = {fname, 1};
    cdk_node *n = bind_test_node(L, 1);
    if (n == NULL || !n->is_stack)
        bind_error(L, "calling '%s' on bad self (Stack expected, got %s)", a.fname, bind_typename(L, 1));
    return n;
}

static int get_stack(lua_State *L)
{
    cdk_node *n = bind_test_node(L, 1);
    const char *k = lua_tostring(L, 2);
    cdk_app *app = n->app;
    if (strcmp(k, "account") == 0)
        bind_push_value(L, app, cdk_stack_account(n));
    else if (strcmp(k, "region") == 0)
        bind_push_value(L, app, cdk_stack_region(n));
    else if (strcmp(k, "partition") == 0)
        bind_push_value(L, app, cdk_stack_partition(n));
    else if (strcmp(k, "url_suffix") == 0)
        bind_push_value(L, app, cdk_stack_url_suffix(n));
    else if (strcmp(k, "stack_id") == 0)
        bind_push_value(L, app, cdk_aws_pseudo(app, "AWS::StackId"));
    else if (strcmp(k, "notification_arns") == 0)
        bind_push_value(L, app, cdk_aws_pseudo(app, "AWS::NotificationARNs"));
    else if (strcmp(k, "stack_name") == 0)
        lua_pushstring(L, cdk_stack_name(n));
    else if (strcmp(k, "artifact_id") == 0)
        lua_pushstring(L, cdk_stack_artifact_id(n));
    else if (strcmp(k, "template_file") == 0)
        lua_pushfstring(L, "%s.template.json", cdk_stack_artifact_id(n));
    else if (strcmp(k, "environment") == 0)
        lua_pushstring(L, cdk_stack_environment(n));
    else if (strcmp(k, "nested") == 0)
        lua_pushboolean(L, 0);
    else if (strcmp(k, "dependencies") == 0) {
        const cdk_nodelist *d = cdk_stack_dependencies(n);
        lua_createtable(L, (int)d->len, 0);
        for (size_t i = 0; i < d->len; i++) {
            bind_push_node(L, d->items[i]);
            lua_rawseti(L, -2, (lua_Integer)i + 1);
        }
    } else
        return 0;
    return 1;
}

static const char *const arn_formats[] = {
    "arn:aws:service:region:account:resource",
    "arn:aws:service:region:account:resource:resourceName",
    "arn:aws:service:region:account:resource/resourceName",
    "arn:aws:service:region:account:/resource/resourceName",
    NULL,
};

static int l_stack_format_arn(lua_State *L)
{
    static const char *const allowed[] = {"partition", "service", "region", "account", "resource",
                                          "resource_name", "sep", "arn_format", NULL};
    cdk_node *n = check_stack(L, "format_arn");
    bargs a = {"format_arn", 1};
    if (!lua_istable(L, 2))
        bind_argerror(L, &a, 2, "table expected, got %s", bind_typename(L, 2));
    bind_props(L, &a, 2, allowed);
    cdk_app *app = n->app;
    cdk_arn c = {0};
    c.partition = bind_opt_value(L, &a, 2, "partition", app);
    c.service = bind_opt_value(L, &a, 2, "service", app);
    c.region = bind_opt_value(L, &a, 2, "region", app);
    c.account = bind_opt_value(L, &a, 2, "account", app);
    c.resource = bind_opt_value(L, &a, 2, "resource", app);
    c.resource_name = bind_opt_value(L, &a, 2, "resource_name", app);
    c.sep = bind_opt_str(L, &a, 2, "sep", app);
    int f = bind_opt_enum(L, &a, 2, "arn_format", arn_formats);
    c.format = f < 0 ? CDK_ARN_NONE : f + 1;
    if (c.service == NULL)
        bind_fielderror(L, &a, 2, "service", "required");
    if (c.resource == NULL)
        bind_fielderror(L, &a, 2, "resource", "required");
    cdk_value *out;
    if (cdk_arn_format(n, &c, &out) != CDK_OK)
        return bind_raise(L, app);
    bind_push_value(L, app, out);
    return 1;
}

static void push_arn(lua_State *L, cdk_app *app, const cdk_arn *c)
{
    lua_newtable(L);
    struct { const char *k; cdk_value *v; } f[] = {
        {"partition", c->partition}, {"service", c->service}, {"region", c->region},
        {"account", c->account}, {"resource", c->resource}, {"resource_name", c->resource_name},
    };
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) {
        if (f[i].v) {
            bind_push_value(L, app, f[i].v);
            lua_setfield(L, -2, f[i].k);
        }
    }
    if (c->sep) {
        lua_pushstring(L, c->sep);
        lua_setfield(L, -2, "sep");
    }
    if (c->format > 0) {
        lua_pushstring(L, arn_formats[c->format - 1]);
        lua_setfield(L, -2, "arn_format");
    }
}

static int l_stack_split_arn(lua_State *L)
{
    cdk_node *n = check_stack(L, "split_arn");
    bargs a = {"split_arn", 1};
    cdk_value *arn = bind_value(L, &a, 2, NULL, n->app);
    if (arn->kind != CDK_STRING)
        bind_typeerror(L, &a, 2, NULL, "string");
    int f = 0;
    if (lua_type(L, 3) != LUA_TSTRING)
        bind_typeerror(L, &a, 3, NULL, "ArnFormat");
    for (; arn_formats[f] && strcmp(arn_formats[f], lua_tostring(L, 3)) != 0; f++)
        ;
    if (arn_formats[f] == NULL)
        bind_argerror(L, &a, 3, "ArnFormat expected, got '%s'", lua_tostring(L, 3));
    cdk_arn c;
    if (cdk_arn_split(n->app, arn, f + 1, &c) != CDK_OK)
        return bind_raise(L, n->app);
    push_arn(L, n->app, &c);
    return 1;
}

static int l_stack_add_dependency(lua_State *L)
{
    cdk_node *n = check_stack(L, "add_dependency");
    bargs a = {"add_dependency", 1};
    cdk_node *t = bind_check_node_any_app(L, &a, 2, "Stack"); /* CDK's stage-boundary error */
    const char *reason = lua_isnoneornil(L, 3) ? NULL : bind_check_string(L, &a, 3, NULL, NULL);
    if (cdk_stack_add_dependency(n, t, reason) != CDK_OK)
        return bind_raise(L, n->app);
    return 0;
}

static int l_stack_rename_logical_id(lua_State *L)
{
    cdk_node *n = check_stack(L, "rename_logical_id");
    bargs a = {"rename_logical_id", 1};
    const char *from = bind_check_string(L, &a, 2, NULL, NULL);
    const char *to = bind_check_string(L, &a, 3, NULL, NULL);
    if (cdk_stack_rename_logical_id(n, from, to) != CDK_OK)
        return bind_raise(L, n->app);
    return 0;
}

static int l_stack_to_json(lua_State *L)
{
    cdk_node *n = check_stack(L, "to_json");
    cJSON *j = NULL;
    bind_begin(L, n->app);
    app_busy(L, n->app, 1);
    int rc = cdk_stack_to_json(n, &j);
    app_busy(L, n->app, -1);
    if (rc != CDK_OK)
        return bind_raise(L, n->app);
    bind_push_json(L, j);
    cJSON_Delete(j);
    return 1;
}

static int l_stack_resolve(lua_State *L)
{
    cdk_node *n = check_stack(L, "resolve");
    bargs a = {"resolve", 1};
    cdk_value *v = bind_value(L, &a, 2, NULL, n->app);
    cJSON *j = NULL;
    bind_begin(L, n->app);
    app_busy(L, n->app, 1);
    int rc = cdk_resolve_in(n, v, &j);
    app_busy(L, n->app, -1);
    if (rc != CDK_OK)
        return bind_raise(L, n->app);
    bind_push_json(L, j);
    cJSON_Delete(j);
    return 1;
}

static int l_stack_get_logical_id(lua_State *L)
{
    cdk_node *n = check_stack(L, "get_logical_id");
    bargs a = {"get_logical_id", 1};
    cdk_node *el = bind_check_node(L, &a, 2, "CfnElement");
    const char *id;
    if (cdk_stack_get_logical_id(el, &id) != CDK_OK)
        return bind_raise(L, n->app);
    lua_pushstring(L, id);
    return 1;
}

/* ---------------------------------------------------------------------------------------------
 * Construct and the node API */

static int l_construct_new(lua_State *L)
{
    bargs a = {"Construct", SHIFT_CALL};
    cdk_node *scope = bind_check_scope(L, &a, 2);
    const char *id = bind_check_string(L, &a, 3, NULL, NULL);
    cdk_node *out;
    if (cdk_node_new(scope, id, &cdk_construct_class, 0, &out) != CDK_OK)
        return bind_raise(L, scope->app);
    bind_push_node(L, out);
    return 1;
}

static cdk_node *check_cnode(lua_State *L, const char *fname)
{
    lnode *h = luaL_testudata(L, 1, MT_CNODE);
    if (h == NULL)
        bind_error(L, "calling '%s' on bad self (node expected, got %s)", fname, bind_typename(L, 1));
    cdk_getuv(L, 1);
    lapp *a = lua_touserdata(L, -1);
    lua_pop(L, 1);
    if (a == NULL || a->app == NULL)
        bind_error(L, "attempt to use a construct of a closed App");
    return h->node;
}

static void push_scope(lua_State *L, cdk_node *n)
{
    if (n == NULL)
        lua_pushnil(L);
    else if (n->parent == NULL)
        bind_push_app(L, n->app);
    else
        bind_push_node(L, n);
}

static int l_node_find_child(lua_State *L)
{
    cdk_node *n = check_cnode(L, "find_child");
    bargs a = {"find_child", 1};
    const char *id = bind_check_string(L, &a, 2, NULL, NULL);
    cdk_node *c = cdk_node_find_child(n, luaL_gsub(L, id, "/", "--")); /* ids are kept sanitised */
    if (c == NULL)
        return bind_error(L, "No child with id: '%s'", id);
    bind_push_node(L, c);
    return 1;
}

static int l_node_try_find_child(lua_State *L)
{
    cdk_node *n = check_cnode(L, "try_find_child");
    bargs a = {"try_find_child", 1};
    const char *id = bind_check_string(L, &a, 2, NULL, NULL);
    cdk_node *c = cdk_node_find_child(n, luaL_gsub(L, id, "/", "--"));
    if (c == NULL) {
        lua_pushnil(L);
        return 1;
    }
    bind_push_node(L, c);
    return 1;
}

static int l_node_try_get_context(lua_State *L)
{
    cdk_node *n = check_cnode(L, "try_get_context");
    bargs a = {"try_get_context", 1};
    const char *key = bind_check_string(L, &a, 2, NULL, NULL);
    bind_push_json(L, cdk_node_try_get_context(n, key));
    return 1;
}

static int l_node_set_context(lua_State *L)
{
    cdk_node *n = check_cnode(L, "set_context");
    bargs a = {"set_context", 1};
    const char *key = bind_check_string(L, &a, 2, NULL, NULL);
    cJSON *j = bind_to_json(L, &a, 3, NULL);
    if (j == NULL && (j = cJSON_CreateNull()) == NULL) /* nil: JSON null (it was leaked) */
        return bind_error(L, "not enough memory");
    int rc = cdk_node_set_context(n, key, j);
    cJSON_Delete(j);
    if (rc != CDK_OK)
        return bind_raise(L, n->app);
    return 0;
}

static int l_node_add_dependency(lua_State *L)
{
    cdk_node *n = check_cnode(L, "add_dependency");
    bargs a = {"add_dependency", 1};
    int top = lua_gettop(L);
    for (int i = 2; i <= top; i++) {
        cdk_node *t = bind_check_node_any_app(L, &a, i, NULL); /* CDK's stage-boundary error */
        if (cdk_node_add_dependency(n, t) != CDK_OK)
            return bind_raise(L, n->app);
    }
    return 0;
}

/* node:add_metadata(type, data): an entry for the cloud assembly (Annotations use it). */
static int l_node_add_metadata(lua_State *L)
{
    cdk_node *n = check_cnode(L, "add_metadata");
    bargs a = {"add_metadata", 1};
    const char *type = bind_check_string(L, &a, 2, NULL, NULL);
    cdk_value *data = bind_value(L, &a, 3, NULL, n->app);
    if (data->kind == CDK_UNDEFINED) /* as CDK: no data, no entry */
        return 0;
    if (cdk_node_add_metadata(n, type, data) != CDK_OK)
        return bind_raise(L, n->app);
    return 0;
}

static void push_all(lua_State *L, cdk_node *n, int *i, int post)
{
    if (!post) {
        push_scope(L, n);
        lua_rawseti(L, -2, (*i)++);
    }
    for (cdk_node *c = n->first_child; c; c = c->next_sibling)
        push_all(L, c, i, post);
    if (post) {
        push_scope(L, n);
        lua_rawseti(L, -2, (*i)++);
    }
}

static int l_node_find_all(lua_State *L)
{
    cdk_node *n = check_cnode(L, "find_all");
    int post = 0;
    if (!lua_isnoneornil(L, 2)) {
        const char *order = luaL_checkstring(L, 2);
        if (strcmp(order, "postorder") == 0)
            post = 1;
        else if (strcmp(order, "preorder") != 0)
            return bind_error(L, "bad argument #1 to 'find_all' (\"preorder\" or \"postorder\" expected, got '%s')", order);
    }
    int i = 1;
    lua_newtable(L);
    push_all(L, n, &i, post);
    return 1;
}

static int l_cnode_index(lua_State *L)
{
    static const luaL_Reg methods[] = {
        {"find_child", l_node_find_child},
        {"try_find_child", l_node_try_find_child},
        {"try_get_context", l_node_try_get_context},
        {"set_context", l_node_set_context},
        {"add_dependency", l_node_add_dependency},
        {"find_all", l_node_find_all},
        {"add_metadata", l_node_add_metadata},
        {NULL, NULL},
    };
    cdk_node *n = check_cnode(L, "index");
    const char *k = lua_tostring(L, 2);
    if (k == NULL)
        return 0;
    for (const luaL_Reg *m = methods; m->name; m++) {
        if (strcmp(m->name, k) == 0) {
            lua_pushcfunction(L, m->func);
            return 1;
        }
    }
    if (strcmp(k, "id") == 0) {
        lua_pushstring(L, n->id);
    } else if (strcmp(k, "path") == 0) {
        lua_pushstring(L, n->path);
    } else if (strcmp(k, "scope") == 0) {
        push_scope(L, n->parent);
    } else if (strcmp(k, "root") == 0) {
        bind_push_app(L, n->app);
    } else if (strcmp(k, "children") == 0) {
        lua_createtable(L, (int)n->nchildren, 0);
        int i = 1;
        for (cdk_node *c = n->first_child; c; c = c->next_sibling) {
            bind_push_node(L, c);
            lua_rawseti(L, -2, i++);
        }
    } else if (strcmp(k, "scopes") == 0) {
        int depth = 0;
        for (cdk_node *p = n; p; p = p->parent)
            depth++;
        lua_createtable(L, depth, 0);
        int i = depth;
        for (cdk_node *p = n; p; p = p->parent) {
            push_scope(L, p);
            lua_rawseti(L, -2, i--);
        }
    } else if (strcmp(k, "default_child") == 0) {
        cdk_node *d;
        if (cdk_node_default_child(n, &d) != CDK_OK)
            return bind_raise(L, n->app);
        if (d == NULL)
            lua_pushnil(L);
        else
            bind_push_node(L, d);
    } else if (strcmp(k, "unique_id") == 0) {
        const char *u = cdk_node_unique_id(n);
        if (u == NULL)
            return bind_raise(L, n->app);
        lua_pushstring(L, u);
    } else if (strcmp(k, "metadata") == 0) {
        /* the entries added with add_metadata, as {type = ..., data = ...} */
        lua_newtable(L);
        int i = 1;
        for (const cdk_meta *m = cdk_node_x(n)->meta; m; m = m->next) {
            lua_createtable(L, 0, 2);
            lua_pushstring(L, m->type);
            lua_setfield(L, -2, "type");
            bind_push_value(L, n->app, m->data);
            lua_setfield(L, -2, "data");
            lua_rawseti(L, -2, i++);
        }
    } else if (strcmp(k, "dependencies") == 0) {
        const cdk_nodelist *deps = &cdk_node_x(n)->deps;
        lua_createtable(L, (int)deps->len, 0);
        for (size_t i = 0; i < deps->len; i++) {
            bind_push_node(L, deps->items[i]);
            lua_rawseti(L, -2, (lua_Integer)i + 1);
        }
    } else {
        return 0;
    }
    return 1;
}

static int l_cnode_newindex(lua_State *L)
{
    cdk_node *n = check_cnode(L, "newindex");
    const char *k = lua_tostring(L, 2);
    if (k && strcmp(k, "default_child") == 0) {
        bargs a = {"default_child", 0};
        cdk_node *child = lua_isnil(L, 3) ? NULL : bind_check_node(L, &a, 3, NULL);
        cdk_node_extra *x = cdk_node_x_own(n);
        if (x == NULL) {
            cdk_oom(n->app);
            return bind_raise(L, n->app);
        }
        x->default_child = child;
        return 0;
    }
    return bind_error(L, "cannot set field '%s' of a node", k ? k : "?");
}

static int l_cnode_tostring(lua_State *L)
{
    lnode *h = luaL_checkudata(L, 1, MT_CNODE);
    cdk_getuv(L, 1);
    lapp *a = lua_touserdata(L, -1);
    lua_pop(L, 1);
    /* a closed App's node is freed memory: name it without reading it */
    if (h->node == NULL || a == NULL || a->app == NULL) {
        lua_pushstring(L, "<node of a closed App>");
        return 1;
    }
    lua_pushfstring(L, "node %s", h->node->path[0] ? h->node->path : "<root>");
    return 1;
}

/* ---------------------------------------------------------------------------------------------
 * CloudFormation elements */

static cdk_node *check_element(lua_State *L, const char *fname, const char *cls)
{
    cdk_node *n = bind_test_node(L, 1);
    if (n == NULL || !bind_is_class(L, n, cls))
        bind_error(L, "calling '%s' on bad self (%s expected, got %s)", fname, cls, bind_typename(L, 1));
    return n;
}

static int produce_logical_id(cdk_rctx *ctx, void *ud, cdk_value **out)
{
    const char *id;
    int rc = cdk_logical_id(ud, &id);
    if (rc != CDK_OK)
        return rc;
    *out = cdk_str(ctx->app, id);
    return *out ? CDK_OK : cdk_oom(ctx->app);
}

static int get_element(lua_State *L)
{
    cdk_node *n = bind_test_node(L, 1);
    const char *k = lua_tostring(L, 2);
    if (strcmp(k, "logical_id") == 0) {
        cdk_token *t = cdk_token_lazy(n->app, produce_logical_id, n, 0, 's');
        if (t == NULL)
            return bind_error(L, "not enough memory");
        t->hint = cdk_sprintf(n->app, "%s.LogicalID", n->path);
        bind_push_value(L, n->app, cdk_token_strv(n->app, t));
        return 1;
    }
    if (strcmp(k, "stack") == 0) {
        bind_push_node(L, n->stack);
        return 1;
    }
    return 0;
}

static int get_resource(lua_State *L)
{
    cdk_node *n = bind_test_node(L, 1);
    const char *k = lua_tostring(L, 2);
    cdk_resource *r = cdk_resource_of(n);
    if (strcmp(k, "ref") == 0) {
        bind_push_value(L, n->app, cdk_resource_ref(n));
        return 1;
    }
    if (strcmp(k, "cfn_options") == 0) {
        bind_push_cfn_options(L, 1);
        return 1;
    }
    if (strcmp(k, "cfn_resource_type") == 0) {
        lua_pushstring(L, r->type);
        return 1;
    }
    if (r->schema && strncmp(k, "attr_", 5) == 0) {
        /* attr_repository_uri -> RepositoryUri */
        for (const char *const *at = r->schema->attrs; at && *at; at++) {
            char snake[128];
            size_t j = 0;
            for (const char *c = *at; *c && j + 2 < sizeof snake; c++) {
                if (*c >= 'A' && *c <= 'Z') {
                    if (c != *at && !(c[-1] >= 'A' && c[-1] <= 'Z'))
                        snake[j++] = '_';
                    snake[j++] = (char)(*c - 'A' + 'a');
                } else if (*c == '.') {
                    snake[j++] = '_';
                } else {
                    snake[j++] = *c;
                }
            }
            snake[j] = '\0';
            if (strcmp(snake, k + 5) == 0) {
                bind_push_value(L, n->app, cdk_resource_att(n, *at));
                return 1;
            }
        }
    }
    if (r->schema) {
        const cdk_prop *p = cdk_schema_find(r->schema, k);
        if (p) {
            if (n->tags && strcmp(k, "tags") == 0) {
                bind_push_value(L, n->app, cdk_tags_render(n->tags));
                return 1;
            }
            bind_push_value(L, n->app, cdk_map_get(r->props, k));
            return 1;
        }
    }
    return 0;
}

/* The properties of an L1 are fields, as in CDK (cfn_repo.repository_name = "x"); nil unsets one.
 * The tags of a taggable L1 are its TagManager's, not a field. */
static int set_resource(lua_State *L)
{
    cdk_node *n = bind_test_node(L, 1);
    cdk_resource *r = cdk_resource_of(n);
    const char *k = lua_tostring(L, 2);
    const cdk_prop *p = r && r->schema ? cdk_schema_find(r->schema, k) : NULL;
    if (p == NULL || (n->tags && strcmp(k, "tags") == 0)) {
        lua_pushboolean(L, 0);
        return 1;
    }
    bargs a = {r->schema->name, 0};
    if (lua_isnil(L, 3)) {
        if (p->required)
            bind_argerror(L, &a, 2, "missing required property '%s'", p->name);
        cdk_map_del(r->props, p->name);
    } else if (cdk_map_set(n->app, r->props, p->name, bind_schema_value(L, &a, 2, 3, p, n->app)) != CDK_OK) {
        return bind_error(L, "not enough memory");
    }
    lua_pushboolean(L, 1);
    return 1;
}

static int l_cfn_resource_new(lua_State *L)
{
    static const char *const allowed[] = {"type", "properties", NULL};
    bargs a = {"CfnResource", SHIFT_CALL};
    cdk_node *scope = bind_check_scope(L, &a, 2);
    const char *id = bind_check_string(L, &a, 3, NULL, NULL);
    if (!lua_istable(L, 4))
        bind_argerror(L, &a, 4, "table expected, got %s", bind_typename(L, 4));
    bind_props(L, &a, 4, allowed);
    cdk_app *app = scope->app;
    const char *type = bind_opt_str(L, &a, 4, "type", app);
    if (type == NULL)
        return bind_error(L, "The `type` property is required");
    cdk_value *props = bind_opt_value(L, &a, 4, "properties", app);
    if (props && props->kind != CDK_MAP) {
        lua_getfield(L, 4, "properties");
        bind_typeerror(L, &a, 4, "properties", "table");
    }
    cdk_node *out;
    if (cdk_cfn_resource_new(scope, id, type, NULL, props, NULL, &out) != CDK_OK)
        return bind_raise(L, app);
    bind_push_node(L, out);
    return 1;
}

/* The generic L1 constructor: upvalue 1 is the schema. */
static int l_l1_new(lua_State *L)
{
    const cdk_schema *s = lua_touserdata(L, lua_upvalueindex(1));
    bargs a = {s->name, SHIFT_CALL};
    cdk_node *scope = bind_check_scope(L, &a, 2);
    const char *id = bind_check_string(L, &a, 3, NULL, NULL);
    cdk_value *props = bind_schema_props(L, &a, 4, s, scope->app);
    cdk_node *out;
    if (cdk_cfn_resource_new(scope, id, s->cfn_type, s, props, NULL, &out) != CDK_OK)
        return bind_raise(L, scope->app);
    bind_push_node(L, out);
    return 1;
}

void bind_push_l1(lua_State *L, const cdk_schema *s);
void bind_push_l1(lua_State *L, const cdk_schema *s)
{
    lua_pushlightuserdata(L, (void *)s);
    lua_pushcclosure(L, l_l1_new, 1);
    bind_define_class(L, s->name, "CfnResource", NULL, NULL);
}

static cdk_node *check_resource(lua_State *L, const char *fname)
{
    return check_element(L, fname, "CfnResource");
}

static int l_res_add_depends_on(lua_State *L)
{
    cdk_node *n = check_resource(L, "add_depends_on");
    bargs a = {"add_depends_on", 1};
    cdk_node *t = bind_check_node_any_app(L, &a, 2, "CfnResource"); /* CDK's stage-boundary error */
    if (cdk_resource_add_depends_on(n, t) != CDK_OK)
        return bind_raise(L, n->app);
    return 0;
}

static int override(lua_State *L, const char *fname, const char *prefix, int del)
{
    cdk_node *n = check_resource(L, fname);
    bargs a = {fname, 1};
    const char *path = bind_check_string(L, &a, 2, NULL, NULL);
    cdk_value *v = del ? cdk_undefined() : bind_value(L, &a, 3, NULL, n->app);
    if (!del && v->kind == CDK_UNDEFINED)
        bind_argerror(L, &a, 3, "value expected (use %s for deletions)",
                      prefix[0] ? "add_property_deletion_override" : "add_deletion_override");
    const char *full = prefix[0] ? cdk_sprintf(n->app, "%s%s", prefix, path) : path;
    if (full == NULL || cdk_resource_add_override(n, full, v) != CDK_OK)
        return bind_raise(L, n->app);
    return 0;
}

static int l_res_add_override(lua_State *L) { return override(L, "add_override", "", 0); }
static int l_res_add_deletion_override(lua_State *L) { return override(L, "add_deletion_override", "", 1); }
static int l_res_add_property_override(lua_State *L) { return override(L, "add_property_override", "Properties.", 0); }
static int l_res_add_property_deletion_override(lua_State *L)
{
    return override(L, "add_property_deletion_override", "Properties.", 1);
}

static int l_res_apply_removal_policy(lua_State *L)
{
    static const char *const allowed[] = {"apply_to_update_replace_policy", "default", NULL};
    cdk_node *n = check_resource(L, "apply_removal_policy");
    bargs a = {"apply_removal_policy", 1};
    cdk_removal_policy p = bind_removal_policy(L, &a, 2, NULL);
    bind_props(L, &a, 3, allowed);
    int upd = bind_opt_bool(L, &a, 3, "apply_to_update_replace_policy");
    cdk_removal_policy d = bind_removal_policy(L, &a, 3, "default");
    if (cdk_resource_apply_removal_policy(n, p, d, upd != 0) != CDK_OK)
        return bind_raise(L, n->app);
    return 0;
}

static int l_res_get_att(lua_State *L)
{
    cdk_node *n = check_element(L, "get_att", "CfnElement");
    bargs a = {"get_att", 1};
    const char *attr = bind_check_string(L, &a, 2, NULL, NULL);
    cdk_token *t = cdk_ref_for(n, attr);
    if (t == NULL)
        return bind_error(L, "not enough memory");
    bind_push_token(L, t, n->app);
    return 1;
}

static int l_el_override_logical_id(lua_State *L)
{
    cdk_node *n = check_element(L, "override_logical_id", "CfnElement");
    bargs a = {"override_logical_id", 1};
    const char *id = bind_check_string(L, &a, 2, NULL, NULL);
    if (cdk_element_override_logical_id(n, id) != CDK_OK)
        return bind_raise(L, n->app);
    return 0;
}

static int l_res_add_metadata(lua_State *L)
{
    cdk_node *n = check_resource(L, "add_metadata");
    bargs a = {"add_metadata", 1};
    const char *k = bind_check_string(L, &a, 2, NULL, NULL);
    cdk_value *v = bind_value(L, &a, 3, NULL, n->app);
    if (cdk_resource_add_metadata(n, k, v) != CDK_OK)
        return bind_raise(L, n->app);
    return 0;
}

static int l_res_get_metadata(lua_State *L)
{
    cdk_node *n = check_resource(L, "get_metadata");
    bargs a = {"get_metadata", 1};
    const char *k = bind_check_string(L, &a, 2, NULL, NULL);
    cdk_resource *r = cdk_resource_of(n);
    bind_push_value(L, n->app, r->metadata ? cdk_map_get(r->metadata, k) : NULL);
    return 1;
}

static int l_output_new(lua_State *L)
{
    static const char *const allowed[] = {"value", "description", "export_name", "condition", NULL};
    bargs a = {"CfnOutput", SHIFT_CALL};
    cdk_node *scope = bind_check_scope(L, &a, 2);
    const char *id = bind_check_string(L, &a, 3, NULL, NULL);
    if (!lua_istable(L, 4))
        bind_argerror(L, &a, 4, "table expected, got %s", bind_typename(L, 4));
    bind_props(L, &a, 4, allowed);
    cdk_app *app = scope->app;
    cdk_output_props p = {0};
    p.value = bind_opt_value(L, &a, 4, "value", app);
    p.description = bind_opt_value(L, &a, 4, "description", app);
    p.export_name = bind_opt_value(L, &a, 4, "export_name", app);
    p.condition = bind_opt_node(L, &a, 4, "condition", "CfnCondition");
    if (p.description && p.description->kind != CDK_STRING) {
        lua_getfield(L, 4, "description");
        bind_typeerror(L, &a, 4, "description", "string");
    }
    if (p.export_name && p.export_name->kind != CDK_STRING) {
        lua_getfield(L, 4, "export_name");
        bind_typeerror(L, &a, 4, "export_name", "string");
    }
    cdk_node *out;
    if (cdk_cfn_output_new(scope, id, &p, &out) != CDK_OK)
        return bind_raise(L, app);
    bind_push_node(L, out);
    return 1;
}

static int get_output(lua_State *L)
{
    cdk_node *n = bind_test_node(L, 1);
    const char *k = lua_tostring(L, 2);
    const cdk_output_props *p = n->impl;
    if (strcmp(k, "value") == 0)
        bind_push_value(L, n->app, p->value);
    else if (strcmp(k, "description") == 0)
        bind_push_value(L, n->app, p->description);
    else if (strcmp(k, "export_name") == 0)
        bind_push_value(L, n->app, p->export_name);
    else if (strcmp(k, "condition") == 0 && p->condition)
        bind_push_node(L, p->condition);
    else
        return 0;
    return 1;
}

/* value, description, export_name and condition are fields, as in CDK (a nil value is refused:
 * an output needs one). */
static int set_output(lua_State *L)
{
    cdk_node *n = bind_test_node(L, 1);
    cdk_output_props *p = n->impl;
    const char *k = lua_tostring(L, 2);
    bargs a = {"CfnOutput", 0};
    lua_settop(L, 3);
    lua_pushvalue(L, 3); /* the value, on top, for field messages */
    if (strcmp(k, "value") == 0) {
        cdk_value *v = bind_value(L, &a, 2, k, n->app);
        if (v->kind == CDK_UNDEFINED)
            bind_fielderror(L, &a, 2, k, "value expected");
        p->value = v;
    } else if (strcmp(k, "description") == 0 || strcmp(k, "export_name") == 0) {
        cdk_value *v = lua_isnil(L, 3) ? NULL : bind_value(L, &a, 2, k, n->app);
        if (v && v->kind != CDK_STRING)
            bind_typeerror(L, &a, 2, k, "string");
        if (k[0] == 'd')
            p->description = v;
        else
            p->export_name = v;
    } else if (strcmp(k, "condition") == 0) {
        cdk_node *c = lua_isnil(L, 3) ? NULL : bind_test_node(L, 3);
        if (!lua_isnil(L, 3) && (c == NULL || !bind_is_class(L, c, "CfnCondition")))
            bind_typeerror(L, &a, 2, k, "CfnCondition");
        if (c && c->app != n->app)
            bind_fielderror(L, &a, 2, k, "CfnCondition of another App");
        p->condition = c;
    } else {
        lua_pushboolean(L, 0);
        return 1;
    }
    lua_pushboolean(L, 1);
    return 1;
}

static int l_parameter_new(lua_State *L)
{
    static const char *const allowed[] = {"type", "default", "allowed_pattern", "allowed_values",
                                          "constraint_description", "description", "max_length",
                                          "max_value", "min_length", "min_value", "no_echo", NULL};
    bargs a = {"CfnParameter", SHIFT_CALL};
    cdk_node *scope = bind_check_scope(L, &a, 2);
    const char *id = bind_check_string(L, &a, 3, NULL, NULL);
    bind_props(L, &a, 4, allowed);
    cdk_app *app = scope->app;
    cdk_parameter_props p = {0};
    p.type = bind_opt_str(L, &a, 4, "type", app);
    p.default_value = bind_opt_value(L, &a, 4, "default", app);
    p.allowed_pattern = bind_opt_value(L, &a, 4, "allowed_pattern", app);
    p.allowed_values = bind_opt_value(L, &a, 4, "allowed_values", app);
    p.constraint_description = bind_opt_value(L, &a, 4, "constraint_description", app);
    p.description = bind_opt_value(L, &a, 4, "description", app);
    double d;
    if (bind_opt_num(L, &a, 4, "max_length", &d))
        p.max_length = cdk_num(app, d);
    if (bind_opt_num(L, &a, 4, "max_value", &d))
        p.max_value = cdk_num(app, d);
    if (bind_opt_num(L, &a, 4, "min_length", &d))
        p.min_length = cdk_num(app, d);
    if (bind_opt_num(L, &a, 4, "min_value", &d))
        p.min_value = cdk_num(app, d);
    p.no_echo = bind_opt_bool(L, &a, 4, "no_echo");
    cdk_node *out;
    if (cdk_cfn_parameter_new(scope, id, &p, &out) != CDK_OK)
        return bind_raise(L, app);
    bind_push_node(L, out);
    return 1;
}

/* Its props are fields, as in CDK (param.default = 5); nil unsets one (type goes back to String). */
static int set_parameter(lua_State *L)
{
    cdk_node *n = bind_test_node(L, 1);
    cdk_parameter_props *p = n->impl; /* the first member of the parameter */
    const char *k = lua_tostring(L, 2);
    bargs a = {"CfnParameter", 0};
    lua_settop(L, 3);
    lua_pushvalue(L, 3); /* the value, on top, for field messages */
    int isnil = lua_isnil(L, 3);
    cdk_value **slot = strcmp(k, "default") == 0                  ? &p->default_value
                       : strcmp(k, "allowed_pattern") == 0        ? &p->allowed_pattern
                       : strcmp(k, "allowed_values") == 0         ? &p->allowed_values
                       : strcmp(k, "constraint_description") == 0 ? &p->constraint_description
                       : strcmp(k, "description") == 0            ? &p->description
                                                                  : NULL;
    cdk_value **num = strcmp(k, "max_length") == 0   ? &p->max_length
                      : strcmp(k, "max_value") == 0  ? &p->max_value
                      : strcmp(k, "min_length") == 0 ? &p->min_length
                      : strcmp(k, "min_value") == 0  ? &p->min_value
                                                     : NULL;
    if (slot) {
        *slot = isnil ? NULL : bind_value(L, &a, 2, k, n->app);
    } else if (num) {
        if (!isnil && lua_type(L, 3) != LUA_TNUMBER)
            bind_typeerror(L, &a, 2, k, "number");
        *num = isnil ? NULL : bind_value(L, &a, 2, k, n->app);
    } else if (strcmp(k, "no_echo") == 0) {
        if (!isnil && lua_type(L, 3) != LUA_TBOOLEAN)
            bind_typeerror(L, &a, 2, k, "boolean");
        p->no_echo = isnil ? -1 : lua_toboolean(L, 3);
    } else if (strcmp(k, "type") == 0) {
        const char *t = isnil ? "String" : bind_check_string(L, &a, 2, k, NULL);
        if ((t = cdk_strdup(n->app, t)) == NULL)
            return bind_error(L, "not enough memory");
        p->type = t;
    } else {
        lua_pushboolean(L, 0);
        return 1;
    }
    lua_pushboolean(L, 1);
    return 1;
}

static int get_parameter(lua_State *L)
{
    cdk_node *n = bind_test_node(L, 1);
    const char *k = lua_tostring(L, 2);
    int as = 0;
    if (strcmp(k, "value_as_string") == 0)
        as = 's';
    else if (strcmp(k, "value_as_number") == 0)
        as = 'n';
    else if (strcmp(k, "value_as_list") == 0)
        as = 'l';
    else if (strcmp(k, "value") == 0)
        as = 'a';
    else if (strcmp(k, "type") == 0) {
        lua_pushstring(L, cdk_parameter_type(n));
        return 1;
    } else {
        const cdk_parameter_props *p = n->impl;
        const cdk_value *v = strcmp(k, "default") == 0                  ? p->default_value
                             : strcmp(k, "allowed_pattern") == 0        ? p->allowed_pattern
                             : strcmp(k, "allowed_values") == 0         ? p->allowed_values
                             : strcmp(k, "constraint_description") == 0 ? p->constraint_description
                             : strcmp(k, "description") == 0            ? p->description
                             : strcmp(k, "max_length") == 0             ? p->max_length
                             : strcmp(k, "max_value") == 0              ? p->max_value
                             : strcmp(k, "min_length") == 0             ? p->min_length
                             : strcmp(k, "min_value") == 0              ? p->min_value
                                                                        : NULL;
        if (v) {
            bind_push_value(L, n->app, v);
            return 1;
        }
        if (strcmp(k, "no_echo") == 0 && p->no_echo >= 0) {
            lua_pushboolean(L, p->no_echo);
            return 1;
        }
        return 0;
    }
    cdk_value *v;
    if (cdk_parameter_value(n, as, &v) != CDK_OK)
        return bind_raise(L, n->app);
    bind_push_value(L, n->app, v);
    return 1;
}

/* ---------------------------------------------------------------------------------------------
 * Fn, Aws, Token, Lazy: App-less tokens live in the holder App */

static int l_fn_join(lua_State *L)
{
    bargs a = {"Fn.join", 0};
    cdk_app *h = bind_holder(L);
    const char *delim = bind_check_string(L, &a, 1, NULL, NULL);
    cdk_value *list = bind_value(L, &a, 2, NULL, h);
    if (list->kind != CDK_LIST && !(list->kind == CDK_MAP && list->len == 0))
        bind_typeerror(L, &a, 2, NULL, "list");
    if (list->kind != CDK_LIST || list->len == 0)
        return bind_error(L, "FnJoin requires at least one value to be provided");
    bind_push_value(L, h, cdk_fn_join(h, delim, list));
    return 1;
}

static int l_fn_select(lua_State *L)
{
    bargs a = {"Fn.select", 0};
    cdk_app *h = bind_holder(L);
    /* CDK takes a number token for the index too (a parameter's value_as_number, say) */
    int tok = lua_type(L, 1) == LUA_TNUMBER && cdk_num_is_token(lua_tonumber(L, 1));
    if (!tok && !cdk_isinteger(L, 1))
        bind_typeerror(L, &a, 1, NULL, "integer");
    double d = lua_tonumber(L, 1);
    if (tok) {
        cdk_value *tlist = bind_value(L, &a, 2, NULL, h);
        if (tlist->kind != CDK_LIST)
            bind_typeerror(L, &a, 2, NULL, "list");
        bind_push_value(L, h, cdk_fn_select(h, d, tlist));
        return 1;
    }
    if (d < -2147483648.0 || d > 2147483647.0) {
        char num[40];
        cdk_js_number(d, num);
        bind_argerror(L, &a, 1, "index out of range, got %s", num);
    }
    int index = (int)d;
    cdk_value *list = bind_value(L, &a, 2, NULL, h);
    if (list->kind != CDK_LIST)
        bind_typeerror(L, &a, 2, NULL, "list");
    int literal = !cdk_is_unresolved(list);
    for (size_t i = 0; literal && i < list->len; i++)
        if (cdk_is_unresolved(list->u.list.items[i]))
            literal = 0;
    if (literal) {
        if (index < 0 || (size_t)index >= list->len)
            return 0;
        bind_push_value(L, h, list->u.list.items[index]);
        return 1;
    }
    bind_push_value(L, h, cdk_fn_select(h, index, list));
    return 1;
}

static int l_fn_split(lua_State *L)
{
    bargs a = {"Fn.split", 0};
    cdk_app *h = bind_holder(L);
    size_t dl;
    const char *delim = bind_check_string(L, &a, 1, NULL, &dl);
    cdk_value *src = bind_value(L, &a, 2, NULL, h);
    if (src->kind != CDK_STRING)
        bind_typeerror(L, &a, 2, NULL, "string");
    if (!cdk_is_unresolved(src)) {
        /* a literal: split now */
        lua_newtable(L);
        const char *s = src->u.str.ptr, *end = s + src->len;
        int i = 1;
        if (dl == 0) {
            /* one element per character, as JavaScript's split('') (the string is valid UTF-8) */
            while (s < end) {
                unsigned char c = (unsigned char)*s;
                size_t n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
                if (n > (size_t)(end - s))
                    n = (size_t)(end - s);
                lua_pushlstring(L, s, n);
                lua_rawseti(L, -2, i++);
                s += n;
            }
            return 1;
        }
        for (;;) {
            const char *q = NULL;
            for (const char *p = s; p + dl <= end; p++)
                if (memcmp(p, delim, dl) == 0) {
                    q = p;
                    break;
                }
            lua_pushlstring(L, s, q ? (size_t)(q - s) : (size_t)(end - s));
            lua_rawseti(L, -2, i++);
            if (!q)
                break;
            s = q + dl;
        }
        return 1;
    }
    if (cdk_str_is_unresolved(delim, dl))
        return bind_error(L, "Fn.split: 'delimiter' may not be a token value");
    cdk_value *list = cdk_fn_split(h, delim, src);
    if (!lua_isnoneornil(L, 3)) {
        if (!cdk_isinteger(L, 3))
            bind_typeerror(L, &a, 3, NULL, "integer");
        double d = lua_tonumber(L, 3);
        if (d < 0 || d > 65535) {
            char num[40];
            cdk_js_number(d, num);
            bind_argerror(L, &a, 3, "assumed length must be between 0 and 65535, got %s", num);
        }
        int n = (int)d;
        lua_createtable(L, n > 0 ? n : 0, 0);
        for (int i = 0; i < n; i++) {
            bind_push_value(L, h, cdk_fn_select(h, i, list));
            lua_rawseti(L, -2, i + 1);
        }
        return 1;
    }
    bind_push_value(L, h, list);
    return 1;
}

static int l_fn_get_att(lua_State *L)
{
    bargs a = {"Fn.get_att", 0};
    cdk_app *h = bind_holder(L);
    cdk_value *lid = bind_value(L, &a, 1, NULL, h);
    cdk_value *attr = bind_value(L, &a, 2, NULL, h);
    if (lid->kind != CDK_STRING)
        bind_typeerror(L, &a, 1, NULL, "string");
    if (attr->kind != CDK_STRING)
        bind_typeerror(L, &a, 2, NULL, "string");
    cdk_value *v = cdk_fn_get_att(h, lid, attr);
    if (v == NULL)
        return bind_error(L, "not enough memory");
    bind_push_token(L, v->u.token, h);
    return 1;
}

static int fn_string1(lua_State *L, const char *fname, const char *intrinsic)
{
    bargs a = {fname, 0};
    cdk_app *h = bind_holder(L);
    /* CDK types these as strings: a number or table would be written as it is, unnoticed */
    if (lua_type(L, 1) != LUA_TSTRING && !luaL_testudata(L, 1, MT_TOKEN))
        bind_typeerror(L, &a, 1, NULL, "string");
    cdk_value *v = bind_value(L, &a, 1, NULL, h);
    cdk_token *t = cdk_token_intrinsic(h, cdk_fn_intrinsic1(h, intrinsic, v), NULL);
    bind_push_value(L, h, cdk_token_strv(h, t));
    return 1;
}

static int l_fn_import_value(lua_State *L) { return fn_string1(L, "Fn.import_value", "Fn::ImportValue"); }
static int l_fn_ref(lua_State *L) { return fn_string1(L, "Fn.ref", "Ref"); }
static int l_fn_base64(lua_State *L) { return fn_string1(L, "Fn.base64", "Fn::Base64"); }

static int l_fn_get_azs(lua_State *L)
{
    bargs a = {"Fn.get_azs", 0};
    cdk_app *h = bind_holder(L);
    if (!lua_isnoneornil(L, 1) && lua_type(L, 1) != LUA_TSTRING && !luaL_testudata(L, 1, MT_TOKEN))
        bind_typeerror(L, &a, 1, NULL, "string");
    cdk_value *v = lua_isnoneornil(L, 1) ? cdk_str(h, "") : bind_value(L, &a, 1, NULL, h);
    cdk_token *t = cdk_token_intrinsic(h, cdk_fn_intrinsic1(h, "Fn::GetAZs", v), NULL);
    bind_push_value(L, h, cdk_token_listv(h, t));
    return 1;
}

static int l_fn_sub(lua_State *L)
{
    bargs a = {"Fn.sub", 0};
    cdk_app *h = bind_holder(L);
    cdk_value *body = bind_value(L, &a, 1, NULL, h);
    if (body->kind != CDK_STRING)
        bind_typeerror(L, &a, 1, NULL, "string");
    cdk_value *vars = lua_isnoneornil(L, 2) ? NULL : bind_value(L, &a, 2, NULL, h);
    if (vars && vars->kind != CDK_MAP)
        bind_typeerror(L, &a, 2, NULL, "map");
    bind_push_value(L, h, cdk_fn_sub(h, body, vars));
    return 1;
}

static int l_aws_pseudo(lua_State *L)
{
    cdk_app *h = bind_holder(L);
    const char *name = luaL_checkstring(L, 1);
    cdk_value *v = cdk_aws_pseudo(h, name);
    if (v == NULL)
        return bind_error(L, "unknown pseudo parameter '%s'", name);
    bind_push_value(L, h, v);
    return 1;
}

static int l_token_is_unresolved(lua_State *L)
{
    if (luaL_testudata(L, 1, MT_TOKEN)) {
        lua_pushboolean(L, 1);
        return 1;
    }
    int t = lua_type(L, 1);
    int r = 0;
    if (t == LUA_TSTRING) {
        size_t n;
        const char *s = lua_tolstring(L, 1, &n);
        r = cdk_str_is_unresolved(s, n);
    } else if (t == LUA_TNUMBER) {
        r = cdk_num_is_token(lua_tonumber(L, 1));
    } else if (t == LUA_TTABLE && cdk_rawlen(L, 1) == 1) {
        lua_rawgeti(L, 1, 1);
        size_t n;
        const char *s = lua_type(L, -1) == LUA_TSTRING ? lua_tolstring(L, -1, &n) : NULL;
        r = s && n > 10 && strncmp(s, "#{Token[", 8) == 0;
        lua_pop(L, 1);
    }
    lua_pushboolean(L, r);
    return 1;
}

/* The token handle at idx (NULL if it is none); raises for a token of a closed App, whose
 * token lived in that App's freed arena. */
static ltoken *open_token(lua_State *L, int idx)
{
    ltoken *t = luaL_testudata(L, idx, MT_TOKEN);
    if (t == NULL)
        return NULL;
    cdk_getuv(L, idx);
    lapp *a = lua_touserdata(L, -1);
    lua_pop(L, 1);
    if (a == NULL || a->app == NULL)
        bind_error(L, "attempt to use a token of a closed App");
    return t;
}

/* The token a value stands for, in the App that knows it (holder, or any App). */
static cdk_token *find_token(lua_State *L, int idx, cdk_app **owner, const char *fname)
{
    ltoken *t = open_token(L, idx);
    if (t) {
        *owner = t->app;
        return t->tok;
    }
    cdk_app *h = bind_holder(L);
    bargs a = {fname, 0};
    cdk_value *v = bind_value(L, &a, idx, NULL, h);
    /* the holder falls back on nothing: look in every live App */
    cdk_token *tok = cdk_token_of(h, v);
    *owner = h;
    if (tok == NULL) {
        lua_getfield(L, LUA_REGISTRYINDEX, "cdk.apps");
        lua_pushnil(L);
        while (tok == NULL && lua_next(L, -2)) {
            lapp *la = lua_touserdata(L, -1);
            if (la && la->app && !la->holder) {
                tok = cdk_token_of(la->app, v);
                if (tok)
                    *owner = la->app;
            }
            lua_pop(L, 1);
        }
        if (tok)
            lua_pop(L, 1);
        lua_pop(L, 1);
    }
    return tok;
}

/* CDK's Token.asAny of a plain value: a token that resolves to the value (a table: a raw intrinsic
 * such as { ["Fn::FindInMap"] = {...} }). */
static cdk_token *value_token(lua_State *L, const char *fname)
{
    cdk_app *h = bind_holder(L);
    bargs a = {fname, 0};
    cdk_token *t = cdk_token_intrinsic(h, bind_value(L, &a, 1, NULL, h), NULL);
    if (t == NULL)
        bind_error(L, "not enough memory");
    return t;
}

static int l_token_as_string(lua_State *L)
{
    if (lua_type(L, 1) == LUA_TSTRING) {
        lua_pushvalue(L, 1);
        return 1;
    }
    cdk_app *owner;
    cdk_token *t = find_token(L, 1, &owner, "Token.as_string");
    if (t == NULL && (lua_type(L, 1) == LUA_TTABLE || lua_type(L, 1) == LUA_TBOOLEAN)) {
        owner = bind_holder(L);
        t = value_token(L, "Token.as_string");
    }
    if (t == NULL) {
        if (lua_type(L, 1) == LUA_TNUMBER) {
            /* as CDK's Token.asString(42): a token that resolves to the number itself */
            cdk_app *h = bind_holder(L);
            double x = lua_tonumber(L, 1);
            if (isnan(x) || isinf(x))
                return bind_error(L, "bad argument #1 to 'Token.as_string' (number must be finite, got %s)",
                                  lua_tostring(L, 1));
            cdk_token *nt = cdk_token_intrinsic(h, cdk_num(h, x), NULL);
            const char *s = nt ? cdk_token_str(h, nt) : NULL;
            if (s == NULL)
                return bind_error(L, "not enough memory");
            lua_pushstring(L, s);
            return 1;
        }
        return bind_error(L,
                          "bad argument #1 to 'Token.as_string' (token, string, number, boolean or table expected, "
                          "got %s)",
                          bind_typename(L, 1));
    }
    lua_pushstring(L, cdk_token_str(owner, t));
    return 1;
}

static int l_token_as_number(lua_State *L)
{
    if (lua_type(L, 1) == LUA_TNUMBER) {
        lua_pushvalue(L, 1);
        return 1;
    }
    cdk_app *owner;
    cdk_token *t = find_token(L, 1, &owner, "Token.as_number");
    if (t == NULL && lua_type(L, 1) == LUA_TTABLE) {
        owner = bind_holder(L);
        t = value_token(L, "Token.as_number");
    }
    if (t == NULL)
        return bind_error(L, "bad argument #1 to 'Token.as_number' (token, number or table expected, got %s)",
                          bind_typename(L, 1));
    lua_pushnumber(L, cdk_token_num(owner, t));
    return 1;
}

static int l_token_as_list(lua_State *L)
{
    if (lua_type(L, 1) == LUA_TTABLE) {
        lua_pushvalue(L, 1);
        return 1;
    }
    cdk_app *owner;
    cdk_token *t = find_token(L, 1, &owner, "Token.as_list");
    if (t == NULL)
        return bind_error(L, "bad argument #1 to 'Token.as_list' (token or list expected, got %s)",
                          bind_typename(L, 1));
    lua_createtable(L, 1, 0);
    lua_pushstring(L, cdk_token_list_elem(owner, t));
    lua_rawseti(L, -2, 1);
    return 1;
}

static int l_token_tostring(lua_State *L)
{
    ltoken *t = open_token(L, 1);
    if (t == NULL)
        return bind_error(L, "calling 'to_string' on bad self (token expected, got %s)", bind_typename(L, 1));
    const char *s = cdk_token_str(t->app, t->tok);
    if (s == NULL)
        return bind_error(L, "not enough memory");
    lua_pushstring(L, s);
    return 1;
}

static int l_token_concat(lua_State *L)
{
    luaL_tolstring(L, 1, NULL);
    luaL_tolstring(L, 2, NULL);
    lua_concat(L, 2);
    return 1;
}

static int l_token_index(lua_State *L)
{
    const char *k = lua_tostring(L, 2);
    if (k && strcmp(k, "to_string") == 0) {
        lua_pushcfunction(L, l_token_tostring);
        return 1;
    }
    return 0;
}

/* Lua has one empty table for [] and {}: what a list producer (or an any producer that omits
 * empty arrays) returns as {} is the empty list. */
static int produce_list(cdk_rctx *ctx, void *ud, cdk_value **out)
{
    int rc = bind_produce(ctx, ud, out);
    if (rc == CDK_OK && *out && (*out)->kind == CDK_MAP && (*out)->len == 0)
        *out = cdk_list(ctx->app);
    return rc;
}

static int lazy(lua_State *L, const char *fname, int type, int cache)
{
    static const char *const allowed_list[] = {"produce", "display_hint", "omit_empty", NULL};
    static const char *const allowed_any[] = {"produce", "display_hint", "omit_empty_array", NULL};
    static const char *const allowed[] = {"produce", "display_hint", NULL};
    bargs a = {fname, 0};
    if (!lua_istable(L, 1))
        bind_argerror(L, &a, 1, "table expected, got %s", bind_typename(L, 1));
    /* CDK's second argument (options) is part of the first table here: refuse it, not ignore it */
    if (!lua_isnoneornil(L, 2))
        bind_argerror(L, &a, 2, "no value expected, got %s: %s go in the first table", bind_typename(L, 2),
                      type == 'l' ? "omit_empty and display_hint" : type == 'a' ? "omit_empty_array and display_hint"
                                                                            : "options such as display_hint");
    bind_props(L, &a, 1, type == 'l' ? allowed_list : type == 'a' ? allowed_any : allowed);
    int omit = bind_opt_bool(L, &a, 1, type == 'l' ? "omit_empty" : "omit_empty_array");
    lua_getfield(L, 1, "produce");
    /* a function, or a table or userdata with __call (called as a function would be); any other
     * table would only fail at synthesis ("attempt to call a table value") */
    int callable = lua_isfunction(L, -1);
    /* luaL_getmetafield: 0 when there is none (LUA_TNIL, or 5.1's false), else pushes it */
    if (!callable && (lua_istable(L, -1) || lua_isuserdata(L, -1)) && luaL_getmetafield(L, -1, "__call") != 0) {
        lua_pop(L, 1);
        callable = 1;
    }
    if (!callable)
        bind_typeerror(L, &a, 1, "produce", "function");
    cdk_app *h = bind_holder(L);
    void *slot = bind_store_producer(L, -1, h);
    lua_pop(L, 1);
    int listy = type == 'l' || (type == 'a' && omit == 1);
    cdk_token *t = cdk_token_lazy(h, listy ? produce_list : bind_produce, slot, cache, type);
    if (t == NULL)
        return bind_error(L, "not enough memory");
    t->u.lazy.omit_empty = (type == 'l' || type == 'a') && omit == 1;
    /* CDK's Lazy.any takes a display hint but its token string never uses it */
    const char *hint = bind_opt_str(L, &a, 1, "display_hint", h);
    if (hint && type != 'a')
        t->hint = hint;
    switch (type) {
    case 's': bind_push_value(L, h, cdk_token_strv(h, t)); break;
    case 'n': bind_push_value(L, h, cdk_token_numv(h, t)); break;
    case 'l': bind_push_value(L, h, cdk_token_listv(h, t)); break;
    default: bind_push_token(L, t, h);
    }
    return 1;
}

static int l_lazy_string(lua_State *L) { return lazy(L, "Lazy.string", 's', 1); }
static int l_lazy_number(lua_State *L) { return lazy(L, "Lazy.number", 'n', 1); }
static int l_lazy_list(lua_State *L) { return lazy(L, "Lazy.list", 'l', 1); }
static int l_lazy_any(lua_State *L) { return lazy(L, "Lazy.any", 'a', 1); }
static int l_lazy_uncached_string(lua_State *L) { return lazy(L, "Lazy.uncached_string", 's', 0); }
static int l_lazy_uncached_number(lua_State *L) { return lazy(L, "Lazy.uncached_number", 'n', 0); }
static int l_lazy_uncached_list(lua_State *L) { return lazy(L, "Lazy.uncached_list", 'l', 0); }
static int l_lazy_uncached_any(lua_State *L) { return lazy(L, "Lazy.uncached_any", 'a', 0); }

/* ---------------------------------------------------------------------------------------------
 * Tags */

#define MT_TAGS "cdk.Tags"

static int l_tags_of(lua_State *L)
{
    bargs a = {"Tags.of", 0};
    cdk_node *n = bind_check_scope(L, &a, 1);
    lua_pushvalue(L, 1);
    lnode *h = cdk_newuserdata(L, sizeof *h);
    h->node = n;
    luaL_getmetatable(L, MT_TAGS);
    lua_setmetatable(L, -2);
    lua_insert(L, -2);
    cdk_setuv(L, -2);
    return 1;
}

static void tag_props(lua_State *L, const bargs *a, int idx, cdk_app *app, cdk_tag_props *p)
{
    static const char *const allowed[] = {"priority", "apply_to_launched_instances", "include_resource_types",
                                          "exclude_resource_types", NULL};
    memset(p, 0, sizeof *p);
    bind_props(L, a, idx, allowed);
    p->has_priority = bind_opt_num(L, a, idx, "priority", &p->priority);
    p->apply_to_launched = bind_opt_bool(L, a, idx, "apply_to_launched_instances");
    const char **l;
    long n = bind_opt_strlist(L, a, idx, "include_resource_types", app, &l);
    for (long i = 0; i < n; i++)
        cdk_strlist_push(app, &p->include, l[i]);
    n = bind_opt_strlist(L, a, idx, "exclude_resource_types", app, &l);
    for (long i = 0; i < n; i++)
        cdk_strlist_push(app, &p->exclude, l[i]);
}

static cdk_node *check_tags(lua_State *L, const char *fname)
{
    lnode *h = luaL_testudata(L, 1, MT_TAGS);
    if (h == NULL)
        bind_error(L, "calling '%s' on bad self (Tags expected, got %s)", fname, bind_typename(L, 1));
    cdk_getuv(L, 1);
    cdk_node *scope = bind_check_scope(L, &(bargs){fname, 1}, lua_gettop(L));
    lua_pop(L, 1);
    return scope;
}

static int l_tags_add(lua_State *L)
{
    cdk_node *n = check_tags(L, "add");
    bargs a = {"add", 1};
    const char *k = bind_check_string(L, &a, 2, NULL, NULL);
    if (lua_isnoneornil(L, 3))
        return bind_error(L, "Tag must have a value");
    const char *v = bind_check_string(L, &a, 3, NULL, NULL);
    cdk_tag_props p;
    tag_props(L, &a, 4, n->app, &p);
    if (cdk_tags_add(n, k, v, &p) != CDK_OK)
        return bind_raise(L, n->app);
    return 0;
}

static int l_tags_remove(lua_State *L)
{
    cdk_node *n = check_tags(L, "remove");
    bargs a = {"remove", 1};
    const char *k = bind_check_string(L, &a, 2, NULL, NULL);
    cdk_tag_props p;
    tag_props(L, &a, 3, n->app, &p);
    if (cdk_tags_remove_aspect(n, k, &p) != CDK_OK)
        return bind_raise(L, n->app);
    return 0;
}

/* ---------------------------------------------------------------------------------------------
 * Duration */

static int duration_of(lua_State *L, cdk_time_unit u, const char *fname)
{
    bargs a = {fname, 0};
    if (lua_type(L, 1) != LUA_TNUMBER)
        bind_typeerror(L, &a, 1, NULL, "number");
    double x = lua_tonumber(L, 1);
    if (isnan(x) || isinf(x))
        bind_argerror(L, &a, 1, "number must be finite, got %s", lua_tostring(L, 1));
    cdk_duration d;
    cdk_app *h = bind_holder(L);
    if (cdk_duration_make(h, x, u, &d) != CDK_OK)
        return bind_raise(L, h);
    bind_push_duration(L, d);
    return 1;
}

static int l_dur_millis(lua_State *L) { return duration_of(L, CDK_MILLIS, "Duration.millis"); }
static int l_dur_seconds(lua_State *L) { return duration_of(L, CDK_SECONDS, "Duration.seconds"); }
static int l_dur_minutes(lua_State *L) { return duration_of(L, CDK_MINUTES, "Duration.minutes"); }
static int l_dur_hours(lua_State *L) { return duration_of(L, CDK_HOURS, "Duration.hours"); }
static int l_dur_days(lua_State *L) { return duration_of(L, CDK_DAYS, "Duration.days"); }

static int l_dur_parse(lua_State *L)
{
    bargs a = {"Duration.parse", 0};
    const char *s = bind_check_string(L, &a, 1, NULL, NULL);
    cdk_duration d;
    cdk_app *h = bind_holder(L);
    if (cdk_duration_parse_iso(h, s, &d) != CDK_OK)
        return bind_raise(L, h);
    bind_push_duration(L, d);
    return 1;
}

static lduration *self_duration(lua_State *L, const char *fname)
{
    lduration *d = luaL_testudata(L, 1, MT_DURATION);
    if (d == NULL)
        bind_error(L, "calling '%s' on bad self (Duration expected, got %s)", fname, bind_typename(L, 1));
    return d;
}

static int dur_to(lua_State *L, cdk_time_unit u, const char *fname)
{
    static const char *const allowed[] = {"integral", NULL};
    lduration *d = self_duration(L, fname);
    bargs a = {fname, 1};
    bind_props(L, &a, 2, allowed);
    int integral = bind_opt_bool(L, &a, 2, "integral");
    double out;
    cdk_app *h = bind_holder(L);
    if (cdk_duration_to(h, d->d, u, integral != 0, &out) != CDK_OK)
        return bind_raise(L, h);
    if (out == floor(out) && fabs(out) < 9007199254740992.0)
#if LUA_VERSION_NUM >= 503
        lua_pushinteger(L, (lua_Integer)out);
#else
        lua_pushnumber(L, out);
#endif
    else
        lua_pushnumber(L, out);
    return 1;
}

static int l_dur_to_millis(lua_State *L) { return dur_to(L, CDK_MILLIS, "to_milliseconds"); }
static int l_dur_to_seconds(lua_State *L) { return dur_to(L, CDK_SECONDS, "to_seconds"); }
static int l_dur_to_minutes(lua_State *L) { return dur_to(L, CDK_MINUTES, "to_minutes"); }
static int l_dur_to_hours(lua_State *L) { return dur_to(L, CDK_HOURS, "to_hours"); }
static int l_dur_to_days(lua_State *L) { return dur_to(L, CDK_DAYS, "to_days"); }

static int l_dur_iso(lua_State *L)
{
    lduration *d = self_duration(L, "to_iso_string");
    char buf[128];
    cdk_app *h = bind_holder(L);
    if (cdk_duration_iso(h, d->d, buf, sizeof buf) != CDK_OK)
        return bind_raise(L, h);
    lua_pushstring(L, buf);
    return 1;
}

static int l_dur_human(lua_State *L)
{
    lduration *d = self_duration(L, "to_human_string");
    char buf[160];
    cdk_duration_human(d->d, buf, sizeof buf);
    lua_pushstring(L, buf);
    return 1;
}

static int dur_arith(lua_State *L, int minus)
{
    const char *fname = minus ? "minus" : "plus";
    lduration *d = self_duration(L, fname);
    bargs a = {fname, 1};
    lduration *o = bind_check_duration(L, &a, 2, NULL);
    cdk_duration r;
    cdk_app *h = bind_holder(L);
    if (cdk_duration_plus(h, d->d, o->d, minus, &r) != CDK_OK)
        return bind_raise(L, h);
    bind_push_duration(L, r);
    return 1;
}

static int l_dur_plus(lua_State *L) { return dur_arith(L, 0); }
static int l_dur_minus(lua_State *L) { return dur_arith(L, 1); }

static int l_dur_tostring(lua_State *L)
{
    lduration *d = self_duration(L, "tostring");
    char num[40];
    cdk_js_number(d->d.amount, num);
    lua_pushfstring(L, "Duration.%s(%s)", cdk_time_unit_label(d->d.unit), num);
    return 1;
}

static int l_dur_eq(lua_State *L)
{
    lduration *a = luaL_testudata(L, 1, MT_DURATION), *b = luaL_testudata(L, 2, MT_DURATION);
    lua_pushboolean(L, a && b && a->d.amount == b->d.amount && a->d.unit == b->d.unit);
    return 1;
}

static int l_dur_index(lua_State *L)
{
    static const luaL_Reg methods[] = {
        {"to_milliseconds", l_dur_to_millis}, {"to_seconds", l_dur_to_seconds}, {"to_minutes", l_dur_to_minutes},
        {"to_hours", l_dur_to_hours},         {"to_days", l_dur_to_days},       {"to_iso_string", l_dur_iso},
        {"to_human_string", l_dur_human},     {"plus", l_dur_plus},             {"minus", l_dur_minus},
        {NULL, NULL},
    };
    lduration *d = luaL_checkudata(L, 1, MT_DURATION);
    const char *k = lua_tostring(L, 2);
    if (k == NULL)
        return 0;
    for (const luaL_Reg *m = methods; m->name; m++) {
        if (strcmp(m->name, k) == 0) {
            lua_pushcfunction(L, m->func);
            return 1;
        }
    }
    if (strcmp(k, "amount") == 0) {
        lua_pushnumber(L, d->d.amount);
        return 1;
    }
    if (strcmp(k, "unit") == 0 || strcmp(k, "unit_label") == 0) {
        lua_pushstring(L, cdk_time_unit_label(d->d.unit));
        return 1;
    }
    return 0;
}

/* ---------------------------------------------------------------------------------------------
 * registration */

static int l_names_unique_id(lua_State *L)
{
    bargs a = {"Names.unique_id", 0};
    cdk_node *n = bind_check_scope(L, &a, 1);   /* the App too: its unique id is "" */
    const char *u = cdk_node_unique_id(n);
    if (u == NULL)
        return bind_raise(L, n->app);
    lua_pushstring(L, u);
    return 1;
}

/* Test hooks: the core's hashes and JSON writer, so that the specs can pin them directly. */
static int l_test_md5(lua_State *L)
{
    size_t n;
    const char *s = luaL_checklstring(L, 1, &n);
    unsigned char d[16];
    char hex[33];
    cdk_md5(s, n, d);
    cdk_hex(d, 16, hex);
    lua_pushstring(L, hex);
    return 1;
}

static int l_test_sha256(lua_State *L)
{
    size_t n;
    const char *s = luaL_checklstring(L, 1, &n);
    unsigned char d[32];
    char hex[65];
    cdk_sha256(s, n, d);
    cdk_hex(d, 32, hex);
    lua_pushstring(L, hex);
    return 1;
}

static int l_test_js_number(lua_State *L)
{
    char buf[40];
    cdk_js_number(luaL_checknumber(L, 1), buf);
    lua_pushstring(L, buf);
    return 1;
}

/* core._synthesized(app) -> how many times app:synth() returned: the command line tells so
 * whether the app wrote its assembly (an unchanged one stays in its folder). */
static int l_synthesized(lua_State *L)
{
    lapp *a = luaL_testudata(L, 1, MT_APP);
    if (a == NULL) {
        bargs b = {"_synthesized", 0};
        bind_argerror(L, &b, 1, "App expected, got %s", bind_typename(L, 1));
    }
    lua_pushinteger(L, (lua_Integer)a->synths);
    return 1;
}

static int l_test_json(lua_State *L)
{
    bargs a = {"_json", 0};
    int indent = (int)luaL_optinteger(L, 2, 0);
    cJSON *j = bind_to_json(L, &a, 1, NULL);
    cdk_buf b = {0};
    if (j)
        cdk_json_write(&b, j, indent);
    cJSON_Delete(j);
    lua_pushlstring(L, b.data ? b.data : "", b.len);
    cdk_buf_free(&b);
    return 1;
}

static void set_funcs(lua_State *L, const char *name, const luaL_Reg *fns)
{
    lua_newtable(L);
    luaL_setfuncs(L, fns, 0);
    lua_setfield(L, -2, name);
}

void bind_open_core(lua_State *L)
{
    /* core module table on top */
    luaL_newmetatable(L, MT_APP);
    lua_pushcfunction(L, l_app_index);
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, l_app_gc);
    lua_setfield(L, -2, "__gc");
    lua_pushcfunction(L, l_app_close); /* a to-be-closed App may go out of scope in a producer */
    lua_setfield(L, -2, "__close");
    lua_pushcfunction(L, l_app_tostring);
    lua_setfield(L, -2, "__tostring");
    lua_pushstring(L, "App");
    lua_setfield(L, -2, "__name");
    lua_pop(L, 1);

    luaL_newmetatable(L, MT_CNODE);
    lua_pushcfunction(L, l_cnode_index);
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, l_cnode_newindex);
    lua_setfield(L, -2, "__newindex");
    lua_pushcfunction(L, l_cnode_tostring);
    lua_setfield(L, -2, "__tostring");
    lua_pop(L, 1);

    luaL_newmetatable(L, MT_TOKEN);
    lua_pushcfunction(L, l_token_index);
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, l_token_tostring);
    lua_setfield(L, -2, "__tostring");
    lua_pushcfunction(L, l_token_concat);
    lua_setfield(L, -2, "__concat");
    lua_pushstring(L, "token");
    lua_setfield(L, -2, "__name");
    lua_pop(L, 1);

    luaL_newmetatable(L, MT_DURATION);
    lua_pushcfunction(L, l_dur_index);
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, l_dur_tostring);
    lua_setfield(L, -2, "__tostring");
    lua_pushcfunction(L, l_dur_eq);
    lua_setfield(L, -2, "__eq");
    lua_pushstring(L, "Duration");
    lua_setfield(L, -2, "__name");
    lua_pop(L, 1);

    static const luaL_Reg tags_methods[] = {{"add", l_tags_add}, {"remove", l_tags_remove}, {NULL, NULL}};
    luaL_newmetatable(L, MT_TAGS);
    lua_newtable(L);
    luaL_setfuncs(L, tags_methods, 0);
    lua_setfield(L, -2, "__index");
    lua_pop(L, 1);

    /* construct classes */
    static const luaL_Reg stack_methods[] = {
        {"format_arn", l_stack_format_arn},
        {"split_arn", l_stack_split_arn},
        {"add_dependency", l_stack_add_dependency},
        {"rename_logical_id", l_stack_rename_logical_id},
        {"to_json", l_stack_to_json},
        {"resolve", l_stack_resolve},
        {"get_logical_id", l_stack_get_logical_id},
        {NULL, NULL},
    };
    static const luaL_Reg element_methods[] = {
        {"override_logical_id", l_el_override_logical_id},
        {NULL, NULL},
    };
    static const luaL_Reg resource_methods[] = {
        {"add_depends_on", l_res_add_depends_on},
        {"add_override", l_res_add_override},
        {"add_deletion_override", l_res_add_deletion_override},
        {"add_property_override", l_res_add_property_override},
        {"add_property_deletion_override", l_res_add_property_deletion_override},
        {"apply_removal_policy", l_res_apply_removal_policy},
        {"get_att", l_res_get_att},
        {"add_metadata", l_res_add_metadata},
        {"get_metadata", l_res_get_metadata},
        {NULL, NULL},
    };
    bind_define_class(L, "Construct", NULL, NULL, NULL);
    bind_define_class(L, "App", "Construct", NULL, NULL);
    bind_define_class(L, "Stack", "Construct", stack_methods, get_stack);
    bind_define_class(L, "CfnElement", "Construct", element_methods, get_element);
    bind_define_class(L, "CfnResource", "CfnElement", resource_methods, get_resource);
    bind_define_setter(L, "CfnResource", set_resource);
    bind_define_class(L, "CfnOutput", "CfnElement", NULL, get_output);
    bind_define_setter(L, "CfnOutput", set_output);
    bind_define_class(L, "CfnParameter", "CfnElement", NULL, get_parameter);
    bind_define_setter(L, "CfnParameter", set_parameter);
    bind_define_class(L, "Resource", "Construct", NULL, NULL);

    static const luaL_Reg fns[] = {
        {"App", l_app_new},
        {"Stack", l_stack_new},
        {"Construct", l_construct_new},
        {"CfnResource", l_cfn_resource_new},
        {"CfnOutput", l_output_new},
        {"CfnParameter", l_parameter_new},
        {"stack_of", l_stack_of},
        {"is_stack", l_stack_is_stack},
        {"aws_pseudo", l_aws_pseudo},
        {"tags_of", l_tags_of},
        {"unique_id", l_names_unique_id},
        {"_md5", l_test_md5},
        {"_sha256", l_test_sha256},
        {"_js_number", l_test_js_number},
        {"_json", l_test_json},
        {"_synthesized", l_synthesized},
        {NULL, NULL},
    };
    luaL_setfuncs(L, fns, 0);
    static const luaL_Reg fn_fns[] = {
        {"join", l_fn_join},     {"select", l_fn_select},           {"split", l_fn_split},
        {"get_att", l_fn_get_att}, {"import_value", l_fn_import_value}, {"ref", l_fn_ref},
        {"sub", l_fn_sub},       {"base64", l_fn_base64},           {"get_azs", l_fn_get_azs},
        {NULL, NULL},
    };
    set_funcs(L, "Fn", fn_fns);
    static const luaL_Reg token_fns[] = {
        {"is_unresolved", l_token_is_unresolved}, {"as_string", l_token_as_string},
        {"as_number", l_token_as_number},         {"as_list", l_token_as_list},
        {NULL, NULL},
    };
    set_funcs(L, "Token", token_fns);
    static const luaL_Reg lazy_fns[] = {
        {"string", l_lazy_string},   {"number", l_lazy_number},   {"list", l_lazy_list},   {"any", l_lazy_any},
        {"uncached_string", l_lazy_uncached_string}, {"uncached_number", l_lazy_uncached_number},
        {"uncached_list", l_lazy_uncached_list},     {"uncached_any", l_lazy_uncached_any},
        {NULL, NULL},
    };
    set_funcs(L, "Lazy", lazy_fns);
    static const luaL_Reg dur_fns[] = {
        {"millis", l_dur_millis}, {"seconds", l_dur_seconds}, {"minutes", l_dur_minutes},
        {"hours", l_dur_hours},   {"days", l_dur_days},       {"parse", l_dur_parse},
        {NULL, NULL},
    };
    set_funcs(L, "Duration", dur_fns);
    lua_pushstring(L, CDK_PHYSICAL_NAME_MARKER);
    lua_setfield(L, -2, "GENERATE_IF_NEEDED");
    lua_pushstring(L, CDK_VERSION);
    lua_setfield(L, -2, "version");
    lua_pushstring(L, CDK_REFERENCE_VERSION);
    lua_setfield(L, -2, "reference_version");
    lua_pushlightuserdata(L, NULL); /* JSON null: what bind_push_json gives for it, and takes back */
    lua_setfield(L, -2, "null");
    lua_pushlightuserdata(L, BIND_EMPTY_ARRAY); /* [], where {} would be the empty map */
    lua_setfield(L, -2, "empty_array");
    (void)NO_PROPS;
}
