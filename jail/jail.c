/* jail.c - jail_enter: the namespaces, the C/I process layout (jail.h), and the lock and final
 * steps of the command's process. The view itself is built by view.c (with mount.c, dev.c,
 * links.c, and root.c for --root). Setup regime throughout: every failure exits 125.
 *
 * Why the boundary holds (kernel-enforced, whatever the supervisor reads from the child):
 *  - the command's root is a fresh tmpfs holding only the profile's paths, bound read-only
 *    unless a write rule says otherwise, noexec unless an exec rule says otherwise;
 *  - a deny inside a visible tree is covered by an empty, mode-000 mount;
 *  - the command runs in a user+mount namespace nested below the one that built the view, so every
 *    mount is locked (MNT_LOCKED): it cannot unmount a mask or remount a path writable;
 *  - it holds no capability (bounding set dropped, so exec as uid 0 gains none) and no_new_privs;
 *  - its /proc shows only its own pid namespace; its /tmp and /dev are private.
 * With --root (root.c: jail_enter_root) the same holds with the prepared tree in the host's
 * place: the jail process pivots into a bind of it and detaches the host's tree before the binds
 * are prepared, so every rule's path and link is resolved inside the tree (an absolute link or
 * ".." cannot lead out: the tree is all there is), and only the jail's /dev nodes, cloned from
 * the host before, come from outside it.
 */
#include "jail.h"
#include "jail_int.h"
#include "idmap.h"
#include "landlock.h"

#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../common/sys.h"
#include "../common/timing.h"
#include "../common/util.h"

/* jail_fail - print "supervise: jail: MSG[: errno text]" and exit 125 (jail_int.h). */
void jail_fail(int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	util_vfail(err, "jail: ", fmt, ap);
}

/* A proc mount outside the view ("proc none"), kept open for the command's nested user
 * namespace, whose id maps are written through it (_map_ids); -1 when the view has /proc. */
static int _procfd = -1;

/* _map_ids - map UID and GID to themselves in the user namespace just created, or fail. */
static void _map_ids(uid_t uid, gid_t gid)
{
	int r = idmap_self_at(_procfd, uid, gid);

	if (r < 0)
		jail_fail(-r, "map uid %u and gid %u", (unsigned)uid, (unsigned)gid);
}

static pid_t _relay_to;

/* _relay_signal - pass signal SIG on to the process we wait for; but not a SIGINT/SIGQUIT
 * the terminal sent (SI_KERNEL) when that process is in our process group: the terminal sent it
 * there too, and a second copy would reach the command twice (or once, when the two merge while
 * pending). */
static void _relay_signal(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	if (_relay_to <= 0)
		return;
	if (si && si->si_code == SI_KERNEL && getpgid(_relay_to) == getpgrp())
		return;
	kill(_relay_to, sig);
}

/* _wait_and_exit - relay signals to PID, reap every child, and exit with PID's status
 * (128+N when signal N killed it). When PID is the COMMAND, its exit begins --timings'
 * teardown. Never returns. */
static void __attribute__((noreturn)) _wait_and_exit(pid_t pid, bool command)
{
	static const int sigs[] = { SIGTERM, SIGHUP, SIGINT, SIGQUIT, SIGUSR1, SIGUSR2 };
	struct sigaction sa = { .sa_sigaction = _relay_signal, .sa_flags = SA_SIGINFO };
	sigset_t none;
	int st;
	pid_t p;

	_relay_to = pid;
	for (size_t i = 0; i < ARRAY_SIZE(sigs); i++)
		sigaction(sigs[i], &sa, NULL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	for (;;) {
		p = waitpid(-1, &st, __WALL);
		if (p < 0 && errno == EINTR)
			continue;
		if (p < 0)
			_exit(EXIT_SUPERVISE_FAIL);
		if (p == pid && command)
			timing_begin(TIMING_TEARDOWN);
		if (p == pid)
			_exit(WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
	}
}

/* _fork_below - fork; the parent relays and exits with the child's status, the child returns
 * after arranging to die with its parent. COMMAND: the child will exec the command. */
static void _fork_below(bool command)
{
	pid_t parent = getpid();
	pid_t pid = fork();

	if (pid < 0)
		jail_fail(errno, "fork");
	if (pid > 0)
		_wait_and_exit(pid, command);
	/* the parent died before PDEATHSIG was armed? (0: it sits outside our new pid namespace) */
	if (sys_set_pdeathsig(SIGKILL) < 0 || (getppid() != parent && getppid() != 0))
		_exit(EXIT_SUPERVISE_FAIL);
}

/* _lock_and_drop - enter a nested user+mount namespace (every mount becomes locked), start a
 * new session, drop every capability, set no_new_privs. */
static void _lock_and_drop(uid_t uid, gid_t gid)
{
	int r;

	if (unshare(CLONE_NEWUSER | CLONE_NEWNS) < 0)
		jail_fail(errno, "lock the mounts (nested user namespace)");
	_map_ids(uid, gid);
	if (setsid() < 0)
		jail_fail(errno, "setsid");
	r = sys_capbset_drop_all();
	if (r < 0)
		jail_fail(-r, "drop capabilities");
	r = sys_set_no_new_privs();
	if (r < 0)
		jail_fail(-r, "no_new_privs");
}

/* _drop_real - the command's drop without user namespaces (CFG->real_ids: S is root): a new
 * session, CFG's user (if any), only CFG's capabilities, no_new_privs. Mounts need no lock: the
 * command cannot hold CAP_SYS_ADMIN (options.c refuses to keep it). */
static void _drop_real(const struct jail_cfg *cfg)
{
	int r;

	if (setsid() < 0)
		jail_fail(errno, "setsid");
	if (cfg->user)
		jail_user_switch(cfg->user, cfg->caps);
	else if ((r = sys_caps_keep(cfg->caps, false)) < 0)
		jail_fail(-r, "keep the capabilities of the caps line");
	r = sys_set_no_new_privs();
	if (r < 0)
		jail_fail(-r, "no_new_privs");
}

/* _ports_named - whether CFG's profile has any tcp rule. */
static bool _ports_named(const struct jail_cfg *cfg)
{
	for (size_t i = 0; i < cfg->nnet; i++)
		if (cfg->netrules[i].proto == NETRULE_TCP)
			return true;
	return false;
}

void jail_enter(const struct jail_cfg *cfg)
{
	uid_t uid = getuid();
	gid_t gid = getgid();
	int flags = (cfg->real_ids ? 0 : CLONE_NEWUSER) | CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWIPC |
		    CLONE_NEWUTS;
	int r, ll = 1;
	struct landlock_jail llj;	/* rules from the host's view, before any namespace */
	struct plan mistake = { 0 };
	struct jail_cfg built = *cfg;
	char err[512];

	if (cfg->net != NET_HOST)
		flags |= CLONE_NEWNET;
	if ((r = landlock_jail_prepare(&llj, cfg->plan, cfg->landlock, cfg->net, err,
				       sizeof(err))) < 0)
		jail_fail(0, "%s", err);
	built.plan = landlock_test_mistake(cfg->plan, &mistake);
	timing_begin(TIMING_NAMESPACES);
	if (unshare(flags) < 0)
		jail_fail(errno, "create namespaces (Hint: unprivileged user namespaces may be "
				 "disabled; see sysctl user.max_user_namespaces)");
	if (!cfg->real_ids)
		_map_ids(uid, gid);
	_fork_below(false);	/* now pid 1 of the new pid namespace */
	timing_end(TIMING_NAMESPACES);
	timing_begin(TIMING_VIEW);
	_procfd = jail_view_build(&built);
	timing_end(TIMING_VIEW);
	timing_begin(TIMING_NAMESPACES);
	if (cfg->net == NET_LOOPBACK && (r = sys_iface_up("lo")) < 0)
		jail_fail(-r, "bring up lo");
	if (sethostname("supervise", 9) < 0)
		jail_fail(errno, "sethostname");
	_fork_below(true);	/* the command: pid 2, reaped by pid 1 */
	timing_end(TIMING_NAMESPACES);
	timing_begin(TIMING_LOCK);
	if (cfg->real_ids)
		_drop_real(cfg);
	else
		_lock_and_drop(uid, gid);
	if (_procfd >= 0)
		close(_procfd);
	_procfd = -1;
	if (cfg->net != NET_NONE && cfg->net != NET_UNSET &&
	    (ll = landlock_tcp_ports(cfg->netrules, cfg->nnet)) < 0)
		jail_fail(-ll, "Landlock TCP port rules");
	if (ll == 1 && cfg->verbose && _ports_named(cfg))
		fprintf(stderr, "supervise: jail: no Landlock TCP layer (needs Linux 6.7, ABI 4)\n");
	if ((r = landlock_jail_apply(&llj, cfg->plan, cfg->verbose, err, sizeof(err))) < 0)
		jail_fail(0, "%s", err);
	if (chdir(cfg->cwd) < 0 && cfg->cwd_given)
		jail_fail(errno, "--cwd %s (is it in the profile's view?)", cfg->cwd);
	if (chdir(cfg->cwd) < 0) {
		if (cfg->verbose)
			fprintf(stderr, "supervise: jail: %s is not in the profile's view; starting in /\n",
				cfg->cwd);
		if (chdir("/") < 0)
			jail_fail(errno, "chdir /");
	}
	timing_end(TIMING_LOCK);
}
