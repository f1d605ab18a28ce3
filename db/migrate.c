/* migrate.c - the schema of the SQLite store and its migrations.
 *
 * The schema version is PRAGMA user_version; migration N (1-based) brings a database from version
 * N-1 to N inside one IMMEDIATE transaction, so two processes opening a new database at once
 * cannot both migrate it. How far a database really is comes from its columns (_marks), whatever
 * its user_version says: a newer schema is refused untouched, a stale one migrated from where its
 * columns show.
 */
#include "db.h"
#include "db_int.h"

#include <string.h>

#include "../common/util.h"

/* The migrations, in order. Index i brings user_version i to i + 1. Never edit a released entry:
 * append a new one. */
static const char *const _migrations[] = {
	/* 1: the initial schema. */
	"CREATE TABLE runs ("
	"  id INTEGER PRIMARY KEY,"
	"  profile TEXT,"
	"  mode TEXT NOT NULL CHECK (mode IN ('learn','enforce','audit')),"
	"  command TEXT,"
	"  cwd TEXT,"
	"  uid INTEGER,"
	"  started_at TEXT NOT NULL,"
	"  ended_at TEXT,"
	"  exit_status INTEGER,"
	"  events INTEGER NOT NULL DEFAULT 0"
	");"
	/* Call stacks (--backtrace), stored once: hash is a 64-bit FNV-1a of frames, in hex. */
	"CREATE TABLE backtraces ("
	"  id INTEGER PRIMARY KEY,"
	"  hash TEXT NOT NULL UNIQUE,"
	"  frames TEXT NOT NULL"
	");"
	"CREATE TABLE events ("
	"  id INTEGER PRIMARY KEY,"
	"  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,"
	"  at TEXT NOT NULL,"
	"  pid INTEGER,"
	"  syscall TEXT,"
	"  object TEXT,"
	"  access TEXT,"
	/* Not "IN (...)": SQLite builds an ephemeral table for an IN list on every insert, which
	 * halved the writer's throughput. */
	"  decision TEXT NOT NULL"
	"    CHECK (decision = 'allow' OR decision = 'deny' OR decision = 'grant' OR decision = 'audit'),"
	"  rule TEXT,"
	/* The errno the call was failed with, by name (db_errno_name()); NULL when let through. */
	"  errno TEXT,"
	"  backtrace_id INTEGER REFERENCES backtraces(id)"
	");"
	/* The only index on events: every index costs the writer (a partial index on denials cost
	 * 7%), and queries select by run. Listing denials of all runs scans the table. */
	"CREATE INDEX events_run ON events(run_id);"
	"CREATE VIEW denials AS SELECT * FROM events WHERE decision = 'deny';"
	"CREATE TABLE profiles ("
	"  name TEXT PRIMARY KEY,"
	"  text TEXT NOT NULL,"
	"  created_at TEXT NOT NULL,"
	"  updated_at TEXT NOT NULL"
	");"
	"CREATE TABLE rules ("
	"  id INTEGER PRIMARY KEY,"
	"  profile TEXT NOT NULL REFERENCES profiles(name) ON DELETE CASCADE,"
	"  position INTEGER NOT NULL,"
	"  kind TEXT NOT NULL CHECK (kind IN ('read','write','exec','deny','tmpfs')),"
	"  path TEXT NOT NULL,"
	"  grant INTEGER NOT NULL DEFAULT 0,"
	"  UNIQUE (profile, position)"
	");",
	/* 2: a row may stand for many calls (each allowed (object, access) is logged once per run
	 * with its count and last time, unless the run logs every call: runs.log). */
	("ALTER TABLE events ADD COLUMN count INTEGER NOT NULL DEFAULT 1;"
	 "ALTER TABLE events ADD COLUMN last_at TEXT;"
	 "ALTER TABLE runs ADD COLUMN log TEXT;"),
	/* 3: who runs a run, so that `supervise ps` can tell a running one from one whose supervisor
	 * was killed (its ended_at stays NULL): the supervisor's pid and its start time. */
	("ALTER TABLE runs ADD COLUMN pid INTEGER;"	/* one entry of two statements */
	 "ALTER TABLE runs ADD COLUMN pid_start INTEGER;"),
	/* 4: the process tree of a run (supervise graph): an exec row names the caller's parent. */
	"ALTER TABLE events ADD COLUMN ppid INTEGER;",
	/* 5: where a running run's control socket is (supervise grant/revoke, core/control.c), and
	 * the decisions of live control: revoke, ask-allow and ask-deny (a CHECK constraint cannot be
	 * altered: the table is rebuilt, its rows and ids kept). */
	("ALTER TABLE runs ADD COLUMN control TEXT;"
	 "CREATE TABLE events_v5 ("
	 "  id INTEGER PRIMARY KEY,"
	 "  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,"
	 "  at TEXT NOT NULL,"
	 "  pid INTEGER,"
	 "  syscall TEXT,"
	 "  object TEXT,"
	 "  access TEXT,"
	 "  decision TEXT NOT NULL"
	 "    CHECK (decision = 'allow' OR decision = 'deny' OR decision = 'grant' OR decision = 'audit'"
	 "      OR decision = 'revoke' OR decision = 'ask-allow' OR decision = 'ask-deny'),"
	 "  rule TEXT,"
	 "  errno TEXT,"
	 "  backtrace_id INTEGER REFERENCES backtraces(id),"
	 "  count INTEGER NOT NULL DEFAULT 1,"
	 "  last_at TEXT,"
	 "  ppid INTEGER"
	 ");"
	 "INSERT INTO events_v5 (id, run_id, at, pid, syscall, object, access, decision, rule, errno,"
	 "  backtrace_id, count, last_at, ppid) SELECT id, run_id, at, pid, syscall, object, access,"
	 "  decision, rule, errno, backtrace_id, count, last_at, ppid FROM events;"
	 "DROP VIEW denials;"
	 "DROP TABLE events;"
	 "ALTER TABLE events_v5 RENAME TO events;"
	 "CREATE INDEX events_run ON events(run_id);"
	 "CREATE VIEW denials AS SELECT * FROM events WHERE decision = 'deny' OR decision = 'ask-deny';"),
	/* 6: a run without the syscall filter (--no-syscall-filter): neither the jail's refused
	 * calls nor the profile's syscalls allowlist. Runs before it had both. */
	"ALTER TABLE runs ADD COLUMN no_syscall_filter INTEGER NOT NULL DEFAULT 0;",
};

/* db_schema_version - the schema version this build creates and understands. */
int db_schema_version(void)
{
	return (int)ARRAY_SIZE(_migrations);
}

/* db_user_version - read PRAGMA user_version of DB into *V. Returns the SQLite result code. */
int db_user_version(sqlite3 *db, int *v)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL);

	if (rc != SQLITE_OK)
		return rc;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*v = sqlite3_column_int(st, 0);
		rc = SQLITE_OK;
	}
	sqlite3_finalize(st);
	return rc;
}

/* What each migration (same index as _migrations) adds, as "table.column": how far a database
 * really is, whatever its user_version says (a stale copy, a version reset or set by hand, a
 * file from a build that never wrote it). Append the new columns with each migration. */
static const char *const _marks[][4] = {
	{ "runs.id", "events.id", "profiles.name", "rules.id" },
	{ "events.count", "events.last_at", "runs.log" },
	{ "runs.pid", "runs.pid_start" },
	{ "events.ppid" },
	{ "runs.control" },
	{ "runs.no_syscall_filter" },
};
_Static_assert(ARRAY_SIZE(_marks) == ARRAY_SIZE(_migrations), "a migration without _marks");

/* _has_column - whether DB has MARK ("table.column"). */
static bool _has_column(sqlite3 *db, const char *mark)
{
	const char *dot = strchr(mark, '.');
	sqlite3_stmt *st;
	bool has;

	if (sqlite3_prepare_v2(db, "SELECT 1 FROM pragma_table_info(?1) WHERE name = ?2", -1, &st,
			       NULL) != SQLITE_OK)
		return false;
	sqlite3_bind_text(st, 1, mark, (int)(dot - mark), SQLITE_STATIC);
	sqlite3_bind_text(st, 2, dot + 1, -1, SQLITE_STATIC);
	has = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	return has;
}

/* db_level - the schema version DB's columns show into *LEVEL: the number of leading migrations
 * whose columns are all there. -EIO with the reason in ERR when a migration is there in part, or
 * a later one's columns are there without it (no migration can be run safely on that). */
int db_level(sqlite3 *db, const char *path, int *level, char *err, size_t errlen)
{
	int n = (int)ARRAY_SIZE(_marks), k;

	for (k = 0; k < n; k++) {
		size_t have = 0, want = 0;

		for (size_t j = 0; j < ARRAY_SIZE(_marks[k]) && _marks[k][j]; j++, want++)
			have += _has_column(db, _marks[k][j]);
		if (have == want)
			continue;
		for (int m = k; m < n; m++)
			for (size_t j = 0; j < ARRAY_SIZE(_marks[m]) && _marks[m][j]; j++)
				if (_has_column(db, _marks[m][j]) && (m > k || have)) {
					snprintf(err, errlen, "%s: inconsistent schema: %s is there but "
						 "not all of schema version %d; not migrated", path,
						 _marks[m][j], k + 1);
					return -EIO;
				}
		break;
	}
	*level = k;
	return 0;
}

/* db_too_new - true (with the reason in ERR) when VERSION is newer than this build knows. */
bool db_too_new(const char *path, int version, char *err, size_t errlen)
{
	if (version <= db_schema_version())
		return false;
	snprintf(err, errlen, "%s: schema version %d is newer than this supervise (%d)", path, version,
		 db_schema_version());
	return true;
}

/* db_migrate - bring DB at PATH to db_schema_version() in one IMMEDIATE transaction, re-reading
 * user_version inside it (another process may have migrated meanwhile). The migrations run from
 * the version the columns show (db_level), which wins over user_version; a newer user_version is
 * still refused (its columns are unknown here).
 * Returns 0, or a negative errno with a one-line reason in ERR. */
int db_migrate(sqlite3 *db, const char *path, char *err, size_t errlen)
{
	char sql[64];
	int v = 0, rc;

	if (db_exec(db, "BEGIN IMMEDIATE") != SQLITE_OK)
		goto fail;
	if (db_user_version(db, &v) != SQLITE_OK)
		goto fail_rollback;
	if (db_too_new(path, v, err, errlen) || (rc = db_level(db, path, &v, err, errlen)) < 0) {
		db_exec(db, "ROLLBACK");
		return v > db_schema_version() ? -ENOTSUP : -EIO;
	}
	for (; v < db_schema_version(); v++) {
		if (db_exec(db, _migrations[v]) != SQLITE_OK)
			goto fail_rollback;
		snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", v + 1);
		if (db_exec(db, sql) != SQLITE_OK)
			goto fail_rollback;
	}
	snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", v);	/* also when none ran */
	if (db_exec(db, sql) != SQLITE_OK)
		goto fail_rollback;
	if (db_exec(db, "COMMIT") == SQLITE_OK)
		return 0;
fail_rollback:
	rc = sqlite3_errcode(db);
	snprintf(err, errlen, "%s: migrating schema to version %d: %s", path, v + 1,
		 sqlite3_errmsg(db));
	db_exec(db, "ROLLBACK");
	return rc == SQLITE_READONLY ? -EROFS : -EIO;
fail:
	rc = sqlite3_errcode(db);
	snprintf(err, errlen, "%s: %s", path, sqlite3_errmsg(db));
	return rc == SQLITE_READONLY ? -EROFS : -EIO;
}

