/* cdk_ecr.h: Amazon ECR for lua-cdk: repositories (owned and imported), lifecycle rules, URIs,
 * and the L1 resources. It builds on the core only (and IAM, KMS, events as they come); no Lua.
 * Every object lives in the App's arena. Functions return CDK_OK or a code with the App's
 * message set, in the AWS CDK's wording with Lua names. */
#ifndef CDK_ECR_H
#define CDK_ECR_H

#include "cdk_core.h"

/* ---- L1 schemas (ecr_l1.c) ---- */
extern const cdk_schema cdk_ecr_cfn_repository;
extern const cdk_schema cdk_ecr_cfn_registry_policy;
extern const cdk_schema cdk_ecr_cfn_replication_configuration;
extern const cdk_schema cdk_ecr_cfn_pull_through_cache_rule;
extern const cdk_schema cdk_ecr_cfn_public_repository;

/* ---- lifecycle rules (lifecycle.c) ---- */

typedef enum cdk_ecr_tag_status {
    CDK_ECR_TAG_UNSET = 0, CDK_ECR_TAG_ANY, CDK_ECR_TAG_TAGGED, CDK_ECR_TAG_UNTAGGED
} cdk_ecr_tag_status;

typedef struct cdk_ecr_lifecycle_rule {
    int has_priority;
    double rule_priority;
    const char *description;      /* NULL: none */
    cdk_ecr_tag_status tag_status;
    int tag_status_given;         /* the user set tag_status (else it was inferred) */
    const char **tag_prefix_list; /* NULL: none given */
    size_t ntag_prefix;
    int has_count;
    double max_image_count;
    int has_age;
    cdk_duration max_image_age;
} cdk_ecr_lifecycle_rule;

const char *cdk_ecr_tag_status_value(cdk_ecr_tag_status s); /* "any", "tagged", "untagged" */

/* ---- repositories (repository.c) ---- */

typedef enum cdk_ecr_encryption {
    CDK_ECR_ENC_UNSET = 0, CDK_ECR_ENC_AES_256, CDK_ECR_ENC_KMS
} cdk_ecr_encryption;

typedef struct cdk_ecr_repository_props {
    cdk_value *repository_name;      /* NULL, a string (maybe a token) or the physical-name marker */
    int image_scan_on_push;          /* -1 unset */
    const char *image_tag_mutability; /* NULL, "MUTABLE", "IMMUTABLE" */
    cdk_ecr_encryption encryption;
    cdk_value *encryption_key_arn;   /* the KMS key's ARN, NULL for none */
    const char *lifecycle_registry_id;
    cdk_removal_policy removal_policy;
    const cdk_ecr_lifecycle_rule *lifecycle_rules;
    size_t nlifecycle_rules;
} cdk_ecr_repository_props;

/* ECR's quotas, checked when the lifecycle policy is rendered (at synthesis). */
#define CDK_ECR_MAX_LIFECYCLE_RULES 50
#define CDK_ECR_MAX_LIFECYCLE_TEXT 30720 /* characters of LifecyclePolicyText */

/* The repository data behind both owned and imported repositories. */
typedef struct cdk_ecr_repository {
    int imported;
    cdk_value *name;            /* repositoryName */
    cdk_value *arn;             /* repositoryArn */
    cdk_node *resource;         /* the CfnRepository, NULL for imports */
    cdk_physical phys;          /* physical name and environment */
    cdk_ecr_lifecycle_rule *rules;
    size_t nrules, caprules;
    const char *registry_id;
    cdk_value *policy;          /* resource policy document value, set by grants (IAM) */
    void *policy_doc;           /* the IAM PolicyDocument, when the IAM module made one */
} cdk_ecr_repository;

extern const cdk_class cdk_ecr_repository_class;
extern const cdk_class cdk_ecr_imported_repository_class;

int cdk_ecr_repository_new(cdk_node *scope, const char *id, const cdk_ecr_repository_props *props,
                           cdk_node **out);
cdk_ecr_repository *cdk_ecr_repository_of(cdk_node *n);
int cdk_ecr_add_lifecycle_rule(cdk_node *repo, const cdk_ecr_lifecycle_rule *rule);

/* Imports. */
int cdk_ecr_from_repository_name(cdk_node *scope, const char *id, cdk_value *name, cdk_node **out);
int cdk_ecr_from_repository_arn(cdk_node *scope, const char *id, cdk_value *arn, cdk_node **out);
int cdk_ecr_from_repository_attributes(cdk_node *scope, const char *id, cdk_value *name, cdk_value *arn,
                                       cdk_node **out);
/* Repository.arnForLocalRepository(name, scope, account). */
int cdk_ecr_arn_for_local_repository(cdk_node *scope, cdk_value *name, cdk_value *account, cdk_value **out);

/* URIs: suffix kinds for repository_uri_for_*. tag/digest may be NULL. */
int cdk_ecr_uri_for_tag(cdk_node *repo, const char *tag, cdk_value **out);
int cdk_ecr_uri_for_digest(cdk_node *repo, const char *digest, cdk_value **out);
int cdk_ecr_uri_for_tag_or_digest(cdk_node *repo, const char *tag_or_digest, cdk_value **out);

/* Grants (grants.c). The IAM types come from csrc/iam. */
struct cdk_iam_principal;
struct cdk_iam_statement;
struct cdk_iam_grant;
int cdk_ecr_grant(cdk_node *repo, struct cdk_iam_principal *grantee, cdk_value *actions, struct cdk_iam_grant **out);
int cdk_ecr_grant_pull(cdk_node *repo, struct cdk_iam_principal *grantee, struct cdk_iam_grant **out);
int cdk_ecr_grant_pull_push(cdk_node *repo, struct cdk_iam_principal *grantee, struct cdk_iam_grant **out);
/* repo:add_to_resource_policy; *added is 0 as in CDK (imports drop the statement). */
int cdk_ecr_add_to_resource_policy(cdk_node *repo, struct cdk_iam_statement *s, int *added);
/* AuthorizationToken.grant_read / PublicGalleryAuthorizationToken.grant_read. */
int cdk_ecr_auth_token_grant_read(cdk_app *app, struct cdk_iam_principal *grantee, int public_gallery);
/* The resource policy's validation at synthesis (the class's validate hook). */
int cdk_ecr_repository_validate(cdk_node *repo, cdk_strlist *errs);
/* ECR's lifecycle quotas (CDK_ECR_MAX_LIFECYCLE_*), as validation errors in errs. */
int cdk_ecr_lifecycle_validate(cdk_node *n, cdk_ecr_repository *repo, cdk_strlist *errs);

/* Event rules (events.c): a Rule under the repository with ECR's event pattern; the caller
 * adds the target. image_tag / image_tags may be NULL. */
struct cdk_events_rule_props;
enum { CDK_ECR_ON_EVENT = 1, CDK_ECR_ON_CLOUD_TRAIL_EVENT, CDK_ECR_ON_CLOUD_TRAIL_IMAGE_PUSHED,
       CDK_ECR_ON_IMAGE_SCAN_COMPLETED };
int cdk_ecr_on_event(cdk_node *repo, const char *id, int kind, const struct cdk_events_rule_props *props,
                     cdk_value *image_tag, cdk_value *image_tags, cdk_node **out);

/* Validation of a literal repository name (CDK's message). */
int cdk_ecr_validate_repository_name(cdk_app *app, const cdk_value *name);

#endif
