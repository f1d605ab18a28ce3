/* sys.h - every raw syscall, prctl and ioctl supervise makes, as thin wrappers returning -errno.
 * Nothing else in the tree calls syscall(2), ioctl(2) or prctl(2) directly.
 */
#ifndef SUPERVISE_SYS_H
#define SUPERVISE_SYS_H

#include <fcntl.h>
#include <linux/seccomp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#ifndef SECCOMP_IOCTL_NOTIF_SET_FLAGS
#define SECCOMP_IOCTL_NOTIF_SET_FLAGS SECCOMP_IOW(4, __u64)
#endif
#ifndef SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP
#define SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP (1UL << 0)
#endif
#ifndef SECCOMP_USER_NOTIF_FLAG_CONTINUE
#define SECCOMP_USER_NOTIF_FLAG_CONTINUE (1UL << 0)
#endif

/* sys_notif_sizes - SECCOMP_GET_NOTIF_SIZES. Returns 0 or -errno. */
int sys_notif_sizes(struct seccomp_notif_sizes *sizes);
/* sys_notif_recv - SECCOMP_IOCTL_NOTIF_RECV into REQ (the caller zeroes it). 0 or -errno
 * (-ENOENT: the target died or was interrupted; -EINTR: retry). */
int sys_notif_recv(int fd, struct seccomp_notif *req);
/* sys_notif_send - SECCOMP_IOCTL_NOTIF_SEND. 0 or -errno (-ENOENT: the target is gone). */
int sys_notif_send(int fd, struct seccomp_notif_resp *resp);
/* sys_notif_id_valid - SECCOMP_IOCTL_NOTIF_ID_VALID. 0 when ID is still pending, else -errno. */
int sys_notif_id_valid(int fd, uint64_t id);
/* sys_notif_set_flags - SECCOMP_IOCTL_NOTIF_SET_FLAGS (Linux 6.6+). 0 or -errno. */
int sys_notif_set_flags(int fd, uint64_t flags);

#ifndef PIDFD_THREAD
#define PIDFD_THREAD O_EXCL	/* pidfd_open: a pidfd of one thread (Linux 6.9) */
#endif

/* sys_pidfd_open - pidfd_open(2) (Linux 5.3+). fd or -errno. */
int sys_pidfd_open(pid_t pid, unsigned flags);
/* sys_pidfd_getfd - pidfd_getfd(2) (Linux 5.6+): a copy of TARGETFD of the pidfd's process.
 * fd (close-on-exec) or -errno. */
int sys_pidfd_getfd(int pidfd, int targetfd);

/* sys_notif_answer - SECCOMP_IOCTL_NOTIF_SEND for notification ID with an emulated result: the
 * call returns VAL when ERR is 0, else fails with ERR (positive errno); never CONTINUE. Safe to
 * call from any thread. 0 or -errno (-ENOENT: the call was interrupted or its thread died). */
int sys_notif_answer(int fd, uint64_t id, int64_t val, int err);

/* sys_notif_continue - SECCOMP_IOCTL_NOTIF_SEND for notification ID: let the call go on
 * (CONTINUE), from any thread. 0 or -errno (-ENOENT: the call is gone). */
int sys_notif_continue(int fd, uint64_t id);

/* sys_vm_write - process_vm_writev of LEN bytes of BUF to REMOTE in PID. Bytes written or -errno. */
ssize_t sys_vm_write(pid_t pid, const void *buf, size_t len, uint64_t remote);

/* sys_tgkill - tgkill(2): signal SIG to thread TID of process TGID. 0 or -errno. */
int sys_tgkill(pid_t tgid, pid_t tid, int sig);

/* sys_vm_read - process_vm_readv of LEN bytes at REMOTE in PID into BUF. Bytes read or -errno. */
ssize_t sys_vm_read(pid_t pid, void *buf, size_t len, uint64_t remote);

/* sys_set_pdeathsig - PR_SET_PDEATHSIG. 0 or -errno. */
int sys_set_pdeathsig(int sig);
/* sys_set_child_subreaper - PR_SET_CHILD_SUBREAPER on. 0 or -errno. */
int sys_set_child_subreaper(void);
/* sys_set_no_new_privs - PR_SET_NO_NEW_PRIVS. 0 or -errno. */
int sys_set_no_new_privs(void);
/* sys_set_dumpable - PR_SET_DUMPABLE to ON (0/1). 0 or -errno. */
int sys_set_dumpable(int on);

/* sys_send_fd - send FD over the unix socket SOCK with SCM_RIGHTS (one byte payload). 0 or -errno. */
int sys_send_fd(int sock, int fd);
/* sys_recv_fd - receive one fd sent by sys_send_fd. fd (close-on-exec) or -errno; -EPIPE on EOF. */
int sys_recv_fd(int sock);

/* sys_pivot_root - pivot_root(2). 0 or -errno. */
int sys_pivot_root(const char *new_root, const char *put_old);
/* sys_mount_setattr - mount_setattr(2) adding SET and clearing CLR (MOUNT_ATTR_*) on the mount at
 * DFD/PATH, recursively when FLAGS holds AT_RECURSIVE (Linux 5.12). 0 or -errno. */
int sys_mount_setattr(int dfd, const char *path, unsigned flags, uint64_t set, uint64_t clr);
/* sys_open_tree - open_tree(2) (Linux 5.2). fd or -errno. */
int sys_open_tree(int dfd, const char *path, unsigned flags);
/* sys_move_mount - move_mount(2) (Linux 5.2). 0 or -errno. */
int sys_move_mount(int from_dfd, const char *from, int to_dfd, const char *to, unsigned flags);
/* sys_capbset_drop_all - drop every capability from the bounding set, and clear the ambient,
 * effective, permitted and inheritable sets. 0 or -errno. */
int sys_capbset_drop_all(void);
/* sys_caps_keep - keep only the capabilities KEEP (bit N: capability N) in the bounding set and
 * make them the effective, permitted and inheritable sets; with AMBIENT, raise them as ambient
 * too, so that they survive an execve as a non-root uid (Linux 4.3). -EPERM when one of KEEP is
 * not permitted to the caller. 0 or -errno. */
int sys_caps_keep(uint64_t keep, bool ambient);
/* sys_capbset_keep - drop every capability but KEEP from the bounding set, leaving the other
 * sets as they are (needs CAP_SETPCAP: before a change of uid drops it). 0 or -errno. */
int sys_capbset_keep(uint64_t keep);
/* sys_set_keepcaps - PR_SET_KEEPCAPS: keep the permitted set across a change of uid from 0.
 * 0 or -errno. */
int sys_set_keepcaps(int on);
/* sys_openat2_in_root - openat2(DIRFD, PATH, O_PATH|O_CLOEXEC, RESOLVE_IN_ROOT): PATH resolved
 * with DIRFD as its root, absolute links included (Linux 5.6); with NO_LINKS, fails with -ELOOP
 * at the first link instead (RESOLVE_NO_SYMLINKS). fd or -errno. */
int sys_openat2_in_root(int dirfd, const char *path, bool no_links);

/* sys_iface_up - bring network interface NAME up (SIOCGIFFLAGS/SIOCSIFFLAGS). 0 or -errno. */
int sys_iface_up(const char *name);

/* ptrace(2), for the tracer backend (tracer/). Each returns 0 (or the value noted) or -errno;
 * -ESRCH means the tracee died or is not stopped (normal: its exit is reported by waitpid). */
struct __ptrace_syscall_info;
/* sys_ptrace_seize - PTRACE_SEIZE PID with OPTIONS (PTRACE_O_*; Linux 3.4+, TRACESECCOMP 3.5+,
 * EXITKILL 3.8+): attach without stopping it. */
int sys_ptrace_seize(pid_t pid, unsigned long options);
/* sys_ptrace_resume - restart the stopped tracee TID with REQ (PTRACE_CONT, PTRACE_SYSCALL or
 * PTRACE_LISTEN), delivering signal SIG (0 for none; ignored by PTRACE_LISTEN). */
int sys_ptrace_resume(int req, pid_t tid, int sig);
/* sys_ptrace_interrupt - PTRACE_INTERRUPT: make the seized TID stop (PTRACE_EVENT_STOP) even
 * when it runs or sleeps; a sleeping syscall restarts when it resumes. */
int sys_ptrace_interrupt(pid_t tid);
/* sys_ptrace_syscall_info - PTRACE_GET_SYSCALL_INFO (Linux 5.3+) of the stopped TID into INFO.
 * Returns the number of bytes the kernel has (may exceed sizeof(*INFO)) or -errno. */
int sys_ptrace_syscall_info(pid_t tid, struct __ptrace_syscall_info *info);
/* sys_probe_listener - install a filter that allows everything but asks for a listener
 * (SECCOMP_FILTER_FLAG_NEW_LISTENER, Linux 5.0), in the calling process, for a throwaway probe
 * child: sets no_new_privs first. Returns the listener fd, or -errno: -EBUSY when a listener
 * already exists in the filter chain. (libseccomp's seccomp_load() cannot tell: it answers
 * ECANCELED, or with SCMP_FLTATR_API_SYSRAWRC the errno of its own feature probe, EFAULT, on
 * 2.5.4.) */
int sys_probe_listener(void);
/* sys_recv_pid - receive one byte on the unix socket SOCK (SO_PASSCRED set before the peer
 * wrote) and return the pid of the process that sent it, in the caller's pid namespace (the
 * kernel translates it), or -errno; -EPIPE on EOF, -EPROTO without credentials. */
pid_t sys_recv_pid(int sock);
/* sys_ptrace_skip_syscall - at a seccomp or syscall-entry stop of TID, skip the call and make it
 * return -ERR: orig_rax = -1 and rax = -ERR (x86-64; one PTRACE_SETREGS, so the call is never
 * half-changed). */
int sys_ptrace_skip_syscall(pid_t tid, int err);

/* sys_setns - setns(2). 0 or -errno. */
int sys_setns(int fd, int nstype);
/* sys_open_in_root_noxdev - openat2(DIRFD, PATH, O_PATH|O_CLOEXEC, RESOLVE_IN_ROOT |
 * RESOLVE_NO_SYMLINKS | RESOLVE_NO_XDEV): PATH only if it is reached from DIRFD without a link or
 * a mount crossing (-EXDEV). fd or -errno. */
int sys_open_in_root_noxdev(int dirfd, const char *path);
/* sys_peer_pidfd - a pidfd of the process at the other end of the connected unix socket SOCK
 * (SO_PEERPIDFD, Linux 6.5). fd or -errno. */
int sys_peer_pidfd(int sock);
/* sys_pidfd_alive - whether the process of PIDFD still runs (pidfd_send_signal with signal 0:
 * not ESRCH). */
bool sys_pidfd_alive(int pidfd);
/* sys_open_nofollow - openat2(AT_FDCWD, PATH, O_PATH|O_CLOEXEC, RESOLVE_NO_SYMLINKS |
 * RESOLVE_NO_MAGICLINKS): an fd for PATH only if no component is a link. fd or -errno. */
int sys_open_nofollow(const char *path);

/* Landlock's file system rights (LANDLOCK_ACCESS_FS_*) and scopes (LANDLOCK_SCOPE_*), with the
 * ABI that brought each (Debian 12's <linux/landlock.h> predates most of them). */
#define LL_FS_EXECUTE		(1ULL << 0)
#define LL_FS_WRITE_FILE	(1ULL << 1)
#define LL_FS_READ_FILE		(1ULL << 2)
#define LL_FS_READ_DIR		(1ULL << 3)
#define LL_FS_REMOVE_DIR	(1ULL << 4)
#define LL_FS_REMOVE_FILE	(1ULL << 5)
#define LL_FS_MAKE_CHAR		(1ULL << 6)
#define LL_FS_MAKE_DIR		(1ULL << 7)
#define LL_FS_MAKE_REG		(1ULL << 8)
#define LL_FS_MAKE_SOCK		(1ULL << 9)
#define LL_FS_MAKE_FIFO		(1ULL << 10)
#define LL_FS_MAKE_BLOCK	(1ULL << 11)
#define LL_FS_MAKE_SYM		(1ULL << 12)
#define LL_FS_REFER		(1ULL << 13)	/* ABI 2, Linux 5.19 */
#define LL_FS_TRUNCATE		(1ULL << 14)	/* ABI 3, Linux 6.2 */
#define LL_FS_IOCTL_DEV		(1ULL << 15)	/* ABI 5, Linux 6.10 */
#define LL_SCOPE_ABSTRACT_UNIX	(1ULL << 0)	/* ABI 6, Linux 6.12 */
#define LL_SCOPE_SIGNAL		(1ULL << 1)

/* sys_landlock_fs_handled - the file system rights Landlock ABI version ABI knows (1: Linux
 * 5.13's thirteen; 2 adds refer, 3 truncate, 5 ioctl_dev). Pure. */
uint64_t sys_landlock_fs_handled(int abi);
/* sys_landlock_abi - the Landlock ABI version the kernel offers, or -errno (Linux 5.13+). */
int sys_landlock_abi(void);
/* sys_landlock_tcp_ruleset - a Landlock ruleset handling the TCP accesses in HANDLED
 * (bit 0: bind, bit 1: connect; ABI 4, Linux 6.7). fd or -errno. */
int sys_landlock_tcp_ruleset(uint64_t handled);
/* sys_landlock_allow_port - allow the TCP accesses ACCESS (as above) on PORT in RULESET. 0 or -errno. */
int sys_landlock_allow_port(int ruleset, uint64_t access, uint16_t port);
/* sys_landlock_ruleset - a Landlock ruleset handling the file system accesses HANDLED_FS
 * (LANDLOCK_ACCESS_FS_* bits; ABI 1, Linux 5.13) and the TCP accesses HANDLED_NET (as above, ABI 4;
 * 0 for none). fd or -errno (-EINVAL for a bit the kernel's ABI does not know). */
int sys_landlock_ruleset(uint64_t handled_fs, uint64_t handled_net);
/* sys_landlock_allow_path - allow the file system accesses ACCESS beneath the file or directory
 * PARENT_FD (an O_PATH fd is enough) in RULESET. 0 or -errno. */
int sys_landlock_allow_path(int ruleset, uint64_t access, int parent_fd);
/* sys_landlock_restrict - enforce RULESET on the calling thread (no_new_privs must be set). */
int sys_landlock_restrict(int ruleset);
/* sys_landlock_ruleset_scoped - as sys_landlock_ruleset, also scoping the IPC in SCOPED
 * (LANDLOCK_SCOPE_* bits: abstract unix sockets, signals; ABI 6, Linux 6.12; 0 for none).
 * fd or -errno (-EINVAL for a bit the kernel's ABI does not know). */
int sys_landlock_ruleset_scoped(uint64_t handled_fs, uint64_t handled_net, uint64_t scoped);

struct sock_fprog;
/* sys_seccomp_listener - install the classic BPF program PROG on the calling thread with
 * seccomp(SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_NEW_LISTENER) (Linux 5.0) and return its
 * notification listener (close-on-exec), or -errno: -EBUSY when a listener already sits in the
 * thread's filter chain, -EACCES without no_new_privs or CAP_SYS_ADMIN, -EINVAL for a program
 * the kernel rejects. The caller sets no_new_privs first (sys_set_no_new_privs). */
int sys_seccomp_listener(const struct sock_fprog *prog);

#endif
