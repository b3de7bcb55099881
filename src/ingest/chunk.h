/* chunk.h - where a CSV text can be cut into pieces that parse on their
 * own: after a line feed that is outside quotes.
 *
 * A quoted field may hold line feeds and commas, so a cut is chosen by the
 * parity of the quotes before it: in valid CSV every quote opens or closes
 * a quoted field or is half of an escaped "" pair, so an even count means
 * outside. In a file with a stray quote the parity may be wrong after it,
 * but then the piece that holds the stray quote fails to parse, exactly as
 * a single parse of the whole text would (a strict parser stops at the
 * first stray quote): the caller then reads the file in one piece again.
 *
 * Both functions take a text that starts outside quotes (the start of the
 * file after its BOM, or a cut). Pure functions over memory; no allocation.
 * The parallel read (load.c) cuts a file with them: the header ends at
 * chunk_first_record_end, each piece at chunk_last_record_end of what was
 * read for it.
 */
#ifndef WR_CHUNK_H
#define WR_CHUNK_H

#include <stddef.h>

/* Just past the first line feed outside quotes that ends a line holding
 * something other than CR and LF (the header record's end), or 0 when there
 * is none in s[0..len). */
size_t chunk_first_record_end(const char *s, size_t len);

/* Just past the last line feed outside quotes in s[0..len), or 0 when there
 * is none: s[0..result) is whole records. */
size_t chunk_last_record_end(const char *s, size_t len);

#endif
