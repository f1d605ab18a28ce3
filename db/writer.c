/* writer.c - the event writer thread: batched, never-dropping inserts into events.
 *
 * Producers (the decision path) call db_writer_push(), which copies the event into the "fill"
 * batch under a mutex: an append to a growable array plus string copies into a per-batch arena of
 * reused chunks, so the steady state does no malloc at all. The thread swaps "fill" with its empty
 * "spare" batch under the same mutex, so it takes everything queued at once; then, unlocked, it
 * inserts the batch in one transaction (several of TXN_MAX events when it fell far behind) with
 * two prepared statements, one inserting INS_ROWS rows and one a single row for the rest, and
 * resets the batch for reuse. Time formatting happens in the thread.
 *
 * Group commit. The decision path pushes one event per trapped call, a few microseconds apart.
 * Waking the thread for each (a cross-CPU futex wake) and committing what little had arrived made
 * batches of a few events, and the thread spent 82-86% of its time in BEGIN/COMMIT, all of it CPU
 * taken from the supervised program. So a push wakes the thread only when it sleeps with nothing
 * queued (W_IDLE), or when it is gathering (W_GATHER) and GROUP_MAX events are queued; once awake,
 * the thread lets a batch gather for GROUP_WAIT_MS (counted from the previous take when the queue
 * was not empty after a write) before it takes it. db_writer_stop() wakes it at once, and a
 * stopping thread takes whatever is queued without waiting, so exit adds no delay.
 * The statements of the transaction itself (BEGIN IMMEDIATE, COMMIT, ROLLBACK) are prepared once.
 * bench_db --trickle on 2 cores, CPU of the writer and checkpointer threads, before -> after:
 * 200k pushes 2 us apart 0.51 -> 0.29 s (what is left is the inserts themselves: ~1.4 us each,
 * as in the throughput figure below); 50k pushes 10 us apart 0.58 -> 0.09 s; 50k pushes 50 us
 * apart 1.5-2.1 -> 0.13 s. Wake-ups fell ~10x, and the checkpointer's fdatasyncs 461 -> 50 (the
 * WAL no longer fills with small transactions that each rewrite the same pages).
 *
 * Checkpoints (copying the WAL back into the database file) cost the writer about a third of its
 * time, so they run in a second thread on a second connection: the writer's WAL hook wakes it
 * when the WAL passes CKPT_PAGES, and it runs a PASSIVE checkpoint, which never blocks the writer.
 * bench/bench_db.c, 1M events on 2 cores: ~220k/s at first, ~1.1M/s now. What mattered: no
 * "IN (...)" CHECK on events (2x, see db.c), this checkpointer with TXN_MAX slices (~1.3x), memory
 * statistics off and NOMUTEX connections (~10%), no second index on events (~7%), INS_ROWS rows per
 * INSERT (~1.5x: 730k/s before).
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
#include "writer.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../common/timing.h"
#include "../common/util.h"
#include "db.h"

#define CHUNK_SIZE (64 * 1024)	/* arena chunk; longer strings get a chunk of their own */
#define BATCH_INITIAL 1024	/* events a new batch has room for */
#define BATCH_TRIM (256 * 1024)	/* a batch that grew beyond this is shrunk after writing */
#define RETRIES 3		/* attempts for errors other than SQLITE_BUSY/LOCKED */
/* A batch larger than this (the writer fell behind) is committed in several transactions: that
 * bounds the WAL, lets the checkpointer work meanwhile, and never holds the write lock long. */
#define TXN_MAX 32768
#define CKPT_PAGES 1000		/* WAL size that wakes the checkpointer (SQLite's autocheckpoint) */
/* WAL size at which the writer checkpoints itself. Under steady load the checkpointer is always
 * a little behind when the writer starts its next transaction, and SQLite only rewinds the WAL
 * when that transaction starts with everything copied back; so the writer copies the last few
 * frames itself now and then, which keeps the WAL bounded. */
#define WAL_RESTART_PAGES 8000
/* Backtrace ids the writer remembers (direct-mapped by hash): a run repeats the same few stacks,
 * so most events with a backtrace cost no lookup in the backtraces table. */
#define BT_CACHE 256
#define GROUP_WAIT_MS 10	/* how long a batch gathers before the thread takes it */
#define GROUP_MAX 4096		/* ... unless this many events are queued (or stop is asked) */
/* Events per INSERT statement: a batch is inserted INS_ROWS rows at a time (the rest one by one),
 * which spares a statement run per row (step and reset, opening the table and index cursors). */
#define INS_ROWS 32
#define EV_COLS 10		/* parameters per row after ?1 (run_id): at .. backtrace_id, ppid */
/* How often the counts of tallied rows (struct event_tally) are written back while the run goes
 * on; at stop they are written in any case. */
#define SWEEP_MS 1000
#define HOLD_RETRY_MS 100	/* between the retries of a held write (db_writer_on_trouble) */

/* What the writer thread is waiting for on cond (under lock), i.e. whether a push must wake it. */
enum wait_state {
	W_BUSY,		/* not waiting: it looks at the queue before waiting again */
	W_IDLE,		/* waiting for a first event: any push wakes it */
	W_GATHER,	/* letting a batch gather: only GROUP_MAX queued events wake it */
};

/* One arena chunk: strings are bump-allocated from data. */
struct chunk {
	struct chunk *next;
	size_t used, size;
	char data[];
};

/* A queued event: EV with the strings pointing into the batch's arena. */
struct qevent {
	int64_t at_ms;
	const char *syscall, *object, *rule;
	pid_t pid;
	enum access access;
	enum decision decision;
	int error;	/* 0, or the errno the call was failed with */
	const char *backtrace;	/* frames, or NULL */
	struct event_tally *tally;	/* the row's running count, or NULL */
	pid_t ppid;		/* 0: NULL */
};

struct batch {
	struct qevent *ev;
	size_t n, cap;
	struct chunk *head, *cur;	/* chunks from head are reused; cur receives strings */
};

struct db_writer {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	struct batch *fill;	/* producers append here (under lock) */
	struct batch *spare;	/* empty; the thread swaps it in (under lock) */
	bool stopping;
	enum wait_state wait;	/* (under lock) */
	pthread_t thread;

	/* The checkpointer: its own connection, woken through ckcond (under lock). */
	pthread_cond_t ckcond;
	bool ckpending, ckstopping, ckstarted;
	pthread_t ckthread;
	sqlite3 *ckdb;

	/* Owned by the thread once started. */
	sqlite3 *db;
	sqlite3_stmt *ins, *insn, *count;	/* insert one row, INS_ROWS rows; count them */
	sqlite3_stmt *begin, *commit, *rollback;	/* prepared once: parsing them cost more
							 * than the inserts of a small batch */
	int64_t run;
	uint64_t written;
	bool lost;		/* nothing more is written: see the top of this file */
	uint64_t nlost;		/* events not written */
	char why[128];		/* SQLite's reason for the failure that set lost */
	char *path;		/* the database, for the message */
	bool (*trouble)(void *ctx, enum db_writer_trouble what);	/* set before the first push */
	void *trouble_ctx;
	unsigned hold_ms;
	int64_t held_since;	/* CLOCK_MONOTONIC ms when the program was held, 0 when not */
	bool stopped;		/* the hook stopped a running program for the failure */
	int64_t tsec;		/* the second that tbuf holds, INT64_MIN for none */
	char tbuf[32];		/* ISO time of tsec; the milliseconds are patched in */
	/* Per row of an insert: its time, and "E<number>" for an errno without a name
	 * (db_errno_name()); bound SQLITE_STATIC, so they stay put until the step. */
	char at[INS_ROWS][32];
	char ebuf[INS_ROWS][16];
	sqlite3_stmt *bt_find, *bt_add;	/* prepared on the first backtrace */
	/* Tallied rows inserted so far (their counts are written back by _sweep), the statement
	 * that does it (prepared on the first), and when it last ran (CLOCK_MONOTONIC ms). */
	struct event_tally **tallied;
	size_t ntallied, captallied;
	sqlite3_stmt *upd;
	int64_t swept_ms;
	struct {
		uint64_t hash;
		int64_t id;	/* 0: empty */
	} btc[BT_CACHE];
};

/* _chunk_new - a chunk with room for at least NEED bytes. Dies on OOM. */
static struct chunk *_chunk_new(size_t need)
{
	size_t size = need > CHUNK_SIZE ? need : CHUNK_SIZE;
	struct chunk *c = xmalloc(sizeof(*c) + size);

	c->next = NULL;
	c->used = 0;
	c->size = size;
	return c;
}

/* _batch_new - an empty batch with one chunk. Dies on OOM. */
static struct batch *_batch_new(void)
{
	struct batch *b = xcalloc(1, sizeof(*b));

	b->cap = BATCH_INITIAL;
	b->ev = xmalloc(b->cap * sizeof(*b->ev));
	b->head = b->cur = _chunk_new(0);
	return b;
}

/* _batch_free - free B and all its chunks (NULL is fine). */
static void _batch_free(struct batch *b)
{
	struct chunk *c, *next;

	if (!b)
		return;
	for (c = b->head; c; c = next) {
		next = c->next;
		free(c);
	}
	free(b->ev);
	free(b);
}

/* _batch_reset - empty B for reuse, keeping its memory unless it grew past BATCH_TRIM events,
 * in which case the array shrinks back and all chunks but the first are freed. */
static void _batch_reset(struct batch *b)
{
	struct chunk *c, *next;

	if (b->cap > BATCH_TRIM) {
		for (c = b->head->next; c; c = next) {
			next = c->next;
			free(c);
		}
		b->head->next = NULL;
		b->cap = BATCH_INITIAL;
		free(b->ev);
		b->ev = xmalloc(b->cap * sizeof(*b->ev));
	}
	for (c = b->head; c; c = c->next)
		c->used = 0;
	b->cur = b->head;
	b->n = 0;
}

/* _arena_dup - copy S into B's arena and return the copy (NULL for NULL). Moves on to the next
 * chunk, reusing it when it is big enough, else inserting a new one. Dies on OOM. */
static const char *_arena_dup(struct batch *b, const char *s)
{
	size_t len;
	char *p;

	if (!s)
		return NULL;
	len = strlen(s) + 1;
	while (b->cur->size - b->cur->used < len) {
		struct chunk *next = b->cur->next;

		if (!next || next->size < len) {
			struct chunk *c = _chunk_new(len);

			c->next = next;
			b->cur->next = c;
			next = c;
		}
		b->cur = next;
		b->cur->used = 0;
	}
	p = b->cur->data + b->cur->used;
	memcpy(p, s, len);
	b->cur->used += len;
	return p;
}

/* db_writer_push - see writer.h. O(1) amortised: the array doubles when full. Wakes the thread
 * only when it waits for a first event, or gathers and the batch reached GROUP_MAX (see the top
 * of this file); it clears W->wait so that one wake-up is signalled per wait. Dies on OOM. */
void db_writer_push(struct db_writer *w, const struct event *ev)
{
	struct batch *b;
	struct qevent *q;

	pthread_mutex_lock(&w->lock);
	b = w->fill;
	if (b->n == b->cap) {
		b->cap *= 2;
		b->ev = xrealloc(b->ev, b->cap * sizeof(*b->ev));
	}
	q = &b->ev[b->n++];
	q->at_ms = ev->at_ms;
	q->pid = ev->pid;
	q->access = ev->access;
	q->decision = ev->decision;
	q->error = ev->error;
	q->syscall = _arena_dup(b, ev->syscall);
	q->object = _arena_dup(b, ev->object);
	q->rule = _arena_dup(b, ev->rule);
	q->backtrace = _arena_dup(b, ev->backtrace);
	q->tally = ev->tally;
	q->ppid = ev->ppid;
	if (w->wait == W_IDLE || (w->wait == W_GATHER && b->n >= GROUP_MAX)) {
		w->wait = W_BUSY;
		pthread_cond_signal(&w->cond);
	}
	pthread_mutex_unlock(&w->lock);
}

/* _iso - the ISO 8601 time of MS, formatted through a one-second cache: events arrive in bursts
 * and gmtime_r takes a lock. Returns W->tbuf (valid until the next call). */
static const char *_iso(struct db_writer *w, int64_t ms)
{
	int64_t sec = ms / 1000, frac = ms % 1000;
	size_t len;

	if (frac < 0) {
		frac += 1000;
		sec--;
	}
	if (sec != w->tsec) {
		util_iso8601(sec * 1000, w->tbuf, sizeof(w->tbuf));
		w->tsec = sec;
	}
	len = strlen(w->tbuf);	/* "...SS.mmmZ": patch mmm */
	w->tbuf[len - 4] = (char)('0' + frac / 100);
	w->tbuf[len - 3] = (char)('0' + frac / 10 % 10);
	w->tbuf[len - 2] = (char)('0' + frac % 10);
	return w->tbuf;
}

/* _fnv1a - the 64-bit FNV-1a hash of S. */
static uint64_t _fnv1a(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
	return h;
}

/* _bt_step - run ST (a backtraces statement, parameters bound) and return column 0 of its row,
 * 0 when it has none, or -1 on an error. Resets ST. */
static int64_t _bt_step(sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);
	int64_t id = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : rc == SQLITE_DONE ? 0 : -1;

	sqlite3_reset(st);
	return id;
}

/* _backtrace_id - the id of FRAMES in backtraces, inserting it if new (inside the caller's
 * transaction). Returns the id, or -1 with the SQLite error in W->db. */
static int64_t _backtrace_id(struct db_writer *w, const char *frames)
{
	uint64_t h = _fnv1a(frames);
	unsigned slot = (unsigned)(h % BT_CACHE);
	char hex[17];
	int64_t id;

	if (w->btc[slot].id && w->btc[slot].hash == h)
		return w->btc[slot].id;
	if (!w->bt_find &&
	    (sqlite3_prepare_v3(w->db, "SELECT id FROM backtraces WHERE hash = ?1", -1,
				SQLITE_PREPARE_PERSISTENT, &w->bt_find, NULL) != SQLITE_OK ||
	     sqlite3_prepare_v3(w->db, "INSERT INTO backtraces (hash, frames) VALUES (?1, ?2) RETURNING id",
				-1, SQLITE_PREPARE_PERSISTENT, &w->bt_add, NULL) != SQLITE_OK))
		return -1;
	snprintf(hex, sizeof(hex), "%016llx", (unsigned long long)h);
	sqlite3_bind_text(w->bt_find, 1, hex, -1, SQLITE_TRANSIENT);
	id = _bt_step(w->bt_find);
	if (id == 0) {
		sqlite3_bind_text(w->bt_add, 1, hex, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(w->bt_add, 2, frames, -1, SQLITE_STATIC);
		id = _bt_step(w->bt_add);
	}
	if (id > 0) {
		w->btc[slot].hash = h;
		w->btc[slot].id = id;
	}
	return id > 0 ? id : -1;
}

/* _bind_row - bind event Q as row ROW of insert statement ST: the EV_COLS parameters from
 * 2 + ROW * EV_COLS on (run_id, ?1, stays bound). Strings are bound SQLITE_STATIC: they live in
 * the batch, are static, or are W->at[ROW] and W->ebuf[ROW], which are rewritten only for the next
 * statement. Every parameter is bound on every call (bindings outlive sqlite3_reset()).
 * Returns SQLITE_OK or the error of the backtrace lookup. */
static int _bind_row(struct db_writer *w, sqlite3_stmt *st, int row, const struct qevent *q)
{
	int base = 2 + row * EV_COLS;

	memcpy(w->at[row], _iso(w, q->at_ms), sizeof(w->at[row]));
	sqlite3_bind_text(st, base, w->at[row], -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, base + 1, q->pid);
	sqlite3_bind_text(st, base + 2, q->syscall, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, base + 3, q->object, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, base + 4, access_name(q->access), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, base + 5, decision_name(q->decision), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, base + 6, q->rule, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, base + 7, db_errno_name(q->error, w->ebuf[row], sizeof(w->ebuf[row])),
			  -1, SQLITE_STATIC);
	if (q->backtrace) {
		int64_t bt = _backtrace_id(w, q->backtrace);

		if (bt < 0)
			return sqlite3_errcode(w->db);
		sqlite3_bind_int64(st, base + 8, bt);
	} else {
		sqlite3_bind_null(st, base + 8);
	}
	if (q->ppid > 0)
		sqlite3_bind_int64(st, base + 9, q->ppid);
	else
		sqlite3_bind_null(st, base + 9);
	return SQLITE_OK;
}

/* _insert - insert the N events at Q with ST: W->ins for one, W->insn for INS_ROWS.
 * Returns SQLITE_OK or the error code. */
static int _insert(struct db_writer *w, sqlite3_stmt *st, const struct qevent *q, int n)
{
	int rc = SQLITE_OK;

	for (int row = 0; row < n && rc == SQLITE_OK; row++)
		rc = _bind_row(w, st, row, &q[row]);
	if (rc != SQLITE_OK)
		return rc;
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return rc;
	/* The rows of one INSERT get consecutive rowids, each one past the largest (SQLite's rowid
	 * rule while that stays below 2^63), the last one reported by last_insert_rowid. A retried
	 * transaction inserts again and overwrites these. */
	for (int row = 0; row < n; row++)
		if (q[row].tally)
			q[row].tally->rowid = sqlite3_last_insert_rowid(w->db) - (n - 1 - row);
	return SQLITE_OK;
}

/* _step - run the prepared statement ST, which returns no rows, and reset it for reuse.
 * Returns SQLITE_OK or the error code. */
static int _step(sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* _rollback - roll back W's open transaction, if any. */
static void _rollback(struct db_writer *w)
{
	if (!sqlite3_get_autocommit(w->db))
		_step(w->rollback);
	memset(w->btc, 0, sizeof(w->btc));	/* ids the rolled-back transaction inserted */
}

/* _try_batch - insert events FROM..TO of B and add their number to runs.events, in one
 * IMMEDIATE transaction (the write lock is taken up front, so no later statement meets BUSY).
 * Returns SQLITE_OK, or the failing result code with the transaction still open (if any). */
static int _try_batch(struct db_writer *w, const struct batch *b, size_t from, size_t to)
{
	int rc = _step(w->begin);
	size_t i;

	for (i = from; rc == SQLITE_OK && to - i >= INS_ROWS; i += INS_ROWS)
		rc = _insert(w, w->insn, &b->ev[i], INS_ROWS);
	for (; rc == SQLITE_OK && i < to; i++)
		rc = _insert(w, w->ins, &b->ev[i], 1);
	if (rc == SQLITE_OK) {
		sqlite3_bind_int64(w->count, 1, (int64_t)(to - from));
		rc = _step(w->count);
	}
	if (rc == SQLITE_OK)
		rc = _step(w->commit);
	return rc;
}

/* _remember_tallied - after events FROM..TO of B were committed: keep those with a tally, whose
 * counts _sweep writes back. Dies on OOM. */
static void _remember_tallied(struct db_writer *w, const struct batch *b, size_t from, size_t to)
{
	for (size_t i = from; i < to; i++) {
		struct event_tally *t = b->ev[i].tally;

		if (!t)
			continue;
		if (w->ntallied == w->captallied) {
			w->captallied = w->captallied ? w->captallied * 2 : 256;
			w->tallied = xrealloc(w->tallied, w->captallied * sizeof(*w->tallied));
		}
		t->written = 1;
		w->tallied[w->ntallied++] = t;
	}
}

/* _mono_ms - CLOCK_MONOTONIC in milliseconds. */
static int64_t _mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* _trouble - a write of W failed with RC (an error other than busy) after its retries. While the
 * run holds the program (W->hold_ms, see db_writer_on_trouble), wait HOLD_RETRY_MS and return
 * true: try again. Otherwise the log is lost from here on: W->lost, the reason, the hook told;
 * returns false. */
static bool _trouble(struct db_writer *w, int rc)
{
	const struct timespec pause = { .tv_nsec = HOLD_RETRY_MS * 1000 * 1000 };
	int64_t now = _mono_ms();

	if (w->trouble && w->hold_ms && !w->held_since) {
		w->held_since = now > 0 ? now : 1;
		w->trouble(w->trouble_ctx, DB_WRITER_HOLD);
	}
	if (w->held_since && now - w->held_since < (int64_t)w->hold_ms) {
		nanosleep(&pause, NULL);
		return true;
	}
	snprintf(w->why, sizeof(w->why), "%s", sqlite3_errstr(rc));
	w->lost = true;
	w->held_since = 0;
	if (w->trouble)
		w->stopped = w->trouble(w->trouble_ctx, DB_WRITER_FAILED);
	return false;
}

/* _untrouble - a write of W succeeded: if the program was held for an earlier failure, let it
 * go on. */
static void _untrouble(struct db_writer *w)
{
	if (!w->held_since)
		return;
	w->held_since = 0;
	w->trouble(w->trouble_ctx, DB_WRITER_RESUME);
}

/* _sweep_once - one transaction writing count and last_at into every tallied row whose count
 * grew since it was last written. Returns SQLITE_OK or the error (then rolled back, and every row
 * marked for the next sweep). */
static int _sweep_once(struct db_writer *w)
{
	int rc = SQLITE_OK;

	if (!w->upd)
		rc = sqlite3_prepare_v3(w->db, "UPDATE events SET count = ?1, last_at = ?2 WHERE id = ?3",
					-1, SQLITE_PREPARE_PERSISTENT, &w->upd, NULL);
	if (rc == SQLITE_OK)
		rc = _step(w->begin);
	for (size_t i = 0; i < w->ntallied && rc == SQLITE_OK; i++) {
		struct event_tally *t = w->tallied[i];
		uint64_t c = atomic_load_explicit(&t->count, memory_order_relaxed);

		if (c == t->written)
			continue;
		sqlite3_bind_int64(w->upd, 1, (int64_t)c);
		sqlite3_bind_text(w->upd, 2, _iso(w, atomic_load_explicit(&t->last_ms,
								memory_order_relaxed)), -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(w->upd, 3, t->rowid);
		rc = _step(w->upd);
		t->written = c;
	}
	if (rc == SQLITE_OK)
		rc = _step(w->commit);
	if (rc != SQLITE_OK) {
		_rollback(w);
		for (size_t i = 0; i < w->ntallied; i++)
			w->tallied[i]->written = 0;
	}
	return rc;
}

/* _sweep - write the tallies back (_sweep_once) when SWEEP_MS passed since the last time, or
 * always with FINAL; a busy database is retried like a batch, other errors a few times and then
 * as _trouble says, after which the counts stay as they are (W->lost). */
static void _sweep(struct db_writer *w, bool final)
{
	const struct timespec backoff = { .tv_nsec = 10 * 1000 * 1000 };
	int64_t now = _mono_ms();
	int attempt = 0, rc;

	if (w->lost || !w->ntallied || (!final && now - w->swept_ms < SWEEP_MS))
		return;
	w->swept_ms = now;
	while ((rc = _sweep_once(w)) != SQLITE_OK) {
		if ((rc & 0xff) != SQLITE_BUSY && (rc & 0xff) != SQLITE_LOCKED &&
		    ++attempt >= RETRIES && !_trouble(w, rc))
			return;
		nanosleep(&backoff, NULL);
	}
	_untrouble(w);
	if (final && timing_on())
		timing_add("teardown.counts", (double)(_mono_ms() - now), "ms (rows counted)", w->ntallied);
}

/* _write_slice - commit events FROM..TO of B, retrying as described at the top of this file.
 * Returns 0, or -EIO when they were lost (counted in W->nlost; W->lost set, if it was not). */
static int _write_slice(struct db_writer *w, const struct batch *b, size_t from, size_t to)
{
	const struct timespec backoff = { .tv_nsec = 10 * 1000 * 1000 };
	int attempt = 0, rc;

	while (!w->lost) {
		rc = _try_batch(w, b, from, to);
		if (rc == SQLITE_OK) {
			w->written += to - from;
			_remember_tallied(w, b, from, to);
			_untrouble(w);
			return 0;
		}
		if ((rc & 0xff) != SQLITE_BUSY && (rc & 0xff) != SQLITE_LOCKED &&
		    ++attempt >= RETRIES && !_trouble(w, rc))
			break;
		_rollback(w);
		nanosleep(&backoff, NULL);
	}
	_rollback(w);
	w->nlost += to - from;
	return -EIO;
}

/* _write_batch - commit B in transactions of at most TXN_MAX events (see TXN_MAX). */
static void _write_batch(struct db_writer *w, const struct batch *b)
{
	size_t from, to;

	for (from = 0; from < b->n; from = to) {
		to = b->n - from > TXN_MAX ? from + TXN_MAX : b->n;
		_write_slice(w, b, from, to);
	}
}

/* _due_in - set *TS to GROUP_WAIT_MS from now on CLOCK_MONOTONIC (the clock of cond). */
static void _due_in(struct timespec *ts)
{
	clock_gettime(CLOCK_MONOTONIC, ts);
	ts->tv_nsec += GROUP_WAIT_MS * 1000L * 1000L;
	if (ts->tv_nsec >= 1000L * 1000L * 1000L) {
		ts->tv_sec++;
		ts->tv_nsec -= 1000L * 1000L * 1000L;
	}
}

/* _take - wait for a batch worth a transaction and take it (W->lock held): wait for a first event,
 * then let the batch gather until *DUE (set here to now + GROUP_WAIT_MS when the thread had to wait
 * for that event), GROUP_MAX events, or stop. Sets *DUE for the next batch, whose events all come
 * after this take. Returns the batch, or NULL when stopping with nothing queued. While tallied rows
 * exist, an idle wait ends after SWEEP_MS with W->spare (empty, not taken), so that the caller
 * writes the counts back. */
static struct batch *_take(struct db_writer *w, struct timespec *due)
{
	struct batch *b;
	bool idled = false;

	while (w->fill->n == 0 && !w->stopping) {
		w->wait = W_IDLE;
		if (!w->ntallied) {
			pthread_cond_wait(&w->cond, &w->lock);
		} else {	/* counts go on growing without a push: wake to write them back */
			struct timespec tick;

			clock_gettime(CLOCK_MONOTONIC, &tick);
			tick.tv_sec += SWEEP_MS / 1000;
			if (pthread_cond_timedwait(&w->cond, &w->lock, &tick) == ETIMEDOUT &&
			    w->fill->n == 0) {
				w->wait = W_BUSY;
				return w->spare;	/* nothing queued: an empty batch, for a sweep */
			}
		}
		idled = true;
	}
	if (w->fill->n == 0) {	/* stopping, and nothing left */
		w->wait = W_BUSY;
		return NULL;
	}
	if (idled)
		_due_in(due);
	while (!w->stopping && w->fill->n < GROUP_MAX) {
		w->wait = W_GATHER;
		if (pthread_cond_timedwait(&w->cond, &w->lock, due) == ETIMEDOUT)
			break;
	}
	w->wait = W_BUSY;
	b = w->fill;
	w->fill = w->spare;
	w->spare = NULL;
	_due_in(due);
	return b;
}

/* _report_cpu - with --timings, add the calling thread's CPU time as NAME (N: rows written). */
static void _report_cpu(const char *name, uint64_t n)
{
	struct timespec ts;

	if (timing_on() && clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) == 0)
		timing_add(name, (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6, "ms (rows)", n);
}

/* _thread - the writer thread: take a batch (see _take), write it, repeat; after stop was
 * requested, exit once the queue is empty, after a last write-back of the tallies. Returns NULL. */
static void *_thread(void *arg)
{
	struct db_writer *w = arg;
	struct timespec due;
	struct batch *b;

	pthread_setname_np(pthread_self(), "sv-dbwriter");
	_due_in(&due);
	for (;;) {
		pthread_mutex_lock(&w->lock);
		b = _take(w, &due);
		pthread_mutex_unlock(&w->lock);
		if (!b) {
			_sweep(w, true);
			_report_cpu("writer.cpu", w->written);
			return NULL;
		}
		if (b->n == 0) {	/* idle: the counts only */
			_sweep(w, false);
			continue;
		}

		_write_batch(w, b);
		_batch_reset(b);
		_sweep(w, false);

		pthread_mutex_lock(&w->lock);
		w->spare = b;
		pthread_mutex_unlock(&w->lock);
	}
}

/* _wal_hook - SQLite's WAL hook on the writer's connection DB, called after each commit with the
 * size in PAGES of the WAL of database NAME: wake the checkpointer when it is large enough, or
 * checkpoint here past WAL_RESTART_PAGES. A PASSIVE checkpoint meeting the checkpointer's returns
 * SQLITE_BUSY at once; the next commit tries again. Returns SQLITE_OK. */
static int _wal_hook(void *arg, sqlite3 *db, const char *name, int pages)
{
	struct db_writer *w = arg;

	if (pages >= WAL_RESTART_PAGES) {
		sqlite3_wal_checkpoint_v2(db, name, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
	} else if (pages >= CKPT_PAGES) {
		pthread_mutex_lock(&w->lock);
		w->ckpending = true;
		pthread_cond_signal(&w->ckcond);
		pthread_mutex_unlock(&w->lock);
	}
	return SQLITE_OK;
}

/* _ckpt_thread - the checkpointer: run a PASSIVE checkpoint each time it is woken, until stop.
 * A failure (e.g. SQLITE_BUSY because another process is checkpointing) only means the WAL
 * stays longer; the next wake-up retries. Returns NULL. */
static void *_ckpt_thread(void *arg)
{
	struct db_writer *w = arg;

	pthread_setname_np(pthread_self(), "sv-checkpoint");
	for (;;) {
		pthread_mutex_lock(&w->lock);
		while (!w->ckpending && !w->ckstopping)
			pthread_cond_wait(&w->ckcond, &w->lock);
		if (!w->ckpending) {
			pthread_mutex_unlock(&w->lock);
			_report_cpu("checkpointer.cpu", 0);
			return NULL;
		}
		w->ckpending = false;
		pthread_mutex_unlock(&w->lock);
		sqlite3_wal_checkpoint_v2(w->ckdb, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
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

/* _insert_sql - the INSERT of N events into SQL (SIZE bytes): N rows of parameters, each with
 * ?1 (run_id) and EV_COLS of its own (see _bind_row()). */
static void _insert_sql(char *sql, size_t size, int n)
{
	size_t len = (size_t)snprintf(sql, size, "INSERT INTO events (run_id, at, pid, syscall, object,"
				      " access, decision, rule, errno, backtrace_id, ppid) VALUES ");

	for (int row = 0; row < n && len < size; row++) {
		len += (size_t)snprintf(sql + len, size - len, "%s(?1", row ? ", " : "");
		for (int c = 0; c < EV_COLS && len < size; c++)
			len += (size_t)snprintf(sql + len, size - len, ", ?%d", 2 + row * EV_COLS + c);
		if (len < size)
			len += (size_t)snprintf(sql + len, size - len, ")");
	}
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
	_insert_sql(sql, sizeof(sql), 1);
	rc = sqlite3_prepare_v3(w->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &w->ins, NULL);
	if (rc == SQLITE_OK) {
		_insert_sql(sql, sizeof(sql), INS_ROWS);
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
	sqlite3_wal_hook(w->db, _wal_hook, w);	/* replaces the automatic checkpoint */
	return 0;
}

/* _ckpt_stop - stop and join the checkpointer thread if it was started. */
static void _ckpt_stop(struct db_writer *w)
{
	if (!w->ckstarted)
		return;
	pthread_mutex_lock(&w->lock);
	w->ckstopping = true;
	pthread_cond_signal(&w->ckcond);
	pthread_mutex_unlock(&w->lock);
	pthread_join(w->ckthread, NULL);
	w->ckstarted = false;
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
	_batch_free(w->fill);
	_batch_free(w->spare);
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
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);	/* _due_in()'s clock */
	pthread_cond_init(&w->cond, &attr);
	pthread_condattr_destroy(&attr);
	pthread_cond_init(&w->ckcond, NULL);
	w->fill = _batch_new();
	w->spare = _batch_new();
	w->run = run;
	w->tsec = INT64_MIN;
	if (_prepare(w, dbpath, err, errlen) < 0)
		goto fail;
	r = pthread_create(&w->ckthread, NULL, _ckpt_thread, w);
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
	_ckpt_stop(w);
	_writer_free(w);
	return NULL;
}

void db_writer_on_trouble(struct db_writer *w, bool (*fn)(void *ctx, enum db_writer_trouble what),
			  void *ctx, unsigned hold_ms)
{
	pthread_mutex_lock(&w->lock);	/* the thread reads them after taking a batch under it */
	w->trouble = fn;
	w->trouble_ctx = ctx;
	w->hold_ms = hold_ms;
	pthread_mutex_unlock(&w->lock);
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
	_ckpt_stop(w);
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
