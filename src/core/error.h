/* error.h - the one error enum of the core library, and its messages.
 *
 * Functions of the core return enum wr_error (WR_OK on success) and write a
 * human message into a caller-owned struct wr_errmsg when they fail. Only
 * main() maps an error to an exit code (wr_exit_code) and exits.
 */
#ifndef WR_ERROR_H
#define WR_ERROR_H

#include <stddef.h>

enum wr_error {
	WR_OK = 0,
	WR_ERR_USAGE,    /* bad command line */
	WR_ERR_DATA,     /* a file that is not CSV, a missing column, --strict rejects */
	WR_ERR_NOINPUT,  /* input folder or roles.csv missing */
	WR_ERR_CANTCREAT,/* output cannot be created */
	WR_ERR_IO,       /* read or write failed */
	WR_ERR_LOCKED,   /* another run holds the output folder's lock */
	WR_ERR_NOMEM,    /* out of memory */
	WR_ERR_INTERRUPTED, /* SIGINT/SIGTERM */
	WR_ERR_COUNT
};

/* A message buffer: functions that fail fill it with "what is wrong first". */
struct wr_errmsg {
	char text[512];
};

const char *wr_strerror(enum wr_error err);

/* Where messages go: stderr, but for the moments a library's own chatter
 * is muted (then the saved stderr), so that a signal handler still speaks. */
extern volatile int wr_message_fd;

/* sysexits(3) code for an error: 0, 64, 65, 66, 73, 74, 75, 70 (software). */
int wr_exit_code(enum wr_error err);

/* printf into msg->text; returns err so callers can `return wr_fail(...)`. */
enum wr_error wr_fail(struct wr_errmsg *msg, enum wr_error err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
