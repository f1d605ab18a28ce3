/* landlock.h - Landlock inside the jail: a second layer under the mount view (filesystem rules,
 * IPC scopes) and under the supervisor's network decisions (TCP port rules).
 *
 * The filesystem layer, and why it is a second layer and not the first:
 *  - the rules come from the plan (plan.h), not from what jail.c made of it: a bind's and a
 *    grant's host path is opened here, on the host, before the namespaces exist, with the
 *    kernel's own path walk, so that a mistake in carrying the plan out (a wrong bind, a link
 *    resolved to the wrong target, a missed mask of a whole tree) is denied by Landlock;
 *  - Landlock rules cover a hierarchy: a deny inside an allowed tree (a mask) is the mount
 *    view's alone; so are the mount flags' finer points (nodev, nosuid);
 *  - the rules sit on inodes: a "grant" line's host path gets its rule at start (the potential
 *    set), so the first-touch mount of it works, while the view holds only what has been
 *    granted so far. A live grant (supervise grant, core/control.h) of any other path could
 *    never pass a ruleset fixed at start: a run gets the filesystem layer only when it cannot
 *    take live grants (see landlock_layers).
 */
#ifndef SUPERVISE_LANDLOCK_H
#define SUPERVISE_LANDLOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../policy/netrule.h"
#include "../policy/policy.h"
#include "plan.h"

/* landlock_tcp_ports - restrict the calling process's TCP connect and bind to the ports the tcp
 * rules of V (N rules) name, with Landlock (ABI 4, Linux 6.7). Landlock knows ports, not
 * addresses, so the supervisor still decides on addresses: this layer stops a TCP connect or bind
 * that reaches the kernel without the supervisor (ptrace's continued calls, or a dead supervisor)
 * from using a port no rule names. An operation is restricted only when the profile has tcp rules
 * for it and they name at most 1024 ports (a wider range leaves it to the supervisor); bind to
 * port 0 (ephemeral) stays allowed, as the supervisor allows it. Best effort: on a kernel without
 * it, returns 1 (nothing done). 0 when applied, -errno on failure. */
int landlock_tcp_ports(const struct netrule *v, size_t n);

/* The jail's Landlock layers (struct jail_cfg.landlock, a set of these bits). */
enum {
	LANDLOCK_LAYER_FS = 1 << 0,	/* filesystem rules from the plan */
	LANDLOCK_LAYER_SCOPE = 1 << 1,	/* ABI 6: abstract unix sockets (not with net host), signals */
	LANDLOCK_LAYER_REQUIRED = 1 << 2,	/* FS asked for: a kernel without Landlock fails */
};

/* landlock_layers - the layers of a jailed run whose profile says MODE ("landlock" line) and
 * which LIVE_GRANTS (has a control socket): "landlock fs" all, required; "landlock off" none;
 * no line: the scopes, and the filesystem rules when the run cannot take live grants. */
unsigned landlock_layers(enum opts_landlock mode, bool live_grants);

/* The filesystem and scope layer between landlock_jail_prepare and landlock_jail_apply. */
struct landlock_jail {
	int fd;			/* the ruleset (close-on-exec), -1: nothing to apply */
	int abi;		/* the kernel's Landlock ABI, 0 without Landlock */
	unsigned layers;	/* LANDLOCK_LAYER_* asked for */
	uint64_t fs;		/* the filesystem rights handled (0: no filesystem layer) */
	uint64_t scoped;	/* LANDLOCK_SCOPE_* bits in force */
	unsigned nrules;	/* path rules added */
};

/* landlock_jail_prepare - in the forked child before any namespace (the host's view): probe the
 * ABI, create LJ's ruleset for LAYERS and add a rule for each bind, grant and "home persist"
 * source of plan PL, opened on the host (a path that cannot be opened there is not in the view
 * either, and gets none). Best effort by ABI: the rights the kernel does not know are neither
 * handled nor granted. A kernel without Landlock leaves LJ->fd -1 and returns 0, unless LAYERS
 * holds LANDLOCK_LAYER_REQUIRED: -EOPNOTSUPP then. NET is the profile's net mode (net host keeps
 * the host's abstract sockets reachable). 0 or -errno, with one line in ERR. */
int landlock_jail_prepare(struct landlock_jail *lj, const struct plan *pl, unsigned layers,
			  enum net_mode net, char *err, size_t errlen);

/* landlock_jail_apply - in the command's process, once the mounts are locked and no_new_privs
 * is set (the view is "/"): add rules for the jail's own mounts of PL (tmpfs, /dev, /proc, home
 * tmpfs), opened in the view, and restrict the process with LJ's ruleset. With VERBOSE, one line
 * on stderr says which ABI and which rights and scopes are in force (or why none). Nothing when
 * LJ->fd is -1. 0 or -errno, with one line in ERR. */
int landlock_jail_apply(struct landlock_jail *lj, const struct plan *pl, bool verbose,
			char *err, size_t errlen);

/* landlock_test_mistake - the plan the jail carries out: PL itself, or, when the environment
 * names an absolute directory in SUPERVISE_TEST_VIEW_MISTAKE, a copy in *TMP (sharing PL's
 * operations; never plan_free'd) with a read-write bind of that directory appended: a mistake in
 * the mount view, simulated for tests/e2e/landlock.bats. The Landlock rules are built from PL,
 * not from the copy. Announced on stderr (not silenced). It widens only the view of a run whose
 * environment its own user sets, as any profile of that user could. */
const struct plan *landlock_test_mistake(const struct plan *pl, struct plan *tmp);

#endif
