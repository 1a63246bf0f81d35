-- cdk: the AWS CDK v1 construct model for Lua; the module is lua/cdk/main.lua. This file loads
-- cdk.core first: core.so carries lua-cdk's Lua modules precompiled and lets the ones loaded
-- after it start from that bytecode (csrc/lua/precompiled.c), so that a program does not parse
-- them. Nothing else belongs here.
require "cdk.core"
return require "cdk.main"
