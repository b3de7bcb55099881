/* ttp.c - see ttp.h. */
#include "metrics/ttp.h"
#include "metrics/ttp_spells.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_histogram.h>
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

uint32_t spell_department(const struct model *m, const struct level_spell *s, wr_date day)
{
	const struct role_row *roles = m->ds->roles;
	uint32_t row = s->last_row;
	while (row > s->first_row && roles[row].start > day)
		row--;
	return roles[row].department;
}

void ttp_spells_collect(const struct model *m, wr_date as_of, struct ttp_spells *out)
{
	const struct dataset *ds = m->ds;
	struct ttp_spell *v = xmalloc(m->nspells * sizeof(*v));
	for (size_t i = 0; i < m->nspells; i++) {
		const struct level_spell *s = &m->spells[i];
		v[i] = (struct ttp_spell){
		    .promoted =
			s->promotion >= 0 ? ds->promotions[s->promotion].date : WR_DATE_NONE,
		    .department = spell_department(m, s, as_of),
		    .ends = spell_end(m, s, as_of),
		};
	}
	*out = (struct ttp_spells){.v = v, .as_of = as_of};
}

void ttp_spells_release(struct ttp_spells *sp)
{
	free(sp->v);
	memset(sp, 0, sizeof(*sp));
}

size_t ttp_window(const struct model *m, const struct ttp_spells *sp, wr_date since,
		  struct spell_obs **out)
{
	wr_date as_of = sp->as_of;
	struct spell_obs *v = xmalloc(m->nspells * sizeof(*v));
	size_t n = 0;
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
	return n;
}

void group_by(const uint32_t *key, size_t n, size_t nkeys, struct grouping *g)
{
	g->start = xcalloc(nkeys + 1, sizeof(*g->start));
	for (size_t i = 0; i < n; i++)
		g->start[key[i] + 1]++;
	for (size_t k = 0; k < nkeys; k++)
		g->start[k + 1] += g->start[k];
	size_t *fill = xmalloc(nkeys * sizeof(*fill));
	memcpy(fill, g->start, nkeys * sizeof(*fill));
	g->idx = xmalloc(n * sizeof(*g->idx));
	for (size_t i = 0; i < n; i++)
		g->idx[fill[key[i]]++] = i;
	free(fill);
}

void group_by_level(const struct spell_obs *obs, size_t n, struct grouping *g)
{
	uint32_t *key = xmalloc(n * sizeof(*key));
	for (size_t i = 0; i < n; i++)
		key[i] = obs[i].level_key;
	group_by(key, n, LEVEL_KEYS, g);
	free(key);
}

void grouping_release(struct grouping *g)
{
	free(g->idx);
	free(g->start);
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

/* The Kaplan-Meier figures over obs[idx[0..n)], the distinct people taking
 * part and the distinct people promoted; the fit in *keep unless NULL, and
 * the days to each promotion in exits[] unless NULL (returns how many). */
static size_t km_stats(struct distinct *seen, const struct spell_obs *obs, const size_t *idx,
		       size_t n, const struct ttp_params *p, struct ttp_stats *st,
		       struct km_result *keep, double *exits)
{
	struct km_obs *km = xmalloc(n * sizeof(*km));
	uint32_t *people = xmalloc(n * sizeof(*people));
	uint32_t *promoted = xmalloc(n * sizeof(*promoted));
	size_t np = 0, nprom = 0;
	for (size_t i = 0; i < n; i++) {
		const struct spell_obs *o = &obs[idx[i]];
		km[i] = o->km;
		if (o->km.exit > o->km.entry)
			people[np++] = o->emp;
		if (o->promoted != WR_DATE_NONE) {
			if (exits)
				exits[nprom] = o->km.exit;
			promoted[nprom++] = o->emp;
		}
	}
	struct km_result r;
	km_fit(km, n, p->ci, CONF_LEVEL, &r);
	st->spells = r.used;
	st->events = r.events;
	st->censored = r.censored;
	st->km_people = distinct_count(seen, people, np);
	km_median_months(&r, &st->km_median, &st->km_lo, &st->km_hi);
	for (int y = 0; y < TTP_HORIZONS; y++)
		st->within[y] = r.used ? 1.0 - km_survival_at(&r, ttp_horizon_days(y)) : NAN;
	st->observed_people = distinct_count(seen, promoted, nprom);
	if (keep)
		*keep = r;
	else
		km_result_release(&r);
	free(km);
	free(people);
	free(promoted);
	return nprom;
}

/* KM and observed figures over obs[idx[0..n)]. */
static void group_stats(struct distinct *seen, const struct spell_obs *obs, const size_t *idx,
			size_t n, const struct ttp_params *p, struct ttp_stats *st,
			struct km_result *keep)
{
	memset(st, 0, sizeof(*st));
	double *days = xmalloc(n * sizeof(*days));
	size_t nprom = km_stats(seen, obs, idx, n, p, st, keep, days);
	describe_sorted_copy(days, nprom, &st->observed);
	struct describe *d = &st->observed;
	d->mean /= DAYS_PER_MONTH;
	d->sd /= DAYS_PER_MONTH;
	d->median /= DAYS_PER_MONTH;
	d->p25 /= DAYS_PER_MONTH;
	d->p75 /= DAYS_PER_MONTH;
	d->min /= DAYS_PER_MONTH;
	d->max /= DAYS_PER_MONTH;
	free(days);
}

/* The figures of group k of obs: false when no spell of it takes part
 * (the group gets no row). */
static bool group_row(struct distinct *seen, const struct spell_obs *obs, const struct grouping *g,
		      size_t k, const struct ttp_params *p, struct ttp_stats *st)
{
	if (group_size(g, k) == 0)
		return false;
	group_stats(seen, obs, g->idx + g->start[k], group_size(g, k), p, st, NULL);
	return st->spells > 0;
}

static void by_levels(struct distinct *seen, const struct spell_obs *obs, size_t n,
		      const struct ttp_params *p, struct ttp_result *out)
{
	struct grouping g;
	group_by_level(obs, n, &g);
	out->levels = xcalloc(LEVEL_KEYS, sizeof(*out->levels));
	for (size_t k = 0; k < LEVEL_KEYS; k++) {
		struct ttp_stats st;
		if (group_row(seen, obs, &g, k, p, &st))
			out->levels[out->nlevels++] = (struct ttp_level_row){
			    .track = key_track(k), .level = key_level(k), .st = st};
	}
	grouping_release(&g);
}

static void by_departments(struct distinct *seen, const struct model *m,
			   const struct spell_obs *obs, size_t n, const struct ttp_params *p,
			   struct ttp_result *out)
{
	uint32_t *key = xmalloc(n * sizeof(*key));
	for (size_t i = 0; i < n; i++)
		key[i] = obs[i].department;
	uint32_t *names;
	size_t nd = rank_departments(m->ds, key, n, &names);
	struct grouping g;
	group_by(key, n, nd, &g);
	free(key);
	out->departments = xcalloc(nd, sizeof(*out->departments));
	/* log-rank input: spells of departments at or above min_group */
	struct km_obs *lr = xmalloc(n * sizeof(*lr));
	size_t *grp = xmalloc(n * sizeof(*grp));
	size_t nlr = 0, ngroups = 0;
	for (size_t k = 0; k < nd; k++) {
		struct ttp_stats st;
		if (!group_row(seen, obs, &g, k, p, &st))
			continue;
		bool in = st.km_people >= (size_t)p->min_group;
		out->departments[out->ndepartments++] =
		    (struct ttp_department_row){.department = names[k], .st = st, .in_logrank = in};
		if (!in) {
			out->logrank_left_out++;
			continue;
		}
		for (size_t i = g.start[k]; i < g.start[k + 1]; i++) {
			lr[nlr] = obs[g.idx[i]].km;
			grp[nlr++] = ngroups;
		}
		ngroups++;
	}
	logrank_test(lr, grp, nlr, ngroups, &out->logrank, NULL, NULL);
	free(lr);
	free(grp);
	free(names);
	grouping_release(&g);
}

static void by_years(struct distinct *seen, const struct spell_obs *obs, size_t n,
		     const struct ttp_params *p, struct ttp_result *out)
{
	int y0 = date_year(p->since), y1 = date_year(p->as_of);
	out->nyears = (size_t)(y1 - y0 + 1);
	out->years = xcalloc(out->nyears, sizeof(*out->years));
	/* promoted observations grouped by year */
	uint32_t *year = xmalloc(n * sizeof(*year));
	size_t *which = xmalloc(n * sizeof(*which));
	size_t ne = 0;
	for (size_t i = 0; i < n; i++)
		if (obs[i].promoted != WR_DATE_NONE) {
			year[ne] = (uint32_t)(date_year(obs[i].promoted) - y0);
			which[ne++] = i;
		}
	struct grouping g;
	group_by(year, ne, out->nyears, &g);
	double *months = xmalloc(ne * sizeof(*months));
	uint32_t *people = xmalloc(ne * sizeof(*people));
	for (size_t yi = 0; yi < out->nyears; yi++) {
		struct ttp_year_row *row = &out->years[yi];
		size_t k = group_size(&g, yi);
		for (size_t j = 0; j < k; j++) {
			const struct spell_obs *o = &obs[which[g.idx[g.start[yi] + j]]];
			months[j] = o->km.exit / DAYS_PER_MONTH;
			people[j] = o->emp;
		}
		struct describe d;
		describe_sorted_copy(months, k, &d);
		row->year = y0 + (int)yi;
		row->promotions = k;
		row->median = d.median;
		row->mean = d.mean;
		row->people = distinct_count(seen, people, k);
	}
	free(months);
	free(people);
	grouping_release(&g);
	free(which);
	free(year);
}

static void histogram(const struct spell_obs *obs, size_t n, struct ttp_result *out)
{
	double max = 0;
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		if (obs[i].promoted == WR_DATE_NONE)
			continue;
		max = fmax(max, obs[i].km.exit / DAYS_PER_MONTH);
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
	for (size_t i = 0; i < n; i++) {
		if (obs[i].promoted == WR_DATE_NONE)
			continue;
		double v = obs[i].km.exit / DAYS_PER_MONTH;
		/* the open last bin takes everything above its start */
		if (v >= top)
			v = top - TTP_HIST_BIN_MONTHS / 2;
		if (gsl_histogram_increment(h, v) != GSL_SUCCESS)
			continue; /* out of range: cannot happen after the clamp */
	}
	for (size_t b = 0; b < bins; b++)
		out->hist[b] = (size_t)gsl_histogram_get(h, b);
	gsl_histogram_free(h);
}

/* The cumulative curves: all spells (the estimate already made for the
 * All levels row), IC and management. */
static void curves(struct distinct *seen, const struct spell_obs *obs, size_t n,
		   const struct ttp_params *p, const struct km_result *all, struct ttp_result *out)
{
	size_t *idx = xmalloc(n * sizeof(*idx));
	for (int c = 0; c < 3; c++) {
		struct ttp_stats st = out->all;
		struct km_result r;
		const struct km_result *use = all;
		if (c > 0) {
			uint8_t track = c == 1 ? TRACK_IC : TRACK_MANAGEMENT;
			size_t k = 0;
			for (size_t i = 0; i < n; i++)
				if (spell_track(&obs[i]) == track)
					idx[k++] = i;
			km_stats(seen, obs, idx, k, p, &st, &r, NULL);
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
	free(idx);
}

void ttp_compute(const struct model *m, const struct ttp_spells *sp, const struct ttp_params *p,
		 struct ttp_result *out)
{
	memset(out, 0, sizeof(*out));
	struct distinct seen_store = {.stamp = xcalloc(m->nemps, sizeof(uint32_t))};
	struct distinct *seen = &seen_store;
	struct spell_obs *obs;
	size_t n = ttp_window(m, sp, p->since, &obs);
	size_t *all = xmalloc(n * sizeof(*all));
	for (size_t i = 0; i < n; i++)
		all[i] = i;
	struct km_result all_km;
	group_stats(seen, obs, all, n, p, &out->all, &all_km);
	free(all);
	by_levels(seen, obs, n, p, out);
	by_departments(seen, m, obs, n, p, out);
	by_years(seen, obs, n, p, out);
	histogram(obs, n, out);
	curves(seen, obs, n, p, &all_km, out);
	km_result_release(&all_km);
	ttp_periods(obs, n, p, out);
	ttp_outcomes(obs, n, out);
	ttp_protect(m, sp, p, out);
	free(obs);
	free(seen_store.stamp);
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
