/* cli.c - parse the command line into a struct cli (no side effects). */
#include "cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <stddef.h>
#include <string.h>

static const char _usage[] =
	"usage: supervise [OPTIONS] --learn [-p NAME] [--] COMMAND [ARG...]\n"
	"       supervise [OPTIONS] --enforce PROFILE [--] COMMAND [ARG...]\n"
	"       supervise [OPTIONS] --audit PROFILE [--] COMMAND [ARG...]\n"
	"       supervise [OPTIONS] log [--run N | --last] [--denied] [--json] [--backtrace]\n"
	"                               [--follow]\n"
	"       supervise [OPTIONS] ps [--json]\n"
	"       supervise [OPTIONS] graph [--run N | --last]\n"
	"       supervise [OPTIONS] grant RUN read|write|exec PATH | revoke RUN PATH\n"
	"       supervise [OPTIONS] profile list | show NAME | export NAME [FILE] |\n"
	"                                   import FILE [NAME] | delete NAME | diff A B\n"
	"\n"
	"options:\n"
	"  --db FILE     the database (default $SUPERVISE_DB, else\n"
	"                ${XDG_DATA_HOME:-$HOME/.local/share}/supervise/supervise.db)\n"
	"  -p NAME       the profile learn writes (default: the command's basename)\n"
	"  --no-jail     enforce without the jail (namespaces and the profile's filesystem view):\n"
	"                the supervisor's check alone, which a racing thread can defeat\n"
	"  --strict      a syscall the jail refuses kills the program (default: EPERM)\n"
	"  --ask         enforce: ask on the terminal about every denial (once, always, deny,\n"
	"                never) instead of refusing; see also 'ask' lines in profiles\n"
	"  --ask-timeout SECONDS  deny a question not answered in this time (default 30)\n"
	"  --backend B   auto (default: notify, or ptrace when another supervisor holds the\n"
	"                notify listener or with --backtrace), notify, or ptrace\n"
	"  --backtrace   record the call stack of every event (ptrace backend; log --backtrace)\n"
	"  --log WHAT    first (default): every denial, and each allowed (object, access)\n"
	"                once with its count; all: a row for every call\n"
	"  --timings     at exit, print how long each start-up phase took (stderr)\n"
	"  --kill-after SECONDS  after passing SIGTERM, SIGINT, SIGHUP or SIGQUIT on to the\n"
	"                command, SIGKILL what is left of it this much later (default 5;\n"
	"                0: never); the status is then 137\n"
	"  --cwd DIR     start the command in DIR (in the jail: DIR must be in the view)\n"
	"  --user NAME   run the command as user NAME, with its groups, HOME, USER, LOGNAME\n"
	"                and SHELL (root only)\n"
	"  --root DIR    enforce: the jail's root is the prepared tree DIR (a debootstrap or\n"
	"                copied root), not a view of the host; rules name paths inside it\n"
	"  --procname NAME  the program's argv[0]\n"
	"  --log-output FILE  a copy of the program's stdout and stderr goes to FILE\n"
	"  --daemon      detach (new session, stdin /dev/null), print supervise's pid, send all\n"
	"                output to the --log-output FILE; supervise ps lists the run\n"
	"  --x11 MODE    none (default), nested (an X server of the run's own, Xephyr, on the\n"
	"                host's display) or host (the host's display: every keystroke readable)\n"
	"  --x11-size WxH  the nested X server's size (default 1024x768)\n"
	"  --no-syscall-filter  no syscall deny list: neither the jail's refused calls nor the\n"
	"                profile's syscalls lines (warned on every run, recorded in runs)\n"
	"  -q            quiet: no per-denial lines, no summary\n"
	"  -v            verbose\n"
	"  -h, --help    this text\n"
	"  --version     print the version\n"
	"\n"
	"exit status: the command's, 128+N if signal N killed it, 125 if supervise failed,\n"
	"126 if the command cannot be executed, 127 if it is not found;\n"
	"profile diff: 0 if A and B are the same, 1 if they differ, 125 on error.\n"
	"See supervise(1) and supervise.profile(5).\n";

const char *cli_usage(void)
{
	return _usage;
}

/* _need - the argument of option OPT at argv[*i + 1], advancing *i; NULL + ERR if missing. */
static const char *_need(int argc, char **argv, int *i, char *err, size_t errlen)
{
	if (*i + 1 >= argc) {
		snprintf(err, errlen, "option %s needs an argument", argv[*i]);
		return NULL;
	}
	return argv[++*i];
}

/* _set_mode - record a run mode once; a second mode is an error. */
static int _set_mode(struct cli *c, bool *have, enum run_mode m, char *err, size_t errlen)
{
	if (*have) {
		snprintf(err, errlen, "only one of --learn, --enforce, --audit may be given");
		return -EINVAL;
	}
	*have = true;
	if (c->cmd == CLI_NONE)
		c->cmd = CLI_RUN;
	c->mode = m;
	return 0;
}

/* _parse_log_opt - a log option at argv[*i]; 1 if consumed, 0 if not a log option, -EINVAL. */
static int _parse_log_opt(struct cli *c, int argc, char **argv, int *i, char *err, size_t errlen)
{
	const char *a = argv[*i], *v;
	char *end;

	if (!strcmp(a, "--last"))
		c->log.last = true;
	else if (!strcmp(a, "--denied"))
		c->log.denied = true;
	else if (!strcmp(a, "--json"))
		c->log.json = true;
	else if (!strcmp(a, "--backtrace"))
		c->log.backtrace = true;
	else if (!strcmp(a, "--follow") || !strcmp(a, "-f"))
		c->log.follow = true;
	else if (!strcmp(a, "--run")) {
		if (!(v = _need(argc, argv, i, err, errlen)))
			return -EINVAL;
		c->log.run = strtoll(v, &end, 10);
		if (*end || c->log.run <= 0) {
			snprintf(err, errlen, "--run needs a positive run id, not '%s'", v);
			return -EINVAL;
		}
	} else
		return 0;
	if (c->log.last && c->log.run) {
		snprintf(err, errlen, "--run and --last exclude each other");
		return -EINVAL;
	}
	return 1;
}

/* _parse_global - a global option at argv[*i]; 1 if consumed, 0 if not one, -EINVAL. */
static int _parse_global(struct cli *c, int argc, char **argv, int *i, char *err, size_t errlen)
{
	const char *a = argv[*i];

	if (!strcmp(a, "--db")) {
		if (!(c->db = _need(argc, argv, i, err, errlen)))
			return -EINVAL;
	} else if (!strcmp(a, "-q") || !strcmp(a, "--quiet"))
		c->verbosity = 0;
	else if (!strcmp(a, "-v") || !strcmp(a, "--verbose"))
		c->verbosity = 2;
	else if (!strcmp(a, "-h") || !strcmp(a, "--help"))
		c->cmd = CLI_HELP;
	else if (!strcmp(a, "--version"))
		c->cmd = CLI_VERSION;
	else
		return 0;
	return 1;
}

/* _parse_sub - the log/profile subcommand's own arguments from argv[i]. */
static int _parse_sub(struct cli *c, int argc, char **argv, int i, char *err, size_t errlen)
{
	for (; i < argc; i++) {
		int r = _parse_global(c, argc, argv, &i, err, errlen);

		if (r == 0 && c->cmd == CLI_LOG)
			r = _parse_log_opt(c, argc, argv, &i, err, errlen);
		if (r == 0 && c->cmd == CLI_GRAPH && (!strcmp(argv[i], "--run") || !strcmp(argv[i], "--last")))
			r = _parse_log_opt(c, argc, argv, &i, err, errlen);
		if (r == 0 && c->cmd == CLI_PS && !strcmp(argv[i], "--json")) {
			c->log.json = true;
			r = 1;
		}
		if (r < 0)
			return r;
		if (r)
			continue;
		if (c->cmd == CLI_LOG || c->cmd == CLI_PS || c->cmd == CLI_GRAPH) {
			snprintf(err, errlen, "%s: unknown argument '%s'",
				 c->cmd == CLI_LOG ? "log" : c->cmd == CLI_PS ? "ps" : "graph", argv[i]);
			return -EINVAL;
		}
		c->argv = &argv[i];
		c->argc = argc - i;
		return 0;
	}
	if (c->cmd == CLI_PROFILE) {
		snprintf(err, errlen,
			 "profile: missing action (list, show, export, import, delete, diff)");
		return -EINVAL;
	}
	return 0;
}

/* _parse_backend - --backend auto|notify|ptrace at argv[*i]. 1, or -EINVAL + ERR. */
static int _parse_backend(struct cli *c, int argc, char **argv, int *i, char *err, size_t errlen)
{
	static const char *const names[] = {
		[BACKEND_AUTO] = "auto", [BACKEND_NOTIFY] = "notify", [BACKEND_PTRACE] = "ptrace",
	};
	const char *v = _need(argc, argv, i, err, errlen);

	if (!v)
		return -EINVAL;
	for (unsigned b = 0; b < sizeof(names) / sizeof(names[0]); b++)
		if (!strcmp(v, names[b])) {
			c->backend = (enum backend_choice)b;
			return 1;
		}
	snprintf(err, errlen, "--backend is auto, notify or ptrace, not '%s'", v);
	return -EINVAL;
}

/* _parse_kill_after - the SECONDS of --kill-after at argv[*i + 1] (a decimal number from 0 to
 * 86400) into C->kill_after_ms, advancing *i. 1, or -EINVAL with ERR. */
static int _parse_kill_after(struct cli *c, int argc, char **argv, int *i, char *err, size_t errlen)
{
	const char *v = _need(argc, argv, i, err, errlen);
	char *end = NULL;
	double sec;

	if (!v)
		return -EINVAL;
	errno = 0;
	sec = strtod(v, &end);
	if (errno || end == v || *end || !(sec >= 0 && sec <= 86400) || v[0] == '-' ||
	    v[0] == '+' || v[0] == ' ') {
		snprintf(err, errlen, "--kill-after takes seconds from 0 to 86400, not '%s'", v);
		return -EINVAL;
	}
	c->kill_after_ms = (unsigned)(sec * 1000 + 0.5);
	return 1;
}

/* _parse_run_value - --root, --user, --cwd, --procname or --log-output at argv[*i] and its
 * non-empty value, advancing *i. 1, or -EINVAL with ERR. */
static int _parse_run_value(struct cli *c, int argc, char **argv, int *i, char *err,
			    size_t errlen)
{
	const char *a = argv[*i], *v = _need(argc, argv, i, err, errlen);

	if (!v)
		return -EINVAL;
	if (!*v) {
		snprintf(err, errlen, "option %s needs a non-empty argument", a);
		return -EINVAL;
	}
	if (!strcmp(a, "--root"))
		c->root = v;
	else if (!strcmp(a, "--user"))
		c->user = v;
	else if (!strcmp(a, "--cwd"))
		c->cwd = v;
	else if (!strcmp(a, "--procname"))
		c->procname = v;
	else
		c->log_output = v;
	return 1;
}

/* _parse_ask_timeout - the SECONDS of --ask-timeout at argv[*i + 1] (1 to 86400) into C,
 * advancing *i. 1, or -EINVAL with ERR. */
static int _parse_ask_timeout(struct cli *c, int argc, char **argv, int *i, char *err,
			      size_t errlen)
{
	const char *v = _need(argc, argv, i, err, errlen);
	char *end = NULL;
	unsigned long sec;

	if (!v)
		return -EINVAL;
	errno = 0;
	sec = strtoul(v, &end, 10);
	if (errno || end == v || *end || v[0] == '-' || sec < 1 || sec > 86400) {
		snprintf(err, errlen, "--ask-timeout takes whole seconds from 1 to 86400, not '%s'", v);
		return -EINVAL;
	}
	c->ask_timeout_s = (unsigned)sec;
	return 1;
}

/* _parse_x11 - --x11 MODE or --x11-size WxH at argv[*i] and its value into C, advancing *i.
 * 1, or -EINVAL with ERR. */
static int _parse_x11(struct cli *c, int argc, char **argv, int *i, char *err, size_t errlen)
{
	const char *a = argv[*i], *v = _need(argc, argv, i, err, errlen);

	if (!v)
		return -EINVAL;
	if (!strcmp(a, "--x11") && x11_mode_parse(v, &c->x11) < 0) {
		snprintf(err, errlen, "--x11 is none, nested or host, not '%s'", v);
		return -EINVAL;
	}
	if (!strcmp(a, "--x11-size") && desktop_size_parse(v, &c->x11_w, &c->x11_h) < 0) {
		snprintf(err, errlen, "--x11-size takes WxH (1 to %d each), not '%s'", DESKTOP_MAX, v);
		return -EINVAL;
	}
	return 1;
}

/* _check_run - the run options that go together: --daemon needs --log-output, --root needs the
 * jail (--enforce without --no-jail). 0 or -EINVAL with ERR. */
static int _check_run(const struct cli *c, char *err, size_t errlen)
{
	if (c->daemon && !c->log_output) {
		snprintf(err, errlen, "--daemon needs --log-output FILE (where its output goes)");
		return -EINVAL;
	}
	if (c->ask && c->mode != MODE_ENFORCE) {
		snprintf(err, errlen, "--ask goes with --enforce PROFILE (learn and audit deny nothing)");
		return -EINVAL;
	}
	if (c->root && (c->mode != MODE_ENFORCE || c->no_jail)) {
		snprintf(err, errlen, "--root needs the jail: --enforce PROFILE without --no-jail");
		return -EINVAL;
	}
	return 0;
}

/* _parse_log - --log all|first at argv[*i] into C, advancing *i. 1, or -EINVAL with ERR. */
static int _parse_log(struct cli *c, int argc, char **argv, int *i, char *err, size_t errlen)
{
	const char *v = _need(argc, argv, i, err, errlen);

	if (!v)
		return -EINVAL;
	if (strcmp(v, "all") && strcmp(v, "first")) {
		snprintf(err, errlen, "--log is all or first, not '%s'", v);
		return -EINVAL;
	}
	c->log_all = v[0] == 'a';
	return 1;
}

/* The options that only switch a flag of struct cli on. */
static const struct {
	const char *name;
	size_t off;	/* of a bool in struct cli */
} _flags[] = {
	{ "--no-jail", offsetof(struct cli, no_jail) },
	{ "--strict", offsetof(struct cli, strict) },
	{ "--ask", offsetof(struct cli, ask) },
	{ "--backtrace", offsetof(struct cli, backtrace) },
	{ "--timings", offsetof(struct cli, timings) },
	{ "--no-syscall-filter", offsetof(struct cli, no_syscall_filter) },
	{ "--daemon", offsetof(struct cli, daemon) },
};

/* _parse_opt - one option before the command; 1 consumed, 0 not an option, -EINVAL. */
static int _parse_opt(struct cli *c, bool *have, int argc, char **argv, int *i, char *err, size_t errlen)
{
	const char *a = argv[*i];
	int r = _parse_global(c, argc, argv, i, err, errlen);

	if (r)
		return r;
	for (size_t k = 0; k < sizeof(_flags) / sizeof(*_flags); k++)
		if (!strcmp(a, _flags[k].name)) {
			*(bool *)((char *)c + _flags[k].off) = true;
			return 1;
		}
	if (!strcmp(a, "--learn"))
		return _set_mode(c, have, MODE_LEARN, err, errlen) ?: 1;
	if (!strcmp(a, "--enforce") || !strcmp(a, "--audit")) {
		if (_set_mode(c, have, a[2] == 'e' ? MODE_ENFORCE : MODE_AUDIT, err, errlen) < 0 ||
		    !(c->profile = _need(argc, argv, i, err, errlen)))
			return -EINVAL;
		return 1;
	}
	if (!strcmp(a, "--ask-timeout"))
		return _parse_ask_timeout(c, argc, argv, i, err, errlen);
	if (!strcmp(a, "--log"))
		return _parse_log(c, argc, argv, i, err, errlen);
	if (!strcmp(a, "--backend"))
		return _parse_backend(c, argc, argv, i, err, errlen);
	if (!strcmp(a, "--kill-after"))
		return _parse_kill_after(c, argc, argv, i, err, errlen);
	if (!strcmp(a, "--root") || !strcmp(a, "--user") || !strcmp(a, "--cwd") ||
	    !strcmp(a, "--procname") || !strcmp(a, "--log-output"))
		return _parse_run_value(c, argc, argv, i, err, errlen);
	if (!strcmp(a, "--x11") || !strcmp(a, "--x11-size"))
		return _parse_x11(c, argc, argv, i, err, errlen);
	if (!strcmp(a, "-p") || !strcmp(a, "--profile")) {
		if (!(c->name = _need(argc, argv, i, err, errlen)))
			return -EINVAL;
		return 1;
	}
	if (a[0] == '-' && a[1]) {
		snprintf(err, errlen, "unknown option '%s' (see supervise --help)", a);
		return -EINVAL;
	}
	return 0;
}

const char *cli_launcher_name(const char *argv0)
{
	const char *base = argv0 ? strrchr(argv0, '/') : NULL;

	base = base ? base + 1 : argv0;
	/* supervise itself, also as a versioned or wrapped copy: supervise-0.1, supervise.real */
	return base && *base && strncmp(base, "supervise", 9) ? base : NULL;
}

/* _parse_launcher - a launcher link's ARGV (ARGC entries) into C: "--enforce NAME -- ARG...",
 * NAME the link's base name. Returns 0. */
static int _parse_launcher(struct cli *c, int argc, char **argv)
{
	c->cmd = CLI_RUN;
	c->mode = MODE_ENFORCE;
	c->profile = cli_launcher_name(argv[0]);
	c->launcher = true;
	c->argv = &argv[1];
	c->argc = argc - 1;
	return 0;
}

int cli_parse(int argc, char **argv, struct cli *c, char *err, size_t errlen)
{
	bool have_mode = false;
	int i;

	memset(c, 0, sizeof(*c));
	c->verbosity = 1;
	c->kill_after_ms = CLI_KILL_AFTER_MS;
	c->ask_timeout_s = CLI_ASK_TIMEOUT_S;
	if (argc > 0 && cli_launcher_name(argv[0]))	/* a launcher link: no options */
		return _parse_launcher(c, argc, argv);
	for (i = 1; i < argc; i++) {
		int r;

		if (!strcmp(argv[i], "--")) {
			i++;
			break;
		}
		r = _parse_opt(c, &have_mode, argc, argv, &i, err, errlen);
		if (r < 0)
			return r;
		if (r == 0)
			break;
	}
	if (c->cmd == CLI_HELP || c->cmd == CLI_VERSION)
		return 0;
	if (c->name && (!have_mode || c->mode != MODE_LEARN)) {
		snprintf(err, errlen, "-p NAME goes with --learn");
		return -EINVAL;
	}
	if (!have_mode && i < argc && (!strcmp(argv[i], "grant") || !strcmp(argv[i], "revoke"))) {
		c->cmd = argv[i][0] == 'g' ? CLI_GRANT : CLI_REVOKE;
		c->argv = &argv[i + 1];
		c->argc = argc - i - 1;
		return 0;
	}
	if (!have_mode && i < argc && (!strcmp(argv[i], "log") || !strcmp(argv[i], "profile") ||
				       !strcmp(argv[i], "ps") || !strcmp(argv[i], "graph"))) {
		c->cmd = argv[i][0] == 'l' ? CLI_LOG : argv[i][0] == 'g' ? CLI_GRAPH
			 : argv[i][1] == 's' ? CLI_PS : CLI_PROFILE;
		return _parse_sub(c, argc, argv, i + 1, err, errlen);
	}
	if (!have_mode && i >= argc) {
		c->cmd = CLI_HELP;
		return 0;
	}
	if (!have_mode) {
		snprintf(err, errlen, "%s (see supervise --help)",
			 i < argc ? "give --learn, --enforce PROFILE or --audit PROFILE before the command"
				  : "nothing to do");
		return -EINVAL;
	}
	if (i >= argc) {
		snprintf(err, errlen, "missing the command to run");
		return -EINVAL;
	}
	c->argv = &argv[i];
	c->argc = argc - i;
	return _check_run(c, err, errlen);
}
