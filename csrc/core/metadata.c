/* metadata.c: the AWS::CDK::Metadata resource that CDK v1 adds to each stack when version
 * reporting is on (the context "aws:cdk:version-reporting", which the CDK CLI sets, or a stack's
 * analytics_reporting): a "CDKMetadata" construct with a "Default" CfnResource whose Analytics
 * property lists the stack's construct types, prefix-encoded and gzipped as CDK does, and, in an
 * environment-agnostic stack, the "CDKMetadataAvailable" condition over the regions that have
 * the metadata service.
 *
 * The Analytics text is the same as CDK's for the same constructs and runtime (JSII_AGENT, else
 * the runtime the binding names); its gzip holds stored (uncompressed) deflate blocks, which
 * decode to that text, where Node's zlib would compress it. */
#include <stdlib.h>
#include <string.h>

#include "cdk_internal.h"

/* The regions where RegionInfo says cdkMetadataResourceAvailable (region-info 1.204.0), in
 * RegionInfo.regions order. */
static const char *const metadata_regions[] = {
    "af-south-1", "ap-east-1", "ap-northeast-1", "ap-northeast-2", "ap-south-1", "ap-southeast-1",
    "ap-southeast-2", "ca-central-1", "cn-north-1", "cn-northwest-1", "eu-central-1", "eu-north-1",
    "eu-south-1", "eu-west-1", "eu-west-2", "eu-west-3", "me-south-1", "sa-east-1", "us-east-1",
    "us-east-2", "us-west-1", "us-west-2", NULL,
};

/* The construct types CDK reports (jsii fqns of its own libraries). */
static const char *const allowed_prefixes[] = {
    "@aws-cdk/", "@aws-cdk-containers/", "@aws-solutions-konstruk/", "@aws-solutions-constructs/",
    "@amzn/", "aws-rfdk.", "aws-cdk-lib.", "monocdk.", NULL,
};

int cdk_metadata_region_available(const char *region)
{
    for (const char *const *r = metadata_regions; *r; r++)
        if (strcmp(*r, region) == 0)
            return 1;
    return 0;
}

/* ---- the prefix-encoded list ---- */

/* A trie of FQN pieces, children in insertion order. */
typedef struct trie {
    const char *key;
    size_t keylen;
    struct trie *first, *last, *next;
    size_t n;
} trie;

static trie *trie_child(cdk_app *app, trie *t, const char *key, size_t len)
{
    for (trie *c = t->first; c; c = c->next)
        if (c->keylen == len && memcmp(c->key, key, len) == 0)
            return c;
    trie *c = cdk_alloc(app, sizeof *c);
    if (c == NULL)
        return NULL;
    memset(c, 0, sizeof *c);
    c->key = key;
    c->keylen = len;
    if (t->last)
        t->last->next = c;
    else
        t->first = c;
    t->last = c;
    t->n++;
    return c;
}

static int is_alnum(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* "version!fqn" split after each character that is not a letter or digit. */
static int trie_insert(cdk_app *app, trie *t, const char *s)
{
    const char *start = s;
    for (const char *p = s;; p++) {
        if (*p == '\0' || !is_alnum(*p)) {
            size_t len = (size_t)(p - start) + (*p ? 1 : 0);
            if ((t = trie_child(app, t, start, len)) == NULL)
                return cdk_oom(app);
            if (*p == '\0')
                return CDK_OK;
            start = p + 1;
        }
    }
}

static void trie_encode(const trie *t, cdk_buf *b)
{
    for (const trie *c = t->first; c; c = c->next) {
        if (c != t->first)
            cdk_buf_adds(b, ",");
        cdk_buf_add(b, c->key, c->keylen);
        if (c->n > 1) {
            cdk_buf_adds(b, "{");
            trie_encode(c, b);
            cdk_buf_adds(b, "}");
        } else {
            trie_encode(c, b);
        }
    }
}

/* ---- gzip (stored blocks) and base64 ---- */

static unsigned long crc32_of(const unsigned char *p, size_t n)
{
    unsigned long crc = 0xFFFFFFFFUL;
    for (size_t i = 0; i < n; i++) {
        crc ^= p[i];
        for (int k = 0; k < 8; k++)
            crc = (crc >> 1) ^ (0xEDB88320UL & (0UL - (crc & 1UL)));
    }
    return crc ^ 0xFFFFFFFFUL;
}

static void put_le(cdk_buf *b, unsigned long v, int bytes)
{
    for (int i = 0; i < bytes; i++) {
        char c = (char)((v >> (8 * i)) & 0xFF);
        cdk_buf_add(b, &c, 1);
    }
}

/* RFC 1952 member: mtime 0 and OS "unknown" (255), as CDK sets them. */
static void gzip_stored(const unsigned char *data, size_t n, cdk_buf *b)
{
    static const char header[10] = {'\x1f', '\x8b', 8, 0, 0, 0, 0, 0, 0, '\xff'};
    cdk_buf_add(b, header, sizeof header);
    size_t off = 0;
    do {
        size_t len = n - off > 65535 ? 65535 : n - off;
        char final = off + len == n ? 1 : 0;
        cdk_buf_add(b, &final, 1);
        put_le(b, (unsigned long)len, 2);
        put_le(b, (unsigned long)(~len & 0xFFFF), 2);
        cdk_buf_add(b, (const char *)data + off, len);
        off += len;
    } while (off < n);
    put_le(b, crc32_of(data, n), 4);
    put_le(b, (unsigned long)(n & 0xFFFFFFFFUL), 4);
}

static void base64(const unsigned char *p, size_t n, cdk_buf *b)
{
    static const char abc[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (size_t i = 0; i < n; i += 3) {
        unsigned long v = (unsigned long)p[i] << 16;
        if (i + 1 < n)
            v |= (unsigned long)p[i + 1] << 8;
        if (i + 2 < n)
            v |= p[i + 2];
        char out[4] = {abc[(v >> 18) & 63], abc[(v >> 12) & 63], i + 1 < n ? abc[(v >> 6) & 63] : '=',
                       i + 2 < n ? abc[v & 63] : '='};
        cdk_buf_add(b, out, 4);
    }
}

/* ---- the analytics of a stack ---- */

typedef struct infos {
    cdk_app *app;
    trie root;
    const char **seen; /* "version!fqn" already inserted */
    size_t nseen, cap;
} infos;

static int add_info(infos *in, const char *fqn, const char *version)
{
    cdk_app *app = in->app;
    const char *entry = cdk_sprintf(app, "%s!%s", version, fqn);
    if (entry == NULL)
        return cdk_oom(app);
    for (size_t i = 0; i < in->nseen; i++)
        if (strcmp(in->seen[i], entry) == 0)
            return CDK_OK;
    if (in->nseen == in->cap) {
        size_t cap = in->cap ? in->cap * 2 : 16;
        const char **seen = cdk_alloc(app, cap * sizeof *seen);
        if (seen == NULL)
            return cdk_oom(app);
        if (in->nseen)
            memcpy(seen, in->seen, in->nseen * sizeof *seen);
        in->seen = seen;
        in->cap = cap;
    }
    in->seen[in->nseen++] = entry;
    return trie_insert(app, &in->root, entry);
}

/* The constructs of the stack, itself first, not entering other stacks. */
static int collect(infos *in, cdk_node *n)
{
    const char *fqn = n->cls->fqn ? n->cls->fqn : "@aws-cdk/core.Construct";
    for (const char *const *p = allowed_prefixes; *p; p++) {
        if (strncmp(fqn, *p, strlen(*p)) == 0) {
            int rc = add_info(in, fqn, CDK_REFERENCE_VERSION);
            if (rc != CDK_OK)
                return rc;
            break;
        }
    }
    for (cdk_node *c = n->first_child; c; c = c->next_sibling) {
        if (c->is_stack)
            continue;
        int rc = collect(in, c);
        if (rc != CDK_OK)
            return rc;
    }
    return CDK_OK;
}

/* The runtime CDK reports: $JSII_AGENT, else the App's runtime, with CDK's sanitizing. */
static const char *runtime_agent(cdk_app *app)
{
    const char *agent = getenv("JSII_AGENT");
    if (agent == NULL || *agent == '\0')
        agent = app->runtime_agent ? app->runtime_agent : "c/unknown";
    char *s = cdk_strdup(app, agent);
    if (s == NULL)
        return NULL;
    for (char *p = s; *p; p++)
        if (!is_alnum(*p) && !strchr(".-/=_", *p))
            *p = '-';
    return s;
}

int cdk_metadata_analytics(cdk_node *stack, cdk_buf *out)
{
    cdk_app *app = stack->app;
    infos in;
    memset(&in, 0, sizeof in);
    in.app = app;
    int rc = collect(&in, stack);
    if (rc != CDK_OK)
        return rc;
    const char *agent = runtime_agent(app);
    if (agent == NULL || (rc = add_info(&in, "jsii-runtime.Runtime", agent)) != CDK_OK)
        return agent ? rc : cdk_oom(app);
    cdk_buf plain = {0}, gz = {0};
    trie_encode(&in.root, &plain);
    gzip_stored((const unsigned char *)(plain.data ? plain.data : ""), plain.len, &gz);
    cdk_buf_adds(out, "v2:deflate64:");
    base64((const unsigned char *)gz.data, gz.len, out);
    rc = plain.oom || gz.oom || out->oom ? cdk_oom(app) : CDK_OK;
    cdk_buf_free(&plain);
    cdk_buf_free(&gz);
    return rc;
}

static int produce_analytics(cdk_rctx *ctx, void *ud, cdk_value **out)
{
    cdk_buf b = {0};
    int rc = cdk_metadata_analytics(ud, &b);
    if (rc == CDK_OK && (*out = cdk_strn(ctx->app, b.data, b.len)) == NULL)
        rc = cdk_oom(ctx->app);
    cdk_buf_free(&b);
    return rc;
}

/* ---- injection ---- */

/* Fn.conditionOr over the regions, in groups of 10 as CDK nests them. */
static cdk_value *available_condition(cdk_app *app)
{
    cdk_value *items = cdk_list(app);
    cdk_value *region = cdk_aws_pseudo(app, "AWS::Region");
    for (const char *const *r = metadata_regions; items && *r; r++) {
        cdk_value *args = cdk_list(app);
        if (args == NULL || cdk_list_push(app, args, region) != CDK_OK ||
            cdk_list_push(app, args, cdk_str_ref(app, *r)) != CDK_OK ||
            cdk_list_push(app, items, cdk_fn_intrinsic1(app, "Fn::Equals", args)) != CDK_OK)
            return NULL;
    }
    while (items && items->len > 1) {
        cdk_value *groups = cdk_list(app);
        size_t len = items->len;
        for (size_t i = 0; groups && i < len; i += 10) {
            cdk_value *group = cdk_list(app);
            for (size_t k = i; group && k < len && k < i + 10; k++)
                if (cdk_list_push(app, group, items->u.list.items[k]) != CDK_OK)
                    group = NULL;
            if (group == NULL || cdk_list_push(app, groups, cdk_fn_intrinsic1(app, "Fn::Or", group)) != CDK_OK)
                groups = NULL;
        }
        items = groups;
    }
    return items ? items->u.list.items[0] : NULL;
}

static int inject(cdk_node *stack)
{
    cdk_app *app = stack->app;
    if (cdk_node_find_child(stack, "CDKMetadata"))
        return CDK_OK;
    cdk_stack *st = cdk_stack_of_node(stack);
    int agnostic = cdk_is_unresolved(st->region);
    cdk_node *md, *res, *cond;
    int rc = cdk_node_new(stack, "CDKMetadata", &cdk_construct_class, 0, &md);
    if (rc != CDK_OK || !(agnostic || cdk_metadata_region_available(st->region->u.str.ptr)))
        return rc;
    cdk_value *props = cdk_map(app);
    cdk_token *t = cdk_token_lazy(app, produce_analytics, stack, 1, 's');
    if (props == NULL || t == NULL || cdk_map_set(app, props, "Analytics", cdk_token_strv(app, t)) != CDK_OK)
        return cdk_oom(app);
    if ((rc = cdk_cfn_resource_new(md, "Default", "AWS::CDK::Metadata", NULL, props, NULL, &res)) != CDK_OK)
        return rc;
    if (!agnostic)
        return CDK_OK;
    cdk_value *expr = available_condition(app);
    if (expr == NULL)
        return cdk_oom(app);
    if ((rc = cdk_cfn_condition_new(md, "Condition", expr, &cond)) != CDK_OK ||
        (rc = cdk_element_override_logical_id(cond, "CDKMetadataAvailable")) != CDK_OK)
        return rc;
    cdk_resource_of(res)->condition = cond;
    return CDK_OK;
}

static int inject_node(cdk_node *n, void *ud)
{
    (void)ud;
    if (!n->is_stack || !cdk_stack_of_node(n)->version_reporting)
        return CDK_OK;
    return inject(n);
}

int cdk_inject_metadata_resources(cdk_app *app)
{
    return cdk_walk(app->root, 0, inject_node, NULL);
}
