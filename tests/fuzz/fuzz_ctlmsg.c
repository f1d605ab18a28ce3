/* fuzz_ctlmsg.c - libFuzzer target: core/ctlmsg.c, parsing a control socket request.
 *
 * Input: the bytes of one message, as a caller may send them to the control socket.
 * Properties checked beyond the sanitizers:
 *   - a message that parses names an absolute, normalised path (no "//", "/./", "/../", no
 *     trailing "/" but for "/") of fewer than PATH_MAX bytes, and, for a grant, read, write or exec;
 *   - it formats back (ctl_format) into a message that parses to the same request, and formatting
 *     that again gives the same bytes (a round trip);
 *   - one that does not parse says why: a non-empty reason.
 */
#include "fuzz.h"

#include <limits.h>
#include <stdbool.h>

#include "../../core/ctlmsg.h"

/* normal - whether P is an absolute path without empty, "." or ".." components. */
static bool normal(const char *p)
{
	if (p[0] != '/')
		return false;
	if (!strcmp(p, "/"))
		return true;
	if (p[strlen(p) - 1] == '/' || strstr(p, "//") || strstr(p, "/./") || strstr(p, "/../"))
		return false;
	return strcmp(p + strlen(p) - 2, "/.") && strcmp(p + strlen(p) - 3, "/..");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ctl_req q, back;
	char err[256] = "", msg[CTL_MSG_MAX + 1], again[CTL_MSG_MAX + 1];
	int n, m;

	if (ctl_parse((const char *)data, size, &q, err, sizeof(err)) < 0) {
		FUZZ_CHECK(err[0], "no reason for a refused message of %zu bytes", size);
		return 0;
	}
	if (q.op != CTL_PING) {
		FUZZ_CHECK(normal(q.path) && strlen(q.path) < PATH_MAX, "path '%s'", q.path);
	}
	if (q.op == CTL_GRANT)
		FUZZ_CHECK(q.kind == RULE_READ || q.kind == RULE_WRITE || q.kind == RULE_EXEC,
			   "kind %d", (int)q.kind);
	n = ctl_format(&q, msg, sizeof(msg));
	FUZZ_CHECK(n > 0, "a parsed request does not format (path '%s')", q.path);
	FUZZ_CHECK(ctl_parse(msg, (size_t)n, &back, err, sizeof(err)) == 0, "'%s' does not parse: %s",
		   msg, err);
	FUZZ_CHECK(back.op == q.op && back.kind == q.kind && !strcmp(back.path, q.path),
		   "'%s' parses to another request", msg);
	m = ctl_format(&back, again, sizeof(again));
	FUZZ_CHECK(m == n && !memcmp(msg, again, (size_t)n), "'%s' formats differently", msg);
	return 0;
}
