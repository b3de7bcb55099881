/* programmes.h - outcomes of the secondment and intern programmes. Model in,
 * result out, no I/O.
 *
 * Secondments, on the as-of date: upcoming (starts after it; left out),
 * active (started, no end date or one after as-of), else ended: "ended
 * early" when it ended more than 14 days before the planned end, "extended"
 * when more than 14 days after, else "completed". Durations in months are
 * (end - start + 1 day) / 30.4375 (active ones: so far, to as-of). Within
 * policy: planned end between start + 3 calendar months - 1 day and start +
 * 12 calendar months - 1 day (a day past the month's end clamps to it).
 * Tables cover secondments overlapping the window.
 *
 * Interns: active when no outcome yet or the end date is after as-of, else
 * ended with their outcome. Tables cover internships started in the window.
 * Conversion = hired / ended, offer rate = (hired + declined) / ended,
 * acceptance = hired / (hired + declined).
 */
#ifndef WR_PROGRAMMES_H
#define WR_PROGRAMMES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/career.h"
#include "stats/describe.h"
#include "stats/km.h"
#include "stats/wilson.h"

enum secondment_status {
	SEC_UPCOMING, SEC_ACTIVE, SEC_COMPLETED, SEC_EXTENDED, SEC_ENDED_EARLY
};

enum policy_fit { POLICY_WITHIN, POLICY_SHORT, POLICY_LONG };

enum secondment_status secondment_status(const struct secondment_row *s, wr_date as_of);
enum policy_fit secondment_policy(wr_date start, wr_date planned_end);

/* A group of secondments (a start year, an employer, a team, or all). */
struct secondment_group {
	uint8_t show;                 /* enum privacy_show, decided by secondments_compute */
	bool too_early;               /* most are still active: the completion rate says
				       * nothing yet */
	uint32_t key;                 /* year, or a ds->strs id; STRTAB_NONE: "Other" */
	uint64_t secondments, people; /* people: distinct secondee ids */
	uint64_t active, completed, extended, ended_early;
	uint64_t ended_people;        /* distinct secondees among the ended */
	double median_duration;       /* months, ended ones */
	uint64_t merged_mrs;
	double secondee_months;       /* ended: whole duration; active: so far */
	struct proportion completion; /* completed or extended / ended, Wilson 95% */
	double mrs_per_month;         /* merged_mrs / secondee_months, NaN without months */
};

struct secondment_result {
	bool present;
	struct secondment_group all;
	struct secondment_group *years;     /* by start year */
	size_t nyears;
	struct secondment_group *employers; /* by merged MRs, most first; small ones folded */
	size_t nemployers;
	struct secondment_group *teams;     /* by name */
	size_t nteams;
	uint64_t policy[3];                 /* enum policy_fit */
	uint8_t policy_show;                /* the shares of policy[] */
	struct describe planned;            /* planned duration, months (mean rounded) */
	size_t planned_people;
	uint8_t planned_show;
};

struct intern_group {
	uint8_t show;                 /* enum privacy_show, decided by interns_compute */
	uint32_t key;                 /* year, or a ds->strs id (team), or a route */
	uint32_t team;                /* for cohort rows: the team */
	uint64_t interns, people, active, ended, hired, declined, no_offer;
	struct proportion conversion; /* hired / ended, Wilson 95% */
	double offer_rate;            /* (hired + declined) / ended */
	double acceptance;            /* hired / (hired + declined) */
};

struct intern_careers {
	uint64_t hired;               /* hired interns of the window's cohorts */
	uint64_t found;               /* of them, with an employee_id in roles.csv */
	uint64_t employed;            /* found and holding a role on as-of */
	uint64_t retained_base;       /* found, first role started >= 12 months before as-of */
	uint64_t retained;            /* of those, holding a role 12 months after that start */
	uint64_t promoted;            /* found, with a promotion since hire */
	struct km_result km;          /* days from hire to first promotion */
	bool km_shown;
};

struct intern_result {
	bool present, has_route;
	struct intern_group all;
	struct intern_group *cohorts; /* by start year, then team */
	size_t ncohorts;
	struct intern_group *routes;  /* application, merge_requests, not given */
	size_t nroutes;
	uint32_t *teams;              /* every team, by name */
	size_t nteams;
	int first_year, last_year;
	struct intern_careers careers;
};

struct programme_params {
	wr_date since, as_of;
	int min_group;                /* privacy.h's g; employers below it fold into "Other
				       * employers" */
	enum km_ci ci;
	wr_date prev_as_of;           /* the previous quarterly release, or WR_DATE_NONE */
};

void secondments_compute(const struct model *m, const struct programme_params *p,
			 struct secondment_result *out);
void secondments_release(struct secondment_result *r);
void interns_compute(const struct model *m, const struct programme_params *p,
		     struct intern_result *out);
void interns_release(struct intern_result *r);

#endif
