/* mobility.c - see mobility.h. */
#include "metrics/mobility.h"

#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/sort.h"
#include "core/keyset.h"

/* Groups of model_headcount_keyed: everyone in one, or each level key
 * in its own. */
static const size_t everyone[LEVEL_KEYS] = {0};

static void each_key(size_t group_of_key[LEVEL_KEYS])
{
	for (size_t k = 0; k < LEVEL_KEYS; k++)
		group_of_key[k] = k;
}

/* Which of the periods v[0..n) (ascending, inside [since, as_of]) holds
 * each day of [since, as_of]: a look-up per event instead of a binary
 * search. */
struct period_index {
	wr_date since, as_of;
	int32_t *of; /* of[day - since]: the period, or -1 */
};

static void period_index_init(struct period_index *x, const struct period *v, size_t n,
			      wr_date since, wr_date as_of)
{
	x->since = since;
	x->as_of = as_of;
	size_t days = as_of >= since ? (size_t)(as_of - since) + 1 : 0;
	x->of = xmalloc((days ? days : 1) * sizeof(*x->of));
	for (size_t d = 0; d < days; d++)
		x->of[d] = -1;
	for (size_t k = 0; k < n; k++)
		for (wr_date day = v[k].first; day <= v[k].last; day++)
			x->of[day - since] = (int32_t)k;
}

/* Index of the period holding day, or -1. */
static long period_of(const struct period_index *x, wr_date day)
{
	return day < x->since || day > x->as_of ? -1 : x->of[day - x->since];
}

/* promoted[key]: the window's promotions by the level key they leave. */
static void quarters(const struct model *m, const struct mobility_params *p,
		     struct mobility_result *out, uint64_t promoted[LEVEL_KEYS])
{
	const struct dataset *ds = m->ds;
	struct period *q;
	size_t n = quarters_in(p->since, p->as_of, &q);
	out->quarters = xcalloc(n ? n : 1, sizeof(*out->quarters));
	out->nquarters = n;
	wr_date *starts = xmalloc(n * sizeof(*starts));
	for (size_t i = 0; i < n; i++) {
		out->quarters[i].period = q[i];
		starts[i] = q[i].first;
	}
	uint64_t *hc = xcalloc(n ? n : 1, sizeof(*hc));
	model_headcount_keyed(m, starts, n, 1, everyone, hc);
	for (size_t i = 0; i < n; i++)
		out->quarters[i].headcount_start = hc[i];

	struct period_index at;
	period_index_init(&at, q, n, p->since, p->as_of);
	for (size_t i = 0; i < ds->npromotions; i++) {
		const struct promotion_row *pr = &ds->promotions[i];
		long k = pr->spell >= 0 ? period_of(&at, pr->date) : -1;
		if (k < 0)
			continue;
		const struct level_spell *s = &m->spells[pr->spell];
		struct quarter_moves *qm = &out->quarters[k];
		qm->promotions++;
		if (s->track == TRACK_IC)
			qm->promotions_ic++;
		else
			qm->promotions_management++;
		out->promotions_total++;
		promoted[level_key(s->track, s->level)]++;
	}
	for (size_t i = 0; i < ds->ntransfers; i++) {
		long k = period_of(&at, ds->transfers[i].date);
		if (k < 0)
			continue;
		out->quarters[k].transfers++;
		out->transfers_total++;
	}
	free(at.of);
	free(hc);
	free(starts);
	free(q);
}

/* count[key]: the window's promotions by the level key they leave. */
static void levels(const struct model *m, const struct mobility_params *p,
		   const uint64_t count[LEVEL_KEYS], struct mobility_result *out)
{
	wr_date *ends;
	size_t nd = quarter_ends(p->since, p->as_of, false, &ends);
	if (nd == 0) { /* a window shorter than a quarter: the as-of date */
		free(ends);
		nd = quarter_ends(p->as_of, p->as_of, true, &ends);
	}
	uint64_t *grid = xcalloc(nd * LEVEL_KEYS, sizeof(*grid));
	size_t keys[LEVEL_KEYS];
	each_key(keys);
	model_headcount_keyed(m, ends, nd, LEVEL_KEYS, keys, grid);
	size_t cap = 0;
	for (size_t key = 0; key < LEVEL_KEYS; key++) {
		if (!count[key])
			continue;
		double sum = 0;
		for (size_t d = 0; d < nd; d++)
			sum += (double)grid[d * LEVEL_KEYS + key];
		GROW(out->levels, cap, out->nlevels + 1);
		out->levels[out->nlevels++] = (struct promotion_level){
			.track = key_track(key), .level = key_level(key),
			.promotions = count[key],
			.promotions_a_year = (double)count[key] / out->window_years,
			.avg_headcount = sum / (double)nd,
		};
	}
	free(grid);
	free(ends);
}

static void years(const struct model *m, const struct split_result *split,
		  const struct mobility_params *p, struct mobility_result *out)
{
	struct period *y;
	size_t n = years_in(p->since, p->as_of, &y);
	out->years = xcalloc(n ? n : 1, sizeof(*out->years));
	out->nyears = n;
	/* each year's quarter ends in the window, or its last day in it when it
	 * has none; all in one ascending list for one sweep */
	wr_date *dates = xmalloc((4 * n + 1) * sizeof(*dates));
	size_t *owner = xmalloc((4 * n + 1) * sizeof(*owner));
	size_t nd = 0;
	for (size_t i = 0; i < n; i++) {
		wr_date *ends;
		size_t k = quarter_ends(y[i].first, y[i].last, false, &ends);
		if (k == 0) {
			dates[nd] = y[i].last;
			owner[nd++] = i;
		}
		for (size_t j = 0; j < k; j++) {
			dates[nd] = ends[j];
			owner[nd++] = i;
		}
		free(ends);
	}
	uint64_t *hc = xcalloc(nd ? nd : 1, sizeof(*hc));
	model_headcount_keyed(m, dates, nd, 1, everyone, hc);
	size_t *count = xcalloc(n ? n : 1, sizeof(*count));
	for (size_t d = 0; d < nd; d++) {
		out->years[owner[d]].avg_headcount += (double)hc[d];
		count[owner[d]]++;
	}
	for (size_t i = 0; i < n; i++) {
		struct mobility_year *row = &out->years[i];
		row->year = y[i].year;
		row->avg_headcount /= (double)count[i];
		for (size_t k = 0; k < split->nyears; k++)
			if (split->years[k].year == row->year)
				row->switches = split->years[k].to_management + split->years[k].to_ic;
		out->switches_total += row->switches;
	}
	for (size_t i = 0; i < out->nquarters; i++) {
		const struct quarter_moves *q = &out->quarters[i];
		out->years[q->period.year - y[0].year].promotions += q->promotions;
		out->years[q->period.year - y[0].year].transfers += q->transfers;
	}
	free(count);
	free(hc);
	free(owner);
	free(dates);
	free(y);
}

static int pair_by_count(const void *a, const void *b, void *ctx)
{
	const struct family_pair *x = a, *y = b;
	const struct dataset *ds = ctx;
	if (x->transfers != y->transfers)
		return x->transfers < y->transfers ? 1 : -1;
	int c = strcmp(ds_str(ds, x->from), ds_str(ds, y->from));
	return c ? c : strcmp(ds_str(ds, x->to), ds_str(ds, y->to));
}

/* Count (from, to) pairs of string ids into a list. */
static void add_pair(struct keyset *seen, struct family_pair **list, size_t *n, size_t *cap,
		     uint32_t from, uint32_t to)
{
	uint32_t at;
	if (keyset_add(seen, ((uint64_t)from << 32) | to, (uint32_t)*n, &at)) {
		GROW(*list, *cap, *n + 1);
		(*list)[*n] = (struct family_pair){from, to, 0, LISTED_NO_LIST};
		at = (uint32_t)(*n)++;
	}
	(*list)[at].transfers++;
}

static void transfer_tables(const struct model *m, const struct mobility_params *p,
			    struct mobility_result *out)
{
	const struct dataset *ds = m->ds;
	struct keyset pairs, flows, options;
	keyset_init(&pairs);
	keyset_init(&flows);
	keyset_init(&options);
	size_t cap_p = 0, cap_f = 0;
	for (size_t i = 0; i < ds->ntransfers; i++) {
		const struct transfer_row *t = &ds->transfers[i];
		if (t->date < p->since || t->date > p->as_of)
			continue;
		add_pair(&pairs, &out->pairs, &out->npairs, &cap_p, t->from_family, t->to_family);
		if (t->from_department != STRTAB_NONE && t->to_department != STRTAB_NONE)
			add_pair(&flows, &out->flows, &out->nflows, &cap_f, t->from_department,
				 t->to_department);
	}
	for (size_t i = 0; i < ds->noptions; i++)
		keyset_add(&options,
			   ((uint64_t)ds->options[i].from_family << 32) | ds->options[i].to_family, 0,
			   NULL);
	for (size_t i = 0; i < out->npairs; i++) {
		struct family_pair *fp = &out->pairs[i];
		if (fp->from == fp->to) {
			fp->listed = LISTED_SAME_FAMILY;
			continue;
		}
		out->cross_family_transfers += fp->transfers;
		if (!out->has_options)
			continue;
		fp->listed = keyset_get(&options, ((uint64_t)fp->from << 32) | fp->to, NULL)
				     ? LISTED_YES : LISTED_NO;
		if (fp->listed == LISTED_NO) {
			out->unlisted_pairs++;
			out->unlisted_transfers += fp->transfers;
		}
	}
	sort_with(out->pairs, out->npairs, sizeof(*out->pairs), pair_by_count, (void *)ds);
	sort_with(out->flows, out->nflows, sizeof(*out->flows), pair_by_count, (void *)ds);

	/* the matrix over every family seen, by name */
	uint8_t *seen = xcalloc(ds->strs.count ? ds->strs.count : 1, 1);
	out->families = xmalloc((2 * out->npairs + 1) * sizeof(*out->families));
	for (size_t i = 0; i < out->npairs; i++) {
		uint32_t f[2] = {out->pairs[i].from, out->pairs[i].to};
		for (int k = 0; k < 2; k++)
			if (!seen[f[k]]) {
				seen[f[k]] = 1;
				out->families[out->nfamilies++] = f[k];
			}
	}
	ds_sort_by_name(ds, out->families, out->nfamilies);
	uint32_t *index = xmalloc(ds->strs.count * sizeof(*index));
	for (size_t i = 0; i < out->nfamilies; i++)
		index[out->families[i]] = (uint32_t)i;
	size_t nf = out->nfamilies;
	out->matrix = xcalloc(nf ? nf * nf : 1, sizeof(*out->matrix));
	for (size_t i = 0; i < out->npairs; i++)
		out->matrix[index[out->pairs[i].from] * nf + index[out->pairs[i].to]] +=
			out->pairs[i].transfers;
	free(index);
	free(seen);
	keyset_release(&pairs);
	keyset_release(&flows);
	keyset_release(&options);
}

void mobility_compute(const struct model *m, const struct split_result *split,
		      const struct mobility_params *p, struct mobility_result *out)
{
	const struct dataset *ds = m->ds;
	memset(out, 0, sizeof(*out));
	out->has_promotions = ds->files[WR_FILE_PROMOTIONS].present;
	out->has_transfers = ds->files[WR_FILE_TRANSFERS].present;
	out->has_options = ds->files[WR_FILE_LATERAL].present;
	const bool *has = ds->files[WR_FILE_TRANSFERS].has_column;
	out->has_departments = has[TRANSFERS_FROM_DEPARTMENT] && has[TRANSFERS_TO_DEPARTMENT];
	out->window_years = (double)(p->as_of - p->since + 1) / 365.25;
	uint64_t promoted[LEVEL_KEYS] = {0};
	quarters(m, p, out, promoted);
	for (size_t i = 0; i < out->nquarters; i++) {
		struct quarter_moves *q = &out->quarters[i];
		q->promotions_a_year = (double)q->promotions * 365.25 / period_days(&q->period);
	}
	levels(m, p, promoted, out);
	years(m, split, p, out);
	transfer_tables(m, p, out);
}

void mobility_release(struct mobility_result *r)
{
	free(r->quarters);
	free(r->levels);
	free(r->years);
	free(r->families);
	free(r->matrix);
	free(r->pairs);
	free(r->flows);
	memset(r, 0, sizeof(*r));
}
