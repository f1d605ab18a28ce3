/* ps.h - `supervise ps`: the runs that are going on, from the runs table (pure SQL and printing;
 * whether a supervisor still runs is asked of the caller). */
#ifndef SUPERVISE_PS_H
#define SUPERVISE_PS_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* db_ps_alive_fn - whether the supervisor PID that started at START (util_proc_start) still
 * runs. */
typedef bool (*db_ps_alive_fn)(int64_t pid, int64_t start);

/* db_ps_print - print to OUT the runs of DB that have not ended and whose supervisor ALIVE says
 * still runs (a run whose supervisor was killed keeps ended_at NULL: it is left out), oldest
 * first. Text: a header line, then per run "RUN PID PROFILE MODE UPTIME GRANTS DENIALS COMMAND"
 * (UPTIME in seconds; GRANTS and DENIALS so far). JSON: one array of objects {"run", "pid",
 * "profile", "mode", "started_at", "uptime_s", "grants", "denials", "command"}.
 * Returns the number of runs printed, or -EIO (the SQLite error printed). */
int db_ps_print(sqlite3 *db, bool json, db_ps_alive_fn alive, FILE *out);

#endif
