/* policy.h - profiles: parsing the text format and deciding an access (pure).
 *
 * Text format, version 1 (see doc/supervise.profile.5):
 *   # comment            blank lines and comments ignored; "#" after a rule starts a comment too
 *   read  PATH           read + stat
 *   write PATH           read + write + create + stat
 *   exec  PATH           read + exec + stat
 *   deny  PATH           nothing; beats an equally specific allow
 *   ask   KIND PATH      a deny that the run asks the user about (core/ask.h)
 *   host  KIND PATH      KIND PATH; under --root the host's PATH, bound into the tree
 *   net   none|loopback|host, connect/bind PROTO ENDPOINT   network (see netrule.h)
 *   syscalls TOKEN...    the syscall allowlist (see sysgroups.h); none: every syscall
 * PATH is absolute or starts with "~/" (or is "~") or "$CWD/" (or is "$CWD": the working
 * directory, see policy_set_cwd) or "$XDG_CONFIG_HOME/" and the other XDG base directories of
 * enum path_var (policy_set_var). "read @arg" and "write @arg" name the paths the run's arguments
 * name (struct rule.arg). A rule on a directory covers its subtree.
 * "*" matches within one component, "**" matches any number of components (including none).
 * In PATH, "\NNN" (three octal digits, as in fstab) stands for one byte: "\040" is a space,
 * "\134" a backslash. A decoded "*" is still a glob.
 */
#ifndef SUPERVISE_POLICY_H
#define SUPERVISE_POLICY_H

#include <stdbool.h>
#include <stddef.h>

#include "../common/event.h"
#include "../common/path.h"
#include "netrule.h"
#include "options.h"
#include "sysgroups.h"

enum rule_kind {
	RULE_READ,
	RULE_WRITE,
	RULE_EXEC,
	RULE_DENY,
	RULE_TMPFS,	/* a private, empty, writable directory (jail) */
};

/* The profile's network line. NET_UNSET (no line) is treated as none by the jail. */
enum net_mode {
	NET_UNSET,
	NET_NONE,	/* no interfaces at all */
	NET_LOOPBACK,	/* a private network namespace with lo up */
	NET_HOST,	/* the host's network */
};

struct rule {
	enum rule_kind kind;
	char *pattern;	/* expanded, normalised absolute pattern (may contain * and **) */
	char *text;	/* the rule as written, normalised spacing: "read ~/notes" */
	unsigned line;	/* 1-based source line, 0 when built in code */
	bool inherited;	/* comes from an included profile (not rendered with this one) */
	bool grant;	/* "grant KIND PATH": not visible at start, mounted on first touch */
	bool ask;	/* "ask KIND PATH": a deny (KIND RULE_DENY) the user is asked about */
	bool host;	/* "host KIND PATH": under --root, the host's PATH bound into the tree */
	enum rule_kind ask_kind;	/* ask: what an answer "allow" gives */
	bool match;	/* added for one path a wildcard rule (same text) matched (policy_add_match) */
	bool arg;	/* "read @arg" / "write @arg": pattern "@arg", never matches a path itself;
			 * core/args.c adds a policy_add_match rule per path this run's arguments
			 * name (see doc/supervise.profile.5, ARGUMENTS) */
};

/* One token of a "syscalls" line (see sysgroups.h): "@default", "+ptrace", "-uname"... */
struct systoken {
	char *tok;
	unsigned line;	/* 1-based source line */
	bool inherited;	/* comes from an included profile */
};

struct profile {
	enum net_mode net;
	unsigned net_line;	/* source line of the net directive, 0 if none */
	char **includes;	/* names given by "include NAME" lines, in order */
	unsigned *include_lines;
	size_t nincludes;
	struct rule *rules;
	size_t n, cap;
	struct netrule *netrules;	/* "connect" and "bind" lines (netrule.h), in order */
	size_t nnet;
	struct systoken *sys;		/* "syscalls" tokens, included ones first, in order */
	size_t nsys;
	struct opts opts;		/* caps, rlimit, proc, home, env lines (options.h) */
};

/* net_mode_name - "none", "loopback", "host" ("none" for NET_UNSET). */
const char *net_mode_name(enum net_mode m);

/* rule_kind_name - "read", "write", "exec", "deny", "tmpfs". */
const char *rule_kind_name(enum rule_kind k);
/* rule_kind_parse - inverse of rule_kind_name; returns 0 and sets *out, or -EINVAL. */
int rule_kind_parse(const char *word, enum rule_kind *out);

/* The path token of an argument rule ("read @arg"): the paths this run's arguments name. */
#define POLICY_ARG "@arg"

/* The longest profile line, in bytes without its newline: room for a rule whose path is
 * PATH_MAX bytes with every byte escaped ("\NNN"). A longer line is an error. */
#define POLICY_LINE_MAX 32768

/* policy_parse - parse profile TEXT. FILE names the source in errors. HOME expands "~".
 * A line longer than POLICY_LINE_MAX, or a rule whose path (decoded, expanded and normalised) is
 * PATH_MAX bytes or longer, is an error naming FILE and the line.
 * On success returns 0 and appends rules to *OUT (which the caller initialised to {0}).
 * On error returns -EINVAL and writes one line "FILE:LINE: what is wrong" (no "supervise: "
 * prefix, no newline) into ERR; *OUT is left holding any rules parsed before the bad line. */
int policy_parse(const char *text, const char *file, const char *home, struct profile *out,
		 char *err, size_t errlen);

/* policy_set_cwd - the directory that "$CWD" (a path that is "$CWD" or starts with "$CWD/")
 * stands for in profiles parsed from now on: the run's working directory, as HOME is for "~".
 * CWD NULL or not absolute makes such paths an error. Copies CWD. Setup regime: call it before
 * parsing, while single-threaded (supervise's main does, with its own working directory). */
void policy_set_cwd(const char *cwd);

/* policy_set_var - the value of the variable V (enum path_var) for paths "$NAME" and "$NAME/..."
 * in profiles parsed from now on, as it is in the run's environment: VALUE NULL or not absolute
 * is unset, and such a path then stands for the XDG default below the HOME given to the parser
 * (path_var_dir: XDG_CONFIG_HOME is "~/.config", ...) or, for CWD and XDG_RUNTIME_DIR, is an
 * error. Copies VALUE. policy_set_cwd(C) is policy_set_var(PATH_VAR_CWD, C). Setup regime, as
 * policy_set_cwd; core/profile_load.c sets the XDG ones from the environment before it parses. */
void policy_set_var(enum path_var v, const char *value);

/* policy_add - append one rule of KIND on PATH (absolute or "~/..."), as if parsed. Returns 0 or
 * -EINVAL (bad path, error text in ERR). */
int policy_add(struct profile *p, enum rule_kind kind, const char *path, const char *home,
	       char *err, size_t errlen);

/* policy_add_match - append to P a rule like FROM (a wildcard allow rule of P: same kind, text,
 * line, grant and inherited flags) on the literal PATH, one of the paths FROM matches, so that the
 * jail can mount it. Not rendered: policy_render writes FROM once. */
void policy_add_match(struct profile *p, const struct rule *from, const char *path);

/* policy_merge_included - append copies of FROM's rules (network rules too) to INTO, marked
 * inherited, put FROM's "syscalls" tokens after INTO's inherited ones and before its own, and widen INTO's net mode to FROM's when INTO has no net line of its own. */
void policy_merge_included(struct profile *into, const struct profile *from);

/* policy_name_valid - a profile name is 1-64 characters of [A-Za-z0-9._+-], not starting with
 * '.' or '-'. */
bool policy_name_valid(const char *name);

/* policy_syscalls - the allowlist P's "syscalls" tokens give (applied in order to an empty set)
 * into *OUT. Returns false, leaving *OUT empty, when P has no "syscalls" line: no allowlist. */
bool policy_syscalls(const struct profile *p, struct sysset *out);

/* policy_free - release the rules of P and reset it to {0}. P itself is not freed. */
void policy_free(struct profile *p);

/* policy_rights - the access bits a rule of KIND grants (0 for deny). */
unsigned policy_rights(enum rule_kind kind);

/* policy_decide - decide ACCESS (one ACC_* bit) on the normalised absolute PATH.
 * Rules whose pattern matches PATH or an ancestor of PATH apply. The most specific applicable
 * rule(s) win, specificity being, for this PATH:
 *   1. the depth (number of components) of the shortest prefix of PATH the pattern matches, i.e.
 *      of the ancestor (or PATH itself) from which on the rule covers PATH: deeper wins. So for
 *      /home/u/.ssh/id, a deny of every ".ssh" through "**" matches at depth 3 and beats
 *      "read /home/u" (depth 2), and "read /home/u/.ssh/id" (depth 4) beats that deny;
 *   2. at equal depth, fewer wildcard components win, then fewer "**", then fewer lone "*":
 *      a literal beats a partial glob ("*.c"), which beats "*", which beats "**". Trailing "**"
 *      components are not counted: they cover nothing more than the pattern without them.
 * Among equally specific rules a deny wins, else the union of their rights decides.
 * Returns true when allowed. *RULE (if not NULL) receives the deciding rule: the deny, else the
 * first one granting ACCESS, else the first most specific one; NULL when no rule applied (which
 * is a denial). */
bool policy_decide(const struct profile *p, const char *path, enum access access,
		   const struct rule **rule);

/* policy_pattern_match - true when the pattern matches PATH itself or an ancestor directory of
 * PATH (so that a rule covers the subtree). Exposed for tests. */
bool policy_pattern_match(const char *pattern, const char *path);

/* policy_path_escape - PATH as a profile path token: space, tab, backslash and control characters
 * become "\NNN" (three octal digits, as in fstab), everything else is kept. policy_parse()
 * decodes these escapes in PATH (a raw control character or any other backslash is an error).
 * Returns malloc'd. */
char *policy_path_escape(const char *path);

/* policy_render - the profile as text: its include lines, its net line (if it had one), its own
 * network rules, its own "syscalls" lines, then its own rules (not the inherited ones) in stored order, each as written.
 * Returns malloc'd. */
char *policy_render(const struct profile *p);

/* policy_render_syscalls - P's own "syscalls" lines (not the inherited ones), as policy_render
 * writes them; "" when it has none. Returns malloc'd. */
char *policy_render_syscalls(const struct profile *p);

#endif
