/* node.c: the construct tree: ids, paths, children in creation order, context, dependencies,
 * aspects and validations; and CDK's makeUniqueId. It knows no element or service. */
#include <string.h>

#include "cdk_internal.h"

const cdk_class cdk_construct_class = {"Construct", "@aws-cdk/core.Construct", NULL, NULL, NULL, NULL};

static const char *sanitize_id(cdk_app *app, const char *id)
{
    if (strchr(id, '/') == NULL)
        return cdk_strdup(app, id);
    cdk_buf b = {0};
    for (const char *p = id; *p; p++) {
        if (*p == '/')
            cdk_buf_add(&b, "--", 2);
        else
            cdk_buf_add(&b, p, 1);
    }
    const char *r = b.oom ? NULL : cdk_strdup(app, b.data);
    cdk_buf_free(&b);
    return r;
}

const cdk_node_extra *cdk_node_x(const cdk_node *n)
{
    static const cdk_node_extra none;
    return n->x ? n->x : &none;
}

cdk_node_extra *cdk_node_x_own(cdk_node *n)
{
    if (n->x == NULL)
        n->x = cdk_alloc(n->app, sizeof *n->x);
    return n->x;
}

int cdk_node_new(cdk_node *parent, const char *id, const cdk_class *cls, size_t impl_size,
                 cdk_node **out)
{
    cdk_app *app = parent->app;
    if (app->synthesizing) {
        if (parent->parent == NULL)
            return cdk_fail(app, CDK_EINVAL, "Cannot add children during synthesis");
        return cdk_fail(app, CDK_EINVAL, "Cannot add children to \"%s\" during synthesis", parent->path);
    }
    if (id == NULL || *id == '\0')
        return cdk_fail(app, CDK_EINVAL, "Only root constructs may have an empty name");
    if (cdk_str_is_unresolved(id, strlen(id)))
        return cdk_fail(app, CDK_EINVAL, "Cannot use tokens in construct ID: %s", id);
    const char *sid = sanitize_id(app, id);
    if (sid == NULL)
        return cdk_oom(app);
    if (cdk_node_find_child(parent, sid) != NULL) {
        if (parent->id[0])
            return cdk_fail(app, CDK_EINVAL, "There is already a Construct with name '%s' in %s [%s]", sid,
                            parent->cls->name, parent->id);
        return cdk_fail(app, CDK_EINVAL, "There is already a Construct with name '%s' in %s", sid,
                        parent->cls->name);
    }
    cdk_node *n = cdk_alloc(app, sizeof *n);
    if (n == NULL)
        return cdk_oom(app);
    if (impl_size) {
        n->impl = cdk_alloc(app, impl_size);
        if (n->impl == NULL)
            return cdk_oom(app);
    }
    n->app = app;
    n->parent = parent;
    n->id = sid;
    n->cls = cls;
    n->path = parent->parent == NULL ? sid : cdk_sprintf(app, "%s/%s", parent->path, sid);
    if (n->path == NULL)
        return cdk_oom(app);
    n->stack = parent->stack;
    if (parent->last_child)
        parent->last_child->next_sibling = n;
    else
        parent->first_child = n;
    parent->last_child = n;
    parent->nchildren++;
    *out = n;
    return CDK_OK;
}

/* Unlinks a node that failed to construct (it must be its parent's last child). */
void cdk_node_discard(cdk_node *n)
{
    cdk_node *p = n->parent;
    if (p == NULL || p->last_child != n)
        return;
    if (p->first_child == n) {
        p->first_child = p->last_child = NULL;
    } else {
        cdk_node *c = p->first_child;
        while (c->next_sibling != n)
            c = c->next_sibling;
        c->next_sibling = NULL;
        p->last_child = c;
    }
    p->nchildren--;
    n->parent = NULL;
}

cdk_node *cdk_node_find_child(const cdk_node *n, const char *id)
{
    for (cdk_node *c = n->first_child; c; c = c->next_sibling)
        if (strcmp(c->id, id) == 0)
            return c;
    return NULL;
}

int cdk_node_default_child(cdk_node *n, cdk_node **out)
{
    if (cdk_node_x(n)->default_child) {
        *out = cdk_node_x(n)->default_child;
        return CDK_OK;
    }
    cdk_node *res = cdk_node_find_child(n, "Resource");
    cdk_node *def = cdk_node_find_child(n, "Default");
    if (res && def)
        return cdk_fail(n->app, CDK_EINVAL,
                        "Cannot determine default child for %s. There is both a child with id \"Resource\" "
                        "and id \"Default\"",
                        n->path);
    *out = def ? def : res;
    return CDK_OK;
}

int cdk_node_stack(cdk_node *n, cdk_node **out)
{
    if (n->stack == NULL)
        return cdk_fail(n->app, CDK_EINVAL,
                        "%s at '%s' should be created in the scope of a Stack, but no Stack found",
                        n->cls->name, n->path);
    *out = n->stack;
    return CDK_OK;
}

const cJSON *cdk_node_try_get_context(const cdk_node *n, const char *key)
{
    for (; n; n = n->parent) {
        const cJSON *ctx = n->parent == NULL ? n->app->context : cdk_node_x(n)->context;
        if (ctx) {
            const cJSON *v = cJSON_GetObjectItemCaseSensitive(ctx, key);
            if (v)
                return v;
        }
    }
    return NULL;
}

int cdk_node_set_context(cdk_node *n, const char *key, const cJSON *value)
{
    cdk_app *app = n->app;
    if (n->nchildren > 0) {
        cdk_buf b = {0};
        for (cdk_node *c = n->first_child; c; c = c->next_sibling) {
            if (c != n->first_child)
                cdk_buf_add(&b, ",", 1);
            cdk_buf_adds(&b, c->id);
        }
        int rc = cdk_fail(app, CDK_EINVAL, "Cannot set context after children have been added: %s",
                          b.data ? b.data : "");
        cdk_buf_free(&b);
        return rc;
    }
    cJSON *copy = cJSON_Duplicate(value, 1);
    if (copy == NULL)
        return cdk_oom(app);
    cJSON *target;
    if (n->parent == NULL) {
        target = app->context;
    } else {
        cdk_node_extra *x = cdk_node_x_own(n);
        if (x == NULL) {
            cJSON_Delete(copy);
            return cdk_oom(app);
        }
        if (x->context == NULL) {
            /* node contexts are owned by the App, freed with it */
            cJSON *holder = app->node_contexts;
            cJSON *obj = cJSON_CreateObject();
            if (obj == NULL) {
                cJSON_Delete(copy);
                return cdk_oom(app);
            }
            cJSON_AddItemToArray(holder, obj);
            x->context = obj;
        }
        target = x->context;
    }
    cJSON_DeleteItemFromObjectCaseSensitive(target, key);
    if (!cJSON_AddItemToObject(target, key, copy)) {
        cJSON_Delete(copy);
        return cdk_oom(app);
    }
    return CDK_OK;
}

int cdk_node_add_dependency(cdk_node *n, cdk_node *target)
{
    /* CDK raises this at synthesis; here at once, since the other App may be freed before */
    if (n->app != target->app)
        return cdk_fail(n->app, CDK_EINVAL, CDK_CROSS_APP_DEPENDENCY, n->path, target->path);
    if (cdk_nodelist_has(&cdk_node_x(n)->deps, target))
        return CDK_OK;
    cdk_node_extra *x = cdk_node_x_own(n);
    return x ? cdk_nodelist_push(n->app, &x->deps, target) : cdk_oom(n->app);
}

int cdk_node_add_aspect(cdk_node *n, cdk_aspect_fn visit, void *ud)
{
    cdk_aspect *a = cdk_alloc(n->app, sizeof *a);
    if (a == NULL)
        return cdk_oom(n->app);
    a->visit = visit;
    a->ud = ud;
    cdk_node_extra *x = cdk_node_x_own(n);
    if (x == NULL)
        return cdk_oom(n->app);
    cdk_aspect **tail = &x->aspects;
    while (*tail)
        tail = &(*tail)->next;
    *tail = a;
    return CDK_OK;
}

int cdk_node_add_validation(cdk_node *n, cdk_validate_fn fn)
{
    cdk_node_extra *x = cdk_node_x_own(n);
    cdk_validate_fn *v = x ? cdk_alloc(n->app, (x->nvalidations + 1) * sizeof *v) : NULL;
    if (v == NULL)
        return cdk_oom(n->app);
    if (x->nvalidations)
        memcpy(v, x->validations, x->nvalidations * sizeof *v);
    v[x->nvalidations++] = fn;
    x->validations = v;
    return CDK_OK;
}

int cdk_node_is_ancestor(const cdk_node *ancestor, const cdk_node *n)
{
    for (; n; n = n->parent)
        if (n == ancestor)
            return 1;
    return 0;
}

int cdk_walk(cdk_node *root, int post, cdk_visit_fn fn, void *ud)
{
    int rc;
    if (!post && (rc = fn(root, ud)) != CDK_OK)
        return rc;
    for (cdk_node *c = root->first_child; c; c = c->next_sibling)
        if ((rc = cdk_walk(c, post, fn, ud)) != CDK_OK)
            return rc;
    if (post && (rc = fn(root, ud)) != CDK_OK)
        return rc;
    return CDK_OK;
}

/* ---- makeUniqueId ---- */

static void remove_non_alnum(cdk_buf *b, const char *s)
{
    for (; *s; s++) {
        char c = *s;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
            cdk_buf_add(b, &c, 1);
    }
}

static int ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return b <= a && memcmp(s + a - b, suffix, b) == 0;
}

int cdk_make_unique_id(cdk_app *app, const char *const *components, size_t n, const char **out)
{
    const char *small[16];
    const char **comps = n <= 16 ? small : cdk_alloc(app, n * sizeof *comps);
    if (comps == NULL)
        return cdk_oom(app);
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (strcmp(components[i], "Default") != 0)
            comps[k++] = components[i];
    if (k == 0)
        return cdk_fail(app, CDK_EINVAL, "Unable to calculate a unique id for an empty set of components");
    for (size_t i = 0; i < k; i++)
        if (cdk_str_is_unresolved(comps[i], strlen(comps[i])))
            return cdk_fail(app, CDK_EINVAL, "ID components may not include unresolved tokens: %s", comps[i]);
    cdk_buf b = {0};
    if (k == 1) {
        remove_non_alnum(&b, comps[0]);
        if (b.len <= 255) {
            *out = cdk_strdup(app, b.data ? b.data : "");
            cdk_buf_free(&b);
            return *out ? CDK_OK : cdk_oom(app);
        }
        b.len = 0;
    }
    cdk_buf path = {0};
    for (size_t i = 0; i < k; i++) {
        if (i)
            cdk_buf_add(&path, "/", 1);
        cdk_buf_adds(&path, comps[i]);
    }
    unsigned char md5[16];
    char hex[33];
    cdk_md5(path.data ? path.data : "", path.len, md5);
    cdk_hex(md5, 16, hex);
    cdk_buf_free(&path);
    const char *prev = NULL;
    for (size_t i = 0; i < k; i++) {
        if (prev && ends_with(prev, comps[i]))
            continue;
        prev = comps[i];
        if (strcmp(comps[i], "Resource") == 0)
            continue;
        remove_non_alnum(&b, comps[i]);
    }
    if (b.len > 240)
        b.len = 240;
    for (int i = 0; i < 8; i++) {
        char c = hex[i];
        if (c >= 'a' && c <= 'f')
            c = (char)(c - 'a' + 'A');
        cdk_buf_add(&b, &c, 1);
    }
    if (b.oom) {
        cdk_buf_free(&b);
        return cdk_oom(app);
    }
    *out = cdk_strdup(app, b.data);
    cdk_buf_free(&b);
    return *out ? CDK_OK : cdk_oom(app);
}

int cdk_node_add_metadata(cdk_node *n, const char *type, cdk_value *data)
{
    cdk_meta *m = cdk_alloc(n->app, sizeof *m);
    if (m == NULL || (m->type = cdk_strdup(n->app, type)) == NULL)
        return cdk_oom(n->app);
    m->data = data;
    m->next = NULL;
    cdk_node_extra *x = cdk_node_x_own(n);
    if (x == NULL)
        return cdk_oom(n->app);
    cdk_meta **tail = &x->meta;
    while (*tail)
        tail = &(*tail)->next;
    *tail = m;
    return CDK_OK;
}

const char *cdk_node_unique_id(cdk_node *n)
{
    size_t depth = 0;
    for (cdk_node *p = n; p->parent; p = p->parent)
        depth++;
    if (depth == 0)
        return "";
    const char **comps = cdk_alloc(n->app, depth * sizeof *comps);
    if (comps == NULL)
        return NULL;
    size_t i = depth;
    for (cdk_node *p = n; p->parent; p = p->parent)
        comps[--i] = p->id;
    const char *id = NULL;
    if (cdk_make_unique_id(n->app, comps, depth, &id) != CDK_OK)
        return NULL;
    return id;
}

const char *cdk_node_addr(cdk_node *n)
{
    cdk_buf b = {0};
    size_t depth = 0;
    for (cdk_node *p = n; p; p = p->parent)
        depth++;
    const cdk_node **scopes = cdk_alloc(n->app, depth * sizeof *scopes);
    if (scopes == NULL)
        return NULL;
    size_t i = depth;
    for (cdk_node *p = n; p; p = p->parent)
        scopes[--i] = p;
    for (i = 0; i < depth; i++) {
        if (strcmp(scopes[i]->id, "Default") == 0)
            continue;
        cdk_buf_adds(&b, scopes[i]->id);
        cdk_buf_adds(&b, "\n");
    }
    if (b.oom) {
        cdk_buf_free(&b);
        return NULL;
    }
    unsigned char digest[20];
    char hex[41];
    cdk_sha1(b.data ? b.data : "", b.len, digest);
    cdk_buf_free(&b);
    cdk_hex(digest, 20, hex);
    return cdk_sprintf(n->app, "c8%s", hex);
}
