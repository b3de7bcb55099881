/* dq.c - see dq.h. */
#include "ingest/dq.h"

#include <csv.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/sort.h"
#include "core/utf8.h"

void dq_init(struct dq_log *log, size_t limit)
{
	memset(log, 0, sizeof(*log));
	log->limit = limit;
}

void dq_release(struct dq_log *log)
{
	for (size_t i = 0; i < log->count; i++) {
		free(log->items[i].value);
		free(log->items[i].problem);
	}
	free(log->items);
	for (size_t i = 0; i < log->ncounts; i++)
		free(log->counts[i].key);
	free(log->counts);
	memset(log, 0, sizeof(*log));
}

const char *dq_severity_name(enum dq_severity s)
{
	switch (s) {
	case DQ_REJECTED: return "rejected";
	case DQ_WARNING: return "warning";
	default: return "note";
	}
}

char *dq_printable(const char *text, size_t len, size_t max_chars, char *out, size_t outsize)
{
	size_t o = 0, chars = 0, i = 0;
	/* room for the longest piece (\xNN or a 4-byte character) and "…" + NUL */
	while (i < len && o + 8 < outsize) {
		if (chars == max_chars) {
			memcpy(out + o, "\xE2\x80\xA6", 3);
			o += 3;
			break;
		}
		unsigned char c = (unsigned char)text[i];
		size_t n = utf8_char_len(text + i, len - i);
		if (n == 0 || c < 0x20 || c == 0x7F) {
			o += (size_t)snprintf(out + o, outsize - o, "\\x%02X", c);
			i++;
		} else {
			memcpy(out + o, text + i, n);
			o += n;
			i += n;
		}
		chars++;
	}
	out[o] = '\0';
	return out;
}

static bool same_column(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

static bool count_is(const struct dq_count *c, enum wr_file file, enum dq_severity severity,
		     const char *column, const char *key)
{
	return c->file == file && c->severity == severity && same_column(c->column, column) &&
	       strcmp(c->key, key) == 0;
}

/* Keep the DQ_FIRST_LINES smallest distinct lines, ascending; 0 (the whole
 * file) points nowhere and is left out. */
static void note_line(struct dq_count *c, unsigned long line)
{
	if (line == 0)
		return;
	size_t n = c->nlines;
	if (n == DQ_FIRST_LINES && line >= c->first_lines[n - 1])
		return;
	size_t at = 0;
	while (at < n && c->first_lines[at] < line)
		at++;
	if (at < n && c->first_lines[at] == line)
		return;
	if (n == DQ_FIRST_LINES)
		n--; /* the largest drops out */
	memmove(c->first_lines + at + 1, c->first_lines + at, (n - at) * sizeof(c->first_lines[0]));
	c->first_lines[at] = line;
	c->nlines = n + 1;
}

/* The count of this file x key x column x severity, made on first use. The
 * last one hit is tried first: issues come in runs of one kind. */
static struct dq_count *count_of(struct dq_log *log, enum wr_file file,
				 enum dq_severity severity, const char *column, const char *key)
{
	if (log->last_count < log->ncounts &&
	    count_is(&log->counts[log->last_count], file, severity, column, key))
		return &log->counts[log->last_count];
	for (size_t i = 0; i < log->ncounts; i++)
		if (count_is(&log->counts[i], file, severity, column, key)) {
			log->last_count = i;
			return &log->counts[i];
		}
	GROW(log->counts, log->counts_cap, log->ncounts + 1);
	log->last_count = log->ncounts;
	struct dq_count *c = &log->counts[log->ncounts++];
	*c = (struct dq_count){.file = file, .severity = severity, .column = column,
			       .key = xstrdup(key)};
	return c;
}

void dq_add(struct dq_log *log, enum wr_file file, unsigned long line, const char *column,
	    enum dq_severity severity, const char *key, const char *value, size_t value_len,
	    const char *fmt, ...)
{
	if (severity == DQ_WARNING)
		log->files[file].warnings++;
	else if (severity == DQ_NOTE)
		log->files[file].notes++;
	if (!key)
		key = "other problem";
	struct dq_count *counted = count_of(log, file, severity, column, key);
	counted->count++;
	note_line(counted, line);

	bool keep = log->count < log->limit;
	if (!keep && !log->echo) {
		log->not_kept++;
		return;
	}
	char problem[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(problem, sizeof(problem), fmt, ap);
	va_end(ap);
	char shown[DQ_VALUE_CHARS * 4 + 16];
	struct dq_issue issue = {
		.file = file,
		.line = line,
		.column = column,
		.severity = severity,
		.key = counted->key,
		.value = value ? dq_printable(value, value_len, DQ_VALUE_CHARS, shown, sizeof(shown))
			       : NULL,
		.problem = problem,
	};
	if (log->echo)
		log->echo(log->echo_ctx, &issue);
	if (!keep) {
		log->not_kept++;
		return;
	}
	GROW(log->items, log->cap, log->count + 1);
	issue.value = issue.value ? xstrdup(issue.value) : NULL;
	issue.problem = xstrdup(problem);
	log->items[log->count++] = issue;
}

uint64_t dq_total(const struct dq_log *log)
{
	uint64_t n = 0;
	for (size_t i = 0; i < log->ncounts; i++)
		n += log->counts[i].count;
	return n;
}

uint64_t dq_count_key(const struct dq_log *log, enum wr_file file, const char *key)
{
	uint64_t n = 0;
	for (size_t i = 0; i < log->ncounts; i++)
		if (log->counts[i].file == file && strcmp(log->counts[i].key, key) == 0)
			n += log->counts[i].count;
	return n;
}

struct keyed {
	struct dq_issue issue;
	size_t order;
};

static int by_file_line(const void *a, const void *b)
{
	const struct keyed *x = a, *y = b;
	if (x->issue.file != y->issue.file)
		return x->issue.file < y->issue.file ? -1 : 1;
	if (x->issue.line != y->issue.line)
		return x->issue.line < y->issue.line ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

static int by_file_count(const void *a, const void *b)
{
	const struct dq_count *x = a, *y = b;
	if (x->file != y->file)
		return x->file < y->file ? -1 : 1;
	if (x->severity != y->severity)
		return x->severity < y->severity ? -1 : 1;
	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	int k = strcmp(x->key, y->key);
	if (k)
		return k;
	if (!x->column || !y->column)
		return (x->column != NULL) - (y->column != NULL);
	return strcmp(x->column, y->column);
}

/* Sort by file and line, keeping the order of issues on the same line. */
void dq_sort(struct dq_log *log)
{
	if (log->ncounts > 1)
		sort_items(log->counts, log->ncounts, sizeof(*log->counts), by_file_count);
	log->last_count = 0;
	if (log->count < 2)
		return;
	struct keyed *k = xmalloc(log->count * sizeof(*k));
	for (size_t i = 0; i < log->count; i++)
		k[i] = (struct keyed){log->items[i], i};
	sort_items(k, log->count, sizeof(*k), by_file_line);
	for (size_t i = 0; i < log->count; i++)
		log->items[i] = k[i].issue;
	free(k);
}

/* A spreadsheet opening the file would take these first characters as the
 * start of a formula. */
static bool risky(const char *s)
{
	return s[0] && strchr("=+-@\t\r", s[0]) != NULL;
}

/* One quoted field (libcsv doubles the quotes), with a leading ' when
 * risky; NULL writes an empty, unquoted field. */
static bool put_text(FILE *f, const char *s, bool last)
{
	bool ok = true;
	if (s) {
		if (risky(s)) {
			size_t n = strlen(s);
			char *guarded = xmalloc(n + 2);
			guarded[0] = '\'';
			memcpy(guarded + 1, s, n + 1);
			ok = csv_fwrite(f, guarded, n + 1) == 0;
			free(guarded);
		} else {
			ok = csv_fwrite(f, s, strlen(s)) == 0;
		}
	}
	return fputs(last ? "\r\n" : ",", f) != EOF && ok;
}

bool dq_csv_header(FILE *f)
{
	return fputs("file,line,column,severity,problem,detail,value\r\n", f) != EOF;
}

bool dq_csv_row(FILE *f, const struct dq_issue *it)
{
	bool ok = put_text(f, schema_file(it->file)->name, false);
	if (it->line && fprintf(f, "%lu", it->line) < 0)
		ok = false;
	ok = fputc(',', f) != EOF && ok;
	ok = put_text(f, it->column, false) && ok;
	ok = put_text(f, dq_severity_name(it->severity), false) && ok;
	ok = put_text(f, it->key, false) && ok;
	ok = put_text(f, it->problem, false) && ok;
	ok = put_text(f, it->value, true) && ok;
	return ok;
}
