/* fuzz_token.c: libFuzzer target for token encoding and resolution (token.c, resolve.c). The
 * input is a string in which bytes 0x01-0x05 stand for the encodings of a few real tokens (a
 * pseudo parameter, a Ref, a Fn::Join, a list token's element, a number token); the rest are
 * literal bytes, so random and half-formed "${Token[...]}" markers come in too. The string is
 * scanned, split, resolved alone, in a list, in a Fn::Join and through Fn::Split/Fn::Select, and
 * written as JSON. Errors (unknown token keys) are fine; crashes, leaks and hangs are not. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cdk_core.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void resolve_write(cdk_node *stack, cdk_value *v)
{
    cJSON *j = NULL;
    if (v == NULL)
        return;
    if (cdk_resolve_in(stack, v, &j) == CDK_OK && j) {
        cdk_buf b = {0};
        cdk_json_write(&b, j, 1);
        cdk_buf_free(&b);
    }
    cJSON_Delete(j);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 65536)
        return 0;
    cdk_app_opts o = {0};
    o.context_json = "";
    o.outdir = "fuzz.out";
    cdk_app *app = cdk_app_new(&o);
    if (app == NULL)
        return 0;
    cdk_node *stack = NULL;
    cdk_stack_props sp = {0};
    sp.termination_protection = -1;
    if (cdk_stack_new(cdk_app_root(app), "S", &sp, &stack) != CDK_OK)
        goto done;

    /* the real tokens and their encodings */
    cdk_value *region = cdk_aws_pseudo(app, "AWS::Region");
    cdk_value *ref = cdk_fn_ref(app, cdk_str(app, "Thing"));
    cdk_value *parts = cdk_list(app);
    if (region == NULL || ref == NULL || parts == NULL || cdk_list_push(app, parts, region) != CDK_OK ||
        cdk_list_push(app, parts, cdk_str(app, "x")) != CDK_OK)
        goto done;
    cdk_value *joined = cdk_fn_join(app, "-", parts);
    cdk_value *split = cdk_fn_split(app, ",", ref);
    cdk_token *numtok = cdk_token_intrinsic(app, cdk_fn_ref(app, cdk_str(app, "Count")), NULL);
    if (joined == NULL || split == NULL || numtok == NULL)
        goto done;
    char number[40];
    cdk_js_number(cdk_token_num(app, numtok), number);
    const char *enc[5] = {cdk_value_str(region), cdk_value_str(ref), cdk_value_str(joined),
                          split->kind == CDK_LIST && split->len == 1 ? cdk_value_str(split->u.list.items[0]) : "",
                          number};

    cdk_buf s = {0};
    for (size_t i = 0; i < size; i++) {
        if (data[i] >= 1 && data[i] <= 5 && enc[data[i] - 1])
            cdk_buf_adds(&s, enc[data[i] - 1]);
        else
            cdk_buf_add(&s, (const char *)data + i, 1);
    }
    if (s.oom)
        goto freebuf;
    const char *str = s.data ? s.data : "";

    (void)cdk_str_is_unresolved(str, s.len);
    (void)cdk_token_of_str(app, str, s.len);
    cdk_fragment *frags;
    size_t nfrags;
    (void)cdk_str_split(app, str, s.len, &frags, &nfrags);

    cdk_value *v = cdk_strn(app, str, s.len);
    resolve_write(stack, v);
    cdk_value *raw = cdk_strn(app, (const char *)data, size);
    resolve_write(stack, raw);
    cdk_value *list = cdk_list(app);
    if (v && raw && list && cdk_list_push(app, list, v) == CDK_OK && cdk_list_push(app, list, raw) == CDK_OK &&
        cdk_list_push(app, list, joined) == CDK_OK) {
        resolve_write(stack, list);
        resolve_write(stack, cdk_fn_join(app, size ? (const char *)"/" : "", list));
        cdk_value *sp2 = cdk_fn_split(app, ":", v);
        resolve_write(stack, sp2);
        if (sp2)
            resolve_write(stack, cdk_fn_select(app, (int)(size % 3), sp2));
    }
    if (size >= 8) {
        double d;
        memcpy(&d, data, sizeof d);
        (void)cdk_num_is_token(d);
        (void)cdk_token_of_num(app, d);
        resolve_write(stack, cdk_num(app, d));
    }
freebuf:
    cdk_buf_free(&s);
done:
    cdk_app_free(app);
    return 0;
}
