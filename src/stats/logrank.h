/* logrank.h - the log-rank test of equal survival across k groups, with
 * delayed entry (risk sets as in km.h), as R's survdiff computes it:
 * U = O - E over the first k-1 groups, V the hypergeometric covariance,
 * chi-square = U' V^-1 U on k-1 degrees of freedom, p from GSL's
 * chi-square distribution.
 */
#ifndef WR_LOGRANK_H
#define WR_LOGRANK_H

#include <stddef.h>

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

#endif
