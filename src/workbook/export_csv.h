/* export_csv.h - every Excel table of the workbook as a CSV file (--csv DIR).
 *
 * While the workbook is written, the book layer (book_export_tables) hands
 * each table to csv_export_table as it finishes the sheet: the header row
 * and the cells the workbook shows, total row last. The table is formatted
 * into memory at once (libcsv's csv_fwrite; RFC 4180: CRLF, text quoted,
 * numbers bare); csv_export_write then puts every table in DIR as
 * <table name>.csv. A cell is
 *  - text: quoted, quotes doubled, as the workbook shows it ("suppressed
 *    (n<5)", names from the input); text starting with =, +, -, @, a tab
 *    or a CR gets a leading ' so that a spreadsheet opening the file does
 *    not run it as a formula (OWASP's advice on CSV injection);
 *  - a number: unquoted, the shortest form that reads back as the same
 *    double (at most 17 significant digits; whole numbers without ".0");
 *    a negative number is a number and never prefixed;
 *  - a date: YYYY-MM-DD, unquoted;
 *  - empty where the workbook cell is empty.
 *
 * csv_export_write creates DIR (0750, with missing parents), writes every
 * file to a temporary file in DIR (0640 less the umask, flushed to disk),
 * renames them all into place only when all are written, and removes any
 * tbl_*.csv in DIR that this run did not write (a table an earlier run had,
 * such as --dq-detail's tbl_dq_issues), so that the folder holds one run's
 * tables. SIGINT, SIGTERM and SIGHUP wait while it writes, so that no
 * temporary file is left behind. Any failure is WR_ERR_CANTCREAT with
 * "cannot write <path>: <reason>", and no file of the run is put in place
 * (those already renamed when a later rename fails stay).
 */
#ifndef WR_EXPORT_CSV_H
#define WR_EXPORT_CSV_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

enum csv_cell_kind { CSV_EMPTY, CSV_TEXT, CSV_NUMBER, CSV_DATE };

struct csv_cell {
	uint8_t kind;     /* enum csv_cell_kind */
	double num;       /* CSV_NUMBER: the value; CSV_DATE: the wr_date */
	const char *text; /* CSV_TEXT: UTF-8 */
};

struct csv_table_buf; /* export_csv.c's formatted table */

struct csv_export {
	char *dir;                    /* where the files go */
	struct csv_table_buf *tables; /* in the order the workbook has them */
	size_t ntables, cap;
	int error;                    /* errno of the first failure while formatting */
	char *error_table;            /* and the table it was in */
};

/* An export into dir (copied), or none (NULL: csv_export_write does
 * nothing). */
void csv_export_init(struct csv_export *x, const char *dir);

/* Format table name: nrows rows of ncols cells, row by row, the header row
 * first. A table of that name given before is replaced. */
void csv_export_table(struct csv_export *x, const char *name, const struct csv_cell *cells,
		      size_t nrows, uint16_t ncols);

/* Write the tables given so far into the folder (see above). */
enum wr_error csv_export_write(struct csv_export *x, struct wr_errmsg *err);

void csv_export_release(struct csv_export *x);

#endif
