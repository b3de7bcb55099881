/* ttp_outcomes.c - how level spells end, as competing outcomes: the
 * Aalen-Johansen cumulative incidence of promoted, moved and left with
 * delayed entry (the same entry and exit as the Kaplan-Meier estimate; the
 * exit of a spell that moved or left is min(end, as-of) - start), by track
 * x level and over all levels (tbl_ttp_outcomes), and the curve over all
 * spells by month. Unlike 1 - S of the Kaplan-Meier estimate, which
 * assumes that someone who left could still be promoted in that level, the
 * incidence of promotion is the share of a level's people actually
 * promoted by then. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "metrics/ttp_spells.h"
#include "stats/aj.h"

/* enum spell_outcome doubles as the estimator's outcome code: 0 is
 * censored (still in level), 1..3 promoted, moved, left. */
#define NOUTCOMES (SPELL_OUTCOMES - 1)

/* Fit over obs[idx[0..n)] (all of obs when idx is NULL) and fill row.
 * The observations come grouped by employee (the model's order, kept by
 * the stable grouping below), so distinct people are counted by comparing
 * with the last one counted. */
static void outcome_fit(const struct spell_obs *obs, const size_t *idx, size_t n,
			struct ttp_outcome_row *row, struct aj_result *keep)
{
	struct aj_obs *v = xmalloc(n * sizeof(*v));
	size_t k = 0;
	struct run_people people = {0}, outcome_people = {0}, people_by[NOUTCOMES] = {{0}};
	for (size_t i = 0; i < n; i++) {
		const struct spell_obs *o = &obs[idx ? idx[i] : i];
		if (!(o->km.exit > o->km.entry))
			continue;
		v[k++] = (struct aj_obs){o->km.entry, o->km.exit, o->outcome};
		row->counts[o->outcome]++;
		run_people_add(&people, o->emp);
		if (o->outcome == SPELL_STILL)
			continue;
		run_people_add(&outcome_people, o->emp);
		run_people_add(&people_by[o->outcome - 1], o->emp);
	}
	row->spells = k;
	row->people = people.n;
	row->outcome_people = outcome_people.n;
	for (int c = 0; c < NOUTCOMES; c++)
		row->people_by[c] = people_by[c].n;
	struct aj_result r;
	aj_fit(v, k, NOUTCOMES, &r);
	for (int h = 0; h < TTP_HORIZONS; h++)
		for (int c = 0; c < NOUTCOMES; c++)
			row->cif[h][c] = k ? aj_cif_at(&r, c + 1, ttp_horizon_days(h)) : NAN;
	if (keep)
		*keep = r;
	else
		aj_result_release(&r);
	free(v);
}

void ttp_outcomes(const struct spell_obs *obs, size_t n, struct ttp_result *out)
{
	struct grouping g;
	group_by_level(obs, n, &g);

	out->outcomes = xcalloc(LEVEL_KEYS + 1, sizeof(*out->outcomes));
	for (size_t k = 0; k < LEVEL_KEYS; k++) {
		struct ttp_outcome_row *row = &out->outcomes[out->noutcomes];
		*row = (struct ttp_outcome_row){.track = key_track(k), .level = key_level(k)};
		outcome_fit(obs, g.idx + g.start[k], group_size(&g, k), row, NULL);
		if (row->spells > 0)
			out->noutcomes++;
	}
	grouping_release(&g);

	struct ttp_outcome_row *all = &out->outcomes[out->noutcomes++];
	*all = (struct ttp_outcome_row){.all = true};
	struct aj_result r;
	outcome_fit(obs, NULL, n, all, &r);
	for (int m = 0; m <= TTP_OUTCOME_CURVE_MONTHS; m++) {
		double t = m * DAYS_PER_MONTH;
		for (int c = 1; c <= NOUTCOMES; c++)
			out->outcome_curve[m][c] = all->spells ? aj_cif_at(&r, c, t) : NAN;
		out->outcome_curve[m][SPELL_STILL] = all->spells ? aj_surv_at(&r, t) : NAN;
	}
	aj_result_release(&r);
}
