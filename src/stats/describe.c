/* describe.c - see describe.h. */
#include "stats/describe.h"

#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

#include "core/alloc.h"
#include "core/sort.h"

/* describe_sorted_many repeats GSL 2.7's mean and variance recurrences
 * step for step: no fused multiply-add may change their roundings (the
 * unit test compares them bit for bit with GSL's). GCC contracts none in
 * ISO C mode (-std=c11, CMAKE_C_EXTENSIONS OFF); clang is told so. */
#ifdef __clang__
#pragma STDC FP_CONTRACT OFF
#endif

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

/* describe_sorted_many runs the recurrences of GSL's gsl_stats_mean and of
 * the variance behind gsl_stats_sd_m, written out here with the same
 * operations in the same order:
 *   mean:     long double m = 0;  m += (x[i] - m) / (i + 1)
 *   variance: long double v = 0;  delta = x[i] - mean (a double, widened);
 *             v += (delta * delta - v) / (i + 1)
 * each rounded to double at the end. Every step waits on the previous
 * step's division, so one sample at a time leaves the divider idle most of
 * the time; LANES samples side by side keep it busy. */
#define LANES 4

struct lane {
	size_t sample, i; /* the sample, its next value */
	long double acc;
};

/* One step of either recurrence, value x the i-th (from 0). */
static inline long double mean_step(long double m, double x, size_t i)
{
	return m + (x - m) / (i + 1);
}

static inline long double variance_step(long double v, double x, double mean, size_t i)
{
	const long double delta = (x - mean);
	return v + (delta * delta - v) / (i + 1);
}

/* Advance lane l of the lanes by steps values: the mean recurrence when
 * mean is NULL, else the variance about mean[sample]. */
static void advance(struct lane *l, const double *const *x, const double *mean, size_t steps)
{
	const double *v = x[l->sample];
	long double acc = l->acc;
	if (!mean)
		for (size_t i = l->i; i < l->i + steps; i++)
			acc = mean_step(acc, v[i], i);
	else
		for (size_t i = l->i; i < l->i + steps; i++)
			acc = variance_step(acc, v[i], mean[l->sample], i);
	l->acc = acc;
	l->i += steps;
}

/* Four lanes by steps values at once: the same steps as advance, side by
 * side. */
static void advance4(struct lane *l, const double *const *x, const double *mean, size_t steps)
{
	const double *v0 = x[l[0].sample], *v1 = x[l[1].sample], *v2 = x[l[2].sample],
		     *v3 = x[l[3].sample];
	size_t i0 = l[0].i, i1 = l[1].i, i2 = l[2].i, i3 = l[3].i;
	long double a0 = l[0].acc, a1 = l[1].acc, a2 = l[2].acc, a3 = l[3].acc;
	if (!mean) {
		for (size_t t = 0; t < steps; t++) {
			a0 = mean_step(a0, v0[i0 + t], i0 + t);
			a1 = mean_step(a1, v1[i1 + t], i1 + t);
			a2 = mean_step(a2, v2[i2 + t], i2 + t);
			a3 = mean_step(a3, v3[i3 + t], i3 + t);
		}
	} else {
		double m0 = mean[l[0].sample], m1 = mean[l[1].sample], m2 = mean[l[2].sample],
		       m3 = mean[l[3].sample];
		for (size_t t = 0; t < steps; t++) {
			a0 = variance_step(a0, v0[i0 + t], m0, i0 + t);
			a1 = variance_step(a1, v1[i1 + t], m1, i1 + t);
			a2 = variance_step(a2, v2[i2 + t], m2, i2 + t);
			a3 = variance_step(a3, v3[i3 + t], m3, i3 + t);
		}
	}
	l[0].acc = a0;
	l[1].acc = a1;
	l[2].acc = a2;
	l[3].acc = a3;
	for (int j = 0; j < LANES; j++)
		l[j].i += steps;
}

/* The recurrence (mean, or variance about mean[]) of every sample with
 * values, taken in the order order[0..k), into out[sample]. */
static void recurrences(const double *const *x, const size_t *n, const size_t *order, size_t k,
			const double *mean, double *out)
{
	struct lane lane[LANES];
	size_t active = 0, next = 0;
	for (;;) {
		while (active < LANES && next < k) {
			size_t s = order[next++];
			if (n[s] > 0)
				lane[active++] = (struct lane){.sample = s, .i = 0, .acc = 0};
		}
		if (active == 0)
			break;
		/* as far as the first lane to finish */
		size_t steps = SIZE_MAX;
		for (size_t j = 0; j < active; j++)
			if (n[lane[j].sample] - lane[j].i < steps)
				steps = n[lane[j].sample] - lane[j].i;
		if (active == LANES) {
			advance4(lane, x, mean, steps);
		} else if (next >= k) {
			/* the last few: each to its end */
			for (size_t j = 0; j < active; j++) {
				advance(&lane[j], x, mean, n[lane[j].sample] - lane[j].i);
				out[lane[j].sample] = (double)lane[j].acc;
			}
			break;
		} else {
			for (size_t j = 0; j < active; j++)
				advance(&lane[j], x, mean, steps);
		}
		for (size_t j = 0; j < active;) {
			if (lane[j].i < n[lane[j].sample]) {
				j++;
				continue;
			}
			out[lane[j].sample] = (double)lane[j].acc;
			lane[j] = lane[--active];
		}
	}
}

/* Samples by length, longest first (ctx: the lengths): the lanes then end
 * close together. */
static int longer_first(const void *a, const void *b, void *ctx)
{
	const size_t *n = ctx;
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	return (n[x] < n[y]) - (n[x] > n[y]);
}

void describe_sorted_many(const double *const *x, const size_t *n, size_t k,
			  struct describe *out)
{
	if (k == 0)
		return;
	size_t *order = xmalloc(k * sizeof(*order));
	double *mean = xmalloc(k * sizeof(*mean));
	double *variance = xmalloc(k * sizeof(*variance));
	for (size_t s = 0; s < k; s++)
		order[s] = s;
	sort_with(order, k, sizeof(*order), longer_first, (void *)n);
	recurrences(x, n, order, k, NULL, mean);
	recurrences(x, n, order, k, mean, variance);
	for (size_t s = 0; s < k; s++) {
		struct describe *d = &out[s];
		const double *v = x[s];
		d->n = n[s];
		d->mean = d->sd = d->median = d->p25 = d->p75 = d->min = d->max = NAN;
		if (n[s] == 0)
			continue;
		d->mean = mean[s];
		if (n[s] > 1) /* as gsl_stats_sd_m */
			d->sd = sqrt(variance[s] * ((double)n[s] / (double)(n[s] - 1)));
		d->median = gsl_stats_median_from_sorted_data(v, 1, n[s]);
		d->p25 = gsl_stats_quantile_from_sorted_data(v, 1, n[s], 0.25);
		d->p75 = gsl_stats_quantile_from_sorted_data(v, 1, n[s], 0.75);
		d->min = v[0];
		d->max = v[n[s] - 1];
	}
	free(order);
	free(mean);
	free(variance);
}
