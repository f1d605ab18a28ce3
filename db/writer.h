/* writer.h - the event writer: one thread that commits events in batched transactions.
 * The decision path only appends to an in-memory queue under a short lock; it never waits on disk,
 * and no event is ever dropped: the queue grows instead.
 * Events are committed in groups: a push does not wake the thread each time, and a batch gathers
 * for up to GROUP_WAIT_MS (10 ms, writer_queue.c) or GROUP_MAX events, so a row shows in the
 * database that long after its push when the writer keeps up; db_writer_stop() flushes without
 * that wait.
 */
#ifndef SUPERVISE_WRITER_H
#define SUPERVISE_WRITER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../common/event.h"

struct db_writer;

/* db_writer_start - open its own connections to DBPATH and start the writer thread (and its
 * checkpointer thread) for run RUN, which must exist.
 * Returns the writer, or NULL with a one-line reason in ERR. */
struct db_writer *db_writer_start(const char *dbpath, int64_t run, char *err, size_t errlen);

/* What the writer tells the run when the log cannot be written (db_writer_on_trouble). */
enum db_writer_trouble {
	DB_WRITER_HOLD,		/* a write failed: hold the program while the writer retries */
	DB_WRITER_RESUME,	/* a retry succeeded: let it go on */
	DB_WRITER_FAILED,	/* the log is lost from here on: stop the program for good */
};

/* db_writer_on_trouble - have W call FN(CTX, what) from its thread when a write (events or the
 * counts of tallied rows) fails with an error other than a busy database after its retries (disk
 * full, I/O error, corruption). With HOLD_MS > 0 it calls DB_WRITER_HOLD, retries for up to
 * HOLD_MS and then calls DB_WRITER_RESUME or DB_WRITER_FAILED; with 0, DB_WRITER_FAILED at once.
 * After DB_WRITER_FAILED nothing more is written (later events are counted lost, no retry, no
 * message). FN returns whether it stopped a running program (for the message). Call before the
 * first push. Without a hook the writer only reports the loss. */
void db_writer_on_trouble(struct db_writer *w, bool (*fn)(void *ctx, enum db_writer_trouble what),
			  void *ctx, unsigned hold_ms);

/* db_writer_push - queue a copy of EV (strings are copied). Thread-safe, O(1), never blocks on disk. */
void db_writer_push(struct db_writer *w, const struct event *ev);

/* db_writer_stop - flush every queued event, stop the thread, close and free W.
 * *WRITTEN (may be NULL) receives the number of rows inserted. Returns 0, or -EIO when some rows
 * could not be committed: then one line was printed, here, whatever the number of failed
 * writes: the database, SQLite's reason, the events kept and lost, and whether the program was
 * stopped for it. */
int db_writer_stop(struct db_writer *w, uint64_t *written);

#endif
