/* filter.c - the notify backend's seccomp filter. */
#include "filter.h"

#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <sys/syscall.h>

#include "../core/syscalls.h"

/* _add_notify - trap D. newfstatat/statx with AT_EMPTY_PATH are fstat() in disguise and would
 * flood the supervisor in learn mode, so only calls without the flag are trapped (the flag only
 * matters with an empty path, which names an fd opened under the policy already).
 * Returns 0 or -errno. */
static int _add_notify(scmp_filter_ctx ctx, const struct sc_desc *d)
{
	if (d->nr == SYS_newfstatat || d->nr == SYS_statx)
		return seccomp_rule_add(ctx, SCMP_ACT_NOTIFY, d->nr, 1,
					SCMP_CMP(d->empty_flag_arg, SCMP_CMP_MASKED_EQ, AT_EMPTY_PATH, 0));
	return seccomp_rule_add(ctx, SCMP_ACT_NOTIFY, d->nr, 0);
}

scmp_filter_ctx notify_filter_build(enum run_mode mode, int *err)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
	const struct sc_desc *t;
	const int *denied;
	unsigned n, nd;
	int r = 0;

	if (!ctx) {
		*err = -ENOMEM;
		return NULL;
	}
	r = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS);
	t = sc_table(&n);
	for (unsigned i = 0; i < n && r == 0; i++)
		if (t[i].always || mode != MODE_ENFORCE)
			r = _add_notify(ctx, &t[i]);
	denied = sc_denied_table(&nd);
	for (unsigned i = 0; i < nd && r == 0; i++)
		r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), denied[i], 0);
	if (r < 0) {
		seccomp_release(ctx);
		*err = r;
		return NULL;
	}
	return ctx;
}
