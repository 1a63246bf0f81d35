/* statement.c: PolicyStatement and PolicyDocument as the AWS CDK v1 renders them: CDK's
 * normalisation (single values unwrapped, actions and resources de-duplicated), statements
 * de-duplicated after resolution, fromJson, validation for resource and identity policies, the
 * minimizePolicies merge and sort, and the size estimate that splits a large policy. */
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "cdk_iam.h"

cdk_iam_statement *cdk_iam_statement_new(cdk_app *app)
{
    cdk_iam_statement *s = cdk_alloc(app, sizeof *s);
    if (s == NULL)
        return NULL;
    s->app = app;
    s->effect = "Allow";
    /* most of a statement's lists and maps stay empty: they are the shared empties until
     * written (own) */
    s->actions = s->not_actions = s->resources = s->not_resources = cdk_empty_list();
    s->principal = s->not_principal = s->conditions = cdk_empty_map();
    return s;
}

const cdk_iam_statement_extra *cdk_iam_statement_x(const cdk_iam_statement *s)
{
    static const cdk_iam_statement_extra none;
    return s->x ? s->x : &none;
}

static cdk_iam_statement_extra *x_own(cdk_iam_statement *s)
{
    if (s->x == NULL)
        s->x = cdk_alloc(s->app, sizeof *s->x);
    return s->x;
}

/* The list or map at *slot, made the statement's own before it is written. NULL: out of memory. */
static cdk_value *own(cdk_app *app, cdk_value **slot)
{
    if (*slot == cdk_empty_list())
        *slot = cdk_list(app);
    else if (*slot == cdk_empty_map())
        *slot = cdk_map(app);
    return *slot;
}

int cdk_iam_check_action(cdk_app *app, const cdk_value *a)
{
    if (a->kind != CDK_STRING || cdk_is_unresolved(a))
        return CDK_OK;
    const char *s = a->u.str.ptr;
    int ok = strcmp(s, "*") == 0;
    if (!ok) {
        const char *c = s;
        while ((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') || *c == '-')
            c++;
        if (c > s && *c == ':') {
            const char *d = ++c;
            while ((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') || *c == '*')
                c++;
            ok = c > d && *c == '\0';
        }
    }
    if (!ok)
        return cdk_fail(app, CDK_EINVAL,
                        "Action '%s' is invalid. An action string consists of a service namespace, a colon, and the "
                        "name of an action. Action names can include wildcards.",
                        s);
    return CDK_OK;
}

int cdk_iam_statement_add_actions(cdk_iam_statement *s, cdk_value *const *actions, size_t n, int not)
{
    cdk_app *app = s->app;
    if (n > 0 && !not && s->not_actions->len > 0)
        return cdk_fail(app, CDK_EINVAL, "Cannot add 'Actions' to policy statement if 'NotActions' have been added");
    if (n > 0 && not && s->actions->len > 0)
        return cdk_fail(app, CDK_EINVAL, "Cannot add 'NotActions' to policy statement if 'Actions' have been added");
    cdk_value *l = n > 0 ? own(app, not ? &s->not_actions : &s->actions) : NULL;
    if (n > 0 && cdk_list_reserve(app, l, n) != CDK_OK)
        return cdk_oom(app);
    for (size_t i = 0; i < n; i++)
        if (cdk_list_push(app, l, actions[i]) != CDK_OK)
            return cdk_oom(app);
    return CDK_OK;
}

int cdk_iam_statement_add_resources(cdk_iam_statement *s, cdk_value *const *arns, size_t n, int not)
{
    cdk_app *app = s->app;
    if (n > 0 && !not && s->not_resources->len > 0)
        return cdk_fail(app, CDK_EINVAL, "Cannot add 'Resources' to policy statement if 'NotResources' have been added");
    if (n > 0 && not && s->resources->len > 0)
        return cdk_fail(app, CDK_EINVAL, "Cannot add 'NotResources' to policy statement if 'Resources' have been added");
    cdk_value *l = n > 0 ? own(app, not ? &s->not_resources : &s->resources) : NULL;
    if (n > 0 && cdk_list_reserve(app, l, n) != CDK_OK)
        return cdk_oom(app);
    for (size_t i = 0; i < n; i++)
        if (cdk_list_push(app, l, arns[i]) != CDK_OK)
            return cdk_oom(app);
    return CDK_OK;
}

int cdk_iam_statement_add_condition(cdk_iam_statement *s, const char *op, cdk_value *value)
{
    cdk_app *app = s->app;
    cdk_value *existing = cdk_map_get(s->conditions, op);
    const char *k = cdk_strdup(app, op);
    if (k == NULL)
        return cdk_oom(app);
    if (existing && existing->kind == CDK_MAP && value->kind == CDK_MAP) {
        cdk_value *merged = cdk_value_copy(app, existing);
        for (size_t i = 0; merged && i < value->len; i++)
            if (cdk_map_set(app, merged, value->u.map.ents[i].key, value->u.map.ents[i].value) != CDK_OK)
                merged = NULL;
        return merged ? cdk_map_set(app, own(app, &s->conditions), k, merged) : cdk_oom(app);
    }
    return cdk_map_set(app, own(app, &s->conditions), k, value);
}

static int push_principal(cdk_iam_statement *s, cdk_iam_principal *p, int not)
{
    cdk_iam_statement_extra *x = x_own(s);
    if (x == NULL)
        return cdk_oom(s->app);
    cdk_iam_principal ***list = not ? &x->not_principals : &x->principals;
    size_t *n = not ? &x->nnot_principals : &x->nprincipals;
    size_t *cap = not ? &x->cap_np : &x->cap_p;
    if (*n == *cap) {
        size_t c = *cap ? *cap * 2 : 2;
        cdk_iam_principal **items = cdk_alloc(s->app, c * sizeof *items);
        if (items == NULL)
            return cdk_oom(s->app);
        if (*n)
            memcpy(items, *list, *n * sizeof *items);
        *list = items;
        *cap = c;
    }
    (*list)[(*n)++] = p;
    return CDK_OK;
}

int cdk_iam_statement_add_principal(cdk_iam_statement *s, cdk_iam_principal *p, int not)
{
    cdk_app *app = s->app;
    int rc;
    if (p->kind == CDK_IAM_IDENTITY && p->identity) {
        cdk_iam_identity *id = cdk_iam_identity_of(p->identity);
        if (id && (id->kind == CDK_IAM_GROUP || id->kind == CDK_IAM_IMPORTED_GROUP))
            return cdk_fail(app, CDK_EINVAL, "Cannot use an IAM Group as the 'Principal' or 'NotPrincipal' in an IAM Policy");
    }
    if ((rc = push_principal(s, p, not)) != CDK_OK)
        return rc;
    if (!not && s->not_principal->len > 0)
        return cdk_fail(app, CDK_EINVAL, "Cannot add 'Principals' to policy statement if 'NotPrincipals' have been added");
    if (not && s->principal->len > 0)
        return cdk_fail(app, CDK_EINVAL, "Cannot add 'NotPrincipals' to policy statement if 'Principals' have been added");
    cdk_value *json, *conds;
    if ((rc = cdk_iam_fragment(app, p, &json, &conds)) != CDK_OK)
        return rc;
    cdk_value *target = own(app, not ? &s->not_principal : &s->principal);
    if (target == NULL)
        return cdk_oom(app);
    if ((rc = cdk_iam_merge_principal(app, target, json)) != CDK_OK)
        return rc;
    /* addPrincipalConditions: all principals share one set of conditions */
    cdk_buf b = {0};
    cdk_value_json(app, conds, &b);
    const char *cj = b.oom ? NULL : cdk_strdup(app, b.data ? b.data : "{}");
    cdk_buf_free(&b);
    if (cj == NULL)
        return cdk_oom(app);
    cdk_iam_statement_extra *x = x_own(s); /* push_principal made it */
    if (x->principal_conditions_json == NULL) {
        x->principal_conditions_json = cj;
    } else if (strcmp(x->principal_conditions_json, cj) != 0) {
        return cdk_fail(app, CDK_EINVAL,
                        "All principals in a PolicyStatement must have the same Conditions (got '%s' and '%s'). Use "
                        "multiple statements instead.",
                        x->principal_conditions_json, cj);
    }
    for (size_t i = 0; i < conds->len; i++)
        if ((rc = cdk_iam_statement_add_condition(s, conds->u.map.ents[i].key, conds->u.map.ents[i].value)) != CDK_OK)
            return rc;
    return CDK_OK;
}

/* CDK's _norm: undefined for empty, the value for one, the list (unique when asked) else. */
static cdk_value *norm_list(cdk_app *app, cdk_value *l, int unique)
{
    if (l == NULL || l->kind != CDK_LIST)
        return l;
    if (cdk_is_unresolved(l))
        return l;
    if (l->len == 0)
        return cdk_undefined();
    if (l->len == 1)
        return l->u.list.items[0];
    if (!unique)
        return l;
    /* most lists hold no duplicate: then the list is its own normal form */
    int dups = 0;
    for (size_t i = 1; i < l->len && !dups; i++)
        for (size_t k = 0; k < i && !dups; k++)
            dups = cdk_value_equal(l->u.list.items[k], l->u.list.items[i]);
    if (!dups)
        return l;
    cdk_value *out = cdk_list(app);
    for (size_t i = 0; out && i < l->len; i++) {
        int dup = 0;
        for (size_t k = 0; k < out->len && !dup; k++)
            dup = cdk_value_equal(out->u.list.items[k], l->u.list.items[i]);
        if (!dup && cdk_list_push(app, out, l->u.list.items[i]) != CDK_OK)
            return NULL;
    }
    return out;
}

static cdk_value *norm_principal(cdk_app *app, cdk_value *p)
{
    if (p == NULL || p->len == 0)
        return cdk_undefined();
    /* a literal principal string round-trips as that string */
    cdk_value *literal = cdk_map_get(p, "LiteralString");
    if (literal && literal->kind == CDK_LIST && literal->len > 0)
        return literal->u.list.items[0];
    cdk_value *out = cdk_map(app);
    for (size_t i = 0; out && i < p->len; i++) {
        cdk_value *v = norm_list(app, p->u.map.ents[i].value, 0);
        if (v == NULL)
            return NULL;
        if (v->kind != CDK_UNDEFINED && cdk_map_set(app, out, p->u.map.ents[i].key, v) != CDK_OK)
            return NULL;
    }
    return out;
}

/* The Effect as a value: the two usual ones are static, not made anew at each rendering. */
static cdk_value *effect_value(cdk_app *app, const char *effect)
{
    static cdk_value allow = {.kind = CDK_STRING, .flags = CDK_VALUE_SHARED, .len = 5, .u.str.ptr = "Allow"};
    static cdk_value deny = {.kind = CDK_STRING, .flags = CDK_VALUE_SHARED, .len = 4, .u.str.ptr = "Deny"};
    if (strcmp(effect, "Allow") == 0)
        return &allow;
    if (strcmp(effect, "Deny") == 0)
        return &deny;
    return cdk_str_ref(app, effect);
}

cdk_value *cdk_iam_statement_json(cdk_app *app, cdk_iam_statement *s)
{
    cdk_value *m = cdk_map(app);
    if (m == NULL)
        return NULL;
    struct { const char *k; cdk_value *v; } f[] = {
        {"Action", norm_list(app, s->actions, 1)},
        {"NotAction", norm_list(app, s->not_actions, 1)},
        {"Condition", s->conditions->len ? s->conditions : cdk_undefined()},
        {"Effect", effect_value(app, s->effect)},
        {"Principal", norm_principal(app, s->principal)},
        {"NotPrincipal", norm_principal(app, s->not_principal)},
        {"Resource", norm_list(app, s->resources, 1)},
        {"NotResource", norm_list(app, s->not_resources, 1)},
        {"Sid", s->sid ? s->sid : cdk_undefined()},
    };
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) {
        if (f[i].v == NULL)
            return NULL;
        if (f[i].v->kind != CDK_UNDEFINED && cdk_map_set(app, m, f[i].k, f[i].v) != CDK_OK)
            return NULL;
    }
    return m;
}

int cdk_iam_statement_validate(cdk_app *app, cdk_iam_statement *s, int kind, cdk_strlist *errs)
{
    int rc;
    if (s->actions->len == 0 && s->not_actions->len == 0 &&
        (rc = cdk_strlist_push(app, errs, "A PolicyStatement must specify at least one 'action' or 'not_action'.")) != CDK_OK)
        return rc;
    if (kind == CDK_IAM_RESOURCE_POLICY && s->principal->len == 0 && s->not_principal->len == 0 &&
        (rc = cdk_strlist_push(app, errs,
                               "A PolicyStatement used in a resource-based policy must specify at least one IAM "
                               "principal.")) != CDK_OK)
        return rc;
    if (kind == CDK_IAM_IDENTITY_POLICY) {
        if ((s->principal->len > 0 || s->not_principal->len > 0) &&
            (rc = cdk_strlist_push(app, errs,
                                   "A PolicyStatement used in an identity-based policy cannot specify any IAM "
                                   "principals.")) != CDK_OK)
            return rc;
        if (s->resources->len == 0 && s->not_resources->len == 0 &&
            (rc = cdk_strlist_push(app, errs,
                                   "A PolicyStatement used in an identity-based policy must specify at least one "
                                   "resource.")) != CDK_OK)
            return rc;
    }
    return CDK_OK;
}

/* ---- fromJson ---- */

/* ensureArrayOrUndefined */
static int json_strings(cdk_app *app, const cdk_value *v, cdk_value **out)
{
    *out = NULL;
    if (v == NULL)
        return CDK_OK;
    if (v->kind == CDK_STRING) {
        if ((*out = cdk_list(app)) == NULL || cdk_list_push(app, *out, (cdk_value *)v) != CDK_OK)
            return cdk_oom(app);
        return CDK_OK;
    }
    int ok = v->kind == CDK_LIST && !cdk_is_unresolved(v);
    for (size_t i = 0; ok && i < v->len; i++)
        ok = v->u.list.items[i]->kind == CDK_STRING;
    if (!ok)
        return cdk_fail(app, CDK_EINVAL, "Fields must be either a string or an array of strings");
    *out = (cdk_value *)v;
    return CDK_OK;
}

static int json_principal(cdk_app *app, const cdk_value *v, cdk_iam_principal **out)
{
    *out = NULL;
    if (v == NULL)
        return CDK_OK;
    if (v->kind != CDK_STRING && v->kind != CDK_MAP) {
        cdk_buf b = {0};
        cdk_value_json(app, v, &b);
        int rc = cdk_fail(app, CDK_EINVAL, "JSON IAM principal should be an object, got %s", b.data ? b.data : "");
        cdk_buf_free(&b);
        return rc;
    }
    *out = cdk_iam_principal_new(app, CDK_IAM_JSON, (cdk_value *)v);
    return *out ? CDK_OK : cdk_oom(app);
}

int cdk_iam_statement_from_json(cdk_app *app, const cdk_value *obj, cdk_iam_statement **out)
{
    if (obj == NULL || obj->kind != CDK_MAP)
        return cdk_fail(app, CDK_EINVAL, "a policy statement (a map) expected");
    cdk_value *actions, *resources, *not_actions, *not_resources;
    cdk_iam_principal *principal, *not_principal;
    int rc;
    if ((rc = json_strings(app, cdk_map_get(obj, "Action"), &actions)) != CDK_OK ||
        (rc = json_strings(app, cdk_map_get(obj, "Resource"), &resources)) != CDK_OK ||
        (rc = json_strings(app, cdk_map_get(obj, "NotAction"), &not_actions)) != CDK_OK ||
        (rc = json_strings(app, cdk_map_get(obj, "NotResource"), &not_resources)) != CDK_OK ||
        (rc = json_principal(app, cdk_map_get(obj, "Principal"), &principal)) != CDK_OK ||
        (rc = json_principal(app, cdk_map_get(obj, "NotPrincipal"), &not_principal)) != CDK_OK)
        return rc;
    /* the constructor checks the actions first */
    for (size_t i = 0; actions && i < actions->len; i++)
        if ((rc = cdk_iam_check_action(app, actions->u.list.items[i])) != CDK_OK)
            return rc;
    for (size_t i = 0; not_actions && i < not_actions->len; i++)
        if ((rc = cdk_iam_check_action(app, not_actions->u.list.items[i])) != CDK_OK)
            return rc;
    cdk_iam_statement *s = cdk_iam_statement_new(app);
    if (s == NULL)
        return cdk_oom(app);
    cdk_value *sid = cdk_map_get(obj, "Sid"), *effect = cdk_map_get(obj, "Effect");
    cdk_value *conds = cdk_map_get(obj, "Condition");
    if (sid && sid->kind != CDK_STRING)
        return cdk_fail(app, CDK_EINVAL, "Sid must be a string");
    if (effect && effect->kind != CDK_STRING)
        return cdk_fail(app, CDK_EINVAL, "Effect must be a string");
    if (conds && conds->kind != CDK_MAP)
        return cdk_fail(app, CDK_EINVAL, "Condition must be a map");
    s->sid = sid;
    if (effect && effect->len > 0)
        s->effect = effect->u.str.ptr;
    if ((actions && (rc = cdk_iam_statement_add_actions(s, actions->u.list.items, actions->len, 0)) != CDK_OK) ||
        (not_actions &&
         (rc = cdk_iam_statement_add_actions(s, not_actions->u.list.items, not_actions->len, 1)) != CDK_OK) ||
        (principal && (rc = cdk_iam_statement_add_principal(s, principal, 0)) != CDK_OK) ||
        (not_principal && (rc = cdk_iam_statement_add_principal(s, not_principal, 1)) != CDK_OK) ||
        (resources &&
         (rc = cdk_iam_statement_add_resources(s, resources->u.list.items, resources->len, 0)) != CDK_OK) ||
        (not_resources &&
         (rc = cdk_iam_statement_add_resources(s, not_resources->u.list.items, not_resources->len, 1)) != CDK_OK))
        return rc;
    for (size_t i = 0; conds && i < conds->len; i++)
        if ((rc = cdk_iam_statement_add_condition(s, conds->u.map.ents[i].key, conds->u.map.ents[i].value)) != CDK_OK)
            return rc;
    cdk_strlist errs = {0};
    if ((rc = cdk_iam_statement_validate(app, s, CDK_IAM_ANY_POLICY, &errs)) != CDK_OK)
        return rc;
    if (errs.len > 0) {
        cdk_buf b = {0};
        cdk_buf_adds(&b, "Incorrect Policy Statement: ");
        for (size_t i = 0; i < errs.len; i++) {
            if (i)
                cdk_buf_adds(&b, "\n");
            cdk_buf_adds(&b, errs.items[i]);
        }
        rc = b.oom ? cdk_oom(app) : cdk_fail(app, CDK_EINVAL, "%s", b.data);
        cdk_buf_free(&b);
        return rc;
    }
    *out = s;
    return CDK_OK;
}

int cdk_iam_document_from_json(cdk_app *app, const cdk_value *obj, cdk_iam_document **out)
{
    cdk_value *st = obj && obj->kind == CDK_MAP ? cdk_map_get(obj, "Statement") : NULL;
    if (st == NULL || st->kind != CDK_LIST || cdk_is_unresolved(st))
        return cdk_fail(app, CDK_EINVAL, "Statement must be an array");
    cdk_iam_document *d = cdk_iam_document_new(app, 0);
    if (d == NULL)
        return cdk_oom(app);
    for (size_t i = 0; i < st->len; i++) {
        cdk_iam_statement *s;
        int rc = cdk_iam_statement_from_json(app, st->u.list.items[i], &s);
        if (rc == CDK_OK)
            rc = cdk_iam_document_add(d, s);
        if (rc != CDK_OK)
            return rc;
    }
    *out = d;
    return CDK_OK;
}

/* ---- documents ---- */

cdk_iam_document *cdk_iam_document_new(cdk_app *app, int assign_sids)
{
    cdk_iam_document *d = cdk_alloc(app, sizeof *d);
    if (d == NULL)
        return NULL;
    d->app = app;
    d->assign_sids = assign_sids;
    d->minimize = -1;
    return d;
}

int cdk_iam_resource_policy_new(cdk_node *owner, const cdk_class *cls, const char *cfn_type, const cdk_schema *schema,
                                const char *targets_key, cdk_value *target, int assign_sids, cdk_node **policy,
                                cdk_iam_document **doc)
{
    cdk_app *app = owner->app;
    int rc;
    if ((rc = cdk_node_new(owner, "Policy", cls, 0, policy)) != CDK_OK)
        return rc;
    *doc = cdk_iam_document_new(app, assign_sids);
    cdk_value *props = cdk_map(app), *targets = cdk_list(app);
    if (*doc == NULL || props == NULL || targets == NULL || cdk_list_push(app, targets, target) != CDK_OK ||
        cdk_map_set(app, props, "policy_document", cdk_iam_document_value(*doc)) != CDK_OK ||
        cdk_map_set(app, props, targets_key, targets) != CDK_OK)
        return cdk_oom(app);
    cdk_node *res;
    return cdk_cfn_resource_new(*policy, "Resource", cfn_type, schema, props, NULL, &res);
}

int cdk_iam_document_add(cdk_iam_document *d, cdk_iam_statement *s)
{
    if (d->n == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 4;
        cdk_iam_statement **st = cdk_alloc(d->app, cap * sizeof *st);
        if (st == NULL)
            return cdk_oom(d->app);
        if (d->n)
            memcpy(st, d->statements, d->n * sizeof *st);
        d->statements = st;
        d->cap = cap;
    }
    d->statements[d->n++] = s;
    return CDK_OK;
}

static int produce_document(cdk_rctx *ctx, void *ud, cdk_value **out)
{
    cdk_iam_document *d = ud;
    cdk_app *app = ctx->app;
    /* PolicyDocument.resolve: merge (when minimizing), and sort after rendering then. CDK asks
     * the resolve context's scope: the element while references are collected (findTokens), its
     * stack when the template and tree are written (Stack.resolve); they differ when the flag is
     * set on a construct below the stack */
    cdk_node *scope = ctx->scope && !ctx->preparing && ctx->scope->stack ? ctx->scope->stack : ctx->scope;
    d->sort = scope && cdk_iam_document_should_merge(d, scope);
    if (d->sort) {
        int rc = cdk_iam_document_merge(scope, d, 0);
        if (rc != CDK_OK)
            return rc;
    }
    if (d->n == 0) {
        *out = cdk_undefined();
        return CDK_OK;
    }
    /* the statements as values are made only to be resolved: in the transient arena */
    cdk_transient_begin(app);
    int ok = 1;
    cdk_value *doc = cdk_map(app), *list = cdk_list(app);
    if (doc == NULL || list == NULL || cdk_list_reserve(app, list, d->n) != CDK_OK)
        ok = 0;
    for (size_t i = 0; ok && i < d->n; i++)
        ok = cdk_list_push(app, list, cdk_iam_statement_json(app, d->statements[i])) == CDK_OK;
    ok = ok && cdk_map_set(app, doc, "Statement", list) == CDK_OK &&
         cdk_map_set(app, doc, "Version", cdk_str_ref(app, "2012-10-17")) == CDK_OK;
    cdk_transient_end(app);
    if (!ok)
        return cdk_oom(app);
    *out = doc;
    return CDK_OK;
}

/* sortByJson on obj[key]: the values sorted by their JSON, duplicates dropped, a single value
 * unwrapped. */
typedef struct keyed {
    char *json;
    cJSON *item;
} keyed;

static int cmp_keyed(const void *a, const void *b)
{
    return strcmp(((const keyed *)a)->json, ((const keyed *)b)->json);
}

static int sort_by_json(cdk_app *app, cJSON *obj, const char *key)
{
    cJSON *arr = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!cJSON_IsArray(arr))
        return CDK_OK;
    size_t n = (size_t)cJSON_GetArraySize(arr), k = 0;
    keyed *ks = calloc(n + 1, sizeof *ks);
    if (ks == NULL)
        return cdk_oom(app);
    int rc = CDK_OK;
    while (arr->child) {
        cJSON *item = cJSON_DetachItemViaPointer(arr, arr->child);
        cdk_buf b = {0};
        cdk_json_write(&b, item, 0);
        if (b.oom) {
            cdk_buf_free(&b);
            cJSON_Delete(item);
            rc = cdk_oom(app);
            continue;
        }
        size_t i = 0;
        while (i < k && strcmp(ks[i].json, b.data) != 0)
            i++;
        if (i < k) { /* Map.set: the key keeps its place, the later value wins */
            cJSON_Delete(ks[i].item);
            ks[i].item = item;
            cdk_buf_free(&b);
        } else {
            ks[k].json = b.data;
            ks[k++].item = item;
        }
    }
    qsort(ks, k, sizeof *ks, cmp_keyed);
    for (size_t i = 0; i < k; i++) {
        if (rc == CDK_OK)
            cJSON_AddItemToArray(arr, ks[i].item);
        else
            cJSON_Delete(ks[i].item);
        free(ks[i].json);
    }
    free(ks);
    if (rc == CDK_OK && k == 1) {
        cJSON *only = cJSON_DetachItemViaPointer(arr, arr->child);
        if (!cJSON_ReplaceItemInObjectCaseSensitive(obj, key, only)) {
            cJSON_Delete(only);
            return cdk_oom(app);
        }
    }
    return rc;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* sortPrincipals: the keys sorted, each value sorted by JSON. */
static int sort_principals(cdk_app *app, cJSON *p)
{
    size_t n = (size_t)cJSON_GetArraySize(p), k = 0;
    const char **keys = calloc(n + 1, sizeof *keys);
    if (keys == NULL)
        return cdk_oom(app);
    for (cJSON *c = p->child; c; c = c->next)
        keys[k++] = c->string;
    qsort(keys, k, sizeof *keys, cmp_str);
    cJSON *sorted = cJSON_CreateObject();
    int rc = sorted ? CDK_OK : cdk_oom(app);
    for (size_t i = 0; rc == CDK_OK && i < k; i++) {
        cJSON *item = cJSON_DetachItemFromObjectCaseSensitive(p, keys[i]);
        cJSON_AddItemToObject(sorted, item->string, item);
    }
    free(keys);
    if (rc != CDK_OK)
        return rc;
    /* move the sorted members back into p */
    while (sorted->child) {
        cJSON *item = cJSON_DetachItemViaPointer(sorted, sorted->child);
        cJSON_AddItemToObject(p, item->string, item);
    }
    cJSON_Delete(sorted);
    /* sort_by_json may replace c (a list of one unwrapped): step on before it runs */
    for (cJSON *c = p->child, *next; rc == CDK_OK && c; c = next) {
        next = c->next;
        rc = sort_by_json(app, p, c->string);
    }
    return rc;
}

/* PostProcessPolicyDocument: drop statements equal (as JSON) to an earlier one; assign sids;
 * sort actions, resources and principals of minimized documents. */
static int post_document(cdk_rctx *ctx, void *ud, cJSON **value)
{
    cdk_iam_document *d = ud;
    cJSON *doc = *value;
    cJSON *st = doc ? cJSON_GetObjectItemCaseSensitive(doc, "Statement") : NULL;
    if (!cJSON_IsArray(st))
        return CDK_OK;
    size_t n = (size_t)cJSON_GetArraySize(st);
    char **seen = calloc(n + 1, sizeof *seen);
    if (seen == NULL)
        return cdk_oom(ctx->app);
    size_t k = 0;
    int rc = CDK_OK;
    cJSON *s = st->child;
    while (s) {
        cJSON *next = s->next;
        cdk_buf b = {0};
        cdk_json_write(&b, s, 0);
        if (b.oom) {
            cdk_buf_free(&b);
            rc = cdk_oom(ctx->app);
            break;
        }
        int dup = 0;
        for (size_t i = 0; i < k && !dup; i++)
            dup = strcmp(seen[i], b.data) == 0;
        if (dup) {
            cJSON_Delete(cJSON_DetachItemViaPointer(st, s));
            cdk_buf_free(&b);
        } else {
            seen[k++] = b.data;
        }
        s = next;
    }
    for (size_t i = 0; i < k; i++)
        free(seen[i]);
    free(seen);
    int i = 0;
    for (s = st->child; rc == CDK_OK && s; s = s->next, i++) {
        if (d->assign_sids && cJSON_GetObjectItemCaseSensitive(s, "Sid") == NULL) {
            char num[16];
            snprintf(num, sizeof num, "%d", i);
            if (cJSON_AddStringToObject(s, "Sid", num) == NULL)
                rc = cdk_oom(ctx->app);
        }
        if (rc == CDK_OK && d->sort) {
            cJSON *principal = cJSON_GetObjectItemCaseSensitive(s, "Principal");
            if ((rc = sort_by_json(ctx->app, s, "Action")) == CDK_OK &&
                (rc = sort_by_json(ctx->app, s, "Resource")) == CDK_OK && cJSON_IsObject(principal))
                rc = sort_principals(ctx->app, principal);
        }
    }
    return rc;
}

cdk_value *cdk_iam_document_value(cdk_iam_document *d)
{
    if (d->value)
        return d->value;
    cdk_token *t = cdk_token_lazy(d->app, produce_document, d, 0, 'a');
    if (t == NULL)
        return NULL;
    t->u.lazy.post = post_document;
    t->hint = "PolicyDocument";
    t->creation_stack = 2;
    d->value = cdk_tokv(d->app, t);
    return d->value;
}

int cdk_iam_document_validate(cdk_iam_document *d, int kind, cdk_strlist *errs)
{
    for (size_t i = 0; i < d->n; i++) {
        int rc = cdk_iam_statement_validate(d->app, d->statements[i], kind, errs);
        if (rc != CDK_OK)
            return rc;
    }
    return CDK_OK;
}

/* ---- splitting ---- */

static size_t count(const char *key, const cdk_value *values, size_t token_size)
{
    size_t n = values->len;
    if (n == 0)
        return 0;
    size_t r = strlen(key) + 5;
    for (size_t i = 0; i < n; i++) {
        const cdk_value *v = values->u.list.items[i];
        r += (cdk_is_unresolved(v) || v->kind != CDK_STRING ? token_size : v->len) + 3;
    }
    return r;
}

static size_t estimate(cdk_app *app, cdk_iam_statement *s, size_t arn_estimate)
{
    size_t r = strlen("\"Effect\": \"\",") + strlen(s->effect);
    r += count("Action", s->actions, 20);
    r += count("NotAction", s->not_actions, 20);
    r += count("Resource", s->resources, arn_estimate);
    r += count("NotResource", s->not_resources, arn_estimate);
    r += cdk_iam_statement_x(s)->nprincipals * arn_estimate;
    r += cdk_iam_statement_x(s)->nnot_principals * arn_estimate;
    cdk_buf b = {0};
    cdk_value_json(app, s->conditions, &b);
    r += b.len;
    cdk_buf_free(&b);
    return r;
}

/* deriveEstimateSizeOptions: the ARN estimate from context. */
static int arn_size_estimate(cdk_node *scope, size_t *out)
{
    *out = 150;
    const cJSON *ctx = cdk_node_try_get_context(scope, "@aws-cdk/aws-iam.arnSizeEstimate");
    if (ctx && !cJSON_IsNull(ctx)) { /* CDK: the context ?? 150 */
        if (!cJSON_IsNumber(ctx)) {
            char *j = cJSON_PrintUnformatted(ctx);
            int rc = cdk_fail(scope->app, CDK_EINVAL,
                              "Context value @aws-cdk/aws-iam.arnSizeEstimate should be a number, got %s", j ? j : "?");
            free(j);
            return rc;
        }
        /* clamped: a negative or huge double cannot be cast to size_t */
        double d = ctx->valuedouble;
        *out = d > 0 ? (d < 1e15 ? (size_t)d : (size_t)1e15) : 0;
    }
    return CDK_OK;
}

static int truthy(const cJSON *j)
{
    if (j == NULL || cJSON_IsFalse(j) || cJSON_IsNull(j))
        return 0;
    if (cJSON_IsNumber(j))
        return j->valuedouble != 0;
    if (cJSON_IsString(j))
        return j->valuestring[0] != '\0';
    return 1;
}

int cdk_iam_document_should_merge(cdk_iam_document *d, cdk_node *scope)
{
    if (d->minimize >= 0)
        return d->minimize;
    return truthy(cdk_node_try_get_context(scope, "@aws-cdk/aws-iam:minimizePolicies"));
}

/* ---- merging (mergeStatements) ---- */

#define MAX_MERGE_SIZE 2000

static int str_in(const cdk_value *l, const cdk_value *v)
{
    for (size_t i = 0; i < l->len; i++)
        if (cdk_value_equal(l->u.list.items[i], v))
            return 1;
    return 0;
}

/* setEqual over lists of strings */
static int set_equal(const cdk_value *a, const cdk_value *b)
{
    if (a->len != b->len)
        return 0;
    for (size_t i = 0; i < a->len; i++)
        if (!str_in(b, a->u.list.items[i]))
            return 0;
    return 1;
}

static int cmp_value_str(const void *a, const void *b)
{
    const char *x = cdk_value_str(*(cdk_value *const *)a), *y = cdk_value_str(*(cdk_value *const *)b);
    return strcmp(x ? x : "", y ? y : "");
}

/* setMerge: the union, sorted as strings */
static cdk_value *set_merge(cdk_app *app, const cdk_value *a, const cdk_value *b)
{
    cdk_value *out = cdk_list(app);
    for (int pass = 0; out && pass < 2; pass++) {
        const cdk_value *l = pass ? b : a;
        for (size_t i = 0; i < l->len; i++)
            if (!str_in(out, l->u.list.items[i]) && cdk_list_push(app, out, l->u.list.items[i]) != CDK_OK)
                return NULL;
    }
    if (out && out->len > 1)
        qsort(out->u.list.items, out->len, sizeof *out->u.list.items, cmp_value_str);
    return out;
}

/* partitionPrincipals: comparable ones by dedupe string (an object: first place, last value),
 * the others as they come. */
typedef struct partition {
    const char **keys;
    cdk_iam_principal **comparable, **others;
    size_t ncomp, nothers;
} partition;

static int partition_principals(cdk_app *app, cdk_iam_principal **ps, size_t n, partition *out)
{
    memset(out, 0, sizeof *out);
    out->keys = cdk_alloc(app, (n + 1) * sizeof *out->keys);
    out->comparable = cdk_alloc(app, (n + 1) * sizeof *out->comparable);
    out->others = cdk_alloc(app, (n + 1) * sizeof *out->others);
    if (!out->keys || !out->comparable || !out->others)
        return cdk_oom(app);
    for (size_t i = 0; i < n; i++) {
        const char *k = cdk_iam_principal_dedupe(app, ps[i]);
        if (k == NULL) {
            out->others[out->nothers++] = ps[i];
            continue;
        }
        size_t j = 0;
        while (j < out->ncomp && strcmp(out->keys[j], k) != 0)
            j++;
        out->keys[j] = k;
        out->comparable[j] = ps[i];
        if (j == out->ncomp)
            out->ncomp++;
    }
    return CDK_OK;
}

static int key_in(const partition *p, const char *k)
{
    for (size_t i = 0; i < p->ncomp; i++)
        if (strcmp(p->keys[i], k) == 0)
            return 1;
    return 0;
}

static int principals_equal(cdk_app *app, cdk_iam_principal **xs, size_t nx, cdk_iam_principal **ys, size_t ny, int *eq)
{
    partition x, y;
    int rc;
    if ((rc = partition_principals(app, xs, nx, &x)) != CDK_OK || (rc = partition_principals(app, ys, ny, &y)) != CDK_OK)
        return rc;
    *eq = x.nothers == y.nothers && x.ncomp == y.ncomp;
    for (size_t i = 0; *eq && i < x.nothers; i++) {
        int found = 0;
        for (size_t j = 0; j < y.nothers && !found; j++)
            found = x.others[i] == y.others[j];
        *eq = found;
    }
    for (size_t i = 0; *eq && i < x.ncomp; i++)
        *eq = key_in(&y, x.keys[i]);
    return CDK_OK;
}

static int has_literal(cdk_app *app, cdk_iam_statement *s)
{
    const cdk_iam_statement_extra *x = cdk_iam_statement_x(s);
    for (size_t i = 0; i < x->nprincipals; i++)
        if (cdk_iam_principal_is_literal(app, x->principals[i]))
            return 1;
    return 0;
}

static char *conditions_json(cdk_app *app, cdk_iam_statement *s)
{
    cdk_buf b = {0};
    cdk_value_json(app, s->conditions, &b);
    char *r = b.oom ? NULL : cdk_strdup(app, b.data ? b.data : "{}");
    cdk_buf_free(&b);
    return r;
}

/* tryMerge: NULL in *out when a and b cannot merge. */
static int try_merge(cdk_app *app, cdk_iam_statement *a, cdk_iam_statement *b, int limit_size, size_t arn_estimate,
                     cdk_iam_statement **out)
{
    const cdk_iam_statement_extra *ax = cdk_iam_statement_x(a), *bx = cdk_iam_statement_x(b);
    *out = NULL;
    if (strcmp(a->effect, b->effect) != 0)
        return CDK_OK;
    if ((a->sid && cdk_value_str(a->sid) && *cdk_value_str(a->sid)) ||
        (b->sid && cdk_value_str(b->sid) && *cdk_value_str(b->sid)))
        return CDK_OK;
    char *ca = conditions_json(app, a), *cb = conditions_json(app, b);
    if (ca == NULL || cb == NULL)
        return cdk_oom(app);
    if (strcmp(ca, cb) != 0)
        return CDK_OK;
    int eq, rc;
    if (!set_equal(a->not_actions, b->not_actions) || !set_equal(a->not_resources, b->not_resources))
        return CDK_OK;
    if ((rc = principals_equal(app, ax->not_principals, ax->nnot_principals, bx->not_principals, bx->nnot_principals, &eq)) !=
        CDK_OK)
        return rc;
    if (!eq)
        return CDK_OK;
    int sets = set_equal(a->actions, b->actions) + set_equal(a->resources, b->resources);
    if ((rc = principals_equal(app, ax->principals, ax->nprincipals, bx->principals, bx->nprincipals, &eq)) != CDK_OK)
        return rc;
    sets += eq;
    if (sets < 2 || has_literal(app, a) != has_literal(app, b))
        return CDK_OK;
    /* a.copy({actions, resources, principals}) */
    cdk_value *actions = set_merge(app, a->actions, b->actions);
    cdk_value *resources = set_merge(app, a->resources, b->resources);
    partition x, y;
    if (actions == NULL || resources == NULL)
        return cdk_oom(app);
    if ((rc = partition_principals(app, ax->principals, ax->nprincipals, &x)) != CDK_OK ||
        (rc = partition_principals(app, bx->principals, bx->nprincipals, &y)) != CDK_OK)
        return rc;
    cdk_iam_statement *c = cdk_iam_statement_new(app);
    if (c == NULL)
        return cdk_oom(app);
    c->sid = a->sid;
    c->effect = a->effect;
    for (size_t i = 0; i < actions->len; i++)
        if ((rc = cdk_iam_check_action(app, actions->u.list.items[i])) != CDK_OK)
            return rc;
    for (size_t i = 0; i < a->not_actions->len; i++)
        if ((rc = cdk_iam_check_action(app, a->not_actions->u.list.items[i])) != CDK_OK)
            return rc;
    if ((rc = cdk_iam_statement_add_actions(c, actions->u.list.items, actions->len, 0)) != CDK_OK ||
        (rc = cdk_iam_statement_add_actions(c, a->not_actions->u.list.items, a->not_actions->len, 1)) != CDK_OK)
        return rc;
    /* {...x.comparable, ...y.comparable}, then the others of x, then of y */
    for (size_t i = 0; i < x.ncomp; i++) {
        cdk_iam_principal *p = x.comparable[i];
        for (size_t j = 0; j < y.ncomp; j++)
            if (strcmp(y.keys[j], x.keys[i]) == 0)
                p = y.comparable[j];
        if ((rc = cdk_iam_statement_add_principal(c, p, 0)) != CDK_OK)
            return rc;
    }
    for (size_t j = 0; j < y.ncomp; j++)
        if (!key_in(&x, y.keys[j]) && (rc = cdk_iam_statement_add_principal(c, y.comparable[j], 0)) != CDK_OK)
            return rc;
    for (size_t i = 0; i < x.nothers; i++)
        if ((rc = cdk_iam_statement_add_principal(c, x.others[i], 0)) != CDK_OK)
            return rc;
    for (size_t i = 0; i < y.nothers; i++)
        if ((rc = cdk_iam_statement_add_principal(c, y.others[i], 0)) != CDK_OK)
            return rc;
    for (size_t i = 0; i < ax->nnot_principals; i++)
        if ((rc = cdk_iam_statement_add_principal(c, ax->not_principals[i], 1)) != CDK_OK)
            return rc;
    if ((rc = cdk_iam_statement_add_resources(c, resources->u.list.items, resources->len, 0)) != CDK_OK ||
        (rc = cdk_iam_statement_add_resources(c, a->not_resources->u.list.items, a->not_resources->len, 1)) !=
            CDK_OK)
        return rc;
    for (size_t i = 0; i < a->conditions->len; i++)
        if ((rc = cdk_iam_statement_add_condition(c, a->conditions->u.map.ents[i].key, a->conditions->u.map.ents[i].value)) !=
            CDK_OK)
            return rc;
    if (limit_size && estimate(app, c, arn_estimate) > MAX_MERGE_SIZE)
        return CDK_OK;
    /* originsMap: what the merged statement stands for */
    size_t na = ax->norigins ? ax->norigins : 1, nb = bx->norigins ? bx->norigins : 1;
    cdk_iam_statement_extra *cx = x_own(c);
    if (cx == NULL || (cx->origins = cdk_alloc(app, (na + nb) * sizeof *cx->origins)) == NULL)
        return cdk_oom(app);
    for (size_t i = 0; i < na; i++)
        cx->origins[cx->norigins++] = ax->norigins ? ax->origins[i] : a;
    for (size_t i = 0; i < nb; i++)
        cx->origins[cx->norigins++] = bx->norigins ? bx->origins[i] : b;
    *out = c;
    return CDK_OK;
}

int cdk_iam_document_holds(const cdk_iam_document *d, const cdk_iam_statement *s)
{
    for (size_t i = 0; i < d->n; i++) {
        if (d->statements[i] == s)
            return 1;
        const cdk_iam_statement_extra *x = cdk_iam_statement_x(d->statements[i]);
        for (size_t k = 0; k < x->norigins; k++)
            if (x->origins[k] == s)
                return 1;
    }
    return 0;
}

int cdk_iam_document_merge(cdk_node *scope, cdk_iam_document *d, int limit_size)
{
    cdk_app *app = scope->app;
    size_t arn_estimate;
    int rc = arn_size_estimate(scope, &arn_estimate);
    if (rc != CDK_OK)
        return rc;
    int merged = 1;
    while (merged) {
        merged = 0;
        for (size_t i = 0; i < d->n; i++) {
            size_t j = i + 1;
            while (j < d->n) {
                cdk_iam_statement *c;
                if ((rc = try_merge(app, d->statements[i], d->statements[j], limit_size, arn_estimate, &c)) != CDK_OK)
                    return rc;
                if (c == NULL) {
                    j++;
                    continue;
                }
                d->statements[i] = c;
                memmove(d->statements + j, d->statements + j + 1, (d->n - j - 1) * sizeof *d->statements);
                d->n--;
                merged = 1;
            }
        }
    }
    return CDK_OK;
}

int cdk_iam_document_split(cdk_node *scope, cdk_iam_document *d, size_t self_max, size_t split_max,
                           cdk_iam_document ***extra, size_t *nextra)
{
    cdk_app *app = scope->app;
    size_t arn_estimate;
    int rc0 = cdk_iam_document_should_merge(d, scope) ? cdk_iam_document_merge(scope, d, 1) : CDK_OK;
    if (rc0 == CDK_OK)
        rc0 = arn_size_estimate(scope, &arn_estimate);
    if (rc0 != CDK_OK)
        return rc0;
    cdk_iam_document **docs = NULL;
    size_t *sizes = NULL;
    size_t ndocs = 0, cap = 0, self_size = 0, i = 0;
    while (i < d->n) {
        size_t sz = estimate(app, d->statements[i], arn_estimate);
        if (self_size + sz < self_max) {
            self_size += sz;
            i++;
            continue;
        }
        size_t j = 0;
        while (j < ndocs && sizes[j] + sz > split_max)
            j++;
        if (j == ndocs) {
            if (ndocs == cap) {
                size_t nc = cap ? cap * 2 : 4;
                cdk_iam_document **nd = cdk_alloc(app, nc * sizeof *nd);
                size_t *ns = cdk_alloc(app, nc * sizeof *ns);
                if (nd == NULL || ns == NULL)
                    return cdk_oom(app);
                if (ndocs) {
                    memcpy(nd, docs, ndocs * sizeof *nd);
                    memcpy(ns, sizes, ndocs * sizeof *ns);
                }
                docs = nd;
                sizes = ns;
                cap = nc;
            }
            if ((docs[ndocs] = cdk_iam_document_new(app, d->assign_sids)) == NULL)
                return cdk_oom(app);
            docs[ndocs]->minimize = d->minimize;
            sizes[ndocs++] = 0;
        }
        int rc = cdk_iam_document_add(docs[j], d->statements[i]);
        if (rc != CDK_OK)
            return rc;
        sizes[j] += sz;
        memmove(d->statements + i, d->statements + i + 1, (d->n - i - 1) * sizeof *d->statements);
        d->n--;
    }
    *extra = docs;
    *nextra = ndocs;
    return CDK_OK;
}
