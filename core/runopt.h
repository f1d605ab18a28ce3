/* runopt.h - the run options of issue 12 turned into what the child needs: the environment, the
 * program's argv, the home of "home persist", the jail's user and capabilities.
 */
#ifndef SUPERVISE_RUNOPT_H
#define SUPERVISE_RUNOPT_H

#include <sys/types.h>

#include "../jail/jail.h"
#include "../policy/policy.h"
#include "run.h"

/* run_env - the environment the program gets: supervise's own, scrubbed of secrets unless the
 * profile P keeps them (not under learn, which has no profile), then P's env rules, then the
 * login variables of U (--user; may be NULL), without HOME under "home none". Malloc'd
 * (opts_env_free). */
char **run_env(const struct run_opts *o, const struct profile *p, const struct jail_user *u);

/* run_argv - the program's argv: O's command with argv[0] replaced by --procname if given.
 * Malloc'd array (the strings are O's); free with free(). */
char **run_argv(const struct run_opts *o);

/* run_jail_opts - apply P's proc, home and caps lines and O's --user and --cwd to the jail CFG
 * and its plan PL (plan_options). HOME is the home the profile was read with, U the --user
 * (or NULL), WD the --cwd directory made absolute and normalised (or NULL), HOME_RULE what
 * run_home_rule returned; --root is checked and resolved into CFG->root (malloc'd, kept for
 * the run). *PERSIST receives the malloc'd directory of "home persist" (created, 0700), else
 * NULL. Returns 0, or 125 after one line on stderr. */
int run_jail_opts(const struct run_opts *o, const struct profile *p, const char *home,
		  const struct jail_user *u, const char *wd, ssize_t home_rule, struct plan *pl,
		  struct jail_cfg *cfg, char **persist);

/* run_home_rule - under "home tmpfs" or "home persist" in a jail: add to P the rule "write HOME"
 * (built in code, line 0), so that the supervisor's check allows what the home holds; the plan
 * does not bind the real home for it (plan_options). Call before the plan is built. Returns
 * the rule's index in P, or -1 when none was added. */
ssize_t run_home_rule(const struct run_opts *o, struct profile *p, const char *home);

/* run_opts_unjailed - warn about P's lines that need the jail (proc, home, caps) when the run
 * has none (O: --no-jail, --audit). */
void run_opts_unjailed(const struct run_opts *o, const struct profile *p);

#endif
