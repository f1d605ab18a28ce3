/* filter.c - the seccomp filter shared by the notify and tracer backends (see filter.h). */
#include "filter.h"

#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#include "confine.h"
#include "syscalls.h"

/* _fstat_like - newfstatat/statx: with AT_EMPTY_PATH they are fstat() in disguise and would flood
 * the supervisor in learn mode, so only calls without the flag are trapped (the flag only matters
 * with an empty path, which names an fd opened under the policy already). */
static bool _fstat_like(const struct sc_desc *d)
{
	return d->nr == SYS_newfstatat || d->nr == SYS_statx;
}

/* _add_trap - trap D with action TRAP (see _fstat_like; sendto only with an address: without one
 * it sends to the connected peer, which connect checked; mmap only with PROT_EXEC).
 * Returns 0 or -errno. */
static int _add_trap(scmp_filter_ctx ctx, const struct sc_desc *d, uint32_t trap)
{
	if (d->kind == SC_SENDTO)
		return seccomp_rule_add(ctx, trap, d->nr, 1, SCMP_A4_64(SCMP_CMP_NE, 0, 0));
	if (d->kind == SC_MMAP)	/* only executable mappings (of a file: checked in decode) */
		return seccomp_rule_add(ctx, trap, d->nr, 1,
					SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, PROT_EXEC));
	if (_fstat_like(d))
		return seccomp_rule_add(ctx, trap, d->nr, 1,
					SCMP_CMP(d->empty_flag_arg, SCMP_CMP_MASKED_EQ, AT_EMPTY_PATH, 0));
	return seccomp_rule_add(ctx, trap, d->nr, 0);
}

scmp_filter_ctx sc_filter_build(enum run_mode mode, uint32_t trap, bool strict, int *err)
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
	for (unsigned i = 0; i < n && r == 0 && trap != SCMP_ACT_ALLOW; i++)
		if (t[i].always || mode != MODE_ENFORCE)
			r = _add_trap(ctx, &t[i], trap);
	denied = sc_denied_table(&nd);
	for (unsigned i = 0; i < nd && r == 0; i++)
		r = seccomp_rule_add(ctx, strict ? SCMP_ACT_KILL_PROCESS : SCMP_ACT_ERRNO(EPERM), denied[i], 0);
	if (r < 0) {
		seccomp_release(ctx);
		*err = r;
		return NULL;
	}
	return ctx;
}

int sc_filter_add_net(scmp_filter_ctx ctx, uint32_t trap)
{
	const struct sc_desc *t;
	unsigned n;
	int r = 0;

	t = sc_table(&n);
	for (unsigned i = 0; i < n && r == 0; i++)
		if (sc_is_net(t[i].kind) && !t[i].always)
			r = _add_trap(ctx, &t[i], trap);
	return r;
}

/* _denied - NR is in the denied table. */
static bool _denied(int nr)
{
	unsigned nd;
	const int *denied = sc_denied_table(&nd);

	for (unsigned i = 0; i < nd; i++)
		if (denied[i] == nr)
			return true;
	return false;
}

int sc_filter_add_outside(scmp_filter_ctx ctx, uint32_t trap, const struct sysset *allowed,
			  bool jail, bool strict)
{
	uint32_t refuse = strict ? SCMP_ACT_KILL_PROCESS : SCMP_ACT_ERRNO(EPERM);
	int r = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2);

	/* Highest number first: libseccomp keeps a filter's syscalls in a list sorted by number and
	 * walks it to insert each rule (and again for its transaction's shadow copy), so ascending
	 * numbers cost a walk of the whole list per rule; descending ones are found at its head. With
	 * @default (some 250 rules) that is 0.87 -> 0.4 ms of every start. */
	for (int nr = SYSSET_MAX - 1; nr >= 0 && r == 0; nr--) {
		bool governed = (jail && confine_governs(nr)) || nr == SYS_seccomp;

		if (sysset_has(allowed, nr) || sys_essential(nr) || _denied(nr) ||
		    (governed && nr == SYS_clone3))
			continue;
		r = seccomp_rule_add(ctx, governed ? refuse : trap, nr, 0);
		if (r == -EEXIST)	/* the same rule is there already */
			r = 0;
	}
	return r;
}

bool sc_filter_wants(enum run_mode mode, const struct sysset *allowed, int nr, const uint64_t args[6])
{
	const struct sc_desc *d = sc_lookup(nr);

	if (allowed && !sysset_has(allowed, nr) && !sys_essential(nr) && !_denied(nr))
		return true;
	if (!d || (!d->always && mode == MODE_ENFORCE))
		return false;
	if (d->kind == SC_SENDTO)
		return args[4] != 0;
	if (d->kind == SC_MMAP)
		return (args[2] & PROT_EXEC) != 0;
	return !_fstat_like(d) || !(args[d->empty_flag_arg] & AT_EMPTY_PATH);
}
