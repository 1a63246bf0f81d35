/* lifecycle.c: ECR lifecycle rules as the AWS CDK v1 handles them: inference of the tag status,
 * the checks made when a rule is added, and at synthesis the priority assignment, ordering and
 * the exact LifecyclePolicyText JSON. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cdk_ecr.h"

const char *cdk_ecr_tag_status_value(cdk_ecr_tag_status s)
{
    switch (s) {
    case CDK_ECR_TAG_TAGGED: return "tagged";
    case CDK_ECR_TAG_UNTAGGED: return "untagged";
    default: return "any";
    }
}

/* JSON.stringify of a rule as the user gave it (for CDK's error message), with Lua's names. */
static void rule_json(const cdk_ecr_lifecycle_rule *r, cdk_buf *b)
{
    int first = 1;
    char num[40];
#define SEP() do { cdk_buf_adds(b, first ? "" : ","); first = 0; } while (0)
    cdk_buf_adds(b, "{");
    if (r->has_priority) {
        SEP();
        cdk_js_number(r->rule_priority, num);
        cdk_buf_addf(b, "\"rule_priority\":%s", num);
    }
    if (r->description) {
        SEP();
        cdk_buf_adds(b, "\"description\":");
        cdk_json_quote(b, r->description, strlen(r->description));
    }
    if (r->tag_status_given) {
        SEP();
        cdk_buf_addf(b, "\"tag_status\":\"%s\"", cdk_ecr_tag_status_value(r->tag_status));
    }
    if (r->tag_prefix_list) {
        SEP();
        cdk_buf_adds(b, "\"tag_prefix_list\":[");
        for (size_t i = 0; i < r->ntag_prefix; i++) {
            if (i)
                cdk_buf_adds(b, ",");
            cdk_json_quote(b, r->tag_prefix_list[i], strlen(r->tag_prefix_list[i]));
        }
        cdk_buf_adds(b, "]");
    }
    if (r->has_count) {
        SEP();
        cdk_js_number(r->max_image_count, num);
        cdk_buf_addf(b, "\"max_image_count\":%s", num);
    }
    if (r->has_age) {
        SEP();
        cdk_buf_adds(b, "\"max_image_age\":");
        cdk_duration_json(r->max_image_age, b);
    }
    if (!r->tag_status_given) {
        SEP();
        cdk_buf_addf(b, "\"tag_status\":\"%s\"", cdk_ecr_tag_status_value(r->tag_status));
    }
    cdk_buf_adds(b, "}");
#undef SEP
}

int cdk_ecr_add_lifecycle_rule(cdk_node *node, const cdk_ecr_lifecycle_rule *given)
{
    cdk_app *app = node->app;
    cdk_ecr_repository *repo = cdk_ecr_repository_of(node);
    if (repo == NULL || repo->imported)
        return cdk_fail(app, CDK_EINVAL, "add_lifecycle_rule: not a Repository");
    cdk_ecr_lifecycle_rule r = *given;
    r.tag_status_given = given->tag_status != CDK_ECR_TAG_UNSET;
    if (r.tag_status == CDK_ECR_TAG_UNSET)
        r.tag_status = r.tag_prefix_list == NULL ? CDK_ECR_TAG_ANY : CDK_ECR_TAG_TAGGED;
    if (r.tag_status == CDK_ECR_TAG_TAGGED && (r.tag_prefix_list == NULL || r.ntag_prefix == 0))
        return cdk_fail(app, CDK_EINVAL, "TagStatus.TAGGED requires the specification of a tag_prefix_list");
    if (r.tag_status != CDK_ECR_TAG_TAGGED && r.tag_prefix_list != NULL)
        return cdk_fail(app, CDK_EINVAL, "tag_prefix_list can only be specified when tag_status is set to TAGGED");
    if (r.has_age == r.has_count) {
        cdk_buf b = {0};
        rule_json(&r, &b);
        int rc = cdk_fail(app, CDK_EINVAL,
                          "Life cycle rule must contain exactly one of 'max_image_age' and 'max_image_count', got: %s",
                          b.data ? b.data : "{}");
        cdk_buf_free(&b);
        return rc;
    }
    if (r.tag_status == CDK_ECR_TAG_ANY)
        for (size_t i = 0; i < repo->nrules; i++)
            if (repo->rules[i].tag_status == CDK_ECR_TAG_ANY)
                return cdk_fail(app, CDK_EINVAL, "Life cycle can only have one TagStatus.ANY rule");
    /* keep our own copies of the strings */
    if (r.description && (r.description = cdk_strdup(app, r.description)) == NULL)
        return cdk_oom(app);
    if (r.tag_prefix_list) {
        const char **l = cdk_alloc(app, (r.ntag_prefix + 1) * sizeof *l);
        if (l == NULL)
            return cdk_oom(app);
        for (size_t i = 0; i < r.ntag_prefix; i++)
            if ((l[i] = cdk_strdup(app, r.tag_prefix_list[i])) == NULL)
                return cdk_oom(app);
        r.tag_prefix_list = l;
    }
    if (repo->nrules == repo->caprules) {
        size_t cap = repo->caprules ? repo->caprules * 2 : 2; /* most repositories have one or two */
        cdk_ecr_lifecycle_rule *rules = cdk_alloc(app, cap * sizeof *rules);
        if (rules == NULL)
            return cdk_oom(app);
        if (repo->nrules)
            memcpy(rules, repo->rules, repo->nrules * sizeof *rules);
        repo->rules = rules;
        repo->caprules = cap;
    }
    repo->rules[repo->nrules++] = r;
    return CDK_OK;
}

/* The rules in CDK's order with their final priorities. */
static int ordered_rules(cdk_app *app, cdk_ecr_repository *repo, const cdk_ecr_lifecycle_rule **out, double *prios)
{
    size_t n = 0;
    const cdk_ecr_lifecycle_rule *any = NULL;
    int has_auto = 0;
    double max_explicit = 0;
    int any_explicit = 0;
    for (size_t i = 0; i < repo->nrules; i++) {
        const cdk_ecr_lifecycle_rule *r = &repo->rules[i];
        if (r->tag_status == CDK_ECR_TAG_ANY) {
            any = r;
        } else if (r->has_priority) {
            if (!any_explicit || r->rule_priority > max_explicit)
                max_explicit = r->rule_priority;
            any_explicit = 1;
        } else {
            has_auto = 1;
        }
    }
    if (any && any->has_priority && has_auto)
        return cdk_fail(app, CDK_ESYNTH,
                        "Cannot combine prioritized TagStatus.ANY rule with unprioritized rules. Remove "
                        "rule_priority from the 'Any' rule.");
    double next = (any_explicit ? max_explicit : 0) + 1;
    for (int pass = 0; pass < 3; pass++) {
        for (size_t i = 0; i < repo->nrules; i++) {
            const cdk_ecr_lifecycle_rule *r = &repo->rules[i];
            int is_any = r->tag_status == CDK_ECR_TAG_ANY;
            if ((pass == 0 && !is_any && r->has_priority) || (pass == 1 && !is_any && !r->has_priority) ||
                (pass == 2 && is_any)) {
                out[n] = r;
                prios[n] = r->has_priority ? r->rule_priority : next++;
                n++;
            }
        }
    }
    if (any) {
        double maxp = prios[0];
        for (size_t i = 1; i < n; i++)
            if (prios[i] > maxp)
                maxp = prios[i];
        if (prios[n - 1] != maxp) {
            char a[40], b[40];
            cdk_js_number(prios[n - 1], a);
            cdk_js_number(maxp, b);
            return cdk_fail(app, CDK_ESYNTH, "TagStatus.ANY rule must have highest priority, has %s which is smaller than %s",
                            a, b);
        }
    }
    return CDK_OK;
}

/* Appends v as JSON. CDK writes JSON.stringify(stack.resolve(rules)), so a token in a rule is
 * written as its resolved value ({"Ref":"Keep"}) inside the text, not joined into it. */
static int put_value(cdk_rctx *ctx, cdk_buf *b, cdk_value *v)
{
    cJSON *j = NULL;
    if (v == NULL)
        return cdk_oom(ctx->app);
    int rc = cdk_resolve(ctx, v, &j);
    if (rc != CDK_OK)
        return rc;
    if (j != NULL)
        cdk_json_write(b, j, 0);
    else
        cdk_buf_adds(b, "null");
    cJSON_Delete(j);
    return CDK_OK;
}

static int put_string(cdk_rctx *ctx, cdk_buf *b, const char *s)
{
    size_t n = strlen(s);
    if (!cdk_str_is_unresolved(s, n)) {
        cdk_json_quote(b, s, n);
        return CDK_OK;
    }
    return put_value(ctx, b, cdk_str(ctx->app, s));
}

static int put_number(cdk_rctx *ctx, cdk_buf *b, double d)
{
    if (!cdk_num_is_token(d)) {
        char num[40];
        cdk_js_number(d, num);
        cdk_buf_adds(b, num);
        return CDK_OK;
    }
    return put_value(ctx, b, cdk_num(ctx->app, d));
}

/* The lifecycle_policy property: {lifecycle_policy_text, registry_id}, or undefined. */
int cdk_ecr_render_lifecycle(cdk_rctx *ctx, cdk_ecr_repository *repo, cdk_value **out);
int cdk_ecr_render_lifecycle(cdk_rctx *ctx, cdk_ecr_repository *repo, cdk_value **out)
{
    cdk_app *app = ctx->app;
    /* CDK tests `!this.registryId`: an empty registry id alone is no policy either */
    if (repo->nrules == 0 && (repo->registry_id == NULL || repo->registry_id[0] == '\0')) {
        *out = cdk_undefined();
        return CDK_OK;
    }
    cdk_value *policy = cdk_map(app);
    if (policy == NULL)
        return cdk_oom(app);
    if (repo->nrules > 0) {
        const cdk_ecr_lifecycle_rule **rules = cdk_alloc(app, repo->nrules * sizeof *rules);
        double *prios = cdk_alloc(app, repo->nrules * sizeof *prios);
        if (rules == NULL || prios == NULL)
            return cdk_oom(app);
        int rc = ordered_rules(app, repo, rules, prios);
        if (rc != CDK_OK)
            return rc;
        cdk_buf b = {0};
        char num[40];
        cdk_buf_adds(&b, "{\"rules\":[");
        for (size_t i = 0; i < repo->nrules; i++) {
            const cdk_ecr_lifecycle_rule *r = rules[i];
            double count;
            if (r->has_age) {
                if ((rc = cdk_duration_to(app, r->max_image_age, CDK_DAYS, 1, &count)) != CDK_OK) {
                    cdk_buf_free(&b);
                    return rc;
                }
            } else {
                count = r->max_image_count;
            }
            if (i)
                cdk_buf_adds(&b, ",");
            cdk_js_number(prios[i], num);
            cdk_buf_adds(&b, "{\"rulePriority\":");
            cdk_buf_adds(&b, num);
            cdk_buf_adds(&b, ",");
            if (r->description) {
                cdk_buf_adds(&b, "\"description\":");
                rc = put_string(ctx, &b, r->description);
                cdk_buf_adds(&b, ",");
            }
            cdk_buf_adds(&b, "\"selection\":{\"tagStatus\":\"");
            cdk_buf_adds(&b, cdk_ecr_tag_status_value(r->tag_status));
            cdk_buf_adds(&b, "\",");
            if (r->tag_prefix_list) {
                /* a list with tokens is resolved as a list: a list token (a CommaDelimitedList
                 * parameter's value_as_list, a Lazy.list) stands for the whole list */
                int tok = 0;
                for (size_t k = 0; k < r->ntag_prefix; k++) {
                    const char *e = r->tag_prefix_list[k];
                    tok |= cdk_str_is_unresolved(e, strlen(e)) || strstr(e, "#{Token[") != NULL;
                }
                cdk_buf_adds(&b, "\"tagPrefixList\":");
                if (tok) {
                    cdk_value *l = cdk_list(app);
                    for (size_t k = 0; l && k < r->ntag_prefix; k++)
                        if (cdk_list_push(app, l, cdk_str(app, r->tag_prefix_list[k])) != CDK_OK)
                            l = NULL;
                    if (rc == CDK_OK)
                        rc = put_value(ctx, &b, l);
                } else {
                    cdk_buf_adds(&b, "[");
                    for (size_t k = 0; k < r->ntag_prefix; k++) {
                        if (k)
                            cdk_buf_adds(&b, ",");
                        cdk_json_quote(&b, r->tag_prefix_list[k], strlen(r->tag_prefix_list[k]));
                    }
                    cdk_buf_adds(&b, "]");
                }
                cdk_buf_adds(&b, ",");
            }
            cdk_buf_adds(&b, r->has_age ? "\"countType\":\"sinceImagePushed\",\"countNumber\":"
                                        : "\"countType\":\"imageCountMoreThan\",\"countNumber\":");
            if (rc == CDK_OK)
                rc = put_number(ctx, &b, count);
            if (rc != CDK_OK) {
                cdk_buf_free(&b);
                return rc;
            }
            if (r->has_age)
                cdk_buf_adds(&b, ",\"countUnit\":\"days\"");
            cdk_buf_adds(&b, "},\"action\":{\"type\":\"expire\"}}");
        }
        cdk_buf_adds(&b, "]}");
        cdk_value *text = b.oom ? NULL : cdk_strn(app, b.data, b.len);
        cdk_buf_free(&b);
        if (cdk_map_set(app, policy, "lifecycle_policy_text", text) != CDK_OK)
            return cdk_oom(app);
    }
    if (repo->registry_id && cdk_map_set(app, policy, "registry_id", cdk_str_ref(app, repo->registry_id)) != CDK_OK)
        return cdk_oom(app);
    *out = policy;
    return CDK_OK;
}

/* ECR's quotas on a lifecycle policy, which CDK does not check (the deployment would fail):
 * at most 50 rules, and at most 30,720 characters of policy text. */
int cdk_ecr_lifecycle_validate(cdk_node *n, cdk_ecr_repository *repo, cdk_strlist *errs)
{
    cdk_app *app = n->app;
    if (repo->nrules > CDK_ECR_MAX_LIFECYCLE_RULES) {
        const char *m = cdk_sprintf(app, "An ECR lifecycle policy holds at most %d rules; this repository has %zu",
                                    CDK_ECR_MAX_LIFECYCLE_RULES, repo->nrules);
        return m ? cdk_strlist_push(app, errs, m) : cdk_oom(app);
    }
    if (repo->nrules == 0)
        return CDK_OK;
    /* an upper bound on the text first (a JSON-escaped byte takes at most 6): most policies are
     * far below the quota and need no rendering here; a token in a string has no bound */
    size_t bound = 16;
    int tokens = 0;
    for (size_t i = 0; i < repo->nrules && !tokens; i++) {
        const cdk_ecr_lifecycle_rule *r = &repo->rules[i];
        bound += 256;
        if (r->description) {
            size_t len = strlen(r->description);
            tokens |= cdk_str_is_unresolved(r->description, len);
            bound += 6 * len;
        }
        for (size_t k = 0; r->tag_prefix_list && k < r->ntag_prefix; k++) {
            size_t len = strlen(r->tag_prefix_list[k]);
            tokens |= cdk_str_is_unresolved(r->tag_prefix_list[k], len);
            bound += 6 * len + 3;
        }
        tokens |= cdk_num_is_token(r->rule_priority) || cdk_num_is_token(r->max_image_count);
    }
    if (!tokens && bound <= CDK_ECR_MAX_LIFECYCLE_TEXT)
        return CDK_OK;
    cdk_rctx ctx = {0};
    ctx.app = app;
    ctx.scope = n;
    cdk_value *policy = NULL;
    /* a rule that cannot be rendered is reported when the template is */
    if (cdk_ecr_render_lifecycle(&ctx, repo, &policy) != CDK_OK || policy == NULL || policy->kind != CDK_MAP)
        return CDK_OK;
    const cdk_value *text = cdk_map_get(policy, "lifecycle_policy_text");
    if (text == NULL || text->kind != CDK_STRING)
        return CDK_OK;
    size_t chars = 0;
    for (size_t i = 0; i < text->len; i++)
        chars += ((unsigned char)text->u.str.ptr[i] & 0xC0) != 0x80;
    if (chars > CDK_ECR_MAX_LIFECYCLE_TEXT) {
        const char *m = cdk_sprintf(app, "The lifecycle policy text is %zu characters long; ECR accepts at most %d",
                                    chars, CDK_ECR_MAX_LIFECYCLE_TEXT);
        return m ? cdk_strlist_push(app, errs, m) : cdk_oom(app);
    }
    return CDK_OK;
}
