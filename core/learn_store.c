/* learn_store.c - write the learned profile and tell the user what happened. */
#include "learn_store.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../common/timing.h"
#include "../common/util.h"
#include "../db/db.h"
#include "../learn/learn.h"
#include "../learn/syslearn.h"
#include "desktop.h"
#include "profile_load.h"

char *run_profile_name(const char *name, const char *argv0)
{
	const char *base = strrchr(argv0, '/');
	const char *n = name ? name : base ? base + 1 : argv0;

	if (!profile_name_valid(n)) {
		errx("'%s' is not a valid profile name (1-64 of A-Z a-z 0-9 . _ + -; give one with -p NAME)", n);
		return NULL;
	}
	return xstrdup(n);
}

/* _stat - learn_stat_fn backed by lstat. */
static enum learn_ftype _stat(const char *path)
{
	struct stat st;

	if (lstat(path, &st) < 0)
		return LEARN_MISSING;
	return S_ISDIR(st.st_mode) ? LEARN_DIR : LEARN_FILE;
}

/* _load_existing - the stored profile NAME into *P (empty when there is none, *FRESH set then).
 * 0 or -errno. */
static int _load_existing(sqlite3 *db, const char *name, const char *home, struct profile *p,
			  bool *fresh)
{
	_cleanup_free_ char *text = NULL, *label = NULL;
	char err[512];
	int r = db_profile_get(db, name, &text);

	*fresh = r == -ENOENT;
	if (r == -ENOENT) {	/* a new profile starts from the shipped base */
		if (profile_parse_full(db, "include base\n", "(new profile)", home, p, err,
				       sizeof(err)) == 0)
			return 0;
		policy_free(p);
		warnx("%s: the learned profile will not include base", err);
		return 0;
	}
	if (r < 0) {
		errx("cannot read profile '%s': %s: %s", name, sqlite3_db_filename(db, "main"),
		     sqlite3_errmsg(db));
		return r;
	}
	label = xasprintf("profile %s", name);
	if (profile_parse_full(db, text, label, home, p, err, sizeof(err)) < 0) {
		errx("%s (fix or delete it before learning into it)", err);
		return -EINVAL;
	}
	return 0;
}

/* run_learn_check - see learn_store.h. */
int run_learn_check(sqlite3 *db, const char *name)
{
	_cleanup_free_ char *text = NULL;
	struct profile p = { 0 };
	bool fresh;
	int r = db_profile_get(db, name, &text);

	if (r == -ENOENT)
		return 0;
	r = _load_existing(db, name, getenv("HOME"), &p, &fresh);	/* prints why */
	policy_free(&p);
	return r;
}

/* _warn_protected - one warning per protected root (learn_protected) that the run touched in S:
 * the profile holds it only as a grant, which the user should check. */
static void _warn_protected(const struct learn_set *s, const char *home)
{
	_cleanup_free_ char *last = NULL;

	for (size_t i = 0; i < s->n; i++) {
		char *root = learn_protected(s->v[i].path, home);

		if (!root || (last && !strcmp(root, last))) {
			free(root);
			continue;
		}
		fprintf(stderr, "supervise: warning: the program used the protected %s (%s); the profile "
			"grants it only on first use, remove the grant unless it must\n", s->v[i].path,
			root);
		free(last);
		last = root;
	}
}

/* _summary - what was recorded and what to run next. */
static void _summary(const struct session *s, const char *name, size_t nrules, size_t nsys,
		     const struct run_opts *o, int64_t run)
{
	size_t reads = 0, writes = 0, execs = 0;
	_cleanup_free_ char *next = NULL;

	if (o->quiet)
		return;
	learn_count(&s->learned, &reads, &writes, &execs);
	fprintf(stderr, "supervise: learned run %lld: %llu events; paths: %zu read, %zu written, %zu executed\n",
		(long long)run, (unsigned long long)s->events, reads, writes, execs);
	fprintf(stderr, "supervise: profile '%s' written: %zu rules (supervise profile show %s)\n", name,
		nrules, name);
	if (sysset_count(&s->sysused))
		fprintf(stderr, "supervise: syscalls used outside @default: %zu, %zu of them added to the profile\n",
			sysset_count(&s->sysused), nsys);
	_warn_protected(&s->learned, getenv("HOME"));
	next = util_shell_join(o->argv);
	fprintf(stderr, "supervise: next: supervise --enforce %s %s\n", name, next);
}

/* _with_net - TEXT (consumed) followed by EXISTING's own network rules and the "connect"/"bind"
 * lines of the endpoints S learned that those do not allow; *NRULES counts them. Malloc'd. */
static char *_with_net(char *text, const struct session *s, const struct profile *existing,
		       size_t *nrules)
{
	_cleanup_free_ char *own = NULL, *learned = NULL;
	size_t n = 0, k = 0;
	char *out;

	learned = netlearn_render(&s->netlearned, existing, &n);
	own = xstrdup("");
	for (size_t i = 0; i < existing->nnet; i++) {
		if (existing->netrules[i].inherited)
			continue;
		out = xasprintf("%s%s\n", own, existing->netrules[i].text);
		free(own);
		own = out;
		k++;
	}
	if (n + k == 0)
		return text;
	*nrules += n + k;
	out = xasprintf("%s\n# network\n%s%s", text, own, learned);
	free(text);
	return out;
}

/* _with_syscalls - TEXT (consumed) followed by the "syscalls" lines (syslearn_render) for what S
 * used outside @default; *NADDED receives how many it adds. Malloc'd. */
static char *_with_syscalls(char *text, const struct session *s, const struct profile *existing,
			    bool fresh, size_t *nadded)
{
	_cleanup_free_ char *lines = syslearn_render(&s->sysused, existing, fresh, nadded);
	char *out;

	if (!*lines)
		return text;
	out = xasprintf("%s\n# syscalls: @default (doc/syscall-groups.md) and what the program used beyond it\n%s",
			text, lines);
	free(text);
	return out;
}

/* _with_desktop - TEXT (consumed) followed by the x11 line of the run O (desktop_learned_lines),
 * counted in *NRULES. Malloc'd. */
static char *_with_desktop(char *text, const struct run_opts *o, const struct profile *existing,
			   size_t *nrules)
{
	_cleanup_free_ char *line = desktop_learned_lines(o, existing);
	char *out;

	if (!line)
		return text;
	out = xasprintf("%s\n# desktop: the run's own X server (supervise.profile(5), DESKTOP)\n%s",
			text, line);
	free(text);
	(*nrules)++;
	return out;
}

/* _fallback_file - write TEXT, the learned profile NAME that WHY kept out of the database at
 * DBPATH, to DBPATH.NAME.profile (mode 0600, replaced if there), or else to stderr, and say
 * where. Returns -EIO: the profile is not stored. */
static int _fallback_file(const char *dbpath, const char *name, const char *text, const char *why)
{
	_cleanup_free_ char *file = xasprintf("%s.%s.profile", dbpath, name);
	_cleanup_close_ int fd = open(file, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC,
				      0600);
	size_t len = strlen(text), off = 0;
	bool created = fd >= 0;
	ssize_t n = 0;
	int e = 0;

	if (fd < 0 || fchmod(fd, 0600) < 0)
		e = errno;
	while (!e && off < len) {
		n = write(fd, text + off, len - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			e = n < 0 ? errno : EIO;
		else
			off += (size_t)n;
	}
	if (!e && fsync(fd) < 0)
		e = errno;
	if (!e && close(steal_fd(&fd)) < 0)
		e = errno;
	if (!e) {
		errx("profile '%s' not stored (%s): written to %s (supervise profile import %s %s)",
		     name, why, file, file, name);
		return -EIO;
	}
	if (created)	/* not a partial profile */
		unlink(file);
	errx("profile '%s' not stored (%s), nor written to %s (%s); it follows on stderr, up to "
	     "the line '# end of profile %s'", name, why, file, strerror(e), name);
	fprintf(stderr, "%s%s# end of profile %s\n", text, len && text[len - 1] != '\n' ? "\n" : "",
		name);
	return -EIO;
}

int run_learn_store(sqlite3 *db, const char *name, struct session *sess, const struct run_opts *o,
		 int64_t run, bool log_failed)
{
	const char *home = getenv("HOME");
	_cleanup_free_ char *text = NULL, *header = NULL, *cwd = getcwd(NULL, 0);
	const struct learn_env env = { .home = home, .cwd = cwd,
				       .runtime_dir = getenv("XDG_RUNTIME_DIR"), .argv = o->argv,
				       .config_home = getenv("XDG_CONFIG_HOME"),
				       .data_home = getenv("XDG_DATA_HOME"),
				       .state_home = getenv("XDG_STATE_HOME"),
				       .cache_home = getenv("XDG_CACHE_HOME") };
	struct profile existing = { 0 }, check = { 0 };
	char err[512];
	size_t nrules = 0, nsys = 0;
	bool fresh;
	int r;

	uint64_t t0 = timing_on() ? timing_now_ns() : 0, t1;

	r = _load_existing(db, name, home, &existing, &fresh);
	if (r < 0 && !log_failed)
		goto out;
	if (r < 0) {	/* what was learned is not lost for it: written without the merge */
		policy_free(&existing);
		existing = (struct profile){ 0 };
		fresh = true;
	}
	header = xasprintf("profile %s, learned by supervise (run %lld)", name, (long long)run);
	text = learn_render(&sess->learned, &existing, &env, _stat, header, &nrules);
	text = _with_net(text, sess, &existing, &nrules);
	text = _with_desktop(_with_syscalls(text, sess, &existing, fresh, &nsys), o, &existing, &nrules);
	if (t0) {
		t1 = timing_now_ns();
		timing_add("teardown.learn_render", (double)(t1 - t0) / 1e6, "ms (paths)", sess->learned.n);
		t0 = t1;
	}
	r = profile_parse_full(db, text, name, home, &check, err, sizeof(err));
	if (t0) {
		t1 = timing_now_ns();
		timing_add("teardown.learn_check", (double)(t1 - t0) / 1e6, "ms", 0);
		t0 = t1;
	}
	if (r < 0) {
		errx("internal error: the learned profile does not parse: %s", err);
		goto out;
	}
	if (log_failed) {	/* the run was stopped: not merged into the stored profile */
		r = _fallback_file(o->dbpath, name, text, "the event log could not be written");
		goto out;
	}
	r = db_profile_put(db, name, text, &check);
	if (r < 0) {
		r = _fallback_file(o->dbpath, name, text, "the database refused it");
		goto out;
	}
	if (t0)
		timing_add("teardown.learn_store", (double)(timing_now_ns() - t0) / 1e6, "ms (rules)",
			   check.n);
	_summary(sess, name, nrules, nsys, o, run);
out:
	policy_free(&existing);
	policy_free(&check);
	return r < 0 ? -EIO : 0;
}
