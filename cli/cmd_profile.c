/* cmd_profile.c - `supervise profile list|show|export|import|delete|diff`. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/util.h"
#include "../core/profile_load.h"
#include "../policy/diff.h"
#include "commands.h"

/* _args - check that ACTION got between MIN and MAX arguments; print usage otherwise. */
static int _args(int argc, int min, int max, const char *usage)
{
	if (argc - 1 < min || argc - 1 > max) {
		errx("usage: supervise profile %s", usage);
		return -EINVAL;
	}
	return 0;
}

/* _write_text - TEXT to FILE ("-" or NULL: stdout). 0 or status 125 after an error line. */
static int _write_text(const char *text, const char *file)
{
	FILE *f = (!file || !strcmp(file, "-")) ? stdout : fopen(file, "we");
	int bad;

	if (!f) {
		errx("%s: %s", file, strerror(errno));
		return EXIT_SUPERVISE_FAIL;
	}
	bad = fputs(text, f) < 0;
	bad |= (f == stdout ? fflush(f) : fclose(f)) != 0;
	if (bad)
		errx("%s: write failed", file ? file : "stdout");
	return bad ? EXIT_SUPERVISE_FAIL : 0;
}

/* _show - print or export profile NAME. */
static int _show(sqlite3 *db, const char *name, const char *file)
{
	_cleanup_free_ char *text = NULL;
	int r = db_profile_get(db, name, &text);

	if (r == -ENOENT) {
		errx("no profile named '%s' (see supervise profile list)", name);
		return EXIT_SUPERVISE_FAIL;
	}
	if (r < 0) {
		errx("cannot read profile '%s': %s: %s", name, sqlite3_db_filename(db, "main"),
		     sqlite3_errmsg(db));
		return EXIT_SUPERVISE_FAIL;
	}
	return _write_text(text, file);
}

/* _import_name - NAME, or FILE's basename without ".profile". malloc'd. */
static char *_import_name(const char *file, const char *name)
{
	const char *b = strrchr(file, '/');
	char *n = xstrdup(name ? name : b ? b + 1 : file);
	size_t len = strlen(n);

	if (!name && len > 8 && !strcmp(n + len - 8, ".profile"))
		n[len - 8] = 0;
	return n;
}

/* _import - parse FILE (errors name file and line) and store it as NAME. */
static int _import(sqlite3 *db, const char *file, const char *name_arg)
{
	_cleanup_free_ char *text = profile_read_file(file), *name = NULL;
	struct profile p = { 0 };
	char err[512];
	int r;

	if (!text) {
		errx("%s: %s", file, errno == EINVAL ? "not a text file" : strerror(errno));
		return EXIT_SUPERVISE_FAIL;
	}
	name = _import_name(file, name_arg);
	if (!profile_name_valid(name)) {
		errx("'%s' is not a valid profile name (1-64 of A-Z a-z 0-9 . _ + -)", name);
		return EXIT_SUPERVISE_FAIL;
	}
	r = profile_parse_full(db, text, file, getenv("HOME"), &p, err, sizeof(err));
	if (r == 0 && (r = db_profile_put(db, name, text, &p)) < 0)
		snprintf(err, sizeof(err), "cannot store profile '%s'", name);
	if (r == 0)
		info("imported profile '%s' (%zu rules)", name, p.n);
	policy_free(&p);
	if (r < 0)
		errx("%s", err);
	return r < 0 ? EXIT_SUPERVISE_FAIL : 0;
}

/* _diff - compare the profiles SPEC_A and SPEC_B, each a file or a stored name resolved as for
 * --enforce (profile_load), and print their own lines that differ (policy_diff_render, labelled
 * with the specs as given). Returns, as diff(1) does: 0 when they are the same (nothing printed),
 * 1 when they differ, 125 after one error line (a profile that does not load, a write error). */
static int _diff(sqlite3 *db, const char *spec_a, const char *spec_b)
{
	struct profile a = { 0 }, b = { 0 };
	struct policy_diff d = { 0 };
	_cleanup_free_ char *text = NULL;
	const char *home = getenv("HOME");
	char err[512];
	int r = EXIT_SUPERVISE_FAIL;

	if (profile_load(db, spec_a, home, &a, err, sizeof(err)) < 0 ||
	    profile_load(db, spec_b, home, &b, err, sizeof(err)) < 0) {
		errx("%s", err);
		goto out;
	}
	if (policy_diff(&a, &b, &d) == 0) {
		r = 0;
		goto out;
	}
	text = policy_diff_render(&d, spec_a, spec_b);
	r = _write_text(text, NULL) ?: 1;
out:
	policy_diff_free(&d);
	policy_free(&a);
	policy_free(&b);
	return r;
}

/* _dispatch - run ACTION on the open DB. Returns the exit status (0, 1 for a diff that found
 * differences, 125) or -EINVAL after a usage line. */
static int _dispatch(sqlite3 *db, int argc, char **argv)
{
	const char *a = argv[0];

	if (!strcmp(a, "list"))
		return _args(argc, 0, 0, "list") ?: (db_profile_list(db, stdout) < 0 ? EXIT_SUPERVISE_FAIL : 0);
	if (!strcmp(a, "show"))
		return _args(argc, 1, 1, "show NAME") ?: _show(db, argv[1], NULL);
	if (!strcmp(a, "export"))
		return _args(argc, 1, 2, "export NAME [FILE]") ?: _show(db, argv[1], argv[2]);
	if (!strcmp(a, "import"))
		return _args(argc, 1, 2, "import FILE [NAME]") ?: _import(db, argv[1], argv[2]);
	if (!strcmp(a, "delete")) {
		int r;
		if (_args(argc, 1, 1, "delete NAME"))
			return EXIT_SUPERVISE_FAIL;
		r = db_profile_delete(db, argv[1]);
		if (r == -ENOENT)
			errx("no profile named '%s'", argv[1]);
		return r < 0 ? EXIT_SUPERVISE_FAIL : 0;
	}
	if (!strcmp(a, "diff"))
		return _args(argc, 2, 2, "diff A B") ?: _diff(db, argv[1], argv[2]);
	errx("profile: unknown action '%s' (list, show, export, import, delete, diff)", a);
	return EXIT_SUPERVISE_FAIL;
}

int cmd_profile(const char *dbpath, int argc, char **argv)
{
	sqlite3 *db = cmd_db_open(dbpath);
	int r;

	if (!db)
		return EXIT_SUPERVISE_FAIL;
	r = _dispatch(db, argc, argv);
	db_close(db);
	return r < 0 ? EXIT_SUPERVISE_FAIL : r;
}
