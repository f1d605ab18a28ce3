/* db.c - the SQLite store: opening a connection (the file, its directories, the pragmas, the
 * schema version check and migration through migrate.c). Runs are in runs.c, profiles and rules in
 * profiles.c, log queries in log.c, the event writer thread in writer.c. Schema: doc/schema.md.
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
 * Why creating the file ourselves is safe and useful:
 *   - the log holds every path the supervised program touched, so a new database file is created
 *     0600 (O_EXCL, no race with an existing file) and new parent directories 0700;
 *   - SQLite gives its -wal and -shm files the mode of the database file, so they follow;
 *   - an existing file is never re-created or chmod'ed: its owner chose its mode.
 */
#include "db.h"
#include "db_int.h"

#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../common/util.h"

#define DB_BUSY_TIMEOUT_MS 5000

/* db_exec - run SQL (no results wanted) on DB. Returns the SQLite result code (db_int.h). */
int db_exec(sqlite3 *db, const char *sql)
{
	return sqlite3_exec(db, sql, NULL, NULL, NULL);
}

/* db_fail - report "database: WHAT: sqlite message" via errx(). Returns -EIO. */
int db_fail(sqlite3 *db, const char *what)
{
	errx("database: %s: %s", what, sqlite3_errmsg(db));
	return -EIO;
}

/* db_now_iso - the current time as ISO 8601 UTC with milliseconds into BUF (>= 32 bytes). */
void db_now_iso(char *buf, size_t len)
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

/* _configure - set the per-connection pragmas and migrate. The version is checked before
 * anything is written (journal_mode=WAL rewrites the file header), so a newer database is left
 * untouched. Returns 0 or a negative errno with the reason in ERR. */
static int _configure(sqlite3 *db, const char *path, char *err, size_t errlen)
{
	int v = 0;

	sqlite3_busy_timeout(db, DB_BUSY_TIMEOUT_MS);
	if (db_exec(db, "PRAGMA foreign_keys = ON") != SQLITE_OK || db_user_version(db, &v) != SQLITE_OK) {
		snprintf(err, errlen, "%s: %s", path, sqlite3_errmsg(db));
		return -EIO;
	}
	if (db_too_new(path, v, err, errlen))
		return -ENOTSUP;
	if (v == db_schema_version() && db_level(db, path, &v, err, errlen) < 0)
		return -EIO;	/* before WAL is set: the file stays as it was */
	if (db_exec(db, "PRAGMA journal_mode = WAL") != SQLITE_OK ||
	    db_exec(db, "PRAGMA synchronous = NORMAL") != SQLITE_OK) {
		snprintf(err, errlen, "%s: %s", path, sqlite3_errmsg(db));
		return -EIO;
	}
	if (v == db_schema_version())
		return 0;
	return db_migrate(db, path, err, errlen);
}

/* _configure_more - the per-connection pragmas for a further connection to a database this
 * process has set up and still holds open (see the top of this file). 0 or -EIO with ERR. */
static int _configure_more(sqlite3 *db, const char *path, char *err, size_t errlen)
{
	sqlite3_busy_timeout(db, DB_BUSY_TIMEOUT_MS);
	if (db_exec(db, "PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL") != SQLITE_OK) {
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
	db_exec(db, "PRAGMA journal_size_limit = 0");
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
