/* tree.c - learn's tree of wants (pure): nodes made on the way to a path, the bottom-up collapse
 * of directories read (or walked) as a whole, freeing. See tree.h. */
#include "tree.h"

#include <string.h>

#include "../common/path.h"
#include "../common/util.h"

/* _kid - the child of N named NAME (length LEN), created when missing. The last child is tried
 * first: paths arrive mostly sorted. */
static struct learn_node *_kid(struct learn_node *n, const char *name, size_t len)
{
	struct learn_node *k;

	for (size_t i = n->nkids; i-- > 0;)
		if (strlen(n->kids[i]->name) == len && !strncmp(n->kids[i]->name, name, len))
			return n->kids[i];
	if (n->nkids == n->cap) {
		n->cap = n->cap ? n->cap * 2 : 4;
		n->kids = xrealloc(n->kids, n->cap * sizeof(*n->kids));
	}
	k = xcalloc(1, sizeof(*k));
	k->name = xstrndup(name, len);
	n->kids[n->nkids++] = k;
	return k;
}

/* learn_tree_want - see tree.h. */
void learn_tree_want(struct learn_node *root, const char *path, unsigned want)
{
	struct learn_node *n = root;
	const char *c;
	size_t len;

	for (c = path_next_comp(path, &len); c; c = path_next_comp(c + len, &len))
		n = _kid(n, c, len);
	n->want |= want;
}

/* learn_tree_free - see tree.h. */
void learn_tree_free(struct learn_node *n)
{
	for (size_t i = 0; i < n->nkids; i++) {
		learn_tree_free(n->kids[i]);
		free(n->kids[i]);
	}
	free(n->kids);
	free(n->name);
}

/* _reads_below - N or a node below it wants "read" of content it read (a stat, such as a
 * compiler's probe of the tools beside it, does not count). */
static bool _reads_below(const struct learn_node *n)
{
	if ((n->want & (W_READ | W_OPENED)) == (W_READ | W_OPENED))
		return true;
	for (size_t i = 0; i < n->nkids; i++)
		if (_reads_below(n->kids[i]))
			return true;
	return false;
}

/* _found_below - N or a node below it wants "read" of something that exists (opened or only
 * looked up): what a walk of a listed directory finds. */
static bool _found_below(const struct learn_node *n)
{
	if (n->want & W_READ)
		return true;
	for (size_t i = 0; i < n->nkids; i++)
		if (_found_below(n->kids[i]))
			return true;
	return false;
}

/* _strip_reads - drop the read and listing wants of N and everything below it. */
static void _strip_reads(struct learn_node *n)
{
	n->want &= ~(unsigned)(W_READ | W_LIST);
	for (size_t i = 0; i < n->nkids; i++)
		_strip_reads(n->kids[i]);
}

/* learn_tree_path - see tree.h. */
char *learn_tree_path(const char *path, const char *name)
{
	return xasprintf("%s/%s", strcmp(path, "/") ? path : "", name);
}

/* learn_tree_collapse - see tree.h. The listed directory's count is of the entries found below
 * it (ls -l, find, du, git status need every entry in the view), where a compiler's probes of
 * the tools beside it list nothing. */
void learn_tree_collapse(struct learn_node *n, const char *path, const char *home,
			 const struct profile *existing)
{
	size_t reads = 0;
	bool listed = n->want & W_LIST;

	for (size_t i = 0; i < n->nkids; i++) {
		_cleanup_free_ char *kp = learn_tree_path(path, n->kids[i]->name);

		learn_tree_collapse(n->kids[i], kp, home, existing);
		reads += listed ? _found_below(n->kids[i]) : _reads_below(n->kids[i]);
	}
	if (reads < LEARN_COLLAPSE_MIN || (n->want & (W_WRITE | W_TMPFS)) ||
	    !learn_collapsible(path, home, existing))
		return;
	for (size_t i = 0; i < n->nkids; i++)
		_strip_reads(n->kids[i]);
	n->want = (n->want & ~(unsigned)W_LIST) | W_READ | W_OPENED;
}
