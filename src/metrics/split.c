/* split.c - see split.h. */
#include "metrics/split.h"

#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "metrics/privacy.h"
#include "core/keyset.h"
#include "core/sort.h"
#include "metrics/calendar.h"

/* The smallest span of each band: one table, for span_band and the labels. */
static const uint64_t band_low[SPAN_BANDS] = {1, 2, 4, 8, 13, 17};

int span_band(uint64_t reports)
{
	int b = 0;
	while (b + 1 < SPAN_BANDS && reports >= band_low[b + 1])
		b++;
	return b;
}

void span_run_label(const struct split_result *r, size_t k, char *buf, size_t size)
{
	size_t first = r->span_run_first[k];
	size_t end = k + 1 < r->nspan_runs ? r->span_run_first[k + 1] : SPAN_BANDS;
	uint64_t lo = band_low[first];
	if (end == SPAN_BANDS)
		snprintf(buf, size, "%llu+", (unsigned long long)lo);
	else if (band_low[end] - 1 == lo)
		snprintf(buf, size, "%llu", (unsigned long long)lo);
	else
		snprintf(buf, size, "%llu-%llu", (unsigned long long)lo,
			 (unsigned long long)(band_low[end] - 1));
}

static void quarters(const struct model *m, const struct split_params *p, struct split_result *out)
{
	wr_date *dates;
	size_t n = quarter_ends(p->since, p->as_of, true, &dates);
	uint64_t *grid = xcalloc(n * 2 + 1, sizeof(*grid));
	size_t track_of_key[LEVEL_KEYS];
	for (size_t k = 0; k < LEVEL_KEYS; k++)
		track_of_key[k] = key_track(k);
	model_headcount_keyed(m, dates, n, 2, track_of_key, grid);
	out->quarters = xcalloc(n ? n : 1, sizeof(*out->quarters));
	out->nquarters = n;
	for (size_t i = 0; i < n; i++)
		out->quarters[i] = (struct split_point){dates[i], grid[i * 2 + TRACK_IC],
							grid[i * 2 + TRACK_MANAGEMENT]};
	free(grid);
	free(dates);
}

static int by_name(const void *a, const void *b, void *ctx)
{
	const struct dataset *ds = ctx;
	const struct split_department *x = a, *y = b;
	return strcmp(ds_str(ds, x->department), ds_str(ds, y->department));
}

/* The most common title among holders of each level on the as-of date,
 * kept when at least min_group people hold it (privacy.h rule 10); ties to
 * the first in byte order. */
static void level_names(const struct model *m, const struct split_params *p,
			struct split_result *out)
{
	const struct dataset *ds = m->ds;
	const struct privacy pv = {p->min_group};
	uint32_t best_n[TRACK_COUNT][LEVEL_SLOTS] = {{0}};
	for (int t = 0; t < TRACK_COUNT; t++)
		for (int l = 0; l < LEVEL_SLOTS; l++)
			out->level_title[t][l] = STRTAB_NONE;
	struct keyset slots;
	keyset_init(&slots);
	uint32_t *tally = NULL;
	size_t ntally = 0, cap = 0;
	for (size_t e = 0; e < m->nemps; e++) {
		const struct role_row *r = model_role_on(m, (uint32_t)e, p->as_of);
		if (!r)
			continue;
		uint64_t key = ((uint64_t)(r->track * 16u + r->level) << 32) | r->title;
		uint32_t at;
		if (keyset_add(&slots, key, (uint32_t)ntally, &at)) {
			GROW(tally, cap, ntally + 1);
			tally[ntally] = 0;
			at = (uint32_t)ntally++;
		}
		uint32_t k = ++tally[at];
		uint32_t *best = &out->level_title[r->track][r->level];
		uint32_t *bn = &best_n[r->track][r->level];
		if (k > *bn || (k == *bn && strcmp(ds_str(ds, r->title), ds_str(ds, *best)) < 0)) {
			*best = r->title;
			*bn = k;
		}
	}
	for (int t = 0; t < TRACK_COUNT; t++)
		for (int l = 0; l < LEVEL_SLOTS; l++)
			if (!privacy_group(&pv, best_n[t][l]))
				out->level_title[t][l] = STRTAB_NONE;
	free(tally);
	keyset_release(&slots);
}

/* Department and level counts on the as-of date. */
static void on_as_of(const struct model *m, const struct split_params *p, struct split_result *out)
{
	const struct dataset *ds = m->ds;
	/* department string id -> slot */
	uint32_t *slot = xmalloc(ds->strs.count * sizeof(*slot));
	memset(slot, 0xff, ds->strs.count * sizeof(*slot));
	uint64_t level_count[TRACK_COUNT][LEVEL_SLOTS] = {{0}};
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
	sort_with(out->departments, out->ndepartments, sizeof(*out->departments), by_name,
		  (void *)ds);

	level_names(m, p, out);
	size_t lcap = 0;
	for (uint8_t t = 0; t < 2; t++)
		for (uint8_t l = 1; l <= 12; l++) {
			if (!level_count[t][l])
				continue;
			GROW(out->levels, lcap, out->nlevels + 1);
			out->levels[out->nlevels++] = (struct level_mix_row){
				.track = t, .level = l, .title = out->level_title[t][l],
				.headcount = level_count[t][l],
			};
		}
}

/* Departments whose IC / management split is hidden: too few of either,
 * then the complement on both measures, since the Total row shows both
 * sums (privacy.h rules 2 and 7). */
static void protect_departments(const struct split_params *p, struct split_result *out)
{
	const struct privacy pv = {p->min_group};
	size_t n = out->ndepartments;
	struct privacy_row *rows = xcalloc(n, sizeof(*rows));
	for (size_t i = 0; i < n; i++) {
		const struct split_department *d = &out->departments[i];
		rows[i] = (struct privacy_row){d->ic,
					       !privacy_group(&pv, d->ic) ||
						       !privacy_group(&pv, d->management),
					       0};
	}
	bool total = privacy_complement(&pv, rows, n);
	for (size_t i = 0; i < n; i++)
		rows[i].people = out->departments[i].management;
	total = privacy_complement(&pv, rows, n) && total;
	for (size_t i = 0; i < n; i++)
		rows[i].people = out->departments[i].ic;
	total = privacy_complement(&pv, rows, n) && total; /* the second pass may add rows */
	for (size_t i = 0; i < n; i++)
		out->departments[i].split_hidden = rows[i].hidden;
	out->total_split_hidden = !total;
	free(rows);
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
					row->returned_matured += p->as_of - b->start >= 365;
					break;
				}
			}
		}
	}
}

static void span(const struct model *m, const struct split_params *p, struct split_result *out)
{
	const struct dataset *ds = m->ds;
	out->has_span = ds->files[WR_FILE_ROLES].has_column[ROLES_MANAGER_ID];
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
	double *spans = xmalloc(m->nemps * sizeof(*spans));
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

/* Returns within 12 months: a split of the moves into management, hidden
 * for a year of fewer than min_group moves, with the complement across
 * years (privacy.h rules 9 and 7). */
static void protect_switches(const struct split_params *p, struct split_result *out)
{
	const struct privacy pv = {p->min_group};
	size_t n = out->nyears;
	struct privacy_row *rows = xcalloc(n, sizeof(*rows));
	for (size_t i = 0; i < n; i++)
		rows[i] = (struct privacy_row){out->years[i].to_management,
					       !privacy_group(&pv, out->years[i].to_management), 0};
	privacy_complement(&pv, rows, n);
	for (size_t i = 0; i < n; i++) {
		const struct switch_year *y = &out->years[i];
		uint64_t matured = y->to_management - y->to_management_recent;
		out->years[i].show = rows[i].hidden ? 0 : SHOW_SPLIT;
		if (!rows[i].hidden && privacy_group(&pv, matured))
			out->years[i].show |= SHOW_RATE; /* over the moves a year old */
	}
	free(rows);
}

void split_compute(const struct model *m, const struct split_params *p, struct split_result *out)
{
	memset(out, 0, sizeof(*out));
	quarters(m, p, out);
	on_as_of(m, p, out);
	protect_departments(p, out);
	switches(m, p, out);
	protect_switches(p, out);
	span(m, p, out);
	const struct privacy pv = {p->min_group};
	out->span_show = 0;
	if (privacy_group(&pv, out->managers))
		out->span_show |= SHOW_MEAN;
	if (privacy_quantiles(&pv, out->managers))
		out->span_show |= SHOW_QUANTILES;
	out->span_mean = privacy_round(out->managers, out->span_mean);
	out->nspan_runs = privacy_merge_bins(&pv, out->span_bands, SPAN_BANDS, out->span_run_first,
					     out->span_run_count);
}

void split_report_warnings(const struct split_result *r, const struct dataset *ds,
			   wr_date as_of, const struct warn_sink *sink)
{
	char day[11], msg[200];
	date_format_iso(as_of, day);
	for (size_t i = 0; i < r->ninactive; i++) {
		const struct span_warning *w = &r->inactive_managers[i];
		snprintf(msg, sizeof(msg),
			 "named as the manager of %llu active employee%s but holds no role on %s",
			 (unsigned long long)w->reports, w->reports == 1 ? "" : "s", day);
		sink->warn(sink->ctx, &(struct data_warning){
			.file = WR_FILE_ROLES, .line = w->line, .column = "manager_id",
			.kind = DQ_MANAGER_INACTIVE,
			.value = ds_id(ds, w->emp), .message = msg});
	}
	for (size_t i = 0; i < r->nno_reports; i++) {
		const struct span_warning *w = &r->no_reports[i];
		snprintf(msg, sizeof(msg),
			 "management-track employee with no active direct reports on %s", day);
		sink->warn(sink->ctx, &(struct data_warning){
			.file = WR_FILE_ROLES, .line = w->line, .column = "employee_id",
			.kind = DQ_MANAGER_NO_REPORTS,
			.value = ds_id(ds, w->emp), .message = msg});
	}
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
