/* links.c - the host's paths as the jail process sees them before the pivot: each bind's target
 * with links resolved (realpath(3) through a memo of readlink(2)), the links on the way that the
 * view recreates, and where each operation of the plan sits on the host. Setup regime. */
#include "jail_int.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../common/util.h"

/* The host's links as readlink(2) saw them while the binds are prepared: a path and its target
 * (NULL: not a link), so that the prefixes the plan's paths share (/etc, /usr, /usr/share, ...)
 * are read once and not again for each path and by realpath(3) (about 120 readlinks for the base
 * profile, 40 after). Filled before the pivot, in the single-threaded jail process. */
struct linkmemo {
	char *path;
	char *target;
};
static struct linkmemo *_memo;
static size_t _nmemo;

/* _readlink_memo - what the link at host PATH says, or NULL when PATH is no link (or missing).
 * The string belongs to the memo. */
static const char *_readlink_memo(const char *path)
{
	char t[PATH_MAX];
	ssize_t n;

	for (size_t i = 0; i < _nmemo; i++)
		if (!strcmp(_memo[i].path, path))
			return _memo[i].target;
	n = readlink(path, t, sizeof(t) - 1);
	_memo = xrealloc(_memo, (_nmemo + 1) * sizeof(*_memo));
	_memo[_nmemo].path = xstrdup(path);
	_memo[_nmemo].target = n > 0 ? xstrndup(t, (size_t)n) : NULL;
	return _memo[_nmemo++].target;
}

/* _canon - realpath(3) of the absolute host PATH through the memo into OUT (PATH_MAX bytes):
 * ".", ".." and every link resolved, ".." after a link going to the real parent. PATH must
 * exist (the caller stat()ed it). False after 40 links or when a path outgrows PATH_MAX. */
static bool _canon(const char *path, char *out)
{
	char rest[2 * PATH_MAX], next[2 * PATH_MAX];
	size_t len = 0;	/* OUT holds the resolved prefix, without a trailing '/' ("" is "/") */
	int links = 0;

	snprintf(rest, sizeof(rest), "%s", path);
	out[0] = 0;
	while (rest[0]) {
		char *comp = rest, *slash;
		const char *t;

		while (*comp == '/')
			comp++;
		slash = strchr(comp, '/');
		if (slash)
			*slash++ = 0;
		if (!*comp || !strcmp(comp, ".")) {
			memmove(rest, slash ? slash : "", strlen(slash ? slash : "") + 1);
			continue;
		}
		if (!strcmp(comp, "..")) {
			while (len > 0 && out[--len] != '/')
				;
			out[len] = 0;
			memmove(rest, slash ? slash : "", strlen(slash ? slash : "") + 1);
			continue;
		}
		if (len + 1 + strlen(comp) >= PATH_MAX)
			return false;
		len += (size_t)sprintf(out + len, "/%s", comp);
		t = _readlink_memo(out);
		if (t) {
			if (++links > 40)
				return false;
			if (snprintf(next, sizeof(next), "%s/%s", t, slash ? slash : "") >= (int)sizeof(next))
				return false;
			memcpy(rest, next, strlen(next) + 1);
			while (len > 0 && out[--len] != '/')	/* the link's own name goes */
				;
			out[len] = 0;
			if (t[0] == '/')
				len = 0, out[0] = 0;
			continue;
		}
		memmove(rest, slash ? slash : "", strlen(slash ? slash : "") + 1);
	}
	if (!len)
		strcpy(out, "/");
	return true;
}

/* _link_location - where the link at PATH really sits: its parent directory with links resolved,
 * then its own name. Links are placed there in the view, so that creating one never has to follow
 * another (an absolute link would lead out of the view under construction). */
static char *_link_location(const char *path)
{
	char dir[PATH_MAX];
	_cleanup_free_ char *parent = xstrdup(path);
	const char *name = strrchr(path, '/') + 1;

	*strrchr(parent, '/') = 0;
	if (!_canon(*parent ? parent : "/", dir))
		return xstrdup(path);
	return xasprintf("%s/%s", strcmp(dir, "/") ? dir : "", name);
}

/* jail_prepare_bind - fill P for the host PATH before the pivot; false when PATH does not exist. */
bool jail_prepare_bind(const char *path, struct prep *p)
{
	char buf[PATH_MAX];
	struct stat st;

	memset(p, 0, sizeof(*p));
	if (stat(path, &st) < 0 || !_canon(path, buf))
		return false;
	p->canon = xstrdup(buf);
	p->mode = st.st_mode;
	snprintf(buf, sizeof(buf), "%s", path);
	for (char *s = buf + 1;; s++) {
		char save = *s;
		const char *t;

		if (save && save != '/')
			continue;
		*s = 0;
		t = _readlink_memo(buf);
		if (t && p->nlinks < ARRAY_SIZE(p->links)) {
			p->links[p->nlinks] = _link_location(buf);
			p->targets[p->nlinks++] = xstrdup(t);
		}
		*s = save;
		if (!save)
			break;
	}
	return true;
}

/* jail_locations - for each operation of PL, where it sits on the host (malloc'd, or NULL): a
 * bind's or a grant's resolved target (PREPS, when HAVE), any other's path with links resolved. */
char **jail_locations(const struct plan *pl, const struct prep *preps, const bool *have)
{
	char **loc = xcalloc(pl->n, sizeof(*loc));
	char buf[PATH_MAX];

	for (size_t i = 0; i < pl->n; i++) {
		const struct mop *m = &pl->v[i];

		if (m->kind == MOP_BIND || m->kind == MOP_GRANT)
			loc[i] = have[i] ? xstrdup(preps[i].canon) : NULL;
		else if (m->kind == MOP_MASK && strpbrk(m->path, "*?["))
			loc[i] = NULL;	/* counted as anywhere by _shows_same */
		else
			loc[i] = xstrdup(_canon(m->path, buf) ? buf : m->path);
	}
	return loc;
}
