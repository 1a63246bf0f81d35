/* value.c: the value type. Constructors allocate in the App's arena and return NULL only when
 * memory runs out; the static singletons are shared and never written. */
#include <string.h>

#include "cdk_internal.h"

static cdk_value v_undefined = {CDK_UNDEFINED, 0, CDK_VALUE_SHARED, 0, {0}};
static cdk_value v_null = {CDK_NULL, 0, CDK_VALUE_SHARED, 0, {0}};
static cdk_value v_true = {CDK_BOOL, 0, CDK_VALUE_SHARED, 0, {1}};
static cdk_value v_false = {CDK_BOOL, 0, CDK_VALUE_SHARED, 0, {0}};
static cdk_value v_empty_list = {CDK_LIST, 0, CDK_VALUE_SHARED, 0, {0}};
static cdk_value v_empty_map = {CDK_MAP, 0, CDK_VALUE_SHARED, 0, {0}};

cdk_value *cdk_undefined(void) { return &v_undefined; }
cdk_value *cdk_nullv(void) { return &v_null; }
cdk_value *cdk_boolv(int b) { return b ? &v_true : &v_false; }
cdk_value *cdk_empty_list(void) { return &v_empty_list; }
cdk_value *cdk_empty_map(void) { return &v_empty_map; }

static cdk_value *newv(cdk_app *app, cdk_kind kind)
{
    cdk_value *v = cdk_alloc(app, sizeof *v);
    if (v)
        v->kind = kind;
    return v;
}

cdk_value *cdk_num(cdk_app *app, double n)
{
    cdk_value *v = newv(app, CDK_NUMBER);
    if (v)
        v->u.number = n;
    return v;
}

cdk_value *cdk_strn(cdk_app *app, const char *s, size_t len)
{
    if (len > CDK_VALUE_MAX_LEN)
        return NULL;
    cdk_value *v = newv(app, CDK_STRING);
    if (v == NULL)
        return NULL;
    char *p = cdk_strndup(app, s, len);
    if (p == NULL)
        return NULL;
    v->u.str.ptr = p;
    v->len = (uint32_t)len;
    return v;
}

cdk_value *cdk_str(cdk_app *app, const char *s)
{
    return cdk_strn(app, s, strlen(s));
}

cdk_value *cdk_str_ref(cdk_app *app, const char *s)
{
    size_t len = strlen(s);
    if (len > CDK_VALUE_MAX_LEN)
        return NULL;
    cdk_value *v = newv(app, CDK_STRING);
    if (v == NULL)
        return NULL;
    v->u.str.ptr = s;
    v->len = (uint32_t)len;
    return v;
}

cdk_value *cdk_list(cdk_app *app)
{
    return newv(app, CDK_LIST);
}

cdk_value *cdk_map(cdk_app *app)
{
    return newv(app, CDK_MAP);
}

cdk_value *cdk_tokv(cdk_app *app, cdk_token *t)
{
    if (t == NULL)
        return NULL;
    cdk_value *v = newv(app, CDK_TOKEN);
    if (v)
        v->u.token = t;
    return v;
}

/* The capacity of a list's items or a map's ents. */
static size_t capacity(const cdk_value *v)
{
    return v->capl ? (size_t)1 << (v->capl - 1) : 0;
}

/* Room for one more entry of size esize in v's array (*arr): a new array of twice the capacity
 * (first_cap at first) when it is full. */
static int grow(cdk_app *app, cdk_value *v, void **arr, size_t esize, unsigned first_capl)
{
    if (v->len < capacity(v))
        return CDK_OK;
    if (v->flags & CDK_VALUE_SHARED)
        return cdk_fail(app, CDK_EINVAL, "internal error: a shared empty value written to");
    if (v->len >= CDK_VALUE_MAX_LEN)
        return cdk_oom(app);
    unsigned capl = v->capl ? v->capl + 1u : first_capl;
    void *a = cdk_alloc(app, ((size_t)1 << (capl - 1)) * esize);
    if (a == NULL)
        return cdk_oom(app);
    if (v->len)
        memcpy(a, *arr, v->len * esize);
    *arr = a;
    v->capl = (unsigned char)capl;
    return CDK_OK;
}

int cdk_list_reserve(cdk_app *app, cdk_value *list, size_t n)
{
    if (list == NULL)
        return cdk_oom(app);
    if (n <= capacity(list) - list->len)
        return CDK_OK;
    if (list->flags & CDK_VALUE_SHARED)
        return cdk_fail(app, CDK_EINVAL, "internal error: a shared empty value written to");
    if (n > CDK_VALUE_MAX_LEN - list->len)
        return cdk_oom(app);
    size_t want = list->len + n;
    unsigned capl = 1;
    while (((size_t)1 << (capl - 1)) < want)
        capl++;
    cdk_value **items = cdk_alloc(app, ((size_t)1 << (capl - 1)) * sizeof *items);
    if (items == NULL)
        return cdk_oom(app);
    if (list->len)
        memcpy(items, list->u.list.items, list->len * sizeof *items);
    list->u.list.items = items;
    list->capl = (unsigned char)capl;
    return CDK_OK;
}

int cdk_list_push(cdk_app *app, cdk_value *list, cdk_value *item)
{
    if (item == NULL || list == NULL)
        return cdk_oom(app);
    if (list->len == capacity(list)) {
        void *items = list->u.list.items;
        /* a list starts with room for two: most hold one or two values */
        if (grow(app, list, &items, sizeof *list->u.list.items, 2) != CDK_OK)
            return CDK_ENOMEM;
        list->u.list.items = items;
    }
    list->u.list.items[list->len++] = item;
    return CDK_OK;
}

int cdk_map_set(cdk_app *app, cdk_value *map, const char *key, cdk_value *v)
{
    if (v == NULL || map == NULL || key == NULL)
        return cdk_oom(app);
    for (size_t i = 0; i < map->len; i++) {
        if (strcmp(map->u.map.ents[i].key, key) == 0) {
            map->u.map.ents[i].value = v;
            return CDK_OK;
        }
    }
    if (map->len == capacity(map)) {
        void *ents = map->u.map.ents;
        if (grow(app, map, &ents, sizeof *map->u.map.ents, 3) != CDK_OK)
            return CDK_ENOMEM;
        map->u.map.ents = ents;
    }
    map->u.map.ents[map->len].key = key;
    map->u.map.ents[map->len].value = v;
    map->len++;
    return CDK_OK;
}

int cdk_map_del(cdk_value *map, const char *key)
{
    for (size_t i = 0; i < map->len; i++) {
        if (strcmp(map->u.map.ents[i].key, key) == 0) {
            memmove(&map->u.map.ents[i], &map->u.map.ents[i + 1],
                    (map->len - i - 1) * sizeof map->u.map.ents[0]);
            map->len--;
            return 1;
        }
    }
    return 0;
}

cdk_value *cdk_map_get(const cdk_value *map, const char *key)
{
    if (map == NULL || map->kind != CDK_MAP)
        return NULL;
    for (size_t i = 0; i < map->len; i++)
        if (strcmp(map->u.map.ents[i].key, key) == 0)
            return map->u.map.ents[i].value;
    return NULL;
}

struct cdk_static_list {
    const char *const *strs;
    cdk_value *list;
    struct cdk_static_list *next;
};

cdk_value *cdk_list_of_strs(cdk_app *app, const char *const *strs)
{
    /* the lists of actions that grants give, the same for every resource: made once per App */
    for (struct cdk_static_list *c = app->static_lists; c; c = c->next)
        if (c->strs == strs)
            return c->list;
    struct cdk_static_list *c = cdk_alloc(app, sizeof *c);
    cdk_value *l = cdk_list(app);
    if (c == NULL || l == NULL)
        return NULL;
    for (const char *const *p = strs; *p; p++)
        if (cdk_list_push(app, l, cdk_str_ref(app, *p)) != CDK_OK)
            return NULL;
    l->flags |= CDK_VALUE_SHARED;
    c->strs = strs;
    c->list = l;
    c->next = app->static_lists;
    app->static_lists = c;
    return l;
}

cdk_value *cdk_value_copy(cdk_app *app, const cdk_value *v)
{
    if (v->kind == CDK_LIST) {
        cdk_value *l = cdk_list(app);
        if (l && cdk_list_reserve(app, l, v->len) != CDK_OK)
            return NULL;
        for (size_t i = 0; l && i < v->len; i++)
            if (cdk_list_push(app, l, v->u.list.items[i]) != CDK_OK)
                return NULL;
        return l;
    }
    if (v->kind == CDK_MAP) {
        cdk_value *m = cdk_map(app);
        for (size_t i = 0; m && i < v->len; i++)
            if (cdk_map_set(app, m, v->u.map.ents[i].key, v->u.map.ents[i].value) != CDK_OK)
                return NULL;
        return m;
    }
    return (cdk_value *)v;
}

int cdk_value_equal(const cdk_value *a, const cdk_value *b)
{
    if (a == b)
        return 1;
    if (a == NULL || b == NULL || a->kind != b->kind)
        return 0;
    switch (a->kind) {
    case CDK_UNDEFINED:
    case CDK_NULL:
        return 1;
    case CDK_BOOL:
        return !a->u.boolean == !b->u.boolean;
    case CDK_NUMBER:
        return a->u.number == b->u.number;
    case CDK_STRING:
        return a->len == b->len && memcmp(a->u.str.ptr, b->u.str.ptr, a->len) == 0;
    case CDK_LIST:
        if (a->len != b->len)
            return 0;
        for (size_t i = 0; i < a->len; i++)
            if (!cdk_value_equal(a->u.list.items[i], b->u.list.items[i]))
                return 0;
        return 1;
    case CDK_MAP:
        if (a->len != b->len)
            return 0;
        for (size_t i = 0; i < a->len; i++) {
            cdk_value *bv = cdk_map_get(b, a->u.map.ents[i].key);
            if (bv == NULL || !cdk_value_equal(a->u.map.ents[i].value, bv))
                return 0;
        }
        return 1;
    case CDK_TOKEN:
        return a->u.token == b->u.token;
    }
    return 0;
}

const char *cdk_value_str(const cdk_value *v)
{
    return v && v->kind == CDK_STRING ? v->u.str.ptr : NULL;
}

int cdk_is_str(const cdk_value *v)
{
    return v && v->kind == CDK_STRING;
}

void cdk_value_json(cdk_app *app, const cdk_value *v, cdk_buf *b)
{
    char num[40];
    switch (v ? v->kind : CDK_UNDEFINED) {
    case CDK_UNDEFINED:
    case CDK_NULL:
        cdk_buf_adds(b, "null");
        break;
    case CDK_BOOL:
        cdk_buf_adds(b, v->u.boolean ? "true" : "false");
        break;
    case CDK_NUMBER:
        cdk_js_number(v->u.number, num);
        cdk_buf_adds(b, num);
        break;
    case CDK_STRING:
        cdk_json_quote(b, v->u.str.ptr, v->len);
        break;
    case CDK_LIST:
        cdk_buf_adds(b, "[");
        for (size_t i = 0; i < v->len; i++) {
            if (i)
                cdk_buf_adds(b, ",");
            cdk_value_json(app, v->u.list.items[i], b);
        }
        cdk_buf_adds(b, "]");
        break;
    case CDK_MAP: {
        int first = 1;
        cdk_buf_adds(b, "{");
        for (size_t i = 0; i < v->len; i++) {
            if (v->u.map.ents[i].value->kind == CDK_UNDEFINED)
                continue;
            if (!first)
                cdk_buf_adds(b, ",");
            first = 0;
            cdk_json_quote(b, v->u.map.ents[i].key, strlen(v->u.map.ents[i].key));
            cdk_buf_adds(b, ":");
            cdk_value_json(app, v->u.map.ents[i].value, b);
        }
        cdk_buf_adds(b, "}");
        break;
    }
    case CDK_TOKEN: {
        const char *s = cdk_token_str(app, v->u.token);
        cdk_json_quote(b, s ? s : "", s ? strlen(s) : 0);
        break;
    }
    }
}
