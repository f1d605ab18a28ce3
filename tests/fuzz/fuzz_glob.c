/* fuzz_glob.c - libFuzzer target: wildcard matching (policy_pattern_match) against a reference
 * matcher written here for clarity, not speed, and the most-specific-wins order of
 * policy_decide between a deny and a read rule.
 *
 * Input: NUL-separated fields PATTERN, PATH and, optionally, DENY (a second pattern).
 * The reference follows policy.h: paths and patterns are split into components at "/" (empty
 * components dropped); a "**" component matches any number of path components, any other
 * pattern component exactly one path component, "*" in it any run of characters; a pattern
 * matches PATH when it matches PATH or one of its ancestors. With DENY, "read PATTERN" and
 * "deny DENY" are decided on PATH: the read must win exactly when the reference ranks it more
 * specific (deeper start of coverage, then fewer wildcards, fewer "**", fewer lone "*").
 */
#include "fuzz.h"

#include <stdbool.h>

#include "../../policy/policy.h"

#define MAXC 130	/* components of a 256-byte input, and then some */

struct comps {
	const char *c[MAXC];
	size_t l[MAXC];
	size_t n;
};

/* split - the components of S into *OUT. */
static void split(const char *s, struct comps *out)
{
	out->n = 0;
	for (;;) {
		s += strspn(s, "/");
		if (!*s || out->n == MAXC)
			return;
		out->c[out->n] = s;
		out->l[out->n] = strcspn(s, "/");
		s += out->l[out->n++];
	}
}

/* glob_ref - the component pattern P (PL bytes) matches S (SL bytes), by dynamic programming:
 * m[i][j] is "P from i matches S from j". */
static bool glob_ref(const char *p, size_t pl, const char *s, size_t sl)
{
	bool m[pl + 1][sl + 1];

	for (size_t i = pl + 1; i-- > 0;)
		for (size_t j = sl + 1; j-- > 0;) {
			if (i == pl)
				m[i][j] = j == sl;
			else if (p[i] == '*')
				m[i][j] = m[i + 1][j] || (j < sl && m[i][j + 1]);
			else
				m[i][j] = j < sl && p[i] == s[j] && m[i + 1][j + 1];
		}
	return m[0][0];
}

/* is_dstar - component C (L bytes) is "**". */
static bool is_dstar(const char *c, size_t l)
{
	return l == 2 && c[0] == '*' && c[1] == '*';
}

/* depth_ref - the depth of the shortest prefix of PATH that PATTERN matches, or -1. Forward
 * dynamic programming over components: r[i][j] is "the first I pattern components match exactly
 * the first J path components". */
static int depth_ref(const char *pattern, const char *path)
{
	static bool r[MAXC + 1][MAXC + 1];
	struct comps p, x;

	if (pattern[0] != '/' || path[0] != '/')
		return -1;
	split(pattern, &p);
	split(path, &x);
	for (size_t j = 0; j <= x.n; j++)
		r[0][j] = j == 0;
	for (size_t i = 0; i < p.n; i++) {
		bool any = false;

		for (size_t j = 0; j <= x.n; j++) {
			if (is_dstar(p.c[i], p.l[i])) {
				any = any || r[i][j];
				r[i + 1][j] = any;
			} else {
				r[i + 1][j] = j > 0 && r[i][j - 1] &&
					      glob_ref(p.c[i], p.l[i], x.c[j - 1], x.l[j - 1]);
			}
		}
	}
	for (size_t j = 0; j <= x.n; j++)
		if (r[p.n][j])
			return (int)j;
	return -1;
}

/* spec_ref - the reference specificity of PATTERN on PATH into V[4] (depth, -wild, -dstar,
 * -star: greater is more specific); false when it does not apply. */
static bool spec_ref(const char *pattern, const char *path, int v[4])
{
	struct comps p;
	size_t end;

	v[0] = depth_ref(pattern, path);
	if (v[0] < 0)
		return false;
	split(pattern, &p);
	end = p.n;
	while (end > 0 && is_dstar(p.c[end - 1], p.l[end - 1]))
		end--;
	v[1] = v[2] = v[3] = 0;
	for (size_t i = 0; i < end; i++) {
		bool ds = is_dstar(p.c[i], p.l[i]), st = p.l[i] == 1 && p.c[i][0] == '*';

		v[1] -= ds || memchr(p.c[i], '*', p.l[i]) != NULL;
		v[2] -= ds;
		v[3] -= st;
	}
	return true;
}

/* check_order - "read PATTERN" against "deny DENY" on PATH. */
static void check_order(const char *pattern, const char *deny, const char *path)
{
	struct profile p = { 0 };
	char err[512];
	int a[4], d[4], c = 0;
	bool ra, rd, allowed;

	if (policy_add(&p, RULE_READ, pattern, NULL, err, sizeof(err)) < 0 ||
	    policy_add(&p, RULE_DENY, deny, NULL, err, sizeof(err)) < 0 || path[0] != '/') {
		policy_free(&p);
		return;
	}
	ra = spec_ref(p.rules[0].pattern, path, a);
	rd = spec_ref(p.rules[1].pattern, path, d);
	for (int i = 0; i < 4 && ra && rd && !c; i++)
		c = a[i] - d[i];
	allowed = policy_decide(&p, path, ACC_READ, NULL);
	FUZZ_CHECK(allowed == (ra && (!rd || c > 0)), "read '%s' deny '%s' on '%s': %s",
		   p.rules[0].pattern, p.rules[1].pattern, path, allowed ? "allowed" : "denied");
	policy_free(&p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_fields ff;
	const char *pattern, *path = "/";
	bool got, want;

	fuzz_split(data, size, 3, &ff);
	pattern = ff.f[0];
	if (ff.n >= 2)
		path = ff.f[1];
	if (strlen(pattern) < 2 * MAXC && strlen(path) < 2 * MAXC) {
		got = policy_pattern_match(pattern, path);
		want = depth_ref(pattern, path) >= 0;
		FUZZ_CHECK(got == want, "'%s' on '%s': %d, the reference says %d", pattern, path, got,
			   want);
		if (ff.n >= 3 && strlen(ff.f[2]) < 2 * MAXC)
			check_order(pattern, ff.f[2], path);
	}
	fuzz_fields_free(&ff);
	return 0;
}
