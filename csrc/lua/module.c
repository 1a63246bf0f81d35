/* module.c: luaopen_cdk_core, the one entry point of build/cdk/core.so. It builds the raw
 * module table that the Lua files in lua/cdk turn into the user-facing modules. */
#include "bind.h"

#if defined(_WIN32)
#define CDK_EXPORT __declspec(dllexport)
#else
#define CDK_EXPORT __attribute__((visibility("default")))
#endif

CDK_EXPORT int luaopen_cdk_core(lua_State *L);

CDK_EXPORT int luaopen_cdk_core(lua_State *L)
{
    lua_newtable(L);
    bind_open_types(L);
    bind_open_core(L);
    bind_open_cfn(L);
    bind_open_ecr(L);
    bind_open_iam(L);
    bind_open_sns(L);
    bind_open_sqs(L);
    bind_open_lambda(L);
    bind_open_events(L);
    bind_open_kms(L);
    bind_open_inspect(L);
    bind_open_precompiled(L);
    /* the class method tables, so that the Lua layer can add methods written in Lua */
    lua_getfield(L, LUA_REGISTRYINDEX, "cdk.classes");
    lua_setfield(L, -2, "classes");
    return 1;
}
