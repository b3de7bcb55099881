/* ttp_period.c - time to promotion by calendar year (period analysis) and
 * its trend.
 *
 * Every spell taking part is split at the calendar-year boundaries of the
 * window. The episode of year Y has
 *   entry_Y = max(entry, 1 Jan Y - start), exit_Y = min(exit, 1 Jan (Y+1) - start),
 * an event when the spell's exit is an event and exit <= 1 Jan (Y+1) - start,
 * and takes part when exit_Y > entry_Y: it covers the days 2 Jan Y to 1 Jan
 * (Y+1), so a promotion effective 1 January counts in the year of the last
 * day in the old level.
 *
 * tbl_ttp_period: Kaplan-Meier over each year's episodes, for All, IC and
 * management. tbl_ttp_trend: a Cox model over all episodes with the year
 * (Y - the window's first year) as covariate, stratified by track x level
 * so that a changing level mix is not read as a trend.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "metrics/ttp_spells.h"


/* Years of the window in which spell o has an episode, as indices. */
static void year_span(const struct spell_obs *o, const wr_date *jan1, size_t nyears, size_t *lo,
		      size_t *hi)
{
	/* at risk on the days start + entry + 1 .. start + exit; the episode of
	 * year Y holds the days 2 Jan Y .. 1 Jan (Y + 1), i.e. the year of day - 1 */
	wr_date first = o->start + (wr_date)o->km.entry, last = o->start + (wr_date)o->km.exit - 1;
	size_t a = 0, b = nyears;
	while (a + 1 < nyears && jan1[a + 1] <= first)
		a++;
	while (b > a + 1 && jan1[b - 1] > last)
		b--;
	*lo = a;
	*hi = b;
}

/* Counts of a group: episodes, events and distinct people among them
 * (obs comes grouped by employee, the model's spell order). */
struct counts {
	size_t episodes, events;
	struct run_people people, event_people;
};

static void count(struct counts *c, uint32_t emp, bool event)
{
	c->episodes++;
	run_people_add(&c->people, emp);
	if (event) {
		c->events++;
		run_people_add(&c->event_people, emp);
	}
}

/* The risk sets of the year episodes, counted without making the episodes:
 * for Kaplan-Meier per track, year and day (differences), for the Cox
 * model per event time of each stratum and year (rows in stratum order,
 * so each track's strata are one run of rows). */
struct risk {
	size_t ny, width;     /* years; days 0 .. width - 1 */
	/* [(track * width + day) * ny + y], the years of a day side by side (a
	 * spell's episode of one year ends where that of the next begins) */
	int32_t *km_diff;     /* +1 from a + 1, -1 after b */
	uint32_t *km_events;
	uint32_t *first_row;  /* [stratum * width + day]: first Cox row at or after day */
	size_t nrows;
	int32_t *cox_diff;    /* [row * ny + y], nrows + 1 rows */
	uint32_t *cox_events; /* [row * ny + y] */
	struct counts *year;  /* [group * ny + y] */
	struct counts trend[TTP_GROUPS];
};

/* A row per stratum (level key) and day with an event: the days on which
 * a spell taking part was promoted, which its tally counts. */
static void rows_of_event_times(struct risk *k, const struct spell_tally *level)
{
	size_t w = k->width;
	k->first_row = xcalloc(LEVEL_KEYS * w, sizeof(*k->first_row));
	size_t row = 0;
	for (size_t s = 0; s < LEVEL_KEYS; s++) {
		const uint32_t *events = level[s].ndays ? level[s].ended[SPELL_PROMOTED - 1] : NULL;
		for (size_t t = 0; t < w; t++) {
			k->first_row[s * w + t] = (uint32_t)row;
			row += events && t < level[s].top && events[t] > 0;
		}
	}
	k->nrows = row;
}

static void add_spell(struct risk *k, const struct spell_obs *o, const wr_date *jan1)
{
	size_t lo, hi, w = k->width, ny = k->ny;
	year_span(o, jan1, ny, &lo, &hi);
	const uint32_t *first = k->first_row + o->level_key * w;
	uint8_t track = spell_track(o);
	int32_t *kd = k->km_diff + track * w * ny;
	uint32_t *ke = k->km_events + track * w * ny;
	/* whole days: entry and exit as numbers of days */
	int32_t entry = (int32_t)o->km.entry, exit = (int32_t)o->km.exit;
	size_t episodes = 0;
	bool event = false;
	for (size_t y = lo; y < hi; y++) {
		int32_t from = jan1[y] - o->start, to = jan1[y + 1] - o->start;
		int32_t a = entry > from ? entry : from;
		int32_t b = exit < to ? exit : to;
		if (b <= a)
			continue;
		event = o->km.event && b == exit;
		kd[(size_t)(a + 1) * ny + y]++;
		kd[(size_t)(b + 1) * ny + y]--;
		k->cox_diff[first[a + 1] * ny + y]++;
		k->cox_diff[first[b + 1] * ny + y]--;
		if (event) {
			ke[(size_t)b * ny + y]++;
			k->cox_events[first[b] * ny + y]++;
		}
		count(&k->year[TTP_GROUP_ALL * ny + y], o->emp, event);
		count(&k->year[(track + 1) * ny + y], o->emp, event);
		episodes++;
	}
	if (episodes == 0)
		return;
	/* the trend counts the spell's episodes at once: its person once, its
	 * event (that of its last episode) once */
	struct counts *trend[2] = {&k->trend[TTP_GROUP_ALL], &k->trend[track + 1]};
	for (int j = 0; j < 2; j++) {
		trend[j]->episodes += episodes;
		run_people_add(&trend[j]->people, o->emp);
		if (event) {
			trend[j]->events++;
			run_people_add(&trend[j]->event_people, o->emp);
		}
	}
}

/* level[k] tallies the spells of level key k (ndays 0: none); every exit is
 * below ndays. */
static void count_risk(struct risk *k, const struct spell_obs *obs, size_t n,
		       const struct spell_tally *level, size_t ndays, const wr_date *jan1)
{
	k->width = ndays + 1; /* b + 1 <= exit + 1 */
	k->year = xcalloc(TTP_GROUPS * k->ny, sizeof(*k->year));
	rows_of_event_times(k, level);
	k->km_diff = xcalloc(TRACK_COUNT * k->ny * k->width, sizeof(*k->km_diff));
	k->km_events = xcalloc(TRACK_COUNT * k->ny * k->width, sizeof(*k->km_events));
	k->cox_diff = xcalloc((k->nrows + 1) * k->ny, sizeof(*k->cox_diff));
	k->cox_events = xcalloc((k->nrows + 1) * k->ny, sizeof(*k->cox_events));
	for (size_t i = 0; i < n; i++)
		if (obs[i].km.exit > obs[i].km.entry)
			add_spell(k, &obs[i], jan1);
	/* the Cox rows' differences become counts at risk, in place: a row's
	 * count never exceeds the observations, so it fits */
	for (size_t y = 0; y < k->ny; y++) {
		int64_t run = 0;
		for (size_t j = 0; j < k->nrows; j++) {
			run += k->cox_diff[j * k->ny + y];
			k->cox_diff[j * k->ny + y] = (int32_t)run;
		}
	}
}

static void risk_release(struct risk *k)
{
	free(k->km_diff);
	free(k->km_events);
	free(k->first_row);
	free(k->cox_diff);
	free(k->cox_events);
	free(k->year);
}

/* The tracks a group covers: [*t0, *t1). */
static void group_tracks(enum ttp_group g, size_t *t0, size_t *t1)
{
	*t0 = g == TTP_GROUP_MANAGEMENT ? TRACK_MANAGEMENT : TRACK_IC;
	*t1 = g == TTP_GROUP_IC ? TRACK_IC + 1 : TRACK_COUNT;
}

static void period_row(const struct risk *k, enum ttp_group g, size_t y, const struct period *year,
		       const struct ttp_params *p, uint32_t *at_risk, uint32_t *events,
		       struct ttp_period_row *row)
{
	const struct counts *c = &k->year[(size_t)g * k->ny + y];
	*row = (struct ttp_period_row){
	    .group = (uint8_t)g, .period = *year, .episodes = c->episodes, .events = c->events,
	    .people = c->people.n, .event_people = c->event_people.n};
	row->partial = period_partial(year);

	size_t t0, t1, w = k->width, ny = k->ny;
	group_tracks(g, &t0, &t1);
	memset(at_risk, 0, w * sizeof(*at_risk));
	memset(events, 0, w * sizeof(*events));
	for (size_t t = t0; t < t1; t++) {
		const int32_t *kd = k->km_diff + t * w * ny + y;
		const uint32_t *ke = k->km_events + t * w * ny + y;
		int64_t run = 0;
		for (size_t d = 0; d < w; d++) {
			run += kd[d * ny];
			at_risk[d] += (uint32_t)run;
			events[d] += ke[d * ny];
		}
	}
	struct km_result r;
	km_fit_days(at_risk, events, w, p->ci, CONF_LEVEL, &r);
	km_median_months(&r, &row->km_median, &row->km_lo, &row->km_hi);
	for (int h = 0; h < 2; h++)
		row->within[h] =
		    c->episodes ? 1.0 - km_survival_at(&r, ttp_horizon_days(h)) : NAN;
	km_result_release(&r);
}

static void trend_row(const struct risk *k, enum ttp_group g, struct ttp_trend_row *row)
{
	const struct counts *c = &k->trend[g];
	*row = (struct ttp_trend_row){
	    .group = (uint8_t)g, .episodes = c->episodes, .events = c->events,
	    .people = c->people.n, .event_people = c->event_people.n};
	/* each track's strata are one run of rows */
	size_t t0, t1;
	group_tracks(g, &t0, &t1);
	size_t from = k->first_row[level_key((unsigned)t0, 0) * k->width];
	size_t to = t1 < TRACK_COUNT ? k->first_row[level_key((unsigned)t1, 0) * k->width] : k->nrows;
	cox_fit_counts((const uint32_t *)k->cox_diff + from * k->ny, k->cox_events + from * k->ny,
		       to - from, (int)k->ny, CONF_LEVEL, &row->cox);
	if (!row->cox.ok)
		row->verdict = TREND_NOT_COMPUTED;
	else if (row->cox.p < 0.05)
		row->verdict = row->cox.hr > 1 ? TREND_SOONER : TREND_LATER;
	else
		row->verdict = TREND_NONE;
}

void ttp_periods(const struct spell_obs *obs, size_t n, const struct spell_tally *level,
		 size_t ndays, const struct ttp_params *p, struct ttp_result *out)
{
	struct period *years;
	size_t ny = years_in(p->since, p->as_of, &years);
	struct risk k = {.ny = ny};
	wr_date *jan1 = xmalloc((ny + 1) * sizeof(*jan1));
	for (size_t y = 0; y <= ny; y++)
		jan1[y] = date_from_ymd(date_year(p->since) + (int)y, 1, 1);
	count_risk(&k, obs, n, level, ndays, jan1);

	out->nperiods = TTP_GROUPS * ny;
	out->periods = xcalloc(out->nperiods, sizeof(*out->periods));
	uint32_t *at_risk = xmalloc(k.width * sizeof(*at_risk));
	uint32_t *events = xmalloc(k.width * sizeof(*events));
	for (int g = 0; g < TTP_GROUPS; g++) {
		for (size_t y = 0; y < ny; y++)
			period_row(&k, (enum ttp_group)g, y, &years[y], p, at_risk, events,
				   &out->periods[(size_t)g * ny + y]);
		trend_row(&k, (enum ttp_group)g, &out->trend[g]);
	}
	free(at_risk);
	free(events);
	risk_release(&k);
	free(jan1);
	free(years);
}
