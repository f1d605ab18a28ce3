/* learn.h - turning observed accesses into profile rules (pure).
 *
 * Version 1: one rule per accessed path (the next issue generalises). The kind follows the
 * strongest access seen: exec → "exec", write/create → "write", read/stat → "read". A path both
 * executed and written gets both rules. Paths under HOME are written "~/...".
 */
#ifndef SUPERVISE_LEARN_H
#define SUPERVISE_LEARN_H

#include <stdbool.h>
#include <stddef.h>

#include "../common/event.h"
#include "../policy/policy.h"

struct learn_entry {
	char *path;		/* normalised absolute path */
	unsigned access;	/* OR of ACC_* bits observed */
};

struct learn_set {
	struct learn_entry *v;	/* kept sorted by path after learn_finish() */
	size_t n, cap;
	void *index;		/* private hash index; NULL until first add */
	enum net_mode net;	/* the widest network use seen (learn_net) */
};

/* learn_net - record a connect to OBJECT ("tcp 127.0.0.1:80", "udp [::1]:53", "unix /x"):
 * loopback addresses need "net loopback", others "net host"; unix sockets need no net line. */
void learn_net(struct learn_set *s, const char *object);

/* learn_add - record ACCESS on PATH (normalised absolute). Duplicate paths OR their bits.
 * ACC_CONNECT objects are ignored by this version. */
void learn_add(struct learn_set *s, const char *path, enum access access);

/* learn_finish - sort the entries of S by path (strcmp order) and rebuild the index. learn_render()
 * calls it; learn_add() after it still works but appends out of order. */
void learn_finish(struct learn_set *s);

/* learn_exists_fn - tells whether a path exists now; injected so the module stays pure. */
typedef bool (*learn_exists_fn)(const char *path);

/* learn_render - the learned profile text: EXISTING's include lines, a "net" line (the existing
 * profile's, widened to what was seen; "none" when neither says more), then the rules. Rules
 * EXISTING inherited from its includes are not written, but count as covering. EXISTING (may be NULL) is merged in: its rules are kept
 * and learned paths already allowed by it with the needed rights add nothing. Entries that were
 * only read, stat'ed or executed and for which EXISTS says false are dropped (failed lookups need no rule).
 * HEADER (may be NULL) is written as "# " comment lines first. *NRULES receives the rule count.
 * Returns malloc'd text that policy_parse() accepts. */
char *learn_render(struct learn_set *s, const struct profile *existing, const char *home,
		   learn_exists_fn exists, const char *header, size_t *nrules);

/* learn_count - count entries by kind into the given counters (any may be NULL). */
void learn_count(const struct learn_set *s, size_t *reads, size_t *writes, size_t *execs);

/* learn_free - release everything in S and reset it. */
void learn_free(struct learn_set *s);

#endif
