/* refs.c: cross-stack references, as CDK resolves them before synthesis: every CfnReference an
 * element of one stack uses from another stack becomes an Output with an Export in the producer
 * ("Exports/Output{...}") and Fn::ImportValue in the consumer, which then depends on the producer.
 * Nested stacks are not supported. */
#include <stdlib.h>
#include <string.h>

#include "cdk_internal.h"

typedef struct edge {
    cdk_node *source;
    cdk_token *ref;
} edge;

typedef struct edges {
    edge *items;
    size_t len, cap;
    size_t first;         /* the current element's edges start here */
    cdk_node *current;
} edges;

static int remember(cdk_rctx *ctx, cdk_token *ref)
{
    edges *e = ctx->ud;
    for (size_t i = e->first; i < e->len; i++)
        if (e->items[i].ref == ref)
            return CDK_OK;
    if (e->len == e->cap) {
        /* malloc'd: the list is dropped once the references are resolved */
        size_t cap = e->cap ? e->cap * 2 : 64;
        edge *items = realloc(e->items, cap * sizeof *items);
        if (items == NULL)
            return cdk_oom(ctx->app);
        e->items = items;
        e->cap = cap;
    }
    e->items[e->len].source = e->current;
    e->items[e->len].ref = ref;
    e->len++;
    return CDK_OK;
}

static int find_refs(cdk_node *n, void *ud)
{
    edges *e = ud;
    if (n->elem == NULL || n->stack == NULL)
        return CDK_OK;
    e->current = n;
    e->first = e->len;
    cJSON *scratch = cJSON_CreateObject();
    if (scratch == NULL)
        return cdk_oom(n->app);
    cdk_rctx ctx = {n->app, n, 1, remember, e, 0};
    int rc = n->cls->render(n, &ctx, scratch);
    cJSON_Delete(scratch);
    return rc;
}

static int has_value_for(cdk_token *ref, cdk_node *stack)
{
    if (ref->u.ref.target->stack == stack)
        return 1;
    for (cdk_replacement *r = ref->u.ref.repl; r; r = r->next)
        if (r->stack == stack)
            return 1;
    return 0;
}

static int exports_scope(cdk_node *stack, cdk_node **out)
{
    cdk_stack *s = stack->impl;
    if (s->exports == NULL) {
        cdk_node *ex = cdk_node_find_child(stack, "Exports");
        int rc;
        if (ex == NULL && (rc = cdk_node_new(stack, "Exports", &cdk_construct_class, 0, &ex)) != CDK_OK)
            return rc;
        s->exports = ex;
    }
    *out = s->exports;
    return CDK_OK;
}

/* Stack.exportValue for a reference: the Output in the producer, Fn::ImportValue to use. */
static int export_value(cdk_node *producer, cdk_token *ref, cdk_value **import)
{
    cdk_app *app = producer->app;
    if (ref->u.ref.target->elem)
        ref->u.ref.target->elem->locked = 1;
    cdk_node *exports;
    int rc = exports_scope(producer, &exports);
    if (rc != CDK_OK)
        return rc;
    cdk_value *refv = cdk_token_strv(app, ref);
    if (refv == NULL)
        return cdk_oom(app);
    cJSON *resolved = NULL;
    rc = cdk_resolve_in(producer, refv, &resolved);
    if (rc != CDK_OK)
        return rc;
    cdk_buf b = {0};
    cdk_buf_adds(&b, "Output");
    if (resolved)
        cdk_json_write(&b, resolved, 0);
    cJSON_Delete(resolved);
    if (b.oom) {
        cdk_buf_free(&b);
        return cdk_oom(app);
    }
    const char *id = cdk_strdup(app, b.data);
    cdk_buf_free(&b);
    if (id == NULL)
        return cdk_oom(app);
    /* generateExportName: the ids of the Exports scope's scopes below the stack (with the
     * stackRelativeExports flag) or below the App's child (without it), then the output id */
    size_t depth = 0, stack_depth = 0;
    for (const cdk_node *p = exports; p->parent; p = p->parent)
        depth++;
    for (const cdk_node *p = producer; p->parent; p = p->parent)
        stack_depth++;
    size_t skip = cdk_feature_flag(exports, "@aws-cdk/core:stackRelativeExports") ? stack_depth : 1;
    size_t ncomps = depth - skip + 1;
    const char **comps = cdk_alloc(app, ncomps * sizeof *comps);
    if (comps == NULL)
        return cdk_oom(app);
    comps[ncomps - 1] = id;
    size_t i = ncomps - 1;
    for (const cdk_node *p = exports; i > 0; p = p->parent)
        comps[--i] = p->id;
    const char *local;
    if ((rc = cdk_make_unique_id(app, comps, ncomps, &local)) != CDK_OK)
        return rc;
    const char *sname = cdk_stack_name(producer);
    size_t plen = strlen(sname) + 1, llen = strlen(local);
    size_t cut = llen + plen > 255 ? llen + plen - 255 : 0;
    const char *export_name = cdk_sprintf(app, "%s:%s", sname, local + cut);
    if (export_name == NULL)
        return cdk_oom(app);
    if (cdk_node_find_child(exports, id) == NULL) {
        cdk_output_props p = {refv, NULL, cdk_str(app, export_name), NULL};
        cdk_node *out;
        if (p.export_name == NULL)
            return cdk_oom(app);
        if ((rc = cdk_cfn_output_new(exports, id, &p, &out)) != CDK_OK)
            return rc;
    }
    *import = cdk_fn_import_value(app, cdk_str(app, export_name));
    return *import ? CDK_OK : cdk_oom(app);
}

static int resolve_value(cdk_node *consumer, cdk_token *ref, cdk_value **out)
{
    cdk_app *app = consumer->app;
    cdk_node *producer = ref->u.ref.target->stack;
    if (strcmp(cdk_stack_environment(producer), cdk_stack_environment(consumer)) != 0)
        return cdk_fail(app, CDK_ESYNTH,
                        "Stack \"%s\" cannot consume a cross reference from stack \"%s\". Cross stack references "
                        "are only supported for stacks deployed to the same environment or between nested stacks "
                        "and their parent stack",
                        consumer->path, producer->path);
    const char *reason = cdk_sprintf(app, "%s -> %s.%s", consumer->path, ref->u.ref.target->path,
                                     ref->u.ref.display);
    if (reason == NULL)
        return cdk_oom(app);
    int rc = cdk_stack_add_dependency(consumer, producer, reason);
    if (rc != CDK_OK)
        return rc;
    return export_value(producer, ref, out);
}

static int resolve_edges(cdk_app *app, edges *e);

int cdk_resolve_references(cdk_app *app)
{
    edges e = {0};
    int rc = cdk_walk(app->root, 0, find_refs, &e);
    if (rc == CDK_OK)
        rc = resolve_edges(app, &e);
    free(e.items);
    return rc;
}

static int resolve_edges(cdk_app *app, edges *ep)
{
    edges e = *ep;
    int rc;
    for (size_t i = 0; i < e.len; i++) {
        cdk_node *consumer = e.items[i].source->stack;
        cdk_token *ref = e.items[i].ref;
        if (has_value_for(ref, consumer))
            continue;
        cdk_value *v;
        if ((rc = resolve_value(consumer, ref, &v)) != CDK_OK)
            return rc;
        cdk_replacement *r = cdk_alloc(app, sizeof *r);
        if (r == NULL)
            return cdk_oom(app);
        r->stack = consumer;
        r->value = v;
        r->next = ref->u.ref.repl;
        ref->u.ref.repl = r;
    }
    return CDK_OK;
}
