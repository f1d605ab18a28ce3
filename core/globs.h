/* globs.h - the host paths a profile's wildcard allow rules name, when the jail is built.
 * The jail mounts paths, not patterns, so each wildcard allow rule ("read /tmp/tmp.*", which learn
 * writes for per-run temporary names) is expanded once, at the start of an enforced run, into a
 * rule per matching path; what appears later is not in the view.
 */
#ifndef SUPERVISE_GLOBS_H
#define SUPERVISE_GLOBS_H

#include <stddef.h>

#include "../policy/policy.h"

/* Entries one wildcard rule may search before the run is refused: name the paths instead. */
#define GLOBS_SEARCH_MAX 200000

/* globs_expand - for each read/write/exec rule of P whose pattern holds a wildcard, add a
 * policy_add_match rule on every host path it matches now: the top-most match of each branch
 * (the rule covers what lies below), links not followed. Setup regime. Returns 0, or -E2BIG
 * with "line N: 'RULE': ..." in ERR when a rule would search more than GLOBS_SEARCH_MAX entries. */
int globs_expand(struct profile *p, char *err, size_t errlen);

#endif
