/* want.h - from the observed accesses to learn's tree of wants (tree.h), beyond an existing
 * profile (pure). Private to learn/: render.c writes the tree. */
#ifndef SUPERVISE_LEARN_WANT_H
#define SUPERVISE_LEARN_WANT_H

#include "learn.h"
#include "tree.h"

/* learn_wants - fill ROOT (a node named "") with what the entries of S (sorted: learn_finish)
 * need beyond EXISTING (may be NULL): created files a write on their directory (or a tmpfs),
 * listed directories a listing, data files of the working directory one glob per extension,
 * what the run's arguments (ENV->argv) name "@arg"; then collapsed (learn_tree_collapse). ENV
 * (not NULL) and STAT (may be NULL: every path a file) as for learn_render. Returns the "@arg"
 * wants: W_READ, W_WRITE or 0. */
unsigned learn_wants(struct learn_node *root, const struct learn_set *s,
		     const struct profile *existing, const struct learn_env *env,
		     learn_stat_fn stat);

#endif
