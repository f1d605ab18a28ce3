/* jail_int.h - what the files of jail_enter share (jail.c, view.c, mount.c, dev.c, links.c,
 * root.c); not for use outside jail/. All of it runs in the jail's processes, single-threaded,
 * in the setup regime: a failure prints one "supervise: jail: ..." line and exits 125.
 */
#ifndef SUPERVISE_JAIL_INT_H
#define SUPERVISE_JAIL_INT_H

#include <stdbool.h>
#include <sys/types.h>

#include "jail.h"

/* Where the view is built, and where the host's tree (or --root's) sits meanwhile, in the base. */
#define NEWROOT "/newroot"
#define OLDROOT "/oldroot"

/* jail_fail - print "supervise: jail: MSG[: errno text]" (ERR 0: none) and exit 125. */
void jail_fail(int err, const char *fmt, ...) __attribute__((noreturn, format(printf, 2, 3)));

/* view.c */
int jail_view_build(const struct jail_cfg *cfg);

/* mount.c: each fails the run when the kernel refuses */
void jail_mkdirs(const char *path);
void jail_mountpoint(const char *dst, mode_t mode);
void jail_bind(const char *src, const char *dst, unsigned ma);
void jail_tmpfs(const char *dst, const char *opts, unsigned ma);
void jail_symlink(const char *target, const char *dst);
void jail_mask(const char *path);
void jail_mask_glob(const char *pattern);
void jail_seal_masks(void);

/* dev.c */
void jail_dev_clone(void);
void jail_dev(void);

/* A bind prepared while the host root is still "/": where it really is, and the links that lead
 * there, so that the view has the same links as the host. */
struct prep {
	char *canon;		/* host path with links resolved */
	mode_t mode;		/* its type */
	char *links[16];	/* where the links on the way sit on the host, parents resolved ... */
	char *targets[16];	/* ... and what they say */
	size_t nlinks;
};

/* links.c: before the pivot */
bool jail_prepare_bind(const char *path, struct prep *p);
char **jail_locations(const struct plan *pl, const struct prep *preps, const bool *have);

/* root.c: --root */
void jail_host_trees(const struct plan *pl, int *fds, mode_t *modes);
void jail_enter_root(const char *dir);
void jail_place_host(int fd, mode_t mode, const char *path, unsigned ma);

#endif
