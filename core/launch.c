/* launch.c - one launch of the command under a backend: the fork, the child's way to its
 * execve, the backend's take-over while the run is recorded, serving, and the exit status.
 * Setup regime until serve: a failure ends the launch with 125 and the child killed.
 */
#include "launch.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../common/sys.h"
#include "../common/timing.h"
#include "../common/util.h"
#include "../db/db.h"
#include "../db/writer.h"
#include "../trap/reap.h"
#include "ask.h"
#include "control.h"
#include "keeper.h"

/* How long enforce holds the program stopped while the event writer retries a failed write. */
#define LOG_HOLD_MS 5000

/* _block_signals - block the signals the supervisor handles through a signalfd; return the fd.
 * *OLD receives the previous mask for the child to restore. Dies on failure (setup). */
static int _block_signals(sigset_t *old)
{
	sigset_t set;
	int fd;

	reap_signal_set(&set);
	sigaddset(&set, SIGALRM);	/* the grace period after an ending signal (reap.h) */
	if (sigprocmask(SIG_BLOCK, &set, old) < 0)
		die_errno("sigprocmask");
	fd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	if (fd < 0)
		die_errno("signalfd");
	return fd;
}


/* _child - the forked child: never returns. Reports an exec failure's errno on ERRFD. X says
 * what to exec with. */
static void _child(const struct backend_ops *ops, struct launch *l, pid_t parent,
		   const sigset_t *mask, int errfd, const struct child_exec *x)
{
	int e;

	if (sys_set_pdeathsig(SIGKILL) < 0 || getppid() != parent)
		_exit(EXIT_SUPERVISE_FAIL);
	if (l->ctl && l->ctl->gate.fd >= 0)	/* not for the jail's processes (gate.h) */
		close(l->ctl->gate.fd);
	sigprocmask(SIG_SETMASK, mask, NULL);
	timing_end(TIMING_FORK);
	if (l->jail)
		jail_enter(l->jail);
	else if (l->kept)	/* the tree dies with the supervisor: see keeper.c */
		keeper_enter(l, l->keeper);
	if (x->teed)
		output_tee_child(&x->tee);
	jail_child_finish(&x->jc);
	timing_begin(TIMING_CHILD_FILTER);
	ops->child_enter(l);
	timing_end(TIMING_CHILD_FILTER);
	timing_end(TIMING_TOTAL);
	timing_begin(TIMING_EXEC);	/* ends when the supervisor receives the trapped execve */
	execve(l->exe, x->argv, x->envp);
	e = errno;
	if (write(errfd, &e, sizeof(e)) < 0)
		_exit(126);
	_exit(e == ENOENT ? 127 : 126);
}

/* _exit_code - the supervise exit status for wait status ST. */
static int _exit_code(int st)
{
	if (WIFEXITED(st))
		return WEXITSTATUS(st);
	if (WIFSIGNALED(st))
		return 128 + WTERMSIG(st);
	return EXIT_SUPERVISE_FAIL;
}


/* _db_start - thread: record the run of ARG (a struct db_start) and start its event writer.
 * Returns NULL; the outcome is in the struct. */
static void *_db_start(void *arg)
{
	struct db_start *d = arg;
	sqlite3 *db = d->db;
	const struct run_opts *o = d->o;
	const char *name = d->name, *cmdline = d->cmdline, *cwd = d->cwd;

	timing_begin(TIMING_DB);
	d->run = db_run_begin(db, o->mode == MODE_LEARN ? name : o->profile, o->mode, cmdline,
			      cwd ? cwd : "", (o->log_all ? DB_RUN_LOG_ALL : 0) |
			      (o->no_syscall_filter ? DB_RUN_NO_SYSCALL_FILTER : 0));
	if (d->run < 0)
		snprintf(d->err, sizeof(d->err), "%s: cannot record the run", o->dbpath);
	else if (d->control && db_run_set_control(db, d->run, d->control) < 0)
		snprintf(d->err, sizeof(d->err), "%s: cannot record the run's control socket: %s",
			 o->dbpath, sqlite3_errmsg(db));
	else
		d->writer = db_writer_start(o->dbpath, d->run, d->err, sizeof(d->err));
	timing_end(TIMING_DB);
	return NULL;
}

/* _fork_child - prepare OPS, then fork the command's process (which runs _child with X and
 * never returns here); PIPEFD[0] is left to read an exec failure's errno from. 0, or 125 when
 * OPS's prepare failed (said). */
static int _fork_child(const struct backend_ops *ops, struct launch *l, struct child_exec *x,
		       int pipefd[2])
{
	char err[512];
	sigset_t old;
	pid_t parent = getpid();
	int r;

	timing_begin(TIMING_FILTER);
	r = ops->prepare(l, err, sizeof(err));
	timing_end(TIMING_FILTER);
	if (r < 0) {
		errx("%s", err);
		return EXIT_SUPERVISE_FAIL;
	}
	if (pipe2(pipefd, O_CLOEXEC) < 0)
		die_errno("pipe2");
	if (sys_set_child_subreaper() < 0)
		die_errno("PR_SET_CHILD_SUBREAPER");
	reap_note_helpers(l);	/* the grant helper and the control gate are no part of the tree */
	if (!l->jail && ops->keeper) {
		if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, l->keeper) < 0)
			die_errno("socketpair");
		l->kept = true;
	}
	l->sigfd = _block_signals(&old);
	fflush(NULL);
	timing_begin(TIMING_FORK);
	l->child = fork();
	if (l->child < 0)
		die_errno("fork");
	if (l->child == 0) {
		close(pipefd[0]);
		_child(ops, l, parent, &old, pipefd[1], x);
	}
	close(pipefd[1]);
	return 0;
}

/* _take_over - while the child builds its jail: record the run and start the writer (D, in a
 * thread), and let OPS attach to the child. 0, or 125 with the child killed and reaped and the
 * reason said (by the child itself when it failed to set up). */
static int _take_over(const struct backend_ops *ops, struct launch *l, struct db_start *d)
{
	char err[512];
	pthread_t dbt;
	int r;

	r = pthread_create(&dbt, NULL, _db_start, d);
	if (r != 0)
		die("cannot start the database thread: %s", strerror(r));
	r = ops->attach(l, err, sizeof(err));
	pthread_join(dbt, NULL);
	l->sess->writer = d->writer;
	if (d->writer)	/* a log that cannot be written stops the tree (writer.h, reap.h) */
		db_writer_on_trouble(d->writer, reap_log_trouble, l,
				     l->sess->mode == MODE_ENFORCE ? LOG_HOLD_MS : 0);
	if (r >= 0 && !d->writer) {
		snprintf(err, sizeof(err), "%s", d->err);
		r = -1;
	}
	if (r >= 0)
		return 0;
	kill(l->child, SIGKILL);
	reap_wait_all(l);
	/* a child that failed to set up (jail, filter) has said why, and exits 125 */
	if (!WIFEXITED(l->status) || WEXITSTATUS(l->status) != EXIT_SUPERVISE_FAIL)
		errx("%s", err);
	return EXIT_SUPERVISE_FAIL;
}

/* _serve - serve L under OPS until the tree is gone, with live control and ask questions
 * around it for run RUN. */
static void _serve(const struct backend_ops *ops, struct launch *l, int64_t run)
{
	struct asker *asker;

	l->started = 1;
	if (l->ctl)	/* grant and revoke from now on (control.h) */
		control_start(l->ctl, l, l->sess->grant_ctx, run);
	asker = l->ask && l->ctl ? ask_start(l->ctl, l->sess, l->ask) : NULL;
	ops->serve(l);
	ask_stop(asker);
	if (l->ctl)
		control_stop(l->ctl);
}

int launch_run(const struct backend_ops *ops, struct launch *l, struct db_start *d,
	       struct child_exec *x)
{
	int pipefd[2], e = 0, r;

	if ((r = _fork_child(ops, l, x, pipefd)))
		return r;
	if (x->teed)
		output_tee_start(&x->tee);
	if (l->kept)
		close(l->keeper[1]);
	if ((r = _take_over(ops, l, d))) {
		close(pipefd[0]);
		return r;
	}
	_serve(ops, l, d->run);
	if (!l->jail)	/* in the jail, I marked the command's exit itself */
		timing_begin(TIMING_TEARDOWN);
	if (read(pipefd[0], &e, sizeof(e)) == sizeof(e))
		errx("%s: %s%s", l->argv[0], strerror(e),
		     l->jail && e == ENOENT ? " in the jail (the program, its ELF loader or its #! "
					      "interpreter is outside the profile's view)" : "");
	close(pipefd[0]);
	close(l->sigfd);
	if (l->kept)
		close(l->keeper[0]);
	return _exit_code(l->status);
}
