/* retention.c - see retention.h. */
#include "metrics/retention.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "metrics/privacy.h"
#include "metrics/ttp_spells.h"

size_t retention_employments(const struct model *m, wr_date as_of, struct employment **out)
{
	const struct dataset *ds = m->ds;
	struct employment *v = NULL;
	size_t n = 0, cap = 0;
	for (size_t e = 0; e < m->nemps; e++) {
		const struct role_row *rows = ds->roles + m->emps[e].first_row;
		size_t k = m->emps[e].nrows;
		while (k > 0 && rows[k - 1].start > as_of)
			k--; /* future-dated rows take no part */
		for (size_t i = 0; i < k;) {
			size_t j = i;
			while (j + 1 < k && rows[j].end != WR_DATE_OPEN &&
			       rows[j + 1].start <= rows[j].end + 1)
				j++;
			GROW(v, cap, n + 1);
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
	*out = v;
	return n;
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

static bool group_has(enum ttp_group g, uint8_t track)
{
	return g == TTP_GROUP_ALL || (g == TTP_GROUP_IC) == (track == TRACK_IC);
}

static void attrition(const struct model *m, const struct employment *v, size_t n,
		      const struct retention_params *p, struct retention_result *out)
{
	struct period *years;
	size_t ny = years_in(p->since, p->as_of, &years);
	wr_date *dates = xmalloc(2 * ny * sizeof(*dates));
	for (size_t y = 0; y < ny; y++) {
		dates[2 * y] = years[y].first;
		dates[2 * y + 1] = years[y].last;
	}
	uint64_t *hc = xcalloc(2 * ny * TRACK_COUNT, sizeof(*hc));
	headcounts_by_track(m, dates, 2 * ny, hc);
	/* leavers by year and track */
	uint64_t *left = xcalloc(ny * TRACK_COUNT, sizeof(*left));
	int y0 = date_year(p->since);
	for (size_t i = 0; i < n; i++) {
		wr_date e = v[i].end;
		if (e == WR_DATE_OPEN || e >= p->as_of || e < p->since)
			continue;
		left[(size_t)(date_year(e) - y0) * TRACK_COUNT + v[i].track]++;
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
	free(hc);
	free(dates);
	free(years);
}

/* Kaplan-Meier over the employments v[idx[0..k)] that take part. */
static void retention_row(struct distinct *seen, const struct employment *v, const size_t *idx,
			  size_t k, const struct retention_params *p, struct retention_row *row,
			  struct km_result *keep)
{
	struct km_obs *obs = xmalloc(k * sizeof(*obs));
	uint32_t *people = xmalloc(k * sizeof(*people));
	uint32_t *leavers = xmalloc(k * sizeof(*leavers));
	size_t n = 0;
	for (size_t i = 0; i < k; i++) {
		const struct employment *e = &v[idx[i]];
		double entry = p->since > e->start ? (double)(p->since - e->start) : 0.0;
		bool left = e->end < p->as_of;
		double exit = (double)((left ? e->end : p->as_of) - e->start);
		if (!(exit > entry))
			continue;
		people[n] = e->emp;
		obs[n++] = (struct km_obs){entry, exit, left};
		if (left)
			leavers[row->left++] = e->emp;
	}
	row->employments = n;
	row->people = distinct_count(seen, people, n);
	row->left_people = distinct_count(seen, leavers, row->left);
	struct km_result r;
	km_fit(obs, n, p->ci, CONF_LEVEL, &r);
	for (int h = 0; h < TTP_HORIZONS; h++)
		row->retained[h] = r.used ? km_survival_at(&r, ttp_horizon_days(h)) : NAN;
	km_median_months(&r, &row->median, &row->lo, &row->hi);
	if (keep)
		*keep = r;
	else
		km_result_release(&r);
	free(obs);
	free(people);
	free(leavers);
}

static void retention(const struct model *m, const struct employment *v, size_t n,
		      const struct retention_params *p, struct retention_result *out)
{
	struct distinct seen = {.stamp = xcalloc(m->nemps, sizeof(uint32_t))};
	size_t *idx = xmalloc(n * sizeof(*idx));
	uint32_t *key = xmalloc(n * sizeof(*key));
	for (size_t i = 0; i < n; i++)
		key[i] = v[i].department;
	uint32_t *names;
	size_t nd = rank_departments(m->ds, key, n, &names);
	out->rows = xcalloc(TTP_GROUPS + nd, sizeof(*out->rows));

	for (int g = 0; g < TTP_GROUPS; g++) {
		size_t k = 0;
		for (size_t i = 0; i < n; i++)
			if (group_has((enum ttp_group)g, v[i].track))
				idx[k++] = i;
		struct retention_row *row = &out->rows[out->nrows++];
		*row = (struct retention_row){
		    .kind = g == TTP_GROUP_ALL ? RETENTION_ALL : RETENTION_TRACK,
		    .key = g == TTP_GROUP_MANAGEMENT ? TRACK_MANAGEMENT : TRACK_IC,
		};
		struct km_result r;
		retention_row(&seen, v, idx, k, p, row, &r);
		for (int mth = 0; mth <= RETENTION_CURVE_MONTHS; mth++)
			out->curve[mth][g] = r.used ? km_survival_at(&r, mth * DAYS_PER_MONTH) : NAN;
		out->curve_people[g] = row->people;
		out->curve_left_people[g] = row->left_people;
		km_result_release(&r);
	}
	/* departments by name */
	struct grouping by_dept;
	group_by(key, n, nd, &by_dept);
	for (size_t d = 0; d < nd; d++) {
		struct retention_row *row = &out->rows[out->nrows];
		*row = (struct retention_row){.kind = RETENTION_DEPARTMENT, .key = names[d]};
		retention_row(&seen, v, by_dept.idx + by_dept.start[d], group_size(&by_dept, d), p,
			      row, NULL);
		if (row->employments > 0)
			out->nrows++;
	}
	grouping_release(&by_dept);
	free(names);
	free(key);
	free(idx);
	free(seen.stamp);
}

void retention_compute(const struct model *m, const struct retention_params *p,
		       struct retention_result *out)
{
	memset(out, 0, sizeof(*out));
	struct employment *v;
	size_t n = retention_employments(m, p->as_of, &v);
	attrition(m, v, n, p, out);
	retention(m, v, n, p, out);
	free(v);
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
