/* bench_db.c - push events through db_writer into a temporary database and report the rate.
 *
 * Usage: bench_db [N]                      (default 1,000,000 events)
 *        bench_db --trickle [N [GAP_NS]]   (default 200,000 events, GAP_NS 2000)
 * The first form pushes as fast as it can and prints "db_writer: N events in S s = R events/s".
 * The time runs from the first push to the end of db_writer_stop(), i.e. until every event is
 * committed.
 * The second form is what the supervisor does: one push per trapped call, with GAP_NS of busy
 * work (the supervised program running) after each. What matters there is not the rate but
 * the CPU the writer takes from the program, so it prints the wall time, the CPU time (user+sys)
 * of the whole process, of the pushing thread (push + busy work + stop) and the difference (the
 * writer and checkpointer threads), the time db_writer_stop() took (the flush at exit) and the
 * process's voluntary context switches (about two per writer wake-up).
 * Either way the row count is then checked. Exits 0 on success, 1 on any error (a short count
 * included).
 */
#include <limits.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "../common/util.h"
#include "../db/db.h"
#include "../db/writer.h"

#define NOBJECTS 1024
#define TRICKLE_GAP_NS 2000	/* default busy work after each push in --trickle mode */

/* _now_s - monotonic time in seconds. */
static double _now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* _cpu_s - the user+sys CPU time in seconds of WHO (RUSAGE_SELF or RUSAGE_THREAD); its
 * voluntary context switches in *NVCSW (may be NULL). */
static double _cpu_s(int who, long *nvcsw)
{
	struct rusage ru;

	getrusage(who, &ru);
	if (nvcsw)
		*nvcsw = ru.ru_nvcsw;
	return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
	       (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

/* _busy - spin for about NS nanoseconds without a system call (the vDSO clock). */
static void _busy(long ns)
{
	struct timespec t0, t;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	do
		clock_gettime(CLOCK_MONOTONIC, &t);
	while ((t.tv_sec - t0.tv_sec) * 1000000000L + (t.tv_nsec - t0.tv_nsec) < ns);
}

/* _count_events - the number of rows in events for RUN in the database at PATH, or -1. */
static int64_t _count_events(const char *path, int64_t run)
{
	char err[256];
	sqlite3 *db;
	sqlite3_stmt *st = NULL;
	int64_t n = -1;

	if (db_open(path, &db, err, sizeof(err)) < 0) {
		errx("%s", err);
		return -1;
	}
	if (sqlite3_prepare_v2(db, "SELECT count(*) FROM events WHERE run_id = ?1", -1, &st,
			       NULL) == SQLITE_OK) {
		sqlite3_bind_int64(st, 1, run);
		if (sqlite3_step(st) == SQLITE_ROW)
			n = sqlite3_column_int64(st, 0);
	}
	sqlite3_finalize(st);
	db_close(db);
	return n;
}

/* _push_all - push N synthetic events (objects from OBJECTS, one deny in 16) into W, with GAP_NS
 * of busy work after each when GAP_NS > 0. */
static void _push_all(struct db_writer *w, char **objects, uint64_t n, long gap_ns)
{
	static const enum access acc[] = { ACC_READ, ACC_STAT, ACC_WRITE, ACC_EXEC };
	int64_t t0 = now_ms();
	struct event ev = { .syscall = "openat" };
	uint64_t i;

	for (i = 0; i < n; i++) {
		ev.at_ms = t0 + (int64_t)(i / 1000);
		ev.pid = 1000 + (pid_t)(i % 7);
		ev.object = objects[i % NOBJECTS];
		ev.access = acc[i % ARRAY_SIZE(acc)];
		ev.decision = i % 16 ? DEC_ALLOW : DEC_DENY;
		ev.rule = i % 16 ? "read /usr" : NULL;
		db_writer_push(w, &ev);
		if (gap_ns > 0)
			_busy(gap_ns);
	}
}

/* The figures of one run: times in seconds. */
struct figures {
	double wall;	/* first push to the end of db_writer_stop() */
	double stop;	/* db_writer_stop() */
	double cpu;	/* user+sys of the process */
	double cput;	/* user+sys of the pushing thread */
	long nvcsw;	/* voluntary context switches of the process */
};

/* _report - print F, the figures of a run of N events, with GAP_NS of busy work after each push
 * (0: as fast as possible, the throughput report; else the --trickle report). */
static void _report(long gap_ns, uint64_t n, const struct figures *f)
{
	if (!gap_ns) {
		printf("db_writer: %llu events in %.2f s = %.0f events/s\n", (unsigned long long)n,
		       f->wall, (double)n / f->wall);
		return;
	}
	printf("db_writer trickle: %llu pushes, %ld ns busy work after each: wall %.3f s"
	       " (stop %.1f ms), CPU %.3f s (pushing thread %.3f s, writer+checkpointer %.3f s),"
	       " %ld voluntary context switches\n", (unsigned long long)n, gap_ns, f->wall,
	       f->stop * 1e3, f->cpu, f->cput, f->cpu - f->cput, f->nvcsw);
}

/* _bench - run the benchmark with N events in directory DIR, as fast as possible (GAP_NS 0) or
 * with GAP_NS of busy work after each push. Returns 0 or -1 (printed). */
static int _bench(const char *dir, uint64_t n, long gap_ns)
{
	_cleanup_free_ char *path = xasprintf("%s/bench.db", dir);
	char *objects[NOBJECTS], err[256];
	struct db_writer *w;
	uint64_t written = 0;
	long nvcsw;
	sqlite3 *db;
	struct figures f;
	int64_t run, rows;
	double t0, ts;
	int r, i;

	if (db_open(path, &db, err, sizeof(err)) < 0) {
		errx("%s", err);
		return -1;
	}
	run = db_run_begin(db, "bench", MODE_ENFORCE, "bench_db", dir, false);
	db_close(db);
	if (run < 0)
		return -1;
	for (i = 0; i < NOBJECTS; i++)
		objects[i] = xasprintf("/usr/lib/x86_64-linux-gnu/bench/lib%04d.so.1", i);
	w = db_writer_start(path, run, err, sizeof(err));
	if (!w) {
		errx("%s", err);
		r = -1;
		goto out;
	}
	f.cpu = -_cpu_s(RUSAGE_SELF, &f.nvcsw);
	f.nvcsw = -f.nvcsw;
	f.cput = -_cpu_s(RUSAGE_THREAD, NULL);
	t0 = _now_s();
	_push_all(w, objects, n, gap_ns);
	ts = _now_s();
	r = db_writer_stop(w, &written);
	f.stop = _now_s() - ts;
	f.wall = _now_s() - t0;
	f.cput += _cpu_s(RUSAGE_THREAD, NULL);
	f.cpu += _cpu_s(RUSAGE_SELF, &nvcsw);
	f.nvcsw += nvcsw;
	rows = _count_events(path, run);
	if (r < 0 || written != n || rows != (int64_t)n) {
		errx("bench: wrote %llu of %llu events, %lld rows", (unsigned long long)written,
		     (unsigned long long)n, (long long)rows);
		r = -1;
		goto out;
	}
	_report(gap_ns, n, &f);
out:
	for (i = 0; i < NOBJECTS; i++)
		free(objects[i]);
	return r;
}

/* _cleanup_dir - remove the database files in DIR and DIR itself. */
static void _cleanup_dir(const char *dir)
{
	static const char *const names[] = { "bench.db", "bench.db-wal", "bench.db-shm" };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(names); i++) {
		_cleanup_free_ char *p = xasprintf("%s/%s", dir, names[i]);

		unlink(p);
	}
	rmdir(dir);
}

/* _number - parse S, a decimal number from 1 to MAX, into *OUT. Returns 0, or -1 when it is not
 * one (the usage is printed). */
static int _number(const char *s, unsigned long long max, unsigned long long *out)
{
	char *end;

	errno = 0;
	*out = strtoull(s, &end, 10);
	if (errno || end == s || *end || *out == 0 || *out > max) {
		errx("usage: bench_db [EVENTS] | --trickle [EVENTS [GAP_NS]]");
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	const char *tmp = getenv("TMPDIR");
	_cleanup_free_ char *dir = xasprintf("%s/bench_db.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	bool trickle = argc > 1 && strcmp(argv[1], "--trickle") == 0;
	unsigned long long n = trickle ? 200000 : 1000000, gap = trickle ? TRICKLE_GAP_NS : 0;
	int r;

	if (trickle) {
		argc--;
		argv++;
	}
	if (argc > (trickle ? 3 : 2)) {
		errx("usage: bench_db [EVENTS] | --trickle [EVENTS [GAP_NS]]");
		return 1;
	}
	if ((argc > 1 && _number(argv[1], LLONG_MAX, &n) < 0) ||
	    (argc > 2 && _number(argv[2], 1000000000, &gap) < 0))
		return 1;
	if (!mkdtemp(dir)) {
		errx("mkdtemp %s: %s", dir, strerror(errno));
		return 1;
	}
	r = _bench(dir, n, (long)gap);
	_cleanup_dir(dir);
	return r < 0 ? 1 : 0;
}
