/* args.h - the "read @arg" and "write @arg" rules of a profile, made rules on the paths this run's
 * arguments name, before the jail's view is planned (see doc/supervise.profile.5, ARGUMENTS).
 */
#ifndef SUPERVISE_ARGS_H
#define SUPERVISE_ARGS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <time.h>

#include "../policy/policy.h"

/* An output file args_expand created for "write @arg", removed again when left untouched. */
struct args_made_file {
	char *path;
	dev_t dev;
	ino_t ino;
	struct timespec ctime;	/* as created: a later open with O_TRUNC or a write changes it */
};

struct args_made {
	struct args_made_file *v;
	size_t n;
};

/* args_expand - for each path an argument of ARGV (ARGV[0] the program) names (learn_args,
 * relative ones against CWD), add to P a rule like each of P's @arg rules (same kind and text,
 * policy_add_match) on that path, and on where its symbolic links lead when that differs:
 *   - "read @arg" gives an argument's path that exists (a directory with its subtree);
 *   - "write @arg" gives it too, and a missing one whose parent is a directory: with CREATE (a
 *     jail will be built, and it binds what exists), unless another rule of P already lets it be
 *     created there, the file is created empty now when its argument may be a file name
 *     (learn_arg_filename) and recorded in MADE (args_cleanup removes it when the program left
 *     it untouched); an argument that may not gets no rule;
 *   - an argument naming a protected path or an ancestor of one (learn_arg_coverable, with HOME),
 *     or a path an explicit deny rule of P decides, gets no rule, and one line says so unless
 *     QUIET; when a rule of P (a grant line) allows it, that rule decides it, and nothing is said.
 * Nothing is done when P has no @arg rule. Setup regime: a file that cannot be created is said
 * (one line) and gets no rule; nothing fails the run. */
void args_expand(struct profile *p, char *const *argv, const char *cwd, const char *home,
		 bool create, bool quiet, struct args_made *made);

/* args_cleanup - remove each file of MADE that is still the one created, empty, and whose
 * change time did not move (the program neither truncated nor wrote it), then free MADE. */
void args_cleanup(struct args_made *made);

#endif
