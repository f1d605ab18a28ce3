/* profile_load.c - read a profile from a file or the DB and parse it. */
#include "profile_load.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "../common/util.h"
#include "../db/db.h"

int profile_is_file(const char *spec)
{
	size_t n = strlen(spec);

	return strchr(spec, '/') || (n > 8 && !strcmp(spec + n - 8, ".profile"));
}

char *profile_read_file(const char *file)
{
	_cleanup_fclose_ FILE *f = fopen(file, "re");
	char *buf = NULL;
	size_t len = 0, cap = 0, n;

	if (!f)
		return NULL;
	do {
		if (cap - len < 4096) {
			cap = cap ? cap * 2 : 8192;
			buf = xrealloc(buf, cap + 1);
		}
		n = fread(buf + len, 1, cap - len, f);
		len += n;
	} while (n > 0);
	if (ferror(f)) {
		int e = errno ? errno : EIO;
		free(buf);
		errno = e;
		return NULL;
	}
	buf = xrealloc(buf, len + 1);
	buf[len] = 0;
	if (memchr(buf, 0, len)) {
		free(buf);
		errno = EINVAL;
		return NULL;
	}
	return buf;
}

int profile_load(sqlite3 *db, const char *spec, const char *home, struct profile *out, char *err,
		 size_t errlen)
{
	_cleanup_free_ char *text = NULL, *label = NULL;
	int r;

	if (profile_is_file(spec)) {
		text = profile_read_file(spec);
		if (!text) {
			r = -errno;
			snprintf(err, errlen, "%s: %s", spec,
				 errno == EINVAL ? "not a text file" : strerror(errno));
			return r;
		}
		label = xstrdup(spec);
	} else {
		r = db_profile_get(db, spec, &text);
		if (r == -ENOENT) {
			snprintf(err, errlen, "no profile named '%s' (see supervise profile list)", spec);
			return r;
		}
		if (r < 0) {
			snprintf(err, errlen, "cannot read profile '%s' from the database", spec);
			return r;
		}
		label = xasprintf("profile %s", spec);
	}
	return policy_parse(text, label, home, out, err, errlen);
}

int profile_name_valid(const char *name)
{
	size_t n = strlen(name);

	if (n == 0 || n > 64 || name[0] == '.' || name[0] == '-')
		return 0;
	return strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._+-") == n;
}
