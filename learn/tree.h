/* tree.h - learn's tree of wants (pure): what each path and directory of a learned profile needs,
 * one node a path component, and its bottom-up collapse. Private to learn/: want.c fills it from
 * the observed accesses, render.c writes it as rules. */
#ifndef SUPERVISE_LEARN_TREE_H
#define SUPERVISE_LEARN_TREE_H

#include <stdbool.h>
#include <stddef.h>

#include "learn.h"

#define ACC_READS (ACC_READ | ACC_STAT)
#define ACC_WRITES (ACC_WRITE | ACC_CREATE)

/* What a node of the want tree asks for. */
enum {
	W_READ = 1 << 0,
	W_WRITE = 1 << 1,
	W_EXEC = 1 << 2,
	W_LIST = 1 << 3,	/* a directory that was opened (listed) */
	W_TMPFS = 1 << 4,	/* a private directory for created temporary names */
	W_PROBE = 1 << 5,	/* looked up but missing: a rule only behind a listing fence */
	W_OPENED = 1 << 6,	/* its content was read (not just stat'ed): counts toward a collapse */
};
#define W_RIGHTS (W_READ | W_WRITE | W_EXEC)

struct learn_node {
	char *name;		/* one component; "" at the root */
	struct learn_node **kids;
	size_t nkids, cap;
	unsigned want;
};

/* learn_tree_want - add WANT (W_* bits) to the node of the normalised absolute PATH below ROOT,
 * making the nodes on the way. */
void learn_tree_want(struct learn_node *root, const char *path, unsigned want);

/* learn_tree_collapse - bottom-up below N (the node of PATH): a directory of which
 * LEARN_COLLAPSE_MIN entries were read (opened, not only stat'ed) becomes one "read" want, when
 * learn_collapsible(PATH, HOME, EXISTING) allows it; so does a directory that was listed and of
 * which that many entries were then looked up (a walk of the tree). The wants below it that the
 * read covers are dropped. */
void learn_tree_collapse(struct learn_node *n, const char *path, const char *home,
			 const struct profile *existing);

/* learn_tree_free - release everything below N and N's name (not N itself). */
void learn_tree_free(struct learn_node *n);

/* learn_tree_path - PATH/NAME ("/NAME" when PATH is "/" or ""), the path of a child node.
 * malloc'd. */
char *learn_tree_path(const char *path, const char *name);

#endif
