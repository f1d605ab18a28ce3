/* writer_queue.c - the event writer's queue: producers append to the "fill" batch under the
 * writer's mutex (an array that doubles, strings copied into an arena of reused chunks), and the
 * thread takes the whole batch at once, swapping in its empty "spare".
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
 * as in the throughput figure at the top of writer.c); 50k pushes 10 us apart 0.58 -> 0.09 s;
 * 50k pushes 50 us apart 1.5-2.1 -> 0.13 s. Wake-ups fell ~10x, and the checkpointer's fdatasyncs
 * 461 -> 50 (the WAL no longer fills with small transactions that each rewrite the same pages).
 */
#include "writer_int.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../common/util.h"

#define CHUNK_SIZE (64 * 1024)	/* arena chunk; longer strings get a chunk of their own */
#define BATCH_INITIAL 1024	/* events a new batch has room for */
#define BATCH_TRIM (256 * 1024)	/* a batch that grew beyond this is shrunk after writing */
#define GROUP_WAIT_MS 10	/* how long a batch gathers before the thread takes it */
#define GROUP_MAX 4096		/* ... unless this many events are queued (or stop is asked) */

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

/* db_wr_batch_new - an empty batch with one chunk. Dies on OOM. */
struct batch *db_wr_batch_new(void)
{
	struct batch *b = xcalloc(1, sizeof(*b));

	b->cap = BATCH_INITIAL;
	b->ev = xmalloc(b->cap * sizeof(*b->ev));
	b->head = b->cur = _chunk_new(0);
	return b;
}

/* db_wr_batch_free - free B and all its chunks (NULL is fine). */
void db_wr_batch_free(struct batch *b)
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

/* db_wr_batch_reset - empty B for reuse, keeping its memory unless it grew past BATCH_TRIM events,
 * in which case the array shrinks back and all chunks but the first are freed. */
void db_wr_batch_reset(struct batch *b)
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

/* db_wr_due_in - set *TS to GROUP_WAIT_MS from now on CLOCK_MONOTONIC (the clock of cond). */
void db_wr_due_in(struct timespec *ts)
{
	clock_gettime(CLOCK_MONOTONIC, ts);
	ts->tv_nsec += GROUP_WAIT_MS * 1000L * 1000L;
	if (ts->tv_nsec >= 1000L * 1000L * 1000L) {
		ts->tv_sec++;
		ts->tv_nsec -= 1000L * 1000L * 1000L;
	}
}

/* db_wr_take - wait for a batch worth a transaction and take it (W->lock held): wait for a first
 * event, then let the batch gather until *DUE (set here to now + GROUP_WAIT_MS when the thread had
 * to wait for that event), GROUP_MAX events, or stop. Sets *DUE for the next batch, whose events
 * all come after this take. Returns the batch, or NULL when stopping with nothing queued. While
 * tallied rows exist, an idle wait ends after SWEEP_MS with W->spare (empty, not taken), so that
 * the caller writes the counts back. */
struct batch *db_wr_take(struct db_writer *w, struct timespec *due)
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
		db_wr_due_in(due);
	while (!w->stopping && w->fill->n < GROUP_MAX) {
		w->wait = W_GATHER;
		if (pthread_cond_timedwait(&w->cond, &w->lock, due) == ETIMEDOUT)
			break;
	}
	w->wait = W_BUSY;
	b = w->fill;
	w->fill = w->spare;
	w->spare = NULL;
	db_wr_due_in(due);
	return b;
}
