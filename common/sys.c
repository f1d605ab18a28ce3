/* sys.c - thin wrappers over raw syscalls, prctl and ioctls. Each returns -errno on failure. */
#include "sys.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/mount.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <string.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/user.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

/* _ret - turn a -1/errno libc result into -errno. */
static int _ret(long r)
{
	return r < 0 ? -errno : (int)r;
}

int sys_notif_sizes(struct seccomp_notif_sizes *sizes)
{
	return _ret(syscall(SYS_seccomp, SECCOMP_GET_NOTIF_SIZES, 0, sizes));
}

int sys_notif_recv(int fd, struct seccomp_notif *req)
{
	return _ret(ioctl(fd, SECCOMP_IOCTL_NOTIF_RECV, req));
}

int sys_notif_send(int fd, struct seccomp_notif_resp *resp)
{
	return _ret(ioctl(fd, SECCOMP_IOCTL_NOTIF_SEND, resp));
}

int sys_notif_id_valid(int fd, uint64_t id)
{
	return _ret(ioctl(fd, SECCOMP_IOCTL_NOTIF_ID_VALID, &id));
}

int sys_notif_set_flags(int fd, uint64_t flags)
{
	return _ret(ioctl(fd, SECCOMP_IOCTL_NOTIF_SET_FLAGS, flags));
}

int sys_pidfd_open(pid_t pid, unsigned flags)
{
	return _ret(syscall(SYS_pidfd_open, pid, flags));
}

int sys_pidfd_getfd(int pidfd, int targetfd)
{
	return _ret(syscall(SYS_pidfd_getfd, pidfd, targetfd, 0));
}

int sys_notif_answer(int fd, uint64_t id, int64_t val, int err)
{
	/* the kernel's struct, not the runtime size: SEND reads only these fields (Linux 5.0+) */
	struct seccomp_notif_resp resp = { .id = id, .val = err ? 0 : val, .error = err ? -err : 0 };

	return _ret(ioctl(fd, SECCOMP_IOCTL_NOTIF_SEND, &resp));
}

int sys_notif_continue(int fd, uint64_t id)
{
	struct seccomp_notif_resp resp = { .id = id, .flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE };

	return _ret(ioctl(fd, SECCOMP_IOCTL_NOTIF_SEND, &resp));
}

ssize_t sys_vm_write(pid_t pid, const void *buf, size_t len, uint64_t remote)
{
	struct iovec local = { .iov_base = (void *)buf, .iov_len = len };
	struct iovec rem = { .iov_base = (void *)(uintptr_t)remote, .iov_len = len };
	ssize_t r = process_vm_writev(pid, &local, 1, &rem, 1, 0);

	return r < 0 ? -errno : r;
}

int sys_tgkill(pid_t tgid, pid_t tid, int sig)
{
	return _ret(syscall(SYS_tgkill, tgid, tid, sig));
}

ssize_t sys_vm_read(pid_t pid, void *buf, size_t len, uint64_t remote)
{
	struct iovec local = { .iov_base = buf, .iov_len = len };
	struct iovec rem = { .iov_base = (void *)(uintptr_t)remote, .iov_len = len };
	ssize_t r = process_vm_readv(pid, &local, 1, &rem, 1, 0);

	return r < 0 ? -errno : r;
}

int sys_set_pdeathsig(int sig)
{
	return _ret(prctl(PR_SET_PDEATHSIG, sig, 0, 0, 0));
}

int sys_set_child_subreaper(void)
{
	return _ret(prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0));
}

int sys_set_no_new_privs(void)
{
	return _ret(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0));
}

int sys_set_dumpable(int on)
{
	return _ret(prctl(PR_SET_DUMPABLE, on, 0, 0, 0));
}

int sys_send_fd(int sock, int fd)
{
	char byte = 'F';
	struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} u;
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
			      .msg_control = u.buf, .msg_controllen = sizeof(u.buf) };
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);

	memset(u.buf, 0, sizeof(u.buf));
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof(int));
	return sendmsg(sock, &msg, MSG_NOSIGNAL) == 1 ? 0 : -errno;
}

/* _recv_cmsg - receive one byte on SOCK with one control message of LEVEL/TYPE, copying its LEN
 * bytes of data to OUT. 0, -EPIPE on EOF, -EPROTO for another message, or -errno. */
static int _recv_cmsg(int sock, int level, int type, void *out, size_t len)
{
	char byte;
	struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
	union {
		char buf[CMSG_SPACE(sizeof(struct ucred))];	/* the larger of int and ucred */
		struct cmsghdr align;
	} u;
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
			      .msg_control = u.buf, .msg_controllen = CMSG_SPACE(len) };
	struct cmsghdr *c;
	ssize_t r;

	do
		r = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);
	while (r < 0 && errno == EINTR);
	if (r < 0)
		return -errno;
	if (r == 0)
		return -EPIPE;
	c = CMSG_FIRSTHDR(&msg);
	if (!c || c->cmsg_level != level || c->cmsg_type != type)
		return -EPROTO;
	memcpy(out, CMSG_DATA(c), len);
	return 0;
}

int sys_recv_fd(int sock)
{
	int fd, r = _recv_cmsg(sock, SOL_SOCKET, SCM_RIGHTS, &fd, sizeof(fd));

	return r < 0 ? r : fd;
}

int sys_pivot_root(const char *new_root, const char *put_old)
{
	return _ret(syscall(SYS_pivot_root, new_root, put_old));
}

int sys_mount_setattr(int dfd, const char *path, unsigned flags, uint64_t set, uint64_t clr)
{
	struct mount_attr attr = { .attr_set = set, .attr_clr = clr };

	return _ret(syscall(SYS_mount_setattr, dfd, path, flags, &attr, sizeof(attr)));
}

int sys_open_tree(int dfd, const char *path, unsigned flags)
{
	return _ret(syscall(SYS_open_tree, dfd, path, flags));
}

int sys_move_mount(int from_dfd, const char *from, int to_dfd, const char *to, unsigned flags)
{
	return _ret(syscall(SYS_move_mount, from_dfd, from, to_dfd, to, flags));
}

int sys_capbset_drop_all(void)
{
	return sys_caps_keep(0, false);
}

int sys_caps_keep(uint64_t keep, bool ambient)
{
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct d[2];
	int r;

	for (int c = 0; c <= 63; c++) {
		if ((keep & (1ULL << c)) || prctl(PR_CAPBSET_READ, c, 0, 0, 0) <= 0)
			continue;	/* kept, dropped already (sys_capbset_keep), or no such cap */
		r = prctl(PR_CAPBSET_DROP, c, 0, 0, 0);
		if (r < 0 && errno != EINVAL)
			return -errno;
	}
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL)
		return -errno;
	memset(d, 0, sizeof(d));
	d[0].effective = d[0].permitted = d[0].inheritable = (uint32_t)keep;
	d[1].effective = d[1].permitted = d[1].inheritable = (uint32_t)(keep >> 32);
	if (syscall(SYS_capset, &h, d) < 0)
		return -errno;
	for (int c = 0; ambient && c <= 63; c++)
		if ((keep & (1ULL << c)) && prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, c, 0, 0) < 0)
			return -errno;
	return 0;
}

int sys_capbset_keep(uint64_t keep)
{
	for (int c = 0; c <= 63; c++)
		if (!(keep & (1ULL << c)) && prctl(PR_CAPBSET_DROP, c, 0, 0, 0) < 0 && errno != EINVAL)
			return -errno;
	return 0;
}

int sys_set_keepcaps(int on)
{
	return _ret(prctl(PR_SET_KEEPCAPS, on, 0, 0, 0));
}

int sys_openat2_in_root(int dirfd, const char *path, bool no_links)
{
	struct open_how how = { .flags = O_PATH | O_CLOEXEC,
				.resolve = RESOLVE_IN_ROOT | (no_links ? RESOLVE_NO_SYMLINKS : 0) };

	return _ret(syscall(SYS_openat2, dirfd, path, &how, sizeof(how)));
}

int sys_iface_up(const char *name)
{
	struct ifreq ifr;
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), r = 0;

	if (fd < 0)
		return -errno;
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	if (ioctl(fd, SIOCGIFFLAGS, &ifr) < 0)
		r = -errno;
	ifr.ifr_flags |= IFF_UP;
	if (!r && ioctl(fd, SIOCSIFFLAGS, &ifr) < 0)
		r = -errno;
	close(fd);
	return r;
}

int sys_ptrace_seize(pid_t pid, unsigned long options)
{
	return _ret(ptrace(PTRACE_SEIZE, pid, 0, options));
}

int sys_ptrace_resume(int req, pid_t tid, int sig)
{
	return _ret(ptrace((enum __ptrace_request)req, tid, 0, (long)sig));
}

int sys_ptrace_interrupt(pid_t tid)
{
	return _ret(ptrace(PTRACE_INTERRUPT, tid, 0, 0));
}

int sys_ptrace_syscall_info(pid_t tid, struct __ptrace_syscall_info *info)
{
	return _ret(ptrace(PTRACE_GET_SYSCALL_INFO, tid, sizeof(*info), info));
}

int sys_ptrace_skip_syscall(pid_t tid, int err)
{
	struct user_regs_struct regs;

	if (ptrace(PTRACE_GETREGS, tid, 0, &regs) < 0)
		return -errno;
	regs.orig_rax = (unsigned long long)-1;
	regs.rax = (unsigned long long)-(long long)err;
	return _ret(ptrace(PTRACE_SETREGS, tid, 0, &regs));
}

pid_t sys_recv_pid(int sock)
{
	struct ucred cr;
	int r = _recv_cmsg(sock, SOL_SOCKET, SCM_CREDENTIALS, &cr, sizeof(cr));

	return r < 0 ? r : cr.pid;
}

int sys_seccomp_listener(const struct sock_fprog *prog)
{
	return _ret(syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_NEW_LISTENER,
			    prog));
}

int sys_probe_listener(void)
{
	struct sock_filter allow = BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	struct sock_fprog prog = { .len = 1, .filter = &allow };

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return -errno;
	return _ret(syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_NEW_LISTENER,
			    &prog));
}

int sys_setns(int fd, int nstype)
{
	return _ret(syscall(SYS_setns, fd, nstype));
}

int sys_open_in_root_noxdev(int dirfd, const char *path)
{
	struct open_how how = { .flags = O_PATH | O_CLOEXEC,
				.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_SYMLINKS | RESOLVE_NO_XDEV };

	return _ret(syscall(SYS_openat2, dirfd, path, &how, sizeof(how)));
}

#ifndef SO_PEERPIDFD
#define SO_PEERPIDFD 77
#endif

int sys_peer_pidfd(int sock)
{
	int fd = -1;
	socklen_t len = sizeof(fd);

	if (getsockopt(sock, SOL_SOCKET, SO_PEERPIDFD, &fd, &len) < 0)
		return -errno;
	return fd;
}

bool sys_pidfd_alive(int pidfd)
{
	/* EPERM: it runs, we may not signal it (another user's); ESRCH: it has exited */
	return syscall(SYS_pidfd_send_signal, pidfd, 0, NULL, 0) == 0 || errno == EPERM;
}

int sys_open_nofollow(const char *path)
{
	struct open_how how = { .flags = O_PATH | O_CLOEXEC,
				.resolve = RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS };

	return _ret(syscall(SYS_openat2, AT_FDCWD, path, &how, sizeof(how)));
}

/* Landlock's structures as of ABI 4, kept here: Debian 12's headers predate the net fields. */
struct _ll_ruleset_attr {
	uint64_t handled_access_fs;
	uint64_t handled_access_net;
};
struct _ll_net_port_attr {
	uint64_t allowed_access;
	uint64_t port;
} __attribute__((packed));

#define _LL_CREATE_RULESET_VERSION (1U << 0)
#define _LL_RULE_NET_PORT 2

uint64_t sys_landlock_fs_handled(int abi)
{
	uint64_t fs = (LL_FS_MAKE_SYM << 1) - 1;

	if (abi >= 2)
		fs |= LL_FS_REFER;
	if (abi >= 3)
		fs |= LL_FS_TRUNCATE;
	if (abi >= 5)
		fs |= LL_FS_IOCTL_DEV;
	return fs;
}

int sys_landlock_abi(void)
{
	return _ret(syscall(444 /* landlock_create_ruleset */, NULL, 0, _LL_CREATE_RULESET_VERSION));
}

int sys_landlock_tcp_ruleset(uint64_t handled)
{
	struct _ll_ruleset_attr attr = { .handled_access_net = handled };

	return _ret(syscall(444, &attr, sizeof(attr), 0));
}

int sys_landlock_allow_port(int ruleset, uint64_t access, uint16_t port)
{
	struct _ll_net_port_attr a = { .allowed_access = access, .port = port };

	return _ret(syscall(445 /* landlock_add_rule */, ruleset, _LL_RULE_NET_PORT, &a, 0));
}

int sys_landlock_restrict(int ruleset)
{
	return _ret(syscall(446 /* landlock_restrict_self */, ruleset, 0));
}

/* The path rule of landlock_add_rule (LANDLOCK_RULE_PATH_BENEATH, ABI 1). */
struct _ll_path_beneath_attr {
	uint64_t allowed_access;
	int32_t parent_fd;
} __attribute__((packed));

#define _LL_RULE_PATH_BENEATH 1

int sys_landlock_ruleset(uint64_t handled_fs, uint64_t handled_net)
{
	struct _ll_ruleset_attr attr = { .handled_access_fs = handled_fs,
					 .handled_access_net = handled_net };
	/* a kernel before ABI 4 accepts the larger struct as long as its unknown tail is zero */
	return _ret(syscall(444, &attr, sizeof(attr), 0));
}

/* The ruleset attribute with its ABI 6 field. */
struct _ll_ruleset_attr6 {
	uint64_t handled_access_fs;
	uint64_t handled_access_net;
	uint64_t scoped;
};

int sys_landlock_ruleset_scoped(uint64_t handled_fs, uint64_t handled_net, uint64_t scoped)
{
	struct _ll_ruleset_attr6 attr = { .handled_access_fs = handled_fs,
					  .handled_access_net = handled_net, .scoped = scoped };

	/* as above: a kernel before ABI 6 takes the larger struct while scoped is 0 */
	return _ret(syscall(444, &attr, sizeof(attr), 0));
}

int sys_landlock_allow_path(int ruleset, uint64_t access, int parent_fd)
{
	struct _ll_path_beneath_attr a = { .allowed_access = access, .parent_fd = parent_fd };

	return _ret(syscall(445, ruleset, _LL_RULE_PATH_BENEATH, &a, 0));
}
