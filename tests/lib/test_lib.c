/* test_lib.c - libsupervise's acceptance tests, built against the INSTALLED library (the Makefile
 * compiles it with the pkg-config file of `make install DESTDIR=...`), once shared and once
 * static. TAP on stdout. Each test runs in a forked child with a timeout, because a pledge cannot
 * be undone; a child ends with _exit so that no atexit handler (LeakSanitizer's) runs under the
 * filter. Run as root and unprivileged by tests/lib/run.sh.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <supervise.h>

/* CHECK - fail the running test (in its child) with the condition's text and line. */
#define CHECK(c)                                                                          \
	do {                                                                              \
		if (!(c)) {                                                               \
			fprintf(stderr, "# %s:%d: check failed: %s (errno %d)\n", __FILE__,  \
				__LINE__, #c, errno);                                     \
			_exit(1);                                                         \
		}                                                                         \
	} while (0)

#define SKIP 77	/* a test's exit status when it skips; the reason is on stderr after "# skip: " */

static char _tmp[256];	/* a fresh directory for the whole run */

/* _path - "_tmp/NAME" in a static buffer of BUF (one per call site). */
static char *_path(char *buf, size_t len, const char *name)
{
	snprintf(buf, len, "%s/%s", _tmp, name);
	return buf;
}

/* _write_file - create PATH holding TEXT (mode 0644). */
static void _write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	CHECK(fd >= 0);
	CHECK(write(fd, text, strlen(text)) == (ssize_t)strlen(text));
	close(fd);
}

/* --- sv_unveil + sv_pledge ------------------------------------------------------------- */

/* after sv_unveil(dir, "r") and sv_pledge("stdio rpath"): the unveiled file reads, a file
 * outside fails with EACCES, writing the unveiled one fails, socket() fails */
static void t_unveil_pledge(void)
{
	char in[300], out[300], buf[16] = { 0 };
	int fd;

	CHECK(sv_unveil(_path(in, sizeof(in), "inside"), "r") == 0);
	CHECK(sv_pledge("stdio rpath", NULL) == 0);
	fd = open(_path(in, sizeof(in), "inside/file"), O_RDONLY | O_CLOEXEC);
	CHECK(fd >= 0);
	CHECK(read(fd, buf, sizeof(buf) - 1) == 6 && !strcmp(buf, "inside"));
	close(fd);
	errno = 0;
	CHECK(open(_path(out, sizeof(out), "outside/file"), O_RDONLY | O_CLOEXEC) < 0 &&
	      errno == EACCES);
	CHECK(open("/etc/passwd", O_RDONLY | O_CLOEXEC) < 0 && errno == EACCES);
	CHECK(open(_path(in, sizeof(in), "inside/file"), O_WRONLY | O_CLOEXEC) < 0 &&
	      errno == EACCES);
	CHECK(socket(AF_INET, SOCK_STREAM, 0) < 0 && errno == EPERM);
	CHECK(socket(AF_UNIX, SOCK_STREAM, 0) < 0 && errno == EPERM);
	CHECK(mkdir(_path(in, sizeof(in), "inside/new"), 0755) < 0 && errno == EPERM);
	_exit(0);
}

/* "c" on a directory allows creating beneath it, "w" writing, and nothing outside */
static void t_unveil_write_create(void)
{
	char d[300], f[300];
	int fd;

	CHECK(sv_unveil(_path(d, sizeof(d), "inside"), "rwc") == 0);
	CHECK(sv_pledge("stdio rpath wpath cpath", NULL) == 0);
	fd = open(_path(f, sizeof(f), "inside/made"), O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
	CHECK(fd >= 0 && write(fd, "x", 1) == 1);
	close(fd);
	CHECK(unlink(f) == 0);
	CHECK(open(_path(f, sizeof(f), "outside/made"), O_WRONLY | O_CREAT | O_CLOEXEC, 0600) < 0 &&
	      errno == EACCES);
	CHECK(rename(_path(d, sizeof(d), "inside/file"), f) < 0 && errno == EACCES);
	_exit(0);
}

/* inet gives AF_INET/AF_INET6 sockets only; without exec, execve fails */
static void t_pledge_inet(void)
{
	int fd;

	CHECK(sv_pledge("stdio inet", NULL) == 0);
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	CHECK(fd >= 0);
	close(fd);
	CHECK(socket(AF_UNIX, SOCK_STREAM, 0) < 0 && errno == EPERM);
	CHECK(socket(AF_NETLINK, SOCK_RAW, 0) < 0 && errno == EPERM);
	CHECK(execl("/bin/true", "true", (char *)NULL) < 0 && errno == EPERM);
	CHECK(open("/etc/passwd", O_RDONLY | O_CLOEXEC) < 0 && errno == EPERM);
	_exit(0);
}

/* an unknown promise or bad arguments apply nothing */
static void t_pledge_refused(void)
{
	int fd;

	CHECK(sv_pledge("stdio frobnicate", NULL) == -SV_EPROMISE);
	CHECK(sv_pledge("stdio", "stdio rpath") == -EINVAL);
	CHECK(sv_pledge_flags("stdio", NULL, 0x100) == -EINVAL);
	CHECK(sv_unveil("/nonexistent/dir", "r") == -ENOENT);
	CHECK(sv_unveil("/tmp", "rz") == -EINVAL);
	CHECK(sv_unveil("/tmp", "") == -EINVAL);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	CHECK(fd >= 0);
	close(fd);
	CHECK(strstr(sv_strerror(-SV_EPROMISE), "promise") != NULL);
	CHECK(strstr(sv_strerror(-SV_ETHREADS), "threads") != NULL);
	CHECK(!strcmp(sv_strerror(-EACCES), "Permission denied"));
	CHECK(!strcmp(sv_strerror(EACCES), "Permission denied"));
	CHECK(sv_strerror(123456) != NULL);
	_exit(0);
}

/* _sleeper - thread: wait to be cancelled. */
static void *_sleeper(void *arg)
{
	(void)arg;
	pause();
	return NULL;
}

/* _noop - thread: nothing. */
static void *_noop(void *arg)
{
	return arg;
}

/* another thread would stay unconfined: refused; a thread started after the pledge works */
static void t_pledge_threads(void)
{
	pthread_t t;
	void *ret = NULL;

	CHECK(pthread_create(&t, NULL, _sleeper, NULL) == 0);
	CHECK(sv_pledge("stdio", NULL) == -SV_ETHREADS);
	CHECK(pthread_cancel(t) == 0 && pthread_join(t, NULL) == 0);
	CHECK(sv_pledge("stdio", NULL) == 0);
	CHECK(pthread_create(&t, NULL, _noop, (void *)1) == 0);
	CHECK(pthread_join(t, &ret) == 0 && ret == (void *)1);
	CHECK(fork() < 0 && errno == EPERM);	/* a process is "proc" */
	_exit(0);
}

/* fstat of an open file works under stdio, stat of a path does not */
static void t_pledge_fstat(void)
{
	struct stat st;

	CHECK(sv_pledge("stdio", NULL) == 0);
	CHECK(fstat(1, &st) == 0);
	CHECK(stat("/", &st) < 0 && errno == EPERM);
	_exit(0);
}

/* with SV_KILL a refused call kills the process */
static void t_pledge_kill(void)
{
	CHECK(sv_pledge_flags("stdio", NULL, SV_KILL) == 0);
	(void)socket(AF_INET, SOCK_STREAM, 0);
	_exit(3);	/* not reached */
}

/* a second pledge narrows the first: rpath then dropped */
static void t_pledge_twice(void)
{
	CHECK(sv_pledge("stdio rpath", NULL) == 0);
	CHECK(access("/", R_OK) == 0);
	CHECK(sv_pledge("stdio", NULL) == 0);
	CHECK(access("/", R_OK) < 0 && errno == EPERM);
	CHECK(sv_pledge("stdio rpath", NULL) == 0);	/* widening is accepted, and changes nothing */
	CHECK(access("/", R_OK) < 0 && errno == EPERM);
	_exit(0);
}

/* --- sv_run_isolated ---------------------------------------------------------------------- */

static const char _view[] = "include base\nread ~\ndeny ~/.ssh\n";

/* _answer - isolated: write a value computed here (with the pid it sees) and return 7. */
static int _answer(void *arg, int fd)
{
	char buf[64];
	int n = snprintf(buf, sizeof(buf), "%d pid=%d", *(int *)arg * 6, (int)getpid());

	return write(fd, buf, (size_t)n) == n ? 7 : -1;
}

/* _read_key - isolated: try ~/.ssh/id_rsa and ~/ok; write what was read, return -errno of the
 * key's open (0 if it opened). */
static int _read_key(void *arg, int fd)
{
	char path[400], buf[64] = { 0 };
	int k, r = 0;

	(void)arg;
	snprintf(path, sizeof(path), "%s/.ssh/id_rsa", getenv("HOME"));
	k = open(path, O_RDONLY | O_CLOEXEC);
	if (k < 0)
		r = -errno;
	else if (read(k, buf, sizeof(buf) - 1) > 0 && write(fd, buf, strlen(buf)) < 0)
		r = -EIO;
	snprintf(path, sizeof(path), "%s/ok", getenv("HOME"));
	k = open(path, O_RDONLY | O_CLOEXEC);
	if (k >= 0 && read(k, buf, sizeof(buf) - 1) > 0 && write(fd, buf, strlen(buf)) < 0)
		r = -EIO;
	return r;
}

/* _crash - isolated: die of SIGSEGV. */
static int _crash(void *arg, int fd)
{
	(void)arg;
	(void)fd;
	raise(SIGSEGV);
	return 0;
}

/* _escape - isolated: try to leave the jail through a new user namespace; return -errno. */
static int _escape(void *arg, int fd)
{
	(void)arg;
	(void)fd;
	return unshare(CLONE_NEWUSER) < 0 ? -errno : 0;
}

/* _home - make HOME a fresh directory with .ssh/id_rsa ("SECRET") and ok ("fine"). */
static void _home(void)
{
	char p[300];

	CHECK(setenv("HOME", _path(p, sizeof(p), "home"), 1) == 0);
	mkdir(p, 0700);
	mkdir(_path(p, sizeof(p), "home/.ssh"), 0700);
	_write_file(_path(p, sizeof(p), "home/.ssh/id_rsa"), "SECRET");
	_write_file(_path(p, sizeof(p), "home/ok"), "fine");
}

/* the child computes the value (in its own pid namespace) and returns it with its return value */
static void t_isolated_value(void)
{
	struct sv_policy pol = { .profile = _view };
	struct sv_result res;
	int six = 7, r;

	_home();
	r = sv_run_isolated(_answer, &six, &pol, &res);
	if (r < 0)
		fprintf(stderr, "# %s: %s\n", sv_strerror(r), res.error);
	CHECK(r == 0);
	CHECK(res.ret == 7 && res.status == 0 && res.signal == 0);
	CHECK(res.len == strlen("42 pid=2") && !strcmp(res.data, "42 pid=2"));
	sv_result_free(&res);
	sv_result_free(&res);	/* twice: harmless */
	_exit(0);
}

/* a function that reads ~/.ssh/id_rsa gets an error, the rest of the view works, and the key's
 * bytes never come back; the caller is unharmed */
static void t_isolated_ssh(void)
{
	struct sv_policy pol = { .profile = _view };
	struct sv_result res;

	_home();
	CHECK(sv_run_isolated(_read_key, NULL, &pol, &res) == 0);
	CHECK(res.ret == -EACCES || res.ret == -ENOENT);
	CHECK(!strcmp(res.data, "fine"));
	CHECK(!strstr(res.data, "SECRET"));
	sv_result_free(&res);
	_exit(0);
}

/* a crash is an error returned; a refused call fails with EPERM, or kills under SV_STRICT; a bad
 * profile is a setup error with its reason; the caller goes on after each */
static void t_isolated_errors(void)
{
	struct sv_policy pol = { .profile = _view };
	struct sv_result res;
	int r;

	_home();
	CHECK(sv_run_isolated(_crash, NULL, &pol, &res) == -SV_ECRASHED && res.signal == SIGSEGV);
	sv_result_free(&res);
	CHECK(sv_run_isolated(_escape, NULL, &pol, &res) == 0 && res.ret == -EPERM);
	sv_result_free(&res);
	pol.flags = SV_STRICT;
	CHECK(sv_run_isolated(_escape, NULL, &pol, &res) == -SV_EVIOLATION && res.signal == SIGSYS);
	sv_result_free(&res);
	pol = (struct sv_policy){ .profile = "frobnicate /etc\n" };
	r = sv_run_isolated(_answer, &r, &pol, &res);
	CHECK(r == -SV_ESETUP && strstr(res.error, "profile:1") != NULL);
	sv_result_free(&res);
	pol = (struct sv_policy){ .name = "/nonexistent/x.profile" };
	CHECK(sv_run_isolated(_answer, &r, &pol, &res) == -SV_ESETUP);
	sv_result_free(&res);
	CHECK(sv_run_isolated(_answer, &r, &(struct sv_policy){ 0 }, &res) == -EINVAL);
	_exit(0);
}

/* --- sv_launch ----------------------------------------------------------------------------- */

/* _slurp - read FD to its end into BUF (LEN bytes, NUL-terminated). */
static void _slurp(int fd, char *buf, size_t len)
{
	size_t got = 0;
	ssize_t n;

	while (got + 1 < len && (n = read(fd, buf + got, len - 1 - got)) > 0)
		got += (size_t)n;
	buf[got] = 0;
}

/* sv_launch runs cat under --enforce with a profile that shows inside/ only: it reads inside/file,
 * is denied outside/file, and the denial is in `supervise log` of the same database */
static void t_launch_log(void)
{
	char prof[600], in[300], out[300], db[300], cmd[1200], buf[4096];
	const char *sv = getenv("SV_TEST_SUPERVISE");
	struct sv_proc *p = NULL;
	struct sv_policy pol = { .profile = prof, .db = _path(db, sizeof(db), "launch.db") };
	char *argv[] = { "cat", _path(in, sizeof(in), "inside/file"),
			 _path(out, sizeof(out), "outside/file"), NULL };
	int st = -1;
	FILE *f;

	CHECK(sv != NULL);
	snprintf(prof, sizeof(prof), "include base\nexec /bin\nexec /usr/bin\nread %s/inside\n", _tmp);
	CHECK(sv_launch(argv, &pol, NULL, &p) == 0 && p && p->pid > 0);
	_slurp(p->stdout_fd, buf, sizeof(buf));
	CHECK(!strcmp(buf, "inside"));	/* outside's bytes never arrive */
	_slurp(p->stderr_fd, buf, sizeof(buf));
	CHECK(strstr(buf, "outside/file") != NULL);	/* cat's own complaint */
	CHECK(sv_wait(p, &st) == 0);
	CHECK(st == 1);
	snprintf(cmd, sizeof(cmd), "'%s' --db '%s' log --denied 2>&1", sv, db);
	f = popen(cmd, "r");
	CHECK(f != NULL);
	_slurp(fileno(f), buf, sizeof(buf));
	CHECK(pclose(f) == 0);
	snprintf(cmd, sizeof(cmd), "deny %s no rule errno=EACCES", out);
	CHECK(strstr(buf, cmd) != NULL);
	snprintf(cmd, sizeof(cmd), "deny %s", in);
	CHECK(strstr(buf, cmd) == NULL);	/* allowed: not among the denials */
	/* a program that is not found: 127, and a bad profile: 125 with the reason on stderr */
	argv[0] = "no-such-program-here";
	CHECK(sv_launch(argv, &pol, NULL, &p) == 0 && sv_wait(p, &st) == 0 && st == 127);
	pol.profile = "frobnicate\n";
	CHECK(sv_launch(argv, &pol, NULL, &p) == 0);
	_slurp(p->stderr_fd, buf, sizeof(buf));
	CHECK(sv_wait(p, &st) == 0 && st == 125 && strstr(buf, "frobnicate") != NULL);
	CHECK(sv_launch(argv, &(struct sv_policy){ 0 }, NULL, &p) == -EINVAL);
	_exit(0);
}

struct test {
	const char *name;
	void (*fn)(void);
	int want_signal;	/* the child must die of this signal, not exit 0 */
};

static const struct test _tests[] = {
	{ "unveil(dir, r) + pledge(stdio rpath): outside EACCES, socket fails", t_unveil_pledge, 0 },
	{ "unveil rwc: create and write inside, not outside", t_unveil_write_create, 0 },
	{ "pledge inet: inet sockets only, no exec, no open", t_pledge_inet, 0 },
	{ "refused promises and arguments apply nothing; sv_strerror", t_pledge_refused, 0 },
	{ "pledge refuses a second thread; threads after it work", t_pledge_threads, 0 },
	{ "pledge stdio: fstat yes, stat no", t_pledge_fstat, 0 },
	{ "pledge SV_KILL: a refused call kills with SIGSYS", t_pledge_kill, SIGSYS },
	{ "pledge twice narrows", t_pledge_twice, 0 },
	{ "sv_run_isolated returns the value computed in the child", t_isolated_value, 0 },
	{ "sv_run_isolated: reading ~/.ssh/id_rsa fails in the child", t_isolated_ssh, 0 },
	{ "sv_run_isolated: crash, violation, bad profile are errors returned", t_isolated_errors, 0 },
	{ "sv_launch: denials of the program appear in supervise log", t_launch_log, 0 },
};

/* _run - run test T in a forked child with a 20 s timeout; print its TAP line as number N.
 * Returns true when it passed (or skipped). */
static bool _run(const struct test *t, int n)
{
	int st, p[2];
	char why[512] = "";
	ssize_t got;
	pid_t pid;

	fflush(NULL);
	if (pipe(p) < 0)
		return false;
	pid = fork();
	if (pid == 0) {
		close(p[0]);
		dup2(p[1], 2);
		alarm(20);
		t->fn();
		_exit(0);
	}
	close(p[1]);
	got = read(p[0], why, sizeof(why) - 1);
	while (got > 0 && read(p[0], why + got, 1) > 0 && got < (ssize_t)sizeof(why) - 2)
		got++;
	why[got > 0 ? got : 0] = 0;
	close(p[0]);
	if (pid < 0 || waitpid(pid, &st, 0) < 0)
		return false;
	if (WIFEXITED(st) && WEXITSTATUS(st) == SKIP) {
		printf("ok %d - %s # skip %s\n", n, t->name, why);
		return true;
	}
	if (t->want_signal ? (WIFSIGNALED(st) && WTERMSIG(st) == t->want_signal)
			   : (WIFEXITED(st) && WEXITSTATUS(st) == 0)) {
		printf("ok %d - %s\n", n, t->name);
		return true;
	}
	printf("not ok %d - %s\n%s", n, t->name, why);
	if (WIFSIGNALED(st))
		printf("# killed by signal %d\n", WTERMSIG(st));
	else
		printf("# exit status %d\n", WEXITSTATUS(st));
	return false;
}

int main(void)
{
	const char *tag = getenv("SV_TEST_TAG") ? getenv("SV_TEST_TAG") : "";
	size_t n = sizeof(_tests) / sizeof(_tests[0]);
	char p[300];
	bool ok = true;

	snprintf(_tmp, sizeof(_tmp), "/tmp/sv-test.XXXXXX");
	if (!mkdtemp(_tmp))
		return 1;
	mkdir(_path(p, sizeof(p), "inside"), 0755);
	mkdir(_path(p, sizeof(p), "outside"), 0755);
	_write_file(_path(p, sizeof(p), "inside/file"), "inside");
	_write_file(_path(p, sizeof(p), "outside/file"), "outside");
	printf("1..%zu\n", n);
	for (size_t i = 0; i < n; i++) {
		struct test t = _tests[i];
		char name[300];

		snprintf(name, sizeof(name), "%s%s", tag, _tests[i].name);
		t.name = name;
		ok &= _run(&t, (int)i + 1);
	}
	if (!getenv("SV_TEST_KEEP")) {
		char cmd[400];

		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", _tmp);
		if (system(cmd) != 0)
			ok = false;
	}
	return ok ? 0 : 1;
}
