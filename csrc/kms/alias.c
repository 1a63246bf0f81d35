/* alias.c: kms.Alias, key:add_alias and the alias imports (by name, by attributes) as the AWS
 * CDK v1 builds them: the name checks and their messages, the "alias/" prefix, the alias's ARN
 * and the delegation of grants and policy statements to the target key. No Lua here. */
#include <string.h>

#include "cdk_kms.h"

const cdk_class cdk_kms_alias_class = {"Alias", "@aws-cdk/aws-kms.Alias", NULL, NULL, NULL, NULL};
const cdk_class cdk_kms_imported_alias_class = {"ImportedAlias", "@aws-cdk/core.Resource", NULL, NULL, NULL, NULL};

#define PREFIX "alias/"
#define DISALLOWED_PREFIX "alias/aws/"

static int alias_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == ':' || c == '/' ||
           c == '_' || c == '-';
}

int cdk_kms_check_alias_name(cdk_app *app, cdk_value *name, cdk_value **out)
{
    if (name == NULL || name->kind != CDK_STRING)
        return cdk_fail(app, CDK_EINVAL, "alias_name must be a string");
    *out = name;
    if (cdk_is_unresolved(name))
        return CDK_OK;
    const char *s = name->u.str.ptr;
    size_t len = name->len;
    if (len < strlen(PREFIX) || memcmp(s, PREFIX, strlen(PREFIX)) != 0) {
        char *full = cdk_sprintf(app, PREFIX "%s", s);
        if (full == NULL || (*out = cdk_str_ref(app, full)) == NULL)
            return cdk_oom(app);
        s = full;
        len += strlen(PREFIX);
    }
    if (len == strlen(PREFIX))
        return cdk_fail(app, CDK_EINVAL, "Alias must include a value after \"" PREFIX "\": %s", s);
    int disallowed = len >= strlen(DISALLOWED_PREFIX);
    for (size_t i = 0; disallowed && i < strlen(DISALLOWED_PREFIX); i++) {
        char c = s[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        disallowed = c == DISALLOWED_PREFIX[i];
    }
    if (disallowed)
        return cdk_fail(app, CDK_EINVAL, "Alias cannot start with " DISALLOWED_PREFIX ": %s", s);
    int ok = len <= 256;
    for (size_t i = 0; ok && i < len; i++)
        ok = alias_char(s[i]);
    if (!ok)
        return cdk_fail(app, CDK_EINVAL, "Alias name must be between 1 and 256 characters in a-zA-Z0-9:/_-");
    return CDK_OK;
}

int cdk_kms_alias_new(cdk_node *scope, const char *id, const cdk_kms_alias_props *p, cdk_node **out)
{
    cdk_app *app = scope->app;
    if (p->target_key == NULL || cdk_kms_key_of(p->target_key) == NULL)
        return cdk_fail(app, CDK_EINVAL, "target_key must be a key");
    cdk_value *name;
    int rc = cdk_kms_check_alias_name(app, p->alias_name, &name);
    if (rc != CDK_OK)
        return rc;
    cdk_node *n;
    if ((rc = cdk_node_new(scope, id, &cdk_kms_alias_class, sizeof(cdk_kms_key), &n)) != CDK_OK)
        return rc;
    cdk_kms_key *a = n->impl;
    a->kind = CDK_KMS_ALIAS;
    a->target = p->target_key;
    if ((rc = cdk_physical_init(n, name, &a->phys)) != CDK_OK)
        goto fail;
    cdk_value *props = cdk_map(app), *target_arn = cdk_kms_key_arn(p->target_key);
    if (props == NULL || target_arn == NULL || cdk_map_set(app, props, "alias_name", a->phys.physical_name) != CDK_OK ||
        cdk_map_set(app, props, "target_key_id", target_arn) != CDK_OK)
        goto oom;
    if ((rc = cdk_cfn_resource_new(n, "Resource", "AWS::KMS::Alias", &cdk_kms_cfn_alias, props, NULL, &a->resource)) !=
        CDK_OK)
        goto fail;
    if ((a->alias_name = cdk_physical_name_attr(&a->phys, a->phys.physical_name)) == NULL)
        goto oom;
    if (p->removal_policy != CDK_REMOVAL_UNSET &&
        (rc = cdk_resource_apply_removal_policy(a->resource, p->removal_policy, CDK_REMOVAL_UNSET, 1)) != CDK_OK)
        goto fail;
    *out = n;
    return CDK_OK;
oom:
    rc = cdk_oom(app);
fail:
    cdk_node_discard(n);
    return rc;
}

static int import_new(cdk_node *scope, const char *id, cdk_kms_kind kind, cdk_value *name, cdk_node *target,
                      cdk_node **out)
{
    cdk_node *n;
    int rc = cdk_node_new(scope, id, &cdk_kms_imported_alias_class, sizeof(cdk_kms_key), &n);
    if (rc != CDK_OK)
        return rc;
    cdk_kms_key *a = n->impl;
    a->kind = kind;
    a->alias_name = name;
    a->target = target;
    if ((rc = cdk_physical_init(n, NULL, &a->phys)) != CDK_OK) {
        cdk_node_discard(n);
        return rc;
    }
    *out = n;
    return CDK_OK;
}

int cdk_kms_alias_from_name(cdk_node *scope, const char *id, cdk_value *alias_name, cdk_node **out)
{
    return import_new(scope, id, CDK_KMS_ALIAS_NAME, alias_name, NULL, out);
}

int cdk_kms_alias_from_attributes(cdk_node *scope, const char *id, cdk_value *alias_name, cdk_node *target,
                                  cdk_node **out)
{
    if (target == NULL || cdk_kms_key_of(target) == NULL)
        return cdk_fail(scope->app, CDK_EINVAL, "alias_target_key must be a key");
    return import_new(scope, id, CDK_KMS_ALIAS_ATTRIBUTES, alias_name, target, out);
}

int cdk_kms_alias_target(cdk_node *n, cdk_node **out)
{
    cdk_kms_key *a = cdk_kms_key_of(n);
    *out = NULL;
    if (a == NULL || a->kind == CDK_KMS_KEY || a->kind == CDK_KMS_IMPORTED_KEY)
        return cdk_fail(n->app, CDK_EINVAL, "alias_target_key: not an alias");
    if (a->kind == CDK_KMS_ALIAS_NAME)
        return cdk_fail(n->app, CDK_EINVAL,
                        "Cannot access alias_target_key on an Alias imported by Alias.from_alias_name().");
    *out = a->target;
    return CDK_OK;
}

int cdk_kms_add_alias(cdk_node *n, cdk_value *alias_name, cdk_node **out)
{
    cdk_app *app = n->app;
    cdk_kms_key *k = cdk_kms_key_of(n);
    if (k == NULL)
        return cdk_fail(app, CDK_EINVAL, "add_alias: not a key");
    if (k->kind == CDK_KMS_ALIAS_NAME)
        return cdk_fail(app, CDK_EINVAL, "Cannot call add_alias on an Alias imported by Alias.from_alias_name().");
    if (k->kind == CDK_KMS_ALIAS || k->kind == CDK_KMS_ALIAS_ATTRIBUTES)
        return cdk_kms_add_alias(k->target, alias_name, out);
    const char *s = cdk_value_str(alias_name);
    if (s == NULL)
        return cdk_fail(app, CDK_EINVAL, "alias_name must be a string");
    const char *id = k->naliases > 0 ? cdk_sprintf(app, "Alias%s", s) : "Alias";
    if (id == NULL)
        return cdk_oom(app);
    cdk_kms_alias_props p = {alias_name, n, CDK_REMOVAL_UNSET};
    int rc = cdk_kms_alias_new(n, id, &p, out);
    if (rc == CDK_OK)
        k->naliases++;
    return rc;
}
