/* cmd_graph.c - `supervise graph [--run N | --last]`: a run as a DOT graph. */
#include <errno.h>
#include <stdio.h>

#include "../common/util.h"
#include "../db/graph.h"
#include "commands.h"

int cmd_graph(const char *dbpath, const struct log_query *q)
{
	sqlite3 *db = cmd_db_open(dbpath);
	int r;

	if (!db)
		return EXIT_SUPERVISE_FAIL;
	r = db_graph_print(db, q->run > 0 ? q->run : 0, stdout);
	db_close(db);
	if (r == -ENOENT && q->run > 0)
		errx("no run %lld in %s", (long long)q->run, dbpath);
	else if (r == -ENOENT)
		errx("no runs recorded yet in %s", dbpath);
	if (r < 0)
		return EXIT_SUPERVISE_FAIL;
	return fflush(stdout) == 0 ? 0 : EXIT_SUPERVISE_FAIL;
}
