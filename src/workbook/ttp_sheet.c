/* ttp_sheet.c - the Time to Promotion sheet: Kaplan-Meier (censoring-aware)
 * beside the observed figure, by level (tbl_ttp_level), department
 * (tbl_ttp_department, with the log-rank test), year (tbl_ttp_year, with
 * the linear trend), the cumulative promotion curve (tbl_ttp_curve) and the
 * distribution of observed times (tbl_ttp_histogram), with three charts. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "metrics/privacy.h"
#include "workbook/book.h"
#include "workbook/report.h"

#define CHART_ROWS 17  /* rows a chart of the default height covers, and a gap */
#define CHART_COL 6    /* charts sit from column G, beside the narrow tables */

static const char *const stat_headers[] = {
	"Spells", "Promotions", "Censored", "KM median (months)", "KM 95% low", "KM 95% high",
	"Promoted within 1 year (KM: if nobody left)", "Promoted within 2 years (KM: if nobody left)",
	"Promoted within 3 years (KM: if nobody left)",
	"Observed n", "Observed mean", "Observed median", "Observed P25", "Observed P75",
	"Observed SD",
};
#define NSTAT (sizeof(stat_headers) / sizeof(stat_headers[0]))

/* Write a row's statistics from column col, as the privacy rules decided
 * (metrics/ttp_privacy.c). */
static void stats_cells(struct sheet *s, const struct report *r, uint32_t row, uint16_t col,
			const struct ttp_stats *st)
{
	bool km = st->show & SHOW_KM, mean = st->show & SHOW_MEAN;
	bool quantiles = st->show & SHOW_QUANTILES;
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
	sheet_stat(s, row, col++, st->observed.mean, CELL_DEC1, mean, g);
	sheet_stat(s, row, col++, st->observed.median, CELL_DEC1, quantiles, g);
	sheet_stat(s, row, col++, st->observed.p25, CELL_DEC1, quantiles, g);
	sheet_stat(s, row, col++, st->observed.p75, CELL_DEC1, quantiles, g);
	sheet_stat(s, row, col, st->observed.sd, CELL_DEC1, mean, g);
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
	static const char *const lead[] = {"Track", "Level", "Level name"};
	const char *headers[3 + NSTAT];
	headers_with(headers, lead, 3);
	uint32_t row = first + 1;
	for (size_t i = 0; i < t->nlevels; i++, row++) {
		const struct ttp_level_row *l = &t->levels[i];
		sheet_text(s, row, 0, track_name((enum wr_track)l->track), NULL);
		sheet_number(s, row, 1, l->level, CELL_INT);
		char name[64];
		sheet_text(s, row, 2, report_level_name(r, l->track, l->level, name, sizeof(name)),
			   NULL);
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
		sheet_number(s, row, 0, y->year, CELL_YEAR);
		sheet_number(s, row, 1, (double)y->promotions, CELL_INT);
		sheet_stat(s, row, 2, y->median, CELL_DEC1, y->show & SHOW_QUANTILES, r->min_group);
		sheet_stat(s, row, 3, y->mean, CELL_DEC1, y->show & SHOW_MEAN, r->min_group);
	}
	sheet_table(s, "tbl_ttp_year", first, 0, row - 1, headers, 4);
	return row;
}

/* The KM median per year for All with its band: three line series over the
 * All rows of tbl_ttp_period (rows first + 1 .. first + nyears). */
static void period_chart(struct sheet *s, const struct report *r, uint32_t first, size_t nyears,
			 uint32_t at_row, uint16_t at_col)
{
	static const char *const names[] = {"KM median", "95% low", "95% high"};
	lxw_chart *c = workbook_add_chart(s->book->wb, LXW_CHART_LINE);
	for (int k = 0; k < 3; k++) {
		lxw_chart_series *ser = chart_add_series(c, NULL, NULL);
		chart_series_set_categories(ser, s->name, first + 1, 1, first + (uint32_t)nyears, 1);
		chart_series_set_values(ser, s->name, first + 1, (uint16_t)(5 + k),
					first + (uint32_t)nyears, (uint16_t)(5 + k));
		chart_series_set_name(ser, names[k]);
		lxw_chart_line line = {.width = k == 0 ? 2.25 : 0.75,
				       .dash_type = k == 0 ? LXW_CHART_LINE_DASH_SOLID
							   : LXW_CHART_LINE_DASH_DASH,
				       .color = k == 0 ? 0x1F4E79 : 0x7F7F7F};
		chart_series_set_line(ser, &line);
		lxw_chart_marker marker = {.type = k == 0 ? LXW_CHART_MARKER_CIRCLE
							  : LXW_CHART_MARKER_NONE};
		chart_series_set_marker_type(ser, marker.type);
	}
	chart_axes(c, "Time to promotion by calendar year, all levels (Kaplan-Meier median)",
		   "Calendar year", "Months");
	chart_axis_set_min(c->y_axis, 0);
	chart_legend_set_position(c, LXW_CHART_LEGEND_BOTTOM);
	(void)r;
	lxw_chart_options opt = {.x_scale = 1.3, .y_scale = 1.0};
	worksheet_insert_chart_opt(s->ws, at_row, at_col, c, &opt);
}

static uint32_t period_table(struct sheet *s, const struct report *r, uint32_t first)
{
	const struct ttp_result *t = r->ttp;
	static const char *const headers[] = {
		"Track", "Year", "Partial year", "Spells at risk", "Promotions",
		"KM median (months)", "KM 95% low", "KM 95% high", "Promoted within 1 year",
		"Promoted within 2 years"};
	uint32_t row = first + 1;
	size_t nyears = t->nperiods / TTP_GROUPS;
	bool chart = nyears > 0;
	for (size_t i = 0; i < t->nperiods; i++, row++) {
		const struct ttp_period_row *p = &t->periods[i];
		bool km = p->show & SHOW_KM;
		if (p->group == TTP_GROUP_ALL && !km && p->episodes > 0)
			chart = false; /* a suppressed year would plot as 0 */
		sheet_text(s, row, 0, ttp_group_name((enum ttp_group)p->group), NULL);
		sheet_number(s, row, 1, p->period.year, CELL_YEAR);
		sheet_text(s, row, 2, p->partial ? "yes" : "no", NULL);
		sheet_number(s, row, 3, (double)p->episodes, CELL_INT);
		sheet_number(s, row, 4, (double)p->events, CELL_INT);
		sheet_stat(s, row, 5, p->km_median, CELL_DEC1, km, r->min_group);
		sheet_stat(s, row, 6, p->km_lo, CELL_DEC1, km, r->min_group);
		sheet_stat(s, row, 7, p->km_hi, CELL_DEC1, km, r->min_group);
		sheet_stat(s, row, 8, p->within[0], CELL_PCT, km, r->min_group);
		sheet_stat(s, row, 9, p->within[1], CELL_PCT, km, r->min_group);
	}
	sheet_table(s, "tbl_ttp_period", first, 0, row - 1, headers, 10);
	row++;
	if (chart) {
		period_chart(s, r, first, nyears, row, 0);
		row += CHART_ROWS;
	} else {
		sheet_text(s, row++, 0, "No chart: a year of all levels is suppressed.",
			   s->book->note);
	}
	return row;
}

static void trend_reading(const struct ttp_trend_row *t, char *buf, size_t size)
{
	const struct cox_result *c = &t->cox;
	double pct = fabs(c->hr - 1.0) * 100.0;
	int digits = pct < 1.0 ? 1 : 0;
	switch (t->verdict) {
	case TREND_SOONER:
	case TREND_LATER:
		snprintf(buf, size,
			 "Promotion is coming %s: the monthly chance of promotion %s %.*f%% a year "
			 "(hazard ratio %.2f, 95%% %.2f\u2013%.2f).",
			 t->verdict == TREND_SOONER ? "sooner" : "later",
			 t->verdict == TREND_SOONER ? "rises" : "falls", digits, pct, c->hr, c->hr_lo,
			 c->hr_hi);
		break;
	case TREND_NONE:
		snprintf(buf, size, "No clear trend (hazard ratio %.2f, 95%% %.2f\u2013%.2f).", c->hr,
			 c->hr_lo, c->hr_hi);
		break;
	default:
		snprintf(buf, size, "Not computed: it needs promotions in at least two calendar "
				    "years.");
		break;
	}
}

static uint32_t trend_table(struct sheet *s, const struct report *r, uint32_t first)
{
	const struct ttp_result *t = r->ttp;
	static const char *const headers[] = {
		"Track", "Episodes", "Promotions", "Hazard ratio per year", "HR 95% low",
		"HR 95% high", "p-value", "Reading"};
	uint32_t row = first + 1;
	char text[256], none[48];
	snprintf(none, sizeof(none), "suppressed (n<%d)", r->min_group);
	for (int g = 0; g < TTP_GROUPS; g++, row++) {
		const struct ttp_trend_row *tr = &t->trend[g];
		bool shown = tr->show & SHOW_KM;
		sheet_text(s, row, 0, ttp_group_name((enum ttp_group)g), NULL);
		sheet_number(s, row, 1, (double)tr->episodes, CELL_INT);
		sheet_number(s, row, 2, (double)tr->events, CELL_INT);
		sheet_stat(s, row, 3, tr->cox.hr, CELL_DEC3, shown, r->min_group);
		sheet_stat(s, row, 4, tr->cox.hr_lo, CELL_DEC3, shown, r->min_group);
		sheet_stat(s, row, 5, tr->cox.hr_hi, CELL_DEC3, shown, r->min_group);
		sheet_stat(s, row, 6, tr->cox.p, CELL_DEC3, shown, r->min_group);
		if (shown)
			trend_reading(tr, text, sizeof(text));
		sheet_text(s, row, 7, shown ? text : none, NULL);
	}
	sheet_table(s, "tbl_ttp_trend", first, 0, row - 1, headers, 8);
	return row;
}

static uint32_t outcome_curve_table(struct sheet *s, const struct report *r, uint32_t first,
				    uint16_t col, const struct ttp_outcome_row *all)
{
	const struct ttp_result *t = r->ttp;
	static const char *const headers[] = {"Months", "Promoted", "Moved", "Left",
					      "Still in level"};
	static const int order[] = {SPELL_PROMOTED, SPELL_MOVED, SPELL_LEFT, SPELL_STILL};
	bool shown[4];
	for (int k = 0; k < 3; k++)
		shown[k] = all && (all->show_by[k] & SHOW_KM);
	shown[3] = all && (all->show & SHOW_KM);
	uint32_t row = first + 1;
	for (int m = 0; m <= TTP_OUTCOME_CURVE_MONTHS; m++, row++) {
		sheet_number(s, row, col, m, CELL_INT);
		for (int k = 0; k < 4; k++)
			sheet_stat(s, row, (uint16_t)(col + 1 + k), t->outcome_curve[m][order[k]],
				   CELL_PCT, shown[k], r->min_group);
	}
	sheet_table(s, "tbl_ttp_outcome_curve", first, col, row - 1, headers, 5);
	return row;
}

static uint32_t outcomes_table(struct sheet *s, const struct report *r, uint32_t first)
{
	const struct ttp_result *t = r->ttp;
	static const char *const headers[] = {
		"Track", "Level", "Spells",
		"Promoted by 12 months", "Moved by 12 months", "Left by 12 months",
		"Promoted by 24 months", "Moved by 24 months", "Left by 24 months",
		"Promoted by 36 months", "Moved by 36 months", "Left by 36 months"};
	uint32_t row = first + 1;
	const struct ttp_outcome_row *all = NULL;
	for (size_t i = 0; i < t->noutcomes; i++, row++) {
		const struct ttp_outcome_row *o = &t->outcomes[i];
		if (o->all) {
			sheet_text(s, row, 0, "All", s->book->bold);
			sheet_text(s, row, 1, "All levels", s->book->bold);
			all = o->spells > 0 ? o : NULL;
		} else {
			sheet_text(s, row, 0, track_name((enum wr_track)o->track), NULL);
			sheet_number(s, row, 1, o->level, CELL_INT);
		}
		sheet_number(s, row, 2, (double)o->spells, CELL_INT);
		for (int h = 0; h < TTP_HORIZONS; h++)
			for (int c = 0; c < 3; c++)
				sheet_stat(s, row, (uint16_t)(3 + h * 3 + c), o->cif[h][c], CELL_PCT,
					   o->show_by[c] & SHOW_KM, r->min_group);
	}
	sheet_table(s, "tbl_ttp_outcomes", first, 0, row - 1, headers, 12);

	/* the curve over all levels, and its chart beside it: the outcomes
	 * that may be shown (a hidden one would plot as 0) */
	row += 2;
	uint32_t curve_first = row;
	sheet_text(s, row - 1, 0, "How spells end, all levels, by months in the level "
				  "(cumulative incidence)", s->book->bold);
	row = outcome_curve_table(s, r, curve_first, 0, all);
	uint16_t cols[3];
	size_t n = 0;
	for (int c = 0; c < 3; c++)
		if (all && (all->show_by[c] & SHOW_KM))
			cols[n++] = (uint16_t)(1 + c);
	if (n == 0) {
		sheet_text(s, curve_first, CHART_COL, "No chart: too few people with any outcome.",
			   s->book->note);
		return row;
	}
	struct chart_spec chart = {
		.type = LXW_CHART_AREA_STACKED,
		.title = "How spells end: promoted, moved or left (share of all spells)",
		.x_title = "Months in level", .y_title = "Share of spells", .y_format = "0%",
		.header = curve_first, .last = row - 1, .categories = 0, .columns = cols,
		.nseries = n, .legend = true, .x_scale = 1.3, .y_scale = 1.2,
	};
	lxw_chart *c = sheet_chart(s, &chart, curve_first, CHART_COL);
	chart_axis_set_interval_unit(c->x_axis, 6);
	return row;
}

static uint32_t curve_table(struct sheet *s, const struct report *r, uint32_t first)
{
	const struct ttp_result *t = r->ttp;
	static const char *const headers[] = {"Months", "All spells", "IC", "Management"};
	uint32_t row = first + 1;
	bool shown[3];
	for (int c = 0; c < 3; c++)
		shown[c] = t->curve_show[c] & SHOW_KM;
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
	/* the runs of bins the privacy rules merged (metrics/ttp_privacy.c) */
	for (size_t k = 0; k < t->nruns; k++, row++) {
		char label[32];
		size_t end = k + 1 < t->nruns ? t->run_first[k + 1] : t->nbins;
		int lo = (int)(t->run_first[k] * TTP_HIST_BIN_MONTHS);
		int hi = (int)(end * TTP_HIST_BIN_MONTHS);
		if (t->hist_open && end == t->nbins)
			snprintf(label, sizeof(label), "%d or more", lo);
		else
			snprintf(label, sizeof(label), "%d to under %d", lo, hi);
		sheet_text(s, row, 0, label, NULL);
		sheet_number(s, row, 1, (double)t->run_count[k], CELL_INT);
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

/* The plain-words reading of the all-levels outcomes at 2 years. */
static const char *outcome_words(const struct report *r, char *buf, size_t size)
{
	const struct ttp_result *t = r->ttp;
	const struct ttp_outcome_row *all = t->noutcomes ? &t->outcomes[t->noutcomes - 1] : NULL;
	if (!all || all->spells == 0 ||
	    !(all->show_by[0] & all->show_by[1] & all->show_by[2] & SHOW_KM)) {
		snprintf(buf, size, "Too few people to show how time in a level ends.");
		return buf;
	}
	const double *c = all->cif[1];
	snprintf(buf, size,
		 "Within 2 years in a level, %.0f%% of people were promoted, %.0f%% moved to "
		 "another track or level without a promotion and %.0f%% left (all levels, "
		 "cumulative incidence: someone who left or moved is not counted as still "
		 "waiting).",
		 c[0] * 100, c[1] * 100, c[2] * 100);
	return buf;
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
	sheet_text(&s, 3, 0, band, b->note);
	char words[320];
	sheet_label(&s, 2, 0, outcome_words(r, words, sizeof(words)));

	uint32_t row = 5;
	row = level_table(&s, r, row) + 2;
	row = outcomes_table(&s, r, row) + 2;
	row = period_table(&s, r, row) + 1;
	row = trend_table(&s, r, row) + 2;
	row = department_table(&s, r, row) + 2;
	row = year_table(&s, r, row) + 2;
	row = curve_table(&s, r, row) + 2;
	histogram_table(&s, r, row);

	sheet_fix_width(&s, 0, 22);
	worksheet_freeze_panes(s.ws, 3, 0);
	sheet_finish(&s);
}
