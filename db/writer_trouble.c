/* writer_trouble.c - the event writer's trouble hook (db_writer_on_trouble): when a write fails
 * after its retries, the run is told, so that under enforce it holds the program while the writer
 * retries for a bounded time, and otherwise stops it for good. Why: the top of writer.c.
 */
#include "writer_int.h"

#include <pthread.h>
#include <stdio.h>
#include <time.h>

#define HOLD_RETRY_MS 100	/* between the retries of a held write (db_writer_on_trouble) */

/* db_wr_mono_ms - CLOCK_MONOTONIC in milliseconds. */
int64_t db_wr_mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* db_wr_trouble - a write of W failed with RC (an error other than busy) after its retries. While
 * the run holds the program (W->hold_ms, see db_writer_on_trouble), wait HOLD_RETRY_MS and return
 * true: try again. Otherwise the log is lost from here on: W->lost, the reason, the hook told;
 * returns false. */
bool db_wr_trouble(struct db_writer *w, int rc)
{
	const struct timespec pause = { .tv_nsec = HOLD_RETRY_MS * 1000 * 1000 };
	int64_t now = db_wr_mono_ms();

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

/* db_wr_untrouble - a write of W succeeded: if the program was held for an earlier failure, let it
 * go on. */
void db_wr_untrouble(struct db_writer *w)
{
	if (!w->held_since)
		return;
	w->held_since = 0;
	w->trouble(w->trouble_ctx, DB_WRITER_RESUME);
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
