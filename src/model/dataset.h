/* dataset.h - the validated rows of every export, as compact structs.
 *
 * A dataset owns two string tables: `ids` holds employee ids (roles.csv,
 * manager ids, promotions, transfers, interns' employee_id), so that an
 * employee's index is its id in `ids`; `strs` holds every other text
 * (titles, families, departments, teams, employers, secondee and intern ids,
 * the names of levels).
 * Rows are in file order. Filled by ingest/load.c, read by the model and the
 * analyses; dataset_release frees everything.
 */
#ifndef WR_DATASET_H
#define WR_DATASET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/names.h"
#include "core/strtab.h"
#include "model/date.h"
#include "model/dq.h"
#include "model/exports.h"

enum wr_track { TRACK_IC = 0, TRACK_MANAGEMENT = 1, TRACK_COUNT };
enum wr_outcome { OUTCOME_NONE = 0, OUTCOME_HIRED, OUTCOME_DECLINED, OUTCOME_NO_OFFER };
enum wr_route { ROUTE_NONE = 0, ROUTE_APPLICATION, ROUTE_MERGE_REQUESTS };

/* The names of tracks, outcomes and routes, one table each (dataset.c):
 * what the exports hold (read in any case: "ic", "IC") and what the
 * workbook shows. Each table ends with a NULL name (core/names.h). */
extern const struct name_value track_names[];   /* "IC", "Management" */
extern const struct name_value outcome_names[]; /* "hired", "offer_declined", "no_offer" */
extern const struct name_value route_names[];   /* "application", "merge_requests" */

const char *track_name(enum wr_track t);      /* "IC"; "" for none */
const char *outcome_name(enum wr_outcome o);  /* "hired"; "" for OUTCOME_NONE */
const char *route_name(enum wr_route r);      /* "application"; "" for ROUTE_NONE */

/* The value that s[0..len) names, in any case: true and *out, or false. */
bool track_from_name(const char *s, size_t len, enum wr_track *out);
bool outcome_from_name(const char *s, size_t len, enum wr_outcome *out);
bool route_from_name(const char *s, size_t len, enum wr_route *out);

/* Levels are whole numbers LEVEL_MIN..LEVEL_MAX (the validator's rule, and
 * the only place the range is said); arrays by level have LEVEL_SLOTS
 * entries, indexed by the level itself. */
enum { LEVEL_MIN = 1, LEVEL_MAX = 12, LEVEL_SLOTS = 16 };
_Static_assert(LEVEL_MIN >= 0 && LEVEL_MAX < LEVEL_SLOTS, "every level has its slot");

struct role_row {
	uint32_t emp;       /* id in ds->ids */
	uint32_t title, family, department; /* ids in ds->strs */
	uint32_t manager;   /* id in ds->ids, or STRTAB_NONE */
	wr_date start, end; /* end inclusive; WR_DATE_OPEN while held */
	uint32_t line;
	uint8_t track, level;
};

struct promotion_row {
	uint32_t emp;
	wr_date date;       /* first day at the new level */
	uint32_t from_role, to_role; /* ids in strs or STRTAB_NONE */
	uint32_t line;
	int32_t spell;      /* matched level spell (model), or -1 */
	uint8_t from_level, to_level;
};

struct transfer_row {
	uint32_t emp;
	wr_date date;
	uint32_t from_family, to_family, from_department, to_department;
	uint32_t line;
};

struct secondment_row {
	uint32_t id, employer, team;
	wr_date start, planned_end, end; /* end: WR_DATE_NONE while active */
	int32_t merged_mrs;              /* -1 when not given */
	uint32_t line;
};

struct intern_row {
	uint32_t id, team;
	wr_date start, end;              /* end: WR_DATE_NONE when not given */
	uint32_t emp;                    /* in ds->ids, or STRTAB_NONE */
	uint32_t line;
	uint8_t outcome, route;
};

struct lateral_option_row {
	uint32_t from_family, to_family;
};

/* levels.csv: the company's own name of one level. */
struct level_row {
	uint32_t name;      /* id in ds->strs */
	uint32_t line;
	uint8_t track, level;
};

struct input_file {
	bool present;
	char *path;
	uint64_t size;       /* bytes */
	/* which of the file's columns its header had, by its *_col enum (schema.h) */
	bool has_column[SCHEMA_MAX_COLS];
};

struct dataset {
	struct strtab ids, strs;
	struct role_row *roles;
	size_t nroles, roles_cap;
	struct promotion_row *promotions;
	size_t npromotions, promotions_cap;
	struct transfer_row *transfers;
	size_t ntransfers, transfers_cap;
	struct secondment_row *secondments;
	size_t nsecondments, secondments_cap;
	struct intern_row *interns;
	size_t ninterns, interns_cap;
	struct lateral_option_row *options;
	size_t noptions, options_cap;
	struct level_row *levels;
	size_t nlevels, levels_cap;
	/* levels.csv's name of each level, ids in strs (filled once the file is
	 * read, from its used rows); STRTAB_NONE where it names none */
	uint32_t level_name[TRACK_COUNT][LEVEL_SLOTS];

	struct input_file files[WR_FILE_COUNT]; /* by enum wr_file */
	struct dq_log dq;
	wr_date earliest, latest;   /* over every date read; WR_DATE_NONE if none */
};

void dataset_init(struct dataset *ds);
void dataset_release(struct dataset *ds);

/* Text of a string id in strs, "" for STRTAB_NONE. */
const char *ds_str(const struct dataset *ds, uint32_t id);
const char *ds_id(const struct dataset *ds, uint32_t emp);

/* levels.csv's name of a level (an id in strs), or STRTAB_NONE: none given,
 * or the track or level out of range. */
uint32_t ds_level_name(const struct dataset *ds, unsigned track, unsigned level);

/* Sort ids of ds->strs by their text (byte order). */
void ds_sort_by_name(const struct dataset *ds, uint32_t *ids, size_t n);

#endif
