/* dq_kind.h - every kind of data problem, once: a stable code that every
 * message about it carries ("E_BAD_DATE"), the short key the Data Quality
 * sheet counts it under ("invalid date", nothing from the data) and its
 * severity. One table (dq_kind.c), read both ways.
 *
 * Codes start with E_ for a rejected row or a file that cannot be read
 * (fatal), W_ for a warning (the row is kept) and N_ for a note. A code, once
 * given, is not changed: scripts and tests match on it, never on wording.
 */
#ifndef WR_DQ_KIND_H
#define WR_DQ_KIND_H

#include <stdbool.h>

#include "core/error.h"

enum dq_severity {
	DQ_REJECTED,  /* the row is not used */
	DQ_WARNING,   /* the row is used; something about it looks wrong */
	DQ_NOTE,      /* for information (an unknown column, ignored) */
	DQ_FATAL      /* the file cannot be read: the run stops */
};

enum dq_kind {
	/* a value that rejects its row */
	DQ_VALUE_TOO_LONG,
	DQ_NUL_BYTE,
	DQ_BAD_UTF8,
	DQ_MISSING_VALUE,
	DQ_ID_TOO_LONG,
	DQ_NAME_TOO_LONG,
	DQ_BAD_DATE,
	DQ_BAD_LEVEL,
	DQ_BAD_COUNT,
	DQ_BAD_TRACK,
	DQ_BAD_OUTCOME,
	DQ_BAD_ROUTE,
	DQ_BAD_COLUMN_TYPE,
	/* a row rejected as a whole, or for two of its values together */
	DQ_FIELD_COUNT,
	DQ_DATE_ORDER,
	DQ_LEVEL_NOT_ABOVE,
	DQ_DUPLICATE_ROW,
	/* warnings: the row is used */
	DQ_FUTURE_DATED,
	DQ_ROLE_OVERLAP,
	DQ_NO_ROLE_BEFORE_PROMOTION,
	DQ_FROM_LEVEL_DIFFERS,
	DQ_PROMOTION_NOT_IN_ROLES,
	DQ_SECOND_PROMOTION,
	DQ_UNRECORDED_PROMOTION,
	DQ_UNKNOWN_EMPLOYEE,
	DQ_INTERN_NO_EMPLOYEE_ID,
	DQ_INTERN_UNKNOWN_EMPLOYEE,
	DQ_MANAGER_INACTIVE,
	DQ_MANAGER_NO_REPORTS,
	/* notes */
	DQ_UNKNOWN_COLUMN,
	/* fatal: a file that cannot be read */
	DQ_NO_INPUT,
	DQ_CANNOT_READ,
	DQ_NOT_A_FILE,
	DQ_EMPTY_FILE,
	DQ_BROKEN_QUOTE,
	DQ_UNCLOSED_QUOTE,
	DQ_BAD_CSV,
	DQ_MISSING_COLUMN,
	DQ_DUPLICATE_COLUMN,
	DQ_KIND_COUNT
};

/* "E_BAD_DATE"; "" for a value out of range. */
const char *dq_kind_code(enum dq_kind kind);
/* "invalid date": what the Data Quality sheet counts; "" out of range. */
const char *dq_kind_key(enum dq_kind kind);
enum dq_severity dq_kind_severity(enum dq_kind kind);

/* The kind with this code (exact match): true and *kind, or false. */
bool dq_kind_from_code(const char *code, enum dq_kind *kind);
/* The kind with this key (exact match): true and *kind, or false. */
bool dq_kind_from_key(const char *key, enum dq_kind *kind);

/* wr_fail for a fatal problem of an input file: the message, then its
 * code, " [E_BROKEN_QUOTE]" (kept whole however long the message). */
enum wr_error dq_fail(struct wr_errmsg *msg, enum wr_error err, enum dq_kind kind,
		      const char *fmt, ...) __attribute__((format(printf, 4, 5)));

#endif
