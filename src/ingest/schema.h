/* schema.h - the column table of each export: one static description per
 * file, read by the one table-driven validator (validate.h). The files and
 * their columns' names are model/exports.h's.
 */
#ifndef WR_SCHEMA_H
#define WR_SCHEMA_H

#include <stdbool.h>
#include <stddef.h>

#include "model/exports.h"

enum col_type {
	COL_ID,      /* an identifier: employee, secondee, intern */
	COL_TEXT,    /* a title, family, department, team, employer */
	COL_DATE,    /* a date in --date-format */
	COL_LEVEL,   /* an integer LEVEL_MIN-LEVEL_MAX (model/dataset.h) */
	COL_TRACK,   /* a name of track_names (model/dataset.h), in any case */
	COL_OUTCOME, /* a name of outcome_names */
	COL_ROUTE,   /* a name of route_names */
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

/* A check across two columns of a row, by column (the file's *_col enum). */
enum row_check_kind {
	CHECK_NONE,
	CHECK_NOT_BEFORE,  /* column b, when set, is not before column a (DQ_DATE_ORDER) */
	CHECK_ABOVE        /* level b is above level a (DQ_LEVEL_NOT_ABOVE) */
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
