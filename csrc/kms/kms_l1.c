/* kms_l1.c: the KMS L1 resources as schemas: every CloudFormation property of AWS::KMS::Key,
 * AWS::KMS::Alias and AWS::KMS::ReplicaKey (as of the AWS CDK 1.204.0 specification), in the
 * order CDK renders them (required first, then alphabetical), with Lua's snake_case names.
 * Data only: the core renders them. */
#include "cdk_kms.h"

#define END {NULL, NULL, 0, 0, NULL, 0}
#define NO_CLASS {NULL, NULL, NULL, NULL, NULL, NULL}

static const cdk_prop tag_props[] = {
    {"key", "Key", CDK_P_STRING, 0, NULL, 1},
    {"value", "Value", CDK_P_STRING, 0, NULL, 1},
    END,
};
static const cdk_schema tag_schema = {NO_CLASS, "CfnTag", NULL, NULL, tag_props, NULL, 0, NULL};

/* ---- AWS::KMS::Key ---- */

static const cdk_prop key_props[] = {
    {"key_policy", "KeyPolicy", CDK_P_JSON, 0, NULL, 1},
    {"description", "Description", CDK_P_STRING, 0, NULL, 0},
    {"enabled", "Enabled", CDK_P_BOOL, 0, NULL, 0},
    {"enable_key_rotation", "EnableKeyRotation", CDK_P_BOOL, 0, NULL, 0},
    {"key_spec", "KeySpec", CDK_P_STRING, 0, NULL, 0},
    {"key_usage", "KeyUsage", CDK_P_STRING, 0, NULL, 0},
    {"multi_region", "MultiRegion", CDK_P_BOOL, 0, NULL, 0},
    {"pending_window_in_days", "PendingWindowInDays", CDK_P_NUMBER, 0, NULL, 0},
    {"tags", "Tags", CDK_P_TAGS, CDK_P_STRUCT, &tag_schema, 0},
    END,
};
static const char *const key_attrs[] = {"Arn", "KeyId", NULL};
const cdk_schema cdk_kms_cfn_key = {
    CDK_L1_CLASS("CfnKey", "@aws-cdk/aws-kms.CfnKey"),
    "CfnKey", "AWS::KMS::Key", "@aws-cdk/aws-kms.CfnKey",
    key_props, key_attrs, CDK_TAGS_STANDARD, NULL};

/* ---- AWS::KMS::Alias ---- */

static const cdk_prop alias_props[] = {
    {"alias_name", "AliasName", CDK_P_STRING, 0, NULL, 1},
    {"target_key_id", "TargetKeyId", CDK_P_STRING, 0, NULL, 1},
    END,
};
static const char *const no_attrs[] = {NULL};
const cdk_schema cdk_kms_cfn_alias = {
    CDK_L1_CLASS("CfnAlias", "@aws-cdk/aws-kms.CfnAlias"),
    "CfnAlias", "AWS::KMS::Alias", "@aws-cdk/aws-kms.CfnAlias",
    alias_props, no_attrs, CDK_TAGS_NONE, NULL};

/* ---- AWS::KMS::ReplicaKey ---- */

static const cdk_prop replica_props[] = {
    {"key_policy", "KeyPolicy", CDK_P_JSON, 0, NULL, 1},
    {"primary_key_arn", "PrimaryKeyArn", CDK_P_STRING, 0, NULL, 1},
    {"description", "Description", CDK_P_STRING, 0, NULL, 0},
    {"enabled", "Enabled", CDK_P_BOOL, 0, NULL, 0},
    {"pending_window_in_days", "PendingWindowInDays", CDK_P_NUMBER, 0, NULL, 0},
    {"tags", "Tags", CDK_P_TAGS, CDK_P_STRUCT, &tag_schema, 0},
    END,
};
const cdk_schema cdk_kms_cfn_replica_key = {
    CDK_L1_CLASS("CfnReplicaKey", "@aws-cdk/aws-kms.CfnReplicaKey"),
    "CfnReplicaKey", "AWS::KMS::ReplicaKey", "@aws-cdk/aws-kms.CfnReplicaKey",
    replica_props, key_attrs, CDK_TAGS_STANDARD, NULL};
