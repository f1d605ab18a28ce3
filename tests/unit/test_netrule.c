/* test_netrule.c - unit tests for policy/netrule.c (parsing and matching network rules). */
#include "unit.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <sys/un.h>

#include "../../common/util.h"
#include "../../policy/policy.h"

/* parse - parse TEXT into *P; returns policy_parse's result, the error in ERR. */
static int parse(const char *text, struct profile *p, char *err, size_t errlen)
{
	*p = (struct profile){ 0 };
	return policy_parse(text, "t.profile", "/home/u", p, err, errlen);
}

/* A socket address built from text: "4 1.2.3.4 80", "6 ::1 53", "u /path", "a name". */
struct addr {
	struct sockaddr_storage ss;
	socklen_t len;
};

/* mkaddr - build the address FAMILY ('4', '6', 'u' for a path, 'a' for abstract) of A, PORT. */
static struct addr mkaddr(char family, const char *a, unsigned port)
{
	struct addr r = { 0 };

	if (family == '4') {
		struct sockaddr_in *in = (struct sockaddr_in *)&r.ss;

		in->sin_family = AF_INET;
		in->sin_port = htons((uint16_t)port);
		assert_int_equal(inet_pton(AF_INET, a, &in->sin_addr), 1);
		r.len = sizeof(*in);
	} else if (family == '6') {
		struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&r.ss;

		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons((uint16_t)port);
		assert_int_equal(inet_pton(AF_INET6, a, &in6->sin6_addr), 1);
		r.len = sizeof(*in6);
	} else {
		struct sockaddr_un *un = (struct sockaddr_un *)&r.ss;
		size_t off = family == 'a' ? 1 : 0;

		un->sun_family = AF_UNIX;
		memcpy(un->sun_path + off, a, strlen(a));
		r.len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + off + strlen(a) +
				    (family == 'u'));
	}
	return r;
}

static const struct {
	const char *rules;	/* profile text */
	enum netrule_op op;
	enum netrule_proto proto;
	char family;
	const char *addr;
	unsigned port;
	const char *want;	/* the matching rule's text, or NULL */
} match_cases[] = {
	{ "connect tcp 127.0.0.1:8080", NETRULE_CONNECT, NETRULE_TCP, '4', "127.0.0.1", 8080, "connect tcp 127.0.0.1:8080" },
	{ "connect tcp 127.0.0.1:8080", NETRULE_CONNECT, NETRULE_TCP, '4', "127.0.0.1", 8081, NULL },
	{ "connect tcp 127.0.0.1:8080", NETRULE_CONNECT, NETRULE_TCP, '4', "127.0.0.2", 8080, NULL },
	{ "connect tcp 127.0.0.1:8080", NETRULE_CONNECT, NETRULE_UDP, '4', "127.0.0.1", 8080, NULL },
	{ "connect tcp 127.0.0.1:8080", NETRULE_BIND, NETRULE_TCP, '4', "127.0.0.1", 8080, NULL },
	/* IPv4-mapped IPv6 against an IPv4 rule, and the reverse */
	{ "connect tcp 1.2.3.4:443", NETRULE_CONNECT, NETRULE_TCP, '6', "::ffff:1.2.3.4", 443, "connect tcp 1.2.3.4:443" },
	{ "connect tcp [::ffff:1.2.3.4]:443", NETRULE_CONNECT, NETRULE_TCP, '4', "1.2.3.4", 443, "connect tcp [::ffff:1.2.3.4]:443" },
	{ "connect tcp 1.2.3.4:443", NETRULE_CONNECT, NETRULE_TCP, '6', "::1.2.3.4", 443, NULL },
	/* CIDR */
	{ "connect tcp 10.0.0.0/8:443", NETRULE_CONNECT, NETRULE_TCP, '4', "10.200.3.4", 443, "connect tcp 10.0.0.0/8:443" },
	{ "connect tcp 10.0.0.0/8:443", NETRULE_CONNECT, NETRULE_TCP, '4', "11.0.0.1", 443, NULL },
	{ "connect tcp 10.0.0.0/8:443", NETRULE_CONNECT, NETRULE_TCP, '6', "::ffff:10.9.9.9", 443, "connect tcp 10.0.0.0/8:443" },
	{ "connect tcp 192.168.1.128/25:1", NETRULE_CONNECT, NETRULE_TCP, '4', "192.168.1.127", 1, NULL },
	{ "connect tcp 192.168.1.128/25:1", NETRULE_CONNECT, NETRULE_TCP, '4', "192.168.1.255", 1, "connect tcp 192.168.1.128/25:1" },
	{ "connect tcp 0.0.0.0/0:1", NETRULE_CONNECT, NETRULE_TCP, '6', "2001:db8::1", 1, NULL },
	{ "connect udp [fd00::/8]:53", NETRULE_CONNECT, NETRULE_UDP, '6', "fd12::1", 53, "connect udp [fd00::/8]:53" },
	{ "connect udp [fd00::/8]:53", NETRULE_CONNECT, NETRULE_UDP, '6', "fe80::1", 53, NULL },
	{ "connect udp [::1]:53", NETRULE_CONNECT, NETRULE_UDP, '6', "::1", 53, "connect udp [::1]:53" },
	/* port ranges and wildcards */
	{ "bind tcp 127.0.0.1:8000-8099", NETRULE_BIND, NETRULE_TCP, '4', "127.0.0.1", 8000, "bind tcp 127.0.0.1:8000-8099" },
	{ "bind tcp 127.0.0.1:8000-8099", NETRULE_BIND, NETRULE_TCP, '4', "127.0.0.1", 8099, "bind tcp 127.0.0.1:8000-8099" },
	{ "bind tcp 127.0.0.1:8000-8099", NETRULE_BIND, NETRULE_TCP, '4', "127.0.0.1", 8100, NULL },
	{ "bind tcp 127.0.0.1:8000-8099", NETRULE_BIND, NETRULE_TCP, '4', "127.0.0.1", 7999, NULL },
	{ "connect udp *:53", NETRULE_CONNECT, NETRULE_UDP, '4', "8.8.8.8", 53, "connect udp *:53" },
	{ "connect udp *:53", NETRULE_CONNECT, NETRULE_UDP, '6', "2001:4860::8888", 53, "connect udp *:53" },
	{ "connect udp *:53", NETRULE_CONNECT, NETRULE_UDP, '6', "2001:4860::8888", 54, NULL },
	{ "connect tcp 127.0.0.1:*", NETRULE_CONNECT, NETRULE_TCP, '4', "127.0.0.1", 65535, "connect tcp 127.0.0.1:*" },
	/* first match wins; other rules are skipped */
	{ "connect tcp 1.1.1.1:1\nconnect tcp *:2", NETRULE_CONNECT, NETRULE_TCP, '4', "9.9.9.9", 2, "connect tcp *:2" },
	/* unix: paths, abstract names, globs; a path rule does not match an abstract name */
	{ "connect unix /run/x.sock", NETRULE_CONNECT, NETRULE_UNIX, 'u', "/run/x.sock", 0, "connect unix /run/x.sock" },
	{ "connect unix /run/x.sock", NETRULE_CONNECT, NETRULE_UNIX, 'u', "/run/y.sock", 0, NULL },
	{ "connect unix @/run/x.sock", NETRULE_CONNECT, NETRULE_UNIX, 'u', "/run/x.sock", 0, NULL },
	{ "connect unix @/tmp/.X11-unix/X0", NETRULE_CONNECT, NETRULE_UNIX, 'a', "/tmp/.X11-unix/X0", 0, "connect unix @/tmp/.X11-unix/X0" },
	{ "connect unix /tmp/.X11-unix/X0", NETRULE_CONNECT, NETRULE_UNIX, 'a', "/tmp/.X11-unix/X0", 0, NULL },
	{ "connect unix @sv-test-*", NETRULE_CONNECT, NETRULE_UNIX, 'a', "sv-test-1234", 0, "connect unix @sv-test-*" },
	{ "connect unix @sv-test-*", NETRULE_CONNECT, NETRULE_UNIX, 'a', "other", 0, NULL },
	{ "bind unix @sv", NETRULE_BIND, NETRULE_UNIX, 'a', "sv", 0, "bind unix @sv" },
	{ "bind unix @sv", NETRULE_CONNECT, NETRULE_UNIX, 'a', "sv", 0, NULL },
	/* an IP address reached as a unix one, and the reverse, never match */
	{ "connect tcp *:*", NETRULE_CONNECT, NETRULE_UNIX, 'a', "x", 0, NULL },
};

static void test_match_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(match_cases); i++) {
		struct profile p;
		char err[256] = "";
		struct addr a = mkaddr(match_cases[i].family, match_cases[i].addr, match_cases[i].port);
		const struct netrule *r;

		if (parse(match_cases[i].rules, &p, err, sizeof(err)) != 0) {
			print_error("case %zu: %s\n", i, err);
			fail();
		}
		r = netrule_match(p.netrules, p.nnet, match_cases[i].op, match_cases[i].proto,
				  (struct sockaddr *)&a.ss, a.len, NULL);
		if (match_cases[i].want == NULL ? r != NULL : (!r || strcmp(r->text, match_cases[i].want))) {
			print_error("case %zu (%s vs %s:%u): got %s\n", i, match_cases[i].rules,
				    match_cases[i].addr, match_cases[i].port, r ? r->text : "no match");
			fail();
		}
		policy_free(&p);
	}
}

static const struct {
	const char *line;
	const char *err;	/* substring of the error, NULL when the line parses */
} parse_cases[] = {
	{ "connect tcp 127.0.0.1:80", NULL },
	{ "connect   udp   [::1]:53   # dns", NULL },
	{ "connect tcp example.org:443", NULL },
	{ "connect tcp 10.0.0.0/8:1-1024", NULL },
	{ "bind udp *:0-65535", NULL },
	{ "connect unix @abstract", NULL },
	{ "connect unix /run/user/1000/bus", NULL },
	{ "connect tcp 127.0.0.1", "needs a port" },
	{ "connect tcp 127.0.0.1:65536", "bad port" },
	{ "connect tcp 127.0.0.1:90-80", "bad port" },
	{ "connect tcp 127.0.0.1:x", "bad port" },
	{ "connect tcp ::1:53", "brackets" },
	{ "connect tcp [::1]53", "[ADDR]:PORT" },
	{ "connect tcp 10.0.0.0/33:1", "bad IPv4 prefix" },
	{ "connect tcp [::/129]:1", "bad IPv6" },
	{ "connect tcp 1.2.3:1", "not an address" },
	{ "connect tcp bad!host:1", "not an address" },
	{ "connect icmp 1.2.3.4:1", "tcp, udp or unix" },
	{ "connect tcp", "takes tcp, udp or unix and an endpoint" },
	{ "connect tcp 1.2.3.4:1 extra", "extra" },
	{ "connect unix relative.sock", "absolute socket path" },
	{ "bind unix /run/x.sock", "abstract name" },
};

static void test_parse_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(parse_cases); i++) {
		struct profile p;
		char err[256] = "";
		int r = parse(parse_cases[i].line, &p, err, sizeof(err));

		if (parse_cases[i].err ? (r == 0 || !strstr(err, parse_cases[i].err) ||
					  strncmp(err, "t.profile:1: ", 13))
				       : r != 0) {
			print_error("case %zu '%s': r=%d err='%s'\n", i, parse_cases[i].line, r, err);
			fail();
		}
		policy_free(&p);
	}
}

static void test_render_and_merge(void **state)
{
	struct profile p, inc, merged = { 0 };
	char err[256];
	_cleanup_free_ char *text = NULL, *text2 = NULL;

	(void)state;
	assert_int_equal(parse("net host\nconnect  tcp 127.0.0.1:80\nread /etc\nbind udp *:53\n", &p,
			       err, sizeof(err)), 0);
	text = policy_render(&p);
	assert_string_equal(text, "net host\nconnect tcp 127.0.0.1:80\nbind udp *:53\nread /etc\n");
	assert_int_equal(parse("connect unix @x", &inc, err, sizeof(err)), 0);
	policy_merge_included(&merged, &inc);
	policy_merge_included(&merged, &p);
	assert_int_equal(merged.nnet, 3);
	assert_true(merged.netrules[0].inherited);
	text2 = policy_render(&merged);
	assert_string_equal(text2, "");
	policy_free(&p);
	policy_free(&inc);
	policy_free(&merged);
}

static void test_hostname(void **state)
{
	struct profile p;
	char err[256];
	struct addr a = mkaddr('4', "93.184.216.34", 443), b = mkaddr('4', "93.184.216.35", 443);
	bool byname = false;
	const struct netrule *r;

	(void)state;
	assert_int_equal(parse("connect tcp example.org:443", &p, err, sizeof(err)), 0);
	assert_string_equal(p.netrules[0].host, "example.org");
	/* unresolved: matches nothing */
	assert_null(netrule_match(p.netrules, 1, NETRULE_CONNECT, NETRULE_TCP, (struct sockaddr *)&a.ss,
				  a.len, &byname));
	p.netrules[0].resolved = xcalloc(1, 16);
	p.netrules[0].nresolved = 1;
	p.netrules[0].resolved[0][10] = p.netrules[0].resolved[0][11] = 0xff;
	memcpy(&p.netrules[0].resolved[0][12], &((struct sockaddr_in *)&a.ss)->sin_addr, 4);
	r = netrule_match(p.netrules, 1, NETRULE_CONNECT, NETRULE_TCP, (struct sockaddr *)&a.ss, a.len,
			  &byname);
	assert_non_null(r);
	assert_true(byname);
	assert_string_equal(netrule_host_of(p.netrules, 1, (struct sockaddr *)&a.ss, a.len),
			    "example.org");
	assert_null(netrule_match(p.netrules, 1, NETRULE_CONNECT, NETRULE_TCP, (struct sockaddr *)&b.ss,
				  b.len, &byname));
	policy_free(&p);
}

static void test_describe(void **state)
{
	struct addr a = mkaddr('4', "93.184.216.34", 443), b = mkaddr('6', "::1", 53);
	struct addr c = mkaddr('a', "sv-test", 0), d = mkaddr('u', "/run/x", 0);
	_cleanup_free_ char *s1 = netrule_describe(NETRULE_TCP, (struct sockaddr *)&a.ss, a.len);
	_cleanup_free_ char *s2 = netrule_describe(NETRULE_UDP, (struct sockaddr *)&b.ss, b.len);
	_cleanup_free_ char *s3 = netrule_describe(NETRULE_UNIX, (struct sockaddr *)&c.ss, c.len);
	_cleanup_free_ char *s4 = netrule_describe(NETRULE_UNIX, (struct sockaddr *)&d.ss, d.len);
	_cleanup_free_ char *s5 = netrule_describe(NETRULE_TCP, (struct sockaddr *)&a.ss, 4);

	(void)state;
	assert_string_equal(s1, "tcp 93.184.216.34:443");
	assert_string_equal(s2, "udp [::1]:53");
	assert_string_equal(s3, "unix @sv-test");
	assert_string_equal(s4, "unix /run/x");
	assert_string_equal(s5, "family 2");	/* too short for AF_INET: nothing is read */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_match_table),
		cmocka_unit_test(test_parse_table),
		cmocka_unit_test(test_render_and_merge),
		cmocka_unit_test(test_hostname),
		cmocka_unit_test(test_describe),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
