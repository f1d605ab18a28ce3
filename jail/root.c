/* root.c - --root DIR: the jail process enters the prepared tree (a bind of it made the root, the
 * host's tree detached), after cloning from the host what still comes from it: the /dev nodes
 * (dev.c) and the trees of "host" rules, placed in the view later. Setup regime. */
#include "jail_int.h"

#include <errno.h>
#include <linux/mount.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../common/sys.h"
#include "../common/util.h"

/* jail_enter_root - --root DIR: with mounts private (nothing propagates to the host), clone the
 * host's /dev nodes, then make a bind of DIR the root and drop the host's tree, so that the binds
 * are prepared inside DIR and OLDROOT becomes DIR after the base is pivoted into (view.c). DIR
 * needs a /tmp directory (the base is mounted there, in this namespace only). */
void jail_enter_root(const char *dir)
{
	char src[64];
	struct stat st;

	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		jail_fail(errno, "make mounts private");
	jail_dev_clone();
	for (size_t i = 0; i < 2; i++) {
		snprintf(src, sizeof(src), "%s", i ? "/proc" : "/tmp");
		char *at = xasprintf("%s%s", dir, src);
		bool ok = lstat(at, &st) == 0 && S_ISDIR(st.st_mode);

		free(at);
		if (!ok)
			jail_fail(0, "--root %s: the tree has no %s directory, which the jail needs", dir, src);
	}
	if (mount(dir, dir, NULL, MS_BIND | MS_REC, NULL) < 0)
		jail_fail(errno, "--root %s: bind", dir);
	/* a user namespace may mount a proc only while one is fully visible in its mount namespace:
	 * this one (of the jail's pid namespace) stands in for the host's until the view is built */
	if (chdir(dir) < 0 ||
	    mount("proc", "proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0)
		jail_fail(errno, "--root %s: proc", dir);
	/* pivot, not chroot: a chrooted process may not make the user namespace that locks the
	 * mounts (jail.c:_lock_and_drop; unshare(2): EPERM); the host's tree is detached right away */
	if (sys_pivot_root(".", ".") < 0 || umount2(".", MNT_DETACH) < 0 ||
	    chdir("/") < 0)
		jail_fail(errno, "--root %s: enter the tree", dir);
}

/* jail_host_trees - --root: a clone of the host's tree at each bind of a "host" rule of PL, taken
 * while "/" is still the host, into FDS (-1 for the other operations) and their file types into
 * MODES. A host path that does not exist fails the run. */
void jail_host_trees(const struct plan *pl, int *fds, mode_t *modes)
{
	struct stat st;

	for (size_t i = 0; i < pl->n; i++) {
		const struct mop *m = &pl->v[i];

		fds[i] = -1;
		if (m->kind != MOP_BIND || !m->rule || !m->rule->host)
			continue;
		if (stat(m->path, &st) < 0)
			jail_fail(errno, "host %s", m->path);
		modes[i] = st.st_mode;
		fds[i] = sys_open_tree(AT_FDCWD, m->path, OPEN_TREE_CLONE | AT_RECURSIVE |
				       OPEN_TREE_CLOEXEC);
		if (fds[i] < 0)
			jail_fail(-fds[i], "clone the host's %s", m->path);
	}
}

/* jail_place_host - put the host tree FD (a clone, of file type MODE) at the view's PATH with the
 * mount flags MA; FD is closed. */
void jail_place_host(int fd, mode_t mode, const char *path, unsigned ma)
{
	char dst[PATH_MAX + 16];
	int r;

	snprintf(dst, sizeof(dst), NEWROOT "%s", path);
	jail_mountpoint(dst, mode);
	r = sys_mount_setattr(fd, "", AT_EMPTY_PATH | AT_RECURSIVE, plan_mount_attr(ma), 0);
	if (r == 0)
		r = sys_move_mount(fd, "", AT_FDCWD, dst, MOVE_MOUNT_F_EMPTY_PATH);
	if (r < 0)
		jail_fail(-r, "host %s", path);
	close(fd);
}
