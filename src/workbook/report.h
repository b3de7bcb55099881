/* report.h - the workbook as a whole: which sheets, in which order.
 *
 * write_report borrows everything in struct report and writes the file at
 * path (the temporary file of struct output). Its sheets are enum
 * report_sheet, in that order: report.c's table gives each its name and
 * its writer, and whatever names a sheet (a link, a sentence that points
 * to another sheet) asks report_sheet_name.
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

/* The sheets, in the workbook's order. */
enum report_sheet {
	SHEET_SUMMARY,
	SHEET_TTP,
	SHEET_SPLIT,
	SHEET_PROMOTIONS,
	SHEET_TRANSFERS,
	SHEET_RETENTION,
	SHEET_SECONDMENTS,
	SHEET_INTERNS,
	SHEET_DATA_QUALITY,
	SHEET_ABOUT,
	SHEET_COUNT
};

/* A sheet's name: its tab, what links and other sheets call it. */
const char *report_sheet_name(enum report_sheet sheet);

/* One writer per sheet (workbook/<sheet>.c). */
void write_summary_sheet(struct book *b, const struct report *r);
void write_ttp_sheet(struct book *b, const struct report *r);
void write_split_sheet(struct book *b, const struct report *r);
void write_promotions_sheet(struct book *b, const struct report *r);
void write_transfers_sheet(struct book *b, const struct report *r);
void write_retention_sheet(struct book *b, const struct report *r);
void write_secondments_sheet(struct book *b, const struct report *r);
void write_interns_sheet(struct book *b, const struct report *r);
void write_data_quality_sheet(struct book *b, const struct report *r);
void write_about_sheet(struct book *b, const struct report *r);

/* A chart c of a table of mo's quarters (its header in row first, its
 * last row last, ncols columns from A), beside or under it: the quarters
 * are its categories (from column A, or labelled at each year's first in
 * a hidden column when there are more than 8), and a quarter under way
 * for fewer than PERIOD_MIN_CHART_DAYS says nothing yet and is left out
 * of the chart (not of the table). c gives the rest. Returns the row of
 * the block after table and chart. */
uint32_t report_quarter_chart(struct sheet *s, const struct mobility_result *mo,
			      const struct chart_spec *c, uint32_t first, uint32_t last,
			      uint16_t ncols);

/* A period's label ("2024 Q1") and its first and last days in the window,
 * in three cells from col. */
void report_period_cells(struct sheet *s, uint32_t row, uint16_t col, const struct period *p);

/* A level's three cells from col: its track, its number and its name
 * (report_level_name). */
void report_level_cells(struct sheet *s, const struct report *r, uint32_t row, uint16_t col,
			uint8_t track, uint8_t level);

/* A statistic v over a group of people (an average headcount may be
 * fractional): shown when privacy.h's rule 2 allows; over no one (people
 * 0), the number, which is empty when NaN; over less than one person on
 * average, the words "under 1 person" (no whole person: nothing to rate,
 * nobody's privacy at stake); else "suppressed (n<min_group)". */
void report_stat(struct sheet *s, const struct report *r, uint32_t row, uint16_t col, double v,
		 double people, enum cell_kind kind);
/* A rate of counts: num / den over den people, as report_stat (empty
 * when den is 0). */
void report_rate(struct sheet *s, const struct report *r, uint32_t row, uint16_t col,
		 double num, double den, enum cell_kind kind);

/* A level's name: the name levels.csv gives it, else its title where the
 * privacy rules allow one (split.h level_title), else "IC L5" /
 * "Management L5". Returns buf, or the dataset's own text when that is
 * longer than buf. */
const char *report_level_name(const struct report *r, uint8_t track, uint8_t level, char *buf,
			      size_t size);

#endif
