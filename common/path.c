/* path.c - lexical path handling (pure: never touches the filesystem).
 *
 * Why this is safe to use for policy decisions:
 *   - ".." is resolved lexically and clamped at "/", so no input can name a path above the root;
 *   - path_is_under() compares whole components, so "/a/bc" never counts as under "/a/b";
 *   - "~" is expanded only from an absolute HOME, so a bad HOME fails instead of making a
 *     relative (cwd-dependent) pattern; the same holds for the XDG variables (path_var_dir),
 *     whose value "/" counts as unset, so "$XDG_CACHE_HOME" never stands for the whole tree.
 * Symlinks are NOT resolved here: callers that need the object the kernel will open must resolve
 * it first (that is a side effect, so it lives elsewhere).
 */
#include "path.h"

#include <string.h>

#include "util.h"

/* _push - apply one component C (length L) to the normalised path in OUT (length *N, no
 * trailing "/"; empty means "/"): "." is dropped, ".." pops one component but never above "/". */
static void _push(char *out, size_t *n, const char *c, size_t l)
{
	if (l == 1 && c[0] == '.')
		return;
	if (l == 2 && c[0] == '.' && c[1] == '.') {
		while (*n > 0 && out[*n - 1] != '/')
			(*n)--;
		if (*n > 0)
			(*n)--;
		return;
	}
	out[(*n)++] = '/';
	memcpy(out + *n, c, l);
	*n += l;
}

/* _normalize_into - feed every component of S into OUT via _push(). */
static void _normalize_into(char *out, size_t *n, const char *s)
{
	const char *c;
	size_t l;

	while ((c = path_next_comp(s, &l))) {
		_push(out, n, c, l);
		s = c + l;
	}
}

char *path_join_normalize(const char *base, const char *path)
{
	bool relative = path[0] != '/';
	size_t n = 0;
	char *out;

	if (relative && (!base || base[0] != '/'))
		return NULL;
	/* The result is never longer than base + "/" + path. */
	out = xmalloc((relative ? strlen(base) + 1 : 0) + strlen(path) + 2);
	if (relative)
		_normalize_into(out, &n, base);
	_normalize_into(out, &n, path);
	if (n == 0)
		out[n++] = '/';
	out[n] = '\0';
	return out;
}

bool path_is_under(const char *path, const char *dir)
{
	size_t l = strlen(dir);

	while (l > 0 && dir[l - 1] == '/')
		l--;
	if (l == 0)
		return path[0] == '/';
	return strncmp(path, dir, l) == 0 && (path[l] == '\0' || path[l] == '/');
}

/* _home_len - length of HOME without trailing slashes, or 0 when HOME cannot be used for "~"
 * (NULL, empty, relative or "/"). */
static size_t _home_len(const char *home)
{
	size_t l;

	if (!home || home[0] != '/')
		return 0;
	l = strlen(home);
	while (l > 0 && home[l - 1] == '/')
		l--;
	return l;
}

/* path_home_abbrev - also refuses a relative HOME, so that the result always expands back with
 * path_home_expand() to the same path. */
char *path_home_abbrev(const char *path, const char *home)
{
	size_t l = _home_len(home);

	if (l == 0 || strncmp(path, home, l) != 0)
		return xstrdup(path);
	if (path[l] == '\0')
		return xstrdup("~");
	if (path[l] != '/')
		return xstrdup(path);
	return xasprintf("~%s", path + l);
}

char *path_home_expand(const char *path, const char *home)
{
	size_t l;

	if (path[0] != '~' || (path[1] != '\0' && path[1] != '/'))
		return xstrdup(path);
	if (!home || home[0] != '/')
		return NULL;
	l = _home_len(home);
	if (l == 0)	/* HOME is "/" (or "//"): "~/x" is "/x" */
		return xstrdup(path[1] ? path + 1 : "/");
	return xasprintf("%.*s%s", (int)l, home, path + 1);
}

/* The names of enum path_var, and the defaults of the XDG ones below HOME (NULL: none). */
static const struct {
	const char *name, *dflt;
} _vars[PATH_VAR_N] = {
	[PATH_VAR_CWD] = { "CWD", NULL },
	[PATH_VAR_CONFIG] = { "XDG_CONFIG_HOME", ".config" },
	[PATH_VAR_DATA] = { "XDG_DATA_HOME", ".local/share" },
	[PATH_VAR_STATE] = { "XDG_STATE_HOME", ".local/state" },
	[PATH_VAR_CACHE] = { "XDG_CACHE_HOME", ".cache" },
	[PATH_VAR_RUNTIME] = { "XDG_RUNTIME_DIR", NULL },
};

const char *path_var_name(enum path_var v)
{
	return v < PATH_VAR_N ? _vars[v].name : NULL;
}

int path_var_parse(const char *path, const char **rest)
{
	if (path[0] != '$')
		return -1;
	for (int v = 0; v < PATH_VAR_N; v++) {
		size_t l = strlen(_vars[v].name);

		if (!strncmp(path + 1, _vars[v].name, l) && (path[1 + l] == '/' || !path[1 + l])) {
			*rest = path + 1 + l;
			return v;
		}
	}
	return -1;
}

char *path_var_dir(enum path_var v, const char *value, const char *home)
{
	if (v >= PATH_VAR_N)
		return NULL;
	if (value && value[0] == '/') {
		char *dir = path_join_normalize("/", value);

		if (strcmp(dir, "/"))
			return dir;
		free(dir);	/* "/" is no base directory: unset (a rule on it would be "/") */
	}
	if (!_vars[v].dflt || !home || home[0] != '/')
		return NULL;
	return path_join_normalize(home, _vars[v].dflt);
}

/* _strip_prefix - when PATH is PREFIX or PREFIX + "/...", return the rest ("" or "/..."), else
 * NULL. */
static const char *_strip_prefix(const char *path, const char *prefix)
{
	size_t l = strlen(prefix);

	if (strncmp(path, prefix, l) != 0 || (path[l] != '\0' && path[l] != '/'))
		return NULL;
	return path + l;
}

char *path_proc_self(const char *path, int pid, int tid)
{
	const char *rest;

	if ((rest = _strip_prefix(path, "/proc/self")))
		return xasprintf("/proc/%d%s", pid, rest);
	if ((rest = _strip_prefix(path, "/proc/thread-self")))
		return xasprintf("/proc/%d/task/%d%s", pid, tid, rest);
	return xstrdup(path);
}
