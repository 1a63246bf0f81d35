/* modules.h: the Lua sources of lua/cdk compiled into liblua_cdk.a. The table is generated at
 * build time by csrc/embed/gen_modules.lua ($(BUILD)/embed/modules.c); preload.c reads it. */
#ifndef CDK_EMBED_MODULES_H
#define CDK_EMBED_MODULES_H

#include <stddef.h>

typedef struct cdk_lua_source {
    const char *name;      /* module name: "cdk", "cdk.ecr", ... */
    const char *chunkname; /* "@lua/cdk/ecr.lua": what tracebacks show */
    const char *code;
    size_t len;
} cdk_lua_source;

/* Sorted by name, ended by an entry whose name is NULL. */
extern const cdk_lua_source cdk_lua_sources[];
/* "cdk.core", then the names of cdk_lua_sources, then NULL. */
extern const char *const cdk_lua_names[];

#endif
