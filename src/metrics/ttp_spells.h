/* ttp_spells.h - what the time-to-promotion analyses (ttp.c,
 * ttp_period.c, ttp_outcomes.c) share: one observation per level spell
 * taking part in the window, and a distinct-people counter. Internal to
 * src/metrics. */
#ifndef WR_TTP_SPELLS_H
#define WR_TTP_SPELLS_H

#include <stddef.h>
#include <stdint.h>

#include "metrics/ttp.h"

/* One spell's part in the estimate, in days since the spell started. */
struct spell_obs {
	struct km_obs km;
	uint32_t emp, department;
	uint16_t level_key; /* level_key(track, level): career order */
	wr_date start;      /* the spell's first day */
	wr_date promoted;   /* promotion day when an event, else WR_DATE_NONE */
	uint8_t outcome;    /* enum spell_outcome */
};

static inline uint8_t spell_track(const struct spell_obs *o)
{
	return key_track(o->level_key);
}

/* Distinct employees among a list, in O(n): a stamp per employee says
 * whether this count has seen them. stamp has one slot per employee. */
struct distinct {
	uint32_t *stamp;
	uint32_t round;
};

static inline void distinct_begin(struct distinct *d)
{
	d->round++;
}

/* Count emp once per round: true the first time. */
static inline int distinct_add(struct distinct *d, uint32_t emp)
{
	if (d->stamp[emp] == d->round)
		return 0;
	d->stamp[emp] = d->round;
	return 1;
}

/* Every spell that overlaps the window [p->since, p->as_of], in the
 * model's order (grouped by employee). Caller frees *out. */
size_t ttp_collect(const struct model *m, const struct ttp_params *p, struct spell_obs **out);

/* The privacy decisions of every table (ttp_privacy.c): the show masks,
 * rounding, complementary suppression and the quarterly-release rule. */
void ttp_protect(const struct model *m, const struct ttp_params *p, struct ttp_result *out);

/* tbl_ttp_period and tbl_ttp_trend (ttp_period.c). obs must come grouped
 * by employee, as ttp.c collects it in the model's spell order. */
void ttp_periods(const struct spell_obs *obs, size_t n, const struct ttp_params *p,
		 struct ttp_result *out);
/* tbl_ttp_outcomes and the outcome curve (ttp_outcomes.c); obs grouped by
 * employee. */
void ttp_outcomes(const struct spell_obs *obs, size_t n, struct ttp_result *out);

#endif
