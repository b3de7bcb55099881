/* names.c - see names.h. */
#include "core/names.h"

#include <stdio.h>
#include <string.h>

bool names_lookup(const struct name_value *table, const char *name, int *value)
{
	for (const struct name_value *r = table; r->name; r++)
		if (strcmp(r->name, name) == 0) {
			*value = r->value;
			return true;
		}
	return false;
}

const char *names_name(const struct name_value *table, int value, const char *fallback)
{
	for (const struct name_value *r = table; r->name; r++)
		if (r->value == value)
			return r->name;
	return fallback;
}

/* A row is canonical when no earlier row has its value. */
static bool canonical(const struct name_value *table, const struct name_value *row)
{
	for (const struct name_value *r = table; r != row; r++)
		if (r->value == row->value)
			return false;
	return true;
}

void names_choices(const struct name_value *table, char *buf, size_t size)
{
	size_t total = 0, k = 0, len = 0;
	for (const struct name_value *r = table; r->name; r++)
		total += canonical(table, r);
	if (size)
		buf[0] = '\0';
	for (const struct name_value *r = table; r->name && len < size; r++) {
		if (!canonical(table, r))
			continue;
		const char *sep = k == 0 ? "" : k + 1 == total ? " or " : ", ";
		int w = snprintf(buf + len, size - len, "%s%s", sep, r->name);
		if (w < 0)
			break;
		len += (size_t)w;
		k++;
	}
}
