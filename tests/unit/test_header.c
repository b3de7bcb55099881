/* Header names: case, spaces, '-' and '_' are equivalent; order is free;
 * unknown columns are noted; missing or doubled known columns stop. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "ingest/validate.h"

static void test_normalize(void **state)
{
	(void)state;
	static const char *const cases[][2] = {
		{"employee_id", "employee_id"},
		{"Employee ID", "employee_id"},
		{"EMPLOYEE-ID", "employee_id"},
		{"  Start Date\t", "start_date"},
		{"planned end-date", "planned_end_date"},
		{"Level", "level"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char out[64];
		header_normalize(cases[i][0], strlen(cases[i][0]), out, sizeof(out));
		assert_string_equal(out, cases[i][1]);
	}
}

/* Split "a,b,c" into fields (no quoting: test headers are plain). */
static size_t split(const char *line, struct csv_field *f, char *buf)
{
	strcpy(buf, line);
	size_t n = 0;
	char *p = buf;
	for (;;) {
		char *comma = strchr(p, ',');
		f[n].data = p;
		f[n].len = comma ? (size_t)(comma - p) : strlen(p);
		f[n].too_long = false;
		n++;
		if (!comma)
			break;
		p = comma + 1;
	}
	return n;
}

static void test_map_any_order(void **state)
{
	(void)state;
	struct csv_field f[16];
	char buf[512];
	size_t n = split("Start Date,Level,Track,Employee ID,Role,Notes,Family,Department,End-Date",
			 f, buf);
	struct dq_log log;
	dq_init(&log, 100);
	struct header_map map;
	struct wr_errmsg err = {{0}};
	const struct file_spec *roles = schema_file(WR_FILE_ROLES);
	assert_int_equal(header_map_build(roles, f, n, &map, &log, &err), WR_OK);
	assert_int_equal(map.field[schema_col(roles, "employee_id")], 3);
	assert_int_equal(map.field[schema_col(roles, "start_date")], 0);
	assert_int_equal(map.field[schema_col(roles, "end_date")], 8);
	assert_int_equal(map.field[schema_col(roles, "manager_id")], -1); /* optional, absent */
	assert_int_equal(map.nfields, 9);
	/* the unknown column is noted once, with its name */
	assert_int_equal(log.count, 1);
	assert_int_equal(log.items[0].severity, DQ_NOTE);
	assert_int_equal(log.items[0].kind, DQ_UNKNOWN_COLUMN);
	assert_string_equal(log.items[0].value, "Notes");
	assert_int_equal(log.files[WR_FILE_ROLES].notes, 1);
	dq_release(&log);
}

static void test_map_errors(void **state)
{
	(void)state;
	struct csv_field f[16];
	char buf[512];
	struct dq_log log;
	struct header_map map;
	struct wr_errmsg err = {{0}};
	const struct file_spec *roles = schema_file(WR_FILE_ROLES);

	dq_init(&log, 100);
	size_t n = split("employee_id,role,family,track,department,start_date,end_date", f, buf);
	assert_int_equal(header_map_build(roles, f, n, &map, &log, &err), WR_ERR_DATA);
	assert_string_equal(err.text,
			    "roles.csv:1: missing required column 'level' [E_MISSING_COLUMN]");

	n = split("employee_id,role,family,track,level,Level,department,start_date,end_date", f, buf);
	assert_int_equal(header_map_build(roles, f, n, &map, &log, &err), WR_ERR_DATA);
	assert_string_equal(err.text, "roles.csv:1: column 'level' appears twice (columns 5 and 6) "
				      "[E_DUPLICATE_COLUMN]");

	/* end_date must be there as a column even though its value may be empty */
	n = split("employee_id,role,family,track,level,department,start_date", f, buf);
	assert_int_equal(header_map_build(roles, f, n, &map, &log, &err), WR_ERR_DATA);
	assert_string_equal(err.text,
			    "roles.csv:1: missing required column 'end_date' [E_MISSING_COLUMN]");
	dq_release(&log);
}

/* levels.csv goes through the same mapping: any order and spelling; its
 * three columns are required, and one named twice stops the run. */
static void test_map_levels(void **state)
{
	(void)state;
	struct csv_field f[16];
	char buf[512];
	struct dq_log log;
	struct header_map map;
	struct wr_errmsg err = {{0}};
	const struct file_spec *levels = schema_file(WR_FILE_LEVELS);
	assert_string_equal(levels->name, "levels.csv");
	assert_false(levels->required);

	dq_init(&log, 100);
	size_t n = split("NAME,Comment,Level,Track", f, buf);
	assert_int_equal(header_map_build(levels, f, n, &map, &log, &err), WR_OK);
	assert_int_equal(map.field[schema_col(levels, "track")], 3);
	assert_int_equal(map.field[schema_col(levels, "level")], 2);
	assert_int_equal(map.field[schema_col(levels, "name")], 0);
	assert_int_equal(log.files[WR_FILE_LEVELS].notes, 1); /* Comment */

	n = split("track,level", f, buf);
	assert_int_equal(header_map_build(levels, f, n, &map, &log, &err), WR_ERR_DATA);
	assert_string_equal(err.text,
			    "levels.csv:1: missing required column 'name' [E_MISSING_COLUMN]");

	n = split("track,level,name,Name", f, buf);
	assert_int_equal(header_map_build(levels, f, n, &map, &log, &err), WR_ERR_DATA);
	assert_string_equal(err.text, "levels.csv:1: column 'name' appears twice (columns 3 and 4) "
				      "[E_DUPLICATE_COLUMN]");
	dq_release(&log);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_normalize),
		cmocka_unit_test(test_map_any_order),
		cmocka_unit_test(test_map_errors),
		cmocka_unit_test(test_map_levels),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
