/* decode.c - decode a trapped syscall from its registers and the child's memory, and ask the
 * session. Shared by every backend.
 *
 * Why this is safe enough for this stage (and what it is not):
 *  - every argument is copied into supervisor memory once; the backend's still_valid() then
 *    confirms the copy and the /proc lookups belong to the live, still-waiting call (notify: the
 *    ID_VALID ioctl); the decision uses only the copy;
 *  - an allowed call then runs in the kernel, which re-reads the arguments: a second thread can
 *    swap the path after the check. The jail (mount namespace) is the kernel boundary that makes
 *    this advisory; until it lands, enforce mode is a policy check, not a sandbox;
 *  - an unreadable argument under enforce is failed (EFAULT) rather than let through, so a pointer
 *    that is mapped only after the check cannot slip through.
 */
#include "decode.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/audit.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "../common/timing.h"
#include "../common/util.h"
#include "netcall.h"
#include "resolve.h"
#include "syscalls.h"

static struct decode_times _times;

/* _lap - with --timings, add the time since *T to *ACC and restart *T; nothing otherwise. */
static void _lap(uint64_t *t, uint64_t *acc)
{
	uint64_t now;

	if (!*t)
		return;
	now = timing_now_ns();
	*acc += now - *t;
	*t = now;
}

void decode_times_report(void)
{
	unsigned long n = _times.paths;

	if (!n)
		return;
	timing_add("trap.read", (double)_times.read / 1e3 / (double)n, "us", n);
	timing_add("trap.resolve", (double)_times.resolve / 1e3 / (double)n, "us", n);
	timing_add("trap.decide", (double)_times.decide / 1e3 / (double)n, "us", n);
	timing_add("trap.cached", (double)_times.cached * 100.0 / (double)n, "%", n);
}

/* _arg_int - a 32-bit int argument (registers may carry garbage in the upper half). */
static int _arg_int(const struct trap *t, unsigned i)
{
	return (int)(uint32_t)t->args[i];
}

/* _open_flags - the open flags of an open-family call; 0 with *ERR on an unreadable open_how. */
static uint64_t _open_flags(const struct sc_desc *d, const struct trap *t, int *err)
{
	struct open_how_v0 {
		uint64_t flags, mode, resolve;
	} how;

	switch (d->kind) {
	case SC_CREAT:
		return O_CREAT | O_WRONLY | O_TRUNC;
	case SC_OPENAT2:
		if (t->args[3] < sizeof(how)) {
			*err = EINVAL;
			return 0;
		}
		*err = -resolve_read_mem(t->tid, t->args[2], &how, sizeof(how));
		return how.flags;
	default:
		return (uint32_t)t->args[d->flags];
	}
}

/* _access_of - the access kind path argument I of this call asks for. */
static enum access _access_of(const struct sc_desc *d, unsigned i, uint64_t flags)
{
	switch (d->kind) {
	case SC_OPEN:
	case SC_OPENAT2:
	case SC_CREAT:
		return sc_open_access(flags);
	case SC_EXEC:
		return ACC_EXEC;
	default:
		return d->p[i].acc;
	}
}

/* _own_proc - rewrite "/proc/TGID..." to "/proc/self..." when TGID is the calling thread TID's
 * process, so that rules and learned profiles can name the program's own /proc entries (the pid
 * column keeps the id). *TGID caches the lookup (0: not looked up yet; it costs a read of
 * /proc/TID/status, so only /proc/<digits> paths pay it). Consumes and returns P (NULL stays). */
static char *_own_proc(char *p, pid_t tid, pid_t *tgid)
{
	char pre[32];
	size_t n;
	char *q;

	if (!p || strncmp(p, "/proc/", 6) || p[6] < '0' || p[6] > '9')
		return p;
	if (!*tgid)
		*tgid = resolve_tgid(tid);
	n = (size_t)snprintf(pre, sizeof(pre), "/proc/%d", (int)*tgid);
	if (strncmp(p, pre, n) || (p[n] != '/' && p[n] != 0))
		return p;
	q = xasprintf("/proc/self%s", p + n);
	free(p);
	return q;
}

/* _shebang - the interpreter named by the "#!" line of PATH as thread TID sees it (through
 * /proc/TID/root), or NULL. Learn records it: the kernel opens it inside execve, untrapped. */
static char *_shebang(pid_t tid, const char *path)
{
	char p[PATH_MAX + 32], line[256];
	_cleanup_close_ int fd = -1;
	ssize_t n;
	size_t len;

	snprintf(p, sizeof(p), "/proc/%d/root%s", (int)tid, path);
	fd = open(p, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0 || (n = read(fd, line, sizeof(line) - 1)) < 3 || line[0] != '#' || line[1] != '!')
		return NULL;
	line[n] = 0;
	char *s = line + 2 + strspn(line + 2, " \t");
	len = strcspn(s, " \t\n");
	if (len == 0 || s[0] != '/')
		return NULL;
	return xstrndup(s, len);
}

/* _renames - whether D, asking for ACC on one of its paths, may add, remove or move a name: a
 * create (an open with O_CREAT, mkdir, mknod, link, symlink, a rename's new name), an unlink, a
 * rmdir, a rename's old name. */
static bool _renames(const struct sc_desc *d, enum access acc)
{
	switch (d->nr) {
	case SYS_unlink:
	case SYS_unlinkat:
	case SYS_rmdir:
	case SYS_rename:
	case SYS_renameat:
	case SYS_renameat2:
		return true;
	default:
		return acc == ACC_CREATE;
	}
}

/* _locate - where PATH (RAW as the call gave it) of TID leads in its view: the resolved path
 * (malloc'd; NULL when the view has nothing there), *EXISTS, and *HIDDEN when the jail hides
 * what the host has. Under enforce, what the jail hides but the host has is a refusal (EACCES),
 * not a probe (ENOENT); and a link that dangles in the view is judged by where it leads on the
 * host. Neither matters to a name the rules allow (for ACC) that is plainly missing in the view
 * (no link on the way, so nothing dangles): the host is not looked at then. *TGID as _own_proc. */
static char *_locate(struct session *s, const char *path, const char *raw, pid_t tid, pid_t *tgid,
		     enum access acc, bool *exists, bool *hidden)
{
	bool plain = false;
	char *canon = _own_proc(resolve_canon_plain(path, raw, 0, tid, exists, &plain), tid, tgid);

	*hidden = false;
	if (*exists || s->mode != MODE_ENFORCE)
		return canon;
	if (!canon && plain && session_allows_name(s, path, acc))
		return NULL;	/* an allowed probe: the kernel's ENOENT, in the view */
	if (!canon) {
		canon = _own_proc(resolve_canon(path, raw, getpid(), getpid(), exists), tid, tgid);
		*hidden = *exists;
	} else {
		*exists = access(canon, F_OK) == 0 || errno != ENOENT;
		*hidden = *exists;
	}
	return canon;
}

/* _check_path - copy, name and decide path argument I. Returns 0 (allow), a positive errno to
 * answer with, or -1 when the notification is no longer valid (nothing to answer). */
static int _check_path(struct session *s, const struct trap *t, const struct sc_desc *d, unsigned i,
		       uint64_t flags)
{
	pid_t tid = t->tid;
	int dirfd = d->p[i].dirfd == SC_NOARG ? AT_FDCWD : _arg_int(t, d->p[i].dirfd);
	char buf[PATH_MAX];
	_cleanup_free_ char *path = NULL, *canon = NULL, *raw = NULL, *interp = NULL;
	ssize_t n;
	pid_t tgid = 0;
	bool exists = true, hidden = false, odd = false;
	_cleanup_strv_ char **links = NULL;
	uint64_t lap = timing_on() ? timing_now_ns() : 0;
	enum access acc = _access_of(d, i, flags);
	int r;

	_times.paths += lap != 0;
	n = resolve_read_string(tid, t->args[d->p[i].path], buf, sizeof(buf));
	_lap(&lap, &_times.read);
	if (n < 0)
		return s->mode == MODE_ENFORCE ? (int)-n : 0;
	if (n == 0 && (d->empty_flag_arg == SC_NOARG ||
		       !(t->args[d->empty_flag_arg] & AT_EMPTY_PATH)))
		return 0;	/* the kernel answers ENOENT for an empty path */
	if (n == 0 && d->kind == SC_FIXED)
		return 0;	/* an fstat-like call on an fd already opened under the policy */
	path = resolve_path(tid, dirfd, buf, &raw);
	if (!path)
		return s->mode == MODE_ENFORCE ? EBADF : 0;
	_lap(&lap, &_times.resolve);
	if (s->cache && !resolve_needs_walk(raw) &&
	    session_cached(s, &(struct file_req){ .tid = tid, .syscall = d->name, .path = path,
						 .access = acc, .judged = d->always,
						 .renames = _renames(d, acc) })) {
		_times.cached += lap != 0;
		_lap(&lap, &_times.decide);
		return 0;
	}
	canon = _locate(s, path, raw, tid, &tgid, acc, &exists, &hidden);
	path = _own_proc(path, tid, &tgid);
	if (s->mode == MODE_LEARN && d->kind == SC_EXEC)
		interp = _shebang(tid, canon ? canon : path);
	/* a link on the way: learn's view needs every one; the cache, to know that none can change */
	if (canon && (s->mode == MODE_LEARN || s->cache))
		links = resolve_links(raw, 0, tid, &odd);
	/* No ID_VALID here: the session asks still_valid before anything with an effect (a grant,
	 * a denial, learning); an allow is only an answer, which the kernel refuses for a call that is
	 * gone (then its logged row is dropped, session_commit). */
	_lap(&lap, &_times.resolve);
	r = session_file(s, &(struct file_req){
		.tid = tid, .syscall = d->name, .path = path, .canon = canon,
		.access = acc, .exists = exists, .judged = d->always,
		.interp = interp, .hidden = hidden, .links = links, .links_odd = odd,
		.renames = _renames(d, acc),
		.still_valid = t->still_valid, .ctx = t->ctx,
		.deferrable = t->deferrable, .notif_id = t->notif_id, .notif_fd = t->notif_fd,
	});
	_lap(&lap, &_times.decide);
	return r;
}

/* _check_net - copy and decide a network call (connect, bind, sends with an address) without
 * emulating it: the call then runs in the kernel (see netcall.h for the emulating path). */
static int _check_net(struct session *s, const struct trap *t, const struct sc_desc *d)
{
	struct net_call c;
	int r = netcall_decide(s, t, d, false, &c);

	netcall_free(&c);
	return r;
}

/* _check_mmap - learn: a file mapped executable (fd at arg 4, not MAP_ANONYMOUS) is recorded as
 * exec on its path, so the jail mounts it executable (a library outside base's trees). Other modes
 * only see this call when they trap every path call (grants, audit): nothing to decide then. */
static int _check_mmap(struct session *s, const struct trap *t)
{
	char p[64], target[PATH_MAX];
	int fd = _arg_int(t, 4);
	ssize_t n;

	if (s->mode != MODE_LEARN || (t->args[3] & MAP_ANONYMOUS) || fd < 0)
		return 0;
	snprintf(p, sizeof(p), "/proc/%d/fd/%d", (int)t->tid, fd);
	n = readlink(p, target, sizeof(target) - 1);
	if (n <= 0 || target[0] != '/')
		return 0;
	target[n] = 0;
	if (t->still_valid && !t->still_valid(t->ctx))
		return -1;
	return session_file(s, &(struct file_req){
		.tid = t->tid, .syscall = "mmap", .path = target, .access = ACC_EXEC, .exists = true,
	});
}

bool decode_outside(struct session *s, const struct trap *t, int *err)
{
	if (t->arch == AUDIT_ARCH_X86_64 && resolve_root_changes(t->nr))	/* before it runs */
		session_names_change(s, t->tid);
	if (!s->sysallow || t->arch != AUDIT_ARCH_X86_64 || sysset_has(s->sysallow, t->nr) ||
	    sys_essential(t->nr))
		return false;
	*err = session_syscall(s, t->tid, t->nr);
	return true;
}

int decode_decide(struct session *s, const struct trap *t)
{
	const struct sc_desc *d = sc_lookup(t->nr);
	uint64_t flags = 0;
	int err = 0;

	if (!d || t->arch != AUDIT_ARCH_X86_64)
		return 0;
	if (sc_is_net(d->kind))
		return _check_net(s, t, d);
	if (d->kind == SC_MMAP)
		return _check_mmap(s, t);
	if (d->kind == SC_OPEN || d->kind == SC_OPENAT2 || d->kind == SC_CREAT)
		flags = _open_flags(d, t, &err);
	if (err)
		return s->mode == MODE_ENFORCE ? err : 0;
	for (unsigned i = 0; i < 2; i++) {
		if (i == 1 && d->p[1].path == SC_NOARG)
			break;
		err = _check_path(s, t, d, i, flags);
		if (err)
			return err;
	}
	return 0;
}

