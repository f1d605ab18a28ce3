/* idmap.h - mapping our ids into a user namespace we just created. */
#ifndef SUPERVISE_IDMAP_H
#define SUPERVISE_IDMAP_H

#include <sys/types.h>

/* idmap_self - in a user namespace just created by unshare: deny setgroups, then map UID and GID
 * to themselves (one line each: what an unprivileged process may write). 0 or -errno. */
int idmap_self(uid_t uid, gid_t gid);

/* idmap_self_at - idmap_self through the proc mount PROCFD (a directory fd of a proc mount of
 * the caller's pid namespace; -1: /proc), for a view without /proc ("proc none"). */
int idmap_self_at(int procfd, uid_t uid, gid_t gid);

#endif
