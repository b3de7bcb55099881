/* schema.c - see schema.h: the input format of samples/README.md as data. */
#include "ingest/schema.h"

#include <string.h>

static const struct file_spec specs[WR_FILE_COUNT] = {
	[WR_FILE_ROLES] = {
		.id = WR_FILE_ROLES, .name = "roles.csv", .required = true, .what = "role history",
		.ncols = 9,
		.cols = {
			{"employee_id", COL_ID, COL_REQUIRED},
			{"role", COL_TEXT, COL_REQUIRED},
			{"family", COL_TEXT, COL_REQUIRED},
			{"track", COL_TRACK, COL_REQUIRED},
			{"level", COL_LEVEL, COL_REQUIRED},
			{"department", COL_TEXT, COL_REQUIRED},
			{"start_date", COL_DATE, COL_REQUIRED},
			{"end_date", COL_DATE, COL_PRESENT},
			{"manager_id", COL_ID, COL_OPTIONAL},
		},
		.checks = {{CHECK_NOT_BEFORE, 6, 7}},
		.key_col = 0, .key_col2 = 6, .key_is_employee = true,
	},
	[WR_FILE_PROMOTIONS] = {
		.id = WR_FILE_PROMOTIONS, .name = "promotions.csv", .what = "promotions",
		.ncols = 6,
		.cols = {
			{"employee_id", COL_ID, COL_REQUIRED},
			{"effective_date", COL_DATE, COL_REQUIRED},
			{"from_level", COL_LEVEL, COL_REQUIRED},
			{"to_level", COL_LEVEL, COL_REQUIRED},
			{"from_role", COL_TEXT, COL_OPTIONAL},
			{"to_role", COL_TEXT, COL_OPTIONAL},
		},
		.checks = {{CHECK_ABOVE, 2, 3}},
		.key_col = 0, .key_col2 = 1, .key_is_employee = true,
	},
	[WR_FILE_TRANSFERS] = {
		.id = WR_FILE_TRANSFERS, .name = "transfers.csv", .what = "lateral transfers",
		.ncols = 6,
		.cols = {
			{"employee_id", COL_ID, COL_REQUIRED},
			{"effective_date", COL_DATE, COL_REQUIRED},
			{"from_family", COL_TEXT, COL_REQUIRED},
			{"to_family", COL_TEXT, COL_REQUIRED},
			{"from_department", COL_TEXT, COL_OPTIONAL},
			{"to_department", COL_TEXT, COL_OPTIONAL},
		},
		.key_col = 0, .key_col2 = 1, .key_is_employee = true,
	},
	[WR_FILE_SECONDMENTS] = {
		.id = WR_FILE_SECONDMENTS, .name = "secondments.csv", .what = "secondments",
		.ncols = 7,
		.cols = {
			{"secondee_id", COL_ID, COL_REQUIRED},
			{"employer", COL_TEXT, COL_REQUIRED},
			{"team", COL_TEXT, COL_REQUIRED},
			{"start_date", COL_DATE, COL_REQUIRED},
			{"planned_end_date", COL_DATE, COL_REQUIRED},
			{"end_date", COL_DATE, COL_OPTIONAL},
			{"merged_mrs", COL_COUNT, COL_OPTIONAL},
		},
		.checks = {{CHECK_NOT_BEFORE, 3, 4}, {CHECK_NOT_BEFORE, 3, 5}},
		.key_col = 0, .key_col2 = 3,
	},
	[WR_FILE_INTERNS] = {
		.id = WR_FILE_INTERNS, .name = "interns.csv", .what = "internships",
		.ncols = 7,
		.cols = {
			{"intern_id", COL_ID, COL_REQUIRED},
			{"team", COL_TEXT, COL_REQUIRED},
			{"start_date", COL_DATE, COL_REQUIRED},
			{"end_date", COL_DATE, COL_PRESENT},
			{"outcome", COL_OUTCOME, COL_PRESENT},
			{"route", COL_ROUTE, COL_OPTIONAL},
			{"employee_id", COL_ID, COL_OPTIONAL},
		},
		.checks = {{CHECK_NOT_BEFORE, 2, 3}},
		.key_col = 0, .key_col2 = 2,
	},
	[WR_FILE_LATERAL] = {
		.id = WR_FILE_LATERAL, .name = "lateral-options.csv",
		.what = "sanctioned lateral transfer options",
		.ncols = 2,
		.cols = {
			{"from_family", COL_TEXT, COL_REQUIRED},
			{"to_family", COL_TEXT, COL_REQUIRED},
		},
		.key_col = -1, .key_col2 = -1,
	},
	[WR_FILE_LEVELS] = {
		.id = WR_FILE_LEVELS, .name = "levels.csv", .what = "names of the levels",
		.ncols = 3,
		.cols = {
			{"track", COL_TRACK, COL_REQUIRED},
			{"level", COL_LEVEL, COL_REQUIRED},
			{"name", COL_NAME, COL_REQUIRED},
		},
		.key_col = 0, .key_col2 = 1,
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
