/* fuzz_context.c: libFuzzer target for context parsing: the input is CDK_CONTEXT_JSON (and,
 * after a NUL byte, the App's own context). A new App either refuses it (not JSON, not an
 * object) or takes it; then a stack with a resource is rendered and synthesized, which reads
 * the context keys the core honours (stackResourceLimit, path metadata, logical-ID metadata,
 * feature flags). Each run synthesizes into its own scratch folder, removed afterwards. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cdk_internal.h" /* cdk_fs_remove_tree */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char outdir[64];
    if (outdir[0] == '\0')
        snprintf(outdir, sizeof outdir, "/tmp/lua-cdk-fuzz-context-%ld.out", (long)getpid());
    char *text = malloc(size + 2);
    if (text == NULL)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    text[size + 1] = '\0';
    size_t first = strlen(text);
    cdk_app_opts o = {0};
    o.context_json = text;
    o.props_context_json = first < size ? text + first + 1 : NULL;
    o.outdir = outdir;
    cdk_app *app = cdk_app_new(&o);
    if (app == NULL) {
        free(text);
        return 0;
    }
    cdk_node *root = cdk_app_root(app), *stack = NULL, *res = NULL;
    cJSON *ctx = cdk_app_context(app);
    for (const cJSON *c = ctx ? ctx->child : NULL; c; c = c->next)
        if (cdk_node_try_get_context(root, c->string) == NULL)
            abort(); /* a key of the context must be found */
    cdk_stack_props sp = {0};
    sp.termination_protection = -1;
    if (cdk_stack_new(root, "S", &sp, &stack) == CDK_OK &&
        cdk_cfn_resource_new(stack, "Res", "A::B::C", NULL, NULL, NULL, &res) == CDK_OK) {
        cJSON *tpl = NULL;
        if (cdk_stack_to_json(stack, &tpl) == CDK_OK) {
            cdk_buf b = {0};
            cdk_json_write(&b, tpl, 1);
            cdk_buf_free(&b);
        }
        cJSON_Delete(tpl);
        cdk_assembly *as = NULL;
        (void)cdk_app_synth(app, &as);
    }
    cdk_app_free(app);
    cdk_fs_remove_tree(outdir);
    free(text);
    return 0;
}
