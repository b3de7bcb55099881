/* calendar.h - the dates the analyses report on: quarter ends in a window,
 * calendar quarters and years clipped to it. Pure functions; the lists are
 * allocated and owned by the caller (free()). */
#ifndef WR_CALENDAR_H
#define WR_CALENDAR_H

#include <stdbool.h>
#include <stddef.h>

#include "model/date.h"

struct period {
	int year, quarter;    /* quarter 0 for a whole year */
	wr_date first, last;  /* clipped to the window, inclusive */
	wr_date start;        /* the calendar period's own first day */
};

/* Quarter ends (31 Mar, 30 Jun, 30 Sep, 31 Dec) in [since, as_of], plus
 * as_of when it is not one (when with_as_of). Ascending. */
size_t quarter_ends(wr_date since, wr_date as_of, bool with_as_of, wr_date **out);

/* Calendar quarters overlapping [since, as_of], clipped. */
size_t quarters_in(wr_date since, wr_date as_of, struct period **out);

/* Calendar years overlapping [since, as_of], clipped. */
size_t years_in(wr_date since, wr_date as_of, struct period **out);

/* Whether the window covers only part of the calendar period. */
bool period_partial(const struct period *p);

/* "2024 Q1" for a quarter, "2024" for a year; "2024 Q3 (partial)" when the
 * window covers only part of it. */
void period_label(const struct period *p, char *buf, size_t size);

/* Days of the period in the window before the chart leaves it out: a
 * quarter that has only just started says nothing yet. */
#define PERIOD_MIN_CHART_DAYS 14

/* Days in [first, last], inclusive. */
static inline double period_days(const struct period *p)
{
	return (double)(p->last - p->first + 1);
}

#endif
