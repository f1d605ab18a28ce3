/* test_db.c - the SQLite store: open/migrate, runs, the writer thread, profiles, log printing.
 * Every test gets a fresh database under its own mkdtemp directory, removed afterwards.
 * JSON output is checked with python3's json module (skipped with a reason when it is missing).
 */
#include "unit.h"

#include <ftw.h>
#include <pthread.h>
#include <stdio.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../../common/util.h"
#include "../../db/db.h"
#include "../../db/writer.h"

#define T0 1700000000123LL	/* 2023-11-14T22:13:20.123Z */

struct fx {
	char dir[64];
	char *path;		/* DIR/a/b/supervise.db: two parents to create */
	sqlite3 *db;
};

/* _rm - nftw callback removing one entry. */
static int _rm(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(p);
}

/* setup - a fresh database at DIR/a/b/supervise.db under a new mkdtemp DIR. */
static int setup(void **state)
{
	struct fx *f = xcalloc(1, sizeof(*f));
	char err[256];

	snprintf(f->dir, sizeof(f->dir), "/tmp/test_db.XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	f->path = xasprintf("%s/a/b/supervise.db", f->dir);
	if (db_open(f->path, &f->db, err, sizeof(err)) < 0) {
		fprintf(stderr, "# %s\n", err);
		return -1;
	}
	*state = f;
	return 0;
}

/* teardown - close the database and remove DIR. */
static int teardown(void **state)
{
	struct fx *f = *state;

	db_close(f->db);
	nftw(f->dir, _rm, 16, FTW_DEPTH | FTW_PHYS);
	free(f->path);
	free(f);
	return 0;
}

/* _int - the single integer result of SQL on DB (fails the test on error). */
static int64_t _int(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st = NULL;
	int64_t v;

	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* _text - the single text result of SQL on DB, malloc'd ("NULL" for SQL NULL). */
static char *_text(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st = NULL;
	const char *s;
	char *v;

	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	s = (const char *)sqlite3_column_text(st, 0);
	v = xstrdup(s ? s : "NULL");
	sqlite3_finalize(st);
	return v;
}

/* _iso - util_iso8601(MS) in a static buffer. */
static const char *_iso(int64_t ms)
{
	static char buf[32];

	util_iso8601(ms, buf, sizeof(buf));
	return buf;
}

/* _slurp - the whole file PATH, malloc'd; *LEN receives its size. */
static char *_slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;

	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	*len = (size_t)ftell(f);
	rewind(f);
	buf = xmalloc(*len + 1);
	assert_int_equal(fread(buf, 1, *len, f), *len);
	fclose(f);
	return buf;
}

/* Opening creates the parents 0700, the file 0600, the schema, user_version, WAL, FKs. */
static void test_open_creates_schema(void **state)
{
	struct fx *f = *state;
	_cleanup_free_ char *a = xasprintf("%s/a", f->dir), *b = xasprintf("%s/a/b", f->dir);
	_cleanup_free_ char *jm = _text(f->db, "PRAGMA journal_mode");
	struct stat st;

	assert_int_equal(stat(a, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	assert_int_equal(st.st_mode & 0777, 0700);
	assert_int_equal(stat(b, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
	assert_int_equal(stat(f->path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_true(db_schema_version() >= 1);
	assert_int_equal(_int(f->db, "PRAGMA user_version"), db_schema_version());
	assert_int_equal(_int(f->db, "PRAGMA foreign_keys"), 1);
	assert_string_equal(jm, "wal");
	assert_int_equal(_int(f->db, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND"
			     " name IN ('runs', 'events', 'profiles', 'rules')"), 4);
	assert_int_equal(_int(f->db, "SELECT count(*) FROM sqlite_master WHERE type = 'view' AND"
			     " name = 'denials'"), 1);
	assert_int_equal(_int(f->db, "SELECT count(*) FROM pragma_index_list('events') l,"
			     " pragma_index_info(l.name) i WHERE i.name = 'run_id' AND l.partial = 0"),
			 1);
	/* The columns users query. */
	assert_int_equal(_int(f->db, "SELECT count(*) FROM pragma_table_info('events') WHERE name IN"
			     " ('id','run_id','at','pid','syscall','object','access','decision','rule',"
			     "'errno')"), 10);
	assert_int_equal(_int(f->db, "SELECT count(*) FROM pragma_table_info('runs') WHERE name IN"
			     " ('id','profile','mode','command','cwd','started_at','ended_at',"
			     "'exit_status')"), 8);
}

/* Opening again (also twice at once) changes nothing and keeps the data. */
static void test_reopen_is_idempotent(void **state)
{
	struct fx *f = *state;
	int64_t objects = _int(f->db, "SELECT count(*) FROM sqlite_master");
	int64_t run = db_run_begin(f->db, "p", MODE_LEARN, "true", "/", false);
	sqlite3 *db2;
	char err[256];

	assert_true(run > 0);
	db_close(f->db);
	assert_int_equal(db_open(f->path, &f->db, err, sizeof(err)), 0);
	/* A second connection at the same time, too. */
	assert_int_equal(db_open(f->path, &db2, err, sizeof(err)), 0);
	assert_int_equal(_int(db2, "SELECT count(*) FROM sqlite_master"), objects);
	db_close(db2);
	assert_int_equal(_int(f->db, "SELECT count(*) FROM sqlite_master"), objects);
	assert_int_equal(_int(f->db, "PRAGMA user_version"), db_schema_version());
	assert_int_equal(_int(f->db, "SELECT count(*) FROM runs"), 1);
}

/* A newer user_version is refused with a message, and the file is not touched. */
static void test_newer_version_refused(void **state)
{
	struct fx *f = *state;
	int newer = db_schema_version() + 7;
	_cleanup_free_ char *sql = xasprintf("PRAGMA user_version = %d", newer);
	_cleanup_free_ char *want = NULL, *before = NULL, *after = NULL;
	_cleanup_free_ char *wal = xasprintf("%s-wal", f->path);
	size_t lb, la;
	char err[256] = "";
	sqlite3 *db = (sqlite3 *)&err;	/* must be reset to NULL */

	assert_int_equal(sqlite3_exec(f->db, sql, NULL, NULL, NULL), SQLITE_OK);
	db_close(f->db);
	f->db = NULL;
	before = _slurp(f->path, &lb);
	assert_int_equal(db_open(f->path, &db, err, sizeof(err)), -ENOTSUP);
	assert_null(db);
	want = xasprintf("%s: schema version %d is newer than this supervise (%d)", f->path, newer,
			 db_schema_version());
	assert_string_equal(err, want);
	after = _slurp(f->path, &la);
	assert_int_equal(la, lb);
	assert_memory_equal(after, before, lb);
	assert_int_not_equal(access(wal, F_OK), 0);
}

/* _reopen - close F's database, run SQL on the file with a plain connection, and open it again
 * with db_open. Returns db_open's result, the message in ERR. */
static int _reopen(struct fx *f, const char *sql, char *err, size_t errlen)
{
	sqlite3 *raw;

	db_close(f->db);
	f->db = NULL;
	assert_int_equal(sqlite3_open(f->path, &raw), SQLITE_OK);
	if (sqlite3_exec(raw, sql, NULL, NULL, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(raw));
	sqlite3_close(raw);
	return db_open(f->path, &f->db, err, errlen);
}

/* A stale database is migrated by its columns, not only its user_version: a version that says
 * too little (nothing is run twice), one that says too much (the missing migrations run), a file
 * whose version was never written; a schema of no version (a later migration's column without
 * an earlier one's) is refused with a message, and the file is left as it was. */
static void test_stale_schema_by_columns(void **state)
{
	struct fx *f = *state;
	char err[256] = "", sql[64];
	_cleanup_free_ char *before = NULL, *after = NULL;
	size_t lb, la;

	assert_int_equal(sqlite3_exec(f->db, "INSERT INTO runs (mode, started_at) VALUES "
				      "('learn', 'then')", NULL, NULL, NULL), SQLITE_OK);
	snprintf(sql, sizeof(sql), "PRAGMA user_version = 2");
	assert_int_equal(_reopen(f, sql, err, sizeof(err)), 0);
	assert_int_equal(_int(f->db, "PRAGMA user_version"), db_schema_version());
	assert_int_equal(_reopen(f, "PRAGMA user_version = 0", err, sizeof(err)), 0);
	assert_int_equal(_int(f->db, "PRAGMA user_version"), db_schema_version());
	/* user_version says current, the columns of migrations 4 and on are gone */
	assert_int_equal(_reopen(f, "ALTER TABLE runs DROP COLUMN no_syscall_filter;"
				 "ALTER TABLE runs DROP COLUMN control;"
				 "ALTER TABLE events DROP COLUMN ppid;", err, sizeof(err)), 0);
	assert_int_equal(_int(f->db, "PRAGMA user_version"), db_schema_version());
	assert_int_equal(_int(f->db, "SELECT count(*) FROM pragma_table_info('runs') "
			      "WHERE name = 'control'"), 1);
	assert_int_equal(_int(f->db, "SELECT count(*) FROM pragma_table_info('events') "
			      "WHERE name = 'ppid'"), 1);
	assert_int_equal(_int(f->db, "SELECT count(*) FROM runs WHERE started_at = 'then'"), 1);
	/* events.ppid gone but runs.control (a later migration) there: no version fits */
	assert_int_equal(_reopen(f, "ALTER TABLE events DROP COLUMN ppid", err, sizeof(err)), -EIO);
	assert_null(f->db);
	assert_non_null(strstr(err, ": inconsistent schema: runs.control is there but not all of "
			       "schema version 4; not migrated"));
	before = _slurp(f->path, &lb);
	assert_int_equal(db_open(f->path, &f->db, err, sizeof(err)), -EIO);
	after = _slurp(f->path, &la);
	assert_int_equal(la, lb);
	assert_memory_equal(after, before, lb);
}

/* A path under a regular file, and a file that is not a database, fail with a reason. */
static void test_open_errors(void **state)
{
	struct fx *f = *state;
	_cleanup_free_ char *file = xasprintf("%s/plain", f->dir);
	_cleanup_free_ char *under = xasprintf("%s/plain/x.db", f->dir);
	_cleanup_free_ char *want = NULL;
	FILE *fp = fopen(file, "w");
	char err[256];
	sqlite3 *db;

	assert_non_null(fp);
	fputs("this is not a database, but it is long enough to have a header.........\n", fp);
	fclose(fp);
	assert_int_equal(db_open(under, &db, err, sizeof(err)), -ENOTDIR);
	want = xasprintf("%s: Not a directory", under);
	assert_string_equal(err, want);
	assert_true(db_open(file, &db, err, sizeof(err)) < 0);
	assert_null(db);
	assert_non_null(strstr(err, "not a database"));
}

/* Runs get increasing ids, their fields, and an end time and status. */
static void test_run_begin_end(void **state)
{
	struct fx *f = *state;
	int64_t r1 = db_run_begin(f->db, "web", MODE_ENFORCE, "curl http://x", "/srv", false);
	int64_t r2 = db_run_begin(f->db, NULL, MODE_AUDIT, "ls", "/", DB_RUN_NO_SYSCALL_FILTER);
	_cleanup_free_ char *started = NULL, *ended = NULL, *mode = NULL, *profile = NULL;

	assert_true(r1 > 0);
	assert_true(r2 > r1);
	started = _text(f->db, "SELECT started_at FROM runs ORDER BY id LIMIT 1");
	assert_int_equal(strlen(started), 24);
	assert_int_equal(started[10], 'T');
	assert_int_equal(started[19], '.');
	assert_int_equal(started[23], 'Z');
	ended = _text(f->db, "SELECT ended_at FROM runs ORDER BY id LIMIT 1");
	assert_string_equal(ended, "NULL");
	free(steal_pointer(&ended));
	mode = _text(f->db, "SELECT mode || ' ' || command || ' ' || cwd FROM runs ORDER BY id LIMIT 1");
	assert_string_equal(mode, "enforce curl http://x /srv");
	profile = _text(f->db, "SELECT coalesce(profile, 'none') || ' ' || mode FROM runs"
			" ORDER BY id DESC LIMIT 1");
	assert_string_equal(profile, "none audit");
	assert_int_equal(_int(f->db, "SELECT uid FROM runs ORDER BY id LIMIT 1"), getuid());
	/* --no-syscall-filter is recorded (r2), its absence too (r1), with the log kept */
	assert_int_equal(_int(f->db, "SELECT no_syscall_filter FROM runs ORDER BY id LIMIT 1"), 0);
	assert_int_equal(_int(f->db, "SELECT no_syscall_filter FROM runs WHERE log = 'first'"
			      " ORDER BY id DESC LIMIT 1"), 1);

	assert_int_equal(db_run_end(f->db, r1, 3), 0);
	ended = _text(f->db, "SELECT ended_at FROM runs ORDER BY id LIMIT 1");
	assert_int_equal(strlen(ended), 24);
	assert_true(strcmp(ended, started) >= 0);
	assert_int_equal(_int(f->db, "SELECT exit_status FROM runs ORDER BY id LIMIT 1"), 3);
	assert_int_equal(db_run_end(f->db, r2 + 100, 0), -EIO);
	/* The CHECK on mode holds even for hand-written SQL. */
	assert_int_not_equal(sqlite3_exec(f->db, "INSERT INTO runs (mode, started_at) VALUES"
					  " ('bogus', 'x')", NULL, NULL, NULL), SQLITE_OK);
}

struct pusher {
	struct db_writer *w;
	int t;
};

#define PER_THREAD 5000

/* _push_thread - push PER_THREAD events for thread number P->t. */
static void *_push_thread(void *arg)
{
	const struct pusher *p = arg;
	static const enum access acc[] = { ACC_READ, ACC_WRITE, ACC_CREATE, ACC_EXEC, ACC_STAT };
	char object[64];
	int i;

	for (i = 0; i < PER_THREAD; i++) {
		struct event ev = {
			.at_ms = T0 + i,
			.pid = 100 + p->t,
			.syscall = i % 2 ? "openat" : "execve",
			.object = object,
			.access = acc[i % 5],
			.decision = i % 5 == 0 ? DEC_DENY : DEC_ALLOW,
			.rule = i % 5 == 0 ? NULL : "read /t",
		};

		snprintf(object, sizeof(object), "/t/%d/%05d", p->t, i);
		db_writer_push(p->w, &ev);
	}
	return NULL;
}

/* 2 threads x 5000 events through one writer: all rows land, in order, with their fields. */
static void test_writer_two_threads(void **state)
{
	struct fx *f = *state;
	int64_t run = db_run_begin(f->db, "p", MODE_ENFORCE, "x", "/", false);
	struct pusher p[2];
	pthread_t th[2];
	uint64_t written = 0;
	char err[256];
	_cleanup_free_ char *row = NULL, *order = NULL;
	int i;

	assert_true(run > 0);
	p[0].w = p[1].w = db_writer_start(f->path, run, err, sizeof(err));
	assert_non_null(p[0].w);
	for (i = 0; i < 2; i++) {
		p[i].t = i;
		assert_int_equal(pthread_create(&th[i], NULL, _push_thread, &p[i]), 0);
	}
	for (i = 0; i < 2; i++)
		pthread_join(th[i], NULL);
	assert_int_equal(db_writer_stop(p[0].w, &written), 0);
	assert_int_equal(written, 2 * PER_THREAD);

	assert_int_equal(_int(f->db, "SELECT count(*) FROM events"), 2 * PER_THREAD);
	assert_int_equal(_int(f->db, "SELECT count(DISTINCT object) FROM events"), 2 * PER_THREAD);
	assert_int_equal(_int(f->db, "SELECT count(*) FROM events WHERE pid = 101"), PER_THREAD);
	assert_int_equal(_int(f->db, "SELECT events FROM runs"), 2 * PER_THREAD);
	assert_int_equal(_int(f->db, "SELECT count(*) FROM denials"), 2 * PER_THREAD / 5);
	assert_int_equal(_int(f->db, "SELECT count(*) FROM denials WHERE rule IS NOT NULL"), 0);
	row = _text(f->db, "SELECT run_id || '|' || at || '|' || pid || '|' || syscall || '|' ||"
		    " access || '|' || decision || '|' || rule FROM events WHERE object = '/t/1/00042'");
	order = xasprintf("%lld|%s|101|execve|create|allow|read /t", (long long)run, _iso(T0 + 42));
	assert_string_equal(row, order);
	free(steal_pointer(&order));
	/* Each producer's events keep their order. */
	order = _text(f->db, "SELECT group_concat(object, ',') = (SELECT group_concat(object, ',')"
		      " FROM (SELECT object FROM events WHERE pid = 100 ORDER BY object))"
		      " FROM (SELECT object FROM events WHERE pid = 100 ORDER BY id)");
	assert_string_equal(order, "1");
	assert_int_equal(_int(f->db, "SELECT count(*) FROM events WHERE object = '/t/0/00010' AND"
			     " decision = 'deny' AND rule IS NULL AND access = 'read'"), 1);
}

/* NULL strings, many arena chunks, and a string bigger than a chunk survive the queue. */
static void test_writer_strings(void **state)
{
	struct fx *f = *state;
	int64_t run = db_run_begin(f->db, "p", MODE_LEARN, "x", "/", false);
	size_t big = 200 * 1024;
	_cleanup_free_ char *huge = xmalloc(big + 1);
	struct event ev = { .at_ms = T0, .pid = 7, .access = ACC_READ, .decision = DEC_ALLOW };
	struct db_writer *w;
	uint64_t written;
	char err[256];
	int i;

	memset(huge, 'x', big);
	huge[0] = '/';
	huge[big] = '\0';
	w = db_writer_start(f->path, run, err, sizeof(err));
	assert_non_null(w);
	db_writer_push(w, &ev);		/* NULL syscall, object and rule */
	ev.syscall = "openat";
	for (i = 0; i < 3000; i++) {	/* more than one 64 KiB arena chunk */
		ev.object = i == 1500 ? huge : "/usr/share/some/fairly/long/path/to/fill/chunks";
		db_writer_push(w, &ev);
	}
	assert_int_equal(db_writer_stop(w, &written), 0);
	assert_int_equal(written, 3001);
	assert_int_equal(_int(f->db, "SELECT count(*) FROM events WHERE syscall IS NULL AND"
			     " object IS NULL AND rule IS NULL"), 1);
	assert_int_equal(_int(f->db, "SELECT max(length(object)) FROM events"), (int64_t)big);
	assert_int_equal(_int(f->db, "SELECT count(*) FROM events WHERE object LIKE '/usr/share/%'"),
			 2999);
}

/* While another connection holds the write lock, events wait in the queue; none is lost. */
static void test_writer_waits_for_lock(void **state)
{
	struct fx *f = *state;
	int64_t run = db_run_begin(f->db, "p", MODE_LEARN, "x", "/", false);
	struct event ev = { .at_ms = T0, .pid = 1, .syscall = "openat", .object = "/x",
			    .access = ACC_READ, .decision = DEC_ALLOW };
	const struct timespec pause = { .tv_nsec = 300 * 1000 * 1000 };
	struct db_writer *w;
	uint64_t written;
	char err[256];
	int i;

	w = db_writer_start(f->path, run, err, sizeof(err));
	assert_non_null(w);
	assert_int_equal(sqlite3_exec(f->db, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
	for (i = 0; i < 100; i++)
		db_writer_push(w, &ev);
	nanosleep(&pause, NULL);
	assert_int_equal(_int(f->db, "SELECT count(*) FROM events"), 0);
	assert_int_equal(sqlite3_exec(f->db, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(db_writer_stop(w, &written), 0);
	assert_int_equal(written, 100);
	assert_int_equal(_int(f->db, "SELECT count(*) FROM events"), 100);
}

#define TRICKLE 5000	/* events in each half of test_writer_trickle */

/* _mono_ms - CLOCK_MONOTONIC in milliseconds. */
static double _mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* _trickle - push events FROM..TO-1 into W one by one, the object naming each, with a short sleep
 * after each, as the decision path does. */
static void _trickle(struct db_writer *w, int from, int to)
{
	const struct timespec gap = { .tv_nsec = 2000 };
	struct event ev = { .at_ms = T0, .pid = 9, .syscall = "openat", .access = ACC_READ,
			    .decision = DEC_ALLOW, .rule = "read /t" };
	char object[32];
	int i;

	for (i = from; i < to; i++) {
		snprintf(object, sizeof(object), "/t/%05d", i);
		ev.object = object;
		db_writer_push(w, &ev);
		nanosleep(&gap, NULL);
	}
}

/* Events pushed one by one with small gaps (group commit: the writer is not woken for each) all
 * land in order: the first half without a stop, within the gathering delay; the second half when
 * db_writer_stop() flushes it, which returns promptly even though the writer was gathering. */
static void test_writer_trickle(void **state)
{
	struct fx *f = *state;
	int64_t run = db_run_begin(f->db, "p", MODE_LEARN, "x", "/", false);
	const struct timespec poll = { .tv_nsec = 5 * 1000 * 1000 };
	_cleanup_free_ char *order = NULL;
	struct db_writer *w;
	uint64_t written = 0;
	double t;
	char err[256];
	int i;

	w = db_writer_start(f->path, run, err, sizeof(err));
	assert_non_null(w);
	_trickle(w, 0, TRICKLE);
	for (i = 0; i < 1000 && _int(f->db, "SELECT count(*) FROM events") < TRICKLE; i++)
		nanosleep(&poll, NULL);		/* up to 5 s: the writer must not wait for stop */
	assert_int_equal(_int(f->db, "SELECT count(*) FROM events"), TRICKLE);
	_trickle(w, TRICKLE, 2 * TRICKLE);
	t = _mono_ms();
	assert_int_equal(db_writer_stop(w, &written), 0);
	t = _mono_ms() - t;
	print_message("# db_writer_stop took %.1f ms after the last push\n", t);
	assert_true(t < 200);
	assert_int_equal(written, 2 * TRICKLE);
	assert_int_equal(_int(f->db, "SELECT count(*) FROM events"), 2 * TRICKLE);
	assert_int_equal(_int(f->db, "SELECT events FROM runs"), 2 * TRICKLE);
	order = _text(f->db, "SELECT count(*) = max(id) - min(id) + 1 AND min(object) = '/t/00000'"
		      " AND max(object) = '/t/09999' AND sum(object = printf('/t/%05d', id - m)) ="
		      " count(*) FROM events, (SELECT min(id) AS m FROM events)");
	assert_string_equal(order, "1");
}

/* A writer for a run that does not exist is refused. */
static void test_writer_missing_run(void **state)
{
	struct fx *f = *state;
	char err[256];

	assert_null(db_writer_start(f->path, 4242, err, sizeof(err)));
	assert_non_null(strstr(err, "run 4242 does not exist"));
}

/* db_errno_name: the names queries rely on, "E<number>" for the rest, NULL for 0. */
static void test_errno_name(void **state)
{
	static const struct {
		int e;
		const char *name;
	} t[] = {
		{ EACCES, "EACCES" }, { ENOENT, "ENOENT" }, { EFAULT, "EFAULT" }, { EBADF, "EBADF" },
		{ EPERM, "EPERM" },   { EINVAL, "EINVAL" }, { ELOOP, "E40" },     { 4095, "E4095" },
		{ 0, NULL },
	};
	char buf[16];
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(t); i++) {
		const char *got = db_errno_name(t[i].e, buf, sizeof(buf));

		if (!t[i].name)
			assert_null(got);
		else
			assert_string_equal(got, t[i].name);
	}
}

/* The writer stores the errno by name, NULL when the call was not failed; two unnamed errnos in
 * one batch do not overwrite each other. The refusals query of doc/schema.md skips the probes. */
static void test_writer_errno(void **state)
{
	struct fx *f = *state;
	int64_t run = db_run_begin(f->db, "p", MODE_ENFORCE, "x", "/", false);
	static const int errs[] = { 0, EACCES, ENOENT, EFAULT, EBADF, EPERM, EINVAL, ELOOP, ENOTDIR,
				    0 };
	struct event ev = { .at_ms = T0, .pid = 3, .syscall = "openat", .object = "/x",
			    .access = ACC_READ, .decision = DEC_DENY };
	_cleanup_free_ char *names = NULL, *refused = NULL;
	struct db_writer *w;
	char err[256];
	size_t i;

	w = db_writer_start(f->path, run, err, sizeof(err));
	assert_non_null(w);
	for (i = 0; i < ARRAY_SIZE(errs); i++) {
		ev.error = errs[i];
		ev.decision = errs[i] ? DEC_DENY : DEC_ALLOW;
		ev.object = errs[i] == ENOENT ? "/missing" : errs[i] == EACCES ? "/secret" : "/x";
		ev.rule = errs[i] == EACCES ? "deny /secret" : NULL;
		db_writer_push(w, &ev);
	}
	assert_int_equal(db_writer_stop(w, NULL), 0);
	names = _text(f->db, "SELECT group_concat(coalesce(errno, 'NULL'), ',')"
		      " FROM (SELECT errno FROM events ORDER BY id)");
	assert_string_equal(names, "NULL,EACCES,ENOENT,EFAULT,EBADF,EPERM,EINVAL,E40,E20,NULL");
	assert_int_equal(_int(f->db, "SELECT count(*) FROM events WHERE typeof(errno) = 'null'"), 2);
	assert_int_equal(_int(f->db, "SELECT count(*) FROM denials WHERE errno IS NULL"), 0);
	refused = _text(f->db, "SELECT group_concat(object || ' ' || rule, ',') FROM"
			" (select object, rule from denials where errno = 'EACCES')");
	assert_string_equal(refused, "/secret deny /secret");
}

/* The denials view holds decision = 'deny' rows only (not audit). */
static void test_denials_view(void **state)
{
	struct fx *f = *state;
	int64_t run = db_run_begin(f->db, "p", MODE_ENFORCE, "x", "/", false);
	struct event ev = { .at_ms = T0, .pid = 1, .syscall = "openat", .access = ACC_READ };
	struct db_writer *w;
	sqlite3_stmt *st = NULL;
	char err[256];

	w = db_writer_start(f->path, run, err, sizeof(err));
	assert_non_null(w);
	ev.object = "/etc/hosts", ev.decision = DEC_ALLOW, ev.rule = "read /etc";
	db_writer_push(w, &ev);
	ev.object = "/etc/shadow", ev.decision = DEC_DENY, ev.rule = "deny /etc/shadow";
	db_writer_push(w, &ev);
	ev.object = "/root/x", ev.decision = DEC_AUDIT, ev.rule = NULL;
	db_writer_push(w, &ev);
	assert_int_equal(db_writer_stop(w, NULL), 0);

	assert_int_equal(sqlite3_prepare_v2(f->db, "select object, decision, rule from denials", -1,
					    &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal(sqlite3_column_text(st, 0), "/etc/shadow");
	assert_string_equal(sqlite3_column_text(st, 1), "deny");
	assert_string_equal(sqlite3_column_text(st, 2), "deny /etc/shadow");
	assert_int_equal(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
}

/* _rules - a profile built by hand (policy_parse may not exist yet). */
static void _rules(struct profile *p, const char *const *texts, const enum rule_kind *kinds,
		   size_t n)
{
	size_t i;

	p->rules = xcalloc(n, sizeof(*p->rules));
	p->n = p->cap = n;
	for (i = 0; i < n; i++) {
		p->rules[i].kind = kinds[i];
		p->rules[i].text = (char *)texts[i];
		p->rules[i].pattern = (char *)"/unused";
	}
}

/* Profiles: put, get, replace (rules replaced, created_at kept), list, delete. */
static void test_profiles(void **state)
{
	struct fx *f = *state;
	static const char *const t1[] = { "read ~/notes", "write /tmp", "deny /etc/shadow" };
	static const enum rule_kind k1[] = { RULE_READ, RULE_WRITE, RULE_DENY };
	static const char *const t2[] = { "exec /usr/bin", "read ~/x" };
	static const enum rule_kind k2[] = { RULE_EXEC, RULE_READ };
	struct profile p1 = { 0 }, p2 = { 0 };
	_cleanup_free_ char *text = NULL, *rules = NULL, *created = NULL, *created2 = NULL;
	_cleanup_free_ char *list = NULL;
	size_t len = 0;
	FILE *out;

	_rules(&p1, t1, k1, 3);
	_rules(&p2, t2, k2, 2);
	assert_int_equal(db_profile_get(f->db, "web", &text), -ENOENT);
	assert_null(text);
	assert_int_equal(db_profile_put(f->db, "web", "read ~/notes\nwrite /tmp\n", &p1), 0);
	assert_int_equal(db_profile_get(f->db, "web", &text), 0);
	assert_string_equal(text, "read ~/notes\nwrite /tmp\n");
	rules = _text(f->db, "SELECT group_concat(position || ':' || kind || ':' || path, ',')"
		      " FROM (SELECT * FROM rules WHERE profile = 'web' ORDER BY position)");
	assert_string_equal(rules, "1:read:~/notes,2:write:/tmp,3:deny:/etc/shadow");
	created = _text(f->db, "SELECT created_at FROM profiles WHERE name = 'web'");

	/* Replace: the rules rows are replaced, not added to; created_at stays. */
	assert_int_equal(db_profile_put(f->db, "web", "exec /usr/bin\nread ~/x\n", &p2), 0);
	free(steal_pointer(&text));
	assert_int_equal(db_profile_get(f->db, "web", &text), 0);
	assert_string_equal(text, "exec /usr/bin\nread ~/x\n");
	free(steal_pointer(&rules));
	rules = _text(f->db, "SELECT group_concat(position || ':' || kind || ':' || path, ',')"
		      " FROM (SELECT * FROM rules WHERE profile = 'web' ORDER BY position)");
	assert_string_equal(rules, "1:exec:/usr/bin,2:read:~/x");
	assert_int_equal(_int(f->db, "SELECT count(*) FROM rules"), 2);
	created2 = _text(f->db, "SELECT created_at FROM profiles WHERE name = 'web'");
	assert_string_equal(created, created2);
	assert_int_equal(_int(f->db, "SELECT updated_at >= created_at FROM profiles"), 1);

	assert_int_equal(db_profile_put(f->db, "a-empty", "", NULL), 0);
	out = open_memstream(&list, &len);
	assert_int_equal(db_profile_list(f->db, out), 0);
	fclose(out);
	assert_non_null(strstr(list, "a-empty\t0\t"));
	assert_non_null(strstr(list, "\nweb\t2\t"));
	assert_true(strstr(list, "a-empty") == list);	/* ordered by name */

	assert_int_equal(db_profile_delete(f->db, "web"), 0);
	assert_int_equal(_int(f->db, "SELECT count(*) FROM rules"), 0);
	assert_int_equal(db_profile_delete(f->db, "web"), -ENOENT);
	free(steal_pointer(&text));
	assert_int_equal(db_profile_get(f->db, "web", &text), -ENOENT);
	free(p1.rules);
	free(p2.rules);
}

/* _fill_log - two runs: run 1 (learn, no profile, exit 0) with one allowed read; run 2 (enforce,
 * profile web, exit 1) with an allow, a refusal by rule (EACCES), a refusal by no rule (EACCES)
 * and a probe of a missing path (ENOENT, no rule). Event ids 1..5. */
static void _fill_log(struct fx *f)
{
	int64_t r1 = db_run_begin(f->db, NULL, MODE_LEARN, "ls -l", "/home/u", false);
	int64_t r2 = db_run_begin(f->db, "web", MODE_ENFORCE, "curl x", "/srv", false);
	struct event ev = { .at_ms = T0, .pid = 42, .syscall = "openat", .access = ACC_READ };
	struct db_writer *w;
	char err[256];

	w = db_writer_start(f->path, r1, err, sizeof(err));
	assert_non_null(w);
	ev.object = "/etc/passwd", ev.decision = DEC_ALLOW;
	db_writer_push(w, &ev);
	assert_int_equal(db_writer_stop(w, NULL), 0);
	assert_int_equal(db_run_end(f->db, r1, 0), 0);

	w = db_writer_start(f->path, r2, err, sizeof(err));
	assert_non_null(w);
	ev.object = "/etc/hosts", ev.decision = DEC_ALLOW, ev.rule = "read /etc";
	db_writer_push(w, &ev);
	ev.object = "/etc/shadow", ev.decision = DEC_DENY, ev.rule = "deny /etc/shadow";
	ev.error = EACCES;
	db_writer_push(w, &ev);
	ev.syscall = "connect", ev.object = "tcp 127.0.0.1:8080", ev.access = ACC_CONNECT;
	ev.rule = NULL;
	db_writer_push(w, &ev);
	ev.syscall = "openat", ev.object = "/etc/missing.conf", ev.access = ACC_READ;
	ev.error = ENOENT;
	db_writer_push(w, &ev);
	assert_int_equal(db_writer_stop(w, NULL), 0);
	assert_int_equal(db_run_end(f->db, r2, 1), 0);
}

/* _log - db_log_print(Q) into a malloc'd string; *R receives its result. */
static char *_log(sqlite3 *db, struct log_query q, int *r)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	assert_non_null(out);
	*r = db_log_print(db, &q, out);
	fclose(out);
	return buf;
}

/* _json_check - true when TEXT parses as JSON with python3 and, when N >= 0, is an array of N
 * elements. Skips the test when python3 is missing. */
static bool _json_check(const char *dir, const char *text, int n)
{
	_cleanup_free_ char *path = xasprintf("%s/out.json", dir), *cmd = NULL;
	FILE *f;
	int rc;

	if (system("command -v python3 >/dev/null 2>&1") != 0)
		skip();
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	cmd = xasprintf("python3 -m json.tool '%s' >/dev/null && python3 -c 'import json, sys;"
			" d = json.load(open(sys.argv[1], encoding=\"utf-8\"));"
			" sys.exit(0 if %d < 0 or (isinstance(d, list) and len(d) == %d) else 1)' '%s'",
			path, n, n, path);
	rc = system(cmd);
	return rc == 0;
}

/* Text log: --last, --denied, --run N, run list, missing run. */
static void test_log_text(void **state)
{
	struct fx *f = *state;
	const char *at;
	_cleanup_free_ char *want = NULL, *got = NULL, *hdr2 = NULL;
	int r;

	_fill_log(f);
	at = _iso(T0);
	hdr2 = xstrdup("run 2 enforce profile=web exit=1 curl x\n");
	want = xasprintf("%s"
			 "  %s 42 openat read allow /etc/hosts rule \"read /etc\"\n"
			 "  %s 42 openat read deny /etc/shadow rule \"deny /etc/shadow\" errno=EACCES\n"
			 "  %s 42 connect connect deny tcp 127.0.0.1:8080 no rule errno=EACCES\n"
			 "  %s 42 openat read deny /etc/missing.conf no rule errno=ENOENT\n",
			 hdr2, at, at, at, at);
	got = _log(f->db, (struct log_query){ .last = true }, &r);
	assert_int_equal(r, 0);
	assert_string_equal(got, want);
	free(steal_pointer(&got));
	free(steal_pointer(&want));

	/* --denied over all runs: only runs with a denial, only denials. */
	want = xasprintf("%s"
			 "  %s 42 openat read deny /etc/shadow rule \"deny /etc/shadow\" errno=EACCES\n"
			 "  %s 42 connect connect deny tcp 127.0.0.1:8080 no rule errno=EACCES\n"
			 "  %s 42 openat read deny /etc/missing.conf no rule errno=ENOENT\n",
			 hdr2, at, at, at);
	got = _log(f->db, (struct log_query){ .denied = true }, &r);
	assert_int_equal(r, 0);
	assert_string_equal(got, want);
	free(steal_pointer(&got));
	free(steal_pointer(&want));

	want = xasprintf("run 1 learn profile=- exit=0 ls -l\n  %s 42 openat read allow /etc/passwd\n",
			 at);
	got = _log(f->db, (struct log_query){ .run = 1 }, &r);
	assert_int_equal(r, 0);
	assert_string_equal(got, want);
	free(steal_pointer(&got));

	got = _log(f->db, (struct log_query){ .run = 1, .denied = true }, &r);
	assert_int_equal(r, 0);
	assert_string_equal(got, "run 1 learn profile=- exit=0 ls -l\n");
	free(steal_pointer(&got));

	/* No run, no --denied: the run list. */
	got = _log(f->db, (struct log_query){ 0 }, &r);
	assert_int_equal(r, 0);
	assert_string_equal(got, "run 1 learn profile=- exit=0 ls -l\n"
				 "run 2 enforce profile=web exit=1 curl x\n");
	free(steal_pointer(&got));

	got = _log(f->db, (struct log_query){ .run = 3 }, &r);
	assert_int_equal(r, -ENOENT);
	assert_string_equal(got, "");
}

/* JSON log: valid JSON with the right elements for each selection. */
static void test_log_json(void **state)
{
	struct fx *f = *state;
	_cleanup_free_ char *got = NULL, *want = NULL;
	int r;

	_fill_log(f);
	got = _log(f->db, (struct log_query){ .last = true, .json = true }, &r);
	assert_int_equal(r, 0);
	assert_true(_json_check(f->dir, got, 4));
	want = xasprintf("{\"run\": 2, \"id\": 3, \"at\": \"%s\", \"pid\": 42, \"syscall\": \"openat\","
			 " \"object\": \"/etc/shadow\", \"access\": \"read\", \"decision\": \"deny\","
			 " \"rule\": \"deny /etc/shadow\", \"errno\": \"EACCES\", \"count\": 1, \"last_at\": null,"
			 " \"backtrace\": null}",
			 _iso(T0));
	assert_non_null(strstr(got, want));
	assert_non_null(strstr(got, "\"object\": \"tcp 127.0.0.1:8080\", \"access\": \"connect\","
				    " \"decision\": \"deny\", \"rule\": null, \"errno\": \"EACCES\","
				    " \"count\": 1, \"last_at\": null, \"backtrace\": null}"));
	assert_non_null(strstr(got, "\"object\": \"/etc/missing.conf\", \"access\": \"read\","
				    " \"decision\": \"deny\", \"rule\": null, \"errno\": \"ENOENT\","
				    " \"count\": 1, \"last_at\": null, \"backtrace\": null}"));
	assert_non_null(strstr(got, "\"rule\": \"read /etc\", \"errno\": null, \"count\": 1,"
				    " \"last_at\": null, \"backtrace\": null}"));
	free(steal_pointer(&got));

	got = _log(f->db, (struct log_query){ .denied = true, .json = true }, &r);
	assert_int_equal(r, 0);
	assert_true(_json_check(f->dir, got, 3));
	free(steal_pointer(&got));

	got = _log(f->db, (struct log_query){ .run = 1, .json = true }, &r);
	assert_int_equal(r, 0);
	assert_true(_json_check(f->dir, got, 1));
	assert_non_null(strstr(got, "\"rule\": null, \"errno\": null, \"count\": 1, \"last_at\": null,"
				    " \"backtrace\": null}"));
	free(steal_pointer(&got));

	got = _log(f->db, (struct log_query){ .run = 1, .denied = true, .json = true }, &r);
	assert_int_equal(r, 0);
	assert_string_equal(got, "[]\n");
	assert_true(_json_check(f->dir, got, 0));
	free(steal_pointer(&got));

	got = _log(f->db, (struct log_query){ .json = true }, &r);
	assert_int_equal(r, 0);
	assert_true(_json_check(f->dir, got, 2));
	assert_non_null(strstr(got, "{\"id\": 1, \"profile\": null, \"mode\": \"learn\", \"command\":"
				    " \"ls -l\", \"cwd\": \"/home/u\", \"started_at\": \""));
	assert_non_null(strstr(got, "\"exit_status\": 1}"));
	free(steal_pointer(&got));

	got = _log(f->db, (struct log_query){ .run = 99, .json = true }, &r);
	assert_int_equal(r, -ENOENT);
	assert_string_equal(got, "");
}

/* An empty database: --last is -ENOENT, the run list is empty. */
static void test_log_empty(void **state)
{
	struct fx *f = *state;
	_cleanup_free_ char *got = NULL;
	int r;

	got = _log(f->db, (struct log_query){ .last = true }, &r);
	assert_int_equal(r, -ENOENT);
	free(steal_pointer(&got));
	got = _log(f->db, (struct log_query){ .last = true, .json = true }, &r);
	assert_int_equal(r, -ENOENT);
	free(steal_pointer(&got));
	got = _log(f->db, (struct log_query){ .json = true }, &r);
	assert_int_equal(r, 0);
	assert_string_equal(got, "[]\n");
	free(steal_pointer(&got));
	got = _log(f->db, (struct log_query){ 0 }, &r);
	assert_int_equal(r, 0);
	assert_string_equal(got, "");
}

/* _json - db_json_string(S) as a malloc'd string. */
static char *_json(const char *s)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	db_json_string(out, s);
	fclose(out);
	return buf;
}

/* db_json_string escaping, table-driven. */
static void test_json_string(void **state)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ NULL, "null" },
		{ "", "\"\"" },
		{ "plain /etc/x", "\"plain /etc/x\"" },
		{ "a\"b\\c", "\"a\\\"b\\\\c\"" },
		{ "line\nnext\ttab\r", "\"line\\u000anext\\u0009tab\\u000d\"" },
		{ "\x01\x1f\x7f", "\"\\u0001\\u001f\\u007f\"" },
		{ "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"" },
		/* stray byte, truncated pair, overlong "/", surrogate U+D800: one U+FFFD a byte */
		{ "bad\xff\xc3(\xc0\xaf\xed\xa0\x80",
		  "\"bad\\ufffd\\ufffd(\\ufffd\\ufffd\\ufffd\\ufffd\\ufffd\"" },
		{ "cut\xe2\x82", "\"cut\\ufffd\\ufffd\"" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		_cleanup_free_ char *got = _json(cases[i].in);

		assert_string_equal(got, cases[i].out);
	}
}

/* Hostile objects and commands cannot break JSON or forge text log lines. */
static void test_log_escaping(void **state)
{
	struct fx *f = *state;
	int64_t run = db_run_begin(f->db, "p\"q", MODE_AUDIT, "sh -c \"echo\n\"", "/", false);
	struct event ev = { .at_ms = T0, .pid = 5, .syscall = "openat", .access = ACC_WRITE,
			    .decision = DEC_DENY };
	_cleanup_free_ char *got = NULL;
	struct db_writer *w;
	char err[256];
	int r;

	w = db_writer_start(f->path, run, err, sizeof(err));
	assert_non_null(w);
	ev.object = "/tmp/evil\n  2023-01-01T00:00:00.000Z 1 openat read allow /fake\x1b[2J\"\\\xff";
	ev.rule = "deny /tmp/\"q\"";
	db_writer_push(w, &ev);
	assert_int_equal(db_writer_stop(w, NULL), 0);

	got = _log(f->db, (struct log_query){ .last = true, .json = true }, &r);
	assert_int_equal(r, 0);
	assert_true(_json_check(f->dir, got, 1));
	assert_non_null(strstr(got, "\"/tmp/evil\\u000a  2023-01-01T00:00:00.000Z 1 openat read allow"
				    " /fake\\u001b[2J\\\"\\\\\\ufffd\""));
	free(steal_pointer(&got));
	got = _log(f->db, (struct log_query){ .json = true }, &r);
	assert_int_equal(r, 0);
	assert_true(_json_check(f->dir, got, 1));
	assert_non_null(strstr(got, "\"command\": \"sh -c \\\"echo\\u000a\\\"\""));
	free(steal_pointer(&got));

	/* Text: one line per event, whatever the object holds. */
	got = _log(f->db, (struct log_query){ .last = true }, &r);
	assert_int_equal(r, 0);
	assert_non_null(strstr(got, "run 1 audit profile=p\"q exit=- sh -c \"echo\\x0a\"\n"));
	assert_non_null(strstr(got, " 5 openat write deny /tmp/evil\\x0a  2023-01-01T00:00:00.000Z 1"
				    " openat read allow /fake\\x1b[2J\"\\\\\xff rule \"deny /tmp/\\\"q\\\"\"\n"));
	assert_int_equal(strchr(strchr(got, '\n') + 1, '\n')[1], '\0');
	free(steal_pointer(&got));

	/* An errno column edited by hand is escaped too. */
	assert_int_equal(sqlite3_exec(f->db, "UPDATE events SET errno = 'E' || char(10) || 'X'", NULL,
				      NULL, NULL), SQLITE_OK);
	got = _log(f->db, (struct log_query){ .last = true }, &r);
	assert_int_equal(r, 0);
	assert_non_null(strstr(got, " errno=E\\x0aX\n"));
	assert_int_equal(strchr(strchr(got, '\n') + 1, '\n')[1], '\0');
}

/* db_default_path precedence: --db > $SUPERVISE_DB > $XDG_DATA_HOME > $HOME. */
static void test_default_path(void **state)
{
	char *p;

	(void)state;
	setenv("HOME", "/home/u", 1);
	setenv("XDG_DATA_HOME", "/xdg", 1);
	setenv("SUPERVISE_DB", "/env/s.db", 1);
	p = db_default_path("/opt.db");
	assert_string_equal(p, "/opt.db");
	free(p);
	p = db_default_path(NULL);
	assert_string_equal(p, "/env/s.db");
	free(p);
	setenv("SUPERVISE_DB", "", 1);		/* empty counts as unset */
	p = db_default_path(NULL);
	assert_string_equal(p, "/xdg/supervise/supervise.db");
	free(p);
	unsetenv("SUPERVISE_DB");
	setenv("XDG_DATA_HOME", "relative", 1);	/* the XDG spec says to ignore it */
	p = db_default_path(NULL);
	assert_string_equal(p, "/home/u/.local/share/supervise/supervise.db");
	free(p);
	unsetenv("XDG_DATA_HOME");
	p = db_default_path(NULL);
	assert_string_equal(p, "/home/u/.local/share/supervise/supervise.db");
	free(p);
	unsetenv("HOME");
	assert_null(db_default_path(NULL));
	p = db_default_path("rel.db");
	assert_string_equal(p, "rel.db");
	free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_open_creates_schema, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reopen_is_idempotent, setup, teardown),
		cmocka_unit_test_setup_teardown(test_newer_version_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stale_schema_by_columns, setup, teardown),
		cmocka_unit_test_setup_teardown(test_open_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_run_begin_end, setup, teardown),
		cmocka_unit_test_setup_teardown(test_writer_two_threads, setup, teardown),
		cmocka_unit_test_setup_teardown(test_writer_strings, setup, teardown),
		cmocka_unit_test_setup_teardown(test_writer_waits_for_lock, setup, teardown),
		cmocka_unit_test_setup_teardown(test_writer_trickle, setup, teardown),
		cmocka_unit_test_setup_teardown(test_writer_missing_run, setup, teardown),
		cmocka_unit_test(test_errno_name),
		cmocka_unit_test_setup_teardown(test_writer_errno, setup, teardown),
		cmocka_unit_test_setup_teardown(test_denials_view, setup, teardown),
		cmocka_unit_test_setup_teardown(test_profiles, setup, teardown),
		cmocka_unit_test_setup_teardown(test_log_text, setup, teardown),
		cmocka_unit_test_setup_teardown(test_log_json, setup, teardown),
		cmocka_unit_test_setup_teardown(test_log_empty, setup, teardown),
		cmocka_unit_test(test_json_string),
		cmocka_unit_test_setup_teardown(test_log_escaping, setup, teardown),
		cmocka_unit_test(test_default_path),
	};

	return cmocka_run_group_tests_name("db", tests, NULL, NULL);
}
