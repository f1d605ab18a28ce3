/* internal.h - what the files of the profile format (policy.c, parse.c, escape.c, options.c,
 * desktop.c) share, and no
 * file outside policy/ uses. The public interface is policy.h. */
#ifndef SUPERVISE_POLICY_INTERNAL_H
#define SUPERVISE_POLICY_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "policy.h"

/* policy_err - "WHERE" + the message of FMT into ERR (ERRLEN bytes; nothing when ERR is NULL).
 * Returns -EINVAL, so that a parser may "return policy_err(...)". parse.c. */
int __attribute__((format(printf, 4, 5)))
policy_err(char *err, size_t errlen, const char *where, const char *fmt, ...);

/* policy_rule_append - add one rule of KIND on PATTERN from source LINE to P, taking ownership of
 * PATTERN and TEXT (both malloc'd); every flag of the rule false. policy.c. */
void policy_rule_append(struct profile *p, enum rule_kind kind, char *pattern, char *text,
			unsigned line);

/* policy_sys_insert - insert TOK (copied) from source LINE, INHERITED or not, into OUT's
 * "syscalls" tokens at index AT (0 to OUT->nsys). policy.c. */
void policy_sys_insert(struct profile *out, size_t at, const char *tok, unsigned line,
		       bool inherited);

/* policy_net_parse - the net_mode named WORD ("none", "loopback", "host"), or NET_UNSET when it
 * names none. policy.c. */
enum net_mode policy_net_parse(const char *word);

/* policy_is_ctrl - true for ASCII control characters (and DEL), which no path token may hold.
 * escape.c. */
bool policy_is_ctrl(unsigned char c);

/* policy_path_unescape - decode the "\NNN" escapes of the path token S into a malloc'd string in
 * *OUT. Returns 0, -EINVAL for a backslash not followed by three octal digits (at most \377), or
 * -ERANGE when a decoded byte is a control character or NUL (*OUT untouched on error).
 * escape.c. */
int policy_path_unescape(const char *s, char **out);

#endif
