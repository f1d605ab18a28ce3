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

struct jail_cfg {
	const struct plan *plan;
	enum net_mode net;
	const char *cwd;	/* where the command starts, if visible; else "/" */
	int verbose;
	bool strict;		/* refused syscalls kill the process instead of failing with EPERM */
	bool grants;		/* the profile has grant rules: trap every path syscall */
	const struct netrule *netrules;	/* the profile's connect/bind rules (Landlock TCP ports) */
	size_t nnet;
};

/* jail_enter - in the forked child, before the backend installs its filter: build the jail and
 * return in the process that will exec the command. The intermediate processes never return.
 * Fails closed: any error prints one line "supervise: jail: ..." and exits 125. */
void jail_enter(const struct jail_cfg *cfg);

#endif
