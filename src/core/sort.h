/* sort.h - sorting that accepts an empty array (qsort's base must not be
 * NULL even for n = 0, and UBSan reports it) and, with sort_with, a
 * comparison that takes its context as an argument instead of a
 * file-scope variable, so that sorts are re-entrant (C11 has no qsort_r). */
#ifndef WR_SORT_H
#define WR_SORT_H

#include <stddef.h>
#include <stdlib.h>

static inline void sort_items(void *base, size_t n, size_t size,
			      int (*cmp)(const void *, const void *))
{
	if (n > 1)
		qsort(base, n, size, cmp);
}

/* Sort base[0..n) of size-byte elements with cmp(a, b, ctx), stable (a
 * merge sort; it allocates n elements of scratch). */
void sort_with(void *base, size_t n, size_t size,
	       int (*cmp)(const void *a, const void *b, void *ctx), void *ctx);

#endif
