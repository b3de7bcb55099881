/* ttp_sheet.c - the Time to Promotion sheet: Kaplan-Meier (censoring-aware)
 * by level (tbl_ttp_level, the observed figure over those promoted in
 * tbl_ttp_level_detail), how spells end (tbl_ttp_outcomes and its curve
 * tbl_ttp_outcome_curve), each calendar year's own estimate
 * (tbl_ttp_period), the trend (tbl_ttp_trend), by department
 * (tbl_ttp_department with the log-rank test, tbl_ttp_department_detail),
 * by year (tbl_ttp_year), the cumulative promotion curve (tbl_ttp_curve) and
 * the distribution of observed times (tbl_ttp_histogram), with four charts.
 * Each table has a heading above it; each chart sits beside or under its
 * table (workbook/layout.h). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "metrics/privacy.h"
#include "workbook/book.h"
#include "workbook/layout.h"
#include "workbook/report.h"

/* what a leader reads: n, the Kaplan-Meier estimate and its interval */
static const char *const km_headers[] = {
	"Spells", "Promotions", "Censored", "KM median (months)", "KM 95% low", "KM 95% high",
	"Promoted within 1 year (KM: if nobody left)", "Promoted within 2 years (KM: if nobody left)",
	"Promoted within 3 years (KM: if nobody left)",
};
#define NKM (sizeof(km_headers) / sizeof(km_headers[0]))
/* the detail: the observed times of those promoted */
static const char *const observed_headers[] = {
	"Observed n", "Observed mean", "Observed median", "Observed P25", "Observed P75",
	"Observed SD",
};
#define NOBS (sizeof(observed_headers) / sizeof(observed_headers[0]))
#define NSTAT (NKM + NOBS)

/* A row's Kaplan-Meier cells from column col, as the privacy rules decided
 * (metrics/ttp_privacy.c). */
static void km_cells(struct sheet *s, const struct report *r, uint32_t row, uint16_t col,
		     const struct ttp_stats *st)
{
	bool km = st->show & SHOW_KM;
	int g = r->min_group;
	sheet_number(s, row, col++, (double)st->spells, CELL_INT);
	sheet_number(s, row, col++, (double)st->events, CELL_INT);
	sheet_number(s, row, col++, (double)st->censored, CELL_INT);
	sheet_stat(s, row, col++, st->km_median, CELL_DEC1, km, g);
	sheet_stat(s, row, col++, st->km_lo, CELL_DEC1, km, g);
	sheet_stat(s, row, col++, st->km_hi, CELL_DEC1, km, g);
	for (int y = 0; y < 3; y++)
		sheet_stat(s, row, col++, st->within[y], CELL_PCT, km, g);
}

/* A row's observed cells from column col. */
static void observed_cells(struct sheet *s, const struct report *r, uint32_t row, uint16_t col,
			   const struct ttp_stats *st)
{
	bool mean = st->show & SHOW_MEAN, quantiles = st->show & SHOW_QUANTILES;
	int g = r->min_group;
	sheet_number(s, row, col++, (double)st->observed.n, CELL_INT);
	sheet_stat(s, row, col++, st->observed.mean, CELL_DEC1, mean, g);
	sheet_stat(s, row, col++, st->observed.median, CELL_DEC1, quantiles, g);
	sheet_stat(s, row, col++, st->observed.p25, CELL_DEC1, quantiles, g);
	sheet_stat(s, row, col++, st->observed.p75, CELL_DEC1, quantiles, g);
	sheet_stat(s, row, col, st->observed.sd, CELL_DEC1, mean, g);
}

static void headers_with(const char **out, const char *const *lead, size_t nlead,
			 const char *const *rest, size_t nrest)
{
	for (size_t i = 0; i < nlead; i++)
		out[i] = lead[i];
	for (size_t i = 0; i < nrest; i++)
		out[nlead + i] = rest[i];
}

/* The level rows, then the pooled row (Track "All": a pooled estimate, not
 * a sum), of the main table or the detail: returns the last row. */
static uint32_t level_rows(struct sheet *s, const struct report *r, uint32_t first, bool detail)
{
	const struct ttp_result *t = r->ttp;
	uint32_t row = first + 1;
	for (size_t i = 0; i < t->nlevels; i++, row++) {
		const struct ttp_level_row *l = &t->levels[i];
		report_level_cells(s, r, row, 0, l->track, l->level);
		if (detail)
			observed_cells(s, r, row, 3, &l->st);
		else
			km_cells(s, r, row, 3, &l->st);
	}
	sheet_text(s, row, 0, "All", s->book->bold);
	sheet_text(s, row, 2, "All levels", s->book->bold);
	if (detail)
		observed_cells(s, r, row, 3, &t->all);
	else
		km_cells(s, r, row, 3, &t->all);
	return row;
}

static uint32_t level_tables(struct sheet *s, const struct report *r, uint32_t row)
{
	static const char *const lead[] = {"Track", "Level", "Level name"};
	const char *headers[3 + NSTAT];
	sheet_heading(s, row++, "By level: months in the level before promotion (Kaplan-Meier, "
				"everyone who waited)");
	headers_with(headers, lead, 3, km_headers, NKM);
	uint32_t last = level_rows(s, r, row, false);
	sheet_table(s, "tbl_ttp_level", row, 0, last, headers, 3 + NKM);
	row = layout_after(last);

	sheet_heading(s, row++, "By level, observed: months to promotion of those promoted "
				"(understates the wait)");
	headers_with(headers, lead, 3, observed_headers, NOBS);
	last = level_rows(s, r, row, true);
	sheet_table(s, "tbl_ttp_level_detail", row, 0, last, headers, 3 + NOBS);
	return layout_after(last);
}

static uint32_t department_tables(struct sheet *s, const struct report *r, uint32_t row)
{
	const struct ttp_result *t = r->ttp;
	static const char *const lead[] = {"Department"};
	const char *headers[1 + NSTAT];
	sheet_heading(s, row++, "By department: months in a level before promotion (Kaplan-Meier)");
	headers_with(headers, lead, 1, km_headers, NKM);
	uint32_t first = row;
	for (size_t i = 0; i < t->ndepartments; i++) {
		row++;
		sheet_text(s, row, 0, ds_str(r->ds, t->departments[i].department), NULL);
		km_cells(s, r, row, 1, &t->departments[i].st);
	}
	sheet_table(s, "tbl_ttp_department", first, 0, row, headers, 1 + NKM);
	row = layout_after(layout_table_last(first, row));

	/* the log-rank test under the table */
	const struct logrank_result *lr = &t->logrank;
	char text[256];
	sheet_heading(s, row++, "Log-rank test across departments (Kaplan-Meier curves)");
	if (isnan(lr->chisq)) {
		snprintf(text, sizeof(text),
			 "Not computed: it needs at least two departments of %d or more people "
			 "with someone waiting when a promotion happened.",
			 r->min_group);
		row = sheet_note(s, row, text, NULL);
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
		row = sheet_note(s, row, text, NULL);
	}
	row += LAYOUT_GAP_ROWS;

	sheet_heading(s, row++, "By department, observed: months to promotion of those promoted");
	headers_with(headers, lead, 1, observed_headers, NOBS);
	first = row;
	for (size_t i = 0; i < t->ndepartments; i++) {
		row++;
		sheet_text(s, row, 0, ds_str(r->ds, t->departments[i].department), NULL);
		observed_cells(s, r, row, 1, &t->departments[i].st);
	}
	sheet_table(s, "tbl_ttp_department_detail", first, 0, row, headers, 1 + NOBS);
	return layout_after(layout_table_last(first, row));
}

static uint32_t year_table(struct sheet *s, const struct report *r, uint32_t row)
{
	const struct ttp_result *t = r->ttp;
	static const char *const headers[] = {"Year", "Promotions", "Observed median (months)",
					      "Observed mean (months)"};
	sheet_heading(s, row++, "Promotions per calendar year, with the observed months to "
				"promotion");
	uint32_t first = row++;
	for (size_t i = 0; i < t->nyears; i++, row++) {
		const struct ttp_year_row *y = &t->years[i];
		sheet_number(s, row, 0, y->year, CELL_YEAR);
		sheet_number(s, row, 1, (double)y->promotions, CELL_INT);
		sheet_stat(s, row, 2, y->median, CELL_DEC1, y->show & SHOW_QUANTILES, r->min_group);
		sheet_stat(s, row, 3, y->mean, CELL_DEC1, y->show & SHOW_MEAN, r->min_group);
	}
	sheet_table(s, "tbl_ttp_year", first, 0, row - 1, headers, 4);
	return layout_after(layout_table_last(first, row - 1));
}

static uint32_t period_table(struct sheet *s, const struct report *r, uint32_t row)
{
	const struct ttp_result *t = r->ttp;
	static const char *const headers[] = {
		"Track", "Year", "Partial year", "Spells at risk", "Promotions",
		"KM median (months)", "KM 95% low", "KM 95% high", "Promoted within 1 year",
		"Promoted within 2 years"};
	size_t nyears = t->nperiods / TTP_GROUPS;
	bool chart = nyears > 0;
	for (size_t i = 0; i < t->nperiods; i++) {
		const struct ttp_period_row *p = &t->periods[i];
		if (p->group == TTP_GROUP_ALL && !(p->show & SHOW_KM) && p->episodes > 0)
			chart = false; /* a suppressed year would plot as 0 */
	}
	sheet_heading(s, row++, "Each calendar year on its own (period analysis: the time spent "
				"in a level during that year)");
	if (!chart)
		row = sheet_note(s, row, "No chart: a year of all levels is suppressed.", NULL);
	uint32_t first = row++;
	for (size_t i = 0; i < t->nperiods; i++, row++) {
		const struct ttp_period_row *p = &t->periods[i];
		bool km = p->show & SHOW_KM;
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
	uint32_t last = layout_table_last(first, row - 1);
	sheet_table(s, "tbl_ttp_period", first, 0, last, headers, 10);
	if (!chart)
		return layout_after(last);
	/* the KM median of All with its band: the All rows, first + 1 ..
	 * first + nyears, of the KM columns */
	static const uint16_t km[] = {5, 6, 7};
	static const char *const names[] = {"KM median", "95% low", "95% high"};
	static const lxw_chart_line lines[] = {
		{.width = 2.25f, .dash_type = LXW_CHART_LINE_DASH_SOLID, .color = 0x1F4E79},
		{.width = 0.75f, .dash_type = LXW_CHART_LINE_DASH_DASH, .color = 0x7F7F7F},
		{.width = 0.75f, .dash_type = LXW_CHART_LINE_DASH_DASH, .color = 0x7F7F7F},
	};
	static const uint8_t markers[] = {LXW_CHART_MARKER_CIRCLE, LXW_CHART_MARKER_NONE,
					  LXW_CHART_MARKER_NONE};
	struct chart_spec band = {
		.type = LXW_CHART_LINE,
		.title = "Time to promotion by calendar year, all levels (Kaplan-Meier median, "
			 "95% band)",
		.x_title = "Calendar year", .y_title = "Months", .header = first,
		.last = first + (uint32_t)nyears, .categories = 1, .columns = km, .nseries = 3,
		.names = names, .lines = lines, .markers = markers, .legend = true, .x_scale = 1.3,
	};
	return sheet_table_chart(s, &band, first, last, 10);
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

static uint32_t trend_table(struct sheet *s, const struct report *r, uint32_t row)
{
	const struct ttp_result *t = r->ttp;
	static const char *const headers[] = {
		"Track", "Episodes", "Promotions", "Hazard ratio per year", "HR 95% low",
		"HR 95% high", "p-value", "Reading"};
	sheet_heading(s, row++, "Is promotion coming sooner or later? (Cox model, calendar year "
				"as covariate)");
	uint32_t first = row++;
	char text[256], none[48];
	suppressed_words(r->min_group, none, sizeof(none));
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
		sheet_text_wrap(s, row, 7, shown ? text : none);
	}
	sheet_table(s, "tbl_ttp_trend", first, 0, row - 1, headers, 8);
	return row + LAYOUT_GAP_ROWS;
}

static uint32_t outcome_curve_table(struct sheet *s, const struct report *r, uint32_t first,
				    const struct ttp_outcome_row *all)
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
		sheet_number(s, row, 0, m, CELL_INT);
		for (int k = 0; k < 4; k++)
			sheet_stat(s, row, (uint16_t)(1 + k), t->outcome_curve[m][order[k]],
				   CELL_PCT, shown[k], r->min_group);
	}
	sheet_table(s, "tbl_ttp_outcome_curve", first, 0, row - 1, headers, 5);
	return row - 1;
}

static uint32_t outcomes_table(struct sheet *s, const struct report *r, uint32_t row)
{
	const struct ttp_result *t = r->ttp;
	static const char *const headers[] = {
		"Track", "Level", "Spells",
		"Promoted by 12 months", "Moved by 12 months", "Left by 12 months",
		"Promoted by 24 months", "Moved by 24 months", "Left by 24 months",
		"Promoted by 36 months", "Moved by 36 months", "Left by 36 months"};
	sheet_heading(s, row++, "How time in a level ends: promoted, moved or left (cumulative "
				"incidence; leaving and moving compete with promotion)");
	uint32_t first = row++;
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
	row += LAYOUT_GAP_ROWS;

	/* the curve over all levels, and its chart beside it: the outcomes
	 * that may be shown (a hidden one would plot as 0) */
	uint16_t cols[3];
	size_t n = 0;
	for (int c = 0; c < 3; c++)
		if (all && (all->show_by[c] & SHOW_KM))
			cols[n++] = (uint16_t)(1 + c);
	sheet_heading(s, row++, "How spells end, all levels, by months in the level (cumulative "
				"incidence)");
	if (n == 0)
		row = sheet_note(s, row, "No chart: too few people with any outcome.", NULL);
	uint32_t curve_first = row;
	uint32_t last = outcome_curve_table(s, r, curve_first, all);
	if (n == 0)
		return layout_after(last);
	struct chart_spec chart = {
		.type = LXW_CHART_AREA_STACKED,
		.title = "How spells end: promoted, moved or left (share of all spells)",
		.x_title = "Months in level", .y_title = "Share of spells", .y_format = "0%",
		.header = curve_first, .last = last,
		.categories = sheet_month_labels(s, curve_first + 1, TTP_OUTCOME_CURVE_MONTHS, 6),
		.columns = cols, .nseries = n, .legend = true, .x_scale = 1.3, .y_scale = 1.2,
		.label_every = 1,
	};
	return sheet_table_chart(s, &chart, curve_first, last, 5);
}

static uint32_t curve_table(struct sheet *s, const struct report *r, uint32_t row)
{
	const struct ttp_result *t = r->ttp;
	static const char *const headers[] = {"Months", "All spells", "IC", "Management"};
	bool shown[3];
	for (int c = 0; c < 3; c++)
		shown[c] = t->curve_show[c] & SHOW_KM;
	sheet_heading(s, row++, "Cumulative probability of promotion by months in the level "
				"(Kaplan-Meier: if nobody left)");
	bool none = !shown[0] && !shown[1] && !shown[2];
	if (none)
		row = sheet_note(s, row, "No curve chart: every curve is suppressed.", NULL);
	uint32_t first = row++;
	for (int m = 0; m <= TTP_CURVE_MONTHS; m++, row++) {
		sheet_number(s, row, 0, m, CELL_INT);
		for (int c = 0; c < 3; c++)
			sheet_stat(s, row, (uint16_t)(1 + c), t->curve[m][c], CELL_PCT, shown[c],
				   r->min_group);
	}
	uint32_t last = row - 1;
	sheet_table(s, "tbl_ttp_curve", first, 0, last, headers, 4);
	if (none)
		return layout_after(last);
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
		.header = first, .last = last,
		.categories = sheet_month_labels(s, first + 1, TTP_CURVE_MONTHS, 6), .columns = cols,
		.nseries = n, .names = names, .legend = true, .x_scale = 1.3, .y_scale = 1.2,
		.y_max = 1.0, .label_every = 1,
	};
	return sheet_table_chart(s, &chart, first, last, 4);
}

static uint32_t histogram_table(struct sheet *s, const struct report *r, uint32_t row)
{
	const struct ttp_result *t = r->ttp;
	static const char *const headers[] = {"Months in level", "Promotions"};
	sheet_heading(s, row++, "Observed months to promotion of those promoted");
	uint32_t first = row++;
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
	uint32_t last = layout_table_last(first, row - 1);
	sheet_table(s, "tbl_ttp_histogram", first, 0, last, headers, 2);

	static const uint16_t counts[] = {1};
	struct chart_spec chart = {
		.type = LXW_CHART_COLUMN, .title = "Observed time to promotion (promoted only)",
		.x_title = "Months in level (3-month bins)", .y_title = "Promotions",
		.header = first, .last = last, .categories = 0, .columns = counts, .nseries = 1,
		.x_scale = 1.3, .gap = 10,
	};
	return sheet_table_chart(s, &chart, first, last, 2);
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
	if (!sheet_add(&s, b, report_sheet_name(SHEET_TTP), "Time to promotion", NULL))
		return;
	sheet_subtitle(&s, sub);
	if (!r->ds->files[WR_FILE_PROMOTIONS].present) {
		sheet_absent(&s, "promotions.csv was not provided: time to promotion cannot be "
				 "measured.");
		return;
	}
	char words[320], band[128];
	sheet_note(&s, 2, outcome_words(r, words, sizeof(words)), b->wrap);
	snprintf(band, sizeof(band),
		 "KM 95%% limits: Brookmeyer-Crowley, %s band. Empty KM cells: not reached.",
		 km_ci_name(r->km_ci));
	uint32_t row = sheet_note(&s, 3, band, NULL) + LAYOUT_GAP_ROWS;
	row = level_tables(&s, r, row);
	row = outcomes_table(&s, r, row);
	row = period_table(&s, r, row);
	row = trend_table(&s, r, row);
	row = department_tables(&s, r, row);
	row = year_table(&s, r, row);
	row = curve_table(&s, r, row);
	histogram_table(&s, r, row);
	sheet_finish(&s);
}
