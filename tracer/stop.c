/* stop.c - one waitpid report of a tracee: what kind of stop it is and how to resume it.
 *
 * Why this is safe:
 *  - every stopped tracee is resumed exactly once here, whatever the stop (an unresumed tracee
 *    hangs like an unanswered notification);
 *  - a trapped call is decided while its thread is stopped, on copies of its registers and
 *    memory, and denied by skipping it (orig_rax = -1, rax = -errno) before the kernel runs it;
 *    since Linux 4.8 seccomp re-checks the call after the stop, so a skipped call stays skipped;
 *  - signals are injected back unchanged (only ptrace's own SIGTRAP|0x80 syscall stops are
 *    consumed), so the tracee sees the signals it would see untraced;
 *  - other threads of the tracee keep running: a path in shared memory can change after the
 *    copy, as with notify (see trap/decode.c).
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/wait.h>

#include "../common/sys.h"
#include "../common/util.h"
#include "../trap/decode.h"
#include "../trap/filter.h"
#include "../trap/syscalls.h"
#include "../trap/reap.h"
#include "backtrace.h"
#include "tracer.h"

/* _trap - a seccomp stop (or, in syscall-stop mode, a syscall-entry stop) of TID: read the call,
 * decide it, and skip it with the errno when denied. Exit stops and untrapped calls pass. */
static void _trap(struct tracer_state *st, struct session *s, pid_t tid)
{
	struct __ptrace_syscall_info si;
	struct trap t = { .tid = tid };
	_cleanup_free_ char *bt = NULL;
	int r = sys_ptrace_syscall_info(tid, &si), err;

	if (r < 0) {
		if (r != -ESRCH)
			errx("PTRACE_GET_SYSCALL_INFO %d: %s", (int)tid, strerror(-r));
		return;
	}
	if (si.op == PTRACE_SYSCALL_INFO_SECCOMP) {
		t.nr = (int)si.seccomp.nr;
		memcpy(t.args, si.seccomp.args, sizeof(t.args));
	} else if (si.op == PTRACE_SYSCALL_INFO_ENTRY) {
		t.nr = (int)si.entry.nr;
		memcpy(t.args, si.entry.args, sizeof(t.args));
		if (!sc_filter_wants(s->mode, s->sysallow, t.nr, t.args))
			return;
	} else {
		return;	/* syscall-exit stop */
	}
	t.arch = si.arch;
	if (st->bt)
		s->backtrace = bt = tracer_bt_walk(st->bt, tid);
	session_hold(s);
	if (!decode_outside(s, &t, &err) || (!err && sc_lookup(t.nr)))
		err = decode_decide(s, &t);
	session_release(s);
	s->backtrace = NULL;
	if (err <= 0)
		return;
	r = sys_ptrace_skip_syscall(tid, err);
	if (r < 0 && r != -ESRCH)
		errx("denying a call of %d: %s", (int)tid, strerror(-r));
}

/* _is_stop_signal - SIG stops the thread group (group-stop). */
static bool _is_stop_signal(int sig)
{
	return sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU;
}

void tracer_handle(struct tracer_state *st, struct launch *l, pid_t tid, int status)
{
	int sig, req = st->resume, inject = 0, r;

	if (!WIFSTOPPED(status)) {
		reap_record(l, tid, status);
		return;
	}
	st->stops++;
	sig = WSTOPSIG(status);
	switch ((unsigned)status >> 16) {
	case PTRACE_EVENT_SECCOMP:
		/* In syscall-stop mode our filter traces nothing: this is the tracee's own
		 * RET_TRACE, and its call was decided at its entry stop already. */
		if (st->resume != PTRACE_SYSCALL)
			_trap(st, l->sess, tid);
		break;
	case PTRACE_EVENT_STOP:
		/* A group-stop (the stop signal) stays stopped until SIGCONT, which LISTEN lets
		 * through; SIGTRAP is a new tracee's first stop or the end of a group-stop. */
		if (_is_stop_signal(sig))
			req = PTRACE_LISTEN;
		break;
	case 0:
		if (sig == (SIGTRAP | 0x80))
			_trap(st, l->sess, tid);	/* syscall-stop mode */
		else
			inject = sig;	/* signal-delivery stop: deliver it */
		break;
	case PTRACE_EVENT_EXEC:
		tracer_bt_forget(st->bt);
		break;
	default:
		break;	/* fork, vfork, clone: the child is already ours */
	}
	r = sys_ptrace_resume(req, tid, inject);
	if (r < 0 && r != -ESRCH)
		errx("resuming %d: %s", (int)tid, strerror(-r));
}
