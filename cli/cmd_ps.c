/* cmd_ps.c - `supervise ps`: the jails and runs going on now. */
#include <errno.h>
#include <stdio.h>

#include "../common/proc.h"
#include "../common/util.h"
#include "../db/ps.h"
#include "commands.h"

int cmd_ps(const char *dbpath, bool json)
{
	sqlite3 *db = cmd_db_open(dbpath);
	int r;

	if (!db)
		return EXIT_SUPERVISE_FAIL;
	r = db_ps_print(db, json, util_proc_running, stdout);
	db_close(db);
	if (r < 0)
		return EXIT_SUPERVISE_FAIL;
	return fflush(stdout) == 0 ? 0 : EXIT_SUPERVISE_FAIL;
}
