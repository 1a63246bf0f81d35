/* key.c: kms.Key and Key.fromKeyArn as the AWS CDK v1 builds them: the key policy (the legacy
 * admin statement, or `kms:*` for the account under the defaultKeyPolicies flag or
 * trust_account_identities), the pending window, admins, and the grants that put statements in
 * the key policy and the grantee's policy. Aliases live in alias.c; no Lua here. */
#include <math.h>
#include <string.h>

#include "cdk_kms.h"

static int key_validate(cdk_node *n, cdk_strlist *errs);

const cdk_class cdk_kms_key_class = {"Key", "@aws-cdk/aws-kms.Key", key_validate, NULL, NULL, NULL};
/* CDK's import is an unexported class, so the tree names the nearest jsii class */
const cdk_class cdk_kms_imported_key_class = {"ImportedKey", "@aws-cdk/core.Resource", NULL, NULL, NULL, NULL};

/* aws-kms/lib/private/perms.ts */
static const char *const ADMIN_ACTIONS[] = {
    "kms:Create*", "kms:Describe*", "kms:Enable*", "kms:List*", "kms:Put*", "kms:Update*", "kms:Revoke*",
    "kms:Disable*", "kms:Get*", "kms:Delete*", "kms:TagResource", "kms:UntagResource",
    "kms:ScheduleKeyDeletion", "kms:CancelKeyDeletion", NULL,
};
static const char *const ENCRYPT_ACTIONS[] = {"kms:Encrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", NULL};
static const char *const DECRYPT_ACTIONS[] = {"kms:Decrypt", NULL};
static const char *const ENCRYPT_DECRYPT_ACTIONS[] = {"kms:Decrypt", "kms:Encrypt", "kms:ReEncrypt*",
                                                      "kms:GenerateDataKey*", NULL};
/* The legacy policy: the admin actions plus GenerateDataKey, in the order CDK keeps for
 * backwards compatibility (another order would replace deployed keys). */
static const char *const LEGACY_ADMIN_ACTIONS[] = {
    "kms:Create*", "kms:Describe*", "kms:Enable*", "kms:List*", "kms:Put*", "kms:Update*", "kms:Revoke*",
    "kms:Disable*", "kms:Get*", "kms:Delete*", "kms:ScheduleKeyDeletion", "kms:CancelKeyDeletion",
    "kms:GenerateDataKey", "kms:TagResource", "kms:UntagResource", NULL,
};
static const char *const ALL_KMS[] = {"kms:*", NULL};
static const char *const STAR[] = {"*", NULL};

cdk_kms_key *cdk_kms_key_of(cdk_node *n)
{
    if (n && (n->cls == &cdk_kms_key_class || n->cls == &cdk_kms_imported_key_class ||
              n->cls == &cdk_kms_alias_class || n->cls == &cdk_kms_imported_alias_class))
        return n->impl;
    return NULL;
}

static int is_alias(const cdk_kms_key *k)
{
    return k->kind == CDK_KMS_ALIAS || k->kind == CDK_KMS_ALIAS_ATTRIBUTES || k->kind == CDK_KMS_ALIAS_NAME;
}

static int not_a_key(cdk_app *app, const char *fname)
{
    return cdk_fail(app, CDK_EINVAL, "%s: not a key", fname);
}

/* ---- the key policy ---- */

static int key_validate(cdk_node *n, cdk_strlist *errs)
{
    cdk_kms_key *k = cdk_kms_key_of(n);
    if (k == NULL || k->policy == NULL)
        return CDK_OK;
    return cdk_iam_document_validate(k->policy, CDK_IAM_RESOURCE_POLICY, errs);
}

int cdk_kms_add_to_resource_policy(cdk_node *n, cdk_iam_statement *s, int allow_no_op, int *added)
{
    cdk_app *app = n->app;
    cdk_kms_key *k = cdk_kms_key_of(n);
    *added = 0;
    if (k == NULL)
        return not_a_key(app, "add_to_resource_policy");
    if (is_alias(k)) {
        if (k->target == NULL)
            return CDK_OK; /* an alias imported by name: dropped */
        return cdk_kms_add_to_resource_policy(k->target, s, allow_no_op, added);
    }
    if (k->policy == NULL) {
        if (allow_no_op)
            return CDK_OK;
        cJSON *arn = NULL;
        int rc = cdk_resolve_in(n, k->arn, &arn);
        if (rc != CDK_OK)
            return rc;
        cdk_buf b = {0};
        cdk_json_write(&b, arn, 0);
        cJSON_Delete(arn);
        rc = cdk_fail(app, CDK_EINVAL, "Unable to add statement to IAM resource policy for KMS key: %s",
                      b.data ? b.data : "");
        cdk_buf_free(&b);
        return rc;
    }
    int rc = cdk_iam_document_add(k->policy, s);
    if (rc == CDK_OK)
        *added = 1;
    return rc;
}

/* A statement for the account root principal on "*", added to the key policy. */
static int add_account_statement(cdk_node *n, const char *const *actions)
{
    cdk_app *app = n->app;
    cdk_iam_statement *s = cdk_iam_statement_new(app);
    cdk_value *res = cdk_list_of_strs(app, STAR), *acts = cdk_list_of_strs(app, actions);
    cdk_iam_principal *root = cdk_iam_principal_new(app, CDK_IAM_ACCOUNT_ROOT, NULL);
    if (s == NULL || res == NULL || acts == NULL || root == NULL)
        return cdk_oom(app);
    int rc = cdk_iam_statement_add_resources(s, res->u.list.items, res->len, 0);
    if (rc == CDK_OK)
        rc = cdk_iam_statement_add_actions(s, acts->u.list.items, acts->len, 0);
    if (rc == CDK_OK)
        rc = cdk_iam_statement_add_principal(s, root, 0);
    int added;
    if (rc == CDK_OK)
        rc = cdk_kms_add_to_resource_policy(n, s, 1, &added);
    return rc;
}

/* FeatureFlags.isEnabled: the context value's JavaScript truthiness, false when unset. */
static int flag_enabled(cdk_node *n, const char *flag)
{
    const cJSON *v = cdk_node_try_get_context(n, flag);
    if (v == NULL || cJSON_IsNull(v) || cJSON_IsFalse(v))
        return 0;
    if (cJSON_IsNumber(v))
        return v->valuedouble != 0 && !isnan(v->valuedouble);
    if (cJSON_IsString(v))
        return v->valuestring && v->valuestring[0] != '\0';
    return 1;
}

/* ---- kms.Key ---- */

static int spec_denied(const char *spec, const char *usage)
{
    static const char *const encrypt_decrypt[] = {"ECC_NIST_P256", "ECC_NIST_P384", "ECC_NIST_P521",
                                                  "ECC_SECG_P256K1", NULL};
    static const char *const sign_verify[] = {"SYMMETRIC_DEFAULT", NULL};
    const char *const *deny = strcmp(usage, "SIGN_VERIFY") == 0 ? sign_verify : encrypt_decrypt;
    for (; *deny; deny++)
        if (strcmp(*deny, spec) == 0)
            return 1;
    return 0;
}

static int key_checks(cdk_app *app, const cdk_kms_key_props *p)
{
    const char *spec = p->key_spec ? p->key_spec : "SYMMETRIC_DEFAULT";
    const char *usage = p->key_usage ? p->key_usage : "ENCRYPT_DECRYPT";
    if (spec_denied(spec, usage))
        return cdk_fail(app, CDK_EINVAL, "key spec '%s' is not valid with usage '%s'", spec, usage);
    if (strcmp(spec, "SYMMETRIC_DEFAULT") != 0 && p->enable_key_rotation > 0)
        return cdk_fail(app, CDK_EINVAL, "key rotation cannot be enabled on asymmetric keys");
    return CDK_OK;
}

static int pending_window_days(cdk_app *app, const cdk_kms_key_props *p, double *days)
{
    int rc = cdk_duration_to(app, p->pending_window, CDK_DAYS, 1, days);
    if (rc != CDK_OK)
        return rc;
    if (*days < 7 || *days > 30) {
        char n[40];
        cdk_js_number(*days, n);
        return cdk_fail(app, CDK_EINVAL, "'pending_window' value must between 7 and 30 days. Received: %s", n);
    }
    return CDK_OK;
}

int cdk_kms_key_new(cdk_node *scope, const char *id, const cdk_kms_key_props *p, cdk_node **out)
{
    cdk_app *app = scope->app;
    cdk_node *n;
    int rc = cdk_node_new(scope, id, &cdk_kms_key_class, sizeof(cdk_kms_key), &n);
    if (rc != CDK_OK)
        return rc;
    cdk_kms_key *k = n->impl;
    k->kind = CDK_KMS_KEY;
    if ((rc = cdk_physical_init(n, NULL, &k->phys)) != CDK_OK || (rc = key_checks(app, p)) != CDK_OK)
        goto fail;

    k->policy = p->policy ? p->policy : cdk_iam_document_new(app, 0);
    if (k->policy == NULL)
        goto oom;
    int add_default = 0, add_legacy = 0;
    if (flag_enabled(n, CDK_KMS_DEFAULT_KEY_POLICIES)) {
        if (p->trust_account_identities == 0) {
            rc = cdk_fail(app, CDK_EINVAL, "`trust_account_identities` cannot be false if the "
                                           "@aws-cdk/aws-kms:defaultKeyPolicies feature flag is set");
            goto fail;
        }
        k->trust_account_identities = 1;
        add_default = p->policy == NULL;
    } else {
        k->trust_account_identities = p->trust_account_identities > 0;
        add_default = k->trust_account_identities;
        add_legacy = !add_default;
    }
    double days = 0;
    if (p->has_pending_window && (rc = pending_window_days(app, p, &days)) != CDK_OK)
        goto fail;
    /* kms.Alias's checks run last in CDK, after the admins' grants changed other constructs;
     * run them now so that a bad alias leaves nothing behind (the order of messages is kept,
     * since nothing in between can fail) */
    cdk_value *alias_name = NULL;
    if (p->alias && (rc = cdk_kms_check_alias_name(app, p->alias, &alias_name)) != CDK_OK)
        goto fail;
    /* only now may the user's policy document change */
    if (add_default && (rc = add_account_statement(n, ALL_KMS)) != CDK_OK)
        goto fail;
    if (add_legacy && (rc = add_account_statement(n, LEGACY_ADMIN_ACTIONS)) != CDK_OK)
        goto fail;

    cdk_value *props = cdk_map(app), *policy = cdk_iam_document_value(k->policy);
    if (props == NULL || policy == NULL)
        goto oom;
    if ((p->description && cdk_map_set(app, props, "description", p->description) != CDK_OK) ||
        (p->enable_key_rotation >= 0 &&
         cdk_map_set(app, props, "enable_key_rotation", cdk_boolv(p->enable_key_rotation)) != CDK_OK) ||
        (p->enabled >= 0 && cdk_map_set(app, props, "enabled", cdk_boolv(p->enabled)) != CDK_OK) ||
        (p->key_spec && cdk_map_set(app, props, "key_spec", cdk_str(app, p->key_spec)) != CDK_OK) ||
        (p->key_usage && cdk_map_set(app, props, "key_usage", cdk_str(app, p->key_usage)) != CDK_OK) ||
        cdk_map_set(app, props, "key_policy", policy) != CDK_OK ||
        (p->has_pending_window && cdk_map_set(app, props, "pending_window_in_days", cdk_num(app, days)) != CDK_OK))
        goto oom;
    if ((rc = cdk_cfn_resource_new(n, "Resource", "AWS::KMS::Key", &cdk_kms_cfn_key, props, NULL, &k->resource)) !=
        CDK_OK)
        goto fail;
    k->arn = cdk_resource_att(k->resource, "Arn");
    k->id = cdk_resource_ref(k->resource);
    if (k->arn == NULL || k->id == NULL)
        goto oom;
    if ((rc = cdk_resource_apply_removal_policy(k->resource, p->removal_policy, CDK_REMOVAL_RETAIN, 1)) != CDK_OK)
        goto fail;
    /* from here on other constructs change: no way back */
    for (size_t i = 0; i < p->nadmins; i++) {
        cdk_iam_grant *g;
        if ((rc = cdk_kms_grant_admin(n, p->admins[i], &g)) != CDK_OK)
            return rc;
    }
    if (alias_name) {
        cdk_node *alias;
        if ((rc = cdk_kms_add_alias(n, p->alias, &alias)) != CDK_OK)
            return rc;
    }
    *out = n;
    return CDK_OK;
oom:
    rc = cdk_oom(app);
fail:
    cdk_node_discard(n);
    return rc;
}

/* ---- Key.fromKeyArn ---- */

int cdk_kms_key_from_arn(cdk_node *scope, const char *id, cdk_value *arn, cdk_node **out)
{
    cdk_app *app = scope->app;
    cdk_node *stack;
    int rc = cdk_node_stack(scope, &stack);
    if (rc != CDK_OK)
        return rc;
    cdk_arn parts;
    if ((rc = cdk_arn_split(app, arn, CDK_ARN_SLASH_RESOURCE_NAME, &parts)) != CDK_OK)
        return rc;
    cdk_value *name = parts.resource_name;
    if (name == NULL || (name->kind == CDK_STRING && name->len == 0))
        return cdk_fail(app, CDK_EINVAL,
                        "KMS key ARN must be in the format 'arn:aws:kms:<region>:<account>:key/<keyId>', got: '%s'",
                        cdk_value_str(arn));
    cdk_node *n;
    if ((rc = cdk_node_new(scope, id, &cdk_kms_imported_key_class, sizeof(cdk_kms_key), &n)) != CDK_OK)
        return rc;
    cdk_kms_key *k = n->impl;
    k->kind = CDK_KMS_IMPORTED_KEY;
    k->arn = arn;
    k->id = name;
    /* the key policy cannot change here: identity policies are the only way */
    k->trust_account_identities = 1;
    if ((rc = cdk_physical_init(n, NULL, &k->phys)) != CDK_OK) {
        cdk_node_discard(n);
        return rc;
    }
    *out = n;
    return CDK_OK;
}

/* ---- grants ---- */

static int add_to_resource_policy(cdk_iam_resource *r, cdk_iam_statement *s, int *added)
{
    return cdk_kms_add_to_resource_policy(r->node, s, 1, added);
}

/* The construct behind a grantee (its Role, User or Group), or NULL for other principals. */
static cdk_node *grantee_construct(cdk_iam_principal *p)
{
    return p->kind == CDK_IAM_IDENTITY ? p->identity : NULL;
}

static int newly_created(cdk_node *n)
{
    cdk_iam_identity *id = cdk_iam_identity_of(n);
    return id && (id->kind == CDK_IAM_ROLE || id->kind == CDK_IAM_USER || id->kind == CDK_IAM_GROUP);
}

/* Grant.drop: a grant that added nothing anywhere. */
static int drop(cdk_app *app, cdk_iam_principal *grantee, cdk_iam_grant **out)
{
    cdk_iam_grant *g = cdk_alloc(app, sizeof *g);
    if (g == NULL || (g->actions = cdk_list(app)) == NULL || (g->resource_arns = cdk_list(app)) == NULL)
        return cdk_oom(app);
    g->grantee = grantee;
    *out = g;
    return CDK_OK;
}

int cdk_kms_grant(cdk_node *n, cdk_iam_principal *grantee, cdk_value *actions, cdk_iam_grant **out)
{
    cdk_app *app = n->app;
    cdk_kms_key *k = cdk_kms_key_of(n);
    if (k == NULL)
        return not_a_key(app, "grant");
    if (is_alias(k))
        return k->target ? cdk_kms_grant(k->target, grantee, actions, out) : drop(app, grantee, out);
    cdk_node *gnode = grantee_construct(grantee);
    /* KMS checks that the principals of a key policy exist: when the grantee's stack deploys
     * after the key's, name its account instead */
    cdk_iam_principal *principal = grantee;
    if (gnode && newly_created(gnode) && gnode->stack != n->stack &&
        cdk_nodelist_has(cdk_stack_dependencies(gnode->stack), n->stack)) {
        principal = cdk_iam_principal_new(app, CDK_IAM_ACCOUNT, cdk_stack_account(gnode->stack));
        if (principal == NULL)
            return cdk_oom(app);
    }
    int cross_env = gnode && (!cdk_value_equal(cdk_stack_account(n->stack), cdk_stack_account(gnode->stack)) ||
                              !cdk_value_equal(cdk_stack_region(n->stack), cdk_stack_region(gnode->stack)));
    cdk_value *arns = cdk_list(app), *star = cdk_list_of_strs(app, STAR);
    if (arns == NULL || star == NULL || cdk_list_push(app, arns, k->arn) != CDK_OK)
        return cdk_oom(app);
    cdk_iam_resource r = {n, k->phys.account, add_to_resource_policy};
    if (k->trust_account_identities && !cross_env)
        return cdk_iam_grant_add_to_principal_or_resource(app, grantee, actions, arns, star, &r, out);
    /* in another environment the key's ARN is unknown (keys have no physical names): use "*" */
    return cdk_iam_grant_add_to_principal_and_resource(app, grantee, actions, cross_env ? star : arns,
                                                       cross_env ? NULL : star, principal, &r, out);
}

static int grant_fixed(cdk_node *n, cdk_iam_principal *grantee, const char *const *actions, cdk_iam_grant **out)
{
    cdk_value *l = cdk_list_of_strs(n->app, actions);
    if (l == NULL)
        return cdk_oom(n->app);
    return cdk_kms_grant(n, grantee, l, out);
}

int cdk_kms_grant_encrypt(cdk_node *key, cdk_iam_principal *grantee, cdk_iam_grant **out)
{
    return grant_fixed(key, grantee, ENCRYPT_ACTIONS, out);
}

int cdk_kms_grant_decrypt(cdk_node *key, cdk_iam_principal *grantee, cdk_iam_grant **out)
{
    return grant_fixed(key, grantee, DECRYPT_ACTIONS, out);
}

int cdk_kms_grant_encrypt_decrypt(cdk_node *key, cdk_iam_principal *grantee, cdk_iam_grant **out)
{
    return grant_fixed(key, grantee, ENCRYPT_DECRYPT_ACTIONS, out);
}

int cdk_kms_grant_admin(cdk_node *key, cdk_iam_principal *grantee, cdk_iam_grant **out)
{
    return grant_fixed(key, grantee, ADMIN_ACTIONS, out);
}

/* ---- attributes ---- */

cdk_value *cdk_kms_key_arn(cdk_node *n)
{
    cdk_kms_key *k = cdk_kms_key_of(n);
    if (k == NULL)
        return NULL;
    if (!is_alias(k))
        return k->arn;
    cdk_arn arn = {0};
    arn.service = cdk_str_ref(n->app, "kms");
    arn.resource = k->alias_name; /* it holds the "alias/" */
    arn.format = CDK_ARN_NONE;
    cdk_value *out;
    return cdk_arn_format(n->stack, &arn, &out) == CDK_OK ? out : NULL;
}

cdk_value *cdk_kms_key_id(cdk_node *n)
{
    cdk_kms_key *k = cdk_kms_key_of(n);
    if (k == NULL)
        return NULL;
    return is_alias(k) ? k->alias_name : k->id;
}
