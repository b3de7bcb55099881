/* programmes.c - see programmes.h. */
#include "metrics/programmes.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_statistics_double.h>

#include "core/alloc.h"
#include "core/keyset.h"
#include "core/sort.h"
#include "metrics/programmes_privacy.h"
#include "metrics/ttp.h"
#include "metrics/ttp_spells.h"

#define LATE_DAYS 14

enum secondment_status secondment_status(const struct secondment_row *s, wr_date as_of)
{
	if (s->start > as_of)
		return SEC_UPCOMING;
	if (s->end == WR_DATE_NONE || s->end > as_of)
		return SEC_ACTIVE;
	if (s->end < s->planned_end - LATE_DAYS)
		return SEC_ENDED_EARLY;
	if (s->end > s->planned_end + LATE_DAYS)
		return SEC_EXTENDED;
	return SEC_COMPLETED;
}

enum policy_fit secondment_policy(wr_date start, wr_date planned_end)
{
	if (planned_end < date_add_months(start, 3) - 1)
		return POLICY_SHORT;
	if (planned_end > date_add_months(start, 12) - 1)
		return POLICY_LONG;
	return POLICY_WITHIN;
}

/* Days served: to the end, or to as-of while active. */
static int32_t days_served(const struct secondment_row *s, wr_date as_of)
{
	wr_date last = s->end == WR_DATE_NONE || s->end > as_of ? as_of : s->end;
	return last - s->start + 1;
}

static double months_served(const struct secondment_row *s, wr_date as_of)
{
	return (double)days_served(s, as_of) / DAYS_PER_MONTH;
}

static int cmp_i32(const void *a, const void *b)
{
	int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
	return (x > y) - (x < y);
}

/* Sort whole numbers: by counting when their range is small for n, else
 * by comparison. */
static void sort_days(int32_t *v, size_t n)
{
	if (n < 2)
		return;
	int32_t lo = v[0], hi = v[0];
	for (size_t i = 1; i < n; i++) {
		if (v[i] < lo)
			lo = v[i];
		if (v[i] > hi)
			hi = v[i];
	}
	size_t range = (size_t)((int64_t)hi - lo) + 1;
	if (range > 4 * n + 1024) {
		sort_items(v, n, sizeof(*v), cmp_i32);
		return;
	}
	uint32_t *count = xcalloc(range, sizeof(*count));
	for (size_t i = 0; i < n; i++)
		count[v[i] - lo]++;
	size_t k = 0;
	for (size_t d = 0; d < range; d++)
		for (uint32_t c = 0; c < count[d]; c++)
			v[k++] = lo + (int32_t)d;
	free(count);
}

/* The median of days[0..n) (reordered) in months, as describe_sorted_copy
 * gives it for the months: months grow with days, so the days sorted give
 * the months sorted, and GSL's median reads them. NaN when n is 0. */
static double median_months(int32_t *days, size_t n)
{
	if (n == 0)
		return NAN;
	sort_days(days, n);
	double *months = xmalloc(n * sizeof(*months));
	for (size_t i = 0; i < n; i++)
		months[i] = (double)days[i] / DAYS_PER_MONTH;
	double median = gsl_stats_median_from_sorted_data(months, 1, n);
	free(months);
	return median;
}

/* seen: a stamp per ds->strs id, for counting distinct secondees. */
static void fill_secondments(const struct dataset *ds, const uint32_t *idx, size_t n,
			     wr_date as_of, struct distinct *seen, struct secondment_group *g)
{
	uint32_t key = g->key;
	memset(g, 0, sizeof(*g));
	g->key = key;
	uint32_t *ended_ids = xmalloc(n * sizeof(*ended_ids));
	int32_t *durations = xmalloc(n * sizeof(*durations)); /* days, ended ones */
	size_t nended = 0;
	distinct_begin(seen);
	for (size_t i = 0; i < n; i++) {
		const struct secondment_row *s = &ds->secondments[idx[i]];
		g->people += (uint64_t)distinct_add(seen, s->id);
		g->secondments++;
		switch (secondment_status(s, as_of)) {
		case SEC_ACTIVE: g->active++; break;
		case SEC_COMPLETED: g->completed++; break;
		case SEC_EXTENDED: g->extended++; break;
		case SEC_ENDED_EARLY: g->ended_early++; break;
		default: break;
		}
		if (secondment_status(s, as_of) >= SEC_COMPLETED) {
			ended_ids[nended] = s->id;
			durations[nended++] = days_served(s, as_of);
		}
		if (s->merged_mrs > 0)
			g->merged_mrs += (uint64_t)s->merged_mrs;
		g->secondee_months += months_served(s, as_of);
	}
	g->ended_people = distinct_count(seen, ended_ids, nended);
	g->median_duration = median_months(durations, nended);
	g->too_early = 2 * g->active > g->secondments;
	wilson(g->completed + g->extended, g->completed + g->extended + g->ended_early,
	       CONF_LEVEL, &g->completion);
	g->mrs_per_month = g->secondee_months > 0 ? (double)g->merged_mrs / g->secondee_months
						  : NAN;
	free(ended_ids);
	free(durations);
}

static int by_value(const void *a, const void *b, void *ctx)
{
	(void)ctx;
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return (x > y) - (x < y);
}

/* ds->strs ids by name, then by id (a string table holds each name once). */
static int by_name(const void *a, const void *b, void *ctx)
{
	const struct dataset *ds = ctx;
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	int c = strcmp(ds_str(ds, x), ds_str(ds, y));
	return c ? c : by_value(a, b, ctx);
}

/* Order idx[0..n) by key[idx[i]], stable: by value, or by name for string
 * ids. The few distinct keys are sorted and ranked, then idx is counted
 * into place by rank: the order a stable comparison sort of idx gives,
 * without comparing names n log n times. */
static void order_by_key(const struct dataset *ds, uint32_t *idx, size_t n, const uint32_t *key,
			 bool names)
{
	struct keyset slot_of;
	keyset_init(&slot_of);
	uint32_t *keys = NULL, *slot = xmalloc((n ? n : 1) * sizeof(*slot));
	size_t nkeys = 0, cap = 0;
	for (size_t i = 0; i < n; i++) {
		uint32_t at;
		if (keyset_add(&slot_of, key[idx[i]], (uint32_t)nkeys, &at)) {
			GROW(keys, cap, nkeys + 1);
			keys[nkeys] = key[idx[i]];
			at = (uint32_t)nkeys++;
		}
		slot[i] = at;
	}
	uint32_t *sorted = xmalloc((nkeys ? nkeys : 1) * sizeof(*sorted));
	if (nkeys) /* keys is NULL when there are none */
		memcpy(sorted, keys, nkeys * sizeof(*keys));
	sort_with(sorted, nkeys, sizeof(*sorted), names ? by_name : by_value, (void *)ds);
	/* rank of each slot; then where each rank's run starts */
	size_t *start = xcalloc(nkeys + 1, sizeof(*start));
	uint32_t *rank = xmalloc((nkeys ? nkeys : 1) * sizeof(*rank));
	for (size_t r = 0; r < nkeys; r++) {
		uint32_t at = 0;
		keyset_get(&slot_of, sorted[r], &at);
		rank[at] = (uint32_t)r;
	}
	for (size_t i = 0; i < n; i++)
		start[rank[slot[i]] + 1]++;
	for (size_t r = 0; r < nkeys; r++)
		start[r + 1] += start[r];
	uint32_t *out = xmalloc((n ? n : 1) * sizeof(*out));
	for (size_t i = 0; i < n; i++)
		out[start[rank[slot[i]]]++] = idx[i];
	memcpy(idx, out, n * sizeof(*idx));
	free(out);
	free(rank);
	free(start);
	free(sorted);
	free(slot);
	free(keys);
	keyset_release(&slot_of);
}

/* Group idx[0..n) by key[] (ordered by value, or by name for string ids). */
static size_t group_secondments(const struct dataset *ds, uint32_t *idx, size_t n,
				const uint32_t *key, bool names, wr_date as_of,
				struct distinct *seen, struct secondment_group **out)
{
	order_by_key(ds, idx, n, key, names);
	size_t ng = 0, cap = 0;
	*out = NULL;
	for (size_t i = 0; i < n;) {
		size_t j = i;
		while (j < n && key[idx[j]] == key[idx[i]])
			j++;
		GROW(*out, cap, ng + 1);
		(*out)[ng].key = key[idx[i]];
		fill_secondments(ds, idx + i, j - i, as_of, seen, &(*out)[ng]);
		ng++;
		i = j;
	}
	return ng;
}

static int by_merged(const void *a, const void *b, void *ctx)
{
	const struct secondment_group *x = a, *y = b;
	const struct dataset *ds = ctx;
	if (x->merged_mrs != y->merged_mrs)
		return x->merged_mrs < y->merged_mrs ? 1 : -1;
	return strcmp(ds_str(ds, x->key), ds_str(ds, y->key));
}

void secondments_compute(const struct model *m, const struct programme_params *p,
			 struct secondment_result *out)
{
	const struct dataset *ds = m->ds;
	memset(out, 0, sizeof(*out));
	out->present = ds->files[WR_FILE_SECONDMENTS].present;
	size_t n = ds->nsecondments;
	uint32_t *idx = xmalloc(n * sizeof(*idx));
	uint32_t *year = xmalloc(n * sizeof(*year));
	uint32_t *employer = xmalloc(n * sizeof(*employer));
	uint32_t *team = xmalloc(n * sizeof(*team));
	int32_t *planned_days = xmalloc(n * sizeof(*planned_days));
	uint32_t *planned_ids = xmalloc(n * sizeof(*planned_ids));
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		const struct secondment_row *s = &ds->secondments[i];
		year[i] = (uint32_t)date_year(s->start);
		employer[i] = s->employer;
		team[i] = s->team;
		enum secondment_status st = secondment_status(s, p->as_of);
		if (st == SEC_UPCOMING || (st != SEC_ACTIVE && s->end < p->since))
			continue; /* not overlapping the window */
		planned_days[k] = s->planned_end - s->start + 1;
		planned_ids[k] = s->id;
		out->policy[secondment_policy(s->start, s->planned_end)]++;
		idx[k++] = (uint32_t)i;
	}
	struct distinct seen = {xcalloc(ds->strs.count ? ds->strs.count : 1, sizeof(uint32_t)), 0};
	fill_secondments(ds, idx, k, p->as_of, &seen, &out->all);
	/* in months, handed to describe in order: months grow with days, so
	 * the days sorted by counting leave its sort nothing to reorder */
	sort_days(planned_days, k);
	double *planned = xmalloc((k ? k : 1) * sizeof(*planned));
	for (size_t i = 0; i < k; i++)
		planned[i] = (double)planned_days[i] / DAYS_PER_MONTH;
	describe_sorted_copy(planned, k, &out->planned);
	free(planned_days);
	out->planned_people = distinct_count(&seen, planned_ids, k);
	out->nyears = group_secondments(ds, idx, k, year, false, p->as_of, &seen, &out->years);
	out->nteams = group_secondments(ds, idx, k, team, true, p->as_of, &seen, &out->teams);

	/* employers: small ones fold into one "Other employers" row, last */
	struct secondment_group *emp;
	size_t ne = group_secondments(ds, idx, k, employer, true, p->as_of, &seen, &emp);
	uint32_t *small = xmalloc(k * sizeof(*small));
	size_t nsmall = 0;
	out->employers = xcalloc(ne + 1, sizeof(*out->employers));
	for (size_t g = 0; g < ne; g++) {
		if (emp[g].people >= (uint64_t)p->min_group) {
			out->employers[out->nemployers++] = emp[g];
			continue;
		}
		for (size_t i = 0; i < k; i++)
			if (employer[idx[i]] == emp[g].key)
				small[nsmall++] = idx[i];
	}
	sort_with(out->employers, out->nemployers, sizeof(*out->employers), by_merged,
		  (void *)ds);
	if (nsmall) {
		struct secondment_group *other = &out->employers[out->nemployers++];
		other->key = STRTAB_NONE;
		fill_secondments(ds, small, nsmall, p->as_of, &seen, other);
	}
	free(seen.stamp);
	free(small);
	free(emp);
	free(idx);
	free(year);
	free(employer);
	free(team);
	free(planned);
	free(planned_ids);

	const struct privacy pv = {p->min_group};
	struct secondment_result prev;
	bool have_prev = p->prev_as_of != WR_DATE_NONE && p->prev_as_of >= p->since &&
			 p->prev_as_of < p->as_of;
	if (have_prev) {
		struct programme_params q = *p;
		q.as_of = p->prev_as_of;
		q.prev_as_of = WR_DATE_NONE;
		secondments_compute(m, &q, &prev);
	}
	secondments_protect(&pv, out, have_prev ? &prev : NULL);
	if (have_prev)
		secondments_release(&prev);
}

void secondments_release(struct secondment_result *r)
{
	free(r->years);
	free(r->employers);
	free(r->teams);
	memset(r, 0, sizeof(*r));
}

/* Interns */

static bool intern_active(const struct intern_row *in, wr_date as_of)
{
	return in->outcome == OUTCOME_NONE || (in->end != WR_DATE_NONE && in->end > as_of);
}

/* seen: a stamp per ds->strs id, for counting distinct interns. */
static void fill_interns(const struct dataset *ds, const uint32_t *idx, size_t n, wr_date as_of,
			 struct distinct *seen, struct intern_group *g)
{
	distinct_begin(seen);
	for (size_t i = 0; i < n; i++) {
		const struct intern_row *in = &ds->interns[idx[i]];
		g->people += (uint64_t)distinct_add(seen, in->id);
		g->interns++;
		if (intern_active(in, as_of)) {
			g->active++;
			continue;
		}
		g->ended++;
		if (in->outcome == OUTCOME_HIRED)
			g->hired++;
		else if (in->outcome == OUTCOME_DECLINED)
			g->declined++;
		else
			g->no_offer++;
	}
	wilson(g->hired, g->ended, CONF_LEVEL, &g->conversion);
	uint64_t offers = g->hired + g->declined;
	g->offer_rate = g->ended ? (double)offers / (double)g->ended : NAN;
	g->acceptance = offers ? (double)g->hired / (double)offers : NAN;
}

static int team_name_order(const void *a, const void *b, void *ctx)
{
	const struct dataset *ds = ctx;
	return strcmp(ds_str(ds, *(const uint32_t *)a), ds_str(ds, *(const uint32_t *)b));
}

/* Order idx[0..n) (internships started in [since, as_of]) by start year,
 * then team name, stable: the teams are ranked by name once (a shared rank
 * for equal names) and idx counted into place by (year, rank), the order a
 * stable sort comparing year and then name gives. */
static void cohort_order(const struct dataset *ds, uint32_t *idx, size_t n, wr_date since,
			 wr_date as_of)
{
	struct keyset slot_of;
	keyset_init(&slot_of);
	uint32_t *teams = NULL, *slot = xmalloc((n ? n : 1) * sizeof(*slot));
	size_t nteams = 0, cap = 0;
	for (size_t i = 0; i < n; i++) {
		uint32_t team = ds->interns[idx[i]].team, at;
		if (keyset_add(&slot_of, team, (uint32_t)nteams, &at)) {
			GROW(teams, cap, nteams + 1);
			teams[nteams] = team;
			at = (uint32_t)nteams++;
		}
		slot[i] = at;
	}
	uint32_t *named = xmalloc((nteams ? nteams : 1) * sizeof(*named));
	if (nteams) /* teams is NULL when there are none */
		memcpy(named, teams, nteams * sizeof(*teams));
	sort_with(named, nteams, sizeof(*named), team_name_order, (void *)ds);
	uint32_t *rank = xmalloc((nteams ? nteams : 1) * sizeof(*rank));
	uint32_t shared = 0; /* the rank of the first team of the name */
	for (size_t r = 0; r < nteams; r++) {
		uint32_t at = 0;
		keyset_get(&slot_of, named[r], &at);
		if (r > 0 && strcmp(ds_str(ds, named[r]), ds_str(ds, named[r - 1])) != 0)
			shared = (uint32_t)r;
		rank[at] = shared;
	}
	int first_year = date_year(since);
	size_t years = (size_t)(date_year(as_of) - first_year) + 1;
	size_t nbins = years * (nteams ? nteams : 1);
	size_t *start = xcalloc(nbins + 1, sizeof(*start));
	uint32_t *bin = xmalloc((n ? n : 1) * sizeof(*bin));
	for (size_t i = 0; i < n; i++) {
		size_t y = (size_t)(date_year(ds->interns[idx[i]].start) - first_year);
		bin[i] = (uint32_t)(y * nteams + rank[slot[i]]);
		start[bin[i] + 1]++;
	}
	for (size_t b = 0; b < nbins; b++)
		start[b + 1] += start[b];
	uint32_t *out = xmalloc((n ? n : 1) * sizeof(*out));
	for (size_t i = 0; i < n; i++)
		out[start[bin[i]]++] = idx[i];
	memcpy(idx, out, n * sizeof(*idx));
	free(out);
	free(bin);
	free(start);
	free(rank);
	free(named);
	free(slot);
	free(teams);
	keyset_release(&slot_of);
}

/* Hired interns in roles.csv: hire date, retention, first promotion. */
static void careers(const struct model *m, const struct programme_params *p, const uint32_t *idx,
		    size_t n, struct intern_careers *c)
{
	const struct dataset *ds = m->ds;
	wr_date *hire = xmalloc(m->nemps * sizeof(*hire));
	for (size_t e = 0; e < m->nemps; e++)
		hire[e] = WR_DATE_NONE;
	uint32_t *found = xmalloc(n * sizeof(*found));
	size_t nfound = 0;
	for (size_t i = 0; i < n; i++) {
		const struct intern_row *in = &ds->interns[idx[i]];
		if (intern_active(in, p->as_of) || in->outcome != OUTCOME_HIRED)
			continue;
		c->hired++;
		if (in->emp == STRTAB_NONE || in->emp >= m->nemps || !m->emps[in->emp].nrows)
			continue;
		const struct employee *e = &m->emps[in->emp];
		/* the first role that starts on or after the internship did */
		wr_date h = ds->roles[e->first_row].start;
		for (uint32_t r = e->first_row; r < e->first_row + e->nrows; r++)
			if (ds->roles[r].start >= in->start) {
				h = ds->roles[r].start;
				break;
			}
		if (h > p->as_of || hire[in->emp] != WR_DATE_NONE)
			continue; /* hired after as-of, or counted already */
		hire[in->emp] = h;
		found[nfound++] = in->emp;
	}
	struct km_obs *obs = xmalloc(nfound * sizeof(*obs));
	for (size_t i = 0; i < nfound; i++) {
		uint32_t emp = found[i];
		const struct employee *e = &m->emps[emp];
		wr_date h = hire[emp];
		/* the first promotion after hire, by as-of: the matched promotions
		 * (promotion_row.spell set) are those of the employee's spells */
		wr_date first_promo = WR_DATE_NONE;
		for (uint32_t k = e->first_spell; k < e->first_spell + e->nspells; k++) {
			if (m->spells[k].promotion < 0)
				continue;
			wr_date d = ds->promotions[m->spells[k].promotion].date;
			if (d > h && d <= p->as_of && (first_promo == WR_DATE_NONE || d < first_promo))
				first_promo = d;
		}
		c->found++;
		if (model_role_on(m, emp, p->as_of))
			c->employed++;
		wr_date year_on = date_add_months(h, 12);
		if (year_on <= p->as_of) {
			c->retained_base++;
			if (model_role_on(m, emp, year_on))
				c->retained++;
		}
		wr_date left = ds->roles[e->first_row + e->nrows - 1].end;
		wr_date stop = left < p->as_of ? left : p->as_of;
		if (first_promo != WR_DATE_NONE) {
			c->promoted++;
			obs[i] = (struct km_obs){0, (double)(first_promo - h), true};
		} else {
			obs[i] = (struct km_obs){0, (double)(stop - h), false};
		}
	}
	km_fit(obs, nfound, p->ci, CONF_LEVEL, &c->km);
	free(obs);
	free(found);
	free(hire);
}

void interns_compute(const struct model *m, const struct programme_params *p,
		     struct intern_result *out)
{
	const struct dataset *ds = m->ds;
	memset(out, 0, sizeof(*out));
	out->present = ds->files[WR_FILE_INTERNS].present;
	out->has_route = ds->files[WR_FILE_INTERNS].has_column[INTERNS_ROUTE];
	size_t n = ds->ninterns, k = 0;
	uint32_t *idx = xmalloc(n * sizeof(*idx));
	for (size_t i = 0; i < n; i++)
		if (ds->interns[i].start >= p->since && ds->interns[i].start <= p->as_of)
			idx[k++] = (uint32_t)i;
	struct distinct seen = {xcalloc(ds->strs.count ? ds->strs.count : 1, sizeof(uint32_t)), 0};
	fill_interns(ds, idx, k, p->as_of, &seen, &out->all);
	out->first_year = date_year(p->since);
	out->last_year = date_year(p->as_of);

	cohort_order(ds, idx, k, p->since, p->as_of);
	size_t cap = 0;
	for (size_t i = 0; i < k;) {
		const struct intern_row *a = &ds->interns[idx[i]];
		int year = date_year(a->start);
		size_t j = i;
		while (j < k && ds->interns[idx[j]].team == a->team &&
		       date_year(ds->interns[idx[j]].start) == year)
			j++;
		GROW(out->cohorts, cap, out->ncohorts + 1);
		struct intern_group *g = &out->cohorts[out->ncohorts++];
		memset(g, 0, sizeof(*g));
		g->key = (uint32_t)date_year(a->start);
		g->team = a->team;
		fill_interns(ds, idx + i, j - i, p->as_of, &seen, g);
		i = j;
	}

	/* teams, for the conversion chart */
	out->teams = xmalloc((out->ncohorts + 1) * sizeof(*out->teams));
	for (size_t i = 0; i < out->ncohorts; i++) {
		bool listed = false;
		for (size_t t = 0; t < out->nteams; t++)
			listed |= out->teams[t] == out->cohorts[i].team;
		if (!listed)
			out->teams[out->nteams++] = out->cohorts[i].team;
	}
	ds_sort_by_name(ds, out->teams, out->nteams);

	if (out->has_route) {
		out->routes = xcalloc(3, sizeof(*out->routes));
		static const uint32_t order[3] = {ROUTE_APPLICATION, ROUTE_MERGE_REQUESTS, ROUTE_NONE};
		uint32_t *sub = xmalloc(k * sizeof(*sub));
		out->nroutes = 0;
		for (int r = 0; r < 3; r++) {
			size_t ns = 0;
			for (size_t i = 0; i < k; i++)
				if (ds->interns[idx[i]].route == order[r])
					sub[ns++] = idx[i];
			if (order[r] == ROUTE_NONE && ns == 0)
				continue; /* "not given" only when some are */
			struct intern_group *g = &out->routes[out->nroutes++];
			g->key = order[r];
			fill_interns(ds, sub, ns, p->as_of, &seen, g);
		}
		free(sub);
	}
	careers(m, p, idx, k, &out->careers);
	free(seen.stamp);
	free(idx);
	const struct privacy pv = {p->min_group};
	interns_protect(&pv, out);
}

void interns_release(struct intern_result *r)
{
	free(r->cohorts);
	free(r->routes);
	free(r->teams);
	km_result_release(&r->careers.km);
	memset(r, 0, sizeof(*r));
}
