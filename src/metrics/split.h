/* split.h - the IC vs management split over time, the level mix, track
 * switches and span of control. Model in, result struct out, no I/O.
 *
 * Headcount on a date counts each employee holding a role that day once, in
 * the track of that role (end dates inclusive). A track switch is a level
 * spell in one track followed contiguously by one in the other, counted on
 * the day the new spell starts.
 */
#ifndef WR_SPLIT_H
#define WR_SPLIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/career.h"

struct split_point {
	wr_date date;
	uint64_t ic, management;
};

struct split_department {
	uint32_t department;               /* ds->strs */
	uint64_t ic, management;
};

struct level_mix_row {
	uint8_t track, level;
	uint32_t title;                    /* most common title at the level */
	uint64_t headcount;
};

struct switch_year {
	int year;
	uint64_t to_management, to_ic;
	uint64_t returned;                 /* of to_management: back in IC within 365 days */
	uint64_t to_management_recent;     /* of to_management: less than 365 days before as-of */
};

#define SPAN_BANDS 6
extern const char *const span_band_names[SPAN_BANDS]; /* "1", "2-3", ... "17+" */

struct span_warning {
	uint32_t emp;                      /* ds->ids */
	uint32_t line;                     /* roles.csv line */
	uint64_t reports;                  /* reports naming an inactive manager */
};

struct split_result {
	struct split_point *quarters;      /* quarter ends in the window, and as-of */
	size_t nquarters;
	struct split_department *departments; /* on as-of, by name */
	size_t ndepartments;
	struct level_mix_row *levels;      /* on as-of, career order */
	size_t nlevels;
	uint64_t track_total[2];
	struct switch_year *years;
	size_t nyears;

	bool has_span;                     /* roles.csv has manager_id */
	uint64_t span_bands[SPAN_BANDS];   /* managers by active direct reports */
	uint64_t managers;                 /* active managers with >= 1 report */
	double span_mean, span_median;
	struct span_warning *inactive_managers; /* named as manager, not active */
	size_t ninactive;
	struct span_warning *no_reports;   /* active management track, no reports */
	size_t nno_reports;
};

struct split_params {
	wr_date since, as_of;
};

void split_compute(const struct model *m, const struct split_params *p, struct split_result *out);
void split_release(struct split_result *r);

/* Band index of a span (>= 1). */
int span_band(uint64_t reports);

#endif
