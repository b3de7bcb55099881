/* retention.c - see retention.h. */
#include "metrics/retention.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "metrics/privacy.h"
#include "metrics/ttp_spells.h"

/* The number of dates[0..n) (ascending) before a day, from a table of the
 * days from the first date to the last (valid dates, years 1900 to 9999,
 * span fewer than 3 million days). */
struct date_table {
	const wr_date *dates;
	size_t n;
	uint32_t *at; /* [day - dates[0]] */
};

static void date_table_init(struct date_table *x, const wr_date *dates, size_t n)
{
	*x = (struct date_table){.dates = dates, .n = n};
	if (n == 0)
		return;
	size_t days = (size_t)(dates[n - 1] - dates[0]) + 1;
	x->at = xmalloc(days * sizeof(*x->at));
	size_t i = 0;
	for (size_t d = 0; d < days; d++) {
		while (i < n && dates[i] < dates[0] + (wr_date)d)
			i++;
		x->at[d] = (uint32_t)i;
	}
}

static size_t dates_before(const struct date_table *x, wr_date day)
{
	if (x->n == 0 || day <= x->dates[0])
		return 0;
	if (day > x->dates[x->n - 1])
		return x->n;
	return x->at[day - x->dates[0]];
}

/* The employments, as retention_employments gives them; and, when diff is
 * not NULL, each role row started by as_of counted by track on the dates
 * [lo, hi) of dates[0..ndates) it covers: diff[lo * TRACK_COUNT + track]
 * gains 1, diff[hi * TRACK_COUNT + track] loses 1. */
static size_t employments(const struct model *m, wr_date as_of, const wr_date *dates,
			  size_t ndates, int64_t *diff, struct employment **out)
{
	const struct dataset *ds = m->ds;
	struct date_table table;
	date_table_init(&table, dates, ndates);
	/* at most one employment per role row */
	struct employment *v = xmalloc((ds->nroles ? ds->nroles : 1) * sizeof(*v));
	size_t n = 0;
	for (size_t e = 0; e < m->nemps; e++) {
		const struct role_row *rows = ds->roles + m->emps[e].first_row;
		size_t k = m->emps[e].nrows;
		while (k > 0 && rows[k - 1].start > as_of)
			k--; /* future-dated rows take no part */
		if (diff)
			for (size_t i = 0; i < k; i++) {
				size_t lo = dates_before(&table, rows[i].start);
				size_t hi = rows[i].end == WR_DATE_OPEN
						? ndates
						: dates_before(&table, rows[i].end + 1);
				if (lo >= hi)
					continue;
				diff[lo * TRACK_COUNT + rows[i].track]++;
				diff[hi * TRACK_COUNT + rows[i].track]--;
			}
		for (size_t i = 0; i < k;) {
			size_t j = i;
			while (j + 1 < k && rows[j].end != WR_DATE_OPEN &&
			       rows[j + 1].start <= rows[j].end + 1)
				j++;
			v[n++] = (struct employment){
			    .emp = (uint32_t)e,
			    .department = rows[j].department,
			    .start = rows[i].start,
			    .end = rows[j].end,
			    .track = rows[j].track,
			};
			i = j + 1;
		}
	}
	free(table.at);
	*out = v;
	return n;
}

size_t retention_employments(const struct model *m, wr_date as_of, struct employment **out)
{
	return employments(m, as_of, NULL, 0, NULL, out);
}

static size_t by_track(const struct role_row *r, void *ctx)
{
	(void)ctx;
	return r->track;
}

void headcounts_by_track(const struct model *m, const wr_date *dates, size_t n, uint64_t *out)
{
	model_headcount_grid(m, dates, n, TRACK_COUNT, by_track, NULL, out);
}

static uint64_t in_group(const uint64_t *by_track, enum ttp_group g)
{
	switch (g) {
	case TTP_GROUP_IC:
		return by_track[TRACK_IC];
	case TTP_GROUP_MANAGEMENT:
		return by_track[TRACK_MANAGEMENT];
	default:
		return by_track[TRACK_IC] + by_track[TRACK_MANAGEMENT];
	}
}

/* The window's calendar years (clipped to it) and their first and last
 * days, ascending: dates[2y] and dates[2y + 1]. */
static size_t window_years(const struct retention_params *p, struct period **years,
			   wr_date **dates)
{
	size_t ny = years_in(p->since, p->as_of, years);
	*dates = xmalloc(2 * ny * sizeof(**dates));
	for (size_t y = 0; y < ny; y++) {
		(*dates)[2 * y] = (*years)[y].first;
		(*dates)[2 * y + 1] = (*years)[y].last;
	}
	return ny;
}

/* hc: the headcount by track on each of the years' first and last days,
 * hc[(2y + last) * TRACK_COUNT + track]. */
static void attrition(const struct employment *v, size_t n, const struct period *years, size_t ny,
		      const uint64_t *hc, const struct retention_params *p,
		      struct retention_result *out)
{
	/* leavers by year and track */
	uint64_t *left = xcalloc(ny * TRACK_COUNT, sizeof(*left));
	for (size_t i = 0; i < n; i++) {
		wr_date e = v[i].end;
		if (e == WR_DATE_OPEN || e >= p->as_of || e < p->since)
			continue;
		size_t y = 0; /* the year of e, in the window */
		while (y + 1 < ny && e >= years[y + 1].first)
			y++;
		left[y * TRACK_COUNT + v[i].track]++;
	}
	out->nyears = TTP_GROUPS * ny;
	out->years = xcalloc(out->nyears, sizeof(*out->years));
	for (int g = 0; g < TTP_GROUPS; g++)
		for (size_t y = 0; y < ny; y++) {
			struct attrition_row *a = &out->years[(size_t)g * ny + y];
			const struct period *per = &years[y];
			int yy = per->year;
			*a = (struct attrition_row){
			    .group = (uint8_t)g,
			    .period = *per,
			    .partial = period_partial(per),
			    .leavers = in_group(&left[y * TRACK_COUNT], (enum ttp_group)g),
			    .hc_start = in_group(&hc[2 * y * TRACK_COUNT], (enum ttp_group)g),
			    .hc_end = in_group(&hc[(2 * y + 1) * TRACK_COUNT], (enum ttp_group)g),
			};
			a->average = (double)(a->hc_start + a->hc_end) / 2.0;
			a->rate = a->average > 0 ? (double)a->leavers / a->average : NAN;
			/* a whole year is its own annualised rate */
			a->annualised = a->rate * (date_is_leap(yy) ? 366.0 : 365.0) /
					period_days(per);
		}
	free(left);
}

/* An employment's part in the estimate, in days since it started: false
 * when it takes none (exit <= entry). */
static bool stay_of(const struct employment *e, const struct retention_params *p, size_t *entry,
		    size_t *exit, bool *left)
{
	wr_date from = p->since > e->start ? p->since : e->start;
	*left = e->end < p->as_of;
	wr_date to = *left ? e->end : p->as_of;
	if (to <= from)
		return false;
	*entry = (size_t)(from - e->start);
	*exit = (size_t)(to - e->start);
	return true;
}

/* What the employments of a group that take part add up to, per day t
 * since their starts (t < top): entering, ending, ending by leaving; and
 * the distinct people behind them (the employments come grouped by
 * employee). */
struct stay_tally {
	size_t ndays, top;
	uint32_t *enter, *gone, *left;
	size_t employments, leavers;
	struct run_people people, left_people;
};

static void stay_tally_init(struct stay_tally *t, size_t ndays)
{
	memset(t, 0, sizeof(*t));
	t->ndays = ndays;
	t->enter = xcalloc(3 * ndays, sizeof(*t->enter));
	t->gone = t->enter + ndays;
	t->left = t->enter + 2 * ndays;
}

static void stay_tally_clear(struct stay_tally *t)
{
	memset(t->enter, 0, t->top * sizeof(*t->enter));
	memset(t->gone, 0, t->top * sizeof(*t->gone));
	memset(t->left, 0, t->top * sizeof(*t->left));
	*t = (struct stay_tally){.ndays = t->ndays, .enter = t->enter, .gone = t->gone,
				 .left = t->left};
}

static void stay_tally_release(struct stay_tally *t)
{
	free(t->enter);
	memset(t, 0, sizeof(*t));
}

/* Count employee emp's people only. */
static void stay_tally_count(struct stay_tally *t, uint32_t emp, bool left)
{
	t->employments++;
	run_people_add(&t->people, emp);
	if (left) {
		t->leavers++;
		run_people_add(&t->left_people, emp);
	}
}

/* Count the days of an employment taking part: entry < exit < t->ndays. */
static void stay_tally_days(struct stay_tally *t, size_t entry, size_t exit, bool left)
{
	t->enter[entry]++;
	t->gone[exit]++;
	t->left[exit] += left;
	if (exit >= t->top)
		t->top = exit + 1;
}

/* Add src's counts per day to dst's; dst->ndays >= src->top. */
static void stay_tally_add_days(struct stay_tally *dst, const struct stay_tally *src)
{
	for (size_t t = 0; t < src->top; t++) {
		dst->enter[t] += src->enter[t];
		dst->gone[t] += src->gone[t];
		dst->left[t] += src->left[t];
	}
	if (src->top > dst->top)
		dst->top = src->top;
}

/* Kaplan-Meier over the employments of tally t. */
static void retention_row(const struct stay_tally *t, const struct retention_params *p,
			  struct retention_row *row, struct km_result *keep)
{
	row->employments = t->employments;
	row->left = t->leavers;
	row->people = t->people.n;
	row->left_people = t->left_people.n;
	struct km_result r;
	km_fit_counts(t->enter, t->gone, t->left, t->top, p->ci, CONF_LEVEL, &r);
	for (int h = 0; h < TTP_HORIZONS; h++)
		row->retained[h] = r.used ? km_survival_at(&r, ttp_horizon_days(h)) : NAN;
	km_median_months(&r, &row->median, &row->lo, &row->hi);
	if (keep)
		*keep = r;
	else
		km_result_release(&r);
}

static void retention(const struct model *m, const struct employment *v, size_t n,
		      const struct retention_params *p, struct retention_result *out)
{
	/* the departments, and every day counted below ndays */
	uint32_t *key = xmalloc((n ? n : 1) * sizeof(*key));
	size_t ndays = 1;
	for (size_t i = 0; i < n; i++) {
		key[i] = v[i].department;
		size_t entry, exit;
		bool left;
		if (stay_of(&v[i], p, &entry, &exit, &left) && exit >= ndays)
			ndays = exit + 1;
	}
	uint32_t *names;
	size_t nd = rank_departments(m->ds, key, n, &names);
	out->rows = xcalloc(TTP_GROUPS + nd, sizeof(*out->rows));

	/* All, IC and management: the tracks counted, All adds them up */
	struct stay_tally group[TTP_GROUPS];
	for (int g = 0; g < TTP_GROUPS; g++)
		stay_tally_init(&group[g], ndays);
	for (size_t i = 0; i < n; i++) {
		size_t entry, exit;
		bool left;
		if (!stay_of(&v[i], p, &entry, &exit, &left))
			continue;
		struct stay_tally *track = &group[v[i].track == TRACK_IC ? TTP_GROUP_IC
									  : TTP_GROUP_MANAGEMENT];
		stay_tally_count(&group[TTP_GROUP_ALL], v[i].emp, left);
		stay_tally_count(track, v[i].emp, left);
		stay_tally_days(track, entry, exit, left);
	}
	stay_tally_add_days(&group[TTP_GROUP_ALL], &group[TTP_GROUP_IC]);
	stay_tally_add_days(&group[TTP_GROUP_ALL], &group[TTP_GROUP_MANAGEMENT]);
	for (int g = 0; g < TTP_GROUPS; g++) {
		struct retention_row *row = &out->rows[out->nrows++];
		*row = (struct retention_row){
		    .kind = g == TTP_GROUP_ALL ? RETENTION_ALL : RETENTION_TRACK,
		    .key = g == TTP_GROUP_MANAGEMENT ? TRACK_MANAGEMENT : TRACK_IC,
		};
		struct km_result r;
		retention_row(&group[g], p, row, &r);
		for (int mth = 0; mth <= RETENTION_CURVE_MONTHS; mth++)
			out->curve[mth][g] = r.used ? km_survival_at(&r, mth * DAYS_PER_MONTH) : NAN;
		out->curve_people[g] = row->people;
		out->curve_left_people[g] = row->left_people;
		km_result_release(&r);
		stay_tally_release(&group[g]);
	}

	/* departments by name, [d0, d0 + chunk) in one pass */
	size_t chunk = department_chunk(nd, ndays, 3);
	struct stay_tally *t = xcalloc(chunk ? chunk : 1, sizeof(*t));
	for (size_t j = 0; j < chunk; j++)
		stay_tally_init(&t[j], ndays);
	for (size_t d0 = 0; d0 < nd; d0 += chunk) {
		size_t width = nd - d0 < chunk ? nd - d0 : chunk;
		for (size_t j = 0; j < width; j++)
			stay_tally_clear(&t[j]);
		for (size_t i = 0; i < n; i++) {
			size_t entry, exit;
			bool left;
			if (key[i] - d0 >= width || !stay_of(&v[i], p, &entry, &exit, &left))
				continue;
			stay_tally_count(&t[key[i] - d0], v[i].emp, left);
			stay_tally_days(&t[key[i] - d0], entry, exit, left);
		}
		for (size_t j = 0; j < width; j++) {
			struct retention_row *row = &out->rows[out->nrows];
			*row = (struct retention_row){.kind = RETENTION_DEPARTMENT,
						      .key = names[d0 + j]};
			retention_row(&t[j], p, row, NULL);
			if (row->employments > 0)
				out->nrows++;
		}
	}
	for (size_t j = 0; j < chunk; j++)
		stay_tally_release(&t[j]);
	free(t);
	free(names);
	free(key);
}

void retention_compute(const struct model *m, const struct retention_params *p,
		       struct retention_result *out)
{
	memset(out, 0, sizeof(*out));
	struct period *years;
	wr_date *dates;
	size_t ny = window_years(p, &years, &dates);
	/* the employments and, as headcounts_by_track counts them, the
	 * headcounts on the years' first and last days (all before as_of: rows
	 * started after it cover none of them), in one pass over the rows */
	int64_t *diff = xcalloc((2 * ny + 1) * TRACK_COUNT, sizeof(*diff));
	struct employment *v;
	size_t n = employments(m, p->as_of, dates, 2 * ny, diff, &v);
	uint64_t *hc = xcalloc(2 * ny * TRACK_COUNT, sizeof(*hc));
	for (size_t g = 0; g < TRACK_COUNT; g++) {
		int64_t run = 0;
		for (size_t d = 0; d < 2 * ny; d++) {
			run += diff[d * TRACK_COUNT + g];
			hc[d * TRACK_COUNT + g] = (uint64_t)run;
		}
	}
	attrition(v, n, years, ny, hc, p, out);
	retention(m, v, n, p, out);
	free(v);
	free(hc);
	free(diff);
	free(dates);
	free(years);
	const struct privacy pv = {p->min_group};
	for (size_t i = 0; i < out->nrows; i++) {
		struct retention_row *row = &out->rows[i];
		row->show = privacy_km(&pv, row->people, row->left_people) ? SHOW_KM : 0;
	}
	for (int g = 0; g < TTP_GROUPS; g++)
		out->curve_show[g] =
		    privacy_km(&pv, out->curve_people[g], out->curve_left_people[g]) ? SHOW_KM : 0;
}

void retention_release(struct retention_result *r)
{
	free(r->years);
	free(r->rows);
	memset(r, 0, sizeof(*r));
}
