/* ps.c - see ps.h. */
#include "ps.h"

#include <errno.h>

#include "../common/util.h"
#include "db.h"

/* The runs not ended, with their figures so far. Grants and denials are counted through the
 * events_run index, over the events of each such run only. */
static const char _sql[] =
	"SELECT id, pid, pid_start, coalesce(profile, '-'), mode, started_at,"
	" CAST(round((julianday('now') - julianday(started_at)) * 86400) AS INTEGER),"
	" (SELECT count(*) FROM events e WHERE e.run_id = runs.id AND e.decision IN ('grant', 'ask-allow')),"
	" (SELECT count(*) FROM events e WHERE e.run_id = runs.id AND e.decision IN ('deny', 'ask-deny')),"
	" coalesce(command, '')"
	" FROM runs WHERE ended_at IS NULL AND pid IS NOT NULL ORDER BY id";
enum { PS_ID, PS_PID, PS_START, PS_PROFILE, PS_MODE, PS_STARTED, PS_UP, PS_GRANTS, PS_DENIALS, PS_CMD };

/* _text - column I of ST's row as text ("" for NULL). */
static const char *_text(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);

	return t ? (const char *)t : "";
}

/* _row - print the current row of ST as text or (JSON, FIRST: no comma before it) an object. */
static void _row(sqlite3_stmt *st, bool json, bool first, FILE *out)
{
	if (!json) {
		fprintf(out, "%-5lld %-7lld %-16s %-7s %7llds %6lld %7lld  %s\n",
			(long long)sqlite3_column_int64(st, PS_ID), (long long)sqlite3_column_int64(st, PS_PID),
			_text(st, PS_PROFILE), _text(st, PS_MODE), (long long)sqlite3_column_int64(st, PS_UP),
			(long long)sqlite3_column_int64(st, PS_GRANTS),
			(long long)sqlite3_column_int64(st, PS_DENIALS), _text(st, PS_CMD));
		return;
	}
	fprintf(out, "%s{\"run\": %lld, \"pid\": %lld, \"profile\": ", first ? "" : ",\n ",
		(long long)sqlite3_column_int64(st, PS_ID), (long long)sqlite3_column_int64(st, PS_PID));
	db_json_string(out, _text(st, PS_PROFILE));
	fputs(", \"mode\": ", out);
	db_json_string(out, _text(st, PS_MODE));
	fputs(", \"started_at\": ", out);
	db_json_string(out, _text(st, PS_STARTED));
	fprintf(out, ", \"uptime_s\": %lld, \"grants\": %lld, \"denials\": %lld, \"command\": ",
		(long long)sqlite3_column_int64(st, PS_UP), (long long)sqlite3_column_int64(st, PS_GRANTS),
		(long long)sqlite3_column_int64(st, PS_DENIALS));
	db_json_string(out, _text(st, PS_CMD));
	fputc('}', out);
}

int db_ps_print(sqlite3 *db, bool json, db_ps_alive_fn alive, FILE *out)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(db, _sql, -1, &st, NULL), n = 0;

	if (rc != SQLITE_OK) {
		errx("database: listing the runs: %s", sqlite3_errmsg(db));
		return -EIO;
	}
	fputs(json ? "[" : "RUN   PID     PROFILE          MODE     UPTIME GRANTS DENIALS  COMMAND\n", out);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (!alive(sqlite3_column_int64(st, PS_PID), sqlite3_column_int64(st, PS_START)))
			continue;
		_row(st, json, n == 0, out);
		n++;
	}
	if (json)
		fputs("]\n", out);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		errx("database: listing the runs: %s", sqlite3_errmsg(db));
		return -EIO;
	}
	return n;
}
