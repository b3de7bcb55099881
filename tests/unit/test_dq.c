/* The data-quality log: exact counts per file x kind x column whatever the
 * cap on the kept list, the first lines kept as pointers, the order of the
 * counts, the issues file's rows (quoting, the guard against formulas, the
 * code), the stderr line of an issue, the table of kinds and the
 * date-format hint from counts worked out by hand. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "model/dq.h"

static const struct dq_count *find(const struct dq_log *log, enum wr_file file,
				   enum dq_kind kind, const char *column)
{
	for (size_t i = 0; i < log->ncounts; i++) {
		const struct dq_count *c = &log->counts[i];
		bool same_col = c->column == column ||
				(c->column && column && strcmp(c->column, column) == 0);
		if (c->file == file && c->kind == kind && same_col)
			return c;
	}
	return NULL;
}

static void count_echo(void *ctx, const struct dq_issue *it)
{
	(void)it;
	(*(uint64_t *)ctx)++;
}

/* 25,000 rejected levels logged from the last line back, 3 warnings and a
 * note in between, into a list capped at 10,000: the list stops, the
 * counts do not. */
static void test_counts_exact_past_the_limit(void **state)
{
	(void)state;
	struct dq_log log;
	dq_init(&log, DQ_DEFAULT_LIMIT);
	uint64_t echoed = 0;
	log.echo = count_echo;
	log.echo_ctx = &echoed;
	const unsigned long n = 25000;
	for (unsigned long i = 0; i < n; i++) {
		unsigned long line = n + 1 - i; /* 25001 down to 2 */
		dq_add(&log, WR_FILE_ROLES, line, "level", DQ_BAD_LEVEL, "x", 1,
		       "level must be a whole number from 1 to 12");
		if (i == 100 || i == 20000 || i == 24999)
			dq_add(&log, WR_FILE_ROLES, line, "start_date", DQ_FUTURE_DATED,
			       "2031-01-01", 10, "dated after the as-of date %s", "2030-12-31");
		if (i == 12345)
			dq_add(&log, WR_FILE_ROLES, 1, NULL, DQ_UNKNOWN_COLUMN, "notes", 5,
			       "unknown column %d, ignored", 9);
	}
	assert_int_equal(log.count, DQ_DEFAULT_LIMIT);
	assert_int_equal(log.not_kept, n + 4 - DQ_DEFAULT_LIMIT);
	assert_int_equal(echoed, n + 4); /* the issues file sees every one */
	assert_int_equal(dq_total(&log), n + 4);
	assert_int_equal(log.ncounts, 3);
	assert_int_equal(log.files[WR_FILE_ROLES].warnings, 3);
	assert_int_equal(log.files[WR_FILE_ROLES].notes, 1);

	const struct dq_count *levels = find(&log, WR_FILE_ROLES, DQ_BAD_LEVEL, "level");
	assert_non_null(levels);
	assert_int_equal(levels->severity, DQ_REJECTED);
	assert_string_equal(levels->key, "invalid level");
	assert_int_equal(levels->count, n);
	/* the five smallest lines, though logged last */
	assert_int_equal(levels->nlines, 5);
	for (size_t i = 0; i < 5; i++)
		assert_int_equal(levels->first_lines[i], 2 + i);

	const struct dq_count *future = find(&log, WR_FILE_ROLES, DQ_FUTURE_DATED, "start_date");
	assert_non_null(future);
	assert_int_equal(future->severity, DQ_WARNING);
	assert_string_equal(future->key, "future-dated row");
	assert_int_equal(future->count, 3);
	assert_int_equal(future->nlines, 3);
	assert_int_equal(future->first_lines[0], 2);      /* i = 24999 */
	assert_int_equal(future->first_lines[1], 5001);   /* i = 20000 */
	assert_int_equal(future->first_lines[2], 24901);  /* i = 100 */

	const struct dq_count *note = find(&log, WR_FILE_ROLES, DQ_UNKNOWN_COLUMN, NULL);
	assert_non_null(note);
	assert_int_equal(note->severity, DQ_NOTE);
	assert_int_equal(note->count, 1);

	assert_int_equal(dq_count_kind(&log, WR_FILE_ROLES, DQ_FUTURE_DATED), 3);
	assert_int_equal(dq_count_kind(&log, WR_FILE_PROMOTIONS, DQ_FUTURE_DATED), 0);
	dq_release(&log);
}

/* One count per file x kind x column; the same kind elsewhere is another
 * count. The kept issues carry the kind and its severity. */
static void test_counted_apart(void **state)
{
	(void)state;
	struct dq_log log;
	dq_init(&log, 2);
	dq_add(&log, WR_FILE_ROLES, 7, "employee_id", DQ_DUPLICATE_ROW, "E1", 2, "dup of line 3");
	dq_add(&log, WR_FILE_ROLES, 7, "employee_id", DQ_DUPLICATE_ROW, "E1", 2, "dup of line 5");
	dq_add(&log, WR_FILE_PROMOTIONS, 4, "employee_id", DQ_DUPLICATE_ROW, "E2", 2, "dup");
	dq_add(&log, WR_FILE_ROLES, 9, "start_date", DQ_DUPLICATE_ROW, NULL, 0, "dup");
	dq_add(&log, WR_FILE_ROLES, 0, "employee_id", DQ_UNKNOWN_EMPLOYEE, NULL, 0, "dup");
	assert_int_equal(log.ncounts, 4);
	const struct dq_count *c = find(&log, WR_FILE_ROLES, DQ_DUPLICATE_ROW, "employee_id");
	assert_non_null(c);
	assert_int_equal(c->count, 2);
	assert_int_equal(c->nlines, 1); /* line 7 twice: one pointer */
	assert_int_equal(c->first_lines[0], 7);
	assert_string_equal(c->key, "duplicate row");
	c = find(&log, WR_FILE_ROLES, DQ_UNKNOWN_EMPLOYEE, "employee_id");
	assert_non_null(c);
	assert_int_equal(c->severity, DQ_WARNING);
	assert_int_equal(c->nlines, 0); /* line 0, the whole file: no pointer */
	assert_int_equal(log.files[WR_FILE_ROLES].warnings, 1);
	/* the kept issues carry the kind, the message and the value */
	assert_int_equal(log.count, 2);
	assert_int_equal(log.items[0].kind, DQ_DUPLICATE_ROW);
	assert_int_equal(log.items[0].severity, DQ_REJECTED);
	assert_string_equal(log.items[1].problem, "dup of line 5");
	assert_string_equal(log.items[1].value, "E1");
	assert_int_equal(dq_total(&log), 5);
	dq_release(&log);
}

/* Counts sort by file, severity, count (largest first), key, column. */
static void test_sort_counts(void **state)
{
	(void)state;
	struct dq_log log;
	dq_init(&log, 100);
	dq_add(&log, WR_FILE_PROMOTIONS, 2, "effective_date", DQ_BAD_DATE, "x", 1, "invalid date");
	dq_add(&log, WR_FILE_ROLES, 3, "level", DQ_UNRECORDED_PROMOTION, NULL, 0, "rises");
	for (int i = 0; i < 3; i++)
		dq_add(&log, WR_FILE_ROLES, 10 + (unsigned long)i, "start_date", DQ_BAD_DATE, "x",
		       1, "invalid date");
	dq_add(&log, WR_FILE_ROLES, 4, "end_date", DQ_BAD_DATE, "x", 1, "invalid date");
	dq_add(&log, WR_FILE_ROLES, 5, NULL, DQ_BAD_DATE, "x", 1, "invalid date");
	dq_sort(&log);
	assert_int_equal(log.ncounts, 5);
	assert_string_equal(log.counts[0].column, "start_date"); /* roles, rejected, 3 */
	assert_null(log.counts[1].column);                       /* then 1 each: no column first */
	assert_string_equal(log.counts[2].column, "end_date");
	assert_int_equal(log.counts[3].severity, DQ_WARNING);
	assert_int_equal(log.counts[4].file, WR_FILE_PROMOTIONS);
	/* still counted into the right entries after sorting */
	dq_add(&log, WR_FILE_ROLES, 1, "end_date", DQ_BAD_DATE, "x", 1, "again");
	const struct dq_count *c = find(&log, WR_FILE_ROLES, DQ_BAD_DATE, "end_date");
	assert_int_equal(c->count, 2);
	assert_int_equal(c->first_lines[0], 1);
	assert_int_equal(log.ncounts, 5);
	dq_release(&log);
}

static char *csv_of(const struct dq_issue *issues, size_t n)
{
	char *text = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&text, &size);
	assert_non_null(f);
	assert_true(dq_csv_header(f));
	for (size_t i = 0; i < n; i++)
		assert_true(dq_csv_row(f, &issues[i]));
	assert_int_equal(fclose(f), 0);
	return text;
}

/* Every field quoted by libcsv (quotes doubled), numbers and absent
 * fields bare, and a ' before anything a spreadsheet would run; the code
 * and key are the kind's. */
static void test_csv_rows(void **state)
{
	(void)state;
	const struct dq_issue issues[] = {
		{WR_FILE_ROLES, 14, "track", DQ_BAD_TRACK, DQ_REJECTED,
		 "=HYPERLINK(\"http://x\",\"ic\")", "unknown track, \"quoted\""},
		{WR_FILE_ROLES, 0, NULL, DQ_UNKNOWN_COLUMN, DQ_NOTE, NULL, "unknown column 9"},
		{WR_FILE_PROMOTIONS, 3, "to_level", DQ_LEVEL_NOT_ABOVE, DQ_REJECTED, "-3", "+x"},
		{WR_FILE_ROLES, 5, "role", DQ_MISSING_VALUE, DQ_REJECTED, "", "@who"},
		{WR_FILE_ROLES, 6, "role", DQ_ROLE_OVERLAP, DQ_WARNING, "\tTab", "\rCR"},
	};
	char *text = csv_of(issues, sizeof(issues) / sizeof(issues[0]));
	assert_string_equal(text,
			    "file,line,column,severity,code,problem,detail,value\r\n"
			    "\"roles.csv\",14,\"track\",\"rejected\",\"E_BAD_TRACK\",\"unknown track\","
			    "\"unknown track, \"\"quoted\"\"\","
			    "\"'=HYPERLINK(\"\"http://x\"\",\"\"ic\"\")\"\r\n"
			    "\"roles.csv\",,,\"note\",\"N_UNKNOWN_COLUMN\",\"unknown column\","
			    "\"unknown column 9\",\r\n"
			    "\"promotions.csv\",3,\"to_level\",\"rejected\",\"E_LEVEL_NOT_ABOVE\","
			    "\"level does not rise\",\"'+x\",\"'-3\"\r\n"
			    "\"roles.csv\",5,\"role\",\"rejected\",\"E_MISSING_VALUE\","
			    "\"missing required value\",\"'@who\",\"\"\r\n"
			    "\"roles.csv\",6,\"role\",\"warning\",\"W_ROLE_OVERLAP\","
			    "\"role overlaps the next role\",\"'\rCR\",\"'\tTab\"\r\n");
	free(text);
}

static char *printed(const struct dq_issue *it, const char *prefix)
{
	char *text = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&text, &size);
	assert_non_null(f);
	dq_print_issue(f, it, prefix);
	assert_int_equal(fclose(f), 0);
	return text;
}

/* The stderr line of an issue: where, what, the column and value when
 * known, and the code last. */
static void test_print_issue(void **state)
{
	(void)state;
	const struct dq_issue rejected = {
		WR_FILE_ROLES, 14, "start_date", DQ_BAD_DATE, DQ_REJECTED, "2023-02-30",
		"invalid date: expected YYYY-MM-DD, a day that exists, year 1900-9999"};
	char *t = printed(&rejected, "workforce-report");
	assert_string_equal(t, "workforce-report: roles.csv:14: row rejected: invalid date: "
			       "expected YYYY-MM-DD, a day that exists, year 1900-9999 (column "
			       "'start_date', value '2023-02-30') [E_BAD_DATE]\n");
	free(t);
	const struct dq_issue warning = {WR_FILE_PROMOTIONS, 3, "from_level",
					 DQ_FROM_LEVEL_DIFFERS, DQ_WARNING, NULL, "differs"};
	t = printed(&warning, "wr");
	assert_string_equal(t, "wr: promotions.csv:3: warning: differs (column 'from_level') "
			       "[W_FROM_LEVEL_DIFFERS]\n");
	free(t);
	const struct dq_issue whole_row = {WR_FILE_INTERNS, 0, NULL, DQ_FIELD_COUNT, DQ_REJECTED,
					   "3 fields", "row has 3 fields, the header has 7"};
	t = printed(&whole_row, NULL);
	assert_string_equal(t, "interns.csv: row rejected: row has 3 fields, the header has 7 "
			       "[E_FIELD_COUNT]\n");
	free(t);
}

/* Every kind has its row, a code whose prefix says its severity (E_ for
 * rejected and fatal, W_ warning, N_ note), and a short key; codes and keys
 * are each used once, and each leads back to its kind. */
static void test_kind_table(void **state)
{
	(void)state;
	for (int k = 0; k < DQ_KIND_COUNT; k++) {
		const char *code = dq_kind_code((enum dq_kind)k);
		const char *key = dq_kind_key((enum dq_kind)k);
		enum dq_severity sev = dq_kind_severity((enum dq_kind)k);
		if (!code[0] || !key[0])
			fail_msg("kind %d has no code or key", k);
		char want = sev == DQ_WARNING ? 'W' : sev == DQ_NOTE ? 'N' : 'E';
		if (code[0] != want || code[1] != '_')
			fail_msg("%s: expected the prefix %c_ for %s", code, want,
				 dq_severity_name(sev));
		for (const char *p = code + 2; *p; p++)
			if (!((*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '_'))
				fail_msg("%s: not a code of capitals, digits and _", code);
		if (strlen(key) > 60)
			fail_msg("%s: key '%s' is no short key", code, key);
		enum dq_kind back;
		assert_true(dq_kind_from_code(code, &back));
		assert_int_equal(back, k);
		assert_true(dq_kind_from_key(key, &back));
		assert_int_equal(back, k);
	}
	/* a few by hand */
	assert_string_equal(dq_kind_code(DQ_BAD_DATE), "E_BAD_DATE");
	assert_string_equal(dq_kind_key(DQ_BAD_DATE), "invalid date");
	assert_int_equal(dq_kind_severity(DQ_BAD_DATE), DQ_REJECTED);
	assert_int_equal(dq_kind_severity(DQ_BROKEN_QUOTE), DQ_FATAL);
	assert_int_equal(dq_kind_severity(DQ_FUTURE_DATED), DQ_WARNING);
	enum dq_kind k = DQ_BAD_DATE;
	assert_false(dq_kind_from_code("E_NO_SUCH_THING", &k));
	assert_false(dq_kind_from_code("e_bad_date", &k));
	assert_false(dq_kind_from_key("", &k));
	assert_int_equal(k, DQ_BAD_DATE); /* untouched */
	assert_string_equal(dq_kind_code(DQ_KIND_COUNT), "");
}

/* A fatal message ends with its code, also when the message is too long
 * for the buffer. */
static void test_fail_carries_the_code(void **state)
{
	(void)state;
	struct wr_errmsg err;
	assert_int_equal(dq_fail(&err, WR_ERR_DATA, DQ_EMPTY_FILE, "%s: empty file", "roles.csv"),
			 WR_ERR_DATA);
	assert_string_equal(err.text, "roles.csv: empty file [E_EMPTY_FILE]");
	char path[1000];
	memset(path, 'p', sizeof(path) - 1);
	path[sizeof(path) - 1] = '\0';
	dq_fail(&err, WR_ERR_IO, DQ_CANNOT_READ, "cannot read %s", path);
	size_t len = strlen(err.text);
	assert_int_equal(len, sizeof(err.text) - 1);
	assert_string_equal(err.text + len - strlen(" [E_CANNOT_READ]"), " [E_CANNOT_READ]");
	assert_memory_equal(err.text, "cannot read ppp", 15);
	assert_int_equal(dq_fail(NULL, WR_ERR_DATA, DQ_BAD_CSV, "x"), WR_ERR_DATA);
}

/* Date failures counted as they come; each other format that reads the
 * value counted too. Worked by hand, --date-format iso given:
 *   31/12/2020  mdy: month 31, no;   dmy: yes
 *   01/02/2023  mdy: yes;            dmy: yes
 *   2023-02-30  neither (and iso does not exist that day either)
 *   12/31/2020  mdy: yes;            dmy: month 31, no
 * 4 failures, mdy reads 2, dmy 2: neither reads more than half, no hint.
 *   13/01/2021  mdy: month 13, no;   dmy: yes
 * 5 failures, mdy 2, dmy 3: dmy reads more than half (3 > 2.5). */
static void test_date_hint_from_counts(void **state)
{
	(void)state;
	struct dq_file_counts c = {0};
	const char *bad[] = {"31/12/2020", "01/02/2023", "2023-02-30", "12/31/2020"};
	for (size_t i = 0; i < 4; i++)
		dq_count_bad_date(&c, bad[i], strlen(bad[i]), WR_DATE_ISO);
	assert_int_equal(c.bad_dates, 4);
	assert_int_equal(c.bad_dates_read_as[WR_DATE_ISO], 0);
	assert_int_equal(c.bad_dates_read_as[WR_DATE_MDY], 2);
	assert_int_equal(c.bad_dates_read_as[WR_DATE_DMY], 2);
	enum wr_date_format fits = WR_DATE_ISO;
	assert_false(dq_date_hint(&c, WR_DATE_ISO, &fits));
	dq_count_bad_date(&c, "13/01/2021", 10, WR_DATE_ISO);
	assert_int_equal(c.bad_dates, 5);
	assert_int_equal(c.bad_dates_read_as[WR_DATE_DMY], 3);
	assert_true(dq_date_hint(&c, WR_DATE_ISO, &fits));
	assert_int_equal(fits, WR_DATE_DMY);

	/* given mdy: an ISO date is read by iso only */
	struct dq_file_counts m = {0};
	dq_count_bad_date(&m, "2020-01-31", 10, WR_DATE_MDY);
	assert_int_equal(m.bad_dates, 1);
	assert_int_equal(m.bad_dates_read_as[WR_DATE_ISO], 1);
	assert_int_equal(m.bad_dates_read_as[WR_DATE_DMY], 0);
	assert_true(dq_date_hint(&m, WR_DATE_MDY, &fits));
	assert_int_equal(fits, WR_DATE_ISO);

	/* counts set by hand: the most wins, the first on a tie; the given
	 * format and exactly half never do */
	struct dq_file_counts h = {.bad_dates = 6, .bad_dates_read_as = {0, 5, 5}};
	assert_true(dq_date_hint(&h, WR_DATE_ISO, &fits));
	assert_int_equal(fits, WR_DATE_MDY);
	h = (struct dq_file_counts){.bad_dates = 6, .bad_dates_read_as = {4, 3, 6}};
	assert_true(dq_date_hint(&h, WR_DATE_DMY, &fits));
	assert_int_equal(fits, WR_DATE_ISO); /* 4 of 6; dmy itself is left out */
	h = (struct dq_file_counts){.bad_dates = 6, .bad_dates_read_as = {3, 3, 0}};
	assert_false(dq_date_hint(&h, WR_DATE_DMY, &fits));
	h = (struct dq_file_counts){0};
	assert_false(dq_date_hint(&h, WR_DATE_ISO, &fits));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_counts_exact_past_the_limit),
		cmocka_unit_test(test_counted_apart),
		cmocka_unit_test(test_sort_counts),
		cmocka_unit_test(test_csv_rows),
		cmocka_unit_test(test_print_issue),
		cmocka_unit_test(test_kind_table),
		cmocka_unit_test(test_fail_carries_the_code),
		cmocka_unit_test(test_date_hint_from_counts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
