/* landlock.h - Landlock's TCP port rules as a second network layer inside the jail. */
#ifndef SUPERVISE_LANDLOCK_H
#define SUPERVISE_LANDLOCK_H

#include <stdbool.h>
#include <stddef.h>

#include "../policy/netrule.h"

/* landlock_tcp_ports - restrict the calling process's TCP connect and bind to the ports the tcp
 * rules of V (N rules) name, with Landlock (ABI 4, Linux 6.7). Landlock knows ports, not
 * addresses, so the supervisor still decides on addresses: this layer stops a TCP connect or bind
 * that reaches the kernel without the supervisor (ptrace's continued calls, or a dead supervisor)
 * from using a port no rule names. An operation is restricted only when the profile has tcp rules
 * for it and they name at most 1024 ports (a wider range leaves it to the supervisor); bind to
 * port 0 (ephemeral) stays allowed, as the supervisor allows it. Best effort: on a kernel without
 * it, returns 1 (nothing done). 0 when applied, -errno on failure. */
int landlock_tcp_ports(const struct netrule *v, size_t n);

#endif
