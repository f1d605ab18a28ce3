/* log.c - printing the event log ("supervise log") as text or JSON.
 *
 * Why the output is safe to look at:
 *   - objects, commands and rules come from the supervised program, so text output escapes
 *     control bytes as \xNN (and "\" as "\\"): a path holding "\n" or an ESC sequence cannot forge
 *     a log line or drive the terminal;
 *   - JSON strings escape ", \ and control characters as \u00XX, and replace bytes that are not
 *     valid UTF-8 with U+FFFD, so every output is valid JSON (RFC 8259 requires UTF-8).
 */
#include "db.h"

#include <string.h>

#include "../common/util.h"

/* Columns selected for runs and events, and the JSON keys they are printed under, in order. */
#define RUN_COLS "id, profile, mode, command, cwd, started_at, ended_at, exit_status"
static const char *const _run_keys[] = {
	"id", "profile", "mode", "command", "cwd", "started_at", "ended_at", "exit_status",
};
enum { RUN_ID, RUN_PROFILE, RUN_MODE, RUN_COMMAND, RUN_CWD, RUN_STARTED, RUN_ENDED, RUN_EXIT };

#define EVENT_COLS "run_id, id, at, pid, syscall, object, access, decision, rule, errno," \
	" count, last_at, (SELECT frames FROM backtraces b WHERE b.id = backtrace_id)"
static const char *const _event_keys[] = {
	"run", "id", "at", "pid", "syscall", "object", "access", "decision", "rule", "errno",
	"count", "last_at", "backtrace",
};
enum {
	EV_RUN, EV_ID, EV_AT, EV_PID, EV_SYSCALL, EV_OBJECT, EV_ACCESS, EV_DECISION, EV_RULE,
	EV_ERRNO, EV_COUNT, EV_LAST, EV_BACKTRACE,
};

/* The runs selected by ?1 (0 = all) and, when ?2 is not 0, only those with a denial. */
static const char _sql_runs[] =
	"SELECT " RUN_COLS " FROM runs WHERE (?1 = 0 OR id = ?1)"
	" AND (?2 = 0 OR EXISTS (SELECT 1 FROM denials d WHERE d.run_id = runs.id)) ORDER BY id";
/* The events of run ?1, only denials when ?2 is not 0. */
static const char _sql_run_events[] =
	"SELECT " EVENT_COLS " FROM events WHERE run_id = ?1 AND (?2 = 0 OR decision IN ('deny', 'ask-deny'))"
	" ORDER BY id";
/* The denials of every run, in the order they happened (a table scan: see the schema in migrate.c). */
static const char _sql_denials[] = "SELECT " EVENT_COLS " FROM denials ORDER BY id";

/* _fail - report "database: WHAT: sqlite message" via errx(). Returns -EIO. */
static int _fail(sqlite3 *db, const char *what)
{
	errx("database: %s: %s", what, sqlite3_errmsg(db));
	return -EIO;
}

/* _utf8_len - the length (1..4) of the valid UTF-8 sequence starting at S, or 0 when S does not
 * start one (stray continuation byte, overlong form, surrogate, beyond U+10FFFF, truncated). */
static size_t _utf8_len(const unsigned char *s)
{
	unsigned c = s[0];
	uint32_t cp;
	size_t n, i;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf) {
		n = 2;
		cp = c & 0x1f;
	} else if ((c & 0xf0) == 0xe0) {
		n = 3;
		cp = c & 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4;
		cp = c & 0x07;
	} else {
		return 0;
	}
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)	/* also stops at the terminating NUL */
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

/* db_json_string - see db.h. Invalid UTF-8 bytes become \ufffd (see the top of this file). */
void db_json_string(FILE *out, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n;

	if (!s) {
		fputs("null", out);
		return;
	}
	fputc('"', out);
	while (*p) {
		if (*p == '"' || *p == '\\') {
			fputc('\\', out);
			fputc(*p++, out);
		} else if (*p < 0x20 || *p == 0x7f) {
			fprintf(out, "\\u%04x", *p++);
		} else if ((n = _utf8_len(p)) == 0) {
			fputs("\\ufffd", out);
			p++;
		} else {
			fwrite(p, 1, n, out);
			p += n;
		}
	}
	fputc('"', out);
}

/* _json_value - print column I of the current row of ST as a JSON value. */
static void _json_value(FILE *out, sqlite3_stmt *st, int i)
{
	switch (sqlite3_column_type(st, i)) {
	case SQLITE_NULL:
		fputs("null", out);
		break;
	case SQLITE_INTEGER:
		fprintf(out, "%lld", (long long)sqlite3_column_int64(st, i));
		break;
	default:
		db_json_string(out, (const char *)sqlite3_column_text(st, i));
		break;
	}
}

/* _json_array - print every row of ST as one JSON array of objects whose members are named by
 * KEYS (one per column, N of them). Returns 0, or -EIO (printed) when a step fails. */
static int _json_array(sqlite3 *db, sqlite3_stmt *st, const char *const *keys, int n, FILE *out)
{
	bool first = true;
	int rc, i;

	fputc('[', out);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		fputs(first ? "\n  {" : ",\n  {", out);
		for (i = 0; i < n; i++) {
			fprintf(out, "%s\"%s\": ", i ? ", " : "", keys[i]);
			_json_value(out, st, i);
		}
		fputc('}', out);
		first = false;
	}
	fputs(first ? "]\n" : "\n]\n", out);
	return rc == SQLITE_DONE ? 0 : _fail(db, "reading the log");
}

/* _text_put - print S for a human: control bytes as \xNN and "\" as "\\"; inside double quotes
 * (with '"' as '\"') when QUOTE. NULL prints "-". */
static void _text_put(FILE *out, const char *s, bool quote)
{
	const unsigned char *p = (const unsigned char *)s;

	if (!s) {
		fputc('-', out);
		return;
	}
	if (quote)
		fputc('"', out);
	for (; *p; p++) {
		if (*p < 0x20 || *p == 0x7f)
			fprintf(out, "\\x%02x", *p);
		else if (*p == '\\' || (quote && *p == '"'))
			fprintf(out, "\\%c", *p);
		else
			fputc(*p, out);
	}
	if (quote)
		fputc('"', out);
}

/* _col - column I of ST as text, or NULL. */
static const char *_col(sqlite3_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}

/* _text_run_header - print "run ID MODE profile=P exit=S COMMAND" for the current row of ST
 * (columns RUN_COLS). A NULL profile or exit status (run still going, or killed) prints "-". */
static void _text_run_header(FILE *out, sqlite3_stmt *st)
{
	fprintf(out, "run %lld %s profile=", (long long)sqlite3_column_int64(st, RUN_ID),
		_col(st, RUN_MODE));
	_text_put(out, _col(st, RUN_PROFILE), false);
	if (sqlite3_column_type(st, RUN_EXIT) == SQLITE_NULL)
		fputs(" exit=- ", out);
	else
		fprintf(out, " exit=%d ", sqlite3_column_int(st, RUN_EXIT));
	_text_put(out, _col(st, RUN_COMMAND), false);
	fputc('\n', out);
}

/* _text_event - print "  AT PID SYSCALL ACCESS DECISION OBJECT [rule] [errno=NAME] [(N calls, the
 * last at T)]" for the
 * current row of ST (columns EVENT_COLS). The rule shows as `rule "TEXT"`; a deny or audit
 * decision without one shows `no rule`; other decisions without a rule show nothing there. The
 * errno shows only when the call was failed (events.errno not NULL). */
static void _text_event(FILE *out, sqlite3_stmt *st)
{
	const char *decision = _col(st, EV_DECISION), *rule = _col(st, EV_RULE);
	const char *err = _col(st, EV_ERRNO);

	fprintf(out, "  %s %lld ", _col(st, EV_AT), (long long)sqlite3_column_int64(st, EV_PID));
	_text_put(out, _col(st, EV_SYSCALL), false);
	fputc(' ', out);
	_text_put(out, _col(st, EV_ACCESS), false);
	fprintf(out, " %s ", decision);
	_text_put(out, _col(st, EV_OBJECT), false);
	if (rule) {
		fputs(" rule ", out);
		_text_put(out, rule, true);
	} else if (!strcmp(decision, "deny") || !strcmp(decision, "audit")) {
		fputs(" no rule", out);
	}
	if (err) {
		fputs(" errno=", out);
		_text_put(out, err, false);
	}
	if (sqlite3_column_int64(st, EV_COUNT) > 1)
		fprintf(out, " (%lld calls, the last at %s)", (long long)sqlite3_column_int64(st, EV_COUNT),
			_col(st, EV_LAST) ? _col(st, EV_LAST) : "?");
	fputc('\n', out);
}

/* _text_frames - print the call stack of the current row of ST (if one was recorded), one
 * "      at FRAME" line per frame, each escaped like any other logged text. */
static void _text_frames(FILE *out, sqlite3_stmt *st)
{
	const char *f = _col(st, EV_BACKTRACE);

	while (f && *f) {
		size_t n = strcspn(f, "\n");
		_cleanup_free_ char *line = xstrndup(f, n);

		fputs("      at ", out);
		_text_put(out, line, false);
		fputc('\n', out);
		f += n + (f[n] == '\n');
	}
}

/* _text_events - print the events of RUN (only denials when DENIED; with BT their stacks) using
 * the prepared EV statement (_sql_run_events), which is reset afterwards. Returns 0 or -EIO
 * (printed). */
static int _text_events(sqlite3 *db, sqlite3_stmt *ev, int64_t run, bool denied, bool bt,
			FILE *out)
{
	int rc;

	sqlite3_bind_int64(ev, 1, run);
	sqlite3_bind_int(ev, 2, denied);
	while ((rc = sqlite3_step(ev)) == SQLITE_ROW) {
		_text_event(out, ev);
		if (bt)
			_text_frames(out, ev);
	}
	sqlite3_reset(ev);
	return rc == SQLITE_DONE ? 0 : _fail(db, "reading the log");
}

/* _text_log - print run headers for RUN (0 = all runs, then only those with a denial when
 * DENIED) and, when EVENTS, each run's events (only denials when DENIED; with BT their call
 * stacks) below its header.
 * Returns 0 or -EIO (printed). */
static int _text_log(sqlite3 *db, int64_t run, bool denied, bool events, bool bt, FILE *out)
{
	sqlite3_stmt *st = NULL, *ev = NULL;
	int rc, r = 0;

	rc = sqlite3_prepare_v2(db, _sql_runs, -1, &st, NULL);
	if (rc == SQLITE_OK && events)
		rc = sqlite3_prepare_v2(db, _sql_run_events, -1, &ev, NULL);
	if (rc != SQLITE_OK) {
		r = _fail(db, "reading the log");
		goto out;
	}
	sqlite3_bind_int64(st, 1, run);
	sqlite3_bind_int(st, 2, denied && run == 0);
	while (r == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		_text_run_header(out, st);
		if (events)
			r = _text_events(db, ev, sqlite3_column_int64(st, RUN_ID), denied, bt, out);
	}
	if (r == 0 && rc != SQLITE_DONE)
		r = _fail(db, "reading the log");
out:
	sqlite3_finalize(ev);
	sqlite3_finalize(st);
	return r;
}

/* _json_log - print as JSON: the run list when RUN is 0 and not DENIED, else the events of RUN
 * (every run's when RUN is 0), only denials when DENIED. Returns 0 or -EIO (printed). */
static int _json_log(sqlite3 *db, int64_t run, bool denied, FILE *out)
{
	sqlite3_stmt *st = NULL;
	bool runs = run == 0 && !denied;
	const char *sql = runs ? _sql_runs : run ? _sql_run_events : _sql_denials;
	int r;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return _fail(db, "reading the log");
	if (sql != _sql_denials) {
		sqlite3_bind_int64(st, 1, run);
		sqlite3_bind_int(st, 2, denied);
	}
	if (runs)
		r = _json_array(db, st, _run_keys, (int)ARRAY_SIZE(_run_keys), out);
	else
		r = _json_array(db, st, _event_keys, (int)ARRAY_SIZE(_event_keys), out);
	sqlite3_finalize(st);
	return r;
}

static int _select_run(sqlite3 *db, const struct log_query *q, int64_t *run);

/* The events of run ?1 after id ?2, only denials when ?3 is not 0 (log --follow). */
static const char _sql_follow[] =
	"SELECT " EVENT_COLS " FROM events WHERE run_id = ?1 AND id > ?2 AND (?3 = 0 OR decision IN ('deny', 'ask-deny'))"
	" ORDER BY id";
/* Whether run ?1 has ended, and who runs it. */
static const char _sql_run_state[] = "SELECT ended_at IS NOT NULL, pid, pid_start FROM runs WHERE id = ?1";

/* _follow_step - print the events of RUN after *LAST (moving *LAST on) with EV (_sql_follow), as
 * text lines or, with JSON, one object a line. Returns 0 or -EIO (printed). */
static int _follow_step(sqlite3 *db, sqlite3_stmt *ev, int64_t run, int64_t *last, bool json,
			bool bt, FILE *out)
{
	int rc;

	sqlite3_bind_int64(ev, 1, run);
	sqlite3_bind_int64(ev, 2, *last);
	while ((rc = sqlite3_step(ev)) == SQLITE_ROW) {
		*last = sqlite3_column_int64(ev, EV_ID);
		if (json) {
			fputc('{', out);
			for (int i = 0; i < (int)ARRAY_SIZE(_event_keys); i++) {
				fprintf(out, "%s\"%s\": ", i ? ", " : "", _event_keys[i]);
				_json_value(out, ev, i);
			}
			fputs("}\n", out);
		} else {
			_text_event(out, ev);
			if (bt)
				_text_frames(out, ev);
		}
	}
	sqlite3_reset(ev);
	fflush(out);
	return rc == SQLITE_DONE ? 0 : _fail(db, "reading the log");
}

/* _follow_state - whether RUN has ended (*ENDED) and, when not, whether RUNNING says its
 * supervisor still runs (*GONE when not). Returns 0 or -EIO (printed). */
static int _follow_state(sqlite3 *db, sqlite3_stmt *st, int64_t run,
			 bool (*running)(int64_t, int64_t), bool *ended, bool *gone)
{
	int rc;

	sqlite3_bind_int64(st, 1, run);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*ended = sqlite3_column_int(st, 0);
		*gone = !*ended && !running(sqlite3_column_int64(st, 1), sqlite3_column_int64(st, 2));
	}
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 0 : _fail(db, "reading the log");
}

int db_log_follow(sqlite3 *db, const struct log_query *q, bool (*running)(int64_t, int64_t),
		  void (*nap)(void), FILE *out)
{
	sqlite3_stmt *ev = NULL, *st = NULL;
	struct log_query one = *q;
	int64_t run, last = 0;
	bool ended = false, gone = false;
	int r;

	one.last = q->run <= 0;
	if ((r = _select_run(db, &one, &run)) < 0)
		return r;
	if (!q->json && (r = _text_log(db, run, false, false, false, out)) < 0)
		return r;
	if (sqlite3_prepare_v2(db, _sql_follow, -1, &ev, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, _sql_run_state, -1, &st, NULL) != SQLITE_OK) {
		r = _fail(db, "reading the log");
		goto out;
	}
	sqlite3_bind_int(ev, 3, q->denied);
	/* the state first: what an ended run logged is all committed before its end */
	while ((r = _follow_state(db, st, run, running, &ended, &gone)) == 0 &&
	       (r = _follow_step(db, ev, run, &last, q->json, q->backtrace, out)) == 0 && !ended && !gone)
		nap();
	if (r == 0 && gone)
		errx("run %lld: its supervisor is gone without ending the run (killed?)", (long long)run);
out:
	sqlite3_finalize(ev);
	sqlite3_finalize(st);
	return r;
}

/* _select_run - resolve Q to one run id in *RUN: Q->run when > 0 (it must exist), else the
 * highest id when Q->last, else 0 (all runs). Returns 0, -ENOENT, or -EIO (printed). */
static int _select_run(sqlite3 *db, const struct log_query *q, int64_t *run)
{
	sqlite3_stmt *st = NULL;
	int rc, r = -ENOENT;

	*run = 0;
	if (q->run <= 0 && !q->last)
		return 0;
	rc = sqlite3_prepare_v2(db, q->run > 0 ? "SELECT id FROM runs WHERE id = ?1"
					       : "SELECT max(id) FROM runs",
				-1, &st, NULL);
	if (rc == SQLITE_OK) {
		if (q->run > 0)
			sqlite3_bind_int64(st, 1, q->run);
		rc = sqlite3_step(st);
	}
	if (rc == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL) {
		*run = sqlite3_column_int64(st, 0);
		r = 0;
	} else if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		r = _fail(db, "reading the log");
	}
	sqlite3_finalize(st);
	return r;
}

/* db_log_print - see db.h. Q->run > 0 takes precedence over Q->last. With DENIED and no run, the
 * text output shows only the runs that have a denial. */
int db_log_print(sqlite3 *db, const struct log_query *q, FILE *out)
{
	int64_t run;
	int r = _select_run(db, q, &run);

	if (r < 0)
		return r;
	if (q->json)
		return _json_log(db, run, q->denied, out);
	return _text_log(db, run, q->denied, run != 0 || q->denied, q->backtrace, out);
}
