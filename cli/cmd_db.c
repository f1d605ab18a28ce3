/* cmd_db.c - what the subcommands share: opening the database with a one-line error. */
#include "../common/util.h"
#include "commands.h"

sqlite3 *cmd_db_open(const char *dbpath)
{
	char err[512];
	sqlite3 *db = NULL;

	if (db_open(dbpath, &db, err, sizeof(err)) < 0) {
		errx("%s", err);
		return NULL;
	}
	return db;
}
