/* xauth.c - reading and writing Xauthority entries (pure). See xauth.h. */
#include "xauth.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

/* _put - append the 2-byte length of S (LEN bytes) and S to BUF at *OFF (BUFLEN bytes).
 * false when it does not fit. */
static bool _put(uint8_t *buf, size_t buflen, size_t *off, const void *s, size_t len)
{
	if (len > 0xffff || *off + 2 + len > buflen)
		return false;
	buf[(*off)++] = (uint8_t)(len >> 8);
	buf[(*off)++] = (uint8_t)len;
	if (len)
		memcpy(buf + *off, s, len);
	*off += len;
	return true;
}

size_t xauth_entry(unsigned display, const uint8_t *cookie, size_t len, uint8_t *buf,
		   size_t buflen)
{
	char num[16];
	size_t off = 2;

	snprintf(num, sizeof(num), "%u", display);
	if (buflen < 2 || len > XAUTH_DATA_MAX)
		return 0;
	buf[0] = XAUTH_FAMILY_WILD >> 8;
	buf[1] = XAUTH_FAMILY_WILD & 0xff;
	if (!_put(buf, buflen, &off, "", 0) || !_put(buf, buflen, &off, num, strlen(num)) ||
	    !_put(buf, buflen, &off, XAUTH_MIT, strlen(XAUTH_MIT)) ||
	    !_put(buf, buflen, &off, cookie, len))
		return 0;
	return off;
}

/* _get - the counted field at *OFF of FILE (N bytes) into *S and *LEN, advancing *OFF.
 * false when the file ends first. */
static bool _get(const uint8_t *file, size_t n, size_t *off, const uint8_t **s, size_t *len)
{
	if (*off + 2 > n)
		return false;
	*len = (size_t)file[*off] << 8 | file[*off + 1];
	*off += 2;
	if (*off + *len > n)
		return false;
	*s = file + *off;
	*off += *len;
	return true;
}

/* _is - whether the field S (LEN bytes) is the string WANT. */
static bool _is(const uint8_t *s, size_t len, const char *want)
{
	return len == strlen(want) && !memcmp(s, want, len);
}

long xauth_find(const uint8_t *file, size_t n, unsigned display, const char *hostname,
		uint8_t *cookie)
{
	char num[16];
	size_t off = 0;

	snprintf(num, sizeof(num), "%u", display);
	while (off < n) {
		const uint8_t *addr, *dnum, *name, *data;
		size_t la, ln, lname, ld;
		unsigned family;

		if (off + 2 > n)
			return -EINVAL;
		family = (unsigned)file[off] << 8 | file[off + 1];
		off += 2;
		if (!_get(file, n, &off, &addr, &la) || !_get(file, n, &off, &dnum, &ln) ||
		    !_get(file, n, &off, &name, &lname) || !_get(file, n, &off, &data, &ld))
			return -EINVAL;
		if (!_is(dnum, ln, num) || !_is(name, lname, XAUTH_MIT) || ld > XAUTH_DATA_MAX)
			continue;
		if (family == XAUTH_FAMILY_WILD ||
		    (family == XAUTH_FAMILY_LOCAL && hostname && _is(addr, la, hostname))) {
			memcpy(cookie, data, ld);
			return (long)ld;
		}
	}
	return 0;
}
