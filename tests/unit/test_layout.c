/* The layout helpers (where a chart goes relative to its table, a
 * table's last row, the row after a block) and the label helpers (our
 * codes in words, names from input title-cased only). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "workbook/labels.h"
#include "workbook/layout.h"

/* A narrow table: the chart beside it, one column apart, from the row under
 * the header; the next block under the taller of the two. */
static void test_beside(void **state)
{
	(void)state;
	/* tbl_ttp_curve: header row 40, months 0..60 below, 4 columns */
	struct layout_spot at = layout_chart(40, 101, 0, 4, 18);
	assert_true(at.beside);
	assert_int_equal(at.row, 41);
	assert_int_equal(at.col, 5);
	assert_int_equal(at.next_row, 103); /* the table is longer: row 102 blank */
	/* a short table, a chart taller than it: the next block under the chart */
	at = layout_chart(3, 8, 0, 3, 15);
	assert_true(at.beside);
	assert_int_equal(at.row, 4);
	assert_int_equal(at.col, 4);
	assert_int_equal(at.next_row, 4 + 15 + 1);
	/* the widest table that still gets its chart beside: 8 columns, chart at J */
	at = layout_chart(3, 20, 0, 8, 15);
	assert_true(at.beside);
	assert_int_equal(at.col, LAYOUT_LAST_CHART_COL);
}

/* A wide table: the chart under it, from its first column, after a blank row. */
static void test_under(void **state)
{
	(void)state;
	struct layout_spot at = layout_chart(3, 21, 0, 9, 15);
	assert_false(at.beside);
	assert_int_equal(at.row, 23);
	assert_int_equal(at.col, 0);
	assert_int_equal(at.next_row, 23 + 15 + 1);
	/* a table that starts right of J still gets its chart at A */
	at = layout_chart(3, 5, 12, 2, 10);
	assert_false(at.beside);
	assert_int_equal(at.col, 0);
	/* degenerate input: an empty table, a zero-height chart */
	at = layout_chart(7, 6, 0, 0, 0);
	assert_true(at.beside);
	assert_int_equal(at.row, 8);
	assert_int_equal(at.next_row, 10);
}

/* A table's last row: its last data row, or the one blank row an Excel
 * table needs when it has none. */
static void test_table_last(void **state)
{
	(void)state;
	assert_int_equal(layout_table_last(5, 9), 9);  /* header 5, data rows 6 to 9 */
	assert_int_equal(layout_table_last(5, 6), 6);  /* one data row */
	assert_int_equal(layout_table_last(5, 5), 6);  /* none: the blank row under the header */
	assert_int_equal(layout_table_last(0, 0), 1);
	assert_int_equal(layout_table_last(7, 3), 8);  /* nonsense in, still a row under it */
}

/* The next block: one blank row after the last one of this block. */
static void test_after(void **state)
{
	(void)state;
	assert_int_equal(layout_after(9), 11);
	assert_int_equal(layout_after(0), 2);
	/* a chart's next block counts the same way from the lower of the two */
	struct layout_spot at = layout_chart(3, 30, 0, 3, 15); /* chart rows 4 to 18 */
	assert_int_equal(at.next_row, layout_after(30));
	at = layout_chart(3, 8, 0, 3, 15);
	assert_int_equal(at.next_row, layout_after(4 + 15 - 1));
}

static void test_rows_for(void **state)
{
	(void)state;
	assert_int_equal(layout_rows_for(LAYOUT_CHART_H), 15);       /* 288 px */
	assert_int_equal(layout_rows_for(LAYOUT_CHART_H * 1.2), 18); /* 345.6 px */
	assert_int_equal(layout_rows_for(200), 10);
	assert_int_equal(layout_rows_for(0), 1);
}

static void test_overlap(void **state)
{
	(void)state;
	struct layout_box a = {10, 0, 5, 4}, b = {14, 3, 2, 2}, c = {15, 0, 3, 3}, d = {10, 4, 5, 1};
	assert_true(layout_overlap(&a, &b));  /* share D15 */
	assert_false(layout_overlap(&a, &c)); /* c starts under a */
	assert_false(layout_overlap(&a, &d)); /* d starts right of a */
	struct layout_box empty = {10, 0, 0, 4};
	assert_false(layout_overlap(&a, &empty));
}

/* Over every table shape and chart size: the chart starts at column J or
 * before, never covers the table, and the next block starts under both
 * with a blank row between. */
static void test_never_overlaps(void **state)
{
	(void)state;
	for (uint32_t first = 0; first < 12; first += 3)
		for (uint32_t rows = 1; rows <= 40; rows++)
			for (uint16_t first_col = 0; first_col <= 12; first_col += 4)
				for (uint16_t ncols = 1; ncols <= 20; ncols++)
					for (uint32_t h = 1; h <= 30; h += 7)
						for (uint16_t w = 1; w <= 14; w += 3) {
							uint32_t last = first + rows;
							struct layout_spot at = layout_chart(
								first, last, first_col, ncols, h);
							assert_true(at.col <= LAYOUT_LAST_CHART_COL);
							struct layout_box table = {first, first_col,
										   rows + 1, ncols};
							struct layout_box chart = {at.row, at.col, h, w};
							assert_false(layout_overlap(&table, &chart));
							assert_true(at.next_row > last + 1);
							assert_true(at.next_row > at.row + h);
							/* the block under it overlaps neither */
							struct layout_box next = {at.next_row, 0, 1, 64};
							assert_false(layout_overlap(&next, &table));
							assert_false(layout_overlap(&next, &chart));
						}
}

static void test_codes(void **state)
{
	(void)state;
	char buf[64];
	assert_string_equal(label_code("merge_requests", buf, sizeof(buf)), "Merge-request route");
	assert_string_equal(label_code("application", buf, sizeof(buf)), "Application route");
	assert_string_equal(label_code("offer_declined", buf, sizeof(buf)), "Offer declined");
	/* an unknown code: capitalised, _ and - as spaces */
	assert_string_equal(label_code("ended_early-late", buf, sizeof(buf)), "Ended early late");
	assert_string_equal(label_code("", buf, sizeof(buf)), "");
	char small[4];
	assert_string_equal(label_code("abcdef", small, sizeof(small)), "Abc");
	assert_string_equal(label_route(ROUTE_MERGE_REQUESTS, buf, sizeof(buf)),
			    "Merge-request route");
	assert_string_equal(label_route(ROUTE_NONE, buf, sizeof(buf)), "Not given");
	assert_string_equal(label_route(ROUTE_APPLICATION, buf, sizeof(buf)), "Application route");
	/* the known words cut to the buffer, and a buffer of nothing left alone */
	assert_string_equal(label_code("no_offer", small, sizeof(small)), "No ");
	char untouched[4] = "xyz";
	assert_ptr_equal(label_code("hired", untouched, 0), untouched);
	assert_string_equal(untouched, "xyz");
}

/* Names from input: title-cased when all lower case, else as they are;
 * never cut, never a character changed but a first letter's case. */
static void test_titles(void **state)
{
	(void)state;
	char buf[32];
	assert_string_equal(label_title("backend", buf, sizeof(buf)), "Backend");
	assert_string_equal(label_title("data platform", buf, sizeof(buf)), "Data Platform");
	assert_string_equal(label_title("front-end_web", buf, sizeof(buf)), "Front-end_web");
	const char *mixed = "iOS apps";
	assert_ptr_equal(label_title(mixed, buf, sizeof(buf)), mixed);
	const char *caps = "Create";
	assert_ptr_equal(label_title(caps, buf, sizeof(buf)), caps);
	const char *accent = "s\xC3\xA9" "curit\xC3\xA9"; /* sécurité: not plain ASCII */
	assert_ptr_equal(label_title(accent, buf, sizeof(buf)), accent);
	const char *digits = "2024";
	assert_ptr_equal(label_title(digits, buf, sizeof(buf)), digits);
	const char *longer = "a team name far longer than the buffer";
	assert_ptr_equal(label_title(longer, buf, sizeof(buf)), longer);
	/* exactly as long as the buffer allows (31 characters and the NUL) */
	const char *fits = "abcdefghij klmnopqrst uvwxyz abc";
	assert_int_equal(strlen(fits), 32);
	assert_ptr_equal(label_title(fits, buf, sizeof(buf)), fits); /* one too many */
	assert_string_equal(label_title("abcdefghij klmnopqrst uvwxyz ab", buf, sizeof(buf)),
			    "Abcdefghij Klmnopqrst Uvwxyz Ab");
	/* punctuation only: nothing to capitalise */
	const char *dashes = "--";
	assert_ptr_equal(label_title(dashes, buf, sizeof(buf)), dashes);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_beside),       cmocka_unit_test(test_under),
		cmocka_unit_test(test_table_last),   cmocka_unit_test(test_after),
		cmocka_unit_test(test_rows_for),     cmocka_unit_test(test_overlap),
		cmocka_unit_test(test_never_overlaps), cmocka_unit_test(test_codes),
		cmocka_unit_test(test_titles),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
