/* desktop.h - the profile's desktop lines (pure): the X display, Wayland, sound and the launcher's
 * command (issue 14; doc/supervise.profile.5, DESKTOP).
 *
 *   x11 none|nested|host [WxH]  the X display the program gets: none (the default: no X socket in
 *                               the view), nested (an X server of its own, WxH, on the host's
 *                               display), host (the host's display: it can read every keystroke)
 *   wayland                     the host's $WAYLAND_DISPLAY socket in the view
 *   sound                       the PulseAudio and/or PipeWire socket in the view
 *   command PROGRAM [ARG...]    what a launcher link (a link to supervise named after the
 *                               profile) runs, before the link's own arguments
 * The options parser (options.c) hands these lines to desktop_parse_line.
 */
#ifndef SUPERVISE_DESKTOP_H
#define SUPERVISE_DESKTOP_H

#include <stdbool.h>
#include <stddef.h>

enum x11_mode {
	X11_UNSET,	/* no line, no --x11: as none */
	X11_NONE,
	X11_NESTED,
	X11_HOST,
};

/* The nested server's size without a WxH. */
#define DESKTOP_W 1024
#define DESKTOP_H 768
/* The largest width or height taken (Xephyr's own limit is about this). */
#define DESKTOP_MAX 16384

struct desktop_opts {
	enum x11_mode x11;
	unsigned x11_line;
	unsigned w, h;		/* x11 nested's WxH, 0 when not given */
	bool wayland, sound;
	unsigned wayland_line, sound_line;
	char **command;		/* NULL-terminated, malloc'd; NULL without a command line */
	unsigned command_line;
};

/* desktop_is_directive - whether WORD starts a line desktop_parse_line takes. */
bool desktop_is_directive(const char *word);

/* desktop_parse_line - the N words TOK of one line (TOK[0] accepted by desktop_is_directive),
 * source line LINENO, into D. WHERE ("FILE:LINE: ") prefixes errors. 0, or -EINVAL with one line
 * in ERR. */
int desktop_parse_line(char **tok, size_t n, unsigned lineno, const char *where,
		       struct desktop_opts *d, char *err, size_t errlen);

/* desktop_merge_included - FROM's lines (an included profile's) into INTO where INTO has no line
 * of its own. */
void desktop_merge_included(struct desktop_opts *into, const struct desktop_opts *from);

/* desktop_free - release D and reset it to {0}. */
void desktop_free(struct desktop_opts *d);

/* x11_mode_parse - "none", "nested", "host" into *OUT. 0 or -EINVAL. */
int x11_mode_parse(const char *word, enum x11_mode *out);

/* x11_mode_name - "none" (also for X11_UNSET), "nested", "host". */
const char *x11_mode_name(enum x11_mode m);

/* desktop_size_parse - "WxH" (decimal, each 1..DESKTOP_MAX, no sign, no spaces) into *W, *H.
 * 0 or -EINVAL. */
int desktop_size_parse(const char *s, unsigned *w, unsigned *h);

/* desktop_display_number - the display number of an X DISPLAY value that names a local display:
 * ":N", ":N.S", "unix:N[.S]" (N decimal, at most 9 digits). -EINVAL for anything else (a TCP
 * display "host:N", a path, empty or NULL). */
long desktop_display_number(const char *display);

#endif
