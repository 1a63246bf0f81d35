/* synth.c: synthesis, in CDK's phases: aspects, prepare hooks, construct dependencies and
 * cross-stack references, validation, then the cloud assembly (templates, manifest.json,
 * tree.json) written to a temporary folder and renamed into place. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "cdk_internal.h"

/* ---- aspects ---- */

typedef struct invoked {
    cdk_node *node;
    cdk_aspect *aspect;
} invoked;

typedef struct aspect_state {
    invoked *items;
    size_t len, cap;
} aspect_state;

static int was_invoked(cdk_node *n, cdk_aspect *a)
{
    cdk_aspect **done = cdk_node_x(n)->invoked;
    for (size_t i = 0; i < cdk_node_x(n)->ninvoked; i++)
        if (done[i] == a)
            return 1;
    return 0;
}

static int mark_invoked(cdk_node *n, cdk_aspect *a)
{
    cdk_node_extra *x = cdk_node_x_own(n);
    cdk_aspect **done = x ? cdk_alloc(n->app, (x->ninvoked + 1) * sizeof *done) : NULL;
    if (done == NULL)
        return cdk_oom(n->app);
    if (x->ninvoked)
        memcpy(done, x->invoked, x->ninvoked * sizeof *done);
    done[x->ninvoked++] = a;
    x->invoked = done;
    return CDK_OK;
}

static int invoke(cdk_node *n, cdk_aspect **inherited, size_t ninh)
{
    cdk_app *app = n->app;
    size_t own = 0;
    for (cdk_aspect *a = cdk_node_x(n)->aspects; a; a = a->next)
        own++;
    /* a node without aspects of its own passes its parent's list on as it is */
    cdk_aspect **all = own ? cdk_alloc(app, (ninh + own + 1) * sizeof *all) : inherited;
    if (own && all == NULL)
        return cdk_oom(app);
    if (own && ninh)
        memcpy(all, inherited, ninh * sizeof *all);
    size_t k = ninh;
    for (cdk_aspect *a = cdk_node_x(n)->aspects; a; a = a->next)
        all[k++] = a;
    for (size_t i = 0; i < k; i++) {
        if (was_invoked(n, all[i]))
            continue;
        int rc = all[i]->visit(all[i], n);
        if (rc != CDK_OK)
            return rc;
        if ((rc = mark_invoked(n, all[i])) != CDK_OK)
            return rc;
    }
    for (cdk_node *c = n->first_child; c; c = c->next_sibling) {
        int rc = invoke(c, all, k);
        if (rc != CDK_OK)
            return rc;
    }
    return CDK_OK;
}

int cdk_invoke_aspects(cdk_app *app)
{
    return invoke(app->root, NULL, 0);
}

/* ---- prepare ---- */

static int prepare_node(cdk_node *n, void *ud)
{
    (void)ud;
    return n->cls->prepare ? n->cls->prepare(n) : CDK_OK;
}

static int collect_resources(cdk_node *n, void *ud)
{
    if (cdk_resource_of(n))
        return cdk_nodelist_push(n->app, ud, n);
    return CDK_OK;
}

static int apply_node_dependencies(cdk_node *n, void *ud)
{
    (void)ud;
    const cdk_nodelist *deps = &cdk_node_x(n)->deps;
    for (size_t i = 0; i < deps->len; i++) {
        cdk_node *target = deps->items[i];
        cdk_nodelist targets = {0}, sources = {0};
        int rc = cdk_walk(target, 0, collect_resources, &targets);
        if (rc == CDK_OK)
            rc = cdk_walk(n, 0, collect_resources, &sources);
        if (rc != CDK_OK)
            return rc;
        for (size_t t = 0; t < targets.len; t++)
            for (size_t s = 0; s < sources.len; s++)
                if ((rc = cdk_resource_add_depends_on(sources.items[s], targets.items[t])) != CDK_OK)
                    return rc;
        if (n->is_stack && target->is_stack && (rc = cdk_stack_add_dependency(n, target, NULL)) != CDK_OK)
            return rc;
    }
    return CDK_OK;
}

int cdk_app_prepare(cdk_app *app)
{
    int rc = cdk_invoke_aspects(app);
    if (rc != CDK_OK || (rc = cdk_inject_metadata_resources(app)) != CDK_OK)
        return rc;
    if ((rc = cdk_walk(app->root, 1, prepare_node, NULL)) != CDK_OK)
        return rc;
    for (cdk_hook *h = app->hooks; h; h = h->next)
        if ((rc = h->fn(app, h->ud)) != CDK_OK)
            return rc;
    if ((rc = cdk_walk(app->root, 0, apply_node_dependencies, NULL)) != CDK_OK)
        return rc;
    return cdk_resolve_references(app);
}

/* ---- validation ---- */

typedef struct vstate {
    cdk_buf msg;
    int count;
} vstate;

static int validate_node(cdk_node *n, void *ud)
{
    vstate *v = ud;
    cdk_strlist errs = {0};
    int rc;
    if (n->cls->validate && (rc = n->cls->validate(n, &errs)) != CDK_OK)
        return rc;
    const cdk_node_extra *x = cdk_node_x(n);
    for (size_t i = 0; i < x->nvalidations; i++)
        if ((rc = x->validations[i](n, &errs)) != CDK_OK)
            return rc;
    for (size_t i = 0; i < errs.len; i++) {
        cdk_buf_addf(&v->msg, "\n  [%s] %s", n->path, errs.items[i]);
        v->count++;
    }
    return CDK_OK;
}

static int validate_tree(cdk_app *app)
{
    vstate v = {{0}, 0};
    int rc = cdk_walk(app->root, 1, validate_node, &v);
    if (rc == CDK_OK && v.count > 0)
        rc = cdk_fail(app, CDK_ESYNTH, "Validation failed with the following errors:%s", v.msg.data);
    cdk_buf_free(&v.msg);
    return rc;
}

/* ---- stacks in CDK's order ---- */

static int collect_stacks(cdk_node *n, void *ud)
{
    return n->is_stack ? cdk_nodelist_push(n->app, ud, n) : CDK_OK;
}

int cdk_app_stacks(cdk_app *app, cdk_nodelist *out)
{
    cdk_nodelist all = {0};
    int rc = cdk_walk(app->root, 0, collect_stacks, &all);
    if (rc != CDK_OK)
        return rc;
    char *done = cdk_alloc(app, all.len + 1);
    if (done == NULL)
        return cdk_oom(app);
    size_t left = all.len;
    while (left > 0) {
        /* every stack whose dependencies are all placed, by artifact id */
        cdk_nodelist wave = {0};
        for (size_t i = 0; i < all.len; i++) {
            if (done[i])
                continue;
            const cdk_nodelist *deps = cdk_stack_dependencies(all.items[i]);
            int ready = 1;
            for (size_t d = 0; d < deps->len && ready; d++)
                for (size_t j = 0; j < all.len; j++)
                    if (all.items[j] == deps->items[d] && !done[j])
                        ready = 0;
            if (ready && (rc = cdk_nodelist_push(app, &wave, all.items[i])) != CDK_OK)
                return rc;
        }
        if (wave.len == 0) {
            cdk_buf b = {0};
            for (size_t i = 0; i < all.len; i++) {
                if (done[i])
                    continue;
                if (b.len)
                    cdk_buf_adds(&b, ", ");
                cdk_buf_adds(&b, cdk_stack_artifact_id(all.items[i]));
            }
            rc = cdk_fail(app, CDK_ESYNTH, "Could not determine ordering between: %s", b.data ? b.data : "");
            cdk_buf_free(&b);
            return rc;
        }
        for (size_t i = 1; i < wave.len; i++) {
            cdk_node *x = wave.items[i];
            size_t j = i;
            while (j > 0 && strcmp(cdk_stack_artifact_id(wave.items[j - 1]), cdk_stack_artifact_id(x)) > 0) {
                wave.items[j] = wave.items[j - 1];
                j--;
            }
            wave.items[j] = x;
        }
        for (size_t i = 0; i < wave.len; i++) {
            for (size_t j = 0; j < all.len; j++)
                if (all.items[j] == wave.items[i])
                    done[j] = 1;
            if ((rc = cdk_nodelist_push(app, out, wave.items[i])) != CDK_OK)
                return rc;
            left--;
        }
    }
    return CDK_OK;
}

/* ---- manifest and tree ---- */

static int add_metadata(cdk_app *app, cJSON *meta, const char *path, const char *type, cJSON *data)
{
    size_t plen = strlen(path);
    char small[256], *key = plen + 2 <= sizeof small ? small : malloc(plen + 2);
    if (key == NULL) {
        cJSON_Delete(data);
        return cdk_oom(app);
    }
    key[0] = '/';
    memcpy(key + 1, path, plen + 1);
    /* a path's entries are added one after the other: its list, if any, is the last member */
    cJSON *last = meta->child ? meta->child->prev : NULL;
    cJSON *list = last && strcmp(last->string, key) == 0 ? last : NULL;
    if (list == NULL)
        list = cJSON_AddArrayToObject(meta, key);
    if (key != small)
        free(key);
    cJSON *entry = cJSON_CreateObject();
    if (list == NULL || entry == NULL) {
        cJSON_Delete(entry);
        cJSON_Delete(data);
        return cdk_oom(app);
    }
    cJSON_AddStringToObject(entry, "type", type);
    if (data)
        cJSON_AddItemToObject(entry, "data", data);
    cJSON_AddItemToArray(list, entry);
    return CDK_OK;
}

static int stack_metadata(cdk_node *stack, cdk_node *n, cJSON *meta)
{
    cdk_app *app = stack->app;
    int rc;
    if (n == stack && n->tags) {
        cdk_value *tags = cdk_tags_render(n->tags);
        if (tags == NULL)
            return cdk_oom(app);
        if (tags->kind != CDK_UNDEFINED) {
            cJSON *j = NULL;
            if ((rc = cdk_resolve_in(stack, tags, &j)) != CDK_OK)
                return rc;
            if ((rc = add_metadata(app, meta, n->path, "aws:cdk:stack-tags", j)) != CDK_OK)
                return rc;
        }
    }
    if (n->elem && !n->elem->no_logical_id_metadata) {
        const char *lid;
        if ((rc = cdk_logical_id(n, &lid)) != CDK_OK)
            return rc;
        if ((rc = add_metadata(app, meta, n->path, "aws:cdk:logicalId", cJSON_CreateString(lid))) != CDK_OK)
            return rc;
    }
    for (const cdk_meta *m = cdk_node_x(n)->meta; m; m = m->next) {
        cJSON *j = NULL;
        if ((rc = cdk_resolve_in(stack, m->data, &j)) != CDK_OK)
            return rc;
        if ((rc = add_metadata(app, meta, n->path, m->type, j)) != CDK_OK) /* j NULL: no "data" */
            return rc;
    }
    for (cdk_node *c = n->first_child; c; c = c->next_sibling) {
        if (c->is_stack)
            continue;
        if ((rc = stack_metadata(stack, c, meta)) != CDK_OK)
            return rc;
    }
    return CDK_OK;
}

/* Whether k is an array index ("0", "1", ... below 2^32 - 1, no leading zero), a key that a
 * JavaScript object lists before all others. *n receives its value. */
static int js_index_key(const char *k, unsigned long *n)
{
    unsigned long v = 0;
    if (k[0] == '\0' || (k[0] == '0' && k[1] != '\0'))
        return 0;
    for (const char *p = k; *p; p++) {
        if (*p < '0' || *p > '9' || v > (4294967294UL - (unsigned long)(*p - '0')) / 10)
            return 0;
        v = v * 10 + (unsigned long)(*p - '0');
    }
    *n = v;
    return 1;
}

/* cx-api's EnvironmentUtils.parse, which CDK's CloudAssembly runs on each stack: its regex,
 * /aws\:\/\/([a-z0-9A-Z\-\@\.\_]+)\/([a-z\-0-9]+)/, unanchored (an empty account or region fails, and
 * so does a region that starts with an upper-case letter). */
static int valid_environment(const char *env)
{
    for (const char *p = strstr(env, "aws://"); p; p = strstr(p + 1, "aws://")) {
        const char *c = p + 6;
        size_t acc = strspn(c, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-@._");
        if (acc > 0 && c[acc] == '/' && strspn(c + acc + 1, "abcdefghijklmnopqrstuvwxyz-0123456789") > 0)
            return 1;
    }
    return 0;
}

static cJSON *stack_artifact(cdk_node *stack, int *rc)
{
    cdk_app *app = stack->app;
    cdk_stack *s = stack->impl;
    if (!valid_environment(s->environment)) {
        *rc = cdk_fail(app, CDK_ESYNTH, "Unable to parse environment specification \"%s\". Expected format: "
                                        "aws://account/region", s->environment);
        return NULL;
    }
    cJSON *a = cJSON_CreateObject();
    if (a == NULL) {
        *rc = cdk_oom(app);
        return NULL;
    }
    cJSON_AddStringToObject(a, "type", "aws:cloudformation:stack");
    cJSON_AddStringToObject(a, "environment", s->environment);
    cJSON *props = cJSON_AddObjectToObject(a, "properties");
    cJSON_AddStringToObject(props, "templateFile", s->template_file);
    if (s->termination_protection >= 0)
        cJSON_AddBoolToObject(props, "terminationProtection", s->termination_protection);
    const char **keys, **values;
    size_t ntags;
    if ((*rc = cdk_tags_sorted(stack->tags, &keys, &values, &ntags)) != CDK_OK) {
        cJSON_Delete(a);
        return NULL;
    }
    if (ntags) {
        /* a JavaScript object lists integer-like keys first, in numeric order */
        cJSON *t = cJSON_AddObjectToObject(props, "tags");
        unsigned long prev = 0;
        for (int started = 0, have = 1; have; started = 1) {
            /* the smallest index key above the previous one (tags are few: no sort needed) */
            have = 0;
            size_t best = 0;
            unsigned long bestn = 0, n;
            for (size_t i = 0; i < ntags; i++)
                if (js_index_key(keys[i], &n) && (!started || n > prev) && (!have || n < bestn)) {
                    have = 1;
                    best = i;
                    bestn = n;
                }
            if (have) {
                cJSON_AddStringToObject(t, keys[best], values[best]);
                prev = bestn;
            }
        }
        for (size_t i = 0; i < ntags; i++) {
            unsigned long n;
            if (!js_index_key(keys[i], &n))
                cJSON_AddStringToObject(t, keys[i], values[i]);
        }
    }
    cJSON_AddBoolToObject(props, "validateOnSynth", 0);
    if ((*rc = cdk_synthesizer_stack_properties(stack, props)) != CDK_OK) {
        cJSON_Delete(a);
        return NULL;
    }
    if (strcmp(s->stack_name, s->artifact_id) != 0)
        cJSON_AddStringToObject(props, "stackName", s->stack_name);
    if (s->deps.len || s->qualifier) {
        cJSON *d = cJSON_AddArrayToObject(a, "dependencies");
        for (size_t i = 0; i < s->deps.len; i++)
            cJSON_AddItemToArray(d, cJSON_CreateString(cdk_stack_artifact_id(s->deps.items[i])));
        if (s->qualifier) /* the DefaultStackSynthesizer's asset manifest */
            cJSON_AddItemToArray(d, cJSON_CreateString(cdk_synthesizer_assets_id(stack)));
    }
    cJSON *meta = cJSON_CreateObject();
    if (meta == NULL || (*rc = stack_metadata(stack, stack, meta)) != CDK_OK) {
        if (meta == NULL)
            *rc = cdk_oom(app);
        cJSON_Delete(meta);
        cJSON_Delete(a);
        return NULL;
    }
    if (meta->child)
        cJSON_AddItemToObject(a, "metadata", meta);
    else
        cJSON_Delete(meta);
    cJSON_AddStringToObject(a, "displayName", stack->path);
    *rc = CDK_OK;
    return a;
}

/* tree.json, written as the tree is walked (JSON.stringify(tree, null, 2)) and flushed to the
 * file as it grows: a big App's tree is never whole in memory. */
static void tree_nl(cdk_buf *b, int depth)
{
    static const char spaces[] = "\n                                                                ";
    size_t n = 2 * (size_t)depth;
    cdk_buf_add(b, spaces, 1);
    while (n > 0) {
        size_t take = n < sizeof spaces - 2 ? n : sizeof spaces - 2;
        cdk_buf_add(b, spaces + 1, take);
        n -= take;
    }
}

static void tree_key(cdk_buf *b, int depth, const char *key, int comma)
{
    if (comma)
        cdk_buf_add(b, ",", 1);
    tree_nl(b, depth);
    cdk_json_quote(b, key, strlen(key));
    cdk_buf_add(b, ": ", 2);
}

static void tree_str(cdk_buf *b, int depth, const char *key, const char *value, int comma)
{
    tree_key(b, depth, key, comma);
    cdk_json_quote(b, value, strlen(value));
}

/* Synthesis walks the tree once: each stack's template is rendered as its elements are met
 * (and written when the stack's subtree is done), and tree.json is written along, each schema
 * L1's attributes coming from the resolution its template entry made. */
typedef struct walkstate {
    cdk_app *app;
    cdk_ofile *o;          /* tree.json, or NULL when the App writes none */
    const char *tmpdir;    /* where templates go, or NULL */
    cdk_tpl *tpl;          /* the template of the innermost stack being walked */
} walkstate;

/* JavaScript's parseInt(String(v), 10) of a context value: 0 when it is NaN (null, true, an
 * object, text without leading digits), which CDK's maxResources > 0 takes as no limit. */
static double js_parse_int(const cJSON *v)
{
    char num[32];
    const char *s;
    while (cJSON_IsArray(v) && v->child) /* String([a, b]) is "a,b": only a's text counts */
        v = v->child;
    if (cJSON_IsNumber(v)) {
        cdk_js_number(v->valuedouble, num);
        s = num;
    } else if (cJSON_IsString(v)) {
        s = v->valuestring;
    } else {
        return 0;
    }
    while (*s == ' ' || (*s >= '\t' && *s <= '\r'))
        s++;
    int neg = *s == '-';
    if (*s == '-' || *s == '+')
        s++;
    double d = 0;
    for (; *s >= '0' && *s <= '9'; s++)
        d = d * 10 + (*s - '0');
    return neg ? -d : d;
}

static int check_limits(cdk_node *stack, const cdk_tpl_stats *st, size_t bytes);

static int finish_stack(walkstate *w, cdk_node *st, cdk_tpl_stats *stats)
{
    cdk_stack *s = st->impl;
    cdk_buf text = {0};
    int rc = cdk_tpl_finish(w->tpl, &text);
    if (rc == CDK_OK)
        rc = check_limits(st, stats, text.len);
    if (rc == CDK_OK && s->qualifier) { /* the asset manifest's key */
        unsigned char sha[32];
        cdk_sha256(text.data ? text.data : "", text.len, sha);
        cdk_hex(sha, sizeof sha, s->template_sha256);
    }
    if (rc == CDK_OK && w->tmpdir)
        rc = cdk_write_file(w->app, w->tmpdir, s->template_file, text.data, text.len);
    cdk_buf_free(&text);
    return rc;
}

static int walk_node(cdk_node *n, int depth, walkstate *w)
{
    cdk_tpl *outer = w->tpl;
    cdk_tpl_stats stats = {0};
    cdk_buf attrs = {0};
    int have_attrs = 0, rc = CDK_OK;
    cdk_buf *b = w->o ? &w->o->buf : NULL;
    if (n->is_stack && (w->tpl = cdk_tpl_begin(n, &stats)) == NULL) {
        rc = cdk_oom(w->app);
        goto out;
    }
    if (n->elem && w->tpl &&
        (rc = cdk_tpl_element(w->tpl, n, b ? &attrs : NULL, depth + 1, &have_attrs)) != CDK_OK)
        goto out;
    if (b) {
        cdk_buf_add(b, "{", 1);
        tree_str(b, depth + 1, "id", n->parent ? n->id : "App", 0);
        tree_str(b, depth + 1, "path", n->path, 1);
    }
    int shown = 0; /* children tree.json lists */
    for (cdk_node *c = n->first_child; c && !shown; c = c->next_sibling)
        shown = !cdk_synthesizer_added(c);
    if (n->first_child) {
        if (b && shown) {
            tree_key(b, depth + 1, "children", 1);
            cdk_buf_add(b, "{", 1);
        }
        int listed = 0;
        for (cdk_node *c = n->first_child; c; c = c->next_sibling) {
            /* what the DefaultStackSynthesizer adds is in the template, not in tree.json (CDK
             * writes the tree before it adds them) */
            cdk_ofile *o = w->o;
            if (cdk_synthesizer_added(c))
                w->o = NULL;
            else if (b)
                tree_key(b, depth + 2, c->id, listed++);
            rc = walk_node(c, depth + 2, w);
            w->o = o;
            if (rc != CDK_OK)
                goto out;
        }
        if (b && shown) {
            tree_nl(b, depth + 1);
            cdk_buf_add(b, "}", 1);
        }
    }
    if (b && have_attrs) {
        tree_key(b, depth + 1, "attributes", 1);
        cdk_buf_add(b, attrs.data, attrs.len);
    } else if (b && n->cls->tree_attributes) {
        cJSON *j = NULL;
        if ((rc = n->cls->tree_attributes(n, &j)) != CDK_OK)
            goto out;
        if (j) {
            tree_key(b, depth + 1, "attributes", 1);
            cdk_json_write_at(b, j, 2, depth + 1);
            cJSON_Delete(j);
        }
    }
    if (b) {
        tree_key(b, depth + 1, "constructInfo", 1);
        cdk_buf_add(b, "{", 1);
        tree_str(b, depth + 2, "fqn", n->cls->fqn ? n->cls->fqn : "@aws-cdk/core.Construct", 0);
        tree_str(b, depth + 2, "version", CDK_REFERENCE_VERSION, 1);
        tree_nl(b, depth + 1);
        cdk_buf_add(b, "}", 1);
        tree_nl(b, depth);
        cdk_buf_add(b, "}", 1);
        if (attrs.oom)
            rc = cdk_oom(w->app);
        else if (b->len >= 256 * 1024)
            rc = cdk_ofile_flush(w->app, w->o, 0);
        else if (b->oom)
            rc = cdk_oom(w->app);
        if (rc != CDK_OK)
            goto out;
    }
    if (n->is_stack)
        rc = finish_stack(w, n, &stats);
out:
    if (n->is_stack) {
        cdk_tpl_free(w->tpl);
        w->tpl = outer;
        cdk_tpl_stats_free(&stats);
    }
    cdk_buf_free(&attrs);
    return rc;
}

/* Writes every template, and tree.json when the App writes it. */
static int write_templates_and_tree(cdk_app *app, const char *tmpdir)
{
    walkstate w = {app, NULL, tmpdir, NULL};
    cdk_ofile o;
    int rc;
    if (tmpdir && app->tree_metadata) {
        if ((rc = cdk_ofile_open(app, tmpdir, "tree.json", &o)) != CDK_OK)
            return rc;
        w.o = &o;
        cdk_buf_adds(&o.buf, "{\n  \"version\": \"tree-0.1\",\n  \"tree\": ");
    }
    rc = walk_node(app->root, 1, &w);
    if (w.o) {
        if (rc == CDK_OK)
            cdk_buf_add(&o.buf, "\n}", 2);
        int frc = cdk_ofile_flush(app, &o, 1);
        if (rc == CDK_OK)
            rc = frc;
    }
    return rc;
}

/* ---- the assembly ---- */

void cdk_assembly_free(cdk_assembly *a)
{
    if (a == NULL)
        return;
    a->nstacks = 0;
}

/* The elements of class cls in a stack (not in its nested stacks). */
static long count_elements(const cdk_node *n, const cdk_class *cls)
{
    long c = 0;
    for (const cdk_node *k = n->first_child; k; k = k->next_sibling)
        if (!k->is_stack)
            c += (k->elem && k->cls == cls) + count_elements(k, cls);
    return c;
}

/* The first element of a stack (not of its nested stacks) whose logical ID is longer than
 * CloudFormation allows: an override_logical_id is not checked by CDK v1. */
static int long_logical_id(cdk_node *n, cdk_node **bad, const char **lid)
{
    for (cdk_node *k = n->first_child; k; k = k->next_sibling) {
        if (k->is_stack)
            continue;
        int rc;
        if (k->elem) {
            if ((rc = cdk_logical_id(k, lid)) != CDK_OK)
                return rc;
            if (strlen(*lid) > CDK_CFN_MAX_LOGICAL_ID) {
                *bad = k;
                return CDK_OK;
            }
        }
        if ((rc = long_logical_id(k, bad, lid)) != CDK_OK || *bad)
            return rc;
    }
    return CDK_OK;
}

static int check_limits(cdk_node *stack, const cdk_tpl_stats *st, size_t bytes)
{
    cdk_app *app = stack->app;
    long max = 500;
    const cJSON *ctx = cdk_node_try_get_context(stack, "@aws-cdk/core:stackResourceLimit");
    if (ctx) { /* CDK: parseInt(context, 10); clamped: a double out of long's range cannot be cast */
        double d = js_parse_int(ctx);
        max = d >= 9.2e18 ? LONG_MAX : d <= 0 ? 0 : (long)d;
    }
    long n = (long)st->nresources;
    if (max > 0 && n > max) {
        cdk_buf b = {0};
        /* counts per type, in order of first appearance */
        for (size_t i = 0; i < st->ntypes; i++)
            cdk_buf_addf(&b, "%s%s (%zu)", b.len ? ", " : "", st->types[i], st->counts[i]);
        int rc = cdk_fail(app, CDK_ESYNTH,
                          "Number of resources in stack '%s': %ld is greater than allowed maximum of %ld: %s",
                          stack->path, n, max, b.data ? b.data : "");
        cdk_buf_free(&b);
        return rc;
    }
    if (max > 0 && n >= max * 0.8) {
        /* CDK's info on the stack; once, however often the App synthesizes */
        const char *info = cdk_sprintf(app, "Number of resources: %ld is approaching allowed maximum of %ld", n, max);
        if (info == NULL)
            return cdk_oom(app);
        int seen = 0;
        for (const cdk_meta *m = cdk_node_x(stack)->meta; m && !seen; m = m->next)
            seen = strcmp(m->type, "aws:cdk:info") == 0 && m->data && cdk_value_str(m->data) &&
                   strcmp(cdk_value_str(m->data), info) == 0;
        cdk_value *data = seen ? NULL : cdk_str(app, info);
        if (!seen && data == NULL)
            return cdk_oom(app);
        int rc = seen ? CDK_OK : cdk_node_add_metadata(stack, "aws:cdk:info", data);
        if (rc != CDK_OK)
            return rc;
    }
    /* CloudFormation's other quotas, which CDK v1 does not check (the deployment would fail) */
    static const struct {
        const cdk_class *cls;
        const char *what;
        long max;
    } caps[] = {{&cdk_cfn_output_class, "outputs", CDK_CFN_MAX_OUTPUTS},
                {&cdk_cfn_parameter_class, "parameters", CDK_CFN_MAX_PARAMETERS},
                {&cdk_cfn_mapping_class, "mappings", CDK_CFN_MAX_MAPPINGS}};
    for (size_t i = 0; i < sizeof caps / sizeof caps[0]; i++) {
        long count = count_elements(stack, caps[i].cls);
        if (count > caps[i].max)
            return cdk_fail(app, CDK_ESYNTH,
                            "Number of %s in stack '%s': %ld is greater than CloudFormation's maximum of %ld",
                            caps[i].what, stack->path, count, caps[i].max);
    }
    cdk_node *bad = NULL;
    const char *lid = NULL;
    int rc = long_logical_id(stack, &bad, &lid);
    if (rc != CDK_OK)
        return rc;
    if (bad)
        return cdk_fail(app, CDK_ESYNTH,
                        "The logical ID of '%s' is %zu characters long; CloudFormation allows at most %d: '%.40s...'",
                        bad->path, strlen(lid), CDK_CFN_MAX_LOGICAL_ID, lid);
    if (bytes > CDK_CFN_MAX_TEMPLATE_BYTES)
        return cdk_fail(app, CDK_ESYNTH,
                        "The template of stack '%s' is %zu bytes; CloudFormation accepts at most %d bytes (the "
                        "limit for a template uploaded to S3)",
                        stack->path, bytes, CDK_CFN_MAX_TEMPLATE_BYTES);
    return CDK_OK;
}

/* manifest.json (JSON.stringify(manifest, null, 2)), written one stack artifact at a time: the
 * artifacts of a big App (their metadata lists every element) are never whole in memory. */
static int write_manifest(cdk_app *app, const char *tmpdir, const cdk_nodelist *stacks)
{
    cdk_ofile o;
    int rc = cdk_ofile_open(app, tmpdir, "manifest.json", &o);
    if (rc != CDK_OK)
        return rc;
    cdk_buf *b = &o.buf;
    size_t n = 0;
    cdk_buf_adds(b, "{\n  \"version\": \"" CDK_SCHEMA_VERSION "\",\n  \"artifacts\": {");
    if (app->tree_metadata) {
        cdk_buf_adds(b, "\n    \"Tree\": {\n      \"type\": \"cdk:tree\",\n      \"properties\": {\n"
                        "        \"file\": \"tree.json\"\n      }\n    }");
        n++;
    }
    for (size_t i = 0; rc == CDK_OK && i < stacks->len; i++) {
        cdk_stack *s = stacks->items[i]->impl;
        if (s->qualifier) { /* the DefaultStackSynthesizer: the asset manifest's artifact first */
            cJSON *am = NULL;
            const char *amid = cdk_synthesizer_assets_id(stacks->items[i]);
            if (amid == NULL)
                rc = cdk_oom(app);
            if (rc != CDK_OK || (rc = cdk_synthesizer_write_assets(stacks->items[i], tmpdir, &am)) != CDK_OK)
                break;
            cdk_buf_adds(b, n++ ? ",\n    " : "\n    ");
            cdk_json_quote(b, amid, strlen(amid));
            cdk_buf_adds(b, ": ");
            cdk_json_write_at(b, am, 2, 2);
            cJSON_Delete(am);
        }
        cJSON *a = stack_artifact(stacks->items[i], &rc);
        if (a == NULL)
            break;
        const char *id = cdk_stack_artifact_id(stacks->items[i]);
        cdk_buf_adds(b, n++ ? ",\n    " : "\n    ");
        cdk_json_quote(b, id, strlen(id));
        cdk_buf_adds(b, ": ");
        cdk_json_write_at(b, a, 2, 2);
        cJSON_Delete(a);
        if (b->len >= 256 * 1024)
            rc = cdk_ofile_flush(app, &o, 0);
    }
    if (rc == CDK_OK)
        cdk_buf_adds(b, n ? "\n  }\n}" : "}\n}");
    int frc = cdk_ofile_flush(app, &o, 1);
    return rc != CDK_OK ? rc : frc;
}

static int synth(cdk_app *app, cdk_assembly **out, const char *tmpdir)
{
    int rc;
    cdk_nodelist stacks = {0};
    if ((rc = cdk_app_stacks(app, &stacks)) != CDK_OK)
        return rc;
    cdk_assembly *as = cdk_alloc(app, sizeof *as);
    if (as == NULL || (as->stacks = cdk_alloc(app, (stacks.len + 1) * sizeof *as->stacks)) == NULL)
        return cdk_oom(app);
    as->directory = app->outdir;
    app->synthesizing = 1;
    /* templates (and tree.json) are written as they are rendered, never held as trees */
    if ((rc = write_templates_and_tree(app, tmpdir)) != CDK_OK) {
        app->synthesizing = 0;
        return rc;
    }
    for (size_t i = 0; i < stacks.len; i++) {
        cdk_node *st = stacks.items[i];
        cdk_stack *s = st->impl;
        as->stacks[as->nstacks].name = s->stack_name;
        as->stacks[as->nstacks].artifact = s->artifact_id;
        as->stacks[as->nstacks].template_file = s->template_file;
        as->nstacks++;
    }
    if (tmpdir) {
        if ((rc = write_manifest(app, tmpdir, &stacks)) != CDK_OK)
            goto done;
        static const char version[] = "{\"version\":\"" CDK_SCHEMA_VERSION "\"}";
        if ((rc = cdk_write_file(app, tmpdir, "cdk.out", version, sizeof version - 1)) != CDK_OK)
            goto done;
    }
    rc = CDK_OK;
done:
    app->synthesizing = 0;
    if (rc != CDK_OK) {
        cdk_assembly_free(as);
        return rc;
    }
    *out = as;
    return CDK_OK;
}

int cdk_app_synth(cdk_app *app, cdk_assembly **out)
{
    int rc;
    if ((rc = cdk_app_prepare(app)) != CDK_OK)
        return rc;
    if ((rc = validate_tree(app)) != CDK_OK)
        return rc;
    if ((rc = cdk_synthesizer_add_bootstrap_rules(app)) != CDK_OK)
        return rc;
    char *tmpdir = NULL;
    if ((rc = cdk_fs_prepare_outdir(app, app->outdir, &tmpdir)) != CDK_OK)
        return rc;
    cdk_assembly *as = NULL;
    rc = synth(app, &as, tmpdir);
    if (rc == CDK_OK)
        rc = cdk_fs_commit_outdir(app, tmpdir, app->outdir);
    else
        cdk_fs_discard_outdir(app, tmpdir);
    app->prev_assembly = NULL;
    if (rc != CDK_OK) {
        cdk_assembly_free(as);
        return rc;
    }
    if (app->last_assembly)
        cdk_assembly_free(app->last_assembly);
    app->last_assembly = as;
    *out = as;
    return CDK_OK;
}

/* Renders one stack's template (prepared and validated as for synthesis), without files. */
int cdk_stack_to_json(cdk_node *stack, cJSON **out)
{
    cdk_app *app = stack->app;
    int rc;
    if ((rc = cdk_app_prepare(app)) != CDK_OK)
        return rc;
    if ((rc = validate_tree(app)) != CDK_OK)
        return rc;
    app->synthesizing = 1;
    rc = cdk_stack_template(stack, out);
    app->synthesizing = 0;
    return rc;
}
