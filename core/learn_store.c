/* learn_store.c - write the learned profile and tell the user what happened. */
#include "learn_store.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "../common/util.h"
#include "../db/db.h"
#include "../learn/learn.h"
#include "profile_load.h"

char *run_profile_name(const char *name, const char *argv0)
{
	const char *base = strrchr(argv0, '/');
	const char *n = name ? name : base ? base + 1 : argv0;

	if (!profile_name_valid(n)) {
		errx("'%s' is not a valid profile name (1-64 of A-Z a-z 0-9 . _ + -; give one with -p NAME)", n);
		return NULL;
	}
	return xstrdup(n);
}

/* _exists - learn_exists_fn backed by lstat. */
static bool _exists(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0;
}

/* _load_existing - the stored profile NAME into *P (empty when there is none). 0 or -errno. */
static int _load_existing(sqlite3 *db, const char *name, const char *home, struct profile *p)
{
	_cleanup_free_ char *text = NULL, *label = NULL;
	char err[512];
	int r = db_profile_get(db, name, &text);

	if (r == -ENOENT) {	/* a new profile starts from the shipped base */
		if (profile_parse_full(db, "include base\n", "(new profile)", home, p, err,
				       sizeof(err)) == 0)
			return 0;
		policy_free(p);
		warnx("%s: the learned profile will not include base", err);
		return 0;
	}
	if (r < 0)
		return r;
	label = xasprintf("profile %s", name);
	if (profile_parse_full(db, text, label, home, p, err, sizeof(err)) < 0) {
		errx("%s (fix or delete it before learning into it)", err);
		return -EINVAL;
	}
	return 0;
}

/* _summary - what was recorded and what to run next. */
static void _summary(const struct session *s, const char *name, size_t nrules, const struct run_opts *o,
		     int64_t run)
{
	size_t reads = 0, writes = 0, execs = 0;
	_cleanup_free_ char *next = NULL;

	if (o->quiet)
		return;
	learn_count(&s->learned, &reads, &writes, &execs);
	fprintf(stderr, "supervise: learned run %lld: %llu events; paths: %zu read, %zu written, %zu executed\n",
		(long long)run, (unsigned long long)s->events, reads, writes, execs);
	fprintf(stderr, "supervise: profile '%s' written: %zu rules (supervise profile show %s)\n", name,
		nrules, name);
	next = util_shell_join(o->argv);
	fprintf(stderr, "supervise: next: supervise --enforce %s %s\n", name, next);
}

int run_learn_store(sqlite3 *db, const char *name, struct session *sess, const struct run_opts *o,
		 int64_t run)
{
	const char *home = getenv("HOME");
	struct profile existing = { 0 }, check = { 0 };
	_cleanup_free_ char *text = NULL, *header = NULL;
	char err[512];
	size_t nrules = 0;
	int r;

	r = _load_existing(db, name, home, &existing);
	if (r < 0)
		goto out;
	header = xasprintf("profile %s, learned by supervise (run %lld)", name, (long long)run);
	text = learn_render(&sess->learned, &existing, home, _exists, header, &nrules);
	r = profile_parse_full(db, text, name, home, &check, err, sizeof(err));
	if (r < 0) {
		errx("internal error: the learned profile does not parse: %s", err);
		goto out;
	}
	r = db_profile_put(db, name, text, &check);
	if (r < 0) {
		errx("cannot store profile '%s'", name);
		goto out;
	}
	_summary(sess, name, nrules, o, run);
out:
	policy_free(&existing);
	policy_free(&check);
	return r < 0 ? -EIO : 0;
}
