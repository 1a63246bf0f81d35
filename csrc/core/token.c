/* token.c: tokens and their encodings, as the AWS CDK encodes them: "${Token[HINT.N]}" inside
 * strings, "#{Token[HINT.N]}" as the one element of a list, and a double with the 0xFBFF marker
 * bits for numbers. N is the token's serial in its App's registry; a string holding a token of
 * another App does not resolve. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cdk_internal.h"

#define BEGIN_STRING "${Token["
#define BEGIN_LIST "#{Token["
#define END_TOKEN "]}"
#define DOUBLE_MARKER 0xFBFF0000u

/* ---- registry ----
 * Serials come from one process-wide counter, so that tokens of different Apps never share a
 * key; each App maps the serials of its own tokens (open addressing), and may fall back on
 * another App (the binding's holder of App-less tokens such as cdk.Fn results). */

static uint64_t next_serial = 1;

static void reg_put(cdk_token **slots, size_t cap, cdk_token *t)
{
    size_t i = (size_t)(t->serial * 0x9E3779B97F4A7C15ull) & (cap - 1);
    while (slots[i])
        i = (i + 1) & (cap - 1);
    slots[i] = t;
}

int cdk_token_register(cdk_app *app, cdk_token *t)
{
    if (t->serial)
        return CDK_OK;
    if ((app->ntokens + 1) * 2 > app->tokcap) {
        size_t cap = app->tokcap ? app->tokcap * 2 : 256;
        cdk_token **slots = calloc(cap, sizeof *slots);
        if (slots == NULL)
            return cdk_oom(app);
        for (size_t i = 0; i < app->tokcap; i++)
            if (app->tokens[i])
                reg_put(slots, cap, app->tokens[i]);
        free(app->tokens);
        app->tokens = slots;
        app->tokcap = cap;
    }
    t->serial = __atomic_fetch_add(&next_serial, 1, __ATOMIC_RELAXED);
    reg_put(app->tokens, app->tokcap, t);
    app->ntokens++;
    return CDK_OK;
}

cdk_token *cdk_token_lookup(cdk_app *app, uint64_t serial)
{
    for (; app; app = app->fallback) {
        if (app->tokcap == 0)
            continue;
        size_t i = (size_t)(serial * 0x9E3779B97F4A7C15ull) & (app->tokcap - 1);
        while (app->tokens[i]) {
            if (app->tokens[i]->serial == serial)
                return app->tokens[i];
            i = (i + 1) & (app->tokcap - 1);
        }
    }
    return NULL;
}

/* ---- constructors ---- */

cdk_token *cdk_token_alloc(cdk_app *app, cdk_token_kind kind)
{
    size_t size = offsetof(cdk_token, u);
    switch (kind) {
    case CDK_TOK_INTRINSIC:
        size += sizeof(((cdk_token *)0)->u.intrinsic);
        break;
    case CDK_TOK_REF:
        size += sizeof(((cdk_token *)0)->u.ref);
        break;
    case CDK_TOK_JOIN:
        size += sizeof(((cdk_token *)0)->u.join);
        break;
    case CDK_TOK_LAZY:
        size += sizeof(((cdk_token *)0)->u.lazy);
        break;
    }
    cdk_token *t = cdk_alloc(app, size);
    if (t != NULL)
        t->kind = (unsigned char)kind;
    return t;
}

static cdk_token *newtok(cdk_app *app, cdk_token_kind kind, const char *hint)
{
    cdk_token *t = cdk_token_alloc(app, kind);
    if (t == NULL)
        return NULL;
    t->hint = hint ? hint : "TOKEN";
    return t;
}

cdk_token *cdk_token_intrinsic(cdk_app *app, cdk_value *v, const char *hint)
{
    if (v == NULL)
        return NULL;
    cdk_token *t = newtok(app, CDK_TOK_INTRINSIC, hint);
    if (t)
        t->u.intrinsic = v;
    return t;
}

cdk_token *cdk_token_lazy(cdk_app *app, cdk_produce_fn fn, void *ud, int cache, int type)
{
    cdk_token *t = newtok(app, CDK_TOK_LAZY, NULL);
    if (t == NULL)
        return NULL;
    t->u.lazy.fn = fn;
    t->u.lazy.ud = ud;
    t->u.lazy.cache = cache != 0;
    t->u.lazy.type = (unsigned char)type;
    t->creation_stack = 1;
    return t;
}

cdk_token *cdk_token_join(cdk_app *app, const char *delim, cdk_value *list)
{
    if (list == NULL)
        return NULL;
    cdk_token *t = newtok(app, CDK_TOK_JOIN, "Fn::Join");
    if (t == NULL)
        return NULL;
    t->u.join.delim = cdk_strdup(app, delim);
    t->u.join.list = list;
    return t->u.join.delim ? t : NULL;
}

cdk_token *cdk_ref_mimic(cdk_app *app, cdk_token *base, cdk_mimic_fn fn, void *ud)
{
    if (base == NULL)
        return NULL;
    cdk_token *t = newtok(app, CDK_TOK_REF, base->hint);
    if (t == NULL)
        return NULL;
    t->u.ref.target = base->u.ref.target;
    t->u.ref.attr = base->u.ref.attr;
    t->u.ref.display = base->u.ref.display;
    t->u.ref.mimic = fn;
    t->u.ref.mimic_ud = ud;
    t->u.ref.base = base;
    return t;
}

/* ---- encodings ---- */

static int key_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == ':' ||
           c == '.' || c == '_' || c == '-';
}

static char *encode(cdk_app *app, cdk_token *t, const char *begin)
{
    if (cdk_token_register(app, t) != CDK_OK)
        return NULL;
    /* BEGIN hint "." serial "]}", the hint's characters outside the key set replaced by '.' */
    char digits[24];
    size_t nd = 0;
    for (uint64_t v = t->serial; v || nd == 0; v /= 10)
        digits[nd++] = (char)('0' + v % 10);
    size_t bl = strlen(begin), hl = strlen(t->hint);
    char *out = cdk_alloc(app, bl + hl + 1 + nd + sizeof END_TOKEN);
    if (out == NULL)
        return NULL;
    char *o = out;
    memcpy(o, begin, bl);
    o += bl;
    for (size_t i = 0; i < hl; i++) {
        char c = t->hint[i];
        *o++ = key_char(c) ? c : '.';
    }
    *o++ = '.';
    while (nd)
        *o++ = digits[--nd];
    memcpy(o, END_TOKEN, sizeof END_TOKEN);
    return out;
}

const char *cdk_token_str(cdk_app *app, cdk_token *t)
{
    if (t == NULL)
        return NULL;
    if (t->as_string == NULL)
        t->as_string = encode(app, t, BEGIN_STRING);
    return t->as_string;
}

const char *cdk_token_list_elem(cdk_app *app, cdk_token *t)
{
    if (t == NULL)
        return NULL;
    if (t->as_list == NULL)
        t->as_list = encode(app, t, BEGIN_LIST);
    return t->as_list;
}

static double make_double(uint64_t x)
{
    uint64_t bits = ((uint64_t)(DOUBLE_MARKER | ((x >> 32) & 0xFFFF)) << 32) | (x & 0xFFFFFFFFu);
    double d;
    memcpy(&d, &bits, sizeof d);
    return d;
}

static int extract_double(double d, uint64_t *x)
{
    uint64_t bits;
    memcpy(&bits, &d, sizeof bits);
    uint32_t hi = (uint32_t)(bits >> 32);
    if ((hi & 0xFFFF0000u) != DOUBLE_MARKER)
        return 0;
    *x = ((uint64_t)(hi & 0xFFFF) << 32) | (bits & 0xFFFFFFFFu);
    return 1;
}

double cdk_token_num(cdk_app *app, cdk_token *t)
{
    if (!t->has_number) {
        if (cdk_token_register(app, t) != CDK_OK)
            return 0;
        t->has_number = 1;
    }
    return make_double(t->serial);
}

cdk_value *cdk_token_strv(cdk_app *app, cdk_token *t)
{
    const char *s = cdk_token_str(app, t);
    return s ? cdk_str_ref(app, s) : NULL;
}

cdk_value *cdk_token_listv(cdk_app *app, cdk_token *t)
{
    const char *s = cdk_token_list_elem(app, t);
    cdk_value *l = s ? cdk_list(app) : NULL;
    if (l == NULL || cdk_list_push(app, l, cdk_str_ref(app, s)) != CDK_OK)
        return NULL;
    return l;
}

cdk_value *cdk_token_numv(cdk_app *app, cdk_token *t)
{
    if (t == NULL)
        return NULL;
    double d = cdk_token_num(app, t);
    return t->has_number ? cdk_num(app, d) : NULL;
}

int cdk_num_is_token(double d)
{
    uint64_t x;
    return extract_double(d, &x);
}

cdk_token *cdk_token_of_num(cdk_app *app, double d)
{
    uint64_t x;
    if (!extract_double(d, &x))
        return NULL;
    return cdk_token_lookup(app, x);
}

/* ---- scanning ---- */

/* Whether the marker "BEGIN key ]}" starts exactly at s[i]; sets the key's span and the whole
 * match length. */
static int marker_at(const char *s, size_t len, size_t i, const char *begin, size_t *kstart, size_t *klen,
                     size_t *mlen)
{
    const size_t bl = sizeof BEGIN_STRING - 1; /* BEGIN_LIST has the same length */
    if (i + bl + 3 > len || s[i] != begin[0] || memcmp(s + i, begin, bl) != 0)
        return 0;
    size_t k = i + bl;
    while (k < len && key_char(s[k]))
        k++;
    if (k > i + bl && k + 1 < len && s[k] == ']' && s[k + 1] == '}') {
        *kstart = i + bl;
        *klen = k - (i + bl);
        *mlen = k + 2 - i;
        return 1;
    }
    return 0;
}

/* Finds the next marker at or after s[from]; returns its start or -1, with the key's span and the
 * whole match length. */
static long find_marker(const char *s, size_t len, size_t from, const char *begin, size_t *kstart,
                        size_t *klen, size_t *mlen)
{
    const char *p = s + from, *end = s + len;
    while (p < end && (p = memchr(p, begin[0], (size_t)(end - p))) != NULL) {
        if (marker_at(s, len, (size_t)(p - s), begin, kstart, klen, mlen))
            return (long)(p - s);
        p++;
    }
    return -1;
}

/* The stringified number pattern -1\.\d{10,16}e\+289, at s[i]; returns its length or 0. */
static size_t number_marker(const char *s, size_t len, size_t i)
{
    if (i + 3 > len || s[i] != '-' || s[i + 1] != '1' || s[i + 2] != '.')
        return 0;
    size_t k = i + 3, d = 0;
    while (k < len && s[k] >= '0' && s[k] <= '9') {
        k++;
        d++;
    }
    if (d < 10 || k + 5 > len || memcmp(s + k, "e+289", 5) != 0)
        return 0;
    return k + 5 - i;
}

int cdk_str_is_unresolved(const char *s, size_t len)
{
    size_t a, b, c;
    if (len < 11)
        return 0;
    if (find_marker(s, len, 0, BEGIN_STRING, &a, &b, &c) >= 0)
        return 1;
    const char *p = s;
    while ((p = memchr(p, '-', len - (size_t)(p - s))) != NULL) {
        if (number_marker(s, len, (size_t)(p - s)))
            return 1;
        p++;
    }
    return 0;
}

static cdk_token *lookup_key(cdk_app *app, const char *key, size_t klen)
{
    size_t dot = klen;
    while (dot > 0 && key[dot - 1] != '.')
        dot--;
    if (dot == 0 || dot == klen)
        return NULL;
    uint64_t serial = 0;
    for (size_t i = dot; i < klen; i++) {
        if (key[i] < '0' || key[i] > '9')
            return NULL;
        if (serial > UINT64_MAX / 16)
            return NULL;
        serial = serial * 10 + (uint64_t)(key[i] - '0');
    }
    return cdk_token_lookup(app, serial);
}

int cdk_str_split(cdk_app *app, const char *s, size_t len, cdk_fragment **frags, size_t *nfrags)
{
    return cdk_str_split_buf(app, s, len, NULL, 0, frags, nfrags);
}

int cdk_str_split_buf(cdk_app *app, const char *s, size_t len, cdk_fragment *buf, size_t bufcap,
                      cdk_fragment **frags, size_t *nfrags)
{
    size_t cap = bufcap >= 4 ? bufcap : 4, n = 0, rest = 0, i = 0;
    cdk_fragment *f = bufcap >= 4 ? buf : cdk_alloc(app, cap * sizeof *f);
    if (f == NULL)
        return cdk_oom(app);
    while (i < len) {
        size_t kstart = 0, klen = 0, mlen = 0;
        cdk_token *tok = NULL;
        /* only a marker starting here: searching onwards from every '$' would be quadratic */
        if (s[i] == '$' && marker_at(s, len, i, BEGIN_STRING, &kstart, &klen, &mlen)) {
            tok = lookup_key(app, s + kstart, klen);
            if (tok == NULL && klen + 11 == sizeof CDK_PHYSICAL_NAME_MARKER &&
                memcmp(s + i, CDK_PHYSICAL_NAME_MARKER, mlen) == 0)
                /* CDK's marker is a token whose resolution throws: one "Resolution error" layer */
                return cdk_fail(app, CDK_ESYNTH, "Resolution error: Invalid physical name passed to "
                                                 "CloudFormation. Use \"this.physicalName\" instead.");
            if (tok == NULL)
                return cdk_fail(app, CDK_ESYNTH, "Unrecognized token key: %.*s", (int)klen, s + kstart);
        } else if (s[i] == '-' && (mlen = number_marker(s, len, i)) != 0) {
            char tmp[40];
            double d;
            if (mlen >= sizeof tmp)
                return cdk_fail(app, CDK_ESYNTH, "Unrecognized number token: %.*s", (int)mlen, s + i);
            memcpy(tmp, s + i, mlen);
            tmp[mlen] = '\0';
            d = strtod(tmp, NULL);
            tok = cdk_token_of_num(app, d);
            if (tok == NULL)
                return cdk_fail(app, CDK_ESYNTH,
                                "Encoded representation of unknown number Token found: %s (a number "
                                "token was printed with too few digits; use cdk.Token.as_string(n))",
                                tmp);
        } else {
            i++;
            continue;
        }
        if (n + 2 > cap) {
            cdk_fragment *nf = cdk_alloc(app, cap * 2 * sizeof *nf);
            if (nf == NULL)
                return cdk_oom(app);
            memcpy(nf, f, n * sizeof *nf);
            f = nf;
            cap *= 2;
        }
        if (i > rest) {
            f[n].lit = s + rest;
            f[n].len = i - rest;
            f[n].token = NULL;
            n++;
        }
        f[n].lit = NULL;
        f[n].len = 0;
        f[n].token = tok;
        n++;
        i += mlen;
        rest = i;
    }
    if (rest < len) {
        if (n + 1 > cap) {
            cdk_fragment *nf = cdk_alloc(app, (cap + 1) * sizeof *nf);
            if (nf == NULL)
                return cdk_oom(app);
            memcpy(nf, f, n * sizeof *nf);
            f = nf;
        }
        f[n].lit = s + rest;
        f[n].len = len - rest;
        f[n].token = NULL;
        n++;
    }
    *frags = f;
    *nfrags = n;
    return CDK_OK;
}

cdk_token *cdk_token_of_str(cdk_app *app, const char *s, size_t len)
{
    size_t kstart, klen, mlen;
    if (find_marker(s, len, 0, BEGIN_STRING, &kstart, &klen, &mlen) == 0 && mlen == len)
        return lookup_key(app, s + kstart, klen);
    if (len > 0 && s[0] == '-' && number_marker(s, len, 0) == len) {
        char tmp[40];
        if (len < sizeof tmp) {
            memcpy(tmp, s, len);
            tmp[len] = '\0';
            return cdk_token_of_num(app, strtod(tmp, NULL));
        }
    }
    return NULL;
}

static cdk_token *list_token(cdk_app *app, const cdk_value *v)
{
    if (v->kind != CDK_LIST || v->len != 1 || v->u.list.items[0]->kind != CDK_STRING)
        return NULL;
    const cdk_value *e = v->u.list.items[0];
    size_t kstart, klen, mlen;
    if (find_marker(e->u.str.ptr, e->len, 0, BEGIN_LIST, &kstart, &klen, &mlen) == 0 &&
        mlen == e->len)
        return lookup_key(app, e->u.str.ptr + kstart, klen);
    return NULL;
}

int cdk_is_list_token_elem(const cdk_value *v)
{
    size_t kstart, klen, mlen;
    return v->kind == CDK_STRING && v->len >= 11 &&
           find_marker(v->u.str.ptr, v->len, 0, BEGIN_LIST, &kstart, &klen, &mlen) >= 0;
}

cdk_token *cdk_token_of(cdk_app *app, const cdk_value *v)
{
    if (v == NULL)
        return NULL;
    switch (v->kind) {
    case CDK_TOKEN:
        return v->u.token;
    case CDK_STRING:
        return cdk_token_of_str(app, v->u.str.ptr, v->len);
    case CDK_NUMBER:
        return cdk_token_of_num(app, v->u.number);
    case CDK_LIST:
        return list_token(app, v);
    default:
        return NULL;
    }
}

int cdk_is_unresolved(const cdk_value *v)
{
    if (v == NULL)
        return 0;
    switch (v->kind) {
    case CDK_TOKEN:
        return 1;
    case CDK_STRING:
        return cdk_str_is_unresolved(v->u.str.ptr, v->len);
    case CDK_NUMBER:
        return cdk_num_is_token(v->u.number);
    case CDK_LIST:
        return v->len == 1 && cdk_is_list_token_elem(v->u.list.items[0]);
    default:
        return 0;
    }
}

int cdk_token_is_marker(cdk_app *app, const cdk_value *v)
{
    (void)app;
    return v && v->kind == CDK_STRING && strcmp(v->u.str.ptr, CDK_PHYSICAL_NAME_MARKER) == 0;
}
