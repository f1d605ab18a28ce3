/* grant.h - runtime grants: bind-mounting a path into the running jail on first touch.
 *
 * Unprivileged, this needs CAP_SYS_ADMIN over a copy of the host tree (open_tree's clone) and
 * over the jail's namespaces: supervise first enters its own user+mount namespace
 * (grant_enter_own_ns), so the jail's namespaces nest below it. A multithreaded process cannot
 * setns into a user namespace, so a single-threaded helper, forked before any thread starts,
 * forks one worker per grant: open_tree(CLONE|RECURSIVE) + mount_setattr in our namespace, setns
 * into the calling thread's user and mount namespaces, then move_mount onto the placeholder
 * (opened without following links, so the program cannot redirect the mount).
 */
#ifndef SUPERVISE_GRANT_H
#define SUPERVISE_GRANT_H

#include <sys/types.h>

struct granter;

/* grant_enter_own_ns - move supervise into a new user+mount namespace mapping its uid and gid to
 * themselves. Setup regime: call single-threaded, before the jail is forked. 0 or -errno. */
int grant_enter_own_ns(void);

/* granter_start - fork the single-threaded grant helper. NULL (after a message) on failure. */
struct granter *granter_start(void);

/* granter_mount - bind the host PATH (canonical) onto the same path in the mount namespace of
 * thread TID, with MA_* ATTRS (jail/plan.h). Blocks until done. 0 or -errno. */
int granter_mount(struct granter *g, pid_t tid, const char *path, unsigned attrs);

/* granter_stop - end the helper and free G (NULL is fine). */
void granter_stop(struct granter *g);

#endif
