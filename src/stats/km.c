/* km.c - see km.h. One sweep over exit times sorted once; the risk set at
 * t is (entries < t) - (exits < t), kept with two pointers. O(n log n). */
#include "stats/km.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/names.h"
#include "core/sort.h"

const struct name_value km_ci_names[] = {
	{"log-log", KM_CI_LOGLOG},
	{"log", KM_CI_LOG},
	{"plain", KM_CI_PLAIN},
	{"loglog", KM_CI_LOGLOG}, /* alias */
	{NULL, 0},
};

const char *km_ci_name(enum km_ci ci)
{
	return names_name(km_ci_names, (int)ci, "log-log");
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

struct exit_rec {
	double t;
	bool event;
};

static int cmp_exit(const void *a, const void *b)
{
	const struct exit_rec *x = a, *y = b;
	if (x->t != y->t)
		return (x->t > y->t) - (x->t < y->t);
	return (int)y->event - (int)x->event; /* events first */
}

/* The band at one step. z is the normal quantile. */
static void band(struct km_step *st, enum km_ci ci, double z)
{
	double s = st->s, se = sqrt(st->greenwood); /* se of log S */
	st->lower = st->upper = NAN;
	if (s <= 0)
		return; /* Greenwood's variance is infinite once S reaches 0, as in R */
	switch (ci) {
	case KM_CI_PLAIN: {
		double h = z * se * s;
		st->lower = fmax(0.0, s - h);
		st->upper = fmin(1.0, s + h);
		break;
	}
	case KM_CI_LOG:
		st->lower = s * exp(-z * se);
		st->upper = fmin(1.0, s * exp(z * se));
		break;
	default: /* log-log: undefined where S is 1 too, as in R */
		if (s < 1) {
			double ls = log(s);	 /* < 0 */
			double w = z * se / -ls; /* half-width on the log(-log S) scale */
			double c = log(-ls);
			st->lower = exp(-exp(c + w));
			st->upper = exp(-exp(c - w));
		}
		break;
	}
}

/* Running state of the estimate while steps are added in time order. */
struct km_run {
	struct km_result *out;
	enum km_ci ci;
	double z, s, gw;
	size_t cap;
};

static void add_step(struct km_run *k, double t, uint32_t at_risk, uint32_t d)
{
	struct km_result *out = k->out;
	k->s *= 1.0 - (double)d / at_risk;
	if (at_risk > d)
		k->gw += (double)d / ((double)at_risk * (at_risk - d));
	else
		k->gw = INFINITY; /* S reached 0: Greenwood is undefined from here */
	GROW(out->steps, k->cap, out->nsteps + 1);
	struct km_step *st = &out->steps[out->nsteps++];
	*st = (struct km_step){
	    .t = t, .at_risk = at_risk, .events = d, .s = k->s, .greenwood = k->gw};
	band(st, k->ci, k->z);
	if (isnan(out->median) && k->s <= 0.5)
		out->median = t;
	if (isnan(out->median_lower) && st->lower <= 0.5)
		out->median_lower = t;
	if (isnan(out->median_upper) && st->upper <= 0.5)
		out->median_upper = t;
}

/* The observations that take part, counted; also whether every time is a
 * whole number below KM_BUCKET_MAX (then *max_time is the largest). */
#define KM_BUCKET_MAX (1u << 22)

static void start_run(enum km_ci ci, double conf, struct km_result *out, struct km_run *k)
{
	memset(out, 0, sizeof(*out));
	out->median = out->median_lower = out->median_upper = NAN;
	*k = (struct km_run){
	    .out = out, .ci = ci, .z = gsl_cdf_ugaussian_Pinv(0.5 + conf / 2), .s = 1.0, .gw = 0.0};
}

static bool start_fit(const struct km_obs *obs, size_t n, enum km_ci ci, double conf,
		      struct km_result *out, struct km_run *k, double *max_time)
{
	start_run(ci, conf, out, k);
	bool whole = true;
	*max_time = 0;
	for (size_t i = 0; i < n; i++) {
		if (!(obs[i].exit > obs[i].entry))
			continue; /* exit <= entry (or NaN): no part */
		out->used++;
		if (obs[i].event)
			out->events++;
		else
			out->censored++;
		if (obs[i].entry < 0 || obs[i].exit >= KM_BUCKET_MAX ||
		    obs[i].entry != floor(obs[i].entry) || obs[i].exit != floor(obs[i].exit))
			whole = false;
		else if (obs[i].exit > *max_time)
			*max_time = obs[i].exit;
	}
	return whole;
}

void km_fit_sorted(const struct km_obs *obs, size_t n, enum km_ci ci, double conf,
		   struct km_result *out)
{
	struct km_run k;
	double max_time;
	start_fit(obs, n, ci, conf, out, &k, &max_time);
	size_t m = out->used;
	double *entries = xmalloc(m * sizeof(*entries));
	struct exit_rec *exits = xmalloc(m * sizeof(*exits));
	size_t j = 0;
	for (size_t i = 0; i < n; i++) {
		if (!(obs[i].exit > obs[i].entry))
			continue;
		entries[j] = obs[i].entry;
		exits[j++] = (struct exit_rec){obs[i].exit, obs[i].event};
	}
	sort_items(entries, m, sizeof(*entries), cmp_double);
	sort_items(exits, m, sizeof(*exits), cmp_exit);
	size_t ie = 0, ix = 0;
	while (ix < m) {
		double t = exits[ix].t;
		size_t jx = ix;
		uint32_t d = 0;
		while (jx < m && exits[jx].t == t)
			d += exits[jx++].event;
		if (d > 0) {
			while (ie < m && entries[ie] < t)
				ie++;
			/* at risk: entered before t, not yet exited before t */
			add_step(&k, t, (uint32_t)(ie - ix), d);
		}
		ix = jx;
	}
	free(entries);
	free(exits);
}

void km_fit(const struct km_obs *obs, size_t n, enum km_ci ci, double conf, struct km_result *out)
{
	struct km_run k;
	double max_time;
	if (!start_fit(obs, n, ci, conf, out, &k, &max_time)) {
		km_fit_sorted(obs, n, ci, conf, out);
		return;
	}
	/* whole-number times (days): counts per time instead of sorting, O(n + T) */
	size_t T = (size_t)max_time + 1;
	uint32_t *enter = xcalloc(T, sizeof(*enter));
	uint32_t *ev = xcalloc(T, sizeof(*ev));
	uint32_t *gone = xcalloc(T, sizeof(*gone));
	for (size_t i = 0; i < n; i++) {
		if (!(obs[i].exit > obs[i].entry))
			continue;
		enter[(size_t)obs[i].entry]++;
		gone[(size_t)obs[i].exit]++;
		ev[(size_t)obs[i].exit] += obs[i].event;
	}
	km_fit_counts(enter, gone, ev, T, ci, conf, out);
	free(enter);
	free(ev);
	free(gone);
}

void km_fit_counts(const uint32_t *enter, const uint32_t *gone, const uint32_t *events,
		   size_t ndays, enum km_ci ci, double conf, struct km_result *out)
{
	struct km_run k;
	start_run(ci, conf, out, &k);
	uint64_t entered = 0, exited = 0; /* entries < t, exits < t */
	for (size_t t = 0; t < ndays; t++) {
		if (events[t]) {
			add_step(&k, (double)t, (uint32_t)(entered - exited), events[t]);
			out->events += events[t];
		}
		entered += enter[t];
		exited += gone[t];
	}
	out->used = (size_t)exited;
	out->censored = out->used - out->events;
}

void km_fit_days(const uint32_t *at_risk, const uint32_t *events, size_t ndays, enum km_ci ci,
		 double conf, struct km_result *out)
{
	struct km_run k;
	start_run(ci, conf, out, &k);
	for (size_t t = 0; t < ndays; t++)
		if (events[t]) {
			add_step(&k, (double)t, at_risk[t], events[t]);
			out->events += events[t];
		}
}

void km_result_release(struct km_result *r)
{
	free(r->steps);
	memset(r, 0, sizeof(*r));
}

double km_survival_at(const struct km_result *r, double t)
{
	size_t lo = 0, hi = r->nsteps;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (r->steps[mid].t <= t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo == 0 ? 1.0 : r->steps[lo - 1].s;
}
