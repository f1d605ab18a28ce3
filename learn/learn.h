/* learn.h - turning observed accesses into profile rules (pure).
 *
 * learn.c keeps the set of observed accesses; want.c turns it into wants on a tree of paths
 * (tree.c) and render.c writes them as a profile, generalising with the path classes of
 * classify.c (see doc/supervise.profile.5, LEARNED PROFILES):
 *   - the kind follows the strongest access seen: exec → "exec", write/create → "write",
 *     read/stat → "read"; a path both executed and written gets both rules;
 *   - a created file is a "write" on its directory (the nearest one not created by the run), plus
 *     "exec" there when a created file was executed, unless that directory is "/", a top-level
 *     directory, HOME or above, in a guarded tree or protected: then the rule is on the file;
 *   - a directory that was only looked up gets no rule (the view has it when anything below it is
 *     allowed); one that was opened (listed) gets "read DIR" fenced by "deny DIR/\*", so the
 *     listing works and nothing below it is readable that was not used;
 *   - a directory of which at least LEARN_COLLAPSE_MIN entries were read (opened; a stat does not
 *     count) collapses into one "read DIR" (see learn_collapsible for where it never does), and
 *     so does a directory that was listed and of which that many entries were looked up (a
 *     walk of the tree: ls -l, find, git status);
 *   - LEARN_DATA_MIN or more files read (not written, not executed) directly in the working
 *     directory with one extension EXT are "read $CWD/\*.EXT" (the next run's data files may
 *     have other names); arguments' paths are "@arg" first;
 *   - paths under the working directory are written "$CWD/...", under an XDG base directory
 *     "$XDG_CONFIG_HOME/..." (and the others of enum path_var), under HOME "~/...": the
 *     deepest of these that holds the path names it;
 *     /dev/pts/N is /dev/pts; created names under /tmp, /var/tmp or $XDG_RUNTIME_DIR that no
 *     rule covers give "tmpfs" on that directory; names there that the run used but did not
 *     create, and that look generated (learn_tmp_glob), are written as a glob ("/tmp/tmp.*");
 *   - protected paths (learn_protected) are written only as "grant" lines after a "# WARNING"
 *     comment;
 *   - a path an argument of the run names (learn_args), or one below a directory an argument
 *     names that may be covered as a whole (learn_collapsible), is "read @arg", or "write @arg"
 *     when it was written or created: the next run's arguments get that access instead (not for
 *     exec, protected paths (learn_arg_coverable) or per-run temporary names, which keep their
 *     glob); a created one also gets the rules of a created file (programs replace outputs).
 */
#ifndef SUPERVISE_LEARN_H
#define SUPERVISE_LEARN_H

#include <stdbool.h>
#include <stddef.h>

#include "../common/event.h"
#include "../policy/policy.h"

/* A directory collapses into one rule when this many of its entries were read. */
#define LEARN_COLLAPSE_MIN 4

/* Data files of the working directory: when this many files directly in $CWD, read and neither
 * written nor executed, share one extension EXT, they are "read $CWD/\*.EXT". */
#define LEARN_DATA_MIN 2

struct learn_entry {
	char *path;		/* normalised absolute path */
	unsigned access;	/* OR of ACC_* bits observed */
};

struct learn_set {
	struct learn_entry *v;	/* kept sorted by path after learn_finish() */
	size_t n, cap;
	void *index;		/* private hash index; NULL until first add */
	enum net_mode net;	/* the widest network use seen (learn_net) */
};

/* Where the learned run ran: what "~", "$CWD" and the XDG base directories stand for (their
 * environment values: NULL or relative is unset, the XDG_*_HOME ones then have their defaults
 * below HOME, path_var_dir), and the command line (ARGV[0] the program; NULL-terminated) whose
 * arguments may name files. Any may be NULL. */
struct learn_env {
	const char *home;
	const char *cwd;
	const char *runtime_dir;
	char *const *argv;
	const char *config_home, *data_home, *state_home, *cache_home;
};

/* A path one argument of a command line names (learn_args). */
struct learn_arg {
	char *path;		/* normalised absolute, malloc'd */
	const char *arg;	/* the argument as given (points into the argv) */
	unsigned index;		/* its position in the argv (1 is the first argument) */
};

/* What a path is when the run ends (injected, so that the module stays pure). */
enum learn_ftype {
	LEARN_MISSING,
	LEARN_FILE,	/* anything but a directory, symbolic links included */
	LEARN_DIR,
};

/* learn_stat_fn - the type of PATH now, without following a final symbolic link. */
typedef enum learn_ftype (*learn_stat_fn)(const char *path);

/* learn_net - record a connect to OBJECT ("tcp 127.0.0.1:80", "udp [::1]:53", "unix /x"): any
 * inet endpoint, loopback included (the host's), needs "net host"; unix sockets need no net line. */
void learn_net(struct learn_set *s, const char *object);

/* learn_add - record ACCESS on PATH (normalised absolute). Duplicate paths OR their bits.
 * ACC_CONNECT objects are ignored by this version. */
void learn_add(struct learn_set *s, const char *path, enum access access);

/* learn_find - the entry of S for PATH, or NULL. */
const struct learn_entry *learn_find(const struct learn_set *s, const char *path);

/* learn_finish - sort the entries of S by path (strcmp order) and rebuild the index. learn_render()
 * calls it; learn_add() after it still works but appends out of order. */
void learn_finish(struct learn_set *s);

/* learn_render - the learned profile text: EXISTING's include lines, a "net" line (the existing
 * profile's, widened to what was seen; "none" when neither says more), then the rules, generalised
 * as described above. Rules EXISTING inherited from its includes are not written, but count as
 * covering. EXISTING (may be NULL) is merged in: its rules are kept and learned paths already
 * allowed by it with the needed rights add nothing; an access an existing deny decides adds
 * nothing either (except behind a listing fence, "deny DIR/\*" beside "read DIR"). Entries that were
 * only read, stat'ed or executed and that STAT (may be NULL: everything exists, nothing is a
 * directory) says are missing are dropped (failed lookups need no rule).
 * HEADER (may be NULL) is written as "# " comment lines first. *NRULES receives the rule count.
 * Returns malloc'd text that policy_parse() accepts (with "$CWD" set to ENV->cwd). */
char *learn_render(struct learn_set *s, const struct profile *existing,
		   const struct learn_env *env, learn_stat_fn stat, const char *header,
		   size_t *nrules);

/* learn_count - count entries by kind into the given counters (any may be NULL). */
void learn_count(const struct learn_set *s, size_t *reads, size_t *writes, size_t *execs);

/* learn_free - release everything in S and reset it. */
void learn_free(struct learn_set *s);

/* Path classes (classify.c). PATH is normalised absolute; HOME may be NULL. */

/* learn_protected - the protected root PATH lies at or under (~/.ssh, ~/.gnupg, ~/.aws, ~/.kube,
 * ~/.netrc, ~/.password-store, ~/.local/share/keyrings, ~/.docker, browser profiles), as a
 * malloc'd absolute path, or NULL. */
char *learn_protected(const char *path, const char *home);

/* learn_guarded - PATH is /etc, /proc, /sys, /dev or /run, or lies under one: exact rules only. */
bool learn_guarded(const char *path);

/* learn_collapsible - whether DIR may become a rule covering its subtree (a collapsed tree, or the
 * directory of created files): not "/", not a top-level directory, not HOME or one of its
 * ancestors, not the default XDG base directory of HOME nor above one (~/.config, ~/.cache,
 * ~/.local/share, ~/.local/state: every program's), not guarded, not protected nor an ancestor of a protected root, and not at or above
 * the path of an inherited or tmpfs rule of EXISTING (may be NULL), so that nothing is collapsed
 * above what base already covers. */
bool learn_collapsible(const char *dir, const char *home, const struct profile *existing);

/* learn_abbrev - PATH as written in a profile (not yet escaped), relative to the deepest of these
 * that holds it: "$CWD/..." under ENV->cwd when the working directory is usable
 * (learn_cwd_usable), "$XDG_CONFIG_HOME/..." (and the other XDG variables) under that directory
 * of ENV when it lies neither at nor above HOME nor at the top level (learn_xdg_dir), "~/..."
 * under HOME; else PATH. At equal depth $CWD wins over an XDG form. /dev/pts/N becomes /dev/pts.
 * Returns malloc'd. */
char *learn_abbrev(const char *path, const struct learn_env *env);

/* learn_xdg_dir - the directory the XDG variable V (not PATH_VAR_CWD) stands for in ENV when
 * learn may write paths below it as "$NAME/...": its value or default (path_var_dir), not HOME
 * or above it, not "/" nor a top-level directory. Malloc'd, or NULL. */
char *learn_xdg_dir(const struct learn_env *env, enum path_var v);

/* learn_cwd_usable - CWD may be written as "$CWD": absolute, not "/", not HOME or above it, not
 * guarded and not protected. */
bool learn_cwd_usable(const char *cwd, const char *home);

/* learn_canonical - the path a rule for PATH names: /dev/pts/N → /dev/pts; else a copy. */
char *learn_canonical(const char *path);

/* learn_tmp_root - for a created PATH directly or deeper under /tmp, /var/tmp or RUNTIME_DIR (may
 * be NULL), that directory (static or RUNTIME_DIR); else NULL. */
const char *learn_tmp_root(const char *path, const char *runtime_dir);

/* learn_temp_name_glob - NAME, a file name, with its generated part (mkstemp's XXXXXX, mktemp's
 * "tmp.XXXXXXXXXX", Python's "tmpXXXXXXXX": 6 or more letters, digits or '_' holding a digit
 * or both cases) made "*", a short extension kept: "tmp.n5zk8yRFGE" → "tmp.*",
 * "tmpa8_x3kq1.txt" → "tmp*.txt". NULL when NAME does not look generated or nothing would
 * be left of it but "*". Malloc'd. */
char *learn_temp_name_glob(const char *name);

/* learn_tmp_glob - for PATH under /tmp, /var/tmp or RUNTIME_DIR (learn_tmp_root) whose first
 * component there looks generated (learn_temp_name_glob), PATH with that component globbed
 * (for "/tmp/tmp.n5zk8yRFGE/in.txt" the component becomes "tmp.*"). NULL otherwise. Malloc'd. */
char *learn_tmp_glob(const char *path, const char *runtime_dir);

/* learn_fence - R, a rule of P, is a listing fence: "deny DIR/\*" beside a rule of P on DIR
 * that is not a deny (learned for a directory that was listed: the listing, not its entries). */
bool learn_fence(const struct profile *p, const struct rule *r);

/* learn_args - the paths the arguments ARGV[1..] (NULL-terminated; ARGV may be NULL) may name:
 * each argument as given, made absolute against CWD (NULL: relative ones name nothing) and
 * normalised, or for "--OPT=VALUE" (also "-O=VALUE") its VALUE. Other options (a leading "-"),
 * "-" (standard input) and empty arguments name nothing. Whether the path exists is not asked.
 * Returns the count, *OUT a malloc'd vector (NULL when 0); free with learn_args_free. */
size_t learn_args(char *const *argv, const char *cwd, struct learn_arg **out);

/* learn_args_free - release the N paths of V and V. */
void learn_args_free(struct learn_arg *v, size_t n);

/* learn_arg_filename - the argument ARG (or its --OPT=VALUE) may be a file name to create:
 * not empty, no white space and no shell syntax (quotes, $, ;, |, globs, ...), so that the
 * command string of "sh -c" is not taken for an output. */
bool learn_arg_filename(const char *arg);

/* learn_arg_coverable - an @arg rule may give PATH: it is neither protected (learn_protected)
 * nor above a protected root (as "/" or HOME are). HOME may be NULL. */
bool learn_arg_coverable(const char *path, const char *home);

#endif
