/* run.h - one supervised run of a command, from profile loading to the exit status. */
#ifndef SUPERVISE_RUN_H
#define SUPERVISE_RUN_H

#include <stdbool.h>

#include "../common/event.h"
#include "../policy/desktop.h"
#include "backend_select.h"

struct run_opts {
	enum run_mode mode;
	const char *profile;	/* enforce/audit: a DB name or a file path */
	const char *name;	/* learn: the profile to write; NULL → basename of the command */
	const char *dbpath;
	char **argv;		/* the command, NULL-terminated */
	enum backend_choice backend;	/* --backend */
	bool backtrace;		/* --backtrace */
	bool quiet;
	bool verbose;
	bool no_jail;
	bool log_all;		/* --log all: a row per call, not each allowed (object, access) once */
	unsigned kill_after_ms;	/* --kill-after: SIGKILL this long after an ending signal, 0 never */
	bool strict;		/* --strict: the jail's refused syscalls kill */
	bool ask;		/* --ask: ask the user about every denial (core/ask.h) */
	unsigned ask_timeout_s;	/* --ask-timeout: deny after this many seconds */
	const char *root;	/* --root DIR: the jail's root is this prepared tree */
	const char *user;	/* --user NAME (root only) */
	const char *cwd;	/* --cwd DIR: where the command starts */
	const char *procname;	/* --procname NAME: the program's argv[0] */
	const char *log_output;	/* --log-output FILE: a copy of the program's output */
	bool no_syscall_filter;	/* --no-syscall-filter: no syscall deny list, no allowlist */
	bool daemon;		/* --daemon: detach, output to log_output */
	enum x11_mode x11;	/* --x11 MODE (X11_UNSET: the profile's x11 line decides) */
	unsigned x11_w, x11_h;	/* --x11-size WxH (0: the profile's, else the default) */
	bool launcher;		/* a launcher link: argv is the arguments after the profile's
				 * command line (core/desktop.h) */
};

/* run_main - run the command under supervision and return the exit status supervise should exit
 * with: the command's own, 128+N for signal N, 125 when supervise fails (reported on stderr),
 * 126 when the command cannot be executed, 127 when it is not found. */
int run_main(const struct run_opts *o);

#endif
