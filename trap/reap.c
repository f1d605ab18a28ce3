/* reap.c - reaping the supervised tree, ending what outlives the command, signals to the tree.
 *
 * The tree is every child of every supervisor thread (the command's process, and what it left
 * behind: the supervisor is a child subreaper) but the helpers noted before the fork (the grant
 * helper), and their descendants, found through /proc/PID/task/TID/children. Why stopping or
 * killing it misses no process:
 *   - a process is stopped before its children are listed, so it cannot reap them (and a pid be
 *     reused) or fork more once the stop has landed; the walk repeats until a pass finds no new
 *     process, which also catches a fork that was under way when its parent was signalled;
 *   - an orphan is reparented to the supervisor, whose threads' children the walk starts from;
 *   - SIGKILL follows only once the whole tree is stopped, so no process escapes by forking
 *     while its parent dies.
 */
#include "reap.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../common/util.h"
#include "../db/writer.h"

#define TREE_PASSES 16	/* walks of a tree that keeps forking before it is killed anyway */

/* A set of pids, in the order found. */
struct tree {
	pid_t *v;
	size_t n, cap;
};

/* _tree_has - whether T holds PID. */
static bool _tree_has(const struct tree *t, pid_t pid)
{
	for (size_t i = 0; i < t->n; i++)
		if (t->v[i] == pid)
			return true;
	return false;
}

/* _is_helper - whether PID is one of L's helpers (reap_note_helpers): not part of the tree. */
static bool _is_helper(const struct launch *l, pid_t pid)
{
	for (size_t i = 0; i < l->nhelpers; i++)
		if (l->helpers[i] == pid)
			return true;
	return false;
}

/* _add_children - add to T, and send SIG (0: none) to, each pid listed in the children file
 * PATH that T lacks and that is not a helper of L. Dies on OOM. */
static void _add_children(const struct launch *l, struct tree *t, const char *path, int sig)
{
	_cleanup_fclose_ FILE *f = fopen(path, "re");
	int pid;

	if (!f)
		return;	/* gone meanwhile */
	while (fscanf(f, "%d", &pid) == 1) {
		if (pid <= 0 || _tree_has(t, pid) || _is_helper(l, pid))
			continue;
		if (t->n == t->cap) {
			t->cap = t->cap ? t->cap * 2 : 64;
			t->v = xrealloc(t->v, t->cap * sizeof(*t->v));
		}
		t->v[t->n++] = pid;
		if (sig)
			kill(pid, sig);
	}
}

/* _add_children_of - _add_children for every thread of process PID ("self" for the supervisor,
 * else a number). */
static void _add_children_of(const struct launch *l, struct tree *t, const char *pid, int sig)
{
	char dir[64], p[64 + 16 + sizeof(((struct dirent *)0)->d_name)];
	DIR *d;
	struct dirent *e;

	snprintf(dir, sizeof(dir), "/proc/%s/task", pid);
	d = opendir(dir);
	if (!d)
		return;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(p, sizeof(p), "%s/%s/children", dir, e->d_name);
		_add_children(l, t, p, sig);
	}
	closedir(d);
}

/* _walk - one pass over L's tree (see the top of this file): add what T lacks, sending it SIG
 * (0: none) as it is found, before its own children are listed. Returns how many were added. */
static size_t _walk(const struct launch *l, struct tree *t, int sig)
{
	size_t before = t->n;

	_add_children_of(l, t, "self", sig);
	for (size_t i = 0; i < t->n; i++) {
		char pid[16];

		snprintf(pid, sizeof(pid), "%d", (int)t->v[i]);
		_add_children_of(l, t, pid, sig);
	}
	return t->n - before;
}

/* _freeze - stop every process of L's tree into T (see the top of this file). */
static void _freeze(const struct launch *l, struct tree *t)
{
	for (int pass = 0; pass < TREE_PASSES && _walk(l, t, SIGSTOP) > 0; pass++)
		;
}

void reap_note_helpers(struct launch *l)
{
	struct tree t = { 0 };

	l->nhelpers = 0;
	_add_children_of(l, &t, "self", 0);
	for (size_t i = 0; i < t.n && l->nhelpers < ARRAY_SIZE(l->helpers); i++)
		l->helpers[l->nhelpers++] = t.v[i];
	free(t.v);
}

size_t reap_tree_pids(const struct launch *l, pid_t **out)
{
	struct tree t = { 0 };

	_walk(l, &t, 0);
	*out = t.v;
	return t.n;
}

void reap_tree_signal(struct launch *l, int sig)
{
	struct tree t = { 0 };

	if (sig == SIGKILL || sig == SIGSTOP) {
		_freeze(l, &t);
		if (sig == SIGKILL)
			for (size_t i = 0; i < t.n; i++)
				kill(t.v[i], SIGKILL);
	} else {
		_walk(l, &t, sig);
	}
	free(t.v);
}

/* _kill_children_of - SIGKILL (KILL) every pid listed in /proc/self/task/TID/children but L's
 * helpers. Returns how many there were. */
static size_t _kill_children_of(const struct launch *l, const char *tid, bool kill_them)
{
	char p[300];
	_cleanup_fclose_ FILE *f = NULL;
	size_t n = 0;
	int pid;

	snprintf(p, sizeof(p), "/proc/self/task/%s/children", tid);
	f = fopen(p, "re");
	if (!f)
		return 0;
	while (fscanf(f, "%d", &pid) == 1) {
		if (pid <= 0 || _is_helper(l, pid))
			continue;
		n++;
		if (kill_them)
			kill(pid, SIGKILL);
	}
	return n;
}

/* _kill_leftovers - SIGKILL (KILL) every child of every supervisor thread but L's helpers (the
 * grant helper and the control gate end when the supervisor is done with them). Returns how many
 * there were. */
static size_t _kill_leftovers(const struct launch *l, bool kill_them)
{
	DIR *d = opendir("/proc/self/task");
	struct dirent *e;
	size_t n = 0;

	if (!d)
		return 0;
	while ((e = readdir(d)))
		if (e->d_name[0] != '.')
			n += _kill_children_of(l, e->d_name, kill_them);
	closedir(d);
	return n;
}

bool reap_only_helpers(const struct launch *l)
{
	return _kill_leftovers(l, false) == 0;
}

void reap_record(struct launch *l, pid_t pid, int st)
{
	if (pid == l->child && (WIFEXITED(st) || WIFSIGNALED(st))) {
		/* killed after the grace period: SIGKILL, whatever the command made of it */
		l->status = l->grace_killed ? SIGKILL : st;
		l->child_done = 1;
	}
}

bool reap_none_left(struct launch *l)
{
	if (!l->child_done) {	/* reaped elsewhere: report a supervisor failure */
		l->status = EXIT_SUPERVISE_FAIL << 8;
		l->child_done = 1;
	}
	return true;
}

void reap_leftovers(struct launch *l)
{
	if (l->child_done)
		_kill_leftovers(l, true);
}

bool reap_children(struct launch *l)
{
	for (;;) {
		int st;
		pid_t p = waitpid(-1, &st, WNOHANG | __WALL);

		if (p > 0) {
			reap_record(l, p, st);
			continue;
		}
		if (p < 0 && errno == EINTR)
			continue;
		if (p < 0 && errno == ECHILD)
			return reap_none_left(l);
		break;	/* p == 0: children remain */
	}
	reap_leftovers(l);
	if (l->child_done && l->nhelpers && reap_only_helpers(l))
		return reap_none_left(l);	/* the helpers are ended by their owners */
	return false;
}

/* _arm_grace - after the first ending signal: SIGALRM (read from the signalfd) once L's grace
 * period has passed; none when it is 0. */
static void _arm_grace(struct launch *l)
{
	struct itimerval it = { 0 };

	if (l->grace_armed || l->kill_after_ms == 0)
		return;
	l->grace_armed = 1;
	it.it_value.tv_sec = l->kill_after_ms / 1000;
	it.it_value.tv_usec = (suseconds_t)(l->kill_after_ms % 1000) * 1000;
	setitimer(ITIMER_REAL, &it, NULL);
}

/* _forward - pass the ending signal SI on to L's tree and arm the grace period: without a jail to
 * every process of the tree, in a jail to the command's process, which C and I relay it to. Not
 * SIGINT/SIGQUIT from the terminal (SI_KERNEL): the terminal sent those to the foreground process
 * group, which holds the tree (or, in a jail, C and I, which relay them to the command in its
 * own session); and they arm no grace period: an interactive program (a shell, a REPL) may
 * handle them and go on. */
static void _forward(struct launch *l, const struct signalfd_siginfo *si)
{
	int sig = (int)si->ssi_signo;

	if (l->child_done || (si->ssi_code == SI_KERNEL && (sig == SIGINT || sig == SIGQUIT)))
		return;
	if (l->jail)
		kill(l->child, sig);
	else
		reap_tree_signal(l, sig);
	_arm_grace(l);
}

/* _grace_over - SIGALRM: the grace period after an ending signal passed; kill what is left of L's
 * tree and say so (once). */
static void _grace_over(struct launch *l)
{
	if (l->child_done || l->grace_killed)
		return;
	l->grace_killed = 1;
	errx("the command was still running %g s after the signal: killed (SIGKILL)",
	     (double)l->kill_after_ms / 1000);
	reap_tree_signal(l, SIGKILL);
}

void reap_forward_signals(struct launch *l)
{
	struct signalfd_siginfo si[8];
	ssize_t n;

	/* One read takes every pending signal (at most one per signal number, all of which fit):
	 * a short read means drained, which saves the EAGAIN read on every SIGCHLD. */
	do {
		n = read(l->sigfd, si, sizeof(si));
		for (ssize_t i = 0; i < n / (ssize_t)sizeof(si[0]); i++) {
			switch (si[i].ssi_signo) {
			case SIGTERM:
			case SIGHUP:
			case SIGINT:
			case SIGQUIT:
				_forward(l, &si[i]);
				break;
			case SIGALRM:
				_grace_over(l);
				break;
			}
		}
	} while (n == (ssize_t)sizeof(si));
}

bool reap_signals(struct launch *l)
{
	reap_forward_signals(l);
	return reap_children(l);
}

void reap_wait_all(struct launch *l)
{
	int st;
	pid_t p;

	/* not until ECHILD: the helpers (grant helper, gate) live on until their owners end them */
	while (!l->child_done && ((p = waitpid(-1, &st, __WALL)) > 0 || (p < 0 && errno == EINTR)))
		if (p > 0)
			reap_record(l, p, st);
}

/* reap_log_trouble - see reap.h. Runs in the writer thread. */
bool reap_log_trouble(void *ctx, enum db_writer_trouble what)
{
	struct launch *l = ctx;

	if (!l->started || l->child_done)
		return false;
	switch (what) {
	case DB_WRITER_HOLD:
		reap_tree_signal(l, SIGSTOP);
		break;
	case DB_WRITER_RESUME:
		reap_tree_signal(l, SIGCONT);
		break;
	case DB_WRITER_FAILED:
		reap_tree_signal(l, SIGKILL);
		break;
	}
	return true;
}

void reap_signal_set(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGCHLD);
	sigaddset(set, SIGTERM);
	sigaddset(set, SIGHUP);
	sigaddset(set, SIGINT);
	sigaddset(set, SIGQUIT);
}
