/* book.h - one look for every sheet, on top of libxlsxwriter.
 *
 * struct book owns the lxw_workbook and the shared formats; struct sheet
 * wraps one worksheet and remembers what was written where (libxlsxwriter
 * cannot autofit): the kind and width of each cell, the tables, the notes
 * and the charts. sheet_finish then sizes the columns (numbers capped,
 * long headers wrapped), makes header and note rows as tall as their text,
 * freezes the first table's header and sets up the print. Text from input
 * always goes through sheet_text, which writes a string cell (never a
 * formula) and replaces control characters; numbers go through
 * sheet_number, which writes an empty cell for NaN or infinity.
 *
 * A libxlsxwriter call that fails does not stop the writers: the book
 * remembers the first failure with the sheet and what was being written
 * there ("table tbl_retention", "cell H12", "chart 'Promotions per
 * quarter'"), and book_close reports it, the workbook then being
 * unusable. Writers that call libxlsxwriter themselves pass what it
 * returns to sheet_check.
 */
#ifndef WR_BOOK_H
#define WR_BOOK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include <xlsxwriter.h>

#include "core/error.h"
#include "model/date.h"

#define SHEET_MAX_COLS 64
#define SHEET_NOTE_COLS 10 /* a note or subtitle wraps over at most columns A to J */

struct csv_export; /* workbook/export_csv.h */

struct book {
	lxw_workbook *wb;
	lxw_format *title, *subtitle, *header, *text, *wrap, *integer, *decimal1, *decimal2, *decimal3,
		*percent, *date, *bold, *link, *note, *plain, *indented;
	lxw_format *header_num;    /* a numeric column's header: right-aligned, wrapped */
	lxw_format *header_indented; /* a text column's header right of a numeric one */
	lxw_format *suppressed;    /* "suppressed (n<5)" in a numeric column: right-aligned */
	lxw_format *note_wrap;     /* a note above a table, wrapped */
	lxw_format *subtitle_wrap; /* the subtitle, wrapped */
	char stamp[64];            /* said after every subtitle: "Data through 2026-06-26." */
	lxw_error failed;          /* the first libxlsxwriter call that failed (book_close) */
	char failed_sheet[64];     /* its sheet, "" for the workbook as a whole */
	char failed_what[96];      /* what it was writing there: "table tbl_span", "cell B4" */
	struct csv_export *csv;    /* every table also goes here, or NULL (book_export_tables) */
};

enum cell_kind { CELL_TEXT, CELL_INT, CELL_DEC1, CELL_DEC2, CELL_DEC3, CELL_PCT, CELL_DATE, CELL_YEAR };

struct sheet_layout; /* book.c's record of the sheet, freed by sheet_finish */

struct sheet {
	struct book *book;
	lxw_worksheet *ws;
	const char *name;
	double width[SHEET_MAX_COLS]; /* at least this wide (sheet_min_width) */
	double fixed[SHEET_MAX_COLS]; /* set: this width, whatever was written */
	struct sheet_layout *lay;
};

/* Create the workbook file at path. created is the document's creation time
 * (SOURCE_DATE_EPOCH or now). */
enum wr_error book_open(struct book *b, const char *path, time_t created, const char *title,
			struct wr_errmsg *err);
/* Write and close the file: WR_ERR_IO (WR_ERR_NOMEM when libxlsxwriter ran
 * out of memory) when a call failed on the way, the message naming the
 * sheet, what was written and lxw_strerror's words. */
enum wr_error book_close(struct book *b, struct wr_errmsg *err);

/* A new format (a cell's look), or NULL when libxlsxwriter cannot make one
 * (remembered; NULL is the default look meanwhile). */
lxw_format *book_format(struct book *b);

/* --csv: every table of the workbooks opened from now on is also given to
 * x (csv_export_table) when its sheet is finished: its header row, each
 * cell as the workbook holds it (text, number, date or empty) and its total
 * row last; a table without data rows (the one empty row that
 * sheet_table gives it) is its header row alone. NULL stops it. The
 * exporter must outlive the workbooks. */
void book_export_tables(struct csv_export *x);

/* Add a worksheet with its title in A1 and a subtitle in A2 (one line).
 * False when libxlsxwriter refuses it (remembered): then write nothing to
 * it, not even sheet_finish. */
bool sheet_add(struct sheet *s, struct book *b, const char *name, const char *title,
	       const char *subtitle);
/* Remember e, what a libxlsxwriter call on s returned, should it be the
 * book's first failure; what: what the call was writing ("print area"). */
void sheet_check(struct sheet *s, lxw_error e, const char *what);
/* The subtitle in A2 wrapped over columns A to J, for a sheet added without one. */
void sheet_subtitle(struct sheet *s, const char *text);
/* Column widths from what was written (numbers at most 17 characters wide,
 * long headers wrapped), header and note rows as tall as their text, the
 * first table's header frozen (unless the writer froze panes itself or it
 * is further down than row 13), and the print: area, title rows repeated,
 * landscape A4, fit to one page wide when that keeps at least 62% of the
 * size (else two pages wide, else spanning pages across then down), page
 * breaks between the blocks that sheet_heading starts, the sheet name,
 * "Page x of y" and "Confidential" in the footer. Frees the sheet's
 * record. */
void sheet_finish(struct sheet *s);
/* For a sheet whose input file is missing: say why in one line under the
 * title and finish the sheet. */
void sheet_absent(struct sheet *s, const char *why);

void sheet_text(struct sheet *s, uint32_t row, uint16_t col, const char *text, lxw_format *f);
/* Our own text (a sentence) that may run over the next cells: it does not
 * widen its column. Never for text from input. */
void sheet_label(struct sheet *s, uint32_t row, uint16_t col, const char *text);
/* A heading over a table or a chart: bold, our own words, does not widen
 * its column. It starts a block that the print keeps on one page when it
 * fits. */
void sheet_heading(struct sheet *s, uint32_t row, const char *text);
/* A note (our sentences, may hold names from input) in row: wrapped over
 * as many of columns A to J as fit in the first screen width (merged by
 * sheet_finish), the row as tall as the text. f: NULL for the note look.
 * Returns the next row. */
uint32_t sheet_note(struct sheet *s, uint32_t row, const char *text, lxw_format *f);
/* Text (from input or ours) wrapped in its cell, its column at most 34
 * characters wide, the row as tall as it needs. */
void sheet_text_wrap(struct sheet *s, uint32_t row, uint16_t col, const char *text);
void sheet_textn(struct sheet *s, uint32_t row, uint16_t col, const char *text, size_t len,
		 lxw_format *f);
/* A number in the look of kind; NaN or infinity leave the cell empty. */
void sheet_number(struct sheet *s, uint32_t row, uint16_t col, double v, enum cell_kind kind);
/* A statistic over a group: the number (empty when NaN, e.g. "not
 * reached"), or the text "suppressed (n<min_group)" when the group is too
 * small to show. */
void sheet_stat(struct sheet *s, uint32_t row, uint16_t col, double v, enum cell_kind kind,
		bool shown, int min_group);
void sheet_date(struct sheet *s, uint32_t row, uint16_t col, wr_date d);
/* A labelled figure: the label in column A, the number beside it in B. */
void sheet_pair(struct sheet *s, uint32_t row, const char *label, double v, enum cell_kind kind);
void sheet_link(struct sheet *s, uint32_t row, uint16_t col, const char *sheet_name,
		const char *text);
/* Words in place of a statistic, in the look of "suppressed (n<5)" (small,
 * grey, right-aligned; counted as a figure for the column's look). */
void sheet_stat_words(struct sheet *s, uint32_t row, uint16_t col, const char *words);
/* The words of a statistic that the privacy rules hide:
 * "suppressed (n<min_group)", in buf. Returns buf. */
const char *suppressed_words(int min_group, char *buf, size_t size);
/* A number in look f (NULL: the default), not counted for the widths or
 * the --csv export: a dashboard tile's figure, a chart's hidden helper
 * figure. */
void sheet_put_number(struct sheet *s, uint32_t row, uint16_t col, double v, lxw_format *f);
/* Text over columns first_col .. last_col of row, merged, in look f. */
void sheet_merge(struct sheet *s, uint32_t row, uint16_t first_col, uint16_t last_col,
		 const char *text, lxw_format *f);
/* Row row pt points tall. */
void sheet_row_height(struct sheet *s, uint32_t row, double pt);
/* Give column col exactly width w (wrapped text). */
void sheet_fix_width(struct sheet *s, uint16_t col, double w);
/* Make sure column col is at least w characters wide. */
void sheet_min_width(struct sheet *s, uint16_t col, double w);

/* A hidden column far to the right of everything shown, for a chart's own
 * copy of figures (a label joining two columns, a series negated, a blank
 * where the table says "suppressed"). Write into it with sheet_put_number
 * (only figures the tables show). Returns its index. */
uint16_t sheet_helper_column(struct sheet *s);

/* A hidden helper column of category labels for a chart over quarters:
 * the year at the first quarter of each year, blank at the others (four
 * years of quarter labels are otherwise rotated into illegibility).
 * years[i] is the year of data row first + i. Returns the column. */
uint16_t sheet_year_labels(struct sheet *s, uint32_t first, const int *years, size_t n);

/* The same for a chart over months 0 .. months (data rows first ..
 * first + months): a label every step months, blank between. */
uint16_t sheet_month_labels(struct sheet *s, uint32_t first, int months, int step);

#define CHART_MAX_SERIES 16 /* in one chart_spec */

/* A chart of columns of this sheet: series from data rows header+1 .. last,
 * categories from one column, names from the header row (or names[]). */
struct chart_spec {
	uint8_t type;                 /* LXW_CHART_COLUMN, ..._STACKED, _LINE, _BAR */
	const char *title, *x_title, *y_title; /* x: the categories, y: the values */
	const char *y_format;         /* e.g. "0%", or NULL */
	uint32_t header, last;        /* the table's header row and last data row */
	uint16_t categories;          /* column of the category labels */
	const uint16_t *columns;      /* a column per series */
	size_t nseries;               /* at most CHART_MAX_SERIES */
	const char *const *names;     /* series names, or NULL: the header cells */
	bool legend;                  /* a legend at the bottom */
	double x_scale, y_scale;      /* size; 0 means 1 */
	uint16_t label_every;         /* a category label every n categories (0: each) */
	double y_max;                 /* > 0: the value axis' maximum */
	uint32_t x_offset;            /* pixels right of the anchor cell */
	/* rarer settings: 0 or NULL for none */
	const uint32_t *offsets;      /* per series: its values this many rows below the
					 categories' (groups stacked in one table) */
	const lxw_chart_line *lines;  /* per series: its line */
	const uint8_t *markers;       /* per series: its marker (LXW_CHART_MARKER_...) */
	uint16_t gap;                 /* between columns or bars, % of their width */
	bool reverse;                 /* categories in reverse (a bar chart's first at the top) */
	bool back_to_back;            /* a bar chart of two series, the first negated: drawn
					 over each other, the value axis from -y_max to y_max,
					 the category labels on the left */
};

/* The size of a chart in rows of the default height. */
uint32_t chart_rows(const struct chart_spec *c);

/* Insert the chart with its top-left corner at (row, col). The value axis
 * of a column, bar or line chart starts at 0 (unless back_to_back). */
void sheet_chart(struct sheet *s, const struct chart_spec *c, uint32_t row, uint16_t col);

/* Chart c of a table whose header is in row first, its last row last, in
 * ncols columns from A: beside the table or under it (layout.h
 * layout_chart). Returns the first row of the block after both. */
uint32_t sheet_table_chart(struct sheet *s, const struct chart_spec *c, uint32_t first,
			   uint32_t last, uint16_t ncols);

/* A chart made by hand (the Summary's small ones): a new chart of type
 * with a new series in each of series[0 .. n), inserted with
 * worksheet_insert_chart_opt (its result to sheet_check). NULL when
 * libxlsxwriter cannot make them (remembered). */
lxw_chart *sheet_new_chart(struct sheet *s, uint8_t type, lxw_chart_series **series, size_t n);

/* An estimate with its 95% limits per category, drawn as a box from the
 * low to the high limit with a line across it at the estimate (a stacked
 * column chart: libxlsxwriter 1.1.4 has no custom error bars, and
 * LibreOffice draws no high-low lines). Its figures go to four hidden
 * helper columns: interval_begin, then interval_add per category (a
 * figure not shown is left blank there: a gap, never a bar of 0), then
 * sheet_interval_chart. */
struct interval_data {
	uint16_t col;      /* label, low, estimate - low, high - estimate */
	uint32_t first, n; /* rows */
};
struct interval_chart {
	const char *title, *x_title, *y_title, *y_format;
	const char *name;  /* the legend's words for the box */
	double y_max;      /* > 0: the value axis' maximum */
	double x_scale, y_scale;
	uint16_t label_every; /* as in struct chart_spec */
	uint32_t x_offset; /* pixels right of the anchor cell */
};
void interval_begin(struct sheet *s, struct interval_data *d);
void interval_add(struct sheet *s, struct interval_data *d, const char *label, double estimate,
		  double low, double high, bool shown);
void sheet_interval_chart(struct sheet *s, const struct interval_data *d,
			  const struct interval_chart *c, uint32_t row, uint16_t col);
uint32_t interval_chart_rows(const struct interval_chart *c);

/* Turn rows first_row (header) .. last_row into an Excel table named name.
 * The header cells are written here, right-aligned over a column of
 * numbers, left over text; an empty table gets one empty row. */
void sheet_table(struct sheet *s, const char *name, uint32_t first_row, uint16_t first_col,
		 uint32_t last_row, const char *const *headers, uint16_t ncols);
/* The same with last_row an Excel total row (written by the caller: figures
 * as numbers, never formulas), labelled total_label in its first column. */
void sheet_table_total(struct sheet *s, const char *name, uint32_t first_row, uint16_t first_col,
		       uint32_t last_row, const char *const *headers, uint16_t ncols,
		       const char *total_label);

#endif
