/* utf8.h - UTF-8 well-formedness (RFC 3629: no overlongs, no surrogates,
 * nothing above U+10FFFF). Pure functions on byte ranges. */
#ifndef WR_UTF8_H
#define WR_UTF8_H

#include <stddef.h>

/* Length (1-4) of the well-formed character at s[0..len), or 0 when the bytes
 * there are not one. */
size_t utf8_char_len(const char *s, size_t len);

/* Offset of the first byte that is not well-formed UTF-8 or is a NUL, or len
 * when all of s[0..len) is good. */
size_t utf8_check(const char *s, size_t len);

/* Number of characters in well-formed s[0..len). */
size_t utf8_count(const char *s, size_t len);

#endif
