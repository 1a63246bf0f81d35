/* cdk_internal.h: what the core's own files share and services must not touch: the App's
 * layout, the token registry, the element internals. Services use cdk_core.h only. */
#ifndef CDK_INTERNAL_H
#define CDK_INTERNAL_H

#include <stdio.h>

#include "cdk_core.h"

/* The cloud assembly schema version CDK v1 1.204.0 writes. */
#define CDK_SCHEMA_VERSION "21.0.0"

/* CDK's message for a dependency between two Apps (its "stages"); the paths are the source's and
 * the target's. */
#define CDK_CROSS_APP_DEPENDENCY \
    "You cannot add a dependency from '%s' (in the App) to '%s' (in the App): dependency cannot cross stage boundaries"

typedef struct cdk_block {
    struct cdk_block *next;
    size_t size, used;
    unsigned char *data;
} cdk_block;

typedef struct cdk_hook {
    int (*fn)(cdk_app *app, void *ud);
    void *ud;
    struct cdk_hook *next;
} cdk_hook;

struct cdk_app {
    cdk_block *blocks;
    size_t block_size;            /* of the next block of the arena (app.c) */
    cdk_buf err;
    unsigned long serial;
    cdk_node *root;
    const char *outdir;
    cJSON *context;               /* malloc'd, freed with the App */
    cJSON *node_contexts;         /* an array owning the nodes' own contexts */
    /* token registry: open addressing, serial -> token */
    cdk_token **tokens;
    size_t ntokens, tokcap;
    cdk_app *fallback;            /* where unknown serials are looked up next */
    void *user;                   /* the binding's data */
    int synthesizing;
    int prepared;
    int tree_metadata;
    cdk_hook *hooks, *hooks_tail;
    cdk_assembly *last_assembly;
    cdk_value *pseudo[8];          /* cached pseudo parameter tokens */
    const char *runtime_agent;     /* cdk_app_opts.runtime_agent */
    struct cdk_static_list *static_lists; /* cdk_list_of_strs's lists, one per static array */
    const char *prev_assembly;    /* while synthesizing: the assembly being replaced (fs.c) */
    unsigned prev_mode;           /* the mode of a new file there */
    unsigned long prev_uid;       /* and its owner */
    char *tmp_path;               /* the new assembly's folder */
    int tmp_pending;              /* not made yet: every file so far was the earlier one's */
    cdk_strlist kept;             /* those files' names */
    cdk_block *tblocks;           /* the transient arena (newest block first) */
    int transient;                /* > 0: cdk_alloc takes from the transient arena */
};

/* A zeroed token of the given kind, sized for its member of u only. NULL: out of memory. */
cdk_token *cdk_token_alloc(cdk_app *app, cdk_token_kind kind);
/* Registry (token.c). */
int cdk_token_register(cdk_app *app, cdk_token *t);
cdk_token *cdk_token_lookup(cdk_app *app, uint64_t serial);
/* cdk_str_split into the caller's buf (bufcap entries) while the fragments fit, so that
 * resolution leaves nothing in the arena; more go to the arena. */
int cdk_str_split_buf(cdk_app *app, const char *s, size_t len, cdk_fragment *buf, size_t bufcap,
                      cdk_fragment **frags, size_t *n);
/* Whether a string value holds a list-token marker "#{Token[...]}". */
int cdk_is_list_token_elem(const cdk_value *v);

/* A reference table entry: the singleton references of an element. */
typedef struct cdk_refent {
    const char *attr;
    cdk_token *tok;
    struct cdk_refent *next;
} cdk_refent;

/* Stacks (stack.c). */
struct cdk_stack {
    const char *stack_name;
    const char *artifact_id;
    const char *template_file;
    cdk_value *account, *region;
    const char *environment;
    const char *description;
    int termination_protection;
    cdk_nodelist deps;            /* stacks this one depends on */
    struct cdk_stackdep_reason *reasons;
    struct cdk_rename *renames;
    cdk_node *exports;            /* the "Exports" construct, once made */
    int version_reporting;        /* CDK's _versionReportingEnabled: a CDKMetadata resource */
    /* The DefaultStackSynthesizer (@aws-cdk/core:newStyleStackSynthesis): its qualifier, NULL
     * for the LegacyStackSynthesizer; the elements it adds at synthesis (tree.json has them not,
     * as CDK writes the tree first); the SHA-256 of the template written (hex). */
    const char *qualifier;
    cdk_node *bootstrap_param, *bootstrap_rule;
    char template_sha256[65];
};
/* FeatureFlags.of(n).isEnabled(flag), or CDK's `if (node.tryGetContext(key))`: the context value,
 * as truthy as JavaScript finds it (so the string "false" enables a flag, as in CDK). */
int cdk_feature_flag(const cdk_node *n, const char *flag);

/* The DefaultStackSynthesizer (synthesizer.c). At synthesis, after validation, the
 * BootstrapVersion parameter and CheckBootstrapVersion rule are added to each stack using it
 * (cdk_synthesizer_added tells them: tree.json leaves them out, as CDK writes the tree before it
 * adds them). Then the stack artifact's properties (after validateOnSynth), the id of the asset
 * manifest's artifact ("<artifact id>.assets", NULL: out of memory), and the asset manifest:
 * written to dir as <artifact id>.assets.json, its artifact a new cJSON object in *artifact. */
int cdk_synthesizer_add_bootstrap_rules(cdk_app *app);
int cdk_synthesizer_added(const cdk_node *n);
int cdk_synthesizer_stack_properties(cdk_node *stack, cJSON *props);
const char *cdk_synthesizer_assets_id(cdk_node *stack);
int cdk_synthesizer_write_assets(cdk_node *stack, const char *dir, cJSON **artifact);

/* Version reporting (metadata.c): the CDKMetadata construct of each reporting stack, added at
 * synthesis after aspects; the Analytics text of a stack; whether a region has the service. */
int cdk_inject_metadata_resources(cdk_app *app);
int cdk_metadata_analytics(cdk_node *stack, cdk_buf *out);
int cdk_metadata_region_available(const char *region);

/* Templates (stack.c). What synthesis needs to check CloudFormation's limits without the
 * template as a tree: the resources, and their types in order of first appearance with counts
 * (malloc'd; cdk_tpl_stats_free). */
typedef struct cdk_tpl_stats {
    size_t nresources;
    size_t ntypes;
    char **types;
    size_t *counts;
} cdk_tpl_stats;
void cdk_tpl_stats_free(cdk_tpl_stats *st);
/* A stack's template rendered element by element as synthesis walks the tree (the elements of
 * the stack in tree order, nested stacks' excluded), each schema L1 giving its tree.json
 * attributes from the same resolution: begin, one call per element, finish (the text), free. */
typedef struct cdk_tpl cdk_tpl;
cdk_tpl *cdk_tpl_begin(cdk_node *stack, cdk_tpl_stats *stats);
int cdk_tpl_element(cdk_tpl *t, cdk_node *el, cdk_buf *attrs, int depth, int *attrs_done);
int cdk_tpl_finish(cdk_tpl *t, cdk_buf *out);
void cdk_tpl_free(cdk_tpl *t);
/* cdk_json_write for a value that sits at the given depth of a larger document. */
void cdk_json_write_at(cdk_buf *b, const cJSON *j, int indent, int depth);
/* A newline and the indent of depth. */
void cdk_json_newline(cdk_buf *b, int indent, int depth);
/* cdk_resource_render that also appends the resource's tree.json attributes (as its
 * tree_attributes hook gives them) to attrs, as text at depth, from the same resolution of its
 * properties: *done is 0 when it did not (a resource that does not synthesize). */
int cdk_resource_render_with_tree(cdk_node *n, cdk_rctx *ctx, cJSON *tpl, cdk_buf *attrs, int depth, int *done);

/* Cross-stack references (refs.c). */
int cdk_resolve_references(cdk_app *app);
/* Elements of a stack in tree order (nested stacks excluded). */
int cdk_stack_elements(cdk_node *stack, cdk_nodelist *out);
int cdk_invoke_aspects(cdk_app *app);

/* Tree order walk. */
typedef int (*cdk_visit_fn)(cdk_node *n, void *ud);
int cdk_walk(cdk_node *root, int post, cdk_visit_fn fn, void *ud);

/* Files (fs.c). */
int cdk_write_file(cdk_app *app, const char *dir, const char *name, const char *data, size_t len);
/* A file written in pieces: text is added to buf, and cdk_ofile_flush writes it out (and closes
 * the file when close is set, or on failure), so that a big file is never whole in memory. */
typedef struct cdk_ofile {
    int fd; /* -1 until created and once closed */
    int opened;
    const char *dir, *name, *path;
    cdk_buf buf;
} cdk_ofile;
int cdk_ofile_open(cdk_app *app, const char *dir, const char *name, cdk_ofile *o);
int cdk_ofile_flush(cdk_app *app, cdk_ofile *o, int close_it);
int cdk_fs_prepare_outdir(cdk_app *app, const char *outdir, char **tmpdir);
int cdk_fs_commit_outdir(cdk_app *app, const char *tmpdir, const char *outdir);
/* Removes the new assembly's folder after a failed synthesis (if it was made). */
void cdk_fs_discard_outdir(cdk_app *app, const char *tmpdir);
void cdk_fs_remove_tree(const char *dir);

/* JSON helpers. */
cJSON *cdk_json_str(const char *s);
cJSON *cdk_json_strn(const char *s, size_t n);
int cdk_json_add(cJSON *obj, const char *key, cJSON *item); /* item NULL: nothing */
/* Adds def under sections[section][id], failing on a duplicate id (CDK's merge rule; stack.c). */
int cdk_section_add(cdk_app *app, cJSON *sections, const char *section, const char *id, cJSON *def);

#endif
