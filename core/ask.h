/* ask.h - asking the user, while the program runs, about an access the profile denies: `ask
 * read|write|exec PATH` lines, and `--ask` for every denial.
 *
 * The question goes to the supervisor's controlling terminal (/dev/tty), never to the program's
 * stdin. It names the program, its pid, the access, the path and the call. The answers:
 *   once      allowed for the rest of this run (mounted into the jail, as a grant)
 *   always    the same, and "KIND PATH" is added to the profile (the file, or the stored one)
 *   deny      denied for the rest of this run (not asked again)
 *   never     the same, and "deny PATH" is added to the profile
 * No terminal, or no answer within the timeout (--ask-timeout, default 30 s): deny, for this run.
 * An allow grants the access asked for on that path: read for a read or a lookup, write for a
 * write; a file to be created gets write on its directory, which must exist.
 *
 * Under the notify backend only the calling thread waits: the notification is handed to the
 * asker's thread, which answers it (CONTINUE or EACCES) once the user did; the program's other
 * threads go on, and their own questions queue. The same question (path and rule) asked again
 * while it is pending waits for the same answer. Under ptrace the whole tree waits (the tracer
 * answers one stop at a time).
 *
 * Faking an answer: the program cannot type into the terminal (TIOCSTI and TIOCLINUX are refused
 * in the jail; without the jail ask is refused unless the kernel refuses TIOCSTI itself,
 * dev.tty.legacy_tiocsti = 0). It can print text that looks like a question, which is why the
 * question says what it is and what each answer adds; and, sharing the terminal, it may read
 * keystrokes meant for the question: the answer is then missing, which is a deny.
 * Each answer is logged: decision ask-allow or ask-deny, the rule "ask: ANSWER (WHO)", WHO being
 * the terminal, "no terminal" or "no answer in N s".
 */
#ifndef SUPERVISE_ASK_H
#define SUPERVISE_ASK_H

#include <stdbool.h>

#include "control.h"
#include "../trap/session.h"

struct asker;

/* What ask is told at the start. */
struct ask_opts {
	unsigned timeout_s;	/* --ask-timeout */
	const char *profile;	/* --enforce's PROFILE: a file, or a stored profile's name */
	const char *dbpath;	/* where a stored profile lives */
	const char *home;	/* what "~" means in it */
};

/* ask_wanted - whether a run of profile P with --ask (ALL) asks at all. */
bool ask_wanted(const struct profile *p, bool all);

/* ask_check - setup: ask cannot be faked here (see above); JAIL: the jail refuses TIOCSTI (a jail
 * without --no-syscall-filter). 0, or -EPERM with a reason in ERR. */
int ask_check(bool jail, char *err, size_t errlen);

/* ask_start - open the terminal and start the asker's thread, whose answers change the rules
 * through C (control_allow) and log through S's writer. Sets S->ask. Call after
 * control_start. Dies if the thread cannot start. */
struct asker *ask_start(struct control *c, struct session *s, const struct ask_opts *o);

/* ask_stop - answer deny to every question still pending, end the thread, free A (NULL fine).
 * Unsets S->ask. */
void ask_stop(struct asker *a);

#endif
