/* lua_cdk.h: the public header for C programs that embed Lua and want lua-cdk in it. It
 * declares the two entry points of liblua_cdk.a (`make embed-lib`: the C core, the services,
 * the binding and the Lua modules, whose sources are compiled in). Nothing else of lua-cdk is
 * needed at run time: no core.so, no Lua file of lua/cdk, no LUA_PATH.
 *
 *     lua_State *L = luaL_newstate();
 *     luaL_openlibs(L);
 *     cdk_lua_preload(L);                  -- now require "cdk", "cdk.ecr", ... work
 *     luaL_dofile(L, "app.lua");
 *
 * Build: cc -Icsrc/include -I<Lua headers> prog.c build/liblua_cdk.a -l<lua> -lcjson -lm
 * (examples/embed/main.c; `make embed` builds it). The C API of the model itself, without Lua,
 * is csrc/core/cdk_core.h and one header per service (csrc/ecr/cdk_ecr.h, ...). */
#ifndef LUA_CDK_H
#define LUA_CDK_H

#include <lua.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The C module `cdk.core` (what require "cdk.core" runs): pushes its table and returns 1.
 * The Lua module `cdk` and the others require it; users do not call it themselves. */
int luaopen_cdk_core(lua_State *L);

/* Registers in package.preload a loader for cdk.core and for each Lua module of lua-cdk
 * (cdk, cdk.ecr, cdk.iam, ..., compiled into liblua_cdk.a), so that require finds them before
 * any file. Needs the package library (luaL_openlibs or luaopen_package); leaves the stack as
 * it was. Raises a Lua error (out of memory, no package table) like any Lua API function:
 * call it where an error can be caught, as after luaL_openlibs. */
void cdk_lua_preload(lua_State *L);

/* The names cdk_lua_preload registers, NULL-terminated, in a static array: "cdk.core",
 * "cdk", "cdk.ecr", ... */
const char *const *cdk_lua_module_names(void);

#ifdef __cplusplus
}
#endif

#endif
