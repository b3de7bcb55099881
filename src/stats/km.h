/* km.h - Kaplan-Meier estimation with delayed entry (left truncation),
 * Greenwood's variance and pointwise confidence bands, as R's
 * survfit(Surv(entry, exit, event) ~ 1) computes them.
 *
 * Preconditions: times are whole numbers (days) or any doubles; an
 * observation is at risk at time t when entry < t <= exit; observations with
 * exit <= entry take no part. At equal times events come before censorings
 * (a censored observation is still at risk at its own time).
 *
 * km_fit allocates result->steps; km_result_release frees them. Pure
 * otherwise: no I/O, no global state.
 */
#ifndef WR_KM_H
#define WR_KM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "core/names.h"

struct km_obs {
	double entry, exit;
	bool event;
};

enum km_ci {
	KM_CI_LOGLOG, /* log(-log S) scale: R's conf.type = "log-log" (the default here) */
	KM_CI_LOG,    /* log S scale: R's default "log" */
	KM_CI_PLAIN   /* S itself, clipped to [0, 1] */
};

struct km_step {
	double t;             /* an event time */
	uint32_t at_risk, events;
	double s;             /* S(t), right after the events at t */
	double greenwood;     /* sum of d / (n (n - d)) up to t: Var(log S) */
	double lower, upper;  /* pointwise band; NaN where undefined */
};

struct km_result {
	struct km_step *steps;
	size_t nsteps;
	size_t used;          /* observations taking part (exit > entry) */
	size_t events, censored;
	double median;        /* smallest t with S(t) <= 0.5; NaN if never */
	double median_lower;  /* first t where the band's lower limit <= 0.5; NaN if never */
	double median_upper;  /* first t where the band's upper limit <= 0.5; NaN if never */
};

/* Fit. conf is the confidence level (0.95). obs is not modified. Whole
 * numbers of days are counted per day, O(n + T); other times are sorted,
 * O(n log n) (km_fit_sorted, the same estimate by another route). */
void km_fit(const struct km_obs *obs, size_t n, enum km_ci ci, double conf,
	    struct km_result *out);
void km_fit_sorted(const struct km_obs *obs, size_t n, enum km_ci ci, double conf,
		   struct km_result *out);
/* The same estimate from counts per whole day t in [0, ndays): enter[t]
 * observations taking part (exit > entry) with entry t, gone[t] with exit
 * t, events[t] of those with an event. Sets ->used, ->events and
 * ->censored as km_fit does; km_fit counts whole days this way. O(ndays). */
void km_fit_counts(const uint32_t *enter, const uint32_t *gone, const uint32_t *events,
		   size_t ndays, enum km_ci ci, double conf, struct km_result *out);
/* The same estimate from counts per whole day, for callers that count risk
 * sets themselves: at_risk[t] observations with entry < t <= exit and
 * events[t] events at t, t in [0, ndays); at_risk[t] >= events[t]. Only
 * ->events of the counts is set (->used and ->censored stay 0). O(ndays). */
void km_fit_days(const uint32_t *at_risk, const uint32_t *events, size_t ndays, enum km_ci ci,
		 double conf, struct km_result *out);
void km_result_release(struct km_result *r);

/* S(t): 1 before the first event time, else S at the last event time <= t. */
double km_survival_at(const struct km_result *r, double t);

/* The band types' names (--km-ci, the About sheet): "log-log", "log",
 * "plain", and the alias "loglog". */
extern const struct name_value km_ci_names[];
const char *km_ci_name(enum km_ci ci);

#endif
