/* strmap.c - see strmap.h. */
#include "strmap.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

#define INITIAL 64

/* _hash - FNV-1a of KEY, then TAG mixed in, so that one string under two tags spreads. */
static uint64_t _hash(const char *key, uint64_t tag)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (; *key; key++)
		h = (h ^ (unsigned char)*key) * 0x100000001b3ULL;
	h ^= tag;
	h *= 0x100000001b3ULL;
	return h ^ (h >> 29);
}

/* _find - the slot of (KEY, TAG) with hash H in M (cap > 0): the one holding it, or the empty
 * slot where it would go. */
static struct strmap_slot *_find(const struct strmap *m, const char *key, uint64_t tag, uint64_t h)
{
	size_t i = (size_t)h & (m->cap - 1);

	for (;; i = (i + 1) & (m->cap - 1)) {
		struct strmap_slot *s = &m->v[i];

		if (!s->key || (s->hash == h && s->tag == tag && !strcmp(s->key, key)))
			return s;
	}
}

/* _grow - double M's table (or make the first one), rehashing every entry. Dies on OOM. */
static void _grow(struct strmap *m)
{
	struct strmap old = *m;

	m->cap = old.cap ? old.cap * 2 : INITIAL;
	m->v = xcalloc(m->cap, sizeof(*m->v));
	for (size_t i = 0; i < old.cap; i++)
		if (old.v[i].key)
			*_find(m, old.v[i].key, old.v[i].tag, old.v[i].hash) = old.v[i];
	free(old.v);
}

void *strmap_get(const struct strmap *m, const char *key, uint64_t tag)
{
	if (!m->cap)
		return NULL;
	return _find(m, key, tag, _hash(key, tag))->value;
}

void *strmap_put(struct strmap *m, const char *key, uint64_t tag, void *value)
{
	uint64_t h = _hash(key, tag);
	struct strmap_slot *s;
	void *old;

	if ((m->n + 1) * 2 > m->cap)
		_grow(m);
	s = _find(m, key, tag, h);
	old = s->value;
	if (!s->key) {
		s->key = xstrdup(key);
		s->hash = h;
		s->tag = tag;
		m->n++;
	}
	s->value = value;
	return old;
}

void strmap_each(const struct strmap *m, void (*fn)(void *value, void *arg), void *arg)
{
	for (size_t i = 0; i < m->cap; i++)
		if (m->v[i].key)
			fn(m->v[i].value, arg);
}

void strmap_free(struct strmap *m)
{
	for (size_t i = 0; i < m->cap; i++)
		free(m->v[i].key);
	free(m->v);
	m->v = NULL;
	m->n = m->cap = 0;
}
