/* stack.c: Stack: its name, environment and pseudo parameters, logical IDs, dependencies between
 * stacks, and the template it renders from its elements. Also the Fn helpers every layer uses.
 * Elements render themselves (cfn.c); the stack only merges their sections. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cdk_internal.h"

static const cdk_class stack_class = {"Stack", "@aws-cdk/core.Stack", NULL, NULL, NULL, NULL};

typedef struct cdk_stackdep_reason {
    cdk_node *target;
    cdk_strlist reasons;
    struct cdk_stackdep_reason *next;
} cdk_stackdep_reason;

cdk_stack *cdk_stack_of_node(cdk_node *n)
{
    return n && n->is_stack ? n->impl : NULL;
}

/* ---- pseudo parameters and Fn ---- */

static const char *const pseudo_names[] = {"AWS::AccountId", "AWS::Region", "AWS::Partition",
                                           "AWS::URLSuffix", "AWS::StackName", "AWS::StackId",
                                           "AWS::NoValue", "AWS::NotificationARNs"};

cdk_value *cdk_fn_intrinsic1(cdk_app *app, const char *name, cdk_value *arg)
{
    cdk_value *m = cdk_map(app);
    if (m == NULL || cdk_map_set(app, m, name, arg) != CDK_OK)
        return NULL;
    return m;
}

cdk_value *cdk_aws_pseudo(cdk_app *app, const char *name)
{
    for (size_t i = 0; i < sizeof pseudo_names / sizeof pseudo_names[0]; i++) {
        if (strcmp(pseudo_names[i], name) != 0)
            continue;
        if (app->pseudo[i] == NULL) {
            char hint[64];
            snprintf(hint, sizeof hint, "%s", name);
            char *colons = strstr(hint, "::");
            if (colons)
                memmove(colons + 1, colons + 2, strlen(colons + 2) + 1), colons[0] = '.';
            const char *h = cdk_strdup(app, hint);
            cdk_token *t = cdk_token_intrinsic(app, cdk_fn_intrinsic1(app, "Ref", cdk_str_ref(app, pseudo_names[i])), h);
            if (h == NULL || t == NULL)
                return NULL;
            app->pseudo[i] = strcmp(name, "AWS::NotificationARNs") == 0 ? cdk_token_listv(app, t)
                                                                       : cdk_token_strv(app, t);
        }
        return app->pseudo[i];
    }
    return NULL;
}

static cdk_value *intrinsic_str(cdk_app *app, const char *name, cdk_value *arg, const char *hint)
{
    return cdk_token_strv(app, cdk_token_intrinsic(app, cdk_fn_intrinsic1(app, name, arg), hint));
}

cdk_value *cdk_fn_select(cdk_app *app, double index, cdk_value *list)
{
    cdk_value *args = cdk_list(app);
    if (args == NULL || cdk_list_push(app, args, cdk_num(app, index)) != CDK_OK ||
        cdk_list_push(app, args, list) != CDK_OK)
        return NULL;
    return intrinsic_str(app, "Fn::Select", args, NULL);
}

cdk_value *cdk_fn_split(cdk_app *app, const char *delim, cdk_value *source)
{
    cdk_value *args = cdk_list(app);
    if (args == NULL || cdk_list_push(app, args, cdk_str(app, delim)) != CDK_OK ||
        cdk_list_push(app, args, source) != CDK_OK)
        return NULL;
    return cdk_token_listv(app, cdk_token_intrinsic(app, cdk_fn_intrinsic1(app, "Fn::Split", args), NULL));
}

cdk_value *cdk_fn_import_value(cdk_app *app, cdk_value *name)
{
    return intrinsic_str(app, "Fn::ImportValue", name, NULL);
}

cdk_value *cdk_fn_get_att(cdk_app *app, cdk_value *logical_id, cdk_value *attr)
{
    cdk_value *args = cdk_list(app);
    if (args == NULL || cdk_list_push(app, args, logical_id) != CDK_OK ||
        cdk_list_push(app, args, attr) != CDK_OK)
        return NULL;
    return cdk_tokv(app, cdk_token_intrinsic(app, cdk_fn_intrinsic1(app, "Fn::GetAtt", args), NULL));
}

cdk_value *cdk_fn_ref(cdk_app *app, cdk_value *logical_id)
{
    return intrinsic_str(app, "Ref", logical_id, NULL);
}

cdk_value *cdk_fn_sub(cdk_app *app, cdk_value *body, cdk_value *vars)
{
    if (vars == NULL)
        return intrinsic_str(app, "Fn::Sub", body, NULL);
    cdk_value *args = cdk_list(app);
    if (args == NULL || cdk_list_push(app, args, body) != CDK_OK || cdk_list_push(app, args, vars) != CDK_OK)
        return NULL;
    return intrinsic_str(app, "Fn::Sub", args, NULL);
}

cdk_value *cdk_fn_join(cdk_app *app, const char *delim, cdk_value *list)
{
    return cdk_token_strv(app, cdk_token_join(app, delim, list));
}

/* ---- stacks ---- */

static int valid_stack_name(const char *s)
{
    if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z')))
        return 0;
    for (s++; *s; s++)
        if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-'))
            return 0;
    return 1;
}

static int generate_stack_name(cdk_node *n, const char **out)
{
    size_t depth = 0;
    for (cdk_node *p = n; p->parent; p = p->parent)
        depth++;
    const char **comps = cdk_alloc(n->app, depth * sizeof *comps);
    if (comps == NULL)
        return cdk_oom(n->app);
    size_t i = depth;
    for (cdk_node *p = n; p->parent; p = p->parent)
        comps[--i] = p->id;
    if (depth == 1) {
        *out = comps[0];
        return CDK_OK;
    }
    return cdk_make_unique_id(n->app, comps, depth, out);
}

/* Whether JavaScript finds a context value truthy. */
static int json_truthy(const cJSON *v)
{
    if (v == NULL || cJSON_IsNull(v) || cJSON_IsFalse(v))
        return 0;
    if (cJSON_IsNumber(v))
        return v->valuedouble != 0 && v->valuedouble == v->valuedouble;
    if (cJSON_IsString(v))
        return v->valuestring[0] != '\0';
    return 1;
}

int cdk_feature_flag(const cdk_node *n, const char *flag)
{
    return json_truthy(cdk_node_try_get_context(n, flag));
}

int cdk_stack_new(cdk_node *parent, const char *id, const cdk_stack_props *props, cdk_node **out)
{
    cdk_app *app = parent->app;
    cdk_node *n;
    int rc = cdk_node_new(parent, id, &stack_class, sizeof(cdk_stack), &n);
    if (rc != CDK_OK)
        return rc;
    cdk_stack *s = n->impl;
    n->is_stack = 1;
    n->stack = n;
    /* CDK: the DefaultStackSynthesizer under the flag, its qualifier from the context */
    if (cdk_feature_flag(n, "@aws-cdk/core:newStyleStackSynthesis")) {
        const cJSON *q = cdk_node_try_get_context(n, "@aws-cdk/core:bootstrapQualifier");
        char num[32];
        if (q == NULL || cJSON_IsNull(q)) {
            s->qualifier = "hnb659fds";
        } else if (cJSON_IsString(q)) {
            s->qualifier = cdk_strdup(app, q->valuestring);
        } else if (cJSON_IsNumber(q)) { /* JavaScript's String(q), as CDK's join makes it */
            cdk_js_number(q->valuedouble, num);
            s->qualifier = cdk_strdup(app, num);
        } else if (cJSON_IsBool(q)) {
            s->qualifier = cJSON_IsTrue(q) ? "true" : "false";
        } else {
            rc = cdk_fail(app, CDK_EINVAL, "@aws-cdk/core:bootstrapQualifier: expected a string, got %s",
                          cJSON_IsArray(q) ? "an array" : "an object");
            goto fail;
        }
        if (s->qualifier == NULL)
            goto oom;
    }
    s->termination_protection = props ? props->termination_protection : -1;
    /* CDK: props.analyticsReporting ?? the context, as JavaScript tests it (truthy) */
    if (props && props->analytics_reporting)
        s->version_reporting = props->analytics_reporting > 0;
    else
        s->version_reporting = json_truthy(cdk_node_try_get_context(n, "aws:cdk:version-reporting"));

    const char *account = props ? props->account : NULL;
    const char *region = props ? props->region : NULL;
    s->account = account ? cdk_str(app, account) : cdk_aws_pseudo(app, "AWS::AccountId");
    s->region = region ? cdk_str(app, region) : cdk_aws_pseudo(app, "AWS::Region");
    int acc_tok = account == NULL || cdk_str_is_unresolved(account, strlen(account));
    int reg_tok = region == NULL || cdk_str_is_unresolved(region, strlen(region));
    s->environment = cdk_sprintf(app, "aws://%s/%s", acc_tok ? "unknown-account" : account,
                                 reg_tok ? "unknown-region" : region);
    if (s->account == NULL || s->region == NULL || s->environment == NULL)
        goto oom;

    if (props && props->description) {
        /* CDK compares the description's JavaScript length (UTF-16 code units) with 512 */
        if (cdk_js_length(props->description, strlen(props->description)) > 512) {
            rc = cdk_fail(app, CDK_EINVAL, "Stack description must be <= 1024 bytes. Received description: '%s'",
                          props->description);
            goto fail;
        }
        s->description = cdk_strdup(app, props->description);
        if (s->description == NULL)
            goto oom;
    }
    if (props && props->stack_name) {
        s->stack_name = cdk_strdup(app, props->stack_name);
        if (s->stack_name == NULL)
            goto oom;
    } else if ((rc = generate_stack_name(n, &s->stack_name)) != CDK_OK) {
        goto fail;
    }
    if (cdk_js_length(s->stack_name, strlen(s->stack_name)) > 128) {
        rc = cdk_fail(app, CDK_EINVAL, "Stack name must be <= 128 characters. Stack name: '%s'", s->stack_name);
        goto fail;
    }
    n->tags = cdk_tags_new(app, CDK_TAGS_KEY_VALUE, "aws:cdk:stack");
    if (n->tags == NULL)
        goto oom;
    for (size_t i = 0; props && i < props->ntags; i++)
        if ((rc = cdk_tags_set(n->tags, props->tag_keys[i], props->tag_values[i], 50, 1)) != CDK_OK)
            goto fail;
    if (!valid_stack_name(s->stack_name)) {
        rc = cdk_fail(app, CDK_EINVAL, "Stack name must match the regular expression: /^[A-Za-z][A-Za-z0-9-]*$/, got '%s'",
                      s->stack_name);
        goto fail;
    }
    if (cdk_feature_flag(n, "@aws-cdk/core:enableStackNameDuplicates") ||
        cdk_feature_flag(n, "@aws-cdk/core:newStyleStackSynthesis")) {
        size_t depth = 0;
        for (cdk_node *p = n; p->parent; p = p->parent)
            depth++;
        const char **comps = cdk_alloc(app, depth * sizeof *comps);
        if (comps == NULL)
            goto oom;
        size_t i = depth;
        for (cdk_node *p = n; p->parent; p = p->parent)
            comps[--i] = p->id;
        if (depth == 1)
            s->artifact_id = comps[0];
        else if ((rc = cdk_make_unique_id(app, comps, depth, &s->artifact_id)) != CDK_OK)
            goto fail;
    } else {
        s->artifact_id = s->stack_name;
    }
    s->template_file = cdk_sprintf(app, "%s.template.json", s->artifact_id);
    if (s->template_file == NULL)
        goto oom;
    *out = n;
    return CDK_OK;
oom:
    rc = cdk_oom(app);
fail:
    cdk_node_discard(n);
    return rc;
}

const char *cdk_stack_name(cdk_node *n) { return ((cdk_stack *)n->impl)->stack_name; }
const char *cdk_stack_artifact_id(cdk_node *n) { return ((cdk_stack *)n->impl)->artifact_id; }
const char *cdk_stack_environment(cdk_node *n) { return ((cdk_stack *)n->impl)->environment; }
cdk_value *cdk_stack_account(cdk_node *n) { return ((cdk_stack *)n->impl)->account; }
cdk_value *cdk_stack_region(cdk_node *n) { return ((cdk_stack *)n->impl)->region; }
cdk_value *cdk_stack_partition(cdk_node *n) { return cdk_aws_pseudo(n->app, "AWS::Partition"); }
cdk_value *cdk_stack_url_suffix(cdk_node *n) { return cdk_aws_pseudo(n->app, "AWS::URLSuffix"); }

int cdk_stack_env_agnostic(cdk_node *n)
{
    cdk_stack *s = n->impl;
    return cdk_is_unresolved(s->account) || cdk_is_unresolved(s->region);
}

const cdk_nodelist *cdk_stack_dependencies(cdk_node *n)
{
    return &((cdk_stack *)n->impl)->deps;
}

/* The reasons why `from` depends, transitively, on `to`; NULL when it does not. */
static int dependency_reasons(cdk_node *from, cdk_node *to, cdk_strlist *out, int *found)
{
    cdk_stack *s = from->impl;
    if (from == to) {
        *found = 1;
        return CDK_OK;
    }
    for (cdk_stackdep_reason *r = s->reasons; r; r = r->next) {
        int sub = 0;
        cdk_strlist tail = {0};
        int rc = dependency_reasons(r->target, to, &tail, &sub);
        if (rc != CDK_OK)
            return rc;
        if (sub) {
            for (size_t i = 0; i < r->reasons.len; i++)
                if ((rc = cdk_strlist_push(from->app, out, r->reasons.items[i])) != CDK_OK)
                    return rc;
            for (size_t i = 0; i < tail.len; i++)
                if ((rc = cdk_strlist_push(from->app, out, tail.items[i])) != CDK_OK)
                    return rc;
            *found = 1;
            return CDK_OK;
        }
    }
    return CDK_OK;
}

int cdk_stack_add_dependency(cdk_node *stack, cdk_node *target, const char *reason)
{
    cdk_app *app = stack->app;
    if (stack == target)
        return CDK_OK;
    if (stack->app != target->app)
        return cdk_fail(app, CDK_EINVAL, CDK_CROSS_APP_DEPENDENCY, stack->path, target->path);
    if (!stack->is_stack || !target->is_stack)
        return cdk_fail(app, CDK_EINVAL, "stack dependencies are between stacks");
    if (reason == NULL)
        reason = "dependency added using stack.addDependency()";
    cdk_strlist cycle = {0};
    int found = 0;
    int rc = dependency_reasons(target, stack, &cycle, &found);
    if (rc != CDK_OK)
        return rc;
    if (found) {
        cdk_buf b = {0};
        for (size_t i = 0; i < cycle.len; i++) {
            if (i)
                cdk_buf_adds(&b, ", ");
            cdk_buf_adds(&b, cycle.items[i]);
        }
        rc = cdk_fail(app, CDK_EINVAL,
                      "'%s' depends on '%s' (%s). Adding this dependency (%s) would create a cyclic reference.",
                      target->path, stack->path, b.data ? b.data : "", reason);
        cdk_buf_free(&b);
        return rc;
    }
    cdk_stack *s = stack->impl;
    cdk_stackdep_reason *r = s->reasons;
    while (r && r->target != target)
        r = r->next;
    if (r == NULL) {
        r = cdk_alloc(app, sizeof *r);
        if (r == NULL)
            return cdk_oom(app);
        r->target = target;
        cdk_stackdep_reason **tail = &s->reasons;
        while (*tail)
            tail = &(*tail)->next;
        *tail = r;
        if ((rc = cdk_nodelist_push(app, &s->deps, target)) != CDK_OK)
            return rc;
    }
    const char *rs = cdk_strdup(app, reason);
    if (rs == NULL)
        return cdk_oom(app);
    return cdk_strlist_push(app, &r->reasons, rs);
}

/* ---- logical IDs ---- */

typedef struct cdk_rename {
    const char *from, *to;
    const char *claimed_by;     /* the first ID that took `to` (CDK's LogicalIDs reverse map) */
    int applied;
    struct cdk_rename *next;
} cdk_rename;

int cdk_stack_rename_logical_id(cdk_node *stack, const char *from, const char *to)
{
    cdk_stack *s = stack->impl;
    for (cdk_rename *r = s->renames; r; r = r->next)
        if (strcmp(r->from, from) == 0)
            return cdk_fail(stack->app, CDK_EINVAL, "A rename has already been registered for '%s'", from);
    cdk_rename *r = cdk_alloc(stack->app, sizeof *r);
    if (r == NULL || (r->from = cdk_strdup(stack->app, from)) == NULL ||
        (r->to = cdk_strdup(stack->app, to)) == NULL)
        return cdk_oom(stack->app);
    r->next = s->renames;
    s->renames = r;
    return CDK_OK;
}

/* Stack.getLogicalId (override 0) or CfnElement.logicalId (override 1, the element's own override
 * first). */
static int logical_id(cdk_node *el, int override, const char **out)
{
    if (el->is_stack)
        return cdk_fail(el->app, CDK_EINVAL, "a Stack has no logical ID");
    struct cdk_element *e = el->elem;
    if (override && e && e->logical_id_override) {
        *out = e->logical_id_override;
        return CDK_OK;
    }
    cdk_node *stack = el->stack;
    const char *id = e ? e->unique_id : NULL;
    if (id == NULL) {
        size_t depth = 0;
        for (cdk_node *p = el; p != stack; p = p->parent)
            depth++;
        const char *small[16];
        const char **comps = depth <= 16 ? small : cdk_alloc(el->app, depth * sizeof *comps);
        if (comps == NULL)
            return cdk_oom(el->app);
        size_t i = depth;
        for (cdk_node *p = el; p != stack; p = p->parent)
            comps[--i] = p->id;
        int rc = cdk_make_unique_id(el->app, comps, depth, &id);
        if (rc != CDK_OK)
            return rc;
        if (e)
            e->unique_id = id;
    }
    const char *old = id;
    cdk_rename *renames = ((cdk_stack *)stack->impl)->renames;
    for (cdk_rename *r = renames; r; r = r->next) {
        if (strcmp(r->from, id) == 0) {
            r->applied = 1;
            id = r->to;
            break;
        }
    }
    /* LogicalIDs.applyRename: a new ID belongs to one old ID only (only a rename's target can be
     * taken twice, so only those are tracked, on the first rename that names them) */
    for (cdk_rename *r = renames; r; r = r->next) {
        if (strcmp(r->to, id) != 0)
            continue;
        if (r->claimed_by && strcmp(r->claimed_by, old) != 0)
            return cdk_fail(el->app, CDK_ESYNTH,
                            "Two objects have been assigned the same Logical ID: '%s' and '%s' are now both named '%s'.",
                            r->claimed_by, old, id);
        r->claimed_by = old;
        break;
    }
    /* /^[A-Za-z][A-Za-z0-9]{1,254}$/ */
    size_t idlen = strlen(id);
    int valid = idlen >= 2 && idlen <= 255 && ((id[0] >= 'A' && id[0] <= 'Z') || (id[0] >= 'a' && id[0] <= 'z'));
    for (size_t k = 1; valid && k < idlen; k++)
        valid = (id[k] >= 'A' && id[k] <= 'Z') || (id[k] >= 'a' && id[k] <= 'z') || (id[k] >= '0' && id[k] <= '9');
    if (!valid)
        return cdk_fail(el->app, CDK_ESYNTH,
                        "Logical ID must adhere to the regular expression: /^[A-Za-z][A-Za-z0-9]{1,254}$/, got '%s'", id);
    *out = id;
    return CDK_OK;
}

int cdk_logical_id(cdk_node *el, const char **out)
{
    return logical_id(el, 1, out);
}

int cdk_stack_get_logical_id(cdk_node *el, const char **out)
{
    return logical_id(el, 0, out);
}

/* ---- elements and templates ---- */

static int collect_elements(cdk_node *n, cdk_nodelist *out)
{
    int rc;
    if (n->elem && (rc = cdk_nodelist_push(n->app, out, n)) != CDK_OK)
        return rc;
    for (cdk_node *c = n->first_child; c; c = c->next_sibling) {
        if (c->is_stack)
            continue;
        if ((rc = collect_elements(c, out)) != CDK_OK)
            return rc;
    }
    return CDK_OK;
}

int cdk_stack_elements(cdk_node *stack, cdk_nodelist *out)
{
    return collect_elements(stack, out);
}

/* A template is rendered element by element: each element renders its fragment (section ->
 * logical id -> definition) into a scratch object, which is merged into the template at once
 * and freed. The template itself is either a cJSON tree (cdk_stack_template) or, for synthesis,
 * text: each section's members are written as they come into that section's buffer, so that no
 * whole template is ever held as a tree. Sections keep the order of their first use and ids are
 * checked for duplicates across elements, as CDK merges fragments. */
typedef struct tsection {
    char *name;
    cdk_buf text;
    size_t n;
} tsection;

typedef struct tsink {
    cdk_node *stack;
    cJSON *tree;                /* the tree form, or NULL for text */
    tsection *sec;
    size_t nsec, capsec;
    char **ids;                 /* hash set of "<section index>:<id>" */
    size_t nids, capids;
    cdk_tpl_stats *stats;
} tsink;

static uint64_t str_hash(const char *s)
{
    uint64_t h = 14695981039346656037ull; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

/* Adds key to the set; 0 when it was there, -1 when memory ran out. */
static int set_add(tsink *t, char *key)
{
    if (2 * (t->nids + 1) > t->capids) {
        size_t cap = t->capids ? t->capids * 2 : 64;
        char **ids = calloc(cap, sizeof *ids);
        if (ids == NULL)
            return -1;
        for (size_t i = 0; i < t->capids; i++) {
            if (t->ids[i] == NULL)
                continue;
            size_t k = (size_t)str_hash(t->ids[i]) & (cap - 1);
            while (ids[k])
                k = (k + 1) & (cap - 1);
            ids[k] = t->ids[i];
        }
        free(t->ids);
        t->ids = ids;
        t->capids = cap;
    }
    size_t k = (size_t)str_hash(key) & (t->capids - 1);
    for (; t->ids[k]; k = (k + 1) & (t->capids - 1))
        if (strcmp(t->ids[k], key) == 0)
            return 0;
    t->ids[k] = key;
    t->nids++;
    return 1;
}

static void tsink_free(tsink *t)
{
    for (size_t i = 0; i < t->nsec; i++) {
        free(t->sec[i].name);
        cdk_buf_free(&t->sec[i].text);
    }
    free(t->sec);
    for (size_t i = 0; i < t->capids; i++)
        free(t->ids[i]);
    free(t->ids);
}

void cdk_tpl_stats_free(cdk_tpl_stats *st)
{
    for (size_t i = 0; i < st->ntypes; i++)
        free(st->types[i]);
    free(st->types);
    free(st->counts);
    memset(st, 0, sizeof *st);
}

static int count_type(cdk_app *app, cdk_tpl_stats *st, const cJSON *def)
{
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(def, "Type");
    const char *type = cJSON_IsString(t) ? t->valuestring : "undefined";
    st->nresources++;
    for (size_t i = 0; i < st->ntypes; i++)
        if (strcmp(st->types[i], type) == 0) {
            st->counts[i]++;
            return CDK_OK;
        }
    char **types = realloc(st->types, (st->ntypes + 1) * sizeof *types);
    if (types == NULL)
        return cdk_oom(app);
    st->types = types;
    size_t *counts = realloc(st->counts, (st->ntypes + 1) * sizeof *counts);
    if (counts == NULL)
        return cdk_oom(app);
    st->counts = counts;
    if ((st->types[st->ntypes] = malloc(strlen(type) + 1)) == NULL)
        return cdk_oom(app);
    strcpy(st->types[st->ntypes], type);
    st->counts[st->ntypes++] = 1;
    return CDK_OK;
}

/* Moves one element's fragment into the template. */
static int tsink_merge(cdk_app *app, tsink *t, cJSON *frag)
{
    for (cJSON *sec = frag->child; sec; sec = sec->next) {
        size_t si = 0;
        while (si < t->nsec && strcmp(t->sec[si].name, sec->string) != 0)
            si++;
        if (si == t->nsec) {
            if (t->nsec == t->capsec) {
                size_t cap = t->capsec ? t->capsec * 2 : 4;
                tsection *ns = realloc(t->sec, cap * sizeof *ns);
                if (ns == NULL)
                    return cdk_oom(app);
                t->sec = ns;
                t->capsec = cap;
            }
            tsection *ts = &t->sec[t->nsec];
            memset(ts, 0, sizeof *ts);
            if ((ts->name = malloc(strlen(sec->string) + 1)) == NULL)
                return cdk_oom(app);
            strcpy(ts->name, sec->string);
            t->nsec++;
            if (t->tree && !cJSON_AddObjectToObject(t->tree, sec->string))
                return cdk_oom(app);
        }
        tsection *ts = &t->sec[si];
        while (sec->child) {
            cJSON *def = cJSON_DetachItemViaPointer(sec, sec->child);
            size_t kl = strlen(def->string);
            char *key = malloc(kl + 24);
            if (key == NULL) {
                cJSON_Delete(def);
                return cdk_oom(app);
            }
            snprintf(key, kl + 24, "%zu:%s", si, def->string);
            int added = set_add(t, key);
            if (added <= 0) {
                free(key);
                int rc = added < 0 ? cdk_oom(app)
                                   : cdk_fail(app, CDK_ESYNTH, "section '%s' already contains '%s'", ts->name,
                                              def->string);
                cJSON_Delete(def);
                return rc;
            }
            int rc = CDK_OK;
            if (t->stats && strcmp(ts->name, "Resources") == 0)
                rc = count_type(app, t->stats, def);
            if (t->tree) {
                cJSON_AddItemToObject(cJSON_GetObjectItemCaseSensitive(t->tree, ts->name), def->string, def);
            } else {
                cdk_buf_add(&ts->text, ts->n ? ",\n  " : "\n  ", ts->n ? 4 : 3);
                cdk_json_quote(&ts->text, def->string, kl);
                cdk_buf_add(&ts->text, ": ", 2);
                cdk_json_write_at(&ts->text, def, 1, 2);
                cJSON_Delete(def);
                if (ts->text.oom)
                    rc = cdk_oom(app);
            }
            ts->n++;
            if (rc != CDK_OK)
                return rc;
        }
    }
    return CDK_OK;
}

/* Renders one element into t; with attrs, a schema L1's tree.json attributes are appended to it
 * from the same resolution (*attrs_done says whether they were). */
static int render_element(tsink *t, cdk_node *el, cdk_buf *attrs, int depth, int *attrs_done)
{
    cdk_app *app = el->app;
    cdk_rctx ctx = {app, el, 0, NULL, NULL, 0};
    cJSON *frag = cJSON_CreateObject();
    if (frag == NULL)
        return cdk_oom(app);
    int rc;
    if (attrs && el->cls->render == cdk_resource_render && el->cls->tree_attributes == cdk_resource_tree_attributes)
        rc = cdk_resource_render_with_tree(el, &ctx, frag, attrs, depth, attrs_done);
    else
        rc = el->cls->render(el, &ctx, frag);
    if (rc == CDK_OK)
        rc = tsink_merge(app, t, frag);
    cJSON_Delete(frag);
    return rc;
}

static int check_renames(cdk_node *stack)
{
    cdk_stack *s = stack->impl;
    for (cdk_rename *r = s->renames; r; r = r->next)
        if (!r->applied)
            return cdk_fail(stack->app, CDK_ESYNTH,
                            "The following Logical IDs were attempted to be renamed, but not found: %s", r->from);
    return CDK_OK;
}

static int render_template(cdk_node *stack, tsink *t)
{
    cdk_nodelist els = {0};
    int rc = cdk_stack_elements(stack, &els);
    if (rc != CDK_OK)
        return rc;
    for (size_t i = 0; i < els.len; i++)
        if ((rc = render_element(t, els.items[i], NULL, 0, NULL)) != CDK_OK)
            return rc;
    return check_renames(stack);
}

/* The template's Description, resolved (it may hold tokens, as CDK's templateOptions do). */
static int description_json(cdk_node *stack, cJSON **out)
{
    cdk_stack *s = stack->impl;
    cdk_value *v = cdk_str(stack->app, s->description);
    if (v == NULL)
        return cdk_oom(stack->app);
    int rc = cdk_resolve_in(stack, v, out);
    if (rc == CDK_OK && *out == NULL && (*out = cJSON_CreateString(s->description)) == NULL)
        return cdk_oom(stack->app);
    return rc;
}

int cdk_stack_template(cdk_node *stack, cJSON **out)
{
    cdk_app *app = stack->app;
    cdk_stack *s = stack->impl;
    tsink t = {0};
    t.stack = stack;
    if ((t.tree = cJSON_CreateObject()) == NULL)
        return cdk_oom(app);
    if (s->description) {
        cJSON *d = NULL;
        int drc = description_json(stack, &d);
        if (drc != CDK_OK) {
            cJSON_Delete(t.tree);
            return drc;
        }
        cJSON_AddItemToObject(t.tree, "Description", d);
    }
    int rc = render_template(stack, &t);
    tsink_free(&t);
    if (rc != CDK_OK) {
        cJSON_Delete(t.tree);
        return rc;
    }
    *out = t.tree;
    return CDK_OK;
}

static int tsink_text(tsink *t, cdk_buf *out)
{
    cdk_stack *s = t->stack->impl;
    size_t keys = 0;
    cdk_buf_add(out, "{", 1);
    if (s->description) {
        cdk_buf_add(out, "\n \"Description\": ", 17);
        if (cdk_str_is_unresolved(s->description, strlen(s->description))) {
            cJSON *d = NULL;
            int rc = description_json(t->stack, &d);
            if (rc != CDK_OK)
                return rc;
            cdk_json_write_at(out, d, 1, 1);
            cJSON_Delete(d);
        } else {
            cdk_json_quote(out, s->description, strlen(s->description));
        }
        keys++;
    }
    for (size_t i = 0; i < t->nsec; i++) {
        if (keys++)
            cdk_buf_add(out, ",", 1);
        cdk_buf_add(out, "\n ", 2);
        cdk_json_quote(out, t->sec[i].name, strlen(t->sec[i].name));
        cdk_buf_add(out, ": {", 3);
        cdk_buf_add(out, t->sec[i].text.data, t->sec[i].text.len);
        cdk_buf_add(out, "\n }", 3);
    }
    cdk_buf_add(out, keys ? "\n}" : "}", keys ? 2 : 1);
    return out->oom ? cdk_oom(t->stack->app) : CDK_OK;
}

struct cdk_tpl {
    tsink sink;
};

cdk_tpl *cdk_tpl_begin(cdk_node *stack, cdk_tpl_stats *stats)
{
    cdk_tpl *t = calloc(1, sizeof *t);
    if (t == NULL) {
        cdk_oom(stack->app);
        return NULL;
    }
    t->sink.stack = stack;
    t->sink.stats = stats;
    return t;
}

int cdk_tpl_element(cdk_tpl *t, cdk_node *el, cdk_buf *attrs, int depth, int *attrs_done)
{
    return render_element(&t->sink, el, attrs, depth, attrs_done);
}

int cdk_tpl_finish(cdk_tpl *t, cdk_buf *out)
{
    int rc = check_renames(t->sink.stack);
    return rc == CDK_OK ? tsink_text(&t->sink, out) : rc;
}

void cdk_tpl_free(cdk_tpl *t)
{
    if (t == NULL)
        return;
    tsink_free(&t->sink);
    free(t);
}

int cdk_section_add(cdk_app *app, cJSON *sections, const char *section, const char *id, cJSON *def)
{
    cJSON *sec = cJSON_GetObjectItemCaseSensitive(sections, section);
    if (sec == NULL) {
        sec = cJSON_AddObjectToObject(sections, section);
        if (sec == NULL) {
            cJSON_Delete(def);
            return cdk_oom(app);
        }
    } else if (cJSON_GetObjectItemCaseSensitive(sec, id) != NULL) {
        cJSON_Delete(def);
        return cdk_fail(app, CDK_ESYNTH, "section '%s' already contains '%s'", section, id);
    }
    cJSON_AddItemToObject(sec, id, def);
    return CDK_OK;
}

/* ---- ARNs ---- */

int cdk_arn_format(cdk_node *stack, const cdk_arn *c, cdk_value **out)
{
    cdk_app *app = stack->app;
    cdk_value *partition = c->partition ? c->partition : cdk_stack_partition(stack);
    cdk_value *region = c->region ? c->region : cdk_stack_region(stack);
    cdk_value *account = c->account ? c->account : cdk_stack_account(stack);
    const char *sep = c->sep ? c->sep : (c->format == CDK_ARN_COLON_RESOURCE_NAME ? ":" : "/");
    if (strcmp(sep, "/") != 0 && strcmp(sep, ":") != 0 && strcmp(sep, "") != 0)
        return cdk_fail(app, CDK_EINVAL, "resourcePathSep may only be \":\", \"/\" or an empty string");
    /* values.join(''): tokens stay as markers inside one string, like a JS template */
    cdk_buf b = {0};
    cdk_value *parts[12];
    size_t n = 0;
    parts[n++] = cdk_str_ref(app, "arn:");
    parts[n++] = partition;
    parts[n++] = cdk_str_ref(app, ":");
    parts[n++] = c->service;
    parts[n++] = cdk_str_ref(app, ":");
    parts[n++] = region;
    parts[n++] = cdk_str_ref(app, ":");
    parts[n++] = account;
    parts[n++] = cdk_str_ref(app, c->format == CDK_ARN_SLASH_RESOURCE_SLASH_RESOURCE_NAME ? ":/" : ":");
    parts[n++] = c->resource;
    if (c->resource_name) {
        parts[n++] = cdk_str_ref(app, sep);
        parts[n++] = c->resource_name;
    }
    for (size_t i = 0; i < n; i++) {
        if (parts[i] == NULL || parts[i]->kind != CDK_STRING) {
            cdk_buf_free(&b);
            return parts[i] == NULL ? cdk_oom(app) : cdk_fail(app, CDK_EINVAL, "ARN components must be strings");
        }
        cdk_buf_add(&b, parts[i]->u.str.ptr, parts[i]->len);
    }
    *out = b.oom ? NULL : cdk_strn(app, b.data, b.len);
    cdk_buf_free(&b);
    return *out ? CDK_OK : cdk_oom(app);
}

static cdk_value *select_str(cdk_app *app, int i, cdk_value *list)
{
    return cdk_fn_select(app, i, list);
}

int cdk_arn_split(cdk_app *app, const cdk_value *arnv, int format, cdk_arn *out)
{
    memset(out, 0, sizeof *out);
    if (arnv == NULL || arnv->kind != CDK_STRING)
        return cdk_fail(app, CDK_EINVAL, "ARN must be a string");
    const char *arn = arnv->u.str.ptr;
    size_t len = arnv->len;
    if (len < 4 || memcmp(arn, "arn:", 4) != 0) {
        if (!cdk_str_is_unresolved(arn, len))
            return cdk_fail(app, CDK_EINVAL, "ARNs must start with \"arn:\" and have at least 6 components: %s", arn);
        /* a token ARN: CloudFormation splits it at deploy time */
        cdk_value *comps = cdk_fn_split(app, ":", (cdk_value *)arnv);
        if (comps == NULL)
            return cdk_oom(app);
        out->partition = select_str(app, 1, comps);
        out->service = select_str(app, 2, comps);
        out->region = select_str(app, 3, comps);
        out->account = select_str(app, 4, comps);
        out->format = format;
        if (format == CDK_ARN_NO_RESOURCE_NAME || format == CDK_ARN_COLON_RESOURCE_NAME) {
            out->resource = select_str(app, 5, comps);
            if (format == CDK_ARN_COLON_RESOURCE_NAME) {
                out->resource_name = select_str(app, 6, comps);
                out->sep = ":";
            }
        } else {
            cdk_value *last = cdk_fn_split(app, "/", select_str(app, 5, comps));
            if (format == CDK_ARN_SLASH_RESOURCE_NAME) {
                out->resource = select_str(app, 0, last);
                out->resource_name = select_str(app, 1, last);
            } else {
                out->resource = select_str(app, 1, last);
                out->resource_name = select_str(app, 2, last);
            }
            out->sep = "/";
        }
        if (!out->partition || !out->service || !out->region || !out->account || !out->resource)
            return cdk_oom(app);
        return CDK_OK;
    }
    /* a literal ARN: split on ':' */
    const char *comps[64];
    size_t clen[64];
    size_t nc = 0;
    const char *p = arn, *end = arn + len;
    while (nc < 64) {
        const char *q = memchr(p, ':', (size_t)(end - p));
        comps[nc] = p;
        clen[nc] = q ? (size_t)(q - p) : (size_t)(end - p);
        nc++;
        if (!q)
            break;
        p = q + 1;
    }
    if (nc < 2 || clen[1] == 0)
        return cdk_fail(app, CDK_EINVAL, "The `partition` component (2nd component) of an ARN is required: %s", arn);
    if (nc < 3 || clen[2] == 0)
        return cdk_fail(app, CDK_EINVAL, "The `service` component (3rd component) of an ARN is required: %s", arn);
    if (nc < 6 || clen[5] == 0)
        return cdk_fail(app, CDK_EINVAL, "The `resource` component (6th component) of an ARN is required: %s", arn);
    const char *rt = comps[5];
    size_t rtl = clen[5];
    long slash = -1;
    size_t start = 0;
    int detected = CDK_ARN_NO_RESOURCE_NAME;
    const char *rt_end = rt + rtl;
    const char *sl = memchr(rt, '/', rtl);
    if (sl) slash = (long)(sl - rt);
    if (slash == 0) {
        sl = rtl > 1 ? memchr(rt + 1, '/', rtl - 1) : NULL;
        slash = sl ? (long)(sl - rt) : -1;
        start = 1;
        detected = CDK_ARN_SLASH_RESOURCE_SLASH_RESOURCE_NAME;
    }
    const char *sep = NULL;
    if (slash != -1) {
        if (format == CDK_ARN_NO_RESOURCE_NAME) {
            slash = -1;
            detected = CDK_ARN_NO_RESOURCE_NAME;
        } else {
            sep = "/";
            detected = start == 0 ? CDK_ARN_SLASH_RESOURCE_NAME : CDK_ARN_SLASH_RESOURCE_SLASH_RESOURCE_NAME;
        }
    } else if (nc > 6) {
        sep = ":";
        detected = CDK_ARN_COLON_RESOURCE_NAME;
    } else {
        detected = CDK_ARN_NO_RESOURCE_NAME;
    }
    cdk_buf name = {0};
    int has_name = 0;
    if (slash != -1) {
        out->resource = cdk_strn(app, rt + start, (size_t)slash - start);
        cdk_buf_add(&name, rt + slash + 1, (size_t)(rt_end - (rt + slash + 1)));
        has_name = 1;
    } else {
        out->resource = cdk_strn(app, rt, rtl);
    }
    if (nc > 6) {
        if (has_name && name.len > 0)
            cdk_buf_add(&name, ":", 1);
        for (size_t i = 6; i < nc; i++) {
            if (i > 6)
                cdk_buf_add(&name, ":", 1);
            cdk_buf_add(&name, comps[i], clen[i]);
        }
        has_name = 1;
    }
    if (has_name && (name.len > 0 || nc > 6))
        out->resource_name = cdk_strn(app, name.data ? name.data : "", name.len);
    else if (has_name)
        out->resource_name = cdk_str(app, "");
    cdk_buf_free(&name);
    out->partition = cdk_strn(app, comps[1], clen[1]);
    out->service = cdk_strn(app, comps[2], clen[2]);
    out->region = cdk_strn(app, nc > 3 ? comps[3] : "", nc > 3 ? clen[3] : 0);
    out->account = cdk_strn(app, nc > 4 ? comps[4] : "", nc > 4 ? clen[4] : 0);
    out->sep = sep;
    out->format = detected;
    if (!out->partition || !out->service || !out->region || !out->account || !out->resource)
        return cdk_oom(app);
    return CDK_OK;
}
