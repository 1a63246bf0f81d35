/* function.c: lambda.Function imports and permissions as the AWS CDK v1 handles them: the name
 * from the ARN, whether the function is in the stack's account (so that permissions can be made),
 * and the principal and conditions a Lambda permission accepts. */
#include <string.h>

#include "cdk_lambda.h"

#define END {NULL, NULL, 0, 0, NULL, 0}

static const cdk_prop permission_props[] = {
    {"action", "Action", CDK_P_STRING, 0, NULL, 1},
    {"function_name", "FunctionName", CDK_P_STRING, 0, NULL, 1},
    {"principal", "Principal", CDK_P_STRING, 0, NULL, 1},
    {"event_source_token", "EventSourceToken", CDK_P_STRING, 0, NULL, 0},
    {"function_url_auth_type", "FunctionUrlAuthType", CDK_P_STRING, 0, NULL, 0},
    {"principal_org_id", "PrincipalOrgID", CDK_P_STRING, 0, NULL, 0},
    {"source_account", "SourceAccount", CDK_P_STRING, 0, NULL, 0},
    {"source_arn", "SourceArn", CDK_P_STRING, 0, NULL, 0},
    END,
};
static const char *const no_attrs[] = {NULL};
const cdk_schema cdk_lambda_cfn_permission = {CDK_L1_CLASS("CfnPermission", "@aws-cdk/aws-lambda.CfnPermission"),
                                              "CfnPermission", "AWS::Lambda::Permission",
                                              "@aws-cdk/aws-lambda.CfnPermission", permission_props, no_attrs,
                                              CDK_TAGS_NONE, NULL};

const cdk_class cdk_lambda_imported_function_class = {"ImportedFunction", "@aws-cdk/aws-lambda.FunctionBase", NULL,
                                                      NULL, NULL, NULL};

cdk_lambda_function *cdk_lambda_function_of(cdk_node *n)
{
    return n && n->cls == &cdk_lambda_imported_function_class ? n->impl : NULL;
}

/* extractNameFromArn: Fn.select(6, Fn.split(':', arn)) or the literal 7th field. */
static cdk_value *name_from_arn(cdk_app *app, cdk_value *arn)
{
    if (cdk_is_unresolved(arn))
        return cdk_fn_select(app, 6, cdk_fn_split(app, ":", arn));
    const char *s = arn->u.str.ptr;
    int field = 0;
    const char *start = s;
    for (const char *p = s;; p++) {
        if (*p == ':' || *p == '\0') {
            if (field == 6)
                return cdk_strn(app, start, (size_t)(p - start));
            if (*p == '\0')
                break;
            field++;
            start = p + 1;
        }
    }
    return cdk_undefined();
}

int cdk_lambda_from_function_attributes(cdk_node *scope, const char *id, cdk_value *arn, int same_environment,
                                        int skip_permissions, cdk_iam_principal *role, cdk_node **out)
{
    cdk_app *app = scope->app;
    cdk_node *n;
    int rc = cdk_node_new(scope, id, &cdk_lambda_imported_function_class, sizeof(cdk_lambda_function), &n);
    if (rc != CDK_OK)
        return rc;
    cdk_lambda_function *f = n->impl;
    if ((rc = cdk_physical_init(n, NULL, &f->phys)) != CDK_OK ||
        (rc = cdk_physical_env_from_arn(n, arn, &f->phys)) != CDK_OK) {
        cdk_node_discard(n);
        return rc;
    }
    f->arn = arn;
    f->name = name_from_arn(app, arn);
    f->role = role;
    f->skip_permissions = skip_permissions > 0;
    if (same_environment >= 0) {
        f->can_create_permissions = same_environment;
    } else {
        /* _isStackAccount: both literal and the ARN's account is the stack's */
        cdk_value *acct = cdk_stack_account(n->stack);
        f->can_create_permissions = 0;
        if (!cdk_is_unresolved(acct) && !cdk_is_unresolved(arn)) {
            cdk_arn parts;
            if ((rc = cdk_arn_split(app, arn, CDK_ARN_SLASH_RESOURCE_NAME, &parts)) != CDK_OK) {
                cdk_node_discard(n);
                return rc;
            }
            f->can_create_permissions = cdk_value_equal(parts.account, acct);
        }
    }
    if (f->name == NULL) {
        cdk_node_discard(n);
        return cdk_oom(app);
    }
    *out = n;
    return CDK_OK;
}

/* The class name CDK's message shows (principal.constructor.name). */
static const char *class_name(const cdk_iam_principal *p)
{
    switch (p->kind) {
    case CDK_IAM_ORGANIZATION: return "OrganizationPrincipal";
    case CDK_IAM_FEDERATED: return "FederatedPrincipal";
    case CDK_IAM_CANONICAL_USER: return "CanonicalUserPrincipal";
    case CDK_IAM_STAR: return "StarPrincipal";
    case CDK_IAM_COMPOSITE: return "CompositePrincipal";
    case CDK_IAM_WITH_CONDITIONS: return "PrincipalWithConditions";
    case CDK_IAM_SESSION_TAGS: return "SessionTagsPrincipal";
    case CDK_IAM_JSON: return "JsonPrincipal";
    case CDK_IAM_IDENTITY: return p->identity && p->identity->cls ? p->identity->cls->name : "Principal";
    default: return "Principal";
    }
}

/* parsePermissionPrincipal: the account, service, or ARN a Lambda permission names. A wrapper
 * (with_conditions, with_session_tags) stands for what it wraps, one level deep as in CDK. */
static int permission_principal(cdk_app *app, cdk_iam_principal *p, cdk_value **out)
{
    if (p->kind == CDK_IAM_WITH_CONDITIONS || p->kind == CDK_IAM_SESSION_TAGS)
        p = p->wrapped;
    switch (p->kind) {
    case CDK_IAM_ACCOUNT:
    case CDK_IAM_ACCOUNT_ROOT:
        *out = p->principal_account;
        return CDK_OK;
    case CDK_IAM_SERVICE:
    case CDK_IAM_ARN:
        *out = p->arg;
        return CDK_OK;
    case CDK_IAM_ANY:
        *out = cdk_str_ref(app, "*");
        return CDK_OK;
    default: {
        cdk_value *json, *conds;
        int rc = cdk_iam_fragment(app, p, &json, &conds);
        if (rc != CDK_OK)
            return rc;
        cdk_value *aws = cdk_map_get(json, "AWS");
        if (conds->len == 0 && aws && aws->len == 1 && aws->u.list.items[0]->kind == CDK_STRING) {
            *out = aws->u.list.items[0];
            return CDK_OK;
        }
        return cdk_fail(app, CDK_EINVAL,
                        "Invalid principal type for Lambda permission statement: %s. Supported: AccountPrincipal, "
                        "ArnPrincipal, ServicePrincipal",
                        class_name(p));
    }
    }
}

int cdk_lambda_add_permission(cdk_node *fn, const char *id, const cdk_lambda_permission *p, cdk_node **out)
{
    cdk_app *app = fn->app;
    cdk_lambda_function *f = cdk_lambda_function_of(fn);
    *out = NULL;
    if (f == NULL)
        return cdk_fail(app, CDK_EINVAL, "add_permission: not a Lambda function");
    if (!f->can_create_permissions)
        return CDK_OK;
    cdk_value *principal = NULL;
    int rc = permission_principal(app, p->principal, &principal);
    if (rc != CDK_OK)
        return rc;
    cdk_value *source_account = p->source_account, *source_arn = p->source_arn;
    if (p->principal->kind == CDK_IAM_WITH_CONDITIONS) {
        /* parseConditions: only ArnLike aws:SourceArn and StringEquals aws:SourceAccount */
        cdk_value *json, *conds;
        if ((rc = cdk_iam_fragment(app, p->principal, &json, &conds)) != CDK_OK)
            return rc;
        for (size_t i = 0; i < conds->len; i++) {
            const char *op = conds->u.map.ents[i].key;
            cdk_value *m = conds->u.map.ents[i].value;
            for (size_t k = 0; m->kind == CDK_MAP && k < m->len; k++) {
                const char *key = m->u.map.ents[k].key;
                if (strcmp(op, "ArnLike") == 0 && strcmp(key, "aws:SourceArn") == 0) {
                    if (source_arn == NULL)
                        source_arn = m->u.map.ents[k].value;
                } else if (strcmp(op, "StringEquals") == 0 && strcmp(key, "aws:SourceAccount") == 0) {
                    if (source_account == NULL)
                        source_account = m->u.map.ents[k].value;
                } else {
                    return cdk_fail(app, CDK_EINVAL,
                                    "PrincipalWithConditions had unsupported conditions for Lambda permission statement: "
                                    "[{\"operator\":\"%s\",\"key\":\"%s\"}]. Supported operator/condition pairs: "
                                    "[{\"operator\":\"ArnLike\",\"key\":\"aws:SourceArn\"},{\"operator\":\"StringEquals\",\"key\":\"aws:SourceAccount\"}]",
                                    op, key);
                }
            }
        }
    }
    cdk_value *props = cdk_map(app);
    cdk_value *action = p->action ? p->action : cdk_str(app, "lambda:InvokeFunction");
    if (props == NULL || cdk_map_set(app, props, "action", action) != CDK_OK ||
        cdk_map_set(app, props, "principal", principal) != CDK_OK ||
        cdk_map_set(app, props, "function_name", f->arn) != CDK_OK ||
        (p->event_source_token && cdk_map_set(app, props, "event_source_token", p->event_source_token) != CDK_OK) ||
        (source_account && cdk_map_set(app, props, "source_account", source_account) != CDK_OK) ||
        (source_arn && cdk_map_set(app, props, "source_arn", source_arn) != CDK_OK) ||
        (p->function_url_auth_type && cdk_map_set(app, props, "function_url_auth_type", p->function_url_auth_type) != CDK_OK))
        return cdk_oom(app);
    return cdk_cfn_resource_new(p->scope ? p->scope : fn, id, "AWS::Lambda::Permission", &cdk_lambda_cfn_permission, props,
                                NULL, out);
}
