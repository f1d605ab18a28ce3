/* plan.c - from profile rules to an ordered list of mounts (pure). */
#include "plan.h"

#include <errno.h>
#include <linux/mount.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/path.h"
#include "../common/util.h"

unsigned plan_attrs(unsigned rights)
{
	unsigned a = MA_NOSUID | MA_NODEV;

	if (!(rights & (ACC_WRITE | ACC_CREATE)))
		a |= MA_RDONLY;
	if (!(rights & ACC_EXEC))
		a |= MA_NOEXEC;
	return a;
}

uint64_t plan_mount_attr(unsigned ma)
{
	return ((ma & MA_RDONLY) ? MOUNT_ATTR_RDONLY : 0) | ((ma & MA_NOSUID) ? MOUNT_ATTR_NOSUID : 0) |
	       ((ma & MA_NODEV) ? MOUNT_ATTR_NODEV : 0) | ((ma & MA_NOEXEC) ? MOUNT_ATTR_NOEXEC : 0);
}

bool plan_jail_provided(const char *path)
{
	static const char *const dev[] = {
		"/dev", "/dev/null", "/dev/zero", "/dev/full", "/dev/random", "/dev/urandom",
		"/dev/tty", "/dev/pts", "/dev/ptmx", "/dev/shm", "/dev/fd", "/dev/stdin",
		"/dev/stdout", "/dev/stderr",
	};

	if (path_is_under(path, "/proc"))
		return true;
	for (size_t i = 0; i < ARRAY_SIZE(dev); i++)
		if (!strcmp(path, dev[i]) || (i > 0 && path_is_under(path, dev[i])))
			return true;
	return false;
}

/* _push - append an operation. */
static void _push(struct plan *pl, enum mop_kind k, const char *path, unsigned attrs,
		  const struct rule *r)
{
	if (pl->n == pl->cap) {
		pl->cap = pl->cap ? pl->cap * 2 : 32;
		pl->v = xrealloc(pl->v, pl->cap * sizeof(*pl->v));
	}
	pl->v[pl->n++] = (struct mop){ .kind = k, .path = xstrdup(path), .attrs = attrs, .rule = r };
}

/* _find - the operation on exactly PATH of kind K, or NULL. */
static struct mop *_find(struct plan *pl, enum mop_kind k, const char *path)
{
	for (size_t i = 0; i < pl->n; i++)
		if (pl->v[i].kind == k && !strcmp(pl->v[i].path, path))
			return &pl->v[i];
	return NULL;
}

/* _depth - number of components of PATH ("/" is 0). */
static unsigned _depth(const char *path)
{
	unsigned d = 0;

	for (const char *s = path; *s; s++)
		if (*s == '/' && s[1])
			d++;
	return d;
}

/* _rank - order at one path: the jail's own mounts, then binds and tmpfs rules, then masks. */
static int _rank(const struct mop *m)
{
	if (!m->rule)
		return 0;
	return (m->kind == MOP_MASK || m->kind == MOP_GRANT) ? 2 : 1;
}

/* _cmp - parents first; at one path _rank decides. */
static int _cmp(const void *a, const void *b)
{
	const struct mop *x = a, *y = b;
	unsigned dx = _depth(x->path), dy = _depth(y->path);
	int c;

	if (dx != dy)
		return dx < dy ? -1 : 1;
	c = strcmp(x->path, y->path);
	if (c)
		return c;
	return _rank(x) - _rank(y);
}

/* _visible - whether PATH lies inside a bound or tmpfs tree of PL. */
static bool _visible(const struct plan *pl, const char *path)
{
	for (size_t i = 0; i < pl->n; i++)
		if (pl->v[i].kind != MOP_MASK && path_is_under(path, pl->v[i].path))
			return true;
	return false;
}

/* _add_allow - merge allow rule R into a bind on its path. A wildcard pattern is not mounted
 * itself: the rules core/globs.c added for its matches are. */
static void _add_allow(struct plan *pl, const struct rule *r)
{
	struct mop *m;

	if (strchr(r->pattern, '*'))
		return;
	if (plan_jail_provided(r->pattern))
		return;
	if (r->grant) {
		if (!_find(pl, MOP_GRANT, r->pattern))
			_push(pl, MOP_GRANT, r->pattern, plan_attrs(policy_rights(r->kind)), r);
		return;
	}
	m = _find(pl, MOP_BIND, r->pattern);
	if (!m) {
		_push(pl, MOP_BIND, r->pattern, 0, r);
		m = &pl->v[pl->n - 1];
		m->attrs = policy_rights(r->kind);	/* rights for now; attrs at the end */
	} else {
		m->attrs |= policy_rights(r->kind);
	}
}

void plan_build(const struct profile *p, struct plan *out)
{
	_push(out, MOP_TMPFS, "/tmp", MA_NOSUID | MA_NODEV, NULL);
	_push(out, MOP_DEV, "/dev", MA_NOSUID | MA_NOEXEC, NULL);
	_push(out, MOP_PROC, "/proc", MA_NOSUID | MA_NODEV | MA_NOEXEC, NULL);
	for (size_t i = 0; i < p->n; i++) {
		const struct rule *r = &p->rules[i];

		if (r->arg)	/* "read @arg": core/args.c added a rule per argument's path */
			continue;
		if (r->kind == RULE_TMPFS && plan_jail_provided(r->pattern))
			continue;
		if (r->kind == RULE_TMPFS && !_find(out, MOP_TMPFS, r->pattern))
			_push(out, MOP_TMPFS, r->pattern, MA_NOSUID | MA_NODEV | MA_NOEXEC, r);
		else if (r->kind != RULE_DENY && r->kind != RULE_TMPFS)
			_add_allow(out, r);
	}
	for (size_t i = 0; i < out->n; i++) {
		if (out->v[i].kind != MOP_BIND || !out->v[i].rule)
			continue;
		out->v[i].attrs = plan_attrs(out->v[i].attrs);
		if (path_is_under(out->v[i].path, "/dev"))	/* a device rule is for opening it */
			out->v[i].attrs &= ~MA_NODEV;
	}
	for (size_t i = 0; i < p->n; i++) {
		const struct rule *r = &p->rules[i];
		struct mop *same = _find(out, MOP_BIND, r->pattern);

		if (r->kind != RULE_DENY || plan_jail_provided(r->pattern))
			continue;	/* /proc and /dev denies rest on the supervisor's check */
		if (same) {	/* deny beats an equally specific allow: never bound */
			free(same->path);
			*same = out->v[--out->n];
		}
		if (_visible(out, r->pattern) || strpbrk(r->pattern, "*?["))
			_push(out, MOP_MASK, r->pattern, 0, r);
	}
	if (out->n)
		qsort(out->v, out->n, sizeof(*out->v), _cmp);
}

void plan_options(struct plan *pl, bool no_proc, enum home_mode home_mode, const char *home,
		  const char *persist, const struct rule *home_rule)
{
	for (size_t i = 0; i < pl->n; i++)
		if ((no_proc && pl->v[i].kind == MOP_PROC) || (home_rule && pl->v[i].rule == home_rule)) {
			free(pl->v[i].path);
			memmove(&pl->v[i], &pl->v[i + 1], (pl->n - i - 1) * sizeof(*pl->v));
			pl->n--;
			i--;
		}
	if (home_mode == HOME_TMPFS && home)
		_push(pl, MOP_HOME, home, MA_NOSUID | MA_NODEV | MA_NOEXEC, NULL);
	if (home_mode == HOME_PERSIST && home && persist) {
		_push(pl, MOP_BIND_FROM, home, MA_NOSUID | MA_NODEV | MA_NOEXEC, NULL);
		pl->v[pl->n - 1].src = xstrdup(persist);
	}
	if (pl->n)
		qsort(pl->v, pl->n, sizeof(*pl->v), _cmp);
}

void plan_free(struct plan *pl)
{
	for (size_t i = 0; i < pl->n; i++) {
		free(pl->v[i].path);
		free(pl->v[i].src);
	}
	free(pl->v);
	*pl = (struct plan){ 0 };
}
