/* cmd_control.c - `supervise grant` and `supervise revoke`: one request to a running run's
 * control socket (core/control.h, core/gate.h). */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include "../common/path.h"
#include "../common/proc.h"
#include "../common/util.h"
#include "../core/ctlmsg.h"
#include "../core/gate.h"
#include "commands.h"

#define ANSWER_WAIT_S 60	/* a grant mounts; the run may be busy: long, but not forever */

/* _run_id - ARG as a run id (> 0) into *RUN. 0 or -EINVAL (said). */
static int _run_id(const char *arg, int64_t *run)
{
	char *end;
	long long v = strtoll(arg, &end, 10);

	if (!*arg || *end || v <= 0) {
		errx("'%s' is not a run id (supervise ps lists the running ones)", arg);
		return -EINVAL;
	}
	*run = v;
	return 0;
}

/* _socket_of - the control socket of run RUN of DBPATH into PATH (sizeof sun_path), after
 * checking that the run goes on. 0 or -1 (said). */
static int _socket_of(const char *dbpath, int64_t run, char *path, size_t len)
{
	sqlite3 *db = cmd_db_open(dbpath);
	struct db_run_ctl ctl;
	int r;

	if (!db)
		return -1;
	r = db_run_control(db, run, &ctl);
	db_close(db);
	if (r == -ENOENT)
		errx("run %lld does not exist in %s", (long long)run, dbpath);
	else if (r < 0)
		errx("%s: cannot read run %lld", dbpath, (long long)run);
	else if (ctl.ended)
		errx("run %lld has ended", (long long)run);
	else if (!util_proc_running(ctl.pid, ctl.pid_start))
		errx("run %lld's supervisor (pid %lld) is gone", (long long)run, (long long)ctl.pid);
	else if (!ctl.path[0])
		errx("run %lld has no control socket (its supervisor said why when it started)",
		     (long long)run);
	else if (strlen(ctl.path) >= len)
		errx("run %lld's control socket has too long a name", (long long)run);
	else {
		strcpy(path, ctl.path);
		return 0;
	}
	return -1;
}

/* _ask - send request Q to the control socket PATH of run RUN; print the answer. Exit status. */
static int _ask(const char *path, int64_t run, const struct ctl_req *q)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct timeval tv = { .tv_sec = ANSWER_WAIT_S };
	char msg[CTL_MSG_MAX + 1], answer[GATE_REPLY_MAX + 1];
	_cleanup_close_ int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	int n = ctl_format(q, msg, sizeof(msg));
	ssize_t got;

	if (fd < 0 || n < 0) {
		errx("%s", fd < 0 ? strerror(errno) : "the request is too long");
		return EXIT_SUPERVISE_FAIL;
	}
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		errx("run %lld: cannot reach its control socket %s: %s%s", (long long)run, path,
		     strerror(errno), errno == EACCES ? " (it belongs to another user)" : "");
		return EXIT_SUPERVISE_FAIL;
	}
	if (send(fd, msg, (size_t)n, MSG_NOSIGNAL) < 0 ||
	    (got = recv(fd, answer, sizeof(answer) - 1, 0)) <= 0) {
		errx("run %lld: no answer from its supervisor: %s", (long long)run,
		     errno ? strerror(errno) : "it closed the connection");
		return EXIT_SUPERVISE_FAIL;
	}
	answer[got] = 0;
	if (!strncmp(answer, "ok ", 3)) {
		printf("%s\n", answer + 3);
		return fflush(stdout) == 0 ? 0 : EXIT_SUPERVISE_FAIL;
	}
	errx("%s", !strncmp(answer, "error ", 6) ? answer + 6 : answer);
	return EXIT_SUPERVISE_FAIL;
}

/* _request - the request ARGV (after the run id) of a grant or revoke, into Q. 0 or -EINVAL
 * (said). */
static int _request(bool revoke, int argc, char **argv, struct ctl_req *q)
{
	_cleanup_free_ char *cwd = getcwd(NULL, 0), *abs = NULL;
	const char *path = argv[argc - 1];
	char canon[PATH_MAX];

	memset(q, 0, sizeof(*q));
	q->op = revoke ? CTL_REVOKE : CTL_GRANT;
	if (!revoke && rule_kind_parse(argv[0], &q->kind) < 0) {
		errx("grant: '%s' is not read, write or exec", argv[0]);
		return -EINVAL;
	}
	if (!revoke && (q->kind == RULE_DENY || q->kind == RULE_TMPFS)) {
		errx("grant: '%s' is not read, write or exec", argv[0]);
		return -EINVAL;
	}
	abs = path_join_normalize(cwd ? cwd : "/", path);
	if (!abs || strlen(abs) >= sizeof(q->path)) {
		errx("%s: %s", path, abs ? "the path is too long" : "the working directory is unknown");
		return -EINVAL;
	}
	/* links resolved here, as this user sees them; the supervisor resolves again on its side */
	snprintf(q->path, sizeof(q->path), "%s", realpath(abs, canon) ? canon : abs);
	return 0;
}

int cmd_control(const char *dbpath, bool revoke, int argc, char **argv)
{
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	struct ctl_req q;
	int64_t run;

	if (argc != (revoke ? 2 : 3)) {
		errx(revoke ? "usage: supervise revoke RUN PATH" :
			      "usage: supervise grant RUN read|write|exec PATH");
		return EXIT_SUPERVISE_FAIL;
	}
	if (_run_id(argv[0], &run) < 0 || _request(revoke, argc - 1, argv + 1, &q) < 0 ||
	    _socket_of(dbpath, run, path, sizeof(path)) < 0)
		return EXIT_SUPERVISE_FAIL;
	return _ask(path, run, &q);
}
