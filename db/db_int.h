/* db_int.h - what the files of the SQLite store share (db.c, migrate.c, runs.c, profiles.c);
 * not for use outside db/.
 */
#ifndef SUPERVISE_DB_INT_H
#define SUPERVISE_DB_INT_H

#include <stdbool.h>
#include <stddef.h>

#include <sqlite3.h>

/* db.c */
/* db_exec - run SQL (no results wanted) on DB. Returns the SQLite result code. */
int db_exec(sqlite3 *db, const char *sql);
/* db_fail - report "database: WHAT: sqlite message" via errx(). Returns -EIO. */
int db_fail(sqlite3 *db, const char *what);
/* db_now_iso - the current time as ISO 8601 UTC with milliseconds into BUF (>= 32 bytes). */
void db_now_iso(char *buf, size_t len);

/* migrate.c: the schema version */
int db_user_version(sqlite3 *db, int *v);
int db_level(sqlite3 *db, const char *path, int *level, char *err, size_t errlen);
bool db_too_new(const char *path, int version, char *err, size_t errlen);
int db_migrate(sqlite3 *db, const char *path, char *err, size_t errlen);

#endif
