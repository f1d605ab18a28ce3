/* db.c - the SQLite store: opening, schema migrations, runs and profiles.
 * Log queries are in log.c, the event writer thread in writer.c. Schema: doc/schema.md.
 *
 * Every connection gets: busy_timeout 5000 ms, foreign_keys=ON, journal_mode=WAL,
 * synchronous=NORMAL. A connection opened while this process holds another one to the same path
 * (a run opens three: its own, the event writer's and the checkpointer's) skips what the first
 * did already and what the file keeps: the directories and the file, the schema version check and
 * journal_mode=WAL (persistent in the file).
 *
 * A run's own connection, closed last, keeps the -wal and -shm files (db_keep_wal), so that no
 * run creates and deletes them again. Its close still checkpoints the WAL into the database file
 * (SQLite's checkpoint at the last close), so that once supervise has exited the database file
 * holds everything on its own: a user who copies or backs up supervise.db alone, as people do
 * with a file, loses nothing (a WAL left with the run's commits in it made a copy without the
 * profile just learned).
 *
 * The schema version is PRAGMA user_version; migration N (1-based) brings a database from version
 * N-1 to N inside one IMMEDIATE transaction, so two processes opening a new database at once
 * cannot both migrate it.
 *
 * Why creating the file ourselves is safe and useful:
 *   - the log holds every path the supervised program touched, so a new database file is created
 *     0600 (O_EXCL, no race with an existing file) and new parent directories 0700;
 *   - SQLite gives its -wal and -shm files the mode of the database file, so they follow;
 *   - an existing file is never re-created or chmod'ed: its owner chose its mode.
 */
#include "db.h"

#include <fcntl.h>
#include <pthread.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../common/proc.h"
#include "../common/util.h"

#define DB_BUSY_TIMEOUT_MS 5000

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

/* Names of enum rule_kind as stored in rules.kind. A local table so that this module does not
 * need policy.c; keep it in step with rule_kind_name(). */
static const char *const _rule_kinds[] = {
	[RULE_READ] = "read",
	[RULE_WRITE] = "write",
	[RULE_EXEC] = "exec",
	[RULE_DENY] = "deny",
	[RULE_TMPFS] = "tmpfs",
};

/* db_schema_version - the schema version this build creates and understands. */
int db_schema_version(void)
{
	return (int)ARRAY_SIZE(_migrations);
}

/* The errno values stored by name; any other is stored as "E<number>". */
static const struct {
	int e;
	const char *name;
} _errno_names[] = {
	{ EACCES, "EACCES" }, { ENOENT, "ENOENT" }, { EFAULT, "EFAULT" },
	{ EBADF, "EBADF" },   { EPERM, "EPERM" },   { EINVAL, "EINVAL" },
};

/* db_errno_name - see db.h. */
const char *db_errno_name(int e, char *buf, size_t len)
{
	size_t i;

	if (e == 0)
		return NULL;
	for (i = 0; i < ARRAY_SIZE(_errno_names); i++)
		if (_errno_names[i].e == e)
			return _errno_names[i].name;
	snprintf(buf, len, "E%d", e);
	return buf;
}

/* _exec - run SQL (no results wanted) on DB. Returns the SQLite result code. */
static int _exec(sqlite3 *db, const char *sql)
{
	return sqlite3_exec(db, sql, NULL, NULL, NULL);
}

/* _fail - report "database: WHAT: sqlite message" via errx(). Returns -EIO. */
static int _fail(sqlite3 *db, const char *what)
{
	errx("database: %s: %s", what, sqlite3_errmsg(db));
	return -EIO;
}

/* _now_iso - the current time as ISO 8601 UTC with milliseconds into BUF (>= 32 bytes). */
static void _now_iso(char *buf, size_t len)
{
	util_iso8601(now_ms(), buf, len);
}

/* _is_special - true for SQLite's names that are not files ("" and ":memory:"). */
static bool _is_special(const char *path)
{
	return !*path || !strcmp(path, ":memory:");
}

/* _mkdir_parents - create the missing parent directories of PATH with mode 0700.
 * Returns 0, or -errno with "DIR: strerror" in ERR. */
static int _mkdir_parents(const char *path, char *err, size_t errlen)
{
	_cleanup_free_ char *dir = xstrdup(path);
	char *slash;

	for (slash = strchr(dir + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		if (mkdir(dir, 0700) < 0 && errno != EEXIST) {
			int e = errno;

			snprintf(err, errlen, "%s: %s", dir, strerror(e));
			return -e;
		}
		*slash = '/';
	}
	return 0;
}

/* _create_file - create PATH 0600 when it does not exist yet (see the top of this file).
 * Returns 0 (also when it already existed), or -errno with "PATH: strerror" in ERR. */
static int _create_file(const char *path, char *err, size_t errlen)
{
	int fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);

	if (fd >= 0) {
		close(fd);
		return 0;
	}
	if (errno == EEXIST)
		return 0;
	snprintf(err, errlen, "%s: %s", path, strerror(errno));
	return -errno;
}

/* _user_version - read PRAGMA user_version of DB into *V. Returns the SQLite result code. */
static int _user_version(sqlite3 *db, int *v)
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

/* _level - the schema version DB's columns show into *LEVEL: the number of leading migrations
 * whose columns are all there. -EIO with the reason in ERR when a migration is there in part, or
 * a later one's columns are there without it (no migration can be run safely on that). */
static int _level(sqlite3 *db, const char *path, int *level, char *err, size_t errlen)
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

/* _too_new - true (with the reason in ERR) when VERSION is newer than this build knows. */
static bool _too_new(const char *path, int version, char *err, size_t errlen)
{
	if (version <= db_schema_version())
		return false;
	snprintf(err, errlen, "%s: schema version %d is newer than this supervise (%d)", path, version,
		 db_schema_version());
	return true;
}

/* _migrate - bring DB at PATH to db_schema_version() in one IMMEDIATE transaction, re-reading
 * user_version inside it (another process may have migrated meanwhile). The migrations run from
 * the version the columns show (_level), which wins over user_version; a newer user_version is
 * still refused (its columns are unknown here).
 * Returns 0, or a negative errno with a one-line reason in ERR. */
static int _migrate(sqlite3 *db, const char *path, char *err, size_t errlen)
{
	char sql[64];
	int v = 0, rc;

	if (_exec(db, "BEGIN IMMEDIATE") != SQLITE_OK)
		goto fail;
	if (_user_version(db, &v) != SQLITE_OK)
		goto fail_rollback;
	if (_too_new(path, v, err, errlen) || (rc = _level(db, path, &v, err, errlen)) < 0) {
		_exec(db, "ROLLBACK");
		return v > db_schema_version() ? -ENOTSUP : -EIO;
	}
	for (; v < db_schema_version(); v++) {
		if (_exec(db, _migrations[v]) != SQLITE_OK)
			goto fail_rollback;
		snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", v + 1);
		if (_exec(db, sql) != SQLITE_OK)
			goto fail_rollback;
	}
	snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", v);	/* also when none ran */
	if (_exec(db, sql) != SQLITE_OK)
		goto fail_rollback;
	if (_exec(db, "COMMIT") == SQLITE_OK)
		return 0;
fail_rollback:
	rc = sqlite3_errcode(db);
	snprintf(err, errlen, "%s: migrating schema to version %d: %s", path, v + 1,
		 sqlite3_errmsg(db));
	_exec(db, "ROLLBACK");
	return rc == SQLITE_READONLY ? -EROFS : -EIO;
fail:
	rc = sqlite3_errcode(db);
	snprintf(err, errlen, "%s: %s", path, sqlite3_errmsg(db));
	return rc == SQLITE_READONLY ? -EROFS : -EIO;
}

/* _configure - set the per-connection pragmas and migrate. The version is checked before
 * anything is written (journal_mode=WAL rewrites the file header), so a newer database is left
 * untouched. Returns 0 or a negative errno with the reason in ERR. */
static int _configure(sqlite3 *db, const char *path, char *err, size_t errlen)
{
	int v = 0;

	sqlite3_busy_timeout(db, DB_BUSY_TIMEOUT_MS);
	if (_exec(db, "PRAGMA foreign_keys = ON") != SQLITE_OK || _user_version(db, &v) != SQLITE_OK) {
		snprintf(err, errlen, "%s: %s", path, sqlite3_errmsg(db));
		return -EIO;
	}
	if (_too_new(path, v, err, errlen))
		return -ENOTSUP;
	if (v == db_schema_version() && _level(db, path, &v, err, errlen) < 0)
		return -EIO;	/* before WAL is set: the file stays as it was */
	if (_exec(db, "PRAGMA journal_mode = WAL") != SQLITE_OK ||
	    _exec(db, "PRAGMA synchronous = NORMAL") != SQLITE_OK) {
		snprintf(err, errlen, "%s: %s", path, sqlite3_errmsg(db));
		return -EIO;
	}
	if (v == db_schema_version())
		return 0;
	return _migrate(db, path, err, errlen);
}

/* _configure_more - the per-connection pragmas for a further connection to a database this
 * process has set up and still holds open (see the top of this file). 0 or -EIO with ERR. */
static int _configure_more(sqlite3 *db, const char *path, char *err, size_t errlen)
{
	sqlite3_busy_timeout(db, DB_BUSY_TIMEOUT_MS);
	if (_exec(db, "PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL") != SQLITE_OK) {
		snprintf(err, errlen, "%s: %s", path, sqlite3_errmsg(db));
		return -EIO;
	}
	return 0;
}

/* The connections db_open_flags set up fully, while any is open: their path (as given) and
 * handles. A further open of the same path takes _configure_more. */
static pthread_mutex_t _live_lock = PTHREAD_MUTEX_INITIALIZER;
static char *_live_path;
static sqlite3 *_live[8];

/* _live_count - how many of _live are set (under _live_lock). */
static size_t _live_count(void)
{
	size_t n = 0;

	for (size_t i = 0; i < ARRAY_SIZE(_live); i++)
		n += _live[i] != NULL;
	return n;
}

/* _live_has - whether a connection to PATH is open and was set up fully. */
static bool _live_has(const char *path)
{
	bool r;

	pthread_mutex_lock(&_live_lock);
	r = _live_count() > 0 && !strcmp(_live_path, path);
	pthread_mutex_unlock(&_live_lock);
	return r;
}

/* _live_add - remember DB, just opened on PATH; no-op when connections to another path are open
 * or the table is full (later opens then take the full set-up). */
static void _live_add(sqlite3 *db, const char *path)
{
	pthread_mutex_lock(&_live_lock);
	if (!_live_count()) {
		free(_live_path);
		_live_path = xstrdup(path);
	}
	for (size_t i = 0; i < ARRAY_SIZE(_live) && !strcmp(_live_path, path); i++)
		if (!_live[i]) {
			_live[i] = db;
			break;
		}
	pthread_mutex_unlock(&_live_lock);
}

/* _live_drop - forget DB (about to be closed), if remembered. */
static void _live_drop(sqlite3 *db)
{
	pthread_mutex_lock(&_live_lock);
	for (size_t i = 0; i < ARRAY_SIZE(_live); i++)
		if (_live[i] == db)
			_live[i] = NULL;
	pthread_mutex_unlock(&_live_lock);
}

/* _global_config - process-wide SQLite settings, applied once before SQLite initialises:
 * memory statistics off (they take a global mutex on every allocation, which cost the writer
 * about 10%). If SQLite was already initialised by someone else this is a harmless no-op. */
static void _global_config(void)
{
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

/* db_open_flags - see db.h. Errors: -errno from creating directories or the file, -ENOTSUP for a
 * schema newer than db_schema_version(), -EROFS when a needed migration cannot be written, -EIO
 * for anything SQLite reports. */
int db_open_flags(const char *path, int flags, sqlite3 **out, char *err, size_t errlen)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	sqlite3 *db = NULL;
	bool more;
	int r;

	pthread_once(&once, _global_config);
	*out = NULL;
	more = !_is_special(path) && _live_has(path);
	if (!_is_special(path) && !more) {
		r = _mkdir_parents(path, err, errlen);
		if (r < 0)
			return r;
		r = _create_file(path, err, errlen);
		if (r < 0)
			return r;
	}
	flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
	if (sqlite3_open_v2(path, &db, flags, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "%s: %s", path, db ? sqlite3_errmsg(db) : "out of memory");
		sqlite3_close(db);
		return -EIO;
	}
	r = more ? _configure_more(db, path, err, errlen) : _configure(db, path, err, errlen);
	if (r < 0) {
		sqlite3_close(db);
		return r;
	}
	if (!_is_special(path))
		_live_add(db, path);
	*out = db;
	return 0;
}

/* db_keep_wal - see db.h. SQLITE_FCNTL_PERSIST_WAL on the connection's file, and
 * journal_size_limit = 0 so that the checkpoint at its close leaves an empty -wal file. */
void db_keep_wal(sqlite3 *db)
{
	int on = 1;

	sqlite3_file_control(db, "main", SQLITE_FCNTL_PERSIST_WAL, &on);
	_exec(db, "PRAGMA journal_size_limit = 0");
}

/* db_open - see db.h and db_open_flags(). */
int db_open(const char *path, sqlite3 **out, char *err, size_t errlen)
{
	return db_open_flags(path, 0, out, err, errlen);
}

/* db_close - see db.h. close_v2 so that a leaked statement cannot keep the handle open forever. */
void db_close(sqlite3 *db)
{
	if (db) {
		_live_drop(db);
		sqlite3_close_v2(db);
	}
}

/* _env - getenv(NAME) when it is set and not empty, else NULL. */
static const char *_env(const char *name)
{
	const char *v = getenv(name);

	return v && *v ? v : NULL;
}

/* db_default_path - see db.h. XDG_DATA_HOME counts only when absolute, as the XDG spec says;
 * likewise HOME. */
char *db_default_path(const char *opt)
{
	const char *v;

	if (opt && *opt)
		return xstrdup(opt);
	v = _env("SUPERVISE_DB");
	if (v)
		return xstrdup(v);
	v = _env("XDG_DATA_HOME");
	if (v && v[0] == '/')
		return xasprintf("%s/supervise/supervise.db", v);
	v = _env("HOME");
	if (v && v[0] == '/')
		return xasprintf("%s/.local/share/supervise/supervise.db", v);
	return NULL;
}

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

	_now_iso(at, sizeof(at));
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
		_fail(db, "recording the run");
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

	_now_iso(at, sizeof(at));
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

/* db_profile_get - see db.h. Prints nothing: the caller names the profile in its one line. */
int db_profile_get(sqlite3 *db, const char *name, char **text)
{
	sqlite3_stmt *st = NULL;
	int rc, r = -EIO;

	*text = NULL;
	rc = sqlite3_prepare_v2(db, "SELECT text FROM profiles WHERE name = ?1", -1, &st, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
		rc = sqlite3_step(st);
	}
	if (rc == SQLITE_ROW) {
		*text = xstrdup((const char *)sqlite3_column_text(st, 0));
		r = 0;
	} else if (rc == SQLITE_DONE) {
		r = -ENOENT;
	}
	sqlite3_finalize(st);
	return r;
}

/* _rule_path - the path part of rule R as written: the text after the kind word ("~/x" for
 * "read ~/x"), or the expanded pattern when the rule has no text. */
static const char *_rule_path(const struct rule *r)
{
	const char *p;

	if (!r->text)
		return r->pattern ? r->pattern : "";
	p = r->text + strcspn(r->text, " \t");
	p += strspn(p, " \t");
	if (r->grant) {	/* "grant KIND PATH" */
		p += strcspn(p, " \t");
		p += strspn(p, " \t");
	}
	return p;
}

/* _put_rules - replace the rules rows of profile NAME with those of P (may be NULL: none).
 * Runs inside the caller's transaction. Returns the SQLite result code. */
static int _put_rules(sqlite3 *db, const char *name, const struct profile *p)
{
	sqlite3_stmt *st = NULL;
	int rc;
	size_t i;

	rc = sqlite3_prepare_v2(db, "DELETE FROM rules WHERE profile = ?1", -1, &st, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
		rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : sqlite3_errcode(db);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_OK || !p)
		return rc;
	rc = sqlite3_prepare_v2(db, "INSERT INTO rules (profile, position, kind, path, grant)"
				" VALUES (?1, ?2, ?3, ?4, ?5)", -1, &st, NULL);
	for (i = 0; rc == SQLITE_OK && i < p->n; i++) {
		const struct rule *r = &p->rules[i];
		unsigned k = (unsigned)r->kind;

		if (r->inherited)	/* stored with the profile it comes from */
			continue;
		sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, (int64_t)i + 1);
		sqlite3_bind_text(st, 3, k < ARRAY_SIZE(_rule_kinds) ? _rule_kinds[k] : "?", -1,
				  SQLITE_STATIC);
		sqlite3_bind_text(st, 4, _rule_path(r), -1, SQLITE_STATIC);
		sqlite3_bind_int(st, 5, r->grant);
		rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : sqlite3_errcode(db);
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	return rc;
}

/* _put_profile - insert profile NAME with TEXT, or update its text and updated_at (created_at is
 * kept). Returns the SQLite result code. */
static int _put_profile(sqlite3 *db, const char *name, const char *text)
{
	sqlite3_stmt *st = NULL;
	char at[32];
	int rc;

	_now_iso(at, sizeof(at));
	rc = sqlite3_prepare_v2(db,
				"INSERT INTO profiles (name, text, created_at, updated_at)"
				" VALUES (?1, ?2, ?3, ?3) ON CONFLICT (name) DO UPDATE"
				" SET text = excluded.text, updated_at = excluded.updated_at",
				-1, &st, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, text, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, at, -1, SQLITE_STATIC);
		rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : sqlite3_errcode(db);
	}
	sqlite3_finalize(st);
	return rc;
}

/* db_profile_put - see db.h. RULES may be NULL (no rules rows). Errors are printed. */
int db_profile_put(sqlite3 *db, const char *name, const char *text, const struct profile *rules)
{
	if (_exec(db, "BEGIN IMMEDIATE") != SQLITE_OK)
		return _fail(db, "storing the profile");
	if (_put_profile(db, name, text) != SQLITE_OK || _put_rules(db, name, rules) != SQLITE_OK ||
	    _exec(db, "COMMIT") != SQLITE_OK) {
		int r = _fail(db, "storing the profile");

		_exec(db, "ROLLBACK");
		return r;
	}
	return 0;
}

/* db_profile_delete - see db.h. Its rules go by ON DELETE CASCADE (foreign_keys is on). */
int db_profile_delete(sqlite3 *db, const char *name)
{
	sqlite3_stmt *st = NULL;
	int rc;

	rc = sqlite3_prepare_v2(db, "DELETE FROM profiles WHERE name = ?1", -1, &st, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
		rc = sqlite3_step(st);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return _fail(db, "deleting the profile");
	return sqlite3_changes(db) ? 0 : -ENOENT;
}

/* db_profile_list - see db.h. */
int db_profile_list(sqlite3 *db, FILE *out)
{
	sqlite3_stmt *st = NULL;
	int rc;

	rc = sqlite3_prepare_v2(db,
				"SELECT p.name, (SELECT count(*) FROM rules r WHERE r.profile = p.name),"
				" p.updated_at FROM profiles p ORDER BY p.name",
				-1, &st, NULL);
	while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		fprintf(out, "%s\t%lld\t%s\n", (const char *)sqlite3_column_text(st, 0),
			(long long)sqlite3_column_int64(st, 1),
			(const char *)sqlite3_column_text(st, 2));
		rc = SQLITE_OK;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : _fail(db, "listing profiles");
}
