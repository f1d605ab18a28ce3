/* learn_store.h - the end of a learn run: merge, store the profile, print the summary. */
#ifndef SUPERVISE_LEARN_STORE_H
#define SUPERVISE_LEARN_STORE_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>

#include "run.h"
#include "../trap/session.h"

/* run_profile_name - NAME if given, else the basename of ARGV0; validated with
 * profile_name_valid. Returns malloc'd, or NULL after printing why. */
char *run_profile_name(const char *name, const char *argv0);

/* run_learn_check - before a learn run forks: read and parse the stored profile NAME from DB, if
 * there is one, so that a database or profile that cannot be read stops the run before the
 * command runs (setup regime). Returns 0, or -errno after printing one line naming the file. */
int run_learn_check(sqlite3 *db, const char *name);

/* run_learn_store - merge what SESS learned into profile NAME in DB (creating it), and print the
 * summary (unless -q). When the database refuses the profile, or with LOG_FAILED (the event log
 * failed and the run was stopped: what was learned is partial, and the database is not to be
 * trusted), the profile goes to the fallback file O->dbpath.NAME.profile (mode 0600) instead, or
 * to stderr when that cannot be written, with one line saying where. Returns 0, or -EIO after
 * printing why (the profile is then not stored). */
int run_learn_store(sqlite3 *db, const char *name, struct session *sess, const struct run_opts *o,
		 int64_t run, bool log_failed);

#endif
