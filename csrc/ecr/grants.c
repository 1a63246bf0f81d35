/* grants.c: who may pull and push: ECR repository grants, the repository's resource policy
 * (validated at synthesis, dropped for imports as CDK drops it) and the authorization-token
 * grants, as the AWS CDK v1 writes them. */
#include "cdk_ecr.h"
#include "cdk_iam.h"

static const char *const PULL[] = {"ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer",
                                   "ecr:BatchGetImage", NULL};
static const char *const PUSH[] = {"ecr:PutImage", "ecr:InitiateLayerUpload", "ecr:UploadLayerPart",
                                   "ecr:CompleteLayerUpload", NULL};

static int add_to_resource_policy(cdk_iam_resource *r, cdk_iam_statement *s, int *added)
{
    return cdk_ecr_add_to_resource_policy(r->node, s, added);
}

int cdk_ecr_add_to_resource_policy(cdk_node *n, cdk_iam_statement *s, int *added)
{
    cdk_ecr_repository *repo = cdk_ecr_repository_of(n);
    *added = 0;
    if (repo == NULL)
        return cdk_fail(n->app, CDK_EINVAL, "add_to_resource_policy: not a repository");
    if (repo->imported)
        return CDK_OK; /* dropped, as CDK drops it for imported repositories */
    if (repo->policy_doc == NULL) {
        cdk_iam_document *d = cdk_iam_document_new(n->app, 0);
        if (d == NULL || (repo->policy = cdk_iam_document_value(d)) == NULL)
            return cdk_oom(n->app);
        repo->policy_doc = d;
    }
    /* CDK answers statementAdded: false here, and so do we */
    return cdk_iam_document_add(repo->policy_doc, s);
}

int cdk_ecr_repository_validate(cdk_node *n, cdk_strlist *errs)
{
    cdk_ecr_repository *repo = cdk_ecr_repository_of(n);
    if (repo == NULL)
        return CDK_OK;
    int rc = cdk_ecr_lifecycle_validate(n, repo, errs);
    if (rc != CDK_OK || repo->policy_doc == NULL)
        return rc;
    return cdk_iam_document_validate(repo->policy_doc, CDK_IAM_RESOURCE_POLICY, errs);
}

int cdk_ecr_grant(cdk_node *n, cdk_iam_principal *grantee, cdk_value *actions, cdk_iam_grant **out)
{
    cdk_app *app = n->app;
    cdk_ecr_repository *repo = cdk_ecr_repository_of(n);
    if (repo == NULL)
        return cdk_fail(app, CDK_EINVAL, "grant: not a repository");
    cdk_value *arns = cdk_list(app), *self = cdk_list(app);
    if (arns == NULL || self == NULL || cdk_list_push(app, arns, repo->arn) != CDK_OK)
        return cdk_oom(app);
    cdk_iam_resource r = {n, repo->phys.account, add_to_resource_policy};
    return cdk_iam_grant_add_to_principal_or_resource(app, grantee, actions, arns, self, &r, out);
}

int cdk_ecr_grant_pull(cdk_node *n, cdk_iam_principal *grantee, cdk_iam_grant **out)
{
    cdk_app *app = n->app;
    cdk_value *actions = cdk_list_of_strs(app, PULL);
    if (actions == NULL)
        return cdk_oom(app);
    int rc = cdk_ecr_grant(n, grantee, actions, out);
    if (rc != CDK_OK)
        return rc;
    static const char *const token[] = {"ecr:GetAuthorizationToken", NULL};
    static const char *const all[] = {"*", NULL};
    cdk_iam_grant *g;
    cdk_value *ta = cdk_list_of_strs(app, token), *tr = cdk_list_of_strs(app, all);
    if (ta == NULL || tr == NULL)
        return cdk_oom(app);
    return cdk_iam_grant_add_to_principal(app, grantee, ta, tr, &g);
}

int cdk_ecr_grant_pull_push(cdk_node *n, cdk_iam_principal *grantee, cdk_iam_grant **out)
{
    cdk_iam_grant *pull;
    int rc = cdk_ecr_grant_pull(n, grantee, &pull);
    if (rc != CDK_OK)
        return rc;
    cdk_value *actions = cdk_list_of_strs(n->app, PUSH);
    if (actions == NULL)
        return cdk_oom(n->app);
    return cdk_ecr_grant(n, grantee, actions, out);
}

int cdk_ecr_auth_token_grant_read(cdk_app *app, cdk_iam_principal *grantee, int public_gallery)
{
    static const char *const priv[] = {"ecr:GetAuthorizationToken", NULL};
    static const char *const pub[] = {"ecr-public:GetAuthorizationToken", "sts:GetServiceBearerToken", NULL};
    static const char *const all[] = {"*", NULL};
    cdk_iam_statement *s = cdk_iam_statement_new(app);
    cdk_value *actions = cdk_list_of_strs(app, public_gallery ? pub : priv);
    cdk_value *res = cdk_list_of_strs(app, all);
    if (s == NULL || actions == NULL || res == NULL)
        return cdk_oom(app);
    int rc = cdk_iam_statement_add_actions(s, actions->u.list.items, actions->len, 0);
    if (rc == CDK_OK)
        rc = cdk_iam_statement_add_resources(s, res->u.list.items, res->len, 0);
    int added;
    if (rc == CDK_OK)
        rc = cdk_iam_add_to_principal_policy(grantee, s, &added);
    return rc;
}
