/* utf8.c - see utf8.h. */
#include "core/utf8.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

size_t utf8_char_len(const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	if (len == 0)
		return 0;
	unsigned char c = s[0];
	if (c < 0x80)
		return 1;
	size_t n;
	unsigned char lo = 0x80, hi = 0xBF;
	if (c >= 0xC2 && c <= 0xDF) {
		n = 2;
	} else if (c >= 0xE0 && c <= 0xEF) {
		n = 3;
		if (c == 0xE0)
			lo = 0xA0; /* no overlongs */
		if (c == 0xED)
			hi = 0x9F; /* no surrogates */
	} else if (c >= 0xF0 && c <= 0xF4) {
		n = 4;
		if (c == 0xF0)
			lo = 0x90;
		if (c == 0xF4)
			hi = 0x8F; /* nothing above U+10FFFF */
	} else {
		return 0;
	}
	if (len < n || s[1] < lo || s[1] > hi)
		return 0;
	for (size_t i = 2; i < n; i++)
		if (s[i] < 0x80 || s[i] > 0xBF)
			return 0;
	return n;
}

size_t utf8_check_mixed(const char *s, size_t len)
{
	size_t i = 0;
	while (i < len) {
		/* ASCII without NUL, 8 bytes at a time */
		while (i + 8 <= len) {
			uint64_t w;
			memcpy(&w, s + i, 8);
			bool high = (w & UINT64_C(0x8080808080808080)) != 0;
			bool zero = ((w - UINT64_C(0x0101010101010101)) & ~w &
				     UINT64_C(0x8080808080808080)) != 0;
			if (high || zero)
				break;
			i += 8;
		}
		if (i >= len)
			break;
		if ((unsigned char)s[i] < 0x80) {
			if (s[i] == '\0')
				return i;
			i++;
			continue;
		}
		size_t n = utf8_char_len(s + i, len - i);
		if (n == 0)
			return i;
		i += n;
	}
	return len;
}

size_t utf8_count(const char *s, size_t len)
{
	size_t n = 0;
	for (size_t i = 0; i < len; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			n++;
	return n;
}
