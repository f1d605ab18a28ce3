/* learn.c - the set of observed accesses (pure): add, find, count; the network line.
 *
 * learn_add() runs once per observed syscall, so entries are found through an open-addressing
 * hash index (linear probing over vector positions) instead of a scan: O(1) amortised.
 * Turning the set into rules is learn/want.c, learn/tree.c and learn/render.c; the path classes
 * they use are learn/classify.c.
 */
#include "learn.h"

#include <string.h>

#include "../common/util.h"

#define ACC_WRITES (ACC_WRITE | ACC_CREATE)

/* The private hash index: SLOT[i] is a vector position + 1, 0 meaning empty. CAP is a power of
 * two and at least twice the entry count. */
struct _index {
	size_t cap;
	size_t *slot;
};

/* _hash - FNV-1a of the string S. */
static uint64_t _hash(const char *s)
{
	uint64_t h = 14695981039346656037ULL;

	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
	return h;
}

/* _find_slot - the slot of S's index that holds PATH, or the empty slot where it would go. */
static size_t *_find_slot(const struct learn_set *s, const char *path)
{
	const struct _index *ix = s->index;
	size_t i = (size_t)_hash(path) & (ix->cap - 1);

	while (ix->slot[i] && strcmp(s->v[ix->slot[i] - 1].path, path) != 0)
		i = (i + 1) & (ix->cap - 1);
	return &ix->slot[i];
}

/* _reindex - (re)build S's index with CAP slots (a power of two > 2 * n) from the vector. */
static void _reindex(struct learn_set *s, size_t cap)
{
	struct _index *ix = s->index;

	if (!ix)
		ix = s->index = xcalloc(1, sizeof(*ix));
	free(ix->slot);
	ix->slot = xcalloc(cap, sizeof(*ix->slot));
	ix->cap = cap;
	for (size_t i = 0; i < s->n; i++)
		*_find_slot(s, s->v[i].path) = i + 1;
}

/* learn_add - also ignores a NULL or non-absolute PATH (not a file object). */
void learn_add(struct learn_set *s, const char *path, enum access access)
{
	unsigned bits = (unsigned)access & ~(unsigned)ACC_CONNECT;
	struct _index *ix = s->index;
	size_t *slot;

	if (!bits || !path || path[0] != '/')
		return;
	if (!ix || (s->n + 1) * 2 > ix->cap)
		_reindex(s, ix ? ix->cap * 2 : 64);
	slot = _find_slot(s, path);
	if (*slot) {
		s->v[*slot - 1].access |= bits;
		return;
	}
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 64;
		s->v = xrealloc(s->v, s->cap * sizeof(*s->v));
	}
	s->v[s->n++] = (struct learn_entry){ .path = xstrdup(path), .access = bits };
	*slot = s->n;
}

const struct learn_entry *learn_find(const struct learn_set *s, const char *path)
{
	size_t *slot;

	if (!s->index || !path)
		return NULL;
	slot = _find_slot(s, path);
	return *slot ? &s->v[*slot - 1] : NULL;
}

/* _entry_cmp - qsort order of learn entries: by path. */
static int _entry_cmp(const void *a, const void *b)
{
	return strcmp(((const struct learn_entry *)a)->path, ((const struct learn_entry *)b)->path);
}

void learn_finish(struct learn_set *s)
{
	if (s->n == 0)
		return;
	qsort(s->v, s->n, sizeof(*s->v), _entry_cmp);
	_reindex(s, ((struct _index *)s->index)->cap);
}

void learn_count(const struct learn_set *s, size_t *reads, size_t *writes, size_t *execs)
{
	size_t r = 0, w = 0, x = 0;

	for (size_t i = 0; i < s->n; i++) {
		unsigned a = s->v[i].access;

		x += !!(a & ACC_EXEC);
		w += !!(a & ACC_WRITES);
		r += (a & (ACC_EXEC | ACC_WRITES)) == 0;
	}
	if (reads)
		*reads = r;
	if (writes)
		*writes = w;
	if (execs)
		*execs = x;
}

void learn_free(struct learn_set *s)
{
	struct _index *ix = s->index;

	for (size_t i = 0; i < s->n; i++)
		free(s->v[i].path);
	free(s->v);
	if (ix)
		free(ix->slot);
	free(ix);
	*s = (struct learn_set){ 0 };
}

void learn_net(struct learn_set *s, const char *object)
{
	const char *sp = strchr(object, ' ');
	enum net_mode need;

	if (!sp || !strncmp(object, "unix ", 5))
		return;
	/* A connect to 127.0.0.1 during learn reached the host's loopback, which a private
	 * "net loopback" would not: every inet endpoint needs the host's network, and the learned
	 * connect lines bound which addresses. */
	need = NET_HOST;
	if (need > s->net)
		s->net = need;
}
