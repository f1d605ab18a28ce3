/* cmd_log.c - `supervise log`. */
#include <errno.h>
#include <stdio.h>
#include <time.h>

#include "../common/proc.h"
#include "../common/util.h"
#include "commands.h"

/* _nap - log --follow's pause between two reads of the database. */
static void _nap(void)
{
	const struct timespec ts = { .tv_nsec = 200 * 1000 * 1000 };

	nanosleep(&ts, NULL);
}

int cmd_log(const char *dbpath, const struct log_query *q)
{
	sqlite3 *db = cmd_db_open(dbpath);
	int r;

	if (!db)
		return EXIT_SUPERVISE_FAIL;
	r = q->follow ? db_log_follow(db, q, util_proc_running, _nap, stdout) : db_log_print(db, q, stdout);
	db_close(db);
	if (r == -ENOENT) {
		if (q->run > 0)
			errx("no run %lld in %s", (long long)q->run, dbpath);
		else
			errx("no runs recorded yet in %s", dbpath);
		return EXIT_SUPERVISE_FAIL;
	}
	if (r < 0) {
		errx("%s: cannot read the log", dbpath);
		return EXIT_SUPERVISE_FAIL;
	}
	return fflush(stdout) == 0 ? 0 : EXIT_SUPERVISE_FAIL;
}
