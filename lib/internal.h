/* internal.h - what the files of libsupervise share (not installed). */
#ifndef SUPERVISE_LIB_INTERNAL_H
#define SUPERVISE_LIB_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "supervise.h"

/* The unveiled paths, as sv_pledge() takes them. */
struct lib_unveil {
	int fd;			/* O_PATH, close-on-exec */
	bool dir;		/* a directory (else only the file rights apply) */
	uint64_t access;	/* Landlock file system rights */
};

/* lib_landlock_apply - restrict the calling thread to the N unveils V with Landlock; no_new_privs
 * must be set. BEST_EFFORT: use the rights the kernel's ABI knows, and nothing without Landlock.
 * Returns 0 (applied), 1 (best effort: nothing applied), -SV_ENOLANDLOCK, -SV_ELANDLOCKABI
 * (the ABI cannot enforce truncation: before 3), or -errno. */
int lib_landlock_apply(const struct lib_unveil *v, size_t n, bool best_effort);

/* lib_landlock_access - the Landlock rights of unveil PERMS ("rwxc" subset, non-empty) into
 * *ACCESS. 0, or -EINVAL. Pure. */
int lib_landlock_access(const char *perms, uint64_t *access);

/* lib_unveil_take - move the unveils gathered so far out of the process list: *V (malloc'd, the
 * caller closes the fds and frees it) and *N. Thread-safe. */
void lib_unveil_take(struct lib_unveil **v, size_t *n);

/* lib_unveil_give_back - put V (N unveils, taken by lib_unveil_take) back in front of the list,
 * after a failed sv_pledge. Frees V. */
void lib_unveil_give_back(struct lib_unveil *v, size_t n);

/* lib_close_fds_from - in a forked child: close every descriptor from LOWEST up. 0 or -errno. */
int lib_close_fds_from(int lowest);

/* lib_move_fds - dup FDS[0..N) to LOWEST, LOWEST+1, ... (updating FDS), so that the fds from
 * LOWEST+N up can be closed. 0 or -errno. In a forked child. */
int lib_move_fds(int *fds, int n, int lowest);

#endif
