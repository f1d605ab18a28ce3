/* keeper.h - without a jail, the process that takes the command's tree down with the supervisor
 * (keeper.c says why one is needed and why it is safe).
 */
#ifndef SUPERVISE_KEEPER_H
#define SUPERVISE_KEEPER_H

#include "../trap/backend.h"

/* keeper_enter - in the forked child, before the backend's child_enter, without a jail and under
 * a backend whose tree would outlive the supervisor (backend_ops.keeper): fork. The parent
 * becomes the keeper K and never returns: a child subreaper that holds the listener S sends on
 * SOCK[1] (S keeps SOCK[0]), kills its whole tree when S's end of SOCK closes (S died) or once the
 * command has exited, and exits with the command's wait status. The child returns, as the
 * command's process, with the parent-death signal SIGKILL (K) and the signal mask of before;
 * both ends of SOCK are closed in it. Any failure exits 125 (setup regime). */
void keeper_enter(struct launch *l, int sock[2]);

#endif
