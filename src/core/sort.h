/* sort.h - qsort that accepts an empty array: qsort's base must not be
 * NULL even for n = 0 (UBSan reports it), and nothing needs sorting below
 * two elements. */
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

#endif
