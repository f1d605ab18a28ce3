/* plan.h - the filesystem view a profile asks for, as an ordered list of mount operations (pure).
 * view.c carries the plan out; keeping the plan pure lets it be unit-tested without privileges.
 */
#ifndef SUPERVISE_PLAN_H
#define SUPERVISE_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../policy/policy.h"

enum mop_kind {
	MOP_BIND,	/* bind the host path at the same place, with ATTRS */
	MOP_TMPFS,	/* a private, empty, writable tmpfs */
	MOP_MASK,	/* hide what lies there (deny inside a visible tree) */
	MOP_DEV,	/* the jail's own /dev: a tmpfs with the standard nodes, devpts, shm */
	MOP_PROC,	/* the jail's own /proc (its pid namespace) */
	MOP_GRANT,	/* a placeholder (empty, mode 000) where a grant is mounted on first touch */
	MOP_HOME,	/* "home tmpfs": an empty private tmpfs of mode 0700 at HOME */
	MOP_BIND_FROM,	/* bind the host directory SRC at PATH ("home persist"), with ATTRS */
};

/* Mount attributes, as MOUNT_ATTR_* would set them. */
enum {
	MA_RDONLY = 1 << 0,
	MA_NOSUID = 1 << 1,
	MA_NODEV = 1 << 2,
	MA_NOEXEC = 1 << 3,
};

struct mop {
	enum mop_kind kind;
	char *path;		/* absolute, normalised; may hold * and ** for MOP_MASK */
	unsigned attrs;		/* MA_* for MOP_BIND */
	const struct rule *rule;/* the rule it comes from (NULL for the jail's own mounts) */
	char *src;		/* MOP_BIND_FROM: the host path bound at PATH; else NULL */
};

struct plan {
	struct mop *v;
	size_t n, cap;
};

/* plan_attrs - the mount attributes for the union RIGHTS (ACC_* bits) of the allow rules on one
 * path: read → ro,nosuid,nodev,noexec; exec → ro,nosuid,nodev; write → rw,nosuid,nodev,noexec;
 * write+exec → rw,nosuid,nodev. */
unsigned plan_attrs(unsigned rights);

/* plan_mount_attr - the MOUNT_ATTR_* flags (linux/mount.h) for MA_* bits. */
uint64_t plan_mount_attr(unsigned ma);

/* plan_build - the plan for profile P: the jail's own /tmp (tmpfs), /dev and /proc; one bind per
 * path named by allow rules (rights of rules on the same path are united); a tmpfs per tmpfs rule;
 * a mask per deny rule inside a visible tree (a deny on the same path as an allow wins: no bind).
 * Rules under /proc and on the standard /dev entries are left to the jail's own. Operations are
 * ordered parents first (by depth, then path); at one path the jail's own mount, then binds, then
 * masks. An allow rule with a wildcard is not mounted itself: the rules core/globs.c adds for
 * the paths it matches (policy_add_match) are. */
void plan_build(const struct profile *p, struct plan *out);

/* plan_options - change the plan PL of plan_build for a profile's "proc" and "home" lines:
 * NO_PROC drops the jail's /proc; HOME_MODE HOME_TMPFS puts a MOP_HOME at HOME, HOME_PERSIST a
 * read-write MOP_BIND_FROM of PERSIST at HOME (both as the jail's own mounts: the profile's rules
 * under HOME are placed inside them). HOME (absolute, normalised) and PERSIST may be NULL when
 * the mode does not use them. HOME_RULE (or NULL) is the rule the run added so that the
 * supervisor allows the home's contents: its bind of the real home is dropped. The plan stays
 * ordered as plan_build orders it. */
void plan_options(struct plan *pl, bool no_proc, enum home_mode home_mode, const char *home,
		  const char *persist, const struct rule *home_rule);

/* plan_free - release the plan's operations. */
void plan_free(struct plan *pl);

/* plan_jail_provided - true for paths the jail sets up itself (/proc and below; /dev/null, zero,
 * full, random, urandom, tty, pts, ptmx, shm, fd, stdin, stdout, stderr). */
bool plan_jail_provided(const char *path);

#endif
