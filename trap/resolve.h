/* resolve.h - reading a trapped call's arguments from the child and naming paths as it sees them.
 * Every read copies into supervisor memory once; decisions are taken on that copy.
 */
#ifndef SUPERVISE_RESOLVE_H
#define SUPERVISE_RESOLVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* resolve_read_mem - copy LEN bytes at ADDR of TID into BUF: process_vm_readv, falling back to
 * /proc/TID/mem. Returns 0 or -errno (-EFAULT for a short read). */
int resolve_read_mem(pid_t tid, uint64_t addr, void *buf, size_t len);

/* resolve_read_string - copy the NUL-terminated string at ADDR of TID into BUF (SIZE bytes),
 * reading page by page so that a string ending just before an unmapped page still reads.
 * Returns its length, -ENAMETOOLONG, -EFAULT, or another -errno. */
ssize_t resolve_read_string(pid_t tid, uint64_t addr, char *buf, size_t size);

/* resolve_tgid - the thread group id of TID, from /proc/TID/status; TID itself on failure. */
pid_t resolve_tgid(pid_t tid);

/* resolve_path - the normalised absolute path the child names with (DIRFD, PATH): PATH if
 * absolute, else against /proc/TID/cwd (DIRFD == AT_FDCWD) or /proc/TID/fd/DIRFD. An empty PATH
 * names DIRFD itself. "/proc/self" and "/proc/thread-self" are rewritten to the child's ids.
 * *RAW receives the same path joined but not normalised ("a/link/../b" keeps its ".."), for
 * resolve_canon. Returns malloc'd, or NULL with errno set (EBADF when DIRFD is not a directory
 * path). */
char *resolve_path(pid_t tid, int dirfd, const char *path, char **raw);

/* resolve_canon - the object the kernel will reach for RAW (the un-normalised path from
 * resolve_path; PATH is its normalised form) for thread TID of process TGID (0: looked up only
 * if needed), with every symlink resolved as the child would:
 * ".." applies after links, and a link into /proc/self means the child TGID. *EXISTS tells whether
 * it exists; a missing tail is kept as written. Returns malloc'd, or NULL when the result equals
 * PATH or cannot be determined. */
char *resolve_canon(const char *path, const char *raw, pid_t tgid, pid_t tid, bool *exists);

/* resolve_canon_plain - resolve_canon, and *PLAIN: PATH is missing, and no symbolic link lies on
 * the way to its first missing component (so PATH is its own canonical name, and nothing there
 * dangles). */
char *resolve_canon_plain(const char *path, const char *raw, pid_t tgid, pid_t tid, bool *exists,
			  bool *plain);

/* resolve_links - every symbolic link the kernel goes through to resolve RAW for thread TID of
 * process TGID (as in resolve_canon), in order, as absolute paths in the child's view: learn
 * records them all, so that the view of a learned profile has each link of a chain such as
 * /usr/bin/ld → x86_64-linux-gnu-ld → x86_64-linux-gnu-ld.bfd. Returns a malloc'd
 * NULL-terminated array of malloc'd strings, or NULL when there is none. *ODD (may be NULL) is set
 * when a link's target has ".." after another component ("x/../y"), whose meaning then hangs on a
 * directory that is neither a link passed nor on the way to the result. */
char **resolve_links(const char *raw, pid_t tgid, pid_t tid, bool *odd);

/* resolve_pin_root - from now on, resolve_canon resolves every thread's path in the root of
 * process PID (PIDFD refers to it, and it must still run), instead of opening /proc/TID/root
 * for each call (an open and a close, about a third of the cost of a trapped open).
 * Only for a jail (jail/jail.c), where this is the root of every trapped thread, for the whole run:
 *  - PID is the process that installed the filter, after jail_enter, so its root is the jail's
 *    view, and every trapped thread descends from it;
 *  - a trapped thread cannot change its root: chroot, unshare/clone with CLONE_NEWNS and setns
 *    need capabilities it does not hold (bounding set dropped, no_new_privs, so no exec regains
 *    them), and a user namespace that would give them back is refused (confine.c: unshare and
 *    clone with CLONE_NEWUSER, clone3, setns), as are pivot_root and the mount calls;
 *  - so pid reuse cannot hand it another root either: every trapped thread has this one;
 *  - mounts added later (grants) are reached from it as from /proc/TID/root: it is the same
 *    mount, in the jail's mount namespace.
 * The supervisor's own view (resolve_canon with its own pid) is still looked up each time.
 * Returns 0, or -errno (-ESRCH: PID exited) and nothing is pinned. */
int resolve_pin_root(int pidfd, pid_t pid);

/* resolve_unpin_root - close the pinned root, if any: back to /proc/TID/root per call. */
void resolve_unpin_root(void);

/* resolve_share_root - learn: resolve every thread's path in the supervisor's own root, which is
 * the program's (no jail) until a process of its tree changes root or mount namespace. That
 * takes a trapped call (learn traps chroot, and every call outside @default, which holds none of
 * @namespace and @mount), and resolve_root_changes() then ends the sharing before the call runs.
 * Spares the open and close of /proc/TID/root per path. Returns 0 or -errno. */
int resolve_share_root(void);

/* resolve_root_changes - whether syscall NR (x86-64) may change what a path means to the caller
 * (chroot, pivot_root, unshare, setns, the mount calls); when it does, a shared root
 * (resolve_share_root) is dropped: every path is looked up in /proc/TID/root from then on. */
bool resolve_root_changes(int nr);

/* resolve_sockaddr - describe the socket address ADDR/LEN read from the child, for socket FD of
 * TGID: "tcp 1.2.3.4:80", "udp [::1]:53", "unix /path", "unix @abstract", or "family N".
 * Returns malloc'd, or NULL with errno set. */
char *resolve_sockaddr(pid_t tgid, pid_t tid, int fd, uint64_t addr, uint64_t len);

/* resolve_ppid - the parent process of thread TID (/proc/TID/stat), or 0 when TID is gone. */
pid_t resolve_ppid(pid_t tid);

/* resolve_needs_walk - whether RAW (a path as resolve_path's *RAW gives it) must be resolved by
 * the component walker: it may reach /proc/self (whose meaning differs between child and
 * supervisor) or holds "..", which the walker applies after links the way the kernel does. Such
 * a path's normalised name is not what the kernel resolves, so nothing is cached under it. */
bool resolve_needs_walk(const char *raw);

#endif
