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
#include "workbook/report.h"

#define ROLES_HEADER "employee_id,role,family,track,level,department,start_date,end_date\n"
#define PROMO_HEADER "employee_id,effective_date,from_level,to_level\n"
#define TRANS_HEADER "employee_id,effective_date,from_family,to_family\n"
#define SECOND_HEADER "secondee_id,employer,team,start_date,planned_end_date,end_date,merged_mrs\n"
#define INTERN_HEADER "intern_id,team,start_date,end_date,outcome,route,employee_id\n"
#define LEVELS_HEADER "track,level,name\n"

/* 64 bytes, four times: a name of exactly 256 bytes */
#define B64 "Senior Staff Principal Distinguished Engineer of Everything 1234"
#define B256 B64 B64 B64 B64

struct rule_case {
	const char *name;
	enum wr_file file;
	const char *csv;        /* header and rows */
	unsigned used, rejected;
	const char *column;     /* column of the first issue, NULL: none or whole row */
	const char *reason;     /* substring of the first issue's problem */
	unsigned long line;     /* line of the first issue */
	enum dq_kind kind;      /* kind of the first issue; DQ_KIND_COUNT: none */
};

static const struct rule_case cases[] = {
	{"clean role", WR_FILE_ROLES,
	 ROLES_HEADER "E1,Senior Backend Engineer,Backend Engineer,ic,3,Create,2020-01-01,\n",
	 1, 0, NULL, NULL, 0, DQ_KIND_COUNT},
	{"missing required value", WR_FILE_ROLES,
	 ROLES_HEADER "E1,,Backend Engineer,ic,3,Create,2020-01-01,\n",
	 0, 1, "role", "missing required value", 2, DQ_MISSING_VALUE},
	{"blank is missing", WR_FILE_ROLES,
	 ROLES_HEADER "   ,Dev,Backend Engineer,ic,3,Create,2020-01-01,\n",
	 0, 1, "employee_id", "missing required value", 2, DQ_MISSING_VALUE},
	{"impossible date", WR_FILE_ROLES,
	 ROLES_HEADER "E1,Dev,Backend Engineer,ic,3,Create,2023-02-30,\n",
	 0, 1, "start_date", "invalid date", 2, DQ_BAD_DATE},
	{"date in the wrong format", WR_FILE_ROLES,
	 ROLES_HEADER "E1,Dev,Backend Engineer,ic,3,Create,01/02/2023,\n",
	 0, 1, "start_date", "expected YYYY-MM-DD", 2, DQ_BAD_DATE},
	{"end before start", WR_FILE_ROLES,
	 ROLES_HEADER "E1,Dev,Backend Engineer,ic,3,Create,2023-02-10,2023-02-09\n",
	 0, 1, "end_date", "end_date is before start_date", 2, DQ_DATE_ORDER},
	{"end on start day is fine", WR_FILE_ROLES,
	 ROLES_HEADER "E1,Dev,Backend Engineer,ic,3,Create,2023-02-10,2023-02-10\n",
	 1, 0, NULL, NULL, 0, DQ_KIND_COUNT},
	{"unknown track", WR_FILE_ROLES,
	 ROLES_HEADER "E1,Dev,Backend Engineer,manager,3,Create,2020-01-01,\n",
	 0, 1, "track", "unknown track", 2, DQ_BAD_TRACK},
	{"track in capitals", WR_FILE_ROLES,
	 ROLES_HEADER "E1,Dev,Backend Engineer,IC,3,Create,2020-01-01,\n",
	 1, 0, NULL, NULL, 0, DQ_KIND_COUNT},
	{"level 13", WR_FILE_ROLES,
	 ROLES_HEADER "E1,Dev,Backend Engineer,ic,13,Create,2020-01-01,\n",
	 0, 1, "level", "whole number from 1 to 12", 2, DQ_BAD_LEVEL},
	{"level 0", WR_FILE_ROLES,
	 ROLES_HEADER "E1,Dev,Backend Engineer,ic,0,Create,2020-01-01,\n",
	 0, 1, "level", "1 to 12", 2, DQ_BAD_LEVEL},
	{"level 3.0", WR_FILE_ROLES,
	 ROLES_HEADER "E1,Dev,Backend Engineer,ic,3.0,Create,2020-01-01,\n",
	 0, 1, "level", "1 to 12", 2, DQ_BAD_LEVEL},
	{"level +3", WR_FILE_ROLES,
	 ROLES_HEADER "E1,Dev,Backend Engineer,ic,+3,Create,2020-01-01,\n",
	 0, 1, "level", "1 to 12", 2, DQ_BAD_LEVEL},
	{"level ' 3 '", WR_FILE_ROLES,
	 ROLES_HEADER "E1,Dev,Backend Engineer,ic, 3 ,Create,2020-01-01,\n",
	 0, 1, "level", "1 to 12", 2, DQ_BAD_LEVEL},
	{"too few fields", WR_FILE_ROLES,
	 ROLES_HEADER "E1,Dev,Backend Engineer,ic,3,Create,2020-01-01\n",
	 0, 1, NULL, "row has 7 fields, the header has 8", 2, DQ_FIELD_COUNT},
	{"too many fields", WR_FILE_ROLES,
	 ROLES_HEADER "E1,Dev,Backend Engineer,ic,3,Create,2020-01-01,,x\n",
	 0, 1, NULL, "row has 9 fields, the header has 8", 2, DQ_FIELD_COUNT},
	{"duplicate employee and start date", WR_FILE_ROLES,
	 ROLES_HEADER "E1,Dev,Backend Engineer,ic,3,Create,2020-01-01,\n"
		      "E2,Dev,Backend Engineer,ic,3,Create,2020-01-01,\n"
		      "E1,Lead,Backend Engineer,ic,4,Create,2020-01-01,\n",
	 2, 1, "employee_id", "duplicate of line 2", 4, DQ_DUPLICATE_ROW},
	{"invalid UTF-8", WR_FILE_ROLES,
	 ROLES_HEADER "E1,Caf\xC3,Backend Engineer,ic,3,Create,2020-01-01,\n",
	 0, 1, "role", "invalid UTF-8 at byte 4", 2, DQ_BAD_UTF8},
	{"overlong UTF-8", WR_FILE_ROLES,
	 ROLES_HEADER "E1,\xC0\xAF,Backend Engineer,ic,3,Create,2020-01-01,\n",
	 0, 1, "role", "invalid UTF-8", 2, DQ_BAD_UTF8},
	{"id too long", WR_FILE_ROLES,
	 ROLES_HEADER "E1234567890123456789012345678901234567890123456789012345678901234567890"
		      "1234567890123456789012345678901234567890123456789012345678901234567890"
		      "1234567890123456789012345678901234567890123456789012345678901234567890"
		      "1234567890123456789012345678901234567890123456789012345678901234567890"
		      "12345678901234567890,Dev,Backend Engineer,ic,3,Create,2020-01-01,\n",
	 0, 1, "employee_id", "longer than 256 bytes", 2, DQ_ID_TOO_LONG},
	{"promotion not upwards", WR_FILE_PROMOTIONS,
	 PROMO_HEADER "E1,2021-01-01,3,3\n",
	 0, 1, "to_level", "to_level is not above from_level", 2, DQ_LEVEL_NOT_ABOVE},
	{"promotion downwards", WR_FILE_PROMOTIONS,
	 PROMO_HEADER "E1,2021-01-01,3,2\n",
	 0, 1, "to_level", "not above", 2, DQ_LEVEL_NOT_ABOVE},
	{"duplicate promotion", WR_FILE_PROMOTIONS,
	 PROMO_HEADER "E1,2021-01-01,2,3\nE1,2021-01-01,3,4\n",
	 1, 1, "employee_id", "duplicate of line 2", 3, DQ_DUPLICATE_ROW},
	{"duplicate transfer", WR_FILE_TRANSFERS,
	 TRANS_HEADER "E1,2021-01-01,Backend Engineer,Support Engineer\n"
		      "E1,2021-01-01,Backend Engineer,Production Engineer\n",
	 1, 1, "employee_id", "duplicate of line 2", 3, DQ_DUPLICATE_ROW},
	{"secondment planned end before start", WR_FILE_SECONDMENTS,
	 SECOND_HEADER "S1,Acme,Create,2024-01-15,2024-01-14,,\n",
	 0, 1, "planned_end_date", "before start_date", 2, DQ_DATE_ORDER},
	{"negative merged MRs", WR_FILE_SECONDMENTS,
	 SECOND_HEADER "S1,Acme,Create,2024-01-15,2024-06-14,,-1\n",
	 0, 1, "merged_mrs", "whole number of at least 0", 2, DQ_BAD_COUNT},
	{"secondment duplicate", WR_FILE_SECONDMENTS,
	 SECOND_HEADER "S1,Acme,Create,2024-01-15,2024-06-14,,3\nS1,Acme,Geo,2024-01-15,2024-09-14,,\n",
	 1, 1, "secondee_id", "duplicate of line 2", 3, DQ_DUPLICATE_ROW},
	{"unknown outcome", WR_FILE_INTERNS,
	 INTERN_HEADER "I1,backend,2024-06-01,2024-08-31,accepted,application,\n",
	 0, 1, "outcome", "unknown outcome", 2, DQ_BAD_OUTCOME},
	{"unknown route", WR_FILE_INTERNS,
	 INTERN_HEADER "I1,backend,2024-06-01,2024-08-31,hired,referral,E9\n",
	 0, 1, "route", "unknown route", 2, DQ_BAD_ROUTE},
	{"active intern", WR_FILE_INTERNS,
	 INTERN_HEADER "I1,frontend,2024-06-01,,,merge_requests,\n",
	 1, 0, NULL, NULL, 0, DQ_KIND_COUNT},
	{"same id, other start: two internships", WR_FILE_INTERNS,
	 INTERN_HEADER "I1,frontend,2023-06-01,2023-08-31,no_offer,,\n"
		       "I1,frontend,2024-06-01,2024-08-31,hired,,E5\n",
	 2, 0, NULL, NULL, 0, DQ_KIND_COUNT},
	/* levels.csv: track, level, name */
	{"levels: clean, tracks in any case", WR_FILE_LEVELS,
	 LEVELS_HEADER "ic,3,Senior\nIC,4,Staff\nManagement,4,Engineering Manager\n"
		       "MANAGEMENT,12,\"Chief, Engineering\"\nic,1,Ing\xC3\xA9nieur\n",
	 5, 0, NULL, NULL, 0, DQ_KIND_COUNT},
	{"levels: missing name", WR_FILE_LEVELS,
	 LEVELS_HEADER "ic,3,\n",
	 0, 1, "name", "missing required value", 2, DQ_MISSING_VALUE},
	{"levels: blank name is missing", WR_FILE_LEVELS,
	 LEVELS_HEADER "ic,3,Senior\nic,4,  \t \n",
	 1, 1, "name", "missing required value", 3, DQ_MISSING_VALUE},
	{"levels: missing track", WR_FILE_LEVELS,
	 LEVELS_HEADER ",3,Senior\n",
	 0, 1, "track", "missing required value", 2, DQ_MISSING_VALUE},
	{"levels: missing level", WR_FILE_LEVELS,
	 LEVELS_HEADER "ic,,Senior\n",
	 0, 1, "level", "missing required value", 2, DQ_MISSING_VALUE},
	{"levels: unknown track", WR_FILE_LEVELS,
	 LEVELS_HEADER "ic,3,Senior\nmanager,4,Engineering Manager\n",
	 1, 1, "track", "unknown track: expected IC or Management", 3, DQ_BAD_TRACK},
	{"levels: level 13", WR_FILE_LEVELS,
	 LEVELS_HEADER "ic,13,Principal\n",
	 0, 1, "level", "level must be a whole number from 1 to 12", 2, DQ_BAD_LEVEL},
	{"levels: level 0", WR_FILE_LEVELS,
	 LEVELS_HEADER "ic,0,Intern\n",
	 0, 1, "level", "1 to 12", 2, DQ_BAD_LEVEL},
	{"levels: level 3.0", WR_FILE_LEVELS,
	 LEVELS_HEADER "ic,3.0,Senior\n",
	 0, 1, "level", "1 to 12", 2, DQ_BAD_LEVEL},
	{"levels: level L3", WR_FILE_LEVELS,
	 LEVELS_HEADER "ic,L3,Senior\n",
	 0, 1, "level", "1 to 12", 2, DQ_BAD_LEVEL},
	{"levels: duplicate track and level", WR_FILE_LEVELS,
	 LEVELS_HEADER "ic,3,Senior\nic,4,Staff\nIC,3,Senior Engineer\n",
	 2, 1, "track", "duplicate of line 2: same track and level", 4, DQ_DUPLICATE_ROW},
	{"levels: a level on both tracks is no duplicate", WR_FILE_LEVELS,
	 LEVELS_HEADER "ic,4,Staff\nmanagement,4,Engineering Manager\n",
	 2, 0, NULL, NULL, 0, DQ_KIND_COUNT},
	{"levels: the same name for two levels is fine", WR_FILE_LEVELS,
	 LEVELS_HEADER "ic,5,Principal\nic,6,Principal\n",
	 2, 0, NULL, NULL, 0, DQ_KIND_COUNT},
	{"levels: a rejected row is no original", WR_FILE_LEVELS,
	 LEVELS_HEADER "ic,3,\nic,3,Senior\n",
	 1, 1, "name", "missing required value", 2, DQ_MISSING_VALUE},
	{"levels: name of 256 bytes", WR_FILE_LEVELS,
	 LEVELS_HEADER "ic,3," B256 "\n",
	 1, 0, NULL, NULL, 0, DQ_KIND_COUNT},
	{"levels: name of 257 bytes", WR_FILE_LEVELS,
	 LEVELS_HEADER "ic,3," B256 "x\n",
	 0, 1, "name", "name longer than 256 bytes", 2, DQ_NAME_TOO_LONG},
	{"levels: invalid UTF-8 in a name", WR_FILE_LEVELS,
	 LEVELS_HEADER "ic,3,Se\xFFnior\n",
	 0, 1, "name", "invalid UTF-8 at byte 3", 2, DQ_BAD_UTF8},
	{"levels: too few fields", WR_FILE_LEVELS,
	 LEVELS_HEADER "ic,3\n",
	 0, 1, NULL, "row has 2 fields, the header has 3", 2, DQ_FIELD_COUNT},
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
			if (it->kind != c->kind)
				fail_msg("%s: kind %s, expected %s", c->name, dq_kind_code(it->kind),
					 dq_kind_code(c->kind));
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

/* One role row whose role is value[0..len); returns the load's dataset. */
static void load_role_value(struct dataset *ds, const char *value, size_t len)
{
	static const char head[] = ROLES_HEADER "E1,";
	static const char tail[] = ",Backend Engineer,ic,3,Create,2020-01-01,\n";
	char csv[256];
	size_t n = 0;
	memcpy(csv, head, sizeof(head) - 1);
	n += sizeof(head) - 1;
	memcpy(csv + n, value, len);
	n += len;
	memcpy(csv + n, tail, sizeof(tail) - 1);
	n += sizeof(tail) - 1;
	dataset_init(ds);
	struct load_opts o = {.date_format = WR_DATE_ISO, .as_of = date_from_ymd(2030, 1, 1)};
	struct wr_errmsg err = {{0}};
	if (load_buffer(WR_FILE_ROLES, csv, n, &o, ds, &err) != WR_OK)
		fail_msg("load failed: %s", err.text);
}

/* UTF-8 is checked 8 bytes at a time where it is plain ASCII: a bad byte
 * at every offset of values of every length up to 40 is found, and named
 * by its place (counted from 1); good multi-byte characters anywhere pass. */
static void test_utf8_at_every_offset(void **state)
{
	(void)state;
	static const struct {
		const char *bytes;
		size_t n;
		size_t bad;         /* offset of the bad byte in bytes */
		enum dq_kind kind;  /* DQ_KIND_COUNT: good */
	} inserts[] = {
		{"\xFF", 1, 0, DQ_BAD_UTF8},
		{"\x80", 1, 0, DQ_BAD_UTF8},             /* a continuation byte alone */
		{"\0", 1, 0, DQ_NUL_BYTE},
		{"\x7F", 1, 0, DQ_KIND_COUNT},           /* DEL is ASCII */
		{"\xC3x", 2, 0, DQ_BAD_UTF8},            /* a lead byte, then no continuation */
		{"\xC3\xA9\xFF", 3, 2, DQ_BAD_UTF8},     /* e acute, then a bad byte */
		{"\xC3\xA9\0", 3, 2, DQ_NUL_BYTE},
		{"\xED\xA0\x80", 3, 0, DQ_BAD_UTF8},     /* a surrogate */
		{"\xC3\xA9", 2, 0, DQ_KIND_COUNT},
		{"\xE2\x82\xAC", 3, 0, DQ_KIND_COUNT},   /* euro sign */
		{"\xF0\x9F\x98\x80", 4, 0, DQ_KIND_COUNT},
	};
	for (size_t k = 0; k < sizeof(inserts) / sizeof(inserts[0]); k++) {
		for (size_t len = inserts[k].n; len <= 40; len++) {
			for (size_t at = 0; at + inserts[k].n <= len; at++) {
				char value[48];
				memset(value, 'x', len);
				memcpy(value + at, inserts[k].bytes, inserts[k].n);
				struct dataset ds;
				load_role_value(&ds, value, len);
				const struct dq_file_counts *c = &ds.dq.files[WR_FILE_ROLES];
				if (inserts[k].kind == DQ_KIND_COUNT) {
					if (c->used != 1 || ds.dq.count != 0)
						fail_msg("insert %zu at %zu of %zu: rejected", k, at, len);
					dataset_release(&ds);
					continue;
				}
				char want[64];
				snprintf(want, sizeof(want), "%s at byte %zu of the value",
					 inserts[k].kind == DQ_NUL_BYTE ? "NUL byte" : "invalid UTF-8",
					 at + inserts[k].bad + 1);
				if (c->rejected != 1 || ds.dq.count != 1 ||
				    ds.dq.items[0].kind != inserts[k].kind ||
				    strcmp(ds.dq.items[0].problem, want) != 0)
					fail_msg("insert %zu at %zu of %zu: '%s', expected '%s'", k, at, len,
						 ds.dq.count ? ds.dq.items[0].problem : "(none)", want);
				assert_string_equal(ds.dq.items[0].column, "role");
				dataset_release(&ds);
			}
		}
	}
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

static void load_levels(struct dataset *ds, const char *csv)
{
	struct load_opts o = {.date_format = WR_DATE_ISO, .as_of = date_from_ymd(2024, 6, 30)};
	struct wr_errmsg err = {{0}};
	enum wr_error e = load_buffer(WR_FILE_LEVELS, csv, strlen(csv), &o, ds, &err);
	if (e)
		fail_msg("levels.csv: load failed: %s", err.text);
}

static const char *level_name(const struct dataset *ds, unsigned track, unsigned level)
{
	uint32_t id = ds_level_name(ds, track, level);
	return id == STRTAB_NONE ? NULL : ds_str(ds, id);
}

/* The used rows name their levels; rejected rows and duplicates name none. */
static void test_levels_stored(void **state)
{
	(void)state;
	struct dataset ds;
	dataset_init(&ds);
	for (unsigned t = 0; t < TRACK_COUNT; t++)
		for (unsigned l = 0; l < LEVEL_SLOTS; l++)
			assert_int_equal(ds_level_name(&ds, t, l), STRTAB_NONE);
	load_levels(&ds, "Track,Level,Name\n"  /* header names in any spelling */
			 "ic,3,Senior\n"        /* 2 */
			 "IC,3,Senior Engineer\n" /* 3: duplicate of 2 */
			 "management,4,\n"      /* 4: no name */
			 "Management,4,Engineering Manager\n" /* 5: names it */
			 "ic,13,Principal\n"    /* 6: no such level */
			 "ic,4,=Staff\n");      /* 7: taken as written */
	const struct dq_file_counts *n = &ds.dq.files[WR_FILE_LEVELS];
	assert_true(n->present);
	assert_int_equal(n->read, 6);
	assert_int_equal(n->used, 3);
	assert_int_equal(n->rejected, 3);
	assert_int_equal(n->future, 0);
	assert_int_equal(ds.nlevels, 3);
	assert_string_equal(level_name(&ds, TRACK_IC, 3), "Senior");
	assert_string_equal(level_name(&ds, TRACK_IC, 4), "=Staff");
	assert_string_equal(level_name(&ds, TRACK_MANAGEMENT, 4), "Engineering Manager");
	assert_null(level_name(&ds, TRACK_MANAGEMENT, 3));
	assert_null(level_name(&ds, TRACK_IC, 12));
	/* out of range: none, never a read past the table */
	assert_null(level_name(&ds, TRACK_COUNT, 3));
	assert_null(level_name(&ds, TRACK_IC, 200));
	/* the rows kept are the used ones, in file order, with their lines */
	assert_int_equal(ds.levels[0].line, 2);
	assert_int_equal(ds.levels[1].line, 5);
	assert_int_equal(ds.levels[2].line, 7);
	/* the duplicate: its line, the track column, the first line named */
	bool dup = false;
	for (size_t i = 0; i < ds.dq.count; i++) {
		const struct dq_issue *it = &ds.dq.items[i];
		if (it->kind != DQ_DUPLICATE_ROW)
			continue;
		dup = true;
		assert_int_equal(it->line, 3);
		assert_string_equal(it->column, "track");
		assert_string_equal(it->value, "IC");
		assert_string_equal(it->problem, "duplicate of line 2: same track and level");
	}
	assert_true(dup);
	dataset_release(&ds);

	/* a header without the name column stops the file */
	dataset_init(&ds);
	struct load_opts o = {.date_format = WR_DATE_ISO, .as_of = date_from_ymd(2024, 6, 30)};
	struct wr_errmsg err = {{0}};
	const char *csv = "track,level,title\nic,3,Senior\n";
	assert_int_equal(load_buffer(WR_FILE_LEVELS, csv, strlen(csv), &o, &ds, &err),
			 WR_ERR_DATA);
	assert_string_equal(err.text,
			    "levels.csv:1: missing required column 'name' [E_MISSING_COLUMN]");
	dataset_release(&ds);
}

/* Dates --date-format does not read are counted per file with each format
 * that would read them, whatever the cap on the kept list. By hand, with
 * --date-format mdy: 2020-01-31 (line 2) is read by iso only; 31/01/2020
 * (line 3) by dmy only; 02/01/2020 (line 4) is good mdy; 2020-02-30
 * (line 5) by none; 2021-03-01 (end date, line 6) by iso. 4 failures:
 * iso reads 2 (not more than half), dmy 1: no hint. Line 7 adds
 * 2022-12-01 (iso): 5 failures, iso 3 of them: the hint is iso. Bad
 * levels and the other file are not counted. */
static void test_date_failures_counted(void **state)
{
	(void)state;
	const char *csv = ROLES_HEADER "E1,Dev,Backend Engineer,ic,3,Create,2020-01-31,\n"
				       "E2,Dev,Backend Engineer,ic,3,Create,31/01/2020,\n"
				       "E3,Dev,Backend Engineer,ic,3,Create,02/01/2020,\n"
				       "E4,Dev,Backend Engineer,ic,3,Create,2020-02-30,\n"
				       "E5,Dev,Backend Engineer,ic,x,Create,02/01/2020,2021-03-01\n";
	struct dataset ds;
	dataset_init(&ds);
	ds.dq.limit = 1; /* the counts do not come from the kept list */
	struct load_opts o = {.date_format = WR_DATE_MDY, .as_of = date_from_ymd(2030, 1, 1)};
	struct wr_errmsg err = {{0}};
	assert_int_equal(load_buffer(WR_FILE_ROLES, csv, strlen(csv), &o, &ds, &err), WR_OK);
	const struct dq_file_counts *c = &ds.dq.files[WR_FILE_ROLES];
	assert_int_equal(c->rejected, 4);
	assert_int_equal(c->bad_dates, 4);
	assert_int_equal(c->bad_dates_read_as[WR_DATE_ISO], 2);
	assert_int_equal(c->bad_dates_read_as[WR_DATE_MDY], 0);
	assert_int_equal(c->bad_dates_read_as[WR_DATE_DMY], 1);
	assert_int_equal(dq_count_kind(&ds.dq, WR_FILE_ROLES, DQ_BAD_DATE), 4);
	assert_int_equal(dq_count_kind(&ds.dq, WR_FILE_ROLES, DQ_BAD_LEVEL), 1);
	enum wr_date_format fits;
	assert_false(dq_date_hint(c, WR_DATE_MDY, &fits));
	const char *more = ROLES_HEADER "E6,Dev,Backend Engineer,ic,3,Create,2022-12-01,\n";
	assert_int_equal(load_buffer(WR_FILE_ROLES, more, strlen(more), &o, &ds, &err), WR_OK);
	assert_int_equal(c->bad_dates, 5);
	assert_true(dq_date_hint(c, WR_DATE_MDY, &fits));
	assert_int_equal(fits, WR_DATE_ISO);
	assert_int_equal(ds.dq.files[WR_FILE_PROMOTIONS].bad_dates, 0);
	dataset_release(&ds);
}

/* Track, outcome and route names: read in any case, shown as the table
 * says, and nothing else. */
static void test_names_both_ways(void **state)
{
	(void)state;
	enum wr_track t;
	assert_true(track_from_name("ic", 2, &t));
	assert_int_equal(t, TRACK_IC);
	assert_true(track_from_name("MANAGEMENT", 10, &t));
	assert_int_equal(t, TRACK_MANAGEMENT);
	assert_true(track_from_name("Management", 10, &t));
	assert_false(track_from_name("manager", 7, &t));
	assert_false(track_from_name("ic ", 3, &t));
	assert_false(track_from_name("i", 1, &t));
	assert_false(track_from_name("ic\0", 3, &t));
	assert_string_equal(track_name(TRACK_IC), "IC");
	assert_string_equal(track_name(TRACK_MANAGEMENT), "Management");
	enum wr_outcome oc;
	assert_true(outcome_from_name("Offer_Declined", 14, &oc));
	assert_int_equal(oc, OUTCOME_DECLINED);
	assert_true(outcome_from_name("no_offer", 8, &oc));
	assert_int_equal(oc, OUTCOME_NO_OFFER);
	assert_false(outcome_from_name("accepted", 8, &oc));
	assert_string_equal(outcome_name(OUTCOME_HIRED), "hired");
	assert_string_equal(outcome_name(OUTCOME_NONE), "");
	enum wr_route r;
	assert_true(route_from_name("merge_requests", 14, &r));
	assert_int_equal(r, ROUTE_MERGE_REQUESTS);
	assert_false(route_from_name("merge-requests", 14, &r));
	assert_string_equal(route_name(ROUTE_APPLICATION), "application");
	assert_string_equal(route_name(ROUTE_NONE), "");
	/* every name reads back as its value */
	for (const struct name_value *n = outcome_names; n->name; n++)
		assert_true(outcome_from_name(n->name, strlen(n->name), &oc) && (int)oc == n->value);
	for (const struct name_value *n = route_names; n->name; n++)
		assert_true(route_from_name(n->name, strlen(n->name), &r) && (int)r == n->value);
	for (const struct name_value *n = track_names; n->name; n++)
		assert_true(track_from_name(n->name, strlen(n->name), &t) && (int)t == n->value);
}

/* The name of a level in the workbook: levels.csv's, else the title the
 * privacy rule allows, else "IC L5". */
static void test_level_name_order(void **state)
{
	(void)state;
	struct dataset ds;
	dataset_init(&ds);
	load_levels(&ds, LEVELS_HEADER "ic,3,Senior\nic,5," B256 "\n");
	uint32_t title = strtab_intern(&ds.strs, "Backend Engineer", 16);
	struct split_result split;
	memset(&split, 0, sizeof(split));
	for (int t = 0; t < TRACK_COUNT; t++)
		for (int l = 0; l < LEVEL_SLOTS; l++)
			split.level_title[t][l] = STRTAB_NONE;
	split.level_title[TRACK_IC][3] = title; /* levels.csv's name wins */
	split.level_title[TRACK_IC][4] = title; /* no name: the title */
	struct report r = {.ds = &ds, .split = &split, .min_group = 5};
	char buf[64];
	assert_string_equal(report_level_name(&r, TRACK_IC, 3, buf, sizeof(buf)), "Senior");
	assert_string_equal(report_level_name(&r, TRACK_IC, 4, buf, sizeof(buf)),
			    "Backend Engineer");
	assert_string_equal(report_level_name(&r, TRACK_IC, 6, buf, sizeof(buf)), "IC L6");
	assert_string_equal(report_level_name(&r, TRACK_MANAGEMENT, 5, buf, sizeof(buf)),
			    "Management L5");
	/* a name longer than the buffer comes whole, never cut */
	assert_string_equal(report_level_name(&r, TRACK_IC, 5, buf, sizeof(buf)), B256);
	/* without the split analysis: the name, else the neutral label */
	r.split = NULL;
	assert_string_equal(report_level_name(&r, TRACK_IC, 3, buf, sizeof(buf)), "Senior");
	assert_string_equal(report_level_name(&r, TRACK_IC, 4, buf, sizeof(buf)), "IC L4");
	dataset_release(&ds);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rules),
		cmocka_unit_test(test_all_bad_columns_reported),
		cmocka_unit_test(test_utf8_at_every_offset),
		cmocka_unit_test(test_value_cut_and_escaped),
		cmocka_unit_test(test_future_dated_and_date_formats),
		cmocka_unit_test(test_issue_list_capped_counts_exact),
		cmocka_unit_test(test_levels_stored),
		cmocka_unit_test(test_date_failures_counted),
		cmocka_unit_test(test_names_both_ways),
		cmocka_unit_test(test_level_name_order),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
