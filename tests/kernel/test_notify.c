/* test_notify.c - the kernel tier: the notify backend against real seccomp listeners.
 * Each test runs in its own forked child (ktest.h), which forks a target that installs the filter.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "../../common/sys.h"
#include "../../trap/session.h"
#include "../../notify/filter.h"
#include "../../notify/handle.h"
#include "../../trap/resolve.h"
#include "../../common/util.h"
#include "ktest.h"

/* spawn - fork a target that installs the MODE filter, hands its listener over and runs FN.
 * Returns the listener in *FD and the target's pid. */
static pid_t spawn(enum run_mode mode, int (*fn)(void), int *fd)
{
	int err = 0, sv[2];
	scmp_filter_ctx ctx = notify_filter_build(mode, false, &err);
	pid_t pid;

	if (!ctx || socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
		return -1;
	pid = fork();
	if (pid == 0) {
		char ack;
		if (seccomp_load(ctx) < 0 || sys_send_fd(sv[1], seccomp_notify_fd(ctx)) < 0 ||
		    read(sv[1], &ack, 1) != 1)
			_exit(99);
		_exit(fn());
	}
	seccomp_release(ctx);
	close(sv[1]);
	*fd = sys_recv_fd(sv[0]);
	if (write(sv[0], "A", 1) != 1)
		return -1;
	close(sv[0]);
	return pid;
}

/* serve - answer notifications with H until PID exits; returns its exit code (or 128+sig). */
static int serve(struct notify_handler *h, int fd, pid_t pid)
{
	for (;;) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		int st;

		if (waitpid(pid, &st, WNOHANG) == pid)
			return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
		if (poll(&p, 1, 50) > 0 && (p.revents & POLLIN))
			notify_handle_one(h);
	}
}

static struct profile prof;

/* enforce_session - a session enforcing "read /", "exec /usr", "deny /etc/shadow". */
static struct session enforce_session(void)
{
	char err[256];
	struct session s = { .mode = MODE_ENFORCE, .profile = &prof, .quiet = true };

	policy_parse("read /\nexec /usr\ndeny /etc/shadow\n", "t", "/root", &prof, err, sizeof(err));
	return s;
}

static int t_open_hostname(void)
{
	int fd = open("/etc/hostname", O_RDONLY);
	return fd >= 0 ? 0 : errno;
}

static int t_open_shadow(void)
{
	int fd = openat(AT_FDCWD, "/etc/shadow", O_RDONLY);
	return fd >= 0 ? 0 : errno;
}

static int t_write_tmp(void)
{
	int fd = open("/tmp/supervise-ktest-never", O_WRONLY | O_CREAT, 0600);
	return fd >= 0 ? 0 : errno;
}

static int t_bad_pointer(void)
{
	long r = syscall(SYS_openat, AT_FDCWD, (char *)8, O_RDONLY);
	return r >= 0 ? 0 : errno;
}

static int test_enforce_decides_on_the_copy(void)
{
	struct session s = enforce_session();
	int fd;
	pid_t pid;
	struct notify_handler *h;

	/* one handler per listener, freed before the next fork (whose child would hold it) */
	pid = spawn(MODE_ENFORCE, t_open_hostname, &fd);
	KT_CHECK(pid > 0 && fd >= 0);
	h = notify_handler_new(fd, &s);
	KT_CHECK(serve(h, fd, pid) == 0);
	notify_handler_free(h);
	close(fd);
	pid = spawn(MODE_ENFORCE, t_open_shadow, &fd);
	h = notify_handler_new(fd, &s);
	KT_CHECK(serve(h, fd, pid) == EACCES);
	notify_handler_free(h);
	close(fd);
	pid = spawn(MODE_ENFORCE, t_write_tmp, &fd);
	h = notify_handler_new(fd, &s);
	KT_CHECK(serve(h, fd, pid) == EACCES);
	notify_handler_free(h);
	KT_CHECK(access("/tmp/supervise-ktest-never", F_OK) < 0);
	KT_CHECK(s.denials == 2);
	session_free(&s);
	return KT_PASS;
}

static int test_unreadable_pointer_is_efault_not_continue(void)
{
	struct session s = enforce_session();
	int fd;
	pid_t pid = spawn(MODE_ENFORCE, t_bad_pointer, &fd);
	struct notify_handler *h = notify_handler_new(fd, &s);

	KT_CHECK(pid > 0);
	KT_CHECK(serve(h, fd, pid) == EFAULT);
	notify_handler_free(h);
	session_free(&s);
	return KT_PASS;
}

static int t_block_in_open(void)
{
	open("/etc/hostname", O_RDONLY);
	return 0;
}

static int test_target_killed_mid_call(void)
{
	struct session s = enforce_session();
	struct seccomp_notif_sizes sz;
	struct seccomp_notif *req;
	struct seccomp_notif_resp resp = { 0 };
	int fd, st;
	pid_t pid = spawn(MODE_ENFORCE, t_block_in_open, &fd);

	KT_CHECK(pid > 0 && sys_notif_sizes(&sz) == 0);
	req = calloc(1, sz.seccomp_notif);
	KT_CHECK(sys_notif_recv(fd, req) == 0);
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
	KT_CHECK(sys_notif_id_valid(fd, req->id) == -ENOENT);
	resp.id = req->id;
	resp.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
	KT_CHECK(sys_notif_send(fd, &resp) == -ENOENT);
	/* the handler must survive a dead listener's peer: RECV fails, the loop goes on */
	struct notify_handler *h = notify_handler_new(fd, &s);
	notify_handle_one(h);
	notify_handler_free(h);
	free(req);
	session_free(&s);
	return KT_PASS;
}

static volatile sig_atomic_t got;
static void on_usr1(int sig) { (void)sig; got++; }

static int t_restart(void)
{
	struct sigaction sa = { .sa_handler = on_usr1, .sa_flags = SA_RESTART };
	int fd;

	sigaction(SIGUSR1, &sa, NULL);
	fd = open("/etc/hostname", O_RDONLY);
	return fd >= 0 && got ? 0 : 1;
}

static int test_signal_restart_gets_a_new_notification(void)
{
	struct session s = enforce_session();
	struct seccomp_notif_sizes sz;
	struct seccomp_notif *req;
	uint64_t first;
	int fd;
	pid_t pid = spawn(MODE_ENFORCE, t_restart, &fd);
	struct notify_handler *h = notify_handler_new(fd, &s);

	KT_CHECK(pid > 0 && sys_notif_sizes(&sz) == 0);
	req = calloc(1, sz.seccomp_notif);
	KT_CHECK(sys_notif_recv(fd, req) == 0);
	first = req->id;
	kill(pid, SIGUSR1);
	usleep(100000);
	KT_CHECK(sys_notif_id_valid(fd, first) == -ENOENT);
	KT_CHECK(serve(h, fd, pid) == 0);	/* the restarted call is answered afresh */
	notify_handler_free(h);
	free(req);
	session_free(&s);
	return KT_PASS;
}

static int test_sync_wake_up_available(void)
{
	int fd;
	pid_t pid = spawn(MODE_ENFORCE, t_open_hostname, &fd);
	struct session s = enforce_session();
	int r;

	KT_CHECK(pid > 0);
	r = sys_notif_set_flags(fd, SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP);
	if (r == -EINVAL) {
		kill(pid, SIGKILL);
		return kt_skip("SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP needs Linux 6.6");
	}
	KT_CHECK(r == 0);
	struct notify_handler *h = notify_handler_new(fd, &s);
	KT_CHECK(serve(h, fd, pid) == 0);
	notify_handler_free(h);
	session_free(&s);
	return KT_PASS;
}

static char *page_end;

static int t_sleep(void)
{
	pause();
	return 0;
}

static int test_read_string_at_the_end_of_a_mapping(void)
{
	char buf[64];
	char *m = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	pid_t pid;

	KT_CHECK(m != MAP_FAILED);
	munmap(m + 4096, 4096);
	page_end = m + 4096 - 4;
	memcpy(page_end, "/ab", 4);	/* NUL is the last byte of the mapping */
	pid = fork();
	if (pid == 0)
		_exit(t_sleep());
	KT_CHECK(resolve_read_string(pid, (uint64_t)(uintptr_t)page_end, buf, sizeof(buf)) == 3);
	KT_CHECK(strcmp(buf, "/ab") == 0);
	memcpy(page_end, "abcd", 4);	/* no NUL before the hole: a fault, not an overread */
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	pid = fork();
	if (pid == 0)
		_exit(t_sleep());
	KT_CHECK(resolve_read_string(pid, (uint64_t)(uintptr_t)page_end, buf, sizeof(buf)) == -EFAULT);
	kill(pid, SIGKILL);
	return KT_PASS;
}

static int t_chdir_and_sleep(void)
{
	if (chdir("/usr/share") < 0)
		return 1;
	pause();
	return 0;
}

static int test_resolve_relative_to_child_cwd_and_dirfd(void)
{
	pid_t pid = fork();
	char *p;

	if (pid == 0)
		_exit(t_chdir_and_sleep());
	usleep(100000);
	char *raw;
	p = resolve_path(pid, AT_FDCWD, "doc/../man/./x", &raw);
	KT_CHECK(p && strcmp(p, "/usr/share/man/x") == 0);
	KT_CHECK(strcmp(raw, "/usr/share/doc/../man/./x") == 0);
	free(p);
	free(raw);
	p = resolve_path(pid, AT_FDCWD, "/proc/self/status", &raw);
	free(raw);
	KT_CHECK(p);
	char want[64];
	snprintf(want, sizeof(want), "/proc/%d/status", pid);
	KT_CHECK(strcmp(p, want) == 0);
	free(p);
	kill(pid, SIGKILL);
	return KT_PASS;
}

/* t_chroot_and_sleep - in its own user+mount namespace, chroot into DIR, then say so on FD
 * ('R', or 'S' when the kernel refuses the namespace) and sleep. */
static int t_chroot_and_sleep(const char *dir, int fd)
{
	if (unshare(CLONE_NEWUSER | CLONE_NEWNS) < 0)
		return write(fd, "S", 1) == 1 ? 0 : 1;
	if (chroot(dir) < 0 || chdir("/") < 0 || write(fd, "R", 1) != 1)
		return 1;
	pause();
	return 0;
}

/* rm_root - remove what test_pinned_root made in DIR. */
static void rm_root(const char *dir)
{
	static const char *const names[] = { "l", "target/x", "target", "" };
	char p[64];

	for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
		snprintf(p, sizeof(p), "%s/%s", dir, names[i]);
		if (remove(p) < 0)
			return;
	}
}

static int test_pinned_root(void)
{
	char dir[] = "/tmp/kt-root.XXXXXX", p[64], c = 0;
	int sv[2], pidfd, r;
	bool exists = true, ok;
	char *canon;
	pid_t pid, dead;

	KT_CHECK(mkdtemp(dir) && pipe(sv) == 0);
	snprintf(p, sizeof(p), "%s/target", dir);
	KT_CHECK(mkdir(p, 0755) == 0);
	snprintf(p, sizeof(p), "%s/target/x", dir);
	KT_CHECK(close(open(p, O_CREAT | O_WRONLY | O_CLOEXEC, 0644)) == 0);
	snprintf(p, sizeof(p), "%s/l", dir);
	KT_CHECK(symlink("/target", p) == 0);
	pid = fork();
	if (pid == 0)
		_exit(t_chroot_and_sleep(dir, sv[1]));
	KT_CHECK(read(sv[0], &c, 1) == 1);
	if (c == 'S')
		return kt_skip("no user namespace for the chroot");
	pidfd = sys_pidfd_open(pid, 0);
	r = pidfd >= 0 ? resolve_pin_root(pidfd, pid) : pidfd;
	/* resolved in the pinned root, whichever thread asks (our parent's root has no /l); the
	 * name read back is the supervisor's for that file, as for any chroot outside a jail */
	canon = r == 0 ? resolve_canon("/l/x", "/l/x", 0, getppid(), &exists) : NULL;
	ok = canon && strlen(canon) > 9 && !strcmp(canon + strlen(canon) - 9, "/target/x") && exists;
	free(canon);
	/* the supervisor's own view is never the pinned root */
	canon = resolve_canon("/l/x", "/l/x", getpid(), getpid(), &exists);
	ok = ok && !canon && !exists;
	free(canon);
	resolve_unpin_root();
	canon = resolve_canon("/l/x", "/l/x", 0, getppid(), &exists);
	ok = ok && !canon && !exists;
	free(canon);
	kill(pid, SIGKILL);
	close(pidfd);
	rm_root(dir);
	KT_CHECK(r == 0 && ok);
	/* a process that has exited cannot be pinned (its pid may name another by then) */
	dead = fork();
	if (dead == 0)
		_exit(0);
	KT_CHECK(waitid(P_PID, (id_t)dead, &(siginfo_t){ 0 }, WEXITED | WNOWAIT) == 0);
	pidfd = sys_pidfd_open(dead, 0);
	KT_CHECK(pidfd >= 0);
	r = resolve_pin_root(pidfd, dead);
	KT_CHECK(r < 0);
	close(pidfd);
	return KT_PASS;
}

int main(void)
{
	static const struct ktest tests[] = {
		{ "enforce decides on the supervisor's copy (allow, deny rule, no rule)", test_enforce_decides_on_the_copy, 20 },
		{ "an unreadable path pointer is answered EFAULT under enforce", test_unreadable_pointer_is_efault_not_continue, 20 },
		{ "a target killed mid-call: ID_VALID and SEND say ENOENT, the handler survives", test_target_killed_mid_call, 20 },
		{ "a signal with SA_RESTART reissues the call with a new id, answered again", test_signal_restart_gets_a_new_notification, 20 },
		{ "SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP is accepted", test_sync_wake_up_available, 20 },
		{ "strings are read page by page up to the end of a mapping", test_read_string_at_the_end_of_a_mapping, 20 },
		{ "relative paths resolve against the child's cwd; /proc/self is the child", test_resolve_relative_to_child_cwd_and_dirfd, 20 },
		{ "a pinned root resolves every thread's paths, never the supervisor's own", test_pinned_root, 20 },
	};
	return kt_run(tests, ARRAY_SIZE(tests));
}
