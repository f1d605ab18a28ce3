/* profiles.c - stored profiles: their text in profiles, and their rules in rules (one row per
 * rule, kind and path as written) for queries. Errors are printed, but db_profile_get's.
 */
#include "db.h"
#include "db_int.h"

#include <stdlib.h>
#include <string.h>

#include "../common/util.h"

/* db_profile_get - see db.h. Prints nothing: the caller names the profile in its one line. */
int db_profile_get(sqlite3 *db, const char *name, char **text)
{
	sqlite3_stmt *st = NULL;
	int rc, r = -EIO;

	*text = NULL;
	rc = sqlite3_prepare_v2(db, "SELECT text FROM profiles WHERE name = ?1", -1, &st, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
		rc = sqlite3_step(st);
	}
	if (rc == SQLITE_ROW) {
		*text = xstrdup((const char *)sqlite3_column_text(st, 0));
		r = 0;
	} else if (rc == SQLITE_DONE) {
		r = -ENOENT;
	}
	sqlite3_finalize(st);
	return r;
}

/* _rule_path - the path part of rule R as written: the text after the kind word ("~/x" for
 * "read ~/x"), or the expanded pattern when the rule has no text. */
static const char *_rule_path(const struct rule *r)
{
	const char *p;

	if (!r->text)
		return r->pattern ? r->pattern : "";
	p = r->text + strcspn(r->text, " \t");
	p += strspn(p, " \t");
	if (r->grant) {	/* "grant KIND PATH" */
		p += strcspn(p, " \t");
		p += strspn(p, " \t");
	}
	return p;
}

/* _put_rules - replace the rules rows of profile NAME with those of P (may be NULL: none).
 * Runs inside the caller's transaction. Returns the SQLite result code. */
static int _put_rules(sqlite3 *db, const char *name, const struct profile *p)
{
	sqlite3_stmt *st = NULL;
	int rc;
	size_t i;

	rc = sqlite3_prepare_v2(db, "DELETE FROM rules WHERE profile = ?1", -1, &st, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
		rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : sqlite3_errcode(db);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_OK || !p)
		return rc;
	rc = sqlite3_prepare_v2(db, "INSERT INTO rules (profile, position, kind, path, grant)"
				" VALUES (?1, ?2, ?3, ?4, ?5)", -1, &st, NULL);
	for (i = 0; rc == SQLITE_OK && i < p->n; i++) {
		const struct rule *r = &p->rules[i];

		if (r->inherited)	/* stored with the profile it comes from */
			continue;
		sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, (int64_t)i + 1);
		sqlite3_bind_text(st, 3, rule_kind_name(r->kind), -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, _rule_path(r), -1, SQLITE_STATIC);
		sqlite3_bind_int(st, 5, r->grant);
		rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : sqlite3_errcode(db);
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	return rc;
}

/* _put_profile - insert profile NAME with TEXT, or update its text and updated_at (created_at is
 * kept). Returns the SQLite result code. */
static int _put_profile(sqlite3 *db, const char *name, const char *text)
{
	sqlite3_stmt *st = NULL;
	char at[32];
	int rc;

	db_now_iso(at, sizeof(at));
	rc = sqlite3_prepare_v2(db,
				"INSERT INTO profiles (name, text, created_at, updated_at)"
				" VALUES (?1, ?2, ?3, ?3) ON CONFLICT (name) DO UPDATE"
				" SET text = excluded.text, updated_at = excluded.updated_at",
				-1, &st, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, text, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, at, -1, SQLITE_STATIC);
		rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : sqlite3_errcode(db);
	}
	sqlite3_finalize(st);
	return rc;
}

/* db_profile_put - see db.h. RULES may be NULL (no rules rows). Errors are printed. */
int db_profile_put(sqlite3 *db, const char *name, const char *text, const struct profile *rules)
{
	if (db_exec(db, "BEGIN IMMEDIATE") != SQLITE_OK)
		return db_fail(db, "storing the profile");
	if (_put_profile(db, name, text) != SQLITE_OK || _put_rules(db, name, rules) != SQLITE_OK ||
	    db_exec(db, "COMMIT") != SQLITE_OK) {
		int r = db_fail(db, "storing the profile");

		db_exec(db, "ROLLBACK");
		return r;
	}
	return 0;
}

/* db_profile_delete - see db.h. Its rules go by ON DELETE CASCADE (foreign_keys is on). */
int db_profile_delete(sqlite3 *db, const char *name)
{
	sqlite3_stmt *st = NULL;
	int rc;

	rc = sqlite3_prepare_v2(db, "DELETE FROM profiles WHERE name = ?1", -1, &st, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
		rc = sqlite3_step(st);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return db_fail(db, "deleting the profile");
	return sqlite3_changes(db) ? 0 : -ENOENT;
}

/* db_profile_list - see db.h. */
int db_profile_list(sqlite3 *db, FILE *out)
{
	sqlite3_stmt *st = NULL;
	int rc;

	rc = sqlite3_prepare_v2(db,
				"SELECT p.name, (SELECT count(*) FROM rules r WHERE r.profile = p.name),"
				" p.updated_at FROM profiles p ORDER BY p.name",
				-1, &st, NULL);
	while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		fprintf(out, "%s\t%lld\t%s\n", (const char *)sqlite3_column_text(st, 0),
			(long long)sqlite3_column_int64(st, 1),
			(const char *)sqlite3_column_text(st, 2));
		rc = SQLITE_OK;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : db_fail(db, "listing profiles");
}
