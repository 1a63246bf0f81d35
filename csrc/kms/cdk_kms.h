/* cdk_kms.h: AWS KMS for lua-cdk: customer-managed keys (kms.Key, with the default key policy
 * the AWS CDK v1 writes), aliases, imports, the key grants and the L1 resources. Builds on the
 * core and IAM only; no Lua. Every object lives in the App's arena. Functions return CDK_OK or a
 * code with the App's message set, in the AWS CDK's wording with Lua names.
 *
 * Keys and aliases are both IKeys: every cdk_kms_* function taking a key accepts any node for
 * which cdk_kms_key_of is non-NULL (an owned or imported key, an owned or imported alias). */
#ifndef CDK_KMS_H
#define CDK_KMS_H

#include "cdk_core.h"
#include "cdk_iam.h"

/* ---- L1 schemas (kms_l1.c) ---- */
extern const cdk_schema cdk_kms_cfn_key;
extern const cdk_schema cdk_kms_cfn_alias;
extern const cdk_schema cdk_kms_cfn_replica_key;

/* The feature flag that gives new keys the account-root `kms:*` policy (off in CDK v1 unless the
 * App's context sets it, as `cdk init` projects do). */
#define CDK_KMS_DEFAULT_KEY_POLICIES "@aws-cdk/aws-kms:defaultKeyPolicies"

/* ---- keys and aliases (key.c, alias.c) ---- */

typedef enum cdk_kms_kind {
    CDK_KMS_KEY = 1,          /* kms.Key */
    CDK_KMS_IMPORTED_KEY,     /* kms.Key.from_key_arn */
    CDK_KMS_ALIAS,            /* kms.Alias (and key:add_alias) */
    CDK_KMS_ALIAS_ATTRIBUTES, /* kms.Alias.from_alias_attributes */
    CDK_KMS_ALIAS_NAME        /* kms.Alias.from_alias_name: no target key, grants are dropped */
} cdk_kms_kind;

typedef struct cdk_kms_key {
    cdk_kms_kind kind;
    cdk_physical phys;          /* environment; for aliases also the physical (alias) name */
    cdk_value *arn;             /* keys: keyArn (aliases compute theirs: cdk_kms_key_arn) */
    cdk_value *id;              /* keys: keyId (Ref, or the imported ARN's resource name) */
    cdk_node *resource;         /* the CfnKey / CfnAlias; NULL for imports */
    cdk_iam_document *policy;   /* owned keys: the key policy; NULL otherwise */
    int trust_account_identities;
    size_t naliases;            /* aliases made by add_alias (ids "Alias", then "Alias<name>") */
    cdk_value *alias_name;      /* aliases */
    cdk_node *target;           /* aliases: the aliased key (NULL for CDK_KMS_ALIAS_NAME) */
} cdk_kms_key;

typedef struct cdk_kms_key_props {
    cdk_value *description;           /* NULL: none */
    cdk_value *alias;                 /* NULL: none; else add_alias(alias) at the end */
    int enable_key_rotation;          /* -1 unset */
    int enabled;                      /* -1 unset */
    cdk_iam_document *policy;         /* NULL: a new document */
    cdk_removal_policy removal_policy; /* UNSET: RETAIN */
    int has_pending_window;
    cdk_duration pending_window;      /* 7 to 30 days */
    cdk_iam_principal *const *admins; /* granted the admin actions */
    size_t nadmins;
    int trust_account_identities;     /* -1 unset */
    const char *key_spec;             /* NULL: SYMMETRIC_DEFAULT (not written) */
    const char *key_usage;            /* NULL: ENCRYPT_DECRYPT (not written) */
} cdk_kms_key_props;

typedef struct cdk_kms_alias_props {
    cdk_value *alias_name;            /* required; "alias/" is prefixed when missing */
    cdk_node *target_key;             /* required: an IKey */
    cdk_removal_policy removal_policy; /* UNSET: none written */
} cdk_kms_alias_props;

extern const cdk_class cdk_kms_key_class, cdk_kms_imported_key_class, cdk_kms_alias_class,
    cdk_kms_imported_alias_class;

/* The key data of an IKey node, or NULL when n is not one. */
cdk_kms_key *cdk_kms_key_of(cdk_node *n);

int cdk_kms_key_new(cdk_node *scope, const char *id, const cdk_kms_key_props *p, cdk_node **out);
/* Key.fromKeyArn: the key id is the ARN's resource name (CDK's message when there is none). */
int cdk_kms_key_from_arn(cdk_node *scope, const char *id, cdk_value *arn, cdk_node **out);
int cdk_kms_alias_new(cdk_node *scope, const char *id, const cdk_kms_alias_props *p, cdk_node **out);
int cdk_kms_alias_from_name(cdk_node *scope, const char *id, cdk_value *alias_name, cdk_node **out);
int cdk_kms_alias_from_attributes(cdk_node *scope, const char *id, cdk_value *alias_name, cdk_node *target,
                                  cdk_node **out);

/* keyArn / keyId of any IKey (an alias's ARN is formatted in its stack). NULL: out of memory. */
cdk_value *cdk_kms_key_arn(cdk_node *key);
cdk_value *cdk_kms_key_id(cdk_node *key);
/* An alias's target key; CDK's error for aliases imported by name. */
int cdk_kms_alias_target(cdk_node *alias, cdk_node **out);

/* key:add_alias(name): a kms.Alias child of the key (aliases delegate to their target). */
int cdk_kms_add_alias(cdk_node *key, cdk_value *alias_name, cdk_node **out);
/* IKey.addToResourcePolicy: *added is 0 for keys without a policy (imports), or CDK's error
 * when allow_no_op is 0. */
int cdk_kms_add_to_resource_policy(cdk_node *key, cdk_iam_statement *s, int allow_no_op, int *added);
/* The grants, with CDK's choice between the principal's policy and the key policy (cross
 * account, cross region, and a grantee stack that depends on the key's stack). */
int cdk_kms_grant(cdk_node *key, cdk_iam_principal *grantee, cdk_value *actions, cdk_iam_grant **out);
int cdk_kms_grant_encrypt(cdk_node *key, cdk_iam_principal *grantee, cdk_iam_grant **out);
int cdk_kms_grant_decrypt(cdk_node *key, cdk_iam_principal *grantee, cdk_iam_grant **out);
int cdk_kms_grant_encrypt_decrypt(cdk_node *key, cdk_iam_principal *grantee, cdk_iam_grant **out);
int cdk_kms_grant_admin(cdk_node *key, cdk_iam_principal *grantee, cdk_iam_grant **out);

/* Alias name validation as kms.Alias does it (literal names only); *out is the name with the
 * "alias/" prefix. */
int cdk_kms_check_alias_name(cdk_app *app, cdk_value *name, cdk_value **out);

#endif
