/* filter.h - building the seccomp filter the child installs (libseccomp, not loaded here). */
#ifndef SUPERVISE_FILTER_H
#define SUPERVISE_FILTER_H

#include <seccomp.h>
#include <stdbool.h>

#include "../common/event.h"

/* notify_filter_build - a filter context: default allow; SCMP_ACT_NOTIFY for the trapped syscalls
 * of MODE (open/exec/connect always; every path-taking syscall in learn and audit); EPERM for the
 * checks-bypassing syscalls; other ABIs (x32, i386) kill the process.
 * Returns the context, or NULL with -errno in *ERR. */
scmp_filter_ctx notify_filter_build(enum run_mode mode, bool strict, int *err);

#endif
