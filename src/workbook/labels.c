/* labels.c - see labels.h. */
#include "workbook/labels.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

/* Our codes and their words: routes and outcomes as the exports spell them
 * (samples/README.md). */
static const char *const known[][2] = {
	{"application", "Application route"},
	{"merge_requests", "Merge-request route"},
	{"hired", "Hired"},
	{"offer_declined", "Offer declined"},
	{"no_offer", "No offer"},
};

static char upper(char c)
{
	return c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
}

const char *label_code(const char *code, char *buf, size_t size)
{
	if (!size)
		return buf;
	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (strcmp(code, known[i][0]) == 0) {
			snprintf(buf, size, "%s", known[i][1]);
			return buf;
		}
	size_t n = 0;
	for (const char *p = code; *p && n + 1 < size; p++, n++) {
		char c = *p == '_' || *p == '-' ? ' ' : *p;
		buf[n] = n == 0 ? upper(c) : c;
	}
	buf[n] = '\0';
	return buf;
}

const char *label_route(enum wr_route r, char *buf, size_t size)
{
	if (r == ROUTE_NONE) {
		snprintf(buf, size, "Not given");
		return buf;
	}
	return label_code(route_name(r), buf, size);
}

const char *label_title(const char *text, char *buf, size_t size)
{
	size_t len = strlen(text);
	if (len + 1 > size)
		return text;
	bool lower = false;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)text[i];
		if (c >= 0x80 || (c >= 'A' && c <= 'Z'))
			return text; /* capitals of its own, or not plain ASCII: as it is */
		if (c >= 'a' && c <= 'z')
			lower = true;
	}
	if (!lower)
		return text;
	for (size_t i = 0; i < len; i++)
		buf[i] = i == 0 || text[i - 1] == ' ' ? upper(text[i]) : text[i];
	buf[len] = '\0';
	return buf;
}
