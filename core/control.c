/* control.c - live control of a running run (see control.h). */
#include "control.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../common/path.h"
#include "../common/sys.h"
#include "../common/util.h"
#include "../db/writer.h"
#include "../jail/grant.h"
#include "../jail/plan.h"
#include "../trap/reap.h"

#define OPEN_NAMED 5	/* open files a revoke's answer names; more are counted */

void control_gate(struct control *c, struct profile *profile, bool jail)
{
	char err[512], dir[sizeof(c->gate.path)];

	c->profile = profile;
	if (gate_start(&c->gate, getpid(), err, sizeof(err)) < 0) {
		errx("no control socket (supervise grant and revoke cannot reach this run): %s", err);
		return;
	}
	snprintf(dir, sizeof(dir), "%s", c->gate.path);
	*strrchr(dir, '/') = 0;
	if (jail && policy_add(profile, RULE_DENY, dir, "/", err, sizeof(err)) < 0)
		die("%s", err);
}

/* _log - log one control event: DEC on OBJECT with ACC, by the caller of M, under RULE. */
static void _log(struct control *c, const struct gate_msg *m, const char *syscall,
		 const char *object, enum access acc, enum decision dec, const char *rule)
{
	struct event ev = {
		.at_ms = now_ms(), .pid = m->pid, .syscall = syscall, .object = object, .access = acc,
		.decision = dec, .rule = rule, .error = dec == DEC_DENY ? EACCES : 0,
	};

	if (c->l->sess->writer)
		db_writer_push(c->l->sess->writer, &ev);
}

/* _ns_user - the user namespace of process PID, as its /proc link reads, into BUF. */
static const char *_ns_user(pid_t pid, char *buf, size_t len)
{
	char p[64];
	ssize_t n;

	snprintf(p, sizeof(p), "/proc/%d/ns/user", (int)pid);
	n = readlink(p, buf, len - 1);
	buf[n > 0 ? n : 0] = 0;
	return buf;
}

/* _inner - a process of C's jail that is in the program's own namespaces (below those of the
 * jail's first process, L->child, which locked the mounts), or 0 when none is left. */
static pid_t _inner(const struct control *c)
{
	_cleanup_free_ pid_t *v = NULL;
	size_t n = reap_tree_pids(c->l, &v);
	char outer[64], ns[64];
	pid_t found = 0;

	_ns_user(c->l->child, outer, sizeof(outer));
	for (size_t i = 0; i < n && !found; i++)
		if (v[i] != c->l->child && *_ns_user(v[i], ns, sizeof(ns)) && strcmp(ns, outer))
			found = v[i];
	return found;
}

/* _mount - mount the host's PATH (canonical; a directory when DIR) with RIGHTS into the view of
 * C's jail. 0, or -errno with a one-line reason in ERR. */
static int _mount(struct control *c, const char *path, bool dir, unsigned rights, char *err,
		  size_t errlen)
{
	pid_t inner = _inner(c);
	_cleanup_close_ int root = -1, fd = -1;
	char p[64], up[PATH_MAX];
	unsigned attrs = plan_attrs(rights);
	int r;

	if (!inner) {
		snprintf(err, errlen, "the jail has no process left");
		return -ESRCH;
	}
	snprintf(p, sizeof(p), "/proc/%d/root", (int)inner);
	root = open(p, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (root < 0) {
		snprintf(err, errlen, "%s: %s", p, strerror(errno));
		return -errno;
	}
	fd = sys_openat2_in_root(root, path, true);
	if (fd >= 0)
		r = granter_mount(c->granter, inner, path, attrs);
	else if (fd != -ENOENT) {
		snprintf(err, errlen, "%s in the jail: %s", path, strerror(-fd));
		return fd;
	} else {
		/* the view lacks it: its deepest directory there must lie on the view's root */
		snprintf(up, sizeof(up), "%s", path);
		do {
			*strrchr(up, '/') = 0;
			close(fd);
			fd = sys_openat2_in_root(root, *up ? up : "/", true);
		} while (fd == -ENOENT && *up);
		close(fd);
		fd = sys_open_in_root_noxdev(root, *up ? up : "/");
		if (fd < 0) {
			snprintf(err, errlen, "%s is a mount of its own in the jail (the jail's /tmp, a "
				 "tmpfs rule, or a tree with a deny in it): a path below it cannot be mounted "
				 "in; restart with a grant line for %s", *up ? up : "/", path);
			return -EXDEV;
		}
		r = granter_mount_new(c->granter, c->l->child, inner, path, attrs, dir);
	}
	if (r < 0)
		snprintf(err, errlen, "mounting %s into the jail: %s", path, strerror(-r));
	return r;
}

/* _neutralise - an allow on PATH must win over a deny of the same path (the deny would win a
 * tie): a deny rule (an ask rule's too) on exactly PATH becomes the allow KIND for the rest of the
 * run, its text kept. Under the lock. */
static void _neutralise(struct control *c, enum rule_kind kind, const char *path)
{
	for (size_t i = 0; i < c->profile->n; i++) {
		struct rule *r = &c->profile->rules[i];

		if (r->kind == RULE_DENY && !strcmp(r->pattern, path)) {
			r->kind = kind;
			r->ask = false;
		}
	}
}

/* _rights - the access bit an event of a rule of KIND names. */
static enum access _acc(enum rule_kind kind)
{
	return kind == RULE_WRITE ? ACC_WRITE : kind == RULE_EXEC ? ACC_EXEC : ACC_READ;
}

/* _add_rule - append rule KIND on PATH to C's profile, written TEXT (taken), under the lock. */
static void _add_rule(struct control *c, enum rule_kind kind, const char *path, char *text)
{
	struct session *s = c->l->sess;
	struct profile *p = c->profile;
	char err[256];

	pthread_rwlock_wrlock(&c->lock);
	if (policy_add(p, kind, path, "/", err, sizeof(err)) == 0) {
		free(p->rules[p->n - 1].text);
		p->rules[p->n - 1].text = text;
		text = NULL;
		for (size_t i = 0; kind != RULE_DENY && s->granted && i < p->n; i++)
			if (p->rules[i].grant && !strcmp(p->rules[i].pattern, path))
				s->granted[i] = true;	/* mounted now: not again on a touch */
		if (kind != RULE_DENY)
			_neutralise(c, kind, path);
		session_rules_changed(s);
	}
	pthread_rwlock_unlock(&c->lock);
	free(text);
}

/* _grant - "grant KIND PATH" from the caller of M: into REPLY. */
static void _grant(struct control *c, const struct gate_msg *m, const struct ctl_req *q,
		   char *reply, size_t len)
{
	char canon[PATH_MAX], err[3 * PATH_MAX + 512];
	const char *how = "(no jail: supervise's check is all there is)";
	struct stat st;
	char *text;

	if (c->l->sess->mode == MODE_LEARN) {
		snprintf(reply, len, "error run %lld learns: everything is allowed, nothing to grant",
			 (long long)c->run);
		return;
	}
	if (strpbrk(q->path, "*?[")) {
		snprintf(reply, len, "error %s: a path with * ? or [ cannot be granted", q->path);
		return;
	}
	if (!realpath(q->path, canon) || stat(canon, &st) < 0) {
		snprintf(reply, len, "error %s: %s", q->path, strerror(errno));
		return;
	}
	if (c->granter) {
		if (_mount(c, canon, S_ISDIR(st.st_mode), policy_rights(q->kind), err, sizeof(err)) < 0) {
			snprintf(reply, len, "error cannot grant: %s", err);
			return;
		}
		how = "(mounted into the jail)";
	}
	text = xasprintf("grant %s %s (supervise grant, uid %u)", rule_kind_name(q->kind), canon,
			 (unsigned)m->uid);
	_log(c, m, "supervise grant", canon, _acc(q->kind), DEC_GRANT, text);
	_add_rule(c, q->kind, canon, text);
	snprintf(reply, len, "ok granted %s %s to run %lld %s", rule_kind_name(q->kind), canon,
		 (long long)c->run, how);
}

int control_allow(struct control *c, enum rule_kind kind, const char *path, const char *text,
		  char *err, size_t errlen)
{
	char canon[PATH_MAX];
	struct stat st;

	if (!realpath(path, canon) || stat(canon, &st) < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -errno;
	}
	if (c->granter) {
		int r = _mount(c, canon, S_ISDIR(st.st_mode), policy_rights(kind), err, errlen);

		if (r < 0)
			return r;
	}
	_add_rule(c, kind, canon, xstrdup(text));
	return 0;
}

int control_allow_net(struct control *c, const char *line, char *err, size_t errlen)
{
	_cleanup_free_ char *copy = xstrdup(line);
	char *tok[4], *save = NULL;
	struct profile *p = c->profile;
	struct netrule r;
	size_t n = 0;

	for (char *w = strtok_r(copy, " ", &save); w && n < ARRAY_SIZE(tok);
	     w = strtok_r(NULL, " ", &save))
		tok[n++] = w;
	if (netrule_parse(tok, n, &r, err, errlen) < 0)
		return -EINVAL;
	pthread_rwlock_wrlock(&c->lock);
	p->netrules = xrealloc(p->netrules, (p->nnet + 1) * sizeof(*p->netrules));
	p->netrules[p->nnet++] = r;
	session_rules_changed(c->l->sess);
	pthread_rwlock_unlock(&c->lock);
	return 0;
}

/* _live_rule - the index in C's profile of the rule a live grant added on PATH, or -1. */
static ssize_t _live_rule(const struct control *c, const char *path)
{
	for (size_t i = c->profile->n; i-- > 0;) {
		const struct rule *r = &c->profile->rules[i];

		if (r->kind != RULE_DENY && !r->line && !strcmp(r->pattern, path) &&
		    strstr(r->text, "(supervise grant"))
			return (ssize_t)i;
	}
	return -1;
}

/* _line_grant - the index of a grant line's rule on PATH, or -1. */
static ssize_t _line_grant(const struct control *c, const char *path)
{
	for (size_t i = 0; i < c->profile->n; i++)
		if (c->profile->rules[i].grant && !strcmp(c->profile->rules[i].pattern, path))
			return (ssize_t)i;
	return -1;
}

/* _keep - remember string S (a removed rule's) until control_stop. */
static void _keep(struct control *c, char *s)
{
	c->kept = xrealloc(c->kept, (c->nkept + 1) * sizeof(*c->kept));
	c->kept[c->nkept++] = s;
}

/* _drop_rule - remove rule I of C's profile (kept alive, see control.h), under the lock. */
static void _drop_rule(struct control *c, size_t i)
{
	struct profile *p = c->profile;

	pthread_rwlock_wrlock(&c->lock);
	_keep(c, p->rules[i].pattern);
	_keep(c, p->rules[i].text);
	memmove(&p->rules[i], &p->rules[i + 1], (p->n - i - 1) * sizeof(*p->rules));
	p->n--;
	session_rules_changed(c->l->sess);
	pthread_rwlock_unlock(&c->lock);
}

/* _open_under - what the tree of C holds open at or below PATH, as "; N files ... : pid P fd F,
 * ..." into BUF (LEN), or "" when nothing. */
static void _open_under(const struct control *c, const char *path, char *buf, size_t len)
{
	_cleanup_free_ pid_t *v = NULL;
	size_t n = reap_tree_pids(c->l, &v), found = 0, at = 0;
	char named[256] = "";

	for (size_t i = 0; i < n; i++) {
		char dir[64], link[PATH_MAX + 64], to[PATH_MAX];
		DIR *d;
		struct dirent *e;

		snprintf(dir, sizeof(dir), "/proc/%d/fd", (int)v[i]);
		if (!(d = opendir(dir)))
			continue;
		while ((e = readdir(d))) {
			ssize_t k;

			if (e->d_name[0] == '.')
				continue;
			snprintf(link, sizeof(link), "%s/%s", dir, e->d_name);
			k = readlink(link, to, sizeof(to) - 1);
			if (k <= 0)
				continue;
			to[k] = 0;
			if (!path_is_under(to, path))
				continue;
			if (found++ < OPEN_NAMED && at < sizeof(named))
				at += (size_t)snprintf(named + at, sizeof(named) - at, "%spid %d fd %s",
						       at ? ", " : "", (int)v[i], e->d_name);
		}
		closedir(d);
	}
	if (!found)
		*buf = 0;
	else
		snprintf(buf, len, "; %zu open file%s under it stay%s open until closed: %s%s", found,
			 found == 1 ? "" : "s", found == 1 ? "s" : "", named,
			 found > OPEN_NAMED ? ", ..." : "");
}

/* _revoke - "revoke PATH" from the caller of M: into REPLY. */
static void _revoke(struct control *c, const struct gate_msg *m, const struct ctl_req *q,
		    char *reply, size_t len)
{
	char canon[PATH_MAX], open_now[512] = "";
	const char *path = realpath(q->path, canon) ? canon : q->path;
	ssize_t live = _live_rule(c, path), line = live < 0 ? _line_grant(c, path) : -1;
	bool mounted = c->granter && (live >= 0 || (line >= 0 && c->l->sess->granted[line]));
	pid_t inner = mounted ? _inner(c) : 0;
	_cleanup_free_ char *text = NULL;
	int r = 0;

	if (live < 0 && line < 0) {
		snprintf(reply, len, "error %s is not a grant of run %lld", path, (long long)c->run);
		return;
	}
	if (live >= 0)
		_drop_rule(c, (size_t)live);
	else
		_add_rule(c, RULE_DENY, path, xasprintf("deny %s (supervise revoke)", path));
	if (inner) {
		_open_under(c, path, open_now, sizeof(open_now));
		r = granter_unmount(c->granter, inner, path);
	}
	text = xasprintf("revoke %s (supervise revoke, uid %u)", path, (unsigned)m->uid);
	_log(c, m, "supervise revoke", path, ACC_READ, DEC_REVOKE, text);
	if (r < 0)
		snprintf(reply, len, "error revoked the rule on %s in run %lld, but detaching its mount "
			 "failed: %s", path, (long long)c->run, strerror(-r));
	else
		snprintf(reply, len, "ok revoked %s in run %lld%s", path, (long long)c->run, open_now);
}

/* _handle - answer the gate's message M into REPLY (LEN). */
static void _handle(struct control *c, const struct gate_msg *m, char *reply, size_t len)
{
	char err[256];
	struct ctl_req q;

	if (m->refused || ctl_parse(m->text, m->len, &q, err, sizeof(err)) < 0) {
		const char *why = m->refused ? m->text : err;

		_log(c, m, "control", c->gate.path, ACC_CONNECT, DEC_DENY, why);
		snprintf(reply, len, "error %s", why);
		return;
	}
	if (q.op == CTL_PING)
		snprintf(reply, len, "ok run %lld, supervisor pid %d, %s", (long long)c->run,
			 (int)getpid(), mode_name(c->l->sess->mode));
	else if (q.op == CTL_GRANT)
		_grant(c, m, &q, reply, len);
	else
		_revoke(c, m, &q, reply, len);
}

/* _thread - serve the gate until it or the supervisor closes the socketpair. */
static void *_thread(void *arg)
{
	struct control *c = arg;
	struct gate_msg m;
	char reply[GATE_REPLY_MAX];

	pthread_setname_np(pthread_self(), "sv-control");
	for (;;) {
		ssize_t n = recv(c->gate.fd, &m, sizeof(m) - 1, 0);

		if (n <= 0) {
			if (n < 0 && errno == EINTR)
				continue;
			break;
		}
		if ((size_t)n < offsetof(struct gate_msg, text) ||
		    m.len != (size_t)n - offsetof(struct gate_msg, text))
			snprintf(reply, sizeof(reply), "error a malformed message from the gate");
		else
			_handle(c, &m, reply, sizeof(reply));
		if (send(c->gate.fd, reply, strlen(reply), MSG_NOSIGNAL) < 0)
			break;
	}
	return NULL;
}

void control_start(struct control *c, struct launch *l, struct granter *granter, int64_t run)
{
	pthread_rwlockattr_t a;
	int r;

	c->l = l;
	c->granter = granter;
	c->run = run;
	pthread_rwlockattr_init(&a);
	pthread_rwlockattr_setkind_np(&a, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
	pthread_rwlock_init(&c->lock, &a);
	pthread_rwlockattr_destroy(&a);
	l->sess->lock = &c->lock;
	c->started = true;
	if (c->gate.fd < 0)
		return;	/* no socket: the rules still change by ask answers */
	r = pthread_create(&c->thread, NULL, _thread, c);
	if (r != 0)
		die("cannot start the control thread: %s", strerror(r));
	c->running = true;
}

void control_stop(struct control *c)
{
	if (c->running) {
		shutdown(c->gate.fd, SHUT_RDWR);	/* the thread's recv returns 0 */
		pthread_join(c->thread, NULL);
		c->running = false;
	}
	if (c->started) {
		c->l->sess->lock = NULL;
		pthread_rwlock_destroy(&c->lock);
		c->started = false;
	}
	gate_stop(&c->gate);
	for (size_t i = 0; i < c->nkept; i++)
		free(c->kept[i]);
	free(c->kept);
	c->kept = NULL;
	c->nkept = 0;
}
