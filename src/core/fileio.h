/* fileio.h - small helpers over POSIX file descriptors. */
#ifndef WR_FILEIO_H
#define WR_FILEIO_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

/* Write all of data[0..size) to fd, retrying short writes and EINTR.
 * False on an error (errno says which). */
bool write_all(int fd, const void *data, size_t size);

/* Hold back SIGINT, SIGTERM and SIGHUP (whose handlers end the process at
 * once) while files are put in place: true when blocked, the earlier mask
 * in *old for exit_signals_restore. */
bool exit_signals_block(sigset_t *old);
void exit_signals_restore(bool blocked, const sigset_t *old);

#endif
