/* policy.c - profiles: parsing the text format and deciding an access (pure).
 *
 * Why the decision is safe:
 *   - no rule applying means denied (fail closed), and *rule is NULL so the caller can say so;
 *   - patterns are normalised once at parse time ("..", ".", "//" resolved, never above "/"), and
 *     policy_decide() refuses anything that is not absolute, so "tcp ..." objects never match;
 *   - "*" never crosses "/" and a component is compared whole, so "/a/b" does not cover "/a/bc";
 *   - among equally specific rules a deny wins, so an allow can only override a deny by being
 *     strictly more specific: covering the path from a deeper ancestor, or from the same one with
 *     fewer or narrower wildcards;
 *   - specificity is the depth at which a rule starts to cover the path, not the length of its
 *     pattern: a "**" cannot make a pattern look shallower than what it matched (a deny of every
 *     ".ssh" directory beats "read /home/u" on /home/u/.ssh/id), nor deeper (a trailing "**"
 *     adds nothing, so a pattern ending in "**" ties with the same pattern without it, and a
 *     deny among them wins).
 */
#include "policy.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "../common/path.h"
#include "../common/util.h"

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

/* _net_parse - the net_mode named WORD, or NET_UNSET when it names none. */
static enum net_mode _net_parse(const char *word)
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

/* _err - write "WHERE" + formatted message into ERR (ERRLEN bytes; ERR may be NULL). Returns
 * -EINVAL so callers can "return _err(...)". */
static int __attribute__((format(printf, 4, 5)))
_err(char *err, size_t errlen, const char *where, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	if (!err || errlen == 0)
		return -EINVAL;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(err, errlen, "%s%s", where, msg);
	return -EINVAL;
}

/* _is_ctrl - true for ASCII control characters (and DEL), which no path token may hold. */
static bool _is_ctrl(unsigned char c)
{
	return c < 0x20 || c == 0x7f;
}

/* _needs_escape - true for the bytes policy_path_escape() writes as "\NNN". */
static bool _needs_escape(unsigned char c)
{
	return c == ' ' || c == '\\' || _is_ctrl(c);
}

char *policy_path_escape(const char *path)
{
	char *out = xmalloc(strlen(path) * 4 + 1), *o = out;

	for (const unsigned char *s = (const unsigned char *)path; *s; s++) {
		if (_needs_escape(*s))
			o += sprintf(o, "\\%03o", (unsigned)*s);
		else
			*o++ = (char)*s;
	}
	*o = '\0';
	return out;
}

/* _is_octal - true for '0'..'7'. */
static bool _is_octal(char c)
{
	return c >= '0' && c <= '7';
}

/* _unescape - decode the "\NNN" escapes of the path token S into a malloc'd string in *OUT.
 * Returns 0, -EINVAL for a backslash not followed by three octal digits (at most \377), or
 * -ERANGE when a decoded byte is a control character or NUL. */
static int _unescape(const char *s, char **out)
{
	_cleanup_free_ char *buf = xmalloc(strlen(s) + 1);
	char *o = buf;
	unsigned v;

	for (; *s; s++) {
		if (*s != '\\') {
			*o++ = *s;
			continue;
		}
		if (!_is_octal(s[1]) || !_is_octal(s[2]) || !_is_octal(s[3]) || s[1] > '3')
			return -EINVAL;
		v = (unsigned)(s[1] - '0') * 64 + (unsigned)(s[2] - '0') * 8 + (unsigned)(s[3] - '0');
		if (_is_ctrl((unsigned char)v))
			return -ERANGE;
		*o++ = (char)v;
		s += 3;
	}
	*o = '\0';
	*out = steal_pointer(&buf);
	return 0;
}

/* _append - add one rule to P, taking ownership of PATTERN and TEXT. */
static void _append(struct profile *p, enum rule_kind kind, char *pattern, char *text,
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

	_append(p, kind, xstrdup(path), text, line);
	p->rules[p->n - 1].grant = grant;
	p->rules[p->n - 1].inherited = inherited;
	p->rules[p->n - 1].match = true;
}

/* _path_ok - check the raw token WRITTEN and decode it into *DECODED. WHERE prefixes errors.
 * Returns 0 or -EINVAL with the reason in ERR. */
static int _path_ok(const char *written, char **decoded, const char *where, char *err,
		    size_t errlen)
{
	int r;

	for (const char *s = written; *s; s++)
		if (_is_ctrl((unsigned char)*s))
			return _err(err, errlen, where, "path contains a control character");
	r = _unescape(written, decoded);
	if (r == -ERANGE)
		return _err(err, errlen, where, "path contains a control character");
	if (r < 0)
		return _err(err, errlen, where,
			    "bad escape in path '%s' (write a byte as \\NNN, three octal digits)",
			    written);
	return 0;
}

/* The values of the path variables (policy_set_var), NULL: unset. */
static char *_vars[PATH_VAR_N];

void policy_set_var(enum path_var v, const char *value)
{
	if (v >= PATH_VAR_N)
		return;
	free(_vars[v]);
	_vars[v] = value && value[0] == '/' ? xstrdup(value) : NULL;
}

void policy_set_cwd(const char *cwd)
{
	policy_set_var(PATH_VAR_CWD, cwd);
}

/* _var_expand - DECODED, a path starting with a variable V (path_var_parse) followed by REST, with
 * the variable replaced by its directory (path_var_dir of its value and HOME). Returns malloc'd, or
 * NULL with the reason in ERR (prefixed by WHERE; WRITTEN is the path as written). */
static char *_var_expand(enum path_var v, const char *rest, const char *home, const char *written,
			 const char *where, char *err, size_t errlen)
{
	_cleanup_free_ char *dir = path_var_dir(v, _vars[v], home);

	if (dir)
		return xasprintf("%s/%s", dir, rest);
	if (v == PATH_VAR_CWD)
		_err(err, errlen, where, "path '%s' needs the working directory, which is unknown",
		     written);
	else if (v == PATH_VAR_RUNTIME)
		_err(err, errlen, where, "path '%s' needs XDG_RUNTIME_DIR, which is unset or not "
		     "absolute", written);
	else
		_err(err, errlen, where, "path '%s' needs %s or HOME, which are unset or not absolute",
		     written, path_var_name(v));
	return NULL;
}

/* _rule_add - validate, expand and normalise the path token WRITTEN (escaped, as in the text)
 * and append a rule of KIND from source LINE. WHERE ("FILE:LINE: " or "") prefixes errors.
 * Returns 0 or -EINVAL with the reason in ERR. */
static int _rule_add(struct profile *p, enum rule_kind kind, const char *written, const char *home,
		     unsigned line, const char *where, char *err, size_t errlen)
{
	_cleanup_free_ char *decoded = NULL, *expanded = NULL;
	const char *rest = NULL;
	char *pattern;
	int v;

	if (_path_ok(written, &decoded, where, err, errlen) < 0)
		return -EINVAL;
	v = path_var_parse(decoded, &rest);
	if (decoded[0] == '$' && v < 0)
		return _err(err, errlen, where, "path '%s' starts with an unknown variable (known: "
			    "$CWD, $XDG_CONFIG_HOME, $XDG_DATA_HOME, $XDG_STATE_HOME, "
			    "$XDG_CACHE_HOME, $XDG_RUNTIME_DIR)", written);
	if (decoded[0] != '/' && !(decoded[0] == '~' && (!decoded[1] || decoded[1] == '/')) && v < 0)
		return _err(err, errlen, where, "path '%s' must be absolute or start with ~/",
			    written);
	if (v >= 0) {
		if (!(expanded = _var_expand(v, rest, home, written, where, err, errlen)))
			return -EINVAL;
	} else if (!(expanded = path_home_expand(decoded, home))) {
		return _err(err, errlen, where,
			    "path '%s' needs HOME, which is unset or not absolute", written);
	}
	pattern = path_join_normalize("/", expanded);
	if (strlen(pattern) >= PATH_MAX) {	/* no kernel call takes it; see policy.h */
		size_t n = strlen(pattern);

		free(pattern);
		return _err(err, errlen, where, "path of %zu bytes is longer than PATH_MAX (%d)", n,
			    PATH_MAX - 1);
	}
	_append(p, kind, pattern, xasprintf("%s %s", rule_kind_name(kind), written), line);
	return 0;
}

int policy_add(struct profile *p, enum rule_kind kind, const char *path, const char *home,
	       char *err, size_t errlen)
{
	_cleanup_free_ char *written = policy_path_escape(path);

	return _rule_add(p, kind, written, home, 0, "", err, errlen);
}

/* _split - cut LINE into at most MAX whitespace-separated words in TOK, stopping at a word that
 * starts with "#" (a comment). Writes NULs into LINE. Returns the number of words (up to MAX;
 * MAX means "MAX or more"). */
static size_t _split(char *line, char **tok, size_t max)
{
	size_t n = 0;
	char *s = line;

	while (n < max) {
		s += strspn(s, " \t");
		if (!*s || *s == '#')
			break;
		tok[n++] = s;
		s += strcspn(s, " \t");
		if (*s)
			*s++ = '\0';
	}
	return n;
}

/* _parse_grant - "grant read|write|exec PATH" in the N words TOK. 0 or -EINVAL + ERR. */
static int _parse_grant(char **tok, size_t n, unsigned lineno, const char *home, const char *where,
			struct profile *out, char *err, size_t errlen)
{
	enum rule_kind kind;
	_cleanup_free_ char *text = NULL;

	if (n < 3 || rule_kind_parse(tok[1], &kind) < 0 || kind == RULE_DENY || kind == RULE_TMPFS)
		return _err(err, errlen, where, "'grant' takes read, write or exec and a path");
	if (n > 3)
		return _err(err, errlen, where, "'grant' takes one path, found extra '%s'", tok[3]);
	if (!strcmp(tok[2], POLICY_ARG))
		return _err(err, errlen, where, "'grant' takes a path, not @arg (an argument's "
			    "access is given when the run starts: 'read @arg' or 'write @arg')");
	if (_rule_add(out, kind, tok[2], home, lineno, where, err, errlen) < 0)
		return -EINVAL;
	text = out->rules[out->n - 1].text;
	out->rules[out->n - 1].text = xasprintf("grant %s", text);
	out->rules[out->n - 1].grant = true;
	return 0;
}

static int _parse_netrule(char **tok, size_t n, unsigned lineno, const char *where,
			  struct profile *out, char *err, size_t errlen);

/* _parse_ask - "ask read|write|exec PATH" in the N words TOK: a deny (the view does not show
 * PATH) that the run asks the user about (core/ask.h); or "ask connect|bind ...", a network rule
 * that allows nothing but asks. 0 or -EINVAL + ERR. */
static int _parse_ask(char **tok, size_t n, unsigned lineno, const char *home, const char *where,
		      struct profile *out, char *err, size_t errlen)
{
	enum rule_kind kind;
	struct rule *r;

	if (n >= 2 && (!strcmp(tok[1], "connect") || !strcmp(tok[1], "bind"))) {
		struct netrule *nr;

		if (_parse_netrule(tok + 1, n - 1, lineno, where, out, err, errlen) < 0)
			return -EINVAL;
		nr = &out->netrules[out->nnet - 1];
		nr->ask = true;
		_cleanup_free_ char *text = nr->text;
		nr->text = xasprintf("ask %s", text);
		return 0;
	}
	if (n < 3 || rule_kind_parse(tok[1], &kind) < 0 || kind == RULE_DENY || kind == RULE_TMPFS)
		return _err(err, errlen, where, "'ask' takes read, write or exec and a path, or a "
			    "connect or bind rule");
	if (n > 3)
		return _err(err, errlen, where, "'ask' takes one path, found extra '%s'", tok[3]);
	if (!strcmp(tok[2], POLICY_ARG))
		return _err(err, errlen, where, "'ask' takes a path, not @arg");
	if (_rule_add(out, RULE_DENY, tok[2], home, lineno, where, err, errlen) < 0)
		return -EINVAL;
	r = &out->rules[out->n - 1];
	free(r->text);
	r->text = xasprintf("ask %s %s", rule_kind_name(kind), tok[2]);
	r->ask = true;
	r->ask_kind = kind;
	return 0;
}

/* _parse_host - "host read|write|exec PATH" in the N words TOK: the rule KIND PATH, whose PATH
 * comes from the host under --root (jail/jail.c). 0 or -EINVAL + ERR. */
static int _parse_host(char **tok, size_t n, unsigned lineno, const char *home, const char *where,
		       struct profile *out, char *err, size_t errlen)
{
	enum rule_kind kind;
	struct rule *r;

	if (n < 3 || rule_kind_parse(tok[1], &kind) < 0 || kind == RULE_DENY || kind == RULE_TMPFS)
		return _err(err, errlen, where, "'host' takes read, write or exec and a path");
	if (n > 3)
		return _err(err, errlen, where, "'host' takes one path, found extra '%s'", tok[3]);
	if (!strcmp(tok[2], POLICY_ARG) || strpbrk(tok[2], "*?["))
		return _err(err, errlen, where, "'host' takes a path, not @arg or a wildcard");
	if (_rule_add(out, kind, tok[2], home, lineno, where, err, errlen) < 0)
		return -EINVAL;
	r = &out->rules[out->n - 1];
	free(r->text);
	r->text = xasprintf("host %s %s", rule_kind_name(kind), tok[2]);
	r->host = true;
	return 0;
}

/* _parse_include - the "include NAME" line. 0 or -EINVAL + ERR. */
static int _parse_include(char **tok, size_t n, unsigned lineno, const char *where,
			  struct profile *out, char *err, size_t errlen)
{
	if (n != 2)
		return _err(err, errlen, where, "'include' takes one profile name");
	if (!policy_name_valid(tok[1]))
		return _err(err, errlen, where, "'%s' is not a valid profile name", tok[1]);
	out->includes = xrealloc(out->includes, (out->nincludes + 1) * sizeof(*out->includes));
	out->include_lines = xrealloc(out->include_lines,
				      (out->nincludes + 1) * sizeof(*out->include_lines));
	out->include_lines[out->nincludes] = lineno;
	out->includes[out->nincludes++] = xstrdup(tok[1]);
	return 0;
}

bool policy_name_valid(const char *name)
{
	size_t n = strlen(name);

	if (n == 0 || n > 64 || name[0] == '.' || name[0] == '-')
		return false;
	return strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._+-") == n;
}

/* _sys_insert - insert TOK (copied) at LINE, inherited or not, to OUT's syscall tokens at index AT. */
static void _sys_insert(struct profile *out, size_t at, const char *tok, unsigned line, bool inherited)
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

		_append(into, r->kind, xstrdup(r->pattern), xstrdup(r->text), r->line);
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
		_sys_insert(into, at, from->sys[i].tok, from->sys[i].line, true);
	if (!into->net_line && from->net > into->net)
		into->net = from->net;
	opts_merge_included(&into->opts, &from->opts);
}

/* _parse_netrule - a "connect" or "bind" line (TOK has N words) at LINENO. 0 or -EINVAL + ERR. */
static int _parse_netrule(char **tok, size_t n, unsigned lineno, const char *where,
			  struct profile *out, char *err, size_t errlen)
{
	struct netrule r;
	char msg[400];

	if (netrule_parse(tok, n, &r, msg, sizeof(msg)) < 0)
		return _err(err, errlen, where, "%s", msg);
	r.line = lineno;
	out->netrules = xrealloc(out->netrules, (out->nnet + 1) * sizeof(*out->netrules));
	out->netrules[out->nnet++] = r;
	return 0;
}

/* _parse_net - the "net none|loopback|host" line (TOK has N words). 0 or -EINVAL + ERR. */
static int _parse_net(char **tok, size_t n, unsigned lineno, const char *where, struct profile *out,
		      char *err, size_t errlen)
{
	enum net_mode m = n == 2 ? _net_parse(tok[1]) : NET_UNSET;

	if (n != 2 || m == NET_UNSET)
		return _err(err, errlen, where, "'net' takes one of none, loopback, host");
	if (out->net_line)
		return _err(err, errlen, where, "'net' already given on line %u", out->net_line);
	out->net = m;
	out->net_line = lineno;
	return 0;
}

/* _parse_syscalls - a "syscalls TOKEN..." line (TOK has N words, N == MAX when it may have
 * been cut). 0 or -EINVAL + ERR. */
static int _parse_syscalls(char **tok, size_t n, size_t max, unsigned lineno, const char *where,
			   struct profile *out, char *err, size_t errlen)
{
	if (n < 2)
		return _err(err, errlen, where, "'syscalls' needs @GROUP, +NAME or -NAME");
	if (n == max)
		return _err(err, errlen, where, "too many words for one line; continue on another 'syscalls' line");
	for (size_t i = 1; i < n; i++) {
		const char *name = tok[i] + (*tok[i] == '+' || *tok[i] == '-');
		int r = sysset_check(tok[i]);

		if (r == -EINVAL)
			return _err(err, errlen, where, "'%s' is not @GROUP, +NAME or -NAME", tok[i]);
		if (r < 0)
			return _err(err, errlen, where, *name == '@' ? "unknown syscall group '%s' (see "
				    "doc/syscall-groups.md)" : "unknown syscall '%s'", name);
	}
	for (size_t i = 1; i < n; i++)
		_sys_insert(out, out->nsys, tok[i], lineno, false);
	return 0;
}

bool policy_syscalls(const struct profile *p, struct sysset *out)
{
	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < p->nsys; i++)
		(void)sysset_apply(out, p->sys[i].tok);	/* checked when parsed */
	return p->nsys > 0;
}

/* _arg_add - the "KIND @arg" rule of source LINE: read or write only (exec, deny and tmpfs of
 * whatever a run is given make no sense). WHERE prefixes errors. 0 or -EINVAL + ERR. */
static int _arg_add(struct profile *p, enum rule_kind kind, unsigned line, const char *where,
		    char *err, size_t errlen)
{
	if (kind != RULE_READ && kind != RULE_WRITE)
		return _err(err, errlen, where, "'%s @arg': @arg takes read or write",
			    rule_kind_name(kind));
	_append(p, kind, xstrdup(POLICY_ARG), xasprintf("%s %s", rule_kind_name(kind), POLICY_ARG),
		line);
	p->rules[p->n - 1].arg = true;
	return 0;
}

/* _parse_line - parse one line (LINE, modified in place; no newline) numbered LINENO of FILE into
 * OUT. Returns 0 (rule added, or nothing on the line) or -EINVAL with "FILE:LINE: ..." in ERR. */
static int _parse_line(char *line, const char *file, unsigned lineno, const char *home,
		       struct profile *out, char *err, size_t errlen)
{
	_cleanup_free_ char *where = xasprintf("%s:%u: ", file, lineno);
	size_t len = strlen(line), n;
	enum rule_kind kind;
	char *tok[48];

	if (len > 0 && line[len - 1] == '\r')	/* tolerate CRLF files */
		line[len - 1] = '\0';
	n = _split(line, tok, ARRAY_SIZE(tok));
	if (n == 0)
		return 0;
	if (!strcmp(tok[0], "syscalls"))
		return _parse_syscalls(tok, n, ARRAY_SIZE(tok), lineno, where, out, err, errlen);
	if (!strcmp(tok[0], "net"))
		return _parse_net(tok, n, lineno, where, out, err, errlen);
	if (!strcmp(tok[0], "connect") || !strcmp(tok[0], "bind"))
		return _parse_netrule(tok, n, lineno, where, out, err, errlen);
	if (!strcmp(tok[0], "include"))
		return _parse_include(tok, n, lineno, where, out, err, errlen);
	if (!strcmp(tok[0], "grant"))
		return _parse_grant(tok, n, lineno, home, where, out, err, errlen);
	if (!strcmp(tok[0], "ask"))
		return _parse_ask(tok, n, lineno, home, where, out, err, errlen);
	if (!strcmp(tok[0], "host"))
		return _parse_host(tok, n, lineno, home, where, out, err, errlen);
	if (opts_is_directive(tok[0]))
		return opts_parse_line(tok, n, lineno, where, &out->opts, err, errlen);
	if (rule_kind_parse(tok[0], &kind) < 0)
		return _err(err, errlen, where, "unknown directive '%s'", tok[0]);
	if (n < 2)
		return _err(err, errlen, where, "'%s' needs a path", tok[0]);
	if (n > 2)
		return _err(err, errlen, where, "'%s' takes one path, found extra '%s'", tok[0],
			    tok[2]);
	if (!strcmp(tok[1], POLICY_ARG))
		return _arg_add(out, kind, lineno, where, err, errlen);
	return _rule_add(out, kind, tok[1], home, lineno, where, err, errlen);
}

int policy_parse(const char *text, const char *file, const char *home, struct profile *out,
		 char *err, size_t errlen)
{
	unsigned lineno = 0;
	const char *s = text;

	while (*s) {
		size_t len = strcspn(s, "\n");
		_cleanup_free_ char *line = NULL;

		if (len > POLICY_LINE_MAX) {
			snprintf(err, errlen, "%s:%u: line of %zu bytes is longer than the limit (%d)",
				 file, lineno + 1, len, POLICY_LINE_MAX);
			return -EINVAL;
		}
		line = xstrndup(s, len);
		if (_parse_line(line, file, ++lineno, home, out, err, errlen) < 0)
			return -EINVAL;
		s += len;
		if (*s == '\n')
			s++;
	}
	return 0;
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

/* _comp - skip the slashes at S and return the next component, its length in *LEN; NULL at end. */
static const char *_comp(const char *s, size_t *len)
{
	while (*s == '/')
		s++;
	if (!*s)
		return NULL;
	*len = (size_t)(strchrnul(s, '/') - s);	/* strcspn is slower on short strings */
	return s;
}

/* _is_dstar - true when the pattern component C (length L) is exactly "**". */
static bool _is_dstar(const char *c, size_t l)
{
	return l == 2 && c[0] == '*' && c[1] == '*';
}

/* _glob_comp - match one pattern component P (length PL; "*" = any run of characters) against one
 * path component S (length SL). Greedy with single backtrack point: O(PL * SL), no recursion. */
static bool _glob_comp(const char *p, size_t pl, const char *s, size_t sl)
{
	size_t pi = 0, si = 0, star = SIZE_MAX, mark = 0;

	while (si < sl) {
		if (pi < pl && p[pi] == '*') {
			star = pi++;
			mark = si;
		} else if (pi < pl && p[pi] == s[si]) {
			pi++;
			si++;
		} else if (star != SIZE_MAX) {
			pi = star + 1;
			si = ++mark;
		} else {
			return false;
		}
	}
	while (pi < pl && p[pi] == '*')
		pi++;
	return pi == pl;
}

/* _only_dstars - true when every component left in the pattern P is "**" (or none is left). */
static bool _only_dstars(const char *p)
{
	const char *c;
	size_t l;

	while ((c = _comp(p, &l))) {
		if (!_is_dstar(c, l))
			return false;
		p = c + l;
	}
	return true;
}

/* _pcomp - _comp() for the path prefix ending at END (a component boundary): NULL at END. */
static const char *_pcomp(const char *s, const char *end, size_t *len)
{
	while (s < end && *s == '/')
		s++;
	if (s >= end)
		return NULL;
	*len = (size_t)(strchrnul(s, '/') - s);
	return s;
}

/* _match - policy_pattern_match() of the absolute PATTERN against the prefix of the absolute
 * PATH that ends at END (a component boundary). Components are matched like characters in a
 * classic wildcard matcher: "**" is the star (with one backtrack point, so O(pattern * path),
 * never exponential) and every other component matches exactly one path component. A pattern
 * used up before the path means the pattern matched an ancestor, which covers the subtree. */
static bool _match(const char *pattern, const char *path, const char *end)
{
	const char *p = pattern, *x = path, *pstar = NULL, *xstar = NULL, *pc, *xc;
	size_t pl, xl;

	while ((xc = _pcomp(x, end, &xl))) {
		if (!(pc = _comp(p, &pl)))
			return true;
		if (_is_dstar(pc, pl)) {
			p = pstar = pc + pl;
			xstar = xc;
		} else if (_glob_comp(pc, pl, xc, xl)) {
			p = pc + pl;
			x = xc + xl;
		} else if (pstar) {
			xc = _pcomp(xstar, end, &xl);	/* the last "**" absorbs one more component */
			x = xstar = xc + xl;
			p = pstar;
		} else {
			return false;
		}
	}
	return _only_dstars(p);
}

/* policy_pattern_match - see policy.h and _match(). */
bool policy_pattern_match(const char *pattern, const char *path)
{
	if (pattern[0] != '/' || path[0] != '/')
		return false;
	return _match(pattern, path, path + strlen(path));
}

/* _match_depth - the depth (number of components) of the shortest prefix of PATH that PATTERN
 * matches: the ancestor (or PATH itself) from which on the rule covers PATH. Returns -1 when the
 * rule does not apply. A pattern matching a prefix covers every longer one too, so the first
 * matching prefix from "/" (depth 0) downwards is the shortest. O(depth * pattern * path), or
 * O(pattern) without "**". */
static int _match_depth(const char *pattern, const char *path)
{
	const char *end = path, *c;
	size_t l;
	int depth = 0;

	if (!policy_pattern_match(pattern, path))
		return -1;
	if (!strstr(pattern, "**")) {	/* each component matched one: as deep as the pattern */
		for (const char *p = pattern; (c = _comp(p, &l)); p = c + l)
			depth++;
		return depth;
	}
	while (!_match(pattern, path, end)) {
		c = _comp(end, &l);
		if (!c)		/* cannot happen: the whole path matched */
			break;
		end = c + l;
		depth++;
	}
	return depth;
}

/* _rank - specificity of one pattern component: literal 3, partial glob ("*.c") 2, "*" 1,
 * "**" 0. */
static int _rank(const char *c, size_t l)
{
	if (_is_dstar(c, l))
		return 0;
	if (l == 1 && c[0] == '*')
		return 1;
	return memchr(c, '*', l) ? 2 : 3;
}

/* How specific one rule is for one path: see policy_decide() in policy.h. */
struct spec {
	int depth;		/* of the shortest prefix of the path the pattern matches */
	unsigned wild;		/* wildcard components, not counting trailing "**" */
	unsigned dstar;		/* of which "**" */
	unsigned star;		/* of which a lone "*" (the rest are partial globs) */
};

/* _spec - the specificity of PATTERN for PATH into *S. Trailing "**" components are not counted:
 * they cover nothing more than the pattern without them, so the two tie. Returns false when
 * PATTERN does not apply to PATH. */
static bool _spec(const char *pattern, const char *path, struct spec *s)
{
	unsigned trailing = 0;
	const char *c;
	size_t l;

	*s = (struct spec){ .depth = _match_depth(pattern, path) };
	if (s->depth < 0)
		return false;
	while ((c = _comp(pattern, &l))) {
		int rank = _rank(c, l);

		trailing = rank == 0 ? trailing + 1 : 0;
		s->dstar += rank == 0;
		s->star += rank == 1;
		s->wild += rank < 3;
		pattern = c + l;
	}
	s->dstar -= trailing;
	s->wild -= trailing;
	return true;
}

/* _spec_cmp - compare specificities A and B: the deeper match wins; at equal depth fewer wildcard
 * components win, then fewer "**", then fewer lone "*". Returns <0, 0 or >0 as A is less, as,
 * or more specific than B. */
static int _spec_cmp(const struct spec *a, const struct spec *b)
{
	if (a->depth != b->depth)
		return a->depth < b->depth ? -1 : 1;
	if (a->wild != b->wild)
		return a->wild > b->wild ? -1 : 1;
	if (a->dstar != b->dstar)
		return a->dstar > b->dstar ? -1 : 1;
	if (a->star != b->star)
		return a->star > b->star ? -1 : 1;
	return 0;
}

/* _may_apply - a quick test before _spec(): false when PATTERN cannot apply to PATH because they
 * differ in a character before the pattern's first "*". Up to its first wildcard, a pattern
 * matches position by position (each component exactly one path component, the characters of a
 * glob component before its "*" literally), so such a difference rules it out. A difference at a
 * "/" (a shorter component, or a path written with "//") is left to _spec(), as is everything
 * from the first "*" on. About 40 rules come with "include base", and most differ from a path
 * in their first few characters, so this saves the component matcher for nearly all of them. */
static bool _may_apply(const char *pattern, const char *path)
{
	while (*pattern && *pattern != '*' && *pattern == *path) {
		pattern++;
		path++;
	}
	return !*pattern || !*path || *pattern == '*' || *pattern == '/' || *path == '/';
}

/* _best - the most specific set of rules of P applying to PATH: *BEST is its first rule (NULL if
 * none applies), *DENY its first deny rule, *GRANT its first rule granting a bit of ACCESS.
 * Returns the union of the rights of the set. */
static unsigned _best(const struct profile *p, const char *path, unsigned access,
		      const struct rule **best, const struct rule **deny, const struct rule **grant)
{
	struct spec top = { 0 }, s;
	unsigned rights = 0;

	*best = *deny = *grant = NULL;
	for (size_t i = 0; i < p->n; i++) {
		const struct rule *r = &p->rules[i];
		int c;

		if (!_may_apply(r->pattern, path) || !_spec(r->pattern, path, &s))
			continue;
		c = *best ? _spec_cmp(&s, &top) : 1;
		if (c < 0)
			continue;
		if (c > 0) {
			*best = r;
			top = s;
			*deny = *grant = NULL;
			rights = 0;
		}
		if (r->kind == RULE_DENY && !*deny)
			*deny = r;
		rights |= policy_rights(r->kind);
		if (!*grant && (policy_rights(r->kind) & access))
			*grant = r;
	}
	return rights;
}

bool policy_decide(const struct profile *p, const char *path, enum access access,
		   const struct rule **rule)
{
	const struct rule *best = NULL, *deny = NULL, *grant = NULL, *why;
	unsigned rights = 0;
	bool allowed;

	if (path[0] == '/')
		rights = _best(p, path, (unsigned)access, &best, &deny, &grant);
	allowed = best && !deny && access && (rights & (unsigned)access) == (unsigned)access;
	why = deny ? deny : allowed ? grant : best;
	if (rule)
		*rule = why;
	return allowed;
}

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

char *policy_render_syscalls(const struct profile *p)
{
	char *text = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&text, &size);

	if (!f)
		die("out of memory");
	_syscalls_lines(f, p);
	if (fclose(f) != 0)
		die("out of memory");
	return text;
}

char *policy_render(const struct profile *p)
{
	char *text = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&text, &size);

	if (!f)
		die("out of memory");
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
	if (fclose(f) != 0)
		die("out of memory");
	return text;
}
