#!/usr/bin/env bats
# replay.bats - learn → enforce round trips of everyday programs: each is learned in one project
# directory with one input, then run under --enforce (in the jail) in another directory with a
# different input, and its output and exit status must equal a native run on that input. The
# profile is learned with the working directory written "$CWD" (supervise.profile(5)), so it
# follows the run into the other directory.

# The programs, their inputs and command lines are in bench/replay-workloads.bash, which
# bench/tightness.sh uses too.

load helpers
load ../../bench/replay-workloads
bats_require_minimum_version 1.5.0

setup() {
	setup_common
	replay_env
}

teardown() {
	[ -n "${TMPS:-}" ] && rm -f "${TMPS[@]}"
	teardown_common
}

# own PATH...: give PATH (recursively) to the test user.
own() {
	[ "${SUPERVISE_AS:-self}" = nobody ] && chown -R 65534:65534 "$@"
	return 0
}

# replay NAME SETUP CMD: run "SETUP one" in $T/work/learn and "SETUP two" in $T/work/replay and
# $T/work/native; learn "bash -c CMD" as profile NAME in the first, run it natively in the last
# and under --enforce in the second. The outputs (stdout and stderr) and statuses must be equal,
# and the learned run's output must differ (the input really is another one).
replay() {
	local name=$1 setup=$2 cmd=$3 d learned native native_status
	for d in learn replay native; do
		mkdir -p "$T/work/$d"
	done
	(cd "$T/work/learn" && "$setup" one)
	(cd "$T/work/replay" && "$setup" two)
	(cd "$T/work/native" && "$setup" two)
	own "$T/work"
	cd "$T/work/learn"
	run sv -q --learn -p "$name" bash -c "$cmd"
	echo "learn: $status: $output"
	[ "$status" -eq 0 ]
	learned=$output
	cd "$T/work/native"
	run as_user bash -c "$cmd"
	native=$output native_status=$status
	echo "native: $status: $native"
	[ "$status" -eq 0 ]
	[ "$native" != "$learned" ]
	cd "$T/work/replay"
	run sv --enforce "$name" bash -c "$cmd"	# not -q: denials are shown when it fails
	echo "enforce: $status: $output"
	sv profile show "$name"
	[ "$status" -eq "$native_status" ]
	[ "$output" = "$native" ]
}

@test "replay: a python3 script" {
	replay py in_py "${REPLAY_CMD[py]}"
}

@test "replay: gcc compiles and links, then the program runs" {
	replay cc in_cc "${REPLAY_CMD[cc]}"
}

@test "replay: make on a multi-file project" {
	replay mk in_make "${REPLAY_CMD[mk]}"
}

@test "replay: git init, add, commit and log in a temporary repository" {
	replay gt in_git "${REPLAY_CMD[gt]}"
}

@test "replay: the sqlite3 CLI" {
	replay sq in_sql "${REPLAY_CMD[sq]}"
}

@test "replay: tar czf then xzf" {
	replay tr in_tar "${REPLAY_CMD[tr]}"
}

@test "replay: a shell pipeline (grep | sort | uniq -c)" {
	replay pipe in_text "${REPLAY_CMD[pipe]}"
}

@test "replay: a perl one-liner" {
	replay pl in_text "${REPLAY_CMD[pl]}"
}

@test "replay: a planted ~/.ssh/id_rsa is denied to a learned program, logged; touched, it is only a warned grant" {
	mkdir -p "$T/home/.ssh"
	mkfile "$T/home/.ssh/id_rsa" PRIVATE-KEY
	mkfile "$T/work/in.txt" hello
	own "$T/home"
	run sv -q --learn -p rd cat in.txt
	[ "$status" -eq 0 ]
	run sv profile show rd
	[[ "$output" != *.ssh* ]]
	run sv --enforce rd cat "$T/home/.ssh/id_rsa"
	[ "$status" -ne 0 ]
	[[ "$output" != *PRIVATE-KEY* ]]
	[[ "$output" == *"denied read $T/home/.ssh/id_rsa"* ]]
	[ "$(q "select count(*) from events where decision='deny' and object='$T/home/.ssh/id_rsa'")" -ge 1 ]
	# a program that does read it: the summary warns, the profile has a warned grant only
	run sv --learn -p key cat "$T/home/.ssh/id_rsa"
	[ "$status" -eq 0 ]
	[[ "$output" == *"warning: the program used the protected $T/home/.ssh/id_rsa"* ]]
	run sv profile show key
	[[ "$output" == *"# WARNING: protected path"*"grant read ~/.ssh/id_rsa"* ]]
	[ "$(grep -c '\.ssh' <<<"$output")" -eq 1 ]
}

@test "replay: a temporary file the caller made (mktemp) is learned as a glob and replays with another" {
	TMPS=("$(mktemp /tmp/tmp.XXXXXXXXXX)" "$(mktemp /tmp/tmp.XXXXXXXXXX)" "$(mktemp /tmp/other.XXXXXX)")
	echo one >"${TMPS[0]}"
	echo two >"${TMPS[1]}"
	echo secret >"${TMPS[2]}"
	own "${TMPS[@]}"
	run sv -q --learn -p tmpcat cat "${TMPS[0]}"
	[ "$status" -eq 0 ]
	[ "$output" = one ]
	run sv profile show tmpcat
	echo "$output"
	[[ "$output" == *$'\nread /tmp/tmp.*\n'* ]]
	! [[ "$output" == *"${TMPS[0]}"* ]]
	run sv --enforce tmpcat cat "${TMPS[1]}"
	[ "$status" -eq 0 ]
	[ "$output" = two ]
	# the glob names mktemp's files, not every file of /tmp
	run sv --enforce tmpcat cat "${TMPS[2]}"
	echo "$output"
	[ "$status" -ne 0 ]
	[[ "$output" == *"denied read ${TMPS[2]}"* ]]
}
