/* report.h - the workbook as a whole: which sheets, in which order.
 *
 * write_report borrows everything in struct report and writes the file at
 * path (the temporary file of struct output). Sheets: Summary, the analyses
 * (later), Data Quality, About.
 */
#ifndef WR_REPORT_H
#define WR_REPORT_H

#include <stddef.h>
#include <time.h>

#include "core/error.h"
#include "model/career.h"
#include "model/dataset.h"
#include "metrics/ttp.h"

struct report_option {
	const char *name;   /* "--since" */
	char value[256];    /* "2022-01-01 (from 2022)" */
};

struct report {
	const struct dataset *ds;
	const struct model *model;
	const char *version;
	time_t generated;           /* SOURCE_DATE_EPOCH or now */
	wr_date since, as_of;
	int min_group;
	const struct report_option *options;
	size_t noptions;
	struct headcount headcount; /* on as_of */
	enum km_ci km_ci;
	const struct ttp_result *ttp;
};

/* Privacy: may statistics over this many distinct people be shown? */
bool report_may_show(const struct report *r, size_t people);

enum wr_error write_report(const struct report *r, const char *path, struct wr_errmsg *err);

/* One writer per sheet (workbook/<sheet>.c). */
struct book;
void write_summary_sheet(struct book *b, const struct report *r);
void write_ttp_sheet(struct book *b, const struct report *r);
void write_data_quality_sheet(struct book *b, const struct report *r);
void write_about_sheet(struct book *b, const struct report *r);

/* Names of the sheets, in order, for the table of contents. */
extern const char *const report_sheet_names[];
extern const size_t report_nsheets;

#endif
