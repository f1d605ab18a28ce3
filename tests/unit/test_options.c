/* test_options.c - the profile's run options (policy/options.c): parsing, errors, render,
 * inheritance and the environment scrub (pure). */
#include "unit.h"

#include <errno.h>
#include <stdio.h>
#include <sys/resource.h>

#include "../../jail/landlock.h"
#include "../../policy/policy.h"

/* parse - TEXT into *P; returns policy_parse's result, the error in ERR. */
static int parse(const char *text, struct profile *p, char *err, size_t len)
{
	memset(p, 0, sizeof(*p));
	return policy_parse(text, "t", "/home/u", p, err, len);
}

static void test_sizes(void **state)
{
	static const struct { const char *s; int r; uint64_t v; } t[] = {
		{ "0", 0, 0 }, { "1024", 0, 1024 }, { "8k", 0, 8192 }, { "1M", 0, 1 << 20 },
		{ "2G", 0, 2ULL << 30 }, { "unlimited", 0, OPTS_UNLIMITED }, { "", -EINVAL, 0 },
		{ "1T", -EINVAL, 0 }, { "1kk", -EINVAL, 0 }, { "-1", -EINVAL, 0 }, { "k", -EINVAL, 0 },
		{ "99999999999999999999", -ERANGE, 0 }, { "17179869184G", -ERANGE, 0 },
	};
	(void)state;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		uint64_t v = 0;

		assert_int_equal(opts_parse_size(t[i].s, &v), t[i].r);
		if (t[i].r == 0)
			assert_true(v == t[i].v);
	}
}

static void test_parse_and_render(void **state)
{
	struct profile p;
	char err[256], *text;

	(void)state;
	assert_int_equal(parse("rlimit stack 1M\nrlimit nofile 64\nproc none\nhome persist\n"
			       "caps net_raw CAP_NET_BIND_SERVICE\nenv keep GH_*\n"
			       "env set A b  c\n", &p, err, sizeof(err)), 0);
	assert_true(p.opts.rlim_set[2] && p.opts.rlim[2] == 1 << 20);
	assert_int_equal(opts_rlimit_resource(2), RLIMIT_STACK);
	assert_true(p.opts.rlim_set[0] && p.opts.rlim[0] == 64);
	assert_true(p.opts.no_proc);
	assert_int_equal(p.opts.home, HOME_PERSIST);
	assert_true(p.opts.caps == ((1ULL << 13) | (1ULL << 10)));
	assert_int_equal(p.opts.nenv, 2);
	assert_string_equal(p.opts.env[1].value, "b c");
	text = policy_render(&p);
	assert_string_equal(text, "rlimit stack 1M\nrlimit nofile 64\nproc none\nhome persist\n"
			    "caps net_raw CAP_NET_BIND_SERVICE\nenv keep GH_*\nenv set A b c\n");
	free(text);
	policy_free(&p);
}

static void test_errors(void **state)
{
	static const struct { const char *text, *err; } t[] = {
		{ "rlimit stack\n", "t:1: 'rlimit' takes a resource" },
		{ "rlimit heap 1\n", "t:1: unknown rlimit resource 'heap'" },
		{ "rlimit cpu 1\nrlimit cpu 2\n", "t:2: 'rlimit cpu' already given on line 1" },
		{ "proc\n", "t:1: 'proc' takes none" },
		{ "home\n", "t:1: 'home' takes one of tmpfs, persist, none" },
		{ "home tmpfs\nhome none\n", "t:2: 'home' already given on line 1" },
		{ "caps\n", "t:1: 'caps' needs one or more" },
		{ "caps fly\n", "t:1: unknown capability 'fly'" },
		{ "caps sys_admin\n", "t:1: capability 'sys_admin' would let the program leave" },
		{ "caps dac_read_search\n", "t:1: capability 'dac_read_search' would let" },
		{ "env\n", "t:1: 'env' takes keep PATTERN" },
		{ "env set 1A x\n", "t:1: env set: '1A' is not a variable name" },
		{ "env unset A-B\n", "t:1: env unset: 'A-B' is not a variable name" },
		{ "landlock\n", "t:1: 'landlock' takes fs or off" },
		{ "landlock fs net\n", "t:1: 'landlock' takes fs or off" },
		{ "landlock on\n", "t:1: 'landlock' takes fs or off" },
		{ "landlock fs\nlandlock off\n", "t:2: 'landlock' already given on line 1" },
	};
	(void)state;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct profile p;
		char err[256] = "";

		assert_int_equal(parse(t[i].text, &p, err, sizeof(err)), -EINVAL);
		if (strncmp(err, t[i].err, strlen(t[i].err)))
			fail_msg("'%s': got '%s', want '%s...'", t[i].text, err, t[i].err);
		policy_free(&p);
	}
}

static void test_merge_included(void **state)
{
	struct profile a, b;
	char err[256], *text;

	(void)state;
	assert_int_equal(parse("rlimit stack 1M\nhome tmpfs\n", &a, err, sizeof(err)), 0);
	assert_int_equal(parse("rlimit stack 2M\nrlimit core 0\nhome none\nproc none\ncaps kill\n"
			       "env keep X\n", &b, err, sizeof(err)), 0);
	policy_merge_included(&a, &b);
	assert_true(a.opts.rlim[2] == 1 << 20);		/* its own line wins */
	assert_true(a.opts.rlim_set[6] && a.opts.rlim[6] == 0);
	assert_int_equal(a.opts.home, HOME_TMPFS);
	assert_true(a.opts.no_proc);
	assert_true(a.opts.caps == 1ULL << 5);
	assert_int_equal(a.opts.nenv, 1);
	text = policy_render(&a);	/* the included lines are not rendered */
	assert_string_equal(text, "rlimit stack 1M\nhome tmpfs\n");
	free(text);
	policy_free(&a);
	policy_free(&b);
}

/* has - whether ENV holds the entry S. */
static bool has(char **env, const char *s)
{
	for (size_t i = 0; env[i]; i++)
		if (!strcmp(env[i], s))
			return true;
	return false;
}

static void test_env_build(void **state)
{
	char *envp[] = { "GITHUB_TOKEN=t", "SSH_AUTH_SOCK=/s", "API_KEY=k", "AWS_REGION=r",
			 "PATH=/bin", "KEYBOARD=us", "HOME=/home/u", NULL };
	char *extra[] = { "HOME", "USER=nobody", NULL };
	struct profile p;
	char err[256], **env;

	(void)state;
	assert_true(opts_env_scrubbed("GITHUB_TOKEN") && opts_env_scrubbed("AWS_X"));
	assert_false(opts_env_scrubbed("KEYBOARD") || opts_env_scrubbed("TOKEN"));
	env = opts_env_build(envp, NULL, true, NULL);
	assert_true(has(env, "PATH=/bin") && has(env, "KEYBOARD=us") && has(env, "HOME=/home/u"));
	assert_false(has(env, "GITHUB_TOKEN=t") || has(env, "SSH_AUTH_SOCK=/s") ||
		     has(env, "API_KEY=k") || has(env, "AWS_REGION=r"));
	opts_env_free(env);
	env = opts_env_build(envp, NULL, false, NULL);	/* no scrub: everything */
	assert_true(has(env, "GITHUB_TOKEN=t") && has(env, "AWS_REGION=r"));
	opts_env_free(env);
	assert_int_equal(parse("env keep GITHUB_*\nenv unset PATH\nenv keep AWS_*\n"
			       "env unset AWS_SECRET*\nenv set PATH /usr/bin\n", &p, err,
			       sizeof(err)), 0);
	env = opts_env_build(envp, &p.opts, true, extra);
	assert_true(has(env, "GITHUB_TOKEN=t") && has(env, "AWS_REGION=r"));
	assert_true(has(env, "PATH=/usr/bin") && has(env, "USER=nobody"));
	assert_false(has(env, "API_KEY=k") || has(env, "HOME=/home/u") || has(env, "PATH=/bin"));
	opts_env_free(env);
	policy_free(&p);
}

/* The "landlock" line: parsed, rendered, inherited unless the profile has its own, and the
 * layers it gives a jailed run (jail/landlock.h: landlock_layers, pure). */
static void test_landlock(void **state)
{
	struct profile a, b, c;
	char err[256], *text;

	(void)state;
	assert_int_equal(parse("landlock fs\n", &a, err, sizeof(err)), 0);
	assert_int_equal(a.opts.landlock, LANDLOCK_FS);
	text = policy_render(&a);
	assert_string_equal(text, "landlock fs\n");
	free(text);
	assert_int_equal(parse("landlock off\n", &b, err, sizeof(err)), 0);
	assert_int_equal(b.opts.landlock, LANDLOCK_OFF);
	policy_merge_included(&b, &a);	/* its own line wins */
	assert_int_equal(b.opts.landlock, LANDLOCK_OFF);
	assert_int_equal(parse("home tmpfs\n", &c, err, sizeof(err)), 0);
	assert_int_equal(c.opts.landlock, LANDLOCK_AUTO);
	policy_merge_included(&c, &a);	/* none of its own: the included one applies */
	assert_int_equal(c.opts.landlock, LANDLOCK_FS);
	assert_int_equal(landlock_layers(LANDLOCK_FS, true),
			 LANDLOCK_LAYER_FS | LANDLOCK_LAYER_SCOPE | LANDLOCK_LAYER_REQUIRED);
	assert_int_equal(landlock_layers(LANDLOCK_OFF, false), 0);
	assert_int_equal(landlock_layers(LANDLOCK_AUTO, true), LANDLOCK_LAYER_SCOPE);
	assert_int_equal(landlock_layers(LANDLOCK_AUTO, false),
			 LANDLOCK_LAYER_SCOPE | LANDLOCK_LAYER_FS);
	policy_free(&a);
	policy_free(&b);
	policy_free(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sizes),
		cmocka_unit_test(test_parse_and_render),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_merge_included),
		cmocka_unit_test(test_landlock),
		cmocka_unit_test(test_env_build),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
