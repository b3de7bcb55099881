/* split_sheet.c - the IC vs Management sheet: headcount by track per quarter
 * end (tbl_split_quarter), by department (tbl_split_department, its Total
 * an Excel total row), the level mix (tbl_level_mix, tbl_level_pyramid and
 * a back-to-back pyramid), track switches (tbl_track_switches) and span of
 * control (tbl_span), with charts beside their tables. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/alloc.h"
#include "metrics/privacy.h"
#include "workbook/book.h"
#include "workbook/layout.h"
#include "workbook/report.h"

static const char *const ratio_headers[] = {"IC", "Management", "Total", "Management %",
					    "ICs per manager"};

static void ratio_cells(struct sheet *s, const struct report *r, uint32_t row, uint16_t col,
			uint64_t ic, uint64_t mg, bool hide_split)
{
	double total = (double)(ic + mg);
	if (hide_split) {
		sheet_stat(s, row, col, 0, CELL_INT, false, r->min_group);
		sheet_stat(s, row, col + 1, 0, CELL_INT, false, r->min_group);
	} else {
		sheet_number(s, row, col, (double)ic, CELL_INT);
		sheet_number(s, row, col + 1, (double)mg, CELL_INT);
	}
	sheet_number(s, row, col + 2, total, CELL_INT);
	if (hide_split) {
		sheet_stat(s, row, col + 3, 0, CELL_PCT, false, r->min_group);
		sheet_stat(s, row, col + 4, 0, CELL_DEC1, false, r->min_group);
		return;
	}
	report_rate(s, r, row, col + 3, (double)mg, total, CELL_PCT);
	/* ICs per manager: a statistic of the whole group */
	report_stat(s, r, row, col + 4, mg ? (double)ic / (double)mg : NAN, total, CELL_DEC1);
}

static uint32_t quarter_table(struct sheet *s, const struct report *r, uint32_t row)
{
	const struct split_result *sp = r->split;
	/* a text label first: charts get category labels, not a date axis */
	const char *headers[7] = {"Quarter", "Date"};
	for (int i = 0; i < 5; i++)
		headers[2 + i] = ratio_headers[i];
	sheet_heading(s, row++, "Headcount by track at each quarter end");
	uint32_t first = row++;
	for (size_t i = 0; i < sp->nquarters; i++, row++) {
		wr_date d = sp->quarters[i].date;
		char label[32];
		if (date_add_months(date_quarter_start(d), 3) - 1 == d) {
			snprintf(label, sizeof(label), "%d Q%d", date_year(d), date_quarter(d));
		} else {
			char day[11];
			date_format_iso(d, day);
			snprintf(label, sizeof(label), "as of %s", day);
		}
		sheet_text(s, row, 0, label, NULL);
		sheet_date(s, row, 1, d);
		ratio_cells(s, r, row, 2, sp->quarters[i].ic, sp->quarters[i].management, false);
	}
	uint32_t last = layout_table_last(first, row - 1);
	sheet_table(s, "tbl_split_quarter", first, 0, last, headers, 7);

	/* libxlsxwriter 1.1.4 has no combined charts or secondary axes: the
	 * Management % line gets its own chart, under the stacked columns;
	 * the quarters labelled by year when there are many */
	uint16_t categories = 0;
	if (sp->nquarters > 8) {
		int *years = xcalloc(sp->nquarters, sizeof(*years));
		for (size_t i = 0; i < sp->nquarters; i++)
			years[i] = date_year(date_quarter_start(sp->quarters[i].date));
		categories = sheet_year_labels(s, first + 1, years, sp->nquarters);
		free(years);
	}
	const char *x_title = categories ? "Quarter end (labelled at each year's first)"
					 : "Quarter end";
	static const uint16_t tracks[] = {2, 3}, share[] = {5};
	struct chart_spec columns = {
		.type = LXW_CHART_COLUMN_STACKED, .title = "Headcount by track at quarter ends",
		.x_title = x_title, .y_title = "People", .header = first, .last = last,
		.categories = categories, .columns = tracks, .nseries = 2, .legend = true,
		.x_scale = 1.1, .y_scale = 0.9, .gap = 40,
	};
	struct layout_spot at = layout_chart(first, last, 0, 7, chart_rows(&columns));
	sheet_chart(s, &columns, at.row, at.col);
	struct chart_spec line = {
		.type = LXW_CHART_LINE, .title = "Management share of headcount",
		.x_title = x_title, .y_title = "Management %", .y_format = "0%",
		.header = first, .last = last, .categories = categories, .columns = share,
		.nseries = 1, .x_scale = 1.1, .y_scale = 0.9,
	};
	/* beside the table too, under the first chart */
	struct layout_spot below = layout_chart(at.row + chart_rows(&columns), last, 0, 7,
						chart_rows(&line));
	if (!at.beside)
		below = layout_chart(first, at.next_row - 1 - LAYOUT_GAP_ROWS, 0, 7,
				     chart_rows(&line));
	sheet_chart(s, &line, below.row, below.col);
	return below.next_row > at.next_row ? below.next_row : at.next_row;
}

static uint32_t department_table(struct sheet *s, const struct report *r, uint32_t row)
{
	const struct split_result *sp = r->split;
	const char *headers[6] = {"Department"};
	for (int i = 0; i < 5; i++)
		headers[1 + i] = ratio_headers[i];
	size_t n = sp->ndepartments, hidden = 0;
	for (size_t i = 0; i < n; i++)
		hidden += sp->departments[i].split_hidden;
	char day[11], note[600];
	date_format_iso(r->as_of, day);
	snprintf(note, sizeof(note),
		 "On %s, by the department of the role held that day.%s", day,
		 hidden ? " A department with fewer IC or management people than the minimum "
			  "group size shows its total only; when only one would, the next "
			  "smallest does too, so the Total row cannot reveal it." : "");
	sheet_heading(s, row++, "Headcount by department on the as-of date");
	row = sheet_note(s, row, note, NULL);
	uint32_t first = row++;
	uint64_t ic = 0, mg = 0;
	for (size_t i = 0; i < n; i++, row++) {
		const struct split_department *d = &sp->departments[i];
		sheet_text(s, row, 0, ds_str(r->ds, d->department), NULL);
		ratio_cells(s, r, row, 1, d->ic, d->management, d->split_hidden);
		ic += d->ic;
		mg += d->management;
	}
	/* the Total: an Excel total row, its figures written as numbers */
	ratio_cells(s, r, row, 1, ic, mg, sp->total_split_hidden);
	sheet_table_total(s, "tbl_split_department", first, 0, row, headers, 6, "Total");
	return row + 1 + LAYOUT_GAP_ROWS;
}

/* A round number at least v: 1, 2 or 5 times a power of ten. */
static double nice_ceiling(double v)
{
	if (!(v > 0))
		return 1;
	double p = pow(10, floor(log10(v)));
	for (int k = 0; k < 3; k++) {
		double step = (k == 0 ? 1 : k == 1 ? 2 : 5) * p;
		if (v <= step)
			return step;
	}
	return 10 * p;
}

static uint32_t level_tables(struct sheet *s, const struct report *r, uint32_t row)
{
	const struct split_result *sp = r->split;
	static const char *const headers[] = {"Track", "Level", "Level name", "Headcount",
					      "Share of track"};
	uint64_t by_level[TRACK_COUNT][LEVEL_SLOTS] = {{0}};
	int top = 0;
	sheet_heading(s, row++, "Level mix on the as-of date");
	uint32_t first = row++;
	for (size_t i = 0; i < sp->nlevels; i++, row++) {
		const struct level_mix_row *l = &sp->levels[i];
		report_level_cells(s, r, row, 0, l->track, l->level);
		sheet_number(s, row, 3, (double)l->headcount, CELL_INT);
		report_rate(s, r, row, 4, (double)l->headcount, (double)sp->track_total[l->track],
			    CELL_PCT);
		by_level[l->track][l->level] = l->headcount;
		if (l->level > top)
			top = l->level;
	}
	uint32_t last = layout_table_last(first, row - 1);
	sheet_table(s, "tbl_level_mix", first, 0, last, headers, 5);
	row = layout_after(last);

	/* the pyramid: one row per level, a column per track, and beside it
	 * IC drawn to the left of the axis, management to the right (the IC
	 * figures negated in a hidden helper column) */
	static const char *const pyramid[] = {"Level", "IC", "Management"};
	sheet_heading(s, row++, "Level pyramid: IC and management back to back");
	uint32_t pfirst = row++;
	uint16_t helper = sheet_helper_column(s);
	double most = 0;
	for (int l = 1; l <= top; l++, row++) {
		double ic = (double)by_level[TRACK_IC][l], mg = (double)by_level[TRACK_MANAGEMENT][l];
		sheet_number(s, row, 0, l, CELL_INT);
		sheet_number(s, row, 1, ic, CELL_INT);
		sheet_number(s, row, 2, mg, CELL_INT);
		sheet_put_number(s, row, helper, -ic, NULL);
		most = fmax(most, fmax(ic, mg));
	}
	uint32_t plast = layout_table_last(pfirst, row - 1);
	sheet_table(s, "tbl_level_pyramid", pfirst, 0, plast, pyramid, 3);
	char title[64], day[11];
	date_format_iso(r->as_of, day);
	snprintf(title, sizeof(title), "Level pyramid by track, %s", day);
	const uint16_t both[] = {helper, 2};
	static const char *const names[] = {"IC", "Management"};
	struct chart_spec chart = {
		.type = LXW_CHART_BAR, .title = title, .x_title = "Level", .y_title = "People",
		.y_format = "#,##0;#,##0", .header = pfirst, .last = plast, .categories = 0,
		.columns = both, .nseries = 2, .names = names, .legend = true,
		.back_to_back = true, .y_max = nice_ceiling(most), .label_every = 1, .gap = 30,
	};
	return sheet_table_chart(s, &chart, pfirst, plast, 3);
}

static uint32_t switch_table(struct sheet *s, const struct report *r, uint32_t row)
{
	const struct split_result *sp = r->split;
	static const char *const headers[] = {"Year", "IC to management", "Management to IC",
					      "Returned to IC within 12 months",
					      "Return rate (moves a year old)"};
	uint64_t recent = 0;
	for (size_t i = 0; i < sp->nyears; i++)
		recent += sp->years[i].to_management_recent;
	sheet_heading(s, row++, "Track switches per year");
	row = sheet_note(s, row,
			 "A switch is a level spell in one track followed without a gap by one in "
			 "the other, counted in the year the new spell starts. Trying management "
			 "and returning to IC is a supported path.",
			 NULL);
	if (recent) {
		char text[200];
		snprintf(text, sizeof(text),
			 "%llu move%s into management came less than 12 months before the as-of "
			 "date and may still return.",
			 (unsigned long long)recent, recent == 1 ? "" : "s");
		row = sheet_note(s, row, text, NULL);
	}
	uint32_t first = row++;
	for (size_t i = 0; i < sp->nyears; i++, row++) {
		const struct switch_year *y = &sp->years[i];
		sheet_number(s, row, 0, y->year, CELL_YEAR);
		sheet_number(s, row, 1, (double)y->to_management, CELL_INT);
		sheet_number(s, row, 2, (double)y->to_ic, CELL_INT);
		sheet_stat(s, row, 3, (double)y->returned, CELL_INT, y->show & SHOW_SPLIT,
			   r->min_group);
		/* the rate over the moves a year old: younger ones may still return */
		uint64_t matured = y->to_management - y->to_management_recent;
		if ((y->show & SHOW_SPLIT) && y->to_management && !matured)
			sheet_text(s, row, 4, "too early", s->book->suppressed);
		else
			sheet_stat(s, row, 4,
				   matured ? (double)y->returned_matured / (double)matured : NAN,
				   CELL_PCT, y->show & SHOW_RATE, r->min_group);
	}
	uint32_t last = layout_table_last(first, row - 1);
	sheet_table(s, "tbl_track_switches", first, 0, last, headers, 5);
	return layout_after(last);
}

static uint32_t span_table(struct sheet *s, const struct report *r, uint32_t row)
{
	const struct split_result *sp = r->split;
	sheet_heading(s, row++, "Span of control on the as-of date");
	if (!sp->has_span)
		return sheet_note(s, row,
				  "Span of control: roles.csv has no manager_id column, so it is "
				  "not shown.",
				  NULL);
	char text[256];
	snprintf(text, sizeof(text),
		 "Managers are the manager_id of each active employee's role on the as-of date. "
		 "%zu people named as managers are not active; %zu management-track employees "
		 "have no reports (counted on the %s sheet).",
		 sp->ninactive, sp->nno_reports, report_sheet_name(SHEET_DATA_QUALITY));
	row = sheet_note(s, row, text, NULL);
	static const char *const headers[] = {"Direct reports", "Managers", "Share of managers"};
	uint32_t first = row++;
	for (size_t k = 0; k < sp->nspan_runs; k++, row++) {
		char label[32];
		span_run_label(sp, k, label, sizeof(label));
		sheet_text(s, row, 0, label, NULL);
		sheet_number(s, row, 1, (double)sp->span_run_count[k], CELL_INT);
		report_rate(s, r, row, 2, (double)sp->span_run_count[k], (double)sp->managers,
			    CELL_PCT);
	}
	sheet_table(s, "tbl_span", first, 0, row - 1, headers, 3);
	row++;
	sheet_text(s, row, 0, "Average span", NULL);
	sheet_stat(s, row++, 1, sp->span_mean, CELL_DEC1, sp->span_show & SHOW_MEAN, r->min_group);
	sheet_text(s, row, 0, "Median span", NULL);
	sheet_stat(s, row++, 1, sp->span_median, CELL_DEC1, sp->span_show & SHOW_QUANTILES,
		   r->min_group);
	return row;
}

void write_split_sheet(struct book *b, const struct report *r)
{
	char sub[200], from[11], to[11];
	date_format_iso(r->since, from);
	date_format_iso(r->as_of, to);
	snprintf(sub, sizeof(sub),
		 "Headcount by track (IC and management), %s to %s: each employee once, in the "
		 "track of the role held that day.",
		 from, to);
	struct sheet s;
	if (!sheet_add(&s, b, report_sheet_name(SHEET_SPLIT), "IC vs management", NULL))
		return;
	sheet_subtitle(&s, sub);
	uint32_t row = 3;
	row = quarter_table(&s, r, row);
	row = department_table(&s, r, row);
	row = level_tables(&s, r, row);
	row = switch_table(&s, r, row);
	span_table(&s, r, row);
	sheet_finish(&s);
}
