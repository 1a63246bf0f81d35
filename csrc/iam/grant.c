/* grant.c: Grant as the AWS CDK v1 decides it: a statement in the grantee's identity policy,
 * and in the resource's policy too when the grantee has no policy of its own or lives in
 * another account (Token.compareStrings on the accounts); or in both, as KMS keys ask; and what
 * a grant's dependents wait for (applyBefore). */
#include <string.h>

#include "cdk_iam.h"

int cdk_compare_strings(const cdk_value *a, const cdk_value *b)
{
    int ua = cdk_is_unresolved(a), ub = cdk_is_unresolved(b);
    if (ua && ub)
        return CDK_CMP_BOTH_UNRESOLVED;
    if (ua || ub)
        return CDK_CMP_ONE_UNRESOLVED;
    return cdk_value_equal(a, b) ? CDK_CMP_SAME : CDK_CMP_DIFFERENT;
}

static int statement_of(cdk_app *app, cdk_value *actions, cdk_value *resources, cdk_iam_principal *principal,
                        cdk_iam_statement **out)
{
    cdk_iam_statement *s = cdk_iam_statement_new(app);
    if (s == NULL)
        return cdk_oom(app);
    /* new PolicyStatement({actions}) checks them, so grants do too */
    for (size_t i = 0; i < actions->len; i++) {
        int rc = cdk_iam_check_action(app, actions->u.list.items[i]);
        if (rc != CDK_OK)
            return rc;
    }
    int rc = cdk_iam_statement_add_actions(s, actions->u.list.items, actions->len, 0);
    if (rc == CDK_OK && resources)
        rc = cdk_iam_statement_add_resources(s, resources->u.list.items, resources->len, 0);
    if (rc == CDK_OK && principal)
        rc = cdk_iam_statement_add_principal(s, principal, 0);
    *out = s;
    return rc;
}

/* The policyDependable of a statement the grantee's policy took. */
static void set_dependable(cdk_iam_grant *g, cdk_iam_principal *p, cdk_iam_statement *s)
{
    while (p->kind == CDK_IAM_WITH_CONDITIONS || p->kind == CDK_IAM_SESSION_TAGS)
        p = p->wrapped;
    cdk_iam_identity *id = p->kind == CDK_IAM_IDENTITY ? cdk_iam_identity_of(p->identity) : NULL;
    if (id == NULL || id->kind == CDK_IAM_IMMUTABLE_ROLE)
        return; /* an immutable role's dependable is empty */
    if (id->kind == CDK_IAM_ROLE) {
        g->dep_role = p->identity;
        g->dep_statement = s;
    } else {
        g->dep_policy = id->default_policy;
    }
}

int cdk_iam_grant_apply_before(cdk_iam_grant *g, cdk_node *c)
{
    cdk_app *app = c->app;
    int rc = CDK_OK;
    if (g->dep_role) {
        cdk_iam_identity *id = cdk_iam_identity_of(g->dep_role);
        cdk_iam_statement **w = cdk_alloc(app, (id->nwaiting_for + 1) * sizeof *w);
        if (w == NULL)
            return cdk_oom(app);
        if (id->nwaiting_for)
            memcpy(w, id->waiting_for, id->nwaiting_for * sizeof *w);
        w[id->nwaiting_for] = g->dep_statement;
        if ((rc = cdk_nodelist_push(app, &id->waiting, c)) != CDK_OK)
            return rc;
        id->waiting_for = w;
        id->nwaiting_for++;
    }
    if (g->dep_policy && (rc = cdk_node_add_dependency(c, g->dep_policy)) != CDK_OK)
        return rc;
    if (g->dep_resource && (rc = cdk_node_add_dependency(c, g->dep_resource)) != CDK_OK)
        return rc;
    return CDK_OK;
}

int cdk_iam_grant_add_to_principal(cdk_app *app, cdk_iam_principal *grantee, cdk_value *actions,
                                   cdk_value *resource_arns, cdk_iam_grant **out)
{
    cdk_iam_grant *g = cdk_alloc(app, sizeof *g);
    if (g == NULL)
        return cdk_oom(app);
    g->grantee = grantee;
    g->actions = actions;
    g->resource_arns = resource_arns;
    cdk_iam_statement *s;
    int rc = statement_of(app, actions, resource_arns, NULL, &s);
    int added;
    if (rc == CDK_OK)
        rc = cdk_iam_add_to_principal_policy(grantee, s, &added);
    if (rc != CDK_OK)
        return rc;
    if (added) {
        g->principal_statement = s;
        set_dependable(g, grantee, s);
    }
    *out = g;
    return CDK_OK;
}

int cdk_iam_grant_add_to_principal_or_resource(cdk_app *app, cdk_iam_principal *grantee, cdk_value *actions,
                                               cdk_value *resource_arns, cdk_value *resource_self_arns,
                                               cdk_iam_resource *resource, cdk_iam_grant **out)
{
    cdk_iam_grant *g;
    int rc = cdk_iam_grant_add_to_principal(app, grantee, actions, resource_arns, &g);
    if (rc != CDK_OK)
        return rc;
    int same = 0;
    if (grantee->principal_account) {
        int cmp = cdk_compare_strings(resource->account, grantee->principal_account);
        same = cmp == CDK_CMP_SAME || cmp == CDK_CMP_BOTH_UNRESOLVED;
    }
    if (g->principal_statement && same) {
        *out = g;
        return CDK_OK;
    }
    cdk_iam_statement *s;
    if ((rc = statement_of(app, actions, resource_self_arns ? resource_self_arns : resource_arns, grantee, &s)) != CDK_OK)
        return rc;
    int added = 0;
    if ((rc = resource->add_to_resource_policy(resource, s, &added)) != CDK_OK)
        return rc;
    /* CDK keeps the statement as the grant's resource statement whether or not it landed */
    cdk_iam_grant *r = cdk_alloc(app, sizeof *r);
    if (r == NULL)
        return cdk_oom(app);
    *r = *g;
    r->principal_statement = NULL;
    r->resource_statement = s;
    /* the new Grant depends on the resource's policy only (set by the caller that knows it) */
    r->dep_role = NULL;
    r->dep_statement = NULL;
    r->dep_policy = NULL;
    *out = r;
    return CDK_OK;
}

int cdk_iam_grant_add_to_principal_and_resource(cdk_app *app, cdk_iam_principal *grantee, cdk_value *actions,
                                                cdk_value *resource_arns, cdk_value *resource_self_arns,
                                                cdk_iam_principal *resource_policy_principal,
                                                cdk_iam_resource *resource, cdk_iam_grant **out)
{
    cdk_iam_grant *g;
    int rc = cdk_iam_grant_add_to_principal(app, grantee, actions, resource_arns, &g);
    if (rc != CDK_OK)
        return rc;
    cdk_iam_statement *s;
    if ((rc = statement_of(app, actions, resource_self_arns ? resource_self_arns : resource_arns,
                           resource_policy_principal ? resource_policy_principal : grantee, &s)) != CDK_OK)
        return rc;
    int added = 0;
    if ((rc = resource->add_to_resource_policy(resource, s, &added)) != CDK_OK)
        return rc;
    /* CDK's quirk, kept: the resource statement is reported as the principal statement (the
     * dependables stay those of the grantee's policy) */
    g->principal_statement = s;
    g->resource_statement = NULL;
    *out = g;
    return CDK_OK;
}

int cdk_iam_grant_drop(cdk_app *app, cdk_iam_principal *grantee, cdk_iam_grant **out)
{
    cdk_iam_grant *g = cdk_alloc(app, sizeof *g);
    if (g == NULL || (g->actions = cdk_list(app)) == NULL || (g->resource_arns = cdk_list(app)) == NULL)
        return cdk_oom(app);
    g->grantee = grantee;
    *out = g;
    return CDK_OK;
}

int cdk_iam_grant_assert_success(cdk_app *app, const cdk_iam_grant *g)
{
    if (g->principal_statement || g->resource_statement)
        return CDK_OK;
    cdk_buf acts = {0}, res = {0};
    for (size_t i = 0; i < g->actions->len; i++) {
        if (i)
            cdk_buf_adds(&acts, ",");
        const char *a = cdk_value_str(g->actions->u.list.items[i]);
        cdk_buf_adds(&acts, a ? a : "");
    }
    for (size_t i = 0; g->resource_arns && i < g->resource_arns->len; i++) {
        if (i)
            cdk_buf_adds(&res, ",");
        const char *r = cdk_value_str(g->resource_arns->u.list.items[i]);
        cdk_buf_adds(&res, r ? r : "");
    }
    int rc = cdk_fail(app, CDK_EINVAL,
                      "Permissions for '%s' to call '%s' on '%s' could not be added on either identity or resource policy.",
                      cdk_iam_principal_describe(app, g->grantee), acts.data ? acts.data : "", res.data ? res.data : "");
    cdk_buf_free(&acts);
    cdk_buf_free(&res);
    return rc;
}
