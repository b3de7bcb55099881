/* chunk.c - see chunk.h. Quotes are counted with memchr, which skips the
 * long runs without one at memory speed; the byte loops run only over the
 * few bytes between a guessed cut and the next line feed. */
#include "ingest/chunk.h"

#include <stdbool.h>
#include <string.h>

/* The number of quotes in s[0..len), modulo 2. */
static unsigned quote_parity(const char *s, size_t len)
{
	unsigned odd = 0;
	const char *end = s + len;
	for (const char *q = s; (q = memchr(q, '"', (size_t)(end - q))); q++)
		odd ^= 1;
	return odd;
}

size_t chunk_first_record_end(const char *s, size_t len)
{
	unsigned odd = 0;
	bool something = false;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		if (c == '"')
			odd ^= 1;
		if (c == '\n' && !odd && something)
			return i + 1;
		if (c != '\n' && c != '\r')
			something = true;
	}
	return 0;
}

size_t chunk_last_record_end(const char *s, size_t len)
{
	/* the parity at the end, then back to the last line feed where it is
	 * even: quotes after a position flip the parity seen there */
	unsigned odd = quote_parity(s, len);
	for (size_t i = len; i > 0; i--) {
		char c = s[i - 1];
		if (c == '"')
			odd ^= 1;
		else if (c == '\n' && !odd)
			return i;
	}
	return 0;
}
