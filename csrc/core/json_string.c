/* json_string.c: Stack.toJsonString as the AWS CDK v1 renders it (CloudFormationLang.toJSON, no
 * indentation): a lazy string whose value is the JSON text of a value, each token in it resolved
 * and spliced in with a Fn::Join: a string token as a quoted intrinsic whose literals are escaped,
 * a number token bare. Also the conversion of resolved JSON back to values. It writes no
 * template and knows no element. */
#include <string.h>

#include "cdk_internal.h"

/* The text being built: a cJSON array of parts, literal runs (strings) and intrinsics (objects),
 * as CDK's segments. */
typedef struct jtext {
    cdk_rctx *ctx;
    cJSON *parts;
} jtext;

static int lit(jtext *t, const char *s, size_t n)
{
    cJSON *last = cJSON_GetArrayItem(t->parts, cJSON_GetArraySize(t->parts) - 1);
    if (last && cJSON_IsString(last)) {
        cdk_buf b = {0};
        cdk_buf_adds(&b, last->valuestring);
        cdk_buf_add(&b, s, n);
        cJSON *m = b.oom ? NULL : cJSON_CreateString(b.data);
        cdk_buf_free(&b);
        if (m == NULL)
            return cdk_oom(t->ctx->app);
        cJSON_ReplaceItemInArray(t->parts, cJSON_GetArraySize(t->parts) - 1, m);
        return CDK_OK;
    }
    cJSON *p = cdk_json_strn(s, n);
    if (p == NULL)
        return cdk_oom(t->ctx->app);
    cJSON_AddItemToArray(t->parts, p);
    return CDK_OK;
}

static int lits(jtext *t, const char *s)
{
    return lit(t, s, strlen(s));
}

/* JSON.stringify of a string, appended as literal text. */
static int quoted(jtext *t, const char *s, size_t n)
{
    cdk_buf b = {0};
    cdk_json_quote(&b, s, n);
    int rc = b.oom ? cdk_oom(t->ctx->app) : lit(t, b.data, b.len);
    cdk_buf_free(&b);
    return rc;
}

/* Appends the parts of sub (consumed). */
static int append(jtext *t, cJSON *sub)
{
    int rc = CDK_OK;
    while (rc == CDK_OK && sub->child) {
        cJSON *p = cJSON_DetachItemFromArray(sub, 0);
        if (cJSON_IsString(p)) {
            rc = lits(t, p->valuestring);
            cJSON_Delete(p);
        } else {
            cJSON_AddItemToArray(t->parts, p);
        }
    }
    cJSON_Delete(sub);
    return rc;
}

/* deepQuoteStringLiterals: every string (keys too) escaped as inside a JSON string. */
static cJSON *deep_quote(const cJSON *j)
{
    if (cJSON_IsString(j)) {
        cdk_buf b = {0};
        cdk_json_quote(&b, j->valuestring, strlen(j->valuestring));
        cJSON *r = b.oom || b.len < 2 ? NULL : cdk_json_strn(b.data + 1, b.len - 2);
        cdk_buf_free(&b);
        return r;
    }
    if (cJSON_IsArray(j) || cJSON_IsObject(j)) {
        cJSON *r = cJSON_IsArray(j) ? cJSON_CreateArray() : cJSON_CreateObject();
        for (const cJSON *c = j->child; r && c; c = c->next) {
            cJSON *q = deep_quote(c);
            if (q == NULL) {
                cJSON_Delete(r);
                return NULL;
            }
            if (cJSON_IsArray(j)) {
                cJSON_AddItemToArray(r, q);
                continue;
            }
            cdk_buf b = {0};
            cdk_json_quote(&b, c->string, strlen(c->string));
            if (b.oom || b.len < 2) {
                cdk_buf_free(&b);
                cJSON_Delete(q);
                cJSON_Delete(r);
                return NULL;
            }
            b.data[b.len - 1] = '\0';
            cJSON_AddItemToObject(r, b.data + 1, q);
            cdk_buf_free(&b);
        }
        return r;
    }
    return cJSON_Duplicate(j, 1);
}

static int render_value(jtext *t, const cdk_value *v, int *defined);

/* A resolved value (consumed). hint: 's' for what a string token gave, 'n' for a number token's;
 * CDK's type hints only mark what tokens resolved to, so nested intrinsics count as strings. */
static int render_resolved(jtext *t, cJSON *r, int hint, int *defined)
{
    int rc = CDK_OK;
    char num[40];
    *defined = r != NULL;
    if (r == NULL)
        return CDK_OK;
    if (cdk_json_is_intrinsic(r)) {
        if (hint == 'n') {
            cJSON_AddItemToArray(t->parts, r);
            return CDK_OK;
        }
        cJSON *q = deep_quote(r);
        cJSON_Delete(r);
        if (q == NULL)
            return cdk_oom(t->ctx->app);
        if ((rc = lits(t, "\"")) != CDK_OK) {
            cJSON_Delete(q);
            return rc;
        }
        cJSON_AddItemToArray(t->parts, q);
        return lits(t, "\"");
    }
    if (cJSON_IsArray(r) || cJSON_IsObject(r)) {
        int obj = cJSON_IsObject(r), first = 1;
        rc = lits(t, obj ? "{" : "[");
        for (cJSON *c = r->child; rc == CDK_OK && c; c = c->next) {
            if (!first)
                rc = lits(t, ",");
            first = 0;
            if (rc == CDK_OK && obj && (rc = quoted(t, c->string, strlen(c->string))) == CDK_OK)
                rc = lits(t, ":");
            int d;
            cJSON *item = cJSON_Duplicate(c, 1);
            if (rc == CDK_OK)
                rc = item ? render_resolved(t, item, 's', &d) : cdk_oom(t->ctx->app);
            else
                cJSON_Delete(item);
        }
        if (rc == CDK_OK)
            rc = lits(t, obj ? "}" : "]");
        cJSON_Delete(r);
        return rc;
    }
    if (cJSON_IsString(r))
        rc = quoted(t, r->valuestring, strlen(r->valuestring));
    else if (cJSON_IsNumber(r)) {
        cdk_js_number(r->valuedouble, num);
        rc = lits(t, num);
    } else if (cJSON_IsBool(r))
        rc = lits(t, cJSON_IsTrue(r) ? "true" : "false");
    else
        rc = lits(t, "null");
    cJSON_Delete(r);
    return rc;
}

static int render_token(jtext *t, const cdk_value *v, int hint, int *defined)
{
    cJSON *r = NULL;
    int rc = cdk_resolve(t->ctx, v, &r);
    if (rc != CDK_OK)
        return rc;
    return render_resolved(t, r, hint, defined);
}

/* v rendered into its own parts (for commas and skipped entries); *out NULL when undefined. */
static int render_sub(jtext *t, const cdk_value *v, cJSON **out)
{
    jtext sub = {t->ctx, cJSON_CreateArray()};
    int defined = 0;
    *out = NULL;
    if (sub.parts == NULL)
        return cdk_oom(t->ctx->app);
    int rc = render_value(&sub, v, &defined);
    if (rc != CDK_OK || !defined) {
        cJSON_Delete(sub.parts);
        return rc;
    }
    *out = sub.parts;
    return CDK_OK;
}

static int render_value(jtext *t, const cdk_value *v, int *defined)
{
    char num[40];
    int rc = CDK_OK;
    *defined = 1;
    switch (v->kind) {
    case CDK_UNDEFINED:
        *defined = 0;
        return CDK_OK;
    case CDK_NULL:
        return lits(t, "null");
    case CDK_BOOL:
        return lits(t, v->u.boolean ? "true" : "false");
    case CDK_NUMBER:
        if (cdk_num_is_token(v->u.number))
            return render_token(t, v, 'n', defined);
        cdk_js_number(v->u.number, num);
        return lits(t, num);
    case CDK_STRING:
        if (cdk_str_is_unresolved(v->u.str.ptr, v->len))
            return render_token(t, v, 's', defined);
        return quoted(t, v->u.str.ptr, v->len);
    case CDK_TOKEN:
        return render_token(t, v, 's', defined);
    case CDK_LIST: {
        if (cdk_is_unresolved(v))
            return cdk_fail(t->ctx->app, CDK_ESYNTH,
                            "lua-cdk cannot write a list token inside a JSON string (the AWS CDK stringifies "
                            "it with a custom resource)");
        size_t n = 0;
        rc = lits(t, "[");
        for (size_t i = 0; rc == CDK_OK && i < v->len; i++) {
            cJSON *sub;
            if ((rc = render_sub(t, v->u.list.items[i], &sub)) != CDK_OK || sub == NULL)
                continue;
            if (n++ > 0 && (rc = lits(t, ",")) != CDK_OK) {
                cJSON_Delete(sub);
                break;
            }
            rc = append(t, sub);
        }
        return rc == CDK_OK ? lits(t, "]") : rc;
    }
    case CDK_MAP: {
        size_t n = 0;
        rc = lits(t, "{");
        for (size_t i = 0; rc == CDK_OK && i < v->len; i++) {
            const char *key = v->u.map.ents[i].key;
            cJSON *sub, *ksub = NULL;
            if ((rc = render_sub(t, v->u.map.ents[i].value, &sub)) != CDK_OK || sub == NULL)
                continue;
            cdk_value kv = {CDK_STRING, 0, 0, 0, {0}};
            kv.u.str.ptr = key;
            kv.len = (uint32_t)strlen(key);
            if (strlen(key) > CDK_VALUE_MAX_LEN)
                rc = cdk_oom(t->ctx->app);
            else if ((rc = render_sub(t, &kv, &ksub)) == CDK_OK && ksub == NULL)
                rc = cdk_fail(t->ctx->app, CDK_ESYNTH, "\"%s\" is used as the key in a map but resolves to nothing", key);
            if (rc == CDK_OK && n++ > 0)
                rc = lits(t, ",");
            if (rc == CDK_OK) {
                rc = append(t, ksub);
                ksub = NULL;
            }
            if (rc == CDK_OK)
                rc = lits(t, ":");
            if (rc == CDK_OK) {
                rc = append(t, sub);
                sub = NULL;
            }
            cJSON_Delete(ksub);
            cJSON_Delete(sub);
        }
        return rc == CDK_OK ? lits(t, "}") : rc;
    }
    }
    return CDK_OK;
}

static int produce_json(cdk_rctx *ctx, void *ud, cdk_value **out)
{
    jtext t = {ctx, cJSON_CreateArray()};
    int defined = 0;
    if (t.parts == NULL)
        return cdk_oom(ctx->app);
    int rc = render_value(&t, ud, &defined);
    cJSON *result = NULL;
    if (rc == CDK_OK && t.parts->child) {
        /* one segment stands for itself; more are concatenated as CDK's fnJoinConcat */
        result = cJSON_DetachItemFromArray(t.parts, 0);
        while (result && t.parts->child)
            result = cdk_cfn_concat(result, cJSON_DetachItemFromArray(t.parts, 0));
        if (result == NULL)
            rc = cdk_oom(ctx->app);
    }
    cJSON_Delete(t.parts);
    if (rc == CDK_OK) {
        *out = result ? cdk_value_from_json(ctx->app, result) : cdk_undefined();
        if (*out == NULL)
            rc = cdk_oom(ctx->app);
    }
    cJSON_Delete(result);
    return rc;
}

cdk_value *cdk_to_json_string(cdk_app *app, cdk_value *v)
{
    if (v == NULL)
        return NULL;
    cdk_token *t = cdk_token_lazy(app, produce_json, v, 0, 's');
    return t ? cdk_token_strv(app, t) : NULL;
}

cdk_value *cdk_value_from_json(cdk_app *app, const cJSON *j)
{
    if (j == NULL)
        return cdk_undefined();
    if (cJSON_IsNull(j))
        return cdk_nullv();
    if (cJSON_IsBool(j))
        return cdk_boolv(cJSON_IsTrue(j));
    if (cJSON_IsNumber(j))
        return cdk_num(app, j->valuedouble);
    if (cJSON_IsString(j))
        return cdk_str(app, j->valuestring);
    cdk_value *v = cJSON_IsArray(j) ? cdk_list(app) : cdk_map(app);
    for (const cJSON *c = j->child; v && c; c = c->next) {
        cdk_value *item = cdk_value_from_json(app, c);
        int rc;
        if (cJSON_IsArray(j))
            rc = cdk_list_push(app, v, item);
        else {
            const char *k = cdk_strdup(app, c->string);
            rc = k ? cdk_map_set(app, v, k, item) : CDK_ENOMEM;
        }
        if (rc != CDK_OK)
            return NULL;
    }
    return v;
}
