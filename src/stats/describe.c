/* describe.c - see describe.h. */
#include "stats/describe.h"

#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

#include "core/alloc.h"
#include "core/sort.h"

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* Sort whole numbers in [0, 2^22) by counting them; false when x holds
 * anything else (then the caller sorts by comparison). */
static bool counting_sort(double *x, size_t n)
{
	double max = 0;
	for (size_t i = 0; i < n; i++) {
		if (!(x[i] >= 0) || x[i] >= (double)(1u << 22) || x[i] != floor(x[i]))
			return false;
		if (x[i] > max)
			max = x[i];
	}
	size_t T = (size_t)max + 1;
	if (T > 4 * n + 1024)
		return false; /* sparse: a comparison sort is cheaper */
	uint32_t *count = xcalloc(T, sizeof(*count));
	for (size_t i = 0; i < n; i++)
		count[(size_t)x[i]]++;
	size_t k = 0;
	for (size_t v = 0; v < T; v++)
		for (uint32_t c = 0; c < count[v]; c++)
			x[k++] = (double)v;
	free(count);
	return true;
}

void describe_sorted_copy(double *x, size_t n, struct describe *out)
{
	if (n > 0 && !counting_sort(x, n))
		sort_items(x, n, sizeof(*x), cmp_double);
	describe_sorted(x, n, out);
}

void describe_sorted(const double *x, size_t n, struct describe *out)
{
	out->n = n;
	out->mean = out->sd = out->median = out->p25 = out->p75 = out->min = out->max = NAN;
	if (n == 0)
		return;
	out->mean = gsl_stats_mean(x, 1, n);
	if (n > 1)
		out->sd = gsl_stats_sd_m(x, 1, n, out->mean);
	out->median = gsl_stats_median_from_sorted_data(x, 1, n);
	out->p25 = gsl_stats_quantile_from_sorted_data(x, 1, n, 0.25);
	out->p75 = gsl_stats_quantile_from_sorted_data(x, 1, n, 0.75);
	out->min = x[0];
	out->max = x[n - 1];
}
