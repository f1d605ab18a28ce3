/* tracer.h - the ptrace backend's state, shared by its files (outside tracer/, only tracer_backend is used). */
#ifndef SUPERVISE_TRACER_H
#define SUPERVISE_TRACER_H

#include <seccomp.h>
#include <stdbool.h>
#include <sys/types.h>

#include "../trap/backend.h"

struct tracer_bt;

/* the ptrace backend, as core/backend_select.c picks it */
extern const struct backend_ops tracer_backend;

struct tracer_state {
	struct backend_base b;	/* the filter; the socketpair: "you are seized, go on" */
	/* PTRACE_CONT normally: the filter's SECCOMP_RET_TRACE stops the trapped calls.
	 * PTRACE_SYSCALL in syscall-stop mode, used when another supervisor's listener is in the
	 * filter chain: its USER_NOTIF outranks RET_TRACE, so the tracer would never see the calls
	 * that supervisor traps; syscall-entry stops come before seccomp and see every call. */
	int resume;
	struct tracer_bt *bt;	/* --backtrace: the unwinder, else NULL */
	uint64_t stops;		/* counters, printed under -v */
};

/* tracer_handle - one waitpid report (TID, wait status ST) of a tracee of L: decide a trapped
 * call, forward a signal, keep a group-stop, let a new tracee run, record an exit. Leaves every
 * stopped tracee resumed. Never fails: a tracee that died meanwhile (ESRCH) is reported later by
 * waitpid; any other ptrace error is printed. */
void tracer_handle(struct tracer_state *st, struct launch *l, pid_t tid, int status);

#endif
