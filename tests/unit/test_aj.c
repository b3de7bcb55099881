/* The Aalen-Johansen estimator (stats/aj.h) against a hand computation with
 * two competing outcomes and delayed entry, and against Kaplan-Meier
 * (stats/km.h) where they must agree; each on both routes (aj_fit, which
 * counts whole days per day, and aj_fit_sorted), and the two routes against
 * each other on seeded pseudo-random data; aj_fit_days, from counts per day
 * made here, on the hand data and against aj_fit_sorted. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <string.h>
#include <cmocka.h>

#include "stats/aj.h"
#include "stats/km.h"

#define NEAR(a, b, tol) assert_true(fabs((a) - (b)) <= (tol))

/* The route a test runs on, passed as its state. */
typedef void (*fit_fn)(const struct aj_obs *, size_t, int, struct aj_result *);
struct route {
	fit_fn fit;
};
static struct route counted = {aj_fit}, sorted = {aj_fit_sorted};
#define FIT(state) (((const struct route *)*(state))->fit)

/* entry, exit, outcome (0 censored). At risk at t: entry < t <= exit;
 * outcomes before censorings at equal times.
 *   t=2: at risk 1 2 3 4 (7 enters at 2: not yet)  n=4, d1=1
 *        F1 = 1 * 1/4 = 16/64, S = 3/4 = 48/64
 *   t=3: at risk 2 3 4 7 (5 enters at 3: not yet; 3 is censored at 3 but
 *        still at risk)  n=4, d2=1
 *        F2 = 3/4 * 1/4 = 12/64, S = 3/4 * 3/4 = 36/64
 *   t=5: at risk 4 5 6 7  n=4, d1=1 (obs 4), d2=1 (obs 5)
 *        F1 += 36/64 * 1/4 -> 25/64, F2 += 9/64 -> 21/64,
 *        S = 36/64 * 2/4 = 18/64
 *   t=6: 7 censored, no outcome: no step
 *   t=7: at risk 6 8  n=2, d1=1: F1 += 18/64 * 1/2 -> 34/64, S = 9/64
 *   t=8: at risk 8  n=1, d2=1: F2 += 9/64 -> 30/64, S = 0
 * S + F1 + F2 = 64/64 throughout. R agrees: survfit(Surv(entry, exit,
 * factor(state, 0:2)) ~ 1, id = row) gives pstate * 64 = (48 16 0),
 * (36 16 12), (18 25 21), (9 34 21), (0 34 30). The last two rows take no
 * part (exit <= entry). */
static const struct aj_obs obs[] = {
	{0, 2, 1}, {0, 3, 2}, {1, 3, 0}, {0, 5, 1}, {3, 5, 2}, {4, 7, 1}, {2, 6, 0}, {6, 8, 2},
	{5, 5, 1}, {6, 4, 2},
};
#define N_OBS (sizeof(obs) / sizeof(obs[0]))

static void test_aj_hand(void **state)
{
	fit_fn fit = FIT(state);
	struct aj_result r;
	fit(obs, N_OBS, 2, &r);
	assert_int_equal(r.k, 2);
	assert_int_equal(r.used, 8);
	assert_int_equal(r.events[0], 2);
	assert_int_equal(r.events[1], 3);
	assert_int_equal(r.events[2], 3);
	static const double t[] = {2, 3, 5, 7, 8};
	static const double s[] = {48, 36, 18, 9, 0}, f1[] = {16, 16, 25, 34, 34},
			    f2[] = {0, 12, 21, 21, 30};
	assert_int_equal(r.ntimes, 5);
	for (size_t j = 0; j < 5; j++) {
		NEAR(r.times[j], t[j], 0);
		NEAR(r.surv[j], s[j] / 64, 1e-15);
		NEAR(r.cif[j * 2], f1[j] / 64, 1e-15);
		NEAR(r.cif[j * 2 + 1], f2[j] / 64, 1e-15);
		NEAR(r.surv[j] + r.cif[j * 2] + r.cif[j * 2 + 1], 1, 1e-15);
	}
	/* between and outside the steps */
	static const double q[] = {-1, 0, 1.99, 2, 2.5, 3, 4.9, 5, 6, 7.5, 8, 100};
	for (size_t i = 0; i < sizeof(q) / sizeof(q[0]); i++) {
		double sum = aj_surv_at(&r, q[i]) + aj_cif_at(&r, 1, q[i]) + aj_cif_at(&r, 2, q[i]);
		NEAR(sum, 1, 1e-15);
	}
	NEAR(aj_surv_at(&r, 1.99), 1, 0);
	NEAR(aj_cif_at(&r, 1, 1.99), 0, 0);
	NEAR(aj_cif_at(&r, 1, 2.5), 16.0 / 64, 1e-15);
	NEAR(aj_cif_at(&r, 2, 6), 21.0 / 64, 1e-15);
	NEAR(aj_surv_at(&r, 7.5), 9.0 / 64, 1e-15);
	NEAR(aj_cif_at(&r, 2, 100), 30.0 / 64, 1e-15);
	assert_true(isnan(aj_cif_at(&r, 3, 5)));
	assert_true(isnan(aj_cif_at(&r, 0, 5)));
	aj_result_release(&r);
	assert_null(r.times);

	/* the order of the rows does not matter */
	struct aj_obs rev[N_OBS];
	for (size_t i = 0; i < N_OBS; i++)
		rev[i] = obs[N_OBS - 1 - i];
	fit(rev, N_OBS, 2, &r);
	assert_int_equal(r.ntimes, 5);
	NEAR(r.cif[2 * 2], 25.0 / 64, 1e-15);
	NEAR(r.cif[4 * 2 + 1], 30.0 / 64, 1e-15);
	aj_result_release(&r);
}

static void test_aj_one_outcome_is_km(void **state)
{
	fit_fn fit = FIT(state);
	/* with one outcome F = 1 - S and S is Kaplan-Meier */
	struct aj_obs one[N_OBS];
	struct km_obs k[N_OBS];
	for (size_t i = 0; i < N_OBS; i++) {
		one[i] = obs[i];
		one[i].outcome = obs[i].outcome != 0;
		k[i] = (struct km_obs){obs[i].entry, obs[i].exit, obs[i].outcome != 0};
	}
	struct aj_result r;
	struct km_result km;
	fit(one, N_OBS, 1, &r);
	km_fit(k, N_OBS, KM_CI_LOGLOG, 0.95, &km);
	assert_int_equal(r.ntimes, km.nsteps);
	for (size_t j = 0; j < r.ntimes; j++) {
		NEAR(r.times[j], km.steps[j].t, 0);
		NEAR(r.surv[j], km.steps[j].s, 1e-15);
		NEAR(r.cif[j], 1 - km.steps[j].s, 1e-15);
	}
	aj_result_release(&r);
	km_result_release(&km);
}

static void test_aj_empty(void **state)
{
	fit_fn fit = FIT(state);
	struct aj_result r;
	fit(NULL, 0, 2, &r);
	assert_int_equal(r.used, 0);
	assert_int_equal(r.ntimes, 0);
	NEAR(aj_surv_at(&r, 10), 1, 0);
	NEAR(aj_cif_at(&r, 1, 10), 0, 0);
	NEAR(aj_cif_at(&r, 2, 10), 0, 0);
	aj_result_release(&r);

	/* all censored: nothing moves */
	static const struct aj_obs cens[] = {{0, 3, 0}, {1, 4, 0}, {2, 9, 0}, {4, 4, 1}};
	fit(cens, 4, 2, &r);
	assert_int_equal(r.used, 3);
	assert_int_equal(r.events[0], 3);
	assert_int_equal(r.events[1], 0);
	assert_int_equal(r.ntimes, 0);
	NEAR(aj_surv_at(&r, 5), 1, 0);
	NEAR(aj_cif_at(&r, 2, 5), 0, 0);
	aj_result_release(&r);

	/* an outcome above k takes no part; k out of range: an empty result */
	static const struct aj_obs odd[] = {{0, 3, 3}, {0, 4, 1}, {0, 5, 0}};
	fit(odd, 3, 2, &r);
	assert_int_equal(r.used, 2);
	assert_int_equal(r.ntimes, 1);
	NEAR(aj_cif_at(&r, 1, 4), 0.5, 1e-15);
	aj_result_release(&r);
	fit(odd, 3, 0, &r);
	assert_int_equal(r.used, 0);
	assert_int_equal(r.ntimes, 0);
	aj_result_release(&r);
	fit(odd, 3, AJ_MAX_OUTCOMES + 1, &r);
	assert_int_equal(r.used, 0);
	aj_result_release(&r);

	/* everyone leaves at once: S reaches 0, the shares split the rest */
	static const struct aj_obs all[] = {{0, 2, 1}, {0, 2, 2}, {0, 2, 2}, {1, 2, 0}};
	fit(all, 4, 2, &r);
	assert_int_equal(r.ntimes, 1);
	NEAR(r.surv[0], 0.25, 1e-15); /* the censored one is at risk at 2 */
	NEAR(r.cif[0], 0.25, 1e-15);
	NEAR(r.cif[1], 0.5, 1e-15);
	aj_result_release(&r);
}

/* The hand data set above with every time t replaced by t * scale + shift
 * (t is 0..8): the same estimate at the moved times. */
static void fit_moved(fit_fn fit, double scale, double shift, struct aj_result *r)
{
	struct aj_obs moved[N_OBS];
	for (size_t i = 0; i < N_OBS; i++) {
		moved[i] = obs[i];
		moved[i].entry = obs[i].entry * scale + shift;
		moved[i].exit = obs[i].exit * scale + shift;
	}
	fit(moved, N_OBS, 2, r);
}

static void check_moved(const struct aj_result *r, double scale, double shift)
{
	static const double t[] = {2, 3, 5, 7, 8};
	static const double s[] = {48, 36, 18, 9, 0}, f1[] = {16, 16, 25, 34, 34},
			    f2[] = {0, 12, 21, 21, 30};
	assert_int_equal(r->used, 8);
	assert_int_equal(r->ntimes, 5);
	for (size_t j = 0; j < 5; j++) {
		NEAR(r->times[j], t[j] * scale + shift, 0);
		NEAR(r->surv[j], s[j] / 64, 1e-15);
		NEAR(r->cif[j * 2], f1[j] / 64, 1e-15);
		NEAR(r->cif[j * 2 + 1], f2[j] / 64, 1e-15);
	}
}

/* Negative and very large whole days: counted from the earliest entry,
 * the times come back exactly. */
static void test_aj_shifted_days(void **state)
{
	fit_fn fit = FIT(state);
	static const double shift[] = {-100, -8, 1e15, 0x1p60};
	static const double scale[] = {1, 3, 1, 256}; /* near 2^60 doubles are 256 apart */
	for (size_t i = 0; i < sizeof(shift) / sizeof(shift[0]); i++) {
		struct aj_result r;
		fit_moved(fit, scale[i], shift[i], &r);
		check_moved(&r, scale[i], shift[i]);
		aj_result_release(&r);
	}
}

/* Times that are not whole days, an infinite time, or whole days too far
 * apart for their number: aj_fit sorts, the same estimate. */
static void test_aj_not_counted(void **state)
{
	fit_fn fit = FIT(state);
	struct aj_result r;
	static const double scale[] = {0.5, 1, 1e6, 1.5};
	static const double shift[] = {0, 0.25, 0, -0.75};
	for (size_t i = 0; i < sizeof(shift) / sizeof(shift[0]); i++) {
		fit_moved(fit, scale[i], shift[i], &r);
		check_moved(&r, scale[i], shift[i]);
		aj_result_release(&r);
	}

	/* an outcome at infinity, after everything else */
	static const struct aj_obs inf[] = {{0, 2, 1}, {0, INFINITY, 2}, {1, 3, 0}};
	fit(inf, 3, 2, &r);
	assert_int_equal(r.ntimes, 2);
	NEAR(r.times[0], 2, 0);
	assert_true(isinf(r.times[1]));
	NEAR(r.cif[0], 1.0 / 3, 1e-15);
	NEAR(r.surv[0], 2.0 / 3, 1e-15);
	NEAR(r.cif[3], 2.0 / 3, 1e-15); /* the last one left at risk */
	NEAR(r.surv[1], 0, 0);
	aj_result_release(&r);
}

/* xorshift64: seeded, the same data on every platform */
static uint64_t next(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

/* n observations: entries in [lo, lo + e) for about half (lo for the
 * rest), stays of 0..stay - 1 days (0: takes no part), outcomes 0..3 and
 * now and then 4 (above k = 3: takes no part). Small e and stay give many
 * ties. frac != 0 moves one exit off the whole days. */
static struct aj_obs *random_obs(uint64_t *seed, size_t n, double lo, uint64_t e, uint64_t stay,
				 double frac)
{
	struct aj_obs *v = test_malloc(n * sizeof(*v));
	for (size_t i = 0; i < n; i++) {
		double entry = lo + (next(seed) % 2 ? (double)(next(seed) % e) : 0);
		double exit = entry + (double)(next(seed) % stay);
		uint64_t u = next(seed) % 50;
		uint8_t outcome = (uint8_t)(u == 0 ? 4 : u % 4);
		v[i] = (struct aj_obs){entry, exit, outcome};
	}
	if (frac != 0)
		v[next(seed) % n].exit += frac;
	return v;
}

static void assert_same_fit(const struct aj_obs *v, size_t n, int k)
{
	struct aj_result a, b;
	aj_fit(v, n, k, &a);
	aj_fit_sorted(v, n, k, &b);
	assert_int_equal(a.k, b.k);
	assert_int_equal(a.used, b.used);
	for (int c = 0; c <= AJ_MAX_OUTCOMES; c++)
		assert_int_equal(a.events[c], b.events[c]);
	assert_int_equal(a.ntimes, b.ntimes);
	for (size_t j = 0; j < a.ntimes; j++) {
		NEAR(a.times[j], b.times[j], 0);
		NEAR(a.surv[j], b.surv[j], 1e-15);
		for (int c = 0; c < k; c++)
			NEAR(a.cif[j * (size_t)k + (size_t)c], b.cif[j * (size_t)k + (size_t)c],
			     1e-15);
		/* S + F = 1 on both */
		double sum = a.surv[j];
		for (int c = 0; c < k; c++)
			sum += a.cif[j * (size_t)k + (size_t)c];
		NEAR(sum, 1, 1e-12);
	}
	aj_result_release(&a);
	aj_result_release(&b);
}

static const struct {
	size_t n;
	double lo;
	uint64_t e, stay;
} sets[] = {
    {1, 0, 1, 5},      {2, 0, 3, 3},	       {3, 0, 2, 4},	       {10, 0, 5, 5},
    {57, 0, 2, 3},     {100, 0, 50, 30},       {1000, 0, 2000, 4000},  {2500, 0, 3, 8},
    {5000, 0, 10, 20}, {5000, 0, 3000, 12000}, {4999, -300, 400, 400}, {777, -5000, 10, 10000},
};

/* Whole days: aj_fit counts per day, aj_fit_sorted sorts; the same result. */
static void test_aj_routes_agree(void **state)
{
	(void)state;
	uint64_t seed = 0x9e3779b97f4a7c15u;
	for (size_t i = 0; i < sizeof(sets) / sizeof(sets[0]); i++) {
		struct aj_obs *v =
		    random_obs(&seed, sets[i].n, sets[i].lo, sets[i].e, sets[i].stay, 0);
		assert_same_fit(v, sets[i].n, 3);
		assert_same_fit(v, sets[i].n, 2); /* outcome 3 takes no part */
		assert_same_fit(v, sets[i].n, AJ_MAX_OUTCOMES);
		test_free(v);
	}
}

/* One time off the whole days: both sort; the same result. */
static void test_aj_routes_agree_fractional(void **state)
{
	(void)state;
	uint64_t seed = 0x2545f4914f6cdd1du;
	for (size_t i = 0; i < sizeof(sets) / sizeof(sets[0]); i++) {
		struct aj_obs *v =
		    random_obs(&seed, sets[i].n, sets[i].lo, sets[i].e, sets[i].stay, 0.5);
		assert_same_fit(v, sets[i].n, 3);
		test_free(v);
	}
}

/* aj_fit_days from counts per day made here by brute force: entries and
 * exits must be whole days, 0 <= entry, exit < ndays. */
static void fit_from_days(const struct aj_obs *v, size_t n, int k, size_t ndays,
			  struct aj_result *r)
{
	uint32_t *enter = test_calloc(ndays, sizeof(*enter));
	uint32_t *gone = test_calloc(ndays, sizeof(*gone));
	uint32_t *outc[AJ_MAX_OUTCOMES];
	for (int c = 0; c < AJ_MAX_OUTCOMES; c++)
		outc[c] = test_calloc(ndays, sizeof(*outc[c]));
	for (size_t t = 0; t < ndays; t++)
		for (size_t i = 0; i < n; i++) {
			if (!(v[i].exit > v[i].entry) || v[i].outcome > k)
				continue;
			enter[t] += v[i].entry == (double)t;
			gone[t] += v[i].exit == (double)t;
			if (v[i].outcome > 0)
				outc[v[i].outcome - 1][t] += v[i].exit == (double)t;
		}
	aj_fit_days(enter, gone, (const uint32_t *const *)outc, ndays, k, r);
	test_free(enter);
	test_free(gone);
	for (int c = 0; c < AJ_MAX_OUTCOMES; c++)
		test_free(outc[c]);
}

/* The hand data set from counts per day: the same estimate. */
static void test_aj_days_hand(void **state)
{
	(void)state;
	struct aj_result r;
	fit_from_days(obs, N_OBS, 2, 12, &r);
	assert_int_equal(r.k, 2);
	assert_int_equal(r.used, 8);
	assert_int_equal(r.events[0], 2);
	assert_int_equal(r.events[1], 3);
	assert_int_equal(r.events[2], 3);
	static const double t[] = {2, 3, 5, 7, 8};
	static const double s[] = {48, 36, 18, 9, 0}, f1[] = {16, 16, 25, 34, 34},
			    f2[] = {0, 12, 21, 21, 30};
	assert_int_equal(r.ntimes, 5);
	for (size_t j = 0; j < 5; j++) {
		NEAR(r.times[j], t[j], 0);
		NEAR(r.surv[j], s[j] / 64, 1e-15);
		NEAR(r.cif[j * 2], f1[j] / 64, 1e-15);
		NEAR(r.cif[j * 2 + 1], f2[j] / 64, 1e-15);
	}
	aj_result_release(&r);

	/* nothing but censorings: counts, no step; k out of range: empty */
	static const struct aj_obs cens[] = {{0, 3, 0}, {1, 4, 0}, {2, 9, 0}, {4, 4, 1}};
	fit_from_days(cens, 4, 2, 10, &r);
	assert_int_equal(r.used, 3);
	assert_int_equal(r.events[0], 3);
	assert_int_equal(r.ntimes, 0);
	assert_null(r.times);
	aj_result_release(&r);
	fit_from_days(cens, 4, 0, 10, &r);
	assert_int_equal(r.k, 0);
	assert_int_equal(r.used, 0);
	aj_result_release(&r);
}

/* Counts per day against the sorting route on seeded data (days from 0):
 * the same doubles, bit for bit. */
static void test_aj_days_agree(void **state)
{
	(void)state;
	uint64_t seed = 0x853c49e6748fea9bu;
	static const struct {
		size_t n;
		uint64_t e, stay;
	} small[] = {{1, 1, 5}, {10, 5, 5}, {57, 2, 3}, {300, 50, 30}, {400, 3, 8}, {500, 10, 200}};
	for (size_t i = 0; i < sizeof(small) / sizeof(small[0]); i++) {
		struct aj_obs *v = random_obs(&seed, small[i].n, 0, small[i].e, small[i].stay, 0);
		size_t ndays = small[i].e + small[i].stay;
		for (int k = 1; k <= AJ_MAX_OUTCOMES; k++) {
			struct aj_result a, b;
			fit_from_days(v, small[i].n, k, ndays, &a);
			aj_fit_sorted(v, small[i].n, k, &b);
			assert_int_equal(a.used, b.used);
			for (int c = 0; c <= AJ_MAX_OUTCOMES; c++)
				assert_int_equal(a.events[c], b.events[c]);
			assert_int_equal(a.ntimes, b.ntimes);
			for (size_t j = 0; j < a.ntimes; j++) {
				assert_true(a.times[j] == b.times[j]);
				assert_true(a.surv[j] == b.surv[j]);
				for (int c = 0; c < k; c++)
					assert_true(a.cif[j * (size_t)k + (size_t)c] ==
						    b.cif[j * (size_t)k + (size_t)c]);
			}
			aj_result_release(&a);
			aj_result_release(&b);
		}
		test_free(v);
	}
}

/* a test on each route, named for it */
#define ON_BOTH_ROUTES(f) \
	{#f " (aj_fit)", f, NULL, NULL, &counted}, {#f " (aj_fit_sorted)", f, NULL, NULL, &sorted}

int main(void)
{
	const struct CMUnitTest tests[] = {
		ON_BOTH_ROUTES(test_aj_hand),
		ON_BOTH_ROUTES(test_aj_one_outcome_is_km),
		ON_BOTH_ROUTES(test_aj_empty),
		ON_BOTH_ROUTES(test_aj_shifted_days),
		ON_BOTH_ROUTES(test_aj_not_counted),
		cmocka_unit_test(test_aj_routes_agree),
		cmocka_unit_test(test_aj_routes_agree_fractional),
		cmocka_unit_test(test_aj_days_hand),
		cmocka_unit_test(test_aj_days_agree),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
