/* pipes.c - reading a pair of pipes to their ends (pipes.h). */
#include "pipes.h"

#include <errno.h>
#include <poll.h>
#include <unistd.h>

void pipes_drain(const int fd[2], void (*sink)(void *ctx, int which, const char *buf, size_t n),
		 void *ctx, bool close_ends)
{
	struct pollfd p[2] = { { .fd = fd[0], .events = POLLIN }, { .fd = fd[1], .events = POLLIN } };
	char buf[65536];

	while (p[0].fd >= 0 || p[1].fd >= 0) {
		if (poll(p, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		for (int i = 0; i < 2; i++) {
			ssize_t n;

			if (p[i].fd < 0 || !p[i].revents)
				continue;
			n = read(p[i].fd, buf, sizeof(buf));
			if (n < 0 && (errno == EINTR || errno == EAGAIN))
				continue;
			if (n > 0) {
				if (sink)
					sink(ctx, i, buf, (size_t)n);
				continue;
			}
			if (close_ends)
				close(p[i].fd);
			p[i].fd = -1;	/* poll skips negative fds */
		}
	}
	for (int i = 0; close_ends && i < 2; i++)
		if (p[i].fd >= 0)
			close(p[i].fd);
}
