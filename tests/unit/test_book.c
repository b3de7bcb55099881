/* The book's failures: a libxlsxwriter call that fails is reported by
 * book_close, naming the sheet, what was written there and libxlsxwriter's
 * own words; the first failure is the one reported. And the sheet table:
 * every sheet name is one Excel accepts, each once. The failures provoked
 * here are ones libxlsxwriter 1.1.4 really refuses (its error table, in
 * xlsxwriter/common.h, gives the words). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "workbook/book.h"
#include "workbook/report.h"

static char dir[64], path[128];

static int setup(void **state)
{
	(void)state;
	strcpy(dir, "/tmp/wr-book-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	snprintf(path, sizeof(path), "%s/book.xlsx", dir);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static void open_book(struct book *b)
{
	struct wr_errmsg err = {{0}};
	assert_int_equal(book_open(b, path, 0, "test", &err), WR_OK);
}

/* A table of two columns and two data rows from row 2. */
static void small_table(struct sheet *s, const char *name)
{
	static const char *const headers[] = {"Group", "People"};
	sheet_text(s, 3, 0, "a", NULL);
	sheet_number(s, 3, 1, 5, CELL_INT);
	sheet_text(s, 4, 0, "b", NULL);
	sheet_number(s, 4, 1, 7, CELL_INT);
	sheet_table(s, name, 2, 0, 4, headers, 2);
}

/* A clean book writes: the control for the failures below. */
static void test_clean(void **state)
{
	(void)state;
	struct book b;
	struct sheet s;
	open_book(&b);
	assert_true(sheet_add(&s, &b, "Retention", "Retention", NULL));
	small_table(&s, "tbl_retention");
	static const uint16_t people[] = {1};
	struct chart_spec chart = {.type = LXW_CHART_COLUMN, .title = "People", .header = 2,
				   .last = 4, .columns = people, .nseries = 1};
	sheet_chart(&s, &chart, 2, 3);
	sheet_finish(&s);
	struct wr_errmsg err = {{0}};
	assert_int_equal(book_close(&b, &err), WR_OK);
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_true(st.st_size > 0);
}

/* A table name with a space: Excel's names are one word. */
static void test_table_name(void **state)
{
	(void)state;
	struct book b;
	struct sheet s;
	open_book(&b);
	assert_true(sheet_add(&s, &b, "Retention", "Retention", NULL));
	small_table(&s, "tbl retention");
	sheet_finish(&s);
	struct wr_errmsg err = {{0}};
	assert_int_equal(book_close(&b, &err), WR_ERR_IO);
	assert_string_equal(err.text, "cannot write the workbook: sheet 'Retention', table tbl "
				      "retention: Function parameter validation error");
	/* libxlsxwriter's words for it, as lxw_strerror gives them */
	char words[128];
	snprintf(words, sizeof(words), "%s", lxw_strerror(LXW_ERROR_PARAMETER_VALIDATION));
	words[strcspn(words, ".")] = '\0';
	assert_non_null(strstr(err.text, words));
}

/* A chart with no series: libxlsxwriter will not insert it. */
static void test_chart_without_series(void **state)
{
	(void)state;
	struct book b;
	struct sheet s;
	open_book(&b);
	assert_true(sheet_add(&s, &b, "Charts", "Charts", NULL));
	small_table(&s, "tbl_charts");
	struct chart_spec chart = {.type = LXW_CHART_LINE, .title = "Nothing to draw",
				   .header = 2, .last = 4, .nseries = 0};
	sheet_chart(&s, &chart, 2, 3);
	sheet_finish(&s);
	struct wr_errmsg err = {{0}};
	assert_int_equal(book_close(&b, &err), WR_ERR_IO);
	assert_string_equal(err.text, "cannot write the workbook: sheet 'Charts', chart 'Nothing "
				      "to draw': Function parameter validation error");
}

/* The first failure is the one reported: a cell past Excel's last row
 * (1,048,576 rows: row index 1048576 is row 1048577), then a bad table. */
static void test_first_failure(void **state)
{
	(void)state;
	struct book b;
	struct sheet s;
	open_book(&b);
	assert_true(sheet_add(&s, &b, "Big", "Big", NULL));
	sheet_number(&s, 1048576, 2, 1, CELL_INT);
	small_table(&s, "tbl bad");
	sheet_finish(&s);
	struct wr_errmsg err = {{0}};
	assert_int_equal(book_close(&b, &err), WR_ERR_IO);
	assert_string_equal(err.text, "cannot write the workbook: sheet 'Big', cell C1048577: "
				      "Worksheet row or column index out of range");
}

/* A sheet Excel refuses: too long a name, or one already used. sheet_add
 * says so and the writer writes nothing to it. */
static void test_sheet_refused(void **state)
{
	(void)state;
	struct book b;
	struct sheet s;
	open_book(&b);
	const char *longer = "A name of thirty-two characters!"; /* Excel: 31 at most */
	assert_int_equal(strlen(longer), 32);
	assert_false(sheet_add(&s, &b, longer, "Long", NULL));
	struct wr_errmsg err = {{0}};
	assert_int_equal(book_close(&b, &err), WR_ERR_IO);
	assert_string_equal(err.text, "cannot write the workbook: sheet 'A name of thirty-two "
				      "characters!', adding the worksheet: Worksheet name exceeds "
				      "Excel's limit of 31 characters");

	open_book(&b);
	assert_true(sheet_add(&s, &b, "About", "About", NULL));
	sheet_finish(&s);
	assert_false(sheet_add(&s, &b, "About", "About again", NULL));
	assert_int_equal(book_close(&b, &err), WR_ERR_IO);
	assert_string_equal(err.text, "cannot write the workbook: sheet 'About', adding the "
				      "worksheet: Worksheet name is already in use");
}

/* The sheet table: ten sheets, every name one Excel accepts, none twice
 * (a second use would be refused, as above). */
static void test_sheet_names(void **state)
{
	(void)state;
	struct book b;
	open_book(&b);
	assert_int_equal(SHEET_COUNT, 10);
	for (int i = 0; i < SHEET_COUNT; i++) {
		struct sheet s;
		const char *name = report_sheet_name((enum report_sheet)i);
		assert_non_null(name);
		assert_true(sheet_add(&s, &b, name, name, NULL));
		sheet_finish(&s);
	}
	/* the ends of the order: the dashboard first, About last */
	assert_string_equal(report_sheet_name(SHEET_SUMMARY), "Summary");
	assert_string_equal(report_sheet_name(SHEET_ABOUT), "About");
	struct wr_errmsg err = {{0}};
	assert_int_equal(book_close(&b, &err), WR_OK);
}

/* The words of a hidden statistic. */
static void test_suppressed_words(void **state)
{
	(void)state;
	char buf[48];
	assert_string_equal(suppressed_words(5, buf, sizeof(buf)), "suppressed (n<5)");
	assert_string_equal(suppressed_words(100000, buf, sizeof(buf)), "suppressed (n<100000)");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_clean, setup, teardown),
		cmocka_unit_test_setup_teardown(test_table_name, setup, teardown),
		cmocka_unit_test_setup_teardown(test_chart_without_series, setup, teardown),
		cmocka_unit_test_setup_teardown(test_first_failure, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sheet_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sheet_names, setup, teardown),
		cmocka_unit_test(test_suppressed_words),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
