/* learn.c - turning observed accesses into profile rules (pure).
 *
 * learn_add() runs once per observed syscall, so entries are found through an open-addressing
 * hash index (linear probing over vector positions) instead of a scan: O(1) amortised.
 *
 * Why the rendered profile is safe:
 *   - a learned path is written literally; a path holding "*" would become a glob that covers
 *     more than was seen, so it is left out (enforce mode then denies it: fail closed);
 *   - a path holding a control character cannot be written as a rule and is left out too;
 *   - rules of the existing profile are kept as written, and a learned rule is never added for an
 *     access that an existing deny rule decides, so learning never punches through a deny.
 */
#include "learn.h"

#include <string.h>

#include "../common/path.h"
#include "../common/util.h"

#define ACC_READS (ACC_READ | ACC_STAT)
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

/* One line of the rendered profile: KIND and the path token as written (escaped). */
struct _line {
	enum rule_kind kind;
	const char *path;
	char *owned;	/* PATH when this module allocated it */
	bool grant;	/* an existing "grant KIND PATH" rule */
};

struct _lines {
	struct _line *v;
	size_t n, cap;
};

/* _lines_add - append a line of KIND for PATH; OWNED (may be NULL) is freed with the lines. */
static void _lines_add(struct _lines *l, enum rule_kind kind, const char *path, char *owned)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 64;
		l->v = xrealloc(l->v, l->cap * sizeof(*l->v));
	}
	l->v[l->n++] = (struct _line){ .kind = kind, .path = path, .owned = owned };
}

/* _lines_free - release L's owned paths and vector. */
static void _lines_free(struct _lines *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i].owned);
	free(l->v);
}

/* _missing - the bits of ACCESS on PATH that EXISTING (may be NULL) neither allows nor denies by
 * an explicit deny rule: the bits a learned rule must add. */
static unsigned _missing(const struct profile *existing, const char *path, unsigned access)
{
	unsigned miss = 0;
	bool made = access & (ACC_WRITE | ACC_CREATE);

	for (unsigned bit = 1; bit <= access; bit <<= 1) {
		const struct rule *r = NULL;

		if (!(access & bit))
			continue;
		/* a tmpfs rule covers what the program makes there, not the host's files it only reads */
		if (existing && policy_decide(existing, path, (enum access)bit, &r) &&
		    (r->kind != RULE_TMPFS || made))
			continue;
		if (r && r->kind == RULE_DENY)
			continue;
		miss |= bit;
	}
	return miss;
}

/* _writable - true when PATH can be written as a literal rule: no glob character and no control
 * character. */
static bool _writable(const char *path)
{
	for (const unsigned char *c = (const unsigned char *)path; *c; c++)
		if (*c == '*' || *c < 0x20 || *c == 0x7f)
			return false;
	return true;
}

/* _learn_entry - add to L the rules entry E needs beyond EXISTING: exec for exec, write for
 * write/create, read for read/stat unless an exec or write rule (which grant read) is added. */
static void _learn_entry(struct _lines *l, const struct learn_entry *e,
			 const struct profile *existing, const char *home, learn_exists_fn exists)
{
	unsigned miss, kinds[3], nk = 0;
	_cleanup_free_ char *abbrev = NULL;

	if (!(e->access & ~(ACC_READS | ACC_EXEC)) && exists && !exists(e->path))
		return;	/* a failed lookup (or exec of a missing file, as in a $PATH search) needs no rule */
	if (!_writable(e->path))
		return;
	miss = _missing(existing, e->path, e->access);
	if (miss & ACC_EXEC)
		kinds[nk++] = RULE_EXEC;
	if (miss & ACC_WRITES)
		kinds[nk++] = RULE_WRITE;
	if ((miss & ACC_READS) && nk == 0)
		kinds[nk++] = RULE_READ;
	if (nk == 0)
		return;
	abbrev = path_home_abbrev(e->path, home);
	for (unsigned i = 0; i < nk; i++) {
		char *p = policy_path_escape(abbrev);

		_lines_add(l, (enum rule_kind)kinds[i], p, p);
	}
}

/* Rendering order of the groups: exec, write, read, deny. */
static const enum rule_kind _group_order[] = { RULE_EXEC, RULE_WRITE, RULE_TMPFS, RULE_READ,
						      RULE_DENY };

/* _group - position of KIND in _group_order. */
static int _group(enum rule_kind kind)
{
	for (size_t i = 0; i < ARRAY_SIZE(_group_order); i++)
		if (_group_order[i] == kind)
			return (int)i;
	return (int)ARRAY_SIZE(_group_order);
}

/* _line_cmp - qsort order of lines: by group, then by path as written. */
static int _line_cmp(const void *a, const void *b)
{
	const struct _line *x = a, *y = b;
	int d = _group(x->kind) - _group(y->kind);

	return d ? d : strcmp(x->path, y->path);
}

/* _put_header - write HEADER (may be NULL) to F as "# " lines, then a blank line. */
static void _put_header(FILE *f, const char *header)
{
	const char *s = header;

	if (!header || !*header)
		return;
	while (*s) {
		size_t len = strcspn(s, "\n");

		if (len)
			fprintf(f, "# %.*s\n", (int)len, s);
		else
			fputs("#\n", f);
		s += len;
		if (*s == '\n')
			s++;
	}
}

/* _put_lines - write the sorted lines L to F, a "# KIND" comment opening each group. */
static void _put_lines(FILE *f, const struct _lines *l)
{
	for (size_t i = 0; i < l->n; i++) {
		const struct _line *ln = &l->v[i];

		if (i == 0 || ln->kind != l->v[i - 1].kind)
			fprintf(f, "\n# %s\n", rule_kind_name(ln->kind));
		fprintf(f, "%s%s %s\n", ln->grant ? "grant " : "", rule_kind_name(ln->kind), ln->path);
	}
}

/* _render - the text of HEADER, EXISTING's include lines, the net line for NET, then the lines L
 * (sorted here).
 * Returns malloc'd. */
static char *_render(struct _lines *l, const char *header, enum net_mode net,
		     const struct profile *existing)
{
	char *text = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&text, &size);

	if (!f)
		die("out of memory");
	if (l->n)
		qsort(l->v, l->n, sizeof(*l->v), _line_cmp);
	_put_header(f, header);
	fputc('\n', f);
	for (size_t i = 0; existing && i < existing->nincludes; i++)
		fprintf(f, "include %s\n", existing->includes[i]);
	fprintf(f, "net %s\n", net_mode_name(net));
	_put_lines(f, l);
	if (fclose(f) != 0)
		die("out of memory");
	return text;
}

char *learn_render(struct learn_set *s, const struct profile *existing, const char *home,
		   learn_exists_fn exists, const char *header, size_t *nrules)
{
	struct _lines l = { 0 };
	char *text;

	learn_finish(s);
	for (size_t i = 0; existing && i < existing->n; i++) {
		const struct rule *r = &existing->rules[i];
		const char *sp = strchr(r->text, ' ');

		if (r->inherited)
			continue;
		if (r->grant && sp)	/* "grant KIND PATH": the path follows the second word */
			sp = strchr(sp + 1, ' ');
		_lines_add(&l, r->kind, sp ? sp + 1 : r->text, NULL);
		l.v[l.n - 1].grant = r->grant;
	}
	for (size_t i = 0; i < s->n; i++)
		_learn_entry(&l, &s->v[i], existing, home, exists);
	text = _render(&l, header, existing && existing->net > s->net ? existing->net : s->net,
		       existing);
	if (nrules)
		*nrules = l.n;
	_lines_free(&l);
	return text;
}

/* _is_loopback - whether the address part of "PROTO ADDR:PORT" is 127.0.0.0/8, ::1 or
 * ::ffff:127.x. */
static bool _is_loopback(const char *addr)
{
	return !strncmp(addr, "127.", 4) || !strncmp(addr, "[::1]", 5) ||
	       !strncmp(addr, "[::ffff:127.", 12);
}

void learn_net(struct learn_set *s, const char *object)
{
	const char *sp = strchr(object, ' ');
	enum net_mode need;

	if (!sp || !strncmp(object, "unix ", 5))
		return;
	need = _is_loopback(sp + 1) ? NET_LOOPBACK : NET_HOST;
	if (need > s->net)
		s->net = need;
}
