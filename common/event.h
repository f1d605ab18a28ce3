/* event.h - one observed access: the unit that the supervisor decides on, logs and learns from.
 * Pure data; no kernel state.
 */
#ifndef SUPERVISE_EVENT_H
#define SUPERVISE_EVENT_H

#include <stdint.h>
#include <sys/types.h>

/* What the child tried to do with the object. Bit values so that learn can OR them. */
enum access {
	ACC_READ = 1 << 0,
	ACC_WRITE = 1 << 1,
	ACC_CREATE = 1 << 2,
	ACC_EXEC = 1 << 3,
	ACC_STAT = 1 << 4,
	ACC_CONNECT = 1 << 5,
	ACC_SYSCALL = 1 << 6,	/* a syscall outside the profile's allowlist */
};

/* What the supervisor answered. */
enum decision {
	DEC_ALLOW,
	DEC_DENY,
	DEC_GRANT,
	DEC_AUDIT,
};

/* Run modes, as stored in runs.mode. */
enum run_mode {
	MODE_LEARN,
	MODE_ENFORCE,
	MODE_AUDIT,
};

struct event {
	int64_t at_ms;		/* wall clock, ms since epoch */
	pid_t pid;		/* thread id as seen by the supervisor */
	const char *syscall;	/* static name, e.g. "openat" */
	const char *object;	/* absolute path, or "tcp 127.0.0.1:80", "unix /x" */
	enum access access;	/* exactly one bit */
	enum decision decision;
	const char *rule;	/* the deciding rule as written, or NULL */
	int error;		/* the errno the call was failed with (EACCES, ENOENT, ...), 0 if none */
	const char *backtrace;	/* the caller's stack, one frame a line, innermost first; or NULL */
};

/* access_name - "read", "write", ... for one access bit; "?" for anything else. */
const char *access_name(enum access a);
/* decision_name - "allow", "deny", "grant", "audit". */
const char *decision_name(enum decision d);
/* mode_name - "learn", "enforce", "audit". */
const char *mode_name(enum run_mode m);

#endif
