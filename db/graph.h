/* graph.h - `supervise graph`: a run as a DOT graph (pure SQL and printing). */
#ifndef SUPERVISE_GRAPH_H
#define SUPERVISE_GRAPH_H

#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>

/* db_graph_print - print run RUN of DB (0: the latest) to OUT as one DOT digraph: the run, a node per process
 * that exec'd a program (its exec rows: the program, the pid, how often), edges from the parent
 * process (a parent that exec'd nothing itself, and the run for the first process, stand in
 * for what is not known), and per process its grants (green) and denials (red, one edge per
 * object, access and errno with the count). Allowed file accesses are left out: `supervise log`
 * lists them. Returns 0, -ENOENT (no run RUN, or no run at all), or -EIO (printed). */
int db_graph_print(sqlite3 *db, int64_t run, FILE *out);

#endif
