/* cdk_lambda.h: AWS Lambda for lua-cdk: what event targets need: functions imported by ARN or
 * attributes, add_permission (AWS::Lambda::Permission) with CDK's principal rules, and the
 * environment check that decides whether permissions can be made. No Lua. */
#ifndef CDK_LAMBDA_H
#define CDK_LAMBDA_H

#include "cdk_core.h"
#include "cdk_iam.h"

typedef struct cdk_lambda_function {
    cdk_physical phys;          /* env from the ARN */
    cdk_value *arn, *name;
    int can_create_permissions;
    int skip_permissions;
    cdk_iam_principal *role;    /* the function's role principal, or NULL */
} cdk_lambda_function;

extern const cdk_class cdk_lambda_imported_function_class;
extern const cdk_schema cdk_lambda_cfn_permission;

/* Function.fromFunctionAttributes; same_environment: -1 unset. */
int cdk_lambda_from_function_attributes(cdk_node *scope, const char *id, cdk_value *arn, int same_environment,
                                        int skip_permissions, cdk_iam_principal *role, cdk_node **out);
cdk_lambda_function *cdk_lambda_function_of(cdk_node *n);

typedef struct cdk_lambda_permission {
    cdk_iam_principal *principal;   /* required */
    cdk_value *action;              /* default lambda:InvokeFunction */
    cdk_value *source_arn, *source_account, *event_source_token, *function_url_auth_type;
    cdk_node *scope;                /* where the CfnPermission goes (default: the function) */
} cdk_lambda_permission;

/* addPermission: does nothing when the function cannot take permissions (CDK's rule); *out is
 * the CfnPermission made, or NULL. */
int cdk_lambda_add_permission(cdk_node *fn, const char *id, const cdk_lambda_permission *p, cdk_node **out);

#endif
