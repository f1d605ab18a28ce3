/* profile_load.h - finding and parsing a profile named on the command line. */
#ifndef SUPERVISE_PROFILE_LOAD_H
#define SUPERVISE_PROFILE_LOAD_H

#include <sqlite3.h>
#include <stddef.h>

#include "../policy/policy.h"

/* profile_is_file - true when SPEC names a file rather than a profile in the DB: it contains a
 * '/' or ends in ".profile". */
int profile_is_file(const char *spec);

/* profile_read_file - the whole content of FILE (malloc'd), or NULL with errno. */
char *profile_read_file(const char *file);

/* profile_load - load SPEC (a file path or a DB profile name) into *OUT, expanding ~ with HOME,
 * includes resolved (profile_parse_full).
 * Returns 0, or -errno with a one-line reason in ERR: "FILE:LINE: what is wrong" for a bad
 * profile, "no profile named 'X' (see supervise profile list)", or "FILE: strerror". */
int profile_load(sqlite3 *db, const char *spec, const char *home, struct profile *out, char *err,
		 size_t errlen);

/* profile_parse_full - parse TEXT (LABEL names it in errors) and resolve its include lines: each
 * NAME is looked up in DB (may be NULL), then among the shipped profiles ($SUPERVISE_POLICIES,
 * DATADIR/policies, the build tree's policies/); included rules are merged in, marked inherited.
 * "$XDG_CONFIG_HOME/..." and the other XDG forms expand from this process's environment (the
 * command's), XDG_RUNTIME_DIR defaulting to /run/user/EUID (policy_set_var). Returns 0 or -errno with "LABEL:LINE: ..." in ERR. */
int profile_parse_full(sqlite3 *db, const char *text, const char *label, const char *home,
		       struct profile *out, char *err, size_t errlen);

/* profile_name_valid - a profile name is 1-64 characters of [A-Za-z0-9._+-], not starting with
 * '.' or '-'. */
int profile_name_valid(const char *name);

#endif
