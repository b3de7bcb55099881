/* retention_sheet.c - the Retention sheet: attrition per calendar year by
 * track (tbl_attrition_year, its chart under it) and the time from joining
 * to leaving (tbl_retention, tbl_retention_curve with its chart beside it). */
#include <math.h>
#include <stdio.h>

#include "metrics/privacy.h"
#include "workbook/book.h"
#include "workbook/layout.h"
#include "workbook/report.h"

static uint32_t attrition_table(struct sheet *s, const struct report *r, uint32_t row)
{
	const struct retention_result *re = r->retention;
	static const char *const headers[] = {
		"Track", "Year", "Partial year", "Leavers", "Headcount at start",
		"Headcount at end", "Average headcount", "Attrition rate",
		"Attrition rate annualised"};
	size_t ny = re->nyears / TTP_GROUPS;
	bool series[TTP_GROUPS] = {ny > 0, ny > 0, ny > 0};
	for (size_t i = 0; i < re->nyears; i++) {
		const struct attrition_row *a = &re->years[i];
		if (a->average > 0 && a->average < r->min_group)
			series[a->group] = false; /* a suppressed rate would plot as 0 */
	}
	size_t nseries = 0;
	for (int g = 0; g < TTP_GROUPS; g++)
		nseries += series[g];
	sheet_heading(s, row++, "Leavers and attrition rate per calendar year");
	if (nseries == 0)
		row = sheet_note(s, row, "No chart: every attrition rate is suppressed.", NULL);
	uint32_t first = row++;
	for (size_t i = 0; i < re->nyears; i++, row++) {
		const struct attrition_row *a = &re->years[i];
		sheet_text(s, row, 0, ttp_group_name((enum ttp_group)a->group), NULL);
		sheet_number(s, row, 1, a->period.year, CELL_YEAR);
		sheet_text(s, row, 2, a->partial ? "yes" : "no", NULL);
		sheet_number(s, row, 3, (double)a->leavers, CELL_INT);
		sheet_number(s, row, 4, (double)a->hc_start, CELL_INT);
		sheet_number(s, row, 5, (double)a->hc_end, CELL_INT);
		sheet_number(s, row, 6, a->average, CELL_DEC1);
		report_rate(s, r, row, 7, (double)a->leavers, a->average, CELL_PCT);
		report_rate(s, r, row, 8, a->annualised * a->average, a->average, CELL_PCT);
	}
	uint32_t last = layout_table_last(first, row - 1);
	sheet_table(s, "tbl_attrition_year", first, 0, last, headers, 9);
	if (nseries == 0)
		return layout_after(last);

	/* the groups' years one under another: a series per group, its rows
	 * that far below the first group's */
	uint16_t annualised[TTP_GROUPS];
	const char *names[TTP_GROUPS];
	uint32_t offsets[TTP_GROUPS];
	size_t n = 0;
	for (int g = 0; g < TTP_GROUPS; g++) {
		if (!series[g])
			continue;
		annualised[n] = 8;
		names[n] = ttp_group_name((enum ttp_group)g);
		offsets[n++] = (uint32_t)((size_t)g * ny);
	}
	struct chart_spec chart = {
		.type = LXW_CHART_COLUMN, .title = "Attrition rate per year (partial years annualised)",
		.x_title = "Calendar year", .y_title = "Leavers / average headcount",
		.y_format = "0%", .header = first, .last = first + (uint32_t)ny, .categories = 1,
		.columns = annualised, .nseries = n, .names = names, .offsets = offsets,
		.legend = true, .x_scale = 1.3,
	};
	return sheet_table_chart(s, &chart, first, last, 9);
}

static uint32_t retention_table(struct sheet *s, const struct report *r, uint32_t row)
{
	const struct retention_result *re = r->retention;
	static const char *const headers[] = {
		"Group type", "Group", "People", "Employments", "Left", "Retained at 12 months",
		"Retained at 24 months", "Retained at 36 months", "Median tenure (months)",
		"95% low", "95% high"};
	static const char *const kinds[] = {"All", "Track", "Department"};
	sheet_heading(s, row++, "How long people stay: retained at 12, 24, 36 months and median "
				"tenure (Kaplan-Meier)");
	uint32_t first = row++;
	for (size_t i = 0; i < re->nrows; i++, row++) {
		const struct retention_row *t = &re->rows[i];
		bool km = t->show & SHOW_KM;
		sheet_text(s, row, 0, kinds[t->kind], NULL);
		if (t->kind == RETENTION_ALL)
			sheet_text(s, row, 1, "All", NULL);
		else if (t->kind == RETENTION_TRACK)
			sheet_text(s, row, 1, track_name((enum wr_track)t->key), NULL);
		else
			sheet_text(s, row, 1, ds_str(r->ds, t->key), NULL);
		sheet_number(s, row, 2, (double)t->people, CELL_INT);
		sheet_number(s, row, 3, (double)t->employments, CELL_INT);
		sheet_number(s, row, 4, (double)t->left, CELL_INT);
		for (int h = 0; h < TTP_HORIZONS; h++)
			sheet_stat(s, row, (uint16_t)(5 + h), t->retained[h], CELL_PCT, km,
				   r->min_group);
		sheet_stat(s, row, 8, t->median, CELL_DEC1, km, r->min_group);
		sheet_stat(s, row, 9, t->lo, CELL_DEC1, km, r->min_group);
		sheet_stat(s, row, 10, t->hi, CELL_DEC1, km, r->min_group);
	}
	sheet_table(s, "tbl_retention", first, 0, row - 1, headers, 11);
	return row + LAYOUT_GAP_ROWS;
}

static uint32_t curve_table(struct sheet *s, const struct report *r, uint32_t row)
{
	const struct retention_result *re = r->retention;
	static const char *const headers[] = {"Months", "All", "IC", "Management"};
	bool shown[TTP_GROUPS];
	for (int g = 0; g < TTP_GROUPS; g++)
		shown[g] = re->curve_show[g] & SHOW_KM;
	bool any = shown[0] || shown[1] || shown[2];
	sheet_heading(s, row++, "Still employed, by months since joining (Kaplan-Meier)");
	if (!any)
		row = sheet_note(s, row, "No chart: every curve is suppressed.", NULL);
	uint32_t first = row++;
	for (int m = 0; m <= RETENTION_CURVE_MONTHS; m++, row++) {
		sheet_number(s, row, 0, m, CELL_INT);
		for (int g = 0; g < TTP_GROUPS; g++)
			sheet_stat(s, row, (uint16_t)(1 + g), re->curve[m][g], CELL_PCT, shown[g],
				   r->min_group);
	}
	sheet_table(s, "tbl_retention_curve", first, 0, row - 1, headers, 4);
	uint16_t cols[TTP_GROUPS];
	size_t n = 0;
	for (int g = 0; g < TTP_GROUPS; g++)
		if (shown[g])
			cols[n++] = (uint16_t)(1 + g);
	if (n == 0)
		return row;
	struct chart_spec chart = {
		.type = LXW_CHART_LINE, .title = "Still employed, by months since joining (Kaplan-Meier)",
		.x_title = "Months since joining", .y_title = "Still employed", .y_format = "0%",
		.header = first, .last = row - 1,
		.categories = sheet_month_labels(s, first + 1, RETENTION_CURVE_MONTHS, 6),
		.columns = cols, .nseries = n, .legend = true, .x_scale = 1.3, .y_scale = 1.2,
		.y_max = 1.0, .label_every = 1,
	};
	return sheet_table_chart(s, &chart, first, row - 1, 4);
}

void write_retention_sheet(struct book *b, const struct report *r)
{
	char sub[256], from[11], to[11];
	date_format_iso(r->since, from);
	date_format_iso(r->as_of, to);
	snprintf(sub, sizeof(sub),
		 "Who leaves and how long people stay, %s to %s. An employment is a run of "
		 "contiguous roles; someone leaves when it ends before the as-of date.",
		 from, to);
	struct sheet s;
	if (!sheet_add(&s, b, report_sheet_name(SHEET_RETENTION), "Attrition and retention", NULL))
		return;
	sheet_subtitle(&s, sub);
	/* the Summary's attrition over the last 12 months (metrics/kpi.c) */
	const struct kpi_value *last12 = &r->kpi->k[KPI_ATTRITION].now;
	char words[256], day[11];
	date_format_iso(r->kpi->now.first - 1, day);
	uint64_t leavers = (uint64_t)last12->count;
	if (last12->shown && !isnan(last12->v))
		snprintf(words, sizeof(words),
			 "In the 12 months after %s, %llu %s left: %.1f%% of the average "
			 "headcount (%.0f).",
			 day, (unsigned long long)leavers, leavers == 1 ? "person" : "people",
			 last12->v * 100, last12->average);
	else
		snprintf(words, sizeof(words), "Too few people to show an attrition rate.");
	uint32_t row = sheet_note(&s, 2, words, b->wrap) + LAYOUT_GAP_ROWS;
	row = attrition_table(&s, r, row);
	row = retention_table(&s, r, row);
	curve_table(&s, r, row);
	sheet_finish(&s);
}
