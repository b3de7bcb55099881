/* sort.c - see sort.h. */
#include "core/sort.h"

#include <string.h>

#include "core/alloc.h"

struct merge {
	size_t size;
	int (*cmp)(const void *, const void *, void *);
	void *ctx;
	char *tmp;
};

/* Sort a[0..n) through tmp (room for n): top-down, stable. */
static void merge_sort(const struct merge *m, char *a, size_t n)
{
	if (n < 2)
		return;
	size_t half = n / 2, sz = m->size;
	merge_sort(m, a, half);
	merge_sort(m, a + half * sz, n - half);
	if (m->cmp(a + (half - 1) * sz, a + half * sz, m->ctx) <= 0)
		return; /* already in order */
	memcpy(m->tmp, a, half * sz);
	size_t i = 0, j = half, k = 0;
	while (i < half && j < n) {
		if (m->cmp(a + j * sz, m->tmp + i * sz, m->ctx) < 0)
			memcpy(a + k++ * sz, a + j++ * sz, sz);
		else
			memcpy(a + k++ * sz, m->tmp + i++ * sz, sz);
	}
	memcpy(a + k * sz, m->tmp + i * sz, (half - i) * sz);
}

void sort_with(void *base, size_t n, size_t size,
	       int (*cmp)(const void *a, const void *b, void *ctx), void *ctx)
{
	if (n < 2)
		return;
	struct merge m = {size, cmp, ctx, xmalloc((n / 2 + 1) * size)};
	merge_sort(&m, base, n);
	free(m.tmp);
}
