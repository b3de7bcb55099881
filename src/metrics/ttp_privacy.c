/* ttp_privacy.c - what the Time to Promotion tables may show, decided by
 * the rules of privacy.h and recorded in each row's show mask.
 *
 * The observed figures (mean, SD) of tbl_ttp_level, tbl_ttp_department and
 * tbl_ttp_year split the same promotions that the All levels row pools, so
 * each of the three is a partition protected by complementary suppression
 * (rule 7), and each carries the previous quarter's pattern forward and
 * hides a group that changed by 1 to g-1 promotions since then (rule 8).
 * Quantiles need 2g people (rule 4); the Kaplan-Meier figures g people and
 * g promoted (rule 5); the histogram's bins are merged (rule 6).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "metrics/privacy.h"
#include "metrics/ttp_spells.h"

wr_date ttp_previous_quarter(wr_date as_of)
{
	return date_add_months(as_of + 1, -3) - 1;
}

/* Observed promotions and distinct people promoted, per group. */
struct tally {
	uint64_t n;
	struct run_people people; /* the spells come grouped by employee */
};

static void tally_add(struct tally *t, uint32_t emp)
{
	run_people_add(&t->people, emp);
	t->n++;
}

/* The previous release's observed promotions by level, department and
 * year (index from the window's first year) and in all. */
struct previous {
	struct tally levels[LEVEL_KEYS];
	struct tally *departments; /* by ds->strs id */
	struct tally *years;
	size_t nyears;
	struct tally all;
};

/* The promotions of the window [since, prev_as_of], as the previous
 * release saw them: a spell's department is that of its last role row
 * started by prev_as_of. */
static void previous_counts(const struct model *m, const struct ttp_spells *sp,
			    const struct ttp_params *p, struct previous *prev)
{
	prev->departments = xcalloc(m->ds->strs.count, sizeof(*prev->departments));
	int y0 = date_year(p->since);
	size_t ny = (size_t)(date_year(p->as_of) - y0 + 1);
	prev->nyears = ny;
	prev->years = xcalloc(ny, sizeof(*prev->years));
	/* next_year[y]: 1 January of year y + 1 of the window */
	wr_date *next_year = xmalloc(ny * sizeof(*next_year));
	for (size_t y = 0; y < ny; y++)
		next_year[y] = date_from_ymd(y0 + (int)y + 1, 1, 1);
	/* by employee, so that the spells themselves are read only for a
	 * department that changed */
	for (size_t e = 0; e < m->nemps; e++) {
		size_t first = m->emps[e].first_spell, end = first + m->emps[e].nspells;
		for (size_t i = first; i < end; i++) {
			const struct ttp_spell *f = &sp->v[i];
			if (!spell_promoted_in(f, p->since, p->prev_as_of))
				continue;
			/* the row of the as-of date's department, when it started by
			 * prev_as_of, is the last started by then too */
			uint32_t department =
			    f->department_from <= p->prev_as_of && p->prev_as_of <= sp->as_of
				? f->department
				: spell_department(m, &m->spells[i], p->prev_as_of);
			/* its year: the promotion falls in [since, prev_as_of] */
			size_t y = 0;
			while (y + 1 < ny && f->promoted >= next_year[y])
				y++;
			uint32_t emp = (uint32_t)e;
			tally_add(&prev->levels[f->level_key], emp);
			tally_add(&prev->departments[department], emp);
			tally_add(&prev->years[y], emp);
			tally_add(&prev->all, emp);
		}
	}
	free(next_year);
}

/* One row of a partition: now and in the previous release. */
struct part_row {
	uint64_t n, people, prev_n, prev_people;
	bool hidden; /* out */
};

static struct part_row part_row_of(uint64_t n, uint64_t people, const struct tally *prev)
{
	return (struct part_row){n, people, prev ? prev->n : 0, prev ? prev->people.n : 0, false};
}

/* Rules 2, 7 and 8 over one partition; returns false when the pooled
 * figure must be hidden. */
static bool protect(const struct privacy *pv, struct part_row *rows, size_t k, bool have_prev)
{
	struct privacy_row *pr = xmalloc(k * sizeof(*pr));
	bool pooled = true;
	bool *was_hidden = xcalloc(k, sizeof(*was_hidden));
	if (have_prev) {
		for (size_t i = 0; i < k; i++)
			pr[i] = (struct privacy_row){rows[i].prev_people,
						     !privacy_group(pv, rows[i].prev_people), 0};
		pooled = privacy_complement(pv, pr, k);
		for (size_t i = 0; i < k; i++)
			was_hidden[i] = pr[i].hidden && rows[i].prev_people > 0;
	}
	for (size_t i = 0; i < k; i++) {
		bool hide = !privacy_group(pv, rows[i].people);
		uint64_t change = 0;
		if (have_prev) {
			hide = hide || was_hidden[i] ||
			       !privacy_release(pv, rows[i].n, rows[i].prev_n);
			change = rows[i].n > rows[i].prev_n ? rows[i].n - rows[i].prev_n
							    : rows[i].prev_n - rows[i].n;
		}
		pr[i] = (struct privacy_row){rows[i].people, hide, change};
	}
	pooled = privacy_complement(pv, pr, k) && pooled;
	for (size_t i = 0; i < k; i++)
		rows[i].hidden = pr[i].hidden;
	free(was_hidden);
	free(pr);
	return pooled;
}

/* The show mask of a row's statistics, and its mean and SD rounded. */
static void decide(const struct privacy *pv, struct ttp_stats *st, bool mean_hidden)
{
	st->show = 0;
	if (!mean_hidden && privacy_group(pv, st->observed_people))
		st->show |= SHOW_MEAN;
	if (privacy_quantiles(pv, st->observed_people))
		st->show |= SHOW_QUANTILES;
	if (privacy_km(pv, st->km_people, st->observed_people))
		st->show |= SHOW_KM;
	st->observed.mean = privacy_round(st->observed_people, st->observed.mean);
	st->observed.sd = privacy_round(st->observed_people, st->observed.sd);
	st->observed.min = st->observed.max = NAN; /* rule 4: never shown */
}

/* One group of a partition of the pooled figure's promotions by level or
 * department: its figures and the previous release's tally (NULL without
 * one). */
struct stats_part {
	struct ttp_stats *st;
	const struct tally *prev;
};

/* protect() over the groups, then each group's show mask; returns false
 * when the pooled figure must be hidden. */
static bool protect_stats(const struct privacy *pv, const struct stats_part *g, size_t k,
			  bool have_prev)
{
	struct part_row *rows = xcalloc(k, sizeof(*rows));
	for (size_t i = 0; i < k; i++)
		rows[i] = part_row_of(g[i].st->observed.n, g[i].st->observed_people, g[i].prev);
	bool pooled = protect(pv, rows, k, have_prev);
	for (size_t i = 0; i < k; i++)
		decide(pv, g[i].st, rows[i].hidden);
	free(rows);
	return pooled;
}

static void protect_observed(const struct model *m, const struct ttp_spells *sp,
			     const struct ttp_params *p, struct ttp_result *out)
{
	const struct privacy pv = {p->min_group};
	bool have_prev = p->prev_as_of != WR_DATE_NONE && p->prev_as_of >= p->since;
	struct previous prev = {0};
	if (have_prev)
		previous_counts(m, sp, p, &prev);
	bool pooled = true;

	size_t most = out->nlevels > out->ndepartments ? out->nlevels : out->ndepartments;
	struct stats_part *part = xcalloc(most, sizeof(*part));
	for (size_t i = 0; i < out->nlevels; i++) {
		struct ttp_level_row *l = &out->levels[i];
		part[i] = (struct stats_part){
		    &l->st, have_prev ? &prev.levels[level_key(l->track, l->level)] : NULL};
	}
	pooled = protect_stats(&pv, part, out->nlevels, have_prev) && pooled;
	for (size_t i = 0; i < out->ndepartments; i++) {
		struct ttp_department_row *d = &out->departments[i];
		part[i] = (struct stats_part){&d->st,
					      have_prev ? &prev.departments[d->department] : NULL};
	}
	pooled = protect_stats(&pv, part, out->ndepartments, have_prev) && pooled;
	free(part);

	struct part_row *rows = xcalloc(out->nyears, sizeof(*rows));
	for (size_t i = 0; i < out->nyears; i++) {
		const struct ttp_year_row *y = &out->years[i];
		const struct tally *t = have_prev && i < prev.nyears ? &prev.years[i] : NULL;
		rows[i] = part_row_of(y->promotions, y->people, t);
	}
	pooled = protect(&pv, rows, out->nyears, have_prev) && pooled;
	for (size_t i = 0; i < out->nyears; i++) {
		struct ttp_year_row *y = &out->years[i];
		y->show = 0;
		if (!rows[i].hidden && privacy_group(&pv, y->people))
			y->show |= SHOW_MEAN;
		if (privacy_quantiles(&pv, y->people))
			y->show |= SHOW_QUANTILES;
		y->mean = privacy_round(y->people, y->mean);
	}
	free(rows);

	/* the pooled row: hidden with a partition that found no complement,
	 * and under the release rule itself */
	bool all_hidden = !pooled;
	if (have_prev)
		all_hidden = all_hidden || !privacy_group(&pv, prev.all.people.n) ||
			     !privacy_release(&pv, out->all.observed.n, prev.all.n);
	decide(&pv, &out->all, all_hidden);
	free(prev.departments);
	free(prev.years);
}

void ttp_protect(const struct model *m, const struct ttp_spells *sp, const struct ttp_params *p,
		 struct ttp_result *out)
{
	const struct privacy pv = {p->min_group};
	protect_observed(m, sp, p, out);

	uint64_t counts[TTP_HIST_MAX_BINS];
	for (size_t b = 0; b < out->nbins; b++)
		counts[b] = out->hist[b];
	out->nruns = privacy_merge_bins(&pv, counts, out->nbins, out->run_first, out->run_count);

	for (int c = 0; c < 3; c++)
		out->curve_show[c] =
		    privacy_km(&pv, out->curve_people[c], out->curve_event_people[c]) ? SHOW_KM : 0;
	for (size_t i = 0; i < out->nperiods; i++) {
		struct ttp_period_row *r = &out->periods[i];
		r->show = privacy_km(&pv, r->people, r->event_people) ? SHOW_KM : 0;
	}
	for (int g = 0; g < TTP_GROUPS; g++) {
		struct ttp_trend_row *r = &out->trend[g];
		r->show = privacy_km(&pv, r->people, r->event_people) ? SHOW_KM : 0;
	}
	for (size_t i = 0; i < out->noutcomes; i++) {
		struct ttp_outcome_row *r = &out->outcomes[i];
		r->show = privacy_km(&pv, r->people, r->outcome_people) ? SHOW_KM : 0;
		for (int c = 0; c < 3; c++)
			r->show_by[c] = privacy_km(&pv, r->people, r->people_by[c]) ? SHOW_KM : 0;
	}
}
