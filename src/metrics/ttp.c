/* ttp.c - see ttp.h. */
#include "metrics/ttp.h"
#include "metrics/ttp_spells.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_histogram.h>
#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/sort.h"

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return (x > y) - (x < y);
}

size_t count_distinct(uint32_t *ids, size_t n)
{
	if (n == 0)
		return 0;
	sort_items(ids, n, sizeof(*ids), cmp_u32);
	size_t k = 1;
	for (size_t i = 1; i < n; i++)
		if (ids[i] != ids[i - 1])
			k++;
	return k;
}

const char *ttp_group_name(enum ttp_group g)
{
	static const char *const names[TTP_GROUPS] = {"All", "IC", "Management"};
	return (unsigned)g < TTP_GROUPS ? names[g] : "";
}

/* How a spell that is not promoted in the window ends: still in level at
 * as_of, or before it, moved (a contiguous role row follows) or left. */
static uint8_t spell_end(const struct model *m, const struct level_spell *s, wr_date as_of)
{
	if (s->end >= as_of)
		return SPELL_STILL;
	const struct employee *e = &m->emps[s->emp];
	uint32_t next = s->last_row + 1;
	if (next < e->first_row + e->nrows && m->ds->roles[next].start <= s->end + 1)
		return SPELL_MOVED;
	return SPELL_LEFT;
}

/* The last role row of spell s started by day (its first when none is). */
static const struct role_row *spell_row(const struct model *m, const struct level_spell *s,
					wr_date day)
{
	const struct role_row *roles = m->ds->roles;
	uint32_t row = s->last_row;
	while (row > s->first_row && roles[row].start > day)
		row--;
	return &roles[row];
}

uint32_t spell_department(const struct model *m, const struct level_spell *s, wr_date day)
{
	return spell_row(m, s, day)->department;
}

void ttp_spells_collect(const struct model *m, wr_date as_of, struct ttp_spells *out)
{
	const struct dataset *ds = m->ds;
	struct ttp_spell *v = xmalloc(m->nspells * sizeof(*v));
	for (size_t i = 0; i < m->nspells; i++) {
		const struct level_spell *s = &m->spells[i];
		const struct role_row *row = spell_row(m, s, as_of);
		v[i] = (struct ttp_spell){
		    .promoted =
			s->promotion >= 0 ? ds->promotions[s->promotion].date : WR_DATE_NONE,
		    .department = row->department,
		    .department_from = row->start,
		    .ends = spell_end(m, s, as_of),
		    .level_key = level_key(s->track, s->level),
		};
	}
	*out = (struct ttp_spells){.v = v, .as_of = as_of};
}

void ttp_spells_release(struct ttp_spells *sp)
{
	free(sp->v);
	memset(sp, 0, sizeof(*sp));
}

/* ttp_window, and the largest exit in *max_exit (0 without spells). */
static size_t window(const struct model *m, const struct ttp_spells *sp, wr_date since,
		     struct spell_obs **out, double *max_exit)
{
	wr_date as_of = sp->as_of;
	struct spell_obs *v = xmalloc(m->nspells * sizeof(*v));
	size_t n = 0;
	double most = 0;
	for (size_t i = 0; i < m->nspells; i++) {
		const struct level_spell *s = &m->spells[i];
		const struct ttp_spell *f = &sp->v[i];
		bool event = spell_promoted_in(f, since, as_of);
		/* a spell overlapping the window, or one that ends the day before a
		 * promotion on the window's first day (observed, but with exit =
		 * entry it takes no part in the KM estimate) */
		if (s->start > as_of || (s->end < since && !event))
			continue;
		double entry = since > s->start ? (double)(since - s->start) : 0.0;
		wr_date last = s->end < as_of ? s->end : as_of;
		double exit = (double)((event ? f->promoted : last) - s->start);
		most = exit > most ? exit : most;
		v[n++] = (struct spell_obs){
		    .km = {entry, exit, event},
		    .emp = s->emp,
		    .department = f->department,
		    .level_key = level_key(s->track, s->level),
		    .start = s->start,
		    .promoted = event ? f->promoted : WR_DATE_NONE,
		    .outcome = event ? SPELL_PROMOTED : f->ends,
		};
	}
	*out = v;
	*max_exit = most;
	return n;
}

size_t ttp_window(const struct model *m, const struct ttp_spells *sp, wr_date since,
		  struct spell_obs **out)
{
	double max_exit;
	return window(m, sp, since, out, &max_exit);
}

size_t rank_departments(const struct dataset *ds, uint32_t *key, size_t n, uint32_t **names)
{
	size_t nstrs = ds->strs.count;
	uint8_t *listed = xcalloc(nstrs, 1);
	uint32_t *v = xmalloc(nstrs * sizeof(*v));
	size_t nd = 0;
	for (size_t i = 0; i < n; i++)
		if (!listed[key[i]]) {
			listed[key[i]] = 1;
			v[nd++] = key[i];
		}
	ds_sort_by_name(ds, v, nd);
	uint32_t *rank = xmalloc(nstrs * sizeof(*rank));
	for (size_t r = 0; r < nd; r++)
		rank[v[r]] = (uint32_t)r;
	for (size_t i = 0; i < n; i++)
		key[i] = rank[key[i]];
	free(rank);
	free(listed);
	*names = v;
	return nd;
}

void spell_tally_init(struct spell_tally *t, size_t ndays)
{
	memset(t, 0, sizeof(*t));
	t->ndays = ndays;
	t->enter = xcalloc(6 * ndays, sizeof(*t->enter));
	t->gone = t->enter + ndays;
	for (int c = 0; c < 3; c++)
		t->ended[c] = t->enter + (2 + (size_t)c) * ndays;
	t->observed = t->enter + 5 * ndays;
}

void spell_tally_clear(struct spell_tally *t)
{
	size_t top = t->top;
	uint32_t *arrays[6] = {t->enter, t->gone, t->ended[0], t->ended[1], t->ended[2],
			       t->observed};
	for (int j = 0; j < 6; j++)
		memset(arrays[j], 0, top * sizeof(*arrays[j]));
	struct spell_tally empty = {.ndays = t->ndays, .enter = t->enter, .gone = t->gone,
				    .ended = {t->ended[0], t->ended[1], t->ended[2]},
				    .observed = t->observed};
	*t = empty;
}

void spell_tally_release(struct spell_tally *t)
{
	free(t->enter);
	memset(t, 0, sizeof(*t));
}

void spell_tally_add_days(struct spell_tally *dst, const struct spell_tally *src)
{
	size_t top = src->top;
	uint32_t *d[6] = {dst->enter, dst->gone, dst->ended[0], dst->ended[1], dst->ended[2],
			  dst->observed};
	const uint32_t *s[6] = {src->enter, src->gone, src->ended[0], src->ended[1],
				src->ended[2], src->observed};
	for (int j = 0; j < 6; j++)
		for (size_t t = 0; t < top; t++)
			d[j][t] += s[j][t];
	if (top > dst->top)
		dst->top = top;
}

/* The promoted days of counts[0..ndays) in ascending order, each divided by
 * unit, into x; returns how many. */
static size_t sorted_days(const uint32_t *counts, size_t ndays, double unit, double *x)
{
	size_t k = 0;
	for (size_t d = 0; d < ndays; d++)
		for (uint32_t c = 0; c < counts[d]; c++)
			x[k++] = (double)d / unit;
	return k;
}

/* The Kaplan-Meier figures over the spells of tally t and the distinct
 * people taking part and promoted; the fit in *keep unless NULL. */
static void km_stats(const struct spell_tally *t, const struct ttp_params *p,
		     struct ttp_stats *st, struct km_result *keep)
{
	struct km_result r;
	km_fit_counts(t->enter, t->gone, t->ended[SPELL_PROMOTED - 1], t->top, p->ci, CONF_LEVEL,
		      &r);
	st->spells = r.used;
	st->events = r.events;
	st->censored = r.censored;
	st->km_people = t->people.n;
	km_median_months(&r, &st->km_median, &st->km_lo, &st->km_hi);
	for (int y = 0; y < TTP_HORIZONS; y++)
		st->within[y] = r.used ? 1.0 - km_survival_at(&r, ttp_horizon_days(y)) : NAN;
	st->observed_people = t->observed_people.n;
	if (keep)
		*keep = r;
	else
		km_result_release(&r);
}

/* The observed times of the groups, described together at the end
 * (describe_sorted_many works out several samples' sums side by side):
 * each group's promotions in ascending order and the figures they fill. */
struct observed_sample {
	const double *x;
	size_t n;
	struct describe *dest;
};

struct observed {
	double *values; /* the samples' values, one sample after another */
	size_t nvalues, values_cap;
	struct observed_sample *v;
	size_t count, cap;
};

/* Room for `values` values in all. */
static void observed_init(struct observed *q, size_t values)
{
	memset(q, 0, sizeof(*q));
	q->values = xmalloc((values ? values : 1) * sizeof(*q->values));
	q->values_cap = values;
}

/* Queue the promotions counts[0..ndays) (by day), each divided by unit,
 * for *dest. */
static void observed_add(struct observed *q, const uint32_t *counts, size_t ndays, double unit,
			 struct describe *dest)
{
	GROW(q->v, q->cap, q->count + 1);
#ifndef NDEBUG
	/* each of the four splits (all, levels, departments, years) holds every
	 * promotion once: observed_init's room is enough */
	size_t total = 0;
	for (size_t d = 0; d < ndays; d++)
		total += counts[d];
	assert(q->nvalues + total <= q->values_cap);
#endif
	double *x = q->values + q->nvalues;
	size_t k = sorted_days(counts, ndays, unit, x);
	q->nvalues += k;
	q->v[q->count++] = (struct observed_sample){x, k, dest};
}

/* Queue the promotions' days exits[0..n), in order, each divided by unit,
 * for *dest: the values observed_add makes of their counts by day. */
static void observed_add_sorted(struct observed *q, const uint32_t *exits, size_t n, double unit,
				struct describe *dest)
{
	GROW(q->v, q->cap, q->count + 1);
	assert(q->nvalues + n <= q->values_cap);
	double *x = q->values + q->nvalues;
	for (size_t i = 0; i < n; i++)
		x[i] = (double)exits[i] / unit;
	q->nvalues += n;
	q->v[q->count++] = (struct observed_sample){x, n, dest};
}

/* Describe every sample queued, into its figures. */
static void observed_describe(struct observed *q)
{
	size_t k = q->count ? q->count : 1;
	const double **x = xmalloc(k * sizeof(*x));
	size_t *n = xmalloc(k * sizeof(*n));
	struct describe *d = xmalloc(k * sizeof(*d));
	for (size_t i = 0; i < q->count; i++) {
		x[i] = q->v[i].x;
		n[i] = q->v[i].n;
	}
	describe_sorted_many(x, n, q->count, d);
	for (size_t i = 0; i < q->count; i++)
		*q->v[i].dest = d[i];
	free(x);
	free(n);
	free(d);
	free(q->values);
	free(q->v);
}

/* The observed figures of a group, described in days, in months. */
static void observed_in_months(struct describe *d)
{
	d->mean /= DAYS_PER_MONTH;
	d->sd /= DAYS_PER_MONTH;
	d->median /= DAYS_PER_MONTH;
	d->p25 /= DAYS_PER_MONTH;
	d->p75 /= DAYS_PER_MONTH;
	d->min /= DAYS_PER_MONTH;
	d->max /= DAYS_PER_MONTH;
}

/* The KM figures over the spells of tally t, and its observed ones queued
 * on q (in days: observed_in_months once described). */
static void group_stats(const struct spell_tally *t, const struct ttp_params *p,
			struct observed *q, struct ttp_stats *st, struct km_result *keep)
{
	memset(st, 0, sizeof(*st));
	km_stats(t, p, st, keep);
	observed_add(q, t->observed, t->top, 1.0, &st->observed);
}

/* The figures of a group of spells into *st: false when none of them
 * takes part (the group gets no row, and nothing is queued). */
static bool group_row(const struct spell_tally *t, const struct ttp_params *p,
		      struct observed *q, struct ttp_stats *st)
{
	if (t->spells == 0)
		return false;
	memset(st, 0, sizeof(*st));
	km_stats(t, p, st, NULL);
	if (st->spells == 0)
		return false;
	observed_add(q, t->observed, t->top, 1.0, &st->observed);
	return true;
}

/* The window's spells tallied by level, and from those over all levels and
 * by track ([enum ttp_group]); the promotions by year of the window. */
struct tallies {
	size_t ndays;
	struct spell_tally level[LEVEL_KEYS]; /* ndays 0: no spell of the level */
	struct spell_tally group[TTP_GROUPS];
	size_t nyears;
	/* the promotions' days in the level, by year of the window and in
	 * order within a year: year y's are year_exit[year_at[y] ..
	 * year_at[y + 1]) (memory by promotions, not years x days) */
	uint32_t *year_exit;
	size_t *year_at;
	size_t *year_n;
	struct run_people *year_people;
};

/* One pass over obs (grouped by employee); every spell's days below ndays. */
static void tally_window(const struct spell_obs *obs, size_t n, size_t ndays,
			 const struct ttp_params *p, struct tallies *tl)
{
	memset(tl, 0, sizeof(*tl));
	tl->ndays = ndays;
	for (int g = 0; g < TTP_GROUPS; g++)
		spell_tally_init(&tl->group[g], ndays);
	int y0 = date_year(p->since);
	size_t ny = (size_t)(date_year(p->as_of) - y0 + 1);
	tl->nyears = ny;
	struct year_exit {
		uint32_t year, exit;
	} *promoted = NULL;
	size_t npromoted = 0, promoted_cap = 0;
	tl->year_n = xcalloc(ny, sizeof(*tl->year_n));
	tl->year_people = xcalloc(ny, sizeof(*tl->year_people));
	/* next_year[y]: 1 January of year y + 1 of the window */
	wr_date *next_year = xmalloc(ny * sizeof(*next_year));
	for (size_t y = 0; y < ny; y++)
		next_year[y] = date_from_ymd(y0 + (int)y + 1, 1, 1);

	for (size_t i = 0; i < n; i++) {
		const struct spell_obs *o = &obs[i];
		struct spell_tally *lv = &tl->level[o->level_key];
		if (lv->ndays == 0)
			spell_tally_init(lv, ndays);
		spell_tally_add(lv, o);
		spell_tally_count(&tl->group[TTP_GROUP_ALL], o);
		spell_tally_count(&tl->group[spell_track(o) + 1], o);
		if (o->promoted != WR_DATE_NONE) {
			/* its year: promotions of the window fall in [since, as_of] */
			size_t y = 0;
			while (y + 1 < ny && o->promoted >= next_year[y])
				y++;
			GROW(promoted, promoted_cap, npromoted + 1);
			promoted[npromoted++] = (struct year_exit){(uint32_t)y, (uint32_t)o->km.exit};
			tl->year_n[y]++;
			run_people_add(&tl->year_people[y], o->emp);
		}
	}
	for (size_t k = 0; k < LEVEL_KEYS; k++)
		if (tl->level[k].ndays) {
			spell_tally_add_days(&tl->group[TTP_GROUP_ALL], &tl->level[k]);
			spell_tally_add_days(&tl->group[key_track(k) + 1], &tl->level[k]);
		}
	free(next_year);
	/* the promotions by (year, day): a counting sort by day, then a stable
	 * one by year */
	size_t *at = xcalloc(ndays + 1, sizeof(*at));
	for (size_t i = 0; i < npromoted; i++)
		at[promoted[i].exit + 1]++;
	for (size_t d = 0; d < ndays; d++)
		at[d + 1] += at[d];
	struct year_exit *by_day = xmalloc((npromoted ? npromoted : 1) * sizeof(*by_day));
	for (size_t i = 0; i < npromoted; i++)
		by_day[at[promoted[i].exit]++] = promoted[i];
	free(at);
	free(promoted);
	tl->year_at = xcalloc(ny + 1, sizeof(*tl->year_at));
	for (size_t y = 0; y < ny; y++)
		tl->year_at[y + 1] = tl->year_at[y] + tl->year_n[y];
	size_t *fill = xmalloc(ny * sizeof(*fill));
	memcpy(fill, tl->year_at, ny * sizeof(*fill));
	tl->year_exit = xmalloc((npromoted ? npromoted : 1) * sizeof(*tl->year_exit));
	for (size_t i = 0; i < npromoted; i++)
		tl->year_exit[fill[by_day[i].year]++] = by_day[i].exit;
	free(fill);
	free(by_day);
}

static void tallies_release(struct tallies *tl)
{
	for (size_t k = 0; k < LEVEL_KEYS; k++)
		spell_tally_release(&tl->level[k]);
	for (int g = 0; g < TTP_GROUPS; g++)
		spell_tally_release(&tl->group[g]);
	free(tl->year_exit);
	free(tl->year_at);
	free(tl->year_n);
	free(tl->year_people);
}

static void by_levels(const struct tallies *tl, const struct ttp_params *p, struct observed *q,
		      struct ttp_result *out)
{
	out->levels = xcalloc(LEVEL_KEYS, sizeof(*out->levels));
	for (size_t k = 0; k < LEVEL_KEYS; k++) {
		struct ttp_level_row *row = &out->levels[out->nlevels];
		if (!group_row(&tl->level[k], p, q, &row->st))
			continue;
		row->track = key_track(k);
		row->level = key_level(k);
		out->nlevels++;
	}
}

/* The log-rank test over the groups of tallies t[0..nd): t[d] is in group
 * lr_group[d] of ngroups, or left out (SIZE_MAX). */
static void logrank_of_tallies(const struct spell_tally *t, const size_t *lr_group, size_t nd,
			       size_t ngroups, struct logrank_result *out)
{
	const uint32_t **v = xmalloc(3 * (ngroups ? ngroups : 1) * sizeof(*v));
	const uint32_t **enter = v, **gone = v + ngroups, **events = v + 2 * ngroups;
	size_t ndays = 0;
	for (size_t d = 0; d < nd; d++) {
		size_t g = lr_group[d];
		if (g == SIZE_MAX)
			continue;
		enter[g] = t[d].enter;
		gone[g] = t[d].gone;
		events[g] = t[d].ended[SPELL_PROMOTED - 1];
		if (t[d].top > ndays)
			ndays = t[d].top;
	}
	logrank_test_days(enter, gone, events, ngroups, ndays, out, NULL, NULL);
	free(v);
}

/* The same test from the spells obs[0..n), spell i of department key[i]. */
static void logrank_of_spells(const struct spell_obs *obs, size_t n, const uint32_t *key,
			      const size_t *lr_group, size_t ngroups, struct logrank_result *out)
{
	struct km_obs *lr = xmalloc((n ? n : 1) * sizeof(*lr));
	size_t *grp = xmalloc((n ? n : 1) * sizeof(*grp));
	size_t nlr = 0;
	for (size_t i = 0; i < n; i++)
		if (lr_group[key[i]] != SIZE_MAX) {
			lr[nlr] = obs[i].km;
			grp[nlr++] = lr_group[key[i]];
		}
	logrank_test(lr, grp, nlr, ngroups, out, NULL, NULL);
	free(lr);
	free(grp);
}

static void by_departments(const struct model *m, const struct spell_obs *obs, size_t n,
			   size_t ndays, const struct ttp_params *p, struct observed *q,
			   struct ttp_result *out)
{
	uint32_t *key = xmalloc(n * sizeof(*key));
	for (size_t i = 0; i < n; i++)
		key[i] = obs[i].department;
	uint32_t *names;
	size_t nd = rank_departments(m->ds, key, n, &names);
	out->departments = xcalloc(nd, sizeof(*out->departments));
	/* each department's group in the log-rank test, or SIZE_MAX: left out */
	size_t *lr_group = xmalloc((nd ? nd : 1) * sizeof(*lr_group));
	size_t ngroups = 0;
	/* the departments [d0, d0 + chunk) in one pass, in name order */
	size_t chunk = department_chunk(nd, ndays, 6);
	struct spell_tally *t = xcalloc(chunk ? chunk : 1, sizeof(*t));
	for (size_t j = 0; j < chunk; j++)
		spell_tally_init(&t[j], ndays);
	for (size_t d0 = 0; d0 < nd; d0 += chunk) {
		size_t width = nd - d0 < chunk ? nd - d0 : chunk;
		for (size_t j = 0; j < width; j++)
			spell_tally_clear(&t[j]);
		for (size_t i = 0; i < n; i++)
			if (key[i] - d0 < width)
				spell_tally_add(&t[key[i] - d0], &obs[i]);
		for (size_t j = 0; j < width; j++) {
			size_t d = d0 + j;
			lr_group[d] = SIZE_MAX;
			struct ttp_department_row *row = &out->departments[out->ndepartments];
			if (!group_row(&t[j], p, q, &row->st))
				continue;
			bool in = row->st.km_people >= (size_t)p->min_group;
			row->department = names[d];
			row->in_logrank = in;
			out->ndepartments++;
			if (in)
				lr_group[d] = ngroups++;
			else
				out->logrank_left_out++;
		}
	}
	/* log-rank over the departments at or above min_group: from their
	 * tallies when one pass held them all, else from their spells (the test
	 * counts them per time either way, so their order does not matter) */
	if (chunk >= nd)
		logrank_of_tallies(t, lr_group, nd, ngroups, &out->logrank);
	else
		logrank_of_spells(obs, n, key, lr_group, ngroups, &out->logrank);
	for (size_t j = 0; j < chunk; j++)
		spell_tally_release(&t[j]);
	free(t);
	free(lr_group);
	free(names);
	free(key);
}

/* The year rows, their promotions' months queued on q for years[0..ny). */
static void by_years(const struct tallies *tl, const struct ttp_params *p, struct observed *q,
		     struct describe *years, struct ttp_result *out)
{
	int y0 = date_year(p->since);
	out->nyears = tl->nyears;
	out->years = xcalloc(out->nyears, sizeof(*out->years));
	for (size_t yi = 0; yi < out->nyears; yi++) {
		struct ttp_year_row *row = &out->years[yi];
		observed_add_sorted(q, tl->year_exit + tl->year_at[yi],
				    tl->year_at[yi + 1] - tl->year_at[yi], DAYS_PER_MONTH, &years[yi]);
		row->year = y0 + (int)yi;
		row->promotions = tl->year_n[yi];
		row->people = tl->year_people[yi].n;
	}
}

/* The histogram of observed months, from the promotions of all levels by
 * day. */
static void histogram(const struct spell_tally *all, struct ttp_result *out)
{
	double max = 0;
	size_t k = 0;
	for (size_t d = 0; d < all->top; d++) {
		if (all->observed[d] == 0)
			continue;
		max = fmax(max, (double)d / DAYS_PER_MONTH);
		k++;
	}
	if (k == 0)
		return;
	size_t bins = (size_t)floor(max / TTP_HIST_BIN_MONTHS) + 1;
	out->hist_open = bins > TTP_HIST_MAX_BINS;
	if (out->hist_open)
		bins = TTP_HIST_MAX_BINS;
	out->nbins = bins;
	gsl_histogram *h = gsl_histogram_alloc(bins);
	if (!h || gsl_histogram_set_ranges_uniform(h, 0.0, bins * TTP_HIST_BIN_MONTHS) != GSL_SUCCESS) {
		gsl_histogram_free(h);
		out->nbins = 0;
		return;
	}
	double top = bins * TTP_HIST_BIN_MONTHS;
	for (size_t d = 0; d < all->top; d++) {
		if (all->observed[d] == 0)
			continue;
		double v = (double)d / DAYS_PER_MONTH;
		/* the open last bin takes everything above its start */
		if (v >= top)
			v = top - TTP_HIST_BIN_MONTHS / 2;
		/* the promotions of one day at once: whole counts add exactly */
		if (gsl_histogram_accumulate(h, v, (double)all->observed[d]) != GSL_SUCCESS)
			continue; /* out of range: cannot happen after the clamp */
	}
	for (size_t b = 0; b < bins; b++)
		out->hist[b] = (size_t)gsl_histogram_get(h, b);
	gsl_histogram_free(h);
}

/* The cumulative curves: all spells (the estimate already made for the
 * All levels row), IC and management. */
static void curves(const struct tallies *tl, const struct ttp_params *p,
		   const struct km_result *all, struct ttp_result *out)
{
	for (int c = 0; c < 3; c++) {
		struct ttp_stats st = out->all;
		struct km_result r;
		const struct km_result *use = all;
		if (c > 0) {
			km_stats(&tl->group[c], p, &st, &r);
			use = &r;
		}
		out->curve_people[c] = st.km_people;
		out->curve_event_people[c] = st.observed_people;
		for (int mth = 0; mth <= TTP_CURVE_MONTHS; mth++)
			out->curve[mth][c] =
				use->used ? 1.0 - km_survival_at(use, mth * DAYS_PER_MONTH) : NAN;
		if (c > 0)
			km_result_release(&r);
	}
}

void ttp_compute(const struct model *m, const struct ttp_spells *sp, const struct ttp_params *p,
		 struct ttp_result *out)
{
	memset(out, 0, sizeof(*out));
	struct spell_obs *obs;
	double max_exit;
	size_t n = window(m, sp, p->since, &obs, &max_exit);
	/* every entry and exit is a whole number of days, 0 <= entry, exit < ndays */
	size_t ndays = (size_t)max_exit + 1;
	struct tallies tl;
	tally_window(obs, n, ndays, p, &tl);
	const struct spell_tally *all = &tl.group[TTP_GROUP_ALL];
	/* all, the levels, the departments and the years each split the
	 * window's promotions */
	struct observed q;
	observed_init(&q, 4 * all->nobserved);
	struct describe *years = xcalloc(tl.nyears, sizeof(*years));
	struct km_result all_km;
	group_stats(all, p, &q, &out->all, &all_km);
	by_levels(&tl, p, &q, out);
	by_departments(m, obs, n, ndays, p, &q, out);
	by_years(&tl, p, &q, years, out);
	observed_describe(&q);
	observed_in_months(&out->all.observed);
	for (size_t i = 0; i < out->nlevels; i++)
		observed_in_months(&out->levels[i].st.observed);
	for (size_t i = 0; i < out->ndepartments; i++)
		observed_in_months(&out->departments[i].st.observed);
	for (size_t i = 0; i < out->nyears; i++) {
		out->years[i].median = years[i].median;
		out->years[i].mean = years[i].mean;
	}
	free(years);
	histogram(all, out);
	curves(&tl, p, &all_km, out);
	km_result_release(&all_km);
	ttp_periods(obs, n, tl.level, ndays, p, out);
	ttp_outcomes(tl.level, all, out);
	ttp_protect(m, sp, p, out);
	tallies_release(&tl);
	free(obs);
}

void ttp_release(struct ttp_result *r)
{
	free(r->levels);
	free(r->departments);
	free(r->years);
	free(r->periods);
	free(r->outcomes);
	memset(r, 0, sizeof(*r));
}
