/* precompiled.c: core.so carries the library's Lua modules precompiled (precompiled.h). A
 * searcher placed before Lua's own loads a module from its bytecode when package.path finds the
 * module's file and that file holds the very source the bytecode was compiled from; in any other
 * case (an edited module, another Lua's bytecode) it leaves the module to Lua's own searchers.
 * So a program starts without parsing lua-cdk's Lua, and a changed module is never shadowed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bind.h"
#include "precompiled.h"

#if !defined(LUA_DIRSEP)
#define LUA_DIRSEP "/"
#endif

#define REG_INSTALLED "cdk.precompiled"

static const cdk_precompiled *find(const char *name)
{
    for (const cdk_precompiled *m = cdk_precompiled_modules; m->name != NULL; m++)
        if (strcmp(m->name, name) == 0)
            return m;
    return NULL;
}

/* Whether the file at path holds exactly m's source. */
static int same_source(FILE *f, const cdk_precompiled *m)
{
    char buf[4096];
    size_t off = 0, n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
        if (n > m->source_len - off || memcmp(buf, m->source + off, n) != 0)
            return 0;
        off += n;
    }
    return !ferror(f) && off == m->source_len;
}

/* package.searchers entry: upvalue 1 is the package table. Returns the loader and the file
 * name as Lua's own searcher does, or nothing. */
static int searcher(lua_State *L)
{
    const char *name = luaL_checkstring(L, 1);
    const cdk_precompiled *m = find(name);
    if (m == NULL)
        return 0;
    lua_getfield(L, lua_upvalueindex(1), "path");
    const char *path = lua_tostring(L, -1);
    if (path == NULL)
        return 0;
    /* package.searchpath(name, package.path), which Lua 5.1 lacks: the first file that opens */
    luaL_Buffer b;
    const char *sub = luaL_gsub(L, name, ".", LUA_DIRSEP);
    int found = 0;
    for (const char *p = path; *p && !found;) {
        const char *end = strchr(p, ';');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        luaL_buffinit(L, &b);
        for (size_t i = 0; i < len; i++) {
            if (p[i] == '?')
                luaL_addstring(&b, sub);
            else
                luaL_addchar(&b, p[i]);
        }
        luaL_pushresult(&b);
        const char *file = lua_tostring(L, -1);
        FILE *f = len ? fopen(file, "rb") : NULL;
        if (f != NULL) {
            found = 1;
            int same = same_source(f, m);
            fclose(f);
            /* the bytecode, if this Lua takes it (another build of Lua may not) */
            if (same && luaL_loadbuffer(L, m->code, m->code_len, file) == 0) {
                lua_insert(L, -2); /* loader, file name */
                return 2;
            }
            if (same)
                lua_pop(L, 1); /* the load's error message */
        }
        lua_pop(L, 1);
        p = end ? end + 1 : p + len;
    }
    return 0;
}

void bind_open_precompiled(lua_State *L)
{
    lua_getfield(L, LUA_REGISTRYINDEX, REG_INSTALLED);
    int installed = lua_toboolean(L, -1);
    lua_pop(L, 1);
    if (installed)
        return;
    lua_getglobal(L, "package");
    if (!lua_istable(L, -1)) {
        lua_pop(L, 1);
        return;
    }
    lua_getfield(L, -1, LUA_VERSION_NUM < 502 ? "loaders" : "searchers");
    if (!lua_istable(L, -1)) {
        lua_pop(L, 2);
        return;
    }
    /* second, after package.preload's (an embedding's own sources come first) */
    int n = (int)cdk_rawlen(L, -1);
    for (int i = n; i >= 2; i--) {
        lua_rawgeti(L, -1, i);
        lua_rawseti(L, -2, i + 1);
    }
    lua_pushvalue(L, -2);
    lua_pushcclosure(L, searcher, 1);
    lua_rawseti(L, -2, n >= 1 ? 2 : 1);
    lua_pop(L, 2);
    lua_pushboolean(L, 1);
    lua_setfield(L, LUA_REGISTRYINDEX, REG_INSTALLED);
}
