/* interns_sheet.c - the Interns sheet: outcomes by cohort year and team
 * (tbl_interns_cohort, its Total an Excel total row) with the conversion
 * rate and its Wilson interval drawn under it, by route
 * (tbl_interns_route), the careers of hired interns (tbl_intern_careers)
 * and conversion by year and team side by side (tbl_interns_conversion).
 * Team names from interns.csv are title-cased when all lower case, routes
 * are in words (workbook/labels.h). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/alloc.h"
#include "metrics/privacy.h"
#include "workbook/book.h"
#include "workbook/labels.h"
#include "workbook/layout.h"
#include "workbook/report.h"

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
	sheet_stat(s, row, col + 6, g->conversion.p, CELL_PCT, rate, mg);
	sheet_stat(s, row, col + 7, g->conversion.lo, CELL_PCT, rate, mg);
	sheet_stat(s, row, col + 8, g->conversion.hi, CELL_PCT, rate, mg);
	sheet_stat(s, row, col + 9, g->offer_rate, CELL_PCT, rate, mg);
	sheet_stat(s, row, col + 10, g->acceptance, CELL_PCT, rate, mg);
}

/* A team's name as shown ("backend" -> "Backend"), in buf. */
static const char *team_name(const struct report *r, uint32_t team, char *buf, size_t size)
{
	return label_title(ds_str(r->ds, team), buf, size);
}

static uint32_t cohort_table(struct sheet *s, const struct report *r, uint32_t row)
{
	const struct intern_result *in = r->interns;
	const char *headers[2 + NRATE] = {"Start year", "Team"};
	for (int i = 0; i < NRATE; i++)
		headers[2 + i] = rate_headers[i];
	size_t drawn = 0; /* cohorts with a rate shown */
	for (size_t i = 0; i < in->ncohorts; i++)
		drawn += (in->cohorts[i].show & SHOW_RATE) != 0;
	sheet_heading(s, row++, "Interns by cohort: start year and team");
	row = sheet_note(s, row,
			 drawn ? "The chart under the table: each cohort's conversion rate with its "
				 "95% Wilson interval; cohorts with too few ended internships are "
				 "not drawn."
			       : "No conversion chart: every cohort is too small to show.",
			 NULL);
	uint32_t first = row++;
	struct interval_data ci;
	interval_begin(s, &ci);
	for (size_t i = 0; i < in->ncohorts; i++, row++) {
		const struct intern_group *g = &in->cohorts[i];
		char name[256], label[300];
		const char *team = team_name(r, g->team, name, sizeof(name));
		sheet_number(s, row, 0, g->key, CELL_YEAR);
		sheet_text(s, row, 1, team, NULL);
		rate_cells(s, r, row, 2, g);
		snprintf(label, sizeof(label), "%u %s", (unsigned)g->key, team);
		interval_add(s, &ci, label, g->conversion.p, g->conversion.lo, g->conversion.hi,
			     g->show & SHOW_RATE);
	}
	/* the Total: an Excel total row, its figures written as numbers */
	rate_cells(s, r, row, 2, &in->all);
	sheet_table_total(s, "tbl_interns_cohort", first, 0, row, headers, 2 + NRATE, "Total");
	uint32_t last = row;
	if (!drawn)
		return layout_after(last);
	struct interval_chart chart = {
		.title = "Intern conversion rate by cohort (box: 95% interval)",
		.x_title = "Cohort (start year, team)", .y_title = "Hired / ended", .y_format = "0%",
		.name = "95% interval, line at the rate", .y_max = 1.0,
		.x_scale = in->ncohorts > 8 ? 1.6 : 1.2,
	};
	struct layout_spot at = layout_chart(first, last, 0, 2 + NRATE, interval_chart_rows(&chart));
	sheet_interval_chart(s, &ci, &chart, at.row, at.col);
	return at.next_row;
}

static uint32_t route_table(struct sheet *s, const struct report *r, uint32_t row)
{
	const struct intern_result *in = r->interns;
	sheet_heading(s, row++, "Interns by route: application or merge requests");
	if (!in->has_route)
		return sheet_note(s, row, "interns.csv has no route column: no figures by route.",
				  NULL) + LAYOUT_GAP_ROWS;
	const char *headers[1 + NRATE] = {"Route"};
	for (int i = 0; i < NRATE; i++)
		headers[1 + i] = rate_headers[i];
	uint32_t first = row++;
	for (size_t i = 0; i < in->nroutes; i++, row++) {
		char name[64];
		sheet_text(s, row, 0, label_route((enum wr_route)in->routes[i].key, name, sizeof(name)),
			   NULL);
		rate_cells(s, r, row, 1, &in->routes[i]);
	}
	uint32_t last = layout_table_last(first, row - 1);
	sheet_table(s, "tbl_interns_route", first, 0, last, headers, 1 + NRATE);
	return layout_after(last);
}

static uint32_t careers_table(struct sheet *s, const struct report *r, uint32_t row)
{
	const struct intern_careers *c = &r->interns->careers;
	static const char *const headers[] = {"Hired interns", "People", "Share"};
	sheet_heading(s, row++, "Careers of hired interns");
	char note[200];
	snprintf(note, sizeof(note),
		 "Months to first promotion: censored at leaving or the as-of date, as on the "
		 "%s sheet; empty when not reached.",
		 report_sheet_name(SHEET_TTP));
	row = sheet_note(s, row, note, NULL);
	uint32_t first = row++;
	struct line { const char *what; uint64_t n, base; } lines[] = {
		{"Hired (internships started in the window)", c->hired, 0},
		{"Found in role history (employee_id in roles.csv)", c->found, c->hired},
		{"Still employed on the as-of date", c->employed, c->found},
		{"Hired at least 12 months before the as-of date", c->retained_base, c->found},
		{"Retained 12 months after starting (of those)", c->retained, c->retained_base},
		{"Promoted since hire", c->promoted, c->found},
	};
	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++, row++) {
		sheet_text_wrap(s, row, 0, lines[i].what);
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
		sheet_text_wrap(s, row, 0, km[k]);
		sheet_stat(s, row, 1, days_to_months(v[k]), CELL_DEC1, shown, r->min_group);
	}
	return row + LAYOUT_GAP_ROWS;
}

/* Conversion by start year (rows) and team (columns), for reading across. */
static uint32_t conversion_table(struct sheet *s, const struct report *r, uint32_t row)
{
	const struct intern_result *in = r->interns;
	size_t nt = in->nteams;
	if (nt + 1 >= SHEET_MAX_COLS)
		nt = SHEET_MAX_COLS - 2;
	/* the teams' names title-cased, unless two would then read the same
	 * (a table's headers must differ) */
	char (*names)[256] = xcalloc(nt ? nt : 1, sizeof(*names));
	const char **headers = xmalloc((nt + 1) * sizeof(*headers));
	headers[0] = "Start year";
	bool clash = false;
	for (size_t t = 0; t < nt; t++) {
		headers[1 + t] = team_name(r, in->teams[t], names[t], sizeof(names[t]));
		for (size_t u = 0; u < t; u++)
			if (strcmp(headers[1 + u], headers[1 + t]) == 0)
				clash = true;
	}
	if (clash)
		for (size_t t = 0; t < nt; t++)
			headers[1 + t] = ds_str(r->ds, in->teams[t]);
	sheet_heading(s, row++, "Conversion rate by start year and team");
	uint32_t first = row++;
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
		}
	}
	uint32_t last = layout_table_last(first, row - 1);
	sheet_table(s, "tbl_interns_conversion", first, 0, last, headers, (uint16_t)(nt + 1));
	free(headers);
	free(names);
	return last + 1;
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
	if (!sheet_add(&s, b, report_sheet_name(SHEET_INTERNS), "Interns", NULL))
		return;
	sheet_subtitle(&s, sub);
	if (!r->interns->present) {
		sheet_absent(&s, "interns.csv was not provided: no intern figures.");
		return;
	}
	uint32_t row = cohort_table(&s, r, 3);
	row = route_table(&s, r, row);
	row = careers_table(&s, r, row);
	conversion_table(&s, r, row);
	sheet_finish(&s);
}
