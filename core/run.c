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
#include "desktop.h"
#include "../jail/grant.h"
#include "../jail/landlock.h"
#include "args.h"
#include "globs.h"
#include "launch.h"
#include "learn_store.h"
#include "nethost.h"
#include "output.h"
#include "profile_load.h"
#include "../trap/reap.h"
#include "../trap/resolve.h"
#include "runopt.h"
#include "../trap/session.h"

extern char **environ;

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
	if (r < 0 && o->launcher)	/* say why a program of another name wants a profile */
		errx("%s (%s is a link to supervise, which runs the profile of its name)", err,
		     o->profile);
	else if (r < 0)
		errx("%s", err);
	return r < 0 ? EXIT_SUPERVISE_FAIL : 0;
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

/* Everything one run holds, from the profile to the exit status (run_main's phases). */
struct run {
	const struct run_opts *o;
	struct sysset sysallow;
	struct plan plan;
	struct jail_cfg jail;
	struct profile prof;
	struct session sess;
	struct launch l;
	char *exe, *cmdline, *cwd, *name, *wd, *persist;
	sqlite3 *db;
	struct args_made made;
	struct control ctl;
	struct ask_opts ask;
	struct child_exec x;
	struct jail_user user;
	const char *home;	/* "~" in the profile: $HOME, or --user's home */
	ssize_t home_rule;
	struct desktop desk;	/* x11, wayland, sound (core/desktop.h) */
	struct run_opts lo;	/* a launcher link's options: O with the profile's command */
	char **largv;		/* its argv (desktop_launcher_argv) */
};

/* _run_init - R for options O, nothing loaded yet. R must not move afterwards (it points into
 * itself). */
static void _run_init(struct run *R, const struct run_opts *o)
{
	*R = (struct run){ .o = o, .home = getenv("HOME"),
			   .ctl = { .gate = { .fd = -1 } }, .desk = DESKTOP_INIT,
			   .x = { .tee = { .file = -1, .out = { -1, -1 }, .err = { -1, -1 } } } };
	R->sess = (struct session){ .mode = o->mode, .profile = &R->prof, .quiet = o->quiet,
				    .log_all = o->log_all };
	R->l = (struct launch){ .argv = o->argv, .sess = &R->sess, .sigfd = -1,
				.kill_after_ms = o->kill_after_ms };
}

/* _run_load - --user, the database and the profile, the syscall allowlist and the executable.
 * 0, or the status to exit with (said). */
static int _run_load(struct run *R)
{
	const struct run_opts *o = R->o;
	char err[512];
	int status;

	if (o->user && jail_user_lookup(o->user, &R->user, err, sizeof(err)) < 0) {
		errx("%s", err);
		return EXIT_SUPERVISE_FAIL;
	}
	if (o->user)
		R->home = R->user.home;	/* "~" in the profile is the user's home */
	if (o->mode == MODE_LEARN && !(R->name = run_profile_name(o->name, o->argv[0])))
		return EXIT_SUPERVISE_FAIL;
	if ((status = _load(o, &R->db, &R->prof, R->home)))
		return status;
	if (o->launcher) {	/* the profile's command line, then the link's arguments */
		if (!(R->largv = desktop_launcher_argv(o, &R->prof)))
			return EXIT_SUPERVISE_FAIL;
		R->lo = *o;
		R->lo.argv = R->largv;
		o = R->o = &R->lo;
		R->l.argv = o->argv;
	}
	if (o->mode == MODE_LEARN && run_learn_check(R->db, R->name) < 0)
		return EXIT_SUPERVISE_FAIL;	/* the stored profile cannot be read: before the fork */
	R->sess.sysallow = o->no_syscall_filter ? NULL : _sysallow(o->mode, &R->prof, &R->sysallow);
	if (o->no_syscall_filter)	/* loud on purpose, and recorded in runs (db.h) */
		errx("WARNING: --no-syscall-filter: no syscall is refused, neither the jail's "
		     "dangerous ones nor those outside the profile's syscalls lines");
	R->exe = _find_exe(o->argv[0], &status);
	if (!R->exe) {
		errx("%s: %s", o->argv[0], status == 127 ? "command not found" : "Permission denied");
		return status;
	}
	R->l.exe = R->exe;
	return 0;
}

/* _run_ask - under enforce, when the profile or --ask wants questions: check they cannot be
 * faked, and set them up. 0 or 125 (said). */
static int _run_ask(struct run *R)
{
	const struct run_opts *o = R->o;
	char err[512];

	if (o->mode != MODE_ENFORCE || !ask_wanted(&R->prof, o->ask))
		return 0;
	/* the jail's refusal of TIOCSTI is part of the list --no-syscall-filter drops */
	if (ask_check(!o->no_jail && !o->no_syscall_filter, err, sizeof(err)) < 0) {
		errx("%s", err);
		return EXIT_SUPERVISE_FAIL;
	}
	R->ask = (struct ask_opts){ .timeout_s = o->ask_timeout_s ? o->ask_timeout_s : 30,
				    .profile = o->profile, .dbpath = o->dbpath, .home = R->home };
	R->l.ask = &R->ask;
	R->sess.ask_all = o->ask;
	return 0;
}

/* _run_args - the command line, the directories, this run's argument rules ("read @arg",
 * before the view), the home rule, ask questions and the control gate. 0 or 125 (said). */
static int _run_args(struct run *R)
{
	const struct run_opts *o = R->o;
	bool jailed = o->mode == MODE_ENFORCE && !o->no_jail;

	R->cmdline = util_shell_join(o->argv);
	R->cwd = getcwd(NULL, 0);
	if (o->mode != MODE_LEARN)
		args_expand(&R->prof, o->argv, R->cwd, getenv("HOME"), jailed, o->quiet, &R->made);
	if (o->cwd)
		R->wd = path_join_normalize(R->cwd ? R->cwd : "/", o->cwd);
	R->home_rule = run_home_rule(o, &R->prof, R->home);	/* before the plan: it points at rules */
	if (_run_ask(R))
		return EXIT_SUPERVISE_FAIL;
	/* on the host, before our own namespace; its rules before the plan */
	if (desktop_start(&R->desk, o, &R->prof, R->name ? R->name : o->profile, jailed,
			  o->user ? R->user.uid : (uid_t)-1))
		return EXIT_SUPERVISE_FAIL;
	/* before our own namespace (_jail_setup): see gate.h */
	if (R->prof.opts.landlock == LANDLOCK_FS && jailed)
		info("no control socket: \"landlock fs\" fixes the jail's rights at start");
	else if (o->root)	/* a live grant would mount a host path into the tree */
		info("no control socket: --root builds the view from a tree, not the host");
	else	/* a ruleset fixed at start would block live grants (jail/landlock.h) */
		control_gate(&R->ctl, &R->prof, jailed);
	R->l.ctl = &R->ctl;
	return 0;
}

/* _run_jail - the jail's plan and options, or the unjailed run's; what the child execs with.
 * 0 or 125 (said). */
static int _run_jail(struct run *R)
{
	const struct run_opts *o = R->o;
	struct jail_user *user = o->user ? &R->user : NULL;
	char err[512];
	int status;

	if ((status = _jail_setup(o, &R->prof, R->cwd, &R->plan, &R->jail, &R->sess)))
		return status;
	if (R->jail.plan && (status = run_jail_opts(o, &R->prof, R->home, user, R->wd, R->home_rule,
						    &R->plan, &R->jail, &R->persist)))
		return status;
	if (!R->jail.plan)
		run_opts_unjailed(o, &R->prof);
	R->jail.no_syscall_filter = o->no_syscall_filter;
	/* Landlock's rules are opened on the host, before the jail (jail.c): none for a tree */
	R->jail.landlock = R->jail.plan && !o->root ?
			   landlock_layers(R->prof.opts.landlock, R->ctl.gate.fd >= 0) : 0;
	R->l.jail = R->jail.plan ? &R->jail : NULL;
	R->x.argv = run_argv(o);
	R->x.envp = run_env(o, &R->prof, user);
	desktop_env(&R->desk, &R->x.envp);	/* DISPLAY and XAUTHORITY of x11 nested or host */
	R->x.jc = (struct jail_child){ .opts = o->mode == MODE_LEARN ? NULL : &R->prof.opts,
				       .user = !R->l.jail ? user : NULL,
				       .cwd = R->l.jail ? NULL : R->wd };
	if (o->log_output && !o->daemon) {
		if (output_tee_open(&R->x.tee, o->log_output, err, sizeof(err)) < 0) {
			errx("%s", err);
			return EXIT_SUPERVISE_FAIL;
		}
		R->x.teed = true;
	}
	return 0;
}

/* _run_end - after the launch that ended with STATUS of run RUN: stop the writer, record the
 * end, say what is worth saying, store what learn learned. Returns the final status. */
static int _run_end(struct run *R, int64_t run, int status)
{
	const struct run_opts *o = R->o;
	struct session *sess = &R->sess;
	uint64_t written = 0;
	bool log_failed = false;

	if (sess->writer && db_writer_stop(sess->writer, &written) < 0) {
		status = EXIT_SUPERVISE_FAIL;	/* said once, by the writer */
		log_failed = true;
	}
	sess->writer = NULL;
	if (o->mode == MODE_LEARN)	/* the next run's x11 line brings its own display */
		desktop_learn_filter(&R->desk, sess);
	desktop_stop(&R->desk);	/* the program is gone: so is its display */
	if (run >= 0 && db_run_end(R->db, run, status) < 0 && !log_failed)
		errx("%s: cannot record the end of run %lld: %s", o->dbpath, (long long)run,
		     sqlite3_errmsg(R->db));
	/* a probe storm is announced once, not each probe (trap/session.c); a few are not */
	if (sess->probes && !o->quiet && (sess->probes >= PROBES_SAID || o->verbose))
		errx("%llu lookups of missing paths failed with ENOENT, as without supervise "
		     "(supervise log --run %lld --denied)", (unsigned long long)sess->probes,
		     (long long)run);
	if (o->mode == MODE_LEARN && R->l.started &&
	    run_learn_store(R->db, R->name, sess, o, run, log_failed) < 0)
		status = EXIT_SUPERVISE_FAIL;
	return status;
}

/* _run_go - launch the command under the chosen backend and end the run. The final status. */
static int _run_go(struct run *R)
{
	const struct run_opts *o = R->o;
	const struct backend_ops *ops;
	struct db_start dbs;
	int status;

	/* see trap/session.c; without the refused list a thread may change its root under a cached
	 * decision (unshare -U then chroot or mount): decide every call then */
	R->sess.cache = (R->l.jail != NULL && !o->no_syscall_filter) || o->mode == MODE_LEARN;
	R->sess.ppid_of = resolve_ppid;	/* exec rows name who started the program (graph) */
	if (o->mode == MODE_LEARN && resolve_share_root() < 0)	/* no jail: see resolve.h */
		info("cannot open /: looking up each path's root in /proc");
	ops = backend_select(o->backend, o->backtrace);
	R->l.backtrace = o->backtrace;
	dbs = (struct db_start){ .db = R->db, .o = o, .name = R->name, .cmdline = R->cmdline,
				 .cwd = R->cwd, .run = -1,
				 .control = R->ctl.gate.fd >= 0 ? R->ctl.gate.path : NULL };
	status = launch_run(ops, &R->l, &dbs, &R->x);
	output_tee_stop(&R->x.tee);	/* the tree is gone: the copy has read everything */
	ops->release(&R->l);
	return _run_end(R, dbs.run, status);
}

/* _run_free - everything R holds released, the helpers stopped. */
static void _run_free(struct run *R)
{
	output_tee_stop(&R->x.tee);
	free(R->x.argv);
	opts_env_free(R->x.envp);
	jail_user_free(&R->user);
	args_cleanup(&R->made);
	control_stop(&R->ctl);
	granter_stop(R->sess.grant_ctx);
	free(R->sess.granted);
	plan_free(&R->plan);
	free((char *)R->jail.root);	/* --root: resolved by run_jail_opts, kept for the run */
	session_free(&R->sess);
	policy_free(&R->prof);
	db_close(R->db);
	free(R->exe);
	free(R->cmdline);
	free(R->cwd);
	free(R->name);
	free(R->wd);
	free(R->persist);
	desktop_stop(&R->desk);
	free(R->largv);
}

int run_main(const struct run_opts *o)
{
	struct run R;
	int status;

	if (o->daemon && (status = output_daemon(o->log_output)) != 0)
		return status > 0 ? 0 : EXIT_SUPERVISE_FAIL;	/* the parent: the run goes on */
	_run_init(&R, o);
	if (!(status = _run_load(&R)) && !(status = _run_args(&R)) && !(status = _run_jail(&R)))
		status = _run_go(&R);
	_run_free(&R);
	return status;
}
