/* examples/embed/main.c: a C program with Lua inside and lua-cdk built in (csrc/include/lua_cdk.h).
 * It runs a Lua script as the lua command does (the arg table, the arguments as `...`), with
 * require "cdk" and the other modules served from the program itself, and reports a failing
 * script's error and traceback on stderr with exit status 1.
 *     lua-cdk-embed SCRIPT [ARG...]        (`make embed` builds $(BUILD)/embed/lua-cdk-embed) */
#include <stdio.h>

#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>

#include "lua_cdk.h"

/* The message handler: the error with a traceback, as the lua command prints it. */
static int traceback(lua_State *L)
{
    const char *msg = lua_tostring(L, 1);
    lua_getglobal(L, "debug");
    lua_getfield(L, -1, "traceback");
    lua_pushstring(L, msg != NULL ? msg : "(error object is not a string)");
    lua_pushinteger(L, 2);
    lua_call(L, 2, 1);
    return 1;
}

/* Runs in protected mode (cdk_lua_preload and the script may raise): argv[1] is the script. */
static int run(lua_State *L)
{
    int argc = (int)lua_tointeger(L, 1);
    char **argv = (char **)lua_touserdata(L, 2);
    int i, handler;

    cdk_lua_preload(L);

    lua_createtable(L, argc - 2, 2);
    for (i = 0; i < argc; i++) {
        lua_pushstring(L, argv[i]);
        lua_rawseti(L, -2, i - 1);
    }
    lua_setglobal(L, "arg");

    lua_pushcfunction(L, traceback);
    handler = lua_gettop(L);
    if (luaL_loadfile(L, argv[1]) != 0)
        return lua_error(L);
    for (i = 2; i < argc; i++)
        lua_pushstring(L, argv[i]);
    if (lua_pcall(L, argc - 2, 0, handler) != 0)
        return lua_error(L);
    return 0;
}

int main(int argc, char **argv)
{
    lua_State *L;
    int status;

    if (argc < 2) {
        fprintf(stderr, "usage: %s SCRIPT [ARG...]\n", argv[0]);
        return 2;
    }
    L = luaL_newstate();
    if (L == NULL) {
        fprintf(stderr, "%s: cannot create a Lua state\n", argv[0]);
        return 1;
    }
    luaL_openlibs(L);
    lua_pushcfunction(L, run);
    lua_pushinteger(L, argc);
    lua_pushlightuserdata(L, argv);
    status = lua_pcall(L, 2, 0, 0);
    if (status != 0) {
        const char *msg = lua_tostring(L, -1);
        fprintf(stderr, "%s: %s\n", argv[0], msg != NULL ? msg : "(error object is not a string)");
    }
    lua_close(L);
    return status == 0 ? 0 : 1;
}
