/* summary.c - the Summary sheet: headline figures for leadership
 * (tbl_summary) and a table of contents. */
#include <math.h>
#include <stdio.h>

#include "ingest/schema.h"
#include "ingest/validate.h"
#include "metrics/kpi.h"
#include "metrics/privacy.h"
#include "workbook/book.h"
#include "workbook/report.h"

static const char *const figure_headers[] = {"Metric", "Value"};

struct rows {
	struct sheet *s;
	uint32_t row;
};

static void metric_number(struct rows *t, const char *metric, double v, enum cell_kind kind)
{
	sheet_pair(t->s, t->row++, metric, v, kind);
}

/* A statistic: empty when NaN (e.g. a median not reached), the
 * suppression text when the group is too small. */
static void metric_stat(struct rows *t, const struct report *r, const char *metric, double v,
			bool shown)
{
	sheet_text(t->s, t->row, 0, metric, NULL);
	sheet_stat(t->s, t->row, 1, v, CELL_DEC1, shown, r->min_group);
	t->row++;
}

static void metric_text(struct rows *t, const char *metric, const char *v)
{
	sheet_text(t->s, t->row, 0, metric, NULL);
	sheet_text(t->s, t->row, 1, v, NULL);
	t->row++;
}

/* Every headline figure as a list (tbl_summary), under the dashboard. */
static uint32_t figures_table(struct sheet *s, const struct report *r, uint32_t first)
{
	struct rows t = {s, first + 1};
	metric_number(&t, "Headcount on the as-of date", (double)r->headcount.total, CELL_INT);
	metric_number(&t, "Headcount, IC track", (double)r->headcount.by_track[TRACK_IC], CELL_INT);
	metric_number(&t, "Headcount, management track",
		      (double)r->headcount.by_track[TRACK_MANAGEMENT], CELL_INT);
	double total = (double)r->headcount.total;
	sheet_text(t.s, t.row, 0, "Management % on the as-of date", NULL);
	report_rate(t.s, r, t.row++, 1, (double)r->headcount.by_track[TRACK_MANAGEMENT], total,
		    CELL_PCT);
	if (r->mobility) {
		const struct mobility_result *mo = r->mobility;
		if (mo->has_promotions)
			metric_number(&t, "Promotions in the window", (double)mo->promotions_total,
				      CELL_INT);
		else
			metric_text(&t, "Promotions in the window", "promotions.csv not provided");
		if (mo->has_transfers)
			metric_number(&t, "Lateral transfers in the window",
				      (double)mo->transfers_total, CELL_INT);
		else
			metric_text(&t, "Lateral transfers in the window",
				    "transfers.csv not provided");
		metric_number(&t, "Track switches in the window (IC and management, both ways)",
			      (double)mo->switches_total, CELL_INT);
	}
	if (r->secondments && r->secondments->present) {
		const struct secondment_group *g = &r->secondments->all;
		uint64_t ended = g->completed + g->extended + g->ended_early;
		metric_number(&t, "Active secondments on the as-of date", (double)g->active, CELL_INT);
		sheet_text(t.s, t.row, 0, "Secondment completion rate (completed or extended / ended)",
			   NULL);
		sheet_stat(t.s, t.row++, 1, ended ? (double)(g->completed + g->extended) / ended : NAN,
			   CELL_PCT, g->show & SHOW_RATE, r->min_group);
	} else {
		metric_text(&t, "Active secondments on the as-of date", "secondments.csv not provided");
	}
	if (r->interns && r->interns->present) {
		const struct intern_group *g = &r->interns->all;
		sheet_text(t.s, t.row, 0, "Intern conversion rate (hired / ended internships)", NULL);
		sheet_stat(t.s, t.row++, 1, g->ended ? (double)g->hired / (double)g->ended : NAN,
			   CELL_PCT, g->show & SHOW_RATE, r->min_group);
	} else {
		metric_text(&t, "Intern conversion rate (hired / ended internships)",
			    "interns.csv not provided");
	}
	if (r->ttp && !r->ds->files[WR_FILE_PROMOTIONS].present) {
		metric_text(&t, "Time to promotion, Kaplan-Meier median (months; counts those "
				"still waiting)", "promotions.csv not provided");
	} else if (r->ttp) {
		const struct ttp_stats *a = &r->ttp->all;
		bool km = a->show & SHOW_KM, seen = a->show & SHOW_QUANTILES;
		metric_stat(&t, r, "Time to promotion, Kaplan-Meier median (months; counts those "
				   "still waiting)", a->km_median, km);
		metric_stat(&t, r, "Time to promotion, Kaplan-Meier 95% low (months)", a->km_lo, km);
		metric_stat(&t, r, "Time to promotion, Kaplan-Meier 95% high (months)", a->km_hi, km);
		metric_stat(&t, r, "Time to promotion, observed median (months; promoted only)",
			    a->observed.median, seen);
		const struct ttp_result *tt = r->ttp;
		const struct ttp_outcome_row *all =
			tt->noutcomes ? &tt->outcomes[tt->noutcomes - 1] : NULL;
		sheet_text(t.s, t.row, 0, "Promoted within 2 years in a level (share of people; "
					  "those who left or moved count as not promoted)", NULL);
		sheet_stat(t.s, t.row++, 1, all && all->spells ? all->cif[1][0] : NAN, CELL_PCT,
			   all && (all->show_by[0] & SHOW_KM), r->min_group);
	}
	if (r->kpi) { /* the same figure as the attrition tile */
		const struct kpi_value *last12 = &r->kpi->k[KPI_ATTRITION].now;
		sheet_text(t.s, t.row, 0, "Attrition rate, last 12 months", NULL);
		sheet_stat(t.s, t.row++, 1, last12->v, CELL_PCT, last12->shown || last12->average <= 0,
			   r->min_group);
	}
	sheet_table(s, "tbl_summary", first, 0, t.row - 1, figure_headers, 2);
	return t.row;
}

/* ---- the dashboard ------------------------------------------------------ */

#define TILE_COLS 3      /* columns a tile spans */
#define TILE_ROWS 8      /* rows a tile spans, a gap row after */
#define TILES_PER_ROW 5
#define DASH_COLS (TILE_COLS * TILES_PER_ROW)
#define DASH_COL_WIDTH 11.0

/* The dashboard's own looks, on top of the book's. */
struct looks {
	lxw_format *name, *big, *big_pct, *big_dec, *small, *reading, *warning;
};

/* A new look; NULL (the default look) when libxlsxwriter cannot make one. */
static lxw_format *look(struct book *b, double size, bool bold, const char *num, bool wrap,
			lxw_color_t color)
{
	lxw_format *f = book_format(b);
	if (!f)
		return NULL;
	format_set_font_size(f, size);
	if (bold)
		format_set_bold(f);
	if (num)
		format_set_num_format(f, num);
	if (wrap) {
		format_set_text_wrap(f);
		format_set_align(f, LXW_ALIGN_VERTICAL_TOP);
	}
	format_set_align(f, LXW_ALIGN_LEFT);
	if (color != LXW_COLOR_UNSET)
		format_set_font_color(f, color);
	return f;
}

static void make_looks(struct book *b, struct looks *l)
{
	l->name = look(b, 10, true, NULL, false, 0x1F4E79);
	l->big = look(b, 18, true, "#,##0", false, LXW_COLOR_UNSET);
	l->big_pct = look(b, 18, true, "0.0%", false, LXW_COLOR_UNSET);
	l->big_dec = look(b, 18, true, "0.0", false, LXW_COLOR_UNSET);
	l->small = look(b, 8, false, NULL, false, 0x404040);
	l->reading = look(b, 8, false, NULL, true, LXW_COLOR_UNSET);
	if (l->reading)
		format_set_italic(l->reading);
	l->warning = look(b, 11, true, NULL, true, 0xFFFFFF);
	if (l->warning)
		format_set_bg_color(l->warning, 0xC00000);
}

/* A figure in words: "8.0%", "32.1 months", "251". */
static void words(const struct kpi *k, double v, char *buf, size_t size)
{
	switch (k->unit) {
	case KPI_UNIT_SHARE:
		snprintf(buf, size, "%.1f%%", v * 100);
		break;
	case KPI_UNIT_MONTHS:
		snprintf(buf, size, "%.1f months", v);
		break;
	case KPI_UNIT_RATIO:
		snprintf(buf, size, "%.1f", v);
		break;
	default:
		snprintf(buf, size, "%.0f people", v);
		break;
	}
}

/* The change from the earlier period in words. */
static void change_words(const struct kpi *k, char *buf, size_t size)
{
	double d = k->now.v - k->prev.v;
	double same = k->unit == KPI_UNIT_SHARE ? 0.005 : k->unit == KPI_UNIT_PEOPLE ? 0.5 : 0.05;
	const char *unit = k->unit == KPI_UNIT_SHARE ? " points" : k->unit == KPI_UNIT_MONTHS ? " months" : "";
	double shown = k->unit == KPI_UNIT_SHARE ? fabs(d) * 100 : fabs(d);
	if (fabs(d) < same)
		snprintf(buf, size, "about the same");
	else if (k->unit == KPI_UNIT_PEOPLE)
		snprintf(buf, size, "%s %.0f", d > 0 ? "up" : "down", shown);
	else
		snprintf(buf, size, "%s %.1f%s", d > 0 ? "up" : "down", shown, unit);
}

/* One line in plain words: the value, then how it compares. */
static void reading(const struct kpi *k, const struct report *r, char *buf, size_t size)
{
	char now[32], prev[32], change[48];
	const char *before = k->stock ? "a year earlier" : "the 12 months before";
	if (!k->available) {
		snprintf(buf, size, "Its input file was not provided.");
		return;
	}
	if (!k->now.shown || isnan(k->now.v)) {
		snprintf(buf, size, k->now.shown ? "Not reached in this period."
						 : "Too few people to show (fewer than %d).",
			 r->min_group);
		return;
	}
	words(k, k->now.v, now, sizeof(now));
	if (!k->prev.shown || isnan(k->prev.v)) {
		snprintf(buf, size, "%s; %s: too few people to compare.", now, before);
		return;
	}
	words(k, k->prev.v, prev, sizeof(prev));
	change_words(k, change, sizeof(change));
	snprintf(buf, size, "%s, %s on %s (%s).", now, change, before, prev);
}

static void tile_number(struct sheet *s, uint32_t row, uint16_t col, const struct kpi *k,
			const struct kpi_value *v, const struct looks *l, int min_group)
{
	lxw_format *f = k->unit == KPI_UNIT_SHARE ? l->big_pct
			: k->unit == KPI_UNIT_PEOPLE ? l->big : l->big_dec;
	uint16_t last = (uint16_t)(col + TILE_COLS - 1);
	if (!k->available) {
		sheet_merge(s, row, col, last, "no data", l->big);
		return;
	}
	if (!v->shown) {
		char text[32];
		snprintf(text, sizeof(text), "n<%d", min_group);
		sheet_merge(s, row, col, last, text, l->big);
		return;
	}
	sheet_merge(s, row, col, last, "", f);
	if (isfinite(v->v))
		sheet_put_number(s, row, col, v->v, f);
}

/* The trend table's column of KPI k. */
static uint16_t trend_col(int k)
{
	return (uint16_t)(1 + k);
}

static void tile(struct sheet *s, const struct report *r, int k, uint32_t row, uint16_t col,
		 const struct looks *l, uint32_t trend_first, size_t nq)
{
	const struct kpi *x = &r->kpi->k[k];
	char text[200], a[32], b[32];
	uint16_t last = (uint16_t)(col + TILE_COLS - 1);
	sheet_merge(s, row, col, last, x->name, l->name);
	tile_number(s, row + 1, col, x, &x->now, l, r->min_group);
	/* the interval and n */
	text[0] = '\0';
	if (x->available && x->now.shown) {
		if (isfinite(x->now.lo) && isfinite(x->now.hi)) {
			words(x, x->now.lo, a, sizeof(a));
			words(x, x->now.hi, b, sizeof(b));
			snprintf(text, sizeof(text), "95%% %s to %s; n = %llu %s", a, b,
				 (unsigned long long)x->now.n, x->n_label);
		} else {
			snprintf(text, sizeof(text), "n = %llu %s", (unsigned long long)x->now.n,
				 x->n_label);
		}
	}
	sheet_merge(s, row + 2, col, last, text, l->small);
	/* the earlier period */
	text[0] = '\0';
	if (x->available && x->prev.shown && isfinite(x->prev.v)) {
		words(x, x->prev.v, a, sizeof(a));
		snprintf(text, sizeof(text), "%s: %s", x->stock ? "A year earlier" : "12 months before",
			 a);
	} else if (x->available) {
		snprintf(text, sizeof(text), "%s: not shown",
			 x->stock ? "A year earlier" : "12 months before");
	}
	sheet_merge(s, row + 3, col, last, text, l->small);
	/* the reading, at the foot */
	reading(x, r, text, sizeof(text));
	sheet_merge(s, row + 7, col, last, text, l->reading);

	/* the small trend chart over the quarters: a line, no axes */
	size_t shown = 0;
	for (size_t q = 0; q < nq; q++)
		shown += x->trend[q].shown && isfinite(x->trend[q].v);
	if (!x->available || shown < 2 || nq < 2)
		return;
	lxw_chart_series *ser;
	lxw_chart *c = sheet_new_chart(s, LXW_CHART_LINE, &ser, 1);
	if (!c)
		return;
	chart_series_set_categories(ser, s->name, trend_first + 1, 0, trend_first + (uint32_t)nq, 0);
	chart_series_set_values(ser, s->name, trend_first + 1, trend_col(k),
				trend_first + (uint32_t)nq, trend_col(k));
	lxw_chart_line line = {.color = 0x1F4E79, .width = 1.5};
	chart_series_set_line(ser, &line);
	chart_axis_off(c->x_axis);
	chart_axis_off(c->y_axis);
	chart_axis_major_gridlines_set_visible(c->y_axis, LXW_FALSE);
	chart_legend_set_position(c, LXW_CHART_LEGEND_NONE);
	lxw_chart_line none = {.none = LXW_TRUE};
	chart_chartarea_set_line(c, &none);
	chart_show_blanks_as(c, LXW_CHART_BLANKS_AS_GAP);
	lxw_chart_options opt = {.x_offset = 4, .y_offset = 2, .x_scale = 0.52, .y_scale = 0.21,
				 .object_position = LXW_OBJECT_MOVE_DONT_SIZE};
	snprintf(text, sizeof(text), "chart of the tile '%s'", x->name);
	sheet_check(s, worksheet_insert_chart_opt(s->ws, row + 4, col, c, &opt), text);
}

/* Where the dashboard's charts find their data. */
struct dash_data {
	uint32_t trend_first;    /* tbl_kpi_trend's header row */
	uint32_t outcome_first;  /* tbl_kpi_outcomes' header row, 0 when none */
	size_t outcome_series;
	uint16_t outcome_cols[3];
};

#define TREND_IC_COL (1 + KPI_COUNT)
#define TREND_MANAGEMENT_COL (2 + KPI_COUNT)
#define OUTCOME_STEP 3 /* months between the rows of tbl_kpi_outcomes */

/* The promotion-outcomes curve for the Summary's chart: the outcomes the
 * privacy rules let tbl_ttp_outcome_curve show, every 3 months. */
static uint32_t outcome_table(struct sheet *s, const struct report *r, uint32_t first,
			      struct dash_data *d)
{
	const struct ttp_result *t = r->ttp;
	const struct ttp_outcome_row *all =
		t && t->noutcomes ? &t->outcomes[t->noutcomes - 1] : NULL;
	static const char *const headers[] = {"Months", "Promoted", "Moved", "Left"};
	static const int order[] = {SPELL_PROMOTED, SPELL_MOVED, SPELL_LEFT};
	uint32_t row = first + 1;
	for (int m = 0; m <= TTP_OUTCOME_CURVE_MONTHS; m += OUTCOME_STEP, row++) {
		sheet_number(s, row, 0, m, CELL_INT);
		for (int c = 0; c < 3; c++)
			if (all && all->spells && (all->show_by[c] & SHOW_KM))
				sheet_number(s, row, (uint16_t)(1 + c), t->outcome_curve[m][order[c]],
					     CELL_PCT);
	}
	sheet_table(s, "tbl_kpi_outcomes", first, 0, row - 1, headers, 4);
	d->outcome_first = first;
	d->outcome_series = 0;
	for (int c = 0; c < 3; c++)
		if (all && all->spells && (all->show_by[c] & SHOW_KM))
			d->outcome_cols[d->outcome_series++] = (uint16_t)(1 + c);
	return row;
}

/* The tiles' data, under the dashboard: tbl_kpi (one row per figure),
 * tbl_kpi_trend (one row per quarter) and tbl_kpi_outcomes. */
static uint32_t kpi_tables(struct sheet *s, const struct report *r, uint32_t first,
			   struct dash_data *d)
{
	const struct kpi_result *kr = r->kpi;
	static const char *const headers[] = {"Metric", "Value", "95% low", "95% high", "n",
					      "n counts", "Earlier", "Earlier period", "Reading"};
	sheet_text(s, first, 0, "The figures on the tiles: the last 12 months (flows) or the as-of "
				"date (stocks), against the 12 months before or a year earlier.",
		   s->book->note);
	uint32_t row = first + 2;
	char text[200];
	for (int k = 0; k < KPI_COUNT; k++, row++) {
		const struct kpi *x = &kr->k[k];
		enum cell_kind kind = x->unit == KPI_UNIT_SHARE ? CELL_PCT
				      : x->unit == KPI_UNIT_PEOPLE ? CELL_INT : CELL_DEC1;
		bool now = x->available && x->now.shown, prev = x->available && x->prev.shown;
		sheet_text(s, row, 0, x->name, NULL);
		sheet_stat(s, row, 1, x->now.v, kind, now, r->min_group);
		sheet_stat(s, row, 2, x->now.lo, kind, now, r->min_group);
		sheet_stat(s, row, 3, x->now.hi, kind, now, r->min_group);
		sheet_number(s, row, 4, (double)x->now.n, CELL_INT);
		sheet_text(s, row, 5, x->n_label, NULL);
		sheet_stat(s, row, 6, x->prev.v, kind, prev, r->min_group);
		sheet_text(s, row, 7, x->stock ? "a year earlier" : "the 12 months before", NULL);
		reading(x, r, text, sizeof(text));
		sheet_label(s, row, 8, text);
	}
	sheet_table(s, "tbl_kpi", first + 1, 0, row - 1, headers, 9);
	row += 1;

	/* the quarters behind the small charts */
	const char *th[3 + KPI_COUNT];
	th[0] = "Quarter";
	for (int k = 0; k < KPI_COUNT; k++)
		th[1 + k] = kr->k[k].name;
	th[TREND_IC_COL] = "IC headcount";
	th[TREND_MANAGEMENT_COL] = "Management headcount";
	sheet_text(s, row++, 0, "The last quarters behind the small charts (blank: too few people "
				"or not reached).", s->book->note);
	d->trend_first = row;
	for (size_t q = 0; q < kr->nquarters; q++) {
		uint32_t rr = row + 1 + (uint32_t)q;
		period_label(&kr->quarters[q], text, sizeof(text));
		sheet_text(s, rr, 0, text, NULL);
		for (int k = 0; k < KPI_COUNT; k++) {
			const struct kpi *x = &kr->k[k];
			const struct kpi_value *v = &x->trend[q];
			enum cell_kind kind = x->unit == KPI_UNIT_SHARE ? CELL_PCT
					      : x->unit == KPI_UNIT_PEOPLE ? CELL_INT : CELL_DEC1;
			if (x->available && v->shown)
				sheet_number(s, rr, trend_col(k), v->v, kind);
		}
		sheet_number(s, rr, TREND_IC_COL, (double)kr->quarter_ic[q], CELL_INT);
		sheet_number(s, rr, TREND_MANAGEMENT_COL, (double)kr->quarter_management[q], CELL_INT);
	}
	uint32_t last = row + (kr->nquarters ? (uint32_t)kr->nquarters : 1);
	sheet_table(s, "tbl_kpi_trend", row, 0, last, th, 3 + KPI_COUNT);
	sheet_text(s, last + 2, 0, "How level spells end, all levels (as tbl_ttp_outcome_curve).",
		   s->book->note);
	return outcome_table(s, r, last + 3, d) + 1;
}

/* Headcount by track and the promotion rate over the quarters, and how
 * level spells end: three charts side by side under the tiles. */
static void dashboard_charts(struct sheet *s, const struct report *r, uint32_t row,
			     const struct dash_data *d)
{
	size_t nq = r->kpi->nquarters;
	uint32_t t0 = d->trend_first + 1, t1 = d->trend_first + (uint32_t)nq;
	lxw_chart_options opt = {.x_offset = 2, .y_offset = 4, .x_scale = 0.83, .y_scale = 1.0};
	lxw_chart_font title_font = {.size = 10, .bold = LXW_TRUE};
	lxw_chart_series *series[3];
	if (nq >= 2) {
		static const uint16_t tracks[] = {TREND_IC_COL, TREND_MANAGEMENT_COL};
		lxw_chart *c = sheet_new_chart(s, LXW_CHART_LINE, series, 2);
		if (!c)
			return;
		for (int i = 0; i < 2; i++) {
			lxw_chart_series *ser = series[i];
			chart_series_set_categories(ser, s->name, t0, 0, t1, 0);
			chart_series_set_values(ser, s->name, t0, tracks[i], t1, tracks[i]);
			chart_series_set_name_range(ser, s->name, d->trend_first, tracks[i]);
			chart_series_set_marker_type(ser, LXW_CHART_MARKER_CIRCLE);
		}
		chart_title_set_name(c, "Headcount by track, quarter ends");
		chart_title_set_name_font(c, &title_font);
		chart_axis_set_min(c->y_axis, 0);
		chart_legend_set_position(c, LXW_CHART_LEGEND_BOTTOM);
		sheet_check(s, worksheet_insert_chart_opt(s->ws, row, 0, c, &opt),
			    "chart 'Headcount by track, quarter ends'");

		lxw_chart *p = sheet_new_chart(s, LXW_CHART_COLUMN, series, 1);
		if (!p)
			return;
		lxw_chart_series *ser = series[0];
		uint16_t col = trend_col(KPI_PROMOTION_RATE);
		chart_series_set_categories(ser, s->name, t0, 0, t1, 0);
		chart_series_set_values(ser, s->name, t0, col, t1, col);
		chart_title_set_name(p, "Promotion rate a year, by quarter");
		chart_title_set_name_font(p, &title_font);
		chart_axis_set_min(p->y_axis, 0);
		chart_axis_set_num_format(p->y_axis, "0%");
		chart_legend_set_position(p, LXW_CHART_LEGEND_NONE);
		sheet_check(s, worksheet_insert_chart_opt(s->ws, row, 5, p, &opt),
			    "chart 'Promotion rate a year, by quarter'");
	}
	if (d->outcome_series > 0) {
		lxw_chart *o = sheet_new_chart(s, LXW_CHART_AREA_STACKED, series, d->outcome_series);
		if (!o)
			return;
		uint32_t o0 = d->outcome_first + 1;
		uint32_t o1 = d->outcome_first + 1 + TTP_OUTCOME_CURVE_MONTHS / OUTCOME_STEP;
		for (size_t i = 0; i < d->outcome_series; i++) {
			lxw_chart_series *ser = series[i];
			chart_series_set_categories(ser, s->name, o0, 0, o1, 0);
			chart_series_set_values(ser, s->name, o0, d->outcome_cols[i], o1,
						d->outcome_cols[i]);
			chart_series_set_name_range(ser, s->name, d->outcome_first, d->outcome_cols[i]);
		}
		chart_title_set_name(o, "How time in a level ends (months in level)");
		chart_title_set_name_font(o, &title_font);
		chart_axis_set_num_format(o->y_axis, "0%");
		chart_legend_set_position(o, LXW_CHART_LEGEND_BOTTOM);
		sheet_check(s, worksheet_insert_chart_opt(s->ws, row, 10, o, &opt),
			    "chart 'How time in a level ends (months in level)'");
	}
}

void write_summary_sheet(struct book *b, const struct report *r)
{
	const struct kpi_result *kr = r->kpi;
	char sub[256], from[11], to[11], through[11] = "none";
	date_format_iso(r->since, from);
	date_format_iso(r->as_of, to);
	if (kr->data_through != WR_DATE_NONE)
		date_format_iso(kr->data_through, through);
	snprintf(sub, sizeof(sub), "As of %s. Data through %s. Tables cover %s to %s; the tiles "
				   "the last 12 months or the as-of date.",
		 to, through, from, to);
	struct sheet s;
	if (!sheet_add(&s, b, report_sheet_name(SHEET_SUMMARY), "Workforce report", sub))
		return;
	struct looks l;
	make_looks(b, &l);
	worksheet_gridlines(s.ws, LXW_HIDE_ALL_GRIDLINES);

	uint32_t top = 3;
	if (kr->stale) {
		char warn[256];
		snprintf(warn, sizeof(warn),
			 "The data stops on %s, %d days before the as-of date %s: recent periods "
			 "look empty because nothing was exported for them, not because nothing "
			 "happened. Choose --as-of %s or export newer data.",
			 through, r->as_of - kr->data_through, to, through);
		sheet_merge(&s, 2, 0, DASH_COLS - 1, warn, l.warning);
		sheet_row_height(&s, 2, 32);
		top = 4;
	}

	/* the data first, far below, so that the tiles' charts can point at it */
	uint32_t dash_rows = top + 2 * (TILE_ROWS + 1) + 20;
	struct dash_data d = {0};
	uint32_t row = kpi_tables(&s, r, dash_rows + 3, &d);
	row = figures_table(&s, r, row + 2);

	for (int k = 0; k < KPI_COUNT; k++) {
		uint32_t tr = top + (uint32_t)(k / TILES_PER_ROW) * (TILE_ROWS + 1);
		uint16_t tc = (uint16_t)((k % TILES_PER_ROW) * TILE_COLS);
		tile(&s, r, k, tr, tc, &l, d.trend_first, kr->nquarters);
	}
	for (int i = 0; i < 2; i++) {
		uint32_t tr = top + (uint32_t)i * (TILE_ROWS + 1);
		sheet_row_height(&s, tr + 1, 24); /* the big figures */
		sheet_row_height(&s, tr + 7, 34); /* readings: two lines */
	}

	/* three charts under the tiles */
	uint32_t crow = top + 2 * (TILE_ROWS + 1);
	dashboard_charts(&s, r, crow, &d);

	/* links to every sheet, under the charts */
	uint32_t lrow = crow + 16;
	sheet_text(&s, lrow, 0, "Sheets:", b->bold);
	for (int i = SHEET_SUMMARY + 1; i < SHEET_COUNT; i++) {
		const char *name = report_sheet_name((enum report_sheet)i);
		sheet_link(&s, lrow + (uint32_t)((i - 1) / 5), (uint16_t)(1 + ((i - 1) % 5) * 3), name,
			   name);
	}

	for (uint16_t c = 0; c < DASH_COLS; c++)
		sheet_fix_width(&s, c, DASH_COL_WIDTH);
	sheet_finish(&s);
	/* the dashboard prints on one landscape page */
	sheet_check(&s, worksheet_print_area(s.ws, 0, 0, lrow + 1, DASH_COLS - 1), "print area");
	worksheet_fit_to_pages(s.ws, 1, 1);
	worksheet_set_landscape(s.ws);
	(void)row;
}
