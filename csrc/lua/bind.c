/* bind.c: the binding's common machinery: userdata for Apps, construct handles and tokens,
 * checked conversions from Lua values (with the argument or props field in every message) and
 * back, and lazy values produced by Lua functions. It holds no domain rule. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bind.h"

static const char REG_APPS[] = "cdk.apps";       /* weak: lightuserdata(cdk_app) -> App userdata */
static const char REG_CLASSES[] = "cdk.classes"; /* name -> {parent=, methods...} */
static const char REG_GETTERS[] = "cdk.getters"; /* name -> C getter */
static const char REG_SETTERS[] = "cdk.setters"; /* name -> C setter */
static const char REG_HOLDER[] = "cdk.holder";

/* ---- errors ---- */

/* "file:line: " of the nearest Lua function calling in: the caller's line, also when the C
 * function raising was reached through another (a field getter called by __index). */
static void push_where(lua_State *L)
{
    lua_Debug ar;
    for (int level = 1; lua_getstack(L, level, &ar); level++) {
        lua_getinfo(L, "Sl", &ar);
        if (ar.currentline > 0) {
            lua_pushfstring(L, "%s:%d: ", ar.short_src, ar.currentline);
            return;
        }
        if (*ar.what != 'C')
            break;
    }
    lua_pushliteral(L, "");
}

int bind_error(lua_State *L, const char *fmt, ...)
{
    va_list ap;
    push_where(L);
    va_start(ap, fmt);
    lua_pushvfstring(L, fmt, ap);
    va_end(ap);
    lua_concat(L, 2);
    return lua_error(L);
}

static int app_closed_handle(lua_State *L, int idx);

const char *bind_typename(lua_State *L, int idx)
{
    if (luaL_testudata(L, idx, MT_NODE)) {
        lnode *h = lua_touserdata(L, idx);
        /* a closed App's node is freed memory: name it without reading it */
        if (h->node == NULL || app_closed_handle(L, idx))
            return "construct of a closed App";
        return h->node->cls->name;
    }
    if (luaL_testudata(L, idx, MT_APP))
        return "App";
    if (luaL_testudata(L, idx, MT_TOKEN))
        return "token";
    if (luaL_testudata(L, idx, MT_DURATION))
        return "Duration";
    return luaL_typename(L, idx);
}

int bind_argerror(lua_State *L, const bargs *a, int idx, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    const char *msg = lua_pushvfstring(L, fmt, ap);
    va_end(ap);
    return bind_error(L, "bad argument #%d to '%s' (%s)", idx - a->shift, a->fname, msg);
}

int bind_fielderror(lua_State *L, const bargs *a, int idx, const char *field, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    const char *msg = lua_pushvfstring(L, fmt, ap);
    va_end(ap);
    if (field == NULL)
        return bind_argerror(L, a, idx, "%s", msg);
    return bind_error(L, "bad argument #%d to '%s' (field '%s': %s)", idx - a->shift, a->fname, field, msg);
}

int bind_typeerror(lua_State *L, const bargs *a, int idx, const char *field, const char *expected)
{
    /* the offending value is on top when field is set, else at idx */
    const char *got = bind_typename(L, field ? -1 : idx);
    return bind_fielderror(L, a, idx, field, "%s expected, got %s", expected, got);
}

int bind_raise(lua_State *L, cdk_app *app)
{
    lua_pushstring(L, cdk_app_errmsg(app));
    return bind_error(L, "%s", lua_tostring(L, -1));
}

const char bind_empty_array_tag = 0;

/* ---- apps ---- */

static void push_registry(lua_State *L, const char *key)
{
    lua_getfield(L, LUA_REGISTRYINDEX, key);
}

lapp *bind_check_app(lua_State *L, int idx)
{
    lapp *a = luaL_testudata(L, idx, MT_APP);
    if (a == NULL)
        return NULL;
    if (a->app == NULL)
        bind_error(L, "attempt to use a closed App");
    return a;
}

void bind_push_app(lua_State *L, cdk_app *app)
{
    push_registry(L, REG_APPS);
    lua_pushlightuserdata(L, app);
    lua_rawget(L, -2);
    lua_remove(L, -2);
}

cdk_app *bind_holder(lua_State *L)
{
    push_registry(L, REG_HOLDER);
    lapp *h = lua_touserdata(L, -1);
    lua_pop(L, 1);
    return h->app;
}

void bind_begin(lua_State *L, cdk_app *app)
{
    lapp *a = cdk_app_user(app);
    if (a)
        a->L = L;
}

static int app_closed_handle(lua_State *L, int idx)
{
    cdk_getuv(L, idx);
    lapp *a = lua_touserdata(L, -1);
    lua_pop(L, 1);
    return a == NULL || a->app == NULL;
}

/* The App a call works in: that of its receiver or scope, the first of arguments 1 and 2 that is
 * an App, a construct or a node handle (NULL when neither is). Every construct a call is given
 * must be of that App: linking two trees would leave one App pointing into the other's arena,
 * freed with it. */
/* The App an App-bound userdata belongs to (an App, a handle whose user value is an App: a
 * construct, a node, a token, an App-less object adopted by an App); NULL for others. */
static cdk_app *bound_app_of(lua_State *L, int idx)
{
    if (lua_type(L, idx) != LUA_TUSERDATA)
        return NULL;
    lapp *self = luaL_testudata(L, idx, MT_APP);
    if (self)
        return self->holder ? NULL : self->app;
    cdk_getuv(L, idx);
    lapp *a = luaL_testudata(L, -1, MT_APP); /* the holder has no MT_APP metatable */
    lua_pop(L, 1);
    return a && !a->holder ? a->app : NULL;
}

static cdk_app *call_app(lua_State *L)
{
    int top = lua_gettop(L);
    for (int i = 1; i <= 2 && i <= top; i++) {
        lapp *ap = luaL_testudata(L, i, MT_APP);
        if (ap)
            return ap->app;
        lnode *h = luaL_testudata(L, i, MT_NODE);
        if (h == NULL)
            h = luaL_testudata(L, i, MT_CNODE);
        if (h)
            return h->node && !app_closed_handle(L, i) ? h->node->app : NULL;
        cdk_app *bound = bound_app_of(L, i);
        if (bound)
            return bound;
    }
    return NULL;
}

/* Whether the userdata at idx belongs to the holder of App-less values. */
static int holder_owned(lua_State *L, int idx)
{
    cdk_getuv(L, idx);
    push_registry(L, REG_HOLDER);
    int r = lua_rawequal(L, -1, -2);
    lua_pop(L, 2);
    return r;
}

/* The first App-bound value among the stack's values from 1 to top, tables searched a few
 * levels deep (props tables and lists), skipping skip. */
static cdk_app *find_bound_app(lua_State *L, int from, int to, int skip, int depth)
{
    luaL_checkstack(L, 4, "tables nested too deep");
    for (int i = from; i <= to; i++) {
        if (i == skip)
            continue;
        int t = lua_type(L, i);
        cdk_app *x = NULL;
        if (t == LUA_TUSERDATA) {
            x = bound_app_of(L, i);
        } else if (t == LUA_TTABLE && depth < 3) {
            lua_pushnil(L);
            while (x == NULL && lua_next(L, i)) {
                int v = lua_gettop(L);
                x = find_bound_app(L, v, v, 0, depth + 1);
                lua_pop(L, 1);
            }
            if (x)
                lua_pop(L, 1); /* the key lua_next left */
        }
        if (x)
            return x;
    }
    return NULL;
}

/* App-less objects that some App or other object may hold: registry set keyed by the core
 * object (the first pointer of the userdata's block), since one object may have many handles. */
static const char REG_USED[] = "cdk.used";

static int used(lua_State *L, int obj, int mark)
{
    push_registry(L, REG_USED);
    if (lua_isnil(L, -1)) {
        lua_pop(L, 1);
        lua_newtable(L);
        lua_pushvalue(L, -1);
        lua_setfield(L, LUA_REGISTRYINDEX, REG_USED);
    }
    lua_pushlightuserdata(L, *(void **)lua_touserdata(L, obj));
    if (mark) {
        lua_pushboolean(L, 1);
        lua_rawset(L, -3);
        lua_pop(L, 1);
        return 1;
    }
    lua_rawget(L, -2);
    int r = lua_toboolean(L, -1);
    lua_pop(L, 2);
    return r;
}

void bind_adopt_args(lua_State *L, int obj)
{
    obj = obj < 0 ? lua_gettop(L) + obj + 1 : obj;
    if (!holder_owned(L, obj))
        return;
    cdk_app *x = find_bound_app(L, 1, lua_gettop(L), obj, 0);
    if (x == NULL)
        return;
    /* an App or another object may already hold it, not knowing of x: x could be freed first */
    if (used(L, obj, 0))
        bind_error(L, "attempt to give constructs of an App to an object already in use (a statement, "
                      "principal or document given to a construct or another object): give them before using it");
    bind_push_app(L, x);
    cdk_setuv(L, obj);
}

void bind_check_object(lua_State *L, int obj)
{
    obj = obj < 0 ? lua_gettop(L) + obj + 1 : obj;
    cdk_app *bound = bound_app_of(L, obj), *app = call_app(L);
    if (bound && app && bound != app)
        bind_error(L, "attempt to use an object holding values of another App");
    if (bound == NULL && holder_owned(L, obj))
        used(L, obj, 1);
}

/* A construct handle at idx (NULL if it is none); a and field name it in messages (a may be NULL). */
static cdk_node *test_node(lua_State *L, int idx, const bargs *a, int argidx, const char *field, int any_app)
{
    lnode *h = luaL_testudata(L, idx, MT_NODE);
    if (h == NULL)
        return NULL;
    if (h->node == NULL || app_closed_handle(L, idx))
        bind_error(L, "attempt to use a construct of a closed App");
    cdk_app *app = call_app(L);
    if (app && h->node->app != app && !any_app) {
        if (a)
            bind_fielderror(L, a, argidx, field, "construct '%s' of another App", h->node->path);
        bind_error(L, "attempt to use construct '%s' of another App", h->node->path);
    }
    return h->node;
}

cdk_node *bind_test_node(lua_State *L, int idx)
{
    return test_node(L, idx, NULL, 0, NULL, 0);
}

/* The name a user knows a class by, for "X expected": a base class (TopicBase, for owned and
 * imported topics alike) by the class users make (Topic). Pushed on the stack. */
static const char *class_label(lua_State *L, const char *cls)
{
    size_t n = cls ? strlen(cls) : 0;
    /* (Lua 5.1 and LuaJIT's lua_push*string return nothing) */
    if (cls == NULL)
        lua_pushliteral(L, "construct");
    else if (n > 4 && strcmp(cls + n - 4, "Base") == 0)
        lua_pushlstring(L, cls, n - 4);
    else
        lua_pushstring(L, cls);
    return lua_tostring(L, -1);
}

static cdk_node *check_node(lua_State *L, const bargs *a, int idx, const char *cls, int any_app)
{
    cdk_node *n = test_node(L, idx, a, idx, NULL, any_app);
    if (n == NULL || (cls && !bind_is_class(L, n, cls)))
        bind_argerror(L, a, idx, "%s expected, got %s", class_label(L, cls), bind_typename(L, idx));
    return n;
}

cdk_node *bind_check_node(lua_State *L, const bargs *a, int idx, const char *cls)
{
    return check_node(L, a, idx, cls, 0);
}

cdk_node *bind_check_node_any_app(lua_State *L, const bargs *a, int idx, const char *cls)
{
    return check_node(L, a, idx, cls, 1);
}

cdk_node *bind_check_scope(lua_State *L, const bargs *a, int idx)
{
    lapp *ap = luaL_testudata(L, idx, MT_APP);
    if (ap) {
        if (ap->app == NULL)
            bind_error(L, "attempt to use a closed App");
        return cdk_app_root(ap->app);
    }
    cdk_node *n = test_node(L, idx, a, idx, NULL, 0);
    if (n == NULL)
        bind_argerror(L, a, idx, "scope (an App or a construct) expected, got %s", bind_typename(L, idx));
    return n;
}

void bind_push_node(lua_State *L, cdk_node *n)
{
    bind_push_app(L, n->app);           /* app */
    int app_idx = lua_gettop(L);
    cdk_getuv(L, app_idx);              /* app uv */
    lua_getfield(L, -1, "handles");     /* app uv handles */
    lua_pushlightuserdata(L, n);
    lua_rawget(L, -2);
    if (!lua_isnil(L, -1)) {
        lua_replace(L, app_idx);
        lua_pop(L, 2);
        return;
    }
    lua_pop(L, 1);
    lnode *h = cdk_newuserdata(L, sizeof *h);
    h->node = n;
    luaL_getmetatable(L, MT_NODE);
    lua_setmetatable(L, -2);
    lua_pushvalue(L, app_idx);
    cdk_setuv(L, -2);
    lua_pushlightuserdata(L, n);
    lua_pushvalue(L, -2);
    lua_rawset(L, -4);                  /* handles[n] = h */
    lua_replace(L, app_idx);
    lua_pop(L, 2);
}

void bind_push_cnode(lua_State *L, cdk_node *n)
{
    bind_push_app(L, n->app);
    lnode *h = cdk_newuserdata(L, sizeof *h);
    h->node = n;
    luaL_getmetatable(L, MT_CNODE);
    lua_setmetatable(L, -2);
    lua_insert(L, -2);
    cdk_setuv(L, -2);
}

void bind_push_token(lua_State *L, cdk_token *t, cdk_app *owner)
{
    bind_push_app(L, owner);
    ltoken *h = cdk_newuserdata(L, sizeof *h);
    h->tok = t;
    h->app = owner;
    luaL_getmetatable(L, MT_TOKEN);
    lua_setmetatable(L, -2);
    lua_insert(L, -2);
    cdk_setuv(L, -2);
}

/* ---- classes ---- */

void bind_define_class(lua_State *L, const char *name, const char *parent, const luaL_Reg *methods,
                       lua_CFunction getter)
{
    push_registry(L, REG_CLASSES);
    lua_getfield(L, -1, name);
    if (lua_isnil(L, -1)) {
        lua_pop(L, 1);
        lua_newtable(L);
        lua_pushvalue(L, -1);
        lua_setfield(L, -3, name);
    }
    if (parent) {
        lua_pushstring(L, parent);
        lua_setfield(L, -2, "__parent");
    }
    if (methods)
        luaL_setfuncs(L, methods, 0);
    lua_pop(L, 2);
    if (getter) {
        push_registry(L, REG_GETTERS);
        lua_pushcfunction(L, getter);
        lua_setfield(L, -2, name);
        lua_pop(L, 1);
    }
}

void bind_define_setter(lua_State *L, const char *name, lua_CFunction setter)
{
    push_registry(L, REG_SETTERS);
    lua_pushcfunction(L, setter);
    lua_setfield(L, -2, name);
    lua_pop(L, 1);
}

int bind_is_class(lua_State *L, const cdk_node *n, const char *cls)
{
    if (strcmp(cls, "construct") == 0)
        return 1;
    push_registry(L, REG_CLASSES);
    lua_pushstring(L, n->cls->name);
    int found = 0;
    for (int guard = 0; guard < 32 && lua_isstring(L, -1); guard++) {
        if (strcmp(lua_tostring(L, -1), cls) == 0) {
            found = 1;
            break;
        }
        lua_rawget(L, -2);
        if (!lua_istable(L, -1))
            break;
        lua_getfield(L, -1, "__parent");
        lua_remove(L, -2);
    }
    lua_pop(L, 2);
    return found;
}

/* __index of construct handles: methods by class chain, then getters, then `node`. */
static int node_index(lua_State *L)
{
    cdk_node *n = bind_test_node(L, 1);
    if (n == NULL)
        return 0;
    if (lua_type(L, 2) != LUA_TSTRING)
        return 0;
    const char *key = lua_tostring(L, 2);
    if (strcmp(key, "node") == 0) {
        bind_push_cnode(L, n);
        return 1;
    }
    push_registry(L, REG_CLASSES);  /* 3 */
    push_registry(L, REG_GETTERS);  /* 4 */
    lua_pushstring(L, n->cls->name); /* 5: current class name */
    for (int guard = 0; guard < 32 && lua_isstring(L, 5); guard++) {
        lua_pushvalue(L, 5);
        lua_rawget(L, 3);            /* 6: class table */
        if (lua_istable(L, 6)) {
            lua_pushvalue(L, 2);
            lua_rawget(L, 6);
            if (!lua_isnil(L, -1))
                return 1;
            lua_pop(L, 1);
        }
        lua_pushvalue(L, 5);
        lua_rawget(L, 4);            /* 7: getter */
        if (lua_isfunction(L, 7)) {
            int top = lua_gettop(L);
            lua_pushvalue(L, 1);
            lua_pushvalue(L, 2);
            lua_call(L, 2, 1);
            if (!lua_isnil(L, -1))
                return 1;
            lua_settop(L, top);
        }
        lua_pop(L, 1);               /* getter */
        if (!lua_istable(L, 6)) {
            lua_pop(L, 1);
            break;
        }
        lua_getfield(L, 6, "__parent");
        lua_replace(L, 5);
        lua_pop(L, 1);               /* class table */
    }
    return 0;
}

/* __newindex of construct handles: the setters of the class chain (a setter returns true when it
 * took the field), else an error. */
static int node_newindex(lua_State *L)
{
    cdk_node *n = bind_test_node(L, 1);
    if (n && lua_type(L, 2) == LUA_TSTRING) {
        lua_settop(L, 3);
        push_registry(L, REG_CLASSES); /* 4 */
        push_registry(L, REG_SETTERS); /* 5 */
        lua_pushstring(L, n->cls->name); /* 6: current class name */
        for (int guard = 0; guard < 32 && lua_isstring(L, 6); guard++) {
            lua_pushvalue(L, 6);
            lua_rawget(L, 5);
            if (lua_isfunction(L, -1)) {
                lua_pushvalue(L, 1);
                lua_pushvalue(L, 2);
                lua_pushvalue(L, 3);
                lua_call(L, 3, 1);
                if (lua_toboolean(L, -1))
                    return 0;
            }
            lua_pop(L, 1);
            lua_pushvalue(L, 6);
            lua_rawget(L, 4);
            if (!lua_istable(L, -1))
                break;
            lua_getfield(L, -1, "__parent");
            lua_replace(L, 6);
            lua_pop(L, 1);
        }
        lua_settop(L, 3);
    }
    return bind_error(L, "cannot set field '%s' of %s '%s'", luaL_tolstring(L, 2, NULL),
                      n ? n->cls->name : "construct", n ? n->path : "?");
}

static int node_tostring(lua_State *L)
{
    lnode *h = lua_touserdata(L, 1);
    if (h->node == NULL || app_closed_handle(L, 1)) {
        lua_pushstring(L, "<construct of a closed App>");
        return 1;
    }
    lua_pushstring(L, h->node->path[0] ? h->node->path : "<root>");
    return 1;
}

static int node_eq(lua_State *L)
{
    lnode *a = luaL_testudata(L, 1, MT_NODE), *b = luaL_testudata(L, 2, MT_NODE);
    if (a == NULL)
        a = luaL_testudata(L, 1, MT_CNODE);
    if (b == NULL)
        b = luaL_testudata(L, 2, MT_CNODE);
    lua_pushboolean(L, a && b && a->node == b->node);
    return 1;
}

/* ---- strings and values ---- */

static int valid_utf8(const unsigned char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned char c = s[i];
        size_t k;
        unsigned long cp;
        if (c < 0x80) {
            i++;
            continue;
        } else if ((c & 0xE0) == 0xC0) {
            k = 1;
            cp = c & 0x1F;
        } else if ((c & 0xF0) == 0xE0) {
            k = 2;
            cp = c & 0x0F;
        } else if ((c & 0xF8) == 0xF0) {
            k = 3;
            cp = c & 0x07;
        } else {
            return 0;
        }
        if (i + k >= n)
            return 0;
        for (size_t j = 1; j <= k; j++) {
            if ((s[i + j] & 0xC0) != 0x80)
                return 0;
            cp = (cp << 6) | (s[i + j] & 0x3F);
        }
        if ((k == 1 && cp < 0x80) || (k == 2 && cp < 0x800) || (k == 3 && (cp < 0x10000 || cp > 0x10FFFF)) ||
            (cp >= 0xD800 && cp <= 0xDFFF))
            return 0;
        i += k + 1;
    }
    return 1;
}

const char *bind_check_string(lua_State *L, const bargs *a, int idx, const char *field, size_t *len)
{
    int vidx = field ? -1 : idx;
    if (lua_type(L, vidx) != LUA_TSTRING)
        bind_typeerror(L, a, idx, field, "string");
    size_t n;
    const char *s = lua_tolstring(L, vidx, &n);
    if (memchr(s, '\0', n) != NULL)
        bind_fielderror(L, a, idx, field, "string contains a NUL byte");
    if (!valid_utf8((const unsigned char *)s, n))
        bind_fielderror(L, a, idx, field, "string is not valid UTF-8");
    if (len)
        *len = n;
    return s;
}

int bind_valid_utf8(const char *s, size_t n)
{
    return valid_utf8((const unsigned char *)s, n);
}

static int is_sequence(lua_State *L, int t, size_t *n)
{
    size_t len = cdk_rawlen(L, t), count = 0;
    lua_pushnil(L);
    while (lua_next(L, t)) {
        lua_pop(L, 1);
        count++;
        if (!cdk_isinteger(L, -1)) {
            lua_pop(L, 1);
            return 0;
        }
        lua_Number k = lua_tonumber(L, -1);
        if (k < 1 || k > (lua_Number)len) {
            lua_pop(L, 1);
            return 0;
        }
    }
    *n = len;
    return count == len;
}

size_t bind_check_list(lua_State *L, const bargs *a, int argidx, int vidx, const char *field, const char *expected)
{
    size_t n = 0;
    vidx = vidx < 0 ? lua_gettop(L) + vidx + 1 : vidx;
    if (!lua_istable(L, vidx) || !is_sequence(L, vidx, &n)) {
        if (field)
            lua_pushvalue(L, vidx);
        bind_typeerror(L, a, field ? argidx : vidx, field, expected);
    }
    return n;
}

static const char *subfield(lua_State *L, const char *field, const char *key, lua_Integer index)
{
    if (key)
        return field ? lua_pushfstring(L, "%s.%s", field, key) : lua_pushstring(L, key);
    return lua_pushfstring(L, "%s[%d]", field ? field : "", (int)index);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static cdk_value *to_value(lua_State *L, const bargs *a, int argidx, int vidx, const char *field, cdk_app *app,
                           int depth)
{
    vidx = vidx < 0 ? lua_gettop(L) + vidx + 1 : vidx;
    /* each level of a nested table keeps a few values on the stack: make room for them */
    luaL_checkstack(L, 8, "tables nested too deep");
    if (depth > 64)
        bind_fielderror(L, a, argidx, field, "tables nested too deep (a cycle?)");
    cdk_value *v = NULL;
    switch (lua_type(L, vidx)) {
    case LUA_TNONE: /* a missing argument is nil: the caller says what it expected */
    case LUA_TNIL:
        return cdk_undefined();
    case LUA_TBOOLEAN:
        return cdk_boolv(lua_toboolean(L, vidx));
    case LUA_TNUMBER: {
        double d = lua_tonumber(L, vidx);
        if (isnan(d) || isinf(d))
            bind_fielderror(L, a, argidx, field, "number must be finite, got %s", lua_tostring(L, vidx));
        v = cdk_num(app, d);
        break;
    }
    case LUA_TSTRING: {
        size_t n;
        const char *s;
        if (field) {
            lua_pushvalue(L, vidx);
            s = bind_check_string(L, a, argidx, field, &n);
            v = cdk_strn(app, s, n);
            lua_pop(L, 1);
        } else {
            s = bind_check_string(L, a, argidx, NULL, &n);
            v = cdk_strn(app, s, n);
        }
        break;
    }
    case LUA_TTABLE: {
        size_t n;
        int top = lua_gettop(L);
        if (is_sequence(L, vidx, &n) && n > 0) {
            v = cdk_list(app);
            for (size_t i = 1; v && i <= n; i++) {
                lua_rawgeti(L, vidx, (lua_Integer)i);
                const char *sub = subfield(L, field, NULL, (lua_Integer)i);
                cdk_value *item = to_value(L, a, argidx, -2, sub, app, depth + 1);
                if (item->kind == CDK_UNDEFINED)
                    bind_fielderror(L, a, argidx, sub, "lists may not hold nil");
                if (cdk_list_push(app, v, item) != CDK_OK)
                    v = NULL;
                lua_settop(L, top);
            }
        } else {
            v = cdk_map(app);
            /* keys sorted, since Lua tables have no order; the strings stay anchored in `keys` */
            lua_newtable(L);
            int keys = lua_gettop(L);
            int nk = 0;
            lua_pushnil(L);
            while (lua_next(L, vidx)) {
                lua_pop(L, 1);
                if (lua_type(L, -1) != LUA_TSTRING) {
                    const char *kt = luaL_typename(L, -1);
                    bind_fielderror(L, a, argidx, field, "map keys must be strings, got %s", kt);
                }
                lua_pushvalue(L, -1);
                lua_rawseti(L, keys, ++nk);
            }
            const char **sorted = cdk_alloc(app, (size_t)(nk + 1) * sizeof *sorted);
            if (sorted == NULL)
                bind_error(L, "not enough memory");
            for (int i = 1; i <= nk; i++) {
                lua_rawgeti(L, keys, i);
                size_t kl;
                const char *key = bind_check_string(L, a, argidx, field ? field : "key", &kl);
                sorted[i - 1] = cdk_strndup(app, key, kl);
                if (sorted[i - 1] == NULL)
                    bind_error(L, "not enough memory");
                lua_pop(L, 1);
            }
            qsort(sorted, (size_t)nk, sizeof *sorted, cmp_str);
            for (int i = 0; v && i < nk; i++) {
                lua_getfield(L, vidx, sorted[i]);
                const char *sub = subfield(L, field, sorted[i], 0);
                lua_insert(L, -2);
                cdk_value *item = to_value(L, a, argidx, -1, sub, app, depth + 1);
                if (cdk_map_set(app, v, sorted[i], item) != CDK_OK)
                    v = NULL;
                lua_settop(L, keys);
            }
        }
        lua_settop(L, top);
        break;
    }
    case LUA_TLIGHTUSERDATA:
        /* cdk.null (JSON null, as read back from JSON) and cdk.empty_array; no other light
         * userdata is a value */
        if (lua_touserdata(L, vidx) == NULL) {
            v = cdk_nullv();
            break;
        }
        if (lua_touserdata(L, vidx) == BIND_EMPTY_ARRAY) {
            v = cdk_list(app);
            break;
        }
        lua_pushvalue(L, vidx);
        bind_typeerror(L, a, argidx, field, "string, number, boolean or table");
        break;
    case LUA_TUSERDATA: {
        ltoken *t = luaL_testudata(L, vidx, MT_TOKEN);
        if (t) {
            if (app_closed_handle(L, vidx)) /* its token was in the closed App's arena */
                bind_fielderror(L, a, argidx, field, "token of a closed App");
            lapp *owner = cdk_app_user(app);
            int scratch = owner && owner->holder == 2; /* bind_to_json's: tokens are refused there */
            if (t->app != app && t->app != bind_holder(L) && !scratch)
                bind_fielderror(L, a, argidx, field, "token of another App");
            v = cdk_tokv(app, t->tok);
            break;
        }
        /* a CfnCondition stands for {"Condition": <its logical ID>} */
        cdk_node *n = bind_test_node(L, vidx);
        if (n && n->cls == &cdk_cfn_condition_class) {
            if (n->app != app && app != bind_holder(L))
                bind_fielderror(L, a, argidx, field, "CfnCondition of another App");
            v = cdk_cfn_condition_ref(n, app);
            break;
        }
        /* a PolicyDocument stands for the policy it renders, wherever a value goes */
        if ((v = bind_test_document(L, vidx)) != NULL)
            break;
        lua_pushvalue(L, vidx);
        bind_typeerror(L, a, argidx, field, "string, number, boolean or table");
        break;
    }
    default:
        lua_pushvalue(L, vidx);
        bind_typeerror(L, a, argidx, field, "string, number, boolean or table");
    }
    if (v == NULL)
        bind_error(L, "not enough memory");
    return v;
}

cdk_value *bind_value(lua_State *L, const bargs *a, int idx, const char *field, cdk_app *app)
{
    return to_value(L, a, idx, field ? -1 : idx, field, app, 0);
}

void bind_push_json(lua_State *L, const cJSON *j)
{
    luaL_checkstack(L, 4, "JSON too deep");
    if (j == NULL) {
        lua_pushnil(L);
        return;
    }
    switch (j->type & 0xFF) {
    case cJSON_False:
        lua_pushboolean(L, 0);
        break;
    case cJSON_True:
        lua_pushboolean(L, 1);
        break;
    case cJSON_NULL:
        lua_pushlightuserdata(L, NULL);
        break;
    case cJSON_Number: {
        double d = j->valuedouble;
#if LUA_VERSION_NUM >= 503
        if (d == floor(d) && fabs(d) < 9007199254740992.0)
            lua_pushinteger(L, (lua_Integer)d);
        else
#endif
            lua_pushnumber(L, d);
        break;
    }
    case cJSON_String:
        lua_pushstring(L, j->valuestring);
        break;
    case cJSON_Array: {
        lua_newtable(L);
        int i = 1;
        for (const cJSON *c = j->child; c; c = c->next) {
            bind_push_json(L, c);
            lua_rawseti(L, -2, i++);
        }
        break;
    }
    case cJSON_Object:
        lua_newtable(L);
        for (const cJSON *c = j->child; c; c = c->next) {
            bind_push_json(L, c);
            lua_setfield(L, -2, c->string);
        }
        break;
    default:
        lua_pushnil(L);
    }
}

void bind_push_value(lua_State *L, cdk_app *app, const cdk_value *v)
{
    char num[40];
    (void)num;
    luaL_checkstack(L, 4, "value nested too deep");
    if (v == NULL) {
        lua_pushnil(L);
        return;
    }
    switch (v->kind) {
    case CDK_UNDEFINED:
        lua_pushnil(L);
        break;
    case CDK_NULL:
        lua_pushlightuserdata(L, NULL);
        break;
    case CDK_BOOL:
        lua_pushboolean(L, v->u.boolean);
        break;
    case CDK_NUMBER:
        lua_pushnumber(L, v->u.number);
        break;
    case CDK_STRING:
        lua_pushlstring(L, v->u.str.ptr, v->len);
        break;
    case CDK_LIST:
        lua_createtable(L, (int)v->len, 0);
        for (size_t i = 0; i < v->len; i++) {
            bind_push_value(L, app, v->u.list.items[i]);
            lua_rawseti(L, -2, (lua_Integer)i + 1);
        }
        break;
    case CDK_MAP:
        lua_createtable(L, 0, (int)v->len);
        for (size_t i = 0; i < v->len; i++) {
            bind_push_value(L, app, v->u.map.ents[i].value);
            lua_setfield(L, -2, v->u.map.ents[i].key);
        }
        break;
    case CDK_TOKEN:
        bind_push_token(L, v->u.token, app);
        break;
    }
}

/* ---- props ---- */

void bind_props(lua_State *L, const bargs *a, int idx, const char *const *allowed)
{
    if (lua_isnoneornil(L, idx))
        return;
    if (!lua_istable(L, idx))
        bind_argerror(L, a, idx, "table expected, got %s", bind_typename(L, idx));
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        lua_pop(L, 1);
        if (lua_type(L, -1) != LUA_TSTRING)
            bind_argerror(L, a, idx, "property names must be strings, got %s", luaL_typename(L, -1));
        const char *k = lua_tostring(L, -1);
        int ok = 0;
        for (const char *const *p = allowed; *p; p++)
            if (strcmp(*p, k) == 0)
                ok = 1;
        if (!ok)
            bind_argerror(L, a, idx, "unknown property '%s'", k);
    }
}

/* Pushes props[field] (nil when props is nil). */
static int get_field(lua_State *L, int idx, const char *field)
{
    if (!lua_istable(L, idx)) {
        lua_pushnil(L);
        return LUA_TNIL;
    }
    lua_getfield(L, idx, field);
    return lua_type(L, -1);
}

int bind_has(lua_State *L, int idx, const char *field)
{
    int t = get_field(L, idx, field);
    lua_pop(L, 1);
    return t != LUA_TNIL;
}

int bind_opt_bool(lua_State *L, const bargs *a, int idx, const char *field)
{
    int t = get_field(L, idx, field);
    int r = -1;
    if (t == LUA_TBOOLEAN)
        r = lua_toboolean(L, -1);
    else if (t != LUA_TNIL)
        bind_typeerror(L, a, idx, field, "boolean");
    lua_pop(L, 1);
    return r;
}

const char *bind_opt_str(lua_State *L, const bargs *a, int idx, const char *field, cdk_app *app)
{
    int t = get_field(L, idx, field);
    const char *r = NULL;
    if (t != LUA_TNIL) {
        size_t n;
        const char *s = bind_check_string(L, a, idx, field, &n);
        r = cdk_strndup(app, s, n);
        if (r == NULL)
            bind_error(L, "not enough memory");
    }
    lua_pop(L, 1);
    return r;
}

int bind_opt_num(lua_State *L, const bargs *a, int idx, const char *field, double *out)
{
    int t = get_field(L, idx, field);
    int r = 0;
    if (t == LUA_TNUMBER) {
        *out = lua_tonumber(L, -1);
        if (isnan(*out) || isinf(*out))
            bind_fielderror(L, a, idx, field, "number must be finite, got %s", lua_tostring(L, -1));
        r = 1;
    } else if (t != LUA_TNIL) {
        bind_typeerror(L, a, idx, field, "number");
    }
    lua_pop(L, 1);
    return r;
}

cdk_value *bind_opt_value(lua_State *L, const bargs *a, int idx, const char *field, cdk_app *app)
{
    int t = get_field(L, idx, field);
    cdk_value *v = NULL;
    if (t != LUA_TNIL)
        v = bind_value(L, a, idx, field, app);
    lua_pop(L, 1);
    return v;
}

int bind_opt_enum(lua_State *L, const bargs *a, int idx, const char *field, const char *const *values)
{
    int t = get_field(L, idx, field);
    int r = -1;
    if (t != LUA_TNIL) {
        if (t != LUA_TSTRING)
            bind_typeerror(L, a, idx, field, "string");
        const char *s = lua_tostring(L, -1);
        for (int i = 0; values[i]; i++)
            if (strcmp(values[i], s) == 0)
                r = i;
        if (r < 0) {
            luaL_Buffer b;
            luaL_buffinit(L, &b);
            for (int i = 0; values[i]; i++) {
                if (i)
                    luaL_addstring(&b, ", ");
                luaL_addstring(&b, values[i]);
            }
            luaL_pushresult(&b);
            bind_fielderror(L, a, idx, field, "one of %s expected, got '%s'", lua_tostring(L, -1), s);
        }
    }
    lua_pop(L, 1);
    return r;
}

long bind_opt_strlist(lua_State *L, const bargs *a, int idx, const char *field, cdk_app *app, const char ***out)
{
    int t = get_field(L, idx, field);
    long r = -1;
    if (t != LUA_TNIL) {
        size_t n = 0;
        if (t != LUA_TTABLE || !is_sequence(L, lua_gettop(L), &n))
            bind_typeerror(L, a, idx, field, "list of strings");
        const char **l = cdk_alloc(app, (n + 1) * sizeof *l);
        if (l == NULL)
            bind_error(L, "not enough memory");
        for (size_t i = 1; i <= n; i++) {
            lua_rawgeti(L, -1, (lua_Integer)i);
            const char *sub = subfield(L, field, NULL, (lua_Integer)i);
            lua_insert(L, -2);
            size_t len;
            const char *s = bind_check_string(L, a, idx, sub, &len);
            if ((l[i - 1] = cdk_strndup(app, s, len)) == NULL)
                bind_error(L, "not enough memory");
            lua_pop(L, 2);
        }
        *out = l;
        r = (long)n;
    }
    lua_pop(L, 1);
    return r;
}

lduration *bind_check_duration(lua_State *L, const bargs *a, int idx, const char *field)
{
    lduration *d = luaL_testudata(L, field ? -1 : idx, MT_DURATION);
    if (d == NULL)
        bind_typeerror(L, a, idx, field, "Duration");
    return d;
}

int bind_opt_duration(lua_State *L, const bargs *a, int idx, const char *field, cdk_duration *out)
{
    int t = get_field(L, idx, field);
    int r = 0;
    if (t != LUA_TNIL) {
        *out = bind_check_duration(L, a, idx, field)->d;
        r = 1;
    }
    lua_pop(L, 1);
    return r;
}

cdk_node *bind_check_field_node(lua_State *L, const bargs *a, int idx, const char *field, const char *cls)
{
    cdk_node *n = test_node(L, -1, a, idx, field, 0);
    if (n == NULL || (cls && !bind_is_class(L, n, cls))) {
        const char *got = bind_typename(L, -1);
        bind_fielderror(L, a, idx, field, "%s expected, got %s", class_label(L, cls), got);
    }
    return n;
}

cdk_node *bind_opt_node(lua_State *L, const bargs *a, int idx, const char *field, const char *cls)
{
    int t = get_field(L, idx, field);
    cdk_node *n = t != LUA_TNIL ? bind_check_field_node(L, a, idx, field, cls) : NULL;
    lua_pop(L, 1);
    return n;
}

void bind_push_duration(lua_State *L, cdk_duration d)
{
    lduration *u = cdk_newuserdata(L, sizeof *u);
    u->d = d;
    luaL_getmetatable(L, MT_DURATION);
    lua_setmetatable(L, -2);
}

cdk_removal_policy bind_removal_policy(lua_State *L, const bargs *a, int idx, const char *field)
{
    static const char *const values[] = {"destroy", "retain", "snapshot", NULL};
    static const cdk_removal_policy map[] = {CDK_REMOVAL_DESTROY, CDK_REMOVAL_RETAIN, CDK_REMOVAL_SNAPSHOT};
    int i;
    if (field) {
        i = bind_opt_enum(L, a, idx, field, values);
    } else {
        if (lua_isnoneornil(L, idx))
            return CDK_REMOVAL_UNSET;
        if (lua_type(L, idx) != LUA_TSTRING)
            bind_typeerror(L, a, idx, NULL, "RemovalPolicy");
        const char *s = lua_tostring(L, idx);
        for (i = 0; values[i] && strcmp(values[i], s) != 0; i++)
            ;
        if (values[i] == NULL)
            bind_argerror(L, a, idx, "one of destroy, retain, snapshot expected, got '%s'", s);
    }
    return i < 0 ? CDK_REMOVAL_UNSET : map[i];
}

/* ---- schema-described props ---- */

static cdk_value *schema_struct(lua_State *L, const bargs *a, int argidx, int vidx, const char *field,
                                const cdk_schema *s, cdk_app *app, int depth);

static cdk_value *schema_item(lua_State *L, const bargs *a, int argidx, int vidx, const char *field,
                              cdk_prop_type type, const cdk_schema *sub, cdk_app *app, int depth)
{
    vidx = vidx < 0 ? lua_gettop(L) + vidx + 1 : vidx;
    luaL_checkstack(L, 8, "tables nested too deep");
    /* tokens stand for any type; so does a PolicyDocument (an IResolvable in CDK) */
    if (luaL_testudata(L, vidx, MT_TOKEN))
        return to_value(L, a, argidx, vidx, field, app, depth);
    cdk_value *doc = bind_test_document(L, vidx);
    if (doc)
        return doc;
    if (lua_type(L, vidx) == LUA_TSTRING && type != CDK_P_STRING) {
        size_t n;
        const char *s = lua_tolstring(L, vidx, &n);
        if (cdk_str_is_unresolved(s, n))
            return to_value(L, a, argidx, vidx, field, app, depth);
    }
    if (lua_type(L, vidx) == LUA_TNUMBER && type != CDK_P_NUMBER && cdk_num_is_token(lua_tonumber(L, vidx)))
        return to_value(L, a, argidx, vidx, field, app, depth);
    switch (type) {
    case CDK_P_STRING:
        if (lua_type(L, vidx) != LUA_TSTRING) {
            lua_pushvalue(L, vidx);
            bind_typeerror(L, a, argidx, field, "string");
        }
        break;
    case CDK_P_NUMBER:
        if (lua_type(L, vidx) != LUA_TNUMBER) {
            lua_pushvalue(L, vidx);
            bind_typeerror(L, a, argidx, field, "number");
        }
        break;
    case CDK_P_BOOL:
        if (lua_type(L, vidx) != LUA_TBOOLEAN) {
            lua_pushvalue(L, vidx);
            bind_typeerror(L, a, argidx, field, "boolean");
        }
        break;
    case CDK_P_STRUCT:
        if (sub)
            return schema_struct(L, a, argidx, vidx, field, sub, app, depth + 1);
        break;
    case CDK_P_LIST:
    case CDK_P_TAGS: {
        size_t n = 0;
        if (lua_type(L, vidx) != LUA_TTABLE || !is_sequence(L, vidx, &n)) {
            lua_pushvalue(L, vidx);
            bind_typeerror(L, a, argidx, field, "list");
        }
        cdk_value *l = cdk_list(app);
        if (l == NULL)
            bind_error(L, "not enough memory");
        for (size_t i = 1; i <= n; i++) {
            int top = lua_gettop(L);
            lua_rawgeti(L, vidx, (lua_Integer)i);
            const char *subname = subfield(L, field, NULL, (lua_Integer)i);
            cdk_value *item = sub ? schema_struct(L, a, argidx, top + 1, subname, sub, app, depth + 1)
                                  : schema_item(L, a, argidx, top + 1, subname, type == CDK_P_TAGS ? CDK_P_STRUCT : CDK_P_STRING,
                                                NULL, app, depth + 1);
            if (cdk_list_push(app, l, item) != CDK_OK)
                bind_error(L, "not enough memory");
            lua_settop(L, top);
        }
        return l;
    }
    case CDK_P_MAP:
        if (lua_type(L, vidx) != LUA_TTABLE) {
            lua_pushvalue(L, vidx);
            bind_typeerror(L, a, argidx, field, "map");
        }
        break;
    case CDK_P_JSON:
        /* CloudFormation's Json: CDK's validateObject refuses anything but an object */
        if (lua_type(L, vidx) != LUA_TTABLE) {
            lua_pushvalue(L, vidx);
            bind_typeerror(L, a, argidx, field, "table");
        }
        break;
    default:
        break;
    }
    return to_value(L, a, argidx, vidx, field, app, depth);
}

static cdk_value *schema_struct(lua_State *L, const bargs *a, int argidx, int vidx, const char *field,
                                const cdk_schema *s, cdk_app *app, int depth)
{
    vidx = vidx < 0 ? lua_gettop(L) + vidx + 1 : vidx;
    luaL_checkstack(L, 8, "tables nested too deep");
    if (depth > 32)
        bind_fielderror(L, a, argidx, field, "tables nested too deep");
    if (luaL_testudata(L, vidx, MT_TOKEN))
        return to_value(L, a, argidx, vidx, field, app, depth);
    if (lua_type(L, vidx) != LUA_TTABLE) {
        lua_pushvalue(L, vidx);
        bind_typeerror(L, a, argidx, field, "table");
    }
    /* unknown names first, then each property in schema order */
    lua_pushnil(L);
    while (lua_next(L, vidx)) {
        lua_pop(L, 1);
        if (lua_type(L, -1) != LUA_TSTRING || cdk_schema_find(s, lua_tostring(L, -1)) == NULL) {
            const char *k = luaL_tolstring(L, -1, NULL);
            if (field)
                bind_fielderror(L, a, argidx, field, "unknown property '%s'", k);
            bind_argerror(L, a, argidx, "unknown property '%s'", k);
        }
    }
    cdk_value *m = cdk_map(app);
    if (m == NULL)
        bind_error(L, "not enough memory");
    for (const cdk_prop *p = s->props; p->name; p++) {
        int top = lua_gettop(L);
        lua_getfield(L, vidx, p->name);
        if (lua_isnil(L, -1)) {
            if (p->required && field)
                bind_fielderror(L, a, argidx, field, "missing required property '%s'", p->name);
            lua_settop(L, top);
            continue;
        }
        const char *subname = subfield(L, field, p->name, 0);
        cdk_value *v = schema_item(L, a, argidx, top + 1, subname, p->type, p->sub, app, depth);
        if (cdk_map_set(app, m, p->name, v) != CDK_OK)
            bind_error(L, "not enough memory");
        lua_settop(L, top);
    }
    return m;
}

cdk_value *bind_schema_value(lua_State *L, const bargs *a, int argidx, int vidx, const cdk_prop *p, cdk_app *app)
{
    return schema_item(L, a, argidx, vidx, p->name, p->type, p->sub, app, 0);
}

cdk_value *bind_schema_props(lua_State *L, const bargs *a, int idx, const cdk_schema *s, cdk_app *app)
{
    if (lua_isnoneornil(L, idx)) {
        for (const cdk_prop *p = s->props; p->name; p++)
            if (p->required)
                bind_argerror(L, a, idx, "missing required property '%s'", p->name);
        return cdk_map(app);
    }
    if (!lua_istable(L, idx))
        bind_argerror(L, a, idx, "table expected, got %s", bind_typename(L, idx));
    for (const cdk_prop *p = s->props; p->name; p++) {
        if (!p->required)
            continue;
        lua_getfield(L, idx, p->name);
        if (lua_isnil(L, -1))
            bind_argerror(L, a, idx, "missing required property '%s'", p->name);
        lua_pop(L, 1);
    }
    return schema_struct(L, a, idx, idx, NULL, s, app, 0);
}

/* Whether v holds a token anywhere (cdk_is_unresolved looks at the top level only). */
static int holds_token(const cdk_value *v)
{
    if (cdk_is_unresolved(v))
        return 1;
    if (v->kind == CDK_LIST)
        for (size_t i = 0; i < v->len; i++)
            if (holds_token(v->u.list.items[i]))
                return 1;
    if (v->kind == CDK_MAP)
        for (size_t i = 0; i < v->len; i++)
            if (holds_token(v->u.map.ents[i].value))
                return 1;
    return 0;
}

/* A deep copy of j that owns all its strings and keys (cJSON_Duplicate keeps constant keys, and
 * printing and parsing again would round numbers); NULL when memory runs out. */
static cJSON *own_copy(const cJSON *j)
{
    cJSON *c = NULL;
    switch (j->type & 0xFF) {
    case cJSON_False:
        return cJSON_CreateFalse();
    case cJSON_True:
        return cJSON_CreateTrue();
    case cJSON_NULL:
        return cJSON_CreateNull();
    case cJSON_Number:
        return cJSON_CreateNumber(j->valuedouble);
    case cJSON_String:
        return cJSON_CreateString(j->valuestring);
    case cJSON_Array:
    case cJSON_Object:
        c = (j->type & 0xFF) == cJSON_Array ? cJSON_CreateArray() : cJSON_CreateObject();
        for (const cJSON *k = j->child; c && k; k = k->next) {
            cJSON *item = own_copy(k);
            if (item == NULL) {
                cJSON_Delete(c);
                return NULL;
            }
            if ((j->type & 0xFF) == cJSON_Array)
                cJSON_AddItemToArray(c, item);
            else
                cJSON_AddItemToObject(c, k->string, item);
        }
        return c;
    default:
        return cJSON_CreateNull();
    }
}

cJSON *bind_to_json(lua_State *L, const bargs *a, int idx, const char *field)
{
    /* through a value in a scratch App, checked like any value, then resolved as data; the
     * holder would keep every conversion for the life of the process. The scratch App is a Lua
     * userdata until freed, so that the collector frees it when a check raises. */
    if (idx < 0 && idx > LUA_REGISTRYINDEX)
        idx = lua_gettop(L) + idx + 1;
    lapp *tmp = cdk_newuserdata(L, sizeof *tmp);
    memset(tmp, 0, sizeof *tmp);
    luaL_getmetatable(L, MT_APP);
    lua_setmetatable(L, -2);
    cdk_app_opts opts = {0};
    opts.context_json = "";
    if ((tmp->app = cdk_app_new(&opts)) == NULL)
        bind_error(L, "not enough memory");
    tmp->holder = 2;
    cdk_app_set_user(tmp->app, tmp);
    cdk_app_set_fallback(tmp->app, bind_holder(L));
    if (field)
        lua_pushvalue(L, -2); /* the field's value, on top again */
    cdk_value *v = to_value(L, a, idx, field ? -1 : idx, field, tmp->app, 0);
    cJSON *j = NULL;
    if (holds_token(v))
        bind_fielderror(L, a, idx, field, "context values may not hold tokens");
    if (cdk_resolve_in(cdk_app_root(tmp->app), v, &j) != CDK_OK)
        bind_raise(L, tmp->app);
    /* the resolved tree may refer to strings in the scratch App's arena: a copy owning them all */
    cJSON *copy = j ? own_copy(j) : NULL;
    int oom = j && copy == NULL;
    cJSON_Delete(j);
    if (oom)
        bind_error(L, "not enough memory");
    j = copy;
    cdk_app_free(tmp->app);
    tmp->app = NULL;
    lua_pop(L, field ? 2 : 1);
    return j;
}

/* ---- lazy values produced in Lua ---- */

typedef struct lprod {
    int ref;           /* index in the owner's user value */
    cdk_app *owner;
} lprod;

typedef struct produce_call {
    cdk_rctx *ctx;
    int ref;
    cdk_app *owner;
    cdk_value *out;
} produce_call;

static int produce_protected(lua_State *L)
{
    produce_call *pc = lua_touserdata(L, 1);
    bind_push_app(L, pc->owner);
    cdk_getuv(L, -1);
    lua_rawgeti(L, -1, pc->ref);
    lua_createtable(L, 0, 2);
    if (pc->ctx->scope && pc->ctx->scope->parent) {
        bind_push_node(L, pc->ctx->scope);
        lua_setfield(L, -2, "scope");
    }
    lua_pushboolean(L, pc->ctx->preparing);
    lua_setfield(L, -2, "preparing");
    lua_call(L, 1, 1);
    bargs a = {"produce", 0};
    int top = lua_gettop(L);
    pc->out = to_value(L, &a, top, top, "result", pc->ctx->app, 0);
    return 0;
}

int bind_produce(cdk_rctx *ctx, void *ud, cdk_value **out)
{
    lprod *p = ud;
    lapp *a = cdk_app_user(ctx->app);
    if (a == NULL || a->L == NULL)
        return cdk_fail(ctx->app, CDK_ECALLBACK, "a Lua producer cannot run here");
    lua_State *L = a->L;
    produce_call pc = {ctx, p->ref, p->owner, NULL};
    if (!lua_checkstack(L, 8))
        return cdk_fail(ctx->app, CDK_ENOMEM, "Lua stack overflow");
    lua_pushcfunction(L, produce_protected);
    lua_pushlightuserdata(L, &pc);
    a->producing++;
    int status = lua_pcall(L, 1, 0, 0);
    a->producing--;
    if (status != 0) {
        const char *msg = lua_tostring(L, -1);
        int rc = cdk_fail(ctx->app, CDK_ECALLBACK, "%s", msg ? msg : "(error object is not a string)");
        lua_pop(L, 1);
        return rc;
    }
    *out = pc.out;
    return CDK_OK;
}

/* ---- metatables ---- */

static int app_gc(lua_State *L)
{
    lapp *a = lua_touserdata(L, 1);
    if (a->app) {
        cdk_app_free(a->app);
        a->app = NULL;
    }
    return 0;
}

void bind_open_types(lua_State *L)
{
    /* Opened again in the same state (the module unloaded and required anew, as busted does for
     * each spec file): the Apps' registry and the holder of App-less values stay as they are, so
     * that what was made before still works, and the holder's memory, which those objects and
     * the marks of bind_check_object point into, is never freed and reused while the state lives. */
    push_registry(L, REG_HOLDER);
    int reopened = !lua_isnil(L, -1);
    lua_pop(L, 1);
    if (!reopened) {
        lua_newtable(L);
        lua_newtable(L);
        lua_pushstring(L, "v");
        lua_setfield(L, -2, "__mode");
        lua_setmetatable(L, -2);
        lua_setfield(L, LUA_REGISTRYINDEX, REG_APPS);
    }
    lua_newtable(L);
    lua_setfield(L, LUA_REGISTRYINDEX, REG_CLASSES);
    lua_newtable(L);
    lua_setfield(L, LUA_REGISTRYINDEX, REG_GETTERS);
    lua_newtable(L);
    lua_setfield(L, LUA_REGISTRYINDEX, REG_SETTERS);

    luaL_newmetatable(L, MT_NODE);
    lua_pushcfunction(L, node_index);
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, node_newindex);
    lua_setfield(L, -2, "__newindex");
    lua_pushcfunction(L, node_tostring);
    lua_setfield(L, -2, "__tostring");
    lua_pushcfunction(L, node_eq);
    lua_setfield(L, -2, "__eq");
    lua_pushstring(L, "construct");
    lua_setfield(L, -2, "__name");
    lua_pop(L, 1);

    if (reopened)
        return;
    /* the holder of App-less tokens */
    lapp *h = cdk_newuserdata(L, sizeof *h);
    memset(h, 0, sizeof *h);
    h->holder = 1;
    /* not the user's context: a bad $CDK_CONTEXT_JSON is reported by cdk.App, not by require */
    cdk_app_opts hopts = {0};
    hopts.context_json = "";
    h->app = cdk_app_new(&hopts);
    if (h->app == NULL)
        bind_error(L, "not enough memory");
    cdk_app_set_user(h->app, h);
    /* __gc before setmetatable: Lua 5.4 finalizes only objects whose metatable had __gc then */
    lua_newtable(L);
    lua_pushcfunction(L, app_gc);
    lua_setfield(L, -2, "__gc");
    lua_setmetatable(L, -2);
    lua_newtable(L);
    lua_newtable(L);
    lua_newtable(L);
    lua_pushstring(L, "v");
    lua_setfield(L, -2, "__mode");
    lua_setmetatable(L, -2);
    lua_setfield(L, -2, "handles");
    cdk_setuv(L, -2);
    push_registry(L, REG_APPS);
    lua_pushlightuserdata(L, h->app);
    lua_pushvalue(L, -3);
    lua_rawset(L, -3);
    lua_pop(L, 1);
    lua_setfield(L, LUA_REGISTRYINDEX, REG_HOLDER);
}

/* Registers a new App userdata (on top of the stack) for a core App. */
void bind_register_app(lua_State *L, lapp *a)
{
    lua_newtable(L);
    lua_newtable(L);
    lua_newtable(L);
    lua_pushstring(L, "v");
    lua_setfield(L, -2, "__mode");
    lua_setmetatable(L, -2);
    lua_setfield(L, -2, "handles");
    /* the App refers to the holder's tokens (its fallback): keep the holder alive with it */
    push_registry(L, REG_HOLDER);
    lua_setfield(L, -2, "holder");
    cdk_setuv(L, -2);
    cdk_app_set_user(a->app, a);
    cdk_app_set_fallback(a->app, bind_holder(L));
    push_registry(L, REG_APPS);
    lua_pushlightuserdata(L, a->app);
    lua_pushvalue(L, -3);
    lua_rawset(L, -3);
    lua_pop(L, 1);
}

/* Stores a producer function (at idx) in the owner's user value; returns the slot for
 * cdk_token_lazy's ud (arena memory of the owner). */
void *bind_store_producer(lua_State *L, int idx, cdk_app *owner)
{
    idx = idx < 0 ? lua_gettop(L) + idx + 1 : idx;
    bind_push_app(L, owner);
    cdk_getuv(L, -1);
    int n = (int)cdk_rawlen(L, -1) + 1;
    lua_pushvalue(L, idx);
    lua_rawseti(L, -2, n);
    lua_pop(L, 2);
    lprod *p = cdk_alloc(owner, sizeof *p);
    if (p == NULL)
        bind_error(L, "not enough memory");
    p->ref = n;
    p->owner = owner;
    return p;
}

cdk_value *bind_key_arn(lua_State *L, const bargs *a, int idx, const char *field, cdk_app *app, cdk_node **key)
{
    cdk_node *k = bind_test_node(L, -1);
    if (k == NULL || !bind_is_class(L, k, "IKey"))
        bind_typeerror(L, a, idx, field, "kms.Key");
    lua_getfield(L, -1, "key_arn");
    cdk_value *v = bind_value(L, a, idx, field, app);
    lua_pop(L, 1);
    *key = k;
    return v;
}
