/* IC vs management, track switches, span, promotions and transfers on the
 * hand-worked organisation in tests/fixtures/org (its README has the sums),
 * plus the span bands at their edges and switches back within and beyond
 * 365 days. The fixture folder is the first argument. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "ingest/load.h"
#include "metrics/calendar.h"
#include "metrics/mobility.h"
#include "metrics/split.h"

static const char *fixture_dir;

struct org {
	struct dataset ds;
	struct model m;
	struct split_result split;
	struct mobility_result mob;
};

static wr_date D(int y, int m, int d)
{
	return date_from_ymd(y, m, d);
}

static void load_org(struct org *o, wr_date since, wr_date as_of)
{
	dataset_init(&o->ds);
	model_init(&o->m);
	struct load_opts lo = {.input_dir = fixture_dir, .date_format = WR_DATE_ISO,
			       .as_of = as_of};
	struct wr_errmsg err = {{0}};
	if (load_dataset(&lo, &o->ds, &err))
		fail_msg("%s", err.text);
	model_build(&o->m, &o->ds);
	struct split_params sp = {since, as_of, 1};
	split_compute(&o->m, &sp, &o->split);
	struct mobility_params mp = {since, as_of};
	mobility_compute(&o->m, &o->split, &mp, &o->mob);
}

static void unload_org(struct org *o)
{
	mobility_release(&o->mob);
	split_release(&o->split);
	model_release(&o->m);
	dataset_release(&o->ds);
}

static void test_quarter_headcounts(void **state)
{
	(void)state;
	struct org o;
	load_org(&o, D(2024, 1, 1), D(2024, 6, 30));
	/* as-of is a quarter end: no extra row */
	assert_int_equal(o.split.nquarters, 2);
	assert_int_equal(o.split.quarters[0].date, D(2024, 3, 31));
	assert_int_equal(o.split.quarters[0].ic, 3);
	assert_int_equal(o.split.quarters[0].management, 4);
	assert_int_equal(o.split.quarters[1].ic, 2);
	assert_int_equal(o.split.quarters[1].management, 5);
	unload_org(&o);

	/* as-of mid-quarter adds its own row */
	load_org(&o, D(2024, 1, 1), D(2024, 4, 15));
	assert_int_equal(o.split.nquarters, 2);
	assert_int_equal(o.split.quarters[1].date, D(2024, 4, 15));
	/* on 2024-04-15: IC B, C; management D, E, F, M1, M2 */
	assert_int_equal(o.split.quarters[1].ic, 2);
	assert_int_equal(o.split.quarters[1].management, 5);
	unload_org(&o);
}

static void test_departments_levels_switches(void **state)
{
	(void)state;
	struct org o;
	load_org(&o, D(2024, 1, 1), D(2024, 6, 30));
	assert_int_equal(o.split.ndepartments, 2);
	assert_string_equal(ds_str(&o.ds, o.split.departments[0].department), "Create");
	assert_int_equal(o.split.departments[0].ic, 1);
	assert_int_equal(o.split.departments[0].management, 3);
	assert_int_equal(o.split.departments[1].ic, 1);
	assert_int_equal(o.split.departments[1].management, 2);

	assert_int_equal(o.split.nlevels, 2);
	assert_int_equal(o.split.levels[0].level, 1);
	assert_int_equal(o.split.levels[0].headcount, 2);
	assert_int_equal(o.split.levels[1].track, TRACK_MANAGEMENT);
	assert_int_equal(o.split.levels[1].headcount, 5);

	assert_int_equal(o.split.nyears, 1);
	assert_int_equal(o.split.years[0].to_management, 2);
	assert_int_equal(o.split.years[0].to_ic, 0);
	assert_int_equal(o.split.years[0].to_management_recent, 2);
	unload_org(&o);
}

static void test_span(void **state)
{
	(void)state;
	struct org o;
	load_org(&o, D(2024, 1, 1), D(2024, 6, 30));
	assert_true(o.split.has_span);
	assert_int_equal(o.split.managers, 2);
	assert_int_equal(o.split.span_bands[0], 2);
	assert_true(o.split.span_mean == 1.0 && o.split.span_median == 1.0);
	assert_int_equal(o.split.ninactive, 1);
	assert_string_equal(ds_id(&o.ds, o.split.inactive_managers[0].emp), "X9");
	assert_int_equal(o.split.nno_reports, 3); /* D, E, F */
	unload_org(&o);

	static const struct { uint64_t reports; int band; } edges[] = {
		{1, 0}, {2, 1}, {3, 1}, {4, 2}, {7, 2}, {8, 3}, {12, 3}, {13, 4}, {16, 4},
		{17, 5}, {500, 5},
	};
	for (size_t i = 0; i < sizeof(edges) / sizeof(edges[0]); i++)
		assert_int_equal(span_band(edges[i].reports), edges[i].band);
}

static void test_promotions_and_transfers(void **state)
{
	(void)state;
	struct org o;
	load_org(&o, D(2024, 1, 1), D(2024, 6, 30));
	const struct mobility_result *mo = &o.mob;
	assert_int_equal(mo->nquarters, 2);
	assert_int_equal(mo->quarters[0].promotions, 1);
	assert_int_equal(mo->quarters[0].promotions_ic, 1);
	assert_int_equal(mo->quarters[0].headcount_start, 6);
	assert_int_equal(mo->quarters[0].transfers, 1);
	assert_int_equal(mo->quarters[1].promotions, 1);
	assert_int_equal(mo->quarters[1].headcount_start, 7);
	assert_int_equal(mo->quarters[1].transfers, 1);
	assert_true(period_days(&mo->quarters[1].period) == 91);

	assert_int_equal(mo->nlevels, 1);
	assert_int_equal(mo->levels[0].level, 3);
	assert_int_equal(mo->levels[0].promotions, 2);
	assert_true(mo->levels[0].avg_headcount == 0.5); /* E on 03-31, nobody on 06-30 */
	assert_true(fabs(mo->window_years - 182 / 365.25) < 1e-12);

	assert_int_equal(mo->nyears, 1);
	assert_int_equal(mo->years[0].promotions, 2);
	assert_int_equal(mo->years[0].transfers, 2);
	assert_int_equal(mo->years[0].switches, 2);
	assert_true(mo->years[0].avg_headcount == 7.0);

	assert_int_equal(mo->npairs, 2);
	assert_int_equal(mo->unlisted_pairs, 1);
	assert_int_equal(mo->unlisted_transfers, 1);
	for (size_t i = 0; i < mo->npairs; i++) {
		const char *to = ds_str(&o.ds, mo->pairs[i].to);
		assert_int_equal(mo->pairs[i].listed,
				 strcmp(to, "Production Engineer") == 0 ? LISTED_YES : LISTED_NO);
	}
	assert_int_equal(mo->nfamilies, 3);
	assert_int_equal(mo->nflows, 2);
	assert_true(mo->has_departments);
	unload_org(&o);
}

static void test_switch_back_within_and_beyond_a_year(void **state)
{
	(void)state;
	const char *roles =
		"employee_id,role,family,track,level,department,start_date,end_date\n"
		/* G: into management 2022-03-01, back 2023-03-01: 365 days, counts */
		"G,Senior,Backend Engineer,ic,3,Create,2020-01-01,2022-02-28\n"
		"G,EM,Engineering Management,management,4,Create,2022-03-01,2023-02-28\n"
		"G,Staff,Backend Engineer,ic,4,Create,2023-03-01,\n"
		/* H: into management 2022-06-01, back 2023-06-02: 366 days, does not */
		"H,Senior,Backend Engineer,ic,3,Create,2020-01-01,2022-05-31\n"
		"H,EM,Engineering Management,management,4,Create,2022-06-01,2023-06-01\n"
		"H,Staff,Backend Engineer,ic,4,Create,2023-06-02,\n"
		/* I: into management 2022-09-01, back 2022-12-01 */
		"I,Staff,Backend Engineer,ic,4,Create,2020-01-01,2022-08-31\n"
		"I,EM,Engineering Management,management,4,Create,2022-09-01,2022-11-30\n"
		"I,Staff,Backend Engineer,ic,4,Create,2022-12-01,\n"
		/* J: a gap between IC and management is no switch */
		"J,Staff,Backend Engineer,ic,4,Create,2020-01-01,2022-01-31\n"
		"J,EM,Engineering Management,management,4,Create,2022-03-01,\n";
	struct dataset ds;
	struct model m;
	dataset_init(&ds);
	model_init(&m);
	struct load_opts lo = {.date_format = WR_DATE_ISO, .as_of = D(2024, 12, 31)};
	struct wr_errmsg err = {{0}};
	assert_int_equal(load_buffer(WR_FILE_ROLES, roles, strlen(roles), &lo, &ds, &err), WR_OK);
	model_build(&m, &ds);
	struct split_params sp = {D(2022, 1, 1), D(2024, 12, 31), 1};
	struct split_result r;
	split_compute(&m, &sp, &r);
	assert_int_equal(r.nyears, 3);
	assert_int_equal(r.years[0].to_management, 3); /* G, H, I */
	assert_int_equal(r.years[0].returned, 2);      /* G, I */
	assert_int_equal(r.years[0].to_ic, 1);         /* I */
	assert_int_equal(r.years[1].to_ic, 2);         /* G, H */
	assert_int_equal(r.years[2].to_management, 0);
	split_release(&r);
	model_release(&m);
	dataset_release(&ds);
}

static void test_calendar(void **state)
{
	(void)state;
	wr_date *d;
	size_t n = quarter_ends(D(2023, 2, 15), D(2023, 12, 30), true, &d);
	assert_int_equal(n, 4); /* 03-31, 06-30, 09-30, then as-of 12-30 */
	assert_int_equal(d[0], D(2023, 3, 31));
	assert_int_equal(d[3], D(2023, 12, 30));
	free(d);
	struct period *q;
	n = quarters_in(D(2023, 2, 15), D(2023, 4, 10), &q);
	assert_int_equal(n, 2);
	assert_int_equal(q[0].first, D(2023, 2, 15));
	assert_int_equal(q[0].last, D(2023, 3, 31));
	assert_int_equal(q[1].first, D(2023, 4, 1));
	assert_int_equal(q[1].last, D(2023, 4, 10));
	char label[32];
	period_label(&q[1], label, sizeof(label));
	assert_string_equal(label, "2023 Q2 (partial)"); /* 1 to 10 April only */
	period_label(&q[0], label, sizeof(label));
	assert_string_equal(label, "2023 Q1 (partial)"); /* from 15 February */
	free(q);
}

int main(int argc, char **argv)
{
	fixture_dir = argc > 1 ? argv[1] : "tests/fixtures/org";
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_quarter_headcounts),
		cmocka_unit_test(test_departments_levels_switches),
		cmocka_unit_test(test_span),
		cmocka_unit_test(test_promotions_and_transfers),
		cmocka_unit_test(test_switch_back_within_and_beyond_a_year),
		cmocka_unit_test(test_calendar),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
