/* dq.h - the data-quality log: every rejected row and every warning, with
 * file, line, column, the offending value and the reason.
 *
 * Counts are exact whatever the input size; the list of issues kept for the
 * workbook is capped (dq_log.limit) so that memory stays bounded. The log
 * owns copies of the values and messages it keeps.
 */
#ifndef WR_DQ_H
#define WR_DQ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ingest/schema.h"

#define DQ_DEFAULT_LIMIT 10000
#define DQ_VALUE_CHARS 64

enum dq_severity { DQ_REJECTED, DQ_WARNING, DQ_NOTE };

struct dq_issue {
	enum wr_file file;
	unsigned long line;      /* physical line where the record starts; 0: whole file */
	const char *column;      /* static column name, or NULL */
	enum dq_severity severity;
	char *value;             /* cut to 64 characters, made printable */
	char *problem;
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
	void (*echo)(void *ctx, const struct dq_issue *issue); /* optional */
	void *echo_ctx;
};

void dq_init(struct dq_log *log, size_t limit);
void dq_release(struct dq_log *log);

/* Log one issue. value may be NULL. The warnings/notes count of the file goes
 * up; rejected rows are counted by the caller (a row is rejected once, even
 * when several of its columns are wrong). */
void dq_add(struct dq_log *log, enum wr_file file, unsigned long line, const char *column,
	    enum dq_severity severity, const char *value, size_t value_len, const char *fmt, ...)
	__attribute__((format(printf, 8, 9)));

/* Sort the kept issues by file, then line (stable). */
void dq_sort(struct dq_log *log);

const char *dq_severity_name(enum dq_severity s);

/* Copy text[0..len) into out (size outsize) as printable UTF-8, at most
 * max_chars characters: invalid UTF-8 bytes and control characters become
 * \xNN, a cut is marked with "…". Returns out. */
char *dq_printable(const char *text, size_t len, size_t max_chars, char *out, size_t outsize);

#endif
