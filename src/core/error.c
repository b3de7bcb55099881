/* error.c - see error.h. */
#include "core/error.h"

#include <stdarg.h>
#include <stdio.h>

volatile int wr_message_fd = 2;

static const char *const messages[WR_ERR_COUNT] = {
	[WR_OK] = "no error",
	[WR_ERR_USAGE] = "usage error",
	[WR_ERR_DATA] = "data error",
	[WR_ERR_NOINPUT] = "input missing",
	[WR_ERR_CANTCREAT] = "cannot create output",
	[WR_ERR_IO] = "input/output error",
	[WR_ERR_LOCKED] = "another run holds the lock",
	[WR_ERR_NOMEM] = "out of memory",
	[WR_ERR_INTERRUPTED] = "interrupted",
};

const char *wr_strerror(enum wr_error err)
{
	if ((unsigned)err >= WR_ERR_COUNT)
		return "unknown error";
	return messages[err];
}

int wr_exit_code(enum wr_error err)
{
	switch (err) {
	case WR_OK: return 0;
	case WR_ERR_USAGE: return 64;       /* EX_USAGE */
	case WR_ERR_DATA: return 65;        /* EX_DATAERR */
	case WR_ERR_NOINPUT: return 66;     /* EX_NOINPUT */
	case WR_ERR_CANTCREAT: return 73;   /* EX_CANTCREAT */
	case WR_ERR_IO: return 74;          /* EX_IOERR */
	case WR_ERR_LOCKED: return 75;      /* EX_TEMPFAIL */
	case WR_ERR_INTERRUPTED: return 130;/* 128 + SIGINT, as shells report it */
	case WR_ERR_NOMEM:
	default: return 70;                 /* EX_SOFTWARE */
	}
}

enum wr_error wr_fail(struct wr_errmsg *msg, enum wr_error err, const char *fmt, ...)
{
	if (msg) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(msg->text, sizeof(msg->text), fmt, ap);
		va_end(ap);
	}
	return err;
}
