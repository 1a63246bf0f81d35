/* ecr.c: the binding of `cdk.ecr`: Repository (props, lifecycle rules, URIs, imports) and the
 * L1 resources. Converts Lua tables to the C structs of csrc/ecr and raises its errors. */
#include <string.h>

#include "bind.h"
#include "cdk_ecr.h"

#define SHIFT_CALL 1

void bind_push_l1(lua_State *L, const cdk_schema *s);

static const char *const tag_statuses[] = {"any", "tagged", "untagged", NULL};

/* A lifecycle rule table (at idx, or the field `field` of the table at idx when field is set). */
static void check_rule(lua_State *L, const bargs *a, int argidx, int ridx, const char *field, cdk_app *app,
                       cdk_ecr_lifecycle_rule *r)
{
    static const char *const allowed[] = {"rule_priority", "description", "tag_status", "tag_prefix_list",
                                          "max_image_count", "max_image_age", NULL};
    memset(r, 0, sizeof *r);
    if (!lua_istable(L, ridx)) {
        lua_pushvalue(L, ridx);
        bind_typeerror(L, a, argidx, field, "table");
    }
    /* field-qualified checks: reuse the props helpers on the rule table with a prefixed name */
    lua_pushnil(L);
    while (lua_next(L, ridx)) {
        lua_pop(L, 1);
        const char *k = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
        int ok = 0;
        for (const char *const *p = allowed; k && *p; p++)
            if (strcmp(*p, k) == 0)
                ok = 1;
        if (!ok)
            bind_fielderror(L, a, argidx, field, "unknown property '%s'", luaL_tolstring(L, -1, NULL));
    }
    struct { const char *name; int type; } fields[] = {
        {"rule_priority", LUA_TNUMBER}, {"description", LUA_TSTRING}, {"tag_status", LUA_TSTRING},
        {"tag_prefix_list", LUA_TTABLE}, {"max_image_count", LUA_TNUMBER}, {"max_image_age", LUA_TUSERDATA},
    };
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        lua_getfield(L, ridx, fields[i].name);
        int t = lua_type(L, -1);
        const char *fname = field ? lua_pushfstring(L, "%s.%s", field, fields[i].name)
                                  : lua_pushstring(L, fields[i].name);
        lua_insert(L, -2);
        if (t == LUA_TNIL) {
            lua_pop(L, 2);
            continue;
        }
        switch (i) {
        case 0:
        case 4: {
            if (t != LUA_TNUMBER)
                bind_typeerror(L, a, argidx, fname, "number");
            double d = lua_tonumber(L, -1);
            if (d != d || d - d != 0)
                bind_fielderror(L, a, argidx, fname, "number must be finite");
            if (i == 0) {
                r->has_priority = 1;
                r->rule_priority = d;
            } else {
                r->has_count = 1;
                r->max_image_count = d;
            }
            break;
        }
        case 1:
            r->description = cdk_strdup(app, bind_check_string(L, a, argidx, fname, NULL));
            break;
        case 2: {
            const char *s = t == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
            int k = -1;
            for (int j = 0; s && tag_statuses[j]; j++)
                if (strcmp(tag_statuses[j], s) == 0)
                    k = j;
            if (k < 0) {
                if (t != LUA_TSTRING)
                    bind_typeerror(L, a, argidx, fname, "TagStatus");
                bind_fielderror(L, a, argidx, fname, "one of any, tagged, untagged expected, got '%s'", s);
            }
            r->tag_status = (cdk_ecr_tag_status)(k + 1);
            break;
        }
        case 3: {
            size_t n = bind_check_list(L, a, argidx, -1, fname, "list of strings");
            const char **l = cdk_alloc(app, (n + 1) * sizeof *l);
            for (size_t j = 1; l && j <= n; j++) {
                lua_rawgeti(L, -1, (lua_Integer)j);
                const char *sub = lua_pushfstring(L, "%s[%d]", fname, (int)j);
                lua_insert(L, -2);
                l[j - 1] = cdk_strdup(app, bind_check_string(L, a, argidx, sub, NULL));
                lua_pop(L, 2);
            }
            r->tag_prefix_list = l;
            r->ntag_prefix = n;
            break;
        }
        case 5:
            r->max_image_age = bind_check_duration(L, a, argidx, fname)->d;
            r->has_age = 1;
            break;
        }
        lua_pop(L, 2);
    }
}

static int l_repository_new(lua_State *L)
{
    static const char *const allowed[] = {"repository_name", "image_scan_on_push", "image_tag_mutability",
                                          "encryption", "encryption_key", "lifecycle_rules",
                                          "lifecycle_registry_id", "removal_policy", NULL};
    static const char *const mutability[] = {"MUTABLE", "IMMUTABLE", NULL};
    static const char *const encryptions[] = {"AES256", "KMS", NULL};
    bargs a = {"Repository", SHIFT_CALL};
    cdk_node *scope = bind_check_scope(L, &a, 2);
    const char *id = bind_check_string(L, &a, 3, NULL, NULL);
    bind_props(L, &a, 4, allowed);
    cdk_app *app = scope->app;
    cdk_ecr_repository_props p = {0};
    p.repository_name = bind_opt_value(L, &a, 4, "repository_name", app);
    if (p.repository_name && p.repository_name->kind != CDK_STRING) {
        lua_getfield(L, 4, "repository_name");
        bind_typeerror(L, &a, 4, "repository_name", "string");
    }
    p.image_scan_on_push = bind_opt_bool(L, &a, 4, "image_scan_on_push");
    int m = bind_opt_enum(L, &a, 4, "image_tag_mutability", mutability);
    p.image_tag_mutability = m < 0 ? NULL : mutability[m];
    int e = bind_opt_enum(L, &a, 4, "encryption", encryptions);
    p.encryption = e < 0 ? CDK_ECR_ENC_UNSET : e == 0 ? CDK_ECR_ENC_AES_256 : CDK_ECR_ENC_KMS;
    if (bind_has(L, 4, "encryption_key")) {
        lua_getfield(L, 4, "encryption_key");
        cdk_node *key = bind_test_node(L, -1);
        if (key == NULL || !bind_is_class(L, key, "IKey")) {
            bind_typeerror(L, &a, 4, "encryption_key", "kms.Key");
        }
        lua_getfield(L, -1, "key_arn");
        p.encryption_key_arn = bind_value(L, &a, lua_gettop(L), NULL, app);
        lua_pop(L, 2);
    }
    p.lifecycle_registry_id = bind_opt_str(L, &a, 4, "lifecycle_registry_id", app);
    p.removal_policy = bind_removal_policy(L, &a, 4, "removal_policy");
    if (bind_has(L, 4, "lifecycle_rules")) {
        lua_getfield(L, 4, "lifecycle_rules");
        int t = lua_gettop(L);
        size_t n = bind_check_list(L, &a, 4, t, "lifecycle_rules", "list of lifecycle rules");
        cdk_ecr_lifecycle_rule *rules = cdk_alloc(app, (n + 1) * sizeof *rules);
        if (rules == NULL)
            return bind_error(L, "not enough memory");
        for (size_t i = 1; i <= n; i++) {
            lua_rawgeti(L, t, (lua_Integer)i);
            const char *field = lua_pushfstring(L, "lifecycle_rules[%d]", (int)i);
            check_rule(L, &a, 4, t + 1, field, app, &rules[i - 1]);
            lua_settop(L, t);
        }
        p.lifecycle_rules = rules;
        p.nlifecycle_rules = n;
        lua_pop(L, 1);
    }
    cdk_node *out;
    if (cdk_ecr_repository_new(scope, id, &p, &out) != CDK_OK)
        return bind_raise(L, app);
    bind_push_node(L, out);
    return 1;
}

static cdk_node *self_repo(lua_State *L, const char *fname, int owned)
{
    cdk_node *n = bind_test_node(L, 1);
    cdk_ecr_repository *r = n ? cdk_ecr_repository_of(n) : NULL;
    if (r == NULL || (owned && r->imported))
        bind_error(L, "calling '%s' on bad self (%s expected, got %s)", fname, owned ? "Repository" : "repository",
                   bind_typename(L, 1));
    return n;
}

static int l_add_lifecycle_rule(lua_State *L)
{
    cdk_node *n = self_repo(L, "add_lifecycle_rule", 1);
    bargs a = {"add_lifecycle_rule", 1};
    cdk_ecr_lifecycle_rule r;
    check_rule(L, &a, 2, 2, NULL, n->app, &r);
    if (cdk_ecr_add_lifecycle_rule(n, &r) != CDK_OK)
        return bind_raise(L, n->app);
    return 0;
}

static int uri(lua_State *L, const char *fname, int (*fn)(cdk_node *, const char *, cdk_value **))
{
    cdk_node *n = self_repo(L, fname, 0);
    bargs a = {fname, 1};
    const char *s = lua_isnoneornil(L, 2) ? NULL : bind_check_string(L, &a, 2, NULL, NULL);
    cdk_value *v;
    if (fn(n, s, &v) != CDK_OK)
        return bind_raise(L, n->app);
    bind_push_value(L, n->app, v);
    return 1;
}

static int l_uri_for_tag(lua_State *L) { return uri(L, "repository_uri_for_tag", cdk_ecr_uri_for_tag); }
static int l_uri_for_digest(lua_State *L) { return uri(L, "repository_uri_for_digest", cdk_ecr_uri_for_digest); }
static int l_uri_for_tag_or_digest(lua_State *L)
{
    return uri(L, "repository_uri_for_tag_or_digest", cdk_ecr_uri_for_tag_or_digest);
}

static int l_apply_removal_policy(lua_State *L)
{
    cdk_node *n = bind_test_node(L, 1);
    if (n == NULL)
        return bind_error(L, "calling 'apply_removal_policy' on bad self (construct expected, got %s)",
                          bind_typename(L, 1));
    bargs a = {"apply_removal_policy", 1};
    cdk_removal_policy p = bind_removal_policy(L, &a, 2, NULL);
    cdk_node *child;
    if (cdk_node_default_child(n, &child) != CDK_OK)
        return bind_raise(L, n->app);
    if (child == NULL || cdk_resource_of(child) == NULL)
        return bind_error(L, "Cannot apply RemovalPolicy: no child or not a CfnResource. Apply the removal policy "
                             "on the CfnResource directly.");
    if (cdk_resource_apply_removal_policy(child, p, CDK_REMOVAL_UNSET, 1) != CDK_OK)
        return bind_raise(L, n->app);
    return 0;
}

static int get_repository(lua_State *L)
{
    cdk_node *n = bind_test_node(L, 1);
    cdk_ecr_repository *r = cdk_ecr_repository_of(n);
    const char *k = lua_tostring(L, 2);
    if (r == NULL)
        return 0;
    if (strcmp(k, "repository_name") == 0) {
        bind_push_value(L, n->app, r->name);
    } else if (strcmp(k, "repository_arn") == 0) {
        bind_push_value(L, n->app, r->arn);
    } else if (strcmp(k, "repository_uri") == 0) {
        cdk_value *v;
        if (cdk_ecr_uri_for_tag(n, NULL, &v) != CDK_OK)
            return bind_raise(L, n->app);
        bind_push_value(L, n->app, v);
    } else if (strcmp(k, "stack") == 0) {
        bind_push_node(L, n->stack);
    } else if (strcmp(k, "env") == 0) {
        lua_createtable(L, 0, 2);
        bind_push_value(L, n->app, r->phys.account);
        lua_setfield(L, -2, "account");
        bind_push_value(L, n->app, r->phys.region);
        lua_setfield(L, -2, "region");
    } else {
        return 0;
    }
    return 1;
}

/* A string argument (a token object allowed) as a core value; anything else names the argument. */
static cdk_value *check_string_value(lua_State *L, const bargs *a, int idx, cdk_app *app)
{
    if (lua_type(L, idx) != LUA_TSTRING && !luaL_testudata(L, idx, MT_TOKEN))
        bind_typeerror(L, a, idx, NULL, "string");
    cdk_value *v = bind_value(L, a, idx, NULL, app);
    if (v->kind != CDK_STRING)
        bind_typeerror(L, a, idx, NULL, "string");
    return v;
}

static int l_from_repository_name(lua_State *L)
{
    bargs a = {"from_repository_name", 0};
    cdk_node *scope = bind_check_scope(L, &a, 1);
    const char *id = bind_check_string(L, &a, 2, NULL, NULL);
    cdk_value *name = check_string_value(L, &a, 3, scope->app);
    cdk_node *out;
    if (cdk_ecr_from_repository_name(scope, id, name, &out) != CDK_OK)
        return bind_raise(L, scope->app);
    bind_push_node(L, out);
    return 1;
}

static int l_from_repository_arn(lua_State *L)
{
    bargs a = {"from_repository_arn", 0};
    cdk_node *scope = bind_check_scope(L, &a, 1);
    const char *id = bind_check_string(L, &a, 2, NULL, NULL);
    cdk_value *arn = check_string_value(L, &a, 3, scope->app);
    cdk_node *out;
    if (cdk_ecr_from_repository_arn(scope, id, arn, &out) != CDK_OK)
        return bind_raise(L, scope->app);
    bind_push_node(L, out);
    return 1;
}

static int l_from_repository_attributes(lua_State *L)
{
    static const char *const allowed[] = {"repository_name", "repository_arn", NULL};
    bargs a = {"from_repository_attributes", 0};
    cdk_node *scope = bind_check_scope(L, &a, 1);
    const char *id = bind_check_string(L, &a, 2, NULL, NULL);
    if (!lua_istable(L, 3))
        bind_argerror(L, &a, 3, "table expected, got %s", bind_typename(L, 3));
    bind_props(L, &a, 3, allowed);
    cdk_value *name = bind_opt_value(L, &a, 3, "repository_name", scope->app);
    cdk_value *arn = bind_opt_value(L, &a, 3, "repository_arn", scope->app);
    if (name == NULL || name->kind != CDK_STRING) {
        lua_getfield(L, 3, "repository_name");
        bind_typeerror(L, &a, 3, "repository_name", "string");
    }
    if (arn == NULL || arn->kind != CDK_STRING) {
        lua_getfield(L, 3, "repository_arn");
        bind_typeerror(L, &a, 3, "repository_arn", "string");
    }
    cdk_node *out;
    if (cdk_ecr_from_repository_attributes(scope, id, name, arn, &out) != CDK_OK)
        return bind_raise(L, scope->app);
    bind_push_node(L, out);
    return 1;
}

static int l_arn_for_local_repository(lua_State *L)
{
    bargs a = {"arn_for_local_repository", 0};
    cdk_node *scope = bind_check_scope(L, &a, 2);
    cdk_value *name = check_string_value(L, &a, 1, scope->app);
    cdk_value *account = lua_isnoneornil(L, 3) ? NULL : check_string_value(L, &a, 3, scope->app);
    cdk_value *out;
    if (cdk_ecr_arn_for_local_repository(scope, name, account, &out) != CDK_OK)
        return bind_raise(L, scope->app);
    bind_push_value(L, scope->app, out);
    return 1;
}

void bind_open_ecr(lua_State *L)
{
    static const luaL_Reg base_methods[] = {
        {"repository_uri_for_tag", l_uri_for_tag},
        {"repository_uri_for_digest", l_uri_for_digest},
        {"repository_uri_for_tag_or_digest", l_uri_for_tag_or_digest},
        /* every Resource has it; an imported repository fails with CDK's message */
        {"apply_removal_policy", l_apply_removal_policy},
        {NULL, NULL},
    };
    static const luaL_Reg repo_methods[] = {
        {"add_lifecycle_rule", l_add_lifecycle_rule},
        {NULL, NULL},
    };
    bind_define_class(L, "RepositoryBase", "Resource", base_methods, get_repository);
    bind_define_class(L, "Repository", "RepositoryBase", repo_methods, NULL);
    bind_define_class(L, "Import", "RepositoryBase", NULL, NULL);

    lua_newtable(L); /* ecr */
    lua_pushcfunction(L, l_repository_new);
    lua_setfield(L, -2, "Repository");
    static const luaL_Reg statics[] = {
        {"from_repository_name", l_from_repository_name},
        {"from_repository_arn", l_from_repository_arn},
        {"from_repository_attributes", l_from_repository_attributes},
        {"arn_for_local_repository", l_arn_for_local_repository},
        {NULL, NULL},
    };
    lua_newtable(L);
    luaL_setfuncs(L, statics, 0);
    lua_setfield(L, -2, "RepositoryStatics");
    const cdk_schema *l1[] = {&cdk_ecr_cfn_repository, &cdk_ecr_cfn_registry_policy,
                              &cdk_ecr_cfn_replication_configuration, &cdk_ecr_cfn_pull_through_cache_rule,
                              &cdk_ecr_cfn_public_repository};
    for (size_t i = 0; i < sizeof l1 / sizeof l1[0]; i++) {
        bind_push_l1(L, l1[i]);
        lua_setfield(L, -2, l1[i]->name);
    }
    lua_setfield(L, -2, "ecr");
}
