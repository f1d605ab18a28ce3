/* writer_bt.c - --backtrace's frames in the backtraces table: one row per distinct stack (by its
 * FNV-1a hash), its id remembered in a small direct-mapped cache (emptied on a rollback, which
 * takes back the rows the transaction inserted). Runs in the writer thread, inside its
 * transaction.
 */
#include "writer_int.h"

#include <stdio.h>

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

/* db_wr_backtrace_id - the id of FRAMES in backtraces, inserting it if new (inside the caller's
 * transaction). Returns the id, or -1 with the SQLite error in W->db. */
int64_t db_wr_backtrace_id(struct db_writer *w, const char *frames)
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
