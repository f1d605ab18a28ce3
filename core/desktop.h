/* desktop.h - a run's desktop lines (policy/desktop.h) carried out: the X display of x11 nested
 * or host (core/xserver.h), the Wayland and sound sockets, the launcher's command; the rules and
 * environment they give the program, and what learn leaves out of the profile.
 *
 * What the jail gets (the kernel is the boundary: these are binds of single sockets and files,
 * nothing else of /tmp/.X11-unix or $XDG_RUNTIME_DIR):
 *   x11 nested  the nested server's socket /tmp/.X11-unix/XN and its cookie file, DISPLAY=:N and
 *               XAUTHORITY; refused with "net host", whose network namespace holds the host
 *               display's abstract socket @/tmp/.X11-unix/X0, which no file view hides;
 *   x11 host    the host display's socket and a copy of its cookie; warned on every run;
 *   wayland     $XDG_RUNTIME_DIR/$WAYLAND_DISPLAY (or $WAYLAND_DISPLAY when absolute);
 *   sound       $XDG_RUNTIME_DIR/pulse/native and/or $XDG_RUNTIME_DIR/pipewire-0.
 * Without the jail (--learn, --audit, --no-jail) only the nested server and the environment are
 * set up: nothing hides the host's display then.
 */
#ifndef SUPERVISE_DESKTOP_RUN_H
#define SUPERVISE_DESKTOP_RUN_H

#include <sys/types.h>

#include "../policy/policy.h"
#include "../trap/session.h"
#include "run.h"
#include "xserver.h"

struct desktop {
	enum x11_mode x11;	/* the run's: --x11, else the profile's x11 line */
	unsigned w, h;		/* x11 nested's size */
	struct xserver xs;	/* x11 nested or host, else unused (fd -1) */
};

/* DESKTOP_INIT - a desktop that desktop_stop may be called on before desktop_start. */
#define DESKTOP_INIT { .xs = { .fd = -1, .display = -1 } }

/* desktop_start - for the run O of profile P (NAME names it for the nested server's title):
 * check the desktop lines, start the nested server or set up the host display's cookie (before
 * S enters any namespace: the server must run on the host), and in a jail (JAIL) add to P the
 * read rules (line 0) that bind the sockets and the cookie file into the view; call it before
 * the plan is built. OWNER owns the cookie file (-1: S's user). 0, or 125 after one line. */
int desktop_start(struct desktop *d, const struct run_opts *o, struct profile *p,
		  const char *name, bool jail, uid_t owner);

/* desktop_env - *ENVP (opts_env_build's) with DISPLAY and XAUTHORITY of D's display set (or
 * XAUTHORITY removed when the display has no cookie); unchanged without x11 nested or host. */
void desktop_env(const struct desktop *d, char ***envp);

/* desktop_learn_filter - learn under x11 nested or host: drop from S's learned paths and
 * endpoints the run's own cookie directory and X socket (the x11 line gives them to the next
 * run). */
void desktop_learn_filter(const struct desktop *d, struct session *s);

/* desktop_learned_lines - the desktop line a learned profile gets from the run O ("x11 nested"
 * or "x11 host", with --x11-size), unless EXISTING (the profile learned into) has an x11 line of
 * its own; malloc'd, or NULL. */
char *desktop_learned_lines(const struct run_opts *o, const struct profile *existing);

/* desktop_launcher_argv - a launcher link's argv: P's command line followed by O's arguments.
 * Malloc'd array (the strings are P's and O's), or NULL after one line when P has no command
 * line. */
char **desktop_launcher_argv(const struct run_opts *o, const struct profile *p);

/* desktop_stop - stop D's display (xserver_stop). Safe after DESKTOP_INIT, and twice. */
void desktop_stop(struct desktop *d);

#endif
