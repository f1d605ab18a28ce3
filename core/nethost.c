/* nethost.c - resolve the hostnames of network rules at run start (see nethost.h). */
#include "nethost.h"

#include <netdb.h>
#include <netinet/in.h>
#include <string.h>

#include "../common/util.h"

/* _resolve_one - fill R's addresses from getaddrinfo. */
static void _resolve_one(struct netrule *r)
{
	struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM }, *res = NULL;
	int e = getaddrinfo(r->host, NULL, &hints, &res);

	if (e != 0) {
		warnx("%s: cannot resolve %s (%s): the rule matches nothing", r->text, r->host,
		      gai_strerror(e));
		return;
	}
	for (struct addrinfo *a = res; a; a = a->ai_next) {
		uint8_t ip[16] = { 0 };

		if (a->ai_family == AF_INET) {
			ip[10] = ip[11] = 0xff;
			memcpy(ip + 12, &((struct sockaddr_in *)a->ai_addr)->sin_addr, 4);
		} else if (a->ai_family == AF_INET6) {
			memcpy(ip, &((struct sockaddr_in6 *)a->ai_addr)->sin6_addr, 16);
		} else {
			continue;
		}
		r->resolved = xrealloc(r->resolved, (r->nresolved + 1) * sizeof(*r->resolved));
		memcpy(r->resolved[r->nresolved++], ip, 16);
	}
	freeaddrinfo(res);
}

void nethost_resolve(struct profile *p)
{
	for (size_t i = 0; i < p->nnet; i++)
		if (p->netrules[i].host && !p->netrules[i].nresolved)
			_resolve_one(&p->netrules[i]);
}
