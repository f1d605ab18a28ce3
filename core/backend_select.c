/* backend_select.c - choosing the backend (--backend). */
#include "backend_select.h"

#include "../common/util.h"
#include "../notify/notify.h"
#include "../tracer/tracer.h"
#include "../trap/listener.h"

const struct backend_ops *backend_select(enum backend_choice choice, bool backtrace)
{
	if (choice == BACKEND_NOTIFY)
		return &notify_backend;
	if (choice == BACKEND_PTRACE || backtrace)
		return &tracer_backend;
	if (!listener_busy())
		return &notify_backend;
	warnx("notify backend unavailable (another supervisor's listener is in this process's filter "
	      "chain): using ptrace");	/* silenced by -q */
	return &tracer_backend;
}
