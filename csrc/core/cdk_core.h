/* cdk_core.h: the lua-cdk core, the construct model of the AWS CDK v1 in plain C99 + cJSON.
 * It knows nothing of Lua and nothing of any AWS service; services (csrc/ecr, csrc/iam, ...)
 * build on it, and csrc/lua binds it. Nothing here prints, exits or aborts.
 *
 * Ownership, in one sentence: everything a cdk_app hands out (nodes, values, tokens, strings)
 * lives in the App's arena and is freed with the App by cdk_app_free, never on its own; only
 * cJSON trees returned by the resolver are the caller's, to free with cJSON_Delete.
 *
 * Failure: functions returning int give CDK_OK or a CDK_E* code and leave the message in
 * cdk_app_errmsg(app); functions returning a pointer give NULL on failure (the message, often
 * "out of memory", is there too). */
#ifndef CDK_CORE_H
#define CDK_CORE_H

#include <stddef.h>
#include <stdint.h>
#include <cjson/cJSON.h>

#define CDK_VERSION "0.1.0"
#define CDK_REFERENCE_VERSION "1.204.0" /* the AWS CDK v1 whose output we reproduce */

enum {
    CDK_OK = 0,
    CDK_EINVAL,  /* bad input: a construction-time error with CDK's wording */
    CDK_ENOMEM,  /* out of memory */
    CDK_EIO,     /* the file system refused */
    CDK_ESYNTH,  /* synthesis failed (validation, resolution) */
    CDK_ECALLBACK /* a callback (a Lua producer) raised; the message is its error */
};

typedef struct cdk_app cdk_app;
typedef struct cdk_node cdk_node;
typedef struct cdk_value cdk_value;
typedef struct cdk_token cdk_token;
typedef struct cdk_rctx cdk_rctx;
typedef struct cdk_class cdk_class;
typedef struct cdk_strlist cdk_strlist;

/* ---------------------------------------------------------------------------------------------
 * App, arena and errors (app.c) */

typedef struct cdk_app_opts {
    const char *outdir;        /* NULL: $CDK_OUTDIR, else "cdk.out" */
    const char *props_context_json; /* context given by the program (merged first) */
    const char *context_json;  /* NULL: $CDK_CONTEXT_JSON; a JSON object merged over it */
    const char *default_account; /* NULL: $CDK_DEFAULT_ACCOUNT (only used for env lookups) */
    const char *default_region;  /* NULL: $CDK_DEFAULT_REGION */
    int tree_metadata;         /* write tree.json (default 1 when the caller zero-fills: see below) */
    int no_tree_metadata;      /* set to 1 to skip tree.json */
    const char *runtime_agent; /* the runtime version reporting names when $JSII_AGENT is unset
                                * ("lua/5.4"); copied */
    int analytics_reporting;   /* 1 on, -1 off: the context "aws:cdk:version-reporting" over the
                                * others, as CDK's App sets it; 0 unset */
} cdk_app_opts;

/* A new App (the root construct, with its "Tree" child unless tree.json is left out). NULL only
 * when memory runs out. */
cdk_app *cdk_app_new(const cdk_app_opts *opts);
/* Frees the App and everything in its arena. Safe on NULL. */
void cdk_app_free(cdk_app *app);
/* The message of the last failure (never NULL). */
const char *cdk_app_errmsg(const cdk_app *app);
/* Sets the message (printf-style) and returns code; callers write `return cdk_fail(...)`. */
int cdk_fail(cdk_app *app, int code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
/* Records "out of memory" and returns CDK_ENOMEM. */
int cdk_oom(cdk_app *app);
/* Prefixes the current message: "<prefix><message><suffix>". */
int cdk_wrap_error(cdk_app *app, int code, const char *prefix, const char *suffix);

cdk_node *cdk_app_root(cdk_app *app);
/* Tokens this App does not know are looked up in fallback (which must outlive it): the binding
 * keeps App-less tokens (cdk.Fn, cdk.Lazy) in such a holder. */
void cdk_app_set_fallback(cdk_app *app, cdk_app *fallback);
/* An opaque pointer for the binding. */
void cdk_app_set_user(cdk_app *app, void *user);
void *cdk_app_user(const cdk_app *app);
const char *cdk_app_outdir(const cdk_app *app);
int cdk_app_set_outdir(cdk_app *app, const char *outdir);
/* Context given to the App (CDK_CONTEXT_JSON merged with the caller's), a cJSON object owned by
 * the App; never NULL after cdk_app_new. */
cJSON *cdk_app_context(cdk_app *app);
/* A serial number unique in the process, to tell Apps apart. */
unsigned long cdk_app_serial(const cdk_app *app);
/* Set while app:synth() runs: constructs may not be added then. */
int cdk_app_synthesizing(const cdk_app *app);

/* Arena allocation: zeroed, 8-byte aligned, freed with the App. */
void *cdk_alloc(cdk_app *app, size_t size);
char *cdk_strdup(cdk_app *app, const char *s);
char *cdk_strndup(cdk_app *app, const char *s, size_t len);
/* The transient arena, for what a lazy value's producer makes only to be resolved (a policy
 * document's statements as values): between cdk_transient_begin and cdk_transient_end, in a
 * producer, cdk_alloc takes from it; the resolver releases what a production took from it once
 * that value is resolved. The window is shut while the resolver resolves a token (what that
 * keeps is never transient) and for a lazy that caches its value. A producer may open it only
 * around the values it returns, never around anything kept (tokens, caches, constructs). */
void cdk_transient_begin(cdk_app *app);
void cdk_transient_end(cdk_app *app);
/* A point of the transient arena to release back to (the resolver's business). */
typedef struct cdk_tmark {
    void *block;
    size_t used;
} cdk_tmark;
cdk_tmark cdk_transient_mark(cdk_app *app);
void cdk_transient_release(cdk_app *app, cdk_tmark m);
char *cdk_sprintf(cdk_app *app, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* A growable string in malloc'd memory (not the arena): for messages and output. */
typedef struct cdk_buf {
    char *data;
    size_t len, cap;
    int oom;   /* set when an append failed; the content is then truncated */
} cdk_buf;
void cdk_buf_add(cdk_buf *b, const char *s, size_t n);
void cdk_buf_adds(cdk_buf *b, const char *s);
void cdk_buf_addf(cdk_buf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
void cdk_buf_free(cdk_buf *b);

/* A list of strings in the arena (validation errors, ids). */
struct cdk_strlist {
    const char **items;
    size_t len, cap;
};
int cdk_strlist_push(cdk_app *app, cdk_strlist *l, const char *s);

/* ---------------------------------------------------------------------------------------------
 * Values (value.c). A value is null, undefined, a boolean, a number, a string, a list, an ordered
 * map or a token. Strings may carry tokens as CDK does ("${Token[...]}"), numbers as CDK's
 * token doubles, and lists as a single "#{Token[...]}" element. Values are arena-owned; lists
 * and maps are mutable until handed to a construct. */

typedef enum cdk_kind {
    CDK_UNDEFINED = 0,
    CDK_NULL,
    CDK_BOOL,
    CDK_NUMBER,
    CDK_STRING,
    CDK_LIST,
    CDK_MAP,
    CDK_TOKEN
} cdk_kind;

typedef struct cdk_mapent {
    const char *key;
    cdk_value *value;
} cdk_mapent;

/* 16 bytes: a construct tree holds tens of values per resource. len is a string's length in
 * bytes or a list's or map's number of entries (cdk_strn and cdk_list_push refuse more than
 * CDK_VALUE_MAX_LEN, as out of memory); capl is the capacity of a list's items or a map's ents,
 * 1 << (capl - 1) entries, 0 when there is none (value.c's business only); flags holds
 * CDK_VALUE_SHARED for values with several owners, never written: the static ones every App
 * shares, and the lists cdk_list_of_strs gives out. */
#define CDK_VALUE_MAX_LEN 0xFFFFFFFFu
#define CDK_VALUE_SHARED 1
struct cdk_value {
    unsigned char kind; /* a cdk_kind */
    unsigned char capl;
    unsigned char flags;
    uint32_t len;
    union {
        int boolean;
        double number;
        struct { const char *ptr; } str;
        struct { cdk_value **items; } list;
        struct { cdk_mapent *ents; } map;
        cdk_token *token;
    } u;
};

/* Static singletons: never freed, shared by every App. */
cdk_value *cdk_undefined(void);
cdk_value *cdk_nullv(void);
cdk_value *cdk_boolv(int b);
/* An empty list and an empty map shared by every App, for a container that most often stays
 * empty: replace it with cdk_list / cdk_map before adding to it (cdk_list_push and cdk_map_set
 * refuse to write a shared value, with an internal error). */
cdk_value *cdk_empty_list(void);
cdk_value *cdk_empty_map(void);

cdk_value *cdk_num(cdk_app *app, double n);
cdk_value *cdk_str(cdk_app *app, const char *s);              /* copies s */
cdk_value *cdk_strn(cdk_app *app, const char *s, size_t len); /* copies s */
cdk_value *cdk_str_ref(cdk_app *app, const char *s);          /* s must outlive the App */
cdk_value *cdk_list(cdk_app *app);
cdk_value *cdk_map(cdk_app *app);
cdk_value *cdk_tokv(cdk_app *app, cdk_token *t);
/* Appends item (NULL item: out of memory already, returns CDK_ENOMEM). */
int cdk_list_push(cdk_app *app, cdk_value *list, cdk_value *item);
/* Makes room for n more items at once (the list would otherwise grow in steps, each leaving its
 * old array in the arena). */
int cdk_list_reserve(cdk_app *app, cdk_value *list, size_t n);
/* Sets key (kept by pointer: static or arena string) to v, replacing an earlier value in place;
 * v undefined removes nothing and is stored (resolution drops it). NULL v: CDK_ENOMEM. */
int cdk_map_set(cdk_app *app, cdk_value *map, const char *key, cdk_value *v);
int cdk_map_del(cdk_value *map, const char *key);
cdk_value *cdk_map_get(const cdk_value *map, const char *key);
/* The list of strings of a NULL-terminated static array of C strings (static text, not copied):
 * one list per array and App, shared by all callers, so never to be written (CDK_VALUE_SHARED). */
cdk_value *cdk_list_of_strs(cdk_app *app, const char *const *strs);
/* A shallow copy of a list or map (other values are returned as they are). */
cdk_value *cdk_value_copy(cdk_app *app, const cdk_value *v);
/* Deep equality of two values as data (tokens compare by identity). */
int cdk_value_equal(const cdk_value *a, const cdk_value *b);

/* JSON.stringify of an unresolved value (tokens as their string encodings; undefined map
 * entries skipped), appended to b. For messages and for comparing values. */
void cdk_value_json(cdk_app *app, const cdk_value *v, cdk_buf *b);

/* A value's string, if it is a plain string (tokens allowed); else NULL. */
const char *cdk_value_str(const cdk_value *v);
int cdk_is_str(const cdk_value *v);

/* ---------------------------------------------------------------------------------------------
 * Tokens (token.c). A token is an unresolved value: an intrinsic, a reference to a CloudFormation
 * element, a Fn::Join, or a lazy value computed at resolution. Tokens are registered in the App
 * and encoded in strings, numbers and lists as the AWS CDK does. */

typedef enum cdk_token_kind {
    CDK_TOK_INTRINSIC,  /* a fixed value such as {"Ref": "AWS::Region"}, resolved as it is */
    CDK_TOK_REF,        /* a CfnReference: Ref/GetAtt of an element, per-stack replacements */
    CDK_TOK_JOIN,       /* Fn::Join with CDK's minimal-join rules */
    CDK_TOK_LAZY        /* a value produced at resolution by a callback */
} cdk_token_kind;

/* PhysicalName.GENERATE_IF_NEEDED: the same string in every App; it looks like a token (so name
 * validation skips it) and fails if it ever reaches a template. */
#define CDK_PHYSICAL_NAME_MARKER "${Token[PhysicalName.GENERATE_IF_NEEDED.0]}"

/* Produces a lazy value in ctx; *out = cdk_undefined() for "no value". Returns CDK_OK or a code
 * with the message set in the App. */
typedef int (*cdk_produce_fn)(cdk_rctx *ctx, void *ud, cdk_value **out);

/* A hook that lets a reference pick its value per consuming stack (CDK's mimicReference). */
typedef int (*cdk_mimic_fn)(cdk_rctx *ctx, cdk_token *ref, void *ud, cdk_value **out);

typedef struct cdk_replacement {
    cdk_node *stack;
    cdk_value *value;
    struct cdk_replacement *next;
} cdk_replacement;

/* A token is allocated with room for its kind's member of u only (cdk_token_alloc): never read
 * or write another kind's member. */
struct cdk_token {
    unsigned char kind;           /* a cdk_token_kind */
    unsigned char has_number;     /* encoded as a number (the number is made from serial) */
    unsigned char creation_stack; /* what CDK appends to errors: 0 by kind, 1 lazy, 2 intrinsic, 3 none */
    uint64_t serial;        /* registry key, 0 until encoded */
    const char *hint;       /* display hint ("TOKEN" by default) */
    const char *as_string;  /* cached encodings */
    const char *as_list;
    union {
        cdk_value *intrinsic;
        struct {
            cdk_node *target;         /* element (or stack, for scoped pseudo parameters) */
            const char *attr;         /* "Ref" or an attribute name */
            const char *display;      /* CDK's displayName */
            cdk_value *value;         /* the intrinsic, built on first use */
            cdk_replacement *repl;    /* values for other stacks (Fn::ImportValue ...) */
            cdk_mimic_fn mimic;       /* optional per-stack choice */
            void *mimic_ud;
            cdk_token *base;          /* the CfnReference a mimic stands for */
        } ref;
        struct { const char *delim; cdk_value *list; } join;
        struct {
            cdk_produce_fn fn;
            void *ud;
            cdk_value *value;
            unsigned long cached_app; /* the serial of the App whose arena holds value */
            /* CDK's post-processor: runs on the resolved value (may replace it) */
            int (*post)(cdk_rctx *ctx, void *ud, cJSON **value);
            unsigned char cache;
            unsigned char cached;
            unsigned char type;       /* 's', 'n', 'l', 'a' */
            unsigned char omit_empty; /* an empty list resolves to undefined (Lazy.list omitEmpty) */
        } lazy;
    } u;
};

cdk_token *cdk_token_intrinsic(cdk_app *app, cdk_value *v, const char *hint);
cdk_token *cdk_token_lazy(cdk_app *app, cdk_produce_fn fn, void *ud, int cache, int type);
cdk_token *cdk_token_join(cdk_app *app, const char *delim, cdk_value *list);
/* The singleton reference of an element: attr "Ref" for {"Ref": id}, else Fn::GetAtt. */
cdk_token *cdk_ref_for(cdk_node *element, const char *attr);
/* A reference standing for base (same target and display name) whose value fn chooses. */
cdk_token *cdk_ref_mimic(cdk_app *app, cdk_token *base, cdk_mimic_fn fn, void *ud);

/* Encodings. Each is cached on the token; NULL only when memory runs out. */
const char *cdk_token_str(cdk_app *app, cdk_token *t);       /* "${Token[HINT.N]}" */
const char *cdk_token_list_elem(cdk_app *app, cdk_token *t); /* "#{Token[HINT.N]}" */
double cdk_token_num(cdk_app *app, cdk_token *t);            /* a token double */
/* Convenience: the string encoding as a value, a list value [elem], a number value. */
cdk_value *cdk_token_strv(cdk_app *app, cdk_token *t);
cdk_value *cdk_token_listv(cdk_app *app, cdk_token *t);
cdk_value *cdk_token_numv(cdk_app *app, cdk_token *t);

/* Whether s contains a string-token marker (or a stringified number token). */
int cdk_str_is_unresolved(const char *s, size_t len);
/* Whether a number is a token double. */
int cdk_num_is_token(double d);
/* Whether v (string, number, list or token) is unresolved, as Token.isUnresolved. */
int cdk_is_unresolved(const cdk_value *v);
/* The token a string consists of entirely, or NULL. */
cdk_token *cdk_token_of_str(cdk_app *app, const char *s, size_t len);
/* The token a value stands for: a token value, a whole-token string, a list token, a number
 * token; else NULL. */
cdk_token *cdk_token_of(cdk_app *app, const cdk_value *v);
cdk_token *cdk_token_of_num(cdk_app *app, double d);
/* Whether v is PhysicalName.GENERATE_IF_NEEDED. */
int cdk_token_is_marker(cdk_app *app, const cdk_value *v);

/* String fragments of a tokenized string: literal runs and tokens, in order. */
typedef struct cdk_fragment {
    const char *lit;   /* literal (NULL for a token) */
    size_t len;
    cdk_token *token;
} cdk_fragment;
/* Splits s; *frags is arena memory. Fails (CDK_ESYNTH) on an unknown token key. */
int cdk_str_split(cdk_app *app, const char *s, size_t len, cdk_fragment **frags, size_t *n);

/* ---------------------------------------------------------------------------------------------
 * Resolution (resolve.c): a value, in the scope of a construct, to plain JSON. */

typedef struct cdk_refsink cdk_refsink;
struct cdk_rctx {
    cdk_app *app;
    cdk_node *scope;        /* the construct being resolved (its stack consumes references) */
    int preparing;          /* 1 while references are collected before synthesis */
    /* Called for each CfnReference met (while preparing): collects cross-stack references. */
    int (*on_ref)(cdk_rctx *ctx, cdk_token *ref);
    void *ud;
    int depth;
};

/* Resolves v; *out is a new cJSON tree (the caller's), or NULL when v resolves to undefined. */
int cdk_resolve(cdk_rctx *ctx, const cdk_value *v, cJSON **out);
/* Resolves within stack scope (no references collected). */
int cdk_resolve_in(cdk_node *scope, const cdk_value *v, cJSON **out);
/* CloudFormation concatenation of two resolved values (either may be NULL); takes ownership. */
cJSON *cdk_cfn_concat(cJSON *left, cJSON *right);
/* Whether a resolved value is a CloudFormation intrinsic ({"Ref": ...} or {"Fn::...": ...}). */
int cdk_json_is_intrinsic(const cJSON *j);

/* Stack.toJsonString(v) (json_string.c): a string value carrying a lazy token that, when
 * resolved, gives v's JSON text as CDK's CloudFormationLang.toJSON does: a literal string, or a
 * Fn::Join that splices in what v's tokens resolve to (a string token as an escaped, quoted
 * intrinsic; a number token bare). A list token inside v fails at resolution (CDK needs a custom
 * resource there). v is kept by pointer. NULL: out of memory. */
cdk_value *cdk_to_json_string(cdk_app *app, cdk_value *v);
/* A resolved JSON value as an arena value (NULL j: undefined). NULL: out of memory. */
cdk_value *cdk_value_from_json(cdk_app *app, const cJSON *j);

/* ---------------------------------------------------------------------------------------------
 * JSON text (json.c): CDK's formats. */

/* JSON.stringify(j, null, indent): indent 0 is the compact form. Appends to b. */
void cdk_json_write(cdk_buf *b, const cJSON *j, int indent);
/* A number as JavaScript prints it (shortest round trip, 1e+21 style). buf >= 32 bytes. */
void cdk_js_number(double d, char *buf);
/* JavaScript's length of a UTF-8 string: its UTF-16 code units (a character beyond U+FFFF is two). */
size_t cdk_js_length(const char *s, size_t len);
/* A string as JSON.stringify quotes it. */
void cdk_json_quote(cdk_buf *b, const char *s, size_t len);

/* ---------------------------------------------------------------------------------------------
 * Hashes (hash.c). */
void cdk_md5(const void *data, size_t len, unsigned char out[16]);
void cdk_sha256(const void *data, size_t len, unsigned char out[32]);
void cdk_sha1(const void *data, size_t len, unsigned char out[20]);
void cdk_hex(const unsigned char *bytes, size_t n, char *out); /* lower-case, NUL-terminated */

/* ---------------------------------------------------------------------------------------------
 * Durations (duration.c): CDK's Duration arithmetic. Units are CDK's labels. */
typedef enum cdk_time_unit {
    CDK_MILLIS, CDK_SECONDS, CDK_MINUTES, CDK_HOURS, CDK_DAYS
} cdk_time_unit;
typedef struct cdk_duration {
    double amount;
    cdk_time_unit unit;
} cdk_duration;
const char *cdk_time_unit_label(cdk_time_unit u);   /* "millis", "seconds", ... */
const char *cdk_time_unit_iso(cdk_time_unit u);     /* "", "S", "M", "H", "D" */
double cdk_time_unit_millis(cdk_time_unit u);
int cdk_time_unit_parse(const char *label, cdk_time_unit *out);
int cdk_duration_make(cdk_app *app, double amount, cdk_time_unit unit, cdk_duration *out);
/* Converts d to unit; integral: fail unless the result is whole (CDK's message). */
int cdk_duration_to(cdk_app *app, cdk_duration d, cdk_time_unit unit, int integral, double *out);
int cdk_duration_parse_iso(cdk_app *app, const char *s, cdk_duration *out);
/* ISO 8601 and human forms, into buf (>= 128 bytes). The ISO form of a token amount is CDK's error. */
int cdk_duration_iso(cdk_app *app, cdk_duration d, char *buf, size_t size);
void cdk_duration_human(cdk_duration d, char *buf, size_t size);
int cdk_duration_plus(cdk_app *app, cdk_duration a, cdk_duration b, int minus, cdk_duration *out);
/* JSON.stringify of a Duration, as CDK's error messages show it. */
void cdk_duration_json(cdk_duration d, cdk_buf *b);

/* ---------------------------------------------------------------------------------------------
 * The construct tree (node.c). */

/* A validation hook adds messages (arena strings) to errs. */
typedef int (*cdk_validate_fn)(cdk_node *n, cdk_strlist *errs);

/* What kind of construct a node is. Services define their own static classes. */
struct cdk_class {
    const char *name;      /* type name in messages ("Repository") */
    const char *fqn;       /* constructInfo fqn in tree.json ("@aws-cdk/aws-ecr.Repository") */
    cdk_validate_fn validate;
    int (*prepare)(cdk_node *n);   /* before references are resolved (post-order) */
    /* CloudFormation elements: renders the element's sections into `sections` (a cJSON
     * object: section name -> object of logical id -> definition). */
    int (*render)(cdk_node *n, cdk_rctx *ctx, cJSON *sections);
    /* tree.json attributes (a new cJSON object, or NULL for none). */
    int (*tree_attributes)(cdk_node *n, cJSON **out);
};

typedef struct cdk_aspect cdk_aspect;
typedef int (*cdk_aspect_fn)(cdk_aspect *a, cdk_node *n);
struct cdk_aspect {
    cdk_aspect_fn visit;
    void *ud;
    cdk_aspect *next;
};

typedef struct cdk_tags cdk_tags;
typedef struct cdk_nodelist {
    cdk_node **items;
    size_t len, cap;
} cdk_nodelist;
int cdk_nodelist_push(cdk_app *app, cdk_nodelist *l, cdk_node *n);
int cdk_nodelist_has(const cdk_nodelist *l, const cdk_node *n);

/* What few nodes have: kept apart so that every node does not carry it. Read it through
 * cdk_node_x (an all-empty one for a node without); cdk_node_x_own makes a node's own. */
typedef struct cdk_node_extra {
    cdk_aspect *aspects;         /* in the order added */
    cJSON *context;              /* node-local context (node.set_context) */
    cdk_nodelist deps;           /* node.add_dependency targets */
    cdk_node *default_child;     /* explicit default child */
    cdk_validate_fn *validations;
    size_t nvalidations;
    void *invoked;               /* aspects already applied here (synth.c) */
    size_t ninvoked;
    struct cdk_meta *meta;       /* node.addMetadata entries, in the order added */
} cdk_node_extra;

struct cdk_node {
    cdk_app *app;
    cdk_node *parent;
    cdk_node *first_child, *last_child, *next_sibling;
    size_t nchildren;
    const char *id;
    const char *path;            /* "" for the App */
    const cdk_class *cls;
    void *impl;                  /* the class's data */
    cdk_node *stack;             /* Stack.of(this), NULL for the App */
    int is_stack;
    cdk_tags *tags;              /* non-NULL for taggable constructs */
    struct cdk_element *elem;    /* non-NULL for CloudFormation elements */
    cdk_node_extra *x;           /* NULL until the node needs one */
};

/* The node's extra data, read-only (all empty when it has none). */
const cdk_node_extra *cdk_node_x(const cdk_node *n);
/* The node's own extra data, made on first use. NULL: out of memory. */
cdk_node_extra *cdk_node_x_own(cdk_node *n);

/* A metadata entry of a construct (node.addMetadata; Annotations add "aws:cdk:info",
 * "aws:cdk:warning" and "aws:cdk:error"). The cloud assembly lists them under their stack. */
typedef struct cdk_meta {
    const char *type;
    cdk_value *data;
    struct cdk_meta *next;
} cdk_meta;
int cdk_node_add_metadata(cdk_node *n, const char *type, cdk_value *data);

/* Creates a child construct. Fails with CDK's messages for a duplicate or invalid id, or while
 * synthesizing. impl_size bytes are zeroed in the arena for the class's data. */
int cdk_node_new(cdk_node *parent, const char *id, const cdk_class *cls, size_t impl_size,
                 cdk_node **out);
/* Unlinks a node whose construction failed (it must be its parent's last child), so that the
 * tree never holds a half-made construct. */
void cdk_node_discard(cdk_node *n);
cdk_node *cdk_node_find_child(const cdk_node *n, const char *id);
/* The default child: "Resource" or "Default" (error if both), or the explicit one. */
int cdk_node_default_child(cdk_node *n, cdk_node **out);
/* The first ancestor-or-self that is a Stack; error (CDK's message) if none. */
int cdk_node_stack(cdk_node *n, cdk_node **out);
/* Context lookup up the tree (node first, then ancestors, then the App's context). */
const cJSON *cdk_node_try_get_context(const cdk_node *n, const char *key);
int cdk_node_set_context(cdk_node *n, const char *key, const cJSON *value);
int cdk_node_add_dependency(cdk_node *n, cdk_node *target);
int cdk_node_add_aspect(cdk_node *n, cdk_aspect_fn visit, void *ud);
int cdk_node_add_validation(cdk_node *n, cdk_validate_fn fn);
/* Legacy unique id of the node (Names.uniqueId): makeUniqueId of its path components. */
const char *cdk_node_unique_id(cdk_node *n);
/* node.addr: "c8" and the SHA-1 (hex) of the ids from the root down, each followed by a newline,
 * "Default" ids skipped (the constructs library's addressOf). NULL: out of memory. */
const char *cdk_node_addr(cdk_node *n);
int cdk_node_is_ancestor(const cdk_node *ancestor, const cdk_node *n);

/* makeUniqueId(components) into a new arena string; CDK's error when all are "Default". */
int cdk_make_unique_id(cdk_app *app, const char *const *components, size_t n, const char **out);

extern const cdk_class cdk_construct_class;  /* plain cdk.Construct */

/* ---------------------------------------------------------------------------------------------
 * Stacks (stack.c). */

typedef struct cdk_stack_props {
    const char *account;   /* NULL: the pseudo parameter (environment-agnostic) */
    const char *region;
    const char *stack_name;
    const char *description;
    int termination_protection; /* -1 unset, 0, 1 */
    const char *const *tag_keys; /* tags given in props, in order */
    const char *const *tag_values;
    size_t ntags;
    int analytics_reporting;   /* 0 unset (the context "aws:cdk:version-reporting"), 1 on, -1 off */
} cdk_stack_props;

typedef struct cdk_stack cdk_stack;
int cdk_stack_new(cdk_node *parent, const char *id, const cdk_stack_props *props, cdk_node **out);
cdk_stack *cdk_stack_of_node(cdk_node *stack_node);
const char *cdk_stack_name(cdk_node *stack);
const char *cdk_stack_artifact_id(cdk_node *stack);
const char *cdk_stack_environment(cdk_node *stack);
cdk_value *cdk_stack_account(cdk_node *stack);   /* a literal or the AWS::AccountId token */
cdk_value *cdk_stack_region(cdk_node *stack);
cdk_value *cdk_stack_partition(cdk_node *stack);
cdk_value *cdk_stack_url_suffix(cdk_node *stack);
int cdk_stack_add_dependency(cdk_node *stack, cdk_node *target, const char *reason);
const cdk_nodelist *cdk_stack_dependencies(cdk_node *stack);
/* The logical ID of an element (renames and overrides applied). */
int cdk_logical_id(cdk_node *element, const char *(*out));
/* Stack.getLogicalId: the ID the stack allocates (renames applied, the element's override not). */
int cdk_stack_get_logical_id(cdk_node *element, const char *(*out));
/* Renders the stack's template as it is now (a new cJSON tree, the caller's). */
int cdk_stack_template(cdk_node *stack, cJSON **out);
/* Prepares and validates the App as synthesis does, then renders the stack's template. */
int cdk_stack_to_json(cdk_node *stack, cJSON **out);
/* Stack.renameLogicalId: the element whose ID would be `from` gets `to`. */
int cdk_stack_rename_logical_id(cdk_node *stack, const char *from, const char *to);
/* Whether the stack's account/region are concrete. */
int cdk_stack_env_agnostic(cdk_node *stack);

/* Pseudo parameters as string values ({"Ref": "AWS::Region"} tokens). */
cdk_value *cdk_aws_pseudo(cdk_app *app, const char *name); /* "AWS::AccountId", ... */

/* ARNs (arn.c). */
typedef struct cdk_arn {
    cdk_value *partition, *service, *region, *account, *resource, *resource_name;
    const char *sep;        /* "/", ":", "" or NULL */
    int format;             /* cdk_arn_format */
} cdk_arn;
enum cdk_arn_format {
    CDK_ARN_NONE = 0,
    CDK_ARN_NO_RESOURCE_NAME,
    CDK_ARN_COLON_RESOURCE_NAME,
    CDK_ARN_SLASH_RESOURCE_NAME,
    CDK_ARN_SLASH_RESOURCE_SLASH_RESOURCE_NAME
};
/* Stack.formatArn: unset parts (NULL) come from the stack. *out is a string value. */
int cdk_arn_format(cdk_node *stack, const cdk_arn *c, cdk_value **out);
/* Arn.split: literal ARNs are parsed; token ARNs become Fn::Select/Fn::Split tokens. */
int cdk_arn_split(cdk_app *app, const cdk_value *arn, int format, cdk_arn *out);

/* Fn (intrinsics as string values). */
cdk_value *cdk_fn_select(cdk_app *app, double index, cdk_value *list); /* index: a whole number or a number token */
cdk_value *cdk_fn_split(cdk_app *app, const char *delim, cdk_value *source); /* list token */
cdk_value *cdk_fn_import_value(cdk_app *app, cdk_value *name);
cdk_value *cdk_fn_get_att(cdk_app *app, cdk_value *logical_id, cdk_value *attr); /* token value */
cdk_value *cdk_fn_ref(cdk_app *app, cdk_value *logical_id);
cdk_value *cdk_fn_sub(cdk_app *app, cdk_value *body, cdk_value *vars);
cdk_value *cdk_fn_join(cdk_app *app, const char *delim, cdk_value *list);
cdk_value *cdk_fn_intrinsic1(cdk_app *app, const char *name, cdk_value *arg); /* {name: arg} */

/* ---------------------------------------------------------------------------------------------
 * CloudFormation elements (cfn.c). */

typedef enum cdk_prop_type {
    CDK_P_STRING = 1,
    CDK_P_NUMBER,
    CDK_P_BOOL,
    CDK_P_JSON,     /* free-form: kept as written */
    CDK_P_STRUCT,   /* a nested property type (sub) */
    CDK_P_LIST,     /* a list of item (scalar type in item, or struct in sub) */
    CDK_P_MAP,      /* a map of strings (or of item) */
    CDK_P_TAGS      /* the resource's tags (a CDK TagManager) */
} cdk_prop_type;

typedef struct cdk_schema cdk_schema;
typedef struct cdk_prop {
    const char *name;       /* snake_case, as Lua writes it */
    const char *cfn;        /* the CloudFormation name */
    cdk_prop_type type;
    cdk_prop_type item;     /* element type of lists and maps */
    const cdk_schema *sub;  /* struct type of STRUCT, or of LIST/MAP items */
    int required;
} cdk_prop;

struct cdk_schema {
    cdk_class cls;           /* resources: CDK_L1_CLASS(name, fqn); structs: zeroed */
    const char *name;        /* "CfnRepository" or "RepositoryProperty" */
    const char *cfn_type;    /* "AWS::ECR::Repository" for resources, NULL for structs */
    const char *fqn;         /* "@aws-cdk/aws-ecr.CfnRepository" */
    const cdk_prop *props;   /* terminated by a {NULL} entry; CloudFormation order */
    const char *const *attrs; /* attribute names ("Arn", ...), NULL-terminated */
    int tag_type;            /* cdk_tag_type, for resources with a TAGS property */
    /* structs an L2 builds: the order of its keys in tree.json (the L2's object literal, where
     * the template has CloudFormation's); snake names, the others after them. NULL: props order */
    const char *const *tree_order;
};

/* The class of CloudFormation resources (raw or schema-described L1s). */
int cdk_resource_render(cdk_node *n, cdk_rctx *ctx, cJSON *sections);
int cdk_resource_tree_attributes(cdk_node *n, cJSON **out);
#define CDK_L1_CLASS(name, fqn) {name, fqn, NULL, NULL, cdk_resource_render, cdk_resource_tree_attributes}

typedef enum cdk_removal_policy {
    CDK_REMOVAL_UNSET = 0, CDK_REMOVAL_DESTROY, CDK_REMOVAL_RETAIN, CDK_REMOVAL_SNAPSHOT
} cdk_removal_policy;

struct cdk_element {
    const char *logical_id_override;
    int locked;
    int no_logical_id_metadata; /* the context aws:cdk:disable-logicalId-metadata when the element
                                 * was made (CDK reads it in CfnElement's constructor) */
    const char *unique_id;    /* makeUniqueId of the path below the stack, once computed (the
                               * path never changes; renames and overrides apply on top) */
    cdk_token *refs;          /* (unused head; see cfn.c) */
    struct cdk_refent *reftab;
};

typedef struct cdk_resource {
    const char *type;
    /* CDK's shouldSynthesize(): when it returns 0 the resource renders nothing */
    int (*should_synthesize)(cdk_node *res);
    const cdk_schema *schema;   /* NULL for a raw CfnResource (properties as written) */
    cdk_value *props;           /* map: snake keys with a schema, CloudFormation keys without */
    const char *deletion_policy, *update_replace_policy;
    cdk_nodelist depends_on;
    cdk_value *overrides;       /* raw overrides (map) */
    cdk_value *metadata;        /* map or NULL */
    cdk_node *condition;        /* a CfnCondition, or NULL */
    cdk_value *description;
    cdk_value *version;
} cdk_resource;

/* A CfnResource. With a schema, props keys are the schema's snake names (validated by the
 * caller); the schema's TAGS property seeds the TagManager. cls NULL: the schema's class, or
 * plain CfnResource. */
int cdk_cfn_resource_new(cdk_node *parent, const char *id, const char *type,
                         const cdk_schema *schema, cdk_value *props, const cdk_class *cls,
                         cdk_node **out);
cdk_resource *cdk_resource_of(cdk_node *n);
int cdk_resource_apply_removal_policy(cdk_node *res, cdk_removal_policy p, cdk_removal_policy dflt,
                                      int apply_to_update_replace);
int cdk_resource_add_override(cdk_node *res, const char *path, cdk_value *v);
int cdk_resource_add_depends_on(cdk_node *res, cdk_node *target);
int cdk_resource_add_metadata(cdk_node *res, const char *key, cdk_value *v);
/* Ref / GetAtt of an element as string values. */
cdk_value *cdk_resource_ref(cdk_node *res);
cdk_value *cdk_resource_att(cdk_node *res, const char *attr);
int cdk_element_override_logical_id(cdk_node *el, const char *id);

typedef struct cdk_output_props {
    cdk_value *value;
    cdk_value *description;
    cdk_value *export_name;
    cdk_node *condition;        /* a CfnCondition, or NULL */
} cdk_output_props;
int cdk_cfn_output_new(cdk_node *parent, const char *id, const cdk_output_props *p, cdk_node **out);

typedef struct cdk_parameter_props {
    const char *type;           /* default "String" */
    cdk_value *default_value;
    cdk_value *allowed_pattern;
    cdk_value *allowed_values;
    cdk_value *constraint_description;
    cdk_value *description;
    cdk_value *max_length, *max_value, *min_length, *min_value;
    int no_echo;                /* -1 unset */
} cdk_parameter_props;
int cdk_cfn_parameter_new(cdk_node *parent, const char *id, const cdk_parameter_props *p,
                          cdk_node **out);
const char *cdk_parameter_type(cdk_node *param);
/* valueAsString / valueAsNumber with CDK's type errors. */
int cdk_parameter_value(cdk_node *param, int as, cdk_value **out); /* as: 's', 'n', 'l', 'a' */

/* Renders resolved snake-keyed properties to CloudFormation names (schema order). */
cJSON *cdk_schema_render(const cdk_schema *s, cJSON *resolved);
/* The same with lowerCamelCase names (tree.json). */
cJSON *cdk_schema_camel(const cdk_schema *s, const cJSON *resolved);
const cdk_prop *cdk_schema_find(const cdk_schema *s, const char *name);

/* CfnMapping: a Mappings section entry, filled with set_value; find_in_map gives an
 * Fn::FindInMap token (key1/key2 may be tokens). */
int cdk_cfn_mapping_new(cdk_node *parent, const char *id, cdk_node **out);
int cdk_cfn_mapping_set(cdk_node *mapping, const char *key1, const char *key2, cdk_value *v);
cdk_value *cdk_cfn_mapping_find(cdk_node *mapping, cdk_value *key1, cdk_value *key2);
extern const cdk_class cdk_cfn_mapping_class;

/* CfnCondition: a Conditions section entry when it has an expression (a condition intrinsic
 * such as {"Fn::Equals": [...]}); cdk_cfn_condition_ref is the value {"Condition": <logical ID>}
 * that stands for it inside other condition expressions; it may be made in another App (the
 * binding's holder of App-less tokens), since it holds the logical ID as a string token. */
int cdk_cfn_condition_new(cdk_node *parent, const char *id, cdk_value *expression, cdk_node **out);
void cdk_cfn_condition_set_expression(cdk_node *cond, cdk_value *expression); /* NULL: none */
cdk_value *cdk_cfn_condition_expression(cdk_node *cond);
cdk_value *cdk_cfn_condition_ref(cdk_node *cond, cdk_app *in); /* made in App `in` */
extern const cdk_class cdk_cfn_condition_class;

extern const cdk_class cdk_cfn_resource_class;
extern const cdk_class cdk_cfn_output_class;
extern const cdk_class cdk_cfn_parameter_class;

/* ---------------------------------------------------------------------------------------------
 * Tags and aspects (tags.c). */

typedef enum cdk_tag_type {
    CDK_TAGS_NONE = 0, CDK_TAGS_STANDARD, CDK_TAGS_ASG, CDK_TAGS_MAP, CDK_TAGS_KEY_VALUE
} cdk_tag_type;

/* A TagManager of the given kind for resource type rtype. */
cdk_tags *cdk_tags_new(cdk_app *app, cdk_tag_type type, const char *rtype);
int cdk_tags_set(cdk_tags *t, const char *key, const char *value, double priority, int apply_to_launched);
int cdk_tags_remove(cdk_tags *t, const char *key, double priority);
/* Seeds tags from a props value ([{key=,value=}] or a map), at priority 50. */
int cdk_tags_seed(cdk_tags *t, const cdk_value *v);
/* The rendered tags as a value (snake keys for STANDARD/ASG), or undefined when none. */
cdk_value *cdk_tags_render(cdk_tags *t);
/* Sorted key/value pairs: n, and the arrays (arena). */
int cdk_tags_sorted(cdk_tags *t, const char ***keys, const char ***values, size_t *n);
int cdk_tags_applies(const cdk_tags *t, const cdk_strlist *include, const cdk_strlist *exclude);

typedef struct cdk_tag_props {
    double priority;           /* any number, as CDK's (negative and fractional ones too) */
    int has_priority;          /* 0: the default (100 add, 200 remove) */
    int apply_to_launched;     /* -1 unset */
    cdk_strlist include, exclude;
} cdk_tag_props;
/* Tags.of(scope).add / remove: registers the aspect on scope. */
int cdk_tags_add(cdk_node *scope, const char *key, const char *value, const cdk_tag_props *p);
int cdk_tags_remove_aspect(cdk_node *scope, const char *key, const cdk_tag_props *p);
/* ICU-like ordering of tag keys (String.prototype.localeCompare in the root locale). */
int cdk_locale_compare(const char *a, const char *b);

/* ---------------------------------------------------------------------------------------------
 * Physical names and cross-environment attributes (physical.c): the core Resource base. */

typedef struct cdk_physical {
    cdk_value *physical_name;   /* what the L1 gets (a token for GENERATE_IF_NEEDED) */
    const char *name;           /* the chosen or generated literal, or NULL */
    int allow_cross_env;
    int generate;               /* GENERATE_IF_NEEDED was given */
    cdk_node *owner;
    cdk_value *account, *region; /* the resource's env */
} cdk_physical;
/* Sets up the physical name of owner from name (NULL, literal, token or the marker). */
int cdk_physical_init(cdk_node *owner, cdk_value *name, cdk_physical *out);
/* The resource's environment from an ARN (Resource's environmentFromArn). */
int cdk_physical_env_from_arn(cdk_node *owner, const cdk_value *arn, cdk_physical *p);
/* getResourceNameAttribute / getResourceArnAttribute. */
cdk_value *cdk_physical_name_attr(cdk_physical *p, cdk_value *name_attr);
cdk_value *cdk_physical_arn_attr(cdk_physical *p, cdk_value *arn_attr, const cdk_arn *components);
int cdk_physical_enable_cross_env(cdk_physical *p);
cdk_value *cdk_physical_marker(cdk_app *app); /* PhysicalName.GENERATE_IF_NEEDED */

/* ---------------------------------------------------------------------------------------------
 * Synthesis (synth.c). */

typedef struct cdk_assembly_stack {
    const char *name;       /* stack name */
    const char *artifact;   /* artifact id */
    const char *template_file; /* the template is in this file only: it is not kept in memory */
} cdk_assembly_stack;

typedef struct cdk_assembly {
    const char *directory;
    cdk_assembly_stack *stacks;  /* in synthesis order */
    size_t nstacks;
} cdk_assembly;

/* Runs aspects, prepare, cross-stack references and validation; writes the cloud assembly to
 * the outdir safely (temporary folder renamed into place; an existing folder that is not an
 * assembly is never replaced). *out (arena, freed with the App) receives the result. */
int cdk_app_synth(cdk_app *app, cdk_assembly **out);
/* CloudFormation's quotas that app_synth checks besides CDK's resource limit (500, or the
 * context key @aws-cdk/core:stackResourceLimit); CDK v1 checks none of these. */
#define CDK_CFN_MAX_OUTPUTS 200
#define CDK_CFN_MAX_PARAMETERS 200
#define CDK_CFN_MAX_MAPPINGS 200
#define CDK_CFN_MAX_TEMPLATE_BYTES 1048576
#define CDK_CFN_MAX_LOGICAL_ID 255 /* characters (override_logical_id is not checked by CDK v1) */
/* Prepares the App and renders every template without writing files. */
int cdk_app_prepare(cdk_app *app);
void cdk_assembly_free(cdk_assembly *a);
/* The stacks in CDK's order (topological, ties by artifact id). */
int cdk_app_stacks(cdk_app *app, cdk_nodelist *out);

/* ---------------------------------------------------------------------------------------------
 * Extension points for services. */

/* Registers a hook run before reference resolution at synthesis (e.g. IAM policies that
 * need to attach). Hooks run in registration order. */
int cdk_app_on_prepare(cdk_app *app, int (*fn)(cdk_app *app, void *ud), void *ud);

#endif
