/* writer_insert.c - a batch of the event writer into the events table: rows bound from the queued
 * events (times formatted here, through a one-second cache), INS_ROWS rows per INSERT and the rest
 * one by one, in IMMEDIATE transactions of at most TXN_MAX events that also count them in
 * runs.events; a busy database retried forever, other errors RETRIES times, then as the trouble
 * hook says (writer_trouble.c). Runs in the writer thread.
 */
#include "writer_int.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../common/util.h"

#define EV_COLS 10		/* parameters per row after ?1 (run_id): at .. backtrace_id, ppid */

/* The errno values stored by name; any other is stored as "E<number>". */
static const struct {
	int e;
	const char *name;
} _errno_names[] = {
	{ EACCES, "EACCES" }, { ENOENT, "ENOENT" }, { EFAULT, "EFAULT" },
	{ EBADF, "EBADF" },   { EPERM, "EPERM" },   { EINVAL, "EINVAL" },
};

/* db_errno_name - see db.h. */
const char *db_errno_name(int e, char *buf, size_t len)
{
	size_t i;

	if (e == 0)
		return NULL;
	for (i = 0; i < ARRAY_SIZE(_errno_names); i++)
		if (_errno_names[i].e == e)
			return _errno_names[i].name;
	snprintf(buf, len, "E%d", e);
	return buf;
}

/* db_wr_iso - the ISO 8601 time of MS, formatted through a one-second cache: events arrive in
 * bursts and gmtime_r takes a lock. Returns W->tbuf (valid until the next call). */
const char *db_wr_iso(struct db_writer *w, int64_t ms)
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

/* _bind_row - bind event Q as row ROW of insert statement ST: the EV_COLS parameters from
 * 2 + ROW * EV_COLS on (run_id, ?1, stays bound). Strings are bound SQLITE_STATIC: they live in
 * the batch, are static, or are W->at[ROW] and W->ebuf[ROW], which are rewritten only for the next
 * statement. Every parameter is bound on every call (bindings outlive sqlite3_reset()).
 * Returns SQLITE_OK or the error of the backtrace lookup. */
static int _bind_row(struct db_writer *w, sqlite3_stmt *st, int row, const struct qevent *q)
{
	int base = 2 + row * EV_COLS;

	memcpy(w->at[row], db_wr_iso(w, q->at_ms), sizeof(w->at[row]));
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
		int64_t bt = db_wr_backtrace_id(w, q->backtrace);

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

/* db_wr_step - run the prepared statement ST, which returns no rows, and reset it for reuse.
 * Returns SQLITE_OK or the error code. */
int db_wr_step(sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* db_wr_rollback - roll back W's open transaction, if any. */
void db_wr_rollback(struct db_writer *w)
{
	if (!sqlite3_get_autocommit(w->db))
		db_wr_step(w->rollback);
	memset(w->btc, 0, sizeof(w->btc));	/* ids the rolled-back transaction inserted */
}

/* _try_batch - insert events FROM..TO of B and add their number to runs.events, in one
 * IMMEDIATE transaction (the write lock is taken up front, so no later statement meets BUSY).
 * Returns SQLITE_OK, or the failing result code with the transaction still open (if any). */
static int _try_batch(struct db_writer *w, const struct batch *b, size_t from, size_t to)
{
	int rc = db_wr_step(w->begin);
	size_t i;

	for (i = from; rc == SQLITE_OK && to - i >= INS_ROWS; i += INS_ROWS)
		rc = _insert(w, w->insn, &b->ev[i], INS_ROWS);
	for (; rc == SQLITE_OK && i < to; i++)
		rc = _insert(w, w->ins, &b->ev[i], 1);
	if (rc == SQLITE_OK) {
		sqlite3_bind_int64(w->count, 1, (int64_t)(to - from));
		rc = db_wr_step(w->count);
	}
	if (rc == SQLITE_OK)
		rc = db_wr_step(w->commit);
	return rc;
}

/* _write_slice - commit events FROM..TO of B, retrying as described at the top of writer.c.
 * Returns 0, or -EIO when they were lost (counted in W->nlost; W->lost set, if it was not). */
static int _write_slice(struct db_writer *w, const struct batch *b, size_t from, size_t to)
{
	const struct timespec backoff = { .tv_nsec = 10 * 1000 * 1000 };
	int attempt = 0, rc;

	while (!w->lost) {
		rc = _try_batch(w, b, from, to);
		if (rc == SQLITE_OK) {
			w->written += to - from;
			db_wr_remember_tallied(w, b, from, to);
			db_wr_untrouble(w);
			return 0;
		}
		if ((rc & 0xff) != SQLITE_BUSY && (rc & 0xff) != SQLITE_LOCKED &&
		    ++attempt >= RETRIES && !db_wr_trouble(w, rc))
			break;
		db_wr_rollback(w);
		nanosleep(&backoff, NULL);
	}
	db_wr_rollback(w);
	w->nlost += to - from;
	return -EIO;
}

/* db_wr_write_batch - commit B in transactions of at most TXN_MAX events (see TXN_MAX). */
void db_wr_write_batch(struct db_writer *w, const struct batch *b)
{
	size_t from, to;

	for (from = 0; from < b->n; from = to) {
		to = b->n - from > TXN_MAX ? from + TXN_MAX : b->n;
		_write_slice(w, b, from, to);
	}
}

/* db_wr_insert_sql - the INSERT of N events into SQL (SIZE bytes): N rows of parameters, each with
 * ?1 (run_id) and EV_COLS of its own (see _bind_row()). */
void db_wr_insert_sql(char *sql, size_t size, int n)
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
