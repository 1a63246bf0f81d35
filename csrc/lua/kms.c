/* kms.c: the binding of `cdk.kms`: Key (props, grants, aliases, imports), Alias and the L1
 * resources. Converts Lua tables to the C structs of csrc/kms and raises its errors; the key
 * classes sit under "IKey", whose `key_arn` ecr.Repository's encryption_key reads. */
#include <string.h>

#include "bind.h"
#include "bind_iam.h"
#include "cdk_kms.h"

#define SHIFT_CALL 1

static const char *const key_specs[] = {"SYMMETRIC_DEFAULT", "RSA_2048", "RSA_3072", "RSA_4096", "ECC_NIST_P256",
                                        "ECC_NIST_P384", "ECC_NIST_P521", "ECC_SECG_P256K1", NULL};
static const char *const key_usages[] = {"ENCRYPT_DECRYPT", "SIGN_VERIFY", NULL};

/* A string (a token object allowed) at idx, or in the field on top of the stack. */
static cdk_value *string_value(lua_State *L, const bargs *a, int idx, const char *field, cdk_app *app)
{
    int vidx = field ? -1 : idx;
    if (lua_type(L, vidx) != LUA_TSTRING && !luaL_testudata(L, vidx, MT_TOKEN))
        bind_typeerror(L, a, idx, field, "string");
    cdk_value *v = bind_value(L, a, idx, field, app);
    if (v->kind != CDK_STRING)
        bind_typeerror(L, a, idx, field, "string");
    return v;
}

static cdk_value *opt_string_field(lua_State *L, const bargs *a, int idx, const char *field, cdk_app *app)
{
    if (!bind_has(L, idx, field))
        return NULL;
    lua_getfield(L, idx, field);
    cdk_value *v = string_value(L, a, idx, field, app);
    lua_pop(L, 1);
    return v;
}

/* An IKey construct at idx, or in the field on top of the stack. */
static cdk_node *check_key(lua_State *L, const bargs *a, int idx, const char *field)
{
    cdk_node *n = bind_test_node(L, field ? -1 : idx);
    if (n == NULL || cdk_kms_key_of(n) == NULL)
        bind_typeerror(L, a, idx, field, "kms.Key or kms.Alias");
    return n;
}

/* ---------------------------------------------------------------------------------------------
 * Key */

static int l_key_new(lua_State *L)
{
    static const char *const allowed[] = {"description", "alias", "enable_key_rotation", "enabled", "policy",
                                          "removal_policy", "pending_window", "admins",
                                          "trust_account_identities", "key_spec", "key_usage", NULL};
    bargs a = {"Key", SHIFT_CALL};
    cdk_node *scope = bind_check_scope(L, &a, 2);
    const char *id = bind_check_string(L, &a, 3, NULL, NULL);
    bind_props(L, &a, 4, allowed);
    cdk_app *app = scope->app;
    cdk_kms_key_props p = {0};
    p.description = opt_string_field(L, &a, 4, "description", app);
    p.alias = opt_string_field(L, &a, 4, "alias", app);
    p.enable_key_rotation = bind_opt_bool(L, &a, 4, "enable_key_rotation");
    p.enabled = bind_opt_bool(L, &a, 4, "enabled");
    p.trust_account_identities = bind_opt_bool(L, &a, 4, "trust_account_identities");
    if (bind_has(L, 4, "policy")) {
        lua_getfield(L, 4, "policy");
        p.policy = bind_iam_check_document(L, &a, 4, "policy");
        lua_pop(L, 1);
    }
    p.removal_policy = bind_removal_policy(L, &a, 4, "removal_policy");
    p.has_pending_window = bind_opt_duration(L, &a, 4, "pending_window", &p.pending_window);
    if (bind_has(L, 4, "admins")) {
        lua_getfield(L, 4, "admins");
        int t = lua_gettop(L);
        size_t n = bind_check_list(L, &a, 4, t, "admins", "list of principals");
        cdk_iam_principal **admins = cdk_alloc(app, (n + 1) * sizeof *admins);
        if (admins == NULL)
            return bind_error(L, "not enough memory");
        for (size_t i = 1; i <= n; i++) {
            lua_rawgeti(L, t, (lua_Integer)i);
            const char *sub = lua_pushfstring(L, "admins[%d]", (int)i);
            lua_insert(L, -2);
            admins[i - 1] = bind_check_grantee(L, &a, 4, sub);
            lua_settop(L, t);
        }
        p.admins = admins;
        p.nadmins = n;
        lua_pop(L, 1);
    }
    int spec = bind_opt_enum(L, &a, 4, "key_spec", key_specs);
    p.key_spec = spec < 0 ? NULL : key_specs[spec];
    int usage = bind_opt_enum(L, &a, 4, "key_usage", key_usages);
    p.key_usage = usage < 0 ? NULL : key_usages[usage];
    cdk_node *out;
    bind_begin(L, app);
    if (cdk_kms_key_new(scope, id, &p, &out) != CDK_OK)
        return bind_raise(L, app);
    bind_push_node(L, out);
    return 1;
}

static int l_key_from_key_arn(lua_State *L)
{
    bargs a = {"from_key_arn", 0};
    cdk_node *scope = bind_check_scope(L, &a, 1);
    const char *id = bind_check_string(L, &a, 2, NULL, NULL);
    cdk_value *arn = string_value(L, &a, 3, NULL, scope->app);
    cdk_node *out;
    if (cdk_kms_key_from_arn(scope, id, arn, &out) != CDK_OK)
        return bind_raise(L, scope->app);
    bind_push_node(L, out);
    return 1;
}

/* ---------------------------------------------------------------------------------------------
 * IKey methods (keys and aliases) */

static cdk_node *self_key(lua_State *L, const char *fname)
{
    cdk_node *n = bind_test_node(L, 1);
    if (n == NULL || cdk_kms_key_of(n) == NULL)
        bind_error(L, "calling '%s' on bad self (kms.Key or kms.Alias expected, got %s)", fname, bind_typename(L, 1));
    return n;
}

static int l_add_alias(lua_State *L)
{
    cdk_node *n = self_key(L, "add_alias");
    bargs a = {"add_alias", 1};
    cdk_value *name = string_value(L, &a, 2, NULL, n->app);
    cdk_node *out;
    if (cdk_kms_add_alias(n, name, &out) != CDK_OK)
        return bind_raise(L, n->app);
    bind_push_node(L, out);
    return 1;
}

static int l_add_to_resource_policy(lua_State *L)
{
    cdk_node *n = self_key(L, "add_to_resource_policy");
    bargs a = {"add_to_resource_policy", 1};
    cdk_iam_statement *s = bind_check_statement(L, &a, 2, NULL);
    int allow_no_op = 1;
    if (!lua_isnoneornil(L, 3)) {
        if (lua_type(L, 3) != LUA_TBOOLEAN)
            bind_typeerror(L, &a, 3, NULL, "boolean");
        allow_no_op = lua_toboolean(L, 3);
    }
    int added;
    bind_begin(L, n->app); /* CDK's message resolves the key's ARN */
    if (cdk_kms_add_to_resource_policy(n, s, allow_no_op, &added) != CDK_OK)
        return bind_raise(L, n->app);
    lua_createtable(L, 0, 2);
    lua_pushboolean(L, added);
    lua_setfield(L, -2, "statement_added");
    if (added) {
        /* the policy that took it: the key's, also when called through an alias */
        cdk_kms_key *k = cdk_kms_key_of(n);
        while (k->policy == NULL && k->target)
            k = cdk_kms_key_of(k->target);
        /* bound to the key's App, as a repository's document is: a user's document, made without
         * an App and now held by the key, is no new object to tie to the call's constructs */
        bind_iam_push_document(L, k->policy, n->app);
        lua_setfield(L, -2, "policy_dependable");
    }
    return 1;
}

static cdk_value *actions_from(lua_State *L, const bargs *a, int first, cdk_app *app)
{
    cdk_value *l = cdk_list(app);
    for (int i = first; l && i <= lua_gettop(L); i++)
        if (cdk_list_push(app, l, string_value(L, a, i, NULL, app)) != CDK_OK)
            l = NULL;
    if (l == NULL)
        bind_error(L, "not enough memory");
    return l;
}

static int l_grant(lua_State *L)
{
    cdk_node *n = self_key(L, "grant");
    bargs a = {"grant", 1};
    cdk_iam_principal *grantee = bind_check_grantee(L, &a, 2, NULL);
    cdk_value *actions = actions_from(L, &a, 3, n->app);
    cdk_iam_grant *g;
    if (cdk_kms_grant(n, grantee, actions, &g) != CDK_OK)
        return bind_raise(L, n->app);
    bind_push_grant(L, g, n->app);
    return 1;
}

static int grant_fixed(lua_State *L, const char *fname,
                       int (*fn)(cdk_node *, cdk_iam_principal *, cdk_iam_grant **))
{
    cdk_node *n = self_key(L, fname);
    bargs a = {fname, 1};
    cdk_iam_principal *grantee = bind_check_grantee(L, &a, 2, NULL);
    cdk_iam_grant *g;
    if (fn(n, grantee, &g) != CDK_OK)
        return bind_raise(L, n->app);
    bind_push_grant(L, g, n->app);
    return 1;
}

static int l_grant_encrypt(lua_State *L) { return grant_fixed(L, "grant_encrypt", cdk_kms_grant_encrypt); }
static int l_grant_decrypt(lua_State *L) { return grant_fixed(L, "grant_decrypt", cdk_kms_grant_decrypt); }
static int l_grant_encrypt_decrypt(lua_State *L)
{
    return grant_fixed(L, "grant_encrypt_decrypt", cdk_kms_grant_encrypt_decrypt);
}
static int l_grant_admin(lua_State *L) { return grant_fixed(L, "grant_admin", cdk_kms_grant_admin); }

/* Resource.applyRemovalPolicy: on the default child (the CfnKey / CfnAlias). */
static int l_apply_removal_policy(lua_State *L)
{
    cdk_node *n = self_key(L, "apply_removal_policy");
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

static int get_key(lua_State *L)
{
    cdk_node *n = bind_test_node(L, 1);
    cdk_kms_key *k = cdk_kms_key_of(n);
    const char *name = lua_tostring(L, 2);
    if (k == NULL)
        return 0;
    if (strcmp(name, "key_arn") == 0 || strcmp(name, "key_id") == 0) {
        cdk_value *v = name[4] == 'a' ? cdk_kms_key_arn(n) : cdk_kms_key_id(n);
        if (v == NULL)
            return bind_raise(L, n->app);
        bind_push_value(L, n->app, v);
    } else if (strcmp(name, "stack") == 0) {
        bind_push_node(L, n->stack);
    } else if (strcmp(name, "env") == 0) {
        lua_createtable(L, 0, 2);
        bind_push_value(L, n->app, k->phys.account);
        lua_setfield(L, -2, "account");
        bind_push_value(L, n->app, k->phys.region);
        lua_setfield(L, -2, "region");
    } else {
        return 0;
    }
    return 1;
}

/* ---------------------------------------------------------------------------------------------
 * Alias */

static int l_alias_new(lua_State *L)
{
    static const char *const allowed[] = {"alias_name", "target_key", "removal_policy", NULL};
    bargs a = {"Alias", SHIFT_CALL};
    cdk_node *scope = bind_check_scope(L, &a, 2);
    const char *id = bind_check_string(L, &a, 3, NULL, NULL);
    if (!lua_istable(L, 4))
        bind_argerror(L, &a, 4, "table expected, got %s", bind_typename(L, 4));
    bind_props(L, &a, 4, allowed);
    cdk_app *app = scope->app;
    cdk_kms_alias_props p = {0};
    lua_getfield(L, 4, "alias_name");
    p.alias_name = string_value(L, &a, 4, "alias_name", app);
    lua_pop(L, 1);
    lua_getfield(L, 4, "target_key");
    p.target_key = check_key(L, &a, 4, "target_key");
    lua_pop(L, 1);
    p.removal_policy = bind_removal_policy(L, &a, 4, "removal_policy");
    cdk_node *out;
    if (cdk_kms_alias_new(scope, id, &p, &out) != CDK_OK)
        return bind_raise(L, app);
    bind_push_node(L, out);
    return 1;
}

static int l_alias_from_alias_name(lua_State *L)
{
    bargs a = {"from_alias_name", 0};
    cdk_node *scope = bind_check_scope(L, &a, 1);
    const char *id = bind_check_string(L, &a, 2, NULL, NULL);
    cdk_value *name = string_value(L, &a, 3, NULL, scope->app);
    cdk_node *out;
    if (cdk_kms_alias_from_name(scope, id, name, &out) != CDK_OK)
        return bind_raise(L, scope->app);
    bind_push_node(L, out);
    return 1;
}

static int l_alias_from_alias_attributes(lua_State *L)
{
    static const char *const allowed[] = {"alias_name", "alias_target_key", NULL};
    bargs a = {"from_alias_attributes", 0};
    cdk_node *scope = bind_check_scope(L, &a, 1);
    const char *id = bind_check_string(L, &a, 2, NULL, NULL);
    if (!lua_istable(L, 3))
        bind_argerror(L, &a, 3, "table expected, got %s", bind_typename(L, 3));
    bind_props(L, &a, 3, allowed);
    lua_getfield(L, 3, "alias_name");
    cdk_value *name = string_value(L, &a, 3, "alias_name", scope->app);
    lua_getfield(L, 3, "alias_target_key");
    cdk_node *target = check_key(L, &a, 3, "alias_target_key");
    lua_pop(L, 2);
    cdk_node *out;
    if (cdk_kms_alias_from_attributes(scope, id, name, target, &out) != CDK_OK)
        return bind_raise(L, scope->app);
    bind_push_node(L, out);
    return 1;
}

static int get_alias(lua_State *L)
{
    cdk_node *n = bind_test_node(L, 1);
    cdk_kms_key *k = cdk_kms_key_of(n);
    const char *name = lua_tostring(L, 2);
    if (k == NULL)
        return 0;
    if (strcmp(name, "alias_name") == 0) {
        bind_push_value(L, n->app, k->alias_name);
    } else if (strcmp(name, "alias_target_key") == 0) {
        cdk_node *target;
        if (cdk_kms_alias_target(n, &target) != CDK_OK)
            return bind_raise(L, n->app);
        bind_push_node(L, target);
    } else {
        return 0;
    }
    return 1;
}

/* ---------------------------------------------------------------------------------------------
 * registration */

void bind_open_kms(lua_State *L)
{
    static const luaL_Reg ikey_methods[] = {
        {"add_alias", l_add_alias},
        {"add_to_resource_policy", l_add_to_resource_policy},
        {"grant", l_grant},
        {"grant_encrypt", l_grant_encrypt},
        {"grant_decrypt", l_grant_decrypt},
        {"grant_encrypt_decrypt", l_grant_encrypt_decrypt},
        {NULL, NULL},
    };
    static const luaL_Reg key_methods[] = {
        {"grant_admin", l_grant_admin},
        {"apply_removal_policy", l_apply_removal_policy},
        {NULL, NULL},
    };
    static const luaL_Reg alias_methods[] = {
        {"apply_removal_policy", l_apply_removal_policy},
        {NULL, NULL},
    };
    bind_define_class(L, "IKey", "Resource", ikey_methods, get_key);
    bind_define_class(L, "Key", "IKey", key_methods, NULL);
    bind_define_class(L, "ImportedKey", "IKey", NULL, NULL);
    bind_define_class(L, "Alias", "IKey", alias_methods, get_alias);
    bind_define_class(L, "ImportedAlias", "IKey", NULL, get_alias);

    lua_newtable(L); /* kms */
    lua_pushcfunction(L, l_key_new);
    lua_setfield(L, -2, "Key");
    lua_pushcfunction(L, l_alias_new);
    lua_setfield(L, -2, "Alias");
    static const luaL_Reg key_statics[] = {{"from_key_arn", l_key_from_key_arn}, {NULL, NULL}};
    lua_newtable(L);
    luaL_setfuncs(L, key_statics, 0);
    lua_setfield(L, -2, "KeyStatics");
    static const luaL_Reg alias_statics[] = {
        {"from_alias_name", l_alias_from_alias_name},
        {"from_alias_attributes", l_alias_from_alias_attributes},
        {NULL, NULL},
    };
    lua_newtable(L);
    luaL_setfuncs(L, alias_statics, 0);
    lua_setfield(L, -2, "AliasStatics");
    const cdk_schema *l1[] = {&cdk_kms_cfn_key, &cdk_kms_cfn_alias, &cdk_kms_cfn_replica_key};
    for (size_t i = 0; i < sizeof l1 / sizeof l1[0]; i++) {
        bind_push_l1(L, l1[i]);
        lua_setfield(L, -2, l1[i]->name);
    }
    lua_setfield(L, -2, "kms");
}
