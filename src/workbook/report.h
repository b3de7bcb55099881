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
#include "workbook/book.h"
#include "metrics/kpi.h"
#include "metrics/mobility.h"
#include "metrics/programmes.h"
#include "metrics/retention.h"
#include "metrics/split.h"
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
	const struct split_result *split;
	const struct mobility_result *mobility;
	const struct secondment_result *secondments;
	const struct intern_result *interns;
	const struct retention_result *retention;
	const struct kpi_result *kpi;
};

enum wr_error write_report(const struct report *r, const char *path, struct wr_errmsg *err);

/* One writer per sheet (workbook/<sheet>.c). */
void write_summary_sheet(struct book *b, const struct report *r);
void write_ttp_sheet(struct book *b, const struct report *r);
void write_split_sheet(struct book *b, const struct report *r);
void write_promotions_sheet(struct book *b, const struct report *r);
void write_transfers_sheet(struct book *b, const struct report *r);
void write_retention_sheet(struct book *b, const struct report *r);
void write_secondments_sheet(struct book *b, const struct report *r);
void write_interns_sheet(struct book *b, const struct report *r);

/* Year labels for a chart over mo's quarters, whose table's header row is
 * first: their column, or 0 (the Quarter column itself) for 8 quarters or
 * fewer. */
uint16_t report_quarter_labels(struct sheet *s, const struct mobility_result *mo, uint32_t first);

/* The last table row a chart of mo's quarters shows, the table's last row
 * being last: a quarter under way for fewer than PERIOD_MIN_CHART_DAYS
 * says nothing yet and is left out of the chart (not of the table). */
uint32_t report_chart_last(const struct mobility_result *mo, uint32_t last);

/* A period's label ("2024 Q1") and its first and last days in the window,
 * in three cells from col. */
void report_period_cells(struct sheet *s, uint32_t row, uint16_t col, const struct period *p);

/* A rate of counts: num / den, suppressed when den (people) is too small a
 * group for privacy.h's rule 2, empty when den is 0. */
void report_rate(struct sheet *s, const struct report *r, uint32_t row, uint16_t col,
		 double num, double den, enum cell_kind kind);
void write_data_quality_sheet(struct book *b, const struct report *r);
void write_about_sheet(struct book *b, const struct report *r);

/* A level's name: the name levels.csv gives it, else its title where the
 * privacy rules allow one (split.h level_title), else "IC L5" /
 * "Management L5". Returns buf, or the dataset's own text when that is
 * longer than buf. */
const char *report_level_name(const struct report *r, uint8_t track, uint8_t level, char *buf,
			      size_t size);

/* Names of the sheets, in order, for the table of contents. */
extern const char *const report_sheet_names[];
extern const size_t report_nsheets;

#endif
