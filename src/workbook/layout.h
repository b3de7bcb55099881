/* layout.h - where a chart goes relative to its table.
 *
 * Pure arithmetic on cell rows and columns (0-based), so that it can be
 * unit-tested: a chart sits beside its table when the table is narrow
 * enough that the chart's top-left cell is at column J or before (the
 * first screen width), else under it; either way it never covers the
 * table, and the next block of the sheet starts under both.
 */
#ifndef WR_LAYOUT_H
#define WR_LAYOUT_H

#include <stdbool.h>
#include <stdint.h>

#define LAYOUT_LAST_CHART_COL 9 /* J: no chart starts further right */
#define LAYOUT_GAP_COLS 1       /* empty columns between a table and a chart beside it */
#define LAYOUT_GAP_ROWS 1       /* empty rows between a table and what follows it */
#define LAYOUT_ROW_PX 20.0      /* a row of the default height (15 points) */
#define LAYOUT_CHART_W 480.0    /* libxlsxwriter's default chart size, pixels */
#define LAYOUT_CHART_H 288.0

/* A rectangle of cells: rows row .. row + rows - 1, columns col .. col + cols - 1. */
struct layout_box {
	uint32_t row;
	uint16_t col;
	uint32_t rows;
	uint16_t cols;
};

/* Where a chart goes. */
struct layout_spot {
	uint32_t row;      /* the chart's top-left cell */
	uint16_t col;
	bool beside;       /* beside the table (else under it) */
	uint32_t next_row; /* the first row of the next block: under both, after a gap */
};

/* A table with its header in row first, its last row last, and columns
 * first_col .. first_col + ncols - 1; a chart chart_rows rows tall. Beside
 * the table (from the row under the header, so that a frozen header row
 * never cuts the chart) when the column after a gap is at most
 * LAYOUT_LAST_CHART_COL, else under it from column first_col. */
struct layout_spot layout_chart(uint32_t first, uint32_t last, uint16_t first_col, uint16_t ncols,
				uint32_t chart_rows);

/* The last row of a table whose header is in row header and whose data
 * rows end at row last (last == header when it has none): an Excel table
 * needs a data row, so an empty one keeps one blank row, header + 1. */
uint32_t layout_table_last(uint32_t header, uint32_t last);

/* The first row of the block after one whose last row is last (a table,
 * a chart, a note): LAYOUT_GAP_ROWS empty rows between. */
uint32_t layout_after(uint32_t last);

/* Rows of the default height that a chart of height_px pixels covers
 * (rounded up). */
uint32_t layout_rows_for(double height_px);

/* Whether two rectangles share a cell (an empty one never does). */
bool layout_overlap(const struct layout_box *a, const struct layout_box *b);

#endif
