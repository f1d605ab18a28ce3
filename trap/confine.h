/* confine.h - the syscalls the jail refuses, added to a backend's filter (libseccomp, not loaded). */
#ifndef SUPERVISE_CONFINE_H
#define SUPERVISE_CONFINE_H

#include <seccomp.h>
#include <stdbool.h>

/* confine_add - add to CTX: EPERM (or, when STRICT, kill the process) for the syscalls that reach
 * around the jail (doc/syscalls.md gives the reason for each): io_uring, handles, ptrace and
 * process_vm_writev, bpf, perf, userfaultfd, keys, kexec, modules, the mount family, setns,
 * unshare/clone with CLONE_NEWUSER (clone3 gets ENOSYS so libc falls back to clone), swap, reboot,
 * acct, quotactl, personality changes, and the TIOCSTI/TIOCLINUX ioctls (compared on 32 bits).
 * Returns 0 or -errno. */
int confine_add(scmp_filter_ctx ctx, bool strict);

/* confine_governs - syscall NR has a rule of confine_add's (outright or on its arguments). */
bool confine_governs(int nr);

#endif
