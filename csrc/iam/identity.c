/* identity.c: Role, User, Group (owned and imported), Policy and ManagedPolicy as the AWS CDK v1
 * builds them: the default policy made on the first grant, attachments, names and ARNs that
 * turn literal across environments, validation, and the overflow split of a role's default
 * policy into managed policies when it grows past IAM's size limit. */
#include <stdio.h>
#include <string.h>

#include "cdk_iam.h"

#define MAX_INLINE_SIZE 10000
#define MAX_MANAGEDPOL_SIZE 6000

static int role_validate(cdk_node *n, cdk_strlist *errs);
static int policy_validate(cdk_node *n, cdk_strlist *errs);
static int managed_validate(cdk_node *n, cdk_strlist *errs);

const cdk_class cdk_iam_role_class = {"Role", "@aws-cdk/aws-iam.Role", role_validate, NULL, NULL, NULL};
const cdk_class cdk_iam_user_class = {"User", "@aws-cdk/aws-iam.User", NULL, NULL, NULL, NULL};
const cdk_class cdk_iam_group_class = {"Group", "@aws-cdk/aws-iam.Group", NULL, NULL, NULL, NULL};
const cdk_class cdk_iam_imported_role_class = {"ImportedRole", "@aws-cdk/core.Resource", NULL, NULL, NULL, NULL};
const cdk_class cdk_iam_imported_user_class = {"ImportedUser", "@aws-cdk/core.Resource", NULL, NULL, NULL, NULL};
const cdk_class cdk_iam_imported_group_class = {"ImportedGroup", "@aws-cdk/core.Resource", NULL, NULL, NULL, NULL};
const cdk_class cdk_iam_immutable_role_class = {"ImmutableRole", "@aws-cdk/core.Resource", NULL, NULL, NULL, NULL};
const cdk_class cdk_iam_imported_policy_class = {"ImportedPolicy", "@aws-cdk/core.Resource", NULL, NULL, NULL, NULL};
const cdk_class cdk_iam_imported_managed_policy_class = {"ImportedManagedPolicy", "@aws-cdk/core.Resource", NULL, NULL,
                                                         NULL, NULL};
const cdk_class cdk_iam_policy_class = {"Policy", "@aws-cdk/aws-iam.Policy", policy_validate, NULL, NULL, NULL};
const cdk_class cdk_iam_managed_policy_class = {"ManagedPolicy", "@aws-cdk/aws-iam.ManagedPolicy", managed_validate,
                                                NULL, NULL, NULL};

cdk_iam_identity *cdk_iam_identity_of(cdk_node *n)
{
    if (n == NULL)
        return NULL;
    const cdk_class *c = n->cls;
    if (c == &cdk_iam_role_class || c == &cdk_iam_user_class || c == &cdk_iam_group_class ||
        c == &cdk_iam_imported_role_class || c == &cdk_iam_imported_user_class || c == &cdk_iam_imported_group_class ||
        c == &cdk_iam_immutable_role_class)
        return n->impl;
    return NULL;
}

/* ---- policies ---- */

typedef struct policy {
    int managed;
    cdk_physical phys;
    cdk_iam_document *doc;
    cdk_nodelist roles, users, groups;
    int force;
    int reference_taken;
    cdk_node *resource;
    cdk_value *arn;     /* managed policies */
    cdk_value *name;    /* managed policies: managedPolicyName */
} policy;

/* Policy.fromPolicyName and the ManagedPolicy imports. */
typedef struct imported_policy {
    cdk_value *name, *arn;
} imported_policy;

static policy *policy_of(cdk_node *n)
{
    return n && (n->cls == &cdk_iam_policy_class || n->cls == &cdk_iam_managed_policy_class) ? n->impl : NULL;
}

cdk_iam_document *cdk_iam_policy_document(cdk_node *n)
{
    policy *p = policy_of(n);
    return p ? p->doc : NULL;
}

int cdk_iam_is_managed_policy(cdk_node *n)
{
    return n && (n->cls == &cdk_iam_managed_policy_class || n->cls == &cdk_iam_imported_managed_policy_class);
}

static int policy_should_synthesize(cdk_node *res)
{
    policy *p = res->parent->impl;
    return p->force || p->reference_taken || (p->doc->n > 0 && p->roles.len + p->users.len + p->groups.len > 0);
}

/* A lazy list of the attached identities' names (undefinedIfEmpty). */
typedef struct names_ud {
    cdk_nodelist *list;
} names_ud;

static int produce_names(cdk_rctx *ctx, void *ud, cdk_value **out)
{
    names_ud *u = ud;
    if (u->list->len == 0) {
        *out = cdk_undefined();
        return CDK_OK;
    }
    cdk_value *l = cdk_list(ctx->app);
    for (size_t i = 0; l && i < u->list->len; i++)
        if (cdk_list_push(ctx->app, l, cdk_iam_identity_of(u->list->items[i])->name) != CDK_OK)
            return cdk_oom(ctx->app);
    *out = l;
    return l ? CDK_OK : cdk_oom(ctx->app);
}

static cdk_value *names_of(cdk_app *app, cdk_nodelist *list)
{
    names_ud *u = cdk_alloc(app, sizeof *u);
    if (u == NULL)
        return NULL;
    u->list = list;
    return cdk_token_listv(app, cdk_token_lazy(app, produce_names, u, 1, 'l'));
}

/* generatePolicyName: the logical ID of the policy's resource, its last 128 characters. */
static int produce_policy_name(cdk_rctx *ctx, void *ud, cdk_value **out)
{
    policy *p = ud;
    const char *id;
    int rc = cdk_logical_id(p->resource, &id);
    if (rc != CDK_OK)
        return rc;
    size_t n = strlen(id);
    *out = cdk_str(ctx->app, n > 128 ? id + n - 128 : id);
    return *out ? CDK_OK : cdk_oom(ctx->app);
}

static int policy_common(cdk_node *scope, const char *id, const cdk_iam_policy_props *pp, int managed, cdk_node **out)
{
    cdk_app *app = scope->app;
    cdk_node *n;
    int rc = cdk_node_new(scope, id, managed ? &cdk_iam_managed_policy_class : &cdk_iam_policy_class, sizeof(policy), &n);
    if (rc != CDK_OK)
        return rc;
    policy *p = n->impl;
    p->managed = managed;
    p->force = pp ? pp->force : 0;
    p->doc = pp && pp->document ? pp->document : cdk_iam_document_new(app, 0);
    if (p->doc == NULL)
        goto oom;
    cdk_value *name = pp ? pp->policy_name : NULL;
    if (!managed && name == NULL) {
        name = cdk_token_strv(app, cdk_token_lazy(app, produce_policy_name, p, 1, 's'));
        if (name == NULL)
            goto oom;
    }
    if ((rc = cdk_physical_init(n, name, &p->phys)) != CDK_OK)
        goto fail;
    cdk_value *props = cdk_map(app);
    if (props == NULL || cdk_map_set(app, props, "policy_document", cdk_iam_document_value(p->doc)) != CDK_OK)
        goto oom;
    if (managed) {
        cdk_value *desc = pp && pp->description ? pp->description : cdk_str(app, "");
        cdk_value *path = pp && pp->path ? pp->path : cdk_str(app, "/");
        if (cdk_map_set(app, props, "managed_policy_name", p->phys.physical_name) != CDK_OK ||
            cdk_map_set(app, props, "description", desc) != CDK_OK || cdk_map_set(app, props, "path", path) != CDK_OK)
            goto oom;
    } else if (cdk_map_set(app, props, "policy_name", p->phys.physical_name) != CDK_OK) {
        goto oom;
    }
    if (cdk_map_set(app, props, "roles", names_of(app, &p->roles)) != CDK_OK ||
        cdk_map_set(app, props, "users", names_of(app, &p->users)) != CDK_OK ||
        cdk_map_set(app, props, "groups", names_of(app, &p->groups)) != CDK_OK)
        goto oom;
    const cdk_schema *schema = managed ? &cdk_iam_cfn_managed_policy : &cdk_iam_cfn_policy;
    if ((rc = cdk_cfn_resource_new(n, "Resource", schema->cfn_type, schema, props, NULL, &p->resource)) != CDK_OK)
        goto fail;
    if (!managed)
        cdk_resource_of(p->resource)->should_synthesize = policy_should_synthesize;
    else {
        /* managedPolicyArn: the Ref, made literal in other environments */
        cdk_arn c = {0};
        c.region = cdk_str(app, "");
        c.service = cdk_str_ref(app, "iam");
        c.resource = cdk_str_ref(app, "policy");
        c.resource_name = p->phys.physical_name->kind == CDK_UNDEFINED ? NULL : p->phys.physical_name;
        p->arn = cdk_physical_arn_attr(&p->phys, cdk_resource_ref(p->resource), &c);
        /* managedPolicyName: the name part of the ARN its Ref gives */
        cdk_arn parts;
        if (p->arn == NULL ||
            (rc = cdk_arn_split(app, cdk_resource_ref(p->resource), CDK_ARN_SLASH_RESOURCE_NAME, &parts)) != CDK_OK)
            goto oom;
        if ((p->name = cdk_physical_name_attr(&p->phys, parts.resource_name)) == NULL)
            goto oom;
    }
    *out = n;
    return CDK_OK;
oom:
    rc = cdk_oom(app);
fail:
    cdk_node_discard(n);
    return rc;
}

int cdk_iam_policy_new(cdk_node *scope, const char *id, const cdk_iam_policy_props *pp, cdk_node **out)
{
    return policy_common(scope, id, pp, 0, out);
}

int cdk_iam_managed_policy_new(cdk_node *scope, const char *id, const cdk_iam_policy_props *pp, cdk_node **out)
{
    return policy_common(scope, id, pp, 1, out);
}

cdk_value *cdk_iam_policy_name(cdk_node *n)
{
    if (n && n->cls == &cdk_iam_imported_policy_class)
        return ((imported_policy *)n->impl)->name;
    policy *p = policy_of(n);
    if (p == NULL || p->managed)
        return NULL;
    p->reference_taken = 1;
    return p->phys.physical_name;
}

cdk_value *cdk_iam_managed_policy_arn(cdk_node *n)
{
    if (n && n->cls == &cdk_iam_imported_managed_policy_class)
        return ((imported_policy *)n->impl)->arn;
    policy *p = policy_of(n);
    return p && p->managed ? p->arn : NULL;
}

cdk_value *cdk_iam_managed_policy_name(cdk_node *n)
{
    policy *p = policy_of(n);
    return p && p->managed ? p->name : NULL;
}

static int imported_policy_new(cdk_node *scope, const char *id, const cdk_class *cls, cdk_value *name,
                               cdk_value *arn, cdk_node **out)
{
    cdk_node *n;
    int rc = cdk_node_new(scope, id, cls, sizeof(imported_policy), &n);
    if (rc != CDK_OK)
        return rc;
    imported_policy *ip = n->impl;
    ip->name = name;
    ip->arn = arn;
    *out = n;
    return CDK_OK;
}

int cdk_iam_policy_from_name(cdk_node *scope, const char *id, cdk_value *name, cdk_node **out)
{
    return imported_policy_new(scope, id, &cdk_iam_imported_policy_class, name, NULL, out);
}

int cdk_iam_managed_policy_from_arn(cdk_node *scope, const char *id, cdk_value *arn, cdk_node **out)
{
    return imported_policy_new(scope, id, &cdk_iam_imported_managed_policy_class, NULL, arn, out);
}

int cdk_iam_managed_policy_from_name(cdk_node *scope, const char *id, cdk_value *name, cdk_node **out)
{
    /* the ARN is formatted before the Import exists, as CDK's Stack.of(scope).formatArn */
    cdk_node *stack;
    int rc = cdk_node_stack(scope, &stack);
    if (rc != CDK_OK)
        return rc;
    cdk_arn c = {0};
    c.service = cdk_str_ref(scope->app, "iam");
    c.region = cdk_str(scope->app, "");
    c.account = cdk_stack_account(stack);
    c.resource = cdk_str_ref(scope->app, "policy");
    c.resource_name = name;
    cdk_value *arn;
    if ((rc = cdk_arn_format(stack, &c, &arn)) != CDK_OK)
        return rc;
    return imported_policy_new(scope, id, &cdk_iam_imported_managed_policy_class, NULL, arn, out);
}

cdk_value *cdk_iam_aws_managed_policy_arn(cdk_app *app, const char *name)
{
    /* Arn.format({partition: Aws.PARTITION, service: iam, region: '', account: 'aws', resource: policy}) */
    const char *part = cdk_value_str(cdk_aws_pseudo(app, "AWS::Partition"));
    char *s = part ? cdk_sprintf(app, "arn:%s:iam::aws:policy/%s", part, name) : NULL;
    return s ? cdk_str_ref(app, s) : NULL;
}

static int identity_attach(cdk_node *idn, cdk_node *pn);

/* policy.attachToRole/User/Group: the identity joins the policy's list once; a Policy (not a
 * ManagedPolicy) then asks the identity to attach it too. */
static int policy_attach(cdk_node *pn, cdk_node *idn)
{
    cdk_app *app = pn->app;
    policy *p = policy_of(pn);
    cdk_iam_identity *id = cdk_iam_identity_of(idn);
    cdk_nodelist *l;
    switch (id->kind) {
    case CDK_IAM_ROLE:
    case CDK_IAM_IMPORTED_ROLE:
    case CDK_IAM_IMMUTABLE_ROLE: l = &p->roles; break;
    case CDK_IAM_USER:
    case CDK_IAM_IMPORTED_USER: l = &p->users; break;
    default: l = &p->groups;
    }
    if (cdk_nodelist_has(l, idn))
        return CDK_OK;
    int rc = cdk_nodelist_push(app, l, idn);
    if (rc == CDK_OK && !p->managed)
        rc = identity_attach(idn, pn);
    return rc;
}

/* identity.attachInlinePolicy: AttachedPolicies.attach, then policy.attachTo*. Comparing names
 * reads policyName, which (as in CDK) counts as taking a reference to both policies. */
static int identity_attach(cdk_node *idn, cdk_node *pn)
{
    cdk_app *app = idn->app;
    cdk_iam_identity *id = cdk_iam_identity_of(idn);
    policy *p = policy_of(pn);
    if (id->kind == CDK_IAM_IMMUTABLE_ROLE)
        return CDK_OK;
    if (id->kind == CDK_IAM_IMPORTED_ROLE &&
        cdk_compare_strings(id->phys.account, p->phys.account) == CDK_CMP_DIFFERENT)
        return CDK_OK; /* a role of another account never holds this account's policies */
    for (size_t i = 0; i < id->attached.len; i++)
        if (id->attached.items[i] == pn)
            return CDK_OK;
    for (size_t i = 0; i < id->attached.len; i++) {
        policy *o = policy_of(id->attached.items[i]);
        o->reference_taken = 1;
        p->reference_taken = 1;
        if (cdk_value_equal(o->phys.physical_name, p->phys.physical_name)) {
            const char *name = cdk_value_str(p->phys.physical_name);
            return cdk_fail(app, CDK_EINVAL, "A policy named \"%s\" is already attached", name ? name : "");
        }
    }
    int rc = cdk_nodelist_push(app, &id->attached, pn);
    return rc == CDK_OK ? policy_attach(pn, idn) : rc;
}

int cdk_iam_policy_attach(cdk_node *pn, cdk_node *identity)
{
    if (policy_of(pn) == NULL || cdk_iam_identity_of(identity) == NULL)
        return cdk_fail(pn->app, CDK_EINVAL, "a policy attaches to a Role, User or Group");
    return policy_attach(pn, identity);
}

int cdk_iam_attach_inline_policy(cdk_node *identity, cdk_node *pn)
{
    policy *p = policy_of(pn);
    if (p == NULL || p->managed || cdk_iam_identity_of(identity) == NULL)
        return cdk_fail(identity->app, CDK_EINVAL, "attach_inline_policy takes an iam.Policy");
    return identity_attach(identity, pn);
}

static int policy_validate(cdk_node *n, cdk_strlist *errs)
{
    cdk_app *app = n->app;
    policy *p = n->impl;
    int rc, attached = p->roles.len + p->users.len + p->groups.len > 0;
    if (p->doc->n == 0) {
        if (p->force && (rc = cdk_strlist_push(app, errs, "Policy created with force=true is empty. You must add statements to the policy")) != CDK_OK)
            return rc;
        if (!p->force && p->reference_taken &&
            (rc = cdk_strlist_push(app, errs, "This Policy has been referenced by a resource, so it must contain at least one statement.")) != CDK_OK)
            return rc;
    }
    if (!attached) {
        if (p->force && (rc = cdk_strlist_push(app, errs, "Policy created with force=true must be attached to at least one principal: user, group or role")) != CDK_OK)
            return rc;
        if (!p->force && p->reference_taken &&
            (rc = cdk_strlist_push(app, errs, "This Policy has been referenced by a resource, so it must be attached to at least one user, group or role.")) != CDK_OK)
            return rc;
    }
    return cdk_iam_document_validate(p->doc, CDK_IAM_IDENTITY_POLICY, errs);
}

static int managed_validate(cdk_node *n, cdk_strlist *errs)
{
    policy *p = n->impl;
    int rc;
    if (p->doc->n == 0 && (rc = cdk_strlist_push(n->app, errs, "Managed Policy is empty. You must add statements to the policy")) != CDK_OK)
        return rc;
    return cdk_iam_document_validate(p->doc, CDK_IAM_IDENTITY_POLICY, errs);
}

/* ---- identities ---- */

/* UniqueStringSet / Lazy.list(omitEmpty) over the identity's managed policy ARNs. */
static int produce_managed(cdk_rctx *ctx, void *ud, cdk_value **out)
{
    cdk_iam_identity *id = ud;
    (void)ctx;
    *out = id->managed_policy_arns;
    return CDK_OK;
}

static int unique_post(cdk_rctx *ctx, void *ud, cJSON **value)
{
    (void)ud;
    cJSON *l = *value;
    if (!cJSON_IsArray(l))
        return CDK_OK;
    if (l->child == NULL) {
        cJSON_Delete(l);
        *value = NULL;
        return CDK_OK;
    }
    /* keyed by JSON; a later duplicate replaces the earlier in place (Object.values order) */
    for (cJSON *a = l->child; a; a = a->next) {
        cJSON *b = a->next;
        while (b) {
            cJSON *next = b->next;
            if (cJSON_Compare(a, b, 1))
                cJSON_Delete(cJSON_DetachItemViaPointer(l, b));
            b = next;
        }
    }
    (void)ctx;
    return CDK_OK;
}

static cdk_value *managed_arns(cdk_app *app, cdk_iam_identity *id, int unique)
{
    cdk_token *t = cdk_token_lazy(app, produce_managed, id, 0, 'l');
    if (t == NULL)
        return NULL;
    if (unique)
        t->u.lazy.post = unique_post;
    else
        t->u.lazy.omit_empty = 1;
    return cdk_token_listv(app, t);
}

static int split_large_policy(cdk_aspect *a, cdk_node *n);

static int identity_common(cdk_node *n, cdk_iam_identity_kind kind, cdk_value *name, cdk_value *managed)
{
    cdk_app *app = n->app;
    cdk_iam_identity *id = n->impl;
    id->kind = kind;
    int rc = cdk_physical_init(n, name, &id->phys);
    if (rc != CDK_OK)
        return rc;
    id->managed_policy_arns = cdk_list(app);
    if (id->managed_policy_arns == NULL)
        return cdk_oom(app);
    for (size_t i = 0; managed && i < managed->len; i++)
        if (cdk_list_push(app, id->managed_policy_arns, managed->u.list.items[i]) != CDK_OK)
            return cdk_oom(app);
    id->principal.kind = CDK_IAM_IDENTITY;
    id->principal.app = app;
    id->principal.identity = n;
    id->principal.assume_role_action = "sts:AssumeRole";
    id->principal.principal_account = id->phys.account;
    return CDK_OK;
}

static cdk_value *path_prefixed(cdk_app *app, cdk_value *path, cdk_value *physical_name)
{
    const char *p = path ? cdk_value_str(path) : NULL;
    const char *name = physical_name && physical_name->kind == CDK_STRING ? physical_name->u.str.ptr : "";
    if (p && *p == '/')
        p++;
    char *s = cdk_sprintf(app, "%s%s", p ? p : "", name);
    return s ? cdk_str_ref(app, s) : NULL;
}

static int set_arn_name(cdk_iam_identity *id, const char *resource, cdk_value *path)
{
    cdk_app *app = id->phys.owner->app;
    cdk_arn c = {0};
    c.region = cdk_str(app, "");
    c.service = cdk_str_ref(app, "iam");
    c.resource = cdk_str_ref(app, resource);
    c.resource_name = path_prefixed(app, path, id->phys.physical_name);
    id->arn = cdk_physical_arn_attr(&id->phys, cdk_resource_att(id->resource, "Arn"), &c);
    id->name = cdk_physical_name_attr(&id->phys, cdk_resource_ref(id->resource));
    return id->arn && id->name ? CDK_OK : cdk_oom(app);
}

static int validate_path(cdk_app *app, cdk_value *path)
{
    if (path == NULL || cdk_is_unresolved(path) || path->kind != CDK_STRING)
        return CDK_OK;
    const char *p = path->u.str.ptr;
    size_t n = path->len;
    if (n == 0 || n > 512)
        return cdk_fail(app, CDK_EINVAL, "Role path must be between 1 and 512 characters. The provided role path is %zu characters.", n);
    int ok = strcmp(p, "/") == 0;
    if (!ok && n >= 3 && p[0] == '/' && p[n - 1] == '/') {
        ok = 1;
        for (size_t i = 1; i + 1 < n; i++)
            if ((unsigned char)p[i] < 0x21 || (unsigned char)p[i] > 0x7f)
                ok = 0;
    }
    if (!ok)
        return cdk_fail(app, CDK_EINVAL,
                        "Role path must be either a slash or valid characters (alphanumerics and symbols) surrounded by "
                        "slashes. Valid characters are unicode characters in [\\u0021-\\u007F]. However, %s is provided.",
                        p);
    return CDK_OK;
}

int cdk_iam_role_new(cdk_node *scope, const char *idstr, const cdk_iam_role_props *rp, cdk_node **out)
{
    cdk_app *app = scope->app;
    cdk_node *n;
    int rc = cdk_node_new(scope, idstr, &cdk_iam_role_class, sizeof(cdk_iam_identity), &n);
    if (rc != CDK_OK)
        return rc;
    cdk_iam_identity *id = n->impl;
    if ((rc = identity_common(n, CDK_IAM_ROLE, rp->role_name, rp->managed_policy_arns)) != CDK_OK)
        goto fail;
    if ((id->assume_role = cdk_iam_document_new(app, 0)) == NULL)
        goto oom;
    if ((rc = cdk_iam_add_to_assume_role_policy(app, rp->assumed_by, id->assume_role, rp->external_ids)) != CDK_OK)
        goto fail;
    if (rp->has_max_session && (rp->max_session_seconds < 3600 || rp->max_session_seconds > 43200)) {
        char num[40];
        cdk_js_number(rp->max_session_seconds, num);
        rc = cdk_fail(app, CDK_EINVAL, "max_session_duration is set to %s, but must be >= 3600sec (1hr) and <= 43200sec (12hrs)", num);
        goto fail;
    }
    cdk_value *desc = rp->description;
    if (desc && desc->kind == CDK_STRING && desc->len == 0)
        desc = NULL;
    if (desc && desc->kind == CDK_STRING && cdk_js_length(desc->u.str.ptr, desc->len) > 1000) {
        rc = cdk_fail(app, CDK_EINVAL, "Role description must be no longer than 1000 characters.");
        goto fail;
    }
    if ((rc = validate_path(app, rp->path)) != CDK_OK)
        goto fail;
    cdk_value *props = cdk_map(app);
    if (props == NULL || cdk_map_set(app, props, "assume_role_policy_document", cdk_iam_document_value(id->assume_role)) != CDK_OK ||
        cdk_map_set(app, props, "managed_policy_arns", managed_arns(app, id, 1)) != CDK_OK)
        goto oom;
    if (rp->ninline > 0) {
        cdk_value *pols = cdk_list(app);
        for (size_t i = 0; pols && i < rp->ninline; i++) {
            cdk_value *pol = cdk_map(app);
            if (pol == NULL || cdk_map_set(app, pol, "policy_name", cdk_str(app, rp->inline_names[i])) != CDK_OK ||
                cdk_map_set(app, pol, "policy_document", cdk_iam_document_value(rp->inline_docs[i])) != CDK_OK ||
                cdk_list_push(app, pols, pol) != CDK_OK)
                goto oom;
        }
        if (cdk_map_set(app, props, "policies", pols) != CDK_OK)
            goto oom;
    }
    if ((rp->path && cdk_map_set(app, props, "path", rp->path) != CDK_OK) ||
        (rp->permissions_boundary_arn && cdk_map_set(app, props, "permissions_boundary", rp->permissions_boundary_arn) != CDK_OK) ||
        cdk_map_set(app, props, "role_name", id->phys.physical_name) != CDK_OK ||
        (rp->has_max_session && cdk_map_set(app, props, "max_session_duration", cdk_num(app, rp->max_session_seconds)) != CDK_OK) ||
        (desc && cdk_map_set(app, props, "description", desc) != CDK_OK))
        goto oom;
    if ((rc = cdk_cfn_resource_new(n, "Resource", "AWS::IAM::Role", &cdk_iam_cfn_role, props, NULL, &id->resource)) != CDK_OK)
        goto fail;
    /* the inline documents are validated as identity policies */
    id->inline_docs = rp->inline_docs;
    id->ninline = rp->ninline;
    id->id_attr = cdk_resource_att(id->resource, "RoleId");
    if ((rc = set_arn_name(id, "role", rp->path)) != CDK_OK)
        goto fail;
    if ((rc = cdk_node_add_aspect(n, split_large_policy, NULL)) != CDK_OK)
        goto fail;
    *out = n;
    return CDK_OK;
oom:
    rc = cdk_oom(app);
fail:
    cdk_node_discard(n);
    return rc;
}

static int role_validate(cdk_node *n, cdk_strlist *errs)
{
    cdk_iam_identity *id = n->impl;
    int rc = cdk_iam_document_validate(id->assume_role, CDK_IAM_RESOURCE_POLICY, errs);
    for (size_t i = 0; rc == CDK_OK && i < id->ninline; i++)
        rc = cdk_iam_document_validate(id->inline_docs[i], CDK_IAM_IDENTITY_POLICY, errs);
    return rc;
}

static int produce_groups(cdk_rctx *ctx, void *ud, cdk_value **out)
{
    cdk_iam_identity *id = ud;
    (void)ctx;
    *out = id->group_names->len ? id->group_names : cdk_undefined();
    return CDK_OK;
}

int cdk_iam_user_new(cdk_node *scope, const char *idstr, const cdk_iam_user_props *up, cdk_node **out)
{
    cdk_app *app = scope->app;
    cdk_node *n;
    int rc = cdk_node_new(scope, idstr, &cdk_iam_user_class, sizeof(cdk_iam_identity), &n);
    if (rc != CDK_OK)
        return rc;
    cdk_iam_identity *id = n->impl;
    if ((rc = identity_common(n, CDK_IAM_USER, up->user_name, up->managed_policy_arns)) != CDK_OK)
        goto fail;
    if ((id->group_names = cdk_list(app)) == NULL)
        goto oom;
    cdk_value *props = cdk_map(app);
    if (props == NULL || cdk_map_set(app, props, "user_name", id->phys.physical_name) != CDK_OK ||
        cdk_map_set(app, props, "groups", cdk_token_listv(app, cdk_token_lazy(app, produce_groups, id, 1, 'l'))) != CDK_OK ||
        cdk_map_set(app, props, "managed_policy_arns", managed_arns(app, id, 0)) != CDK_OK ||
        (up->path && cdk_map_set(app, props, "path", up->path) != CDK_OK) ||
        (up->permissions_boundary_arn && cdk_map_set(app, props, "permissions_boundary", up->permissions_boundary_arn) != CDK_OK))
        goto oom;
    if ((rc = cdk_cfn_resource_new(n, "Resource", "AWS::IAM::User", &cdk_iam_cfn_user, props, NULL, &id->resource)) != CDK_OK)
        goto fail;
    if ((rc = set_arn_name(id, "user", up->path)) != CDK_OK)
        goto fail;
    for (size_t i = 0; i < up->ngroups; i++)
        if ((rc = cdk_iam_user_add_to_group(n, up->groups[i])) != CDK_OK)
            goto fail;
    *out = n;
    return CDK_OK;
oom:
    rc = cdk_oom(app);
fail:
    cdk_node_discard(n);
    return rc;
}

int cdk_iam_group_new(cdk_node *scope, const char *idstr, const cdk_iam_group_props *gp, cdk_node **out)
{
    cdk_app *app = scope->app;
    cdk_node *n;
    int rc = cdk_node_new(scope, idstr, &cdk_iam_group_class, sizeof(cdk_iam_identity), &n);
    if (rc != CDK_OK)
        return rc;
    cdk_iam_identity *id = n->impl;
    if ((rc = identity_common(n, CDK_IAM_GROUP, gp->group_name, gp->managed_policy_arns)) != CDK_OK)
        goto fail;
    cdk_value *props = cdk_map(app);
    if (props == NULL || cdk_map_set(app, props, "group_name", id->phys.physical_name) != CDK_OK ||
        cdk_map_set(app, props, "managed_policy_arns", managed_arns(app, id, 0)) != CDK_OK ||
        (gp->path && cdk_map_set(app, props, "path", gp->path) != CDK_OK))
        goto oom;
    if ((rc = cdk_cfn_resource_new(n, "Resource", "AWS::IAM::Group", &cdk_iam_cfn_group, props, NULL, &id->resource)) != CDK_OK)
        goto fail;
    if ((rc = set_arn_name(id, "group", gp->path)) != CDK_OK)
        goto fail;
    *out = n;
    return CDK_OK;
oom:
    rc = cdk_oom(app);
fail:
    cdk_node_discard(n);
    return rc;
}

int cdk_iam_user_add_to_group(cdk_node *user, cdk_node *group)
{
    cdk_app *app = user->app;
    cdk_iam_identity *u = cdk_iam_identity_of(user), *g = cdk_iam_identity_of(group);
    if (u == NULL || g == NULL || (g->kind != CDK_IAM_GROUP && g->kind != CDK_IAM_IMPORTED_GROUP) ||
        (u->kind != CDK_IAM_USER && u->kind != CDK_IAM_IMPORTED_USER))
        return cdk_fail(app, CDK_EINVAL, "add_to_group: a User and a Group expected");
    if (u->kind == CDK_IAM_USER)
        return cdk_list_push(app, u->group_names, g->name);
    /* an imported user: new CfnUserToGroupAddition(Stack.of(group), `${userName}Group${n}`) */
    const char *uname = cdk_value_str(u->name);
    char *id = cdk_sprintf(app, "%sGroup%d", uname ? uname : "", u->group_additions);
    cdk_value *props = cdk_map(app), *users = cdk_list(app);
    if (id == NULL || props == NULL || users == NULL || cdk_list_push(app, users, u->name) != CDK_OK ||
        cdk_map_set(app, props, "group_name", g->name) != CDK_OK || cdk_map_set(app, props, "users", users) != CDK_OK)
        return cdk_oom(app);
    cdk_node *res;
    int rc = cdk_cfn_resource_new(group->stack, id, cdk_iam_cfn_user_to_group_addition.cfn_type,
                                  &cdk_iam_cfn_user_to_group_addition, props, NULL, &res);
    if (rc != CDK_OK)
        return rc;
    u->group_additions++;
    return CDK_OK;
}

int cdk_iam_add_managed_policy(cdk_node *n, cdk_value *arn)
{
    cdk_iam_identity *id = cdk_iam_identity_of(n);
    if (id == NULL)
        return cdk_fail(n->app, CDK_EINVAL, "add_managed_policy: a Role, User or Group expected");
    if (id->kind == CDK_IAM_IMPORTED_USER)
        return cdk_fail(n->app, CDK_EINVAL, "Cannot add managed policy to imported User");
    if (id->kind != CDK_IAM_ROLE && id->kind != CDK_IAM_USER && id->kind != CDK_IAM_GROUP)
        return CDK_OK; /* imported and immutable roles and imported groups ignore it, as in CDK */
    for (size_t i = 0; i < id->managed_policy_arns->len; i++)
        if (id->managed_policy_arns->u.list.items[i] == arn)
            return CDK_OK;
    return cdk_list_push(n->app, id->managed_policy_arns, arn);
}

/* ---- imports ---- */

static int import_common(cdk_node *scope, const char *idstr, const cdk_class *cls, cdk_iam_identity_kind kind,
                         cdk_value *arn, cdk_value *name, cdk_value *account, cdk_node **out)
{
    cdk_node *n;
    int rc = cdk_node_new(scope, idstr, cls, sizeof(cdk_iam_identity), &n);
    if (rc != CDK_OK)
        return rc;
    cdk_iam_identity *id = n->impl;
    if ((rc = identity_common(n, kind, NULL, NULL)) != CDK_OK) {
        cdk_node_discard(n);
        return rc;
    }
    if (account)
        id->phys.account = account;
    id->principal.principal_account = account ? account : id->principal.principal_account;
    id->arn = arn;
    id->name = name;
    *out = n;
    return CDK_OK;
}

static cdk_value *last_segment(cdk_app *app, cdk_value *v)
{
    if (v == NULL || v->kind != CDK_STRING || cdk_is_unresolved(v))
        return v;
    const char *s = strrchr(v->u.str.ptr, '/');
    return s ? cdk_str(app, s + 1) : v;
}

static int immutable_new(cdk_node *scope, const char *idstr, cdk_node *role, int add_grants, cdk_node **out)
{
    cdk_node *n;
    int rc = cdk_node_new(scope, idstr, &cdk_iam_immutable_role_class, sizeof(cdk_iam_identity), &n);
    if (rc != CDK_OK)
        return rc;
    cdk_iam_identity *id = n->impl, *w = cdk_iam_identity_of(role);
    if ((rc = identity_common(n, CDK_IAM_IMMUTABLE_ROLE, NULL, NULL)) != CDK_OK) {
        cdk_node_discard(n);
        return rc;
    }
    id->phys.account = w->phys.account;
    id->phys.region = w->phys.region;
    id->wrapped = role;
    id->add_grants_to_resources = add_grants;
    id->arn = w->arn;
    id->name = w->name;
    id->principal.principal_account = w->principal.principal_account;
    id->principal.assume_role_action = w->principal.assume_role_action;
    *out = n;
    return CDK_OK;
}

int cdk_iam_role_from_arn(cdk_node *scope, const char *idstr, cdk_value *arn, int mutable_,
                          int add_grants_to_resources, cdk_node **out)
{
    cdk_app *app = scope->app;
    cdk_node *stack;
    int rc = cdk_node_stack(scope, &stack);
    if (rc != CDK_OK)
        return rc;
    cdk_arn parts;
    if ((rc = cdk_arn_split(app, arn, CDK_ARN_SLASH_RESOURCE_NAME, &parts)) != CDK_OK)
        return rc;
    /* service roles have paths: the name is what follows the last '/' */
    cdk_value *name = last_segment(app, parts.resource_name);
    if (add_grants_to_resources >= 0 && mutable_)
        return cdk_fail(app, CDK_EINVAL, "'add_grants_to_resources' can only be passed if 'mutable: false'");
    cdk_value *account = parts.account ? parts.account : cdk_str(app, "");
    int cmp = cdk_compare_strings(account, cdk_stack_account(stack));
    int same = cmp != CDK_CMP_DIFFERENT;
    if (mutable_ && same)
        return import_common(scope, idstr, &cdk_iam_imported_role_class, CDK_IAM_IMPORTED_ROLE, arn, name,
                             parts.account, out);
    /* the import is a throwaway beside the immutable role that stands for it */
    char *mid = cdk_sprintf(app, "MutableRole%s", idstr);
    cdk_node *imp;
    if (mid == NULL)
        return cdk_oom(app);
    if ((rc = import_common(scope, mid, &cdk_iam_imported_role_class, CDK_IAM_IMPORTED_ROLE, arn, name,
                            parts.account, &imp)) != CDK_OK)
        return rc;
    return immutable_new(scope, idstr, imp, add_grants_to_resources > 0, out);
}

int cdk_iam_role_without_policy_updates(cdk_node *role, int add_grants_to_resources, cdk_node **out)
{
    cdk_iam_identity *id = cdk_iam_identity_of(role);
    if (id == NULL || id->kind != CDK_IAM_ROLE)
        return cdk_fail(role->app, CDK_EINVAL, "without_policy_updates: an iam.Role expected");
    if (id->immutable == NULL) {
        char *iid = cdk_sprintf(role->app, "ImmutableRole%s", role->id);
        if (iid == NULL)
            return cdk_oom(role->app);
        int rc = immutable_new(role->parent, iid, role, add_grants_to_resources > 0, &id->immutable);
        if (rc != CDK_OK)
            return rc;
    }
    *out = id->immutable;
    return CDK_OK;
}

int cdk_iam_user_from_arn(cdk_node *scope, const char *idstr, cdk_value *arn, cdk_node **out)
{
    cdk_app *app = scope->app;
    cdk_value *name;
    if (arn->kind == CDK_STRING && strncmp(arn->u.str.ptr, "arn:", 4) != 0 && cdk_is_unresolved(arn)) {
        /* Arn.extractResourceName for a token: Fn::Select(1, Fn::Split(":user/", arn)) */
        name = cdk_fn_select(app, 1, cdk_fn_split(app, ":user/", arn));
    } else {
        cdk_arn parts;
        int rc = cdk_arn_split(app, arn, CDK_ARN_SLASH_RESOURCE_NAME, &parts);
        if (rc != CDK_OK)
            return rc;
        const char *res = cdk_value_str(parts.resource);
        if (res && strcmp(res, "user") != 0)
            return cdk_fail(app, CDK_EINVAL, "Expected resource type 'user' in ARN, got '%s' in '%s'", res, arn->u.str.ptr);
        if (parts.resource_name == NULL || parts.resource_name->len == 0)
            return cdk_fail(app, CDK_EINVAL, "Expected resource name in ARN, didn't find one: '%s'", arn->u.str.ptr);
        name = last_segment(app, parts.resource_name);
    }
    if (name == NULL)
        return cdk_oom(app);
    return import_common(scope, idstr, &cdk_iam_imported_user_class, CDK_IAM_IMPORTED_USER, arn, name,
                         cdk_aws_pseudo(app, "AWS::AccountId"), out);
}

static int iam_arn(cdk_node *scope, const char *resource, cdk_value *name, cdk_value **out);

int cdk_iam_user_from_name(cdk_node *scope, const char *idstr, cdk_value *name, cdk_node **out)
{
    cdk_value *arn;
    int rc = iam_arn(scope, "user", name, &arn);
    return rc == CDK_OK ? cdk_iam_user_from_arn(scope, idstr, arn, out) : rc;
}

/* Stack.of(scope).formatArn({service: iam, region: '', resource, resourceName: name}) */
static int iam_arn(cdk_node *scope, const char *resource, cdk_value *name, cdk_value **out)
{
    cdk_node *stack;
    int rc = cdk_node_stack(scope, &stack);
    if (rc != CDK_OK)
        return rc;
    cdk_arn c = {0};
    c.service = cdk_str_ref(scope->app, "iam");
    c.region = cdk_str(scope->app, "");
    c.resource = cdk_str_ref(scope->app, resource);
    c.resource_name = name;
    return cdk_arn_format(stack, &c, out);
}

int cdk_iam_role_from_name(cdk_node *scope, const char *idstr, cdk_value *name, cdk_node **out)
{
    cdk_value *arn;
    int rc = iam_arn(scope, "role", name, &arn);
    return rc == CDK_OK ? cdk_iam_role_from_arn(scope, idstr, arn, 1, -1, out) : rc;
}

int cdk_iam_group_from_name(cdk_node *scope, const char *idstr, cdk_value *name, cdk_node **out)
{
    cdk_value *arn;
    int rc = iam_arn(scope, "group", name, &arn);
    return rc == CDK_OK ? cdk_iam_group_from_arn(scope, idstr, arn, out) : rc;
}

int cdk_iam_group_from_arn(cdk_node *scope, const char *idstr, cdk_value *arn, cdk_node **out)
{
    cdk_arn parts;
    int rc = cdk_arn_split(scope->app, arn, CDK_ARN_SLASH_RESOURCE_NAME, &parts);
    if (rc != CDK_OK)
        return rc;
    return import_common(scope, idstr, &cdk_iam_imported_group_class, CDK_IAM_IMPORTED_GROUP, arn,
                         parts.resource_name, parts.account, out);
}

/* ---- default policies and the overflow split ---- */

int cdk_iam_add_to_principal_policy(cdk_iam_principal *p, cdk_iam_statement *s, int *added)
{
    *added = 0;
    if (p->kind == CDK_IAM_WITH_CONDITIONS || p->kind == CDK_IAM_SESSION_TAGS)
        return cdk_iam_add_to_principal_policy(p->wrapped, s, added);
    if (p->kind != CDK_IAM_IDENTITY)
        return CDK_OK;
    cdk_node *n = p->identity;
    cdk_iam_identity *id = n->impl;
    int rc;
    if (id->kind == CDK_IAM_IMMUTABLE_ROLE) {
        /* ImmutableRole pretends success, unless grants should go to resources */
        *added = !id->add_grants_to_resources;
        return CDK_OK;
    }
    if (id->default_policy == NULL) {
        int imported = id->kind == CDK_IAM_IMPORTED_ROLE || id->kind == CDK_IAM_IMPORTED_USER;
        if ((rc = cdk_iam_policy_new(n, imported ? "Policy" : "DefaultPolicy", NULL, &id->default_policy)) != CDK_OK)
            return rc;
        if ((rc = identity_attach(n, id->default_policy)) != CDK_OK)
            return rc;
    }
    if ((rc = cdk_iam_document_add(cdk_iam_policy_document(id->default_policy), s)) != CDK_OK)
        return rc;
    *added = 1;
    return CDK_OK;
}

static int split_large_policy(cdk_aspect *a, cdk_node *n)
{
    (void)a;
    cdk_iam_identity *id = n->impl;
    if (id->default_policy == NULL || id->did_split)
        return CDK_OK;
    id->did_split = 1;
    cdk_iam_document **extra;
    size_t nextra;
    int rc = cdk_iam_document_split(n, cdk_iam_policy_document(id->default_policy), MAX_INLINE_SIZE,
                                    MAX_MANAGEDPOL_SIZE, &extra, &nextra);
    if (rc != CDK_OK)
        return rc;
    size_t count = id->managed_policy_arns->len + nextra;
    const char *warning = NULL;
    if (count > 20)
        warning = cdk_sprintf(n->app, "Policy too large: %zu exceeds the maximum of 20 managed policies attached to a Role", count);
    else if (count > 10)
        warning = cdk_sprintf(n->app, "Policy large: %zu exceeds 10 managed policies attached to a Role, this requires a quota increase", count);
    if (count > 10 && (warning == NULL || (rc = cdk_node_add_metadata(n, "aws:cdk:warning", cdk_str(n->app, warning))) != CDK_OK))
        return warning ? rc : cdk_oom(n->app);
    cdk_node **overflow = cdk_alloc(n->app, (nextra + 1) * sizeof *overflow);
    if (overflow == NULL)
        return cdk_oom(n->app);
    for (size_t i = 0; i < nextra; i++) {
        char pid[40];
        snprintf(pid, sizeof pid, "OverflowPolicy%zu", i + 1);
        cdk_iam_policy_props pp = {0};
        pp.document = extra[i];
        pp.description = cdk_str(n->app, cdk_sprintf(n->app, "Part of the policies for %s", n->path));
        cdk_node *mp;
        if (pp.description == NULL)
            return cdk_oom(n->app);
        if ((rc = cdk_iam_managed_policy_new(n, pid, &pp, &mp)) != CDK_OK)
            return rc;
        if ((rc = policy_attach(mp, n)) != CDK_OK)
            return rc;
        overflow[i] = mp;
    }
    /* markDeclaringConstruct: what waited for a statement now depends on the policy holding it */
    for (size_t w = 0; w < id->nwaiting_for; w++) {
        cdk_node *holder = NULL;
        if (cdk_iam_document_holds(cdk_iam_policy_document(id->default_policy), id->waiting_for[w]))
            holder = id->default_policy;
        for (size_t i = 0; holder == NULL && i < nextra; i++)
            if (cdk_iam_document_holds(extra[i], id->waiting_for[w]))
                holder = overflow[i];
        if (holder && (rc = cdk_node_add_dependency(id->waiting.items[w], holder)) != CDK_OK)
            return rc;
    }
    return CDK_OK;
}
