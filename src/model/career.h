/* career.h - careers over time: each employee's role rows in date order,
 * level spells, and promotions matched to spells.
 *
 * Definitions (also written on the About sheet):
 * - Two role rows of an employee are contiguous when the next starts no later
 *   than the day after the previous ends. Overlapping rows are resolved by
 *   cutting the earlier to end the day before the later starts (a warning,
 *   except when the next starts on the previous end day, which is a common
 *   export convention and not an overlap).
 * - A level spell is a maximal run of contiguous rows with the same track and
 *   level; a lateral move at the same level does not restart it.
 * - A promotion is matched to the spell held on the day before its effective
 *   date; a spell is matched by at most one promotion: the one dated the day
 *   after the spell ends (roles.csv shows it), else the earliest.
 * - Employment ends at the end of the employee's last role row.
 *
 * The model borrows the dataset (it replaces ds->roles by a copy sorted by
 * employee and date, whose old array becomes the model's spells, so no
 * pointer into ds->roles made before model_build stays valid; it sets
 * promotion_row.spell and logs warnings to ds->dq) and owns its arrays.
 */
#ifndef WR_CAREER_H
#define WR_CAREER_H

#include <stddef.h>
#include <stdint.h>

#include "model/dataset.h"

/* A track and level as one small number in career order (IC's levels,
 * then management's; LEVEL_SLOTS per track, model/dataset.h): the index of
 * every per-level array. */
enum { LEVEL_KEYS = TRACK_COUNT * LEVEL_SLOTS };

static inline uint16_t level_key(unsigned track, unsigned level)
{
	return (uint16_t)(track * LEVEL_SLOTS + level);
}

static inline uint8_t key_track(size_t key)
{
	return (uint8_t)(key / LEVEL_SLOTS);
}

static inline uint8_t key_level(size_t key)
{
	return (uint8_t)(key % LEVEL_SLOTS);
}

struct level_spell {
	uint32_t emp;
	wr_date start, end;          /* end: WR_DATE_OPEN while held */
	uint32_t first_row, last_row;/* indices into ds->roles (sorted) */
	int32_t promotion;           /* index into ds->promotions, or -1 */
	uint8_t track, level;
};

struct employee {
	uint32_t first_row, nrows;   /* ds->roles[first_row .. +nrows), by start */
	uint32_t first_spell, nspells;
};

struct model {
	struct dataset *ds;
	struct employee *emps;       /* by employee id (ds->ids); nrows 0: no roles */
	size_t nemps;
	struct level_spell *spells;  /* grouped by employee, in date order */
	size_t nspells, spells_cap;
	uint64_t overlaps_cut;       /* rows cut because a later one overlapped */
	uint64_t promotions_matched;
	/* Headcount by level key on every day from daily_first to daily_last:
	 * daily[(day - daily_first) * LEVEL_KEYS + key] counts the role rows
	 * of that key covering day (each employee holds at most one a day).
	 * NULL when the roles span too many days (MODEL_DAILY_MAX_DAYS); the
	 * headcounts then sweep the role rows. */
	uint32_t *daily;
	wr_date daily_first, daily_last;
	/* Role rows starting, and ending (as cut), on each day of the same
	 * span: role_days[day - daily_first]; NULL with daily. */
	uint32_t *role_days;
};

/* The longest span of role dates kept as a daily table (about 180 years:
 * at most 8 MB). */
#define MODEL_DAILY_MAX_DAYS (1 << 16)

void model_init(struct model *m);
void model_release(struct model *m);

/* Build the model from a loaded dataset. Cannot fail but for memory. */
void model_build(struct model *m, struct dataset *ds);

struct headcount {
	uint64_t total;
	uint64_t by_track[2];        /* enum wr_track */
};

/* Employees holding a role on day, each once, in the track of that role. */
void model_headcount_on(const struct model *m, wr_date day, struct headcount *out);

/* Headcount on each of dates[0..ndates) (ascending), split by a group of
 * the role held that day: out[d * ngroups + group_of(row)] (zeroed here).
 * One sweep over the role rows with a difference array: O(rows log dates +
 * dates * groups). group_of returns a value below ngroups, or ngroups or
 * more to leave the row out. */
void model_headcount_grid(const struct model *m, const wr_date *dates, size_t ndates,
			  size_t ngroups, size_t (*group_of)(const struct role_row *r, void *ctx),
			  void *ctx, uint64_t *out);

/* Headcount on each of dates[0..ndates) (ascending), split by a group of
 * the level held that day: out[d * ngroups + group_of_key[key]] (zeroed
 * here), key the level_key of the role; a key whose group is ngroups or
 * more is left out. From the daily table, O(dates * LEVEL_KEYS), else
 * one sweep over the role rows as model_headcount_grid. */
void model_headcount_keyed(const struct model *m, const wr_date *dates, size_t ndates,
			   size_t ngroups, const size_t group_of_key[LEVEL_KEYS], uint64_t *out);

/* The role row employee emp holds on day, or NULL. */
const struct role_row *model_role_on(const struct model *m, uint32_t emp, wr_date day);

/* Index of the spell of emp that covers day, or -1. */
int64_t model_spell_on(const struct model *m, uint32_t emp, wr_date day);

#endif
