/* launch.h - one launch of the command under a backend (core/launch.c), for core/run.c. */
#ifndef SUPERVISE_LAUNCH_H
#define SUPERVISE_LAUNCH_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>

#include "../jail/child.h"
#include "../trap/backend.h"
#include "output.h"
#include "run.h"

/* What the command is started with besides the launch (issue 12): see runopt.h, output.h. */
struct child_exec {
	char **argv, **envp;		/* --procname; the profile's environment */
	struct jail_child jc;		/* rlimits, and --user and --cwd without the jail */
	struct output_tee tee;		/* --log-output (without --daemon) */
	bool teed;
};

/* What the supervisor records before it serves: the run's row and the event writer. Done in a
 * thread of its own while the child builds the jail and the backend builds and hands over the
 * filter (_launch), so that the database's writes (the run's row is the first write of a fresh
 * WAL: two fdatasyncs) and the writer's two connections stay off the start-up's critical path.
 * The command cannot run meanwhile: the child's execve is trapped and waits for serve, which
 * starts only after the thread is joined; if recording fails, the child is killed. */
struct db_start {
	sqlite3 *db;			/* the run's connection, used by this thread until joined */
	const struct run_opts *o;
	const char *name, *cmdline, *cwd;
	const char *control;		/* the control socket to record, or NULL */
	int64_t run;			/* out: the run's id, or -1 */
	struct db_writer *writer;	/* out: the event writer, or NULL */
	char err[512];			/* out: why not */
};

/* launch_run - fork the command of L under OPS with X, record the run (D, in a thread while the
 * child sets up) and serve it until the tree is gone. Returns the exit status supervise exits
 * with (run.h), 125 after a failed start (said on stderr; the child killed and reaped). */
int launch_run(const struct backend_ops *ops, struct launch *l, struct db_start *d,
	       struct child_exec *x);

#endif
