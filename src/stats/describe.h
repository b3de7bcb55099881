/* describe.h - descriptive statistics of a sample, from GSL: count, mean,
 * standard deviation (n - 1), median, quartiles, minimum, maximum.
 *
 * Empty samples give NaN for every figure; one value gives NaN for the
 * standard deviation. Quantiles are GSL's gsl_stats_quantile_from_sorted_data
 * (linear interpolation, R's type 7).
 */
#ifndef WR_DESCRIBE_H
#define WR_DESCRIBE_H

#include <stddef.h>

struct describe {
	size_t n;
	double mean, sd, median, p25, p75, min, max;
};

/* Describe x[0..n). x is sorted in place (the caller's copy): whole
 * numbers (days) by counting, anything else by comparison. */
void describe_sorted_copy(double *x, size_t n, struct describe *out);
/* Describe x[0..n), already in ascending order. */
void describe_sorted(const double *x, size_t n, struct describe *out);
/* Describe each of k samples x[s][0..n[s]), each already in ascending
 * order, into out[s]: describe_sorted's figures, the same doubles, their
 * running mean and variance worked out for several samples side by side
 * (faster than one after another). */
void describe_sorted_many(const double *const *x, const size_t *n, size_t k,
			  struct describe *out);

#endif
