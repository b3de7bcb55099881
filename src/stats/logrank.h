/* logrank.h - the log-rank test of equal survival across k groups, with
 * delayed entry (risk sets as in km.h), as R's survdiff computes it:
 * U = O - E over the first k-1 groups, V the hypergeometric covariance,
 * chi-square = U' V^-1 U on k-1 degrees of freedom, p from GSL's
 * chi-square distribution.
 */
#ifndef WR_LOGRANK_H
#define WR_LOGRANK_H

#include <stddef.h>
#include <stdint.h>

#include "stats/km.h"

struct logrank_result {
	size_t groups;        /* groups at risk at some event time (expected > 0) */
	double chisq;         /* NaN when it cannot be computed */
	int df;
	double p;             /* NaN when chisq is */
};

/* obs[i] belongs to group[i] in [0, ngroups). observed and expected, when not
 * NULL, receive O and E per group (ngroups entries each). */
void logrank_test(const struct km_obs *obs, const size_t *group, size_t n, size_t ngroups,
		  struct logrank_result *out, double *observed, double *expected);
/* The same test from counts per whole day t in [0, ndays) of each group g:
 * enter[g][t] observations taking part (exit > entry) with entry t,
 * gone[g][t] with exit t, events[g][t] of those with an event. logrank_test
 * counts whole days this way: the same doubles. O(ndays ngroups + E
 * ngroups^2) for E days with events. */
void logrank_test_days(const uint32_t *const *enter, const uint32_t *const *gone,
		       const uint32_t *const *events, size_t ngroups, size_t ndays,
		       struct logrank_result *out, double *observed, double *expected);

#endif
