/* grant.c - the grant helper and its workers (see grant.h for why it is shaped this way). */
#include "grant.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/mount.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../common/sys.h"
#include "../common/util.h"
#include "idmap.h"
#include "plan.h"

struct granter {
	int sock;
	pid_t pid;
};

/* One request on the helper's socket. */
struct grant_req {
	pid_t tid;
	unsigned attrs;
	char path[4096];
};

int grant_enter_own_ns(void)
{
	uid_t uid = getuid();
	gid_t gid = getgid();

	if (unshare(CLONE_NEWUSER | CLONE_NEWNS) < 0)
		return -errno;
	return idmap_self(uid, gid);
}

/* _enter_ns_of - setns into TID's user then mount namespace. 0 or -errno. */
static int _enter_ns_of(pid_t tid)
{
	char p[64];
	_cleanup_close_ int u = -1, m = -1;
	int r;

	snprintf(p, sizeof(p), "/proc/%d/ns/user", (int)tid);
	u = open(p, O_RDONLY | O_CLOEXEC);
	snprintf(p, sizeof(p), "/proc/%d/ns/mnt", (int)tid);
	m = open(p, O_RDONLY | O_CLOEXEC);
	if (u < 0 || m < 0)
		return -errno;
	r = sys_setns(u, CLONE_NEWUSER);
	return r ? r : sys_setns(m, CLONE_NEWNS);
}

/* _work - the worker: clone the host tree, set its flags, enter the jail, mount. Returns the
 * exit code: 0 or the positive errno. */
static int _work(const struct grant_req *q)
{
	_cleanup_close_ int tree = -1, target = -1;
	int r;

	tree = sys_open_tree(AT_FDCWD, q->path, OPEN_TREE_CLONE | AT_RECURSIVE | OPEN_TREE_CLOEXEC);
	if (tree < 0)
		return -tree;
	r = sys_mount_setattr(tree, "", AT_EMPTY_PATH | AT_RECURSIVE, plan_mount_attr(q->attrs), 0);
	if (r == 0)
		r = _enter_ns_of(q->tid);
	if (r < 0)
		return -r;
	target = sys_open_nofollow(q->path);
	if (target < 0)
		return -target;
	r = sys_move_mount(tree, "", target, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH);
	return r < 0 ? -r : 0;
}

/* _serve - the helper: one worker per request, answer with its result. Never returns. */
static void __attribute__((noreturn)) _serve(int sock)
{
	struct grant_req q;

	while (read(sock, &q, sizeof(q)) == sizeof(q)) {
		int st = 0, res;
		pid_t w = fork();

		if (w == 0)
			_exit(_work(&q));
		if (w < 0 || waitpid(w, &st, 0) < 0)
			res = EAGAIN;
		else
			res = WIFEXITED(st) ? WEXITSTATUS(st) : EINTR;
		if (write(sock, &res, sizeof(res)) != sizeof(res))
			break;
	}
	_exit(0);
}

struct granter *granter_start(void)
{
	int sv[2];
	struct granter *g;
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0) {
		errx("grant helper: socketpair: %s", strerror(errno));
		return NULL;
	}
	pid = fork();
	if (pid < 0) {
		errx("grant helper: fork: %s", strerror(errno));
		return NULL;
	}
	if (pid == 0) {
		close(sv[0]);
		if (sys_set_pdeathsig(SIGKILL) < 0)
			_exit(1);
		_serve(sv[1]);
	}
	close(sv[1]);
	g = xcalloc(1, sizeof(*g));
	g->sock = sv[0];
	g->pid = pid;
	return g;
}

int granter_mount(struct granter *g, pid_t tid, const char *path, unsigned attrs)
{
	struct grant_req q = { .tid = tid, .attrs = attrs };
	int res;

	if (strlen(path) >= sizeof(q.path))
		return -ENAMETOOLONG;
	strcpy(q.path, path);
	if (write(g->sock, &q, sizeof(q)) != sizeof(q) || read(g->sock, &res, sizeof(res)) != sizeof(res))
		return -EPIPE;
	return -res;
}

void granter_stop(struct granter *g)
{
	if (!g)
		return;
	close(g->sock);
	waitpid(g->pid, NULL, 0);
	free(g);
}
