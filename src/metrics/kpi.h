/* kpi.h - the Summary's headline figures. Model in, result out, no I/O.
 *
 * Each figure has its value now and a year earlier, worked out from the
 * same history (no earlier workbook needed), and a series over the last 8
 * calendar quarters for a small trend chart:
 * - stocks (headcount, management share, ICs per manager) on the as-of
 *   date and on the same day a year earlier, and at each quarter's end;
 * - rates and estimates over the last 12 months against the 12 months
 *   before, and over each quarter.
 * A period [a, b] is the days a to b; its average headcount is the mean of
 * the headcounts at the end of day a - 1 and of day b; a quarter's rate is
 * scaled to a year by 365.25 / its days. Time to promotion and the share promoted
 * within 2 years are period estimates: only the time spent in a level
 * during the period counts (delayed entry at a, censored at b), as the
 * calendar-year rows of tbl_ttp_period do.
 *
 * The last quarter is left out of the series when fewer than
 * PERIOD_MIN_CHART_DAYS of it lie before the as-of date. Every value says
 * whether the privacy rules let it be shown (privacy.h).
 */
#ifndef WR_KPI_H
#define WR_KPI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "metrics/calendar.h"
#include "model/career.h"
#include "stats/km.h"

#define KPI_QUARTERS 8

enum kpi_id {
	KPI_HEADCOUNT,
	KPI_MANAGEMENT_SHARE,
	KPI_ICS_PER_MANAGER,
	KPI_PROMOTION_RATE,
	KPI_TIME_TO_PROMOTION,
	KPI_PROMOTED_2Y,
	KPI_ATTRITION,
	KPI_MOVEMENT,
	KPI_SECONDMENT_COMPLETION,
	KPI_INTERN_CONVERSION,
	KPI_COUNT
};

enum kpi_unit { KPI_UNIT_PEOPLE, KPI_UNIT_SHARE, KPI_UNIT_RATIO, KPI_UNIT_MONTHS };

struct kpi_value {
	double v, lo, hi;   /* lo, hi: the 95% interval where there is one, else NaN */
	uint64_t n;         /* the people behind it (the denominator, or at risk) */
	double count, average; /* a rate's events and average headcount, else 0 */
	bool shown;         /* the privacy rules allow it */
};

struct kpi {
	const char *name;   /* "Headcount" */
	const char *n_label;/* what n counts: "people", "ended secondments" */
	uint8_t unit;       /* enum kpi_unit */
	bool stock;         /* a stock (on a day) or a flow (over a period) */
	bool available;     /* its input file was provided */
	struct kpi_value now, prev;
	struct kpi_value trend[KPI_QUARTERS];
};

struct kpi_params {
	wr_date as_of;
	enum km_ci ci;
	int min_group;
};

struct kpi_result {
	struct kpi k[KPI_COUNT];
	struct period now, prev;          /* the last 12 months and the 12 before */
	struct period quarters[KPI_QUARTERS];
	size_t nquarters;                 /* the trend's quarters, oldest first */
	uint64_t quarter_ic[KPI_QUARTERS], quarter_management[KPI_QUARTERS]; /* at their ends */
	wr_date data_through;             /* the latest event date on or before as-of */
	bool stale;                       /* as-of is more than KPI_STALE_DAYS after it */
};

#define KPI_STALE_DAYS 31

/* sp: the level spells (ttp.h), collected as of p->as_of. */
struct ttp_spells;
void kpi_compute(const struct model *m, const struct ttp_spells *sp, const struct kpi_params *p,
		 struct kpi_result *out);

/* The date the data run to: counting back from the latest event date on
 * or before as_of in m->ds (role starts and ends as the model cut them,
 * promotions, transfers, secondment starts and ends, internship starts;
 * not internship ends, often planned in advance), the day by which
 * min_group events had happened, so that it is no one person's date.
 * WR_DATE_NONE when there are fewer events. */
wr_date kpi_data_through(const struct model *m, wr_date as_of, int min_group);

#endif
