/* json.c: JSON text exactly as node's JSON.stringify writes it (the AWS CDK writes templates
 * with JSON.stringify(t, null, 1)): key order kept, numbers in JavaScript's shortest form,
 * strings escaped as JSON.stringify escapes them. cJSON's own printer is not used: it differs. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cdk_core.h"

void cdk_js_number(double d, char *out)
{
    if (isnan(d)) {
        strcpy(out, "NaN");
        return;
    }
    if (isinf(d)) {
        strcpy(out, d < 0 ? "-Infinity" : "Infinity");
        return;
    }
    if (d == 0) {
        strcpy(out, "0");
        return;
    }
    /* shortest round-trip digits */
    char e[40];
    int prec;
    for (prec = 1; prec <= 17; prec++) {
        snprintf(e, sizeof e, "%.*e", prec - 1, d);
        if (strtod(e, NULL) == d)
            break;
    }
    /* e is "-d.ddde+XX" */
    char digits[24];
    int k = 0;
    const char *p = e;
    int neg = 0;
    if (*p == '-') {
        neg = 1;
        p++;
    }
    for (; *p && *p != 'e'; p++)
        if (*p >= '0' && *p <= '9')
            digits[k++] = *p;
    while (k > 1 && digits[k - 1] == '0')
        k--;
    digits[k] = '\0';
    int exp10 = atoi(p + 1);
    int n = exp10 + 1; /* position of the decimal point */
    char *o = out;
    if (neg)
        *o++ = '-';
    if (k <= n && n <= 21) {
        memcpy(o, digits, (size_t)k);
        o += k;
        for (int i = 0; i < n - k; i++)
            *o++ = '0';
    } else if (0 < n && n <= 21) {
        memcpy(o, digits, (size_t)n);
        o += n;
        *o++ = '.';
        memcpy(o, digits + n, (size_t)(k - n));
        o += k - n;
    } else if (-6 < n && n <= 0) {
        *o++ = '0';
        *o++ = '.';
        for (int i = 0; i < -n; i++)
            *o++ = '0';
        memcpy(o, digits, (size_t)k);
        o += k;
    } else {
        *o++ = digits[0];
        if (k > 1) {
            *o++ = '.';
            memcpy(o, digits + 1, (size_t)(k - 1));
            o += k - 1;
        }
        o += sprintf(o, "e%c%d", n - 1 >= 0 ? '+' : '-', abs(n - 1));
    }
    *o = '\0';
}

void cdk_json_quote(cdk_buf *b, const char *s, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    cdk_buf_add(b, "\"", 1);
    size_t run = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        const char *esc = NULL;
        char u[7];
        if (c == '"')
            esc = "\\\"";
        else if (c == '\\')
            esc = "\\\\";
        else if (c < 0x20) {
            switch (c) {
            case '\b': esc = "\\b"; break;
            case '\f': esc = "\\f"; break;
            case '\n': esc = "\\n"; break;
            case '\r': esc = "\\r"; break;
            case '\t': esc = "\\t"; break;
            default:
                u[0] = '\\';
                u[1] = 'u';
                u[2] = '0';
                u[3] = '0';
                u[4] = hex[c >> 4];
                u[5] = hex[c & 15];
                u[6] = '\0';
                esc = u;
            }
        }
        if (esc) {
            if (run)
                cdk_buf_add(b, s + i - run, run);
            run = 0;
            cdk_buf_adds(b, esc);
        } else {
            run++;
        }
    }
    if (run)
        cdk_buf_add(b, s + len - run, run);
    cdk_buf_add(b, "\"", 1);
}

static void newline(cdk_buf *b, int indent, int depth)
{
    char spaces[64];
    cdk_buf_add(b, "\n", 1);
    size_t n = (size_t)indent * (size_t)depth;
    memset(spaces, ' ', sizeof spaces);
    while (n > 0) {
        size_t take = n < sizeof spaces ? n : sizeof spaces;
        cdk_buf_add(b, spaces, take);
        n -= take;
    }
}

static void write_value(cdk_buf *b, const cJSON *j, int indent, int depth)
{
    char num[40];
    switch (j->type & 0xFF) {
    case cJSON_NULL:
        cdk_buf_add(b, "null", 4);
        return;
    case cJSON_False:
        cdk_buf_add(b, "false", 5);
        return;
    case cJSON_True:
        cdk_buf_add(b, "true", 4);
        return;
    case cJSON_Number:
        if (!isfinite(j->valuedouble)) {
            cdk_buf_add(b, "null", 4);
            return;
        }
        cdk_js_number(j->valuedouble, num);
        cdk_buf_adds(b, num);
        return;
    case cJSON_String:
        cdk_json_quote(b, j->valuestring ? j->valuestring : "", j->valuestring ? strlen(j->valuestring) : 0);
        return;
    case cJSON_Raw:
        cdk_buf_adds(b, j->valuestring ? j->valuestring : "null");
        return;
    case cJSON_Array:
    case cJSON_Object: {
        int obj = (j->type & 0xFF) == cJSON_Object;
        cdk_buf_add(b, obj ? "{" : "[", 1);
        const cJSON *c = j->child;
        int first = 1;
        for (; c; c = c->next) {
            if (!first)
                cdk_buf_add(b, ",", 1);
            first = 0;
            if (indent)
                newline(b, indent, depth + 1);
            if (obj) {
                cdk_json_quote(b, c->string ? c->string : "", c->string ? strlen(c->string) : 0);
                cdk_buf_add(b, indent ? ": " : ":", indent ? 2 : 1);
            }
            write_value(b, c, indent, depth + 1);
        }
        if (!first && indent)
            newline(b, indent, depth);
        cdk_buf_add(b, obj ? "}" : "]", 1);
        return;
    }
    default:
        cdk_buf_add(b, "null", 4);
    }
}

void cdk_json_write(cdk_buf *b, const cJSON *j, int indent)
{
    write_value(b, j, indent, 0);
}
