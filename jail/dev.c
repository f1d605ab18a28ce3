/* dev.c - the jail's /dev: the host's standard nodes (bound from the host's tree, or with --root
 * moved from clones taken before the tree was entered), a private devpts, shm and the fd links.
 * Setup regime: failures exit 125. */
#include "jail_int.h"

#include <errno.h>
#include <linux/mount.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../common/sys.h"
#include "../common/util.h"

static const char *const _devnodes[] = { "null", "zero", "full", "random", "urandom", "tty" };

/* --root: detached clones (open_tree) of the host's _devnodes, taken before the chroot into the
 * tree; -1 for a node the host lacks, or without --root (jail_dev binds from OLDROOT then). */
static int _devtree[ARRAY_SIZE(_devnodes)] = { -1, -1, -1, -1, -1, -1 };
static bool _devcloned;

/* _dev_node - put the host's /dev/NODE (I-th of _devnodes) at the view's DST: bound from OLDROOT,
 * or with --root moved from its clone. Missing on the host: nothing. */
static void _dev_node(size_t i, const char *dst)
{
	char src[64];
	int r;

	if (_devcloned) {
		if (_devtree[i] < 0)
			return;
		jail_mountpoint(dst, S_IFREG);
		r = sys_move_mount(_devtree[i], "", AT_FDCWD, dst, MOVE_MOUNT_F_EMPTY_PATH);
		if (r < 0)
			jail_fail(-r, "place /dev/%s", _devnodes[i]);
		close(_devtree[i]);
		_devtree[i] = -1;
		return;
	}
	snprintf(src, sizeof(src), OLDROOT "/dev/%s", _devnodes[i]);
	if (access(src, F_OK) < 0)
		return;
	jail_mountpoint(dst, S_IFREG);
	if (mount(src, dst, NULL, MS_BIND, NULL) < 0)
		jail_fail(errno, "bind /dev/%s", _devnodes[i]);
}

/* jail_dev - the jail's /dev: standard nodes bound from the host, a private devpts, shm. The tmpfs
 * and the nodes get their flags (nosuid, noexec) from one recursive mount_setattr on /dev once
 * the nodes are bound, instead of one call per node. */
void jail_dev(void)
{
	char dst[64];
	int r;

	jail_tmpfs(NEWROOT "/dev", "mode=0755", 0);
	for (size_t i = 0; i < ARRAY_SIZE(_devnodes); i++) {
		snprintf(dst, sizeof(dst), NEWROOT "/dev/%s", _devnodes[i]);
		_dev_node(i, dst);
	}
	r = sys_mount_setattr(AT_FDCWD, NEWROOT "/dev", AT_RECURSIVE,
			      plan_mount_attr(MA_NOSUID | MA_NOEXEC), 0);
	if (r < 0)
		jail_fail(-r, "set the mount flags of /dev");
	jail_mkdirs(NEWROOT "/dev/pts");
	if (mount("devpts", NEWROOT "/dev/pts", "devpts", MS_NOSUID | MS_NOEXEC,
		  "newinstance,ptmxmode=0666,mode=0620") < 0)
		jail_fail(errno, "devpts on /dev/pts");
	jail_symlink("pts/ptmx", NEWROOT "/dev/ptmx");
	jail_tmpfs(NEWROOT "/dev/shm", "mode=1777", MA_NOSUID | MA_NODEV | MA_NOEXEC);
	jail_symlink("/proc/self/fd", NEWROOT "/dev/fd");
	jail_symlink("/proc/self/fd/0", NEWROOT "/dev/stdin");
	jail_symlink("/proc/self/fd/1", NEWROOT "/dev/stdout");
	jail_symlink("/proc/self/fd/2", NEWROOT "/dev/stderr");
}

/* jail_dev_clone - --root, while "/" is still the host's: clone each of the host's _devnodes
 * (open_tree, detached) for jail_dev to place once the host's tree is gone. */
void jail_dev_clone(void)
{
	char src[64];

	for (size_t i = 0; i < ARRAY_SIZE(_devnodes); i++) {
		snprintf(src, sizeof(src), "/dev/%s", _devnodes[i]);
		if (access(src, F_OK) < 0)
			continue;
		_devtree[i] = sys_open_tree(AT_FDCWD, src, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
		if (_devtree[i] < 0)
			jail_fail(-_devtree[i], "clone %s", src);
	}
	_devcloned = true;
}
