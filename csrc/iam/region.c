/* region.c: service principal names as the AWS CDK v1 renders them per region: the region and
 * partition facts of @aws-cdk/region-info (1.204.0), its default rules, and the deploy-time
 * lookup that turns differing per-region values into a pattern ({"Ref": "AWS::URLSuffix"},
 * {"Ref": "AWS::Region"}) or a CfnMapping with Fn::FindInMap. */
#include <stdio.h>
#include <string.h>

#include "cdk_iam.h"

/* Regions and rules in the order the facts were learned (aws-entities.ts). */
static const char *const REGIONS_AND_RULES[] = {
    "us-east-1", "eu-west-1", "us-west-1", "ap-southeast-1", "ap-northeast-1", "us-gov-west-1", "us-west-2",
    "sa-east-1", "ap-southeast-2", "@S3_WEBSITE_REGIONAL_SUBDOMAIN", "cn-north-1", "us-iso-east-1",
    "eu-central-1", "ap-northeast-2", "ap-south-1", "us-east-2", "ca-central-1", "eu-west-2", "us-isob-east-1",
    "cn-northwest-1", "eu-west-3", "ap-northeast-3", "us-gov-east-1", "eu-north-1",
    "@SSM_PRINCIPALS_ARE_REGIONAL", "ap-east-1", "me-south-1", "eu-south-1", "af-south-1", "us-iso-west-1",
    "eu-south-2", "ap-southeast-3", NULL,
};

/* The same regions, sorted (AWS_REGIONS). */
static const char *const REGIONS[] = {
    "af-south-1", "ap-east-1", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-south-1",
    "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ca-central-1", "cn-north-1", "cn-northwest-1",
    "eu-central-1", "eu-north-1", "eu-south-1", "eu-south-2", "eu-west-1", "eu-west-2", "eu-west-3",
    "me-south-1", "sa-east-1", "us-east-1", "us-east-2", "us-gov-east-1", "us-gov-west-1", "us-iso-east-1",
    "us-iso-west-1", "us-isob-east-1", "us-west-1", "us-west-2", NULL,
};

/* Services with built-in facts (AWS_SERVICES). */
static const char *const SERVICES[] = {"application-autoscaling", "autoscaling", "codedeploy", "ec2", "events",
                                       "lambda", "logs", "s3", "sns", "sqs", "ssm", "states", NULL};

static int starts_with(const char *s, const char *p)
{
    return strncmp(s, p, strlen(p)) == 0;
}

static const char *partition_of(const char *region)
{
    if (starts_with(region, "cn-"))
        return "aws-cn";
    if (starts_with(region, "us-gov-"))
        return "aws-us-gov";
    if (starts_with(region, "us-isob-"))
        return "aws-iso-b";
    if (starts_with(region, "us-iso-"))
        return "aws-iso";
    return "aws";
}

static const char *domain_suffix(const char *region)
{
    if (starts_with(region, "cn-"))
        return "amazonaws.com.cn";
    if (starts_with(region, "us-isob-"))
        return "sc2s.sgov.gov";
    if (starts_with(region, "us-iso-"))
        return "c2s.ic.gov";
    return "amazonaws.com";
}

static int known_region(const char *region)
{
    for (const char *const *r = REGIONS; *r; r++)
        if (strcmp(*r, region) == 0)
            return 1;
    return 0;
}

static int before_rule(const char *region, const char *rule)
{
    int ri = -1, xi = -1;
    for (int i = 0; REGIONS_AND_RULES[i]; i++) {
        if (strcmp(REGIONS_AND_RULES[i], region) == 0)
            ri = i;
        if (strcmp(REGIONS_AND_RULES[i], rule) == 0)
            xi = i;
    }
    return ri != -1 && ri < xi;
}

/* ^([^.]+)(\.amazonaws\.com(\.cn)?|\.c2s\.ic\.gov|\.sc2s\.sgov\.gov)?$ -> the simple name */
static int simple_name(const char *fqn, char *out, size_t size)
{
    const char *dot = strchr(fqn, '.');
    size_t n = dot ? (size_t)(dot - fqn) : strlen(fqn);
    if (n == 0 || n >= size)
        return 0;
    if (dot && strcmp(dot, ".amazonaws.com") != 0 && strcmp(dot, ".amazonaws.com.cn") != 0 &&
        strcmp(dot, ".c2s.ic.gov") != 0 && strcmp(dot, ".sc2s.sgov.gov") != 0)
        return 0;
    memcpy(out, fqn, n);
    out[n] = '\0';
    return 1;
}

/* Default.servicePrincipal(service, region, urlSuffix) as a string (region and urlSuffix may
 * hold token markers). */
static char *default_principal(cdk_app *app, const char *fqn, const char *region, const char *url)
{
    char s[128];
    if (!simple_name(fqn, s, sizeof s))
        return cdk_strdup(app, fqn);
    enum { UNIVERSAL, PARTITIONAL, REGIONAL, REGIONAL_PARTITIONAL } kind = UNIVERSAL;
    if (starts_with(region, "us-iso-") &&
        (strcmp(s, "cloudhsm") == 0 || strcmp(s, "config") == 0 || strcmp(s, "states") == 0 || strcmp(s, "workspaces") == 0))
        kind = strcmp(s, "states") == 0 ? UNIVERSAL : PARTITIONAL;
    else if (starts_with(region, "us-isob-") && (strcmp(s, "dms") == 0 || strcmp(s, "states") == 0))
        kind = strcmp(s, "states") == 0 ? UNIVERSAL : PARTITIONAL;
    else if (strcmp(s, "ssm") == 0)
        kind = before_rule(region, "@SSM_PRINCIPALS_ARE_REGIONAL") ? UNIVERSAL : REGIONAL;
    else if (strcmp(s, "codedeploy") == 0)
        kind = starts_with(region, "cn-") ? REGIONAL_PARTITIONAL : starts_with(region, "us-iso") ? UNIVERSAL : REGIONAL;
    else if (strcmp(s, "logs") == 0)
        kind = REGIONAL_PARTITIONAL;
    else if (strcmp(s, "states") == 0)
        kind = REGIONAL;
    else if (strcmp(s, "ec2") == 0)
        kind = PARTITIONAL;
    else if (strcmp(s, "elasticmapreduce") == 0)
        kind = starts_with(region, "cn-") ? PARTITIONAL : UNIVERSAL;
    switch (kind) {
    case PARTITIONAL: return cdk_sprintf(app, "%s.%s", s, url);
    case REGIONAL: return cdk_sprintf(app, "%s.%s.amazonaws.com", s, region);
    case REGIONAL_PARTITIONAL: return cdk_sprintf(app, "%s.%s.%s", s, region, url);
    default: return cdk_sprintf(app, "%s.amazonaws.com", s);
    }
}

/* The fact "service-principal:<name>" for a region, or NULL when it is not registered. */
static char *fact(cdk_app *app, const char *fact_service, const char *region)
{
    if (!known_region(region))
        return NULL;
    for (const char *const *sv = SERVICES; *sv; sv++)
        if (strcmp(*sv, fact_service) == 0)
            return default_principal(app, fact_service, region, domain_suffix(region));
    return NULL;
}

static char *replace_all(cdk_app *app, const char *s, const char *pat, const char *rep)
{
    cdk_buf b = {0};
    size_t pl = strlen(pat);
    const char *p = s, *q;
    while ((q = strstr(p, pat)) != NULL) {
        cdk_buf_add(&b, p, (size_t)(q - p));
        cdk_buf_adds(&b, rep);
        p = q + pl;
    }
    cdk_buf_adds(&b, p);
    char *r = b.oom ? NULL : cdk_strdup(app, b.data ? b.data : "");
    cdk_buf_free(&b);
    return r;
}

typedef struct sp_ud {
    cdk_value *service;
    cdk_value *region;   /* the `region` option, or NULL */
} sp_ud;

/* The context's target partitions (*limited 0: every region). CDK's regionalFact refuses a value
 * that is there and no list (null too), naming the key where it means the value. */
static int target_partitions(cdk_node *stack, cdk_app *app, const char *const **out, int *limited)
{
    const cJSON *p = cdk_node_try_get_context(stack, "@aws-cdk/core:target-partitions");
    *limited = 0;
    *out = NULL;
    if (p == NULL)
        return CDK_OK;
    if (!cJSON_IsArray(p))
        return cdk_fail(app, CDK_ESYNTH, "Context value '@aws-cdk/core:target-partitions' should be a list of "
                                         "strings, got: \"@aws-cdk/core:target-partitions\"");
    int n = cJSON_GetArraySize(p);
    const char **l = cdk_alloc(app, (size_t)(n + 1) * sizeof *l);
    if (l == NULL)
        return cdk_oom(app);
    int k = 0;
    for (const cJSON *c = p->child; c; c = c->next)
        if (cJSON_IsString(c))
            l[k++] = c->valuestring;
    *limited = 1;
    *out = l;
    return CDK_OK;
}

static int produce_service(cdk_rctx *ctx, void *ud, cdk_value **out)
{
    sp_ud *u = ud;
    cdk_app *app = ctx->app;
    const char *service = cdk_value_str(u->service);
    const char *url_token = cdk_value_str(cdk_aws_pseudo(app, "AWS::URLSuffix"));
    const char *region_token = cdk_value_str(cdk_aws_pseudo(app, "AWS::Region"));
    if (service == NULL || url_token == NULL || region_token == NULL)
        return cdk_oom(app);
    /* the fact name: the service without .amazonaws.com(.cn) */
    char fs[160];
    snprintf(fs, sizeof fs, "%s", service);
    size_t fl = strlen(fs);
    if (fl > 17 && strcmp(fs + fl - 17, ".amazonaws.com.cn") == 0)
        fs[fl - 17] = '\0';
    else if (fl > 14 && strcmp(fs + fl - 14, ".amazonaws.com") == 0)
        fs[fl - 14] = '\0';
    if (u->region && !cdk_is_unresolved(u->region)) {
        const char *r = cdk_value_str(u->region);
        char *v = fact(app, fs, r);
        if (v == NULL)
            v = default_principal(app, service, r, url_token);
        *out = v ? cdk_str_ref(app, v) : NULL;
        return *out ? CDK_OK : cdk_oom(app);
    }
    cdk_node *stack = ctx->scope ? ctx->scope->stack : NULL;
    if (stack == NULL)
        return cdk_fail(app, CDK_ESYNTH, "a service principal must be resolved in a stack");
    cdk_value *region = cdk_stack_region(stack);
    const char *rs = cdk_value_str(region);
    if (!cdk_is_unresolved(region)) {
        char *v = fact(app, fs, rs);
        if (v == NULL)
            v = default_principal(app, service, rs, url_token);
        *out = v ? cdk_str_ref(app, v) : NULL;
        return *out ? CDK_OK : cdk_oom(app);
    }
    /* deploy-time lookup over the regions that have the fact */
    int limited;
    const char *const *parts;
    int rc = target_partitions(stack, app, &parts, &limited);
    if (rc != CDK_OK)
        return rc;
    const char *regions[64], *values[64];
    size_t n = 0;
    for (const char *const *r = REGIONS; *r && n < 64; r++) {
        char *v = fact(app, fs, *r);
        if (v == NULL)
            continue;
        if (limited) {
            int ok = 0;
            for (const char *const *p = parts; p && *p; p++)
                if (strcmp(*p, partition_of(*r)) == 0)
                    ok = 1;
            if (!ok)
                continue;
        }
        regions[n] = *r;
        values[n] = v;
        n++;
    }
    if (n == 0) {
        char *v = default_principal(app, service, region_token, url_token);
        *out = v ? cdk_str_ref(app, v) : NULL;
        return *out ? CDK_OK : cdk_oom(app);
    }
    /* findValuePattern */
    const char *simplified[64];
    int suffixes_same = 1, all_have_suffix = 1, all_have_region = 1;
    for (size_t i = 0; i < n; i++) {
        simplified[i] = values[i];
        if (strcmp(domain_suffix(regions[i]), domain_suffix(regions[0])) != 0)
            suffixes_same = 0;
        if (strstr(values[i], domain_suffix(regions[i])) == NULL)
            all_have_suffix = 0;
    }
    if (!suffixes_same && all_have_suffix)
        for (size_t i = 0; i < n; i++)
            if ((simplified[i] = replace_all(app, simplified[i], domain_suffix(regions[i]), url_token)) == NULL)
                return cdk_oom(app);
    for (size_t i = 0; i < n; i++)
        if (strstr(simplified[i], regions[i]) == NULL)
            all_have_region = 0;
    if (all_have_region)
        for (size_t i = 0; i < n; i++)
            if ((simplified[i] = replace_all(app, simplified[i], regions[i], region_token)) == NULL)
                return cdk_oom(app);
    int same = 1;
    for (size_t i = 1; i < n; i++)
        if (strcmp(simplified[i], simplified[0]) != 0)
            same = 0;
    if (same) {
        *out = cdk_str_ref(app, simplified[0]);
        return *out ? CDK_OK : cdk_oom(app);
    }
    /* a mapping: ServiceprincipalMap[region][service] */
    char key[160];
    size_t k = 0;
    for (const char *c = fs; *c && k + 1 < sizeof key; c++)
        key[k++] = ((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9')) ? *c : 'x';
    key[k] = '\0';
    cdk_node *mapping = cdk_node_find_child(stack, "Service-principalMap");
    if (mapping == NULL && (rc = cdk_cfn_mapping_new(stack, "Service-principalMap", &mapping)) != CDK_OK)
        return rc;
    for (size_t i = 0; i < n; i++)
        if ((rc = cdk_cfn_mapping_set(mapping, regions[i], key, cdk_str_ref(app, values[i]))) != CDK_OK)
            return rc;
    *out = cdk_cfn_mapping_find(mapping, cdk_aws_pseudo(app, "AWS::Region"), cdk_str(app, key));
    return *out ? CDK_OK : cdk_oom(app);
}

cdk_value *cdk_iam_service_principal_name(cdk_app *app, cdk_value *service, cdk_value *region)
{
    sp_ud *u = cdk_alloc(app, sizeof *u);
    if (u == NULL)
        return NULL;
    u->service = service;
    u->region = region;
    cdk_token *t = cdk_token_lazy(app, produce_service, u, 0, 's');
    if (t == NULL)
        return NULL;
    const char *s = cdk_value_str(service);
    t->hint = s ? s : "TOKEN";
    t->creation_stack = 2;
    return cdk_token_strv(app, t);
}
