/* session.c - decide, log and learn file and network accesses (no kernel calls).
 *
 * What the log keeps (doc/schema.md). Every denial, grant and audit finding is a row of its own.
 * An allowed call is a row the first time its (object, access, syscall) occurs in the run; each
 * later one only adds to that row's count and last time (struct event_tally, written back by the
 * event writer), unless --log all (s->log_all) or --backtrace asks for a row per call.
 *
 * The decision cache of learn (s->cache, MODE_LEARN). Every path learned is remembered, and the
 * next call of the same (path, access, syscall) only counts in its row: it would learn nothing new
 * as long as no name on its way changed. Learn traps every call that changes names (creates,
 * removals, renames, links, socket binds, chroot, mounts): each drops the whole cache, and
 * no decision is remembered until the change is surely done (_changed). A change made by a process
 * outside the supervised tree is not seen; it can only make learn miss a link that appeared
 * meanwhile, which the replay then reports as a denial.
 *
 * The decision cache of enforce (s->cache: enforce in a jail). An allow that session_file reached is
 * remembered, under the same key, for session_cached, which answers the next such call without
 * resolving the path again, when:
 *  - the call is judged (open, exec), and neither its path nor any directory above it is
 *    writable in the view (_pinned: not /tmp, /var/tmp, /dev, /proc, no write or tmpfs rule on it
 *    or above), so the program cannot make a link appear on the way; when links were passed
 *    (/bin -> usr/bin), each of them and what the path resolves to are pinned the same way, so
 *    none can be changed to lead elsewhere (a target with ".." after a name, "x/../y", is never
 *    cached: it hangs on a directory that is neither); or
 *  - the call is not judged (the filter traps it only so that a grant opens on first touch): its
 *    row is the same whatever the path resolves to, and it did not open a grant.
 * The rules do not change during a run. An entry is dropped (session_cache_drop, a new
 * generation) whenever the view changes: a grant mounted. Not seen: a change that a process
 * outside the jail makes to a host tree that is bound read-only into it (a file replaced by a link
 * there is logged under the name opened). That costs the log, never the boundary: the kernel
 * resolves every call in the view, and without the jail (--no-jail, audit, learn) there is no
 * cache. A denial is never cached: it is decided, printed and logged in full every time.
 */
#include "session.h"

#include <errno.h>
#include <limits.h>
#include <netinet/in.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "../common/path.h"
#include "../common/util.h"

/* What the run saw of one (object, access, syscall): the row counting its allowed calls, and the
 * cached decision. */
struct session_seen {
	struct event_tally tally;
	const char *row_rule;		/* the rule text of the tallied row (tallied only) */
	const struct rule *rule;	/* the allowing rule of the cached decision (cached only) */
	uint32_t gen;			/* the cache generation the decision was made in */
	bool tallied, cached;
};

/* _key - the tag of an event's (access, syscall) in S->seen: syscall names are static strings. */
static uint64_t _key(const char *syscall, enum access acc)
{
	return ((uint64_t)(uintptr_t)syscall << 8) | (uint64_t)acc;
}

/* _seen - the entry of (OBJECT, SYSCALL, ACC), created empty when missing. Dies on OOM. */
static struct session_seen *_seen(struct session *s, const char *object, const char *syscall,
				  enum access acc)
{
	uint64_t k = _key(syscall, acc);
	struct session_seen *n = strmap_get(&s->seen, object, k);

	if (!n) {
		n = xcalloc(1, sizeof(*n));
		strmap_put(&s->seen, object, k, n);
	}
	return n;
}

/* _emit - hand EV to the writer: an allowed call as a new tallied row, or as one more call of the
 * row its (object, access, syscall) already has; anything else as a row of its own. */
static void _emit(struct session *s, struct event *ev)
{
	if (!s->log_all && ev->decision == DEC_ALLOW && !ev->backtrace) {
		struct session_seen *n = _seen(s, ev->object, ev->syscall, ev->access);

		if (n->tallied && n->row_rule == ev->rule) {
			atomic_fetch_add_explicit(&n->tally.count, 1, memory_order_relaxed);
			atomic_store_explicit(&n->tally.last_ms, ev->at_ms, memory_order_relaxed);
			return;
		}
		if (!n->tallied) {
			n->tallied = true;
			n->row_rule = ev->rule;
			atomic_store_explicit(&n->tally.count, 1, memory_order_relaxed);
			atomic_store_explicit(&n->tally.last_ms, ev->at_ms, memory_order_relaxed);
			ev->tally = &n->tally;
		}
	}
	if (ev->access == ACC_EXEC && s->ppid_of)	/* a new row: who started the program */
		ev->ppid = s->ppid_of(ev->pid);
	if (s->writer)
		db_writer_push(s->writer, ev);
}

uint64_t session_tally(const struct session *s, const char *object, const char *syscall,
		       enum access acc)
{
	const struct session_seen *n = strmap_get(&s->seen, object, _key(syscall, acc));

	return n && n->tallied ? atomic_load_explicit(&n->tally.count, memory_order_relaxed) : 0;
}

/* _record - log EV now, or, when the backend answers first (S->defer), hold a copy until
 * session_commit; more than SESSION_PENDING events of one call are logged at once. */
static void _record(struct session *s, struct event *ev)
{
	struct session_pending *p;

	s->events++;
	if (!s->defer || s->npend == SESSION_PENDING) {
		_emit(s, ev);
		return;
	}
	p = &s->pend[s->npend++];
	p->ev = *ev;
	snprintf(p->obj, sizeof(p->obj), "%s", ev->object ? ev->object : "");
	p->ev.object = ev->object ? p->obj : NULL;
}

void session_commit(struct session *s, bool answered)
{
	for (size_t i = 0; answered && i < s->npend; i++)
		_emit(s, &s->pend[i].ev);
	s->npend = 0;
}

/* _log - record one event (see _record). */
static void _log(struct session *s, pid_t tid, const char *syscall, const char *object,
		 enum access acc, enum decision d, const struct rule *rule, int error)
{
	struct event ev = {
		.at_ms = now_ms(), .pid = tid, .syscall = syscall, .object = object,
		.access = acc, .decision = d, .rule = rule ? rule->text : NULL, .error = error,
		.backtrace = s->backtrace,
	};

	_record(s, &ev);
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

	_record(s, &ev);
}

/* _valid - the call of R is still waiting (see file_req.still_valid). */
static bool _valid(const struct file_req *r)
{
	return !r->still_valid || r->still_valid(r->ctx);
}

/* Values of S->pins (a map cannot hold NULL). */
static char _pin_yes, _pin_no;

/* _prefix - BUF (PATH_MAX) := the first N bytes of DIR, or "/" for N 1 or less. Returns BUF. */
static char *_prefix(char *buf, const char *dir, size_t n)
{
	if (n <= 1)
		n = 1;
	memcpy(buf, dir, n);
	buf[n] = 0;
	return buf;
}

/* _dir_pinned - whether no rule of S's profile makes directory DIR (absolute, normalised, shorter
 * than PATH_MAX) or a directory above it writable. Memoised in S->pins: going up from DIR, each
 * directory is looked at until one is writable, one is known, or "/" was looked at; every
 * directory looked at then gets that answer. Dies on OOM. */
static bool _dir_pinned(struct session *s, const char *dir)
{
	char buf[PATH_MAX];
	const struct rule *rule;
	size_t *lens = NULL, nlens = 0, cap = 0, n = strlen(dir);
	bool pinned = true;

	for (;;) {
		const char *known = strmap_get(&s->pins, _prefix(buf, dir, n), 0);
		char *slash;

		if (known) {
			pinned = known == &_pin_yes;
			break;
		}
		if (nlens == cap) {
			cap = cap ? cap * 2 : 16;
			lens = xrealloc(lens, cap * sizeof(*lens));
		}
		lens[nlens++] = n;
		if (policy_decide(s->profile, buf, ACC_WRITE, &rule)) {
			pinned = false;
			break;
		}
		if (n <= 1)
			break;	/* "/" was the last */
		slash = strrchr(buf, '/');
		n = (size_t)(slash - buf);
	}
	for (size_t i = 0; i < nlens; i++)
		strmap_put(&s->pins, _prefix(buf, dir, lens[i]), 0, pinned ? &_pin_yes : &_pin_no);
	free(lens);
	return pinned;
}

/* _pinned - whether nothing in the program's view can change what PATH resolves to: it is not
 * under the jail's own writable trees, and neither it nor a directory above it is writable by a
 * rule of S's profile (a write or tmpfs rule). */
static bool _pinned(struct session *s, const char *path)
{
	static const char *const own[] = { "/tmp", "/var/tmp", "/dev", "/proc" };
	char buf[PATH_MAX];
	const struct rule *rule;
	const char *slash;

	if (strlen(path) >= sizeof(buf) || path[0] != '/')
		return false;
	for (size_t i = 0; i < sizeof(own) / sizeof(own[0]); i++)
		if (path_is_under(path, own[i]))
			return false;
	if (policy_decide(s->profile, path, ACC_WRITE, &rule))
		return false;
	slash = strrchr(path, '/');
	return _dir_pinned(s, _prefix(buf, path, (size_t)(slash - path)));
}

/* _changed - learn: thread TID asked for a call that may change names in the file system (a
 * create, removal, rename, link, bind of a socket name, or a change of root or mounts):
 * every cached decision is dropped, and none is made until the change is surely done: until TID
 * traps again (it has returned from the call), or LEARN_SETTLE_MS later. */
#define LEARN_SETTLE_MS 20
static void _changed(struct session *s, pid_t tid)
{
	session_cache_drop(s);
	s->changer = tid;
	s->changer_until = now_ms() + LEARN_SETTLE_MS;
}

/* _settled - learn: whether no change of names (_changed) may still be under way as TID, the
 * caller of the call being decided, traps (the caller of the change trapping again, or
 * LEARN_SETTLE_MS passing, ends one). True when the cache may take a decision now. */
static bool _settled(struct session *s, pid_t tid)
{
	if (s->changer && (tid == s->changer || now_ms() > s->changer_until))
		s->changer = 0;
	return s->changer == 0;
}

/* _cache_put - remember that R was allowed by RULE (may be NULL for an unjudged call), when the
 * cache is on and the decision stays true for the rest of the run (see the top of this file). */
static void _cache_put(struct session *s, const struct file_req *r, const struct rule *rule)
{
	struct session_seen *n;

	if (!s->cache || s->mode == MODE_AUDIT)
		return;
	if (s->mode == MODE_LEARN && _settled(s, r->tid))
		goto put;
	if (s->mode == MODE_LEARN)
		return;
	if (r->judged && !_pinned(s, r->path))
		return;
	if (r->judged && r->canon && (r->links_odd || !r->links || !_pinned(s, r->canon)))
		return;
	for (char **l = r->links; r->judged && r->canon && *l; l++)
		if (!_pinned(s, *l))
			return;
put:
	n = _seen(s, r->path, r->syscall, r->access);
	n->cached = true;
	n->rule = rule;
	n->gen = s->gen;
}

bool session_allows_name(const struct session *s, const char *path, enum access acc)
{
	const struct rule *rule = NULL;

	return s->profile && policy_decide(s->profile, path, acc, &rule) && rule &&
	       rule->kind != RULE_TMPFS;
}

bool session_cached(struct session *s, const struct file_req *r)
{
	const struct session_seen *n;

	if (!s->cache)
		return false;
	if (s->mode == MODE_LEARN && r->renames)
		return false;	/* a change: decided (and learned) in full, see _changed */
	n = strmap_get(&s->seen, r->path, _key(r->syscall, r->access));
	if (!n || !n->cached || n->gen != s->gen)
		return false;
	s->cache_hits++;
	_log(s, r->tid, r->syscall, r->path, r->access, DEC_ALLOW, n->rule, 0);
	return true;
}

void session_hold(struct session *s)
{
	if (s->lock)
		pthread_rwlock_rdlock(s->lock);
}

void session_release(struct session *s)
{
	if (s->lock)
		pthread_rwlock_unlock(s->lock);
}

void session_cache_drop(struct session *s)
{
	s->gen++;
}

void session_rules_changed(struct session *s)
{
	session_cache_drop(s);
	strmap_free(&s->pins);
}

void session_names_change(struct session *s, pid_t tid)
{
	if (s->mode == MODE_LEARN)
		_changed(s, tid);
	else
		session_cache_drop(s);
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
	if (!_valid(r))
		return -1;
	if (r->renames)
		_changed(s, r->tid);
	learn_add(&s->learned, r->path, r->access);
	if (r->canon)
		learn_add(&s->learned, r->canon, r->access);
	if (r->interp)	/* opened by the kernel inside execve, so never trapped itself */
		learn_add(&s->learned, r->interp, ACC_EXEC);
	for (char **l = r->links; l && *l; l++)	/* /proc's links name the supervisor's pids */
		if (!path_is_under(*l, "/proc"))
			learn_add(&s->learned, *l, r->access);
	_log(s, r->tid, r->syscall, r->path, r->access, DEC_ALLOW, NULL, 0);
	if (!r->renames)	/* the change itself is never cached, nor ends its own wait */
		_cache_put(s, r, NULL);
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
	int e;

	if (!_valid(r))
		return -1;
	e = s->grant(s->grant_ctx, r->tid, rule);

	if (e < 0) {
		s->denials++;
		errx("cannot grant %s (%s, pid %d): %s", rule->text, r->syscall, (int)r->tid, strerror(-e));
		_log(s, r->tid, r->syscall, r->path, r->access, DEC_DENY, rule, EACCES);
		return EACCES;
	}
	s->granted[rule - s->profile->rules] = true;
	session_cache_drop(s);	/* the view changed */
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
	bool ok, probe;
	int err;

	if (s->mode == MODE_LEARN)
		return _learn_file(s, r);
	ok = _allows(s, r, r->path, &rule);
	/* A grant opens on a use (ok: the rule's rights allow it): an open that reads, writes or
	 * creates, or an exec, of its path or below; and a lookup of a path below it (programs stat
	 * a file before they open it: sort, cp, tar). A lookup of the grant's own path (stat, access,
	 * readlink, an O_PATH open: what a listing of its parent does, ls -l) sees what the view
	 * shows until then, the placeholder. */
	if (ok && rule && rule->grant && s->grant && !s->granted[rule - s->profile->rules] &&
	    ((r->judged && (r->access & (ACC_READ | ACC_WRITE | ACC_CREATE | ACC_EXEC))) ||
	     strcmp(r->path, rule->pattern)))
		return _grant(s, r, rule);
	if (!r->judged) {	/* recorded, but enforce does not stop it (the view does) */
		_log(s, r->tid, r->syscall, r->path, r->access, DEC_ALLOW, NULL, 0);
		_cache_put(s, r, NULL);
		return 0;
	}
	/* Both the name and what it resolves to must be allowed, so a symlink cannot lead outside. */
	if (ok && r->canon && !_allows(s, r, r->canon, &rule)) {
		ok = false;
		object = r->canon;
	}
	if (ok) {
		_log(s, r->tid, r->syscall, r->path, r->access, DEC_ALLOW, rule, 0);
		_cache_put(s, r, rule);
		return 0;
	}
	if (!_valid(r))
		return -1;
	/* A lookup of a path missing on the host as in the view (a stat, an open or an exec of it;
	 * not a create) gets the kernel's own answer, ENOENT, whatever rule names it: it is logged, not
	 * announced, as programs probe many such paths ($PATH, library and module searches), and
	 * counted for one summary line at the end (s->probes). A denial line is for something that
	 * exists, or a name the program would create. */
	probe = !r->exists && r->access != ACC_CREATE;
	/* an ask rule's denial, or any with --ask: the user decides (logged as ask-allow/ask-deny) */
	if (!probe && s->ask && s->mode == MODE_ENFORCE &&
	    (s->ask_all || (rule && rule->ask && (policy_rights(rule->ask_kind) & r->access))))
		return s->ask(s->ask_ctx, s, r, object, rule);
	s->denials++;
	if (probe)
		s->probes++;
	else
		_say(s, r, object, rule);
	if (s->mode == MODE_AUDIT) {
		_log(s, r->tid, r->syscall, object, r->access, DEC_AUDIT, rule, 0);
		return 0;
	}
	err = probe ? ENOENT : EACCES;
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
		if (r->op == NETRULE_BIND)	/* a unix socket name may appear */
			_changed(s, r->tid);
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
		if (!rule && s->ask_net && s->mode == MODE_ENFORCE &&
		    (s->ask_all || netrule_match_ask(s->profile->netrules, s->profile->nnet, r->op,
						     (enum netrule_proto)r->proto, r->sa, r->len)))
			return s->ask_net(s->ask_ctx, s, r, object);	/* it logs the answer */
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

/* _name_of - syscall NR's name, kept by S for the rest of the run, so that events can name it
 * after this call returned (session_commit) and tallies key on it. Dies on OOM. */
static const char *_name_of(struct session *s, int nr)
{
	char *name = strmap_get(&s->names, "", (uint64_t)nr);

	if (!name) {
		name = sys_name(nr);
		strmap_put(&s->names, "", (uint64_t)nr, name);
	}
	return name;
}

int session_syscall(struct session *s, pid_t tid, int nr)
{
	const char *name = _name_of(s, nr);
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

/* _free_seen - strmap_each callback: free one entry (of seen or names). */
static void _free_seen(void *value, void *arg)
{
	(void)arg;
	free(value);
}

void session_free(struct session *s)
{
	strmap_each(&s->seen, _free_seen, NULL);
	strmap_free(&s->seen);
	strmap_each(&s->names, _free_seen, NULL);
	strmap_free(&s->names);
	strmap_free(&s->pins);
	learn_free(&s->learned);
	netlearn_free(&s->netlearned);
}
