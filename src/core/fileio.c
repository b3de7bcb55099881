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

bool exit_signals_block(sigset_t *old)
{
	sigset_t block;
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	return sigprocmask(SIG_BLOCK, &block, old) == 0;
}

void exit_signals_restore(bool blocked, const sigset_t *old)
{
	if (blocked)
		sigprocmask(SIG_SETMASK, old, NULL);
}
