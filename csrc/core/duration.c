/* duration.c: CDK's Duration: units, conversions (with the integral check and its message),
 * ISO 8601 and human forms, sums. Amounts that are number tokens cannot be converted. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cdk_internal.h"

static const struct {
    const char *label, *iso;
    double millis;
} units[] = {
    {"millis", "", 1}, {"seconds", "S", 1000}, {"minutes", "M", 60000}, {"hours", "H", 3600000}, {"days", "D", 86400000},
};

const char *cdk_time_unit_label(cdk_time_unit u) { return units[u].label; }
const char *cdk_time_unit_iso(cdk_time_unit u) { return units[u].iso; }
double cdk_time_unit_millis(cdk_time_unit u) { return units[u].millis; }

int cdk_time_unit_parse(const char *label, cdk_time_unit *out)
{
    for (int i = 0; i < 5; i++) {
        if (strcmp(units[i].label, label) == 0) {
            *out = (cdk_time_unit)i;
            return CDK_OK;
        }
    }
    return CDK_EINVAL;
}

static void fmt_num(double d, char *buf)
{
    cdk_js_number(d, buf);
}

int cdk_duration_make(cdk_app *app, double amount, cdk_time_unit unit, cdk_duration *out)
{
    if (!cdk_num_is_token(amount) && amount < 0) {
        char n[40];
        fmt_num(amount, n);
        return cdk_fail(app, CDK_EINVAL, "Duration amounts cannot be negative. Received: %s", n);
    }
    out->amount = amount;
    out->unit = unit;
    return CDK_OK;
}

static int convert(cdk_app *app, double amount, cdk_time_unit from, cdk_time_unit to, int integral, double *out)
{
    if (units[from].millis == units[to].millis) {
        *out = amount;
        return CDK_OK;
    }
    if (cdk_num_is_token(amount))
        return cdk_fail(app, CDK_EINVAL,
                        "Duration must be specified as 'Duration.%s()' here since its value comes from a token and "
                        "cannot be converted (got Duration.%s)",
                        units[to].label, units[from].label);
    double value = (amount * units[from].millis) / units[to].millis;
    if (integral && !(isfinite(value) && floor(value) == value)) {
        char n[40];
        fmt_num(amount, n);
        return cdk_fail(app, CDK_EINVAL, "'%s %s' cannot be converted into a whole number of %s.", n,
                        units[from].label, units[to].label);
    }
    *out = value;
    return CDK_OK;
}

int cdk_duration_to(cdk_app *app, cdk_duration d, cdk_time_unit unit, int integral, double *out)
{
    return convert(app, d.amount, d.unit, unit, integral, out);
}

static int digits(const char **p, double *v, int *any)
{
    const char *s = *p;
    if (*s < '0' || *s > '9')
        return 0;
    double x = 0;
    while (*s >= '0' && *s <= '9')
        x = x * 10 + (*s++ - '0');
    *v = x;
    *p = s;
    *any = 1;
    return 1;
}

int cdk_duration_parse_iso(cdk_app *app, const char *s, cdk_duration *out)
{
    /* ^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$ */
    const char *p = s;
    double d = 0, h = 0, m = 0, sec = 0, v;
    int any = 0;
    if (*p++ != 'P')
        goto bad;
    const char *save = p;
    if (digits(&p, &v, &any)) {
        if (*p == 'D') {
            d = v;
            p++;
        } else {
            p = save;
            any = 0;
        }
    }
    if (*p == 'T') {
        p++;
        save = p;
        int a2 = 0;
        if (digits(&p, &v, &a2) && *p == 'H') {
            h = v;
            p++;
            any = 1;
        } else {
            p = save;
        }
        save = p;
        a2 = 0;
        if (digits(&p, &v, &a2) && *p == 'M') {
            m = v;
            p++;
            any = 1;
        } else {
            p = save;
        }
        save = p;
        a2 = 0;
        if (digits(&p, &v, &a2) && *p == 'S') {
            sec = v;
            p++;
            any = 1;
        } else {
            p = save;
        }
    }
    if (*p != '\0' || !any)
        goto bad;
    out->amount = sec * 1000 + m * 60000 + h * 3600000 + d * 86400000;
    out->unit = CDK_MILLIS;
    return CDK_OK;
bad:
    return cdk_fail(app, CDK_EINVAL, "Not a valid ISO duration: %s", s);
}

/* [amount, unit] pairs of d, largest first (CDK's components()). */
static int components(cdk_duration d, int combine_millis, double *amounts, cdk_time_unit *us)
{
    double millis = d.amount * units[d.unit].millis;
    int n = 0;
    for (int u = CDK_DAYS; u >= CDK_SECONDS; u--) {
        double count = millis / units[u].millis;
        double whole = (u == CDK_SECONDS && combine_millis) ? count : floor(count);
        if (whole > 0) {
            amounts[n] = whole;
            us[n] = (cdk_time_unit)u;
            n++;
            millis -= whole * units[u].millis;
        }
    }
    if (millis > 0) {
        amounts[n] = millis;
        us[n] = CDK_MILLIS;
        n++;
    }
    return n;
}

int cdk_duration_iso(cdk_app *app, cdk_duration d, char *buf, size_t size)
{
    if (d.amount == 0) {
        snprintf(buf, size, "PT0S");
        return CDK_OK;
    }
    /* CDK converts the amount to millis, then the millis to days: a token fails at one or the other */
    if (cdk_num_is_token(d.amount)) {
        double ignored;
        int rc = convert(app, d.amount, d.unit, CDK_MILLIS, 0, &ignored);
        return rc != CDK_OK ? rc : convert(app, d.amount, CDK_MILLIS, CDK_DAYS, 0, &ignored);
    }
    double amounts[6];
    cdk_time_unit us[6];
    int n = components(d, 1, amounts, us);
    size_t k = (size_t)snprintf(buf, size, "P");
    int tee = 0;
    for (int i = 0; i < n && k < size; i++) {
        char num[40];
        if ((us[i] == CDK_SECONDS || us[i] == CDK_MINUTES || us[i] == CDK_HOURS) && !tee) {
            k += (size_t)snprintf(buf + k, size - k, "T");
            tee = 1;
        }
        fmt_num(amounts[i], num);
        if (k < size)
            k += (size_t)snprintf(buf + k, size - k, "%s%s", num, units[us[i]].iso);
    }
    return CDK_OK;
}

static void fmt_unit(char *buf, size_t size, double amount, cdk_time_unit u)
{
    char num[40];
    fmt_num(amount, num);
    if (amount == 1)
        snprintf(buf, size, "%s %.*s", num, (int)strlen(units[u].label) - 1, units[u].label);
    else
        snprintf(buf, size, "%s %s", num, units[u].label);
}

void cdk_duration_human(cdk_duration d, char *buf, size_t size)
{
    if (d.amount == 0) {
        fmt_unit(buf, size, 0, d.unit);
        return;
    }
    if (cdk_num_is_token(d.amount)) {
        snprintf(buf, size, "<token> %s", units[d.unit].label);
        return;
    }
    double amounts[6];
    cdk_time_unit us[6];
    int n = components(d, 0, amounts, us);
    char a[64] = "", b[64] = "";
    if (n > 0)
        fmt_unit(a, sizeof a, amounts[0], us[0]);
    if (n > 1)
        fmt_unit(b, sizeof b, amounts[1], us[1]);
    snprintf(buf, size, "%s%s%s", a, n > 1 ? " " : "", b);
}

int cdk_duration_plus(cdk_app *app, cdk_duration a, cdk_duration b, int minus, cdk_duration *out)
{
    cdk_time_unit target = units[a.unit].millis < units[b.unit].millis ? a.unit : b.unit;
    double x, y;
    int rc = convert(app, a.amount, a.unit, target, 0, &x);
    if (rc == CDK_OK)
        rc = convert(app, b.amount, b.unit, target, 0, &y);
    if (rc != CDK_OK)
        return rc;
    return cdk_duration_make(app, minus ? x - y : x + y, target, out);
}

void cdk_duration_json(cdk_duration d, cdk_buf *b)
{
    char num[40], ms[40];
    fmt_num(d.amount, num);
    fmt_num(units[d.unit].millis, ms);
    cdk_buf_addf(b, "{\"amount\":%s,\"unit\":{\"label\":\"%s\",\"isoLabel\":\"%s\",\"inMillis\":%s}}", num,
                 units[d.unit].label, units[d.unit].iso, ms);
}
