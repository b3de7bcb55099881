/* ttp_spells.h - what the analyses of level spells and employments
 * (ttp.c, ttp_period.c, ttp_outcomes.c, ttp_privacy.c, kpi.c,
 * retention.c) share: what the collection (struct ttp_spells, ttp.h) holds
 * per spell, each spell's part in a window (ttp_window), grouping by a
 * small key, departments in name order, and distinct-people counters.
 * Internal to src/metrics. */
#ifndef WR_TTP_SPELLS_H
#define WR_TTP_SPELLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "metrics/ttp.h"

/* What the windows read of the level spell m->spells[i] (struct
 * ttp_spells v[i]) as of the collection's as-of date. */
struct ttp_spell {
	wr_date promoted;    /* the day of the promotion matched to it, or WR_DATE_NONE */
	uint32_t department; /* of its last role row started by the as-of date: rows
			      * dated after it are left out of the analyses */
	uint8_t ends;        /* how it ends unless promoted in the window: SPELL_STILL,
			      * SPELL_MOVED or SPELL_LEFT (enum spell_outcome) */
};

/* The spell is promoted on a day of [since, as_of]. */
static inline bool spell_promoted_in(const struct ttp_spell *f, wr_date since, wr_date as_of)
{
	return f->promoted != WR_DATE_NONE && f->promoted >= since && f->promoted <= as_of;
}

/* The department of spell s on day: that of its last role row started by
 * then. */
uint32_t spell_department(const struct model *m, const struct level_spell *s, wr_date day);

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

/* Every spell that overlaps the window [since, sp->as_of], in the model's
 * order (grouped by employee). Caller frees *out. */
size_t ttp_window(const struct model *m, const struct ttp_spells *sp, wr_date since,
		  struct spell_obs **out);

/* Indices 0..n-1 grouped by key[i] < nkeys (a counting sort: linear,
 * stable): group k is idx[start[k] .. start[k + 1]). */
struct grouping {
	size_t *idx, *start;
};
void group_by(const uint32_t *key, size_t n, size_t nkeys, struct grouping *g);
/* obs grouped by level_key (LEVEL_KEYS groups, career order). */
void group_by_level(const struct spell_obs *obs, size_t n, struct grouping *g);
void grouping_release(struct grouping *g);

static inline size_t group_size(const struct grouping *g, size_t k)
{
	return g->start[k + 1] - g->start[k];
}

/* The departments among key[0..n) (ds->strs ids), in name order: returns
 * their number nd and *names[0..nd) (caller frees), and replaces each
 * key[i] by its department's place among them. */
size_t rank_departments(const struct dataset *ds, uint32_t *key, size_t n, uint32_t **names);

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

/* Distinct employees among ids[0..n), in a round of their own. */
static inline size_t distinct_count(struct distinct *d, const uint32_t *ids, size_t n)
{
	distinct_begin(d);
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		k += (size_t)distinct_add(d, ids[i]);
	return k;
}

/* Distinct employees among a list that comes grouped by employee (the
 * model's spell order), without a stamp: an employee is new when they
 * differ from the last one counted. */
struct run_people {
	size_t n;
	uint32_t last;
};

static inline void run_people_add(struct run_people *c, uint32_t emp)
{
	if (c->n == 0 || c->last != emp) {
		c->n++;
		c->last = emp;
	}
}

/* The privacy decisions of every table (ttp_privacy.c): the show masks,
 * rounding, complementary suppression and the quarterly-release rule,
 * which reads the previous release's promotions from m and sp. */
void ttp_protect(const struct model *m, const struct ttp_spells *sp, const struct ttp_params *p,
		 struct ttp_result *out);

/* tbl_ttp_period and tbl_ttp_trend (ttp_period.c). obs must come grouped
 * by employee, as ttp_window gives them. */
void ttp_periods(const struct spell_obs *obs, size_t n, const struct ttp_params *p,
		 struct ttp_result *out);
/* tbl_ttp_outcomes and the outcome curve (ttp_outcomes.c); obs grouped by
 * employee. */
void ttp_outcomes(const struct spell_obs *obs, size_t n, struct ttp_result *out);

#endif
