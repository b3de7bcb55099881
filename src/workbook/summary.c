/* summary.c - the Summary sheet: headline figures for leadership
 * (tbl_summary) and a table of contents. */
#include <math.h>
#include <stdio.h>

#include "ingest/schema.h"
#include "ingest/validate.h"
#include "metrics/privacy.h"
#include "workbook/book.h"
#include "workbook/report.h"

static const char *const headers[] = {"Metric", "Value"};

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

static void metric_date(struct rows *t, const char *metric, wr_date d)
{
	sheet_text(t->s, t->row, 0, metric, NULL);
	sheet_date(t->s, t->row, 1, d);
	t->row++;
}

static void metric_text(struct rows *t, const char *metric, const char *v)
{
	sheet_text(t->s, t->row, 0, metric, NULL);
	sheet_text(t->s, t->row, 1, v, NULL);
	t->row++;
}

void write_summary_sheet(struct book *b, const struct report *r)
{
	char sub[160], from[11], to[11];
	date_format_iso(r->since, from);
	date_format_iso(r->as_of, to);
	snprintf(sub, sizeof(sub), "As of %s. Analysis window %s to %s.", to, from, to);
	struct sheet s;
	sheet_add(&s, b, "Summary", "Workforce report", sub);

	const uint32_t first = 3;
	struct rows t = {&s, first + 1};
	metric_date(&t, "As-of date", r->as_of);
	metric_date(&t, "Window start", r->since);
	metric_date(&t, "Window end", r->as_of);
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
	if (r->retention) {
		const struct retention_result *re = r->retention;
		sheet_text(t.s, t.row, 0, "Attrition rate, last 12 months", NULL);
		report_rate(t.s, r, t.row++, 1, (double)re->last12_leavers,
			    (double)(re->last12_hc_start + re->last12_hc_end) / 2.0, CELL_PCT);
	}
	uint64_t rejected = 0;
	for (int f = 0; f < WR_FILE_COUNT; f++) {
		const struct file_spec *spec = schema_file((enum wr_file)f);
		const struct dq_file_counts *c = &r->ds->dq.files[f];
		char metric[80];
		snprintf(metric, sizeof(metric), "Rows read, %s", spec->name);
		if (c->present)
			metric_number(&t, metric, (double)c->read, CELL_INT);
		else
			metric_text(&t, metric, "not provided");
		rejected += c->rejected;
	}
	metric_number(&t, "Rows rejected, all files (see Data Quality)", (double)rejected, CELL_INT);
	sheet_table(&s, "tbl_summary", first, 0, t.row - 1, headers, 2);

	/* table of contents, beside the figures */
	sheet_text(&s, first, 3, "Sheets", b->bold);
	for (size_t i = 1; i < report_nsheets; i++)
		sheet_link(&s, (uint32_t)(first + i), 3, report_sheet_names[i],
			   report_sheet_names[i]);
	sheet_min_width(&s, 2, 2);
	worksheet_freeze_panes(s.ws, first + 1, 0);
	sheet_finish(&s);
}
