/* options.h - the profile's run options (pure): "caps", "rlimit", "proc", "home", "env" and
 * "landlock" lines.
 *
 *   caps NAME...              capabilities kept in the bounding set (root only, see jail.h)
 *   rlimit RESOURCE VALUE     nofile, nproc, stack, as, cpu, fsize, core; VALUE a number with an
 *                             optional k, M or G suffix (times 1024, 1024^2, 1024^3) or "unlimited"
 *   proc none                 no /proc in the jail
 *   home tmpfs|persist|none   what the jail shows at HOME (see doc/supervise.profile.5)
 *   env keep PATTERN          keep matching variables (the default scrub removes secrets)
 *   env unset PATTERN         remove matching variables
 *   env set NAME VALUE...     set NAME (the value is the rest of the line, words joined by one space)
 *   landlock fs|off           the jail's Landlock layer (jail/landlock.h): fs always (no live
 *                             grants then), off never; without the line, only a run that cannot
 *                             take live grants gets the filesystem rules
 *   x11, wayland, sound, command   the desktop lines (desktop.h)
 * The parser (policy.c) hands these lines to opts_parse_line; they live in struct profile.opts.
 */
#ifndef SUPERVISE_OPTIONS_H
#define SUPERVISE_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "desktop.h"

enum home_mode {
	HOME_HOST,	/* no "home" line: rules pick what of the real home is visible */
	HOME_TMPFS,	/* an empty private tmpfs at HOME */
	HOME_PERSIST,	/* ~/.local/share/supervise/homes/PROFILE at HOME */
	HOME_NONE,	/* no home: HOME is not in the environment */
};

enum env_kind { ENV_KEEP, ENV_UNSET, ENV_SET };

enum opts_landlock {
	LANDLOCK_AUTO,	/* no "landlock" line */
	LANDLOCK_FS,	/* "landlock fs" */
	LANDLOCK_OFF,	/* "landlock off" */
};

struct env_rule {
	enum env_kind kind;
	char *name;	/* a pattern (fnmatch) for keep/unset, a variable name for set */
	char *value;	/* ENV_SET only */
};

#define OPTS_NRLIMIT 7
#define OPTS_UNLIMITED UINT64_MAX

/* A line as written, to render it back. */
struct opt_line {
	char *text;
	unsigned line;
	bool inherited;
};

struct opts {
	uint64_t caps;			/* bit N: capability N */
	bool rlim_set[OPTS_NRLIMIT];	/* indexed like opts_rlimit_name */
	uint64_t rlim[OPTS_NRLIMIT];	/* OPTS_UNLIMITED for "unlimited" */
	unsigned rlim_line[OPTS_NRLIMIT];
	bool no_proc;
	unsigned proc_line;
	enum home_mode home;
	unsigned home_line;
	enum opts_landlock landlock;
	unsigned landlock_line;
	struct desktop_opts desk;	/* x11, wayland, sound, command lines (desktop.h) */
	struct env_rule *env;		/* in order: the last matching keep/unset wins */
	size_t nenv;
	struct opt_line *lines;
	size_t nlines;
};

/* opts_is_directive - whether WORD starts a line opts_parse_line takes. */
bool opts_is_directive(const char *word);

/* opts_parse_line - parse the N words TOK of one line (TOK[0] a directive opts_is_directive
 * accepts) from source line LINENO into O. WHERE ("FILE:LINE: ") prefixes errors.
 * Returns 0, or -EINVAL with one line in ERR. */
int opts_parse_line(char **tok, size_t n, unsigned lineno, const char *where, struct opts *o,
		    char *err, size_t errlen);

/* opts_merge_included - apply FROM's options (an included profile's) to INTO where INTO has no
 * line of its own: home, proc, landlock and each rlimit; caps are united; FROM's env rules go
 * first, so that INTO's own win. FROM's lines are copied marked inherited (not rendered). */
void opts_merge_included(struct opts *into, const struct opts *from);

/* opts_render - write O's own lines (not the inherited ones), one per line, to F. */
void opts_render(const struct opts *o, FILE *f);

/* opts_free - release O and reset it to {0}. */
void opts_free(struct opts *o);

/* opts_rlimit_name - the name of rlimit index I ("nofile", ...), NULL past the end. */
const char *opts_rlimit_name(size_t i);

/* opts_rlimit_resource - the RLIMIT_* constant of rlimit index I. */
int opts_rlimit_resource(size_t i);

/* opts_parse_size - "1024", "8k", "1M", "2G" (times 1024^n) or "unlimited" into *OUT.
 * Returns 0 or -EINVAL (not a number, unknown suffix) or -ERANGE (overflow). */
int opts_parse_size(const char *s, uint64_t *out);

/* opts_cap_parse - the capability number of NAME ("net_raw", "CAP_NET_RAW"), or -EINVAL. */
int opts_cap_parse(const char *name);

/* opts_cap_name - the name ("net_raw") of capability number C, or NULL. */
const char *opts_cap_name(int c);

/* opts_env_scrubbed - whether variable NAME is one the default scrub removes: SSH_AUTH_SOCK,
 * *_TOKEN, *_KEY, AWS_*. */
bool opts_env_scrubbed(const char *name);

/* opts_env_build - the environment the program gets from ENVP (NULL-terminated "NAME=VALUE"):
 * when SCRUB, without the variables opts_env_scrubbed names; then O's keep/unset rules, the last
 * matching one deciding; then O's set rules; then EXTRA (NULL-terminated "NAME=VALUE" or "NAME"
 * to remove, applied last; may be NULL). O may be NULL. Returns a malloc'd NULL-terminated array
 * of malloc'd strings (free with opts_env_free). */
char **opts_env_build(char *const *envp, const struct opts *o, bool scrub, char *const *extra);

/* opts_env_free - free what opts_env_build returned (NULL is fine). */
void opts_env_free(char **env);

#endif
