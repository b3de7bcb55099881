/* fileio.h - small helpers over POSIX file descriptors. */
#ifndef WR_FILEIO_H
#define WR_FILEIO_H

#include <stdbool.h>
#include <stddef.h>

/* Write all of data[0..size) to fd, retrying short writes and EINTR.
 * False on an error (errno says which). */
bool write_all(int fd, const void *data, size_t size);

#endif
