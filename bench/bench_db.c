/* bench_db.c - push events through db_writer into a temporary database and report the rate.
 *
 * Usage: bench_db [N]             (default 1,000,000 events)
 *        bench_db --trickle [N]   (default 200,000 events)
 * The first form pushes as fast as it can and prints "db_writer: N events in S s = R events/s".
 * The time runs from the first push to the end of db_writer_stop(), i.e. until every event is
 * committed.
 * The second form is what the supervisor does: one push per trapped call, with TRICKLE_GAP_NS of
 * busy work (the supervised program running) after each. What matters there is not the rate but
 * the CPU the writer takes from the program, so it prints the wall time, the CPU time (user+sys)
 * of the whole process, of the pushing thread (push + busy work + stop) and the difference (the
 * writer and checkpointer threads), and the process's voluntary context switches (about two per
 * writer wake-up).
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
#define TRICKLE_GAP_NS 2000	/* busy work after each push in --trickle mode */

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

/* _report - print the figures of a run of N events that took T s of wall time; TRICKLE selects
 * the --trickle report, with CPU and CPU0 the process's CPU time at the end and at the start,
 * CPUT the pushing thread's, and NVCSW the process's voluntary context switches in the run. */
static void _report(bool trickle, uint64_t n, double t, double cpu, double cpu0, double cput,
		    long nvcsw)
{
	if (!trickle) {
		printf("db_writer: %llu events in %.2f s = %.0f events/s\n", (unsigned long long)n,
		       t, (double)n / t);
		return;
	}
	printf("db_writer trickle: %llu pushes, %d ns busy work after each: wall %.3f s,"
	       " CPU %.3f s (pushing thread %.3f s, writer+checkpointer %.3f s),"
	       " %ld voluntary context switches\n", (unsigned long long)n, TRICKLE_GAP_NS, t,
	       cpu - cpu0, cput, cpu - cpu0 - cput, nvcsw);
}

/* _bench - run the benchmark with N events in directory DIR, as fast as possible or, when
 * TRICKLE, one at a time with TRICKLE_GAP_NS of busy work between. Returns 0 or -1 (printed). */
static int _bench(const char *dir, uint64_t n, bool trickle)
{
	_cleanup_free_ char *path = xasprintf("%s/bench.db", dir);
	char *objects[NOBJECTS], err[256];
	struct db_writer *w;
	uint64_t written = 0;
	sqlite3 *db;
	int64_t run, rows;
	double t, cpu0, cpu, cput;
	long nvcsw0, nvcsw;
	int r, i;

	if (db_open(path, &db, err, sizeof(err)) < 0) {
		errx("%s", err);
		return -1;
	}
	run = db_run_begin(db, "bench", MODE_ENFORCE, "bench_db", dir);
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
	cpu0 = _cpu_s(RUSAGE_SELF, &nvcsw0);
	cput = _cpu_s(RUSAGE_THREAD, NULL);
	t = _now_s();
	_push_all(w, objects, n, trickle ? TRICKLE_GAP_NS : 0);
	r = db_writer_stop(w, &written);
	t = _now_s() - t;
	cput = _cpu_s(RUSAGE_THREAD, NULL) - cput;
	cpu = _cpu_s(RUSAGE_SELF, &nvcsw);
	rows = _count_events(path, run);
	if (r < 0 || written != n || rows != (int64_t)n) {
		errx("bench: wrote %llu of %llu events, %lld rows", (unsigned long long)written,
		     (unsigned long long)n, (long long)rows);
		r = -1;
		goto out;
	}
	_report(trickle, n, t, cpu, cpu0, cput, nvcsw - nvcsw0);
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

int main(int argc, char **argv)
{
	const char *tmp = getenv("TMPDIR");
	_cleanup_free_ char *dir = xasprintf("%s/bench_db.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	unsigned long long n = 1000000;
	bool trickle = argc > 1 && strcmp(argv[1], "--trickle") == 0;
	char *end;
	int r;

	if (trickle) {
		argc--;
		argv++;
		n = 200000;
	}
	if (argc > 2) {
		errx("usage: bench_db [--trickle] [EVENTS]");
		return 1;
	}
	if (argc > 1) {
		errno = 0;
		n = strtoull(argv[1], &end, 10);
		if (errno || *end || n == 0 || n > LLONG_MAX) {
			errx("usage: bench_db [--trickle] [EVENTS]");
			return 1;
		}
	}
	if (!mkdtemp(dir)) {
		errx("mkdtemp %s: %s", dir, strerror(errno));
		return 1;
	}
	r = _bench(dir, n, trickle);
	_cleanup_dir(dir);
	return r < 0 ? 1 : 0;
}
