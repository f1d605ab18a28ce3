/* test_tracer.c - the kernel tier for the ptrace backend: tracer_backend driven like core/run.c
 * does it (prepare, fork, child_enter, attach, serve), against real tracees. Each test runs in its
 * own forked child (ktest.h); the traced target is a function run by that child's child.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <seccomp.h>
#include <signal.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>

#include "../../common/sys.h"
#include "../../common/util.h"
#include "../../trap/backend.h"
#include "../../trap/listener.h"
#include "../../tracer/tracer.h"
#include "../../trap/session.h"
#include "../../tracer/backtrace.h"
#include "ktest.h"

static struct profile prof;

/* enforcing - a session enforcing "read /", "exec /usr", "deny /etc/hostname". */
static struct session enforcing(void)
{
	char err[256];

	policy_parse("read /\nexec /usr\ndeny /etc/hostname\n", "t", "/root", &prof, err, sizeof(err));
	return (struct session){ .mode = MODE_ENFORCE, .profile = &prof, .quiet = true };
}

/* run_traced - run FN in a child under the tracer backend with session S until the whole tree
 * is gone. Returns FN's exit code, 128+N for signal N, or -1 when the backend failed to start. */
static int run_traced(struct session *s, int (*fn)(void))
{
	struct launch l = { .sess = s, .sigfd = -1 };
	char err[256];
	sigset_t set, old;

	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigprocmask(SIG_BLOCK, &set, &old);
	l.sigfd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	if (l.sigfd < 0 || tracer_backend.prepare(&l, err, sizeof(err)) < 0)
		return -1;
	l.child = fork();
	if (l.child == 0) {
		sigprocmask(SIG_SETMASK, &old, NULL);
		tracer_backend.child_enter(&l);
		_exit(fn());
	}
	if (tracer_backend.attach(&l, err, sizeof(err)) < 0) {
		fprintf(stderr, "# %s\n", err);
		return -1;
	}
	tracer_backend.serve(&l);
	tracer_backend.release(&l);
	close(l.sigfd);
	return WIFEXITED(l.status) ? WEXITSTATUS(l.status) : 128 + WTERMSIG(l.status);
}

/* open_errno - 0 when PATH opens, else errno. */
static int open_errno(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return errno;
	close(fd);
	return 0;
}

static int t_deny_and_allow(void)
{
	for (int i = 0; i < 1000; i++)
		(void)syscall(SYS_getpid);	/* untrapped: not decided */
	return open_errno("/etc/hostname") == EACCES && open_errno("/etc/passwd") == 0 ? 0 : 1;
}

static int test_enforce_denies_by_skipping_the_call(void)
{
	struct session s = enforcing();

	KT_CHECK(run_traced(&s, t_deny_and_allow) == 0);
	KT_CHECK(s.denials == 1);
	KT_CHECK(s.events == 2);
	session_free(&s);
	return KT_PASS;
}

static volatile sig_atomic_t got_usr1;

static void on_usr1(int sig)
{
	(void)sig;
	got_usr1 = 1;
}

static int t_signal(void)
{
	signal(SIGUSR1, on_usr1);
	raise(SIGUSR1);
	return got_usr1 ? 0 : 1;
}

static int test_signals_are_delivered(void)
{
	struct session s = enforcing();

	KT_CHECK(run_traced(&s, t_signal) == 0);
	session_free(&s);
	return KT_PASS;
}

/* now_ms - a monotonic clock in milliseconds. */
static long now_ms_mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int t_stop_and_continue(void)
{
	long t0 = now_ms_mono();
	pid_t helper;

	/* A process group of its own: a stopped member of an orphaned process group gets the
	 * whole group SIGHUP'ed when a member exits, which would hit the test runner too. */
	if (setpgid(0, 0) < 0)
		return 2;
	helper = fork();

	if (helper == 0) {
		usleep(300 * 1000);
		kill(getppid(), SIGCONT);
		_exit(0);
	}
	raise(SIGSTOP);
	waitpid(helper, NULL, 0);
	return now_ms_mono() - t0 >= 250 ? 0 : 1;	/* it really stayed stopped */
}

static int test_group_stop_stays_stopped_until_sigcont(void)
{
	struct session s = enforcing();

	KT_CHECK(run_traced(&s, t_stop_and_continue) == 0);
	session_free(&s);
	return KT_PASS;
}

static void *thread_open(void *arg)
{
	(void)arg;
	return (void *)(intptr_t)open_errno("/etc/hostname");
}

static int t_thread(void)
{
	pthread_t t;
	void *r;

	if (pthread_create(&t, NULL, thread_open, NULL) != 0)
		return 2;
	pthread_join(t, &r);
	return (intptr_t)r == EACCES ? 0 : 1;
}

static int test_threads_are_followed(void)
{
	struct session s = enforcing();

	KT_CHECK(run_traced(&s, t_thread) == 0);
	KT_CHECK(s.denials == 1);
	session_free(&s);
	return KT_PASS;
}

static void *thread_exec(void *arg)
{
	char *argv[] = { "true", NULL };

	(void)arg;
	execv("/usr/bin/true", argv);
	return NULL;
}

static int t_exec_from_thread(void)
{
	pthread_t t;

	if (pthread_create(&t, NULL, thread_exec, NULL) != 0)
		return 2;
	pause();
	return 3;
}

static int test_exec_from_a_thread(void)
{
	struct session s = enforcing();

	KT_CHECK(run_traced(&s, t_exec_from_thread) == 0);
	KT_CHECK(s.events >= 1);	/* the execve */
	session_free(&s);
	return KT_PASS;
}

static int t_fork_child_opens(void)
{
	int st;
	pid_t pid = fork();

	if (pid == 0)
		_exit(open_errno("/etc/hostname") == EACCES ? 0 : 1);
	waitpid(pid, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 2;
}

static int test_forked_children_are_followed(void)
{
	struct session s = enforcing();

	KT_CHECK(run_traced(&s, t_fork_child_opens) == 0);
	KT_CHECK(s.denials == 1);
	session_free(&s);
	return KT_PASS;
}

static int t_killed_while_looping(void)
{
	if (fork() == 0) {
		usleep(100 * 1000);
		kill(getppid(), SIGKILL);
		_exit(0);
	}
	for (;;)
		open_errno("/etc/passwd");
}

static int test_a_tracee_killed_mid_stop_is_reported(void)
{
	struct session s = enforcing();

	KT_CHECK(run_traced(&s, t_killed_while_looping) == 128 + SIGKILL);
	KT_CHECK(s.events > 0);
	session_free(&s);
	return KT_PASS;
}

static int t_probe_listener(void)
{
	return sys_probe_listener() == -EBUSY ? 0 : 1;
}

static int test_tracees_cannot_install_a_listener(void)
{
	struct session s = enforcing();

	KT_CHECK(run_traced(&s, t_probe_listener) == 0);
	session_free(&s);
	return KT_PASS;
}

static int test_syscall_stop_mode_under_another_listener(void)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
	struct session s = enforcing();

	/* Another supervisor's listener, trapping open: it would outrank RET_TRACE. The tracer must
	 * still see (and deny) the open before that listener is asked. */
	KT_CHECK(ctx && seccomp_rule_add(ctx, SCMP_ACT_NOTIFY, SCMP_SYS(uname), 0) == 0);
	KT_CHECK(seccomp_load(ctx) == 0);
	seccomp_release(ctx);
	KT_CHECK(listener_busy());
	KT_CHECK(run_traced(&s, t_fork_child_opens) == 0);
	KT_CHECK(s.denials == 1);
	session_free(&s);
	return KT_PASS;
}

/* argv[0]: the backtrace test's tracee is a fresh image of this program ("bt-target"), so the
 * stack walked is the program's own even when the tier runs under valgrind, which leaves an
 * exec'd program alone (--trace-children=no) but is itself the machine state of a forked child. */
static const char *self;

/* A known function for the backtrace: not inlined, not static, so its name is in the table. */
__attribute__((noinline)) void known_function_for_backtrace(void);
__attribute__((noinline)) void known_function_for_backtrace(void)
{
	raise(SIGSTOP);
	__asm__ volatile("" ::: "memory");	/* keep the call from becoming a tail call */
}

static int test_backtrace_names_the_function_and_main(void)
{
	struct tracer_bt *bt = tracer_bt_new();
	int sv[2], st;
	char c, *text;
	pid_t pid;

	KT_CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
	pid = fork();
	if (pid == 0) {
		if (read(sv[1], &c, 1) != 1)
			_exit(1);
		execl(self, self, "bt-target", (char *)NULL);
		_exit(1);
	}
	KT_CHECK(sys_ptrace_seize(pid, PTRACE_O_EXITKILL) == 0);
	KT_CHECK(write(sv[0], "g", 1) == 1);
	KT_CHECK(waitpid(pid, &st, __WALL) == pid && WIFSTOPPED(st) && WSTOPSIG(st) == SIGSTOP);
	text = tracer_bt_walk(bt, pid);
	KT_CHECK(text);
	if (!strstr(text, "known_function_for_backtrace+") || !strstr(text, "\nmain+")) {
		kt_fail(text);
		free(text);
		tracer_bt_free(bt);
		return KT_FAIL;
	}
	KT_CHECK(strstr(text, "/test_tracer+0x"));	/* the module with its offset */
	free(text);
	tracer_bt_free(bt);
	kill(pid, SIGKILL);
	return KT_PASS;
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "bt-target")) {
		known_function_for_backtrace();	/* stops itself with SIGSTOP */
		return 0;
	}
	self = argv[0];
	static const struct ktest tests[] = {
		{ "enforce denies by skipping the call (EACCES); only trapped calls are decided", test_enforce_denies_by_skipping_the_call, 20 },
		{ "signals reach the tracee's handler", test_signals_are_delivered, 20 },
		{ "a group-stop stays stopped until SIGCONT (PTRACE_LISTEN)", test_group_stop_stays_stopped_until_sigcont, 20 },
		{ "threads are followed (PTRACE_O_TRACECLONE)", test_threads_are_followed, 20 },
		{ "exec from a non-leader thread: the new image runs and exits 0", test_exec_from_a_thread, 20 },
		{ "forked children are followed (PTRACE_O_TRACEFORK)", test_forked_children_are_followed, 20 },
		{ "a tracee killed while trapping: 128+9, the tracer survives", test_a_tracee_killed_mid_stop_is_reported, 20 },
		{ "a tracee cannot install a seccomp listener (EBUSY)", test_tracees_cannot_install_a_listener, 20 },
		{ "under another supervisor's listener: syscall-entry stops still deny", test_syscall_stop_mode_under_another_listener, 20 },
		{ "a backtrace names the calling function and main, with module+offset", test_backtrace_names_the_function_and_main, 20 },
	};
	return kt_run(tests, ARRAY_SIZE(tests));
}
