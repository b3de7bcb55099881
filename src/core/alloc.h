/* alloc.h - allocation that does not return NULL.
 *
 * Callers never check: when an allocation fails, control goes back to the
 * innermost alloc_catch() of the thread (a longjmp), which then returns
 * WR_ERR_NOMEM to its caller like any other error. The pipeline
 * (report_run) and each worker thread set one; the memory allocated until
 * then is not freed, as the run is over. With no catch set, the process
 * aborts (a bug: every entry point sets one).
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

/* Tests only (WR_TEST_ALLOC_FAIL): from now on, the n-th call of the
 * allocators above, counted over every thread, fails as if memory had run
 * out (n = 1: the next one); n = 0 never. Call it before any thread starts. */
void alloc_fail_after(unsigned long n);

/* Grow *items (holding *cap elements of size bytes) to hold at least need. */
void grow_array(void **items, size_t *cap, size_t need, size_t size);
#define GROW(arr, cap, need)                                                     \
	do {                                                                     \
		if ((need) > (cap))                                              \
			grow_array((void **)&(arr), &(cap), (need), sizeof(*(arr))); \
	} while (0)

/* Run fn(arg) so that an allocation failure inside it returns
 * WR_ERR_NOMEM (with a message in err) instead of fn's result. Nests. */
#include "core/error.h"
enum wr_error alloc_catch(enum wr_error (*fn)(void *arg), void *arg, struct wr_errmsg *err);

#endif
