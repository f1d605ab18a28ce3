/* backtrace.h - the call stack of a stopped tracee thread (libunwind-ptrace), symbolised. */
#ifndef SUPERVISE_TRACER_BACKTRACE_H
#define SUPERVISE_TRACER_BACKTRACE_H

#include <sys/types.h>

struct tracer_bt;

/* tracer_bt_new - an unwinder (one libunwind address space, reused). Dies on OOM. */
struct tracer_bt *tracer_bt_new(void);

/* tracer_bt_walk - the stack of the ptrace-stopped thread TID, innermost frame first, one frame
 * a line: "FUNCTION+0xOFF (MODULE+0xOFF)", "?" for what cannot be named. At most 64 frames.
 * Returns malloc'd text, or NULL when not even the first frame could be read. Never crashes on
 * code without unwind information: the walk stops there. */
char *tracer_bt_walk(struct tracer_bt *bt, pid_t tid);

/* tracer_bt_forget - a tracee exec'd: cached unwind information may describe the old program.
 * BT may be NULL. */
void tracer_bt_forget(struct tracer_bt *bt);

/* tracer_bt_free - free BT (NULL is fine). */
void tracer_bt_free(struct tracer_bt *bt);

#endif
