/* isolate.c - sv_run_isolated: one function in a child confined as `supervise --enforce` confines
 * a command: the same profile loading (core/profile_load.c), the same view (jail/plan.c and
 * jail/jail.c: namespaces, mounts, no capabilities, no_new_privs), the same refused syscalls
 * (trap/confine.c) and the profile's syscall list (trap/filter.c), here with no supervisor: the
 * function runs in the process that would have executed the command, so no trapped call needs an
 * answer and what lies outside the view is simply absent (ENOENT) or masked.
 *
 * Process layout: caller ── X (= jail's C) ── I (pid 1) ── the function (pid 2).
 * Channels, each a pipe: DATA (the function's result bytes), CTL (its return value, written only
 * when it returned: its absence tells a crash or an exit), ERR (X's stderr while the profile is
 * loaded and the jail built: jail.c reports there and exits 125).
 *
 * Why the caller is safe:
 * - everything that can fail or crash runs in the forked child; the caller only reads pipes and
 *   waits for its one child, with EINTR retried;
 * - the child keeps only its stdio and the three pipes (close_range), so the function cannot
 *   reach the caller's other descriptors (a database, a socket) from inside the jail;
 * - X dies with the calling thread (PR_SET_PDEATHSIG), and the pid namespace with I.
 */
#include <errno.h>
#include <fcntl.h>
#include <seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../common/sys.h"
#include "../common/util.h"
#include "../trap/confine.h"
#include "../trap/filter.h"
#include "../core/globs.h"
#include "../core/profile_load.h"
#include "../db/db.h"
#include "../jail/jail.h"
#include "../jail/plan.h"
#include "internal.h"

enum { FD_DATA = 3, FD_CTL, FD_ERR, FD_STDERR, FD_N = 4 };

/* _load - in X: POLICY's profile into *P (see sv_policy), errors written to stderr. 0 or -1. */
static int _load(const struct sv_policy *policy, struct profile *p)
{
	char err[512] = "";
	const char *home = getenv("HOME");
	_cleanup_free_ char *dbpath = NULL;
	sqlite3 *db = NULL;
	int r = 0;

	if (policy->name || policy->db) {
		dbpath = db_default_path(policy->db);
		if (!dbpath) {
			fprintf(stderr, "cannot find the database: set HOME, XDG_DATA_HOME or SUPERVISE_DB\n");
			return -1;
		}
		if (!(policy->name && profile_is_file(policy->name)))
			r = db_open(dbpath, &db, err, sizeof(err));
	}
	if (r == 0 && policy->profile)
		r = profile_parse_full(db, policy->profile, "profile", home, p, err, sizeof(err));
	else if (r == 0)
		r = profile_load(db, policy->name, home, p, err, sizeof(err));
	db_close(db);
	if (r == 0)
		r = globs_expand(p, err, sizeof(err));
	if (r < 0)
		fprintf(stderr, "%s\n", err);
	return r < 0 ? -1 : 0;
}

/* _filter - in the function's process, after the jail: the refused syscalls of the jail and the
 * profile's syscall list P (refused: EPERM, STRICT kill). Errors to stderr; 0 or -1. */
static int _filter(const struct profile *p, bool strict)
{
	uint32_t refuse = strict ? SCMP_ACT_KILL_PROCESS : SCMP_ACT_ERRNO(EPERM);
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
	struct sysset set;
	int r = ctx ? confine_add(ctx, strict) : -ENOMEM;

	if (r == 0 && policy_syscalls(p, &set))
		r = sc_filter_add_outside(ctx, refuse, &set, true, strict);
	if (r == 0)
		r = seccomp_load(ctx);
	seccomp_release(ctx);
	if (r < 0)
		fprintf(stderr, "seccomp filter: %s\n", strerror(-r));
	return r < 0 ? -1 : 0;
}

/* _child - X: load, jail, filter, run FN(ARG) with FDS (data, ctl, err pipes' write ends).
 * Never returns: 125 for a setup failure (said on the err pipe), 0 after FN returned. */
static void __attribute__((noreturn)) _child(sv_fn fn, void *arg, const struct sv_policy *policy,
					     int fds[3])
{
	int keep[FD_N] = { fds[0], fds[1], fds[2], 2 }, ret;
	struct profile prof = { 0 };
	struct plan plan = { 0 };
	struct jail_cfg cfg;
	_cleanup_free_ char *cwd = getcwd(NULL, 0);

	if (sys_set_pdeathsig(SIGKILL) < 0 || lib_move_fds(keep, FD_N, FD_DATA) < 0 ||
	    lib_close_fds_from(FD_DATA + FD_N) < 0 || dup2(FD_ERR, 2) < 0)
		_exit(EXIT_SUPERVISE_FAIL);
	policy_set_cwd(cwd);
	if (_load(policy, &prof) < 0)
		_exit(EXIT_SUPERVISE_FAIL);
	plan_build(&prof, &plan);
	cfg = (struct jail_cfg){
		.plan = &plan, .net = prof.net == NET_UNSET ? NET_NONE : prof.net,
		.cwd = cwd ? cwd : "/", .strict = policy->flags & SV_STRICT,
		.netrules = prof.netrules, .nnet = prof.nnet,
	};
	jail_enter(&cfg);	/* returns in pid 2 of the jail, or exits 125 having said why */
	if (_filter(&prof, policy->flags & SV_STRICT) < 0)
		_exit(EXIT_SUPERVISE_FAIL);
	if (dup2(FD_STDERR, 2) < 0)
		_exit(EXIT_SUPERVISE_FAIL);
	close(FD_STDERR);
	close(FD_ERR);
	ret = fn(arg, FD_DATA);
	fflush(NULL);	/* the caller's buffers were flushed before the fork: these are FN's */
	close(FD_DATA);
	if (write(FD_CTL, &ret, sizeof(ret)) != sizeof(ret))
		_exit(EXIT_SUPERVISE_FAIL);
	_exit(0);
}

/* _drain - read FD to its end into *BUF and *LEN (NUL-terminated), keeping at most MAX bytes and
 * discarding the rest, so the writer never blocks. 0, 1 when bytes were discarded, -errno. */
static int _drain(int fd, char **buf, size_t *len, size_t max)
{
	size_t cap = 0;
	bool cut = false;
	char chunk[8192];
	ssize_t n;

	for (;;) {
		n = read(fd, chunk, sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			break;
		if (*len + (size_t)n > max) {
			cut = true;
			continue;
		}
		if (*len + (size_t)n + 1 > cap) {
			char *grown = realloc(*buf, (cap = 2 * (*len + (size_t)n + 1)));

			if (!grown)
				return -ENOMEM;
			*buf = grown;
		}
		memcpy(*buf + *len, chunk, (size_t)n);
		*len += (size_t)n;
	}
	if (!*buf && !(*buf = malloc(1)))
		return -ENOMEM;
	(*buf)[*len] = 0;
	return cut;
}

/* _outcome - the return of sv_run_isolated from what came back: whether the function's return
 * value arrived (GOT), the wait status ST, the data state CUT; fills RES's status and signal. */
static int _outcome(struct sv_result *res, bool got, int st, int cut)
{
	int code = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);

	res->status = code;
	if (got && code == 0)
		return cut ? -SV_ETOOBIG : 0;
	if (code > 128 && code < 128 + 65) {	/* jail.c relays a signal death as 128+N */
		res->signal = code - 128;
		return res->signal == SIGSYS ? -SV_EVIOLATION : -SV_ECRASHED;
	}
	if (code == EXIT_SUPERVISE_FAIL && res->error[0])
		return -SV_ESETUP;
	return -SV_EEXITED;
}

/* _pipes - three pipes (close-on-exec) into P; 0 or -errno (none left open). */
static int _pipes(int p[3][2])
{
	for (int i = 0; i < 3; i++) {
		if (pipe2(p[i], O_CLOEXEC) < 0) {
			int e = errno;

			while (i-- > 0) {
				close(p[i][0]);
				close(p[i][1]);
			}
			return -e;
		}
	}
	return 0;
}

SV_API int sv_run_isolated(sv_fn fn, void *arg, const struct sv_policy *policy,
			   struct sv_result *result)
{
	int p[3][2], wfds[3], st = 0, ret = 0, r, cut;
	char *err = NULL;
	size_t elen = 0;
	bool got;
	pid_t pid;

	if (!result)
		return -EINVAL;
	memset(result, 0, sizeof(*result));
	if (!fn || !policy || (!policy->profile && !policy->name))
		return -EINVAL;
	if ((r = _pipes(p)) < 0)
		return r;
	fflush(NULL);	/* or the child would write the caller's pending output again */
	pid = fork();
	if (pid == 0) {
		for (int i = 0; i < 3; i++) {
			close(p[i][0]);
			wfds[i] = p[i][1];
		}
		_child(fn, arg, policy, wfds);
	}
	for (int i = 0; i < 3; i++)
		close(p[i][1]);
	r = pid < 0 ? -errno : 0;
	cut = r ? 0 : _drain(p[0][0], (char **)&result->data, &result->len, SV_RESULT_MAX);
	got = r == 0 && read(p[1][0], &ret, sizeof(ret)) == sizeof(ret);
	if (r == 0 && _drain(p[2][0], &err, &elen, sizeof(result->error) - 1) >= 0)
		snprintf(result->error, sizeof(result->error), "%.*s", (int)strcspn(err, "\n"), err);
	free(err);
	for (int i = 0; i < 3; i++)
		close(p[i][0]);
	if (r < 0)
		return r;
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -errno;
	if (cut < 0)
		return cut;
	result->ret = got ? ret : 0;
	return _outcome(result, got, st, cut);
}

SV_API void sv_result_free(struct sv_result *result)
{
	if (!result)
		return;
	free(result->data);
	result->data = NULL;
	result->len = 0;
}
