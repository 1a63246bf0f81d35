/* repository.c: ecr.Repository and the imported repositories (from a name, an ARN, attributes):
 * the CfnRepository with its lazy lifecycle and policy properties, name validation, encryption,
 * ARNs and URIs as the AWS CDK v1 builds them. Grants and events live in their own files. */
#include <string.h>

#include "cdk_ecr.h"

int cdk_ecr_render_lifecycle(cdk_rctx *ctx, cdk_ecr_repository *repo, cdk_value **out);

const cdk_class cdk_ecr_repository_class = {"Repository", "@aws-cdk/aws-ecr.Repository", cdk_ecr_repository_validate,
                                             NULL, NULL, NULL};
const cdk_class cdk_ecr_imported_repository_class = {"Import", "@aws-cdk/aws-ecr.RepositoryBase", NULL, NULL, NULL,
                                                     NULL};

cdk_ecr_repository *cdk_ecr_repository_of(cdk_node *n)
{
    if (n && (n->cls == &cdk_ecr_repository_class || n->cls == &cdk_ecr_imported_repository_class))
        return n->impl;
    return NULL;
}

/* ---- names ---- */

static int is_alnum_lower(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

/* ^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$ */
static int name_matches(const char *s, size_t len)
{
    size_t i = 0;
    for (;;) {
        /* one path segment: components separated by single [._-] */
        if (i >= len || !is_alnum_lower(s[i]))
            return 0;
        while (i < len && is_alnum_lower(s[i]))
            i++;
        while (i < len && (s[i] == '.' || s[i] == '_' || s[i] == '-')) {
            i++;
            if (i >= len || !is_alnum_lower(s[i]))
                return 0;
            while (i < len && is_alnum_lower(s[i]))
                i++;
        }
        if (i == len)
            return 1;
        if (s[i] != '/')
            return 0;
        i++;
    }
}

int cdk_ecr_validate_repository_name(cdk_app *app, const cdk_value *name)
{
    if (name == NULL || name->kind != CDK_STRING || name->len == 0 || cdk_is_unresolved(name))
        return CDK_OK;
    const char *s = name->u.str.ptr;
    size_t len = name->len;
    cdk_buf errs = {0};
    size_t chars = cdk_js_length(s, len); /* CDK's physicalName.length */
    if (chars < 2 || chars > 256)
        cdk_buf_adds(&errs, "\nRepository name must be at least 2 and no more than 256 characters");
    if (!name_matches(s, len))
        cdk_buf_adds(&errs, "\nRepository name must follow the specified pattern: "
                            "(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*");
    int rc = CDK_OK;
    if (errs.len)
        rc = cdk_fail(app, CDK_EINVAL, "Invalid ECR repository name (value: %s)%s", s, errs.data);
    cdk_buf_free(&errs);
    return rc;
}

/* ---- the owned repository ---- */

static int produce_lifecycle(cdk_rctx *ctx, void *ud, cdk_value **out)
{
    return cdk_ecr_render_lifecycle(ctx, ud, out);
}

static int produce_policy(cdk_rctx *ctx, void *ud, cdk_value **out)
{
    cdk_ecr_repository *repo = ud;
    (void)ctx;
    *out = repo->policy ? repo->policy : cdk_undefined();
    return CDK_OK;
}

static int encryption_config(cdk_app *app, const cdk_ecr_repository_props *p, cdk_value **out)
{
    cdk_ecr_encryption enc = p->encryption;
    if (enc == CDK_ECR_ENC_UNSET)
        enc = p->encryption_key_arn ? CDK_ECR_ENC_KMS : CDK_ECR_ENC_AES_256;
    if (enc != CDK_ECR_ENC_KMS && p->encryption_key_arn)
        return cdk_fail(app, CDK_EINVAL, "encryption_key is specified, so 'encryption' must be set to KMS (value: AES256)");
    if (enc == CDK_ECR_ENC_AES_256) {
        *out = NULL;
        return CDK_OK;
    }
    cdk_value *m = cdk_map(app);
    if (m == NULL || cdk_map_set(app, m, "encryption_type", cdk_str_ref(app, "KMS")) != CDK_OK)
        return cdk_oom(app);
    if (p->encryption_key_arn && cdk_map_set(app, m, "kms_key", p->encryption_key_arn) != CDK_OK)
        return cdk_oom(app);
    *out = m;
    return CDK_OK;
}

int cdk_ecr_repository_new(cdk_node *scope, const char *id, const cdk_ecr_repository_props *p, cdk_node **out)
{
    cdk_app *app = scope->app;
    cdk_node *n;
    int rc = cdk_node_new(scope, id, &cdk_ecr_repository_class, sizeof(cdk_ecr_repository), &n);
    if (rc != CDK_OK)
        return rc;
    cdk_ecr_repository *repo = n->impl;
    if ((rc = cdk_physical_init(n, p->repository_name, &repo->phys)) != CDK_OK)
        goto fail;
    if ((rc = cdk_ecr_validate_repository_name(app, repo->phys.physical_name)) != CDK_OK)
        goto fail;

    cdk_value *props = cdk_map(app), *enc = NULL;
    if (props == NULL)
        goto oom;
    if ((rc = encryption_config(app, p, &enc)) != CDK_OK)
        goto fail;
    cdk_token *lifecycle = cdk_token_lazy(app, produce_lifecycle, repo, 1, 'a');
    cdk_token *policy = cdk_token_lazy(app, produce_policy, repo, 1, 'a');
    if (lifecycle == NULL || policy == NULL)
        goto oom;
    if (cdk_map_set(app, props, "repository_name", repo->phys.physical_name) != CDK_OK ||
        cdk_map_set(app, props, "repository_policy_text", cdk_tokv(app, policy)) != CDK_OK ||
        cdk_map_set(app, props, "lifecycle_policy", cdk_tokv(app, lifecycle)) != CDK_OK)
        goto oom;
    if (p->image_scan_on_push >= 0) {
        cdk_value *scan = cdk_map(app);
        if (scan == NULL || cdk_map_set(app, scan, "scan_on_push", cdk_boolv(p->image_scan_on_push)) != CDK_OK ||
            cdk_map_set(app, props, "image_scanning_configuration", scan) != CDK_OK)
            goto oom;
    }
    if (p->image_tag_mutability &&
        cdk_map_set(app, props, "image_tag_mutability", cdk_str(app, p->image_tag_mutability)) != CDK_OK)
        goto oom;
    if (enc && cdk_map_set(app, props, "encryption_configuration", enc) != CDK_OK)
        goto oom;
    if ((rc = cdk_cfn_resource_new(n, "Resource", "AWS::ECR::Repository", &cdk_ecr_cfn_repository, props, NULL,
                                   &repo->resource)) != CDK_OK)
        goto fail;
    if ((rc = cdk_resource_apply_removal_policy(repo->resource, p->removal_policy, CDK_REMOVAL_UNSET, 1)) != CDK_OK)
        goto fail;
    if (p->lifecycle_registry_id && (repo->registry_id = cdk_strdup(app, p->lifecycle_registry_id)) == NULL)
        goto oom;
    for (size_t i = 0; i < p->nlifecycle_rules; i++)
        if ((rc = cdk_ecr_add_lifecycle_rule(n, &p->lifecycle_rules[i])) != CDK_OK)
            goto fail;
    repo->name = cdk_physical_name_attr(&repo->phys, cdk_resource_ref(repo->resource));
    cdk_arn arn = {0};
    arn.service = cdk_str_ref(app, "ecr");
    arn.resource = cdk_str_ref(app, "repository");
    arn.resource_name = repo->phys.physical_name;
    arn.format = CDK_ARN_NONE;
    if (repo->phys.physical_name->kind == CDK_UNDEFINED)
        arn.resource_name = NULL;
    repo->arn = cdk_physical_arn_attr(&repo->phys, cdk_resource_att(repo->resource, "Arn"), &arn);
    if (repo->name == NULL || repo->arn == NULL)
        goto oom;
    *out = n;
    return CDK_OK;
oom:
    rc = cdk_oom(app);
fail:
    cdk_node_discard(n);
    return rc;
}

/* ---- imports ---- */

static int import_new(cdk_node *scope, const char *id, cdk_value *name, cdk_value *arn, const cdk_value *env_arn,
                      cdk_node **out)
{
    cdk_node *n;
    int rc = cdk_node_new(scope, id, &cdk_ecr_imported_repository_class, sizeof(cdk_ecr_repository), &n);
    if (rc != CDK_OK)
        return rc;
    cdk_ecr_repository *repo = n->impl;
    repo->imported = 1;
    repo->name = name;
    repo->arn = arn;
    if ((rc = cdk_physical_init(n, NULL, &repo->phys)) != CDK_OK ||
        (env_arn && (rc = cdk_physical_env_from_arn(n, env_arn, &repo->phys)) != CDK_OK)) {
        cdk_node_discard(n);
        return rc;
    }
    *out = n;
    return CDK_OK;
}

int cdk_ecr_arn_for_local_repository(cdk_node *scope, cdk_value *name, cdk_value *account, cdk_value **out)
{
    cdk_node *stack;
    int rc = cdk_node_stack(scope, &stack);
    if (rc != CDK_OK)
        return rc;
    cdk_arn arn = {0};
    arn.service = cdk_str_ref(scope->app, "ecr");
    arn.resource = cdk_str_ref(scope->app, "repository");
    arn.resource_name = name;
    arn.account = account;
    return cdk_arn_format(stack, &arn, out);
}

int cdk_ecr_from_repository_name(cdk_node *scope, const char *id, cdk_value *name, cdk_node **out)
{
    /* the construct first, as CDK's Import does: outside a stack, it is what the error names */
    cdk_node *n;
    int rc = import_new(scope, id, name, NULL, NULL, &n);
    if (rc != CDK_OK)
        return rc;
    cdk_ecr_repository *repo = cdk_ecr_repository_of(n);
    if ((rc = cdk_ecr_arn_for_local_repository(scope, name, NULL, &repo->arn)) != CDK_OK) {
        cdk_node_discard(n);
        return rc;
    }
    *out = n;
    return CDK_OK;
}

int cdk_ecr_from_repository_arn(cdk_node *scope, const char *id, cdk_value *arn, cdk_node **out)
{
    cdk_app *app = scope->app;
    if (cdk_is_unresolved(arn))
        return cdk_fail(app, CDK_EINVAL,
                        "\"repository_arn\" is a late-bound value, and therefore \"repository_name\" is required. "
                        "Use `from_repository_attributes` instead");
    /* the name is everything after the first '/' */
    const char *s = arn->u.str.ptr;
    const char *slash = memchr(s, '/', arn->len);
    cdk_value *name = slash ? cdk_strn(app, slash + 1, arn->len - (size_t)(slash + 1 - s)) : cdk_str(app, "");
    if (name == NULL)
        return cdk_oom(app);
    return import_new(scope, id, name, arn, arn, out);
}

int cdk_ecr_from_repository_attributes(cdk_node *scope, const char *id, cdk_value *name, cdk_value *arn,
                                       cdk_node **out)
{
    return import_new(scope, id, name, arn, NULL, out);
}

/* ---- URIs ---- */

static int uri_with_suffix(cdk_node *n, const char *sep, const char *suffix, cdk_value **out)
{
    cdk_app *app = n->app;
    cdk_ecr_repository *repo = cdk_ecr_repository_of(n);
    if (repo == NULL)
        return cdk_fail(app, CDK_EINVAL, "not a repository");
    cdk_arn parts;
    int rc = cdk_arn_split(app, repo->arn, CDK_ARN_SLASH_RESOURCE_NAME, &parts);
    if (rc != CDK_OK)
        return rc;
    const char *account = cdk_value_str(parts.account), *region = cdk_value_str(parts.region);
    const char *url = cdk_value_str(cdk_stack_url_suffix(n->stack));
    const char *name = cdk_value_str(repo->name);
    if (!account || !region || !url || !name)
        return cdk_oom(app);
    char *s = suffix && *suffix ? cdk_sprintf(app, "%s.dkr.ecr.%s.%s/%s%s%s", account, region, url, name, sep, suffix)
                                : cdk_sprintf(app, "%s.dkr.ecr.%s.%s/%s", account, region, url, name);
    if (s == NULL)
        return cdk_oom(app);
    *out = cdk_str_ref(app, s);
    return *out ? CDK_OK : cdk_oom(app);
}

int cdk_ecr_uri_for_tag(cdk_node *repo, const char *tag, cdk_value **out)
{
    return uri_with_suffix(repo, ":", tag, out);
}

int cdk_ecr_uri_for_digest(cdk_node *repo, const char *digest, cdk_value **out)
{
    return uri_with_suffix(repo, "@", digest, out);
}

int cdk_ecr_uri_for_tag_or_digest(cdk_node *repo, const char *tag_or_digest, cdk_value **out)
{
    if (tag_or_digest && strncmp(tag_or_digest, "sha256:", 7) == 0)
        return cdk_ecr_uri_for_digest(repo, tag_or_digest, out);
    return cdk_ecr_uri_for_tag(repo, tag_or_digest, out);
}
