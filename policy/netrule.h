/* netrule.h - network rules of a profile: parsing "connect"/"bind" lines and matching socket
 * addresses against them (pure: no kernel calls; hostnames are resolved elsewhere, at run start).
 *
 *   connect tcp|udp ADDR:PORT[-PORT]   ADDR: IPv4, [IPv6], a CIDR (10.0.0.0/8, [fd00::/8]), "*",
 *                                      or a hostname; PORT: a number, a range, or "*"
 *   connect unix PATH | @NAME          a socket path, or an abstract name ("*" globs allowed)
 *   bind    tcp|udp ADDR:PORT[-PORT]   as for connect
 *   bind    unix @NAME                 an abstract name (path sockets are files: the view decides)
 *
 * IPv4 addresses are kept as IPv4-mapped IPv6 (::ffff:a.b.c.d, prefix + 96), so an IPv4 rule
 * matches the same host reached through an AF_INET6 socket, and an IPv4-mapped rule an AF_INET one.
 */
#ifndef SUPERVISE_NETRULE_H
#define SUPERVISE_NETRULE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

enum netrule_op {
	NETRULE_CONNECT,	/* connect, and sendto/sendmsg carrying an address */
	NETRULE_BIND,
};

enum netrule_proto {
	NETRULE_TCP,
	NETRULE_UDP,
	NETRULE_UNIX,
};

struct netrule {
	enum netrule_op op;
	enum netrule_proto proto;
	bool any;		/* ADDR "*": every address of both families */
	uint8_t addr[16];	/* IPv6, or IPv4-mapped IPv6 */
	unsigned prefix;	/* CIDR prefix length in the 128-bit space */
	char *host;		/* a hostname as written (NULL for a literal address) */
	uint8_t (*resolved)[16];/* HOST's addresses (IPv4 mapped), filled at run start */
	size_t nresolved;
	uint16_t port_lo, port_hi;
	char *name;		/* unix: "/path" or "@abstract" */
	char *text;		/* the line as written, normalised spacing */
	unsigned line;
	bool inherited;		/* from an included profile */
	bool ask;		/* "ask connect|bind ...": allows nothing; the user is asked (ask.h) */
};

/* netrule_proto_name - "tcp", "udp", "unix". */
const char *netrule_proto_name(enum netrule_proto p);

/* netrule_parse - parse the words of one line, TOK[0] being "connect" or "bind" (N words) into
 * *OUT (zeroed first; owns its strings). Returns 0, or -EINVAL with the reason (no prefix) in
 * ERR. */
int netrule_parse(char **tok, size_t n, struct netrule *out, char *err, size_t errlen);

/* netrule_copy - a deep copy of R into *OUT (the resolved addresses too). */
void netrule_copy(struct netrule *out, const struct netrule *r);

/* netrule_free - release what R owns and zero it. */
void netrule_free(struct netrule *r);

/* netrule_sock_proto - the rule protocol for a socket of TYPE (SOCK_STREAM → tcp, SOCK_DGRAM →
 * udp) and address family FAMILY; AF_UNIX is always unix. -1 for anything else. */
int netrule_sock_proto(int family, int type);

/* netrule_match - the first rule of V (N rules) allowing OP with PROTO to the address SA (LEN
 * bytes, AF_INET, AF_INET6 or AF_UNIX), or NULL. *BYNAME (may be NULL) receives true when the
 * rule matched through one of its hostname's addresses. */
const struct netrule *netrule_match(const struct netrule *v, size_t n, enum netrule_op op,
				    enum netrule_proto proto, const struct sockaddr *sa,
				    socklen_t len, bool *byname);

/* netrule_match_ask - the first "ask" rule of V (N rules) that OP with PROTO to SA (LEN bytes)
 * falls under, or NULL. netrule_match never returns an ask rule. */
const struct netrule *netrule_match_ask(const struct netrule *v, size_t n, enum netrule_op op,
					enum netrule_proto proto, const struct sockaddr *sa,
					socklen_t len);

/* netrule_host_of - the hostname of a rule of V (N rules) naming the address of SA (AF_INET/6) through
 * its resolved addresses, or NULL. For log objects ("tcp 93.184.216.34:443 (example.org)"). */
const char *netrule_host_of(const struct netrule *v, size_t n, const struct sockaddr *sa,
			    socklen_t len);

/* netrule_describe - SA (LEN bytes) as a log object for PROTO: "tcp 1.2.3.4:80",
 * "udp [::1]:53", "unix /path", "unix @name" (NUL bytes of abstract names shown as '@'),
 * "unix (unnamed)", or "family N". Returns malloc'd. */
char *netrule_describe(enum netrule_proto proto, const struct sockaddr *sa, socklen_t len);

/* netrule_unix_name - the rule form of the AF_UNIX address UN (LEN bytes) into BUF (SIZE >= 110):
 * "/path", "@name", or "" when unnamed (autobind). Returns BUF. */
char *netrule_unix_name(const struct sockaddr *sa, socklen_t len, char *buf, size_t size);

#endif
