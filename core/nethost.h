/* nethost.h - resolving the hostnames of a profile's network rules, once, when a run starts. */
#ifndef SUPERVISE_NETHOST_H
#define SUPERVISE_NETHOST_H

#include "../policy/policy.h"

/* nethost_resolve - fill the resolved addresses of every rule of P that names a hostname
 * (getaddrinfo, IPv4 and IPv6; IPv4 kept mapped). The addresses are fixed for the run: a name
 * whose addresses change (DNS round robin, a short TTL) is not looked up again, so a long run
 * may need restarting. A name that does not resolve is reported with warnx() and its rule
 * matches nothing (fail closed). */
void nethost_resolve(struct profile *p);

#endif
