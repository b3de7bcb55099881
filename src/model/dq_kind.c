/* dq_kind.c - see dq_kind.h: the table of every kind of data problem. */
#include "model/dq_kind.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

struct dq_kind_def {
	enum dq_kind kind;
	const char *code;
	const char *key;
	enum dq_severity severity;
};

#define KIND(k, code, key, severity) [k] = {k, code, key, severity}

static const struct dq_kind_def kinds[] = {
	KIND(DQ_VALUE_TOO_LONG, "E_VALUE_TOO_LONG", "value too long", DQ_REJECTED),
	KIND(DQ_NUL_BYTE, "E_NUL_BYTE", "NUL byte", DQ_REJECTED),
	KIND(DQ_BAD_UTF8, "E_BAD_UTF8", "invalid UTF-8", DQ_REJECTED),
	KIND(DQ_MISSING_VALUE, "E_MISSING_VALUE", "missing required value", DQ_REJECTED),
	KIND(DQ_ID_TOO_LONG, "E_ID_TOO_LONG", "identifier too long", DQ_REJECTED),
	KIND(DQ_NAME_TOO_LONG, "E_NAME_TOO_LONG", "name too long", DQ_REJECTED),
	KIND(DQ_BAD_DATE, "E_BAD_DATE", "invalid date", DQ_REJECTED),
	KIND(DQ_BAD_LEVEL, "E_BAD_LEVEL", "invalid level", DQ_REJECTED),
	KIND(DQ_BAD_COUNT, "E_BAD_COUNT", "invalid count", DQ_REJECTED),
	KIND(DQ_BAD_TRACK, "E_BAD_TRACK", "unknown track", DQ_REJECTED),
	KIND(DQ_BAD_OUTCOME, "E_BAD_OUTCOME", "unknown outcome", DQ_REJECTED),
	KIND(DQ_BAD_ROUTE, "E_BAD_ROUTE", "unknown route", DQ_REJECTED),
	KIND(DQ_BAD_COLUMN_TYPE, "E_BAD_COLUMN_TYPE", "unsupported column type", DQ_REJECTED),
	KIND(DQ_FIELD_COUNT, "E_FIELD_COUNT", "wrong number of fields", DQ_REJECTED),
	KIND(DQ_DATE_ORDER, "E_DATE_ORDER", "dates out of order", DQ_REJECTED),
	KIND(DQ_LEVEL_NOT_ABOVE, "E_LEVEL_NOT_ABOVE", "level does not rise", DQ_REJECTED),
	KIND(DQ_DUPLICATE_ROW, "E_DUPLICATE_ROW", "duplicate row", DQ_REJECTED),
	KIND(DQ_FUTURE_DATED, "W_FUTURE_DATED", "future-dated row", DQ_WARNING),
	KIND(DQ_ROLE_OVERLAP, "W_ROLE_OVERLAP", "role overlaps the next role", DQ_WARNING),
	KIND(DQ_NO_ROLE_BEFORE_PROMOTION, "W_NO_ROLE_BEFORE_PROMOTION",
	     "no role held the day before the promotion", DQ_WARNING),
	KIND(DQ_FROM_LEVEL_DIFFERS, "W_FROM_LEVEL_DIFFERS", "from_level differs from the level held",
	     DQ_WARNING),
	KIND(DQ_PROMOTION_NOT_IN_ROLES, "W_PROMOTION_NOT_IN_ROLES",
	     "roles.csv shows no role at the new level", DQ_WARNING),
	KIND(DQ_SECOND_PROMOTION, "W_SECOND_PROMOTION", "second promotion for one level spell",
	     DQ_WARNING),
	KIND(DQ_UNRECORDED_PROMOTION, "W_UNRECORDED_PROMOTION", "level rises with no promotion",
	     DQ_WARNING),
	KIND(DQ_UNKNOWN_EMPLOYEE, "W_UNKNOWN_EMPLOYEE", "employee not found in roles.csv",
	     DQ_WARNING),
	KIND(DQ_INTERN_NO_EMPLOYEE_ID, "W_INTERN_NO_EMPLOYEE_ID",
	     "hired intern without an employee_id", DQ_WARNING),
	KIND(DQ_INTERN_UNKNOWN_EMPLOYEE, "W_INTERN_UNKNOWN_EMPLOYEE",
	     "hired intern's employee_id not found in roles.csv", DQ_WARNING),
	KIND(DQ_MANAGER_INACTIVE, "W_MANAGER_INACTIVE",
	     "named as manager but holds no role on the as-of date", DQ_WARNING),
	KIND(DQ_MANAGER_NO_REPORTS, "W_MANAGER_NO_REPORTS",
	     "management-track employee with no active direct reports", DQ_WARNING),
	KIND(DQ_UNKNOWN_COLUMN, "N_UNKNOWN_COLUMN", "unknown column", DQ_NOTE),
	KIND(DQ_NO_INPUT, "E_NO_INPUT", "input missing", DQ_FATAL),
	KIND(DQ_CANNOT_READ, "E_CANNOT_READ", "cannot read the file", DQ_FATAL),
	KIND(DQ_NOT_A_FILE, "E_NOT_A_FILE", "not a regular file", DQ_FATAL),
	KIND(DQ_EMPTY_FILE, "E_EMPTY_FILE", "empty file", DQ_FATAL),
	KIND(DQ_BROKEN_QUOTE, "E_BROKEN_QUOTE", "broken quoting", DQ_FATAL),
	KIND(DQ_UNCLOSED_QUOTE, "E_UNCLOSED_QUOTE", "unterminated quoted field", DQ_FATAL),
	KIND(DQ_BAD_CSV, "E_BAD_CSV", "not CSV", DQ_FATAL),
	KIND(DQ_MISSING_COLUMN, "E_MISSING_COLUMN", "missing required column", DQ_FATAL),
	KIND(DQ_DUPLICATE_COLUMN, "E_DUPLICATE_COLUMN", "column named twice", DQ_FATAL),
};
_Static_assert(sizeof(kinds) / sizeof(kinds[0]) == DQ_KIND_COUNT,
	       "a row of the kinds table for every enum dq_kind");

#undef KIND

static const struct dq_kind_def *def(enum dq_kind kind)
{
	return (unsigned)kind < DQ_KIND_COUNT ? &kinds[kind] : NULL;
}

const char *dq_kind_code(enum dq_kind kind)
{
	return def(kind) ? def(kind)->code : "";
}

const char *dq_kind_key(enum dq_kind kind)
{
	return def(kind) ? def(kind)->key : "";
}

enum dq_severity dq_kind_severity(enum dq_kind kind)
{
	return def(kind) ? def(kind)->severity : DQ_FATAL;
}

bool dq_kind_from_code(const char *code, enum dq_kind *kind)
{
	for (size_t i = 0; i < DQ_KIND_COUNT; i++)
		if (strcmp(kinds[i].code, code) == 0) {
			*kind = kinds[i].kind;
			return true;
		}
	return false;
}

bool dq_kind_from_key(const char *key, enum dq_kind *kind)
{
	for (size_t i = 0; i < DQ_KIND_COUNT; i++)
		if (strcmp(kinds[i].key, key) == 0) {
			*kind = kinds[i].kind;
			return true;
		}
	return false;
}

enum wr_error dq_fail(struct wr_errmsg *msg, enum wr_error err, enum dq_kind kind,
		      const char *fmt, ...)
{
	if (!msg)
		return err;
	char tail[40];
	int n = snprintf(tail, sizeof(tail), " [%s]", dq_kind_code(kind));
	size_t room = sizeof(msg->text) - (size_t)n; /* the code always fits */
	va_list ap;
	va_start(ap, fmt);
	int len = vsnprintf(msg->text, room, fmt, ap);
	va_end(ap);
	size_t at = len < 0 ? 0 : (size_t)len < room ? (size_t)len : room - 1;
	memcpy(msg->text + at, tail, (size_t)n + 1);
	return err;
}
