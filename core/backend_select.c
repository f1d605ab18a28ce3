/* backend_select.c - choosing the backend, and the probe for a listener already in the chain.
 * The probe installs its filter in a throwaway child, so the supervisor's own filter chain and
 * no_new_privs never change.
 */
#include "backend_select.h"

#include <errno.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../common/sys.h"
#include "../common/util.h"

enum { PROBE_OK = 0, PROBE_BUSY = 1, PROBE_ERROR = 2 };

/* _probe_child - in the throwaway child: try to install a listener. Exits PROBE_*. */
static void _probe_child(void)
{
	int r = sys_probe_listener();

	_exit(r >= 0 ? PROBE_OK : r == -EBUSY ? PROBE_BUSY : PROBE_ERROR);
}

bool backend_listener_busy(void)
{
	static int busy = -1;	/* -1: not probed yet */
	int st;
	pid_t pid;

	if (busy >= 0)
		return busy;
	pid = fork();
	if (pid < 0)
		die_errno("fork");
	if (pid == 0)
		_probe_child();
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			die_errno("waitpid");
	busy = WIFEXITED(st) && WEXITSTATUS(st) == PROBE_BUSY;
	return busy;
}

const struct backend_ops *backend_select(enum backend_choice choice, bool backtrace)
{
	if (choice == BACKEND_NOTIFY)
		return &notify_backend;
	if (choice == BACKEND_PTRACE || backtrace)
		return &tracer_backend;
	if (!backend_listener_busy())
		return &notify_backend;
	warnx("notify backend unavailable (another supervisor's listener is in this process's filter "
	      "chain): using ptrace");	/* silenced by -q */
	return &tracer_backend;
}
