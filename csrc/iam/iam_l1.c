/* iam_l1.c: the IAM L1 resources lua-cdk renders (AWS::IAM::Role, Policy, User, Group,
 * ManagedPolicy, UserToGroupAddition) as schemas, in the order the AWS CDK 1.204.0 writes their properties
 * (required ones first, then alphabetical). Data only. */
#include "cdk_iam.h"

#define END {NULL, NULL, 0, 0, NULL, 0}
#define NO_CLASS {NULL, NULL, NULL, NULL, NULL, NULL}

static const cdk_prop tag_props[] = {
    {"key", "Key", CDK_P_STRING, 0, NULL, 1},
    {"value", "Value", CDK_P_STRING, 0, NULL, 1},
    END,
};
static const cdk_schema tag_schema = {NO_CLASS, "CfnTag", NULL, NULL, tag_props, NULL, 0, NULL};

static const cdk_prop inline_policy_props[] = {
    {"policy_document", "PolicyDocument", CDK_P_JSON, 0, NULL, 1},
    {"policy_name", "PolicyName", CDK_P_STRING, 0, NULL, 1},
    END,
};
/* tree.json: Role, User and Group write { policyName, policyDocument } */
static const char *const inline_policy_tree[] = {"policy_name", "policy_document", NULL};
static const cdk_schema inline_policy_schema = {NO_CLASS, "PolicyProperty", NULL, NULL,
                                                inline_policy_props, NULL, 0, inline_policy_tree};

static const cdk_prop role_props[] = {
    {"assume_role_policy_document", "AssumeRolePolicyDocument", CDK_P_JSON, 0, NULL, 1},
    {"description", "Description", CDK_P_STRING, 0, NULL, 0},
    {"managed_policy_arns", "ManagedPolicyArns", CDK_P_LIST, CDK_P_STRING, NULL, 0},
    {"max_session_duration", "MaxSessionDuration", CDK_P_NUMBER, 0, NULL, 0},
    {"path", "Path", CDK_P_STRING, 0, NULL, 0},
    {"permissions_boundary", "PermissionsBoundary", CDK_P_STRING, 0, NULL, 0},
    {"policies", "Policies", CDK_P_LIST, CDK_P_STRUCT, &inline_policy_schema, 0},
    {"role_name", "RoleName", CDK_P_STRING, 0, NULL, 0},
    {"tags", "Tags", CDK_P_TAGS, CDK_P_STRUCT, &tag_schema, 0},
    END,
};
static const char *const role_attrs[] = {"Arn", "RoleId", NULL};
const cdk_schema cdk_iam_cfn_role = {CDK_L1_CLASS("CfnRole", "@aws-cdk/aws-iam.CfnRole"), "CfnRole", "AWS::IAM::Role",
                                     "@aws-cdk/aws-iam.CfnRole", role_props, role_attrs, CDK_TAGS_STANDARD, NULL};

static const cdk_prop policy_props[] = {
    {"policy_document", "PolicyDocument", CDK_P_JSON, 0, NULL, 1},
    {"policy_name", "PolicyName", CDK_P_STRING, 0, NULL, 1},
    {"groups", "Groups", CDK_P_LIST, CDK_P_STRING, NULL, 0},
    {"roles", "Roles", CDK_P_LIST, CDK_P_STRING, NULL, 0},
    {"users", "Users", CDK_P_LIST, CDK_P_STRING, NULL, 0},
    END,
};
static const char *const no_attrs[] = {NULL};
const cdk_schema cdk_iam_cfn_policy = {CDK_L1_CLASS("CfnPolicy", "@aws-cdk/aws-iam.CfnPolicy"), "CfnPolicy",
                                       "AWS::IAM::Policy", "@aws-cdk/aws-iam.CfnPolicy", policy_props, no_attrs,
                                       CDK_TAGS_NONE, NULL};

static const cdk_prop login_props[] = {
    {"password", "Password", CDK_P_STRING, 0, NULL, 1},
    {"password_reset_required", "PasswordResetRequired", CDK_P_BOOL, 0, NULL, 0},
    END,
};
static const cdk_schema login_schema = {NO_CLASS, "LoginProfileProperty", NULL, NULL, login_props, NULL, 0, NULL};

static const cdk_prop user_props[] = {
    {"groups", "Groups", CDK_P_LIST, CDK_P_STRING, NULL, 0},
    {"login_profile", "LoginProfile", CDK_P_STRUCT, 0, &login_schema, 0},
    {"managed_policy_arns", "ManagedPolicyArns", CDK_P_LIST, CDK_P_STRING, NULL, 0},
    {"path", "Path", CDK_P_STRING, 0, NULL, 0},
    {"permissions_boundary", "PermissionsBoundary", CDK_P_STRING, 0, NULL, 0},
    {"policies", "Policies", CDK_P_LIST, CDK_P_STRUCT, &inline_policy_schema, 0},
    {"tags", "Tags", CDK_P_TAGS, CDK_P_STRUCT, &tag_schema, 0},
    {"user_name", "UserName", CDK_P_STRING, 0, NULL, 0},
    END,
};
static const char *const arn_attrs[] = {"Arn", NULL};
const cdk_schema cdk_iam_cfn_user = {CDK_L1_CLASS("CfnUser", "@aws-cdk/aws-iam.CfnUser"), "CfnUser", "AWS::IAM::User",
                                     "@aws-cdk/aws-iam.CfnUser", user_props, arn_attrs, CDK_TAGS_STANDARD, NULL};

static const cdk_prop group_props[] = {
    {"group_name", "GroupName", CDK_P_STRING, 0, NULL, 0},
    {"managed_policy_arns", "ManagedPolicyArns", CDK_P_LIST, CDK_P_STRING, NULL, 0},
    {"path", "Path", CDK_P_STRING, 0, NULL, 0},
    {"policies", "Policies", CDK_P_LIST, CDK_P_STRUCT, &inline_policy_schema, 0},
    END,
};
const cdk_schema cdk_iam_cfn_group = {CDK_L1_CLASS("CfnGroup", "@aws-cdk/aws-iam.CfnGroup"), "CfnGroup",
                                      "AWS::IAM::Group", "@aws-cdk/aws-iam.CfnGroup", group_props, arn_attrs,
                                      CDK_TAGS_NONE, NULL};

static const cdk_prop managed_policy_props[] = {
    {"policy_document", "PolicyDocument", CDK_P_JSON, 0, NULL, 1},
    {"description", "Description", CDK_P_STRING, 0, NULL, 0},
    {"groups", "Groups", CDK_P_LIST, CDK_P_STRING, NULL, 0},
    {"managed_policy_name", "ManagedPolicyName", CDK_P_STRING, 0, NULL, 0},
    {"path", "Path", CDK_P_STRING, 0, NULL, 0},
    {"roles", "Roles", CDK_P_LIST, CDK_P_STRING, NULL, 0},
    {"users", "Users", CDK_P_LIST, CDK_P_STRING, NULL, 0},
    END,
};
const cdk_schema cdk_iam_cfn_managed_policy = {
    CDK_L1_CLASS("CfnManagedPolicy", "@aws-cdk/aws-iam.CfnManagedPolicy"), "CfnManagedPolicy",
    "AWS::IAM::ManagedPolicy",
    "@aws-cdk/aws-iam.CfnManagedPolicy", managed_policy_props, no_attrs, CDK_TAGS_NONE, NULL};

static const cdk_prop user_to_group_props[] = {
    {"group_name", "GroupName", CDK_P_STRING, 0, NULL, 1},
    {"users", "Users", CDK_P_LIST, CDK_P_STRING, NULL, 1},
    END,
};
const cdk_schema cdk_iam_cfn_user_to_group_addition = {
    CDK_L1_CLASS("CfnUserToGroupAddition", "@aws-cdk/aws-iam.CfnUserToGroupAddition"), "CfnUserToGroupAddition",
    "AWS::IAM::UserToGroupAddition", "@aws-cdk/aws-iam.CfnUserToGroupAddition", user_to_group_props, no_attrs,
    CDK_TAGS_NONE, NULL};
