/* cox.h - the Cox proportional-hazards model with one covariate, strata and
 * delayed entry, fitted by Newton-Raphson on the partial likelihood with
 * Breslow's handling of ties, as R's
 *   coxph(Surv(entry, exit, event) ~ x + strata(stratum), ties = "breslow")
 * computes it.
 *
 * Preconditions: entry and exit are whole numbers (days); an observation is
 * at risk at time t within its stratum when entry < t <= exit; observations
 * with exit <= entry take no part. x is any finite number (here: calendar
 * year minus the window's first year).
 *
 * Cost: one sort per stratum (by exit and by entry), then O(n) per Newton
 * step. Pure: no I/O, no global state; cox_fit allocates only temporaries.
 */
#ifndef WR_COX_H
#define WR_COX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct cox_obs {
	double x;            /* the covariate */
	int32_t entry, exit; /* days: at risk when entry < t <= exit */
	uint32_t stratum;    /* any value; baseline hazards differ by stratum */
	bool event;
};

struct cox_result {
	bool ok;             /* false: no events, x constant within every risk set
	                      * with an event, or no convergence; figures NaN */
	size_t used;         /* observations taking part (exit > entry) */
	size_t events;
	int iterations;
	double beta, se;     /* log hazard ratio per unit of x, its standard error */
	double hr, hr_lo, hr_hi; /* exp(beta) and its Wald interval at conf */
	double z, p;         /* Wald z = beta / se, two-sided p (GSL's normal) */
	double loglik0, loglik; /* partial log likelihood at beta = 0 and at beta */
};

/* Fit. conf is the confidence level (0.95). obs is not modified. */
void cox_fit(const struct cox_obs *obs, size_t n, double conf, struct cox_result *out);

/* The same model from risk sets the caller has counted, for a covariate
 * that takes only the values 0, 1, ..., k-1 (k >= 1). Row j stands for one
 * event time within one stratum (rows of different strata are different
 * risk sets; their order does not matter): at_risk[j * k + x] observations
 * with covariate x are at risk then, events[j * k + x] of them have the
 * event then. Breslow's partial likelihood is a sum over these rows, so a
 * Newton step costs O(nrows x k) however many observations there are.
 * ->used is left 0 and ->events is the sum of events. */
void cox_fit_counts(const uint32_t *at_risk, const uint32_t *events, size_t nrows, int k,
		    double conf, struct cox_result *out);

#endif
