/* test_diff.c - unit tests for policy/diff.c (what changed between two profiles). */
#include "unit.h"

#include <stdio.h>

#include "../../common/util.h"
#include "../../policy/diff.h"
#include "../../policy/policy.h"

#define HOME "/home/u"

/* parse_ok - parse TEXT (named LABEL in errors) with HOME into *P, failing the test on an error. */
static void parse_ok(const char *text, const char *label, struct profile *p)
{
	char err[256] = "";

	if (policy_parse(text, label, HOME, p, err, sizeof(err)) != 0) {
		print_error("unexpected parse error: %s\n", err);
		fail();
	}
}

/* diff_text - the rendered diff of profile texts A and B, labelled "a" and "b"; *N receives the
 * number of lines policy_diff() returned. Returns malloc'd. */
static char *diff_text(const char *a, const char *b, size_t *n)
{
	struct profile pa = { 0 }, pb = { 0 };
	struct policy_diff d = { 0 };
	char *out;

	parse_ok(a, "a", &pa);
	parse_ok(b, "b", &pb);
	*n = policy_diff(&pa, &pb, &d);
	assert_int_equal(*n, d.n);
	out = policy_diff_render(&d, "a", "b");
	policy_diff_free(&d);
	assert_null(d.v);
	assert_int_equal(d.n, 0);
	policy_free(&pa);
	policy_free(&pb);
	return out;
}

static void test_diff_table(void **state)
{
	static const struct {
		const char *what, *a, *b, *want;
		size_t n;
	} t[] = {
		{ "both empty", "", "", "", 0 },
		{ "identical", "include base\nnet host\nread /usr\n",
		  "include base\nnet host\nread /usr\n", "", 0 },
		{ "order, comments, spacing and repeats do not matter",
		  "read /usr\nexec /usr/bin\nread /usr\n",
		  "# c\nexec   /usr/bin  # x\nread /usr\n", "", 0 },
		{ "one rule added, one removed",
		  "read /usr\nread /etc/hosts\n", "read /usr\nwrite /tmp/out\n",
		  "--- a\n+++ b\n- read /etc/hosts\n+ write /tmp/out\n", 2 },
		{ "everything added to an empty profile, grouped in render order",
		  "", "read /b\ninclude base\nconnect tcp 127.0.0.1:80\nexec /a\nnet loopback\n",
		  "--- a\n+++ b\n+ include base\n+ net loopback\n+ connect tcp 127.0.0.1:80\n"
		  "+ exec /a\n+ read /b\n", 5 },
		{ "everything removed",
		  "include base\nread /x\n", "",
		  "--- a\n+++ b\n- include base\n- read /x\n", 2 },
		{ "a changed kind at one path: the removed line first",
		  "write /x\n", "read /x\n", "--- a\n+++ b\n- write /x\n+ read /x\n", 2 },
		{ "file rules sorted by path",
		  "", "read /z\ndeny /a/b\nexec /a\n",
		  "--- a\n+++ b\n+ exec /a\n+ deny /a/b\n+ read /z\n", 3 },
		{ "rules compare by meaning: ~ and a trailing slash",
		  "read ~/notes\nwrite /tmp/\n", "read /home/u/notes\nwrite /tmp\n", "", 0 },
		{ "a grant is not the plain rule",
		  "read ~/.ssh\n", "grant read ~/.ssh\n",
		  "--- a\n+++ b\n- read ~/.ssh\n+ grant read ~/.ssh\n", 2 },
		{ "the net line: changed, and only one side has it",
		  "net none\n", "net host\n", "--- a\n+++ b\n- net none\n+ net host\n", 2 },
		{ "no net line is not 'net none'",
		  "read /x\n", "net none\nread /x\n", "--- a\n+++ b\n+ net none\n", 1 },
		{ "network rules by text",
		  "connect tcp 127.0.0.1:80\nbind udp *:53\n",
		  "bind   udp *:53\nconnect tcp 127.0.0.1:8080\n",
		  "--- a\n+++ b\n- connect tcp 127.0.0.1:80\n+ connect tcp 127.0.0.1:8080\n", 2 },
		{ "includes",
		  "include base\ninclude extra\n", "include extra\ninclude other\n",
		  "--- a\n+++ b\n- include base\n+ include other\n", 2 },
		{ "syscalls: the same tokens however split into lines",
		  "syscalls @default -uname\n", "syscalls @default\nsyscalls -uname\n", "", 0 },
		{ "syscalls: a line appended",
		  "syscalls @default\n", "syscalls @default\nsyscalls -uname\nread /x\n",
		  "--- a\n+++ b\n+ syscalls -uname\n+ read /x\n", 2 },
		{ "syscalls: order matters, kept in the edit script's order",
		  "syscalls @default\nsyscalls -uname\n", "syscalls -uname\nsyscalls @default\n",
		  "--- a\n+++ b\n- syscalls @default\n+ syscalls @default\n", 2 },
		{ "syscalls: a line changed between two that stay",
		  "syscalls @default\nsyscalls -uname\nsyscalls +ptrace\n",
		  "syscalls @default\nsyscalls -kill\nsyscalls +ptrace\n",
		  "--- a\n+++ b\n- syscalls -uname\n+ syscalls -kill\n", 2 },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(t); i++) {
		size_t n;
		char *got = diff_text(t[i].a, t[i].b, &n);

		if (strcmp(got, t[i].want) || n != t[i].n) {
			print_error("case '%s': got %zu lines\n%s\nwant %zu lines\n%s\n",
				    t[i].what, n, got, t[i].n, t[i].want);
			fail();
		}
		free(got);
	}
}

static void test_diff_swap(void **state)
{
	static const char a[] = "include base\nnet none\nread /usr\nsyscalls @default\n";
	static const char b[] = "include base\nnet host\nexec /usr/bin\nread /usr\n";
	size_t n1, n2;
	char *ab, *ba;

	(void)state;
	ab = diff_text(a, b, &n1);
	ba = diff_text(b, a, &n2);
	assert_string_equal(ab, "--- a\n+++ b\n- net none\n+ net host\n- syscalls @default\n"
				"+ exec /usr/bin\n");
	assert_string_equal(ba, "--- a\n+++ b\n- net host\n+ net none\n+ syscalls @default\n"
				"- exec /usr/bin\n");
	assert_int_equal(n1, n2);
	free(ab);
	free(ba);
}

static void test_diff_inherited_ignored(void **state)
{
	struct profile a = { 0 }, b = { 0 }, inc = { 0 };
	struct policy_diff d = { 0 };

	(void)state;
	parse_ok("include lib\nread /x\n", "a", &a);
	parse_ok("include lib\nread /x\n", "b", &b);
	parse_ok("exec /lib\nconnect tcp 10.0.0.1:1\nnet host\nsyscalls @default\n", "lib", &inc);
	policy_merge_included(&b, &inc);	/* only B has the included lines merged in */
	assert_int_equal(policy_diff(&a, &b, &d), 0);
	assert_int_equal(d.n, 0);
	policy_diff_free(&d);
	policy_free(&a);
	policy_free(&b);
	policy_free(&inc);
}

static void test_diff_cwd(void **state)
{
	size_t n;
	char *got;

	(void)state;
	policy_set_cwd("/w");
	got = diff_text("read $CWD/in\n", "read /w/in\nread $CWD/out\n", &n);
	assert_string_equal(got, "--- a\n+++ b\n+ read $CWD/out\n");
	assert_int_equal(n, 1);
	free(got);
	policy_set_cwd(NULL);
}

static void test_diff_render_empty(void **state)
{
	struct policy_diff d = { 0 };
	char *out;

	(void)state;
	out = policy_diff_render(&d, "x", "y");
	assert_string_equal(out, "");
	free(out);
	policy_diff_free(&d);	/* safe on a zeroed value */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_diff_table),
		cmocka_unit_test(test_diff_swap),
		cmocka_unit_test(test_diff_inherited_ignored),
		cmocka_unit_test(test_diff_cwd),
		cmocka_unit_test(test_diff_render_empty),
	};

	return cmocka_run_group_tests_name("diff", tests, NULL, NULL);
}
