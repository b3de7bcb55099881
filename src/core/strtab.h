/* strtab.h - an interned string table: each distinct byte string gets a dense
 * id (0, 1, 2, ...) in the order first seen.
 *
 * The table owns copies of its strings; pointers returned by strtab_get stay
 * valid until the next strtab_intern (the arena may move), ids stay valid
 * until strtab_release. Strings may hold any bytes (lengths, not strlen), and
 * each is stored with a terminating NUL for convenience.
 */
#ifndef WR_STRTAB_H
#define WR_STRTAB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define STRTAB_NONE UINT32_MAX

struct strtab {
	char *arena;        /* all strings, NUL-terminated, back to back */
	size_t arena_len, arena_cap;
	uint64_t *spans;    /* per id: offset << 20 | length (length < 1 MiB) */
	uint32_t *hashes;   /* per id: strtab_hash of the string */
	size_t count, spans_cap, hashes_cap;
	struct strtab_slot {
		uint32_t id1;   /* id + 1; 0 = empty */
		uint32_t tag;   /* hash bits and the length (up to 255) */
		uint64_t head;  /* the first 8 bytes: strings that short compare here */
	} *slots;           /* open addressing; one cache access decides most look-ups */
	size_t nslots;
};

void strtab_init(struct strtab *t);
void strtab_release(struct strtab *t);

/* Id of s[0..len), adding it when new. len must be below 1 MiB. */
uint32_t strtab_intern(struct strtab *t, const char *s, size_t len);
/* The same with the hash already computed by strtab_hash (for callers that
 * keep their own cache in front of the table). */
uint32_t strtab_hash(const char *s, size_t len);
uint32_t strtab_intern_hashed(struct strtab *t, const char *s, size_t len, uint32_t h);

/* Append s[0..len) as a new id even when the table holds it already, h
 * being strtab_hash(s, len): a list of strings, to be interned into another
 * table by strtab_intern_table, for strings that repeat too seldom to be
 * worth a look-up first. A table filled this way has no look-ups: not
 * strtab_find nor strtab_intern*. */
uint32_t strtab_append_hashed(struct strtab *t, const char *s, size_t len, uint32_t h);


/* Intern every string of from into t, in from's id order (so new strings
 * get t's ids in that order, as one strtab_intern each would give them):
 * ids[k] is t's id of from's string k. ids holds from->count entries. The
 * same as a loop of strtab_intern, with the look-ups of a large t
 * overlapped. */
void strtab_intern_table(struct strtab *t, const struct strtab *from, uint32_t *ids);

/* Id of s[0..len), or STRTAB_NONE when absent. */
uint32_t strtab_find(const struct strtab *t, const char *s, size_t len);

const char *strtab_get(const struct strtab *t, uint32_t id);
size_t strtab_len(const struct strtab *t, uint32_t id);

#endif
