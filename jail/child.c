/* child.c - the command's user, limits and starting directory (setup regime: failures exit 125).
 *
 * Why this is safe:
 *   - a user switch sets the groups first, then the gids, then the uids (each of real, effective
 *     and saved), and checks the result, so no id of the caller survives it;
 *   - only root switches users (checked before the fork, and the kernel refuses anyone else);
 *   - rlimits are set as soft and hard limit alike, so the program cannot raise them again.
 */
#include "child.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "../common/sys.h"
#include "../common/util.h"

/* _fail - print "supervise: MSG[: errno text]" and exit 125. */
static void __attribute__((noreturn, format(printf, 2, 3))) _fail(int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	util_vfail(err, "", fmt, ap);
}

int jail_user_lookup(const char *name, struct jail_user *u, char *err, size_t errlen)
{
	struct passwd *pw;
	char *end;
	unsigned long n;
	int ng = 64;

	memset(u, 0, sizeof(*u));
	if (getuid() != 0 || geteuid() != 0) {
		snprintf(err, errlen, "--user %s: only root can run a program as another user", name);
		return -EPERM;
	}
	errno = 0;
	pw = getpwnam(name);
	n = strtoul(name, &end, 10);
	if (!pw && *name && !*end)
		pw = getpwuid((uid_t)n);
	if (!pw) {
		snprintf(err, errlen, "--user %s: no such user", name);
		return -ENOENT;
	}
	u->name = xstrdup(pw->pw_name);
	u->uid = pw->pw_uid;
	u->gid = pw->pw_gid;
	u->home = xstrdup(pw->pw_dir && *pw->pw_dir ? pw->pw_dir : "/");
	u->shell = xstrdup(pw->pw_shell && *pw->pw_shell ? pw->pw_shell : "/bin/sh");
	u->groups = xcalloc((size_t)ng, sizeof(*u->groups));
	if (getgrouplist(u->name, u->gid, u->groups, &ng) < 0) {
		u->groups = xrealloc(u->groups, (size_t)ng * sizeof(*u->groups));
		if (getgrouplist(u->name, u->gid, u->groups, &ng) < 0)
			ng = 0;
	}
	u->ngroups = (size_t)ng;
	return 0;
}

void jail_user_free(struct jail_user *u)
{
	free(u->name);
	free(u->home);
	free(u->shell);
	free(u->groups);
	memset(u, 0, sizeof(*u));
}

char **jail_user_env(const struct jail_user *u)
{
	char **env = xcalloc(5, sizeof(*env));

	env[0] = xasprintf("HOME=%s", u->home);
	env[1] = xasprintf("USER=%s", u->name);
	env[2] = xasprintf("LOGNAME=%s", u->name);
	env[3] = xasprintf("SHELL=%s", u->shell);
	return env;
}

void jail_user_switch(const struct jail_user *u, uint64_t keep)
{
	uid_t ru, eu, su;
	gid_t rg, eg, sg;
	int r;

	if (keep && ((r = sys_set_keepcaps(1)) < 0 || (r = sys_capbset_keep(keep)) < 0))
		_fail(-r, "--user %s: keep capabilities", u->name);
	if (setgroups(u->ngroups, u->groups) < 0)
		_fail(errno, "--user %s: set the groups", u->name);
	if (setresgid(u->gid, u->gid, u->gid) < 0)
		_fail(errno, "--user %s: set gid %u", u->name, (unsigned)u->gid);
	if (setresuid(u->uid, u->uid, u->uid) < 0)
		_fail(errno, "--user %s: set uid %u", u->name, (unsigned)u->uid);
	if (getresuid(&ru, &eu, &su) < 0 || getresgid(&rg, &eg, &sg) < 0 ||
	    ru != u->uid || eu != u->uid || su != u->uid || rg != u->gid || eg != u->gid ||
	    sg != u->gid)
		_fail(0, "--user %s: the ids did not change", u->name);
	if (keep && (r = sys_caps_keep(keep, true)) < 0)
		_fail(-r, "--user %s: keep the capabilities of the caps line", u->name);
	if (keep)
		sys_set_keepcaps(0);
}

void jail_rlimits_apply(const struct opts *o)
{
	for (size_t i = 0; o && i < OPTS_NRLIMIT; i++) {
		struct rlimit rl;

		if (!o->rlim_set[i])
			continue;
		rl.rlim_cur = rl.rlim_max = o->rlim[i] == OPTS_UNLIMITED ? RLIM_INFINITY
									 : (rlim_t)o->rlim[i];
		if (setrlimit(opts_rlimit_resource(i), &rl) < 0)
			_fail(errno, "rlimit %s %llu", opts_rlimit_name(i),
			      (unsigned long long)o->rlim[i]);
	}
}

void jail_child_finish(const struct jail_child *jc)
{
	if (!jc)
		return;
	if (jc->user)
		jail_user_switch(jc->user, 0);
	if (jc->cwd && chdir(jc->cwd) < 0)
		_fail(errno, "--cwd %s", jc->cwd);
	jail_rlimits_apply(jc->opts);
}
