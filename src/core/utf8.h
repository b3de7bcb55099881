/* utf8.h - UTF-8 well-formedness (RFC 3629: no overlongs, no surrogates,
 * nothing above U+10FFFF). Pure functions on byte ranges. */
#ifndef WR_UTF8_H
#define WR_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* Length (1-4) of the well-formed character at s[0..len), or 0 when the bytes
 * there are not one. */
size_t utf8_char_len(const char *s, size_t len);

/* utf8_check of text that is not all ASCII without NUL. */
size_t utf8_check_mixed(const char *s, size_t len);

/* True when s[0..len) is all ASCII without NUL, the common case: read 8
 * bytes at a time, the last word overlapping the one before. Bytes >= 0x80
 * or NUL in a word w leave a high bit set in (w | (w - 0x0101..01)) &
 * 0x8080..80. Inline, as the check is made on every field read. */
static inline bool utf8_plain_ascii(const char *s, size_t len)
{
	const uint64_t ones = UINT64_C(0x0101010101010101), highs = ones << 7;
	uint64_t w, bad = 0;
	if (len < 8) {
		for (size_t i = 0; i < len; i++)
			if (s[i] == '\0' || (unsigned char)s[i] >= 0x80)
				return false;
		return true;
	}
	for (size_t i = 0; i + 8 < len; i += 8) {
		memcpy(&w, s + i, 8);
		bad |= (w | (w - ones)) & highs;
	}
	memcpy(&w, s + len - 8, 8);
	bad |= (w | (w - ones)) & highs;
	return bad == 0;
}

/* Offset of the first byte that is not well-formed UTF-8 or is a NUL, or len
 * when all of s[0..len) is good. */
static inline size_t utf8_check(const char *s, size_t len)
{
	return utf8_plain_ascii(s, len) ? len : utf8_check_mixed(s, len);
}

/* Number of characters in well-formed s[0..len). */
size_t utf8_count(const char *s, size_t len);

#endif
