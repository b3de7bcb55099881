/* interns_sheet.c - the Interns sheet: outcomes by cohort year and team
 * (tbl_interns_cohort), by route (tbl_interns_route), the careers of hired
 * interns (tbl_intern_careers) and conversion by year and team for the
 * chart (tbl_interns_conversion). */
#include <math.h>
#include <stdio.h>

#include "core/alloc.h"
#include "stats/wilson.h"
#include "metrics/privacy.h"
#include "workbook/book.h"
#include "workbook/report.h"

#define CHART_COL 14
#define CHART_ROWS 17

static const char *const rate_headers[] = {
	"Interns", "Active", "Ended", "Hired", "Offer declined", "No offer", "Conversion rate",
	"Conversion 95% low", "Conversion 95% high", "Offer rate", "Acceptance rate",
};
#define NRATE 11

static void rate_cells(struct sheet *s, const struct report *r, uint32_t row, uint16_t col,
		       const struct intern_group *g)
{
	/* the split by outcome and the rates, as interns_compute decided */
	bool split = g->show & SHOW_SPLIT, rate = g->show & SHOW_RATE;
	int mg = r->min_group;
	sheet_number(s, row, col, (double)g->interns, CELL_INT);
	sheet_stat(s, row, col + 1, (double)g->active, CELL_INT, split, mg);
	sheet_stat(s, row, col + 2, (double)g->ended, CELL_INT, split, mg);
	sheet_stat(s, row, col + 3, (double)g->hired, CELL_INT, split, mg);
	sheet_stat(s, row, col + 4, (double)g->declined, CELL_INT, split, mg);
	sheet_stat(s, row, col + 5, (double)g->no_offer, CELL_INT, split, mg);
	struct proportion pr;
	wilson(g->hired, g->ended, 0.95, &pr);
	sheet_stat(s, row, col + 6, pr.p, CELL_PCT, rate, mg);
	sheet_stat(s, row, col + 7, pr.lo, CELL_PCT, rate, mg);
	sheet_stat(s, row, col + 8, pr.hi, CELL_PCT, rate, mg);
	uint64_t offers = g->hired + g->declined;
	sheet_stat(s, row, col + 9, g->ended ? (double)offers / (double)g->ended : NAN, CELL_PCT,
		   rate, mg);
	sheet_stat(s, row, col + 10, offers ? (double)g->hired / (double)offers : NAN, CELL_PCT,
		   rate, mg);
}

static uint32_t cohort_table(struct sheet *s, const struct report *r, uint32_t first)
{
	const struct intern_result *in = r->interns;
	const char *headers[2 + NRATE] = {"Start year", "Team"};
	for (int i = 0; i < NRATE; i++)
		headers[2 + i] = rate_headers[i];
	uint32_t row = first + 1;
	for (size_t i = 0; i < in->ncohorts; i++, row++) {
		sheet_number(s, row, 0, in->cohorts[i].key, CELL_YEAR);
		sheet_text(s, row, 1, ds_str(r->ds, in->cohorts[i].team), NULL);
		rate_cells(s, r, row, 2, &in->cohorts[i]);
	}
	sheet_text(s, row, 0, "Total", s->book->bold);
	rate_cells(s, r, row, 2, &in->all);
	sheet_table(s, "tbl_interns_cohort", first, 0, row, headers, 2 + NRATE);
	return row + 1;
}

static uint32_t route_table(struct sheet *s, const struct report *r, uint32_t first)
{
	const struct intern_result *in = r->interns;
	if (!in->has_route) {
		sheet_text(s, first, 0, "interns.csv has no route column: no figures by route.",
			   s->book->note);
		return first + 1;
	}
	const char *headers[1 + NRATE] = {"Route"};
	for (int i = 0; i < NRATE; i++)
		headers[1 + i] = rate_headers[i];
	uint32_t row = first + 1;
	for (size_t i = 0; i < in->nroutes; i++, row++) {
		const char *name = in->routes[i].key == ROUTE_NONE
					   ? "not given"
					   : route_name((enum wr_route)in->routes[i].key);
		sheet_text(s, row, 0, name, NULL);
		rate_cells(s, r, row, 1, &in->routes[i]);
	}
	sheet_table(s, "tbl_interns_route", first, 0, row - 1, headers, 1 + NRATE);
	return row;
}

static uint32_t careers_table(struct sheet *s, const struct report *r, uint32_t first)
{
	const struct intern_careers *c = &r->interns->careers;
	static const char *const headers[] = {"Hired interns", "People", "Share"};
	uint32_t row = first + 1;
	struct line { const char *what; uint64_t n, base; } lines[] = {
		{"Hired (internships started in the window)", c->hired, 0},
		{"Found in role history (employee_id in roles.csv)", c->found, c->hired},
		{"Still employed on the as-of date", c->employed, c->found},
		{"Hired at least 12 months before the as-of date", c->retained_base, c->found},
		{"Retained 12 months after starting (of those)", c->retained, c->retained_base},
		{"Promoted since hire", c->promoted, c->found},
	};
	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++, row++) {
		sheet_text(s, row, 0, lines[i].what, NULL);
		sheet_number(s, row, 1, (double)lines[i].n, CELL_INT);
		if (i > 0)
			report_rate(s, r, row, 2, (double)lines[i].n, (double)lines[i].base, CELL_PCT);
	}
	sheet_table(s, "tbl_intern_careers", first, 0, row - 1, headers, 3);
	row++;
	bool shown = c->km_shown;
	static const char *const km[] = {"Months from hire to first promotion, Kaplan-Meier median",
					 "Kaplan-Meier 95% low", "Kaplan-Meier 95% high"};
	double v[] = {c->km.median, c->km.median_lower, c->km.median_upper};
	for (int k = 0; k < 3; k++, row++) {
		sheet_text(s, row, 0, km[k], NULL);
		sheet_stat(s, row, 1, v[k] / 30.4375, CELL_DEC1, shown, r->min_group);
	}
	sheet_text(s, row++, 0,
		   "Censored at leaving or the as-of date, as on the Time to Promotion sheet; "
		   "empty when not reached.",
		   s->book->note);
	return row;
}

static uint32_t conversion_table(struct sheet *s, const struct report *r, uint32_t first)
{
	const struct intern_result *in = r->interns;
	size_t nt = in->nteams;
	if (nt + 1 >= SHEET_MAX_COLS)
		nt = SHEET_MAX_COLS - 2;
	const char **headers = xmalloc((nt + 1) * sizeof(*headers));
	headers[0] = "Start year";
	for (size_t t = 0; t < nt; t++)
		headers[1 + t] = ds_str(r->ds, in->teams[t]);
	uint32_t row = first + 1;
	size_t drawn = 0; /* cells with a rate shown */
	for (int y = in->first_year; y <= in->last_year; y++, row++) {
		sheet_number(s, row, 0, y, CELL_YEAR);
		for (size_t t = 0; t < nt; t++) {
			struct intern_group none = {0};
			const struct intern_group *g = &none;
			for (size_t i = 0; i < in->ncohorts; i++)
				if ((int)in->cohorts[i].key == y && in->cohorts[i].team == in->teams[t])
					g = &in->cohorts[i];
			bool shown = g->show & SHOW_RATE;
			sheet_stat(s, row, (uint16_t)(1 + t),
				   g->ended ? (double)g->hired / (double)g->ended : NAN, CELL_PCT,
				   shown || g->interns == 0, r->min_group);
			drawn += shown;
		}
	}
	uint32_t last = row > first + 1 ? row - 1 : first + 1;
	sheet_table(s, "tbl_interns_conversion", first, 0, last, headers, (uint16_t)(nt + 1));
	free(headers);

	if (drawn == 0) {
		sheet_text(s, first, CHART_COL,
			   "No conversion chart: every cohort is too small to show.", s->book->note);
		return row + 1 > first + 2 ? row + 1 : first + 2;
	}
	uint16_t *cols = xmalloc(nt * sizeof(*cols));
	for (size_t t = 0; t < nt; t++)
		cols[t] = (uint16_t)(1 + t);
	struct chart_spec chart = {
		.type = LXW_CHART_COLUMN, .title = "Intern conversion rate by cohort year and team",
		.x_title = "Start year", .y_title = "Hired / ended", .y_format = "0%",
		.header = first, .last = last, .categories = 0, .columns = cols, .nseries = nt,
		.legend = true,
	};
	sheet_chart(s, &chart, first, CHART_COL);
	free(cols);
	sheet_text(s, row + 1, 0, "Suppressed cells (too few ended internships) are not drawn.",
		   s->book->note);
	return row + 2 > first + CHART_ROWS ? row + 2 : first + CHART_ROWS;
}

void write_interns_sheet(struct book *b, const struct report *r)
{
	struct sheet s;
	char sub[320], from[11], to[11];
	date_format_iso(r->since, from);
	date_format_iso(r->as_of, to);
	snprintf(sub, sizeof(sub),
		 "Internships started %s to %s. Active: no outcome yet or ending after %s. "
		 "Conversion = hired / ended; offer rate = (hired + declined) / ended; acceptance "
		 "= hired / (hired + declined).",
		 from, to, to);
	sheet_add(&s, b, "Interns", "Interns", sub);
	if (!r->interns->present) {
		sheet_absent(&s, "interns.csv was not provided: no intern figures.");
		return;
	}
	uint32_t row = conversion_table(&s, r, 3) + 1;
	row = cohort_table(&s, r, row) + 2;
	row = route_table(&s, r, row) + 2;
	careers_table(&s, r, row);
	sheet_fix_width(&s, 0, 34);
	worksheet_freeze_panes(s.ws, 3, 0);
	sheet_finish(&s);
}
