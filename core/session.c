/* session.c - decide, log and learn file and network accesses (no kernel calls). */
#include "session.h"

#include <errno.h>
#include <netinet/in.h>
#include <string.h>

#include "../common/path.h"
#include "../common/util.h"

/* _log - hand one event to the writer (if any) and count it. */
static void _log(struct session *s, pid_t tid, const char *syscall, const char *object,
		 enum access acc, enum decision d, const struct rule *rule, int error)
{
	struct event ev = {
		.at_ms = now_ms(), .pid = tid, .syscall = syscall, .object = object,
		.access = acc, .decision = d, .rule = rule ? rule->text : NULL, .error = error,
		.backtrace = s->backtrace,
	};

	s->events++;
	if (s->writer)
		db_writer_push(s->writer, &ev);
}

/* _log_net - _log for network access R with OBJECT, decided D by RULE (may be NULL). */
static void _log_net(struct session *s, const struct net_req *r, const char *object, enum decision d,
		     const struct netrule *rule, int error)
{
	struct event ev = {
		.at_ms = now_ms(), .pid = r->tid, .syscall = r->syscall, .object = object,
		.access = ACC_CONNECT, .decision = d, .rule = rule ? rule->text : NULL, .error = error,
		.backtrace = s->backtrace,
	};

	s->events++;
	if (s->writer)
		db_writer_push(s->writer, &ev);
}

/* _say - the one-line notice for a denial (or would-be denial under audit). */
static void _say(const struct session *s, const struct file_req *r, const char *object,
		 const struct rule *rule)
{
	if (s->quiet)
		return;
	if (rule)
		errx("%s %s %s (%s, pid %d): rule \"%s\"", s->mode == MODE_AUDIT ? "audit: would deny" : "denied",
		     access_name(r->access), object, r->syscall, (int)r->tid, rule->text);
	else
		errx("%s %s %s (%s, pid %d): no rule", s->mode == MODE_AUDIT ? "audit: would deny" : "denied",
		     access_name(r->access), object, r->syscall, (int)r->tid);
}

/* _learn_file - learn mode: record the path (and its resolved target) and allow. */
static int _learn_file(struct session *s, const struct file_req *r)
{
	learn_add(&s->learned, r->path, r->access);
	if (r->canon)
		learn_add(&s->learned, r->canon, r->access);
	if (r->interp)	/* opened by the kernel inside execve, so never trapped itself */
		learn_add(&s->learned, r->interp, ACC_EXEC);
	for (char **l = r->links; l && *l; l++)	/* /proc's links name the supervisor's pids */
		if (!path_is_under(*l, "/proc"))
			learn_add(&s->learned, *l, r->access);
	_log(s, r->tid, r->syscall, r->path, r->access, DEC_ALLOW, NULL, 0);
	return 0;
}

/* _allows - policy_decide for PATH, except that a tmpfs rule gives a private directory, never
 * the host's files: what the view hides (R->hidden) stays refused, with no rule. */
static bool _allows(const struct session *s, const struct file_req *r, const char *path,
		    const struct rule **rule)
{
	bool ok = policy_decide(s->profile, path, r->access, rule);

	if (ok && *rule && (*rule)->kind == RULE_TMPFS && r->hidden) {
		*rule = NULL;
		return false;
	}
	return ok;
}

/* _grant - the first touch of grant RULE: have it mounted into the jail, then let the call
 * proceed. Every later access is decided as an allow. A failed mount is a denial. */
static int _grant(struct session *s, const struct file_req *r, const struct rule *rule)
{
	int e = s->grant(s->grant_ctx, r->tid, rule);

	if (e < 0) {
		s->denials++;
		errx("cannot grant %s (%s, pid %d): %s", rule->text, r->syscall, (int)r->tid, strerror(-e));
		_log(s, r->tid, r->syscall, r->path, r->access, DEC_DENY, rule, EACCES);
		return EACCES;
	}
	s->granted[rule - s->profile->rules] = true;
	if (!s->quiet)
		errx("%s: granted on first touch of %s (%s, pid %d)", rule->text, r->path, r->syscall,
		     (int)r->tid);
	_log(s, r->tid, r->syscall, r->path, r->access, DEC_GRANT, rule, 0);
	return 0;
}

int session_file(struct session *s, const struct file_req *r)
{
	const struct rule *rule = NULL;
	const char *object = r->path;
	bool ok;
	int err;

	if (s->mode == MODE_LEARN)
		return _learn_file(s, r);
	ok = _allows(s, r, r->path, &rule);
	if (ok && rule && rule->grant && s->grant && !s->granted[rule - s->profile->rules])
		return _grant(s, r, rule);
	if (!r->judged) {	/* recorded, but enforce does not stop it (the view does) */
		_log(s, r->tid, r->syscall, r->path, r->access, DEC_ALLOW, NULL, 0);
		return 0;
	}
	/* Both the name and what it resolves to must be allowed, so a symlink cannot lead outside. */
	if (ok && r->canon && !_allows(s, r, r->canon, &rule)) {
		ok = false;
		object = r->canon;
	}
	if (ok) {
		_log(s, r->tid, r->syscall, r->path, r->access, DEC_ALLOW, rule, 0);
		return 0;
	}
	s->denials++;
	/* A lookup of a missing path that no rule names gets the kernel's own answer, ENOENT: it is
	 * logged, but not announced, as programs probe many such paths. */
	if (rule || r->exists || r->access == ACC_CREATE)
		_say(s, r, object, rule);
	if (s->mode == MODE_AUDIT) {
		_log(s, r->tid, r->syscall, object, r->access, DEC_AUDIT, rule, 0);
		return 0;
	}
	err = (!rule && !r->exists && r->access != ACC_CREATE) ? ENOENT : EACCES;
	_log(s, r->tid, r->syscall, object, r->access, DEC_DENY, rule, err);
	return err;
}

/* _has_rule - P has a network rule of PROTO class: tcp/udp (UNIX_KIND 0), or unix with a name
 * starting with UNIX_KIND ('@' or '/'). */
static bool _has_rule(const struct profile *p, bool ip, char unix_kind)
{
	for (size_t i = 0; i < p->nnet; i++) {
		const struct netrule *r = &p->netrules[i];

		if (ip ? r->proto != NETRULE_UNIX : (r->proto == NETRULE_UNIX && r->name[0] == unix_kind))
			return true;
	}
	return false;
}

/* _net_checked - enforce checks R against the rules (see session_net in session.h). */
static bool _net_checked(const struct profile *p, const struct net_req *r)
{
	char name[112];

	if (r->sa->sa_family == AF_UNIX) {
		netrule_unix_name(r->sa, r->len, name, sizeof(name));
		if (!name[0])
			return false;	/* unnamed: autobind, socketpair peers */
		if (name[0] == '@')
			return p->net == NET_HOST || _has_rule(p, false, '@');
		return _has_rule(p, false, '/');
	}
	if (r->sa->sa_family != AF_INET && r->sa->sa_family != AF_INET6)
		return false;
	if (r->op == NETRULE_BIND && r->len >= sizeof(struct sockaddr_in) &&
	    ((const struct sockaddr_in *)r->sa)->sin_port == 0)
		return false;	/* the kernel picks the port, as listen() without bind does */
	return _has_rule(p, true, 0);
}

int session_net(struct session *s, const struct net_req *r)
{
	_cleanup_free_ char *desc = netrule_describe((enum netrule_proto)r->proto, r->sa, r->len);
	_cleanup_free_ char *object = NULL;
	const struct netrule *rule = NULL;
	const char *host = NULL;
	enum decision d = DEC_ALLOW;
	int err = 0;

	if (s->mode == MODE_LEARN) {
		learn_net(&s->learned, desc);
		netlearn_add(&s->netlearned, r->op, r->proto, r->sa, r->len);
		_log(s, r->tid, r->syscall, desc, ACC_CONNECT, DEC_ALLOW, NULL, 0);
		return 0;
	}
	host = netrule_host_of(s->profile->netrules, s->profile->nnet, r->sa, r->len);
	object = host ? xasprintf("%s (%s)", desc, host) : xstrdup(desc);
	if (r->judged && _net_checked(s->profile, r)) {
		rule = netrule_match(s->profile->netrules, s->profile->nnet, r->op,
				     (enum netrule_proto)r->proto, r->sa, r->len, NULL);
		if (!rule) {
			s->denials++;
			d = s->mode == MODE_AUDIT ? DEC_AUDIT : DEC_DENY;
			err = s->mode == MODE_AUDIT ? 0 : EACCES;
			if (!s->quiet)
				errx("%s %s %s (%s, pid %d): no rule", d == DEC_AUDIT ? "audit: would deny"
					     : "denied", r->op == NETRULE_BIND ? "bind" : "connect",
				     object, r->syscall, (int)r->tid);
		}
	}
	_log_net(s, r, object, d, rule, err);
	return err;
}

int session_syscall(struct session *s, pid_t tid, int nr)
{
	_cleanup_free_ char *name = sys_name(nr);
	enum decision d = s->mode == MODE_ENFORCE ? DEC_DENY : s->mode == MODE_AUDIT ? DEC_AUDIT
										      : DEC_ALLOW;
	int err = s->mode == MODE_ENFORCE ? EPERM : 0;

	if (s->mode == MODE_LEARN) {
		sysset_add(&s->sysused, nr);
	} else {
		s->denials++;
		if (!s->quiet)
			errx("%s syscall %s (pid %d): not in the profile's syscalls",
			     d == DEC_AUDIT ? "audit: would deny" : "denied", name, (int)tid);
	}
	_log(s, tid, name, name, ACC_SYSCALL, d, NULL, err);
	return err;
}

void session_free(struct session *s)
{
	learn_free(&s->learned);
	netlearn_free(&s->netlearned);
}
