/* Statistics helpers against published results and hand computations.
 *
 * Kaplan-Meier: the 6-MP group of the Freireich et al. (1963) leukaemia
 * trial (Gehan 1965), remission times in weeks, + censored:
 *   6 6 6 6+ 7 9+ 10 10+ 11+ 13 16 17+ 19+ 20+ 22 23 25+ 32+ 32+ 34+ 35+
 * Published S(t) and Greenwood standard errors (Klein & Moeschberger,
 * Survival Analysis, table 4.1A): 6: .857 (.0764), 7: .807 (.0869),
 * 10: .753 (.0963), 13: .690 (.1068), 16: .627 (.1141), 22: .538 (.1282),
 * 23: .448 (.1346); median 23 weeks. R's survfit gives the median's 95%
 * limits 16-NA with conf.type "log" and 13-NA with "log-log".
 * Log-rank, 6-MP against placebo (times 1 1 2 2 3 4 4 5 5 8 8 8 8 11 11 12
 * 12 15 17 22 23, all relapses): O = 9, E = 19.25 for 6-MP, chi-square 16.79
 * on 1 df (Kleinbaum & Klein, Survival Analysis, ch. 2; R's survdiff). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "stats/describe.h"
#include "stats/km.h"
#include "stats/logrank.h"

#define NEAR(a, b, tol) assert_true(fabs((a) - (b)) <= (tol))

static const struct km_obs mp6[] = {
	{0, 6, 1}, {0, 6, 1}, {0, 6, 1}, {0, 6, 0}, {0, 7, 1}, {0, 9, 0}, {0, 10, 1},
	{0, 10, 0}, {0, 11, 0}, {0, 13, 1}, {0, 16, 1}, {0, 17, 0}, {0, 19, 0}, {0, 20, 0},
	{0, 22, 1}, {0, 23, 1}, {0, 25, 0}, {0, 32, 0}, {0, 32, 0}, {0, 34, 0}, {0, 35, 0},
};
#define N_MP6 (sizeof(mp6) / sizeof(mp6[0]))

static void test_km_freireich(void **state)
{
	(void)state;
	struct km_result r;
	km_fit(mp6, N_MP6, KM_CI_LOGLOG, 0.95, &r);
	static const struct { double t, s, se; unsigned n; } pub[] = {
		{6, .857, .0764, 21}, {7, .807, .0869, 17}, {10, .753, .0963, 15},
		{13, .690, .1068, 12}, {16, .627, .1141, 11}, {22, .538, .1282, 7},
		{23, .448, .1346, 6},
	};
	assert_int_equal(r.nsteps, 7);
	for (size_t i = 0; i < 7; i++) {
		const struct km_step *st = &r.steps[i];
		NEAR(st->t, pub[i].t, 0);
		assert_int_equal(st->at_risk, pub[i].n);
		NEAR(st->s, pub[i].s, 0.0006);
		NEAR(st->s * sqrt(st->greenwood), pub[i].se, 0.0006);
	}
	assert_int_equal(r.used, 21);
	assert_int_equal(r.events, 9);
	assert_int_equal(r.censored, 12);
	NEAR(r.median, 23, 0);
	NEAR(r.median_lower, 13, 0);
	assert_true(isnan(r.median_upper));
	NEAR(km_survival_at(&r, 5.99), 1.0, 0);
	NEAR(km_survival_at(&r, 12), 0.753, 0.0006);
	km_result_release(&r);

	km_fit(mp6, N_MP6, KM_CI_LOG, 0.95, &r);
	NEAR(r.median_lower, 16, 0);
	assert_true(isnan(r.median_upper));
	km_result_release(&r);
}

static void test_km_delayed_entry(void **state)
{
	(void)state;
	/* by hand: at risk when entry < t <= exit
	 *   t=5:  obs 1,2,3,4 (obs 5 enters after 7)  n=4 d=1  S=3/4
	 *   t=6:  obs 2,3,4                           n=3 d=1  S=1/2
	 *   t=10: obs 4,5 (obs 2 censored at 8)       n=2 d=1  S=1/4
	 *   t=12: obs 5                               n=1 d=1  S=0
	 * the last two take no part (exit <= entry) */
	static const struct km_obs obs[] = {
		{0, 5, 1}, {2, 8, 0}, {3, 6, 1}, {0, 10, 1}, {7, 12, 1}, {5, 5, 0}, {6, 4, 1},
	};
	struct km_result r;
	km_fit(obs, 7, KM_CI_LOGLOG, 0.95, &r);
	assert_int_equal(r.used, 5);
	assert_int_equal(r.events, 4);
	assert_int_equal(r.censored, 1);
	assert_int_equal(r.nsteps, 4);
	static const double s[] = {0.75, 0.5, 0.25, 0.0};
	static const unsigned n[] = {4, 3, 2, 1};
	for (size_t i = 0; i < 4; i++) {
		assert_int_equal(r.steps[i].at_risk, n[i]);
		NEAR(r.steps[i].s, s[i], 1e-12);
	}
	/* Greenwood: 1/(4*3) + 1/(3*2) = 0.25 at t = 6 */
	NEAR(r.steps[1].greenwood, 0.25, 1e-12);
	NEAR(r.median, 6, 0);
	/* log-log band undefined where S = 0 */
	assert_true(isnan(r.steps[3].lower));
	km_result_release(&r);
}

static void test_km_ties_and_empty(void **state)
{
	(void)state;
	/* a censoring at an event time is still at risk then: n=3 at t=3 */
	static const struct km_obs obs[] = {{0, 3, 1}, {0, 3, 0}, {0, 5, 1}};
	struct km_result r;
	km_fit(obs, 3, KM_CI_PLAIN, 0.95, &r);
	assert_int_equal(r.steps[0].at_risk, 3);
	NEAR(r.steps[0].s, 2.0 / 3, 1e-12);
	assert_int_equal(r.steps[1].at_risk, 1);
	NEAR(r.steps[1].s, 0, 0);
	assert_true(isnan(r.steps[1].lower)); /* no band once S = 0, as in R */
	km_result_release(&r);

	km_fit(NULL, 0, KM_CI_LOGLOG, 0.95, &r);
	assert_int_equal(r.used, 0);
	assert_int_equal(r.nsteps, 0);
	assert_true(isnan(r.median));
	NEAR(km_survival_at(&r, 100), 1.0, 0);
	km_result_release(&r);
}

static void test_logrank_freireich(void **state)
{
	(void)state;
	static const double placebo[] = {1, 1, 2, 2, 3, 4, 4, 5, 5, 8, 8,
					 8, 8, 11, 11, 12, 12, 15, 17, 22, 23};
	struct km_obs obs[42];
	size_t group[42];
	for (size_t i = 0; i < 21; i++) {
		obs[i] = mp6[i];
		group[i] = 0;
		obs[21 + i] = (struct km_obs){0, placebo[i], 1};
		group[21 + i] = 1;
	}
	struct logrank_result r;
	double o[2], e[2];
	logrank_test(obs, group, 42, 2, &r, o, e);
	NEAR(o[0], 9, 0);
	NEAR(o[1], 21, 0);
	NEAR(e[0], 19.25, 0.005);
	NEAR(e[1], 10.75, 0.005);
	assert_int_equal(r.df, 1);
	NEAR(r.chisq, 16.79, 0.01);
	assert_true(r.p < 1e-4 && r.p > 3e-5); /* 4.2e-5 */

	/* a third group never at risk at an event time is left out, as in
	 * R's survdiff: the same test on 1 df */
	struct km_obs obs3[43];
	size_t group3[43];
	memcpy(obs3, obs, sizeof(obs));
	memcpy(group3, group, sizeof(group));
	obs3[42] = (struct km_obs){0, 0.5, 0};
	group3[42] = 2;
	logrank_test(obs3, group3, 43, 3, &r, NULL, NULL);
	assert_int_equal(r.groups, 2);
	assert_int_equal(r.df, 1);
	NEAR(r.chisq, 16.79, 0.01);

	/* one group only: no test */
	logrank_test(obs, group, 21, 2, &r, NULL, NULL);
	assert_int_equal(r.groups, 1);
	assert_true(isnan(r.chisq));
}

static void test_describe(void **state)
{
	(void)state;
	double x[] = {10, 2, 4, 1, 3};
	struct describe d;
	describe_sorted_copy(x, 5, &d);
	NEAR(d.mean, 4, 1e-12);
	NEAR(d.sd, sqrt(12.5), 1e-12); /* squares 9+4+1+0+36 = 50, / (5-1) */
	NEAR(d.median, 3, 0);
	NEAR(d.p25, 2, 1e-12);         /* type 7: 1 + 0.25 * 4 = position 2 */
	NEAR(d.p75, 4, 1e-12);
	NEAR(d.min, 1, 0);
	NEAR(d.max, 10, 0);
	double one[] = {7};
	describe_sorted_copy(one, 1, &d);
	NEAR(d.median, 7, 0);
	assert_true(isnan(d.sd));
	describe_sorted_copy(NULL, 0, &d);
	assert_true(isnan(d.mean) && isnan(d.median) && isnan(d.sd));
	double four[] = {1, 2, 3, 4};
	describe_sorted_copy(four, 4, &d);
	NEAR(d.median, 2.5, 1e-12);
	NEAR(d.p25, 1.75, 1e-12);
}

/* km_fit_days from risk sets counted here by brute force gives km_fit's
 * estimate, steps and median limits. */
static void test_km_fit_days(void **state)
{
	(void)state;
	enum { N = 400, T = 150 };
	static struct km_obs obs[N];
	static uint32_t at_risk[T], events[T];
	uint32_t r = 7;
	for (size_t i = 0; i < N; i++) {
		r = r * 1664525u + 1013904223u;
		double entry = (r >> 8) % 40;
		r = r * 1664525u + 1013904223u;
		double len = 1 + (r >> 8) % 100;
		r = r * 1664525u + 1013904223u;
		obs[i] = (struct km_obs){entry, entry + len, (r >> 8) % 3 == 0};
	}
	memset(at_risk, 0, sizeof(at_risk));
	memset(events, 0, sizeof(events));
	for (size_t t = 0; t < T; t++)
		for (size_t i = 0; i < N; i++) {
			at_risk[t] += obs[i].entry < t && t <= obs[i].exit;
			events[t] += obs[i].event && obs[i].exit == t;
		}
	struct km_result a, b;
	km_fit(obs, N, KM_CI_LOGLOG, 0.95, &a);
	km_fit_days(at_risk, events, T, KM_CI_LOGLOG, 0.95, &b);
	assert_int_equal(a.nsteps, b.nsteps);
	assert_int_equal(a.events, b.events);
	for (size_t i = 0; i < a.nsteps; i++) {
		assert_true(a.steps[i].t == b.steps[i].t);
		assert_int_equal(a.steps[i].at_risk, b.steps[i].at_risk);
		assert_true(a.steps[i].s == b.steps[i].s);
	}
	assert_false(isnan(a.median));
	assert_true(a.median == b.median);
	assert_true(a.median_lower == b.median_lower);
	assert_true(a.median_upper == b.median_upper || (isnan(a.median_upper) && isnan(b.median_upper)));
	km_result_release(&a);
	km_result_release(&b);
}

/* km_fit_counts from counts per day made here gives the Freireich 6-MP
 * estimate (times are whole weeks), and agrees bit for bit with the
 * sorting route on seeded data with delayed entry and ties. */
static void counts_of(const struct km_obs *obs, size_t n, size_t ndays, uint32_t *enter,
		      uint32_t *gone, uint32_t *events)
{
	memset(enter, 0, ndays * sizeof(*enter));
	memset(gone, 0, ndays * sizeof(*gone));
	memset(events, 0, ndays * sizeof(*events));
	for (size_t t = 0; t < ndays; t++)
		for (size_t i = 0; i < n; i++) {
			if (!(obs[i].exit > obs[i].entry))
				continue;
			enter[t] += obs[i].entry == (double)t;
			gone[t] += obs[i].exit == (double)t;
			events[t] += obs[i].event && obs[i].exit == (double)t;
		}
}

static void test_km_fit_counts(void **state)
{
	(void)state;
	enum { N = 400, T = 150 };
	static uint32_t enter[T], gone[T], events[T];
	struct km_result r;
	counts_of(mp6, N_MP6, 40, enter, gone, events);
	km_fit_counts(enter, gone, events, 40, KM_CI_LOGLOG, 0.95, &r);
	assert_int_equal(r.used, 21);
	assert_int_equal(r.events, 9);
	assert_int_equal(r.censored, 12);
	assert_int_equal(r.nsteps, 7);
	NEAR(r.steps[0].s, 0.857, 5e-4);
	NEAR(r.steps[6].s, 0.448, 5e-4);
	NEAR(r.median, 23, 0);
	NEAR(r.median_lower, 13, 0);
	assert_true(isnan(r.median_upper));
	km_result_release(&r);

	static struct km_obs obs[N];
	uint32_t x = 11;
	for (size_t i = 0; i < N; i++) {
		x = x * 1664525u + 1013904223u;
		double entry = (x >> 8) % 3 ? 0 : (x >> 12) % 40;
		x = x * 1664525u + 1013904223u;
		double len = (x >> 8) % 100; /* 0: takes no part */
		x = x * 1664525u + 1013904223u;
		obs[i] = (struct km_obs){entry, entry + len, (x >> 8) % 3 == 0};
	}
	counts_of(obs, N, T, enter, gone, events);
	enum km_ci cis[] = {KM_CI_LOGLOG, KM_CI_LOG, KM_CI_PLAIN};
	for (size_t c = 0; c < 3; c++) {
		struct km_result a, b;
		km_fit_counts(enter, gone, events, T, cis[c], 0.95, &a);
		km_fit_sorted(obs, N, cis[c], 0.95, &b);
		assert_int_equal(a.used, b.used);
		assert_int_equal(a.events, b.events);
		assert_int_equal(a.censored, b.censored);
		assert_int_equal(a.nsteps, b.nsteps);
		for (size_t i = 0; i < a.nsteps; i++) {
			assert_true(a.steps[i].t == b.steps[i].t);
			assert_int_equal(a.steps[i].at_risk, b.steps[i].at_risk);
			assert_true(a.steps[i].s == b.steps[i].s);
			assert_true(a.steps[i].greenwood == b.steps[i].greenwood);
			assert_true(a.steps[i].lower == b.steps[i].lower ||
				    (isnan(a.steps[i].lower) && isnan(b.steps[i].lower)));
			assert_true(a.steps[i].upper == b.steps[i].upper ||
				    (isnan(a.steps[i].upper) && isnan(b.steps[i].upper)));
		}
		assert_true(a.median == b.median || (isnan(a.median) && isnan(b.median)));
		km_result_release(&a);
		km_result_release(&b);
	}
}

/* logrank_test_days from per-group counts per day made here: the Freireich
 * test (whole weeks), and the same doubles as logrank_test on seeded data
 * with delayed entry, ties and a group never at risk at an event. */
static void days_of(const struct km_obs *obs, const size_t *group, size_t n, size_t k,
		    size_t ndays, uint32_t *cnt, const uint32_t **enter, const uint32_t **gone,
		    const uint32_t **events)
{
	memset(cnt, 0, 3 * k * ndays * sizeof(*cnt));
	for (size_t g = 0; g < k; g++) {
		enter[g] = cnt + g * ndays;
		gone[g] = cnt + (k + g) * ndays;
		events[g] = cnt + (2 * k + g) * ndays;
	}
	for (size_t i = 0; i < n; i++) {
		if (!(obs[i].exit > obs[i].entry))
			continue;
		size_t g = group[i];
		cnt[g * ndays + (size_t)obs[i].entry]++;
		cnt[(k + g) * ndays + (size_t)obs[i].exit]++;
		cnt[(2 * k + g) * ndays + (size_t)obs[i].exit] += obs[i].event;
	}
}

static void test_logrank_days(void **state)
{
	(void)state;
	enum { K = 4, N = 600, T = 200 };
	static uint32_t cnt[3 * K * T];
	const uint32_t *enter[K], *gone[K], *events[K];
	static const double placebo[] = {1, 1, 2, 2, 3, 4, 4, 5, 5, 8, 8,
					 8, 8, 11, 11, 12, 12, 15, 17, 22, 23};
	static struct km_obs obs[N];
	static size_t group[N];
	for (size_t i = 0; i < 21; i++) {
		obs[i] = mp6[i];
		group[i] = 0;
		obs[21 + i] = (struct km_obs){0, placebo[i], 1};
		group[21 + i] = 1;
	}
	struct logrank_result r;
	double o[2], e[2];
	days_of(obs, group, 42, 2, 40, cnt, enter, gone, events);
	logrank_test_days(enter, gone, events, 2, 40, &r, o, e);
	NEAR(o[0], 9, 0);
	NEAR(o[1], 21, 0);
	NEAR(e[0], 19.25, 0.005);
	assert_int_equal(r.groups, 2);
	assert_int_equal(r.df, 1);
	NEAR(r.chisq, 16.79, 0.01);

	uint32_t x = 5;
	for (size_t i = 0; i < N; i++) {
		x = x * 1664525u + 1013904223u;
		double entry = (x >> 8) % 2 ? 0 : (x >> 12) % 50;
		x = x * 1664525u + 1013904223u;
		double len = (x >> 8) % 120; /* 0: takes no part */
		x = x * 1664525u + 1013904223u;
		group[i] = (x >> 8) % (K - 1); /* group K - 1: never at risk */
		obs[i] = (struct km_obs){entry, entry + len, (x >> 12) % 3 == 0};
	}
	days_of(obs, group, N, K, T, cnt, enter, gone, events);
	struct logrank_result a, b;
	double oa[K], ea[K], ob[K], eb[K];
	logrank_test_days(enter, gone, events, K, T, &a, oa, ea);
	logrank_test(obs, group, N, K, &b, ob, eb);
	assert_int_equal(a.groups, K - 1);
	assert_int_equal(a.groups, b.groups);
	assert_int_equal(a.df, b.df);
	assert_true(a.chisq == b.chisq);
	assert_true(a.p == b.p);
	for (size_t g = 0; g < K; g++) {
		assert_true(oa[g] == ob[g]);
		assert_true(ea[g] == eb[g]);
	}
	/* every time moved by half a day: the same risk sets, and
	 * logrank_test sorts instead of counting */
	for (size_t i = 0; i < N; i++) {
		obs[i].entry += 0.5;
		obs[i].exit += 0.5;
	}
	logrank_test(obs, group, N, K, &b, ob, eb);
	assert_true(a.chisq == b.chisq);
	for (size_t g = 0; g < K; g++) {
		assert_true(oa[g] == ob[g]);
		assert_true(ea[g] == eb[g]);
	}
}

/* describe_sorted over data already in order: the figures worked out in
 * test_describe. */
static void test_describe_sorted(void **state)
{
	(void)state;
	static const double x[] = {1, 2, 3, 4, 10};
	struct describe d;
	describe_sorted(x, 5, &d);
	assert_int_equal(d.n, 5);
	NEAR(d.mean, 4, 1e-12);
	NEAR(d.sd, sqrt(12.5), 1e-12);
	NEAR(d.median, 3, 0);
	NEAR(d.p25, 2, 1e-12);
	NEAR(d.p75, 4, 1e-12);
	NEAR(d.min, 1, 0);
	NEAR(d.max, 10, 0);
	describe_sorted(NULL, 0, &d);
	assert_true(isnan(d.mean) && isnan(d.min));
}

/* describe_sorted_many against describe_sorted, one sample at a time: the
 * same doubles, for samples of many lengths (0, 1, 2, ...), whole days with
 * ties and fractional values, negative and large ones, in batches of
 * every size around the number of samples it runs side by side. */
static int cmp_dbl(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static void same_describe(const struct describe *a, const struct describe *b)
{
	assert_int_equal(a->n, b->n);
	const double fa[] = {a->mean, a->sd, a->median, a->p25, a->p75, a->min, a->max};
	const double fb[] = {b->mean, b->sd, b->median, b->p25, b->p75, b->min, b->max};
	for (size_t i = 0; i < sizeof(fa) / sizeof(fa[0]); i++)
		assert_true(memcmp(&fa[i], &fb[i], sizeof(double)) == 0 ||
			    (isnan(fa[i]) && isnan(fb[i])));
}

static void test_describe_sorted_many(void **state)
{
	(void)state;
	enum { K = 11 };
	static const size_t len[K] = {0, 1, 2, 3, 17, 1000, 40000, 5, 0, 2500, 99999};
	static double *x[K];
	uint64_t r = 0x9e3779b97f4a7c15u;
	for (size_t s = 0; s < K; s++) {
		x[s] = test_malloc((len[s] ? len[s] : 1) * sizeof(double));
		for (size_t i = 0; i < len[s]; i++) {
			r ^= r << 13;
			r ^= r >> 7;
			r ^= r << 17;
			switch (s % 3) {
			case 0: /* days, many ties */
				x[s][i] = (double)(r % 1500);
				break;
			case 1: /* fractions, some negative */
				x[s][i] = (double)(r % 100000) / 7.0 - 3000.0;
				break;
			default: /* large and spread */
				x[s][i] = (double)(r >> 11) * 1e-3;
				break;
			}
		}
		qsort(x[s], len[s], sizeof(double), cmp_dbl);
	}
	struct describe want[K], got[K];
	for (size_t s = 0; s < K; s++)
		describe_sorted(x[s], len[s], &want[s]);
	/* every batch x[from .. from + k) */
	for (size_t k = 1; k <= K; k++)
		for (size_t from = 0; from + k <= K; from += k > 6 ? 1 : k) {
			describe_sorted_many((const double *const *)x + from, len + from, k, got);
			for (size_t s = 0; s < k; s++)
				same_describe(&got[s], &want[from + s]);
		}
	describe_sorted_many(NULL, NULL, 0, got);
	for (size_t s = 0; s < K; s++)
		test_free(x[s]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_km_freireich),
		cmocka_unit_test(test_km_delayed_entry),
		cmocka_unit_test(test_km_ties_and_empty),
		cmocka_unit_test(test_logrank_freireich),
		cmocka_unit_test(test_describe),
		cmocka_unit_test(test_describe_sorted),
		cmocka_unit_test(test_describe_sorted_many),
		cmocka_unit_test(test_km_fit_counts),
		cmocka_unit_test(test_logrank_days),
		cmocka_unit_test(test_km_fit_days),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
