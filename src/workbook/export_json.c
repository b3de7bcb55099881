/* export_json.c - see export_json.h. */
#include "workbook/export_json.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <math.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/alloc.h"
#include "core/fileio.h"
#include "core/utf8.h"
#include "ingest/schema.h"

#define FILE_MODE 0640
#define MAX_EXACT_INT 9007199254740992.0 /* 2^53 */

/* Stable names of the figures, for programs (the names on the tiles are
 * for people and may be reworded). */
static const char *const kpi_ids[] = {
	[KPI_HEADCOUNT] = "headcount",
	[KPI_MANAGEMENT_SHARE] = "management_share",
	[KPI_ICS_PER_MANAGER] = "ics_per_manager",
	[KPI_PROMOTION_RATE] = "promotion_rate",
	[KPI_TIME_TO_PROMOTION] = "time_to_promotion",
	[KPI_PROMOTED_2Y] = "promoted_within_2_years",
	[KPI_ATTRITION] = "attrition_rate",
	[KPI_MOVEMENT] = "internal_movement",
	[KPI_SECONDMENT_COMPLETION] = "secondment_completion",
	[KPI_INTERN_CONVERSION] = "intern_conversion",
};
_Static_assert(sizeof(kpi_ids) / sizeof(kpi_ids[0]) == KPI_COUNT, "a name for every figure");

static const char *unit_name(uint8_t unit)
{
	switch (unit) {
	case KPI_UNIT_PEOPLE: return "people";
	case KPI_UNIT_SHARE: return "share";
	case KPI_UNIT_RATIO: return "ratio";
	case KPI_UNIT_MONTHS: return "months";
	default: return "unknown";
	}
}

/* ---- building the document ---- */

struct builder {
	bool failed; /* a jansson call failed (out of memory) */
};

/* Set obj[key] = v, taking v (jansson's _new calls release it on failure). */
static void put(struct builder *b, json_t *obj, const char *key, json_t *v)
{
	if (!obj || !v) {
		json_decref(v);
		b->failed = true;
	} else if (json_object_set_new(obj, key, v) != 0) {
		b->failed = true;
	}
}

static void append(struct builder *b, json_t *arr, json_t *v)
{
	if (!arr || !v) {
		json_decref(v);
		b->failed = true;
	} else if (json_array_append_new(arr, v) != 0) {
		b->failed = true;
	}
}

/* A string; bytes that are not UTF-8 (a path from the command line) become
 * U+FFFD, so that the document is always valid. */
static json_t *text(const char *s)
{
	size_t len = strlen(s);
	if (utf8_check(s, len) == len)
		return json_string(s);
	char *clean = xmalloc(len * 3 + 1);
	size_t o = 0;
	for (size_t i = 0; i < len;) {
		size_t k = utf8_char_len(s + i, len - i);
		if (k == 0) {
			memcpy(clean + o, "\xEF\xBF\xBD", 3);
			o += 3;
			i++;
		} else {
			memcpy(clean + o, s + i, k);
			o += k;
			i += k;
		}
	}
	clean[o] = '\0';
	json_t *v = json_string(clean);
	free(clean);
	return v;
}

static json_t *text_or_null(const char *s)
{
	return s ? text(s) : json_null();
}

/* A number: whole numbers as integers, NaN and infinity as null. */
static json_t *number(double v)
{
	if (!isfinite(v))
		return json_null();
	if (v == floor(v) && fabs(v) < MAX_EXACT_INT)
		return json_integer((json_int_t)v);
	return json_real(v);
}

static json_t *count(uint64_t n)
{
	return n <= (uint64_t)INT64_MAX ? json_integer((json_int_t)n) : json_null();
}

static json_t *day(wr_date d)
{
	if (d == WR_DATE_NONE || d == WR_DATE_OPEN)
		return json_null();
	char buf[11];
	date_format_iso(d, buf);
	return json_string(buf);
}

static json_t *span(struct builder *b, wr_date from, wr_date to)
{
	json_t *o = json_object();
	put(b, o, "from", day(from));
	put(b, o, "to", day(to));
	return o;
}

static json_t *kpi_json(struct builder *b, const struct kpi_result *kr, int k)
{
	const struct kpi *x = &kr->k[k];
	bool now = x->available && x->now.shown, prev = x->available && x->prev.shown;
	json_t *o = json_object();
	put(b, o, "id", json_string(kpi_ids[k]));
	put(b, o, "name", text(x->name));
	put(b, o, "unit", json_string(unit_name(x->unit)));
	put(b, o, "kind", json_string(x->stock ? "stock" : "flow"));
	put(b, o, "available", json_boolean(x->available));
	put(b, o, "value", now ? number(x->now.v) : json_null());
	put(b, o, "low", now ? number(x->now.lo) : json_null());
	put(b, o, "high", now ? number(x->now.hi) : json_null());
	put(b, o, "suppressed", json_boolean(x->available && !x->now.shown));
	put(b, o, "n", count(x->now.n));
	put(b, o, "n_label", text(x->n_label));
	/* a stock on a day (from = to), a flow over the 12 months */
	put(b, o, "period",
	    x->stock ? span(b, kr->now.last, kr->now.last) : span(b, kr->now.first, kr->now.last));
	put(b, o, "earlier", prev ? number(x->prev.v) : json_null());
	put(b, o, "earlier_suppressed", json_boolean(x->available && !x->prev.shown));
	put(b, o, "earlier_n", count(x->prev.n));
	put(b, o, "earlier_label",
	    json_string(x->stock ? "a year earlier" : "the 12 months before"));
	put(b, o, "earlier_period",
	    x->stock ? span(b, kr->prev.last, kr->prev.last)
		     : span(b, kr->prev.first, kr->prev.last));
	return o;
}

static json_t *counts_json(struct builder *b, const struct dataset *ds)
{
	json_t *files = json_array();
	uint64_t read = 0, used = 0, rejected = 0, warnings = 0;
	for (int f = 0; f < WR_FILE_COUNT; f++) {
		const struct dq_file_counts *c = &ds->dq.files[f];
		json_t *o = json_object();
		put(b, o, "file", json_string(schema_file((enum wr_file)f)->name));
		put(b, o, "provided", json_boolean(c->present));
		put(b, o, "read", count(c->read));
		put(b, o, "used", count(c->used));
		put(b, o, "rejected", count(c->rejected));
		put(b, o, "warnings", count(c->warnings));
		append(b, files, o);
		read += c->read;
		used += c->used;
		rejected += c->rejected;
		warnings += c->warnings;
	}
	json_t *all = json_object();
	put(b, all, "read", count(read));
	put(b, all, "used", count(used));
	put(b, all, "rejected", count(rejected));
	put(b, all, "warnings", count(warnings));
	json_t *o = json_object();
	put(b, o, "files", files);
	put(b, o, "all", all);
	return o;
}

char *json_export_text(const struct report *r, const struct json_export *j)
{
	struct builder b = {false};
	const struct kpi_result *kr = r->kpi;
	json_t *doc = json_object();
	put(&b, doc, "schema", json_string(JSON_EXPORT_SCHEMA));

	json_t *tool = json_object();
	put(&b, tool, "name", json_string("workforce-report"));
	put(&b, tool, "version", text(r->version));
	put(&b, doc, "tool", tool);

	char stamp[32];
	struct tm tm;
	time_t t = r->generated;
	if (gmtime_r(&t, &tm) && strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", &tm))
		put(&b, doc, "generated", json_string(stamp));
	else
		put(&b, doc, "generated", json_null());
	put(&b, doc, "as_of", day(r->as_of));
	json_t *window = json_object();
	put(&b, window, "since", day(r->since));
	put(&b, window, "as_of", day(r->as_of));
	put(&b, doc, "window", window);
	wr_date through = kr ? kr->data_through : WR_DATE_NONE;
	put(&b, doc, "data_through", day(through));
	put(&b, doc, "data_stale", json_boolean(kr && kr->stale));
	put(&b, doc, "min_group", json_integer(r->min_group));

	struct stat st;
	json_t *out = json_object();
	put(&b, out, "workbook", text_or_null(j->workbook));
	put(&b, out, "issues",
	    j->issues && stat(j->issues, &st) == 0 ? text(j->issues) : json_null());
	put(&b, out, "csv_dir", text_or_null(j->csv_dir));
	put(&b, doc, "output", out);
	put(&b, doc, "exit_status", json_integer(j->exit_status));

	put(&b, doc, "counts", counts_json(&b, r->ds));
	json_t *kpis = json_array();
	if (kr)
		for (int k = 0; k < KPI_COUNT; k++)
			append(&b, kpis, kpi_json(&b, kr, k));
	put(&b, doc, "kpis", kpis);

	char *s = NULL;
	if (!b.failed)
		s = json_dumps(doc, JSON_INDENT(2) | JSON_SORT_KEYS);
	json_decref(doc);
	return s;
}

/* ---- writing ---- */

/* A reader that went away (| head) is a write error (EPIPE), not death by
 * SIGPIPE after the report was written. */
static enum wr_error write_stdout(const char *doc, struct wr_errmsg *err)
{
	struct sigaction ignore, old;
	memset(&ignore, 0, sizeof(ignore));
	ignore.sa_handler = SIG_IGN;
	sigemptyset(&ignore.sa_mask);
	bool ignored = sigaction(SIGPIPE, &ignore, &old) == 0;
	errno = 0;
	bool ok = fputs(doc, stdout) != EOF && fputc('\n', stdout) != EOF;
	ok = fflush(stdout) == 0 && ok && !ferror(stdout);
	int why = errno;
	if (ignored)
		sigaction(SIGPIPE, &old, NULL);
	errno = why;
	if (!ok)
		return wr_fail(err, WR_ERR_CANTCREAT, "cannot write standard output: %s",
			       strerror(errno ? errno : EIO));
	return WR_OK;
}

static enum wr_error write_file(const char *path, const char *doc, struct wr_errmsg *err)
{
	const char *slash = strrchr(path, '/');
	char *dir = slash ? xstrndup(path, slash == path ? 1 : (size_t)(slash - path))
			  : xstrdup(".");
	const char *base = slash ? slash + 1 : path;
	size_t n = strlen(dir) + strlen(base) + sizeof("/..XXXXXX");
	char *tmp = xmalloc(n);
	snprintf(tmp, n, "%s/.%s.XXXXXX", dir, base);
	mode_t mask = umask(0);
	umask(mask);
	bool ok = false;
	int why = 0;
	int fd = mkstemp(tmp);
	if (fd < 0) {
		why = errno;
	} else {
		ok = write_all(fd, doc, strlen(doc)) && write_all(fd, "\n", 1) &&
		     fchmod(fd, FILE_MODE & ~mask) == 0 && fsync(fd) == 0;
		why = errno;
		if (close(fd) != 0 && ok) {
			ok = false;
			why = errno;
		}
		if (ok && rename(tmp, path) != 0) {
			ok = false;
			why = errno;
		}
		if (!ok)
			unlink(tmp);
	}
	if (ok) {
		int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (dfd >= 0) {
			(void)fsync(dfd); /* the file is in place regardless */
			close(dfd);
		}
	}
	free(tmp);
	free(dir);
	if (!ok)
		return wr_fail(err, WR_ERR_CANTCREAT, "cannot write %s: %s", path,
			       strerror(why ? why : EIO));
	return WR_OK;
}

enum wr_error json_export_write(const struct report *r, const struct json_export *j,
				struct wr_errmsg *err)
{
	char *doc = json_export_text(r, j);
	if (!doc)
		return wr_fail(err, WR_ERR_CANTCREAT, "cannot write %s: %s",
			       strcmp(j->path, "-") == 0 ? "standard output" : j->path,
			       strerror(ENOMEM));
	enum wr_error e;
	if (strcmp(j->path, "-") == 0) {
		e = write_stdout(doc, err);
	} else {
		sigset_t old;
		bool blocked = exit_signals_block(&old);
		e = write_file(j->path, doc, err);
		exit_signals_restore(blocked, &old);
	}
	free(doc);
	return e;
}
