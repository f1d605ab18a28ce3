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
	DEC_REVOKE,	/* a grant taken back (supervise revoke) */
	DEC_ASK_ALLOW,	/* the user answered an ask prompt: allowed */
	DEC_ASK_DENY,	/* the user answered an ask prompt (or none did): denied */
};

/* Run modes, as stored in runs.mode. */
enum run_mode {
	MODE_LEARN,
	MODE_ENFORCE,
	MODE_AUDIT,
};

/* The running count of one events row that stands for many calls (the run logs each allowed
 * (object, access) once, see doc/schema.md): the session that decides counts the calls, the event
 * writer inserts the row on the first and later writes count and last time into it. The session
 * owns it and frees it only after the writer stopped. */
struct event_tally {
	_Atomic uint64_t count;		/* calls so far, >= 1 (the session's thread adds) */
	_Atomic int64_t last_ms;	/* the latest call, ms since epoch */
	int64_t rowid;			/* the writer's: its events row, 0 until inserted */
	uint64_t written;		/* the writer's: count as last written into the row */
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
	struct event_tally *tally;	/* this row counts the later calls of its kind; or NULL */
	pid_t ppid;		/* an exec: the caller's parent process, 0 when unknown */
};

/* access_name - "read", "write", ... for one access bit; "?" for anything else. */
const char *access_name(enum access a);
/* decision_name - "allow", "deny", "grant", "audit", "revoke", "ask-allow", "ask-deny". */
const char *decision_name(enum decision d);
/* mode_name - "learn", "enforce", "audit". */
const char *mode_name(enum run_mode m);

#endif
