/* cox.c - see cox.h. The observations taking part are put in order once,
 * within each stratum by exit and by entry, with a radix sort (a counting
 * sort on each byte of the key: no comparator, no global state). Each Newton
 * step then sweeps every stratum from its last exit time down: an
 * observation joins the risk set when exit >= t and leaves it when
 * entry >= t, so the sums S0, S1, S2 over the risk set are updated in O(1)
 * per observation and a step costs O(n). Memory: two uint32 index arrays
 * (a third while sorting) and one entry per stratum. */
#include "stats/cox.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"

#define COX_EPS 1e-9	   /* relative change in the log likelihood: R's coxph.control() */
#define COX_MAX_ITER 20	   /* R's coxph.control(iter.max) */
#define COX_INFO_TOL 1e-10 /* information below this share of sum d S2/S0 is zero */

enum sort_key { KEY_STRATUM, KEY_EXIT, KEY_ENTRY };

/* An unsigned key in the same order as the field: flipping the sign bit
 * puts negative days before positive ones. */
static uint32_t key_of(const struct cox_obs *o, enum sort_key k)
{
	switch (k) {
	case KEY_EXIT:
		return (uint32_t)o->exit ^ 0x80000000u;
	case KEY_ENTRY:
		return (uint32_t)o->entry ^ 0x80000000u;
	default:
		return o->stratum;
	}
}

/* Sort idx[0..m) stably by key k of the observation each names: a counting
 * sort on each byte of the key, least significant first, skipping a byte
 * that is the same in every key. tmp has room for m indices. */
static void radix_sort(const struct cox_obs *obs, uint32_t *idx, uint32_t *tmp, size_t m,
		       enum sort_key k)
{
	if (m < 2)
		return;
	size_t count[4][256];
	memset(count, 0, sizeof(count));
	for (size_t i = 0; i < m; i++) {
		uint32_t key = key_of(&obs[idx[i]], k);
		for (int b = 0; b < 4; b++)
			count[b][(key >> (8 * b)) & 0xffu]++;
	}
	uint32_t first = key_of(&obs[idx[0]], k);
	uint32_t *src = idx, *dst = tmp;
	for (int b = 0; b < 4; b++) {
		size_t *c = count[b];
		if (c[(first >> (8 * b)) & 0xffu] == m)
			continue; /* every key has this byte */
		size_t pos = 0;
		for (int v = 0; v < 256; v++) {
			size_t here = c[v];
			c[v] = pos;
			pos += here;
		}
		for (size_t i = 0; i < m; i++) {
			uint32_t j = src[i];
			dst[c[(key_of(&obs[j], k) >> (8 * b)) & 0xffu]++] = j;
		}
		uint32_t *swap = src;
		src = dst;
		dst = swap;
	}
	if (src != idx)
		memcpy(idx, src, m * sizeof(*idx));
}

/* What every Newton step reads: the observations taking part, in order. */
struct cox_work {
	const struct cox_obs *obs;
	uint32_t *by_exit;  /* by (stratum, exit) */
	uint32_t *by_entry; /* by (stratum, entry) */
	uint32_t *ends;	    /* end of each stratum's run in both arrays */
	size_t nstrata;
	double xmean; /* x is centred on its mean over the observations taking part */
};

/* The partial likelihood and its derivatives at one beta. scale, the sum of
 * d S2/S0, tells a zero information from rounding noise. */
struct cox_eval {
	double loglik, score, info, scale;
};

static void add_stratum(const struct cox_work *w, double beta, size_t lo, size_t hi,
			struct cox_eval *e)
{
	const struct cox_obs *obs = w->obs;
	double s0 = 0, s1 = 0, s2 = 0;
	size_t at_risk = 0;
	size_t ix = hi, ie = hi; /* by_exit[ix..hi) have joined, by_entry[ie..hi) left */
	while (ix > lo) {
		int32_t t = obs[w->by_exit[ix - 1]].exit;
		size_t d = 0;
		double xsum = 0; /* of those with an event at t */
		while (ix > lo && obs[w->by_exit[ix - 1]].exit == t) {
			const struct cox_obs *o = &obs[w->by_exit[--ix]];
			double x = o->x - w->xmean, r = exp(beta * x);
			s0 += r;
			s1 += r * x;
			s2 += r * x * x;
			at_risk++;
			if (o->event) {
				d++;
				xsum += x;
			}
		}
		/* entry >= t: not at risk at t (nor at any earlier time) */
		while (ie > lo && obs[w->by_entry[ie - 1]].entry >= t) {
			const struct cox_obs *o = &obs[w->by_entry[--ie]];
			double x = o->x - w->xmean, r = exp(beta * x);
			s0 -= r;
			s1 -= r * x;
			s2 -= r * x * x;
			at_risk--;
		}
		if (at_risk == 0) {
			s0 = s1 = s2 = 0; /* no rounding left over from those who left */
			continue;
		}
		if (d == 0)
			continue;
		/* an observation with an event at t is at risk at t: s0 > 0 */
		double m1 = s1 / s0, m2 = s2 / s0;
		e->loglik += beta * xsum - (double)d * log(s0);
		e->score += xsum - (double)d * m1;
		e->info += (double)d * (m2 - m1 * m1);
		e->scale += (double)d * m2;
	}
}

static void evaluate_obs(const void *ctx, double beta, struct cox_eval *e)
{
	const struct cox_work *w = ctx;
	*e = (struct cox_eval){0};
	size_t lo = 0;
	for (size_t s = 0; s < w->nstrata; s++) {
		add_stratum(w, beta, lo, w->ends[s], e);
		lo = w->ends[s];
	}
}

static bool eval_finite(const struct cox_eval *e)
{
	return isfinite(e->loglik) && isfinite(e->score) && isfinite(e->info);
}

/* Newton-Raphson from beta = 0 as R's coxph does it: a step that lowers the
 * log likelihood (or overflows) is halved back towards the last good beta;
 * converged when the log likelihood changes by at most COX_EPS of itself
 * after a full step. On success *beta and *e are the estimate and the
 * derivatives there. */
typedef void eval_fn(const void *ctx, double beta, struct cox_eval *e);

static bool newton(eval_fn *evaluate, const void *w, struct cox_result *out, double *beta,
		   struct cox_eval *e)
{
	evaluate(w, 0, e);
	out->loglik0 = e->loglik;
	if (!eval_finite(e) || !(e->info > COX_INFO_TOL * e->scale))
		return false; /* x constant within every risk set with an event */
	double last = 0, last_lik = e->loglik;
	double next = e->score / e->info;
	bool halving = false;
	for (out->iterations = 1; out->iterations <= COX_MAX_ITER; out->iterations++) {
		evaluate(w, next, e);
		bool finite = eval_finite(e);
		if (finite && !halving && fabs(e->loglik - last_lik) <= COX_EPS * fabs(e->loglik)) {
			*beta = next;
			return true;
		}
		if (out->iterations == COX_MAX_ITER)
			break;
		if (!finite || e->loglik < last_lik) {
			halving = true;
			next = (next + last) / 2;
		} else {
			if (!(e->info > 0))
				break; /* the information vanished: beta runs off to infinity */
			halving = false;
			last = next;
			last_lik = e->loglik;
			next = last + e->score / e->info;
		}
	}
	return false;
}

static void set_figures(struct cox_result *out, double beta, double info, double conf)
{
	double se = 1 / sqrt(info);
	double q = gsl_cdf_ugaussian_Pinv(0.5 + conf / 2);
	out->beta = beta;
	out->se = se;
	out->hr = exp(beta);
	out->z = beta / se;
	out->p = 2 * gsl_cdf_ugaussian_Q(fabs(out->z));
	if (isfinite(q) && q > 0) {
		out->hr_lo = exp(beta - q * se);
		out->hr_hi = exp(beta + q * se);
	} else {
		out->hr_lo = out->hr_hi = NAN; /* conf outside (0, 1) */
	}
}

static void start_result(struct cox_result *out)
{
	*out = (struct cox_result){.ok = false,
				   .beta = NAN,
				   .se = NAN,
				   .hr = NAN,
				   .hr_lo = NAN,
				   .hr_hi = NAN,
				   .z = NAN,
				   .p = NAN,
				   .loglik0 = NAN,
				   .loglik = NAN};
}

static void finish(struct cox_result *out, bool converged, double beta, const struct cox_eval *e,
		   double conf)
{
	if (!converged || !isfinite(beta) || !(e->info > 0) || !isfinite(out->loglik0)) {
		out->loglik0 = NAN;
		return;
	}
	out->ok = true;
	out->loglik = e->loglik;
	set_figures(out, beta, e->info, conf);
}

void cox_fit(const struct cox_obs *obs, size_t n, double conf, struct cox_result *out)
{
	start_result(out);
	double xsum = 0;
	for (size_t i = 0; i < n; i++) {
		if (obs[i].exit <= obs[i].entry)
			continue;
		out->used++;
		out->events += obs[i].event;
		xsum += obs[i].x;
	}
	size_t m = out->used;
	if (out->events == 0 || m > UINT32_MAX)
		return;

	struct cox_work w = {.obs = obs, .xmean = xsum / (double)m};
	w.by_exit = xmalloc(m * sizeof(*w.by_exit));
	w.by_entry = xmalloc(m * sizeof(*w.by_entry));
	uint32_t *tmp = xmalloc(m * sizeof(*tmp));
	size_t j = 0;
	for (size_t i = 0; i < n; i++)
		if (obs[i].exit > obs[i].entry)
			w.by_exit[j++] = (uint32_t)i;
	memcpy(w.by_entry, w.by_exit, m * sizeof(*w.by_entry));
	/* least significant key first: the stable sort by stratum keeps the
	 * time order within each stratum */
	radix_sort(obs, w.by_exit, tmp, m, KEY_EXIT);
	radix_sort(obs, w.by_exit, tmp, m, KEY_STRATUM);
	radix_sort(obs, w.by_entry, tmp, m, KEY_ENTRY);
	radix_sort(obs, w.by_entry, tmp, m, KEY_STRATUM);
	free(tmp);
	for (size_t i = 1; i <= m; i++)
		if (i == m || obs[w.by_exit[i]].stratum != obs[w.by_exit[i - 1]].stratum)
			w.nstrata++;
	w.ends = xmalloc(w.nstrata * sizeof(*w.ends));
	for (size_t i = 1, s = 0; i <= m; i++)
		if (i == m || obs[w.by_exit[i]].stratum != obs[w.by_exit[i - 1]].stratum)
			w.ends[s++] = (uint32_t)i;

	double beta;
	struct cox_eval e;
	bool converged = newton(evaluate_obs, &w, out, &beta, &e);
	free(w.by_exit);
	free(w.by_entry);
	free(w.ends);
	finish(out, converged, beta, &e, conf);
}

/* Risk sets counted by covariate value (cox_fit_counts). */
struct cox_table {
	const uint32_t *at_risk, *events;
	size_t nrows;
	int k;
	double xmean; /* x is centred: any constant gives the same fit */
	double *x, *r; /* scratch, k each: x - xmean and exp(beta (x - xmean)) */
};

static void evaluate_counts(const void *ctx, double beta, struct cox_eval *e)
{
	const struct cox_table *w = ctx;
	*e = (struct cox_eval){0};
	double *r = w->r, *x = w->x; /* exp(beta x) once per step, not per row */
	for (int v = 0; v < w->k; v++) {
		x[v] = (double)v - w->xmean;
		r[v] = exp(beta * x[v]);
	}
	for (size_t j = 0; j < w->nrows; j++) {
		const uint32_t *n = w->at_risk + j * (size_t)w->k, *d = w->events + j * (size_t)w->k;
		double s0 = 0, s1 = 0, s2 = 0, xsum = 0, dsum = 0;
		for (int v = 0; v < w->k; v++) {
			double nr = (double)n[v] * r[v];
			s0 += nr;
			s1 += nr * x[v];
			s2 += nr * x[v] * x[v];
			xsum += (double)d[v] * x[v];
			dsum += (double)d[v];
		}
		if (dsum == 0 || s0 <= 0)
			continue;
		double m1 = s1 / s0, m2 = s2 / s0;
		e->loglik += beta * xsum - dsum * log(s0);
		e->score += xsum - dsum * m1;
		e->info += dsum * (m2 - m1 * m1);
		e->scale += dsum * m2;
	}
}

void cox_fit_counts(const uint32_t *at_risk, const uint32_t *events, size_t nrows, int k,
		    double conf, struct cox_result *out)
{
	start_result(out);
	if (k < 1)
		return;
	double xsum = 0, nsum = 0;
	for (size_t j = 0; j < nrows; j++)
		for (int v = 0; v < k; v++) {
			out->events += events[j * (size_t)k + (size_t)v];
			nsum += at_risk[j * (size_t)k + (size_t)v];
			xsum += (double)v * at_risk[j * (size_t)k + (size_t)v];
		}
	if (out->events == 0)
		return;
	struct cox_table w = {.at_risk = at_risk, .events = events, .nrows = nrows, .k = k,
			      .xmean = xsum / nsum};
	w.x = xmalloc(2 * (size_t)k * sizeof(*w.x));
	w.r = w.x + k;
	double beta;
	struct cox_eval e;
	bool converged = newton(evaluate_counts, &w, out, &beta, &e);
	free(w.x);
	finish(out, converged, beta, &e, conf);
}
