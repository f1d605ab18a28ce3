/* view.c - building the jail's view from the plan (jail_view_build): binds prepared while the
 * host (or --root's tree) is "/", a pivot into a tmpfs base, each operation placed in the new root,
 * the masks sealed, then a pivot into the view and the host's tree detached. Why this is a
 * boundary: the top of jail.c. Setup regime: failures exit 125. */
#include "jail_int.h"

#include <errno.h>
#include <linux/mount.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../common/path.h"
#include "../common/sys.h"
#include "../common/util.h"

/* _place_bind - after the pivot: recreate the links of P, then bind its target with MA, unless
 * BOUND: an earlier bind placed the same target with the same flags already. */
static void _place_bind(const struct prep *p, unsigned ma, bool bound)
{
	char src[PATH_MAX + 16], dst[PATH_MAX + 16];

	/* the target's mountpoint first: links on the way may lead through its parents */
	snprintf(src, sizeof(src), OLDROOT "%s", p->canon);
	snprintf(dst, sizeof(dst), NEWROOT "%s", strcmp(p->canon, "/") ? p->canon : "");
	jail_mountpoint(dst, p->mode);
	for (size_t i = 0; i < p->nlinks; i++) {
		_cleanup_free_ char *parent = xstrdup(p->links[i]);
		char ldst[PATH_MAX + 16], lpar[PATH_MAX + 16];

		snprintf(ldst, sizeof(ldst), NEWROOT "%s", p->links[i]);
		*strrchr(parent, '/') = 0;
		snprintf(lpar, sizeof(lpar), NEWROOT "%s", parent);
		if (*parent)
			jail_mkdirs(lpar);
		jail_symlink(p->targets[i], ldst);
	}
	if (!bound)
		jail_bind(src, dst, ma);
}

/* _shows_same - whether, once the first I operations of PL are placed, the view already shows
 * the host's PREPS[I].canon with the flags of the I-th bind, so that binding it changes nothing
 * (the bind is then left out; its links are still made). True when an earlier bind J of the same
 * flags has the same host target or one of its ancestors, and no operation placed after J sits
 * at that target or above it (a mask, a tmpfs, a grant's placeholder, the jail's /dev or /proc,
 * a bind with other flags; a wildcard mask counts as anywhere); LOC[K] is where operation K sits
 * on the host (NULL: nowhere). Binding again would only cover what was placed inside meanwhile:
 * deeper rules' masks and tmpfs, which the profile's most specific rule wants kept (a deeper bind
 * of other flags, though, is covered as it was before this check existed). The base
 * profile's /lib and /usr/lib, /lib64 and /usr/lib64, /etc/locale.alias and
 * /usr/share/locale/locale.alias are such pairs, as is a file of /usr/bin under "exec /bin". */
static bool _shows_same(const struct plan *pl, char *const *loc, size_t i)
{
	const char *target = loc[i];

	for (size_t j = 0; j < i; j++) {
		bool same = true;

		if (pl->v[j].kind != MOP_BIND || !loc[j] || pl->v[j].attrs != pl->v[i].attrs ||
		    !path_is_under(target, loc[j]))
			continue;
		for (size_t k = j + 1; k < i && same; k++) {
			const struct mop *m = &pl->v[k];

			if (m->kind == MOP_MASK && strpbrk(m->path, "*?["))
				same = false;
			else if (loc[k] && path_is_under(target, loc[k]))
				same = m->kind == MOP_BIND && m->attrs == pl->v[i].attrs;
			else if (loc[k] && m->kind == MOP_BIND && m->attrs != pl->v[i].attrs &&
				 path_is_under(loc[k], target))
				same = false;	/* as before: the bind covers a deeper one of other flags */
		}
		if (same)
			return true;
	}
	return false;
}

/* _placeholder - where grant P will be mounted: the links that lead there, and an empty,
 * inaccessible mountpoint (or, when the view already shows the path through a parent, a mask). */
static void _placeholder(const struct prep *p)
{
	char dst[PATH_MAX + 16];
	struct stat st;

	snprintf(dst, sizeof(dst), NEWROOT "%s", p->canon);
	if (lstat(dst, &st) == 0) {
		jail_mask(p->canon);
		return;
	}
	for (size_t i = 0; i < p->nlinks; i++) {
		char ldst[PATH_MAX + 16];

		snprintf(ldst, sizeof(ldst), NEWROOT "%s", p->links[i]);
		jail_symlink(p->targets[i], ldst);
	}
	jail_mountpoint(dst, p->mode);
	if (chmod(dst, 0) < 0)
		jail_fail(errno, "placeholder %s", p->canon);
}

/* _pivot_to_base - make mounts private, put a tmpfs base on /tmp and pivot into it, leaving the
 * host root at OLDROOT and an empty tmpfs at NEWROOT to build in. */
static void _pivot_to_base(void)
{
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		jail_fail(errno, "make mounts private");
	if (mount("tmpfs", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755") < 0)
		jail_fail(errno, "tmpfs base");
	if (mkdir("/tmp" NEWROOT, 0755) < 0 || mkdir("/tmp" OLDROOT, 0755) < 0)
		jail_fail(errno, "mkdir in the base");
	if (chdir("/tmp") < 0 || sys_pivot_root(".", "." OLDROOT) < 0 || chdir("/") < 0)
		jail_fail(errno, "pivot_root into the base");
	if (mount("tmpfs", NEWROOT, "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755") < 0)
		jail_fail(errno, "tmpfs root");
	_cleanup_close_ int fd = open("/masked", O_WRONLY | O_CREAT | O_CLOEXEC, 0000);
	if (fd < 0)
		jail_fail(errno, "mask file");
}

/* _pivot_to_view - make NEWROOT the root, read-only at its top, and drop the host tree. */
static void _pivot_to_view(void)
{
	int r = sys_mount_setattr(AT_FDCWD, NEWROOT, 0, MOUNT_ATTR_RDONLY, 0);

	if (r < 0)
		jail_fail(-r, "make the root read-only");
	if (chdir(NEWROOT) < 0 || sys_pivot_root(".", ".") < 0)
		jail_fail(errno, "pivot_root into the view");
	if (umount2(".", MNT_DETACH) < 0 || chdir("/") < 0)
		jail_fail(errno, "detach the host tree");
}

/* _home_tmpfs - "home tmpfs": an empty tmpfs of mode 0700 owned by the command's user at the
 * view's WHERE (the home with the host's links resolved), with MA. */
static void _home_tmpfs(const char *where, unsigned ma, const struct jail_cfg *cfg)
{
	char dst[PATH_MAX + 16], opts[64];

	snprintf(dst, sizeof(dst), NEWROOT "%s", where);
	snprintf(opts, sizeof(opts), "mode=0700,uid=%u,gid=%u", (unsigned)cfg->uid,
		 (unsigned)cfg->gid);
	jail_tmpfs(dst, opts, ma);
}

/* _bind_from - "home persist": bind the host directory P (prepared) at the view's WHERE with MA. */
static void _bind_from(const struct prep *p, const char *where, unsigned ma)
{
	char src[PATH_MAX + 16], dst[PATH_MAX + 16];

	snprintf(src, sizeof(src), OLDROOT "%s", p->canon);
	snprintf(dst, sizeof(dst), NEWROOT "%s", where);
	jail_mountpoint(dst, S_IFDIR);
	jail_bind(src, dst, ma);
}

/* _has_proc - whether plan PL mounts the jail's /proc. */
static bool _has_proc(const struct plan *pl)
{
	for (size_t i = 0; i < pl->n; i++)
		if (pl->v[i].kind == MOP_PROC)
			return true;
	return false;
}

/* _hidden_proc - "proc none": mount a proc of the jail's pid namespace in the base, outside the
 * view, and return a directory fd of it (close-on-exec), so that the command's nested user
 * namespace can be mapped once the base is detached. */
static int _hidden_proc(void)
{
	int fd;


	if (mkdir("/proc", 0700) < 0 ||
	    mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0)
		jail_fail(errno, "proc outside the view");
	fd = open("/proc", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		jail_fail(errno, "open proc outside the view");
	return fd;
}

/* jail_view_build - carry out CFG's plan. Binds are prepared (links resolved) while "/" is the
 * host, or with --root the tree (the binds of "host" rules cloned from the host before). Returns
 * the fd of a proc outside the view ("proc none", _hidden_proc), or -1 when the view has /proc. */
int jail_view_build(const struct jail_cfg *cfg)
{
	int procfd = -1;

	const struct plan *pl = cfg->plan;
	struct prep *preps = xcalloc(pl->n, sizeof(*preps));
	bool *have = xcalloc(pl->n, sizeof(*have));
	int *hostfd = xcalloc(pl->n, sizeof(*hostfd));
	mode_t *hostmode = xcalloc(pl->n, sizeof(*hostmode));
	char **loc;

	for (size_t i = 0; i < pl->n; i++)
		hostfd[i] = -1;
	if (cfg->root) {
		jail_host_trees(pl, hostfd, hostmode);
		jail_enter_root(cfg->root);
	}
	for (size_t i = 0; i < pl->n; i++)
		if (hostfd[i] >= 0)
			continue;	/* from the host, not the tree: placed from its clone */
		else if (pl->v[i].kind == MOP_BIND || pl->v[i].kind == MOP_GRANT)
			have[i] = jail_prepare_bind(pl->v[i].path, &preps[i]);
		else if (pl->v[i].kind == MOP_BIND_FROM && !(have[i] = jail_prepare_bind(pl->v[i].src,
									     &preps[i])))
			jail_fail(errno, "home: %s", pl->v[i].src);
	loc = jail_locations(pl, preps, have);
	_pivot_to_base();
	for (size_t i = 0; i < pl->n; i++) {
		const struct mop *m = &pl->v[i];
		char dst[PATH_MAX + 16];

		snprintf(dst, sizeof(dst), NEWROOT "%s", m->path);
		if (hostfd[i] >= 0)
			jail_place_host(hostfd[i], hostmode[i], m->path, m->attrs);
		else if (m->kind == MOP_BIND && have[i])
			_place_bind(&preps[i], m->attrs, _shows_same(pl, loc, i));
		else if (m->kind == MOP_TMPFS)
			jail_tmpfs(dst, m->rule ? "mode=0700" : "mode=1777", m->attrs);
		else if (m->kind == MOP_DEV)
			jail_dev();
		else if (m->kind == MOP_PROC) {
			jail_mkdirs(dst);
			if (mount("proc", dst, "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0)
				jail_fail(errno, "proc on /proc");
		} else if (m->kind == MOP_MASK && strpbrk(m->path, "*?["))
			jail_mask_glob(m->path);
		else if (m->kind == MOP_MASK)
			jail_mask(m->path);
		else if (m->kind == MOP_GRANT && have[i])
			_placeholder(&preps[i]);
		else if (m->kind == MOP_HOME)
			_home_tmpfs(loc[i], m->attrs, cfg);
		else if (m->kind == MOP_BIND_FROM && have[i])
			_bind_from(&preps[i], loc[i], m->attrs);
	}
	jail_seal_masks();
	if (!_has_proc(pl))
		procfd = _hidden_proc();
	_pivot_to_view();
	return procfd;
}
