/* event.c - names of access kinds, decisions and modes (pure). */
#include "event.h"

const char *access_name(enum access a)
{
	switch (a) {
	case ACC_READ: return "read";
	case ACC_WRITE: return "write";
	case ACC_CREATE: return "create";
	case ACC_EXEC: return "exec";
	case ACC_STAT: return "stat";
	case ACC_CONNECT: return "connect";
	case ACC_SYSCALL: return "syscall";
	}
	return "?";
}

const char *decision_name(enum decision d)
{
	switch (d) {
	case DEC_ALLOW: return "allow";
	case DEC_DENY: return "deny";
	case DEC_GRANT: return "grant";
	case DEC_AUDIT: return "audit";
	case DEC_REVOKE: return "revoke";
	case DEC_ASK_ALLOW: return "ask-allow";
	case DEC_ASK_DENY: return "ask-deny";
	}
	return "?";
}

const char *mode_name(enum run_mode m)
{
	switch (m) {
	case MODE_LEARN: return "learn";
	case MODE_ENFORCE: return "enforce";
	case MODE_AUDIT: return "audit";
	}
	return "?";
}
