/* promotions_sheet.c - the Promotions sheet: promotions per quarter with
 * rates (tbl_promotions_quarter) and per from-level (tbl_promotions_level). */
#include <stdio.h>

#include "workbook/book.h"
#include "workbook/report.h"

#define CHART_COL 11
#define CHART_ROWS 17

static uint32_t quarter_table(struct sheet *s, const struct report *r, uint32_t first)
{
	const struct mobility_result *mo = r->mobility;
	static const char *const headers[] = {
		"Quarter", "From", "To", "Promotions", "IC", "Management",
		"Headcount at quarter start", "Promotion rate", "Promotion rate, annualised",
	};
	uint32_t row = first + 1;
	for (size_t i = 0; i < mo->nquarters; i++, row++) {
		const struct quarter_moves *q = &mo->quarters[i];
		report_period_cells(s, row, 0, &q->period);
		sheet_number(s, row, 3, (double)q->promotions, CELL_INT);
		sheet_number(s, row, 4, (double)q->promotions_ic, CELL_INT);
		sheet_number(s, row, 5, (double)q->promotions_management, CELL_INT);
		sheet_number(s, row, 6, (double)q->headcount_start, CELL_INT);
		double hc = (double)q->headcount_start;
		report_rate(s, r, row, 7, (double)q->promotions, hc, CELL_PCT);
		report_rate(s, r, row, 8, (double)q->promotions * 365.25 / period_days(&q->period),
			    hc, CELL_PCT);
	}
	uint32_t last = row > first + 1 ? row - 1 : first + 1;
	sheet_table(s, "tbl_promotions_quarter", first, 0, last, headers, 9);

	static const uint16_t tracks[] = {4, 5};
	struct chart_spec chart = {
		.type = LXW_CHART_COLUMN_STACKED, .title = "Promotions per quarter, by track",
		.x_title = "Quarter", .y_title = "Promotions", .header = first, .last = last,
		.categories = 0, .columns = tracks, .nseries = 2, .legend = true, .x_scale = 1.3,
	};
	sheet_chart(s, &chart, first, CHART_COL);
	return row > first + CHART_ROWS ? row : first + CHART_ROWS;
}

static uint32_t level_table(struct sheet *s, const struct report *r, uint32_t first)
{
	const struct mobility_result *mo = r->mobility;
	static const char *const headers[] = {"Track", "Level", "Level name", "Promotions",
					      "Average headcount", "Annual promotion rate"};
	uint32_t row = first + 1;
	for (size_t i = 0; i < mo->nlevels; i++, row++) {
		const struct promotion_level *l = &mo->levels[i];
		sheet_text(s, row, 0, track_name((enum wr_track)l->track), NULL);
		sheet_number(s, row, 1, l->level, CELL_INT);
		char name[64];
		sheet_text(s, row, 2, report_level_name(r, l->track, l->level, name, sizeof(name)),
			   NULL);
		sheet_number(s, row, 3, (double)l->promotions, CELL_INT);
		sheet_number(s, row, 4, l->avg_headcount, CELL_DEC1);
		report_rate(s, r, row, 5, (double)l->promotions / mo->window_years, l->avg_headcount,
			    CELL_PCT);
	}
	sheet_table(s, "tbl_promotions_level", first, 0, row > first + 1 ? row - 1 : first + 1,
		    headers, 6);
	row++;
	sheet_text(s, row++, 0,
		   "Level is the level promoted from. Average headcount: people at that level on "
		   "the window's quarter ends. Annual rate: promotions per year of the window / "
		   "average headcount.",
		   s->book->note);
	return row;
}

void write_promotions_sheet(struct book *b, const struct report *r)
{
	struct sheet s;
	char sub[200], from[11], to[11];
	date_format_iso(r->since, from);
	date_format_iso(r->as_of, to);
	snprintf(sub, sizeof(sub),
		 "Promotions from promotions.csv matched to a level spell, %s to %s; rates over "
		 "headcount on each quarter's first day.",
		 from, to);
	sheet_add(&s, b, "Promotions", "Promotions", sub);
	if (!r->mobility->has_promotions) {
		sheet_absent(&s, "promotions.csv was not provided: no promotion figures.");
		return;
	}
	uint32_t row = quarter_table(&s, r, 3) + 2;
	level_table(&s, r, row);
	worksheet_freeze_panes(s.ws, 3, 0);
	sheet_finish(&s);
}
