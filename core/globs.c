/* globs.c - expanding wildcard allow rules against the host (see globs.h). */
#include "globs.h"

#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "../common/util.h"

/* The walk in progress (nftw has no context argument; setup is single-threaded). */
static struct {
	struct profile *p;
	size_t rule;		/* index of the wildcard rule in p->rules */
	unsigned long seen;
} _walk;

/* _visit - nftw callback: a path the pattern matches gets its rule, and its subtree is skipped
 * (the rule covers it); too many entries stop the walk. */
static int _visit(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	const struct rule *r = &_walk.p->rules[_walk.rule];

	(void)st;
	(void)ftw;
	if (++_walk.seen > GLOBS_SEARCH_MAX)
		return FTW_STOP;
	if (!policy_pattern_match(r->pattern, path))
		return FTW_CONTINUE;
	policy_add_match(_walk.p, r, path);
	return type == FTW_D ? FTW_SKIP_SUBTREE : FTW_CONTINUE;
}

/* _top - the directory to walk for PATTERN: its literal part up to the last '/' before the first
 * wildcard ("/" at least), into BUF. */
static void _top(const char *pattern, char *buf, size_t size)
{
	size_t n = (size_t)(strchr(pattern, '*') - pattern);

	while (n > 1 && pattern[n - 1] != '/')
		n--;
	if (n > 1)
		n--;	/* drop the trailing '/' */
	snprintf(buf, size, "%.*s", (int)n, pattern);
}

int globs_expand(struct profile *p, char *err, size_t errlen)
{
	size_t n = p->n;
	char top[PATH_MAX];

	for (size_t i = 0; i < n; i++) {
		const struct rule *r = &p->rules[i];

		if (r->kind == RULE_DENY || r->kind == RULE_TMPFS || !strchr(r->pattern, '*'))
			continue;
		_top(r->pattern, top, sizeof(top));
		_walk.p = p;
		_walk.rule = i;
		_walk.seen = 0;
		if (nftw(top, _visit, 32, FTW_PHYS | FTW_ACTIONRETVAL) == FTW_STOP) {
			snprintf(err, errlen, "line %u: '%s': more than %d entries to search below %s; "
				 "name the paths", p->rules[i].line, p->rules[i].text, GLOBS_SEARCH_MAX, top);
			return -E2BIG;
		}
	}
	return 0;
}
