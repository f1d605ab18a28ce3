/* render.c - a learned profile from the set of observed accesses (pure).
 *
 * The observed paths are first turned into "wants" on a tree of path components (what each path
 * or directory needs), the tree is collapsed bottom-up, and the wants are written as rules merged
 * with the existing profile. The generalisation rules are listed in learn.h.
 *
 * Why the rendered profile is safe:
 *   - a learned path is written literally; a path holding "*" would become a glob that covers
 *     more than was seen, so it is left out (enforce mode then denies it: fail closed);
 *   - a path holding a control character cannot be written as a rule and is left out too;
 *   - rules of the existing profile are kept as written, and a learned rule is never added for an
 *     access that an existing deny rule decides, so learning never punches through a deny (a
 *     listing fence, "deny DIR/\*" beside "read DIR", is learn's own and may be added to);
 *   - a rule that covers a subtree is written only for a directory learn_collapsible() allows,
 *     and a directory that was only listed gets "read DIR" with the fence "deny DIR/\*", so the
 *     listing grants no file below it (the fence rests on the supervisor's check, not the
 *     kernel: the jail binds the directory read-only and noexec);
 *   - protected paths are written only as "grant" lines after a "# WARNING" comment;
 *   - the one glob learn writes of its own, "read $CWD/\*.EXT", is written only for a working
 *     directory learn_cwd_usable allows, for files directly in it that were read (not written,
 *     not executed) and that LEARN_DATA_MIN or more share the extension of; it reads, never
 *     writes, and names no subdirectory's tree ("*" does not cross "/", and a name with no
 *     extension or a dot file never matches);
 *   - "read @arg"/"write @arg" are written only for paths an argument named (or below a
 *     directory one named that learn_collapsible allows), never for a protected argument, and
 *     never for an exec; what they give is decided per run from that run's arguments, with the
 *     same protected-path check (core/args.c).
 */
#include "learn.h"

#include <string.h>

#include "../common/path.h"
#include "../common/util.h"

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

struct _node {
	char *name;		/* one component; "" at the root */
	struct _node **kids;
	size_t nkids, cap;
	unsigned want;
};

/* _kid - the child of N named NAME (length LEN), created when missing. The last child is tried
 * first: paths arrive mostly sorted. */
static struct _node *_kid(struct _node *n, const char *name, size_t len)
{
	struct _node *k;

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

/* _want - add WANT to the node of the normalised absolute PATH under ROOT. */
static void _want(struct _node *root, const char *path, unsigned want)
{
	struct _node *n = root;
	const char *s = path;

	while (*s) {
		size_t len;

		s += strspn(s, "/");
		len = strcspn(s, "/");
		if (!len)
			break;
		n = _kid(n, s, len);
		s += len;
	}
	n->want |= want;
}

/* _tree_free - release N and everything below it. */
static void _tree_free(struct _node *n)
{
	for (size_t i = 0; i < n->nkids; i++) {
		_tree_free(n->kids[i]);
		free(n->kids[i]);
	}
	free(n->kids);
	free(n->name);
}

/* learn_fence - see learn.h. */
bool learn_fence(const struct profile *p, const struct rule *r)
{
	size_t n = strlen(r->pattern);

	if (r->kind != RULE_DENY || n < 3 || strcmp(r->pattern + n - 2, "/*"))
		return false;
	for (size_t i = 0; i < p->n; i++)
		if (p->rules[i].kind != RULE_DENY && strlen(p->rules[i].pattern) == n - 2 &&
		    !strncmp(p->rules[i].pattern, r->pattern, n - 2))
			return true;
	return false;
}

/* _missing - the bits of ACCESS on PATH that EXISTING (may be NULL) neither allows nor denies by
 * an explicit deny rule (a listing fence does not count): the bits a learned rule must add. A
 * tmpfs rule counts only for what the program made (ACCESS has write or create) and HOST is
 * false. */
static unsigned _missing(const struct profile *existing, const char *path, unsigned access,
			 bool host)
{
	unsigned miss = 0;
	bool made = (access & ACC_WRITES) && !host;

	for (unsigned bit = 1; bit <= access; bit <<= 1) {
		const struct rule *r = NULL;

		if (!(access & bit))
			continue;
		/* a tmpfs rule covers what the program makes there, not the host's files it only reads */
		if (existing && policy_decide(existing, path, (enum access)bit, &r) &&
		    (r->kind != RULE_TMPFS || made))
			continue;
		if (r && r->kind == RULE_DENY && !learn_fence(existing, r))
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

/* _parent - the directory of the normalised absolute PATH ("/" for "/x" and "/"). malloc'd. */
static char *_parent(const char *path)
{
	const char *sl = strrchr(path, '/');

	return sl && sl != path ? xstrndup(path, (size_t)(sl - path)) : xstrdup("/");
}

/* Everything _want_entry needs besides the entry. */
struct _ctx {
	struct _node root;
	const struct learn_set *s;
	const struct profile *existing;
	const struct learn_env *env;
	learn_stat_fn stat;
	struct learn_arg *args;	/* the paths the run's arguments name (learn_args) */
	size_t nargs;
	unsigned argw;		/* W_READ, W_WRITE: "read @arg", "write @arg" wanted */
	char **exts;		/* the extensions of data files read in $CWD (_data_ext)... */
	size_t *next, nexts;	/* ...and how many files of each */
};

/* _data_ext - for PATH, a file (type T) in the working directory itself that was read and neither
 * written nor executed (ACC), named NAME.EXT with a non-empty NAME not starting with '.' and EXT
 * 1 to 8 letters or digits: EXT (pointing into PATH). NULL otherwise. */
static const char *_data_ext(const struct _ctx *c, const char *path, unsigned acc,
			     enum learn_ftype t)
{
	const char *cwd = c->env->cwd, *name, *dot;
	size_t n;

	if (t != LEARN_FILE || !(acc & ACC_READ) || (acc & (ACC_WRITES | ACC_EXEC)) ||
	    !learn_cwd_usable(cwd, c->env->home) || !path_is_under(path, cwd) || !strcmp(path, cwd))
		return NULL;
	name = path + strlen(cwd) + 1;	/* not "/": learn_cwd_usable */
	dot = strrchr(name, '.');
	if (strchr(name, '/') || name[0] == '.' || !dot || dot == name)
		return NULL;
	n = strlen(dot + 1);
	if (n < 1 || n > 8 || strspn(dot + 1, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
				     "0123456789") != n)
		return NULL;
	return dot + 1;
}

/* _ext_slot - the index of EXT in C's extension counts, added with count 0 when missing. */
static size_t _ext_slot(struct _ctx *c, const char *ext)
{
	for (size_t i = 0; i < c->nexts; i++)
		if (!strcmp(c->exts[i], ext))
			return i;
	c->exts = xrealloc(c->exts, (c->nexts + 1) * sizeof(*c->exts));
	c->next = xrealloc(c->next, (c->nexts + 1) * sizeof(*c->next));
	c->exts[c->nexts] = xstrdup(ext);
	c->next[c->nexts] = 0;
	return c->nexts++;
}

/* _count_data - count the data files of each extension the run read in the working directory
 * (_data_ext), leaving out those an argument names (they are "@arg"). */
static void _count_data(struct _ctx *c)
{
	for (size_t i = 0; i < c->s->n; i++) {
		const struct learn_entry *e = &c->s->v[i];
		const char *ext = _data_ext(c, e->path, e->access,
					    c->stat ? c->stat(e->path) : LEARN_FILE);
		bool named = false;

		for (size_t j = 0; ext && j < c->nargs && !named; j++)
			named = path_is_under(e->path, c->args[j].path);
		if (ext && !named) {
			size_t k = _ext_slot(c, ext);	/* may move c->next */

			c->next[k]++;
		}
	}
}

/* _want_data - when PATH is a data file of the working directory (_data_ext) whose extension
 * LEARN_DATA_MIN or more such files share, want "read $CWD/\*.EXT" instead of its own rule
 * (returns true). */
static bool _want_data(struct _ctx *c, const char *path, unsigned acc, enum learn_ftype t)
{
	const char *ext = _data_ext(c, path, acc, t);
	_cleanup_free_ char *glob = NULL;

	size_t k = ext ? _ext_slot(c, ext) : 0;	/* may move c->next */

	if (!ext || c->next[k] < LEARN_DATA_MIN)
		return false;
	glob = xasprintf("%s/*.%s", strcmp(c->env->cwd, "/") ? c->env->cwd : "", ext);
	if (_missing(c->existing, glob, ACC_READ, true))
		_want(&c->root, glob, W_READ | W_OPENED);
	return true;
}

/* _want_created - the created PATH (accessed with ACC): nothing when a tmpfs rule gives the
 * temporary root it was made in (/tmp, ...), else "tmpfs" there; otherwise want "write" (and
 * "exec" when ACC has it) on the nearest directory the run did not create, a host directory that
 * the jail must bind writable so that what is made there stays, unless the existing profile
 * already does. Returns false when that directory may not be written as a whole (the caller
 * writes rules on PATH). */
static bool _want_created(struct _ctx *c, const char *path, unsigned acc)
{
	_cleanup_free_ char *dir = _parent(path);
	const char *tmp = learn_tmp_root(path, c->env->runtime_dir);
	const struct learn_entry *e;
	unsigned need = ACC_CREATE | (acc & ACC_EXEC);

	while (strcmp(dir, "/") && (e = learn_find(c->s, dir)) && (e->access & ACC_CREATE)) {
		char *up = _parent(dir);

		free(dir);
		dir = up;
	}
	if (tmp && !strcmp(dir, tmp)) {
		if (_missing(c->existing, path, ACC_CREATE, false))
			_want(&c->root, tmp, W_TMPFS);
		return true;
	}
	if (!learn_collapsible(dir, c->env->home, c->existing))
		return false;
	if (_missing(c->existing, path, need, true))
		_want(&c->root, dir, W_WRITE | ((acc & ACC_EXEC) ? W_EXEC : 0));
	return true;
}

/* _listable - a listing of DIR may be written (read + fence): not "/", HOME or above, nor a
 * guarded root itself. */
static bool _listable(const char *dir, const char *home)
{
	static const char *const roots[] = { "/", "/etc", "/proc", "/sys", "/dev", "/run" };

	for (size_t i = 0; i < ARRAY_SIZE(roots); i++)
		if (!strcmp(dir, roots[i]))
			return false;
	return !(home && home[0] == '/' && path_is_under(home, dir));
}

/* _dir_provided - EXISTING (may be NULL) lets the directory PATH be listed: a rule allows
 * reading it, a tmpfs rule only when it is that private directory itself (below it, a host
 * directory is listed). */
static bool _dir_provided(const struct profile *existing, const char *path)
{
	const struct rule *r = NULL;

	return existing && policy_decide(existing, path, ACC_READ, &r) &&
	       (r->kind != RULE_TMPFS || !strcmp(r->pattern, path));
}

/* _in_own_dirs - PATH lies in the working directory (when "$CWD" is used), in HOME or in an XDG
 * base directory (learn_xdg_dir) that is not itself the temporary root PATH is under (as
 * $XDG_RUNTIME_DIR is), which learn_abbrev writes relative to them: temporary names are not
 * globbed there (a glob would replace a component of that directory's own name). */
static bool _in_own_dirs(const char *path, const struct learn_env *env)
{
	const char *root = learn_tmp_root(path, env->runtime_dir);

	if (env->cwd && learn_cwd_usable(env->cwd, env->home) && path_is_under(path, env->cwd))
		return true;
	for (int v = PATH_VAR_CWD + 1; v < PATH_VAR_N; v++) {
		_cleanup_free_ char *dir = learn_xdg_dir(env, v);

		if (dir && path_is_under(path, dir) && (!root || strcmp(dir, root)))
			return true;
	}
	return env->home && env->home[0] == '/' && path_is_under(path, env->home);
}

/* _covers_created - PATTERN applies to a path of S the run created: a glob on it would be more
 * specific than the tmpfs rule that lets the run make that name, and take its write away. */
static bool _covers_created(const struct learn_set *s, const char *pattern)
{
	for (size_t i = 0; i < s->n; i++)
		if ((s->v[i].access & ACC_CREATE) && policy_pattern_match(pattern, s->v[i].path))
			return true;
	return false;
}

/* _want_arg - whether PATH, accessed with ACC (not an exec), is what an argument of the run
 * names, or lies below a directory an argument names that may be covered as a whole
 * (learn_collapsible: not /usr, HOME, ...): then C wants "write @arg" for a write or create, else
 * "read @arg", unless the existing profile already gives ACC. A protected argument
 * (learn_arg_coverable) names nothing. Returns true when that is all PATH needs; false for a
 * file the run created, which also gets the rules of a created file (write on its directory):
 * programs replace their outputs (unlink and create, rename over it), which a file bound on its
 * own refuses, and the next run may name a new output there. */
static bool _want_arg(struct _ctx *c, const char *path, unsigned acc)
{
	const char *home = c->env->home;

	if (acc & ACC_EXEC)
		return false;
	for (size_t i = 0; i < c->nargs; i++) {
		const char *a = c->args[i].path;

		if (!path_is_under(path, a) || !learn_arg_coverable(a, home) ||
		    (strcmp(path, a) && !learn_collapsible(a, home, c->existing)))
			continue;
		if (_missing(c->existing, path, acc, true))	/* the host's file, not a tmpfs */
			c->argw |= (acc & ACC_WRITES) ? W_WRITE : W_READ;
		return !(acc & ACC_CREATE);
	}
	return false;
}

/* _want_entry - add to C's tree what entry E needs beyond the existing profile. */
static void _want_entry(struct _ctx *c, const struct learn_entry *e)
{
	_cleanup_free_ char *path = learn_canonical(e->path), *glob = NULL;
	enum learn_ftype t = c->stat ? c->stat(e->path) : LEARN_FILE;
	unsigned acc = e->access, miss, w = 0;

	if (!_writable(path))
		return;
	/* a per-run temporary name made by someone else (mktemp in the caller): the next run's
	 * differs, so the rule names them by a glob, which the jail expands when it is built */
	if (!(acc & ACC_CREATE) && !_in_own_dirs(path, c->env) &&
	    (glob = learn_tmp_glob(path, c->env->runtime_dir)) && !_covers_created(c->s, glob)) {
		free(path);
		path = steal_pointer(&glob);
	}
	if (!(acc & ~(ACC_READS | ACC_EXEC)) && t == LEARN_MISSING) {
		/* a failed lookup (or exec of a missing file, as in a $PATH search) needs no rule,
		 * unless a listing fence would turn its ENOENT into EACCES */
		if (_missing(c->existing, path, acc, false))
			_want(&c->root, path, W_PROBE);
		return;
	}
	if (_want_arg(c, path, acc) || _want_data(c, path, acc, t))
		return;
	if ((acc & ACC_CREATE) && _want_created(c, path, acc))
		return;
	miss = _missing(c->existing, path, acc, false);
	if (!miss)
		return;
	if (t == LEARN_DIR && !(miss & (ACC_WRITES | ACC_EXEC))) {
		/* looked up only: the view has it when something below is allowed; listed: fenced */
		if ((acc & ACC_READ) && _listable(path, c->env->home) &&
		    !_dir_provided(c->existing, path))
			_want(&c->root, path, W_LIST);
		return;
	}
	if (miss & ACC_EXEC)
		w |= W_EXEC;
	if (miss & ACC_WRITES)
		w |= W_WRITE;
	if ((miss & ACC_READS) && !w)
		w |= W_READ;
	if (acc & ACC_READ)
		w |= W_OPENED;
	_want(&c->root, path, w);
}

/* _reads_below - N or a node below it wants "read" of content it read (a stat, such as a
 * compiler's probe of the tools beside it, does not count). */
static bool _reads_below(const struct _node *n)
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
static bool _found_below(const struct _node *n)
{
	if (n->want & W_READ)
		return true;
	for (size_t i = 0; i < n->nkids; i++)
		if (_found_below(n->kids[i]))
			return true;
	return false;
}

/* _strip_reads - drop the read and listing wants of N and everything below it. */
static void _strip_reads(struct _node *n)
{
	n->want &= ~(unsigned)(W_READ | W_LIST);
	for (size_t i = 0; i < n->nkids; i++)
		_strip_reads(n->kids[i]);
}

/* _join - PATH/NAME ("/NAME" when PATH is "/" or ""). malloc'd. */
static char *_join(const char *path, const char *name)
{
	return xasprintf("%s/%s", strcmp(path, "/") ? path : "", name);
}

/* _collapse - bottom-up: a directory N (at PATH) of which LEARN_COLLAPSE_MIN entries were read
 * (opened, not only stat'ed) becomes one "read" want, when learn_collapsible() allows it. So does
 * a directory that was listed and of which that many entries were then looked up: a walk of the
 * tree (ls -l, find, du, git status), which needs every entry in the view, where a compiler's
 * probes of the tools beside it list nothing. */
static void _collapse(struct _node *n, const char *path, const struct _ctx *c)
{
	size_t reads = 0;
	bool listed = n->want & W_LIST;

	for (size_t i = 0; i < n->nkids; i++) {
		_cleanup_free_ char *kp = _join(path, n->kids[i]->name);

		_collapse(n->kids[i], kp, c);
		reads += listed ? _found_below(n->kids[i]) : _reads_below(n->kids[i]);
	}
	if (reads < LEARN_COLLAPSE_MIN || (n->want & (W_WRITE | W_TMPFS)) ||
	    !learn_collapsible(path, c->env->home, c->existing))
		return;
	for (size_t i = 0; i < n->nkids; i++)
		_strip_reads(n->kids[i]);
	n->want = (n->want & ~(unsigned)W_LIST) | W_READ | W_OPENED;
}

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
static void _emit(struct _lines *l, const struct _node *n, const char *path, unsigned above,
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
		_cleanup_free_ char *fence_path = _join(path, "*");

		_emit_one(l, RULE_READ, path, env);
		_emit_one(l, RULE_DENY, fence_path, env);
		above = 0;
		fence = true;
	}
	for (size_t i = 0; i < n->nkids; i++) {
		_cleanup_free_ char *kp = _join(path, n->kids[i]->name);

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
	struct _ctx c = { .s = s, .existing = existing, .env = env ? env : &none, .stat = stat };
	struct _lines l = { 0 };
	char *text;

	c.root.name = xstrdup("");
	c.nargs = learn_args(c.env->argv, c.env->cwd, &c.args);
	learn_finish(s);
	_count_data(&c);
	_existing_lines(&l, existing);
	for (size_t i = 0; i < s->n; i++)
		_want_entry(&c, &s->v[i]);
	_collapse(&c.root, "/", &c);
	_emit(&l, &c.root, "/", 0, false, c.env);
	if (c.argw)	/* write gives read too: one line */
		_lines_add(&l, (c.argw & W_WRITE) ? RULE_WRITE : RULE_READ, POLICY_ARG, NULL);
	learn_args_free(c.args, c.nargs);
	for (size_t i = 0; i < c.nexts; i++)
		free(c.exts[i]);
	free(c.exts);
	free(c.next);
	text = _render(&l, header, existing && existing->net > s->net ? existing->net : s->net,
		       existing, nrules);
	_lines_free(&l);
	_tree_free(&c.root);
	return text;
}
