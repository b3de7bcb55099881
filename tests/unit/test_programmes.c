/* Secondment and intern outcomes: status and policy boundaries, the Wilson
 * interval against published values, and the hand-worked fixture in
 * tests/fixtures/programmes (its README has the sums).
 *
 * Wilson 95% intervals (Newcombe, Statistics in Medicine 17, 1998, table I
 * and the method's closed form): 0/10: 0 to 0.2775; 5/10: 0.2366 to 0.7634;
 * 10/10: 0.7225 to 1; 3/5: 0.2307 to 0.8824. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <string.h>
#include <cmocka.h>

#include "ingest/load.h"
#include "metrics/programmes.h"
#include "stats/wilson.h"

#define NEAR(a, b, tol) assert_true(fabs((a) - (b)) <= (tol))

static wr_date D(int y, int m, int d)
{
	return date_from_ymd(y, m, d);
}

static void test_status_boundaries(void **state)
{
	(void)state;
	wr_date as_of = D(2024, 12, 31), planned = D(2024, 6, 30);
	struct { wr_date start, end; enum secondment_status want; } cases[] = {
		{D(2024, 1, 1), planned, SEC_COMPLETED},
		{D(2024, 1, 1), planned - 14, SEC_COMPLETED},  /* exactly 14 days early */
		{D(2024, 1, 1), planned - 15, SEC_ENDED_EARLY},
		{D(2024, 1, 1), planned + 14, SEC_COMPLETED},  /* exactly 14 days late */
		{D(2024, 1, 1), planned + 15, SEC_EXTENDED},
		{D(2024, 1, 1), WR_DATE_NONE, SEC_ACTIVE},
		{D(2024, 1, 1), as_of, SEC_EXTENDED},          /* ended on the as-of day */
		{D(2024, 1, 1), as_of + 1, SEC_ACTIVE},        /* ends after as-of */
		{as_of, WR_DATE_NONE, SEC_ACTIVE},             /* starts on the as-of day */
		{as_of + 1, WR_DATE_NONE, SEC_UPCOMING},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct secondment_row s = {.start = cases[i].start, .planned_end = planned,
					   .end = cases[i].end};
		if (secondment_status(&s, as_of) != cases[i].want)
			fail_msg("case %zu: status %d, expected %d", i,
				 secondment_status(&s, as_of), cases[i].want);
	}
}

static void test_policy_boundaries(void **state)
{
	(void)state;
	struct { wr_date start, planned; enum policy_fit want; } cases[] = {
		/* the example: start 2024-01-15, 2024-04-14 .. 2025-01-14 */
		{D(2024, 1, 15), D(2024, 4, 14), POLICY_WITHIN},
		{D(2024, 1, 15), D(2024, 4, 13), POLICY_SHORT},
		{D(2024, 1, 15), D(2025, 1, 14), POLICY_WITHIN},
		{D(2024, 1, 15), D(2025, 1, 15), POLICY_LONG},
		/* month ends: 2024-01-31 + 3 months is 2024-04-30 (no 31st) */
		{D(2024, 1, 31), D(2024, 4, 29), POLICY_WITHIN},
		{D(2024, 1, 31), D(2024, 4, 28), POLICY_SHORT},
		/* leap years: 2023-11-30 + 3 months = 2024-02-29 */
		{D(2023, 11, 30), D(2024, 2, 28), POLICY_WITHIN},
		{D(2023, 11, 30), D(2024, 2, 27), POLICY_SHORT},
		/* 2024-02-29 + 12 months = 2025-02-28 */
		{D(2024, 2, 29), D(2025, 2, 27), POLICY_WITHIN},
		{D(2024, 2, 29), D(2025, 2, 28), POLICY_LONG},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (secondment_policy(cases[i].start, cases[i].planned) != cases[i].want)
			fail_msg("case %zu", i);
}

static void test_wilson(void **state)
{
	(void)state;
	static const struct { uint64_t k, n; double lo, hi; } pub[] = {
		{0, 10, 0.0, 0.2775}, {5, 10, 0.2366, 0.7634}, {10, 10, 0.7225, 1.0},
		{3, 5, 0.2307, 0.8824},
	};
	for (size_t i = 0; i < sizeof(pub) / sizeof(pub[0]); i++) {
		struct proportion p;
		wilson(pub[i].k, pub[i].n, 0.95, &p);
		NEAR(p.lo, pub[i].lo, 0.00005);
		NEAR(p.hi, pub[i].hi, 0.00005);
	}
	struct proportion p;
	wilson(0, 0, 0.95, &p);
	assert_true(isnan(p.p) && isnan(p.lo) && isnan(p.hi));
}

struct fixture {
	struct dataset ds;
	struct model m;
};

static void load(struct fixture *f, const char *dir)
{
	dataset_init(&f->ds);
	model_init(&f->m);
	struct load_opts lo = {.input_dir = dir, .date_format = WR_DATE_ISO,
			       .as_of = D(2024, 12, 31)};
	struct wr_errmsg err = {{0}};
	if (load_dataset(&lo, &f->ds, &err))
		fail_msg("%s", err.text);
	model_build(&f->m, &f->ds);
}

static void test_fixture(void **state)
{
	(void)state;
	struct fixture f;
	load(&f, "tests/fixtures/programmes");
	struct programme_params p = {D(2024, 1, 1), D(2024, 12, 31), 1, KM_CI_LOGLOG, WR_DATE_NONE};

	struct secondment_result s;
	secondments_compute(&f.m, &p, &s);
	assert_int_equal(s.all.secondments, 6);
	assert_int_equal(s.all.completed, 2);
	assert_int_equal(s.all.extended, 1);
	assert_int_equal(s.all.ended_early, 2);
	assert_int_equal(s.all.active, 1);
	NEAR(s.all.median_duration, 169 / 30.4375, 1e-9);
	assert_int_equal(s.policy[POLICY_WITHIN], 5);
	assert_int_equal(s.policy[POLICY_LONG], 1);
	assert_int_equal(s.nyears, 2);
	assert_int_equal(s.years[0].key, 2023);
	assert_int_equal(s.nemployers, 2);
	assert_string_equal(ds_str(&f.ds, s.employers[0].key), "Acme");
	assert_int_equal(s.employers[0].merged_mrs, 18);
	assert_int_equal(s.employers[1].merged_mrs, 16);
	assert_int_equal(s.nteams, 2);
	assert_int_equal(s.teams[0].merged_mrs, 22);
	secondments_release(&s);

	/* with a threshold of 5, both employers fold into "Other employers" */
	p.min_group = 5;
	secondments_compute(&f.m, &p, &s);
	assert_int_equal(s.nemployers, 1);
	assert_int_equal(s.employers[0].key, STRTAB_NONE);
	assert_int_equal(s.employers[0].people, 6);
	secondments_release(&s);
	p.min_group = 1;

	struct intern_result in;
	interns_compute(&f.m, &p, &in);
	assert_int_equal(in.all.interns, 6);
	assert_int_equal(in.all.active, 1);
	assert_int_equal(in.all.ended, 5);
	assert_int_equal(in.all.hired, 3);
	assert_int_equal(in.all.declined, 1);
	assert_int_equal(in.all.no_offer, 1);
	assert_int_equal(in.ncohorts, 2);
	assert_string_equal(ds_str(&f.ds, in.cohorts[0].team), "backend");
	assert_int_equal(in.cohorts[0].hired, 1);
	assert_int_equal(in.cohorts[0].ended, 3);
	assert_int_equal(in.cohorts[1].ended, 2);
	assert_int_equal(in.nroutes, 2); /* every row has a route */
	assert_int_equal(in.routes[0].key, ROUTE_APPLICATION);
	assert_int_equal(in.routes[0].ended, 2);
	assert_int_equal(in.routes[1].hired, 2);
	const struct intern_careers *c = &in.careers;
	assert_int_equal(c->hired, 3);
	assert_int_equal(c->found, 2);
	assert_int_equal(c->employed, 1);
	assert_int_equal(c->retained_base, 0);
	assert_int_equal(c->promoted, 1);
	NEAR(c->km.median, 184, 0);
	interns_release(&in);

	/* E404 is a hired intern's id missing from roles.csv: a warning */
	int warned = 0;
	for (size_t i = 0; i < f.ds.dq.count; i++)
		warned += strstr(f.ds.dq.items[i].problem, "not found in roles.csv") != NULL &&
			  f.ds.dq.items[i].file == WR_FILE_INTERNS;
	assert_int_equal(warned, 1);
	model_release(&f.m);
	dataset_release(&f.ds);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_status_boundaries),
		cmocka_unit_test(test_policy_boundaries),
		cmocka_unit_test(test_wilson),
		cmocka_unit_test(test_fixture),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
