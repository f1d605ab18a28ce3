/* xserver.c - the x11 helper and the nested X server (setup regime). See xserver.h.
 *
 * Why this is safe:
 *   - the cookie is 16 bytes of getrandom(2), written 0600 into a directory mkdtemp made 0700;
 *     the server takes only clients that show it (-auth), and no TCP (-nolisten tcp);
 *   - the jail sees the server's socket and the cookie file only (core/desktop.c binds them),
 *     never /tmp/.X11-unix as a whole nor the host's display; the host's abstract socket is in
 *     the host's network namespace, which a jail under x11 nested never shares (desktop.c);
 *   - nothing outlives the run: the helper removes what it made when S stops it or dies
 *     (PDEATHSIG), and the server dies with the helper (PDEATHSIG).
 */
#include "xserver.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../common/sys.h"
#include "../common/util.h"
#include "xauth.h"

#define X11_DIR "/tmp/.X11-unix"

/* _write_cookie - FILE (created 0600, replaced) := one FamilyWild entry of COOKIE (LEN bytes) for
 * DISPLAY, made OWNER's unless -1. Written to FILE.new and renamed, so a reader never sees half
 * of it. 0 or -errno. */
static int _write_cookie(const char *file, unsigned display, const uint8_t *cookie, size_t len,
			 uid_t owner)
{
	uint8_t buf[512];
	size_t n = xauth_entry(display, cookie, len, buf, sizeof(buf));
	_cleanup_free_ char *tmp = xasprintf("%s.new", file);
	_cleanup_close_ int fd = -1;

	if (!n)
		return -EINVAL;
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	if (write(fd, buf, n) != (ssize_t)n || (owner != (uid_t)-1 && fchown(fd, owner, -1) < 0) ||
	    rename(tmp, file) < 0) {
		int e = errno ? errno : EIO;

		unlink(tmp);
		return -e;
	}
	return 0;
}

/* _lock_pid - the pid in the server lock file of DISPLAY (/tmp/.XN-lock), or 0. */
static pid_t _lock_pid(long display)
{
	char path[64], buf[32] = { 0 };
	_cleanup_close_ int fd = -1;

	snprintf(path, sizeof(path), "/tmp/.X%ld-lock", display);
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 || read(fd, buf, sizeof(buf) - 1) <= 0)
		return 0;
	return (pid_t)atol(buf);
}

/* _wait_gone - wait up to MS for the child PID to exit; true when it did (reaped). */
static bool _wait_gone(pid_t pid, int ms)
{
	for (int t = 0; t <= ms; t += 10) {
		if (waitpid(pid, NULL, WNOHANG) != 0)
			return true;
		usleep(10000);
	}
	return false;
}

/* _end_server - in the helper: stop the server PID of DISPLAY (SIGTERM, SIGKILL after
 * XSERVER_STOP_MS) and remove the socket and lock it left when it had to be killed. */
static void _end_server(pid_t pid, long display)
{
	char path[64];

	if (pid <= 0)
		return;
	kill(pid, SIGTERM);
	if (_wait_gone(pid, XSERVER_STOP_MS))
		return;
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	if (display < 0 || _lock_pid(display) != pid)
		return;	/* not its own any more */
	snprintf(path, sizeof(path), X11_DIR "/X%ld", display);
	unlink(path);
	snprintf(path, sizeof(path), "/tmp/.X%ld-lock", display);
	unlink(path);
}

/* _remove_dir - remove DIR's files (Xauthority, server.log) and DIR itself. */
static void _remove_dir(const char *dir)
{
	static const char *const names[] = { "Xauthority", "Xauthority.new", "server.log" };

	for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
		_cleanup_free_ char *p = xasprintf("%s/%s", dir, names[i]);

		unlink(p);
	}
	rmdir(dir);
}

/* _exec_server - in the server's process: stdio to /dev/null and DIR/server.log, the ready pipe
 * DFD as fd 3, nothing else open, then exec ARGV. Never returns (127 when exec fails). */
static void __attribute__((noreturn)) _exec_server(const char *dir, int dfd, char *const *argv)
{
	_cleanup_free_ char *log = xasprintf("%s/server.log", dir);
	int null = open("/dev/null", O_RDONLY | O_CLOEXEC);
	int out = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	sigset_t none;

	if (null < 0 || out < 0 || dup2(null, 0) < 0 || dup2(out, 1) < 0 || dup2(out, 2) < 0 ||
	    dup2(dfd, 3) < 0 || (dfd == 3 && fcntl(3, F_SETFD, 0) < 0))
		_exit(126);
	close_range(4, ~0U, 0);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	execvp(argv[0], argv);
	dprintf(2, "exec %s: %s\n", argv[0], strerror(errno));
	_exit(127);
}

/* _log_tail - the last line of DIR/server.log (at most LEN-1 bytes) into BUF; "" when none. */
static void _log_tail(const char *dir, char *buf, size_t len)
{
	_cleanup_free_ char *log = xasprintf("%s/server.log", dir);
	_cleanup_fclose_ FILE *f = fopen(log, "re");
	char line[512];

	buf[0] = 0;
	while (f && fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = 0;
		if (*line) {
			size_t n = strlen(line) < len - 1 ? strlen(line) : len - 1;

			memcpy(buf, line, n);
			buf[n] = 0;
		}
	}
}

/* _await_ready - in the helper: the display number the server PID writes on DFD once it takes
 * connections, or -1 with the reason in WHY (it exited, or XSERVER_START_MS passed). */
static long _await_ready(pid_t pid, int dfd, const char *dir, char *why, size_t whylen)
{
	char buf[32] = { 0 }, tail[300];
	size_t got = 0;
	int st;

	for (int t = 0; t < XSERVER_START_MS; t += 50) {
		struct pollfd p = { .fd = dfd, .events = POLLIN };
		ssize_t n;

		if (poll(&p, 1, 50) > 0 && (n = read(dfd, buf + got, sizeof(buf) - 1 - got)) > 0) {
			got += (size_t)n;
			if (memchr(buf, '\n', got))
				return atol(buf);
		}
		if (waitpid(pid, &st, WNOHANG) == pid) {
			_log_tail(dir, tail, sizeof(tail));
			snprintf(why, whylen, "the server exited (status %d) before it was ready%s%s",
				 WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st),
				 *tail ? ": " : "", tail);
			return -1;
		}
	}
	snprintf(why, whylen, "the server was not ready after %d ms", XSERVER_START_MS);
	return -1;
}

/* _helper - the x11 helper (see xserver.h): start ARGV (NULL: no server) with its ready pipe
 * DFD (write end DFDW), tell S on FD "ok DISPLAY PID" or "error WHY", then wait for SIGTERM
 * (S's stop, or S's death) or the server's exit, and remove everything. Never returns. */
static void __attribute__((noreturn)) _helper(const char *dir, int fd, pid_t parent,
					       char *const *argv, int dfd, int dfdw)
{
	char msg[600], why[500];
	sigset_t set;
	pid_t pid = 0;
	long display = -1;
	int sig;

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGCHLD);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGINT);
	sigprocmask(SIG_BLOCK, &set, NULL);
	if (sys_set_pdeathsig(SIGTERM) < 0 || getppid() != parent)
		goto out;
	setsid();	/* not reached by the terminal's signals: S ends it */
	if (argv && (pid = fork()) == 0) {
		if (sys_set_pdeathsig(SIGTERM) < 0 || getppid() == 1)
			_exit(126);
		_exec_server(dir, dfdw, argv);
	}
	if (dfdw >= 0)
		close(dfdw);
	if (argv && (pid < 0 || (display = _await_ready(pid, dfd, dir, why, sizeof(why))) < 0))
		snprintf(msg, sizeof(msg), "error %s", pid < 0 ? strerror(errno) : why);
	else
		snprintf(msg, sizeof(msg), "ok %ld %d", display, (int)pid);
	if (write(fd, msg, strlen(msg)) < 0 || !strncmp(msg, "error", 5))
		goto out;
	for (;;) {
		sig = sigwaitinfo(&set, NULL);
		if (sig == SIGCHLD && pid && waitpid(pid, NULL, WNOHANG) == pid) {
			pid = 0;	/* the server is gone; the helper waits for S, which reaps it */
			continue;
		}
		if (sig != SIGCHLD && !(sig < 0 && errno == EINTR))
			break;
	}
out:
	_end_server(pid, display);
	_remove_dir(dir);
	_exit(0);
}

/* _spawn - make X->dir, fork the helper for ARGV (NULL: no server); on "ok" from it, fill
 * X->display (nested) and X->server. 0, or -1 with ERR (all removed again). */
static int _spawn(struct xserver *x, char *const *argv, int dfd[2], char *err, size_t errlen)
{
	int sp[2];
	pid_t parent = getpid();
	char msg[600] = { 0 };
	struct pollfd p;
	ssize_t n = -1;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sp) < 0)
		die_errno("socketpair");
	fflush(NULL);
	x->helper = fork();
	if (x->helper < 0)
		die_errno("fork");
	if (x->helper == 0) {
		close(sp[0]);
		_helper(x->dir, sp[1], parent, argv, dfd[0], dfd[1]);
	}
	close(sp[1]);
	x->fd = sp[0];
	p = (struct pollfd){ .fd = x->fd, .events = POLLIN };
	if (poll(&p, 1, XSERVER_START_MS + 2000) > 0)
		n = read(x->fd, msg, sizeof(msg) - 1);
	if (n > 3 && !strncmp(msg, "ok ", 3)) {
		long d = -1, pid = 0;

		sscanf(msg + 3, "%ld %ld", &d, &pid);
		if (argv)
			x->display = d;
		x->server = (pid_t)pid;
		return 0;
	}
	snprintf(err, errlen, "%s", n > 6 ? msg + 6 : "the x11 helper did not answer");
	xserver_stop(x);
	return -1;
}

/* _mkdir - X->dir := a new private directory /tmp/supervise-x11.XXXXXX (0700). 0, or -1 + ERR. */
static int _mkdir(struct xserver *x, char *err, size_t errlen)
{
	char tmpl[] = "/tmp/supervise-x11.XXXXXX";

	x->fd = -1;
	x->display = -1;
	if (!mkdtemp(tmpl)) {
		snprintf(err, errlen, "cannot make a directory for the cookie: %s: %s", tmpl,
			 strerror(errno));
		return -1;
	}
	x->dir = xstrdup(tmpl);
	return 0;
}

int xserver_nested(struct xserver *x, const char *server, const char *title, unsigned w,
		   unsigned h, uid_t owner, char *err, size_t errlen)
{
	uint8_t cookie[XAUTH_COOKIE_LEN];
	char size[32], *argv[20];
	int dfd[2], r, n = 0;
	struct stat st;

	if (_mkdir(x, err, errlen) < 0)
		return -1;
	x->cookie = xasprintf("%s/Xauthority", x->dir);
	if (getrandom(cookie, sizeof(cookie), 0) != sizeof(cookie) ||
	    (r = _write_cookie(x->cookie, 0, cookie, sizeof(cookie), owner)) < 0) {
		snprintf(err, errlen, "cannot write the cookie %s: %s", x->cookie, strerror(errno));
		xserver_stop(x);
		return -1;
	}
	snprintf(size, sizeof(size), "%ux%u", w, h);
	argv[n++] = (char *)server;
	argv[n++] = "-displayfd";
	argv[n++] = "3";
	argv[n++] = "-auth";
	argv[n++] = x->cookie;
	argv[n++] = "-nolisten";
	argv[n++] = "tcp";
	argv[n++] = "-noreset";
	argv[n++] = "-title";
	argv[n++] = (char *)title;
	argv[n++] = "-screen";
	argv[n++] = size;
	argv[n] = NULL;
	if (pipe2(dfd, O_CLOEXEC) < 0)
		die_errno("pipe2");
	r = _spawn(x, argv, dfd, err, errlen);
	close(dfd[0]);
	close(dfd[1]);
	if (r < 0)
		return -1;
	/* the number is known now: the client's entry names it (the server read the file already) */
	x->sock = xasprintf(X11_DIR "/X%ld", x->display);
	if ((r = _write_cookie(x->cookie, (unsigned)x->display, cookie, sizeof(cookie), owner)) < 0 ||
	    lstat(x->sock, &st) < 0 || !S_ISSOCK(st.st_mode)) {
		snprintf(err, errlen, "%s: %s", r < 0 ? x->cookie : x->sock,
			 strerror(r < 0 ? -r : errno ? errno : ENOTSOCK));
		xserver_stop(x);
		return -1;
	}
	return 0;
}

/* _host_cookie - the host's cookie for DISPLAY from the Xauthority file XAUTH into COOKIE (of
 * XAUTH_DATA_MAX bytes). Its length, or 0 when the file or the entry is missing. */
static size_t _host_cookie(const char *xauth, long display, uint8_t *cookie)
{
	static uint8_t file[65536];
	char host[256] = { 0 };
	_cleanup_close_ int fd = xauth ? open(xauth, O_RDONLY | O_CLOEXEC) : -1;
	ssize_t n = fd >= 0 ? read(fd, file, sizeof(file)) : -1;
	long r;

	if (n <= 0)
		return 0;
	gethostname(host, sizeof(host) - 1);
	r = xauth_find(file, (size_t)n, (unsigned)display, host, cookie);
	return r > 0 ? (size_t)r : 0;
}

int xserver_host(struct xserver *x, long display, const char *xauth, uid_t owner, char *err,
		 size_t errlen)
{
	uint8_t cookie[XAUTH_DATA_MAX];
	size_t len;
	struct stat st;
	int dfd[2] = { -1, -1 }, r;

	x->fd = -1;
	x->sock = xasprintf(X11_DIR "/X%ld", display);
	if (lstat(x->sock, &st) < 0 || !S_ISSOCK(st.st_mode)) {
		snprintf(err, errlen, "x11 host: %s: %s (is DISPLAY a local X server?)", x->sock,
			 strerror(errno ? errno : ENOTSOCK));
		free(x->sock);
		x->sock = NULL;
		return -1;
	}
	if (_mkdir(x, err, errlen) < 0)
		return -1;
	x->display = display;
	len = _host_cookie(xauth, display, cookie);
	if (len) {
		x->cookie = xasprintf("%s/Xauthority", x->dir);
		if ((r = _write_cookie(x->cookie, (unsigned)display, cookie, len, owner)) < 0) {
			snprintf(err, errlen, "cannot write the cookie %s: %s", x->cookie,
				 strerror(-r));
			xserver_stop(x);
			return -1;
		}
	}
	return _spawn(x, NULL, dfd, err, errlen);
}

void xserver_stop(struct xserver *x)
{
	if (x->helper > 0) {
		kill(x->helper, SIGTERM);
		while (waitpid(x->helper, NULL, 0) < 0 && errno == EINTR)
			;
	} else if (x->dir) {	/* the helper never started */
		_remove_dir(x->dir);
	}
	x->helper = 0;
	if (x->fd >= 0)
		close(x->fd);
	x->fd = -1;
	free(x->dir);
	free(x->cookie);
	free(x->sock);
	x->dir = x->cookie = x->sock = NULL;
}
