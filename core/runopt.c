/* runopt.c - the run options of issue 12: environment, argv, persistent home, the jail's user and
 * capabilities (setup regime, before the fork). See runopt.h.
 */
#include "runopt.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../common/path.h"
#include "../common/util.h"

extern char **environ;

char **run_env(const struct run_opts *o, const struct profile *p, const struct jail_user *u)
{
	_cleanup_free_ char **extra = xcalloc(6, sizeof(*extra));
	char **login = u ? jail_user_env(u) : NULL;
	size_t n = 0;
	char **env;

	for (size_t i = 0; login && login[i]; i++)
		extra[n++] = login[i];
	if (o->mode != MODE_LEARN && p->opts.home == HOME_NONE)
		extra[n++] = "HOME";
	env = opts_env_build(environ, o->mode == MODE_LEARN ? NULL : &p->opts,
			     o->mode != MODE_LEARN, extra);
	opts_env_free(login);
	return env;
}

char **run_argv(const struct run_opts *o)
{
	size_t n = 0;
	char **argv;

	while (o->argv[n])
		n++;
	argv = xcalloc(n + 1, sizeof(*argv));
	memcpy(argv, o->argv, n * sizeof(*argv));
	if (o->procname)
		argv[0] = (char *)o->procname;
	return argv;
}

/* _mkdir_private - mkdir PATH with mode 0700 owned by U (or the caller) unless it exists as a
 * directory; its parents are made the same way. 0 or -errno. */
static int _mkdir_private(const char *path, const struct jail_user *u)
{
	_cleanup_free_ char *parent = xstrdup(path);
	char *slash = strrchr(parent, '/');
	struct stat st;

	if (lstat(path, &st) == 0)
		return S_ISDIR(st.st_mode) ? 0 : -ENOTDIR;
	if (slash && slash != parent) {
		*slash = 0;
		int r = _mkdir_private(parent, u);

		if (r < 0)
			return r;
	}
	if (mkdir(path, 0700) < 0 && errno != EEXIST)
		return -errno;
	if (u && chown(path, u->uid, u->gid) < 0)
		return -errno;
	return 0;
}

/* _profile_name - the name "home persist" keeps the home under: the profile's name in the
 * database, or a file's name without its ".profile". NULL when that is no valid name. */
static char *_profile_name(const char *profile)
{
	const char *base = strrchr(profile, '/') ? strrchr(profile, '/') + 1 : profile;
	size_t n = strlen(base);
	char *name;

	if (n > 8 && !strcmp(base + n - 8, ".profile"))
		n -= 8;
	name = xstrndup(base, n);
	if (!policy_name_valid(name)) {
		free(name);
		return NULL;
	}
	return name;
}

/* _home_opts - P's home line into PL for HOME; *PERSIST made for "home persist"; HOME_RULE the
 * index of run_home_rule's rule (or -1). 0 or 125. */
static int _home_opts(const struct run_opts *o, const struct profile *p, const char *home,
		      const struct jail_user *u, struct plan *pl, char **persist, ssize_t home_rule)
{
	_cleanup_free_ char *name = NULL, *norm = NULL;
	int r;

	*persist = NULL;
	if (p->opts.home == HOME_HOST || p->opts.home == HOME_NONE) {
		plan_options(pl, p->opts.no_proc, HOME_HOST, NULL, NULL, NULL);
		return 0;
	}
	if (!home || home[0] != '/') {
		errx("%s:%u: 'home' needs HOME, which is unset or not absolute", o->profile,
		     p->opts.home_line);
		return EXIT_SUPERVISE_FAIL;
	}
	norm = path_join_normalize("/", home);
	if (p->opts.home == HOME_PERSIST) {
		if (!(name = _profile_name(o->profile))) {
			errx("%s: 'home persist' needs a profile name of [A-Za-z0-9._+-]", o->profile);
			return EXIT_SUPERVISE_FAIL;
		}
		*persist = xasprintf("%s/.local/share/supervise/homes/%s", strcmp(norm, "/") ? norm : "",
				     name);
		if ((r = _mkdir_private(*persist, u)) < 0) {
			errx("home persist: %s: %s", *persist, strerror(-r));
			return EXIT_SUPERVISE_FAIL;
		}
	}
	plan_options(pl, p->opts.no_proc, p->opts.home, norm, *persist,
		     home_rule >= 0 ? &p->rules[home_rule] : NULL);
	return 0;
}

/* _root_check - --root: O->root resolved into CFG->root (malloc'd, kept for the run), which must
 * be a directory; and what a tree instead of the host cannot have: P's grant and ask lines (their
 * mounts come from the host), "home persist" (its directory is on the host), "landlock fs". One
 * line and -1,
 * else 0. */
static int _root_check(const struct run_opts *o, const struct profile *p, struct jail_cfg *cfg)
{
	char *dir = realpath(o->root, NULL);
	struct stat st;

	if (!dir || stat(dir, &st) < 0 || !S_ISDIR(st.st_mode)) {
		errx("--root %s: %s", o->root, dir ? strerror(ENOTDIR) : strerror(errno));
		free(dir);
		return -1;
	}
	if (!strcmp(dir, "/")) {
		errx("--root %s: the host's own root; leave out --root", o->root);
		free(dir);
		return -1;
	}
	cfg->root = dir;
	for (size_t i = 0; i < p->n; i++)
		if (p->rules[i].grant || p->rules[i].ask) {
			errx("%s: grant and ask lines do not go with --root (they mount host paths)",
			     o->profile);
			return -1;
		}
	if (p->opts.home == HOME_PERSIST) {
		errx("%s:%u: 'home persist' does not go with --root (its directory is on the host)",
		     o->profile, p->opts.home_line);
		return -1;
	}
	if (p->opts.landlock == LANDLOCK_FS) {	/* its rules are opened on the host (jail.c) */
		errx("%s:%u: 'landlock fs' does not go with --root", o->profile, p->opts.landlock_line);
		return -1;
	}
	return 0;
}

int run_jail_opts(const struct run_opts *o, const struct profile *p, const char *home,
		  const struct jail_user *u, const char *wd, ssize_t home_rule, struct plan *pl,
		  struct jail_cfg *cfg, char **persist)
{
	bool root = getuid() == 0 && geteuid() == 0;

	if (o->root && _root_check(o, p, cfg) < 0)
		return EXIT_SUPERVISE_FAIL;
	if (_home_opts(o, p, home, u, pl, persist, home_rule))
		return EXIT_SUPERVISE_FAIL;
	cfg->uid = u ? u->uid : getuid();
	cfg->gid = u ? u->gid : getgid();
	cfg->user = u;
	cfg->caps = root ? p->opts.caps : 0;
	cfg->real_ids = root && (u || p->opts.caps);
	if (p->opts.caps && !root && !o->quiet)
		warnx("%s: caps: not kept: supervise does not run as root, so the program has no "
		      "capabilities to keep", o->profile);
	for (size_t i = 0; i < p->n; i++)
		cfg->grants |= cfg->real_ids && p->rules[i].grant;
	if (cfg->real_ids && cfg->grants) {
		errx("%s: grant rules do not go with --user or a caps line", o->profile);
		return EXIT_SUPERVISE_FAIL;
	}
	if (wd) {
		cfg->cwd = wd;
		cfg->cwd_given = true;
	}
	return 0;
}

ssize_t run_home_rule(const struct run_opts *o, struct profile *p, const char *home)
{
	char err[256];

	if (o->mode != MODE_ENFORCE || o->no_jail || !home || home[0] != '/' ||
	    (p->opts.home != HOME_TMPFS && p->opts.home != HOME_PERSIST))
		return -1;
	if (policy_add(p, RULE_WRITE, home, home, err, sizeof(err)) < 0)
		return -1;	/* checked again, with a message, by run_jail_opts */
	return (ssize_t)p->n - 1;
}

void run_opts_unjailed(const struct run_opts *o, const struct profile *p)
{
	if (o->quiet || o->mode == MODE_LEARN)
		return;
	if (p->opts.no_proc || p->opts.home == HOME_TMPFS || p->opts.home == HOME_PERSIST ||
	    p->opts.caps)
		warnx("%s: the proc, home and caps lines need the jail (--enforce without --no-jail):"
		      " ignored", o->profile);
}
