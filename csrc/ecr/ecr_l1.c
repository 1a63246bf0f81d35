/* ecr_l1.c: the ECR L1 resources as schemas: every CloudFormation property of AWS::ECR::*
 * (as of the AWS CDK 1.204.0 specification), in CloudFormation's order, with Lua's snake_case
 * names. Data only: the core renders them. */
#include "cdk_ecr.h"

#define END {NULL, NULL, 0, 0, NULL, 0}
#define NO_CLASS {NULL, NULL, NULL, NULL, NULL, NULL}

static const cdk_prop tag_props[] = {
    {"key", "Key", CDK_P_STRING, 0, NULL, 1},
    {"value", "Value", CDK_P_STRING, 0, NULL, 1},
    END,
};
static const cdk_schema tag_schema = {NO_CLASS, "CfnTag", NULL, NULL, tag_props, NULL, 0, NULL};

/* ---- AWS::ECR::Repository ---- */

static const cdk_prop encryption_props[] = {
    {"encryption_type", "EncryptionType", CDK_P_STRING, 0, NULL, 1},
    {"kms_key", "KmsKey", CDK_P_STRING, 0, NULL, 0},
    END,
};
static const cdk_schema encryption_schema = {NO_CLASS, "EncryptionConfigurationProperty", NULL, NULL,
                                             encryption_props, NULL, 0, NULL};

static const cdk_prop scanning_props[] = {
    {"scan_on_push", "ScanOnPush", CDK_P_BOOL, 0, NULL, 0},
    END,
};
static const cdk_schema scanning_schema = {NO_CLASS, "ImageScanningConfigurationProperty", NULL, NULL,
                                           scanning_props, NULL, 0, NULL};

static const cdk_prop lifecycle_props[] = {
    {"lifecycle_policy_text", "LifecyclePolicyText", CDK_P_STRING, 0, NULL, 0},
    {"registry_id", "RegistryId", CDK_P_STRING, 0, NULL, 0},
    END,
};
static const cdk_schema lifecycle_schema = {NO_CLASS, "LifecyclePolicyProperty", NULL, NULL, lifecycle_props,
                                            NULL, 0, NULL};

static const cdk_prop repository_props[] = {
    {"encryption_configuration", "EncryptionConfiguration", CDK_P_STRUCT, 0, &encryption_schema, 0},
    {"image_scanning_configuration", "ImageScanningConfiguration", CDK_P_STRUCT, 0, &scanning_schema, 0},
    {"image_tag_mutability", "ImageTagMutability", CDK_P_STRING, 0, NULL, 0},
    {"lifecycle_policy", "LifecyclePolicy", CDK_P_STRUCT, 0, &lifecycle_schema, 0},
    {"repository_name", "RepositoryName", CDK_P_STRING, 0, NULL, 0},
    {"repository_policy_text", "RepositoryPolicyText", CDK_P_JSON, 0, NULL, 0},
    {"tags", "Tags", CDK_P_TAGS, CDK_P_STRUCT, &tag_schema, 0},
    END,
};
static const char *const repository_attrs[] = {"Arn", "RepositoryUri", NULL};
const cdk_schema cdk_ecr_cfn_repository = {
    CDK_L1_CLASS("CfnRepository", "@aws-cdk/aws-ecr.CfnRepository"),
    "CfnRepository", "AWS::ECR::Repository", "@aws-cdk/aws-ecr.CfnRepository",
    repository_props, repository_attrs, CDK_TAGS_STANDARD, NULL};

/* ---- AWS::ECR::RegistryPolicy ---- */

static const cdk_prop registry_policy_props[] = {
    {"policy_text", "PolicyText", CDK_P_JSON, 0, NULL, 1},
    END,
};
static const char *const registry_policy_attrs[] = {"RegistryId", NULL};
const cdk_schema cdk_ecr_cfn_registry_policy = {
    CDK_L1_CLASS("CfnRegistryPolicy", "@aws-cdk/aws-ecr.CfnRegistryPolicy"),
    "CfnRegistryPolicy", "AWS::ECR::RegistryPolicy", "@aws-cdk/aws-ecr.CfnRegistryPolicy",
    registry_policy_props, registry_policy_attrs, CDK_TAGS_NONE, NULL};

/* ---- AWS::ECR::ReplicationConfiguration ---- */

static const cdk_prop destination_props[] = {
    {"region", "Region", CDK_P_STRING, 0, NULL, 1},
    {"registry_id", "RegistryId", CDK_P_STRING, 0, NULL, 1},
    END,
};
static const cdk_schema destination_schema = {NO_CLASS, "ReplicationDestinationProperty", NULL, NULL,
                                              destination_props, NULL, 0, NULL};

static const cdk_prop filter_props[] = {
    {"filter", "Filter", CDK_P_STRING, 0, NULL, 1},
    {"filter_type", "FilterType", CDK_P_STRING, 0, NULL, 1},
    END,
};
static const cdk_schema filter_schema = {NO_CLASS, "RepositoryFilterProperty", NULL, NULL, filter_props, NULL, 0, NULL};

static const cdk_prop rule_props[] = {
    {"destinations", "Destinations", CDK_P_LIST, CDK_P_STRUCT, &destination_schema, 1},
    {"repository_filters", "RepositoryFilters", CDK_P_LIST, CDK_P_STRUCT, &filter_schema, 0},
    END,
};
static const cdk_schema rule_schema = {NO_CLASS, "ReplicationRuleProperty", NULL, NULL, rule_props, NULL, 0, NULL};

static const cdk_prop replication_props[] = {
    {"rules", "Rules", CDK_P_LIST, CDK_P_STRUCT, &rule_schema, 1},
    END,
};
static const cdk_schema replication_schema = {NO_CLASS, "ReplicationConfigurationProperty", NULL, NULL,
                                              replication_props, NULL, 0, NULL};

static const cdk_prop replication_configuration_props[] = {
    {"replication_configuration", "ReplicationConfiguration", CDK_P_STRUCT, 0, &replication_schema, 1},
    END,
};
static const char *const replication_attrs[] = {"RegistryId", NULL};
const cdk_schema cdk_ecr_cfn_replication_configuration = {
    CDK_L1_CLASS("CfnReplicationConfiguration", "@aws-cdk/aws-ecr.CfnReplicationConfiguration"),
    "CfnReplicationConfiguration", "AWS::ECR::ReplicationConfiguration",
    "@aws-cdk/aws-ecr.CfnReplicationConfiguration", replication_configuration_props, replication_attrs,
    CDK_TAGS_NONE, NULL};

/* ---- AWS::ECR::PullThroughCacheRule ---- */

static const cdk_prop cache_props[] = {
    {"ecr_repository_prefix", "EcrRepositoryPrefix", CDK_P_STRING, 0, NULL, 0},
    {"upstream_registry_url", "UpstreamRegistryUrl", CDK_P_STRING, 0, NULL, 0},
    END,
};
static const char *const no_attrs[] = {NULL};
const cdk_schema cdk_ecr_cfn_pull_through_cache_rule = {
    CDK_L1_CLASS("CfnPullThroughCacheRule", "@aws-cdk/aws-ecr.CfnPullThroughCacheRule"),
    "CfnPullThroughCacheRule", "AWS::ECR::PullThroughCacheRule", "@aws-cdk/aws-ecr.CfnPullThroughCacheRule",
    cache_props, no_attrs, CDK_TAGS_NONE, NULL};

/* ---- AWS::ECR::PublicRepository ---- */

static const cdk_prop public_props[] = {
    {"repository_catalog_data", "RepositoryCatalogData", CDK_P_JSON, 0, NULL, 0},
    {"repository_name", "RepositoryName", CDK_P_STRING, 0, NULL, 0},
    {"repository_policy_text", "RepositoryPolicyText", CDK_P_JSON, 0, NULL, 0},
    {"tags", "Tags", CDK_P_TAGS, CDK_P_STRUCT, &tag_schema, 0},
    END,
};
static const char *const public_attrs[] = {"Arn", NULL};
const cdk_schema cdk_ecr_cfn_public_repository = {
    CDK_L1_CLASS("CfnPublicRepository", "@aws-cdk/aws-ecr.CfnPublicRepository"),
    "CfnPublicRepository", "AWS::ECR::PublicRepository", "@aws-cdk/aws-ecr.CfnPublicRepository",
    public_props, public_attrs, CDK_TAGS_STANDARD, NULL};
