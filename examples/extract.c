/* extract.c - sv-extract ARCHIVE DIR: unpack a tar (ustar) archive into DIR, confined with
 * libsupervise: once the archive is open, only DIR is unveiled ("rwc") and the pledge has no
 * network and no exec. The extractor itself does not check entry names on purpose: an entry
 * "../x", "/etc/x" or one written through a symlink the archive made must be stopped by the
 * sandbox (EACCES), which catches what a name check misses.
 *
 * Build: cc extract.c $(pkg-config --cflags --libs libsupervise)
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <supervise.h>

/* _octal - the octal number of the LEN bytes at P (tar's size and mode fields). */
static unsigned long _octal(const char *p, size_t len)
{
	unsigned long v = 0;

	for (size_t i = 0; i < len && p[i] >= '0' && p[i] <= '7'; i++)
		v = v * 8 + (unsigned long)(p[i] - '0');
	return v;
}

/* _full - read exactly LEN bytes of FD into BUF. 1, 0 at the end, -1 on error. */
static int _full(int fd, char *buf, size_t len)
{
	size_t got = 0;

	while (got < len) {
		ssize_t n = read(fd, buf + got, len - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n == 0 && got == 0 ? 0 : -1;
		got += (size_t)n;
	}
	return 1;
}

/* _copy - write SIZE bytes of the archive AR (then its padding to 512) to NAME below DIR.
 * 0 or -errno (the data is skipped either way). */
static int _copy(int ar, int dir, const char *name, unsigned long size, mode_t mode)
{
	char block[512];
	int fd = openat(dir, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode & 0777);
	int r = fd < 0 ? -errno : 0;

	for (unsigned long left = size; left > 0;) {
		size_t n = left < sizeof(block) ? left : sizeof(block);

		if (_full(ar, block, sizeof(block)) != 1)
			return -EIO;
		if (fd >= 0 && write(fd, block, n) != (ssize_t)n && r == 0)
			r = -errno;
		left -= n;
	}
	if (fd >= 0)
		close(fd);
	return r;
}

/* _entry - unpack the entry of header H (its data follows in AR) into DIR. 0 or -errno. */
static int _entry(int ar, int dir, const char *h, char *name, size_t len)
{
	unsigned long size = _octal(h + 124, 12);
	mode_t mode = (mode_t)_octal(h + 100, 8);
	char link[101] = { 0 };

	if (h[345])	/* ustar prefix */
		snprintf(name, len, "%.155s/%.100s", h + 345, h);
	else
		snprintf(name, len, "%.100s", h);
	switch (h[156]) {
	case '0': case '\0':
		return _copy(ar, dir, name, size, mode);
	case '5':
		return mkdirat(dir, name, mode & 0777) < 0 && errno != EEXIST ? -errno : 0;
	case '2':
		memcpy(link, h + 157, 100);
		return symlinkat(link, dir, name) < 0 ? -errno : 0;
	default:	/* other types (devices, hard links, ...): skip their data */
		_copy(ar, dir, "", size, 0);	/* "" cannot be opened: the data is only read */
		return -ENOTSUP;
	}
}

int main(int argc, char **argv)
{
	char h[512], name[300];
	int ar, dir, r, bad = 0;

	if (argc != 3) {
		fprintf(stderr, "usage: sv-extract ARCHIVE DIR\n");
		return 2;
	}
	ar = open(argv[1], O_RDONLY | O_CLOEXEC);
	dir = open(argv[2], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (ar < 0 || dir < 0) {
		fprintf(stderr, "sv-extract: %s: %s\n", ar < 0 ? argv[1] : argv[2], strerror(errno));
		return 1;
	}
	/* from here on: DIR only, no network, no exec */
	if ((r = sv_unveil(argv[2], "rwc")) < 0 ||
	    (r = sv_pledge("stdio rpath wpath cpath", NULL)) < 0) {
		fprintf(stderr, "sv-extract: cannot confine myself: %s\n", sv_strerror(r));
		return 1;
	}
	while ((r = _full(ar, h, sizeof(h))) == 1 && h[0]) {
		int e = _entry(ar, dir, h, name, sizeof(name));

		if (e < 0) {
			fprintf(stderr, "sv-extract: %s: %s\n", name, strerror(-e));
			bad = 1;
		}
	}
	if (r < 0) {
		fprintf(stderr, "sv-extract: %s: truncated archive\n", argv[1]);
		bad = 1;
	}
	return bad;
}
