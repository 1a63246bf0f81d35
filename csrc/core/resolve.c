/* resolve.c: resolution of values to plain JSON in the scope of a construct, with the AWS CDK's
 * rules: tokens inside strings become Fn::Join with CDK's minimal-join fragments, undefined
 * values are dropped from maps and lists, references pick their per-stack replacement, and errors
 * from tokens are wrapped as CDK wraps them ("Resolution error: ...").
 * It must not write templates or know any element: it only turns a value into JSON. */
#include <stdlib.h>
#include <string.h>

#include "cdk_internal.h"

#define MAX_DEPTH 200

static const char LAZY_STACK[] = "\nObject creation stack:\n  at Execute again with CDK_DEBUG=true to capture stack traces";
static const char INTRINSIC_STACK[] = "\nObject creation stack:\n  at stack traces disabled";

static int resolve_value(cdk_rctx *ctx, const cdk_value *v, cJSON **out);

/* ---- minimal CloudFormation join ---- */

typedef struct jvec {
    cJSON **items;
    unsigned char *pinned; /* references: never merged with neighbours (CDK keeps them as tokens) */
    size_t len, cap;
} jvec;

static int jvec_push(jvec *v, cJSON *item, int pinned)
{
    if (v->len == v->cap) {
        size_t cap = v->cap ? v->cap * 2 : 8;
        cJSON **items = realloc(v->items, cap * sizeof *items);
        if (items == NULL)
            return 0;
        v->items = items;
        unsigned char *p = realloc(v->pinned, cap);
        if (p == NULL)
            return 0;
        v->pinned = p;
        v->cap = cap;
    }
    v->items[v->len] = item;
    v->pinned[v->len] = (unsigned char)pinned;
    v->len++;
    return 1;
}

static void jvec_free(jvec *v)
{
    for (size_t i = 0; i < v->len; i++)
        cJSON_Delete(v->items[i]);
    free(v->items);
    free(v->pinned);
    v->items = NULL;
    v->pinned = NULL;
    v->len = v->cap = 0;
}

static int concatable(const cJSON *j)
{
    return cJSON_IsString(j) || cJSON_IsNumber(j);
}

int cdk_json_is_intrinsic(const cJSON *j)
{
    if (!cJSON_IsObject(j) || j->child == NULL || j->child->next != NULL)
        return 0;
    const char *k = j->child->string;
    if (strcmp(k, "Ref") == 0)
        return 1;
    return strncmp(k, "Fn::", 4) == 0 && strcmp(k, "Fn::GetArtifactAtt") != 0 &&
           strcmp(k, "Fn::GetParam") != 0;
}

static void scalar_text(const cJSON *j, cdk_buf *b)
{
    if (cJSON_IsString(j)) {
        cdk_buf_adds(b, j->valuestring);
    } else {
        char num[40];
        cdk_js_number(j->valuedouble, num);
        cdk_buf_adds(b, num);
    }
}

static cJSON *concat_scalars(const cJSON *a, const char *delim, const cJSON *b)
{
    cdk_buf buf = {0};
    scalar_text(a, &buf);
    cdk_buf_adds(&buf, delim);
    scalar_text(b, &buf);
    cJSON *r = buf.oom ? NULL : cJSON_CreateString(buf.data ? buf.data : "");
    cdk_buf_free(&buf);
    return r;
}

/* Splices nested joins with the same delimiter and merges adjacent literals, in place. */
static int minimal_join(const char *delim, jvec *v)
{
    size_t i = 0;
    while (i < v->len) {
        cJSON *el = v->items[i];
        cJSON *args;
        if (!v->pinned[i] && cdk_json_is_intrinsic(el) && strcmp(el->child->string, "Fn::Join") == 0 &&
            cJSON_IsArray(args = el->child) && cJSON_GetArraySize(args) == 2 &&
            cJSON_IsString(cJSON_GetArrayItem(args, 0)) &&
            strcmp(cJSON_GetArrayItem(args, 0)->valuestring, delim) == 0 &&
            cJSON_IsArray(cJSON_GetArrayItem(args, 1))) {
            cJSON *list = cJSON_GetArrayItem(args, 1);
            size_t n = (size_t)cJSON_GetArraySize(list);
            /* make room for n items replacing one */
            for (size_t k = 0; k < n + 1; k++)
                if (!jvec_push(v, NULL, 0))
                    return 0;
            v->len -= n + 1;
            memmove(v->items + i + n, v->items + i + 1, (v->len - i - 1) * sizeof *v->items);
            memmove(v->pinned + i + n, v->pinned + i + 1, v->len - i - 1);
            for (size_t k = 0; k < n; k++) {
                v->items[i + k] = cJSON_DetachItemFromArray(list, 0);
                v->pinned[i + k] = 0;
            }
            v->len = v->len + n - 1;
            cJSON_Delete(el);
        } else if (i > 0 && !v->pinned[i] && !v->pinned[i - 1] && concatable(v->items[i - 1]) &&
                   concatable(v->items[i])) {
            cJSON *m = concat_scalars(v->items[i - 1], delim, v->items[i]);
            if (m == NULL)
                return 0;
            cJSON_Delete(v->items[i - 1]);
            cJSON_Delete(v->items[i]);
            v->items[i - 1] = m;
            memmove(v->items + i, v->items + i + 1, (v->len - i - 1) * sizeof *v->items);
            memmove(v->pinned + i, v->pinned + i + 1, v->len - i - 1);
            v->len--;
        } else {
            i++;
        }
    }
    return 1;
}

static cJSON *make_join(const char *delim, jvec *v)
{
    cJSON *list = cJSON_CreateArray();
    cJSON *args = cJSON_CreateArray();
    cJSON *j = cJSON_CreateObject();
    if (!list || !args || !j) {
        cJSON_Delete(list);
        cJSON_Delete(args);
        cJSON_Delete(j);
        return NULL;
    }
    for (size_t i = 0; i < v->len; i++) {
        cJSON_AddItemToArray(list, v->items[i]);
        v->items[i] = NULL;
    }
    v->len = 0;
    cJSON_AddItemToArray(args, cJSON_CreateString(delim));
    cJSON_AddItemToArray(args, list);
    cJSON_AddItemToObjectCS(j, "Fn::Join", args);
    return j;
}

cJSON *cdk_cfn_concat(cJSON *left, cJSON *right)
{
    if (left == NULL && right == NULL)
        return cJSON_CreateString("");
    if (left == NULL)
        return right;
    if (right == NULL)
        return left;
    if (concatable(left) && concatable(right)) {
        cJSON *r = concat_scalars(left, "", right);
        cJSON_Delete(left);
        cJSON_Delete(right);
        return r;
    }
    jvec v = {0};
    if (!jvec_push(&v, left, 0)) {
        cJSON_Delete(left);
        cJSON_Delete(right);
        jvec_free(&v);
        return NULL;
    }
    if (!jvec_push(&v, right, 0)) {
        cJSON_Delete(right);
        jvec_free(&v);
        return NULL;
    }
    cJSON *r = minimal_join("", &v) ? make_join("", &v) : NULL;
    jvec_free(&v);
    return r;
}

/* ---- tokens ---- */

static cdk_node *consumer_stack(cdk_rctx *ctx)
{
    return ctx->scope ? ctx->scope->stack : NULL;
}

static cJSON *ref_intrinsic(cdk_rctx *ctx, cdk_token *t, int *rc)
{
    cdk_node *target = t->u.ref.target;
    const char *attr = t->u.ref.attr;
    if (t->u.ref.value) {
        cJSON *j = NULL;
        *rc = resolve_value(ctx, t->u.ref.value, &j);
        return j;
    }
    const char *lid;
    *rc = cdk_logical_id(target, &lid);
    if (*rc != CDK_OK)
        return NULL;
    cJSON *j = cJSON_CreateObject();
    if (j == NULL) {
        *rc = cdk_oom(ctx->app);
        return NULL;
    }
    if (strcmp(attr, "Ref") == 0) {
        cJSON_AddItemToObjectCS(j, "Ref", cJSON_CreateString(lid));
    } else {
        cJSON *a = cJSON_CreateArray();
        if (a && cJSON_AddItemToObjectCS(j, "Fn::GetAtt", a)) {
            cJSON_AddItemToArray(a, cJSON_CreateString(lid));
            cJSON_AddItemToArray(a, cJSON_CreateString(attr));
        }
    }
    return j;
}

/* CDK joins literals with the delimiter as it is and resolves what FnJoin returns once more: a
 * delimiter holding tokens leaves them in the strings it joined, and in Fn::Join's own delimiter,
 * to be resolved like any token in a string. */
static int resolve_delim_tokens(cdk_rctx *ctx, const char *delim, cJSON **out)
{
    if (*out == NULL || !cdk_str_is_unresolved(delim, strlen(delim)))
        return CDK_OK;
    cdk_value *v = cdk_value_from_json(ctx->app, *out);
    cJSON_Delete(*out);
    *out = NULL;
    return v ? resolve_value(ctx, v, out) : cdk_oom(ctx->app);
}

static int resolve_token_inner(cdk_rctx *ctx, cdk_token *t, cJSON **out, int *pinned)
{
    int rc = CDK_OK;
    cdk_value *produced = NULL;
    switch (t->kind) {
    case CDK_TOK_INTRINSIC:
        return resolve_value(ctx, t->u.intrinsic, out);
    case CDK_TOK_REF: {
        if (pinned)
            *pinned = 1;
        if (t->u.ref.mimic) {
            rc = t->u.ref.mimic(ctx, t, t->u.ref.mimic_ud, &produced);
            if (rc != CDK_OK)
                return rc;
            return resolve_value(ctx, produced, out);
        }
        if (ctx->on_ref && ctx->preparing) {
            rc = ctx->on_ref(ctx, t);
            if (rc != CDK_OK)
                return rc;
        }
        cdk_node *consumer = consumer_stack(ctx);
        for (cdk_replacement *r = t->u.ref.repl; r; r = r->next)
            if (r->stack == consumer)
                return resolve_value(ctx, r->value, out);
        *out = ref_intrinsic(ctx, t, &rc);
        return rc;
    }
    case CDK_TOK_JOIN: {
        cdk_value *list = t->u.join.list;
        if (cdk_is_unresolved(list)) {
            cJSON *l = NULL;
            rc = resolve_value(ctx, list, &l);
            if (rc != CDK_OK)
                return rc;
            cJSON *j = cJSON_CreateObject();
            cJSON *args = cJSON_CreateArray();
            if (args && !cJSON_AddItemToObjectCS(j, "Fn::Join", args)) {
                cJSON_Delete(args);
                args = NULL;
            }
            cJSON_AddItemToArray(args, cJSON_CreateString(t->u.join.delim));
            cJSON_AddItemToArray(args, l ? l : cJSON_CreateNull());
            *out = j;
            return resolve_delim_tokens(ctx, t->u.join.delim, out);
        }
        jvec v = {0};
        for (size_t i = 0; i < list->len; i++) {
            cJSON *item = NULL;
            const cdk_value *x = list->u.list.items[i];
            cdk_token *xt = cdk_token_of(ctx->app, x);
            int pin = xt && xt->kind == CDK_TOK_REF;
            rc = resolve_value(ctx, x, &item);
            if (rc != CDK_OK) {
                jvec_free(&v);
                return rc;
            }
            if (item && !jvec_push(&v, item, pin)) {
                cJSON_Delete(item);
                jvec_free(&v);
                return cdk_oom(ctx->app);
            }
        }
        if (!minimal_join(t->u.join.delim, &v)) {
            jvec_free(&v);
            return cdk_oom(ctx->app);
        }
        if (v.len == 1) {
            *out = v.items[0];
            v.len = 0;
        } else {
            *out = make_join(t->u.join.delim, &v);
        }
        jvec_free(&v);
        if ((rc = resolve_delim_tokens(ctx, t->u.join.delim, out)) != CDK_OK)
            return rc;
        return CDK_OK;
    }
    case CDK_TOK_LAZY: {
        /* what the production put in the transient arena goes once it is resolved (but a value
         * that is cached is never transient: the producer's windows are closed for it) */
        cdk_tmark tm = cdk_transient_mark(ctx->app);
        int release = 0;
        /* the cached value lives in the arena of the App that produced it: an App-less lazy used
         * by several Apps is cached per App (one App's value would be freed with it) */
        if (t->u.lazy.cache && t->u.lazy.cached && t->u.lazy.cached_app == cdk_app_serial(ctx->app)) {
            produced = t->u.lazy.value;
        } else {
            produced = NULL;
            ctx->app->transient = t->u.lazy.cache ? -1000000 : 0;
            rc = t->u.lazy.fn(ctx, t->u.lazy.ud, &produced);
            ctx->app->transient = 0;
            release = !t->u.lazy.cache;
            if (rc == CDK_OK && produced == NULL)
                rc = cdk_oom(ctx->app);
            if (rc != CDK_OK) {
                if (release)
                    cdk_transient_release(ctx->app, tm);
                return rc;
            }
            /* like CDK's `cached ?? (cached = produce())`: undefined and null are not kept */
            if (t->u.lazy.cache && produced->kind != CDK_UNDEFINED && produced->kind != CDK_NULL) {
                t->u.lazy.value = produced;
                t->u.lazy.cached = 1;
                t->u.lazy.cached_app = cdk_app_serial(ctx->app);
            }
        }
        rc = resolve_value(ctx, produced, out);
        if (release)
            cdk_transient_release(ctx->app, tm);
        if (rc != CDK_OK)
            return rc;
        if (t->u.lazy.omit_empty && cJSON_IsArray(*out) && (*out)->child == NULL) {
            cJSON_Delete(*out);
            *out = NULL;
        }
        /* a post-processor only reshapes what was resolved: references were met before it ran,
         * so it is skipped while they are collected (that output is thrown away) */
        if (t->u.lazy.post && !(ctx->preparing && ctx->on_ref))
            return t->u.lazy.post(ctx, t->u.lazy.ud, out);
        return CDK_OK;
    }
    }
    return CDK_OK;
}

static int resolve_token(cdk_rctx *ctx, cdk_token *t, cJSON **out, int *pinned)
{
    /* resolving a token may make what is kept (a logical ID, a reference's value, a cached lazy):
     * never in the transient arena, even when a producer's window is open around it */
    int transient = ctx->app->transient;
    ctx->app->transient = 0;
    int rc = resolve_token_inner(ctx, t, out, pinned);
    ctx->app->transient = transient;
    if (rc != CDK_OK && rc != CDK_ENOMEM) {
        /* creation_stack: 0 by kind (lazies say how to get traces, intrinsics that they are off),
         * 1 the lazy text, 2 the intrinsic text, 3 none */
        const char *stack = "";
        int cs = t->creation_stack ? t->creation_stack : t->kind == CDK_TOK_LAZY ? 1 : 2;
        if (cs == 1)
            stack = LAZY_STACK;
        else if (cs == 2)
            stack = INTRINSIC_STACK;
        cdk_buf suffix = {0};
        cdk_buf_adds(&suffix, ".");
        cdk_buf_adds(&suffix, stack);
        rc = cdk_wrap_error(ctx->app, rc, "Resolution error: ", suffix.data ? suffix.data : ".");
        cdk_buf_free(&suffix);
    }
    return rc;
}

/* ---- strings ---- */

static int resolve_string(cdk_rctx *ctx, const cdk_value *v, cJSON **out)
{
    const char *s = v->u.str.ptr;
    size_t len = v->len;
    if (!cdk_str_is_unresolved(s, len)) {
        if (cdk_is_list_token_elem(v))
            return cdk_fail(ctx->app, CDK_ESYNTH,
                            "Found an encoded list token string in a scalar string context. Use "
                            "'Fn.select(0, list)' (not 'list[0]') to extract elements from token lists.");
        *out = cdk_json_strn(s, len);
        return *out ? CDK_OK : cdk_oom(ctx->app);
    }
    cdk_fragment buf[16], *frags;
    size_t n;
    int rc = cdk_str_split_buf(ctx->app, s, len, buf, sizeof buf / sizeof buf[0], &frags, &n);
    if (rc != CDK_OK)
        return rc;
    cJSON *acc = NULL;
    for (size_t i = 0; i < n; i++) {
        cJSON *piece = NULL;
        if (frags[i].token) {
            rc = resolve_token(ctx, frags[i].token, &piece, NULL);
            if (rc != CDK_OK) {
                cJSON_Delete(acc);
                return rc;
            }
        } else {
            piece = cdk_json_strn(frags[i].lit, frags[i].len);
            if (piece == NULL) {
                cJSON_Delete(acc);
                return cdk_oom(ctx->app);
            }
        }
        if (n == 1) {
            *out = piece;
            return CDK_OK;
        }
        if (i == 0) {
            acc = piece;
            continue;
        }
        acc = cdk_cfn_concat(acc, piece);
        if (acc == NULL)
            return cdk_oom(ctx->app);
    }
    *out = acc;
    return CDK_OK;
}

/* ---- values ---- */

static int resolve_value(cdk_rctx *ctx, const cdk_value *v, cJSON **out)
{
    int rc = CDK_OK;
    *out = NULL;
    if (v == NULL)
        return CDK_OK;
    if (++ctx->depth > MAX_DEPTH) {
        ctx->depth--;
        return cdk_fail(ctx->app, CDK_ESYNTH, "Unable to resolve object tree with circular reference.");
    }
    switch (v->kind) {
    case CDK_UNDEFINED:
        break;
    case CDK_NULL:
        *out = cJSON_CreateNull();
        break;
    case CDK_BOOL:
        *out = cJSON_CreateBool(v->u.boolean);
        break;
    case CDK_NUMBER: {
        cdk_token *t = cdk_num_is_token(v->u.number) ? cdk_token_of_num(ctx->app, v->u.number) : NULL;
        if (cdk_num_is_token(v->u.number) && t == NULL)
            rc = cdk_fail(ctx->app, CDK_ESYNTH, "Encoded representation of unknown number Token found");
        else if (t)
            rc = resolve_token(ctx, t, out, NULL);
        else
            *out = cJSON_CreateNumber(v->u.number);
        break;
    }
    case CDK_STRING:
        rc = resolve_string(ctx, v, out);
        break;
    case CDK_TOKEN:
        rc = resolve_token(ctx, v->u.token, out, NULL);
        break;
    case CDK_LIST: {
        size_t n = v->len;
        int has_list_token = 0;
        for (size_t i = 0; i < n; i++)
            if (cdk_is_list_token_elem(v->u.list.items[i]))
                has_list_token = 1;
        if (has_list_token) {
            if (n != 1) {
                rc = cdk_fail(ctx->app, CDK_ESYNTH, "Cannot add elements to list token");
                break;
            }
            cdk_token *t = cdk_token_of(ctx->app, v);
            if (t == NULL) {
                rc = cdk_fail(ctx->app, CDK_ESYNTH,
                              "Cannot concatenate strings in a tokenized string array, got: %s",
                              v->u.list.items[0]->u.str.ptr);
                break;
            }
            rc = resolve_token(ctx, t, out, NULL);
            break;
        }
        cJSON *arr = cJSON_CreateArray();
        if (arr == NULL) {
            rc = cdk_oom(ctx->app);
            break;
        }
        for (size_t i = 0; i < n; i++) {
            cJSON *item = NULL;
            rc = resolve_value(ctx, v->u.list.items[i], &item);
            if (rc != CDK_OK) {
                cJSON_Delete(arr);
                arr = NULL;
                break;
            }
            if (item)
                cJSON_AddItemToArray(arr, item);
        }
        *out = arr;
        break;
    }
    case CDK_MAP: {
        cJSON *obj = cJSON_CreateObject();
        if (obj == NULL) {
            rc = cdk_oom(ctx->app);
            break;
        }
        for (size_t i = 0; i < v->len; i++) {
            cJSON *item = NULL;
            const char *key = v->u.map.ents[i].key;
            rc = resolve_value(ctx, v->u.map.ents[i].value, &item);
            if (rc != CDK_OK) {
                cJSON_Delete(obj);
                obj = NULL;
                break;
            }
            if (item == NULL)
                continue;
            if (cdk_str_is_unresolved(key, strlen(key))) {
                cdk_value kv = {CDK_STRING, 0, 0, 0, {0}};
                kv.u.str.ptr = key;
                kv.len = (uint32_t)strlen(key);
                cJSON *rk = NULL;
                rc = strlen(key) > CDK_VALUE_MAX_LEN ? cdk_oom(ctx->app) : resolve_value(ctx, &kv, &rk);
                if (rc == CDK_OK && !cJSON_IsString(rk)) {
                    cdk_buf kb = {0};
                    if (rk)
                        cdk_json_write(&kb, rk, 0);
                    rc = cdk_fail(ctx->app, CDK_ESYNTH,
                                  "\"%s\" is used as the key in a map so must resolve to a string, but "
                                  "it resolves to: %s. Consider using \"CfnJson\" to delay resolution "
                                  "to deployment-time",
                                  key, kb.data ? kb.data : "undefined");
                    cdk_buf_free(&kb);
                }
                if (rc != CDK_OK) {
                    cJSON_Delete(rk);
                    cJSON_Delete(item);
                    cJSON_Delete(obj);
                    obj = NULL;
                    break;
                }
                cJSON_DeleteItemFromObjectCaseSensitive(obj, rk->valuestring);
                cJSON_AddItemToObject(obj, rk->valuestring, item);
                cJSON_Delete(rk);
                continue;
            }
            cJSON_AddItemToObjectCS(obj, key, item); /* the key is the arena's */
        }
        *out = obj;
        break;
    }
    }
    ctx->depth--;
    if (rc == CDK_OK && *out == NULL && v->kind != CDK_UNDEFINED && v->kind != CDK_TOKEN &&
        v->kind != CDK_STRING && v->kind != CDK_NUMBER && v->kind != CDK_LIST)
        rc = cdk_oom(ctx->app);
    return rc;
}

int cdk_resolve(cdk_rctx *ctx, const cdk_value *v, cJSON **out)
{
    return resolve_value(ctx, v, out);
}

int cdk_resolve_in(cdk_node *scope, const cdk_value *v, cJSON **out)
{
    cdk_rctx ctx = {scope->app, scope, 0, NULL, NULL, 0};
    return resolve_value(&ctx, v, out);
}
