/* policy.c - the profile itself (pure): the names of rule kinds and net modes, the rights a rule
 * grants, the rules table (appending, a wildcard rule's matches, the rules of an included profile
 * merged in), the syscall tokens, freeing. Parsing is parse.c, escapes escape.c, matching and the
 * decision match.c, the text render.c; what they share is internal.h.
 */
#include "policy.h"

#include <errno.h>
#include <string.h>

#include "../common/util.h"
#include "internal.h"

static const char *const _kind_names[] = {
	[RULE_READ] = "read",
	[RULE_WRITE] = "write",
	[RULE_EXEC] = "exec",
	[RULE_DENY] = "deny",
	[RULE_TMPFS] = "tmpfs",
};

static const char *const _net_names[] = {
	[NET_UNSET] = "none",
	[NET_NONE] = "none",
	[NET_LOOPBACK] = "loopback",
	[NET_HOST] = "host",
};

const char *net_mode_name(enum net_mode m)
{
	return (unsigned)m < ARRAY_SIZE(_net_names) ? _net_names[m] : "?";
}

/* policy_net_parse - see internal.h. */
enum net_mode policy_net_parse(const char *word)
{
	for (size_t i = NET_NONE; i < ARRAY_SIZE(_net_names); i++)
		if (!strcmp(word, _net_names[i]))
			return (enum net_mode)i;
	return NET_UNSET;
}

const char *rule_kind_name(enum rule_kind k)
{
	if ((unsigned)k >= ARRAY_SIZE(_kind_names))
		return "?";
	return _kind_names[k];
}

int rule_kind_parse(const char *word, enum rule_kind *out)
{
	for (size_t i = 0; i < ARRAY_SIZE(_kind_names); i++) {
		if (strcmp(word, _kind_names[i]) == 0) {
			*out = (enum rule_kind)i;
			return 0;
		}
	}
	return -EINVAL;
}

unsigned policy_rights(enum rule_kind kind)
{
	switch (kind) {
	case RULE_READ: return ACC_READ | ACC_STAT;
	case RULE_WRITE:
	case RULE_TMPFS: return ACC_READ | ACC_WRITE | ACC_CREATE | ACC_STAT;
	case RULE_EXEC: return ACC_READ | ACC_EXEC | ACC_STAT;
	case RULE_DENY: return 0;
	}
	return 0;
}

/* policy_rule_append - see internal.h. */
void policy_rule_append(struct profile *p, enum rule_kind kind, char *pattern, char *text,
			unsigned line)
{
	if (p->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 16;
		p->rules = xrealloc(p->rules, p->cap * sizeof(*p->rules));
	}
	p->rules[p->n++] = (struct rule){
		.kind = kind, .pattern = pattern, .text = text, .line = line,
	};
}

void policy_add_match(struct profile *p, const struct rule *from, const char *path)
{
	enum rule_kind kind = from->kind;
	bool grant = from->grant, inherited = from->inherited;
	unsigned line = from->line;
	char *text = xstrdup(from->text);	/* FROM may move with the array */

	policy_rule_append(p, kind, xstrdup(path), text, line);
	p->rules[p->n - 1].grant = grant;
	p->rules[p->n - 1].inherited = inherited;
	p->rules[p->n - 1].match = true;
}

bool policy_name_valid(const char *name)
{
	size_t n = strlen(name);

	if (n == 0 || n > 64 || name[0] == '.' || name[0] == '-')
		return false;
	return strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._+-") == n;
}

/* policy_sys_insert - see internal.h. */
void policy_sys_insert(struct profile *out, size_t at, const char *tok, unsigned line, bool inherited)
{
	out->sys = xrealloc(out->sys, (out->nsys + 1) * sizeof(*out->sys));
	memmove(&out->sys[at + 1], &out->sys[at], (out->nsys - at) * sizeof(*out->sys));
	out->sys[at] = (struct systoken){ .tok = xstrdup(tok), .line = line, .inherited = inherited };
	out->nsys++;
}

void policy_merge_included(struct profile *into, const struct profile *from)
{
	for (size_t i = 0; i < from->n; i++) {
		const struct rule *r = &from->rules[i];

		policy_rule_append(into, r->kind, xstrdup(r->pattern), xstrdup(r->text), r->line);
		into->rules[into->n - 1].inherited = true;
		into->rules[into->n - 1].arg = r->arg;
		into->rules[into->n - 1].ask = r->ask;
		into->rules[into->n - 1].host = r->host;
		into->rules[into->n - 1].ask_kind = r->ask_kind;
	}
	for (size_t i = 0; i < from->nnet; i++) {
		into->netrules = xrealloc(into->netrules, (into->nnet + 1) * sizeof(*into->netrules));
		netrule_copy(&into->netrules[into->nnet], &from->netrules[i]);
		into->netrules[into->nnet++].inherited = true;
	}
	size_t at = 0;

	while (at < into->nsys && into->sys[at].inherited)
		at++;
	for (size_t i = 0; i < from->nsys; i++, at++)
		policy_sys_insert(into, at, from->sys[i].tok, from->sys[i].line, true);
	if (!into->net_line && from->net > into->net)
		into->net = from->net;
	opts_merge_included(&into->opts, &from->opts);
}

bool policy_syscalls(const struct profile *p, struct sysset *out)
{
	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < p->nsys; i++)
		(void)sysset_apply(out, p->sys[i].tok);	/* checked when parsed */
	return p->nsys > 0;
}

void policy_free(struct profile *p)
{
	for (size_t i = 0; i < p->n; i++) {
		free(p->rules[i].pattern);
		free(p->rules[i].text);
	}
	free(p->rules);
	for (size_t i = 0; i < p->nincludes; i++)
		free(p->includes[i]);
	free(p->includes);
	free(p->include_lines);
	for (size_t i = 0; i < p->nnet; i++)
		netrule_free(&p->netrules[i]);
	free(p->netrules);
	for (size_t i = 0; i < p->nsys; i++)
		free(p->sys[i].tok);
	free(p->sys);
	opts_free(&p->opts);
	*p = (struct profile){ 0 };
}
