/* value.c: the value type. Constructors allocate in the App's arena and return NULL only when
 * memory runs out; the static singletons are shared and never written. */
#include <string.h>

#include "cdk_internal.h"

static cdk_value v_undefined = {CDK_UNDEFINED, {0}};
static cdk_value v_null = {CDK_NULL, {0}};
static cdk_value v_true = {CDK_BOOL, {1}};
static cdk_value v_false = {CDK_BOOL, {0}};

cdk_value *cdk_undefined(void) { return &v_undefined; }
cdk_value *cdk_nullv(void) { return &v_null; }
cdk_value *cdk_boolv(int b) { return b ? &v_true : &v_false; }

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
    cdk_value *v = newv(app, CDK_STRING);
    if (v == NULL)
        return NULL;
    char *p = cdk_strndup(app, s, len);
    if (p == NULL)
        return NULL;
    v->u.str.ptr = p;
    v->u.str.len = len;
    return v;
}

cdk_value *cdk_str(cdk_app *app, const char *s)
{
    return cdk_strn(app, s, strlen(s));
}

cdk_value *cdk_str_ref(cdk_app *app, const char *s)
{
    cdk_value *v = newv(app, CDK_STRING);
    if (v == NULL)
        return NULL;
    v->u.str.ptr = s;
    v->u.str.len = strlen(s);
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

int cdk_list_push(cdk_app *app, cdk_value *list, cdk_value *item)
{
    if (item == NULL || list == NULL)
        return cdk_oom(app);
    if (list->u.list.len == list->u.list.cap) {
        size_t cap = list->u.list.cap ? list->u.list.cap * 2 : 4;
        cdk_value **items = cdk_alloc(app, cap * sizeof *items);
        if (items == NULL)
            return cdk_oom(app);
        if (list->u.list.len)
            memcpy(items, list->u.list.items, list->u.list.len * sizeof *items);
        list->u.list.items = items;
        list->u.list.cap = cap;
    }
    list->u.list.items[list->u.list.len++] = item;
    return CDK_OK;
}

int cdk_map_set(cdk_app *app, cdk_value *map, const char *key, cdk_value *v)
{
    if (v == NULL || map == NULL || key == NULL)
        return cdk_oom(app);
    for (size_t i = 0; i < map->u.map.len; i++) {
        if (strcmp(map->u.map.ents[i].key, key) == 0) {
            map->u.map.ents[i].value = v;
            return CDK_OK;
        }
    }
    if (map->u.map.len == map->u.map.cap) {
        size_t cap = map->u.map.cap ? map->u.map.cap * 2 : 4;
        cdk_mapent *ents = cdk_alloc(app, cap * sizeof *ents);
        if (ents == NULL)
            return cdk_oom(app);
        if (map->u.map.len)
            memcpy(ents, map->u.map.ents, map->u.map.len * sizeof *ents);
        map->u.map.ents = ents;
        map->u.map.cap = cap;
    }
    map->u.map.ents[map->u.map.len].key = key;
    map->u.map.ents[map->u.map.len].value = v;
    map->u.map.len++;
    return CDK_OK;
}

int cdk_map_del(cdk_value *map, const char *key)
{
    for (size_t i = 0; i < map->u.map.len; i++) {
        if (strcmp(map->u.map.ents[i].key, key) == 0) {
            memmove(&map->u.map.ents[i], &map->u.map.ents[i + 1],
                    (map->u.map.len - i - 1) * sizeof map->u.map.ents[0]);
            map->u.map.len--;
            return 1;
        }
    }
    return 0;
}

cdk_value *cdk_map_get(const cdk_value *map, const char *key)
{
    if (map == NULL || map->kind != CDK_MAP)
        return NULL;
    for (size_t i = 0; i < map->u.map.len; i++)
        if (strcmp(map->u.map.ents[i].key, key) == 0)
            return map->u.map.ents[i].value;
    return NULL;
}

cdk_value *cdk_list_of_strs(cdk_app *app, const char *const *strs)
{
    cdk_value *l = cdk_list(app);
    if (l == NULL)
        return NULL;
    for (; *strs; strs++)
        if (cdk_list_push(app, l, cdk_str(app, *strs)) != CDK_OK)
            return NULL;
    return l;
}

cdk_value *cdk_value_copy(cdk_app *app, const cdk_value *v)
{
    if (v->kind == CDK_LIST) {
        cdk_value *l = cdk_list(app);
        for (size_t i = 0; l && i < v->u.list.len; i++)
            if (cdk_list_push(app, l, v->u.list.items[i]) != CDK_OK)
                return NULL;
        return l;
    }
    if (v->kind == CDK_MAP) {
        cdk_value *m = cdk_map(app);
        for (size_t i = 0; m && i < v->u.map.len; i++)
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
        return a->u.str.len == b->u.str.len && memcmp(a->u.str.ptr, b->u.str.ptr, a->u.str.len) == 0;
    case CDK_LIST:
        if (a->u.list.len != b->u.list.len)
            return 0;
        for (size_t i = 0; i < a->u.list.len; i++)
            if (!cdk_value_equal(a->u.list.items[i], b->u.list.items[i]))
                return 0;
        return 1;
    case CDK_MAP:
        if (a->u.map.len != b->u.map.len)
            return 0;
        for (size_t i = 0; i < a->u.map.len; i++) {
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
        cdk_json_quote(b, v->u.str.ptr, v->u.str.len);
        break;
    case CDK_LIST:
        cdk_buf_adds(b, "[");
        for (size_t i = 0; i < v->u.list.len; i++) {
            if (i)
                cdk_buf_adds(b, ",");
            cdk_value_json(app, v->u.list.items[i], b);
        }
        cdk_buf_adds(b, "]");
        break;
    case CDK_MAP: {
        int first = 1;
        cdk_buf_adds(b, "{");
        for (size_t i = 0; i < v->u.map.len; i++) {
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
