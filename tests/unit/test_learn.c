/* test_learn.c - unit tests for learn/learn.c (aggregating accesses, rendering profiles). */
#include "unit.h"

#include <errno.h>
#include <stdio.h>

#include "../../common/util.h"
#include "../../learn/learn.h"

#define HOME "/home/u"

/* exists_fake - the injected existence check: paths containing "missing" do not exist. */
static bool exists_fake(const char *path)
{
	return strstr(path, "missing") == NULL;
}

/* parse_ok - parse TEXT with HOME into *P, failing the test on an error. */
static void parse_ok(const char *text, struct profile *p)
{
	char err[256] = "";

	if (policy_parse(text, "t.profile", HOME, p, err, sizeof(err)) != 0) {
		print_error("unexpected parse error: %s\nin:\n%s\n", err, text);
		fail();
	}
}

/* find - the entry of S for PATH, or NULL. */
static const struct learn_entry *find(const struct learn_set *s, const char *path)
{
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->v[i].path, path) == 0)
			return &s->v[i];
	return NULL;
}

static void test_add_merges(void **state)
{
	struct learn_set s = { 0 };

	(void)state;
	learn_add(&s, "/etc/passwd", ACC_READ);
	learn_add(&s, "/etc/passwd", ACC_STAT);
	learn_add(&s, "/etc/passwd", ACC_READ);
	learn_add(&s, "/tmp/x", ACC_CREATE);
	learn_add(&s, "tcp 127.0.0.1:80", ACC_CONNECT);	/* ignored by version 1 */
	learn_add(&s, "/run/sock", ACC_CONNECT);
	learn_add(&s, "relative", ACC_READ);		/* not a file object */
	assert_int_equal(s.n, 2);
	assert_int_equal(find(&s, "/etc/passwd")->access, ACC_READ | ACC_STAT);
	assert_int_equal(find(&s, "/tmp/x")->access, ACC_CREATE);
	learn_free(&s);
	assert_int_equal(s.n, 0);
	assert_null(s.index);
	learn_free(&s);	/* idempotent */
}

static void test_add_many(void **state)
{
	enum { N = 5000 };
	struct learn_set s = { 0 };
	char path[64];

	(void)state;
	for (int round = 0; round < 3; round++) {
		for (int i = N - 1; i >= 0; i--) {
			snprintf(path, sizeof(path), "/d/%05d", i);
			learn_add(&s, path, round == 2 && i % 2 ? ACC_WRITE : ACC_READ);
		}
	}
	assert_int_equal(s.n, N);
	learn_finish(&s);
	for (int i = 0; i < N; i++) {
		snprintf(path, sizeof(path), "/d/%05d", i);
		assert_string_equal(s.v[i].path, path);
		assert_int_equal(s.v[i].access, i % 2 ? ACC_READ | ACC_WRITE : ACC_READ);
	}
	/* the index still works after the sort */
	learn_add(&s, "/d/00042", ACC_EXEC);
	assert_int_equal(s.n, N);
	assert_int_equal(s.v[42].access, ACC_READ | ACC_EXEC);
	learn_free(&s);
}

static void test_count(void **state)
{
	struct learn_set s = { 0 };
	size_t r, w, x;

	(void)state;
	learn_add(&s, "/r1", ACC_READ);
	learn_add(&s, "/r2", ACC_STAT);
	learn_add(&s, "/w", ACC_WRITE);
	learn_add(&s, "/w", ACC_READ);
	learn_add(&s, "/c", ACC_CREATE);
	learn_add(&s, "/x", ACC_EXEC);
	learn_add(&s, "/xw", ACC_EXEC);
	learn_add(&s, "/xw", ACC_WRITE);
	learn_count(&s, &r, &w, &x);
	assert_int_equal(r, 2);
	assert_int_equal(w, 3);
	assert_int_equal(x, 2);
	learn_count(&s, NULL, NULL, NULL);
	learn_free(&s);
}

static const struct {
	const char *path;
	enum access acc;
} observed[] = {
	{ "/usr/bin/ls", ACC_EXEC },
	{ "/usr/bin/ls", ACC_READ },
	{ "/home/u/out.txt", ACC_CREATE },
	{ "/home/u/out.txt", ACC_WRITE },
	{ "/home/u/tool", ACC_WRITE },
	{ "/home/u/tool", ACC_EXEC },
	{ "/etc/passwd", ACC_READ },
	{ "/etc/missing.conf", ACC_STAT },		/* failed lookup: dropped */
	{ "/home/u/missing-new", ACC_CREATE },		/* created: kept */
	{ "/home/u/My Docs/a", ACC_READ },
	{ "/home/u", ACC_STAT },
	{ "/tmp/*", ACC_READ },				/* would be a glob: left out */
	{ "/tmp/a\nb", ACC_READ },			/* control character: left out */
	{ "tcp 127.0.0.1:80", ACC_CONNECT },
};

static const char learned_text[] =
	"# learned by supervise\n"
	"#\n"
	"# run 3\n"
	"\n"
	"net none\n"
	"\n"
	"# exec\n"
	"exec /usr/bin/ls\n"
	"exec ~/tool\n"
	"\n"
	"# write\n"
	"write ~/missing-new\n"
	"write ~/out.txt\n"
	"write ~/tool\n"
	"\n"
	"# read\n"
	"read /etc/passwd\n"
	"read ~\n"
	"read ~/My\\040Docs/a\n";

static void learn_observed(struct learn_set *s)
{
	for (size_t i = 0; i < ARRAY_SIZE(observed); i++)
		learn_add(s, observed[i].path, observed[i].acc);
}

static void test_render(void **state)
{
	struct learn_set s = { 0 };
	struct profile p = { 0 };
	size_t n = 0;
	char *text;

	(void)state;
	learn_observed(&s);
	text = learn_render(&s, NULL, HOME, exists_fake, "learned by supervise\n\nrun 3\n", &n);
	assert_string_equal(text, learned_text);
	assert_int_equal(n, 8);
	/* round trip: the text parses, and every kept access is allowed by it */
	parse_ok(text, &p);
	assert_int_equal(p.n, n);
	for (size_t i = 0; i < ARRAY_SIZE(observed); i++) {
		const char *path = observed[i].path;
		bool dropped = strstr(path, "/etc/missing") || strchr(path, '*') ||
			       strchr(path, '\n') || path[0] != '/';

		assert_int_equal(policy_decide(&p, path, observed[i].acc, NULL), !dropped);
	}
	/* ...and a read rule grants no write */
	assert_false(policy_decide(&p, "/etc/passwd", ACC_WRITE, NULL));
	policy_free(&p);
	free(text);
	learn_free(&s);
}

static void test_render_no_exists(void **state)
{
	struct learn_set s = { 0 };
	size_t n = 0;
	char *text;

	(void)state;
	learn_add(&s, "/etc/missing.conf", ACC_STAT);
	text = learn_render(&s, NULL, NULL, NULL, NULL, &n);
	assert_string_equal(text, "\nnet none\n\n# read\nread /etc/missing.conf\n");
	assert_int_equal(n, 1);
	free(text);
	learn_free(&s);
}

static void test_render_empty(void **state)
{
	struct learn_set s = { 0 };
	size_t n = 99;
	char *text;

	(void)state;
	text = learn_render(&s, NULL, HOME, exists_fake, NULL, &n);
	assert_string_equal(text, "\nnet none\n");
	assert_int_equal(n, 0);
	free(text);
	text = learn_render(&s, NULL, HOME, exists_fake, "only a header", NULL);
	assert_string_equal(text, "# only a header\n\nnet none\n");
	free(text);
	learn_free(&s);
}

static void test_merge_covered(void **state)
{
	static const char existing_text[] =
		"read /etc\n"
		"exec /usr/bin\n"
		"write ~\n"
		"deny ~/.ssh\n";
	struct learn_set s = { 0 };
	struct profile e = { 0 };
	size_t n = 0;
	char *text;

	(void)state;
	parse_ok(existing_text, &e);
	learn_add(&s, "/etc/passwd", ACC_READ);
	learn_add(&s, "/etc/hosts", ACC_STAT);
	learn_add(&s, "/usr/bin/ls", ACC_EXEC);
	learn_add(&s, "/usr/bin/ls", ACC_READ);
	learn_add(&s, "/home/u/x", ACC_WRITE);
	learn_add(&s, "/home/u/y", ACC_CREATE);
	learn_add(&s, "/home/u/.ssh/config", ACC_READ);	/* an explicit deny is kept */
	text = learn_render(&s, &e, HOME, exists_fake, NULL, &n);
	assert_string_equal(text,
			    "\nnet none\n"
			    "\n# exec\nexec /usr/bin\n"
			    "\n# write\nwrite ~\n"
			    "\n# read\nread /etc\n"
			    "\n# deny\ndeny ~/.ssh\n");
	assert_int_equal(n, 4);
	free(text);
	policy_free(&e);
	learn_free(&s);
}

static void test_merge_adds_missing(void **state)
{
	static const char existing_text[] =
		"# old comment is not kept\n"
		"read /etc\n"
		"read /usr\n"
		"exec /opt/t\n"
		"read ~/My\\040Docs\n";
	struct learn_set s = { 0 };
	struct profile e = { 0 }, p = { 0 };
	size_t n = 0;
	char *text;

	(void)state;
	parse_ok(existing_text, &e);
	learn_add(&s, "/etc/app.conf", ACC_WRITE);	/* read is not enough */
	learn_add(&s, "/usr/bin/ls", ACC_EXEC);
	learn_add(&s, "/usr/bin/ls", ACC_READ);
	learn_add(&s, "/opt/t", ACC_WRITE);		/* exec rule exists: add write only */
	learn_add(&s, "/opt/t", ACC_EXEC);
	learn_add(&s, "/home/u/My Docs/f", ACC_READ);	/* covered */
	text = learn_render(&s, &e, HOME, exists_fake, "merged", &n);
	assert_string_equal(text,
			    "# merged\n"
			    "\nnet none\n"
			    "\n# exec\nexec /opt/t\nexec /usr/bin/ls\n"
			    "\n# write\nwrite /etc/app.conf\nwrite /opt/t\n"
			    "\n# read\nread /etc\nread /usr\nread ~/My\\040Docs\n");
	assert_int_equal(n, 7);
	parse_ok(text, &p);
	assert_int_equal(p.n, n);
	assert_true(policy_decide(&p, "/home/u/My Docs/f", ACC_READ, NULL));
	assert_true(policy_decide(&p, "/opt/t", ACC_WRITE, NULL));
	policy_free(&p);
	free(text);
	policy_free(&e);
	learn_free(&s);
}

static void test_net_widens(void **state)
{
	struct learn_set ls = { 0 };
	struct profile ex = { 0 };
	char *text;

	(void)state;
	learn_net(&ls, "unix /run/x.sock");
	assert_int_equal(ls.net, NET_UNSET);
	learn_net(&ls, "tcp 127.0.0.1:80");
	learn_net(&ls, "udp [::1]:53");
	assert_int_equal(ls.net, NET_LOOPBACK);
	text = learn_render(&ls, NULL, HOME, exists_fake, NULL, NULL);
	assert_non_null(strstr(text, "net loopback\n"));
	free(text);
	learn_net(&ls, "tcp 93.184.216.34:443");
	assert_int_equal(ls.net, NET_HOST);
	learn_free(&ls);
	parse_ok("net host\nread /usr\n", &ex);	/* an existing wider line is kept */
	text = learn_render(&ls, &ex, HOME, exists_fake, NULL, NULL);
	assert_non_null(strstr(text, "net host\n"));
	free(text);
	policy_free(&ex);
	learn_free(&ls);
}

static void test_render_twice(void **state)
{
	struct learn_set s = { 0 };
	struct profile p = { 0 };
	char *a, *b;

	(void)state;
	learn_observed(&s);
	a = learn_render(&s, NULL, HOME, exists_fake, NULL, NULL);
	parse_ok(a, &p);
	/* learning the same run again on top of its own profile adds nothing */
	b = learn_render(&s, &p, HOME, exists_fake, NULL, NULL);
	assert_string_equal(a, b);
	free(a);
	free(b);
	policy_free(&p);
	learn_free(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_add_merges),
		cmocka_unit_test(test_add_many),
		cmocka_unit_test(test_count),
		cmocka_unit_test(test_render),
		cmocka_unit_test(test_render_no_exists),
		cmocka_unit_test(test_render_empty),
		cmocka_unit_test(test_merge_covered),
		cmocka_unit_test(test_merge_adds_missing),
		cmocka_unit_test(test_net_widens),
		cmocka_unit_test(test_render_twice),
	};

	return cmocka_run_group_tests_name("learn", tests, NULL, NULL);
}
