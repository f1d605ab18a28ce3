/* options.c - the profile's run options: caps, rlimit, proc, home, env (pure).
 *
 * Why this is safe:
 *   - a capability that would let the program undo the jail (sys_admin: mounts and namespaces;
 *     dac_read_search: open_by_handle_at reaches files outside the view; sys_ptrace: the jail's
 *     pid 1 holds every capability; sys_module, sys_rawio, bpf) is refused when parsed;
 *   - every value is checked when parsed, so that the child, which applies them, only meets
 *     values the kernel is known to take (rlimit sizes without overflow, capability numbers in
 *     range);
 *   - the default scrub runs before the profile's rules: a secret goes unless a rule keeps it.
 */
#include "options.h"

#include <ctype.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "../common/util.h"
#include "internal.h"

static const struct {
	const char *name;
	int res;
} _rlimits[OPTS_NRLIMIT] = {
	{ "nofile", RLIMIT_NOFILE }, { "nproc", RLIMIT_NPROC }, { "stack", RLIMIT_STACK },
	{ "as", RLIMIT_AS }, { "cpu", RLIMIT_CPU }, { "fsize", RLIMIT_FSIZE },
	{ "core", RLIMIT_CORE },
};

static const char *const _caps[] = {
	"chown", "dac_override", "dac_read_search", "fowner", "fsetid", "kill", "setgid",
	"setuid", "setpcap", "linux_immutable", "net_bind_service", "net_broadcast", "net_admin",
	"net_raw", "ipc_lock", "ipc_owner", "sys_module", "sys_rawio", "sys_chroot", "sys_ptrace",
	"sys_pacct", "sys_admin", "sys_boot", "sys_nice", "sys_resource", "sys_time",
	"sys_tty_config", "mknod", "lease", "audit_write", "audit_control", "setfcap",
	"mac_override", "mac_admin", "syslog", "wake_alarm", "block_suspend", "audit_read",
	"perfmon", "bpf", "checkpoint_restore",
};

/* Capabilities that would let the program leave the jail (see the top of the file). */
static const char *const _refused_caps[] = {
	"sys_admin", "dac_read_search", "sys_ptrace", "sys_module", "sys_rawio", "bpf",
};

static const char *const _scrub[] = { "SSH_AUTH_SOCK", "*_TOKEN", "*_KEY", "AWS_*" };

const char *opts_rlimit_name(size_t i)
{
	return i < OPTS_NRLIMIT ? _rlimits[i].name : NULL;
}

int opts_rlimit_resource(size_t i)
{
	return i < OPTS_NRLIMIT ? _rlimits[i].res : -1;
}

int opts_parse_size(const char *s, uint64_t *out)
{
	uint64_t v = 0, mul = 1;
	const char *p = s;

	if (!strcmp(s, "unlimited") || !strcmp(s, "infinity")) {
		*out = OPTS_UNLIMITED;
		return 0;
	}
	if (!isdigit((unsigned char)*p))
		return -EINVAL;
	for (; isdigit((unsigned char)*p); p++) {
		if (v > (UINT64_MAX - 9) / 10)
			return -ERANGE;
		v = v * 10 + (uint64_t)(*p - '0');
	}
	if (*p && p[1])
		return -EINVAL;
	switch (*p) {
	case 0: break;
	case 'k': case 'K': mul = 1ULL << 10; break;
	case 'm': case 'M': mul = 1ULL << 20; break;
	case 'g': case 'G': mul = 1ULL << 30; break;
	default: return -EINVAL;
	}
	if (v > (UINT64_MAX - 1) / mul)
		return -ERANGE;
	*out = v * mul;
	return 0;
}

int opts_cap_parse(const char *name)
{
	char low[32];
	size_t i;

	if (!strncasecmp(name, "cap_", 4))
		name += 4;
	for (i = 0; name[i] && i + 1 < sizeof(low); i++)
		low[i] = (char)tolower((unsigned char)name[i]);
	if (name[i])
		return -EINVAL;
	low[i] = 0;
	for (size_t c = 0; c < ARRAY_SIZE(_caps); c++)
		if (!strcmp(low, _caps[c]))
			return (int)c;
	return -EINVAL;
}

const char *opts_cap_name(int c)
{
	return c >= 0 && (size_t)c < ARRAY_SIZE(_caps) ? _caps[c] : NULL;
}

bool opts_is_directive(const char *word)
{
	return !strcmp(word, "caps") || !strcmp(word, "rlimit") || !strcmp(word, "proc") ||
	       !strcmp(word, "home") || !strcmp(word, "env") || !strcmp(word, "landlock") ||
	       desktop_is_directive(word);
}

/* _parse_caps - "caps NAME..." (TOK, N words) into O. 0 or -EINVAL + ERR. */
static int _parse_caps(char **tok, size_t n, const char *where, struct opts *o, char *err,
		       size_t errlen)
{
	if (n < 2)
		return policy_err(err, errlen, where, "'caps' needs one or more capability names");
	for (size_t i = 1; i < n; i++) {
		int c = opts_cap_parse(tok[i]);

		if (c < 0)
			return policy_err(err, errlen, where, "unknown capability '%s'", tok[i]);
		for (size_t j = 0; j < ARRAY_SIZE(_refused_caps); j++)
			if (!strcmp(_caps[c], _refused_caps[j]))
				return policy_err(err, errlen, where, "capability '%s' would let the program "
					    "leave the jail; it cannot be kept", tok[i]);
		o->caps |= 1ULL << c;
	}
	return 0;
}

/* _parse_rlimit - "rlimit RESOURCE VALUE" into O. 0 or -EINVAL + ERR. */
static int _parse_rlimit(char **tok, size_t n, unsigned lineno, const char *where, struct opts *o,
			 char *err, size_t errlen)
{
	uint64_t v;
	int r;

	if (n != 3)
		return policy_err(err, errlen, where, "'rlimit' takes a resource (nofile, nproc, stack, as, "
			    "cpu, fsize, core) and a value");
	for (size_t i = 0; i < OPTS_NRLIMIT; i++) {
		if (strcmp(tok[1], _rlimits[i].name))
			continue;
		if (o->rlim_set[i] && o->rlim_line[i])
			return policy_err(err, errlen, where, "'rlimit %s' already given on line %u",
				    tok[1], o->rlim_line[i]);
		r = opts_parse_size(tok[2], &v);
		if (r == -ERANGE)
			return policy_err(err, errlen, where, "rlimit %s: '%s' is too large", tok[1], tok[2]);
		if (r < 0)
			return policy_err(err, errlen, where, "rlimit %s: '%s' is not a number with an "
				    "optional k, M or G suffix, or unlimited", tok[1], tok[2]);
		o->rlim_set[i] = true;
		o->rlim[i] = v;
		o->rlim_line[i] = lineno;
		return 0;
	}
	return policy_err(err, errlen, where, "unknown rlimit resource '%s' (nofile, nproc, stack, as, "
		    "cpu, fsize, core)", tok[1]);
}

/* _parse_home - "home tmpfs|persist|none" into O. 0 or -EINVAL + ERR. */
static int _parse_home(char **tok, size_t n, unsigned lineno, const char *where, struct opts *o,
		       char *err, size_t errlen)
{
	static const char *const names[] = {
		[HOME_TMPFS] = "tmpfs", [HOME_PERSIST] = "persist", [HOME_NONE] = "none",
	};

	if (o->home_line)
		return policy_err(err, errlen, where, "'home' already given on line %u", o->home_line);
	for (size_t i = HOME_TMPFS; n == 2 && i < ARRAY_SIZE(names); i++)
		if (!strcmp(tok[1], names[i])) {
			o->home = (enum home_mode)i;
			o->home_line = lineno;
			return 0;
		}
	return policy_err(err, errlen, where, "'home' takes one of tmpfs, persist, none");
}

/* _parse_landlock - "landlock fs|off" into O. 0 or -EINVAL + ERR. */
static int _parse_landlock(char **tok, size_t n, unsigned lineno, const char *where,
			   struct opts *o, char *err, size_t errlen)
{
	if (o->landlock_line)
		return policy_err(err, errlen, where, "'landlock' already given on line %u",
			    o->landlock_line);
	if (n != 2 || (strcmp(tok[1], "fs") && strcmp(tok[1], "off")))
		return policy_err(err, errlen, where, "'landlock' takes fs or off");
	o->landlock = strcmp(tok[1], "fs") ? LANDLOCK_OFF : LANDLOCK_FS;
	o->landlock_line = lineno;
	return 0;
}

/* _env_name_ok - NAME is a variable name ([A-Za-z_][A-Za-z0-9_]*), or with GLOB a pattern of
 * those characters and "*", "?". */
static bool _env_name_ok(const char *name, bool glob)
{
	if (!*name || isdigit((unsigned char)*name))
		return false;
	for (const char *s = name; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '_' && !(glob && (*s == '*' || *s == '?')))
			return false;
	return true;
}

/* _parse_env - "env keep|unset PATTERN" or "env set NAME VALUE..." into O. 0 or -EINVAL + ERR. */
static int _parse_env(char **tok, size_t n, const char *where, struct opts *o, char *err,
		      size_t errlen)
{
	struct env_rule e = { 0 };

	if (n >= 3 && !strcmp(tok[1], "set")) {
		char *v;

		if (!_env_name_ok(tok[2], false))
			return policy_err(err, errlen, where, "env set: '%s' is not a variable name", tok[2]);
		v = xstrdup("");
		for (size_t i = 3; i < n; i++) {
			char *w = xasprintf("%s%s%s", v, i > 3 ? " " : "", tok[i]);

			free(v);
			v = w;
		}
		e = (struct env_rule){ .kind = ENV_SET, .name = xstrdup(tok[2]), .value = v };
	} else if (n == 3 && (!strcmp(tok[1], "keep") || !strcmp(tok[1], "unset"))) {
		if (!_env_name_ok(tok[2], true))
			return policy_err(err, errlen, where, "env %s: '%s' is not a variable name or "
				    "pattern (letters, digits, _, * and ?)", tok[1], tok[2]);
		e = (struct env_rule){ .kind = tok[1][0] == 'k' ? ENV_KEEP : ENV_UNSET,
				       .name = xstrdup(tok[2]) };
	} else {
		return policy_err(err, errlen, where, "'env' takes keep PATTERN, unset PATTERN or set NAME "
			    "VALUE");
	}
	o->env = xrealloc(o->env, (o->nenv + 1) * sizeof(*o->env));
	o->env[o->nenv++] = e;
	return 0;
}

/* _add_line - record the line TOK (N words) as written, for rendering. */
static void _add_line(struct opts *o, char **tok, size_t n, unsigned lineno, bool inherited)
{
	char *text = xstrdup(tok[0]);

	for (size_t i = 1; i < n; i++) {
		char *w = xasprintf("%s %s", text, tok[i]);

		free(text);
		text = w;
	}
	o->lines = xrealloc(o->lines, (o->nlines + 1) * sizeof(*o->lines));
	o->lines[o->nlines++] = (struct opt_line){ .text = text, .line = lineno,
						   .inherited = inherited };
}

int opts_parse_line(char **tok, size_t n, unsigned lineno, const char *where, struct opts *o,
		    char *err, size_t errlen)
{
	int r;

	if (!strcmp(tok[0], "caps"))
		r = _parse_caps(tok, n, where, o, err, errlen);
	else if (!strcmp(tok[0], "rlimit"))
		r = _parse_rlimit(tok, n, lineno, where, o, err, errlen);
	else if (!strcmp(tok[0], "home"))
		r = _parse_home(tok, n, lineno, where, o, err, errlen);
	else if (!strcmp(tok[0], "env"))
		r = _parse_env(tok, n, where, o, err, errlen);
	else if (!strcmp(tok[0], "landlock"))
		r = _parse_landlock(tok, n, lineno, where, o, err, errlen);
	else if (desktop_is_directive(tok[0]))
		r = desktop_parse_line(tok, n, lineno, where, &o->desk, err, errlen);
	else if (n == 2 && !strcmp(tok[1], "none")) {	/* proc */
		if (o->proc_line)
			return policy_err(err, errlen, where, "'proc' already given on line %u",
				    o->proc_line);
		o->no_proc = true;
		o->proc_line = lineno;
		r = 0;
	} else
		return policy_err(err, errlen, where, "'proc' takes none");
	if (r == 0)
		_add_line(o, tok, n, lineno, false);
	return r;
}

void opts_merge_included(struct opts *into, const struct opts *from)
{
	struct env_rule *env = xcalloc(into->nenv + from->nenv + 1, sizeof(*env));

	into->caps |= from->caps;
	for (size_t i = 0; i < OPTS_NRLIMIT; i++)
		if (!into->rlim_set[i] && from->rlim_set[i]) {
			into->rlim_set[i] = true;
			into->rlim[i] = from->rlim[i];
		}
	if (!into->proc_line && from->no_proc)
		into->no_proc = true;
	if (!into->home_line && from->home != HOME_HOST)
		into->home = from->home;
	if (!into->landlock_line && from->landlock != LANDLOCK_AUTO)
		into->landlock = from->landlock;
	desktop_merge_included(&into->desk, &from->desk);
	for (size_t i = 0; i < from->nenv; i++)
		env[i] = (struct env_rule){ .kind = from->env[i].kind,
					    .name = xstrdup(from->env[i].name),
					    .value = from->env[i].value ?
						     xstrdup(from->env[i].value) : NULL };
	if (into->nenv)
		memcpy(env + from->nenv, into->env, into->nenv * sizeof(*env));
	free(into->env);
	into->env = env;
	into->nenv += from->nenv;
	for (size_t i = 0; i < from->nlines; i++) {
		into->lines = xrealloc(into->lines, (into->nlines + 1) * sizeof(*into->lines));
		into->lines[into->nlines++] = (struct opt_line){
			.text = xstrdup(from->lines[i].text), .line = from->lines[i].line,
			.inherited = true,
		};
	}
}

void opts_render(const struct opts *o, FILE *f)
{
	for (size_t i = 0; i < o->nlines; i++)
		if (!o->lines[i].inherited)
			fprintf(f, "%s\n", o->lines[i].text);
}

void opts_free(struct opts *o)
{
	for (size_t i = 0; i < o->nenv; i++) {
		free(o->env[i].name);
		free(o->env[i].value);
	}
	free(o->env);
	for (size_t i = 0; i < o->nlines; i++)
		free(o->lines[i].text);
	free(o->lines);
	desktop_free(&o->desk);
	*o = (struct opts){ 0 };
}

bool opts_env_scrubbed(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(_scrub); i++)
		if (fnmatch(_scrub[i], name, 0) == 0)
			return true;
	return false;
}

/* _name_of - the variable name of "NAME=VALUE" ENTRY, malloc'd. */
static char *_name_of(const char *entry)
{
	return xstrndup(entry, strcspn(entry, "="));
}

/* _env_put - set or (VALUE NULL) remove NAME in the env array *ENV of *N entries. */
static void _env_put(char ***env, size_t *n, const char *name, const char *value)
{
	size_t len = strlen(name), i;

	for (i = 0; i < *n; i++)
		if (!strncmp((*env)[i], name, len) && (*env)[i][len] == '=')
			break;
	if (i < *n) {
		free((*env)[i]);
		if (value) {
			(*env)[i] = xasprintf("%s=%s", name, value);
			return;
		}
		memmove(&(*env)[i], &(*env)[i + 1], (*n - i) * sizeof(**env));	/* with the NULL */
		(*n)--;
		return;
	}
	if (!value)
		return;
	*env = xrealloc(*env, (*n + 2) * sizeof(**env));
	(*env)[(*n)++] = xasprintf("%s=%s", name, value);
	(*env)[*n] = NULL;
}

char **opts_env_build(char *const *envp, const struct opts *o, bool scrub, char *const *extra)
{
	size_t n = 0;
	char **env = xcalloc(1, sizeof(*env));

	for (size_t i = 0; envp && envp[i]; i++) {
		_cleanup_free_ char *name = _name_of(envp[i]);
		bool keep = !scrub || !opts_env_scrubbed(name);

		for (size_t j = 0; o && j < o->nenv; j++)
			if (o->env[j].kind != ENV_SET && fnmatch(o->env[j].name, name, 0) == 0)
				keep = o->env[j].kind == ENV_KEEP;
		if (!keep || !strchr(envp[i], '='))
			continue;
		env = xrealloc(env, (n + 2) * sizeof(*env));
		env[n++] = xstrdup(envp[i]);
		env[n] = NULL;
	}
	for (size_t j = 0; o && j < o->nenv; j++)
		if (o->env[j].kind == ENV_SET)
			_env_put(&env, &n, o->env[j].name, o->env[j].value);
	for (size_t i = 0; extra && extra[i]; i++) {
		_cleanup_free_ char *name = _name_of(extra[i]);
		const char *eq = strchr(extra[i], '=');

		_env_put(&env, &n, name, eq ? eq + 1 : NULL);
	}
	return env;
}

void opts_env_free(char **env)
{
	for (size_t i = 0; env && env[i]; i++)
		free(env[i]);
	free(env);
}
