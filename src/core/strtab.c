/* strtab.c - see strtab.h. Word-at-a-time hashing, linear probing, load <= 1/2.
 * Each string's 32-bit hash is kept beside it, so that growing the table and
 * interning one table into another never hash a string again. */
#include "core/strtab.h"

#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"

#define LEN_BITS 20
#define LEN_MASK ((UINT64_C(1) << LEN_BITS) - 1)

/* Eight bytes at a time, each word multiplied in, then a splitmix64
 * finaliser so that every bit of the input reaches the low bits used. */
static uint32_t hash_bytes(const char *s, size_t len)
{
	uint64_t h = UINT64_C(0x9E3779B97F4A7C15) ^ len;
	size_t i = 0;
	for (; i + 8 <= len; i += 8) {
		uint64_t w;
		memcpy(&w, s + i, 8);
		h = (h ^ w) * UINT64_C(0xBF58476D1CE4E5B9);
		h ^= h >> 31;
	}
	if (i < len) {
		uint64_t w = 0;
		memcpy(&w, s + i, len - i);
		h = (h ^ w) * UINT64_C(0xBF58476D1CE4E5B9);
		h ^= h >> 31;
	}
	h ^= h >> 30;
	h *= UINT64_C(0xBF58476D1CE4E5B9);
	h ^= h >> 27;
	h *= UINT64_C(0x94D049BB133111EB);
	h ^= h >> 31;
	return (uint32_t)(h ^ (h >> 32));
}

void strtab_init(struct strtab *t)
{
	memset(t, 0, sizeof(*t));
}

void strtab_release(struct strtab *t)
{
	free(t->arena);
	free(t->spans);
	free(t->hashes);
	free(t->slots);
	memset(t, 0, sizeof(*t));
}

const char *strtab_get(const struct strtab *t, uint32_t id)
{
	return t->arena + (t->spans[id] >> LEN_BITS);
}

size_t strtab_len(const struct strtab *t, uint32_t id)
{
	return (size_t)(t->spans[id] & LEN_MASK);
}

static bool same(const struct strtab *t, uint32_t id, const char *s, size_t len)
{
	return strtab_len(t, id) == len && memcmp(strtab_get(t, id), s, len) == 0;
}

/* The slot index takes the hash's low bits; the tag its high ones. */
static uint32_t make_tag(uint32_t h, size_t len)
{
	return (h & 0xFFFFFF00u) | (uint32_t)(len < 255 ? len : 255);
}

static uint64_t make_head(const char *s, size_t len)
{
	uint64_t head = 0;
	memcpy(&head, s, len < 8 ? len : 8);
	return head;
}

/* Slot index holding s, or the empty slot where it would go. */
static size_t probe(const struct strtab *t, const char *s, size_t len, uint32_t h)
{
	size_t mask = t->nslots - 1;
	uint32_t tag = make_tag(h, len);
	uint64_t head = make_head(s, len);
	for (size_t i = h & mask;; i = (i + 1) & mask) {
		const struct strtab_slot *slot = &t->slots[i];
		if (!slot->id1)
			return i;
		if (slot->tag == tag && slot->head == head &&
		    (len <= 8 || same(t, slot->id1 - 1, s, len)))
			return i;
	}
}

uint32_t strtab_find(const struct strtab *t, const char *s, size_t len)
{
	if (!t->nslots)
		return STRTAB_NONE;
	size_t i = probe(t, s, len, hash_bytes(s, len));
	return t->slots[i].id1 ? t->slots[i].id1 - 1 : STRTAB_NONE;
}

/* Each string into a new table of nslots, in id order: the arena, spans and
 * hashes are read front to back. */
static void rehash(struct strtab *t, size_t nslots)
{
	struct strtab_slot *slots = xcalloc(nslots, sizeof(*slots));
	size_t mask = nslots - 1;
	for (uint32_t id = 0; id < t->count; id++) {
		size_t len = strtab_len(t, id);
		size_t j = t->hashes[id] & mask;
		while (slots[j].id1)
			j = (j + 1) & mask;
		slots[j] = (struct strtab_slot){id + 1, make_tag(t->hashes[id], len),
						make_head(strtab_get(t, id), len)};
	}
	free(t->slots);
	t->slots = slots;
	t->nslots = nslots;
}

/* Room for n more strings without growing the slots. */
static void reserve(struct strtab *t, size_t n)
{
	size_t need = t->nslots ? t->nslots : 1024;
	while ((t->count + n + 1) * 2 > need)
		need *= 2;
	if (need != t->nslots)
		rehash(t, need);
}

uint32_t strtab_hash(const char *s, size_t len)
{
	return hash_bytes(s, len > LEN_MASK ? LEN_MASK : len);
}

uint32_t strtab_intern(struct strtab *t, const char *s, size_t len)
{
	return strtab_intern_hashed(t, s, len, strtab_hash(s, len));
}

/* Store s[0..len) (len capped) as the next id, without a slot. */
static uint32_t append(struct strtab *t, const char *s, size_t len, uint32_t h)
{
	GROW(t->arena, t->arena_cap, t->arena_len + len + 1);
	memcpy(t->arena + t->arena_len, s, len);
	t->arena[t->arena_len + len] = '\0';
	GROW(t->spans, t->spans_cap, t->count + 1);
	GROW(t->hashes, t->hashes_cap, t->count + 1);
	uint32_t id = (uint32_t)t->count++;
	t->spans[id] = ((uint64_t)t->arena_len << LEN_BITS) | len;
	t->hashes[id] = h;
	t->arena_len += len + 1;
	return id;
}

uint32_t strtab_intern_hashed(struct strtab *t, const char *s, size_t len, uint32_t h)
{
	if (len > LEN_MASK)
		len = LEN_MASK; /* callers cap field sizes far below this */
	if ((t->count + 1) * 2 > t->nslots)
		rehash(t, t->nslots ? t->nslots * 2 : 1024);
	size_t at = probe(t, s, len, h);
	if (t->slots[at].id1)
		return t->slots[at].id1 - 1;
	uint32_t id = append(t, s, len, h);
	t->slots[at] = (struct strtab_slot){id + 1, make_tag(h, len), make_head(s, len)};
	return id;
}

uint32_t strtab_append_hashed(struct strtab *t, const char *s, size_t len, uint32_t h)
{
	return append(t, s, len > LEN_MASK ? LEN_MASK : len, h);
}

void strtab_intern_table(struct strtab *t, const struct strtab *from, uint32_t *ids)
{
	size_t n = from->count;
	/* room for all of from at once, so that no rehash moves the slots
	 * prefetched below */
	reserve(t, n);
	/* the slot of each string is fetched AHEAD strings before it is
	 * probed: the misses of a large table overlap instead of queuing */
	enum { AHEAD = 8 };
	size_t mask = t->nslots - 1;
	for (size_t k = 0; k < n + AHEAD; k++) {
		if (k < n)
			__builtin_prefetch(&t->slots[from->hashes[k] & mask]);
		if (k >= AHEAD) {
			uint32_t j = (uint32_t)(k - AHEAD);
			ids[j] = strtab_intern_hashed(t, strtab_get(from, j), strtab_len(from, j),
						      from->hashes[j]);
		}
	}
}
