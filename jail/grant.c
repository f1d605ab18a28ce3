/* grant.c - the grant helper and its workers (see grant.h for why it is shaped this way). */
#include "grant.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <linux/mount.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../common/sys.h"
#include "../common/util.h"
#include "idmap.h"
#include "plan.h"

struct granter {
	int sock;
	pid_t pid;
	pthread_mutex_t lock;	/* one request at a time: the session's loop and live control */
};

enum grant_op {
	GRANT_MOUNT,		/* bind PATH onto the same path in TID's namespaces */
	GRANT_MOUNT_NEW,	/* the same, making the mount point first (through OUTER's) */
	GRANT_UNMOUNT,		/* detach the mount at PATH in TID's namespaces */
};

/* One request on the helper's socket. */
struct grant_req {
	enum grant_op op;
	pid_t tid;
	pid_t outer;		/* GRANT_MOUNT_NEW: a process in the jail's outer namespaces */
	unsigned attrs;
	bool dir;		/* GRANT_MOUNT_NEW: the mount point is a directory */
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

/* Namespaces of a process to enter: its user and mount namespaces. */
struct nsfds {
	int user, mnt;
};

/* _open_ns - open TID's user and mount namespaces into NS (-1 each on failure). 0 or -errno. */
static int _open_ns(pid_t tid, struct nsfds *ns)
{
	char p[64];

	snprintf(p, sizeof(p), "/proc/%d/ns/user", (int)tid);
	ns->user = open(p, O_RDONLY | O_CLOEXEC);
	snprintf(p, sizeof(p), "/proc/%d/ns/mnt", (int)tid);
	ns->mnt = open(p, O_RDONLY | O_CLOEXEC);
	return ns->user < 0 || ns->mnt < 0 ? -errno : 0;
}

/* _enter - setns into NS's user then mount namespace. 0 or -errno. */
static int _enter(const struct nsfds *ns)
{
	int r = sys_setns(ns->user, CLONE_NEWUSER);

	return r ? r : sys_setns(ns->mnt, CLONE_NEWNS);
}

/* _enter_ns_of - setns into TID's user then mount namespace. 0 or -errno. */
static int _enter_ns_of(pid_t tid)
{
	struct nsfds ns;
	int r = _open_ns(tid, &ns);

	if (r == 0)
		r = _enter(&ns);
	close(ns.user);
	close(ns.mnt);
	return r;
}

/* _mkdirs_beneath - below directory fd AT, make each missing directory of the relative path
 * REL (mode 0755) and return an fd of the last; links and mount crossings are refused. fd or
 * -errno. */
static int _mkdirs_beneath(int at, char *rel)
{
	char *slash = strrchr(rel, '/');
	int fd, r;

	if (!*rel) {
		fd = fcntl(at, F_DUPFD_CLOEXEC, 0);
		return fd < 0 ? -errno : fd;
	}
	fd = sys_open_in_root_noxdev(at, rel);
	if (fd >= 0 || fd != -ENOENT)
		return fd;
	if (slash) {
		_cleanup_close_ int up = -1;

		*slash = 0;
		up = _mkdirs_beneath(at, rel);
		*slash = '/';
		if (up < 0)
			return up;
		r = mkdirat(up, slash + 1, 0755);
	} else {
		r = mkdirat(at, rel, 0755);
	}
	if (r < 0 && errno != EEXIST)
		return -errno;
	return sys_open_in_root_noxdev(at, rel);
}

/* _make_point - in the jail's outer namespaces (entered): make Q's mount point on the view's
 * root, a tmpfs that the jail made read-only and the program cannot write (its own copy of the
 * mount is locked read-only); the root is writable here for the moment it takes. 0 or -errno. */
static int _make_point(const struct grant_req *q)
{
	char rel[sizeof(q->path)], *base;
	_cleanup_close_ int root = -1, dir = -1;
	int r, e = 0;

	snprintf(rel, sizeof(rel), "%s", q->path + strspn(q->path, "/"));
	base = strrchr(rel, '/');
	root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (root < 0 || !*rel)
		return root < 0 ? -errno : -EINVAL;
	r = sys_mount_setattr(AT_FDCWD, "/", 0, 0, MOUNT_ATTR_RDONLY);
	if (r < 0)
		return r;
	if (base)
		*base++ = 0;
	dir = _mkdirs_beneath(root, base ? rel : (char[]){ 0 });
	if (dir < 0)
		e = dir;
	else if (q->dir)
		e = mkdirat(dir, base ? base : rel, 0) < 0 && errno != EEXIST ? -errno : 0;
	else {
		int f = openat(dir, base ? base : rel, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0);

		e = f < 0 && errno != EEXIST ? -errno : 0;
		if (f >= 0)
			close(f);
	}
	r = sys_mount_setattr(AT_FDCWD, "/", 0, MOUNT_ATTR_RDONLY, 0);
	return e ? e : r;
}

/* _unmount - the worker of GRANT_UNMOUNT: enter TID's namespaces, detach the mount at PATH (the
 * kernel refuses a mount of the jail's own view: it is locked). The exit code: 0 or the errno. */
static int _unmount(const struct grant_req *q)
{
	int r = _enter_ns_of(q->tid);

	if (r == 0 && umount2(q->path, MNT_DETACH | UMOUNT_NOFOLLOW) < 0)
		r = -errno;
	return -r;
}

/* _work - the worker: clone the host tree, set its flags, enter the jail (making the mount point
 * on the way for GRANT_MOUNT_NEW), mount. Returns the exit code: 0 or the positive errno. */
static int _work(const struct grant_req *q)
{
	_cleanup_close_ int tree = -1, target = -1;
	int r;

	if (q->op == GRANT_UNMOUNT)
		return _unmount(q);
	tree = sys_open_tree(AT_FDCWD, q->path, OPEN_TREE_CLONE | AT_RECURSIVE | OPEN_TREE_CLOEXEC);
	if (tree < 0)
		return -tree;
	r = sys_mount_setattr(tree, "", AT_EMPTY_PATH | AT_RECURSIVE, plan_mount_attr(q->attrs), 0);
	if (r == 0 && q->op == GRANT_MOUNT_NEW) {
		/* both opened here: the outer namespaces' /proc is the jail's */
		struct nsfds outer, inner;

		r = _open_ns(q->outer, &outer);
		if (r == 0)
			r = _open_ns(q->tid, &inner);
		if (r == 0 && (r = _enter(&outer)) == 0 && (r = _make_point(q)) == 0)
			r = _enter(&inner);
		if (r < 0)
			return -r;	/* a worker: its exit closes the fds */
	} else if (r == 0) {
		r = _enter_ns_of(q->tid);
	}
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
	pthread_mutex_init(&g->lock, NULL);
	return g;
}

/* _ask - send Q to G's helper and wait for its result. 0 or -errno. */
static int _ask(struct granter *g, struct grant_req *q, const char *path)
{
	int res = EPIPE;

	if (strlen(path) >= sizeof(q->path))
		return -ENAMETOOLONG;
	strcpy(q->path, path);
	pthread_mutex_lock(&g->lock);
	if (write(g->sock, q, sizeof(*q)) != sizeof(*q) || read(g->sock, &res, sizeof(res)) != sizeof(res))
		res = EPIPE;
	pthread_mutex_unlock(&g->lock);
	return -res;
}

int granter_mount(struct granter *g, pid_t tid, const char *path, unsigned attrs)
{
	struct grant_req q = { .op = GRANT_MOUNT, .tid = tid, .attrs = attrs };

	return _ask(g, &q, path);
}

int granter_mount_new(struct granter *g, pid_t outer, pid_t tid, const char *path, unsigned attrs,
		      bool dir)
{
	struct grant_req q = { .op = GRANT_MOUNT_NEW, .tid = tid, .outer = outer, .attrs = attrs,
			       .dir = dir };

	return _ask(g, &q, path);
}

int granter_unmount(struct granter *g, pid_t tid, const char *path)
{
	struct grant_req q = { .op = GRANT_UNMOUNT, .tid = tid };

	return _ask(g, &q, path);
}

void granter_stop(struct granter *g)
{
	if (!g)
		return;
	close(g->sock);
	waitpid(g->pid, NULL, 0);
	pthread_mutex_destroy(&g->lock);
	free(g);
}
