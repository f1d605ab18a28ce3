/* reap.h - the supervisor's process-tree bookkeeping: reaping, and ending leftovers.
 * The supervisor is a child subreaper, so every orphaned descendant becomes its child.
 */
#ifndef SUPERVISE_REAP_H
#define SUPERVISE_REAP_H

#include <stdbool.h>

#include "backend.h"

/* reap_signals - drain the signalfd of L: forward SIGTERM/SIGHUP to the command, ignore
 * SIGINT/SIGQUIT (the terminal delivers them to the command too), reap children on SIGCHLD.
 * Returns true once the command has exited and no child is left. */
bool reap_signals(struct launch *l);

/* reap_children - reap every exited child without blocking; record the command's status; once the
 * command has exited, SIGKILL every remaining child (descendants do not outlive the command).
 * Returns true when no child is left. */
bool reap_children(struct launch *l);

/* reap_wait_all - block until every child has exited (after a failed start). */
void reap_wait_all(struct launch *l);

#endif
