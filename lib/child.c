/* child.c - descriptor chores of the library's forked children (sv_run_isolated, sv_launch). */
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "internal.h"

int lib_move_fds(int *fds, int n, int lowest)
{
	/* first above everything involved, then down into place, so no dup2 hits a kept fd */
	int top = lowest + n;

	for (int i = 0; i < n; i++) {
		if (fds[i] > top)
			top = fds[i];
	}
	for (int i = 0; i < n; i++) {
		int fd = fcntl(fds[i], F_DUPFD, top + 1);

		if (fd < 0)
			return -errno;
		fds[i] = fd;
	}
	for (int i = 0; i < n; i++) {
		if (dup2(fds[i], lowest + i) < 0)
			return -errno;
		fds[i] = lowest + i;
	}
	return 0;
}

int lib_close_fds_from(int lowest)
{
	return close_range((unsigned)lowest, ~0u, 0) < 0 ? -errno : 0;
}
