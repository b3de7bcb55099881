/* logrank.c - see logrank.h. A sweep over distinct event times like km.c,
 * with per-group risk counts. O(n log n + T k^2) for T event times. */
#include "stats/logrank.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_vector.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/sort.h"

struct rec {
	double t;
	size_t g;
	bool event;
};

static int cmp_rec(const void *a, const void *b)
{
	const struct rec *x = a, *y = b;
	return (x->t > y->t) - (x->t < y->t);
}

/* O - E and its covariance, summed over event times. */
struct acc {
	size_t k;
	double *o, *e, *v; /* per group; v is k x k */
	double *risk, *d;  /* at the current time */
	double total_risk;
};

/* An accumulator for k groups, all sums zero. */
static void acc_init(struct acc *a, size_t k)
{
	*a = (struct acc){
	    .k = k,
	    .o = xcalloc(k ? k : 1, sizeof(*a->o)),
	    .e = xcalloc(k ? k : 1, sizeof(*a->e)),
	    .v = xcalloc(k ? k * k : 1, sizeof(*a->v)),
	    .risk = xcalloc(k ? k : 1, sizeof(*a->risk)),
	    .d = xcalloc(k ? k : 1, sizeof(*a->d)),
	};
}

static void acc_release(struct acc *a)
{
	free(a->o);
	free(a->e);
	free(a->v);
	free(a->risk);
	free(a->d);
}

static void accumulate(struct acc *a, double dt)
{
	double nt = a->total_risk;
	size_t k = a->k;
	for (size_t g = 0; g < k; g++) {
		a->o[g] += a->d[g];
		a->e[g] += dt * a->risk[g] / nt;
	}
	if (nt > 1) {
		double f = dt * (nt - dt) / (nt - 1);
		for (size_t g = 0; g < k; g++)
			for (size_t h = 0; h < k; h++)
				a->v[g * k + h] += f * (a->risk[g] / nt) *
						   ((g == h ? 1.0 : 0.0) - a->risk[h] / nt);
	}
}

/* Whole-number times, small enough for per-day arrays of every group. */
static bool whole_times(const struct rec *entries, const struct rec *exits, size_t m, size_t k)
{
	double max = 0;
	for (size_t i = 0; i < m; i++) {
		if (entries[i].t < 0 || entries[i].t != floor(entries[i].t) ||
		    exits[i].t != floor(exits[i].t))
			return false;
		if (exits[i].t > max)
			max = exits[i].t;
	}
	return (max + 1) * (double)(k ? k : 1) <= 32.0 * 1024 * 1024;
}

/* The whole-day sweep: per day t in [0, ndays), the events of each group
 * (when any) then the risk sets' change, from per-group counts. */
static void sweep_days(struct acc *acc, const uint32_t *const *enter, const uint32_t *const *gone,
		       const uint32_t *const *events, size_t ndays)
{
	size_t k = acc->k;
	for (size_t t = 0; t < ndays; t++) {
		uint32_t nev = 0;
		for (size_t g = 0; g < k; g++)
			nev += events[g][t];
		if (nev) {
			double dt = 0;
			for (size_t g = 0; g < k; g++) {
				acc->d[g] = events[g][t];
				dt += acc->d[g];
			}
			accumulate(acc, dt);
		}
		for (size_t g = 0; g < k; g++) {
			double change = (double)enter[g][t] - gone[g][t];
			acc->risk[g] += change;
			acc->total_risk += change;
		}
	}
}

/* The test from O - E and V summed over the event times, for the groups
 * with present[g] observations; observed and expected as logrank_test's. */
static void finish(const struct acc *acc, const size_t *present, struct logrank_result *out,
		   double *observed, double *expected);

void logrank_test(const struct km_obs *obs, const size_t *group, size_t n, size_t ngroups,
		  struct logrank_result *out, double *observed, double *expected)
{
	memset(out, 0, sizeof(*out));
	out->chisq = out->p = NAN;
	struct rec *entries = xmalloc(n * sizeof(*entries));
	struct rec *exits = xmalloc(n * sizeof(*exits));
	size_t m = 0;
	size_t *present = xcalloc(ngroups ? ngroups : 1, sizeof(*present));
	for (size_t i = 0; i < n; i++) {
		if (!(obs[i].exit > obs[i].entry))
			continue;
		entries[m] = (struct rec){obs[i].entry, group[i], false};
		exits[m] = (struct rec){obs[i].exit, group[i], obs[i].event};
		present[group[i]]++;
		m++;
	}
	size_t k = ngroups;
	struct acc acc;
	acc_init(&acc, k);
	double *risk = acc.risk, *d = acc.d;

	if (whole_times(entries, exits, m, k)) {
		/* whole days: per-day counts per group, no sort; O(n + T k) */
		size_t T = 0;
		for (size_t i = 0; i < m; i++)
			if ((size_t)exits[i].t + 1 > T)
				T = (size_t)exits[i].t + 1;
		uint32_t *cnt = xcalloc(3 * T * (k ? k : 1), sizeof(*cnt));
		const uint32_t **enter = xmalloc(3 * (k ? k : 1) * sizeof(*enter));
		const uint32_t **gone = enter + k, **ev = enter + 2 * k;
		for (size_t g = 0; g < k; g++) {
			enter[g] = cnt + g * T;
			gone[g] = cnt + (k + g) * T;
			ev[g] = cnt + (2 * k + g) * T;
		}
		for (size_t i = 0; i < m; i++) {
			cnt[entries[i].g * T + (size_t)entries[i].t]++;
			cnt[(k + exits[i].g) * T + (size_t)exits[i].t]++;
			cnt[(2 * k + exits[i].g) * T + (size_t)exits[i].t] += exits[i].event;
		}
		sweep_days(&acc, enter, gone, ev, T);
		free(enter);
		free(cnt);
	} else {
		sort_items(entries, m, sizeof(*entries), cmp_rec);
		sort_items(exits, m, sizeof(*exits), cmp_rec);
		size_t ie = 0, ix = 0;
		while (ix < m) {
			double t = exits[ix].t;
			while (ie < m && entries[ie].t < t) {
				risk[entries[ie].g]++;
				acc.total_risk++;
				ie++;
			}
			size_t j = ix;
			double dt = 0;
			memset(d, 0, k * sizeof(*d));
			while (j < m && exits[j].t == t) {
				if (exits[j].event) {
					d[exits[j].g]++;
					dt++;
				}
				j++;
			}
			if (dt > 0)
				accumulate(&acc, dt);
			for (size_t q = ix; q < j; q++) { /* leave the risk set after t */
				risk[exits[q].g]--;
				acc.total_risk--;
			}
			ix = j;
		}
	}

	finish(&acc, present, out, observed, expected);
	acc_release(&acc);
	free(present);
	free(entries);
	free(exits);
}

static void finish(const struct acc *acc, const size_t *present, struct logrank_result *out,
		   double *observed, double *expected)
{
	size_t k = acc->k;
	const double *o = acc->o, *e = acc->e, *v = acc->v;
	/* groups that take part: at risk at some event time (E > 0), as R's
	 * survdiff; a group never at risk would make V singular. The last one
	 * is left out of U. */
	size_t *idx = xmalloc(k * sizeof(*idx));
	size_t kp = 0;
	for (size_t g = 0; g < k; g++)
		if (present[g] && e[g] > 0)
			idx[kp++] = g;
	out->groups = kp;
	if (kp >= 2) {
		size_t r = kp - 1;
		gsl_matrix *V = gsl_matrix_alloc(r, r);
		gsl_vector *U = gsl_vector_alloc(r);
		gsl_vector *x = gsl_vector_alloc(r);
		for (size_t a = 0; a < r; a++) {
			gsl_vector_set(U, a, o[idx[a]] - e[idx[a]]);
			for (size_t b = 0; b < r; b++)
				gsl_matrix_set(V, a, b, v[idx[a] * k + idx[b]]);
		}
		/* V is symmetric positive definite unless a group never was at risk
		 * at an event time; then the test is not defined */
		if (gsl_linalg_cholesky_decomp1(V) == GSL_SUCCESS &&
		    gsl_linalg_cholesky_solve(V, U, x) == GSL_SUCCESS) {
			double chisq = 0;
			for (size_t a = 0; a < r; a++)
				chisq += gsl_vector_get(U, a) * gsl_vector_get(x, a);
			if (isfinite(chisq) && chisq >= 0) {
				out->chisq = chisq;
				out->df = (int)r;
				out->p = gsl_cdf_chisq_Q(chisq, (double)r);
			}
		}
		gsl_matrix_free(V);
		gsl_vector_free(U);
		gsl_vector_free(x);
	}
	if (observed)
		memcpy(observed, o, k * sizeof(*o));
	if (expected)
		memcpy(expected, e, k * sizeof(*e));
	free(idx);
}

void logrank_test_days(const uint32_t *const *enter, const uint32_t *const *gone,
		       const uint32_t *const *events, size_t ngroups, size_t ndays,
		       struct logrank_result *out, double *observed, double *expected)
{
	memset(out, 0, sizeof(*out));
	out->chisq = out->p = NAN;
	size_t k = ngroups;
	size_t *present = xcalloc(k ? k : 1, sizeof(*present));
	for (size_t g = 0; g < k; g++)
		for (size_t t = 0; t < ndays; t++)
			present[g] += gone[g][t];
	struct acc acc;
	acc_init(&acc, k);
	sweep_days(&acc, enter, gone, events, ndays);
	finish(&acc, present, out, observed, expected);
	acc_release(&acc);
	free(present);
}
