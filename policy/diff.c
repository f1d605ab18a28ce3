/* diff.c - the lines two profiles do not share (pure). See diff.h.
 *
 * Each profile's own lines become items with an identity (what equality compares) and a sort
 * key; both lists are sorted by identity and deduplicated, one merge walk keeps the items found on
 * one side only, and those are sorted for display. "syscalls" lines are the exception: their
 * tokens apply in order, so they are diffed as sequences (_sys_diff).
 */
#include "diff.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/util.h"

/* The kinds of line, in the order policy_render() writes them: the first sort key. */
enum _group {
	_G_INCLUDE,
	_G_NET,
	_G_NETRULE,
	_G_SYSCALLS,
	_G_RULE,
};

/* One line of a profile. */
struct _item {
	enum _group group;
	char *id;	/* what equality compares: the text, or a rule's kind and pattern */
	char *order;	/* the sort key within the group: the text, or a rule's pattern */
	char *text;	/* the line as written */
	size_t seq;	/* position in its profile's list, to keep the first of repeated lines */
	char sign;	/* once chosen: '-' (only in A) or '+' (only in B) */
};

struct _items {
	struct _item *v;
	size_t n, cap;
};

/* _push - append an item of GROUP to S, taking ownership of ID, ORDER and TEXT. */
static void _push(struct _items *s, enum _group group, char *id, char *order, char *text)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 32;
		s->v = xrealloc(s->v, s->cap * sizeof(*s->v));
	}
	s->v[s->n] = (struct _item){
		.group = group, .id = id, .order = order, .text = text, .seq = s->n,
	};
	s->n++;
}

/* _push_text - append an item of GROUP compared and sorted by its TEXT (copied). */
static void _push_text(struct _items *s, enum _group group, const char *text)
{
	_push(s, group, xstrdup(text), xstrdup(text), xstrdup(text));
}

/* _collect - P's own lines into S: include lines, the net line if P has one, its own network
 * rules and its own rules (inherited ones left out). */
static void _collect(const struct profile *p, struct _items *s)
{
	for (size_t i = 0; i < p->nincludes; i++) {
		_cleanup_free_ char *t = xasprintf("include %s", p->includes[i]);

		_push_text(s, _G_INCLUDE, t);
	}
	if (p->net_line)	/* one per profile: sorted alike, so that "-" comes before "+" */
		_push(s, _G_NET, xasprintf("net %s", net_mode_name(p->net)), xstrdup("net"),
		      xasprintf("net %s", net_mode_name(p->net)));
	for (size_t i = 0; i < p->nnet; i++)
		if (!p->netrules[i].inherited)
			_push_text(s, _G_NETRULE, p->netrules[i].text);
	for (size_t i = 0; i < p->n; i++) {
		const struct rule *r = &p->rules[i];

		if (r->inherited)
			continue;
		_push(s, _G_RULE, xasprintf("%s%s %s", r->grant ? "grant " : "",
					    rule_kind_name(r->kind), r->pattern),
		      xstrdup(r->pattern), xstrdup(r->text));
	}
}

/* _item_clear - free what IT owns. */
static void _item_clear(struct _item *it)
{
	free(it->id);
	free(it->order);
	free(it->text);
}

/* _items_free - free S and what its items own. */
static void _items_free(struct _items *s)
{
	for (size_t i = 0; i < s->n; i++)
		_item_clear(&s->v[i]);
	free(s->v);
	*s = (struct _items){ 0 };
}

/* _cmp_id - qsort order of two items (struct _item *) by group, then identity; 0 means the same
 * line. */
static int _cmp_id(const void *pa, const void *pb)
{
	const struct _item *a = pa, *b = pb;

	if (a->group != b->group)
		return a->group < b->group ? -1 : 1;
	return strcmp(a->id, b->id);
}

/* _cmp_seq - qsort order of two items (struct _item *) by identity (_cmp_id), then position. */
static int _cmp_seq(const void *pa, const void *pb)
{
	const struct _item *a = pa, *b = pb;
	int c = _cmp_id(a, b);

	if (c)
		return c;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/* _cmp_show - qsort order of two chosen items (const struct _item **) for display: group, sort key,
 * removed before added, then text (then identity, so that the order is total). */
static int _cmp_show(const void *pa, const void *pb)
{
	const struct _item *a = *(const struct _item *const *)pa;
	const struct _item *b = *(const struct _item *const *)pb;
	int c;

	if (a->group != b->group)
		return a->group < b->group ? -1 : 1;
	if ((c = strcmp(a->order, b->order)))
		return c;
	if (a->sign != b->sign)
		return a->sign == '-' ? -1 : 1;
	if ((c = strcmp(a->text, b->text)))
		return c;
	return strcmp(a->id, b->id);
}

/* _sort_unique - sort S by identity and drop repeated lines, keeping the first written (which
 * decides how the line is shown: "read ~/x" or "read /home/u/x"). */
static void _sort_unique(struct _items *s)
{
	size_t k = 0;

	if (s->n)
		qsort(s->v, s->n, sizeof(*s->v), _cmp_seq);
	for (size_t i = 0; i < s->n; i++) {
		if (k && _cmp_id(&s->v[k - 1], &s->v[i]) == 0) {
			_item_clear(&s->v[i]);
			continue;
		}
		s->v[k++] = s->v[i];
	}
	s->n = k;
}

/* _only - walk A and B (each sorted by identity, without repeats) together and collect pointers
 * to the items found on one side only into CHOSEN (room for A->n + B->n), marking each with its
 * sign. Returns how many. */
static size_t _only(struct _items *a, struct _items *b, struct _item **chosen)
{
	size_t i = 0, j = 0, n = 0;

	while (i < a->n || j < b->n) {
		int c = i == a->n ? 1 : j == b->n ? -1 : _cmp_id(&a->v[i], &b->v[j]);

		if (c == 0) {
			i++;
			j++;
		} else if (c < 0) {
			a->v[i].sign = '-';
			chosen[n++] = &a->v[i++];
		} else {
			b->v[j].sign = '+';
			chosen[n++] = &b->v[j++];
		}
	}
	return n;
}

/* _sys_own - the index of P's first own "syscalls" token: the included ones come first. */
static size_t _sys_own(const struct profile *p)
{
	size_t i = 0;

	while (i < p->nsys && p->sys[i].inherited)
		i++;
	return i;
}

/* _sys_lines - P's own "syscalls" lines as policy_render_syscalls() writes them, the tokens of
 * one source line joined: "syscalls @default -uname". Returns a malloc'd array of malloc'd
 * strings (NULL when there are none), its length in *N. */
static char **_sys_lines(const struct profile *p, size_t *n)
{
	_cleanup_free_ char *text = policy_render_syscalls(p);
	char **v = NULL;

	*n = 0;
	for (const char *s = text; *s;) {
		size_t len = strcspn(s, "\n");

		v = xrealloc(v, (*n + 1) * sizeof(*v));
		v[(*n)++] = xstrndup(s, len);
		s += len + (s[len] == '\n');
	}
	return v;
}

/* _lines_free - free the N strings of V and V. */
static void _lines_free(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* _sys_same - A's and B's own "syscalls" tokens are the same sequence, however they are split
 * into lines: the same allowlist. */
static bool _sys_same(const struct profile *a, const struct profile *b)
{
	size_t ia = _sys_own(a), ib = _sys_own(b);

	if (a->nsys - ia != b->nsys - ib)
		return false;
	for (; ia < a->nsys; ia++, ib++)
		if (strcmp(a->sys[ia].tok, b->sys[ib].tok))
			return false;
	return true;
}

/* _sys_push - append to S the "syscalls" line TEXT (copied) with SIGN, in the order of S: its sort
 * key is its position, zero-padded. */
static void _sys_push(struct _items *s, char sign, const char *text)
{
	_push(s, _G_SYSCALLS, xstrdup(text), xasprintf("%08zu", s->n), xstrdup(text));
	s->v[s->n - 1].sign = sign;
}

/* _sys_diff - the "syscalls" lines into S, signed. Their tokens apply in order, so they are not
 * compared as a set like the other lines: nothing when the token sequences are equal, else the
 * shortest edit script (longest common subsequence) from A's lines to B's, in order. */
static void _sys_diff(const struct profile *a, const struct profile *b, struct _items *s)
{
	size_t na, nb, i = 0, j = 0;
	char **la, **lb;
	size_t *l;

	if (_sys_same(a, b))
		return;
	la = _sys_lines(a, &na);
	lb = _sys_lines(b, &nb);
	l = xcalloc((na + 1) * (nb + 1), sizeof(*l));	/* l[i][j]: LCS of la[i..], lb[j..] */
#define L(i, j) l[(i) * (nb + 1) + (j)]
	for (size_t x = na; x-- > 0;)
		for (size_t y = nb; y-- > 0;)
			L(x, y) = !strcmp(la[x], lb[y]) ? L(x + 1, y + 1) + 1
				: L(x + 1, y) > L(x, y + 1) ? L(x + 1, y) : L(x, y + 1);
	while (i < na || j < nb) {
		if (i < na && j < nb && !strcmp(la[i], lb[j])) {
			i++;
			j++;
		} else if (j == nb || (i < na && L(i + 1, j) >= L(i, j + 1))) {
			_sys_push(s, '-', la[i++]);
		} else {
			_sys_push(s, '+', lb[j++]);
		}
	}
#undef L
	free(l);
	_lines_free(la, na);
	_lines_free(lb, nb);
}

size_t policy_diff(const struct profile *a, const struct profile *b, struct policy_diff *out)
{
	struct _items ia = { 0 }, ib = { 0 }, is = { 0 };
	_cleanup_free_ struct _item **chosen = NULL;
	size_t n;

	_collect(a, &ia);
	_collect(b, &ib);
	_sort_unique(&ia);
	_sort_unique(&ib);
	_sys_diff(a, b, &is);
	chosen = xcalloc(ia.n + ib.n + is.n + 1, sizeof(*chosen));
	n = _only(&ia, &ib, chosen);
	for (size_t k = 0; k < is.n; k++)
		chosen[n++] = &is.v[k];
	if (n)
		qsort(chosen, n, sizeof(*chosen), _cmp_show);
	out->v = xrealloc(out->v, (out->n + n + 1) * sizeof(*out->v));
	for (size_t k = 0; k < n; k++)
		out->v[out->n++] = (struct policy_diff_line){
			.sign = chosen[k]->sign, .text = xstrdup(chosen[k]->text),
		};
	_items_free(&ia);
	_items_free(&ib);
	_items_free(&is);
	return n;
}

char *policy_diff_render(const struct policy_diff *d, const char *label_a, const char *label_b)
{
	char *text = NULL;
	size_t size = 0;
	FILE *f;

	if (d->n == 0)
		return xstrdup("");
	f = open_memstream(&text, &size);
	if (!f)
		die("out of memory");
	fprintf(f, "--- %s\n+++ %s\n", label_a, label_b);
	for (size_t i = 0; i < d->n; i++)
		fprintf(f, "%c %s\n", d->v[i].sign, d->v[i].text);
	if (fclose(f) != 0)
		die("out of memory");
	return text;
}

void policy_diff_free(struct policy_diff *d)
{
	for (size_t i = 0; i < d->n; i++)
		free(d->v[i].text);
	free(d->v);
	*d = (struct policy_diff){ 0 };
}
