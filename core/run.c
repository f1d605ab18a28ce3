/* run.c - launch a command under a backend, wait for it, record and (in learn mode) write the
 * profile. Setup failures end with status 125 before the command can run unsupervised.
 */
#include "run.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../common/path.h"
#include "../common/sys.h"
#include "../common/timing.h"
#include "../common/util.h"
#include "../db/db.h"
#include "../db/writer.h"
#include "../trap/backend.h"
#include "backend_select.h"
#include "ask.h"
#include "control.h"
#include "../jail/grant.h"
#include "../jail/landlock.h"
#include "args.h"
#include "globs.h"
#include "keeper.h"
#include "learn_store.h"
#include "nethost.h"
#include "output.h"
#include "profile_load.h"
#include "../trap/reap.h"
#include "../trap/resolve.h"
#include "runopt.h"
#include "../trap/session.h"

extern char **environ;

/* How long enforce holds the program stopped while the event writer retries a failed write. */
#define LOG_HOLD_MS 5000

/* From this many lookups of missing paths on, the end of a run says how many there were. */
#define PROBES_SAID 50

/* _find_exe - the executable ARGV0 names, searched in $PATH when it has no '/'.
 * Returns malloc'd, or NULL with *STATUS = 127 (not found) or 126 (found, not executable). */
static char *_find_exe(const char *argv0, int *status)
{
	const char *path = getenv("PATH");
	_cleanup_free_ char *copy = NULL;
	char *save = NULL, *dir;
	bool seen = false;

	*status = 127;
	if (strchr(argv0, '/')) {
		if (access(argv0, F_OK) < 0)
			return NULL;
		*status = 126;
		return access(argv0, X_OK) == 0 ? xstrdup(argv0) : NULL;
	}
	copy = xstrdup(path && *path ? path : "/usr/local/bin:/usr/bin:/bin");
	for (dir = strtok_r(copy, ":", &save); dir; dir = strtok_r(NULL, ":", &save)) {
		_cleanup_free_ char *cand = xasprintf("%s/%s", *dir ? dir : ".", argv0);
		struct stat st;

		if (stat(cand, &st) < 0 || S_ISDIR(st.st_mode))
			continue;
		seen = true;
		if (access(cand, X_OK) == 0)
			return steal_pointer(&cand);
	}
	if (seen)
		*status = 126;
	return NULL;
}

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

/* What the command is started with besides the launch (issue 12): see runopt.h, output.h. */
struct child_exec {
	char **argv, **envp;		/* --procname; the profile's environment */
	struct jail_child jc;		/* rlimits, and --user and --cwd without the jail */
	struct output_tee tee;		/* --log-output (without --daemon) */
	bool teed;
};

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

/* _launch - fork the command under OPS with X, record the run (D) and serve it. Returns the
 * exit status. */
static int _launch(const struct backend_ops *ops, struct launch *l, struct db_start *d,
		   struct child_exec *x)
{
	char err[512];
	sigset_t old;
	int pipefd[2], e = 0, r;
	pid_t parent = getpid();
	pthread_t dbt;
	struct asker *asker;

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
	if (x->teed)
		output_tee_start(&x->tee);
	if (l->kept)
		close(l->keeper[1]);
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
	if (r < 0) {
		kill(l->child, SIGKILL);
		reap_wait_all(l);
		/* a child that failed to set up (jail, filter) has said why, and exits 125 */
		if (!WIFEXITED(l->status) || WEXITSTATUS(l->status) != EXIT_SUPERVISE_FAIL)
			errx("%s", err);
		close(pipefd[0]);
		return EXIT_SUPERVISE_FAIL;
	}
	l->started = 1;
	if (l->ctl)	/* grant and revoke from now on (control.h) */
		control_start(l->ctl, l, l->sess->grant_ctx, d->run);
	asker = l->ask && l->ctl ? ask_start(l->ctl, l->sess, l->ask) : NULL;
	ops->serve(l);
	ask_stop(asker);
	if (l->ctl)
		control_stop(l->ctl);
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

/* _load - open the DB and, for enforce/audit, load the profile into S and resolve the host
 * names of its connect rules. 0 or status 125. */
static int _load(const struct run_opts *o, sqlite3 **db, struct profile *p, const char *home)
{
	char err[512];
	int r;

	timing_begin(TIMING_DB);
	r = db_open(o->dbpath, db, err, sizeof(err));
	if (r == 0)
		db_keep_wal(*db);	/* closed last: the next run need not create -wal and -shm */
	timing_end(TIMING_DB);
	if (r < 0) {
		errx("%s", err);
		return EXIT_SUPERVISE_FAIL;
	}
	if (o->mode == MODE_LEARN)
		return 0;
	timing_begin(TIMING_PROFILE);
	r = profile_load(*db, o->profile, home, p, err, sizeof(err));
	if (r == 0)
		nethost_resolve(p);	/* connect rules naming hosts: once, at start */
	timing_end(TIMING_PROFILE);
	if (r < 0) {
		errx("%s", err);
		return EXIT_SUPERVISE_FAIL;
	}
	return 0;
}

/* _grant_cb - session grant hook: mount rule R's host path into TID's jail. */
static int _grant_cb(void *ctx, pid_t tid, const struct rule *r)
{
	char canon[PATH_MAX];

	if (!realpath(r->pattern, canon))
		return -errno;
	return granter_mount(ctx, tid, canon, plan_attrs(policy_rights(r->kind)));
}

/* _grants_setup - for a jail: enter our own user+mount namespace and start the grant helper
 * (single-threaded, before anything else starts a thread), which mounts grant lines on their
 * first touch and live grants (control.h). 0 or 125. */
static int _grants_setup(const struct profile *p, struct session *s)
{
	size_t n = 0;
	int r;

	for (size_t i = 0; i < p->n; i++)
		n += p->rules[i].grant;
	r = grant_enter_own_ns();
	if (r < 0) {
		errx("cannot set up runtime grants (own user namespace): %s", strerror(-r));
		return EXIT_SUPERVISE_FAIL;
	}
	s->grant_ctx = granter_start();
	if (!s->grant_ctx)
		return EXIT_SUPERVISE_FAIL;
	if (!n)
		return 0;
	s->grant = _grant_cb;
	s->granted = xcalloc(p->n, sizeof(*s->granted));
	return 0;
}

/* _jail_setup - for enforce (unless --no-jail): the plan of P's view into PL and CFG. 0 or 125. */
static int _jail_setup(const struct run_opts *o, struct profile *p, const char *cwd,
		       struct plan *pl, struct jail_cfg *cfg, struct session *s)
{
	char err[512];
	int r;

	if (o->mode != MODE_ENFORCE || o->no_jail)
		return 0;
	timing_begin(TIMING_PROFILE);
	/* wildcards are matched against the host; with --root they are not mounted (supervise(1)) */
	r = o->root ? 0 : globs_expand(p, err, sizeof(err));
	if (r == 0)
		plan_build(p, pl);
	timing_end(TIMING_PROFILE);
	if (r < 0) {
		errx("%s: %s", o->profile, err);
		return EXIT_SUPERVISE_FAIL;
	}
	*cfg = (struct jail_cfg){
		.plan = pl, .net = p->net == NET_UNSET ? NET_NONE : p->net,
		.cwd = cwd ? cwd : "/", .verbose = o->verbose, .strict = o->strict,
		.netrules = p->netrules, .nnet = p->nnet,
	};
	/* root with --user or caps runs the jail without user namespaces (jail.h: real_ids), so
	 * supervise stays in the host's: no grants then (run_jail_opts refuses grant lines) */
	r = getuid() == 0 && (o->user || p->opts.caps) ? 0 : _grants_setup(p, s);
	cfg->grants = s->grant != NULL;
	return r;
}

/* _sysallow - the run's syscall allowlist into *SET: @default for learn (what lies outside it is
 * recorded), the profile's "syscalls" lines otherwise. Returns SET, or NULL for no list. */
static const struct sysset *_sysallow(enum run_mode mode, const struct profile *p, struct sysset *set)
{
	if (mode == MODE_LEARN) {
		sysset_default(set);
		return set;
	}
	return policy_syscalls(p, set) ? set : NULL;
}

int run_main(const struct run_opts *o)
{
	struct sysset sysallow;
	struct plan plan = { 0 };
	struct jail_cfg jail = { 0 };
	struct profile prof = { 0 };
	struct session sess = { .mode = o->mode, .profile = &prof, .quiet = o->quiet,
				.log_all = o->log_all };
	struct launch l = { .argv = o->argv, .sess = &sess, .sigfd = -1,
			    .kill_after_ms = o->kill_after_ms };
	const struct backend_ops *ops;
	_cleanup_free_ char *exe = NULL, *cmdline = NULL, *cwd = NULL, *name = NULL;
	sqlite3 *db = NULL;
	uint64_t written = 0;
	int64_t run = -1;
	struct db_start dbs;
	struct args_made made = { 0 };
	struct control ctl = { .gate = { .fd = -1 } };
	struct ask_opts ask;
	bool log_failed = false;
	int status;
	struct child_exec x = { .tee = { .file = -1, .out = { -1, -1 }, .err = { -1, -1 } } };
	struct jail_user user = { 0 };
	_cleanup_free_ char *wd = NULL, *persist = NULL;
	const char *home = getenv("HOME");
	ssize_t home_rule;
	char err[512];

	if (o->daemon && (status = output_daemon(o->log_output)) != 0)
		return status > 0 ? 0 : EXIT_SUPERVISE_FAIL;	/* the parent: the run goes on */
	if (o->user && jail_user_lookup(o->user, &user, err, sizeof(err)) < 0) {
		errx("%s", err);
		return EXIT_SUPERVISE_FAIL;
	}
	if (o->user)
		home = user.home;	/* "~" in the profile is the user's home */
	if (o->mode == MODE_LEARN && !(name = run_profile_name(o->name, o->argv[0])))
		status = EXIT_SUPERVISE_FAIL;
	else
		status = _load(o, &db, &prof, home);
	if (!status && o->mode == MODE_LEARN && run_learn_check(db, name) < 0)
		status = EXIT_SUPERVISE_FAIL;	/* the stored profile cannot be read: before the fork */
	if (status)
		goto out;
	sess.sysallow = o->no_syscall_filter ? NULL : _sysallow(o->mode, &prof, &sysallow);
	if (o->no_syscall_filter)	/* loud on purpose, and recorded in runs (db.h) */
		errx("WARNING: --no-syscall-filter: no syscall is refused, neither the jail's "
		     "dangerous ones nor those outside the profile's syscalls lines");
	exe = _find_exe(o->argv[0], &status);
	if (!exe) {
		errx("%s: %s", o->argv[0], status == 127 ? "command not found" : "Permission denied");
		goto out;
	}
	cmdline = util_shell_join(o->argv);
	cwd = getcwd(NULL, 0);
	l.exe = exe;
	if (o->mode != MODE_LEARN)	/* "read @arg": this run's arguments, before the view */
		args_expand(&prof, o->argv, cwd, getenv("HOME"), o->mode == MODE_ENFORCE &&
			    !o->no_jail, o->quiet, &made);
	if (o->cwd)
		wd = path_join_normalize(cwd ? cwd : "/", o->cwd);
	home_rule = run_home_rule(o, &prof, home);	/* before the plan: it points at rules */
	if (o->mode == MODE_ENFORCE && ask_wanted(&prof, o->ask)) {
		/* the jail's refusal of TIOCSTI is part of the list --no-syscall-filter drops */
		if (ask_check(!o->no_jail && !o->no_syscall_filter, err, sizeof(err)) < 0) {
			errx("%s", err);
			status = EXIT_SUPERVISE_FAIL;
			goto out;
		}
		ask = (struct ask_opts){ .timeout_s = o->ask_timeout_s ? o->ask_timeout_s : 30,
					 .profile = o->profile, .dbpath = o->dbpath, .home = home };
		l.ask = &ask;
		sess.ask_all = o->ask;
	}
	/* before our own namespace (_jail_setup): see gate.h */
	if (prof.opts.landlock == LANDLOCK_FS && o->mode == MODE_ENFORCE && !o->no_jail)
		info("no control socket: \"landlock fs\" fixes the jail's rights at start");
	else if (o->root)	/* a live grant would mount a host path into the tree */
		info("no control socket: --root builds the view from a tree, not the host");
	else	/* a ruleset fixed at start would block live grants (jail/landlock.h) */
		control_gate(&ctl, &prof, o->mode == MODE_ENFORCE && !o->no_jail);
	l.ctl = &ctl;
	if ((status = _jail_setup(o, &prof, cwd, &plan, &jail, &sess)))
		goto out;
	if (jail.plan && (status = run_jail_opts(o, &prof, home, o->user ? &user : NULL, wd,
						  home_rule, &plan, &jail, &persist)))
		goto out;
	if (!jail.plan)
		run_opts_unjailed(o, &prof);
	jail.no_syscall_filter = o->no_syscall_filter;
	/* Landlock's rules are opened on the host, before the jail (jail.c): none for a tree */
	jail.landlock = jail.plan && !o->root ? landlock_layers(prof.opts.landlock, ctl.gate.fd >= 0) : 0;
	l.jail = jail.plan ? &jail : NULL;
	x.argv = run_argv(o);
	x.envp = run_env(o, &prof, o->user ? &user : NULL);
	x.jc = (struct jail_child){ .opts = o->mode == MODE_LEARN ? NULL : &prof.opts,
				    .user = !l.jail && o->user ? &user : NULL,
				    .cwd = l.jail ? NULL : wd };
	if (o->log_output && !o->daemon) {
		if (output_tee_open(&x.tee, o->log_output, err, sizeof(err)) < 0) {
			errx("%s", err);
			status = EXIT_SUPERVISE_FAIL;
			goto out;
		}
		x.teed = true;
	}
	/* see trap/session.c; without the refused list a thread may change its root under a cached
	 * decision (unshare -U then chroot or mount): decide every call then */
	sess.cache = (l.jail != NULL && !o->no_syscall_filter) || o->mode == MODE_LEARN;
	sess.ppid_of = resolve_ppid;	/* exec rows name who started the program (graph) */
	if (o->mode == MODE_LEARN && resolve_share_root() < 0)	/* no jail: see resolve.h */
		info("cannot open /: looking up each path's root in /proc");
	ops = backend_select(o->backend, o->backtrace);
	l.backtrace = o->backtrace;
	dbs = (struct db_start){ .db = db, .o = o, .name = name, .cmdline = cmdline, .cwd = cwd,
				 .control = ctl.gate.fd >= 0 ? ctl.gate.path : NULL, .run = -1 };
	status = _launch(ops, &l, &dbs, &x);
	output_tee_stop(&x.tee);	/* the tree is gone: the copy has read everything */
	run = dbs.run;
	ops->release(&l);
	if (sess.writer && db_writer_stop(sess.writer, &written) < 0) {
		status = EXIT_SUPERVISE_FAIL;	/* said once, by the writer */
		log_failed = true;
	}
	sess.writer = NULL;
	if (run >= 0 && db_run_end(db, run, status) < 0 && !log_failed)
		errx("%s: cannot record the end of run %lld: %s", o->dbpath, (long long)run,
		     sqlite3_errmsg(db));
	/* a probe storm is announced once, not each probe (trap/session.c); a few are not */
	if (sess.probes && !o->quiet && (sess.probes >= PROBES_SAID || o->verbose))
		errx("%llu lookups of missing paths failed with ENOENT, as without supervise "
		     "(supervise log --run %lld --denied)", (unsigned long long)sess.probes, (long long)run);
	if (o->mode == MODE_LEARN && l.started &&
	    run_learn_store(db, name, &sess, o, run, log_failed) < 0)
		status = EXIT_SUPERVISE_FAIL;
out:
	output_tee_stop(&x.tee);
	free(x.argv);
	opts_env_free(x.envp);
	jail_user_free(&user);
	args_cleanup(&made);
	control_stop(&ctl);
	granter_stop(sess.grant_ctx);
	free(sess.granted);
	plan_free(&plan);
	free((char *)jail.root);	/* --root: resolved by run_jail_opts, kept for the run */
	session_free(&sess);
	policy_free(&prof);
	db_close(db);
	return status;
}
