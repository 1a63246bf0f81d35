/* preload.c: cdk_lua_preload (csrc/include/lua_cdk.h): package.preload loaders for cdk.core and
 * the Lua modules compiled into liblua_cdk.a. Only the loaders live here; no domain logic. */
#include <stddef.h>

#include <lauxlib.h>
#include <lua.h>

#include "lua_cdk.h"
#include "modules.h"

/* package.preload[name] for a Lua module: upvalue 1 is its index in cdk_lua_sources */
static int load_source(lua_State *L)
{
    const cdk_lua_source *m = &cdk_lua_sources[(size_t)lua_tonumber(L, lua_upvalueindex(1))];
    if (luaL_loadbuffer(L, m->code, m->len, m->chunkname) != 0)
        return lua_error(L);
    lua_pushstring(L, m->name);
    lua_call(L, 1, 1);
    return 1;
}

void cdk_lua_preload(lua_State *L)
{
    size_t i;
    lua_getglobal(L, "package");
    if (!lua_istable(L, -1))
        luaL_error(L, "cdk_lua_preload: no package library (call luaL_openlibs first)");
    lua_getfield(L, -1, "preload");
    if (!lua_istable(L, -1))
        luaL_error(L, "cdk_lua_preload: package.preload is not a table");
    lua_pushcfunction(L, luaopen_cdk_core);
    lua_setfield(L, -2, "cdk.core");
    for (i = 0; cdk_lua_sources[i].name != NULL; i++) {
        lua_pushnumber(L, (lua_Number)i);
        lua_pushcclosure(L, load_source, 1);
        lua_setfield(L, -2, cdk_lua_sources[i].name);
    }
    lua_pop(L, 2);
}

const char *const *cdk_lua_module_names(void)
{
    return cdk_lua_names;
}
