/* mobility.h - promotions and lateral transfers over time: rates per quarter
 * and per level, internal movement per year, the family-to-family matrix,
 * listed-option checks and department flows. Model in, result out, no I/O.
 *
 * Promotions are those of promotions.csv matched to a level spell, dated in
 * the window; a promotion's track and level are those of the spell it ends.
 * Transfers are the rows of transfers.csv dated in the window. Headcount at a
 * quarter's start is taken on the quarter's first day in the window.
 */
#ifndef WR_MOBILITY_H
#define WR_MOBILITY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "metrics/calendar.h"
#include "metrics/split.h"
#include "model/career.h"

struct quarter_moves {
	struct period period;          /* clipped to the window */
	uint64_t promotions, promotions_ic, promotions_management;
	uint64_t transfers;
	uint64_t headcount_start;      /* on period.first */
	double promotions_a_year;      /* promotions x 365.25 / days in the period */
};

struct promotion_level {
	uint8_t track, level;
	uint64_t promotions;
	double promotions_a_year;      /* promotions / the window's years */
	double avg_headcount;          /* over the window's quarter ends */
};

struct mobility_year {
	int year;
	uint64_t promotions, transfers, switches;
	double avg_headcount;          /* mean of the year's quarter ends in the window */
};

/* Whether a family-to-family path is a listed lateral option. A move
 * within one family is not a lateral transfer option and needs none. */
enum listed { LISTED_NO_LIST = -1, LISTED_NO = 0, LISTED_YES = 1, LISTED_SAME_FAMILY = 2 };

struct family_pair {
	uint32_t from, to;             /* ds->strs */
	uint64_t transfers;
	int listed;                    /* enum listed */
};

struct mobility_result {
	bool has_promotions, has_transfers, has_options, has_departments;
	double window_years;           /* days in the window / 365.25 */
	struct quarter_moves *quarters;
	size_t nquarters;
	struct promotion_level *levels; /* from-levels, career order */
	size_t nlevels;
	struct mobility_year *years;
	size_t nyears;
	uint32_t *families;            /* in the matrix, by name */
	size_t nfamilies;
	uint64_t *matrix;              /* [from * nfamilies + to] */
	struct family_pair *pairs;     /* by transfers, most first */
	size_t npairs;
	uint64_t unlisted_transfers;       /* cross-family transfers along unlisted paths */
	size_t unlisted_pairs;
	uint64_t cross_family_transfers;   /* every transfer between two families */
	struct family_pair *flows;     /* department to department, by transfers */
	size_t nflows;
	uint64_t promotions_total, transfers_total, switches_total;
};

struct mobility_params {
	wr_date since, as_of;
};

void mobility_compute(const struct model *m, const struct split_result *split,
		      const struct mobility_params *p, struct mobility_result *out);
void mobility_release(struct mobility_result *r);

#endif
