/* syslearn.c - learn mode's "syscalls" lines (see syslearn.h). */
#include "syslearn.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/util.h"

/* _added - "syscalls +a +b\n" for the numbers in USED that HAVE lacks, onto F; returns how many. */
static size_t _added(FILE *f, const struct sysset *used, const struct sysset *have)
{
	size_t n = 0;

	for (int nr = 0; nr < SYSSET_MAX; nr++) {
		if (!sysset_has(used, nr) || sysset_has(have, nr))
			continue;
		_cleanup_free_ char *name = sys_name(nr);

		fprintf(f, "%s+%s", n++ ? " " : "syscalls ", name);
	}
	if (n)
		fputc('\n', f);
	return n;
}

char *syslearn_render(const struct sysset *used, const struct profile *existing, bool fresh,
		      size_t *nadded)
{
	struct sysset have;
	char *text = NULL;
	size_t size = 0, n = 0;
	FILE *f = open_memstream(&text, &size);

	if (!f)
		die("out of memory");
	if (fresh) {
		sysset_default(&have);
		fputs("syscalls @default\n", f);
		n = _added(f, used, &have);
	} else if (policy_syscalls(existing, &have)) {
		_cleanup_free_ char *own = policy_render_syscalls(existing);

		fputs(own, f);
		n = _added(f, used, &have);
	}
	if (fclose(f) != 0)
		die("out of memory");
	if (nadded)
		*nadded = n;
	return text;
}
