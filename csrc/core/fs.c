/* fs.c: writing the cloud assembly safely: into a temporary sibling folder that is renamed into
 * place, replacing only an earlier assembly (a folder with manifest.json), an empty folder, or
 * one holding only the AWS CDK CLI's lock files (it creates cdk.out/synth.lock before running
 * the app). A failed synthesis never leaves a half-written assembly and never touches unrelated
 * files. */
#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#if defined(__linux__)
#include <sys/syscall.h>
#endif

#include "cdk_internal.h"

/* Writes len bytes to fd (write may take fewer at a time). 0 on success, else -1 with errno. */
static int write_all(int fd, const char *data, size_t len)
{
    while (len > 0) {
        ssize_t w = write(fd, data, len);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        data += w;
        len -= (size_t)w;
    }
    return 0;
}

/* Plain open/write/close rather than stdio: a whole buffer is written at once, so stdio's buffer
 * (and the fstat it makes to size it) would be spent for nothing on each file of the assembly. */
static int open_for_write(const char *path)
{
    int fd;
    do {
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0666);
    } while (fd < 0 && errno == EINTR);
    return fd;
}

/* Replacing an earlier assembly: a file it holds with the same bytes is taken from it (linked,
 * with fresh times, as a new file has) instead of written anew, and the new assembly's folder is
 * made only once a file differs: a synthesis repeated with no change, the development loop,
 * then leaves the assembly's folder and files in place (their times refreshed) and frees
 * nothing (on a file system that discards freed blocks, freeing a file or a folder waits on the
 * disk). Only a plain file of ours, linked nowhere else, with the mode a new file gets, is
 * taken; and the folder is left in place only when the new assembly has exactly its files. */

static int make_unique_dir(char *path);

/* The path of name in the earlier assembly (malloc'd; NULL: out of memory). */
static char *prev_path(const cdk_app *app, const char *name)
{
    size_t dl = strlen(app->prev_assembly), nl = strlen(name);
    char *old = malloc(dl + nl + 2);
    if (old != NULL) {
        memcpy(old, app->prev_assembly, dl);
        old[dl] = '/';
        memcpy(old + dl + 1, name, nl + 1);
    }
    return old;
}

/* Whether the file at old holds exactly data and may be taken as it is. */
static int unchanged(const cdk_app *app, const char *old, const char *data, size_t len)
{
    int same = 0, fd = open(old, O_RDONLY | O_NOFOLLOW);
    struct stat st;
    if (fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_nlink == 1 && st.st_uid == app->prev_uid &&
        (unsigned)(st.st_mode & 07777) == app->prev_mode && st.st_size >= 0 && (size_t)st.st_size == len) {
        char buf[4096];
        size_t off = 0;
        same = 1;
        while (same && off < len) {
            ssize_t r = read(fd, buf, len - off < sizeof buf ? len - off : sizeof buf);
            if (r < 0 && errno == EINTR)
                continue;
            same = r > 0 && memcmp(buf, data + off, (size_t)r) == 0;
            off += r > 0 ? (size_t)r : 0;
        }
    }
    if (fd >= 0)
        close(fd);
    return same;
}

/* Takes the earlier assembly's file old in as path: a link with fresh times, or a copy where
 * the file system cannot link. */
static int take_unchanged(cdk_app *app, const char *old, const char *path)
{
    if (link(old, path) == 0) {
        utimensat(AT_FDCWD, path, NULL, 0);
        return CDK_OK;
    }
    int in = open(old, O_RDONLY), out = in >= 0 ? open_for_write(path) : -1, err = 0;
    char buf[16384];
    ssize_t r;
    while (out >= 0 && (r = read(in, buf, sizeof buf)) != 0) {
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0 || write_all(out, buf, (size_t)r) != 0) {
            err = errno ? errno : EIO;
            break;
        }
    }
    if (in < 0 || out < 0)
        err = errno ? errno : EIO;
    if (in >= 0)
        close(in);
    if (out >= 0 && close(out) != 0 && err == 0)
        err = errno ? errno : EIO;
    return err ? cdk_fail(app, CDK_EIO, "cannot write %s: %s", path, strerror(err)) : CDK_OK;
}

/* Makes the new assembly's folder, deferred while every file written was the earlier
 * assembly's, and takes those files into it. */
static int materialize(cdk_app *app)
{
    if (!app->tmp_pending)
        return CDK_OK;
    /* (still pending when the folder could not be made: nothing to remove then) */
    if (make_unique_dir(app->tmp_path) != 0)
        return cdk_fail(app, CDK_EIO, "cannot create a folder beside '%s': %s", app->prev_assembly, strerror(errno));
    app->tmp_pending = 0;
    for (size_t i = 0; i < app->kept.len; i++) {
        char *old = prev_path(app, app->kept.items[i]);
        char *path = cdk_sprintf(app, "%s/%s", app->tmp_path, app->kept.items[i]);
        int rc = old && path ? take_unchanged(app, old, path) : cdk_oom(app);
        free(old);
        if (rc != CDK_OK)
            return rc;
    }
    return CDK_OK;
}

int cdk_write_file(cdk_app *app, const char *dir, const char *name, const char *data, size_t len)
{
    int rc;
    if (app->prev_assembly != NULL) {
        char *old = prev_path(app, name);
        if (old == NULL)
            return cdk_oom(app);
        if (unchanged(app, old, data, len)) {
            if (app->tmp_pending) {
                free(old);
                return cdk_strlist_push(app, &app->kept, name);
            }
            char *path = cdk_sprintf(app, "%s/%s", dir, name);
            rc = path ? take_unchanged(app, old, path) : cdk_oom(app);
            free(old);
            return rc;
        }
        free(old);
    }
    if ((rc = materialize(app)) != CDK_OK)
        return rc;
    char *path = cdk_sprintf(app, "%s/%s", dir, name);
    if (path == NULL)
        return cdk_oom(app);
    int fd = open_for_write(path);
    if (fd < 0)
        return cdk_fail(app, CDK_EIO, "cannot write %s: %s", path, strerror(errno));
    int werr = write_all(fd, data, len) != 0 ? errno : 0;
    int cerr = close(fd) != 0 ? errno : 0;
    if (werr || cerr)
        return cdk_fail(app, CDK_EIO, "cannot write %s: %s", path, strerror(werr ? werr : cerr));
    return CDK_OK;
}

/* The file is created at the first flush that writes (a file whole in the buffer when it is
 * closed is written by cdk_write_file, which may take an unchanged one instead). */
int cdk_ofile_open(cdk_app *app, const char *dir, const char *name, cdk_ofile *o)
{
    (void)app;
    memset(o, 0, sizeof *o);
    o->fd = -1;
    o->dir = dir;
    o->name = name;
    o->path = name;
    return CDK_OK;
}

int cdk_ofile_flush(cdk_app *app, cdk_ofile *o, int close_it)
{
    int rc = CDK_OK;
    if (o->buf.oom) {
        rc = cdk_oom(app);
    } else if (o->fd < 0 && !o->opened && close_it) {
        o->opened = 1;
        rc = cdk_write_file(app, o->dir, o->name, o->buf.data ? o->buf.data : "", o->buf.len);
    } else if (o->fd < 0 && !o->opened) {
        /* the folder first (it may be deferred), then the file's path in it */
        o->opened = 1;
        if ((rc = materialize(app)) == CDK_OK &&
            (o->path = cdk_sprintf(app, "%s/%s", o->dir, o->name)) == NULL)
            rc = cdk_oom(app);
        if (rc == CDK_OK && (o->fd = open_for_write(o->path)) < 0)
            rc = cdk_fail(app, CDK_EIO, "cannot write %s: %s", o->path, strerror(errno));
    }
    if (rc == CDK_OK && o->fd >= 0 && o->buf.len && write_all(o->fd, o->buf.data, o->buf.len) != 0)
        rc = cdk_fail(app, CDK_EIO, "cannot write %s: %s", o->path, strerror(errno ? errno : EIO));
    o->buf.len = 0;
    if (close_it || rc != CDK_OK) {
        if (o->fd >= 0 && close(o->fd) != 0 && rc == CDK_OK)
            rc = cdk_fail(app, CDK_EIO, "cannot write %s: %s", o->path, strerror(errno ? errno : EIO));
        o->fd = -1;
        cdk_buf_free(&o->buf);
    }
    return rc;
}

/* Files are unlinked relative to their folder (no path to build and walk again for each), and a
 * folder entry's type comes from readdir where the file system gives it (no lstat). */
void cdk_fs_remove_tree(const char *dir)
{
    DIR *d = opendir(dir);
    if (d == NULL) {
        unlink(dir);
        return;
    }
    int dfd = dirfd(d);
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        int is_dir;
#if defined(_DIRENT_HAVE_D_TYPE) && defined(DT_DIR)
        if (e->d_type != DT_UNKNOWN) {
            is_dir = e->d_type == DT_DIR;
        } else
#endif
        {
            struct stat st;
            is_dir = fstatat(dfd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(st.st_mode);
        }
        if (!is_dir) {
            unlinkat(dfd, e->d_name, 0);
            continue;
        }
        size_t n = strlen(dir) + strlen(e->d_name) + 2;
        char *p = malloc(n);
        if (p == NULL)
            continue;
        snprintf(p, n, "%s/%s", dir, e->d_name);
        cdk_fs_remove_tree(p);
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

static int dir_state(const char *dir, int *has_locks)
{
    /* 0: missing, 1: empty folder (or only CLI locks), 2: an assembly, 3: something else;
     * *has_locks (when given) is set when the folder holds CLI lock files */
    if (has_locks)
        *has_locks = 0;
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
    if (has_locks)
        *has_locks = locks;
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

/* Creates a new folder named path with its last six characters (XXXXXX) replaced by random
 * ones, as mkdtemp does, but with mkdir's mode (0777 less the umask): the assembly is an
 * ordinary folder, and this spares the umask and chmod calls that would widen mkdtemp's 0700. */
static int make_unique_dir(char *path)
{
    static const char chars[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    static unsigned long counter;
    char *x = path + strlen(path) - 6;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    unsigned long long seed = ((unsigned long long)ts.tv_sec << 30) ^ (unsigned long long)ts.tv_nsec ^
                              ((unsigned long long)getpid() << 16) ^ (unsigned long long)(size_t)path;
    for (int attempt = 0; attempt < 1000; attempt++) {
        unsigned long long v = seed + 0x9E3779B97F4A7C15ULL * (++counter + (unsigned long long)attempt);
        v ^= v >> 31;
        v *= 0xBF58476D1CE4E5B9ULL;
        v ^= v >> 29;
        for (int i = 0; i < 6; i++) {
            x[i] = chars[v % 62];
            v /= 62;
        }
        if (mkdir(path, 0777) == 0)
            return 0;
        if (errno != EEXIST)
            return -1;
    }
    errno = EEXIST;
    return -1;
}

int cdk_fs_prepare_outdir(cdk_app *app, const char *outdir, char **tmpdir)
{
    int state = dir_state(outdir, NULL);
    if (state == 3)
        return cdk_fail(app, CDK_EIO,
                        "refusing to write the cloud assembly to '%s': it exists and is not a cloud assembly "
                        "(no manifest.json); choose another outdir or remove it",
                        outdir);
    /* a folder that exists has its parents */
    int rc = state == 0 ? make_parents(app, outdir) : CDK_OK;
    if (rc != CDK_OK)
        return rc;
    size_t n = strlen(outdir);
    while (n > 1 && outdir[n - 1] == '/')
        n--;
    char *tmpl = cdk_sprintf(app, "%.*s.tmp-XXXXXX", (int)n, outdir);
    if (tmpl == NULL)
        return cdk_oom(app);
    app->prev_assembly = NULL;
    app->tmp_pending = 0;
    app->kept.len = 0;
    if (state == 2) {
        /* an earlier assembly: the new folder waits for a file that differs from it (see
         * cdk_write_file); its files may be taken if they have the mode a new file gets */
        mode_t mask = umask(0);
        umask(mask);
        app->prev_assembly = outdir;
        app->prev_mode = (unsigned)(0666 & ~mask);
        app->prev_uid = (unsigned long)geteuid();
        app->tmp_pending = 1;
    } else if (make_unique_dir(tmpl) != 0) {
        return cdk_fail(app, CDK_EIO, "cannot create a folder beside '%s': %s", outdir, strerror(errno));
    }
    app->tmp_path = tmpl;
    *tmpdir = tmpl;
    return CDK_OK;
}

/* Swaps two folders in one step (Linux's renameat2 with RENAME_EXCHANGE): 0 on success, else -1
 * (also where the system or file system cannot, and the caller falls back on two renames). */
static int exchange_dirs(const char *a, const char *b)
{
#if defined(__linux__) && defined(SYS_renameat2)
    return (int)syscall(SYS_renameat2, AT_FDCWD, a, AT_FDCWD, b, 1 << 1 /* RENAME_EXCHANGE */);
#else
    (void)a;
    (void)b;
    errno = ENOSYS;
    return -1;
#endif
}

/* Whether the folder holds exactly the files kept (besides the CLI's lock files). */
static int holds_only(const cdk_app *app, const char *dir)
{
    DIR *d = opendir(dir);
    if (d == NULL)
        return 0;
    size_t n = 0;
    int ok = 1;
    struct dirent *e;
    while (ok && (e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0 || is_cli_lock(e->d_name))
            continue;
        ok = 0;
        for (size_t i = 0; i < app->kept.len && !ok; i++)
            ok = strcmp(app->kept.items[i], e->d_name) == 0;
        n++;
    }
    closedir(d);
    return ok && n == app->kept.len;
}

void cdk_fs_discard_outdir(cdk_app *app, const char *tmpdir)
{
    if (!app->tmp_pending)
        cdk_fs_remove_tree(tmpdir);
    app->tmp_pending = 0;
}

int cdk_fs_commit_outdir(cdk_app *app, const char *tmpdir, const char *outdir)
{
    if (app->tmp_pending) {
        /* every file was the earlier assembly's: when it holds no other, it stays as it is */
        if (holds_only(app, outdir)) {
            app->tmp_pending = 0;
            for (size_t i = 0; i < app->kept.len; i++) {
                char *path = cdk_sprintf(app, "%s/%s", outdir, app->kept.items[i]);
                if (path)
                    utimensat(AT_FDCWD, path, NULL, 0);
            }
            return CDK_OK;
        }
        int rc = materialize(app);
        if (rc != CDK_OK) {
            if (!app->tmp_pending)
                cdk_fs_remove_tree(tmpdir);
            app->tmp_pending = 0;
            return rc;
        }
    }
    int locks;
    int state = dir_state(outdir, &locks);
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
    if (locks)
        carry_cli_locks(app, outdir, tmpdir);
    /* one step where it can: the new assembly takes the old one's place, and the old one, now at
     * tmpdir, is removed; never a moment without an assembly at outdir */
    if (exchange_dirs(tmpdir, outdir) == 0) {
        cdk_fs_remove_tree(tmpdir);
        return CDK_OK;
    }
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
