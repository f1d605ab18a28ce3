/* backend.h - the interface every supervision backend implements (notify/, tracer/).
 * The rest of the program does not know which backend runs.
 */
#ifndef SUPERVISE_BACKEND_H
#define SUPERVISE_BACKEND_H

#include <seccomp.h>
#include <stddef.h>
#include <sys/types.h>

#include "../jail/jail.h"
#include "session.h"

/* One supervised launch: what to run and what happened to it. */
struct launch {
	const char *exe;	/* resolved executable path */
	char *const *argv;
	struct session *sess;
	pid_t child;		/* the command's pid (set by the launcher after fork) */
	int sigfd;		/* signalfd for SIGCHLD/SIGTERM/SIGHUP/SIGINT/SIGQUIT (parent) */
	int status;		/* the command's wait status, valid once child_done */
	int child_done;
	int started;		/* the backend took over: the command ran supervised */
	void *priv;		/* backend state */
	bool backtrace;		/* --backtrace: record the call stack of each event (tracer only) */
	const struct jail_cfg *jail;	/* enforce: the jail to enter before the filter, else NULL */
	pid_t helpers[4];	/* the supervisor's children before the fork: not the tree (reap.h) */
	size_t nhelpers;
	unsigned kill_after_ms;	/* --kill-after: grace after an ending signal, 0 for none */
	int grace_armed;	/* an ending signal was passed on: the grace timer runs */
	int grace_killed;	/* the grace period passed and the tree was killed */
	bool kept;		/* the command runs below a keeper (keeper.h): keeper[] is set */
	int keeper[2];		/* the socketpair to it: [0] the supervisor's end, [1] its own */
	struct control *ctl;	/* live control (control.h), or NULL: served once attached */
	const struct ask_opts *ask;	/* ask questions (ask.h) once attached, or NULL */
};

struct control;
struct ask_opts;

struct backend_ops {
	const char *name;
	/* keeper - without a jail, the tree would outlive the supervisor and trap calls that fail
	 * (notify: ENOSYS once the listener is gone), so the command runs below a keeper
	 * (keeper.h), to which serve sends the listener if the backend has one (l->kept). The
	 * tracer's PTRACE_O_EXITKILL kills every tracee with the supervisor: false. */
	bool keeper;
	/* prepare - parent, before fork (setup regime): build what the child will install.
	 * 0 or -errno with a reason in ERR. */
	int (*prepare)(struct launch *l, char *err, size_t errlen);
	/* child_enter - in the forked child, before execve: install the filter and hand the
	 * supervisor what it needs. Returns only on success; on failure prints one line and exits
	 * 125, so the command never runs unsupervised. */
	void (*child_enter)(struct launch *l);
	/* attach - parent, after fork: take over supervision of the child. 0 or -errno + ERR. */
	int (*attach)(struct launch *l, char *err, size_t errlen);
	/* serve - parent: answer every trapped call until the whole process tree has exited.
	 * Never dies on one bad event. Sets l->status. */
	void (*serve)(struct launch *l);
	/* release - parent: free the backend state (also after a failed prepare/attach). */
	void (*release)(struct launch *l);
};

/* BACKEND_OPS - the ops of a backend file that defines the five functions under their common
 * static names (_prepare, _child_enter, _attach, _serve, _release): NAME as --backend says it,
 * KEEPER as above. */
#define BACKEND_OPS(NAME, KEEPER)                                                               \
	{ .name = (NAME), .keeper = (KEEPER), .prepare = _prepare, .child_enter = _child_enter,  \
	  .attach = _attach, .serve = _serve, .release = _release }

/* The part of a backend's state that every backend has: the filter it builds and the socketpair
 * of the hand-over with the child. */
struct backend_base {
	scmp_filter_ctx filter;	/* or NULL */
	int sock[2];		/* [0] the parent's end, [1] the child's; -1 when closed */
};

/* backend_base_init - B with no filter and both ends closed (-1). */
void backend_base_init(struct backend_base *b);

/* backend_base_release - the teardown every backend's release does: B's filter released, its
 * socket ends closed, the child's root pinned for path lookups (resolve.h) let go. Idempotent. */
void backend_base_release(struct backend_base *b);

#endif
