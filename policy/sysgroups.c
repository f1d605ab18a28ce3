/* sysgroups.c - the syscall groups and set arithmetic (see sysgroups.h, doc/syscall-groups.md). */
#include "sysgroups.h"

#include <errno.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/util.h"

struct _group {
	const char *name;
	const char *const *members;	/* NULL-terminated; "@x" names another group */
};

#define M(...) ((const char *const[]){ __VA_ARGS__, NULL })

/* Members of @default: what ordinary programs (shells, compilers, interpreters, build tools,
 * version control, archivers, databases, network clients) call. Kept out: anything that changes
 * the system or other processes (mounts, modules, clocks, reboot, swap, raw I/O, keyrings),
 * inspects other processes (ptrace, process_vm_*, kcmp, pidfd_getfd, perf), changes
 * identity (set*id, capset), enters or creates namespaces, and NUMA/IO-priority tuning. */
static const struct _group _groups[] = {
	{ "@default", M("@basic-io", "@file-system", "@io-event", "@ipc", "@memory", "@network-io",
			"@process", "@signal", "@timer", "@sync", "@aio", "@chown", "@sandbox") },
	{ "@basic-io", M("read", "write", "readv", "writev", "pread64", "pwrite64", "preadv",
			 "pwritev", "preadv2", "pwritev2", "close", "close_range", "lseek", "dup", "dup2",
			 "dup3", "sendfile", "copy_file_range", "splice", "tee", "vmsplice", "ioctl",
			 "getrandom", "readahead") },
	{ "@file-system", M("open", "openat", "openat2", "creat", "access", "faccessat", "faccessat2",
			    "stat", "lstat", "fstat", "newfstatat", "statx", "statfs", "fstatfs",
			    "getdents", "getdents64", "getcwd", "chdir", "fchdir", "mkdir", "mkdirat",
			    "rmdir", "rename", "renameat", "renameat2", "link", "linkat", "symlink",
			    "symlinkat", "unlink", "unlinkat", "readlink", "readlinkat", "truncate",
			    "ftruncate", "fallocate", "chmod", "fchmod", "fchmodat", "fchmodat2", "umask",
			    "utime", "utimes", "utimensat", "futimesat", "fcntl", "flock", "fadvise64",
			    "mknod", "mknodat", "getxattr", "lgetxattr", "fgetxattr", "listxattr",
			    "llistxattr", "flistxattr", "setxattr", "lsetxattr", "fsetxattr",
			    "removexattr", "lremovexattr", "fremovexattr", "inotify_init",
			    "inotify_init1", "inotify_add_watch", "inotify_rm_watch", "cachestat") },
	{ "@io-event", M("poll", "ppoll", "select", "pselect6", "epoll_create", "epoll_create1",
			 "epoll_ctl", "epoll_wait", "epoll_pwait", "epoll_pwait2", "eventfd", "eventfd2") },
	{ "@ipc", M("pipe", "pipe2", "memfd_create", "shmget", "shmat", "shmdt", "shmctl", "semget",
		    "semop", "semtimedop", "semctl", "msgget", "msgsnd", "msgrcv", "msgctl", "mq_open",
		    "mq_unlink", "mq_timedsend", "mq_timedreceive", "mq_notify", "mq_getsetattr") },
	{ "@memory", M("brk", "mmap", "munmap", "mremap", "mprotect", "madvise", "msync", "mincore",
		       "mlock", "mlock2", "munlock", "mlockall", "munlockall", "membarrier",
		       "pkey_alloc", "pkey_free", "pkey_mprotect", "map_shadow_stack") },
	{ "@network-io", M("socket", "socketpair", "connect", "bind", "listen", "accept", "accept4",
			   "getsockname", "getpeername", "sendto", "recvfrom", "sendmsg", "recvmsg",
			   "sendmmsg", "recvmmsg", "shutdown", "setsockopt", "getsockopt") },
	{ "@process", M("fork", "vfork", "clone", "clone3", "execve", "execveat", "exit", "exit_group",
			"wait4", "waitid", "kill", "tkill", "tgkill", "getpid", "getppid", "gettid",
			"getpgid", "setpgid", "getpgrp", "getsid", "setsid", "getuid", "geteuid",
			"getgid", "getegid", "getresuid", "getresgid", "getgroups", "capget", "prctl",
			"arch_prctl", "set_tid_address", "set_robust_list", "get_robust_list", "rseq",
			"futex", "futex_waitv", "futex_wake", "futex_wait", "futex_requeue",
			"pidfd_open", "pidfd_send_signal", "uname", "sysinfo", "getrlimit", "setrlimit",
			"prlimit64", "getrusage", "times", "getpriority", "setpriority", "sched_yield",
			"sched_getaffinity", "sched_setaffinity", "sched_getparam",
			"sched_getscheduler", "sched_getattr", "sched_get_priority_max",
			"sched_get_priority_min", "sched_rr_get_interval", "getcpu", "personality",
			"restart_syscall") },
	{ "@signal", M("rt_sigaction", "rt_sigprocmask", "rt_sigreturn", "rt_sigpending",
		       "rt_sigtimedwait", "rt_sigsuspend", "rt_sigqueueinfo", "rt_tgsigqueueinfo",
		       "sigaltstack", "signalfd", "signalfd4", "pause") },
	{ "@timer", M("nanosleep", "clock_nanosleep", "clock_gettime", "clock_getres", "gettimeofday",
		      "time", "alarm", "getitimer", "setitimer", "timer_create", "timer_settime",
		      "timer_gettime", "timer_getoverrun", "timer_delete", "timerfd_create",
		      "timerfd_settime", "timerfd_gettime") },
	{ "@sync", M("sync", "syncfs", "fsync", "fdatasync", "sync_file_range", "msync") },
	{ "@aio", M("io_setup", "io_destroy", "io_submit", "io_cancel", "io_getevents",
		    "io_pgetevents") },
	{ "@chown", M("chown", "fchown", "lchown", "fchownat") },
	{ "@sandbox", M("seccomp", "landlock_create_ruleset", "landlock_add_rule",
			"landlock_restrict_self") },
	/* outside @default */
	{ "@setuid", M("setuid", "setgid", "setreuid", "setregid", "setresuid", "setresgid",
		       "setgroups", "setfsuid", "setfsgid", "capset") },
	{ "@namespace", M("unshare", "setns") },
	{ "@mount", M("mount", "umount2", "pivot_root", "chroot", "move_mount", "open_tree", "fsopen",
		      "fsconfig", "fsmount", "fspick", "mount_setattr") },
	{ "@debug", M("ptrace", "process_vm_readv", "process_vm_writev", "kcmp", "pidfd_getfd",
		      "perf_event_open", "lookup_dcookie", "process_madvise", "process_mrelease") },
	{ "@resources", M("ioprio_get", "ioprio_set", "sched_setparam", "sched_setscheduler",
			  "sched_setattr", "mbind", "get_mempolicy", "set_mempolicy",
			  "set_mempolicy_home_node", "migrate_pages", "move_pages") },
	{ "@clock", M("settimeofday", "clock_settime", "clock_adjtime", "adjtimex") },
	{ "@keyring", M("add_key", "request_key", "keyctl") },
	{ "@privileged", M("@setuid", "@namespace", "@mount", "@debug", "@clock", "@keyring",
			   "init_module", "finit_module", "delete_module", "kexec_load",
			   "kexec_file_load", "reboot", "swapon", "swapoff", "iopl", "ioperm", "acct",
			   "quotactl", "quotactl_fd", "bpf", "userfaultfd", "syslog", "vhangup",
			   "sethostname", "setdomainname", "fanotify_init", "fanotify_mark",
			   "name_to_handle_at", "open_by_handle_at", "io_uring_setup", "io_uring_enter",
			   "io_uring_register", "memfd_secret", "modify_ldt") },
};

/* Needed between loading the filter and execve, by either backend. */
static const char *const _essential[] = {
	"read", "write", "close", "execve", "execveat", "exit", "exit_group", "rt_sigreturn",
	"restart_syscall", "rt_sigprocmask", "getpid", "kill", "tgkill",
};

/* _group - the group NAME ("@x"), or NULL. */
static const struct _group *_group(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(_groups); i++)
		if (!strcmp(_groups[i].name, name))
			return &_groups[i];
	return NULL;
}

void sysset_add(struct sysset *s, int nr)
{
	if (nr >= 0 && nr < SYSSET_MAX)
		s->w[nr / 64] |= (uint64_t)1 << (nr % 64);
}

void sysset_del(struct sysset *s, int nr)
{
	if (nr >= 0 && nr < SYSSET_MAX)
		s->w[nr / 64] &= ~((uint64_t)1 << (nr % 64));
}

size_t sysset_count(const struct sysset *s)
{
	size_t n = 0;

	for (size_t i = 0; i < ARRAY_SIZE(s->w); i++)
		n += (size_t)__builtin_popcountll(s->w[i]);
	return n;
}

int sys_nr(const char *name)
{
	char *end;
	long v;
	int nr;

	if (name[0] >= '0' && name[0] <= '9') {
		v = strtol(name, &end, 10);
		return *end || v >= SYSSET_MAX ? -1 : (int)v;
	}
	nr = seccomp_syscall_resolve_name(name);
	return nr == __NR_SCMP_ERROR || nr < 0 ? -1 : nr;
}

/* _known - NAME is a syscall libseccomp knows (on some architecture) or a number in range. */
static bool _known(const char *name)
{
	if (name[0] >= '0' && name[0] <= '9')
		return sys_nr(name) >= 0;
	return seccomp_syscall_resolve_name(name) != __NR_SCMP_ERROR;
}

char *sys_name(int nr)
{
	char *n = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, nr);

	return n ? n : xasprintf("%d", nr);
}

/* _walk - add (ADD) or remove the members of group G to/from S, groups recursively (depth is
 * bounded by the table, which has no cycles). Names absent on this architecture are skipped. */
static void _walk(struct sysset *s, const struct _group *g, bool add)
{
	for (const char *const *m = g->members; *m; m++) {
		if (**m == '@') {
			_walk(s, _group(*m), add);
			continue;
		}
		int nr = sys_nr(*m);

		if (add)
			sysset_add(s, nr);
		else
			sysset_del(s, nr);
	}
}

int sysset_check(const char *token)
{
	const char *t = token + (*token == '+' || *token == '-');

	if (!*t || !strcmp(t, "@"))
		return -EINVAL;
	if (*t == '@')
		return _group(t) ? 0 : -ENOENT;
	return _known(t) ? 0 : -ENOENT;
}

int sysset_apply(struct sysset *s, const char *token)
{
	bool add = *token != '-';
	const char *t = token + (*token == '+' || *token == '-');
	int r = sysset_check(token), nr;

	if (r < 0)
		return r;
	if (*t == '@') {
		_walk(s, _group(t), add);
		return 0;
	}
	nr = sys_nr(t);	/* -1: known elsewhere, absent here: nothing to do */
	if (add)
		sysset_add(s, nr);
	else
		sysset_del(s, nr);
	return 0;
}

void sysset_default(struct sysset *s)
{
	memset(s, 0, sizeof(*s));
	_walk(s, _group("@default"), true);
}

bool sys_essential(int nr)
{
	for (size_t i = 0; i < ARRAY_SIZE(_essential); i++)
		if (sys_nr(_essential[i]) == nr)
			return true;
	return false;
}

const char *const *sysgroup_names(void)
{
	static const char *names[ARRAY_SIZE(_groups) + 1];

	for (size_t i = 0; i < ARRAY_SIZE(_groups); i++)
		names[i] = _groups[i].name;
	return names;
}

const char *const *sysgroup_members(const char *name)
{
	const struct _group *g = _group(name);

	return g ? g->members : NULL;
}
