/* util.c - allocation, error reporting and time helpers (no kernel state). */
#include "util.h"

#include <string.h>
#include <time.h>

int util_verbosity = 1;

/* _vmsg - print "supervise: " + PREFIX + the message of FMT and AP (+ ": " and ERR's text when
 * ERR) + newline, in one write to stderr. */
static void _vmsg(const char *prefix, const char *fmt, va_list ap, int err)
{
	char buf[1024];

	vsnprintf(buf, sizeof(buf), fmt, ap);
	if (err)
		fprintf(stderr, "supervise: %s%s: %s\n", prefix, buf, strerror(err));
	else
		fprintf(stderr, "supervise: %s%s\n", prefix, buf);
}

void util_vfail(int err, const char *prefix, const char *fmt, va_list ap)
{
	_vmsg(prefix, fmt, ap, err);
	_exit(EXIT_SUPERVISE_FAIL);
}

/* _SAY - the body of a message function of FMT and its arguments: print at verbosity MIN or
 * more, with ERR's text when ERR. */
#define _SAY(min, err)                                   \
	do {                                             \
		va_list ap;                              \
		if (util_verbosity < (min))              \
			break;                           \
		va_start(ap, fmt);                       \
		_vmsg("", fmt, ap, (err));               \
		va_end(ap);                              \
	} while (0)

void die(const char *fmt, ...)
{
	_SAY(0, 0);
	exit(EXIT_SUPERVISE_FAIL);
}

void die_errno(const char *fmt, ...)
{
	int err = errno;

	_SAY(0, err);
	exit(EXIT_SUPERVISE_FAIL);
}

void warnx(const char *fmt, ...)
{
	_SAY(1, 0);
}

void errx(const char *fmt, ...)
{
	_SAY(0, 0);
}

void info(const char *fmt, ...)
{
	_SAY(2, 0);
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		die("out of memory");
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (!p)
		die("out of memory");
	return p;
}

void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		die("out of memory");
	return p;
}

char *xstrdup(const char *s)
{
	char *p = strdup(s);

	if (!p)
		die("out of memory");
	return p;
}

char *xstrndup(const char *s, size_t n)
{
	char *p = strndup(s, n);

	if (!p)
		die("out of memory");
	return p;
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;
	int r;

	va_start(ap, fmt);
	r = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (r < 0)
		die("out of memory");
	return s;
}

int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void util_iso8601(int64_t ms, char *buf, size_t len)
{
	time_t secs = (time_t)(ms / 1000);
	struct tm tm;

	gmtime_r(&secs, &tm);
	snprintf(buf, len, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
		 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, (int)(ms % 1000));
}

/* _shell_quote - A single-quoted for a POSIX shell, or a copy when it needs no quotes. */
static char *_shell_quote(const char *a)
{
	static const char safe[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-./:=,+@%";
	size_t n = strlen(a), o = 0;
	char *q;

	if (n && strspn(a, safe) == n)
		return xstrdup(a);
	q = xmalloc(n * 4 + 3);
	q[o++] = '\'';
	for (; *a; a++) {
		if (*a == '\'') {
			memcpy(q + o, "'\\''", 4);
			o += 4;
		} else
			q[o++] = *a;
	}
	q[o++] = '\'';
	q[o] = 0;
	return q;
}

char *util_shell_join(char *const *argv)
{
	size_t len = 1, o = 0;
	char *s;

	for (size_t i = 0; argv[i]; i++)
		len += strlen(argv[i]) * 4 + 3;
	s = xmalloc(len);
	s[0] = 0;
	for (size_t i = 0; argv[i]; i++) {
		char *q = _shell_quote(argv[i]);
		o += (size_t)sprintf(s + o, "%s%s", i ? " " : "", q);
		free(q);
	}
	return s;
}
