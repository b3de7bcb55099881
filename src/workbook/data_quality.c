/* data_quality.c - the Data Quality sheet: rows read, used and rejected per
 * file (tbl_dq_files), then the problems counted by file, kind of problem,
 * column and severity with up to five line numbers as pointers
 * (tbl_dq_summary): nothing from rows about people, no ids, titles, dates
 * or values. The detail goes to the issues file beside the workbook; with
 * --dq-detail it is also listed here (tbl_dq_issues, capped at the dq log's
 * limit), for an analyst's own run. The tables are stacked, each with its
 * explanation above it, wrapped. */
#include <stdio.h>
#include <string.h>

#include "model/dq.h"
#include "ingest/schema.h"
#include "workbook/book.h"
#include "workbook/report.h"

static const char *const file_headers[] = {"File", "Rows read", "Rows used", "Rows rejected",
					   "Warnings"};
static const char *const summary_headers[] = {"File", "Severity", "Problem", "Column",
					      "Issues", "First lines"};
static const char *const issue_headers[] = {"File", "Line", "Column", "Severity", "Value",
					    "Problem"};

/* "12, 40, 41": the count's first lines. */
static void first_lines(const struct dq_count *c, char *out, size_t size)
{
	size_t n = 0;
	out[0] = '\0';
	for (size_t i = 0; i < c->nlines && n < size; i++)
		n += (size_t)snprintf(out + n, size - n, "%s%lu", i ? ", " : "", c->first_lines[i]);
}

/* The files table from row first (its explanation), returns the next free row. */
static uint32_t write_files(struct sheet *s, const struct dq_log *dq, uint32_t first)
{
	uint32_t head = sheet_note(s, first,
				   "Rows per input file: read, used in the analyses, rejected, and "
				   "warnings logged.",
				   s->book->wrap);
	uint32_t row = head + 1;
	for (int f = 0; f < WR_FILE_COUNT; f++) {
		const struct dq_file_counts *c = &dq->files[f];
		if (!c->present)
			continue;
		sheet_text(s, row, 0, schema_file((enum wr_file)f)->name, NULL);
		sheet_number(s, row, 1, (double)c->read, CELL_INT);
		sheet_number(s, row, 2, (double)c->used, CELL_INT);
		sheet_number(s, row, 3, (double)c->rejected, CELL_INT);
		sheet_number(s, row, 4, (double)c->warnings, CELL_INT);
		row++;
	}
	sheet_table(s, "tbl_dq_files", head, 0, row - 1, file_headers, 5);
	return row > head + 1 ? row : head + 2;
}

static uint32_t write_summary(struct sheet *s, const struct dq_log *dq, uint32_t first)
{
	const char *what = dq->ncounts
				   ? "Problems by file, severity, kind and column, with up to five "
				     "line numbers; every problem in full is in the .issues.csv file "
				     "beside this workbook (person-level data, for the HRIS owner)."
				   : "Problems by file, severity, kind and column: none found.";
	uint32_t head = sheet_note(s, first, what, s->book->wrap), row = head + 1;
	for (size_t i = 0; i < dq->ncounts; i++) {
		const struct dq_count *c = &dq->counts[i];
		char lines[DQ_FIRST_LINES * 22];
		first_lines(c, lines, sizeof(lines));
		sheet_text(s, row, 0, schema_file(c->file)->name, NULL);
		sheet_text(s, row, 1, dq_severity_name(c->severity), NULL);
		sheet_text(s, row, 2, c->key, NULL);
		if (c->column)
			sheet_text(s, row, 3, c->column, NULL);
		sheet_number(s, row, 4, (double)c->count, CELL_INT);
		if (lines[0])
			sheet_text(s, row, 5, lines, s->book->indented);
		row++;
	}
	sheet_table(s, "tbl_dq_summary", head, 0, row - 1, summary_headers, 6);
	return row > head + 1 ? row : head + 2;
}

static void write_issues(struct sheet *s, const struct book *b, const struct dq_log *dq,
			 uint32_t first)
{
	char label[256];
	snprintf(label, sizeof(label),
		 "Every problem with its value and message (--dq-detail: this workbook holds "
		 "person-level data, not for sharing; at most %zu listed).",
		 dq->limit);
	uint32_t head = sheet_note(s, first, label, s->book->wrap), row = head + 1;
	for (size_t i = 0; i < dq->count; i++) {
		const struct dq_issue *it = &dq->items[i];
		sheet_text(s, row, 0, schema_file(it->file)->name, NULL);
		if (it->line)
			sheet_number(s, row, 1, (double)it->line, CELL_INT);
		if (it->column)
			sheet_text(s, row, 2, it->column, NULL);
		sheet_text(s, row, 3, dq_severity_name(it->severity), NULL);
		if (it->value)
			sheet_text(s, row, 4, it->value, NULL);
		sheet_text(s, row, 5, it->problem, NULL);
		row++;
	}
	sheet_table(s, "tbl_dq_issues", head, 0, row - 1, issue_headers, 6);
	if (dq->not_kept) {
		char more[128];
		snprintf(more, sizeof(more), "%llu more issues not listed (the list stops at %zu).",
			 (unsigned long long)dq->not_kept, dq->limit);
		sheet_text(s, row > head + 1 ? row : head + 2, 0, more, b->note);
	}
}

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
	if (!sheet_add(&s, b, report_sheet_name(SHEET_DATA_QUALITY), "Data quality", NULL))
		return;
	sheet_subtitle(&s, sub);

	uint32_t row = write_files(&s, dq, 3);
	row = write_summary(&s, dq, row + 1);
	if (dq->list_in_workbook)
		write_issues(&s, b, dq, row + 1);
	sheet_min_width(&s, 1, 9);
	sheet_min_width(&s, 5, 12);
	sheet_finish(&s);
}
