/* notify.c - the seccomp user-notification backend: install, hand over, serve.
 *
 * Start-up: the filter is built in the supervisor after the fork (_attach), while the child
 * builds the jail, and reaches the child as a classic BPF program over the socketpair; the child
 * installs it with one seccomp(2) call (sys_seccomp_listener). Built before the fork, the filter
 * and libseccomp's BPF generation at seccomp_load() (in the child, after the jail) were both on
 * the start-up's critical path (about 0.8 + 0.5 ms of 10 under --enforce).
 *
 * Why the order in the child is safe: the child installs nothing but the program its parent sent
 * on a socketpair that only the two of them hold, and it waits for it: without a program it
 * exits 125 and never execs. After the install the child only calls write/read/close/execve,
 * and only execve is trapped, by which time the supervisor holds the listener (it acknowledged
 * receipt).
 */
#include "notify.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <poll.h>
#include <pthread.h>
#include <seccomp.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../common/sys.h"
#include "../common/timing.h"
#include "../common/util.h"
#include "../trap/backend.h"
#include "../trap/confine.h"
#include "../trap/filter.h"
#include "../trap/netcall.h"
#include "../trap/reap.h"
#include "../trap/resolve.h"
#include "../trap/syscalls.h"
#include "filter.h"
#include "handle.h"

struct notify_state {
	struct backend_base b;	/* the filter and the hand-over socketpair */
	int fd;		/* the listener, in the parent */
};

/* _prepare - before the fork: the hand-over socketpair (the filter follows in _attach). */
static int _prepare(struct launch *l, char *err, size_t errlen)
{
	struct notify_state *st = xcalloc(1, sizeof(*st));
	int r;

	st->fd = -1;
	backend_base_init(&st->b);
	l->priv = st;
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, st->b.sock) < 0) {
		r = -errno;
		snprintf(err, errlen, "socketpair: %s", strerror(errno));
		return r;
	}
	return 0;
}

/* _build - the filter of L's run into ST->filter: the table's traps for the mode, the network
 * calls, the jail's refused calls (not with --no-syscall-filter), the syscall allowlist. 0, or -errno with the reason in ERR. */
static int _build(struct launch *l, struct notify_state *st, char *err, size_t errlen)
{
	int r = 0;

	/* a grant opens on a lookup below it too (trap/session.c): with grants, every path call is
	 * trapped, as under audit */
	st->b.filter = notify_filter_build(l->jail && l->jail->grants ? MODE_AUDIT : l->sess->mode,
					 l->jail && l->jail->strict, &r);
	if (!st->b.filter) {
		snprintf(err, errlen, "cannot build the seccomp filter: %s", strerror(-r));
		return r;
	}
	if (netcall_active(l->sess) && (r = sc_filter_add_net(st->b.filter, SCMP_ACT_NOTIFY)) < 0) {
		snprintf(err, errlen, "cannot add the network calls to the filter: %s", strerror(-r));
		return r;
	}
	if (l->jail && !l->jail->no_syscall_filter &&
	    (r = confine_add(st->b.filter, l->jail->strict)) < 0) {
		snprintf(err, errlen, "cannot add the jail's syscall rules: %s", strerror(-r));
		return r;
	}
	if (l->sess->sysallow && (r = sc_filter_add_outside(st->b.filter, SCMP_ACT_NOTIFY, l->sess->sysallow,
							   l->jail, l->jail && l->jail->strict)) < 0) {
		snprintf(err, errlen, "cannot add the syscall allowlist to the filter: %s", strerror(-r));
		return r;
	}
	return 0;
}

/* _write_full - write LEN bytes of BUF to FD, across short writes; to a socket whose peer is gone
 * (the child died while the filter was being built) an error, never SIGPIPE. 0 or -errno. */
static int _write_full(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		ssize_t n = send(fd, p, len, MSG_NOSIGNAL);

		if (n < 0 && errno == ENOTSOCK)
			n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : -EPIPE;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* _read_full - read exactly LEN bytes from FD into BUF. 0, or -1 on end of file or error. */
static int _read_full(int fd, void *buf, size_t len)
{
	char *p = buf;

	while (len) {
		ssize_t n = read(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* _send_filter - compile ST->filter to BPF (libseccomp's export, into a memfd: a pipe could fill
 * up) and send it on the parent's end of the socketpair: the number of instructions (uint32_t),
 * then the instructions. 0 or -errno (-E2BIG beyond the kernel's BPF_MAXINSNS). */
static int _send_filter(struct notify_state *st)
{
	_cleanup_close_ int mfd = memfd_create("supervise-bpf", MFD_CLOEXEC);
	_cleanup_free_ char *buf = NULL;
	struct stat sb;
	uint32_t count;
	int r;

	if (mfd < 0)
		return -errno;
	r = seccomp_export_bpf(st->b.filter, mfd);
	if (r < 0)
		return r;
	if (fstat(mfd, &sb) < 0)
		return -errno;
	if (sb.st_size <= 0 || sb.st_size % (off_t)sizeof(struct sock_filter))
		return -EINVAL;
	if (sb.st_size > (off_t)(BPF_MAXINSNS * sizeof(struct sock_filter)))
		return -E2BIG;
	count = (uint32_t)(sb.st_size / (off_t)sizeof(struct sock_filter));
	buf = xmalloc((size_t)sb.st_size);
	if (pread(mfd, buf, (size_t)sb.st_size, 0) != sb.st_size)
		return -EIO;
	r = _write_full(st->b.sock[0], &count, sizeof(count));
	return r < 0 ? r : _write_full(st->b.sock[0], buf, (size_t)sb.st_size);
}

/* _recv_filter - child: the program _send_filter sent on SOCK into PROG (instructions malloc'd).
 * 0, or -1 when the supervisor sent none (it failed, and says why) or too many instructions. */
static int _recv_filter(int sock, struct sock_fprog *prog)
{
	uint32_t count;

	if (_read_full(sock, &count, sizeof(count)) < 0 || count == 0 || count > BPF_MAXINSNS)
		return -1;
	prog->len = (unsigned short)count;
	prog->filter = xmalloc(count * sizeof(*prog->filter));
	return _read_full(sock, prog->filter, count * sizeof(*prog->filter));
}

/* _child_enter - child: receive the filter, install it (no_new_privs first, as libseccomp's
 * seccomp_load did), pass the listener up, wait for the ack. */
static void _child_enter(struct launch *l)
{
	struct notify_state *st = l->priv;
	struct sock_fprog prog;
	char ack;
	int r, fd;

	close(st->b.sock[0]);
	if (_recv_filter(st->b.sock[1], &prog) < 0)
		_exit(EXIT_SUPERVISE_FAIL);
	r = sys_set_no_new_privs();
	if (r == 0)
		r = sys_seccomp_listener(&prog);
	if (r < 0) {
		fprintf(stderr, "supervise: cannot install the seccomp filter: %s%s\n", strerror(-r),
			r == -EBUSY ? " (another supervisor's listener is already in this process's filter chain)" : "");
		_exit(EXIT_SUPERVISE_FAIL);
	}
	/* Only write/read from here: the filter may trap sendmsg, so SCM_RIGHTS could deadlock.
	 * The supervisor takes the fd itself (pidfd_getfd) before it acknowledges. */
	fd = r;
	if (write(st->b.sock[1], &fd, sizeof(fd)) != sizeof(fd))
		_exit(EXIT_SUPERVISE_FAIL);
	if (read(st->b.sock[1], &ack, 1) != 1)
		_exit(EXIT_SUPERVISE_FAIL);
	close(fd);
	close(st->b.sock[1]);
}

/* _holder - the process that installed the filter: the end of the chain of only children that
 * starts at the command's process (itself, or, in the jail, C → init → the command). */
static pid_t _holder(pid_t pid)
{
	for (int depth = 0; depth < 4; depth++) {
		char p[64];
		int kid = 0, more = 0;
		_cleanup_fclose_ FILE *f = NULL;

		snprintf(p, sizeof(p), "/proc/%d/task/%d/children", (int)pid, (int)pid);
		f = fopen(p, "re");
		if (!f || fscanf(f, "%d %d", &kid, &more) < 1 || kid <= 0)
			return pid;
		pid = kid;
	}
	return pid;
}

/* _take_listener - read the listener's fd number from SOCK and copy the fd out of the process
 * that holds it (pidfd_getfd), checking that it is a seccomp listener; in a jail, pin that
 * process's root for path lookups (resolve_pin_root says why that is safe). fd or -errno. */
static int _take_listener(struct launch *l, int sock)
{
	char p[64], what[64];
	_cleanup_close_ int pidfd = -1;
	int num, fd;
	pid_t holder;
	ssize_t n;

	if (read(sock, &num, sizeof(num)) != sizeof(num))
		return -EPIPE;
	holder = _holder(l->child);
	pidfd = sys_pidfd_open(holder, 0);
	if (pidfd < 0)
		return pidfd;
	fd = sys_pidfd_getfd(pidfd, num);
	if (fd < 0)
		return fd;
	snprintf(p, sizeof(p), "/proc/self/fd/%d", fd);
	n = readlink(p, what, sizeof(what) - 1);
	if (n < 0 || (what[n] = 0, !strstr(what, "seccomp"))) {
		close(fd);
		return -EPROTO;
	}
	/* without the refused list a thread may unshare and chroot: look its root up per call */
	if (l->jail && !l->jail->no_syscall_filter && resolve_pin_root(pidfd, holder) < 0)
		info("cannot pin the jail's root: looking it up for each path");
	return fd;
}

/* _attach - parent, after the fork: build the filter and send it to the child, receive the
 * listener, opt into synchronous wake-ups, acknowledge. */
static int _attach(struct launch *l, char *err, size_t errlen)
{
	struct notify_state *st = l->priv;
	int r;

	close(st->b.sock[1]);
	st->b.sock[1] = -1;
	timing_begin(TIMING_FILTER);
	r = _build(l, st, err, errlen);
	if (r == 0 && (r = _send_filter(st)) < 0)
		snprintf(err, errlen, "cannot compile the seccomp filter to BPF: %s", strerror(-r));
	if (st->b.filter)	/* sent: not needed any more, freed while the child installs it */
		seccomp_release(st->b.filter);
	st->b.filter = NULL;
	timing_end(TIMING_FILTER);
	if (r < 0)
		return r;
	st->fd = _take_listener(l, st->b.sock[0]);
	if (st->fd < 0) {
		snprintf(err, errlen, "the child did not hand over its seccomp listener");
		return st->fd;
	}
	r = sys_notif_set_flags(st->fd, SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP);
	if (r < 0)
		info("SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP unavailable (%s; Linux 6.6+): using plain wake-ups",
		     strerror(-r));
	if (send(st->b.sock[0], "A", 1, MSG_NOSIGNAL) != 1) {
		snprintf(err, errlen, "cannot acknowledge the listener: %s", strerror(errno));
		return -errno;
	}
	return 0;
}

/* The serve loop answers notifications in the calling thread, which blocks in NOTIF_RECV itself
 * instead of in a poll() of the listener and the signalfd before each one (a syscall per trapped
 * call, which also put the thread on two wait queues and scanned both fds again on wake-up). The
 * signalfd is served by a second thread, the reaper, which forwards signals and reaps until the tree
 * is gone (reap_signals: process-tree state, which the notification path never touches).
 * How the loop ends:
 *  - Linux 6.11+: NOTIF_RECV returns ENOENT once the filter has no user left, and the listener
 *    then polls POLLHUP, so the loop ends by itself when the last trapped process exits, before
 *    the reaper has reaped it;
 *  - before 6.11 NOTIF_RECV blocks on. So when the reaper has seen the tree gone and the loop has
 *    not ended within KICK_GRACE_MS, the reaper interrupts it with KICK, whose handler (installed
 *    only then: KICK keeps its default disposition, ignored, during the run) has no SA_RESTART, so
 *    NOTIF_RECV fails with EINTR; again every KICK_MS, as a kick can land just before the loop
 *    blocks. Nothing is trapped any more by then: no call of the notification path is cut short. */
#define KICK SIGURG
#define KICK_GRACE_MS 100
#define KICK_MS 1

struct serve {
	struct launch *l;
	pthread_t loop;		/* the thread answering notifications */
	atomic_bool done;	/* the reaper saw the whole tree gone */
	atomic_bool out;	/* the loop has ended: no more kicks */
};

/* _kicked - KICK's handler: nothing to do, the interrupted NOTIF_RECV returns EINTR. */
static void _kicked(int sig)
{
	(void)sig;
}

/* _kick_until_out - the tree is gone: wait until the loop of SV has ended, kicking it (see above)
 * once KICK_GRACE_MS have passed. */
static void _kick_until_out(struct serve *sv)
{
	const struct timespec step = { .tv_nsec = KICK_MS * 1000 * 1000 };
	struct sigaction sa = { .sa_handler = _kicked }, old;
	bool armed = false;

	sigemptyset(&sa.sa_mask);
	for (int waited = 0; !atomic_load(&sv->out); waited += KICK_MS) {
		if (waited >= KICK_GRACE_MS) {
			if (!armed)
				armed = sigaction(KICK, &sa, &old) == 0;
			pthread_kill(sv->loop, KICK);
		}
		nanosleep(&step, NULL);
	}
	if (armed)	/* a kick still pending is then ignored */
		sigaction(KICK, &old, NULL);
}

/* _reaper - the reaper thread: serve the signalfd of SV->l until reap_signals says the tree is
 * gone, then set SV->done and see the loop end. Returns NULL. */
static void *_reaper(void *arg)
{
	struct serve *sv = arg;
	struct pollfd pfd = { .fd = sv->l->sigfd, .events = POLLIN };

	pthread_setname_np(pthread_self(), "sv-reaper");
	for (;;) {
		if (poll(&pfd, 1, -1) < 0) {
			if (errno != EINTR)
				errx("poll: %s", strerror(errno));
			continue;
		}
		if ((pfd.revents & POLLIN) && reap_signals(sv->l))
			break;
	}
	atomic_store(&sv->done, true);
	_kick_until_out(sv);
	return NULL;
}

/* _hung_up - whether listener FD has no filter user left (POLLHUP; or the fd is unusable). */
static bool _hung_up(int fd)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };

	return poll(&pfd, 1, 0) > 0 && (pfd.revents & (POLLHUP | POLLERR | POLLNVAL));
}

/* _serve - answer notifications until the tree is gone, while the reaper thread serves the
 * signalfd (see above). Dies if the thread cannot start, as it would on out of memory. */
static void _serve(struct launch *l)
{
	struct notify_state *st = l->priv;
	struct notify_handler *h = notify_handler_new(st->fd, l->sess);
	struct serve sv = { .l = l, .loop = pthread_self() };
	pthread_t reaper;
	int r;

	l->sess->defer = true;	/* notify_handle_one answers, then logs (session_commit) */
	if (l->kept && sys_send_fd(l->keeper[0], st->fd) < 0)	/* see core/keeper.c */
		info("cannot hand the listener to the keeper: if supervise is killed, calls of the "
		     "tree fail with ENOSYS until it is gone");
	r = pthread_create(&reaper, NULL, _reaper, &sv);
	if (r != 0)
		die("cannot start the reaper thread: %s", strerror(r));
	while (!atomic_load(&sv.done)) {
		r = notify_handle_one(h);
		timing_end(TIMING_EXEC);	/* the first trap (the execve) was received and answered */
		if (r < 0 && _hung_up(st->fd))
			break;	/* no filter user left: nothing more to receive */
	}
	atomic_store(&sv.out, true);
	pthread_join(reaper, NULL);
	notify_handler_report(h);
	notify_handler_free(h);
}

/* _release - free the filter, sockets and listener. */
static void _release(struct launch *l)
{
	struct notify_state *st = l->priv;

	if (!st)
		return;
	backend_base_release(&st->b);
	if (st->fd >= 0)
		close(st->fd);
	free(st);
	l->priv = NULL;
}

/* without a jail, the command runs below a keeper holding a copy of the listener (keeper.h) */
const struct backend_ops notify_backend = BACKEND_OPS("notify", true);
