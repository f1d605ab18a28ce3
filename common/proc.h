/* proc.h - what /proc says of a process (reads /proc; no other kernel calls). */
#ifndef SUPERVISE_PROC_H
#define SUPERVISE_PROC_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

/* util_proc_start - when process PID started, in clock ticks since boot (/proc/PID/stat field
 * 22): with PID, it names one process even after PID is reused. -1 when unknown (gone). */
int64_t util_proc_start(pid_t pid);

/* util_proc_ppid - the parent of process PID (/proc/PID/stat field 4), or -1. */
pid_t util_proc_ppid(pid_t pid);

/* util_proc_running - whether the process PID that started at START (util_proc_start) still
 * runs; false for a PID or START that is not known (<= 0, < 0). */
bool util_proc_running(int64_t pid, int64_t start);

#endif
