/* child.h - what the forked child sets up for the command besides the jail: another user
 * (--user), resource limits (rlimit lines), the starting directory (--cwd) outside the jail.
 */
#ifndef SUPERVISE_CHILD_H
#define SUPERVISE_CHILD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "../policy/options.h"

/* --user NAME, looked up before the fork. */
struct jail_user {
	char *name;
	uid_t uid;
	gid_t gid;
	gid_t *groups;		/* the supplementary groups (getgrouplist) */
	size_t ngroups;
	char *home, *shell;
};

/* What _child in core/run.c applies after the jail (or without one) and before the filter. */
struct jail_child {
	const struct opts *opts;	/* rlimit lines, or NULL */
	const struct jail_user *user;	/* --user without the jail (the jail switches itself) */
	const char *cwd;		/* --cwd without the jail, or NULL */
};

/* jail_user_lookup - fill *U for user NAME (a name or a numeric uid) from the password and group
 * databases. Only root may run as another user. Returns 0, or -EPERM (not root), -ENOENT (no
 * such user) with one line in ERR. */
int jail_user_lookup(const char *name, struct jail_user *u, char *err, size_t errlen);

/* jail_user_free - release U's strings (safe on a zeroed one). */
void jail_user_free(struct jail_user *u);

/* jail_user_env - the login environment of U for opts_env_build's EXTRA: HOME, USER, LOGNAME,
 * SHELL. Returns a malloc'd NULL-terminated array of malloc'd strings (opts_env_free). */
char **jail_user_env(const struct jail_user *u);

/* jail_user_switch - in the child: take U's groups, gid and uid (all three ids of each), keeping
 * the capabilities KEEP (ambient, so that they survive the exec; 0 for none). Fails closed:
 * prints "supervise: WHAT: ERROR" and exits 125. */
void jail_user_switch(const struct jail_user *u, uint64_t keep);

/* jail_child_finish - in the child, after the jail: apply JC (rlimits, then --user and --cwd
 * outside the jail). Fails closed: one line and exit 125. */
void jail_child_finish(const struct jail_child *jc);

/* jail_rlimits_apply - set every rlimit line of O (soft and hard limit alike). Exits 125 with one
 * line naming the limit when the kernel refuses one (a hard limit may only be lowered without
 * CAP_SYS_RESOURCE). */
void jail_rlimits_apply(const struct opts *o);

#endif
