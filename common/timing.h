/* timing.h - --timings: how long supervise's start-up phases take, printed at exit.
 *
 * Phases are measured with CLOCK_MONOTONIC (one clock for every process and namespace of the
 * run) into one MAP_SHARED anonymous page made by timing_init() before any fork, so that the
 * forked child, the jail's C and I and the command's process before execve write into the
 * page the supervisor prints from. Without --timings nothing is mapped and every call below
 * is one test of a NULL pointer.
 *
 * Other modules may print their own measurements through the same printer with timing_add()
 * (for example per-trap costs: trap.receive, trap.read, trap.resolve, trap.decide, trap.log,
 * trap.reply), guarded by timing_on() so that they measure nothing when the flag is off.
 */
#ifndef SUPERVISE_TIMING_H
#define SUPERVISE_TIMING_H

#include <stdbool.h>
#include <stdint.h>

/* The phases, in the order they are printed. A phase may be entered several times (the DB is
 * opened, then the run recorded, then the writer started): the times add up. */
enum timing_phase {
	TIMING_TOTAL,		/* startup.total: main() to the command's execve call */
	TIMING_DB,		/* startup.db: opening the DB, recording the run, the writer */
	TIMING_PROFILE,		/* startup.profile: load, parse, includes, glob expansion */
	TIMING_FILTER,		/* startup.filter: building the seccomp filter (backend prepare) */
	TIMING_FORK,		/* startup.fork: fork() in S until the child runs */
	TIMING_NAMESPACES,	/* startup.namespaces: unshare, id maps, the jail's forks */
	TIMING_VIEW,		/* startup.view: binds, masks, glob masks, pivots */
	TIMING_LOCK,		/* startup.lock: nested userns, session, caps, no_new_privs, Landlock */
	TIMING_CHILD_FILTER,	/* startup.child_filter: seccomp_load and the listener hand-over */
	TIMING_EXEC,		/* startup.exec: execve call until S receives it trapped (notify) */
	TIMING_TEARDOWN,	/* teardown: the command's exit to supervise's exit */
	TIMING_NPHASES
};

/* timing_init - start measuring when ON (--timings): map the shared page and begin
 * TIMING_TOTAL. Call once, in main(), before anything forks or starts a thread. A failed mmap
 * leaves timing off (and says so with warnx). */
void timing_init(bool on);

/* timing_on - whether --timings is on (for callers that want to skip their own measuring). */
bool timing_on(void);

/* timing_now_ns - CLOCK_MONOTONIC in nanoseconds. */
uint64_t timing_now_ns(void);

/* timing_begin - phase PH starts now. Safe in any process of the run before execve (the page is
 * shared); a phase runs in one process at a time. No-op when timing is off. */
void timing_begin(enum timing_phase ph);

/* timing_end - phase PH, begun with timing_begin (possibly in an ancestor process), ends now: its
 * time is added to the phase's total and its count incremented. No-op when timing is off or PH
 * is not running (so a second end, e.g. of TIMING_EXEC after the first trap, counts nothing). */
void timing_end(enum timing_phase ph);

/* timing_add - print one more line "NAME VALUE UNIT" (and "n=N" when N > 0: how many samples
 * VALUE sums or averages up) at timing_print(). NAME and UNIT are copied (at most 47 and 15
 * characters); at most 64 extra lines are kept, later ones are dropped. Thread-safe; call it in
 * the supervisor process (lines added in a forked child are lost). No-op when timing is off. */
void timing_add(const char *name, double value, const char *unit, unsigned long n);

/* timing_print - end TIMING_TEARDOWN, then print on stderr a line
 * "supervise: timing: NAME VALUE UNIT" per phase that ran (in ms, with its count when it ran more
 * than once), then the timing_add() lines. No-op when timing is off. */
void timing_print(void);

#endif
