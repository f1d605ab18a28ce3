/* writer.h - the event writer: one thread that commits events in batched transactions.
 * The decision path only appends to an in-memory queue under a short lock; it never waits on disk,
 * and no event is ever dropped: the queue grows instead.
 * Events are committed in groups: a push does not wake the thread each time, and a batch gathers
 * for up to GROUP_WAIT_MS (10 ms, writer.c) or GROUP_MAX events, so a row shows in the database
 * that long after its push when the writer keeps up; db_writer_stop() flushes without that wait.
 */
#ifndef SUPERVISE_WRITER_H
#define SUPERVISE_WRITER_H

#include <stddef.h>
#include <stdint.h>

#include "../common/event.h"

struct db_writer;

/* db_writer_start - open its own connections to DBPATH and start the writer thread (and its
 * checkpointer thread) for run RUN, which must exist.
 * Returns the writer, or NULL with a one-line reason in ERR. */
struct db_writer *db_writer_start(const char *dbpath, int64_t run, char *err, size_t errlen);

/* db_writer_push - queue a copy of EV (strings are copied). Thread-safe, O(1), never blocks on disk. */
void db_writer_push(struct db_writer *w, const struct event *ev);

/* db_writer_stop - flush every queued event, stop the thread, close and free W.
 * *WRITTEN (may be NULL) receives the number of rows inserted. Returns 0, or -EIO when some rows
 * could not be committed (the reason was printed). */
int db_writer_stop(struct db_writer *w, uint64_t *written);

#endif
