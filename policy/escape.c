/* escape.c - the "\NNN" escapes of profile path tokens (pure): policy_path_escape() writes them,
 * policy_path_unescape() (internal.h) decodes them for the parser.
 */
#include "policy.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "../common/util.h"
#include "internal.h"

/* policy_is_ctrl - see internal.h. */
bool policy_is_ctrl(unsigned char c)
{
	return c < 0x20 || c == 0x7f;
}

/* _needs_escape - true for the bytes policy_path_escape() writes as "\NNN". */
static bool _needs_escape(unsigned char c)
{
	return c == ' ' || c == '\\' || policy_is_ctrl(c);
}

char *policy_path_escape(const char *path)
{
	char *out = xmalloc(strlen(path) * 4 + 1), *o = out;

	for (const unsigned char *s = (const unsigned char *)path; *s; s++) {
		if (_needs_escape(*s))
			o += sprintf(o, "\\%03o", (unsigned)*s);
		else
			*o++ = (char)*s;
	}
	*o = '\0';
	return out;
}

/* _is_octal - true for '0'..'7'. */
static bool _is_octal(char c)
{
	return c >= '0' && c <= '7';
}

/* policy_path_unescape - see internal.h. */
int policy_path_unescape(const char *s, char **out)
{
	_cleanup_free_ char *buf = xmalloc(strlen(s) + 1);
	char *o = buf;
	unsigned v;

	for (; *s; s++) {
		if (*s != '\\') {
			*o++ = *s;
			continue;
		}
		if (!_is_octal(s[1]) || !_is_octal(s[2]) || !_is_octal(s[3]) || s[1] > '3')
			return -EINVAL;
		v = (unsigned)(s[1] - '0') * 64 + (unsigned)(s[2] - '0') * 8 + (unsigned)(s[3] - '0');
		if (policy_is_ctrl((unsigned char)v))
			return -ERANGE;
		*o++ = (char)v;
		s += 3;
	}
	*o = '\0';
	*out = steal_pointer(&buf);
	return 0;
}
