/* db.h - the SQLite store: schema and migrations, runs, profiles, and log queries.
 * The event writer thread lives in writer.h. Schema: doc/schema.md.
 */
#ifndef SUPERVISE_DB_H
#define SUPERVISE_DB_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "../common/event.h"
#include "../policy/policy.h"

/* db_default_path - the database path: OPT (from --db) if set, else $SUPERVISE_DB if set and not
 * empty, else ${XDG_DATA_HOME:-$HOME/.local/share}/supervise/supervise.db. Returns malloc'd, or NULL
 * when neither XDG_DATA_HOME nor HOME is usable. */
char *db_default_path(const char *opt);

/* db_open - open or create the database at PATH (creating missing parent directories, mode 0700),
 * set WAL mode and a busy timeout, and migrate the schema to the current version.
 * Returns 0 and *OUT, or a negative errno with a one-line reason in ERR (e.g. "PATH: unable to open
 * database file", or "PATH: schema version 9 is newer than this supervise (2)"). */
int db_open(const char *path, sqlite3 **out, char *err, size_t errlen);

/* db_open_flags - db_open() with extra sqlite3_open_v2() FLAGS, e.g. SQLITE_OPEN_NOMUTEX for a
 * connection that only one thread ever uses (the event writer's). */
int db_open_flags(const char *path, int flags, sqlite3 **out, char *err, size_t errlen);

/* db_keep_wal - when DB is the last connection to its database to close, leave the -wal and -shm
 * files in place (the WAL emptied by the checkpoint at close) instead of deleting them, so that the
 * next opener need not create them again (creating, syncing and deleting two files cost each run
 * about a millisecond). For the connection of a run, which closes last. */
void db_keep_wal(sqlite3 *db);

/* db_schema_version - the schema version (PRAGMA user_version) this build creates and reads. */
int db_schema_version(void);

/* db_errno_name - the events.errno text for the errno E: NULL for 0 (the call was not failed),
 * "EACCES", "ENOENT", "EFAULT", "EBADF", "EPERM" or "EINVAL", else "E<number>" (e.g. "E40")
 * formatted into BUF (LEN >= 16 bytes). Returns a static string, BUF, or NULL. Pure. */
const char *db_errno_name(int e, char *buf, size_t len);

/* db_close - close DB (NULL is fine). */
void db_close(sqlite3 *db);

/* Flags of db_run_begin (0: neither). */
#define DB_RUN_LOG_ALL			0x1u	/* a row per call (runs.log "all"), else "first" */
#define DB_RUN_NO_SYSCALL_FILTER	0x2u	/* --no-syscall-filter (runs.no_syscall_filter = 1) */

/* db_run_begin - insert a runs row (started_at = now) and return its id, or -1 on error.
 * FLAGS: DB_RUN_LOG_ALL, the run logs a row per call (runs.log "all"), else each allowed (object,
 * access) once with a count ("first"); DB_RUN_NO_SYSCALL_FILTER, it runs without the syscall
 * filter (runs.no_syscall_filter). */
int64_t db_run_begin(sqlite3 *db, const char *profile, enum run_mode mode, const char *command,
		     const char *cwd, unsigned flags);

/* db_run_end - set ended_at = now and exit_status on run RUN. Returns 0 or -EIO: a database
 * error is not printed (the reason is sqlite3_errmsg(DB); the caller says it once, unless the
 * event log already said why the database fails), a RUN that does not exist is. */
int db_run_end(sqlite3 *db, int64_t run, int exit_status);

/* db_run_set_control - record PATH, the control socket of run RUN (core/control.c). 0 or -EIO
 * (nothing printed). */
int db_run_set_control(sqlite3 *db, int64_t run, const char *path);

/* What the database says of a run's control socket. */
struct db_run_ctl {
	char path[4096];	/* the socket, "" when the run has none */
	int64_t pid, pid_start;	/* its supervisor (runs.pid, runs.pid_start) */
	bool ended;		/* the run has ended */
};

/* db_run_control - read run RUN's control socket into OUT. 0, -ENOENT (no such run) or -EIO. */
int db_run_control(sqlite3 *db, int64_t run, struct db_run_ctl *out);

/* db_profile_get - the stored text of profile NAME into *TEXT (malloc'd). 0, -ENOENT, or -EIO
 * (nothing printed: the reason is sqlite3_errmsg(DB), the file sqlite3_db_filename(DB, "main")). */
int db_profile_get(sqlite3 *db, const char *name, char **text);

/* db_profile_put - create or replace profile NAME with TEXT, and its parsed RULES (one rules row
 * per rule, in order) in one transaction. Returns 0 or -EIO. */
int db_profile_put(sqlite3 *db, const char *name, const char *text, const struct profile *rules);

/* db_profile_delete - delete profile NAME and its rules. 0, -ENOENT or -EIO. */
int db_profile_delete(sqlite3 *db, const char *name);

/* db_profile_list - print "NAME<TAB>RULES<TAB>UPDATED_AT" lines, ordered by name. 0 or -EIO. */
int db_profile_list(sqlite3 *db, FILE *out);

struct log_query {
	int64_t run;	/* > 0: this run only */
	bool last;	/* the most recent run */
	bool denied;	/* only decision = 'deny' */
	bool json;	/* JSON output */
	bool backtrace;	/* print each event's call stack (if recorded) */
	bool follow;	/* print the run's events as they come, until it ends */
};

/* db_log_print - print the log selected by Q to OUT.
 * Text: for each selected run a header line "run ID MODE profile=P exit=S COMMAND" then one line
 * per event "  AT PID SYSCALL ACCESS DECISION OBJECT [rule] [errno=NAME]". Without run/last and
 * without denied, only the run header lines are printed (a run list).
 * JSON: one array of event objects {"run":..,"id":..,"at":..,"pid":..,"syscall":..,"object":..,
 * "access":..,"decision":..,"rule":..|null,"errno":"EACCES"|null}; without run/last and without
 * denied, an array of run objects
 * {"id","profile","mode","command","cwd","started_at","ended_at","exit_status"}.
 * Returns 0, -ENOENT when a requested run does not exist (or there is no run for --last), -EIO. */
int db_log_print(sqlite3 *db, const struct log_query *q, FILE *out);

/* db_log_follow - `log --follow`: print Q's run (Q->run, else the latest) as db_log_print does, then
 * its events as they are committed, polling with NAP between reads, until the run ends or, still
 * open, RUNNING(pid, pid_start) says its supervisor is gone (said in one line). With Q->json one
 * event object a line. Returns 0, -ENOENT (no such run), or -EIO (printed). */
int db_log_follow(sqlite3 *db, const struct log_query *q, bool (*running)(int64_t, int64_t),
		  void (*nap)(void), FILE *out);

/* db_json_string - write S as a JSON string literal (with quotes, escaped) to OUT. NULL → null. */
void db_json_string(FILE *out, const char *s);

#endif
