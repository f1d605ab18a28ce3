/* granted.c - how much of the file system a profile opens up: the helper of bench/tightness.sh.
 *
 * Usage:
 *   granted rules FILE CWD            print "OWN INCLUDED": the file rules of the profile in FILE
 *                                     and those its include lines bring in
 *   granted roots [--all] FILE CWD    print, each ending in a NUL byte, the directories and files
 *                                     under which the allow rules grant anything: the literal part
 *                                     of each read, write, exec or grant rule's path (before its
 *                                     first wildcard component), without those inside another
 *   granted count [--all] FILE CWD    read NUL-terminated absolute paths from stdin (find -print0
 *                                     of the roots) and print how many the rules let the program
 *                                     reach at all (stat), then one "N<TAB>RULE" line per deciding
 *                                     rule, largest first
 *   granted exist                     read NUL-terminated paths from stdin and print how many
 *                                     exist (lstat: a dangling symlink exists)
 *
 * FILE is parsed as supervise parses a profile: "~" is $HOME, "$CWD" is CWD, and include lines are
 * resolved like --enforce resolves them ($SUPERVISE_POLICIES, DATADIR/policies, the build tree's
 * policies/, the built-in copies; no database). Without --all only the profile's own rules are
 * used (its own denies subtract); with --all the included ones too. A path decided by a tmpfs
 * rule does not count: in the jail that is a private, empty directory, not the host's.
 *
 * Decisions are policy_decide()'s, so wildcards, the fences learn puts below a listed directory
 * and specificity are exactly supervise's. Exit status 0, or 1 with one "granted: ..." line on stderr.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../common/util.h"
#include "../core/profile_load.h"
#include "../policy/policy.h"

/* _usage - print the usage line; returns the exit status 1. */
static int _usage(void)
{
	fprintf(stderr, "usage: granted rules FILE CWD | roots [--all] FILE CWD | count [--all] FILE CWD"
			" | exist\n");
	return 1;
}

/* _load - parse the profile in FILE with "$CWD" = CWD and "~" = $HOME, includes resolved, into
 * *OUT. Returns 0, or -1 after printing why. */
static int _load(const char *file, const char *cwd, struct profile *out)
{
	_cleanup_free_ char *text = profile_read_file(file);
	char err[512];

	if (!text) {
		fprintf(stderr, "granted: %s: %s\n", file, strerror(errno));
		return -1;
	}
	policy_set_cwd(cwd);
	if (profile_parse_full(NULL, text, file, getenv("HOME"), out, err, sizeof(err)) < 0) {
		fprintf(stderr, "granted: %s\n", err);
		return -1;
	}
	return 0;
}

/* _subset - a profile that shares the rules of P (not copied: free only .rules, never with
 * policy_free) holding its own rules, or all of them when ALL. */
static struct profile _subset(const struct profile *p, bool all)
{
	struct profile s = { 0 };

	s.rules = xcalloc(p->n ? p->n : 1, sizeof(*s.rules));
	for (size_t i = 0; i < p->n; i++)
		if (all || !p->rules[i].inherited)
			s.rules[s.n++] = p->rules[i];
	s.cap = s.n;
	s.net = p->net;
	return s;
}

/* _root - the literal leading part of PATTERN (normalised, absolute): the components before the
 * first one holding a '*', as a malloc'd path ("/" when the first component has one). */
static char *_root(const char *pattern)
{
	const char *star = strchr(pattern, '*');
	size_t n;

	if (!star)
		return xstrdup(pattern);
	n = (size_t)(star - pattern);
	while (n > 0 && pattern[n - 1] != '/')
		n--;
	if (n > 1)
		n--;	/* drop the '/' before the wildcard component, keep a lone "/" */
	return xstrndup(pattern, n ? n : 1);
}

/* _inside - true when path A is B or lies below B. */
static bool _inside(const char *a, const char *b)
{
	size_t n = strlen(b);

	if (strcmp(b, "/") == 0)
		return true;
	return strncmp(a, b, n) == 0 && (a[n] == 0 || a[n] == '/');
}

/* _roots - print the roots of the allow rules of S (see the usage), NUL-terminated. */
static void _roots(const struct profile *s)
{
	char **r = xcalloc(s->n ? s->n : 1, sizeof(*r));
	size_t n = 0;

	for (size_t i = 0; i < s->n; i++)
		if (s->rules[i].kind != RULE_DENY && s->rules[i].kind != RULE_TMPFS)
			r[n++] = _root(s->rules[i].pattern);
	for (size_t i = 0; i < n; i++) {
		bool covered = false;

		for (size_t j = 0; j < n && !covered; j++)	/* the first of equal ones stays */
			covered = j != i && _inside(r[i], r[j]) && (strcmp(r[i], r[j]) || j < i);
		if (!covered)
			printf("%s%c", r[i], 0);
	}
	for (size_t i = 0; i < n; i++)
		free(r[i]);
	free(r);
}

/* _count - read NUL-terminated paths from stdin, decide each against S, print the total reached
 * and the per-rule counts (see the usage). Returns 0, or 1 on a read error. */
static int _count(const struct profile *s)
{
	size_t *per = xcalloc(s->n ? s->n : 1, sizeof(*per)), cap = 0, total = 0;
	_cleanup_free_ char *line = NULL;
	ssize_t len;

	while ((len = getdelim(&line, &cap, 0, stdin)) > 0) {
		const struct rule *rule = NULL;

		if (line[len - 1] == 0)
			len--;
		line[len] = 0;
		if (line[0] != '/' || !policy_decide(s, line, ACC_STAT, &rule) || !rule ||
		    rule->kind == RULE_TMPFS)
			continue;
		total++;
		per[rule - s->rules]++;
	}
	if (ferror(stdin)) {
		fprintf(stderr, "granted: reading the paths: %s\n", strerror(errno));
		free(per);
		return 1;
	}
	printf("%zu\n", total);
	for (;;) {	/* largest first; n is small */
		size_t best = s->n;

		for (size_t i = 0; i < s->n; i++)
			if (per[i] && (best == s->n || per[i] > per[best]))
				best = i;
		if (best == s->n)
			break;
		printf("%zu\t%s%s\n", per[best], s->rules[best].text,
		       s->rules[best].inherited ? " (included)" : "");
		per[best] = 0;
	}
	free(per);
	return 0;
}

/* _exist - read NUL-terminated paths from stdin, print how many lstat() finds. Returns 0, or 1
 * on a read error. */
static int _exist(void)
{
	_cleanup_free_ char *line = NULL;
	size_t cap = 0, n = 0;
	ssize_t len;
	struct stat st;

	while ((len = getdelim(&line, &cap, 0, stdin)) > 0) {
		if (line[len - 1] == 0)
			line[len - 1] = 0;
		if (line[0] && lstat(line, &st) == 0)
			n++;
	}
	if (ferror(stdin)) {
		fprintf(stderr, "granted: reading the paths: %s\n", strerror(errno));
		return 1;
	}
	printf("%zu\n", n);
	return 0;
}

int main(int argc, char **argv)
{
	struct profile p = { 0 }, s;
	bool all = false;
	int i = 2, rc = 0;
	size_t own = 0;

	if (argc == 2 && strcmp(argv[1], "exist") == 0)
		return _exist();
	if (argc < 4)
		return _usage();
	if (strcmp(argv[1], "rules") && strcmp(argv[1], "roots") && strcmp(argv[1], "count"))
		return _usage();
	if (strcmp(argv[i], "--all") == 0) {
		all = true;
		i++;
	}
	if (argc - i != 2 || (all && strcmp(argv[1], "rules") == 0))
		return _usage();
	if (_load(argv[i], argv[i + 1], &p) < 0)
		return 1;
	if (strcmp(argv[1], "rules") == 0) {
		for (size_t k = 0; k < p.n; k++)
			own += !p.rules[k].inherited;
		printf("%zu %zu\n", own, p.n - own);
		policy_free(&p);
		return 0;
	}
	s = _subset(&p, all);
	if (strcmp(argv[1], "roots") == 0)
		_roots(&s);
	else
		rc = _count(&s);
	free(s.rules);
	policy_free(&p);
	return rc;
}
