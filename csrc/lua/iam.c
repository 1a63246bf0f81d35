/* iam.c: the binding of `cdk.iam` (principals, PolicyStatement, PolicyDocument, Role, User,
 * Group, Policy, ManagedPolicy, Grant) and of the ECR grants that need it. Principals,
 * statements and documents made without a scope live in the token holder App. */
#include <string.h>

#include "bind.h"
#include "bind_iam.h"
#include "cdk_ecr.h"
#include "cdk_iam.h"

#define SHIFT_CALL 1
#define MT_PRINCIPAL "cdk.Principal"
#define MT_STATEMENT "cdk.PolicyStatement"
#define MT_DOCUMENT "cdk.PolicyDocument"
#define MT_GRANT "cdk.Grant"

typedef struct lptr { void *p; } lptr;

/* A handle on an object the core already holds (a statement's principals): it is no new object
 * made from the call's constructs, so it is not tied to their App. */
static void push_held(lua_State *L, void *p, const char *mt, cdk_app *owner)
{
    bind_push_app(L, owner);
    lptr *u = cdk_newuserdata(L, sizeof *u);
    u->p = p;
    luaL_getmetatable(L, mt);
    lua_setmetatable(L, -2);
    lua_insert(L, -2);
    cdk_setuv(L, -2);
}

static void push_obj(lua_State *L, void *p, const char *mt, cdk_app *owner)
{
    push_held(L, p, mt, owner);
    /* an App-less object made from constructs keeps their App alive (and is tied to it) */
    if (owner == bind_holder(L))
        bind_adopt_args(L, -1);
}

static void *test_obj(lua_State *L, int idx, const char *mt)
{
    lptr *u = luaL_testudata(L, idx, mt);
    if (u == NULL)
        return NULL;
    cdk_getuv(L, idx);
    lapp *a = lua_touserdata(L, -1);
    lua_pop(L, 1);
    if (a == NULL || a->app == NULL)
        bind_error(L, "attempt to use an object of a closed App");
    if (idx == 1)
        bind_adopt_args(L, 1); /* a receiver given constructs is tied to their App */
    else
        bind_check_object(L, idx);
    return u->p;
}

/* A grantee: a principal, or a Role/User/Group (owned or imported). */
static cdk_iam_principal *check_grantee(lua_State *L, const bargs *a, int idx, const char *field)
{
    int vidx = field ? -1 : idx;
    cdk_iam_principal *p = test_obj(L, vidx, MT_PRINCIPAL);
    if (p)
        return p;
    cdk_node *n = bind_test_node(L, vidx);
    cdk_iam_identity *id = n ? cdk_iam_identity_of(n) : NULL;
    if (id)
        return &id->principal;
    bind_typeerror(L, a, idx, field, "principal (a Role, User, Group or iam principal)");
    return NULL;
}

cdk_iam_principal *bind_check_grantee(lua_State *L, const bargs *a, int idx, const char *field)
{
    return check_grantee(L, a, idx, field);
}

static cdk_iam_statement *check_statement(lua_State *L, const bargs *a, int idx, const char *field)
{
    cdk_iam_statement *s = test_obj(L, field ? -1 : idx, MT_STATEMENT);
    if (s == NULL)
        bind_typeerror(L, a, idx, field, "PolicyStatement");
    return s;
}

cdk_iam_statement *bind_check_statement(lua_State *L, const bargs *a, int idx, const char *field)
{
    return check_statement(L, a, idx, field);
}

static cdk_iam_document *check_document(lua_State *L, const bargs *a, int idx, const char *field)
{
    cdk_iam_document *d = test_obj(L, field ? -1 : idx, MT_DOCUMENT);
    if (d == NULL)
        bind_typeerror(L, a, idx, field, "PolicyDocument");
    return d;
}

cdk_value *bind_test_document(lua_State *L, int idx)
{
    if (luaL_testudata(L, idx, MT_DOCUMENT) == NULL)
        return NULL;
    cdk_value *v = cdk_iam_document_value(test_obj(L, idx, MT_DOCUMENT));
    if (v == NULL)
        bind_error(L, "not enough memory");
    return v;
}

static cdk_value *string_value(lua_State *L, const bargs *a, int idx, cdk_app *app)
{
    cdk_value *v = bind_value(L, a, idx, NULL, app);
    if (v->kind != CDK_STRING)
        bind_typeerror(L, a, idx, NULL, "string");
    return v;
}

static cdk_value *opt_map(lua_State *L, const bargs *a, int idx, const char *field, cdk_app *app)
{
    cdk_value *v = bind_opt_value(L, a, idx, field, app);
    if (v && v->kind != CDK_MAP && v->kind != CDK_TOKEN) {
        lua_getfield(L, idx, field);
        bind_typeerror(L, a, idx, field, "map");
    }
    return v;
}

/* ---------------------------------------------------------------------------------------------
 * principals */

static int principal1(lua_State *L, const char *fname, cdk_iam_principal_kind kind)
{
    bargs a = {fname, SHIFT_CALL};
    cdk_app *h = bind_holder(L);
    cdk_value *arg = string_value(L, &a, 2, h);
    cdk_iam_principal *p = cdk_iam_principal_new(h, kind, arg);
    if (p == NULL)
        return bind_error(L, "not enough memory");
    push_obj(L, p, MT_PRINCIPAL, h);
    return 1;
}

static int l_arn_principal(lua_State *L) { return principal1(L, "ArnPrincipal", CDK_IAM_ARN); }
static int l_account_principal(lua_State *L) { return principal1(L, "AccountPrincipal", CDK_IAM_ACCOUNT); }
static int l_organization_principal(lua_State *L) { return principal1(L, "OrganizationPrincipal", CDK_IAM_ORGANIZATION); }
static int l_canonical_user_principal(lua_State *L) { return principal1(L, "CanonicalUserPrincipal", CDK_IAM_CANONICAL_USER); }

static int principal0(lua_State *L, cdk_iam_principal_kind kind)
{
    cdk_app *h = bind_holder(L);
    cdk_iam_principal *p = cdk_iam_principal_new(h, kind, NULL);
    if (p == NULL)
        return bind_error(L, "not enough memory");
    push_obj(L, p, MT_PRINCIPAL, h);
    return 1;
}

static int l_account_root_principal(lua_State *L) { return principal0(L, CDK_IAM_ACCOUNT_ROOT); }
static int l_any_principal(lua_State *L) { return principal0(L, CDK_IAM_ANY); }
static int l_star_principal(lua_State *L) { return principal0(L, CDK_IAM_STAR); }

static int l_service_principal(lua_State *L)
{
    static const char *const allowed[] = {"conditions", "region", NULL};
    bargs a = {"ServicePrincipal", SHIFT_CALL};
    cdk_app *h = bind_holder(L);
    cdk_value *service = string_value(L, &a, 2, h);
    bind_props(L, &a, 3, allowed);
    cdk_value *conds = opt_map(L, &a, 3, "conditions", h);
    cdk_value *region = bind_opt_value(L, &a, 3, "region", h);
    if (region && region->kind != CDK_STRING) {
        lua_getfield(L, 3, "region");
        bind_typeerror(L, &a, 3, "region", "string");
    }
    cdk_iam_principal *p;
    if (cdk_iam_service_principal(h, service, conds, region, &p) != CDK_OK)
        return bind_raise(L, h);
    push_obj(L, p, MT_PRINCIPAL, h);
    return 1;
}

static int l_service_principal_name(lua_State *L)
{
    bargs a = {"service_principal_name", 0};
    cdk_app *h = bind_holder(L);
    cdk_value *service = string_value(L, &a, 1, h);
    bind_push_value(L, h, cdk_iam_service_principal_name(h, service, NULL));
    return 1;
}

static int l_federated_principal(lua_State *L)
{
    bargs a = {"FederatedPrincipal", SHIFT_CALL};
    cdk_app *h = bind_holder(L);
    cdk_value *fed = string_value(L, &a, 2, h);
    cdk_value *conds = lua_isnoneornil(L, 3) ? NULL : bind_value(L, &a, 3, NULL, h);
    if (conds && conds->kind != CDK_MAP)
        bind_typeerror(L, &a, 3, NULL, "map");
    const char *action = lua_isnoneornil(L, 4) ? NULL : bind_check_string(L, &a, 4, NULL, NULL);
    cdk_iam_principal *p;
    if (cdk_iam_federated_principal(h, fed, conds, action, &p) != CDK_OK)
        return bind_raise(L, h);
    push_obj(L, p, MT_PRINCIPAL, h);
    return 1;
}

static int l_web_identity_principal(lua_State *L)
{
    bargs a = {"WebIdentityPrincipal", SHIFT_CALL};
    cdk_app *h = bind_holder(L);
    cdk_value *provider = string_value(L, &a, 2, h);
    cdk_value *conds = lua_isnoneornil(L, 3) ? cdk_map(h) : bind_value(L, &a, 3, NULL, h);
    if (conds && conds->kind != CDK_MAP)
        bind_typeerror(L, &a, 3, NULL, "map");
    cdk_iam_principal *p;
    if (cdk_iam_web_identity_principal(h, provider, conds, &p) != CDK_OK)
        return bind_raise(L, h);
    push_obj(L, p, MT_PRINCIPAL, h);
    return 1;
}

static int l_composite_principal(lua_State *L)
{
    bargs a = {"CompositePrincipal", SHIFT_CALL};
    cdk_app *h = bind_holder(L);
    int top = lua_gettop(L);
    if (top < 2)
        return bind_error(L, "CompositePrincipals must be constructed with at least 1 Principal but none were passed.");
    cdk_iam_principal *c = cdk_iam_principal_new(h, CDK_IAM_COMPOSITE, NULL);
    if (c == NULL)
        return bind_error(L, "not enough memory");
    for (int i = 2; i <= top; i++)
        if (cdk_iam_composite_add(c, check_grantee(L, &a, i, NULL)) != CDK_OK)
            return bind_raise(L, h);
    push_obj(L, c, MT_PRINCIPAL, h);
    return 1;
}

static cdk_iam_principal *self_principal(lua_State *L, const char *fname)
{
    cdk_iam_principal *p = test_obj(L, 1, MT_PRINCIPAL);
    if (p == NULL)
        bind_error(L, "calling '%s' on bad self (principal expected, got %s)", fname, bind_typename(L, 1));
    return p;
}

/* PrincipalWithConditions(principal at idx, conditions at idx + 1). */
static int with_conditions(lua_State *L, const bargs *a, int idx)
{
    cdk_iam_principal *p = check_grantee(L, a, idx, NULL);
    cdk_app *h = p->app;
    cdk_value *conds = bind_value(L, a, idx + 1, NULL, h);
    if (conds->kind != CDK_MAP)
        bind_typeerror(L, a, idx + 1, NULL, "map");
    cdk_iam_principal *w = cdk_iam_with_conditions(p, conds);
    if (w == NULL)
        return bind_error(L, "not enough memory");
    push_obj(L, w, MT_PRINCIPAL, h);
    return 1;
}

static int l_principal_with_conditions(lua_State *L)
{
    bargs a = {"with_conditions", 1};
    if (test_obj(L, 1, MT_PRINCIPAL) == NULL)
        return bind_error(L, "calling 'with_conditions' on bad self (principal expected, got %s)", bind_typename(L, 1));
    return with_conditions(L, &a, 1);
}

static int l_principal_with_conditions_new(lua_State *L)
{
    bargs a = {"PrincipalWithConditions", SHIFT_CALL};
    return with_conditions(L, &a, 2);
}

static int l_principal_in_organization(lua_State *L)
{
    cdk_iam_principal *p = self_principal(L, "in_organization");
    bargs a = {"in_organization", 1};
    if (p->kind != CDK_IAM_ARN && p->kind != CDK_IAM_ACCOUNT && p->kind != CDK_IAM_ACCOUNT_ROOT && p->kind != CDK_IAM_ANY)
        return bind_error(L, "in_organization: only an ArnPrincipal (or an account or any principal) has it");
    cdk_value *org = string_value(L, &a, 2, p->app);
    cdk_value *conds = cdk_map(p->app), *eq = cdk_map(p->app);
    cdk_iam_principal *w;
    if (conds == NULL || eq == NULL || cdk_map_set(p->app, eq, "aws:PrincipalOrgID", org) != CDK_OK ||
        cdk_map_set(p->app, conds, "StringEquals", eq) != CDK_OK || (w = cdk_iam_with_conditions(p, conds)) == NULL)
        return bind_error(L, "not enough memory");
    push_obj(L, w, MT_PRINCIPAL, p->app);
    return 1;
}

static int l_principal_with_session_tags(lua_State *L)
{
    cdk_iam_principal *p = self_principal(L, "with_session_tags");
    cdk_iam_principal *w = cdk_iam_with_session_tags(p);
    if (w == NULL)
        return bind_error(L, "not enough memory");
    push_obj(L, w, MT_PRINCIPAL, p->app);
    return 1;
}

static int l_principal_add_condition(lua_State *L)
{
    cdk_iam_principal *p = self_principal(L, "add_condition");
    bargs a = {"add_condition", 1};
    const char *op = bind_check_string(L, &a, 2, NULL, NULL);
    cdk_value *v = bind_value(L, &a, 3, NULL, p->app);
    if (v->kind != CDK_MAP)
        bind_typeerror(L, &a, 3, NULL, "map");
    if (cdk_iam_principal_add_condition(p, op, v) != CDK_OK)
        return bind_raise(L, p->app);
    return 0;
}

static int l_principal_add_conditions(lua_State *L)
{
    cdk_iam_principal *p = self_principal(L, "add_conditions");
    bargs a = {"add_conditions", 1};
    cdk_value *v = bind_value(L, &a, 2, NULL, p->app);
    if (v->kind != CDK_MAP)
        bind_typeerror(L, &a, 2, NULL, "map");
    for (size_t i = 0; i < v->len; i++)
        if (cdk_iam_principal_add_condition(p, v->u.map.ents[i].key, v->u.map.ents[i].value) != CDK_OK)
            return bind_raise(L, p->app);
    return 0;
}

/* Principals that are not identities have no policy: statement_added is false, as in CDK
 * (a PrincipalWithConditions around an identity passes the statement on). */
static int principal_add(lua_State *L, const char *fname, int as_result)
{
    cdk_iam_principal *p = self_principal(L, fname);
    bargs a = {fname, 1};
    cdk_iam_statement *st = check_statement(L, &a, 2, NULL);
    cdk_app *app = p->identity ? p->identity->app : p->app;
    int added;
    if (cdk_iam_add_to_principal_policy(p, st, &added) != CDK_OK)
        return bind_raise(L, app);
    if (!as_result) {
        lua_pushboolean(L, added);
        return 1;
    }
    lua_createtable(L, 0, 1);
    lua_pushboolean(L, added);
    lua_setfield(L, -2, "statement_added");
    return 1;
}

static int l_principal_add_to_policy(lua_State *L) { return principal_add(L, "add_to_policy", 0); }
static int l_principal_add_to_principal_policy(lua_State *L) { return principal_add(L, "add_to_principal_policy", 1); }

static int l_principal_add_principals(lua_State *L)
{
    cdk_iam_principal *c = self_principal(L, "add_principals");
    bargs a = {"add_principals", 1};
    if (c->kind != CDK_IAM_COMPOSITE)
        return bind_error(L, "add_principals: only a CompositePrincipal takes principals");
    for (int i = 2; i <= lua_gettop(L); i++)
        if (cdk_iam_composite_add(c, check_grantee(L, &a, i, NULL)) != CDK_OK)
            return bind_raise(L, c->app);
    lua_settop(L, 1);
    return 1;
}

static void push_fragment(lua_State *L, cdk_iam_principal *p)
{
    cdk_value *json, *conds;
    if (cdk_iam_fragment(p->app, p, &json, &conds) != CDK_OK)
        bind_raise(L, p->app);
    lua_createtable(L, 0, 2);
    bind_push_value(L, p->app, json);
    lua_setfield(L, -2, "principal_json");
    bind_push_value(L, p->app, conds);
    lua_setfield(L, -2, "conditions");
}

static void push_fragment_conditions(lua_State *L, cdk_iam_principal *p)
{
    cdk_value *json, *conds;
    if (cdk_iam_fragment(p->app, p, &json, &conds) != CDK_OK)
        bind_raise(L, p->app);
    bind_push_value(L, p->app, conds);
}

static int l_principal_index(lua_State *L)
{
    static const luaL_Reg methods[] = {
        {"with_conditions", l_principal_with_conditions},
        {"with_session_tags", l_principal_with_session_tags},
        {"in_organization", l_principal_in_organization},
        {"add_principals", l_principal_add_principals},
        {"add_condition", l_principal_add_condition},
        {"add_conditions", l_principal_add_conditions},
        {"add_to_policy", l_principal_add_to_policy},
        {"add_to_principal_policy", l_principal_add_to_principal_policy},
        {NULL, NULL},
    };
    cdk_iam_principal *p = self_principal(L, "index");
    const char *k = lua_tostring(L, 2);
    if (k == NULL)
        return 0;
    for (const luaL_Reg *m = methods; m->name; m++) {
        if (strcmp(m->name, k) == 0) {
            lua_pushcfunction(L, m->func);
            return 1;
        }
    }
    if (strcmp(k, "assume_role_action") == 0)
        lua_pushstring(L, p->assume_role_action);
    else if (strcmp(k, "principal_account") == 0)
        bind_push_value(L, p->app, p->principal_account);
    else if (strcmp(k, "policy_fragment") == 0)
        push_fragment(L, p);
    else if (strcmp(k, "grant_principal") == 0)
        lua_pushvalue(L, 1);
    else if (strcmp(k, "conditions") == 0 && p->kind == CDK_IAM_WITH_CONDITIONS)
        push_fragment_conditions(L, p);
    else if (p->arg && ((strcmp(k, "arn") == 0 && p->kind == CDK_IAM_ARN) ||
                        (strcmp(k, "account_id") == 0 && p->kind == CDK_IAM_ACCOUNT) ||
                        (strcmp(k, "service") == 0 && p->kind == CDK_IAM_SERVICE) ||
                        (strcmp(k, "organization_id") == 0 && p->kind == CDK_IAM_ORGANIZATION) ||
                        (strcmp(k, "federated") == 0 && p->kind == CDK_IAM_FEDERATED) ||
                        (strcmp(k, "canonical_user_id") == 0 && p->kind == CDK_IAM_CANONICAL_USER)))
        bind_push_value(L, p->app, p->arg);
    else if ((strcmp(k, "arn") == 0 && (p->kind == CDK_IAM_ACCOUNT || p->kind == CDK_IAM_ACCOUNT_ROOT)))
        bind_push_value(L, p->app, p->arn);
    else if (strcmp(k, "arn") == 0 && p->kind == CDK_IAM_ANY)
        lua_pushliteral(L, "*");
    else
        return 0;
    return 1;
}

static int l_principal_tostring(lua_State *L)
{
    cdk_iam_principal *p = self_principal(L, "tostring");
    lua_pushstring(L, cdk_iam_principal_describe(p->app, p));
    return 1;
}

/* ---------------------------------------------------------------------------------------------
 * statements */

/* Adds the strings of a list value (actions or resources) to a statement. */
static void add_string_list(lua_State *L, cdk_iam_statement *s, cdk_value *v, int what, int not, int check_actions)
{
    cdk_app *app = s->app;
    size_t n = v->kind == CDK_LIST ? v->len : 0;
    for (size_t i = 0; check_actions && i < n; i++)
        if (cdk_iam_check_action(app, v->u.list.items[i]) != CDK_OK)
            bind_raise(L, app);
    int rc = what == 'a' ? cdk_iam_statement_add_actions(s, n ? v->u.list.items : NULL, n, not)
                         : cdk_iam_statement_add_resources(s, n ? v->u.list.items : NULL, n, not);
    if (rc != CDK_OK)
        bind_raise(L, app);
}

/* props[field] as a list of strings (the value on top of the stack). */
static cdk_value *string_list_field(lua_State *L, const bargs *a, int argidx, const char *field, cdk_app *app)
{
    size_t n = bind_check_list(L, a, argidx, -1, field, "list of strings");
    cdk_value *l = cdk_list(app);
    for (size_t i = 1; l && i <= n; i++) {
        lua_rawgeti(L, -1, (lua_Integer)i);
        const char *sub = lua_pushfstring(L, "%s[%d]", field, (int)i);
        lua_insert(L, -2);
        cdk_value *v = bind_value(L, a, argidx, sub, app);
        if (v->kind != CDK_STRING)
            bind_typeerror(L, a, argidx, sub, "string");
        if (cdk_list_push(app, l, v) != CDK_OK)
            l = NULL;
        lua_pop(L, 2);
    }
    if (l == NULL)
        bind_error(L, "not enough memory");
    return l;
}

static void add_principals_list(lua_State *L, const bargs *a, int argidx, int vidx, const char *field,
                                cdk_iam_statement *s, int not)
{
    size_t n = bind_check_list(L, a, argidx, vidx, field, "list of principals");
    for (size_t i = 1; i <= n; i++) {
        lua_rawgeti(L, vidx, (lua_Integer)i);
        const char *sub = lua_pushfstring(L, "%s[%d]", field, (int)i);
        lua_insert(L, -2);
        cdk_iam_principal *p = check_grantee(L, a, argidx, sub);
        if (cdk_iam_statement_add_principal(s, p, not) != CDK_OK)
            bind_raise(L, s->app);
        lua_pop(L, 2);
    }
}

/* new PolicyStatement(props at idx): for statement:copy(overrides), a field absent from props
 * comes from base, as CDK's copy passes `overrides.x ?? this.x` to the constructor. */
static cdk_iam_statement *build_statement(lua_State *L, const bargs *a, int idx, cdk_iam_statement *base)
{
    static const char *const allowed[] = {"sid", "effect", "actions", "not_actions", "resources", "not_resources",
                                          "principals", "not_principals", "conditions", NULL};
    static const char *const effects[] = {"Allow", "Deny", NULL};
    bind_props(L, a, idx, allowed);
    cdk_app *h = base ? base->app : bind_holder(L);
    cdk_iam_statement *s = cdk_iam_statement_new(h);
    if (s == NULL)
        bind_error(L, "not enough memory");
    s->sid = bind_opt_value(L, a, idx, "sid", h);
    if (s->sid && s->sid->kind != CDK_STRING) {
        lua_getfield(L, idx, "sid");
        bind_typeerror(L, a, idx, "sid", "string");
    }
    if (s->sid == NULL && base)
        s->sid = base->sid;
    int e = bind_opt_enum(L, a, idx, "effect", effects);
    if (e >= 0)
        s->effect = effects[e];
    else if (base)
        s->effect = base->effect;
    const char *fields[] = {"actions", "not_actions", "principals", "not_principals", "resources", "not_resources"};
    for (int i = 0; i < 6; i++) {
        if (lua_istable(L, idx))
            lua_getfield(L, idx, fields[i]);
        else
            lua_pushnil(L);
        if (!lua_isnil(L, -1)) {
            int top = lua_gettop(L);
            if (i == 2 || i == 3)
                add_principals_list(L, a, idx, top, fields[i], s, i == 3);
            else
                add_string_list(L, s, string_list_field(L, a, idx, fields[i], h), i < 2 ? 'a' : 'r', i % 2, i < 2);
        } else if (base) {
            int rc = CDK_OK;
            const cdk_iam_statement_extra *bx = cdk_iam_statement_x(base);
            size_t np = i == 2 ? bx->nprincipals : bx->nnot_principals;
            cdk_iam_principal **ps = i == 2 ? bx->principals : bx->not_principals;
            cdk_value *l = i == 0 ? base->actions : i == 1 ? base->not_actions : i == 4 ? base->resources : base->not_resources;
            if (i == 2 || i == 3)
                for (size_t k = 0; rc == CDK_OK && k < np; k++)
                    rc = cdk_iam_statement_add_principal(s, ps[k], i == 3);
            else if (i < 2)
                rc = cdk_iam_statement_add_actions(s, l->u.list.items, l->len, i == 1);
            else
                rc = cdk_iam_statement_add_resources(s, l->u.list.items, l->len, i == 5);
            if (rc != CDK_OK)
                bind_raise(L, h);
        }
        lua_pop(L, 1);
    }
    cdk_value *conds = opt_map(L, a, idx, "conditions", h);
    if (conds == NULL && base)
        conds = base->conditions;
    for (size_t i = 0; conds && conds->kind == CDK_MAP && i < conds->len; i++)
        if (cdk_iam_statement_add_condition(s, conds->u.map.ents[i].key, conds->u.map.ents[i].value) != CDK_OK)
            bind_raise(L, h);
    return s;
}

static int l_statement_from_json(lua_State *L)
{
    bargs a = {"from_json", 0};
    cdk_app *h = bind_holder(L);
    cdk_value *obj = bind_value(L, &a, 1, NULL, h);
    if (obj->kind != CDK_MAP)
        bind_typeerror(L, &a, 1, NULL, "table");
    cdk_iam_statement *s;
    if (cdk_iam_statement_from_json(h, obj, &s) != CDK_OK)
        return bind_raise(L, h);
    push_obj(L, s, MT_STATEMENT, h);
    return 1;
}

static int l_document_from_json(lua_State *L)
{
    bargs a = {"from_json", 0};
    cdk_app *h = bind_holder(L);
    cdk_value *obj = bind_value(L, &a, 1, NULL, h);
    if (obj->kind != CDK_MAP)
        bind_typeerror(L, &a, 1, NULL, "table");
    cdk_iam_document *d;
    if (cdk_iam_document_from_json(h, obj, &d) != CDK_OK)
        return bind_raise(L, h);
    push_obj(L, d, MT_DOCUMENT, h);
    return 1;
}

static int l_statement_new(lua_State *L)
{
    bargs a = {"PolicyStatement", SHIFT_CALL};
    cdk_iam_statement *s = build_statement(L, &a, 2, NULL);
    push_obj(L, s, MT_STATEMENT, s->app);
    return 1;
}

static cdk_iam_statement *self_statement(lua_State *L, const char *fname)
{
    cdk_iam_statement *s = test_obj(L, 1, MT_STATEMENT);
    if (s == NULL)
        bind_error(L, "calling '%s' on bad self (PolicyStatement expected, got %s)", fname, bind_typename(L, 1));
    return s;
}

static int varargs_strings(lua_State *L, const char *fname, int what, int not)
{
    cdk_iam_statement *s = self_statement(L, fname);
    bargs a = {fname, 1};
    cdk_value *l = cdk_list(s->app);
    for (int i = 2; l && i <= lua_gettop(L); i++)
        if (cdk_list_push(s->app, l, string_value(L, &a, i, s->app)) != CDK_OK)
            l = NULL;
    if (l == NULL)
        return bind_error(L, "not enough memory");
    add_string_list(L, s, l, what, not, 0);
    return 0;
}

static int l_st_add_actions(lua_State *L) { return varargs_strings(L, "add_actions", 'a', 0); }
static int l_st_add_not_actions(lua_State *L) { return varargs_strings(L, "add_not_actions", 'a', 1); }
static int l_st_add_resources(lua_State *L) { return varargs_strings(L, "add_resources", 'r', 0); }
static int l_st_add_not_resources(lua_State *L) { return varargs_strings(L, "add_not_resources", 'r', 1); }

static int principals_varargs(lua_State *L, const char *fname, int not)
{
    cdk_iam_statement *s = self_statement(L, fname);
    bargs a = {fname, 1};
    for (int i = 2; i <= lua_gettop(L); i++)
        if (cdk_iam_statement_add_principal(s, check_grantee(L, &a, i, NULL), not) != CDK_OK)
            return bind_raise(L, s->app);
    return 0;
}

static int l_st_add_principals(lua_State *L) { return principals_varargs(L, "add_principals", 0); }
static int l_st_add_not_principals(lua_State *L) { return principals_varargs(L, "add_not_principals", 1); }

static int add_principal_kind(lua_State *L, const char *fname, cdk_iam_principal_kind kind, int has_arg)
{
    cdk_iam_statement *s = self_statement(L, fname);
    bargs a = {fname, 1};
    cdk_value *arg = has_arg ? string_value(L, &a, 2, s->app) : NULL;
    cdk_iam_principal *p = cdk_iam_principal_new(s->app, kind, arg);
    if (p == NULL)
        return bind_error(L, "not enough memory");
    if (cdk_iam_statement_add_principal(s, p, 0) != CDK_OK)
        return bind_raise(L, s->app);
    return 0;
}

static int l_st_add_account_root_principal(lua_State *L)
{
    return add_principal_kind(L, "add_account_root_principal", CDK_IAM_ACCOUNT_ROOT, 0);
}
static int l_st_add_any_principal(lua_State *L) { return add_principal_kind(L, "add_any_principal", CDK_IAM_ANY, 0); }
static int l_st_add_aws_account_principal(lua_State *L)
{
    return add_principal_kind(L, "add_aws_account_principal", CDK_IAM_ACCOUNT, 1);
}
static int l_st_add_arn_principal(lua_State *L) { return add_principal_kind(L, "add_arn_principal", CDK_IAM_ARN, 1); }

static int l_st_add_service_principal(lua_State *L)
{
    static const char *const allowed[] = {"conditions", "region", NULL};
    cdk_iam_statement *s = self_statement(L, "add_service_principal");
    bargs a = {"add_service_principal", 1};
    cdk_value *svc = string_value(L, &a, 2, s->app);
    bind_props(L, &a, 3, allowed);
    cdk_value *conds = opt_map(L, &a, 3, "conditions", s->app);
    cdk_value *region = bind_opt_value(L, &a, 3, "region", s->app);
    if (region && region->kind != CDK_STRING) {
        lua_getfield(L, 3, "region");
        bind_typeerror(L, &a, 3, "region", "string");
    }
    cdk_iam_principal *p;
    if (cdk_iam_service_principal(s->app, svc, conds, region, &p) != CDK_OK ||
        cdk_iam_statement_add_principal(s, p, 0) != CDK_OK)
        return bind_raise(L, s->app);
    return 0;
}

static int l_st_add_federated_principal(lua_State *L)
{
    cdk_iam_statement *s = self_statement(L, "add_federated_principal");
    bargs a = {"add_federated_principal", 1};
    cdk_value *fed = string_value(L, &a, 2, s->app);
    cdk_value *conds = lua_isnoneornil(L, 3) ? NULL : bind_value(L, &a, 3, NULL, s->app);
    if (conds && conds->kind != CDK_MAP)
        bind_typeerror(L, &a, 3, NULL, "map");
    cdk_iam_principal *p;
    if (cdk_iam_federated_principal(s->app, fed, conds, NULL, &p) != CDK_OK ||
        cdk_iam_statement_add_principal(s, p, 0) != CDK_OK)
        return bind_raise(L, s->app);
    return 0;
}

static int l_st_add_canonical_user_principal(lua_State *L)
{
    return add_principal_kind(L, "add_canonical_user_principal", CDK_IAM_CANONICAL_USER, 1);
}

static int l_st_add_all_resources(lua_State *L)
{
    cdk_iam_statement *s = self_statement(L, "add_all_resources");
    cdk_value *star = cdk_str(s->app, "*");
    if (cdk_iam_statement_add_resources(s, &star, 1, 0) != CDK_OK)
        return bind_raise(L, s->app);
    return 0;
}

static int l_st_add_condition(lua_State *L)
{
    cdk_iam_statement *s = self_statement(L, "add_condition");
    bargs a = {"add_condition", 1};
    const char *op = bind_check_string(L, &a, 2, NULL, NULL);
    cdk_value *v = bind_value(L, &a, 3, NULL, s->app);
    if (v->kind == CDK_UNDEFINED)
        bind_typeerror(L, &a, 3, NULL, "table");
    if (cdk_iam_statement_add_condition(s, op, v) != CDK_OK)
        return bind_raise(L, s->app);
    return 0;
}

static int l_st_add_conditions(lua_State *L)
{
    cdk_iam_statement *s = self_statement(L, "add_conditions");
    bargs a = {"add_conditions", 1};
    cdk_value *v = bind_value(L, &a, 2, NULL, s->app);
    if (v->kind != CDK_MAP)
        bind_typeerror(L, &a, 2, NULL, "map");
    for (size_t i = 0; i < v->len; i++)
        if (cdk_iam_statement_add_condition(s, v->u.map.ents[i].key, v->u.map.ents[i].value) != CDK_OK)
            return bind_raise(L, s->app);
    return 0;
}

static int l_st_add_account_condition(lua_State *L)
{
    cdk_iam_statement *s = self_statement(L, "add_account_condition");
    bargs a = {"add_account_condition", 1};
    cdk_value *acct = string_value(L, &a, 2, s->app);
    cdk_value *m = cdk_map(s->app);
    if (m == NULL || cdk_map_set(s->app, m, "sts:ExternalId", acct) != CDK_OK ||
        cdk_iam_statement_add_condition(s, "StringEquals", m) != CDK_OK)
        return bind_raise(L, s->app);
    return 0;
}

static int validate_into(lua_State *L, cdk_app *app, int kind, cdk_iam_statement *s, cdk_iam_document *d)
{
    cdk_strlist errs = {0};
    int rc = s ? cdk_iam_statement_validate(app, s, kind, &errs) : cdk_iam_document_validate(d, kind, &errs);
    if (rc != CDK_OK)
        return bind_raise(L, app);
    lua_createtable(L, (int)errs.len, 0);
    for (size_t i = 0; i < errs.len; i++) {
        lua_pushstring(L, errs.items[i]);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    return 1;
}

static int l_st_validate_any(lua_State *L)
{
    cdk_iam_statement *s = self_statement(L, "validate_for_any_policy");
    return validate_into(L, s->app, CDK_IAM_ANY_POLICY, s, NULL);
}
static int l_st_validate_resource(lua_State *L)
{
    cdk_iam_statement *s = self_statement(L, "validate_for_resource_policy");
    return validate_into(L, s->app, CDK_IAM_RESOURCE_POLICY, s, NULL);
}
static int l_st_validate_identity(lua_State *L)
{
    cdk_iam_statement *s = self_statement(L, "validate_for_identity_policy");
    return validate_into(L, s->app, CDK_IAM_IDENTITY_POLICY, s, NULL);
}

static int l_st_copy(lua_State *L)
{
    cdk_iam_statement *base = self_statement(L, "copy");
    bargs a = {"copy", 1};
    cdk_iam_statement *s = build_statement(L, &a, 2, base);
    push_obj(L, s, MT_STATEMENT, s->app);
    return 1;
}

static void push_principal_list(lua_State *L, cdk_iam_principal **ps, size_t n, cdk_app *app)
{
    lua_createtable(L, (int)n, 0);
    for (size_t i = 0; i < n; i++) {
        if (ps[i]->kind == CDK_IAM_IDENTITY && ps[i]->identity)
            bind_push_node(L, ps[i]->identity);
        else
            push_held(L, ps[i], MT_PRINCIPAL, ps[i]->app ? ps[i]->app : app);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
}

static int l_st_to_json(lua_State *L)
{
    cdk_iam_statement *s = self_statement(L, "to_statement_json");
    bind_push_value(L, s->app, cdk_iam_statement_json(s->app, s));
    return 1;
}

static int l_statement_index(lua_State *L)
{
    static const luaL_Reg methods[] = {
        {"add_actions", l_st_add_actions},
        {"add_not_actions", l_st_add_not_actions},
        {"add_resources", l_st_add_resources},
        {"add_not_resources", l_st_add_not_resources},
        {"add_principals", l_st_add_principals},
        {"add_not_principals", l_st_add_not_principals},
        {"add_account_root_principal", l_st_add_account_root_principal},
        {"add_any_principal", l_st_add_any_principal},
        {"add_aws_account_principal", l_st_add_aws_account_principal},
        {"add_arn_principal", l_st_add_arn_principal},
        {"add_service_principal", l_st_add_service_principal},
        {"add_federated_principal", l_st_add_federated_principal},
        {"add_canonical_user_principal", l_st_add_canonical_user_principal},
        {"add_all_resources", l_st_add_all_resources},
        {"add_condition", l_st_add_condition},
        {"add_conditions", l_st_add_conditions},
        {"add_account_condition", l_st_add_account_condition},
        {"validate_for_any_policy", l_st_validate_any},
        {"validate_for_resource_policy", l_st_validate_resource},
        {"validate_for_identity_policy", l_st_validate_identity},
        {"to_statement_json", l_st_to_json},
        {"to_json", l_st_to_json},
        {"copy", l_st_copy},
        {NULL, NULL},
    };
    cdk_iam_statement *s = self_statement(L, "index");
    const char *k = lua_tostring(L, 2);
    if (k == NULL)
        return 0;
    for (const luaL_Reg *m = methods; m->name; m++) {
        if (strcmp(m->name, k) == 0) {
            lua_pushcfunction(L, m->func);
            return 1;
        }
    }
    if (strcmp(k, "effect") == 0)
        lua_pushstring(L, s->effect);
    else if (strcmp(k, "sid") == 0)
        bind_push_value(L, s->app, s->sid);
    else if (strcmp(k, "actions") == 0)
        bind_push_value(L, s->app, s->actions);
    else if (strcmp(k, "not_actions") == 0)
        bind_push_value(L, s->app, s->not_actions);
    else if (strcmp(k, "resources") == 0)
        bind_push_value(L, s->app, s->resources);
    else if (strcmp(k, "not_resources") == 0)
        bind_push_value(L, s->app, s->not_resources);
    else if (strcmp(k, "conditions") == 0)
        bind_push_value(L, s->app, s->conditions);
    else if (strcmp(k, "principals") == 0)
        push_principal_list(L, cdk_iam_statement_x(s)->principals, cdk_iam_statement_x(s)->nprincipals, s->app);
    else if (strcmp(k, "not_principals") == 0)
        push_principal_list(L, cdk_iam_statement_x(s)->not_principals, cdk_iam_statement_x(s)->nnot_principals,
                            s->app);
    else if (strcmp(k, "has_principal") == 0)
        lua_pushboolean(L, cdk_iam_statement_x(s)->nprincipals + cdk_iam_statement_x(s)->nnot_principals > 0);
    else if (strcmp(k, "has_resource") == 0)
        lua_pushboolean(L, s->resources->len > 0);
    else
        return 0;
    return 1;
}

static int l_statement_newindex(lua_State *L)
{
    cdk_iam_statement *s = self_statement(L, "newindex");
    const char *k = lua_tostring(L, 2);
    if (k && strcmp(k, "sid") == 0) {
        bargs a = {"sid", 0};
        s->sid = lua_isnil(L, 3) ? NULL : string_value(L, &a, 3, s->app);
        return 0;
    }
    if (k && strcmp(k, "effect") == 0) {
        const char *e = lua_tostring(L, 3);
        if (e == NULL || (strcmp(e, "Allow") != 0 && strcmp(e, "Deny") != 0))
            return bind_error(L, "effect must be iam.Effect.ALLOW or iam.Effect.DENY");
        s->effect = strcmp(e, "Allow") == 0 ? "Allow" : "Deny";
        return 0;
    }
    return bind_error(L, "cannot set field '%s' of a PolicyStatement", k ? k : "?");
}

/* ---------------------------------------------------------------------------------------------
 * documents */

static int l_document_new(lua_State *L)
{
    static const char *const allowed[] = {"statements", "assign_sids", "minimize", NULL};
    bargs a = {"PolicyDocument", SHIFT_CALL};
    bind_props(L, &a, 2, allowed);
    cdk_app *h = bind_holder(L);
    int sids = bind_opt_bool(L, &a, 2, "assign_sids");
    cdk_iam_document *d = cdk_iam_document_new(h, sids > 0);
    if (d == NULL)
        return bind_error(L, "not enough memory");
    d->minimize = bind_opt_bool(L, &a, 2, "minimize");
    if (lua_istable(L, 2))
        lua_getfield(L, 2, "statements");
    else
        lua_pushnil(L);
    if (!lua_isnil(L, -1)) {
        int t = lua_gettop(L);
        size_t n = bind_check_list(L, &a, 2, t, "statements", "list of PolicyStatement");
        for (size_t i = 1; i <= n; i++) {
            lua_rawgeti(L, t, (lua_Integer)i);
            const char *sub = lua_pushfstring(L, "statements[%d]", (int)i);
            lua_insert(L, -2);
            if (cdk_iam_document_add(d, check_statement(L, &a, 2, sub)) != CDK_OK)
                return bind_raise(L, h);
            lua_pop(L, 2);
        }
    }
    lua_pop(L, 1);
    push_obj(L, d, MT_DOCUMENT, h);
    return 1;
}

static cdk_iam_document *self_document(lua_State *L, const char *fname)
{
    cdk_iam_document *d = test_obj(L, 1, MT_DOCUMENT);
    if (d == NULL)
        bind_error(L, "calling '%s' on bad self (PolicyDocument expected, got %s)", fname, bind_typename(L, 1));
    return d;
}

static int l_doc_add_statements(lua_State *L)
{
    cdk_iam_document *d = self_document(L, "add_statements");
    bargs a = {"add_statements", 1};
    for (int i = 2; i <= lua_gettop(L); i++)
        if (cdk_iam_document_add(d, check_statement(L, &a, i, NULL)) != CDK_OK)
            return bind_raise(L, d->app);
    return 0;
}

static int l_doc_validate_any(lua_State *L)
{
    cdk_iam_document *d = self_document(L, "validate_for_any_policy");
    return validate_into(L, d->app, CDK_IAM_ANY_POLICY, NULL, d);
}
static int l_doc_validate_resource(lua_State *L)
{
    cdk_iam_document *d = self_document(L, "validate_for_resource_policy");
    return validate_into(L, d->app, CDK_IAM_RESOURCE_POLICY, NULL, d);
}
static int l_doc_validate_identity(lua_State *L)
{
    cdk_iam_document *d = self_document(L, "validate_for_identity_policy");
    return validate_into(L, d->app, CDK_IAM_IDENTITY_POLICY, NULL, d);
}

static int l_document_index(lua_State *L)
{
    static const luaL_Reg methods[] = {
        {"add_statements", l_doc_add_statements},
        {"validate_for_any_policy", l_doc_validate_any},
        {"validate_for_resource_policy", l_doc_validate_resource},
        {"validate_for_identity_policy", l_doc_validate_identity},
        {NULL, NULL},
    };
    cdk_iam_document *d = self_document(L, "index");
    const char *k = lua_tostring(L, 2);
    if (k == NULL)
        return 0;
    for (const luaL_Reg *m = methods; m->name; m++) {
        if (strcmp(m->name, k) == 0) {
            lua_pushcfunction(L, m->func);
            return 1;
        }
    }
    if (strcmp(k, "is_empty") == 0)
        lua_pushboolean(L, d->n == 0);
    else if (strcmp(k, "statement_count") == 0)
        lua_pushinteger(L, (lua_Integer)d->n);
    else
        return 0;
    return 1;
}

/* The document as a value inside templates (tostring / conversion). */
static int l_document_tostring(lua_State *L)
{
    cdk_iam_document *d = self_document(L, "tostring");
    cdk_value *v = cdk_iam_document_value(d);
    if (v == NULL)
        return bind_error(L, "not enough memory");
    lua_pushstring(L, cdk_token_str(d->app, v->u.token));
    return 1;
}

/* ---------------------------------------------------------------------------------------------
 * identities */

static cdk_value *managed_arn_of(lua_State *L, const bargs *a, int argidx, const char *field, cdk_app *app)
{
    /* a ManagedPolicy construct, or any table/userdata with managed_policy_arn */
    cdk_node *n = bind_test_node(L, -1);
    if (n && cdk_iam_managed_policy_arn(n))
        return cdk_iam_managed_policy_arn(n);
    if (lua_istable(L, -1)) {
        lua_getfield(L, -1, "managed_policy_arn");
        if (lua_type(L, -1) == LUA_TSTRING) {
            cdk_value *v = field ? bind_value(L, a, argidx, field, app) : bind_value(L, a, lua_gettop(L), NULL, app);
            lua_pop(L, 1);
            return v;
        }
        lua_pop(L, 1);
    }
    bind_typeerror(L, a, argidx, field, "managed policy");
    return NULL;
}

static cdk_value *opt_managed_list(lua_State *L, const bargs *a, int idx, const char *field, cdk_app *app)
{
    if (!bind_has(L, idx, field))
        return NULL;
    lua_getfield(L, idx, field);
    int t = lua_gettop(L);
    size_t n = bind_check_list(L, a, idx, t, field, "list of managed policies");
    cdk_value *l = cdk_list(app);
    for (size_t i = 1; l && i <= n; i++) {
        lua_rawgeti(L, t, (lua_Integer)i);
        const char *sub = lua_pushfstring(L, "%s[%d]", field, (int)i);
        lua_insert(L, -2);
        if (cdk_list_push(app, l, managed_arn_of(L, a, idx, sub, app)) != CDK_OK)
            return NULL;
        lua_pop(L, 2);
    }
    lua_pop(L, 1);
    return l;
}

static cdk_value *opt_string_value(lua_State *L, const bargs *a, int idx, const char *field, cdk_app *app)
{
    cdk_value *v = bind_opt_value(L, a, idx, field, app);
    if (v && v->kind != CDK_STRING) {
        lua_getfield(L, idx, field);
        bind_typeerror(L, a, idx, field, "string");
    }
    return v;
}

static int l_role_new(lua_State *L)
{
    static const char *const allowed[] = {"assumed_by", "role_name", "managed_policies", "inline_policies",
                                          "description", "max_session_duration", "path", "external_ids",
                                          "external_id", "permissions_boundary", NULL};
    bargs a = {"Role", SHIFT_CALL};
    cdk_node *scope = bind_check_scope(L, &a, 2);
    const char *id = bind_check_string(L, &a, 3, NULL, NULL);
    if (!lua_istable(L, 4))
        bind_argerror(L, &a, 4, "table expected, got %s", bind_typename(L, 4));
    bind_props(L, &a, 4, allowed);
    cdk_app *app = scope->app;
    cdk_iam_role_props p = {0};
    lua_getfield(L, 4, "assumed_by");
    if (lua_isnil(L, -1))
        bind_fielderror(L, &a, 4, "assumed_by", "required");
    p.assumed_by = check_grantee(L, &a, 4, "assumed_by");
    lua_pop(L, 1);
    p.role_name = opt_string_value(L, &a, 4, "role_name", app);
    p.managed_policy_arns = opt_managed_list(L, &a, 4, "managed_policies", app);
    p.description = opt_string_value(L, &a, 4, "description", app);
    p.path = opt_string_value(L, &a, 4, "path", app);
    cdk_duration d;
    if (bind_opt_duration(L, &a, 4, "max_session_duration", &d)) {
        if (cdk_duration_to(app, d, CDK_SECONDS, 1, &p.max_session_seconds) != CDK_OK)
            return bind_raise(L, app);
        p.has_max_session = 1;
    }
    const char **ids = NULL;
    long nids = bind_opt_strlist(L, &a, 4, "external_ids", app, &ids);
    const char *one = bind_opt_str(L, &a, 4, "external_id", app);
    if (nids > 0 || one) {
        p.external_ids = cdk_list(app);
        for (long i = 0; i < nids; i++)
            cdk_list_push(app, p.external_ids, cdk_str(app, ids[i]));
        if (one)
            cdk_list_push(app, p.external_ids, cdk_str(app, one));
    }
    if (bind_has(L, 4, "permissions_boundary")) {
        lua_getfield(L, 4, "permissions_boundary");
        p.permissions_boundary_arn = managed_arn_of(L, &a, 4, "permissions_boundary", app);
        lua_pop(L, 1);
    }
    if (bind_has(L, 4, "inline_policies")) {
        lua_getfield(L, 4, "inline_policies");
        int t = lua_gettop(L);
        if (!lua_istable(L, t))
            bind_typeerror(L, &a, 4, "inline_policies", "map of PolicyDocument");
        size_t n = 0;
        lua_pushnil(L);
        while (lua_next(L, t)) {
            lua_pop(L, 1);
            n++;
        }
        p.inline_names = cdk_alloc(app, (n + 1) * sizeof *p.inline_names);
        p.inline_docs = cdk_alloc(app, (n + 1) * sizeof *p.inline_docs);
        if (!p.inline_names || !p.inline_docs)
            return bind_error(L, "not enough memory");
        /* names sorted: Lua tables have no order */
        lua_pushnil(L);
        while (lua_next(L, t)) {
            if (lua_type(L, -2) != LUA_TSTRING)
                bind_fielderror(L, &a, 4, "inline_policies", "policy names must be strings");
            const char *name = lua_tostring(L, -2);
            const char *sub = lua_pushfstring(L, "inline_policies.%s", name);
            lua_pushvalue(L, -2);
            cdk_iam_document *doc = check_document(L, &a, 4, sub);
            size_t k = p.ninline;
            while (k > 0 && strcmp(p.inline_names[k - 1], name) > 0) {
                p.inline_names[k] = p.inline_names[k - 1];
                p.inline_docs[k] = p.inline_docs[k - 1];
                k--;
            }
            p.inline_names[k] = cdk_strdup(app, name);
            p.inline_docs[k] = doc;
            p.ninline++;
            lua_pop(L, 3);
        }
        lua_pop(L, 1);
    }
    cdk_node *out;
    if (cdk_iam_role_new(scope, id, &p, &out) != CDK_OK)
        return bind_raise(L, app);
    bind_push_node(L, out);
    return 1;
}

static int l_user_new(lua_State *L)
{
    static const char *const allowed[] = {"user_name", "managed_policies", "path", "permissions_boundary", "groups", NULL};
    bargs a = {"User", SHIFT_CALL};
    cdk_node *scope = bind_check_scope(L, &a, 2);
    const char *id = bind_check_string(L, &a, 3, NULL, NULL);
    bind_props(L, &a, 4, allowed);
    cdk_app *app = scope->app;
    cdk_iam_user_props p = {0};
    p.user_name = opt_string_value(L, &a, 4, "user_name", app);
    p.managed_policy_arns = opt_managed_list(L, &a, 4, "managed_policies", app);
    p.path = opt_string_value(L, &a, 4, "path", app);
    if (bind_has(L, 4, "permissions_boundary")) {
        lua_getfield(L, 4, "permissions_boundary");
        p.permissions_boundary_arn = managed_arn_of(L, &a, 4, "permissions_boundary", app);
        lua_pop(L, 1);
    }
    if (bind_has(L, 4, "groups")) {
        lua_getfield(L, 4, "groups");
        int t = lua_gettop(L);
        size_t n = bind_check_list(L, &a, 4, t, "groups", "list of Group");
        p.groups = cdk_alloc(app, (n + 1) * sizeof *p.groups);
        for (size_t i = 1; p.groups && i <= n; i++) {
            lua_rawgeti(L, t, (lua_Integer)i);
            cdk_node *g = bind_test_node(L, -1);
            cdk_iam_identity *gi = g ? cdk_iam_identity_of(g) : NULL;
            if (gi == NULL || (gi->kind != CDK_IAM_GROUP && gi->kind != CDK_IAM_IMPORTED_GROUP))
                bind_typeerror(L, &a, 4, lua_pushfstring(L, "groups[%d]", (int)i), "Group");
            p.groups[p.ngroups++] = g;
            lua_pop(L, 1);
        }
        lua_pop(L, 1);
    }
    cdk_node *out;
    if (cdk_iam_user_new(scope, id, &p, &out) != CDK_OK)
        return bind_raise(L, app);
    bind_push_node(L, out);
    return 1;
}

static int l_group_new(lua_State *L)
{
    static const char *const allowed[] = {"group_name", "managed_policies", "path", NULL};
    bargs a = {"Group", SHIFT_CALL};
    cdk_node *scope = bind_check_scope(L, &a, 2);
    const char *id = bind_check_string(L, &a, 3, NULL, NULL);
    bind_props(L, &a, 4, allowed);
    cdk_app *app = scope->app;
    cdk_iam_group_props p = {0};
    p.group_name = opt_string_value(L, &a, 4, "group_name", app);
    p.managed_policy_arns = opt_managed_list(L, &a, 4, "managed_policies", app);
    p.path = opt_string_value(L, &a, 4, "path", app);
    cdk_node *out;
    if (cdk_iam_group_new(scope, id, &p, &out) != CDK_OK)
        return bind_raise(L, app);
    bind_push_node(L, out);
    return 1;
}

enum { IMP_ROLE_ARN, IMP_ROLE_NAME, IMP_USER_NAME, IMP_USER_ARN, IMP_GROUP_ARN, IMP_GROUP_NAME, IMP_POLICY_NAME,
       IMP_MANAGED_ARN, IMP_MANAGED_NAME };

static int import_fn(lua_State *L, const char *fname, int kind)
{
    bargs a = {fname, 0};
    cdk_node *scope = bind_check_scope(L, &a, 1);
    const char *id = bind_check_string(L, &a, 2, NULL, NULL);
    cdk_value *v = string_value(L, &a, 3, scope->app);
    cdk_node *out = NULL;
    int rc;
    switch (kind) {
    case IMP_ROLE_ARN: {
        static const char *const allowed[] = {"mutable", "add_grants_to_resources", NULL};
        bind_props(L, &a, 4, allowed);
        int m = bind_opt_bool(L, &a, 4, "mutable");
        int agr = bind_opt_bool(L, &a, 4, "add_grants_to_resources");
        rc = cdk_iam_role_from_arn(scope, id, v, m != 0, agr, &out);
        break;
    }
    case IMP_ROLE_NAME: rc = cdk_iam_role_from_name(scope, id, v, &out); break;
    case IMP_USER_NAME: rc = cdk_iam_user_from_name(scope, id, v, &out); break;
    case IMP_USER_ARN: rc = cdk_iam_user_from_arn(scope, id, v, &out); break;
    case IMP_GROUP_ARN: rc = cdk_iam_group_from_arn(scope, id, v, &out); break;
    case IMP_GROUP_NAME: rc = cdk_iam_group_from_name(scope, id, v, &out); break;
    case IMP_POLICY_NAME: rc = cdk_iam_policy_from_name(scope, id, v, &out); break;
    case IMP_MANAGED_ARN: rc = cdk_iam_managed_policy_from_arn(scope, id, v, &out); break;
    default: rc = cdk_iam_managed_policy_from_name(scope, id, v, &out);
    }
    if (rc != CDK_OK)
        return bind_raise(L, scope->app);
    bind_push_node(L, out);
    return 1;
}

static int l_role_from_role_arn(lua_State *L) { return import_fn(L, "from_role_arn", IMP_ROLE_ARN); }
static int l_role_from_role_name(lua_State *L) { return import_fn(L, "from_role_name", IMP_ROLE_NAME); }
static int l_user_from_user_name(lua_State *L) { return import_fn(L, "from_user_name", IMP_USER_NAME); }
static int l_user_from_user_arn(lua_State *L) { return import_fn(L, "from_user_arn", IMP_USER_ARN); }
static int l_group_from_group_arn(lua_State *L) { return import_fn(L, "from_group_arn", IMP_GROUP_ARN); }
static int l_group_from_group_name(lua_State *L) { return import_fn(L, "from_group_name", IMP_GROUP_NAME); }
static int l_policy_from_policy_name(lua_State *L) { return import_fn(L, "from_policy_name", IMP_POLICY_NAME); }
static int l_from_managed_policy_arn(lua_State *L) { return import_fn(L, "from_managed_policy_arn", IMP_MANAGED_ARN); }
static int l_from_managed_policy_name(lua_State *L) { return import_fn(L, "from_managed_policy_name", IMP_MANAGED_NAME); }

static int l_user_from_user_attributes(lua_State *L)
{
    static const char *const allowed[] = {"user_arn", NULL};
    bargs a = {"from_user_attributes", 0};
    cdk_node *scope = bind_check_scope(L, &a, 1);
    const char *id = bind_check_string(L, &a, 2, NULL, NULL);
    if (!lua_istable(L, 3))
        bind_argerror(L, &a, 3, "table expected, got %s", bind_typename(L, 3));
    bind_props(L, &a, 3, allowed);
    lua_getfield(L, 3, "user_arn");
    if (lua_isnil(L, -1))
        bind_fielderror(L, &a, 3, "user_arn", "required");
    cdk_value *arn = bind_value(L, &a, 3, "user_arn", scope->app);
    if (arn->kind != CDK_STRING)
        bind_typeerror(L, &a, 3, "user_arn", "string");
    cdk_node *out;
    if (cdk_iam_user_from_arn(scope, id, arn, &out) != CDK_OK)
        return bind_raise(L, scope->app);
    bind_push_node(L, out);
    return 1;
}

static int l_role_without_policy_updates(lua_State *L)
{
    static const char *const allowed[] = {"add_grants_to_resources", NULL};
    bargs a = {"without_policy_updates", 1};
    cdk_node *n = bind_test_node(L, 1);
    if (n == NULL || cdk_iam_identity_of(n) == NULL)
        return bind_error(L, "calling 'without_policy_updates' on bad self (Role expected, got %s)", bind_typename(L, 1));
    bind_props(L, &a, 2, allowed);
    cdk_node *out;
    if (cdk_iam_role_without_policy_updates(n, bind_opt_bool(L, &a, 2, "add_grants_to_resources"), &out) != CDK_OK)
        return bind_raise(L, n->app);
    bind_push_node(L, out);
    return 1;
}

static cdk_node *self_identity(lua_State *L, const char *fname)
{
    cdk_node *n = bind_test_node(L, 1);
    if (n == NULL || cdk_iam_identity_of(n) == NULL)
        bind_error(L, "calling '%s' on bad self (Role, User or Group expected, got %s)", fname, bind_typename(L, 1));
    return n;
}

static void push_add_result(lua_State *L, cdk_node *identity, int added)
{
    lua_createtable(L, 0, 2);
    lua_pushboolean(L, added);
    lua_setfield(L, -2, "statement_added");
    if (added && identity) {
        cdk_iam_identity *id = cdk_iam_identity_of(identity);
        if (id && id->default_policy) {
            bind_push_node(L, id->default_policy);
            lua_setfield(L, -2, "policy_dependable");
        }
    }
}

static int l_id_add_to_principal_policy(lua_State *L)
{
    cdk_node *n = self_identity(L, "add_to_principal_policy");
    bargs a = {"add_to_principal_policy", 1};
    int added;
    if (cdk_iam_add_to_principal_policy(&cdk_iam_identity_of(n)->principal, check_statement(L, &a, 2, NULL), &added) != CDK_OK)
        return bind_raise(L, n->app);
    push_add_result(L, n, added);
    return 1;
}

static int l_id_add_to_policy(lua_State *L)
{
    cdk_node *n = self_identity(L, "add_to_policy");
    bargs a = {"add_to_policy", 1};
    int added;
    if (cdk_iam_add_to_principal_policy(&cdk_iam_identity_of(n)->principal, check_statement(L, &a, 2, NULL), &added) != CDK_OK)
        return bind_raise(L, n->app);
    lua_pushboolean(L, added);
    return 1;
}

static int l_id_attach_inline_policy(lua_State *L)
{
    cdk_node *n = self_identity(L, "attach_inline_policy");
    bargs a = {"attach_inline_policy", 1};
    cdk_node *p = bind_check_node(L, &a, 2, "Policy");
    if (cdk_iam_attach_inline_policy(n, p) != CDK_OK)
        return bind_raise(L, n->app);
    return 0;
}

static int l_id_add_managed_policy(lua_State *L)
{
    cdk_node *n = self_identity(L, "add_managed_policy");
    bargs a = {"add_managed_policy", 1};
    lua_pushvalue(L, 2);
    cdk_value *arn = managed_arn_of(L, &a, 2, NULL, n->app);
    if (cdk_iam_add_managed_policy(n, arn) != CDK_OK)
        return bind_raise(L, n->app);
    return 0;
}

static int l_user_add_to_group(lua_State *L)
{
    cdk_node *n = self_identity(L, "add_to_group");
    bargs a = {"add_to_group", 1};
    cdk_node *g = bind_check_node(L, &a, 2, NULL);
    if (cdk_iam_user_add_to_group(n, g) != CDK_OK)
        return bind_raise(L, n->app);
    return 0;
}

static int l_group_add_user(lua_State *L)
{
    cdk_node *g = self_identity(L, "add_user");
    bargs a = {"add_user", 1};
    cdk_node *u = bind_check_node(L, &a, 2, NULL);
    if (cdk_iam_user_add_to_group(u, g) != CDK_OK)
        return bind_raise(L, g->app);
    return 0;
}

static void push_grant(lua_State *L, cdk_iam_grant *g, cdk_app *app)
{
    push_obj(L, g, MT_GRANT, app);
}

void bind_push_grant(lua_State *L, cdk_iam_grant *g, cdk_app *app)
{
    push_grant(L, g, app);
}

static cdk_value *actions_from(lua_State *L, const bargs *a, int first, cdk_app *app)
{
    cdk_value *l = cdk_list(app);
    for (int i = first; l && i <= lua_gettop(L); i++) {
        cdk_value *v = string_value(L, a, i, app);
        if (cdk_list_push(app, l, v) != CDK_OK)
            l = NULL;
    }
    if (l == NULL)
        bind_error(L, "not enough memory");
    return l;
}

static int l_id_grant(lua_State *L)
{
    cdk_node *n = self_identity(L, "grant");
    bargs a = {"grant", 1};
    cdk_iam_principal *grantee = check_grantee(L, &a, 2, NULL);
    cdk_value *actions = actions_from(L, &a, 3, n->app);
    cdk_value *res = cdk_list(n->app);
    if (res == NULL || cdk_list_push(n->app, res, cdk_iam_identity_of(n)->arn) != CDK_OK)
        return bind_error(L, "not enough memory");
    cdk_iam_grant *g;
    if (cdk_iam_grant_add_to_principal(n->app, grantee, actions, res, &g) != CDK_OK)
        return bind_raise(L, n->app);
    push_grant(L, g, n->app);
    return 1;
}

static int role_grant_one(lua_State *L, const char *fname, const char *action)
{
    cdk_node *n = self_identity(L, fname);
    bargs a = {fname, 1};
    cdk_iam_principal *grantee = check_grantee(L, &a, 2, NULL);
    cdk_value *actions = cdk_list(n->app), *res = cdk_list(n->app);
    if (!actions || !res || cdk_list_push(n->app, actions, cdk_str(n->app, action)) != CDK_OK ||
        cdk_list_push(n->app, res, cdk_iam_identity_of(n)->arn) != CDK_OK)
        return bind_error(L, "not enough memory");
    cdk_iam_grant *g;
    if (cdk_iam_grant_add_to_principal(n->app, grantee, actions, res, &g) != CDK_OK)
        return bind_raise(L, n->app);
    push_grant(L, g, n->app);
    return 1;
}

static int l_role_grant_pass_role(lua_State *L) { return role_grant_one(L, "grant_pass_role", "iam:PassRole"); }
static int l_role_grant_assume_role(lua_State *L) { return role_grant_one(L, "grant_assume_role", "sts:AssumeRole"); }

static int get_identity(lua_State *L)
{
    cdk_node *n = bind_test_node(L, 1);
    cdk_iam_identity *id = cdk_iam_identity_of(n);
    const char *k = lua_tostring(L, 2);
    if (id == NULL)
        return 0;
    int role = id->kind == CDK_IAM_ROLE || id->kind == CDK_IAM_IMPORTED_ROLE || id->kind == CDK_IAM_IMMUTABLE_ROLE;
    int user = id->kind == CDK_IAM_USER || id->kind == CDK_IAM_IMPORTED_USER;
    if ((role && strcmp(k, "role_arn") == 0) || (user && strcmp(k, "user_arn") == 0) ||
        (!role && !user && strcmp(k, "group_arn") == 0))
        bind_push_value(L, n->app, id->arn);
    else if ((role && strcmp(k, "role_name") == 0) || (user && strcmp(k, "user_name") == 0) ||
             (!role && !user && strcmp(k, "group_name") == 0))
        bind_push_value(L, n->app, id->name);
    else if (role && strcmp(k, "role_id") == 0 && id->id_attr)
        bind_push_value(L, n->app, id->id_attr);
    else if (strcmp(k, "assume_role_policy") == 0 && id->assume_role)
        push_obj(L, id->assume_role, MT_DOCUMENT, n->app);
    else if (strcmp(k, "grant_principal") == 0)
        lua_pushvalue(L, 1);
    else if (strcmp(k, "principal_account") == 0)
        bind_push_value(L, n->app, id->principal.principal_account);
    else if (strcmp(k, "assume_role_action") == 0)
        lua_pushstring(L, id->principal.assume_role_action);
    else if (strcmp(k, "policy_fragment") == 0)
        push_fragment(L, &id->principal);
    else if (strcmp(k, "stack") == 0)
        bind_push_node(L, n->stack);
    else if (strcmp(k, "env") == 0) {
        lua_createtable(L, 0, 2);
        bind_push_value(L, n->app, id->phys.account);
        lua_setfield(L, -2, "account");
        bind_push_value(L, n->app, id->phys.region);
        lua_setfield(L, -2, "region");
    } else
        return 0;
    return 1;
}

/* ---------------------------------------------------------------------------------------------
 * Policy and ManagedPolicy */

static int policy_new(lua_State *L, int managed)
{
    static const char *const allowed[] = {"policy_name", "statements", "roles", "users", "groups", "force",
                                          "document", NULL};
    static const char *const mallowed[] = {"managed_policy_name", "description", "path", "statements", "roles",
                                           "users", "groups", "document", NULL};
    bargs a = {managed ? "ManagedPolicy" : "Policy", SHIFT_CALL};
    cdk_node *scope = bind_check_scope(L, &a, 2);
    const char *id = bind_check_string(L, &a, 3, NULL, NULL);
    bind_props(L, &a, 4, managed ? mallowed : allowed);
    cdk_app *app = scope->app;
    cdk_iam_policy_props p = {0};
    p.policy_name = opt_string_value(L, &a, 4, managed ? "managed_policy_name" : "policy_name", app);
    if (!managed)
        p.force = bind_opt_bool(L, &a, 4, "force") > 0;
    else {
        p.description = opt_string_value(L, &a, 4, "description", app);
        p.path = opt_string_value(L, &a, 4, "path", app);
    }
    if (bind_has(L, 4, "document")) {
        lua_getfield(L, 4, "document");
        p.document = check_document(L, &a, 4, "document");
        lua_pop(L, 1);
    }
    cdk_node *out;
    int rc = managed ? cdk_iam_managed_policy_new(scope, id, &p, &out) : cdk_iam_policy_new(scope, id, &p, &out);
    if (rc != CDK_OK)
        return bind_raise(L, app);
    const char *lists[] = {"users", "groups", "roles"};
    for (int l = 0; l < 3; l++) {
        if (!bind_has(L, 4, lists[l]))
            continue;
        lua_getfield(L, 4, lists[l]);
        int t = lua_gettop(L);
        size_t n = bind_check_list(L, &a, 4, t, lists[l], "list");
        for (size_t i = 1; i <= n; i++) {
            lua_rawgeti(L, t, (lua_Integer)i);
            cdk_node *idn = bind_test_node(L, -1);
            if (idn == NULL || cdk_iam_identity_of(idn) == NULL)
                bind_typeerror(L, &a, 4, lua_pushfstring(L, "%s[%d]", lists[l], (int)i), "Role, User or Group");
            if (cdk_iam_policy_attach(out, idn) != CDK_OK)
                return bind_raise(L, app);
            lua_pop(L, 1);
        }
        lua_pop(L, 1);
    }
    if (bind_has(L, 4, "statements")) {
        lua_getfield(L, 4, "statements");
        int t = lua_gettop(L);
        size_t n = bind_check_list(L, &a, 4, t, "statements", "list of PolicyStatement");
        for (size_t i = 1; i <= n; i++) {
            lua_rawgeti(L, t, (lua_Integer)i);
            const char *sub = lua_pushfstring(L, "statements[%d]", (int)i);
            lua_insert(L, -2);
            if (cdk_iam_document_add(cdk_iam_policy_document(out), check_statement(L, &a, 4, sub)) != CDK_OK)
                return bind_raise(L, app);
            lua_pop(L, 2);
        }
        lua_pop(L, 1);
    }
    bind_push_node(L, out);
    return 1;
}

static int l_policy_new(lua_State *L) { return policy_new(L, 0); }
static int l_managed_policy_new(lua_State *L) { return policy_new(L, 1); }

static cdk_node *self_policy(lua_State *L, const char *fname)
{
    cdk_node *n = bind_test_node(L, 1);
    if (n == NULL || cdk_iam_policy_document(n) == NULL)
        bind_error(L, "calling '%s' on bad self (Policy expected, got %s)", fname, bind_typename(L, 1));
    return n;
}

static int l_policy_add_statements(lua_State *L)
{
    cdk_node *n = self_policy(L, "add_statements");
    bargs a = {"add_statements", 1};
    for (int i = 2; i <= lua_gettop(L); i++)
        if (cdk_iam_document_add(cdk_iam_policy_document(n), check_statement(L, &a, i, NULL)) != CDK_OK)
            return bind_raise(L, n->app);
    return 0;
}

static int attach(lua_State *L, const char *fname)
{
    cdk_node *n = self_policy(L, fname);
    bargs a = {fname, 1};
    cdk_node *idn = bind_check_node(L, &a, 2, NULL);
    if (cdk_iam_identity_of(idn) == NULL)
        bind_typeerror(L, &a, 2, NULL, "Role, User or Group");
    if (cdk_iam_policy_attach(n, idn) != CDK_OK)
        return bind_raise(L, n->app);
    return 0;
}

static int l_policy_attach_to_role(lua_State *L) { return attach(L, "attach_to_role"); }
static int l_policy_attach_to_user(lua_State *L) { return attach(L, "attach_to_user"); }
static int l_policy_attach_to_group(lua_State *L) { return attach(L, "attach_to_group"); }

static int get_policy(lua_State *L)
{
    cdk_node *n = bind_test_node(L, 1);
    const char *k = lua_tostring(L, 2);
    cdk_value *v = NULL;
    if (k == NULL)
        return 0;
    if (strcmp(k, "policy_name") == 0)
        v = cdk_iam_policy_name(n);
    else if (strcmp(k, "managed_policy_arn") == 0)
        v = cdk_iam_managed_policy_arn(n);
    else if (strcmp(k, "managed_policy_name") == 0)
        v = cdk_iam_managed_policy_name(n);
    else if (strcmp(k, "document") == 0 && cdk_iam_policy_document(n)) {
        push_obj(L, cdk_iam_policy_document(n), MT_DOCUMENT, n->app);
        return 1;
    }
    if (v == NULL)
        return 0;
    bind_push_value(L, n->app, v);
    return 1;
}

static int l_from_aws_managed_policy_name(lua_State *L)
{
    bargs a = {"from_aws_managed_policy_name", 0};
    const char *name = bind_check_string(L, &a, 1, NULL, NULL);
    cdk_app *h = bind_holder(L);
    cdk_value *arn = cdk_iam_aws_managed_policy_arn(h, name);
    if (arn == NULL)
        return bind_error(L, "not enough memory");
    lua_createtable(L, 0, 1);
    bind_push_value(L, h, arn);
    lua_setfield(L, -2, "managed_policy_arn");
    return 1;
}

/* ---------------------------------------------------------------------------------------------
 * Grant */

/* props[field] as a list of strings; NULL when absent and not required. */
static cdk_value *grant_list(lua_State *L, const bargs *a, const char *field, cdk_app *app, int required)
{
    lua_getfield(L, 1, field);
    if (lua_isnil(L, -1)) {
        lua_pop(L, 1);
        if (required)
            bind_fielderror(L, a, 1, field, "list of strings expected, got nil");
        return NULL;
    }
    cdk_value *l = string_list_field(L, a, 1, field, app);
    lua_pop(L, 1);
    return l;
}

/* A resource with a policy (IResourceWithPolicy): any value with env.account and a method
 * add_to_resource_policy(statement) -> { statement_added = ... }, such as an ecr.Repository, a
 * kms.Key, or a table written in Lua. The binding calls that method back. */
typedef struct lresource {
    cdk_iam_resource r;   /* first: the core sees this */
    lua_State *L;
    int idx;              /* the resource on the Lua stack */
    cdk_app *app;
    int added;            /* the last statement was added: ... */
    cdk_node *dependable; /* ... and this is its policyDependable (NULL: the resource) */
} lresource;

static int call_add_to_resource_policy(cdk_iam_resource *r, cdk_iam_statement *s, int *added)
{
    lresource *lr = (lresource *)r;
    lua_State *L = lr->L;
    *added = 0;
    lua_getfield(L, lr->idx, "add_to_resource_policy");
    lua_pushvalue(L, lr->idx);
    push_obj(L, s, MT_STATEMENT, s->app);
    if (lua_pcall(L, 2, 1, 0) != 0) {
        int rc = cdk_fail(lr->app, CDK_EINVAL, "%s", lua_tostring(L, -1) ? lua_tostring(L, -1) : "error in add_to_resource_policy");
        lua_pop(L, 1);
        return rc;
    }
    lr->dependable = NULL;
    if (lua_istable(L, -1)) {
        lua_getfield(L, -1, "statement_added");
        *added = lua_toboolean(L, -1);
        lua_getfield(L, -2, "policy_dependable");
        lr->dependable = bind_test_node(L, -1);
        lua_pop(L, 2);
    }
    lr->added = *added;
    lua_pop(L, 1);
    return CDK_OK;
}

/* props.resource (at the top of the stack) as an lresource. */
static void check_resource(lua_State *L, const bargs *a, lresource *lr, cdk_app *app)
{
    int idx = lua_gettop(L);
    const char *what = "resource with env and add_to_resource_policy (an ecr.Repository, a kms.Key, ...)";
    int t = lua_type(L, idx);
    if (t != LUA_TTABLE && t != LUA_TUSERDATA)
        bind_typeerror(L, a, 1, "resource", what);
    lua_getfield(L, idx, "add_to_resource_policy");
    int callable = lua_isfunction(L, -1);
    lua_pop(L, 1);
    lua_getfield(L, idx, "env");
    if (!callable || !lua_istable(L, -1)) {
        lua_settop(L, idx); /* the offending value on top for the message */
        bind_typeerror(L, a, 1, "resource", what);
    }
    lua_getfield(L, -1, "account");
    cdk_value *account = lua_isnil(L, -1) ? NULL : bind_value(L, a, 1, "resource.env.account", app);
    lua_pop(L, 2);
    memset(lr, 0, sizeof *lr);
    lr->r.node = bind_test_node(L, idx);
    lr->r.account = account ? account : cdk_undefined();
    lr->r.add_to_resource_policy = call_add_to_resource_policy;
    lr->L = L;
    lr->idx = idx;
    lr->app = app;
}

/* The App a grant's statements belong to: the resource's, else the grantee's. */
static cdk_app *grant_app(lua_State *L, cdk_iam_principal *g, int resource_idx)
{
    cdk_node *n = resource_idx ? bind_test_node(L, resource_idx) : NULL;
    if (n)
        return n->app;
    return g->identity ? g->identity->app : g->app;
}

enum { GRANT_PRINCIPAL, GRANT_OR_RESOURCE, GRANT_AND_RESOURCE };

static int grant_fn(lua_State *L, const char *fname, int kind)
{
    static const char *const allowed_p[] = {"grantee", "actions", "resource_arns", "scope", NULL};
    static const char *const allowed_r[] = {"grantee", "actions", "resource_arns", "resource_self_arns", "resource",
                                            "scope", NULL};
    static const char *const allowed_a[] = {"grantee", "actions", "resource_arns", "resource_self_arns", "resource",
                                            "resource_policy_principal", "scope", NULL};
    bargs a = {fname, 0};
    if (!lua_istable(L, 1))
        bind_argerror(L, &a, 1, "table expected, got %s", bind_typename(L, 1));
    lua_settop(L, 1);
    bind_props(L, &a, 1, kind == GRANT_PRINCIPAL ? allowed_p : kind == GRANT_OR_RESOURCE ? allowed_r : allowed_a);
    lua_getfield(L, 1, "grantee");
    if (lua_isnil(L, -1))
        bind_fielderror(L, &a, 1, "grantee", "principal expected, got nil");
    cdk_iam_principal *g = check_grantee(L, &a, 1, "grantee"); /* stays at 2 */
    lresource lr;
    int ridx = 0;
    if (kind != GRANT_PRINCIPAL) {
        lua_getfield(L, 1, "resource"); /* at 3 */
        if (lua_isnil(L, -1))
            bind_fielderror(L, &a, 1, "resource", "resource expected, got nil");
        ridx = 3;
    }
    cdk_app *app = grant_app(L, g, ridx);
    if (ridx)
        check_resource(L, &a, &lr, app);
    cdk_value *actions = grant_list(L, &a, "actions", app, 1);
    cdk_value *res = grant_list(L, &a, "resource_arns", app, 1);
    cdk_value *self = kind == GRANT_PRINCIPAL ? NULL : grant_list(L, &a, "resource_self_arns", app, 0);
    cdk_iam_principal *rpp = NULL;
    if (kind == GRANT_AND_RESOURCE) {
        lua_getfield(L, 1, "resource_policy_principal");
        if (!lua_isnil(L, -1))
            rpp = check_grantee(L, &a, 1, "resource_policy_principal");
        lua_pop(L, 1);
    }
    lua_getfield(L, 1, "scope");
    if (!lua_isnil(L, -1) && bind_test_node(L, -1) == NULL)
        bind_typeerror(L, &a, 1, "scope", "construct");
    lua_pop(L, 1);
    cdk_iam_grant *gr;
    int rc;
    bind_begin(L, app);
    if (kind == GRANT_PRINCIPAL)
        rc = cdk_iam_grant_add_to_principal(app, g, actions, res, &gr);
    else if (kind == GRANT_OR_RESOURCE)
        rc = cdk_iam_grant_add_to_principal_or_resource(app, g, actions, res, self, &lr.r, &gr);
    else
        rc = cdk_iam_grant_add_to_principal_and_resource(app, g, actions, res, self, rpp, &lr.r, &gr);
    if (rc != CDK_OK)
        return bind_raise(L, app);
    /* the resource's policyDependable: what it answered, else the resource itself */
    if (ridx && lr.added)
        gr->dep_resource = lr.dependable ? lr.dependable : lr.r.node;
    push_grant(L, gr, app);
    return 1;
}

static int l_grant_add_to_principal(lua_State *L) { return grant_fn(L, "add_to_principal", GRANT_PRINCIPAL); }
static int l_grant_add_to_principal_or_resource(lua_State *L)
{
    return grant_fn(L, "add_to_principal_or_resource", GRANT_OR_RESOURCE);
}
static int l_grant_add_to_principal_and_resource(lua_State *L)
{
    return grant_fn(L, "add_to_principal_and_resource", GRANT_AND_RESOURCE);
}

static int l_grant_drop(lua_State *L)
{
    bargs a = {"drop", 0};
    cdk_iam_principal *g = check_grantee(L, &a, 1, NULL);
    bind_check_string(L, &a, 2, NULL, NULL);
    cdk_app *app = grant_app(L, g, 0);
    cdk_iam_grant *gr;
    if (cdk_iam_grant_drop(app, g, &gr) != CDK_OK)
        return bind_raise(L, app);
    push_grant(L, gr, app);
    return 1;
}

static cdk_iam_grant *self_grant(lua_State *L, const char *fname)
{
    cdk_iam_grant *g = test_obj(L, 1, MT_GRANT);
    if (g == NULL)
        bind_error(L, "calling '%s' on bad self (Grant expected, got %s)", fname, bind_typename(L, 1));
    return g;
}

static int l_grant_assert_success(lua_State *L)
{
    cdk_iam_grant *g = self_grant(L, "assert_success");
    cdk_getuv(L, 1);
    lapp *a = lua_touserdata(L, -1);
    if (cdk_iam_grant_assert_success(a->app, g) != CDK_OK)
        return bind_raise(L, a->app);
    return 0;
}

static int l_grant_apply_before(lua_State *L)
{
    cdk_iam_grant *g = self_grant(L, "apply_before");
    bargs a = {"apply_before", 1};
    cdk_getuv(L, 1);
    lapp *la = lua_touserdata(L, -1);
    lua_pop(L, 1);
    for (int i = 2; i <= lua_gettop(L); i++) {
        cdk_node *c = bind_check_node(L, &a, i, NULL);
        if (cdk_iam_grant_apply_before(g, c) != CDK_OK)
            return bind_raise(L, la->app);
    }
    return 0;
}

static int l_grant_index(lua_State *L)
{
    cdk_iam_grant *g = self_grant(L, "index");
    const char *k = lua_tostring(L, 2);
    if (k == NULL)
        return 0;
    cdk_getuv(L, 1);
    lapp *a = lua_touserdata(L, -1);
    lua_pop(L, 1);
    if (strcmp(k, "assert_success") == 0)
        lua_pushcfunction(L, l_grant_assert_success);
    else if (strcmp(k, "apply_before") == 0)
        lua_pushcfunction(L, l_grant_apply_before);
    else if (strcmp(k, "success") == 0)
        lua_pushboolean(L, g->principal_statement || g->resource_statement);
    else if (strcmp(k, "principal_statement") == 0 && g->principal_statement)
        push_obj(L, g->principal_statement, MT_STATEMENT, a->app);
    else if (strcmp(k, "resource_statement") == 0 && g->resource_statement)
        push_obj(L, g->resource_statement, MT_STATEMENT, a->app);
    else
        return 0;
    return 1;
}

/* ---------------------------------------------------------------------------------------------
 * ECR grants */

static cdk_node *self_repo(lua_State *L, const char *fname)
{
    cdk_node *n = bind_test_node(L, 1);
    if (n == NULL || cdk_ecr_repository_of(n) == NULL)
        bind_error(L, "calling '%s' on bad self (repository expected, got %s)", fname, bind_typename(L, 1));
    return n;
}

static int l_repo_grant(lua_State *L)
{
    cdk_node *n = self_repo(L, "grant");
    bargs a = {"grant", 1};
    cdk_iam_principal *grantee = check_grantee(L, &a, 2, NULL);
    cdk_value *actions = actions_from(L, &a, 3, n->app);
    cdk_iam_grant *g;
    if (cdk_ecr_grant(n, grantee, actions, &g) != CDK_OK)
        return bind_raise(L, n->app);
    push_grant(L, g, n->app);
    return 1;
}

static int repo_grant_fixed(lua_State *L, const char *fname, int push)
{
    cdk_node *n = self_repo(L, fname);
    bargs a = {fname, 1};
    cdk_iam_principal *grantee = check_grantee(L, &a, 2, NULL);
    cdk_iam_grant *g;
    int rc = push ? cdk_ecr_grant_pull_push(n, grantee, &g) : cdk_ecr_grant_pull(n, grantee, &g);
    if (rc != CDK_OK)
        return bind_raise(L, n->app);
    push_grant(L, g, n->app);
    return 1;
}

static int l_repo_grant_pull(lua_State *L) { return repo_grant_fixed(L, "grant_pull", 0); }
static int l_repo_grant_pull_push(lua_State *L) { return repo_grant_fixed(L, "grant_pull_push", 1); }

static int l_repo_add_to_resource_policy(lua_State *L)
{
    cdk_node *n = self_repo(L, "add_to_resource_policy");
    bargs a = {"add_to_resource_policy", 1};
    cdk_iam_statement *s = check_statement(L, &a, 2, NULL);
    int added;
    if (cdk_ecr_add_to_resource_policy(n, s, &added) != CDK_OK)
        return bind_raise(L, n->app);
    lua_createtable(L, 0, 2);
    lua_pushboolean(L, added);
    lua_setfield(L, -2, "statement_added");
    cdk_ecr_repository *r = cdk_ecr_repository_of(n);
    if (r->policy_doc) {
        push_obj(L, r->policy_doc, MT_DOCUMENT, n->app);
        lua_setfield(L, -2, "policy_dependable");
    }
    return 1;
}

static int auth_grant_read(lua_State *L, int pub)
{
    bargs a = {"grant_read", 0};
    cdk_iam_principal *p = check_grantee(L, &a, 1, NULL);
    cdk_app *app = p->identity ? p->identity->app : p->app;
    if (cdk_ecr_auth_token_grant_read(app, p, pub) != CDK_OK)
        return bind_raise(L, app);
    return 0;
}

static int l_auth_grant_read(lua_State *L) { return auth_grant_read(L, 0); }
static int l_public_auth_grant_read(lua_State *L) { return auth_grant_read(L, 1); }

/* ---------------------------------------------------------------------------------------------
 * registration */

static void metatable(lua_State *L, const char *name, lua_CFunction index, lua_CFunction newindex,
                      lua_CFunction tostring, const char *display)
{
    luaL_newmetatable(L, name);
    lua_pushcfunction(L, index);
    lua_setfield(L, -2, "__index");
    if (newindex) {
        lua_pushcfunction(L, newindex);
        lua_setfield(L, -2, "__newindex");
    }
    if (tostring) {
        lua_pushcfunction(L, tostring);
        lua_setfield(L, -2, "__tostring");
    }
    lua_pushstring(L, display);
    lua_setfield(L, -2, "__name");
    lua_pop(L, 1);
}

void bind_open_iam(lua_State *L)
{
    metatable(L, MT_PRINCIPAL, l_principal_index, NULL, l_principal_tostring, "principal");
    metatable(L, MT_STATEMENT, l_statement_index, l_statement_newindex, NULL, "PolicyStatement");
    metatable(L, MT_DOCUMENT, l_document_index, NULL, l_document_tostring, "PolicyDocument");
    metatable(L, MT_GRANT, l_grant_index, NULL, NULL, "Grant");

    static const luaL_Reg identity_methods[] = {
        {"add_to_principal_policy", l_id_add_to_principal_policy},
        {"add_to_policy", l_id_add_to_policy},
        {"attach_inline_policy", l_id_attach_inline_policy},
        {"add_managed_policy", l_id_add_managed_policy},
        {NULL, NULL},
    };
    static const luaL_Reg imported_role_methods[] = {
        {"grant", l_id_grant},
        {"grant_pass_role", l_role_grant_pass_role},
        {"grant_assume_role", l_role_grant_assume_role},
        {NULL, NULL},
    };
    static const luaL_Reg role_methods[] = {
        {"grant", l_id_grant},
        {"grant_pass_role", l_role_grant_pass_role},
        {"grant_assume_role", l_role_grant_assume_role},
        {"without_policy_updates", l_role_without_policy_updates},
        {NULL, NULL},
    };
    static const luaL_Reg user_methods[] = {{"add_to_group", l_user_add_to_group}, {NULL, NULL}};
    static const luaL_Reg group_methods[] = {{"add_user", l_group_add_user}, {NULL, NULL}};
    static const luaL_Reg policy_methods[] = {
        {"add_statements", l_policy_add_statements},
        {"attach_to_role", l_policy_attach_to_role},
        {"attach_to_user", l_policy_attach_to_user},
        {"attach_to_group", l_policy_attach_to_group},
        {NULL, NULL},
    };
    bind_define_class(L, "IdentityBase", "Resource", identity_methods, get_identity);
    bind_define_class(L, "Role", "IdentityBase", role_methods, NULL);
    bind_define_class(L, "ImportedRole", "IdentityBase", imported_role_methods, NULL);
    bind_define_class(L, "ImmutableRole", "IdentityBase", imported_role_methods, NULL);
    bind_define_class(L, "User", "IdentityBase", user_methods, NULL);
    bind_define_class(L, "ImportedUser", "IdentityBase", user_methods, NULL);
    bind_define_class(L, "Group", "IdentityBase", group_methods, NULL);
    bind_define_class(L, "ImportedGroup", "IdentityBase", group_methods, NULL);
    bind_define_class(L, "Policy", "Resource", policy_methods, get_policy);
    bind_define_class(L, "ManagedPolicy", "Resource", policy_methods, get_policy);
    bind_define_class(L, "ImportedPolicy", "Resource", NULL, get_policy);
    bind_define_class(L, "ImportedManagedPolicy", "Resource", NULL, get_policy);
    static const luaL_Reg repo_methods[] = {
        {"grant", l_repo_grant},
        {"grant_pull", l_repo_grant_pull},
        {"grant_pull_push", l_repo_grant_pull_push},
        {"add_to_resource_policy", l_repo_add_to_resource_policy},
        {NULL, NULL},
    };
    bind_define_class(L, "RepositoryBase", NULL, repo_methods, NULL);
    lua_getfield(L, -1, "ecr");
    lua_createtable(L, 0, 1);
    lua_pushcfunction(L, l_auth_grant_read);
    lua_setfield(L, -2, "grant_read");
    lua_setfield(L, -2, "AuthorizationToken");
    lua_createtable(L, 0, 1);
    lua_pushcfunction(L, l_public_auth_grant_read);
    lua_setfield(L, -2, "grant_read");
    lua_setfield(L, -2, "PublicGalleryAuthorizationToken");
    lua_pop(L, 1);

    static const luaL_Reg fns[] = {
        {"ArnPrincipal", l_arn_principal},
        {"AccountPrincipal", l_account_principal},
        {"AccountRootPrincipal", l_account_root_principal},
        {"AnyPrincipal", l_any_principal},
        {"StarPrincipal", l_star_principal},
        {"WebIdentityPrincipal", l_web_identity_principal},
        {"ServicePrincipal", l_service_principal},
        {"OrganizationPrincipal", l_organization_principal},
        {"FederatedPrincipal", l_federated_principal},
        {"CanonicalUserPrincipal", l_canonical_user_principal},
        {"CompositePrincipal", l_composite_principal},
        {"PrincipalWithConditions", l_principal_with_conditions_new},
        {"PolicyStatement", l_statement_new},
        {"PolicyDocument", l_document_new},
        {"statement_from_json", l_statement_from_json},
        {"document_from_json", l_document_from_json},
        {"Role", l_role_new},
        {"User", l_user_new},
        {"Group", l_group_new},
        {"Policy", l_policy_new},
        {"ManagedPolicy", l_managed_policy_new},
        {"service_principal_name", l_service_principal_name},
        {"role_from_role_arn", l_role_from_role_arn},
        {"role_from_role_name", l_role_from_role_name},
        {"user_from_user_name", l_user_from_user_name},
        {"user_from_user_arn", l_user_from_user_arn},
        {"user_from_user_attributes", l_user_from_user_attributes},
        {"policy_from_policy_name", l_policy_from_policy_name},
        {"from_managed_policy_name", l_from_managed_policy_name},
        {"group_from_group_arn", l_group_from_group_arn},
        {"group_from_group_name", l_group_from_group_name},
        {"from_aws_managed_policy_name", l_from_aws_managed_policy_name},
        {"from_managed_policy_arn", l_from_managed_policy_arn},
        {"grant_add_to_principal", l_grant_add_to_principal},
        {"grant_add_to_principal_or_resource", l_grant_add_to_principal_or_resource},
        {"grant_add_to_principal_and_resource", l_grant_add_to_principal_and_resource},
        {"grant_drop", l_grant_drop},
        {NULL, NULL},
    };
    lua_newtable(L);
    luaL_setfuncs(L, fns, 0);
    const cdk_schema *l1[] = {&cdk_iam_cfn_role, &cdk_iam_cfn_policy, &cdk_iam_cfn_user, &cdk_iam_cfn_group,
                              &cdk_iam_cfn_managed_policy, &cdk_iam_cfn_user_to_group_addition};
    for (size_t i = 0; i < sizeof l1 / sizeof l1[0]; i++) {
        bind_push_l1(L, l1[i]);
        lua_setfield(L, -2, l1[i]->name);
    }
    lua_setfield(L, -2, "iam");
}

/* ---------------------------------------------------------------------------------------------
 * for the other service bindings (bind_iam.h) */

cdk_iam_document *bind_iam_check_document(lua_State *L, const bargs *a, int idx, const char *field)
{
    return check_document(L, a, idx, field);
}

void bind_iam_push_document(lua_State *L, cdk_iam_document *d, cdk_app *owner)
{
    push_obj(L, d, MT_DOCUMENT, owner);
}
