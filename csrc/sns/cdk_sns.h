/* cdk_sns.h: Amazon SNS for lua-cdk: what event targets need: Topic (owned and imported), its
 * TopicPolicy, grant_publish. Builds on the core and IAM; no Lua. */
#ifndef CDK_SNS_H
#define CDK_SNS_H

#include "cdk_core.h"
#include "cdk_iam.h"

typedef struct cdk_sns_topic_props {
    cdk_value *topic_name;
    cdk_value *display_name;
    cdk_value *master_key_arn;      /* a KMS key's ARN */
    int content_based_deduplication; /* -1 unset */
    int fifo;                        /* -1 unset */
} cdk_sns_topic_props;

typedef struct cdk_sns_topic {
    int imported;
    cdk_physical phys;
    cdk_value *arn, *name;
    cdk_node *resource;
    cdk_node *policy;               /* the TopicPolicy, once made */
    cdk_iam_document *policy_doc;
    int fifo;
} cdk_sns_topic;

extern const cdk_class cdk_sns_topic_class, cdk_sns_imported_topic_class, cdk_sns_topic_policy_class;
extern const cdk_schema cdk_sns_cfn_topic, cdk_sns_cfn_topic_policy;

int cdk_sns_topic_new(cdk_node *scope, const char *id, const cdk_sns_topic_props *p, cdk_node **out);
int cdk_sns_topic_from_arn(cdk_node *scope, const char *id, cdk_value *arn, cdk_node **out);
cdk_sns_topic *cdk_sns_topic_of(cdk_node *n);
int cdk_sns_add_to_resource_policy(cdk_node *topic, cdk_iam_statement *s, int *added);
int cdk_sns_grant_publish(cdk_node *topic, cdk_iam_principal *grantee, cdk_iam_grant **out);

#endif
