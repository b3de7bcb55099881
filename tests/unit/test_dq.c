/* The data-quality log: exact counts per file x key x column x severity
 * whatever the cap on the kept list, the first lines kept as pointers, keys
 * owned by the log, the order of the counts, and the issues file's rows
 * (quoting, the guard against formulas). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "ingest/dq.h"

static const struct dq_count *find(const struct dq_log *log, enum wr_file file,
				   enum dq_severity severity, const char *column, const char *key)
{
	for (size_t i = 0; i < log->ncounts; i++) {
		const struct dq_count *c = &log->counts[i];
		bool same_col = c->column == column ||
				(c->column && column && strcmp(c->column, column) == 0);
		if (c->file == file && c->severity == severity && same_col &&
		    strcmp(c->key, key) == 0)
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
		dq_add(&log, WR_FILE_ROLES, line, "level", DQ_REJECTED,
		       "level must be a whole number from 1 to 12", "x", 1,
		       "level must be a whole number from 1 to 12");
		if (i == 100 || i == 20000 || i == 24999)
			dq_add(&log, WR_FILE_ROLES, line, "start_date", DQ_WARNING,
			       "future-dated row", "2031-01-01", 10, "dated after the as-of date %s",
			       "2030-12-31");
		if (i == 12345)
			dq_add(&log, WR_FILE_ROLES, 1, NULL, DQ_NOTE, "unknown column", "notes", 5,
			       "unknown column %d, ignored", 9);
	}
	assert_int_equal(log.count, DQ_DEFAULT_LIMIT);
	assert_int_equal(log.not_kept, n + 4 - DQ_DEFAULT_LIMIT);
	assert_int_equal(echoed, n + 4); /* the issues file sees every one */
	assert_int_equal(dq_total(&log), n + 4);
	assert_int_equal(log.ncounts, 3);
	assert_int_equal(log.files[WR_FILE_ROLES].warnings, 3);
	assert_int_equal(log.files[WR_FILE_ROLES].notes, 1);

	const struct dq_count *levels = find(&log, WR_FILE_ROLES, DQ_REJECTED, "level",
					     "level must be a whole number from 1 to 12");
	assert_non_null(levels);
	assert_int_equal(levels->count, n);
	/* the five smallest lines, though logged last */
	assert_int_equal(levels->nlines, 5);
	for (size_t i = 0; i < 5; i++)
		assert_int_equal(levels->first_lines[i], 2 + i);

	const struct dq_count *future = find(&log, WR_FILE_ROLES, DQ_WARNING, "start_date",
					     "future-dated row");
	assert_non_null(future);
	assert_int_equal(future->count, 3);
	assert_int_equal(future->nlines, 3);
	assert_int_equal(future->first_lines[0], 2);      /* i = 24999 */
	assert_int_equal(future->first_lines[1], 5001);   /* i = 20000 */
	assert_int_equal(future->first_lines[2], 24901);  /* i = 100 */

	const struct dq_count *note = find(&log, WR_FILE_ROLES, DQ_NOTE, NULL, "unknown column");
	assert_non_null(note);
	assert_int_equal(note->count, 1);

	assert_int_equal(dq_count_key(&log, WR_FILE_ROLES, "future-dated row"), 3);
	assert_int_equal(dq_count_key(&log, WR_FILE_PROMOTIONS, "future-dated row"), 0);
	dq_release(&log);
}

/* One count per file x key x column x severity; the same key elsewhere is
 * another count. Keys are copied: the caller's buffer may change. */
static void test_counted_apart_and_keys_owned(void **state)
{
	(void)state;
	struct dq_log log;
	dq_init(&log, 2);
	char key[32];
	snprintf(key, sizeof(key), "%s", "duplicate row");
	dq_add(&log, WR_FILE_ROLES, 7, "employee_id", DQ_REJECTED, key, "E1", 2, "dup of line 3");
	dq_add(&log, WR_FILE_ROLES, 7, "employee_id", DQ_REJECTED, key, "E1", 2, "dup of line 5");
	dq_add(&log, WR_FILE_PROMOTIONS, 4, "employee_id", DQ_REJECTED, key, "E2", 2, "dup");
	dq_add(&log, WR_FILE_ROLES, 9, "start_date", DQ_REJECTED, key, NULL, 0, "dup");
	dq_add(&log, WR_FILE_ROLES, 0, "employee_id", DQ_WARNING, key, NULL, 0, "dup");
	memset(key, 'x', sizeof(key) - 1);
	assert_int_equal(log.ncounts, 4);
	const struct dq_count *c = find(&log, WR_FILE_ROLES, DQ_REJECTED, "employee_id",
					"duplicate row");
	assert_non_null(c);
	assert_int_equal(c->count, 2);
	assert_int_equal(c->nlines, 1); /* line 7 twice: one pointer */
	assert_int_equal(c->first_lines[0], 7);
	c = find(&log, WR_FILE_ROLES, DQ_WARNING, "employee_id", "duplicate row");
	assert_non_null(c);
	assert_int_equal(c->nlines, 0); /* line 0, the whole file: no pointer */
	/* the kept issues carry the key, the message and the value */
	assert_int_equal(log.count, 2);
	assert_string_equal(log.items[0].key, "duplicate row");
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
	dq_add(&log, WR_FILE_PROMOTIONS, 2, "effective_date", DQ_REJECTED, "invalid date", "x", 1,
	       "invalid date");
	dq_add(&log, WR_FILE_ROLES, 3, "level", DQ_WARNING, "level rises with no promotion", NULL,
	       0, "rises");
	for (int i = 0; i < 3; i++)
		dq_add(&log, WR_FILE_ROLES, 10 + (unsigned long)i, "start_date", DQ_REJECTED,
		       "invalid date", "x", 1, "invalid date");
	dq_add(&log, WR_FILE_ROLES, 4, "end_date", DQ_REJECTED, "invalid date", "x", 1,
	       "invalid date");
	dq_add(&log, WR_FILE_ROLES, 5, NULL, DQ_REJECTED, "invalid date", "x", 1, "invalid date");
	dq_sort(&log);
	assert_int_equal(log.ncounts, 5);
	assert_string_equal(log.counts[0].column, "start_date"); /* roles, rejected, 3 */
	assert_null(log.counts[1].column);                       /* then 1 each: no column first */
	assert_string_equal(log.counts[2].column, "end_date");
	assert_int_equal(log.counts[3].severity, DQ_WARNING);
	assert_int_equal(log.counts[4].file, WR_FILE_PROMOTIONS);
	/* still counted into the right entries after sorting */
	dq_add(&log, WR_FILE_ROLES, 1, "end_date", DQ_REJECTED, "invalid date", "x", 1, "again");
	const struct dq_count *c = find(&log, WR_FILE_ROLES, DQ_REJECTED, "end_date",
					"invalid date");
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
 * fields bare, and a ' before anything a spreadsheet would run. */
static void test_csv_rows(void **state)
{
	(void)state;
	const struct dq_issue issues[] = {
		{WR_FILE_ROLES, 14, "track", DQ_REJECTED, "unknown track",
		 "=HYPERLINK(\"http://x\",\"ic\")", "unknown track, \"quoted\""},
		{WR_FILE_ROLES, 0, NULL, DQ_NOTE, "unknown column", NULL, "unknown column 9"},
		{WR_FILE_PROMOTIONS, 3, "to_level", DQ_REJECTED, "to_level is not above from_level",
		 "-3", "+x"},
		{WR_FILE_ROLES, 5, "role", DQ_REJECTED, "missing required value", "", "@who"},
		{WR_FILE_ROLES, 6, "role", DQ_WARNING, "k", "\tTab", "\rCR"},
	};
	char *text = csv_of(issues, sizeof(issues) / sizeof(issues[0]));
	assert_string_equal(text,
			    "file,line,column,severity,problem,detail,value\r\n"
			    "\"roles.csv\",14,\"track\",\"rejected\",\"unknown track\","
			    "\"unknown track, \"\"quoted\"\"\","
			    "\"'=HYPERLINK(\"\"http://x\"\",\"\"ic\"\")\"\r\n"
			    "\"roles.csv\",,,\"note\",\"unknown column\",\"unknown column 9\",\r\n"
			    "\"promotions.csv\",3,\"to_level\",\"rejected\","
			    "\"to_level is not above from_level\",\"'+x\",\"'-3\"\r\n"
			    "\"roles.csv\",5,\"role\",\"rejected\",\"missing required value\","
			    "\"'@who\",\"\"\r\n"
			    "\"roles.csv\",6,\"role\",\"warning\",\"k\",\"'\rCR\",\"'\tTab\"\r\n");
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_counts_exact_past_the_limit),
		cmocka_unit_test(test_counted_apart_and_keys_owned),
		cmocka_unit_test(test_sort_counts),
		cmocka_unit_test(test_csv_rows),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
