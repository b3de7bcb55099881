/* output.c - see output.h. */
#define _GNU_SOURCE
#include "workbook/output.h"

#include <dirent.h>
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
#define LATEST_NAME "workforce-report-latest.xlsx"

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

/* Every problem with the output path: exit 73, one form of message. */
static enum wr_error cannot(struct wr_errmsg *err, const char *path, const char *why)
{
	return wr_fail(err, WR_ERR_CANTCREAT, "cannot write the report to '%s': %s", path, why);
}

/* The dated name of a report in a folder: workforce-report-<as-of>.xlsx, or
 * workforce-report-<since>_<as-of>.xlsx for a window --since narrows. */
static void dated_name(wr_date since, wr_date as_of, char *buf, size_t size)
{
	char a[11], b[11];
	date_format_iso(as_of, b);
	if (since == WR_DATE_NONE) {
		snprintf(buf, size, "workforce-report-%s.xlsx", b);
		return;
	}
	date_format_iso(since, a);
	snprintf(buf, size, "workforce-report-%s_%s.xlsx", a, b);
}

static enum wr_error resolve(struct output *o, const char *given, wr_date since, wr_date as_of,
			     struct wr_errmsg *err)
{
	if (!*given)
		return cannot(err, given, "the path is empty");
	/* a folder given as "dir/" or "dir//" is dir */
	char *arg = xstrdup(given);
	size_t n = strlen(arg);
	while (n > 1 && arg[n - 1] == '/')
		arg[--n] = '\0';
	struct stat st;
	enum wr_error e = WR_OK;
	bool is_dir = stat(arg, &st) == 0 && S_ISDIR(st.st_mode);
	if (!is_dir && ends_with(arg, ".xlsx")) {
		const char *slash = strrchr(arg, '/');
		o->dir = slash ? xstrndup(arg, slash == arg ? 1 : (size_t)(slash - arg)) : xstrdup(".");
		o->path = xstrdup(arg);
	} else {
		const char *base = strrchr(arg, '/') ? strrchr(arg, '/') + 1 : arg;
		const char *dot = strrchr(base, '.');
		if (!is_dir && dot && dot != base && dot[1])
			e = cannot(err, given, "neither a .xlsx file nor a folder");
		else if (!is_dir && stat(arg, &st) == 0)
			e = cannot(err, given, "it exists and is not a folder");
		else if (!is_dir && mkdir(arg, 0750) != 0 && errno != EEXIST)
			e = cannot(err, given, strerror(errno));
		if (e) {
			free(arg);
			return e;
		}
		char name[80];
		dated_name(since, as_of, name, sizeof(name));
		o->dir = xstrdup(arg);
		o->path = join(arg, name);
		o->folder = true;
	}
	free(arg);
	if (stat(o->dir, &st) != 0 || !S_ISDIR(st.st_mode))
		return cannot(err, o->path, "its folder does not exist");
	if (stat(o->path, &st) == 0 && S_ISDIR(st.st_mode))
		return cannot(err, o->path, "it is a folder");
	/* the path ends in .xlsx, whatever its case */
	size_t stem = strlen(o->path) - strlen(".xlsx");
	o->issues_path = xmalloc(stem + sizeof(".issues.csv"));
	memcpy(o->issues_path, o->path, stem);
	memcpy(o->issues_path + stem, ".issues.csv", sizeof(".issues.csv"));
	if (stat(o->issues_path, &st) == 0 && S_ISDIR(st.st_mode))
		return cannot(err, o->issues_path, "it is a folder");
	o->as_of = as_of;
	return WR_OK;
}

static enum wr_error take_lock(struct output *o, struct wr_errmsg *err)
{
	char *path = join(o->dir, LOCK_NAME);
	for (int attempt = 0; attempt < 5; attempt++) {
		int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0640);
		if (fd < 0) {
			/* the folder is not writable: say so of the report */
			enum wr_error e = cannot(err, o->path, strerror(errno));
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
					: cannot(err, o->path, strerror(saved));
			free(path);
			return e;
		}
		/* the holder before us may have removed the file: lock the one on disk */
		struct stat a, b;
		if (fstat(fd, &a) == 0 && stat(path, &b) == 0 && a.st_ino == b.st_ino &&
		    a.st_dev == b.st_dev) {
			o->lock_fd = fd;
			o->lock_path = path;
			return WR_OK;
		}
		close(fd);
	}
	free(path);
	return wr_fail(err, WR_ERR_LOCKED, "cannot take the lock in '%s'", o->dir);
}

enum wr_error output_prepare(struct output *o, const char *arg, wr_date since, wr_date as_of,
			     struct wr_errmsg *err)
{
	enum wr_error e = resolve(o, arg, since, as_of, err);
	if (!e)
		e = take_lock(o, err);
	if (e)
		return e;
	char *tmpl = join(o->dir, ".workforce-report-XXXXXX.xlsx");
	int fd = mkstemps(tmpl, 5); /* mode 0600 */
	if (fd < 0) {
		e = cannot(err, o->path, strerror(errno));
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

enum wr_error output_keep_rejected(struct output *o, struct wr_errmsg *err)
{
	if (!o->issues)
		return WR_OK;
	FILE *f = o->issues;
	o->issues = NULL;
	bool failed = ferror(f) != 0;
	size_t stem = strlen(o->path) - strlen(".xlsx");
	free(o->rejected_path);
	o->rejected_path = xmalloc(stem + sizeof(".rejected.csv"));
	memcpy(o->rejected_path, o->path, stem);
	memcpy(o->rejected_path + stem, ".rejected.csv", sizeof(".rejected.csv"));
	errno = 0;
	if (fclose(f) != 0 || failed)
		return cannot(err, o->rejected_path, errno ? strerror(errno) : "write error");
	enum wr_error e = place(o->issues_tmp, o->rejected_path, "the rejected rows", err);
	if (e)
		return e;
	emergency_issues[0] = '\0';
	free(o->issues_tmp);
	o->issues_tmp = NULL;
	return sync_path(o->dir, O_RDONLY | O_DIRECTORY, err);
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

/* A dated report's as-of date from its name, or WR_DATE_NONE. */
static wr_date report_as_of(const char *name)
{
	static const char prefix[] = "workforce-report-";
	size_t n = strlen(name), p = sizeof(prefix) - 1;
	if (strncmp(name, prefix, p) != 0 || !ends_with(name, ".xlsx"))
		return WR_DATE_NONE;
	size_t body = n - p - strlen(".xlsx");
	const char *d = name + p;
	if (body == 21 && d[10] == '_')
		d += 11; /* <since>_<as-of> */
	else if (body != 10)
		return WR_DATE_NONE;
	wr_date day;
	return date_parse(d, 10, WR_DATE_ISO, &day) ? day : WR_DATE_NONE;
}

struct dated {
	char *name;
	wr_date as_of;
};

static int newest_first(const void *a, const void *b)
{
	const struct dated *x = a, *y = b;
	if (x->as_of != y->as_of)
		return x->as_of < y->as_of ? 1 : -1;
	return strcmp(y->name, x->name);
}

/* The dated reports in dir, newest first. */
static size_t list_reports(const char *dir, struct dated **out)
{
	struct dated *v = NULL;
	size_t n = 0, cap = 0;
	DIR *d = opendir(dir);
	for (struct dirent *e; d && (e = readdir(d));) {
		wr_date day = report_as_of(e->d_name);
		if (day == WR_DATE_NONE)
			continue;
		GROW(v, cap, n + 1);
		v[n++] = (struct dated){xstrdup(e->d_name), day};
	}
	if (d)
		closedir(d);
	if (n > 1)
		qsort(v, n, sizeof(*v), newest_first);
	*out = v;
	return n;
}

/* Copy src to dst (for a file system without hard links). */
static bool copy_file(const char *src, const char *dst)
{
	FILE *in = fopen(src, "rb");
	if (!in)
		return false;
	int fd = open(dst, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
	FILE *to = fd >= 0 ? fdopen(fd, "wb") : NULL;
	bool ok = to != NULL;
	char buf[65536];
	for (size_t k; ok && (k = fread(buf, 1, sizeof(buf), in)) > 0;)
		ok = fwrite(buf, 1, k, to) == k;
	ok = ok && !ferror(in);
	fclose(in);
	if (to)
		ok = fclose(to) == 0 && ok;
	else if (fd >= 0)
		close(fd);
	return ok;
}

enum wr_error output_publish(struct output *o, int keep, struct wr_errmsg *err)
{
	if (!o->folder)
		return WR_OK;
	struct dated *v;
	size_t n = list_reports(o->dir, &v);
	enum wr_error e = WR_OK;
	/* workforce-report-latest.xlsx: this report when its as-of is the newest */
	if (n == 0 || o->as_of >= v[0].as_of) {
		char *latest = join(o->dir, LATEST_NAME);
		char *tmp = join(o->dir, ".workforce-report-latest.tmp");
		unlink(tmp);
		if ((link(o->path, tmp) != 0 && !copy_file(o->path, tmp)) || rename(tmp, latest) != 0) {
			e = cannot(err, latest, strerror(errno));
			unlink(tmp);
		}
		free(latest);
		free(tmp);
	}
	/* --keep N: the newest N dated reports stay */
	for (size_t i = keep > 0 ? (size_t)keep : n; !e && i < n; i++) {
		char *path = join(o->dir, v[i].name);
		if (strcmp(path, o->path) != 0) {
			size_t stem = strlen(path) - strlen(".xlsx");
			char *issues = xmalloc(stem + sizeof(".issues.csv"));
			memcpy(issues, path, stem);
			memcpy(issues + stem, ".issues.csv", sizeof(".issues.csv"));
			if (unlink(path) != 0 && errno != ENOENT)
				e = cannot(err, path, strerror(errno));
			unlink(issues);
			free(issues);
		}
		free(path);
	}
	for (size_t i = 0; i < n; i++)
		free(v[i].name);
	free(v);
	return e;
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
	if (o->lock_fd >= 0) {
		/* remove the lock file while still holding it, then release it: a
		 * run waiting on this file finds, once it gets the lock, that it is
		 * no longer the one on disk and takes a new one (take_lock) */
		if (o->lock_path)
			unlink(o->lock_path);
		close(o->lock_fd);
	}
	free(o->lock_path);
	free(o->rejected_path);
	free(o->tmp_path);
	free(o->issues_tmp);
	free(o->issues_path);
	free(o->dir);
	free(o->path);
	output_init(o);
}
