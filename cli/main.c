/* main.c - supervise's entry point: parse, then dispatch. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "../common/timing.h"
#include "../common/util.h"
#include "../core/run.h"
#include "../policy/policy.h"
#include "cli.h"
#include "commands.h"

int main(int argc, char **argv)
{
	struct cli c;
	char err[512];
	int r;
	_cleanup_free_ char *db = NULL, *cwd = NULL;

	if (cli_parse(argc, argv, &c, err, sizeof(err)) < 0) {
		errx("%s", err);
		return EXIT_SUPERVISE_FAIL;
	}
	util_verbosity = c.verbosity;
	timing_init(c.cmd == CLI_RUN && c.timings);	/* startup.total starts here */
	if (c.cmd == CLI_HELP || c.cmd == CLI_NONE) {
		fputs(cli_usage(), stdout);
		return 0;
	}
	if (c.cmd == CLI_VERSION) {
		printf("supervise %s\n", SUPERVISE_VERSION);
		return 0;
	}
	cwd = getcwd(NULL, 0);
	policy_set_cwd(cwd);	/* what "$CWD" in a profile stands for */
	db = db_default_path(c.db);
	if (!db)
		die("cannot find a place for the database: set HOME, XDG_DATA_HOME or SUPERVISE_DB, or give --db");
	if (c.cmd == CLI_LOG)
		return cmd_log(db, &c.log);
	if (c.cmd == CLI_PROFILE)
		return cmd_profile(db, c.argc, c.argv);
	if (c.cmd == CLI_PS)
		return cmd_ps(db, c.log.json);
	if (c.cmd == CLI_GRAPH)
		return cmd_graph(db, &c.log);
	if (c.cmd == CLI_GRANT || c.cmd == CLI_REVOKE)
		return cmd_control(db, c.cmd == CLI_REVOKE, c.argc, c.argv);
	r = run_main(&(struct run_opts){
		.mode = c.mode, .profile = c.profile, .name = c.name, .dbpath = db,
		.argv = c.argv, .quiet = c.verbosity == 0,
		.backend = c.backend, .backtrace = c.backtrace,
		.verbose = c.verbosity > 1, .no_jail = c.no_jail, .strict = c.strict,
		.log_all = c.log_all, .kill_after_ms = c.kill_after_ms,
		.ask = c.ask, .ask_timeout_s = c.ask_timeout_s,
		.root = c.root, .user = c.user, .cwd = c.cwd, .procname = c.procname,
		.log_output = c.log_output, .no_syscall_filter = c.no_syscall_filter,
		.daemon = c.daemon, .x11 = c.x11, .x11_w = c.x11_w, .x11_h = c.x11_h,
		.launcher = c.launcher,
	});
	timing_print();
	return r;
}
