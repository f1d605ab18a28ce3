/* desktop.c - the desktop lines of a run (setup regime). See desktop.h.
 *
 * Why this is safe:
 *   - the jail's view gets single binds (the socket, the cookie file), never a directory of
 *     sockets: the host's /tmp/.X11-unix/X0 is not in a view under x11 nested;
 *   - the abstract name @/tmp/.X11-unix/X0 lives in the host's network namespace; x11 nested in a
 *     jail refuses "net host", so the program never shares that namespace (the supervisor's
 *     check of abstract names is not the only thing between them);
 *   - x11 host gives the host's display knowingly, and says so on every run (not silenced by -q).
 */
#include "desktop.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "../common/path.h"
#include "../common/util.h"
#include "../learn/learn.h"
#include "../learn/netlearn.h"

#define NESTED_SERVER "Xephyr"

/* _add_read - append "read PATH" (line 0) to P. 0, or 125 after a line naming WHAT. */
static int _add_read(struct profile *p, const char *path, const char *what)
{
	char err[512];

	if (policy_add(p, RULE_READ, path, NULL, err, sizeof(err)) < 0) {
		errx("%s: %s", what, err);
		return EXIT_SUPERVISE_FAIL;
	}
	return 0;
}

/* _not_socket - 0 when PATH is a socket on the host, else the errno that says why not (ENOTSOCK
 * for another kind of file). */
static int _not_socket(const char *path)
{
	struct stat st;

	if (stat(path, &st) < 0)
		return errno;
	return S_ISSOCK(st.st_mode) ? 0 : ENOTSOCK;
}

/* _socket_rule - the host socket PATH must exist as a socket; in a jail (JAIL) add its read rule
 * to P. 0, or 125 after one line naming WHAT. */
static int _socket_rule(struct profile *p, const char *path, const char *what, bool jail)
{
	int e = _not_socket(path);

	if (e) {
		errx("%s: %s: %s", what, path, strerror(e));
		return EXIT_SUPERVISE_FAIL;
	}
	return jail ? _add_read(p, path, what) : 0;
}

/* _runtime_dir - $XDG_RUNTIME_DIR when absolute, else NULL after a line naming WHAT. */
static const char *_runtime_dir(const char *what)
{
	const char *r = getenv("XDG_RUNTIME_DIR");

	if (r && r[0] == '/')
		return r;
	errx("%s: XDG_RUNTIME_DIR is unset or not absolute, so there is no socket to give", what);
	return NULL;
}

/* _wayland - the wayland line: the compositor's socket into P's view. 0 or 125. */
static int _wayland(struct profile *p, bool jail)
{
	const char *wd = getenv("WAYLAND_DISPLAY"), *rt;
	_cleanup_free_ char *path = NULL;

	if (!wd || !*wd) {
		errx("wayland: WAYLAND_DISPLAY is unset: no Wayland session to give the program");
		return EXIT_SUPERVISE_FAIL;
	}
	if (wd[0] == '/')
		path = xstrdup(wd);
	else if ((rt = _runtime_dir("wayland")))
		path = xasprintf("%s/%s", rt, wd);
	else
		return EXIT_SUPERVISE_FAIL;
	return _socket_rule(p, path, "wayland", jail);
}

/* _sound - the sound line: the PulseAudio and PipeWire sockets that exist into P's view; one of
 * them must. 0 or 125. */
static int _sound(struct profile *p, bool jail)
{
	const char *rt = _runtime_dir("sound");
	_cleanup_free_ char *pulse = NULL, *pw = NULL;
	int r = 0, found = 0;

	if (!rt)
		return EXIT_SUPERVISE_FAIL;
	pulse = xasprintf("%s/pulse/native", rt);
	pw = xasprintf("%s/pipewire-0", rt);
	if (!_not_socket(pulse) && ++found && jail)
		r = _add_read(p, pulse, "sound");
	if (!r && !_not_socket(pw) && ++found && jail)
		r = _add_read(p, pw, "sound");
	if (!found) {
		errx("sound: neither %s (PulseAudio) nor %s (PipeWire) is a socket", pulse, pw);
		return EXIT_SUPERVISE_FAIL;
	}
	return r;
}

/* _title - the profile's name for SPEC (a name, or a file: its base name without ".profile"),
 * malloc'd. */
static char *_title(const char *spec)
{
	const char *base = strrchr(spec, '/') ? strrchr(spec, '/') + 1 : spec;
	size_t n = strlen(base);

	if (n > 8 && !strcmp(base + n - 8, ".profile"))
		n -= 8;
	return xstrndup(base, n);
}

/* _nested - start the nested server for D titled with the profile's name SPEC. 0 or 125. */
static int _nested(struct desktop *d, const char *spec, uid_t owner)
{
	char err[600];
	const char *disp = getenv("DISPLAY");
	_cleanup_free_ char *name = _title(spec);

	if (!disp || !*disp) {
		errx("x11 nested: the nested server (" NESTED_SERVER ") opens a window on the host's "
		     "display, and DISPLAY is unset");
		return EXIT_SUPERVISE_FAIL;
	}
	if (xserver_nested(&d->xs, NESTED_SERVER, name, d->w, d->h, owner, err, sizeof(err)) < 0) {
		errx("x11 nested: %s: %s", NESTED_SERVER, err);
		return EXIT_SUPERVISE_FAIL;
	}
	info("x11 nested: %s on display :%ld (%ux%u), pid %d", NESTED_SERVER, d->xs.display, d->w,
	     d->h, (int)d->xs.server);
	return 0;
}

/* _host - x11 host: the host display's socket and cookie for D, with the warning. 0 or 125. */
static int _host(struct desktop *d, uid_t owner)
{
	const char *disp = getenv("DISPLAY"), *xa = getenv("XAUTHORITY"), *home = getenv("HOME");
	_cleanup_free_ char *dflt = home && home[0] == '/' ? xasprintf("%s/.Xauthority", home) : NULL;
	long n = desktop_display_number(disp);
	char err[600];

	if (n < 0) {
		errx("x11 host: DISPLAY '%s' is no local display (:N)", disp ? disp : "");
		return EXIT_SUPERVISE_FAIL;
	}
	if (xserver_host(&d->xs, n, xa && *xa ? xa : dflt, owner, err, sizeof(err)) < 0) {
		errx("%s", err);
		return EXIT_SUPERVISE_FAIL;
	}
	errx("WARNING: x11 host: the program is on the host's display %s: it can read the "
	     "keystrokes of every window and what they show", disp);
	return 0;
}

/* _x11 - D's display for the run O of P: checks, then the server or the host's. 0 or 125. */
static int _x11(struct desktop *d, const struct run_opts *o, struct profile *p, const char *name,
		bool jail, uid_t owner)
{
	if (d->x11 == X11_NESTED && jail && p->net == NET_HOST) {
		errx("%s: x11 nested does not go with 'net host': the host's network namespace holds "
		     "the host display's abstract socket @/tmp/.X11-unix/X0, which no view hides "
		     "(use net loopback or none, or x11 host)", o->profile ? o->profile : name);
		return EXIT_SUPERVISE_FAIL;
	}
	if (d->x11 == X11_NESTED && !jail && o->mode != MODE_LEARN && !o->quiet)
		warnx("x11 nested without the jail: the program gets the nested display, but nothing "
		      "keeps it from the host's");
	if (d->x11 == X11_NESTED)
		return _nested(d, name, owner);
	return _host(d, owner);
}

int desktop_start(struct desktop *d, const struct run_opts *o, struct profile *p,
		  const char *name, bool jail, uid_t owner)
{
	const struct desktop_opts *po = &p->opts.desk;
	int r = 0;

	d->x11 = o->x11 != X11_UNSET ? o->x11 : po->x11;
	d->w = o->x11_w ? o->x11_w : po->w ? po->w : DESKTOP_W;
	d->h = o->x11_h ? o->x11_h : po->h ? po->h : DESKTOP_H;
	if (d->x11 == X11_NESTED || d->x11 == X11_HOST)
		r = _x11(d, o, p, name, jail, owner);
	if (!r && jail && d->xs.sock)
		r = _add_read(p, d->xs.sock, "x11");
	if (!r && jail && d->xs.cookie)
		r = _add_read(p, d->xs.cookie, "x11");
	if (!r && po->wayland && o->mode != MODE_LEARN)
		r = _wayland(p, jail);
	if (!r && po->sound && o->mode != MODE_LEARN)
		r = _sound(p, jail);
	return r;
}

void desktop_env(const struct desktop *d, char ***envp)
{
	_cleanup_free_ char *disp = NULL, *xa = NULL;
	char *extra[3] = { NULL, NULL, NULL }, **env;

	if (!d->xs.sock || d->xs.display < 0)
		return;
	disp = xasprintf("DISPLAY=:%ld", d->xs.display);
	xa = d->xs.cookie ? xasprintf("XAUTHORITY=%s", d->xs.cookie) : xstrdup("XAUTHORITY");
	extra[0] = disp;
	extra[1] = xa;
	env = opts_env_build(*envp, NULL, false, extra);
	opts_env_free(*envp);
	*envp = env;
}

/* _x11_unix - whether the unix address of E names SOCK, as a path or an abstract name. */
static bool _x11_unix(const struct netlearn_entry *e, const char *sock)
{
	const struct sockaddr_un *un = (const struct sockaddr_un *)&e->sa;
	size_t off = offsetof(struct sockaddr_un, sun_path), n = strlen(sock);

	if (e->sa.ss_family != AF_UNIX || e->len <= off)
		return false;
	if (un->sun_path[0] == 0)	/* abstract: the name after the NUL, without one of its own */
		return (size_t)e->len - off - 1 == n && !memcmp(un->sun_path + 1, sock, n);
	return !strncmp(un->sun_path, sock, sizeof(un->sun_path)) && strlen(sock) < sizeof(un->sun_path);
}

void desktop_learn_filter(const struct desktop *d, struct session *s)
{
	struct learn_set kept = { 0 };
	size_t j = 0;

	if (!d->xs.sock)
		return;
	for (size_t i = 0; i < s->learned.n; i++) {
		const struct learn_entry *e = &s->learned.v[i];

		if ((d->xs.dir && path_is_under(e->path, d->xs.dir)) || !strcmp(e->path, d->xs.sock))
			continue;
		learn_add(&kept, e->path, e->access);
	}
	kept.net = s->learned.net;
	learn_free(&s->learned);
	s->learned = kept;
	for (size_t i = 0; i < s->netlearned.n; i++) {
		if (_x11_unix(&s->netlearned.v[i], d->xs.sock)) {
			free(s->netlearned.v[i].line);
			continue;
		}
		s->netlearned.v[j++] = s->netlearned.v[i];
	}
	s->netlearned.n = j;
}

char *desktop_learned_lines(const struct run_opts *o, const struct profile *existing)
{
	if (o->x11 != X11_NESTED && o->x11 != X11_HOST)
		return NULL;
	if (existing && existing->opts.desk.x11_line)
		return NULL;
	if (o->x11 == X11_NESTED && o->x11_w)
		return xasprintf("x11 nested %ux%u\n", o->x11_w, o->x11_h);
	return xasprintf("x11 %s\n", x11_mode_name(o->x11));
}

char **desktop_launcher_argv(const struct run_opts *o, const struct profile *p)
{
	char *const *cmd = p->opts.desk.command;
	size_t n = 0, m = 0;
	char **argv;

	if (!cmd) {
		errx("%s: a launcher link runs the profile's 'command' line, and the profile has none",
		     o->profile);
		return NULL;
	}
	while (cmd[n])
		n++;
	while (o->argv[m])
		m++;
	argv = xcalloc(n + m + 1, sizeof(*argv));
	memcpy(argv, cmd, n * sizeof(*argv));
	memcpy(argv + n, o->argv, m * sizeof(*argv));
	return argv;
}

void desktop_stop(struct desktop *d)
{
	xserver_stop(&d->xs);
}
