/* gate.c - the control socket's gate (see gate.h). */
#include "gate.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../common/proc.h"
#include "../common/sys.h"
#include "../common/util.h"

#define GATE_TIMEOUT_S 2

/* _own_dir - make DIR (mode 0700) unless it exists, and check that it is a directory of ours that
 * no one else can enter. 0 or -errno with ERR. */
static int _own_dir(const char *dir, char *err, size_t errlen)
{
	struct stat st;

	if (mkdir(dir, 0700) < 0 && errno != EEXIST) {
		snprintf(err, errlen, "%s: %s", dir, strerror(errno));
		return -errno;
	}
	if (lstat(dir, &st) < 0) {
		snprintf(err, errlen, "%s: %s", dir, strerror(errno));
		return -errno;
	}
	if (!S_ISDIR(st.st_mode) || st.st_uid != geteuid() || (st.st_mode & 077)) {
		snprintf(err, errlen, "%s is not a directory of mode 0700 owned by uid %u", dir,
			 (unsigned)geteuid());
		return -EPERM;
	}
	return 0;
}

/* _bind - a listening SOCK_SEQPACKET socket at PATH, mode 0600 (a stale one of a dead supervisor
 * with our pid is replaced). fd or -errno. */
static int _bind(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0), e;
	mode_t old;

	if (fd < 0)
		return -errno;
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	unlink(path);
	old = umask(077);
	e = bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(fd, 8) < 0 ? -errno : 0;
	umask(old);
	if (e) {
		close(fd);
		return e;
	}
	return fd;
}

/* _same_userns - whether process PID (PIDFD, or -1) with uid UID is in our user namespace, and
 * still runs. A gate not run by root cannot read root's namespace links: a caller with uid 0 is
 * then real root (a jailed process of this user has this user's uid), and is admitted. */
static bool _same_userns(pid_t pid, int pidfd, uid_t uid)
{
	char p[64], mine[64], theirs[64];
	ssize_t a, b;

	if (pid <= 0 || pidfd < 0)
		return false;	/* not in our pid namespace: an ancestor's process */
	snprintf(p, sizeof(p), "/proc/%d/ns/user", (int)pid);
	a = readlink("/proc/self/ns/user", mine, sizeof(mine) - 1);
	b = readlink(p, theirs, sizeof(theirs) - 1);
	if (b < 0 && errno == EACCES && uid == 0 && geteuid() != 0)
		return sys_pidfd_alive(pidfd);
	if (a <= 0 || b <= 0)
		return false;
	mine[a] = theirs[b] = 0;
	return !strcmp(mine, theirs) && sys_pidfd_alive(pidfd);
}

/* _in_run - whether process PID descends from the supervisor (our parent): a program of the very
 * run, outside any jail (--no-jail, audit, learn), must not widen its own rules. Orphans of the
 * tree are reparented to the supervisor (a child subreaper), so the chain always leads there. */
static bool _in_run(pid_t pid)
{
	pid_t sv = getppid();

	for (int depth = 0; pid > 1 && depth < 4096; depth++) {
		if (pid == sv)
			return true;
		pid = util_proc_ppid(pid);
	}
	return false;
}

/* _refuse_why - why the caller on socket C (credentials CR) is not served, or NULL: into WHY. */
static const char *_refuse_why(int c, const struct ucred *cr, char *why, size_t len)
{
	_cleanup_close_ int pidfd = sys_peer_pidfd(c);

	if (pidfd < 0)
		pidfd = sys_pidfd_open(cr->pid, 0);
	if (cr->uid != getuid() && cr->uid != 0) {
		snprintf(why, len, "refused: uid %u is neither the supervisor's user (%u) nor root",
			 (unsigned)cr->uid, (unsigned)getuid());
		return why;
	}
	if (!_same_userns(cr->pid, pidfd, cr->uid)) {
		snprintf(why, len, "refused: the caller (pid %d) is in another user namespace (a jail or "
			 "a container)", (int)cr->pid);
		return why;
	}
	if (_in_run(cr->pid) && sys_pidfd_alive(pidfd)) {
		snprintf(why, len, "refused: the caller (pid %d) is a process of the run itself",
			 (int)cr->pid);
		return why;
	}
	return NULL;
}

/* _pass - hand M to the supervisor on SV and its answer to the caller on C. False when the
 * supervisor is gone. */
static bool _pass(int sv, int c, struct gate_msg *m)
{
	char reply[GATE_REPLY_MAX];
	ssize_t n;

	if (send(sv, m, offsetof(struct gate_msg, text) + m->len, MSG_NOSIGNAL) < 0)
		return false;
	n = recv(sv, reply, sizeof(reply), 0);
	if (n <= 0)
		return false;
	send(c, reply, (size_t)n, MSG_NOSIGNAL | MSG_DONTWAIT);
	return true;
}

/* _serve_one - one caller on C: check it, read its request, pass it on. False when the supervisor
 * on SV is gone. */
static bool _serve_one(int sv, int c)
{
	struct timeval tv = { .tv_sec = GATE_TIMEOUT_S };
	struct ucred cr = { 0 };
	socklen_t len = sizeof(cr);
	struct gate_msg m = { 0 };
	char why[256];
	ssize_t n;

	setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(c, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	if (getsockopt(c, SOL_SOCKET, SO_PEERCRED, &cr, &len) < 0)
		return true;
	m.uid = cr.uid;
	m.pid = cr.pid;
	/* read first in any case: a message left unread would reset the caller's connection, and
	 * it would not read the answer */
	n = recv(c, m.text, sizeof(m.text) - 1, MSG_TRUNC);
	if (_refuse_why(c, &cr, why, sizeof(why)))
		;
	else if (n < 0)
		snprintf(why, sizeof(why), "refused: no request within %d s", GATE_TIMEOUT_S);
	else if ((size_t)n > CTL_MSG_MAX)
		snprintf(why, sizeof(why), "refused: the message is %zd bytes, more than %d", n,
			 CTL_MSG_MAX);
	else {
		m.len = (uint32_t)n;
		return _pass(sv, c, &m);
	}
	m.refused = 1;
	m.len = (uint32_t)strlen(why);
	memcpy(m.text, why, m.len);
	return _pass(sv, c, &m);
}

/* _serve - the gate: accept callers on LFD one at a time until the supervisor's end of SV closes,
 * then remove PATH. Never returns. */
static void __attribute__((noreturn)) _serve(int sv, int lfd, const char *path)
{
	struct pollfd pfd[2] = { { .fd = sv, .events = POLLIN }, { .fd = lfd, .events = POLLIN } };

	for (;;) {
		if (poll(pfd, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (pfd[0].revents)
			break;	/* the supervisor closed its end (or wrote out of turn) */
		if (pfd[1].revents & POLLIN) {
			int c = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);

			if (c >= 0) {
				bool on = _serve_one(sv, c);

				close(c);
				if (!on)
					break;
			}
		}
	}
	unlink(path);
	_exit(0);
}

/* _child - the gate process after the fork: signals of the terminal are not for it (it ends with
 * the supervisor), then serve. Never returns. */
static void __attribute__((noreturn)) _child(int sv, int lfd, const char *path, pid_t parent)
{
	static const int ignored[] = { SIGINT, SIGQUIT, SIGHUP, SIGTSTP, SIGTTIN, SIGTTOU, SIGPIPE,
				       SIGTERM, SIGUSR1, SIGUSR2 };

	for (size_t i = 0; i < ARRAY_SIZE(ignored); i++)
		signal(ignored[i], SIG_IGN);
	if (sys_set_pdeathsig(SIGKILL) < 0 || getppid() != parent) {
		unlink(path);
		_exit(0);
	}
	sys_set_dumpable(0);
	_serve(sv, lfd, path);
}

int gate_start(struct gate *g, pid_t sv_pid, char *err, size_t errlen)
{
	char dir[sizeof(g->path)];
	int sv[2], lfd, r;
	pid_t pid;

	*g = (struct gate){ .fd = -1 };
	r = ctl_socket_dir((unsigned)geteuid(), getenv("XDG_RUNTIME_DIR"), dir, sizeof(dir) - 16);
	if (r < 0) {
		snprintf(err, errlen, "the socket directory's name is too long");
		return r;
	}
	if ((r = _own_dir(dir, err, errlen)) < 0)
		return r;
	if (snprintf(g->path, sizeof(g->path), "%.*s/%d.sock", (int)(sizeof(dir) - 16), dir,
		     (int)sv_pid) >= (int)sizeof(g->path)) {
		snprintf(err, errlen, "the socket's name is too long");
		return -ENAMETOOLONG;
	}
	lfd = _bind(g->path);
	if (lfd < 0) {
		snprintf(err, errlen, "%s: %s", g->path, strerror(-lfd));
		return lfd;
	}
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0) {
		r = -errno;
		snprintf(err, errlen, "socketpair: %s", strerror(errno));
		close(lfd);
		unlink(g->path);
		return r;
	}
	pid = fork();
	if (pid == 0) {
		close(sv[0]);
		_child(sv[1], lfd, g->path, sv_pid);
	}
	r = pid < 0 ? -errno : 0;
	close(sv[1]);
	close(lfd);
	if (r < 0) {
		snprintf(err, errlen, "fork: %s", strerror(-r));
		close(sv[0]);
		unlink(g->path);
		return r;
	}
	g->pid = pid;
	g->fd = sv[0];
	return 0;
}

void gate_stop(struct gate *g)
{
	if (g->fd >= 0) {
		/* the socket itself, not this fd: children forked since (the grant helper) hold it */
		shutdown(g->fd, SHUT_RDWR);
		close(g->fd);
	}
	if (g->pid > 0)
		waitpid(g->pid, NULL, 0);
	*g = (struct gate){ .fd = -1 };
}
