/* syscalls.c - the trapped-syscall table (x86-64 numbers from <sys/syscall.h>) and lookups. */
#include "syscalls.h"

#include <fcntl.h>
#include <stddef.h>
#include <sys/syscall.h>

/* Newer than Debian 12's headers (x86-64 numbers). */
#ifndef SYS_fchmodat2
#define SYS_fchmodat2 452	/* Linux 6.6 */
#endif
#ifndef SYS_setxattrat
#define SYS_setxattrat 463	/* Linux 6.13, as are the three below */
#define SYS_getxattrat 464
#define SYS_listxattrat 465
#define SYS_removexattrat 466
#endif

#define N SC_NOARG
#define P1(d, a, k) { { (d), (a), (k) }, { N, N, 0 } }
#define P2(d1, a1, k1, d2, a2, k2) { { (d1), (a1), (k1) }, { (d2), (a2), (k2) } }

/* Why these: open family, exec and connect decide access; the rest name paths that learn must
 * see so a learned profile is complete (stat family, access, readlink, directory and link
 * operations, metadata changes, xattrs, inotify). Every libc fallback sibling is listed
 * (statx/newfstatat/stat/lstat, openat2/openat/open, faccessat2/faccessat/access). */
static const struct sc_desc _table[] = {
	{ SYS_open, "open", SC_OPEN, true, 1, N, P1(N, 0, 0) },
	{ SYS_openat, "openat", SC_OPEN, true, 2, N, P1(0, 1, 0) },
	{ SYS_openat2, "openat2", SC_OPENAT2, true, 2, N, P1(0, 1, 0) },
	{ SYS_creat, "creat", SC_CREAT, true, N, N, P1(N, 0, 0) },
	{ SYS_execve, "execve", SC_EXEC, true, N, N, P1(N, 0, 0) },
	{ SYS_execveat, "execveat", SC_EXEC, true, N, 4, P1(0, 1, 0) },
	{ SYS_connect, "connect", SC_CONNECT, true, N, N, P1(N, N, 0) },
	/* under enforce, trapped only when the profile has network checks (sc_filter_add_net) */
	{ SYS_bind, "bind", SC_BIND, false, N, N, P1(N, N, 0) },
	{ SYS_sendto, "sendto", SC_SENDTO, false, N, N, P1(N, N, 0) },
	{ SYS_sendmsg, "sendmsg", SC_SENDMSG, false, N, N, P1(N, N, 0) },
	{ SYS_sendmmsg, "sendmmsg", SC_SENDMMSG, false, N, N, P1(N, N, 0) },
	/* the loader maps libraries; one outside base's trees must be learned as exec */
	{ SYS_mmap, "mmap", SC_MMAP, false, N, N, P1(N, N, ACC_EXEC) },
	{ SYS_stat, "stat", SC_FIXED, false, N, N, P1(N, 0, ACC_STAT) },
	{ SYS_lstat, "lstat", SC_FIXED, false, N, N, P1(N, 0, ACC_STAT) },
	{ SYS_newfstatat, "newfstatat", SC_FIXED, false, N, 3, P1(0, 1, ACC_STAT) },
	{ SYS_statx, "statx", SC_FIXED, false, N, 2, P1(0, 1, ACC_STAT) },
	{ SYS_statfs, "statfs", SC_FIXED, false, N, N, P1(N, 0, ACC_STAT) },
	{ SYS_access, "access", SC_FIXED, false, N, N, P1(N, 0, ACC_STAT) },
	{ SYS_faccessat, "faccessat", SC_FIXED, false, N, N, P1(0, 1, ACC_STAT) },
	{ SYS_faccessat2, "faccessat2", SC_FIXED, false, N, 3, P1(0, 1, ACC_STAT) },
	{ SYS_readlink, "readlink", SC_FIXED, false, N, N, P1(N, 0, ACC_STAT) },
	{ SYS_readlinkat, "readlinkat", SC_FIXED, false, N, N, P1(0, 1, ACC_STAT) },
	{ SYS_chdir, "chdir", SC_FIXED, false, N, N, P1(N, 0, ACC_STAT) },
	{ SYS_chroot, "chroot", SC_FIXED, false, N, N, P1(N, 0, ACC_STAT) },
	{ SYS_mkdir, "mkdir", SC_FIXED, false, N, N, P1(N, 0, ACC_CREATE) },
	{ SYS_mkdirat, "mkdirat", SC_FIXED, false, N, N, P1(0, 1, ACC_CREATE) },
	{ SYS_mknod, "mknod", SC_FIXED, false, N, N, P1(N, 0, ACC_CREATE) },
	{ SYS_mknodat, "mknodat", SC_FIXED, false, N, N, P1(0, 1, ACC_CREATE) },
	{ SYS_rmdir, "rmdir", SC_FIXED, false, N, N, P1(N, 0, ACC_WRITE) },
	{ SYS_unlink, "unlink", SC_FIXED, false, N, N, P1(N, 0, ACC_WRITE) },
	{ SYS_unlinkat, "unlinkat", SC_FIXED, false, N, N, P1(0, 1, ACC_WRITE) },
	{ SYS_rename, "rename", SC_FIXED, false, N, N, P2(N, 0, ACC_WRITE, N, 1, ACC_CREATE) },
	{ SYS_renameat, "renameat", SC_FIXED, false, N, N, P2(0, 1, ACC_WRITE, 2, 3, ACC_CREATE) },
	{ SYS_renameat2, "renameat2", SC_FIXED, false, N, N, P2(0, 1, ACC_WRITE, 2, 3, ACC_CREATE) },
	{ SYS_link, "link", SC_FIXED, false, N, N, P2(N, 0, ACC_READ, N, 1, ACC_CREATE) },
	{ SYS_linkat, "linkat", SC_FIXED, false, N, N, P2(0, 1, ACC_READ, 2, 3, ACC_CREATE) },
	{ SYS_symlink, "symlink", SC_FIXED, false, N, N, P1(N, 1, ACC_CREATE) },
	{ SYS_symlinkat, "symlinkat", SC_FIXED, false, N, N, P1(1, 2, ACC_CREATE) },
	{ SYS_truncate, "truncate", SC_FIXED, false, N, N, P1(N, 0, ACC_WRITE) },
	{ SYS_chmod, "chmod", SC_FIXED, false, N, N, P1(N, 0, ACC_WRITE) },
	{ SYS_fchmodat, "fchmodat", SC_FIXED, false, N, N, P1(0, 1, ACC_WRITE) },
	{ SYS_fchmodat2, "fchmodat2", SC_FIXED, false, N, 3, P1(0, 1, ACC_WRITE) },
	{ SYS_setxattrat, "setxattrat", SC_FIXED, false, N, 2, P1(0, 1, ACC_WRITE) },
	{ SYS_removexattrat, "removexattrat", SC_FIXED, false, N, 2, P1(0, 1, ACC_WRITE) },
	{ SYS_getxattrat, "getxattrat", SC_FIXED, false, N, 2, P1(0, 1, ACC_STAT) },
	{ SYS_listxattrat, "listxattrat", SC_FIXED, false, N, 2, P1(0, 1, ACC_STAT) },
	{ SYS_chown, "chown", SC_FIXED, false, N, N, P1(N, 0, ACC_WRITE) },
	{ SYS_lchown, "lchown", SC_FIXED, false, N, N, P1(N, 0, ACC_WRITE) },
	{ SYS_fchownat, "fchownat", SC_FIXED, false, N, 4, P1(0, 1, ACC_WRITE) },
	{ SYS_utime, "utime", SC_FIXED, false, N, N, P1(N, 0, ACC_WRITE) },
	{ SYS_utimes, "utimes", SC_FIXED, false, N, N, P1(N, 0, ACC_WRITE) },
	{ SYS_futimesat, "futimesat", SC_FIXED, false, N, N, P1(0, 1, ACC_WRITE) },
	{ SYS_utimensat, "utimensat", SC_FIXED, false, N, N, P1(0, 1, ACC_WRITE) },
	{ SYS_setxattr, "setxattr", SC_FIXED, false, N, N, P1(N, 0, ACC_WRITE) },
	{ SYS_lsetxattr, "lsetxattr", SC_FIXED, false, N, N, P1(N, 0, ACC_WRITE) },
	{ SYS_removexattr, "removexattr", SC_FIXED, false, N, N, P1(N, 0, ACC_WRITE) },
	{ SYS_lremovexattr, "lremovexattr", SC_FIXED, false, N, N, P1(N, 0, ACC_WRITE) },
	{ SYS_getxattr, "getxattr", SC_FIXED, false, N, N, P1(N, 0, ACC_STAT) },
	{ SYS_lgetxattr, "lgetxattr", SC_FIXED, false, N, N, P1(N, 0, ACC_STAT) },
	{ SYS_listxattr, "listxattr", SC_FIXED, false, N, N, P1(N, 0, ACC_STAT) },
	{ SYS_llistxattr, "llistxattr", SC_FIXED, false, N, N, P1(N, 0, ACC_STAT) },
	{ SYS_inotify_add_watch, "inotify_add_watch", SC_FIXED, false, N, N, P1(N, 1, ACC_STAT) },
	{ SYS_name_to_handle_at, "name_to_handle_at", SC_FIXED, false, N, 4, P1(0, 1, ACC_STAT) },
};

#define MAXNR 512
static const struct sc_desc *_index[MAXNR];
static int _indexed;

/* _build_index - fill the nr → descriptor index once (single-threaded setup). */
static void _build_index(void)
{
	for (unsigned i = 0; i < sizeof(_table) / sizeof(_table[0]); i++)
		if (_table[i].nr >= 0 && _table[i].nr < MAXNR)
			_index[_table[i].nr] = &_table[i];
	_indexed = 1;
}

const struct sc_desc *sc_table(unsigned *n)
{
	*n = sizeof(_table) / sizeof(_table[0]);
	return _table;
}

const struct sc_desc *sc_lookup(int nr)
{
	if (!_indexed)
		_build_index();
	if (nr < 0 || nr >= MAXNR)
		return NULL;
	return _index[nr];
}

enum access sc_open_access(uint64_t flags)
{
	if ((flags & O_PATH) == O_PATH)
		return ACC_STAT;
	if (flags & O_CREAT)
		return ACC_CREATE;
	if ((flags & O_ACCMODE) == O_WRONLY || (flags & O_ACCMODE) == O_RDWR || (flags & O_TRUNC))
		return ACC_WRITE;
	return ACC_READ;
}

static const int _denied[] = {
	SYS_io_uring_setup, SYS_io_uring_enter, SYS_io_uring_register, SYS_open_by_handle_at,
};

const int *sc_denied_table(unsigned *n)
{
	*n = sizeof(_denied) / sizeof(_denied[0]);
	return _denied;
}
