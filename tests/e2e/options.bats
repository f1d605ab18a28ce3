#!/usr/bin/env bats
# options.bats - the run options capejail and jettison users expect (issue 12): --cwd, rlimit,
# proc none, --procname, the environment scrub and env lines, home tmpfs|persist|none,
# --log-output, --user, caps, --no-syscall-filter, --daemon. Each property comes with a negative
# case or a control that shows the check is not vacuous.

load helpers
bats_require_minimum_version 1.5.0

setup() {
	setup_common
	P=$T/work/p.profile
}

teardown() {
	teardown_common
}

# prof RULE...: the profile $P: base, /usr/bin and /bin executable, plus RULEs.
prof() {
	mkprofile "$P" "exec /bin" "$@"
}

@test "--cwd starts the command there, in the jail and without it" {
	prof
	run -0 sv -q --enforce "$P" --cwd /usr/share -- /bin/sh -c pwd
	[ "$output" = /usr/share ]
	run -0 sv -q --enforce "$P" --no-jail --cwd /usr/share -- /bin/sh -c pwd
	[ "$output" = /usr/share ]
	run -0 sv -q --enforce "$P" -- /bin/sh -c pwd	# control: the working directory otherwise
	[ "$output" = "$T/work" ] || [ "$output" = / ]
}

@test "--cwd of a directory outside the view fails closed" {
	prof
	run -125 sv -q --enforce "$P" --cwd /etc/apt -- /bin/echo ran
	[[ "$output" == *"--cwd /etc/apt"* ]]
	[[ "$output" != *ran* ]]
	run -125 sv -q --enforce "$P" --no-jail --cwd /nonexistent -- /bin/echo ran
	[[ "$output" == *"--cwd /nonexistent"* ]]
	[[ "$output" != *ran* ]]
}

@test "rlimit stack 1M is what ulimit -s shows, nofile what ulimit -n shows" {
	prof "rlimit stack 1M" "rlimit nofile 100"
	run -0 sv -q --enforce "$P" -- /bin/bash -c 'ulimit -s; ulimit -n; ulimit -Hs'
	[ "${lines[0]}" = 1024 ]
	[ "${lines[1]}" = 100 ]
	[ "${lines[2]}" = 1024 ]	# the hard limit too: the program cannot raise it
	run -0 sv -q --audit "$P" -- /bin/bash -c 'ulimit -s'	# without the jail too
	[ "$output" = 1024 ]
	prof	# control: without the line, the inherited limit
	run -0 sv -q --enforce "$P" -- /bin/bash -c 'ulimit -s'
	[ "$output" != 1024 ]
}

@test "rlimit: a bad resource or value is one line naming the file and line" {
	prof "rlimit stack lots"
	run -125 sv -q --enforce "$P" -- /bin/true
	[ "$output" = "supervise: $P:4: rlimit stack: 'lots' is not a number with an optional k, M or G suffix, or unlimited" ]
	prof "rlimit heap 1M"
	run -125 sv -q --enforce "$P" -- /bin/true
	[[ "$output" == *"$P:4: unknown rlimit resource 'heap'"* ]]
}

@test "proc none leaves no /proc; without it the jail has one" {
	prof "proc none"
	run -0 sv -q --enforce "$P" -- /bin/sh -c 'if [ -e /proc/self ] || [ -d /proc ]; then echo proc; else echo none; fi'
	[ "$output" = none ]
	prof
	run -0 sv -q --enforce "$P" -- /bin/sh -c 'if [ -e /proc/self ]; then echo proc; else echo none; fi'
	[ "$output" = proc ]
}

@test "--procname is the program's argv[0]" {
	prof
	run -0 sv -q --enforce "$P" --procname myname -- /bin/sh -c 'echo $0'
	[ "$output" = myname ]
	run -0 sv -q --enforce "$P" -- /bin/sh -c 'echo $0'
	[ "$output" = /bin/sh ]
}

@test "the environment scrub removes GITHUB_TOKEN, SSH_AUTH_SOCK, *_KEY, AWS_* unless kept" {
	prof
	run -0 env GITHUB_TOKEN=t1 SSH_AUTH_SOCK=/s API_KEY=k AWS_REGION=r PLAIN=p \
		"${RUNAS[@]}" "$SV" --db "$DB" ${SUPERVISE_BACKEND:+--backend "$SUPERVISE_BACKEND"} \
		-q --enforce "$P" -- /usr/bin/env
	[[ "$output" == *PLAIN=p* ]]	# control: the rest is passed
	[[ "$output" != *GITHUB_TOKEN* ]]
	[[ "$output" != *SSH_AUTH_SOCK* ]]
	[[ "$output" != *API_KEY* ]]
	[[ "$output" != *AWS_REGION* ]]
	prof "env keep GITHUB_TOKEN" "env unset PLAIN" "env set GREETING hello world"
	run -0 env GITHUB_TOKEN=t1 API_KEY=k PLAIN=p \
		"${RUNAS[@]}" "$SV" --db "$DB" ${SUPERVISE_BACKEND:+--backend "$SUPERVISE_BACKEND"} \
		-q --enforce "$P" -- /usr/bin/env
	[[ "$output" == *GITHUB_TOKEN=t1* ]]
	[[ "$output" != *API_KEY* ]]
	[[ "$output" != *PLAIN* ]]
	[[ "$output" == *"GREETING=hello world"* ]]
}

@test "home tmpfs: an empty private home that keeps nothing from one run to the next" {
	mkfile "$T/home/real" secret
	prof "home tmpfs"
	run -0 sv -q --enforce "$P" -- /bin/sh -c 'ls -A "$HOME"; echo kept >"$HOME/f"; cat "$HOME/f"'
	[ "$output" = kept ]	# empty (no "real"), and writable
	run -0 sv -q --enforce "$P" -- /bin/sh -c 'ls -A "$HOME"; stat -c %a "$HOME"'
	[ "$output" = 700 ]	# nothing kept
	[ ! -e "$T/home/f" ]
}

@test "home persist keeps a file from one run to the next, in a 0700 directory" {
	prof "home persist"
	run -0 sv -q --enforce "$P" -- /bin/sh -c 'echo kept >"$HOME/f"'
	run -0 sv -q --enforce "$P" -- /bin/sh -c 'cat "$HOME/f"'
	[ "$output" = kept ]
	d=$T/home/.local/share/supervise/homes/p
	[ "$(cat "$d/f")" = kept ]
	[ "$(stat -c %a "$d")" = 700 ]
	[ ! -e "$T/home/f" ]	# the real home is not written
}

@test "home none: no HOME, and the real home is not shown" {
	mkfile "$T/home/real" secret
	prof "home none"
	run -0 sv -q --enforce "$P" -- /bin/sh -c 'echo "[${HOME-unset}]"; cat '"$T/home/real"' 2>&1 || :'
	[ "${lines[0]}" = "[unset]" ]
	[[ "$output" != *secret* ]]
}

@test "home, proc and env: a second line or a bad word is an error naming the line" {
	prof "home tmpfs" "home none"
	run -125 sv -q --enforce "$P" -- /bin/true
	[ "$output" = "supervise: $P:5: 'home' already given on line 4" ]
	prof "proc maybe"
	run -125 sv -q --enforce "$P" -- /bin/true
	[ "$output" = "supervise: $P:4: 'proc' takes none" ]
	prof "env keep A=B"
	run -125 sv -q --enforce "$P" -- /bin/true
	[[ "$output" == "supervise: $P:4: env keep: 'A=B' is not a variable name"* ]]
}

@test "--log-output copies stdout and stderr to FILE, and still shows them" {
	prof
	run -0 sv -q --enforce "$P" --log-output "$T/work/out.log" -- /bin/sh -c 'echo to-out; echo to-err >&2'
	[[ "$output" == *to-out* ]]
	[[ "$output" == *to-err* ]]
	grep -qx to-out "$T/work/out.log"
	grep -qx to-err "$T/work/out.log"
	[ "$(stat -c %a "$T/work/out.log")" = 600 ]
	run -125 sv -q --enforce "$P" --log-output /nonexistent/dir/f -- /bin/echo ran
	[[ "$output" == *"--log-output /nonexistent/dir/f"* ]]
	[[ "$output" != *ran* ]]
}

@test "--user as root gives the user's ids, groups and HOME; as anyone else a clear error" {
	prof
	if [ "${SUPERVISE_AS:-self}" = nobody ] || [ "$(id -u)" -ne 0 ]; then
		run -125 sv -q --enforce "$P" --user nobody -- /bin/echo ran
		[ "$output" = "supervise: --user nobody: only root can run a program as another user" ]
		return
	fi
	run -0 sv -q --enforce "$P" --user nobody -- /usr/bin/id
	[ "$output" = "uid=65534(nobody) gid=65534(nogroup) groups=65534(nogroup)" ]
	run -0 sv -q --enforce "$P" --no-jail --user nobody -- /bin/sh -c 'id -u; echo "$HOME $USER $LOGNAME"'
	[ "${lines[0]}" = 65534 ]
	[ "${lines[1]}" = "$(getent passwd nobody | cut -d: -f6) nobody nobody" ]
	run -125 sv -q --enforce "$P" --user no-such-user-x -- /bin/echo ran
	[ "$output" = "supervise: --user no-such-user-x: no such user" ]
}

@test "caps keeps a named capability (root), nothing else; refused ones are an error" {
	prof "caps net_raw"
	if [ "${SUPERVISE_AS:-self}" = nobody ] || [ "$(id -u)" -ne 0 ]; then
		run -0 sv --enforce "$P" -- /bin/sh -c 'grep CapEff /proc/self/status'
		[[ "$output" == *"caps: not kept"* ]]
		[[ "$output" == *"CapEff:	0000000000000000"* ]]
		return
	fi
	run -0 sv -q --enforce "$P" -- /bin/sh -c 'grep CapEff /proc/self/status'
	[ "$output" = "CapEff:	0000000000002000" ]
	run -0 sv -q --enforce "$P" --user nobody -- /bin/sh -c 'grep CapEff /proc/self/status'
	[ "$output" = "CapEff:	0000000000002000" ]	# ambient: kept across the exec as nobody
	prof	# control: none by default
	run -0 sv -q --enforce "$P" -- /bin/sh -c 'grep CapEff /proc/self/status'
	[ "$output" = "CapEff:	0000000000000000" ]
	prof "caps sys_admin"
	run -125 sv -q --enforce "$P" -- /bin/true
	[[ "$output" == *"$P:4: capability 'sys_admin' would let the program leave the jail"* ]]
}

@test "--daemon returns at once; the program keeps running and logs to FILE" {
	prof
	run -125 sv -q --enforce "$P" --daemon -- /bin/true	# a usage error: one line, 125
	[ "$output" = "supervise: --daemon needs --log-output FILE (where its output goes)" ]
	prof "read $T/work"	# the jail's /tmp is its own: show the flag file
	mkfile "$T/work/go" ""
	run -0 sv -q --enforce "$P" --daemon --log-output "$T/work/d.log" -- /bin/sh -c \
		'echo started; while [ -e '"$T/work/go"' ]; do sleep 0.1; done; echo finished'
	pid=$output
	[[ "$pid" =~ ^[0-9]+$ ]]
	for _ in $(seq 100); do grep -q started "$T/work/d.log" 2>/dev/null && break; sleep 0.1; done
	grep -qx started "$T/work/d.log"
	alive "$pid"	# still running after supervise returned
	[ "$(q "SELECT pid FROM runs ORDER BY id DESC LIMIT 1")" = "$pid" ]
	rm "$T/work/go"
	for _ in $(seq 100); do alive "$pid" || break; sleep 0.1; done
	! alive "$pid"
	grep -qx finished "$T/work/d.log"
}

@test "--no-syscall-filter drops the jail's refused calls, warns on every run, is in runs" {
	prof
	run -1 sv -q --enforce "$P" -- /usr/bin/unshare -U /bin/true	# refused: EPERM
	[[ "$output" == *"Operation not permitted"* ]]
	[[ "$output" != *WARNING* ]]
	run -0 sv -q --enforce "$P" --no-syscall-filter -- /usr/bin/unshare -U /bin/sh -c 'echo in'
	[[ "$output" == *"supervise: WARNING: --no-syscall-filter: no syscall is refused"* ]]
	[ "${lines[-1]}" = in ]
	run -0 sv -q --enforce "$P" --no-syscall-filter -- /bin/true	# loud every run
	[[ "$output" == *"WARNING: --no-syscall-filter"* ]]
	run -0 q "SELECT group_concat(no_syscall_filter, ' ') FROM (SELECT no_syscall_filter FROM runs ORDER BY id)"
	[ "$output" = "0 1 1" ]
	# the file rules still hold: only the syscall filter is gone
	run -1 sv -q --enforce "$P" --no-syscall-filter -- /bin/cat /etc/shadow
	[[ "$output" == *"Permission denied"* ]] || [[ "$output" == *"No such file"* ]]
}
