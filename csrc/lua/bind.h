/* bind.h: what the binding's files share: the userdata types, argument checking with messages
 * that name the argument or props field, conversions between Lua and core values, and raising
 * the core's errors at the caller's line. No domain rule lives in the binding. */
#ifndef CDK_BIND_H
#define CDK_BIND_H

#include "cdk_core.h"
#include "compat.h"

#define MT_APP "cdk.App"
#define MT_NODE "cdk.Node"
#define MT_CNODE "cdk.ConstructNode"
#define MT_TOKEN "cdk.Token"
#define MT_DURATION "cdk.Duration"

/* An App (or the module's holder of App-less tokens). Its user value is a table: producers of
 * lazy values at [i], and `handles`, a weak table from nodes to their handles. */
typedef struct lapp {
    cdk_app *app;
    lua_State *L;      /* the running thread while the core may call back into Lua */
    int holder;        /* 1: the holder of App-less tokens; 2: a scratch App (bind_to_json) */
    int producing;     /* Lua producers running for this App: it may not be closed or synthesized */
    unsigned synths;   /* app:synth() calls that returned (core._synthesized: the command line) */
} lapp;

typedef struct lnode { cdk_node *node; } lnode;          /* user value: the App userdata */
typedef struct ltoken { cdk_token *tok; cdk_app *app; } ltoken; /* user value: the App userdata */
typedef struct lduration { cdk_duration d; } lduration;

/* How a function names itself and counts its arguments in messages: the user-visible number of
 * the argument at stack index i is i - shift (1 for methods and __call constructors). */
typedef struct bargs {
    const char *fname;
    int shift;
} bargs;

/* Errors (all raise; the position is the caller's line). */
int bind_error(lua_State *L, const char *fmt, ...);
int bind_argerror(lua_State *L, const bargs *a, int idx, const char *fmt, ...);
int bind_fielderror(lua_State *L, const bargs *a, int idx, const char *field, const char *fmt, ...);
int bind_typeerror(lua_State *L, const bargs *a, int idx, const char *field, const char *expected);
/* Raises the App's last core error. */
int bind_raise(lua_State *L, cdk_app *app);
const char *bind_typename(lua_State *L, int idx);

/* Apps and scopes. */
lapp *bind_check_app(lua_State *L, int idx);
void bind_push_app(lua_State *L, cdk_app *app);   /* the App userdata of a core App */
cdk_app *bind_holder(lua_State *L);               /* the App-less tokens' App */
void bind_begin(lua_State *L, cdk_app *app);      /* callbacks may run: remember L */
/* A scope argument: an App (its root) or a construct handle. */
cdk_node *bind_check_scope(lua_State *L, const bargs *a, int idx);
/* A construct handle; cls NULL: any construct, else that class or its subclasses by name. */
cdk_node *bind_check_node(lua_State *L, const bargs *a, int idx, const char *cls);
/* bind_check_node, letting a construct of another App through: for the calls whose core
 * function refuses it with CDK's own message (dependencies across stage boundaries). Every
 * other check refuses a construct of an App other than the call's receiver's or scope's. */
cdk_node *bind_check_node_any_app(lua_State *L, const bargs *a, int idx, const char *cls);
cdk_node *bind_test_node(lua_State *L, int idx);
void bind_push_node(lua_State *L, cdk_node *n);
void bind_push_cnode(lua_State *L, cdk_node *n);
void bind_push_token(lua_State *L, cdk_token *t, cdk_app *owner);
int bind_is_class(lua_State *L, const cdk_node *n, const char *cls);
/* App-less objects (iam principals, statements, documents: their user value is the holder) may
 * hold constructs of an App. bind_adopt_args ties the object at obj, just made or receiving a
 * call, to the App of any App-bound value among the call's arguments (its user value becomes
 * that App, which its handle then keeps alive); bind_check_object refuses an object tied to an
 * App other than the call's receiver's or scope's, and marks an untied one as in use (held by
 * what the call gives it to), which may then no longer be tied. The objects' userdata blocks
 * start with the pointer to the core object. */
void bind_adopt_args(lua_State *L, int obj);
void bind_check_object(lua_State *L, int obj);
/* Producers of lazy values written in Lua. */
int bind_produce(cdk_rctx *ctx, void *ud, cdk_value **out);
void *bind_store_producer(lua_State *L, int idx, cdk_app *owner);
void bind_register_app(lua_State *L, lapp *a);
void bind_open_types(lua_State *L);

/* Values. field names the props field in messages (NULL for a plain argument). cdk.null is
 * JSON null (a NULL light userdata); cdk.empty_array, the light userdata BIND_EMPTY_ARRAY, is
 * the empty list (an empty table is the empty map). */
extern const char bind_empty_array_tag;
#define BIND_EMPTY_ARRAY ((void *)&bind_empty_array_tag)
cdk_value *bind_value(lua_State *L, const bargs *a, int idx, const char *field, cdk_app *app);
/* Whether s (n bytes) is UTF-8 as every string lua-cdk takes must be (no overlong forms, no
 * surrogates, nothing above U+10FFFF). */
int bind_valid_utf8(const char *s, size_t n);
/* A string argument or field (tokens allowed); valid UTF-8 without NUL bytes. */
const char *bind_check_string(lua_State *L, const bargs *a, int idx, const char *field, size_t *len);
void bind_push_value(lua_State *L, cdk_app *app, const cdk_value *v);
void bind_push_json(lua_State *L, const cJSON *j);
cJSON *bind_to_json(lua_State *L, const bargs *a, int idx, const char *field); /* malloc'd */

/* Props tables: bind_props checks the table and that every key is one of allowed. The getters
 * take the field's value from the table at idx and check its type. */
void bind_props(lua_State *L, const bargs *a, int idx, const char *const *allowed);
int bind_has(lua_State *L, int idx, const char *field);
int bind_opt_bool(lua_State *L, const bargs *a, int idx, const char *field);      /* -1 unset */
const char *bind_opt_str(lua_State *L, const bargs *a, int idx, const char *field, cdk_app *app);
int bind_opt_num(lua_State *L, const bargs *a, int idx, const char *field, double *out);
cdk_value *bind_opt_value(lua_State *L, const bargs *a, int idx, const char *field, cdk_app *app);
/* An enum field: one of values (NULL-terminated); returns the index or -1 when unset. */
int bind_opt_enum(lua_State *L, const bargs *a, int idx, const char *field, const char *const *values);
/* The length of the list at vidx (argument argidx, props field field or NULL); a value that is
 * not a table, or a table with other keys than 1..n, is a type error (expected names the list). */
size_t bind_check_list(lua_State *L, const bargs *a, int argidx, int vidx, const char *field, const char *expected);
/* A list of strings (arena copies); -1 unset, else the count. */
long bind_opt_strlist(lua_State *L, const bargs *a, int idx, const char *field, cdk_app *app, const char ***out);
int bind_opt_duration(lua_State *L, const bargs *a, int idx, const char *field, cdk_duration *out);
cdk_node *bind_opt_node(lua_State *L, const bargs *a, int idx, const char *field, const char *cls);
/* The construct on top of the stack, the value of field (any path: "dead_letter_queue.queue")
 * in argument idx: a construct of class cls (any when NULL) of the call's App. */
cdk_node *bind_check_field_node(lua_State *L, const bargs *a, int idx, const char *field, const char *cls);

/* Props by schema (L1 resources): converts the props table to a snake-keyed map, checking
 * names, types and required properties. */
cdk_value *bind_schema_props(lua_State *L, const bargs *a, int idx, const cdk_schema *s, cdk_app *app);
/* One property's value (at vidx) checked against its schema entry; messages name field p->name. */
cdk_value *bind_schema_value(lua_State *L, const bargs *a, int argidx, int vidx, const cdk_prop *p, cdk_app *app);

/* Classes: each construct class has a method table and an optional getter in the registry. */
void bind_define_class(lua_State *L, const char *name, const char *parent, const luaL_Reg *methods,
                       lua_CFunction getter);
/* A setter for fields of a class (and its subclasses): called as setter(self, key, value), it
 * returns true when it took the field; fields no setter takes are an error. */
void bind_define_setter(lua_State *L, const char *name, lua_CFunction setter);
/* Durations. */
lduration *bind_check_duration(lua_State *L, const bargs *a, int idx, const char *field);
void bind_push_duration(lua_State *L, cdk_duration d);

/* Removal policies ("destroy", "retain", "snapshot"). */
cdk_removal_policy bind_removal_policy(lua_State *L, const bargs *a, int idx, const char *field);

/* Module parts. */
void bind_open_core(lua_State *L);
void bind_open_ecr(lua_State *L);
void bind_open_iam(lua_State *L);
void bind_open_kms(lua_State *L);
void bind_open_events(lua_State *L);
void bind_open_sns(lua_State *L);
void bind_open_sqs(lua_State *L);
void bind_open_lambda(lua_State *L);

/* Shared by the service bindings (iam.c): grantees, statements, grants; and KMS keys given as
 * props (any construct of class IKey: its key_arn). The value is on top of the stack. */
struct cdk_iam_principal;
struct cdk_iam_statement;
struct cdk_iam_grant;
struct cdk_iam_principal *bind_check_grantee(lua_State *L, const bargs *a, int idx, const char *field);
struct cdk_iam_statement *bind_check_statement(lua_State *L, const bargs *a, int idx, const char *field);
/* The value a PolicyDocument at idx stands for (what it renders, as CDK's IResolvable document);
 * NULL when idx holds no PolicyDocument. */
cdk_value *bind_test_document(lua_State *L, int idx);
void bind_push_grant(lua_State *L, struct cdk_iam_grant *g, cdk_app *app);
cdk_value *bind_key_arn(lua_State *L, const bargs *a, int idx, const char *field, cdk_app *app, cdk_node **key);
void bind_push_l1(lua_State *L, const cdk_schema *s);
/* CfnCondition, the condition functions of Fn, and the cfn_options of the resource at idx. */
void bind_open_cfn(lua_State *L);
void bind_push_cfn_options(lua_State *L, int idx);
/* core._class_name and core._template_json, for the command line and the REPL (inspect.c). */
void bind_open_inspect(lua_State *L);
/* The searcher that loads lua-cdk's Lua modules from their bytecode in core.so (precompiled.c). */
void bind_open_precompiled(lua_State *L);

#endif
