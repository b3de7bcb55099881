/* retention.h - leaving and staying: attrition per calendar year and the
 * time from joining to leaving (retention). Model in, result struct out, no
 * I/O.
 *
 * An employment is a maximal run of an employee's contiguous role rows
 * (rows starting after as_of left out). It starts on the first row's start
 * and ends on the last row's end; the employee leaves on that day when it
 * is before as_of. A leaver's track and department are those of the last
 * role row.
 *
 * Attrition, per calendar year of the window (clipped to it) and for All,
 * IC and management: leavers in the period; headcount on its first and last
 * day (as tbl_split_quarter counts it); average = the mean of the two;
 * rate = leavers / average; for a partial year also the rate annualised =
 * rate x days in the calendar year / days covered (the rate itself for a
 * whole year, so that the column compares every year).
 *
 * Retention: Kaplan-Meier of the time from an employment's start to
 * leaving, with delayed entry: entry = max(0, since - start); exit = end -
 * start when it ends before as_of (the event), else as_of - start
 * (censored); no part when exit <= entry.
 */
#ifndef WR_RETENTION_H
#define WR_RETENTION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "metrics/calendar.h"
#include "metrics/ttp.h"
#include "model/career.h"
#include "stats/km.h"

#define RETENTION_CURVE_MONTHS 60

struct attrition_row {
	uint8_t group;               /* enum ttp_group: All, IC, management */
	struct period period;        /* the year, clipped to the window */
	bool partial;
	uint64_t leavers, hc_start, hc_end;
	double average;              /* (hc_start + hc_end) / 2 */
	double rate, annualised;     /* NaN when average is 0; annualised = rate for a whole year */
};

enum retention_kind { RETENTION_ALL, RETENTION_TRACK, RETENTION_DEPARTMENT };

struct retention_row {
	uint8_t show;                /* enum privacy_show */
	uint8_t kind;                /* enum retention_kind */
	uint32_t key;                /* the track, or the department (ds->strs) */
	size_t people, employments, left, left_people; /* taking part in the estimate */
	double retained[TTP_HORIZONS]; /* S at 12, 24, 36 months */
	double median, lo, hi;       /* months; NaN: not reached */
};

struct retention_params {
	wr_date since, as_of;
	enum km_ci ci;
	int min_group;               /* privacy.h's g */
};

struct retention_result {
	struct attrition_row *years; /* group-major: All years, IC years, management years */
	size_t nyears;
	struct retention_row *rows;  /* All, IC, management, then departments by name */
	size_t nrows;
	double curve[RETENTION_CURVE_MONTHS + 1][TTP_GROUPS]; /* S at month m */
	size_t curve_people[TTP_GROUPS], curve_left_people[TTP_GROUPS];
	uint8_t curve_show[TTP_GROUPS];
};

void retention_compute(const struct model *m, const struct retention_params *p,
		       struct retention_result *out);

/* Every employment (rows starting after as_of left out), by employee. The
 * caller frees *out. */
struct employment {
	uint32_t emp, department;
	wr_date start, end;   /* end: WR_DATE_OPEN while employed */
	uint8_t track;        /* of the last role row */
};
size_t retention_employments(const struct model *m, wr_date as_of, struct employment **out);

/* Headcount by track on each of dates[0..n) (ascending, see
 * model_headcount_grid): out[d * TRACK_COUNT + track]. */
void headcounts_by_track(const struct model *m, const wr_date *dates, size_t n, uint64_t *out);
void retention_release(struct retention_result *r);

#endif
