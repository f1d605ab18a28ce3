/* decode.h - from a trapped call's registers to the session's decision (backend-neutral). */
#ifndef SUPERVISE_DECODE_H
#define SUPERVISE_DECODE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "session.h"

/* One trapped call, as a backend sees it. */
struct trap {
	pid_t tid;		/* the calling thread, in the supervisor's pid namespace */
	int nr;			/* syscall number */
	uint32_t arch;		/* AUDIT_ARCH_* */
	uint64_t args[6];
	/* still_valid - called after the arguments were copied and named: false when the call is
	 * gone (interrupted, thread dead), so that nothing gets decided on a stale copy. May be NULL
	 * when the thread is stopped for the duration (ptrace). */
	bool (*still_valid)(void *ctx);
	void *ctx;
	/* notify: the notification, which another thread may answer later (see session.h) */
	bool deferrable;
	uint64_t notif_id;
	int notif_fd;
};

/* decode_outside - when S has a syscall allowlist that T's call is not in (and the call is not
 * one supervise needs itself, sys_essential), have the session log it (session_syscall) and
 * return true with its answer in *ERR: EPERM under enforce, else 0 (the call goes on to be
 * decided as any other). Returns false, *ERR untouched, for a listed call. Decided on the syscall
 * number alone, which the kernel gave: no race with the child's memory. */
bool decode_outside(struct session *s, const struct trap *t, int *err);

/* decode_decide - decode T (path or address arguments, access kind), ask S, which logs and learns.
 * Returns 0 to let the call proceed, a positive errno to fail it with, or -1 when the call is gone
 * (nothing to answer). Never fails on a bad argument: enforce answers EFAULT/EBADF, the other
 * modes let the call proceed and the kernel report the error. */
int decode_decide(struct session *s, const struct trap *t);

/* Where the decision path's time goes (--timings): nanoseconds summed over the path arguments
 * decoded, by step. Written only by the thread that decides, and only when timing_on(). */
struct decode_times {
	uint64_t read;		/* copying the path out of the child (process_vm_readv) */
	uint64_t resolve;	/* naming it: cwd or dirfd, normalising, following links */
	uint64_t decide;	/* the cache or the session's decision (policy, denial line, learning) */
	unsigned long paths, cached;
};

/* decode_times_report - add the decode_times lines to the --timings report (timing_add). */
void decode_times_report(void);

#endif
