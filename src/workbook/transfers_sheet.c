/* transfers_sheet.c - the Transfers sheet: lateral transfers per quarter
 * (tbl_transfers_quarter, its chart beside it), internal movement per year
 * (tbl_mobility_year), the family matrix (tbl_transfer_matrix), pairs
 * against the listed options (tbl_transfer_pairs) and department flows
 * (tbl_department_flows); each explanation above its table. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "workbook/book.h"
#include "workbook/layout.h"
#include "workbook/report.h"

static uint32_t quarter_table(struct sheet *s, const struct report *r, uint32_t row)
{
	const struct mobility_result *mo = r->mobility;
	static const char *const headers[] = {"Quarter", "From", "To", "Transfers",
					      "Headcount at quarter start", "Transfer rate"};
	sheet_heading(s, row++, "Lateral transfers per quarter");
	uint32_t first = row++;
	for (size_t i = 0; i < mo->nquarters; i++, row++) {
		const struct quarter_moves *q = &mo->quarters[i];
		report_period_cells(s, row, 0, &q->period);
		sheet_number(s, row, 3, (double)q->transfers, CELL_INT);
		sheet_number(s, row, 4, (double)q->headcount_start, CELL_INT);
		report_rate(s, r, row, 5, (double)q->transfers, (double)q->headcount_start,
			    CELL_PCT);
	}
	uint32_t last = layout_table_last(first, row - 1);
	sheet_table(s, "tbl_transfers_quarter", first, 0, last, headers, 6);

	static const uint16_t transfers[] = {3};
	const struct chart_spec chart = {
		.type = LXW_CHART_COLUMN, .title = "Lateral transfers per quarter",
		.y_title = "Transfers", .columns = transfers, .nseries = 1, .x_scale = 1.1,
		.gap = 40,
	};
	return report_quarter_chart(s, mo, &chart, first, last, 6);
}

static uint32_t year_table(struct sheet *s, const struct report *r, uint32_t row)
{
	const struct mobility_result *mo = r->mobility;
	static const char *const headers[] = {"Year", "Promotions", "Transfers", "Track switches",
					      "Average headcount", "Internal movement rate"};
	sheet_heading(s, row++, "Internal movement per year");
	row = sheet_note(s, row,
			 "Average headcount: mean of the year's quarter-end headcounts in the window. "
			 "Internal movement rate = (promotions + transfers + track switches) / "
			 "average headcount; a year the window covers only in part has a lower "
			 "rate.",
			 NULL);
	if (!mo->has_promotions)
		row = sheet_note(s, row,
				 "promotions.csv was not provided: promotions count as 0 here.", NULL);
	uint32_t first = row++;
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
	uint32_t last = layout_table_last(first, row - 1);
	sheet_table(s, "tbl_mobility_year", first, 0, last, headers, 6);
	return layout_after(last);
}

static uint32_t matrix_table(struct sheet *s, const struct report *r, uint32_t row)
{
	const struct mobility_result *mo = r->mobility;
	size_t nf = mo->nfamilies;
	sheet_heading(s, row++, "Transfers from family (rows) to family (columns)");
	if (nf + 1 > SHEET_MAX_COLS - 1)
		return sheet_note(s, row, "Too many families for a matrix: see tbl_transfer_pairs.",
				  NULL) + LAYOUT_GAP_ROWS;
	uint32_t first = row;
	const char **headers = xmalloc((nf + 1) * sizeof(*headers));
	headers[0] = "From family \\ to family";
	for (size_t i = 0; i < nf; i++)
		headers[1 + i] = ds_str(r->ds, mo->families[i]);
	row = first + 1;
	for (size_t i = 0; i < nf; i++, row++) {
		sheet_text(s, row, 0, ds_str(r->ds, mo->families[i]), NULL);
		for (size_t j = 0; j < nf; j++)
			sheet_number(s, row, (uint16_t)(1 + j), (double)mo->matrix[i * nf + j],
				     CELL_INT);
	}
	uint32_t last = layout_table_last(first, row - 1);
	if (nf == 0) {
		sheet_table(s, "tbl_transfer_matrix", first, 0, last, headers, 1);
	} else {
		sheet_table(s, "tbl_transfer_matrix", first, 0, last, headers, (uint16_t)(nf + 1));
		lxw_conditional_format cf = {
			.type = LXW_CONDITIONAL_2_COLOR_SCALE,
			.min_color = 0xFFFFFF,
			.max_color = 0xF8696B,
		};
		sheet_check(s, worksheet_conditional_format_range(s->ws, first + 1, 1, last,
								  (lxw_col_t)nf, &cf),
			    "colour scale of tbl_transfer_matrix");
	}
	free(headers);
	return layout_after(last);
}

/* Whether the transfers follow the listed lateral options, in words. */
static void pairs_note(const struct report *r, char *text, size_t size)
{
	const struct mobility_result *mo = r->mobility;
	if (!mo->has_options) {
		snprintf(text, size, "lateral-options.csv was not provided: transfers are "
				     "not checked against the listed options.");
	} else if (mo->npairs == 0) {
		snprintf(text, size, "No transfers in the window.");
	} else if (mo->cross_family_transfers == 0) {
		snprintf(text, size, "Every transfer stays within its job family: a lateral "
				     "option is needed only to change family.");
	} else if (!mo->unlisted_pairs) {
		snprintf(text, size, "Every one of the %llu transfers between job families follows "
				     "a listed lateral option (moves within a family need none).",
			 (unsigned long long)mo->cross_family_transfers);
	} else {
		int n = snprintf(text, size,
				 "Of %llu transfers between job families, %llu went along %zu "
				 "path%s that %s not a listed option (moves within a family need "
				 "none): ",
				 (unsigned long long)mo->cross_family_transfers,
				 (unsigned long long)mo->unlisted_transfers, mo->unlisted_pairs,
				 mo->unlisted_pairs == 1 ? "" : "s",
				 mo->unlisted_pairs == 1 ? "is" : "are");
		size_t shown = 0;
		for (size_t i = 0; i < mo->npairs && (size_t)n < size - 80; i++) {
			const struct family_pair *p = &mo->pairs[i];
			if (p->listed != LISTED_NO)
				continue;
			if (shown == 8) {
				n += snprintf(text + n, size - (size_t)n, "; and more");
				break;
			}
			n += snprintf(text + n, size - (size_t)n, "%s%s to %s (%llu)",
				      shown ? "; " : "", ds_str(r->ds, p->from), ds_str(r->ds, p->to),
				      (unsigned long long)p->transfers);
			if ((size_t)n >= size - 1)
				n = (int)size - 2; /* long names: cut, never past the buffer */
			shown++;
		}
		snprintf(text + n, size - (size_t)n, ".");
	}
}

static uint32_t pairs_table(struct sheet *s, const struct report *r, uint32_t row)
{
	const struct mobility_result *mo = r->mobility;
	static const char *const headers[] = {"From family", "To family", "Transfers",
					      "Listed option"};
	char text[1024];
	pairs_note(r, text, sizeof(text));
	sheet_heading(s, row++, "Transfers by pair of families, against the listed lateral "
				"options");
	row = sheet_note(s, row, text, NULL);
	uint32_t first = row++;
	for (size_t i = 0; i < mo->npairs; i++, row++) {
		const struct family_pair *p = &mo->pairs[i];
		sheet_text(s, row, 0, ds_str(r->ds, p->from), NULL);
		sheet_text(s, row, 1, ds_str(r->ds, p->to), NULL);
		sheet_number(s, row, 2, (double)p->transfers, CELL_INT);
		sheet_text(s, row, 3, p->listed == LISTED_YES ? "Yes"
				      : p->listed == LISTED_NO ? "No"
				      : p->listed == LISTED_SAME_FAMILY ? "Same family (needs none)"
									: "No list", NULL);
	}
	uint32_t last = layout_table_last(first, row - 1);
	sheet_table(s, "tbl_transfer_pairs", first, 0, last, headers, 4);
	return layout_after(last);
}

static uint32_t flows_table(struct sheet *s, const struct report *r, uint32_t row)
{
	const struct mobility_result *mo = r->mobility;
	sheet_heading(s, row++, "Transfers between departments");
	if (!mo->has_departments)
		return sheet_note(s, row,
				  "transfers.csv has no from_department and to_department columns: "
				  "department flows are not shown.",
				  NULL);
	static const char *const headers[] = {"From department", "To department", "Transfers"};
	uint32_t first = row++;
	for (size_t i = 0; i < mo->nflows; i++, row++) {
		sheet_text(s, row, 0, ds_str(r->ds, mo->flows[i].from), NULL);
		sheet_text(s, row, 1, ds_str(r->ds, mo->flows[i].to), NULL);
		sheet_number(s, row, 2, (double)mo->flows[i].transfers, CELL_INT);
	}
	uint32_t last = layout_table_last(first, row - 1);
	sheet_table(s, "tbl_department_flows", first, 0, last, headers, 3);
	return last + 1;
}

void write_transfers_sheet(struct book *b, const struct report *r)
{
	struct sheet s;
	char sub[200], from[11], to[11];
	date_format_iso(r->since, from);
	date_format_iso(r->as_of, to);
	snprintf(sub, sizeof(sub),
		 "Lateral transfers (transfers.csv) and internal movement, %s to %s.", from, to);
	if (!sheet_add(&s, b, report_sheet_name(SHEET_TRANSFERS), "Transfers and internal mobility",
		       NULL))
		return;
	sheet_subtitle(&s, sub);
	if (!r->mobility->has_transfers) {
		sheet_absent(&s, "transfers.csv was not provided: no transfer figures.");
		return;
	}
	uint32_t row = quarter_table(&s, r, 3);
	row = year_table(&s, r, row);
	row = matrix_table(&s, r, row);
	row = pairs_table(&s, r, row);
	flows_table(&s, r, row);
	sheet_finish(&s);
}
