/* reap.c - reaping the supervised tree and ending what outlives the command. */
#include "reap.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../common/util.h"

/* _kill_children_of - SIGKILL every pid listed in /proc/self/task/TID/children. */
static void _kill_children_of(const char *tid)
{
	char p[300];
	_cleanup_fclose_ FILE *f = NULL;
	int pid;

	snprintf(p, sizeof(p), "/proc/self/task/%s/children", tid);
	f = fopen(p, "re");
	if (!f)
		return;
	while (fscanf(f, "%d", &pid) == 1)
		if (pid > 0)
			kill(pid, SIGKILL);
}

/* _kill_leftovers - SIGKILL every child of every supervisor thread. */
static void _kill_leftovers(void)
{
	DIR *d = opendir("/proc/self/task");
	struct dirent *e;

	if (!d)
		return;
	while ((e = readdir(d)))
		if (e->d_name[0] != '.')
			_kill_children_of(e->d_name);
	closedir(d);
}

void reap_record(struct launch *l, pid_t pid, int st)
{
	if (pid == l->child && (WIFEXITED(st) || WIFSIGNALED(st))) {
		l->status = st;
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
		_kill_leftovers();
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
	return false;
}

void reap_forward_signals(struct launch *l)
{
	struct signalfd_siginfo si[8];
	ssize_t n;

	/* One read takes every pending signal (at most one per signal number, all of which fit):
	 * a short read means drained, which saves the EAGAIN read on every SIGCHLD. */
	do {
		n = read(l->sigfd, si, sizeof(si));
		for (ssize_t i = 0; i < n / (ssize_t)sizeof(si[0]); i++)
			if ((si[i].ssi_signo == SIGTERM || si[i].ssi_signo == SIGHUP) && !l->child_done)
				kill(l->child, (int)si[i].ssi_signo);
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

	while ((p = waitpid(-1, &st, __WALL)) > 0 || (p < 0 && errno == EINTR))
		if (p > 0)
			reap_record(l, p, st);
}
