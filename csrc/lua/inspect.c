/* inspect.c: what the command line and the REPL (lua/cdk/cli.lua, repl.lua) need to look at an
 * App: a construct's class name and a stack's template as the JSON text CDK writes, keys in
 * CDK's order (stack:to_json() gives a Lua table, which has none). No domain logic here. */
#include <string.h>

#include "bind.h"

/* core._class_name(construct) -> "Repository" */
static int l_class_name(lua_State *L)
{
    bargs a = {"_class_name", 0};
    cdk_node *n = bind_check_node(L, &a, 1, NULL);
    lua_pushstring(L, n->cls->name);
    return 1;
}

/* core._template_json(stack) -> the template as app:synth() would write it */
static int l_template_json(lua_State *L)
{
    bargs a = {"_template_json", 0};
    cdk_node *n = bind_check_node(L, &a, 1, "Stack");
    cJSON *j = NULL;
    bind_begin(L, n->app);
    if (cdk_stack_to_json(n, &j) != CDK_OK)
        return bind_raise(L, n->app);
    cdk_buf b = {0};
    cdk_json_write(&b, j, 1);
    cJSON_Delete(j);
    if (b.oom) {
        cdk_buf_free(&b);
        return bind_error(L, "not enough memory");
    }
    lua_pushlstring(L, b.data ? b.data : "", b.len);
    cdk_buf_free(&b);
    return 1;
}

void bind_open_inspect(lua_State *L)
{
    static const luaL_Reg fns[] = {
        {"_class_name", l_class_name},
        {"_template_json", l_template_json},
        {NULL, NULL},
    };
    luaL_setfuncs(L, fns, 0);
}
