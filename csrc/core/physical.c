/* physical.c: the core Resource base of L2 constructs: physical names (literal, token, or
 * PhysicalName.GENERATE_IF_NEEDED), and name/ARN attributes that turn into the literal name or a
 * formatted ARN when another environment consumes them, as CDK's Resource does. */
#include <stddef.h>
#include <string.h>

#include "cdk_internal.h"

cdk_value *cdk_physical_marker(cdk_app *app)
{
    return cdk_str_ref(app, CDK_PHYSICAL_NAME_MARKER);
}

static int produce_name(cdk_rctx *ctx, void *ud, cdk_value **out)
{
    cdk_physical *p = ud;
    *out = p->name ? cdk_str_ref(ctx->app, p->name) : cdk_undefined();
    return *out ? CDK_OK : cdk_oom(ctx->app);
}

int cdk_physical_init(cdk_node *owner, cdk_value *name, cdk_physical *p)
{
    cdk_app *app = owner->app;
    cdk_node *stack;
    int rc = cdk_node_stack(owner, &stack);
    if (rc != CDK_OK)
        return rc;
    memset(p, 0, sizeof *p);
    p->owner = owner;
    p->account = cdk_stack_account(stack);
    p->region = cdk_stack_region(stack);
    if (name && name->kind != CDK_UNDEFINED && cdk_token_is_marker(app, name)) {
        p->generate = 1;
        p->allow_cross_env = 1;
        p->physical_name = cdk_token_strv(app, cdk_token_lazy(app, produce_name, p, 1, 's'));
        if (p->physical_name == NULL)
            return cdk_oom(app);
    } else if (name && name->kind == CDK_STRING && !cdk_is_unresolved(name)) {
        p->name = name->u.str.ptr;
        p->allow_cross_env = 1;
        p->physical_name = name;
    } else {
        p->physical_name = name ? name : cdk_undefined();
    }
    return CDK_OK;
}

int cdk_physical_env_from_arn(cdk_node *owner, const cdk_value *arn, cdk_physical *p)
{
    cdk_arn parts;
    int rc = cdk_arn_split(owner->app, arn, CDK_ARN_NO_RESOURCE_NAME, &parts);
    if (rc != CDK_OK)
        return rc;
    p->account = parts.account;
    p->region = parts.region;
    return CDK_OK;
}

static int generate_name(cdk_physical *p)
{
    cdk_node *n = p->owner;
    cdk_app *app = n->app;
    cdk_node *stack = n->stack;
    cdk_value *region = cdk_stack_region(stack), *account = cdk_stack_account(stack);
    if (cdk_is_unresolved(region) || region->len == 0)
        return cdk_fail(app, CDK_ESYNTH,
                        "Cannot generate a physical name for %s, because the region is un-resolved or missing",
                        n->path);
    if (cdk_is_unresolved(account) || account->len == 0)
        return cdk_fail(app, CDK_ESYNTH,
                        "Cannot generate a physical name for %s, because the account is un-resolved or missing",
                        n->path);
    const char *sname = cdk_stack_name(stack);
    const char *uid = cdk_node_unique_id(n);
    if (uid == NULL)
        return cdk_oom(app);
    size_t sl = strlen(sname), ul = strlen(uid);
    size_t pl = sl < 25 ? sl : 25;
    size_t us = ul > 24 ? ul - 24 : 0;
    cdk_buf h = {0};
    cdk_buf_adds(&h, sname);
    cdk_buf_adds(&h, uid);
    cdk_buf_add(&h, region->u.str.ptr, region->len);
    cdk_buf_add(&h, account->u.str.ptr, account->len);
    if (h.oom) {
        cdk_buf_free(&h);
        return cdk_oom(app);
    }
    unsigned char digest[32];
    char hex[65];
    cdk_sha256(h.data, h.len, digest);
    cdk_buf_free(&h);
    cdk_hex(digest, 32, hex);
    char *name = cdk_sprintf(app, "%.*s%s%.12s", (int)pl, sname, uid + us, hex);
    if (name == NULL)
        return cdk_oom(app);
    for (char *c = name; *c; c++)
        if (*c >= 'A' && *c <= 'Z')
            *c = (char)(*c - 'A' + 'a');
    p->name = name;
    return CDK_OK;
}

int cdk_physical_enable_cross_env(cdk_physical *p)
{
    if (!p->allow_cross_env)
        return cdk_fail(p->owner->app, CDK_ESYNTH,
                        "Cannot use resource '%s' in a cross-environment fashion, the resource's physical name "
                        "must be explicit set or use `PhysicalName.GENERATE_IF_NEEDED`",
                        p->owner->path);
    if (p->name == NULL)
        return generate_name(p);
    return CDK_OK;
}

typedef struct attr_ud {
    cdk_physical *p;
    cdk_value *attr;
    int is_arn;
    cdk_arn arn; /* last: a name attribute's attr_ud is allocated without it */
} attr_ud;

static int other_env(cdk_rctx *ctx, cdk_physical *p)
{
    cdk_node *consumer = ctx->scope ? ctx->scope->stack : NULL;
    cdk_node *producer = p->owner->stack;
    return consumer && strcmp(cdk_stack_environment(producer), cdk_stack_environment(consumer)) != 0;
}

static int mimic(cdk_rctx *ctx, cdk_token *ref, void *ud, cdk_value **out)
{
    attr_ud *a = ud;
    (void)ref;
    if (!other_env(ctx, a->p)) {
        *out = a->attr;
        return CDK_OK;
    }
    int rc = cdk_physical_enable_cross_env(a->p);
    if (rc != CDK_OK)
        return rc;
    if (!a->is_arn) {
        *out = a->p->physical_name;
        return CDK_OK;
    }
    return cdk_arn_format(a->p->owner->stack, &a->arn, out);
}

static int lazy_mimic(cdk_rctx *ctx, void *ud, cdk_value **out)
{
    return mimic(ctx, NULL, ud, out);
}

static cdk_value *mimic_reference(cdk_physical *p, cdk_value *attr, const cdk_arn *arn)
{
    cdk_app *app = p->owner->app;
    attr_ud *a = cdk_alloc(app, arn ? sizeof *a : offsetof(attr_ud, arn));
    if (a == NULL)
        return NULL;
    a->p = p;
    a->attr = attr;
    if (arn) {
        a->arn = *arn;
        a->is_arn = 1;
    }
    cdk_token *base = cdk_token_of(app, attr);
    if (base == NULL || base->kind != CDK_TOK_REF)
        return cdk_token_strv(app, cdk_token_lazy(app, lazy_mimic, a, 0, 's'));
    return cdk_token_strv(app, cdk_ref_mimic(app, base, mimic, a));
}

cdk_value *cdk_physical_name_attr(cdk_physical *p, cdk_value *name_attr)
{
    return mimic_reference(p, name_attr, NULL);
}

cdk_value *cdk_physical_arn_attr(cdk_physical *p, cdk_value *arn_attr, const cdk_arn *components)
{
    return mimic_reference(p, arn_attr, components);
}
