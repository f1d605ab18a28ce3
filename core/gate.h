/* gate.h - the gate of the control socket: a small process that owns the socket, admits only
 * callers it can vouch for, and hands their requests to the supervisor (core/control.c).
 *
 * Why a process of its own: the supervisor may move into a user namespace of its own (runtime
 * grants, jail/grant.h), where the credentials of a caller read with SO_PEERCRED are translated,
 * and every uid but its own (root's too) reads as the overflow uid. The gate is forked before
 * that, in the namespaces supervise was started in, so it sees the caller's real uid. It serves
 * a caller when:
 *   - the caller's uid is the supervisor's or 0 (SO_PEERCRED), and
 *   - the caller is in the gate's own user namespace (a process in any jail, of this or another
 *     supervisor, or in a container with a user namespace of its own is not), checked while a
 *     pidfd of the caller says it still runs;
 *   - the caller does not descend from the supervisor: the run's own program, where no jail
 *     hides the socket (--no-jail, audit, learn), cannot widen its rules. (A program of another
 *     supervisor's run without a jail can reach this one's socket: without the jail, supervise's
 *     checks are no boundary, see supervise(1).)
 * The socket lives in a directory of mode 0700 owned by the user (ctl_socket_dir), which the jail
 * never shows (core/run.c adds a deny of it to the profile); only the gate holds it, so no process
 * of the tree can inherit it (the command's process closes the supervisor's end of the socketpair
 * before it enters the jail), and it is a path, not an abstract name.
 * Each request is one SOCK_SEQPACKET message; the gate reads it with a 2 s timeout, refuses what is
 * too large, and passes the rest on (struct gate_msg); what it refuses is passed on too, marked, so
 * that the supervisor logs it. The gate answers one caller at a time and never dies of one.
 */
#ifndef SUPERVISE_GATE_H
#define SUPERVISE_GATE_H

#include <stdint.h>
#include <sys/types.h>
#include <sys/un.h>

#include "ctlmsg.h"

/* What the gate passes on: a header, then LEN bytes of request (or of the reason it refused). */
struct gate_msg {
	uint32_t uid;		/* the caller's uid, as the gate saw it */
	int32_t pid;		/* the caller's pid, as the gate saw it */
	uint32_t refused;	/* 1: TEXT says why the caller was refused; answer with an error */
	uint32_t len;
	char text[CTL_MSG_MAX + 1];
};

#define GATE_REPLY_MAX (3 * PATH_MAX + 1024)

struct gate {
	pid_t pid;		/* the gate process, 0 when none */
	int fd;			/* the supervisor's end of the socketpair to it, -1 when none */
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];	/* the socket */
};

/* gate_start - create the socket directory and the gate process serving PATH (the directory's
 * SV_PID.sock). Setup regime: call single-threaded, before any namespace is entered. -errno with a
 * one-line reason in ERR when there can be no control socket (the run goes on without one); G is
 * then inert. */
int gate_start(struct gate *g, pid_t sv_pid, char *err, size_t errlen);

/* gate_stop - close the supervisor's end (the gate then removes the socket and exits), and reap
 * the gate. G inert after; an inert G is fine. */
void gate_stop(struct gate *g);

#endif
