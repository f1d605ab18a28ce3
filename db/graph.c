/* graph.c - see graph.h.
 *
 * Why the output is safe to feed to dot: every string from the log (paths, commands, rule text)
 * goes into a double-quoted DOT string through _quote, which escapes '"' and '\' and writes every
 * byte below 0x20 or at 0x7f as a visible "\xNN", so no name can close the string, start a new
 * statement or break a line.
 */
#include "graph.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "../common/util.h"

/* The run's header (run ?1, or the latest when ?1 is 0). */
static const char _sql_run[] =
	"SELECT mode, coalesce(profile, '-'), coalesce(command, ''), exit_status, id FROM runs"
	" WHERE id = (CASE WHEN ?1 > 0 THEN ?1 ELSE (SELECT max(id) FROM runs) END)";
/* The processes: each exec row (first per pid: with --log first, a program exec'd again by another
 * process adds to the count of the first row). */
static const char _sql_procs[] =
	"SELECT pid, coalesce(ppid, 0), object, count FROM events"
	" WHERE run_id = ?1 AND access = 'exec' AND syscall IN ('execve', 'execveat') AND decision NOT IN ('deny', 'ask-deny')"
	" ORDER BY id";
/* Grants and denials, one line per (pid, object, access, decision, errno). */
static const char _sql_marks[] =
	"SELECT pid, object, access, decision, coalesce(errno, ''), sum(count) FROM events"
	" WHERE run_id = ?1 AND decision IN ('deny', 'grant', 'audit', 'revoke', 'ask-allow', 'ask-deny')"
	" GROUP BY pid, object, access, decision, errno ORDER BY min(id)";

/* _quote - write S as the inside of a DOT double-quoted string (see the top of this file). */
static void _quote(FILE *out, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(out, "\\%c", *p);
		else if (*p < 0x20 || *p == 0x7f)
			fprintf(out, "\\\\x%02x", *p);
		else
			fputc(*p, out);
	}
}

/* _col - column I of ST's row as text ("" for NULL). */
static const char *_col(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);

	return t ? (const char *)t : "";
}

/* _base - the last component of PATH (PATH when it has no '/'). */
static const char *_base(const char *path)
{
	const char *s = strrchr(path, '/');

	return s && s[1] ? s + 1 : path;
}

/* _header - the run node of *RUN (0: the latest, whose id goes into *RUN). 0, -ENOENT or -EIO. */
static int _header(sqlite3_stmt *st, int64_t *run, FILE *out)
{
	int rc;

	sqlite3_bind_int64(st, 1, *run);
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW)
		return rc == SQLITE_DONE ? -ENOENT : -EIO;
	*run = sqlite3_column_int64(st, 4);
	fprintf(out, "digraph \"run %lld\" {\n\trankdir=LR;\n\tnode [fontname=\"monospace\", fontsize=10];\n"
		"\tedge [fontname=\"monospace\", fontsize=9];\n", (long long)*run);
	fprintf(out, "\trun [shape=box, style=bold, label=\"run %lld %s\\nprofile ", (long long)*run,
		_col(st, 0));
	_quote(out, _col(st, 1));
	fputs("\\n", out);
	_quote(out, _col(st, 2));
	if (sqlite3_column_type(st, 3) != SQLITE_NULL)
		fprintf(out, "\\nexit %d", sqlite3_column_int(st, 3));
	fputs("\"];\n", out);
	return 0;
}

/* The processes drawn: their pids, and each one's parent. */
struct _procs {
	long long *pid, *ppid;
	size_t n, cap;
};

/* _known - whether PID has a node in P. */
static bool _known(const struct _procs *p, long long pid)
{
	for (size_t i = 0; i < p->n; i++)
		if (p->pid[i] == pid)
			return true;
	return false;
}

/* _from - the node an edge to something of PID starts at: PID's own, or the run's. */
static void _from(FILE *out, const struct _procs *p, long long pid)
{
	if (_known(p, pid))
		fprintf(out, "\tp%lld", pid);
	else
		fputs("\trun", out);
}

/* _procs - a node per process that exec'd (the first exec row of a pid names it), then the edges
 * from the parents (the run's node for a parent that has none). 0 or -EIO. Dies on OOM. */
static int _procs(sqlite3_stmt *st, int64_t run, struct _procs *p, FILE *out)
{
	int rc;

	sqlite3_bind_int64(st, 1, run);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		long long pid = sqlite3_column_int64(st, 0), ppid = sqlite3_column_int64(st, 1);
		long long n = sqlite3_column_int64(st, 3);

		if (_known(p, pid))
			continue;
		if (p->n == p->cap) {
			p->cap = p->cap ? p->cap * 2 : 64;
			p->pid = xrealloc(p->pid, p->cap * sizeof(*p->pid));
			p->ppid = xrealloc(p->ppid, p->cap * sizeof(*p->ppid));
		}
		p->pid[p->n] = pid;
		p->ppid[p->n++] = ppid;

		fprintf(out, "\tp%lld [shape=ellipse, label=\"", pid);
		_quote(out, _base(_col(st, 2)));
		fprintf(out, "\\npid %lld", pid);
		if (n > 1)
			fprintf(out, " (x%lld)", n);
		fputs("\", tooltip=\"", out);
		_quote(out, _col(st, 2));
		fputs("\"];\n", out);
	}
	for (size_t i = 0; rc == SQLITE_DONE && i < p->n; i++) {
		_from(out, p, p->ppid[i] != p->pid[i] ? p->ppid[i] : 0);
		fprintf(out, " -> p%lld;\n", p->pid[i]);
	}
	return rc == SQLITE_DONE ? 0 : -EIO;
}

/* _marks - the grant and denial edges, to one node per object, from the process of P that made
 * them (or the run's node). 0 or -EIO. */
static int _marks(sqlite3_stmt *st, int64_t run, const struct _procs *p, FILE *out)
{
	int rc, i = 0;

	sqlite3_bind_int64(st, 1, run);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *dec = _col(st, 3);
		const char *color = !strcmp(dec, "grant") || !strcmp(dec, "ask-allow") ? "darkgreen" :
				    !strcmp(dec, "revoke") ? "orange" : "red";

		fprintf(out, "\to%d [shape=note, color=%s, label=\"", i, color);
		_quote(out, _col(st, 1));
		fputs("\"];\n", out);
		_from(out, p, sqlite3_column_int64(st, 0));
		fprintf(out, " -> o%d [color=%s, label=\"", i, color);
		_quote(out, _col(st, 2));
		fprintf(out, " %s", dec);
		if (*_col(st, 4))
			fprintf(out, " %s", _col(st, 4));
		if (sqlite3_column_int64(st, 5) > 1)
			fprintf(out, " x%lld", (long long)sqlite3_column_int64(st, 5));
		fputs("\"];\n", out);
		i++;
	}
	return rc == SQLITE_DONE ? 0 : -EIO;
}

int db_graph_print(sqlite3 *db, int64_t run, FILE *out)
{
	sqlite3_stmt *h = NULL, *p = NULL, *m = NULL;
	struct _procs procs = { 0 };
	int r = -EIO;

	if (sqlite3_prepare_v2(db, _sql_run, -1, &h, NULL) == SQLITE_OK &&
	    sqlite3_prepare_v2(db, _sql_procs, -1, &p, NULL) == SQLITE_OK &&
	    sqlite3_prepare_v2(db, _sql_marks, -1, &m, NULL) == SQLITE_OK) {
		r = _header(h, &run, out);
		if (r == 0)
			r = _procs(p, run, &procs, out);
		if (r == 0)
			r = _marks(m, run, &procs, out);
		if (r == 0)
			fputs("}\n", out);
	}
	if (r == -EIO)
		errx("database: drawing run %lld: %s", (long long)run, sqlite3_errmsg(db));
	sqlite3_finalize(h);
	sqlite3_finalize(p);
	sqlite3_finalize(m);
	free(procs.pid);
	free(procs.ppid);
	return r;
}
