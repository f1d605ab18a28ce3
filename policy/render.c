/* render.c - a profile as text again (pure): its own lines, as written. */
#include "policy.h"

#include <stdio.h>

#include "../common/util.h"

/* _syscalls_lines - P's own "syscalls" lines onto F, the tokens of one source line on one line. */
static void _syscalls_lines(FILE *f, const struct profile *p)
{
	for (size_t i = 0; i < p->nsys; i++) {
		if (p->sys[i].inherited)
			continue;
		bool first = i == 0 || p->sys[i - 1].inherited || p->sys[i - 1].line != p->sys[i].line;
		bool last = i + 1 == p->nsys || p->sys[i + 1].line != p->sys[i].line;

		fprintf(f, "%s%s%s", first ? "syscalls " : " ", p->sys[i].tok, last ? "\n" : "");
	}
}

/* _own_lines - P's own lines onto F, in policy_render's order (see policy.h). */
static void _own_lines(FILE *f, const struct profile *p)
{
	for (size_t i = 0; i < p->nincludes; i++)
		fprintf(f, "include %s\n", p->includes[i]);
	if (p->net_line)
		fprintf(f, "net %s\n", net_mode_name(p->net));
	for (size_t i = 0; i < p->nnet; i++)
		if (!p->netrules[i].inherited)
			fprintf(f, "%s\n", p->netrules[i].text);
	_syscalls_lines(f, p);
	opts_render(&p->opts, f);
	for (size_t i = 0; i < p->n; i++)
		if (!p->rules[i].inherited && !p->rules[i].match)
			fprintf(f, "%s\n", p->rules[i].text);
}

/* _text - what WRITE puts onto a stream for P, as a malloc'd string. Dies on out of memory. */
static char *_text(const struct profile *p, void (*write)(FILE *f, const struct profile *p))
{
	char *text = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&text, &size);

	if (!f)
		die("out of memory");
	write(f, p);
	if (fclose(f) != 0)
		die("out of memory");
	return text;
}

char *policy_render_syscalls(const struct profile *p)
{
	return _text(p, _syscalls_lines);
}

char *policy_render(const struct profile *p)
{
	return _text(p, _own_lines);
}
