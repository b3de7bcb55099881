/* ttp_spells.h - what the analyses of level spells and employments
 * (ttp.c, ttp_period.c, ttp_outcomes.c, ttp_privacy.c, kpi.c,
 * retention.c) share: what the collection (struct ttp_spells, ttp.h) holds
 * per spell, each spell's part in a window (ttp_window), departments in
 * name order, distinct-people counters, and tallies of spells per day.
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
	wr_date department_from; /* that row's start */
	uint8_t ends;        /* how it ends unless promoted in the window: SPELL_STILL,
			      * SPELL_MOVED or SPELL_LEFT (enum spell_outcome) */
	uint16_t level_key;  /* level_key(track, level) */
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

/* The departments among key[0..n) (ds->strs ids), in name order: returns
 * their number nd and *names[0..nd) (caller frees), and replaces each
 * key[i] by its department's place among them. */
size_t rank_departments(const struct dataset *ds, uint32_t *key, size_t n, uint32_t **names);

/* The tallies of departments that one pass over the spells or employments
 * fills at most: more departments take more passes. */
#define DEPARTMENT_TALLY_BYTES (32u << 20)

/* How many of nd departments one pass tallies, each with `arrays` uint32
 * counts per day over ndays: at least 1 (even past the bound), at most nd.
 * A pass over [d0, d0 + chunk) then takes the rows whose department rank
 * k has k - d0 < chunk (unsigned: below d0 wraps to large). */
static inline size_t department_chunk(size_t nd, size_t ndays, size_t arrays)
{
	size_t chunk = DEPARTMENT_TALLY_BYTES / (arrays * ndays * sizeof(uint32_t));
	return chunk == 0 ? 1 : chunk > nd ? nd : chunk;
}

/* Distinct employees among a list, in O(n): a stamp per employee says
 * whether this count has seen them. stamp has one slot per employee.
 * (programmes.c counts the people of its groups so.) */
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

/* What a group of ttp_window's spells adds up to, per day t since the
 * spells' first days: the counts behind the Kaplan-Meier and Aalen-Johansen
 * estimates and behind the observed times to promotion, and the distinct
 * people behind each (the spells are added grouped by employee, as
 * ttp_window gives them). Counted days are below top, top <= ndays. */
struct spell_tally {
	size_t ndays, top;
	uint32_t *enter;    /* spells taking part (exit > entry) with entry t */
	uint32_t *gone;     /* spells taking part with exit t */
	uint32_t *ended[3]; /* of those, ending promoted, moved, left ([outcome - 1]) */
	uint32_t *observed; /* promoted in the window t days after the start, taking
			     * part or not */
	size_t spells;      /* every spell of the group */
	size_t counts[SPELL_OUTCOMES]; /* taking part, by outcome */
	size_t nobserved;
	struct run_people people, outcome_people, people_by[3], observed_people;
};

/* Days 0 .. ndays - 1, nothing counted. */
void spell_tally_init(struct spell_tally *t, size_t ndays);
/* Back to nothing counted. */
void spell_tally_clear(struct spell_tally *t);
void spell_tally_release(struct spell_tally *t);
/* Add src's counts per day (not its people nor scalar counts) to dst's;
 * dst->ndays >= src->top. */
void spell_tally_add_days(struct spell_tally *dst, const struct spell_tally *src);

/* Count spell o's scalar counts and people, without its days. */
static inline void spell_tally_count(struct spell_tally *t, const struct spell_obs *o)
{
	t->spells++;
	if (o->km.exit > o->km.entry) {
		t->counts[o->outcome]++;
		run_people_add(&t->people, o->emp);
		if (o->outcome != SPELL_STILL) {
			run_people_add(&t->outcome_people, o->emp);
			run_people_add(&t->people_by[o->outcome - 1], o->emp);
		}
	}
	if (o->promoted != WR_DATE_NONE) {
		t->nobserved++;
		run_people_add(&t->observed_people, o->emp);
	}
}

/* Count spell o's days: its entry and exit, whole numbers of days (as
 * ttp_window gives them), must be at least 0 and below t->ndays. */
static inline void spell_tally_days(struct spell_tally *t, const struct spell_obs *o)
{
	size_t exit = (size_t)o->km.exit;
	bool part = o->km.exit > o->km.entry, promoted = o->promoted != WR_DATE_NONE;
	if (part) {
		t->enter[(size_t)o->km.entry]++;
		t->gone[exit]++;
		if (o->outcome != SPELL_STILL)
			t->ended[o->outcome - 1][exit]++;
	}
	if (promoted)
		t->observed[exit]++;
	if ((part || promoted) && exit >= t->top)
		t->top = exit + 1;
}

static inline void spell_tally_add(struct spell_tally *t, const struct spell_obs *o)
{
	spell_tally_count(t, o);
	spell_tally_days(t, o);
}

/* The privacy decisions of every table (ttp_privacy.c): the show masks,
 * rounding, complementary suppression and the quarterly-release rule,
 * which reads the previous release's promotions from m and sp. */
void ttp_protect(const struct model *m, const struct ttp_spells *sp, const struct ttp_params *p,
		 struct ttp_result *out);

/* tbl_ttp_period and tbl_ttp_trend (ttp_period.c). obs must come grouped
 * by employee, as ttp_window gives them; level[k] tallies those of level
 * key k (ndays 0: none), and every exit is below ndays. */
void ttp_periods(const struct spell_obs *obs, size_t n, const struct spell_tally *level,
		 size_t ndays, const struct ttp_params *p, struct ttp_result *out);
/* tbl_ttp_outcomes and the outcome curve (ttp_outcomes.c), from the
 * window's spells tallied by level (level[k].ndays 0: no spell of level
 * key k) and over all levels. */
void ttp_outcomes(const struct spell_tally *level, const struct spell_tally *all,
		  struct ttp_result *out);

#endif
