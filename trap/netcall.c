/* netcall.c - copy, decide and perform the network calls (see netcall.h).
 *
 * Why this is safe:
 *   - every address, every message and every control message is read from the child once, into
 *     supervisor memory, before the backend's still_valid() check; the session decides on that
 *     copy and netcall_perform() sends exactly that copy: there is no second read to race with;
 *   - the socket is taken with pidfd_getfd from the process that made the call, and the
 *     still_valid() check after taking it proves that process was still the caller (no pid reuse);
 *   - things the supervisor's credentials could do that the child could not are refused: a bind
 *     below port 1024 needs CAP_NET_BIND_SERVICE in the child's effective set, and control
 *     messages other than SCM_RIGHTS and a short list of harmless IP ones (which the kernel would
 *     check against the supervisor: SCM_CREDENTIALS, IP options, SO_MARK) fail with EPERM;
 *   - SCM_RIGHTS fds are the child's own fds, taken with pidfd_getfd: the child cannot pass an fd
 *     it does not hold;
 *   - a unix socket path is opened (O_PATH) inside the child's root, /proc/TID/root, with
 *     RESOLVE_IN_ROOT, and reached through /proc/self/fd/N: the supervisor's own mount namespace
 *     and cwd play no part. Left: a symlink in a writable directory swapped between the check of
 *     the canonical name and the open (the target must still be in the child's view).
 */
#include "netcall.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/un.h>
#include <unistd.h>

#include "../common/sys.h"
#include "../common/util.h"
#include "resolve.h"

#define MAXDATA (4u << 20)	/* bytes of one emulated send; more: streams send less, datagrams EMSGSIZE */
#define MAXCONTROL 65536u
#define MAXIOV 1024u

bool netcall_active(const struct session *s)
{
	return s->mode == MODE_ENFORCE && s->profile &&
	       (s->profile->nnet > 0 || s->profile->net == NET_HOST);
}

/* _init - an empty call for thread TID of D. */
static void _init(struct net_call *c, const struct sc_desc *d, pid_t tid)
{
	*c = (struct net_call){ .kind = d->kind, .name = d->name, .tid = tid, .sock = -1 };
	for (size_t i = 0; i < ARRAY_SIZE(c->pathfds); i++)
		c->pathfds[i] = -1;
}

void netcall_free(struct net_call *c)
{
	if (c->sock >= 0)
		close(c->sock);
	for (size_t i = 0; i < ARRAY_SIZE(c->pathfds); i++)
		if (c->pathfds[i] >= 0)
			close(c->pathfds[i]);
	for (unsigned i = 0; i < c->nmsg; i++) {
		struct net_msg *m = &c->msgs[i];

		for (size_t j = 0; j < m->nfds; j++)
			close(m->fds[j]);
		free(m->fds);
		free(m->data);
		free(m->control);
	}
	free(c->msgs);
	c->msgs = NULL;
	c->nmsg = 0;
	c->sock = -1;
}

/* _tgid - the process of C's thread (read from /proc once, when first needed). */
static pid_t _tgid(struct net_call *c)
{
	if (!c->tgid)
		c->tgid = resolve_tgid(c->tid);
	return c->tgid;
}

/* _pidfd - a pidfd for C's calling thread, whose file table is its process's: the thread's own
 * (PIDFD_THREAD, Linux 6.9, which spares reading /proc/TID/status for the process id), else the
 * process's. fd or -errno. */
static int _pidfd(struct net_call *c)
{
	int fd = sys_pidfd_open(c->tid, PIDFD_THREAD);

	return fd != -EINVAL ? fd : sys_pidfd_open(_tgid(c), 0);
}

/* _take_socket - C->sock = a copy of the child's fd FD; *TYPE its SO_TYPE (0 when unknown).
 * 0 or -errno (-EBADF: no such fd; -ENOTSOCK). */
static int _take_socket(struct net_call *c, int fd, int *type)
{
	_cleanup_close_ int pfd = _pidfd(c);
	socklen_t l = sizeof(*type);

	*type = 0;
	if (pfd < 0)
		return pfd;
	c->sock = sys_pidfd_getfd(pfd, fd);
	if (c->sock < 0)
		return c->sock;
	if (getsockopt(c->sock, SOL_SOCKET, SO_TYPE, type, &l) < 0)
		return -errno;
	return 0;
}

/* _copy_addr - copy the sockaddr at ADDR (LEN bytes) of the child into SS and *SL. 0 or -errno
 * (EINVAL for a length the kernel refuses too). */
static int _copy_addr(pid_t tid, uint64_t addr, uint64_t len, struct sockaddr_storage *ss,
		      socklen_t *sl)
{
	memset(ss, 0, sizeof(*ss));
	*sl = 0;
	if ((int64_t)(int32_t)len < 0 || len > sizeof(*ss))
		return -EINVAL;
	if (len == 0)
		return 0;
	*sl = (socklen_t)len;
	return resolve_read_mem(tid, addr, ss, len);
}

/* _has_cap - thread TID has capability CAP in its effective set (/proc/TID/status CapEff). */
static bool _has_cap(pid_t tid, int cap)
{
	char p[64], line[256];
	_cleanup_fclose_ FILE *f = NULL;
	unsigned long long eff = 0;

	snprintf(p, sizeof(p), "/proc/%d/status", (int)tid);
	f = fopen(p, "re");
	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "CapEff: %llx", &eff) == 1)
			break;
	return (eff >> cap) & 1;
}

/* _bind_port - the port of the AF_INET/AF_INET6 address SA (LEN bytes), or -1. */
static int _bind_port(const struct sockaddr *sa, socklen_t len)
{
	if (sa->sa_family == AF_INET && len >= sizeof(struct sockaddr_in))
		return ntohs(((const struct sockaddr_in *)sa)->sin_port);
	if (sa->sa_family == AF_INET6 && len >= sizeof(struct sockaddr_in6))
		return ntohs(((const struct sockaddr_in6 *)sa)->sin6_port);
	return -1;
}

/* _unix_abs - for a named unix path address SA (LEN bytes) of thread TID: its normalised absolute
 * path in the child's view into *ABS (malloc'd), the same as a sockaddr in DEC, *DECLEN for the
 * decision. Other addresses are copied to DEC unchanged. 0 or -errno. */
static int _unix_abs(pid_t tid, const struct sockaddr_storage *sa, socklen_t len,
		     struct sockaddr_storage *dec, socklen_t *declen, char **abs)
{
	const struct sockaddr_un *un = (const struct sockaddr_un *)sa;
	struct sockaddr_un *out = (struct sockaddr_un *)dec;
	size_t off = offsetof(struct sockaddr_un, sun_path), n;
	char path[sizeof(un->sun_path) + 1];
	_cleanup_free_ char *raw = NULL;

	*dec = *sa;
	*declen = len;
	*abs = NULL;
	if (sa->ss_family != AF_UNIX || len <= off || un->sun_path[0] == 0)
		return 0;
	n = strnlen(un->sun_path, len - off);
	memcpy(path, un->sun_path, n);
	path[n] = '\0';
	*abs = resolve_path(tid, AT_FDCWD, path, &raw);
	if (!*abs)
		return -errno;
	if (strlen(*abs) >= sizeof(out->sun_path))
		return -ENAMETOOLONG;
	memset(out->sun_path, 0, sizeof(out->sun_path));
	memcpy(out->sun_path, *abs, strlen(*abs));
	*declen = (socklen_t)(off + strlen(*abs) + 1);
	return 0;
}

/* _judge - have the session decide OP on the address SA (LEN bytes) for C's socket of TYPE.
 * 0 (allowed or not an address to judge) or a positive errno. */
static int _judge(struct session *s, struct net_call *c, enum netrule_op op, int type,
		  const struct sockaddr_storage *sa, socklen_t len)
{
	struct sockaddr_storage dec;
	socklen_t declen;
	_cleanup_free_ char *abs = NULL;
	int r;

	if (len < sizeof(sa_family_t))
		return 0;	/* no address: the kernel answers (EINVAL, EDESTADDRREQ) */
	r = _unix_abs(c->tid, sa, len, &dec, &declen, &abs);
	if (r < 0)
		return -r;
	return session_net(s, &(struct net_req){
		.tid = c->tid, .syscall = c->name, .op = op,
		.proto = netrule_sock_proto(sa->ss_family, type),
		.sa = (const struct sockaddr *)&dec, .len = declen,
		.judged = true,
	});
}

/* _rewrite - for emulation: a named unix path in SA, *LEN becomes "/proc/self/fd/N" (N an O_PATH
 * fd of the socket, or with BIND of its directory plus "/NAME", opened in the child's root and
 * kept in C->pathfds[SLOT]). Other addresses stay. 0 or -errno. */
static int _rewrite(struct net_call *c, unsigned slot, bool bind, struct sockaddr_storage *sa,
		    socklen_t *len)
{
	struct sockaddr_un *un = (struct sockaddr_un *)sa;
	struct sockaddr_storage dec;
	socklen_t declen;
	_cleanup_free_ char *abs = NULL;
	_cleanup_close_ int root = -1;
	char p[64], *base = NULL;
	int r, n;

	r = _unix_abs(c->tid, sa, *len, &dec, &declen, &abs);
	if (r < 0 || !abs)
		return r;
	snprintf(p, sizeof(p), "/proc/%d/root", (int)c->tid);
	root = open(p, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (root < 0)
		return -errno;
	if (bind) {
		base = strrchr(abs, '/');
		*base++ = '\0';
	}
	c->pathfds[slot] = sys_openat2_in_root(root, bind && !abs[0] ? "/" : abs, false);
	if (c->pathfds[slot] < 0)
		return c->pathfds[slot];
	memset(un->sun_path, 0, sizeof(un->sun_path));
	n = snprintf(un->sun_path, sizeof(un->sun_path), "/proc/self/fd/%d%s%s", c->pathfds[slot],
		     base ? "/" : "", base ? base : "");
	if (n < 0 || (size_t)n >= sizeof(un->sun_path))
		return -ENAMETOOLONG;
	*len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + (size_t)n + 1);
	return 0;
}

/* _control_ok - whether a control message of LEVEL/TYPE may be sent by the supervisor for the
 * child: SCM_RIGHTS (translated) and IP ancillary data the kernel checks nothing on. */
static bool _control_ok(int level, int type)
{
	if (level == SOL_SOCKET)
		return type == SCM_RIGHTS;
	if (level == IPPROTO_IP)
		return type == IP_PKTINFO || type == IP_TOS || type == IP_TTL;
	if (level == IPPROTO_IPV6)
		return type == IPV6_PKTINFO || type == IPV6_HOPLIMIT || type == IPV6_TCLASS;
	return level == IPPROTO_UDP;	/* UDP_SEGMENT */
}

/* _translate - check the control data of M and replace the fds of its SCM_RIGHTS messages by
 * copies taken from the child's process (pidfd PFD). 0 or -errno (EPERM for a refused type). */
static int _translate(struct net_msg *m, int pfd)
{
	struct msghdr mh = { .msg_control = m->control, .msg_controllen = m->controllen };

	for (struct cmsghdr *cm = CMSG_FIRSTHDR(&mh); cm; cm = CMSG_NXTHDR(&mh, cm)) {
		int *fds = (int *)CMSG_DATA(cm);
		size_t n;

		if (!_control_ok(cm->cmsg_level, cm->cmsg_type))
			return -EPERM;
		if (cm->cmsg_level != SOL_SOCKET)
			continue;
		n = (cm->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		m->fds = xrealloc(m->fds, (m->nfds + n) * sizeof(int));
		for (size_t i = 0; i < n; i++) {
			int fd = sys_pidfd_getfd(pfd, fds[i]);

			if (fd < 0)
				return fd == -EBADF || fd == -ESRCH ? -EBADF : fd;
			m->fds[m->nfds++] = fd;
			fds[i] = fd;
		}
	}
	return 0;
}

/* _copy_data - copy the child's iovecs IOV (N of them) into one buffer M->data. STREAM: more
 * than MAXDATA bytes are cut (a short send), else refused (EMSGSIZE). 0 or -errno. */
static int _copy_data(pid_t tid, uint64_t iov, size_t n, bool stream, struct net_msg *m)
{
	_cleanup_free_ struct iovec *v = NULL;
	size_t total = 0;
	int r;

	if (n > MAXIOV)
		return -EMSGSIZE;
	if (n == 0)
		return 0;
	v = xcalloc(n, sizeof(*v));
	if ((r = resolve_read_mem(tid, iov, v, n * sizeof(*v))) < 0)
		return r;
	for (size_t i = 0; i < n; i++)
		total += v[i].iov_len > MAXDATA ? MAXDATA + 1 : v[i].iov_len;
	if (total > MAXDATA && !stream)
		return -EMSGSIZE;
	m->data = xmalloc(total > MAXDATA ? MAXDATA : total ? total : 1);
	for (size_t i = 0; i < n && m->len < MAXDATA; i++) {
		size_t k = v[i].iov_len < MAXDATA - m->len ? v[i].iov_len : MAXDATA - m->len;

		if (k && (r = resolve_read_mem(tid, (uint64_t)(uintptr_t)v[i].iov_base,
					       (char *)m->data + m->len, k)) < 0)
			return r;
		m->len += k;
	}
	return 0;
}

/* _copy_msghdr - copy the child's struct msghdr H (already read) into M: its name always, its
 * data and control messages when FULL (emulation). 0 or -errno. */
static int _copy_msghdr(struct net_call *c, const struct msghdr *h, bool full, bool stream,
			struct net_msg *m)
{
	int r = 0;

	if (h->msg_name && h->msg_namelen)
		r = _copy_addr(c->tid, (uint64_t)(uintptr_t)h->msg_name, h->msg_namelen, &m->name,
			       &m->namelen);
	if (r < 0 || !full)
		return r;
	if ((r = _copy_data(c->tid, (uint64_t)(uintptr_t)h->msg_iov, h->msg_iovlen, stream, m)) < 0)
		return r;
	if (!h->msg_control || !h->msg_controllen)
		return 0;
	if (h->msg_controllen > MAXCONTROL)
		return -ENOBUFS;
	m->controllen = h->msg_controllen;
	m->control = xmalloc(m->controllen);
	return resolve_read_mem(c->tid, (uint64_t)(uintptr_t)h->msg_control, m->control,
				m->controllen);
}

/* _copy_msgs - copy the messages of a sendto/sendmsg/sendmmsg call T into C->msgs (data only
 * when FULL). 0 or -errno. */
static int _copy_msgs(struct net_call *c, const struct trap *t, bool full, bool stream)
{
	struct mmsghdr *v = NULL;
	unsigned n = 1;
	int r = 0;

	if (c->kind == SC_SENDMMSG) {
		n = (unsigned)t->args[2] > NETCALL_MAXMSG ? NETCALL_MAXMSG : (unsigned)t->args[2];
		c->vec = t->args[1];
	}
	c->msgs = xcalloc(n ? n : 1, sizeof(*c->msgs));
	c->nmsg = n;
	if (c->kind == SC_SENDTO) {
		struct msghdr h = { .msg_name = (void *)(uintptr_t)t->args[4],
				    .msg_namelen = (socklen_t)t->args[5] };
		struct iovec iov = { .iov_base = (void *)(uintptr_t)t->args[1], .iov_len = t->args[2] };

		r = _copy_msghdr(c, &h, false, stream, &c->msgs[0]);
		if (r == 0 && full) {	/* the one buffer, read like a one-element iovec */
			struct net_msg *m = &c->msgs[0];
			size_t k = iov.iov_len > MAXDATA ? MAXDATA : iov.iov_len;

			if (iov.iov_len > MAXDATA && !stream)
				return -EMSGSIZE;
			m->data = xmalloc(k ? k : 1);
			m->len = k;
			r = k ? resolve_read_mem(c->tid, t->args[1], m->data, k) : 0;
		}
		return r;
	}
	v = xcalloc(n ? n : 1, sizeof(*v));
	r = resolve_read_mem(c->tid, t->args[1], v, (c->kind == SC_SENDMMSG ? n : 1) *
			     (c->kind == SC_SENDMMSG ? sizeof(*v) : sizeof(struct msghdr)));
	for (unsigned i = 0; r == 0 && i < n; i++)
		r = _copy_msghdr(c, &v[i].msg_hdr, full, stream, &c->msgs[i]);
	free(v);
	return r;
}

/* _prepare - emulation only: translate control fds and rewrite unix paths of C. 0 or -errno. */
static int _prepare(struct net_call *c)
{
	_cleanup_close_ int pfd = -1;
	int r = 0;

	if (c->kind == SC_CONNECT || c->kind == SC_BIND)
		return _rewrite(c, NETCALL_MAXMSG, c->kind == SC_BIND, &c->sa, &c->salen);
	for (unsigned i = 0; r == 0 && i < c->nmsg; i++) {
		struct net_msg *m = &c->msgs[i];

		if (m->namelen)
			r = _rewrite(c, i, false, &m->name, &m->namelen);
		if (r == 0 && m->controllen) {
			if (pfd < 0 && (pfd = _pidfd(c)) < 0)
				return pfd;
			r = _translate(m, pfd);
		}
	}
	return r;
}

/* _decide_all - the session's decision on every address of C (socket TYPE): 0 or an errno. */
static int _decide_all(struct session *s, struct net_call *c, int type)
{
	int e = 0;

	if (c->kind == SC_CONNECT || c->kind == SC_BIND) {
		int port = _bind_port((struct sockaddr *)&c->sa, c->salen);

		if (c->kind == SC_BIND && s->mode == MODE_ENFORCE && port > 0 && port < 1024 &&
		    !_has_cap(c->tid, 10 /* CAP_NET_BIND_SERVICE */))
			return EACCES;
		return _judge(s, c, c->kind == SC_BIND ? NETRULE_BIND : NETRULE_CONNECT, type, &c->sa,
			      c->salen);
	}
	for (unsigned i = 0; e == 0 && i < c->nmsg; i++)
		if (c->msgs[i].namelen)
			e = _judge(s, c, NETRULE_CONNECT, type, &c->msgs[i].name, c->msgs[i].namelen);
	return e;
}

int netcall_decide(struct session *s, const struct trap *t, const struct sc_desc *d, bool emulate,
		   struct net_call *c)
{
	int type = 0, r;
	bool fail = s->mode == MODE_ENFORCE;

	_init(c, d, t->tid);
	r = _take_socket(c, (int)(uint32_t)t->args[0], &type);
	if (r < 0 && emulate)
		return r == -ESRCH ? -1 : -r;	/* EBADF, ENOTSOCK: what the kernel would say */
	c->flags = (int)(uint32_t)t->args[c->kind == SC_SENDTO || c->kind == SC_SENDMMSG ? 3 : 2];
	if (c->kind == SC_CONNECT || c->kind == SC_BIND)
		r = _copy_addr(t->tid, t->args[1], t->args[2], &c->sa, &c->salen);
	else
		r = _copy_msgs(c, t, emulate, type == SOCK_STREAM);
	if (r < 0)
		return fail ? -r : 0;
	if (t->still_valid && !t->still_valid(t->ctx))
		return -1;
	r = _decide_all(s, c, type);
	if (r || !emulate)
		return r;
	r = _prepare(c);
	return r < 0 ? -r : 0;
}

/* _send - send message M on C's socket with the child's flags (never raising SIGPIPE in the
 * supervisor). The result or -errno. */
static ssize_t _send(struct net_call *c, struct net_msg *m)
{
	struct iovec iov = { .iov_base = m->data, .iov_len = m->len };
	struct msghdr mh = {
		.msg_name = m->namelen ? &m->name : NULL, .msg_namelen = m->namelen,
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = m->control, .msg_controllen = m->controllen,
	};
	ssize_t r = sendmsg(c->sock, &mh, c->flags | MSG_NOSIGNAL);

	if (r < 0 && errno == EPIPE && !(c->flags & MSG_NOSIGNAL))
		sys_tgkill(_tgid(c), c->tid, SIGPIPE);
	return r < 0 ? -errno : r;
}

int64_t netcall_perform(struct net_call *c)
{
	unsigned i;

	switch (c->kind) {
	case SC_CONNECT:
		return connect(c->sock, (struct sockaddr *)&c->sa, c->salen) < 0 ? -errno : 0;
	case SC_BIND:
		return bind(c->sock, (struct sockaddr *)&c->sa, c->salen) < 0 ? -errno : 0;
	case SC_SENDTO:
	case SC_SENDMSG:
		return _send(c, &c->msgs[0]);
	default:
		break;
	}
	for (i = 0; i < c->nmsg; i++) {	/* sendmmsg: stop at the first failure */
		ssize_t r = _send(c, &c->msgs[i]);
		uint32_t len = (uint32_t)r;

		if (r < 0)
			return i ? (int64_t)i : r;
		sys_vm_write(c->tid, &len, sizeof(len),
			     c->vec + i * sizeof(struct mmsghdr) + offsetof(struct mmsghdr, msg_len));
	}
	return i;
}
