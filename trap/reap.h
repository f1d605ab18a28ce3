/* reap.h - the supervisor's process-tree bookkeeping: reaping, and ending leftovers.
 * The supervisor is a child subreaper, so every orphaned descendant becomes its child.
 */
#ifndef SUPERVISE_REAP_H
#define SUPERVISE_REAP_H

#include <signal.h>
#include <stdbool.h>
#include <sys/types.h>

#include "../db/writer.h"
#include "backend.h"

/* reap_signals - drain the signalfd of L (reap_forward_signals), reap children on SIGCHLD.
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

/* reap_forward_signals - drain the signalfd of L without reaping (SIGCHLD only says "call
 * waitpid"): SIGTERM, SIGHUP, SIGINT and SIGQUIT go on to the tree (without a jail to every
 * process of it, in a jail to the command's process, relayed by the jail's C and I; not
 * SIGINT/SIGQUIT that the terminal sent, which the tree got itself) and arm the grace period of
 * L->kill_after_ms (ITIMER_REAL; none for 0; not armed by the terminal's SIGINT/SIGQUIT). Its
 * SIGALRM kills the tree (reap_tree_signal) if the command still runs, with one line, and the
 * command's status becomes "killed by SIGKILL". */
void reap_forward_signals(struct launch *l);

/* reap_note_helpers - before the command is forked: note the supervisor's children then (the
 * grant helper), which are not part of the tree that reap_tree_signal walks. */
void reap_note_helpers(struct launch *l);

/* reap_tree_signal - send SIG to every process of L's tree: the supervisor's children but the
 * helpers, and their descendants (reap.c says why none is missed). SIGSTOP and SIGKILL stop the
 * tree pass by pass until no new process shows up (at most 16 passes); SIGKILL then kills every
 * process found. Other signals go to each process once, as found. Callable from any thread. */
void reap_tree_signal(struct launch *l, int sig);

/* reap_only_helpers - whether the supervisor's only children left are L's helpers (or none). */
bool reap_only_helpers(const struct launch *l);

/* reap_tree_pids - the processes of L's tree now (one pass, nothing sent): *OUT (malloc'd, the
 * caller frees) gets their pids, the command's process and its parents in the jail first. Returns
 * how many. Callable from any thread; dies on OOM. */
size_t reap_tree_pids(const struct launch *l, pid_t **out);

/* reap_log_trouble - db_writer trouble hook (writer.h) with CTX a struct launch: hold the tree
 * stopped (DB_WRITER_HOLD), let it go on (DB_WRITER_RESUME), or kill it (DB_WRITER_FAILED).
 * Returns true when the command was still running, false when there was no tree to act on. */
bool reap_log_trouble(void *ctx, enum db_writer_trouble what);

/* reap_wait_all - block until the command's process has exited (after a failed start). */
void reap_wait_all(struct launch *l);

/* reap_signal_set - *SET := the signals a supervising process takes through a signalfd: SIGCHLD
 * and the ending ones (SIGTERM, SIGHUP, SIGINT, SIGQUIT). */
void reap_signal_set(sigset_t *set);

#endif
