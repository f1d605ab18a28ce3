/* supervise.h - libsupervise: confine the calling process, run one function isolated, or launch a
 * program supervised, from C. See libsupervise(3) and doc/libsupervise.md.
 *
 * Every function returns 0 (or a count) on success and a negative error on failure: -errno, or
 * -SV_E* for the library's own errors. sv_strerror() names either. Nothing is printed and nothing
 * exits the caller. The library keeps one piece of process state, the list of unveiled paths that
 * sv_pledge() consumes; it is guarded by a mutex.
 */
#ifndef SUPERVISE_PUBLIC_H
#define SUPERVISE_PUBLIC_H

#include <stddef.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(SV_BUILDING_LIBRARY)
#define SV_API __attribute__((visibility("default")))
#else
#define SV_API
#endif

/* The library's own errors, returned negated. They lie above every errno value. */
enum sv_error {
	SV_EBASE = 4096,
	SV_ENOLANDLOCK,		/* the kernel has no Landlock (Linux 5.13, lsm=landlock) */
	SV_ELANDLOCKABI,	/* Landlock's ABI cannot enforce every right asked (ABI 3, Linux 6.2) */
	SV_EPROMISE,		/* an unknown promise, or promises that cannot be given */
	SV_ETHREADS,		/* other threads exist, which the confinement would not reach */
	SV_ESETUP,		/* the confined child could not be set up (sv_result.error says why) */
	SV_ECRASHED,		/* the function was killed by a signal (sv_result.signal) */
	SV_EVIOLATION,		/* the function was killed for a refused system call (SV_STRICT) */
	SV_EEXITED,		/* the function ended its process instead of returning */
	SV_ETOOBIG,		/* the function's result exceeds SV_RESULT_MAX */
	SV_ELAST
};

/* Flags. */
#define SV_BEST_EFFORT	0x1u	/* sv_pledge_flags: confine as far as the kernel can, never fail
				 * for a missing kernel feature */
#define SV_KILL		0x2u	/* sv_pledge_flags: a refused system call kills the process
				 * instead of failing with EPERM */
#define SV_STRICT	0x4u	/* sv_policy.flags: the jail's refused system calls kill */

/* The most result bytes sv_run_isolated() keeps. */
#define SV_RESULT_MAX (16u << 20)

/* sv_strerror - a constant description of ERR (negative or positive; an errno value or an
 * SV_E* code). Never NULL. Thread-safe. */
SV_API const char *sv_strerror(int err);

/* sv_unveil - allow PATH (a file or directory, which must exist) with PERMS, a non-empty subset
 * of "rwxc": r read files and list directories, w write and truncate files, x execute, c create,
 * remove, rename and link entries beneath a directory. The rule takes effect at the next
 * sv_pledge(), with Landlock: from then on only unveiled paths can be reached, each with its
 * rights (a rule covers everything beneath its directory). PATH is resolved now.
 * Returns 0, -EINVAL for bad PERMS, -errno when PATH cannot be opened, -ENOMEM. */
SV_API int sv_unveil(const char *path, const char *perms);

/* sv_pledge - confine the calling process, in the process itself and for good: its system calls
 * to the groups its PROMISES name (space separated: stdio rpath wpath cpath dpath fattr chown
 * flock tty inet unix dns proc exec id settime ipc; see libsupervise(3) for the table), failing
 * any other with EPERM, and, if paths were unveiled, its file system to those paths (Landlock).
 * EXECPROMISES must be NULL or equal PROMISES: programs it executes keep the same confinement.
 * Call it before starting threads. Fails closed: Returns 0, or -SV_EPROMISE (unknown promise),
 * -SV_ETHREADS, -SV_ENOLANDLOCK / -SV_ELANDLOCKABI (unveils the kernel cannot enforce), -EINVAL
 * for EXECPROMISES, or -errno from the kernel; on error nothing was applied. */
SV_API int sv_pledge(const char *promises, const char *execpromises);

/* sv_pledge_flags - sv_pledge() with FLAGS: SV_BEST_EFFORT (apply the Landlock rights the kernel
 * knows, or none without Landlock), SV_KILL (refused calls kill the process). */
SV_API int sv_pledge_flags(const char *promises, const char *execpromises, unsigned flags);

/* A profile for sv_run_isolated() and sv_launch(), in the language of supervise.profile(5).
 * Zero-initialise it, then set PROFILE (the text) or NAME (a profile in the database, or a
 * file path when it contains '/' or ends in ".profile"). */
struct sv_policy {
	const char *profile;	/* the profile's text; includes are looked up as supervise does */
	const char *name;	/* when PROFILE is NULL: a stored profile's name or a file */
	const char *db;		/* the database; NULL: as supervise ($SUPERVISE_DB, XDG, HOME) */
	unsigned flags;		/* SV_STRICT */
};

/* What sv_run_isolated() brings back. Free with sv_result_free(). */
struct sv_result {
	void *data;		/* the bytes the function wrote to its fd (malloc'd, NUL-terminated) */
	size_t len;		/* how many */
	int ret;		/* the function's return value (when it returned) */
	int status;		/* the child's exit status: 0 when the function returned */
	int signal;		/* the signal that killed the function, or 0 */
	char error[512];	/* why the child could not be set up, or "" */
};

/* sv_fn - a function to run isolated: ARG as given, FD a pipe to write its result bytes to.
 * Its return value comes back in sv_result.ret. */
typedef int (*sv_fn)(void *arg, int fd);

/* sv_run_isolated - run FN(ARG, fd) in a child confined by POLICY: its own user, mount, pid, ipc,
 * uts and (unless the profile says "net") network namespaces, a file system view built from the
 * profile, no capabilities, and the profile's syscall list. The child's stdin, stdout and stderr
 * are the caller's; no other descriptor is passed. Waits for it and fills *RESULT (zeroed first).
 * Returns 0 when FN returned; otherwise an error, with what is known in *RESULT: -SV_ESETUP (the
 * profile or the jail failed: RESULT->error), -SV_ECRASHED (RESULT->signal), -SV_EVIOLATION,
 * -SV_EEXITED (RESULT->status), -SV_ETOOBIG, -EINVAL, -errno. The caller is never harmed. */
SV_API int sv_run_isolated(sv_fn fn, void *arg, const struct sv_policy *policy,
			   struct sv_result *result);

/* sv_result_free - free RESULT's data; safe on a zeroed or already freed result. */
SV_API void sv_result_free(struct sv_result *result);

/* Options of sv_launch(); zero-initialise. */
struct sv_launch_opts {
	unsigned flags;		/* SV_STRICT */
	int no_jail;		/* enforce with the supervisor's check only (supervise --no-jail) */
	int verbose;		/* supervise's notices and each denial on the stderr pipe */
	unsigned kill_after_ms;	/* as supervise --kill-after */
};

/* A launched program: its supervisor's pid and the caller's ends of its stdio pipes. */
struct sv_proc {
	pid_t pid;		/* the supervisor (supervise --enforce), parent of the program */
	int stdin_fd;		/* write end of the program's stdin */
	int stdout_fd;		/* read end of its stdout */
	int stderr_fd;		/* read end of its stderr (also the supervisor's messages) */
};

/* sv_launch - what "supervise --enforce PROFILE ARGV..." does: run ARGV (ARGV[0] searched in
 * $PATH) under the supervisor and the jail of POLICY, logging to the database supervise uses
 * (POLICY->db, else the same default), with pipes for stdin, stdout and stderr. *PROC is
 * malloc'd; sv_wait() frees it. Returns 0, -EINVAL, or -errno (pipes, fork). */
SV_API int sv_launch(char *const argv[], const struct sv_policy *policy,
		     const struct sv_launch_opts *opts, struct sv_proc **proc);

/* sv_wait - close stdin, read what is left on the stdout and stderr pipes to their ends and throw
 * it away (read what you want first; set a field to -1 if you closed it yourself), wait for PROC
 * to end, free PROC, and set *STATUS to what
 * supervise would exit with: the program's status, 128+N for signal N, 125 when supervision
 * failed (the reason is on the stderr pipe), 126/127 when it cannot be executed or found.
 * Returns 0 or -errno (then PROC is still freed). */
SV_API int sv_wait(struct sv_proc *proc, int *status);

#ifdef __cplusplus
}
#endif

#endif
