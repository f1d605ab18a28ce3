/* resolve.c - argument copying and path naming for trapped calls (reads /proc and child memory). */
#include "resolve.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

#include "../common/path.h"
#include "../common/sys.h"
#include "../common/util.h"

#define PAGE 4096u

/* The root the trapped threads resolve paths in, once a backend pinned it (resolve_pin_root),
 * else -1; and the supervisor's own pid then, whose view (resolve_canon with its own pid) is
 * never the pinned root. */
static int _root_fd = -1;
static pid_t _root_self;

/* _read_proc_mem - pread LEN bytes at ADDR from /proc/TID/mem. 0 or -errno. */
static int _read_proc_mem(pid_t tid, uint64_t addr, void *buf, size_t len)
{
	char p[64];
	_cleanup_close_ int fd = -1;
	ssize_t r;

	snprintf(p, sizeof(p), "/proc/%d/mem", (int)tid);
	fd = open(p, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	r = pread(fd, buf, len, (off_t)addr);
	if (r < 0)
		return -errno;
	return (size_t)r == len ? 0 : -EFAULT;
}

int resolve_read_mem(pid_t tid, uint64_t addr, void *buf, size_t len)
{
	ssize_t r = sys_vm_read(tid, buf, len, addr);

	if (r == (ssize_t)len)
		return 0;
	if (r >= 0)
		return -EFAULT;
	if (r == -EFAULT || r == -ESRCH)
		return (int)r;
	return _read_proc_mem(tid, addr, buf, len);
}

ssize_t resolve_read_string(pid_t tid, uint64_t addr, char *buf, size_t size)
{
	size_t got = 0;

	if (!addr)
		return -EFAULT;
	while (got < size) {
		size_t chunk = PAGE - ((addr + got) % PAGE);
		char *nul;
		int r;

		if (chunk > size - got)
			chunk = size - got;
		r = resolve_read_mem(tid, addr + got, buf + got, chunk);
		if (r < 0)
			return r;
		nul = memchr(buf + got, 0, chunk);
		if (nul)
			return nul - buf;
		got += chunk;
	}
	return -ENAMETOOLONG;
}

pid_t resolve_tgid(pid_t tid)
{
	char p[64], line[256];
	_cleanup_fclose_ FILE *f = NULL;
	int tgid = tid;

	snprintf(p, sizeof(p), "/proc/%d/status", (int)tid);
	f = fopen(p, "re");
	if (!f)
		return tid;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "Tgid: %d", &tgid) == 1)
			break;
	return tgid;
}

/* _readlink - readlink into a malloc'd string. NULL with errno on failure. */
static char *_readlink(const char *p)
{
	char buf[PATH_MAX];
	ssize_t n = readlink(p, buf, sizeof(buf) - 1);

	if (n < 0)
		return NULL;
	buf[n] = 0;
	return xstrdup(buf);
}

/* _base_dir - the directory a relative path is resolved against. malloc'd or NULL/errno. */
static char *_base_dir(pid_t tid, int dirfd)
{
	char p[64];
	char *d;

	if (dirfd == AT_FDCWD)
		snprintf(p, sizeof(p), "/proc/%d/cwd", (int)tid);
	else
		snprintf(p, sizeof(p), "/proc/%d/fd/%d", (int)tid, dirfd);
	d = _readlink(p);
	if (d && d[0] != '/') {
		free(d);
		errno = EBADF;
		return NULL;
	}
	return d;
}

/* _proc_self_of - rewrite a /proc/self or /proc/thread-self prefix of P to the child's TGID/TID
 * (TGID 0: looked up only when needed, as it costs a read of /proc/TID/status); consumes P. */
static char *_proc_self_of(char *p, pid_t tgid, pid_t tid)
{
	char *q;

	if (strncmp(p, "/proc/self", 10) && strncmp(p, "/proc/thread-self", 17))
		return p;
	q = path_proc_self(p, tgid > 0 ? tgid : resolve_tgid(tid), tid);
	free(p);
	return q;
}

char *resolve_path(pid_t tid, int dirfd, const char *path, char **raw)
{
	_cleanup_free_ char *base = NULL, *norm = NULL;

	if (path[0] != '/') {
		base = _base_dir(tid, dirfd);
		if (!base)
			return NULL;
	}
	norm = path_join_normalize(base, path[0] ? path : ".");
	if (!norm) {
		errno = EINVAL;
		return NULL;
	}
	*raw = _proc_self_of(base ? xasprintf("%s/%s", base, path) : xstrdup(path), 0, tid);
	return _proc_self_of(steal_pointer(&norm), 0, tid);
}

/* _canon_fast - resolve with the kernel inside the child's root ROOTFD (absolute links stay in
 * it), then read the fd's name back, which is the path as seen from that root. Valid only for
 * paths that cannot reach /proc/self through a link (the caller routes /proc and /dev to the slow
 * walk). NULL with errno when the path does not resolve. */
static char *_canon_fast(int rootfd, const char *path, bool *plain)
{
	char p[64];
	_cleanup_close_ int fd = sys_openat2_in_root(rootfd, path, true);

	*plain = fd == -ENOENT;	/* a missing component reached before any link */
	if (fd >= 0)	/* no link on the way: the path is its own canonical name */
		return xstrdup(path);
	if (fd == -ELOOP)	/* a link somewhere: resolve it and read the result back */
		fd = sys_openat2_in_root(rootfd, path, false);
	if (fd < 0) {
		errno = -fd;
		return NULL;
	}
	snprintf(p, sizeof(p), "/proc/self/fd/%d", fd);
	return _readlink(p);
}

/* _pop - split the first component off *REST (advancing it); returns it (NUL-terminated in place). */
static char *_pop(char **rest)
{
	char *c;

	while (**rest == '/')
		(*rest)++;
	c = *rest;
	while (**rest && **rest != '/')
		(*rest)++;
	if (**rest)
		*(*rest)++ = 0;
	return c;
}

/* The symbolic links a walk went through, in order; ODD: a target had ".." after another
 * component (see resolve_links). */
struct _links {
	char **v;
	size_t n;
	bool odd;
};

/* _odd_target - T has a ".." component after a component that is not "..". */
static bool _odd_target(const char *t)
{
	bool named = false;

	while (*t) {
		size_t n;

		t += strspn(t, "/");
		n = strcspn(t, "/");
		if (n == 2 && t[0] == '.' && t[1] == '.') {
			if (named)
				return true;
		} else if (n && !(n == 1 && t[0] == '.')) {
			named = true;
		}
		t += n;
	}
	return false;
}

/* _links_add - append a copy of PATH to L, keeping it NULL-terminated. */
static void _links_add(struct _links *l, const char *path)
{
	l->v = xrealloc(l->v, (l->n + 2) * sizeof(*l->v));
	l->v[l->n++] = xstrdup(path);
	l->v[l->n] = NULL;
}

static int _root_of(pid_t tid, int *own);

/* _readlinkat - readlinkat(DIRFD, P) into a malloc'd string. NULL with errno on failure. */
static char *_readlinkat(int dirfd, const char *p)
{
	char buf[PATH_MAX];
	ssize_t n = readlinkat(dirfd, p, buf, sizeof(buf) - 1);

	if (n < 0)
		return NULL;
	buf[n] = 0;
	return xstrdup(buf);
}

/* _canon_walk - resolve PATH component by component as the kernel would: ".." applies to the
 * resolved prefix, a link's target is spliced in front of the rest, and links into /proc/self
 * mean the child; every link passed is added to LINKS (may be NULL). Returns malloc'd (a missing tail kept as written, normalised), or NULL when a
 * link names a non-path object (pipe:[..]) or there are too many links. */
static char *_canon_walk(const char *path, pid_t tgid, pid_t tid, bool *exists, struct _links *links)
{
	char res[PATH_MAX] = "";
	_cleanup_free_ char *buf = xstrdup(path);
	_cleanup_close_ int own = -1;
	/* the thread's root; the supervisor's "/" names /proc, whose pids are the supervisor's */
	int rootfd = _root_of(tid, &own), selffd = _root_of(getpid(), &own);
	char *rest = buf, *c;
	int hops = 0;

	*exists = true;
	if (rootfd < 0 || selffd < 0)
		return NULL;
	while (*(c = _pop(&rest))) {
		struct stat st;
		char cand[PATH_MAX];
		int dfd;

		if (!strcmp(c, "."))
			continue;
		if (!strcmp(c, "..")) {
			*(strrchr(res, '/') ? strrchr(res, '/') : res) = 0;
			continue;
		}
		if ((size_t)snprintf(cand, sizeof(cand), "%s/%s", res, c) >= sizeof(cand))
			return NULL;
		/* /proc names the child's processes by the supervisor's pid numbers: look there. CAND
		 * holds no link and no "..", so looking it up below the root fd is what the kernel
		 * does from that root. */
		dfd = path_is_under(cand, "/proc") ? selffd : rootfd;
		if (fstatat(dfd, cand + 1, &st, AT_SYMLINK_NOFOLLOW) < 0) {
			_cleanup_free_ char *tail = xasprintf("%s/%s", cand, rest);

			*exists = false;
			return path_join_normalize("/", tail);
		}
		if (!S_ISLNK(st.st_mode)) {
			memcpy(res, cand, sizeof(res));
			continue;
		}
		_cleanup_free_ char *t = _readlinkat(dfd, cand + 1);
		if (!t || (t[0] != '/' && strchr(t, ':')) || ++hops > 40)
			return NULL;
		if (links) {
			_links_add(links, cand);
			links->odd |= _odd_target(t);
		}
		if (t[0] == '/') {
			res[0] = 0;
			t = _proc_self_of(t, tgid, tid);
		}
		char *nbuf = xasprintf("%s/%s", t, rest);
		free(buf);
		buf = rest = nbuf;
	}
	return xstrdup(res[0] ? res : "/");
}

/* _canon_missing - PATH does not exist: resolve its parent and append the last component. */
static char *_canon_missing(int rootfd, const char *path)
{
	_cleanup_free_ char *dir = xstrdup(path), *cdir = NULL;
	char *slash = strrchr(dir, '/');
	bool plain;

	if (!slash || slash == dir)
		return xstrdup(path);
	*slash = 0;
	cdir = _canon_fast(rootfd, dir, &plain);
	if (!cdir)
		return NULL;
	return xasprintf("%s/%s", strcmp(cdir, "/") ? cdir : "", slash + 1);
}

pid_t resolve_ppid(pid_t tid)
{
	char p[64], buf[512];
	_cleanup_close_ int fd = -1;
	ssize_t n;
	int ppid = 0;
	char *c;

	snprintf(p, sizeof(p), "/proc/%d/stat", (int)tid);
	fd = open(p, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || (n = read(fd, buf, sizeof(buf) - 1)) <= 0)
		return 0;
	buf[n] = 0;
	c = strrchr(buf, ')');	/* the name may hold spaces and parentheses */
	if (!c || sscanf(c + 2, "%*c %d", &ppid) != 1)
		return 0;
	return ppid;
}

/* resolve_needs_walk - see resolve.h. */
bool resolve_needs_walk(const char *raw)
{
	return !strncmp(raw, "/proc", 5) || !strncmp(raw, "/dev", 4) || strstr(raw, "/..");
}

/* Whether _root_fd is the supervisor's own root, shared by resolve_share_root. */
static bool _root_shared;

int resolve_share_root(void)
{
	int fd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	resolve_unpin_root();
	_root_fd = fd;
	_root_self = 0;	/* no thread of ours is looked up here (_root_of serves getpid()) */
	_root_shared = true;
	return 0;
}

bool resolve_root_changes(int nr)
{
	static const int calls[] = {
		SYS_chroot, SYS_pivot_root, SYS_unshare, SYS_setns, SYS_mount, SYS_umount2,
		SYS_move_mount, SYS_open_tree, SYS_fsopen, SYS_fsmount, SYS_mount_setattr,
	};

	for (size_t i = 0; i < sizeof(calls) / sizeof(calls[0]); i++) {
		if (calls[i] != nr)
			continue;
		if (_root_shared)
			resolve_unpin_root();
		return true;
	}
	return false;
}

int resolve_pin_root(int pidfd, pid_t pid)
{
	struct pollfd pfd = { .fd = pidfd, .events = POLLIN };
	char p[64];
	int fd;

	resolve_unpin_root();
	snprintf(p, sizeof(p), "/proc/%d/root", (int)pid);
	fd = open(p, O_PATH | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	/* Still running after the open: PID named PIDFD's process when it was looked up. */
	if (poll(&pfd, 1, 0) != 0) {
		close(fd);
		return -ESRCH;
	}
	_root_fd = fd;
	_root_self = getpid();
	return 0;
}

void resolve_unpin_root(void)
{
	if (_root_fd >= 0)
		close(_root_fd);
	_root_fd = -1;
	_root_shared = false;
}

/* _root_of - an O_PATH fd of the root of thread TID: the pinned root (see resolve_pin_root), the
 * supervisor's own "/" (opened once) when TID is the supervisor, or /proc/TID/root opened into
 * *OWN, which the caller closes. -1 with errno on failure. */
static int _root_of(pid_t tid, int *own)
{
	static int self_root = -1;	/* the supervisor's own "/", which never changes */
	char root[64];

	if (_root_fd >= 0 && tid != _root_self)
		return _root_fd;
	if (tid == getpid()) {
		if (self_root < 0)
			self_root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
		return self_root;
	}
	snprintf(root, sizeof(root), "/proc/%d/root", (int)tid);
	*own = open(root, O_PATH | O_CLOEXEC);
	return *own;
}

char *resolve_canon(const char *path, const char *raw, pid_t tgid, pid_t tid, bool *exists)
{
	bool plain;

	return resolve_canon_plain(path, raw, tgid, tid, exists, &plain);
}

char *resolve_canon_plain(const char *path, const char *raw, pid_t tgid, pid_t tid, bool *exists,
			  bool *plain)
{
	char *c;

	*exists = true;
	*plain = false;

	if (resolve_needs_walk(raw)) {
		c = _canon_walk(raw, tgid, tid, exists, NULL);
	} else {	/* without "..", PATH is RAW normalised: the kernel may resolve it */
		_cleanup_close_ int own = -1;
		int rootfd = _root_of(tid, &own);

		if (rootfd < 0)
			return NULL;
		c = _canon_fast(rootfd, path, plain);
		*exists = c != NULL;
		if (!c && errno == ENOENT && !*plain)	/* plain: no link, the name is canonical */
			c = _canon_missing(rootfd, path);
	}
	if (c && strcmp(c, path) == 0) {
		free(c);
		return NULL;
	}
	return c;
}

/* _sock_proto - "tcp", "udp", "raw" or "ip" from SO_TYPE of the child's socket FD. */
static const char *_sock_proto(pid_t tgid, int fd)
{
	_cleanup_close_ int pfd = sys_pidfd_open(tgid, 0);
	_cleanup_close_ int sfd = -1;
	int type = 0;
	socklen_t l = sizeof(type);

	if (pfd < 0)
		return "ip";
	sfd = sys_pidfd_getfd(pfd, fd);
	if (sfd < 0 || getsockopt(sfd, SOL_SOCKET, SO_TYPE, &type, &l) < 0)
		return "ip";
	return type == SOCK_STREAM ? "tcp" : type == SOCK_DGRAM ? "udp" : type == SOCK_RAW ? "raw" : "ip";
}

/* _unix_name - "unix /path" or "unix @abstract" (NULs in abstract names shown as '@'). */
static char *_unix_name(const struct sockaddr_un *un, size_t len)
{
	size_t n = len > offsetof(struct sockaddr_un, sun_path) ? len - offsetof(struct sockaddr_un, sun_path) : 0;
	char name[sizeof(un->sun_path) + 1];

	if (n > sizeof(un->sun_path))
		n = sizeof(un->sun_path);
	if (n == 0)
		return xstrdup("unix (unnamed)");
	if (un->sun_path[0] == 0) {
		for (size_t i = 0; i < n; i++)
			name[i] = un->sun_path[i] ? un->sun_path[i] : '@';
		name[n] = 0;
		return xasprintf("unix %s", name);
	}
	memcpy(name, un->sun_path, n);
	name[n] = 0;
	return xasprintf("unix %s", name);
}

char *resolve_sockaddr(pid_t tgid, pid_t tid, int fd, uint64_t addr, uint64_t len)
{
	struct sockaddr_storage ss;
	char ip[INET6_ADDRSTRLEN];
	int r;

	memset(&ss, 0, sizeof(ss));
	if (len > sizeof(ss))
		len = sizeof(ss);
	if (len < sizeof(sa_family_t)) {
		errno = EINVAL;
		return NULL;
	}
	r = resolve_read_mem(tid, addr, &ss, len);
	if (r < 0) {
		errno = -r;
		return NULL;
	}
	if (ss.ss_family == AF_UNIX)
		return _unix_name((struct sockaddr_un *)&ss, len);
	if (ss.ss_family == AF_INET) {
		struct sockaddr_in *in = (struct sockaddr_in *)&ss;
		inet_ntop(AF_INET, &in->sin_addr, ip, sizeof(ip));
		return xasprintf("%s %s:%u", _sock_proto(tgid, fd), ip, ntohs(in->sin_port));
	}
	if (ss.ss_family == AF_INET6) {
		struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&ss;
		inet_ntop(AF_INET6, &in6->sin6_addr, ip, sizeof(ip));
		return xasprintf("%s [%s]:%u", _sock_proto(tgid, fd), ip, ntohs(in6->sin6_port));
	}
	return xasprintf("family %d", ss.ss_family);
}

char **resolve_links(const char *raw, pid_t tgid, pid_t tid, bool *odd)
{
	struct _links l = { 0 };
	bool exists;

	free(_canon_walk(raw, tgid, tid, &exists, &l));
	if (odd)
		*odd = l.odd;
	return l.v;
}
