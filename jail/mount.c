/* mount.c - the jail view's building blocks, in the jail process after the pivot to the base
 * (view.c): directories and mount points, binds and tmpfs with their flags, links, and the masks
 * of deny rules (sealed read-only once the view is built). Setup regime: failures exit 125. */
#include "jail_int.h"

#include <errno.h>
#include <ftw.h>
#include <linux/mount.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../common/sys.h"
#include "../common/util.h"

/* jail_mkdirs - mkdir -p PATH (mode 0755). PATH itself first, its parents only when it cannot be
 * made (ENOENT): the view's directories mostly exist already, and trying every component from the
 * top each time cost a mkdir per component (some 60 calls for the base profile). */
void jail_mkdirs(const char *path)
{
	char buf[PATH_MAX];
	char *slash;

	if (mkdir(path, 0755) == 0 || errno == EEXIST)
		return;
	if (errno != ENOENT)
		jail_fail(errno, "mkdir %s", path);
	snprintf(buf, sizeof(buf), "%s", path);
	slash = strrchr(buf, '/');
	if (!slash || slash == buf)
		jail_fail(ENOENT, "mkdir %s", path);
	*slash = 0;
	jail_mkdirs(buf);
	if (mkdir(path, 0755) < 0 && errno != EEXIST)
		jail_fail(errno, "mkdir %s", path);
}

/* jail_mountpoint - create at DST what a mount of a source of mode MODE needs: a directory, or an
 * empty file (parents created). */
void jail_mountpoint(const char *dst, mode_t mode)
{
	_cleanup_free_ char *parent = xstrdup(dst);
	struct stat st;
	int fd;

	if (lstat(dst, &st) == 0)
		return;	/* already there (inside a tree bound earlier, or bound twice) */
	if (S_ISDIR(mode)) {
		jail_mkdirs(dst);
		return;
	}
	*strrchr(parent, '/') = 0;
	if (*parent)
		jail_mkdirs(parent);
	fd = open(dst, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0 && errno != EEXIST && errno != EISDIR)
		jail_fail(errno, "create %s", dst);
	if (fd >= 0)
		close(fd);
}

/* jail_bind - bind SRC onto DST (recursively) and apply MA attributes to the whole new tree. */
void jail_bind(const char *src, const char *dst, unsigned ma)
{
	int r;

	if (mount(src, dst, NULL, MS_BIND | MS_REC, NULL) < 0)
		jail_fail(errno, "bind %s", src + strlen(OLDROOT));
	r = sys_mount_setattr(AT_FDCWD, dst, AT_RECURSIVE, plan_mount_attr(ma), 0);
	if (r < 0)
		jail_fail(-r, "set the mount flags of %s", dst + strlen(NEWROOT));
}

/* jail_tmpfs - a tmpfs at DST (created) with OPTS and flags from MA. */
void jail_tmpfs(const char *dst, const char *opts, unsigned ma)
{
	jail_mkdirs(dst);
	if (mount("tmpfs", dst, "tmpfs", MS_NOSUID | MS_NODEV, opts) < 0)
		jail_fail(errno, "tmpfs on %s", dst + strlen(NEWROOT));
	if (ma) {
		int r = sys_mount_setattr(AT_FDCWD, dst, 0, plan_mount_attr(ma), 0);
		if (r < 0)
			jail_fail(-r, "set the mount flags of %s", dst + strlen(NEWROOT));
	}
}

/* jail_symlink - create link DST → TARGET unless something is there already. */
void jail_symlink(const char *target, const char *dst)
{
	if (symlink(target, dst) < 0 && errno != EEXIST)
		jail_fail(errno, "symlink %s", dst);
}

static char **_masked_dirs;	/* directory masks, sealed read-only after the build */
static size_t _nmasked;

/* jail_seal_masks - make every directory mask read-only. */
void jail_seal_masks(void)
{
	for (size_t i = 0; i < _nmasked; i++) {
		int r = sys_mount_setattr(AT_FDCWD, _masked_dirs[i], 0, MOUNT_ATTR_RDONLY, 0);

		if (r < 0)
			jail_fail(-r, "seal the mask %s", _masked_dirs[i] + strlen(NEWROOT));
	}
}

/* jail_mask - cover NEWROOT+PATH (if it exists in the view) with an empty, mode-000 object. */
void jail_mask(const char *path)
{
	char dst[PATH_MAX + 16];
	struct stat st;

	snprintf(dst, sizeof(dst), NEWROOT "%s", path);
	if (lstat(dst, &st) < 0 || S_ISLNK(st.st_mode))
		return;
	if (S_ISDIR(st.st_mode)) {	/* read-only once built (jail_seal_masks): deeper rules bind inside */
		if (mount("tmpfs", dst, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, "mode=000,size=4k") < 0)
			jail_fail(errno, "mask %s", path);
		_masked_dirs = xrealloc(_masked_dirs, (_nmasked + 1) * sizeof(*_masked_dirs));
		_masked_dirs[_nmasked++] = xstrdup(dst);
		return;
	}
	if (mount("/masked", dst, NULL, MS_BIND, NULL) < 0)
		jail_fail(errno, "mask %s", path);
	if (sys_mount_setattr(AT_FDCWD, dst, 0, MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID |
					MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC, 0) < 0)
		jail_fail(errno, "mask %s", path);
}

static const char *_glob_pattern;
static unsigned long _glob_seen;

/* _glob_visit - nftw callback: mask the first entry (top-down) the pattern matches. */
static int _glob_visit(const char *fpath, const struct stat *st, int type, struct FTW *ftw)
{
	const char *rel = fpath + strlen(NEWROOT);

	(void)st;
	(void)ftw;
	if (++_glob_seen > 2000000)
		jail_fail(0, "deny %s: more than 2000000 entries to search; name the paths", _glob_pattern);
	if (!*rel || !policy_pattern_match(_glob_pattern, rel))
		return FTW_CONTINUE;
	jail_mask(rel);
	return type == FTW_D ? FTW_SKIP_SUBTREE : FTW_CONTINUE;
}

/* jail_mask_glob - mask every entry of the view that the wildcard PATTERN names: walk the view
 * below the pattern's literal prefix (links are not followed; their targets are judged where they
 * lie). */
void jail_mask_glob(const char *pattern)
{
	char top[PATH_MAX + 16];
	const char *wild = strpbrk(pattern, "*?[");
	size_t n = (size_t)(wild - pattern);

	while (n > 0 && pattern[n - 1] != '/')
		n--;
	snprintf(top, sizeof(top), NEWROOT "%.*s", (int)n, pattern);
	_glob_pattern = pattern;
	_glob_seen = 0;
	if (nftw(top, _glob_visit, 64, FTW_PHYS | FTW_ACTIONRETVAL) < 0 && errno != ENOENT)
		jail_fail(errno, "deny %s: search the view", pattern);
}
