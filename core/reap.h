/* reap.h - the supervisor's process-tree bookkeeping: reaping, and ending leftovers.
 * The supervisor is a child subreaper, so every orphaned descendant becomes its child.
 */
#ifndef SUPERVISE_REAP_H
#define SUPERVISE_REAP_H

#include <stdbool.h>
#include <sys/types.h>

#include "backend.h"

/* reap_signals - drain the signalfd of L: forward SIGTERM/SIGHUP to the command, ignore
 * SIGINT/SIGQUIT (the terminal delivers them to the command too), reap children on SIGCHLD.
 * Returns true once the command has exited and no child is left. */
bool reap_signals(struct launch *l);

/* reap_children - reap every exited child without blocking; record the command's status; once the
 * command has exited, SIGKILL every remaining child (descendants do not outlive the command).
 * Returns true when no child is left. */
bool reap_children(struct launch *l);

/* The pieces of reap_children for a backend that waits itself (the tracer: its waitpid also
 * returns ptrace stops, which reap_children would swallow). */

/* reap_record - note that PID changed state with wait status ST; records the command's status
 * when PID is the command and ST says it exited or was killed (stops are ignored). */
void reap_record(struct launch *l, pid_t pid, int st);

/* reap_none_left - waitpid said ECHILD: if the command's status was never seen, record a
 * supervisor failure (125). Returns true. */
bool reap_none_left(struct launch *l);

/* reap_leftovers - once the command has exited, SIGKILL every remaining child. */
void reap_leftovers(struct launch *l);

/* reap_forward_signals - drain the signalfd of L without reaping: forward SIGTERM/SIGHUP to the
 * command, ignore the rest (SIGCHLD only says "call waitpid"). */
void reap_forward_signals(struct launch *l);

/* reap_wait_all - block until the command's process has exited (after a failed start). */
void reap_wait_all(struct launch *l);

#endif
