/* json.c: JSON text exactly as node's JSON.stringify writes it (the AWS CDK writes templates
 * with JSON.stringify(t, null, 1)): key order kept, numbers in JavaScript's shortest form,
 * strings escaped as JSON.stringify escapes them. cJSON's own printer is not used: it differs. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cdk_internal.h"

size_t cdk_js_length(const char *s, size_t len)
{
    size_t units = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        units += ((c & 0xC0) != 0x80) + (c >= 0xF0);
    }
    return units;
}

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
    if (d > -9007199254740992.0 && d < 9007199254740992.0 && d == (double)(long long)d) {
        /* an integer below 2^53 (the usual case): its digits, without the round-trip search */
        char tmp[24], *p = tmp + sizeof tmp;
        long long v = (long long)d;
        unsigned long long u = v < 0 ? (unsigned long long)-v : (unsigned long long)v;
        *--p = '\0';
        do {
            *--p = (char)('0' + u % 10);
            u /= 10;
        } while (u);
        if (v < 0)
            *--p = '-';
        memcpy(out, p, (size_t)(tmp + sizeof tmp - p));
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

/* Appends to b: the common case (room left) inline, growth through cdk_buf_add. The text is
 * NUL-terminated only at the end of each public call (terminate). */
static void put(cdk_buf *b, const char *s, size_t n)
{
    if (b->len + n < b->cap && !b->oom) {
        memcpy(b->data + b->len, s, n);
        b->len += n;
    } else {
        cdk_buf_add(b, s, n);
    }
}

static void terminate(cdk_buf *b)
{
    if (b->data && b->len < b->cap)
        b->data[b->len] = '\0';
    else
        cdk_buf_add(b, "", 0);
}

/* 1 for the bytes JSON.stringify escapes: control characters, '"' and '\\'. */
static const unsigned char needs_escape[256] = {
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0,
};

static int has_escape8(const char *p)
{
    /* whether any of the eight bytes is a control character, '"' or '\\' (SWAR) */
    const uint64_t ones = 0x0101010101010101ull, high = 0x8080808080808080ull;
    uint64_t w;
    memcpy(&w, p, 8);
    uint64_t q = w ^ (ones * '"'), bs = w ^ (ones * '\\');
    return (((w - ones * 0x20) | (q - ones) | (bs - ones)) & ~w & high) != 0;
}

static void quote(cdk_buf *b, const char *s, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    put(b, "\"", 1);
    size_t i = 0, start = 0;
    for (;;) {
        while (i + 8 <= len && !has_escape8(s + i))
            i += 8;
        if (i < len && i + 8 > len && len >= 8 && !has_escape8(s + len - 8))
            i = len; /* the tail, as the last eight bytes */
        while (i < len && !needs_escape[(unsigned char)s[i]])
            i++;
        if (i >= len)
            break;
        unsigned char c = (unsigned char)s[i];
        const char *esc;
        char u[7];
        if (c == '"')
            esc = "\\\"";
        else if (c == '\\')
            esc = "\\\\";
        else {
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
        put(b, s + start, i - start);
        put(b, esc, strlen(esc));
        start = ++i;
    }
    put(b, s + start, len - start);
    put(b, "\"", 1);
}

void cdk_json_quote(cdk_buf *b, const char *s, size_t len)
{
    quote(b, s, len);
    terminate(b);
}

static void newline(cdk_buf *b, int indent, int depth)
{
    static const char spaces[] = "\n                                                               ";
    size_t n = (size_t)indent * (size_t)depth;
    if (n < sizeof spaces - 1) {
        put(b, spaces, n + 1);
        return;
    }
    put(b, spaces, sizeof spaces - 1);
    n -= sizeof spaces - 2;
    while (n > 0) {
        size_t take = n < sizeof spaces - 2 ? n : sizeof spaces - 2;
        put(b, spaces + 1, take);
        n -= take;
    }
}

static void number(cdk_buf *b, double d)
{
    char num[40];
    cdk_js_number(d, num);
    put(b, num, strlen(num));
}

static void write_value(cdk_buf *b, const cJSON *j, int indent, int depth)
{
    switch (j->type & 0xFF) {
    case cJSON_NULL:
        put(b, "null", 4);
        return;
    case cJSON_False:
        put(b, "false", 5);
        return;
    case cJSON_True:
        put(b, "true", 4);
        return;
    case cJSON_Number:
        if (!isfinite(j->valuedouble)) {
            put(b, "null", 4);
            return;
        }
        number(b, j->valuedouble);
        return;
    case cJSON_String:
        quote(b, j->valuestring ? j->valuestring : "", j->valuestring ? strlen(j->valuestring) : 0);
        return;
    case cJSON_Raw:
        put(b, j->valuestring ? j->valuestring : "null", strlen(j->valuestring ? j->valuestring : "null"));
        return;
    case cJSON_Array:
    case cJSON_Object: {
        int obj = (j->type & 0xFF) == cJSON_Object;
        put(b, obj ? "{" : "[", 1);
        const cJSON *c = j->child;
        int first = 1;
        for (; c; c = c->next) {
            if (!first)
                put(b, ",", 1);
            first = 0;
            if (indent)
                newline(b, indent, depth + 1);
            if (obj) {
                quote(b, c->string ? c->string : "", c->string ? strlen(c->string) : 0);
                put(b, ": ", indent ? 2 : 1);
            }
            write_value(b, c, indent, depth + 1);
        }
        if (!first && indent)
            newline(b, indent, depth);
        put(b, obj ? "}" : "]", 1);
        return;
    }
    default:
        put(b, "null", 4);
    }
}

void cdk_json_newline(cdk_buf *b, int indent, int depth)
{
    newline(b, indent, depth);
    terminate(b);
}

void cdk_json_write_at(cdk_buf *b, const cJSON *j, int indent, int depth)
{
    write_value(b, j, indent, depth);
    terminate(b);
}

void cdk_json_write(cdk_buf *b, const cJSON *j, int indent)
{
    write_value(b, j, indent, 0);
    terminate(b);
}
