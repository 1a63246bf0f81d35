/* cdk_events.h: Amazon EventBridge for lua-cdk: Rule (event patterns with CDK's merging, schedules,
 * targets), target inputs, and the targets the ECR library uses (SNS topics, SQS queues, Lambda
 * functions) with the permissions the AWS CDK v1 adds for them. Builds on the core, IAM, SNS, SQS
 * and Lambda modules; no Lua. */
#ifndef CDK_EVENTS_H
#define CDK_EVENTS_H

#include "cdk_core.h"
#include "cdk_iam.h"

/* What a target's bind returns (CDK's RuleTargetConfig); unset fields are NULL. */
typedef struct cdk_events_target_config {
    const char *id;                 /* NULL: the automatic "Target<n>" */
    cdk_value *arn;                 /* required */
    cdk_value *role_arn;
    cdk_value *input, *input_path, *input_template, *input_paths_map;
    cdk_value *dead_letter_arn;
    cdk_value *retry_attempts, *max_event_age_seconds;
    int has_retry_policy, has_dead_letter;   /* written even when empty */
    cdk_value *sqs_message_group_id;
    cdk_value *kinesis_partition_key_path;
    cdk_node *target_resource;      /* the target construct, for the environment checks */
    cdk_value *target_account, *target_region;
} cdk_events_target_config;

/* A target written in C: bind fills cfg for rule under the automatic id. */
typedef struct cdk_events_target cdk_events_target;
struct cdk_events_target {
    int (*bind)(cdk_events_target *t, cdk_node *rule, const char *id, cdk_events_target_config *cfg);
    void *ud;
    const char *kind;               /* "SnsTopic", "SqsQueue", "LambdaFunction" */
};

/* A target input (RuleTargetInput): text/object/multiline rendered as JSON, or an event path. */
typedef struct cdk_events_input {
    int kind;                       /* 't' text, 'o' object, 'm' multiline, 'p' event path */
    cdk_value *value;
} cdk_events_input;
/* RuleTargetInput.bind: input, input_template and input_paths_map, or input_path, into cfg. Text,
 * multiline text and objects go through Stack.toJsonString; EventField tokens in them become
 * placeholders (CDK's error when two paths share a key). */
int cdk_events_input_bind(cdk_node *rule, const cdk_events_input *in, cdk_events_target_config *cfg);
/* EventField.fromPath: a string token standing for path (it resolves to the path itself). NULL:
 * out of memory. */
cdk_value *cdk_events_field(cdk_app *app, const char *path);

typedef struct cdk_events_rule_props {
    cdk_value *rule_name;
    cdk_value *description;
    int enabled;                    /* -1 unset */
    cdk_value *event_pattern;       /* a map with CloudFormation keys (detail-type) or NULL */
    const char *schedule;           /* the schedule expression or NULL */
    int warn_cron_minute;           /* a cron schedule without minute: CDK's warning on the rule */
    cdk_value *event_bus_name;
} cdk_events_rule_props;

extern const cdk_class cdk_events_rule_class;
int cdk_events_rule_new(cdk_node *scope, const char *id, const cdk_events_rule_props *p, cdk_node **out);
/* Binds a C target (t->bind) and adds it as cdk_events_rule_add_config does, binding it again to
 * the mirror rule when there is one. */
int cdk_events_rule_add_target(cdk_node *rule, cdk_events_target *t);
/* The automatic id the next target gets ("Target<n>"). */
const char *cdk_events_next_target_id(cdk_node *rule);
/* Adds a bound target configuration. A target_resource in another account or region than the
 * rule makes what CDK v1 makes: the target environment's default event bus as this rule's
 * target (with an "EventsRole" for another region, and an "EventBusPolicy-..." support stack for
 * another account), and a mirror rule in the target's stack: *mirror, to which the caller must
 * add the same target. Otherwise *mirror is NULL. CDK's errors for agnostic environments and
 * imported targets. */
int cdk_events_rule_add_config(cdk_node *rule, const cdk_events_target_config *cfg, cdk_node **mirror);
/* mergeEventPattern. */
int cdk_events_rule_add_event_pattern(cdk_node *rule, cdk_value *pattern);
/* The rule's ARN and name, made on first use. NULL: not a rule, or out of memory. */
cdk_value *cdk_events_rule_arn(cdk_node *rule);
cdk_value *cdk_events_rule_name(cdk_node *rule);
cdk_physical *cdk_events_rule_physical(cdk_node *rule);

/* Schedules: the expression strings of Schedule.rate / cron. */
int cdk_events_schedule_rate(cdk_app *app, cdk_duration d, const char **out);
typedef struct cdk_events_cron {
    const char *minute, *hour, *day, *month, *week_day, *year;
} cdk_events_cron;
int cdk_events_schedule_cron(cdk_app *app, const cdk_events_cron *c, const char **out);

/* Targets (targets.c). props may be NULL. */
typedef struct cdk_events_target_props {
    cdk_events_input *input;        /* message / event */
    cdk_node *dead_letter_queue;    /* an SQS queue */
    int has_retry_attempts;
    double retry_attempts;
    int has_max_event_age;
    cdk_duration max_event_age;
    cdk_value *message_group_id;    /* SQS */
} cdk_events_target_props;

int cdk_events_sns_target(cdk_node *topic, const cdk_events_target_props *p, cdk_events_target **out);
int cdk_events_sqs_target(cdk_node *queue, const cdk_events_target_props *p, cdk_events_target **out);
int cdk_events_lambda_target(cdk_node *fn, const cdk_events_target_props *p, cdk_events_target **out);
/* The input (message or event) a target of these three was made with, or NULL. */
const cdk_events_input *cdk_events_target_input(cdk_events_target *t);

extern const cdk_schema cdk_events_cfn_rule, cdk_events_cfn_event_bus_policy;

#endif
