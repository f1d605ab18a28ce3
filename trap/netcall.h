/* netcall.h - the network calls (connect, bind, sendto, sendmsg, sendmmsg): copy their addresses
 * and data from the child once, have the session decide on that copy, and, under enforce with
 * network checks, perform the call on the child's socket with the copy (emulation).
 *
 * Why emulation, not CONTINUE: with CONTINUE the kernel reads the sockaddr again after the
 * decision, so a second thread could swap an allowed address for a denied one. Here the
 * supervisor takes the socket itself (pidfd_getfd: the same open file description, so
 * O_NONBLOCK, timeouts and the connection state are shared) and calls connect/bind/send with
 * the bytes it decided on; the child only ever sees the result.
 */
#ifndef SUPERVISE_NETCALL_H
#define SUPERVISE_NETCALL_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>

#include "decode.h"
#include "session.h"
#include "syscalls.h"

/* One message to send (sendto: one; sendmsg: one; sendmmsg: up to NETCALL_MAXMSG). */
struct net_msg {
	struct sockaddr_storage name;	/* after unix path rewriting */
	socklen_t namelen;		/* 0: no address */
	void *data;
	size_t len;
	void *control;			/* with SCM_RIGHTS fds replaced by the supervisor's copies */
	size_t controllen;
	int *fds;			/* those copies (closed by netcall_free) */
	size_t nfds;
};

#define NETCALL_MAXMSG 64

/* One decoded network call: the copy that was decided on, and what performing it needs. */
struct net_call {
	enum sc_kind kind;
	const char *name;	/* syscall name */
	pid_t tid, tgid;	/* tgid: 0 until looked up (netcall.c:_tgid) */
	int sock;		/* the supervisor's copy of the child's socket, or -1 */
	int flags;		/* send flags as the child gave them */
	struct sockaddr_storage sa;	/* connect/bind address, after unix path rewriting */
	socklen_t salen;
	int pathfds[NETCALL_MAXMSG + 1];/* O_PATH fds the rewritten unix paths name; -1 unused */
	struct net_msg *msgs;
	unsigned nmsg;
	uint64_t vec;		/* sendmmsg: the child's array, where msg_len is written back */
};

/* netcall_active - whether enforce checks network calls for S's profile (it has connect/bind
 * rules, or "net host", where the host's abstract unix sockets must be guarded). Every network
 * call is then emulated and bind/sendto/sendmsg/sendmmsg are trapped too. */
bool netcall_active(const struct session *s);

/* netcall_decide - copy, name and decide the network call T (descriptor D). With EMULATE, also
 * prepare *C to be performed by netcall_perform (the caller then owns C: netcall_free).
 * Returns 0 (allowed: with EMULATE perform it, else let it run), a positive errno to fail it
 * with, or -1 when the call is gone. *C is always initialised (netcall_free is safe on it). */
int netcall_decide(struct session *s, const struct trap *t, const struct sc_desc *d, bool emulate,
		   struct net_call *c);

/* netcall_perform - perform C on the supervisor's copy of the socket. May block (a blocking
 * connect or send): call it from a worker. Returns the call's result (>= 0) or -errno. A send
 * that fails with EPIPE raises SIGPIPE in the calling thread of the child unless it passed
 * MSG_NOSIGNAL, as the kernel would. */
int64_t netcall_perform(struct net_call *c);

/* netcall_free - close and free what C holds; safe on an initialised, unused C. */
void netcall_free(struct net_call *c);

#endif
