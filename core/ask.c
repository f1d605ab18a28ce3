/* ask.c - asking the user about a denied access while the program runs (see ask.h). */
#include "ask.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../common/path.h"
#include "../common/strmap.h"
#include "../common/sys.h"
#include "../common/util.h"
#include "../db/db.h"
#include "../db/writer.h"
#include "profile_load.h"
#include "question.h"

/* One question: a denied call waiting for the user's answer. */
struct ask_item {
	struct ask_item *next;		/* the queue */
	struct ask_item *twins;		/* the same question, asked while this one was pending */
	char object[PATH_MAX];		/* what was denied */
	char grant[PATH_MAX];		/* what an allow gives KIND on (a create: the directory) */
	enum access acc;
	enum rule_kind kind;
	pid_t tid;
	const char *syscall;		/* a static name */
	bool net;			/* a network access: GRANT is the rule line an allow adds */
	bool deferred;			/* answer the notification (ID on FD) when done */
	uint64_t id;
	int fd;
};

struct asker {
	struct control *c;
	struct session *s;
	struct ask_opts o;
	int tty;			/* /dev/tty, or -1: every answer is deny */
	char ttyname[64];
	pthread_mutex_t mu;		/* the queue, current, stop and denied */
	pthread_cond_t cv;
	struct ask_item *head, **tail, *current;
	bool stop;
	pthread_t thread;
	struct strmap denied;		/* (grant path, kind) answered deny in this run */
	pthread_mutex_t tty_mu;		/* one question on the terminal at a time */
	int wake[2];			/* a pipe: ask_stop ends a question waiting for its answer */
};

static char _denied_mark;	/* the value of a.denied's entries (a map cannot hold NULL) */

bool ask_wanted(const struct profile *p, bool all)
{
	for (size_t i = 0; !all && i < p->n; i++)
		all = p->rules[i].ask;
	for (size_t i = 0; !all && i < p->nnet; i++)
		all = p->netrules[i].ask;
	return all;
}

int ask_check(bool jail, char *err, size_t errlen)
{
	char v = '1';
	int fd;

	if (jail)
		return 0;	/* the jail refuses TIOCSTI and TIOCLINUX (trap/confine.c) */
	fd = open("/proc/sys/dev/tty/legacy_tiocsti", O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		if (read(fd, &v, 1) != 1)
			v = '1';
		close(fd);
	}
	if (v == '0')
		return 0;
	snprintf(err, errlen, "ask without the jail: the program could type an answer into the "
		 "terminal (TIOCSTI), as dev.tty.legacy_tiocsti is not 0; drop --no-jail (and "
		 "--no-syscall-filter, which lets TIOCSTI through too), or set that sysctl to 0");
	return -EPERM;
}

/* _log - log Q's answer: decision DEC, the rule TEXT. */
static void _log(struct asker *a, const struct ask_item *q, enum decision dec, const char *text)
{
	struct event ev = {
		.at_ms = now_ms(), .pid = q->tid, .syscall = q->syscall, .object = q->object,
		.access = q->acc, .decision = dec, .rule = text,
		.error = dec == DEC_ASK_DENY ? EACCES : 0,
	};

	if (a->s->writer)
		db_writer_push(a->s->writer, &ev);
}

/* _prog - the name of thread TID's program (its comm) into BUF. */
static const char *_prog(pid_t tid, char *buf, size_t len)
{
	char p[64];
	int fd;
	ssize_t n;

	snprintf(p, sizeof(p), "/proc/%d/comm", (int)tid);
	fd = open(p, O_RDONLY | O_CLOEXEC);
	n = fd >= 0 ? read(fd, buf, len - 1) : -1;
	if (fd >= 0)
		close(fd);
	if (n <= 0)
		n = snprintf(buf, len, "?");
	buf[n] = 0;
	buf[strcspn(buf, "\n")] = 0;
	return buf;
}

/* _say - write S on the terminal. */
static void _say(struct asker *a, const char *s)
{
	size_t n = strlen(s);

	while (n) {
		ssize_t w = write(a->tty, s, n);

		if (w <= 0 && errno != EINTR)
			return;
		if (w > 0) {
			s += w;
			n -= (size_t)w;
		}
	}
}

/* _ask_user - put Q to the user and wait for the answer (deny after the timeout, or with no
 * terminal). WHO (LEN) gets who answered. */
static enum ask_answer _ask_user(struct asker *a, const struct ask_item *q, char *who, size_t len)
{
	char question[3 * PATH_MAX + 512], prog[64], line[256];
	int64_t end = now_ms() + (int64_t)a->o.timeout_s * 1000;
	enum ask_answer ans = ASK_UNCLEAR;

	if (a->tty < 0) {
		snprintf(who, len, "no terminal");
		return ASK_DENY_ONCE;
	}
	if (q->net)
		ask_question_net(question, sizeof(question), _prog(q->tid, prog, sizeof(prog)),
				 (int)q->tid, q->object, q->syscall, q->grant, a->o.profile,
				 a->o.timeout_s);
	else
		ask_question(question, sizeof(question), _prog(q->tid, prog, sizeof(prog)),
			     (int)q->tid, q->acc, q->object, q->syscall, q->kind, q->grant,
			     a->o.profile, a->o.timeout_s);
	pthread_mutex_lock(&a->tty_mu);
	_say(a, question);
	while (ans == ASK_UNCLEAR) {
		struct pollfd pfd[2] = { { .fd = a->tty, .events = POLLIN },
					 { .fd = a->wake[0], .events = POLLIN } };
		int64_t left = end - now_ms();
		ssize_t n;

		if (left > 0 && poll(pfd, 2, (int)left) > 0 && pfd[1].revents) {
			snprintf(who, len, "the run ended");
			_say(a, "\nsupervise: ask: the run ended: denied\n");
			pthread_mutex_unlock(&a->tty_mu);
			return ASK_DENY_ONCE;
		}
		if (left <= 0 || !pfd[0].revents) {
			snprintf(who, len, "no answer in %u s", a->o.timeout_s);
			_say(a, "\nsupervise: ask: no answer: denied\n");
			pthread_mutex_unlock(&a->tty_mu);
			return ASK_DENY_ONCE;
		}
		n = read(a->tty, line, sizeof(line));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			snprintf(who, len, "the terminal closed");
			pthread_mutex_unlock(&a->tty_mu);
			return ASK_DENY_ONCE;
		}
		ans = ask_parse_answer(line, (size_t)n);
		if (ans == ASK_UNCLEAR)
			_say(a, "supervise: ask: answer o (once), a (always), d (deny) or n (never): ");
	}
	pthread_mutex_unlock(&a->tty_mu);
	snprintf(who, len, "answered on %s", a->ttyname);
	return ans;
}

/* _persist - add LINE to the run's profile: the file, or the stored profile. Says why not. */
static void _persist(struct asker *a, const char *line)
{
	_cleanup_free_ char *text = NULL, *more = NULL;
	struct profile p = { 0 };
	char err[512];
	sqlite3 *db = NULL;
	int fd, r;

	if (profile_is_file(a->o.profile)) {
		more = xasprintf("%s\t# supervise ask\n", line);
		fd = open(a->o.profile, O_WRONLY | O_APPEND | O_CLOEXEC);
		r = fd >= 0 && write(fd, more, strlen(more)) == (ssize_t)strlen(more) ? 0 : -errno;
		if (fd >= 0)
			close(fd);
		if (r < 0)
			errx("%s: cannot add \"%s\": %s", a->o.profile, line, strerror(-r));
		return;
	}
	r = db_open(a->o.dbpath, &db, err, sizeof(err));
	if (r == 0 && (r = db_profile_get(db, a->o.profile, &text)) == 0) {
		more = xasprintf("%s%s%s\n", text, *text && text[strlen(text) - 1] != '\n' ? "\n" : "",
				 line);
		r = policy_parse(more, a->o.profile, a->o.home, &p, err, sizeof(err));
		if (r == 0)
			r = db_profile_put(db, a->o.profile, more, &p);
	}
	if (r < 0)
		errx("profile %s: cannot add \"%s\" (%s)", a->o.profile, line,
		     r == -EINVAL ? err : db ? sqlite3_errmsg(db) : err);
	policy_free(&p);
	db_close(db);
}

/* _key - the tag of Q's (path, kind) in a.denied. */
static uint64_t _key(const struct ask_item *q)
{
	return (uint64_t)q->kind;
}

/* _apply - carry out answer ANS (by WHO) to Q: rules, profile, log. Whether the call may go on. */
static bool _apply(struct asker *a, const struct ask_item *q, enum ask_answer ans, const char *who)
{
	_cleanup_free_ char *text = xasprintf("ask: %s (%s)", ask_answer_name(ans), who);
	_cleanup_free_ char *line = NULL;
	char err[3 * PATH_MAX + 512];

	if (q->net && ans == ASK_NEVER)
		ans = ASK_DENY_ONCE;	/* network rules have no deny: asked, "never" is not offered */
	if (ask_allows(ans) && (q->net ? control_allow_net(a->c, q->grant, err, sizeof(err)) :
			       control_allow(a->c, q->kind, q->grant, text, err, sizeof(err))) < 0) {
		errx("ask: cannot allow %s: %s", q->grant, err);
		free(text);
		text = xasprintf("ask: %s (%s), but it could not be granted: %s", ask_answer_name(ans),
				 who, err);
		ans = ASK_DENY_ONCE;
	}
	if (!ask_allows(ans)) {
		pthread_mutex_lock(&a->mu);
		strmap_put(&a->denied, q->grant, _key(q), &_denied_mark);
		pthread_mutex_unlock(&a->mu);
	}
	if (ans == ASK_ALWAYS || ans == ASK_NEVER) {
		_cleanup_free_ char *esc = policy_path_escape(q->grant);

		line = q->net ? xstrdup(q->grant) :
		       ans == ASK_ALWAYS ? xasprintf("%s %s", rule_kind_name(q->kind), esc)
					 : xasprintf("deny %s", esc);
		_persist(a, line);
	}
	_log(a, q, ask_allows(ans) ? DEC_ASK_ALLOW : DEC_ASK_DENY, text);
	return ask_allows(ans);
}

/* _reply - answer Q's notification: let it go on (ALLOWED) or fail it with EACCES. */
static void _reply(const struct ask_item *q, bool allowed)
{
	int r = allowed ? sys_notif_continue(q->fd, q->id) : sys_notif_answer(q->fd, q->id, 0, EACCES);

	if (r < 0 && r != -ENOENT)
		errx("answering an asked call: %s", strerror(-r));
}

/* _finish - Q was answered ALLOWED (WHO): answer it and its twins, free them. */
static void _finish(struct asker *a, struct ask_item *q, bool allowed)
{
	while (q) {
		struct ask_item *next = q->twins;

		if (q->deferred)
			_reply(q, allowed);
		free(q);
		q = next;
		(void)a;
	}
}

/* _thread - the asker: one question at a time, until stopped. */
static void *_thread(void *arg)
{
	struct asker *a = arg;
	char who[128];

	pthread_setname_np(pthread_self(), "sv-ask");
	for (;;) {
		struct ask_item *q, *twins;
		enum ask_answer ans;
		bool allowed, stop;

		pthread_mutex_lock(&a->mu);
		while (!a->head && !a->stop)
			pthread_cond_wait(&a->cv, &a->mu);
		if (!a->head) {
			pthread_mutex_unlock(&a->mu);
			return NULL;
		}
		q = a->head;
		a->head = q->next;
		if (!a->head)
			a->tail = &a->head;
		a->current = q;
		stop = a->stop;
		pthread_mutex_unlock(&a->mu);
		if (stop) {
			snprintf(who, sizeof(who), "the run ended");
			ans = ASK_DENY_ONCE;
		} else {
			ans = _ask_user(a, q, who, sizeof(who));
		}
		allowed = _apply(a, q, ans, who);
		pthread_mutex_lock(&a->mu);
		a->current = NULL;
		twins = q->twins;
		pthread_mutex_unlock(&a->mu);
		for (struct ask_item *t = twins; t; t = t->twins)
			_log(a, t, allowed ? DEC_ASK_ALLOW : DEC_ASK_DENY,
			     allowed ? "ask: allowed (the same question, pending)" :
				       "ask: denied (the same question, pending)");
		_finish(a, q, allowed);
	}
}

/* _same - whether P asks what Q asks. */
static bool _same(const struct ask_item *p, const struct ask_item *q)
{
	return p->kind == q->kind && !strcmp(p->grant, q->grant);
}

/* _twin - under A->mu: the pending question Q repeats, or NULL. */
static struct ask_item *_twin(struct asker *a, const struct ask_item *q)
{
	if (a->current && _same(a->current, q))
		return a->current;
	for (struct ask_item *p = a->head; p; p = p->next)
		if (_same(p, q))
			return p;
	return NULL;
}

/* _item - the question for R's denial of OBJECT. NULL when there is nothing an allow could give
 * (a file to create in a directory that does not exist). */
static struct ask_item *_item(const struct file_req *r, const char *object)
{
	struct ask_item *q = xcalloc(1, sizeof(*q));

	snprintf(q->object, sizeof(q->object), "%s", object);
	snprintf(q->grant, sizeof(q->grant), "%s", object);
	q->acc = r->access;
	q->kind = ask_kind_for(r->access);
	q->tid = r->tid;
	q->syscall = r->syscall;
	if (!r->exists) {	/* a create: the directory it would be made in */
		char *slash = strrchr(q->grant, '/');

		if (slash == q->grant)
			slash[1] = 0;
		else if (slash)
			*slash = 0;
		if (access(q->grant, F_OK) < 0) {
			free(q);
			return NULL;
		}
	}
	if (r->deferrable) {
		q->deferred = true;
		q->id = r->notif_id;
		q->fd = r->notif_fd;
	}
	return q;
}

/* _ask_here - answer Q in the calling thread (the loop's), with S's lock released while the
 * user is asked; DENIED: answered deny before in this run, only logged. Frees Q. 0 or EACCES. */
static int _ask_here(struct asker *a, struct session *s, struct ask_item *q, bool denied)
{
	char who[128];
	bool allowed = false;

	if (denied) {
		_log(a, q, DEC_ASK_DENY, "ask: denied (answered before in this run)");
	} else {
		session_release(s);	/* the answer changes the rules: see control.h */
		allowed = _apply(a, q, _ask_user(a, q, who, sizeof(who)), who);
		session_hold(s);
	}
	free(q);
	return allowed ? 0 : EACCES;
}

/* _hook - session.ask (see session.h): deny what was answered deny in this run; queue the
 * question for the asker (notify), or ask it here (ptrace: the tree waits). */
static int _hook(void *ctx, struct session *s, const struct file_req *r, const char *object,
		 const struct rule *rule)
{
	struct asker *a = ctx;
	struct ask_item *q = _item(r, object), *twin;
	bool denied;

	(void)rule;
	if (!q)
		return EACCES;
	pthread_mutex_lock(&a->mu);
	denied = a->stop || strmap_get(&a->denied, q->grant, _key(q));
	if (!denied && q->deferred && (twin = _twin(a, q))) {
		q->twins = twin->twins;
		twin->twins = q;
	} else if (!denied && q->deferred) {
		*a->tail = q;
		a->tail = &q->next;
		pthread_cond_signal(&a->cv);
	}
	pthread_mutex_unlock(&a->mu);
	if (!denied && q->deferred)
		return SESSION_DEFERRED;
	return _ask_here(a, s, q, denied);
}

/* _net_hook - session.ask_net (see session.h): asked here, in the loop thread (a network call is
 * emulated or let go on there), with the session's lock released. */
static int _net_hook(void *ctx, struct session *s, const struct net_req *r, const char *object)
{
	struct asker *a = ctx;
	_cleanup_free_ char *desc = netrule_describe((enum netrule_proto)r->proto, r->sa, r->len);
	struct ask_item *q = xcalloc(1, sizeof(*q));
	bool denied;

	snprintf(q->object, sizeof(q->object), "%s", object);
	snprintf(q->grant, sizeof(q->grant), "%s %s", r->op == NETRULE_BIND ? "bind" : "connect",
		 desc);
	q->net = true;
	q->acc = ACC_CONNECT;
	q->tid = r->tid;
	q->syscall = r->syscall;
	pthread_mutex_lock(&a->mu);
	denied = a->stop || strmap_get(&a->denied, q->grant, _key(q));
	pthread_mutex_unlock(&a->mu);
	return _ask_here(a, s, q, denied);
}

struct asker *ask_start(struct control *c, struct session *s, const struct ask_opts *o)
{
	struct asker *a = xcalloc(1, sizeof(*a));
	int r;

	a->c = c;
	a->s = s;
	a->o = *o;
	a->tail = &a->head;
	a->tty = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (a->tty < 0 && !s->quiet)
		errx("ask: no terminal (%s): every question is answered deny", strerror(errno));
	else if (ttyname_r(a->tty, a->ttyname, sizeof(a->ttyname)) != 0)
		snprintf(a->ttyname, sizeof(a->ttyname), "/dev/tty");
	if (pipe2(a->wake, O_CLOEXEC) < 0)
		die_errno("pipe2");
	pthread_mutex_init(&a->mu, NULL);
	pthread_mutex_init(&a->tty_mu, NULL);
	pthread_cond_init(&a->cv, NULL);
	r = pthread_create(&a->thread, NULL, _thread, a);
	if (r != 0)
		die("cannot start the ask thread: %s", strerror(r));
	s->ask = _hook;
	s->ask_net = _net_hook;
	s->ask_ctx = a;
	return a;
}

void ask_stop(struct asker *a)
{
	if (!a)
		return;
	pthread_mutex_lock(&a->mu);
	a->stop = true;
	pthread_cond_signal(&a->cv);
	pthread_mutex_unlock(&a->mu);
	if (write(a->wake[1], "x", 1) < 0)
		errx("ask: cannot end the question asked: %s", strerror(errno));
	pthread_join(a->thread, NULL);
	close(a->wake[0]);
	close(a->wake[1]);
	a->s->ask = NULL;
	a->s->ask_net = NULL;
	a->s->ask_ctx = NULL;
	if (a->tty >= 0)
		close(a->tty);
	strmap_free(&a->denied);
	pthread_cond_destroy(&a->cv);
	pthread_mutex_destroy(&a->mu);
	pthread_mutex_destroy(&a->tty_mu);
	free(a);
}
