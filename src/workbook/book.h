/* book.h - one look for every sheet, on top of libxlsxwriter.
 *
 * struct book owns the lxw_workbook and the shared formats; struct sheet
 * wraps one worksheet and tracks column widths (libxlsxwriter cannot
 * autofit). Text from input always goes through sheet_text, which writes a
 * string cell (never a formula) and replaces control characters; numbers go
 * through sheet_number, which writes an empty cell for NaN or infinity.
 */
#ifndef WR_BOOK_H
#define WR_BOOK_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>
#include <xlsxwriter.h>

#include "core/error.h"
#include "model/date.h"

#define SHEET_MAX_COLS 64

struct book {
	lxw_workbook *wb;
	lxw_format *title, *subtitle, *header, *text, *wrap, *integer, *decimal1, *decimal2, *decimal3,
		*percent, *date, *bold, *link, *note, *plain, *indented;
};

enum cell_kind { CELL_TEXT, CELL_INT, CELL_DEC1, CELL_DEC2, CELL_DEC3, CELL_PCT, CELL_DATE, CELL_YEAR };

struct sheet {
	struct book *book;
	lxw_worksheet *ws;
	const char *name;
	double width[SHEET_MAX_COLS];
	double fixed[SHEET_MAX_COLS]; /* set: this width, whatever was written */
};

/* Create the workbook file at path. created is the document's creation time
 * (SOURCE_DATE_EPOCH or now). */
enum wr_error book_open(struct book *b, const char *path, time_t created, const char *title,
			struct wr_errmsg *err);
/* Write and close the file. */
enum wr_error book_close(struct book *b, struct wr_errmsg *err);

/* Add a worksheet with its title in A1 and a subtitle in A2. */
void sheet_add(struct sheet *s, struct book *b, const char *name, const char *title,
	       const char *subtitle);
/* Landscape, fit to one page wide, column widths from what was written. */
void sheet_finish(struct sheet *s);
/* For a sheet whose input file is missing: say why in one line under the
 * title and finish the sheet. */
void sheet_absent(struct sheet *s, const char *why);

void sheet_text(struct sheet *s, uint32_t row, uint16_t col, const char *text, lxw_format *f);
/* Our own text (a sentence) that may run over the next cells: it does not
 * widen its column. Never for text from input. */
void sheet_label(struct sheet *s, uint32_t row, uint16_t col, const char *text);
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
/* Give column col exactly width w (wrapped text). */
void sheet_fix_width(struct sheet *s, uint16_t col, double w);
/* Make sure column col is at least w characters wide. */
void sheet_min_width(struct sheet *s, uint16_t col, double w);

/* A chart of columns of this sheet: series from data rows header+1 .. last,
 * categories from one column, names from the header row (or names[]). */
struct chart_spec {
	uint8_t type;                 /* LXW_CHART_COLUMN, ..._STACKED, _LINE, _BAR */
	const char *title, *x_title, *y_title; /* x: the categories, y: the values */
	const char *y_format;         /* e.g. "0%", or NULL */
	uint32_t header, last;        /* the table's header row and last data row */
	uint16_t categories;          /* column of the category labels */
	const uint16_t *columns;      /* a column per series */
	size_t nseries;
	const char *const *names;     /* series names, or NULL: the header cells */
	bool legend;                  /* a legend at the bottom */
	double x_scale, y_scale;      /* size; 0 means 1 */
};

/* Insert the chart with its top-left corner at (row, col). Returns it for
 * the rare extra setting. */
lxw_chart *sheet_chart(struct sheet *s, const struct chart_spec *c, uint32_t row, uint16_t col);

/* Turn rows first_row (header) .. last_row into an Excel table named name.
 * The header cells are written here; an empty table gets one empty row. */
void sheet_table(struct sheet *s, const char *name, uint32_t first_row, uint16_t first_col,
		 uint32_t last_row, const char *const *headers, uint16_t ncols);

#endif
