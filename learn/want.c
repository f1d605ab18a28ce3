/* want.c - what a learned profile needs, from the set of observed accesses (pure): each entry
 * becomes wants on the tree of tree.h, beyond what the existing profile gives; render.c writes
 * them as rules merged with the existing profile. The generalisation rules are listed in learn.h.
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
#include "want.h"

#include <string.h>

#include "../common/path.h"
#include "../common/util.h"

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
	struct learn_node *root;
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
		learn_tree_want(c->root, glob, W_READ | W_OPENED);
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
			learn_tree_want(c->root, tmp, W_TMPFS);
		return true;
	}
	if (!learn_collapsible(dir, c->env->home, c->existing))
		return false;
	if (_missing(c->existing, path, need, true))
		learn_tree_want(c->root, dir, W_WRITE | ((acc & ACC_EXEC) ? W_EXEC : 0));
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
			learn_tree_want(c->root, path, W_PROBE);
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
			learn_tree_want(c->root, path, W_LIST);
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
	learn_tree_want(c->root, path, w);
}

/* learn_wants - see want.h. */
unsigned learn_wants(struct learn_node *root, const struct learn_set *s,
		     const struct profile *existing, const struct learn_env *env,
		     learn_stat_fn stat)
{
	struct _ctx c = { .root = root, .s = s, .existing = existing, .env = env, .stat = stat };

	c.nargs = learn_args(env->argv, env->cwd, &c.args);
	_count_data(&c);
	for (size_t i = 0; i < s->n; i++)
		_want_entry(&c, &s->v[i]);
	learn_tree_collapse(root, "/", env->home, existing);
	learn_args_free(c.args, c.nargs);
	for (size_t i = 0; i < c.nexts; i++)
		free(c.exts[i]);
	free(c.exts);
	free(c.next);
	return c.argw;
}
