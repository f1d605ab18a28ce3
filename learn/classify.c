/* classify.c - the path classes learn generalises with (pure: never touches the filesystem).
 *
 * Why these classes keep learned profiles tight:
 *   - protected paths hold credentials; they are never collapsed into, never the directory of a
 *     created file, and render.c writes them only as warned "grant" lines;
 *   - guarded trees (/etc, /proc, /sys, /dev, /run) are shared with every other program, so only
 *     the exact paths used are written;
 *   - a rule covering a subtree is never written for "/", a top-level directory, HOME or above,
 *     or at or above a tree that base (an included profile) or a tmpfs rule already names.
 */
#include "learn.h"

#include <string.h>

#include "../common/path.h"
#include "../common/util.h"

/* Protected roots, relative to HOME. */
static const char *const _protected[] = {
	".ssh", ".gnupg", ".aws", ".kube", ".netrc", ".password-store", ".local/share/keyrings",
	".docker", ".mozilla", ".config/google-chrome", ".config/chromium",
	".config/BraveSoftware", ".config/gcloud", ".pki",
};

static const char *const _guarded[] = { "/etc", "/proc", "/sys", "/dev", "/run" };

char *learn_protected(const char *path, const char *home)
{
	if (!home || home[0] != '/' || !strcmp(home, "/"))
		return NULL;
	for (size_t i = 0; i < ARRAY_SIZE(_protected); i++) {
		_cleanup_free_ char *root = xasprintf("%s/%s", home, _protected[i]);

		if (path_is_under(path, root))
			return steal_pointer(&root);
	}
	return NULL;
}

/* _protected_below - some protected root lies strictly below DIR. */
static bool _protected_below(const char *dir, const char *home)
{
	if (!home || home[0] != '/' || !strcmp(home, "/"))
		return false;
	for (size_t i = 0; i < ARRAY_SIZE(_protected); i++) {
		_cleanup_free_ char *root = xasprintf("%s/%s", home, _protected[i]);

		if (strcmp(root, dir) && path_is_under(root, dir))
			return true;
	}
	return false;
}

bool learn_guarded(const char *path)
{
	for (size_t i = 0; i < ARRAY_SIZE(_guarded); i++)
		if (path_is_under(path, _guarded[i]))
			return true;
	return false;
}

/* _depth - the number of components of the normalised absolute PATH ("/" has 0). */
static size_t _depth(const char *path)
{
	size_t n = 0;

	for (const char *c = path; *c; c++)
		n += *c == '/' && c[1];
	return n;
}

/* _home_or_above - DIR is HOME or one of its ancestors. */
static bool _home_or_above(const char *dir, const char *home)
{
	return home && home[0] == '/' && path_is_under(home, dir);
}

/* _xdg_default_or_above - DIR is the default of an XDG_*_HOME variable below HOME (~/.config,
 * ...) or one of its ancestors: a tree every program of the user shares. */
static bool _xdg_default_or_above(const char *dir, const char *home)
{
	for (int v = PATH_VAR_CWD + 1; v < PATH_VAR_N; v++) {
		_cleanup_free_ char *d = path_var_dir(v, NULL, home);

		if (d && path_is_under(d, dir))
			return true;
	}
	return false;
}

bool learn_collapsible(const char *dir, const char *home, const struct profile *existing)
{
	_cleanup_free_ char *prot = NULL;

	if (_depth(dir) < 2 || _home_or_above(dir, home) || learn_guarded(dir) ||
	    _protected_below(dir, home) || _xdg_default_or_above(dir, home))
		return false;
	prot = learn_protected(dir, home);
	if (prot)
		return false;
	for (size_t i = 0; existing && i < existing->n; i++) {
		const struct rule *r = &existing->rules[i];

		if (r->kind != RULE_DENY && (r->inherited || r->kind == RULE_TMPFS) &&
		    path_is_under(r->pattern, dir))
			return false;
	}
	return true;
}

bool learn_cwd_usable(const char *cwd, const char *home)
{
	_cleanup_free_ char *prot = NULL;

	if (!cwd || cwd[0] != '/' || _depth(cwd) < 1 || _home_or_above(cwd, home) ||
	    learn_guarded(cwd))
		return false;
	prot = learn_protected(cwd, home);
	return !prot && !_protected_below(cwd, home);
}

char *learn_canonical(const char *path)
{
	const char *n;

	if (strncmp(path, "/dev/pts/", 9))
		return xstrdup(path);
	n = path + 9;
	if (*n && strspn(n, "0123456789") == strlen(n))
		return xstrdup("/dev/pts");
	return xstrdup(path);
}

/* _xdg_value - the environment value ENV holds for the XDG variable V, or NULL. */
static const char *_xdg_value(const struct learn_env *env, enum path_var v)
{
	switch (v) {
	case PATH_VAR_CONFIG:
		return env->config_home;
	case PATH_VAR_DATA:
		return env->data_home;
	case PATH_VAR_STATE:
		return env->state_home;
	case PATH_VAR_CACHE:
		return env->cache_home;
	case PATH_VAR_RUNTIME:
		return env->runtime_dir;
	default:
		return NULL;
	}
}

char *learn_xdg_dir(const struct learn_env *env, enum path_var v)
{
	char *dir;

	if (v == PATH_VAR_CWD || !(dir = path_var_dir(v, _xdg_value(env, v), env->home)))
		return NULL;
	if (_depth(dir) < 2 || _home_or_above(dir, env->home)) {
		free(dir);
		return NULL;
	}
	return dir;
}

char *learn_abbrev(const char *path, const struct learn_env *env)
{
	_cleanup_free_ char *canon = learn_canonical(path), *best = NULL;
	int var = -1;

	if (learn_cwd_usable(env->cwd, env->home) && path_is_under(canon, env->cwd)) {
		best = xstrdup(env->cwd);
		var = PATH_VAR_CWD;
	}
	for (int v = PATH_VAR_CWD + 1; v < PATH_VAR_N; v++) {
		char *dir = learn_xdg_dir(env, v);

		if (dir && path_is_under(canon, dir) && (!best || strlen(dir) > strlen(best))) {
			free(best);
			best = steal_pointer(&dir);
			var = v;
		}
		free(dir);
	}
	if (var >= 0)
		return xasprintf("$%s%s", path_var_name(var), canon + strlen(best));
	return path_home_abbrev(canon, env->home);
}

const char *learn_tmp_root(const char *path, const char *runtime_dir)
{
	static const char *const roots[] = { "/tmp", "/var/tmp" };

	for (size_t i = 0; i < ARRAY_SIZE(roots); i++)
		if (path_is_under(path, roots[i]) && strcmp(path, roots[i]))
			return roots[i];
	if (runtime_dir && runtime_dir[0] == '/' && strcmp(runtime_dir, "/") &&
	    path_is_under(path, runtime_dir) && strcmp(path, runtime_dir))
		return runtime_dir;
	return NULL;
}

/* _random_run - the length of the run of [A-Za-z0-9_] at S that looks generated: at least 6
 * characters holding a digit or both cases (so "config" or "sessions" is not); 0 otherwise. */
static size_t _random_run(const char *s)
{
	size_t n = strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_");
	bool digit = false, lower = false, upper = false;

	for (size_t i = 0; i < n; i++) {
		digit |= s[i] >= '0' && s[i] <= '9';
		lower |= s[i] >= 'a' && s[i] <= 'z';
		upper |= s[i] >= 'A' && s[i] <= 'Z';
	}
	return n >= 6 && (digit || (lower && upper)) ? n : 0;
}

char *learn_temp_name_glob(const char *name)
{
	size_t len = strlen(name);

	/* PREFIX RANDOM [.EXT]: the random part starts after one of '.', '-', '_', or after a
	 * leading "tmp" (Python's tempfile); the latest start wins (the longest prefix). The prefix is
	 * never empty: "*" would be every name of the directory. */
	for (size_t at = len - 1; at > 0; at--) {
		bool start = strchr(".-_", name[at - 1]) || (at == 3 && !strncmp(name, "tmp", 3));
		size_t n = start ? _random_run(name + at) : 0;

		if (!n || name[at] == '_')
			continue;
		const char *rest = name + at + n;

		if (*rest && (*rest != '.' || strchr(rest + 1, '.') || strchr(rest, '/') ||
			      strlen(rest) > 8))
			continue;	/* only a short extension may follow */
		return xasprintf("%.*s*%s", (int)at, name, rest);
	}
	return NULL;
}

char *learn_tmp_glob(const char *path, const char *runtime_dir)
{
	const char *root = learn_tmp_root(path, runtime_dir);
	_cleanup_free_ char *first = NULL, *glob = NULL;
	const char *name, *end;

	if (!root)
		return NULL;
	name = path + strlen(root) + 1;
	end = strchrnul(name, '/');
	first = xstrndup(name, (size_t)(end - name));
	glob = learn_temp_name_glob(first);
	if (!glob)
		return NULL;
	return xasprintf("%s/%s%s", root, glob, end);
}

size_t learn_args(char *const *argv, const char *cwd, struct learn_arg **out)
{
	size_t n = 0;

	*out = NULL;
	for (size_t i = 1; argv && argv[0] && argv[i]; i++) {
		const char *a = argv[i], *eq = strchr(a, '=');
		const char *v = a[0] != '-' ? a : eq && eq > a + 1 ? eq + 1 : NULL;

		if (!v || !*v || (v[0] != '/' && (!cwd || cwd[0] != '/')))
			continue;
		*out = xrealloc(*out, (n + 1) * sizeof(**out));
		(*out)[n++] = (struct learn_arg){ .path = path_join_normalize(cwd ? cwd : "/", v),
						  .arg = a, .index = (unsigned)i };
	}
	return n;
}

void learn_args_free(struct learn_arg *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i].path);
	free(v);
}

bool learn_arg_coverable(const char *path, const char *home)
{
	_cleanup_free_ char *prot = learn_protected(path, home);

	return !prot && !_protected_below(path, home);
}

bool learn_arg_filename(const char *arg)
{
	return *arg && !strpbrk(arg, " \t\n\r;|&<>$`'\"*?()[]{}!\\");
}
