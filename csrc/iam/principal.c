/* principal.c: IAM principals and their policy fragments as the AWS CDK v1 builds them: the
 * principal JSON ({"AWS": [...], "Service": [...]}) and conditions; account ARNs that depend on
 * the consuming stack's partition and account; composite, conditioned, session-tag and literal
 * principals; their assume-role statements and the dedupe strings statement merging compares. */
#include <string.h>

#include "cdk_iam.h"

static int merge_principal_json(cdk_app *app, cdk_value *target, const cdk_value *source);

/* ---- stack-dependent ARNs (CDK's StackDependentToken) ---- */

typedef struct stackdep {
    cdk_value *account;  /* NULL: the consuming stack's account */
} stackdep;

static int produce_account_arn(cdk_rctx *ctx, void *ud, cdk_value **out)
{
    stackdep *d = ud;
    cdk_node *stack = ctx->scope ? ctx->scope->stack : NULL;
    if (stack == NULL)
        return cdk_fail(ctx->app, CDK_ESYNTH, "an account principal must be resolved in a stack");
    cdk_value *account = d->account ? d->account : cdk_stack_account(stack);
    const char *part = cdk_value_str(cdk_stack_partition(stack)), *acc = cdk_value_str(account);
    if (part == NULL || acc == NULL)
        return cdk_fail(ctx->app, CDK_ESYNTH, "accountId should be of type string");
    char *s = cdk_sprintf(ctx->app, "arn:%s:iam::%s:root", part, acc);
    *out = s ? cdk_str_ref(ctx->app, s) : NULL;
    return *out ? CDK_OK : cdk_oom(ctx->app);
}

static int produce_stack_account(cdk_rctx *ctx, void *ud, cdk_value **out)
{
    (void)ud;
    cdk_node *stack = ctx->scope ? ctx->scope->stack : NULL;
    if (stack == NULL)
        return cdk_fail(ctx->app, CDK_ESYNTH, "an account root principal must be resolved in a stack");
    *out = cdk_stack_account(stack);
    return CDK_OK;
}

static cdk_value *stack_dependent(cdk_app *app, cdk_produce_fn fn, void *ud)
{
    cdk_token *t = cdk_token_lazy(app, fn, ud, 0, 's');
    if (t == NULL)
        return NULL;
    t->creation_stack = 2;
    return cdk_token_strv(app, t);
}

cdk_iam_principal *cdk_iam_principal_new(cdk_app *app, cdk_iam_principal_kind kind, cdk_value *arg)
{
    cdk_iam_principal *p = cdk_alloc(app, sizeof *p);
    if (p == NULL)
        return NULL;
    p->kind = kind;
    p->app = app;
    p->arg = arg;
    p->assume_role_action = "sts:AssumeRole";
    if (kind == CDK_IAM_ACCOUNT || kind == CDK_IAM_ACCOUNT_ROOT) {
        /* AccountRootPrincipal is AccountPrincipal(the consuming stack's account) */
        p->principal_account =
            kind == CDK_IAM_ACCOUNT ? arg : stack_dependent(app, produce_stack_account, NULL);
        stackdep *d = cdk_alloc(app, sizeof *d);
        if (p->principal_account == NULL || d == NULL)
            return NULL;
        d->account = p->principal_account;
        p->arn = stack_dependent(app, produce_account_arn, d);
        if (p->arn == NULL)
            return NULL;
    }
    return p;
}

int cdk_iam_service_principal(cdk_app *app, cdk_value *service, cdk_value *conditions, cdk_value *region,
                              cdk_iam_principal **out)
{
    cdk_iam_principal *p = cdk_iam_principal_new(app, CDK_IAM_SERVICE, service);
    if (p == NULL)
        return cdk_oom(app);
    p->conditions = conditions;
    p->service_region = region;
    *out = p;
    return CDK_OK;
}

int cdk_iam_federated_principal(cdk_app *app, cdk_value *federated, cdk_value *conditions,
                                const char *assume_role_action, cdk_iam_principal **out)
{
    cdk_iam_principal *p = cdk_iam_principal_new(app, CDK_IAM_FEDERATED, federated);
    if (p == NULL)
        return cdk_oom(app);
    p->conditions = conditions;
    if (assume_role_action && (p->assume_role_action = cdk_strdup(app, assume_role_action)) == NULL)
        return cdk_oom(app);
    *out = p;
    return CDK_OK;
}

int cdk_iam_web_identity_principal(cdk_app *app, cdk_value *provider, cdk_value *conditions,
                                   cdk_iam_principal **out)
{
    int rc = cdk_iam_federated_principal(app, provider, conditions, "sts:AssumeRoleWithWebIdentity", out);
    if (rc == CDK_OK)
        (*out)->web_identity = 1;
    return rc;
}

int cdk_iam_composite_add(cdk_iam_principal *c, cdk_iam_principal *p)
{
    if (c->nparts == c->capparts) {
        size_t cap = c->capparts ? c->capparts * 2 : 4;
        cdk_iam_principal **parts = cdk_alloc(c->app, cap * sizeof *parts);
        if (parts == NULL)
            return cdk_oom(c->app);
        if (c->nparts)
            memcpy(parts, c->parts, c->nparts * sizeof *parts);
        c->parts = parts;
        c->capparts = cap;
    }
    if (c->nparts == 0)
        c->assume_role_action = p->assume_role_action;
    c->parts[c->nparts++] = p;
    return CDK_OK;
}

cdk_iam_principal *cdk_iam_with_conditions(cdk_iam_principal *p, cdk_value *conditions)
{
    cdk_iam_principal *w = cdk_iam_principal_new(p->app, CDK_IAM_WITH_CONDITIONS, NULL);
    if (w == NULL)
        return NULL;
    w->wrapped = p;
    w->conditions = conditions;
    w->assume_role_action = p->assume_role_action;
    w->principal_account = p->principal_account;
    w->identity = p->identity;
    return w;
}

cdk_iam_principal *cdk_iam_with_session_tags(cdk_iam_principal *p)
{
    cdk_iam_principal *w = cdk_iam_principal_new(p->app, CDK_IAM_SESSION_TAGS, NULL);
    if (w == NULL)
        return NULL;
    w->wrapped = p;
    w->assume_role_action = p->assume_role_action;
    w->principal_account = p->principal_account;
    w->identity = p->identity;
    return w;
}

int cdk_iam_principal_add_condition(cdk_iam_principal *p, const char *op, cdk_value *value)
{
    cdk_app *app = p->app;
    if (p->kind != CDK_IAM_WITH_CONDITIONS)
        return cdk_fail(app, CDK_EINVAL, "add_condition: only a PrincipalWithConditions takes conditions");
    /* a copy: the map given to with_conditions is not changed behind its owner's back */
    cdk_value *conds = cdk_value_copy(app, p->conditions);
    const char *k = cdk_strdup(app, op);
    if (conds == NULL || k == NULL)
        return cdk_oom(app);
    cdk_value *existing = cdk_map_get(conds, op);
    if (existing && existing->kind == CDK_MAP && value->kind == CDK_MAP) {
        cdk_value *merged = cdk_value_copy(app, existing);
        for (size_t i = 0; merged && i < value->len; i++)
            if (cdk_map_set(app, merged, value->u.map.ents[i].key, value->u.map.ents[i].value) != CDK_OK)
                merged = NULL;
        if (merged == NULL)
            return cdk_oom(app);
        value = merged;
    }
    if (cdk_map_set(app, conds, k, value) != CDK_OK)
        return cdk_oom(app);
    p->conditions = conds;
    return CDK_OK;
}

/* ---- fragments ---- */

#define LITERAL_STRING_KEY "LiteralString"

static int has_other_key(const cdk_value *m)
{
    for (size_t i = 0; i < m->len; i++)
        if (strcmp(m->u.map.ents[i].key, LITERAL_STRING_KEY) != 0)
            return 1;
    return 0;
}

int cdk_iam_merge_principal(cdk_app *app, cdk_value *target, const cdk_value *source)
{
    /* a literal principal string ("Principal": "*") cannot share the statement with others */
    if ((cdk_map_get(source, LITERAL_STRING_KEY) && has_other_key(target)) ||
        (cdk_map_get(target, LITERAL_STRING_KEY) && has_other_key(source))) {
        cdk_buf b = {0};
        cdk_buf_adds(&b, "Cannot merge principals ");
        cdk_value_json(app, target, &b);
        cdk_buf_adds(&b, " and ");
        cdk_value_json(app, source, &b);
        cdk_buf_adds(&b, "; if one uses a literal principal string the other one must be empty");
        int rc = b.oom ? cdk_oom(app) : cdk_fail(app, CDK_EINVAL, "%s", b.data);
        cdk_buf_free(&b);
        return rc;
    }
    return merge_principal_json(app, target, source);
}

/* mergePrincipal: target[key] += source[key] (as lists). */
static int merge_principal_json(cdk_app *app, cdk_value *target, const cdk_value *source)
{
    for (size_t i = 0; i < source->len; i++) {
        const char *key = source->u.map.ents[i].key;
        const cdk_value *v = source->u.map.ents[i].value;
        cdk_value *list = cdk_map_get(target, key);
        if (list == NULL) {
            list = cdk_list(app);
            if (list == NULL || cdk_map_set(app, target, key, list) != CDK_OK)
                return cdk_oom(app);
        }
        if (v->kind == CDK_LIST && !cdk_is_unresolved(v)) {
            for (size_t k = 0; k < v->len; k++)
                if (cdk_list_push(app, list, v->u.list.items[k]) != CDK_OK)
                    return cdk_oom(app);
        } else if (cdk_list_push(app, list, (cdk_value *)v) != CDK_OK) {
            return cdk_oom(app);
        }
    }
    return CDK_OK;
}

static cdk_value *one(cdk_app *app, const char *key, cdk_value *v)
{
    cdk_value *m = cdk_map(app), *l = cdk_list(app);
    if (m == NULL || l == NULL || cdk_list_push(app, l, v) != CDK_OK || cdk_map_set(app, m, key, l) != CDK_OK)
        return NULL;
    return m;
}

/* PrincipalWithConditions.mergeConditions */
static int merge_conditions(cdk_app *app, cdk_value *into, const cdk_value *extra)
{
    for (size_t i = 0; extra && i < extra->len; i++) {
        const char *op = extra->u.map.ents[i].key;
        cdk_value *cond = extra->u.map.ents[i].value;
        cdk_value *existing = cdk_map_get(into, op);
        if (existing == NULL) {
            if (cdk_map_set(app, into, op, cond) != CDK_OK)
                return cdk_oom(app);
            continue;
        }
        if (cdk_is_unresolved(cond) || cdk_is_unresolved(existing) || cond->kind != CDK_MAP || existing->kind != CDK_MAP)
            return cdk_fail(app, CDK_EINVAL,
                            "multiple \"%s\" conditions cannot be merged if one of them contains an unresolved token", op);
        cdk_value *merged = cdk_value_copy(app, existing);
        for (size_t k = 0; merged && k < cond->len; k++)
            if (cdk_map_set(app, merged, cond->u.map.ents[k].key, cond->u.map.ents[k].value) != CDK_OK)
                merged = NULL;
        if (merged == NULL || cdk_map_set(app, into, op, merged) != CDK_OK)
            return cdk_oom(app);
    }
    return CDK_OK;
}

int cdk_iam_fragment(cdk_app *app, cdk_iam_principal *p, cdk_value **json, cdk_value **conditions)
{
    cdk_value *conds = cdk_map(app);
    cdk_value *j = NULL;
    int rc;
    if (conds == NULL)
        return cdk_oom(app);
    switch (p->kind) {
    case CDK_IAM_ARN:
        j = one(app, "AWS", p->arg);
        break;
    case CDK_IAM_ANY:
        j = one(app, "AWS", cdk_str_ref(app, "*"));
        break;
    case CDK_IAM_ACCOUNT:
    case CDK_IAM_ACCOUNT_ROOT:
        j = one(app, "AWS", p->arn);
        break;
    case CDK_IAM_SERVICE: {
        cdk_value *name = cdk_iam_service_principal_name(app, p->arg, p->service_region);
        j = name ? one(app, "Service", name) : NULL;
        if (p->conditions && (rc = merge_conditions(app, conds, p->conditions)) != CDK_OK)
            return rc;
        break;
    }
    case CDK_IAM_ORGANIZATION: {
        j = one(app, "AWS", cdk_str_ref(app, "*"));
        cdk_value *eq = cdk_map(app);
        if (eq == NULL || cdk_map_set(app, eq, "aws:PrincipalOrgID", p->arg) != CDK_OK ||
            cdk_map_set(app, conds, "StringEquals", eq) != CDK_OK)
            return cdk_oom(app);
        break;
    }
    case CDK_IAM_FEDERATED:
        j = one(app, "Federated", p->arg);
        if (p->conditions && (rc = merge_conditions(app, conds, p->conditions)) != CDK_OK)
            return rc;
        break;
    case CDK_IAM_CANONICAL_USER:
        j = one(app, "CanonicalUser", p->arg);
        break;
    case CDK_IAM_STAR:
        j = one(app, LITERAL_STRING_KEY, cdk_str_ref(app, "*"));
        break;
    case CDK_IAM_JSON:
        if (p->arg->kind == CDK_STRING) {
            j = one(app, LITERAL_STRING_KEY, p->arg);
        } else if ((j = cdk_map(app)) != NULL && (rc = merge_principal_json(app, j, p->arg)) != CDK_OK) {
            return rc;
        }
        break;
    case CDK_IAM_SESSION_TAGS: {
        cdk_value *wc;
        if ((rc = cdk_iam_fragment(app, p->wrapped, &j, &wc)) != CDK_OK)
            return rc;
        conds = wc;
        break;
    }
    case CDK_IAM_IDENTITY: {
        cdk_iam_identity *id = cdk_iam_identity_of(p->identity);
        j = id ? one(app, "AWS", id->arn) : NULL;
        break;
    }
    case CDK_IAM_COMPOSITE:
        j = cdk_map(app);
        if (j == NULL)
            return cdk_oom(app);
        for (size_t i = 0; i < p->nparts; i++) {
            cdk_value *pj, *pc;
            if ((rc = cdk_iam_fragment(app, p->parts[i], &pj, &pc)) != CDK_OK)
                return rc;
            if (pc->len > 0) {
                cdk_buf b = {0};
                cdk_buf_adds(&b, "{\"principalJson\":");
                cdk_value_json(app, pj, &b);
                cdk_buf_adds(&b, ",\"conditions\":");
                cdk_value_json(app, pc, &b);
                cdk_buf_adds(&b, "}");
                rc = cdk_fail(app, CDK_EINVAL,
                              "Components of a CompositePrincipal must not have conditions. Tried to add the following "
                              "fragment: %s",
                              b.data ? b.data : "");
                cdk_buf_free(&b);
                return rc;
            }
            if ((rc = cdk_iam_merge_principal(app, j, pj)) != CDK_OK)
                return rc;
        }
        break;
    case CDK_IAM_WITH_CONDITIONS: {
        cdk_value *wc;
        if ((rc = cdk_iam_fragment(app, p->wrapped, &j, &wc)) != CDK_OK)
            return rc;
        if ((rc = merge_conditions(app, conds, wc)) != CDK_OK || (rc = merge_conditions(app, conds, p->conditions)) != CDK_OK)
            return rc;
        break;
    }
    }
    if (j == NULL)
        return cdk_oom(app);
    *json = j;
    *conditions = conds;
    return CDK_OK;
}

static int add_to_assume_role(cdk_app *app, cdk_iam_principal *p, cdk_iam_document *doc, cdk_value *external_ids,
                              int tag_session)
{
    int rc;
    if (p->kind == CDK_IAM_COMPOSITE) {
        for (size_t i = 0; i < p->nparts; i++)
            if ((rc = add_to_assume_role(app, p->parts[i], doc, external_ids, tag_session)) != CDK_OK)
                return rc;
        return CDK_OK;
    }
    if (p->kind == CDK_IAM_SESSION_TAGS)
        return add_to_assume_role(app, p->wrapped, doc, external_ids, 1);
    cdk_iam_statement *s = cdk_iam_statement_new(app);
    if (s == NULL)
        return cdk_oom(app);
    cdk_value *action = cdk_str(app, p->assume_role_action);
    if (action == NULL)
        return cdk_oom(app);
    /* new PolicyStatement({actions: [assumeRoleAction]}) checks it */
    if ((rc = cdk_iam_check_action(app, action)) != CDK_OK || (rc = cdk_iam_statement_add_actions(s, &action, 1, 0)) != CDK_OK ||
        (rc = cdk_iam_statement_add_principal(s, p, 0)) != CDK_OK)
        return rc;
    if (tag_session) {
        cdk_value *tag = cdk_str_ref(app, "sts:TagSession");
        if (tag == NULL)
            return cdk_oom(app);
        if ((rc = cdk_iam_statement_add_actions(s, &tag, 1, 0)) != CDK_OK)
            return rc;
    }
    if (external_ids && external_ids->kind == CDK_LIST && external_ids->len > 0) {
        cdk_value *eq = cdk_map(app);
        cdk_value *ids = external_ids->len == 1 ? external_ids->u.list.items[0] : external_ids;
        if (eq == NULL || cdk_map_set(app, eq, "sts:ExternalId", ids) != CDK_OK)
            return cdk_oom(app);
        if ((rc = cdk_iam_statement_add_condition(s, "StringEquals", eq)) != CDK_OK)
            return rc;
    }
    return cdk_iam_document_add(doc, s);
}

int cdk_iam_add_to_assume_role_policy(cdk_app *app, cdk_iam_principal *p, cdk_iam_document *doc,
                                      cdk_value *external_ids)
{
    return add_to_assume_role(app, p, doc, external_ids, 0);
}

const char *cdk_iam_principal_describe(cdk_app *app, cdk_iam_principal *p)
{
    cdk_buf b = {0};
    const char *arg = p->arg ? cdk_value_str(p->arg) : NULL;
    switch (p->kind) {
    case CDK_IAM_ARN: cdk_buf_addf(&b, "ArnPrincipal(%s)", arg ? arg : ""); break;
    case CDK_IAM_ACCOUNT: cdk_buf_addf(&b, "AccountPrincipal(%s)", arg ? arg : ""); break;
    case CDK_IAM_ACCOUNT_ROOT: cdk_buf_adds(&b, "AccountRootPrincipal()"); break;
    case CDK_IAM_ANY: cdk_buf_adds(&b, "AnyPrincipal()"); break;
    case CDK_IAM_SERVICE: cdk_buf_addf(&b, "ServicePrincipal(%s)", arg ? arg : ""); break;
    case CDK_IAM_ORGANIZATION: cdk_buf_addf(&b, "OrganizationPrincipal(%s)", arg ? arg : ""); break;
    case CDK_IAM_FEDERATED:
        cdk_buf_addf(&b, "%s(%s)", p->web_identity ? "WebIdentityPrincipal" : "FederatedPrincipal", arg ? arg : "");
        break;
    case CDK_IAM_CANONICAL_USER: cdk_buf_addf(&b, "CanonicalUserPrincipal(%s)", arg ? arg : ""); break;
    case CDK_IAM_STAR: cdk_buf_adds(&b, "StarPrincipal()"); break;
    case CDK_IAM_COMPOSITE:
        cdk_buf_adds(&b, "CompositePrincipal(");
        for (size_t i = 0; i < p->nparts; i++) {
            if (i)
                cdk_buf_adds(&b, ",");
            cdk_buf_adds(&b, cdk_iam_principal_describe(app, p->parts[i]));
        }
        cdk_buf_adds(&b, ")");
        break;
    case CDK_IAM_WITH_CONDITIONS: cdk_buf_adds(&b, cdk_iam_principal_describe(app, p->wrapped)); break;
    case CDK_IAM_JSON:
    case CDK_IAM_SESSION_TAGS: {
        /* PrincipalBase.toString: the principal JSON */
        cdk_value *json, *conds;
        if (cdk_iam_fragment(app, p, &json, &conds) == CDK_OK)
            cdk_value_json(app, json, &b);
        break;
    }
    case CDK_IAM_IDENTITY: cdk_buf_adds(&b, p->identity ? p->identity->path : "?"); break;
    }
    const char *r = b.oom ? "?" : cdk_strdup(app, b.data ? b.data : "");
    cdk_buf_free(&b);
    return r ? r : "?";
}

/* ---- ComparablePrincipal.dedupeStringFor (statement merging) ---- */

static void add_json(cdk_app *app, cdk_buf *b, const cdk_value *v)
{
    if (v == NULL)
        cdk_buf_adds(b, "undefined"); /* JSON.stringify(undefined) in a template string */
    else
        cdk_value_json(app, v, b);
}

const char *cdk_iam_principal_dedupe(cdk_app *app, cdk_iam_principal *p)
{
    cdk_buf b = {0};
    const char *arg = p->arg && p->arg->kind == CDK_STRING ? p->arg->u.str.ptr : "";
    const char *inner = NULL;
    switch (p->kind) {
    case CDK_IAM_ARN: cdk_buf_addf(&b, "ArnPrincipal:%s", arg); break;
    case CDK_IAM_ACCOUNT:
    case CDK_IAM_ACCOUNT_ROOT: {
        const char *arn = cdk_value_str(p->arn);
        cdk_buf_addf(&b, "ArnPrincipal:%s", arn ? arn : "");
        break;
    }
    case CDK_IAM_ANY: cdk_buf_adds(&b, "ArnPrincipal:*"); break;
    case CDK_IAM_SERVICE:
        cdk_buf_addf(&b, "ServicePrincipal:%s:{", arg);
        if (p->conditions) {
            cdk_buf_adds(&b, "\"conditions\":");
            cdk_value_json(app, p->conditions, &b);
        }
        if (p->service_region) {
            cdk_buf_adds(&b, p->conditions ? ",\"region\":" : "\"region\":");
            cdk_value_json(app, p->service_region, &b);
        }
        cdk_buf_adds(&b, "}");
        break;
    case CDK_IAM_ORGANIZATION: cdk_buf_addf(&b, "OrganizationPrincipal:%s", arg); break;
    case CDK_IAM_CANONICAL_USER: cdk_buf_addf(&b, "CanonicalUserPrincipal:%s", arg); break;
    case CDK_IAM_FEDERATED:
        cdk_buf_addf(&b, "FederatedPrincipal:%s:%s:", arg, p->assume_role_action);
        add_json(app, &b, p->conditions);
        break;
    case CDK_IAM_STAR: cdk_buf_adds(&b, "StarPrincipal"); break;
    case CDK_IAM_COMPOSITE:
        cdk_buf_adds(&b, "CompositePrincipal[");
        for (size_t i = 0; i < p->nparts; i++) {
            const char *d = cdk_iam_principal_dedupe(app, p->parts[i]);
            if (d == NULL) {
                cdk_buf_free(&b);
                return NULL;
            }
            if (i)
                cdk_buf_adds(&b, ",");
            cdk_buf_adds(&b, d);
        }
        cdk_buf_adds(&b, "]");
        break;
    case CDK_IAM_WITH_CONDITIONS:
    case CDK_IAM_SESSION_TAGS: {
        if ((inner = cdk_iam_principal_dedupe(app, p->wrapped)) == NULL)
            return NULL;
        if (p->kind == CDK_IAM_SESSION_TAGS) {
            cdk_buf_addf(&b, "SessionTagsPrincipal:%s:", inner);
            break;
        }
        cdk_value *json, *conds;
        if (cdk_iam_fragment(app, p, &json, &conds) != CDK_OK)
            return NULL;
        cdk_buf_addf(&b, "PrincipalWithConditions:%s:", inner);
        cdk_value_json(app, conds, &b);
        break;
    }
    case CDK_IAM_JSON: {
        cdk_value *json, *conds;
        if (cdk_iam_fragment(app, p, &json, &conds) != CDK_OK)
            return NULL;
        cdk_buf_adds(&b, "{\"principalJson\":");
        if (p->arg->kind == CDK_STRING)
            cdk_value_json(app, json, &b);
        else
            cdk_value_json(app, p->arg, &b);
        cdk_buf_adds(&b, ",\"conditions\":{}}");
        break;
    }
    case CDK_IAM_IDENTITY: {
        /* only imported roles are comparable; owned identities compare by identity */
        cdk_iam_identity *id = cdk_iam_identity_of(p->identity);
        if (id == NULL || id->kind != CDK_IAM_IMPORTED_ROLE)
            return NULL;
        const char *arn = cdk_value_str(id->arn);
        cdk_buf_addf(&b, "ImportedRole:%s", arn ? arn : "");
        break;
    }
    }
    const char *r = b.oom ? NULL : cdk_strdup(app, b.data ? b.data : "");
    cdk_buf_free(&b);
    return r;
}

int cdk_iam_principal_is_literal(cdk_app *app, cdk_iam_principal *p)
{
    cdk_value *json, *conds;
    if (cdk_iam_fragment(app, p, &json, &conds) != CDK_OK)
        return 0;
    return cdk_map_get(json, LITERAL_STRING_KEY) != NULL;
}
