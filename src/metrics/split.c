/* split.c - see split.h. */
#include "metrics/split.h"

#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/sort.h"
#include "metrics/calendar.h"

const char *const span_band_names[SPAN_BANDS] = {"1", "2-3", "4-7", "8-12", "13-16", "17+"};

int span_band(uint64_t reports)
{
	if (reports <= 1)
		return 0;
	if (reports <= 3)
		return 1;
	if (reports <= 7)
		return 2;
	if (reports <= 12)
		return 3;
	if (reports <= 16)
		return 4;
	return 5;
}

static size_t by_track(const struct role_row *r, void *ctx)
{
	(void)ctx;
	return r->track;
}

static void quarters(const struct model *m, const struct split_params *p, struct split_result *out)
{
	wr_date *dates;
	size_t n = quarter_ends(p->since, p->as_of, true, &dates);
	uint64_t *grid = xcalloc(n * 2 + 1, sizeof(*grid));
	model_headcount_grid(m, dates, n, 2, by_track, NULL, grid);
	out->quarters = xcalloc(n ? n : 1, sizeof(*out->quarters));
	out->nquarters = n;
	for (size_t i = 0; i < n; i++)
		out->quarters[i] = (struct split_point){dates[i], grid[i * 2 + TRACK_IC],
							grid[i * 2 + TRACK_MANAGEMENT]};
	free(grid);
	free(dates);
}

static const struct dataset *name_ds;
static int by_name(const void *a, const void *b)
{
	const struct split_department *x = a, *y = b;
	return strcmp(ds_str(name_ds, x->department), ds_str(name_ds, y->department));
}

/* Department and level counts on the as-of date. */
static void on_as_of(const struct model *m, const struct split_params *p, struct split_result *out)
{
	const struct dataset *ds = m->ds;
	/* department string id -> slot */
	uint32_t *slot = xmalloc((ds->strs.count ? ds->strs.count : 1) * sizeof(*slot));
	memset(slot, 0xff, (ds->strs.count ? ds->strs.count : 1) * sizeof(*slot));
	uint64_t level_count[2][16] = {{0}};
	size_t cap = 0;
	for (size_t e = 0; e < m->nemps; e++) {
		const struct role_row *r = model_role_on(m, (uint32_t)e, p->as_of);
		if (!r)
			continue;
		if (slot[r->department] == UINT32_MAX) {
			GROW(out->departments, cap, out->ndepartments + 1);
			slot[r->department] = (uint32_t)out->ndepartments;
			out->departments[out->ndepartments++] =
				(struct split_department){.department = r->department};
		}
		struct split_department *d = &out->departments[slot[r->department]];
		if (r->track == TRACK_IC)
			d->ic++;
		else
			d->management++;
		level_count[r->track][r->level]++;
		out->track_total[r->track]++;
	}
	free(slot);
	name_ds = ds;
	sort_items(out->departments, out->ndepartments, sizeof(*out->departments), by_name);

	size_t lcap = 0;
	for (uint8_t t = 0; t < 2; t++)
		for (uint8_t l = 1; l <= 12; l++) {
			if (!level_count[t][l])
				continue;
			GROW(out->levels, lcap, out->nlevels + 1);
			out->levels[out->nlevels++] = (struct level_mix_row){
				.track = t, .level = l, .title = m->titles[t][l],
				.headcount = level_count[t][l],
			};
		}
}

static void switches(const struct model *m, const struct split_params *p, struct split_result *out)
{
	struct period *years;
	out->nyears = years_in(p->since, p->as_of, &years);
	out->years = xcalloc(out->nyears ? out->nyears : 1, sizeof(*out->years));
	for (size_t y = 0; y < out->nyears; y++)
		out->years[y].year = years[y].year;
	int first_year = out->nyears ? years[0].year : 0;
	free(years);

	for (size_t e = 0; e < m->nemps; e++) {
		const struct employee *emp = &m->emps[e];
		for (uint32_t k = emp->first_spell + 1; k < emp->first_spell + emp->nspells; k++) {
			const struct level_spell *a = &m->spells[k - 1], *b = &m->spells[k];
			if (a->track == b->track || b->start > a->end + 1)
				continue; /* not a switch, or not contiguous */
			if (b->start < p->since || b->start > p->as_of)
				continue;
			struct switch_year *row = &out->years[date_year(b->start) - first_year];
			if (b->track == TRACK_IC) {
				row->to_ic++;
				continue;
			}
			row->to_management++;
			if (p->as_of - b->start < 365)
				row->to_management_recent++;
			/* a move back to IC within 365 days of this one */
			for (uint32_t j = k + 1; j < emp->first_spell + emp->nspells; j++) {
				const struct level_spell *c = &m->spells[j - 1], *d = &m->spells[j];
				if (d->start - b->start > 365 || d->start > p->as_of)
					break;
				if (c->track == TRACK_MANAGEMENT && d->track == TRACK_IC &&
				    d->start <= c->end + 1) {
					row->returned++;
					break;
				}
			}
		}
	}
}

static void span(const struct model *m, const struct split_params *p, struct split_result *out)
{
	const struct dataset *ds = m->ds;
	out->has_span = ds->files[WR_FILE_ROLES].has_column[8];
	if (!out->has_span)
		return;
	uint64_t *reports = xcalloc(m->nemps ? m->nemps : 1, sizeof(*reports));
	uint32_t *first_line = xcalloc(m->nemps ? m->nemps : 1, sizeof(*first_line));
	for (size_t e = 0; e < m->nemps; e++) {
		const struct role_row *r = model_role_on(m, (uint32_t)e, p->as_of);
		if (!r || r->manager == STRTAB_NONE || r->manager >= m->nemps)
			continue;
		if (!reports[r->manager])
			first_line[r->manager] = r->line;
		reports[r->manager]++;
	}
	size_t cap_i = 0, cap_n = 0;
	double *spans = xmalloc((m->nemps ? m->nemps : 1) * sizeof(*spans));
	size_t nspans = 0;
	for (size_t e = 0; e < m->nemps; e++) {
		const struct role_row *r = model_role_on(m, (uint32_t)e, p->as_of);
		if (reports[e] && !r) {
			GROW(out->inactive_managers, cap_i, out->ninactive + 1);
			out->inactive_managers[out->ninactive++] =
				(struct span_warning){(uint32_t)e, first_line[e], reports[e]};
		} else if (reports[e]) {
			out->span_bands[span_band(reports[e])]++;
			spans[nspans++] = (double)reports[e];
		} else if (r && r->track == TRACK_MANAGEMENT) {
			GROW(out->no_reports, cap_n, out->nno_reports + 1);
			out->no_reports[out->nno_reports++] =
				(struct span_warning){(uint32_t)e, r->line, 0};
		}
	}
	out->managers = nspans;
	out->span_mean = out->span_median = NAN;
	if (nspans) {
		gsl_sort(spans, 1, nspans);
		out->span_mean = gsl_stats_mean(spans, 1, nspans);
		out->span_median = gsl_stats_median_from_sorted_data(spans, 1, nspans);
	}
	free(spans);
	free(reports);
	free(first_line);
}

void split_compute(const struct model *m, const struct split_params *p, struct split_result *out)
{
	memset(out, 0, sizeof(*out));
	quarters(m, p, out);
	on_as_of(m, p, out);
	switches(m, p, out);
	span(m, p, out);
}

void split_release(struct split_result *r)
{
	free(r->quarters);
	free(r->departments);
	free(r->levels);
	free(r->years);
	free(r->inactive_managers);
	free(r->no_reports);
	memset(r, 0, sizeof(*r));
}
