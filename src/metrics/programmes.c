/* programmes.c - see programmes.h. */
#include "metrics/programmes.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/sort.h"
#include "metrics/programmes_privacy.h"
#include "metrics/ttp.h"

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

/* Months served: to the end, or to as-of while active. */
static double months_served(const struct secondment_row *s, wr_date as_of)
{
	wr_date last = s->end == WR_DATE_NONE || s->end > as_of ? as_of : s->end;
	return (double)(last - s->start + 1) / DAYS_PER_MONTH;
}

static void fill_secondments(const struct dataset *ds, const uint32_t *idx, size_t n,
			     wr_date as_of, struct secondment_group *g)
{
	uint32_t key = g->key;
	memset(g, 0, sizeof(*g));
	g->key = key;
	uint32_t *ids = xmalloc(n * sizeof(*ids));
	uint32_t *ended_ids = xmalloc(n * sizeof(*ended_ids));
	double *durations = xmalloc(n * sizeof(*durations));
	size_t nended = 0;
	for (size_t i = 0; i < n; i++) {
		const struct secondment_row *s = &ds->secondments[idx[i]];
		ids[i] = s->id;
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
			durations[nended++] = months_served(s, as_of);
		}
		if (s->merged_mrs > 0)
			g->merged_mrs += (uint64_t)s->merged_mrs;
		g->secondee_months += months_served(s, as_of);
	}
	g->people = count_distinct(ids, n);
	g->ended_people = count_distinct(ended_ids, nended);
	struct describe d;
	describe_sorted_copy(durations, nended, &d);
	g->median_duration = d.median;
	g->too_early = 2 * g->active > g->secondments;
	wilson(g->completed + g->extended, g->completed + g->extended + g->ended_early,
	       CONF_LEVEL, &g->completion);
	g->mrs_per_month = g->secondee_months > 0 ? (double)g->merged_mrs / g->secondee_months
						  : NAN;
	free(ids);
	free(ended_ids);
	free(durations);
}

/* What the sorts of secondments compare: keys of ds->strs or years. */
struct sort_keys {
	const struct dataset *ds;
	const uint32_t *key;
};

static int by_key(const void *a, const void *b, void *ctx)
{
	const struct sort_keys *k = ctx;
	uint32_t x = k->key[*(const uint32_t *)a], y = k->key[*(const uint32_t *)b];
	return (x > y) - (x < y);
}

static int by_name(const void *a, const void *b, void *ctx)
{
	const struct sort_keys *k = ctx;
	int c = strcmp(ds_str(k->ds, k->key[*(const uint32_t *)a]),
		       ds_str(k->ds, k->key[*(const uint32_t *)b]));
	return c ? c : by_key(a, b, ctx);
}

/* Group idx[0..n) by key[] (ordered by value, or by name for string ids). */
static size_t group_secondments(const struct dataset *ds, uint32_t *idx, size_t n,
				const uint32_t *key, bool names, wr_date as_of,
				struct secondment_group **out)
{
	struct sort_keys k = {ds, key};
	sort_with(idx, n, sizeof(*idx), names ? by_name : by_key, &k);
	size_t ng = 0, cap = 0;
	*out = NULL;
	for (size_t i = 0; i < n;) {
		size_t j = i;
		while (j < n && key[idx[j]] == key[idx[i]])
			j++;
		GROW(*out, cap, ng + 1);
		(*out)[ng].key = key[idx[i]];
		fill_secondments(ds, idx + i, j - i, as_of, &(*out)[ng]);
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
	double *planned = xmalloc(n * sizeof(*planned));
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
		planned[k] = (double)(s->planned_end - s->start + 1) / DAYS_PER_MONTH;
		planned_ids[k] = s->id;
		out->policy[secondment_policy(s->start, s->planned_end)]++;
		idx[k++] = (uint32_t)i;
	}
	fill_secondments(ds, idx, k, p->as_of, &out->all);
	describe_sorted_copy(planned, k, &out->planned);
	out->planned_people = count_distinct(planned_ids, k);
	out->nyears = group_secondments(ds, idx, k, year, false, p->as_of, &out->years);
	out->nteams = group_secondments(ds, idx, k, team, true, p->as_of, &out->teams);

	/* employers: small ones fold into one "Other employers" row, last */
	struct secondment_group *emp;
	size_t ne = group_secondments(ds, idx, k, employer, true, p->as_of, &emp);
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
		fill_secondments(ds, small, nsmall, p->as_of, other);
	}
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

static void fill_interns(const struct dataset *ds, const uint32_t *idx, size_t n, wr_date as_of,
			 struct intern_group *g)
{
	uint32_t *ids = xmalloc(n * sizeof(*ids));
	for (size_t i = 0; i < n; i++) {
		const struct intern_row *in = &ds->interns[idx[i]];
		ids[i] = in->id;
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
	g->people = count_distinct(ids, n);
	free(ids);
	wilson(g->hired, g->ended, CONF_LEVEL, &g->conversion);
	uint64_t offers = g->hired + g->declined;
	g->offer_rate = g->ended ? (double)offers / (double)g->ended : NAN;
	g->acceptance = offers ? (double)g->hired / (double)offers : NAN;
}

static int cohort_order(const void *a, const void *b, void *ctx)
{
	const struct dataset *ds = ctx;
	const struct intern_row *x = &ds->interns[*(const uint32_t *)a];
	const struct intern_row *y = &ds->interns[*(const uint32_t *)b];
	int yx = date_year(x->start), yy = date_year(y->start);
	if (yx != yy)
		return (yx > yy) - (yx < yy);
	return strcmp(ds_str(ds, x->team), ds_str(ds, y->team));
}

/* Hired interns in roles.csv: hire date, retention, first promotion. */
static void careers(const struct model *m, const struct programme_params *p, const uint32_t *idx,
		    size_t n, struct intern_careers *c)
{
	const struct dataset *ds = m->ds;
	wr_date *hire = xmalloc(m->nemps * sizeof(*hire));
	wr_date *first_promo = xmalloc(m->nemps * sizeof(*first_promo));
	for (size_t e = 0; e < m->nemps; e++)
		hire[e] = first_promo[e] = WR_DATE_NONE;
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
	for (size_t i = 0; i < ds->npromotions; i++) {
		const struct promotion_row *pr = &ds->promotions[i];
		if (pr->emp >= m->nemps || hire[pr->emp] == WR_DATE_NONE || pr->spell < 0)
			continue;
		if (pr->date <= hire[pr->emp] || pr->date > p->as_of)
			continue;
		if (first_promo[pr->emp] == WR_DATE_NONE || pr->date < first_promo[pr->emp])
			first_promo[pr->emp] = pr->date;
	}
	struct km_obs *obs = xmalloc(nfound * sizeof(*obs));
	for (size_t i = 0; i < nfound; i++) {
		uint32_t emp = found[i];
		const struct employee *e = &m->emps[emp];
		wr_date h = hire[emp];
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
		if (first_promo[emp] != WR_DATE_NONE) {
			c->promoted++;
			obs[i] = (struct km_obs){0, (double)(first_promo[emp] - h), true};
		} else {
			obs[i] = (struct km_obs){0, (double)(stop - h), false};
		}
	}
	km_fit(obs, nfound, p->ci, CONF_LEVEL, &c->km);
	free(obs);
	free(found);
	free(hire);
	free(first_promo);
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
	fill_interns(ds, idx, k, p->as_of, &out->all);
	out->first_year = date_year(p->since);
	out->last_year = date_year(p->as_of);

	sort_with(idx, k, sizeof(*idx), cohort_order, (void *)ds);
	size_t cap = 0;
	for (size_t i = 0; i < k;) {
		const struct intern_row *a = &ds->interns[idx[i]];
		size_t j = i;
		while (j < k && date_year(ds->interns[idx[j]].start) == date_year(a->start) &&
		       ds->interns[idx[j]].team == a->team)
			j++;
		GROW(out->cohorts, cap, out->ncohorts + 1);
		struct intern_group *g = &out->cohorts[out->ncohorts++];
		memset(g, 0, sizeof(*g));
		g->key = (uint32_t)date_year(a->start);
		g->team = a->team;
		fill_interns(ds, idx + i, j - i, p->as_of, g);
		i = j;
	}

	/* teams, for the conversion chart */
	out->teams = xmalloc((out->ncohorts + 1) * sizeof(*out->teams));
	for (size_t i = 0; i < out->ncohorts; i++) {
		bool seen = false;
		for (size_t t = 0; t < out->nteams; t++)
			seen |= out->teams[t] == out->cohorts[i].team;
		if (!seen)
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
			fill_interns(ds, sub, ns, p->as_of, g);
		}
		free(sub);
	}
	careers(m, p, idx, k, &out->careers);
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
