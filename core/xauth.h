/* xauth.h - the Xauthority file format (pure): what the jail's cookie file holds.
 *
 * An entry is: family (2 bytes, big-endian), then address, display number, auth name and auth
 * data, each a 2-byte big-endian length and that many bytes. The jail's entries have the family
 * FamilyWild, which matches any host name: the jail's host name ("supervise") is not the host's,
 * so an entry of FamilyLocal keyed by the host's name would match nothing in it.
 */
#ifndef SUPERVISE_XAUTH_H
#define SUPERVISE_XAUTH_H

#include <stddef.h>
#include <stdint.h>

#define XAUTH_FAMILY_LOCAL 256
#define XAUTH_FAMILY_WILD 65535
#define XAUTH_MIT "MIT-MAGIC-COOKIE-1"
#define XAUTH_COOKIE_LEN 16
#define XAUTH_DATA_MAX 256	/* the longest auth data xauth_find takes */

/* xauth_entry - one FamilyWild entry for display number DISPLAY with the MIT-MAGIC-COOKIE-1
 * COOKIE (LEN bytes, at most XAUTH_DATA_MAX) into BUF (BUFLEN bytes). Returns its length, or 0
 * when BUF is too small. */
size_t xauth_entry(unsigned display, const uint8_t *cookie, size_t len, uint8_t *buf,
		   size_t buflen);

/* xauth_find - the MIT-MAGIC-COOKIE-1 data of the first entry in the Xauthority file contents
 * FILE (N bytes) for display number DISPLAY whose family is FamilyWild, or FamilyLocal with the
 * address HOSTNAME, into COOKIE (XAUTH_DATA_MAX bytes). Returns its length, 0 when there is
 * none, or -EINVAL for a truncated file. */
long xauth_find(const uint8_t *file, size_t n, unsigned display, const char *hostname,
		uint8_t *cookie);

#endif
