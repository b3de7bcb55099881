/* promotions_sheet.c - the Promotions sheet: promotions per quarter with
 * rates (tbl_promotions_quarter, its chart under it) and per from-level
 * (tbl_promotions_level). */
#include <stdio.h>
#include <stdlib.h>

#include "core/alloc.h"

#include "workbook/book.h"
#include "workbook/layout.h"
#include "workbook/report.h"

static uint32_t quarter_table(struct sheet *s, const struct report *r, uint32_t row)
{
	const struct mobility_result *mo = r->mobility;
	static const char *const headers[] = {
		"Quarter", "From", "To", "Promotions", "IC", "Management",
		"Headcount at quarter start", "Promotion rate", "Promotion rate, annualised",
	};
	sheet_heading(s, row++, "Promotions per quarter");
	uint32_t first = row++;
	for (size_t i = 0; i < mo->nquarters; i++, row++) {
		const struct quarter_moves *q = &mo->quarters[i];
		report_period_cells(s, row, 0, &q->period);
		sheet_number(s, row, 3, (double)q->promotions, CELL_INT);
		sheet_number(s, row, 4, (double)q->promotions_ic, CELL_INT);
		sheet_number(s, row, 5, (double)q->promotions_management, CELL_INT);
		sheet_number(s, row, 6, (double)q->headcount_start, CELL_INT);
		double hc = (double)q->headcount_start;
		report_rate(s, r, row, 7, (double)q->promotions, hc, CELL_PCT);
		report_rate(s, r, row, 8, q->promotions_a_year, hc, CELL_PCT);
	}
	uint32_t last = layout_table_last(first, row - 1);
	sheet_table(s, "tbl_promotions_quarter", first, 0, last, headers, 9);

	static const uint16_t tracks[] = {4, 5};
	const struct chart_spec chart = {
		.type = LXW_CHART_COLUMN_STACKED, .title = "Promotions per quarter, by track",
		.y_title = "Promotions", .columns = tracks, .nseries = 2, .legend = true,
		.x_scale = 1.3, .gap = 40,
	};
	return report_quarter_chart(s, mo, &chart, first, last, 9);
}

static uint32_t level_table(struct sheet *s, const struct report *r, uint32_t row)
{
	const struct mobility_result *mo = r->mobility;
	static const char *const headers[] = {"Track", "Level", "Level name", "Promotions",
					      "Average headcount", "Annual promotion rate"};
	sheet_heading(s, row++, "Promotions by the level promoted from");
	row = sheet_note(s, row,
			 "Level is the level promoted from. Average headcount: people at that level "
			 "on the window's quarter ends. Annual rate: promotions per year of the "
			 "window / average headcount.",
			 NULL);
	uint32_t first = row++;
	for (size_t i = 0; i < mo->nlevels; i++, row++) {
		const struct promotion_level *l = &mo->levels[i];
		report_level_cells(s, r, row, 0, l->track, l->level);
		sheet_number(s, row, 3, (double)l->promotions, CELL_INT);
		sheet_number(s, row, 4, l->avg_headcount, CELL_DEC1);
		report_rate(s, r, row, 5, l->promotions_a_year, l->avg_headcount, CELL_PCT);
	}
	uint32_t last = layout_table_last(first, row - 1);
	sheet_table(s, "tbl_promotions_level", first, 0, last, headers, 6);
	return layout_after(last);
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
	if (!sheet_add(&s, b, report_sheet_name(SHEET_PROMOTIONS), "Promotions", NULL))
		return;
	sheet_subtitle(&s, sub);
	if (!r->mobility->has_promotions) {
		sheet_absent(&s, "promotions.csv was not provided: no promotion figures.");
		return;
	}
	uint32_t row = quarter_table(&s, r, 3);
	level_table(&s, r, row);
	sheet_finish(&s);
}
