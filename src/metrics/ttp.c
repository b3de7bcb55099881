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

static size_t distinct_count(struct distinct *d, const uint32_t *ids, size_t n)
{
	distinct_begin(d);
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		k += (size_t)distinct_add(d, ids[i]);
	return k;
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

size_t ttp_collect(const struct model *m, const struct ttp_params *p, struct spell_obs **out)
{
	const struct dataset *ds = m->ds;
	struct spell_obs *v = xmalloc(m->nspells * sizeof(*v));
	size_t n = 0;
	for (size_t i = 0; i < m->nspells; i++) {
		const struct level_spell *s = &m->spells[i];
		wr_date d = s->promotion >= 0 ? ds->promotions[s->promotion].date : WR_DATE_NONE;
		bool event = d != WR_DATE_NONE && d >= p->since && d <= p->as_of;
		/* a spell overlapping the window, or one that ends the day before a
		 * promotion on the window's first day (observed, but with exit =
		 * entry it takes no part in the KM estimate) */
		if (s->start > p->as_of || (s->end < p->since && !event))
			continue;
		double entry = p->since > s->start ? (double)(p->since - s->start) : 0.0;
		wr_date last = s->end < p->as_of ? s->end : p->as_of;
		double exit = event ? (double)(d - s->start) : (double)(last - s->start);
		/* the department of the last role row that started by the as-of
		 * date: rows dated after it are left out of the analyses */
		uint32_t row = s->last_row;
		while (row > s->first_row && ds->roles[row].start > p->as_of)
			row--;
		v[n++] = (struct spell_obs){
		    .km = {entry, exit, event},
		    .emp = s->emp,
		    .department = ds->roles[row].department,
		    .level_key = level_key(s->track, s->level),
		    .start = s->start,
		    .promoted = event ? d : WR_DATE_NONE,
		    .outcome = event ? SPELL_PROMOTED : spell_end(m, s, p->as_of),
		};
	}
	*out = v;
	return n;
}

/* KM and observed figures over obs[idx[0..n)]. */
static void group_stats(struct distinct *seen, const struct spell_obs *obs, const size_t *idx,
			size_t n, const struct ttp_params *p, struct ttp_stats *st,
			struct km_result *keep)
{
	memset(st, 0, sizeof(*st));
	struct km_obs *km = xmalloc(n * sizeof(*km));
	uint32_t *people = xmalloc(n * sizeof(*people));
	uint32_t *promoted = xmalloc(n * sizeof(*promoted));
	double *months = xmalloc(n * sizeof(*months));
	size_t np = 0, nprom = 0;
	for (size_t i = 0; i < n; i++) {
		const struct spell_obs *o = &obs[idx[i]];
		km[i] = o->km;
		if (o->km.exit > o->km.entry)
			people[np++] = o->emp;
		if (o->promoted != WR_DATE_NONE) {
			promoted[nprom] = o->emp;
			months[nprom++] = o->km.exit; /* days: scaled to months below */
		}
	}
	struct km_result r;
	km_fit(km, n, p->ci, CONF_LEVEL, &r);
	st->spells = r.used;
	st->events = r.events;
	st->censored = r.censored;
	st->km_people = distinct_count(seen, people, np);
	st->km_median = r.median / DAYS_PER_MONTH;
	st->km_lo = r.median_lower / DAYS_PER_MONTH;
	st->km_hi = r.median_upper / DAYS_PER_MONTH;
	for (int y = 0; y < 3; y++)
		st->within[y] =
		    r.used ? 1.0 - km_survival_at(&r, 12.0 * (y + 1) * DAYS_PER_MONTH) : NAN;
	describe_sorted_copy(months, nprom, &st->observed);
	struct describe *d = &st->observed;
	d->mean /= DAYS_PER_MONTH;
	d->sd /= DAYS_PER_MONTH;
	d->median /= DAYS_PER_MONTH;
	d->p25 /= DAYS_PER_MONTH;
	d->p75 /= DAYS_PER_MONTH;
	d->min /= DAYS_PER_MONTH;
	d->max /= DAYS_PER_MONTH;
	st->observed_people = distinct_count(seen, promoted, nprom);
	if (keep)
		*keep = r;
	else
		km_result_release(&r);
	free(km);
	free(people);
	free(promoted);
	free(months);
}

/* Indices 0..n-1 grouped by a small key (a counting sort: linear, stable). */
static size_t *grouped_index(const uint32_t *key, size_t n, size_t nkeys)
{
	size_t *start = xcalloc(nkeys + 1, sizeof(*start));
	for (size_t i = 0; i < n; i++)
		start[key[i] + 1]++;
	for (size_t k = 0; k < nkeys; k++)
		start[k + 1] += start[k];
	size_t *idx = xmalloc(n * sizeof(*idx));
	for (size_t i = 0; i < n; i++)
		idx[start[key[i]]++] = i;
	free(start);
	return idx;
}

static void by_levels(struct distinct *seen, const struct spell_obs *obs,
		      size_t n, const struct ttp_params *p, struct ttp_result *out)
{
	uint32_t *keys = xmalloc(n * sizeof(*keys));
	for (size_t i = 0; i < n; i++)
		keys[i] = obs[i].level_key;
	size_t *idx = grouped_index(keys, n, 32);
	free(keys);
	size_t cap = 0;
	for (size_t i = 0; i < n;) {
		size_t j = i;
		while (j < n && obs[idx[j]].level_key == obs[idx[i]].level_key)
			j++;
		struct ttp_stats st;
		group_stats(seen, obs, idx + i, j - i, p, &st, NULL);
		if (st.spells > 0) {
			uint16_t key = obs[idx[i]].level_key;
			GROW(out->levels, cap, out->nlevels + 1);
			out->levels[out->nlevels++] = (struct ttp_level_row){
			    .track = key_track(key),
			    .level = key_level(key),
			    .st = st,
			};
		}
		i = j;
	}
	free(idx);
}

static void by_departments(struct distinct *seen, const struct model *m,
			   const struct spell_obs *obs, size_t n, const struct ttp_params *p,
			   struct ttp_result *out)
{
	/* departments ranked by name, then grouped by rank */
	const struct dataset *ds = m->ds;
	uint32_t *rank = xmalloc(ds->strs.count * sizeof(*rank));
	uint32_t *names = xmalloc(ds->strs.count * sizeof(*names));
	uint8_t *listed = xcalloc(ds->strs.count ? ds->strs.count : 1, 1);
	size_t nd = 0;
	for (size_t i = 0; i < n; i++)
		if (!listed[obs[i].department]) {
			listed[obs[i].department] = 1;
			names[nd++] = obs[i].department;
		}
	ds_sort_by_name(ds, names, nd);
	for (size_t r = 0; r < nd; r++)
		rank[names[r]] = (uint32_t)r;
	uint32_t *key = xmalloc(n * sizeof(*key));
	for (size_t i = 0; i < n; i++)
		key[i] = rank[obs[i].department];
	size_t *idx = grouped_index(key, n, nd);
	free(key);
	free(listed);
	free(names);
	free(rank);
	size_t cap = 0;
	/* log-rank input: spells of departments at or above min_group */
	struct km_obs *lr = xmalloc(n * sizeof(*lr));
	size_t *grp = xmalloc(n * sizeof(*grp));
	size_t nlr = 0, ngroups = 0;
	for (size_t i = 0; i < n;) {
		size_t j = i;
		while (j < n && obs[idx[j]].department == obs[idx[i]].department)
			j++;
		struct ttp_stats st;
		group_stats(seen, obs, idx + i, j - i, p, &st, NULL);
		if (st.spells > 0) {
			bool in = st.km_people >= (size_t)p->min_group;
			GROW(out->departments, cap, out->ndepartments + 1);
			out->departments[out->ndepartments++] = (struct ttp_department_row){
			    .department = obs[idx[i]].department,
			    .st = st,
			    .in_logrank = in,
			};
			if (in) {
				for (size_t k = i; k < j; k++) {
					lr[nlr] = obs[idx[k]].km;
					grp[nlr++] = ngroups;
				}
				ngroups++;
			} else {
				out->logrank_left_out++;
			}
		}
		i = j;
	}
	logrank_test(lr, grp, nlr, ngroups, &out->logrank, NULL, NULL);
	free(lr);
	free(grp);
	free(idx);
}

static void by_years(const struct spell_obs *obs, size_t n, const struct ttp_params *p,
		     struct ttp_result *out)
{
	int y0 = date_year(p->since), y1 = date_year(p->as_of);
	out->nyears = (size_t)(y1 - y0 + 1);
	out->years = xcalloc(out->nyears, sizeof(*out->years));
	/* promoted observations grouped by year (a counting sort) */
	size_t ne = 0;
	for (size_t i = 0; i < n; i++)
		ne += obs[i].promoted != WR_DATE_NONE;
	uint32_t *year = xmalloc(ne * sizeof(*year));
	size_t *which = xmalloc(ne * sizeof(*which));
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (obs[i].promoted != WR_DATE_NONE) {
			year[k] = (uint32_t)(date_year(obs[i].promoted) - y0);
			which[k++] = i;
		}
	size_t *idx = grouped_index(year, ne, out->nyears);
	double *y = xmalloc(ne * sizeof(*y));
	double *months = xmalloc(ne * sizeof(*months));
	uint32_t *people = xmalloc(ne * sizeof(*people));
	for (size_t i = 0; i < ne; i++) {
		const struct spell_obs *o = &obs[which[idx[i]]];
		y[i] = o->km.exit / DAYS_PER_MONTH;
		people[i] = o->emp;
	}
	size_t at = 0;
	for (size_t yi = 0; yi < out->nyears; yi++) {
		struct ttp_year_row *row = &out->years[yi];
		row->year = y0 + (int)yi;
		size_t m = 0;
		while (at + m < ne && year[idx[at + m]] == yi)
			m++;
		row->promotions = m;
		memcpy(months, y + at, m * sizeof(*months));
		struct describe d;
		describe_sorted_copy(months, m, &d);
		row->median = d.median;
		row->mean = d.mean;
		uint32_t *tmp = xmalloc(m * sizeof(*tmp));
		memcpy(tmp, people + at, m * sizeof(*tmp));
		row->people = count_distinct(tmp, m);
		free(tmp);
		at += m;
	}
	free(y);
	free(months);
	free(people);
	free(idx);
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
	struct km_obs *km = xmalloc(n * sizeof(*km));
	uint32_t *people = xmalloc(n * sizeof(*people));
	uint32_t *promoted = xmalloc(n * sizeof(*promoted));
	out->curve_people[0] = out->all.km_people;
	out->curve_event_people[0] = out->all.observed_people;
	for (int c = 0; c < 3; c++) {
		struct km_result r;
		const struct km_result *use = all;
		if (c > 0) {
			size_t k = 0, np = 0, ne = 0;
			uint8_t track = c == 1 ? TRACK_IC : TRACK_MANAGEMENT;
			for (size_t i = 0; i < n; i++) {
				if (key_track(obs[i].level_key) != track)
					continue;
				km[k++] = obs[i].km;
				if (obs[i].km.exit > obs[i].km.entry)
					people[np++] = obs[i].emp;
				if (obs[i].promoted != WR_DATE_NONE)
					promoted[ne++] = obs[i].emp;
			}
			km_fit(km, k, p->ci, CONF_LEVEL, &r);
			out->curve_people[c] = distinct_count(seen, people, np);
			out->curve_event_people[c] = distinct_count(seen, promoted, ne);
			use = &r;
		}
		for (int mth = 0; mth <= TTP_CURVE_MONTHS; mth++)
			out->curve[mth][c] =
				use->used ? 1.0 - km_survival_at(use, mth * DAYS_PER_MONTH) : NAN;
		if (c > 0)
			km_result_release(&r);
	}
	free(km);
	free(people);
	free(promoted);
}

void ttp_compute(const struct model *m, const struct ttp_params *p, struct ttp_result *out)
{
	memset(out, 0, sizeof(*out));
	struct distinct seen_store = {
	    .stamp = xcalloc(m->nemps ? m->nemps : 1, sizeof(uint32_t)),
	    .round = 0,
	};
	struct distinct *seen = &seen_store;
	struct spell_obs *obs;
	size_t n = ttp_collect(m, p, &obs);
	size_t *all = xmalloc(n * sizeof(*all));
	for (size_t i = 0; i < n; i++)
		all[i] = i;
	struct km_result all_km;
	group_stats(seen, obs, all, n, p, &out->all, &all_km);
	free(all);
	by_levels(seen, obs, n, p, out);
	by_departments(seen, m, obs, n, p, out);
	by_years(obs, n, p, out);
	histogram(obs, n, out);
	curves(seen, obs, n, p, &all_km, out);
	km_result_release(&all_km);
	ttp_periods(obs, n, p, out);
	ttp_outcomes(obs, n, out);
	ttp_protect(m, p, out);
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
