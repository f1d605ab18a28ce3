/* cli.h - command-line parsing (pure, unit-tested). */
#ifndef SUPERVISE_CLI_H
#define SUPERVISE_CLI_H

#include <stdbool.h>
#include <stddef.h>

#include "../common/event.h"
#include "../core/backend_select.h"
#include "../db/db.h"
#include "../policy/desktop.h"

enum cli_cmd {
	CLI_NONE,
	CLI_RUN,	/* --learn / --enforce / --audit */
	CLI_LOG,
	CLI_PROFILE,
	CLI_PS,		/* supervise ps [--json] */
	CLI_GRAPH,	/* supervise graph [--run N | --last] */
	CLI_GRANT,	/* supervise grant RUN read|write|exec PATH */
	CLI_REVOKE,	/* supervise revoke RUN PATH */
	CLI_HELP,
	CLI_VERSION,
};

#define CLI_KILL_AFTER_MS 5000	/* --kill-after's default */
#define CLI_ASK_TIMEOUT_S 30	/* --ask-timeout's default */

struct cli {
	enum cli_cmd cmd;
	enum run_mode mode;
	const char *profile;	/* --enforce/--audit PROFILE (name or file) */
	const char *name;	/* --learn -p NAME, or NULL for the command's basename */
	const char *db;		/* --db FILE or NULL */
	int verbosity;		/* 0 -q, 1 default, 2 -v */
	bool no_jail;		/* --no-jail */
	bool strict;		/* --strict */
	bool ask;		/* --ask: ask about every denial */
	unsigned ask_timeout_s;	/* --ask-timeout: CLI_ASK_TIMEOUT_S unless given */
	enum backend_choice backend;	/* --backend auto|notify|ptrace */
	bool backtrace;		/* --backtrace: record each event's call stack */
	bool log_all;		/* --log all: a row per call */
	bool timings;		/* --timings: print the start-up phases' times at exit */
	unsigned kill_after_ms;	/* --kill-after: CLI_KILL_AFTER_MS unless given, 0 for never */
	const char *root;	/* --root DIR */
	const char *user;	/* --user NAME */
	const char *cwd;	/* --cwd DIR */
	const char *procname;	/* --procname NAME */
	const char *log_output;	/* --log-output FILE */
	bool no_syscall_filter;	/* --no-syscall-filter */
	bool daemon;		/* --daemon (needs --log-output) */
	enum x11_mode x11;	/* --x11 MODE, X11_UNSET unless given */
	unsigned x11_w, x11_h;	/* --x11-size WxH, 0 unless given */
	bool launcher;		/* run through a launcher link: argv[0] names the profile */
	char **argv;		/* CLI_RUN: the command; CLI_PROFILE: the action and its args */
	int argc;
	struct log_query log;	/* CLI_LOG */
};

/* cli_parse - parse ARGV (ARGC entries, argv[0] being the program name) into *OUT.
 * Option parsing stops at the first non-option (or "--"), which starts the command.
 * A launcher link, argv[0] whose base name does not start with "supervise" (cli_launcher_name), is
 * "--enforce NAME -- ARG...": every argument goes to the program, OUT->launcher is set and the
 * profile's command line comes first (core/desktop.h, desktop_launcher_argv).
 * Returns 0, or -EINVAL with a one-line reason in ERR (without the "supervise: " prefix). */
int cli_parse(int argc, char **argv, struct cli *out, char *err, size_t errlen);

/* cli_launcher_name - the profile a launcher link ARGV0 names: its base name, or NULL when that
 * starts with "supervise" (supervise, supervise-0.1, supervise.real) or is empty: supervise
 * itself. */
const char *cli_launcher_name(const char *argv0);

/* cli_usage - the --help text. */
const char *cli_usage(void);

#endif
