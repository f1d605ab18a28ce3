/* sysgroups.h - syscall allowlists: named groups and sets of syscall numbers (pure).
 *
 * A profile's "syscalls" lines (policy.h) are a list of tokens applied in order to an empty set:
 *   @GROUP or +@GROUP   add every syscall of the group;   -@GROUP   remove them;
 *   NAME or +NAME       add one syscall;                   -NAME     remove it;
 * NAME is a syscall name as libseccomp spells it for this architecture, or a number (for calls
 * newer than libseccomp's table). The groups are listed in doc/syscall-groups.md; "@default" is
 * the curated set for ordinary programs. Names are resolved with libseccomp's name table, which is
 * a pure lookup (no kernel call).
 */
#ifndef SUPERVISE_SYSGROUPS_H
#define SUPERVISE_SYSGROUPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Syscall numbers at or above this are outside every set (and outside the filter's reach). */
#define SYSSET_MAX 512

struct sysset {
	uint64_t w[SYSSET_MAX / 64];
};

/* sysset_has - NR is in S (false for NR out of range). */
static inline bool sysset_has(const struct sysset *s, int nr)
{
	return nr >= 0 && nr < SYSSET_MAX && (s->w[nr / 64] >> (nr % 64) & 1);
}

/* sysset_add, sysset_del - put NR in S, take it out (out of range: nothing). */
void sysset_add(struct sysset *s, int nr);
void sysset_del(struct sysset *s, int nr);

/* sysset_count - how many numbers S holds. */
size_t sysset_count(const struct sysset *s);

/* sysset_apply - apply one token (see above) to S. Returns 0, -EINVAL for a malformed token
 * (empty, "+", "@"), -ENOENT for an unknown group or syscall name. S is unchanged on error. */
int sysset_apply(struct sysset *s, const char *token);

/* sysset_check - whether TOKEN is well formed and names a known group or syscall; same returns
 * as sysset_apply. */
int sysset_check(const char *token);

/* sysset_default - S becomes "@default". */
void sysset_default(struct sysset *s);

/* sys_name - the name of syscall NR on this architecture, as a malloc'd string: libseccomp's
 * name, or the number in decimal when it has none. */
char *sys_name(int nr);

/* sys_nr - the number of syscall NAME (or decimal number) on this architecture, or -1 when
 * unknown or absent here. */
int sys_nr(const char *name);

/* sys_essential - NR is needed by supervise itself between loading the filter and the command's
 * execve (read, write, close, execve, exit...): never refused, whatever the list says. */
bool sys_essential(int nr);

/* sysgroup_names - the group names ("@default", "@basic-io", ...), NULL-terminated. */
const char *const *sysgroup_names(void);

/* sysgroup_members - the member tokens of group NAME ("@x" or plain syscall names; a member
 * group is expanded when applied), NULL-terminated; NULL for an unknown group. */
const char *const *sysgroup_members(const char *name);

#endif
