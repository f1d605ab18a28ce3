/* tracer.c - the ptrace backend (tracer_backend): the child installs a SECCOMP_RET_TRACE filter
 * after its parent has seized it; the parent waits for every tracee and decides the trapped
 * calls (stop.c). Edge cases: README.md.
 *
 * Why the order in the child is safe: the filter is loaded only after the parent confirmed that
 * PTRACE_SEIZE (with PTRACE_O_TRACESECCOMP) succeeded, so no trapped call can meet a missing
 * tracer (which the kernel would answer ENOSYS), and the first execve is already a seccomp stop.
 * PTRACE_O_EXITKILL kills every tracee when the supervisor dies, so nothing runs unsupervised.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../common/sys.h"
#include "../common/util.h"
#include "../trap/listener.h"
#include "../trap/confine.h"
#include "../trap/filter.h"
#include "../trap/netcall.h"
#include "../trap/reap.h"
#include "../trap/resolve.h"
#include "backtrace.h"
#include "tracer.h"

#define OPTIONS (PTRACE_O_TRACESECCOMP | PTRACE_O_EXITKILL | PTRACE_O_TRACECLONE | \
		 PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK | PTRACE_O_TRACEEXEC)

#ifndef SECCOMP_FILTER_FLAG_NEW_LISTENER
#define SECCOMP_FILTER_FLAG_NEW_LISTENER (1UL << 3)
#endif

/* _refuse_listeners - make seccomp(SET_MODE_FILTER, NEW_LISTENER) fail with EBUSY, as the kernel
 * does when a listener already exists: a tracee's own USER_NOTIF filter would outrank our
 * RET_TRACE and let it answer its own calls. A nested supervise then falls back to ptrace (and
 * fails to seize, as a tracee has one tracer). Returns 0 or -errno. */
static int _refuse_listeners(scmp_filter_ctx ctx)
{
	return seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EBUSY), SCMP_SYS(seccomp), 2,
				SCMP_CMP(0, SCMP_CMP_EQ, SECCOMP_SET_MODE_FILTER, 0),
				SCMP_CMP(1, SCMP_CMP_MASKED_EQ, SECCOMP_FILTER_FLAG_NEW_LISTENER,
					 SECCOMP_FILTER_FLAG_NEW_LISTENER));
}

/* _prepare - build the filter (RET_TRACE for the trapped calls, or none of them in syscall-stop
 * mode), the hand-over socketpair and, with --backtrace, the unwinder. */
static int _prepare(struct launch *l, char *err, size_t errlen)
{
	struct tracer_state *st = xcalloc(1, sizeof(*st));
	bool nested = listener_busy();
	int r = 0;

	backend_base_init(&st->b);
	st->resume = nested ? PTRACE_SYSCALL : PTRACE_CONT;
	l->priv = st;
	/* a grant opens on a lookup below it too (trap/session.c): trap every path call then */
	st->b.filter = sc_filter_build(l->jail && l->jail->grants ? MODE_AUDIT : l->sess->mode,
				     nested ? SCMP_ACT_ALLOW : SCMP_ACT_TRACE(0),
				     l->jail && l->jail->strict, &r);
	if (st->b.filter)
		r = _refuse_listeners(st->b.filter);
	if (r == 0 && l->jail && !l->jail->no_syscall_filter)	/* the jail's refused calls, as under notify */
		r = confine_add(st->b.filter, l->jail->strict);
	/* bind/sendto/sendmsg are checked as under notify, but not performed by the supervisor: the
	 * call continues after the check (tracer/README.md: a racing thread can swap the address) */
	if (r == 0 && !nested && netcall_active(l->sess))
		r = sc_filter_add_net(st->b.filter, SCMP_ACT_TRACE(0));
	if (r == 0 && !nested && l->sess->sysallow)
		r = sc_filter_add_outside(st->b.filter, SCMP_ACT_TRACE(0), l->sess->sysallow, l->jail,
					  l->jail && l->jail->strict);
	if (r < 0) {
		snprintf(err, errlen, "cannot build the seccomp filter: %s", strerror(-r));
		return r;
	}
	if (nested)
		info("another supervisor's listener is in the filter chain: tracing every syscall entry");
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, st->b.sock) < 0 ||
	    setsockopt(st->b.sock[0], SOL_SOCKET, SO_PASSCRED, &(int){ 1 }, sizeof(int)) < 0) {
		r = -errno;
		snprintf(err, errlen, "socketpair: %s", strerror(errno));
		return r;
	}
	if (l->backtrace)
		st->bt = tracer_bt_new();
	return 0;
}

/* _child_enter - child (the process that will exec the command, inside the jail if any): say
 * who we are, wait until the parent has seized us, then load the filter. The parent learns our
 * pid from the credentials the kernel attaches to the byte we write (SO_PASSCRED), translated
 * into its pid namespace: with a jail this process is a grandchild of the forked one, and the
 * jail's own processes (which exec nothing) are not traced. */
static void _child_enter(struct launch *l)
{
	struct tracer_state *st = l->priv;
	char ack;
	int r;

	close(st->b.sock[0]);
	if (write(st->b.sock[1], "R", 1) != 1 || read(st->b.sock[1], &ack, 1) != 1)
		_exit(EXIT_SUPERVISE_FAIL);	/* the parent could not seize us and said why */
	close(st->b.sock[1]);
	r = seccomp_load(st->b.filter);
	if (r < 0) {
		fprintf(stderr, "supervise: cannot install the seccomp filter: %s\n", strerror(-r));
		_exit(EXIT_SUPERVISE_FAIL);
	}
}

/* _pin_root - in a jail, pin the root of PID (seized, so the pid cannot be reused) for path
 * lookups (resolve_pin_root says why that is safe); on failure each lookup opens it. */
static void _pin_root(pid_t pid)
{
	_cleanup_close_ int pidfd = sys_pidfd_open(pid, 0);

	if (pidfd < 0 || resolve_pin_root(pidfd, pid) < 0)
		info("cannot pin the jail's root: looking it up for each path");
}

/* _attach - parent: learn the command's pid, seize it with the options, let it load its filter. */
static int _attach(struct launch *l, char *err, size_t errlen)
{
	struct tracer_state *st = l->priv;
	pid_t pid;
	int r;

	close(st->b.sock[1]);
	st->b.sock[1] = -1;
	pid = sys_recv_pid(st->b.sock[0]);
	if (pid < 0) {
		snprintf(err, errlen, "the child did not report for tracing: %s", strerror(-pid));
		return pid;
	}
	r = sys_ptrace_seize(pid, OPTIONS | (st->resume == PTRACE_SYSCALL ? PTRACE_O_TRACESYSGOOD : 0));
	if (r < 0) {
		snprintf(err, errlen, "cannot trace the command: PTRACE_SEIZE: %s%s", strerror(-r),
			 r == -EPERM ? " (is supervise itself traced, or does Yama's ptrace_scope forbid it?)" : "");
		return r;
	}
	if (l->jail && !l->jail->no_syscall_filter)	/* without the list a thread may chroot */
		_pin_root(pid);
	/* Syscall-stop mode only takes effect at a restart with PTRACE_SYSCALL: stop it now, so
	 * that serve() restarts it that way before its first execve. */
	if (st->resume == PTRACE_SYSCALL && (r = sys_ptrace_interrupt(pid)) < 0) {
		snprintf(err, errlen, "PTRACE_INTERRUPT: %s", strerror(-r));
		return r;
	}
	if (send(st->b.sock[0], "A", 1, MSG_NOSIGNAL) != 1) {
		snprintf(err, errlen, "cannot release the child: %s", strerror(errno));
		return -errno;
	}
	return 0;
}

/* _serve - wait for every tracee until none is left. Stops are handled as they come; when none
 * is pending, sleep on the signalfd (SIGCHLD says "wait again"; SIGTERM/SIGHUP are forwarded). */
static void _serve(struct launch *l)
{
	struct tracer_state *st = l->priv;
	struct pollfd pfd = { .fd = l->sigfd, .events = POLLIN };

	for (;;) {
		int status;
		pid_t tid = waitpid(-1, &status, __WALL | WNOHANG);

		if (tid > 0) {
			tracer_handle(st, l, tid, status);
			/* A busy tree may never leave waitpid empty: look at signals now and then,
			 * so that a SIGTERM is forwarded without waiting for a quiet moment. */
			if (st->stops % 256 == 0)
				reap_forward_signals(l);
			continue;
		}
		if (tid < 0 && errno == EINTR)
			continue;
		if (tid < 0) {
			if (errno != ECHILD)
				errx("waitpid: %s", strerror(errno));
			reap_none_left(l);
			break;
		}
		reap_leftovers(l);
		if (l->child_done && l->nhelpers && reap_only_helpers(l)) {
			reap_none_left(l);	/* the helpers are ended by their owners */
			break;
		}
		if (poll(&pfd, 1, -1) < 0 && errno != EINTR)
			errx("poll: %s", strerror(errno));
		reap_forward_signals(l);
	}
	info("tracer: %llu stops", (unsigned long long)st->stops);
}

/* _release - free the filter, sockets and unwinder. */
static void _release(struct launch *l)
{
	struct tracer_state *st = l->priv;

	if (!st)
		return;
	backend_base_release(&st->b);
	tracer_bt_free(st->bt);
	free(st);
	l->priv = NULL;
}

/* no keeper: PTRACE_O_EXITKILL kills every tracee with the supervisor */
const struct backend_ops tracer_backend = BACKEND_OPS("ptrace", false);
