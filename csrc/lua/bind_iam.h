/* bind_iam.h: what the IAM binding (iam.c) lends the other service bindings: grantees,
 * statements and documents as arguments (checked with messages that name the argument, or the
 * props field whose value is on top of the stack when field is set), grants and documents as
 * results. Like bind.h, it holds no domain rule. */
#ifndef CDK_BIND_IAM_H
#define CDK_BIND_IAM_H

#include "bind.h"
#include "cdk_iam.h"

/* A principal, or a Role/User/Group (owned or imported): its grant principal. */
cdk_iam_principal *bind_iam_check_grantee(lua_State *L, const bargs *a, int idx, const char *field);
cdk_iam_statement *bind_iam_check_statement(lua_State *L, const bargs *a, int idx, const char *field);
cdk_iam_document *bind_iam_check_document(lua_State *L, const bargs *a, int idx, const char *field);
/* Pushes a Grant / PolicyDocument whose memory is owner's arena. */
void bind_iam_push_grant(lua_State *L, cdk_iam_grant *g, cdk_app *owner);
void bind_iam_push_document(lua_State *L, cdk_iam_document *d, cdk_app *owner);

#endif
