/* filter.h - the seccomp filter every backend installs, built from the syscall table (libseccomp,
 * not loaded here). The backends differ only in the action of the trapped calls.
 */
#ifndef SUPERVISE_CORE_FILTER_H
#define SUPERVISE_CORE_FILTER_H

#include <seccomp.h>
#include <stdbool.h>
#include <stdint.h>

#include "../common/event.h"
#include "../policy/sysgroups.h"

/* sc_filter_build - a filter context: default allow; TRAP (SCMP_ACT_NOTIFY, SCMP_ACT_TRACE(0),
 * or SCMP_ACT_ALLOW for "trap nothing") for the trapped syscalls of MODE (open/exec/connect
 * always; every path-taking syscall in learn and audit, newfstatat/statx only without
 * AT_EMPTY_PATH); EPERM (STRICT: kill the process) for the checks-bypassing syscalls; other ABIs (x32, i386) kill the process.
 * Returns the context, or NULL with -errno in *ERR. */
scmp_filter_ctx sc_filter_build(enum run_mode mode, uint32_t trap, bool strict, int *err);

/* sc_filter_add_net - add to CTX the network calls enforce traps only when the profile has network
 * checks (bind, sendto with an address, sendmsg, sendmmsg), with action TRAP. 0 or -errno. */
int sc_filter_add_net(scmp_filter_ctx ctx, uint32_t trap);

/* sc_filter_add_outside - add to CTX, for the syscall allowlist ALLOWED, a TRAP for every number
 * below SYSSET_MAX that ALLOWED does not hold, so that the supervisor logs it and, under enforce,
 * fails it with EPERM (decode_outside). Left alone: the calls supervise needs itself
 * (sys_essential) and the ones the filter refuses already (the denied table). Refused outright
 * (EPERM, or kill when STRICT) instead of trapped, because a trap would lift the refusal of some
 * of their arguments: with JAIL, the syscalls confine_add governs (clone3 keeps its ENOSYS), and
 * seccomp itself (the tracer refuses new listeners). The filter gets libseccomp's binary-tree
 * layout. Returns 0 or -errno. */
int sc_filter_add_outside(scmp_filter_ctx ctx, uint32_t trap, const struct sysset *allowed,
			  bool jail, bool strict);

/* sc_filter_wants - whether a filter of MODE with the allowlist ALLOWED (NULL: none) traps
 * syscall NR with arguments ARGS (the same test the BPF makes), for a backend that sees every
 * syscall (the tracer's syscall-stop mode). */
bool sc_filter_wants(enum run_mode mode, const struct sysset *allowed, int nr, const uint64_t args[6]);

#endif
