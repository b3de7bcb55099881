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
	free(s->keys);
	free(s->values);
	free(s->used);
	memset(s, 0, sizeof(*s));
}

static size_t probe(const struct keyset *s, uint64_t key)
{
	size_t mask = s->nslots - 1;
	size_t i = mix(key) & mask;
	while (s->used[i] && s->keys[i] != key)
		i = (i + 1) & mask;
	return i;
}

static void resize(struct keyset *s, size_t nslots)
{
	struct keyset old = *s;
	s->keys = xmalloc(nslots * sizeof(*s->keys));
	s->values = xmalloc(nslots * sizeof(*s->values));
	s->used = xcalloc(nslots, 1);
	s->nslots = nslots;
	for (size_t i = 0; i < old.nslots; i++) {
		if (!old.used[i])
			continue;
		size_t j = probe(s, old.keys[i]);
		s->used[j] = 1;
		s->keys[j] = old.keys[i];
		s->values[j] = old.values[i];
	}
	free(old.keys);
	free(old.values);
	free(old.used);
}

bool keyset_add(struct keyset *s, uint64_t key, uint32_t value, uint32_t *existing)
{
	if ((s->count + 1) * 2 > s->nslots)
		resize(s, s->nslots ? s->nslots * 2 : 1024);
	size_t i = probe(s, key);
	if (s->used[i]) {
		if (existing)
			*existing = s->values[i];
		return false;
	}
	s->used[i] = 1;
	s->keys[i] = key;
	s->values[i] = value;
	s->count++;
	return true;
}

bool keyset_get(const struct keyset *s, uint64_t key, uint32_t *value)
{
	if (!s->nslots)
		return false;
	size_t i = probe(s, key);
	if (!s->used[i])
		return false;
	if (value)
		*value = s->values[i];
	return true;
}
