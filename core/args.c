/* args.c - "read @arg" and "write @arg": the files a user names on the command line (args.h).
 *
 * Typing a file name is the user choosing that file, as a file-open dialog's grant is, so an
 * argument gets the access the profile's @arg rules give, for this run only. Why this is safe:
 *   - only paths the arguments of this run name are given (learn_args: as given, relative to the
 *     working directory, or the VALUE of --OPT=VALUE); the rules are literal paths, bound into
 *     the view like any other rule before the program starts, and nothing appears later;
 *   - a path is given with where its links lead (both must be allowed, as for every access), and
 *     a protected path (~/.ssh, keyrings, ...) or an ancestor of one ("/", HOME) is refused,
 *     whether named or reached through a link, unless a rule of the profile allows it itself;
 *   - an explicit deny of the profile still decides: an argument it denies gets no rule (a
 *     listing fence, "deny DIR/\*" beside "read DIR", is no such deny: it keeps a listing from
 *     giving the entries, not the user from naming one);
 *   - a missing output is created empty, with O_EXCL and O_NOFOLLOW, in a directory that exists,
 *     so only that one name becomes writable (never its directory), and it is removed at the end
 *     unless the program opened it to truncate or wrote it.
 */
#include "args.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../common/path.h"
#include "../common/util.h"
#include "../learn/learn.h"

/* _arg_rights - the union of the rights of P's @arg rules (0: none). */
static unsigned _arg_rights(const struct profile *p)
{
	unsigned r = 0;

	for (size_t i = 0; i < p->n; i++)
		if (p->rules[i].arg)
			r |= policy_rights(p->rules[i].kind);
	return r;
}

/* _add - a rule like each of the first N rules of P that is an @arg rule, on PATH. */
static void _add(struct profile *p, size_t n, const char *path)
{
	for (size_t i = 0; i < n; i++)
		if (p->rules[i].arg)
			policy_add_match(p, &p->rules[i], path);
}

/* _refused - whether the argument A (naming PATH, which leads to CANON) may get no rule: it is
 * protected or above a protected root, or an explicit deny of P decides it. Says why (unless
 * QUIET), except when a rule of P allows the access itself (a grant line). */
static bool _refused(const struct profile *p, const struct learn_arg *a, const char *canon,
		     const char *home, bool quiet)
{
	const char *bad = !learn_arg_coverable(a->path, home) ? a->path
			  : !learn_arg_coverable(canon, home) ? canon : NULL;
	const struct rule *r = NULL;
	_cleanup_free_ char *shown = NULL;
	/* a tmpfs rule gives a private directory, never the host's file */
	bool ok = policy_decide(p, canon, ACC_READ, &r) && r->kind != RULE_TMPFS;

	bool denied = r && r->kind == RULE_DENY && !learn_fence(p, r);

	if (!bad && !denied)
		return false;
	if (ok || quiet)	/* the profile decides it itself */
		return true;
	if (denied) {
		errx("argument %u '%s': %s is denied by rule \"%s\" (line %u); @arg does not give it",
		     a->index, a->arg, canon, r->text, r->line);
		return true;
	}
	shown = path_home_abbrev(bad, home);
	errx("argument %u '%s' names the protected %s: @arg rules never give it; a line \"grant read "
	     "%s\" in the profile would, if the program must use it", a->index, a->arg, bad, shown);
	return true;
}

/* _allowed - a rule of P that is not a tmpfs one (a private directory) already lets PATH be
 * created: the view has its directory writable, so nothing need be made. */
static bool _allowed(const struct profile *p, const char *path)
{
	const struct rule *r = NULL;

	return policy_decide(p, path, ACC_CREATE, &r) && r->kind != RULE_TMPFS;
}

/* _create - create the missing output PATH empty (0666 less the umask, never through a link, not
 * if it appeared meanwhile) and record it in MADE. Returns false, having said why, when not. */
static bool _create(const struct learn_arg *a, struct args_made *made)
{
	_cleanup_close_ int fd = open(a->path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
				      0666);
	struct stat st;

	if (fd < 0 || fstat(fd, &st) < 0) {
		errx("argument %u '%s': cannot create %s for write @arg: %s", a->index, a->arg,
		     a->path, strerror(errno));
		return false;
	}
	made->v = xrealloc(made->v, (made->n + 1) * sizeof(*made->v));
	made->v[made->n++] = (struct args_made_file){ .path = xstrdup(a->path), .dev = st.st_dev,
						      .ino = st.st_ino, .ctime = st.st_ctim };
	info("created %s for write @arg (argument %u)", a->path, a->index);
	return true;
}

/* _canon_missing - for the missing PATH, its parent's real path joined with its last component,
 * when the parent is a directory; else NULL. malloc'd. */
static char *_canon_missing(const char *path)
{
	_cleanup_free_ char *dir = xstrdup(path);
	char *slash = strrchr(dir, '/'), real[PATH_MAX];
	struct stat st;

	if (!slash || !slash[1])
		return NULL;
	*slash = 0;
	if (!realpath(*dir ? dir : "/", real) || stat(real, &st) < 0 || !S_ISDIR(st.st_mode))
		return NULL;
	return xasprintf("%s/%s", strcmp(real, "/") ? real : "", slash + 1);
}

/* _expand_one - give the argument A what P's first N rules' @arg rules (RIGHTS together) give,
 * as args_expand says. */
static void _expand_one(struct profile *p, size_t n, unsigned rights, const struct learn_arg *a,
			const char *home, bool create, bool quiet, struct args_made *made)
{
	char real[PATH_MAX];
	_cleanup_free_ char *canon = NULL;
	struct stat st;
	bool exists = lstat(a->path, &st) == 0;

	if (exists && !realpath(a->path, real))
		return;	/* a link to nowhere: writing it would make a file elsewhere */
	canon = exists ? xstrdup(real) : (rights & ACC_CREATE) ? _canon_missing(a->path) : NULL;
	if (!canon || _refused(p, a, canon, home, quiet))
		return;
	if (!exists && create && !_allowed(p, a->path) && (!learn_arg_filename(a->arg) ||
							     !_create(a, made)))
		return;
	_add(p, n, a->path);
	if (strcmp(canon, a->path))
		_add(p, n, canon);
}

void args_expand(struct profile *p, char *const *argv, const char *cwd, const char *home,
		 bool create, bool quiet, struct args_made *made)
{
	unsigned rights = _arg_rights(p);
	struct learn_arg *args = NULL;
	size_t nargs, n = p->n;

	if (!rights)
		return;
	nargs = learn_args(argv, cwd, &args);
	for (size_t i = 0; i < nargs; i++) {
		bool dup = false;

		for (size_t j = 0; j < i && !dup; j++)
			dup = !strcmp(args[i].path, args[j].path);
		if (!dup)
			_expand_one(p, n, rights, &args[i], home, create, quiet, made);
	}
	learn_args_free(args, nargs);
}

void args_cleanup(struct args_made *made)
{
	for (size_t i = 0; i < made->n; i++) {
		const struct args_made_file *f = &made->v[i];
		struct stat st;

		if (lstat(f->path, &st) == 0 && S_ISREG(st.st_mode) && st.st_dev == f->dev &&
		    st.st_ino == f->ino && st.st_size == 0 && st.st_ctim.tv_sec == f->ctime.tv_sec &&
		    st.st_ctim.tv_nsec == f->ctime.tv_nsec)
			(void)unlink(f->path);
		free(made->v[i].path);
	}
	free(made->v);
	*made = (struct args_made){ 0 };
}
