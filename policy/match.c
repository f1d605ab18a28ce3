/* match.c - wildcard matching of patterns against paths, and the most-specific-wins decision
 * (pure).
 *
 * Why the decision is safe:
 *   - no rule applying means denied (fail closed), and *rule is NULL so the caller can say so;
 *   - patterns are normalised once at parse time ("..", ".", "//" resolved, never above "/"), and
 *     policy_decide() refuses anything that is not absolute, so "tcp ..." objects never match;
 *   - "*" never crosses "/" and a component is compared whole, so "/a/b" does not cover "/a/bc";
 *   - among equally specific rules a deny wins, so an allow can only override a deny by being
 *     strictly more specific: covering the path from a deeper ancestor, or from the same one with
 *     fewer or narrower wildcards;
 *   - specificity is the depth at which a rule starts to cover the path, not the length of its
 *     pattern: a "**" cannot make a pattern look shallower than what it matched (a deny of every
 *     ".ssh" directory beats "read /home/u" on /home/u/.ssh/id), nor deeper (a trailing "**"
 *     adds nothing, so a pattern ending in "**" ties with the same pattern without it, and a
 *     deny among them wins).
 */
#include "policy.h"

#include <stdint.h>
#include <string.h>

#include "../common/path.h"

/* _is_dstar - true when the pattern component C (length L) is exactly "**". */
static bool _is_dstar(const char *c, size_t l)
{
	return l == 2 && c[0] == '*' && c[1] == '*';
}

/* _glob_comp - match one pattern component P (length PL; "*" = any run of characters) against one
 * path component S (length SL). Greedy with single backtrack point: O(PL * SL), no recursion. */
static bool _glob_comp(const char *p, size_t pl, const char *s, size_t sl)
{
	size_t pi = 0, si = 0, star = SIZE_MAX, mark = 0;

	while (si < sl) {
		if (pi < pl && p[pi] == '*') {
			star = pi++;
			mark = si;
		} else if (pi < pl && p[pi] == s[si]) {
			pi++;
			si++;
		} else if (star != SIZE_MAX) {
			pi = star + 1;
			si = ++mark;
		} else {
			return false;
		}
	}
	while (pi < pl && p[pi] == '*')
		pi++;
	return pi == pl;
}

/* _only_dstars - true when every component left in the pattern P is "**" (or none is left). */
static bool _only_dstars(const char *p)
{
	const char *c;
	size_t l;

	while ((c = path_next_comp(p, &l))) {
		if (!_is_dstar(c, l))
			return false;
		p = c + l;
	}
	return true;
}

/* _pcomp - path_next_comp() for the prefix of a path that ends at END (a component boundary: a
 * "/" or the end), S at most END: NULL at END (*LEN may then be changed). */
static const char *_pcomp(const char *s, const char *end, size_t *len)
{
	while (s < end && *s == '/')
		s++;
	/* nothing is looked at from END on: no strchrnul over the rest of the path */
	return s < end ? path_next_comp(s, len) : NULL;
}

/* _match - policy_pattern_match() of the absolute PATTERN against the prefix of the absolute
 * PATH that ends at END (a component boundary). Components are matched like characters in a
 * classic wildcard matcher: "**" is the star (with one backtrack point, so O(pattern * path),
 * never exponential) and every other component matches exactly one path component. A pattern
 * used up before the path means the pattern matched an ancestor, which covers the subtree. */
static bool _match(const char *pattern, const char *path, const char *end)
{
	const char *p = pattern, *x = path, *pstar = NULL, *xstar = NULL, *pc, *xc;
	size_t pl, xl;

	while ((xc = _pcomp(x, end, &xl))) {
		if (!(pc = path_next_comp(p, &pl)))
			return true;
		if (_is_dstar(pc, pl)) {
			p = pstar = pc + pl;
			xstar = xc;
		} else if (_glob_comp(pc, pl, xc, xl)) {
			p = pc + pl;
			x = xc + xl;
		} else if (pstar) {
			xc = _pcomp(xstar, end, &xl);	/* the last "**" absorbs one more component */
			x = xstar = xc + xl;
			p = pstar;
		} else {
			return false;
		}
	}
	return _only_dstars(p);
}

/* policy_pattern_match - see policy.h and _match(). */
bool policy_pattern_match(const char *pattern, const char *path)
{
	if (pattern[0] != '/' || path[0] != '/')
		return false;
	return _match(pattern, path, path + strlen(path));
}

/* _match_depth - the depth (number of components) of the shortest prefix of PATH that PATTERN
 * matches: the ancestor (or PATH itself) from which on the rule covers PATH. Returns -1 when the
 * rule does not apply. A pattern matching a prefix covers every longer one too, so the first
 * matching prefix from "/" (depth 0) downwards is the shortest. O(depth * pattern * path), or
 * O(pattern) without "**". */
static int _match_depth(const char *pattern, const char *path)
{
	const char *end = path, *c;
	size_t l;
	int depth = 0;

	if (!policy_pattern_match(pattern, path))
		return -1;
	if (!strstr(pattern, "**")) {	/* each component matched one: as deep as the pattern */
		for (const char *p = pattern; (c = path_next_comp(p, &l)); p = c + l)
			depth++;
		return depth;
	}
	while (!_match(pattern, path, end)) {
		c = path_next_comp(end, &l);
		if (!c)		/* cannot happen: the whole path matched */
			break;
		end = c + l;
		depth++;
	}
	return depth;
}

/* _rank - specificity of one pattern component: literal 3, partial glob ("*.c") 2, "*" 1,
 * "**" 0. */
static int _rank(const char *c, size_t l)
{
	if (_is_dstar(c, l))
		return 0;
	if (l == 1 && c[0] == '*')
		return 1;
	return memchr(c, '*', l) ? 2 : 3;
}

/* How specific one rule is for one path: see policy_decide() in policy.h. */
struct spec {
	int depth;		/* of the shortest prefix of the path the pattern matches */
	unsigned wild;		/* wildcard components, not counting trailing "**" */
	unsigned dstar;		/* of which "**" */
	unsigned star;		/* of which a lone "*" (the rest are partial globs) */
};

/* _spec - the specificity of PATTERN for PATH into *S. Trailing "**" components are not counted:
 * they cover nothing more than the pattern without them, so the two tie. Returns false when
 * PATTERN does not apply to PATH. */
static bool _spec(const char *pattern, const char *path, struct spec *s)
{
	unsigned trailing = 0;
	const char *c;
	size_t l;

	*s = (struct spec){ .depth = _match_depth(pattern, path) };
	if (s->depth < 0)
		return false;
	while ((c = path_next_comp(pattern, &l))) {
		int rank = _rank(c, l);

		trailing = rank == 0 ? trailing + 1 : 0;
		s->dstar += rank == 0;
		s->star += rank == 1;
		s->wild += rank < 3;
		pattern = c + l;
	}
	s->dstar -= trailing;
	s->wild -= trailing;
	return true;
}

/* _spec_cmp - compare specificities A and B: the deeper match wins; at equal depth fewer wildcard
 * components win, then fewer "**", then fewer lone "*". Returns <0, 0 or >0 as A is less, as,
 * or more specific than B. */
static int _spec_cmp(const struct spec *a, const struct spec *b)
{
	if (a->depth != b->depth)
		return a->depth < b->depth ? -1 : 1;
	if (a->wild != b->wild)
		return a->wild > b->wild ? -1 : 1;
	if (a->dstar != b->dstar)
		return a->dstar > b->dstar ? -1 : 1;
	if (a->star != b->star)
		return a->star > b->star ? -1 : 1;
	return 0;
}

/* _may_apply - a quick test before _spec(): false when PATTERN cannot apply to PATH because they
 * differ in a character before the pattern's first "*". Up to its first wildcard, a pattern
 * matches position by position (each component exactly one path component, the characters of a
 * glob component before its "*" literally), so such a difference rules it out. A difference at a
 * "/" (a shorter component, or a path written with "//") is left to _spec(), as is everything
 * from the first "*" on. About 40 rules come with "include base", and most differ from a path
 * in their first few characters, so this saves the component matcher for nearly all of them. */
static bool _may_apply(const char *pattern, const char *path)
{
	while (*pattern && *pattern != '*' && *pattern == *path) {
		pattern++;
		path++;
	}
	return !*pattern || !*path || *pattern == '*' || *pattern == '/' || *path == '/';
}

/* _best - the most specific set of rules of P applying to PATH: *BEST is its first rule (NULL if
 * none applies), *DENY its first deny rule, *GRANT its first rule granting a bit of ACCESS.
 * Returns the union of the rights of the set. */
static unsigned _best(const struct profile *p, const char *path, unsigned access,
		      const struct rule **best, const struct rule **deny, const struct rule **grant)
{
	struct spec top = { 0 }, s;
	unsigned rights = 0;

	*best = *deny = *grant = NULL;
	for (size_t i = 0; i < p->n; i++) {
		const struct rule *r = &p->rules[i];
		int c;

		if (!_may_apply(r->pattern, path) || !_spec(r->pattern, path, &s))
			continue;
		c = *best ? _spec_cmp(&s, &top) : 1;
		if (c < 0)
			continue;
		if (c > 0) {
			*best = r;
			top = s;
			*deny = *grant = NULL;
			rights = 0;
		}
		if (r->kind == RULE_DENY && !*deny)
			*deny = r;
		rights |= policy_rights(r->kind);
		if (!*grant && (policy_rights(r->kind) & access))
			*grant = r;
	}
	return rights;
}

bool policy_decide(const struct profile *p, const char *path, enum access access,
		   const struct rule **rule)
{
	const struct rule *best = NULL, *deny = NULL, *grant = NULL, *why;
	unsigned rights = 0;
	bool allowed;

	if (path[0] == '/')
		rights = _best(p, path, (unsigned)access, &best, &deny, &grant);
	allowed = best && !deny && access && (rights & (unsigned)access) == (unsigned)access;
	why = deny ? deny : allowed ? grant : best;
	if (rule)
		*rule = why;
	return allowed;
}
