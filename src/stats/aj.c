/* aj.c - see aj.h. Two routes to the same estimate:
 *
 * - counting (aj_fit, when every time taking part is a whole number and
 *   their span is small, see counts_per_day; aj_fit_days, from the
 *   caller's counts): per day the number entering, the number exiting and
 *   the number exiting with each outcome, then one sweep up the days keeps
 *   the risk set at t as (entries < t) - (exits < t). O(n + T) time and
 *   memory, T the span in days.
 * - sorted (aj_fit_sorted, and aj_fit for any other times): the exits are
 *   sorted once by time, outcomes before censorings, and the entries once by
 *   time; one sweep up the exit times keeps the same risk set with two
 *   pointers, as km.c does. O(n log n).
 *
 * Both visit the outcome times in ascending order with the same counts and
 * update S and F in add_step, so they give the same doubles bit for bit. */
#include "stats/aj.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/sort.h"

/* The counting route takes a span of at most this many days ... */
#define AJ_BUCKET_MAX (1u << 22)
/* ... and, so that a few observations far apart do not allocate a large
 * table, at most AJ_SPAN_PER_OBS per observation beyond AJ_SPAN_FREE. */
#define AJ_SPAN_FREE 65536u
#define AJ_SPAN_PER_OBS 16u

struct exit_rec {
	double t;
	uint8_t outcome;
};

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static int cmp_exit(const void *a, const void *b)
{
	const struct exit_rec *x = a, *y = b;
	if (x->t != y->t)
		return (x->t > y->t) - (x->t < y->t);
	return (y->outcome != 0) - (x->outcome != 0); /* outcomes first */
}

/* Takes part: exit > entry (neither NaN) and an outcome in 0..k. */
static bool takes_part(const struct aj_obs *o, int k)
{
	return o->exit > o->entry && o->outcome <= k;
}

/* Fills out->k, ->used and ->events; false when there is nothing to
 * estimate (k out of range, or no outcome: S = 1, F = 0 throughout).
 * *whole tells whether every time taking part is a whole number; then *lo
 * is the smallest entry and *hi the largest exit. */
static bool start_fit(const struct aj_obs *obs, size_t n, int k, struct aj_result *out, bool *whole,
		      double *lo, double *hi)
{
	memset(out, 0, sizeof(*out));
	*whole = true;
	*lo = INFINITY;
	*hi = -INFINITY;
	if (k < 1 || k > AJ_MAX_OUTCOMES)
		return false; /* an empty result */
	out->k = k;
	for (size_t i = 0; i < n; i++) {
		const struct aj_obs *o = &obs[i];
		if (!takes_part(o, k))
			continue;
		out->used++;
		out->events[o->outcome]++;
		if (o->entry != floor(o->entry) || o->exit != floor(o->exit))
			*whole = false;
		if (o->entry < *lo)
			*lo = o->entry;
		if (o->exit > *hi)
			*hi = o->exit;
	}
	return out->used > out->events[0];
}

/* The result's arrays for ntimes outcome times. */
static void alloc_steps(struct aj_result *out, size_t ntimes)
{
	out->ntimes = ntimes;
	out->times = xmalloc(ntimes * sizeof(*out->times));
	out->surv = xmalloc(ntimes * sizeof(*out->surv));
	out->cif = xcalloc(ntimes * (size_t)out->k, sizeof(*out->cif));
}

/* Running estimate; steps are added in ascending time. */
struct aj_run {
	struct aj_result *out;
	double s, f[AJ_MAX_OUTCOMES];
	size_t step;
};

/* The outcome time t: at_risk at risk, d[c] outcomes c (1..k), dall of
 * them in all (0 < dall <= at_risk). Both routes go through here. */
static void add_step(struct aj_run *run, double t, size_t at_risk, const size_t *d, size_t dall)
{
	struct aj_result *out = run->out;
	int k = out->k;
	double n = (double)at_risk;
	for (int c = 0; c < k; c++)
		run->f[c] += run->s * (double)d[c + 1] / n;
	run->s *= 1.0 - (double)dall / n;
	out->times[run->step] = t;
	out->surv[run->step] = run->s;
	memcpy(&out->cif[run->step * (size_t)k], run->f, (size_t)k * sizeof(*run->f));
	run->step++;
}

static void fit_sorted(const struct aj_obs *obs, size_t n, struct aj_result *out)
{
	int k = out->k;
	size_t m = out->used;
	double *entries = xmalloc(m * sizeof(*entries));
	struct exit_rec *exits = xmalloc(m * sizeof(*exits));
	size_t j = 0;
	for (size_t i = 0; i < n; i++) {
		if (!takes_part(&obs[i], k))
			continue;
		entries[j] = obs[i].entry;
		exits[j++] = (struct exit_rec){obs[i].exit, obs[i].outcome};
	}
	sort_items(entries, m, sizeof(*entries), cmp_double);
	sort_items(exits, m, sizeof(*exits), cmp_exit);

	/* distinct outcome times: outcomes come first at their time */
	size_t ntimes = 0;
	for (size_t i = 0; i < m; i++)
		if (exits[i].outcome && (i == 0 || exits[i - 1].t != exits[i].t))
			ntimes++;
	alloc_steps(out, ntimes);

	struct aj_run run = {.out = out, .s = 1.0};
	size_t ie = 0, ix = 0;
	while (ix < m) {
		double t = exits[ix].t;
		size_t d[AJ_MAX_OUTCOMES + 1] = {0}, jx = ix;
		while (jx < m && exits[jx].t == t)
			d[exits[jx++].outcome]++;
		size_t dall = jx - ix - d[0];
		if (dall > 0) {
			while (ie < m && entries[ie] < t)
				ie++;
			/* at risk: entered before t, not exited before t; those with
			 * an outcome at t are among them, so at_risk >= dall > 0 */
			add_step(&run, t, ie - ix, d, dall);
		}
		ix = jx;
	}
	free(entries);
	free(exits);
}

/* Whether the counting route takes whole-number times from lo to hi (m
 * observations); then *span is hi - lo + 1, the number of days. Negative
 * days are fine: day t is counted at t - lo. hi - lo is exact when it is
 * below AJ_BUCKET_MAX (a difference of doubles that is representable is
 * computed exactly; rounding is monotone, so the test is exact too), and
 * then so is t - lo for every t in [lo, hi]. Infinite times fail the test. */
static bool counts_per_day(size_t m, double lo, double hi, size_t *span)
{
	double width = hi - lo; /* >= 1: lo is an entry, hi an exit above it */
	if (!(width < AJ_BUCKET_MAX) || m > UINT32_MAX)
		return false; /* uint32_t counts per day hold any m below 2^32 */
	*span = (size_t)width + 1;
	return *span <= AJ_SPAN_FREE || *span / AJ_SPAN_PER_OBS <= m;
}

/* The sweep of the counting route over the days [0, ndays), day t being
 * the time lo + t: enter[t] observations taking part enter on it, gone[t]
 * exit (any outcome, censored too) and outc[c - 1][t] of those with outcome
 * c in 1..k. out->k is set. */
static void sweep_days(const uint32_t *enter, const uint32_t *gone, const uint32_t *const *outc,
		       size_t ndays, double lo, struct aj_result *out)
{
	int k = out->k;
	size_t ntimes = 0;
	for (size_t day = 0; day < ndays; day++)
		for (int c = 0; c < k; c++)
			if (outc[c][day]) {
				ntimes++;
				break;
			}
	alloc_steps(out, ntimes);

	struct aj_run run = {.out = out, .s = 1.0};
	size_t entered = 0, exited = 0; /* entries < t, exits < t */
	for (size_t day = 0; day < ndays; day++) {
		size_t d[AJ_MAX_OUTCOMES + 1] = {0}, dall = 0;
		for (int c = 1; c <= k; c++) {
			d[c] = outc[c - 1][day];
			dall += d[c];
		}
		/* lo + day is exact: it is the exit time counted there (an exit
		 * of -0.0 comes back as +0.0, equal to it) */
		if (dall > 0)
			add_step(&run, lo + (double)day, entered - exited, d, dall);
		entered += enter[day];
		exited += gone[day];
	}
}

static void fit_counted(const struct aj_obs *obs, size_t n, struct aj_result *out, double lo,
			size_t span)
{
	int k = out->k;
	/* per day: entering, exiting (any outcome), exiting with outcome c */
	uint32_t *cnt = xcalloc(span * ((size_t)k + 2), sizeof(*cnt));
	uint32_t *enter = cnt, *gone = cnt + span;
	uint32_t *outc[AJ_MAX_OUTCOMES];
	for (int c = 0; c < k; c++)
		outc[c] = cnt + (2 + (size_t)c) * span;
	for (size_t i = 0; i < n; i++) {
		const struct aj_obs *o = &obs[i];
		if (!takes_part(o, k))
			continue;
		size_t exit = (size_t)(o->exit - lo);
		enter[(size_t)(o->entry - lo)]++;
		gone[exit]++;
		if (o->outcome)
			outc[o->outcome - 1][exit]++;
	}
	sweep_days(enter, gone, (const uint32_t *const *)outc, span, lo, out);
	free(cnt);
}

void aj_fit_days(const uint32_t *enter, const uint32_t *gone, const uint32_t *const *outcome,
		 size_t ndays, int k, struct aj_result *out)
{
	memset(out, 0, sizeof(*out));
	if (k < 1 || k > AJ_MAX_OUTCOMES)
		return; /* an empty result */
	out->k = k;
	size_t ended = 0;
	for (size_t day = 0; day < ndays; day++)
		out->used += gone[day];
	for (int c = 1; c <= k; c++) {
		for (size_t day = 0; day < ndays; day++)
			out->events[c] += outcome[c - 1][day];
		ended += out->events[c];
	}
	out->events[0] = out->used - ended;
	if (ended > 0)
		sweep_days(enter, gone, outcome, ndays, 0.0, out);
}

void aj_fit_sorted(const struct aj_obs *obs, size_t n, int k, struct aj_result *out)
{
	bool whole;
	double lo, hi;
	if (start_fit(obs, n, k, out, &whole, &lo, &hi))
		fit_sorted(obs, n, out);
}

void aj_fit(const struct aj_obs *obs, size_t n, int k, struct aj_result *out)
{
	bool whole;
	double lo, hi;
	size_t span;
	if (!start_fit(obs, n, k, out, &whole, &lo, &hi))
		return;
	if (whole && counts_per_day(out->used, lo, hi, &span))
		fit_counted(obs, n, out, lo, span);
	else
		fit_sorted(obs, n, out);
}

void aj_result_release(struct aj_result *r)
{
	free(r->times);
	free(r->surv);
	free(r->cif);
	memset(r, 0, sizeof(*r));
}

/* Number of outcome times <= t. */
static size_t steps_through(const struct aj_result *r, double t)
{
	size_t lo = 0, hi = r->ntimes;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (r->times[mid] <= t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

double aj_cif_at(const struct aj_result *r, int c, double t)
{
	if (c < 1 || c > r->k)
		return NAN; /* no such outcome */
	size_t j = steps_through(r, t);
	return j == 0 ? 0.0 : r->cif[(j - 1) * (size_t)r->k + (size_t)(c - 1)];
}

double aj_surv_at(const struct aj_result *r, double t)
{
	size_t j = steps_through(r, t);
	return j == 0 ? 1.0 : r->surv[j - 1];
}
