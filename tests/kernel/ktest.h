/* ktest.h - the kernel tier harness: each test runs in its own forked child with a timeout, so an
 * irreversible seccomp filter never leaks into the next test. Output is TAP.
 *
 * A test function returns KT_PASS, KT_FAIL, or KT_SKIP after calling kt_skip("reason").
 */
#ifndef SUPERVISE_KTEST_H
#define SUPERVISE_KTEST_H

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

enum { KT_PASS = 0, KT_FAIL = 1, KT_SKIP = 77 };

struct ktest {
	const char *name;
	int (*fn)(void);
	unsigned timeout;	/* seconds */
};

static char *kt_reason;	/* shared page for skip/fail reasons */

/* kt_skip - record why the test skips; return KT_SKIP afterwards. */
static inline int kt_skip(const char *why)
{
	snprintf(kt_reason, 256, "%s", why);
	return KT_SKIP;
}

/* kt_fail - record why the test failed; returns KT_FAIL. */
static inline int kt_fail(const char *why)
{
	snprintf(kt_reason, 256, "%s", why);
	return KT_FAIL;
}

#define KT_CHECK(cond)                                                                   \
	do {                                                                             \
		if (!(cond)) {                                                           \
			snprintf(kt_reason, 256, "%s:%d: %s", __FILE__, __LINE__, #cond); \
			return KT_FAIL;                                                  \
		}                                                                        \
	} while (0)

/* kt_run - run every test in its own child under a timeout; print TAP; return the exit status. */
static inline int kt_run(const struct ktest *t, size_t n)
{
	int failed = 0;

	kt_reason = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (kt_reason == MAP_FAILED)
		return 1;
	printf("1..%zu\n", n);
	fflush(stdout);
	for (size_t i = 0; i < n; i++) {
		int st, rc;
		pid_t pid;

		kt_reason[0] = 0;
		pid = fork();
		if (pid == 0) {
			alarm(t[i].timeout ? t[i].timeout : 20);
			_exit(t[i].fn());
		}
		waitpid(pid, &st, 0);
		rc = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
		if (rc == KT_PASS)
			printf("ok %zu - %s\n", i + 1, t[i].name);
		else if (rc == KT_SKIP)
			printf("ok %zu - %s # skip %s\n", i + 1, t[i].name, kt_reason);
		else {
			failed++;
			printf("not ok %zu - %s\n", i + 1, t[i].name);
			if (WIFSIGNALED(st))
				printf("# killed by signal %d%s\n", WTERMSIG(st),
				       WTERMSIG(st) == SIGALRM ? " (timeout)" : "");
			if (kt_reason[0])
				printf("# %s\n", kt_reason);
		}
		fflush(stdout);
	}
	return failed ? 1 : 0;
}

#endif
