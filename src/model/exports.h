/* exports.h - the shape of the inputs: which exports there are, each one's
 * file name, and the columns of each, by name. The model (has_column[],
 * the data-quality log) and ingest (the schema tables, the loader) both
 * speak of files and columns in these terms; what each column holds and
 * how it is checked is ingest's (ingest/schema.h).
 */
#ifndef WR_EXPORTS_H
#define WR_EXPORTS_H

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

/* The file name of each export, spelled once: the schema table
 * (ingest/schema.c) and wr_file_name both use these. */
#define WR_ROLES_CSV "roles.csv"
#define WR_PROMOTIONS_CSV "promotions.csv"
#define WR_TRANSFERS_CSV "transfers.csv"
#define WR_SECONDMENTS_CSV "secondments.csv"
#define WR_INTERNS_CSV "interns.csv"
#define WR_LATERAL_CSV "lateral-options.csv"
#define WR_LEVELS_CSV "levels.csv"

/* "roles.csv"; "" for a value out of range. */
const char *wr_file_name(enum wr_file file);

/* The columns of each export, in the order of its schema table
 * (ingest/schema.c): the one place a column's index is defined. Everything that reads a
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

#endif
