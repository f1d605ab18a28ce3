/* commands.h - the non-run subcommands. Each returns the process exit status (0 or 125; `profile diff` also 1 when the profiles differ, as diff(1)). */
#ifndef SUPERVISE_COMMANDS_H
#define SUPERVISE_COMMANDS_H

#include "../db/db.h"

/* cmd_db_open - open DBPATH (db_open) for a subcommand: the connection, or NULL when it failed
 * and its one-line reason was printed. */
sqlite3 *cmd_db_open(const char *dbpath);

/* cmd_log - `supervise log`: print the runs/events that Q selects from DBPATH. */
int cmd_log(const char *dbpath, const struct log_query *q);

/* cmd_profile - `supervise profile ACTION ARGS...` (ARGV[0] is the action). */
int cmd_profile(const char *dbpath, int argc, char **argv);

/* cmd_graph - `supervise graph [--run N | --last]`: run N of DBPATH (else the latest) in DOT. */
int cmd_graph(const char *dbpath, const struct log_query *q);

/* cmd_ps - `supervise ps [--json]`: the runs of DBPATH whose supervisor still runs. */
int cmd_ps(const char *dbpath, bool json);

/* cmd_control - `supervise grant RUN KIND PATH` (REVOKE false) or `supervise revoke RUN PATH`:
 * the request to run RUN of DBPATH through its control socket (core/control.h); the answer on
 * stdout (0), or its error on stderr (125). ARGV holds the ARGC words after the subcommand. */
int cmd_control(const char *dbpath, bool revoke, int argc, char **argv);

#endif
