/* layout.c - see layout.h. */
#include "workbook/layout.h"

#include <math.h>

struct layout_spot layout_chart(uint32_t first, uint32_t last, uint16_t first_col, uint16_t ncols,
				uint32_t chart_rows)
{
	struct layout_spot at;
	if (last < first)
		last = first;
	if (ncols == 0)
		ncols = 1;
	if (chart_rows == 0)
		chart_rows = 1;
	uint32_t beside_col = (uint32_t)first_col + ncols + LAYOUT_GAP_COLS;
	uint32_t bottom; /* the last row of table or chart */
	if (beside_col <= LAYOUT_LAST_CHART_COL) {
		at.beside = true;
		at.row = first + 1;
		at.col = (uint16_t)beside_col;
		uint32_t chart_last = at.row + chart_rows - 1;
		bottom = chart_last > last ? chart_last : last;
	} else {
		at.beside = false;
		at.row = last + 1 + LAYOUT_GAP_ROWS;
		at.col = first_col <= LAYOUT_LAST_CHART_COL ? first_col : 0;
		bottom = at.row + chart_rows - 1;
	}
	at.next_row = layout_after(bottom);
	return at;
}

uint32_t layout_table_last(uint32_t header, uint32_t last)
{
	return last > header ? last : header + 1;
}

uint32_t layout_after(uint32_t last)
{
	return last + 1 + LAYOUT_GAP_ROWS;
}

uint32_t layout_rows_for(double height_px)
{
	if (!(height_px > 0))
		return 1;
	return (uint32_t)ceil(height_px / LAYOUT_ROW_PX);
}

bool layout_overlap(const struct layout_box *a, const struct layout_box *b)
{
	if (!a->rows || !a->cols || !b->rows || !b->cols)
		return false;
	uint64_t a_end_row = (uint64_t)a->row + a->rows, b_end_row = (uint64_t)b->row + b->rows;
	uint32_t a_end_col = (uint32_t)a->col + a->cols, b_end_col = (uint32_t)b->col + b->cols;
	return a->row < b_end_row && b->row < a_end_row && a->col < b_end_col &&
	       b->col < a_end_col;
}
