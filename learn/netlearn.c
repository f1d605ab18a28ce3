/* netlearn.c - learn mode's network endpoints (see netlearn.h; pure).
 *
 * Why the rendered lines are safe: each names exactly one endpoint that was used (a literal
 * address and one port, or one socket name), never a range or a wildcard; a name holding a glob
 * character, a space or a control character is left out (enforce then denies it: fail closed).
 */
#include "netlearn.h"

#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/un.h>

#include "../common/util.h"

/* _line - the rule line for OP/PROTO to SA, or NULL when none is written for it. */
static char *_line(enum netrule_op op, int proto, const struct sockaddr *sa, socklen_t len)
{
	const char *verb = op == NETRULE_BIND ? "bind" : "connect";
	char name[sizeof(((struct sockaddr_un *)0)->sun_path) + 2];
	_cleanup_free_ char *obj = NULL;
	size_t off = offsetof(struct sockaddr_un, sun_path);

	if (proto == NETRULE_UNIX) {
		const struct sockaddr_un *un = (const struct sockaddr_un *)sa;

		netrule_unix_name(sa, len, name, sizeof(name));
		if (!name[0] || (name[0] == '/' && op == NETRULE_BIND))
			return NULL;
		if (name[0] == '@' && memchr(un->sun_path + 1, 0, len - off - 1))
			return NULL;	/* a NUL inside the name: not writable */
		for (const unsigned char *c = (const unsigned char *)name; *c; c++)
			if (*c <= ' ' || *c == 0x7f || *c == '*' || *c == '?' || *c == '[')
				return NULL;
		return xasprintf("%s unix %s", verb, name);
	}
	if (proto != NETRULE_TCP && proto != NETRULE_UDP)
		return NULL;
	if (sa->sa_family != AF_INET && sa->sa_family != AF_INET6)
		return NULL;
	obj = netrule_describe((enum netrule_proto)proto, sa, len);
	if (!strncmp(obj, "family", 6))
		return NULL;
	if (op == NETRULE_BIND && (!strcmp(strrchr(obj, ':'), ":0")))
		return NULL;
	return xasprintf("%s %s", verb, obj);
}

void netlearn_add(struct netlearn *nl, enum netrule_op op, int proto, const struct sockaddr *sa,
		  socklen_t len)
{
	char *line = len >= sizeof(sa_family_t) ? _line(op, proto, sa, len) : NULL;

	if (!line)
		return;
	for (size_t i = 0; i < nl->n; i++)
		if (!strcmp(nl->v[i].line, line)) {
			free(line);
			return;
		}
	if (nl->n == nl->cap) {
		nl->cap = nl->cap ? nl->cap * 2 : 16;
		nl->v = xrealloc(nl->v, nl->cap * sizeof(*nl->v));
	}
	nl->v[nl->n] = (struct netlearn_entry){ .op = op, .proto = (enum netrule_proto)proto,
						.len = len, .line = line };
	memcpy(&nl->v[nl->n].sa, sa, len > sizeof(nl->v[0].sa) ? sizeof(nl->v[0].sa) : len);
	nl->n++;
}

/* _cmp - qsort order of line pointers. */
static int _cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

char *netlearn_render(const struct netlearn *nl, const struct profile *existing, size_t *n)
{
	_cleanup_free_ char **lines = xcalloc(nl->n + 1, sizeof(*lines));
	size_t k = 0, size = 0;
	char *text = NULL;
	FILE *f;

	for (size_t i = 0; i < nl->n; i++) {
		const struct netlearn_entry *e = &nl->v[i];

		if (existing && netrule_match(existing->netrules, existing->nnet, e->op, e->proto,
					      (const struct sockaddr *)&e->sa, e->len, NULL))
			continue;
		lines[k++] = e->line;
	}
	qsort(lines, k, sizeof(*lines), _cmp);
	f = open_memstream(&text, &size);
	if (!f)
		die("out of memory");
	for (size_t i = 0; i < k; i++)
		fprintf(f, "%s\n", lines[i]);
	if (fclose(f) != 0)
		die("out of memory");
	if (n)
		*n = k;
	return text;
}

void netlearn_free(struct netlearn *nl)
{
	for (size_t i = 0; i < nl->n; i++)
		free(nl->v[i].line);
	free(nl->v);
	*nl = (struct netlearn){ 0 };
}
