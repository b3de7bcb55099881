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
	return options_parse(o, argc, (char **)argv, NOW, err);
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
	const char *three[] = {"wr", "--min-group", "3"};
	assert_int_equal(parse(&o, &err, 3, three), WR_OK);
	const char *one[] = {"wr", "--min-group", "1", "--no-privacy"};
	assert_int_equal(parse(&o, &err, 4, one), WR_OK);
	assert_int_equal(o.min_group, 1);
	assert_true(o.no_privacy);
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_all_options),
		cmocka_unit_test(test_since_forms),
		cmocka_unit_test(test_privacy_floor),
		cmocka_unit_test(test_usage_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
