/* fuzz_json.c: libFuzzer target for the JSON writer (json.c). Any JSON text cJSON accepts is
 * written compact and indented as JSON.stringify writes it; the output must parse back and be a
 * fixed point (writing it again gives the same text). Never a crash, never invalid JSON. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cdk_core.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_fixed_point(const cJSON *j, int indent)
{
    cdk_buf a = {0}, b = {0};
    cdk_json_write(&a, j, indent);
    if (a.oom)
        abort();
    cdk_buf_add(&a, "", 0); /* NUL-terminates for cJSON */
    cJSON *back = cJSON_ParseWithLength(a.data ? a.data : "", a.len);
    if (back == NULL)
        abort(); /* the writer wrote something that is not JSON */
    cdk_json_write(&b, back, indent);
    cJSON_Delete(back);
    if (b.oom || b.len != a.len || memcmp(a.data, b.data, b.len) != 0)
        abort(); /* not a fixed point */
    cdk_buf_free(&a);
    cdk_buf_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    cJSON *j = cJSON_ParseWithLength((const char *)data, size);
    if (j == NULL)
        return 0;
    check_fixed_point(j, 0);
    check_fixed_point(j, 1);
    check_fixed_point(j, 2);
    /* strings as JSON.stringify quotes them, raw bytes included */
    cdk_buf q = {0};
    cdk_json_quote(&q, (const char *)data, size);
    cdk_buf_free(&q);
    cJSON_Delete(j);
    return 0;
}
