/* secondments_sheet.c - the Secondments sheet: outcomes by start year
 * (tbl_secondments_year), employer (tbl_secondment_employers), host team
 * (tbl_secondment_teams) and against the 3-12 month policy
 * (tbl_secondment_policy); charts of the outcomes and of the completion
 * rate with its Wilson interval under the first table, merged MRs under
 * the second. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/alloc.h"
#include "metrics/privacy.h"
#include "workbook/book.h"
#include "workbook/labels.h"
#include "workbook/layout.h"
#include "workbook/report.h"

#define CHART_GAP_PX 16 /* between two charts side by side */

/* Completion rate with its Wilson interval, over the ended secondments;
 * "too early" for a start-year cohort still mostly active (too_early). */
static void completion_cells(struct sheet *s, const struct report *r, uint32_t row, uint16_t col,
			     const struct secondment_group *g, bool cohort)
{
	const struct proportion *pr = &g->completion;
	bool shown = g->show & SHOW_RATE;
	if (cohort && (g->show & SHOW_SPLIT) && g->too_early) {
		for (uint16_t k = 0; k < 3; k++)
			sheet_text(s, row, (uint16_t)(col + k), "too early", s->book->suppressed);
		return;
	}
	sheet_stat(s, row, col, pr->p, CELL_PCT, shown, r->min_group);
	sheet_stat(s, row, col + 1, pr->lo, CELL_PCT, shown, r->min_group);
	sheet_stat(s, row, col + 2, pr->hi, CELL_PCT, shown, r->min_group);
}

static void mrs_cells(struct sheet *s, const struct report *r, uint32_t row, uint16_t col,
		      const struct secondment_group *g)
{
	bool shown = g->show & SHOW_MEAN;
	sheet_stat(s, row, col, (double)g->merged_mrs, CELL_INT, shown, r->min_group);
	sheet_stat(s, row, col + 1, g->mrs_per_month, CELL_DEC2, shown, r->min_group);
}

/* A count of the split by outcome, or hidden with it. */
static void split_cell(struct sheet *s, const struct report *r, uint32_t row, uint16_t col,
		       const struct secondment_group *g, uint64_t v)
{
	sheet_stat(s, row, col, (double)v, CELL_INT, g->show & SHOW_SPLIT, r->min_group);
}

static uint32_t year_table(struct sheet *s, const struct report *r, uint32_t row)
{
	const struct secondment_result *se = r->secondments;
	static const char *const headers[] = {
		"Start year", "Started", "Active", "Completed", "Extended", "Ended early",
		"Completion rate", "Completion 95% low", "Completion 95% high",
		"Median duration of ended (months)", "Merged MRs", "Merged MRs per secondee-month",
	};
	size_t rates = 0;
	for (size_t i = 0; i < se->nyears; i++)
		rates += (se->years[i].show & SHOW_RATE) != 0;
	sheet_heading(s, row++, "Secondments by start year: outcomes and completion rate");
	row = sheet_note(s, row,
			 rates ? "Completion rate = completed or extended / ended, with its 95% "
				 "Wilson interval; years with too few ended secondments are not "
				 "drawn."
			       : "Completion rate = completed or extended / ended. No completion "
				 "chart: every year has too few ended secondments.",
			 NULL);
	uint32_t first = row++;
	struct interval_data ci;
	interval_begin(s, &ci);
	for (size_t i = 0; i < se->nyears; i++, row++) {
		const struct secondment_group *g = &se->years[i];
		char year[16];
		snprintf(year, sizeof(year), "%u", (unsigned)g->key);
		const struct proportion *pr = &g->completion;
		interval_add(s, &ci, year, pr->p, pr->lo, pr->hi,
			     (g->show & SHOW_RATE) && !g->too_early);
		sheet_number(s, row, 0, g->key, CELL_YEAR);
		sheet_number(s, row, 1, (double)g->secondments, CELL_INT);
		split_cell(s, r, row, 2, g, g->active);
		split_cell(s, r, row, 3, g, g->completed);
		split_cell(s, r, row, 4, g, g->extended);
		split_cell(s, r, row, 5, g, g->ended_early);
		completion_cells(s, r, row, 6, g, true);
		sheet_stat(s, row, 9, g->median_duration, CELL_DEC1, g->show & SHOW_QUANTILES,
			   r->min_group);
		mrs_cells(s, r, row, 10, g);
	}
	uint32_t last = layout_table_last(first, row - 1);
	sheet_table(s, "tbl_secondments_year", first, 0, last, headers, 12);

	/* under the table, side by side: the outcomes and the completion rate */
	static const uint16_t outcomes[] = {2, 3, 4, 5};
	struct chart_spec chart = {
		.type = LXW_CHART_COLUMN_STACKED, .title = "Secondment outcomes by start year",
		.x_title = "Start year", .y_title = "Secondments", .header = first, .last = last,
		.categories = 0, .columns = outcomes, .nseries = 4, .legend = true, .gap = 60,
	};
	struct layout_spot at = layout_chart(first, last, 0, 12, chart_rows(&chart));
	sheet_chart(s, &chart, at.row, at.col);
	if (!rates)
		return at.next_row;
	struct interval_chart rate = {
		.title = "Completion rate by start year (box: 95% interval)",
		.x_title = "Start year", .y_title = "Completed or extended / ended",
		.y_format = "0%", .name = "95% interval, line at the rate", .y_max = 1.0,
		.x_offset = (uint32_t)LAYOUT_CHART_W + CHART_GAP_PX,
	};
	sheet_interval_chart(s, &ci, &rate, at.row, at.col);
	return at.next_row;
}

static uint32_t employer_table(struct sheet *s, const struct report *r, uint32_t row)
{
	const struct secondment_result *se = r->secondments;
	static const char *const headers[] = {
		"Employer", "Secondees", "Active", "Ended", "Completion rate", "Completion 95% low",
		"Completion 95% high", "Merged MRs", "Merged MRs per secondee-month",
	};
	/* the ten contributing most (the table is sorted by merged MRs), those
	 * whose merged MRs may be shown: a suppressed figure would be a bar of 0 */
	size_t ntop = se->nemployers < 10 ? se->nemployers : 10, drawn = 0;
	for (size_t i = 0; i < ntop; i++)
		drawn += (se->employers[i].show & SHOW_MEAN) != 0;
	sheet_heading(s, row++, "Secondments by employer (most merged merge requests first)");
	if (!drawn && se->nemployers)
		row = sheet_note(s, row, "No chart: every employer's merged MRs are suppressed.",
				 NULL);
	uint32_t first = row++;
	uint16_t helper = sheet_helper_column(s);
	for (size_t i = 0; i < se->nemployers; i++, row++) {
		const struct secondment_group *g = &se->employers[i];
		char other[64];
		snprintf(other, sizeof(other), "Other employers (fewer than %d secondees each)",
			 r->min_group);
		sheet_text_wrap(s, row, 0, g->key == STRTAB_NONE ? other : ds_str(r->ds, g->key));
		sheet_number(s, row, 1, (double)g->people, CELL_INT);
		split_cell(s, r, row, 2, g, g->active);
		split_cell(s, r, row, 3, g, g->completed + g->extended + g->ended_early);
		completion_cells(s, r, row, 4, g, false);
		mrs_cells(s, r, row, 7, g);
		if (g->show & SHOW_MEAN)
			sheet_put_number(s, row, helper, (double)g->merged_mrs, NULL);
	}
	uint32_t last = layout_table_last(first, row - 1);
	sheet_table(s, "tbl_secondment_employers", first, 0, last, headers, 9);
	if (!drawn)
		return layout_after(last);
	const uint16_t merged[] = {helper};
	static const char *const names[] = {"Merged MRs"};
	struct chart_spec chart = {
		.type = LXW_CHART_BAR, .title = "Merged MRs by employer (top 10)",
		.x_title = "Employer", .y_title = "Merged merge requests", .header = first,
		.last = first + (uint32_t)ntop, .categories = 0, .columns = merged, .nseries = 1,
		.names = names, .label_every = 1, .y_scale = ntop > 5 ? 1.3 : 1.0,
		.reverse = true, /* most first, at the top */
	};
	return sheet_table_chart(s, &chart, first, last, 9);
}

static uint32_t team_table(struct sheet *s, const struct report *r, uint32_t row)
{
	const struct secondment_result *se = r->secondments;
	static const char *const headers[] = {"Host team", "Secondees", "Merged MRs",
					      "Median duration of ended (months)"};
	sheet_heading(s, row++, "Secondments by host team");
	uint32_t first = row++;
	for (size_t i = 0; i < se->nteams; i++, row++) {
		const struct secondment_group *g = &se->teams[i];
		char name[256];
		sheet_text(s, row, 0, label_title(ds_str(r->ds, g->key), name, sizeof(name)), NULL);
		sheet_number(s, row, 1, (double)g->people, CELL_INT);
		sheet_stat(s, row, 2, (double)g->merged_mrs, CELL_INT, g->show & SHOW_MEAN,
			   r->min_group);
		sheet_stat(s, row, 3, g->median_duration, CELL_DEC1, g->show & SHOW_QUANTILES,
			   r->min_group);
	}
	uint32_t last = layout_table_last(first, row - 1);
	sheet_table(s, "tbl_secondment_teams", first, 0, last, headers, 4);
	return layout_after(last);
}

static uint32_t policy_table(struct sheet *s, const struct report *r, uint32_t row)
{
	const struct secondment_result *se = r->secondments;
	static const char *const headers[] = {"Planned duration", "Secondments", "Share"};
	static const char *const rows[] = {"Within policy (3 to 12 months)",
					   "Shorter than 3 months", "Longer than 12 months"};
	uint64_t total = se->policy[0] + se->policy[1] + se->policy[2];
	sheet_heading(s, row++, "Planned duration against the 3 to 12 month policy");
	row = sheet_note(s, row,
			 "Policy: a secondment runs at least three and at most twelve months; within "
			 "policy when the planned end lies between start + 3 calendar months - 1 day "
			 "and start + 12 calendar months - 1 day.",
			 NULL);
	uint32_t first = row++;
	for (int k = 0; k < 3; k++, row++) {
		sheet_text(s, row, 0, rows[k], NULL);
		sheet_number(s, row, 1, (double)se->policy[k], CELL_INT);
		sheet_stat(s, row, 2, total ? (double)se->policy[k] / (double)total : NAN, CELL_PCT,
			   se->policy_show & SHOW_RATE, r->min_group);
	}
	sheet_table(s, "tbl_secondment_policy", first, 0, row - 1, headers, 3);
	row++;
	static const char *const labels[] = {"Planned duration, mean (months)",
					     "Planned duration, median (months)",
					     "Planned duration, 25th percentile (months)",
					     "Planned duration, 75th percentile (months)"};
	double values[] = {se->planned.mean, se->planned.median, se->planned.p25, se->planned.p75};
	for (int k = 0; k < 4; k++, row++) {
		sheet_text_wrap(s, row, 0, labels[k]);
		sheet_stat(s, row, 1, values[k], CELL_DEC1,
			   se->planned_show & (k == 0 ? SHOW_MEAN : SHOW_QUANTILES), r->min_group);
	}
	return row;
}

void write_secondments_sheet(struct book *b, const struct report *r)
{
	struct sheet s;
	char sub[320], from[11], to[11];
	date_format_iso(r->since, from);
	date_format_iso(r->as_of, to);
	snprintf(sub, sizeof(sub),
		 "External engineers placed in a host team, secondments overlapping %s to %s. "
		 "Status on %s: ended early / extended when the end is more than 14 days before / "
		 "after the planned end; secondments starting later are left out.",
		 from, to, to);
	if (!sheet_add(&s, b, report_sheet_name(SHEET_SECONDMENTS), "Secondments", NULL))
		return;
	sheet_subtitle(&s, sub);
	if (!r->secondments->present) {
		sheet_absent(&s, "secondments.csv was not provided: no secondment figures.");
		return;
	}
	uint32_t row = year_table(&s, r, 3);
	row = employer_table(&s, r, row);
	row = team_table(&s, r, row);
	policy_table(&s, r, row);
	sheet_finish(&s);
}
