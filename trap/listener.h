/* listener.h - the probe for another supervisor's listener in the filter chain. */
#ifndef SUPERVISE_LISTENER_H
#define SUPERVISE_LISTENER_H

#include <stdbool.h>

/* listener_busy - whether this process's seccomp filter chain already holds a listener
 * (another supervisor's), so that the kernel refuses a new one with EBUSY. False at once when
 * /proc/self/status shows no seccomp filter at all; otherwise probed once, in a throwaway child
 * that loads a one-rule USER_NOTIF filter. Cached. False when the probe cannot tell (then notify
 * itself reports the failure). */
bool listener_busy(void);

#endif
