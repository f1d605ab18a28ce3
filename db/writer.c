/* writer.c - the event writer thread: batched, never-dropping inserts into events.
 *
 * Producers (the decision path) call db_writer_push(), which copies the event into the "fill"
 * batch under a mutex: an append to a growable array plus string copies into a per-batch arena of
 * reused chunks, so the steady state does no malloc at all. The thread swaps "fill" with its empty
 * "spare" batch under the same mutex, so it takes everything queued at once; then, unlocked, it
 * inserts the batch in one transaction (several of TXN_MAX events when it fell far behind) with
 * two prepared statements, one inserting INS_ROWS rows and one a single row for the rest, and
 * resets the batch for reuse. Time formatting happens in the thread.
 * How a batch gathers before the thread takes it (group commit): the top of writer_queue.c.
 * The inserts: writer_insert.c; backtraces: writer_bt.c; the counts of tallied rows:
 * writer_tally.c; checkpoints, in a second thread: writer_ckpt.c; a log that cannot be written:
 * writer_trouble.c. This file: the writer thread's loop, its start and stop.
 *
 * Throughput, bench/bench_db.c, 1M events on 2 cores: ~220k/s at first, ~1.1M/s now. What
 * mattered: no "IN (...)" CHECK on events (2x, see migrate.c), the checkpointer with TXN_MAX
 * slices (~1.3x), memory statistics off and NOMUTEX connections (~10%), no second index on events
 * (~7%), INS_ROWS rows per INSERT (~1.5x: 730k/s before).
 * The writer's CPU is not free even with a second core idle: under enforce, openbench on 2 cores
 * lost about as much wall time per event as the writer spent CPU on it (a busy loop of the same
 * length in its place did the same; with the writer pinned to the other core than the program and
 * the supervisor, nothing), as the scheduler does not keep them apart. So the cost per row counts,
 * not only the throughput.
 *
 * Why no event is dropped: the queue grows instead of blocking or discarding; SQLITE_BUSY (another
 * process holding the write lock past busy_timeout) retries the whole batch forever; other errors
 * retry a few times. When those fail too (disk full, I/O error, corruption), the writer tells the
 * run through its trouble hook (db_writer_on_trouble): under enforce the run holds the program
 * stopped while the writer retries for a bounded time (HOLD_RETRY_MS apart) and lets it go on if
 * a retry succeeds; otherwise, and at once in the other modes, the run stops the program for
 * good, so that it does not go on unlogged. From then on nothing is written: later events are
 * counted lost without a retry, and db_writer_stop() prints one line for all of it and returns
 * -EIO (a flood of one line per failed batch told the user nothing more).
 */
#include "writer_int.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../common/timing.h"
#include "../common/util.h"

/* db_wr_report_cpu - with --timings, add the calling thread's CPU time as NAME (N: rows written;
 * writer_int.h). */
void db_wr_report_cpu(const char *name, uint64_t n)
{
	struct timespec ts;

	if (timing_on() && clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) == 0)
		timing_add(name, (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6, "ms (rows)", n);
}

/* _thread - the writer thread: take a batch (see db_wr_take), write it, repeat; after stop was
 * requested, exit once the queue is empty, after a last write-back of the tallies. Returns NULL. */
static void *_thread(void *arg)
{
	struct db_writer *w = arg;
	struct timespec due;
	struct batch *b;

	pthread_setname_np(pthread_self(), "sv-dbwriter");
	db_wr_due_in(&due);
	for (;;) {
		pthread_mutex_lock(&w->lock);
		b = db_wr_take(w, &due);
		pthread_mutex_unlock(&w->lock);
		if (!b) {
			db_wr_sweep(w, true);
			db_wr_report_cpu("writer.cpu", w->written);
			return NULL;
		}
		if (b->n == 0) {	/* idle: the counts only */
			db_wr_sweep(w, false);
			continue;
		}

		db_wr_write_batch(w, b);
		db_wr_batch_reset(b);
		db_wr_sweep(w, false);

		pthread_mutex_lock(&w->lock);
		w->spare = b;
		pthread_mutex_unlock(&w->lock);
	}
}

/* _check_run - whether run RUN exists in DB: 1 if so, 0 if not (the reason in ERR), -1 on a
 * database error (the reason in ERR). */
static int _check_run(sqlite3 *db, int64_t run, const char *dbpath, char *err, size_t errlen)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(db, "SELECT 1 FROM runs WHERE id = ?1", -1, &st, NULL);

	if (rc == SQLITE_OK) {
		sqlite3_bind_int64(st, 1, run);
		rc = sqlite3_step(st);
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		snprintf(err, errlen, "%s: run %lld does not exist", dbpath, (long long)run);
	else
		snprintf(err, errlen, "%s: %s", dbpath, sqlite3_errmsg(db));
	return rc == SQLITE_DONE ? 0 : -1;
}

/* _prepare - open W's two connections to DBPATH, check that run W->run exists, prepare the
 * statements and install the WAL hook. Returns 0, or -1 with the reason in ERR. */
static int _prepare(struct db_writer *w, const char *dbpath, char *err, size_t errlen)
{
	char sql[INS_ROWS * 80 + 160];	/* ", ?NNNN" per parameter */
	int rc;

	w->path = xstrdup(dbpath);
	if (db_open_flags(dbpath, SQLITE_OPEN_NOMUTEX, &w->db, err, errlen) < 0 ||
	    db_open_flags(dbpath, SQLITE_OPEN_NOMUTEX, &w->ckdb, err, errlen) < 0 ||
	    _check_run(w->db, w->run, dbpath, err, errlen) <= 0)
		return -1;
	/* A page cache bigger than one TXN_MAX transaction (~5 MiB) keeps it from spilling pages to
	 * the WAL and reading them back (about 10% on 1M events). */
	sqlite3_exec(w->db, "PRAGMA cache_size = -16384", NULL, NULL, NULL);
	db_wr_insert_sql(sql, sizeof(sql), 1);
	rc = sqlite3_prepare_v3(w->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &w->ins, NULL);
	if (rc == SQLITE_OK) {
		db_wr_insert_sql(sql, sizeof(sql), INS_ROWS);
		rc = sqlite3_prepare_v3(w->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &w->insn, NULL);
	}
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v3(w->db, "UPDATE runs SET events = events + ?1 WHERE id = ?2",
					-1, SQLITE_PREPARE_PERSISTENT, &w->count, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v3(w->db, "BEGIN IMMEDIATE", -1, SQLITE_PREPARE_PERSISTENT,
					&w->begin, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v3(w->db, "COMMIT", -1, SQLITE_PREPARE_PERSISTENT, &w->commit,
					NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v3(w->db, "ROLLBACK", -1, SQLITE_PREPARE_PERSISTENT,
					&w->rollback, NULL);
	if (rc != SQLITE_OK) {
		snprintf(err, errlen, "%s: %s", dbpath, sqlite3_errmsg(w->db));
		return -1;
	}
	sqlite3_bind_int64(w->ins, 1, w->run);
	sqlite3_bind_int64(w->insn, 1, w->run);
	sqlite3_bind_int64(w->count, 2, w->run);
	sqlite3_wal_hook(w->db, db_wr_wal_hook, w);	/* replaces the automatic checkpoint */
	return 0;
}

/* _writer_free - release everything W owns (no thread may be running). Closing the last
 * connection checkpoints the rest of the WAL into the database file. */
static void _writer_free(struct db_writer *w)
{
	sqlite3_finalize(w->ins);
	sqlite3_finalize(w->insn);
	sqlite3_finalize(w->count);
	sqlite3_finalize(w->begin);
	sqlite3_finalize(w->commit);
	sqlite3_finalize(w->rollback);
	sqlite3_finalize(w->bt_find);
	sqlite3_finalize(w->bt_add);
	sqlite3_finalize(w->upd);
	free(w->tallied);
	free(w->path);
	db_close(w->ckdb);
	db_close(w->db);
	db_wr_batch_free(w->fill);
	db_wr_batch_free(w->spare);
	pthread_cond_destroy(&w->ckcond);
	pthread_cond_destroy(&w->cond);
	pthread_mutex_destroy(&w->lock);
	free(w);
}

/* db_writer_start - see writer.h. Fails also when run RUN does not exist. */
struct db_writer *db_writer_start(const char *dbpath, int64_t run, char *err, size_t errlen)
{
	struct db_writer *w = xcalloc(1, sizeof(*w));
	pthread_condattr_t attr;
	int r;

	pthread_mutex_init(&w->lock, NULL);
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);	/* db_wr_due_in()'s clock */
	pthread_cond_init(&w->cond, &attr);
	pthread_condattr_destroy(&attr);
	pthread_cond_init(&w->ckcond, NULL);
	w->fill = db_wr_batch_new();
	w->spare = db_wr_batch_new();
	w->run = run;
	w->tsec = INT64_MIN;
	if (_prepare(w, dbpath, err, errlen) < 0)
		goto fail;
	r = pthread_create(&w->ckthread, NULL, db_wr_ckpt_thread, w);
	if (r == 0) {
		w->ckstarted = true;
		r = pthread_create(&w->thread, NULL, _thread, w);
	}
	if (r != 0) {
		snprintf(err, errlen, "starting the event writer: %s", strerror(r));
		goto fail;
	}
	return w;
fail:
	db_wr_ckpt_stop(w);
	_writer_free(w);
	return NULL;
}

/* db_writer_stop - see writer.h. The writer thread drains the queue and writes the tallies
 * back first; then the checkpointer stops. */
int db_writer_stop(struct db_writer *w, uint64_t *written)
{
	bool lost;

	pthread_mutex_lock(&w->lock);
	w->stopping = true;
	w->wait = W_BUSY;
	pthread_cond_signal(&w->cond);	/* idle or gathering: it takes what is queued at once */
	pthread_mutex_unlock(&w->lock);
	pthread_join(w->thread, NULL);
	db_wr_ckpt_stop(w);
	if (written)
		*written = w->written;
	lost = w->lost;
	if (lost)
		errx("event log: %s: %s: %llu events kept, %llu lost%s", w->path, w->why,
		     (unsigned long long)w->written, (unsigned long long)w->nlost,
		     !w->stopped ? "" : w->hold_ms ? "; the command was held, then killed" :
		     "; the command was killed");
	_writer_free(w);
	return lost ? -EIO : 0;
}
