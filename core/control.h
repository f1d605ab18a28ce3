/* control.h - live control of a running run: `supervise grant` and `supervise revoke` from
 * another terminal, through the control socket (core/gate.h says who may use it).
 *
 * What a request does:
 *   - grant KIND PATH: PATH (resolved on the host, it must exist) gets a rule of KIND for the rest
 *     of the run. In a jail it is also mounted into the jail's view, as a first-touch grant is
 *     (jail/grant.h), so that the kernel enforces it from then on: onto what the view shows at
 *     PATH, or, when the view lacks it, onto a mount point made on the view's root (only there: a
 *     path whose deepest directory in the view is a mounted tree, from the host or a tmpfs rule, is
 *     refused with a message saying to grant that directory). Without a jail (--no-jail, audit)
 *     only the rule is added: supervise's check is then all there is. Learn allows everything and
 *     refuses grants.
 *   - revoke PATH: takes back a grant of this run, live or from a grant line. The mount is detached
 *     (MNT_DETACH): new opens see what the view showed before (the mount point, mode 0), while
 *     files already open under PATH stay open until closed; the answer names them (pid and fd)
 *     so that the user knows. The rule goes too (a grant line's rule is shadowed by a deny).
 * Each request is logged: decision grant or revoke, syscall "supervise grant"/"supervise revoke",
 * the caller's pid, the rule. A refused caller is logged as a deny of the control socket.
 * The rules change under the session's lock, taken for writing; a rule is never freed before the
 * run ends (events and the cache hold their text).
 */
#ifndef SUPERVISE_CONTROL_H
#define SUPERVISE_CONTROL_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "../trap/backend.h"
#include "gate.h"

struct granter;

struct control {
	struct gate gate;
	pthread_t thread;
	bool running;			/* the thread serving the gate */
	bool started;			/* control_start ran: the lock is in use */
	pthread_rwlock_t lock;		/* the session's (session.h), when running */
	struct launch *l;
	struct profile *profile;	/* L's session's, writable */
	struct granter *granter;	/* the jail's grant helper, or NULL (no jail) */
	int64_t run;
	char **kept;			/* texts and patterns of removed rules, freed at the end */
	size_t nkept;
};

/* control_gate - start the gate (gate.h) for this supervisor, whose rules are PROFILE's; with
 * JAIL, PROFILE gains a deny of the socket's directory, so that the view never shows it. Setup
 * regime: single-threaded, before any namespace is entered. Without a gate (a message says why)
 * the run goes on without a control socket (C->gate.fd stays -1). */
void control_gate(struct control *c, struct profile *profile, bool jail);

/* control_start - from now on, change the rules of launch L (its child forked and attached) of
 * run RUN, mounting through GRANTER (NULL without a jail): sets L->sess->lock, and with a gate
 * serves its requests in a thread of its own. Dies if the thread cannot start. */
void control_start(struct control *c, struct launch *l, struct granter *granter, int64_t run);

/* control_allow - what an ask answer "allow" does (core/ask.h), as a grant request does: PATH
 * (resolved on the host; it must exist) gets a rule of KIND logged as TEXT, mounted into the jail
 * when there is one. A deny of exactly PATH (the ask rule's) becomes that allow for the rest of
 * the run. After control_start. 0, or -errno with a one-line reason in ERR. */
int control_allow(struct control *c, enum rule_kind kind, const char *path, const char *text,
		  char *err, size_t errlen);

/* control_allow_net - the same for a network access: LINE, a connect or bind rule ("connect tcp
 * 1.2.3.4:443"), is added to the run's network rules. 0, or -EINVAL with the reason in ERR. */
int control_allow_net(struct control *c, const char *line, char *err, size_t errlen);

/* control_stop - end the thread and the gate, remove the socket, free what C holds. Fine on a C
 * never started. */
void control_stop(struct control *c);

#endif
