/* test_path.c - unit tests for common/path.c (lexical path handling). */
#include "unit.h"

#include <stdio.h>

#include "../../common/path.h"
#include "../../common/util.h"

/* check_str - assert that GOT (malloc'd, freed here; may be NULL) equals WANT (may be NULL);
 * CASE names the table row in the failure message. */
static void check_str(char *got, const char *want, const char *what, size_t i)
{
	if ((got == NULL) != (want == NULL) || (got && strcmp(got, want) != 0)) {
		print_error("case %zu (%s): got '%s', want '%s'\n", i, what, got ? got : "(null)",
			    want ? want : "(null)");
		free(got);
		fail();
	}
	free(got);
}

static void test_join_normalize(void **state)
{
	static const struct {
		const char *base, *path, *want;
	} t[] = {
		{ NULL, "/a//b/./c/", "/a/b/c" },
		{ NULL, "/", "/" },
		{ NULL, "//", "/" },
		{ NULL, "/..", "/" },			/* ".." never escapes "/" */
		{ NULL, "/../../etc", "/etc" },
		{ NULL, "/a/../../b", "/b" },
		{ "/a/b", "../../../..", "/" },
		{ "/a/b", "../../../../etc/passwd", "/etc/passwd" },
		{ "/home/u", "x/../y", "/home/u/y" },
		{ "/home/u/", "./x", "/home/u/x" },
		{ "/", ".", "/" },
		{ "/b", "", "/b" },
		{ NULL, "/a/..b/...", "/a/..b/..." },	/* only exact "." and ".." are special */
		{ NULL, "/a/.b/.", "/a/.b" },
		{ "/ignored", "/abs/x", "/abs/x" },	/* BASE is unused for absolute paths */
		{ NULL, "rel", NULL },			/* relative needs a base */
		{ "relbase", "x", NULL },		/* ...and the base must be absolute */
		{ "", "x", NULL },
	};
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(t); i++)
		check_str(path_join_normalize(t[i].base, t[i].path), t[i].want, t[i].path, i);
}

static void test_is_under(void **state)
{
	static const struct {
		const char *path, *dir;
		bool want;
	} t[] = {
		{ "/a/b", "/a/b", true },
		{ "/a/b/c", "/a/b", true },
		{ "/a/b/c/d", "/a", true },
		{ "/a/bc", "/a/b", false },		/* component-wise, not a string prefix */
		{ "/a/b.txt", "/a/b", false },
		{ "/a", "/a/b", false },
		{ "/ab", "/a", false },
		{ "/x", "/", true },
		{ "/", "/", true },
		{ "/a/b", "/a/b/", true },
	};
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(t); i++) {
		if (path_is_under(t[i].path, t[i].dir) != t[i].want) {
			print_error("case %zu: '%s' under '%s'\n", i, t[i].path, t[i].dir);
			fail();
		}
	}
}

static void test_home_abbrev(void **state)
{
	static const struct {
		const char *path, *home, *want;
	} t[] = {
		{ "/home/u/x", "/home/u", "~/x" },
		{ "/home/u/a/b", "/home/u", "~/a/b" },
		{ "/home/u", "/home/u", "~" },
		{ "/home/u/x", "/home/u/", "~/x" },
		{ "/home/uu/x", "/home/u", "/home/uu/x" },	/* not a component prefix */
		{ "/home", "/home/u", "/home" },
		{ "/x", NULL, "/x" },
		{ "/x", "", "/x" },
		{ "/x", "/", "/x" },				/* HOME "/" never abbreviates */
		{ "home/u/x", "home/u", "home/u/x" },		/* relative HOME never abbreviates */
	};
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(t); i++)
		check_str(path_home_abbrev(t[i].path, t[i].home), t[i].want, t[i].path, i);
}

static void test_home_expand(void **state)
{
	static const struct {
		const char *path, *home, *want;
	} t[] = {
		{ "~", "/home/u", "/home/u" },
		{ "~/x", "/home/u", "/home/u/x" },
		{ "~/x", "/home/u/", "/home/u/x" },
		{ "~/", "/home/u", "/home/u/" },
		{ "~x", "/home/u", "~x" },		/* ~user is not expanded */
		{ "/abs", NULL, "/abs" },
		{ "rel", NULL, "rel" },
		{ "/a/~/b", "/home/u", "/a/~/b" },
		{ "~/x", "/", "/x" },
		{ "~", "/", "/" },
		{ "~/x", NULL, NULL },
		{ "~", NULL, NULL },
		{ "~/x", "", NULL },
		{ "~/x", "rel/home", NULL },
	};
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(t); i++)
		check_str(path_home_expand(t[i].path, t[i].home), t[i].want, t[i].path, i);
}

static void test_home_roundtrip(void **state)
{
	static const char *const paths[] = { "/home/u", "/home/u/a", "/home/u/a/b", "/etc/x" };
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(paths); i++) {
		char *a = path_home_abbrev(paths[i], "/home/u");

		check_str(path_home_expand(a, "/home/u"), paths[i], a, i);
		free(a);
	}
}

static void test_proc_self(void **state)
{
	static const struct {
		const char *path, *want;
	} t[] = {
		{ "/proc/self", "/proc/10" },
		{ "/proc/self/fd/3", "/proc/10/fd/3" },
		{ "/proc/thread-self", "/proc/10/task/11" },
		{ "/proc/thread-self/comm", "/proc/10/task/11/comm" },
		{ "/proc/selfish", "/proc/selfish" },
		{ "/proc/thread-selfie/x", "/proc/thread-selfie/x" },
		{ "/proc/1/self", "/proc/1/self" },
		{ "/proc", "/proc" },
		{ "/etc/passwd", "/etc/passwd" },
	};
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(t); i++)
		check_str(path_proc_self(t[i].path, 10, 11), t[i].want, t[i].path, i);
}

/* test_next_comp - path_next_comp: the components of a path, whatever its slashes, each "|"-joined
 * here; nothing but slashes left is NULL and leaves the length alone. */
static void test_next_comp(void **state)
{
	static const struct {
		const char *path, *want;
	} t[] = {
		{ "/a/bc/d", "a|bc|d" },
		{ "//a///b//", "a|b" },
		{ "a/b", "a|b" },			/* relative: the first component at once */
		{ "/./../x", ".|..|x" },		/* lexical: "." and ".." are components */
		{ "/**/*.c", "**|*.c" },
		{ "/", "" },
		{ "///", "" },
		{ "", "" },
	};
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(t); i++) {
		char got[64] = "";
		const char *c;
		size_t l = 99;

		for (c = path_next_comp(t[i].path, &l); c; c = path_next_comp(c + l, &l))
			snprintf(got + strlen(got), sizeof(got) - strlen(got), "%s%.*s",
				 got[0] ? "|" : "", (int)l, c);
		check_str(xstrdup(got), t[i].want, t[i].path, i);
	}
	{
		const char *s = "/ab/c";
		size_t l = 7;

		assert_null(path_next_comp("//", &l));
		assert_int_equal(l, 7);
		assert_ptr_equal(path_next_comp(s, &l), s + 1);
		assert_int_equal(l, 2);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_join_normalize),
		cmocka_unit_test(test_is_under),
		cmocka_unit_test(test_home_abbrev),
		cmocka_unit_test(test_home_expand),
		cmocka_unit_test(test_home_roundtrip),
		cmocka_unit_test(test_proc_self),
		cmocka_unit_test(test_next_comp),
	};

	return cmocka_run_group_tests_name("path", tests, NULL, NULL);
}
