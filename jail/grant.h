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

#include <stdbool.h>
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

/* granter_mount_new - granter_mount for a PATH that the jail's view lacks: its mount point (a
 * directory when DIR, else an empty file, mode 0) and the missing directories above it are made
 * first on the view's root, a tmpfs, through the jail's outer namespaces, those of process OUTER
 * (the jail's first process). The caller checked that PATH's deepest existing directory in the
 * view lies on that root (no mount on the way). Blocks until done. 0 or -errno. */
int granter_mount_new(struct granter *g, pid_t outer, pid_t tid, const char *path, unsigned attrs,
		      bool dir);

/* granter_unmount - detach the mount on PATH in the mount namespace of thread TID (a grant: the
 * mounts of the jail's own view are locked, and the kernel refuses). Files the program holds open
 * under it stay open. Blocks until done. 0 or -errno. */
int granter_unmount(struct granter *g, pid_t tid, const char *path);

/* granter_stop - end the helper and free G (NULL is fine). */
void granter_stop(struct granter *g);

#endif
