/* fs.c: writing the cloud assembly safely: into a temporary sibling folder that is renamed into
 * place, replacing only an earlier assembly (a folder with manifest.json), an empty folder, or
 * one holding only the AWS CDK CLI's lock files (it creates cdk.out/synth.lock before running
 * the app). A failed synthesis never leaves a half-written assembly and never touches unrelated
 * files. */
#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cdk_internal.h"

int cdk_write_file(cdk_app *app, const char *dir, const char *name, const char *data, size_t len)
{
    char *path = cdk_sprintf(app, "%s/%s", dir, name);
    if (path == NULL)
        return cdk_oom(app);
    FILE *f = fopen(path, "wb");
    if (f == NULL)
        return cdk_fail(app, CDK_EIO, "cannot write %s: %s", path, strerror(errno));
    size_t w = len ? fwrite(data, 1, len, f) : 0;
    int err = ferror(f);
    if (fclose(f) != 0 || w != len || err)
        return cdk_fail(app, CDK_EIO, "cannot write %s: %s", path, strerror(errno ? errno : EIO));
    return CDK_OK;
}

int cdk_ofile_open(cdk_app *app, const char *dir, const char *name, cdk_ofile *o)
{
    memset(o, 0, sizeof *o);
    if ((o->path = cdk_sprintf(app, "%s/%s", dir, name)) == NULL)
        return cdk_oom(app);
    if ((o->f = fopen(o->path, "wb")) == NULL)
        return cdk_fail(app, CDK_EIO, "cannot write %s: %s", o->path, strerror(errno));
    return CDK_OK;
}

int cdk_ofile_flush(cdk_app *app, cdk_ofile *o, int close)
{
    int rc = CDK_OK;
    if (o->buf.oom) {
        rc = cdk_oom(app);
    } else if (o->f && o->buf.len && fwrite(o->buf.data, 1, o->buf.len, o->f) != o->buf.len) {
        rc = cdk_fail(app, CDK_EIO, "cannot write %s: %s", o->path, strerror(errno ? errno : EIO));
    }
    o->buf.len = 0;
    if (close || rc != CDK_OK) {
        if (o->f && fclose(o->f) != 0 && rc == CDK_OK)
            rc = cdk_fail(app, CDK_EIO, "cannot write %s: %s", o->path, strerror(errno ? errno : EIO));
        o->f = NULL;
        cdk_buf_free(&o->buf);
    }
    return rc;
}

void cdk_fs_remove_tree(const char *dir)
{
    DIR *d = opendir(dir);
    if (d == NULL) {
        unlink(dir);
        return;
    }
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        size_t n = strlen(dir) + strlen(e->d_name) + 2;
        char *p = malloc(n);
        if (p == NULL)
            continue;
        snprintf(p, n, "%s/%s", dir, e->d_name);
        struct stat st;
        if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode))
            cdk_fs_remove_tree(p);
        else
            unlink(p);
        free(p);
    }
    closedir(d);
    rmdir(dir);
}

/* The AWS CDK CLI's lock files in an assembly folder: synth.lock (the writer, created before it
 * runs the app) and read.<pid>.<n>.lock (readers). */
static int is_cli_lock(const char *name)
{
    size_t n = strlen(name);
    if (strcmp(name, "synth.lock") == 0)
        return 1;
    return n > 10 && strncmp(name, "read.", 5) == 0 && strcmp(name + n - 5, ".lock") == 0;
}

static int dir_state(const char *dir)
{
    /* 0: missing, 1: empty folder (or only CLI locks), 2: an assembly, 3: something else */
    struct stat st;
    if (stat(dir, &st) != 0)
        return 0;
    if (!S_ISDIR(st.st_mode))
        return 3;
    DIR *d = opendir(dir);
    if (d == NULL)
        return 3;
    int any = 0, manifest = 0, locks = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        if (is_cli_lock(e->d_name)) {
            locks = 1;
            continue;
        }
        any = 1;
        if (strcmp(e->d_name, "manifest.json") == 0)
            manifest = 1;
    }
    closedir(d);
    if (!any)
        return locks ? 2 : 1;
    return manifest ? 2 : 3;
}

/* Moves the CLI's lock files from the folder being replaced into the new assembly, so that the
 * CLI still holds its lock while it reads the assembly the app wrote. Best effort: a lock that
 * cannot be moved is left to the CLI, which tolerates a missing one. */
static void carry_cli_locks(cdk_app *app, const char *from, const char *to)
{
    DIR *d = opendir(from);
    if (d == NULL)
        return;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (!is_cli_lock(e->d_name))
            continue;
        char *src = cdk_sprintf(app, "%s/%s", from, e->d_name);
        char *dst = cdk_sprintf(app, "%s/%s", to, e->d_name);
        if (src != NULL && dst != NULL)
            rename(src, dst);
    }
    closedir(d);
}

/* Creates the folders above path that are missing, as CDK's mkdirSync(outdir, {recursive}). */
static int make_parents(cdk_app *app, const char *path)
{
    char *p = cdk_sprintf(app, "%s", path);
    if (p == NULL)
        return cdk_oom(app);
    char *slash = strrchr(p, '/');
    if (slash == NULL || slash == p)
        return CDK_OK;
    *slash = '\0';
    for (char *c = p + 1; ; c++) {
        if (*c == '/' || *c == '\0') {
            char saved = *c;
            *c = '\0';
            if (mkdir(p, 0777) != 0 && errno != EEXIST)
                return cdk_fail(app, CDK_EIO, "cannot create the folder '%s': %s", p, strerror(errno));
            *c = saved;
            if (saved == '\0')
                break;
        }
    }
    return CDK_OK;
}

int cdk_fs_prepare_outdir(cdk_app *app, const char *outdir, char **tmpdir)
{
    if (dir_state(outdir) == 3)
        return cdk_fail(app, CDK_EIO,
                        "refusing to write the cloud assembly to '%s': it exists and is not a cloud assembly "
                        "(no manifest.json); choose another outdir or remove it",
                        outdir);
    int rc = make_parents(app, outdir);
    if (rc != CDK_OK)
        return rc;
    size_t n = strlen(outdir);
    while (n > 1 && outdir[n - 1] == '/')
        n--;
    char *tmpl = cdk_sprintf(app, "%.*s.tmp-XXXXXX", (int)n, outdir);
    if (tmpl == NULL)
        return cdk_oom(app);
    if (mkdtemp(tmpl) == NULL)
        return cdk_fail(app, CDK_EIO, "cannot create a folder beside '%s': %s", outdir, strerror(errno));
    /* mkdtemp makes it 0700; the assembly is an ordinary folder, as mkdir would make it */
    mode_t mask = umask(0);
    umask(mask);
    chmod(tmpl, 0777 & ~mask);
    *tmpdir = tmpl;
    return CDK_OK;
}

int cdk_fs_commit_outdir(cdk_app *app, const char *tmpdir, const char *outdir)
{
    int state = dir_state(outdir);
    if (state == 3) {
        cdk_fs_remove_tree(tmpdir);
        return cdk_fail(app, CDK_EIO, "refusing to replace '%s': it is not a cloud assembly", outdir);
    }
    if (state == 0 || state == 1) {
        if (state == 1)
            rmdir(outdir);
        if (rename(tmpdir, outdir) != 0) {
            int e = errno;
            cdk_fs_remove_tree(tmpdir);
            return cdk_fail(app, CDK_EIO, "cannot move the cloud assembly to '%s': %s", outdir, strerror(e));
        }
        return CDK_OK;
    }
    size_t n = strlen(outdir);
    while (n > 1 && outdir[n - 1] == '/')
        n--;
    char *old = cdk_sprintf(app, "%.*s.old-XXXXXX", (int)n, outdir);
    if (old == NULL) {
        cdk_fs_remove_tree(tmpdir);
        return cdk_oom(app);
    }
    carry_cli_locks(app, outdir, tmpdir);
    if (mkdtemp(old) == NULL || rmdir(old) != 0 || rename(outdir, old) != 0) {
        int e = errno;
        cdk_fs_remove_tree(tmpdir);
        return cdk_fail(app, CDK_EIO, "cannot replace '%s': %s", outdir, strerror(e));
    }
    if (rename(tmpdir, outdir) != 0) {
        int e = errno;
        rename(old, outdir);
        cdk_fs_remove_tree(tmpdir);
        return cdk_fail(app, CDK_EIO, "cannot move the cloud assembly to '%s': %s", outdir, strerror(e));
    }
    cdk_fs_remove_tree(old);
    return CDK_OK;
}
