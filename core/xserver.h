/* xserver.h - the X display of "x11 nested" and "x11 host" (setup regime, before S enters any
 * namespace): a private directory holding the jail's cookie file, owned by a helper process that
 * also runs the nested server (Xephyr) and removes everything when told, or when S dies.
 *
 *   S ── x11 helper (own session, PDEATHSIG SIGTERM) ── Xephyr (PDEATHSIG SIGTERM)
 *
 * The helper is one of S's children before the command's fork, so reap.c counts it among the
 * helpers (reap_note_helpers), never the tree; S ends it with xserver_stop. When S is killed,
 * the helper's PDEATHSIG (SIGTERM) makes it stop the server (SIGTERM, then SIGKILL after
 * XSERVER_STOP_MS, removing the socket and lock the server then left) and remove the directory;
 * when the helper is killed, Xephyr's own PDEATHSIG stops it, and Xephyr removes its socket.
 */
#ifndef SUPERVISE_XSERVER_H
#define SUPERVISE_XSERVER_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define XSERVER_START_MS 15000	/* the longest wait for the nested server to be ready */
#define XSERVER_STOP_MS 3000	/* SIGTERM to SIGKILL of the nested server */

struct xserver {
	pid_t helper;		/* 0: not started */
	int fd;			/* S's end of the socketpair with the helper, -1 */
	long display;		/* the display the program gets (nested: the server's), -1 */
	char *dir;		/* the private directory (mode 0700), malloc'd */
	char *cookie;		/* DIR/Xauthority, or NULL when there is no cookie */
	char *sock;		/* /tmp/.X11-unix/XN of DISPLAY, malloc'd */
	pid_t server;		/* nested: the server's pid (from the helper), else 0 */
};

/* xserver_nested - start a nested X server (SERVER, e.g. "Xephyr", found in $PATH) of W x H
 * titled TITLE on the host's display ($DISPLAY), on a free display number (-displayfd), with a
 * fresh MIT-MAGIC-COOKIE-1 (16 random bytes) in X->cookie (FamilyWild: xauth.h), listening on no
 * TCP port; the cookie file is made OWNER's (-1: the caller's). Waits until the server is ready
 * (XSERVER_START_MS at most) and its socket X->sock exists. 0, or -1 with one line in ERR
 * (everything started removed again). */
int xserver_nested(struct xserver *x, const char *server, const char *title, unsigned w,
		   unsigned h, uid_t owner, char *err, size_t errlen);

/* xserver_host - "x11 host": the host's display number DISPLAY; X->sock its socket, which must
 * exist; X->cookie a FamilyWild copy of its cookie from the host's Xauthority file XAUTH (NULL:
 * none; no entry for the display: no cookie file) in the helper's private directory. 0, or -1
 * with one line in ERR. */
int xserver_host(struct xserver *x, long display, const char *xauth, uid_t owner, char *err,
		 size_t errlen);

/* xserver_stop - end X's helper (and with it the nested server, its socket and lock, the cookie
 * and the directory) and wait for it; free X's strings. Safe on a zeroed X with fd -1, and
 * twice. */
void xserver_stop(struct xserver *x);

#endif
