/* keyset.c - see keyset.h. Linear probing, load <= 1/2. */
#include "core/keyset.h"

#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"

static size_t mix(uint64_t k)
{
	/* splitmix64 finaliser */
	k ^= k >> 30;
	k *= UINT64_C(0xbf58476d1ce4e5b9);
	k ^= k >> 27;
	k *= UINT64_C(0x94d049bb133111eb);
	k ^= k >> 31;
	return (size_t)k;
}

void keyset_init(struct keyset *s)
{
	memset(s, 0, sizeof(*s));
}

void keyset_release(struct keyset *s)
{
	free(s->slots);
	memset(s, 0, sizeof(*s));
}

static size_t probe(const struct keyset *s, uint64_t key)
{
	size_t mask = s->nslots - 1;
	size_t i = mix(key) & mask;
	while (s->slots[i].used && s->slots[i].key != key)
		i = (i + 1) & mask;
	return i;
}

static void resize(struct keyset *s, size_t nslots)
{
	struct keyset old = *s;
	s->slots = xcalloc(nslots, sizeof(*s->slots));
	s->nslots = nslots;
	for (size_t i = 0; i < old.nslots; i++)
		if (old.slots[i].used)
			s->slots[probe(s, old.slots[i].key)] = old.slots[i];
	free(old.slots);
}

bool keyset_add(struct keyset *s, uint64_t key, uint32_t value, uint32_t *existing)
{
	if ((s->count + 1) * 2 > s->nslots)
		resize(s, s->nslots ? s->nslots * 2 : 1024);
	struct keyset_slot *slot = &s->slots[probe(s, key)];
	if (slot->used) {
		if (existing)
			*existing = slot->value;
		return false;
	}
	*slot = (struct keyset_slot){key, value, 1};
	s->count++;
	return true;
}

bool keyset_get(const struct keyset *s, uint64_t key, uint32_t *value)
{
	if (!s->nslots)
		return false;
	const struct keyset_slot *slot = &s->slots[probe(s, key)];
	if (!slot->used)
		return false;
	if (value)
		*value = slot->value;
	return true;
}
