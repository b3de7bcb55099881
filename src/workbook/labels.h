/* labels.h - plain words for what the workbook shows.
 *
 * Two kinds of text, kept apart:
 * - our own codes (the route of an internship, an outcome): label_code
 *   gives the words from a table of known codes, else the code with its
 *   first letter capitalised and _ and - read as spaces;
 * - free text from the input (a team, a department): label_title may
 *   capitalise the first letter of each word of an all-lower-case name
 *   ("backend" -> "Backend") and otherwise leaves it exactly as it is.
 */
#ifndef WR_LABELS_H
#define WR_LABELS_H

#include <stddef.h>

#include "model/dataset.h"

/* The words for one of our own codes, in buf (cut to size). Returns buf. */
const char *label_code(const char *code, char *buf, size_t size);

/* An internship's route in words ("Merge-request route"); ROUTE_NONE is
 * "Not given". */
const char *label_route(enum wr_route r, char *buf, size_t size);

/* text title-cased when it is all lower case (ASCII letters, digits,
 * spaces and punctuation only), in buf; else, or when it does not fit in
 * buf, text itself. Returns the text to show. */
const char *label_title(const char *text, char *buf, size_t size);

#endif
