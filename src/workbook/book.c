/* book.c - see book.h. */
#include "workbook/book.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "core/alloc.h"
#include "core/utf8.h"
#include "workbook/export_csv.h"
#include "workbook/layout.h"

#define HELPER_COL 200        /* hidden chart data: far right of anything shown */
#define NUM_MAX_WIDTH 17.0    /* a column of numbers is at most this wide */
#define NUM_HEADER_WIDTH 12.0 /* a numeric header longer than this wraps */
#define TEXT_MAX_WIDTH 60.0
#define TEXT_HEADER_WIDTH 22.0
#define TEXT_HEADER_MAX 30.0
#define WRAP_WIDTH 34.0       /* a wrapped text cell's column */
#define NOTE_PX 1000.0        /* a note wraps within the first screen (and page) width */
#define HEADER_MAX_LINES 3
#define FILTER_BUTTON 2.0     /* characters a table's filter button covers */
#define LINE_PT 15.0          /* one line of 11-point text */
#define TITLE_PT 22.0         /* the title row */
#define DEFAULT_WIDTH 8.43
#define FREEZE_MAX_ROW 12     /* a frozen header row at most this far down */
#define PRINT_WIDTH_PX 988.0  /* A4 landscape inside the default margins, at 100% */
#define PRINT_HEIGHT_PX 640.0 /* and its height, less a little */
/* Page breaks are placed for LibreOffice's print (what a PDF of the
 * workbook usually comes from): Excel ignores manual breaks on a sheet
 * fitted to pages wide, LibreOffice keeps them. LibreOffice gives a row of
 * the default height 12.75 points (Excel 15) and a column of width w about
 * 6% more than Excel does. */
#define LO_ROW_PX 17.0
#define LO_WIDTH 1.06
#define ORPHAN_ROWS 3         /* a block's first rows are not left alone at a page's foot */
#define PRINT_MIN_SCALE 0.62  /* fit to pages wide only down to this scale (7 points): */
				/* about 14 columns of 12 characters on one A4 page */

/* What a cell holds, for the widths and the header alignment. */
enum { K_NONE, K_TEXT, K_NUM, K_STAT, K_LINK, K_LABEL };

struct cell_info {
	uint8_t kind, width;
};

struct column_cells {
	struct cell_info *cells; /* by row */
	size_t cap;
};

struct table_rec {
	uint32_t header, last;
	uint16_t first_col, ncols;
	char **headers;
	bool *numeric;
	char *name;  /* for the CSV export */
	bool filler; /* no data rows: the one data row is sheet_table's empty filler */
};

/* --csv: the value written to a cell (the last one), by column and row. */
enum { V_NONE, V_TEXT, V_NUM, V_DATE };

struct kept_value {
	uint8_t kind;
	double num;  /* V_NUM: the number; V_DATE: the wr_date */
	char *text;  /* V_TEXT */
};

struct kept_column {
	struct kept_value *cells; /* by row */
	size_t cap;
};

struct wrap_rec {
	uint32_t row;
	uint16_t first_col, last_col;
	char *text;
	lxw_format *merge; /* a note written at sheet_finish, merged over the first columns */
};

struct chart_rec {
	uint32_t row;
	uint16_t col;
	uint32_t x_offset;
	double w, h; /* pixels */
};

struct row_height {
	uint32_t row;
	double pt;
};

struct sheet_layout {
	struct column_cells col[SHEET_MAX_COLS];
	struct table_rec *tables;
	size_t ntables, tables_cap;
	struct wrap_rec *wraps;
	size_t nwraps, wraps_cap;
	struct chart_rec *charts;
	size_t ncharts, charts_cap;
	uint32_t *blocks; /* the first rows of blocks (a heading and what follows) */
	size_t nblocks, blocks_cap;
	struct row_height *heights; /* rows of a height of their own, by row */
	size_t nheights;
	uint32_t max_row;
	uint16_t max_col;
	uint16_t helpers;
	struct kept_column *kept; /* SHEET_MAX_COLS columns, when the book exports CSV */
};

/* The exporter of the workbooks opened from now on (book_export_tables). */
static struct csv_export *export_target;

void book_export_tables(struct csv_export *x)
{
	export_target = x;
}

/* ---- the first failure ---- */

/* Remember the first libxlsxwriter call that failed, on sheet (NULL: the
 * workbook) while writing what (printf); book_close reports it. */
static void book_failed(struct book *b, const char *sheet, lxw_error e, const char *what, ...)
	__attribute__((format(printf, 4, 5)));

static void book_failed(struct book *b, const char *sheet, lxw_error e, const char *what, ...)
{
	if (e == LXW_NO_ERROR || b->failed != LXW_NO_ERROR)
		return;
	b->failed = e;
	snprintf(b->failed_sheet, sizeof(b->failed_sheet), "%s", sheet ? sheet : "");
	va_list ap;
	va_start(ap, what);
	vsnprintf(b->failed_what, sizeof(b->failed_what), what, ap);
	va_end(ap);
}

void sheet_check(struct sheet *s, lxw_error e, const char *what)
{
	book_failed(s->book, s->name, e, "%s", what);
}

/* A failed write to the cells row .. last_row, col .. last_col, named as
 * Excel names them ("cell B4", "merged cells A3:J3"). */
static void check_cells(struct sheet *s, lxw_error e, const char *what, uint32_t row,
			uint16_t col, uint32_t last_row, uint16_t last_col)
{
	if (e == LXW_NO_ERROR || s->book->failed != LXW_NO_ERROR)
		return;
	char first[LXW_MAX_CELL_NAME_LENGTH], last[LXW_MAX_CELL_NAME_LENGTH];
	lxw_rowcol_to_cell(first, row, col);
	lxw_rowcol_to_cell(last, last_row, last_col);
	if (row == last_row && col == last_col)
		book_failed(s->book, s->name, e, "%s %s", what, first);
	else
		book_failed(s->book, s->name, e, "%s %s:%s", what, first, last);
}

/* A failed setting of the columns first .. last ("column C", "columns GS:GT"). */
static void check_columns(struct sheet *s, lxw_error e, const char *what, uint16_t first,
			  uint16_t last)
{
	if (e == LXW_NO_ERROR || s->book->failed != LXW_NO_ERROR)
		return;
	char a[LXW_MAX_COL_NAME_LENGTH], z[LXW_MAX_COL_NAME_LENGTH];
	lxw_col_to_name(a, first, LXW_FALSE);
	lxw_col_to_name(z, last, LXW_FALSE);
	if (first == last)
		book_failed(s->book, s->name, e, "%s of column %s", what, a);
	else
		book_failed(s->book, s->name, e, "%s of columns %s:%s", what, a, z);
}

/* Every cell goes through these two. */
static void put_string(struct sheet *s, uint32_t row, uint16_t col, const char *text,
		       lxw_format *f)
{
	check_cells(s, worksheet_write_string(s->ws, row, col, text, f), "cell", row, col, row,
		    col);
}

static void put_number(struct sheet *s, uint32_t row, uint16_t col, double v, lxw_format *f)
{
	check_cells(s, worksheet_write_number(s->ws, row, col, v, f), "cell", row, col, row, col);
}

lxw_format *book_format(struct book *b)
{
	lxw_format *f = workbook_add_format(b->wb);
	if (!f)
		book_failed(b, NULL, LXW_ERROR_MEMORY_MALLOC_FAILED, "a cell format");
	return f;
}

/* The shared formats, made in this order (the order of the file's styles). */
static bool make_formats(struct book *b)
{
	lxw_format **all[] = {
		&b->title, &b->subtitle, &b->subtitle_wrap, &b->header, &b->header_indented,
		&b->header_num, &b->text, &b->wrap, &b->integer, &b->decimal1, &b->decimal2,
		&b->percent, &b->date, &b->plain, &b->decimal3, &b->bold, &b->link, &b->note,
		&b->note_wrap, &b->suppressed, &b->indented,
	};
	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		if (!(*all[i] = book_format(b)))
			return false;
	return true;
}

static void fmt(lxw_format *f, const char *num_format, bool bold)
{
	if (num_format)
		format_set_num_format(f, num_format);
	if (bold)
		format_set_bold(f);
}

/* libxlsxwriter prints its own errors on stderr; ours say the same in one
 * line, so its are hidden while it writes. Returns the saved stderr. */
static int mute_stderr(void)
{
	fflush(stderr);
	int saved = dup(STDERR_FILENO);
	int null = open("/dev/null", O_WRONLY | O_CLOEXEC);
	if (saved >= 0 && null >= 0) {
		wr_message_fd = saved;
		dup2(null, STDERR_FILENO);
	}
	if (null >= 0)
		close(null);
	return saved;
}

static void unmute_stderr(int saved)
{
	if (saved < 0)
		return;
	dup2(saved, STDERR_FILENO);
	wr_message_fd = STDERR_FILENO;
	close(saved);
}

enum wr_error book_open(struct book *b, const char *path, time_t created, const char *title,
			struct wr_errmsg *err)
{
	memset(b, 0, sizeof(*b));
	b->csv = export_target;
	int saved = mute_stderr();
	b->wb = workbook_new(path);
	unmute_stderr(saved);
	if (!b->wb)
		return wr_fail(err, WR_ERR_CANTCREAT, "cannot create workbook '%s'", path);
	lxw_doc_properties props = {
		.title = (char *)title,
		.author = "workforce-report",
		.created = created,
	};
	book_failed(b, NULL, workbook_set_properties(b->wb, &props), "document properties");
	if (!make_formats(b))
		return book_close(b, err);

	fmt(b->title, NULL, true);
	format_set_font_size(b->title, 16);
	format_set_font_color(b->subtitle, 0x595959);
	format_set_font_color(b->subtitle_wrap, 0x595959);
	format_set_text_wrap(b->subtitle_wrap);
	format_set_align(b->subtitle_wrap, LXW_ALIGN_VERTICAL_TOP);
	/* headers sit on their column: text left, numbers right, wrapped and
	 * down against the first row */
	fmt(b->header, NULL, true);
	format_set_text_wrap(b->header);
	format_set_align(b->header, LXW_ALIGN_LEFT);
	format_set_align(b->header, LXW_ALIGN_VERTICAL_BOTTOM);
	fmt(b->header_indented, NULL, true);
	format_set_text_wrap(b->header_indented);
	format_set_align(b->header_indented, LXW_ALIGN_LEFT);
	format_set_align(b->header_indented, LXW_ALIGN_VERTICAL_BOTTOM);
	format_set_indent(b->header_indented, 1);
	fmt(b->header_num, NULL, true);
	format_set_text_wrap(b->header_num);
	format_set_align(b->header_num, LXW_ALIGN_RIGHT);
	format_set_align(b->header_num, LXW_ALIGN_VERTICAL_BOTTOM);
	fmt(b->text, "@", false);
	fmt(b->wrap, "@", false);
	format_set_text_wrap(b->wrap);
	format_set_align(b->wrap, LXW_ALIGN_VERTICAL_TOP);
	fmt(b->integer, "#,##0", false);
	fmt(b->decimal1, "#,##0.0", false);
	fmt(b->decimal2, "#,##0.00", false);
	fmt(b->percent, "0.0%", false);
	fmt(b->date, "yyyy-mm-dd", false);
	fmt(b->plain, "0", false);
	fmt(b->decimal3, "0.000", false);
	fmt(b->bold, NULL, true);
	format_set_underline(b->link, LXW_UNDERLINE_SINGLE);
	format_set_font_color(b->link, LXW_COLOR_BLUE);
	format_set_italic(b->note);
	format_set_font_color(b->note, 0x595959);
	format_set_italic(b->note_wrap);
	format_set_font_color(b->note_wrap, 0x595959);
	format_set_text_wrap(b->note_wrap);
	format_set_align(b->note_wrap, LXW_ALIGN_VERTICAL_TOP);
	format_set_italic(b->suppressed);
	format_set_font_color(b->suppressed, 0x595959);
	format_set_align(b->suppressed, LXW_ALIGN_RIGHT);
	format_set_font_size(b->suppressed, 9);
	/* text beside a right-aligned number: kept apart from it */
	fmt(b->indented, "@", false);
	format_set_indent(b->indented, 1);
	/* a row with a wrapped cell reads from its top line */
	lxw_format *cells[] = {b->text, b->integer, b->decimal1, b->decimal2, b->decimal3,
			       b->percent, b->date, b->plain, b->bold, b->link, b->note,
			       b->suppressed, b->indented};
	for (size_t i = 0; i < sizeof(cells) / sizeof(cells[0]); i++)
		format_set_align(cells[i], LXW_ALIGN_VERTICAL_TOP);
	return WR_OK;
}

/* lxw_strerror's words without their full stop, in buf. */
static const char *lxw_words(lxw_error e, char *buf, size_t size)
{
	snprintf(buf, size, "%s", lxw_strerror(e));
	size_t n = strlen(buf);
	if (n && buf[n - 1] == '.')
		buf[n - 1] = '\0';
	return buf;
}

enum wr_error book_close(struct book *b, struct wr_errmsg *err)
{
	int saved = mute_stderr();
	errno = 0;
	lxw_error e = workbook_close(b->wb);
	int why = errno;
	unmute_stderr(saved);
	b->wb = NULL;
	char words[200];
	if (b->failed != LXW_NO_ERROR) {
		enum wr_error code =
			b->failed == LXW_ERROR_MEMORY_MALLOC_FAILED ? WR_ERR_NOMEM : WR_ERR_IO;
		lxw_words(b->failed, words, sizeof(words));
		if (b->failed_sheet[0])
			return wr_fail(err, code, "cannot write the workbook: sheet '%s', %s: %s",
				       b->failed_sheet, b->failed_what, words);
		return wr_fail(err, code, "cannot write the workbook: %s: %s", b->failed_what,
			       words);
	}
	if (e != LXW_NO_ERROR) {
		lxw_words(e, words, sizeof(words));
		if (why)
			return wr_fail(err, WR_ERR_IO, "cannot write the workbook: %s (%s)",
				       strerror(why), words);
		return wr_fail(err, WR_ERR_IO, "cannot write the workbook: %s", words);
	}
	return WR_OK;
}

/* ---- what was written where ---- */

static void record(struct sheet *s, uint32_t row, uint16_t col, uint8_t kind, double width)
{
	struct sheet_layout *l = s->lay;
	if (!l)
		return;
	if (row > l->max_row)
		l->max_row = row;
	if (col > l->max_col && col < HELPER_COL)
		l->max_col = col;
	if (col >= SHEET_MAX_COLS)
		return;
	struct column_cells *c = &l->col[col];
	if (row >= c->cap) {
		size_t old = c->cap;
		GROW(c->cells, c->cap, (size_t)row + 1);
		memset(c->cells + old, 0, (c->cap - old) * sizeof(*c->cells));
	}
	c->cells[row].kind = kind;
	c->cells[row].width = (uint8_t)(width > 255 ? 255 : width < 0 ? 0 : width);
}

static const struct cell_info *cell_at(const struct sheet_layout *l, uint32_t row, uint16_t col)
{
	static const struct cell_info none = {K_NONE, 0};
	if (col >= SHEET_MAX_COLS || row >= l->col[col].cap)
		return &none;
	return &l->col[col].cells[row];
}

/* ---- what each cell holds, for the CSV export (only when the book has one) ---- */

/* The cell's kept value, emptied for a new one; NULL when nothing is kept. */
static struct kept_value *kept_slot(struct sheet *s, uint32_t row, uint16_t col)
{
	struct sheet_layout *l = s->lay;
	if (!l || !s->book->csv || col >= SHEET_MAX_COLS)
		return NULL;
	if (!l->kept)
		l->kept = xcalloc(SHEET_MAX_COLS, sizeof(*l->kept));
	struct kept_column *c = &l->kept[col];
	if (row >= c->cap) {
		size_t old = c->cap;
		GROW(c->cells, c->cap, (size_t)row + 1);
		memset(c->cells + old, 0, (c->cap - old) * sizeof(*c->cells));
	}
	struct kept_value *v = &c->cells[row];
	free(v->text);
	memset(v, 0, sizeof(*v));
	return v;
}

/* Text as written to the cell ("" leaves it empty, as libxlsxwriter does). */
static void keep_text(struct sheet *s, uint32_t row, uint16_t col, const char *text)
{
	struct kept_value *v = kept_slot(s, row, col);
	if (v && text && text[0]) {
		v->kind = V_TEXT;
		v->text = xstrdup(text);
	}
}

static void keep_number(struct sheet *s, uint32_t row, uint16_t col, double num)
{
	struct kept_value *v = kept_slot(s, row, col);
	if (v) {
		v->kind = V_NUM;
		v->num = num;
	}
}

static void keep_date(struct sheet *s, uint32_t row, uint16_t col, wr_date d)
{
	struct kept_value *v = kept_slot(s, row, col);
	if (v) {
		v->kind = V_DATE;
		v->num = d;
	}
}

static const struct kept_value *kept_at(const struct sheet_layout *l, uint32_t row, uint16_t col)
{
	if (!l->kept || col >= SHEET_MAX_COLS || row >= l->kept[col].cap)
		return NULL;
	return &l->kept[col].cells[row];
}

/* The date of an Excel serial day (date_to_excel's inverse). */
static wr_date excel_date(double serial)
{
	double day = floor(serial) - 25569.0 + (serial < 61 ? 1.0 : 0.0);
	return (wr_date)day;
}

static bool in_table(const struct sheet_layout *l, uint32_t row, uint16_t col)
{
	for (size_t i = 0; i < l->ntables; i++) {
		const struct table_rec *t = &l->tables[i];
		if (row >= t->header && row <= t->last && col >= t->first_col &&
		    col < t->first_col + t->ncols)
			return true;
	}
	return false;
}

/* A column of a table is numeric when its rows hold numbers (or
 * suppressed statistics) and no text. */
static bool column_numeric(const struct sheet_layout *l, uint16_t col, uint32_t first,
			   uint32_t last)
{
	size_t numbers = 0;
	for (uint32_t r = first; r <= last; r++) {
		uint8_t k = cell_at(l, r, col)->kind;
		if (k == K_NUM || k == K_STAT)
			numbers++;
		else if (k != K_NONE)
			return false;
	}
	return numbers > 0;
}

/* Lines that text takes when wrapped at capacity characters. */
static unsigned wrap_lines(const char *text, double capacity)
{
	if (capacity < 1)
		capacity = 1;
	unsigned lines = 1;
	double used = 0;
	const char *p = text;
	while (*p) {
		if (*p == '\n') {
			lines++;
			used = 0;
			p++;
			continue;
		}
		if (*p == ' ') {
			p++;
			continue;
		}
		const char *q = p;
		while (*q && *q != ' ' && *q != '\n')
			q++;
		double w = (double)utf8_count(p, (size_t)(q - p));
		if (used > 0 && used + 1 + w > capacity) {
			lines++;
			used = 0;
		} else if (used > 0) {
			used += 1;
		}
		while (w > capacity) {
			w -= capacity;
			lines++;
		}
		used += w;
		p = q;
	}
	return lines;
}

static double longest_word(const char *text)
{
	double best = 0;
	const char *p = text;
	while (*p) {
		while (*p == ' ')
			p++;
		const char *q = p;
		while (*q && *q != ' ')
			q++;
		double w = (double)utf8_count(p, (size_t)(q - p));
		if (w > best)
			best = w;
		p = q;
	}
	return best;
}

/* The width a header asks of its column: on one line when short, else
 * wrapped on at most HEADER_MAX_LINES lines (a numeric column's, narrow,
 * one more), never splitting a word. */
static double header_need(const char *h, bool numeric)
{
	double len = (double)utf8_count(h, strlen(h));
	double soft = numeric ? NUM_HEADER_WIDTH : TEXT_HEADER_WIDTH;
	double hard = numeric ? NUM_MAX_WIDTH : TEXT_HEADER_MAX;
	if (len + FILTER_BUTTON <= soft)
		return len + FILTER_BUTTON;
	double w = longest_word(h) + FILTER_BUTTON;
	if (w < soft)
		w = soft;
	unsigned most = numeric ? HEADER_MAX_LINES + 1 : HEADER_MAX_LINES;
	while (w < hard && wrap_lines(h, w - FILTER_BUTTON) > most)
		w += 1;
	return w;
}

/* Pixels of a column width w (characters), as Excel and libxlsxwriter count. */
static double col_px(double w)
{
	if (w <= 0)
		return 0;
	if (w < 1)
		return floor(w * 12 + 0.5);
	return floor(w * 7 + 0.5) + 5;
}

/* A subtitle and the book's stamp after it ("... Data through 2026-06-26."). */
static const char *stamped(const struct book *b, const char *subtitle, char *buf, size_t size)
{
	if (!b->stamp[0] || (subtitle && strstr(subtitle, b->stamp)))
		return subtitle ? subtitle : "";
	snprintf(buf, size, "%s%s%s", subtitle ? subtitle : "", subtitle ? " " : "", b->stamp);
	return buf;
}

bool sheet_add(struct sheet *s, struct book *b, const char *name, const char *title,
	       const char *subtitle)
{
	memset(s, 0, sizeof(*s));
	s->book = b;
	s->name = name;
	/* workbook_add_worksheet says only NULL: the check says why */
	lxw_error e = workbook_validate_sheet_name(b->wb, name);
	if (e == LXW_NO_ERROR && !(s->ws = workbook_add_worksheet(b->wb, name)))
		e = LXW_ERROR_MEMORY_MALLOC_FAILED;
	if (e != LXW_NO_ERROR) {
		book_failed(b, name, e, "adding the worksheet");
		return false;
	}
	s->lay = xcalloc(1, sizeof(*s->lay));
	put_string(s, 0, 0, title, b->title);
	record(s, 0, 0, K_LABEL, 0);
	keep_text(s, 0, 0, title);
	sheet_row_height(s, 0, TITLE_PT);
	char line[1024];
	if (subtitle || b->stamp[0]) {
		put_string(s, 1, 0, stamped(b, subtitle, line, sizeof(line)), b->subtitle);
		record(s, 1, 0, K_LABEL, 0);
		keep_text(s, 1, 0, stamped(b, subtitle, line, sizeof(line)));
	}
	return true;
}

void sheet_row_height(struct sheet *s, uint32_t row, double pt)
{
	book_failed(s->book, s->name, worksheet_set_row(s->ws, row, pt, NULL), "height of row %lu",
		    (unsigned long)row + 1);
}

void sheet_min_width(struct sheet *s, uint16_t col, double w)
{
	if (col < SHEET_MAX_COLS && s->width[col] < w)
		s->width[col] = w;
}

void sheet_fix_width(struct sheet *s, uint16_t col, double w)
{
	if (col < SHEET_MAX_COLS)
		s->fixed[col] = w;
}

uint16_t sheet_helper_column(struct sheet *s)
{
	return (uint16_t)(HELPER_COL + s->lay->helpers++);
}

uint16_t sheet_year_labels(struct sheet *s, uint32_t first, const int *years, size_t n)
{
	uint16_t col = sheet_helper_column(s);
	for (size_t i = 0; i < n; i++) {
		if (i > 0 && years[i] == years[i - 1])
			continue;
		char year[16];
		snprintf(year, sizeof(year), "%d", years[i]);
		put_string(s, first + (uint32_t)i, col, year, NULL);
	}
	return col;
}

uint16_t sheet_month_labels(struct sheet *s, uint32_t first, int months, int step)
{
	uint16_t col = sheet_helper_column(s);
	for (int m = 0; m <= months; m += step > 0 ? step : 1) {
		char label[16];
		snprintf(label, sizeof(label), "%d", m);
		put_string(s, first + (uint32_t)m, col, label, NULL);
	}
	return col;
}

/* ---- sheet_finish ---- */

/* The width of each column: a table column from its header and its cells
 * (numbers capped), other cells as they need (a sentence of ours never, a
 * text only when something beside it would cut it off). */
static void column_widths(const struct sheet *s, double *w, bool *set)
{
	const struct sheet_layout *l = s->lay;
	for (uint16_t c = 0; c < SHEET_MAX_COLS; c++) {
		w[c] = 0;
		set[c] = false;
	}
	for (size_t i = 0; i < l->ntables; i++) {
		const struct table_rec *t = &l->tables[i];
		for (uint16_t j = 0; j < t->ncols; j++) {
			uint16_t c = (uint16_t)(t->first_col + j);
			if (c >= SHEET_MAX_COLS)
				break;
			double data = 0;
			for (uint32_t r = t->header + 1; r <= t->last; r++) {
				const struct cell_info *ci = cell_at(l, r, c);
				if (ci->kind != K_NONE && ci->kind != K_LABEL && ci->width > data)
					data = ci->width;
			}
			double need = t->numeric[j] ? fmin(data + 1.5, NUM_MAX_WIDTH)
						    : fmin(data + 2, TEXT_MAX_WIDTH);
			double h = header_need(t->headers[j], t->numeric[j]);
			if (h > need)
				need = h;
			if (need > w[c])
				w[c] = need;
		}
	}
	for (uint16_t c = 0; c < SHEET_MAX_COLS; c++) {
		const struct column_cells *cc = &l->col[c];
		for (uint32_t r = 0; r < cc->cap; r++) {
			const struct cell_info *ci = &cc->cells[r];
			if (ci->kind == K_NONE || ci->kind == K_LABEL || in_table(l, r, c))
				continue;
			if (ci->kind == K_TEXT && cell_at(l, r, (uint16_t)(c + 1))->kind == K_NONE)
				continue; /* free to run over the empty cell beside it */
			double need = fmin(ci->width + 2.0, TEXT_MAX_WIDTH);
			if (need > w[c])
				w[c] = need;
		}
		if (s->width[c] > 0 && s->width[c] + 2 > w[c])
			w[c] = s->width[c] + 2;
		if (s->fixed[c] > 0)
			w[c] = s->fixed[c];
		set[c] = w[c] > 0;
		if (!set[c])
			w[c] = DEFAULT_WIDTH;
	}
}

static int by_row(const void *a, const void *b)
{
	const struct row_height *x = a, *y = b;
	if (x->row != y->row)
		return x->row < y->row ? -1 : 1;
	return x->pt < y->pt ? -1 : x->pt > y->pt;
}

/* Header rows and wrapped text as tall as their text (the tallest cell of
 * a row). */
static void row_heights(struct sheet *s, const double *w)
{
	struct sheet_layout *l = s->lay;
	size_t n = 0, cap = 0;
	struct row_height *h = NULL;
	for (size_t i = 0; i < l->ntables; i++) {
		const struct table_rec *t = &l->tables[i];
		unsigned lines = 1;
		for (uint16_t j = 0; j < t->ncols; j++) {
			uint16_t c = (uint16_t)(t->first_col + j);
			double width = c < SHEET_MAX_COLS ? w[c] : DEFAULT_WIDTH;
			unsigned k = wrap_lines(t->headers[j], width - FILTER_BUTTON);
			if (k > lines)
				lines = k;
		}
		GROW(h, cap, n + 1);
		h[n++] = (struct row_height){t->header, LINE_PT * lines + 1};
	}
	for (size_t i = 0; i < l->nwraps; i++) {
		const struct wrap_rec *r = &l->wraps[i];
		double width = 0;
		for (uint16_t c = r->first_col; c <= r->last_col; c++)
			width += c < SHEET_MAX_COLS ? w[c] : DEFAULT_WIDTH;
		/* running text is narrower than the digit a width counts */
		unsigned lines = wrap_lines(r->text, width * 1.2 - 1);
		GROW(h, cap, n + 1);
		h[n++] = (struct row_height){r->row, LINE_PT * lines + 2};
	}
	GROW(h, cap, n + 1);
	h[n++] = (struct row_height){0, TITLE_PT};
	if (n)
		qsort(h, n, sizeof(*h), by_row);
	/* the tallest of a row comes last: keep it, set it */
	size_t kept = 0;
	for (size_t i = 0; i < n; i++) {
		if (i + 1 < n && h[i + 1].row == h[i].row)
			continue;
		if (h[i].pt <= LINE_PT + 2)
			continue;
		h[kept++] = h[i];
		if (h[i].row > 0)
			sheet_row_height(s, h[i].row, h[i].pt);
	}
	l->heights = h;
	l->nheights = kept;
}

/* A row's height in pixels. */
static double row_px(const struct sheet_layout *l, uint32_t row)
{
	size_t lo = 0, hi = l->nheights;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (l->heights[mid].row < row)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < l->nheights && l->heights[lo].row == row)
		return floor(l->heights[lo].pt * 4.0 / 3.0);
	return LO_ROW_PX;
}

/* The first row of the block holding row (0 when none). */
static uint32_t block_of(const struct sheet_layout *l, uint32_t row)
{
	uint32_t start = 0;
	for (size_t i = 0; i < l->nblocks; i++)
		if (l->blocks[i] <= row && l->blocks[i] > start)
			start = l->blocks[i];
	return start;
}

/* The first block after row (or end + 1). */
static uint32_t next_block(const struct sheet_layout *l, uint32_t row, uint32_t end)
{
	uint32_t next = end + 1;
	for (size_t i = 0; i < l->nblocks; i++)
		if (l->blocks[i] > row && l->blocks[i] < next)
			next = l->blocks[i];
	return next;
}

static double rows_px(const struct sheet_layout *l, uint32_t first, uint32_t last)
{
	double px = 0;
	for (uint32_t r = first; r <= last && r >= first; r++)
		px += row_px(l, r);
	return px;
}

/* Page breaks at the given print scale: a block (a heading, its notes,
 * table and chart) that fits on a page starts a new page rather than
 * straddle one; within a longer block a page never ends inside a chart or
 * just under a heading. Rows 0 and 1 repeat on every page. A sheet
 * without headings (the Summary) gets none. */
static void paginate(struct sheet *s, uint32_t last_row, double scale)
{
	struct sheet_layout *l = s->lay;
	double page = PRINT_HEIGHT_PX / scale - row_px(l, 0) - row_px(l, 1);
	if (page < 10 * LO_ROW_PX || last_row < 3)
		return;
	lxw_row_t *breaks = NULL;
	size_t n = 0, cap = 0;
	double used = 0;
	uint32_t top = 2; /* the first row of this page */
	for (uint32_t r = 2; r <= last_row; r++) {
		double h = row_px(l, r);
		uint32_t b = 0;
		if (r > top && block_of(l, r) == r) {
			uint32_t end = next_block(l, r, last_row) - 1;
			double block = rows_px(l, r, end);
			if (used + block > page && block <= page)
				b = r;
		}
		if (!b && r > top && used + h > page) {
			b = r;
			/* not inside a chart, not right under a heading */
			for (size_t i = 0; i < l->ncharts; i++) {
				const struct chart_rec *c = &l->charts[i];
				uint32_t bottom = c->row + (uint32_t)ceil(c->h / LO_ROW_PX) - 1;
				if (c->row < b && bottom >= r && c->row > top)
					b = c->row;
			}
			uint32_t start = block_of(l, b);
			if (start > top && b - start <= ORPHAN_ROWS)
				b = start;
		}
		if (b) {
			if (n + 1 >= LXW_BREAKS_MAX)
				break;
			GROW(breaks, cap, n + 2);
			breaks[n++] = b;
			top = b;
			used = b < r ? rows_px(l, b, r - 1) : 0;
		}
		used += h;
	}
	if (n) {
		breaks[n] = 0;
		sheet_check(s, worksheet_set_h_pagebreaks(s->ws, breaks), "page breaks");
	}
	free(breaks);
}

/* The last column a chart covers, from its anchor and the final widths. */
static uint16_t chart_last_col(const struct chart_rec *c, const double *w)
{
	double x = (double)c->x_offset + c->w;
	uint32_t col = c->col;
	for (;;) {
		double px = col_px(col < SHEET_MAX_COLS ? w[col] : DEFAULT_WIDTH);
		if (x <= px || col >= HELPER_COL - 1)
			break;
		x -= px;
		col++;
	}
	return (uint16_t)col;
}

/* The last row and column of what the sheet holds: cells, tables, charts
 * (the print area). */
static void content_extent(const struct sheet *s, const double *w, uint32_t *row, uint16_t *col)
{
	const struct sheet_layout *l = s->lay;
	uint32_t last_row = l->max_row;
	uint16_t last_col = l->max_col;
	for (size_t i = 0; i < l->ntables; i++) {
		const struct table_rec *t = &l->tables[i];
		if (t->last > last_row)
			last_row = t->last;
		if (t->first_col + t->ncols - 1 > last_col)
			last_col = (uint16_t)(t->first_col + t->ncols - 1);
	}
	for (size_t i = 0; i < l->ncharts; i++) {
		const struct chart_rec *c = &l->charts[i];
		uint32_t bottom = c->row + layout_rows_for(c->h) - 1;
		uint16_t right = chart_last_col(c, w);
		if (bottom > last_row)
			last_row = bottom;
		if (right > last_col)
			last_col = right;
	}
	*row = last_row;
	*col = last_col;
}

static void print_setup(struct sheet *s, const double *w)
{
	uint32_t last_row;
	uint16_t last_col;
	content_extent(s, w, &last_row, &last_col);
	struct sheet_layout *l = s->lay;
	lxw_worksheet *ws = s->ws;
	sheet_check(s, worksheet_print_area(ws, 0, 0, last_row, last_col), "print area");
	if (!ws->repeat_rows.in_use && last_row >= 2)
		sheet_check(s, worksheet_repeat_rows(ws, 0, 1), "title rows repeated on each page");
	worksheet_set_landscape(ws);
	worksheet_set_paper(ws, 9); /* A4 */
	double px = 0;
	for (uint16_t c = 0; c <= last_col; c++)
		px += col_px(c < SHEET_MAX_COLS ? w[c] : DEFAULT_WIDTH);
	/* one page wide while the print stays legible, else two (printed
	 * across before down, so that a table's parts follow each other), else
	 * at full size over as many as it takes; scale is what that comes to,
	 * about, for the page breaks */
	double scale = 1, lo = px * LO_WIDTH;
	if (PRINT_WIDTH_PX / px >= PRINT_MIN_SCALE) {
		worksheet_fit_to_pages(ws, 1, 0);
		scale = fmin(1, PRINT_WIDTH_PX / lo);
	} else {
		worksheet_print_across(ws);
		if (2 * PRINT_WIDTH_PX / px >= PRINT_MIN_SCALE) {
			worksheet_fit_to_pages(ws, 2, 0);
			scale = fmin(1, 2 * PRINT_WIDTH_PX / lo);
		}
	}
	if (l->nblocks) /* a sheet laid out in blocks (the writers with headings) */
		paginate(s, last_row, scale);
	sheet_check(s, worksheet_set_header(ws, "&LWorkforce report&RConfidential \u2014 HR data"),
		    "page header");
	sheet_check(s, worksheet_set_footer(ws, "&L&A&CPage &P of &N&RConfidential \u2014 HR data"),
		    "page footer");
}

/* Notes over as many of columns A to J as fit in the first screen width,
 * and no further than the tables and charts go (the print area): merged,
 * wrapped (their height follows in row_heights). */
static void place_notes(struct sheet *s, const double *w)
{
	struct sheet_layout *l = s->lay;
	uint32_t last_row;
	uint16_t last_col;
	content_extent(s, w, &last_row, &last_col);
	for (size_t i = 0; i < l->nwraps; i++) {
		struct wrap_rec *r = &l->wraps[i];
		if (!r->merge)
			continue;
		uint16_t last = 0;
		double px = col_px(w[0]);
		while (last + 1 < SHEET_NOTE_COLS && last + 1 <= last_col &&
		       px + col_px(w[last + 1]) <= NOTE_PX)
			px += col_px(w[++last]);
		r->last_col = last;
		if (last == 0)
			put_string(s, r->row, 0, r->text, r->merge);
		else
			sheet_merge(s, r->row, 0, last, r->text, r->merge);
	}
}

static void free_layout(struct sheet *s)
{
	struct sheet_layout *l = s->lay;
	if (!l)
		return;
	for (uint16_t c = 0; c < SHEET_MAX_COLS; c++)
		free(l->col[c].cells);
	for (size_t i = 0; i < l->ntables; i++) {
		for (uint16_t j = 0; j < l->tables[i].ncols; j++)
			free(l->tables[i].headers[j]);
		free(l->tables[i].headers);
		free(l->tables[i].numeric);
		free(l->tables[i].name);
	}
	if (l->kept) {
		for (uint16_t c = 0; c < SHEET_MAX_COLS; c++) {
			for (size_t r = 0; r < l->kept[c].cap; r++)
				free(l->kept[c].cells[r].text);
			free(l->kept[c].cells);
		}
		free(l->kept);
	}
	free(l->tables);
	for (size_t i = 0; i < l->nwraps; i++)
		free(l->wraps[i].text);
	free(l->wraps);
	free(l->charts);
	free(l->blocks);
	free(l->heights);
	free(l);
	s->lay = NULL;
}

/* --csv: each table, header row first, as its cells hold it, to the book's
 * exporter; an empty table's filler row is left out. */
static void export_tables(struct sheet *s)
{
	const struct sheet_layout *l = s->lay;
	struct csv_export *x = s->book->csv;
	if (!x)
		return;
	for (size_t i = 0; i < l->ntables; i++) {
		const struct table_rec *t = &l->tables[i];
		size_t nrows = (size_t)(t->last - t->header) + 1;
		struct csv_cell *cells = xcalloc(nrows * t->ncols, sizeof(*cells));
		size_t out = 0;
		for (uint32_t r = t->header; r <= t->last; r++) {
			struct csv_cell *row = &cells[out * t->ncols];
			bool any = false;
			for (uint16_t j = 0; j < t->ncols; j++) {
				const struct kept_value *v =
					kept_at(l, r, (uint16_t)(t->first_col + j));
				uint8_t kind = v ? v->kind : V_NONE;
				row[j] = (struct csv_cell){
					.kind = kind == V_TEXT ? CSV_TEXT
						: kind == V_NUM ? CSV_NUMBER
						: kind == V_DATE ? CSV_DATE : CSV_EMPTY,
					.num = v ? v->num : 0,
					.text = v ? v->text : NULL,
				};
				any = any || kind != V_NONE;
			}
			if (r > t->header && t->filler && !any)
				continue;
			out++;
		}
		csv_export_table(x, t->name, cells, out, t->ncols);
		free(cells);
	}
}

void sheet_finish(struct sheet *s)
{
	struct sheet_layout *l = s->lay;
	if (!s->ws || !l) {
		free_layout(s);
		return;
	}
	double w[SHEET_MAX_COLS];
	bool set[SHEET_MAX_COLS];
	column_widths(s, w, set);
	for (uint16_t c = 0; c < SHEET_MAX_COLS; c++)
		if (set[c])
			check_columns(s, worksheet_set_column(s->ws, c, c, w[c], NULL), "width", c,
				      c);
	if (l->helpers) {
		lxw_row_col_options hidden = {.hidden = LXW_TRUE};
		uint16_t last = (uint16_t)(HELPER_COL + l->helpers - 1);
		check_columns(s,
			      worksheet_set_column_opt(s->ws, HELPER_COL, last, DEFAULT_WIDTH, NULL,
						       &hidden),
			      "hiding the chart data", HELPER_COL, last);
	}
	place_notes(s, w);
	row_heights(s, w);
	/* the first table's header stays on screen (unless the writer froze
	 * panes of its own, or the table starts too far down for its header
	 * to be worth a third of the screen) */
	if (s->ws->panes.type == NO_PANES && l->ntables) {
		uint32_t top = l->tables[0].header;
		for (size_t i = 1; i < l->ntables; i++)
			if (l->tables[i].header < top)
				top = l->tables[i].header;
		if (top <= FREEZE_MAX_ROW)
			worksheet_freeze_panes(s->ws, top + 1, 0);
	}
	print_setup(s, w);
	export_tables(s);
	free_layout(s);
}

void sheet_absent(struct sheet *s, const char *why)
{
	sheet_text(s, 3, 0, why, s->book->note);
	sheet_finish(s);
}

/* ---- cells ---- */

/* Copy text with control characters (but tab and newline) replaced by U+FFFD,
 * so that the XML stays well formed. Input text is valid UTF-8 already. */
static char *clean_text(const char *text, size_t len)
{
	char *out = xmalloc(len * 3 + 1);
	size_t o = 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)text[i];
		if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7F) {
			memcpy(out + o, "\xEF\xBF\xBD", 3);
			o += 3;
		} else {
			out[o++] = (char)c;
		}
	}
	out[o] = '\0';
	return out;
}

void sheet_textn(struct sheet *s, uint32_t row, uint16_t col, const char *text, size_t len,
		 lxw_format *f)
{
	struct book *b = s->book;
	char *clean = clean_text(text, len);
	if (!f) {
		/* text right of a right-aligned number: kept apart from it */
		uint8_t left = col ? cell_at(s->lay, row, (uint16_t)(col - 1))->kind : K_NONE;
		f = left == K_NUM || left == K_STAT ? b->indented : b->text;
	}
	/* worksheet_write_string always makes a string cell: a leading '=' stays text */
	put_string(s, row, col, clean, f);
	bool ours = f == b->wrap || f == b->title || f == b->subtitle || f == b->note ||
		    f == b->note_wrap || f == b->subtitle_wrap;
	record(s, row, col, ours ? K_LABEL : K_TEXT, (double)utf8_count(clean, strlen(clean)));
	keep_text(s, row, col, clean);
	free(clean);
}

void sheet_text_wrap(struct sheet *s, uint32_t row, uint16_t col, const char *text)
{
	struct sheet_layout *l = s->lay;
	char *clean = clean_text(text, strlen(text));
	put_string(s, row, col, clean, s->book->wrap);
	record(s, row, col, K_TEXT, fmin((double)utf8_count(clean, strlen(clean)), WRAP_WIDTH - 2));
	keep_text(s, row, col, clean);
	GROW(l->wraps, l->wraps_cap, l->nwraps + 1);
	l->wraps[l->nwraps++] = (struct wrap_rec){row, col, col, clean, NULL};
}

void sheet_text(struct sheet *s, uint32_t row, uint16_t col, const char *text, lxw_format *f)
{
	sheet_textn(s, row, col, text, strlen(text), f);
}

void sheet_label(struct sheet *s, uint32_t row, uint16_t col, const char *text)
{
	put_string(s, row, col, text, s->book->text);
	record(s, row, col, K_LABEL, 0);
	keep_text(s, row, col, text);
}

/* row starts a block, unless the row above does (a heading, then notes). */
static void block_start(struct sheet *s, uint32_t row)
{
	struct sheet_layout *l = s->lay;
	if (l->nblocks && l->blocks[l->nblocks - 1] + 1 >= row &&
	    l->blocks[l->nblocks - 1] <= row)
		return;
	if (l->nblocks && cell_at(l, row - 1, 0)->kind == K_LABEL && row > 2 &&
	    block_of(l, row - 1) + ORPHAN_ROWS >= row)
		return; /* a note under a heading: the heading's block */
	GROW(l->blocks, l->blocks_cap, l->nblocks + 1);
	l->blocks[l->nblocks++] = row;
}

void sheet_heading(struct sheet *s, uint32_t row, const char *text)
{
	put_string(s, row, 0, text, s->book->bold);
	block_start(s, row);
	record(s, row, 0, K_LABEL, 0);
	keep_text(s, row, 0, text);
}

static void wrapped(struct sheet *s, uint32_t row, const char *text, lxw_format *f)
{
	struct sheet_layout *l = s->lay;
	char *clean = clean_text(text, strlen(text));
	/* written by sheet_finish, once the widths say how many columns fit */
	if (row > 1)
		block_start(s, row);
	record(s, row, 0, K_LABEL, 0);
	keep_text(s, row, 0, clean);
	GROW(l->wraps, l->wraps_cap, l->nwraps + 1);
	l->wraps[l->nwraps++] = (struct wrap_rec){row, 0, 0, clean, f};
}

uint32_t sheet_note(struct sheet *s, uint32_t row, const char *text, lxw_format *f)
{
	wrapped(s, row, text, f ? f : s->book->note_wrap);
	return row + 1;
}

void sheet_subtitle(struct sheet *s, const char *text)
{
	char line[1024];
	wrapped(s, 1, stamped(s->book, text, line, sizeof(line)), s->book->subtitle_wrap);
}

void sheet_number(struct sheet *s, uint32_t row, uint16_t col, double v, enum cell_kind kind)
{
	if (!isfinite(v))
		return; /* never write NaN or infinity: Excel rejects the file */
	struct book *b = s->book;
	lxw_format *f = b->integer;
	switch (kind) {
	case CELL_DEC1: f = b->decimal1; break;
	case CELL_DEC2: f = b->decimal2; break;
	case CELL_PCT: f = b->percent; break;
	case CELL_DATE: f = b->date; break;
	case CELL_YEAR: f = b->plain; break;
	case CELL_DEC3: f = b->decimal3; break;
	default: break;
	}
	put_number(s, row, col, v, f);
	if (kind == CELL_DATE)
		keep_date(s, row, col, excel_date(v));
	else
		keep_number(s, row, col, v);
	char buf[64];
	int n = snprintf(buf, sizeof(buf), kind == CELL_INT ? "%.0f" : "%.2f",
			 kind == CELL_PCT ? v * 100 : v);
	record(s, row, col, K_NUM, n + (kind == CELL_INT ? n / 3 : 1));
}

const char *suppressed_words(int min_group, char *buf, size_t size)
{
	snprintf(buf, size, "suppressed (n<%d)", min_group);
	return buf;
}

void sheet_stat_words(struct sheet *s, uint32_t row, uint16_t col, const char *words)
{
	put_string(s, row, col, words, s->book->suppressed);
	keep_text(s, row, col, words);
	/* small italic letters are narrower than the digits a width counts */
	record(s, row, col, K_STAT, (double)strlen(words) * 0.72);
}

void sheet_stat(struct sheet *s, uint32_t row, uint16_t col, double v, enum cell_kind kind,
		bool shown, int min_group)
{
	if (shown) {
		sheet_number(s, row, col, v, kind);
		return;
	}
	char words[48];
	sheet_stat_words(s, row, col, suppressed_words(min_group, words, sizeof(words)));
}

void sheet_put_number(struct sheet *s, uint32_t row, uint16_t col, double v, lxw_format *f)
{
	put_number(s, row, col, v, f);
}

void sheet_merge(struct sheet *s, uint32_t row, uint16_t first_col, uint16_t last_col,
		 const char *text, lxw_format *f)
{
	check_cells(s, worksheet_merge_range(s->ws, row, first_col, row, last_col, text, f),
		    "merged cells", row, first_col, row, last_col);
}

void sheet_pair(struct sheet *s, uint32_t row, const char *label, double v, enum cell_kind kind)
{
	sheet_text(s, row, 0, label, NULL);
	sheet_number(s, row, 1, v, kind);
}

void sheet_date(struct sheet *s, uint32_t row, uint16_t col, wr_date d)
{
	if (d == WR_DATE_NONE || d == WR_DATE_OPEN)
		return;
	put_number(s, row, col, date_to_excel(d), s->book->date);
	record(s, row, col, K_NUM, 10);
	keep_date(s, row, col, d);
}

void sheet_link(struct sheet *s, uint32_t row, uint16_t col, const char *sheet_name,
		const char *text)
{
	char url[128];
	snprintf(url, sizeof(url), "internal:'%s'!A1", sheet_name);
	check_cells(s, worksheet_write_url_opt(s->ws, row, col, url, s->book->link, text, NULL),
		    "link in cell", row, col, row, col);
	record(s, row, col, K_LINK, (double)strlen(text));
	keep_text(s, row, col, text);
}

/* ---- tables ---- */

static void add_table(struct sheet *s, const char *name, uint32_t first_row, uint16_t first_col,
		      uint32_t last_row, const char *const *headers, uint16_t ncols,
		      const char *total)
{
	struct sheet_layout *l = s->lay;
	bool filler = last_row <= first_row;
	if (last_row <= first_row)
		last_row = first_row + 1; /* a table needs a data row */
	if (total && last_row < first_row + 2)
		total = NULL; /* and a total row one above it */
	uint32_t data_last = total ? last_row - 1 : last_row;
	lxw_table_column *cols = xcalloc(ncols, sizeof(*cols));
	lxw_table_column **list = xcalloc((size_t)ncols + 1, sizeof(*list));
	struct table_rec t = {
		.header = first_row, .last = last_row, .first_col = first_col, .ncols = ncols,
		.headers = xcalloc(ncols, sizeof(char *)), .numeric = xcalloc(ncols, sizeof(bool)),
		.name = xstrdup(name), .filler = filler,
	};
	for (uint16_t c = 0; c < ncols; c++) {
		uint16_t col = (uint16_t)(first_col + c);
		t.numeric[c] = column_numeric(l, col, first_row + 1, data_last);
		t.headers[c] = xstrdup(headers[c]);
		cols[c].header = (char *)headers[c];
		cols[c].header_format = t.numeric[c]		 ? s->book->header_num
					: c > 0 && t.numeric[c - 1] ? s->book->header_indented
								    : s->book->header;
		if (c == 0 && total)
			cols[c].total_string = (char *)total;
		list[c] = &cols[c];
		record(s, first_row, col, K_LABEL, 0);
		keep_text(s, first_row, col, headers[c]);
	}
	lxw_table_options opts = {
		.name = (char *)name,
		.style_type = LXW_TABLE_STYLE_TYPE_MEDIUM,
		.style_type_number = 2,
		.total_row = total ? LXW_TRUE : LXW_FALSE,
		.columns = list,
	};
	book_failed(s->book, s->name,
		    worksheet_add_table(s->ws, first_row, first_col, last_row,
					(uint16_t)(first_col + ncols - 1), &opts),
		    "table %s", name);
	if (total) {
		/* libxlsxwriter writes the label plain: ours is bold, like the style's */
		put_string(s, last_row, first_col, total, s->book->bold);
		record(s, last_row, first_col, K_TEXT, (double)utf8_count(total, strlen(total)));
		keep_text(s, last_row, first_col, total);
	}
	GROW(l->tables, l->tables_cap, l->ntables + 1);
	l->tables[l->ntables++] = t;
	free(list);
	free(cols);
}

void sheet_table(struct sheet *s, const char *name, uint32_t first_row, uint16_t first_col,
		 uint32_t last_row, const char *const *headers, uint16_t ncols)
{
	add_table(s, name, first_row, first_col, last_row, headers, ncols, NULL);
}

void sheet_table_total(struct sheet *s, const char *name, uint32_t first_row, uint16_t first_col,
		       uint32_t last_row, const char *const *headers, uint16_t ncols,
		       const char *total_label)
{
	add_table(s, name, first_row, first_col, last_row, headers, ncols, total_label);
}

/* ---- charts ---- */

static void insert_chart(struct sheet *s, lxw_chart *chart, const char *title, uint32_t row,
			 uint16_t col, double x_scale, double y_scale, uint32_t x_offset)
{
	struct sheet_layout *l = s->lay;
	x_scale = x_scale > 0 ? x_scale : 1;
	y_scale = y_scale > 0 ? y_scale : 1;
	lxw_chart_options opt = {.x_scale = x_scale, .y_scale = y_scale, .x_offset = (int32_t)x_offset};
	book_failed(s->book, s->name, worksheet_insert_chart_opt(s->ws, row, col, chart, &opt),
		    "chart '%s'", title ? title : "");
	GROW(l->charts, l->charts_cap, l->ncharts + 1);
	l->charts[l->ncharts++] = (struct chart_rec){row, col, x_offset, LAYOUT_CHART_W * x_scale,
						      LAYOUT_CHART_H * y_scale};
}

/* Rows a chart scaled y_scale high (0: 1) covers. */
static uint32_t rows_for_scale(double y_scale)
{
	return layout_rows_for(LAYOUT_CHART_H * (y_scale > 0 ? y_scale : 1));
}

uint32_t chart_rows(const struct chart_spec *c)
{
	return rows_for_scale(c->y_scale);
}

lxw_chart *sheet_new_chart(struct sheet *s, uint8_t type, lxw_chart_series **series, size_t n)
{
	lxw_chart *chart = workbook_add_chart(s->book->wb, type);
	for (size_t k = 0; chart && k < n; k++)
		if (!(series[k] = chart_add_series(chart, NULL, NULL)))
			chart = NULL;
	if (!chart)
		book_failed(s->book, s->name, LXW_ERROR_MEMORY_MALLOC_FAILED, "a chart");
	return chart;
}

/* The title, the axes and the legend as c says. */
static void chart_axes(lxw_chart *chart, const struct chart_spec *c)
{
	chart_title_set_name(chart, c->title);
	/* in a bar chart the categories run up the side: libxlsxwriter's y axis */
	bool bar = c->type == LXW_CHART_BAR || c->type == LXW_CHART_BAR_STACKED ||
		   c->type == LXW_CHART_BAR_STACKED_PERCENT;
	lxw_chart_axis *category = bar ? chart->y_axis : chart->x_axis;
	lxw_chart_axis *value = bar ? chart->x_axis : chart->y_axis;
	chart_axis_set_name(category, c->x_title);
	chart_axis_set_name(value, c->y_title);
	if (c->y_format)
		chart_axis_set_num_format(value, c->y_format);
	/* bars, columns and lines measure from 0; libxlsxwriter 1.1.4 refuses a
	 * minimum on an area chart's value axis (its areas start at 0 anyway) */
	bool area = c->type == LXW_CHART_AREA || c->type == LXW_CHART_AREA_STACKED ||
		    c->type == LXW_CHART_AREA_STACKED_PERCENT;
	if (c->back_to_back) {
		chart_axis_set_min(value, -c->y_max);
		chart_axis_set_label_position(category, LXW_CHART_AXIS_LABEL_POSITION_LOW);
		chart_set_series_overlap(chart, 100);
	} else if (!area) {
		chart_axis_set_min(value, 0);
	}
	if (c->y_max > 0)
		chart_axis_set_max(value, c->y_max);
	if (c->label_every)
		chart_axis_set_interval_unit(category, c->label_every);
	if (c->reverse)
		chart_axis_set_reverse(category);
	if (c->gap)
		chart_set_series_gap(chart, c->gap);
	chart_legend_set_position(chart, c->legend ? LXW_CHART_LEGEND_BOTTOM
						   : LXW_CHART_LEGEND_NONE);
}

void sheet_chart(struct sheet *s, const struct chart_spec *c, uint32_t row, uint16_t col)
{
	lxw_chart_series *series[CHART_MAX_SERIES];
	if (c->nseries > CHART_MAX_SERIES) {
		book_failed(s->book, s->name, LXW_ERROR_PARAMETER_VALIDATION,
			    "chart '%s' of %zu series", c->title ? c->title : "", c->nseries);
		return;
	}
	lxw_chart *chart = sheet_new_chart(s, c->type, series, c->nseries);
	if (!chart)
		return;
	for (size_t k = 0; k < c->nseries; k++) {
		lxw_chart_series *ser = series[k];
		uint32_t down = c->offsets ? c->offsets[k] : 0;
		chart_series_set_categories(ser, s->name, c->header + 1, c->categories, c->last,
					    c->categories);
		chart_series_set_values(ser, s->name, c->header + 1 + down, c->columns[k],
					c->last + down, c->columns[k]);
		if (c->names)
			chart_series_set_name(ser, c->names[k]);
		else
			chart_series_set_name_range(ser, s->name, c->header, c->columns[k]);
		if (c->lines) {
			lxw_chart_line line = c->lines[k];
			chart_series_set_line(ser, &line);
		}
		if (c->markers)
			chart_series_set_marker_type(ser, c->markers[k]);
	}
	chart_axes(chart, c);
	/* figures in hidden helper columns are drawn */
	bool hidden = c->categories >= HELPER_COL;
	for (size_t k = 0; k < c->nseries; k++)
		hidden = hidden || c->columns[k] >= HELPER_COL;
	if (hidden)
		chart_show_hidden_data(chart);
	insert_chart(s, chart, c->title, row, col, c->x_scale, c->y_scale, c->x_offset);
}

uint32_t sheet_table_chart(struct sheet *s, const struct chart_spec *c, uint32_t first,
			   uint32_t last, uint16_t ncols)
{
	struct layout_spot at = layout_chart(first, last, 0, ncols, chart_rows(c));
	sheet_chart(s, c, at.row, at.col);
	return at.next_row;
}

void interval_begin(struct sheet *s, struct interval_data *d)
{
	d->col = sheet_helper_column(s);
	for (int k = 1; k < 4; k++)
		sheet_helper_column(s);
	d->first = 1;
	d->n = 0;
}

void interval_add(struct sheet *s, struct interval_data *d, const char *label, double estimate,
		  double low, double high, bool shown)
{
	uint32_t row = d->first + d->n++;
	char *clean = clean_text(label, strlen(label));
	put_string(s, row, d->col, clean, s->book->text);
	free(clean);
	if (!shown || !isfinite(estimate) || !isfinite(low) || !isfinite(high))
		return; /* a gap in the chart */
	put_number(s, row, (uint16_t)(d->col + 1), low, NULL);
	put_number(s, row, (uint16_t)(d->col + 2), fmax(estimate - low, 0), NULL);
	put_number(s, row, (uint16_t)(d->col + 3), fmax(high - estimate, 0), NULL);
}

uint32_t interval_chart_rows(const struct interval_chart *c)
{
	return rows_for_scale(c->y_scale);
}

void sheet_interval_chart(struct sheet *s, const struct interval_data *d,
			  const struct interval_chart *c, uint32_t row, uint16_t col)
{
	lxw_chart_series *series[3];
	lxw_chart *chart = sheet_new_chart(s, LXW_CHART_COLUMN_STACKED, series, 3);
	if (!chart)
		return;
	uint32_t last = d->first + (d->n ? d->n : 1) - 1;
	for (int k = 0; k < 3; k++) {
		lxw_chart_series *ser = series[k];
		chart_series_set_categories(ser, s->name, d->first, d->col, last, d->col);
		chart_series_set_values(ser, s->name, d->first, (lxw_col_t)(d->col + 1 + k), last,
					(lxw_col_t)(d->col + 1 + k));
		if (k == 0) {
			/* from 0 to the low limit: not drawn */
			lxw_chart_fill none = {.none = LXW_TRUE};
			lxw_chart_line no_line = {.none = LXW_TRUE};
			chart_series_set_fill(ser, &none);
			chart_series_set_line(ser, &no_line);
			chart_series_set_name(ser, "from 0");
		} else {
			/* the box below and above the estimate: the line between is it */
			lxw_chart_fill fill = {.color = 0xBDD7EE};
			lxw_chart_line edge = {.color = 0x1F4E79, .width = 1.25};
			chart_series_set_fill(ser, &fill);
			chart_series_set_line(ser, &edge);
			chart_series_set_name(ser, k == 1 ? c->name : "above the estimate");
		}
	}
	int16_t hide[] = {0, 2, -1};
	book_failed(s->book, s->name, chart_legend_delete_series(chart, hide),
		    "legend of chart '%s'", c->title ? c->title : "");
	chart_show_hidden_data(chart);
	chart_show_blanks_as(chart, LXW_CHART_BLANKS_AS_GAP);
	const struct chart_spec look = {
		.type = LXW_CHART_COLUMN_STACKED, .title = c->title, .x_title = c->x_title,
		.y_title = c->y_title, .y_format = c->y_format, .legend = true, .y_max = c->y_max,
		.label_every = c->label_every, .gap = 180,
	};
	chart_axes(chart, &look);
	insert_chart(s, chart, c->title, row, col, c->x_scale, c->y_scale, c->x_offset);
}
