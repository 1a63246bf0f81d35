/* synthesizer.c: the DefaultStackSynthesizer (@aws-cdk/core:newStyleStackSynthesis): the
 * BootstrapVersion parameter and CheckBootstrapVersion rule it adds, the asset manifest listing
 * the template by its SHA-256, the stack artifact's bootstrap roles and versions. Stacks without
 * the flag use the LegacyStackSynthesizer, which adds nothing; this file never reads templates. */
#include <string.h>

#include "cdk_internal.h"

#define MIN_BOOTSTRAP_STACK_VERSION 6
#define MIN_LOOKUP_ROLE_BOOTSTRAP_STACK_VERSION 8

/* ---- the CheckBootstrapVersion rule ---- */

static int rule_render(cdk_node *n, cdk_rctx *ctx, cJSON *tpl);

static const cdk_class rule_class = {"CfnRule", "@aws-cdk/core.CfnRule", NULL, NULL, rule_render, NULL};

/* Rules.<id>: Fn::Not(Fn::Contains(["1" .. "5"], Ref BootstrapVersion)), CDK's description. */
static int rule_render(cdk_node *n, cdk_rctx *ctx, cJSON *tpl)
{
    (void)ctx;
    cdk_stack *s = n->stack->impl;
    const char *lid, *param;
    int rc = cdk_logical_id(n, &lid);
    if (rc == CDK_OK)
        rc = cdk_logical_id(s->bootstrap_param, &param);
    if (rc != CDK_OK)
        return rc;
    cJSON *def = cJSON_CreateObject();
    cJSON *assertion = cJSON_CreateObject();
    cJSON *versions = cJSON_CreateArray();
    cJSON *ref = cJSON_CreateObject();
    cJSON *contains = cJSON_CreateArray();
    cJSON *inner = cJSON_CreateObject();
    cJSON *not = cJSON_CreateArray();
    cJSON *cond = cJSON_CreateObject();
    if (!def || !assertion || !versions || !ref || !contains || !inner || !not || !cond) {
        cJSON_Delete(def);
        cJSON_Delete(assertion);
        cJSON_Delete(versions);
        cJSON_Delete(ref);
        cJSON_Delete(contains);
        cJSON_Delete(inner);
        cJSON_Delete(not);
        cJSON_Delete(cond);
        return cdk_oom(n->app);
    }
    for (int v = 1; v < MIN_BOOTSTRAP_STACK_VERSION; v++) {
        char num[4] = {(char)('0' + v), '\0'};
        cJSON_AddItemToArray(versions, cJSON_CreateString(num));
    }
    cJSON_AddStringToObject(ref, "Ref", param);
    cJSON_AddItemToArray(contains, versions);
    cJSON_AddItemToArray(contains, ref);
    cJSON_AddItemToObject(inner, "Fn::Contains", contains);
    cJSON_AddItemToArray(not, inner);
    cJSON_AddItemToObject(cond, "Fn::Not", not);
    cJSON_AddItemToObject(assertion, "Assert", cond);
    cJSON_AddStringToObject(assertion, "AssertDescription", "CDK bootstrap stack version 6 required. Please run "
                                                            "'cdk bootstrap' with a recent version of the CDK CLI.");
    cJSON_AddItemToArray(cJSON_AddArrayToObject(def, "Assertions"), assertion);
    return cdk_section_add(n->app, tpl, "Rules", lid, def);
}

/* ---- adding them at synthesis ---- */

static int add_rules(cdk_node *n, void *ud)
{
    (void)ud;
    if (!n->is_stack)
        return CDK_OK;
    cdk_stack *s = n->impl;
    cdk_app *app = n->app;
    /* CDK adds nothing when the stack has a BootstrapVersion child (its own, or one a synthesis
     * before added) */
    if (s->qualifier == NULL || cdk_node_find_child(n, "BootstrapVersion"))
        return CDK_OK;
    cdk_parameter_props p = {0};
    p.type = "AWS::SSM::Parameter::Value<String>";
    p.description = cdk_str(app, "Version of the CDK Bootstrap resources in this environment, automatically "
                                 "retrieved from SSM Parameter Store. [cdk:skip]");
    p.default_value = cdk_str(app, cdk_sprintf(app, "/cdk-bootstrap/%s/version", s->qualifier));
    p.no_echo = -1;
    if (p.description == NULL || p.default_value == NULL)
        return cdk_oom(app);
    int rc = cdk_cfn_parameter_new(n, "BootstrapVersion", &p, &s->bootstrap_param);
    if (rc != CDK_OK)
        return rc;
    cdk_node *rule;
    if ((rc = cdk_node_new(n, "CheckBootstrapVersion", &rule_class, 0, &rule)) != CDK_OK)
        return rc;
    rule->stack = n;
    if ((rule->elem = cdk_alloc(app, sizeof *rule->elem)) == NULL) {
        cdk_node_discard(rule);
        return cdk_oom(app);
    }
    rule->elem->no_logical_id_metadata = cdk_feature_flag(rule, "aws:cdk:disable-logicalId-metadata");
    s->bootstrap_rule = rule;
    return CDK_OK;
}

int cdk_synthesizer_add_bootstrap_rules(cdk_app *app)
{
    return cdk_walk(app->root, 0, add_rules, NULL);
}

int cdk_synthesizer_added(const cdk_node *n)
{
    if (n->stack == NULL || n->parent != n->stack)
        return 0;
    const cdk_stack *s = n->stack->impl;
    return n == s->bootstrap_param || n == s->bootstrap_rule;
}

/* ---- the artifacts ---- */

/* s with every `from` replaced by `to` (JavaScript's split/join); NULL: out of memory. */
static const char *replace_all(cdk_app *app, const char *s, const char *from, const char *to)
{
    cdk_buf b = {0};
    size_t flen = strlen(from);
    for (const char *p; (p = strstr(s, from)) != NULL; s = p + flen) {
        cdk_buf_add(&b, s, (size_t)(p - s));
        cdk_buf_adds(&b, to);
    }
    cdk_buf_adds(&b, s);
    const char *out = b.oom ? NULL : cdk_strdup(app, b.data ? b.data : "");
    cdk_buf_free(&b);
    return out;
}

/* The stack's account or region when it is concrete, else NULL (CDK's resolvedOr). */
static const char *concrete(const cdk_value *v)
{
    return cdk_is_unresolved(v) ? NULL : cdk_value_str(v);
}

/* CDK's StringSpecializer.specialize: the qualifier, then the stack's region and account where
 * they are concrete (the placeholders stay otherwise, and so does ${AWS::Partition}). */
static const char *specialize(cdk_node *stack, const char *pattern)
{
    cdk_stack *s = stack->impl;
    const char *region = concrete(s->region), *account = concrete(s->account);
    const char *r = replace_all(stack->app, pattern, "${Qualifier}", s->qualifier);
    if (r && region)
        r = replace_all(stack->app, r, "${AWS::Region}", region);
    if (r && account)
        r = replace_all(stack->app, r, "${AWS::AccountId}", account);
    return r;
}

static const char *role_arn(cdk_node *stack, const char *role)
{
    const char *pattern = cdk_sprintf(stack->app, "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/cdk-${Qualifier}-%s"
                                                  "-${AWS::AccountId}-${AWS::Region}", role);
    return pattern ? specialize(stack, pattern) : NULL;
}

static const char *ssm_parameter(cdk_node *stack)
{
    return cdk_sprintf(stack->app, "/cdk-bootstrap/%s/version", ((cdk_stack *)stack->impl)->qualifier);
}

static const char *bucket_name(cdk_node *stack)
{
    return specialize(stack, "cdk-${Qualifier}-assets-${AWS::AccountId}-${AWS::Region}");
}

const char *cdk_synthesizer_assets_id(cdk_node *stack)
{
    return cdk_sprintf(stack->app, "%s.assets", ((cdk_stack *)stack->impl)->artifact_id);
}

int cdk_synthesizer_stack_properties(cdk_node *stack, cJSON *props)
{
    cdk_stack *s = stack->impl;
    cdk_app *app = stack->app;
    if (s->qualifier == NULL)
        return CDK_OK;
    const char *deploy = role_arn(stack, "deploy-role"), *exec = role_arn(stack, "cfn-exec-role");
    const char *lookup = role_arn(stack, "lookup-role"), *ssm = ssm_parameter(stack);
    const char *bucket = bucket_name(stack);
    const char *url = bucket ? cdk_sprintf(app, "s3://%s/%s.json", bucket, s->template_sha256) : NULL;
    const char *assets = cdk_synthesizer_assets_id(stack);
    if (!deploy || !exec || !lookup || !ssm || !url || !assets)
        return cdk_oom(app);
    cJSON_AddStringToObject(props, "assumeRoleArn", deploy);
    cJSON_AddStringToObject(props, "cloudFormationExecutionRoleArn", exec);
    cJSON_AddStringToObject(props, "stackTemplateAssetObjectUrl", url);
    cJSON_AddNumberToObject(props, "requiresBootstrapStackVersion", MIN_BOOTSTRAP_STACK_VERSION);
    cJSON_AddStringToObject(props, "bootstrapStackVersionSsmParameter", ssm);
    cJSON_AddItemToArray(cJSON_AddArrayToObject(props, "additionalDependencies"), cJSON_CreateString(assets));
    cJSON *role = cJSON_AddObjectToObject(props, "lookupRole");
    cJSON_AddStringToObject(role, "arn", lookup);
    cJSON_AddNumberToObject(role, "requiresBootstrapStackVersion", MIN_LOOKUP_ROLE_BOOTSTRAP_STACK_VERSION);
    cJSON_AddStringToObject(role, "bootstrapStackVersionSsmParameter", ssm);
    return CDK_OK;
}

int cdk_synthesizer_write_assets(cdk_node *stack, const char *dir, cJSON **artifact)
{
    cdk_stack *s = stack->impl;
    cdk_app *app = stack->app;
    const char *region = concrete(s->region), *account = concrete(s->account);
    const char *file = cdk_sprintf(app, "%s.assets.json", s->artifact_id);
    const char *env = cdk_sprintf(app, "%s-%s", account ? account : "current_account",
                                  region ? region : "current_region");
    const char *key = cdk_sprintf(app, "%s.json", s->template_sha256);
    const char *bucket = bucket_name(stack), *role = role_arn(stack, "file-publishing-role");
    const char *ssm = ssm_parameter(stack);
    if (!file || !env || !key || !bucket || !role || !ssm)
        return cdk_oom(app);

    /* <id>.assets.json: the template, a file asset */
    cJSON *m = cJSON_CreateObject();
    cJSON_AddStringToObject(m, "version", CDK_SCHEMA_VERSION);
    cJSON *asset = cJSON_AddObjectToObject(cJSON_AddObjectToObject(m, "files"), s->template_sha256);
    cJSON *source = cJSON_AddObjectToObject(asset, "source");
    cJSON_AddStringToObject(source, "path", s->template_file);
    cJSON_AddStringToObject(source, "packaging", "file");
    cJSON *dest = cJSON_AddObjectToObject(cJSON_AddObjectToObject(asset, "destinations"), env);
    cJSON_AddStringToObject(dest, "bucketName", bucket);
    cJSON_AddStringToObject(dest, "objectKey", key);
    if (region)
        cJSON_AddStringToObject(dest, "region", region);
    cJSON_AddStringToObject(dest, "assumeRoleArn", role);
    cJSON_AddObjectToObject(m, "dockerImages");
    cdk_buf b = {0};
    cdk_json_write(&b, m, 2);
    int rc = b.oom || dest == NULL || cJSON_GetObjectItemCaseSensitive(m, "dockerImages") == NULL
                 ? cdk_oom(app)
                 : cdk_write_file(app, dir, file, b.data, b.len);
    cdk_buf_free(&b);
    cJSON_Delete(m);
    if (rc != CDK_OK)
        return rc;

    /* its artifact in manifest.json */
    cJSON *a = cJSON_CreateObject();
    cJSON_AddStringToObject(a, "type", "cdk:asset-manifest");
    cJSON *props = cJSON_AddObjectToObject(a, "properties");
    cJSON_AddStringToObject(props, "file", file);
    cJSON_AddNumberToObject(props, "requiresBootstrapStackVersion", MIN_BOOTSTRAP_STACK_VERSION);
    cJSON *last = cJSON_AddStringToObject(props, "bootstrapStackVersionSsmParameter", ssm);
    if (last == NULL) {
        cJSON_Delete(a);
        return cdk_oom(app);
    }
    *artifact = a;
    return CDK_OK;
}
