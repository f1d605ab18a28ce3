/* netrule.c - network rules: parse "connect"/"bind" lines, match socket addresses (pure).
 *
 * Why the matching is safe:
 *   - no rule matching means denied (the caller fails closed), and a socket type without a rule
 *     protocol (raw, SCTP) matches nothing;
 *   - addresses are compared as 128-bit values with the IPv4 ones mapped, so the same host cannot
 *     be reached around an IPv4 rule through an IPv4-mapped IPv6 address, nor the reverse;
 *   - a CIDR compares exactly PREFIX leading bits; the host bits written in the rule are kept but
 *     ignored, as in routing tables;
 *   - the address length is checked against the family before anything is read from it;
 *   - a hostname matches only the addresses it resolved to when the run started, never a name
 *     the program chose (there is no reverse lookup).
 */
#include "netrule.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fnmatch.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/un.h>

#include "../common/util.h"

static const char *const _proto_names[] = {
	[NETRULE_TCP] = "tcp",
	[NETRULE_UDP] = "udp",
	[NETRULE_UNIX] = "unix",
};

const char *netrule_proto_name(enum netrule_proto p)
{
	return (unsigned)p < ARRAY_SIZE(_proto_names) ? _proto_names[p] : "?";
}

/* _fail - write MSG into ERR and return -EINVAL. */
static int __attribute__((format(printf, 3, 4))) _fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* _num - parse the decimal port S (0-65535, digits only) into *OUT. 0 or -EINVAL. */
static int _num(const char *s, size_t len, uint16_t *out)
{
	unsigned long v = 0;

	if (len == 0 || len > 5)
		return -EINVAL;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -EINVAL;
		v = v * 10 + (unsigned long)(s[i] - '0');
	}
	if (v > 65535)
		return -EINVAL;
	*out = (uint16_t)v;
	return 0;
}

/* _ports - parse "N", "N-M" or "*" into R's port range. 0 or -EINVAL. */
static int _ports(const char *s, struct netrule *r)
{
	const char *dash = strchr(s, '-');

	if (!strcmp(s, "*")) {
		r->port_lo = 0;
		r->port_hi = 65535;
		return 0;
	}
	if (!dash)
		return _num(s, strlen(s), &r->port_lo) < 0 ? -EINVAL : (r->port_hi = r->port_lo, 0);
	if (_num(s, (size_t)(dash - s), &r->port_lo) < 0 ||
	    _num(dash + 1, strlen(dash + 1), &r->port_hi) < 0 || r->port_lo > r->port_hi)
		return -EINVAL;
	return 0;
}

/* _map4 - the IPv4-mapped IPv6 form of the IPv4 address IN into OUT. */
static void _map4(const struct in_addr *in, uint8_t out[16])
{
	memset(out, 0, 10);
	out[10] = out[11] = 0xff;
	memcpy(out + 12, &in->s_addr, 4);
}

/* _hostname_ok - S looks like a DNS name: letters, digits, '-', '_', '.', not starting with '-'
 * or '.', at most 253 characters, and not all digits and dots (a malformed IPv4 address). */
static bool _hostname_ok(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > 253 || s[0] == '-' || s[0] == '.')
		return false;
	if (strspn(s, "0123456789.") == n)
		return false;
	return strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.") == n;
}

/* _prefix - parse the "/N" suffix at SLASH (NULL: none) with MAX bits into *OUT (MAX when none).
 * 0 or -EINVAL. */
static int _prefix(const char *slash, unsigned max, unsigned *out)
{
	uint16_t v;

	*out = max;
	if (!slash)
		return 0;
	if (_num(slash + 1, strlen(slash + 1), &v) < 0 || v > max)
		return -EINVAL;
	*out = v;
	return 0;
}

/* _addr - parse the address part A (brackets removed; V6 when it was bracketed) into R.
 * 0 or -EINVAL + ERR. */
static int _addr(char *a, bool v6, struct netrule *r, char *err, size_t errlen)
{
	char *slash = strchr(a, '/');
	struct in_addr in4;
	unsigned pfx;

	if (!v6 && !strcmp(a, "*")) {
		r->any = true;
		return 0;
	}
	if (slash)
		*slash = '\0';
	if (v6) {
		if (inet_pton(AF_INET6, a, r->addr) != 1 || _prefix(slash, 128, &pfx) < 0)
			return _fail(err, errlen, "bad IPv6 address or prefix '%s'", a);
		r->prefix = pfx;
		return 0;
	}
	if (inet_pton(AF_INET, a, &in4) == 1) {
		if (_prefix(slash, 32, &pfx) < 0)
			return _fail(err, errlen, "bad IPv4 prefix in '%s%s'", a, "/...");
		_map4(&in4, r->addr);
		r->prefix = 96 + pfx;
		return 0;
	}
	if (slash || !_hostname_ok(a))
		return _fail(err, errlen, "'%s' is not an address, a CIDR, '*' or a hostname%s", a,
			     strchr(a, ':') ? " (write IPv6 addresses in brackets: [::1]:53)" : "");
	r->host = xstrdup(a);
	return 0;
}

/* _endpoint - parse "ADDR:PORTS" (ADDR may be "[IPv6]") into R. 0 or -EINVAL + ERR. */
static int _endpoint(const char *word, struct netrule *r, char *err, size_t errlen)
{
	_cleanup_free_ char *w = xstrdup(word);
	char *colon, *a = w;
	bool v6 = false;

	if (w[0] == '[') {
		char *close = strchr(w, ']');

		if (!close || close[1] != ':')
			return _fail(err, errlen, "'%s': write an IPv6 endpoint as [ADDR]:PORT", word);
		*close = '\0';
		a = w + 1;
		colon = close + 1;
		v6 = true;
	} else {
		colon = strrchr(w, ':');
		if (!colon)
			return _fail(err, errlen, "'%s' needs a port: ADDR:PORT", word);
		*colon = '\0';
	}
	if (_ports(colon + 1, r) < 0)
		return _fail(err, errlen, "bad port '%s' (a number 0-65535, a range N-M, or *)",
			     colon + 1);
	return _addr(a, v6, r, err, errlen);
}

/* _unix - parse the unix socket name WORD ("/path" or "@name") into R. 0 or -EINVAL + ERR. */
static int _unix(const char *word, struct netrule *r, char *err, size_t errlen)
{
	for (const unsigned char *c = (const unsigned char *)word; *c; c++)
		if (*c < 0x20 || *c == 0x7f)
			return _fail(err, errlen, "socket name contains a control character");
	if (word[0] == '@' && word[1] && strlen(word) <= sizeof(((struct sockaddr_un *)0)->sun_path)) {
		r->name = xstrdup(word);
		return 0;
	}
	if (word[0] == '/' && r->op == NETRULE_CONNECT &&
	    strlen(word) < sizeof(((struct sockaddr_un *)0)->sun_path)) {
		r->name = xstrdup(word);
		return 0;
	}
	if (r->op == NETRULE_BIND)
		return _fail(err, errlen, "'bind unix' takes an abstract name @NAME (a socket path is "
			     "a file: write rules decide)");
	return _fail(err, errlen, "'%s' is not an absolute socket path or an abstract @name (at "
		     "most 107 bytes)", word);
}

int netrule_parse(char **tok, size_t n, struct netrule *out, char *err, size_t errlen)
{
	struct netrule r = { .op = strcmp(tok[0], "bind") ? NETRULE_CONNECT : NETRULE_BIND };
	int rc;

	*out = (struct netrule){ 0 };
	if (n < 3)
		return _fail(err, errlen, "'%s' takes tcp, udp or unix and an endpoint", tok[0]);
	if (n > 3)
		return _fail(err, errlen, "'%s' takes one endpoint, found extra '%s'", tok[0], tok[3]);
	for (size_t i = 0; i < ARRAY_SIZE(_proto_names); i++)
		if (!strcmp(tok[1], _proto_names[i]))
			r.proto = (enum netrule_proto)i + 1;	/* +1: 0 means "not found" here */
	if (!r.proto)
		return _fail(err, errlen, "'%s' takes tcp, udp or unix, not '%s'", tok[0], tok[1]);
	r.proto = (enum netrule_proto)(r.proto - 1);
	rc = r.proto == NETRULE_UNIX ? _unix(tok[2], &r, err, errlen)
				     : _endpoint(tok[2], &r, err, errlen);
	if (rc < 0) {
		netrule_free(&r);
		return rc;
	}
	r.text = xasprintf("%s %s %s", tok[0], tok[1], tok[2]);
	*out = r;
	return 0;
}

void netrule_copy(struct netrule *out, const struct netrule *r)
{
	*out = *r;
	out->host = r->host ? xstrdup(r->host) : NULL;
	out->name = r->name ? xstrdup(r->name) : NULL;
	out->text = r->text ? xstrdup(r->text) : NULL;
	out->resolved = NULL;
	if (r->nresolved) {
		out->resolved = xmalloc(r->nresolved * sizeof(*r->resolved));
		memcpy(out->resolved, r->resolved, r->nresolved * sizeof(*r->resolved));
	}
}

void netrule_free(struct netrule *r)
{
	free(r->host);
	free(r->resolved);
	free(r->name);
	free(r->text);
	*r = (struct netrule){ 0 };
}

int netrule_sock_proto(int family, int type)
{
	if (family == AF_UNIX)
		return NETRULE_UNIX;
	if (family != AF_INET && family != AF_INET6)
		return -1;
	return type == SOCK_STREAM ? NETRULE_TCP : type == SOCK_DGRAM ? NETRULE_UDP : -1;
}

/* _ip_of - the 128-bit (IPv4-mapped) address and the port of the AF_INET/AF_INET6 address SA
 * (LEN bytes). false when SA is neither or too short. */
static bool _ip_of(const struct sockaddr *sa, socklen_t len, uint8_t out[16], uint16_t *port)
{
	if (sa->sa_family == AF_INET && len >= sizeof(struct sockaddr_in)) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)sa;

		_map4(&in->sin_addr, out);
		*port = ntohs(in->sin_port);
		return true;
	}
	if (sa->sa_family == AF_INET6 && len >= sizeof(struct sockaddr_in6)) {
		const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)sa;

		memcpy(out, &in6->sin6_addr, 16);
		*port = ntohs(in6->sin6_port);
		return true;
	}
	return false;
}

/* _in_prefix - the first PREFIX bits of A and B are equal. */
static bool _in_prefix(const uint8_t a[16], const uint8_t b[16], unsigned prefix)
{
	unsigned full = prefix / 8, rest = prefix % 8;

	if (memcmp(a, b, full))
		return false;
	return !rest || ((a[full] ^ b[full]) & (uint8_t)(0xff << (8 - rest))) == 0;
}

/* _ip_match - rule R covers address IP: "*", its CIDR, or one of its hostname's addresses (then
 * *BYNAME is set). */
static bool _ip_match(const struct netrule *r, const uint8_t ip[16], bool *byname)
{
	if (r->any)
		return true;
	if (!r->host)
		return _in_prefix(r->addr, ip, r->prefix);
	for (size_t i = 0; i < r->nresolved; i++)
		if (!memcmp(r->resolved[i], ip, 16)) {
			*byname = true;
			return true;
		}
	return false;
}

char *netrule_unix_name(const struct sockaddr *sa, socklen_t len, char *buf, size_t size)
{
	const struct sockaddr_un *un = (const struct sockaddr_un *)sa;
	size_t off = offsetof(struct sockaddr_un, sun_path);
	size_t n = len > off ? len - off : 0;

	if (n > sizeof(un->sun_path))
		n = sizeof(un->sun_path);
	if (n >= size)
		n = size - 1;
	if (n > 0 && un->sun_path[0] == 0) {
		buf[0] = '@';
		for (size_t i = 1; i < n; i++)
			buf[i] = un->sun_path[i] ? un->sun_path[i] : '@';
		buf[n] = '\0';
		return buf;
	}
	memcpy(buf, un->sun_path, n);
	buf[n] = '\0';
	buf[strnlen(buf, n)] = '\0';	/* a path ends at its first NUL */
	return buf;
}

/* _match - netrule_match over the rules of V whose ask flag is ASK. */
static const struct netrule *_match(const struct netrule *v, size_t n, enum netrule_op op,
				    enum netrule_proto proto, const struct sockaddr *sa,
				    socklen_t len, bool *byname, bool ask)
{
	uint8_t ip[16];
	uint16_t port = 0;
	char name[sizeof(((struct sockaddr_un *)0)->sun_path) + 2];
	bool isip = proto != NETRULE_UNIX && _ip_of(sa, len, ip, &port), by = false;

	if (proto == NETRULE_UNIX) {
		if (sa->sa_family != AF_UNIX)
			return NULL;
		netrule_unix_name(sa, len, name, sizeof(name));
	} else if (!isip) {
		return NULL;
	}
	for (size_t i = 0; i < n; i++) {
		const struct netrule *r = &v[i];

		if (r->op != op || r->proto != proto || r->ask != ask)
			continue;
		if (proto == NETRULE_UNIX) {
			if (name[0] && (!strcmp(r->name, name) || !fnmatch(r->name, name, 0)))
				return r;
			continue;
		}
		if (port < r->port_lo || port > r->port_hi || !_ip_match(r, ip, &by))
			continue;
		if (byname)
			*byname = by;
		return r;
	}
	return NULL;
}

const struct netrule *netrule_match(const struct netrule *v, size_t n, enum netrule_op op,
				    enum netrule_proto proto, const struct sockaddr *sa,
				    socklen_t len, bool *byname)
{
	return _match(v, n, op, proto, sa, len, byname, false);
}

const struct netrule *netrule_match_ask(const struct netrule *v, size_t n, enum netrule_op op,
					enum netrule_proto proto, const struct sockaddr *sa,
					socklen_t len)
{
	return _match(v, n, op, proto, sa, len, NULL, true);
}

const char *netrule_host_of(const struct netrule *v, size_t n, const struct sockaddr *sa,
			    socklen_t len)
{
	uint8_t ip[16];
	uint16_t port;
	bool by = false;

	if (!_ip_of(sa, len, ip, &port))
		return NULL;
	for (size_t i = 0; i < n; i++)
		if (v[i].host && _ip_match(&v[i], ip, &by))
			return v[i].host;
	return NULL;
}

char *netrule_describe(enum netrule_proto proto, const struct sockaddr *sa, socklen_t len)
{
	char ip[INET6_ADDRSTRLEN], name[sizeof(((struct sockaddr_un *)0)->sun_path) + 2];
	const char *p = (unsigned)proto <= NETRULE_UDP ? netrule_proto_name(proto) : "ip";

	if (sa->sa_family == AF_UNIX) {
		netrule_unix_name(sa, len, name, sizeof(name));
		return name[0] ? xasprintf("unix %s", name) : xstrdup("unix (unnamed)");
	}
	if (sa->sa_family == AF_INET && len >= sizeof(struct sockaddr_in)) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)sa;

		inet_ntop(AF_INET, &in->sin_addr, ip, sizeof(ip));
		return xasprintf("%s %s:%u", p, ip, ntohs(in->sin_port));
	}
	if (sa->sa_family == AF_INET6 && len >= sizeof(struct sockaddr_in6)) {
		const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)sa;

		inet_ntop(AF_INET6, &in6->sin6_addr, ip, sizeof(ip));
		return xasprintf("%s [%s]:%u", p, ip, ntohs(in6->sin6_port));
	}
	return xasprintf("family %d", sa->sa_family);
}
