/* pipes.h - reading a pair of pipes to their ends (the program's stdout and stderr). */
#ifndef SUPERVISE_PIPES_H
#define SUPERVISE_PIPES_H

#include <stdbool.h>
#include <stddef.h>

/* pipes_drain - read the pipes FD[0] and FD[1] (either may be -1) as data comes, until both
 * reach their end, handing each chunk to SINK with WHICH (0 or 1) and CTX, or throwing it away
 * when SINK is NULL. Both are read, so that neither writer blocks on a full pipe while the other
 * is waited for. With CLOSE_ENDS, each pipe is closed when it ends (and any left open when poll
 * fails); without, the caller closes them. Returns when both ended or poll failed (not EINTR). */
void pipes_drain(const int fd[2], void (*sink)(void *ctx, int which, const char *buf, size_t n),
		 void *ctx, bool close_ends);

#endif
