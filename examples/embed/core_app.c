/* examples/embed/core_app.c: the README's app written in C against lua-cdk's C API alone
 * (csrc/core/cdk_core.h, csrc/ecr/cdk_ecr.h and csrc/iam/cdk_iam.h), with no Lua: it writes the cloud assembly that
 * examples/readme.lua writes. Everything it makes lives in the App's arena, freed with the App.
 *     core-app [OUTDIR]        (`make embed` builds $(BUILD)/embed/core-app) */
#include <stdio.h>

#include "cdk_core.h"
#include "cdk_ecr.h"
#include "cdk_iam.h"

/* Every failing call leaves its message (CDK's wording) in the App. */
static int fail(cdk_app *app)
{
    fprintf(stderr, "core-app: %s\n", cdk_app_errmsg(app));
    cdk_app_free(app);
    return 1;
}

int main(int argc, char **argv)
{
    static const char *prod[] = {"prod"};
    cdk_app_opts opts = {0};
    cdk_ecr_repository_props props = {0};
    cdk_ecr_lifecycle_rule keep = {0}, expire = {0};
    cdk_output_props output = {0};
    cdk_iam_user_props user = {0};
    cdk_iam_grant *grant;
    cdk_node *stack, *repo, *ci, *out;
    cdk_value *uri;
    cdk_assembly *assembly;
    cdk_app *app;

    opts.outdir = argc > 1 ? argv[1] : NULL; /* NULL: $CDK_OUTDIR, else cdk.out */
    app = cdk_app_new(&opts);
    if (app == NULL) {
        fprintf(stderr, "core-app: out of memory\n");
        return 1;
    }
    if (cdk_stack_new(cdk_app_root(app), "Images", NULL, &stack) != CDK_OK)
        return fail(app);

    props.image_scan_on_push = 1;
    if (cdk_ecr_repository_new(stack, "Repository", &props, &repo) != CDK_OK)
        return fail(app);

    keep.tag_prefix_list = prod;
    keep.ntag_prefix = 1;
    keep.has_count = 1;
    keep.max_image_count = 9999;
    if (cdk_ecr_add_lifecycle_rule(repo, &keep) != CDK_OK)
        return fail(app);
    expire.has_age = 1;
    if (cdk_duration_make(app, 30, CDK_DAYS, &expire.max_image_age) != CDK_OK ||
        cdk_ecr_add_lifecycle_rule(repo, &expire) != CDK_OK)
        return fail(app);

    /* a CI user that may log in to ECR and push and pull the repository's images */
    if (cdk_iam_user_new(stack, "CiUser", &user, &ci) != CDK_OK ||
        cdk_ecr_auth_token_grant_read(app, &cdk_iam_identity_of(ci)->principal, 0) != CDK_OK ||
        cdk_ecr_grant_pull_push(repo, &cdk_iam_identity_of(ci)->principal, &grant) != CDK_OK)
        return fail(app);

    if (cdk_ecr_uri_for_tag(repo, NULL, &uri) != CDK_OK)
        return fail(app);
    output.value = uri;
    if (cdk_cfn_output_new(stack, "RepositoryUri", &output, &out) != CDK_OK)
        return fail(app);

    if (cdk_app_synth(app, &assembly) != CDK_OK)
        return fail(app);
    printf("synthesized %s (%zu stack)\n", assembly->directory, assembly->nstacks);
    cdk_app_free(app);
    return 0;
}
