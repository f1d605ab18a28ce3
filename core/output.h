/* output.h - where the program's output goes: --log-output FILE (a copy of stdout and stderr,
 * written by a thread of the supervisor) and --daemon (supervise detached, all output to FILE).
 */
#ifndef SUPERVISE_OUTPUT_H
#define SUPERVISE_OUTPUT_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

struct output_tee {
	int file;		/* FILE, opened for appending */
	int out[2], err[2];	/* pipes: the program writes [1], the thread reads [0] */
	pthread_t thread;
	bool running;
};

/* output_tee_open - open FILE (created 0600, appended to) and the two pipes, before the fork.
 * Returns 0, or -errno with one line in ERR; T is then safe to pass to output_tee_stop. */
int output_tee_open(struct output_tee *t, const char *file, char *err, size_t errlen);

/* output_tee_child - in the forked child: make the pipes the child's stdout and stderr. Exits
 * 125 when that fails. */
void output_tee_child(const struct output_tee *t);

/* output_tee_start - in the supervisor after the fork: close the child's ends and start the
 * thread that copies each pipe to supervise's own stdout or stderr and to FILE, until every
 * writer is gone. Dies when the thread cannot start (setup). */
void output_tee_start(struct output_tee *t);

/* output_tee_stop - wait for the thread (the program's tree has exited, so the pipes reach their
 * end) and close everything. Safe on a zeroed T and after a failed output_tee_open. */
void output_tee_stop(struct output_tee *t);

/* output_daemon - --daemon: open FILE (created 0600, appended to), fork, and in the parent print
 * the child's pid and return 1 (supervise then exits 0 at once); the child starts a new
 * session, takes /dev/null as stdin and FILE as stdout and stderr, and returns 0. Call it before
 * anything opens the database or starts a thread. -1 after one line on stderr. */
int output_daemon(const char *file);

#endif
