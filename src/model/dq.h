/* dq.h - the data-quality log: the dataset's record of every row's fate.
 * Every rejected row and every warning, with file, line, column, the
 * offending value, the kind of problem (model/dq_kind.h: a stable code and
 * a fixed key that holds nothing from the data) and the full message (which
 * may name people).
 *
 * Counts are exact whatever the input size, per file and per file x kind x
 * column (dq_log.counts, which the Data Quality sheet shows); the list of
 * issues kept in memory is capped (dq_log.limit) so that memory stays
 * bounded. Every issue, kept or not, reaches the echo callback, which is
 * how the issues file gets all of them. The log owns copies of the values
 * and messages it keeps.
 */
#ifndef WR_DQ_H
#define WR_DQ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "model/date.h"
#include "model/dq_kind.h"
#include "model/exports.h"

#define DQ_DEFAULT_LIMIT 10000
#define DQ_VALUE_CHARS 64
#define DQ_FIRST_LINES 5

struct dq_issue {
	enum wr_file file;
	unsigned long line;      /* physical line where the record starts; 0: whole file */
	const char *column;      /* static column name, or NULL */
	enum dq_kind kind;
	enum dq_severity severity; /* the kind's */
	char *value;             /* cut to 64 characters, made printable */
	char *problem;           /* the full message: may name people */
};

/* All issues of one file x kind x column: an exact count and the smallest
 * line numbers as pointers. Nothing from the data. */
struct dq_count {
	enum wr_file file;
	enum dq_kind kind;
	enum dq_severity severity; /* the kind's */
	const char *column;      /* static column name, or NULL */
	const char *key;         /* the kind's key: what the sheet shows */
	uint64_t count;
	unsigned long first_lines[DQ_FIRST_LINES]; /* distinct, ascending */
	size_t nlines;
};

struct dq_file_counts {
	bool present;
	uint64_t read, used, rejected; /* read = used + rejected */
	uint64_t warnings, notes;      /* issues logged, not rows */
	uint64_t future;               /* used rows dated after as-of */
	/* dates that --date-format did not read (DQ_BAD_DATE), and how many of
	 * them each format would have read: the hint of dq_date_hint */
	uint64_t bad_dates;
	uint64_t bad_dates_read_as[WR_DATE_FORMATS];
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

/* Log one issue of kind (model/dq_kind.h), which gives its severity and
 * the key it is counted under on the Data Quality sheet: issues are
 * counted by file x kind x column. The message (fmt) gives the detail and
 * may name people. value may be NULL. The warnings/notes count of the file
 * goes up; rejected rows are counted by the caller (a row is rejected once,
 * even when several of its columns are wrong). */
void dq_add(struct dq_log *log, enum wr_file file, unsigned long line, const char *column,
	    enum dq_kind kind, const char *value, size_t value_len, const char *fmt, ...)
	__attribute__((format(printf, 8, 9)));

/* Log issue again (an issue of another log, e.g. one piece of a file read
 * on several threads), at line: counted, echoed and kept as dq_add does. */
void dq_add_copy(struct dq_log *log, const struct dq_issue *issue, unsigned long line);

/* Add the row counts of from (read, used, rejected, future, the bad dates)
 * to to; the warnings and notes are counted as their issues are logged. */
void dq_file_counts_add(struct dq_file_counts *to, const struct dq_file_counts *from);

/* A date value s[0..len) that format given did not read: counted in c
 * (bad_dates), with each other format that would read it. */
void dq_count_bad_date(struct dq_file_counts *c, const char *s, size_t len,
		       enum wr_date_format given);

/* The --date-format that would read more than half of the file's dates
 * that given did not (the one reading most; the first in enum order on a
 * tie): true and *fits, or false when no format does. */
bool dq_date_hint(const struct dq_file_counts *c, enum wr_date_format given,
		  enum wr_date_format *fits);

/* Sort the kept issues by file, then line (stable), and the counts by
 * file, severity, count (largest first), key and column. */
void dq_sort(struct dq_log *log);

/* All issues logged, kept or not. */
uint64_t dq_total(const struct dq_log *log);
/* Issues of one file of this kind, over all columns. */
uint64_t dq_count_kind(const struct dq_log *log, enum wr_file file, enum dq_kind kind);

/* The issues file: a header row, then one row per issue with the columns
 * file, line, column, severity, code (the kind's), problem (the kind's
 * key), detail (the message) and value, quoted by libcsv; a field starting
 * with =, +, -, @, a tab or a CR gets a leading ' so that a spreadsheet
 * takes it as text, not a formula.
 * Return false when the write failed (errno says why). */
bool dq_csv_header(FILE *f);
bool dq_csv_row(FILE *f, const struct dq_issue *issue);

/* One issue as a line of text, as the tool prints it on stderr:
 * "PREFIX: roles.csv:14: row rejected: MESSAGE (column 'start_date', value
 * '2023-02-30') [E_BAD_DATE]" and a line end; "warning" or "note" for the
 * other severities; no "PREFIX: " when prefix is NULL, no line for line 0. */
void dq_print_issue(FILE *f, const struct dq_issue *issue, const char *prefix);

/* "rejected", "warning", "note", "fatal". */
const char *dq_severity_name(enum dq_severity s);

/* Copy text[0..len) into out (size outsize) as printable UTF-8, at most
 * max_chars characters: invalid UTF-8 bytes and control characters become
 * \xNN, a cut is marked with "…". Returns out. */
char *dq_printable(const char *text, size_t len, size_t max_chars, char *out, size_t outsize);

#endif
