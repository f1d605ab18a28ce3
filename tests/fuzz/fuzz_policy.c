/* fuzz_policy.c - libFuzzer target: the profile parser (policy_parse), the decision on a path of
 * the input (policy_decide), rendering (policy_render) and merging (policy_merge_included).
 *
 * Input: NUL-separated fields, the last being the profile text and those before it, in order,
 * PATH (decided on), FILE (named in errors) and HOME (empty: NULL). Missing ones default to "/",
 * "fuzz.profile" and "/home/u". Properties checked beyond the sanitizers:
 *   - an error names FILE first ("FILE:LINE: ...");
 *   - a decision that allows names a rule granting the access; no rule applies to a relative path;
 *   - PATH added as a rule (policy_add, so escaped and decoded again) has PATH normalised as its
 *     pattern, when it is absolute, short enough and free of control characters;
 *   - a profile that parsed renders to text that parses, renders to the same text, and decides
 *     PATH (normalised) as the original does;
 *   - the profile merged into an empty one decides alike and renders to nothing of its own.
 */
#include "fuzz.h"

#include <errno.h>
#include <limits.h>
#include <stdbool.h>

#include "../../common/path.h"
#include "../../policy/policy.h"

static const enum access accs[] = { ACC_READ, ACC_WRITE, ACC_CREATE, ACC_EXEC, ACC_STAT };

/* decide_ok - decide the first N access kinds of accs on PATH in P and check what the decision
 * names. */
static void decide_ok(const struct profile *p, const char *path, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct rule *r = NULL;
		bool ok = policy_decide(p, path, accs[i], &r);

		FUZZ_CHECK(!r || (r >= p->rules && r < p->rules + p->n), "rule outside the profile");
		FUZZ_CHECK(!ok || (r && (policy_rights(r->kind) & accs[i])), "allowed by '%s'",
			   r ? r->text : "(none)");
		FUZZ_CHECK(path[0] == '/' || (!ok && !r), "a relative path decided by a rule");
	}
}

/* same_decisions - P and Q decide read, write and exec on PATH alike, through rules of one
 * text (the rule set that applies does not depend on the access; these three tell the kinds of
 * rule apart). */
static void same_decisions(const struct profile *p, const struct profile *q, const char *path)
{
	static const enum access kinds[] = { ACC_READ, ACC_WRITE, ACC_EXEC };

	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		const struct rule *r = NULL, *s = NULL;
		bool a = policy_decide(p, path, kinds[i], &r), b = policy_decide(q, path, kinds[i], &s);

		FUZZ_CHECK(a == b, "decisions differ on '%s'", path);
		FUZZ_CHECK(!r == !s && (!r || !strcmp(r->text, s->text)), "'%s' vs '%s' on '%s'",
			   r ? r->text : "(none)", s ? s->text : "(none)", path);
	}
}

/* has_ctrl - S holds a control character (which no profile path may). */
static bool has_ctrl(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return true;
	return false;
}

/* add_path - add PATH as a read rule to P and check its pattern against NORM (PATH normalised). */
static void add_path(struct profile *p, const char *path, const char *norm, const char *home)
{
	char err[512] = "";
	int rc = policy_add(p, RULE_READ, path, home, err, sizeof(err));

	if (path[0] != '/' || has_ctrl(path) || strlen(norm) >= PATH_MAX)
		return;
	FUZZ_CHECK(rc == 0, "policy_add '%s': %s", path, err);
	FUZZ_CHECK(!strcmp(p->rules[p->n - 1].pattern, norm), "pattern '%s' for '%s'",
		   p->rules[p->n - 1].pattern, path);
}

/* round_trip - render P, parse it again, and compare: same text once more, same decisions on
 * NORM. */
static void round_trip(const struct profile *p, const char *file, const char *home,
		       const char *norm)
{
	struct profile q = { 0 };
	char err[512] = "", *text = policy_render(p), *again;
	int rc = policy_parse(text, file, home, &q, err, sizeof(err));

	FUZZ_CHECK(rc == 0, "the rendered profile does not parse: %s\n%s", err, text);
	again = policy_render(&q);
	FUZZ_CHECK(!strcmp(text, again), "rendered twice:\n%s\n---\n%s", text, again);
	same_decisions(p, &q, norm);
	free(again);
	free(text);
	policy_free(&q);
}

/* merged - P merged into an empty profile: same decisions, nothing rendered. */
static void merged(const struct profile *p, const char *path)
{
	struct profile m = { 0 };
	char *text;

	policy_merge_included(&m, p);
	same_decisions(p, &m, path);
	text = policy_render(&m);
	FUZZ_CHECK(!strcmp(text, ""), "inherited rules rendered:\n%s", text);
	free(text);
	policy_free(&m);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool init;
	struct fuzz_fields ff;
	const char *path = "/", *file = "fuzz.profile", *home = "/home/u", *text;
	struct profile p = { 0 };
	struct sysset set;
	char err[512] = "", *norm;
	int rc;

	if (!init) {
		policy_set_cwd("/srv/proj");
		init = true;
	}
	fuzz_split(data, size, 4, &ff);
	text = ff.f[ff.n - 1];
	if (ff.n >= 2)
		path = ff.f[0];
	if (ff.n >= 3)
		file = ff.f[1];
	if (ff.n >= 4)
		home = ff.f[2][0] ? ff.f[2] : NULL;
	norm = path_join_normalize("/", path);
	rc = policy_parse(text, file, home, &p, err, sizeof(err));
	if (rc < 0) {
		size_t l = strlen(file) < sizeof(err) - 1 ? strlen(file) : sizeof(err) - 1;

		FUZZ_CHECK(rc == -EINVAL, "policy_parse returned %d", rc);
		FUZZ_CHECK(!strncmp(err, file, l), "error without the file name: %s", err);
	}
	decide_ok(&p, path, 1);
	decide_ok(&p, norm, sizeof(accs) / sizeof(accs[0]));
	(void)policy_syscalls(&p, &set);
	if (rc == 0) {
		merged(&p, norm);
		add_path(&p, path, norm, home);
		round_trip(&p, file, home, norm);
	}
	policy_free(&p);
	free(norm);
	fuzz_fields_free(&ff);
	return 0;
}
