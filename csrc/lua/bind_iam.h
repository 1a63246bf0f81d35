/* bind_iam.h: what the IAM binding (iam.c) lends the other service bindings beyond bind.h's
 * grantees, statements and grants: policy documents as arguments (checked with messages that
 * name the argument, or the props field whose value is on top of the stack when field is set)
 * and as results. Like bind.h, it holds no domain rule. */
#ifndef CDK_BIND_IAM_H
#define CDK_BIND_IAM_H

#include "bind.h"
#include "cdk_iam.h"

cdk_iam_document *bind_iam_check_document(lua_State *L, const bargs *a, int idx, const char *field);
/* Pushes a PolicyDocument whose memory is owner's arena. */
void bind_iam_push_document(lua_State *L, cdk_iam_document *d, cdk_app *owner);

#endif
