/* names.h - a name <-> value table, one per concept (datamash's op-defs.c
 * style): the names an option accepts and the name shown for a value come
 * from the same rows.
 *
 * A table is an array of rows ended by a row whose name is NULL. A value may
 * have more than one row (an alias): the first row is its canonical name.
 */
#ifndef WR_NAMES_H
#define WR_NAMES_H

#include <stdbool.h>
#include <stddef.h>

struct name_value {
	const char *name;
	int value;
};

/* The value named name (exact match): true and *value, or false. */
bool names_lookup(const struct name_value *table, const char *name, int *value);

/* The canonical name of value, or fallback when no row has it. */
const char *names_name(const struct name_value *table, int value, const char *fallback);

/* The canonical names as "a, b or c" (aliases left out), into buf. */
void names_choices(const struct name_value *table, char *buf, size_t size);

#endif
