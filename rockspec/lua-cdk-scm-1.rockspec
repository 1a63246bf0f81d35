-- lua-cdk for LuaRocks: `luarocks --lua-version=5.4 make rockspec/lua-cdk-scm-1.rockspec` in a
-- clone builds cdk.core with the Makefile (against LuaRocks' Lua headers and the cJSON it
-- finds), and installs cdk.core, the Lua modules (cdk, cdk.ecr, ...) and the luacdk command.
-- Needs no network. `luarocks lint rockspec/lua-cdk-scm-1.rockspec` checks this file.
rockspec_format = "3.0"
package = "lua-cdk"
version = "scm-1"

-- lua-cdk is not published yet: `luarocks make` builds the folder it runs in and never fetches
-- this url; it names the clone to build from once there is a public one.
source = {
   url = "git+https://example.invalid/lua-cdk.git",
}

description = {
   summary = "The AWS CDK v1 construct model for Lua: CloudFormation templates byte for byte as the AWS CDK writes them",
   detailed = [[
A Lua script builds a construct tree (apps, stacks, ECR repositories, IAM, KMS, events, SNS,
SQS, Lambda, CloudFormation resources); app:synth() writes the cloud assembly (manifest.json,
tree.json and one template per stack) that the AWS CDK CLI deploys, with the templates the AWS
CDK v1 (1.204.0) writes for the same program. The work is done in C; the Lua modules give it
Lua's shape. The luacdk command synthesizes and lists apps and opens a REPL.
]],
   license = "Apache-2.0",
   labels = { "aws", "cdk", "cloudformation", "infrastructure" },
}

dependencies = {
   "lua >= 5.1, < 5.5",
}

external_dependencies = {
   CJSON = { header = "cjson/cJSON.h", library = "cjson" },
}

build = {
   type = "make",
   -- One build folder per interpreter (LuaRocks' $(LUA) is its path), so that building for
   -- another Lua never links objects compiled against other headers.
   build_target = "all",
   build_variables = {
      BUILD = "build-rock$(LUA)",
      LUA = "$(LUA)",
      LUA_INCDIR = "$(LUA_INCDIR)",
      CC = "$(CC)",
      CFLAGS = "$(CFLAGS)",
      LIBFLAG = "$(LIBFLAG)",
      CPPFLAGS = "-I$(CJSON_INCDIR)",
      LDFLAGS = "-L$(CJSON_LIBDIR)",
      -- the warnings of the project's own builds, without -Werror: a newer compiler's new
      -- warning must not stop an install
      WARN = "-std=c99 -Wall -Wextra",
   },
   install_target = "install",
   install_variables = {
      BUILD = "build-rock$(LUA)",
      LUA = "$(LUA)",
      INST_LIBDIR = "$(LIBDIR)",
      INST_LUADIR = "$(LUADIR)",
      INST_BINDIR = "$(BINDIR)",
   },
   copy_directories = {},
}

test = {
   type = "command",
   command = "make test",
}
