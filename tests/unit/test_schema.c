/* The schema tables against the column enums: spec->cols[i] is the column
 * whose *_col enum value is i, checked by name and type against a table
 * written out here independently of schema.c (samples/README.md's columns).
 * Swapping two entries of a schema table, or two enum values, fails here;
 * a table shorter or longer than its enum fails to compile (schema.c).
 * Then each file is loaded with its header in reverse order and every field
 * of the stored row is checked: the loader reads each column by its name. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "ingest/load.h"
#include "ingest/schema.h"
#include "model/dataset.h"

struct expected_col {
	enum wr_file file;
	int col;              /* the file's *_col enum value */
	const char *name;     /* its header name */
	enum col_type type;
};

static const struct expected_col expected[] = {
	{WR_FILE_ROLES, ROLES_EMPLOYEE_ID, "employee_id", COL_ID},
	{WR_FILE_ROLES, ROLES_ROLE, "role", COL_TEXT},
	{WR_FILE_ROLES, ROLES_FAMILY, "family", COL_TEXT},
	{WR_FILE_ROLES, ROLES_TRACK, "track", COL_TRACK},
	{WR_FILE_ROLES, ROLES_LEVEL, "level", COL_LEVEL},
	{WR_FILE_ROLES, ROLES_DEPARTMENT, "department", COL_TEXT},
	{WR_FILE_ROLES, ROLES_START_DATE, "start_date", COL_DATE},
	{WR_FILE_ROLES, ROLES_END_DATE, "end_date", COL_DATE},
	{WR_FILE_ROLES, ROLES_MANAGER_ID, "manager_id", COL_ID},

	{WR_FILE_PROMOTIONS, PROMOTIONS_EMPLOYEE_ID, "employee_id", COL_ID},
	{WR_FILE_PROMOTIONS, PROMOTIONS_EFFECTIVE_DATE, "effective_date", COL_DATE},
	{WR_FILE_PROMOTIONS, PROMOTIONS_FROM_LEVEL, "from_level", COL_LEVEL},
	{WR_FILE_PROMOTIONS, PROMOTIONS_TO_LEVEL, "to_level", COL_LEVEL},
	{WR_FILE_PROMOTIONS, PROMOTIONS_FROM_ROLE, "from_role", COL_TEXT},
	{WR_FILE_PROMOTIONS, PROMOTIONS_TO_ROLE, "to_role", COL_TEXT},

	{WR_FILE_TRANSFERS, TRANSFERS_EMPLOYEE_ID, "employee_id", COL_ID},
	{WR_FILE_TRANSFERS, TRANSFERS_EFFECTIVE_DATE, "effective_date", COL_DATE},
	{WR_FILE_TRANSFERS, TRANSFERS_FROM_FAMILY, "from_family", COL_TEXT},
	{WR_FILE_TRANSFERS, TRANSFERS_TO_FAMILY, "to_family", COL_TEXT},
	{WR_FILE_TRANSFERS, TRANSFERS_FROM_DEPARTMENT, "from_department", COL_TEXT},
	{WR_FILE_TRANSFERS, TRANSFERS_TO_DEPARTMENT, "to_department", COL_TEXT},

	{WR_FILE_SECONDMENTS, SECONDMENTS_SECONDEE_ID, "secondee_id", COL_ID},
	{WR_FILE_SECONDMENTS, SECONDMENTS_EMPLOYER, "employer", COL_TEXT},
	{WR_FILE_SECONDMENTS, SECONDMENTS_TEAM, "team", COL_TEXT},
	{WR_FILE_SECONDMENTS, SECONDMENTS_START_DATE, "start_date", COL_DATE},
	{WR_FILE_SECONDMENTS, SECONDMENTS_PLANNED_END_DATE, "planned_end_date", COL_DATE},
	{WR_FILE_SECONDMENTS, SECONDMENTS_END_DATE, "end_date", COL_DATE},
	{WR_FILE_SECONDMENTS, SECONDMENTS_MERGED_MRS, "merged_mrs", COL_COUNT},

	{WR_FILE_INTERNS, INTERNS_INTERN_ID, "intern_id", COL_ID},
	{WR_FILE_INTERNS, INTERNS_TEAM, "team", COL_TEXT},
	{WR_FILE_INTERNS, INTERNS_START_DATE, "start_date", COL_DATE},
	{WR_FILE_INTERNS, INTERNS_END_DATE, "end_date", COL_DATE},
	{WR_FILE_INTERNS, INTERNS_OUTCOME, "outcome", COL_OUTCOME},
	{WR_FILE_INTERNS, INTERNS_ROUTE, "route", COL_ROUTE},
	{WR_FILE_INTERNS, INTERNS_EMPLOYEE_ID, "employee_id", COL_ID},

	{WR_FILE_LATERAL, LATERAL_FROM_FAMILY, "from_family", COL_TEXT},
	{WR_FILE_LATERAL, LATERAL_TO_FAMILY, "to_family", COL_TEXT},

	{WR_FILE_LEVELS, LEVELS_TRACK, "track", COL_TRACK},
	{WR_FILE_LEVELS, LEVELS_LEVEL, "level", COL_LEVEL},
	{WR_FILE_LEVELS, LEVELS_NAME, "name", COL_NAME},
};

#define NEXPECTED (sizeof(expected) / sizeof(expected[0]))

/* Each file's column count as its enum says, by enum wr_file. */
static const size_t enum_count[WR_FILE_COUNT] = {
	[WR_FILE_ROLES] = ROLES_COLS,
	[WR_FILE_PROMOTIONS] = PROMOTIONS_COLS,
	[WR_FILE_TRANSFERS] = TRANSFERS_COLS,
	[WR_FILE_SECONDMENTS] = SECONDMENTS_COLS,
	[WR_FILE_INTERNS] = INTERNS_COLS,
	[WR_FILE_LATERAL] = LATERAL_COLS,
	[WR_FILE_LEVELS] = LEVELS_COLS,
};

/* Every column of every file is where its enum says, by name and type. */
static void test_columns_by_enum(void **state)
{
	(void)state;
	size_t seen[WR_FILE_COUNT] = {0};
	for (size_t k = 0; k < NEXPECTED; k++) {
		const struct expected_col *e = &expected[k];
		const struct file_spec *spec = schema_file(e->file);
		assert_int_equal(spec->id, e->file);
		if (e->col < 0 || (size_t)e->col >= spec->ncols)
			fail_msg("%s: column %d ('%s') beyond its %zu columns", spec->name, e->col,
				 e->name, spec->ncols);
		const struct col_spec *c = &spec->cols[e->col];
		if (!c->name || strcmp(c->name, e->name) != 0)
			fail_msg("%s: column %d is '%s', its enum names '%s'", spec->name, e->col,
				 c->name ? c->name : "(none)", e->name);
		if (c->type != e->type)
			fail_msg("%s: column '%s' has type %d, expected %d", spec->name, e->name,
				 (int)c->type, (int)e->type);
		assert_int_equal(schema_col(spec, e->name), e->col);
		seen[e->file]++;
	}
	/* the table above covers every column of every file exactly once */
	size_t max = 0;
	for (int f = 0; f < WR_FILE_COUNT; f++) {
		const struct file_spec *spec = schema_file((enum wr_file)f);
		assert_int_equal(spec->ncols, enum_count[f]);
		assert_int_equal(seen[f], spec->ncols);
		assert_true(spec->ncols <= SCHEMA_MAX_COLS);
		if (spec->ncols > max)
			max = spec->ncols;
	}
	assert_int_equal(max, SCHEMA_MAX_COLS);
}

/* Each file's name, as samples/README.md spells it: the schema's and the
 * model's (model/exports.h) are the one name. */
static void test_file_names(void **state)
{
	(void)state;
	static const char *const names[WR_FILE_COUNT] = {
		[WR_FILE_ROLES] = "roles.csv",
		[WR_FILE_PROMOTIONS] = "promotions.csv",
		[WR_FILE_TRANSFERS] = "transfers.csv",
		[WR_FILE_SECONDMENTS] = "secondments.csv",
		[WR_FILE_INTERNS] = "interns.csv",
		[WR_FILE_LATERAL] = "lateral-options.csv",
		[WR_FILE_LEVELS] = "levels.csv",
	};
	for (int f = 0; f < WR_FILE_COUNT; f++) {
		assert_string_equal(wr_file_name((enum wr_file)f), names[f]);
		assert_string_equal(schema_file((enum wr_file)f)->name, names[f]);
	}
	assert_string_equal(wr_file_name(WR_FILE_COUNT), "");
}

/* Cross-column checks and duplicate keys point at columns of the right
 * kind: dates for "not before", levels for "above", an id or track and a
 * date or level for the key. */
static void test_checks_and_keys(void **state)
{
	(void)state;
	for (int f = 0; f < WR_FILE_COUNT; f++) {
		const struct file_spec *spec = schema_file((enum wr_file)f);
		for (size_t k = 0; k < MAX_CHECKS; k++) {
			const struct row_check *chk = &spec->checks[k];
			if (chk->kind == CHECK_NONE)
				continue;
			assert_true(chk->a >= 0 && (size_t)chk->a < spec->ncols);
			assert_true(chk->b >= 0 && (size_t)chk->b < spec->ncols);
			enum col_type want = chk->kind == CHECK_ABOVE ? COL_LEVEL : COL_DATE;
			assert_int_equal(spec->cols[chk->a].type, want);
			assert_int_equal(spec->cols[chk->b].type, want);
		}
		if (spec->key_col < 0) {
			assert_int_equal(spec->key_col2, -1);
			continue;
		}
		assert_true((size_t)spec->key_col < spec->ncols);
		assert_true(spec->key_col2 >= 0 && (size_t)spec->key_col2 < spec->ncols);
		enum col_type t1 = spec->cols[spec->key_col].type;
		enum col_type t2 = spec->cols[spec->key_col2].type;
		assert_true(t1 == COL_ID || t1 == COL_TRACK);
		assert_true(t2 == COL_DATE || t2 == COL_LEVEL);
	}
	/* the named checks, as samples/README.md states them */
	const struct file_spec *roles = schema_file(WR_FILE_ROLES);
	assert_string_equal(roles->cols[roles->checks[0].a].name, "start_date");
	assert_string_equal(roles->cols[roles->checks[0].b].name, "end_date");
	const struct file_spec *promotions = schema_file(WR_FILE_PROMOTIONS);
	assert_string_equal(promotions->cols[promotions->checks[0].a].name, "from_level");
	assert_string_equal(promotions->cols[promotions->checks[0].b].name, "to_level");
}

/* Build "c_n,...,c_1\n" + the values in the same reversed order: the
 * header's order differs from the schema's, so a reader that used a field
 * position, not the column, would read another value. */
static size_t reversed_csv(enum wr_file f, const char *const *values, char *out, size_t size)
{
	const struct file_spec *spec = schema_file(f);
	size_t o = 0;
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = spec->ncols; i-- > 0;) {
			const char *s = pass == 0 ? spec->cols[i].name : values[i];
			o += (size_t)snprintf(out + o, size - o, "%s%s", s, i ? "," : "\n");
		}
	}
	assert_true(o < size);
	return o;
}

static void load(struct dataset *ds, enum wr_file f, const char *const *values)
{
	char csv[1024];
	size_t len = reversed_csv(f, values, csv, sizeof(csv));
	struct load_opts o = {.date_format = WR_DATE_ISO, .as_of = date_from_ymd(2030, 1, 1)};
	struct wr_errmsg err = {{0}};
	if (load_buffer(f, csv, len, &o, ds, &err) != WR_OK)
		fail_msg("%s: %s", schema_file(f)->name, err.text);
	const struct dq_file_counts *n = &ds->dq.files[f];
	if (n->used != 1 || n->rejected != 0)
		fail_msg("%s: used %llu, rejected %llu", schema_file(f)->name,
			 (unsigned long long)n->used, (unsigned long long)n->rejected);
	for (size_t c = 0; c < schema_file(f)->ncols; c++)
		assert_true(ds->files[f].has_column[c]);
}

/* One row per file, every value distinct: each lands in its own field. */
static void test_loader_reads_by_name(void **state)
{
	(void)state;
	struct dataset ds;
	dataset_init(&ds);

	static const char *const roles[ROLES_COLS] = {
		[ROLES_EMPLOYEE_ID] = "E1",       [ROLES_ROLE] = "Senior Engineer",
		[ROLES_FAMILY] = "Backend",       [ROLES_TRACK] = "management",
		[ROLES_LEVEL] = "5",              [ROLES_DEPARTMENT] = "Payments",
		[ROLES_START_DATE] = "2020-01-02", [ROLES_END_DATE] = "2021-03-04",
		[ROLES_MANAGER_ID] = "M9",
	};
	load(&ds, WR_FILE_ROLES, roles);
	const struct role_row *r = &ds.roles[0];
	assert_string_equal(ds_id(&ds, r->emp), "E1");
	assert_string_equal(ds_str(&ds, r->title), "Senior Engineer");
	assert_string_equal(ds_str(&ds, r->family), "Backend");
	assert_int_equal(r->track, TRACK_MANAGEMENT);
	assert_int_equal(r->level, 5);
	assert_string_equal(ds_str(&ds, r->department), "Payments");
	assert_int_equal(r->start, date_from_ymd(2020, 1, 2));
	assert_int_equal(r->end, date_from_ymd(2021, 3, 4));
	assert_string_equal(ds_id(&ds, r->manager), "M9");

	static const char *const promotions[PROMOTIONS_COLS] = {
		[PROMOTIONS_EMPLOYEE_ID] = "E1",      [PROMOTIONS_EFFECTIVE_DATE] = "2020-06-07",
		[PROMOTIONS_FROM_LEVEL] = "3",        [PROMOTIONS_TO_LEVEL] = "4",
		[PROMOTIONS_FROM_ROLE] = "Engineer",  [PROMOTIONS_TO_ROLE] = "Lead",
	};
	load(&ds, WR_FILE_PROMOTIONS, promotions);
	const struct promotion_row *p = &ds.promotions[0];
	assert_string_equal(ds_id(&ds, p->emp), "E1");
	assert_int_equal(p->date, date_from_ymd(2020, 6, 7));
	assert_int_equal(p->from_level, 3);
	assert_int_equal(p->to_level, 4);
	assert_string_equal(ds_str(&ds, p->from_role), "Engineer");
	assert_string_equal(ds_str(&ds, p->to_role), "Lead");

	static const char *const transfers[TRANSFERS_COLS] = {
		[TRANSFERS_EMPLOYEE_ID] = "E1",       [TRANSFERS_EFFECTIVE_DATE] = "2020-08-09",
		[TRANSFERS_FROM_FAMILY] = "Frontend", [TRANSFERS_TO_FAMILY] = "Platform",
		[TRANSFERS_FROM_DEPARTMENT] = "Web",  [TRANSFERS_TO_DEPARTMENT] = "Infra",
	};
	load(&ds, WR_FILE_TRANSFERS, transfers);
	const struct transfer_row *t = &ds.transfers[0];
	assert_string_equal(ds_id(&ds, t->emp), "E1");
	assert_int_equal(t->date, date_from_ymd(2020, 8, 9));
	assert_string_equal(ds_str(&ds, t->from_family), "Frontend");
	assert_string_equal(ds_str(&ds, t->to_family), "Platform");
	assert_string_equal(ds_str(&ds, t->from_department), "Web");
	assert_string_equal(ds_str(&ds, t->to_department), "Infra");

	static const char *const secondments[SECONDMENTS_COLS] = {
		[SECONDMENTS_SECONDEE_ID] = "S1",
		[SECONDMENTS_EMPLOYER] = "Acme",
		[SECONDMENTS_TEAM] = "Search",
		[SECONDMENTS_START_DATE] = "2021-01-10",
		[SECONDMENTS_PLANNED_END_DATE] = "2021-06-11",
		[SECONDMENTS_END_DATE] = "2021-05-12",
		[SECONDMENTS_MERGED_MRS] = "17",
	};
	load(&ds, WR_FILE_SECONDMENTS, secondments);
	const struct secondment_row *s = &ds.secondments[0];
	assert_string_equal(ds_str(&ds, s->id), "S1");
	assert_string_equal(ds_str(&ds, s->employer), "Acme");
	assert_string_equal(ds_str(&ds, s->team), "Search");
	assert_int_equal(s->start, date_from_ymd(2021, 1, 10));
	assert_int_equal(s->planned_end, date_from_ymd(2021, 6, 11));
	assert_int_equal(s->end, date_from_ymd(2021, 5, 12));
	assert_int_equal(s->merged_mrs, 17);

	static const char *const interns[INTERNS_COLS] = {
		[INTERNS_INTERN_ID] = "I1",          [INTERNS_TEAM] = "Mobile",
		[INTERNS_START_DATE] = "2022-02-13", [INTERNS_END_DATE] = "2022-08-14",
		[INTERNS_OUTCOME] = "offer_declined", [INTERNS_ROUTE] = "merge_requests",
		[INTERNS_EMPLOYEE_ID] = "E7",
	};
	load(&ds, WR_FILE_INTERNS, interns);
	const struct intern_row *in = &ds.interns[0];
	assert_string_equal(ds_str(&ds, in->id), "I1");
	assert_string_equal(ds_str(&ds, in->team), "Mobile");
	assert_int_equal(in->start, date_from_ymd(2022, 2, 13));
	assert_int_equal(in->end, date_from_ymd(2022, 8, 14));
	assert_int_equal(in->outcome, OUTCOME_DECLINED);
	assert_int_equal(in->route, ROUTE_MERGE_REQUESTS);
	assert_string_equal(ds_id(&ds, in->emp), "E7");

	static const char *const lateral[LATERAL_COLS] = {
		[LATERAL_FROM_FAMILY] = "Data", [LATERAL_TO_FAMILY] = "ML",
	};
	load(&ds, WR_FILE_LATERAL, lateral);
	assert_string_equal(ds_str(&ds, ds.options[0].from_family), "Data");
	assert_string_equal(ds_str(&ds, ds.options[0].to_family), "ML");

	static const char *const levels[LEVELS_COLS] = {
		[LEVELS_TRACK] = "management", [LEVELS_LEVEL] = "6", [LEVELS_NAME] = "VP",
	};
	load(&ds, WR_FILE_LEVELS, levels);
	const struct level_row *lv = &ds.levels[0];
	assert_int_equal(lv->track, TRACK_MANAGEMENT);
	assert_int_equal(lv->level, 6);
	assert_string_equal(ds_str(&ds, lv->name), "VP");
	assert_string_equal(ds_str(&ds, ds_level_name(&ds, TRACK_MANAGEMENT, 6)), "VP");

	dataset_release(&ds);
}

/* A header without the optional columns: has_column says so, by name. */
static void test_has_column_by_name(void **state)
{
	(void)state;
	struct dataset ds;
	dataset_init(&ds);
	struct load_opts o = {.date_format = WR_DATE_ISO, .as_of = date_from_ymd(2030, 1, 1)};
	struct wr_errmsg err = {{0}};
	const char *csv = "intern_id,team,start_date,end_date,outcome\n"
			  "I1,Mobile,2022-02-13,2022-08-14,hired\n";
	assert_int_equal(load_buffer(WR_FILE_INTERNS, csv, strlen(csv), &o, &ds, &err), WR_OK);
	const bool *has = ds.files[WR_FILE_INTERNS].has_column;
	assert_true(has[INTERNS_INTERN_ID] && has[INTERNS_TEAM] && has[INTERNS_START_DATE]);
	assert_true(has[INTERNS_END_DATE] && has[INTERNS_OUTCOME]);
	assert_false(has[INTERNS_ROUTE]);
	assert_false(has[INTERNS_EMPLOYEE_ID]);
	dataset_release(&ds);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_columns_by_enum),
		cmocka_unit_test(test_file_names),
		cmocka_unit_test(test_checks_and_keys),
		cmocka_unit_test(test_loader_reads_by_name),
		cmocka_unit_test(test_has_column_by_name),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
