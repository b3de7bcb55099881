/* The command line: defaults, every option, --since forms, usage errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "cli/options.h"

#define NOW 1781654400 /* 2026-06-17 00:00:00 UTC */

static enum wr_error parse(struct options *o, struct wr_errmsg *err, int argc, const char *const *argv)
{
	return options_parse(o, argc, (char **)argv, date_from_unix(NOW), err);
}

static void test_defaults(void **state)
{
	(void)state;
	struct options o;
	struct wr_errmsg err = {{0}};
	const char *argv[] = {"workforce-report"};
	assert_int_equal(parse(&o, &err, 1, argv), WR_OK);
	assert_string_equal(o.input_dir, "samples");
	assert_string_equal(o.output, "reports");
	assert_int_equal(o.since, WR_DATE_NONE);
	assert_int_equal(o.as_of, date_from_ymd(2026, 6, 17));
	assert_int_equal(o.min_group, 5);
	assert_int_equal(o.date_format, WR_DATE_ISO);
	assert_false(o.strict);
}

static void test_all_options(void **state)
{
	(void)state;
	struct options o;
	struct wr_errmsg err = {{0}};
	const char *argv[] = {"wr", "-i", "in", "--output=out.xlsx", "--since", "2022-Q2",
			      "--as-of", "2024-12-31", "--min-group", "10", "--date-format",
			      "dmy", "--strict", "-q", "--progress", "--timings"};
	assert_int_equal(parse(&o, &err, 16, argv), WR_OK);
	assert_string_equal(o.input_dir, "in");
	assert_string_equal(o.output, "out.xlsx");
	assert_int_equal(o.since, date_from_ymd(2022, 4, 1));
	assert_int_equal(o.as_of, date_from_ymd(2024, 12, 31));
	assert_true(o.as_of_given);
	assert_int_equal(o.min_group, 10);
	assert_int_equal(o.date_format, WR_DATE_DMY);
	assert_true(o.strict && o.quiet && o.progress && o.timings);
}

static void test_since_forms(void **state)
{
	(void)state;
	wr_date d;
	assert_true(options_parse_since("2022", &d));
	assert_int_equal(d, date_from_ymd(2022, 1, 1));
	assert_true(options_parse_since("2022-Q1", &d));
	assert_int_equal(d, date_from_ymd(2022, 1, 1));
	assert_true(options_parse_since("2022-q4", &d));
	assert_int_equal(d, date_from_ymd(2022, 10, 1));
	assert_true(options_parse_since("2022-03-15", &d));
	assert_int_equal(d, date_from_ymd(2022, 3, 15));
	assert_false(options_parse_since("2022-Q5", &d));
	assert_false(options_parse_since("2022-Q0", &d));
	assert_false(options_parse_since("22", &d));
	assert_false(options_parse_since("-202", &d));
	assert_false(options_parse_since("2022-02-30", &d));
	assert_false(options_parse_since("1800", &d));
}

static void test_privacy_floor(void **state)
{
	(void)state;
	struct options o;
	struct wr_errmsg err = {{0}};
	/* 3 is the floor without --no-privacy */
	const char *three[] = {"wr", "--min-group", "3"};
	assert_int_equal(parse(&o, &err, 3, three), WR_OK);
	assert_int_equal(o.min_group, 3);
	assert_false(o.no_privacy);
	/* 2 is below it: a usage error that names the way out */
	struct wr_errmsg err2 = {{0}};
	const char *two[] = {"wr", "--min-group", "2"};
	assert_int_equal(parse(&o, &err2, 3, two), WR_ERR_USAGE);
	assert_non_null(strstr(err2.text, "the least is 3, or add --no-privacy"));
	/* 2 with --no-privacy (before or after it) is an analyst's own run */
	const char *two_np[] = {"wr", "--min-group", "2", "--no-privacy"};
	assert_int_equal(parse(&o, &err, 4, two_np), WR_OK);
	assert_int_equal(o.min_group, 2);
	assert_true(o.no_privacy);
	const char *np_two[] = {"wr", "--no-privacy", "--min-group", "2"};
	assert_int_equal(parse(&o, &err, 4, np_two), WR_OK);
	assert_int_equal(o.min_group, 2);
	const char *one[] = {"wr", "--min-group", "1", "--no-privacy"};
	assert_int_equal(parse(&o, &err, 4, one), WR_OK);
	assert_int_equal(o.min_group, 1);
	assert_true(o.no_privacy);
	/* 0 is never a group size, not even with --no-privacy */
	struct wr_errmsg err0 = {{0}};
	const char *zero[] = {"wr", "--min-group", "0"};
	assert_int_equal(parse(&o, &err0, 3, zero), WR_ERR_USAGE);
	assert_non_null(strstr(err0.text, "invalid --min-group"));
	const char *zero_np[] = {"wr", "--min-group", "0", "--no-privacy"};
	assert_int_equal(parse(&o, &err0, 4, zero_np), WR_ERR_USAGE);
}

static void test_usage_errors(void **state)
{
	(void)state;
	static const struct {
		int argc;
		const char *argv[4];
		const char *message_part;
	} cases[] = {
		{2, {"wr", "--bogus"}, "unknown option '--bogus'"},
		{2, {"wr", "--since"}, "needs a value"},
		{3, {"wr", "--since", "last year"}, "invalid --since 'last year'"},
		{3, {"wr", "--as-of", "2024-02-30"}, "invalid --as-of"},
		{3, {"wr", "--min-group", "0"}, "invalid --min-group"},
		{3, {"wr", "--min-group", "5x"}, "invalid --min-group"},
		{3, {"wr", "--min-group", "2"}, "the least is 3, or add --no-privacy"},
		{3, {"wr", "--date-format", "auto"}, "invalid --date-format 'auto'"},
		{2, {"wr", "extra"}, "unexpected argument 'extra'"},
		{3, {"wr", "-q", "-v"}, "cannot be used together"},
		{3, {"wr", "--since", "2027"}, "after the as-of date"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct options o;
		struct wr_errmsg err = {{0}};
		assert_int_equal(parse(&o, &err, cases[i].argc, cases[i].argv), WR_ERR_USAGE);
		if (!strstr(err.text, cases[i].message_part))
			fail_msg("case %zu: '%s' lacks '%s'", i, err.text, cases[i].message_part);
	}
}

/* Periods for schedulers, worked out by hand. */
static void test_scheduler_periods(void **state)
{
	(void)state;
	wr_date d;
	wr_date jan1 = date_from_ymd(2027, 1, 1); /* cron at 06:00 on a quarter's first day */
	assert_true(options_parse_as_of("2026-Q4", jan1, &d));
	assert_int_equal(d, date_from_ymd(2026, 12, 31));
	assert_true(options_parse_as_of("2024-Q1", jan1, &d));
	assert_int_equal(d, date_from_ymd(2024, 3, 31));
	assert_true(options_parse_as_of("2024-02", jan1, &d));
	assert_int_equal(d, date_from_ymd(2024, 2, 29)); /* a leap year's February */
	assert_true(options_parse_as_of("last-quarter", jan1, &d));
	assert_int_equal(d, date_from_ymd(2026, 12, 31));
	assert_true(options_parse_as_of("last-quarter", date_from_ymd(2026, 6, 17), &d));
	assert_int_equal(d, date_from_ymd(2026, 3, 31));
	assert_true(options_parse_as_of("last-quarter", date_from_ymd(2026, 3, 31), &d));
	assert_int_equal(d, date_from_ymd(2025, 12, 31)); /* its own quarter is not complete */
	assert_false(options_parse_as_of("2026-Q5", jan1, &d));
	assert_false(options_parse_as_of("2026-13", jan1, &d));
	assert_false(options_parse_as_of("last-year", jan1, &d));

	struct options o;
	struct wr_errmsg err = {{0}};
	const char *eight[] = {"workforce-report", "--as-of", "2026-06-30", "--since", "8q"};
	assert_int_equal(parse(&o, &err, 5, eight), WR_OK);
	assert_int_equal(o.since, date_from_ymd(2024, 7, 1)); /* 8 quarters: Q3 2024 .. Q2 2026 */
	/* the order of the options does not matter */
	const char *two[] = {"workforce-report", "--since", "2y", "--as-of", "2026-Q2"};
	assert_int_equal(parse(&o, &err, 5, two), WR_OK);
	assert_int_equal(o.since, date_from_ymd(2024, 7, 1));
	assert_int_equal(o.as_of, date_from_ymd(2026, 6, 30));
	const char *month[] = {"workforce-report", "--since", "2022-07"};
	assert_int_equal(parse(&o, &err, 3, month), WR_OK);
	assert_int_equal(o.since, date_from_ymd(2022, 7, 1));
	const char *zero[] = {"workforce-report", "--since", "0q"};
	assert_int_equal(parse(&o, &err, 3, zero), WR_ERR_USAGE);
	const char *far[] = {"workforce-report", "--since", "401y"};
	assert_int_equal(parse(&o, &err, 3, far), WR_ERR_USAGE);
	const char *junk[] = {"workforce-report", "--since", "8qq"};
	assert_int_equal(parse(&o, &err, 3, junk), WR_ERR_USAGE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_all_options),
		cmocka_unit_test(test_since_forms),
		cmocka_unit_test(test_privacy_floor),
		cmocka_unit_test(test_usage_errors),
		cmocka_unit_test(test_scheduler_periods),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
