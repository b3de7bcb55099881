/* alloc.h - allocation that cannot return NULL.
 *
 * Running out of memory is the one failure the core does not propagate: like
 * git's xmalloc, these print "workforce-report: out of memory" and end the
 * process with exit code 70 (after the registered cleanup, see
 * wr_set_fatal_cleanup, removes any temporary output file).
 */
#ifndef WR_ALLOC_H
#define WR_ALLOC_H

#include <stddef.h>

void *xmalloc(size_t size);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t size);
/* realloc to n elements of size bytes, checking the multiplication. */
void *xreallocarray(void *p, size_t n, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

/* Grow *items (holding *cap elements of size bytes) to hold at least need. */
void grow_array(void **items, size_t *cap, size_t need, size_t size);
#define GROW(arr, cap, need)                                                     \
	do {                                                                     \
		if ((need) > (cap))                                              \
			grow_array((void **)&(arr), &(cap), (need), sizeof(*(arr))); \
	} while (0)

/* Called once before the process ends on a fatal allocation failure. */
void wr_set_fatal_cleanup(void (*fn)(void));

#endif
