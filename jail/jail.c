/* jail.c - build the jail in the forked child (setup regime: every failure exits 125).
 *
 * Why the boundary holds (kernel-enforced, whatever the supervisor reads from the child):
 *  - the command's root is a fresh tmpfs holding only the profile's paths, bound read-only
 *    unless a write rule says otherwise, noexec unless an exec rule says otherwise;
 *  - a deny inside a visible tree is covered by an empty, mode-000 mount;
 *  - the command runs in a user+mount namespace nested below the one that built the view, so every
 *    mount is locked (MNT_LOCKED): it cannot unmount a mask or remount a path writable;
 *  - it holds no capability (bounding set dropped, so exec as uid 0 gains none) and no_new_privs;
 *  - its /proc shows only its own pid namespace; its /tmp and /dev are private.
 * With --root (_enter_root) the same holds with the prepared tree in the host's place: the jail
 * process pivots into a bind of it and detaches the host's tree before the binds are prepared, so
 * every rule's path and link is resolved inside the tree (an absolute link or ".." cannot lead
 * out: the tree is all there is), and only the jail's /dev nodes, cloned from the host before,
 * come from outside it.
 */
#include "jail.h"
#include "idmap.h"
#include "landlock.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/mount.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <ftw.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../common/path.h"
#include "../common/sys.h"
#include "../common/timing.h"
#include "../common/util.h"

#define NEWROOT "/newroot"
#define OLDROOT "/oldroot"

/* _fail - print "supervise: jail: MSG[: errno text]" and exit 125. */
static void __attribute__((noreturn, format(printf, 2, 3))) _fail(int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	util_vfail(err, "jail: ", fmt, ap);
}

/* A proc mount outside the view ("proc none"), kept open for the command's nested user
 * namespace, whose id maps are written through it (_map_ids); -1 when the view has /proc. */
static int _procfd = -1;

/* _map_ids - map UID and GID to themselves in the user namespace just created, or fail. */
static void _map_ids(uid_t uid, gid_t gid)
{
	int r = idmap_self_at(_procfd, uid, gid);

	if (r < 0)
		_fail(-r, "map uid %u and gid %u", (unsigned)uid, (unsigned)gid);
}

static pid_t _relay_to;

/* _relay_signal - pass signal SIG on to the process we wait for; but not a SIGINT/SIGQUIT
 * the terminal sent (SI_KERNEL) when that process is in our process group: the terminal sent it
 * there too, and a second copy would reach the command twice (or once, when the two merge while
 * pending). */
static void _relay_signal(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	if (_relay_to <= 0)
		return;
	if (si && si->si_code == SI_KERNEL && getpgid(_relay_to) == getpgrp())
		return;
	kill(_relay_to, sig);
}

/* _wait_and_exit - relay signals to PID, reap every child, and exit with PID's status
 * (128+N when signal N killed it). When PID is the COMMAND, its exit begins --timings'
 * teardown. Never returns. */
static void __attribute__((noreturn)) _wait_and_exit(pid_t pid, bool command)
{
	static const int sigs[] = { SIGTERM, SIGHUP, SIGINT, SIGQUIT, SIGUSR1, SIGUSR2 };
	struct sigaction sa = { .sa_sigaction = _relay_signal, .sa_flags = SA_SIGINFO };
	sigset_t none;
	int st;
	pid_t p;

	_relay_to = pid;
	for (size_t i = 0; i < ARRAY_SIZE(sigs); i++)
		sigaction(sigs[i], &sa, NULL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	for (;;) {
		p = waitpid(-1, &st, __WALL);
		if (p < 0 && errno == EINTR)
			continue;
		if (p < 0)
			_exit(EXIT_SUPERVISE_FAIL);
		if (p == pid && command)
			timing_begin(TIMING_TEARDOWN);
		if (p == pid)
			_exit(WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
	}
}

/* _fork_below - fork; the parent relays and exits with the child's status, the child returns
 * after arranging to die with its parent. COMMAND: the child will exec the command. */
static void _fork_below(bool command)
{
	pid_t parent = getpid();
	pid_t pid = fork();

	if (pid < 0)
		_fail(errno, "fork");
	if (pid > 0)
		_wait_and_exit(pid, command);
	/* the parent died before PDEATHSIG was armed? (0: it sits outside our new pid namespace) */
	if (sys_set_pdeathsig(SIGKILL) < 0 || (getppid() != parent && getppid() != 0))
		_exit(EXIT_SUPERVISE_FAIL);
}

/* _mkdirs - mkdir -p PATH (mode 0755). PATH itself first, its parents only when it cannot be made
 * (ENOENT): the view's directories mostly exist already, and trying every component from the top
 * each time cost a mkdir per component (some 60 calls for the base profile). */
static void _mkdirs(const char *path)
{
	char buf[PATH_MAX];
	char *slash;

	if (mkdir(path, 0755) == 0 || errno == EEXIST)
		return;
	if (errno != ENOENT)
		_fail(errno, "mkdir %s", path);
	snprintf(buf, sizeof(buf), "%s", path);
	slash = strrchr(buf, '/');
	if (!slash || slash == buf)
		_fail(ENOENT, "mkdir %s", path);
	*slash = 0;
	_mkdirs(buf);
	if (mkdir(path, 0755) < 0 && errno != EEXIST)
		_fail(errno, "mkdir %s", path);
}

/* _mountpoint - create at DST what a mount of a source of mode MODE needs: a directory, or an
 * empty file (parents created). */
static void _mountpoint(const char *dst, mode_t mode)
{
	_cleanup_free_ char *parent = xstrdup(dst);
	struct stat st;
	int fd;

	if (lstat(dst, &st) == 0)
		return;	/* already there (inside a tree bound earlier, or bound twice) */
	if (S_ISDIR(mode)) {
		_mkdirs(dst);
		return;
	}
	*strrchr(parent, '/') = 0;
	if (*parent)
		_mkdirs(parent);
	fd = open(dst, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0 && errno != EEXIST && errno != EISDIR)
		_fail(errno, "create %s", dst);
	if (fd >= 0)
		close(fd);
}

/* _bind - bind SRC onto DST (recursively) and apply MA attributes to the whole new tree. */
static void _bind(const char *src, const char *dst, unsigned ma)
{
	int r;

	if (mount(src, dst, NULL, MS_BIND | MS_REC, NULL) < 0)
		_fail(errno, "bind %s", src + strlen(OLDROOT));
	r = sys_mount_setattr(AT_FDCWD, dst, AT_RECURSIVE, plan_mount_attr(ma), 0);
	if (r < 0)
		_fail(-r, "set the mount flags of %s", dst + strlen(NEWROOT));
}

/* _tmpfs - a tmpfs at DST (created) with OPTS and flags from MA. */
static void _tmpfs(const char *dst, const char *opts, unsigned ma)
{
	_mkdirs(dst);
	if (mount("tmpfs", dst, "tmpfs", MS_NOSUID | MS_NODEV, opts) < 0)
		_fail(errno, "tmpfs on %s", dst + strlen(NEWROOT));
	if (ma) {
		int r = sys_mount_setattr(AT_FDCWD, dst, 0, plan_mount_attr(ma), 0);
		if (r < 0)
			_fail(-r, "set the mount flags of %s", dst + strlen(NEWROOT));
	}
}

/* _symlink - create link DST → TARGET unless something is there already. */
static void _symlink(const char *target, const char *dst)
{
	if (symlink(target, dst) < 0 && errno != EEXIST)
		_fail(errno, "symlink %s", dst);
}

static const char *const _devnodes[] = { "null", "zero", "full", "random", "urandom", "tty" };

/* --root: detached clones (open_tree) of the host's _devnodes, taken before the chroot into the
 * tree; -1 for a node the host lacks, or without --root (_dev binds from OLDROOT then). */
static int _devtree[ARRAY_SIZE(_devnodes)] = { -1, -1, -1, -1, -1, -1 };
static bool _devcloned;

/* _dev_node - put the host's /dev/NODE (I-th of _devnodes) at the view's DST: bound from OLDROOT,
 * or with --root moved from its clone. Missing on the host: nothing. */
static void _dev_node(size_t i, const char *dst)
{
	char src[64];
	int r;

	if (_devcloned) {
		if (_devtree[i] < 0)
			return;
		_mountpoint(dst, S_IFREG);
		r = sys_move_mount(_devtree[i], "", AT_FDCWD, dst, MOVE_MOUNT_F_EMPTY_PATH);
		if (r < 0)
			_fail(-r, "place /dev/%s", _devnodes[i]);
		close(_devtree[i]);
		_devtree[i] = -1;
		return;
	}
	snprintf(src, sizeof(src), OLDROOT "/dev/%s", _devnodes[i]);
	if (access(src, F_OK) < 0)
		return;
	_mountpoint(dst, S_IFREG);
	if (mount(src, dst, NULL, MS_BIND, NULL) < 0)
		_fail(errno, "bind /dev/%s", _devnodes[i]);
}

/* _dev - the jail's /dev: standard nodes bound from the host, a private devpts, shm. The tmpfs
 * and the nodes get their flags (nosuid, noexec) from one recursive mount_setattr on /dev once
 * the nodes are bound, instead of one call per node. */
static void _dev(void)
{
	char dst[64];
	int r;

	_tmpfs(NEWROOT "/dev", "mode=0755", 0);
	for (size_t i = 0; i < ARRAY_SIZE(_devnodes); i++) {
		snprintf(dst, sizeof(dst), NEWROOT "/dev/%s", _devnodes[i]);
		_dev_node(i, dst);
	}
	r = sys_mount_setattr(AT_FDCWD, NEWROOT "/dev", AT_RECURSIVE,
			      plan_mount_attr(MA_NOSUID | MA_NOEXEC), 0);
	if (r < 0)
		_fail(-r, "set the mount flags of /dev");
	_mkdirs(NEWROOT "/dev/pts");
	if (mount("devpts", NEWROOT "/dev/pts", "devpts", MS_NOSUID | MS_NOEXEC,
		  "newinstance,ptmxmode=0666,mode=0620") < 0)
		_fail(errno, "devpts on /dev/pts");
	_symlink("pts/ptmx", NEWROOT "/dev/ptmx");
	_tmpfs(NEWROOT "/dev/shm", "mode=1777", MA_NOSUID | MA_NODEV | MA_NOEXEC);
	_symlink("/proc/self/fd", NEWROOT "/dev/fd");
	_symlink("/proc/self/fd/0", NEWROOT "/dev/stdin");
	_symlink("/proc/self/fd/1", NEWROOT "/dev/stdout");
	_symlink("/proc/self/fd/2", NEWROOT "/dev/stderr");
}

/* A bind prepared while the host root is still "/": where it really is, and the links that lead
 * there, so that the view has the same links as the host. */
struct prep {
	char *canon;		/* host path with links resolved */
	mode_t mode;		/* its type */
	char *links[16];	/* where the links on the way sit on the host, parents resolved ... */
	char *targets[16];	/* ... and what they say */
	size_t nlinks;
};

/* The host's links as readlink(2) saw them while the binds are prepared: a path and its target
 * (NULL: not a link), so that the prefixes the plan's paths share (/etc, /usr, /usr/share, ...)
 * are read once and not again for each path and by realpath(3) (about 120 readlinks for the base
 * profile, 40 after). Filled before the pivot, in the single-threaded jail process. */
struct linkmemo {
	char *path;
	char *target;
};
static struct linkmemo *_memo;
static size_t _nmemo;

/* _readlink_memo - what the link at host PATH says, or NULL when PATH is no link (or missing).
 * The string belongs to the memo. */
static const char *_readlink_memo(const char *path)
{
	char t[PATH_MAX];
	ssize_t n;

	for (size_t i = 0; i < _nmemo; i++)
		if (!strcmp(_memo[i].path, path))
			return _memo[i].target;
	n = readlink(path, t, sizeof(t) - 1);
	_memo = xrealloc(_memo, (_nmemo + 1) * sizeof(*_memo));
	_memo[_nmemo].path = xstrdup(path);
	_memo[_nmemo].target = n > 0 ? xstrndup(t, (size_t)n) : NULL;
	return _memo[_nmemo++].target;
}

/* _canon - realpath(3) of the absolute host PATH through the memo into OUT (PATH_MAX bytes):
 * ".", ".." and every link resolved, ".." after a link going to the real parent. PATH must
 * exist (the caller stat()ed it). False after 40 links or when a path outgrows PATH_MAX. */
static bool _canon(const char *path, char *out)
{
	char rest[2 * PATH_MAX], next[2 * PATH_MAX];
	size_t len = 0;	/* OUT holds the resolved prefix, without a trailing '/' ("" is "/") */
	int links = 0;

	snprintf(rest, sizeof(rest), "%s", path);
	out[0] = 0;
	while (rest[0]) {
		char *comp = rest, *slash;
		const char *t;

		while (*comp == '/')
			comp++;
		slash = strchr(comp, '/');
		if (slash)
			*slash++ = 0;
		if (!*comp || !strcmp(comp, ".")) {
			memmove(rest, slash ? slash : "", strlen(slash ? slash : "") + 1);
			continue;
		}
		if (!strcmp(comp, "..")) {
			while (len > 0 && out[--len] != '/')
				;
			out[len] = 0;
			memmove(rest, slash ? slash : "", strlen(slash ? slash : "") + 1);
			continue;
		}
		if (len + 1 + strlen(comp) >= PATH_MAX)
			return false;
		len += (size_t)sprintf(out + len, "/%s", comp);
		t = _readlink_memo(out);
		if (t) {
			if (++links > 40)
				return false;
			if (snprintf(next, sizeof(next), "%s/%s", t, slash ? slash : "") >= (int)sizeof(next))
				return false;
			memcpy(rest, next, strlen(next) + 1);
			while (len > 0 && out[--len] != '/')	/* the link's own name goes */
				;
			out[len] = 0;
			if (t[0] == '/')
				len = 0, out[0] = 0;
			continue;
		}
		memmove(rest, slash ? slash : "", strlen(slash ? slash : "") + 1);
	}
	if (!len)
		strcpy(out, "/");
	return true;
}

/* _link_location - where the link at PATH really sits: its parent directory with links resolved,
 * then its own name. Links are placed there in the view, so that creating one never has to follow
 * another (an absolute link would lead out of the view under construction). */
static char *_link_location(const char *path)
{
	char dir[PATH_MAX];
	_cleanup_free_ char *parent = xstrdup(path);
	const char *name = strrchr(path, '/') + 1;

	*strrchr(parent, '/') = 0;
	if (!_canon(*parent ? parent : "/", dir))
		return xstrdup(path);
	return xasprintf("%s/%s", strcmp(dir, "/") ? dir : "", name);
}

/* _prepare_bind - fill P for the host PATH before the pivot; false when PATH does not exist. */
static bool _prepare_bind(const char *path, struct prep *p)
{
	char buf[PATH_MAX];
	struct stat st;

	memset(p, 0, sizeof(*p));
	if (stat(path, &st) < 0 || !_canon(path, buf))
		return false;
	p->canon = xstrdup(buf);
	p->mode = st.st_mode;
	snprintf(buf, sizeof(buf), "%s", path);
	for (char *s = buf + 1;; s++) {
		char save = *s;
		const char *t;

		if (save && save != '/')
			continue;
		*s = 0;
		t = _readlink_memo(buf);
		if (t && p->nlinks < ARRAY_SIZE(p->links)) {
			p->links[p->nlinks] = _link_location(buf);
			p->targets[p->nlinks++] = xstrdup(t);
		}
		*s = save;
		if (!save)
			break;
	}
	return true;
}

/* _place_bind - after the pivot: recreate the links of P, then bind its target with MA, unless
 * BOUND: an earlier bind placed the same target with the same flags already. */
static void _place_bind(const struct prep *p, unsigned ma, bool bound)
{
	char src[PATH_MAX + 16], dst[PATH_MAX + 16];

	/* the target's mountpoint first: links on the way may lead through its parents */
	snprintf(src, sizeof(src), OLDROOT "%s", p->canon);
	snprintf(dst, sizeof(dst), NEWROOT "%s", strcmp(p->canon, "/") ? p->canon : "");
	_mountpoint(dst, p->mode);
	for (size_t i = 0; i < p->nlinks; i++) {
		_cleanup_free_ char *parent = xstrdup(p->links[i]);
		char ldst[PATH_MAX + 16], lpar[PATH_MAX + 16];

		snprintf(ldst, sizeof(ldst), NEWROOT "%s", p->links[i]);
		*strrchr(parent, '/') = 0;
		snprintf(lpar, sizeof(lpar), NEWROOT "%s", parent);
		if (*parent)
			_mkdirs(lpar);
		_symlink(p->targets[i], ldst);
	}
	if (!bound)
		_bind(src, dst, ma);
}

/* _shows_same - whether, once the first I operations of PL are placed, the view already shows
 * the host's PREPS[I].canon with the flags of the I-th bind, so that binding it changes nothing
 * (the bind is then left out; its links are still made). True when an earlier bind J of the same
 * flags has the same host target or one of its ancestors, and no operation placed after J sits
 * at that target or above it (a mask, a tmpfs, a grant's placeholder, the jail's /dev or /proc,
 * a bind with other flags; a wildcard mask counts as anywhere); LOC[K] is where operation K sits
 * on the host (NULL: nowhere). Binding again would only cover what was placed inside meanwhile:
 * deeper rules' masks and tmpfs, which the profile's most specific rule wants kept (a deeper bind
 * of other flags, though, is covered as it was before this check existed). The base
 * profile's /lib and /usr/lib, /lib64 and /usr/lib64, /etc/locale.alias and
 * /usr/share/locale/locale.alias are such pairs, as is a file of /usr/bin under "exec /bin". */
static bool _shows_same(const struct plan *pl, char *const *loc, size_t i)
{
	const char *target = loc[i];

	for (size_t j = 0; j < i; j++) {
		bool same = true;

		if (pl->v[j].kind != MOP_BIND || !loc[j] || pl->v[j].attrs != pl->v[i].attrs ||
		    !path_is_under(target, loc[j]))
			continue;
		for (size_t k = j + 1; k < i && same; k++) {
			const struct mop *m = &pl->v[k];

			if (m->kind == MOP_MASK && strpbrk(m->path, "*?["))
				same = false;
			else if (loc[k] && path_is_under(target, loc[k]))
				same = m->kind == MOP_BIND && m->attrs == pl->v[i].attrs;
			else if (loc[k] && m->kind == MOP_BIND && m->attrs != pl->v[i].attrs &&
				 path_is_under(loc[k], target))
				same = false;	/* as before: the bind covers a deeper one of other flags */
		}
		if (same)
			return true;
	}
	return false;
}

/* _locations - for each operation of PL, where it sits on the host (malloc'd, or NULL): a bind's
 * or a grant's resolved target (PREPS, when HAVE), any other's path with links resolved. */
static char **_locations(const struct plan *pl, const struct prep *preps, const bool *have)
{
	char **loc = xcalloc(pl->n, sizeof(*loc));
	char buf[PATH_MAX];

	for (size_t i = 0; i < pl->n; i++) {
		const struct mop *m = &pl->v[i];

		if (m->kind == MOP_BIND || m->kind == MOP_GRANT)
			loc[i] = have[i] ? xstrdup(preps[i].canon) : NULL;
		else if (m->kind == MOP_MASK && strpbrk(m->path, "*?["))
			loc[i] = NULL;	/* counted as anywhere by _shows_same */
		else
			loc[i] = xstrdup(_canon(m->path, buf) ? buf : m->path);
	}
	return loc;
}

static char **_masked_dirs;	/* directory masks, sealed read-only after the build */
static size_t _nmasked;

/* _seal_masks - make every directory mask read-only. */
static void _seal_masks(void)
{
	for (size_t i = 0; i < _nmasked; i++) {
		int r = sys_mount_setattr(AT_FDCWD, _masked_dirs[i], 0, MOUNT_ATTR_RDONLY, 0);

		if (r < 0)
			_fail(-r, "seal the mask %s", _masked_dirs[i] + strlen(NEWROOT));
	}
}

/* _mask - cover NEWROOT+PATH (if it exists in the view) with an empty, mode-000 object. */
static void _mask(const char *path)
{
	char dst[PATH_MAX + 16];
	struct stat st;

	snprintf(dst, sizeof(dst), NEWROOT "%s", path);
	if (lstat(dst, &st) < 0 || S_ISLNK(st.st_mode))
		return;
	if (S_ISDIR(st.st_mode)) {	/* read-only once built (_seal_masks): deeper rules bind inside */
		if (mount("tmpfs", dst, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, "mode=000,size=4k") < 0)
			_fail(errno, "mask %s", path);
		_masked_dirs = xrealloc(_masked_dirs, (_nmasked + 1) * sizeof(*_masked_dirs));
		_masked_dirs[_nmasked++] = xstrdup(dst);
		return;
	}
	if (mount("/masked", dst, NULL, MS_BIND, NULL) < 0)
		_fail(errno, "mask %s", path);
	if (sys_mount_setattr(AT_FDCWD, dst, 0, MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID |
					MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC, 0) < 0)
		_fail(errno, "mask %s", path);
}

static const char *_glob_pattern;
static unsigned long _glob_seen;

/* _glob_visit - nftw callback: mask the first entry (top-down) the pattern matches. */
static int _glob_visit(const char *fpath, const struct stat *st, int type, struct FTW *ftw)
{
	const char *rel = fpath + strlen(NEWROOT);

	(void)st;
	(void)ftw;
	if (++_glob_seen > 2000000)
		_fail(0, "deny %s: more than 2000000 entries to search; name the paths", _glob_pattern);
	if (!*rel || !policy_pattern_match(_glob_pattern, rel))
		return FTW_CONTINUE;
	_mask(rel);
	return type == FTW_D ? FTW_SKIP_SUBTREE : FTW_CONTINUE;
}

/* _mask_glob - mask every entry of the view that the wildcard PATTERN names: walk the view below
 * the pattern's literal prefix (links are not followed; their targets are judged where they lie). */
static void _mask_glob(const char *pattern)
{
	char top[PATH_MAX + 16];
	const char *wild = strpbrk(pattern, "*?[");
	size_t n = (size_t)(wild - pattern);

	while (n > 0 && pattern[n - 1] != '/')
		n--;
	snprintf(top, sizeof(top), NEWROOT "%.*s", (int)n, pattern);
	_glob_pattern = pattern;
	_glob_seen = 0;
	if (nftw(top, _glob_visit, 64, FTW_PHYS | FTW_ACTIONRETVAL) < 0 && errno != ENOENT)
		_fail(errno, "deny %s: search the view", pattern);
}

/* _placeholder - where grant P will be mounted: the links that lead there, and an empty,
 * inaccessible mountpoint (or, when the view already shows the path through a parent, a mask). */
static void _placeholder(const struct prep *p)
{
	char dst[PATH_MAX + 16];
	struct stat st;

	snprintf(dst, sizeof(dst), NEWROOT "%s", p->canon);
	if (lstat(dst, &st) == 0) {
		_mask(p->canon);
		return;
	}
	for (size_t i = 0; i < p->nlinks; i++) {
		char ldst[PATH_MAX + 16];

		snprintf(ldst, sizeof(ldst), NEWROOT "%s", p->links[i]);
		_symlink(p->targets[i], ldst);
	}
	_mountpoint(dst, p->mode);
	if (chmod(dst, 0) < 0)
		_fail(errno, "placeholder %s", p->canon);
}

/* _pivot_to_base - make mounts private, put a tmpfs base on /tmp and pivot into it, leaving the
 * host root at OLDROOT and an empty tmpfs at NEWROOT to build in. */
static void _pivot_to_base(void)
{
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		_fail(errno, "make mounts private");
	if (mount("tmpfs", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755") < 0)
		_fail(errno, "tmpfs base");
	if (mkdir("/tmp" NEWROOT, 0755) < 0 || mkdir("/tmp" OLDROOT, 0755) < 0)
		_fail(errno, "mkdir in the base");
	if (chdir("/tmp") < 0 || sys_pivot_root(".", "." OLDROOT) < 0 || chdir("/") < 0)
		_fail(errno, "pivot_root into the base");
	if (mount("tmpfs", NEWROOT, "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755") < 0)
		_fail(errno, "tmpfs root");
	_cleanup_close_ int fd = open("/masked", O_WRONLY | O_CREAT | O_CLOEXEC, 0000);
	if (fd < 0)
		_fail(errno, "mask file");
}

/* _pivot_to_view - make NEWROOT the root, read-only at its top, and drop the host tree. */
static void _pivot_to_view(void)
{
	int r = sys_mount_setattr(AT_FDCWD, NEWROOT, 0, MOUNT_ATTR_RDONLY, 0);

	if (r < 0)
		_fail(-r, "make the root read-only");
	if (chdir(NEWROOT) < 0 || sys_pivot_root(".", ".") < 0)
		_fail(errno, "pivot_root into the view");
	if (umount2(".", MNT_DETACH) < 0 || chdir("/") < 0)
		_fail(errno, "detach the host tree");
}

/* _home_tmpfs - "home tmpfs": an empty tmpfs of mode 0700 owned by the command's user at the
 * view's WHERE (the home with the host's links resolved), with MA. */
static void _home_tmpfs(const char *where, unsigned ma, const struct jail_cfg *cfg)
{
	char dst[PATH_MAX + 16], opts[64];

	snprintf(dst, sizeof(dst), NEWROOT "%s", where);
	snprintf(opts, sizeof(opts), "mode=0700,uid=%u,gid=%u", (unsigned)cfg->uid,
		 (unsigned)cfg->gid);
	_tmpfs(dst, opts, ma);
}

/* _bind_from - "home persist": bind the host directory P (prepared) at the view's WHERE with MA. */
static void _bind_from(const struct prep *p, const char *where, unsigned ma)
{
	char src[PATH_MAX + 16], dst[PATH_MAX + 16];

	snprintf(src, sizeof(src), OLDROOT "%s", p->canon);
	snprintf(dst, sizeof(dst), NEWROOT "%s", where);
	_mountpoint(dst, S_IFDIR);
	_bind(src, dst, ma);
}

/* _has_proc - whether plan PL mounts the jail's /proc. */
static bool _has_proc(const struct plan *pl)
{
	for (size_t i = 0; i < pl->n; i++)
		if (pl->v[i].kind == MOP_PROC)
			return true;
	return false;
}

/* _hidden_proc - "proc none": mount a proc of the jail's pid namespace in the base, outside the
 * view, and keep a directory fd of it in _procfd (close-on-exec), so that the command's nested
 * user namespace can be mapped once the base is detached. */
static void _hidden_proc(void)
{
	if (mkdir("/proc", 0700) < 0 ||
	    mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0)
		_fail(errno, "proc outside the view");
	_procfd = open("/proc", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (_procfd < 0)
		_fail(errno, "open proc outside the view");
}

/* _enter_root - --root DIR: with mounts private (nothing propagates to the host), clone the host's
 * /dev nodes, then make a bind of DIR the root and drop the host's tree, so that the binds are
 * prepared inside DIR and OLDROOT becomes DIR after _pivot_to_base. DIR needs a /tmp directory
 * (the base is mounted there, in this namespace only). */
static void _enter_root(const char *dir)
{
	char src[64];
	struct stat st;

	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		_fail(errno, "make mounts private");
	for (size_t i = 0; i < ARRAY_SIZE(_devnodes); i++) {
		snprintf(src, sizeof(src), "/dev/%s", _devnodes[i]);
		if (access(src, F_OK) < 0)
			continue;
		_devtree[i] = sys_open_tree(AT_FDCWD, src, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
		if (_devtree[i] < 0)
			_fail(-_devtree[i], "clone %s", src);
	}
	_devcloned = true;
	for (size_t i = 0; i < 2; i++) {
		snprintf(src, sizeof(src), "%s", i ? "/proc" : "/tmp");
		char *at = xasprintf("%s%s", dir, src);
		bool ok = lstat(at, &st) == 0 && S_ISDIR(st.st_mode);

		free(at);
		if (!ok)
			_fail(0, "--root %s: the tree has no %s directory, which the jail needs", dir, src);
	}
	if (mount(dir, dir, NULL, MS_BIND | MS_REC, NULL) < 0)
		_fail(errno, "--root %s: bind", dir);
	/* a user namespace may mount a proc only while one is fully visible in its mount namespace:
	 * this one (of the jail's pid namespace) stands in for the host's until the view is built */
	if (chdir(dir) < 0 ||
	    mount("proc", "proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0)
		_fail(errno, "--root %s: proc", dir);
	/* pivot, not chroot: a chrooted process may not make the user namespace that locks the
	 * mounts (_lock_and_drop; unshare(2): EPERM); the host's tree is detached right away */
	if (sys_pivot_root(".", ".") < 0 || umount2(".", MNT_DETACH) < 0 ||
	    chdir("/") < 0)
		_fail(errno, "--root %s: enter the tree", dir);
}

/* _host_trees - --root: a clone of the host's tree at each bind of a "host" rule of PL, taken
 * while "/" is still the host, into FDS (-1 for the other operations) and their file types into
 * MODES. A host path that does not exist fails the run. */
static void _host_trees(const struct plan *pl, int *fds, mode_t *modes)
{
	struct stat st;

	for (size_t i = 0; i < pl->n; i++) {
		const struct mop *m = &pl->v[i];

		fds[i] = -1;
		if (m->kind != MOP_BIND || !m->rule || !m->rule->host)
			continue;
		if (stat(m->path, &st) < 0)
			_fail(errno, "host %s", m->path);
		modes[i] = st.st_mode;
		fds[i] = sys_open_tree(AT_FDCWD, m->path, OPEN_TREE_CLONE | AT_RECURSIVE |
				       OPEN_TREE_CLOEXEC);
		if (fds[i] < 0)
			_fail(-fds[i], "clone the host's %s", m->path);
	}
}

/* _place_host - put the host tree FD (a clone, of file type MODE) at the view's PATH with the
 * mount flags MA; FD is closed. */
static void _place_host(int fd, mode_t mode, const char *path, unsigned ma)
{
	char dst[PATH_MAX + 16];
	int r;

	snprintf(dst, sizeof(dst), NEWROOT "%s", path);
	_mountpoint(dst, mode);
	r = sys_mount_setattr(fd, "", AT_EMPTY_PATH | AT_RECURSIVE, plan_mount_attr(ma), 0);
	if (r == 0)
		r = sys_move_mount(fd, "", AT_FDCWD, dst, MOVE_MOUNT_F_EMPTY_PATH);
	if (r < 0)
		_fail(-r, "host %s", path);
	close(fd);
}

/* _build - carry out CFG's plan. Binds are prepared (links resolved) while "/" is the host, or
 * with --root the tree (the binds of "host" rules cloned from the host before). */
static void _build(const struct jail_cfg *cfg)
{
	const struct plan *pl = cfg->plan;
	struct prep *preps = xcalloc(pl->n, sizeof(*preps));
	bool *have = xcalloc(pl->n, sizeof(*have));
	int *hostfd = xcalloc(pl->n, sizeof(*hostfd));
	mode_t *hostmode = xcalloc(pl->n, sizeof(*hostmode));
	char **loc;

	for (size_t i = 0; i < pl->n; i++)
		hostfd[i] = -1;
	if (cfg->root) {
		_host_trees(pl, hostfd, hostmode);
		_enter_root(cfg->root);
	}
	for (size_t i = 0; i < pl->n; i++)
		if (hostfd[i] >= 0)
			continue;	/* from the host, not the tree: placed from its clone */
		else if (pl->v[i].kind == MOP_BIND || pl->v[i].kind == MOP_GRANT)
			have[i] = _prepare_bind(pl->v[i].path, &preps[i]);
		else if (pl->v[i].kind == MOP_BIND_FROM && !(have[i] = _prepare_bind(pl->v[i].src,
									     &preps[i])))
			_fail(errno, "home: %s", pl->v[i].src);
	loc = _locations(pl, preps, have);
	_pivot_to_base();
	for (size_t i = 0; i < pl->n; i++) {
		const struct mop *m = &pl->v[i];
		char dst[PATH_MAX + 16];

		snprintf(dst, sizeof(dst), NEWROOT "%s", m->path);
		if (hostfd[i] >= 0)
			_place_host(hostfd[i], hostmode[i], m->path, m->attrs);
		else if (m->kind == MOP_BIND && have[i])
			_place_bind(&preps[i], m->attrs, _shows_same(pl, loc, i));
		else if (m->kind == MOP_TMPFS)
			_tmpfs(dst, m->rule ? "mode=0700" : "mode=1777", m->attrs);
		else if (m->kind == MOP_DEV)
			_dev();
		else if (m->kind == MOP_PROC) {
			_mkdirs(dst);
			if (mount("proc", dst, "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0)
				_fail(errno, "proc on /proc");
		} else if (m->kind == MOP_MASK && strpbrk(m->path, "*?["))
			_mask_glob(m->path);
		else if (m->kind == MOP_MASK)
			_mask(m->path);
		else if (m->kind == MOP_GRANT && have[i])
			_placeholder(&preps[i]);
		else if (m->kind == MOP_HOME)
			_home_tmpfs(loc[i], m->attrs, cfg);
		else if (m->kind == MOP_BIND_FROM && have[i])
			_bind_from(&preps[i], loc[i], m->attrs);
	}
	_seal_masks();
	if (!_has_proc(pl))
		_hidden_proc();
	_pivot_to_view();
}

/* _lock_and_drop - enter a nested user+mount namespace (every mount becomes locked), start a
 * new session, drop every capability, set no_new_privs. */
static void _lock_and_drop(uid_t uid, gid_t gid)
{
	int r;

	if (unshare(CLONE_NEWUSER | CLONE_NEWNS) < 0)
		_fail(errno, "lock the mounts (nested user namespace)");
	_map_ids(uid, gid);
	if (setsid() < 0)
		_fail(errno, "setsid");
	r = sys_capbset_drop_all();
	if (r < 0)
		_fail(-r, "drop capabilities");
	r = sys_set_no_new_privs();
	if (r < 0)
		_fail(-r, "no_new_privs");
}

/* _drop_real - the command's drop without user namespaces (CFG->real_ids: S is root): a new
 * session, CFG's user (if any), only CFG's capabilities, no_new_privs. Mounts need no lock: the
 * command cannot hold CAP_SYS_ADMIN (options.c refuses to keep it). */
static void _drop_real(const struct jail_cfg *cfg)
{
	int r;

	if (setsid() < 0)
		_fail(errno, "setsid");
	if (cfg->user)
		jail_user_switch(cfg->user, cfg->caps);
	else if ((r = sys_caps_keep(cfg->caps, false)) < 0)
		_fail(-r, "keep the capabilities of the caps line");
	r = sys_set_no_new_privs();
	if (r < 0)
		_fail(-r, "no_new_privs");
}

/* _ports_named - whether CFG's profile has any tcp rule. */
static bool _ports_named(const struct jail_cfg *cfg)
{
	for (size_t i = 0; i < cfg->nnet; i++)
		if (cfg->netrules[i].proto == NETRULE_TCP)
			return true;
	return false;
}

void jail_enter(const struct jail_cfg *cfg)
{
	uid_t uid = getuid();
	gid_t gid = getgid();
	int flags = (cfg->real_ids ? 0 : CLONE_NEWUSER) | CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWIPC |
		    CLONE_NEWUTS;
	int r, ll = 1;
	struct landlock_jail llj;	/* rules from the host's view, before any namespace */
	struct plan mistake = { 0 };
	struct jail_cfg built = *cfg;
	char err[512];

	if (cfg->net != NET_HOST)
		flags |= CLONE_NEWNET;
	if ((r = landlock_jail_prepare(&llj, cfg->plan, cfg->landlock, cfg->net, err,
				       sizeof(err))) < 0)
		_fail(0, "%s", err);
	built.plan = landlock_test_mistake(cfg->plan, &mistake);
	timing_begin(TIMING_NAMESPACES);
	if (unshare(flags) < 0)
		_fail(errno, "create namespaces (Hint: unprivileged user namespaces may be disabled; "
			     "see sysctl user.max_user_namespaces)");
	if (!cfg->real_ids)
		_map_ids(uid, gid);
	_fork_below(false);	/* now pid 1 of the new pid namespace */
	timing_end(TIMING_NAMESPACES);
	timing_begin(TIMING_VIEW);
	_build(&built);
	timing_end(TIMING_VIEW);
	timing_begin(TIMING_NAMESPACES);
	if (cfg->net == NET_LOOPBACK && (r = sys_iface_up("lo")) < 0)
		_fail(-r, "bring up lo");
	if (sethostname("supervise", 9) < 0)
		_fail(errno, "sethostname");
	_fork_below(true);	/* the command: pid 2, reaped by pid 1 */
	timing_end(TIMING_NAMESPACES);
	timing_begin(TIMING_LOCK);
	if (cfg->real_ids)
		_drop_real(cfg);
	else
		_lock_and_drop(uid, gid);
	if (_procfd >= 0)
		close(_procfd);
	_procfd = -1;
	if (cfg->net != NET_NONE && cfg->net != NET_UNSET &&
	    (ll = landlock_tcp_ports(cfg->netrules, cfg->nnet)) < 0)
		_fail(-ll, "Landlock TCP port rules");
	if (ll == 1 && cfg->verbose && _ports_named(cfg))
		fprintf(stderr, "supervise: jail: no Landlock TCP layer (needs Linux 6.7, ABI 4)\n");
	if ((r = landlock_jail_apply(&llj, cfg->plan, cfg->verbose, err, sizeof(err))) < 0)
		_fail(0, "%s", err);
	if (chdir(cfg->cwd) < 0 && cfg->cwd_given)
		_fail(errno, "--cwd %s (is it in the profile's view?)", cfg->cwd);
	if (chdir(cfg->cwd) < 0) {
		if (cfg->verbose)
			fprintf(stderr, "supervise: jail: %s is not in the profile's view; starting in /\n",
				cfg->cwd);
		if (chdir("/") < 0)
			_fail(errno, "chdir /");
	}
	timing_end(TIMING_LOCK);
}
