/* book.c - see book.h. */
#include "workbook/book.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "core/alloc.h"
#include "core/utf8.h"

static lxw_format *fmt(lxw_workbook *wb, const char *num_format, bool bold)
{
	lxw_format *f = workbook_add_format(wb);
	if (num_format)
		format_set_num_format(f, num_format);
	if (bold)
		format_set_bold(f);
	return f;
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
	workbook_set_properties(b->wb, &props);

	b->title = fmt(b->wb, NULL, true);
	format_set_font_size(b->title, 16);
	b->subtitle = fmt(b->wb, NULL, false);
	format_set_font_color(b->subtitle, 0x595959);
	b->header = fmt(b->wb, NULL, true);
	format_set_text_wrap(b->header);
	format_set_align(b->header, LXW_ALIGN_VERTICAL_TOP);
	b->text = fmt(b->wb, "@", false);
	b->wrap = fmt(b->wb, "@", false);
	format_set_text_wrap(b->wrap);
	format_set_align(b->wrap, LXW_ALIGN_VERTICAL_TOP);
	b->integer = fmt(b->wb, "#,##0", false);
	b->decimal1 = fmt(b->wb, "0.0", false);
	b->decimal2 = fmt(b->wb, "0.00", false);
	b->percent = fmt(b->wb, "0.0%", false);
	b->date = fmt(b->wb, "yyyy-mm-dd", false);
	b->plain = fmt(b->wb, "0", false);
	b->decimal3 = fmt(b->wb, "0.000", false);
	b->bold = fmt(b->wb, NULL, true);
	b->link = fmt(b->wb, NULL, false);
	format_set_underline(b->link, LXW_UNDERLINE_SINGLE);
	format_set_font_color(b->link, LXW_COLOR_BLUE);
	b->note = fmt(b->wb, NULL, false);
	format_set_italic(b->note);
	format_set_font_color(b->note, 0x595959);
	/* text beside a right-aligned number: kept apart from it */
	b->indented = fmt(b->wb, "@", false);
	format_set_indent(b->indented, 1);
	return WR_OK;
}

enum wr_error book_close(struct book *b, struct wr_errmsg *err)
{
	int saved = mute_stderr();
	errno = 0;
	lxw_error e = workbook_close(b->wb);
	int why = errno;
	unmute_stderr(saved);
	b->wb = NULL;
	if (e != LXW_NO_ERROR) {
		char what[200];
		snprintf(what, sizeof(what), "%s", lxw_strerror(e));
		size_t n = strlen(what);
		if (n && what[n - 1] == '.')
			what[n - 1] = '\0';
		if (why)
			return wr_fail(err, WR_ERR_IO, "cannot write the workbook: %s (%s)",
				       strerror(why), what);
		return wr_fail(err, WR_ERR_IO, "cannot write the workbook: %s", what);
	}
	return WR_OK;
}

void sheet_add(struct sheet *s, struct book *b, const char *name, const char *title,
	       const char *subtitle)
{
	memset(s, 0, sizeof(*s));
	s->book = b;
	s->name = name;
	s->ws = workbook_add_worksheet(b->wb, name);
	worksheet_write_string(s->ws, 0, 0, title, b->title);
	worksheet_set_row(s->ws, 0, 22, NULL);
	if (subtitle)
		worksheet_write_string(s->ws, 1, 0, subtitle, b->subtitle);
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

void sheet_finish(struct sheet *s)
{
	for (uint16_t c = 0; c < SHEET_MAX_COLS; c++) {
		double w = s->width[c] + 2;
		if (s->fixed[c] > 0)
			w = s->fixed[c];
		else if (s->width[c] <= 0)
			continue;
		else if (w > 60)
			w = 60;
		worksheet_set_column(s->ws, c, c, w, NULL);
	}
	worksheet_set_landscape(s->ws);
	worksheet_set_paper(s->ws, 9); /* A4 */
	worksheet_fit_to_pages(s->ws, 1, 0);
}

void sheet_absent(struct sheet *s, const char *why)
{
	sheet_text(s, 3, 0, why, s->book->note);
	sheet_finish(s);
}

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
	char *clean = clean_text(text, len);
	/* worksheet_write_string always makes a string cell: a leading '=' stays text */
	worksheet_write_string(s->ws, row, col, clean, f ? f : s->book->text);
	double w = (double)utf8_count(clean, strlen(clean));
	if (f != s->book->wrap && f != s->book->title && f != s->book->subtitle &&
	    f != s->book->note)
		sheet_min_width(s, col, w);
	free(clean);
}

void sheet_text(struct sheet *s, uint32_t row, uint16_t col, const char *text, lxw_format *f)
{
	sheet_textn(s, row, col, text, strlen(text), f);
}

void sheet_label(struct sheet *s, uint32_t row, uint16_t col, const char *text)
{
	worksheet_write_string(s->ws, row, col, text, s->book->text);
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
	worksheet_write_number(s->ws, row, col, v, f);
	char buf[64];
	int n = snprintf(buf, sizeof(buf), kind == CELL_INT ? "%.0f" : "%.2f",
			 kind == CELL_PCT ? v * 100 : v);
	sheet_min_width(s, col, n + (kind == CELL_INT ? n / 3 : 1));
}

void sheet_stat(struct sheet *s, uint32_t row, uint16_t col, double v, enum cell_kind kind,
		bool shown, int min_group)
{
	if (shown) {
		sheet_number(s, row, col, v, kind);
		return;
	}
	char text[48];
	snprintf(text, sizeof(text), "suppressed (n<%d)", min_group);
	worksheet_write_string(s->ws, row, col, text, s->book->note);
	sheet_min_width(s, col, (double)strlen(text));
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
	worksheet_write_number(s->ws, row, col, date_to_excel(d), s->book->date);
	sheet_min_width(s, col, 10);
}

void sheet_link(struct sheet *s, uint32_t row, uint16_t col, const char *sheet_name,
		const char *text)
{
	char url[128];
	snprintf(url, sizeof(url), "internal:'%s'!A1", sheet_name);
	worksheet_write_url_opt(s->ws, row, col, url, s->book->link, text, NULL);
	sheet_min_width(s, col, (double)strlen(text));
}

void sheet_table(struct sheet *s, const char *name, uint32_t first_row, uint16_t first_col,
		 uint32_t last_row, const char *const *headers, uint16_t ncols)
{
	lxw_table_column *cols = xcalloc(ncols, sizeof(*cols));
	lxw_table_column **list = xcalloc((size_t)ncols + 1, sizeof(*list));
	for (uint16_t c = 0; c < ncols; c++) {
		cols[c].header = (char *)headers[c];
		cols[c].header_format = s->book->header;
		list[c] = &cols[c];
		double w = (double)strlen(headers[c]) + 2; /* room for the filter button */
		sheet_min_width(s, (uint16_t)(first_col + c), w > 24 ? 24 : w);
	}
	if (last_row <= first_row)
		last_row = first_row + 1; /* a table needs a data row */
	lxw_table_options opts = {
		.name = (char *)name,
		.style_type = LXW_TABLE_STYLE_TYPE_MEDIUM,
		.style_type_number = 2,
		.columns = list,
	};
	worksheet_add_table(s->ws, first_row, first_col, last_row, (uint16_t)(first_col + ncols - 1),
			    &opts);
	free(list);
	free(cols);
}

lxw_chart *sheet_chart(struct sheet *s, const struct chart_spec *c, uint32_t row, uint16_t col)
{
	lxw_chart *chart = workbook_add_chart(s->book->wb, c->type);
	for (size_t k = 0; k < c->nseries; k++) {
		lxw_chart_series *ser = chart_add_series(chart, NULL, NULL);
		chart_series_set_categories(ser, s->name, c->header + 1, c->categories, c->last,
					    c->categories);
		chart_series_set_values(ser, s->name, c->header + 1, c->columns[k], c->last,
					c->columns[k]);
		if (c->names)
			chart_series_set_name(ser, c->names[k]);
		else
			chart_series_set_name_range(ser, s->name, c->header, c->columns[k]);
	}
	chart_title_set_name(chart, c->title);
	/* in a bar chart the categories run up the side: libxlsxwriter's y axis */
	bool bar = c->type == LXW_CHART_BAR;
	lxw_chart_axis *category = bar ? chart->y_axis : chart->x_axis;
	lxw_chart_axis *value = bar ? chart->x_axis : chart->y_axis;
	chart_axis_set_name(category, c->x_title);
	chart_axis_set_name(value, c->y_title);
	/* libxlsxwriter 1.1.4 refuses a minimum on an area chart's value axis
	 * (its areas start at 0 anyway) */
	bool area = c->type == LXW_CHART_AREA || c->type == LXW_CHART_AREA_STACKED ||
		    c->type == LXW_CHART_AREA_STACKED_PERCENT;
	if (c->y_format) {
		chart_axis_set_num_format(value, c->y_format);
		if (!area)
			chart_axis_set_min(value, 0);
	}
	chart_legend_set_position(chart, c->legend ? LXW_CHART_LEGEND_BOTTOM
						   : LXW_CHART_LEGEND_NONE);
	lxw_chart_options opt = {.x_scale = c->x_scale > 0 ? c->x_scale : 1,
				 .y_scale = c->y_scale > 0 ? c->y_scale : 1};
	worksheet_insert_chart_opt(s->ws, row, col, chart, &opt);
	return chart;
}
