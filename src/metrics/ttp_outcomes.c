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

/* Fit over the spells of tally t and fill row. */
static void outcome_fit(const struct spell_tally *t, struct ttp_outcome_row *row,
			struct aj_result *keep)
{
	size_t k = 0;
	for (int c = 0; c < SPELL_OUTCOMES; c++) {
		row->counts[c] = t->counts[c];
		k += t->counts[c];
	}
	row->spells = k;
	row->people = t->people.n;
	row->outcome_people = t->outcome_people.n;
	for (int c = 0; c < NOUTCOMES; c++)
		row->people_by[c] = t->people_by[c].n;
	struct aj_result r;
	aj_fit_days(t->enter, t->gone, (const uint32_t *const *)t->ended, t->top, NOUTCOMES, &r);
	for (int h = 0; h < TTP_HORIZONS; h++)
		for (int c = 0; c < NOUTCOMES; c++)
			row->cif[h][c] = k ? aj_cif_at(&r, c + 1, ttp_horizon_days(h)) : NAN;
	if (keep)
		*keep = r;
	else
		aj_result_release(&r);
}

void ttp_outcomes(const struct spell_tally *level, const struct spell_tally *all,
		  struct ttp_result *out)
{
	out->outcomes = xcalloc(LEVEL_KEYS + 1, sizeof(*out->outcomes));
	for (size_t k = 0; k < LEVEL_KEYS; k++) {
		if (level[k].ndays == 0)
			continue; /* no spell of this level */
		struct ttp_outcome_row *row = &out->outcomes[out->noutcomes];
		*row = (struct ttp_outcome_row){.track = key_track(k), .level = key_level(k)};
		outcome_fit(&level[k], row, NULL);
		if (row->spells > 0)
			out->noutcomes++;
	}

	struct ttp_outcome_row *all_row = &out->outcomes[out->noutcomes++];
	*all_row = (struct ttp_outcome_row){.all = true};
	struct aj_result r;
	outcome_fit(all, all_row, &r);
	for (int m = 0; m <= TTP_OUTCOME_CURVE_MONTHS; m++) {
		double t = m * DAYS_PER_MONTH;
		for (int c = 1; c <= NOUTCOMES; c++)
			out->outcome_curve[m][c] = all_row->spells ? aj_cif_at(&r, c, t) : NAN;
		out->outcome_curve[m][SPELL_STILL] = all_row->spells ? aj_surv_at(&r, t) : NAN;
	}
	aj_result_release(&r);
}
