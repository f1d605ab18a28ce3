/* backend.c - the teardown every backend shares (backend.h). */
#include "backend.h"

#include <unistd.h>

#include "resolve.h"

void backend_base_init(struct backend_base *b)
{
	b->filter = NULL;
	b->sock[0] = b->sock[1] = -1;
}

void backend_base_release(struct backend_base *b)
{
	if (b->filter)
		seccomp_release(b->filter);
	b->filter = NULL;
	for (int i = 0; i < 2; i++) {
		if (b->sock[i] >= 0)
			close(b->sock[i]);
		b->sock[i] = -1;
	}
	resolve_unpin_root();
}
