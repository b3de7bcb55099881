/* dq.c - see dq.h. */
#include "model/dq.h"

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
	free(log->counts);
	memset(log, 0, sizeof(*log));
}

const char *dq_severity_name(enum dq_severity s)
{
	switch (s) {
	case DQ_REJECTED: return "rejected";
	case DQ_WARNING: return "warning";
	case DQ_NOTE: return "note";
	default: return "fatal";
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

static bool count_is(const struct dq_count *c, enum wr_file file, enum dq_kind kind,
		     const char *column)
{
	return c->file == file && c->kind == kind && same_column(c->column, column);
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

/* The count of this file x kind x column, made on first use. The last one
 * hit is tried first: issues come in runs of one kind. */
static struct dq_count *count_of(struct dq_log *log, enum wr_file file, enum dq_kind kind,
				 const char *column)
{
	if (log->last_count < log->ncounts &&
	    count_is(&log->counts[log->last_count], file, kind, column))
		return &log->counts[log->last_count];
	for (size_t i = 0; i < log->ncounts; i++)
		if (count_is(&log->counts[i], file, kind, column)) {
			log->last_count = i;
			return &log->counts[i];
		}
	GROW(log->counts, log->counts_cap, log->ncounts + 1);
	log->last_count = log->ncounts;
	struct dq_count *c = &log->counts[log->ncounts++];
	*c = (struct dq_count){.file = file, .kind = kind, .severity = dq_kind_severity(kind),
			       .column = column, .key = dq_kind_key(kind)};
	return c;
}

/* Count an issue: its file's warnings or notes, its file x kind x column.
 * True when it is also to be kept or echoed. */
static bool count_issue(struct dq_log *log, enum wr_file file, unsigned long line,
			const char *column, enum dq_kind kind)
{
	enum dq_severity severity = dq_kind_severity(kind);
	if (severity == DQ_WARNING)
		log->files[file].warnings++;
	else if (severity == DQ_NOTE)
		log->files[file].notes++;
	struct dq_count *counted = count_of(log, file, kind, column);
	counted->count++;
	note_line(counted, line);
	if (log->count < log->limit || log->echo)
		return true;
	log->not_kept++;
	return false;
}

/* Echo a counted issue and keep a copy of it while under the limit. */
static void keep_issue(struct dq_log *log, struct dq_issue issue)
{
	if (log->echo)
		log->echo(log->echo_ctx, &issue);
	if (log->count >= log->limit) {
		log->not_kept++;
		return;
	}
	GROW(log->items, log->cap, log->count + 1);
	issue.value = issue.value ? xstrdup(issue.value) : NULL;
	issue.problem = xstrdup(issue.problem);
	log->items[log->count++] = issue;
}

void dq_add(struct dq_log *log, enum wr_file file, unsigned long line, const char *column,
	    enum dq_kind kind, const char *value, size_t value_len, const char *fmt, ...)
{
	if (!count_issue(log, file, line, column, kind))
		return;
	char problem[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(problem, sizeof(problem), fmt, ap);
	va_end(ap);
	char shown[DQ_VALUE_CHARS * 4 + 16];
	keep_issue(log, (struct dq_issue){
		.file = file,
		.line = line,
		.column = column,
		.kind = kind,
		.severity = dq_kind_severity(kind),
		.value = value ? dq_printable(value, value_len, DQ_VALUE_CHARS, shown, sizeof(shown))
			       : NULL,
		.problem = problem,
	});
}

void dq_add_copy(struct dq_log *log, const struct dq_issue *issue, unsigned long line)
{
	if (!count_issue(log, issue->file, line, issue->column, issue->kind))
		return;
	struct dq_issue copy = *issue;
	copy.line = line;
	keep_issue(log, copy);
}

void dq_file_counts_add(struct dq_file_counts *to, const struct dq_file_counts *from)
{
	to->read += from->read;
	to->used += from->used;
	to->rejected += from->rejected;
	to->future += from->future;
	to->bad_dates += from->bad_dates;
	for (int f = 0; f < WR_DATE_FORMATS; f++)
		to->bad_dates_read_as[f] += from->bad_dates_read_as[f];
}

uint64_t dq_total(const struct dq_log *log)
{
	uint64_t n = 0;
	for (size_t i = 0; i < log->ncounts; i++)
		n += log->counts[i].count;
	return n;
}

uint64_t dq_count_kind(const struct dq_log *log, enum wr_file file, enum dq_kind kind)
{
	uint64_t n = 0;
	for (size_t i = 0; i < log->ncounts; i++)
		if (log->counts[i].file == file && log->counts[i].kind == kind)
			n += log->counts[i].count;
	return n;
}

void dq_count_bad_date(struct dq_file_counts *c, const char *s, size_t len,
		       enum wr_date_format given)
{
	c->bad_dates++;
	for (int f = 0; f < WR_DATE_FORMATS; f++) {
		wr_date d;
		if (f != (int)given && date_parse(s, len, (enum wr_date_format)f, &d))
			c->bad_dates_read_as[f]++;
	}
}

bool dq_date_hint(const struct dq_file_counts *c, enum wr_date_format given,
		  enum wr_date_format *fits)
{
	int best = -1;
	for (int f = 0; f < WR_DATE_FORMATS; f++) {
		uint64_t n = c->bad_dates_read_as[f];
		if (f == (int)given || 2 * n <= c->bad_dates)
			continue; /* reads half of them or fewer */
		if (best < 0 || n > c->bad_dates_read_as[best])
			best = f;
	}
	if (best < 0)
		return false;
	*fits = (enum wr_date_format)best;
	return true;
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
	return fputs("file,line,column,severity,code,problem,detail,value\r\n", f) != EOF;
}

bool dq_csv_row(FILE *f, const struct dq_issue *it)
{
	/* the stream's lock once per row, not once per character (libcsv's
	 * csv_fwrite writes a character at a time; with a second thread in
	 * the process every fputc would take the lock) */
	flockfile(f);
	bool ok = put_text(f, wr_file_name(it->file), false);
	if (it->line && fprintf(f, "%lu", it->line) < 0)
		ok = false;
	ok = fputc(',', f) != EOF && ok;
	ok = put_text(f, it->column, false) && ok;
	ok = put_text(f, dq_severity_name(it->severity), false) && ok;
	ok = put_text(f, dq_kind_code(it->kind), false) && ok;
	ok = put_text(f, dq_kind_key(it->kind), false) && ok;
	ok = put_text(f, it->problem, false) && ok;
	ok = put_text(f, it->value, true) && ok;
	funlockfile(f);
	return ok;
}

void dq_print_issue(FILE *f, const struct dq_issue *it, const char *prefix)
{
	static const char *const label[] = {
		[DQ_REJECTED] = "row rejected", [DQ_WARNING] = "warning", [DQ_NOTE] = "note",
		[DQ_FATAL] = "fatal",
	};
	if (prefix)
		fprintf(f, "%s: ", prefix);
	fputs(wr_file_name(it->file), f);
	if (it->line)
		fprintf(f, ":%lu", it->line);
	fprintf(f, ": %s: %s", label[it->severity], it->problem);
	if (it->column)
		fprintf(f, " (column '%s'%s%s%s)", it->column, it->value ? ", value '" : "",
			it->value ? it->value : "", it->value ? "'" : "");
	fprintf(f, " [%s]\n", dq_kind_code(it->kind));
}
