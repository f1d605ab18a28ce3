/* backend_select.h - which supervision backend runs a command (--backend). */
#ifndef SUPERVISE_BACKEND_SELECT_H
#define SUPERVISE_BACKEND_SELECT_H

#include <stdbool.h>

#include "../trap/backend.h"

enum backend_choice {
	BACKEND_AUTO,	/* notify, or ptrace when notify cannot work or --backtrace asks for it */
	BACKEND_NOTIFY,
	BACKEND_PTRACE,
};

/* backend_select - the ops for CHOICE. AUTO picks the tracer with BACKTRACE (a thread waiting
 * for a notification cannot be stopped cheaply to unwind it), or when listener_busy() (trap/listener.h)
 * (then printing one notice, silenced by -q); notify otherwise. */
const struct backend_ops *backend_select(enum backend_choice choice, bool backtrace);

#endif
