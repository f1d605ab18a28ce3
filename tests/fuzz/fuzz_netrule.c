/* fuzz_netrule.c - libFuzzer target: policy/netrule.c, parsing a "connect"/"bind" line and
 * matching, naming and describing a socket address built from the input.
 *
 * Input: a rule line (words split at spaces and tabs; "connect" is put first when the line does
 * not start with "connect" or "bind"), a newline, then the address: one byte choosing the
 * operation (bit 0: bind) and the protocol (bits 1-2: tcp, udp, unix), one byte choosing the
 * family (0 AF_INET, 1 AF_INET6, 2 AF_UNIX, else the next two bytes), one byte giving the length
 * (modulo sizeof(struct sockaddr_storage) + 1, at least the family's 2 bytes), then the bytes of
 * the address after the family. The address buffer is allocated at exactly that length, so that
 * a read past it is an error. A hostname rule resolves to the input's AF_INET6 address.
 * Properties checked beyond the sanitizers:
 *   - a rule that parsed is matched by its deep copy alike, and its text is the words given;
 *   - a matching IP rule has the address's port in its range;
 *   - the description of an AF_INET/AF_INET6 address ("tcp 1.2.3.4:80", "udp [::1]:53") read
 *     back as a connect rule parses and matches that address; so does the name of a named unix
 *     address when it is a valid rule name.
 */
#include "fuzz.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <sys/un.h>

#include "../../policy/netrule.h"

#define MAXW 6

/* split_words - cut LINE into at most MAXW - 1 words after a leading "connect" when it has none;
 * returns the count. */
static size_t split_words(char *line, char **tok)
{
	static char connect[] = "connect";
	size_t n = 0;
	char *s = line;

	for (;;) {
		s += strspn(s, " \t");
		if (!*s || n == MAXW - 1)
			break;
		tok[n++] = s;
		s += strcspn(s, " \t");
		if (*s)
			*s++ = '\0';
	}
	if (n == 0 || (strcmp(tok[0], "connect") && strcmp(tok[0], "bind"))) {
		memmove(tok + 1, tok, n * sizeof(*tok));
		tok[0] = connect;
		n++;
	}
	return n;
}

/* build_sa - the socket address described by D (N bytes) into a malloc'd buffer of *LEN bytes;
 * *OP and *PROTO from its first byte. */
static struct sockaddr *build_sa(const uint8_t *d, size_t n, enum netrule_op *op,
				 enum netrule_proto *proto, socklen_t *len)
{
	uint8_t b[3] = { 0, 0, 0 };
	sa_family_t fam;
	struct sockaddr *sa;
	size_t i = 0, l;

	for (; i < 3 && i < n; i++)
		b[i] = d[i];
	*op = b[0] & 1 ? NETRULE_BIND : NETRULE_CONNECT;
	*proto = (enum netrule_proto)((b[0] >> 1 & 3) % 3);
	switch (b[1]) {
	case 0: fam = AF_INET; break;
	case 1: fam = AF_INET6; break;
	case 2: fam = AF_UNIX; break;
	default:
		fam = (sa_family_t)(i < n ? d[i++] : 0);
		fam = (sa_family_t)(fam | (i < n ? d[i++] : 0) << 8);
	}
	l = b[2] % (sizeof(struct sockaddr_storage) + 1);
	if (l < sizeof(sa_family_t))
		l = sizeof(sa_family_t);
	sa = calloc(1, l);
	if (!sa)
		abort();
	memcpy(sa, &fam, sizeof(fam));
	if (n > i)
		memcpy((char *)sa + sizeof(fam), d + i,
		       n - i < l - sizeof(fam) ? n - i : l - sizeof(fam));
	*len = (socklen_t)l;
	return sa;
}

/* resolve_to - give the hostname rule R the AF_INET6 address of SA (LEN bytes) if it has one,
 * else ::1, as its one resolved address. */
static void resolve_to(struct netrule *r, const struct sockaddr *sa, socklen_t len)
{
	static const uint8_t lo[16] = { [15] = 1 };

	r->resolved = malloc(sizeof(*r->resolved));
	if (!r->resolved)
		abort();
	if (sa->sa_family == AF_INET6 && len >= sizeof(struct sockaddr_in6))
		memcpy(r->resolved[0], &((const struct sockaddr_in6 *)sa)->sin6_addr, 16);
	else
		memcpy(r->resolved[0], lo, 16);
	r->nresolved = 1;
}

/* round_trip - the object DESC of SA names an endpoint: "connect" + DESC must parse (for unix
 * names only when the name is a valid rule name) and match SA with PROTO. */
static void round_trip(const char *desc, enum netrule_proto proto, const struct sockaddr *sa,
		       socklen_t len)
{
	char *words = strdup(desc), *sp, *tok[3] = { "connect", words, NULL }, err[400] = "";
	struct netrule r;
	int rc;

	if (!words)
		abort();
	sp = strchr(words, ' ');
	FUZZ_CHECK(sp, "description '%s'", desc);
	*sp = '\0';
	tok[2] = sp + 1;
	rc = netrule_parse(tok, 3, &r, err, sizeof(err));
	if (proto == NETRULE_UNIX && rc < 0) {	/* a relative path, a control character */
		free(words);
		return;
	}
	FUZZ_CHECK(rc == 0, "'connect %s': %s", desc, err);
	FUZZ_CHECK(netrule_match(&r, 1, NETRULE_CONNECT, proto, sa, len, NULL) == &r,
		   "'%s' does not match its own address", r.text);
	netrule_free(&r);
	free(words);
}

/* check_address - match, describe and name SA (LEN bytes) against R (NULL: none parsed). */
static void check_address(struct netrule *r, enum netrule_op op, enum netrule_proto proto,
			  const struct sockaddr *sa, socklen_t len)
{
	const struct netrule *m = NULL;
	char name[sizeof(((struct sockaddr_un *)0)->sun_path) + 2], *desc;
	bool byname = false;

	if (r) {
		struct netrule copy;

		m = netrule_match(r, 1, op, proto, sa, len, &byname);
		netrule_copy(&copy, r);
		FUZZ_CHECK(!netrule_match(&copy, 1, op, proto, sa, len, NULL) == !m,
			   "the copy of '%s' matches differently", r->text);
		netrule_free(&copy);
		(void)netrule_host_of(r, 1, sa, len);
	}
	if (m && proto != NETRULE_UNIX) {
		uint16_t port = sa->sa_family == AF_INET ? ntohs(((const struct sockaddr_in *)sa)->sin_port)
							 : ntohs(((const struct sockaddr_in6 *)sa)->sin6_port);

		FUZZ_CHECK(port >= m->port_lo && port <= m->port_hi, "port %u, rule '%s'", port,
			   m->text);
	}
	netrule_unix_name(sa, len, name, sizeof(name));
	FUZZ_CHECK(strlen(name) < sizeof(name), "unix name too long");
	desc = netrule_describe(proto, sa, len);
	if ((sa->sa_family == AF_INET && len >= sizeof(struct sockaddr_in) && proto != NETRULE_UNIX) ||
	    (sa->sa_family == AF_INET6 && len >= sizeof(struct sockaddr_in6) &&
	     proto != NETRULE_UNIX) ||
	    (sa->sa_family == AF_UNIX && proto == NETRULE_UNIX && name[0]))
		round_trip(desc, proto, sa, len);
	free(desc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nl = memchr(data, '\n', size);
	size_t ll = nl ? (size_t)(nl - data) : size;
	char *line = malloc(ll + 1), *tok[MAXW], err[400] = "";
	enum netrule_op op;
	enum netrule_proto proto;
	struct netrule r;
	struct sockaddr *sa;
	socklen_t len;
	size_t n;
	int rc;

	if (!line)
		abort();
	memcpy(line, data, ll);
	line[ll] = '\0';
	n = split_words(line, tok);
	sa = nl ? build_sa(nl + 1, size - ll - 1, &op, &proto, &len) : build_sa(NULL, 0, &op, &proto, &len);
	rc = netrule_parse(tok, n, &r, err, sizeof(err));
	FUZZ_CHECK(rc == 0 || rc == -EINVAL, "netrule_parse returned %d", rc);
	if (rc == 0) {
		FUZZ_CHECK(r.text && !strncmp(r.text, tok[0], strlen(tok[0])), "text '%s'", r.text);
		if (r.host)
			resolve_to(&r, sa, len);
	}
	check_address(rc == 0 ? &r : NULL, op, proto, sa, len);
	if (rc == 0)
		netrule_free(&r);
	free(sa);
	free(line);
	return 0;
}
