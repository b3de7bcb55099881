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
 * Each row carries the number of distinct people behind it; the sheet writer
 * suppresses statistics below --min-group (counts stay).
 */
#ifndef WR_TTP_H
#define WR_TTP_H

#include <stddef.h>
#include <stdint.h>

#include "model/career.h"
#include "stats/describe.h"
#include "stats/km.h"
#include "stats/linfit.h"
#include "stats/logrank.h"

#define DAYS_PER_MONTH 30.4375
#define TTP_CURVE_MONTHS 60
#define TTP_HIST_BIN_MONTHS 3.0
#define TTP_HIST_MAX_BINS 40

struct ttp_stats {
	size_t spells, events, censored; /* taking part in the KM estimate */
	size_t km_people;                /* distinct employees among those spells */
	double km_median, km_lo, km_hi;  /* months; NaN: not reached */
	double within[3];                /* promoted within 1, 2, 3 years: 1 - S */
	struct describe observed;        /* months, over promotions in the window */
	size_t observed_people;
};

struct ttp_level_row {
	uint8_t track, level;
	uint32_t title;                  /* most common role title (ds->strs) */
	struct ttp_stats st;
};

struct ttp_department_row {
	uint32_t department;             /* ds->strs */
	struct ttp_stats st;
	bool in_logrank;                 /* false: suppressed, left out of the test */
};

struct ttp_year_row {
	int year;
	size_t promotions, people;
	double median, mean;             /* months */
};

struct ttp_params {
	wr_date since, as_of;
	enum km_ci ci;
	int min_group;                   /* departments below it stay out of the log-rank test */
};

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
	struct linfit trend;             /* months against promotion date in years */
	size_t trend_people;
	double curve[TTP_CURVE_MONTHS + 1][3]; /* 1 - S at month m: all, IC, management */
	size_t curve_people[3];
	size_t curve_event_people[3];    /* distinct people promoted in each curve */
	size_t hist[TTP_HIST_MAX_BINS];  /* observed months in 3-month bins */
	size_t nbins;                    /* the last bin is open-ended when hist_open */
	bool hist_open;
};

void ttp_compute(const struct model *m, const struct ttp_params *p, struct ttp_result *out);
void ttp_release(struct ttp_result *r);

/* Number of distinct values in ids[0..n) (sorted in place). */
size_t count_distinct(uint32_t *ids, size_t n);

#endif
