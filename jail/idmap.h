/* idmap.h - mapping our ids into a user namespace we just created. */
#ifndef SUPERVISE_IDMAP_H
#define SUPERVISE_IDMAP_H

#include <sys/types.h>

/* idmap_self - in a user namespace just created by unshare: deny setgroups, then map UID and GID
 * to themselves (one line each: what an unprivileged process may write). 0 or -errno. */
int idmap_self(uid_t uid, gid_t gid);

#endif
