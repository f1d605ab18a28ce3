/* syslearn.h - learn mode's syscall allowlist lines (pure).
 *
 * Learn traps only the syscalls outside @default (session.sysused collects them), so a learned
 * profile says "syscalls @default" and adds what the program used beyond it: "syscalls +a +b".
 */
#ifndef SUPERVISE_SYSLEARN_H
#define SUPERVISE_SYSLEARN_H

#include <stdbool.h>

#include "../policy/policy.h"
#include "../policy/sysgroups.h"

/* syslearn_render - the "syscalls" lines of a learned profile, given USED (the syscalls seen
 * outside @default) and EXISTING, the profile learned into:
 *   - FRESH (a new profile): "syscalls @default", then one "syscalls +NAME..." line for USED;
 *   - EXISTING has "syscalls" lines (its own or inherited): its own lines as written, then one
 *     line adding what USED holds that its list does not;
 *   - otherwise (a profile written without a list): nothing, the profile stays without one.
 * Names are sorted by syscall number. *NADDED (may be NULL) receives the number of syscalls
 * added. Returns malloc'd text, "" when there is nothing to write. */
char *syslearn_render(const struct sysset *used, const struct profile *existing, bool fresh,
		      size_t *nadded);

#endif
