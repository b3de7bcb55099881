/* describe.c - see describe.h. */
#include "stats/describe.h"

#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>

void describe_sorted_copy(double *x, size_t n, struct describe *out)
{
	out->n = n;
	out->mean = out->sd = out->median = out->p25 = out->p75 = out->min = out->max = NAN;
	if (n == 0)
		return;
	gsl_sort(x, 1, n);
	out->mean = gsl_stats_mean(x, 1, n);
	if (n > 1)
		out->sd = gsl_stats_sd_m(x, 1, n, out->mean);
	out->median = gsl_stats_median_from_sorted_data(x, 1, n);
	out->p25 = gsl_stats_quantile_from_sorted_data(x, 1, n, 0.25);
	out->p75 = gsl_stats_quantile_from_sorted_data(x, 1, n, 0.75);
	out->min = x[0];
	out->max = x[n - 1];
}
