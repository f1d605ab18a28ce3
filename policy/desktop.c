/* desktop.c - the profile's x11, wayland, sound and command lines (pure). See desktop.h.
 *
 * Why this is safe: the lines only say what the run sets up (core/desktop.c); each value is
 * checked here, so that a size or a mode the X server or the jail would not take is an error
 * naming the line before anything starts.
 */
#include "desktop.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/util.h"
#include "internal.h"

static const char *const _x11_names[] = {
	[X11_UNSET] = "none", [X11_NONE] = "none", [X11_NESTED] = "nested", [X11_HOST] = "host",
};

bool desktop_is_directive(const char *word)
{
	return !strcmp(word, "x11") || !strcmp(word, "wayland") || !strcmp(word, "sound") ||
	       !strcmp(word, "command");
}

int x11_mode_parse(const char *word, enum x11_mode *out)
{
	for (size_t i = X11_NONE; i < ARRAY_SIZE(_x11_names); i++)
		if (!strcmp(word, _x11_names[i])) {
			*out = (enum x11_mode)i;
			return 0;
		}
	return -EINVAL;
}

const char *x11_mode_name(enum x11_mode m)
{
	return (size_t)m < ARRAY_SIZE(_x11_names) ? _x11_names[m] : "none";
}

/* _number - the decimal number at *S (1 to 9 digits) into *V, advancing *S. 0 or -EINVAL. */
static int _number(const char **s, unsigned long *v)
{
	size_t n = 0;

	*v = 0;
	while (isdigit((unsigned char)(*s)[n]) && n < 10)
		*v = *v * 10 + (unsigned long)((*s)[n++] - '0');
	if (n == 0 || n > 9)
		return -EINVAL;
	*s += n;
	return 0;
}

int desktop_size_parse(const char *s, unsigned *w, unsigned *h)
{
	unsigned long a, b;

	if (!s || _number(&s, &a) < 0 || *s++ != 'x' || _number(&s, &b) < 0 || *s)
		return -EINVAL;
	if (a < 1 || b < 1 || a > DESKTOP_MAX || b > DESKTOP_MAX)
		return -EINVAL;
	*w = (unsigned)a;
	*h = (unsigned)b;
	return 0;
}

long desktop_display_number(const char *display)
{
	const char *s = display;
	unsigned long n;

	if (!s)
		return -EINVAL;
	if (!strncmp(s, "unix:", 5))
		s += 5;
	else if (*s++ != ':')
		return -EINVAL;
	if (_number(&s, &n) < 0)
		return -EINVAL;
	if (*s == '.') {	/* the screen */
		unsigned long screen;

		s++;
		if (_number(&s, &screen) < 0)
			return -EINVAL;
	}
	return *s ? -EINVAL : (long)n;
}

/* _parse_x11 - "x11 none|nested|host [WxH]" into D. 0 or -EINVAL + ERR. */
static int _parse_x11(char **tok, size_t n, unsigned lineno, const char *where,
		      struct desktop_opts *d, char *err, size_t errlen)
{
	enum x11_mode m;

	if (d->x11_line)
		return policy_err(err, errlen, where, "'x11' already given on line %u", d->x11_line);
	if (n < 2 || n > 3 || x11_mode_parse(tok[1], &m) < 0)
		return policy_err(err, errlen, where, "'x11' takes none, nested or host (nested may add "
			    "a size WxH)");
	if (n == 3 && m != X11_NESTED)
		return policy_err(err, errlen, where, "'x11 %s' takes no size (only nested has a server "
			    "of its own)", tok[1]);
	if (n == 3 && desktop_size_parse(tok[2], &d->w, &d->h) < 0)
		return policy_err(err, errlen, where, "x11 nested: '%s' is not a size WxH (1 to %d each)",
			    tok[2], DESKTOP_MAX);
	d->x11 = m;
	d->x11_line = lineno;
	return 0;
}

/* _parse_flag - "wayland" or "sound" (no words after it) into *ON and *LINE. 0 or -EINVAL. */
static int _parse_flag(char **tok, size_t n, unsigned lineno, const char *where, bool *on,
		       unsigned *line, char *err, size_t errlen)
{
	if (*line)
		return policy_err(err, errlen, where, "'%s' already given on line %u", tok[0], *line);
	if (n != 1)
		return policy_err(err, errlen, where, "'%s' takes nothing after it", tok[0]);
	*on = true;
	*line = lineno;
	return 0;
}

/* _parse_command - "command PROGRAM [ARG...]" into D. 0 or -EINVAL + ERR. */
static int _parse_command(char **tok, size_t n, unsigned lineno, const char *where,
			  struct desktop_opts *d, char *err, size_t errlen)
{
	if (d->command_line)
		return policy_err(err, errlen, where, "'command' already given on line %u",
			    d->command_line);
	if (n < 2)
		return policy_err(err, errlen, where, "'command' needs the program to run");
	d->command = xcalloc(n, sizeof(*d->command));
	for (size_t i = 1; i < n; i++)
		d->command[i - 1] = xstrdup(tok[i]);
	d->command_line = lineno;
	return 0;
}

int desktop_parse_line(char **tok, size_t n, unsigned lineno, const char *where,
		       struct desktop_opts *d, char *err, size_t errlen)
{
	if (!strcmp(tok[0], "x11"))
		return _parse_x11(tok, n, lineno, where, d, err, errlen);
	if (!strcmp(tok[0], "wayland"))
		return _parse_flag(tok, n, lineno, where, &d->wayland, &d->wayland_line, err,
				   errlen);
	if (!strcmp(tok[0], "sound"))
		return _parse_flag(tok, n, lineno, where, &d->sound, &d->sound_line, err, errlen);
	return _parse_command(tok, n, lineno, where, d, err, errlen);
}

/* _argv_dup - a malloc'd copy of the NULL-terminated V. */
static char **_argv_dup(char *const *v)
{
	size_t n = 0;
	char **out;

	while (v[n])
		n++;
	out = xcalloc(n + 1, sizeof(*out));
	for (size_t i = 0; i < n; i++)
		out[i] = xstrdup(v[i]);
	return out;
}

void desktop_merge_included(struct desktop_opts *into, const struct desktop_opts *from)
{
	if (!into->x11_line && from->x11 != X11_UNSET) {
		into->x11 = from->x11;
		into->w = from->w;
		into->h = from->h;
	}
	if (!into->wayland_line)
		into->wayland |= from->wayland;
	if (!into->sound_line)
		into->sound |= from->sound;
	if (!into->command_line && !into->command && from->command)
		into->command = _argv_dup(from->command);
}

void desktop_free(struct desktop_opts *d)
{
	for (size_t i = 0; d->command && d->command[i]; i++)
		free(d->command[i]);
	free(d->command);
	*d = (struct desktop_opts){ 0 };
}
