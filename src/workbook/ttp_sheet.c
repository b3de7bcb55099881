/* ttp_sheet.c - the Time to Promotion sheet: Kaplan-Meier (censoring-aware)
 * beside the observed figure, by level (tbl_ttp_level), department
 * (tbl_ttp_department, with the log-rank test), year (tbl_ttp_year, with
 * the linear trend), the cumulative promotion curve (tbl_ttp_curve) and the
 * distribution of observed times (tbl_ttp_histogram), with three charts. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "workbook/book.h"
#include "workbook/report.h"

#define CHART_ROWS 17  /* rows a chart of the default height covers, and a gap */
#define CHART_COL 6    /* charts sit from column G, beside the narrow tables */

static const char *const stat_headers[] = {
	"Spells", "Promotions", "Censored", "KM median (months)", "KM 95% low", "KM 95% high",
	"Promoted within 1 year", "Promoted within 2 years", "Promoted within 3 years",
	"Observed n", "Observed mean", "Observed median", "Observed P25", "Observed P75",
	"Observed SD", "Observed min", "Observed max",
};
#define NSTAT (sizeof(stat_headers) / sizeof(stat_headers[0]))

/* Write a row's statistics from column col. */
static void stats_cells(struct sheet *s, const struct report *r, uint32_t row, uint16_t col,
			const struct ttp_stats *st)
{
	bool km = report_km_shown(r, st->km_people, st->observed_people);
	bool seen = report_may_show(r, st->observed_people);
	int g = r->min_group;
	sheet_number(s, row, col++, (double)st->spells, CELL_INT);
	sheet_number(s, row, col++, (double)st->events, CELL_INT);
	sheet_number(s, row, col++, (double)st->censored, CELL_INT);
	sheet_stat(s, row, col++, st->km_median, CELL_DEC1, km, g);
	sheet_stat(s, row, col++, st->km_lo, CELL_DEC1, km, g);
	sheet_stat(s, row, col++, st->km_hi, CELL_DEC1, km, g);
	for (int y = 0; y < 3; y++)
		sheet_stat(s, row, col++, st->within[y], CELL_PCT, km, g);
	sheet_number(s, row, col++, (double)st->observed.n, CELL_INT);
	sheet_stat(s, row, col++, st->observed.mean, CELL_DEC1, seen, g);
	sheet_stat(s, row, col++, st->observed.median, CELL_DEC1, seen, g);
	sheet_stat(s, row, col++, st->observed.p25, CELL_DEC1, seen, g);
	sheet_stat(s, row, col++, st->observed.p75, CELL_DEC1, seen, g);
	sheet_stat(s, row, col++, st->observed.sd, CELL_DEC1, seen, g);
	sheet_stat(s, row, col++, st->observed.min, CELL_DEC1, seen, g);
	sheet_stat(s, row, col, st->observed.max, CELL_DEC1, seen, g);
}

static void headers_with(const char **out, const char *const *lead, size_t nlead)
{
	for (size_t i = 0; i < nlead; i++)
		out[i] = lead[i];
	for (size_t i = 0; i < NSTAT; i++)
		out[nlead + i] = stat_headers[i];
}

static uint32_t level_table(struct sheet *s, const struct report *r, uint32_t first)
{
	const struct ttp_result *t = r->ttp;
	const struct dataset *ds = r->ds;
	static const char *const lead[] = {"Track", "Level", "Level name"};
	const char *headers[3 + NSTAT];
	headers_with(headers, lead, 3);
	uint32_t row = first + 1;
	for (size_t i = 0; i < t->nlevels; i++, row++) {
		const struct ttp_level_row *l = &t->levels[i];
		sheet_text(s, row, 0, track_name((enum wr_track)l->track), NULL);
		sheet_number(s, row, 1, l->level, CELL_INT);
		sheet_text(s, row, 2, ds_str(ds, l->title), NULL);
		stats_cells(s, r, row, 3, &l->st);
	}
	sheet_text(s, row, 0, "All levels", s->book->bold);
	stats_cells(s, r, row, 3, &t->all);
	sheet_table(s, "tbl_ttp_level", first, 0, row, headers, 3 + NSTAT);
	return row + 1;
}

static uint32_t department_table(struct sheet *s, const struct report *r, uint32_t first)
{
	const struct ttp_result *t = r->ttp;
	static const char *const lead[] = {"Department"};
	const char *headers[1 + NSTAT];
	headers_with(headers, lead, 1);
	uint32_t row = first + 1;
	for (size_t i = 0; i < t->ndepartments; i++, row++) {
		sheet_text(s, row, 0, ds_str(r->ds, t->departments[i].department), NULL);
		stats_cells(s, r, row, 1, &t->departments[i].st);
	}
	sheet_table(s, "tbl_ttp_department", first, 0, row - 1, headers, 1 + NSTAT);

	/* the log-rank test under the table */
	row++;
	const struct logrank_result *lr = &t->logrank;
	char text[256];
	sheet_text(s, row++, 0, "Log-rank test across departments (Kaplan-Meier curves)", s->book->bold);
	if (isnan(lr->chisq)) {
		snprintf(text, sizeof(text),
			 "Not computed: it needs at least two departments of %d or more people "
			 "with someone waiting when a promotion happened.",
			 r->min_group);
		sheet_text(s, row++, 0, text, s->book->note);
	} else {
		sheet_pair(s, row++, "Chi-square", lr->chisq, CELL_DEC2);
		sheet_pair(s, row++, "Degrees of freedom", lr->df, CELL_INT);
		sheet_pair(s, row++, "p-value", lr->p, CELL_DEC3);
		sheet_text(s, row, 0, "Reading", NULL);
		sheet_label(s, row++, 1,
			    lr->p < 0.05 ? "Departments differ in time to promotion (5% level)."
					 : "No evidence that departments differ at the 5% level.");
	}
	if (t->logrank_left_out) {
		snprintf(text, sizeof(text),
			 "%zu department%s with fewer than %d people left out of the test "
			 "(suppressed).",
			 t->logrank_left_out, t->logrank_left_out == 1 ? "" : "s", r->min_group);
		sheet_text(s, row++, 0, text, s->book->note);
	}
	return row;
}

static void chart_axes(lxw_chart *c, const char *title, const char *x, const char *y)
{
	chart_title_set_name(c, title);
	chart_axis_set_name(c->x_axis, x);
	chart_axis_set_name(c->y_axis, y);
}

static uint32_t year_table(struct sheet *s, const struct report *r, uint32_t first)
{
	const struct ttp_result *t = r->ttp;
	static const char *const headers[] = {"Year", "Promotions", "Observed median (months)",
					      "Observed mean (months)"};
	uint32_t row = first + 1;
	for (size_t i = 0; i < t->nyears; i++, row++) {
		const struct ttp_year_row *y = &t->years[i];
		bool shown = report_may_show(r, y->people);
		sheet_number(s, row, 0, y->year, CELL_YEAR);
		sheet_number(s, row, 1, (double)y->promotions, CELL_INT);
		sheet_stat(s, row, 2, y->median, CELL_DEC1, shown, r->min_group);
		sheet_stat(s, row, 3, y->mean, CELL_DEC1, shown, r->min_group);
	}
	uint32_t last = row - 1;
	sheet_table(s, "tbl_ttp_year", first, 0, last, headers, 4);

	/* the trend under the table */
	row++;
	sheet_text(s, row++, 0, "Trend: least squares of months to promotion on promotion date",
		   s->book->bold);
	const struct linfit *f = &t->trend;
	bool shown = report_may_show(r, t->trend_people);
	char text[200];
	if (!shown || !f->ok) {
		if (!shown)
			snprintf(text, sizeof(text), "suppressed (n<%d)", r->min_group);
		else
			snprintf(text, sizeof(text), "Not computed: it needs three promotions on "
						     "at least two different dates.");
		sheet_text(s, row++, 0, text, s->book->note);
	} else {
		sheet_pair(s, row++, "Slope (months per year)", f->slope, CELL_DEC2);
		sheet_pair(s, row++, "Slope 95% low", f->slope_lo, CELL_DEC2);
		sheet_pair(s, row++, "Slope 95% high", f->slope_hi, CELL_DEC2);
		sheet_pair(s, row++, "p-value", f->p, CELL_DEC3);
		if (f->p < 0.05)
			snprintf(text, sizeof(text), "Promotions are getting %s by %.1f months a year.",
				 f->slope < 0 ? "faster" : "slower", fabs(f->slope));
		else
			snprintf(text, sizeof(text),
				 "No clear trend: %+.1f months a year, not significant at the 5%% "
				 "level.",
				 f->slope);
		sheet_text(s, row, 0, "Reading", NULL);
		sheet_label(s, row++, 1, text);
	}

	lxw_chart *c = workbook_add_chart(s->book->wb, LXW_CHART_COLUMN);
	lxw_chart_series *ser = chart_add_series(c, NULL, NULL);
	chart_series_set_categories(ser, s->name, first + 1, 0, last, 0);
	chart_series_set_values(ser, s->name, first + 1, 2, last, 2);
	chart_series_set_name(ser, "Observed median");
	chart_series_set_trendline(ser, LXW_CHART_TRENDLINE_TYPE_LINEAR, 0);
	chart_series_set_trendline_name(ser, "Linear trend of the yearly medians");
	chart_axes(c, "Observed median time to promotion by year", "Year of promotion", "Months");
	chart_legend_set_position(c, LXW_CHART_LEGEND_BOTTOM);
	worksheet_insert_chart(s->ws, first, CHART_COL, c);
	return row > first + CHART_ROWS ? row : first + CHART_ROWS;
}

static uint32_t curve_table(struct sheet *s, const struct report *r, uint32_t first)
{
	const struct ttp_result *t = r->ttp;
	static const char *const headers[] = {"Months", "All spells", "IC", "Management"};
	uint32_t row = first + 1;
	bool shown[3];
	for (int c = 0; c < 3; c++)
		shown[c] = report_km_shown(r, t->curve_people[c], t->curve_event_people[c]);
	for (int m = 0; m <= TTP_CURVE_MONTHS; m++, row++) {
		sheet_number(s, row, 0, m, CELL_INT);
		for (int c = 0; c < 3; c++)
			sheet_stat(s, row, (uint16_t)(1 + c), t->curve[m][c], CELL_PCT, shown[c],
				   r->min_group);
	}
	uint32_t last = row - 1;
	sheet_table(s, "tbl_ttp_curve", first, 0, last, headers, 4);

	if (!shown[0] && !shown[1] && !shown[2]) {
		sheet_text(s, first, CHART_COL, "No curve chart: every curve is suppressed.",
			   s->book->note);
		return row;
	}
	uint16_t cols[3];
	const char *names[3];
	size_t n = 0;
	for (int k = 0; k < 3; k++)
		if (shown[k]) {
			cols[n] = (uint16_t)(1 + k);
			names[n++] = headers[1 + k];
		}
	struct chart_spec chart = {
		.type = LXW_CHART_LINE, .title = "Cumulative probability of promotion (Kaplan-Meier)",
		.x_title = "Months in level", .y_title = "Promoted", .y_format = "0%",
		.header = first, .last = last, .categories = 0, .columns = cols, .nseries = n,
		.names = names, .legend = true, .x_scale = 1.3, .y_scale = 1.2,
	};
	chart_axis_set_max(sheet_chart(s, &chart, first, CHART_COL)->y_axis, 1.0);
	return row;
}

static uint32_t histogram_table(struct sheet *s, const struct report *r, uint32_t first)
{
	const struct ttp_result *t = r->ttp;
	static const char *const headers[] = {"Months in level", "Promotions"};
	uint32_t row = first + 1;
	for (size_t b = 0; b < t->nbins; b++, row++) {
		char label[32];
		int lo = (int)(b * TTP_HIST_BIN_MONTHS), hi = (int)((b + 1) * TTP_HIST_BIN_MONTHS);
		if (t->hist_open && b + 1 == t->nbins)
			snprintf(label, sizeof(label), "%d or more", lo);
		else
			snprintf(label, sizeof(label), "%d to under %d", lo, hi);
		sheet_text(s, row, 0, label, NULL);
		sheet_number(s, row, 1, (double)t->hist[b], CELL_INT);
	}
	uint32_t last = row > first + 1 ? row - 1 : first + 1;
	sheet_table(s, "tbl_ttp_histogram", first, 0, last, headers, 2);

	static const uint16_t counts[] = {1};
	struct chart_spec chart = {
		.type = LXW_CHART_COLUMN, .title = "Observed time to promotion (promoted only)",
		.x_title = "Months in level (3-month bins)", .y_title = "Promotions",
		.header = first, .last = last, .categories = 0, .columns = counts, .nseries = 1,
		.x_scale = 1.3,
	};
	chart_set_series_gap(sheet_chart(s, &chart, first, CHART_COL), 10);
	return row > first + CHART_ROWS ? row : first + CHART_ROWS;
}

void write_ttp_sheet(struct book *b, const struct report *r)
{
	char sub[256], from[11], to[11];
	date_format_iso(r->since, from);
	date_format_iso(r->as_of, to);
	snprintf(sub, sizeof(sub),
		 "Months in a level before promotion, %s to %s. Kaplan-Meier (KM) counts everyone "
		 "who waited, including those still waiting or who left; Observed counts only "
		 "those promoted and so understates the wait.",
		 from, to);
	struct sheet s;
	sheet_add(&s, b, "Time to Promotion", "Time to promotion", sub);
	if (!r->ds->files[WR_FILE_PROMOTIONS].present) {
		sheet_absent(&s, "promotions.csv was not provided: time to promotion cannot be "
				 "measured.");
		return;
	}
	char band[128];
	snprintf(band, sizeof(band),
		 "KM 95%% limits: Brookmeyer-Crowley, %s band. Empty KM cells: not reached.",
		 km_ci_name(r->km_ci));
	sheet_text(&s, 2, 0, band, b->note);

	uint32_t row = 4;
	row = level_table(&s, r, row) + 2;
	row = department_table(&s, r, row) + 2;
	row = year_table(&s, r, row) + 2;
	row = curve_table(&s, r, row) + 2;
	histogram_table(&s, r, row);

	sheet_fix_width(&s, 0, 22);
	worksheet_freeze_panes(s.ws, 3, 0);
	sheet_finish(&s);
}
