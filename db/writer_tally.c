/* writer_tally.c - the counts of tallied rows (struct event_tally: an allowed object, access and
 * syscall logged once, counted by the session meanwhile), written back into their rows by the
 * writer thread about every SWEEP_MS and once at stop. Runs in the writer thread.
 */
#include "writer_int.h"

#include <stdatomic.h>
#include <time.h>

#include "../common/timing.h"
#include "../common/util.h"

/* db_wr_remember_tallied - after events FROM..TO of B were committed: keep those with a tally,
 * whose counts db_wr_sweep writes back. Dies on OOM. */
void db_wr_remember_tallied(struct db_writer *w, const struct batch *b, size_t from, size_t to)
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
		rc = db_wr_step(w->begin);
	for (size_t i = 0; i < w->ntallied && rc == SQLITE_OK; i++) {
		struct event_tally *t = w->tallied[i];
		uint64_t c = atomic_load_explicit(&t->count, memory_order_relaxed);

		if (c == t->written)
			continue;
		sqlite3_bind_int64(w->upd, 1, (int64_t)c);
		sqlite3_bind_text(w->upd, 2, db_wr_iso(w, atomic_load_explicit(&t->last_ms,
								memory_order_relaxed)), -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(w->upd, 3, t->rowid);
		rc = db_wr_step(w->upd);
		t->written = c;
	}
	if (rc == SQLITE_OK)
		rc = db_wr_step(w->commit);
	if (rc != SQLITE_OK) {
		db_wr_rollback(w);
		for (size_t i = 0; i < w->ntallied; i++)
			w->tallied[i]->written = 0;
	}
	return rc;
}

/* db_wr_sweep - write the tallies back (_sweep_once) when SWEEP_MS passed since the last time, or
 * always with FINAL; a busy database is retried like a batch, other errors a few times and then
 * as db_wr_trouble says, after which the counts stay as they are (W->lost). */
void db_wr_sweep(struct db_writer *w, bool final)
{
	const struct timespec backoff = { .tv_nsec = 10 * 1000 * 1000 };
	int64_t now = db_wr_mono_ms();
	int attempt = 0, rc;

	if (w->lost || !w->ntallied || (!final && now - w->swept_ms < SWEEP_MS))
		return;
	w->swept_ms = now;
	while ((rc = _sweep_once(w)) != SQLITE_OK) {
		if ((rc & 0xff) != SQLITE_BUSY && (rc & 0xff) != SQLITE_LOCKED &&
		    ++attempt >= RETRIES && !db_wr_trouble(w, rc))
			return;
		nanosleep(&backoff, NULL);
	}
	db_wr_untrouble(w);
	if (final && timing_on())
		timing_add("teardown.counts", (double)(db_wr_mono_ms() - now), "ms (rows counted)", w->ntallied);
}
