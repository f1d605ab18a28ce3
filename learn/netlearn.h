/* netlearn.h - learn mode's record of network endpoints, rendered as "connect"/"bind" lines
 * (pure). Kept apart from learn.c's path set: endpoints are matched with netrule.h, not paths.
 */
#ifndef SUPERVISE_NETLEARN_H
#define SUPERVISE_NETLEARN_H

#include <stddef.h>
#include <sys/socket.h>

#include "../policy/policy.h"

struct netlearn_entry {
	enum netrule_op op;
	enum netrule_proto proto;
	struct sockaddr_storage sa;
	socklen_t len;
	char *line;		/* "connect tcp 127.0.0.1:8080" */
};

struct netlearn {
	struct netlearn_entry *v;
	size_t n, cap;
};

/* netlearn_add - record OP with PROTO (-1: not a rule protocol) to the address SA (LEN bytes).
 * Ignored: other families, unnamed unix sockets, binds to port 0 (the kernel picks: always
 * allowed), binds of unix paths (files: write rules decide), names that cannot be written
 * (spaces, control characters, NUL bytes in abstract names), and duplicates. */
void netlearn_add(struct netlearn *nl, enum netrule_op op, int proto, const struct sockaddr *sa,
		  socklen_t len);

/* netlearn_render - the lines NL needs beyond what EXISTING's network rules (own and inherited;
 * EXISTING may be NULL) allow, sorted, one a line, each ending in "\n"; "" when none. *N (may be
 * NULL) receives their count. Returns malloc'd. */
char *netlearn_render(const struct netlearn *nl, const struct profile *existing, size_t *n);

/* netlearn_free - release NL and reset it. */
void netlearn_free(struct netlearn *nl);

#endif
