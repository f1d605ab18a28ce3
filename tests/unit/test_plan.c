/* test_plan.c - the jail's mount plan from profile rules (pure). */
#include "unit.h"

#include <errno.h>

#include "../../jail/plan.h"

static struct profile prof;	/* the plan points at its rules: freed with the plan (done) */

static struct plan build(const char *text)
{
	struct plan pl = { 0 };
	char err[256];

	assert_int_equal(policy_parse(text, "t", "/home/u", &prof, err, sizeof(err)), 0);
	plan_build(&prof, &pl);
	return pl;
}

static void done(struct plan *pl)
{
	plan_free(pl);
	policy_free(&prof);
}

static const struct mop *find(const struct plan *pl, enum mop_kind k, const char *path)
{
	for (size_t i = 0; i < pl->n; i++)
		if (pl->v[i].kind == k && !strcmp(pl->v[i].path, path))
			return &pl->v[i];
	return NULL;
}

static size_t index_of(const struct plan *pl, const struct mop *m)
{
	return (size_t)(m - pl->v);
}

static void test_attrs_follow_rights(void **state)
{
	(void)state;
	assert_int_equal(plan_attrs(ACC_READ | ACC_STAT), MA_RDONLY | MA_NOSUID | MA_NODEV | MA_NOEXEC);
	assert_int_equal(plan_attrs(ACC_READ | ACC_EXEC), MA_RDONLY | MA_NOSUID | MA_NODEV);
	assert_int_equal(plan_attrs(ACC_READ | ACC_WRITE | ACC_CREATE), MA_NOSUID | MA_NODEV | MA_NOEXEC);
	assert_int_equal(plan_attrs(ACC_WRITE | ACC_EXEC), MA_NOSUID | MA_NODEV);
}

static void test_rights_on_one_path_unite(void **state)
{
	struct plan pl = build("read /srv\nexec /srv\nwrite /srv/w\nexec /srv/w\n");
	const struct mop *a = find(&pl, MOP_BIND, "/srv"), *b = find(&pl, MOP_BIND, "/srv/w");

	(void)state;
	assert_non_null(a);
	assert_non_null(b);
	assert_int_equal(a->attrs, MA_RDONLY | MA_NOSUID | MA_NODEV);
	assert_int_equal(b->attrs, MA_NOSUID | MA_NODEV);
	assert_true(index_of(&pl, a) < index_of(&pl, b));	/* parents first */
	done(&pl);
}

static void test_jail_mounts_and_order(void **state)
{
	struct plan pl = build("read /\nread /tmp/x\nread /proc/self\nread /dev/null\nread /dev/dri/card0\n");
	const struct mop *root = find(&pl, MOP_BIND, "/"), *tmp = find(&pl, MOP_TMPFS, "/tmp");
	const struct mop *x = find(&pl, MOP_BIND, "/tmp/x"), *card = find(&pl, MOP_BIND, "/dev/dri/card0");

	(void)state;
	assert_non_null(root);
	assert_non_null(tmp);
	assert_non_null(x);
	assert_non_null(find(&pl, MOP_DEV, "/dev"));
	assert_non_null(find(&pl, MOP_PROC, "/proc"));
	assert_null(find(&pl, MOP_BIND, "/proc/self"));	/* the jail's own /proc */
	assert_null(find(&pl, MOP_BIND, "/dev/null"));	/* the jail's own /dev */
	assert_non_null(card);
	assert_false(card->attrs & MA_NODEV);			/* a device rule is for opening it */
	assert_true(index_of(&pl, root) < index_of(&pl, tmp));	/* private /tmp over the host's */
	assert_true(index_of(&pl, tmp) < index_of(&pl, x));	/* named host file over it */
	done(&pl);
}

static void test_deny(void **state)
{
	struct plan pl = build("read /srv\ndeny /srv/secret\nread /opt/a\ndeny /opt/a\ndeny /elsewhere\n"
			       "deny /srv/*.key\n");
	const struct mop *b = find(&pl, MOP_BIND, "/srv"), *m = find(&pl, MOP_MASK, "/srv/secret");

	(void)state;
	assert_non_null(m);
	assert_true(index_of(&pl, b) < index_of(&pl, m));	/* the mask sits on the bind */
	assert_null(find(&pl, MOP_BIND, "/opt/a"));		/* deny beats an equal allow */
	assert_null(find(&pl, MOP_MASK, "/elsewhere"));		/* invisible anyway */
	assert_non_null(find(&pl, MOP_MASK, "/srv/*.key"));	/* wildcards masked where they match */
	done(&pl);
}

static void test_grants_and_tmpfs(void **state)
{
	struct plan pl = build("grant write ~/out\ntmpfs /scratch\ntmpfs /tmp\n");
	const struct mop *g = find(&pl, MOP_GRANT, "/home/u/out");

	(void)state;
	assert_non_null(g);
	assert_null(find(&pl, MOP_BIND, "/home/u/out"));	/* absent at start */
	assert_int_equal(g->attrs, MA_NOSUID | MA_NODEV | MA_NOEXEC);
	assert_non_null(find(&pl, MOP_TMPFS, "/scratch"));
	size_t tmps = 0;
	for (size_t i = 0; i < pl.n; i++)
		tmps += pl.v[i].kind == MOP_TMPFS && !strcmp(pl.v[i].path, "/tmp");
	assert_int_equal(tmps, 1);				/* the jail's /tmp, once */
	done(&pl);
}

/* A wildcard allow rule is not mounted; the rule added for each path it matched is. */
static void test_wildcard_allow_matches(void **state)
{
	struct plan pl;

	(void)state;
	pl = build("read /a\nread /tmp/tmp.*\n");
	policy_add_match(&prof, &prof.rules[1], "/tmp/tmp.Xa81Zk");
	plan_free(&pl);
	pl = (struct plan){ 0 };
	plan_build(&prof, &pl);
	assert_null(find(&pl, MOP_BIND, "/tmp/tmp.*"));
	assert_non_null(find(&pl, MOP_BIND, "/tmp/tmp.Xa81Zk"));
	assert_int_equal(find(&pl, MOP_BIND, "/tmp/tmp.Xa81Zk")->attrs, plan_attrs(ACC_READ | ACC_STAT));
	assert_string_equal(find(&pl, MOP_BIND, "/tmp/tmp.Xa81Zk")->rule->text, "read /tmp/tmp.*");
	done(&pl);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_attrs_follow_rights),
		cmocka_unit_test(test_rights_on_one_path_unite),
		cmocka_unit_test(test_jail_mounts_and_order),
		cmocka_unit_test(test_deny),
		cmocka_unit_test(test_grants_and_tmpfs),
		cmocka_unit_test(test_wildcard_allow_matches),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
