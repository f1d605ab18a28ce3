/* fuzz_path.c - libFuzzer target: common/path.c (join and normalise, "~" abbreviation and
 * expansion, /proc/self rewriting).
 *
 * Input: NUL-separated fields PATH, BASE, HOME (missing: NULL), then 8 bytes: the pid and the
 * tid given to path_proc_self (missing bytes are 0). Properties checked beyond the sanitizers:
 *   - path_join_normalize returns NULL exactly when PATH is relative and BASE not absolute;
 *     otherwise an absolute path without empty, "." or ".." components nor a trailing "/",
 *     no longer than BASE + "/" + PATH, that normalises to itself and lies under "/";
 *   - a relative PATH joined to BASE is the normalised BASE joined to PATH;
 *   - abbreviating a normalised path with HOME and expanding it again gives the path back;
 *   - path_proc_self changes only paths at or under /proc/self or /proc/thread-self, and keeps
 *     what follows that prefix.
 */
#include "fuzz.h"

#include <stdbool.h>

#include "../../common/path.h"

/* normal_ok - N is absolute and has no empty, "." or ".." component, nor a trailing "/". */
static bool normal_ok(const char *n)
{
	if (n[0] != '/')
		return false;
	if (!strcmp(n, "/"))
		return true;
	for (const char *c = n; *c; ) {
		size_t l;

		if (*c != '/')
			return false;
		c++;
		l = strcspn(c, "/");
		if (l == 0 || (l == 1 && c[0] == '.') || (l == 2 && c[0] == '.' && c[1] == '.'))
			return false;
		c += l;
	}
	return true;
}

/* check_join - the properties of path_join_normalize(BASE, PATH); returns its result or NULL. */
static char *check_join(const char *base, const char *path)
{
	bool relative = path[0] != '/';
	char *n = path_join_normalize(base, path), *again;

	FUZZ_CHECK(!n == (relative && (!base || base[0] != '/')), "'%s' + '%s' -> %s", base ? base : "(null)",
		   path, n ? n : "NULL");
	if (!n)
		return NULL;
	FUZZ_CHECK(normal_ok(n), "'%s' + '%s' -> '%s'", base ? base : "(null)", path, n);
	FUZZ_CHECK(strlen(n) <= (relative ? strlen(base) + 1 : 0) + strlen(path) + 1, "longer: '%s'", n);
	again = path_join_normalize(NULL, n);
	FUZZ_CHECK(again && !strcmp(again, n), "'%s' normalises to '%s'", n, again ? again : "NULL");
	FUZZ_CHECK(path_is_under(n, "/") && path_is_under(n, n), "'%s' not under itself", n);
	free(again);
	if (relative) {
		char *nb = path_join_normalize(NULL, base), *joined = path_join_normalize(nb, path);

		FUZZ_CHECK(nb && joined && !strcmp(joined, n), "'%s' + '%s': '%s' vs '%s'", base,
			   path, n, joined ? joined : "NULL");
		free(joined);
		free(nb);
	}
	return n;
}

/* check_home - abbreviating N (normalised) with HOME and expanding it again gives N. */
static void check_home(const char *n, const char *home)
{
	char *ab = path_home_abbrev(n, home), *ex = path_home_expand(ab, home);

	FUZZ_CHECK(ab[0] == '/' || ab[0] == '~', "abbreviated '%s'", ab);
	FUZZ_CHECK(ex && !strcmp(ex, n), "'%s' -> '%s' -> '%s' (HOME '%s')", n, ab,
		   ex ? ex : "NULL", home ? home : "(null)");
	free(ex);
	free(ab);
}

/* check_proc - the properties of path_proc_self(PATH, PID, TID). */
static void check_proc(const char *path, int pid, int tid)
{
	char *r = path_proc_self(path, pid, tid), pre[64];
	const char *rest = NULL;
	size_t l;

	if (!strncmp(path, "/proc/self", 10) && (!path[10] || path[10] == '/')) {
		rest = path + 10;
		snprintf(pre, sizeof(pre), "/proc/%d", pid);
	} else if (!strncmp(path, "/proc/thread-self", 17) && (!path[17] || path[17] == '/')) {
		rest = path + 17;
		snprintf(pre, sizeof(pre), "/proc/%d/task/%d", pid, tid);
	}
	if (!rest) {
		FUZZ_CHECK(!strcmp(r, path), "'%s' rewritten to '%s'", path, r);
	} else {
		l = strlen(pre);
		FUZZ_CHECK(!strncmp(r, pre, l) && !strcmp(r + l, rest), "'%s' -> '%s'", path, r);
	}
	free(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_fields ff;
	const char *path, *base = NULL, *home = NULL;
	char *n, *ex;
	int32_t ids[2] = { 0, 0 };
	size_t tail = size >= 8 ? 8 : size;

	memcpy(ids, data + size - tail, tail);
	fuzz_split(data, size - tail, 3, &ff);
	path = ff.f[0];
	if (ff.n >= 2)
		base = ff.f[1];
	if (ff.n >= 3)
		home = ff.f[2];
	n = check_join(base, path);
	if (n) {
		check_home(n, home);
		check_home(n, base);
		check_proc(n, ids[0], ids[1]);
	}
	check_proc(path, ids[0], ids[1]);
	ex = path_home_expand(path, home);
	FUZZ_CHECK(ex || (path[0] == '~' && (!path[1] || path[1] == '/')), "expand '%s'", path);
	free(ex);
	free(n);
	fuzz_fields_free(&ff);
	return 0;
}
