/* cfn.c: CloudFormation elements: CfnResource (raw or described by a schema), CfnOutput,
 * CfnParameter, CfnMapping and CfnCondition; their references (Ref, Fn::GetAtt) and how each
 * renders into its template section with CDK's key order, overrides and error wrapping. */
#include <stdlib.h>
#include <string.h>

#include "cdk_internal.h"

static int resource_tree(cdk_node *n, cJSON **out);
static int output_render(cdk_node *n, cdk_rctx *ctx, cJSON *tpl);
static int output_validate(cdk_node *n, cdk_strlist *errs);
static int parameter_render(cdk_node *n, cdk_rctx *ctx, cJSON *tpl);

const cdk_class cdk_cfn_resource_class = {"CfnResource", "@aws-cdk/core.CfnResource", NULL, NULL,
                                          cdk_resource_render, NULL};
const cdk_class cdk_cfn_output_class = {"CfnOutput", "@aws-cdk/core.CfnOutput", output_validate, NULL,
                                        output_render, NULL};
const cdk_class cdk_cfn_parameter_class = {"CfnParameter", "@aws-cdk/core.CfnParameter", NULL, NULL,
                                           parameter_render, NULL};

int cdk_resource_tree_attributes(cdk_node *n, cJSON **out)
{
    return resource_tree(n, out);
}

static int element_init(cdk_node *n)
{
    n->elem = cdk_alloc(n->app, sizeof *n->elem);
    if (n->elem == NULL)
        return cdk_oom(n->app);
    n->elem->no_logical_id_metadata = cdk_feature_flag(n, "aws:cdk:disable-logicalId-metadata");
    return CDK_OK;
}

/* "Condition": the logical ID of a CfnCondition, as it is at synthesis. */
static int add_condition(cdk_node *cond, cJSON *def)
{
    const char *lid;
    int rc = cdk_logical_id(cond, &lid);
    if (rc != CDK_OK)
        return rc;
    return cJSON_AddStringToObject(def, "Condition", lid) ? CDK_OK : cdk_oom(cond->app);
}

/* ---- references ---- */

cdk_token *cdk_ref_for(cdk_node *el, const char *attr)
{
    cdk_app *app = el->app;
    struct cdk_element *e = el->elem;
    if (e == NULL)
        return NULL;
    for (cdk_refent *r = e->reftab; r; r = r->next)
        if (strcmp(r->attr, attr) == 0)
            return r->tok;
    cdk_refent *r = cdk_alloc(app, sizeof *r);
    cdk_token *t = cdk_token_alloc(app, CDK_TOK_REF);
    if (r == NULL || t == NULL)
        return NULL;
    t->u.ref.target = el;
    t->u.ref.attr = cdk_strdup(app, attr);
    t->u.ref.display = t->u.ref.attr;
    t->hint = cdk_sprintf(app, "%s.%s", el->id, attr);
    if (t->u.ref.attr == NULL || t->hint == NULL)
        return NULL;
    r->attr = t->u.ref.attr;
    r->tok = t;
    r->next = e->reftab;
    e->reftab = r;
    return t;
}

cdk_value *cdk_resource_ref(cdk_node *res)
{
    return cdk_token_strv(res->app, cdk_ref_for(res, "Ref"));
}

cdk_value *cdk_resource_att(cdk_node *res, const char *attr)
{
    return cdk_token_strv(res->app, cdk_ref_for(res, attr));
}

int cdk_element_override_logical_id(cdk_node *el, const char *id)
{
    if (el->elem == NULL)
        return cdk_fail(el->app, CDK_EINVAL, "'%s' is not a CloudFormation element", el->path);
    if (el->elem->locked)
        return cdk_fail(el->app, CDK_EINVAL,
                        "The logicalId for resource at path %s has been locked and cannot be overridden\n"
                        "Make sure you are calling \"overrideLogicalId\" before Stack.exportValue",
                        el->path);
    const char *c = cdk_strdup(el->app, id);
    if (c == NULL)
        return cdk_oom(el->app);
    el->elem->logical_id_override = c;
    return CDK_OK;
}

/* ---- resources ---- */

cdk_resource *cdk_resource_of(cdk_node *n)
{
    return n && n->elem && n->cls->render == cdk_resource_render ? n->impl : NULL;
}

int cdk_cfn_resource_new(cdk_node *parent, const char *id, const char *type, const cdk_schema *schema,
                         cdk_value *props, const cdk_class *cls, cdk_node **out)
{
    cdk_app *app = parent->app;
    cdk_node *n;
    if (type == NULL || *type == '\0')
        return cdk_fail(app, CDK_EINVAL, "The `type` property is required");
    if (cls == NULL)
        cls = schema && schema->cls.name ? &schema->cls : &cdk_cfn_resource_class;
    int rc = cdk_node_new(parent, id, cls, sizeof(cdk_resource), &n);
    if (rc != CDK_OK)
        return rc;
    if ((rc = cdk_node_stack(n, &n->stack)) != CDK_OK) {
        /* CDK names the class of the element in this message */
        cdk_node_discard(n);
        return rc;
    }
    cdk_resource *r = n->impl;
    r->type = cdk_strdup(app, type);
    r->schema = schema;
    r->props = props ? props : cdk_map(app);
    if (r->type == NULL || r->props == NULL || element_init(n) != CDK_OK)
        goto oom;
    /* CDK's CfnResource constructor: the path as a metadata entry, which cfn_options.metadata can
     * replace and add_metadata overwrite */
    if (cdk_feature_flag(n, "aws:cdk:enable-path-metadata")) {
        cdk_value *path = cdk_str(app, n->path);
        if (path == NULL || cdk_resource_add_metadata(n, "aws:cdk:path", path) != CDK_OK)
            goto oom;
    }
    if (schema && schema->tag_type != CDK_TAGS_NONE) {
        n->tags = cdk_tags_new(app, (cdk_tag_type)schema->tag_type, type);
        if (n->tags == NULL)
            goto oom;
        const cdk_value *seed = cdk_map_get(r->props, "tags");
        if (seed && seed->kind != CDK_UNDEFINED && (rc = cdk_tags_seed(n->tags, seed)) != CDK_OK) {
            cdk_node_discard(n);
            return rc;
        }
    }
    *out = n;
    return CDK_OK;
oom:
    cdk_node_discard(n);
    return cdk_oom(app);
}

int cdk_resource_apply_removal_policy(cdk_node *res, cdk_removal_policy p, cdk_removal_policy dflt,
                                      int apply_to_update_replace)
{
    cdk_resource *r = cdk_resource_of(res);
    if (r == NULL)
        return cdk_fail(res->app, CDK_EINVAL,
                        "Cannot apply RemovalPolicy: no child or not a CfnResource. Apply the removal policy on "
                        "the CfnResource directly.");
    if (p == CDK_REMOVAL_UNSET)
        p = dflt != CDK_REMOVAL_UNSET ? dflt : CDK_REMOVAL_RETAIN;
    const char *dp;
    switch (p) {
    case CDK_REMOVAL_DESTROY: dp = "Delete"; break;
    case CDK_REMOVAL_RETAIN: dp = "Retain"; break;
    case CDK_REMOVAL_SNAPSHOT: dp = "Snapshot"; break;
    default: return cdk_fail(res->app, CDK_EINVAL, "Invalid removal policy: %d", (int)p);
    }
    r->deletion_policy = dp;
    if (apply_to_update_replace)
        r->update_replace_policy = dp;
    return CDK_OK;
}

static int split_path(cdk_app *app, const char *path, cdk_strlist *out)
{
    cdk_buf cur = {0};
    int rc = CDK_OK;
    for (const char *p = path;; p++) {
        if (*p == '\\' && p[1]) {
            cdk_buf_add(&cur, p + 1, 1);
            p++;
        } else if (*p == '.' || *p == '\0') {
            const char *s = cdk_strndup(app, cur.data ? cur.data : "", cur.len);
            if (s == NULL || cur.oom) {
                rc = cdk_oom(app);
                break;
            }
            if ((rc = cdk_strlist_push(app, out, s)) != CDK_OK)
                break;
            cur.len = 0;
            if (*p == '\0')
                break;
        } else {
            cdk_buf_add(&cur, p, 1);
        }
    }
    cdk_buf_free(&cur);
    return rc;
}

int cdk_resource_add_override(cdk_node *res, const char *path, cdk_value *v)
{
    cdk_app *app = res->app;
    cdk_resource *r = cdk_resource_of(res);
    if (r == NULL)
        return cdk_fail(app, CDK_EINVAL, "'%s' is not a CfnResource", res->path);
    cdk_strlist parts = {0};
    int rc = split_path(app, path, &parts);
    if (rc != CDK_OK)
        return rc;
    if (r->overrides == NULL && (r->overrides = cdk_map(app)) == NULL)
        return cdk_oom(app);
    cdk_value *cur = r->overrides;
    for (size_t i = 0; i + 1 < parts.len; i++) {
        cdk_value *next = cdk_map_get(cur, parts.items[i]);
        if (next == NULL || next->kind != CDK_MAP) {
            next = cdk_map(app);
            if ((rc = cdk_map_set(app, cur, parts.items[i], next)) != CDK_OK)
                return rc;
        }
        cur = next;
    }
    return cdk_map_set(app, cur, parts.items[parts.len - 1], v);
}

int cdk_resource_add_depends_on(cdk_node *res, cdk_node *target)
{
    cdk_resource *r = cdk_resource_of(res);
    if (r == NULL || cdk_resource_of(target) == NULL)
        return cdk_fail(res->app, CDK_EINVAL, "add_depends_on: both constructs must be CfnResources");
    if (res == target)
        return CDK_OK;
    if (res->app != target->app)
        return cdk_fail(res->app, CDK_EINVAL, CDK_CROSS_APP_DEPENDENCY, res->path, target->path);
    if (res->stack != target->stack)
        return cdk_stack_add_dependency(res->stack, target->stack,
                                        cdk_sprintf(res->app, "\"%s\" depends on \"%s\"", res->path, target->path));
    if (cdk_nodelist_has(&r->depends_on, target))
        return CDK_OK;
    return cdk_nodelist_push(res->app, &r->depends_on, target);
}

int cdk_resource_add_metadata(cdk_node *res, const char *key, cdk_value *v)
{
    cdk_resource *r = cdk_resource_of(res);
    if (r == NULL)
        return cdk_fail(res->app, CDK_EINVAL, "'%s' is not a CfnResource", res->path);
    if (r->metadata == NULL && (r->metadata = cdk_map(res->app)) == NULL)
        return cdk_oom(res->app);
    const char *k = cdk_strdup(res->app, key);
    return k ? cdk_map_set(res->app, r->metadata, k, v) : cdk_oom(res->app);
}

/* The properties as CDK's cfnProperties: the props with the tags rendered in. With tags, the
 * map is tmp, whose entries are malloc'd (free tmp->u.map.ents after use), so that rendering
 * leaves no copy in the arena. NULL: out of memory. */
/* The resource's properties, its tags rendered among them, in the schema's order: CDK resolves
 * an L1's cfnProperties, whose keys come in that order, so that is the order in which the
 * producers run and the first error met is CDK's (a repository's lifecycle policy is resolved
 * before its policy text, whatever order the L2 set them in). Keys the schema does not name
 * follow in the order set. tmp->u.map.ents is the caller's to free. */
static cdk_value *cfn_properties(cdk_node *n, cdk_value *tmp)
{
    cdk_resource *r = n->impl;
    tmp->u.map.ents = NULL;
    if (r->schema == NULL)
        return r->props;
    cdk_value *tags = NULL;
    if (n->tags && (tags = cdk_tags_render(n->tags)) == NULL)
        return NULL;
    if (r->props->kind != CDK_MAP) {
        if (tags == NULL)
            return r->props;
        cdk_value *p = cdk_value_copy(n->app, r->props);
        return p && cdk_map_set(n->app, p, "tags", tags) == CDK_OK ? p : NULL;
    }
    size_t len = r->props->len, at = 0;
    const cdk_mapent *src = r->props->u.map.ents;
    if (tags == NULL) {
        /* already in order (the common case): no copy */
        const cdk_prop *p = r->schema->props;
        size_t i = 0;
        for (; i < len; i++) {
            while (p->name && strcmp(p->name, src[i].key) != 0)
                p++;
            if (p->name == NULL)
                break;
        }
        if (i == len)
            return r->props;
    }
    cdk_mapent *ents = malloc((len + 1) * sizeof *ents);
    char *used = calloc(len + 1, 1);
    if (ents == NULL || used == NULL) {
        free(ents);
        free(used);
        return NULL;
    }
    for (const cdk_prop *p = r->schema->props; p->name; p++) {
        if (tags && strcmp(p->name, "tags") == 0) {
            ents[at].key = "tags";
            ents[at++].value = tags;
            tags = NULL;
            for (size_t i = 0; i < len; i++)
                if (strcmp(src[i].key, "tags") == 0)
                    used[i] = 1;
            continue;
        }
        for (size_t i = 0; i < len; i++)
            if (!used[i] && strcmp(src[i].key, p->name) == 0) {
                ents[at++] = src[i];
                used[i] = 1;
                break;
            }
    }
    for (size_t i = 0; i < len; i++)
        if (!used[i] && !(tags && strcmp(src[i].key, "tags") == 0))
            ents[at++] = src[i];
    if (tags) {
        ents[at].key = "tags";
        ents[at++].value = tags;
    }
    free(used);
    tmp->kind = CDK_MAP;
    tmp->u.map.ents = ents;
    tmp->len = (uint32_t)at;
    tmp->capl = 0; /* not to be grown: ents is malloc'd */
    return tmp;
}

/* ---- schema rendering ---- */

const cdk_prop *cdk_schema_find(const cdk_schema *s, const char *name)
{
    for (const cdk_prop *p = s->props; p->name; p++)
        if (strcmp(p->name, name) == 0)
            return p;
    return NULL;
}

static int in_tree_order(const cdk_schema *s, const char *name)
{
    for (const char *const *o = s->tree_order; o && *o; o++)
        if (strcmp(*o, name) == 0)
            return 1;
    return 0;
}

/* The i-th property of s in tree.json's order (tree_order's first, then the others in props
 * order); NULL past the last. */
static const cdk_prop *tree_nth(const cdk_schema *s, size_t i)
{
    if (s->tree_order == NULL)
        return s->props[i].name ? &s->props[i] : NULL;
    size_t k = 0;
    for (; s->tree_order[k]; k++)
        if (k == i)
            return cdk_schema_find(s, s->tree_order[k]);
    i -= k;
    for (const cdk_prop *p = s->props; p->name; p++)
        if (!in_tree_order(s, p->name) && i-- == 0)
            return p;
    return NULL;
}

static char *camel_of(const char *snake, char *buf, size_t size)
{
    size_t k = 0;
    int up = 0;
    for (const char *p = snake; *p && k + 1 < size; p++) {
        if (*p == '_') {
            up = 1;
            continue;
        }
        buf[k++] = up && *p >= 'a' && *p <= 'z' ? (char)(*p - 'a' + 'A') : *p;
        up = 0;
    }
    buf[k] = '\0';
    return buf;
}

static cJSON *render_item(const cdk_prop *p, cdk_prop_type type, const cdk_schema *sub, cJSON *v, int camel);

static cJSON *render_struct(const cdk_schema *s, cJSON *obj, int camel)
{
    if (!cJSON_IsObject(obj) || cdk_json_is_intrinsic(obj))
        return obj;
    cJSON *out = cJSON_CreateObject();
    if (out == NULL) {
        cJSON_Delete(obj);
        return NULL;
    }
    /* the template's properties in CloudFormation's order, tree.json's (camel) in the L2's */
    const cdk_prop *p;
    for (size_t i = 0; (p = camel ? tree_nth(s, i) : s->props[i].name ? &s->props[i] : NULL) != NULL; i++) {
        cJSON *v = cJSON_DetachItemFromObjectCaseSensitive(obj, p->name);
        if (v == NULL)
            continue;
        cJSON *r = render_item(p, p->type, p->sub, v, camel);
        if (r == NULL) {
            cJSON_Delete(out);
            cJSON_Delete(obj);
            return NULL;
        }
        char buf[128];
        cJSON_AddItemToObject(out, camel ? camel_of(p->name, buf, sizeof buf) : p->cfn, r);
    }
    cJSON_Delete(obj);
    return out;
}

/* Puts repl in place of cur, a member of the object parent, under cur's key. (cJSON's
 * ReplaceItemViaPointer alone keeps repl's own key, none for a new item, which printed as "" and
 * hid every later key from cJSON_GetObjectItem.) Returns 0 when memory runs out; repl is freed. */
static int replace_member(cJSON *parent, cJSON *cur, cJSON *repl)
{
    if (!cJSON_ReplaceItemInObjectCaseSensitive(parent, cur->string, repl)) {
        cJSON_Delete(repl);
        return 0;
    }
    return 1;
}

/* Sets key of parent to repl, in place of cur when there is one. 0: out of memory (repl freed). */
static int put_member(cJSON *parent, cJSON *cur, const char *key, cJSON *repl)
{
    if (cur)
        return replace_member(parent, cur, repl);
    if (!cJSON_AddItemToObject(parent, key, repl)) {
        cJSON_Delete(repl);
        return 0;
    }
    return 1;
}

static cJSON *render_item(const cdk_prop *p, cdk_prop_type type, const cdk_schema *sub, cJSON *v, int camel)
{
    switch (type) {
    case CDK_P_STRUCT:
        return sub ? render_struct(sub, v, camel) : v;
    case CDK_P_TAGS:
    case CDK_P_LIST:
        if (cJSON_IsArray(v) && sub) {
            cJSON *out = cJSON_CreateArray();
            while (out && v->child) {
                cJSON *item = cJSON_DetachItemViaPointer(v, v->child);
                cJSON *r = render_struct(sub, item, camel);
                if (r == NULL) {
                    cJSON_Delete(out);
                    out = NULL;
                    break;
                }
                cJSON_AddItemToArray(out, r);
            }
            cJSON_Delete(v);
            return out;
        }
        return v;
    case CDK_P_MAP:
        if (cJSON_IsObject(v) && sub && !cdk_json_is_intrinsic(v)) {
            for (cJSON *c = v->child; c; c = c->next) {
                cJSON *nv = render_struct(sub, cJSON_Duplicate(c, 1), camel);
                if (nv == NULL) {
                    cJSON_Delete(v);
                    return NULL;
                }
                if (!replace_member(v, c, nv)) {
                    cJSON_Delete(v);
                    return NULL;
                }
                c = nv;
            }
        }
        return v;
    default:
        (void)p;
        return v;
    }
}

cJSON *cdk_schema_render(const cdk_schema *s, cJSON *resolved)
{
    return render_struct(s, resolved, 0);
}

cJSON *cdk_schema_camel(const cdk_schema *s, const cJSON *resolved)
{
    cJSON *copy = cJSON_Duplicate(resolved, 1);
    return copy ? render_struct(s, copy, 1) : NULL;
}

/* ---- overrides: CDK's deepMerge ---- */

static int json_deep_merge(cJSON *target, cJSON *source)
{
    while (source->child) {
        cJSON *v = cJSON_DetachItemViaPointer(source, source->child);
        const char *key = v->string;
        cJSON *cur = cJSON_GetObjectItemCaseSensitive(target, key);
        if (cJSON_IsObject(v)) {
            if (!cJSON_IsObject(cur)) {
                cJSON *fresh = cJSON_CreateObject();
                if (fresh == NULL) {
                    cJSON_Delete(v);
                    return 0;
                }
                if (!put_member(target, cur, key, fresh)) {
                    cJSON_Delete(v);
                    return 0;
                }
                cur = fresh;
            }
            if (!json_deep_merge(cur, v)) {
                cJSON_Delete(v);
                return 0;
            }
            cJSON_Delete(v);
            if (cur->child == NULL)
                cJSON_DeleteItemFromObjectCaseSensitive(target, key);
        } else if (cur) {
            if (!replace_member(target, cur, v))
                return 0;
        } else {
            cJSON_AddItemToObject(target, key, v);
        }
    }
    return 1;
}

/* The index of key among the properties of s, -1 when it is none of them. */
static int schema_index(const cdk_schema *s, const char *key)
{
    for (int i = 0; s->props[i].name; i++)
        if (strcmp(s->props[i].cfn, key) == 0)
            return i;
    return -1;
}

/* Adds item under key to target. An object CDK rendered from a schema holds every property of the
 * schema (the unset ones undefined) in the schema's order, so a property set by an override takes
 * its place there, before the other keys overrides added; schema NULL: the end. 0: out of memory
 * (item freed). */
static int add_member(cJSON *target, const char *key, cJSON *item, const cdk_schema *schema)
{
    if (!cJSON_AddItemToObject(target, key, item)) {
        cJSON_Delete(item);
        return 0;
    }
    int k = schema ? schema_index(schema, key) : -1;
    if (k < 0)
        return 1;
    cJSON *c = target->child;
    while (c != item) {
        int ci = schema_index(schema, c->string);
        if (ci < 0 || ci > k)
            break;
        c = c->next;
    }
    /* the members from c on go after item, in their order (detached and added back: a member
     * keeps its key) */
    while (c != item) {
        cJSON *next = c->next;
        cJSON_AddItemToArray(target, cJSON_DetachItemViaPointer(target, c));
        c = next;
    }
    return 1;
}

static int merge_overrides(cdk_rctx *ctx, cJSON *target, const cdk_value *src, const cdk_schema *schema,
                           const cdk_schema *props_schema);

/* JavaScript's array index: "0", or digits without a leading zero, below 2^32 - 1. */
static int array_index(const char *k, double *out)
{
    if (*k == '\0' || (k[0] == '0' && k[1] != '\0'))
        return 0;
    double d = 0;
    for (const char *p = k; *p; p++) {
        if (*p < '0' || *p > '9')
            return 0;
        d = d * 10 + (*p - '0');
        if (d >= 4294967295.0)
            return 0;
    }
    *out = d;
    return 1;
}

typedef struct aslot {
    double idx;
    cJSON *item;
} aslot;

/* Puts item at index idx, in slot j of the n slots of s: in place of the element found there,
 * else inserted before slot j. */
static void aslot_put(aslot *s, size_t *n, size_t j, int found, double idx, cJSON *item)
{
    if (found) {
        cJSON_Delete(s[j].item);
    } else {
        memmove(&s[j + 1], &s[j], (*n - j) * sizeof *s);
        (*n)++;
        s[j].idx = idx;
    }
    s[j].item = item;
}

/* deepMerge into an array, as JavaScript does it: keys that are indexes set, merge into or delete
 * (leaving a hole) the element there, past the end too; other keys become properties of the array,
 * which JSON never shows. CDK resolves the template once more, which drops the holes: the array is
 * rebuilt from what is left, in index order. item_schema: the struct its items were rendered from. */
static int merge_into_array(cdk_rctx *ctx, cJSON *arr, const cdk_value *src, const cdk_schema *item_schema)
{
    size_t len = 0, cap = (size_t)cJSON_GetArraySize(arr) + src->len + 1;
    aslot *s = malloc(cap * sizeof *s);
    if (s == NULL)
        return cdk_oom(ctx->app);
    while (arr->child) {
        s[len].idx = (double)len;
        s[len].item = cJSON_DetachItemViaPointer(arr, arr->child);
        len++;
    }
    int rc = CDK_OK;
    for (size_t i = 0; rc == CDK_OK && i < src->len; i++) {
        double idx;
        if (!array_index(src->u.map.ents[i].key, &idx))
            continue;
        const cdk_value *v = src->u.map.ents[i].value;
        size_t j = 0;
        while (j < len && s[j].idx < idx)
            j++;
        int found = j < len && s[j].idx == idx;
        cJSON *item = NULL;
        if (v->kind != CDK_UNDEFINED && v->kind != CDK_MAP && (rc = cdk_resolve(ctx, v, &item)) != CDK_OK)
            break;
        if (v->kind == CDK_UNDEFINED || (v->kind != CDK_MAP && item == NULL)) {
            if (found) {
                cJSON_Delete(s[j].item);
                memmove(&s[j], &s[j + 1], (len - j - 1) * sizeof *s);
                len--;
            }
            continue;
        }
        if (v->kind == CDK_MAP || cJSON_IsObject(item)) {
            /* merge into the element when it is an object (or an array), else into a fresh object */
            if (!found || !(cJSON_IsObject(s[j].item) || cJSON_IsArray(s[j].item))) {
                cJSON *fresh = cJSON_CreateObject();
                if (fresh == NULL) {
                    cJSON_Delete(item);
                    rc = cdk_oom(ctx->app);
                    break;
                }
                aslot_put(s, &len, j, found, idx, fresh);
            }
            cJSON *el = s[j].item;
            if (v->kind == CDK_MAP)
                rc = cJSON_IsArray(el) ? merge_into_array(ctx, el, v, NULL)
                                       : merge_overrides(ctx, el, v, found ? item_schema : NULL, NULL);
            else if (!json_deep_merge(el, item))
                rc = cdk_oom(ctx->app);
            cJSON_Delete(item);
            if (rc == CDK_OK && el->child == NULL) {
                cJSON_Delete(el);
                memmove(&s[j], &s[j + 1], (len - j - 1) * sizeof *s);
                len--;
            }
            continue;
        }
        aslot_put(s, &len, j, found, idx, item);
    }
    for (size_t j = 0; j < len; j++)
        cJSON_AddItemToArray(arr, s[j].item);
    free(s);
    return rc;
}

/* deepMerge of the overrides src into target; schema: the schema target was rendered from (NULL
 * when none or when target is fresh); props_schema: the resource's, for its Properties. */
static int merge_overrides(cdk_rctx *ctx, cJSON *target, const cdk_value *src, const cdk_schema *schema,
                           const cdk_schema *props_schema)
{
    for (size_t i = 0; i < src->len; i++) {
        const char *key = src->u.map.ents[i].key;
        const cdk_value *v = src->u.map.ents[i].value;
        cJSON *cur = cJSON_GetObjectItemCaseSensitive(target, key);
        if (v->kind == CDK_UNDEFINED) {
            cJSON_DeleteItemFromObjectCaseSensitive(target, key);
            continue;
        }
        if (v->kind == CDK_MAP && cJSON_IsArray(cur)) {
            /* JavaScript merges into an array by index (Properties.Rules.0.Destinations.0.Region) */
            const cdk_schema *items = NULL;
            int k = schema ? schema_index(schema, key) : -1;
            if (k >= 0 && schema->props[k].type == CDK_P_LIST)
                items = schema->props[k].sub;
            int rc = merge_into_array(ctx, cur, v, items);
            if (rc != CDK_OK)
                return rc;
            if (cur->child == NULL)
                cJSON_DeleteItemFromObjectCaseSensitive(target, key);
            continue;
        }
        if (v->kind == CDK_MAP) {
            const cdk_schema *sub = NULL;
            if (!cJSON_IsObject(cur)) {
                cJSON *fresh = cJSON_CreateObject();
                if (fresh == NULL)
                    return cdk_oom(ctx->app);
                if (!(cur ? replace_member(target, cur, fresh) : add_member(target, key, fresh, schema)))
                    return cdk_oom(ctx->app);
                cur = fresh;
            } else if (props_schema && strcmp(key, "Properties") == 0) {
                sub = props_schema;
            } else if (schema) {
                int k = schema_index(schema, key);
                if (k >= 0 && schema->props[k].type == CDK_P_STRUCT)
                    sub = schema->props[k].sub;
            }
            int rc = merge_overrides(ctx, cur, v, sub, NULL);
            if (rc != CDK_OK)
                return rc;
            if (cur->child == NULL)
                cJSON_DeleteItemFromObjectCaseSensitive(target, key);
            continue;
        }
        cJSON *r = NULL;
        int rc = cdk_resolve(ctx, v, &r);
        if (rc != CDK_OK)
            return rc;
        if (r == NULL) {
            cJSON_DeleteItemFromObjectCaseSensitive(target, key);
        } else if (cJSON_IsObject(r)) {
            cJSON *wrap = cJSON_CreateObject();
            if (wrap == NULL) {
                cJSON_Delete(r);
                return cdk_oom(ctx->app);
            }
            /* the object deepMerge makes for a new key takes the key's place in the schema */
            cJSON *fresh = cur ? NULL : cJSON_CreateObject();
            if (cur == NULL && (fresh == NULL || !add_member(target, key, fresh, schema))) {
                cJSON_Delete(wrap);
                cJSON_Delete(r);
                return cdk_oom(ctx->app);
            }
            cJSON_AddItemToObject(wrap, key, r);
            if (!json_deep_merge(target, wrap)) {
                cJSON_Delete(wrap);
                return cdk_oom(ctx->app);
            }
            cJSON_Delete(wrap);
        } else if (cur) {
            if (!replace_member(target, cur, r))
                return cdk_oom(ctx->app);
        } else if (!add_member(target, key, r, schema)) {
            return cdk_oom(ctx->app);
        }
    }
    return CDK_OK;
}

static int by_path(const void *a, const void *b)
{
    const cdk_node *x = *(cdk_node *const *)a, *y = *(cdk_node *const *)b;
    return cdk_locale_compare(x->path, y->path);
}

static int resolve_props(cdk_node *n, cdk_rctx *ctx, cJSON **out)
{
    cdk_value tmp;
    cdk_value *props = cfn_properties(n, &tmp);
    if (props == NULL)
        return cdk_oom(n->app);
    int rc = cdk_resolve(ctx, props, out);
    free(tmp.u.map.ents);
    return rc;
}

/* CDK's props validator runs on the resolved properties: a required property whose token
 * resolved to nothing (a Lazy giving undefined, a PhysicalName.GENERATE_IF_NEEDED policy name
 * never generated) fails there, in one resolution layer. The binding checks literal ones. CDK
 * swallows this error while it collects references (validation then speaks first). */
static int check_required(cdk_app *app, const cdk_schema *s, const cJSON *props)
{
    cdk_buf b = {0};
    for (const cdk_prop *p = s->props; p->name; p++)
        if (p->required && !cJSON_GetObjectItemCaseSensitive(props, p->name))
            cdk_buf_addf(&b, "\n  %s: required but missing", p->name);
    if (b.len == 0 && !b.oom)
        return CDK_OK;
    int rc = b.oom ? cdk_oom(app)
                   : cdk_fail(app, CDK_ESYNTH, "Resolution error: Supplied properties not correct for \"%sProps\"%s.",
                              s->name, b.data);
    cdk_buf_free(&b);
    return rc;
}

/* The logical ID of an element being rendered. CDK resolves it from a lazy token while it
 * renders the template, so its errors read "Resolution error: ...", as a producer's do. */
static int render_logical_id(cdk_node *n, const char **lid)
{
    int rc = cdk_logical_id(n, lid);
    if (rc != CDK_OK && rc != CDK_ENOMEM)
        return cdk_wrap_error(n->app, rc, "Resolution error: ",
                              ".\nObject creation stack:\n  at Execute again with CDK_DEBUG=true to capture stack traces");
    return rc;
}

/* Adds an element's rendered definition to its template section under its logical ID. CDK
 * renders { [logicalId]: definition } and resolves the definition before the key, so the
 * definition's errors come before the logical ID's. Takes def. */
static int add_rendered(cdk_node *n, cJSON *tpl, const char *section, cJSON *def)
{
    const char *lid;
    int rc = render_logical_id(n, &lid);
    if (rc != CDK_OK) {
        cJSON_Delete(def);
        return rc;
    }
    return cdk_section_add(n->app, tpl, section, lid, def);
}

/* tree.json's attributes of a schema L1 as resource_tree gives them, written as text from the
 * properties the template resolved (render_struct's camelCase form, without building it). */
static void write_camel_struct(cdk_buf *b, const cdk_schema *s, const cJSON *obj, int depth);

static void write_camel_item(cdk_buf *b, cdk_prop_type type, const cdk_schema *sub, const cJSON *v, int depth)
{
    switch (type) {
    case CDK_P_STRUCT:
        if (sub) {
            write_camel_struct(b, sub, v, depth);
            return;
        }
        break;
    case CDK_P_TAGS:
    case CDK_P_LIST:
        if (cJSON_IsArray(v) && sub) {
            cdk_buf_add(b, "[", 1);
            for (const cJSON *c = v->child; c; c = c->next) {
                if (c != v->child)
                    cdk_buf_add(b, ",", 1);
                cdk_json_newline(b, 2, depth + 1);
                write_camel_struct(b, sub, c, depth + 1);
            }
            if (v->child)
                cdk_json_newline(b, 2, depth);
            cdk_buf_add(b, "]", 1);
            return;
        }
        break;
    case CDK_P_MAP:
        if (cJSON_IsObject(v) && sub && !cdk_json_is_intrinsic(v)) {
            cdk_buf_add(b, "{", 1);
            for (const cJSON *c = v->child; c; c = c->next) {
                if (c != v->child)
                    cdk_buf_add(b, ",", 1);
                cdk_json_newline(b, 2, depth + 1);
                cdk_json_quote(b, c->string, strlen(c->string));
                cdk_buf_add(b, ": ", 2);
                write_camel_struct(b, sub, c, depth + 1);
            }
            if (v->child)
                cdk_json_newline(b, 2, depth);
            cdk_buf_add(b, "}", 1);
            return;
        }
        break;
    default:
        break;
    }
    cdk_json_write_at(b, v, 2, depth);
}

static void write_camel_struct(cdk_buf *b, const cdk_schema *s, const cJSON *obj, int depth)
{
    if (!cJSON_IsObject(obj) || cdk_json_is_intrinsic(obj)) {
        cdk_json_write_at(b, obj, 2, depth);
        return;
    }
    int first = 1;
    cdk_buf_add(b, "{", 1);
    const cdk_prop *p;
    for (size_t i = 0; (p = tree_nth(s, i)) != NULL; i++) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, p->name);
        if (v == NULL)
            continue;
        char buf[128];
        if (!first)
            cdk_buf_add(b, ",", 1);
        first = 0;
        cdk_json_newline(b, 2, depth + 1);
        camel_of(p->name, buf, sizeof buf);
        cdk_json_quote(b, buf, strlen(buf));
        cdk_buf_add(b, ": ", 2);
        write_camel_item(b, p->type, p->sub, v, depth + 1);
    }
    if (!first)
        cdk_json_newline(b, 2, depth);
    cdk_buf_add(b, "}", 1);
}

static void write_tree_attrs(cdk_buf *b, const cdk_resource *r, const cJSON *props, int depth)
{
    cdk_buf_add(b, "{", 1);
    cdk_json_newline(b, 2, depth + 1);
    cdk_buf_adds(b, "\"aws:cdk:cloudformation:type\": ");
    cdk_json_quote(b, r->type, strlen(r->type));
    cdk_buf_add(b, ",", 1);
    cdk_json_newline(b, 2, depth + 1);
    cdk_buf_adds(b, "\"aws:cdk:cloudformation:props\": ");
    if (props == NULL)
        cdk_buf_add(b, "{}", 2);
    else if (r->schema)
        write_camel_struct(b, r->schema, props, depth + 1);
    else
        cdk_json_write_at(b, props, 2, depth + 1);
    cdk_json_newline(b, 2, depth);
    cdk_buf_add(b, "}", 1);
}

static int resource_render(cdk_node *n, cdk_rctx *ctx, cJSON *tpl, cdk_buf *attrs, int depth, int *attrs_done);

int cdk_resource_render(cdk_node *n, cdk_rctx *ctx, cJSON *tpl)
{
    return resource_render(n, ctx, tpl, NULL, 0, NULL);
}

int cdk_resource_render_with_tree(cdk_node *n, cdk_rctx *ctx, cJSON *tpl, cdk_buf *attrs, int depth, int *done)
{
    *done = 0;
    return resource_render(n, ctx, tpl, attrs, depth, done);
}

static int resource_render(cdk_node *n, cdk_rctx *ctx, cJSON *tpl, cdk_buf *attrs, int depth, int *attrs_done)
{
    cdk_app *app = n->app;
    cdk_resource *r = n->impl;
    if (r->should_synthesize && !r->should_synthesize(n))
        return CDK_OK;
    int rc;
    cJSON *def = cJSON_CreateObject();
    if (def == NULL)
        return cdk_oom(app);
    cJSON_AddStringToObject(def, "Type", r->type);

    cJSON *props = NULL;
    rc = resolve_props(n, ctx, &props);
    if (rc != CDK_OK) {
        cJSON_Delete(def);
        if (rc == CDK_ENOMEM)
            return rc;
        /* the two post-resolve layers of CDK's resource definition (ignoreEmpty, PostResolveToken) */
        cdk_wrap_error(app, rc, "Resolution error: ", ".");
        return cdk_wrap_error(app, rc, "Resolution error: ", ".");
    }
    if (r->schema && !ctx->preparing && (rc = check_required(app, r->schema, props)) != CDK_OK) {
        cJSON_Delete(props);
        cJSON_Delete(def);
        return rc;
    }
    if (attrs) {
        write_tree_attrs(attrs, r, props, depth);
        *attrs_done = 1;
    }
    if (props && cJSON_IsObject(props) && props->child == NULL) {
        cJSON_Delete(props);
        props = NULL;
    }
    if (props && r->schema) {
        props = cdk_schema_render(r->schema, props);
        if (props == NULL) {
            cJSON_Delete(def);
            return cdk_oom(app);
        }
        if (props->child == NULL) {
            cJSON_Delete(props);
            props = NULL;
        }
    }
    if (props)
        cJSON_AddItemToObject(def, "Properties", props);

    if (r->depends_on.len) {
        cdk_node **sorted = cdk_alloc(app, r->depends_on.len * sizeof *sorted);
        if (sorted == NULL) {
            cJSON_Delete(def);
            return cdk_oom(app);
        }
        memcpy(sorted, r->depends_on.items, r->depends_on.len * sizeof *sorted);
        qsort(sorted, r->depends_on.len, sizeof *sorted, by_path);
        cJSON *deps = cJSON_AddArrayToObject(def, "DependsOn");
        for (size_t i = 0; deps && i < r->depends_on.len; i++) {
            const char *dl;
            if ((rc = cdk_logical_id(sorted[i], &dl)) != CDK_OK) {
                cJSON_Delete(def);
                return rc;
            }
            cJSON_AddItemToArray(deps, cJSON_CreateString(dl));
        }
    }
    if (r->update_replace_policy)
        cJSON_AddStringToObject(def, "UpdateReplacePolicy", r->update_replace_policy);
    if (r->deletion_policy)
        cJSON_AddStringToObject(def, "DeletionPolicy", r->deletion_policy);
    cJSON *j = NULL;
    if (r->version) {
        if ((rc = cdk_resolve(ctx, r->version, &j)) != CDK_OK) {
            cJSON_Delete(def);
            return rc;
        }
        cdk_json_add(def, "Version", j);
    }
    if (r->description) {
        if ((rc = cdk_resolve(ctx, r->description, &j)) != CDK_OK) {
            cJSON_Delete(def);
            return rc;
        }
        cdk_json_add(def, "Description", j);
    }
    if (r->metadata) {
        /* cfnOptions.metadata, aws:cdk:path among its keys when the resource was made with path
         * metadata on (CDK's ignoreEmpty: an empty one is left out) */
        cJSON *meta = NULL;
        if ((rc = cdk_resolve(ctx, r->metadata, &meta)) != CDK_OK) {
            cJSON_Delete(def);
            return rc;
        }
        if (cJSON_IsObject(meta) && meta->child)
            cJSON_AddItemToObject(def, "Metadata", meta);
        else
            cJSON_Delete(meta);
    }
    if (r->condition && (rc = add_condition(r->condition, def)) != CDK_OK) {
        cJSON_Delete(def);
        return rc;
    }
    if (r->overrides && (rc = merge_overrides(ctx, def, r->overrides, NULL, r->schema)) != CDK_OK) {
        cJSON_Delete(def);
        return rc;
    }
    return add_rendered(n, tpl, "Resources", def);
}

static int resource_tree(cdk_node *n, cJSON **out)
{
    cdk_resource *r = n->impl;
    cJSON *props = NULL;
    cdk_value tmp;
    cdk_value *pv = cfn_properties(n, &tmp);
    if (pv == NULL)
        return cdk_oom(n->app);
    int rc = cdk_resolve_in(n, pv, &props);
    free(tmp.u.map.ents);
    if (rc != CDK_OK)
        return rc;
    cJSON *attrs = cJSON_CreateObject();
    if (attrs == NULL) {
        cJSON_Delete(props);
        return cdk_oom(n->app);
    }
    cJSON_AddStringToObject(attrs, "aws:cdk:cloudformation:type", r->type);
    cJSON *camel = props && r->schema ? render_struct(r->schema, props, 1) : props; /* consumes props */
    cJSON_AddItemToObject(attrs, "aws:cdk:cloudformation:props", camel ? camel : cJSON_CreateObject());
    *out = attrs;
    return CDK_OK;
}

/* ---- outputs ---- */

typedef struct cdk_output {
    cdk_output_props p;
} cdk_output;

int cdk_cfn_output_new(cdk_node *parent, const char *id, const cdk_output_props *p, cdk_node **out)
{
    cdk_node *n;
    int rc = cdk_node_new(parent, id, &cdk_cfn_output_class, sizeof(cdk_output), &n);
    if (rc != CDK_OK)
        return rc;
    if ((rc = cdk_node_stack(n, &n->stack)) != CDK_OK) {
        cdk_node_discard(n);
        return rc;
    }
    if (p->value == NULL || p->value->kind == CDK_UNDEFINED) {
        rc = cdk_fail(n->app, CDK_EINVAL, "Missing value for CloudFormation output at path \"%s\"", n->path);
        cdk_node_discard(n);
        return rc;
    }
    if (element_init(n) != CDK_OK) {
        cdk_node_discard(n);
        return cdk_oom(parent->app);
    }
    cdk_output *o = n->impl;
    o->p = *p;
    *out = n;
    return CDK_OK;
}

static int output_validate(cdk_node *n, cdk_strlist *errs)
{
    cdk_output *o = n->impl;
    const cdk_value *e = o->p.export_name;
    size_t chars = e && e->kind == CDK_STRING ? cdk_js_length(e->u.str.ptr, e->len) : 0;
    if (e && e->kind == CDK_STRING && !cdk_is_unresolved(e) && chars > 255) {
        const char *m = cdk_sprintf(n->app, "Export name cannot exceed 255 characters (got %zu characters)", chars);
        return m ? cdk_strlist_push(n->app, errs, m) : cdk_oom(n->app);
    }
    return CDK_OK;
}

static int output_render(cdk_node *n, cdk_rctx *ctx, cJSON *tpl)
{
    cdk_output *o = n->impl;
    int rc;
    cJSON *def = cJSON_CreateObject(), *j = NULL;
    if (def == NULL)
        return cdk_oom(n->app);
    if (o->p.description) {
        if ((rc = cdk_resolve(ctx, o->p.description, &j)) != CDK_OK)
            goto fail;
        cdk_json_add(def, "Description", j);
    }
    if ((rc = cdk_resolve(ctx, o->p.value, &j)) != CDK_OK)
        goto fail;
    cdk_json_add(def, "Value", j);
    if (o->p.export_name && o->p.export_name->kind != CDK_NULL) {
        if ((rc = cdk_resolve(ctx, o->p.export_name, &j)) != CDK_OK)
            goto fail;
        if (j) {
            cJSON *ex = cJSON_AddObjectToObject(def, "Export");
            if (ex)
                cJSON_AddItemToObject(ex, "Name", j);
        }
    }
    if (o->p.condition && (rc = add_condition(o->p.condition, def)) != CDK_OK)
        goto fail;
    return add_rendered(n, tpl, "Outputs", def);
fail:
    cJSON_Delete(def);
    return rc;
}

/* ---- mappings ---- */

static int mapping_render(cdk_node *n, cdk_rctx *ctx, cJSON *tpl);
const cdk_class cdk_cfn_mapping_class = {"CfnMapping", "@aws-cdk/core.CfnMapping", NULL, NULL, mapping_render, NULL};

typedef struct cdk_mapping {
    cdk_value *map;   /* key1 -> key2 -> value, in the order set */
} cdk_mapping;

int cdk_cfn_mapping_new(cdk_node *parent, const char *id, cdk_node **out)
{
    cdk_node *n;
    int rc = cdk_node_new(parent, id, &cdk_cfn_mapping_class, sizeof(cdk_mapping), &n);
    if (rc != CDK_OK)
        return rc;
    if ((rc = cdk_node_stack(n, &n->stack)) != CDK_OK) {
        cdk_node_discard(n);
        return rc;
    }
    cdk_mapping *m = n->impl;
    if ((m->map = cdk_map(n->app)) == NULL || element_init(n) != CDK_OK) {
        cdk_node_discard(n);
        return cdk_oom(parent->app);
    }
    *out = n;
    return CDK_OK;
}

int cdk_cfn_mapping_set(cdk_node *mapping, const char *key1, const char *key2, cdk_value *v)
{
    cdk_app *app = mapping->app;
    cdk_mapping *m = mapping->impl;
    for (const char *c = key2; *c; c++)
        if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9')))
            return cdk_fail(app, CDK_EINVAL, "Attribute name '%s' must contain only alphanumeric characters.", key2);
    cdk_value *inner = cdk_map_get(m->map, key1);
    if (inner == NULL) {
        const char *k = cdk_strdup(app, key1);
        inner = cdk_map(app);
        if (k == NULL || cdk_map_set(app, m->map, k, inner) != CDK_OK)
            return cdk_oom(app);
    }
    const char *k2 = cdk_strdup(app, key2);
    return k2 ? cdk_map_set(app, inner, k2, v) : cdk_oom(app);
}

/* The logical ID of the element ud (mappings and conditions), as a lazy string. */
static int produce_element_id(cdk_rctx *ctx, void *ud, cdk_value **out)
{
    const char *id;
    int rc = cdk_logical_id(ud, &id);
    if (rc != CDK_OK)
        return rc;
    *out = cdk_str(ctx->app, id);
    return *out ? CDK_OK : cdk_oom(ctx->app);
}

cdk_value *cdk_cfn_mapping_find(cdk_node *mapping, cdk_value *key1, cdk_value *key2)
{
    cdk_app *app = mapping->app;
    cdk_value *args = cdk_list(app);
    cdk_value *lid = cdk_token_strv(app, cdk_token_lazy(app, produce_element_id, mapping, 0, 's'));
    if (args == NULL || cdk_list_push(app, args, lid) != CDK_OK || cdk_list_push(app, args, key1) != CDK_OK ||
        cdk_list_push(app, args, key2) != CDK_OK)
        return NULL;
    return cdk_token_strv(app, cdk_token_intrinsic(app, cdk_fn_intrinsic1(app, "Fn::FindInMap", args), NULL));
}

static int mapping_render(cdk_node *n, cdk_rctx *ctx, cJSON *tpl)
{
    cdk_mapping *m = n->impl;
    int rc;
    cJSON *def = NULL;
    if ((rc = cdk_resolve(ctx, m->map, &def)) != CDK_OK)
        return rc;
    if (def == NULL && (def = cJSON_CreateObject()) == NULL)
        return cdk_oom(n->app);
    return add_rendered(n, tpl, "Mappings", def);
}

/* ---- conditions ---- */

static int condition_render(cdk_node *n, cdk_rctx *ctx, cJSON *tpl);
const cdk_class cdk_cfn_condition_class = {"CfnCondition", "@aws-cdk/core.CfnCondition", NULL, NULL,
                                           condition_render, NULL};

typedef struct cdk_condition {
    cdk_value *expression;  /* NULL: the condition renders nothing */
    const char *lid;        /* the string token of its logical ID, made on first use */
} cdk_condition;

int cdk_cfn_condition_new(cdk_node *parent, const char *id, cdk_value *expression, cdk_node **out)
{
    cdk_node *n;
    int rc = cdk_node_new(parent, id, &cdk_cfn_condition_class, sizeof(cdk_condition), &n);
    if (rc != CDK_OK)
        return rc;
    if ((rc = cdk_node_stack(n, &n->stack)) != CDK_OK) {
        cdk_node_discard(n);
        return rc;
    }
    if (element_init(n) != CDK_OK) {
        cdk_node_discard(n);
        return cdk_oom(parent->app);
    }
    cdk_cfn_condition_set_expression(n, expression);
    *out = n;
    return CDK_OK;
}

void cdk_cfn_condition_set_expression(cdk_node *cond, cdk_value *expression)
{
    cdk_condition *c = cond->impl;
    c->expression = expression && expression->kind != CDK_UNDEFINED ? expression : NULL;
}

cdk_value *cdk_cfn_condition_expression(cdk_node *cond)
{
    cdk_condition *c = cond->impl;
    return c->expression;
}

cdk_value *cdk_cfn_condition_ref(cdk_node *cond, cdk_app *in)
{
    cdk_condition *c = cond->impl;
    if (c->lid == NULL) {
        cdk_token *t = cdk_token_lazy(cond->app, produce_element_id, cond, 0, 's');
        if (t == NULL || (c->lid = cdk_token_str(cond->app, t)) == NULL)
            return NULL;
    }
    /* only the token's string crosses to `in`: the token stays in the condition's App */
    cdk_value *m = cdk_map(in);
    cdk_value *lid = cdk_str(in, c->lid);
    if (m == NULL || lid == NULL || cdk_map_set(in, m, "Condition", lid) != CDK_OK)
        return NULL;
    return m;
}

static int condition_render(cdk_node *n, cdk_rctx *ctx, cJSON *tpl)
{
    cdk_condition *c = n->impl;
    if (c->expression == NULL)
        return CDK_OK;
    int rc;
    cJSON *def = NULL;
    if ((rc = cdk_resolve(ctx, c->expression, &def)) != CDK_OK)
        return rc;
    if (def == NULL)
        return CDK_OK;
    return add_rendered(n, tpl, "Conditions", def);
}

/* ---- parameters ---- */

typedef struct cdk_param {
    cdk_parameter_props p;
} cdk_param;

int cdk_cfn_parameter_new(cdk_node *parent, const char *id, const cdk_parameter_props *p, cdk_node **out)
{
    cdk_node *n;
    int rc = cdk_node_new(parent, id, &cdk_cfn_parameter_class, sizeof(cdk_param), &n);
    if (rc != CDK_OK)
        return rc;
    if ((rc = cdk_node_stack(n, &n->stack)) != CDK_OK) {
        cdk_node_discard(n);
        return rc;
    }
    cdk_param *pp = n->impl;
    pp->p = *p;
    pp->p.type = cdk_strdup(n->app, p->type ? p->type : "String");
    if (pp->p.type == NULL || element_init(n) != CDK_OK) {
        cdk_node_discard(n);
        return cdk_oom(parent->app);
    }
    *out = n;
    return CDK_OK;
}

const char *cdk_parameter_type(cdk_node *param)
{
    return ((cdk_param *)param->impl)->p.type;
}

static int is_list_type(const char *t)
{
    return strstr(t, "CommaDelimitedList") != NULL || strncmp(t, "List<", 5) == 0;
}

int cdk_parameter_value(cdk_node *param, int as, cdk_value **out)
{
    const char *t = cdk_parameter_type(param);
    cdk_token *ref = cdk_ref_for(param, "Ref");
    if (ref == NULL)
        return cdk_oom(param->app);
    switch (as) {
    case 's':
        if (is_list_type(t))
            return cdk_fail(param->app, CDK_EINVAL, "Parameter type (%s) is not a string or number type", t);
        *out = cdk_token_strv(param->app, ref);
        break;
    case 'n':
        if (strcmp(t, "Number") != 0)
            return cdk_fail(param->app, CDK_EINVAL, "Parameter type (%s) is not a number type", t);
        *out = cdk_token_numv(param->app, ref);
        break;
    case 'l':
        if (!is_list_type(t))
            return cdk_fail(param->app, CDK_EINVAL, "Parameter type (%s) is not a string list type", t);
        *out = cdk_token_listv(param->app, ref);
        break;
    default:
        *out = cdk_tokv(param->app, ref);
    }
    return *out ? CDK_OK : cdk_oom(param->app);
}

static int parameter_render(cdk_node *n, cdk_rctx *ctx, cJSON *tpl)
{
    cdk_param *pp = n->impl;
    int rc;
    cJSON *def = cJSON_CreateObject();
    if (def == NULL)
        return cdk_oom(n->app);
    cJSON_AddStringToObject(def, "Type", pp->p.type);
    struct { const char *key; cdk_value *v; } fields[] = {
        {"Default", pp->p.default_value},
        {"AllowedPattern", pp->p.allowed_pattern},
        {"AllowedValues", pp->p.allowed_values},
        {"ConstraintDescription", pp->p.constraint_description},
        {"Description", pp->p.description},
        {"MaxLength", pp->p.max_length},
        {"MaxValue", pp->p.max_value},
        {"MinLength", pp->p.min_length},
        {"MinValue", pp->p.min_value},
    };
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        if (fields[i].v == NULL)
            continue;
        cJSON *j = NULL;
        if ((rc = cdk_resolve(ctx, fields[i].v, &j)) != CDK_OK) {
            cJSON_Delete(def);
            return rc;
        }
        cdk_json_add(def, fields[i].key, j);
    }
    if (pp->p.no_echo >= 0)
        cJSON_AddBoolToObject(def, "NoEcho", pp->p.no_echo);
    return add_rendered(n, tpl, "Parameters", def);
}
