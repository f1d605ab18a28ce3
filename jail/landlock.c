/* landlock.c - TCP port rules with Landlock (see landlock.h). */
#include "landlock.h"

#include <errno.h>
#include <unistd.h>

#include "../common/sys.h"
#include "../common/util.h"

#define LL_BIND (1ULL << 0)	/* LANDLOCK_ACCESS_NET_BIND_TCP */
#define LL_CONNECT (1ULL << 1)	/* LANDLOCK_ACCESS_NET_CONNECT_TCP */
#define MAX_PORTS 1024

/* _ports - how many ports the tcp rules of OP span (0: none; > MAX_PORTS: too many to list). */
static unsigned long _ports(const struct netrule *v, size_t n, enum netrule_op op)
{
	unsigned long total = 0;

	for (size_t i = 0; i < n; i++)
		if (v[i].proto == NETRULE_TCP && v[i].op == op)
			total += (unsigned long)v[i].port_hi - v[i].port_lo + 1;
	return total;
}

/* _allow - add a rule for every port the tcp rules of OP name, with ACCESS. 0 or -errno. */
static int _allow(int fd, const struct netrule *v, size_t n, enum netrule_op op, uint64_t access)
{
	for (size_t i = 0; i < n; i++) {
		if (v[i].proto != NETRULE_TCP || v[i].op != op)
			continue;
		for (unsigned p = v[i].port_lo; p <= v[i].port_hi; p++) {
			int r = sys_landlock_allow_port(fd, access, (uint16_t)p);

			if (r < 0)
				return r;
		}
	}
	return 0;
}

int landlock_tcp_ports(const struct netrule *v, size_t n)
{
	unsigned long nc = _ports(v, n, NETRULE_CONNECT), nb = _ports(v, n, NETRULE_BIND);
	uint64_t handled = 0;
	_cleanup_close_ int fd = -1;
	int r;

	if (nc > 0 && nc <= MAX_PORTS)
		handled |= LL_CONNECT;
	if (nb > 0 && nb <= MAX_PORTS)
		handled |= LL_BIND;
	if (!handled || sys_landlock_abi() < 4)
		return 1;
	fd = sys_landlock_tcp_ruleset(handled);
	if (fd < 0)
		return fd;
	r = (handled & LL_CONNECT) ? _allow(fd, v, n, NETRULE_CONNECT, LL_CONNECT) : 0;
	if (r == 0 && (handled & LL_BIND))
		r = _allow(fd, v, n, NETRULE_BIND, LL_BIND);
	if (r == 0 && (handled & LL_BIND))
		r = sys_landlock_allow_port(fd, LL_BIND, 0);
	return r < 0 ? r : sys_landlock_restrict(fd);
}
