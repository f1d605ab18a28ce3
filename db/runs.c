/* runs.c - the runs table: a run recorded at its start (with the caller's uid, the supervisor's
 * pid and start time), ended with its status, and its control socket (for supervise grant and
 * revoke, refused when the run ended or its supervisor is gone). Errors are printed.
 */
#include "db.h"
#include "db_int.h"

#include <string.h>
#include <unistd.h>

#include "../common/proc.h"
#include "../common/util.h"

/* _bind_text_or_null - bind S (NULL → SQL NULL) at parameter I, copied by SQLite. */
static void _bind_text_or_null(sqlite3_stmt *st, int i, const char *s)
{
	if (s)
		sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, i);
}

/* db_run_begin - see db.h. Also records the caller's uid. Errors are printed. */
int64_t db_run_begin(sqlite3 *db, const char *profile, enum run_mode mode, const char *command,
		     const char *cwd, unsigned flags)
{
	sqlite3_stmt *st = NULL;
	char at[32];
	int rc;

	db_now_iso(at, sizeof(at));
	rc = sqlite3_prepare_v2(db,
				"INSERT INTO runs (profile, mode, command, cwd, uid, started_at, log, pid,"
				" pid_start, no_syscall_filter) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
				-1, &st, NULL);
	if (rc == SQLITE_OK) {
		_bind_text_or_null(st, 1, profile);
		sqlite3_bind_text(st, 2, mode_name(mode), -1, SQLITE_STATIC);
		_bind_text_or_null(st, 3, command);
		_bind_text_or_null(st, 4, cwd);
		sqlite3_bind_int64(st, 5, (int64_t)getuid());
		sqlite3_bind_text(st, 6, at, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 7, flags & DB_RUN_LOG_ALL ? "all" : "first", -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 8, (int64_t)getpid());
		sqlite3_bind_int64(st, 9, util_proc_start(getpid()));
		sqlite3_bind_int(st, 10, (flags & DB_RUN_NO_SYSCALL_FILTER) != 0);
		rc = sqlite3_step(st);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		db_fail(db, "recording the run");
		return -1;
	}
	return sqlite3_last_insert_rowid(db);
}

/* db_run_end - see db.h. A RUN that does not exist is an error too (-EIO, printed). */
int db_run_end(sqlite3 *db, int64_t run, int exit_status)
{
	sqlite3_stmt *st = NULL;
	char at[32];
	int rc;

	db_now_iso(at, sizeof(at));
	for (int attempt = 0; attempt < 2; attempt++) {
		rc = sqlite3_prepare_v2(db, "UPDATE runs SET ended_at = ?1, exit_status = ?2 WHERE id = ?3",
					-1, &st, NULL);
		if (rc == SQLITE_OK) {
			sqlite3_bind_text(st, 1, at, -1, SQLITE_STATIC);
			sqlite3_bind_int(st, 2, exit_status);
			sqlite3_bind_int64(st, 3, run);
			rc = sqlite3_step(st);
		}
		sqlite3_finalize(st);
		st = NULL;
		if (rc != SQLITE_FULL)
			break;
		/* a full disk (the event log failed on it): the WAL cannot grow, but after a
		 * checkpoint that restarts it, the update fits in the frames it already has */
		sqlite3_wal_checkpoint_v2(db, NULL, SQLITE_CHECKPOINT_RESTART, NULL, NULL);
	}
	if (rc != SQLITE_DONE)
		return -EIO;	/* not printed: see db.h */
	if (sqlite3_changes(db) == 0) {
		errx("database: run %lld does not exist", (long long)run);
		return -EIO;
	}
	return 0;
}

/* db_run_set_control - see db.h. */
int db_run_set_control(sqlite3 *db, int64_t run, const char *path)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(db, "UPDATE runs SET control = ?1 WHERE id = ?2", -1, &st, NULL);

	if (rc == SQLITE_OK) {
		sqlite3_bind_text(st, 1, path, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, run);
		rc = sqlite3_step(st);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : -EIO;
}

/* db_run_control - see db.h. */
int db_run_control(sqlite3 *db, int64_t run, struct db_run_ctl *out)
{
	sqlite3_stmt *st = NULL;
	int rc, r = -EIO;

	memset(out, 0, sizeof(*out));
	rc = sqlite3_prepare_v2(db, "SELECT control, pid, pid_start, ended_at IS NOT NULL FROM runs "
				"WHERE id = ?1", -1, &st, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_bind_int64(st, 1, run);
		rc = sqlite3_step(st);
	}
	if (rc == SQLITE_ROW) {
		const unsigned char *c = sqlite3_column_text(st, 0);

		snprintf(out->path, sizeof(out->path), "%s", c ? (const char *)c : "");
		out->pid = sqlite3_column_int64(st, 1);
		out->pid_start = sqlite3_column_int64(st, 2);
		out->ended = sqlite3_column_int(st, 3) != 0;
		r = 0;
	} else if (rc == SQLITE_DONE) {
		r = -ENOENT;
	}
	sqlite3_finalize(st);
	return r;
}
