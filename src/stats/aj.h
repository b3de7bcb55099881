/* aj.h - the Aalen-Johansen estimator of cumulative incidence with
 * competing outcomes and delayed entry: one starting state ("still in"),
 * k absorbing outcomes, as R's survfit(Surv(entry, exit, state) ~ 1) gives
 * it in pstate when state is a factor whose first level is censoring.
 *
 * Preconditions: an observation is at risk at time t when entry < t <= exit;
 * observations with exit <= entry take no part; outcome 0 is censored,
 * 1..k an outcome (k <= AJ_MAX_OUTCOMES). At equal times outcomes come
 * before censorings.
 *
 * With one starting state the estimate is: S(t) = prod over outcome times
 * t_j <= t of (1 - d_j / n_j) (the all-cause Kaplan-Meier), and
 * F_c(t) = sum over t_j <= t of S(t_j-) d_cj / n_j; S + sum_c F_c = 1.
 *
 * aj_fit allocates result->times, ->surv and ->cif (NULL when ntimes is 0);
 * aj_result_release frees them. Pure otherwise: no I/O, no global state.
 * Whole numbers of days are counted per day, O(n + T) for a span of T days
 * (negative days too: the days are counted from the earliest entry), when
 * T < 2^22 and either T <= 65536 or T < 16 (m + 1), m the observations
 * taking part; other times are sorted, O(n log n).
 * aj_fit_sorted always sorts: the same estimate by another route, the same
 * doubles bit for bit (both add the outcome times in ascending order).
 * An observation whose outcome is above k takes no part; k outside
 * 1..AJ_MAX_OUTCOMES gives an empty result (k = 0, used = 0).
 */
#ifndef WR_AJ_H
#define WR_AJ_H

#include <stddef.h>
#include <stdint.h>

#define AJ_MAX_OUTCOMES 4

struct aj_obs {
	double entry, exit;
	uint8_t outcome;     /* 0 censored, 1..k */
};

struct aj_result {
	int k;               /* outcomes */
	size_t used;         /* observations taking part */
	size_t events[AJ_MAX_OUTCOMES + 1]; /* by outcome; [0]: censored */
	size_t ntimes;       /* distinct outcome times */
	double *times;       /* ascending */
	double *surv;        /* S right after times[j] */
	double *cif;         /* cif[j * k + (c - 1)]: F_c right after times[j] */
};

void aj_fit(const struct aj_obs *obs, size_t n, int k, struct aj_result *out);
void aj_fit_sorted(const struct aj_obs *obs, size_t n, int k, struct aj_result *out);
/* The same estimate from counts per whole day t in [0, ndays):
 * enter[t] observations taking part with entry t, gone[t] with exit t (any
 * outcome, censored too), outcome[c - 1][t] of those with outcome c in
 * 1..k. aj_fit counts whole days this way; the same doubles. O(k ndays). */
void aj_fit_days(const uint32_t *enter, const uint32_t *gone, const uint32_t *const *outcome,
		 size_t ndays, int k, struct aj_result *out);
void aj_result_release(struct aj_result *r);

/* F_c(t) for outcome c in 1..k: 0 before the first outcome time; NaN for
 * another c. */
double aj_cif_at(const struct aj_result *r, int c, double t);
/* S(t), the share still in the starting state. */
double aj_surv_at(const struct aj_result *r, double t);

#endif
