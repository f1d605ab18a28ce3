/* session.h - what one supervised run decides, logs and learns, independent of the backend.
 * Backends decode a trapped syscall into a request and ask the session; the session answers with
 * an errno (0 = let the call proceed) and has already logged and learned the event.
 */
#ifndef SUPERVISE_SESSION_H
#define SUPERVISE_SESSION_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "../common/event.h"
#include "../common/strmap.h"
#include "../db/writer.h"
#include "../learn/learn.h"
#include "../learn/netlearn.h"
#include "../policy/policy.h"

struct file_req;
struct net_req;

/* Events of the call being decided, held back until the backend answered it (session_commit). */
#define SESSION_PENDING 4

struct session_pending {
	struct event ev;	/* .object points at obj */
	char obj[4224];		/* a path (PATH_MAX) or a network object with its host name */
};

struct session {
	enum run_mode mode;
	const struct profile *profile;	/* enforce/audit; NULL in learn */
	struct db_writer *writer;	/* may be NULL (tests) */
	struct learn_set learned;	/* learn mode only */
	struct netlearn netlearned;	/* learn mode only: endpoints */
	bool quiet;			/* -q: no per-denial line */
	/* grant - mount grant rule R into the jail of thread TID; 0 or -errno. NULL: no grants. */
	int (*grant)(void *ctx, pid_t tid, const struct rule *r);
	void *grant_ctx;
	bool *granted;			/* per profile rule: already granted */
	/* Set by the backend around one decision: the caller's stack (frames, one a line) to log
	 * with its events, or NULL. */
	const char *backtrace;
	uint64_t events, denials;
	uint64_t probes;		/* denied lookups of missing paths (ENOENT, not announced) */
	/* The syscall allowlist: enforce/audit with "syscalls" lines, the profile's; learn, @default
	 * (what is outside it is recorded). NULL: no list. */
	const struct sysset *sysallow;
	struct sysset sysused;		/* learn: the syscalls used outside sysallow */

	/* What the log keeps (doc/schema.md): every denial, grant and audit row in full; an allowed
	 * (object, access) once, with a count of its calls (struct event_tally), unless log_all. */
	bool log_all;
	/* Set by a backend that answers a call before its events may be logged (notify: a call
	 * interrupted before the answer never happened, and leaves no row); it then calls
	 * session_commit after each answer. */
	bool defer;
	struct session_pending pend[SESSION_PENDING];
	size_t npend;
	/* The decision cache (session_cached): on in a jail under enforce, where the kernel's view is
	 * the boundary and the check only decides what is logged. See session.c for what an entry
	 * means and when it is dropped. */
	bool cache;
	uint32_t gen;			/* entries of an older generation are stale */
	struct strmap seen;		/* (object, access) -> struct session_seen */
	uint64_t cache_hits;
	pid_t changer;			/* learn: a change of names may be under way (session.c) */
	int64_t changer_until;
	struct strmap names;		/* syscall number -> its name (session_syscall's events) */
	/* ppid_of - the parent process of thread TID, or 0; logged with each exec row (graph).
	 * NULL: none logged. */
	pid_t (*ppid_of)(pid_t tid);
	struct strmap pins;		/* directory -> whether the view pins it (session.c) */
	/* Live control (core/control.c) changes the rules while the run goes on: the backend holds
	 * LOCK for reading around each call it decides (session_hold .. session_release), control
	 * takes it for writing. NULL: nothing changes them. */
	pthread_rwlock_t *lock;
	/* ask - under enforce, a denial of a call that R, an ask rule (RULE) or --ask (ask_all) says
	 * to ask about: the user decides (core/ask.h). Returns 0, the errno, or SESSION_DEFERRED.
	 * OBJECT is what was denied (R's path or what it resolves to). NULL: nothing is asked. */
	int (*ask)(void *ctx, struct session *s, const struct file_req *r, const char *object,
		   const struct rule *rule);
	/* ask_net - the same for a network access R denied under enforce, that an ask rule (RULE)
	 * or --ask covers; OBJECT names it. Answered before it returns (0 or the errno): network
	 * calls are not deferred. */
	int (*ask_net)(void *ctx, struct session *s, const struct net_req *r, const char *object);
	void *ask_ctx;
	bool ask_all;			/* --ask: every denial is asked about */
};

/* session_file's answer for a call that another thread answers later (an ask question). */
#define SESSION_DEFERRED (-2)

/* One decoded file access. */
struct file_req {
	pid_t tid;
	const char *syscall;
	const char *path;	/* normalised absolute path as the child named it */
	const char *canon;	/* the same with every symlink resolved, or NULL if equal/unknown */
	enum access access;
	bool exists;		/* the path exists (decides ENOENT vs EACCES for unruled paths) */
	bool judged;		/* enforce mode checks this syscall (audit previews only those) */
	const char *interp;	/* learn, exec of a script: its "#!" interpreter, or NULL */
	bool hidden;		/* the host has it, the program's view does not (jail) */
	char **links;		/* learn, and the cache: the symbolic links passed on the way,
				 * NULL-terminated, or NULL */
	bool links_odd;		/* one of them has an odd target (resolve_links) */
	bool renames;		/* the call may add, remove or move a name (a create, unlink, rename) */
	/* still_valid - the call is still waiting (the arguments read belong to it); asked before
	 * anything with an effect beyond the answer (a grant, a denial line, learning). NULL: the
	 * thread stays stopped throughout (ptrace). */
	bool (*still_valid)(void *ctx);
	void *ctx;
	/* notify: the notification, which another thread may answer later (SESSION_DEFERRED) */
	bool deferrable;
	uint64_t notif_id;
	int notif_fd;
};

/* session_file - decide, log and learn one file access. The first access a grant rule allows
 * has the grant mounted (decision "grant") before the call proceeds; the session's single thread
 * serialises racing first touches, so each grant is mounted once.
 * Returns 0 to let the call proceed, or the positive errno to fail it with: EACCES for a denial,
 * ENOENT for a denied lookup of a path that exists neither on the host nor in the view (whatever
 * rule names it; not announced, counted in S->probes), or -1 when
 * R->still_valid said the call is gone (nothing logged, nothing to answer). Audit and learn never
 * deny. With S->cache, an allow of a path that the view pins (see session.c) is remembered for
 * session_cached. */
int session_file(struct session *s, const struct file_req *r);

/* session_allows_name - whether S's rules allow ACC on PATH by a rule that gives host files (not
 * a tmpfs rule, which the view decides by what exists). A pure query: nothing logged. */
bool session_allows_name(const struct session *s, const char *path, enum access acc);

/* session_cached - the decision cache: when S decided R's path and access before and that
 * decision still holds (session.c says when it does), log R as that allow and return true;
 * R->canon, exists and hidden are not looked at, so the caller may skip resolving them.
 * False: decide with session_file. */
bool session_cached(struct session *s, const struct file_req *r);

/* session_tally - how many allowed calls of SYSCALL (the static name events carry) with ACC on
 * OBJECT the row of that (object, access, syscall) counts so far; 0 when it has no tallied row
 * (none seen, or --log all). */
uint64_t session_tally(const struct session *s, const char *object, const char *syscall,
		       enum access acc);

/* session_cache_drop - forget every cached decision (the view or the rules changed). */
void session_cache_drop(struct session *s);

/* session_rules_changed - S's profile gained or lost a rule (live control, holding S->lock for
 * writing): forget every cached decision and what was worked out from the rules (pinned
 * directories). */
void session_rules_changed(struct session *s);

/* session_names_change - thread TID asked for a call that may change what names mean to the tree
 * (chroot, pivot_root, unshare, setns, a mount call): drop the cache (under learn, also hold it off
 * until the call is surely done). */
void session_names_change(struct session *s, pid_t tid);

/* session_commit - with S->defer: log the events of the call just answered (ANSWERED), or drop
 * them (the call was gone before its answer: it did not happen and will be trapped again if it
 * is restarted). */
void session_commit(struct session *s, bool answered);

/* One decoded network access: a connect (also a send carrying an address) or a bind. */
struct net_req {
	pid_t tid;
	const char *syscall;
	enum netrule_op op;
	int proto;			/* enum netrule_proto, or -1 (raw, SCTP, ...) */
	const struct sockaddr *sa;	/* the supervisor's copy; a unix path made absolute */
	socklen_t len;
	bool judged;			/* enforce decides it (false: record only) */
};

/* session_net - decide, log and learn one network access; the object is written like
 * "tcp 93.184.216.34:443", with " (HOST)" when HOST, a hostname of a rule, resolved to it.
 * Under enforce, what is checked (the rest is left to the net mode and the view):
 *   - IP (tcp/udp) when the profile has a tcp or udp rule; a bind to port 0 is always allowed;
 *   - abstract unix sockets under "net host" (the host's) or when a "unix @" rule exists;
 *   - unix socket paths when a "connect unix /path" rule exists.
 * A checked access no rule allows fails with EACCES (audit: logged, allowed). Returns 0 or
 * the errno. */
int session_net(struct session *s, const struct net_req *r);

/* session_syscall - a call of syscall NR by TID that the allowlist does not hold (the caller checked
 * sysset_has): logged with access "syscall" and the syscall's name as object. Learn records it and
 * audit reports it (both return 0); enforce prints the denial line and returns EPERM. */
int session_syscall(struct session *s, pid_t tid, int nr);

/* session_hold - the backend begins deciding one call: hold S's rules (S->lock) until
 * session_release. */
void session_hold(struct session *s);

/* session_release - the call that session_hold began is answered and logged. */
void session_release(struct session *s);

/* session_free - release what the session owns (the learned set). */
void session_free(struct session *s);

#endif
