/* fuzz_strmap.c - libFuzzer target: common/strmap.c, sequences of put, get, each and free
 * checked against a reference list searched linearly.
 *
 * Input: operations, each one byte OP, one byte TAG (its low two bits, so that one key under
 * several tags is common), one byte VALUE, then a key running to the next NUL (or the end).
 * OP % 8: 0-3 put, 4-5 get, 6 each (every value visited once, the count right), 7 free (the map
 * and the reference emptied; the map is reused). After the last operation every key of the
 * reference is looked up and the map freed.
 */
#include "fuzz.h"

#include <stdbool.h>

#include "../../common/strmap.h"

#define MAXREF 4096

struct ref {
	const char *key;	/* points into the input copy */
	uint64_t tag;
	void *value;
};

static struct ref ref[MAXREF];
static size_t nref;
static char values[256];	/* the values stored are pointers to these */

/* ref_find - the reference entry of (KEY, TAG), or NULL. */
static struct ref *ref_find(const char *key, uint64_t tag)
{
	for (size_t i = 0; i < nref; i++)
		if (ref[i].tag == tag && !strcmp(ref[i].key, key))
			return &ref[i];
	return NULL;
}

/* count_fn - strmap_each callback: count the visit and check the value is one of ours. */
static void count_fn(void *value, void *arg)
{
	FUZZ_CHECK((char *)value >= values && (char *)value < values + sizeof(values),
		   "a value that was never stored");
	(*(size_t *)arg)++;
}

/* check_all - every reference entry is in M with its value, and M holds no more. */
static void check_all(const struct strmap *m)
{
	size_t n = 0;

	for (size_t i = 0; i < nref; i++)
		FUZZ_CHECK(strmap_get(m, ref[i].key, ref[i].tag) == ref[i].value,
			   "'%s'/%llu lost", ref[i].key, (unsigned long long)ref[i].tag);
	strmap_each(m, count_fn, &n);
	FUZZ_CHECK(n == nref && m->n == nref, "%zu visited, %zu stored, %zu expected", n, m->n,
		   nref);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size + 1), *s = buf, *end = buf + size;
	struct strmap m = { 0 };

	if (!buf)
		abort();
	memcpy(buf, data, size);
	buf[size] = '\0';
	nref = 0;
	while (end - s >= 3) {
		unsigned op = (unsigned char)s[0] % 8;
		uint64_t tag = (unsigned char)s[1] & 3;
		void *value = &values[(unsigned char)s[2]], *old;
		const char *key = s + 3;
		struct ref *r;

		s += 3 + strlen(key) + 1;
		r = ref_find(key, tag);
		if (op <= 3 && !r && nref == MAXREF)
			break;		/* the reference is full (an input of 16 KiB) */
		if (op <= 3) {
			old = strmap_put(&m, key, tag, value);
			FUZZ_CHECK(old == (r ? r->value : NULL), "put '%s' replaced the wrong value", key);
			if (r)
				r->value = value;
			else
				ref[nref++] = (struct ref){ .key = key, .tag = tag, .value = value };
		} else if (op <= 5) {
			FUZZ_CHECK(strmap_get(&m, key, tag) == (r ? r->value : NULL), "get '%s'", key);
		} else if (op == 6) {
			check_all(&m);
		} else {
			strmap_free(&m);
			FUZZ_CHECK(!m.v && !m.n && !m.cap, "not empty after strmap_free");
			nref = 0;
			FUZZ_CHECK(!strmap_get(&m, key, tag), "a value after strmap_free");
		}
	}
	check_all(&m);
	strmap_free(&m);
	free(buf);
	return 0;
}
