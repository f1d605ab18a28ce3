/* keeper.c - the keeper: a process between the supervisor and the command, without a jail, that
 * takes the command's tree down with the supervisor.
 *
 * Without a jail there is no pid namespace whose end kills the tree, and PR_SET_PDEATHSIG is per
 * process and not inherited across fork: when the supervisor was killed (SIGKILL), the command's
 * own process died, but its descendants went on with a filter whose listener was gone, and every
 * call it traps failed with ENOSYS ("Function not implemented" on the user's terminal). A pid
 * namespace for learn would change the pids and /proc the program sees, and needs a user
 * namespace without privileges (no setuid programs then); a cgroup needs delegation. So the
 * command is forked below a keeper K (S -> K -> command), which:
 *   - is a child subreaper, so that every process of the tree stays below it;
 *   - holds a copy of the listener (the notify backend sends it), so that a call trapped after S
 *     died waits instead of failing with ENOSYS;
 *   - sees S die as the end of its socket to S, and then stops and kills its whole tree
 *     (reap_tree_signal) before it exits: the waiting calls never return;
 *   - otherwise waits for the command, kills what it left behind (as S does), and exits with the
 *     command's status (by the same signal when it was killed), so S sees the command's status.
 * The ptrace backend needs none of this: PTRACE_O_EXITKILL kills every tracee with S.
 *
 * Why it is safe: K runs no program and no code of the command's, and is not dumpable, so the
 * program (same user) can neither ptrace it nor take the listener from it with pidfd_getfd; K
 * never reads the listener. It ignores the ending signals S passes on to the tree (S's grace
 * period kills it with SIGKILL, and the command then dies by its parent-death signal).
 */
#include "keeper.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../common/sys.h"
#include "../common/util.h"
#include "../trap/reap.h"

/* _exit_as - exit with wait status ST: the same code, or the same signal (without a core dump). */
static void _exit_as(int st)
{
	if (WIFSIGNALED(st)) {
		struct rlimit none = { 0 };
		sigset_t set;
		int sig = WTERMSIG(st);

		setrlimit(RLIMIT_CORE, &none);
		signal(sig, SIG_DFL);
		sigemptyset(&set);
		sigaddset(&set, sig);
		sigprocmask(SIG_UNBLOCK, &set, NULL);
		kill(getpid(), sig);
	}
	_exit(WIFEXITED(st) ? WEXITSTATUS(st) : EXIT_SUPERVISE_FAIL);
}

/* _reap - reap K's exited children without blocking; note the command's (CMD) status in *ST and
 * *DONE. Returns true when no child is left. */
static bool _reap(pid_t cmd, int *st, bool *done)
{
	for (;;) {
		int s;
		pid_t p = waitpid(-1, &s, WNOHANG | __WALL);

		if (p == cmd && (WIFEXITED(s) || WIFSIGNALED(s))) {
			*st = s;
			*done = true;
		}
		if (p > 0 || (p < 0 && errno == EINTR))
			continue;
		return p < 0 && errno == ECHILD;
	}
}

/* _serve - K's loop: the listener from S on SOCK (kept, never read), S's end of SOCK, and
 * SIGCHLD on SIGFD, until the command CMD and every child are gone; L for reap_tree_signal.
 * Never returns. */
static void _serve(struct launch *l, int sock, int sigfd, pid_t cmd)
{
	struct pollfd pfd[2] = { { .fd = sock, .events = POLLIN }, { .fd = sigfd, .events = POLLIN } };
	int st = EXIT_SUPERVISE_FAIL << 8, listener = -1;
	bool done = false, s_gone = false;

	for (;;) {
		if (poll(pfd, 2, -1) < 0 && errno != EINTR)	/* pfd[0].fd -1 once S is gone */
			_exit(EXIT_SUPERVISE_FAIL);
		if (!s_gone && (pfd[0].revents & (POLLIN | POLLHUP | POLLERR))) {
			int fd = listener < 0 ? sys_recv_fd(sock) : -EPIPE;

			if (fd >= 0) {
				listener = fd;
			} else {	/* S is gone (or ended): nothing of the tree goes on */
				s_gone = true;
				pfd[0].fd = -1;
				reap_tree_signal(l, SIGKILL);
			}
		}
		if (pfd[1].revents & POLLIN) {
			struct signalfd_siginfo si;

			while (read(sigfd, &si, sizeof(si)) == sizeof(si))
				;
		}
		if (_reap(cmd, &st, &done))
			_exit_as(st);
		if (done || s_gone)	/* descendants do not outlive the command */
			reap_tree_signal(l, SIGKILL);
	}
}

void keeper_enter(struct launch *l, int sock[2])
{
	sigset_t set, old;
	pid_t keeper = getpid(), cmd;
	int sigfd;

	reap_signal_set(&set);
	if (sigprocmask(SIG_BLOCK, &set, &old) < 0 || sys_set_child_subreaper() < 0)
		_exit(EXIT_SUPERVISE_FAIL);
	cmd = fork();
	if (cmd < 0)
		_exit(EXIT_SUPERVISE_FAIL);
	if (cmd == 0) {	/* the command's process: dies with K, which dies with S */
		close(sock[0]);
		close(sock[1]);
		if (sys_set_pdeathsig(SIGKILL) < 0 || getppid() != keeper)
			_exit(EXIT_SUPERVISE_FAIL);
		sigprocmask(SIG_SETMASK, &old, NULL);
		return;
	}
	close(sock[0]);
	close(l->sigfd);
	sys_set_pdeathsig(0);	/* K outlives S to take the tree down: S's end of SOCK says when */
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigfd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	if (sigfd < 0) {
		kill(cmd, SIGKILL);
		_exit(EXIT_SUPERVISE_FAIL);
	}
	sys_set_dumpable(0);
	l->nhelpers = 0;	/* K's children are all of the tree */
	_serve(l, sock[1], sigfd, cmd);
}
