/* cdk_sqs.h: Amazon SQS for lua-cdk: what event targets need: Queue (owned and imported) with its
 * props and CDK's validations (a KMS key of its own for KMS encryption without a key), the
 * QueuePolicy, grants. Builds on the core, IAM and KMS; no Lua. */
#ifndef CDK_SQS_H
#define CDK_SQS_H

#include "cdk_core.h"
#include "cdk_iam.h"

typedef enum cdk_sqs_encryption {
    CDK_SQS_ENC_UNSET = 0, CDK_SQS_ENC_NONE, CDK_SQS_ENC_KMS_MANAGED, CDK_SQS_ENC_KMS
} cdk_sqs_encryption;

typedef struct cdk_sqs_queue_props {
    cdk_value *queue_name;
    int has_retention; double retention_seconds;
    int has_delivery_delay; double delivery_delay_seconds;
    int has_max_message_size; double max_message_size_bytes;
    int has_receive_wait; double receive_wait_seconds;
    int has_visibility_timeout; double visibility_timeout_seconds;
    cdk_node *dead_letter_queue; int has_max_receive_count; double max_receive_count;
    cdk_sqs_encryption encryption;
    cdk_value *encryption_master_key_arn;
    cdk_node *encryption_master_key;   /* the key construct, for grants */
    int has_data_key_reuse; double data_key_reuse_seconds;
    int fifo;                          /* -1 unset */
    int content_based_deduplication;   /* -1 unset */
    const char *deduplication_scope;   /* "messageGroup" or "queue" */
    const char *fifo_throughput_limit; /* "perQueue" or "perMessageGroupId" */
    cdk_removal_policy removal_policy; /* default DESTROY */
} cdk_sqs_queue_props;

typedef struct cdk_sqs_queue {
    int imported;
    cdk_physical phys;
    cdk_value *arn, *url, *name;
    cdk_node *resource;
    cdk_node *policy;
    cdk_iam_document *policy_doc;
    int fifo;
    cdk_node *encryption_master_key;
} cdk_sqs_queue;

extern const cdk_class cdk_sqs_queue_class, cdk_sqs_imported_queue_class, cdk_sqs_queue_policy_class;
extern const cdk_schema cdk_sqs_cfn_queue, cdk_sqs_cfn_queue_policy;

int cdk_sqs_queue_new(cdk_node *scope, const char *id, const cdk_sqs_queue_props *p, cdk_node **out);
/* Queue.fromQueueAttributes: name, url and key_arn may be NULL (key_arn: a kms.Key.fromKeyArn
 * child "Key"); fifo -1 unset. */
int cdk_sqs_queue_from_attributes(cdk_node *scope, const char *id, cdk_value *arn, cdk_value *name, cdk_value *url,
                                  cdk_value *key_arn, int fifo, cdk_node **out);
cdk_sqs_queue *cdk_sqs_queue_of(cdk_node *n);
int cdk_sqs_add_to_resource_policy(cdk_node *queue, cdk_iam_statement *s, int *added);
/* grant(grantee, actions...) and the canned grants: 's' send, 'c' consume, 'p' purge; send and
 * consume also grant on the queue's KMS key (encrypt-decrypt, decrypt), as CDK v1 does. */
int cdk_sqs_grant(cdk_node *queue, cdk_iam_principal *grantee, cdk_value *actions, cdk_iam_grant **out);
int cdk_sqs_grant_kind(cdk_node *queue, cdk_iam_principal *grantee, int kind, cdk_iam_grant **out);

#endif
