/* strmap.h - a hash map from (string, tag) keys to pointers (pure, single-threaded).
 *
 * Used by the session to find, for one trapped call, what it already decided about the same
 * object: the per-run tally of allowed (object, access) pairs and the decision cache
 * (trap/session.c). The map copies its keys and owns those copies; it never owns the values.
 * Open addressing with linear probing, kept at most half full, so a lookup is one hash of the
 * string and, nearly always, one comparison.
 */
#ifndef SUPERVISE_STRMAP_H
#define SUPERVISE_STRMAP_H

#include <stddef.h>
#include <stdint.h>

struct strmap_slot {
	char *key;		/* owned copy; NULL: empty */
	uint64_t hash;		/* of key and tag */
	uint64_t tag;
	void *value;
};

struct strmap {
	struct strmap_slot *v;
	size_t n, cap;		/* cap is 0 or a power of two */
};

/* strmap_get - the value stored under (KEY, TAG), or NULL when there is none. */
void *strmap_get(const struct strmap *m, const char *key, uint64_t tag);

/* strmap_put - store VALUE (not NULL) under (KEY, TAG), replacing what was there. Returns the
 * value replaced, or NULL. The key is copied. Dies on out of memory (xmalloc). */
void *strmap_put(struct strmap *m, const char *key, uint64_t tag, void *value);

/* strmap_each - call FN(value, ARG) for every value, in no particular order. */
void strmap_each(const struct strmap *m, void (*fn)(void *value, void *arg), void *arg);

/* strmap_free - free the keys and the table (not the values); M is then empty and reusable.
 * Safe on a zero-initialised map. */
void strmap_free(struct strmap *m);

#endif
