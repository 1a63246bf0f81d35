/* events.c: the ECR event rules: on_event, on_cloud_trail_event, on_cloud_trail_image_pushed and
 * on_image_scan_completed, with the event patterns the AWS CDK v1 adds. The caller adds the
 * target (which may be written in Lua) where CDK adds it. */
#include "cdk_ecr.h"
#include "cdk_events.h"

/* s: static text (not copied) */
static cdk_value *strlist1(cdk_app *app, const char *s)
{
    cdk_value *l = cdk_list(app);
    if (l == NULL || cdk_list_push(app, l, cdk_str_ref(app, s)) != CDK_OK)
        return NULL;
    return l;
}

static cdk_value *vallist1(cdk_app *app, cdk_value *v)
{
    cdk_value *l = cdk_list(app);
    if (l == NULL || cdk_list_push(app, l, v) != CDK_OK)
        return NULL;
    return l;
}

int cdk_ecr_on_event(cdk_node *repo, const char *id, int kind, const cdk_events_rule_props *props,
                     cdk_value *image_tag, cdk_value *image_tags, cdk_node **out)
{
    cdk_app *app = repo->app;
    cdk_ecr_repository *r = cdk_ecr_repository_of(repo);
    if (r == NULL)
        return cdk_fail(app, CDK_EINVAL, "not a repository");
    cdk_node *rule;
    int rc = cdk_events_rule_new(repo, id, props, &rule);
    if (rc != CDK_OK)
        return rc;
    cdk_value *p = cdk_map(app), *detail = cdk_map(app);
    if (p == NULL || detail == NULL)
        return cdk_oom(app);
    switch (kind) {
    case CDK_ECR_ON_EVENT:
        if (cdk_map_set(app, p, "source", strlist1(app, "aws.ecr")) != CDK_OK ||
            cdk_map_set(app, p, "resources", vallist1(app, r->arn)) != CDK_OK)
            return cdk_oom(app);
        break;
    case CDK_ECR_ON_CLOUD_TRAIL_EVENT:
    case CDK_ECR_ON_CLOUD_TRAIL_IMAGE_PUSHED: {
        cdk_value *req = cdk_map(app);
        if (req == NULL || cdk_map_set(app, req, "repositoryName", vallist1(app, r->name)) != CDK_OK ||
            cdk_map_set(app, detail, "requestParameters", req) != CDK_OK ||
            cdk_map_set(app, p, "source", strlist1(app, "aws.ecr")) != CDK_OK ||
            cdk_map_set(app, p, "detail-type", strlist1(app, "AWS API Call via CloudTrail")) != CDK_OK ||
            cdk_map_set(app, p, "detail", detail) != CDK_OK)
            return cdk_oom(app);
        if (kind == CDK_ECR_ON_CLOUD_TRAIL_IMAGE_PUSHED) {
            if ((rc = cdk_events_rule_add_event_pattern(rule, p)) != CDK_OK)
                return rc;
            cdk_value *p2 = cdk_map(app), *d2 = cdk_map(app), *req2 = cdk_map(app);
            if (p2 == NULL || d2 == NULL || req2 == NULL ||
                cdk_map_set(app, d2, "eventName", strlist1(app, "PutImage")) != CDK_OK ||
                (image_tag && cdk_map_set(app, req2, "imageTag", vallist1(app, image_tag)) != CDK_OK) ||
                cdk_map_set(app, d2, "requestParameters", req2) != CDK_OK || cdk_map_set(app, p2, "detail", d2) != CDK_OK)
                return cdk_oom(app);
            p = p2;
        }
        break;
    }
    case CDK_ECR_ON_IMAGE_SCAN_COMPLETED:
        if (cdk_map_set(app, detail, "repository-name", vallist1(app, r->name)) != CDK_OK ||
            cdk_map_set(app, detail, "scan-status", strlist1(app, "COMPLETE")) != CDK_OK ||
            (image_tags && cdk_map_set(app, detail, "image-tags", image_tags) != CDK_OK) ||
            cdk_map_set(app, p, "source", strlist1(app, "aws.ecr")) != CDK_OK ||
            cdk_map_set(app, p, "detail-type", strlist1(app, "ECR Image Scan")) != CDK_OK ||
            cdk_map_set(app, p, "detail", detail) != CDK_OK)
            return cdk_oom(app);
        break;
    default:
        return cdk_fail(app, CDK_EINVAL, "unknown ECR event kind");
    }
    if ((rc = cdk_events_rule_add_event_pattern(rule, p)) != CDK_OK)
        return rc;
    *out = rule;
    return CDK_OK;
}
