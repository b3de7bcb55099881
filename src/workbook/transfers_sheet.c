/* transfers_sheet.c - the Transfers sheet: lateral transfers per quarter
 * (tbl_transfers_quarter), internal movement per year (tbl_mobility_year),
 * the family matrix (tbl_transfer_matrix), pairs against the listed options
 * (tbl_transfer_pairs) and department flows (tbl_department_flows). */
#include <stdio.h>
#include <string.h>

#include "core/alloc.h"
#include "workbook/book.h"
#include "workbook/report.h"

#define CHART_COL 8
#define CHART_ROWS 17

static uint32_t quarter_table(struct sheet *s, const struct report *r, uint32_t first)
{
	const struct mobility_result *mo = r->mobility;
	static const char *const headers[] = {"Quarter", "From", "To", "Transfers",
					      "Headcount at quarter start", "Transfer rate"};
	uint32_t row = first + 1;
	for (size_t i = 0; i < mo->nquarters; i++, row++) {
		const struct quarter_moves *q = &mo->quarters[i];
		report_period_cells(s, row, 0, &q->period);
		sheet_number(s, row, 3, (double)q->transfers, CELL_INT);
		sheet_number(s, row, 4, (double)q->headcount_start, CELL_INT);
		report_rate(s, r, row, 5, (double)q->transfers, (double)q->headcount_start,
			    CELL_PCT);
	}
	uint32_t last = row > first + 1 ? row - 1 : first + 1;
	sheet_table(s, "tbl_transfers_quarter", first, 0, last, headers, 6);

	static const uint16_t transfers[] = {3};
	struct chart_spec chart = {
		.type = LXW_CHART_COLUMN, .title = "Lateral transfers per quarter",
		.x_title = "Quarter", .y_title = "Transfers", .header = first, .last = last,
		.categories = 0, .columns = transfers, .nseries = 1, .x_scale = 1.3,
	};
	sheet_chart(s, &chart, first, CHART_COL);
	return row > first + CHART_ROWS ? row : first + CHART_ROWS;
}

static uint32_t year_table(struct sheet *s, const struct report *r, uint32_t first)
{
	const struct mobility_result *mo = r->mobility;
	static const char *const headers[] = {"Year", "Promotions", "Transfers", "Track switches",
					      "Average headcount", "Internal movement rate"};
	uint32_t row = first + 1;
	for (size_t i = 0; i < mo->nyears; i++, row++) {
		const struct mobility_year *y = &mo->years[i];
		sheet_number(s, row, 0, y->year, CELL_YEAR);
		sheet_number(s, row, 1, (double)y->promotions, CELL_INT);
		sheet_number(s, row, 2, (double)y->transfers, CELL_INT);
		sheet_number(s, row, 3, (double)y->switches, CELL_INT);
		sheet_number(s, row, 4, y->avg_headcount, CELL_DEC1);
		report_rate(s, r, row, 5, (double)(y->promotions + y->transfers + y->switches),
			    y->avg_headcount, CELL_PCT);
	}
	sheet_table(s, "tbl_mobility_year", first, 0, row > first + 1 ? row - 1 : first + 1,
		    headers, 6);
	row++;
	sheet_text(s, row++, 0,
		   "Average headcount: mean of the year's quarter-end headcounts in the window. "
		   "Internal movement rate = (promotions + transfers + track switches) / average "
		   "headcount; a year the window covers only in part has a lower rate.",
		   s->book->note);
	if (!mo->has_promotions)
		sheet_text(s, row++, 0,
			   "promotions.csv was not provided: promotions count as 0 here.",
			   s->book->note);
	return row;
}

static uint32_t matrix_table(struct sheet *s, const struct report *r, uint32_t first)
{
	const struct mobility_result *mo = r->mobility;
	size_t nf = mo->nfamilies;
	if (nf + 1 > SHEET_MAX_COLS - 1) {
		sheet_text(s, first, 0, "Too many families for a matrix: see tbl_transfer_pairs.",
			   s->book->note);
		return first + 1;
	}
	const char **headers = xmalloc((nf + 1) * sizeof(*headers));
	headers[0] = "From family \\ to family";
	for (size_t i = 0; i < nf; i++)
		headers[1 + i] = ds_str(r->ds, mo->families[i]);
	uint32_t row = first + 1;
	for (size_t i = 0; i < nf; i++, row++) {
		sheet_text(s, row, 0, ds_str(r->ds, mo->families[i]), NULL);
		for (size_t j = 0; j < nf; j++)
			sheet_number(s, row, (uint16_t)(1 + j), (double)mo->matrix[i * nf + j],
				     CELL_INT);
	}
	uint32_t last = row > first + 1 ? row - 1 : first + 1;
	if (nf == 0) {
		sheet_table(s, "tbl_transfer_matrix", first, 0, last, headers, 1);
	} else {
		sheet_table(s, "tbl_transfer_matrix", first, 0, last, headers, (uint16_t)(nf + 1));
		lxw_conditional_format cf = {
			.type = LXW_CONDITIONAL_2_COLOR_SCALE,
			.min_color = 0xFFFFFF,
			.max_color = 0xF8696B,
		};
		worksheet_conditional_format_range(s->ws, first + 1, 1, last, (lxw_col_t)nf, &cf);
	}
	free(headers);
	return row;
}

static uint32_t pairs_table(struct sheet *s, const struct report *r, uint32_t first)
{
	const struct mobility_result *mo = r->mobility;
	static const char *const headers[] = {"From family", "To family", "Transfers",
					      "Listed option"};
	uint32_t row = first + 1;
	for (size_t i = 0; i < mo->npairs; i++, row++) {
		const struct family_pair *p = &mo->pairs[i];
		sheet_text(s, row, 0, ds_str(r->ds, p->from), NULL);
		sheet_text(s, row, 1, ds_str(r->ds, p->to), NULL);
		sheet_number(s, row, 2, (double)p->transfers, CELL_INT);
		sheet_text(s, row, 3, p->listed == LISTED_YES ? "Yes"
				      : p->listed == LISTED_NO ? "No" : "no list", NULL);
	}
	sheet_table(s, "tbl_transfer_pairs", first, 0, row > first + 1 ? row - 1 : first + 1,
		    headers, 4);
	row++;
	char text[1024];
	if (!mo->has_options) {
		snprintf(text, sizeof(text), "lateral-options.csv was not provided: transfers are "
					     "not checked against the listed options.");
	} else if (mo->npairs == 0) {
		snprintf(text, sizeof(text), "No transfers in the window.");
	} else if (!mo->unlisted_pairs) {
		snprintf(text, sizeof(text), "Every transfer follows a listed lateral option.");
	} else {
		int n = snprintf(text, sizeof(text),
				 "%llu transfer%s along %zu path%s that %s not a listed option: ",
				 (unsigned long long)mo->unlisted_transfers,
				 mo->unlisted_transfers == 1 ? "" : "s", mo->unlisted_pairs,
				 mo->unlisted_pairs == 1 ? "" : "s",
				 mo->unlisted_pairs == 1 ? "is" : "are");
		size_t shown = 0;
		for (size_t i = 0; i < mo->npairs && (size_t)n < sizeof(text) - 80; i++) {
			const struct family_pair *p = &mo->pairs[i];
			if (p->listed != LISTED_NO)
				continue;
			if (shown == 8) {
				n += snprintf(text + n, sizeof(text) - (size_t)n, "; and more");
				break;
			}
			n += snprintf(text + n, sizeof(text) - (size_t)n, "%s%s to %s (%llu)",
				      shown ? "; " : "", ds_str(r->ds, p->from), ds_str(r->ds, p->to),
				      (unsigned long long)p->transfers);
			shown++;
		}
		snprintf(text + n, sizeof(text) - (size_t)n, ".");
	}
	sheet_text(s, row++, 0, text, s->book->note);
	return row;
}

static uint32_t flows_table(struct sheet *s, const struct report *r, uint32_t first)
{
	const struct mobility_result *mo = r->mobility;
	if (!mo->has_departments) {
		sheet_text(s, first, 0,
			   "transfers.csv has no from_department and to_department columns: "
			   "department flows are not shown.",
			   s->book->note);
		return first + 1;
	}
	static const char *const headers[] = {"From department", "To department", "Transfers"};
	uint32_t row = first + 1;
	for (size_t i = 0; i < mo->nflows; i++, row++) {
		sheet_text(s, row, 0, ds_str(r->ds, mo->flows[i].from), NULL);
		sheet_text(s, row, 1, ds_str(r->ds, mo->flows[i].to), NULL);
		sheet_number(s, row, 2, (double)mo->flows[i].transfers, CELL_INT);
	}
	sheet_table(s, "tbl_department_flows", first, 0, row > first + 1 ? row - 1 : first + 1,
		    headers, 3);
	return row;
}

void write_transfers_sheet(struct book *b, const struct report *r)
{
	struct sheet s;
	char sub[200], from[11], to[11];
	date_format_iso(r->since, from);
	date_format_iso(r->as_of, to);
	snprintf(sub, sizeof(sub),
		 "Lateral transfers (transfers.csv) and internal movement, %s to %s.", from, to);
	sheet_add(&s, b, "Transfers", "Transfers and internal mobility", sub);
	if (!r->mobility->has_transfers) {
		sheet_absent(&s, "transfers.csv was not provided: no transfer figures.");
		return;
	}
	uint32_t row = quarter_table(&s, r, 3) + 2;
	row = year_table(&s, r, row) + 1;
	row = matrix_table(&s, r, row) + 2;
	row = pairs_table(&s, r, row) + 1;
	flows_table(&s, r, row);
	sheet_fix_width(&s, 0, 24);
	worksheet_freeze_panes(s.ws, 3, 0);
	sheet_finish(&s);
}
