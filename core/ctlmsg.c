/* ctlmsg.c - control socket messages (see ctlmsg.h). */
#include "ctlmsg.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "../common/path.h"
#include "../common/util.h"

/* _word - the length of the word at P (up to a space or END). */
static size_t _word(const char *p, const char *end)
{
	const char *q = p;

	while (q < end && *q != ' ')
		q++;
	return (size_t)(q - p);
}

/* _is(P, N, WORD) - the N bytes at P are WORD. */
static bool _is(const char *p, size_t n, const char *word)
{
	return n == strlen(word) && memcmp(p, word, n) == 0;
}

/* _path - the rest of the message, [P, END), as OUT's normalised absolute path. 0 or -EINVAL. */
static int _path(const char *p, const char *end, struct ctl_req *out, char *err, size_t errlen)
{
	size_t n = (size_t)(end - p);
	_cleanup_free_ char *norm = NULL;
	char raw[PATH_MAX];

	if (n == 0 || *p != '/') {
		snprintf(err, errlen, "the path must be absolute");
		return -EINVAL;
	}
	if (n >= sizeof(raw)) {
		snprintf(err, errlen, "the path is longer than %d bytes", PATH_MAX - 1);
		return -EINVAL;
	}
	memcpy(raw, p, n);
	raw[n] = 0;
	norm = path_join_normalize("/", raw);
	if (strlen(norm) >= sizeof(out->path)) {
		snprintf(err, errlen, "the path is longer than %d bytes", PATH_MAX - 1);
		return -EINVAL;
	}
	strcpy(out->path, norm);
	return 0;
}

int ctl_parse(const char *buf, size_t len, struct ctl_req *out, char *err, size_t errlen)
{
	const char *end = buf + len, *p = buf;
	size_t n;

	memset(out, 0, sizeof(*out));
	if (len == 0 || len > CTL_MSG_MAX || memchr(buf, 0, len) || memchr(buf, '\n', len)) {
		snprintf(err, errlen, len > CTL_MSG_MAX ? "the message is longer than %d bytes" :
			 "not a request (empty, or a NUL or newline in it)", CTL_MSG_MAX);
		return -EINVAL;
	}
	n = _word(p, end);
	if (_is(p, n, "ping") && n == len) {
		out->op = CTL_PING;
		return 0;
	}
	if (_is(p, n, "revoke") && n < len) {
		out->op = CTL_REVOKE;
		return _path(p + n + 1, end, out, err, errlen);
	}
	if (!_is(p, n, "grant") || n == len) {
		snprintf(err, errlen, "unknown request (ping, grant KIND PATH or revoke PATH)");
		return -EINVAL;
	}
	p += n + 1;
	n = _word(p, end);
	if (_is(p, n, "read"))
		out->kind = RULE_READ;
	else if (_is(p, n, "write"))
		out->kind = RULE_WRITE;
	else if (_is(p, n, "exec"))
		out->kind = RULE_EXEC;
	else {
		snprintf(err, errlen, "grant: the access must be read, write or exec");
		return -EINVAL;
	}
	if (p + n == end) {
		snprintf(err, errlen, "grant: a path must follow the access");
		return -EINVAL;
	}
	out->op = CTL_GRANT;
	return _path(p + n + 1, end, out, err, errlen);
}

int ctl_format(const struct ctl_req *r, char *buf, size_t len)
{
	int n;

	if (r->op == CTL_PING)
		n = snprintf(buf, len, "ping");
	else if (r->op == CTL_REVOKE)
		n = snprintf(buf, len, "revoke %s", r->path);
	else
		n = snprintf(buf, len, "grant %s %s", rule_kind_name(r->kind), r->path);
	return n < 0 || (size_t)n >= len ? -1 : n;
}

int ctl_socket_dir(unsigned euid, const char *xdg, char *buf, size_t len)
{
	int n;

	if (euid == 0)
		n = snprintf(buf, len, "/run/supervise");
	else if (xdg && xdg[0] == '/')
		n = snprintf(buf, len, "%s/supervise", xdg);
	else
		n = snprintf(buf, len, "/tmp/supervise-%u", euid);
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}
