/* launch.c - sv_launch and sv_wait: `supervise --enforce` from C. The supervisor is run_main of
 * core/run.c, the function the CLI's main calls, in a forked child whose stdin, stdout and
 * stderr are the pipes; there is no second engine. A child, because run_main is a process's
 * whole life (it blocks signals into a signalfd, becomes a child subreaper, starts threads and
 * ends a setup failure with exit 125), none of which may happen to the caller.
 *
 * Why this is safe for the caller:
 * - the child keeps only the three pipes (close_range): the program cannot inherit the caller's
 *   descriptors;
 * - the child ends with _exit, never running the caller's atexit handlers or flushing its stdio
 *   buffers twice (flushed before the fork) — except through die(), which run_main calls only for
 *   failures of setup such as an impossible fork, after which it exits 125 at once;
 * - the supervisor dies with the calling thread (PR_SET_PDEATHSIG), and the program with it.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../common/sys.h"
#include "../common/pipes.h"
#include "../common/util.h"
#include "../core/run.h"
#include "../db/db.h"
#include "../policy/policy.h"
#include "internal.h"

/* _spec - in the child: the profile argument of run_main for POLICY: its name, or the path of a
 * memfd holding its text (fd 3), malloc'd. NULL on failure, said on stderr. */
static char *_spec(const struct sv_policy *policy)
{
	size_t len;
	int fd;

	if (!policy->profile)
		return xstrdup(policy->name);
	len = strlen(policy->profile);
	fd = memfd_create("profile", MFD_CLOEXEC);
	if (fd < 0 || write(fd, policy->profile, len) != (ssize_t)len) {
		fprintf(stderr, "supervise: cannot hold the profile text: %s\n", strerror(errno));
		return NULL;
	}
	return xasprintf("/proc/self/fd/%d", fd);
}

/* _child - the supervisor: stdio from FDS (stdin read end, stdout and stderr write ends), then
 * run_main as `supervise --enforce`. Never returns. */
static void __attribute__((noreturn)) _child(char *const argv[], const struct sv_policy *policy,
					     const struct sv_launch_opts *o, int fds[3])
{
	_cleanup_free_ char *cwd = NULL, *db = NULL, *spec = NULL;

	if (sys_set_pdeathsig(SIGKILL) < 0 || lib_move_fds(fds, 3, 0) < 0 ||
	    lib_close_fds_from(3) < 0)
		_exit(EXIT_SUPERVISE_FAIL);
	cwd = getcwd(NULL, 0);
	policy_set_cwd(cwd);	/* as cli/main.c */
	util_verbosity = o->verbose ? 2 : 0;
	db = db_default_path(policy->db);
	if (!db) {
		fprintf(stderr, "supervise: cannot find a place for the database: set HOME, "
				"XDG_DATA_HOME or SUPERVISE_DB\n");
		_exit(EXIT_SUPERVISE_FAIL);
	}
	if (!(spec = _spec(policy)))
		_exit(EXIT_SUPERVISE_FAIL);
	_exit(run_main(&(struct run_opts){
		.mode = MODE_ENFORCE, .profile = spec, .dbpath = db, .argv = (char **)argv,
		.backend = BACKEND_AUTO, .quiet = !o->verbose, .verbose = o->verbose > 1,
		.no_jail = o->no_jail, .strict = o->flags & SV_STRICT,
		.kill_after_ms = o->kill_after_ms,
	}));
}

/* _close_pair - close both ends of pipe P that are open (>= 0). */
static void _close_pair(int p[2])
{
	for (int i = 0; i < 2; i++)
		if (p[i] >= 0)
			close(p[i]);
}

SV_API int sv_launch(char *const argv[], const struct sv_policy *policy,
		     const struct sv_launch_opts *opts, struct sv_proc **proc)
{
	static const struct sv_launch_opts none;
	int in[2] = { -1, -1 }, out[2] = { -1, -1 }, err[2] = { -1, -1 }, r = 0;
	struct sv_proc *p;

	if (!argv || !argv[0] || !policy || (!policy->profile && !policy->name) || !proc)
		return -EINVAL;
	*proc = NULL;
	p = malloc(sizeof(*p));
	if (!p)
		return -ENOMEM;
	if (pipe2(in, O_CLOEXEC) < 0 || pipe2(out, O_CLOEXEC) < 0 || pipe2(err, O_CLOEXEC) < 0)
		r = -errno;
	if (r == 0) {
		fflush(NULL);	/* or the child would hold the caller's pending output too */
		p->pid = fork();
		if (p->pid == 0)
			_child(argv, policy, opts ? opts : &none, (int[3]){ in[0], out[1], err[1] });
		if (p->pid < 0)
			r = -errno;
	}
	if (r < 0) {
		_close_pair(in);
		_close_pair(out);
		_close_pair(err);
		free(p);
		return r;
	}
	close(in[0]);
	close(out[1]);
	close(err[1]);
	p->stdin_fd = in[1];
	p->stdout_fd = out[0];
	p->stderr_fd = err[0];
	*proc = p;
	return 0;
}

SV_API int sv_wait(struct sv_proc *proc, int *status)
{
	int st, r = 0;

	if (!proc)
		return -EINVAL;
	if (proc->stdin_fd >= 0)
		close(proc->stdin_fd);
	/* closing the pipes unread would kill a writer with SIGPIPE (the supervisor's own last
	 * message included), and reading one only could leave the other full */
	pipes_drain((int[2]){ proc->stdout_fd, proc->stderr_fd }, NULL, NULL, true);
	while (waitpid(proc->pid, &st, 0) < 0) {
		if (errno != EINTR) {
			r = -errno;
			break;
		}
	}
	if (r == 0 && status)
		*status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	free(proc);
	return r;
}
