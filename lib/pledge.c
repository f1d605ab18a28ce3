/* pledge.c - sv_pledge: promises → the syscall groups of policy/sysgroups.c → a seccomp filter,
 * plus Landlock for the unveiled paths (unveil.c). The table is in doc/libsupervise.md.
 *
 * Why this is safe:
 * - The filter is an allowlist: its default action refuses (EPERM, or kills with SV_KILL) every
 *   call no promise names, numbers above libseccomp's table included, and other ABIs (x32,
 *   i386) kill the process (libseccomp's bad-architecture action).
 * - Calls whose reach depends on an argument are allowed on that argument only: socket by
 *   domain (inet: AF_INET/AF_INET6, unix: AF_UNIX; nothing else, no netlink or packet sockets),
 *   socketpair with unix, clone without proc only for a thread (CLONE_THREAD), clone3 ENOSYS
 *   (its flags sit in memory the filter cannot read; libc falls back to clone), fstatat/statx
 *   without a path promise only with AT_EMPTY_PATH (libc's fstat), sendto without a network
 *   promise only with no address.
 * - Landlock is applied before the filter is loaded, so the filter need not allow Landlock's
 *   calls; if the load then fails the process is more confined than before, never less.
 * - The process must be single-threaded: both layers bind the calling thread and what it starts
 *   later, so another thread would stay free.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../common/sys.h"
#include "../policy/sysgroups.h"
#include "internal.h"

/* What a promise allows beyond its tokens. */
#define P_INET	0x1u	/* socket(AF_INET/AF_INET6) */
#define P_UNIX	0x2u	/* socket(AF_UNIX), socketpair */
#define P_PROC	0x4u	/* clone of any kind */
#define P_PATHS	0x8u	/* fstatat/statx of any path */
#define P_STDIO	0x10u	/* clone of a thread, fstat through fstatat/statx, sendto with no address */

struct _promise {
	const char *name;
	const char *const *tokens;	/* sysset tokens: "@group" or a syscall name */
	unsigned special;
};

#define T(...) ((const char *const[]){ __VA_ARGS__, NULL })

static const struct _promise _promises[] = {
	{ "stdio", T("@basic-io", "@io-event", "@memory", "@signal", "@timer", "@sync", "@sandbox",
		     "pipe", "pipe2", "fstat", "fcntl", "umask", "getpid", "gettid", "getppid",
		     "getuid", "geteuid", "getgid", "getegid", "getresuid", "getresgid", "getgroups",
		     "getpgrp", "getpgid", "getsid", "arch_prctl", "set_tid_address",
		     "set_robust_list", "get_robust_list", "rseq", "futex", "futex_waitv",
		     "futex_wake", "futex_wait", "futex_requeue", "uname", "sysinfo", "getrlimit",
		     "prlimit64", "getrusage", "times", "sched_yield", "sched_getaffinity", "getcpu",
		     "prctl", "tgkill", "tkill", "recvfrom", "recvmsg", "recvmmsg", "shutdown",
		     "getsockname", "getpeername", "getsockopt"), P_STDIO },
	{ "rpath", T("open", "openat", "openat2", "access", "faccessat", "faccessat2", "stat",
		     "lstat", "newfstatat", "statx", "statfs", "fstatfs", "getdents", "getdents64",
		     "getcwd", "chdir", "fchdir", "readlink", "readlinkat", "getxattr", "lgetxattr",
		     "fgetxattr", "listxattr", "llistxattr", "flistxattr", "fadvise64",
		     "inotify_init", "inotify_init1", "inotify_add_watch", "inotify_rm_watch"),
	  P_PATHS },
	{ "wpath", T("open", "openat", "openat2", "access", "faccessat", "faccessat2", "stat",
		     "lstat", "newfstatat", "statx", "getcwd", "truncate", "ftruncate", "fallocate"),
	  P_PATHS },
	{ "cpath", T("open", "openat", "openat2", "creat", "stat", "lstat", "newfstatat", "statx",
		     "mkdir", "mkdirat", "rmdir", "rename", "renameat", "renameat2", "link", "linkat",
		     "symlink", "symlinkat", "unlink", "unlinkat"), P_PATHS },
	{ "dpath", T("mknod", "mknodat"), 0 },
	{ "fattr", T("chmod", "fchmod", "fchmodat", "fchmodat2", "utime", "utimes", "utimensat",
		     "futimesat", "setxattr", "lsetxattr", "fsetxattr", "removexattr",
		     "lremovexattr", "fremovexattr"), 0 },
	{ "chown", T("@chown"), 0 },
	{ "flock", T("flock"), 0 },
	{ "tty", T("ioctl"), 0 },
	{ "inet", T("@network-io"), P_INET },
	{ "unix", T("@network-io"), P_UNIX },
	{ "dns", T("@network-io"), P_INET },
	{ "proc", T("@process"), P_PROC },
	{ "exec", T("execve", "execveat"), 0 },
	{ "id", T("@setuid"), 0 },
	{ "settime", T("@clock"), 0 },
	{ "ipc", T("@ipc"), 0 },
};

/* Allowed whatever the promises: ending the process and returning from a signal handler. */
static const char *const _always[] = { "exit", "exit_group", "rt_sigreturn", "restart_syscall" };

/* _promise - the promise NAME (LEN bytes), or NULL. */
static const struct _promise *_promise(const char *name, size_t len)
{
	for (size_t i = 0; i < sizeof(_promises) / sizeof(_promises[0]); i++)
		if (strlen(_promises[i].name) == len && !strncmp(_promises[i].name, name, len))
			return &_promises[i];
	return NULL;
}

/* _parse - the syscalls and specials of PROMISES (space separated) into *SET and *SPECIAL.
 * 0, or -SV_EPROMISE for an unknown name. */
static int _parse(const char *promises, struct sysset *set, unsigned *special)
{
	const char *p = promises;

	memset(set, 0, sizeof(*set));
	*special = 0;
	for (size_t i = 0; i < sizeof(_always) / sizeof(_always[0]); i++)
		sysset_add(set, sys_nr(_always[i]));
	while (*p) {
		size_t len = strcspn(p, " \t\n");
		const struct _promise *pr;

		if (len == 0) {
			p++;
			continue;
		}
		pr = _promise(p, len);
		if (!pr)
			return -SV_EPROMISE;
		for (const char *const *t = pr->tokens; *t; t++)
			if (sysset_apply(set, *t) < 0)
				return -SV_EPROMISE;	/* the table names a group that is gone */
		*special |= pr->special;
		p += len;
	}
	return 0;
}

/* _rule - add a rule ACTION for syscall NAME (absent here: nothing) with up to one comparison
 * (N 0 or 1, CMP). 0 or -errno. */
static int _rule(scmp_filter_ctx ctx, uint32_t action, const char *name, unsigned n,
		 struct scmp_arg_cmp cmp)
{
	int nr = sys_nr(name);

	if (nr < 0)
		return 0;
	return n ? seccomp_rule_add(ctx, action, nr, 1, cmp) : seccomp_rule_add(ctx, action, nr, 0);
}

/* _conditional - take the argument-dependent calls out of SET and add their rules to CTX for
 * SPECIAL (see the top of the file). 0 or -errno. */
static int _conditional(scmp_filter_ctx ctx, struct sysset *set, unsigned special)
{
	const char *const cut[] = { "socket", "socketpair", "clone", "clone3", "newfstatat", "statx",
				    "sendto" };
	bool net = sysset_has(set, sys_nr("socket"));
	int r = 0;

	for (size_t i = 0; i < sizeof(cut) / sizeof(cut[0]); i++) {
		if ((special & P_PATHS) && (!strcmp(cut[i], "newfstatat") || !strcmp(cut[i], "statx")))
			continue;
		if ((special & (P_INET | P_UNIX)) && !strcmp(cut[i], "sendto"))
			continue;
		sysset_del(set, sys_nr(cut[i]));
	}
	if (net && (special & P_INET))
		r = r ?: _rule(ctx, SCMP_ACT_ALLOW, "socket", 1, SCMP_A0(SCMP_CMP_EQ, AF_INET, 0));
	if (net && (special & P_INET))
		r = r ?: _rule(ctx, SCMP_ACT_ALLOW, "socket", 1, SCMP_A0(SCMP_CMP_EQ, AF_INET6, 0));
	if (net && (special & P_UNIX)) {
		r = r ?: _rule(ctx, SCMP_ACT_ALLOW, "socket", 1, SCMP_A0(SCMP_CMP_EQ, AF_UNIX, 0));
		r = r ?: _rule(ctx, SCMP_ACT_ALLOW, "socketpair", 1, SCMP_A0(SCMP_CMP_EQ, AF_UNIX, 0));
	}
	if (special & P_PROC)
		r = r ?: _rule(ctx, SCMP_ACT_ALLOW, "clone", 0, SCMP_A0(SCMP_CMP_EQ, 0, 0));
	else if (special & P_STDIO)
		r = r ?: _rule(ctx, SCMP_ACT_ALLOW, "clone", 1,
			       SCMP_A0(SCMP_CMP_MASKED_EQ, CLONE_THREAD, CLONE_THREAD));
	r = r ?: _rule(ctx, SCMP_ACT_ERRNO(ENOSYS), "clone3", 0, SCMP_A0(SCMP_CMP_EQ, 0, 0));
	if (!(special & P_PATHS) && (special & P_STDIO)) {
		r = r ?: _rule(ctx, SCMP_ACT_ALLOW, "newfstatat", 1,
			       SCMP_A3(SCMP_CMP_MASKED_EQ, AT_EMPTY_PATH, AT_EMPTY_PATH));
		r = r ?: _rule(ctx, SCMP_ACT_ALLOW, "statx", 1,
			       SCMP_A2(SCMP_CMP_MASKED_EQ, AT_EMPTY_PATH, AT_EMPTY_PATH));
	}
	if (!(special & (P_INET | P_UNIX)) && (special & P_STDIO))
		r = r ?: _rule(ctx, SCMP_ACT_ALLOW, "sendto", 1, SCMP_A4(SCMP_CMP_EQ, 0, 0));
	return r;
}

/* _filter - the filter of PROMISES into *OUT (KILL: refused calls kill the process).
 * 0, -SV_EPROMISE, or -errno. */
static int _filter(const char *promises, bool kill, scmp_filter_ctx *out)
{
	struct sysset set;
	unsigned special;
	scmp_filter_ctx ctx;
	int r = _parse(promises, &set, &special);

	if (r < 0)
		return r;
	ctx = seccomp_init(kill ? SCMP_ACT_KILL_PROCESS : SCMP_ACT_ERRNO(EPERM));
	if (!ctx)
		return -ENOMEM;
	r = _conditional(ctx, &set, special);
	for (int nr = 0; nr < SYSSET_MAX && r == 0; nr++)
		if (sysset_has(&set, nr))
			r = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 0);
	if (r < 0) {
		seccomp_release(ctx);
		return r;
	}
	*out = ctx;
	return 0;
}

/* _threads - how many threads the process has (from /proc/self/status), or -errno. */
static int _threads(void)
{
	char line[256];
	int n = -ENOENT;
	FILE *f = fopen("/proc/self/status", "re");

	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "Threads: %d", &n) == 1)
			break;
	fclose(f);
	return n;
}

/* _single_threaded - 0 when the process has one thread, -SV_ETHREADS when more. When /proc cannot
 * be read (an earlier sv_pledge hid it), a later call narrows what that one applied to every
 * thread started since, so it is let through then. */
static int _single_threaded(bool pledged_before)
{
	int n = _threads();

	if (n < 0)
		return pledged_before ? 0 : n;
	return n == 1 ? 0 : -SV_ETHREADS;
}

/* _close_unveils - close the fds of the N unveils V and free V. */
static void _close_unveils(struct lib_unveil *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		close(v[i].fd);
	free(v);
}

SV_API int sv_pledge_flags(const char *promises, const char *execpromises, unsigned flags)
{
	static _Atomic bool pledged;	/* the process has a filter of ours */
	scmp_filter_ctx ctx = NULL;
	struct lib_unveil *v;
	size_t n;
	int r;

	if (!promises || (execpromises && strcmp(execpromises, promises)) ||
	    (flags & ~(SV_BEST_EFFORT | SV_KILL)))
		return -EINVAL;
	if ((r = _single_threaded(pledged)) < 0 || (r = _filter(promises, flags & SV_KILL, &ctx)) < 0)
		return r;
	lib_unveil_take(&v, &n);
	r = sys_set_no_new_privs();
	if (r == 0 && n)
		r = lib_landlock_apply(v, n, flags & SV_BEST_EFFORT);
	if (r < 0) {
		lib_unveil_give_back(v, n);
		seccomp_release(ctx);
		return r;
	}
	_close_unveils(v, n);
	r = seccomp_load(ctx);
	seccomp_release(ctx);
	if (r == 0)
		pledged = true;
	return r;
}

SV_API int sv_pledge(const char *promises, const char *execpromises)
{
	return sv_pledge_flags(promises, execpromises, 0);
}
