/* test_sysgroups.c - unit tests for the syscall allowlist: groups, tokens, profile "syscalls"
 * lines, and learn's rendering of them (policy/sysgroups.c, policy/parse.c, learn/syslearn.c). */
#include "unit.h"

#include <errno.h>
#include <stdio.h>
#include <sys/syscall.h>

#include "../../common/util.h"
#include "../../learn/syslearn.h"
#include "../../policy/policy.h"
#include "../../policy/sysgroups.h"

/* parse - policy_parse TEXT as "t.profile" into *P; returns its result, the error in ERR. */
static int parse(const char *text, struct profile *p, char *err, size_t errlen)
{
	return policy_parse(text, "t.profile", "/home/u", p, err, errlen);
}

/* What ordinary programs need is in @default; what reaches around a sandbox or changes the
 * system is not. */
static void test_default_members(void **state)
{
	static const int in[] = { SYS_read, SYS_write, SYS_openat, SYS_execve, SYS_clone, SYS_mmap,
				  SYS_connect, SYS_futex, SYS_rt_sigaction, SYS_clock_nanosleep,
				  SYS_getdents64, SYS_ioctl, SYS_uname, SYS_pipe2, SYS_epoll_wait,
				  SYS_landlock_create_ruleset, SYS_fchownat };
	static const int out[] = { SYS_mount, SYS_ptrace, SYS_setuid, SYS_unshare, SYS_setns,
				   SYS_init_module, SYS_reboot, SYS_bpf, SYS_keyctl, SYS_kexec_load,
				   SYS_settimeofday, SYS_ioprio_set, SYS_process_vm_readv, SYS_chroot,
				   SYS_io_uring_setup, SYS_perf_event_open, SYS_capset };
	struct sysset s;

	(void)state;
	sysset_default(&s);
	for (size_t i = 0; i < ARRAY_SIZE(in); i++)
		assert_true(sysset_has(&s, in[i]));
	for (size_t i = 0; i < ARRAY_SIZE(out); i++)
		assert_false(sysset_has(&s, out[i]));
	assert_true(sysset_count(&s) > 200);
}

/* Tokens apply in order to the set; groups nest; malformed and unknown tokens change nothing. */
static void test_apply(void **state)
{
	struct sysset s, before;

	(void)state;
	memset(&s, 0, sizeof(s));
	assert_int_equal(sysset_apply(&s, "@basic-io"), 0);
	assert_true(sysset_has(&s, SYS_read));
	assert_false(sysset_has(&s, SYS_openat));
	assert_int_equal(sysset_apply(&s, "-read"), 0);
	assert_false(sysset_has(&s, SYS_read));
	assert_int_equal(sysset_apply(&s, "+ptrace"), 0);
	assert_true(sysset_has(&s, SYS_ptrace));
	assert_int_equal(sysset_apply(&s, "+@privileged"), 0);	/* nests @mount, @setuid... */
	assert_true(sysset_has(&s, SYS_mount));
	assert_true(sysset_has(&s, SYS_setresuid));
	assert_int_equal(sysset_apply(&s, "-@mount"), 0);
	assert_false(sysset_has(&s, SYS_mount));
	assert_true(sysset_has(&s, SYS_setresuid));
	assert_int_equal(sysset_apply(&s, "uname"), 0);	/* a bare name adds */
	assert_true(sysset_has(&s, SYS_uname));
	assert_int_equal(sysset_apply(&s, "+300"), 0);	/* a number */
	assert_true(sysset_has(&s, 300));
	before = s;
	assert_int_equal(sysset_apply(&s, "+nosuchcall"), -ENOENT);
	assert_int_equal(sysset_apply(&s, "@nosuchgroup"), -ENOENT);
	assert_int_equal(sysset_apply(&s, "-@"), -EINVAL);
	assert_int_equal(sysset_apply(&s, "+"), -EINVAL);
	assert_int_equal(sysset_apply(&s, "+99999"), -ENOENT);
	assert_memory_equal(&s, &before, sizeof(s));
	/* known to libseccomp, but not an x86_64 syscall: accepted, adds nothing */
	assert_int_equal(sysset_apply(&s, "+socketcall"), 0);
	assert_memory_equal(&s, &before, sizeof(s));
}

static void test_names(void **state)
{
	char *n;

	(void)state;
	assert_int_equal(sys_nr("openat"), SYS_openat);
	assert_int_equal(sys_nr("42"), 42);
	assert_int_equal(sys_nr("nosuchcall"), -1);
	n = sys_name(SYS_openat);
	assert_string_equal(n, "openat");
	free(n);
	n = sys_name(SYSSET_MAX - 1);	/* no name: its number */
	assert_string_equal(n, "511");
	free(n);
	assert_true(sys_essential(SYS_execve));
	assert_true(sys_essential(SYS_write));
	assert_false(sys_essential(SYS_uname));
	assert_non_null(sysgroup_members("@default"));
	assert_null(sysgroup_members("@nope"));
	assert_string_equal(sysgroup_names()[0], "@default");
}

/* "syscalls" lines parse into tokens, render back as written, and resolve in order. */
static void test_profile_lines(void **state)
{
	struct profile p = { 0 };
	struct sysset s;
	char err[256] = "";
	char *text;

	(void)state;
	assert_int_equal(parse("read /etc\n", &p, err, sizeof(err)), 0);
	assert_false(policy_syscalls(&p, &s));	/* no line: no list */
	assert_int_equal(sysset_count(&s), 0);
	policy_free(&p);

	assert_int_equal(parse("syscalls @default -uname\nread /etc\nsyscalls +ptrace +uname\n", &p, err,
			       sizeof(err)), 0);
	assert_true(policy_syscalls(&p, &s));
	assert_true(sysset_has(&s, SYS_uname));	/* added back by the later line */
	assert_true(sysset_has(&s, SYS_ptrace));
	assert_true(sysset_has(&s, SYS_openat));
	text = policy_render(&p);
	assert_non_null(strstr(text, "syscalls @default -uname\nsyscalls +ptrace +uname\n"));
	free(text);
	policy_free(&p);
}

/* Bad lines name the file, the line and the problem. */
static void test_profile_errors(void **state)
{
	static const struct {
		const char *text, *err;
	} cases[] = {
		{ "read /\nsyscalls\n", "t.profile:2: 'syscalls' needs @GROUP, +NAME or -NAME" },
		{ "syscalls @default +frobnicate\n", "t.profile:1: unknown syscall 'frobnicate'" },
		{ "syscalls @nope\n", "t.profile:1: unknown syscall group '@nope' (see doc/syscall-groups.md)" },
		{ "syscalls -@\n", "t.profile:1: '-@' is not @GROUP, +NAME or -NAME" },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct profile p = { 0 };
		char err[256] = "";

		assert_int_equal(parse(cases[i].text, &p, err, sizeof(err)), -EINVAL);
		assert_string_equal(err, cases[i].err);
		policy_free(&p);
	}
}

/* An included profile's tokens come first, so the including profile's own adjust them. */
static void test_included_first(void **state)
{
	struct profile inc = { 0 }, p = { 0 };
	struct sysset s;
	char err[256] = "", *text;

	(void)state;
	assert_int_equal(parse("syscalls @default\n", &inc, err, sizeof(err)), 0);
	assert_int_equal(parse("syscalls -uname\n", &p, err, sizeof(err)), 0);
	policy_merge_included(&p, &inc);
	assert_true(policy_syscalls(&p, &s));
	assert_false(sysset_has(&s, SYS_uname));
	assert_true(sysset_has(&s, SYS_read));
	text = policy_render(&p);	/* the inherited tokens are not the profile's own */
	assert_string_equal(text, "syscalls -uname\n");
	free(text);
	policy_free(&inc);
	policy_free(&p);
}

/* Learn writes @default plus what was used beyond it; it extends an existing list with what that
 * list lacks, and leaves a profile written without a list without one. */
static void test_learn_render(void **state)
{
	struct profile p = { 0 };
	struct sysset used;
	char err[256] = "", *text;
	size_t n;

	(void)state;
	memset(&used, 0, sizeof(used));
	text = syslearn_render(&used, &p, true, &n);
	assert_string_equal(text, "syscalls @default\n");
	assert_int_equal(n, 0);
	free(text);

	sysset_add(&used, SYS_ioprio_get);
	sysset_add(&used, SYS_ptrace);
	text = syslearn_render(&used, &p, true, &n);
	assert_string_equal(text, "syscalls @default\nsyscalls +ptrace +ioprio_get\n");
	assert_int_equal(n, 2);
	free(text);

	text = syslearn_render(&used, &p, false, &n);	/* existing, no list */
	assert_string_equal(text, "");
	assert_int_equal(n, 0);
	free(text);

	assert_int_equal(parse("syscalls @default -uname\nsyscalls +ptrace\n", &p, err, sizeof(err)), 0);
	text = syslearn_render(&used, &p, false, &n);
	assert_string_equal(text, "syscalls @default -uname\nsyscalls +ptrace\nsyscalls +ioprio_get\n");
	assert_int_equal(n, 1);
	free(text);
	policy_free(&p);
}

/* doc/syscall-groups.md lists every group of the code, with its members. */
static void test_doc_lists_groups(void **state)
{
	FILE *f = fopen("doc/syscall-groups.md", "r");
	char *doc = NULL;
	size_t cap = 0;

	(void)state;
	if (!f)	/* run from the build directory's parent, as tests/run.sh does */
		f = fopen("../doc/syscall-groups.md", "r");
	assert_non_null(f);
	assert_true(getdelim(&doc, &cap, '\0', f) > 0);
	fclose(f);
	for (const char *const *g = sysgroup_names(); *g; g++) {
		char *row = xasprintf("| `%s` | ", *g);
		char *at = strstr(doc, row);

		assert_non_null(at);
		for (const char *const *m = sysgroup_members(*g); *m; m++) {
			char *eol = strchr(at, '\n');

			*eol = '\0';
			assert_non_null(strstr(at, *m));
			*eol = '\n';
		}
		free(row);
	}
	free(doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_default_members),
		cmocka_unit_test(test_apply),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_profile_lines),
		cmocka_unit_test(test_profile_errors),
		cmocka_unit_test(test_included_first),
		cmocka_unit_test(test_learn_render),
		cmocka_unit_test(test_doc_lists_groups),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
