/* floor.c - the least a seccomp-notify supervisor can do: the cost floor the benchmarks compare
 * supervise against.
 *
 * Usage: floor [-s] CMD [ARG...]
 *   -s  opt the listener into SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP (Linux 6.6+), as supervise does.
 *
 * The child installs a filter (default allow; open, openat, openat2 and connect trapped with
 * SCMP_ACT_NOTIFY), passes the listener over a socketpair and execs CMD. The parent answers every
 * notification with SECCOMP_USER_NOTIF_FLAG_CONTINUE and does nothing else: no argument copy, no
 * /proc lookups, no ID_VALID, no logging. It stops when the child exits and exits with its status
 * (128+N for signal N, 125 when the floor itself failed, 127 when CMD cannot be executed).
 *
 * Like supervise's loop, it blocks in NOTIF_RECV itself, with no poll() before each one: on
 * Linux 6.11+ NOTIF_RECV fails with ENOENT and the listener polls POLLHUP once the filter has no
 * user left, which ends the loop. Older kernels block on in NOTIF_RECV after the child is gone,
 * so there the floor polls the listener and the child's pidfd before each receive (and then pays
 * a syscall per notification that supervise, which has its reaper thread interrupt the loop,
 * does not).
 */
#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <sys/utsname.h>
#include <seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../common/sys.h"
#include "../common/util.h"

/* _filter - the floor's filter: allow all, notify on the open family and connect. Dies on error
 * (setup). */
static scmp_filter_ctx _filter(void)
{
	static const char *const trapped[] = { "open", "openat", "openat2", "connect" };
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);

	if (!ctx)
		die("seccomp_init failed");
	for (size_t i = 0; i < sizeof(trapped) / sizeof(trapped[0]); i++) {
		int nr = seccomp_syscall_resolve_name(trapped[i]);
		int r = nr == __NR_SCMP_ERROR ? -ENOSYS : seccomp_rule_add(ctx, SCMP_ACT_NOTIFY, nr, 0);

		if (r < 0)
			die("seccomp_rule_add(%s): %s", trapped[i], strerror(-r));
	}
	return ctx;
}

/* _child - the forked child: load CTX, send the listener on SOCK, exec ARGV. Never returns. */
static void _child(scmp_filter_ctx ctx, int sock, char **argv)
{
	int r, fd;

	if (sys_set_pdeathsig(SIGKILL) < 0)
		_exit(EXIT_SUPERVISE_FAIL);
	r = seccomp_load(ctx);
	if (r < 0) {
		fprintf(stderr, "floor: seccomp_load: %s\n", strerror(-r));
		_exit(EXIT_SUPERVISE_FAIL);
	}
	fd = seccomp_notify_fd(ctx);
	if (fd < 0 || sys_send_fd(sock, fd) < 0)
		_exit(EXIT_SUPERVISE_FAIL);
	close(fd);
	close(sock);
	execvp(argv[0], argv);
	fprintf(stderr, "floor: %s: %s\n", argv[0], strerror(errno));
	_exit(errno == ENOENT ? 127 : 126);
}

/* _continue - answer the received notification REQ with CONTINUE through RESP; errors other
 * than ENOENT (the caller died or was interrupted) are printed, never fatal. */
static void _continue(int fd, const struct seccomp_notif_sizes *sz, const struct seccomp_notif *req,
		      struct seccomp_notif_resp *resp)
{
	int r;

	memset(resp, 0, sz->seccomp_notif_resp);
	resp->id = req->id;
	resp->flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
	r = sys_notif_send(fd, resp);
	if (r < 0 && r != -ENOENT)
		fprintf(stderr, "floor: NOTIF_SEND: %s\n", strerror(-r));
}

/* _answer - receive one notification into REQ and answer it CONTINUE through RESP. Errors other
 * than ENOENT (the caller died or was interrupted) and EINTR are printed, never fatal. */
static void _answer(int fd, const struct seccomp_notif_sizes *sz, struct seccomp_notif *req,
		    struct seccomp_notif_resp *resp)
{
	int r;

	memset(req, 0, sz->seccomp_notif);
	r = sys_notif_recv(fd, req);
	if (r < 0) {
		if (r != -ENOENT && r != -EINTR)
			fprintf(stderr, "floor: NOTIF_RECV: %s\n", strerror(-r));
		return;
	}
	_continue(fd, sz, req, resp);
}

/* _recv_ends - whether NOTIF_RECV ends by itself when the filter has no user left (Linux 6.11+). */
static bool _recv_ends(void)
{
	struct utsname u;
	unsigned major = 0, minor = 0;

	if (uname(&u) < 0 || sscanf(u.release, "%u.%u", &major, &minor) != 2)
		return false;
	return major > 6 || (major == 6 && minor >= 11);
}

/* _hung_up - listener FD has no filter user left (POLLHUP), or is unusable. */
static bool _hung_up(int fd)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };

	return poll(&pfd, 1, 0) > 0 && (pfd.revents & (POLLHUP | POLLERR | POLLNVAL));
}

/* _serve - answer notifications on FD until the child behind PIDFD exits. */
static void _serve(int fd, int pidfd)
{
	struct seccomp_notif_sizes sz;
	struct seccomp_notif *req;
	struct seccomp_notif_resp *resp;
	struct pollfd pfd[2] = {
		{ .fd = pidfd, .events = POLLIN },
		{ .fd = fd, .events = POLLIN },
	};
	int r = sys_notif_sizes(&sz);

	if (r < 0)
		die("SECCOMP_GET_NOTIF_SIZES: %s", strerror(-r));
	req = xcalloc(1, sz.seccomp_notif > sizeof(*req) ? sz.seccomp_notif : sizeof(*req));
	resp = xcalloc(1, sz.seccomp_notif_resp > sizeof(*resp) ? sz.seccomp_notif_resp : sizeof(*resp));
	while (_recv_ends()) {	/* blocking receives until the filter has no user left */
		memset(req, 0, sz.seccomp_notif);
		r = sys_notif_recv(fd, req);
		if (r < 0 && _hung_up(fd))
			goto out;
		if (r < 0) {
			if (r != -ENOENT && r != -EINTR)
				fprintf(stderr, "floor: NOTIF_RECV: %s\n", strerror(-r));
			continue;
		}
		_continue(fd, &sz, req, resp);
	}
	for (;;) {
		if (poll(pfd, 2, -1) < 0) {
			if (errno != EINTR)
				die_errno("poll");
			continue;
		}
		if (pfd[1].revents & POLLIN)
			_answer(fd, &sz, req, resp);
		else if (pfd[1].revents & (POLLHUP | POLLERR | POLLNVAL))
			pfd[1].fd = -1;	/* no filter user left */
		if (pfd[0].revents & (POLLIN | POLLHUP))
			break;	/* the child exited */
	}
out:
	free(req);
	free(resp);
}

/* _status - the exit status for wait status ST. */
static int _status(int st)
{
	if (WIFEXITED(st))
		return WEXITSTATUS(st);
	if (WIFSIGNALED(st))
		return 128 + WTERMSIG(st);
	return EXIT_SUPERVISE_FAIL;
}

int main(int argc, char **argv)
{
	scmp_filter_ctx ctx;
	int sock[2], fd, pidfd, st, r, sync_wake = 0, a = 1;
	pid_t child;

	if (argc > 1 && strcmp(argv[1], "-s") == 0) {
		sync_wake = 1;
		a++;
	}
	if (a >= argc) {
		fputs("usage: floor [-s] CMD [ARG...]\n", stderr);
		return 2;
	}
	ctx = _filter();
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sock) < 0)
		die_errno("socketpair");
	fflush(NULL);
	child = fork();
	if (child < 0)
		die_errno("fork");
	if (child == 0) {
		close(sock[0]);
		_child(ctx, sock[1], &argv[a]);
	}
	close(sock[1]);
	seccomp_release(ctx);
	pidfd = sys_pidfd_open(child, 0);
	if (pidfd < 0)
		die("pidfd_open: %s", strerror(-pidfd));
	fd = sys_recv_fd(sock[0]);
	close(sock[0]);
	if (fd >= 0) {
		if (sync_wake && (r = sys_notif_set_flags(fd, SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP)) < 0)
			fprintf(stderr, "floor: SYNC_WAKE_UP unavailable: %s\n", strerror(-r));
		_serve(fd, pidfd);
		close(fd);
	}
	/* No listener: the child failed before exec and exits on its own with its reason. */
	while (waitpid(child, &st, 0) < 0)
		if (errno != EINTR)
			die_errno("waitpid");
	close(pidfd);
	return _status(st);
}
