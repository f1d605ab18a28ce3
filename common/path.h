/* path.h - lexical path handling (pure: never touches the filesystem). */
#ifndef SUPERVISE_PATH_H
#define SUPERVISE_PATH_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

/* path_next_comp - the next component of the path S: the slashes at S skipped, returns where the
 * component starts and puts its length (up to the next "/" or the end) in *LEN; NULL, *LEN left
 * alone, when nothing but slashes is left. Lexical: "." and ".." are components like any other.
 * A path is walked with "for (c = path_next_comp(s, &l); c; c = path_next_comp(c + l, &l))".
 * Inline: the policy's matcher calls it for every component of every rule it tries. */
static inline const char *path_next_comp(const char *s, size_t *len)
{
	while (*s == '/')
		s++;
	if (!*s)
		return NULL;
	*len = (size_t)(strchrnul(s, '/') - s);	/* strcspn is slower on short strings */
	return s;
}

/* path_join_normalize - make PATH absolute against BASE (an absolute directory, used only when PATH
 * is relative) and normalise it lexically: collapse "//", drop ".", resolve ".." (never above "/"),
 * drop a trailing "/". Returns a malloc'd string, or NULL when BASE is needed but not absolute. */
char *path_join_normalize(const char *base, const char *path);

/* path_is_under - true when PATH equals DIR or lies beneath it (component-wise; "/a/bc" is not
 * under "/a/b"). Both must be normalised absolute paths. */
bool path_is_under(const char *path, const char *dir);

/* path_home_abbrev - "~/rest" when PATH lies under HOME (or "~" when equal), else a copy of PATH.
 * HOME NULL, empty or "/" never abbreviates. Returns malloc'd. */
char *path_home_abbrev(const char *path, const char *home);

/* path_home_expand - "~" or "~/rest" → HOME + rest; other paths copied. Returns malloc'd, or NULL
 * when PATH needs HOME and HOME is NULL/empty/relative. */
char *path_home_expand(const char *path, const char *home);

/* The directory variables a profile path may start with ("$NAME" or "$NAME/..."): the working
 * directory and the XDG base directories (doc/supervise.profile.5, Paths). */
enum path_var {
	PATH_VAR_CWD,
	PATH_VAR_CONFIG,	/* XDG_CONFIG_HOME, default ~/.config */
	PATH_VAR_DATA,		/* XDG_DATA_HOME, default ~/.local/share */
	PATH_VAR_STATE,		/* XDG_STATE_HOME, default ~/.local/state */
	PATH_VAR_CACHE,		/* XDG_CACHE_HOME, default ~/.cache */
	PATH_VAR_RUNTIME,	/* XDG_RUNTIME_DIR, no default here */
	PATH_VAR_N
};

/* path_var_name - the name of V without the "$" ("CWD", "XDG_CONFIG_HOME", ...). */
const char *path_var_name(enum path_var v);

/* path_var_parse - when PATH is "$NAME" or starts with "$NAME/" for a NAME of enum path_var,
 * that variable, with *REST pointing at what follows the name ("" or "/..."); else -1 (other
 * "$" words included). */
int path_var_parse(const char *path, const char **rest);

/* path_var_dir - the directory V stands for when its value is VALUE (may be NULL) and HOME that
 * of "~" (may be NULL): VALUE normalised when absolute and not "/" (the XDG spec ignores a
 * relative one),
 * else for the XDG_*_HOME variables their default below an absolute HOME, else NULL (CWD and
 * XDG_RUNTIME_DIR have no default). Malloc'd. */
char *path_var_dir(enum path_var v, const char *value, const char *home);

/* path_proc_self - rewrite "/proc/self" and "/proc/thread-self" prefixes to "/proc/PID" and
 * "/proc/PID/task/TID" as the child sees them. Returns malloc'd (a copy when nothing matches). */
char *path_proc_self(const char *path, int pid, int tid);

#endif
