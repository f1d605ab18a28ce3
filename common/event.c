/* event.c - names of access kinds, decisions and modes (pure). */
#include "event.h"

#include <stddef.h>

/* _name - NAMES[I] of a table of N, or "?" for a value outside it. */
static const char *_name(const char *const *names, size_t n, unsigned i)
{
	return i < n && names[i] ? names[i] : "?";
}

const char *access_name(enum access a)
{
	/* one bit each: indexed by the bit's position */
	static const char *const names[] = { "read", "write", "create", "exec", "stat", "connect",
					     "syscall" };
	unsigned bit = 0;

	if (!a || (a & (a - 1)))
		return "?";	/* none, or more than one kind */
	while (!(a & (1u << bit)))
		bit++;
	return _name(names, sizeof(names) / sizeof(*names), bit);
}

const char *decision_name(enum decision d)
{
	static const char *const names[] = {
		[DEC_ALLOW] = "allow", [DEC_DENY] = "deny", [DEC_GRANT] = "grant",
		[DEC_AUDIT] = "audit", [DEC_REVOKE] = "revoke", [DEC_ASK_ALLOW] = "ask-allow",
		[DEC_ASK_DENY] = "ask-deny",
	};

	return _name(names, sizeof(names) / sizeof(*names), (unsigned)d);
}

const char *mode_name(enum run_mode m)
{
	static const char *const names[] = {
		[MODE_LEARN] = "learn", [MODE_ENFORCE] = "enforce", [MODE_AUDIT] = "audit",
	};

	return _name(names, sizeof(names) / sizeof(*names), (unsigned)m);
}
