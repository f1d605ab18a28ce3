/* session.h - what one supervised run decides, logs and learns, independent of the backend.
 * Backends decode a trapped syscall into a request and ask the session; the session answers with
 * an errno (0 = let the call proceed) and has already logged and learned the event.
 */
#ifndef SUPERVISE_SESSION_H
#define SUPERVISE_SESSION_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "../common/event.h"
#include "../db/writer.h"
#include "../learn/learn.h"
#include "../policy/policy.h"

struct session {
	enum run_mode mode;
	const struct profile *profile;	/* enforce/audit; NULL in learn */
	struct db_writer *writer;	/* may be NULL (tests) */
	struct learn_set learned;	/* learn mode only */
	bool quiet;			/* -q: no per-denial line */
	/* grant - mount grant rule R into the jail of thread TID; 0 or -errno. NULL: no grants. */
	int (*grant)(void *ctx, pid_t tid, const struct rule *r);
	void *grant_ctx;
	bool *granted;			/* per profile rule: already granted */
	/* Set by the backend around one decision: the caller's stack (frames, one a line) to log
	 * with its events, or NULL. */
	const char *backtrace;
	uint64_t events, denials;
};

/* One decoded file access. */
struct file_req {
	pid_t tid;
	const char *syscall;
	const char *path;	/* normalised absolute path as the child named it */
	const char *canon;	/* the same with every symlink resolved, or NULL if equal/unknown */
	enum access access;
	bool exists;		/* the path exists (decides ENOENT vs EACCES for unruled paths) */
	bool judged;		/* enforce mode checks this syscall (audit previews only those) */
	const char *interp;	/* learn, exec of a script: its "#!" interpreter, or NULL */
	bool hidden;		/* the host has it, the program's view does not (jail) */
};

/* session_file - decide, log and learn one file access. The first access a grant rule allows
 * has the grant mounted (decision "grant") before the call proceeds; the session's single thread
 * serialises racing first touches, so each grant is mounted once.
 * Returns 0 to let the call proceed, or the positive errno to fail it with: EACCES for a denial,
 * ENOENT for a denied lookup of a path that does not exist and that no rule names. Audit and learn
 * never deny. */
int session_file(struct session *s, const struct file_req *r);

/* session_net - log one network access (object such as "tcp 127.0.0.1:80"). Returns 0: network
 * rules arrive with the network issue; connect is recorded, not filtered. */
int session_net(struct session *s, pid_t tid, const char *syscall, const char *object);

/* session_free - release what the session owns (the learned set). */
void session_free(struct session *s);

#endif
