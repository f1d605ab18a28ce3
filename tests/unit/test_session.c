/* test_session.c - unit tests for what the session logs and caches (trap/session.c), and for
 * the map behind both (common/strmap.c). No writer: the counts are read with session_tally. */
#include "unit.h"

#include <stdio.h>

#include "../../common/strmap.h"
#include "../../common/util.h"
#include "../../trap/session.h"

static void test_strmap(void **state)
{
	struct strmap m = { 0 };
	char key[32];
	int a = 1, b = 2;

	(void)state;
	assert_null(strmap_get(&m, "x", 0));
	assert_null(strmap_put(&m, "x", 0, &a));
	assert_ptr_equal(strmap_get(&m, "x", 0), &a);
	assert_null(strmap_get(&m, "x", 1));		/* the tag is part of the key */
	assert_null(strmap_put(&m, "x", 1, &b));
	assert_ptr_equal(strmap_put(&m, "x", 0, &b), &a);	/* replaced, the old value returned */
	assert_ptr_equal(strmap_get(&m, "x", 0), &b);
	for (int i = 0; i < 5000; i++) {	/* grows, and keeps every entry */
		snprintf(key, sizeof(key), "/k/%d", i);
		strmap_put(&m, key, (uint64_t)i, &a);
	}
	assert_int_equal(m.n, 5002);
	for (int i = 0; i < 5000; i++) {
		snprintf(key, sizeof(key), "/k/%d", i);
		assert_ptr_equal(strmap_get(&m, key, (uint64_t)i), &a);
		assert_null(strmap_get(&m, key, (uint64_t)i + 1));
	}
	strmap_free(&m);
	assert_null(strmap_get(&m, "x", 0));
}

/* A session under enforce with the profile TEXT, the cache on or off. */
struct fixture {
	struct profile prof;
	struct session s;
};

static void setup_session(struct fixture *f, const char *text, bool cache)
{
	char err[256];

	memset(f, 0, sizeof(*f));
	assert_int_equal(policy_parse(text, "t", "/home/u", &f->prof, err, sizeof(err)), 0);
	f->s.mode = MODE_ENFORCE;
	f->s.profile = &f->prof;
	f->s.quiet = true;
	f->s.cache = cache;
}

static void teardown_session(struct fixture *f)
{
	session_free(&f->s);
	policy_free(&f->prof);
}

/* open_req - a judged openat of PATH for ACC, with CANON as its resolved name (or NULL). */
static struct file_req open_req(const char *path, const char *canon, enum access acc)
{
	return (struct file_req){ .tid = 7, .syscall = "openat", .path = path, .canon = canon,
				  .access = acc, .exists = true, .judged = true };
}

static void test_allowed_calls_are_one_tallied_row(void **state)
{
	struct fixture f;
	struct file_req r = open_req("/usr/share/x", NULL, ACC_READ);

	(void)state;
	setup_session(&f, "read /usr/share\n", false);
	for (int i = 0; i < 1000; i++)
		assert_int_equal(session_file(&f.s, &r), 0);
	assert_int_equal(session_tally(&f.s, "/usr/share/x", "openat", ACC_READ), 1000);
	assert_int_equal(f.s.events, 1000);
	r.syscall = "execve";	/* another syscall is another row */
	r.access = ACC_EXEC;
	assert_int_equal(session_file(&f.s, &r), EACCES);
	assert_int_equal(session_tally(&f.s, "/usr/share/x", "execve", ACC_EXEC), 0);	/* denied */
	teardown_session(&f);

	setup_session(&f, "read /usr/share\n", false);
	f.s.log_all = true;	/* every call a row: nothing tallied */
	assert_int_equal(session_file(&f.s, &r), EACCES);
	r = open_req("/usr/share/x", NULL, ACC_READ);
	assert_int_equal(session_file(&f.s, &r), 0);
	assert_int_equal(session_tally(&f.s, "/usr/share/x", "openat", ACC_READ), 0);
	teardown_session(&f);
}

static void test_deferred_events_wait_for_the_answer(void **state)
{
	struct fixture f;
	struct file_req r = open_req("/usr/share/x", NULL, ACC_READ);

	(void)state;
	setup_session(&f, "read /usr/share\n", false);
	f.s.defer = true;
	assert_int_equal(session_file(&f.s, &r), 0);
	assert_int_equal(session_tally(&f.s, "/usr/share/x", "openat", ACC_READ), 0);
	session_commit(&f.s, false);	/* the call was gone before its answer */
	assert_int_equal(session_tally(&f.s, "/usr/share/x", "openat", ACC_READ), 0);
	assert_int_equal(session_file(&f.s, &r), 0);
	session_commit(&f.s, true);
	assert_int_equal(session_tally(&f.s, "/usr/share/x", "openat", ACC_READ), 1);
	teardown_session(&f);
}

/* cached - whether the cache answers R now (and if so, it counted the call). */
static bool cached(struct fixture *f, const char *path, enum access acc, bool judged)
{
	struct file_req r = open_req(path, NULL, acc);

	r.judged = judged;
	return session_cached(&f->s, &r);
}

static void test_cache_keeps_only_what_the_view_pins(void **state)
{
	struct fixture f;
	struct file_req r;
	uint64_t denials;

	(void)state;
	setup_session(&f, "read /usr\nwrite /srv/out\nread /srv/out/in\ndeny /usr/secret\ntmpfs /scratch\n",
		      true);
	assert_false(cached(&f, "/usr/lib/a", ACC_READ, true));	/* not decided yet */
	r = open_req("/usr/lib/a", NULL, ACC_READ);
	assert_int_equal(session_file(&f.s, &r), 0);
	assert_true(cached(&f, "/usr/lib/a", ACC_READ, true));
	assert_false(cached(&f, "/usr/lib/a", ACC_WRITE, true));	/* per access kind */
	assert_int_equal(session_tally(&f.s, "/usr/lib/a", "openat", ACC_READ), 2);

	/* a link on the way: cached only when every link passed and the result are pinned too */
	r = open_req("/usr/lib/link", "/usr/lib/target", ACC_READ);
	assert_int_equal(session_file(&f.s, &r), 0);
	assert_false(cached(&f, "/usr/lib/link", ACC_READ, true));	/* links unknown */
	{
		char *pinned_links[] = { "/usr/lib/link", NULL }, *open_links[] = { "/srv/out/l", NULL };

		r.links = pinned_links;
		assert_int_equal(session_file(&f.s, &r), 0);
		assert_true(cached(&f, "/usr/lib/link", ACC_READ, true));
		r = open_req("/usr/lib/link2", "/usr/lib/t2", ACC_READ);
		r.links = pinned_links;
		r.links_odd = true;	/* "x/../y" on the way */
		assert_int_equal(session_file(&f.s, &r), 0);
		assert_false(cached(&f, "/usr/lib/link2", ACC_READ, true));
		r = open_req("/usr/lib/link3", "/usr/lib/t3", ACC_READ);
		r.links = open_links;	/* a link where the program can write */
		assert_int_equal(session_file(&f.s, &r), 0);
		assert_false(cached(&f, "/usr/lib/link3", ACC_READ, true));
		r = open_req("/usr/lib/link4", "/srv/out/in/t4", ACC_READ);
		r.links = pinned_links;	/* leads where the program can write */
		assert_int_equal(session_file(&f.s, &r), 0);
		assert_false(cached(&f, "/usr/lib/link4", ACC_READ, true));
	}
	/* writable at or above the path (by a rule, or the jail's own /tmp): never cached, as the
	 * program could put a link there */
	r = open_req("/srv/out/in/f", NULL, ACC_READ);
	assert_int_equal(session_file(&f.s, &r), 0);
	assert_false(cached(&f, "/srv/out/in/f", ACC_READ, true));
	r = open_req("/tmp/f", NULL, ACC_READ);
	session_file(&f.s, &r);
	assert_false(cached(&f, "/tmp/f", ACC_READ, true));
	r = open_req("/scratch/f", NULL, ACC_READ);
	session_file(&f.s, &r);
	assert_false(cached(&f, "/scratch/f", ACC_READ, true));
	/* a denial is never cached: decided and counted each time */
	r = open_req("/usr/secret", NULL, ACC_READ);
	denials = f.s.denials;
	assert_int_equal(session_file(&f.s, &r), EACCES);
	assert_false(cached(&f, "/usr/secret", ACC_READ, true));
	assert_int_equal(session_file(&f.s, &r), EACCES);
	assert_int_equal(f.s.denials, denials + 2);
	/* a call the view alone decides (unjudged) is cached even where links may change */
	r = open_req("/srv/out/x", "/elsewhere", ACC_STAT);
	r.syscall = "newfstatat";
	r.judged = false;
	assert_int_equal(session_file(&f.s, &r), 0);
	r.canon = NULL;
	assert_true(session_cached(&f.s, &r));

	/* a changed view (a grant mounted) drops every entry */
	session_cache_drop(&f.s);
	assert_false(cached(&f, "/usr/lib/a", ACC_READ, true));
	r = open_req("/usr/lib/a", NULL, ACC_READ);
	assert_int_equal(session_file(&f.s, &r), 0);
	assert_true(cached(&f, "/usr/lib/a", ACC_READ, true));
	teardown_session(&f);

	setup_session(&f, "read /usr\n", false);	/* off (no jail): nothing is cached */
	r = open_req("/usr/lib/a", NULL, ACC_READ);
	assert_int_equal(session_file(&f.s, &r), 0);
	assert_false(cached(&f, "/usr/lib/a", ACC_READ, true));
	teardown_session(&f);
}

/* The memo of pinned directories answers each directory for itself, whatever order paths come in. */
static void test_pinned_directories_are_memoised_per_directory(void **state)
{
	static const struct {
		const char *path;
		bool cached;
	} t[] = {
		{ "/srv/x", true }, { "/srv/a/b/c", false }, { "/srv/a/y", true },
		{ "/srv/a/b/d/e", false }, { "/srv/a/bb", true }, { "/srv/a/b", false },
		{ "/srv/q/r/s", true }, { "/x", false },	/* no rule: denied, never cached */
	};
	struct fixture f;

	(void)state;
	setup_session(&f, "read /\nread /srv\nwrite /srv/a/b\ndeny /x\n", true);
	for (size_t i = 0; i < ARRAY_SIZE(t); i++) {
		struct file_req r = open_req(t[i].path, NULL, ACC_READ);

		session_file(&f.s, &r);
		if (cached(&f, t[i].path, ACC_READ, true) != t[i].cached) {
			print_error("%s: cached %d, want %d\n", t[i].path, !t[i].cached, t[i].cached);
			fail();
		}
	}
	teardown_session(&f);
}

/* Learn caches what it learned, drops it all on a change of names, and caches nothing more until
 * the thread that made the change has trapped again. */
static void test_learn_cache_and_changes(void **state)
{
	struct fixture f;
	struct file_req r = open_req("/opt/a", NULL, ACC_READ), ch;

	(void)state;
	setup_session(&f, "", true);
	f.s.mode = MODE_LEARN;
	assert_int_equal(session_file(&f.s, &r), 0);
	assert_true(session_cached(&f.s, &r));
	ch = open_req("/opt/new", NULL, ACC_CREATE);
	ch.renames = true;
	assert_false(session_cached(&f.s, &ch));	/* a change is always learned in full */
	assert_int_equal(session_file(&f.s, &ch), 0);	/* thread 7 creates a name */
	assert_false(session_cached(&f.s, &r));	/* everything dropped */
	r.tid = 8;
	assert_int_equal(session_file(&f.s, &r), 0);	/* while 7's change may run: not kept */
	assert_false(session_cached(&f.s, &r));
	r.tid = 7;	/* 7 traps again: its change is done */
	assert_int_equal(session_file(&f.s, &r), 0);
	assert_true(session_cached(&f.s, &r));
	session_names_change(&f.s, 9);	/* a chroot or a mount */
	r.tid = 8;
	assert_false(session_cached(&f.s, &r));
	assert_int_equal(session_tally(&f.s, "/opt/a", "openat", ACC_READ), 5);
	teardown_session(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_strmap),
		cmocka_unit_test(test_allowed_calls_are_one_tallied_row),
		cmocka_unit_test(test_deferred_events_wait_for_the_answer),
		cmocka_unit_test(test_cache_keeps_only_what_the_view_pins),
		cmocka_unit_test(test_pinned_directories_are_memoised_per_directory),
		cmocka_unit_test(test_learn_cache_and_changes),
	};

	return cmocka_run_group_tests_name("session", tests, NULL, NULL);
}
