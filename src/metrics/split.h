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

#include "metrics/warn.h"
#include "model/career.h"

struct split_point {
	wr_date date;
	uint64_t ic, management;
};

struct split_department {
	uint32_t department;               /* ds->strs */
	uint64_t ic, management;
	bool split_hidden;                 /* its IC / management split is not shown */
};

struct level_mix_row {
	uint8_t track, level;
	uint32_t title;                    /* the level's name, see level_title */
	uint64_t headcount;
};

struct switch_year {
	uint8_t show;                      /* enum privacy_show: SHOW_SPLIT covers returned */
	int year;
	uint64_t to_management, to_ic;
	uint64_t returned;                 /* of to_management: back in IC within 365 days */
	uint64_t to_management_recent;     /* of to_management: less than 365 days before as-of */
	uint64_t returned_matured;         /* returned, of the moves 365 days or more before
					    * as-of: the return rate's numerator; its
					    * denominator is to_management - recent ("too early"
					    * when 0: the year's moves may all still return) */
};

#define SPAN_BANDS 6 /* managers with 1, 2-3, 4-7, 8-12, 13-16, 17+ reports */

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
	bool total_split_hidden;           /* the Total row's split goes too (privacy.h rule 7) */
	/* a level's name: the most common title that at least min_group
	 * people hold on the as-of date, else STRTAB_NONE (privacy.h rule 10) */
	uint32_t level_title[TRACK_COUNT][LEVEL_SLOTS];
	struct level_mix_row *levels;      /* on as-of, career order */
	size_t nlevels;
	uint64_t track_total[2];
	struct switch_year *years;
	size_t nyears;

	bool has_span;                     /* roles.csv has manager_id */
	uint64_t span_bands[SPAN_BANDS];   /* managers by active direct reports */
	/* the bands as shown: merged until each holds 0 or min_group managers
	 * (privacy.h rule 6); span_run_label names them */
	size_t span_run_first[SPAN_BANDS];
	uint64_t span_run_count[SPAN_BANDS];
	size_t nspan_runs;
	uint64_t managers;                 /* active managers with >= 1 report */
	double span_mean, span_median;     /* mean rounded (privacy.h rule 3) */
	uint8_t span_show;
	struct span_warning *inactive_managers; /* named as manager, not active */
	size_t ninactive;
	struct span_warning *no_reports;   /* active management track, no reports */
	size_t nno_reports;
};

struct split_params {
	wr_date since, as_of;
	int min_group;                     /* privacy.h's g */
};

void split_compute(const struct model *m, const struct split_params *p, struct split_result *out);
void split_release(struct split_result *r);

/* Hand the span-of-control warnings (people named as managers who hold no
 * role on as-of, management-track people without reports) to sink, in the
 * order found. */
void split_report_warnings(const struct split_result *r, const struct dataset *ds,
			   wr_date as_of, const struct warn_sink *sink);

/* Band index of a span (>= 1). */
int span_band(uint64_t reports);
/* "2-7", "17+": the spans of shown band k. */
void span_run_label(const struct split_result *r, size_t k, char *buf, size_t size);

#endif
