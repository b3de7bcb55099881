/* calendar.c - see calendar.h. */
#include "metrics/calendar.h"

#include <stdbool.h>

#include <stdio.h>

#include "core/alloc.h"

size_t quarter_ends(wr_date since, wr_date as_of, bool with_as_of, wr_date **out)
{
	size_t n = 0, cap = 0;
	wr_date *v = NULL;
	for (int y = date_year(since); y <= date_year(as_of); y++) {
		for (int q = 1; q <= 4; q++) {
			wr_date end = date_add_months(date_from_ymd(y, q * 3 - 2, 1), 3) - 1;
			if (end < since || end > as_of)
				continue;
			GROW(v, cap, n + 1);
			v[n++] = end;
		}
	}
	if (with_as_of && (n == 0 || v[n - 1] != as_of)) {
		GROW(v, cap, n + 1);
		v[n++] = as_of;
	}
	*out = v;
	return n;
}

static size_t periods(wr_date since, wr_date as_of, int months, struct period **out)
{
	size_t n = 0, cap = 0;
	struct period *v = NULL;
	for (int y = date_year(since); y <= date_year(as_of); y++) {
		for (int q = 1; q <= 12 / months; q++) {
			wr_date start = date_from_ymd(y, (q - 1) * months + 1, 1);
			wr_date end = date_add_months(start, months) - 1;
			if (end < since || start > as_of)
				continue;
			GROW(v, cap, n + 1);
			v[n++] = (struct period){
				.year = y, .quarter = months == 3 ? q : 0,
				.first = start < since ? since : start,
				.last = end > as_of ? as_of : end,
				.start = start,
			};
		}
	}
	*out = v;
	return n;
}

size_t quarters_in(wr_date since, wr_date as_of, struct period **out)
{
	return periods(since, as_of, 3, out);
}

size_t years_in(wr_date since, wr_date as_of, struct period **out)
{
	return periods(since, as_of, 12, out);
}

bool period_partial(const struct period *p)
{
	wr_date end = date_add_months(p->start, p->quarter ? 3 : 12) - 1;
	return p->first != p->start || p->last != end;
}

void period_label(const struct period *p, char *buf, size_t size)
{
	const char *partial = period_partial(p) ? " (partial)" : "";
	if (p->quarter)
		snprintf(buf, size, "%d Q%d%s", p->year, p->quarter, partial);
	else
		snprintf(buf, size, "%d%s", p->year, partial);
}
