/* app.c: the App: its arena, its error message, its context and output folder.
 * The arena is the only allocator of construct data; nothing in it is freed before the App. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cdk_internal.h"

/* 256 KB: above malloc's mmap threshold, so a block comes zeroed from the kernel instead of being
 * cleared by calloc (that memset was a tenth of construction) */
#define BLOCK_SIZE (256 * 1024)
#define FIRST_BLOCK_SIZE (8 * 1024)
#define ALIGN 8 /* enough for every type the arena holds (pointers, doubles, uint64_t) */

static unsigned long next_serial = 1;

/* 64 KB blocks, reused: released space is cleared here, when it is taken again (cdk_alloc's
 * memory is zeroed). */
#define TBLOCK_SIZE (64 * 1024)

/* Under AddressSanitizer each transient allocation is a block of its own, freed at release, so
 * that a value used after its release is caught. */
#if defined(__SANITIZE_ADDRESS__)
#define TBLOCK_KEEP 0
#else
#define TBLOCK_KEEP 1
#endif

static void *transient_alloc(cdk_app *app, size_t size)
{
    cdk_block *b = app->tblocks;
    if (!TBLOCK_KEEP || b == NULL || b->size - b->used < size) {
        size_t bsize = size > TBLOCK_SIZE || !TBLOCK_KEEP ? size : TBLOCK_SIZE;
        cdk_block *nb = malloc(sizeof *nb);
        if (nb == NULL || (nb->data = malloc(bsize)) == NULL) {
            free(nb);
            return NULL;
        }
        nb->size = bsize;
        nb->used = 0;
        nb->next = b;
        app->tblocks = b = nb;
    }
    void *p = b->data + b->used;
    b->used += size;
    memset(p, 0, size);
    return p;
}

void cdk_transient_begin(cdk_app *app)
{
    app->transient++;
}

void cdk_transient_end(cdk_app *app)
{
    app->transient--;
}

cdk_tmark cdk_transient_mark(cdk_app *app)
{
    cdk_tmark m = {app->tblocks, app->tblocks ? app->tblocks->used : 0};
    return m;
}

void cdk_transient_release(cdk_app *app, cdk_tmark m)
{
    /* blocks made after the mark go, but one is kept (emptied) for the next production */
    while (app->tblocks && app->tblocks != m.block) {
        cdk_block *b = app->tblocks;
        if (TBLOCK_KEEP && m.block == NULL && b->next == NULL && b->size == TBLOCK_SIZE) {
            b->used = 0;
            return;
        }
        app->tblocks = b->next;
        free(b->data);
        free(b);
    }
    if (app->tblocks)
        app->tblocks->used = m.used;
}

void *cdk_alloc(cdk_app *app, size_t size)
{
    cdk_block *b = app->blocks;
    size = (size + ALIGN - 1) & ~(size_t)(ALIGN - 1);
    if (size == 0)
        size = ALIGN;
    if (app->transient > 0)
        return transient_alloc(app, size);
    if (b == NULL || b->size - b->used < size) {
        /* blocks grow from FIRST_BLOCK_SIZE to BLOCK_SIZE: a small App takes its few blocks
         * from the heap and never maps (and unmaps) memory for them */
        size_t next = app->block_size ? app->block_size : FIRST_BLOCK_SIZE;
        int big = size > next / 4;
        size_t bsize = big ? size : next;
        cdk_block *nb = malloc(sizeof *nb);
        if (nb == NULL)
            return NULL;
        nb->data = calloc(1, bsize);
        if (nb->data == NULL) {
            free(nb);
            return NULL;
        }
        nb->size = bsize;
        nb->used = 0;
        if (b != NULL && big) {
            /* a big allocation: keep the current block as the one to bump in */
            nb->next = b->next;
            b->next = nb;
            nb->used = size;
            return nb->data;
        }
        nb->next = b;
        app->blocks = b = nb;
        if (!big)
            app->block_size = next * 2 < BLOCK_SIZE ? next * 2 : BLOCK_SIZE;
    }
    void *p = b->data + b->used;
    b->used += size;
    return p;
}

char *cdk_strndup(cdk_app *app, const char *s, size_t len)
{
    char *p = cdk_alloc(app, len + 1);
    if (p == NULL)
        return NULL;
    memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

char *cdk_strdup(cdk_app *app, const char *s)
{
    return cdk_strndup(app, s, strlen(s));
}

/* A format of "%s" conversions and plain characters only (paths, names, keys): concatenated
 * directly, as vsnprintf would (NULL as "(null)"). NULL when fmt has another conversion. */
static char *concat_strs(cdk_app *app, int *done, const char *fmt, va_list ap)
{
    const char *args[8];
    size_t lens[8], n = 0, total = 0;
    *done = 0;
    for (const char *f = fmt; *f; f++) {
        if (*f != '%') {
            total++;
            continue;
        }
        if (f[1] != 's' || n == 8)
            return NULL;
        f++;
        n++;
    }
    for (size_t i = 0; i < n; i++) {
        args[i] = va_arg(ap, const char *);
        if (args[i] == NULL)
            args[i] = "(null)";
        lens[i] = strlen(args[i]);
        total += lens[i];
    }
    *done = 1;
    char *out = cdk_alloc(app, total + 1), *o = out;
    if (out == NULL)
        return NULL;
    n = 0;
    for (const char *f = fmt; *f; f++) {
        if (*f != '%') {
            *o++ = *f;
            continue;
        }
        memcpy(o, args[n], lens[n]);
        o += lens[n++];
        f++;
    }
    *o = '\0';
    return out;
}

char *cdk_sprintf(cdk_app *app, const char *fmt, ...)
{
    va_list ap;
    int done;
    va_start(ap, fmt);
    char *fast = concat_strs(app, &done, fmt, ap);
    va_end(ap);
    if (done)
        return fast;
    char small[256];
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0)
        return NULL;
    char *p = cdk_alloc(app, (size_t)n + 1);
    if (p == NULL)
        return NULL;
    if ((size_t)n < sizeof small) {
        memcpy(p, small, (size_t)n + 1);
    } else {
        va_start(ap, fmt);
        vsnprintf(p, (size_t)n + 1, fmt, ap);
        va_end(ap);
    }
    return p;
}

/* ---- growable buffers ---- */

void cdk_buf_add(cdk_buf *b, const char *s, size_t n)
{
    if (b->oom)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *d = realloc(b->data, cap);
        if (d == NULL) {
            b->oom = 1;
            return;
        }
        b->data = d;
        b->cap = cap;
    }
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void cdk_buf_adds(cdk_buf *b, const char *s)
{
    cdk_buf_add(b, s, strlen(s));
}

/* cdk_buf_addf for a format of plain characters and "%s" only: appended piece by piece, as
 * vsnprintf would write it (NULL as "(null)"). 0 when fmt has another conversion. */
static int add_strs(cdk_buf *b, const char *fmt, va_list ap)
{
    for (const char *f = fmt; *f; f++)
        if (*f == '%' && f[1] != 's')
            return 0;
    const char *run = fmt;
    for (const char *f = fmt; *f; f++) {
        if (*f != '%')
            continue;
        cdk_buf_add(b, run, (size_t)(f - run));
        const char *arg = va_arg(ap, const char *);
        cdk_buf_adds(b, arg ? arg : "(null)");
        run = ++f + 1;
    }
    cdk_buf_adds(b, run);
    return 1;
}

void cdk_buf_addf(cdk_buf *b, const char *fmt, ...)
{
    va_list ap;
    char small[512];
    va_start(ap, fmt);
    int done = add_strs(b, fmt, ap);
    va_end(ap);
    if (done)
        return;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n < sizeof small) {
        cdk_buf_add(b, small, (size_t)n);
        return;
    }
    char *big = malloc((size_t)n + 1);
    if (big == NULL) {
        b->oom = 1;
        return;
    }
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    cdk_buf_add(b, big, (size_t)n);
    free(big);
}

void cdk_buf_free(cdk_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
    b->oom = 0;
}

int cdk_strlist_push(cdk_app *app, cdk_strlist *l, const char *s)
{
    if (l->len == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 4;
        const char **items = cdk_alloc(app, cap * sizeof *items);
        if (items == NULL)
            return cdk_oom(app);
        if (l->len)
            memcpy(items, l->items, l->len * sizeof *items);
        l->items = items;
        l->cap = cap;
    }
    l->items[l->len++] = s;
    return CDK_OK;
}

int cdk_nodelist_push(cdk_app *app, cdk_nodelist *l, cdk_node *n)
{
    if (l->len == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 4;
        cdk_node **items = cdk_alloc(app, cap * sizeof *items);
        if (items == NULL)
            return cdk_oom(app);
        if (l->len)
            memcpy(items, l->items, l->len * sizeof *items);
        l->items = items;
        l->cap = cap;
    }
    l->items[l->len++] = n;
    return CDK_OK;
}

int cdk_nodelist_has(const cdk_nodelist *l, const cdk_node *n)
{
    for (size_t i = 0; i < l->len; i++)
        if (l->items[i] == n)
            return 1;
    return 0;
}

/* ---- errors ---- */

int cdk_fail(cdk_app *app, int code, const char *fmt, ...)
{
    va_list ap;
    char small[1024];
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    app->err.len = 0;
    app->err.oom = 0;
    if (n < 0)
        return code;
    if ((size_t)n < sizeof small) {
        cdk_buf_add(&app->err, small, (size_t)n);
    } else {
        char *big = malloc((size_t)n + 1);
        if (big != NULL) {
            va_start(ap, fmt);
            vsnprintf(big, (size_t)n + 1, fmt, ap);
            va_end(ap);
            cdk_buf_add(&app->err, big, (size_t)n);
            free(big);
        } else {
            cdk_buf_add(&app->err, small, sizeof small - 1);
        }
    }
    return code;
}

int cdk_oom(cdk_app *app)
{
    app->err.len = 0;
    app->err.oom = 0;
    if (app->err.cap > 0) {
        cdk_buf_adds(&app->err, "not enough memory");
    }
    return CDK_ENOMEM;
}

int cdk_wrap_error(cdk_app *app, int code, const char *prefix, const char *suffix)
{
    cdk_buf nb = {0};
    cdk_buf_adds(&nb, prefix);
    if (app->err.data)
        cdk_buf_add(&nb, app->err.data, app->err.len);
    cdk_buf_adds(&nb, suffix);
    if (nb.oom) {
        cdk_buf_free(&nb);
        return code;
    }
    cdk_buf_free(&app->err);
    app->err = nb;
    return code;
}

const char *cdk_app_errmsg(const cdk_app *app)
{
    if (app->err.data == NULL || app->err.len == 0)
        return app->err.cap == 0 ? "not enough memory" : "unknown error";
    return app->err.data;
}

/* ---- the App ---- */

static int merge_context(cdk_app *app, const char *json, const char *what)
{
    if (json == NULL || *json == '\0')
        return CDK_OK;
    /* JSON.parse: nothing but blanks may follow the value */
    cJSON *ctx = cJSON_ParseWithOpts(json, NULL, 1);
    if (ctx == NULL)
        return cdk_fail(app, CDK_EINVAL, "%s is not valid JSON", what);
    if (!cJSON_IsObject(ctx)) {
        cJSON_Delete(ctx);
        return cdk_fail(app, CDK_EINVAL, "%s must be a JSON object", what);
    }
    while (ctx->child != NULL) {
        cJSON *item = cJSON_DetachItemViaPointer(ctx, ctx->child);
        cJSON_DeleteItemFromObjectCaseSensitive(app->context, item->string);
        cJSON_AddItemToObject(app->context, item->string, item);
        /* cJSON_AddItemToObject copies the key; the detached item still owns its old one */
    }
    cJSON_Delete(ctx);
    return CDK_OK;
}

cdk_app *cdk_app_new(const cdk_app_opts *opts)
{
    static const cdk_class app_class = {"App", "@aws-cdk/core.App", NULL, NULL, NULL, NULL};
    cdk_app *app = calloc(1, sizeof *app);
    if (app == NULL)
        return NULL;
    /* reserve the error buffer so that "out of memory" can always be reported */
    cdk_buf_add(&app->err, "", 0);
    app->serial = __atomic_fetch_add(&next_serial, 1, __ATOMIC_RELAXED);
    app->context = cJSON_CreateObject();
    app->node_contexts = cJSON_CreateArray();
    app->root = cdk_alloc(app, sizeof *app->root);
    if (app->context == NULL || app->node_contexts == NULL || app->root == NULL || app->err.oom) {
        cdk_app_free(app);
        return NULL;
    }
    app->root->app = app;
    app->root->id = "";
    app->root->path = "";
    app->root->cls = &app_class;
    app->tree_metadata = !(opts && opts->no_tree_metadata);
    if (opts && opts->runtime_agent && (app->runtime_agent = cdk_strdup(app, opts->runtime_agent)) == NULL) {
        cdk_app_free(app);
        return NULL;
    }

    const char *outdir = opts && opts->outdir ? opts->outdir : getenv("CDK_OUTDIR");
    app->outdir = cdk_strdup(app, outdir && *outdir ? outdir : "cdk.out");
    const char *ctx = opts && opts->context_json ? opts->context_json : getenv("CDK_CONTEXT_JSON");
    if (app->outdir == NULL || merge_context(app, opts ? opts->props_context_json : NULL, "context") != CDK_OK ||
        merge_context(app, ctx, "CDK_CONTEXT_JSON") != CDK_OK) {
        cdk_app_free(app);
        return NULL;
    }
    if (opts && opts->analytics_reporting) {
        cJSON *v = cJSON_CreateBool(opts->analytics_reporting > 0);
        cJSON_DeleteItemFromObjectCaseSensitive(app->context, "aws:cdk:version-reporting");
        if (v == NULL || !cJSON_AddItemToObject(app->context, "aws:cdk:version-reporting", v)) {
            cJSON_Delete(v);
            cdk_app_free(app);
            return NULL;
        }
    }
    cdk_node *tree; /* CDK's TreeMetadata construct, made only when tree.json is written */
    if (app->tree_metadata && cdk_node_new(app->root, "Tree", &cdk_construct_class, 0, &tree) != CDK_OK) {
        cdk_app_free(app);
        return NULL;
    }
    return app;
}

/* Like cdk_app_new, but reports why it failed (bad context JSON) in *err (static or NULL). */
void cdk_app_free(cdk_app *app)
{
    if (app == NULL)
        return;
    if (app->last_assembly)
        cdk_assembly_free(app->last_assembly);
    for (int t = 0; t < 2; t++) {
        cdk_block *b = t ? app->tblocks : app->blocks;
        while (b) {
            cdk_block *next = b->next;
            free(b->data);
            free(b);
            b = next;
        }
    }
    cJSON_Delete(app->context);
    cJSON_Delete(app->node_contexts);
    free(app->tokens);
    cdk_buf_free(&app->err);
    free(app);
}

void cdk_app_set_fallback(cdk_app *app, cdk_app *fallback)
{
    app->fallback = fallback;
}

void cdk_app_set_user(cdk_app *app, void *user)
{
    app->user = user;
}

void *cdk_app_user(const cdk_app *app)
{
    return app->user;
}

cdk_node *cdk_app_root(cdk_app *app)
{
    return app->root;
}

const char *cdk_app_outdir(const cdk_app *app)
{
    return app->outdir;
}

int cdk_app_set_outdir(cdk_app *app, const char *outdir)
{
    const char *d = cdk_strdup(app, outdir);
    if (d == NULL)
        return cdk_oom(app);
    app->outdir = d;
    return CDK_OK;
}

cJSON *cdk_app_context(cdk_app *app)
{
    return app->context;
}

unsigned long cdk_app_serial(const cdk_app *app)
{
    return app->serial;
}

int cdk_app_synthesizing(const cdk_app *app)
{
    return app->synthesizing;
}

int cdk_app_on_prepare(cdk_app *app, int (*fn)(cdk_app *app, void *ud), void *ud)
{
    cdk_hook *h = cdk_alloc(app, sizeof *h);
    if (h == NULL)
        return cdk_oom(app);
    h->fn = fn;
    h->ud = ud;
    if (app->hooks_tail)
        app->hooks_tail->next = h;
    else
        app->hooks = h;
    app->hooks_tail = h;
    return CDK_OK;
}

/* ---- cJSON helpers shared by the core ---- */

cJSON *cdk_json_str(const char *s)
{
    return cJSON_CreateString(s);
}

cJSON *cdk_json_strn(const char *s, size_t n)
{
    if (s[n] == '\0' && memchr(s, '\0', n) == NULL)
        return cJSON_CreateString(s);
    char small[256];
    if (n < sizeof small) {
        memcpy(small, s, n);
        small[n] = '\0';
        return cJSON_CreateString(small);
    }
    char *tmp = malloc(n + 1);
    if (tmp == NULL)
        return NULL;
    memcpy(tmp, s, n);
    tmp[n] = '\0';
    cJSON *j = cJSON_CreateString(tmp);
    free(tmp);
    return j;
}

int cdk_json_add(cJSON *obj, const char *key, cJSON *item)
{
    if (item == NULL)
        return 1;
    return cJSON_AddItemToObject(obj, key, item) ? 1 : 0;
}
