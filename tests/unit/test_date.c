/* Dates: day numbers, parsing in each format, calendar rules, Excel serials.
 * Expected values are calendar facts (e.g. 946684800 s = 2000-01-01 =
 * day 10957; Excel shows 2024-01-01 as serial 45292). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "model/date.h"

static void test_day_numbers(void **state)
{
	(void)state;
	assert_int_equal(date_from_ymd(1970, 1, 1), 0);
	assert_int_equal(date_from_ymd(2000, 1, 1), 10957);
	assert_int_equal(date_from_ymd(2000, 3, 1), 10957 + 31 + 29);
	assert_int_equal(date_from_ymd(1969, 12, 31), -1);
	int y, m, d;
	date_to_ymd(10957 + 59, &y, &m, &d); /* 2000-02-29 */
	assert_int_equal(y, 2000);
	assert_int_equal(m, 2);
	assert_int_equal(d, 29);
	/* round trip over every day from 1900 to 2100 */
	for (wr_date day = date_from_ymd(1900, 1, 1); day < date_from_ymd(2100, 1, 1); day++) {
		date_to_ymd(day, &y, &m, &d);
		assert_true(date_valid(y, m, d));
		assert_int_equal(date_from_ymd(y, m, d), day);
	}
}

static void test_leap_years(void **state)
{
	(void)state;
	assert_true(date_is_leap(2024));
	assert_true(date_is_leap(2000));
	assert_false(date_is_leap(1900));
	assert_false(date_is_leap(2023));
	assert_true(date_valid(2024, 2, 29));
	assert_false(date_valid(2023, 2, 29));
	assert_false(date_valid(1900, 2, 29));
	assert_false(date_valid(2023, 4, 31));
	assert_false(date_valid(1899, 12, 31)); /* before Excel's first date */
	assert_true(date_valid(9999, 12, 31));
}

struct parse_case {
	const char *text;
	enum wr_date_format fmt;
	bool ok;
	int y, m, d;
};

static const struct parse_case parse_cases[] = {
	{"2024-01-15", WR_DATE_ISO, true, 2024, 1, 15},
	{"2024-02-29", WR_DATE_ISO, true, 2024, 2, 29},
	{"2023-02-29", WR_DATE_ISO, false, 0, 0, 0},
	{"2023-02-30", WR_DATE_ISO, false, 0, 0, 0},
	{"2024-13-01", WR_DATE_ISO, false, 0, 0, 0},
	{"2024-00-10", WR_DATE_ISO, false, 0, 0, 0},
	{"0000-00-00", WR_DATE_ISO, false, 0, 0, 0},
	{"1899-12-31", WR_DATE_ISO, false, 0, 0, 0},
	{"9999-12-31", WR_DATE_ISO, true, 9999, 12, 31},
	{"2024-1-15", WR_DATE_ISO, false, 0, 0, 0},
	{" 2024-01-15", WR_DATE_ISO, false, 0, 0, 0},
	{"2024-01-15 ", WR_DATE_ISO, false, 0, 0, 0},
	{"2024-01-15T00:00", WR_DATE_ISO, false, 0, 0, 0},
	{"2024/01/15", WR_DATE_ISO, false, 0, 0, 0},
	{"", WR_DATE_ISO, false, 0, 0, 0},
	{"02/29/2024", WR_DATE_MDY, true, 2024, 2, 29},
	{"2/9/2024", WR_DATE_MDY, true, 2024, 2, 9},
	{"13/01/2024", WR_DATE_MDY, false, 0, 0, 0},
	{"2024-01-15", WR_DATE_MDY, false, 0, 0, 0},
	{"31/12/2023", WR_DATE_DMY, true, 2023, 12, 31},
	{"12/31/2023", WR_DATE_DMY, false, 0, 0, 0},
	{"29/02/2023", WR_DATE_DMY, false, 0, 0, 0},
	{"1/2/23", WR_DATE_DMY, false, 0, 0, 0},
};

static void test_parse(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(parse_cases) / sizeof(parse_cases[0]); i++) {
		const struct parse_case *c = &parse_cases[i];
		wr_date got = 12345;
		bool ok = date_parse(c->text, strlen(c->text), c->fmt, &got);
		if (ok != c->ok)
			fail_msg("date_parse('%s', %d) = %d, expected %d", c->text, c->fmt, ok, c->ok);
		if (ok)
			assert_int_equal(got, date_from_ymd(c->y, c->m, c->d));
	}
}

/* YYYY-MM-DD has a fixed width: every other shape is refused, whatever
 * sits where a digit or a dash should. */
static const struct parse_case iso_shapes[] = {
	{"2024-01-15", WR_DATE_ISO, true, 2024, 1, 15},
	{"1900-01-01", WR_DATE_ISO, true, 1900, 1, 1},
	{"2000-02-29", WR_DATE_ISO, true, 2000, 2, 29},
	{"1900-02-29", WR_DATE_ISO, false, 0, 0, 0},   /* not a leap year */
	{"2100-02-29", WR_DATE_ISO, false, 0, 0, 0},
	{"2024-04-31", WR_DATE_ISO, false, 0, 0, 0},
	{"2024-12-32", WR_DATE_ISO, false, 0, 0, 0},
	{"2024-01-00", WR_DATE_ISO, false, 0, 0, 0},
	{"10000-01-01", WR_DATE_ISO, false, 0, 0, 0},
	{"0999-01-01", WR_DATE_ISO, false, 0, 0, 0},
	{"024-01-15", WR_DATE_ISO, false, 0, 0, 0},
	{"2024-01-5", WR_DATE_ISO, false, 0, 0, 0},
	{"2024-001-5", WR_DATE_ISO, false, 0, 0, 0},
	{"2024--1-15", WR_DATE_ISO, false, 0, 0, 0},
	{"2024-01--5", WR_DATE_ISO, false, 0, 0, 0},
	{"+024-01-15", WR_DATE_ISO, false, 0, 0, 0},
	{"-024-01-15", WR_DATE_ISO, false, 0, 0, 0},
	{"2024-+1-15", WR_DATE_ISO, false, 0, 0, 0},
	{"2024-01-+5", WR_DATE_ISO, false, 0, 0, 0},
	{"2024 01 15", WR_DATE_ISO, false, 0, 0, 0},
	{"2024-01-1a", WR_DATE_ISO, false, 0, 0, 0},
	{"202a-01-15", WR_DATE_ISO, false, 0, 0, 0},
	{"2024-0:-15", WR_DATE_ISO, false, 0, 0, 0},   /* ':' follows '9' */
	{"2024-0/-15", WR_DATE_ISO, false, 0, 0, 0},   /* '/' precedes '0' */
	{"20240-1-15", WR_DATE_ISO, false, 0, 0, 0},
	{"2024-01-150", WR_DATE_ISO, false, 0, 0, 0},
	{"2024-01-15\n", WR_DATE_ISO, false, 0, 0, 0},
	{"2024-1-015", WR_DATE_ISO, false, 0, 0, 0},
	{"2024_01_15", WR_DATE_ISO, false, 0, 0, 0},
	{"\xD9\xA2" "024-01-15", WR_DATE_ISO, false, 0, 0, 0}, /* a non-ASCII digit */
};

static void test_iso_shapes(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(iso_shapes) / sizeof(iso_shapes[0]); i++) {
		const struct parse_case *c = &iso_shapes[i];
		wr_date got = 12345;
		bool ok = date_parse(c->text, strlen(c->text), c->fmt, &got);
		if (ok != c->ok)
			fail_msg("date_parse('%s') = %d, expected %d", c->text, ok, c->ok);
		if (ok)
			assert_int_equal(got, date_from_ymd(c->y, c->m, c->d));
		else
			assert_int_equal(got, 12345); /* untouched */
	}
	/* the length counts, not a NUL: a valid date followed by more bytes */
	wr_date d;
	assert_false(date_parse("2024-01-15\0", 11, WR_DATE_ISO, &d));
	assert_false(date_parse("2024-01-15", 9, WR_DATE_ISO, &d));
	assert_true(date_parse("2024-01-15xyz", 10, WR_DATE_ISO, &d));
	assert_int_equal(d, date_from_ymd(2024, 1, 15));
}

/* Every month of a spread of years, with days 0 to 32, against the
 * Gregorian rule written out here: 30 days hath September, April, June
 * and November; February has 29 in years divisible by 4, except
 * centuries not divisible by 400. Day numbers are counted one by one
 * from 1970-01-01 = 0. */
static void test_iso_calendar(void **state)
{
	(void)state;
	static const int years[] = {1899, 1900, 1901, 1904, 1970, 1999, 2000, 2023,
				    2024, 2100, 2400, 9999};
	for (size_t k = 0; k < sizeof(years) / sizeof(years[0]); k++) {
		int y = years[k];
		bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
		for (int m = 0; m <= 13; m++) {
			int days = m == 2 ? (leap ? 29 : 28)
				 : (m == 4 || m == 6 || m == 9 || m == 11) ? 30 : 31;
			for (int d = 0; d <= 32; d++) {
				char text[40];
				snprintf(text, sizeof(text), "%04d-%02d-%02d", y, m, d);
				bool want = y >= 1900 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 &&
					    d <= days;
				wr_date got;
				if (date_parse(text, 10, WR_DATE_ISO, &got) != want)
					fail_msg("date_parse('%s') != %d", text, want);
			}
		}
	}
	/* 2000-01-01 is day 10957; walk 800 days on from there */
	int y = 2000, m = 1, d = 1;
	for (wr_date day = 10957; day < 10957 + 800; day++) {
		char text[40];
		snprintf(text, sizeof(text), "%04d-%02d-%02d", y, m, d);
		wr_date got;
		assert_true(date_parse(text, 10, WR_DATE_ISO, &got));
		assert_int_equal(got, day);
		bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
		int days = m == 2 ? (leap ? 29 : 28)
			 : (m == 4 || m == 6 || m == 9 || m == 11) ? 30 : 31;
		if (++d > days) {
			d = 1;
			if (++m > 12) {
				m = 1;
				y++;
			}
		}
	}
}

static void test_format_and_excel(void **state)
{
	(void)state;
	char buf[11];
	date_format_iso(date_from_ymd(2024, 3, 5), buf);
	assert_string_equal(buf, "2024-03-05");
	assert_true(date_to_excel(date_from_ymd(2024, 1, 1)) == 45292.0);
	assert_true(date_to_excel(date_from_ymd(1900, 3, 1)) == 61.0);
	assert_true(date_to_excel(date_from_ymd(1900, 1, 1)) == 1.0);
}

static void test_months_and_quarters(void **state)
{
	(void)state;
	assert_int_equal(date_add_months(date_from_ymd(2024, 1, 31), 1), date_from_ymd(2024, 2, 29));
	assert_int_equal(date_add_months(date_from_ymd(2023, 1, 31), 1), date_from_ymd(2023, 2, 28));
	assert_int_equal(date_add_months(date_from_ymd(2024, 1, 15), 3), date_from_ymd(2024, 4, 15));
	assert_int_equal(date_add_months(date_from_ymd(2024, 11, 30), 3), date_from_ymd(2025, 2, 28));
	assert_int_equal(date_add_months(date_from_ymd(2024, 1, 15), 12), date_from_ymd(2025, 1, 15));
	assert_int_equal(date_quarter_start(date_from_ymd(2024, 5, 17)), date_from_ymd(2024, 4, 1));
	assert_int_equal(date_quarter(date_from_ymd(2024, 12, 31)), 4);
	assert_int_equal(date_year(date_from_ymd(2024, 12, 31)), 2024);
	assert_int_equal(date_from_unix(946684800), 10957);
	assert_int_equal(date_from_unix(946684799), 10956);
	assert_int_equal(date_from_unix(-1), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_day_numbers),
		cmocka_unit_test(test_leap_years),
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_iso_shapes),
		cmocka_unit_test(test_iso_calendar),
		cmocka_unit_test(test_format_and_excel),
		cmocka_unit_test(test_months_and_quarters),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
