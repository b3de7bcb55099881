/* dq.h - the data-quality log: every rejected row and every warning, with
 * file, line, column, the offending value, the kind of problem (a fixed key
 * that holds nothing from the data) and the full message (which may name
 * people).
 *
 * Counts are exact whatever the input size, per file and per file x key x
 * column x severity (dq_log.counts, which the Data Quality sheet shows); the
 * list of issues kept in memory is capped (dq_log.limit) so that memory
 * stays bounded. Every issue, kept or not, reaches the echo callback, which
 * is how the issues file gets all of them. The log owns copies of the
 * values, messages and keys it keeps.
 */
#ifndef WR_DQ_H
#define WR_DQ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "ingest/schema.h"

#define DQ_DEFAULT_LIMIT 10000
#define DQ_VALUE_CHARS 64
#define DQ_FIRST_LINES 5

enum dq_severity { DQ_REJECTED, DQ_WARNING, DQ_NOTE };

struct dq_issue {
	enum wr_file file;
	unsigned long line;      /* physical line where the record starts; 0: whole file */
	const char *column;      /* static column name, or NULL */
	enum dq_severity severity;
	const char *key;         /* the kind of problem, no value from the data */
	char *value;             /* cut to 64 characters, made printable */
	char *problem;           /* the full message: may name people */
};

/* All issues of one file x key x column x severity: an exact count and the
 * smallest line numbers as pointers. Nothing from the data. */
struct dq_count {
	enum wr_file file;
	enum dq_severity severity;
	const char *column;      /* static column name, or NULL */
	char *key;               /* owned copy */
	uint64_t count;
	unsigned long first_lines[DQ_FIRST_LINES]; /* distinct, ascending */
	size_t nlines;
};

struct dq_file_counts {
	bool present;
	uint64_t read, used, rejected; /* read = used + rejected */
	uint64_t warnings, notes;      /* issues logged, not rows */
	uint64_t future;               /* used rows dated after as-of */
};

struct dq_log {
	struct dq_issue *items;
	size_t count, cap, limit;
	uint64_t not_kept;             /* issues past the limit */
	struct dq_file_counts files[WR_FILE_COUNT];
	struct dq_count *counts;       /* every issue, never capped */
	size_t ncounts, counts_cap, last_count;
	/* --dq-detail: the workbook lists the kept issues (person-level data) */
	bool list_in_workbook;
	/* optional: sees every issue, kept or not, as it is logged */
	void (*echo)(void *ctx, const struct dq_issue *issue);
	void *echo_ctx;
};

void dq_init(struct dq_log *log, size_t limit);
void dq_release(struct dq_log *log);

/* Log one issue. key is the kind of problem, a short fixed text that holds
 * no value from the data ("invalid date", "duplicate row"): issues are
 * counted by file x key x column x severity, and the key is what the
 * Data Quality sheet shows. The message (fmt) gives the detail and may name
 * people. value may be NULL. The warnings/notes count of the file goes up;
 * rejected rows are counted by the caller (a row is rejected once, even
 * when several of its columns are wrong). */
void dq_add(struct dq_log *log, enum wr_file file, unsigned long line, const char *column,
	    enum dq_severity severity, const char *key, const char *value, size_t value_len,
	    const char *fmt, ...) __attribute__((format(printf, 9, 10)));

/* Sort the kept issues by file, then line (stable), and the counts by
 * file, severity, count (largest first), key and column. */
void dq_sort(struct dq_log *log);

/* All issues logged, kept or not. */
uint64_t dq_total(const struct dq_log *log);
/* Issues of one file with this key, over all columns and severities. */
uint64_t dq_count_key(const struct dq_log *log, enum wr_file file, const char *key);

/* The issues file: a header row, then one row per issue with the columns
 * file, line, column, severity, problem (the key), detail (the message) and
 * value, quoted by libcsv; a field starting with =, +, -, @, a tab or a CR
 * gets a leading ' so that a spreadsheet takes it as text, not a formula.
 * Return false when the write failed (errno says why). */
bool dq_csv_header(FILE *f);
bool dq_csv_row(FILE *f, const struct dq_issue *issue);

const char *dq_severity_name(enum dq_severity s);

/* Copy text[0..len) into out (size outsize) as printable UTF-8, at most
 * max_chars characters: invalid UTF-8 bytes and control characters become
 * \xNN, a cut is marked with "…". Returns out. */
char *dq_printable(const char *text, size_t len, size_t max_chars, char *out, size_t outsize);

#endif
