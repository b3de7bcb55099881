/* schema.c - see schema.h: the input format of samples/README.md as data.
 *
 * Each file's columns are one table indexed by its *_col enum (schema.h):
 * a column's position is said once, by name, and the assertions below stop
 * the build when a table and its enum disagree in size.
 */
#include "ingest/schema.h"

#include <string.h>

#define COUNT_OF(a) (sizeof(a) / sizeof((a)[0]))

static const struct col_spec roles_cols[] = {
	[ROLES_EMPLOYEE_ID] = {"employee_id", COL_ID, COL_REQUIRED},
	[ROLES_ROLE] = {"role", COL_TEXT, COL_REQUIRED},
	[ROLES_FAMILY] = {"family", COL_TEXT, COL_REQUIRED},
	[ROLES_TRACK] = {"track", COL_TRACK, COL_REQUIRED},
	[ROLES_LEVEL] = {"level", COL_LEVEL, COL_REQUIRED},
	[ROLES_DEPARTMENT] = {"department", COL_TEXT, COL_REQUIRED},
	[ROLES_START_DATE] = {"start_date", COL_DATE, COL_REQUIRED},
	[ROLES_END_DATE] = {"end_date", COL_DATE, COL_PRESENT},
	[ROLES_MANAGER_ID] = {"manager_id", COL_ID, COL_OPTIONAL},
};
_Static_assert(COUNT_OF(roles_cols) == ROLES_COLS, "roles.csv: a column for every roles_col");

static const struct col_spec promotions_cols[] = {
	[PROMOTIONS_EMPLOYEE_ID] = {"employee_id", COL_ID, COL_REQUIRED},
	[PROMOTIONS_EFFECTIVE_DATE] = {"effective_date", COL_DATE, COL_REQUIRED},
	[PROMOTIONS_FROM_LEVEL] = {"from_level", COL_LEVEL, COL_REQUIRED},
	[PROMOTIONS_TO_LEVEL] = {"to_level", COL_LEVEL, COL_REQUIRED},
	[PROMOTIONS_FROM_ROLE] = {"from_role", COL_TEXT, COL_OPTIONAL},
	[PROMOTIONS_TO_ROLE] = {"to_role", COL_TEXT, COL_OPTIONAL},
};
_Static_assert(COUNT_OF(promotions_cols) == PROMOTIONS_COLS,
	       "promotions.csv: a column for every promotions_col");

static const struct col_spec transfers_cols[] = {
	[TRANSFERS_EMPLOYEE_ID] = {"employee_id", COL_ID, COL_REQUIRED},
	[TRANSFERS_EFFECTIVE_DATE] = {"effective_date", COL_DATE, COL_REQUIRED},
	[TRANSFERS_FROM_FAMILY] = {"from_family", COL_TEXT, COL_REQUIRED},
	[TRANSFERS_TO_FAMILY] = {"to_family", COL_TEXT, COL_REQUIRED},
	[TRANSFERS_FROM_DEPARTMENT] = {"from_department", COL_TEXT, COL_OPTIONAL},
	[TRANSFERS_TO_DEPARTMENT] = {"to_department", COL_TEXT, COL_OPTIONAL},
};
_Static_assert(COUNT_OF(transfers_cols) == TRANSFERS_COLS,
	       "transfers.csv: a column for every transfers_col");

static const struct col_spec secondments_cols[] = {
	[SECONDMENTS_SECONDEE_ID] = {"secondee_id", COL_ID, COL_REQUIRED},
	[SECONDMENTS_EMPLOYER] = {"employer", COL_TEXT, COL_REQUIRED},
	[SECONDMENTS_TEAM] = {"team", COL_TEXT, COL_REQUIRED},
	[SECONDMENTS_START_DATE] = {"start_date", COL_DATE, COL_REQUIRED},
	[SECONDMENTS_PLANNED_END_DATE] = {"planned_end_date", COL_DATE, COL_REQUIRED},
	[SECONDMENTS_END_DATE] = {"end_date", COL_DATE, COL_OPTIONAL},
	[SECONDMENTS_MERGED_MRS] = {"merged_mrs", COL_COUNT, COL_OPTIONAL},
};
_Static_assert(COUNT_OF(secondments_cols) == SECONDMENTS_COLS,
	       "secondments.csv: a column for every secondments_col");

static const struct col_spec interns_cols[] = {
	[INTERNS_INTERN_ID] = {"intern_id", COL_ID, COL_REQUIRED},
	[INTERNS_TEAM] = {"team", COL_TEXT, COL_REQUIRED},
	[INTERNS_START_DATE] = {"start_date", COL_DATE, COL_REQUIRED},
	[INTERNS_END_DATE] = {"end_date", COL_DATE, COL_PRESENT},
	[INTERNS_OUTCOME] = {"outcome", COL_OUTCOME, COL_PRESENT},
	[INTERNS_ROUTE] = {"route", COL_ROUTE, COL_OPTIONAL},
	[INTERNS_EMPLOYEE_ID] = {"employee_id", COL_ID, COL_OPTIONAL},
};
_Static_assert(COUNT_OF(interns_cols) == INTERNS_COLS,
	       "interns.csv: a column for every interns_col");

static const struct col_spec lateral_cols[] = {
	[LATERAL_FROM_FAMILY] = {"from_family", COL_TEXT, COL_REQUIRED},
	[LATERAL_TO_FAMILY] = {"to_family", COL_TEXT, COL_REQUIRED},
};
_Static_assert(COUNT_OF(lateral_cols) == LATERAL_COLS,
	       "lateral-options.csv: a column for every lateral_col");

static const struct col_spec levels_cols[] = {
	[LEVELS_TRACK] = {"track", COL_TRACK, COL_REQUIRED},
	[LEVELS_LEVEL] = {"level", COL_LEVEL, COL_REQUIRED},
	[LEVELS_NAME] = {"name", COL_NAME, COL_REQUIRED},
};
_Static_assert(COUNT_OF(levels_cols) == LEVELS_COLS, "levels.csv: a column for every levels_col");

static const struct file_spec specs[WR_FILE_COUNT] = {
	[WR_FILE_ROLES] = {
		.id = WR_FILE_ROLES, .name = WR_ROLES_CSV, .required = true, .what = "role history",
		.ncols = ROLES_COLS, .cols = roles_cols,
		.checks = {{CHECK_NOT_BEFORE, ROLES_START_DATE, ROLES_END_DATE}},
		.key_col = ROLES_EMPLOYEE_ID, .key_col2 = ROLES_START_DATE,
		.key_is_employee = true,
	},
	[WR_FILE_PROMOTIONS] = {
		.id = WR_FILE_PROMOTIONS, .name = WR_PROMOTIONS_CSV, .what = "promotions",
		.ncols = PROMOTIONS_COLS, .cols = promotions_cols,
		.checks = {{CHECK_ABOVE, PROMOTIONS_FROM_LEVEL, PROMOTIONS_TO_LEVEL}},
		.key_col = PROMOTIONS_EMPLOYEE_ID, .key_col2 = PROMOTIONS_EFFECTIVE_DATE,
		.key_is_employee = true,
	},
	[WR_FILE_TRANSFERS] = {
		.id = WR_FILE_TRANSFERS, .name = WR_TRANSFERS_CSV, .what = "lateral transfers",
		.ncols = TRANSFERS_COLS, .cols = transfers_cols,
		.key_col = TRANSFERS_EMPLOYEE_ID, .key_col2 = TRANSFERS_EFFECTIVE_DATE,
		.key_is_employee = true,
	},
	[WR_FILE_SECONDMENTS] = {
		.id = WR_FILE_SECONDMENTS, .name = WR_SECONDMENTS_CSV, .what = "secondments",
		.ncols = SECONDMENTS_COLS, .cols = secondments_cols,
		.checks = {{CHECK_NOT_BEFORE, SECONDMENTS_START_DATE, SECONDMENTS_PLANNED_END_DATE},
			   {CHECK_NOT_BEFORE, SECONDMENTS_START_DATE, SECONDMENTS_END_DATE}},
		.key_col = SECONDMENTS_SECONDEE_ID, .key_col2 = SECONDMENTS_START_DATE,
	},
	[WR_FILE_INTERNS] = {
		.id = WR_FILE_INTERNS, .name = WR_INTERNS_CSV, .what = "internships",
		.ncols = INTERNS_COLS, .cols = interns_cols,
		.checks = {{CHECK_NOT_BEFORE, INTERNS_START_DATE, INTERNS_END_DATE}},
		.key_col = INTERNS_INTERN_ID, .key_col2 = INTERNS_START_DATE,
	},
	[WR_FILE_LATERAL] = {
		.id = WR_FILE_LATERAL, .name = WR_LATERAL_CSV,
		.what = "sanctioned lateral transfer options",
		.ncols = LATERAL_COLS, .cols = lateral_cols,
		.key_col = -1, .key_col2 = -1,
	},
	[WR_FILE_LEVELS] = {
		.id = WR_FILE_LEVELS, .name = WR_LEVELS_CSV, .what = "names of the levels",
		.ncols = LEVELS_COLS, .cols = levels_cols,
		.key_col = LEVELS_TRACK, .key_col2 = LEVELS_LEVEL,
	},
};

const struct file_spec *schema_file(enum wr_file id)
{
	return &specs[id];
}

int schema_col(const struct file_spec *spec, const char *name)
{
	for (size_t i = 0; i < spec->ncols; i++)
		if (strcmp(spec->cols[i].name, name) == 0)
			return (int)i;
	return -1;
}
