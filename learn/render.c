/* render.c - a learned profile as text (pure): the wants of the tree (want.c) as rules, the
 * existing profile's own rules kept as written, sorted into groups, one "# KIND" comment each.
 *
 * Why the rendered text is safe (the rest of the list, on what is wanted, is in want.c):
 *   - rules of the existing profile are written as they were (never widened);
 *   - a listing is written as "read DIR" with the fence "deny DIR/\*" beside it, so it grants no
 *     file below DIR;
 *   - protected paths are written only as "grant" lines after a "# WARNING" comment.
 */
#include "learn.h"

#include <stdio.h>
#include <string.h>

#include "../common/util.h"
#include "tree.h"
#include "want.h"

/* One line of the rendered profile: KIND and the path token as written (escaped). */
struct _line {
	enum rule_kind kind;
	const char *path;
	char *owned;	/* PATH when this module allocated it */
	bool grant;	/* "grant KIND PATH" */
	bool warn;	/* a protected path: a WARNING comment goes before it */
};

struct _lines {
	struct _line *v;
	size_t n, cap;
};

/* _lines_add - append a line of KIND for PATH; OWNED (may be NULL) is freed with the lines. */
static struct _line *_lines_add(struct _lines *l, enum rule_kind kind, const char *path,
				char *owned)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 64;
		l->v = xrealloc(l->v, l->cap * sizeof(*l->v));
	}
	l->v[l->n] = (struct _line){ .kind = kind, .path = path, .owned = owned };
	return &l->v[l->n++];
}

/* _lines_free - release L's owned paths and vector. */
static void _lines_free(struct _lines *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i].owned);
	free(l->v);
}

/* _rights - the access bits the rights wants W grant. */
static unsigned _rights(unsigned w)
{
	return ((w & W_READ) ? ACC_READS : 0) | ((w & W_WRITE) ? ACC_READS | ACC_WRITES : 0) |
	       ((w & W_EXEC) ? ACC_READS | ACC_EXEC : 0);
}

/* _emit_one - lines of KIND for the absolute PATH: written with learn_abbrev, escaped, as a
 * warned grant when protected. */
static void _emit_one(struct _lines *l, enum rule_kind kind, const char *path,
		      const struct learn_env *env)
{
	_cleanup_free_ char *abbrev = learn_abbrev(path, env), *prot = NULL;
	char *p = policy_path_escape(abbrev);
	struct _line *ln = _lines_add(l, kind, p, p);

	prot = kind == RULE_DENY || kind == RULE_TMPFS ? NULL : learn_protected(path, env->home);
	ln->grant = ln->warn = prot != NULL;
}

/* _emit - write the wants of N (at PATH) and below into L. ABOVE: the rights wants of the nearest
 * rule written above N (a deeper rule replaces it, so N's rule carries them on; a want they
 * already grant is not written). FENCED: N's directory was written with a listing fence, so a
 * missing path looked up there gets a read rule (the fence would answer EACCES, not ENOENT). */
static void _emit(struct _lines *l, const struct learn_node *n, const char *path, unsigned above,
		  bool fenced, const struct learn_env *env)
{
	unsigned w = n->want & W_RIGHTS;
	bool fence = false;

	if (fenced && n->want == W_PROBE && !n->nkids)
		w = W_READ;	/* behind the fence of its directory: keeps the lookup's ENOENT */
	if (n->want & W_TMPFS) {
		_emit_one(l, RULE_TMPFS, path, env);
		above = 0;
	} else if (w && (_rights(w) & ~_rights(above))) {
		w |= above;
		if (w & W_EXEC)
			_emit_one(l, RULE_EXEC, path, env);
		if (w & W_WRITE)
			_emit_one(l, RULE_WRITE, path, env);
		if ((w & W_READ) && !(w & (W_EXEC | W_WRITE)))
			_emit_one(l, RULE_READ, path, env);
		above = w;
	} else if ((n->want & W_LIST) && !(_rights(above) & ACC_READ)) {
		_cleanup_free_ char *fence_path = learn_tree_path(path, "*");

		_emit_one(l, RULE_READ, path, env);
		_emit_one(l, RULE_DENY, fence_path, env);
		above = 0;
		fence = true;
	}
	for (size_t i = 0; i < n->nkids; i++) {
		_cleanup_free_ char *kp = learn_tree_path(path, n->kids[i]->name);

		_emit(l, n->kids[i], kp, above, fence, env);
	}
}

/* Rendering order of the groups: exec, write, tmpfs, read, deny. */
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

/* _put_header - write HEADER (may be NULL) to F as "# " lines. */
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

/* _put_lines - write the sorted lines L to F, a "# KIND" comment opening each group, a warning
 * before each protected grant. Identical lines are written once. Returns the count written. */
static size_t _put_lines(FILE *f, const struct _lines *l)
{
	size_t n = 0;

	for (size_t i = 0; i < l->n; i++) {
		const struct _line *ln = &l->v[i];

		if (i > 0 && ln->kind == l->v[i - 1].kind && !strcmp(ln->path, l->v[i - 1].path))
			continue;
		if (i == 0 || ln->kind != l->v[i - 1].kind)
			fprintf(f, "\n# %s\n", rule_kind_name(ln->kind));
		if (ln->warn)
			fprintf(f, "# WARNING: protected path, visible only from its first use; "
				   "remove unless the program must use it\n");
		fprintf(f, "%s%s %s\n", ln->grant ? "grant " : "", rule_kind_name(ln->kind), ln->path);
		n++;
	}
	return n;
}

/* _render - the text of HEADER, EXISTING's include lines, the net line for NET, then the lines L
 * (sorted here); *NRULES gets the rule count. Returns malloc'd. */
static char *_render(struct _lines *l, const char *header, enum net_mode net,
		     const struct profile *existing, size_t *nrules)
{
	char *text = NULL;
	size_t size = 0, n;
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
	n = _put_lines(f, l);
	if (fclose(f) != 0)
		die("out of memory");
	if (nrules)
		*nrules = n;
	return text;
}

/* _existing_lines - EXISTING's own rules (not the inherited ones) as lines of L. */
static void _existing_lines(struct _lines *l, const struct profile *existing)
{
	for (size_t i = 0; existing && i < existing->n; i++) {
		const struct rule *r = &existing->rules[i];
		const char *sp = strchr(r->text, ' ');

		if (r->inherited)
			continue;
		if (r->grant && sp)	/* "grant KIND PATH": the path follows the second word */
			sp = strchr(sp + 1, ' ');
		_lines_add(l, r->kind, sp ? sp + 1 : r->text, NULL)->grant = r->grant;
	}
}

char *learn_render(struct learn_set *s, const struct profile *existing,
		   const struct learn_env *env, learn_stat_fn stat, const char *header,
		   size_t *nrules)
{
	static const struct learn_env none = { 0 };
	struct learn_node root = { .name = xstrdup("") };
	struct _lines l = { 0 };
	unsigned argw;
	char *text;

	if (!env)
		env = &none;
	learn_finish(s);
	argw = learn_wants(&root, s, existing, env, stat);
	_existing_lines(&l, existing);
	_emit(&l, &root, "/", 0, false, env);
	if (argw)	/* write gives read too: one line */
		_lines_add(&l, (argw & W_WRITE) ? RULE_WRITE : RULE_READ, POLICY_ARG, NULL);
	text = _render(&l, header, existing && existing->net > s->net ? existing->net : s->net,
		       existing, nrules);
	_lines_free(&l);
	learn_tree_free(&root);
	return text;
}
