/* data_quality.c - the Data Quality sheet: rows read, used and rejected per
 * file (tbl_dq_files), and every problem found with its line and reason
 * (tbl_dq_issues, capped at the dq log's limit). */
#include <stdio.h>
#include <string.h>

#include "ingest/dq.h"
#include "ingest/schema.h"
#include "workbook/book.h"
#include "workbook/report.h"

static const char *const file_headers[] = {"File", "Rows read", "Rows used", "Rows rejected",
					   "Warnings"};
static const char *const issue_headers[] = {"File", "Line", "Column", "Severity", "Value",
					    "Problem"};

#define ISSUES_COL 6

void write_data_quality_sheet(struct book *b, const struct report *r)
{
	const struct dq_log *dq = &r->ds->dq;
	char sub[512] = "Every input row is either used or rejected: rows read = rows used + "
			"rows rejected.";
	char missing[256] = "";
	for (int f = 0; f < WR_FILE_COUNT; f++) {
		if (dq->files[f].present)
			continue;
		size_t n = strlen(missing);
		snprintf(missing + n, sizeof(missing) - n, "%s%s", n ? ", " : "",
			 schema_file((enum wr_file)f)->name);
	}
	if (missing[0]) {
		size_t n = strlen(sub);
		snprintf(sub + n, sizeof(sub) - n, " Not provided: %s.", missing);
	}
	struct sheet s;
	sheet_add(&s, b, "Data Quality", "Data quality", sub);

	const uint32_t first = 3;
	uint32_t row = first + 1;
	for (int f = 0; f < WR_FILE_COUNT; f++) {
		const struct dq_file_counts *c = &dq->files[f];
		if (!c->present)
			continue;
		sheet_text(&s, row, 0, schema_file((enum wr_file)f)->name, NULL);
		sheet_number(&s, row, 1, (double)c->read, CELL_INT);
		sheet_number(&s, row, 2, (double)c->used, CELL_INT);
		sheet_number(&s, row, 3, (double)c->rejected, CELL_INT);
		sheet_number(&s, row, 4, (double)c->warnings, CELL_INT);
		row++;
	}
	sheet_table(&s, "tbl_dq_files", first, 0, row - 1, file_headers, 5);

	row = first + 1;
	for (size_t i = 0; i < dq->count; i++) {
		const struct dq_issue *it = &dq->items[i];
		uint16_t c = ISSUES_COL;
		sheet_text(&s, row, c, schema_file(it->file)->name, NULL);
		if (it->line)
			sheet_number(&s, row, c + 1, (double)it->line, CELL_INT);
		if (it->column)
			sheet_text(&s, row, c + 2, it->column, NULL);
		sheet_text(&s, row, c + 3, dq_severity_name(it->severity), NULL);
		if (it->value)
			sheet_text(&s, row, c + 4, it->value, NULL);
		sheet_text(&s, row, c + 5, it->problem, NULL);
		row++;
	}
	sheet_table(&s, "tbl_dq_issues", first, ISSUES_COL, row - 1, issue_headers, 6);
	if (dq->not_kept) {
		char more[128];
		snprintf(more, sizeof(more), "%llu more issues not listed (the list stops at %zu).",
			 (unsigned long long)dq->not_kept, dq->limit);
		sheet_text(&s, row > first + 1 ? row : first + 2, ISSUES_COL, more, b->note);
	}
	sheet_min_width(&s, ISSUES_COL - 1, 2);
	sheet_min_width(&s, ISSUES_COL + 1, 7);
	worksheet_freeze_panes(s.ws, first + 1, 0);
	sheet_finish(&s);
}
