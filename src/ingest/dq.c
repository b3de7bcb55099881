/* dq.c - see dq.h. */
#include "ingest/dq.h"

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

void dq_add(struct dq_log *log, enum wr_file file, unsigned long line, const char *column,
	    enum dq_severity severity, const char *value, size_t value_len, const char *fmt, ...)
{
	if (severity == DQ_WARNING)
		log->files[file].warnings++;
	else if (severity == DQ_NOTE)
		log->files[file].notes++;

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

/* Sort by file and line, keeping the order of issues on the same line. */
void dq_sort(struct dq_log *log)
{
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
