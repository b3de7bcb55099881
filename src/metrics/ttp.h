/* ttp.h - time to promotion: censoring-aware (Kaplan-Meier with delayed
 * entry) beside the naive "observed" figure over those promoted, by level,
 * department and year. Model in, result struct out, no I/O.
 *
 * Over the window [since, as_of], every level spell that overlaps it is an
 * observation, in days since the spell started:
 *   entry = max(0, since - start);
 *   exit  = d - start for a spell matched by a promotion on day d in the
 *           window (an event), else min(end, as_of) - start (censored);
 *   a spell with exit <= entry takes no part.
 * Observed time to promotion: d - start over promotions with since <= d <=
 * as_of that matched a spell. Figures are in months (days / 30.4375).
 *
 * A spell taking part ends promoted (the event), moved (it ends before
 * as_of and a contiguous role row follows: a track switch, a level change
 * without a promotion row), left (it ends before as_of and no contiguous
 * row follows) or is still in level (censored at as_of). ttp_outcomes.c
 * gives their cumulative incidence (Aalen-Johansen), ttp_period.c the
 * calendar-year periods and the Cox trend.
 *
 * Each row carries the number of distinct people behind it; the sheet writer
 * suppresses statistics below --min-group (counts stay).
 */
#ifndef WR_TTP_H
#define WR_TTP_H

#include <stddef.h>
#include <stdint.h>

#include "model/career.h"
#include "metrics/calendar.h"
#include "metrics/units.h"
#include "stats/cox.h"
#include "stats/describe.h"
#include "stats/km.h"
#include "stats/logrank.h"

#define TTP_CURVE_MONTHS 60
#define TTP_HIST_BIN_MONTHS 3.0
#define TTP_HIST_MAX_BINS 40
#define TTP_HORIZONS 3               /* 12, 24 and 36 months */
#define TTP_OUTCOME_CURVE_MONTHS 48

/* The rows "All", "IC", "Management" of the by-track tables. */
enum ttp_group { TTP_GROUP_ALL, TTP_GROUP_IC, TTP_GROUP_MANAGEMENT, TTP_GROUPS };
const char *ttp_group_name(enum ttp_group g);

/* Days in 12, 24, 36 months: 365.25, 730.5, 1095.75. */
static inline double ttp_horizon_days(int h)
{
	return 12.0 * (h + 1) * DAYS_PER_MONTH;
}

/* The median of a Kaplan-Meier fit and its band, in months (NaN: not
 * reached). */
static inline void km_median_months(const struct km_result *r, double *median, double *lo,
				    double *hi)
{
	*median = r->median / DAYS_PER_MONTH;
	*lo = r->median_lower / DAYS_PER_MONTH;
	*hi = r->median_upper / DAYS_PER_MONTH;
}

/* How a level spell taking part in the estimate ends. */
enum spell_outcome {
	SPELL_STILL = 0,  /* censored at the as-of date (or promoted after it) */
	SPELL_PROMOTED,   /* a promotion in the window: the event */
	SPELL_MOVED,      /* ends before as-of, a contiguous role row follows */
	SPELL_LEFT,       /* ends before as-of, no contiguous role row follows */
	SPELL_OUTCOMES
};

struct ttp_stats {
	uint8_t show;                    /* enum privacy_show: what may be shown */
	size_t spells, events, censored; /* taking part in the KM estimate */
	size_t km_people;                /* distinct employees among those spells */
	double km_median, km_lo, km_hi;  /* months; NaN: not reached */
	double within[3];                /* promoted within 1, 2, 3 years: 1 - S */
	struct describe observed;        /* months, over promotions in the window; mean
					  * and SD rounded (privacy.h rule 3) */
	size_t observed_people;
};

struct ttp_level_row {
	uint8_t track, level;
	struct ttp_stats st;
};

struct ttp_department_row {
	uint32_t department;             /* ds->strs */
	struct ttp_stats st;
	bool in_logrank;                 /* false: suppressed, left out of the test */
};

struct ttp_year_row {
	uint8_t show;
	int year;
	size_t promotions, people;
	double median, mean;             /* months */
};

/* One calendar year of the window for one group (period analysis): the
 * spells' episodes in that year, see ttp_period.c. */
struct ttp_period_row {
	uint8_t show;
	uint8_t group;                   /* enum ttp_group */
	struct period period;            /* the year, clipped to the window */
	bool partial;                    /* the window covers part of the year */
	size_t episodes, events, people, event_people;
	double km_median, km_lo, km_hi;  /* months; NaN: not reached */
	double within[2];                /* 1 - S at 12 and 24 months */
};

/* The calendar trend: a Cox model of the year episodes with the year as
 * covariate, stratified by track x level. */
enum ttp_verdict { TREND_NONE, TREND_SOONER, TREND_LATER, TREND_NOT_COMPUTED };

struct ttp_trend_row {
	uint8_t show;
	uint8_t group;                   /* enum ttp_group */
	size_t episodes, events, people, event_people;
	struct cox_result cox;
	enum ttp_verdict verdict;        /* sooner / later only when p < 0.05 */
};

/* Competing outcomes of the spells of one level (or all levels): the
 * Aalen-Johansen cumulative incidence at 12, 24, 36 months. */
struct ttp_outcome_row {
	uint8_t show;
	bool all;                        /* the All levels row */
	uint8_t track, level;
	size_t spells, people, outcome_people; /* outcome_people: distinct people with
						* an outcome other than still in level */
	size_t people_by[3];             /* distinct people promoted, moved, left */
	uint8_t show_by[3];              /* each outcome's incidence: SHOW_KM when g
					  * people had that outcome (privacy.h rule 5) */
	size_t counts[SPELL_OUTCOMES];
	double cif[TTP_HORIZONS][3];     /* [horizon][promoted, moved, left] */
};

struct ttp_params {
	wr_date since, as_of;
	enum km_ci ci;
	int min_group;                   /* privacy.h's g; departments below it stay out of the
					  * log-rank test */
	wr_date prev_as_of;              /* the previous quarterly release (privacy.h rule 8),
					  * or WR_DATE_NONE */
};

/* The as-of date of the previous quarter's release: three months earlier,
 * month ends kept (2026-06-30 -> 2026-03-31). */
wr_date ttp_previous_quarter(wr_date as_of);

struct ttp_result {
	struct ttp_level_row *levels;    /* career order: IC 1.., then management */
	size_t nlevels;
	struct ttp_stats all;
	struct ttp_department_row *departments; /* by name */
	size_t ndepartments;
	struct logrank_result logrank;
	size_t logrank_left_out;         /* departments below min_group */
	struct ttp_year_row *years;      /* every calendar year of the window */
	size_t nyears;
	struct ttp_period_row *periods;  /* group-major: All years, IC years, management years */
	size_t nperiods;
	struct ttp_trend_row trend[TTP_GROUPS];
	struct ttp_outcome_row *outcomes;/* career order, then All levels */
	size_t noutcomes;
	/* cumulative incidence over all spells at month m: promoted, moved,
	 * left, and still in level (S) */
	double outcome_curve[TTP_OUTCOME_CURVE_MONTHS + 1][SPELL_OUTCOMES];
	double curve[TTP_CURVE_MONTHS + 1][3]; /* 1 - S at month m: all, IC, management */
	size_t curve_people[3];
	size_t curve_event_people[3];    /* distinct people promoted in each curve */
	size_t hist[TTP_HIST_MAX_BINS];  /* observed months in 3-month bins */
	size_t nbins;                    /* the last bin is open-ended when hist_open */
	bool hist_open;
	/* the bins as shown: runs of bins merged until each holds 0 or
	 * min_group promotions (privacy.h rule 6) */
	size_t run_first[TTP_HIST_MAX_BINS];
	uint64_t run_count[TTP_HIST_MAX_BINS];
	size_t nruns;
	uint8_t curve_show[3];           /* tbl_ttp_curve's columns */
};

/* What the analyses read of each level spell as of an as-of date, worked
 * out once: its promotion's day, its department and how it ends. Time to
 * promotion and the headline figures each take the window they need from
 * it and the model. The pipeline collects it once, before the analyses,
 * and hands it to each of them to read only (they may run at the same
 * time); it must be collected as of their as-of date. */
struct ttp_spell;
struct ttp_spells {
	struct ttp_spell *v;             /* one per m->spells, same index */
	wr_date as_of;
};

void ttp_spells_collect(const struct model *m, wr_date as_of, struct ttp_spells *out);
void ttp_spells_release(struct ttp_spells *sp);

/* The tables over the window [p->since, p->as_of]; sp collected as of
 * p->as_of. */
void ttp_compute(const struct model *m, const struct ttp_spells *sp, const struct ttp_params *p,
		 struct ttp_result *out);
void ttp_release(struct ttp_result *r);

/* Number of distinct values in ids[0..n) (sorted in place). */
size_t count_distinct(uint32_t *ids, size_t n);

#endif
