/* warn.h - how an analysis hands a data problem it finds to whoever keeps
 * the data-quality log: a sink the caller gives, so that the analyses write
 * nothing themselves and know nothing of the log.
 */
#ifndef WR_WARN_H
#define WR_WARN_H

#include <stddef.h>

#include "model/dataset.h"

/* One problem about one input row: a warning (the row is kept). */
struct data_warning {
	enum wr_file file;
	unsigned long line;   /* physical line of the row */
	const char *column;   /* static column name */
	enum dq_kind kind;    /* the kind of problem (model/dq_kind.h) */
	const char *value;    /* the offending value (an id), or NULL */
	const char *message;  /* the detail; may name people */
};

struct warn_sink {
	void (*warn)(void *ctx, const struct data_warning *w);
	void *ctx;
};

#endif
