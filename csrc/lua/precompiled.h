/* precompiled.h: the library's Lua modules as core.so carries them, bytecode beside the source it
 * was compiled from. The table is generated at build time by csrc/lua/gen_precompiled.lua
 * ($(BUILD)/precompiled/modules.c); precompiled.c reads it. */
#ifndef CDK_LUA_PRECOMPILED_H
#define CDK_LUA_PRECOMPILED_H

#include <stddef.h>

typedef struct cdk_precompiled {
    const char *name;   /* module name: "cdk.main", "cdk.ecr", ... */
    const char *source; /* the text of lua/cdk/NAME.lua the bytecode was compiled from */
    size_t source_len;
    const char *code;   /* string.dump of it, by the Lua core.so is built for */
    size_t code_len;
} cdk_precompiled;

/* Sorted by name, ended by an entry whose name is NULL. */
extern const cdk_precompiled cdk_precompiled_modules[];

#endif
