/* export_csv.c - see export_csv.h. */
#include "workbook/export_csv.h"

#include <csv.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/alloc.h"
#include "core/fileio.h"
#include "model/date.h"

#define DIR_MODE 0750
#define FILE_MODE 0640
#define STALE_PREFIX "tbl_"
#define SUFFIX ".csv"

struct csv_table_buf {
	char *name;
	char *data;
	size_t size;
	char *path; /* while writing: the final path */
	char *tmp;  /* and the temporary file, until renamed */
};

void csv_export_init(struct csv_export *x, const char *dir)
{
	memset(x, 0, sizeof(*x));
	x->dir = dir ? xstrdup(dir) : NULL;
}

static void free_table(struct csv_table_buf *t)
{
	free(t->name);
	free(t->data);
	free(t->path);
	free(t->tmp);
	memset(t, 0, sizeof(*t));
}

void csv_export_release(struct csv_export *x)
{
	for (size_t i = 0; i < x->ntables; i++) {
		if (x->tables[i].tmp)
			unlink(x->tables[i].tmp);
		free_table(&x->tables[i]);
	}
	free(x->tables);
	free(x->error_table);
	free(x->dir);
	memset(x, 0, sizeof(*x));
}

/* ---- formatting ---- */

/* A spreadsheet opening the file would take these first characters as the
 * start of a formula. */
static bool risky(const char *s)
{
	return s[0] && strchr("=+-@\t\r", s[0]) != NULL;
}

/* The shortest of %.15g, %.16g and %.17g that reads back as v. */
static void format_number(double v, char *buf, size_t size)
{
	if (v == 0) {
		snprintf(buf, size, "0"); /* and never "-0" */
		return;
	}
	for (int digits = 15; digits <= 17; digits++) {
		snprintf(buf, size, "%.*g", digits, v);
		if (strtod(buf, NULL) == v)
			return;
	}
}

static bool put_cell(FILE *f, const struct csv_cell *c)
{
	switch (c->kind) {
	case CSV_TEXT: {
		const char *s = c->text ? c->text : "";
		size_t n = strlen(s);
		if (!risky(s))
			return csv_fwrite(f, s, n) == 0;
		char *guarded = xmalloc(n + 2);
		guarded[0] = '\'';
		memcpy(guarded + 1, s, n + 1);
		bool ok = csv_fwrite(f, guarded, n + 1) == 0;
		free(guarded);
		return ok;
	}
	case CSV_NUMBER: {
		if (!isfinite(c->num))
			return true;
		char buf[40];
		format_number(c->num, buf, sizeof(buf));
		return fputs(buf, f) != EOF;
	}
	case CSV_DATE: {
		if (!(c->num >= INT32_MIN + 1.0 && c->num < INT32_MAX))
			return true; /* no date (never written by the book) */
		char day[11];
		date_format_iso((wr_date)c->num, day);
		return fputs(day, f) != EOF;
	}
	default:
		return true;
	}
}

static struct csv_table_buf *table_named(struct csv_export *x, const char *name)
{
	for (size_t i = 0; i < x->ntables; i++)
		if (strcmp(x->tables[i].name, name) == 0) {
			free_table(&x->tables[i]);
			return &x->tables[i];
		}
	GROW(x->tables, x->cap, x->ntables + 1);
	struct csv_table_buf *t = &x->tables[x->ntables++];
	memset(t, 0, sizeof(*t));
	return t;
}

static void note_error(struct csv_export *x, const char *name, int why)
{
	if (x->error)
		return;
	x->error = why ? why : EIO;
	x->error_table = xstrdup(name);
}

void csv_export_table(struct csv_export *x, const char *name, const struct csv_cell *cells,
		      size_t nrows, uint16_t ncols)
{
	char *data = NULL;
	size_t size = 0;
	errno = 0;
	FILE *f = open_memstream(&data, &size);
	if (!f) {
		note_error(x, name, errno);
		return;
	}
	bool ok = true;
	for (size_t r = 0; r < nrows; r++) {
		for (uint16_t c = 0; c < ncols; c++) {
			if (c > 0 && fputc(',', f) == EOF)
				ok = false;
			if (!put_cell(f, &cells[r * ncols + c]))
				ok = false;
		}
		if (fputs("\r\n", f) == EOF)
			ok = false;
	}
	int why = errno;
	if (ferror(f))
		ok = false;
	if (fclose(f) != 0)
		ok = false;
	if (!ok) {
		note_error(x, name, why);
		free(data);
		return;
	}
	struct csv_table_buf *t = table_named(x, name);
	t->name = xstrdup(name);
	t->data = data;
	t->size = size;
}

/* ---- writing ---- */

static char *join(const char *dir, const char *a, const char *b)
{
	size_t n = strlen(dir) + strlen(a) + strlen(b) + 2;
	char *p = xmalloc(n);
	snprintf(p, n, "%s/%s%s", dir, a, b);
	return p;
}

static enum wr_error cannot(struct wr_errmsg *err, const char *path, int why)
{
	return wr_fail(err, WR_ERR_CANTCREAT, "cannot write %s: %s", path, strerror(why));
}

/* mkdir -p with mode DIR_MODE for what it creates; then dir must be a
 * folder. */
static enum wr_error make_dir(const char *dir, struct wr_errmsg *err)
{
	char *p = xstrdup(dir);
	size_t n = strlen(p);
	for (size_t i = 1; i <= n; i++) {
		if (p[i] != '/' && p[i] != '\0')
			continue;
		if (p[i - 1] == '/')
			continue;
		char keep = p[i];
		p[i] = '\0';
		if (mkdir(p, DIR_MODE) != 0 && errno != EEXIST) {
			enum wr_error e = cannot(err, dir, errno);
			free(p);
			return e;
		}
		p[i] = keep;
	}
	free(p);
	struct stat st;
	if (stat(dir, &st) != 0)
		return cannot(err, dir, errno);
	if (!S_ISDIR(st.st_mode))
		return cannot(err, dir, ENOTDIR);
	return WR_OK;
}

/* The table into a new temporary file in the folder, mode 0640 less the
 * umask, flushed to disk. */
static enum wr_error write_temp(struct csv_export *x, struct csv_table_buf *t, mode_t mode,
				struct wr_errmsg *err)
{
	t->path = join(x->dir, t->name, SUFFIX);
	size_t n = strlen(x->dir) + strlen(t->name) + sizeof("/." SUFFIX ".XXXXXX");
	char *tmpl = xmalloc(n);
	snprintf(tmpl, n, "%s/.%s" SUFFIX ".XXXXXX", x->dir, t->name);
	int fd = mkstemp(tmpl);
	if (fd < 0) {
		free(tmpl);
		return cannot(err, t->path, errno);
	}
	t->tmp = tmpl;
	bool ok = write_all(fd, t->data, t->size) && fchmod(fd, mode) == 0 && fsync(fd) == 0;
	int why = errno;
	if (close(fd) != 0 && ok) {
		ok = false;
		why = errno;
	}
	return ok ? WR_OK : cannot(err, t->path, why);
}

static bool written(const struct csv_export *x, const char *file)
{
	size_t len = strlen(file) - strlen(SUFFIX);
	for (size_t i = 0; i < x->ntables; i++)
		if (strlen(x->tables[i].name) == len && memcmp(x->tables[i].name, file, len) == 0)
			return true;
	return false;
}

/* Remove tbl_*.csv files (or links) that this run did not write. */
static enum wr_error remove_stale(struct csv_export *x, struct wr_errmsg *err)
{
	DIR *d = opendir(x->dir);
	if (!d)
		return cannot(err, x->dir, errno);
	enum wr_error e = WR_OK;
	struct dirent *ent;
	errno = 0;
	while (!e && (ent = readdir(d)) != NULL) {
		const char *name = ent->d_name;
		size_t len = strlen(name);
		if (strncmp(name, STALE_PREFIX, strlen(STALE_PREFIX)) != 0 ||
		    len <= strlen(SUFFIX) || strcmp(name + len - strlen(SUFFIX), SUFFIX) != 0 ||
		    written(x, name))
			continue;
		struct stat st;
		if (fstatat(dirfd(d), name, &st, AT_SYMLINK_NOFOLLOW) != 0 ||
		    !(S_ISREG(st.st_mode) || S_ISLNK(st.st_mode)))
			continue;
		char *path = join(x->dir, name, "");
		if (unlink(path) != 0 && errno != ENOENT)
			e = wr_fail(err, WR_ERR_CANTCREAT, "cannot remove %s: %s", path,
				    strerror(errno));
		free(path);
		errno = 0;
	}
	if (!e && errno)
		e = cannot(err, x->dir, errno);
	closedir(d);
	return e;
}

static void sync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return;
	(void)fsync(fd); /* some file systems cannot: the files are in place regardless */
	close(fd);
}

static enum wr_error write_files(struct csv_export *x, struct wr_errmsg *err)
{
	enum wr_error e = make_dir(x->dir, err);
	if (e)
		return e;
	mode_t mask = umask(0);
	umask(mask);
	for (size_t i = 0; i < x->ntables && !e; i++)
		e = write_temp(x, &x->tables[i], FILE_MODE & ~mask, err);
	for (size_t i = 0; i < x->ntables && !e; i++) {
		struct csv_table_buf *t = &x->tables[i];
		if (rename(t->tmp, t->path) != 0) {
			e = cannot(err, t->path, errno);
			break;
		}
		free(t->tmp);
		t->tmp = NULL;
	}
	if (!e)
		e = remove_stale(x, err);
	/* on failure csv_export_release removes the temporary files */
	for (size_t i = 0; i < x->ntables && e; i++)
		if (x->tables[i].tmp) {
			unlink(x->tables[i].tmp);
			free(x->tables[i].tmp);
			x->tables[i].tmp = NULL;
		}
	if (!e)
		sync_dir(x->dir);
	return e;
}

enum wr_error csv_export_write(struct csv_export *x, struct wr_errmsg *err)
{
	if (!x->dir)
		return WR_OK;
	if (x->error) {
		char *path = join(x->dir, x->error_table, SUFFIX);
		enum wr_error e = cannot(err, path, x->error);
		free(path);
		return e;
	}
	/* the signal handlers exit at once: they wait until the files are in
	 * place (or removed) */
	sigset_t old;
	bool blocked = exit_signals_block(&old);
	enum wr_error e = write_files(x, err);
	exit_signals_restore(blocked, &old);
	return e;
}
