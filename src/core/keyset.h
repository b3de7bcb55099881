/* keyset.h - a hash map from 64-bit keys to 32-bit values, for duplicate
 * detection ((id, date) pairs) and id look-ups. Keys are any uint64_t. */
#ifndef WR_KEYSET_H
#define WR_KEYSET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct keyset {
	struct keyset_slot {
		uint64_t key;
		uint32_t value;
		uint32_t used;
	} *slots;           /* one cache line holds a probe's whole story */
	size_t count, nslots;
};

void keyset_init(struct keyset *s);
void keyset_release(struct keyset *s);

/* Insert key with value when absent and return true; when present, leave it,
 * store its value in *existing (if not NULL) and return false. */
bool keyset_add(struct keyset *s, uint64_t key, uint32_t value, uint32_t *existing);
bool keyset_get(const struct keyset *s, uint64_t key, uint32_t *value);

static inline uint64_t keyset_pair(uint32_t a, int32_t b)
{
	return ((uint64_t)a << 32) | (uint32_t)b;
}

#endif
