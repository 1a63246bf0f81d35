/* compat.h: the few Lua C API differences between 5.1, 5.2, 5.3, 5.4 and LuaJIT that the
 * binding meets, behind one set of names. Nothing else belongs here. */
#ifndef CDK_LUA_COMPAT_H
#define CDK_LUA_COMPAT_H

#include <lauxlib.h>
#include <lua.h>
#include <math.h>

#if LUA_VERSION_NUM < 502
#define cdk_rawlen(L, i) lua_objlen((L), (i))
/* LuaJIT 2.1 has the 5.2 auxiliary functions below (and defines luaL_newlibtable); 5.1 has not */
#if !defined(luaL_newlibtable)
#define luaL_newlib(L, l) (lua_newtable(L), luaL_register((L), NULL, (l)))
static inline void luaL_setfuncs_compat(lua_State *L, const luaL_Reg *l, int nup)
{
    luaL_checkstack(L, nup + 1, "too many upvalues");
    for (; l->name != NULL; l++) {
        int i;
        for (i = 0; i < nup; i++)
            lua_pushvalue(L, -nup);
        lua_pushcclosure(L, l->func, nup);
        lua_setfield(L, -(nup + 2), l->name);
    }
    lua_pop(L, nup);
}
#define luaL_setfuncs luaL_setfuncs_compat
static inline void *luaL_testudata_compat(lua_State *L, int i, const char *tname)
{
    void *p = lua_touserdata(L, i);
    if (p == NULL || !lua_getmetatable(L, i))
        return NULL;
    luaL_getmetatable(L, tname);
    if (!lua_rawequal(L, -1, -2))
        p = NULL;
    lua_pop(L, 2);
    return p;
}
#define luaL_testudata luaL_testudata_compat
#define luaL_setmetatable(L, tname) (luaL_getmetatable((L), (tname)), lua_setmetatable((L), -2))
#endif
#define lua_absindex(L, i) ((i) > 0 || (i) <= LUA_REGISTRYINDEX ? (i) : lua_gettop(L) + (i) + 1)
/* 5.1's luaL_tolstring is missing: the 5.2 behaviour, without __name */
static inline const char *luaL_tolstring_compat(lua_State *L, int idx, size_t *len)
{
    if (luaL_callmeta(L, idx, "__tostring")) {
        if (!lua_isstring(L, -1))
            luaL_error(L, "'__tostring' must return a string");
    } else {
        switch (lua_type(L, idx)) {
        case LUA_TNUMBER:
        case LUA_TSTRING:
            lua_pushvalue(L, idx);
            break;
        case LUA_TBOOLEAN:
            lua_pushstring(L, lua_toboolean(L, idx) ? "true" : "false");
            break;
        case LUA_TNIL:
            lua_pushliteral(L, "nil");
            break;
        default:
            lua_pushfstring(L, "%s: %p", luaL_typename(L, idx), lua_topointer(L, idx));
            break;
        }
    }
    return lua_tolstring(L, -1, len);
}
#define luaL_tolstring luaL_tolstring_compat
/* 5.1's lua_pushstring returns nothing; 5.2+ return the interned copy */
static inline const char *lua_pushstring_compat(lua_State *L, const char *s)
{
    (lua_pushstring)(L, s);
    return lua_tostring(L, -1);
}
#define lua_pushstring(L, s) lua_pushstring_compat((L), (s))
/* 5.1 keeps a userdata's Lua value in its environment table, at [1] */
static inline void cdk_setuv(lua_State *L, int idx)
{
    idx = idx < 0 ? lua_gettop(L) + idx + 1 : idx;
    lua_createtable(L, 1, 0);
    lua_insert(L, -2);
    lua_rawseti(L, -2, 1);
    lua_setfenv(L, idx);
}
static inline void cdk_getuv(lua_State *L, int idx)
{
    lua_getfenv(L, idx);
    if (lua_istable(L, -1)) {
        lua_rawgeti(L, -1, 1);
        lua_remove(L, -2);
    } else {
        lua_pop(L, 1);
        lua_pushnil(L);
    }
}
#else
#define cdk_rawlen(L, i) lua_rawlen((L), (i))
#if LUA_VERSION_NUM == 502
/* 5.2 takes only tables as user values: wrap the value at [1] */
static inline void cdk_setuv(lua_State *L, int idx)
{
    idx = idx < 0 ? lua_gettop(L) + idx + 1 : idx;
    lua_createtable(L, 1, 0);
    lua_insert(L, -2);
    lua_rawseti(L, -2, 1);
    lua_setuservalue(L, idx);
}
static inline void cdk_getuv(lua_State *L, int idx)
{
    lua_getuservalue(L, idx);
    if (lua_istable(L, -1)) {
        lua_rawgeti(L, -1, 1);
        lua_remove(L, -2);
    } else {
        lua_pop(L, 1);
        lua_pushnil(L);
    }
}
#elif LUA_VERSION_NUM == 503
#define cdk_setuv(L, i) lua_setuservalue((L), (i))
#define cdk_getuv(L, i) ((void)lua_getuservalue((L), (i)))
#else
#define cdk_setuv(L, i) lua_setiuservalue((L), (i), 1)
#define cdk_getuv(L, i) ((void)lua_getiuservalue((L), (i), 1))
#endif
#endif

/* Whether the value at i is a number with an integral value in lua_Integer's range, as
 * luaL_checkinteger takes it: 2 and 2.0 alike, on every version (5.3's lua_isinteger would
 * refuse the float 2.0, which 5.1 and LuaJIT cannot tell from 2). No cast of an out-of-range
 * double, which would be undefined. */
static inline int cdk_isinteger(lua_State *L, int i)
{
    lua_Number x;
    if (lua_type(L, i) != LUA_TNUMBER)
        return 0;
    x = lua_tonumber(L, i);
    return x == floor(x) && x >= -9223372036854775808.0 && x < 9223372036854775808.0;
}

#if LUA_VERSION_NUM >= 504
#define cdk_newuserdata(L, sz) lua_newuserdatauv((L), (sz), 1)
#else
#define cdk_newuserdata(L, sz) lua_newuserdata((L), (sz))
#endif

#endif
