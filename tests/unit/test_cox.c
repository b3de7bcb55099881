/* The Cox model (stats/cox.h) against published and hand-solved results.
 *
 * Published: Therneau & Grambsch, Modeling Survival Data (2000), Appendix
 * E, reproduced in the survival package's vignette "validate" (section
 * "Test data 1", "Test data 2"), which gives the Breslow solutions:
 *   test data 1 (n = 6): r^2 - 3r - 6 = 0, beta = log((3 + sqrt 33) / 2)
 *     ~= 1.475285, R's coxph converging after 4 iterations;
 *   test data 2 (start, stop]: r ~= .9189477, beta = log r ~= -.084526.
 * The seven-row "test1" and ten-row "test2" of R's ?coxph example (with
 * strata(sex) for test1): expected values from R 4.2 / survival 3.5-3,
 * coxph(..., ties = "breslow"), each also checked here against a score
 * equation solved by hand (the score is zero at the estimate).
 * Every figure was cross-checked with R (the commands are in the comments).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <string.h>
#include <cmocka.h>

#include "stats/cox.h"

#define NEAR(a, b, tol) assert_true(fabs((a) - (b)) <= (tol))
#define Z975 1.959963984540054 /* the normal's 97.5% point */

/* one row: entry, exit, event, x, stratum */
#define OBS(en, ex, ev, xx, st) {.x = (xx), .entry = (en), .exit = (ex), .stratum = (st), .event = (ev)}

static void check_wald(const struct cox_result *r)
{
	/* the derived figures, with erfc rather than GSL */
	NEAR(r->hr, exp(r->beta), 1e-12 * r->hr);
	NEAR(r->z, r->beta / r->se, 1e-12);
	NEAR(r->p, erfc(fabs(r->z) / sqrt(2.0)), 1e-12);
	NEAR(r->hr_lo, exp(r->beta - Z975 * r->se), 1e-9 * r->hr_lo);
	NEAR(r->hr_hi, exp(r->beta + Z975 * r->se), 1e-9 * r->hr_hi);
}

static void test_cox_appendix_e_data1(void **state)
{
	(void)state;
	/* time 1 1 6 6 8 9, status 1 0 1 1 0 1, x 1 1 1 0 0 0; with r = e^beta
	 * (Appendix E / vignette "validate"):
	 *   LPL = 2 beta - log(3r + 3) - 2 log(r + 3)
	 *   U   = (-r^2 + 3r + 6) / ((r + 1)(r + 3))  -> r = (3 + sqrt 33) / 2
	 *   I   = r / (r + 1)^2 + 6r / (r + 3)^2
	 * R: coef 1.475284914829, se 1.255734393011, loglik -4.564348191468
	 * -3.824749505003, iter 4, p 0.240059396413 */
	static const struct cox_obs obs[] = {
		OBS(0, 1, 1, 1, 0), OBS(0, 1, 0, 1, 0), OBS(0, 6, 1, 1, 0),
		OBS(0, 6, 1, 0, 0), OBS(0, 8, 0, 0, 0), OBS(0, 9, 1, 0, 0),
	};
	struct cox_result r;
	cox_fit(obs, 6, 0.95, &r);
	assert_true(r.ok);
	assert_int_equal(r.used, 6);
	assert_int_equal(r.events, 4);
	double rr = (3 + sqrt(33.0)) / 2, b = log(rr);
	double info = rr / ((rr + 1) * (rr + 1)) + 6 * rr / ((rr + 3) * (rr + 3));
	NEAR(r.beta, b, 1e-7);
	NEAR(b, 1.475285, 5e-7);
	NEAR(r.se, 1 / sqrt(info), 1e-7);
	NEAR(r.se, 1.255734393011, 1e-7);
	NEAR(r.loglik, 2 * b - log(3 * rr + 3) - 2 * log(rr + 3), 1e-10);
	NEAR(r.loglik0, -log(6.0) - 2 * log(4.0), 1e-12);
	NEAR(r.p, 0.240059396413, 1e-7);
	assert_int_equal(r.iterations, 4); /* as coxph reports */
	check_wald(&r);
}

/* ?coxph's test1: time 4 3 1 1 2 2 3, status 1 1 1 0 1 1 0,
 * x 0 2 1 1 1 0 0, sex 0 0 0 0 1 1 1 */
static const struct cox_obs test1[] = {
	OBS(0, 4, 1, 0, 0), OBS(0, 3, 1, 2, 0), OBS(0, 1, 1, 1, 0), OBS(0, 1, 0, 1, 0),
	OBS(0, 2, 1, 1, 1), OBS(0, 2, 1, 0, 1), OBS(0, 3, 0, 0, 1),
};

static void test_cox_test1(void **state)
{
	(void)state;
	/* strata(sex), by hand with r = e^beta:
	 *   sex 0, t=1: at risk x 0 2 1 1, S0 = (1 + r)^2, event x = 1
	 *          t=3: x 0 2, S0 = 1 + r^2, event x = 2
	 *          t=4: x 0 alone: adds nothing
	 *   sex 1, t=2: x 1 0 0, S0 = r + 2, events x = 1 and 0 (d = 2)
	 *   LPL = 4 beta - 2 log(1 + r) - log(1 + r^2) - 2 log(r + 2)
	 *   U   = 4 - 2r/(1 + r) - 2r^2/(1 + r^2) - 2r/(r + 2)
	 * R: coxph(Surv(time, status) ~ x + strata(sex), test1,
	 * ties = "breslow"): coef 0.735749785326, se 0.804469976404,
	 * loglik -4.276666119016 -3.805248341535 */
	struct cox_result r;
	cox_fit(test1, 7, 0.95, &r);
	assert_true(r.ok);
	double b = r.beta, rr = exp(b);
	NEAR(4 - 2 * rr / (1 + rr) - 2 * rr * rr / (1 + rr * rr) - 2 * rr / (rr + 2), 0, 1e-8);
	NEAR(r.beta, 0.735749785326, 1e-8);
	NEAR(r.se, 0.804469976404, 1e-8);
	NEAR(r.loglik, 4 * b - 2 * log(1 + rr) - log(1 + rr * rr) - 2 * log(rr + 2), 1e-10);
	NEAR(r.loglik, -3.805248341535, 1e-9);
	NEAR(r.loglik0, -4.276666119016, 1e-9);
	check_wald(&r);

	/* no strata: every row in stratum 0
	 *   t=1: x 0 2 1 1 1 0 0, S0 = r^2 + 3r + 3, event x = 1
	 *   t=2: x 0 2 1 0 0,     S0 = r^2 + r + 3,  events x = 1 and 0
	 *   t=3: x 0 2 0,         S0 = r^2 + 2,      event x = 2
	 *   U = 4 - (2r^2 + 3r)/(r^2 + 3r + 3) - 2(2r^2 + r)/(r^2 + r + 3)
	 *         - 2r^2/(r^2 + 2)
	 * R: coef 0.483893272137, se 0.571273660989,
	 * loglik -6.263398262592 -5.911984689384 */
	struct cox_obs one[7];
	memcpy(one, test1, sizeof(one));
	for (size_t i = 0; i < 7; i++)
		one[i].stratum = 0;
	cox_fit(one, 7, 0.95, &r);
	assert_true(r.ok);
	rr = exp(r.beta);
	double r2 = rr * rr;
	NEAR(4 - (2 * r2 + 3 * rr) / (r2 + 3 * rr + 3) - 2 * (2 * r2 + rr) / (r2 + rr + 3) -
		 2 * r2 / (r2 + 2),
	     0, 1e-8);
	NEAR(r.beta, 0.483893272137, 1e-8);
	NEAR(r.se, 0.571273660989, 1e-8);
	NEAR(r.loglik, -5.911984689384, 1e-9);
	NEAR(r.loglik0, -6.263398262592, 1e-9);
}

static void test_cox_appendix_e_data2(void **state)
{
	(void)state;
	/* (start, stop]: (1,2] (2,3] (5,6] (2,7] (1,8] (7,9] (3,9] (4,9] (8,14]
	 * (8,17], event 1 1 1 1 1 1 1 0 0 0, x 1 0 0 1 0 1 1 1 0 0 (Appendix E
	 * / vignette "validate", the same as ?coxph's test2). The vignette:
	 *   LL = 4 beta - log(r+1) - log(r+2) - 3 log(3r+2) - 2 log(3r+1)
	 *   U  = 4 - (r/(r+1) + r/(r+2) + 3r/(3r+2) + 6r/(3r+1) + 6r/(3r+2))
	 *   I  = r/(r+1)^2 + 2r/(r+2)^2 + 6r/(3r+2)^2 + 2 * 3r/(3r+1)^2
	 *        + 12r/(3r+2)^2
	 *   r ~= .9189477, beta ~= -.084526
	 * R: coxph(Surv(start, stop, event) ~ x, test2, ties = "breslow"):
	 * coef -0.0845260806613, se 0.7938172774855, loglik -9.3926619287701
	 * -9.3870151183663, p 0.9152011061540 */
	static const struct cox_obs obs[] = {
		OBS(1, 2, 1, 1, 5), OBS(2, 3, 1, 0, 5), OBS(5, 6, 1, 0, 5), OBS(2, 7, 1, 1, 5),
		OBS(1, 8, 1, 0, 5), OBS(7, 9, 1, 1, 5), OBS(3, 9, 1, 1, 5), OBS(4, 9, 0, 1, 5),
		OBS(8, 14, 0, 0, 5), OBS(8, 17, 0, 0, 5),
	};
	struct cox_result r;
	cox_fit(obs, 10, 0.95, &r);
	assert_true(r.ok);
	assert_int_equal(r.events, 7);
	double rr = exp(r.beta);
	NEAR(rr, .9189477, 5e-8);
	NEAR(r.beta, -.084526, 5e-7);
	NEAR(4 - (rr / (rr + 1) + rr / (rr + 2) + 3 * rr / (3 * rr + 2) + 6 * rr / (3 * rr + 1) +
		  6 * rr / (3 * rr + 2)),
	     0, 1e-9);
	double info = rr / pow(rr + 1, 2) + 2 * rr / pow(rr + 2, 2) + 6 * rr / pow(3 * rr + 2, 2) +
		      6 * rr / pow(3 * rr + 1, 2) + 12 * rr / pow(3 * rr + 2, 2);
	NEAR(r.se, 1 / sqrt(info), 1e-9);
	NEAR(r.se, 0.7938172774855, 1e-9);
	NEAR(r.loglik,
	     4 * r.beta - log(rr + 1) - log(rr + 2) - 3 * log(3 * rr + 2) - 2 * log(3 * rr + 1),
	     1e-10);
	NEAR(r.loglik, -9.3870151183663, 1e-9);
	NEAR(r.loglik0, -9.3926619287701, 1e-9);
	NEAR(r.p, 0.9152011061540, 1e-9);
	check_wald(&r);
}

/* Two strata (labels 7 and 3) with delayed entry, solved by hand. At risk at
 * t within a stratum: entry < t <= exit.
 *   stratum 7: a (0,4] event x=1; b (0,4] event x=0; c (1,6] censored x=1;
 *              d (4,9] event x=1 (enters at 4: not at risk at 4);
 *              e (5,12] censored x=0
 *     t=4: a b c at risk, S0 = 2r + 1, events x = 1, 0 (d = 2):
 *          U = 1 - 2 * 2r/(2r + 1) = (1 - 2r)/(2r + 1)
 *     t=9: d e, S0 = r + 1, event x = 1: U = 1/(r + 1)
 *   stratum 3: f (2,5] event x=0; g (0,8] censored x=1;
 *              h (5,8] event x=0 (enters at 5: not at risk at 5)
 *     t=5: f g, S0 = 1 + r, event x = 0: U = -r/(r + 1)
 *     t=8: g h (g censored at 8 is still at risk), event x = 0: -r/(r + 1)
 *   U = (1 - 2r)/(2r + 1) + (1 - 2r)/(r + 1) = 0  ->  r = 1/2, beta = -log 2
 *   I = sum d p(1 - p), p the weighted share with x = 1: at r = 1/2
 *       t=4: 2 * 1/2 * 1/2 = 1/2; t=9, 5, 8: p = 1/3, 2/9 each -> I = 7/6,
 *       se = sqrt(6/7)
 *   LPL(beta) = (beta - 2 log 2) + (beta - log 1.5) - 2 log 1.5
 *       = -4 log 2 - 3 log 1.5;  LPL(0) = -2 log 3 - 3 log 2
 * R agrees: coef -0.693147180560, se 0.925820099773, iter 3 (ignoring the
 * entries gives -0.448, ignoring the strata -0.799). */
static const struct cox_obs hand[] = {
	OBS(0, 4, 1, 1, 7), OBS(0, 4, 1, 0, 7), OBS(1, 6, 0, 1, 7), OBS(4, 9, 1, 1, 7),
	OBS(5, 12, 0, 0, 7), OBS(2, 5, 1, 0, 3), OBS(0, 8, 0, 1, 3), OBS(5, 8, 1, 0, 3),
};
#define N_HAND (sizeof(hand) / sizeof(hand[0]))

static void check_hand(const struct cox_result *r)
{
	assert_true(r->ok);
	assert_int_equal(r->used, 8);
	assert_int_equal(r->events, 5);
	NEAR(r->beta, -log(2.0), 1e-9);
	NEAR(r->hr, 0.5, 1e-9);
	NEAR(r->se, sqrt(6.0 / 7), 1e-9);
	NEAR(r->loglik, -4 * log(2.0) - 3 * log(1.5), 1e-12);
	NEAR(r->loglik0, -2 * log(3.0) - 3 * log(2.0), 1e-12);
	NEAR(r->z, -log(2.0) / sqrt(6.0 / 7), 1e-9);
	check_wald(r);
}

static void test_cox_hand_strata_delayed_entry(void **state)
{
	(void)state;
	struct cox_result r;
	cox_fit(hand, N_HAND, 0.95, &r);
	check_hand(&r);
	assert_int_equal(r.iterations, 3); /* as coxph reports */

	/* the order of the rows, the stratum labels and the time origin (here
	 * negative days) change nothing */
	struct cox_obs moved[N_HAND];
	for (size_t i = 0; i < N_HAND; i++) {
		moved[i] = hand[N_HAND - 1 - i];
		moved[i].stratum = moved[i].stratum == 7 ? 0xfffffff0u : 2;
		moved[i].entry -= 1000;
		moved[i].exit -= 1000;
	}
	cox_fit(moved, N_HAND, 0.95, &r);
	check_hand(&r);

	/* shifting x shifts nothing (x is centred) */
	for (size_t i = 0; i < N_HAND; i++)
		moved[i].x += 1e6;
	cox_fit(moved, N_HAND, 0.95, &r);
	assert_true(r.ok);
	NEAR(r.beta, -log(2.0), 1e-7);
	NEAR(r.se, sqrt(6.0 / 7), 1e-7);

	/* another level: the Wald interval at 90% */
	cox_fit(hand, N_HAND, 0.90, &r);
	NEAR(r.hr_lo, exp(-log(2.0) - 1.6448536269514722 * sqrt(6.0 / 7)), 1e-9);
}

static void test_cox_ignored_rows(void **state)
{
	(void)state;
	/* rows with exit <= entry take no part: adding them changes nothing */
	struct cox_obs more[N_HAND + 3];
	memcpy(more, hand, sizeof(hand));
	more[N_HAND] = (struct cox_obs)OBS(5, 5, 1, 4, 7);
	more[N_HAND + 1] = (struct cox_obs)OBS(9, 3, 1, 0, 3);
	more[N_HAND + 2] = (struct cox_obs)OBS(2, 2, 0, 1, 9);
	struct cox_result a, b;
	cox_fit(hand, N_HAND, 0.95, &a);
	cox_fit(more, N_HAND + 3, 0.95, &b);
	assert_int_equal(b.used, N_HAND);
	assert_int_equal(b.events, a.events);
	assert_int_equal(b.iterations, a.iterations);
	NEAR(b.beta, a.beta, 1e-12);
	NEAR(b.se, a.se, 1e-12);
	NEAR(b.loglik, a.loglik, 1e-12);
	check_hand(&b);
}

static void check_failed(const struct cox_result *r)
{
	assert_false(r->ok);
	assert_true(isnan(r->beta) && isnan(r->se) && isnan(r->hr) && isnan(r->hr_lo) &&
		    isnan(r->hr_hi) && isnan(r->z) && isnan(r->p) && isnan(r->loglik));
}

static void test_cox_edge_cases(void **state)
{
	(void)state;
	struct cox_result r;
	cox_fit(NULL, 0, 0.95, &r);
	check_failed(&r);
	assert_int_equal(r.used, 0);

	/* no events */
	struct cox_obs none[N_HAND];
	memcpy(none, hand, sizeof(hand));
	for (size_t i = 0; i < N_HAND; i++)
		none[i].event = false;
	cox_fit(none, N_HAND, 0.95, &r);
	check_failed(&r);
	assert_int_equal(r.used, N_HAND);
	assert_int_equal(r.events, 0);

	/* events only on rows that take no part */
	static const struct cox_obs gone[] = {OBS(3, 3, 1, 1, 0), OBS(0, 5, 0, 0, 0)};
	cox_fit(gone, 2, 0.95, &r);
	check_failed(&r);
	assert_int_equal(r.used, 1);

	/* x the same everywhere (0.1 is not exact in binary: the centred x is
	 * rounding noise, not zero) */
	struct cox_obs same[N_HAND];
	memcpy(same, hand, sizeof(hand));
	for (size_t i = 0; i < N_HAND; i++)
		same[i].x = 0.1;
	cox_fit(same, N_HAND, 0.95, &r);
	check_failed(&r);
	assert_int_equal(r.events, 5);

	/* x constant within each stratum, different between them: no
	 * information either */
	for (size_t i = 0; i < N_HAND; i++)
		same[i].x = same[i].stratum == 7 ? 1.7 : 4.2;
	cox_fit(same, N_HAND, 0.95, &r);
	check_failed(&r);

	/* every risk set with an event holds one observation */
	static const struct cox_obs alone[] = {OBS(0, 2, 1, 1, 0), OBS(2, 4, 1, 0, 0)};
	cox_fit(alone, 2, 0.95, &r);
	check_failed(&r);
}

/* cox_fit_counts: the risk sets counted by hand from the observations must
 * give the fit of cox_fit (which the R reference in tests/rref checks).
 * Random whole-day data, delayed entry, three strata, x in 0..4; the risk
 * set of each (stratum, event time) is counted here by brute force. */
static uint32_t lcg(uint32_t *state)
{
	*state = *state * 1664525u + 1013904223u;
	return *state >> 8;
}

static void test_cox_counts_match_observations(void **state)
{
	(void)state;
	enum { N = 600, K = 5, S = 3, T = 200 };
	static struct cox_obs obs[N];
	static uint32_t at_risk[S * T * K], events[S * T * K];
	for (uint32_t seed = 1; seed <= 3; seed++) {
		uint32_t r = seed;
		for (size_t i = 0; i < N; i++) {
			int32_t entry = (int32_t)(lcg(&r) % 60);
			int32_t len = 1 + (int32_t)(lcg(&r) % 120);
			int x = (int)(lcg(&r) % K);
			/* a hazard that grows with x, so beta is clearly positive */
			bool ev = lcg(&r) % 10 < (uint32_t)(3 + x);
			obs[i] = (struct cox_obs){.x = x, .entry = entry, .exit = entry + len,
						  .stratum = lcg(&r) % S, .event = ev};
		}
		memset(at_risk, 0, sizeof(at_risk));
		memset(events, 0, sizeof(events));
		size_t rows = 0;
		for (uint32_t st = 0; st < S; st++)
			for (int32_t t = 0; t < T; t++) {
				bool any = false;
				for (size_t i = 0; i < N; i++)
					any |= obs[i].stratum == st && obs[i].event && obs[i].exit == t;
				if (!any)
					continue;
				for (size_t i = 0; i < N; i++) {
					const struct cox_obs *o = &obs[i];
					if (o->stratum != st || !(o->entry < t && t <= o->exit))
						continue;
					at_risk[rows * K + (size_t)o->x]++;
					events[rows * K + (size_t)o->x] += o->event && o->exit == t;
				}
				rows++;
			}
		struct cox_result a, b;
		cox_fit(obs, N, 0.95, &a);
		cox_fit_counts(at_risk, events, rows, K, 0.95, &b);
		assert_true(a.ok && b.ok);
		assert_true(a.beta > 0.05);
		assert_int_equal(a.events, b.events);
		NEAR(b.beta, a.beta, 1e-9 * fabs(a.beta));
		NEAR(b.se, a.se, 1e-9 * a.se);
		NEAR(b.p, a.p, 1e-9 + 1e-7 * a.p);
		NEAR(b.loglik, a.loglik, 1e-9 * fabs(a.loglik));
		NEAR(b.loglik0, a.loglik0, 1e-9 * fabs(a.loglik0));
		assert_int_equal(b.iterations, a.iterations);
	}
	/* no events, or one covariate value only: nothing to fit */
	uint32_t n1[2] = {3, 0}, d0[2] = {0, 0}, d1[2] = {1, 0};
	struct cox_result c;
	cox_fit_counts(n1, d0, 1, 2, 0.95, &c);
	assert_false(c.ok);
	cox_fit_counts(n1, d1, 1, 2, 0.95, &c);
	assert_false(c.ok);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cox_appendix_e_data1),
		cmocka_unit_test(test_cox_test1),
		cmocka_unit_test(test_cox_appendix_e_data2),
		cmocka_unit_test(test_cox_hand_strata_delayed_entry),
		cmocka_unit_test(test_cox_ignored_rows),
		cmocka_unit_test(test_cox_edge_cases),
		cmocka_unit_test(test_cox_counts_match_observations),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
