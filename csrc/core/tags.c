/* tags.c: CDK's TagManager (priorities, removal, the four tag formats, sorted keys) and the
 * Tags.of(scope) aspects that apply tags to every taggable construct below a scope.
 * Sorting follows String.prototype.localeCompare (ICU root collation) for ASCII and the Latin
 * letters of U+00C0-U+017F. */
#include <string.h>

#include "cdk_internal.h"

typedef struct tag_entry {
    const char *key, *value;
    double priority;
    int apply_to_launched;
    int present;          /* 0: removed (the priority stays) */
} tag_entry;

struct cdk_tags {
    cdk_app *app;
    cdk_tag_type type;
    const char *rtype;
    tag_entry *items;
    size_t len, cap;
    cdk_value *dynamic;   /* tags given with unresolved keys or values (STANDARD, ASG) */
};

/* ---- collation ---- */

/* Primary weights for ASCII in the CLDR root order; letters fold case. */
static int primary(unsigned char c)
{
    static const char punct[] = "_-,;:!?.'\"()[]{}@*/\\&#%`^+<=>|~$";
    if (c == '\t' || c == '\n' || c == '\r' || c == ' ')
        return 1 + (c == ' ' ? 3 : c == '\t' ? 0 : c == '\n' ? 1 : 2);
    const char *p = c ? strchr(punct, c) : NULL;
    if (p) /* spaced out, to make room for ÷ and × (next_coll) */
        return 10 + 4 * (int)(p - punct);
    if (c >= '0' && c <= '9')
        return 200 + (c - '0');
    if (c >= 'a' && c <= 'z') /* spaced out too, for the letters sorting between two (next_coll) */
        return 300 + 4 * (c - 'a');
    if (c >= 'A' && c <= 'Z')
        return 300 + 4 * (c - 'A');
    if (c < 0x20 || c == 0x7f)
        return 0; /* ignorable controls */
    return 1000 + c;
}

/* Latin-1 Supplement and Latin Extended-A letters (U+00C0-U+017F): the ASCII letter each sorts
 * with at the primary level ('0': none, it sorts after every letter, by code point) and its
 * secondary weight, from ICU's root order of the accents (acute, grave, breve, circumflex, caron,
 * ring, diaeresis, double acute, tilde, dot, cedilla, ogonek, macron: 2, 4, ... 26; the stroke of
 * ø, ł, đ, ħ in between). Generated from String.prototype.localeCompare under node 20. */
static const char latin_base[] =
    "AAAAAA0CEEEEIIII0NOOOOO0OUUUUY00aaaaaa0ceeeeiiii0nooooo0ouuuuy0y"
    "AaAaAaCcCcCcCcDdDdEeEeEeEeEeGgGgGgGgHhHhIiIiIiIiI000JjKk0LlLlLl0"
    "0LlNnNnNn000OoOoOo00RrRrRrSsSsSsSsTtTt00UuUuUuUuUuUuWwYyYZzZzZz0"
    ;
static const unsigned char latin_secondary[192] = {
    4, 2, 8, 18, 14, 12, 0, 22, 4, 2, 8, 14, 4, 2, 8, 14, 0, 18, 4, 2, 8, 18, 14, 0,
    21, 4, 2, 8, 14, 2, 0, 0, 4, 2, 8, 18, 14, 12, 0, 22, 4, 2, 8, 14, 4, 2, 8, 14,
    0, 18, 4, 2, 8, 18, 14, 0, 21, 4, 2, 8, 14, 2, 0, 14, 26, 26, 6, 6, 24, 24, 2, 2,
    8, 8, 20, 20, 10, 10, 10, 10, 27, 27, 26, 26, 6, 6, 20, 20, 24, 24, 10, 10, 8, 8, 6, 6,
    20, 20, 22, 22, 8, 8, 27, 27, 18, 18, 26, 26, 6, 6, 24, 24, 20, 0, 0, 0, 8, 8, 22, 22,
    0, 2, 2, 22, 22, 10, 10, 0, 0, 27, 27, 2, 2, 22, 22, 10, 10, 0, 0, 0, 26, 26, 6, 6,
    16, 16, 0, 0, 2, 2, 22, 22, 10, 10, 2, 2, 8, 8, 22, 22, 10, 10, 22, 22, 10, 10, 0, 0,
    18, 18, 26, 26, 6, 6, 12, 12, 16, 16, 24, 24, 8, 8, 8, 8, 14, 2, 2, 20, 20, 10, 10, 0,
};

/* One collation element: primary (0: ignorable), secondary (accent) and tertiary (case). */
typedef struct coll {
    int p, s, t;
} coll;

/* A position in a string, and the second element of a letter that expands to two (æ: a e). */
typedef struct coll_iter {
    const unsigned char *s;
    int pending;
    coll next;
} coll_iter;

/* Latin letters that sort as two ASCII letters (a ligature: a secondary above the accents), as an
 * ASCII letter with a secondary of their own (second == first), or as a letter of their own right
 * after an ASCII one (second 0); the rest of U+00C0-U+017F is in latin_base. */
static const struct {
    unsigned short cp;
    char first, second; /* second: 0 for a letter of its own, sorted right after first */
    int secondary;
} latin_extra[] = {
    {0xC6, 'A', 'E', 0}, {0xE6, 'a', 'e', 0}, {0x152, 'O', 'E', 0}, {0x153, 'o', 'e', 0},
    {0xDF, 's', 's', 0}, {0x132, 'I', 'J', 0}, {0x133, 'i', 'j', 0},
    {0xD0, 'D', 'D', 28}, {0xF0, 'd', 'd', 28}, /* ð: d with a secondary above đ's */
    {0x131, 'i', 0, 0}, {0x166, 'T', 0, 0}, {0x167, 't', 0, 0}, {0x14A, 'N', 0, 0}, {0x14B, 'n', 0, 0},
    {0x138, 'q', 0, 0}, {0xDE, 'Z', 0, 0}, {0xFE, 'z', 0, 0}, /* ĸ after q, þ after z */
    {0x17F, 's', 's', 29}, {0x13F, 'L', 'L', 31}, {0x140, 'l', 'l', 31}, /* ſ, ŀ: above every accent */
};

/* Decodes the next character into e; 0 at the end. */
static int next_coll(coll_iter *it, coll *e)
{
    if (it->pending) {
        it->pending = 0;
        *e = it->next;
        return 1;
    }
    const unsigned char *c = it->s;
    if (*c == 0)
        return 0;
    unsigned long cp = *c;
    size_t n = 1;
    if (cp >= 0xC0 && cp < 0xE0 && (c[1] & 0xC0) == 0x80) {
        cp = ((cp & 0x1F) << 6) | (c[1] & 0x3F);
        n = 2;
    } else if (cp >= 0xE0 && cp < 0xF0 && (c[1] & 0xC0) == 0x80 && (c[2] & 0xC0) == 0x80) {
        cp = ((cp & 0x0F) << 12) | ((unsigned long)(c[1] & 0x3F) << 6) | (c[2] & 0x3F);
        n = 3;
    } else if (cp >= 0xF0 && (c[1] & 0xC0) == 0x80 && (c[2] & 0xC0) == 0x80 && (c[3] & 0xC0) == 0x80) {
        cp = ((cp & 0x07) << 18) | ((unsigned long)(c[1] & 0x3F) << 12) | ((unsigned long)(c[2] & 0x3F) << 6) |
             (c[3] & 0x3F);
        n = 4;
    }
    it->s += n;
    e->s = 0;
    e->t = 0;
    if (cp < 0x80) {
        e->p = primary((unsigned char)cp);
        e->t = cp >= 'A' && cp <= 'Z';
        return 1;
    }
    if (cp == 0xF7 || cp == 0xD7) {
        e->p = primary('+') + (cp == 0xF7 ? 1 : 2); /* ÷ and × sort between '+' and '<' */
        return 1;
    }
    for (size_t i = 0; i < sizeof latin_extra / sizeof latin_extra[0]; i++) {
        if (latin_extra[i].cp != cp)
            continue;
        char f = latin_extra[i].first, sec = latin_extra[i].second;
        int upper = f >= 'A' && f <= 'Z';
        e->p = primary((unsigned char)f);
        e->t = upper;
        if (sec == 0) {
            e->p += 2;
        } else if (latin_extra[i].secondary) {
            e->s = latin_extra[i].secondary;
        } else {
            e->s = 28; /* a ligature: after the letters written out with any accent, before ſ */
            it->pending = 1;
            it->next.p = primary((unsigned char)sec);
            it->next.s = 0;
            it->next.t = upper;
        }
        return 1;
    }
    if (cp >= 0xC0 && cp <= 0x17F && latin_base[cp - 0xC0] != '0') {
        char b = latin_base[cp - 0xC0];
        e->p = primary((unsigned char)b);
        e->s = latin_secondary[cp - 0xC0];
        e->t = b >= 'A' && b <= 'Z';
        return 1;
    }
    e->p = 1000 + (int)cp;
    return 1;
}

/* Whether e weighs nothing at this level (and so is skipped): at the primary level, elements
 * without a primary weight; at the others, only the fully ignorable ones (controls). */
static int ignorable(const coll *e, int level)
{
    return level == 0 ? e->p == 0 : e->p == 0 && e->s == 0 && e->t == 0;
}

/* Compares one level (0 primary, 1 secondary, 2 tertiary) of a and b. */
static int compare_level(const char *a, const char *b, int level)
{
    coll_iter x = {(const unsigned char *)a, 0, {0, 0, 0}}, y = {(const unsigned char *)b, 0, {0, 0, 0}};
    coll ex, ey;
    for (;;) {
        int hx, hy;
        while ((hx = next_coll(&x, &ex)) && ignorable(&ex, level))
            ;
        while ((hy = next_coll(&y, &ey)) && ignorable(&ey, level))
            ;
        if (!hx || !hy)
            return hx ? 1 : hy ? -1 : 0;
        int wx = level == 0 ? ex.p : level == 1 ? ex.s : ex.t;
        int wy = level == 0 ? ey.p : level == 1 ? ey.s : ey.t;
        if (wx != wy)
            return wx < wy ? -1 : 1;
    }
}

int cdk_locale_compare(const char *a, const char *b)
{
    for (int level = 0; level < 3; level++) {
        int c = compare_level(a, b, level);
        if (c)
            return c;
    }
    int c = strcmp(a, b);
    return c < 0 ? -1 : c > 0;
}

/* ---- the manager ---- */

cdk_tags *cdk_tags_new(cdk_app *app, cdk_tag_type type, const char *rtype)
{
    cdk_tags *t = cdk_alloc(app, sizeof *t);
    if (t == NULL)
        return NULL;
    t->app = app;
    t->type = type;
    t->rtype = cdk_strdup(app, rtype ? rtype : "");
    return t->rtype ? t : NULL;
}

static tag_entry *find(cdk_tags *t, const char *key)
{
    for (size_t i = 0; i < t->len; i++)
        if (strcmp(t->items[i].key, key) == 0)
            return &t->items[i];
    return NULL;
}

static tag_entry *add_entry(cdk_tags *t, const char *key)
{
    if (t->len == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 4;
        tag_entry *items = cdk_alloc(t->app, cap * sizeof *items);
        if (items == NULL)
            return NULL;
        if (t->len)
            memcpy(items, t->items, t->len * sizeof *items);
        t->items = items;
        t->cap = cap;
    }
    tag_entry *e = &t->items[t->len++];
    memset(e, 0, sizeof *e);
    e->key = cdk_strdup(t->app, key);
    return e->key ? e : NULL;
}

/* CDK's TagManager compares with the key's priority, 0 for a key never set or removed: a negative
 * priority never wins */
int cdk_tags_set(cdk_tags *t, const char *key, const char *value, double priority, int apply_to_launched)
{
    tag_entry *e = find(t, key);
    if (!(priority >= (e ? e->priority : 0)))
        return CDK_OK;
    if (e == NULL && (e = add_entry(t, key)) == NULL)
        return cdk_oom(t->app);
    e->value = cdk_strdup(t->app, value);
    if (e->value == NULL)
        return cdk_oom(t->app);
    e->priority = priority;
    e->apply_to_launched = apply_to_launched;
    e->present = 1;
    return CDK_OK;
}

int cdk_tags_remove(cdk_tags *t, const char *key, double priority)
{
    tag_entry *e = find(t, key);
    if (!(priority >= (e ? e->priority : 0)))
        return CDK_OK;
    if (e == NULL && (e = add_entry(t, key)) == NULL)
        return cdk_oom(t->app);
    e->present = 0;
    e->priority = priority;
    return CDK_OK;
}

static const char *scalar_text(cdk_app *app, const cdk_value *v)
{
    char num[40];
    switch (v->kind) {
    case CDK_STRING:
        return v->u.str.ptr;
    case CDK_NUMBER:
        cdk_js_number(v->u.number, num);
        return cdk_strdup(app, num);
    case CDK_BOOL:
        return v->u.boolean ? "true" : "false";
    default:
        return NULL;
    }
}

int cdk_tags_seed(cdk_tags *t, const cdk_value *v)
{
    cdk_app *app = t->app;
    int rc;
    switch (t->type) {
    case CDK_TAGS_STANDARD:
    case CDK_TAGS_ASG:
        if (v->kind != CDK_LIST)
            return cdk_fail(app, CDK_EINVAL, "Invalid tag input expected array of {key, value%s}",
                            t->type == CDK_TAGS_ASG ? ", propagateAtLaunch" : "");
        for (size_t i = 0; i < v->len; i++) {
            const cdk_value *tag = v->u.list.items[i];
            const cdk_value *k = cdk_map_get(tag, "key"), *val = cdk_map_get(tag, "value");
            const cdk_value *pal = cdk_map_get(tag, "propagate_at_launch");
            int dynamic = tag->kind != CDK_MAP || k == NULL || val == NULL ||
                          (t->type == CDK_TAGS_ASG && pal == NULL);
            if (dynamic) {
                if (t->dynamic == NULL && (t->dynamic = cdk_list(app)) == NULL)
                    return cdk_oom(app);
                if ((rc = cdk_list_push(app, t->dynamic, (cdk_value *)tag)) != CDK_OK)
                    return rc;
                continue;
            }
            const char *ks = scalar_text(app, k), *vs = scalar_text(app, val);
            if (ks == NULL || vs == NULL)
                return cdk_fail(app, CDK_EINVAL, "tag keys and values must be strings");
            int atl = pal == NULL || (pal->kind == CDK_BOOL ? pal->u.boolean : 1);
            if ((rc = cdk_tags_set(t, ks, vs, 50, atl)) != CDK_OK)
                return rc;
        }
        return CDK_OK;
    case CDK_TAGS_MAP:
    case CDK_TAGS_KEY_VALUE:
        if (v->kind != CDK_MAP)
            return cdk_fail(app, CDK_EINVAL, "Invalid tag input expected map of {key: value}");
        for (size_t i = 0; i < v->len; i++) {
            const char *vs = scalar_text(app, v->u.map.ents[i].value);
            if (vs == NULL)
                return cdk_fail(app, CDK_EINVAL, "tag values must be strings");
            if ((rc = cdk_tags_set(t, v->u.map.ents[i].key, vs, 50, 1)) != CDK_OK)
                return rc;
        }
        return CDK_OK;
    default:
        return CDK_OK;
    }
}

static int cmp_entries(const void *a, const void *b)
{
    return cdk_locale_compare((*(tag_entry *const *)a)->key, (*(tag_entry *const *)b)->key);
}

static tag_entry **sorted(cdk_tags *t, size_t *n)
{
    size_t k = 0;
    tag_entry **out = cdk_alloc(t->app, (t->len ? t->len : 1) * sizeof *out);
    if (out == NULL)
        return NULL;
    for (size_t i = 0; i < t->len; i++)
        if (t->items[i].present)
            out[k++] = &t->items[i];
    /* insertion sort keeps equal keys stable (there are none) and needs no callback state */
    for (size_t i = 1; i < k; i++) {
        tag_entry *e = out[i];
        size_t j = i;
        while (j > 0 && cmp_entries(&out[j - 1], &e) > 0) {
            out[j] = out[j - 1];
            j--;
        }
        out[j] = e;
    }
    *n = k;
    return out;
}

int cdk_tags_sorted(cdk_tags *t, const char ***keys, const char ***values, size_t *n)
{
    size_t k;
    tag_entry **s = sorted(t, &k);
    if (s == NULL)
        return cdk_oom(t->app);
    *keys = cdk_alloc(t->app, (k ? k : 1) * sizeof **keys);
    *values = cdk_alloc(t->app, (k ? k : 1) * sizeof **values);
    if (*keys == NULL || *values == NULL)
        return cdk_oom(t->app);
    for (size_t i = 0; i < k; i++) {
        (*keys)[i] = s[i]->key;
        (*values)[i] = s[i]->value;
    }
    *n = k;
    return CDK_OK;
}

cdk_value *cdk_tags_render(cdk_tags *t)
{
    cdk_app *app = t->app;
    size_t k;
    tag_entry **s = sorted(t, &k);
    if (s == NULL)
        return NULL;
    if (t->type == CDK_TAGS_MAP) {
        if (k == 0)
            return cdk_undefined();
        cdk_value *m = cdk_map(app);
        for (size_t i = 0; m && i < k; i++)
            if (cdk_map_set(app, m, s[i]->key, cdk_str_ref(app, s[i]->value)) != CDK_OK)
                return NULL;
        return m;
    }
    if (t->type == CDK_TAGS_NONE)
        return cdk_undefined();
    size_t ndyn = t->dynamic ? t->dynamic->len : 0;
    if (k + ndyn == 0)
        return cdk_undefined();
    cdk_value *l = cdk_list(app);
    if (l == NULL)
        return NULL;
    const char *kk = t->type == CDK_TAGS_KEY_VALUE ? "Key" : "key";
    const char *vk = t->type == CDK_TAGS_KEY_VALUE ? "Value" : "value";
    for (size_t i = 0; i < k; i++) {
        cdk_value *m = cdk_map(app);
        if (m == NULL || cdk_map_set(app, m, kk, cdk_str_ref(app, s[i]->key)) != CDK_OK ||
            cdk_map_set(app, m, vk, cdk_str_ref(app, s[i]->value)) != CDK_OK)
            return NULL;
        if (t->type == CDK_TAGS_ASG &&
            cdk_map_set(app, m, "propagate_at_launch", cdk_boolv(s[i]->apply_to_launched)) != CDK_OK)
            return NULL;
        if (cdk_list_push(app, l, m) != CDK_OK)
            return NULL;
    }
    for (size_t i = 0; i < ndyn; i++)
        if (cdk_list_push(app, l, t->dynamic->u.list.items[i]) != CDK_OK)
            return NULL;
    return l;
}

static int listed(const cdk_strlist *l, const char *s)
{
    for (size_t i = 0; i < l->len; i++)
        if (strcmp(l->items[i], s) == 0)
            return 1;
    return 0;
}

int cdk_tags_applies(const cdk_tags *t, const cdk_strlist *include, const cdk_strlist *exclude)
{
    if (exclude && exclude->len > 0 && listed(exclude, t->rtype))
        return 0;
    if (include && include->len > 0 && !listed(include, t->rtype))
        return 0;
    return 1;
}

/* ---- Tags.of(scope) ---- */

typedef struct tag_aspect {
    const char *key, *value;  /* value NULL: remove */
    cdk_tag_props props;
} tag_aspect;

static int visit_tag(cdk_aspect *a, cdk_node *n)
{
    tag_aspect *ta = a->ud;
    if (n->tags == NULL || !cdk_tags_applies(n->tags, &ta->props.include, &ta->props.exclude))
        return CDK_OK;
    if (ta->value == NULL)
        return cdk_tags_remove(n->tags, ta->key, ta->props.has_priority ? ta->props.priority : 200);
    return cdk_tags_set(n->tags, ta->key, ta->value, ta->props.has_priority ? ta->props.priority : 100,
                        ta->props.apply_to_launched != 0);
}

static int add_tag_aspect(cdk_node *scope, const char *key, const char *value, const cdk_tag_props *p)
{
    cdk_app *app = scope->app;
    tag_aspect *ta = cdk_alloc(app, sizeof *ta);
    if (ta == NULL || (ta->key = cdk_strdup(app, key)) == NULL)
        return cdk_oom(app);
    if (value && (ta->value = cdk_strdup(app, value)) == NULL)
        return cdk_oom(app);
    if (p) {
        ta->props = *p;
    } else {
        ta->props.has_priority = 0;
        ta->props.apply_to_launched = -1;
    }
    return cdk_node_add_aspect(scope, visit_tag, ta);
}

int cdk_tags_add(cdk_node *scope, const char *key, const char *value, const cdk_tag_props *p)
{
    if (value == NULL)
        return cdk_fail(scope->app, CDK_EINVAL, "Tag must have a value");
    return add_tag_aspect(scope, key, value, p);
}

int cdk_tags_remove_aspect(cdk_node *scope, const char *key, const cdk_tag_props *p)
{
    return add_tag_aspect(scope, key, NULL, p);
}
