/* profile_load.c - read a profile from a file or the DB and parse it. */
#include "profile_load.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <unistd.h>
#include <stdio.h>
#include <string.h>

#include "../common/util.h"
#include "../db/db.h"
#include "shipped.h"

int profile_is_file(const char *spec)
{
	size_t n = strlen(spec);

	return strchr(spec, '/') || (n > 8 && !strcmp(spec + n - 8, ".profile"));
}

char *profile_read_file(const char *file)
{
	_cleanup_fclose_ FILE *f = fopen(file, "re");
	char *buf = NULL;
	size_t len = 0, cap = 0, n;

	if (!f)
		return NULL;
	do {
		if (cap - len < 4096) {
			cap = cap ? cap * 2 : 8192;
			buf = xrealloc(buf, cap + 1);
		}
		n = fread(buf + len, 1, cap - len, f);
		len += n;
	} while (n > 0);
	if (ferror(f)) {
		int e = errno ? errno : EIO;
		free(buf);
		errno = e;
		return NULL;
	}
	buf = xrealloc(buf, len + 1);
	buf[len] = 0;
	if (memchr(buf, 0, len)) {
		free(buf);
		errno = EINVAL;
		return NULL;
	}
	return buf;
}

/* _shipped - the shipped profile file for NAME, the first that exists of
 * $SUPERVISE_POLICIES/NAME.profile, DATADIR/policies/NAME.profile and, for a build tree,
 * <the executable's directory>/../policies/NAME.profile. malloc'd or NULL. */
static char *_shipped(const char *name)
{
	char exe[PATH_MAX];
	const char *env = getenv("SUPERVISE_POLICIES");
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	char *c;

	if (env && *env) {
		c = xasprintf("%s/%s.profile", env, name);
		if (access(c, R_OK) == 0)
			return c;
		free(c);
	}
	c = xasprintf("%s/policies/%s.profile", SUPERVISE_DATADIR, name);
	if (access(c, R_OK) == 0)
		return c;
	free(c);
	if (n <= 0)
		return NULL;
	exe[n] = 0;
	*strrchr(exe, '/') = 0;
	c = xasprintf("%s/../policies/%s.profile", exe, name);
	if (access(c, R_OK) == 0)
		return c;
	free(c);
	return NULL;
}

/* _fetch - the text of profile NAME (the database first, then the shipped ones) and a label for
 * its errors. 0, or -ENOENT or -errno with the reason in WHY: "no such profile", the errno's text
 * for a shipped file, or the database's file and SQLite's message for a database that cannot be
 * read, which is never passed over for a shipped profile of the same name. */
static int _fetch(sqlite3 *db, const char *name, char **text, char **label, char *why,
		  size_t whylen)
{
	_cleanup_free_ char *file = NULL;
	int r = db ? db_profile_get(db, name, text) : -ENOENT;

	if (r == 0) {
		*label = xasprintf("profile %s", name);
		return 0;
	}
	if (r != -ENOENT) {
		snprintf(why, whylen, "%s: %s", sqlite3_db_filename(db, "main"), sqlite3_errmsg(db));
		return r;
	}
	snprintf(why, whylen, "no such profile");
	file = _shipped(name);
	if (!file) {	/* the copies compiled into the binary */
		for (const struct shipped_profile *sp = shipped_profiles; sp->name; sp++) {
			if (strcmp(sp->name, name))
				continue;
			*text = xstrdup(sp->text);
			*label = xasprintf("%s.profile (built in)", name);
			return 0;
		}
		return -ENOENT;
	}
	*text = profile_read_file(file);
	if (!*text) {
		r = -errno;
		snprintf(why, whylen, "%s: %s", file, strerror(-r));
		return r;
	}
	*label = steal_pointer(&file);
	return 0;
}

/* _includes - resolve P's include lines (LABEL names P in errors) and merge what they grant.
 * DEPTH guards against cycles. 0 or -errno with a reason in ERR. */
static int _includes(sqlite3 *db, struct profile *p, const char *label, const char *home,
		     int depth, char *err, size_t errlen)
{
	for (size_t i = 0; i < p->nincludes; i++) {
		_cleanup_free_ char *text = NULL, *sub = NULL;
		struct profile inc = { 0 };
		char why[400];
		int r;

		if (depth >= 8) {
			snprintf(err, errlen, "%s:%u: includes nest too deep (a cycle?)", label,
				 p->include_lines[i]);
			return -ELOOP;
		}
		r = _fetch(db, p->includes[i], &text, &sub, why, sizeof(why));
		if (r < 0) {
			snprintf(err, errlen, "%s:%u: include '%s': %s", label, p->include_lines[i],
				 p->includes[i], why);
			return r;
		}
		r = policy_parse(text, sub, home, &inc, err, errlen);
		if (r == 0)
			r = _includes(db, &inc, sub, home, depth + 1, err, errlen);
		if (r == 0)
			policy_merge_included(p, &inc);
		policy_free(&inc);
		if (r < 0)
			return r;
	}
	return 0;
}

/* _set_xdg - give the parser the XDG base directories of this process's environment (what the
 * command will see: policy_set_var), XDG_RUNTIME_DIR defaulting to /run/user/EUID as
 * pam_systemd sets it, so that a learned "$XDG_RUNTIME_DIR/..." rule loads without a session. */
static void _set_xdg(void)
{
	char dflt[40];

	for (int v = 0; v < PATH_VAR_N; v++)
		if (v != PATH_VAR_CWD)
			policy_set_var(v, getenv(path_var_name(v)));
	if (!getenv("XDG_RUNTIME_DIR") || getenv("XDG_RUNTIME_DIR")[0] != '/') {
		snprintf(dflt, sizeof(dflt), "/run/user/%u", (unsigned)geteuid());
		policy_set_var(PATH_VAR_RUNTIME, dflt);
	}
}

int profile_parse_full(sqlite3 *db, const char *text, const char *label, const char *home,
		       struct profile *out, char *err, size_t errlen)
{
	int r;

	_set_xdg();
	r = policy_parse(text, label, home, out, err, errlen);

	return r < 0 ? r : _includes(db, out, label, home, 0, err, errlen);
}

int profile_load(sqlite3 *db, const char *spec, const char *home, struct profile *out, char *err,
		 size_t errlen)
{
	_cleanup_free_ char *text = NULL, *label = NULL;
	int r;

	if (profile_is_file(spec)) {
		text = profile_read_file(spec);
		if (!text) {
			r = -errno;
			snprintf(err, errlen, "%s: %s", spec,
				 errno == EINVAL ? "not a text file" : strerror(errno));
			return r;
		}
		label = xstrdup(spec);
	} else {	/* the database first, then the shipped profiles */
		char why[400];

		r = _fetch(db, spec, &text, &label, why, sizeof(why));
		if (r == -ENOENT) {
			snprintf(err, errlen, "no profile named '%s' (see supervise profile list)", spec);
			return r;
		}
		if (r < 0) {
			snprintf(err, errlen, "cannot read profile '%s': %s", spec, why);
			return r;
		}
	}
	return profile_parse_full(db, text, label, home, out, err, errlen);
}

int profile_name_valid(const char *name)
{
	return policy_name_valid(name);
}
