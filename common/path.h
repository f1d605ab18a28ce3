/* path.h - lexical path handling (pure: never touches the filesystem). */
#ifndef SUPERVISE_PATH_H
#define SUPERVISE_PATH_H

#include <stdbool.h>

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

/* path_proc_self - rewrite "/proc/self" and "/proc/thread-self" prefixes to "/proc/PID" and
 * "/proc/PID/task/TID" as the child sees them. Returns malloc'd (a copy when nothing matches). */
char *path_proc_self(const char *path, int pid, int tid);

#endif
