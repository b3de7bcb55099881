/* fileio.c - see fileio.h. */
#include "core/fileio.h"

#include <errno.h>
#include <unistd.h>

bool write_all(int fd, const void *data, size_t size)
{
	const char *p = data;
	while (size > 0) {
		ssize_t w = write(fd, p, size);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return false;
		}
		p += w;
		size -= (size_t)w;
	}
	return true;
}
