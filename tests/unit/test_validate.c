/* Every validation rule, table-driven: one CSV row in, the expected verdict
 * (used, or rejected in a column with a reason) out, worked out from the
 * input format in samples/README.md. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "ingest/load.h"
#include "model/dataset.h"

#define ROLES_HEADER "employee_id,role,family,track,level,department,start_date,end_date\n"
#define PROMO_HEADER "employee_id,effective_date,from_level,to_level\n"
#define TRANS_HEADER "employee_id,effective_date,from_family,to_family\n"
#define SECOND_HEADER "secondee_id,employer,team,start_date,planned_end_date,end_date,merged_mrs\n"
#define INTERN_HEADER "intern_id,team,start_date,end_date,outcome,route,employee_id\n"

struct rule_case {
	const char *name;
	enum wr_file file;
	const char *csv;        /* header and rows */
	unsigned used, rejected;
	const char *column;     /* column of the first issue, NULL: none or whole row */
	const char *reason;     /* substring of the first issue's problem */
	unsigned long line;     /* line of the first issue */
};

static const struct rule_case cases[] = {
	{"clean role", WR_FILE_ROLES,
	 ROLES_HEADER "E1,Senior Backend Engineer,Backend Engineer,ic,3,Create,2020-01-01,\n",
	 1, 0, NULL, NULL, 0},
	{"missing required value", WR_FILE_ROLES,
	 ROLES_HEADER "E1,,Backend Engineer,ic,3,Create,2020-01-01,\n",
	 0, 1, "role", "missing required value", 2},
	{"blank is missing", WR_FILE_ROLES,
	 ROLES_HEADER "   ,Dev,Backend Engineer,ic,3,Create,2020-01-01,\n",
	 0, 1, "employee_id", "missing required value", 2},
	{"impossible date", WR_FILE_ROLES,
	 ROLES_HEADER "E1,Dev,Backend Engineer,ic,3,Create,2023-02-30,\n",
	 0, 1, "start_date", "invalid date", 2},
	{"date in the wrong format", WR_FILE_ROLES,
	 ROLES_HEADER "E1,Dev,Backend Engineer,ic,3,Create,01/02/2023,\n",
	 0, 1, "start_date", "expected YYYY-MM-DD", 2},
	{"end before start", WR_FILE_ROLES,
	 ROLES_HEADER "E1,Dev,Backend Engineer,ic,3,Create,2023-02-10,2023-02-09\n",
	 0, 1, "end_date", "end_date is before start_date", 2},
	{"end on start day is fine", WR_FILE_ROLES,
	 ROLES_HEADER "E1,Dev,Backend Engineer,ic,3,Create,2023-02-10,2023-02-10\n",
	 1, 0, NULL, NULL, 0},
	{"unknown track", WR_FILE_ROLES,
	 ROLES_HEADER "E1,Dev,Backend Engineer,manager,3,Create,2020-01-01,\n",
	 0, 1, "track", "unknown track", 2},
	{"track in capitals", WR_FILE_ROLES,
	 ROLES_HEADER "E1,Dev,Backend Engineer,IC,3,Create,2020-01-01,\n",
	 1, 0, NULL, NULL, 0},
	{"level 13", WR_FILE_ROLES,
	 ROLES_HEADER "E1,Dev,Backend Engineer,ic,13,Create,2020-01-01,\n",
	 0, 1, "level", "whole number from 1 to 12", 2},
	{"level 0", WR_FILE_ROLES,
	 ROLES_HEADER "E1,Dev,Backend Engineer,ic,0,Create,2020-01-01,\n",
	 0, 1, "level", "1 to 12", 2},
	{"level 3.0", WR_FILE_ROLES,
	 ROLES_HEADER "E1,Dev,Backend Engineer,ic,3.0,Create,2020-01-01,\n",
	 0, 1, "level", "1 to 12", 2},
	{"level +3", WR_FILE_ROLES,
	 ROLES_HEADER "E1,Dev,Backend Engineer,ic,+3,Create,2020-01-01,\n",
	 0, 1, "level", "1 to 12", 2},
	{"level ' 3 '", WR_FILE_ROLES,
	 ROLES_HEADER "E1,Dev,Backend Engineer,ic, 3 ,Create,2020-01-01,\n",
	 0, 1, "level", "1 to 12", 2},
	{"too few fields", WR_FILE_ROLES,
	 ROLES_HEADER "E1,Dev,Backend Engineer,ic,3,Create,2020-01-01\n",
	 0, 1, NULL, "row has 7 fields, the header has 8", 2},
	{"too many fields", WR_FILE_ROLES,
	 ROLES_HEADER "E1,Dev,Backend Engineer,ic,3,Create,2020-01-01,,x\n",
	 0, 1, NULL, "row has 9 fields, the header has 8", 2},
	{"duplicate employee and start date", WR_FILE_ROLES,
	 ROLES_HEADER "E1,Dev,Backend Engineer,ic,3,Create,2020-01-01,\n"
		      "E2,Dev,Backend Engineer,ic,3,Create,2020-01-01,\n"
		      "E1,Lead,Backend Engineer,ic,4,Create,2020-01-01,\n",
	 2, 1, "employee_id", "duplicate of line 2", 4},
	{"invalid UTF-8", WR_FILE_ROLES,
	 ROLES_HEADER "E1,Caf\xC3,Backend Engineer,ic,3,Create,2020-01-01,\n",
	 0, 1, "role", "invalid UTF-8 at byte 4", 2},
	{"overlong UTF-8", WR_FILE_ROLES,
	 ROLES_HEADER "E1,\xC0\xAF,Backend Engineer,ic,3,Create,2020-01-01,\n",
	 0, 1, "role", "invalid UTF-8", 2},
	{"id too long", WR_FILE_ROLES,
	 ROLES_HEADER "E1234567890123456789012345678901234567890123456789012345678901234567890"
		      "1234567890123456789012345678901234567890123456789012345678901234567890"
		      "1234567890123456789012345678901234567890123456789012345678901234567890"
		      "1234567890123456789012345678901234567890123456789012345678901234567890"
		      "12345678901234567890,Dev,Backend Engineer,ic,3,Create,2020-01-01,\n",
	 0, 1, "employee_id", "longer than 256 bytes", 2},
	{"promotion not upwards", WR_FILE_PROMOTIONS,
	 PROMO_HEADER "E1,2021-01-01,3,3\n",
	 0, 1, "to_level", "to_level is not above from_level", 2},
	{"promotion downwards", WR_FILE_PROMOTIONS,
	 PROMO_HEADER "E1,2021-01-01,3,2\n",
	 0, 1, "to_level", "not above", 2},
	{"duplicate promotion", WR_FILE_PROMOTIONS,
	 PROMO_HEADER "E1,2021-01-01,2,3\nE1,2021-01-01,3,4\n",
	 1, 1, "employee_id", "duplicate of line 2", 3},
	{"duplicate transfer", WR_FILE_TRANSFERS,
	 TRANS_HEADER "E1,2021-01-01,Backend Engineer,Support Engineer\n"
		      "E1,2021-01-01,Backend Engineer,Production Engineer\n",
	 1, 1, "employee_id", "duplicate of line 2", 3},
	{"secondment planned end before start", WR_FILE_SECONDMENTS,
	 SECOND_HEADER "S1,Acme,Create,2024-01-15,2024-01-14,,\n",
	 0, 1, "planned_end_date", "before start_date", 2},
	{"negative merged MRs", WR_FILE_SECONDMENTS,
	 SECOND_HEADER "S1,Acme,Create,2024-01-15,2024-06-14,,-1\n",
	 0, 1, "merged_mrs", "whole number of at least 0", 2},
	{"secondment duplicate", WR_FILE_SECONDMENTS,
	 SECOND_HEADER "S1,Acme,Create,2024-01-15,2024-06-14,,3\nS1,Acme,Geo,2024-01-15,2024-09-14,,\n",
	 1, 1, "secondee_id", "duplicate of line 2", 3},
	{"unknown outcome", WR_FILE_INTERNS,
	 INTERN_HEADER "I1,backend,2024-06-01,2024-08-31,accepted,application,\n",
	 0, 1, "outcome", "unknown outcome", 2},
	{"unknown route", WR_FILE_INTERNS,
	 INTERN_HEADER "I1,backend,2024-06-01,2024-08-31,hired,referral,E9\n",
	 0, 1, "route", "unknown route", 2},
	{"active intern", WR_FILE_INTERNS,
	 INTERN_HEADER "I1,frontend,2024-06-01,,,merge_requests,\n",
	 1, 0, NULL, NULL, 0},
	{"same id, other start: two internships", WR_FILE_INTERNS,
	 INTERN_HEADER "I1,frontend,2023-06-01,2023-08-31,no_offer,,\n"
		       "I1,frontend,2024-06-01,2024-08-31,hired,,E5\n",
	 2, 0, NULL, NULL, 0},
};

static void test_rules(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct rule_case *c = &cases[i];
		struct dataset ds;
		dataset_init(&ds);
		struct load_opts o = {.date_format = WR_DATE_ISO, .as_of = date_from_ymd(2030, 1, 1)};
		struct wr_errmsg err = {{0}};
		enum wr_error e = load_buffer(c->file, c->csv, strlen(c->csv), &o, &ds, &err);
		if (e)
			fail_msg("%s: load failed: %s", c->name, err.text);
		const struct dq_file_counts *n = &ds.dq.files[c->file];
		if (n->used != c->used || n->rejected != c->rejected)
			fail_msg("%s: used %llu rejected %llu, expected %u and %u", c->name,
				 (unsigned long long)n->used, (unsigned long long)n->rejected, c->used,
				 c->rejected);
		assert_int_equal(n->read, n->used + n->rejected);
		if (c->reason) {
			assert_true(ds.dq.count >= 1);
			const struct dq_issue *it = &ds.dq.items[0];
			assert_int_equal(it->severity, DQ_REJECTED);
			if (!strstr(it->problem, c->reason))
				fail_msg("%s: problem '%s' lacks '%s'", c->name, it->problem, c->reason);
			if (c->column)
				assert_string_equal(it->column, c->column);
			else
				assert_null(it->column);
			assert_int_equal(it->line, c->line);
		} else {
			assert_int_equal(ds.dq.count, 0);
		}
		dataset_release(&ds);
	}
}

static void test_all_bad_columns_reported(void **state)
{
	(void)state;
	const char *csv = ROLES_HEADER "E1,Dev,Backend Engineer,boss,99,Create,2023-02-30,\n";
	struct dataset ds;
	dataset_init(&ds);
	struct load_opts o = {.date_format = WR_DATE_ISO, .as_of = date_from_ymd(2030, 1, 1)};
	struct wr_errmsg err = {{0}};
	assert_int_equal(load_buffer(WR_FILE_ROLES, csv, strlen(csv), &o, &ds, &err), WR_OK);
	assert_int_equal(ds.dq.files[WR_FILE_ROLES].rejected, 1); /* one row ... */
	assert_int_equal(ds.dq.count, 3);                         /* ... three problems */
	assert_string_equal(ds.dq.items[0].column, "track");
	assert_string_equal(ds.dq.items[1].column, "level");
	assert_string_equal(ds.dq.items[2].column, "start_date");
	assert_string_equal(ds.dq.items[2].value, "2023-02-30");
	dataset_release(&ds);
}

static void test_value_cut_and_escaped(void **state)
{
	(void)state;
	char out[512];
	const char *s = "\x01" "abc\xFF";
	dq_printable(s, strlen(s), 64, out, sizeof(out));
	assert_string_equal(out, "\\x01abc\\xFF");
	char longv[200];
	memset(longv, 'a', sizeof(longv));
	dq_printable(longv, sizeof(longv), 64, out, sizeof(out));
	assert_int_equal(strlen(out), 64 + 3); /* 64 characters and the ellipsis */
	assert_memory_equal(out + 64, "\xE2\x80\xA6", 3);
	/* characters, not bytes: 70 two-byte characters cut to 64 */
	char utf[141];
	for (int i = 0; i < 70; i++)
		memcpy(utf + 2 * i, "\xC3\xA9", 2);
	dq_printable(utf, 140, 64, out, sizeof(out));
	assert_int_equal(strlen(out), 128 + 3);
}

static void test_future_dated_and_date_formats(void **state)
{
	(void)state;
	const char *csv = ROLES_HEADER "E1,Dev,Backend Engineer,ic,3,Create,03/31/2024,\n"
				       "E2,Dev,Backend Engineer,ic,3,Create,07/01/2024,\n";
	struct dataset ds;
	dataset_init(&ds);
	struct load_opts o = {.date_format = WR_DATE_MDY, .as_of = date_from_ymd(2024, 6, 30)};
	struct wr_errmsg err = {{0}};
	assert_int_equal(load_buffer(WR_FILE_ROLES, csv, strlen(csv), &o, &ds, &err), WR_OK);
	assert_int_equal(ds.dq.files[WR_FILE_ROLES].used, 2);
	assert_int_equal(ds.dq.files[WR_FILE_ROLES].future, 1);
	assert_int_equal(ds.dq.files[WR_FILE_ROLES].warnings, 1);
	assert_int_equal(ds.dq.items[0].line, 3);
	assert_int_equal(ds.roles[0].start, date_from_ymd(2024, 3, 31));
	assert_int_equal(ds.earliest, date_from_ymd(2024, 3, 31));
	dataset_release(&ds);
}

static void test_issue_list_capped_counts_exact(void **state)
{
	(void)state;
	/* 2,000 bad rows, a list capped at 100: counts stay exact */
	size_t rows = 2000;
	size_t cap = strlen(ROLES_HEADER) + rows * 64;
	char *csv = malloc(cap);
	size_t len = (size_t)snprintf(csv, cap, "%s", ROLES_HEADER);
	for (size_t i = 0; i < rows; i++)
		len += (size_t)snprintf(csv + len, cap - len,
					"E%zu,Dev,Backend Engineer,ic,77,Create,2020-01-01,\n", i);
	struct dataset ds;
	dataset_init(&ds);
	ds.dq.limit = 100;
	struct load_opts o = {.date_format = WR_DATE_ISO, .as_of = date_from_ymd(2030, 1, 1)};
	struct wr_errmsg err = {{0}};
	assert_int_equal(load_buffer(WR_FILE_ROLES, csv, len, &o, &ds, &err), WR_OK);
	assert_int_equal(ds.dq.files[WR_FILE_ROLES].rejected, rows);
	assert_int_equal(ds.dq.count, 100);
	assert_int_equal(ds.dq.not_kept, rows - 100);
	dataset_release(&ds);
	free(csv);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rules),
		cmocka_unit_test(test_all_bad_columns_reported),
		cmocka_unit_test(test_value_cut_and_escaped),
		cmocka_unit_test(test_future_dated_and_date_formats),
		cmocka_unit_test(test_issue_list_capped_counts_exact),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
