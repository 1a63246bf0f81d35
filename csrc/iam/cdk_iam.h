/* cdk_iam.h: AWS IAM for lua-cdk: principals, policy statements and documents, grants, and the
 * identities (Role, User, Group, Policy, ManagedPolicy, imports) with CDK v1's default policies
 * and overflow splitting. Builds on the core only; no Lua. Objects live in an App's arena
 * (principals and statements made without a scope live in the binding's token holder App).
 * Errors use the AWS CDK's wording with Lua names. */
#ifndef CDK_IAM_H
#define CDK_IAM_H

#include "cdk_core.h"

typedef struct cdk_iam_principal cdk_iam_principal;
typedef struct cdk_iam_statement cdk_iam_statement;
typedef struct cdk_iam_document cdk_iam_document;
typedef struct cdk_iam_identity cdk_iam_identity;

/* ---- principals (principal.c) ---- */

typedef enum cdk_iam_principal_kind {
    CDK_IAM_ARN = 1,         /* ArnPrincipal */
    CDK_IAM_ACCOUNT,         /* AccountPrincipal */
    CDK_IAM_ACCOUNT_ROOT,    /* AccountRootPrincipal */
    CDK_IAM_ANY,             /* AnyPrincipal */
    CDK_IAM_SERVICE,         /* ServicePrincipal */
    CDK_IAM_ORGANIZATION,    /* OrganizationPrincipal */
    CDK_IAM_FEDERATED,       /* FederatedPrincipal */
    CDK_IAM_CANONICAL_USER,  /* CanonicalUserPrincipal */
    CDK_IAM_STAR,            /* StarPrincipal ("Principal": "*") */
    CDK_IAM_COMPOSITE,       /* CompositePrincipal */
    CDK_IAM_WITH_CONDITIONS, /* principal:with_conditions */
    CDK_IAM_IDENTITY,        /* a Role, User or Group (or an import), its own grant principal */
    CDK_IAM_SESSION_TAGS,    /* principal:with_session_tags */
    CDK_IAM_JSON             /* PolicyStatement.fromJson's principal: arg is the JSON (map or string) */
} cdk_iam_principal_kind;

struct cdk_iam_principal {
    cdk_iam_principal_kind kind;
    unsigned char web_identity; /* FEDERATED made as a WebIdentityPrincipal (its description) */
    cdk_app *app;               /* whose arena holds it */
    cdk_value *arg;             /* arn, account id, service, organization id, federated, canonical id */
    cdk_value *conditions;      /* map: the principal's own conditions, or NULL */
    const char *assume_role_action;
    cdk_value *principal_account; /* NULL when unknown */
    cdk_value *arn;             /* account principals: the ARN (depends on the consuming stack) */
    cdk_value *service_region;  /* ServicePrincipal's `region` option */
    cdk_iam_principal **parts;  /* CompositePrincipal */
    size_t nparts, capparts;
    cdk_iam_principal *wrapped; /* with_conditions */
    cdk_node *identity;         /* IDENTITY: the Role/User/Group construct */
};

cdk_iam_principal *cdk_iam_principal_new(cdk_app *app, cdk_iam_principal_kind kind, cdk_value *arg);
int cdk_iam_service_principal(cdk_app *app, cdk_value *service, cdk_value *conditions, cdk_value *region,
                              cdk_iam_principal **out);
int cdk_iam_federated_principal(cdk_app *app, cdk_value *federated, cdk_value *conditions,
                                const char *assume_role_action, cdk_iam_principal **out);
/* WebIdentityPrincipal: a federated principal assuming with sts:AssumeRoleWithWebIdentity. */
int cdk_iam_web_identity_principal(cdk_app *app, cdk_value *provider, cdk_value *conditions,
                                   cdk_iam_principal **out);
int cdk_iam_composite_add(cdk_iam_principal *composite, cdk_iam_principal *p);
cdk_iam_principal *cdk_iam_with_conditions(cdk_iam_principal *p, cdk_value *conditions);
/* PrincipalWithConditions.addCondition: merges value into the operator's map. */
int cdk_iam_principal_add_condition(cdk_iam_principal *p, const char *op, cdk_value *value);
/* SessionTagsPrincipal: its assume-role statements also allow sts:TagSession. */
cdk_iam_principal *cdk_iam_with_session_tags(cdk_iam_principal *p);
/* The principal's policy fragment: principal JSON (ordered map of key -> list of values) and
 * conditions (map, possibly empty). Arena values of app. */
int cdk_iam_fragment(cdk_app *app, cdk_iam_principal *p, cdk_value **json, cdk_value **conditions);
/* mergePrincipal: appends source's principal JSON to target's (CDK's error when a literal
 * principal string would share a statement). */
int cdk_iam_merge_principal(cdk_app *app, cdk_value *target, const cdk_value *source);
/* A service principal name as CDK renders it (region-aware token). */
cdk_value *cdk_iam_service_principal_name(cdk_app *app, cdk_value *service, cdk_value *region);
/* Adds the principal to an assume-role policy (CDK's addToAssumeRolePolicy). */
int cdk_iam_add_to_assume_role_policy(cdk_app *app, cdk_iam_principal *p, cdk_iam_document *doc,
                                      cdk_value *external_ids);
/* ComparablePrincipal.dedupeStringFor: equal strings mean interchangeable principals; NULL for
 * principals only equal to themselves (owned identities). Arena string. */
const char *cdk_iam_principal_dedupe(cdk_app *app, cdk_iam_principal *p);
/* Whether the principal renders as a literal string ("Principal": "*"). */
int cdk_iam_principal_is_literal(cdk_app *app, cdk_iam_principal *p);
/* For messages: ServicePrincipal(x), ArnPrincipal(...), a Role's path, ... */
const char *cdk_iam_principal_describe(cdk_app *app, cdk_iam_principal *p);

/* ---- statements and documents (statement.c) ---- */

/* What only some statements have (those of resource policies, merged ones): kept apart so that
 * the many statements of identity policies do not carry it. Read it with cdk_iam_statement_x
 * (all empty for a statement without); statement.c makes a statement's own when it writes. */
typedef struct cdk_iam_statement_extra {
    cdk_iam_principal **principals, **not_principals;
    size_t nprincipals, nnot_principals, cap_p, cap_np;
    const char *principal_conditions_json; /* all principals must share their conditions */
    cdk_iam_statement **origins; /* a merged statement: the statements it stands for */
    size_t norigins;
} cdk_iam_statement_extra;

struct cdk_iam_statement {
    cdk_value *sid;             /* string or NULL */
    const char *effect;         /* "Allow" or "Deny" */
    cdk_value *actions, *not_actions, *resources, *not_resources; /* lists of strings */
    cdk_value *principal, *not_principal; /* principal JSON: key -> list */
    cdk_value *conditions;      /* operator -> map */
    cdk_app *app;               /* whose arena holds it */
    cdk_iam_statement_extra *x; /* NULL until needed */
};

const cdk_iam_statement_extra *cdk_iam_statement_x(const cdk_iam_statement *s);

cdk_iam_statement *cdk_iam_statement_new(cdk_app *app);
int cdk_iam_statement_add_actions(cdk_iam_statement *s, cdk_value *const *actions, size_t n, int not);
int cdk_iam_statement_add_resources(cdk_iam_statement *s, cdk_value *const *arns, size_t n, int not);
int cdk_iam_statement_add_principal(cdk_iam_statement *s, cdk_iam_principal *p, int not);
int cdk_iam_statement_add_condition(cdk_iam_statement *s, const char *op, cdk_value *value);
/* Validates an action string as CDK does when a statement is built. */
int cdk_iam_check_action(cdk_app *app, const cdk_value *action);
/* PolicyStatement.fromJson / PolicyDocument.fromJson over a map as CloudFormation writes it. */
int cdk_iam_statement_from_json(cdk_app *app, const cdk_value *obj, cdk_iam_statement **out);
int cdk_iam_document_from_json(cdk_app *app, const cdk_value *obj, cdk_iam_document **out);
/* The statement as CDK's toStatementJson (normalized, unresolved). */
cdk_value *cdk_iam_statement_json(cdk_app *app, cdk_iam_statement *s);
/* Validation messages (arena strings) for any/resource/identity policies. */
int cdk_iam_statement_validate(cdk_app *app, cdk_iam_statement *s, int kind, cdk_strlist *errs);
enum { CDK_IAM_ANY_POLICY, CDK_IAM_RESOURCE_POLICY, CDK_IAM_IDENTITY_POLICY };

struct cdk_iam_document {
    cdk_iam_statement **statements;
    size_t n, cap;
    int assign_sids;
    int minimize;               /* -1: the @aws-cdk/aws-iam:minimizePolicies flag decides */
    int sort;                   /* while resolving: the post-processor sorts (minimized documents) */
    cdk_app *app;
    cdk_value *value;           /* the token value standing for the document */
};

cdk_iam_document *cdk_iam_document_new(cdk_app *app, int assign_sids);
int cdk_iam_document_add(cdk_iam_document *d, cdk_iam_statement *s);
/* The document as a value (a token resolving to {Statement, Version}, or to undefined when
 * empty; duplicate statements removed after resolution as CDK's post-processor does). */
cdk_value *cdk_iam_document_value(cdk_iam_document *d);
int cdk_iam_document_validate(cdk_iam_document *d, int kind, cdk_strlist *errs);
/* A resource policy made the way CDK's TopicPolicy and QueuePolicy are: construct `Policy` of
 * class cls under owner, whose `Resource` is an L1 of cfn_type with {policy_document = a new
 * document, <targets_key> = [target]}; *doc is that document, to add statements to. */
int cdk_iam_resource_policy_new(cdk_node *owner, const cdk_class *cls, const char *cfn_type, const cdk_schema *schema,
                                const char *targets_key, cdk_value *target, int assign_sids, cdk_node **policy,
                                cdk_iam_document **doc);
/* PolicyDocument.shouldMerge: minimize, else the feature flag in scope's context. */
int cdk_iam_document_should_merge(cdk_iam_document *d, cdk_node *scope);
/* mergeStatements: merges statements in place (limit_size: none above 2000 estimated bytes). */
int cdk_iam_document_merge(cdk_node *scope, cdk_iam_document *d, int limit_size);
/* CDK's size-based split: statements beyond self_max go to new documents of split_max. */
int cdk_iam_document_split(cdk_node *scope, cdk_iam_document *d, size_t self_max, size_t split_max,
                           cdk_iam_document ***extra, size_t *nextra);

/* ---- identities (identity.c) ---- */

typedef enum cdk_iam_identity_kind {
    CDK_IAM_ROLE = 1, CDK_IAM_USER, CDK_IAM_GROUP,
    CDK_IAM_IMPORTED_ROLE, CDK_IAM_IMPORTED_USER, CDK_IAM_IMPORTED_GROUP,
    CDK_IAM_IMMUTABLE_ROLE   /* Role.fromRoleArn(mutable: false), role.withoutPolicyUpdates() */
} cdk_iam_identity_kind;

struct cdk_iam_identity {
    cdk_iam_identity_kind kind;
    cdk_physical phys;
    cdk_value *arn, *name, *id_attr;   /* roleArn/userArn/groupArn, names, roleId */
    cdk_node *resource;                /* the CfnRole/CfnUser/CfnGroup */
    cdk_iam_document *assume_role;     /* roles */
    cdk_value *assumed_by_desc;
    cdk_node *default_policy;          /* the Policy construct, once made */
    cdk_value *managed_policy_arns;    /* list */
    cdk_value *group_names;            /* users: list */
    cdk_iam_principal principal;       /* the identity as grant principal */
    cdk_nodelist attached;             /* inline Policy constructs attached */
    cdk_iam_document **inline_docs;    /* roles: inline_policies, validated at synthesis */
    size_t ninline;
    int did_split;
    cdk_node *wrapped;                 /* immutable roles: the role they stand for */
    int add_grants_to_resources;       /* immutable roles: grants fall through to resources */
    cdk_node *immutable;               /* roles: what without_policy_updates() returned */
    int group_additions;               /* imported users: CfnUserToGroupAddition count */
    cdk_nodelist waiting;              /* roles: constructs to depend on the policy of ... */
    cdk_iam_statement **waiting_for;   /* ... these statements, once the policy is split */
    size_t nwaiting_for;
};

typedef struct cdk_iam_role_props {
    cdk_iam_principal *assumed_by;     /* required */
    cdk_value *role_name;
    cdk_value *managed_policy_arns;    /* list of ARN values or NULL */
    const char **inline_names;         /* inline policies */
    cdk_iam_document **inline_docs;
    size_t ninline;
    cdk_value *description;
    int has_max_session;
    double max_session_seconds;
    cdk_value *path;
    cdk_value *external_ids;           /* list or NULL */
    cdk_value *permissions_boundary_arn;
} cdk_iam_role_props;

typedef struct cdk_iam_user_props {
    cdk_value *user_name;
    cdk_value *managed_policy_arns;
    cdk_value *path;
    cdk_value *permissions_boundary_arn;
    cdk_node **groups;
    size_t ngroups;
} cdk_iam_user_props;

typedef struct cdk_iam_group_props {
    cdk_value *group_name;
    cdk_value *managed_policy_arns;
    cdk_value *path;
} cdk_iam_group_props;

extern const cdk_class cdk_iam_role_class, cdk_iam_user_class, cdk_iam_group_class;
extern const cdk_class cdk_iam_policy_class, cdk_iam_managed_policy_class;
extern const cdk_class cdk_iam_imported_role_class, cdk_iam_imported_user_class, cdk_iam_imported_group_class;
extern const cdk_class cdk_iam_immutable_role_class;
extern const cdk_class cdk_iam_imported_policy_class, cdk_iam_imported_managed_policy_class;

int cdk_iam_role_new(cdk_node *scope, const char *id, const cdk_iam_role_props *p, cdk_node **out);
int cdk_iam_user_new(cdk_node *scope, const char *id, const cdk_iam_user_props *p, cdk_node **out);
int cdk_iam_group_new(cdk_node *scope, const char *id, const cdk_iam_group_props *p, cdk_node **out);
/* Role.fromRoleArn. mutable_ 0 (or a role of another account) gives an immutable role whose
 * import is the child MutableRole<id>; add_grants_to_resources is -1 when not given. */
int cdk_iam_role_from_arn(cdk_node *scope, const char *id, cdk_value *arn, int mutable_,
                          int add_grants_to_resources, cdk_node **out);
/* role.withoutPolicyUpdates(): an immutable wrapper, made once (ImmutableRole<id> beside it). */
int cdk_iam_role_without_policy_updates(cdk_node *role, int add_grants_to_resources, cdk_node **out);
int cdk_iam_role_from_name(cdk_node *scope, const char *id, cdk_value *name, cdk_node **out);
int cdk_iam_user_from_arn(cdk_node *scope, const char *id, cdk_value *arn, cdk_node **out);
int cdk_iam_group_from_name(cdk_node *scope, const char *id, cdk_value *name, cdk_node **out);
int cdk_iam_user_from_name(cdk_node *scope, const char *id, cdk_value *name, cdk_node **out);
int cdk_iam_group_from_arn(cdk_node *scope, const char *id, cdk_value *arn, cdk_node **out);
cdk_iam_identity *cdk_iam_identity_of(cdk_node *n);
int cdk_iam_add_managed_policy(cdk_node *identity, cdk_value *arn);
/* Owned users join the group's name list; imported users get a CfnUserToGroupAddition in the
 * group's stack, as CDK does. */
int cdk_iam_user_add_to_group(cdk_node *user, cdk_node *group);
/* identity.attachInlinePolicy(policy) (a Policy, not a ManagedPolicy). */
int cdk_iam_attach_inline_policy(cdk_node *identity, cdk_node *policy);

/* Policy (an inline AWS::IAM::Policy) and ManagedPolicy. */
typedef struct cdk_iam_policy_props {
    cdk_value *policy_name;
    cdk_iam_document *document;        /* NULL: a new empty one */
    int force;
    cdk_value *description;            /* managed policies */
    cdk_value *path;                   /* managed policies */
} cdk_iam_policy_props;

int cdk_iam_policy_new(cdk_node *scope, const char *id, const cdk_iam_policy_props *p, cdk_node **out);
int cdk_iam_managed_policy_new(cdk_node *scope, const char *id, const cdk_iam_policy_props *p, cdk_node **out);
/* The document of a Policy or ManagedPolicy (NULL for anything else, imports included). */
cdk_iam_document *cdk_iam_policy_document(cdk_node *policy);
int cdk_iam_is_managed_policy(cdk_node *policy);
/* policy.attachToRole/User/Group (by the identity's kind). */
int cdk_iam_policy_attach(cdk_node *policy, cdk_node *identity);
/* policyName of a Policy (taking a reference, as CDK's getter does) or of an imported one. */
cdk_value *cdk_iam_policy_name(cdk_node *policy);
/* managedPolicyArn of a ManagedPolicy or an imported one; NULL otherwise. */
cdk_value *cdk_iam_managed_policy_arn(cdk_node *policy);
/* managedPolicyName of a ManagedPolicy (the name part of its ARN). */
cdk_value *cdk_iam_managed_policy_name(cdk_node *policy);
/* ManagedPolicy.fromAwsManagedPolicyName: the ARN value. */
cdk_value *cdk_iam_aws_managed_policy_arn(cdk_app *app, const char *name);
/* Policy.fromPolicyName, ManagedPolicy.fromManagedPolicyArn / fromManagedPolicyName: constructs
 * that add nothing to the template. */
int cdk_iam_policy_from_name(cdk_node *scope, const char *id, cdk_value *name, cdk_node **out);
int cdk_iam_managed_policy_from_arn(cdk_node *scope, const char *id, cdk_value *arn, cdk_node **out);
int cdk_iam_managed_policy_from_name(cdk_node *scope, const char *id, cdk_value *name, cdk_node **out);

/* ---- grants (grant.c) ---- */

/* IPrincipal.addToPrincipalPolicy: 1 in *added when the principal has a policy to hold it. */
int cdk_iam_add_to_principal_policy(cdk_iam_principal *p, cdk_iam_statement *s, int *added);
/* Whether the document holds s (itself, or merged into one of its statements). */
int cdk_iam_document_holds(const cdk_iam_document *d, const cdk_iam_statement *s);

/* A resource that takes resource-policy statements (ECR repositories, KMS keys). */
typedef struct cdk_iam_resource {
    cdk_node *node;
    cdk_value *account;    /* the resource's env account */
    int (*add_to_resource_policy)(struct cdk_iam_resource *r, cdk_iam_statement *s, int *added);
} cdk_iam_resource;

typedef struct cdk_iam_grant {
    cdk_iam_principal *grantee;
    cdk_value *actions;        /* list */
    cdk_value *resource_arns;  /* list */
    cdk_iam_statement *principal_statement;
    cdk_iam_statement *resource_statement;
    /* What the grant's dependents wait for (CDK's policyDependable): the policy holding the
     * principal statement (for an owned role, known once its policy is split: dep_role and
     * dep_statement), and the resource's policy when a statement was added there. */
    cdk_node *dep_role;
    cdk_iam_statement *dep_statement;
    cdk_node *dep_policy;
    cdk_node *dep_resource;
} cdk_iam_grant;

int cdk_iam_grant_add_to_principal(cdk_app *app, cdk_iam_principal *grantee, cdk_value *actions,
                                   cdk_value *resource_arns, cdk_iam_grant **out);
int cdk_iam_grant_add_to_principal_or_resource(cdk_app *app, cdk_iam_principal *grantee, cdk_value *actions,
                                               cdk_value *resource_arns, cdk_value *resource_self_arns,
                                               cdk_iam_resource *resource, cdk_iam_grant **out);
/* Grant.addToPrincipalAndResource (KMS keys): the statement goes to the grantee's policy, and
 * one for resource_policy_principal (NULL: the grantee) on resource_self_arns (NULL:
 * resource_arns) to the resource's policy. As in CDK, the grant's principal_statement is that
 * resource-policy statement and its resource_statement is NULL. */
int cdk_iam_grant_add_to_principal_and_resource(cdk_app *app, cdk_iam_principal *grantee, cdk_value *actions,
                                                cdk_value *resource_arns, cdk_value *resource_self_arns,
                                                cdk_iam_principal *resource_policy_principal,
                                                cdk_iam_resource *resource, cdk_iam_grant **out);
/* grant.applyBefore(construct): construct depends on the grant's policies (for an owned role,
 * the DefaultPolicy or the OverflowPolicy that ends up holding the statement). */
int cdk_iam_grant_apply_before(cdk_iam_grant *g, cdk_node *construct);
/* Grant.drop: a grant that added nothing anywhere. */
int cdk_iam_grant_drop(cdk_app *app, cdk_iam_principal *grantee, cdk_iam_grant **out);
int cdk_iam_grant_assert_success(cdk_app *app, const cdk_iam_grant *g);

/* Token.compareStrings: */
enum { CDK_CMP_SAME, CDK_CMP_DIFFERENT, CDK_CMP_ONE_UNRESOLVED, CDK_CMP_BOTH_UNRESOLVED };
int cdk_compare_strings(const cdk_value *a, const cdk_value *b);

/* ---- L1 schemas (iam_l1.c) ---- */
extern const cdk_schema cdk_iam_cfn_role, cdk_iam_cfn_policy, cdk_iam_cfn_user, cdk_iam_cfn_group,
    cdk_iam_cfn_managed_policy, cdk_iam_cfn_user_to_group_addition;

#endif
