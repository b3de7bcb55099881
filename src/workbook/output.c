/* output.c - see output.h. */
#define _GNU_SOURCE
#include "workbook/output.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/alloc.h"

#define LOCK_NAME ".workforce-report.lock"

/* The temporary paths in flight, for output_emergency_cleanup. */
static char emergency_tmp[4096];
static char emergency_issues[4096];
static volatile sig_atomic_t committed;

void output_init(struct output *o)
{
	memset(o, 0, sizeof(*o));
	o->lock_fd = -1;
}

bool output_emergency_cleanup(void)
{
	if (emergency_tmp[0])
		unlink(emergency_tmp);
	if (emergency_issues[0])
		unlink(emergency_issues);
	return committed;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	return n >= k && strcasecmp(s + n - k, suffix) == 0;
}

static char *join(const char *dir, const char *name)
{
	size_t n = strlen(dir) + strlen(name) + 2;
	char *p = xmalloc(n);
	snprintf(p, n, "%s/%s", dir, name);
	return p;
}

static enum wr_error resolve(struct output *o, const char *arg, wr_date as_of,
			     struct wr_errmsg *err)
{
	struct stat st;
	bool is_dir = stat(arg, &st) == 0 && S_ISDIR(st.st_mode);
	if (!is_dir && ends_with(arg, ".xlsx")) {
		const char *slash = strrchr(arg, '/');
		o->dir = slash ? xstrndup(arg, slash == arg ? 1 : (size_t)(slash - arg)) : xstrdup(".");
		o->path = xstrdup(arg);
	} else {
		const char *base = strrchr(arg, '/') ? strrchr(arg, '/') + 1 : arg;
		const char *dot = strrchr(base, '.');
		if (!is_dir && dot && dot != base && dot[1])
			return wr_fail(err, WR_ERR_USAGE,
				       "output '%s' is neither a .xlsx file nor a folder", arg);
		if (!is_dir && stat(arg, &st) == 0)
			return wr_fail(err, WR_ERR_CANTCREAT,
				       "output '%s' is neither a folder nor a .xlsx path", arg);
		if (!is_dir && mkdir(arg, 0750) != 0 && errno != EEXIST)
			return wr_fail(err, WR_ERR_CANTCREAT, "cannot create output folder '%s': %s",
				       arg, strerror(errno));
		char name[64], day[11];
		date_format_iso(as_of, day);
		snprintf(name, sizeof(name), "workforce-report-%s.xlsx", day);
		o->dir = xstrdup(arg);
		o->path = join(arg, name);
	}
	if (stat(o->dir, &st) != 0 || !S_ISDIR(st.st_mode))
		return wr_fail(err, WR_ERR_CANTCREAT, "output folder '%s' does not exist", o->dir);
	if (stat(o->path, &st) == 0 && S_ISDIR(st.st_mode))
		return wr_fail(err, WR_ERR_CANTCREAT, "output path '%s' is a folder", o->path);
	/* the path ends in .xlsx, whatever its case */
	size_t stem = strlen(o->path) - strlen(".xlsx");
	o->issues_path = xmalloc(stem + sizeof(".issues.csv"));
	memcpy(o->issues_path, o->path, stem);
	memcpy(o->issues_path + stem, ".issues.csv", sizeof(".issues.csv"));
	if (stat(o->issues_path, &st) == 0 && S_ISDIR(st.st_mode))
		return wr_fail(err, WR_ERR_CANTCREAT, "output path '%s' is a folder",
			       o->issues_path);
	return WR_OK;
}

static enum wr_error take_lock(struct output *o, struct wr_errmsg *err)
{
	char *path = join(o->dir, LOCK_NAME);
	for (int attempt = 0; attempt < 5; attempt++) {
		int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0640);
		if (fd < 0) {
			enum wr_error e = wr_fail(err, WR_ERR_CANTCREAT,
						  "cannot create lock file '%s': %s", path,
						  strerror(errno));
			free(path);
			return e;
		}
		if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
			int saved = errno;
			close(fd);
			enum wr_error e =
				saved == EWOULDBLOCK
					? wr_fail(err, WR_ERR_LOCKED,
						  "another run is writing to '%s' (lock '%s' is held)",
						  o->dir, path)
					: wr_fail(err, WR_ERR_CANTCREAT, "cannot lock '%s': %s", path,
						  strerror(saved));
			free(path);
			return e;
		}
		/* the holder before us may have removed the file: lock the one on disk */
		struct stat a, b;
		if (fstat(fd, &a) == 0 && stat(path, &b) == 0 && a.st_ino == b.st_ino &&
		    a.st_dev == b.st_dev) {
			o->lock_fd = fd;
			free(path);
			return WR_OK;
		}
		close(fd);
	}
	free(path);
	return wr_fail(err, WR_ERR_LOCKED, "cannot take the lock in '%s'", o->dir);
}

enum wr_error output_prepare(struct output *o, const char *arg, wr_date as_of,
			     struct wr_errmsg *err)
{
	enum wr_error e = resolve(o, arg, as_of, err);
	if (!e)
		e = take_lock(o, err);
	if (e)
		return e;
	char *tmpl = join(o->dir, ".workforce-report-XXXXXX.xlsx");
	int fd = mkstemps(tmpl, 5); /* mode 0600 */
	if (fd < 0) {
		e = wr_fail(err, WR_ERR_CANTCREAT, "cannot create a file in '%s': %s", o->dir,
			    strerror(errno));
		free(tmpl);
		return e;
	}
	close(fd);
	o->tmp_path = tmpl;
	snprintf(emergency_tmp, sizeof(emergency_tmp), "%s", tmpl);
	return WR_OK;
}

static enum wr_error sync_path(const char *path, int flags, struct wr_errmsg *err)
{
	int fd = open(path, flags | O_CLOEXEC);
	if (fd < 0)
		return wr_fail(err, WR_ERR_IO, "cannot open '%s': %s", path, strerror(errno));
	int rc = fsync(fd);
	int saved = errno;
	close(fd);
	/* some file systems cannot fsync a folder: that is no write error */
	if (rc != 0 && !(flags & O_DIRECTORY && (saved == EINVAL || saved == EBADF)))
		return wr_fail(err, WR_ERR_IO, "cannot flush '%s' to disk: %s", path,
			       strerror(saved));
	return WR_OK;
}

enum wr_error output_issues_open(struct output *o, struct wr_errmsg *err)
{
	if (!o->dir || o->issues)
		return wr_fail(err, WR_ERR_CANTCREAT, "the issues file cannot be opened now");
	char *tmpl = join(o->dir, ".workforce-report-XXXXXX.csv");
	int fd = mkstemps(tmpl, 4); /* mode 0600 */
	if (fd < 0) {
		enum wr_error e = wr_fail(err, WR_ERR_CANTCREAT, "cannot create a file in '%s': %s",
					  o->dir, strerror(errno));
		free(tmpl);
		return e;
	}
	snprintf(emergency_issues, sizeof(emergency_issues), "%s", tmpl);
	o->issues_tmp = tmpl;
	o->issues = fdopen(fd, "w");
	if (!o->issues) {
		close(fd);
		return wr_fail(err, WR_ERR_CANTCREAT, "cannot open '%s': %s", tmpl,
			       strerror(errno));
	}
	return WR_OK;
}

/* Give the finished temporary file tmp its mode (0640 less the umask), flush
 * it to disk and rename it to path. */
static enum wr_error place(const char *tmp, const char *path, const char *what,
			   struct wr_errmsg *err)
{
	mode_t mask = umask(0);
	umask(mask);
	if (chmod(tmp, 0640 & ~mask) != 0)
		return wr_fail(err, WR_ERR_IO, "cannot set the mode of '%s': %s", tmp,
			       strerror(errno));
	enum wr_error e = sync_path(tmp, O_RDONLY, err);
	if (e)
		return e;
	if (rename(tmp, path) != 0)
		return wr_fail(err, WR_ERR_CANTCREAT, "cannot rename %s to '%s': %s", what, path,
			       strerror(errno));
	return WR_OK;
}

static enum wr_error commit_issues(struct output *o, struct wr_errmsg *err)
{
	if (!o->issues) {
		/* no issues this run: an earlier run's file would pass for this one's */
		if (o->issues_path && unlink(o->issues_path) != 0 && errno != ENOENT)
			return wr_fail(err, WR_ERR_CANTCREAT,
				       "cannot remove the earlier issues file '%s': %s",
				       o->issues_path, strerror(errno));
		return WR_OK;
	}
	FILE *f = o->issues;
	o->issues = NULL;
	bool failed = ferror(f) != 0;
	errno = 0;
	if (fclose(f) != 0 || failed)
		return wr_fail(err, WR_ERR_IO, "cannot write the issues file '%s': %s",
			       o->issues_path, errno ? strerror(errno) : "write error");
	enum wr_error e = place(o->issues_tmp, o->issues_path, "the issues file", err);
	if (e)
		return e;
	emergency_issues[0] = '\0';
	free(o->issues_tmp);
	o->issues_tmp = NULL;
	return WR_OK;
}

enum wr_error output_commit(struct output *o, struct wr_errmsg *err)
{
	enum wr_error e = commit_issues(o, err);
	if (!e)
		e = place(o->tmp_path, o->path, "the report", err);
	if (e)
		return e;
	emergency_tmp[0] = '\0';
	committed = 1;
	free(o->tmp_path);
	o->tmp_path = NULL;
	return sync_path(o->dir, O_RDONLY | O_DIRECTORY, err);
}

void output_release(struct output *o)
{
	if (o->tmp_path) {
		unlink(o->tmp_path);
		emergency_tmp[0] = '\0';
	}
	if (o->issues)
		fclose(o->issues);
	if (o->issues_tmp) {
		unlink(o->issues_tmp);
		emergency_issues[0] = '\0';
	}
	if (o->lock_fd >= 0)
		close(o->lock_fd); /* releases the flock; the file stays for the next run */
	free(o->tmp_path);
	free(o->issues_tmp);
	free(o->issues_path);
	free(o->dir);
	free(o->path);
	output_init(o);
}
