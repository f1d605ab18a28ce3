/* confine.c - the jail's refused syscalls (see doc/syscalls.md for why each one). */
#include "confine.h"

#include <errno.h>
#include <sched.h>
#include <stddef.h>
#include <string.h>
#include <sys/ioctl.h>

#include "../common/util.h"

/* Refused outright. Names, so that libseccomp resolves what this kernel/arch has. */
static const char *const _refused[] = {
	"ptrace", "process_vm_writev", "bpf", "perf_event_open", "userfaultfd",
	"keyctl", "add_key", "request_key", "kexec_load", "kexec_file_load",
	"init_module", "finit_module", "delete_module",
	"mount", "umount2", "pivot_root", "move_mount", "open_tree", "fsopen", "fsconfig",
	"fsmount", "fspick", "mount_setattr", "setns",
	"swapon", "swapoff", "reboot", "acct", "quotactl", "quotactl_fd",
};

/* _rule - add ACTION for NAME with up to one comparison; unknown names are skipped. */
static int _rule(scmp_filter_ctx ctx, uint32_t action, const char *name, unsigned n,
		 struct scmp_arg_cmp cmp)
{
	int nr = seccomp_syscall_resolve_name(name);

	if (nr == __NR_SCMP_ERROR)
		return 0;
	return n ? seccomp_rule_add(ctx, action, nr, 1, cmp) : seccomp_rule_add(ctx, action, nr, 0);
}

int confine_add(scmp_filter_ctx ctx, bool strict)
{
	uint32_t act = strict ? SCMP_ACT_KILL_PROCESS : SCMP_ACT_ERRNO(EPERM);
	struct scmp_arg_cmp none;

	memset(&none, 0, sizeof(none));
	int r = 0;

	for (size_t i = 0; i < ARRAY_SIZE(_refused) && r == 0; i++)
		r = _rule(ctx, act, _refused[i], 0, none);
	if (r == 0)
		r = _rule(ctx, act, "unshare", 1, SCMP_A0(SCMP_CMP_MASKED_EQ, CLONE_NEWUSER, CLONE_NEWUSER));
	if (r == 0)
		r = _rule(ctx, act, "clone", 1, SCMP_A0(SCMP_CMP_MASKED_EQ, CLONE_NEWUSER, CLONE_NEWUSER));
	if (r == 0)	/* its flags sit behind a pointer: make libc fall back to clone */
		r = _rule(ctx, SCMP_ACT_ERRNO(ENOSYS), "clone3", 0, none);
	if (r == 0)	/* 0xffffffff only queries the persona */
		r = _rule(ctx, act, "personality", 1, SCMP_A0(SCMP_CMP_NE, 0xffffffffu, 0));
	if (r == 0)
		r = _rule(ctx, act, "ioctl", 1, SCMP_A1(SCMP_CMP_MASKED_EQ, 0xffffffffu, TIOCSTI));
	if (r == 0)
		r = _rule(ctx, act, "ioctl", 1, SCMP_A1(SCMP_CMP_MASKED_EQ, 0xffffffffu, TIOCLINUX));
	return r;
}

bool confine_governs(int nr)
{
	static const char *const conditional[] = { "unshare", "clone", "clone3", "personality", "ioctl" };

	for (size_t i = 0; i < ARRAY_SIZE(_refused); i++)
		if (seccomp_syscall_resolve_name(_refused[i]) == nr)
			return true;
	for (size_t i = 0; i < ARRAY_SIZE(conditional); i++)
		if (seccomp_syscall_resolve_name(conditional[i]) == nr)
			return true;
	return false;
}
