/* sv_error.c - sv_strerror: the library's error texts. */
#include <string.h>

#include "internal.h"

/* The texts of the SV_E* codes, by code - SV_EBASE - 1. */
static const char *const _texts[] = {
	[SV_ENOLANDLOCK - SV_EBASE - 1] = "Landlock is not available (needs Linux 5.13 with landlock "
					  "among the LSMs)",
	[SV_ELANDLOCKABI - SV_EBASE - 1] = "the kernel's Landlock ABI cannot enforce every right "
					   "asked (truncation needs ABI 3, Linux 6.2)",
	[SV_EPROMISE - SV_EBASE - 1] = "unknown promise",
	[SV_ETHREADS - SV_EBASE - 1] = "the process has other threads, which the confinement "
				       "would not reach",
	[SV_ESETUP - SV_EBASE - 1] = "the confined child could not be set up",
	[SV_ECRASHED - SV_EBASE - 1] = "the isolated function was killed by a signal",
	[SV_EVIOLATION - SV_EBASE - 1] = "the isolated function was killed for a refused system call",
	[SV_EEXITED - SV_EBASE - 1] = "the isolated function ended its process instead of returning",
	[SV_ETOOBIG - SV_EBASE - 1] = "the isolated function's result is too large",
};

SV_API const char *sv_strerror(int err)
{
	const char *s;

	if (err < 0)
		err = -err;
	if (err > SV_EBASE && err < SV_ELAST)
		return _texts[err - SV_EBASE - 1];
	if (err == 0)
		return "Success";
	s = strerrordesc_np(err);	/* a constant string: thread-safe, unlike strerror */
	return s ? s : "Unknown error";
}
