/* filter.c - the notify backend's seccomp filter: the shared one (trap/filter.c) with
 * SCMP_ACT_NOTIFY for the trapped calls. */
#include "filter.h"

#include "../trap/filter.h"

scmp_filter_ctx notify_filter_build(enum run_mode mode, bool strict, int *err)
{
	return sc_filter_build(mode, SCMP_ACT_NOTIFY, strict, err);
}
