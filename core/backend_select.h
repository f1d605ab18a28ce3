/* backend_select.h - which supervision backend runs a command (--backend). */
#ifndef SUPERVISE_BACKEND_SELECT_H
#define SUPERVISE_BACKEND_SELECT_H

#include <stdbool.h>

#include "backend.h"

enum backend_choice {
	BACKEND_AUTO,	/* notify, or ptrace when notify cannot work or --backtrace asks for it */
	BACKEND_NOTIFY,
	BACKEND_PTRACE,
};

/* backend_select - the ops for CHOICE. AUTO picks the tracer with BACKTRACE (a thread waiting
 * for a notification cannot be stopped cheaply to unwind it), or when backend_listener_busy()
 * (then printing one notice, silenced by -q); notify otherwise. */
const struct backend_ops *backend_select(enum backend_choice choice, bool backtrace);

/* backend_listener_busy - whether this process's seccomp filter chain already holds a listener
 * (another supervisor's), so that the kernel refuses a new one with EBUSY. False at once when
 * /proc/self/status shows no seccomp filter at all; otherwise probed once, in a throwaway child
 * that loads a one-rule USER_NOTIF filter. Cached. False when the probe cannot tell (then notify
 * itself reports the failure). */
bool backend_listener_busy(void);

#endif
