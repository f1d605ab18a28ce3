/* util.h - allocation, error reporting and scope-cleanup helpers.
 *
 * Two error regimes live in this project:
 *   - setup code (and the child before execve) fails closed with die();
 *   - the supervisor loop never dies on one event: it reports with errx() and goes on.
 */
#ifndef SUPERVISE_UTIL_H
#define SUPERVISE_UTIL_H

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* Exit status used when supervise itself fails. */
#define EXIT_SUPERVISE_FAIL 125

/* Verbosity: 0 = -q, 1 = default, 2 = -v. */
extern int util_verbosity;

/* die - print "supervise: MSG" on stderr and exit with status 125. Never returns. */
void die(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
/* die_errno - like die() with ": strerror(errno)" appended. Never returns. */
void die_errno(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
/* warnx - print "supervise: MSG" on stderr unless -q was given. */
void warnx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* errx - print "supervise: MSG" on stderr even under -q (real errors). */
void errx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* util_vfail - in a forked child (setup regime): print "supervise: PREFIXMSG[: strerror(ERR)]"
 * (ERR 0: none) and _exit(125), running no atexit handler of the parent's. */
void util_vfail(int err, const char *prefix, const char *fmt, va_list ap)
	__attribute__((noreturn, format(printf, 3, 0)));
/* info - print "supervise: MSG" on stderr only under -v. */
void info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* xmalloc/xcalloc/xrealloc/xstrdup/xasprintf - allocate or die on out-of-memory. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* util_shell_join - ARGV (NULL-terminated) joined with spaces; arguments holding characters a shell
 * would interpret are single-quoted. Returns malloc'd. */
char *util_shell_join(char *const *argv);

/* now_ms - wall-clock time in milliseconds since the Unix epoch. */
int64_t now_ms(void);
/* util_iso8601 - format ms since epoch as "YYYY-MM-DDTHH:MM:SS.mmmZ" into buf (>= 25 bytes). */
void util_iso8601(int64_t ms, char *buf, size_t len);

/* Scope cleanup. errno is preserved across the cleanup call. */
static inline void _cleanup_free_fn(void *p)
{
	int saved = errno;
	free(*(void **)p);
	errno = saved;
}
static inline void _cleanup_close_fn(int *fd)
{
	int saved = errno;
	if (*fd >= 0)
		close(*fd);
	errno = saved;
}
static inline void _cleanup_fclose_fn(FILE **f)
{
	int saved = errno;
	if (*f)
		fclose(*f);
	errno = saved;
}
/* a NULL-terminated array of malloc'd strings, itself malloc'd (or NULL) */
static inline void _cleanup_strv_fn(char ***v)
{
	int saved = errno;
	for (char **s = *v; s && *s; s++)
		free(*s);
	free(*v);
	errno = saved;
}
#define _cleanup_free_ __attribute__((cleanup(_cleanup_free_fn)))
#define _cleanup_strv_ __attribute__((cleanup(_cleanup_strv_fn)))
#define _cleanup_close_ __attribute__((cleanup(_cleanup_close_fn)))
#define _cleanup_fclose_ __attribute__((cleanup(_cleanup_fclose_fn)))

/* steal_pointer - hand ownership out of a cleanup-scoped variable. */
static inline void *_steal_pointer(void *pp)
{
	void **p = pp;
	void *v = *p;
	*p = NULL;
	return v;
}
#define steal_pointer(pp) ((__typeof__(*(pp)))_steal_pointer(pp))

/* steal_fd - hand ownership of a cleanup-scoped fd out; leaves -1 behind. */
static inline int steal_fd(int *fd)
{
	int v = *fd;
	*fd = -1;
	return v;
}

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#endif
