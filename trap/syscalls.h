/* syscalls.h - the table of syscalls supervise traps, and how to read their arguments (pure data).
 * Shared by every backend: notify builds its filter from it, and the handlers decode with it.
 */
#ifndef SUPERVISE_SYSCALLS_H
#define SUPERVISE_SYSCALLS_H

#include <stdbool.h>
#include <stdint.h>

#include "../common/event.h"

#define SC_NOARG 0xff

/* How the access kind of a path argument is derived. */
enum sc_kind {
	SC_OPEN,	/* open flags in arg `flags` (or an open_how at `flags` for openat2) */
	SC_OPENAT2,	/* like SC_OPEN, flags read from struct open_how */
	SC_CREAT,	/* O_CREAT|O_WRONLY|O_TRUNC */
	SC_EXEC,	/* execve / execveat */
	SC_CONNECT,	/* sockaddr at arg 1, length at arg 2, socket fd at arg 0 */
	SC_BIND,	/* the same layout as connect */
	SC_SENDTO,	/* fd 0, buffer 1, length 2, flags 3, sockaddr 4, length 5 (trapped when 4 != 0) */
	SC_SENDMSG,	/* fd 0, struct msghdr 1, flags 2 */
	SC_SENDMMSG,	/* fd 0, struct mmsghdr array 1, count 2, flags 3 */
	SC_FIXED,	/* fixed access kinds per path argument (acc / acc2) */
	SC_MMAP,	/* learn only: a file mapped executable (fd at arg 4) counts as exec */
};

struct sc_path {
	uint8_t dirfd;	/* argument index of the dirfd, or SC_NOARG for AT_FDCWD */
	uint8_t path;	/* argument index of the path pointer */
	enum access acc;/* access kind for SC_FIXED */
};

struct sc_desc {
	int nr;			/* native syscall number */
	const char *name;
	enum sc_kind kind;
	bool always;		/* trapped in every mode (else only in learn and audit) */
	uint8_t flags;		/* argument index of open flags / open_how; SC_NOARG if none */
	uint8_t empty_flag_arg;	/* argument index holding AT_EMPTY_PATH, or SC_NOARG */
	struct sc_path p[2];	/* path arguments; p[1].path == SC_NOARG when only one */
};

/* sc_is_net - KIND is one of the socket-address kinds (connect, bind, sendto, sendmsg, sendmmsg). */
static inline bool sc_is_net(enum sc_kind kind)
{
	return kind >= SC_CONNECT && kind <= SC_SENDMMSG;
}

/* sc_table - the whole table; *N receives its length. */
const struct sc_desc *sc_table(unsigned *n);

/* sc_lookup - the descriptor for syscall number NR, or NULL when not trapped. O(1). */
const struct sc_desc *sc_lookup(int nr);

/* sc_open_access - the access kind an open with FLAGS asks for: stat (O_PATH), create (O_CREAT),
 * write (O_WRONLY/O_RDWR/O_TRUNC), else read. */
enum access sc_open_access(uint64_t flags);

/* sc_denied_table - syscalls refused with EPERM in every mode because they bypass the checks
 * (io_uring, open_by_handle_at). *N receives the length. */
const int *sc_denied_table(unsigned *n);

#endif
