/* alloc.c - see alloc.h. */
#include "core/alloc.h"

#include <setjmp.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The innermost alloc_catch of this thread, and the size that failed. */
struct catcher {
	jmp_buf env;
};
static _Thread_local struct catcher *catcher;
static _Thread_local size_t failed_size;

/* alloc_fail_after: armed is set before any thread starts, then only read */
static bool fail_armed;
static atomic_ulong fail_countdown;

void alloc_fail_after(unsigned long n)
{
	fail_armed = n > 0;
	atomic_store(&fail_countdown, n);
}

/* Whether this allocation is the one alloc_fail_after chose. */
static bool injected_failure(void)
{
	return fail_armed && atomic_fetch_sub(&fail_countdown, 1) == 1;
}

static _Noreturn void out_of_memory(size_t size)
{
	if (!catcher) {
		static const char msg[] = "workforce-report: out of memory outside alloc_catch\n";
		fputs(msg, stderr);
		abort();
	}
	failed_size = size;
	longjmp(catcher->env, 1);
}

enum wr_error alloc_catch(enum wr_error (*fn)(void *arg), void *arg, struct wr_errmsg *err)
{
	struct catcher here;
	struct catcher *volatile outer = catcher;
	if (setjmp(here.env)) {
		catcher = outer;
		return wr_fail(err, WR_ERR_NOMEM, "out of memory (allocating %zu bytes)",
			       failed_size);
	}
	catcher = &here;
	enum wr_error e = fn(arg);
	catcher = outer;
	return e;
}

void *xmalloc(size_t size)
{
	void *p = injected_failure() ? NULL : malloc(size ? size : 1);
	if (!p)
		out_of_memory(size);
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = injected_failure() ? NULL : calloc(n ? n : 1, size ? size : 1);
	if (!p)
		out_of_memory(n * size);
	return p;
}

void *xrealloc(void *p, size_t size)
{
	void *q = injected_failure() ? NULL : realloc(p, size ? size : 1);
	if (!q)
		out_of_memory(size);
	return q;
}

void *xreallocarray(void *p, size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size)
		out_of_memory(SIZE_MAX);
	return xrealloc(p, n * size);
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

void grow_array(void **items, size_t *cap, size_t need, size_t size)
{
	if (need <= *cap)
		return;
	size_t n = *cap ? *cap : 16;
	while (n < need)
		n = n < SIZE_MAX / 2 ? n * 2 : need;
	*items = xreallocarray(*items, n, size);
	*cap = n;
}
