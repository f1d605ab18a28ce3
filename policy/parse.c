/* parse.c - the profile's text format, line by line (pure): words, directives, path tokens
 * (escapes decoded, "~", "$CWD" and the XDG variables expanded, normalised), each error one line
 * "FILE:LINE: what is wrong". The rules go into the table of policy.c.
 */
#include "policy.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "../common/path.h"
#include "../common/util.h"
#include "internal.h"

int policy_err(char *err, size_t errlen, const char *where, const char *fmt, ...)
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

/* _path_ok - check the raw token WRITTEN and decode it into *DECODED. WHERE prefixes errors.
 * Returns 0 or -EINVAL with the reason in ERR. */
static int _path_ok(const char *written, char **decoded, const char *where, char *err,
		    size_t errlen)
{
	int r;

	for (const char *s = written; *s; s++)
		if (policy_is_ctrl((unsigned char)*s))
			return policy_err(err, errlen, where, "path contains a control character");
	r = policy_path_unescape(written, decoded);
	if (r == -ERANGE)
		return policy_err(err, errlen, where, "path contains a control character");
	if (r < 0)
		return policy_err(err, errlen, where,
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
		policy_err(err, errlen, where, "path '%s' needs the working directory, which is unknown",
		     written);
	else if (v == PATH_VAR_RUNTIME)
		policy_err(err, errlen, where, "path '%s' needs XDG_RUNTIME_DIR, which is unset or not "
		     "absolute", written);
	else
		policy_err(err, errlen, where, "path '%s' needs %s or HOME, which are unset or not absolute",
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
		return policy_err(err, errlen, where, "path '%s' starts with an unknown variable (known: "
			    "$CWD, $XDG_CONFIG_HOME, $XDG_DATA_HOME, $XDG_STATE_HOME, "
			    "$XDG_CACHE_HOME, $XDG_RUNTIME_DIR)", written);
	if (decoded[0] != '/' && !(decoded[0] == '~' && (!decoded[1] || decoded[1] == '/')) && v < 0)
		return policy_err(err, errlen, where, "path '%s' must be absolute or start with ~/",
			    written);
	if (v >= 0) {
		if (!(expanded = _var_expand(v, rest, home, written, where, err, errlen)))
			return -EINVAL;
	} else if (!(expanded = path_home_expand(decoded, home))) {
		return policy_err(err, errlen, where,
			    "path '%s' needs HOME, which is unset or not absolute", written);
	}
	pattern = path_join_normalize("/", expanded);
	if (strlen(pattern) >= PATH_MAX) {	/* no kernel call takes it; see policy.h */
		size_t n = strlen(pattern);

		free(pattern);
		return policy_err(err, errlen, where, "path of %zu bytes is longer than PATH_MAX (%d)", n,
			    PATH_MAX - 1);
	}
	policy_rule_append(p, kind, pattern, xasprintf("%s %s", rule_kind_name(kind), written),
			   line);
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

/* _kind_path - the words TOK (N of them) of "WORD read|write|exec PATH", WORD being tok[0]
 * ("grant", "ask", "host"): the kind into *KIND. ALSO ends the message for a missing path or a
 * kind other than read, write or exec. 0 or -EINVAL + ERR. */
static int _kind_path(char **tok, size_t n, const char *also, enum rule_kind *kind,
		      const char *where, char *err, size_t errlen)
{
	if (n < 3 || rule_kind_parse(tok[1], kind) < 0 || *kind == RULE_DENY || *kind == RULE_TMPFS)
		return policy_err(err, errlen, where, "'%s' takes read, write or exec and a path%s", tok[0],
			    also);
	if (n > 3)
		return policy_err(err, errlen, where, "'%s' takes one path, found extra '%s'", tok[0],
			    tok[3]);
	return 0;
}

/* _parse_grant - "grant read|write|exec PATH" in the N words TOK. 0 or -EINVAL + ERR. */
static int _parse_grant(char **tok, size_t n, unsigned lineno, const char *home, const char *where,
			struct profile *out, char *err, size_t errlen)
{
	enum rule_kind kind;
	_cleanup_free_ char *text = NULL;

	if (_kind_path(tok, n, "", &kind, where, err, errlen) < 0)
		return -EINVAL;
	if (!strcmp(tok[2], POLICY_ARG))
		return policy_err(err, errlen, where, "'grant' takes a path, not @arg (an argument's "
			    "access is given when the run starts: 'read @arg' or 'write @arg')");
	if (_rule_add(out, kind, tok[2], home, lineno, where, err, errlen) < 0)
		return -EINVAL;
	text = out->rules[out->n - 1].text;
	out->rules[out->n - 1].text = xasprintf("grant %s", text);
	out->rules[out->n - 1].grant = true;
	return 0;
}

/* _parse_netrule - a "connect" or "bind" line (TOK has N words) at LINENO. 0 or -EINVAL + ERR. */
static int _parse_netrule(char **tok, size_t n, unsigned lineno, const char *where,
			  struct profile *out, char *err, size_t errlen)
{
	struct netrule r;
	char msg[400];

	if (netrule_parse(tok, n, &r, msg, sizeof(msg)) < 0)
		return policy_err(err, errlen, where, "%s", msg);
	r.line = lineno;
	out->netrules = xrealloc(out->netrules, (out->nnet + 1) * sizeof(*out->netrules));
	out->netrules[out->nnet++] = r;
	return 0;
}

/* _said - the rule OUT's parser just added, its text made the line as written: "WORD KIND PATH"
 * (an ask or host line stands for a rule of another kind). Returns the rule. */
static struct rule *_said(struct profile *out, const char *word, enum rule_kind kind,
			  const char *path)
{
	struct rule *r = &out->rules[out->n - 1];

	free(r->text);
	r->text = xasprintf("%s %s %s", word, rule_kind_name(kind), path);
	return r;
}

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
	if (_kind_path(tok, n, ", or a connect or bind rule", &kind, where, err, errlen) < 0)
		return -EINVAL;
	if (!strcmp(tok[2], POLICY_ARG))
		return policy_err(err, errlen, where, "'ask' takes a path, not @arg");
	if (_rule_add(out, RULE_DENY, tok[2], home, lineno, where, err, errlen) < 0)
		return -EINVAL;
	r = _said(out, "ask", kind, tok[2]);
	r->ask = true;
	r->ask_kind = kind;
	return 0;
}

/* _parse_host - "host read|write|exec PATH" in the N words TOK: the rule KIND PATH, whose PATH
 * comes from the host under --root (jail/root.c). 0 or -EINVAL + ERR. */
static int _parse_host(char **tok, size_t n, unsigned lineno, const char *home, const char *where,
		       struct profile *out, char *err, size_t errlen)
{
	enum rule_kind kind;
	struct rule *r;

	if (_kind_path(tok, n, "", &kind, where, err, errlen) < 0)
		return -EINVAL;
	if (!strcmp(tok[2], POLICY_ARG) || strpbrk(tok[2], "*?["))
		return policy_err(err, errlen, where, "'host' takes a path, not @arg or a wildcard");
	if (_rule_add(out, kind, tok[2], home, lineno, where, err, errlen) < 0)
		return -EINVAL;
	r = _said(out, "host", kind, tok[2]);
	r->host = true;
	return 0;
}

/* _parse_include - the "include NAME" line. 0 or -EINVAL + ERR. */
static int _parse_include(char **tok, size_t n, unsigned lineno, const char *where,
			  struct profile *out, char *err, size_t errlen)
{
	if (n != 2)
		return policy_err(err, errlen, where, "'include' takes one profile name");
	if (!policy_name_valid(tok[1]))
		return policy_err(err, errlen, where, "'%s' is not a valid profile name", tok[1]);
	out->includes = xrealloc(out->includes, (out->nincludes + 1) * sizeof(*out->includes));
	out->include_lines = xrealloc(out->include_lines,
				      (out->nincludes + 1) * sizeof(*out->include_lines));
	out->include_lines[out->nincludes] = lineno;
	out->includes[out->nincludes++] = xstrdup(tok[1]);
	return 0;
}

/* _parse_net - the "net none|loopback|host" line (TOK has N words). 0 or -EINVAL + ERR. */
static int _parse_net(char **tok, size_t n, unsigned lineno, const char *where, struct profile *out,
		      char *err, size_t errlen)
{
	enum net_mode m = n == 2 ? policy_net_parse(tok[1]) : NET_UNSET;

	if (n != 2 || m == NET_UNSET)
		return policy_err(err, errlen, where, "'net' takes one of none, loopback, host");
	if (out->net_line)
		return policy_err(err, errlen, where, "'net' already given on line %u", out->net_line);
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
		return policy_err(err, errlen, where, "'syscalls' needs @GROUP, +NAME or -NAME");
	if (n == max)
		return policy_err(err, errlen, where, "too many words for one line; continue on another 'syscalls' line");
	for (size_t i = 1; i < n; i++) {
		const char *name = tok[i] + (*tok[i] == '+' || *tok[i] == '-');
		int r = sysset_check(tok[i]);

		if (r == -EINVAL)
			return policy_err(err, errlen, where, "'%s' is not @GROUP, +NAME or -NAME", tok[i]);
		if (r < 0)
			return policy_err(err, errlen, where, *name == '@' ? "unknown syscall group '%s' (see "
				    "doc/syscall-groups.md)" : "unknown syscall '%s'", name);
	}
	for (size_t i = 1; i < n; i++)
		policy_sys_insert(out, out->nsys, tok[i], lineno, false);
	return 0;
}

/* _arg_add - the "KIND @arg" rule of source LINE: read or write only (exec, deny and tmpfs of
 * whatever a run is given make no sense). WHERE prefixes errors. 0 or -EINVAL + ERR. */
static int _arg_add(struct profile *p, enum rule_kind kind, unsigned line, const char *where,
		    char *err, size_t errlen)
{
	if (kind != RULE_READ && kind != RULE_WRITE)
		return policy_err(err, errlen, where, "'%s @arg': @arg takes read or write",
			    rule_kind_name(kind));
	policy_rule_append(p, kind, xstrdup(POLICY_ARG),
			   xasprintf("%s %s", rule_kind_name(kind), POLICY_ARG), line);
	p->rules[p->n - 1].arg = true;
	return 0;
}

/* _opts_line - a run option line (policy/options.h, policy/desktop.h) in the N words TOK. Its
 * words may hold no control character: the line is kept as text and rendered again, and a
 * program's argument or an environment value has no use for one. 0 or -EINVAL + ERR. */
static int _opts_line(char **tok, size_t n, unsigned lineno, const char *where,
		      struct profile *out, char *err, size_t errlen)
{
	for (size_t i = 1; i < n; i++)
		for (const char *c = tok[i]; *c; c++)
			if (policy_is_ctrl((unsigned char)*c))
				return policy_err(err, errlen, where,
						  "'%s' holds a control character (0x%02x)", tok[0],
						  (unsigned char)*c);
	return opts_parse_line(tok, n, lineno, where, &out->opts, err, errlen);
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

	while (len > 0 && line[len - 1] == '\r')	/* tolerate CRLF files (and CRs before it): */
		line[--len] = '\0';		/* what is rendered again must parse the same */
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
		return _opts_line(tok, n, lineno, where, out, err, errlen);
	if (rule_kind_parse(tok[0], &kind) < 0)
		return policy_err(err, errlen, where, "unknown directive '%s'", tok[0]);
	if (n < 2)
		return policy_err(err, errlen, where, "'%s' needs a path", tok[0]);
	if (n > 2)
		return policy_err(err, errlen, where, "'%s' takes one path, found extra '%s'", tok[0],
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
