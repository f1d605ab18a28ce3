/* writer_int.h - what the files of the event writer share (writer.c, writer_queue.c,
 * writer_insert.c, writer_tally.c, writer_bt.c, writer_trouble.c, writer_ckpt.c); not for use
 * outside db/. The writer's own functions are db_wr_*; its API is db_writer_* (writer.h). How it
 * works, and why no event is dropped: the top of writer.c.
 */
#ifndef SUPERVISE_WRITER_INT_H
#define SUPERVISE_WRITER_INT_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "db.h"
#include "writer.h"

#define RETRIES 3		/* attempts for errors other than SQLITE_BUSY/LOCKED */
/* A batch larger than this (the writer fell behind) is committed in several transactions: that
 * bounds the WAL, lets the checkpointer work meanwhile, and never holds the write lock long. */
#define TXN_MAX 32768
/* Backtrace ids the writer remembers (direct-mapped by hash): a run repeats the same few stacks,
 * so most events with a backtrace cost no lookup in the backtraces table. */
#define BT_CACHE 256
/* Events per INSERT statement: a batch is inserted INS_ROWS rows at a time (the rest one by one),
 * which spares a statement run per row (step and reset, opening the table and index cursors). */
#define INS_ROWS 32
/* How often the counts of tallied rows (struct event_tally) are written back while the run goes
 * on; at stop they are written in any case. */
#define SWEEP_MS 1000

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
	bool lost;		/* nothing more is written: see the top of writer.c */
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
	/* Tallied rows inserted so far (their counts are written back by db_wr_sweep), the statement
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

/* writer.c */
/* db_wr_report_cpu - with --timings, add the calling thread's CPU time as NAME (N: rows). */
void db_wr_report_cpu(const char *name, uint64_t n);

/* writer_queue.c: the queue between the producers and the thread */
struct batch *db_wr_batch_new(void);
void db_wr_batch_free(struct batch *b);
void db_wr_batch_reset(struct batch *b);
void db_wr_due_in(struct timespec *ts);
struct batch *db_wr_take(struct db_writer *w, struct timespec *due);

/* writer_insert.c: a batch into the events table */
const char *db_wr_iso(struct db_writer *w, int64_t ms);
int db_wr_step(sqlite3_stmt *st);
void db_wr_rollback(struct db_writer *w);
void db_wr_write_batch(struct db_writer *w, const struct batch *b);
void db_wr_insert_sql(char *sql, size_t size, int n);

/* writer_bt.c: backtraces */
int64_t db_wr_backtrace_id(struct db_writer *w, const char *frames);

/* writer_tally.c: the counts of tallied rows */
void db_wr_remember_tallied(struct db_writer *w, const struct batch *b, size_t from, size_t to);
void db_wr_sweep(struct db_writer *w, bool final);

/* writer_trouble.c: a log that cannot be written */
int64_t db_wr_mono_ms(void);
bool db_wr_trouble(struct db_writer *w, int rc);
void db_wr_untrouble(struct db_writer *w);

/* writer_ckpt.c: the checkpointer */
int db_wr_wal_hook(void *arg, sqlite3 *db, const char *name, int pages);
void *db_wr_ckpt_thread(void *arg);
void db_wr_ckpt_stop(struct db_writer *w);

#endif
