/* jail.h - entering the jail: namespaces, the filesystem view, locked mounts, no capabilities.
 *
 * Process layout (S = supervise):
 *   S ── C (new user/mount/pid/ipc/uts[/net] namespaces; relays signals, exits with the status)
 *          └── I (pid 1: builds the view, pivots into it, reaps, relays signals)
 *                └── the command (new session; nested user+mount namespace so that every mount
 *                    is locked; capabilities dropped), which returns from jail_enter.
 * Every process dies with its parent (PR_SET_PDEATHSIG), and the pid namespace dies with I.
 */
#ifndef SUPERVISE_JAIL_H
#define SUPERVISE_JAIL_H

#include "../policy/policy.h"
#include "../policy/netrule.h"
#include "plan.h"
#include "child.h"

struct jail_cfg {
	const struct plan *plan;
	enum net_mode net;
	const char *cwd;	/* where the command starts, if visible; else "/" */
	int verbose;
	bool strict;		/* refused syscalls kill the process instead of failing with EPERM */
	bool grants;		/* the profile has grant rules: trap every path syscall */
	const struct netrule *netrules;	/* the profile's connect/bind rules (Landlock TCP ports) */
	size_t nnet;
	bool cwd_given;		/* --cwd: CWD must be visible, or the jail fails */
	uid_t uid;		/* who the command runs as: owner of a "home tmpfs" */
	gid_t gid;
	/* Root with --user or a caps line: no user namespaces (S is real root, so the mounts need
	 * no locking: the command holds neither CAP_SYS_ADMIN nor a way to gain it). The command
	 * switches to USER (if set) and keeps the capabilities CAPS, nothing else. */
	bool real_ids;
	const struct jail_user *user;
	uint64_t caps;
	bool no_syscall_filter;	/* --no-syscall-filter: the backends add no confine_add list */
	unsigned landlock;	/* LANDLOCK_LAYER_* (landlock.h): 0 for no filesystem rules nor scopes */
	/* --root: the absolute, resolved prepared tree the view is built from instead of the host
	 * (the plan's paths are inside it, links resolved there); NULL: the host */
	const char *root;
};

/* jail_enter - in the forked child, before the backend installs its filter: build the jail and
 * return in the process that will exec the command. The intermediate processes never return.
 * Fails closed: any error prints one line "supervise: jail: ..." and exits 125. */
void jail_enter(const struct jail_cfg *cfg);

#endif
