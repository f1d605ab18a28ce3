/* idmap.c - write /proc/self/{setgroups,uid_map,gid_map} for a new user namespace. */
#include "idmap.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* _write - write S to self/FILE of the proc mount PROCFD (-1: /proc); ENOENT tolerated when
 * OPTIONAL. 0 or -errno. */
static int _write(int procfd, const char *file, const char *s, int optional)
{
	char p[64];
	int fd, r = 0;

	snprintf(p, sizeof(p), "%sself/%s", procfd < 0 ? "/proc/" : "", file);
	fd = openat(procfd < 0 ? AT_FDCWD : procfd, p, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return (optional && errno == ENOENT) ? 0 : -errno;
	if (write(fd, s, strlen(s)) != (ssize_t)strlen(s))
		r = errno ? -errno : -EIO;
	close(fd);
	return r;
}

int idmap_self(uid_t uid, gid_t gid)
{
	return idmap_self_at(-1, uid, gid);
}

int idmap_self_at(int procfd, uid_t uid, gid_t gid)
{
	char m[64];
	int r = _write(procfd, "setgroups", "deny", 1);

	if (r < 0)
		return r;
	snprintf(m, sizeof(m), "%u %u 1\n", (unsigned)uid, (unsigned)uid);
	r = _write(procfd, "uid_map", m, 0);
	if (r < 0)
		return r;
	snprintf(m, sizeof(m), "%u %u 1\n", (unsigned)gid, (unsigned)gid);
	return _write(procfd, "gid_map", m, 0);
}
