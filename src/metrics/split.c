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

/* What span needs of the row an employee holds on the as-of date: none,
 * an IC one, or the line of a management one (lines are below HELD_IC). */
#define HELD_NONE UINT32_MAX
#define HELD_IC (UINT32_MAX - 1)

/* What the tables of the as-of date count, in one visit to the row each
 * employee holds that day (a visit each cost a cache miss per employee). */
struct as_of_tally {
	uint32_t *slot;        /* department string id -> place in out->departments */
	size_t departments_cap;
	uint64_t level_count[TRACK_COUNT][LEVEL_SLOTS];
	/* level names: people per (level, title), and the most common title */
	struct keyset titles;
	uint32_t *tally;
	size_t ntally, tally_cap;
	uint32_t best_n[TRACK_COUNT][LEVEL_SLOTS];
	/* per employee, when roles.csv has manager_id (else NULL): their
	 * active reports, the line of the first (written once), and the row
	 * they hold (HELD_NONE, HELD_IC or a management row's line); apart,
	 * so that the reports, which name managers in no order, count in
	 * the smallest array */
	uint32_t *reports, *first_line, *held;
};

static void count_department(struct as_of_tally *t, const struct role_row *r,
			     struct split_result *out)
{
	if (t->slot[r->department] == UINT32_MAX) {
		GROW(out->departments, t->departments_cap, out->ndepartments + 1);
		t->slot[r->department] = (uint32_t)out->ndepartments;
		out->departments[out->ndepartments++] =
			(struct split_department){.department = r->department};
	}
	struct split_department *d = &out->departments[t->slot[r->department]];
	if (r->track == TRACK_IC)
		d->ic++;
	else
		d->management++;
	t->level_count[r->track][r->level]++;
	out->track_total[r->track]++;
}

/* A level's name: the most common title among its holders, ties to the
 * first in byte order (level_names keeps it when enough hold it). */
static void count_title(struct as_of_tally *t, const struct dataset *ds, const struct role_row *r,
			struct split_result *out)
{
	uint64_t key = ((uint64_t)(r->track * 16u + r->level) << 32) | r->title;
	uint32_t at;
	if (keyset_add(&t->titles, key, (uint32_t)t->ntally, &at)) {
		GROW(t->tally, t->tally_cap, t->ntally + 1);
		t->tally[t->ntally] = 0;
		at = (uint32_t)t->ntally++;
	}
	uint32_t k = ++t->tally[at];
	uint32_t *best = &out->level_title[r->track][r->level];
	uint32_t *bn = &t->best_n[r->track][r->level];
	if (k > *bn || (k == *bn && strcmp(ds_str(ds, r->title), ds_str(ds, *best)) < 0)) {
		*best = r->title;
		*bn = k;
	}
}

/* A report to note: its manager and line, counted by count_reports. */
struct report {
	uint32_t manager, line;
};

static void note_report(const struct model *m, const struct role_row *r, struct report *v,
			size_t *n)
{
	if (r->manager == STRTAB_NONE || r->manager >= m->nemps)
		return;
	v[(*n)++] = (struct report){r->manager, r->line};
}

/* The reports counted by manager in a loop of their own: they name
 * managers in no order, and a short loop keeps many of those look-ups in
 * flight at once. */
static void count_reports(struct as_of_tally *t, const struct report *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!t->reports[v[i].manager]++)
			t->first_line[v[i].manager] = v[i].line;
}

/* The most common title among holders of each level on the as-of date
 * (count_title), kept when at least min_group people hold it (privacy.h
 * rule 10). */
static void level_names(const struct split_params *p, const struct as_of_tally *t,
			struct split_result *out)
{
	const struct privacy pv = {p->min_group};
	for (int tr = 0; tr < TRACK_COUNT; tr++)
		for (int l = 0; l < LEVEL_SLOTS; l++)
			if (!privacy_group(&pv, t->best_n[tr][l]))
				out->level_title[tr][l] = STRTAB_NONE;
}

/* Department and level counts on the as-of date, and what span needs. */
static void on_as_of(const struct model *m, const struct split_params *p, struct as_of_tally *t,
		     struct split_result *out)
{
	const struct dataset *ds = m->ds;
	memset(t, 0, sizeof(*t));
	t->slot = xmalloc(ds->strs.count * sizeof(*t->slot));
	memset(t->slot, 0xff, ds->strs.count * sizeof(*t->slot));
	keyset_init(&t->titles);
	for (int tr = 0; tr < TRACK_COUNT; tr++)
		for (int l = 0; l < LEVEL_SLOTS; l++)
			out->level_title[tr][l] = STRTAB_NONE;
	out->has_span = ds->files[WR_FILE_ROLES].has_column[ROLES_MANAGER_ID];
	struct report *reports = NULL;
	size_t nreports = 0;
	if (out->has_span) {
		size_t n = m->nemps ? m->nemps : 1;
		t->reports = xcalloc(n, sizeof(*t->reports));
		t->first_line = xmalloc(n * sizeof(*t->first_line));
		t->held = xmalloc(n * sizeof(*t->held));
		reports = xmalloc(n * sizeof(*reports));
	}
	for (size_t e = 0; e < m->nemps; e++) {
		const struct role_row *r = model_role_on(m, (uint32_t)e, p->as_of);
		if (!r) {
			if (t->held)
				t->held[e] = HELD_NONE;
			continue;
		}
		if (t->held)
			t->held[e] = r->track == TRACK_IC ? HELD_IC : r->line;
		count_department(t, r, out);
		count_title(t, ds, r, out);
		if (reports)
			note_report(m, r, reports, &nreports);
	}
	count_reports(t, reports, nreports);
	free(reports);
	sort_with(out->departments, out->ndepartments, sizeof(*out->departments), by_name,
		  (void *)ds);

	level_names(p, t, out);
	size_t lcap = 0;
	for (uint8_t tr = 0; tr < 2; tr++)
		for (uint8_t l = 1; l <= 12; l++) {
			if (!t->level_count[tr][l])
				continue;
			GROW(out->levels, lcap, out->nlevels + 1);
			out->levels[out->nlevels++] = (struct level_mix_row){
				.track = tr, .level = l, .title = out->level_title[tr][l],
				.headcount = t->level_count[tr][l],
			};
		}
}

static void as_of_tally_release(struct as_of_tally *t)
{
	free(t->slot);
	keyset_release(&t->titles);
	free(t->tally);
	free(t->reports);
	free(t->first_line);
	free(t->held);
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

	/* spells come grouped by employee: a pair of one employee's is a pair
	 * of neighbours with the same emp */
	for (size_t k = 1; k < m->nspells; k++) {
		const struct level_spell *a = &m->spells[k - 1], *b = &m->spells[k];
		if (a->emp != b->emp || a->track == b->track || b->start > a->end + 1)
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
		for (size_t j = k + 1; j < m->nspells && m->spells[j].emp == b->emp; j++) {
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

/* Span of control from the reports counted on the as-of date. */
static void span(const struct model *m, const struct as_of_tally *t, struct split_result *out)
{
	if (!out->has_span)
		return;
	size_t cap_i = 0, cap_n = 0;
	double *spans = xmalloc(m->nemps * sizeof(*spans));
	size_t nspans = 0;
	for (size_t e = 0; e < m->nemps; e++) {
		uint64_t reports = t->reports[e];
		if (reports && t->held[e] == HELD_NONE) {
			GROW(out->inactive_managers, cap_i, out->ninactive + 1);
			out->inactive_managers[out->ninactive++] =
				(struct span_warning){(uint32_t)e, t->first_line[e], reports};
		} else if (reports) {
			out->span_bands[span_band(reports)]++;
			spans[nspans++] = (double)reports;
		} else if (t->held[e] != HELD_NONE && t->held[e] != HELD_IC) {
			/* management track, no reports */
			GROW(out->no_reports, cap_n, out->nno_reports + 1);
			out->no_reports[out->nno_reports++] =
				(struct span_warning){(uint32_t)e, t->held[e], 0};
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
	struct as_of_tally t;
	on_as_of(m, p, &t, out);
	protect_departments(p, out);
	switches(m, p, out);
	protect_switches(p, out);
	span(m, &t, out);
	as_of_tally_release(&t);
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
