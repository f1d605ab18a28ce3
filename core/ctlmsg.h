/* ctlmsg.h - the messages of the control socket (core/gate.c, core/control.c, supervise grant and
 * revoke): parsing a request and naming the socket. Pure: no I/O.
 *
 * A request is one message (SOCK_SEQPACKET) of at most CTL_MSG_MAX bytes, text, no NUL:
 *   ping                        is the run there (the answer names it)
 *   grant read|write|exec PATH  widen the running jail: PATH, absolute, the rest of the message
 *   revoke PATH                 take back a grant of this run
 * The answer is one message: "ok TEXT" or "error TEXT", TEXT one line for the user.
 */
#ifndef SUPERVISE_CTLMSG_H
#define SUPERVISE_CTLMSG_H

#include <limits.h>
#include <stddef.h>

#include "../policy/policy.h"

#define CTL_MSG_MAX (PATH_MAX + 32)

enum ctl_op {
	CTL_PING,
	CTL_GRANT,
	CTL_REVOKE,
};

struct ctl_req {
	enum ctl_op op;
	enum rule_kind kind;	/* CTL_GRANT: RULE_READ, RULE_WRITE or RULE_EXEC */
	char path[PATH_MAX];	/* CTL_GRANT, CTL_REVOKE: normalised absolute path */
};

/* ctl_parse - parse the request BUF of LEN bytes (not NUL-terminated) into OUT. 0, or -EINVAL
 * with a one-line reason in ERR (ERRLEN bytes). */
int ctl_parse(const char *buf, size_t len, struct ctl_req *out, char *err, size_t errlen);

/* ctl_format - the request R as a message into BUF (CTL_MSG_MAX bytes). Its length, or -1 when
 * it does not fit. */
int ctl_format(const struct ctl_req *r, char *buf, size_t len);

/* ctl_socket_dir - the directory of the control sockets of a supervisor run by EUID into BUF
 * (LEN bytes): /run/supervise for root, else "$XDG_RUNTIME_DIR/supervise" when XDG (the variable's
 * value, may be NULL or "") is an absolute path, else /tmp/supervise-EUID. -ENAMETOOLONG or 0. */
int ctl_socket_dir(unsigned euid, const char *xdg, char *buf, size_t len);

#endif
