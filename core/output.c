/* output.c - --log-output's copy of the program's output, and --daemon. See output.h.
 *
 * The copy is a thread of the supervisor, not a process: it needs no reaping, and it reads
 * until every writer (the program and whatever it started) is gone, which the end of the tree
 * guarantees, since supervise kills what outlives the command (reap.c).
 */
#include "output.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "../common/pipes.h"
#include "../common/util.h"

/* _open_log - FILE for appending, created 0600 (it may hold what the program prints). fd or
 * -errno. */
static int _open_log(const char *file)
{
	int fd = open(file, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOCTTY, 0600);

	return fd < 0 ? -errno : fd;
}

int output_tee_open(struct output_tee *t, const char *file, char *err, size_t errlen)
{
	*t = (struct output_tee){ .file = -1, .out = { -1, -1 }, .err = { -1, -1 } };
	t->file = _open_log(file);
	if (t->file < 0) {
		snprintf(err, errlen, "--log-output %s: %s", file, strerror(-t->file));
		return t->file;
	}
	if (pipe2(t->out, O_CLOEXEC) < 0 || pipe2(t->err, O_CLOEXEC) < 0) {
		int e = errno;

		snprintf(err, errlen, "--log-output: pipe: %s", strerror(e));
		return -e;
	}
	return 0;
}

void output_tee_child(const struct output_tee *t)
{
	if (dup2(t->out[1], STDOUT_FILENO) < 0 || dup2(t->err[1], STDERR_FILENO) < 0) {
		fprintf(stderr, "supervise: --log-output: dup2: %s\n", strerror(errno));
		_exit(EXIT_SUPERVISE_FAIL);
	}
}

/* _write_all - write N bytes of BUF to FD, ignoring a failure (a closed terminal must not stop
 * the copy to the file). */
static void _write_all(int fd, const char *buf, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, buf, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return;
		buf += w;
		n -= (size_t)w;
	}
}

/* _sink - a chunk of the program's stdout (WHICH 0) or stderr (1) to fd 1 or 2 and to the file of
 * CTX (a struct output_tee). */
static void _sink(void *ctx, int which, const char *buf, size_t n)
{
	const struct output_tee *t = ctx;

	_write_all(which ? STDERR_FILENO : STDOUT_FILENO, buf, n);
	_write_all(t->file, buf, n);
}

/* _copy - thread: copy T's pipes to fds 1 and 2 and to T's file until both reach their end
 * (output_tee_stop closes them). */
static void *_copy(void *arg)
{
	struct output_tee *t = arg;

	pipes_drain((int[2]){ t->out[0], t->err[0] }, _sink, t, false);
	return NULL;
}

void output_tee_start(struct output_tee *t)
{
	int r;

	close(t->out[1]);
	close(t->err[1]);
	t->out[1] = t->err[1] = -1;
	r = pthread_create(&t->thread, NULL, _copy, t);
	if (r != 0)
		die("--log-output: cannot start the copying thread: %s", strerror(r));
	t->running = true;
}

void output_tee_stop(struct output_tee *t)
{
	if (t->running)
		pthread_join(t->thread, NULL);
	t->running = false;
	for (int i = 0; i < 2; i++) {
		if (t->out[i] >= 0)
			close(t->out[i]);
		if (t->err[i] >= 0)
			close(t->err[i]);
		t->out[i] = t->err[i] = -1;
	}
	if (t->file >= 0)
		close(t->file);
	t->file = -1;
}

int output_daemon(const char *file)
{
	int fd = _open_log(file), null;
	pid_t pid;

	if (fd < 0) {
		errx("--log-output %s: %s", file, strerror(-fd));
		return -1;
	}
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		errx("--daemon: fork: %s", strerror(errno));
		close(fd);
		return -1;
	}
	if (pid > 0) {
		printf("%d\n", (int)pid);	/* so that a script can wait for it or kill it */
		fflush(stdout);
		close(fd);
		return 1;
	}
	null = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (setsid() < 0 || null < 0 || dup2(null, STDIN_FILENO) < 0 ||
	    dup2(fd, STDOUT_FILENO) < 0 || dup2(fd, STDERR_FILENO) < 0) {
		fprintf(stderr, "supervise: --daemon: detach: %s\n", strerror(errno));
		_exit(EXIT_SUPERVISE_FAIL);
	}
	close(null);
	close(fd);
	return 0;
}
