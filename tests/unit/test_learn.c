/* test_learn.c - unit tests for learn/learn.c (aggregating accesses, rendering profiles). */
#include "unit.h"

#include <errno.h>
#include <stdio.h>

#include "../../common/util.h"
#include "../../learn/learn.h"

#define HOME "/home/u"

static const struct learn_env env_home = { .home = HOME };

/* stat_fake - the injected type check: paths containing "missing" do not exist, HOME, paths whose
 * last component starts with "D" and the working directories of the tables are directories. */
static enum learn_ftype stat_fake(const char *path)
{
	const char *base = strrchr(path, '/');

	if (strstr(path, "missing"))
		return LEARN_MISSING;
	if (!strcmp(path, HOME) || (base && base[1] == 'D') || !strcmp(path, "/srv/proj") ||
	    !strcmp(path, "/") || !strcmp(path, "/etc"))
		return LEARN_DIR;
	return LEARN_FILE;
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
	{ "/home/u", ACC_STAT },			/* a directory looked up: no rule */
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
	text = learn_render(&s, NULL, &env_home, stat_fake, "learned by supervise\n\nrun 3\n", &n);
	assert_string_equal(text, learned_text);
	assert_int_equal(n, 7);
	/* round trip: the text parses, and every kept access is allowed by it */
	parse_ok(text, &p);
	assert_int_equal(p.n, n);
	for (size_t i = 0; i < ARRAY_SIZE(observed); i++) {
		const char *path = observed[i].path;
		bool dropped = strstr(path, "/etc/missing") || strchr(path, '*') ||
			       strchr(path, '\n') || path[0] != '/' || !strcmp(path, HOME);

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
	text = learn_render(&s, NULL, &env_home, stat_fake, NULL, &n);
	assert_string_equal(text, "\nnet none\n");
	assert_int_equal(n, 0);
	free(text);
	text = learn_render(&s, NULL, &env_home, stat_fake, "only a header", NULL);
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
	text = learn_render(&s, &e, &env_home, stat_fake, NULL, &n);
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
	text = learn_render(&s, &e, &env_home, stat_fake, "merged", &n);
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
	learn_net(&ls, "tcp 127.0.0.1:80");	/* the host's loopback: a private lo would miss it */
	learn_net(&ls, "udp [::1]:53");
	assert_int_equal(ls.net, NET_HOST);
	text = learn_render(&ls, NULL, &env_home, stat_fake, NULL, NULL);
	assert_non_null(strstr(text, "net host\n"));
	free(text);
	learn_net(&ls, "tcp 93.184.216.34:443");
	assert_int_equal(ls.net, NET_HOST);
	learn_free(&ls);
	parse_ok("net host\nread /usr\n", &ex);	/* an existing wider line is kept */
	text = learn_render(&ls, &ex, &env_home, stat_fake, NULL, NULL);
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
	a = learn_render(&s, NULL, &env_home, stat_fake, NULL, NULL);
	parse_ok(a, &p);
	/* learning the same run again on top of its own profile adds nothing */
	b = learn_render(&s, &p, &env_home, stat_fake, NULL, NULL);
	assert_string_equal(a, b);
	free(a);
	free(b);
	policy_free(&p);
	learn_free(&s);
}

#define CWD "/srv/proj"
#define RUNDIR "/run/user/1"

struct obs {
	const char *path;
	unsigned acc;
};

/* One generalisation case: observed accesses (ending at a NULL path), an optional existing
 * profile (own rules) and an optional included base (inherited rules), the expected rule lines. */
static const struct {
	const char *name;
	struct obs obs[12];
	const char *existing, *base;
	const char *rules;
} cases[] = {
	{ "created in the working directory: write on it, $CWD",
	  { { CWD "/out.o", ACC_CREATE | ACC_WRITE }, { CWD "/in.c", ACC_READ }, { NULL, 0 } },
	  NULL, NULL, "write $CWD\n" },
	{ "created and executed: exec and write on the directory",
	  { { CWD "/m", ACC_CREATE | ACC_WRITE }, { CWD "/m", ACC_EXEC }, { NULL, 0 } },
	  NULL, NULL, "exec $CWD\nwrite $CWD\n" },
	{ "created in a directory the run created: the nearest one it did not",
	  { { CWD "/r", ACC_CREATE }, { CWD "/r/.git", ACC_CREATE }, { CWD "/r/.git/HEAD", ACC_CREATE },
	    { NULL, 0 } },
	  NULL, NULL, "write $CWD\n" },
	{ "created under HOME itself: a rule on the file, never write ~",
	  { { HOME "/.hist", ACC_CREATE | ACC_WRITE }, { NULL, 0 } }, NULL, NULL, "write ~/.hist\n" },
	{ "created in a guarded tree: exact path",
	  { { "/etc/app/new.conf", ACC_CREATE }, { NULL, 0 } }, NULL, NULL,
	  "write /etc/app/new.conf\n" },
	{ "created in /tmp: covered by base's tmpfs",
	  { { "/tmp/ccA1b2C3.s", ACC_CREATE | ACC_WRITE | ACC_READ }, { NULL, 0 } }, NULL,
	  "tmpfs /tmp\n", "" },
	{ "created in /tmp and $XDG_RUNTIME_DIR without base: tmpfs rules",
	  { { "/tmp/tmp.x8Qa", ACC_CREATE }, { RUNDIR "/app.Zk29", ACC_CREATE }, { NULL, 0 } }, NULL,
	  NULL, "tmpfs $XDG_RUNTIME_DIR\ntmpfs /tmp\n" },
	{ "per-run names made by someone else in /tmp and $XDG_RUNTIME_DIR: globs",
	  { { "/tmp/tmp.n5zk8yRFGE", ACC_READ }, { "/tmp/tmpa8_x3kq1.txt", ACC_READ },
	    { RUNDIR "/app-Xy12ab/sock.in", ACC_READ }, { "/tmp/notes.txt", ACC_READ },
	    { NULL, 0 } }, NULL, "tmpfs /tmp\n",
	  "read $XDG_RUNTIME_DIR/app-*/sock.in\nread /tmp/notes.txt\nread /tmp/tmp*.txt\nread /tmp/tmp.*\n" },
	{ "a name made by someone else beside one the run created: no glob that shadows the tmpfs",
	  { { "/tmp/tmp.n5zk8yRFGE", ACC_CREATE | ACC_WRITE }, { "/tmp/tmp.Q7x2mZk9aB", ACC_READ },
	    { NULL, 0 } }, NULL, "tmpfs /tmp\n", "read /tmp/tmp.Q7x2mZk9aB\n" },
	{ "a listed directory: read fenced by deny, the used entry, a probe keeps ENOENT",
	  { { "/opt/app/Dplug", ACC_READ }, { "/opt/app/Dplug/a.so", ACC_READ },
	    { "/opt/app/Dplug/missing.so", ACC_STAT }, { NULL, 0 } },
	  NULL, NULL,
	  "read /opt/app/Dplug\nread /opt/app/Dplug/a.so\nread /opt/app/Dplug/missing.so\n"
	  "deny /opt/app/Dplug/*\n" },
	{ "listing /, HOME, or a guarded root: no rule",
	  { { "/", ACC_READ }, { HOME, ACC_READ }, { "/etc", ACC_READ }, { NULL, 0 } }, NULL, NULL,
	  "" },
	{ "a directory only looked up, and a failed lookup: no rule",
	  { { "/opt/Dx", ACC_STAT }, { "/opt/missing", ACC_STAT }, { NULL, 0 } }, NULL, NULL, "" },
	{ "4 entries read: the directory collapses",
	  { { "/opt/inc/a.h", ACC_READ }, { "/opt/inc/b.h", ACC_READ | ACC_STAT }, { "/opt/inc/c.h", ACC_READ },
	    { "/opt/inc/Dsys/d.h", ACC_READ }, { "/opt/inc/Dsys", ACC_READ }, { NULL, 0 } },
	  NULL, NULL, "read /opt/inc\n" },
	{ "entries only looked up do not count toward a collapse",
	  { { "/opt/bin/cc", ACC_READ }, { "/opt/bin/nm", ACC_STAT }, { "/opt/bin/strip", ACC_STAT },
	    { "/opt/bin/as", ACC_STAT }, { "/opt/bin/ld", ACC_READ }, { NULL, 0 } },
	  NULL, NULL, "read /opt/bin/as\nread /opt/bin/cc\nread /opt/bin/ld\nread /opt/bin/nm\n"
	  "read /opt/bin/strip\n" },
	{ "a listed directory whose entries were looked up (a tree walk) collapses, with its listed subtrees",
	  { { "/opt/Dw", ACC_READ }, { "/opt/Dw/a", ACC_STAT }, { "/opt/Dw/b", ACC_STAT },
	    { "/opt/Dw/Ds", ACC_READ }, { "/opt/Dw/Ds/x", ACC_STAT }, { "/opt/Dw/Ds/y", ACC_STAT },
	    { "/opt/Dw/Ds/z", ACC_STAT }, { "/opt/Dw/Ds/u", ACC_STAT }, { "/opt/Dw/c", ACC_STAT },
	    { NULL, 0 } },
	  NULL, NULL, "read /opt/Dw\n" },
	{ "3 entries read: no collapse",
	  { { "/opt/inc/a.h", ACC_READ }, { "/opt/inc/b.h", ACC_READ }, { "/opt/inc/c.h", ACC_READ },
	    { NULL, 0 } },
	  NULL, NULL, "read /opt/inc/a.h\nread /opt/inc/b.h\nread /opt/inc/c.h\n" },
	{ "only listed subdirectories do not make a collapse",
	  { { "/opt/t/Da", ACC_READ }, { "/opt/t/Db", ACC_READ }, { "/opt/t/Dc", ACC_READ },
	    { "/opt/t/Dd", ACC_READ }, { NULL, 0 } },
	  NULL, NULL,
	  "read /opt/t/Da\nread /opt/t/Db\nread /opt/t/Dc\nread /opt/t/Dd\n"
	  "deny /opt/t/Da/*\ndeny /opt/t/Db/*\ndeny /opt/t/Dc/*\ndeny /opt/t/Dd/*\n" },
	{ "exec rules do not count towards a collapse, and keep their rule below one",
	  { { "/opt/b/a", ACC_READ }, { "/opt/b/b", ACC_READ }, { "/opt/b/c", ACC_READ },
	    { "/opt/b/d", ACC_READ }, { "/opt/b/x", ACC_EXEC }, { NULL, 0 } },
	  NULL, NULL, "exec /opt/b/x\nread /opt/b\n" },
	{ "never collapsed into a top-level directory or above what base covers",
	  { { "/usr/a", ACC_READ }, { "/usr/b", ACC_READ }, { "/usr/c", ACC_READ },
	    { "/usr/d", ACC_READ }, { "/usr/share/e", ACC_READ }, { "/usr/share/f", ACC_READ },
	    { "/usr/share/g", ACC_READ }, { "/usr/share/h", ACC_READ }, { NULL, 0 } },
	  NULL, "read /usr/share/locale\n",
	  "read /usr/a\nread /usr/b\nread /usr/c\nread /usr/d\nread /usr/share/e\n"
	  "read /usr/share/f\nread /usr/share/g\nread /usr/share/h\n" },
	{ "guarded trees: exact paths only",
	  { { "/etc/x/a", ACC_READ }, { "/etc/x/b", ACC_READ }, { "/etc/x/c", ACC_READ },
	    { "/etc/x/d", ACC_READ }, { NULL, 0 } },
	  NULL, NULL, "read /etc/x/a\nread /etc/x/b\nread /etc/x/c\nread /etc/x/d\n" },
	{ "protected: warned grants, never collapsed, also when created",
	  { { HOME "/.ssh/id_rsa", ACC_READ }, { HOME "/.ssh/a", ACC_READ },
	    { HOME "/.ssh/b", ACC_READ }, { HOME "/.ssh/c", ACC_READ },
	    { HOME "/.ssh/known_hosts", ACC_CREATE }, { NULL, 0 } },
	  NULL, NULL,
	  "# WARNING: protected path, visible only from its first use; remove unless the program must use it\n"
	  "grant write ~/.ssh/known_hosts\n"
	  "# WARNING: protected path, visible only from its first use; remove unless the program must use it\n"
	  "grant read ~/.ssh/a\n"
	  "# WARNING: protected path, visible only from its first use; remove unless the program must use it\n"
	  "grant read ~/.ssh/b\n"
	  "# WARNING: protected path, visible only from its first use; remove unless the program must use it\n"
	  "grant read ~/.ssh/c\n"
	  "# WARNING: protected path, visible only from its first use; remove unless the program must use it\n"
	  "grant read ~/.ssh/id_rsa\n" },
	{ "/dev/pts/N is the devpts rule",
	  { { "/dev/pts/3", ACC_READ | ACC_WRITE }, { "/dev/pts/7", ACC_READ }, { NULL, 0 } }, NULL,
	  NULL, "write /dev/pts\n" },
	{ "behind a listing fence of the existing profile, new entries are learned",
	  { { "/opt/app/Dplug/new.so", ACC_READ }, { "/opt/app/Dplug/old.so", ACC_READ }, { NULL, 0 } },
	  "read /opt/app/Dplug\ndeny /opt/app/Dplug/*\nread /opt/app/Dplug/old.so\n", NULL,
	  "read /opt/app/Dplug\nread /opt/app/Dplug/new.so\nread /opt/app/Dplug/old.so\n"
	  "deny /opt/app/Dplug/*\n" },
	{ "a real deny still wins",
	  { { "/opt/secret/k", ACC_READ }, { NULL, 0 } }, "deny /opt/secret\n", NULL,
	  "deny /opt/secret\n" },
	{ "data files in $CWD with one extension: read $CWD/*.csv; dot files and subdirectories' are not counted",
	  { { CWD "/a.csv", ACC_READ }, { CWD "/b.csv", ACC_READ | ACC_STAT }, { CWD "/.h.csv", ACC_READ },
	    { CWD "/Dsub/c.csv", ACC_READ }, { NULL, 0 } },
	  NULL, NULL, "read $CWD/*.csv\nread $CWD/.h.csv\nread $CWD/Dsub/c.csv\n" },
	{ "one file of an extension, a looked-up one, a written one, an odd extension: their own rules",
	  { { CWD "/a.csv", ACC_READ }, { CWD "/b.txt", ACC_READ }, { CWD "/c.txt", ACC_STAT },
	    { CWD "/d.log", ACC_READ }, { CWD "/e.log", ACC_WRITE }, { NULL, 0 } },
	  NULL, NULL, "write $CWD/e.log\nread $CWD/a.csv\nread $CWD/b.txt\nread $CWD/c.txt\nread $CWD/d.log\n" },
	{ "the existing profile's pattern covers a new data file",
	  { { CWD "/x.log", ACC_READ }, { CWD "/y.log", ACC_READ }, { NULL, 0 } },
	  "read $CWD/*.log\n", NULL, "read $CWD/*.log\n" },
};

/* Cases of files named on the command line: the same, with the learned command line. */
static const struct {
	const char *name;
	struct obs obs[12];
	const char *existing, *base;
	const char *rules;
	const char *argv[6];
} arg_cases[] = {
	{ "a file an argument names (relative): read @arg, not its name",
	  { { CWD "/report-march.txt", ACC_READ | ACC_STAT }, { CWD "/notes", ACC_READ }, { NULL, 0 } },
	  NULL, NULL, "read $CWD/notes\nread @arg\n", { "wc", "-l", "report-march.txt" } },
	{ "outputs after -o and as --out=FILE: write @arg (also gives read), and created ones their directory's write",
	  { { CWD "/data-q1.csv", ACC_READ }, { CWD "/r.txt", ACC_CREATE | ACC_WRITE },
	    { "/srv/out/x.log", ACC_WRITE }, { NULL, 0 } },
	  NULL, NULL, "write $CWD\nwrite @arg\n",
	  { "python3", "data-q1.csv", "-o", "r.txt", "--log=/srv/out/x.log" } },
	{ "below a directory an argument names (tar): @arg covers it; an output under tmpfs /tmp is the host's",
	  { { CWD "/Dsrc", ACC_READ }, { CWD "/Dsrc/a", ACC_READ }, { CWD "/Dsrc/Dsub/s", ACC_READ },
	    { "/tmp/out.tar", ACC_CREATE | ACC_WRITE }, { NULL, 0 } },
	  NULL, "tmpfs /tmp\n", "write @arg\n", { "tar", "-cf", "/tmp/out.tar", "Dsrc/" } },
	{ "an output appended to, not created: write @arg alone",
	  { { CWD "/in.txt", ACC_READ }, { CWD "/log.txt", ACC_WRITE }, { NULL, 0 } },
	  NULL, NULL, "write @arg\nread $CWD/in.txt\n", { "tee", "-a", "log.txt" } },
	{ "an argument /usr or HOME covers only itself: what lies below gets its own rules",
	  { { "/usr", ACC_STAT }, { "/usr/lib/libc.so", ACC_READ }, { HOME "/notes.txt", ACC_READ },
	    { NULL, 0 } },
	  NULL, NULL, "read /usr/lib/libc.so\nread @arg\nread ~/notes.txt\n", { "du", "/usr", HOME } },
	{ "a protected argument is no @arg: a warned grant as before",
	  { { HOME "/.ssh/id_rsa", ACC_READ }, { NULL, 0 } }, NULL, NULL,
	  "# WARNING: protected path, visible only from its first use; remove unless the program must use it\n"
	  "grant read ~/.ssh/id_rsa\n", { "cat", HOME "/.ssh/id_rsa" } },
	{ "an executed argument and a per-run temporary name keep their rules",
	  { { CWD "/run.sh", ACC_EXEC }, { "/tmp/tmp.n5zk8yRFGE", ACC_READ }, { NULL, 0 } }, NULL,
	  "tmpfs /tmp\n", "exec $CWD/run.sh\nread /tmp/tmp.*\n",
	  { "env", "./run.sh", "/tmp/tmp.n5zk8yRFGE" } },
	{ "data files named as arguments are @arg, not a pattern",
	  { { CWD "/a.csv", ACC_READ }, { CWD "/b.csv", ACC_READ }, { NULL, 0 } }, NULL, NULL,
	  "read @arg\n", { "cat", "a.csv", "b.csv" } },
	{ "an argument the existing profile allows adds nothing; options and - name nothing",
	  { { "/opt/share/dict", ACC_READ }, { CWD "/-", ACC_READ }, { CWD "/-x", ACC_READ },
	    { NULL, 0 } },
	  "read /opt/share\n", NULL, "read $CWD/-\nread $CWD/-x\nread /opt/share\n",
	  { "look", "-x", "-", "/opt/share/dict" } },
};

/* rules_and_warnings - TEXT without blank lines, the net and include lines and comments other
 * than WARNING ones, one line each ending "\n". malloc'd. */
static char *rules_and_warnings(const char *text)
{
	char *out = xcalloc(1, strlen(text) + 1), *o = out;

	while (*text) {
		size_t len = strcspn(text, "\n");

		if (len && (text[0] != '#' || !strncmp(text, "# WARNING", 9)) &&
		    strncmp(text, "net ", 4) && strncmp(text, "include ", 8)) {
			memcpy(o, text, len);
			o += len;
			*o++ = '\n';
		}
		text += len + (text[len] == '\n');
	}
	return out;
}

/* check_case - learn OBS (ending at a NULL path) with ARGV (NULL: none) on top of EXISTING and
 * BASE (may be NULL) and compare the rule lines with RULES; the result must parse. */
static void check_case(const char *name, const struct obs *obs, const char *existing,
		       const char *base, const char *rules, const char *const *argv)
{
	const struct learn_env env = { .home = HOME, .cwd = CWD, .runtime_dir = RUNDIR,
				       .argv = (char *const *)argv };
	struct learn_set s = { 0 };
	struct profile e = { 0 }, b = { 0 }, p = { 0 };
	char *text, *got;

	if (existing)
		parse_ok(existing, &e);
	if (base) {
		parse_ok(base, &b);
		policy_merge_included(&e, &b);
	}
	for (size_t j = 0; obs[j].path; j++)
		learn_add(&s, obs[j].path, (enum access)obs[j].acc);
	text = learn_render(&s, &e, &env, stat_fake, NULL, NULL);
	got = rules_and_warnings(text);
	if (strcmp(got, rules)) {
		print_error("case '%s':\nwant:\n%s\ngot:\n%s\n", name, rules, got);
		fail();
	}
	parse_ok(text, &p);	/* it parses, with $CWD */
	free(got);
	free(text);
	policy_free(&p);
	policy_free(&b);
	policy_free(&e);
	learn_free(&s);
}

static void test_generalise(void **state)
{
	(void)state;
	policy_set_cwd(CWD);
	policy_set_var(PATH_VAR_RUNTIME, RUNDIR);
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
		check_case(cases[i].name, cases[i].obs, cases[i].existing, cases[i].base,
			   cases[i].rules, NULL);
	for (size_t i = 0; i < ARRAY_SIZE(arg_cases); i++)
		check_case(arg_cases[i].name, arg_cases[i].obs, arg_cases[i].existing,
			   arg_cases[i].base, arg_cases[i].rules, arg_cases[i].argv);
	policy_set_cwd(NULL);
	policy_set_var(PATH_VAR_RUNTIME, NULL);
}

/* The replayed accesses of a learned profile are allowed by it: each created, read and executed
 * path of a run, observed in one working directory, is allowed in another. */
static void test_cwd_moves(void **state)
{
	const struct learn_env env = { .home = HOME, .cwd = CWD };
	struct learn_set s = { 0 };
	struct profile p = { 0 };
	char *text;

	(void)state;
	learn_add(&s, CWD "/a.c", ACC_READ);
	learn_add(&s, CWD "/a.o", ACC_CREATE);
	learn_add(&s, CWD "/prog", ACC_CREATE);
	learn_add(&s, CWD "/prog", ACC_EXEC);
	text = learn_render(&s, NULL, &env, stat_fake, NULL, NULL);
	policy_set_cwd("/elsewhere/b");
	parse_ok(text, &p);
	assert_true(policy_decide(&p, "/elsewhere/b/a.c", ACC_READ, NULL));
	assert_true(policy_decide(&p, "/elsewhere/b/z.o", ACC_CREATE, NULL));
	assert_true(policy_decide(&p, "/elsewhere/b/prog", ACC_EXEC, NULL));
	assert_false(policy_decide(&p, CWD "/a.c", ACC_READ, NULL));
	policy_free(&p);
	policy_set_cwd(NULL);	/* $CWD unknown: the profile does not parse */
	{
		char err[256] = "";

		assert_int_equal(policy_parse(text, "t", HOME, &p, err, sizeof(err)), -EINVAL);
		assert_non_null(strstr(err, "needs the working directory"));
	}
	policy_free(&p);
	free(text);
	learn_free(&s);
}

static void test_classify(void **state)
{
	static const struct {
		const char *path;
		const char *protected_root;	/* NULL: not protected */
		bool guarded, collapsible, cwd_usable;
	} t[] = {
		{ HOME "/.ssh/id_rsa", HOME "/.ssh", false, false, false },
		{ HOME "/.ssh", HOME "/.ssh", false, false, false },
		{ HOME "/.sshx", NULL, false, true, true },
		{ HOME "/.netrc", HOME "/.netrc", false, false, false },
		{ HOME "/.local/share/keyrings/login.keyring", HOME "/.local/share/keyrings", false, false,
		  false },
		{ HOME "/.local/share", NULL, false, false, false },	/* above a protected root */
		{ HOME "/.config", NULL, false, false, false },
		{ HOME "/.config/app", NULL, false, true, true },
		{ HOME "/.mozilla/firefox/x.default", HOME "/.mozilla", false, false, false },
		{ HOME, NULL, false, false, false },
		{ "/home", NULL, false, false, false },
		{ "/", NULL, false, false, false },
		{ "/etc/ssl", NULL, true, false, false },
		{ "/etcetera/x", NULL, false, true, true },
		{ "/proc/self", NULL, true, false, false },
		{ "/run/user/1", NULL, true, false, false },
		{ "/dev/pts", NULL, true, false, false },
		{ "/opt", NULL, false, false, true },			/* top level */
		{ "/opt/app", NULL, false, true, true },
		{ "/srv/proj", NULL, false, true, true },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(t); i++) {
		char *prot = learn_protected(t[i].path, HOME);

		if (t[i].protected_root)
			assert_string_equal(prot, t[i].protected_root);
		else
			assert_null(prot);
		free(prot);
		if (learn_guarded(t[i].path) != t[i].guarded ||
		    learn_collapsible(t[i].path, HOME, NULL) != t[i].collapsible ||
		    learn_cwd_usable(t[i].path, HOME) != t[i].cwd_usable) {
			print_error("%s: guarded %d collapsible %d cwd %d\n", t[i].path,
				    learn_guarded(t[i].path), learn_collapsible(t[i].path, HOME, NULL),
				    learn_cwd_usable(t[i].path, HOME));
			fail();
		}
	}
	assert_null(learn_protected(HOME "/.ssh/x", NULL));
}

static void test_abbrev(void **state)
{
	static const struct {
		const char *path, *cwd, *want;
	} t[] = {
		{ "/srv/proj/a/b", "/srv/proj", "$CWD/a/b" },
		{ "/srv/proj", "/srv/proj", "$CWD" },
		{ "/srv/projx", "/srv/proj", "/srv/projx" },
		{ HOME "/src/p/x", HOME "/src/p", "$CWD/x" },	/* $CWD before ~ */
		{ HOME "/x", HOME, "~/x" },			/* HOME as cwd: ~ */
		{ "/etc/x", "/etc", "/etc/x" },			/* a guarded cwd is not a variable */
		{ "/x/y", "/", "/x/y" },
		{ "/dev/pts/12", NULL, "/dev/pts" },
		{ "/dev/pts/ptmx", NULL, "/dev/pts/ptmx" },
		{ "/dev/pts", NULL, "/dev/pts" },
		{ HOME "/a", NULL, "~/a" },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(t); i++) {
		const struct learn_env env = { .home = HOME, .cwd = t[i].cwd };
		char *got = learn_abbrev(t[i].path, &env);

		assert_string_equal(got, t[i].want);
		free(got);
	}
	assert_string_equal(learn_tmp_root("/tmp/x", NULL), "/tmp");
	assert_string_equal(learn_tmp_root("/var/tmp/a/b", NULL), "/var/tmp");
	assert_null(learn_tmp_root("/tmp", NULL));
	assert_null(learn_tmp_root("/tmpx/a", NULL));
	assert_string_equal(learn_tmp_root(RUNDIR "/s", RUNDIR), RUNDIR);
	assert_null(learn_tmp_root(RUNDIR "/s", NULL));
}

/* XDG base directories: the deepest of $CWD, $XDG_* and ~ that holds a path names it; an XDG
 * value at or above HOME, "/", a top-level directory or a relative one is no variable. */
static void test_abbrev_xdg(void **state)
{
	static const struct {
		const char *path, *config, *cache, *runtime, *cwd, *want;
	} t[] = {
		{ HOME "/.config/app/rc", NULL, NULL, NULL, NULL, "$XDG_CONFIG_HOME/app/rc" },
		{ HOME "/.config", NULL, NULL, NULL, NULL, "$XDG_CONFIG_HOME" },
		{ HOME "/.configx/a", NULL, NULL, NULL, NULL, "~/.configx/a" },
		{ HOME "/.local/share/app/db", NULL, NULL, NULL, NULL, "$XDG_DATA_HOME/app/db" },
		{ HOME "/.local/state/app/h", NULL, NULL, NULL, NULL, "$XDG_STATE_HOME/app/h" },
		{ HOME "/.local/bin/x", NULL, NULL, NULL, NULL, "~/.local/bin/x" },
		{ HOME "/.cache/app/c", NULL, NULL, NULL, NULL, "$XDG_CACHE_HOME/app/c" },
		{ "/srv/cfg/app/rc", "/srv/cfg", NULL, NULL, NULL, "$XDG_CONFIG_HOME/app/rc" },
		/* set elsewhere: the default below HOME is no longer the variable */
		{ HOME "/.config/app/rc", "/srv/cfg", NULL, NULL, NULL, "~/.config/app/rc" },
		{ HOME "/.config/app/rc", "rel/cfg", NULL, NULL, NULL, "$XDG_CONFIG_HOME/app/rc" },
		{ "/srv/cfg/app", "/srv//cfg/", NULL, NULL, NULL, "$XDG_CONFIG_HOME/app" },
		{ HOME "/x", NULL, HOME, NULL, NULL, "~/x" },			/* HOME itself */
		{ "/home/x", NULL, "/home", NULL, NULL, "/home/x" },		/* above HOME */
		{ "/var/x", NULL, "/var", NULL, NULL, "/var/x" },		/* top level */
		{ "/a", NULL, "/", NULL, NULL, "/a" },
		{ "/run/user/7/bus", NULL, NULL, "/run/user/7", NULL, "$XDG_RUNTIME_DIR/bus" },
		{ "/run/user/7/bus", NULL, NULL, NULL, NULL, "/run/user/7/bus" },	/* no default */
		/* the deepest wins, $CWD at equal depth */
		{ HOME "/.cache/p/src/a", NULL, NULL, NULL, HOME "/.cache/p", "$CWD/src/a" },
		{ HOME "/src/.cache/a", NULL, HOME "/src/.cache", NULL, HOME "/src", "$XDG_CACHE_HOME/a" },
		{ HOME "/src/a", NULL, HOME "/src", NULL, HOME "/src", "$CWD/a" },
		{ HOME "/src/b", NULL, NULL, NULL, HOME "/src", "$CWD/b" },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(t); i++) {
		const struct learn_env env = { .home = HOME, .cwd = t[i].cwd,
					       .config_home = t[i].config, .cache_home = t[i].cache,
					       .runtime_dir = t[i].runtime };
		char *got = learn_abbrev(t[i].path, &env);

		if (strcmp(got, t[i].want)) {
			print_error("case %zu: %s: want %s, got %s\n", i, t[i].path, t[i].want, got);
			fail();
		}
		free(got);
	}
}

/* A profile learned with HOME=/home/a and its XDG directories replays for a user whose HOME and
 * XDG directories are elsewhere: no rule names /home/a, the shared XDG roots never collapse,
 * and the other user's files are allowed where the first user's are not. */
static void test_xdg_moves(void **state)
{
	const struct learn_env env = { .home = "/home/a", .cwd = "/home/a/proj",
				       .config_home = "/home/a/cfg", .runtime_dir = "/run/user/1000" };
	static const char *const reads[] = {
		"/home/a/cfg/app/rc", "/home/a/.local/share/app/db", "/home/a/.cache/f1",
		"/home/a/.cache/f2", "/home/a/.cache/f3", "/home/a/.cache/f4",
		"/home/a/.local/state/app/t1", "/home/a/.local/state/app/t2",
		"/home/a/.local/state/app/t3", "/home/a/.local/state/app/t4",
		"/run/user/1000/app/sock", "/home/a/proj/in.c", "/home/a/.apprc",
	};
	struct learn_set s = { 0 };
	struct profile p = { 0 };
	char *text;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(reads); i++)
		learn_add(&s, reads[i], ACC_READ);
	text = learn_render(&s, NULL, &env, stat_fake, NULL, NULL);
	assert_null(strstr(text, "/home/a"));
	assert_null(strstr(text, "/run/user"));
	assert_non_null(strstr(text, "read $XDG_CONFIG_HOME/app/rc\n"));
	assert_non_null(strstr(text, "read $XDG_DATA_HOME/app/db\n"));
	assert_non_null(strstr(text, "read $XDG_CACHE_HOME/f1\n"));	/* ~/.cache never collapses */
	assert_null(strstr(text, "read $XDG_CACHE_HOME\n"));
	assert_non_null(strstr(text, "read $XDG_STATE_HOME/app\n"));	/* an app's tree does */
	assert_non_null(strstr(text, "read $XDG_RUNTIME_DIR/app/sock\n"));
	assert_non_null(strstr(text, "read ~/.apprc\n"));
	assert_non_null(strstr(text, "read $CWD/in.c\n"));

	/* user b: HOME /home/b, XDG_CONFIG_HOME and XDG_RUNTIME_DIR set, the others unset */
	policy_set_cwd("/srv/b");
	policy_set_var(PATH_VAR_CONFIG, "/etc/xdg-b");
	policy_set_var(PATH_VAR_RUNTIME, "/run/user/2000");
	{
		char err[256] = "";

		assert_int_equal(policy_parse(text, "t", "/home/b", &p, err, sizeof(err)), 0);
	}
	assert_true(policy_decide(&p, "/etc/xdg-b/app/rc", ACC_READ, NULL));
	assert_true(policy_decide(&p, "/home/b/.local/share/app/db", ACC_READ, NULL));
	assert_true(policy_decide(&p, "/home/b/.cache/f1", ACC_READ, NULL));
	assert_true(policy_decide(&p, "/home/b/.local/state/app/t9", ACC_READ, NULL));
	assert_true(policy_decide(&p, "/run/user/2000/app/sock", ACC_READ, NULL));
	assert_true(policy_decide(&p, "/home/b/.apprc", ACC_READ, NULL));
	assert_true(policy_decide(&p, "/srv/b/in.c", ACC_READ, NULL));
	/* not the first user's files, nor b's default config, nor other caches */
	assert_false(policy_decide(&p, "/home/a/cfg/app/rc", ACC_READ, NULL));
	assert_false(policy_decide(&p, "/home/b/.config/app/rc", ACC_READ, NULL));
	assert_false(policy_decide(&p, "/home/b/.cache/f5", ACC_READ, NULL));
	assert_false(policy_decide(&p, "/run/user/1000/app/sock", ACC_READ, NULL));
	assert_false(policy_decide(&p, "/home/b/.cache/f1", ACC_WRITE, NULL));
	policy_free(&p);
	for (int v = 0; v < PATH_VAR_N; v++)
		policy_set_var(v, NULL);
	free(text);
	learn_free(&s);
}

/* Generated parts of names become "*"; names that do not look generated stay. */
static void test_temp_names(void **state)
{
	static const struct {
		const char *name, *glob;
	} names[] = {
		{ "tmp.n5zk8yRFGE", "tmp.*" },		/* mktemp */
		{ "tmpa8_x3kq1", "tmp*" },		/* Python's tempfile */
		{ "tmpa8_x3kq1.txt", "tmp*.txt" },	/* with a suffix */
		{ "ccA1b2C3.s", NULL },			/* 6 characters, but no separator before them */
		{ "build-Xq81zA", "build-*" },
		{ "sess_ABCdef", "sess_*" },		/* both cases */
		{ "report-final", NULL },		/* a word */
		{ "data-123", NULL },			/* too short */
		{ "Xq81zA12", NULL },			/* nothing would be left but "*" */
		{ "x.Zk29abc.tar.gz", NULL },		/* a long or double extension */
		{ "notes.txt", NULL },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
		char *g = learn_temp_name_glob(names[i].name);

		if (names[i].glob == NULL ? g != NULL : !g || strcmp(g, names[i].glob)) {
			print_error("%s: want %s, got %s\n", names[i].name, names[i].glob ? names[i].glob : "NULL",
				    g ? g : "NULL");
			fail();
		}
		free(g);
	}
	char *g = learn_tmp_glob("/tmp/tmp.n5zk8yRFGE/in.txt", NULL);

	assert_string_equal(g, "/tmp/tmp.*/in.txt");
	free(g);
	assert_null(learn_tmp_glob("/srv/tmp.n5zk8yRFGE", NULL));	/* not a temporary directory */
	assert_null(learn_tmp_glob(RUNDIR "/tmp.n5zk8yRFGE", NULL));

	/* a working directory (or HOME) that is itself a temporary name stays "$CWD" */
	const struct learn_env env = { .home = "/tmp/tmp.Hq82kdA/home", .cwd = "/tmp/tmp.Zk29abQ" };
	struct learn_set set = { 0 };
	char *text;

	policy_set_cwd(env.cwd);
	learn_add(&set, "/tmp/tmp.Zk29abQ/in.txt", ACC_READ);
	learn_add(&set, "/tmp/tmp.Hq82kdA/home/.rc", ACC_READ);
	text = learn_render(&set, NULL, &env, stat_fake, NULL, NULL);
	assert_non_null(strstr(text, "read $CWD/in.txt\n"));
	assert_non_null(strstr(text, "read ~/.rc\n"));
	assert_null(strstr(text, "*"));
	free(text);
	learn_free(&set);
}

/* learn_args: which arguments name a path, and which path. */
static void test_args(void **state)
{
	char *const argv[] = { "prog", "in.txt", "-o", "out/../r.txt", "--log=/var/x.log", "-",
			       "-v", "", "--x=", "/abs//p/", "-O=o.bin", NULL };
	static const struct {
		const char *path;
		unsigned index;
	} want[] = {
		{ CWD "/in.txt", 1 }, { CWD "/r.txt", 3 }, { "/var/x.log", 4 }, { "/abs/p", 9 },
		{ CWD "/o.bin", 10 },
	};
	struct learn_arg *a = NULL;
	size_t n;

	(void)state;
	n = learn_args(argv, CWD, &a);
	assert_int_equal(n, ARRAY_SIZE(want));
	for (size_t i = 0; i < n; i++) {
		assert_string_equal(a[i].path, want[i].path);
		assert_int_equal(a[i].index, want[i].index);
		assert_ptr_equal(a[i].arg, argv[want[i].index]);
	}
	learn_args_free(a, n);
	n = learn_args(argv, NULL, &a);	/* no working directory: only absolute ones */
	assert_int_equal(n, 2);
	assert_string_equal(a[0].path, "/var/x.log");
	learn_args_free(a, n);
	assert_int_equal(learn_args(NULL, CWD, &a), 0);
	assert_null(a);
	assert_true(learn_arg_coverable(CWD "/in.txt", HOME));
	assert_true(learn_arg_coverable(HOME "/.sshx", HOME));
	assert_false(learn_arg_coverable(HOME "/.ssh/id_rsa", HOME));
	assert_false(learn_arg_coverable(HOME "/.local/share", HOME));	/* above keyrings */
	assert_false(learn_arg_coverable(HOME, HOME));
	assert_false(learn_arg_coverable("/", HOME));
	assert_true(learn_arg_filename("report-q2.txt"));
	assert_true(learn_arg_filename("out/a,b=c.tar"));
	assert_false(learn_arg_filename("cat in.txt | wc"));
	assert_false(learn_arg_filename("$HOME"));
	assert_false(learn_arg_filename("*.log"));
	assert_false(learn_arg_filename(""));
}

/* The @arg rule form: read and write only; it never matches a path by itself, and a rule made
 * for one argument's path (policy_add_match) allows it and is named by the @arg text. */
static void test_arg_rules(void **state)
{
	static const char *const bad[] = { "exec @arg\n", "deny @arg\n", "tmpfs @arg\n",
					   "grant read @arg\n", "read @arg extra\n" };
	struct profile p = { 0 };
	const struct rule *r = NULL;
	char err[256];
	char *text;

	(void)state;
	parse_ok("read @arg\nwrite @arg\n", &p);
	assert_int_equal(p.n, 2);
	assert_true(p.rules[0].arg && p.rules[1].arg);
	assert_string_equal(p.rules[1].text, "write @arg");
	assert_false(policy_decide(&p, "/", ACC_READ, NULL));
	assert_false(policy_decide(&p, "/srv/proj/a", ACC_READ, NULL));
	policy_add_match(&p, &p.rules[1], "/srv/proj/a");
	assert_true(policy_decide(&p, "/srv/proj/a", ACC_CREATE, &r));
	assert_string_equal(r->text, "write @arg");
	assert_false(r->arg);
	assert_false(policy_decide(&p, "/srv/proj/b", ACC_READ, NULL));
	text = policy_render(&p);	/* the made rule is not rendered */
	assert_string_equal(text, "read @arg\nwrite @arg\n");
	free(text);
	policy_free(&p);
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		err[0] = 0;
		assert_int_equal(policy_parse(bad[i], "t.profile", HOME, &p, err, sizeof(err)), -EINVAL);
		assert_non_null(strstr(err, "t.profile:1: "));
		policy_free(&p);
	}
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
		cmocka_unit_test(test_generalise),
		cmocka_unit_test(test_args),
		cmocka_unit_test(test_arg_rules),
		cmocka_unit_test(test_temp_names),
		cmocka_unit_test(test_cwd_moves),
		cmocka_unit_test(test_classify),
		cmocka_unit_test(test_abbrev),
		cmocka_unit_test(test_abbrev_xdg),
		cmocka_unit_test(test_xdg_moves),
	};

	return cmocka_run_group_tests_name("learn", tests, NULL, NULL);
}
