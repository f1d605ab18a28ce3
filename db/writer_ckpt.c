/* writer_ckpt.c - the event writer's checkpointer: a second thread, on a second connection, that
 * copies the WAL back into the database file.
 *
 * Checkpoints (copying the WAL back into the database file) cost the writer about a third of its
 * time, so they run in a second thread on a second connection: the writer's WAL hook wakes it
 * when the WAL passes CKPT_PAGES, and it runs a PASSIVE checkpoint, which never blocks the writer.
 */
#include "writer_int.h"

#include <pthread.h>

#define CKPT_PAGES 1000		/* WAL size that wakes the checkpointer (SQLite's autocheckpoint) */
/* WAL size at which the writer checkpoints itself. Under steady load the checkpointer is always
 * a little behind when the writer starts its next transaction, and SQLite only rewinds the WAL
 * when that transaction starts with everything copied back; so the writer copies the last few
 * frames itself now and then, which keeps the WAL bounded. */
#define WAL_RESTART_PAGES 8000

/* db_wr_wal_hook - SQLite's WAL hook on the writer's connection DB, called after each commit with
 * the size in PAGES of the WAL of database NAME: wake the checkpointer when it is large enough, or
 * checkpoint here past WAL_RESTART_PAGES. A PASSIVE checkpoint meeting the checkpointer's returns
 * SQLITE_BUSY at once; the next commit tries again. Returns SQLITE_OK. */
int db_wr_wal_hook(void *arg, sqlite3 *db, const char *name, int pages)
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

/* db_wr_ckpt_thread - the checkpointer: run a PASSIVE checkpoint each time it is woken, until stop.
 * A failure (e.g. SQLITE_BUSY because another process is checkpointing) only means the WAL
 * stays longer; the next wake-up retries. Returns NULL. */
void *db_wr_ckpt_thread(void *arg)
{
	struct db_writer *w = arg;

	pthread_setname_np(pthread_self(), "sv-checkpoint");
	for (;;) {
		pthread_mutex_lock(&w->lock);
		while (!w->ckpending && !w->ckstopping)
			pthread_cond_wait(&w->ckcond, &w->lock);
		if (!w->ckpending) {
			pthread_mutex_unlock(&w->lock);
			db_wr_report_cpu("checkpointer.cpu", 0);
			return NULL;
		}
		w->ckpending = false;
		pthread_mutex_unlock(&w->lock);
		sqlite3_wal_checkpoint_v2(w->ckdb, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
	}
}

/* db_wr_ckpt_stop - stop and join the checkpointer thread if it was started. */
void db_wr_ckpt_stop(struct db_writer *w)
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
