/* schema.h - the column table of each export: one static description per
 * file, read by the one table-driven validator (validate.h).
 */
#ifndef WR_SCHEMA_H
#define WR_SCHEMA_H

#include <stdbool.h>
#include <stddef.h>

enum wr_file {
	WR_FILE_ROLES,
	WR_FILE_PROMOTIONS,
	WR_FILE_TRANSFERS,
	WR_FILE_SECONDMENTS,
	WR_FILE_INTERNS,
	WR_FILE_LATERAL,
	WR_FILE_LEVELS,
	WR_FILE_COUNT
};

enum col_type {
	COL_ID,      /* an identifier: employee, secondee, intern */
	COL_TEXT,    /* a title, family, department, team, employer */
	COL_DATE,    /* a date in --date-format */
	COL_LEVEL,   /* an integer 1-12 */
	COL_TRACK,   /* ic | management */
	COL_OUTCOME, /* hired | offer_declined | no_offer */
	COL_ROUTE,   /* application | merge_requests */
	COL_COUNT,   /* an integer >= 0 */
	COL_NAME     /* a level's name: free text, at most 256 bytes like an id */
};

enum col_need {
	COL_REQUIRED,     /* the column must exist and every row needs a value */
	COL_PRESENT,      /* the column must exist; a value may be empty */
	COL_OPTIONAL      /* the column may be absent; a value may be empty */
};

struct col_spec {
	const char *name;
	enum col_type type;
	enum col_need need;
};

/* The columns of each export, in the order of its schema table (schema.c):
 * the one place a column's index is defined. Everything that reads a
 * column (the loader, has_column[]) names it with these; each *_COLS is
 * the file's number of columns. */
enum roles_col {
	ROLES_EMPLOYEE_ID,
	ROLES_ROLE,
	ROLES_FAMILY,
	ROLES_TRACK,
	ROLES_LEVEL,
	ROLES_DEPARTMENT,
	ROLES_START_DATE,
	ROLES_END_DATE,
	ROLES_MANAGER_ID,
	ROLES_COLS
};

enum promotions_col {
	PROMOTIONS_EMPLOYEE_ID,
	PROMOTIONS_EFFECTIVE_DATE,
	PROMOTIONS_FROM_LEVEL,
	PROMOTIONS_TO_LEVEL,
	PROMOTIONS_FROM_ROLE,
	PROMOTIONS_TO_ROLE,
	PROMOTIONS_COLS
};

enum transfers_col {
	TRANSFERS_EMPLOYEE_ID,
	TRANSFERS_EFFECTIVE_DATE,
	TRANSFERS_FROM_FAMILY,
	TRANSFERS_TO_FAMILY,
	TRANSFERS_FROM_DEPARTMENT,
	TRANSFERS_TO_DEPARTMENT,
	TRANSFERS_COLS
};

enum secondments_col {
	SECONDMENTS_SECONDEE_ID,
	SECONDMENTS_EMPLOYER,
	SECONDMENTS_TEAM,
	SECONDMENTS_START_DATE,
	SECONDMENTS_PLANNED_END_DATE,
	SECONDMENTS_END_DATE,
	SECONDMENTS_MERGED_MRS,
	SECONDMENTS_COLS
};

enum interns_col {
	INTERNS_INTERN_ID,
	INTERNS_TEAM,
	INTERNS_START_DATE,
	INTERNS_END_DATE,
	INTERNS_OUTCOME,
	INTERNS_ROUTE,
	INTERNS_EMPLOYEE_ID,
	INTERNS_COLS
};

enum lateral_col {
	LATERAL_FROM_FAMILY,
	LATERAL_TO_FAMILY,
	LATERAL_COLS
};

enum levels_col {
	LEVELS_TRACK,
	LEVELS_LEVEL,
	LEVELS_NAME,
	LEVELS_COLS
};

/* The most columns any export has: the size of every per-column array
 * (header_map, row_values, input_file.has_column, the loader's caches). */
#define SCHEMA_MAX2_(a, b) ((int)(a) > (int)(b) ? (int)(a) : (int)(b))
enum {
	SCHEMA_MAX_COLS = SCHEMA_MAX2_(
		SCHEMA_MAX2_(SCHEMA_MAX2_(ROLES_COLS, PROMOTIONS_COLS),
			     SCHEMA_MAX2_(TRANSFERS_COLS, SECONDMENTS_COLS)),
		SCHEMA_MAX2_(SCHEMA_MAX2_(INTERNS_COLS, LATERAL_COLS), LEVELS_COLS))
};
#undef SCHEMA_MAX2_

#define SCHEMA_FITS_(n) _Static_assert((int)(n) <= (int)SCHEMA_MAX_COLS, #n " fits SCHEMA_MAX_COLS")
SCHEMA_FITS_(ROLES_COLS);
SCHEMA_FITS_(PROMOTIONS_COLS);
SCHEMA_FITS_(TRANSFERS_COLS);
SCHEMA_FITS_(SECONDMENTS_COLS);
SCHEMA_FITS_(INTERNS_COLS);
SCHEMA_FITS_(LATERAL_COLS);
SCHEMA_FITS_(LEVELS_COLS);
#undef SCHEMA_FITS_

/* A check across two columns of a row, by column (the file's *_col enum). */
enum row_check_kind {
	CHECK_NONE,
	CHECK_NOT_BEFORE,  /* column b, when set, is not before column a */
	CHECK_ABOVE        /* column b is above column a */
};

struct row_check {
	enum row_check_kind kind;
	int a, b;
};

#define MAX_CHECKS 2

struct file_spec {
	enum wr_file id;
	const char *name;        /* "roles.csv" */
	bool required;
	const char *what;        /* "role history", for messages */
	size_t ncols;            /* the file's *_COLS */
	const struct col_spec *cols; /* ncols columns, indexed by the *_col enum */
	struct row_check checks[MAX_CHECKS];
	/* duplicates: a row with the same (key_col, key_col2) as an earlier row
	 * is rejected; -1 for none. key_col is an id (COL_ID) or a track
	 * (COL_TRACK); key_col2 a date (COL_DATE, which is then also the row's
	 * date for the future-dated check) or a level (COL_LEVEL). */
	int key_col, key_col2;
	bool key_is_employee;    /* key_col holds employee ids */
};

const struct file_spec *schema_file(enum wr_file id);

/* Column index of name in spec, or -1. */
int schema_col(const struct file_spec *spec, const char *name);

#endif
