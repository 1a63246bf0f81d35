/* input.c: RuleTargetInput and EventField as the AWS CDK v1 binds them: text, multiline text and
 * objects become JSON through Stack.toJsonString (tokens spliced in with Fn::Join); EventField
 * paths become <key> placeholders of an InputTransformer, with CDK's keys and its unquoting of
 * lone placeholders in objects. Event paths pass through as InputPath. */
#include <string.h>

#include "cdk_events.h"

/* ---- EventField ---- */

typedef struct field {
    const char *path;
    const char *hint;   /* CDK's displayHint: the path's [A-Za-z0-9_-] characters, others '-' */
} field;

static int produce_field(cdk_rctx *ctx, void *ud, cdk_value **out)
{
    field *f = ud;
    *out = cdk_str(ctx->app, f->path);
    return *out ? CDK_OK : cdk_oom(ctx->app);
}

static int hint_char(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

/* path.replace(/^[^a-zA-Z0-9_-]+/, '').replace(/[^a-zA-Z0-9_-]/g, '-'), counting UTF-16 units
 * as JavaScript does (a character beyond the BMP becomes "--"). */
static char *display_hint(cdk_app *app, const char *path)
{
    cdk_buf b = {0};
    const unsigned char *p = (const unsigned char *)path;
    int leading = 1;
    while (*p) {
        if (hint_char(*p)) {
            leading = 0;
            cdk_buf_add(&b, (const char *)p, 1);
            p++;
            continue;
        }
        size_t len = *p < 0x80 ? 1 : *p >= 0xF0 ? 4 : *p >= 0xE0 ? 3 : *p >= 0xC0 ? 2 : 1;
        for (size_t i = 1; i < len; i++)
            if (p[i] == '\0')
                len = i;
        if (!leading)
            cdk_buf_adds(&b, len == 4 ? "--" : "-");
        p += len;
    }
    char *s = b.oom ? NULL : cdk_strdup(app, b.data ? b.data : "");
    cdk_buf_free(&b);
    return s;
}

cdk_value *cdk_events_field(cdk_app *app, const char *path)
{
    field *f = cdk_alloc(app, sizeof *f);
    if (f == NULL || (f->path = cdk_strdup(app, path)) == NULL || (f->hint = display_hint(app, path)) == NULL)
        return NULL;
    cdk_token *t = cdk_token_lazy(app, produce_field, f, 1, 's');
    if (t == NULL)
        return NULL;
    if (f->hint[0])
        t->hint = f->hint;
    return cdk_token_strv(app, t);
}

static field *field_of(cdk_token *t)
{
    return t && t->kind == CDK_TOK_LAZY && t->u.lazy.fn == produce_field ? t->u.lazy.ud : NULL;
}

/* ---- the first pass: EventField tokens to <key>, other tokens kept as string tokens ---- */

typedef struct fields {
    cdk_app *app;
    const char **paths, **keys;   /* path -> key, in the order met */
    size_t n, cap;
    int counter;
    cdk_value *paths_map;         /* InputPathsMap: key -> path */
} fields;

static int key_for(fields *fs, field *f, const char **out)
{
    for (size_t i = 0; i < fs->n; i++)
        if (strcmp(fs->paths[i], f->path) == 0) {
            *out = fs->keys[i];
            break;
        }
    if (*out == NULL) {
        fs->counter++;
        const char *key = f->hint[0] ? f->hint : cdk_sprintf(fs->app, "f%d", fs->counter);
        if (key == NULL)
            return cdk_oom(fs->app);
        if (fs->n == fs->cap) {
            size_t cap = fs->cap ? fs->cap * 2 : 8;
            const char **p = cdk_alloc(fs->app, cap * sizeof *p), **k = cdk_alloc(fs->app, cap * sizeof *k);
            if (p == NULL || k == NULL)
                return cdk_oom(fs->app);
            if (fs->n) {
                memcpy(p, fs->paths, fs->n * sizeof *p);
                memcpy(k, fs->keys, fs->n * sizeof *k);
            }
            fs->paths = p;
            fs->keys = k;
            fs->cap = cap;
        }
        fs->paths[fs->n] = f->path;
        fs->keys[fs->n++] = key;
        *out = key;
    }
    cdk_value *known = cdk_map_get(fs->paths_map, *out);
    if (known && strcmp(cdk_value_str(known), f->path) != 0)
        return cdk_fail(fs->app, CDK_EINVAL, "Single key '%s' is used for two different JSON paths: '%s' and '%s'", *out,
                        f->path, cdk_value_str(known));
    if (known == NULL && cdk_map_set(fs->app, fs->paths_map, *out, cdk_str_ref(fs->app, f->path)) != CDK_OK)
        return cdk_oom(fs->app);
    return CDK_OK;
}

/* A string with tokens: EventFields replaced by "<key>", other tokens by their string form. */
static int replace_str(fields *fs, const char *s, size_t len, cdk_value **out)
{
    cdk_fragment *frags;
    size_t n;
    int rc = cdk_str_split(fs->app, s, len, &frags, &n);
    if (rc != CDK_OK)
        return rc;
    cdk_buf b = {0};
    for (size_t i = 0; i < n && rc == CDK_OK; i++) {
        field *f = field_of(frags[i].token);
        const char *key = NULL;
        if (frags[i].token == NULL) {
            cdk_buf_add(&b, frags[i].lit, frags[i].len);
        } else if (f) {
            if ((rc = key_for(fs, f, &key)) == CDK_OK)
                cdk_buf_addf(&b, "<%s>", key);
        } else {
            const char *enc = cdk_token_str(fs->app, frags[i].token);
            if (enc == NULL)
                rc = cdk_oom(fs->app);
            else
                cdk_buf_adds(&b, enc);
        }
    }
    if (rc == CDK_OK)
        *out = b.oom ? NULL : cdk_strn(fs->app, b.data ? b.data : "", b.len);
    cdk_buf_free(&b);
    if (rc == CDK_OK && *out == NULL)
        rc = cdk_oom(fs->app);
    return rc;
}

static int replace(fields *fs, cdk_value *v, cdk_value **out)
{
    cdk_app *app = fs->app;
    int rc = CDK_OK;
    *out = v;
    switch (v->kind) {
    case CDK_STRING:
        if (cdk_str_is_unresolved(v->u.str.ptr, v->len))
            return replace_str(fs, v->u.str.ptr, v->len, out);
        return CDK_OK;
    case CDK_NUMBER:
    case CDK_TOKEN: {
        /* Tokenization.resolve with CDK's EventFieldReplacer: a token is Token.asString'ed */
        cdk_token *t = cdk_token_of(app, v);
        if (t == NULL)
            return CDK_OK;
        if (field_of(t))
            return replace_str(fs, cdk_token_str(app, t), strlen(cdk_token_str(app, t)), out);
        *out = cdk_token_strv(app, t);
        return *out ? CDK_OK : cdk_oom(app);
    }
    case CDK_LIST: {
        cdk_token *t = cdk_is_unresolved(v) ? cdk_token_of(app, v) : NULL;
        if (t) {
            *out = cdk_token_strv(app, t);
            return *out ? CDK_OK : cdk_oom(app);
        }
        cdk_value *l = cdk_list(app);
        for (size_t i = 0; l && rc == CDK_OK && i < v->len; i++) {
            cdk_value *item;
            if ((rc = replace(fs, v->u.list.items[i], &item)) == CDK_OK && cdk_list_push(app, l, item) != CDK_OK)
                l = NULL;
        }
        *out = l;
        return rc != CDK_OK ? rc : l ? CDK_OK : cdk_oom(app);
    }
    case CDK_MAP: {
        cdk_value *m = cdk_map(app);
        for (size_t i = 0; m && rc == CDK_OK && i < v->len; i++) {
            const char *key = v->u.map.ents[i].key;
            cdk_value *item, *k = NULL;
            if ((rc = replace(fs, v->u.map.ents[i].value, &item)) != CDK_OK)
                break;
            if (cdk_str_is_unresolved(key, strlen(key))) {
                if ((rc = replace_str(fs, key, strlen(key), &k)) != CDK_OK)
                    break;
                key = k->u.str.ptr;
            }
            if (cdk_map_set(app, m, key, item) != CDK_OK)
                m = NULL;
        }
        *out = m;
        return rc != CDK_OK ? rc : m ? CDK_OK : cdk_oom(app);
    }
    default:
        return CDK_OK;
    }
}

/* ---- unquoting lone placeholders of object inputs ---- */

typedef struct unquote {
    cdk_value *sub;
    const char **keys;
    size_t n;
} unquote;

/* s with every "<key>" not preceded by a backslash replaced by <key> (malloc'd in b). */
static void unquote_key(const char *s, const char *key, cdk_buf *b)
{
    size_t kl = strlen(key);
    for (const char *p = s; *p;) {
        if (*p == '"' && p[1] == '<' && strncmp(p + 2, key, kl) == 0 && p[2 + kl] == '>' && p[3 + kl] == '"' &&
            (p == s || p[-1] != '\\')) {
            cdk_buf_add(b, p + 1, kl + 2);
            p += kl + 4;
        } else {
            cdk_buf_add(b, p, 1);
            p++;
        }
    }
}

static int deep_unquote(cJSON *j, const unquote *u)
{
    if (cJSON_IsArray(j) || cJSON_IsObject(j)) {
        for (cJSON *c = j->child; c; c = c->next)
            if (deep_unquote(c, u) != CDK_OK)
                return CDK_ENOMEM;
        return CDK_OK;
    }
    if (!cJSON_IsString(j))
        return CDK_OK;
    for (size_t i = 0; i < u->n; i++) {
        cdk_buf b = {0};
        unquote_key(j->valuestring, u->keys[i], &b);
        char *s = b.oom ? NULL : cJSON_SetValuestring(j, b.data ? b.data : "");
        cdk_buf_free(&b);
        if (s == NULL)
            return CDK_ENOMEM;
    }
    return CDK_OK;
}

static int produce_unquoted(cdk_rctx *ctx, void *ud, cdk_value **out)
{
    unquote *u = ud;
    cJSON *r = NULL;
    int rc = cdk_resolve(ctx, u->sub, &r);
    if (rc != CDK_OK)
        return rc;
    if (r && deep_unquote(r, u) != CDK_OK) {
        cJSON_Delete(r);
        return cdk_oom(ctx->app);
    }
    *out = cdk_value_from_json(ctx->app, r);
    cJSON_Delete(r);
    return *out ? CDK_OK : cdk_oom(ctx->app);
}

/* ---- bind ---- */

int cdk_events_input_bind(cdk_node *rule_node, const cdk_events_input *in, cdk_events_target_config *cfg)
{
    cdk_app *app = rule_node->app;
    if (in->kind == 'p') {
        cfg->input_path = in->value;
        return CDK_OK;
    }
    fields fs;
    memset(&fs, 0, sizeof fs);
    fs.app = app;
    if ((fs.paths_map = cdk_map(app)) == NULL)
        return cdk_oom(app);
    cdk_value *replaced, *resolved;
    int rc = replace(&fs, in->value, &replaced);
    if (rc != CDK_OK)
        return rc;
    if (in->kind == 'm' && replaced->kind == CDK_STRING) {
        /* each line its own JSON string */
        cdk_buf b = {0};
        const char *s = replaced->u.str.ptr, *end = s + replaced->len;
        for (;;) {
            const char *nl = memchr(s, '\n', (size_t)(end - s));
            size_t len = nl ? (size_t)(nl - s) : (size_t)(end - s);
            cdk_value *line = cdk_strn(app, s, len), *json = line ? cdk_to_json_string(app, line) : NULL;
            if (json == NULL) {
                cdk_buf_free(&b);
                return cdk_oom(app);
            }
            cdk_buf_add(&b, json->u.str.ptr, json->len);
            if (!nl)
                break;
            cdk_buf_adds(&b, "\n");
            s = nl + 1;
        }
        resolved = b.oom ? NULL : cdk_strn(app, b.data ? b.data : "", b.len);
        cdk_buf_free(&b);
    } else {
        resolved = cdk_to_json_string(app, replaced);
    }
    if (resolved == NULL)
        return cdk_oom(app);
    if (fs.n == 0) {
        cfg->input = resolved;
        return CDK_OK;
    }
    cfg->input_paths_map = fs.paths_map;
    if (in->kind != 'o') {
        cfg->input_template = resolved;
        return CDK_OK;
    }
    unquote *u = cdk_alloc(app, sizeof *u);
    if (u == NULL)
        return cdk_oom(app);
    u->sub = resolved;
    u->keys = fs.keys;
    u->n = fs.n;
    cdk_token *t = cdk_token_lazy(app, produce_unquoted, u, 0, 's');
    cfg->input_template = t ? cdk_token_strv(app, t) : NULL;
    return cfg->input_template ? CDK_OK : cdk_oom(app);
}
