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

/* Groups ordered by name where the names come in another order than the
 * string ids (first seen first), secondees and interns counted once, and
 * medians of ended durations by both of sort_days' routes: the window's
 * durations span more days than 4 n + 1024 (sorted by comparison), a
 * team's few (counted). Every figure worked out by hand beside it. */
static void test_group_order(void **state)
{
	(void)state;
	static const char secondments[] =
		"secondee_id,employer,team,start_date,planned_end_date,end_date,merged_mrs\n"
		/* 2020-01-01 .. 2024-02-08: 1461 + 38 + 1 = 1500 days, extended */
		"S1,Yonder,Zeta,2020-01-01,2020-06-30,2024-02-08,\n"
		"S2,Acme,Alpha,2024-01-01,2024-01-20,2024-01-20,\n"   /* 20 days */
		"S1,Acme,Mid,2024-03-01,2024-03-30,2024-03-30,\n"     /* 30 days */
		"S3,Yonder,Alpha,2024-05-01,2024-05-10,2024-05-10,\n" /* 10 days */
		"S4,Acme,Zeta,2024-06-01,2024-12-31,,\n"              /* active */
		"S5,Yonder,Mid,2023-02-01,2023-03-02,2023-03-02,\n";  /* 28 + 2 = 30 days */
	static const char interns[] =
		"intern_id,team,start_date,end_date,outcome\n"
		"I1,zeta,2023-01-01,2023-06-30,hired\n"
		"I2,alpha,2024-01-01,2024-06-30,hired\n"
		"I3,alpha,2023-03-01,2023-06-30,no_offer\n"
		"I4,mid,2023-02-01,2023-06-30,hired\n"
		"I5,zeta,2024-02-01,2024-06-30,offer_declined\n"
		"I3,alpha,2023-05-01,2023-09-30,hired\n";
	struct dataset ds;
	struct model m;
	dataset_init(&ds);
	model_init(&m);
	struct load_opts o = {.date_format = WR_DATE_ISO, .as_of = D(2024, 12, 31)};
	struct wr_errmsg err = {{0}};
	assert_int_equal(load_buffer(WR_FILE_SECONDMENTS, secondments, strlen(secondments), &o,
				     &ds, &err),
			 WR_OK);
	assert_int_equal(load_buffer(WR_FILE_INTERNS, interns, strlen(interns), &o, &ds, &err),
			 WR_OK);
	model_build(&m, &ds);
	struct programme_params p = {D(2020, 1, 1), D(2024, 12, 31), 1, KM_CI_LOGLOG, WR_DATE_NONE};

	struct secondment_result s;
	secondments_compute(&m, &p, &s);
	assert_int_equal(s.all.secondments, 6);
	assert_int_equal(s.all.people, 5);       /* S1 twice */
	assert_int_equal(s.all.ended_people, 4); /* S1, S2, S3, S5; S4 active */
	/* ended: 10, 20, 30, 30, 1500 days */
	NEAR(s.all.median_duration, 30 / 30.4375, 1e-12);
	assert_int_equal(s.nteams, 3);
	assert_string_equal(ds_str(&ds, s.teams[0].key), "Alpha");
	assert_string_equal(ds_str(&ds, s.teams[1].key), "Mid");
	assert_string_equal(ds_str(&ds, s.teams[2].key), "Zeta");
	NEAR(s.teams[0].median_duration, 15 / 30.4375, 1e-12); /* 10 and 20 days */
	NEAR(s.teams[1].median_duration, 30 / 30.4375, 1e-12);
	NEAR(s.teams[2].median_duration, 1500 / 30.4375, 1e-12);
	assert_int_equal(s.teams[1].people, 2);       /* S1, S5 */
	assert_int_equal(s.teams[2].ended_people, 1); /* S1; S4 active */
	assert_int_equal(s.nyears, 3);
	assert_int_equal(s.years[0].key, 2020);
	assert_int_equal(s.years[1].key, 2023);
	assert_int_equal(s.years[2].key, 2024);
	assert_int_equal(s.years[2].secondments, 4);
	assert_int_equal(s.years[2].people, 4); /* S2, S1, S3, S4 */
	/* no merged MRs: employers by name */
	assert_int_equal(s.nemployers, 2);
	assert_string_equal(ds_str(&ds, s.employers[0].key), "Acme");
	assert_int_equal(s.employers[0].secondments, 3);
	assert_string_equal(ds_str(&ds, s.employers[1].key), "Yonder");
	assert_int_equal(s.employers[1].people, 3);
	secondments_release(&s);

	struct intern_result in;
	interns_compute(&m, &p, &in);
	assert_int_equal(in.all.interns, 6);
	assert_int_equal(in.all.people, 5); /* I3 twice */
	/* by start year, then team name */
	static const struct { int year; const char *team; uint64_t interns, people, hired; } want[] = {
		{2023, "alpha", 2, 1, 1}, {2023, "mid", 1, 1, 1}, {2023, "zeta", 1, 1, 1},
		{2024, "alpha", 1, 1, 1}, {2024, "zeta", 1, 1, 0},
	};
	assert_int_equal(in.ncohorts, 5);
	for (size_t i = 0; i < 5; i++) {
		assert_int_equal(in.cohorts[i].key, want[i].year);
		assert_string_equal(ds_str(&ds, in.cohorts[i].team), want[i].team);
		assert_int_equal(in.cohorts[i].interns, want[i].interns);
		assert_int_equal(in.cohorts[i].people, want[i].people);
		assert_int_equal(in.cohorts[i].hired, want[i].hired);
	}
	interns_release(&in);
	model_release(&m);
	dataset_release(&ds);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_status_boundaries),
		cmocka_unit_test(test_policy_boundaries),
		cmocka_unit_test(test_wilson),
		cmocka_unit_test(test_fixture),
		cmocka_unit_test(test_group_order),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
